/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCashierWindow: discounts and prices. Ctrl+D discounts the selected line,
 * Ctrl+Shift+T the whole sale, Ctrl+E overrides the selected line's price, and goods
 * priced at the till ask for their price ("price-needed"). What the cashier types goes to
 * the checkout; when it needs a manager (above the discount limit, any override), the PIN
 * window asks first and the checkout gets the manager who approved. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include "till-cashier-window-private.h"
#include "till-discount-window.h"
#include "till-pin-window.h"

/* What waits for the manager's PIN. */
typedef struct
{
  TillDiscountWindowMode mode;
  TillSaleLine          *line;   /* NULL for the whole sale */
  TillDiscountKind       kind;
  gint64                 value;  /* the discount, or the price */
} Pending;

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  g_clear_object (&pending->line);
  g_free (pending);
}

/* Gives the checkout the command; `manager` NULL when none was asked. */
static void
perform (TillCashierWindow *self,
         const Pending     *p,
         const TillPerson  *manager)
{
  switch (p->mode)
    {
    case TILL_DISCOUNT_WINDOW_LINE:
      till_checkout_discount_line (self->checkout, p->line, p->kind, p->value, manager, NULL);
      break;
    case TILL_DISCOUNT_WINDOW_SALE:
      till_checkout_discount_sale (self->checkout, p->kind, p->value, manager, NULL);
      break;
    case TILL_DISCOUNT_WINDOW_PRICE:
      till_checkout_override_price (self->checkout, p->line, p->value, manager, NULL);
      break;
    case TILL_DISCOUNT_WINDOW_OPEN_PRICE:
    default:
      till_checkout_give_price (self->checkout, p->line, p->value, manager, NULL);
      break;
    }
}

static void
approved_cb (TillPinWindow     *pin,
             TillPerson        *manager,
             TillCashierWindow *self)
{
  Pending *p = g_object_get_data (G_OBJECT (pin), "till-pending");

  if (p != NULL)
    perform (self, p, manager);
}

static gboolean
needs_manager (TillCashierWindow *self,
               const Pending     *p)
{
  switch (p->mode)
    {
    case TILL_DISCOUNT_WINDOW_LINE:
    case TILL_DISCOUNT_WINDOW_SALE:
      return till_checkout_discount_needs_approval (self->checkout, p->line, p->kind, p->value);
    case TILL_DISCOUNT_WINDOW_PRICE:
      return TRUE;
    case TILL_DISCOUNT_WINDOW_OPEN_PRICE:
    default:
      return till_checkout_price_needs_approval (self->checkout, p->line)
             && p->value != till_sale_line_get_original_unit_price_fen (p->line);
    }
}

static void
ask_or_perform (TillCashierWindow *self,
                Pending           *p)
{
  TillPinWindow *pin;
  g_autofree char *what = NULL;
  g_autofree char *amount = NULL;
  gboolean price = p->mode == TILL_DISCOUNT_WINDOW_PRICE || p->mode == TILL_DISCOUNT_WINDOW_OPEN_PRICE;

  if (!needs_manager (self, p))
    {
      perform (self, p, NULL);
      pending_free (p);
      return;
    }

  amount = price ? till_money_format (p->value) : till_discount_format (p->kind, p->value);
  if (price)
    what = g_strdup_printf (_("Price %s for %s"), amount, till_sale_line_get_name (p->line));
  else if (p->line != NULL)
    what = g_strdup_printf (_("Discount %s on %s"), amount, till_sale_line_get_name (p->line));
  else
    what = g_strdup_printf (_("Discount %s on the whole sale"), amount);
  pin = till_pin_window_new (GTK_WINDOW (self), self->context,
                             price ? TILL_APPROVAL_PRICE_OVERRIDE : TILL_APPROVAL_DISCOUNT, NULL,
                             what);
  g_object_set_data_full (G_OBJECT (pin), "till-pending", p, pending_free);
  g_signal_connect_object (pin, "approved", G_CALLBACK (approved_cb), self, 0);
  _till_cashier_window_present_modal (self, GTK_WINDOW (pin));
}

static void
discount_chosen_cb (TillDiscountWindow *window,
                    int                 kind,
                    gint64              value,
                    TillCashierWindow  *self)
{
  Pending *p = g_new0 (Pending, 1);

  p->mode = till_discount_window_get_mode (window);
  p->line = till_discount_window_get_line (window) != NULL
              ? g_object_ref (till_discount_window_get_line (window)) : NULL;
  p->kind = (TillDiscountKind) kind;
  p->value = value;
  ask_or_perform (self, p);
}

static void
price_chosen_cb (TillDiscountWindow *window,
                 gint64              price,
                 TillCashierWindow  *self)
{
  Pending *p = g_new0 (Pending, 1);

  p->mode = till_discount_window_get_mode (window);
  p->line = g_object_ref (till_discount_window_get_line (window));
  p->value = price;
  ask_or_perform (self, p);
}

static gboolean
refuse (TillCashierWindow *self,
        gboolean           need_line)
{
  if (!till_checkout_can (self->checkout, TILL_CHECKOUT_CMD_DISCOUNT))
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("The cart is locked or empty: prices cannot change now"));
      return TRUE;
    }
  if (need_line && _till_cashier_window_get_selected_line (self) == NULL)
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR, _("Select a line first"));
      return TRUE;
    }
  return FALSE;
}

static void
open_window (TillCashierWindow     *self,
             TillDiscountWindowMode mode,
             TillSaleLine          *line,
             gint64                 base_fen)
{
  TillDiscountWindow *window =
    till_discount_window_new (GTK_WINDOW (self), mode, line, base_fen,
                              till_checkout_get_discount_limit (self->checkout));

  g_signal_connect_object (window, "discount-chosen", G_CALLBACK (discount_chosen_cb), self, 0);
  g_signal_connect_object (window, "price-chosen", G_CALLBACK (price_chosen_cb), self, 0);
  _till_cashier_window_present_modal (self, GTK_WINDOW (window));
}

static void
discount_line_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);
  TillSaleLine *line = _till_cashier_window_get_selected_line (self);

  if (refuse (self, TRUE))
    return;
  open_window (self, TILL_DISCOUNT_WINDOW_LINE, line, till_sale_line_get_line_total_fen (line));
}

static void
discount_sale_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);

  if (refuse (self, FALSE))
    return;
  open_window (self, TILL_DISCOUNT_WINDOW_SALE, NULL,
               till_sale_get_net_total_fen (till_checkout_get_sale (self->checkout)));
}

static void
price_override_action_cb (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);
  TillSaleLine *line = _till_cashier_window_get_selected_line (self);

  if (refuse (self, TRUE))
    return;
  if (till_sale_line_get_fixed_total (line))
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("The price of this item is printed on its label and "
                                          "cannot be changed."));
      return;
    }
  open_window (self, TILL_DISCOUNT_WINDOW_PRICE, line, till_sale_line_get_line_total_fen (line));
}

static void
checkout_price_needed_cb (TillCheckout      *checkout,
                          TillSaleLine      *line,
                          TillCashierWindow *self)
{
  open_window (self, TILL_DISCOUNT_WINDOW_OPEN_PRICE, line, 0);
}

void
_till_cashier_window_discount_init (TillCashierWindow *self)
{
  g_signal_connect_object (self->checkout, "price-needed", G_CALLBACK (checkout_price_needed_cb),
                           self, 0);
}

void
_till_cashier_window_discount_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "cashier.discount-line", NULL,
                                   discount_line_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK,
                                       "cashier.discount-line", NULL);
  gtk_widget_class_install_action (widget_class, "cashier.discount-sale", NULL,
                                   discount_sale_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "cashier.discount-sale", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_T,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "cashier.discount-sale", NULL);
  gtk_widget_class_install_action (widget_class, "cashier.price-override", NULL,
                                   price_override_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "cashier.price-override", NULL);
}
