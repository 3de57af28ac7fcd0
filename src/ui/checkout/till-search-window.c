/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillSearchWindow: the Ctrl+F window over the cashier's; it shows a TillProductSearch and
 * sends it the cashier's keys. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "till-search-window.h"

struct _TillSearchWindow
{
  GtkWindow          parent_instance;

  TillProductSearch *search;
  gboolean           add_when_answered;  /* Enter came before the answer */
  gboolean           filling;            /* the list is being rebuilt */

  GtkSearchEntry    *query_entry;
  GtkStack          *stack;
  AdwStatusPage     *empty_page;
  GtkScrolledWindow *scroller;
  GtkListBox        *list;
  GtkLabel          *count_label;
  GtkButton         *add_button;
};

G_DEFINE_FINAL_TYPE (TillSearchWindow, till_search_window, GTK_TYPE_WINDOW)

static GtkWidget *
make_row (const TillSearchHit *hit)
{
  const TillProduct *product = hit->product;
  g_autofree char *price = till_money_format (product->price_fen);
  g_autofree char *price_text = NULL;
  g_autofree char *code_text = NULL;
  GtkWidget *row, *box, *name, *code, *amount;

  if (product->weighed)
    /* Translators: a price per kilogram, e.g. "¥6.98/kg" */
    price_text = g_strdup_printf (_("%s/kg"), price);
  else
    price_text = g_steal_pointer (&price);
  if (product->barcode != NULL && *product->barcode != '\0')
    code_text = g_strdup (product->barcode);
  else
    /* Translators: a product's short code typed at the till */
    code_text = g_strdup_printf (_("PLU %s"), product->plu != NULL ? product->plu : "");

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (box, "search-row");
  name = gtk_label_new (product->name);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (name, "search-name");
  code = gtk_label_new (code_text);
  gtk_widget_add_css_class (code, "dim-label");
  gtk_widget_add_css_class (code, "search-code");
  gtk_widget_add_css_class (code, "numeric");
  amount = gtk_label_new (price_text);
  gtk_label_set_xalign (GTK_LABEL (amount), 1);
  gtk_label_set_width_chars (GTK_LABEL (amount), 10);
  gtk_widget_add_css_class (amount, "numeric");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), code);
  gtk_box_append (GTK_BOX (box), amount);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_focusable (row, FALSE);
  return row;
}

static void
show_selected (TillSearchWindow *self)
{
  int selected = till_product_search_get_selected (self->search);
  GtkListBoxRow *row = selected >= 0 ? gtk_list_box_get_row_at_index (self->list, selected)
                                     : NULL;
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;

  self->filling = TRUE;
  if (row == NULL)
    gtk_list_box_unselect_all (self->list);
  else
    gtk_list_box_select_row (self->list, row);
  self->filling = FALSE;
  if (row == NULL)
    return;
  /* Keep the chosen row in view. */
  adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  if (gtk_widget_compute_bounds (GTK_WIDGET (row), GTK_WIDGET (self->list), &bounds))
    {
      double top = bounds.origin.y, bottom = top + bounds.size.height;
      double value = gtk_adjustment_get_value (adjustment);
      double page = gtk_adjustment_get_page_size (adjustment);

      if (top < value)
        gtk_adjustment_set_value (adjustment, top);
      else if (bottom > value + page)
        gtk_adjustment_set_value (adjustment, bottom - page);
    }
}

static void
update_count (TillSearchWindow *self)
{
  guint n = till_product_search_get_n_results (self->search);
  g_autofree char *text = NULL;

  if (till_product_search_get_searching (self->search))
    text = g_strdup (_("Searching…"));
  else if (n >= TILL_STORE_SEARCH_LIMIT)
    text = g_strdup_printf (_("The first %u products: type more to narrow the search"), n);
  else if (n > 0)
    text = g_strdup_printf (ngettext ("%u product", "%u products", n), n);
  else
    text = g_strdup ("");
  gtk_label_set_text (self->count_label, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button),
                            n > 0 || till_product_search_get_searching (self->search));
}

static void
add_chosen (TillSearchWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (till_product_search_activate (self->search, &error))
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
    {
      /* Enter before the answer: add the first result once it comes. */
      self->add_when_answered = TRUE;
      return;
    }
  gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
results_changed_cb (TillProductSearch *search,
                    TillSearchWindow  *self)
{
  guint n = till_product_search_get_n_results (search);
  g_autofree char *description = NULL;
  g_autofree char *query = g_strstrip (g_strdup (till_product_search_get_answered (search)));
  GtkWidget *child;

  self->filling = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (self->list, make_row (till_product_search_get_result (search, i)));
  self->filling = FALSE;
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);

  if (n > 0)
    gtk_stack_set_visible_child_name (self->stack, "results");
  else if (*query == '\0')
    gtk_stack_set_visible_child_name (self->stack, "hint");
  else
    {
      description = g_strdup_printf (_("Nothing matches “%s”. Check the spelling, or try the "
                                       "pinyin initials or the last digits of the barcode."),
                                     query);
      adw_status_page_set_description (self->empty_page, description);
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  show_selected (self);
  update_count (self);
  if (self->add_when_answered)
    {
      self->add_when_answered = FALSE;
      if (n > 0)
        add_chosen (self);
      else
        gtk_widget_error_bell (GTK_WIDGET (self));
    }
}

static void
selected_changed_cb (TillProductSearch *search,
                     GParamSpec        *pspec,
                     TillSearchWindow  *self)
{
  show_selected (self);
}

static void
searching_changed_cb (TillProductSearch *search,
                      GParamSpec        *pspec,
                      TillSearchWindow  *self)
{
  update_count (self);
}

static void
query_changed_cb (GtkEditable      *editable,
                  TillSearchWindow *self)
{
  self->add_when_answered = FALSE;
  till_product_search_set_query (self->search, gtk_editable_get_text (editable));
}

static void
query_activate_cb (GtkSearchEntry   *entry,
                   TillSearchWindow *self)
{
  add_chosen (self);
}

static void
query_stop_cb (GtkSearchEntry   *entry,
               TillSearchWindow *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
row_activated_cb (GtkListBox       *list,
                  GtkListBoxRow    *row,
                  TillSearchWindow *self)
{
  till_product_search_set_selected (self->search, gtk_list_box_row_get_index (row));
  add_chosen (self);
}

/* Up and Down choose while the typing stays in the entry. */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                TillSearchWindow      *self)
{
  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      till_product_search_move (self->search, -1);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      till_product_search_move (self->search, 1);
      return TRUE;
    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
      till_product_search_move (self->search, -8);
      return TRUE;
    case GDK_KEY_Page_Down:
    case GDK_KEY_KP_Page_Down:
      till_product_search_move (self->search, 8);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
add_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  add_chosen (TILL_SEARCH_WINDOW (widget));
}

static void
till_search_window_dispose (GObject *object)
{
  TillSearchWindow *self = TILL_SEARCH_WINDOW (object);

  if (self->search != NULL)
    g_signal_handlers_disconnect_by_data (self->search, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_SEARCH_WINDOW);
  g_clear_object (&self->search);

  G_OBJECT_CLASS (till_search_window_parent_class)->dispose (object);
}

static void
till_search_window_class_init (TillSearchWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_search_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-search-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillSearchWindow, query_entry);
  gtk_widget_class_bind_template_child (widget_class, TillSearchWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TillSearchWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, TillSearchWindow, scroller);
  gtk_widget_class_bind_template_child (widget_class, TillSearchWindow, list);
  gtk_widget_class_bind_template_child (widget_class, TillSearchWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, TillSearchWindow, add_button);
  gtk_widget_class_bind_template_callback (widget_class, query_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, query_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, query_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "search.add", NULL, add_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
till_search_window_init (TillSearchWindow *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

TillSearchWindow *
till_search_window_new (GtkWindow    *parent,
                        TillCheckout *checkout)
{
  TillSearchWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TILL_IS_CHECKOUT (checkout), NULL);

  self = g_object_new (TILL_TYPE_SEARCH_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->search = till_product_search_new (checkout);
  g_signal_connect (self->search, "results-changed", G_CALLBACK (results_changed_cb), self);
  g_signal_connect (self->search, "notify::selected", G_CALLBACK (selected_changed_cb), self);
  g_signal_connect (self->search, "notify::searching", G_CALLBACK (searching_changed_cb), self);
  update_count (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->query_entry));
  return self;
}

TillProductSearch *
till_search_window_get_search (TillSearchWindow *self)
{
  g_return_val_if_fail (TILL_IS_SEARCH_WINDOW (self), NULL);
  return self->search;
}

GtkEditable *
till_search_window_get_entry (TillSearchWindow *self)
{
  g_return_val_if_fail (TILL_IS_SEARCH_WINDOW (self), NULL);
  return GTK_EDITABLE (self->query_entry);
}
