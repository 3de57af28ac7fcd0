/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillProductEditor: one product as the manager edits it, without a window. It holds the
 * fields as typed (the price as text), loads a product from the store (or starts a new
 * one, with the barcode that was scanned), checks the fields with plain messages and saves
 * them on the store thread (till_store_save_product(): the price history, the search keys
 * and the audit row "product_change" in one transaction).
 *
 * Properties (notify): "product-id" (gint64, 0: a new product, read-only), "busy"
 * (boolean: a load or save is running, read-only).
 * Signal "loaded": the fields were replaced (a product loaded or a new one started); a
 * window reads them again.
 * Signal "stock-changed": the read-only stock details (level, latest moves, price history)
 * were read again (after a load, a save or a new product). */
#pragma once

#include <gio/gio.h>

#include "till-store.h"

G_BEGIN_DECLS

#define TILL_TYPE_PRODUCT_EDITOR (till_product_editor_get_type ())
G_DECLARE_FINAL_TYPE (TillProductEditor, till_product_editor, TILL, PRODUCT_EDITOR, GObject)

/* `max_price_fen`: the highest price a product may get (0: TILL_STORE_DEFAULT_MAX_PRICE_FEN,
 * the import's maximum); `actor`: who edits (the manager who approved), for the history. */
TillProductEditor *
till_product_editor_new (TillStore *store, gint64 max_price_fen, const char *actor);
TillStore *
till_product_editor_get_store (TillProductEditor *self);
gint64
till_product_editor_get_product_id (TillProductEditor *self);
gboolean
till_product_editor_get_busy (TillProductEditor *self);
gint64
till_product_editor_get_max_price_fen (TillProductEditor *self);

/* A new product: every field empty (unit "件", active), the barcode `barcode` (may be
 * NULL). Emits "loaded". */
void
till_product_editor_start_new (TillProductEditor *self, const char *barcode);
/* Loads product `product_id` on the store thread; emits "loaded" before the callback. */
void
till_product_editor_load_async (TillProductEditor *self, gint64 product_id,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data);
gboolean
till_product_editor_load_finish (TillProductEditor *self, GAsyncResult *result, GError **error);

/* The fields, as typed. */
const char *
till_product_editor_get_barcode (TillProductEditor *self);
void
till_product_editor_set_barcode (TillProductEditor *self, const char *barcode);
const char *
till_product_editor_get_plu (TillProductEditor *self);
void
till_product_editor_set_plu (TillProductEditor *self, const char *plu);
const char *
till_product_editor_get_name (TillProductEditor *self);
void
till_product_editor_set_name (TillProductEditor *self, const char *name);
/* The price as text ("12.50", "¥12.50"). */
const char *
till_product_editor_get_price_text (TillProductEditor *self);
void
till_product_editor_set_price_text (TillProductEditor *self, const char *text);
const char *
till_product_editor_get_unit (TillProductEditor *self);
void
till_product_editor_set_unit (TillProductEditor *self, const char *unit);
gint64
till_product_editor_get_category_id (TillProductEditor *self);
void
till_product_editor_set_category_id (TillProductEditor *self, gint64 category_id);
gboolean
till_product_editor_get_open_price (TillProductEditor *self);
void
till_product_editor_set_open_price (TillProductEditor *self, gboolean open_price);
gboolean
till_product_editor_get_active (TillProductEditor *self);
void
till_product_editor_set_active (TillProductEditor *self, gboolean active);
gboolean
till_product_editor_get_weighed (TillProductEditor *self);
void
till_product_editor_set_weighed (TillProductEditor *self, gboolean weighed);
/* Stock (issue 15): tracked or not, the minimum as text in units (kg for goods sold by
 * weight, "0.5"), the latest cost as text ("8.50"; empty: none). A cost change is not a
 * stock move. */
gboolean
till_product_editor_get_track_stock (TillProductEditor *self);
void
till_product_editor_set_track_stock (TillProductEditor *self, gboolean track_stock);
const char *
till_product_editor_get_min_stock_text (TillProductEditor *self);
void
till_product_editor_set_min_stock_text (TillProductEditor *self, const char *text);
const char *
till_product_editor_get_cost_text (TillProductEditor *self);
void
till_product_editor_set_cost_text (TillProductEditor *self, const char *text);

/* Read-only, as last read from the store: the level (the sum of the product's moves; 0 for
 * a new product), its latest moves (TillStockMove*, newest first, at most
 * TILL_PRODUCT_EDITOR_MAX_MOVES) and its price changes (TillPriceChange*, newest first). */
#define TILL_PRODUCT_EDITOR_MAX_MOVES 12
gint64
till_product_editor_get_level_milli (TillProductEditor *self);
GPtrArray *
till_product_editor_get_stock_moves (TillProductEditor *self);
GPtrArray *
till_product_editor_get_price_history (TillProductEditor *self);

/* Checks the stock fields: the minimum a quantity of at most three decimals, not below 0;
 * the cost empty (-1) or a price from 0 to 99,999,999.99. Plain messages
 * (TILL_STORE_ERROR_CONSTRAINT). */
gboolean
till_product_editor_validate_stock (TillProductEditor *self, gboolean *out_track,
                                    gint64 *out_min_milli, gint64 *out_cost_fen, GError **error);

/* Checks the fields without the store: a name, a barcode or a PLU, a price that parses
 * to at most two decimals, not below 0 nor above the maximum, the unit kg for goods sold
 * by weight, the stock fields (till_product_editor_validate_stock()). Returns the product to save
 * (owned) or NULL with a plain message (TILL_STORE_ERROR_CONSTRAINT). */
TillProduct *
till_product_editor_validate (TillProductEditor *self, GError **error);
/* Validates, then saves on the store thread; a code another product has is refused there
 * with that product's name. The product and its stock fields in one transaction
 * (till_store_save_product_with_stock(): no stock move; an audit row "stock_settings" when
 * they changed); then the stock details are read again ("stock-changed"). On success
 * "product-id" is the saved product's id. */
void
till_product_editor_save_async (TillProductEditor *self, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
gint64
till_product_editor_save_finish (TillProductEditor *self, GAsyncResult *result, GError **error);

G_END_DECLS
