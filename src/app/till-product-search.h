/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillProductSearch: finding a product without its barcode at the counter (Ctrl+F), without
 * a window. It owns the query as the cashier types it: each change waits a moment for the
 * next key (debounced), then asks the store on its thread (till_store_find_products_async);
 * an answer to a query that is no longer the one typed is dropped. It keeps the ranked
 * results and the chosen one; activate() adds the chosen product to the checkout's sale as
 * a scan of its code would.
 *
 * Properties (notify):
 *   "checkout"   TillCheckout (construct-only)
 *   "query"      string: what the cashier typed
 *   "searching"  boolean: a query is waiting or being answered
 *   "selected"   int: the chosen result, -1: none
 *   "delay-ms"   uint: how long a change waits for the next key (default 120)
 * Signals:
 *   "results-changed": the results (and "selected") are those of the query now; the query
 *     may have found nothing (n_results 0). Also emitted when the query is emptied. */
#pragma once

#include "till-checkout.h"
#include "till-store-search.h"

G_BEGIN_DECLS

#define TILL_TYPE_PRODUCT_SEARCH (till_product_search_get_type ())
G_DECLARE_FINAL_TYPE (TillProductSearch, till_product_search, TILL, PRODUCT_SEARCH, GObject)

TillProductSearch   *till_product_search_new           (TillCheckout      *checkout);
const char          *till_product_search_get_query     (TillProductSearch *self);
void                 till_product_search_set_query     (TillProductSearch *self,
                                                        const char        *query);
gboolean             till_product_search_get_searching (TillProductSearch *self);
/* The query the results answer ("" before any). */
const char          *till_product_search_get_answered  (TillProductSearch *self);
guint                till_product_search_get_n_results (TillProductSearch *self);
/* The result at `index` (borrowed), or NULL past the end. */
const TillSearchHit *till_product_search_get_result    (TillProductSearch *self,
                                                        guint              index);
int                  till_product_search_get_selected  (TillProductSearch *self);
void                 till_product_search_set_selected  (TillProductSearch *self,
                                                        int                index);
/* Up (-1) or Down (+1), staying within the results. */
void                 till_product_search_move          (TillProductSearch *self,
                                                        int                delta);
/* Adds the chosen product to the sale (till_checkout_add_product()). FALSE with an error
 * (for the cashier) when nothing is chosen or the query changed since the results came. */
gboolean             till_product_search_activate      (TillProductSearch *self,
                                                        GError           **error);

G_END_DECLS
