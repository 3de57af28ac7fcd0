/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stock report (issue 15): margin by product and by category over a period (what the
 * lines were sold for minus the cost at the time of each sale), the stock's value now
 * (level × latest cost) and the period's stock moves; as text and CSV. Filled by the store
 * (till_store_stock_report()). Money in fen, quantities in thousandths. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gint64  product_id;
  char   *name;
  char   *category;     /* NULL: uncategorized */
  gint64  qty_milli;    /* sold in paid sales of the period */
  gint64  revenue_fen;  /* the lines' final amounts (after discounts) */
  gint64  cost_fen;     /* qty × the cost on each sale's stock move; -1: not known */
} TillMarginRow;

/* The margin of a category, or of the whole period. Products whose cost is unknown count
 * in the revenue but not in the margin: margin = costed revenue − cost. */
typedef struct
{
  char   *name;                /* the category; NULL: uncategorized (or the total) */
  gint64  revenue_fen;         /* every product's */
  gint64  costed_revenue_fen;  /* the products whose cost is known */
  gint64  cost_fen;
  guint   n_products;
  guint   n_unknown;           /* products whose cost is unknown */
} TillMarginSum;

typedef struct
{
  gint64  product_id;
  char   *name;
  gint64  level_milli;
  gint64  cost_fen;     /* latest unit cost; -1: none */
  gint64  value_fen;    /* level × cost (0 when no cost, or the level is below 0) */
} TillStockValueRow;

typedef struct
{
  gint64  at;           /* unix µs */
  char   *name;
  char   *kind;         /* sale, void, refund, receiving, stocktake, adjustment */
  gint64  qty_milli;    /* signed */
  char   *reference;
  char   *who;
} TillStockMoveRow;

typedef struct
{
  GPtrArray *margins;   /* TillMarginRow, by name */
  GPtrArray *values;    /* TillStockValueRow of tracked products, by name */
  GPtrArray *moves;     /* TillStockMoveRow, in order */
  gint64     stock_value_fen;
  guint      n_below_zero;  /* tracked products whose level is below 0 (valued 0) */
} TillStockReport;

TillStockReport *till_stock_report_new  (void);
void             till_stock_report_free (TillStockReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillStockReport, till_stock_report_free)

/* Appends rows; strings are copied (`category` may be NULL). The value row's value is
 * computed here. */
void  till_stock_report_add_margin (TillStockReport *report, gint64 product_id,
                                    const char *name, const char *category,
                                    gint64 qty_milli, gint64 revenue_fen, gint64 cost_fen);
void  till_stock_report_add_value  (TillStockReport *report, gint64 product_id,
                                    const char *name, gint64 level_milli, gint64 cost_fen);
void  till_stock_report_add_move   (TillStockReport *report, gint64 at, const char *name,
                                    const char *kind, gint64 qty_milli, const char *reference,
                                    const char *who);

/* Whether the till tracks stock in this report: a tracked product, or a stock move in the
 * period. Without it the report has nothing to say (margins are all unknown). */
gboolean till_stock_report_has_stock (const TillStockReport *report);

/* The margins summed by category (TillMarginSum): by name, uncategorized last. */
GPtrArray *till_stock_report_by_category (const TillStockReport *report);
/* The period's totals. */
void       till_stock_report_total       (const TillStockReport *report,
                                          TillMarginSum         *out_total);
void       till_margin_sum_free          (TillMarginSum *sum);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillMarginSum, till_margin_sum_free)

/* level × unit cost, rounded to the fen (half up); 0 for a level at or below 0. */
gint64 till_stock_value_fen (gint64 level_milli,
                             gint64 cost_fen);

/* margin / revenue as a percentage with one decimal ("20.0%", "-12.5%"), rounded half
 * away from zero; "—" when the revenue is not above 0. */
char  *till_margin_format_percent (gint64 margin_fen,
                                   gint64 revenue_fen);

/* A move's kind as people read it ("Sale", "Receiving", …). */
const char *till_stock_move_kind_label (const char *kind);

/* The sections as text (a heading each, like the sales report's) */
char *till_stock_report_to_text     (const TillStockReport *report);
void  till_stock_report_append_text (const TillStockReport *report,
                                     GString               *out);
/* As CSV: UTF-8 with a BOM and a header row; _append_csv adds the header and the rows
 * (no BOM) after what `out` holds, after an empty line when it is not empty. Columns:
 * section, entry, category, quantity, amount (revenue; a stock value row's value), cost (a
 * stock value row's unit cost), margin, margin % (no sign), kind, reference, who, time
 * (local, of a move), note (cost_unknown, cost_unknown:N of a sum, below_zero). */
char *till_stock_report_to_csv      (const TillStockReport *report,
                                     gsize                 *out_length);
void  till_stock_report_append_csv  (const TillStockReport *report,
                                     GString               *out);

G_END_DECLS
