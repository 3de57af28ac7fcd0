/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillPreferencesWindow: settings for the manager, bound to GSettings. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "till-alipay-provider.h"
#include "till-device-list.h"
#include "till-preferences-hq.h"
#include "till-preferences-members.h"
#include "till-preferences-scale.h"
#include "till-preferences-window.h"
#include "till-ui-util.h"
#include "till-wxpay-provider.h"

struct _TillPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  TillContext   *context;
  GtkStringList *monitor_names;

  AdwPreferencesPage  *payment_page;
  AdwPreferencesPage  *devices_page;
  AdwPreferencesGroup *wechat_group;
  AdwPreferencesGroup *alipay_group;

  AdwEntryRow   *store_name_entry;
  AdwEntryRow   *till_id_entry;
  GtkSpinButton *wedge_threshold_spin;
  GtkSpinButton *wedge_min_length_spin;
  GtkSpinButton *item_digits_spin;
  AdwComboRow   *value_kind_dropdown;
  AdwComboRow   *monitor_dropdown;
  GtkSwitch     *fullscreen_switch;
  GtkSwitch     *require_signin_switch;
  GtkSwitch     *bilingual_labels_switch;
  AdwEntryRow   *receipt_printer_entry;
  AdwComboRow   *receipt_width_dropdown;
  AdwEntryRow   *backup_dir_entry;
  GtkSpinButton *backup_keep_spin;
  GtkSpinButton *backup_interval_spin;
  AdwComboRow   *cash_rounding_dropdown;
  AdwComboRow   *total_rounding_dropdown;
  GtkSpinButton *discount_limit_spin;
  TillPreferencesMembers members;         /* till-preferences-members.c */

  AdwComboRow   *serial_dropdown;   /* its subtitle: the serial scanner's state */
  AdwComboRow   *baud_dropdown;
  AdwComboRow   *camera_dropdown;
  AdwActionRow  *payment_status_row;
  GtkImage      *payment_status_row_icon;
  AdwEntryRow   *base_url_entry;
  AdwEntryRow   *mchid_entry;
  AdwEntryRow   *appid_entry;
  AdwEntryRow   *serial_no_entry;
  AdwEntryRow   *key_path_entry;
  AdwEntryRow   *pub_path_entry;
  AdwEntryRow   *pub_id_entry;
  AdwEntryRow   *store_id_entry;
  AdwEntryRow   *device_id_entry;
  AdwEntryRow   *ca_file_entry;
  GtkSpinButton *query_interval_spin;
  GtkSpinButton *deadline_spin;
  GtkSpinButton *timeout_spin;
  GtkButton     *test_button;
  AdwActionRow  *test_row;          /* its subtitle: WeChat Pay's last test result */
  AdwComboRow   *qr_provider_dropdown;
  AdwActionRow  *wechat_status_row;
  GtkImage      *wechat_status_row_icon;
  AdwActionRow  *alipay_status_row;
  GtkImage      *alipay_status_row_icon;
  AdwEntryRow   *alipay_gateway_entry;
  AdwEntryRow   *alipay_app_id_entry;
  AdwEntryRow   *alipay_key_path_entry;
  AdwEntryRow   *alipay_pub_path_entry;
  GtkButton     *alipay_test_button;
  AdwActionRow  *alipay_test_row;

  GPtrArray     *serial_paths;   /* char*, parallel to the serial drop-down */
  GPtrArray     *camera_paths;
  gboolean       filling;        /* the drop-downs are being refilled: no writes */
  GCancellable  *cancellable;
  GtkNativeDialog *chooser;
  char          *last_toast;     /* the title of the last toast shown */
  guint          scroll_tick;    /* show_provider's pending scroll, or 0 */
  guint          scroll_tries;   /* frames it waited for the page's layout */
  AdwPreferencesGroup *scroll_to;

  /* The audit of changes (see "audit" below) */
  char          *actor;          /* the approving manager, NULL: the context's cashier */
  gint64         manager_id;     /* 0: none */
  GHashTable    *audited;        /* key -> GVariant, the value last written to the audit */
  GHashTable    *dirty;          /* keys changed since the last audit write */
  guint          audit_id;       /* the pending write, or 0 */
};

G_DEFINE_FINAL_TYPE (TillPreferencesWindow, till_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

/* embedded-value-kind (enum nick) <-> AdwComboRow:selected */
static gboolean
value_kind_get_mapping (GValue   *value,
                        GVariant *variant,
                        gpointer  user_data)
{
  g_value_set_uint (value, g_strcmp0 (g_variant_get_string (variant, NULL), "price-fen") == 0);
  return TRUE;
}

static GVariant *
value_kind_set_mapping (const GValue       *value,
                        const GVariantType *expected_type,
                        gpointer            user_data)
{
  return g_variant_new_string (g_value_get_uint (value) == 1 ? "price-fen" : "weight-grams");
}

/* customer-display-monitor (-1 = last) <-> selected (0 = last, i + 1 = monitor i) */
static gboolean
monitor_get_mapping (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  TillPreferencesWindow *self = user_data;
  int index = g_variant_get_int32 (variant);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->monitor_names));

  if (index < 0 || (guint) index + 1 >= n)
    g_value_set_uint (value, 0);
  else
    g_value_set_uint (value, index + 1);
  return TRUE;
}

static GVariant *
monitor_set_mapping (const GValue       *value,
                     const GVariantType *expected_type,
                     gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return g_variant_new_int32 (-1);
  return g_variant_new_int32 ((gint32) selected - 1);
}

/* receipt-width (58 or 80 mm; anything else is read as 58) <-> selected (0 = 58, 1 = 80) */
static gboolean
receipt_width_get_mapping (GValue   *value,
                           GVariant *variant,
                           gpointer  user_data)
{
  g_value_set_uint (value, g_variant_get_uint32 (variant) == 80 ? 1 : 0);
  return TRUE;
}

static GVariant *
receipt_width_set_mapping (const GValue       *value,
                           const GVariantType *expected_type,
                           gpointer            user_data)
{
  return g_variant_new_uint32 (g_value_get_uint (value) == 1 ? 80 : 58);
}

/* cash-rounding (enum nick) <-> selected (the TillCashRounding value) */
static gboolean
cash_rounding_get_mapping (GValue   *value,
                           GVariant *variant,
                           gpointer  user_data)
{
  TillCashRounding rule = TILL_CASH_ROUNDING_DEFAULT;

  till_cash_rounding_from_string (g_variant_get_string (variant, NULL), &rule);
  g_value_set_uint (value, (guint) rule);
  return TRUE;
}

static GVariant *
cash_rounding_set_mapping (const GValue       *value,
                           const GVariantType *expected_type,
                           gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected > TILL_CASH_ROUNDING_YUAN_DOWN)
    return NULL;
  return g_variant_new_string (till_cash_rounding_to_string ((TillCashRounding) selected));
}

/* total-rounding (enum nick) <-> selected (the TillTotalRounding value) */
static gboolean
total_rounding_get_mapping (GValue   *value,
                            GVariant *variant,
                            gpointer  user_data)
{
  TillTotalRounding rounding = TILL_TOTAL_ROUNDING_NONE;

  till_total_rounding_from_string (g_variant_get_string (variant, NULL), &rounding);
  g_value_set_uint (value, (guint) rounding);
  return TRUE;
}

static GVariant *
total_rounding_set_mapping (const GValue       *value,
                            const GVariantType *expected_type,
                            gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected > TILL_TOTAL_ROUNDING_YUAN)
    return NULL;
  return g_variant_new_string (till_total_rounding_to_string ((TillTotalRounding) selected));
}

static void
till_preferences_window_fill_monitors (TillPreferencesWindow *self)
{
  GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
  guint n = g_list_model_get_n_items (monitors);

  gtk_string_list_splice (self->monitor_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->monitor_names)), NULL);
  gtk_string_list_append (self->monitor_names, _("Last monitor (automatic)"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, i);
      GdkRectangle geometry;
      g_autofree char *name = NULL;
      const char *connector = gdk_monitor_get_connector (monitor);
      const char *model = gdk_monitor_get_model (monitor);

      gdk_monitor_get_geometry (monitor, &geometry);
      name = g_strdup_printf ("%u: %s%s%s (%d×%d)", i + 1,
                              connector != NULL ? connector : _("monitor"),
                              model != NULL ? " " : "", model != NULL ? model : "",
                              geometry.width, geometry.height);
      gtk_string_list_append (self->monitor_names, name);
    }
}

static void
till_preferences_window_bind_settings (TillPreferencesWindow *self)
{
  GSettings *settings;

  g_assert (TILL_IS_CONTEXT (self->context));
  settings = till_context_get_settings (self->context);

  till_preferences_window_fill_monitors (self);

  g_settings_bind (settings, "store-name", self->store_name_entry, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "till-id", self->till_id_entry, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "backup-dir", self->backup_dir_entry, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "backup-keep", self->backup_keep_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "backup-interval-hours", self->backup_interval_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "wedge-threshold-ms", self->wedge_threshold_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "wedge-min-length", self->wedge_min_length_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "embedded-item-digits", self->item_digits_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "embedded-value-kind",
                                self->value_kind_dropdown, "selected", G_SETTINGS_BIND_DEFAULT,
                                value_kind_get_mapping, value_kind_set_mapping, NULL, NULL);
  g_settings_bind_with_mapping (settings, "customer-display-monitor",
                                self->monitor_dropdown, "selected", G_SETTINGS_BIND_DEFAULT,
                                monitor_get_mapping, monitor_set_mapping, self, NULL);
  g_settings_bind (settings, "customer-display-fullscreen", self->fullscreen_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "require-sign-in", self->require_signin_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "bilingual-labels", self->bilingual_labels_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "receipt-printer", self->receipt_printer_entry, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "receipt-width", self->receipt_width_dropdown,
                                "selected", G_SETTINGS_BIND_DEFAULT,
                                receipt_width_get_mapping, receipt_width_set_mapping, NULL, NULL);
  g_settings_bind_with_mapping (settings, "total-rounding", self->total_rounding_dropdown,
                                "selected", G_SETTINGS_BIND_DEFAULT,
                                total_rounding_get_mapping, total_rounding_set_mapping, NULL,
                                NULL);
  g_settings_bind (settings, "discount-limit", self->discount_limit_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "cash-rounding", self->cash_rounding_dropdown,
                                "selected", G_SETTINGS_BIND_DEFAULT,
                                cash_rounding_get_mapping, cash_rounding_set_mapping, NULL, NULL);
}

void
till_preferences_window_get_receipt_widgets (TillPreferencesWindow  *self,
                                             GtkSwitch             **require_sign_in,
                                             GtkEditable           **printer,
                                             AdwComboRow           **width)
{
  g_return_if_fail (TILL_IS_PREFERENCES_WINDOW (self));

  if (require_sign_in != NULL)
    *require_sign_in = self->require_signin_switch;
  if (printer != NULL)
    *printer = GTK_EDITABLE (self->receipt_printer_entry);
  if (width != NULL)
    *width = self->receipt_width_dropdown;
}

GtkWidget *
till_preferences_window_get_key_widget (TillPreferencesWindow *self,
                                        const char            *key)
{
  const struct { const char *key; gpointer widget; } widgets[] = {
    { "store-name", self->store_name_entry },
    { "till-id", self->till_id_entry },
    { "wedge-threshold-ms", self->wedge_threshold_spin },
    { "wedge-min-length", self->wedge_min_length_spin },
    { "embedded-item-digits", self->item_digits_spin },
    { "embedded-value-kind", self->value_kind_dropdown },
    { "customer-display-monitor", self->monitor_dropdown },
    { "customer-display-fullscreen", self->fullscreen_switch },
    { "serial-scanner-device", self->serial_dropdown },
    { "serial-scanner-baud", self->baud_dropdown },
    { "camera-device", self->camera_dropdown },
    { "api-base-url", self->base_url_entry },
    { "mchid", self->mchid_entry },
    { "appid", self->appid_entry },
    { "merchant-serial-no", self->serial_no_entry },
    { "merchant-key-path", self->key_path_entry },
    { "platform-public-key-path", self->pub_path_entry },
    { "platform-public-key-id", self->pub_id_entry },
    { "ca-file", self->ca_file_entry },
    { "store-id", self->store_id_entry },
    { "device-id", self->device_id_entry },
    { "query-interval-ms", self->query_interval_spin },
    { "pay-deadline-ms", self->deadline_spin },
    { "http-timeout-ms", self->timeout_spin },
    { "qr-provider", self->qr_provider_dropdown },
    { "alipay-gateway-url", self->alipay_gateway_entry },
    { "alipay-app-id", self->alipay_app_id_entry },
    { "alipay-app-private-key-path", self->alipay_key_path_entry },
    { "alipay-public-key-path", self->alipay_pub_path_entry },
    { "require-sign-in", self->require_signin_switch },
    { "receipt-printer", self->receipt_printer_entry },
    { "receipt-width", self->receipt_width_dropdown },
    { "cash-rounding", self->cash_rounding_dropdown },
    { "total-rounding", self->total_rounding_dropdown },
    { "discount-limit", self->discount_limit_spin },
    { "bilingual-labels", self->bilingual_labels_switch },
    { "member-confirm", self->members.confirm },
    { "points-redeem-rate", self->members.points_rate },
    { "points-redeem-max-percent", self->members.points_max_percent },
  };

  g_return_val_if_fail (TILL_IS_PREFERENCES_WINDOW (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (widgets); i++)
    if (g_strcmp0 (widgets[i].key, key) == 0)
      return GTK_WIDGET (widgets[i].widget);
  return NULL;
}

/* qr-provider (enum nick, a provider's name) <-> selected (0 = WeChat Pay, 1 = Alipay) */
static gboolean
qr_provider_get_mapping (GValue   *value,
                         GVariant *variant,
                         gpointer  user_data)
{
  g_value_set_uint (value, g_strcmp0 (g_variant_get_string (variant, NULL),
                                      TILL_ALIPAY_PROVIDER_NAME) == 0);
  return TRUE;
}

static GVariant *
qr_provider_set_mapping (const GValue       *value,
                         const GVariantType *expected_type,
                         gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected > 1)
    return NULL;
  return g_variant_new_string (selected == 1 ? TILL_ALIPAY_PROVIDER_NAME
                                             : TILL_WXPAY_PROVIDER_NAME);
}

/* ---- device pickers ---- */

static const guint bauds[] = { 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200 };

static gboolean
baud_get_mapping (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  guint baud = g_variant_get_uint32 (variant);

  g_value_set_uint (value, GTK_INVALID_LIST_POSITION);
  for (guint i = 0; i < G_N_ELEMENTS (bauds); i++)
    if (bauds[i] == baud)
      g_value_set_uint (value, i);
  return TRUE;
}

static GVariant *
baud_set_mapping (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (bauds))
    return NULL;
  return g_variant_new_uint32 (bauds[selected]);
}

/* Fills a device drop-down: `first_label` ("" in the settings), then the devices, then the
 * configured device when it is not there (unplugged), and selects the configured one. */
static void
fill_devices (TillPreferencesWindow *self,
              AdwComboRow           *dropdown,
              GPtrArray             *paths,
              GPtrArray             *devices,
              const char            *first_label,
              const char            *key)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autofree char *current = g_settings_get_string (till_context_get_settings (self->context),
                                                    key);
  guint selected = 0;

  g_ptr_array_set_size (paths, 0);
  gtk_string_list_append (labels, first_label);
  g_ptr_array_add (paths, g_strdup (""));
  for (guint i = 0; i < devices->len; i++)
    {
      const TillDeviceInfo *info = g_ptr_array_index (devices, i);

      gtk_string_list_append (labels, info->label);
      g_ptr_array_add (paths, g_strdup (info->path));
      if (g_strcmp0 (info->path, current) == 0)
        selected = paths->len - 1;
    }
  if (current[0] != '\0' && selected == 0)
    {
      g_autofree char *label = g_strdup_printf (_("%s (not found)"), current);

      gtk_string_list_append (labels, label);
      g_ptr_array_add (paths, g_strdup (current));
      selected = paths->len - 1;
    }

  self->filling = TRUE;
  adw_combo_row_set_model (dropdown, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (dropdown, selected);
  self->filling = FALSE;
}

void
till_preferences_window_refresh_devices (TillPreferencesWindow *self)
{
  g_autoptr(GPtrArray) serial = till_device_list_serial_ports ();
  g_autoptr(GPtrArray) cameras = till_device_list_cameras ();

  g_return_if_fail (TILL_IS_PREFERENCES_WINDOW (self));

  fill_devices (self, self->serial_dropdown, self->serial_paths, serial,
                _("Off"), "serial-scanner-device");
  fill_devices (self, self->camera_dropdown, self->camera_paths, cameras,
                _("First camera (automatic)"), "camera-device");
}

static void
device_selected_cb (AdwComboRow           *dropdown,
                    GParamSpec            *pspec,
                    TillPreferencesWindow *self)
{
  gboolean serial = dropdown == self->serial_dropdown;
  GPtrArray *paths = serial ? self->serial_paths : self->camera_paths;
  guint selected = adw_combo_row_get_selected (dropdown);

  if (self->filling || selected >= paths->len)
    return;
  g_settings_set_string (till_context_get_settings (self->context),
                         serial ? "serial-scanner-device" : "camera-device",
                         g_ptr_array_index (paths, selected));
}

static void
update_serial_status (TillPreferencesWindow *self)
{
  TillSerialScanner *scanner = till_context_get_serial_scanner (self->context);
  const char *device = till_serial_scanner_get_device (scanner);
  g_autofree char *text = NULL;

  if (device == NULL || device[0] == '\0')
    text = g_strdup (_("The serial scanner is off"));
  else if (till_serial_scanner_get_connected (scanner))
    text = g_strdup_printf (_("Connected: %s"), device);
  else
    text = g_strdup_printf (_("Not connected: %s — %s"), device,
                            till_serial_scanner_get_last_error (scanner) != NULL
                              ? till_serial_scanner_get_last_error (scanner)
                              : _("waiting for the device"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->serial_dropdown), text);
}

static void
serial_notify_cb (GObject               *object,
                  GParamSpec            *pspec,
                  TillPreferencesWindow *self)
{
  update_serial_status (self);
}

/* ---- payment ---- */

/* A provider's group: its status row, its Test connection row (the result in its subtitle)
 * and button. */
typedef struct
{
  const char          *name;        /* "wechat", "alipay" */
  const char          *title;       /* for the manager */
  AdwPreferencesGroup *group;
  AdwActionRow        *status_row;
  GtkImage            *status_icon;
  GtkButton           *test_button;
  AdwActionRow        *test_row;
  AdwEntryRow         *first_entry;
} ProviderSection;

static gboolean
provider_section (TillPreferencesWindow *self,
                  const char            *name,
                  ProviderSection       *section)
{
  if (g_strcmp0 (name, TILL_WXPAY_PROVIDER_NAME) == 0)
    *section = (ProviderSection) { TILL_WXPAY_PROVIDER_NAME, _("WeChat Pay"),
                                   self->wechat_group, self->wechat_status_row,
                                   self->wechat_status_row_icon, self->test_button,
                                   self->test_row, self->base_url_entry };
  else if (g_strcmp0 (name, TILL_ALIPAY_PROVIDER_NAME) == 0)
    *section = (ProviderSection) { TILL_ALIPAY_PROVIDER_NAME, _("Alipay"),
                                   self->alipay_group, self->alipay_status_row,
                                   self->alipay_status_row_icon, self->alipay_test_button,
                                   self->alipay_test_row, self->alipay_gateway_entry };
  else
    return FALSE;
  return TRUE;
}

/* A status or result row: `text` in its subtitle, coloured by `css_class` ("error",
 * "warning", "success" or NULL), with the matching icon when it has one. */
static void
set_row_state (AdwActionRow *row,
               GtkImage     *icon,
               const char   *text,
               const char   *css_class)
{
  static const char *const states[] = { "error", "warning", "success" };
  /* Not libadwaita's own .error and friends, which would colour the title too. */
  static const char *const classes[] = { "status-error", "status-warning", "status-success" };
  static const char *const icons[] = { "dialog-error-symbolic", "dialog-warning-symbolic",
                                       "emblem-ok-symbolic" };
  const char *icon_name = "content-loading-symbolic";

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), classes[i]);
      if (g_strcmp0 (css_class, states[i]) == 0)
        {
          icon_name = icons[i];
          gtk_widget_add_css_class (GTK_WIDGET (row), classes[i]);
        }
    }
  if (icon != NULL)
    gtk_image_set_from_icon_name (icon, icon_name);
  adw_action_row_set_subtitle (row, text);
}

/* The text of a row's subtitle ("" when it has none). */
static const char *
row_text (AdwActionRow *row)
{
  const char *text = adw_action_row_get_subtitle (row);

  return text != NULL ? text : "";
}

static void
show_toast (TillPreferencesWindow *self,
            const char            *title)
{
  g_autofree char *markup = g_markup_escape_text (title, -1);   /* a toast's title is markup */
  AdwToast *toast = adw_toast_new (markup);

  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
  /* Short: a toast that outlived a newer result would speak over it. */
  adw_toast_set_timeout (toast, 2);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

/* One provider's line: in use, or why not (the runtime's words for that provider). While
 * electronic payment as a whole is not configured the runtime keeps one problem, said in the
 * line above; each provider's own is what its Test connection answers. */
static void
update_provider_status (TillPreferencesWindow *self,
                        const char            *name)
{
  TillPaymentRuntime *runtime = till_context_get_payment_runtime (self->context);
  ProviderSection section;
  g_autofree char *text = NULL;
  const char *problem;

  if (!provider_section (self, name, &section))
    return;
  switch (till_payment_runtime_get_payment_status (runtime))
    {
    case TILL_PAYMENT_STATUS_NOT_CONFIGURED:
      text = g_strdup_printf (_("%s not in use — “ Test connection” says what is missing"),
                              section.title);
      set_row_state (section.status_row, section.status_icon, text, "warning");
      return;
    case TILL_PAYMENT_STATUS_STARTING:
      text = g_strdup_printf (_("%s: starting…"), section.title);
      set_row_state (section.status_row, section.status_icon, text, NULL);
      return;
    case TILL_PAYMENT_STATUS_READY:
    default:
      break;
    }
  if (till_payment_runtime_get_provider (runtime, name) != NULL)
    {
      text = g_strdup_printf (_("%s in use"), section.title);
      set_row_state (section.status_row, section.status_icon, text, "success");
      return;
    }
  problem = till_payment_runtime_get_provider_problem (runtime, name);
  text = g_strdup_printf (_("%s not in use: %s"), section.title,
                          problem != NULL ? problem : _("unknown reason"));
  set_row_state (section.status_row, section.status_icon, text, "warning");
}

static void
update_payment_status (TillPreferencesWindow *self)
{
  g_autofree char *text = NULL;
  const char *state = NULL;
  TillPaymentRuntime *runtime = till_context_get_payment_runtime (self->context);

  switch (till_payment_runtime_get_payment_status (runtime))
    {
    case TILL_PAYMENT_STATUS_NOT_CONFIGURED:
      text = g_strdup_printf (_("Electronic payment not configured: %s"),
                              till_payment_runtime_get_payment_problem (runtime));
      state = "error";
      break;
    case TILL_PAYMENT_STATUS_STARTING:
      text = g_strdup (_("Starting, checking unfinished payments…"));
      break;
    case TILL_PAYMENT_STATUS_READY:
    default:
      text = g_strdup_printf (_("Electronic payment ready — %s, %" PRId64 " jobs waiting"),
                              till_payment_runtime_get_online (runtime)
                                ? _("online") : _("offline"),
                              till_payment_runtime_get_pending_count (runtime));
      state = "success";
      break;
    }
  set_row_state (self->payment_status_row, self->payment_status_row_icon, text, state);
  update_provider_status (self, TILL_WXPAY_PROVIDER_NAME);
  update_provider_status (self, TILL_ALIPAY_PROVIDER_NAME);
}

static void
runtime_notify_cb (GObject               *object,
                   GParamSpec            *pspec,
                   TillPreferencesWindow *self)
{
  update_payment_status (self);
}

typedef struct
{
  TillPreferencesWindow *self;
  const char            *name;   /* static: the provider's */
} TestCall;

static void
test_connection_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TestCall *call = user_data;
  g_autoptr(TillPreferencesWindow) self = call->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *answer = NULL;
  ProviderSection section;
  gboolean known = provider_section (self, call->name, &section);

  g_free (call);
  answer = till_payment_runtime_test_connection_finish (TILL_PAYMENT_RUNTIME (object), result,
                                                        &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !known)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (section.test_button), TRUE);
  if (answer != NULL)
    {
      g_message ("Test connection of %s: works", section.name);
      set_row_state (section.test_row, NULL, answer, "success");
      text = g_strdup_printf (_("%s the connection works"), section.title);
      show_toast (self, text);
      return;
    }
  g_message ("Test connection of %s failed: %s", section.name, error->message);
  text = g_strdup_printf (_("Connection failed: %s"), error->message);
  set_row_state (section.test_row, NULL, text, "error");
}

void
till_preferences_window_test_provider (TillPreferencesWindow *self,
                                       const char            *provider)
{
  ProviderSection section;
  TestCall *call;

  g_return_if_fail (TILL_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (provider != NULL);

  if (!provider_section (self, provider, &section))
    {
      g_warning ("Test connection: no payment provider named %s", provider);
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (section.test_button), FALSE);
  set_row_state (section.test_row, NULL, _("Testing…"), NULL);
  call = g_new0 (TestCall, 1);
  call->self = g_object_ref (self);
  call->name = section.name;
  till_payment_runtime_test_connection_async (till_context_get_payment_runtime (self->context),
                                              section.name, self->cancellable,
                                              test_connection_cb, call);
}

void
till_preferences_window_test_connection (TillPreferencesWindow *self)
{
  till_preferences_window_test_provider (self, TILL_WXPAY_PROVIDER_NAME);
}

static void
test_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  till_preferences_window_test_provider (TILL_PREFERENCES_WINDOW (widget),
                                         g_str_equal (action_name, "prefs.test-alipay")
                                           ? TILL_ALIPAY_PROVIDER_NAME
                                           : TILL_WXPAY_PROVIDER_NAME);
}

static void
refresh_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  till_preferences_window_refresh_devices (TILL_PREFERENCES_WINDOW (widget));
}

static void
chooser_response_cb (GtkNativeDialog       *dialog,
                     int                    response,
                     TillPreferencesWindow *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "till-entry");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        gtk_editable_set_text (entry, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);
}

static void
choose_file_action_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TillPreferencesWindow *self = TILL_PREFERENCES_WINDOW (widget);
  const char *target = g_variant_get_string (parameter, NULL);
  AdwEntryRow *entry;
  const char *title;
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (g_strcmp0 (target, "merchant-key") == 0)
    {
      entry = self->key_path_entry;
      title = _("Merchant private key");
    }
  else if (g_strcmp0 (target, "platform-key") == 0)
    {
      entry = self->pub_path_entry;
      title = _("Platform public key");
    }
  else if (g_strcmp0 (target, "alipay-app-key") == 0)
    {
      entry = self->alipay_key_path_entry;
      title = _("Alipay app private key");
    }
  else if (g_strcmp0 (target, "alipay-public-key") == 0)
    {
      entry = self->alipay_pub_path_entry;
      title = _("Alipay public key");
    }
  else
    {
      entry = self->ca_file_entry;
      title = _("CA certificate");
    }

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Choose"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("PEM files"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  gtk_file_filter_add_pattern (filter, "*.key");
  /* Alipay's key tool writes bare Base64 in .txt files. */
  gtk_file_filter_add_pattern (filter, "*.txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_set_data (G_OBJECT (chooser), "till-entry", entry);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

static void
till_preferences_window_bind_payment (TillPreferencesWindow *self)
{
  GSettings *settings = till_context_get_settings (self->context);
  TillSerialScanner *scanner = till_context_get_serial_scanner (self->context);
  const struct { const char *key; AdwEntryRow *entry; } entries[] = {
    { "api-base-url", self->base_url_entry },
    { "mchid", self->mchid_entry },
    { "appid", self->appid_entry },
    { "merchant-serial-no", self->serial_no_entry },
    { "merchant-key-path", self->key_path_entry },
    { "platform-public-key-path", self->pub_path_entry },
    { "platform-public-key-id", self->pub_id_entry },
    { "store-id", self->store_id_entry },
    { "device-id", self->device_id_entry },
    { "ca-file", self->ca_file_entry },
    { "alipay-gateway-url", self->alipay_gateway_entry },
    { "alipay-app-id", self->alipay_app_id_entry },
    { "alipay-app-private-key-path", self->alipay_key_path_entry },
    { "alipay-public-key-path", self->alipay_pub_path_entry },
  };
  /* The providers in use change with each build, which "payment-status" says. */
  const char *props[] = { "notify::payment-status", "notify::payment-problem", "notify::online",
                          "notify::pending-count", "notify::payment-service" };

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    g_settings_bind (settings, entries[i].key, entries[i].entry, "text",
                     G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "query-interval-ms", self->query_interval_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "pay-deadline-ms", self->deadline_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "http-timeout-ms", self->timeout_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "qr-provider", self->qr_provider_dropdown, "selected",
                                G_SETTINGS_BIND_DEFAULT, qr_provider_get_mapping,
                                qr_provider_set_mapping, NULL, NULL);
  g_settings_bind_with_mapping (settings, "serial-scanner-baud", self->baud_dropdown,
                                "selected", G_SETTINGS_BIND_DEFAULT,
                                baud_get_mapping, baud_set_mapping, NULL, NULL);

  till_preferences_window_refresh_devices (self);
  g_signal_connect (self->serial_dropdown, "notify::selected", G_CALLBACK (device_selected_cb),
                    self);
  g_signal_connect (self->camera_dropdown, "notify::selected", G_CALLBACK (device_selected_cb),
                    self);

  for (guint i = 0; i < G_N_ELEMENTS (props); i++)
    g_signal_connect_object (till_context_get_payment_runtime (self->context), props[i],
                             G_CALLBACK (runtime_notify_cb), self, 0);
  g_signal_connect_object (scanner, "notify::connected", G_CALLBACK (serial_notify_cb), self, 0);
  g_signal_connect_object (scanner, "notify::device", G_CALLBACK (serial_notify_cb), self, 0);
  update_payment_status (self);
  update_serial_status (self);
}

/* Brings `self->scroll_to` (a group of the payment page) to the top of the page once the
 * page has been laid out: it may just have been made visible. A few frames at most. */
static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  TillPreferencesWindow *self = TILL_PREFERENCES_WINDOW (widget);
  GtkWidget *group = GTK_WIDGET (self->scroll_to);
  GtkWidget *scroller = gtk_widget_get_ancestor (group, GTK_TYPE_SCROLLED_WINDOW);
  graphene_point_t top;

  if (scroller != NULL && gtk_widget_get_mapped (group) && gtk_widget_get_height (group) > 0
      && gtk_widget_compute_point (group, scroller, &GRAPHENE_POINT_INIT (0, 0), &top))
    {
      GtkAdjustment *adjustment
        = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + top.y - 12);
      self->scroll_tick = 0;
      return G_SOURCE_REMOVE;
    }
  if (++self->scroll_tries > 10)
    {
      self->scroll_tick = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Shows the payment page with `group` at its top and `entry` focused. */
static void
show_payment_group (TillPreferencesWindow *self,
                    AdwPreferencesGroup   *group,
                    AdwEntryRow           *entry)
{
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self), self->payment_page);
  gtk_widget_grab_focus (GTK_WIDGET (entry));
  self->scroll_to = group;
  self->scroll_tries = 0;
  if (self->scroll_tick == 0)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_tick_cb, NULL,
                                                      NULL);
}

void
till_preferences_window_show_provider (TillPreferencesWindow *self,
                                       const char            *provider)
{
  ProviderSection section;

  g_return_if_fail (TILL_IS_PREFERENCES_WINDOW (self));
  if (!provider_section (self, provider, &section))
    return;
  show_payment_group (self, section.group, section.first_entry);
}

void
till_preferences_window_show_payment (TillPreferencesWindow *self)
{
  TillPaymentRuntime *runtime;

  g_return_if_fail (TILL_IS_PREFERENCES_WINDOW (self));

  /* WeChat Pay's section, unless it is the one that works and Alipay's does not. */
  runtime = till_context_get_payment_runtime (self->context);
  if (till_payment_runtime_get_provider (runtime, TILL_WXPAY_PROVIDER_NAME) != NULL
      && till_payment_runtime_get_provider (runtime, TILL_ALIPAY_PROVIDER_NAME) == NULL)
    till_preferences_window_show_provider (self, TILL_ALIPAY_PROVIDER_NAME);
  else
    till_preferences_window_show_provider (self, TILL_WXPAY_PROVIDER_NAME);
}

const char *
till_preferences_window_get_last_toast (TillPreferencesWindow *self)
{
  g_return_val_if_fail (TILL_IS_PREFERENCES_WINDOW (self), NULL);
  return self->last_toast != NULL ? self->last_toast : "";
}

const char *
till_preferences_window_get_payment_status (TillPreferencesWindow *self)
{
  g_return_val_if_fail (TILL_IS_PREFERENCES_WINDOW (self), NULL);
  return row_text (self->payment_status_row);
}

const char *
till_preferences_window_get_test_result (TillPreferencesWindow *self)
{
  g_return_val_if_fail (TILL_IS_PREFERENCES_WINDOW (self), NULL);
  return row_text (self->test_row);
}

const char *
till_preferences_window_get_provider_status (TillPreferencesWindow *self,
                                             const char            *provider)
{
  ProviderSection section;

  g_return_val_if_fail (TILL_IS_PREFERENCES_WINDOW (self), NULL);
  if (!provider_section (self, provider, &section))
    return NULL;
  return row_text (section.status_row);
}

const char *
till_preferences_window_get_provider_test_result (TillPreferencesWindow *self,
                                                  const char            *provider)
{
  ProviderSection section;

  g_return_val_if_fail (TILL_IS_PREFERENCES_WINDOW (self), NULL);
  if (!provider_section (self, provider, &section))
    return NULL;
  return row_text (section.test_row);
}

GPtrArray *
till_preferences_window_get_serial_paths (TillPreferencesWindow *self)
{
  g_return_val_if_fail (TILL_IS_PREFERENCES_WINDOW (self), NULL);
  return self->serial_paths;
}

GPtrArray *
till_preferences_window_get_camera_paths (TillPreferencesWindow *self)
{
  g_return_val_if_fail (TILL_IS_PREFERENCES_WINDOW (self), NULL);
  return self->camera_paths;
}

/* ---- audit ---- */

/* Every change made while the window is open goes to the audit log, one row per key
 * (action "settings_change", actor the manager who approved the window), with the value
 * before and after: a second after the last change (typing in an entry is one change) and
 * when the window goes away. Changes that come back to the audited value leave no row. */
#define AUDIT_DELAY_MS 1000

/* None of today's keys holds a secret (the merchant's private key is a file: the settings
 * hold its path). A key named like a secret is audited by its name only, never its value. */
static gboolean
setting_is_secret (const char *key)
{
  static const char *const words[] = { "secret", "password", "passwd", "token", "apiv3",
                                       "api-v3" };

  if (g_str_has_suffix (key, "-key"))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strstr (key, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

static char *
audit_detail (const char *key,
              GVariant   *before,
              GVariant   *after,
              gint64      manager_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, key);
  if (setting_is_secret (key))
    {
      json_builder_set_member_name (builder, "secret");
      json_builder_add_boolean_value (builder, TRUE);
    }
  else
    {
      json_builder_set_member_name (builder, "from");
      json_builder_add_value (builder, before != NULL ? json_gvariant_serialize (before)
                                                      : json_node_new (JSON_NODE_NULL));
      json_builder_set_member_name (builder, "to");
      json_builder_add_value (builder, json_gvariant_serialize (after));
    }
  json_builder_set_member_name (builder, "manager_id");
  if (manager_id > 0)
    json_builder_add_int_value (builder, manager_id);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

typedef struct
{
  char      *actor;
  GPtrArray *details;   /* char* */
} AuditJob;

static void
audit_job_free (gpointer data)
{
  AuditJob *job = data;

  g_free (job->actor);
  g_ptr_array_unref (job->details);
  g_free (job);
}

static gpointer
audit_job (TillStore *store,
           gpointer   data,
           GError   **error)
{
  AuditJob *job = data;

  for (guint i = 0; i < job->details->len; i++)
    if (!till_store_audit (store, job->actor, "settings_change",
                           g_ptr_array_index (job->details, i), error))
      return NULL;
  return GINT_TO_POINTER (1);
}

static void
audit_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (till_store_run_finish (TILL_STORE (object), result, &error) == NULL)
    g_warning ("The settings changes could not be written to the audit log: %s",
               error->message);
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Writes the changed keys to the audit log (on the store thread); returns how many. */
static guint
audit_flush (TillPreferencesWindow *self)
{
  GSettings *settings;
  g_autofree gpointer *keys = NULL;
  AuditJob *job;
  guint n_keys = 0;
  guint n_written;
  const char *actor;

  g_clear_handle_id (&self->audit_id, g_source_remove);
  if (self->context == NULL || self->dirty == NULL || g_hash_table_size (self->dirty) == 0)
    return 0;

  settings = till_context_get_settings (self->context);
  actor = self->actor != NULL ? self->actor : till_context_get_cashier (self->context);
  job = g_new0 (AuditJob, 1);
  job->actor = g_strdup (actor != NULL ? actor : "");
  job->details = g_ptr_array_new_with_free_func (g_free);

  keys = g_hash_table_get_keys_as_array (self->dirty, &n_keys);
  qsort (keys, n_keys, sizeof (gpointer), compare_keys);
  for (guint i = 0; i < n_keys; i++)
    {
      const char *key = keys[i];
      g_autoptr(GVariant) value = g_settings_get_value (settings, key);
      GVariant *before = g_hash_table_lookup (self->audited, key);

      if (before != NULL && g_variant_equal (before, value))
        continue;
      g_ptr_array_add (job->details, audit_detail (key, before, value, self->manager_id));
      g_message ("Setting %s changed by %s", key, job->actor);
      g_hash_table_replace (self->audited, g_strdup (key), g_variant_ref (value));
    }
  g_hash_table_remove_all (self->dirty);

  n_written = job->details->len;
  if (n_written == 0)
    {
      audit_job_free (job);
      return 0;
    }
  /* Not cancelled with the window: the rows are written after it is gone. */
  till_store_run_async (till_context_get_store (self->context), audit_job, job, audit_job_free,
                        NULL, NULL, audit_done_cb, NULL);
  return n_written;
}

static gboolean
audit_timeout_cb (gpointer user_data)
{
  TillPreferencesWindow *self = user_data;

  self->audit_id = 0;
  /* GSettings has the values already; the toast says they are taken. */
  if (audit_flush (self) > 0)
    show_toast (self, _("Settings saved"));
  return G_SOURCE_REMOVE;
}

static void
settings_changed_cb (GSettings             *settings,
                     const char            *key,
                     TillPreferencesWindow *self)
{
  g_hash_table_add (self->dirty, g_strdup (key));
  g_clear_handle_id (&self->audit_id, g_source_remove);
  self->audit_id = g_timeout_add (AUDIT_DELAY_MS, audit_timeout_cb, self);
}

static void
till_preferences_window_watch_changes (TillPreferencesWindow *self)
{
  GSettings *settings = till_context_get_settings (self->context);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_hash_table_insert (self->audited, g_strdup (keys[i]),
                         g_settings_get_value (settings, keys[i]));
  g_signal_connect_object (settings, "changed", G_CALLBACK (settings_changed_cb), self, 0);
}

void
till_preferences_window_set_approver (TillPreferencesWindow *self,
                                      const TillPerson      *manager)
{
  g_return_if_fail (TILL_IS_PREFERENCES_WINDOW (self));

  /* Changes made so far belong to the one who made them. */
  audit_flush (self);
  g_free (self->actor);
  self->actor = manager != NULL ? g_strdup (manager->name) : NULL;
  self->manager_id = manager != NULL ? manager->id : 0;
}

static void
till_preferences_window_dispose (GObject *object)
{
  TillPreferencesWindow *self = TILL_PREFERENCES_WINDOW (object);

  audit_flush (self);
  if (self->scroll_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick);
  self->scroll_tick = 0;
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (till_context_get_settings (self->context), self);
  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->serial_paths, g_ptr_array_unref);
  g_clear_pointer (&self->camera_paths, g_ptr_array_unref);
  g_clear_pointer (&self->audited, g_hash_table_unref);
  g_clear_pointer (&self->dirty, g_hash_table_unref);

  G_OBJECT_CLASS (till_preferences_window_parent_class)->dispose (object);
}

static void
till_preferences_window_finalize (GObject *object)
{
  TillPreferencesWindow *self = TILL_PREFERENCES_WINDOW (object);

  g_free (self->actor);
  g_free (self->last_toast);

  G_OBJECT_CLASS (till_preferences_window_parent_class)->finalize (object);
}

static void
till_preferences_window_class_init (TillPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_preferences_window_dispose;
  object_class->finalize = till_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, monitor_names);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, store_name_entry);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, till_id_entry);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, backup_dir_entry);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, backup_keep_spin);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        backup_interval_spin);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        wedge_threshold_spin);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        wedge_min_length_spin);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, item_digits_spin);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        value_kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, monitor_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, fullscreen_switch);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        require_signin_switch);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        bilingual_labels_switch);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        receipt_printer_entry);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        receipt_width_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        cash_rounding_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        total_rounding_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        discount_limit_spin);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, serial_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, baud_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, camera_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, payment_page);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, devices_page);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, wechat_group);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, alipay_group);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, payment_status_row);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        payment_status_row_icon);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, base_url_entry);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, mchid_entry);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, appid_entry);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, serial_no_entry);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, key_path_entry);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, pub_path_entry);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, pub_id_entry);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, store_id_entry);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, device_id_entry);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, ca_file_entry);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        query_interval_spin);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, deadline_spin);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, test_button);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, test_row);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        qr_provider_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, wechat_status_row);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        wechat_status_row_icon);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, alipay_status_row);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        alipay_status_row_icon);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        alipay_gateway_entry);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        alipay_app_id_entry);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        alipay_key_path_entry);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        alipay_pub_path_entry);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        alipay_test_button);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, alipay_test_row);

  gtk_widget_class_install_action (widget_class, "prefs.refresh-devices", NULL,
                                   refresh_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "prefs.refresh-devices",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "prefs.test-connection", NULL,
                                   test_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK,
                                       "prefs.test-connection", NULL);
  gtk_widget_class_install_action (widget_class, "prefs.test-alipay", NULL, test_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "prefs.test-alipay", NULL);
  gtk_widget_class_install_action (widget_class, "prefs.choose-file", "s",
                                   choose_file_action_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

/* Escape closes the window, as in every manager window: also while a toast shows (a toast
 * would take the first Escape for itself). In the search entry it ends the search. */
static gboolean
escape_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   TillPreferencesWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (keyval != GDK_KEY_Escape
      || (state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;
  if (focus != NULL && gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY) != NULL)
    return GDK_EVENT_PROPAGATE;
  gtk_window_close (GTK_WINDOW (self));
  return GDK_EVENT_STOP;
}

static void
till_preferences_window_init (TillPreferencesWindow *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (escape_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  self->serial_paths = g_ptr_array_new_with_free_func (g_free);
  self->camera_paths = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  self->audited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_variant_unref);
  self->dirty = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* The wheel scrolls the page; it changes a value only once that value is picked. */
  till_ui_guard_scroll_within (GTK_WIDGET (self));
  /* A till ID is printed on receipts and in sale numbers: eight characters at most. */
  gtk_text_set_max_length (
    GTK_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (self->till_id_entry))), 8);
}

TillPreferencesWindow *
till_preferences_window_new (GtkWindow   *parent,
                             TillContext *context)
{
  TillPreferencesWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  self = g_object_new (TILL_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->context = g_object_ref (context);
  till_preferences_window_bind_settings (self);
  till_preferences_scale_add (self->devices_page, context);
  till_preferences_window_bind_payment (self);
  till_preferences_members_add (self->payment_page, till_context_get_settings (context),
                                &self->members);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (till_preferences_hq_new (context)));
  till_preferences_window_watch_changes (self);
  return self;
}
