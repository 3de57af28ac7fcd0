/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cashier window's quick keys (issue 15): a TillQuickKeyPad under the cart, read again
 * when the window comes back to the front (after the quick keys window); Alt+1…Alt+9
 * press the visible page's first nine keys, Ctrl+Page Up / Ctrl+Page Down switch pages. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include "till-cashier-window-private.h"
#include "till-quick-key-pad.h"

#define PAD_KEY "till-quick-key-pad"

TillQuickKeyPad *
_till_cashier_window_get_quick_keys (TillCashierWindow *self)
{
  return g_object_get_data (G_OBJECT (self), PAD_KEY);
}

static void
active_notify_cb (TillCashierWindow *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)))
    till_quick_key_pad_reload (_till_cashier_window_get_quick_keys (self));
}

static void
quick_key_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);

  if (!till_quick_key_pad_press (_till_cashier_window_get_quick_keys (self),
                                 g_variant_get_uint32 (parameter)))
    gtk_widget_error_bell (widget);
  _till_cashier_window_focus_code (self);
}

static void
quick_page_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);

  if (!till_quick_key_pad_switch_page (_till_cashier_window_get_quick_keys (self),
                                       g_variant_get_int32 (parameter)))
    gtk_widget_error_bell (widget);
}

void
_till_cashier_window_quickkeys_init (TillCashierWindow *self)
{
  TillQuickKeyPad *pad = till_quick_key_pad_new (self->checkout);
  GtkWidget *cart_frame = gtk_widget_get_parent (GTK_WIDGET (self->cart_stack));

  g_object_set_data (G_OBJECT (self), PAD_KEY, pad);
  gtk_widget_insert_after (GTK_WIDGET (pad), gtk_widget_get_parent (cart_frame), cart_frame);
  till_quick_key_pad_reload (pad);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (active_notify_cb), NULL);
}

void
_till_cashier_window_quickkeys_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "cashier.quick-key", "u", quick_key_action_cb);
  gtk_widget_class_install_action (widget_class, "cashier.quick-page", "i", quick_page_action_cb);
  for (guint i = 0; i < 9; i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "cashier.quick-key", "u", i);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK,
                                       "cashier.quick-page", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK,
                                       "cashier.quick-page", "i", 1);
}
