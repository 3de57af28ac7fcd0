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
  till_checkout_set_line_qty (self->checkout, till_quantity_window_get_line (window), qty_milli,
                              NULL);
}

static void
quantity_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);
  TillSaleLine *line = _till_cashier_window_get_selected_line (self);
  TillQuantityWindow *window;

  if (till_checkout_get_cart_locked (self->checkout))
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("The cart is locked: a payment is in progress or part "
                                          "of it is paid"));
      return;
    }
  if (line == NULL)
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("Select a line first"));
      return;
    }

  window = till_quantity_window_new (GTK_WINDOW (self), line);
  g_signal_connect_object (window, "quantity-chosen", G_CALLBACK (quantity_chosen_cb), self, 0);
  _till_cashier_window_present_modal (self, GTK_WINDOW (window));
}

/* ---- the weight of goods typed by their PLU ---- */

static void
weight_chosen_cb (TillQuantityWindow *window,
                  gint64              qty_milli,
                  TillCashierWindow  *self)
{
  till_checkout_give_weight (self->checkout, till_quantity_window_get_line (window), qty_milli,
                             NULL);
}

static void
checkout_weight_needed_cb (TillCheckout      *checkout,
                           TillSaleLine      *line,
                           TillCashierWindow *self)
{
  TillQuantityWindow *window;

  if (_till_cashier_window_scale_weigh (self, line))
    return;
  window = till_quantity_window_new_weight (GTK_WINDOW (self), line);
  g_signal_connect_object (window, "quantity-chosen", G_CALLBACK (weight_chosen_cb), self, 0);
  _till_cashier_window_present_modal (self, GTK_WINDOW (window));
}

void
_till_cashier_window_actions_init (TillCashierWindow *self)
{
  g_signal_connect_object (self->checkout, "weight-needed",
                           G_CALLBACK (checkout_weight_needed_cb), self, 0);
}

/* ---- line void (F3 / Delete) ---- */

static void
void_line_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);

  if (till_checkout_void_line (self->checkout, _till_cashier_window_get_selected_line (self),
                               NULL))
    _till_cashier_window_update_actions (self);
}

/* ---- sale void (F4) ---- */

static void
void_sale_confirmed_cb (TillConfirmWindow *window,
                        TillCashierWindow *self)
{
  till_checkout_void_sale (self->checkout, NULL);
}

static void
void_sale_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);
  TillSale *sale = till_checkout_get_sale (self->checkout);
  TillConfirmWindow *window;
  g_autofree char *total = NULL;
  g_autofree char *body = NULL;

  if (sale == NULL || till_sale_get_state (sale) != TILL_SALE_STATE_OPEN
      || g_list_model_get_n_items (G_LIST_MODEL (sale)) == 0)
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("There is no sale to void"));
      return;
    }

  total = till_money_format (till_sale_get_total_fen (sale));
  body = g_strdup_printf (_("Sale %s, %u lines, total %s. The void is recorded in the audit log."),
                          till_sale_get_number (sale),
                          g_list_model_get_n_items (G_LIST_MODEL (sale)), total);
  /* Money the customer paid goes back with the void: say how, before it is confirmed. */
  if (till_checkout_get_paid_fen (self->checkout) > 0)
    {
      gint64 cash = till_checkout_get_paid_cash_fen (self->checkout);
      gint64 codes = till_checkout_get_paid_fen (self->checkout) - cash;
      g_autoptr(GString) more = g_string_new (body);

      if (cash > 0)
        {
          g_autofree char *amount = till_money_format (cash);

          g_string_append (more, "\n");
          g_string_append_printf (more, _("%s was paid in cash: hand it back to the customer."),
                                  amount);
        }
      if (codes > 0)
        {
          g_autofree char *amount = till_money_format (codes);

          g_string_append (more, "\n");
          g_string_append_printf (more, _("%s was paid by code: it is refunded to the customer's account."),
                                  amount);
        }
      g_free (body);
      body = g_string_free (g_steal_pointer (&more), FALSE);
    }
  window = till_confirm_window_new (GTK_WINDOW (self), _("Void the whole sale?"), body,
                                    _("Void (Enter)"));
  g_signal_connect_object (window, "confirmed", G_CALLBACK (void_sale_confirmed_cb), self, 0);
  _till_cashier_window_present_modal (self, GTK_WINDOW (window));
}

/* ---- cash (F8) ---- */

static void
cash_tendered_cb (TillCashWindow    *window,
                  gint64             tendered_fen,
                  TillCashierWindow *self)
{
  if (till_checkout_pay_cash (self->checkout, till_cash_window_get_due_fen (window),
                              tendered_fen, NULL))
    _till_cashier_window_focus_code (self);
}

static void
cash_part_cb (TillCashWindow    *window,
              gint64             amount_fen,
              TillCashierWindow *self)
{
  if (till_checkout_pay_part_cash (self->checkout, till_cash_window_get_due_fen (window),
                                   amount_fen, NULL))
    _till_cashier_window_focus_code (self);
}

static void
cash_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);
  TillSale *sale = till_checkout_get_sale (self->checkout);
  TillCashWindow *window;

  if (sale == NULL || till_sale_get_state (sale) != TILL_SALE_STATE_OPEN
      || g_list_model_get_n_items (G_LIST_MODEL (sale)) == 0)
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("The cart is empty"));
      return;
    }
  if (!till_checkout_can (self->checkout, TILL_CHECKOUT_CMD_CASH))
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("A payment for this sale is in progress — wait for "
                                          "its result"));
      return;
    }

  window = till_cash_window_new (GTK_WINDOW (self), till_checkout_get_due_fen (self->checkout),
                                till_context_get_cash_rounding (self->context));
  g_signal_connect_object (window, "tendered", G_CALLBACK (cash_tendered_cb), self, 0);
  g_signal_connect_object (window, "part-cash", G_CALLBACK (cash_part_cb), self, 0);
  _till_cashier_window_present_modal (self, GTK_WINDOW (window));
}

/* ---- next sale (Ctrl+N / F12) ---- */

static void
new_sale_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);

  till_checkout_new_sale (self->checkout, NULL);
  _till_cashier_window_focus_code (self);
}

/* ---- quit (Ctrl+Q, closing the window) ---- */

static void
quit_now (TillCashierWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  self->quitting = TRUE;
  if (app != NULL)
    g_application_quit (G_APPLICATION (app));
  else
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
quit_confirmed_cb (TillConfirmWindow *window,
                   TillCashierWindow *self)
{
  quit_now (self);
}

void
till_cashier_window_quit (TillCashierWindow *self)
{
  TillConfirmWindow *window;

  g_return_if_fail (TILL_IS_CASHIER_WINDOW (self));

  if (!till_checkout_get_payment_in_progress (self->checkout))
    {
      quit_now (self);
      return;
    }
  window = till_confirm_window_new (GTK_WINDOW (self), _("Quit while a payment is in progress?"),
                                    _("The customer may be confirming this payment right now. "
                                      "If you quit, Tillpoint finishes it by itself when it starts "
                                      "again: do not charge the customer again meanwhile."),
                                    _("Quit anyway (Enter)"));
  g_signal_connect_object (window, "confirmed", G_CALLBACK (quit_confirmed_cb), self, 0);
  _till_cashier_window_present_modal (self, GTK_WINDOW (window));
}

static void
quit_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  till_cashier_window_quit (TILL_CASHIER_WINDOW (widget));
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

  if (_till_cashier_window_cancel_payment (self))
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
  _till_cashier_window_present_modal (self, GTK_WINDOW (window));
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
  _till_cashier_window_present_modal (self, GTK_WINDOW (pin));
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

  gtk_widget_class_install_action (widget_class, "cashier.quit", NULL, quit_action_cb);

  gtk_widget_class_install_action (widget_class, "cashier.preferences", NULL,
                                   preferences_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK,
                                       "cashier.preferences", NULL);

  _till_cashier_window_search_class_init (widget_class);

  /* GtkApplicationWindow provides win.show-help-overlay (Ctrl+?); cashiers expect F1. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F1, 0, "win.show-help-overlay",
                                       NULL);
}
