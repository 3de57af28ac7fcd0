/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cashier window's members (issue 16): the sale's member under the total — name,
 * masked phone, stored value and points —, and Ctrl+M, the member window (find a member,
 * a top-up, a payment from the card). */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include "till-cashier-window-private.h"
#include "till-member-window.h"
#include "till-money.h"

static void
update_member (TillCashierWindow *self)
{
  TillSale *sale = till_checkout_get_sale (self->checkout);
  const TillSaleMember *member = sale != NULL ? till_sale_get_member (sale) : NULL;
  gint64 stored = till_checkout_get_member_stored_value_fen (self->checkout);
  g_autofree char *label = NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->member_label), member != NULL);
  if (member == NULL)
    return;
  label = till_sale_member_dup_label (member);
  if (stored >= 0)
    {
      g_autofree char *money = till_money_format (stored);
      g_autofree char *points = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 till_checkout_get_member_points (self->checkout));

      text = g_strdup_printf (_("Member %s · stored value %s · %s points"), label, money, points);
    }
  else
    text = g_strdup_printf (_("Member %s"), label);
  gtk_label_set_text (self->member_label, text);
}

static void
notify_cb (GObject           *object,
           GParamSpec        *pspec,
           TillCashierWindow *self)
{
  update_member (self);
}

static void
sale_cb (TillCheckout      *checkout,
         GParamSpec        *pspec,
         TillCashierWindow *self)
{
  TillSale *sale = till_checkout_get_sale (checkout);

  if (sale != NULL)
    g_signal_connect_object (sale, "notify::member", G_CALLBACK (notify_cb), self, 0);
  update_member (self);
}

void
_till_cashier_window_member_init (TillCashierWindow *self)
{
  g_signal_connect_object (self->checkout, "notify::sale", G_CALLBACK (sale_cb), self, 0);
  g_signal_connect_object (self->checkout, "notify::member-stored-value-fen",
                           G_CALLBACK (notify_cb), self, 0);
  g_signal_connect_object (self->checkout, "notify::member-points", G_CALLBACK (notify_cb),
                           self, 0);
  sale_cb (self->checkout, NULL, self);
}

static void
member_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);

  _till_cashier_window_present_modal (self, GTK_WINDOW (till_member_window_new (self->checkout)));
}

void
_till_cashier_window_member_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "cashier.member", NULL, member_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK,
                                       "cashier.member", NULL);
}
