/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillStockSection: the reports' Stock tab, shown from a TillStockReport. */
#define G_LOG_DOMAIN "till-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "till-money.h"
#include "till-report.h"
#include "till-stock-section.h"
#include "till-text-row.h"

struct _TillStockSection
{
  GtkBox         parent_instance;

  GListStore    *categories;
  GListStore    *products;
  GListStore    *values;
  GListStore    *moves;

  GtkStack      *stack;
  AdwStatusPage *empty_page;
  GtkLabel      *revenue_label;
  GtkLabel      *cost_label;
  GtkLabel      *margin_label;
  GtkLabel      *percent_label;
  GtkLabel      *value_label;
  GtkLabel      *note_label;
  GtkColumnView *categories_view;
  GtkColumnView *products_view;
  GtkColumnView *values_view;
  GtkColumnView *moves_view;
};

G_DEFINE_FINAL_TYPE (TillStockSection, till_stock_section, GTK_TYPE_BOX)

static const char *
category_name (const char *category)
{
  return category != NULL ? category : _("Uncategorized");
}

/* revenue, cost, margin, margin %: "—" for the last three without a known cost */
static TillTextRow *
margin_row (gint64      id,
            const char *first,
            const char *second,
            const char *qty,
            gint64      revenue_fen,
            gint64      costed_revenue_fen,
            gint64      cost_fen,
            gboolean    known)
{
  g_autofree char *rev = till_money_format (revenue_fen);
  g_autofree char *cst = known ? till_money_format (cost_fen) : g_strdup (_("cost unknown"));
  g_autofree char *mar = known ? till_money_format (costed_revenue_fen - cost_fen)
                               : g_strdup ("—");
  g_autofree char *pct = known ? till_margin_format_percent (costed_revenue_fen - cost_fen,
                                                             costed_revenue_fen)
                               : g_strdup ("—");

  if (second == NULL)
    return till_text_row_new_va (id, first, rev, cst, mar, pct, NULL);
  return till_text_row_new_va (id, first, second, qty, rev, cst, mar, pct, NULL);
}

void
till_stock_section_show (TillStockSection      *self,
                         const TillStockReport *report)
{
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GString) note = g_string_new (NULL);
  TillMarginSum total;
  gboolean known;

  g_return_if_fail (TILL_IS_STOCK_SECTION (self));
  g_return_if_fail (report != NULL);

  g_list_store_remove_all (self->categories);
  g_list_store_remove_all (self->products);
  g_list_store_remove_all (self->values);
  g_list_store_remove_all (self->moves);
  if (!till_stock_report_has_stock (report))
    {
      adw_status_page_set_title (self->empty_page, _("No stock tracked"));
      adw_status_page_set_description (self->empty_page,
        _("A product's stock is tracked once goods are received or counted: its margin and "
          "value show here."));
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  till_stock_report_total (report, &total);
  known = total.n_products > total.n_unknown;
  {
    g_autofree char *rev = till_money_format (total.revenue_fen);
    g_autofree char *cst = known ? till_money_format (total.cost_fen) : g_strdup ("—");
    g_autofree char *mar = known ? till_money_format (total.costed_revenue_fen - total.cost_fen)
                                 : g_strdup ("—");
    g_autofree char *pct = known ? till_margin_format_percent (total.costed_revenue_fen
                                                               - total.cost_fen,
                                                               total.costed_revenue_fen)
                                 : g_strdup ("—");
    g_autofree char *value = till_money_format (report->stock_value_fen);

    gtk_label_set_text (self->revenue_label, rev);
    gtk_label_set_text (self->cost_label, cst);
    gtk_label_set_text (self->margin_label, mar);
    gtk_label_set_text (self->percent_label, pct);
    gtk_label_set_text (self->value_label, value);
  }
  if (total.n_unknown > 0)
    {
      g_autofree char *left = till_money_format (total.revenue_fen - total.costed_revenue_fen);

      g_string_append_printf (note, _("Cost unknown for %u of %u products: their revenue (%s) "
                                      "is left out of the margin."),
                              total.n_unknown, total.n_products, left);
    }
  if (report->n_below_zero > 0)
    {
      if (note->len > 0)
        g_string_append_c (note, '\n');
      g_string_append_printf (note, _("Products below zero, valued at 0: %u"),
                              report->n_below_zero);
    }
  gtk_label_set_text (self->note_label, note->str);
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), note->len > 0);

  categories = till_stock_report_by_category (report);
  for (guint i = 0; i < categories->len; i++)
    {
      const TillMarginSum *sum = g_ptr_array_index (categories, i);
      g_autoptr(TillTextRow) row =
        margin_row (i, category_name (sum->name), NULL, NULL, sum->revenue_fen,
                    sum->costed_revenue_fen, sum->cost_fen, sum->n_products > sum->n_unknown);

      g_list_store_append (self->categories, row);
    }
  for (guint i = 0; i < report->margins->len; i++)
    {
      const TillMarginRow *m = g_ptr_array_index (report->margins, i);
      g_autofree char *qty = till_report_format_qty (m->qty_milli);
      g_autoptr(TillTextRow) row =
        margin_row (m->product_id, m->name, category_name (m->category), qty, m->revenue_fen,
                    m->revenue_fen, m->cost_fen, m->cost_fen >= 0);

      g_list_store_append (self->products, row);
    }
  for (guint i = 0; i < report->values->len; i++)
    {
      const TillStockValueRow *v = g_ptr_array_index (report->values, i);
      g_autofree char *level = till_report_format_qty (v->level_milli);
      g_autofree char *cst = v->cost_fen >= 0 ? till_money_format (v->cost_fen)
                                              : g_strdup (_("cost unknown"));
      g_autofree char *value = till_money_format (v->value_fen);
      const char *why = v->level_milli < 0 ? _("below zero, counted as 0") : "";
      g_autoptr(TillTextRow) row =
        till_text_row_new_va (v->product_id, v->name, level, cst, value, why, NULL);

      g_list_store_append (self->values, row);
    }
  for (guint i = 0; i < report->moves->len; i++)
    {
      const TillStockMoveRow *m = g_ptr_array_index (report->moves, i);
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (m->at / G_USEC_PER_SEC);
      g_autofree char *when = dt != NULL ? g_date_time_format (dt, "%m-%d %H:%M")
                                         : g_strdup ("");
      g_autofree char *qty = till_report_format_qty (m->qty_milli);
      g_autoptr(TillTextRow) row =
        till_text_row_new_va (i, when, till_stock_move_kind_label (m->kind), m->name, qty,
                              m->reference, m->who, NULL);

      g_list_store_append (self->moves, row);
    }
  gtk_stack_set_visible_child_name (self->stack, "report");
}

void
till_stock_section_show_message (TillStockSection *self,
                                 const char       *text)
{
  g_return_if_fail (TILL_IS_STOCK_SECTION (self));

  g_list_store_remove_all (self->categories);
  g_list_store_remove_all (self->products);
  g_list_store_remove_all (self->values);
  g_list_store_remove_all (self->moves);
  adw_status_page_set_title (self->empty_page, _("The stock report could not be made"));
  adw_status_page_set_description (self->empty_page, text);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

const char *
till_stock_section_get_figure (TillStockSection *self,
                               const char       *name)
{
  GtkLabel *label = NULL;

  g_return_val_if_fail (TILL_IS_STOCK_SECTION (self), NULL);
  if (g_strcmp0 (name, "revenue") == 0)
    label = self->revenue_label;
  else if (g_strcmp0 (name, "cost") == 0)
    label = self->cost_label;
  else if (g_strcmp0 (name, "margin") == 0)
    label = self->margin_label;
  else if (g_strcmp0 (name, "percent") == 0)
    label = self->percent_label;
  else if (g_strcmp0 (name, "value") == 0)
    label = self->value_label;
  g_return_val_if_fail (label != NULL, NULL);
  return gtk_label_get_text (label);
}

const char *
till_stock_section_get_note (TillStockSection *self)
{
  g_return_val_if_fail (TILL_IS_STOCK_SECTION (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->note_label))
         ? gtk_label_get_text (self->note_label) : "";
}

GListModel *
till_stock_section_get_rows (TillStockSection *self,
                             const char       *table)
{
  g_return_val_if_fail (TILL_IS_STOCK_SECTION (self), NULL);
  if (g_strcmp0 (table, "categories") == 0)
    return G_LIST_MODEL (self->categories);
  if (g_strcmp0 (table, "products") == 0)
    return G_LIST_MODEL (self->products);
  if (g_strcmp0 (table, "values") == 0)
    return G_LIST_MODEL (self->values);
  if (g_strcmp0 (table, "moves") == 0)
    return G_LIST_MODEL (self->moves);
  g_return_val_if_reached (NULL);
}

gboolean
till_stock_section_get_empty (TillStockSection *self)
{
  g_return_val_if_fail (TILL_IS_STOCK_SECTION (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") == 0;
}

static void
till_stock_section_dispose (GObject *object)
{
  TillStockSection *self = TILL_STOCK_SECTION (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_STOCK_SECTION);
  g_clear_object (&self->categories);
  g_clear_object (&self->products);
  g_clear_object (&self->values);
  g_clear_object (&self->moves);
  G_OBJECT_CLASS (till_stock_section_parent_class)->dispose (object);
}

static void
till_stock_section_class_init (TillStockSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_stock_section_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-stock-section.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TillStockSection, name)
  BIND (stack);
  BIND (empty_page);
  BIND (revenue_label);
  BIND (cost_label);
  BIND (margin_label);
  BIND (percent_label);
  BIND (value_label);
  BIND (note_label);
  BIND (categories_view);
  BIND (products_view);
  BIND (values_view);
  BIND (moves_view);
#undef BIND
}

static void
setup_view (GtkColumnView *view,
            GListStore    *store)
{
  g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (store)));

  gtk_column_view_set_model (view, GTK_SELECTION_MODEL (selection));
  gtk_column_view_set_show_row_separators (view, TRUE);
}

static void
margin_columns (GtkColumnView *view,
                guint          first)
{
  till_text_column_add (view, _("Revenue"), first, TRUE, FALSE);
  till_text_column_add (view, _("Cost"), first + 1, TRUE, FALSE);
  till_text_column_add (view, _("Margin"), first + 2, TRUE, FALSE);
  till_text_column_add (view, _("Margin %"), first + 3, TRUE, FALSE);
}

static void
till_stock_section_init (TillStockSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->categories = g_list_store_new (TILL_TYPE_TEXT_ROW);
  self->products = g_list_store_new (TILL_TYPE_TEXT_ROW);
  self->values = g_list_store_new (TILL_TYPE_TEXT_ROW);
  self->moves = g_list_store_new (TILL_TYPE_TEXT_ROW);

  setup_view (self->categories_view, self->categories);
  till_text_column_add (self->categories_view, _("Category"), 0, FALSE, TRUE);
  margin_columns (self->categories_view, 1);

  setup_view (self->products_view, self->products);
  till_text_column_add (self->products_view, _("Product"), 0, FALSE, TRUE);
  till_text_column_add (self->products_view, _("Category"), 1, FALSE, FALSE);
  till_text_column_add (self->products_view, _("Qty"), 2, TRUE, FALSE);
  margin_columns (self->products_view, 3);

  setup_view (self->values_view, self->values);
  till_text_column_add (self->values_view, _("Product"), 0, FALSE, TRUE);
  till_text_column_add (self->values_view, _("Level"), 1, TRUE, FALSE);
  till_text_column_add (self->values_view, _("Unit cost"), 2, TRUE, FALSE);
  till_text_column_add (self->values_view, _("Value"), 3, TRUE, FALSE);
  till_text_column_add (self->values_view, _("Note"), 4, FALSE, FALSE);

  setup_view (self->moves_view, self->moves);
  till_text_column_add (self->moves_view, _("Time"), 0, FALSE, FALSE);
  till_text_column_add (self->moves_view, _("Kind"), 1, FALSE, FALSE);
  till_text_column_add (self->moves_view, _("Product"), 2, FALSE, TRUE);
  till_text_column_add (self->moves_view, _("Qty"), 3, TRUE, FALSE);
  till_text_column_add (self->moves_view, _("Reference"), 4, FALSE, FALSE);
  till_text_column_add (self->moves_view, _("Who"), 5, FALSE, FALSE);
}

TillStockSection *
till_stock_section_new (void)
{
  return g_object_new (TILL_TYPE_STOCK_SECTION, NULL);
}
