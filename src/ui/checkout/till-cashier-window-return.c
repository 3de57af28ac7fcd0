/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCashierWindow: Ctrl+Shift+G, a return without a receipt. A manager approves with a
 * PIN (audit "approve:return"), then the return window takes the goods, the reason and
 * the cash to hand back. Refused while a payment of the sale at the counter is in
 * progress. */
#define G_LOG_DOMAIN "till-ui"

#include "config.h"

#include "till-cashier-window-private.h"
#include "till-pin-window.h"
#include "till-return-window.h"

static void
approved_cb (TillPinWindow     *pin,
             TillPerson        *manager,
             TillCashierWindow *self)
{
  g_autoptr(GError) error = NULL;
  TillReturnWindow *window;

  /* A payment may have begun while the PIN was typed. */
  if (!till_checkout_can_return (self->checkout, &error))
    return;
  window = till_return_window_new (GTK_WINDOW (self), self->checkout, manager->name);
  g_set_weak_pointer (&self->return_window, GTK_WINDOW (window));
  _till_cashier_window_present_modal (self, GTK_WINDOW (window));
}

static void
return_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  TillPinWindow *pin;

  if (self->return_window != NULL)
    {
      gtk_window_present (self->return_window);
      return;
    }
  /* Said on the checkout's "message": the status line shows why. */
  if (!till_checkout_can_return (self->checkout, &error))
    {
      gtk_widget_error_bell (widget);
      return;
    }
  pin = till_pin_window_new (GTK_WINDOW (self), self->context, TILL_APPROVAL_RETURN, NULL,
                             _("Goods brought back without a receipt, paid back in cash"));
  g_set_weak_pointer (&self->return_window, GTK_WINDOW (pin));
  g_signal_connect_object (pin, "approved", G_CALLBACK (approved_cb), self, G_CONNECT_AFTER);
  _till_cashier_window_present_modal (self, GTK_WINDOW (pin));
}

void
_till_cashier_window_return_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "cashier.return", NULL, return_action_cb);
  /* G for goods back (Ctrl+Shift+U is the desktop's key for typing a Unicode character) */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "cashier.return", NULL);
}
