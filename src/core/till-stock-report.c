/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stock report: margins by product and by category, stock value and stock moves, as
 * text and CSV. */
#define G_LOG_DOMAIN "till-report"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "till-money.h"
#include "till-report.h"
#include "till-stock-report.h"

static void
margin_row_free (TillMarginRow *row)
{
  g_free (row->name);
  g_free (row->category);
  g_free (row);
}

void
till_margin_sum_free (TillMarginSum *sum)
{
  if (sum == NULL)
    return;
  g_free (sum->name);
  g_free (sum);
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
                              const char      *category,
                              gint64           qty_milli,
                              gint64           revenue_fen,
                              gint64           cost_fen)
{
  TillMarginRow *row = g_new0 (TillMarginRow, 1);

  g_return_if_fail (report != NULL);
  row->product_id = product_id;
  row->name = g_strdup (name);
  row->category = g_strdup (category);
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
  if (level_milli < 0)
    report->n_below_zero++;
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

gboolean
till_stock_report_has_stock (const TillStockReport *report)
{
  g_return_val_if_fail (report != NULL, FALSE);
  return report->values->len > 0 || report->moves->len > 0;
}

static void
sum_add (TillMarginSum       *sum,
         const TillMarginRow *m)
{
  sum->revenue_fen += m->revenue_fen;
  sum->n_products++;
  if (m->cost_fen >= 0)
    {
      sum->costed_revenue_fen += m->revenue_fen;
      sum->cost_fen += m->cost_fen;
    }
  else
    sum->n_unknown++;
}

static int
compare_sums (gconstpointer a,
              gconstpointer b)
{
  const TillMarginSum *x = *(TillMarginSum *const *) a;
  const TillMarginSum *y = *(TillMarginSum *const *) b;

  /* uncategorized last */
  if (x->name == NULL || y->name == NULL)
    return (x->name == NULL) - (y->name == NULL);
  return g_utf8_collate (x->name, y->name);
}

GPtrArray *
till_stock_report_by_category (const TillStockReport *report)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) till_margin_sum_free);

  g_return_val_if_fail (report != NULL, NULL);
  for (guint i = 0; i < report->margins->len; i++)
    {
      const TillMarginRow *m = g_ptr_array_index (report->margins, i);
      TillMarginSum *sum = NULL;

      for (guint j = 0; j < out->len && sum == NULL; j++)
        {
          TillMarginSum *s = g_ptr_array_index (out, j);

          if (g_strcmp0 (s->name, m->category) == 0)
            sum = s;
        }
      if (sum == NULL)
        {
          sum = g_new0 (TillMarginSum, 1);
          sum->name = g_strdup (m->category);
          g_ptr_array_add (out, sum);
        }
      sum_add (sum, m);
    }
  g_ptr_array_sort (out, compare_sums);
  return g_steal_pointer (&out);
}

void
till_stock_report_total (const TillStockReport *report,
                         TillMarginSum         *out_total)
{
  g_return_if_fail (report != NULL && out_total != NULL);
  memset (out_total, 0, sizeof *out_total);
  for (guint i = 0; i < report->margins->len; i++)
    sum_add (out_total, g_ptr_array_index (report->margins, i));
}

char *
till_margin_format_percent (gint64 margin_fen,
                            gint64 revenue_fen)
{
  gint64 tenths, mag;

  if (revenue_fen <= 0)
    return g_strdup ("—");
  /* tenths of a percent, half away from zero */
  mag = margin_fen < 0 ? -margin_fen : margin_fen;
  tenths = (mag * 2000 / revenue_fen + 1) / 2;
  return g_strdup_printf ("%s%" G_GINT64_FORMAT ".%d%%", margin_fen < 0 && tenths > 0 ? "-" : "",
                          tenths / 10, (int) (tenths % 10));
}

const char *
till_stock_move_kind_label (const char *kind)
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

static const char *
category_name (const char *category)
{
  return category != NULL ? category : _("Uncategorized");
}

static char *
local_time (gint64      at,
            const char *format)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (at / G_USEC_PER_SEC);

  return dt != NULL ? g_date_time_format (dt, format) : g_strdup ("");
}

/* ---------------------------------------------------------------- text */

#define NAME_W  18
#define CAT_W   14
#define QTY_W   8
#define MONEY_W 11
#define PCT_W   10
#define TIME_W  13
#define KIND_W  11
#define REF_W   16
#define LINE_W  (NAME_W + CAT_W + QTY_W + 3 * MONEY_W + PCT_W)

static void
heading (GString    *out,
         const char *text)
{
  g_string_append_printf (out, "\n%s\n  ", text);
  for (guint i = 0; i < LINE_W; i++)
    g_string_append_c (out, '-');
  g_string_append_c (out, '\n');
}

static void
end_line (GString *out)
{
  /* no trailing blanks */
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  g_string_append_c (out, '\n');
}

/* revenue, cost, margin and margin %: "—" for the last three when the cost is unknown */
static void
margin_columns (GString *out,
                gint64   revenue_fen,
                gint64   costed_revenue_fen,
                gint64   cost_fen,
                gboolean known)
{
  g_autofree char *rev = till_money_format_plain (revenue_fen);
  g_autofree char *cst = known ? till_money_format_plain (cost_fen) : g_strdup ("—");
  g_autofree char *mar = known ? till_money_format_plain (costed_revenue_fen - cost_fen)
                               : g_strdup ("—");
  g_autofree char *pct = known ? till_margin_format_percent (costed_revenue_fen - cost_fen,
                                                             costed_revenue_fen)
                               : g_strdup ("—");

  till_text_pad (out, rev, MONEY_W, TRUE);
  till_text_pad (out, cst, MONEY_W, TRUE);
  till_text_pad (out, mar, MONEY_W, TRUE);
  till_text_pad (out, pct, PCT_W, TRUE);
}

static void
margin_header (GString    *out,
               const char *first,
               const char *second)
{
  g_string_append (out, "  ");
  till_text_pad (out, first, NAME_W, FALSE);
  till_text_pad (out, second, CAT_W, FALSE);
  till_text_pad (out, second[0] != '\0' ? _("Qty") : "", QTY_W, TRUE);
  till_text_pad (out, _("Revenue"), MONEY_W, TRUE);
  till_text_pad (out, _("Cost"), MONEY_W, TRUE);
  till_text_pad (out, _("Margin"), MONEY_W, TRUE);
  till_text_pad (out, _("Margin %"), PCT_W, TRUE);
  end_line (out);
}

static void
sum_row (GString             *out,
         const char          *label,
         const TillMarginSum *sum)
{
  g_string_append (out, "  ");
  till_text_pad (out, label, NAME_W + CAT_W + QTY_W, FALSE);
  margin_columns (out, sum->revenue_fen, sum->costed_revenue_fen, sum->cost_fen,
                  sum->n_products > sum->n_unknown);
  end_line (out);
}

void
till_stock_report_append_text (const TillStockReport *r,
                               GString               *out)
{
  g_autoptr(GPtrArray) categories = NULL;
  TillMarginSum total;

  g_return_if_fail (r != NULL && out != NULL);

  heading (out, _("Margin by product"));
  margin_header (out, _("Product"), _("Category"));
  for (guint i = 0; i < r->margins->len; i++)
    {
      const TillMarginRow *m = g_ptr_array_index (r->margins, i);
      g_autofree char *qty = till_report_format_qty (m->qty_milli);

      g_string_append (out, "  ");
      till_text_pad (out, m->name, NAME_W, FALSE);
      till_text_pad (out, category_name (m->category), CAT_W, FALSE);
      till_text_pad (out, qty, QTY_W, TRUE);
      margin_columns (out, m->revenue_fen, m->revenue_fen, m->cost_fen, m->cost_fen >= 0);
      if (m->cost_fen < 0)
        g_string_append_printf (out, "  %s", _("cost unknown"));
      end_line (out);
    }
  if (r->margins->len == 0)
    g_string_append_printf (out, "  %s\n", _("No sales"));

  heading (out, _("Margin by category"));
  margin_header (out, _("Category"), "");
  categories = till_stock_report_by_category (r);
  for (guint i = 0; i < categories->len; i++)
    {
      const TillMarginSum *sum = g_ptr_array_index (categories, i);

      sum_row (out, category_name (sum->name), sum);
    }
  till_stock_report_total (r, &total);
  sum_row (out, _("Total"), &total);
  if (total.n_unknown > 0)
    {
      g_autofree char *left = till_money_format_plain (total.revenue_fen
                                                       - total.costed_revenue_fen);

      g_string_append (out, "  ");
      g_string_append_printf (out, _("Cost unknown for %u of %u products: their revenue (%s) "
                                     "is left out of the margin."),
                              total.n_unknown, total.n_products, left);
      g_string_append_c (out, '\n');
    }

  heading (out, _("Stock value (level × latest cost)"));
  g_string_append (out, "  ");
  till_text_pad (out, _("Product"), NAME_W + CAT_W, FALSE);
  till_text_pad (out, _("Level"), QTY_W, TRUE);
  till_text_pad (out, _("Unit cost"), MONEY_W, TRUE);
  till_text_pad (out, _("Value"), MONEY_W, TRUE);
  end_line (out);
  for (guint i = 0; i < r->values->len; i++)
    {
      const TillStockValueRow *v = g_ptr_array_index (r->values, i);
      g_autofree char *level = till_report_format_qty (v->level_milli);
      g_autofree char *cst = v->cost_fen >= 0 ? till_money_format_plain (v->cost_fen)
                                              : g_strdup ("—");
      g_autofree char *value = till_money_format_plain (v->value_fen);

      g_string_append (out, "  ");
      till_text_pad (out, v->name, NAME_W + CAT_W, FALSE);
      till_text_pad (out, level, QTY_W, TRUE);
      till_text_pad (out, cst, MONEY_W, TRUE);
      till_text_pad (out, value, MONEY_W, TRUE);
      if (v->level_milli < 0)
        g_string_append_printf (out, "  %s", _("below zero, counted as 0"));
      else if (v->cost_fen < 0)
        g_string_append_printf (out, "  %s", _("cost unknown"));
      end_line (out);
    }
  {
    g_autofree char *value = till_money_format_plain (r->stock_value_fen);

    g_string_append (out, "  ");
    till_text_pad (out, _("Total"), NAME_W + CAT_W + QTY_W + MONEY_W, FALSE);
    till_text_pad (out, value, MONEY_W, TRUE);
    end_line (out);
  }

  heading (out, _("Stock moves"));
  if (r->moves->len > 0)
    {
      g_string_append (out, "  ");
      till_text_pad (out, _("Time"), TIME_W, FALSE);
      till_text_pad (out, _("Kind"), KIND_W, FALSE);
      till_text_pad (out, _("Product"), NAME_W, FALSE);
      till_text_pad (out, _("Qty"), QTY_W, TRUE);
      g_string_append (out, "  ");
      till_text_pad (out, _("Reference"), REF_W, FALSE);
      g_string_append (out, _("Who"));
      end_line (out);
    }
  for (guint i = 0; i < r->moves->len; i++)
    {
      const TillStockMoveRow *m = g_ptr_array_index (r->moves, i);
      g_autofree char *time = local_time (m->at, "%m-%d %H:%M");
      g_autofree char *qty = till_report_format_qty (m->qty_milli);

      g_string_append (out, "  ");
      till_text_pad (out, time, TIME_W, FALSE);
      till_text_pad (out, till_stock_move_kind_label (m->kind), KIND_W, FALSE);
      till_text_pad (out, m->name, NAME_W, FALSE);
      till_text_pad (out, qty, QTY_W, TRUE);
      g_string_append (out, "  ");
      till_text_pad (out, m->reference, REF_W, FALSE);
      g_string_append (out, m->who);
      end_line (out);
    }
  if (r->moves->len == 0)
    g_string_append_printf (out, "  %s\n", _("None"));
}

char *
till_stock_report_to_text (const TillStockReport *r)
{
  GString *out;

  g_return_val_if_fail (r != NULL, NULL);
  out = g_string_new (NULL);
  g_string_append_printf (out, "%s\n", _("Stock report"));
  till_stock_report_append_text (r, out);
  return g_string_free (out, FALSE);
}

/* ---------------------------------------------------------------- CSV */

enum
{
  COL_SECTION,
  COL_ENTRY,
  COL_CATEGORY,
  COL_QTY,
  COL_AMOUNT,
  COL_COST,
  COL_MARGIN,
  COL_PERCENT,
  COL_KIND,
  COL_REFERENCE,
  COL_WHO,
  COL_TIME,
  COL_NOTE,
  N_COLS
};

static void
csv_row (GString     *out,
         const char **fields)
{
  for (guint c = 0; c < N_COLS; c++)
    {
      g_string_append_c (out, '"');
      for (const char *p = fields[c] ? fields[c] : ""; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
      g_string_append (out, c + 1 < N_COLS ? "," : "\r\n");
    }
}

static char *
percent_plain (gint64 margin_fen,
               gint64 revenue_fen)
{
  char *text = till_margin_format_percent (margin_fen, revenue_fen);
  gsize len = strlen (text);

  if (len > 0 && text[len - 1] == '%')
    text[len - 1] = '\0';
  else
    text[0] = '\0';    /* "—" */
  return text;
}

static void
csv_sum (GString             *out,
         const char          *label,
         const TillMarginSum *sum)
{
  gboolean known = sum->n_products > sum->n_unknown;
  g_autofree char *rev = till_money_format_plain (sum->revenue_fen);
  g_autofree char *cst = known ? till_money_format_plain (sum->cost_fen) : g_strdup ("");
  g_autofree char *mar = known ? till_money_format_plain (sum->costed_revenue_fen
                                                         - sum->cost_fen) : g_strdup ("");
  g_autofree char *pct = known ? percent_plain (sum->costed_revenue_fen - sum->cost_fen,
                                                sum->costed_revenue_fen) : g_strdup ("");
  g_autofree char *note = sum->n_unknown > 0
    ? g_strdup_printf ("cost_unknown:%u", sum->n_unknown) : g_strdup ("");
  const char *f[N_COLS] = { NULL };

  f[COL_SECTION] = _("Margin by category");
  f[COL_ENTRY] = label;
  f[COL_AMOUNT] = rev;
  f[COL_COST] = cst;
  f[COL_MARGIN] = mar;
  f[COL_PERCENT] = pct;
  f[COL_NOTE] = note;
  csv_row (out, f);
}

void
till_stock_report_append_csv (const TillStockReport *r,
                              GString               *out)
{
  g_autoptr(GPtrArray) categories = NULL;
  TillMarginSum total;

  g_return_if_fail (r != NULL && out != NULL);

  if (out->len > 0)
    g_string_append (out, "\r\n");
  {
    const char *f[N_COLS] = {
      _("Section"), _("Entry"), _("Category"), _("Quantity"), _("Amount (yuan)"),
      _("Cost (yuan)"), _("Margin (yuan)"), _("Margin (%)"), _("Kind"), _("Reference"),
      _("Who"), _("Time"), _("Note"),
    };

    csv_row (out, f);
  }
  for (guint i = 0; i < r->margins->len; i++)
    {
      const TillMarginRow *m = g_ptr_array_index (r->margins, i);
      gboolean known = m->cost_fen >= 0;
      g_autofree char *qty = till_report_format_qty (m->qty_milli);
      g_autofree char *rev = till_money_format_plain (m->revenue_fen);
      g_autofree char *cst = known ? till_money_format_plain (m->cost_fen) : g_strdup ("");
      g_autofree char *mar = known ? till_money_format_plain (m->revenue_fen - m->cost_fen)
                                   : g_strdup ("");
      g_autofree char *pct = known ? percent_plain (m->revenue_fen - m->cost_fen,
                                                    m->revenue_fen) : g_strdup ("");
      const char *f[N_COLS] = { NULL };

      f[COL_SECTION] = _("Margin by product");
      f[COL_ENTRY] = m->name;
      f[COL_CATEGORY] = category_name (m->category);
      f[COL_QTY] = qty;
      f[COL_AMOUNT] = rev;
      f[COL_COST] = cst;
      f[COL_MARGIN] = mar;
      f[COL_PERCENT] = pct;
      f[COL_NOTE] = known ? "" : "cost_unknown";
      csv_row (out, f);
    }
  categories = till_stock_report_by_category (r);
  for (guint i = 0; i < categories->len; i++)
    {
      const TillMarginSum *sum = g_ptr_array_index (categories, i);

      csv_sum (out, category_name (sum->name), sum);
    }
  till_stock_report_total (r, &total);
  csv_sum (out, _("Total"), &total);
  for (guint i = 0; i < r->values->len; i++)
    {
      const TillStockValueRow *v = g_ptr_array_index (r->values, i);
      g_autofree char *level = till_report_format_qty (v->level_milli);
      g_autofree char *value = till_money_format_plain (v->value_fen);
      g_autofree char *cst = v->cost_fen >= 0 ? till_money_format_plain (v->cost_fen)
                                              : g_strdup ("");
      const char *f[N_COLS] = { NULL };

      f[COL_SECTION] = _("Stock value");
      f[COL_ENTRY] = v->name;
      f[COL_QTY] = level;
      f[COL_AMOUNT] = value;
      f[COL_COST] = cst;
      f[COL_NOTE] = v->level_milli < 0 ? "below_zero" : v->cost_fen < 0 ? "cost_unknown" : "";
      csv_row (out, f);
    }
  {
    g_autofree char *value = till_money_format_plain (r->stock_value_fen);
    const char *f[N_COLS] = { NULL };

    f[COL_SECTION] = _("Stock value");
    f[COL_ENTRY] = _("Total");
    f[COL_AMOUNT] = value;
    csv_row (out, f);
  }
  for (guint i = 0; i < r->moves->len; i++)
    {
      const TillStockMoveRow *m = g_ptr_array_index (r->moves, i);
      g_autofree char *qty = till_report_format_qty (m->qty_milli);
      g_autofree char *time = local_time (m->at, "%Y-%m-%d %H:%M:%S");
      const char *f[N_COLS] = { NULL };

      f[COL_SECTION] = _("Stock move");
      f[COL_ENTRY] = m->name;
      f[COL_QTY] = qty;
      f[COL_KIND] = m->kind;
      f[COL_REFERENCE] = m->reference;
      f[COL_WHO] = m->who;
      f[COL_TIME] = time;
      csv_row (out, f);
    }
}

char *
till_stock_report_to_csv (const TillStockReport *r,
                          gsize                 *out_length)
{
  GString *out;

  g_return_val_if_fail (r != NULL, NULL);
  out = g_string_new (NULL);
  till_stock_report_append_csv (r, out);
  g_string_prepend (out, "\xEF\xBB\xBF");
  if (out_length != NULL)
    *out_length = out->len;
  return g_string_free (out, FALSE);
}
