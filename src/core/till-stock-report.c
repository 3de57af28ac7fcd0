/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stock report: margins, stock value and stock moves, as text and CSV. */
#define G_LOG_DOMAIN "till-report"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "till-money.h"
#include "till-report.h"
#include "till-stock-report.h"

static void
margin_row_free (TillMarginRow *row)
{
  g_free (row->name);
  g_free (row);
}

static void
value_row_free (TillStockValueRow *row)
{
  g_free (row->name);
  g_free (row);
}

static void
move_row_free (TillStockMoveRow *row)
{
  g_free (row->name);
  g_free (row->kind);
  g_free (row->reference);
  g_free (row->who);
  g_free (row);
}

TillStockReport *
till_stock_report_new (void)
{
  TillStockReport *report = g_new0 (TillStockReport, 1);

  report->margins = g_ptr_array_new_with_free_func ((GDestroyNotify) margin_row_free);
  report->values = g_ptr_array_new_with_free_func ((GDestroyNotify) value_row_free);
  report->moves = g_ptr_array_new_with_free_func ((GDestroyNotify) move_row_free);
  return report;
}

void
till_stock_report_free (TillStockReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->margins);
  g_ptr_array_unref (report->values);
  g_ptr_array_unref (report->moves);
  g_free (report);
}

gint64
till_stock_value_fen (gint64 level_milli,
                      gint64 cost_fen)
{
  if (level_milli <= 0 || cost_fen <= 0)
    return 0;
  return (level_milli * cost_fen + 500) / 1000;
}

void
till_stock_report_add_margin (TillStockReport *report,
                              gint64           product_id,
                              const char      *name,
                              gint64           qty_milli,
                              gint64           revenue_fen,
                              gint64           cost_fen)
{
  TillMarginRow *row = g_new0 (TillMarginRow, 1);

  row->product_id = product_id;
  row->name = g_strdup (name);
  row->qty_milli = qty_milli;
  row->revenue_fen = revenue_fen;
  row->cost_fen = cost_fen;
  g_ptr_array_add (report->margins, row);
}

void
till_stock_report_add_value (TillStockReport *report,
                             gint64           product_id,
                             const char      *name,
                             gint64           level_milli,
                             gint64           cost_fen)
{
  TillStockValueRow *row = g_new0 (TillStockValueRow, 1);

  row->product_id = product_id;
  row->name = g_strdup (name);
  row->level_milli = level_milli;
  row->cost_fen = cost_fen;
  row->value_fen = till_stock_value_fen (level_milli, cost_fen);
  report->stock_value_fen += row->value_fen;
  g_ptr_array_add (report->values, row);
}

void
till_stock_report_add_move (TillStockReport *report,
                            gint64           at,
                            const char      *name,
                            const char      *kind,
                            gint64           qty_milli,
                            const char      *reference,
                            const char      *who)
{
  TillStockMoveRow *row = g_new0 (TillStockMoveRow, 1);

  row->at = at;
  row->name = g_strdup (name);
  row->kind = g_strdup (kind);
  row->qty_milli = qty_milli;
  row->reference = g_strdup (reference);
  row->who = g_strdup (who);
  g_ptr_array_add (report->moves, row);
}

static const char *
kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "sale") == 0)
    return _("Sale");
  if (g_strcmp0 (kind, "void") == 0)
    return _("Void");
  if (g_strcmp0 (kind, "refund") == 0)
    return _("Refund");
  if (g_strcmp0 (kind, "receiving") == 0)
    return _("Receiving");
  if (g_strcmp0 (kind, "stocktake") == 0)
    return _("Stocktake");
  return _("Adjustment");
}

static char *
money_or_dash (gint64 fen,
               gboolean known)
{
  return known ? till_money_format (fen) : g_strdup ("—");
}

char *
till_stock_report_to_text (const TillStockReport *r)
{
  GString *out = g_string_new (NULL);
  gint64 revenue = 0, margin = 0;
  gboolean all_known = TRUE;

  g_return_val_if_fail (r != NULL, NULL);

  g_string_append_printf (out, "%s\n", _("Margin by product"));
  for (guint i = 0; i < r->margins->len; i++)
    {
      const TillMarginRow *m = g_ptr_array_index (r->margins, i);
      gboolean known = m->cost_fen >= 0;
      g_autofree char *qty = till_report_format_qty (m->qty_milli);
      g_autofree char *rev = till_money_format (m->revenue_fen);
      g_autofree char *cst = money_or_dash (m->cost_fen, known);
      g_autofree char *mar = money_or_dash (m->revenue_fen - m->cost_fen, known);

      g_string_append (out, "  ");
      till_text_pad (out, m->name, 20, FALSE);
      till_text_pad (out, qty, 8, TRUE);
      till_text_pad (out, rev, 12, TRUE);
      till_text_pad (out, cst, 12, TRUE);
      till_text_pad (out, mar, 12, TRUE);
      g_string_append_c (out, '\n');
      revenue += m->revenue_fen;
      if (known)
        margin += m->revenue_fen - m->cost_fen;
      all_known = all_known && known;
    }
  {
    g_autofree char *rev = till_money_format (revenue);
    g_autofree char *mar = till_money_format (margin);

    g_string_append (out, "  ");
    if (all_known)
      g_string_append_printf (out, _("Sold for %s, margin %s"), rev, mar);
    else
      g_string_append_printf (out, _("Sold for %s, margin %s (goods without a cost not counted)"),
                              rev, mar);
    g_string_append_c (out, '\n');
  }

  g_string_append_printf (out, "\n%s\n", _("Stock value"));
  for (guint i = 0; i < r->values->len; i++)
    {
      const TillStockValueRow *v = g_ptr_array_index (r->values, i);
      g_autofree char *level = till_report_format_qty (v->level_milli);
      g_autofree char *cst = money_or_dash (v->cost_fen, v->cost_fen >= 0);
      g_autofree char *value = till_money_format (v->value_fen);

      g_string_append (out, "  ");
      till_text_pad (out, v->name, 20, FALSE);
      till_text_pad (out, level, 10, TRUE);
      till_text_pad (out, cst, 12, TRUE);
      till_text_pad (out, value, 12, TRUE);
      g_string_append_c (out, '\n');
    }
  {
    g_autofree char *total = till_money_format (r->stock_value_fen);

    g_string_append_printf (out, "  %s %s\n", _("Total"), total);
  }

  g_string_append_printf (out, "\n%s\n", _("Stock moves"));
  for (guint i = 0; i < r->moves->len; i++)
    {
      const TillStockMoveRow *m = g_ptr_array_index (r->moves, i);
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (m->at / G_USEC_PER_SEC);
      g_autofree char *time = dt != NULL ? g_date_time_format (dt, "%H:%M") : g_strdup ("");
      g_autofree char *qty = till_report_format_qty (m->qty_milli);

      g_string_append (out, "  ");
      till_text_pad (out, time, 6, FALSE);
      till_text_pad (out, m->name, 20, FALSE);
      till_text_pad (out, kind_label (m->kind), 11, FALSE);
      till_text_pad (out, qty, 8, TRUE);
      g_string_append_printf (out, "  %s %s\n", m->reference, m->who);
    }
  if (r->moves->len == 0)
    g_string_append_printf (out, "  %s\n", _("None"));
  return g_string_free (out, FALSE);
}

static void
csv_field (GString    *out,
           const char *text,
           gboolean    last)
{
  g_string_append_c (out, '"');
  for (const char *p = text ? text : ""; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  g_string_append (out, last ? "\r\n" : ",");
}

/* section, item, quantity, amount, cost, detail */
static void
csv_row (GString    *out,
         const char *section,
         const char *item,
         const char *qty,
         const char *amount,
         const char *cost,
         const char *detail)
{
  csv_field (out, section, FALSE);
  csv_field (out, item, FALSE);
  csv_field (out, qty, FALSE);
  csv_field (out, amount, FALSE);
  csv_field (out, cost, FALSE);
  csv_field (out, detail, TRUE);
}

char *
till_stock_report_to_csv (const TillStockReport *r,
                          gsize                 *out_length)
{
  GString *out = g_string_new ("\xEF\xBB\xBF");

  g_return_val_if_fail (r != NULL, NULL);
  csv_row (out, "section", "item", "qty", "amount", "cost", "detail");
  for (guint i = 0; i < r->margins->len; i++)
    {
      const TillMarginRow *m = g_ptr_array_index (r->margins, i);
      g_autofree char *qty = till_report_format_qty (m->qty_milli);
      g_autofree char *rev = till_money_format_plain (m->revenue_fen);
      g_autofree char *cst = m->cost_fen >= 0 ? till_money_format_plain (m->cost_fen)
                                              : g_strdup ("");
      g_autofree char *mar = m->cost_fen >= 0
                             ? till_money_format_plain (m->revenue_fen - m->cost_fen)
                             : g_strdup ("");

      csv_row (out, "margin", m->name, qty, rev, cst, mar);
    }
  for (guint i = 0; i < r->values->len; i++)
    {
      const TillStockValueRow *v = g_ptr_array_index (r->values, i);
      g_autofree char *level = till_report_format_qty (v->level_milli);
      g_autofree char *value = till_money_format_plain (v->value_fen);
      g_autofree char *cst = v->cost_fen >= 0 ? till_money_format_plain (v->cost_fen)
                                              : g_strdup ("");

      csv_row (out, "stock_value", v->name, level, value, cst, "");
    }
  for (guint i = 0; i < r->moves->len; i++)
    {
      const TillStockMoveRow *m = g_ptr_array_index (r->moves, i);
      g_autofree char *qty = till_report_format_qty (m->qty_milli);
      g_autofree char *detail = g_strdup_printf ("%s %s %" G_GINT64_FORMAT, m->reference,
                                                 m->who, m->at);

      csv_row (out, "stock_move", m->name, qty, m->kind, "", detail);
    }
  if (out_length != NULL)
    *out_length = out->len;
  return g_string_free (out, FALSE);
}
