/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cashier window's product search (Ctrl+F, and the main menu): the search window over
 * the cashier's; the code entry gets the focus back when it closes. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include "till-cashier-window-private.h"
#include "till-search-window.h"

static void
search_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);
  TillSearchWindow *window;

  if (till_checkout_get_cart_locked (self->checkout))
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("The cart is locked: a payment is in progress or part "
                                          "of it is paid"));
      return;
    }
  window = till_search_window_new (GTK_WINDOW (self), self->checkout);
  _till_cashier_window_present_modal (self, GTK_WINDOW (window));
}

void
_till_cashier_window_search_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "cashier.search", NULL, search_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "cashier.search", NULL);
}
