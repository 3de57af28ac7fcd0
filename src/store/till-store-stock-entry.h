/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the receiving (进货) and stocktake (盘点) windows read besides till-store-stock.h:
 * a product's last cost, the recent suppliers, and the lines a stocktake booked. */
#pragma once

#include "till-store.h"

G_BEGIN_DECLS

/* A line of a booked stocktake, as stored. */
typedef struct
{
  gint64 product_id;
  gint64 counted_milli;
  gint64 expected_milli;
  gint64 variance_milli;
} TillStocktakeResult;

/* The product's latest unit cost in fen (the last receiving's), -1 when it has none. */
gboolean
till_store_product_cost (TillStore *self, gint64 product_id, gint64 *out_cost_fen, GError **error);

/* The suppliers of the latest receivings, newest first, each once, at most `limit`. */
GStrv
till_store_list_recent_suppliers (TillStore *self, guint limit, GError **error);

/* The lines stocktake `stocktake_id` booked (TillStocktakeResult), by product id. */
GArray *
till_store_list_stocktake_results (TillStore *self, gint64 stocktake_id, GError **error);

G_END_DECLS
