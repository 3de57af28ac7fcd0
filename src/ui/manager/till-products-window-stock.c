/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillProductsWindow's stock: the form's stock fields (tracked, minimum, cost), the level
 * and the latest moves and price changes, the low-stock list, the stock export. */
#define G_LOG_DOMAIN "till-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "till-money.h"
#include "till-report.h"
#include "till-products-window-private.h"
#include "till-store-product-stock.h"
#include "till-store-products.h"
#include "till-store-stock.h"

/* A stock move's kind as the stock report names it. */
static const char *
kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "sale") == 0)
    return _ ("Sale");
  if (g_strcmp0 (kind, "void") == 0)
    return _ ("Void");
  if (g_strcmp0 (kind, "refund") == 0)
    return _ ("Refund");
  if (g_strcmp0 (kind, "receiving") == 0)
    return _ ("Receiving");
  if (g_strcmp0 (kind, "stocktake") == 0)
    return _ ("Stocktake");
  return _ ("Adjustment");
}

static char *
format_when (gint64 at_us)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_local (at_us / G_USEC_PER_SEC);

  return dt != NULL ? g_date_time_format (dt, "%m-%d %H:%M") : g_strdup ("");
}

static GtkWidget *
cell (const char *text, int width_chars, float xalign)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  if (width_chars > 0)
    gtk_label_set_width_chars (GTK_LABEL (label), width_chars);
  else
    {
      gtk_widget_set_hexpand (label, TRUE);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
    }
  return label;
}

static GtkWidget *
row_box (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);

  gtk_widget_set_margin_start (box, 10);
  gtk_widget_set_margin_end (box, 10);
  gtk_widget_set_margin_top (box, 5);
  gtk_widget_set_margin_bottom (box, 5);
  return box;
}

static void
clear_list (GtkListBox *list)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static void
set_placeholder (GtkListBox *list, const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_margin_top (label, 8);
  gtk_widget_set_margin_bottom (label, 8);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_list_box_set_placeholder (list, label);
}

/* ---- the stock fields ----------------------------------------------------------------- */

static void
update_min_label (TillProductsWindow *self)
{
  gtk_label_set_text (self->min_label, gtk_check_button_get_active (self->weighed_check)
                                           ? _ ("Minimum (kg)")
                                           : _ ("Minimum (units)"));
}

static void
weighed_toggled_cb (GtkCheckButton *check, TillProductsWindow *self)
{
  update_min_label (self);
}

void
_till_products_window_stock_loaded (TillProductsWindow *self)
{
  gtk_check_button_set_active (self->track_check,
                               till_product_editor_get_track_stock (self->editor));
  gtk_editable_set_text (GTK_EDITABLE (self->min_entry),
                         till_product_editor_get_min_stock_text (self->editor));
  gtk_editable_set_text (GTK_EDITABLE (self->cost_entry),
                         till_product_editor_get_cost_text (self->editor));
  update_min_label (self);
}

void
_till_products_window_stock_to_editor (TillProductsWindow *self)
{
  till_product_editor_set_track_stock (self->editor,
                                       gtk_check_button_get_active (self->track_check));
  till_product_editor_set_min_stock_text (self->editor,
                                          gtk_editable_get_text (GTK_EDITABLE (self->min_entry)));
  till_product_editor_set_cost_text (self->editor,
                                     gtk_editable_get_text (GTK_EDITABLE (self->cost_entry)));
}

/* The level (the ledger's sum), marked below zero or below the minimum. */
static void
show_level (TillProductsWindow *self)
{
  TillProductEditor *editor = self->editor;
  gint64 level = till_product_editor_get_level_milli (editor);
  g_autofree char *qty = till_report_format_qty (level);
  g_autofree char *text = NULL;
  GtkWidget *label = GTK_WIDGET (self->level_label);
  gint64 min = 0;

  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "warning");
  if (till_product_editor_get_product_id (editor) == 0)
    {
      gtk_label_set_text (self->level_label, "—");
      return;
    }
  /* the minimum in the form (saved, it is what the low-stock list compares) */
  if (!till_product_editor_validate_stock (editor, NULL, &min, NULL, NULL))
    min = 0;
  if (!till_product_editor_get_track_stock (editor))
    text = g_strdup_printf (_ ("%s %s · not tracked"), qty, till_product_editor_get_unit (editor));
  else if (level < 0)
    {
      text = g_strdup_printf (_ ("%s %s · below zero"), qty, till_product_editor_get_unit (editor));
      gtk_widget_add_css_class (label, "error");
    }
  else if (level < min)
    {
      text = g_strdup_printf (_ ("%s %s · below the minimum"), qty,
                              till_product_editor_get_unit (editor));
      gtk_widget_add_css_class (label, "warning");
    }
  else
    text = g_strdup_printf ("%s %s", qty, till_product_editor_get_unit (editor));
  gtk_label_set_text (self->level_label, text);
}

static void
stock_changed_cb (TillProductEditor *editor, TillProductsWindow *self)
{
  GPtrArray *moves = till_product_editor_get_stock_moves (editor);
  GPtrArray *history = till_product_editor_get_price_history (editor);

  show_level (self);
  clear_list (self->moves_list);
  for (guint i = 0; i < moves->len; i++)
    {
      TillStockMove *move = g_ptr_array_index (moves, i);
      g_autofree char *when = format_when (move->at);
      g_autofree char *qty = till_report_format_qty (move->qty_milli);
      g_autofree char *signed_qty
          = move->qty_milli > 0 ? g_strconcat ("+", qty, NULL) : g_strdup (qty);
      g_autofree char *detail
          = g_strdup_printf ("%s · %s · %s", when, move->reference != NULL ? move->reference : "",
                             move->who != NULL ? move->who : "");
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
      GtkWidget *qty_cell = cell (signed_qty, 8, 1);
      GtkWidget *detail_cell = cell (detail, 0, 0);

      gtk_widget_set_margin_start (box, 10);
      gtk_widget_set_margin_end (box, 10);
      gtk_widget_set_margin_top (box, 6);
      gtk_widget_set_margin_bottom (box, 6);
      gtk_widget_add_css_class (qty_cell, move->qty_milli < 0 ? "error" : "success");
      gtk_widget_add_css_class (detail_cell, "dim-label");
      gtk_widget_add_css_class (detail_cell, "caption");
      gtk_label_set_ellipsize (GTK_LABEL (detail_cell), PANGO_ELLIPSIZE_MIDDLE);
      gtk_box_append (GTK_BOX (top), cell (kind_label (move->kind), 0, 0));
      gtk_box_append (GTK_BOX (top), qty_cell);
      gtk_box_append (GTK_BOX (box), top);
      gtk_box_append (GTK_BOX (box), detail_cell);
      gtk_list_box_append (self->moves_list, box);
    }
  clear_list (self->history_list);
  for (guint i = 0; i < history->len; i++)
    {
      TillPriceChange *change = g_ptr_array_index (history, i);
      g_autofree char *when = format_when (change->at);
      g_autofree char *old_price = till_money_format (change->old_fen);
      g_autofree char *new_price = till_money_format (change->new_fen);
      g_autofree char *prices = g_strdup_printf ("%s → %s", old_price, new_price);
      GtkWidget *box = row_box ();

      gtk_box_append (GTK_BOX (box), cell (when, 11, 0));
      gtk_box_append (GTK_BOX (box), cell (prices, 0, 0));
      gtk_box_append (GTK_BOX (box), cell (change->actor != NULL ? change->actor : "", 7, 1));
      gtk_list_box_append (self->history_list, box);
    }
}

/* ---- the low-stock list --------------------------------------------------------------- */

gboolean
_till_products_window_low_stock_shown (TillProductsWindow *self)
{
  return gtk_toggle_button_get_active (self->low_stock_toggle);
}

static void
low_stock_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillProductsWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) items = till_store_run_finish (TILL_STORE (object), result, &error);

  if (items == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _till_products_window_set_message (self, TRUE, error->message);
      return;
    }
  if (!_till_products_window_low_stock_shown (self))
    return;
  clear_list (self->results_list);
  g_clear_pointer (&self->low_stock, g_ptr_array_unref);
  self->low_stock = g_steal_pointer (&items);
  for (guint i = 0; i < self->low_stock->len; i++)
    {
      TillLowStock *item = g_ptr_array_index (self->low_stock, i);
      g_autofree char *level = till_report_format_qty (item->level_milli);
      g_autofree char *min = till_report_format_qty (item->min_stock_milli);
      g_autofree char *figures
          = item->level_milli < 0 ? g_strdup_printf (_ ("%s, below zero (minimum %s)"), level, min)
                                  : g_strdup_printf (_ ("%s (minimum %s)"), level, min);
      GtkWidget *box = row_box ();
      GtkWidget *figures_cell = cell (figures, 0, 1);

      gtk_widget_set_margin_top (box, 8);
      gtk_widget_set_margin_bottom (box, 8);
      gtk_widget_add_css_class (figures_cell, item->level_milli < 0 ? "error" : "warning");
      gtk_box_append (GTK_BOX (box), cell (item->name, 0, 0));
      gtk_box_append (GTK_BOX (box), figures_cell);
      gtk_list_box_append (self->results_list, box);
    }
  if (self->low_stock->len == 0)
    {
      GtkWidget *label = gtk_label_new (_ ("No product is low on stock"));
      GtkListBoxRow *row;

      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_list_box_append (self->results_list, label);
      row = gtk_list_box_get_row_at_index (self->results_list, 0);
      gtk_list_box_row_set_activatable (row, FALSE);
    }
}

static gpointer
low_stock_job (TillStore *store, gpointer data, GError **error)
{
  return till_store_list_low_stock (store, error);
}

void
_till_products_window_reload_low_stock (TillProductsWindow *self)
{
  till_store_run_async (_till_products_window_store (self), low_stock_job, NULL, NULL,
                        (GDestroyNotify)g_ptr_array_unref, self->cancellable, low_stock_loaded_cb,
                        g_object_ref (self));
}

void
_till_products_window_low_stock_activated (TillProductsWindow *self, int index)
{
  if (self->low_stock != NULL && index >= 0 && (guint)index < self->low_stock->len)
    _till_products_window_load_product (
        self, ((TillLowStock *)g_ptr_array_index (self->low_stock, index))->product_id);
}

void
_till_products_window_low_stock_toggled_cb (GtkToggleButton *toggle, TillProductsWindow *self)
{
  if (gtk_toggle_button_get_active (toggle))
    {
      _till_products_window_reload_low_stock (self);
      return;
    }
  clear_list (self->results_list);
  g_clear_pointer (&self->low_stock, g_ptr_array_unref);
  _till_products_window_search_again (self);
}

static void
low_stock_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillProductsWindow *self = TILL_PRODUCTS_WINDOW (widget);

  gtk_toggle_button_set_active (self->low_stock_toggle,
                                !gtk_toggle_button_get_active (self->low_stock_toggle));
}

/* ---- the stock export ----------------------------------------------------------------- */

static gpointer
export_job (TillStore *store, gpointer data, GError **error)
{
  guint n = 0;

  if (!till_store_export_stock_csv (store, data, &n, error))
    return NULL;
  return g_memdup2 (&n, sizeof n);
}

typedef struct
{
  TillProductsWindow *self;
  char *path;
} ExportRequest;

static void
exported_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  ExportRequest *request = user_data;
  g_autoptr (TillProductsWindow) self = request->self;
  g_autofree char *path = request->path;
  g_autoptr (GError) error = NULL;
  g_autofree guint *n = till_store_run_finish (TILL_STORE (object), result, &error);
  g_autofree char *text = NULL;

  g_free (request);
  if (n == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_ ("Export failed: %s"), error->message);
      _till_products_window_set_message (self, TRUE, text);
      return;
    }
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The stock of %u product was saved in %s",
                                       "The stock of %u products was saved in %s", *n),
                          *n, path);
  _till_products_window_set_message (self, FALSE, text);
}

void
till_products_window_export_stock (TillProductsWindow *self, const char *path)
{
  ExportRequest *request;

  g_return_if_fail (TILL_IS_PRODUCTS_WINDOW (self));
  g_return_if_fail (path != NULL);

  request = g_new0 (ExportRequest, 1);
  request->self = g_object_ref (self);
  request->path = g_strdup (path);
  till_store_run_async (_till_products_window_store (self), export_job, g_strdup (path), g_free,
                        g_free, self->cancellable, exported_cb, request);
}

static void
chooser_response_cb (GtkNativeDialog *chooser, int response, TillProductsWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        till_products_window_export_stock (self, path);
      else
        _till_products_window_set_message (self, TRUE,
                                           _ ("Choose a file on this computer for the export"));
    }
  g_object_unref (chooser);
}

static void
export_stock_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillProductsWindow *self = TILL_PRODUCTS_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "tillpoint-stock-%Y%m%d.csv");

  chooser = gtk_file_chooser_native_new (_ ("Export stock"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _ ("Save"), _ ("Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- setup ---------------------------------------------------------------------------- */

void
_till_products_window_stock_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, header_box);
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, low_stock_toggle);
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, track_check);
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, level_label);
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, min_label);
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, min_entry);
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, cost_entry);
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, moves_list);
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, history_list);
  gtk_widget_class_bind_template_callback (widget_class,
                                           _till_products_window_low_stock_toggled_cb);

  gtk_widget_class_install_action (widget_class, "products.low-stock", NULL, low_stock_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "products.low-stock", NULL);
  gtk_widget_class_install_action (widget_class, "products.export-stock", NULL,
                                   export_stock_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "products.export-stock", NULL);
}

void
_till_products_window_stock_init (TillProductsWindow *self)
{
  g_signal_connect (self->editor, "stock-changed", G_CALLBACK (stock_changed_cb), self);
  g_signal_connect (self->weighed_check, "toggled", G_CALLBACK (weighed_toggled_cb), self);
  set_placeholder (self->moves_list, _ ("No stock moves yet"));
  set_placeholder (self->history_list, _ ("No price changes yet"));
}

void
_till_products_window_stock_dispose (TillProductsWindow *self)
{
  g_clear_pointer (&self->low_stock, g_ptr_array_unref);
}
