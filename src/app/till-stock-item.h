/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A product as the receiving and stocktake drafts need it: found by a scanned code or by
 * its id, with its last cost and its stock level now. Read on the store thread. */
#pragma once

#include "till-store.h"

G_BEGIN_DECLS

typedef struct
{
  TillProduct *product;
  gint64 cost_fen;    /* the latest unit cost, -1 when none */
  gint64 level_milli; /* the sum of its stock moves */
} TillStockItem;

void
till_stock_item_free (TillStockItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillStockItem, till_stock_item_free)

/* The product with barcode or PLU `code` (any product, active or not), or with id
 * `product_id` when `code` is NULL. An unknown code is TILL_STORE_ERROR_NOT_FOUND with a
 * message for the person who scanned it. Blocks: call it on the store thread. */
TillStockItem *
till_stock_item_lookup (TillStore *store, const char *code, gint64 product_id, GError **error);

/* The same on the store thread; the finish gives the item (free it) or NULL with `error`. */
void
till_stock_item_lookup_async (TillStore *store, const char *code, gint64 product_id,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data);
TillStockItem *
till_stock_item_lookup_finish (TillStore *store, GAsyncResult *result, GError **error);

G_END_DECLS
