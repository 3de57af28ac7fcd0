/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Products edited in the till (schema 13): categories, a product saved by id with its
 * price history and an audit row, the price history of a product. */
#pragma once

#include "till-store.h"

G_BEGIN_DECLS

/* A category of products (boxed array element). */
typedef struct
{
  gint64 id;
  char *name;
  gint64 position;
} TillCategory;

void
till_category_free (TillCategory *category);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillCategory, till_category_free)

/* One price change of a product, as the product_price table keeps it. */
typedef struct
{
  gint64 old_fen;
  gint64 new_fen;
  char *actor;
  gint64 at; /* unix microseconds */
} TillPriceChange;

void
till_price_change_free (TillPriceChange *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillPriceChange, till_price_change_free)

/* Every category, by position then name. Array of TillCategory*, owned. */
GPtrArray *
till_store_list_categories (TillStore *self, GError **error);
/* Adds a category after the last one; refused (TILL_STORE_ERROR_CONSTRAINT) with an
 * empty name or a name already used. An audit row "category_add". Returns the id. */
gint64
till_store_add_category (TillStore *self, const char *name, const char *actor, GError **error);
/* Renames a category (same refusals as adding); an audit row "category_rename". */
gboolean
till_store_rename_category (TillStore *self, gint64 category_id, const char *name,
                            const char *actor, GError **error);

/* The product `product_id`, active or not, and its category (0: none). NULL with
 * TILL_STORE_ERROR_NOT_FOUND when there is none. */
TillProduct *
till_store_get_product (TillStore *self, gint64 product_id, gint64 *out_category_id,
                        GError **error);
/* Any product, active or not, with that barcode (either UPC-A/EAN-13 form) or PLU; NULL
 * without an error when there is none. */
TillProduct *
till_store_find_product (TillStore *self, const char *barcode, const char *plu, GError **error);

/* Saves `product`: a new one when product->id is 0, else the product with that id. In
 * one transaction: the product, its search keys, a product_price row when the price
 * changed (a new product's first price is not a change) and an audit row
 * "product_change" with the product before and after. Refused
 * (TILL_STORE_ERROR_CONSTRAINT, the message names the problem) without a name, without
 * a barcode and a PLU, with a price below 0 or above `max_price_fen` (0:
 * TILL_STORE_DEFAULT_MAX_PRICE_FEN), with a barcode or PLU another product has (named),
 * or with a category that is not there. Sale lines keep their own copies: no past sale
 * changes. Returns the id, 0 on failure. */
gint64
till_store_save_product (TillStore *self, const TillProduct *product, gint64 category_id,
                         gint64 max_price_fen, const char *actor, GError **error);

/* The price changes of a product, oldest first. Array of TillPriceChange*, owned. */
GPtrArray *
till_store_list_price_history (TillStore *self, gint64 product_id, GError **error);

G_END_DECLS
