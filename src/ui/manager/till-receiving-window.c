/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReceivingWindow: the goods received from a supplier (进货), booked as one receiving. */
#define G_LOG_DOMAIN "till-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "till-money.h"
#include "till-receiving-window.h"
#include "till-scanner-hub.h"
#include "till-store-search.h"
#include "till-ui-util.h"

struct _TillReceivingWindow
{
  GtkWindow parent_instance;

  TillContext *context;
  TillReceivingDraft *draft;
  GCancellable *cancellable;
  GPtrArray *results; /* TillSearchHit*, the search's rows */
  GtkStringList *suppliers;
  char *message;
  gboolean filling; /* the window sets its own widgets: no echo to the draft */

  AdwToastOverlay *toast_overlay;
  GtkEntry *supplier_entry;
  GtkDropDown *suppliers_dropdown;
  GtkSearchEntry *search_entry;
  GtkListBox *results_list;
  GtkListBox *lines_list;
  GtkLabel *message_label;
  GtkLabel *total_label;
};

G_DEFINE_FINAL_TYPE (TillReceivingWindow, till_receiving_window, GTK_TYPE_WINDOW)

static void
show_error (TillReceivingWindow *self, const char *text)
{
  till_ui_show_message (self->message_label, &self->message, text, TRUE);
}

/* ---- the lines ----------------------------------------------------------------------- */

typedef struct
{
  GtkEntry *qty;
  GtkEntry *cost;
  GtkLabel *total;
} LineRow;

static LineRow *
row_widgets (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (row), "till-line");
}

static int
row_index_of (GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX_ROW);

  return row != NULL ? gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) : -1;
}

static void
update_row (TillReceivingWindow *self, guint index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->lines_list, (int)index);
  g_autoptr (GError) error = NULL;
  gint64 line_fen = 0;
  LineRow *widgets;

  if (row == NULL || (widgets = row_widgets (row)) == NULL)
    return;
  if (till_receiving_draft_line_values (self->draft, index, NULL, NULL, &line_fen, &error))
    {
      g_autofree char *text = till_money_format (line_fen);

      gtk_label_set_text (widgets->total, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (widgets->total), NULL);
      gtk_widget_remove_css_class (GTK_WIDGET (widgets->total), "error");
    }
  else
    {
      gtk_label_set_text (widgets->total, "—");
      gtk_widget_set_tooltip_text (GTK_WIDGET (widgets->total), error->message);
      gtk_widget_add_css_class (GTK_WIDGET (widgets->total), "error");
    }
}

static void
update_total (TillReceivingWindow *self)
{
  g_autofree char *money = till_money_format (till_receiving_draft_get_total_fen (self->draft));
  g_autofree char *text = g_strdup_printf (_ ("Total cost %s"), money);

  gtk_label_set_text (self->total_label, text);
}

static void
qty_changed_cb (GtkEditable *entry, TillReceivingWindow *self)
{
  int index = row_index_of (GTK_WIDGET (entry));

  if (self->filling || index < 0)
    return;
  till_receiving_draft_set_qty_text (self->draft, index, gtk_editable_get_text (entry));
  update_row (self, index);
}

static void
cost_changed_cb (GtkEditable *entry, TillReceivingWindow *self)
{
  int index = row_index_of (GTK_WIDGET (entry));

  if (self->filling || index < 0)
    return;
  till_receiving_draft_set_cost_text (self->draft, index, gtk_editable_get_text (entry));
  update_row (self, index);
}

/* Enter in a line: the next field, then the search for the next product. */
static void
qty_activate_cb (GtkEntry *entry, TillReceivingWindow *self)
{
  GtkListBoxRow *row
      = GTK_LIST_BOX_ROW (gtk_widget_get_ancestor (GTK_WIDGET (entry), GTK_TYPE_LIST_BOX_ROW));

  gtk_widget_grab_focus (GTK_WIDGET (row_widgets (row)->cost));
}

static void
cost_activate_cb (GtkEntry *entry, TillReceivingWindow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
remove_clicked_cb (GtkButton *button, TillReceivingWindow *self)
{
  int index = row_index_of (GTK_WIDGET (button));

  if (index >= 0)
    till_receiving_draft_remove_line (self->draft, index);
}

static GtkWidget *
line_row_new (TillReceivingWindow *self, const TillReceivingDraftLine *line)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (line->name);
  GtkWidget *unit = gtk_label_new (line->unit);
  GtkWidget *qty = gtk_entry_new ();
  GtkWidget *cost = gtk_entry_new ();
  GtkWidget *total = gtk_label_new ("");
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  GtkWidget *qty_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  LineRow *widgets = g_new0 (LineRow, 1);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_box_append (GTK_BOX (box), name);

  gtk_editable_set_width_chars (GTK_EDITABLE (qty), 6);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (qty), 6);
  gtk_editable_set_text (GTK_EDITABLE (qty), line->qty_text);
  gtk_entry_set_placeholder_text (GTK_ENTRY (qty), line->weighed ? "0.000" : "0");
  gtk_entry_set_input_purpose (GTK_ENTRY (qty), GTK_INPUT_PURPOSE_NUMBER);
  gtk_accessible_update_property (
      GTK_ACCESSIBLE (qty), GTK_ACCESSIBLE_PROPERTY_LABEL,
      line->weighed ? _ ("Weight received (kg)") : _ ("Quantity received"), -1);
  gtk_widget_add_css_class (unit, "dim-label");
  gtk_label_set_width_chars (GTK_LABEL (unit), 3);
  gtk_label_set_xalign (GTK_LABEL (unit), 0);
  gtk_box_append (GTK_BOX (qty_box), qty);
  gtk_box_append (GTK_BOX (qty_box), unit);
  gtk_widget_set_size_request (qty_box, 130, -1);
  gtk_box_append (GTK_BOX (box), qty_box);

  gtk_editable_set_width_chars (GTK_EDITABLE (cost), 7);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (cost), 7);
  gtk_widget_set_size_request (cost, 100, -1);
  gtk_editable_set_text (GTK_EDITABLE (cost), line->cost_text);
  gtk_entry_set_placeholder_text (GTK_ENTRY (cost), "0.00");
  gtk_entry_set_input_purpose (GTK_ENTRY (cost), GTK_INPUT_PURPOSE_NUMBER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (cost), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Unit cost (¥)"), -1);
  gtk_box_append (GTK_BOX (box), cost);

  gtk_label_set_xalign (GTK_LABEL (total), 1);
  gtk_widget_set_size_request (total, 100, -1);
  gtk_widget_add_css_class (total, "numeric");
  gtk_box_append (GTK_BOX (box), total);

  gtk_widget_set_tooltip_text (remove, _ ("Remove the line"));
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (remove, 34, -1);
  gtk_box_append (GTK_BOX (box), remove);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  widgets->qty = GTK_ENTRY (qty);
  widgets->cost = GTK_ENTRY (cost);
  widgets->total = GTK_LABEL (total);
  g_object_set_data_full (G_OBJECT (row), "till-line", widgets, g_free);
  g_signal_connect (qty, "changed", G_CALLBACK (qty_changed_cb), self);
  g_signal_connect (cost, "changed", G_CALLBACK (cost_changed_cb), self);
  g_signal_connect (qty, "activate", G_CALLBACK (qty_activate_cb), self);
  g_signal_connect (cost, "activate", G_CALLBACK (cost_activate_cb), self);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
  return row;
}

static void
lines_changed_cb (TillReceivingDraft *draft, TillReceivingWindow *self)
{
  GtkListBoxRow *row;
  guint n = till_receiving_draft_get_n_lines (draft);

  while ((row = gtk_list_box_get_row_at_index (self->lines_list, 0)) != NULL)
    gtk_list_box_remove (self->lines_list, GTK_WIDGET (row));
  for (guint i = 0; i < n; i++)
    {
      gtk_list_box_append (self->lines_list,
                           line_row_new (self, till_receiving_draft_get_line (draft, i)));
      update_row (self, i);
    }
  update_total (self);
}

static void
line_changed_cb (TillReceivingDraft *draft, guint index, TillReceivingWindow *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->lines_list, (int)index);

  if (row == NULL)
    return;
  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (row_widgets (row)->qty),
                         till_receiving_draft_get_line (draft, index)->qty_text);
  self->filling = FALSE;
  update_row (self, index);
}

static void
total_changed_cb (TillReceivingDraft *draft, GParamSpec *pspec, TillReceivingWindow *self)
{
  update_total (self);
}

/* The line just scanned or picked: its quantity ready to be typed over. */
static void
focus_line (TillReceivingWindow *self, int index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->lines_list, index);

  if (row == NULL)
    return;
  gtk_widget_grab_focus (GTK_WIDGET (row_widgets (row)->qty));
  gtk_editable_select_region (GTK_EDITABLE (row_widgets (row)->qty), 0, -1);
}

/* ---- suppliers ----------------------------------------------------------------------- */

static void
supplier_changed_cb (GtkEditable *entry, TillReceivingWindow *self)
{
  if (!self->filling)
    till_receiving_draft_set_supplier (self->draft, gtk_editable_get_text (entry));
}

static void
draft_supplier_cb (TillReceivingDraft *draft, GParamSpec *pspec, TillReceivingWindow *self)
{
  const char *supplier = till_receiving_draft_get_supplier (draft);

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->supplier_entry)), supplier) == 0)
    return;
  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->supplier_entry), supplier);
  self->filling = FALSE;
}

static void
suppliers_cb (TillReceivingDraft *draft, GParamSpec *pspec, TillReceivingWindow *self)
{
  const char *const *suppliers = till_receiving_draft_get_suppliers (draft);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->suppliers));

  self->filling = TRUE;
  gtk_string_list_splice (self->suppliers, 1, n - 1, suppliers);
  gtk_drop_down_set_selected (self->suppliers_dropdown, 0);
  self->filling = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->suppliers_dropdown), suppliers[0] != NULL);
}

static void
supplier_picked_cb (GtkDropDown *dropdown, GParamSpec *pspec, TillReceivingWindow *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->filling || selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->supplier_entry),
                         gtk_string_list_get_string (self->suppliers, selected));
  self->filling = TRUE;
  gtk_drop_down_set_selected (dropdown, 0);
  self->filling = FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ---- adding goods -------------------------------------------------------------------- */

static void
added_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillReceivingWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  int index = till_receiving_draft_add_finish (TILL_RECEIVING_DRAFT (object), result, &error);

  if (index < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_message ("Receiving: %s", error->message);
          show_error (self, error->message);
        }
      return;
    }
  show_error (self, NULL);
  focus_line (self, index);
}

void
till_receiving_window_enter_code (TillReceivingWindow *self, const char *code)
{
  g_return_if_fail (TILL_IS_RECEIVING_WINDOW (self));
  g_return_if_fail (code != NULL);

  till_receiving_draft_add_async (self->draft, code, 0, self->cancellable, added_cb,
                                  g_object_ref (self));
}

static void
code_scanned_cb (TillScannerHub *hub, const char *code, int source, TillReceivingWindow *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)))
    till_receiving_window_enter_code (self, code);
}

static void
results_found_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillReceivingWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  GPtrArray *hits = till_store_find_products_finish (TILL_STORE (object), result, &error);

  if (hits == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  g_clear_pointer (&self->results, g_ptr_array_unref);
  self->results = hits;
  till_ui_show_product_hits (self->results_list, hits, FALSE);
}

static void
search_changed_cb (GtkSearchEntry *entry, TillReceivingWindow *self)
{
  till_store_find_products_async (till_context_get_store (self->context),
                                  gtk_editable_get_text (GTK_EDITABLE (entry)), 20,
                                  self->cancellable, results_found_cb, g_object_ref (self));
}

static void
add_hit (TillReceivingWindow *self, guint index)
{
  if (self->results == NULL || index >= self->results->len)
    return;
  till_receiving_draft_add_async (
      self->draft, NULL, ((TillSearchHit *)g_ptr_array_index (self->results, index))->product->id,
      self->cancellable, added_cb, g_object_ref (self));
}

/* Enter in the search: the first product found. */
static void
search_activate_cb (GtkSearchEntry *entry, TillReceivingWindow *self)
{
  add_hit (self, 0);
}

static void
result_activated_cb (GtkListBox *list, GtkListBoxRow *row, TillReceivingWindow *self)
{
  int index = gtk_list_box_row_get_index (row);

  if (index >= 0)
    add_hit (self, index);
}

/* ---- actions ------------------------------------------------------------------------- */

static void
committed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillReceivingWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  gint64 id = till_receiving_draft_commit_finish (TILL_RECEIVING_DRAFT (object), result, &error);
  g_autofree char *reference = NULL;
  g_autofree char *text = NULL;

  if (id == 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  reference = g_strdup_printf ("R%" G_GINT64_FORMAT, id);
  text = g_strdup_printf (_ ("Receiving %s booked"), reference);
  till_ui_show_toast (self->toast_overlay, self->message_label, &self->message, text);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->supplier_entry));
}

static void
confirm_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillReceivingWindow *self = TILL_RECEIVING_WINDOW (widget);

  if (till_receiving_draft_get_busy (self->draft))
    return;
  till_receiving_draft_commit_async (self->draft, self->cancellable, committed_cb,
                                     g_object_ref (self));
}

static void
find_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (TILL_RECEIVING_WINDOW (widget)->search_entry));
}

static void
close_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/* ---- GObject ------------------------------------------------------------------------- */

static void
till_receiving_window_dispose (GObject *object)
{
  TillReceivingWindow *self = TILL_RECEIVING_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (till_context_get_scanner_hub (self->context), self);
  if (self->draft != NULL)
    g_signal_handlers_disconnect_by_data (self->draft, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_RECEIVING_WINDOW);
  g_clear_object (&self->draft);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->suppliers);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  G_OBJECT_CLASS (till_receiving_window_parent_class)->dispose (object);
}

static void
till_receiving_window_finalize (GObject *object)
{
  TillReceivingWindow *self = TILL_RECEIVING_WINDOW (object);

  g_free (self->message);
  G_OBJECT_CLASS (till_receiving_window_parent_class)->finalize (object);
}


/* Escape in the search: clears it, or closes the window when it is empty. */
static void
search_stop_cb (GtkSearchEntry *entry,
                TillReceivingWindow *self)
{
  till_ui_search_escape (entry, GTK_WINDOW (self));
}

static void
till_receiving_window_class_init (TillReceivingWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_receiving_window_dispose;
  object_class->finalize = till_receiving_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tillpoint/Tillpoint/ui/"
                                                             "till-receiving-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillReceivingWindow, supplier_entry);
  gtk_widget_class_bind_template_child (widget_class, TillReceivingWindow, suppliers_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TillReceivingWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TillReceivingWindow, results_list);
  gtk_widget_class_bind_template_child (widget_class, TillReceivingWindow, lines_list);
  gtk_widget_class_bind_template_child (widget_class, TillReceivingWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, TillReceivingWindow, total_label);
  gtk_widget_class_bind_template_callback (widget_class, supplier_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, result_activated_cb);

  gtk_widget_class_install_action (widget_class, "receiving.confirm", NULL, confirm_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "receiving.confirm", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "receiving.confirm", NULL);
  gtk_widget_class_install_action (widget_class, "receiving.find", NULL, find_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "receiving.find",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "receiving.close", NULL, close_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "receiving.close", NULL);
}

static void
till_receiving_window_init (TillReceivingWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->toast_overlay = ADW_TOAST_OVERLAY (gtk_window_get_child (GTK_WINDOW (self)));
  self->cancellable = g_cancellable_new ();
  self->message = g_strdup ("");
  /* The scanner's codes come here, not to the sale, while this window is active. */
  g_object_set_data (G_OBJECT (self), "till-takes-scans", GINT_TO_POINTER (TRUE));
}

TillReceivingWindow *
till_receiving_window_new (GtkWindow *parent, TillContext *context, const char *who)
{
  TillReceivingWindow *self;
  const char *first[] = { _ ("Recent suppliers"), NULL };

  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (who != NULL && *who != '\0', NULL);

  self = g_object_new (TILL_TYPE_RECEIVING_WINDOW, "transient-for", parent, "destroy-with-parent",
                       TRUE, NULL);
  self->context = g_object_ref (context);
  self->draft = till_receiving_draft_new (till_context_get_store (context), who);
  self->suppliers = gtk_string_list_new (first);
  gtk_drop_down_set_model (self->suppliers_dropdown, G_LIST_MODEL (self->suppliers));
  gtk_widget_set_sensitive (GTK_WIDGET (self->suppliers_dropdown), FALSE);
  g_signal_connect (self->suppliers_dropdown, "notify::selected", G_CALLBACK (supplier_picked_cb),
                    self);
  g_signal_connect (self->draft, "lines-changed", G_CALLBACK (lines_changed_cb), self);
  g_signal_connect (self->draft, "line-changed", G_CALLBACK (line_changed_cb), self);
  g_signal_connect (self->draft, "notify::total-fen", G_CALLBACK (total_changed_cb), self);
  g_signal_connect (self->draft, "notify::supplier", G_CALLBACK (draft_supplier_cb), self);
  g_signal_connect (self->draft, "notify::suppliers", G_CALLBACK (suppliers_cb), self);
  g_signal_connect (till_context_get_scanner_hub (context), "code-scanned",
                    G_CALLBACK (code_scanned_cb), self);
  {
    GtkWidget *placeholder = gtk_label_new (_ ("Scan the goods received, or find them on the "
                                               "left"));
    GtkWidget *results_placeholder = gtk_label_new (_ ("Type a name, pinyin, PLU or barcode "
                                                       "above"));

    gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
    gtk_widget_set_margin_top (placeholder, 24);
    gtk_widget_set_margin_bottom (placeholder, 24);
    gtk_widget_add_css_class (placeholder, "dim-label");
    gtk_list_box_set_placeholder (self->lines_list, placeholder);
    gtk_label_set_wrap (GTK_LABEL (results_placeholder), TRUE);
    gtk_widget_set_margin_top (results_placeholder, 12);
    gtk_widget_set_margin_bottom (results_placeholder, 12);
    gtk_widget_set_margin_start (results_placeholder, 12);
    gtk_widget_set_margin_end (results_placeholder, 12);
    gtk_widget_add_css_class (results_placeholder, "dim-label");
    gtk_list_box_set_placeholder (self->results_list, results_placeholder);
  }
  update_total (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->supplier_entry));
  return self;
}

TillReceivingDraft *
till_receiving_window_get_draft (TillReceivingWindow *self)
{
  g_return_val_if_fail (TILL_IS_RECEIVING_WINDOW (self), NULL);
  return self->draft;
}

const char *
till_receiving_window_get_message (TillReceivingWindow *self)
{
  g_return_val_if_fail (TILL_IS_RECEIVING_WINDOW (self), "");
  return self->message;
}
