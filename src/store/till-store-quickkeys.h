/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Quick keys (issue 15, schema 15): buttons on the cashier's window for goods without a
 * barcode (bread, vegetables, eggs by the piece), arranged per till database on pages
 * that are the product categories. A key whose product is inactive is hidden at the
 * counter, never an error. */
#pragma once

#include "till-store.h"

G_BEGIN_DECLS

/* One quick key and the product it sells. */
typedef struct
{
  gint64 id;
  gint64 category_id;   /* its page */
  char *page_name;      /* the category's name */
  gint64 position;      /* order on its page (gaps allowed) */
  char *label;          /* its own label, or NULL: the product's name */
  char *colour;         /* "#rrggbb", or NULL */
  TillProduct *product; /* active or not */
} TillQuickKey;

void
till_quick_key_free (TillQuickKey *key);
TillQuickKey *
till_quick_key_copy (const TillQuickKey *key);
/* The label the key shows: its own, else the product's name. */
const char *
till_quick_key_get_label (const TillQuickKey *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillQuickKey, till_quick_key_free)

/* Every quick key, by page (the categories' order: position, then name) then position.
 * Keys of inactive products are left out unless `include_hidden`. Array of
 * TillQuickKey*, owned; empty when none is arranged. */
GPtrArray *
till_store_list_quick_keys (TillStore *self, gboolean include_hidden, GError **error);

/* Puts `product_id` on the page `category_id` after its last key, with an optional label
 * and colour ("#rrggbb", either case); an audit row "quick_key_place" by `actor`. Refused
 * (TILL_STORE_ERROR_NOT_FOUND) for a product or page that is not there, and
 * (TILL_STORE_ERROR_CONSTRAINT) for a product already on that page or a colour that is not
 * "#rrggbb". Returns the key's id, 0 with `error` set. */
gint64
till_store_place_quick_key (TillStore *self, gint64 category_id, gint64 product_id,
                            const char *label, const char *colour, const char *actor,
                            GError **error);

/* Swaps the key with its neighbour on its page: `delta` -1 (left) or +1 (right). At the
 * end of its page the key stays where it is (TRUE). NOT_FOUND for a key not there. */
gboolean
till_store_move_quick_key (TillStore *self, gint64 key_id, int delta, GError **error);

/* Takes the key off its page; an audit row "quick_key_remove" by `actor`. NOT_FOUND for a
 * key not there. */
gboolean
till_store_remove_quick_key (TillStore *self, gint64 key_id, const char *actor, GError **error);

G_END_DECLS
