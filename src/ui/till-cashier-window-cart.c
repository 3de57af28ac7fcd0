/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCashierWindow: the cart's columns and lines, and opening new or resumed sales. */
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
      text = g_strdup (till_sale_line_get_name (line));
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
      }
      break;
    case CART_COLUMN_AMOUNT:
    default:
      text = till_money_format (till_sale_line_get_line_total_fen (line));
      break;
    }

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

void
_till_cashier_window_cart_init (TillCashierWindow *self)
{
  setup_column (self->name_column, CART_COLUMN_NAME);
  setup_column (self->qty_column, CART_COLUMN_QTY);
  setup_column (self->price_column, CART_COLUMN_PRICE);
  setup_column (self->amount_column, CART_COLUMN_AMOUNT);
}

/* ------------------------------------------------------------------------------------ */
/* Lines                                                                                 */

TillSale *
_till_cashier_window_clone_sale (TillSale *sale)
{
  TillSale *clone = till_sale_new (till_sale_get_number (sale));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (sale));

  till_sale_set_id (clone, till_sale_get_id (sale));
  till_sale_set_opened_at (clone, till_sale_get_opened_at (sale));
  for (guint i = 0; i < n; i++)
    {
      TillSaleLine *line = till_sale_get_line (sale, i);
      g_autoptr(TillSaleLine) copy = NULL;
      g_autoptr(GError) error = NULL;

      if (till_sale_line_get_fixed_total (line))
        copy = till_sale_line_new_fixed_total (till_sale_line_get_product_id (line),
                                               till_sale_line_get_barcode (line),
                                               till_sale_line_get_name (line),
                                               till_sale_line_get_unit (line),
                                               till_sale_line_get_unit_price_fen (line),
                                               till_sale_line_get_line_total_fen (line));
      else
        copy = till_sale_line_new (till_sale_line_get_product_id (line),
                                   till_sale_line_get_barcode (line),
                                   till_sale_line_get_name (line),
                                   till_sale_line_get_unit (line),
                                   till_sale_line_get_unit_price_fen (line),
                                   till_sale_line_get_qty_milli (line),
                                   till_sale_line_get_weighed (line));
      /* Lines that merged on the screen stay merged: add_line merges only equal
       * products, which are already one line here. */
      if (till_sale_add_line (clone, copy, &error) == G_MAXUINT)
        g_warning ("copying the sale: %s", error->message);
    }
  return clone;
}

static gboolean
scroll_to_selected_cb (gpointer user_data)
{
  g_autoptr(TillCashierWindow) self = user_data;
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->cart_scroller);
  guint pos = gtk_single_selection_get_selected (self->selection);
  guint n = self->sale != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->sale)) : 0;

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
  return G_SOURCE_REMOVE;
}

void
_till_cashier_window_add_line (TillCashierWindow *self,
                               TillSaleLine      *line)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *qty = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *text = NULL;
  guint pos;

  g_assert (self->sale != NULL);

  if (_till_cashier_window_cart_locked (self))
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("付款进行中或已部分付款，不能再加商品 · The cart is locked: a payment is in progress or part of it is paid — nothing added"));
      return;
    }

  pos = till_sale_add_line (self->sale, line, &error);
  if (pos == G_MAXUINT)
    {
      _till_cashier_window_show_error (self, _("无法添加 Could not add the item"), error);
      return;
    }

  gtk_single_selection_set_selected (self->selection, pos);
  g_idle_add_full (G_PRIORITY_LOW, scroll_to_selected_cb, g_object_ref (self), NULL);

  line = till_sale_get_line (self->sale, pos);
  qty = till_sale_line_format_qty (line);
  amount = till_money_format (till_sale_line_get_line_total_fen (line));
  text = g_strdup_printf (_("已添加 Added: %s × %s = %s"),
                          till_sale_line_get_name (line), qty, amount);
  till_cashier_window_show_message (self, TILL_MESSAGE_SUCCESS, text);
  _till_cashier_window_update_actions (self);
}

/* ---- starting a new sale ---- */

typedef struct
{
  TillCashierWindow *self;        /* owned */
  TillSaleLine      *first_line;  /* owned, may be NULL */
} NewSaleRequest;

static void
new_sale_request_free (NewSaleRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->first_line);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NewSaleRequest, new_sale_request_free)

TillSale *
_till_cashier_window_make_new_sale (TillStore  *store,
               const char *till_id,
               GError    **error)
{
  gint64 now = g_get_real_time ();
  g_autofree char *number = till_store_next_sale_number_for_till (store, till_id, now, error);
  TillSale *sale;

  if (number == NULL)
    return NULL;

  sale = till_sale_new (number);
  till_sale_set_opened_at (sale, now);
  return sale;
}

static gpointer
new_sale_job (TillStore *store,
              gpointer   data,
              GError   **error)
{
  return _till_cashier_window_make_new_sale (store, data, error);
}

static void
till_cashier_window_add_pending_lines (TillCashierWindow *self)
{
  g_autoptr(GPtrArray) lines = g_steal_pointer (&self->pending_lines);

  self->pending_lines = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < lines->len; i++)
    _till_cashier_window_add_line (self, g_ptr_array_index (lines, i));
}

void
_till_cashier_window_start_sale (TillCashierWindow *self,
                                TillSale          *sale,
                                TillSaleLine      *first_line)
{
  g_autofree char *text = NULL;

  _till_cashier_window_set_sale (self, sale);
  if (first_line != NULL)
    _till_cashier_window_add_line (self, first_line);
  if (self->pending_lines->len > 0)
    till_cashier_window_add_pending_lines (self);
  else if (first_line == NULL)
    {
      text = g_strdup_printf (_("新的一单 New sale %s"), till_sale_get_number (sale));
      till_cashier_window_show_message (self, TILL_MESSAGE_INFO, text);
    }
}

static void
new_sale_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(NewSaleRequest) request = user_data;
  TillCashierWindow *self = request->self;
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(GError) error = NULL;

  self->number_requested = FALSE;
  sale = till_store_run_finish (TILL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (sale == NULL)
    {
      _till_cashier_window_show_error (self, _("无法开始新的一单 Could not start a new sale"),
                                       error);
      return;
    }

  /* Another job may have opened a sale meanwhile; never throw away an open cart. */
  if (self->sale != NULL && till_sale_get_state (self->sale) == TILL_SALE_STATE_OPEN)
    {
      if (request->first_line != NULL)
        _till_cashier_window_add_line (self, request->first_line);
      till_cashier_window_add_pending_lines (self);
      return;
    }

  _till_cashier_window_start_sale (self, sale, request->first_line);
}

void
_till_cashier_window_request_new_sale (TillCashierWindow *self,
                                       TillSaleLine      *first_line)
{
  NewSaleRequest *request = g_new0 (NewSaleRequest, 1);

  request->self = g_object_ref (self);
  request->first_line = first_line != NULL ? g_object_ref (first_line) : NULL;
  self->number_requested = TRUE;
  till_store_run_async (till_context_get_store (self->context), new_sale_job,
                        g_strdup (till_context_get_till_id (self->context)), g_free,
                        g_object_unref, self->cancellable, new_sale_cb, request);
}

/* ---- loading the open sale at start ---- */

static gpointer
load_sale_job (TillStore *store,
               gpointer   data,
               GError   **error)
{
  const char *till_id = data;
  g_autoptr(GError) local_error = NULL;
  TillSale *sale;

  sale = till_store_load_open_sale (store, till_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (sale != NULL)
    return sale;

  return _till_cashier_window_make_new_sale (store, till_id, error);
}

static void
load_sale_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TillCashierWindow) self = user_data;
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  self->number_requested = FALSE;
  sale = till_store_run_finish (TILL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (sale == NULL)
    {
      _till_cashier_window_show_error (self, _("无法读取当前销售 Could not load the open sale"),
                                       error);
      return;
    }

  _till_cashier_window_set_sale (self, sale);
  till_cashier_window_add_pending_lines (self);
  if (g_list_model_get_n_items (G_LIST_MODEL (sale)) > 0)
    text = g_strdup_printf (_("已恢复未完成的一单 Resumed open sale %s"),
                            till_sale_get_number (sale));
  else
    text = g_strdup_printf (_("就绪 Ready — 单号 Sale %s"), till_sale_get_number (sale));
  till_cashier_window_show_message (self, TILL_MESSAGE_INFO, text);
}

void
_till_cashier_window_load_open_sale (TillCashierWindow *self)
{
  self->number_requested = TRUE;
  till_store_run_async (till_context_get_store (self->context), load_sale_job,
                        g_strdup (till_context_get_till_id (self->context)), g_free,
                        g_object_unref, self->cancellable, load_sale_cb, g_object_ref (self));
}
