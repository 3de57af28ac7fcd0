/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Finding a product without its barcode: by name, pinyin initials or full pinyin (every
 * reading of a character that has several), PLU, and the start or the end of the
 * barcode. Answered from the product_search key table (schema 9) and the product
 * table's own indexes: never a scan of the catalog. */
#pragma once

#include "till-store.h"

G_BEGIN_DECLS

/* How a product of a search matched, best first (the order of the results). */
typedef enum
{
  TILL_SEARCH_MATCH_CODE = 0,      /* the query is its PLU or its whole barcode */
  TILL_SEARCH_MATCH_INITIALS,      /* its name's pinyin initials start with the query */
  TILL_SEARCH_MATCH_NAME,          /* its name starts with the query */
  TILL_SEARCH_MATCH_PINYIN,        /* its name's full pinyin starts with the query */
  TILL_SEARCH_MATCH_CODE_START,    /* its PLU or barcode starts with the query */
  TILL_SEARCH_MATCH_BARCODE_END,   /* its barcode ends with the query */
  TILL_SEARCH_MATCH_WORD,          /* a later word of its name starts with the query, or
                                    * that word's pinyin initials do ("hfs": 苹果 红富士) */
} TillSearchMatch;

/* One result: the product and how it matched. */
typedef struct
{
  TillProduct     *product;
  TillSearchMatch  match;
} TillSearchHit;

void till_search_hit_free (TillSearchHit *hit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillSearchHit, till_search_hit_free)

/* The default cap of a search's results. */
#define TILL_STORE_SEARCH_LIMIT 50

/* Active products matching `query` (as the cashier typed it: till_pinyin_normalize()
 * makes it comparable), ranked: exact PLU or barcode, then initials and name prefixes,
 * then full pinyin and code prefixes, then barcode ends (a query of digits) or later words
 * of names (any other query); each product once, at most
 * `limit`. An empty query finds nothing. Array of TillSearchHit*, owned. */
GPtrArray *till_store_find_products        (TillStore    *self,
                                            const char   *query,
                                            guint         limit,
                                            GError      **error);
/* The same on the store thread (what the UI uses). */
void       till_store_find_products_async  (TillStore          *self,
                                            const char         *query,
                                            guint               limit,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
GPtrArray *till_store_find_products_finish (TillStore    *self,
                                            GAsyncResult *result,
                                            GError      **error);

G_END_DECLS
