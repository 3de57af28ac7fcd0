/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillStocktakeWindow: the goods counted on the shelf (盘点), booked as one stocktake. */
#define G_LOG_DOMAIN "till-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "till-confirm-window.h"
#include "till-pin-window.h"
#include "till-scanner-hub.h"
#include "till-shift.h"
#include "till-stock-qty.h"
#include "till-stocktake-window.h"
#include "till-store-search.h"
#include "till-ui-util.h"

struct _TillStocktakeWindow
{
  GtkWindow parent_instance;

  TillContext *context;
  TillStocktakeDraft *draft;
  GCancellable *cancellable;
  GPtrArray *results; /* TillSearchHit*, the search's rows */
  char *message;
  gboolean filling; /* the window sets its own widgets: no echo to the draft */
  gboolean discard; /* the person chose to close without booking */

  AdwToastOverlay *toast_overlay;
  GtkLabel *status_label;
  GtkSearchEntry *search_entry;
  GtkListBox *results_list;
  GtkListBox *lines_list;
  GtkLabel *message_label;
  GtkLabel *total_label;
};

G_DEFINE_FINAL_TYPE (TillStocktakeWindow, till_stocktake_window, GTK_TYPE_WINDOW)

static void
show_error (TillStocktakeWindow *self, const char *text)
{
  till_ui_show_message (self->message_label, &self->message, text, TRUE);
}

/* ---- the lines ----------------------------------------------------------------------- */

typedef struct
{
  GtkEntry *counted;
  GtkLabel *variance;
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
update_row (TillStocktakeWindow *self, guint index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->lines_list, (int)index);
  g_autoptr (GError) error = NULL;
  gint64 variance = 0;
  GtkWidget *label;
  LineRow *widgets;

  if (row == NULL || (widgets = row_widgets (row)) == NULL)
    return;
  label = GTK_WIDGET (widgets->variance);
  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "success");
  gtk_widget_remove_css_class (label, "dim-label");
  if (till_stocktake_draft_line_values (self->draft, index, NULL, &variance, &error))
    {
      g_autofree char *number = till_stock_qty_format (variance);
      g_autofree char *text
          = variance > 0 ? g_strconcat ("+", number, NULL) : g_steal_pointer (&number);

      gtk_label_set_text (widgets->variance, text);
      gtk_widget_set_tooltip_text (label, NULL);
      gtk_widget_add_css_class (label, variance < 0   ? "error"
                                       : variance > 0 ? "success"
                                                      : "dim-label");
    }
  else
    {
      gtk_label_set_text (widgets->variance, "");
      gtk_widget_set_tooltip_text (label, error->message);
    }
}

static void
update_status (TillStocktakeWindow *self)
{
  guint n = till_stocktake_draft_get_n_lines (self->draft);
  gint64 booked = till_stocktake_draft_get_booked_id (self->draft);
  g_autofree char *text = NULL;

  if (booked != 0)
    {
      g_autofree char *reference = g_strdup_printf ("S%" G_GINT64_FORMAT, booked);

      text = g_strdup_printf (_ ("Stocktake %s booked: the variances below are in the stock. "
                                 "Scan to start a new count."),
                              reference);
    }
  else if (n == 0)
    text = g_strdup (_ ("Scan each piece on the shelf, or type the count; weighed goods in kg."));
  else
    text = g_strdup_printf (_ ("Products counted: %u. The counts are booked only with Ctrl+Enter "
                               "and a manager's PIN."),
                            n);
  gtk_label_set_text (self->status_label, text);
  gtk_label_set_text (self->total_label, "");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "stocktake.confirm",
                                 till_stocktake_draft_get_unsaved (self->draft)
                                     && !till_stocktake_draft_get_busy (self->draft));
}

static void
counted_changed_cb (GtkEditable *entry, TillStocktakeWindow *self)
{
  int index = row_index_of (GTK_WIDGET (entry));

  if (self->filling || index < 0)
    return;
  till_stocktake_draft_set_counted_text (self->draft, index, gtk_editable_get_text (entry));
  update_row (self, index);
}

static void
counted_activate_cb (GtkEntry *entry, TillStocktakeWindow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
remove_clicked_cb (GtkButton *button, TillStocktakeWindow *self)
{
  int index = row_index_of (GTK_WIDGET (button));

  if (index >= 0)
    till_stocktake_draft_remove_line (self->draft, index);
}

static GtkWidget *
line_row_new (TillStocktakeWindow *self, const TillStocktakeDraftLine *line, gboolean booked)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (line->name);
  g_autofree char *expected_text = till_stock_qty_format (line->expected_milli);
  GtkWidget *expected = gtk_label_new (expected_text);
  GtkWidget *unit = gtk_label_new (line->unit);
  GtkWidget *counted = gtk_entry_new ();
  GtkWidget *variance = gtk_label_new ("");
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  GtkWidget *counted_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
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

  gtk_label_set_xalign (GTK_LABEL (expected), 1);
  gtk_widget_set_size_request (expected, 90, -1);
  gtk_widget_add_css_class (expected, "numeric");
  gtk_box_append (GTK_BOX (box), expected);

  gtk_editable_set_width_chars (GTK_EDITABLE (counted), 6);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (counted), 6);
  gtk_editable_set_text (GTK_EDITABLE (counted), line->counted_text);
  gtk_editable_set_editable (GTK_EDITABLE (counted), !booked);
  gtk_entry_set_placeholder_text (GTK_ENTRY (counted), line->weighed ? "0.000" : "0");
  gtk_entry_set_input_purpose (GTK_ENTRY (counted), GTK_INPUT_PURPOSE_NUMBER);
  gtk_accessible_update_property (
      GTK_ACCESSIBLE (counted), GTK_ACCESSIBLE_PROPERTY_LABEL,
      line->weighed ? _ ("Weight counted (kg)") : _ ("Quantity counted"), -1);
  gtk_widget_add_css_class (unit, "dim-label");
  gtk_label_set_width_chars (GTK_LABEL (unit), 3);
  gtk_label_set_xalign (GTK_LABEL (unit), 0);
  gtk_box_append (GTK_BOX (counted_box), counted);
  gtk_box_append (GTK_BOX (counted_box), unit);
  gtk_widget_set_size_request (counted_box, 130, -1);
  gtk_box_append (GTK_BOX (box), counted_box);

  gtk_label_set_xalign (GTK_LABEL (variance), 1);
  gtk_widget_set_size_request (variance, 100, -1);
  gtk_widget_add_css_class (variance, "numeric");
  gtk_box_append (GTK_BOX (box), variance);

  gtk_widget_set_tooltip_text (remove, _ ("Remove the line"));
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (remove, 34, -1);
  gtk_widget_set_sensitive (remove, !booked);
  gtk_box_append (GTK_BOX (box), remove);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  widgets->counted = GTK_ENTRY (counted);
  widgets->variance = GTK_LABEL (variance);
  g_object_set_data_full (G_OBJECT (row), "till-line", widgets, g_free);
  g_signal_connect (counted, "changed", G_CALLBACK (counted_changed_cb), self);
  g_signal_connect (counted, "activate", G_CALLBACK (counted_activate_cb), self);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
  return row;
}

static void
lines_changed_cb (TillStocktakeDraft *draft, TillStocktakeWindow *self)
{
  GtkListBoxRow *row;
  guint n = till_stocktake_draft_get_n_lines (draft);
  gboolean booked = till_stocktake_draft_get_booked_id (draft) != 0;

  while ((row = gtk_list_box_get_row_at_index (self->lines_list, 0)) != NULL)
    gtk_list_box_remove (self->lines_list, GTK_WIDGET (row));
  for (guint i = 0; i < n; i++)
    {
      gtk_list_box_append (self->lines_list,
                           line_row_new (self, till_stocktake_draft_get_line (draft, i), booked));
      update_row (self, i);
    }
  update_status (self);
}

static void
line_changed_cb (TillStocktakeDraft *draft, guint index, TillStocktakeWindow *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->lines_list, (int)index);

  if (row == NULL)
    return;
  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (row_widgets (row)->counted),
                         till_stocktake_draft_get_line (draft, index)->counted_text);
  self->filling = FALSE;
  update_row (self, index);
}

static void
draft_state_cb (TillStocktakeDraft *draft, GParamSpec *pspec, TillStocktakeWindow *self)
{
  update_status (self);
}

static void
focus_line (TillStocktakeWindow *self, int index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->lines_list, index);

  if (row == NULL)
    return;
  gtk_widget_grab_focus (GTK_WIDGET (row_widgets (row)->counted));
  gtk_editable_select_region (GTK_EDITABLE (row_widgets (row)->counted), 0, -1);
}

/* ---- counting ------------------------------------------------------------------------ */

static void
added_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillStocktakeWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  int index = till_stocktake_draft_add_finish (TILL_STOCKTAKE_DRAFT (object), result, &error);

  if (index < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_message ("Stocktake: %s", error->message);
          show_error (self, error->message);
        }
      return;
    }
  show_error (self, NULL);
  focus_line (self, index);
}

void
till_stocktake_window_enter_code (TillStocktakeWindow *self, const char *code)
{
  g_return_if_fail (TILL_IS_STOCKTAKE_WINDOW (self));
  g_return_if_fail (code != NULL);

  till_stocktake_draft_add_async (self->draft, code, 0, self->cancellable, added_cb,
                                  g_object_ref (self));
}

static void
code_scanned_cb (TillScannerHub *hub, const char *code, int source, TillStocktakeWindow *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)))
    till_stocktake_window_enter_code (self, code);
}

static void
results_found_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillStocktakeWindow) self = user_data;
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
search_changed_cb (GtkSearchEntry *entry, TillStocktakeWindow *self)
{
  till_store_find_products_async (till_context_get_store (self->context),
                                  gtk_editable_get_text (GTK_EDITABLE (entry)), 20,
                                  self->cancellable, results_found_cb, g_object_ref (self));
}

static void
add_hit (TillStocktakeWindow *self, guint index)
{
  if (self->results == NULL || index >= self->results->len)
    return;
  till_stocktake_draft_add_async (
      self->draft, NULL, ((TillSearchHit *)g_ptr_array_index (self->results, index))->product->id,
      self->cancellable, added_cb, g_object_ref (self));
}

static void
search_activate_cb (GtkSearchEntry *entry, TillStocktakeWindow *self)
{
  add_hit (self, 0);
}

static void
result_activated_cb (GtkListBox *list, GtkListBoxRow *row, TillStocktakeWindow *self)
{
  int index = gtk_list_box_row_get_index (row);

  if (index >= 0)
    add_hit (self, index);
}

/* ---- booking ------------------------------------------------------------------------- */

static void
committed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillStocktakeWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  gint64 id = till_stocktake_draft_commit_finish (TILL_STOCKTAKE_DRAFT (object), result, &error);
  g_autofree char *reference = NULL;
  g_autofree char *text = NULL;

  if (id == 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  reference = g_strdup_printf ("S%" G_GINT64_FORMAT, id);
  text = g_strdup_printf (_ ("Stocktake %s booked"), reference);
  till_ui_show_toast (self->toast_overlay, self->message_label, &self->message, text);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
approved_cb (TillPinWindow *pin, TillPerson *manager, TillStocktakeWindow *self)
{
  till_stocktake_draft_commit_async (self->draft, manager->name, self->cancellable, committed_cb,
                                     g_object_ref (self));
}

static void
confirm_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillStocktakeWindow *self = TILL_STOCKTAKE_WINDOW (widget);
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) lines = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *what = NULL;
  TillPinWindow *pin;

  if (till_stocktake_draft_get_busy (self->draft))
    return;
  /* The counts are checked before a manager is called over. */
  lines = till_stocktake_draft_validate (self->draft, &error);
  if (lines == NULL)
    {
      show_error (self, error->message);
      return;
    }
  detail = g_strdup_printf ("{\"lines\":%u}", lines->len);
  what = g_strdup_printf (_ ("Book the counts of %u products"), lines->len);
  pin = till_pin_window_new (GTK_WINDOW (self), self->context, TILL_APPROVAL_STOCKTAKE, detail,
                             what);
  g_signal_connect_object (pin, "approved", G_CALLBACK (approved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (pin));
}

static void
find_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (TILL_STOCKTAKE_WINDOW (widget)->search_entry));
}

static void
close_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static gboolean
close_idle_cb (gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

/* The question closes itself after this signal: this window (its parent) closes after. */
static void
discard_confirmed_cb (TillConfirmWindow *confirm, TillStocktakeWindow *self)
{
  g_message ("Stocktake: %u counted product(s) discarded unbooked",
             till_stocktake_draft_get_n_lines (self->draft));
  self->discard = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_idle_cb, g_object_ref (self), g_object_unref);
}

/* Counts not booked are not lost by a stray Escape: ask first. */
static gboolean
till_stocktake_window_close_request (GtkWindow *window)
{
  TillStocktakeWindow *self = TILL_STOCKTAKE_WINDOW (window);
  TillConfirmWindow *confirm;
  g_autofree char *body = NULL;

  if (self->discard || !till_stocktake_draft_get_unsaved (self->draft))
    return GTK_WINDOW_CLASS (till_stocktake_window_parent_class)->close_request (window);
  body = g_strdup_printf (_ ("Products counted but not booked: %u."),
                          till_stocktake_draft_get_n_lines (self->draft));
  confirm = till_confirm_window_new (window, _ ("Discard the counts?"), body, _ ("_Discard"));
  g_signal_connect_object (confirm, "confirmed", G_CALLBACK (discard_confirmed_cb), self, 0);
  gtk_window_present (GTK_WINDOW (confirm));
  return TRUE;
}

/* ---- GObject ------------------------------------------------------------------------- */

static void
till_stocktake_window_dispose (GObject *object)
{
  TillStocktakeWindow *self = TILL_STOCKTAKE_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (till_context_get_scanner_hub (self->context), self);
  if (self->draft != NULL)
    g_signal_handlers_disconnect_by_data (self->draft, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_STOCKTAKE_WINDOW);
  g_clear_object (&self->draft);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  G_OBJECT_CLASS (till_stocktake_window_parent_class)->dispose (object);
}

static void
till_stocktake_window_finalize (GObject *object)
{
  TillStocktakeWindow *self = TILL_STOCKTAKE_WINDOW (object);

  g_free (self->message);
  G_OBJECT_CLASS (till_stocktake_window_parent_class)->finalize (object);
}


/* Escape in the search: clears it, or closes the window when it is empty. */
static void
search_stop_cb (GtkSearchEntry *entry,
                TillStocktakeWindow *self)
{
  till_ui_search_escape (entry, GTK_WINDOW (self));
}

static void
till_stocktake_window_class_init (TillStocktakeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = till_stocktake_window_dispose;
  object_class->finalize = till_stocktake_window_finalize;
  window_class->close_request = till_stocktake_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tillpoint/Tillpoint/ui/"
                                                             "till-stocktake-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillStocktakeWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, TillStocktakeWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TillStocktakeWindow, results_list);
  gtk_widget_class_bind_template_child (widget_class, TillStocktakeWindow, lines_list);
  gtk_widget_class_bind_template_child (widget_class, TillStocktakeWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, TillStocktakeWindow, total_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, result_activated_cb);

  gtk_widget_class_install_action (widget_class, "stocktake.confirm", NULL, confirm_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "stocktake.confirm", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "stocktake.confirm", NULL);
  gtk_widget_class_install_action (widget_class, "stocktake.find", NULL, find_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "stocktake.find",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "stocktake.close", NULL, close_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "stocktake.close", NULL);
}

static void
till_stocktake_window_init (TillStocktakeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->toast_overlay = ADW_TOAST_OVERLAY (gtk_window_get_child (GTK_WINDOW (self)));
  self->cancellable = g_cancellable_new ();
  self->message = g_strdup ("");
  /* The scanner's codes come here, not to the sale, while this window is active. */
  g_object_set_data (G_OBJECT (self), "till-takes-scans", GINT_TO_POINTER (TRUE));
}

TillStocktakeWindow *
till_stocktake_window_new (GtkWindow *parent, TillContext *context)
{
  TillStocktakeWindow *self;
  const char *who;

  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  self = g_object_new (TILL_TYPE_STOCKTAKE_WINDOW, "transient-for", parent, "destroy-with-parent",
                       TRUE, NULL);
  self->context = g_object_ref (context);
  who = till_shift_get_cashier_or_default (till_context_get_shift (context));
  self->draft = till_stocktake_draft_new (till_context_get_store (context),
                                          who != NULL && *who != '\0' ? who : "till");
  g_signal_connect (self->draft, "lines-changed", G_CALLBACK (lines_changed_cb), self);
  g_signal_connect (self->draft, "line-changed", G_CALLBACK (line_changed_cb), self);
  g_signal_connect (self->draft, "notify::busy", G_CALLBACK (draft_state_cb), self);
  g_signal_connect (till_context_get_scanner_hub (context), "code-scanned",
                    G_CALLBACK (code_scanned_cb), self);
  {
    GtkWidget *placeholder = gtk_label_new (_ ("Scan the goods on the shelf, or find them on the "
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
  update_status (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return self;
}

TillStocktakeDraft *
till_stocktake_window_get_draft (TillStocktakeWindow *self)
{
  g_return_val_if_fail (TILL_IS_STOCKTAKE_WINDOW (self), NULL);
  return self->draft;
}

const char *
till_stocktake_window_get_message (TillStocktakeWindow *self)
{
  g_return_val_if_fail (TILL_IS_STOCKTAKE_WINDOW (self), "");
  return self->message;
}

const char *
till_stocktake_window_get_variance_text (TillStocktakeWindow *self, guint index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (TILL_IS_STOCKTAKE_WINDOW (self), "");
  row = gtk_list_box_get_row_at_index (self->lines_list, (int)index);
  if (row == NULL || row_widgets (row) == NULL)
    return "";
  return gtk_label_get_text (row_widgets (row)->variance);
}
