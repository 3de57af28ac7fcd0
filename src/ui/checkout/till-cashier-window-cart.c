/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCashierWindow: the cart's columns, and the line just added brought into view. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include "till-cashier-window-private.h"
#include "till-ui-util.h"

typedef enum
{
  CART_COLUMN_NAME,
  CART_COLUMN_QTY,
  CART_COLUMN_PRICE,
  CART_COLUMN_AMOUNT,
} CartColumn;

/* ------------------------------------------------------------------------------------ */
/* Cart columns                                                                          */

static void
cart_cell_setup_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  CartColumn column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  if (column == CART_COLUMN_NAME)
    {
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
    }
  else
    {
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "numeric");
    }
  gtk_widget_add_css_class (label, "cart-cell");
  gtk_list_item_set_child (item, label);
}

static void
cart_cell_update (GtkListItem *item)
{
  TillSaleLine *line = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  CartColumn column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (item), "till-column"));
  g_autofree char *text = NULL;

  if (line == NULL || label == NULL)
    return;

  switch (column)
    {
    case CART_COLUMN_NAME:
      {
        g_autofree char *name = g_markup_escape_text (till_sale_line_get_name (line), -1);
        g_autofree char *note = NULL;

        if (till_sale_line_get_discount_kind (line) != TILL_DISCOUNT_NONE)
          {
            g_autofree char *what = till_discount_format (till_sale_line_get_discount_kind (line),
                                                          till_sale_line_get_discount_value (line));

            note = g_strdup_printf (_("discount %s"), what);
          }
        else if (till_sale_line_get_price_overridden (line))
          note = g_strdup (_("price changed"));
        if (note != NULL)
          {
            g_autofree char *escaped = g_markup_escape_text (note, -1);

            text = g_strdup_printf ("%s  <span size=\"small\" weight=\"bold\">%s</span>", name,
                                    escaped);
            gtk_label_set_markup (label, text);
            return;
          }
        text = g_strdup (till_sale_line_get_name (line));
      }
      break;
    case CART_COLUMN_QTY:
      text = till_sale_line_format_qty (line);
      break;
    case CART_COLUMN_PRICE:
      {
        g_autofree char *price = till_money_format (till_sale_line_get_unit_price_fen (line));
        const char *unit = till_sale_line_get_unit (line);

        if (till_sale_line_get_weighed (line) && unit != NULL && unit[0] != '\0')
          text = g_strdup_printf ("%s/%s", price, unit);
        else
          text = g_steal_pointer (&price);
        if (till_sale_line_get_price_overridden (line))
          {
            g_autofree char *was =
              till_money_format (till_sale_line_get_original_unit_price_fen (line));
            g_autofree char *markup = g_markup_printf_escaped ("<s>%s</s> %s", was, text);

            gtk_label_set_markup (label, markup);
            return;
          }
      }
      break;
    case CART_COLUMN_AMOUNT:
    default:
      /* what the customer pays for the line: after its discount and share of the sale's */
      text = till_money_format (till_sale_line_get_final_fen (line));
      if (till_sale_line_get_saved_fen (line) != 0)
        {
          g_autofree char *was = till_money_format (till_sale_line_get_original_total_fen (line));
          g_autofree char *markup = g_markup_printf_escaped ("<s>%s</s> %s", was, text);

          gtk_label_set_markup (label, markup);
          return;
        }
      break;
    }

  /* plain text: a markup set earlier for the same row is dropped */
  gtk_label_set_use_markup (label, FALSE);
  gtk_label_set_text (label, text);
}

static void
cart_line_notify_cb (TillSaleLine *line,
                     GParamSpec   *pspec,
                     GtkListItem  *item)
{
  cart_cell_update (item);
}

static void
cart_cell_bind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  TillSaleLine *line = gtk_list_item_get_item (item);

  g_object_set_data (G_OBJECT (item), "till-column", user_data);
  cart_cell_update (item);
  if (line != NULL)
    g_signal_connect_object (line, "notify", G_CALLBACK (cart_line_notify_cb), item, 0);
}

static void
cart_cell_unbind_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  TillSaleLine *line = gtk_list_item_get_item (item);

  if (line != NULL)
    g_signal_handlers_disconnect_by_func (line, cart_line_notify_cb, item);
}

static void
setup_column (GtkColumnViewColumn *column,
              CartColumn           kind)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (cart_cell_setup_cb), GINT_TO_POINTER (kind));
  g_signal_connect (factory, "bind", G_CALLBACK (cart_cell_bind_cb), GINT_TO_POINTER (kind));
  g_signal_connect (factory, "unbind", G_CALLBACK (cart_cell_unbind_cb),
                    GINT_TO_POINTER (kind));
  gtk_column_view_column_set_factory (column, factory);
}

static void cart_adjustment_changed_cb (GtkAdjustment     *adj,
                                        TillCashierWindow *self);

void
_till_cashier_window_cart_init (TillCashierWindow *self)
{
  setup_column (self->name_column, CART_COLUMN_NAME);
  setup_column (self->qty_column, CART_COLUMN_QTY);
  setup_column (self->price_column, CART_COLUMN_PRICE);
  setup_column (self->amount_column, CART_COLUMN_AMOUNT);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->cart_scroller), "changed",
                           G_CALLBACK (cart_adjustment_changed_cb), self, 0);
}

/* ------------------------------------------------------------------------------------ */
/* The line just added or changed: selected and scrolled into view                       */

static void
scroll_to_selected (TillCashierWindow *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->cart_scroller);
  guint pos = gtk_single_selection_get_selected (self->selection);
  GListModel *model = gtk_single_selection_get_model (self->selection);
  guint n = model != NULL ? g_list_model_get_n_items (model) : 0;

  /* GTK 4.8 has no gtk_column_view_scroll_to(); rows are of equal height, so the
   * position maps onto the adjustment linearly. */
  if (n > 0 && pos != GTK_INVALID_LIST_POSITION)
    {
      double upper = gtk_adjustment_get_upper (adj);
      double page = gtk_adjustment_get_page_size (adj);
      double row = upper / n;
      double top = row * pos;
      double value = gtk_adjustment_get_value (adj);

      if (top < value)
        gtk_adjustment_set_value (adj, top);
      else if (top + row > value + page)
        gtk_adjustment_set_value (adj, MIN (top + row - page + row, upper - page));
    }
}

/* The cart's height changed (a line added, the window resized): it is laid out anew, so
 * the selected line can be brought into view now, in the frame that shows it. Scrolling
 * from an idle before this raced the layout: under load the idle ran first, with the old
 * height, and the new line stayed out of view. */
static void
cart_adjustment_changed_cb (GtkAdjustment     *adj,
                            TillCashierWindow *self)
{
  scroll_to_selected (self);
}

void
_till_cashier_window_cart_items_changed_cb (TillCashierWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  gtk_stack_set_visible_child_name (self->cart_stack, n > 0 ? "cart" : "empty");
}

void
_till_cashier_window_select_line (TillCashierWindow *self,
                                  guint              position)
{
  gtk_single_selection_set_selected (self->selection, position);
  scroll_to_selected (self);
  _till_cashier_window_update_actions (self);
}
