/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCashierWindow: the sale on screen, its totals and messages, and the GObject. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <inttypes.h>

#include "till-cashier-window-private.h"
#include "till-people.h"
#include "till-ui-util.h"

G_DEFINE_FINAL_TYPE (TillCashierWindow, till_cashier_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_SALE,
  PROP_CHANGE_FEN,
  PROP_PAYMENT_STATE,
  PROP_PAYMENT_MESSAGE,
  PROP_CODE_URL,
  PROP_DUE_FEN,
  PROP_PAID_FEN,
  PROP_EPAY_READY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------------------ */
/* Messages                                                                              */

void
till_cashier_window_show_message (TillCashierWindow *self,
                                  TillMessageKind    kind,
                                  const char        *message)
{
  GtkWidget *label;

  g_return_if_fail (TILL_IS_CASHIER_WINDOW (self));
  g_return_if_fail (message != NULL);

  g_free (self->message);
  self->message = g_strdup (message);

  label = GTK_WIDGET (self->message_label);
  gtk_label_set_text (self->message_label, message);
  gtk_widget_set_tooltip_text (label, message);
  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "success");
  if (kind == TILL_MESSAGE_ERROR)
    {
      gtk_widget_add_css_class (label, "error");
      gtk_widget_error_bell (GTK_WIDGET (self));
      g_message ("cashier: %s", message);
    }
  else if (kind == TILL_MESSAGE_SUCCESS)
    gtk_widget_add_css_class (label, "success");

  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
}

const char *
till_cashier_window_get_message (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), NULL);
  return self->message;
}

void
_till_cashier_window_show_error (TillCashierWindow *self,
                                 const char        *prefix,
                                 const GError      *error)
{
  g_autofree char *text = NULL;

  g_warning ("%s: %s", prefix, error != NULL ? error->message : "unknown error");
  text = g_strdup_printf ("%s: %s", prefix, error != NULL ? error->message : _("unknown error"));
  till_cashier_window_show_message (self, TILL_MESSAGE_ERROR, text);
}

/* ------------------------------------------------------------------------------------ */
/* The sale on screen                                                                    */

static void
till_cashier_window_update_totals (TillCashierWindow *self)
{
  g_autofree char *total = NULL;
  g_autofree char *count = NULL;
  gint64 items = 0;
  guint n_lines = 0;
  TillSaleState state = TILL_SALE_STATE_OPEN;

  if (self->sale != NULL)
    {
      n_lines = g_list_model_get_n_items (G_LIST_MODEL (self->sale));
      items = till_ui_sale_count_items (self->sale);
      total = till_money_format (till_sale_get_total_fen (self->sale));
      state = till_sale_get_state (self->sale);
      gtk_label_set_text (self->sale_number_label, till_sale_get_number (self->sale));
    }
  else
    {
      total = till_money_format (0);
      gtk_label_set_text (self->sale_number_label, "—");
    }

  gtk_label_set_text (self->total_label, total);
  count = g_strdup_printf (_("%u 行 lines · %" PRId64 " 件 items"), n_lines, items);
  gtk_label_set_text (self->count_label, count);

  switch (state)
    {
    case TILL_SALE_STATE_PAID:
      gtk_label_set_text (self->sale_state_label, _("已付款 PAID"));
      break;
    case TILL_SALE_STATE_VOIDED:
      gtk_label_set_text (self->sale_state_label, _("已作废 VOIDED"));
      break;
    case TILL_SALE_STATE_SUSPENDED:
      gtk_label_set_text (self->sale_state_label, _("挂单 SUSPENDED"));
      break;
    case TILL_SALE_STATE_REFUNDED:
      gtk_label_set_text (self->sale_state_label, _("已退款 REFUNDED"));
      break;
    case TILL_SALE_STATE_OPEN:
    default:
      gtk_label_set_text (self->sale_state_label, _("销售中 OPEN"));
      break;
    }

  if (self->change_fen >= 0)
    {
      g_autofree char *change = till_money_format (self->change_fen);
      g_autofree char *tendered = till_money_format (self->tendered_fen);
      g_autofree char *tendered_text = g_strdup_printf (_("实收 Tendered %s"), tendered);

      gtk_label_set_text (self->change_label, change);
      gtk_label_set_text (self->tendered_label, tendered_text);
      gtk_widget_set_visible (GTK_WIDGET (self->change_box), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->change_box), FALSE);

  _till_cashier_window_update_actions (self);
  _till_cashier_window_notify_payment (self);
}

void
_till_cashier_window_update_actions (TillCashierWindow *self)
{
  gboolean open = self->sale != NULL && till_sale_get_state (self->sale) == TILL_SALE_STATE_OPEN;
  gboolean has_lines = self->sale != NULL
                       && g_list_model_get_n_items (G_LIST_MODEL (self->sale)) > 0;
  gboolean selected = gtk_single_selection_get_selected_item (self->selection) != NULL;
  gboolean live = self->pay_starting || self->live_payment_id != 0;
  gboolean locked = _till_cashier_window_cart_locked (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cashier.cash",
                                 open && has_lines && !self->busy && !live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cashier.quantity",
                                 open && selected && !self->busy && !locked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cashier.void-line",
                                 open && selected && !self->busy && !locked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cashier.void-sale",
                                 open && has_lines && !self->busy && !live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cashier.new-sale", !self->busy && !live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cashier.customer-scans",
                                 open && has_lines && !self->busy && !live
                                 && till_context_get_payment_service (self->context) != NULL);
  /* A payment being reversed is already being cancelled. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cashier.cancel-payment",
                                 self->live_payment_id != 0
                                 && g_strcmp0 (self->pay_state, "reversing") != 0);
}

void
_till_cashier_window_notify_payment (TillCashierWindow *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAYMENT_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAYMENT_MESSAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE_URL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DUE_FEN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAID_FEN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EPAY_READY]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
save_sale_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TillCashierWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!till_store_save_sale_finish (TILL_STORE (object), result, &error))
    _till_cashier_window_show_error (self, _("保存失败 The sale could not be saved"), error);
}

static void
sale_changed_cb (TillSale          *sale,
                 TillCashierWindow *self)
{
  /* Only the open cart is saved from here; a paid or voided sale was written by the
   * store in the same transaction that closed it. */
  if (till_sale_get_state (sale) == TILL_SALE_STATE_OPEN)
    till_store_save_sale_async (till_context_get_store (self->context), sale,
                                till_context_get_cashier (self->context),
                                till_context_get_till_id (self->context),
                                NULL, save_sale_cb, g_object_ref (self));

  till_cashier_window_update_totals (self);
}

static void
sale_total_notify_cb (TillSale          *sale,
                      GParamSpec        *pspec,
                      TillCashierWindow *self)
{
  till_cashier_window_update_totals (self);
}

void
_till_cashier_window_set_sale (TillCashierWindow *self,
                               TillSale          *sale)
{
  g_return_if_fail (sale == NULL || TILL_IS_SALE (sale));

  if (self->sale == sale)
    return;

  if (self->sale != NULL)
    g_signal_handlers_disconnect_by_data (self->sale, self);

  g_set_object (&self->sale, sale);
  self->change_fen = -1;
  self->tendered_fen = 0;
  self->live_payment_id = 0;
  self->shown_payment_id = 0;
  self->paid_fen = 0;
  self->due_fen = sale != NULL ? till_sale_get_total_fen (sale) : 0;
  self->pay_deadline_us = 0;
  g_clear_pointer (&self->pay_state, g_free);
  g_clear_pointer (&self->pay_message, g_free);
  g_clear_pointer (&self->code_url, g_free);

  if (sale != NULL)
    {
      g_signal_connect (sale, "changed", G_CALLBACK (sale_changed_cb), self);
      g_signal_connect (sale, "notify::total-fen", G_CALLBACK (sale_total_notify_cb), self);
    }

  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (sale));
  till_cashier_window_update_totals (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SALE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANGE_FEN]);
  _till_cashier_window_payments_refresh (self);
  _till_cashier_window_notify_payment (self);
}

/* tendered_fen < 0: paid electronically (no change on screen). */
void
_till_cashier_window_paid (TillCashierWindow *self,
                           gint64             tendered_fen,
                           gint64             change_fen)
{
  g_autofree char *change = NULL;
  g_autofree char *text = NULL;

  self->tendered_fen = MAX (tendered_fen, 0);
  self->change_fen = tendered_fen < 0 ? -1 : change_fen;
  self->due_fen = 0;
  till_sale_set_state (self->sale, TILL_SALE_STATE_PAID);
  till_cashier_window_update_totals (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANGE_FEN]);
  _till_cashier_window_notify_payment (self);
  if (tendered_fen < 0)
    return;

  change = till_money_format (self->change_fen);
  text = g_strdup_printf (_("找零 Change %s — 已付款 Paid. 扫下一件或按 F12 开始下一单 · Scan or F12 for the next sale"),
                          change);
  till_cashier_window_show_message (self, TILL_MESSAGE_SUCCESS, text);
}

TillSaleLine *
_till_cashier_window_get_selected_line (TillCashierWindow *self,
                                        guint             *position)
{
  guint pos = gtk_single_selection_get_selected (self->selection);

  if (self->sale == NULL || pos == GTK_INVALID_LIST_POSITION
      || pos >= g_list_model_get_n_items (G_LIST_MODEL (self->sale)))
    return NULL;

  if (position != NULL)
    *position = pos;
  return till_sale_get_line (self->sale, pos);
}

void
_till_cashier_window_focus_code (TillCashierWindow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

static void
selection_changed_cb (GtkSingleSelection *selection,
                      GParamSpec         *pspec,
                      TillCashierWindow  *self)
{
  _till_cashier_window_update_actions (self);
}

/* ------------------------------------------------------------------------------------ */
/* GObject                                                                               */

/* In --demo the banner also gives the demo people's PINs (till_people_seed_demo). */
static void
set_demo_banner (TillCashierWindow *self)
{
  g_autoptr(GString) pins = g_string_new (NULL);
  g_autofree char *text = NULL;
  const TillDemoPerson *people;
  guint n = 0;

  people = till_people_get_demo_people (&n);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (pins, "%s%s %s", i > 0 ? " · " : "", people[i].name, people[i].pin);
  text = g_strdup_printf (_("训练模式 DEMO — 不是真实销售 · Training mode, sales are not real — 演示 PIN Demo PINs: %s"),
                          pins->str);
  gtk_label_set_text (self->demo_banner, text);
}

static void
till_cashier_window_constructed (GObject *object)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (object);
  g_autofree char *title = NULL;

  G_OBJECT_CLASS (till_cashier_window_parent_class)->constructed (object);

  g_assert (TILL_IS_CONTEXT (self->context));

  if (till_context_get_demo (self->context))
    {
      title = g_strdup_printf (_("训练模式 DEMO — Tillpoint 收银 Cashier %s"),
                               till_context_get_till_id (self->context));
      set_demo_banner (self);
      gtk_widget_set_visible (GTK_WIDGET (self->demo_banner), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self), "demo");
    }
  else
    title = g_strdup_printf (_("Tillpoint 收银 Cashier %s"),
                             till_context_get_till_id (self->context));
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_text (self->title_label, title);

  self->wedge = till_wedge_input_new (GTK_WIDGET (self), self->context);
  _till_cashier_window_payments_init (self);
  _till_cashier_window_scan_init (self);
  _till_cashier_window_load_open_sale (self);

  till_cashier_window_update_totals (self);
}

static void
till_cashier_window_dispose (GObject *object)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->sale != NULL)
    g_signal_handlers_disconnect_by_data (self->sale, self);
  g_clear_object (&self->wedge);
  _till_cashier_window_payments_dispose (self);
  g_clear_weak_pointer (&self->preferences);
  g_clear_weak_pointer (&self->preferences_pin);

  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_CASHIER_WINDOW);

  g_clear_object (&self->sale);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (till_cashier_window_parent_class)->dispose (object);
}

static void
till_cashier_window_finalize (GObject *object)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (object);

  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->pending_lines, g_ptr_array_unref);
  g_clear_pointer (&self->pay_state, g_free);
  g_clear_pointer (&self->pay_message, g_free);
  g_clear_pointer (&self->code_url, g_free);

  G_OBJECT_CLASS (till_cashier_window_parent_class)->finalize (object);
}

static void
till_cashier_window_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_SALE:
      g_value_set_object (value, self->sale);
      break;
    case PROP_CHANGE_FEN:
      g_value_set_int64 (value, self->change_fen);
      break;
    case PROP_PAYMENT_STATE:
      g_value_set_string (value, till_cashier_window_get_payment_state (self));
      break;
    case PROP_PAYMENT_MESSAGE:
      g_value_set_string (value, till_cashier_window_get_payment_message (self));
      break;
    case PROP_CODE_URL:
      g_value_set_string (value, self->code_url);
      break;
    case PROP_DUE_FEN:
      g_value_set_int64 (value, till_cashier_window_get_due_fen (self));
      break;
    case PROP_PAID_FEN:
      g_value_set_int64 (value, self->paid_fen);
      break;
    case PROP_EPAY_READY:
      g_value_set_boolean (value, till_context_can_take_electronic (self->context, NULL)
                                  && !self->pay_starting && self->live_payment_id == 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_cashier_window_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_cashier_window_class_init (TillCashierWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = till_cashier_window_constructed;
  object_class->dispose = till_cashier_window_dispose;
  object_class->finalize = till_cashier_window_finalize;
  object_class->get_property = till_cashier_window_get_property;
  object_class->set_property = till_cashier_window_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, TILL_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SALE] =
    g_param_spec_object ("sale", NULL, NULL, TILL_TYPE_SALE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHANGE_FEN] =
    g_param_spec_int64 ("change-fen", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAYMENT_STATE] =
    g_param_spec_string ("payment-state", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAYMENT_MESSAGE] =
    g_param_spec_string ("payment-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CODE_URL] =
    g_param_spec_string ("code-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DUE_FEN] =
    g_param_spec_int64 ("due-fen", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAID_FEN] =
    g_param_spec_int64 ("paid-fen", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EPAY_READY] =
    g_param_spec_boolean ("epay-ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-cashier-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, demo_banner);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, code_entry);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, sale_number_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, sale_state_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, cart_scroller);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, cart_view);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, selection);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, name_column);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, qty_column);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, price_column);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, amount_column);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, total_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, change_box);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, change_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, tendered_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, source_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, offline_banner);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, due_box);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, due_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, paid_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, payment_panel);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, payment_title_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, payment_message_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow,
                                        payment_countdown_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, payment_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, online_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, pending_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, serial_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, epay_label);

  _till_cashier_window_scan_class_init (widget_class);
  _till_cashier_window_class_actions_init (widget_class);
  _till_cashier_window_payments_class_init (widget_class);
}

static void
till_cashier_window_init (TillCashierWindow *self)
{
  self->change_fen = -1;
  self->cancellable = g_cancellable_new ();
  self->pending_lines = g_ptr_array_new_with_free_func (g_object_unref);

  gtk_widget_init_template (GTK_WIDGET (self));

  _till_cashier_window_cart_init (self);

  g_signal_connect (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb),
                    self);

  till_ui_load_style ();
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

TillCashierWindow *
till_cashier_window_new (GtkApplication *application,
                         TillContext    *context)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  return g_object_new (TILL_TYPE_CASHIER_WINDOW,
                       "application", application,
                       "context", context,
                       NULL);
}

TillContext *
till_cashier_window_get_context (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), NULL);
  return self->context;
}

TillSale *
till_cashier_window_get_sale (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), NULL);
  return self->sale;
}

gint64
till_cashier_window_get_change_fen (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), -1);
  return self->change_fen;
}

const char *
till_cashier_window_get_total_text (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), NULL);
  return gtk_label_get_text (self->total_label);
}

const char *
till_cashier_window_get_payment_state (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), NULL);
  if (self->pay_state == NULL && self->pay_starting)
    return "submitting";
  return self->pay_state;
}

const char *
till_cashier_window_get_payment_message (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), NULL);
  return self->pay_message;
}

const char *
till_cashier_window_get_code_url (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), NULL);
  return self->code_url;
}

gint64
till_cashier_window_get_due_fen (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), 0);
  if (self->sale == NULL || till_sale_get_state (self->sale) != TILL_SALE_STATE_OPEN)
    return 0;
  /* Before the first payment the cart may still change: the total is what is due. */
  if (self->paid_fen == 0)
    return till_sale_get_total_fen (self->sale);
  return MAX (self->due_fen, 0);
}

gint64
till_cashier_window_get_paid_fen (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), 0);
  return self->paid_fen;
}
