/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cashier window's 挂单 / 取单: suspend the sale (Ctrl+H), the list of suspended sales
 * to resume or void (Ctrl+Shift+H), and "N suspended" in the status bar. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include "till-cashier-window-private.h"
#include "till-suspended-window.h"

static void
update_count (TillCashierWindow *self)
{
  guint n = till_checkout_get_suspended_count (self->checkout);
  g_autofree char *text = NULL;

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u suspended", "%u suspended", n), n);
  gtk_label_set_text (self->suspended_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->suspended_label),
                               _("Suspended sales: Ctrl+Shift+H to resume one"));
  gtk_widget_set_visible (GTK_WIDGET (self->suspended_label), n > 0);
}

static void
count_notify_cb (TillCheckout      *checkout,
                 GParamSpec        *pspec,
                 TillCashierWindow *self)
{
  update_count (self);
}

void
_till_cashier_window_suspend_init (TillCashierWindow *self)
{
  g_signal_connect_object (self->checkout, "notify::suspended-count",
                           G_CALLBACK (count_notify_cb), self, 0);
  update_count (self);
}

/* Ctrl+H: the checkout refuses with a plain message (empty cart, a payment live, part
 * paid); the status line shows it. */
static void
suspend_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);

  till_checkout_suspend_sale (self->checkout, NULL);
  _till_cashier_window_focus_code (self);
}

/* Ctrl+Shift+H: the list, unless the sale at the counter cannot give way now. */
static void
resume_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);
  TillSuspendedWindow *window;

  if (!till_checkout_can (self->checkout, TILL_CHECKOUT_CMD_RESUME))
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("A payment is in progress or part of this sale is "
                                          "paid — finish it first, then resume another sale"));
      return;
    }
  window = till_suspended_window_new (GTK_WINDOW (self), self->checkout);
  _till_cashier_window_present_modal (self, GTK_WINDOW (window));
}

void
_till_cashier_window_suspend_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, suspended_label);

  gtk_widget_class_install_action (widget_class, "cashier.suspend", NULL, suspend_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK,
                                       "cashier.suspend", NULL);
  gtk_widget_class_install_action (widget_class, "cashier.resume", NULL, resume_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "cashier.resume", NULL);
}
