/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCashierWindow: the cart on screen, its persistence, and the routing of codes. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <inttypes.h>

#include "till-cashier-window-private.h"
#include "till-manager-actions.h"
#include "till-people.h"
#include "till-refund-window.h"
#include "till-ui-util.h"

G_DEFINE_FINAL_TYPE (TillCashierWindow, till_cashier_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_SALE,
  PROP_CHANGE_FEN,
  PROP_PAYMENT_STATE,
  PROP_PAYMENT_MESSAGE,
  PROP_CODE_URL,
  PROP_DUE_FEN,
  PROP_PAID_FEN,
  PROP_EPAY_READY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

/* ------------------------------------------------------------------------------------ */
/* Messages                                                                              */

void
till_cashier_window_show_message (TillCashierWindow *self,
                                  TillMessageKind    kind,
                                  const char        *message)
{
  GtkWidget *label;

  g_return_if_fail (TILL_IS_CASHIER_WINDOW (self));
  g_return_if_fail (message != NULL);

  g_free (self->message);
  self->message = g_strdup (message);

  label = GTK_WIDGET (self->message_label);
  gtk_label_set_text (self->message_label, message);
  gtk_widget_set_tooltip_text (label, message);
  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "success");
  if (kind == TILL_MESSAGE_ERROR)
    {
      gtk_widget_add_css_class (label, "error");
      gtk_widget_error_bell (GTK_WIDGET (self));
      g_message ("cashier: %s", message);
    }
  else if (kind == TILL_MESSAGE_SUCCESS)
    gtk_widget_add_css_class (label, "success");

  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
}

const char *
till_cashier_window_get_message (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), NULL);
  return self->message;
}

void
_till_cashier_window_show_error (TillCashierWindow *self,
                                 const char        *prefix,
                                 const GError      *error)
{
  g_autofree char *text = NULL;

  g_warning ("%s: %s", prefix, error != NULL ? error->message : "unknown error");
  text = g_strdup_printf ("%s: %s", prefix, error != NULL ? error->message : _("unknown error"));
  till_cashier_window_show_message (self, TILL_MESSAGE_ERROR, text);
}

/* ------------------------------------------------------------------------------------ */
/* The sale on screen                                                                    */

static void
till_cashier_window_update_totals (TillCashierWindow *self)
{
  g_autofree char *total = NULL;
  g_autofree char *count = NULL;
  gint64 items = 0;
  guint n_lines = 0;
  TillSaleState state = TILL_SALE_STATE_OPEN;

  if (self->sale != NULL)
    {
      n_lines = g_list_model_get_n_items (G_LIST_MODEL (self->sale));
      items = till_ui_sale_count_items (self->sale);
      total = till_money_format (till_sale_get_total_fen (self->sale));
      state = till_sale_get_state (self->sale);
      gtk_label_set_text (self->sale_number_label, till_sale_get_number (self->sale));
    }
  else
    {
      total = till_money_format (0);
      gtk_label_set_text (self->sale_number_label, "—");
    }

  gtk_label_set_text (self->total_label, total);
  count = g_strdup_printf (_("%u 行 lines · %" PRId64 " 件 items"), n_lines, items);
  gtk_label_set_text (self->count_label, count);

  switch (state)
    {
    case TILL_SALE_STATE_PAID:
      gtk_label_set_text (self->sale_state_label, _("已付款 PAID"));
      break;
    case TILL_SALE_STATE_VOIDED:
      gtk_label_set_text (self->sale_state_label, _("已作废 VOIDED"));
      break;
    case TILL_SALE_STATE_SUSPENDED:
      gtk_label_set_text (self->sale_state_label, _("挂单 SUSPENDED"));
      break;
    case TILL_SALE_STATE_REFUNDED:
      gtk_label_set_text (self->sale_state_label, _("已退款 REFUNDED"));
      break;
    case TILL_SALE_STATE_OPEN:
    default:
      gtk_label_set_text (self->sale_state_label, _("销售中 OPEN"));
      break;
    }

  if (self->change_fen >= 0)
    {
      g_autofree char *change = till_money_format (self->change_fen);
      g_autofree char *tendered = till_money_format (self->tendered_fen);
      g_autofree char *tendered_text = g_strdup_printf (_("实收 Tendered %s"), tendered);

      gtk_label_set_text (self->change_label, change);
      gtk_label_set_text (self->tendered_label, tendered_text);
      gtk_widget_set_visible (GTK_WIDGET (self->change_box), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->change_box), FALSE);

  _till_cashier_window_update_actions (self);
  _till_cashier_window_notify_payment (self);
}

void
_till_cashier_window_update_actions (TillCashierWindow *self)
{
  gboolean open = self->sale != NULL && till_sale_get_state (self->sale) == TILL_SALE_STATE_OPEN;
  gboolean has_lines = self->sale != NULL
                       && g_list_model_get_n_items (G_LIST_MODEL (self->sale)) > 0;
  gboolean selected = gtk_single_selection_get_selected_item (self->selection) != NULL;
  gboolean live = self->pay_starting || self->live_payment_id != 0;
  gboolean locked = _till_cashier_window_cart_locked (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cashier.cash",
                                 open && has_lines && !self->busy && !live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cashier.quantity",
                                 open && selected && !self->busy && !locked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cashier.void-line",
                                 open && selected && !self->busy && !locked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cashier.void-sale",
                                 open && has_lines && !self->busy && !live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cashier.new-sale", !self->busy && !live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cashier.customer-scans",
                                 open && has_lines && !self->busy && !live
                                 && till_context_get_payment_service (self->context) != NULL);
  /* A payment being reversed is already being cancelled. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cashier.cancel-payment",
                                 self->live_payment_id != 0
                                 && g_strcmp0 (self->pay_state, "reversing") != 0);
}

void
_till_cashier_window_notify_payment (TillCashierWindow *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAYMENT_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAYMENT_MESSAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE_URL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DUE_FEN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAID_FEN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EPAY_READY]);
  g_object_thaw_notify (G_OBJECT (self));
}

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

static void
save_sale_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TillCashierWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!till_store_save_sale_finish (TILL_STORE (object), result, &error))
    _till_cashier_window_show_error (self, _("保存失败 The sale could not be saved"), error);
}

static void
sale_changed_cb (TillSale          *sale,
                 TillCashierWindow *self)
{
  /* Only the open cart is saved from here; a paid or voided sale was written by the
   * store in the same transaction that closed it. */
  if (till_sale_get_state (sale) == TILL_SALE_STATE_OPEN)
    till_store_save_sale_async (till_context_get_store (self->context), sale,
                                till_context_get_cashier (self->context),
                                till_context_get_till_id (self->context),
                                NULL, save_sale_cb, g_object_ref (self));

  till_cashier_window_update_totals (self);
}

static void
sale_total_notify_cb (TillSale          *sale,
                      GParamSpec        *pspec,
                      TillCashierWindow *self)
{
  till_cashier_window_update_totals (self);
}

void
_till_cashier_window_set_sale (TillCashierWindow *self,
                               TillSale          *sale)
{
  g_return_if_fail (sale == NULL || TILL_IS_SALE (sale));

  if (self->sale == sale)
    return;

  if (self->sale != NULL)
    g_signal_handlers_disconnect_by_data (self->sale, self);

  g_set_object (&self->sale, sale);
  self->change_fen = -1;
  self->tendered_fen = 0;
  self->live_payment_id = 0;
  self->shown_payment_id = 0;
  self->paid_fen = 0;
  self->due_fen = sale != NULL ? till_sale_get_total_fen (sale) : 0;
  self->pay_deadline_us = 0;
  g_clear_pointer (&self->pay_state, g_free);
  g_clear_pointer (&self->pay_message, g_free);
  g_clear_pointer (&self->code_url, g_free);

  if (sale != NULL)
    {
      g_signal_connect (sale, "changed", G_CALLBACK (sale_changed_cb), self);
      g_signal_connect (sale, "notify::total-fen", G_CALLBACK (sale_total_notify_cb), self);
    }

  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (sale));
  till_cashier_window_update_totals (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SALE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANGE_FEN]);
  _till_cashier_window_payments_refresh (self);
  _till_cashier_window_notify_payment (self);
}

/* tendered_fen < 0: paid electronically (no change on screen). */
void
_till_cashier_window_paid (TillCashierWindow *self,
                           gint64             tendered_fen,
                           gint64             change_fen)
{
  g_autofree char *change = NULL;
  g_autofree char *text = NULL;

  self->tendered_fen = MAX (tendered_fen, 0);
  self->change_fen = tendered_fen < 0 ? -1 : change_fen;
  self->due_fen = 0;
  till_sale_set_state (self->sale, TILL_SALE_STATE_PAID);
  till_cashier_window_update_totals (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANGE_FEN]);
  _till_cashier_window_notify_payment (self);
  if (tendered_fen < 0)
    return;

  change = till_money_format (self->change_fen);
  text = g_strdup_printf (_("找零 Change %s — 已付款 Paid. 扫下一件或按 F12 开始下一单 · Scan or F12 for the next sale"),
                          change);
  till_cashier_window_show_message (self, TILL_MESSAGE_SUCCESS, text);
}

TillSaleLine *
_till_cashier_window_get_selected_line (TillCashierWindow *self,
                                        guint             *position)
{
  guint pos = gtk_single_selection_get_selected (self->selection);

  if (self->sale == NULL || pos == GTK_INVALID_LIST_POSITION
      || pos >= g_list_model_get_n_items (G_LIST_MODEL (self->sale)))
    return NULL;

  if (position != NULL)
    *position = pos;
  return till_sale_get_line (self->sale, pos);
}

void
_till_cashier_window_focus_code (TillCashierWindow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
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

static TillSale *
make_new_sale (TillStore  *store,
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
  return make_new_sale (store, data, error);
}

static void
till_cashier_window_add_pending_lines (TillCashierWindow *self)
{
  g_autoptr(GPtrArray) lines = g_steal_pointer (&self->pending_lines);

  self->pending_lines = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < lines->len; i++)
    _till_cashier_window_add_line (self, g_ptr_array_index (lines, i));
}

static void
till_cashier_window_start_sale (TillCashierWindow *self,
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

  till_cashier_window_start_sale (self, sale, request->first_line);
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

  return make_new_sale (store, till_id, error);
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

/* ------------------------------------------------------------------------------------ */
/* Routing of scanned and typed codes                                                    */

typedef struct
{
  TillBarcode *barcode;
  char        *till_id;
  gboolean     need_number;
} ResolveData;

typedef struct
{
  TillBarcode *barcode;
  TillProduct *product;       /* NULL: not in the catalog */
  gboolean     use_embedded;  /* product found by the item code of a scale barcode */
  TillSale    *receipt_sale;  /* receipt codes */
  TillSale    *new_sale;      /* when need_number and a product was found */
  gboolean     asked_number;
} ResolveResult;

static void
resolve_data_free (gpointer data)
{
  ResolveData *rd = data;

  g_clear_pointer (&rd->barcode, till_barcode_free);
  g_free (rd->till_id);
  g_free (rd);
}

static void
resolve_result_free (gpointer data)
{
  ResolveResult *rr = data;

  g_clear_pointer (&rr->barcode, till_barcode_free);
  g_clear_pointer (&rr->product, till_product_free);
  g_clear_object (&rr->receipt_sale);
  g_clear_object (&rr->new_sale);
  g_free (rr);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ResolveResult, resolve_result_free)

/* Looks a product up; "not found" is an answer, not an error. */
static gboolean
lookup (TillProduct *(*func) (TillStore *, const char *, GError **),
        TillStore    *store,
        const char   *code,
        TillProduct **out,
        GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  *out = func (store, code, &local_error);
  if (*out == NULL && local_error != NULL
      && !g_error_matches (local_error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gpointer
resolve_job (TillStore *store,
             gpointer   data,
             GError   **error)
{
  ResolveData *rd = data;
  g_autoptr(ResolveResult) rr = g_new0 (ResolveResult, 1);
  const TillBarcode *bc = rd->barcode;

  rr->barcode = till_barcode_copy (bc);
  rr->asked_number = rd->need_number;

  switch (bc->kind)
    {
    case TILL_BARCODE_RECEIPT:
      {
        g_autoptr(GError) local_error = NULL;

        rr->receipt_sale = till_store_load_sale_by_number (store, bc->item_code, &local_error);
        if (rr->receipt_sale == NULL && local_error != NULL
            && !g_error_matches (local_error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND))
          {
            g_propagate_error (error, g_steal_pointer (&local_error));
            return NULL;
          }
        return g_steal_pointer (&rr);
      }

    case TILL_BARCODE_EMBEDDED_WEIGHT:
    case TILL_BARCODE_EMBEDDED_PRICE:
      /* A shop may have labelled some goods with in-store codes it keeps in the catalog. */
      if (!lookup (till_store_lookup_barcode, store, bc->code, &rr->product, error))
        return NULL;
      if (rr->product == NULL)
        {
          if (!lookup (till_store_lookup_plu, store, bc->item_code, &rr->product, error))
            return NULL;
          rr->use_embedded = rr->product != NULL;
        }
      break;

    case TILL_BARCODE_PLU:
      if (!lookup (till_store_lookup_plu, store, bc->code, &rr->product, error))
        return NULL;
      if (rr->product == NULL
          && !lookup (till_store_lookup_barcode, store, bc->code, &rr->product, error))
        return NULL;
      break;

    case TILL_BARCODE_EAN13:
    case TILL_BARCODE_EAN8:
    case TILL_BARCODE_UPCA:
    case TILL_BARCODE_UNKNOWN:
    default:
      if (!lookup (till_store_lookup_barcode, store, bc->code, &rr->product, error))
        return NULL;
      break;
    }

  if (rr->product != NULL && rd->need_number)
    {
      rr->new_sale = make_new_sale (store, rd->till_id, error);
      if (rr->new_sale == NULL)
        return NULL;
    }

  return g_steal_pointer (&rr);
}

static TillSaleLine *
make_line (const ResolveResult *rr)
{
  const TillProduct *p = rr->product;
  const TillBarcode *bc = rr->barcode;
  const char *barcode = p->barcode != NULL ? p->barcode : bc->code;

  if (rr->use_embedded && bc->kind == TILL_BARCODE_EMBEDDED_WEIGHT)
    return till_sale_line_new (p->id, bc->code, p->name, p->unit, p->price_fen,
                               bc->value, TRUE);
  if (rr->use_embedded && bc->kind == TILL_BARCODE_EMBEDDED_PRICE)
    return till_sale_line_new_fixed_total (p->id, bc->code, p->name, p->unit, p->price_fen,
                                           bc->value);

  return till_sale_line_new (p->id, barcode, p->name, p->unit, p->price_fen, 1000,
                             p->weighed);
}

static void
show_receipt (TillCashierWindow *self,
              const ResolveResult *rr)
{
  g_autofree char *text = NULL;

  if (rr->receipt_sale == NULL)
    {
      text = g_strdup_printf (_("找不到小票 No sale with number %s"), rr->barcode->item_code);
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR, text);
    }
  else
    {
      g_autofree char *total = till_money_format (till_sale_get_total_fen (rr->receipt_sale));

      text = g_strdup_printf (_("小票 Sale %s: %s, %s, %u 行 lines"),
                              till_sale_get_number (rr->receipt_sale),
                              till_ui_sale_state_label (till_sale_get_state (rr->receipt_sale)),
                              total,
                              g_list_model_get_n_items (G_LIST_MODEL (rr->receipt_sale)));
      till_cashier_window_show_message (self, TILL_MESSAGE_INFO, text);
    }
}

/* A paid sale's receipt code opens the refunds window on it (the managers' actions of the
 * application). An open refunds window takes the code itself (it listens to the hub);
 * without an application (tests) or for a sale with nothing to refund, FALSE: the
 * cashier's window says what the code is. */
static gboolean
open_receipt_refund (TillCashierWindow   *self,
                     const ResolveResult *rr)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  TillSaleState state;

  if (app == NULL || !till_manager_actions_get_installed (app) || rr->receipt_sale == NULL)
    return FALSE;
  state = till_sale_get_state (rr->receipt_sale);
  if (state != TILL_SALE_STATE_PAID && state != TILL_SALE_STATE_REFUNDED)
    return FALSE;
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (TILL_IS_REFUND_WINDOW (l->data) && gtk_widget_get_visible (l->data))
      return TRUE;
  till_manager_actions_open_refund (app, till_sale_get_number (rr->receipt_sale));
  return TRUE;
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TillCashierWindow) self = user_data;
  g_autoptr(ResolveResult) rr = NULL;
  g_autoptr(TillSaleLine) line = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  rr = till_store_run_finish (TILL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (rr == NULL)
    {
      /* Failed jobs cannot say whether they were to open a sale: let the next one ask. */
      self->number_requested = FALSE;
      _till_cashier_window_show_error (self, _("查询失败 Lookup failed"), error);
      return;
    }

  if (rr->asked_number)
    self->number_requested = FALSE;

  if (rr->barcode->kind == TILL_BARCODE_RECEIPT)
    {
      if (!open_receipt_refund (self, rr))
        show_receipt (self, rr);
      return;
    }

  if (rr->product == NULL)
    {
      if (rr->barcode->kind == TILL_BARCODE_UNKNOWN)
        text = g_strdup_printf (_("无法识别的条码 Unknown code “%s” — 未作更改 nothing changed"),
                                rr->barcode->code);
      else if (rr->barcode->kind == TILL_BARCODE_EMBEDDED_WEIGHT
               || rr->barcode->kind == TILL_BARCODE_EMBEDDED_PRICE)
        text = g_strdup_printf (_("商品不存在 No product with item code %s (scale label “%s”) — 未作更改 nothing changed"),
                                rr->barcode->item_code, rr->barcode->code);
      else
        text = g_strdup_printf (_("商品不存在 “%s” is not in the catalog — 未作更改 nothing changed"),
                                rr->barcode->code);
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR, text);
      return;
    }

  if (self->busy)
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("请稍候 Please wait — the sale is being closed"));
      return;
    }

  line = make_line (rr);

  if (self->sale != NULL && till_sale_get_state (self->sale) == TILL_SALE_STATE_OPEN)
    _till_cashier_window_add_line (self, line);
  else if (rr->new_sale != NULL)
    till_cashier_window_start_sale (self, rr->new_sale, line);
  else if (self->number_requested)
    g_ptr_array_add (self->pending_lines, g_steal_pointer (&line));
  else
    _till_cashier_window_request_new_sale (self, line);
}

static void
till_cashier_window_route (TillCashierWindow *self,
                           const char        *code)
{
  g_autoptr(TillBarcode) barcode = NULL;
  TillEmbeddedLayout layout;
  ResolveData *rd;
  gboolean sale_open;

  layout = till_context_get_embedded_layout (self->context);
  barcode = till_barcode_classify (code, &layout);

  if (barcode->code == NULL || barcode->code[0] == '\0')
    return;

  if (till_barcode_kind_is_payment (barcode->kind))
    {
      _till_cashier_window_payment_code (self, barcode);
      return;
    }

  sale_open = self->sale != NULL && till_sale_get_state (self->sale) == TILL_SALE_STATE_OPEN;

  rd = g_new0 (ResolveData, 1);
  rd->barcode = g_steal_pointer (&barcode);
  rd->till_id = g_strdup (till_context_get_till_id (self->context));
  /* The paid sale stays on screen until the next item: that item opens a new sale. */
  rd->need_number = self->sale != NULL && !sale_open && !self->number_requested
                    && rd->barcode->kind != TILL_BARCODE_RECEIPT;
  if (rd->need_number)
    self->number_requested = TRUE;

  till_store_run_async (till_context_get_store (self->context), resolve_job,
                        rd, resolve_data_free, resolve_result_free,
                        self->cancellable, resolve_cb, g_object_ref (self));
}

static void
scanner_hub_code_scanned_cb (TillScannerHub    *hub,
                             const char        *code,
                             int                source,
                             TillCashierWindow *self)
{
  g_autofree char *text = g_strdup_printf (_("上次扫码 Last scan: %s"),
                                           till_scan_source_to_string (source));

  gtk_label_set_text (self->source_label, text);
  till_cashier_window_route (self, code);
}

void
till_cashier_window_enter_code (TillCashierWindow *self,
                                const char        *code)
{
  g_autofree char *text = NULL;

  g_return_if_fail (TILL_IS_CASHIER_WINDOW (self));
  g_return_if_fail (code != NULL);

  text = g_strstrip (g_strdup (code));
  if (text[0] == '\0')
    return;

  gtk_label_set_text (self->source_label, _("上次输入 Last code: 手工输入 typed"));
  till_cashier_window_route (self, text);
}

static void
code_entry_activate_cb (GtkEntry          *entry,
                        TillCashierWindow *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  till_cashier_window_enter_code (self, text);
}

static void
selection_changed_cb (GtkSingleSelection *selection,
                      GParamSpec         *pspec,
                      TillCashierWindow  *self)
{
  _till_cashier_window_update_actions (self);
}

/* ------------------------------------------------------------------------------------ */
/* GObject                                                                               */

/* In --demo the banner also gives the demo people's PINs (till_people_seed_demo). */
static void
set_demo_banner (TillCashierWindow *self)
{
  g_autoptr(GString) pins = g_string_new (NULL);
  g_autofree char *text = NULL;
  const TillDemoPerson *people;
  guint n = 0;

  people = till_people_get_demo_people (&n);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (pins, "%s%s %s", i > 0 ? " · " : "", people[i].name, people[i].pin);
  text = g_strdup_printf (_("训练模式 DEMO — 不是真实销售 · Training mode, sales are not real — 演示 PIN Demo PINs: %s"),
                          pins->str);
  gtk_label_set_text (self->demo_banner, text);
}

static void
till_cashier_window_constructed (GObject *object)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (object);
  g_autofree char *title = NULL;

  G_OBJECT_CLASS (till_cashier_window_parent_class)->constructed (object);

  g_assert (TILL_IS_CONTEXT (self->context));

  if (till_context_get_demo (self->context))
    {
      title = g_strdup_printf (_("训练模式 DEMO — Tillpoint 收银 Cashier %s"),
                               till_context_get_till_id (self->context));
      set_demo_banner (self);
      gtk_widget_set_visible (GTK_WIDGET (self->demo_banner), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self), "demo");
    }
  else
    title = g_strdup_printf (_("Tillpoint 收银 Cashier %s"),
                             till_context_get_till_id (self->context));
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_text (self->title_label, title);

  self->wedge = till_wedge_input_new (GTK_WIDGET (self), self->context);
  _till_cashier_window_payments_init (self);
  g_signal_connect_object (till_context_get_scanner_hub (self->context), "code-scanned",
                           G_CALLBACK (scanner_hub_code_scanned_cb), self, 0);

  self->number_requested = TRUE;
  till_store_run_async (till_context_get_store (self->context), load_sale_job,
                        g_strdup (till_context_get_till_id (self->context)), g_free,
                        g_object_unref, self->cancellable, load_sale_cb, g_object_ref (self));

  till_cashier_window_update_totals (self);
}

static void
till_cashier_window_dispose (GObject *object)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->sale != NULL)
    g_signal_handlers_disconnect_by_data (self->sale, self);
  g_clear_object (&self->wedge);
  _till_cashier_window_payments_dispose (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_CASHIER_WINDOW);

  g_clear_object (&self->sale);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (till_cashier_window_parent_class)->dispose (object);
}

static void
till_cashier_window_finalize (GObject *object)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (object);

  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->pending_lines, g_ptr_array_unref);
  g_clear_pointer (&self->pay_state, g_free);
  g_clear_pointer (&self->pay_message, g_free);
  g_clear_pointer (&self->code_url, g_free);

  G_OBJECT_CLASS (till_cashier_window_parent_class)->finalize (object);
}

static void
till_cashier_window_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_SALE:
      g_value_set_object (value, self->sale);
      break;
    case PROP_CHANGE_FEN:
      g_value_set_int64 (value, self->change_fen);
      break;
    case PROP_PAYMENT_STATE:
      g_value_set_string (value, till_cashier_window_get_payment_state (self));
      break;
    case PROP_PAYMENT_MESSAGE:
      g_value_set_string (value, till_cashier_window_get_payment_message (self));
      break;
    case PROP_CODE_URL:
      g_value_set_string (value, self->code_url);
      break;
    case PROP_DUE_FEN:
      g_value_set_int64 (value, till_cashier_window_get_due_fen (self));
      break;
    case PROP_PAID_FEN:
      g_value_set_int64 (value, self->paid_fen);
      break;
    case PROP_EPAY_READY:
      g_value_set_boolean (value, till_context_can_take_electronic (self->context, NULL)
                                  && !self->pay_starting && self->live_payment_id == 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_cashier_window_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_cashier_window_class_init (TillCashierWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = till_cashier_window_constructed;
  object_class->dispose = till_cashier_window_dispose;
  object_class->finalize = till_cashier_window_finalize;
  object_class->get_property = till_cashier_window_get_property;
  object_class->set_property = till_cashier_window_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, TILL_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SALE] =
    g_param_spec_object ("sale", NULL, NULL, TILL_TYPE_SALE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHANGE_FEN] =
    g_param_spec_int64 ("change-fen", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAYMENT_STATE] =
    g_param_spec_string ("payment-state", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAYMENT_MESSAGE] =
    g_param_spec_string ("payment-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CODE_URL] =
    g_param_spec_string ("code-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DUE_FEN] =
    g_param_spec_int64 ("due-fen", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAID_FEN] =
    g_param_spec_int64 ("paid-fen", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EPAY_READY] =
    g_param_spec_boolean ("epay-ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-cashier-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, demo_banner);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, code_entry);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, sale_number_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, sale_state_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, cart_scroller);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, cart_view);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, selection);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, name_column);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, qty_column);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, price_column);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, amount_column);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, total_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, change_box);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, change_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, tendered_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, source_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, offline_banner);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, due_box);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, due_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, paid_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, payment_panel);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, payment_title_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, payment_message_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow,
                                        payment_countdown_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, payment_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, online_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, pending_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, serial_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, epay_label);
  gtk_widget_class_bind_template_callback (widget_class, code_entry_activate_cb);

  _till_cashier_window_class_actions_init (widget_class);
  _till_cashier_window_payments_class_init (widget_class);
}

static void
till_cashier_window_init (TillCashierWindow *self)
{
  self->change_fen = -1;
  self->cancellable = g_cancellable_new ();
  self->pending_lines = g_ptr_array_new_with_free_func (g_object_unref);

  gtk_widget_init_template (GTK_WIDGET (self));

  setup_column (self->name_column, CART_COLUMN_NAME);
  setup_column (self->qty_column, CART_COLUMN_QTY);
  setup_column (self->price_column, CART_COLUMN_PRICE);
  setup_column (self->amount_column, CART_COLUMN_AMOUNT);

  g_signal_connect (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb),
                    self);

  till_ui_load_style ();
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

TillCashierWindow *
till_cashier_window_new (GtkApplication *application,
                         TillContext    *context)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  return g_object_new (TILL_TYPE_CASHIER_WINDOW,
                       "application", application,
                       "context", context,
                       NULL);
}

TillContext *
till_cashier_window_get_context (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), NULL);
  return self->context;
}

TillSale *
till_cashier_window_get_sale (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), NULL);
  return self->sale;
}

gint64
till_cashier_window_get_change_fen (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), -1);
  return self->change_fen;
}

const char *
till_cashier_window_get_total_text (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), NULL);
  return gtk_label_get_text (self->total_label);
}

const char *
till_cashier_window_get_payment_state (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), NULL);
  if (self->pay_state == NULL && self->pay_starting)
    return "submitting";
  return self->pay_state;
}

const char *
till_cashier_window_get_payment_message (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), NULL);
  return self->pay_message;
}

const char *
till_cashier_window_get_code_url (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), NULL);
  return self->code_url;
}

gint64
till_cashier_window_get_due_fen (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), 0);
  if (self->sale == NULL || till_sale_get_state (self->sale) != TILL_SALE_STATE_OPEN)
    return 0;
  /* Before the first payment the cart may still change: the total is what is due. */
  if (self->paid_fen == 0)
    return till_sale_get_total_fen (self->sale);
  return MAX (self->due_fen, 0);
}

gint64
till_cashier_window_get_paid_fen (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), 0);
  return self->paid_fen;
}
