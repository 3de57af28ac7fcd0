/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillDemoPhone: the simulated wallet of demo mode, talking to the in-process simulator. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "till-demo-phone.h"
#include "till-ui-util.h"

struct _TillDemoPhone
{
  GtkWindow            parent_instance;

  TillContext         *context;
  TillCustomerDisplay *display;       /* weak */
  char                *sim_base_url;
  SoupSession         *session;
  GCancellable        *cancellable;

  char                *code;
  TillDemoWallet       wallet;
  TillDemoOutcome      outcome;
  gint64               code_expires_us;   /* monotonic */
  guint                tick_id;
  char                *status;
  GdkTexture          *qr_texture;
  GdkTexture          *bar_texture;

  GtkLabel            *title_label;
  GtkDropDown         *outcome_dropdown;
  GtkPicture          *qr_picture;
  GtkPicture          *bar_picture;
  GtkLabel            *number_label;
  GtkLabel            *countdown_label;
  GtkLabel            *status_label;
};

G_DEFINE_FINAL_TYPE (TillDemoPhone, till_demo_phone, GTK_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_WALLET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct
{
  const char *name;       /* the provider's name */
  const char *title;      /* the page's title */
  const char *css_class;  /* on the window: the wallet's colours */
} wallets[TILL_DEMO_N_WALLETS] = {
  [TILL_DEMO_WALLET_WECHAT] = { "wechat", N_("WeChat Pay · Payment code"), "wallet-wechat" },
  [TILL_DEMO_WALLET_ALIPAY] = { "alipay", N_("Alipay · Payment code"), "wallet-alipay" },
};

const char *
till_demo_wallet_to_string (TillDemoWallet wallet)
{
  g_return_val_if_fail (wallet < TILL_DEMO_N_WALLETS, NULL);
  return wallets[wallet].name;
}

/* ---- codes ---- */

static const struct
{
  const char *ending;
  const char *label;
} outcomes[TILL_DEMO_N_OUTCOMES] = {
  [TILL_DEMO_OUTCOME_SUCCESS] = { NULL, N_("Pays at once") },
  [TILL_DEMO_OUTCOME_PASSWORD] = { "1111", N_("Password needed (8 s)") },
  [TILL_DEMO_OUTCOME_NOT_ENOUGH] = { "2222", N_("Insufficient balance") },
  [TILL_DEMO_OUTCOME_EXPIRED] = { "3333", N_("Code expired") },
  [TILL_DEMO_OUTCOME_SYSTEM_ERROR] = { "4444", N_("System error (but charged)") },
  [TILL_DEMO_OUTCOME_NO_ANSWER] = { "5555", N_("No answer (timeout, charged)") },
  [TILL_DEMO_OUTCOME_WALKS_AWAY] = { "6666", N_("Customer walks away") },
  [TILL_DEMO_OUTCOME_PAY_ERROR] = { "7777", N_("Payment fails after 6 s") },
  [TILL_DEMO_OUTCOME_BAD_SIGNATURE] = { "8888", N_("Bad signature (charged)") },
  [TILL_DEMO_OUTCOME_DROPPED] = { "9999", N_("Connection dropped (charged)") },
};

TillDemoOutcome
till_demo_phone_code_outcome (const char *code)
{
  gsize len;

  g_return_val_if_fail (code != NULL, TILL_DEMO_OUTCOME_SUCCESS);

  len = strlen (code);
  if (len < 4)
    return TILL_DEMO_OUTCOME_SUCCESS;
  for (guint i = 1; i < TILL_DEMO_N_OUTCOMES; i++)
    if (strcmp (code + len - 4, outcomes[i].ending) == 0)
      return i;
  return TILL_DEMO_OUTCOME_SUCCESS;
}

char *
till_demo_phone_make_wallet_code (TillDemoWallet  wallet,
                                  TillDemoOutcome outcome)
{
  GString *code = g_string_sized_new (18);

  g_return_val_if_fail (wallet < TILL_DEMO_N_WALLETS, NULL);
  g_return_val_if_fail (outcome < TILL_DEMO_N_OUTCOMES, NULL);

  /* WeChat payment codes: 18 digits starting 10–15; Alipay's as most wallets show them: 18
   * digits starting 25–30 (alipay.md §7 allows 16–24). */
  if (wallet == TILL_DEMO_WALLET_ALIPAY)
    g_string_append_printf (code, "%d", g_random_int_range (25, 31));
  else
    g_string_append_printf (code, "1%d", g_random_int_range (0, 6));
  for (guint i = 0; i < 12; i++)
    g_string_append_c (code, '0' + g_random_int_range (0, 10));

  if (outcomes[outcome].ending != NULL)
    g_string_append (code, outcomes[outcome].ending);
  else
    do
      {
        g_string_truncate (code, 14);
        for (guint i = 0; i < 4; i++)
          g_string_append_c (code, '0' + g_random_int_range (0, 10));
      }
    while (till_demo_phone_code_outcome (code->str) != TILL_DEMO_OUTCOME_SUCCESS);

  return g_string_free (code, FALSE);
}

char *
till_demo_phone_make_code (TillDemoOutcome outcome)
{
  return till_demo_phone_make_wallet_code (TILL_DEMO_WALLET_WECHAT, outcome);
}

char *
till_demo_phone_group_digits (const char *code)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (code != NULL, NULL);

  for (gsize i = 0; code[i] != '\0'; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, code[i]);
    }
  return g_string_free (out, FALSE);
}

/* ---- showing the code ---- */

static void
set_status (TillDemoPhone *self,
            const char    *status)
{
  g_free (self->status);
  self->status = g_strdup (status);
  gtk_label_set_text (self->status_label, status);
}

static void
update_countdown (TillDemoPhone *self)
{
  g_autofree char *text = NULL;
  guint left = till_demo_phone_get_seconds_left (self);

  text = g_strdup_printf (_("New code in %1$u s"), left);
  gtk_label_set_text (self->countdown_label, text);
}

static void
new_code (TillDemoPhone *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillCodeImage) qr = NULL;
  g_autoptr(TillCodeImage) bar = NULL;
  g_autofree char *grouped = NULL;

  g_free (self->code);
  self->code = till_demo_phone_make_wallet_code (self->wallet, self->outcome);
  self->code_expires_us = g_get_monotonic_time ()
                          + (gint64) TILL_DEMO_PHONE_CODE_LIFETIME_S * G_USEC_PER_SEC;

  g_clear_object (&self->qr_texture);
  g_clear_object (&self->bar_texture);
  qr = till_code_image_render_qr (self->code, 6, &error);
  if (qr != NULL)
    self->qr_texture = till_ui_texture_from_code_image (qr);
  else
    g_warning ("demo phone QR: %s", error->message);
  g_clear_error (&error);
  bar = till_code_image_render_code128 (self->code, 2, 70, &error);
  if (bar != NULL)
    self->bar_texture = till_ui_texture_from_code_image (bar);
  else
    g_warning ("demo phone barcode: %s", error->message);

  gtk_picture_set_paintable (self->qr_picture, GDK_PAINTABLE (self->qr_texture));
  gtk_picture_set_paintable (self->bar_picture, GDK_PAINTABLE (self->bar_texture));
  grouped = till_demo_phone_group_digits (self->code);
  gtk_label_set_text (self->number_label, grouped);
  update_countdown (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  TillDemoPhone *self = user_data;

  if (g_get_monotonic_time () >= self->code_expires_us)
    new_code (self);
  else
    update_countdown (self);
  return G_SOURCE_CONTINUE;
}

static void
outcome_selected_cb (GtkDropDown   *dropdown,
                     GParamSpec    *pspec,
                     TillDemoPhone *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected >= TILL_DEMO_N_OUTCOMES || selected == self->outcome)
    return;
  self->outcome = selected;
  new_code (self);
  set_status (self, _(outcomes[selected].label));
}

static void
show_wallet (TillDemoPhone *self)
{
  for (guint i = 0; i < TILL_DEMO_N_WALLETS; i++)
    if (i == self->wallet)
      gtk_widget_add_css_class (GTK_WIDGET (self), wallets[i].css_class);
    else
      gtk_widget_remove_css_class (GTK_WIDGET (self), wallets[i].css_class);
  gtk_label_set_text (self->title_label, _(wallets[self->wallet].title));
}

/* ---- the simulator's control API ---- */

typedef void (*ControlDone) (TillDemoPhone *self,
                             guint          status,
                             JsonNode      *answer,
                             const GError  *error,
                             gpointer       data);

typedef struct
{
  TillDemoPhone *self;
  ControlDone    done;
  gpointer       data;
  GDestroyNotify data_free;
} ControlCall;

static void
control_call_free (ControlCall *call)
{
  g_clear_object (&call->self);
  if (call->data_free != NULL)
    call->data_free (call->data);
  g_free (call);
}

static void
control_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  ControlCall *call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  guint status = 0;
  JsonNode *answer = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      control_call_free (call);
      return;
    }
  if (body != NULL)
    {
      status = soup_message_get_status (msg);
      if (g_bytes_get_size (body) > 0
          && json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                         g_bytes_get_size (body), NULL))
        answer = json_parser_get_root (parser);
    }
  call->done (call->self, status, answer, error, call->data);
  control_call_free (call);
}

static void
control (TillDemoPhone *self,
         const char    *method,
         const char    *path,
         const char    *json_body,
         ControlDone    done,
         gpointer       data,
         GDestroyNotify data_free)
{
  g_autofree char *url = g_strconcat (self->sim_base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  ControlCall *call;

  if (msg == NULL)
    {
      set_status (self, _("The simulator's address is not valid"));
      if (data_free != NULL)
        data_free (data);
      return;
    }
  if (json_body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (json_body, strlen (json_body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  call = g_new0 (ControlCall, 1);
  call->self = g_object_ref (self);
  call->done = done;
  call->data = data;
  call->data_free = data_free;
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, self->cancellable,
                                    control_cb, call);
}

static void
fault_done (TillDemoPhone *self,
            guint          status,
            JsonNode      *answer,
            const GError  *error,
            gpointer       data)
{
  g_autofree char *text = NULL;

  if (status >= 200 && status < 300)
    {
      set_status (self, data);
      /* The status bar follows at once instead of at the next periodic check. */
      till_payment_runtime_probe_now (till_context_get_payment_runtime (self->context));
      return;
    }
  text = g_strdup_printf (_("The simulator refused: %s"),
                          error != NULL ? error->message : soup_status_get_phrase (status));
  set_status (self, text);
}

/* ---- "Scan QR": pay the QR order shown on the customer display ---- */

static void
qr_pay_done (TillDemoPhone *self,
             guint          status,
             JsonNode      *answer,
             const GError  *error,
             gpointer       data)
{
  g_autofree char *text = NULL;
  const char *said = data;   /* what the phone says when the simulator took it */
  const char *code = NULL;

  if (status >= 200 && status < 300)
    {
      set_status (self, said);
      return;
    }
  /* The simulator's own words ("TRADE_HAS_CLOSE": the QR code is dead) say most. */
  if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
    code = json_object_get_string_member_with_default (json_node_get_object (answer), "code",
                                                       NULL);
  text = g_strdup_printf (_("Payment refused: %s"),
                          error != NULL ? error->message
                          : code != NULL ? code : soup_status_get_phrase (status));
  set_status (self, text);
}

/* The customer scans an Alipay precreate QR: the outcome picker says what the customer does
 * (alipay.md §11.1: pay at once, confirm with the password, or decline). */
static void
alipay_scan (TillDemoPhone *self,
             const char    *out_trade_no)
{
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *escaped = g_uri_escape_string (out_trade_no, NULL, FALSE);
  const char *outcome = "pay";
  const char *said = _("Paid with Alipay on the phone");

  if (self->outcome == TILL_DEMO_OUTCOME_PASSWORD)
    {
      outcome = "password";
      said = _("Alipay: the customer confirms with the password (8 s)");
    }
  else if (self->outcome == TILL_DEMO_OUTCOME_PAY_ERROR)
    {
      outcome = "decline";
      said = _("Alipay: the customer declines (closed after 6 s)");
    }
  path = g_strdup_printf ("/_sim/alipay/scan/%s", escaped);
  body = g_strdup_printf ("{\"outcome\":\"%s\"}", outcome);
  set_status (self, _("Paying…"));
  control (self, "POST", path, body, qr_pay_done, (gpointer) said, NULL);
}

static void
ledger_done (TillDemoPhone *self,
             guint          status,
             JsonNode      *answer,
             const GError  *error,
             gpointer       data)
{
  const char *code_url = data;
  JsonObject *root;
  JsonArray *orders;
  const char *out_trade_no = NULL;
  const char *provider = NULL;

  if (status != 200 || answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    {
      set_status (self, _("The simulator cannot be reached"));
      return;
    }
  root = json_node_get_object (answer);
  orders = json_object_get_array_member (root, "orders");
  for (guint i = 0; orders != NULL && i < json_array_get_length (orders); i++)
    {
      JsonObject *order = json_array_get_object_element (orders, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (order, "code_url", NULL),
                     code_url) == 0)
        {
          out_trade_no = json_object_get_string_member_with_default (order, "out_trade_no",
                                                                     NULL);
          provider = json_object_get_string_member_with_default (order, "provider", NULL);
        }
    }
  if (out_trade_no == NULL)
    {
      set_status (self, _("No order for this QR code"));
      return;
    }
  if (g_strcmp0 (provider, wallets[TILL_DEMO_WALLET_ALIPAY].name) == 0)
    {
      alipay_scan (self, out_trade_no);
      return;
    }
  {
    g_autofree char *escaped = g_uri_escape_string (out_trade_no, NULL, FALSE);
    g_autofree char *path = g_strdup_printf ("/_sim/native/%s/pay", escaped);

    set_status (self, _("Paying…"));
    control (self, "POST", path, "{}", qr_pay_done, (gpointer) _("Paid on the phone"),
             NULL);
  }
}

/* ---- actions ---- */

static void
scan_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TillDemoPhone *self = TILL_DEMO_PHONE (widget);
  g_autofree char *text = NULL;

  till_scanner_hub_feed (till_context_get_scanner_hub (self->context), self->code,
                         TILL_SCAN_SOURCE_DEMO);
  text = g_strdup_printf (_("Code shown to the till: %s"),
                          _(outcomes[self->outcome].label));
  set_status (self, text);
}

static void
pay_qr_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TillDemoPhone *self = TILL_DEMO_PHONE (widget);
  const char *code_url = self->display != NULL
                           ? till_customer_display_get_code_url (self->display) : NULL;

  if (code_url == NULL)
    {
      set_status (self, _("No QR code on the customer display (press F7 at the till first)"));
      return;
    }
  control (self, "GET", "/_sim/ledger", NULL, ledger_done, g_strdup (code_url), g_free);
}

static void
new_code_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TillDemoPhone *self = TILL_DEMO_PHONE (widget);

  new_code (self);
  set_status (self, _("New payment code"));
}

/* Every call to either provider is dropped before it reaches it, until cleared: WeChat Pay's
 * /v3/ API first, then (once that fault is armed) Alipay's gateway. */
#define DROP_WECHAT "{\"path_prefix\":\"/v3/\",\"kind\":\"drop\",\"count\":1000000}"
#define DROP_ALIPAY \
  "{\"path_prefix\":\"/gateway.do\",\"kind\":\"drop\",\"count\":1000000}"

static void
network_down_wechat_done (TillDemoPhone *self,
                          guint          status,
                          JsonNode      *answer,
                          const GError  *error,
                          gpointer       data)
{
  if (status < 200 || status >= 300)
    {
      fault_done (self, status, answer, error, data);
      return;
    }
  control (self, "POST", "/_sim/faults", DROP_ALIPAY, fault_done, data, NULL);
}

static void
network_down_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  control (TILL_DEMO_PHONE (widget), "POST", "/_sim/faults", DROP_WECHAT,
           network_down_wechat_done,
           (gpointer) _("Network down: every call to the payment API fails"), NULL);
}

static void
slow_network_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TillDemoPhone *self = TILL_DEMO_PHONE (widget);

  /* The next payment answer of the wallet shown comes after the till has stopped waiting
   * (in doubt). */
  if (self->wallet == TILL_DEMO_WALLET_ALIPAY)
    control (self, "POST", "/_sim/faults",
             "{\"path_prefix\":\"/gateway.do\",\"method\":\"alipay.trade.pay\","
             "\"kind\":\"delay\",\"ms\":15000,\"count\":1}",
             fault_done,
             (gpointer) _("The next Alipay payment answers after 15 s"),
             NULL);
  else
    control (self, "POST", "/_sim/faults",
             "{\"path_prefix\":\"/v3/pay/transactions/codepay\",\"kind\":\"delay\","
             "\"ms\":15000,\"count\":1}",
             fault_done, (gpointer) _("The next payment answers after 15 s"),
             NULL);
}

static void
network_back_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  control (TILL_DEMO_PHONE (widget), "DELETE", "/_sim/faults", NULL, fault_done,
           (gpointer) _("Network back"), NULL);
}

/* ---- GObject ---- */

static void
till_demo_phone_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TillDemoPhone *self = TILL_DEMO_PHONE (object);

  switch (prop_id)
    {
    case PROP_WALLET:
      g_value_set_string (value, wallets[self->wallet].name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_demo_phone_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TillDemoPhone *self = TILL_DEMO_PHONE (object);
  const char *name = g_value_get_string (value);

  switch (prop_id)
    {
    case PROP_WALLET:
      for (guint i = 0; i < TILL_DEMO_N_WALLETS; i++)
        if (g_strcmp0 (name, wallets[i].name) == 0)
          {
            till_demo_phone_set_wallet (self, i);
            return;
          }
      g_warning ("demo phone: no wallet named %s", name != NULL ? name : "(null)");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_demo_phone_dispose (GObject *object)
{
  TillDemoPhone *self = TILL_DEMO_PHONE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_DEMO_PHONE);
  g_clear_weak_pointer (&self->display);
  g_clear_object (&self->context);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->qr_texture);
  g_clear_object (&self->bar_texture);

  G_OBJECT_CLASS (till_demo_phone_parent_class)->dispose (object);
}

static void
till_demo_phone_finalize (GObject *object)
{
  TillDemoPhone *self = TILL_DEMO_PHONE (object);

  g_free (self->sim_base_url);
  g_free (self->code);
  g_free (self->status);

  G_OBJECT_CLASS (till_demo_phone_parent_class)->finalize (object);
}

static void
till_demo_phone_class_init (TillDemoPhoneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_demo_phone_dispose;
  object_class->finalize = till_demo_phone_finalize;
  object_class->get_property = till_demo_phone_get_property;
  object_class->set_property = till_demo_phone_set_property;

  properties[PROP_WALLET] =
    g_param_spec_string ("wallet", NULL, NULL, "wechat",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-demo-phone.ui");
  gtk_widget_class_bind_template_child (widget_class, TillDemoPhone, title_label);
  gtk_widget_class_bind_template_child (widget_class, TillDemoPhone, outcome_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TillDemoPhone, qr_picture);
  gtk_widget_class_bind_template_child (widget_class, TillDemoPhone, bar_picture);
  gtk_widget_class_bind_template_child (widget_class, TillDemoPhone, number_label);
  gtk_widget_class_bind_template_child (widget_class, TillDemoPhone, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, TillDemoPhone, status_label);

  /* The wallet switch: a toggle button per wallet, its target the wallet's name. */
  gtk_widget_class_install_property_action (widget_class, "phone.wallet", "wallet");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_ALT_MASK,
                                       "phone.wallet", "s", "wechat");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_ALT_MASK,
                                       "phone.wallet", "s", "alipay");
  gtk_widget_class_install_action (widget_class, "phone.scan", NULL, scan_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_ALT_MASK,
                                       "phone.scan", NULL);
  gtk_widget_class_install_action (widget_class, "phone.pay-qr", NULL, pay_qr_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_q, GDK_ALT_MASK,
                                       "phone.pay-qr", NULL);
  gtk_widget_class_install_action (widget_class, "phone.new-code", NULL, new_code_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_ALT_MASK,
                                       "phone.new-code", NULL);
  gtk_widget_class_install_action (widget_class, "phone.network-down", NULL,
                                   network_down_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_ALT_MASK,
                                       "phone.network-down", NULL);
  gtk_widget_class_install_action (widget_class, "phone.slow-network", NULL,
                                   slow_network_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_ALT_MASK,
                                       "phone.slow-network", NULL);
  gtk_widget_class_install_action (widget_class, "phone.network-back", NULL,
                                   network_back_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_ALT_MASK,
                                       "phone.network-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
till_demo_phone_init (TillDemoPhone *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  till_ui_load_style ();

  self->cancellable = g_cancellable_new ();
  self->session = soup_session_new ();
  soup_session_set_timeout (self->session, 10);

  for (guint i = 0; i < TILL_DEMO_N_OUTCOMES; i++)
    gtk_string_list_append (labels, _(outcomes[i].label));
  gtk_drop_down_set_model (self->outcome_dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->outcome_dropdown, TILL_DEMO_OUTCOME_SUCCESS);
  g_signal_connect (self->outcome_dropdown, "notify::selected",
                    G_CALLBACK (outcome_selected_cb), self);

  self->outcome = TILL_DEMO_OUTCOME_SUCCESS;
  self->wallet = TILL_DEMO_WALLET_WECHAT;
  show_wallet (self);
  new_code (self);
  set_status (self, _("Pick an outcome, then press Scan"));
  self->tick_id = g_timeout_add (500, tick_cb, self);
}

TillDemoPhone *
till_demo_phone_new (TillContext         *context,
                     const char          *sim_base_url,
                     TillCustomerDisplay *display)
{
  TillDemoPhone *self;

  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (sim_base_url != NULL, NULL);
  g_return_val_if_fail (display == NULL || TILL_IS_CUSTOMER_DISPLAY (display), NULL);

  self = g_object_new (TILL_TYPE_DEMO_PHONE, NULL);
  self->context = g_object_ref (context);
  self->sim_base_url = g_strdup (sim_base_url);
  g_set_weak_pointer (&self->display, display);
  return self;
}

const char *
till_demo_phone_get_code (TillDemoPhone *self)
{
  g_return_val_if_fail (TILL_IS_DEMO_PHONE (self), NULL);
  return self->code;
}

TillDemoWallet
till_demo_phone_get_wallet (TillDemoPhone *self)
{
  g_return_val_if_fail (TILL_IS_DEMO_PHONE (self), TILL_DEMO_WALLET_WECHAT);
  return self->wallet;
}

void
till_demo_phone_set_wallet (TillDemoPhone  *self,
                            TillDemoWallet  wallet)
{
  g_return_if_fail (TILL_IS_DEMO_PHONE (self));
  g_return_if_fail (wallet < TILL_DEMO_N_WALLETS);

  if (wallet == self->wallet)
    return;
  self->wallet = wallet;
  show_wallet (self);
  new_code (self);
  set_status (self, wallet == TILL_DEMO_WALLET_ALIPAY
                      ? _("Alipay payment code")
                      : _("WeChat Pay payment code"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WALLET]);
}

TillDemoOutcome
till_demo_phone_get_outcome (TillDemoPhone *self)
{
  g_return_val_if_fail (TILL_IS_DEMO_PHONE (self), TILL_DEMO_OUTCOME_SUCCESS);
  return self->outcome;
}

void
till_demo_phone_set_outcome (TillDemoPhone   *self,
                             TillDemoOutcome  outcome)
{
  g_return_if_fail (TILL_IS_DEMO_PHONE (self));
  g_return_if_fail (outcome < TILL_DEMO_N_OUTCOMES);

  if (gtk_drop_down_get_selected (self->outcome_dropdown) != outcome)
    gtk_drop_down_set_selected (self->outcome_dropdown, outcome);
  else
    {
      self->outcome = outcome;
      new_code (self);
    }
}

guint
till_demo_phone_get_seconds_left (TillDemoPhone *self)
{
  gint64 left;

  g_return_val_if_fail (TILL_IS_DEMO_PHONE (self), 0);
  left = self->code_expires_us - g_get_monotonic_time ();
  return left <= 0 ? 0 : (guint) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

const char *
till_demo_phone_get_status (TillDemoPhone *self)
{
  g_return_val_if_fail (TILL_IS_DEMO_PHONE (self), NULL);
  return self->status;
}

GdkTexture *
till_demo_phone_get_qr_texture (TillDemoPhone *self)
{
  g_return_val_if_fail (TILL_IS_DEMO_PHONE (self), NULL);
  return self->qr_texture;
}

GdkTexture *
till_demo_phone_get_barcode_texture (TillDemoPhone *self)
{
  g_return_val_if_fail (TILL_IS_DEMO_PHONE (self), NULL);
  return self->bar_texture;
}
