/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCashierWindow: Ctrl+Shift+U, a return without a receipt. A manager approves with a
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
}

void
_till_cashier_window_return_init (TillCashierWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  /* Ctrl+Shift+U is also GTK's key for typing a Unicode character in an entry, and the
   * code entry has the focus: the window takes the key first (capture phase). */
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (controller),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_u, GDK_CONTROL_MASK | GDK_SHIFT_MASK),
                      gtk_named_action_new ("cashier.return")));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
