/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stock report (issue 15): margin by product over a period (what the lines were sold
 * for minus the cost at the time of each sale), the stock's value now (level × latest
 * cost) and the period's stock moves; as text and CSV. Filled by the store
 * (till_store_stock_report()). Money in fen, quantities in thousandths. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gint64  product_id;
  char   *name;
  gint64  qty_milli;    /* sold in paid sales of the period */
  gint64  revenue_fen;  /* the lines' final amounts */
  gint64  cost_fen;     /* qty × the cost on each sale's stock move; -1: not known */
} TillMarginRow;

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
} TillStockReport;

TillStockReport *till_stock_report_new  (void);
void             till_stock_report_free (TillStockReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillStockReport, till_stock_report_free)

/* Appends rows; strings are copied. The value row's value is computed here. */
void  till_stock_report_add_margin (TillStockReport *report, gint64 product_id,
                                    const char *name, gint64 qty_milli, gint64 revenue_fen,
                                    gint64 cost_fen);
void  till_stock_report_add_value  (TillStockReport *report, gint64 product_id,
                                    const char *name, gint64 level_milli, gint64 cost_fen);
void  till_stock_report_add_move   (TillStockReport *report, gint64 at, const char *name,
                                    const char *kind, gint64 qty_milli, const char *reference,
                                    const char *who);

/* level × unit cost, rounded to the fen (half up); 0 for a level at or below 0. */
gint64 till_stock_value_fen (gint64 level_milli,
                             gint64 cost_fen);

char *till_stock_report_to_text (const TillStockReport *report);
char *till_stock_report_to_csv  (const TillStockReport *report,
                                 gsize                 *out_length);

G_END_DECLS
