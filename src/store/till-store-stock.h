/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stock (issue 15): a tracked product's level is the sum of its stock moves (schema 14),
 * never a stored number. Sales, full refunds and goods returns write their moves by
 * triggers in the transaction that changes the sale; receivings (进货) and stocktakes
 * (盘点) are written here, each in one transaction with its moves. */
#pragma once

#include "till-stock-report.h"
#include "till-store.h"

G_BEGIN_DECLS

/* One line of a receiving: quantity in thousandths (> 0), unit cost in fen (>= 0). */
typedef struct
{
  gint64 product_id;
  gint64 qty_milli;
  gint64 cost_fen;
} TillReceivingLine;

/* One counted product of a stocktake, in thousandths (>= 0). */
typedef struct
{
  gint64 product_id;
  gint64 counted_milli;
} TillCountLine;

/* A product that is low on stock: tracked, and its level below its minimum or below 0. */
typedef struct
{
  gint64  product_id;
  char   *name;
  gint64  level_milli;
  gint64  min_stock_milli;
} TillLowStock;

void      till_low_stock_free (TillLowStock *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillLowStock, till_low_stock_free)

/* Whether the product's stock is tracked, and the level under which it is low. */
gboolean  till_store_set_stock_settings (TillStore  *self,
                                         gint64      product_id,
                                         gboolean    track_stock,
                                         gint64      min_stock_milli,
                                         GError    **error);

/* The product's level: the sum of its moves (0 when it has none). */
gboolean  till_store_stock_level        (TillStore  *self,
                                         gint64      product_id,
                                         gint64     *out_level_milli,
                                         GError    **error);

/* Records a receiving from `supplier` by `who`: its lines, a 'receiving' move each, and
 * each product's cost becomes the line's cost and its stock tracked; all in one
 * transaction. Returns the receiving's id, or 0 with `error` set. */
gint64    till_store_receive            (TillStore               *self,
                                         const char              *supplier,
                                         const char              *who,
                                         const TillReceivingLine *lines,
                                         guint                    n_lines,
                                         GError                 **error);

/* The variance a count would make now: counted - level. */
gboolean  till_store_stock_variance     (TillStore  *self,
                                         gint64      product_id,
                                         gint64      counted_milli,
                                         gint64     *out_expected_milli,
                                         gint64     *out_variance_milli,
                                         GError    **error);

/* Records a stocktake counted by `who` and approved by the manager `approved_by`: each
 * line with the level expected at that moment and the variance, a 'stocktake' move for
 * each variance that is not 0 (so the level becomes what was counted), and an audit row;
 * all in one transaction. A product counted twice is refused. Returns the stocktake's id,
 * or 0 with `error` set. */
gint64    till_store_stocktake          (TillStore           *self,
                                         const char          *who,
                                         const char          *approved_by,
                                         const TillCountLine *lines,
                                         guint                n_lines,
                                         GError             **error);

/* The number of products low on stock (for the status bar), or -1 with `error` set. */
gint64    till_store_low_stock_count    (TillStore  *self,
                                         GError    **error);

/* The products low on stock (TillLowStock), by name. */
GPtrArray *till_store_list_low_stock    (TillStore  *self,
                                         GError    **error);

/* The stock report: margins of the paid sales closed in [from_us, to_us) (a product's
 * cost is known when every unit sold left on a stock move with a cost), the value of every
 * tracked product's level now, and the stock moves in [from_us, to_us). */
TillStockReport *till_store_stock_report (TillStore  *self,
                                          gint64      from_us,
                                          gint64      to_us,
                                          GError    **error);

G_END_DECLS
