/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One product's stock as the products window shows and edits it (issue 15): whether it is
 * tracked, its minimum, its latest cost, its level (the sum of its moves) and its latest
 * moves; the stock export (--export-stock); the level an import sets by one 'adjustment'
 * move. A cost change is not a stock move: it changes product.cost_fen only. */
#pragma once

#include "till-store.h"

G_BEGIN_DECLS

/* A product's stock fields. */
typedef struct
{
  gboolean track_stock;
  gint64 min_stock_milli;
  gint64 cost_fen;    /* latest unit cost; -1: none */
  gint64 level_milli; /* the sum of its moves */
} TillProductStock;

/* One stock move of a product. */
typedef struct
{
  gint64 at;        /* unix µs */
  char *kind;       /* sale, void, refund, receiving, stocktake, adjustment */
  gint64 qty_milli; /* signed */
  char *reference;
  char *who;
} TillStockMove;

void
till_stock_move_free (TillStockMove *move);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillStockMove, till_stock_move_free)

/* The stock fields of product `product_id`; TILL_STORE_ERROR_NOT_FOUND when there is none. */
gboolean
till_store_get_product_stock (TillStore *self, gint64 product_id, TillProductStock *out,
                              GError **error);

/* Saves whether the product is tracked, its minimum (>= 0) and its cost (-1: none; else 0
 * to TILL_STORE_PRICE_CEILING_FEN), with an audit row "stock_settings" by `actor` when
 * anything changed; one transaction. The level does not change: no move is written. */
gboolean
till_store_save_product_stock (TillStore *self, gint64 product_id, gboolean track_stock,
                               gint64 min_stock_milli, gint64 cost_fen, const char *actor,
                               GError **error);

/* till_store_save_product() and till_store_save_product_stock() in ONE transaction: the
 * product, its search keys, price history and audit row, and its stock fields; all or
 * nothing. Returns the product's id, 0 with `error` set. */
gint64
till_store_save_product_with_stock (TillStore *self, const TillProduct *product, gint64 category_id,
                                    gint64 max_price_fen, const char *actor, gboolean track_stock,
                                    gint64 min_stock_milli, gint64 cost_fen, GError **error);

/* The product's latest `limit` moves, newest first. Array of TillStockMove*, owned. */
GPtrArray *
till_store_list_stock_moves (TillStore *self, gint64 product_id, guint limit, GError **error);

/* Writes every tracked product to `path` (replaced atomically) as CSV in UTF-8 with a BOM
 * and CRLF line ends, by name: barcode, plu, name, category, unit, stock (the level), min,
 * cost, value (level × cost, 0 below zero or without a cost). Quantities with three
 * decimals at most, money in yuan. The columns barcode, plu, name, unit, stock and cost
 * are the import's, so importing the file changes nothing. */
gboolean
till_store_export_stock_csv (TillStore *self, const char *path, guint *n_exported, GError **error);

/* Lock held, inside a transaction: makes the product tracked and its level `level_milli`
 * by one 'adjustment' move of the difference (none when equal), at the product's cost.
 * *out_moved says whether a move was written. */
gboolean
_till_store_set_level_locked (TillStore *self, gint64 product_id, gint64 level_milli,
                              const char *reference, const char *who, gboolean *out_moved,
                              GError **error);

G_END_DECLS
