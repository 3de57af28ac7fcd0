/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cashier window's commands: quantity, line void, sale void, cash tender, next sale,
 * preferences (after a manager's PIN). Every one is a widget action with a key binding. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include "till-cash-window.h"
#include "till-cashier-window-private.h"
#include "till-confirm-window.h"
#include "till-pin-window.h"
#include "till-preferences-window.h"
#include "till-quantity-window.h"

/* ---- quantity (F2) ---- */

static void
quantity_chosen_cb (TillQuantityWindow *window,
                    gint64              qty_milli,
                    TillCashierWindow  *self)
{
  TillSaleLine *line = till_quantity_window_get_line (window);
  g_autoptr(GError) error = NULL;
  g_autofree char *qty = NULL;
  g_autofree char *text = NULL;
  guint position;

  /* The cart may have changed while the window was open: find the line again. */
  position = G_MAXUINT;
  if (self->sale != NULL && till_sale_get_state (self->sale) == TILL_SALE_STATE_OPEN
      && !_till_cashier_window_cart_locked (self))
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->sale)); i++)
      if (till_sale_get_line (self->sale, i) == line)
        {
          position = i;
          break;
        }

  if (position == G_MAXUINT)
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("该行已不在购物车中 The line is no longer in the cart"));
      return;
    }

  if (!till_sale_set_line_qty (self->sale, position, qty_milli, &error))
    {
      _till_cashier_window_show_error (self, _("无法修改数量 Could not change the quantity"),
                                       error);
      return;
    }

  qty = till_sale_line_format_qty (line);
  text = g_strdup_printf (_("数量已改 Quantity of %s: %s"), till_sale_line_get_name (line), qty);
  till_cashier_window_show_message (self, TILL_MESSAGE_SUCCESS, text);
}

static gboolean
modal_close_request_cb (GtkWindow         *window,
                        TillCashierWindow *self)
{
  _till_cashier_window_focus_code (self);
  return FALSE;  /* let it close */
}

static void
present_modal (TillCashierWindow *self,
               GtkWindow         *modal)
{
  g_signal_connect_object (modal, "close-request", G_CALLBACK (modal_close_request_cb), self,
                           G_CONNECT_AFTER);
  gtk_window_present (modal);
}

static void
quantity_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);
  TillSaleLine *line = _till_cashier_window_get_selected_line (self, NULL);
  TillQuantityWindow *window;

  if (_till_cashier_window_cart_locked (self))
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("付款进行中或已部分付款，不能改数量 · The cart is locked: a payment is in progress or part of it is paid"));
      return;
    }
  if (line == NULL)
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("请先选择一行 Select a line first"));
      return;
    }

  window = till_quantity_window_new (GTK_WINDOW (self), line);
  g_signal_connect_object (window, "quantity-chosen", G_CALLBACK (quantity_chosen_cb), self, 0);
  present_modal (self, GTK_WINDOW (window));
}

/* ---- line void (F3 / Delete) ---- */

static void
void_line_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSaleLine) line = NULL;
  g_autofree char *text = NULL;
  guint position;

  if (_till_cashier_window_cart_locked (self))
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("付款进行中或已部分付款，不能删除 · The cart is locked: a payment is in progress or part of it is paid"));
      return;
    }
  line = _till_cashier_window_get_selected_line (self, &position);
  if (line == NULL)
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("请先选择一行 Select a line first"));
      return;
    }
  g_object_ref (line);  /* keep the name for the message after the sale drops the line */

  if (!till_sale_remove_line (self->sale, position, &error))
    {
      _till_cashier_window_show_error (self, _("无法删除 Could not void the line"), error);
      return;
    }

  text = g_strdup_printf (_("已删除 Voided line: %s"), till_sale_line_get_name (line));
  till_cashier_window_show_message (self, TILL_MESSAGE_INFO, text);
  _till_cashier_window_update_actions (self);
}

/* ---- closing the sale on the store thread: cash and void ---- */

typedef struct
{
  TillCashierWindow *self;
  TillSale          *sale;     /* the sale on screen when the command was given */
  gint64             tendered_fen;
  gboolean           is_void;
} CloseRequest;

static void
close_request_free (CloseRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->sale);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CloseRequest, close_request_free)

static void
close_sale_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CloseRequest) request = user_data;
  TillCashierWindow *self = request->self;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  self->busy = FALSE;
  if (request->is_void)
    ok = till_store_void_sale_finish (TILL_STORE (object), result, &error);
  else
    ok = till_store_complete_cash_sale_finish (TILL_STORE (object), result, &error);

  if (!ok)
    {
      _till_cashier_window_show_error (self,
                                       request->is_void
                                         ? _("作废失败 Could not void the sale")
                                         : _("收款失败 Could not record the cash payment"),
                                       error);
      _till_cashier_window_update_actions (self);
      return;
    }

  if (self->sale != request->sale)
    {
      _till_cashier_window_update_actions (self);
      return;
    }

  if (request->is_void)
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (_("整单已作废 Sale %s voided"), till_sale_get_number (self->sale));
      till_cashier_window_show_message (self, TILL_MESSAGE_INFO, text);
      _till_cashier_window_request_new_sale (self, NULL);
    }
  else
    _till_cashier_window_paid (self, request->tendered_fen,
                               request->tendered_fen - till_sale_get_total_fen (self->sale));

  _till_cashier_window_update_actions (self);
  _till_cashier_window_focus_code (self);
}

static void
till_cashier_window_close_sale (TillCashierWindow *self,
                                gboolean           is_void,
                                gint64             tendered_fen)
{
  TillStore *store = till_context_get_store (self->context);
  CloseRequest *request;

  g_assert (self->sale != NULL);

  request = g_new0 (CloseRequest, 1);
  request->self = g_object_ref (self);
  request->sale = g_object_ref (self->sale);
  request->tendered_fen = tendered_fen;
  request->is_void = is_void;

  self->busy = TRUE;
  _till_cashier_window_update_actions (self);

  /* Not cancellable: once the cashier has taken the money it must be written. The store
   * snapshots the sale now, after every save already submitted. */
  if (is_void)
    till_store_void_sale_async (store, self->sale, till_context_get_cashier (self->context),
                                NULL, close_sale_cb, request);
  else
    till_store_complete_cash_sale_async (store, self->sale, tendered_fen, NULL, close_sale_cb,
                                         request);
}

/* ---- sale void (F4) ---- */

static void
void_sale_confirmed_cb (TillConfirmWindow *window,
                        TillCashierWindow *self)
{
  if (self->sale == NULL || till_sale_get_state (self->sale) != TILL_SALE_STATE_OPEN
      || self->busy || self->pay_starting || self->live_payment_id != 0)
    return;

  till_cashier_window_close_sale (self, TRUE, 0);
}

static void
void_sale_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);
  TillConfirmWindow *window;
  g_autofree char *total = NULL;
  g_autofree char *body = NULL;

  if (self->sale == NULL || till_sale_get_state (self->sale) != TILL_SALE_STATE_OPEN
      || g_list_model_get_n_items (G_LIST_MODEL (self->sale)) == 0)
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("没有可作废的销售 There is no sale to void"));
      return;
    }

  total = till_money_format (till_sale_get_total_fen (self->sale));
  body = g_strdup_printf (_("单号 Sale %s, %u 行 lines, 合计 total %s. 作废会记录在审计日志中 · The void is recorded in the audit log."),
                          till_sale_get_number (self->sale),
                          g_list_model_get_n_items (G_LIST_MODEL (self->sale)), total);
  window = till_confirm_window_new (GTK_WINDOW (self), _("整单作废？ Void the whole sale?"), body,
                                    _("作废 Void (Enter)"));
  g_signal_connect_object (window, "confirmed", G_CALLBACK (void_sale_confirmed_cb), self, 0);
  present_modal (self, GTK_WINDOW (window));
}

/* ---- cash (F8) ---- */

static void
cash_tendered_cb (TillCashWindow    *window,
                  gint64             tendered_fen,
                  TillCashierWindow *self)
{
  gint64 due = till_cashier_window_get_due_fen (self);

  if (self->sale == NULL || till_sale_get_state (self->sale) != TILL_SALE_STATE_OPEN
      || self->busy || self->pay_starting || self->live_payment_id != 0)
    return;

  if (due != till_cash_window_get_due_fen (window))
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("金额已变 The total changed — press F8 again"));
      return;
    }

  /* After a partial payment the rest is one more cash payment of the sale. */
  if (self->paid_fen > 0)
    _till_cashier_window_add_cash (self, due, tendered_fen);
  else
    till_cashier_window_close_sale (self, FALSE, tendered_fen);
}

static void
cash_part_cb (TillCashWindow    *window,
              gint64             amount_fen,
              TillCashierWindow *self)
{
  if (self->sale == NULL || till_sale_get_state (self->sale) != TILL_SALE_STATE_OPEN
      || self->busy || self->pay_starting || self->live_payment_id != 0)
    return;

  if (till_cashier_window_get_due_fen (self) != till_cash_window_get_due_fen (window))
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("金额已变 The total changed — press F8 again"));
      return;
    }
  _till_cashier_window_add_cash (self, amount_fen, amount_fen);
}

static void
cash_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);
  TillCashWindow *window;

  if (self->sale == NULL || till_sale_get_state (self->sale) != TILL_SALE_STATE_OPEN
      || g_list_model_get_n_items (G_LIST_MODEL (self->sale)) == 0)
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("购物车是空的 The cart is empty"));
      return;
    }

  if (self->pay_starting || self->live_payment_id != 0)
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("这一单正在付款，请等待结果 · A payment for this sale is still in progress — wait for it"));
      return;
    }

  window = till_cash_window_new (GTK_WINDOW (self), till_cashier_window_get_due_fen (self));
  g_signal_connect_object (window, "tendered", G_CALLBACK (cash_tendered_cb), self, 0);
  g_signal_connect_object (window, "part-cash", G_CALLBACK (cash_part_cb), self, 0);
  present_modal (self, GTK_WINDOW (window));
}

/* ---- next sale (Ctrl+N / F12) ---- */

static void
new_sale_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);

  if (self->sale != NULL && till_sale_get_state (self->sale) == TILL_SALE_STATE_OPEN)
    {
      if (g_list_model_get_n_items (G_LIST_MODEL (self->sale)) == 0)
        till_cashier_window_show_message (self, TILL_MESSAGE_INFO,
                                          _("已经是新的一单 This is already a new sale"));
      else
        till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                          _("请先收款 (F8) 或作废 (F4) 当前销售 · Take payment (F8) or void (F4) the current sale first"));
      _till_cashier_window_focus_code (self);
      return;
    }

  if (self->number_requested)
    return;

  _till_cashier_window_request_new_sale (self, NULL);
  _till_cashier_window_focus_code (self);
}

/* ---- focus, preferences ---- */

static void
focus_code_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->code_entry), "");
  _till_cashier_window_focus_code (self);
}

/* Escape: cancels a live payment, otherwise clears the code entry. */
static void
escape_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);

  if (_till_cashier_window_cancel_payment (self, TRUE))
    return;
  focus_code_action_cb (widget, action_name, parameter);
}

static void
preferences_approved_cb (TillPinWindow     *pin,
                         TillPerson        *manager,
                         TillCashierWindow *self)
{
  TillPreferencesWindow *window;

  if (self->preferences != NULL)
    {
      gtk_window_present (self->preferences);
      return;
    }
  window = till_preferences_window_new (GTK_WINDOW (self), self->context);
  till_preferences_window_set_approver (window, manager);
  g_set_weak_pointer (&self->preferences, GTK_WINDOW (window));
  present_modal (self, GTK_WINDOW (window));
}

/* Another manager's PIN prompt over this window (reports, day close, …), or NULL. */
static GtkWindow *
open_pin_window (TillCashierWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (TILL_IS_PIN_WINDOW (window) && gtk_widget_get_visible (GTK_WIDGET (window))
          && gtk_window_get_transient_for (window) == GTK_WINDOW (self))
        return window;
    }
  return NULL;
}

/* Ctrl+comma: the settings hold the merchant's payment identity and key files, so a
 * manager approves with a PIN first (audit "approve:settings"). One prompt at a time. */
static void
preferences_action_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);
  GtkWindow *other;
  TillPinWindow *pin;

  if (self->preferences != NULL)
    {
      gtk_window_present (self->preferences);
      return;
    }
  if (self->preferences_pin != NULL)
    {
      gtk_window_present (self->preferences_pin);
      return;
    }
  other = open_pin_window (self);
  if (other != NULL)
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("Finish or close the manager approval that is open first."));
      gtk_window_present (other);
      return;
    }

  pin = till_pin_window_new (GTK_WINDOW (self), self->context, TILL_APPROVAL_SETTINGS, NULL,
                             _("Open the settings (shop, scanner, payment account and keys)"));
  g_set_weak_pointer (&self->preferences_pin, GTK_WINDOW (pin));
  g_signal_connect_object (pin, "approved", G_CALLBACK (preferences_approved_cb), self, 0);
  present_modal (self, GTK_WINDOW (pin));
}

void
_till_cashier_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "cashier.quantity", NULL, quantity_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "cashier.quantity", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Multiply, 0,
                                       "cashier.quantity", NULL);

  gtk_widget_class_install_action (widget_class, "cashier.void-line", NULL, void_line_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F3, 0, "cashier.void-line", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "cashier.void-line",
                                       NULL);

  gtk_widget_class_install_action (widget_class, "cashier.void-sale", NULL, void_sale_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F4, 0, "cashier.void-sale", NULL);

  gtk_widget_class_install_action (widget_class, "cashier.cash", NULL, cash_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F8, 0, "cashier.cash", NULL);

  gtk_widget_class_install_action (widget_class, "cashier.new-sale", NULL, new_sale_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F12, 0, "cashier.new-sale", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "cashier.new-sale", NULL);

  gtk_widget_class_install_action (widget_class, "cashier.focus-code", NULL,
                                   focus_code_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F6, 0, "cashier.focus-code", NULL);
  gtk_widget_class_install_action (widget_class, "cashier.escape", NULL, escape_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "cashier.escape", NULL);

  gtk_widget_class_install_action (widget_class, "cashier.preferences", NULL,
                                   preferences_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK,
                                       "cashier.preferences", NULL);

  /* GtkApplicationWindow provides win.show-help-overlay (Ctrl+?); cashiers expect F1. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F1, 0, "win.show-help-overlay",
                                       NULL);
}
