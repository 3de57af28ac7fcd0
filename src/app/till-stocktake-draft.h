/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillStocktakeDraft: a stocktake (盘点) as it is counted, without a window. Each scan of
 * a product counts one more piece (weighed goods are typed in kg); a count may be typed.
 * Each line shows the level expected (the product's level when it was first scanned) and
 * the variance. The commit is ONE till_store_stocktake() call on the store thread with
 * the manager who approved; then the lines show what the stocktake booked (the expected
 * level at that moment and the variance) until the next scan starts a new count.
 *
 * Properties (notify): "n-lines" (guint), "busy" (boolean), "booked-id" (gint64: the
 * stocktake just booked, 0 while counting), "unsaved" (boolean: counts not booked yet).
 * Signals: "lines-changed" (lines added, removed, cleared or booked: rebuild the list);
 * "line-changed" (guint index: the draft changed that line's count itself). */
#pragma once

#include <gio/gio.h>

#include "till-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 product_id;
  char *name;
  char *unit;
  gboolean weighed;
  char *counted_text;           /* as typed: "20", "1.250" (kg) */
  gint64 expected_milli;        /* the level when scanned, or the booked one */
  gint64 booked_variance_milli; /* valid when the draft is booked */
} TillStocktakeDraftLine;

#define TILL_TYPE_STOCKTAKE_DRAFT (till_stocktake_draft_get_type ())
G_DECLARE_FINAL_TYPE (TillStocktakeDraft, till_stocktake_draft, TILL, STOCKTAKE_DRAFT, GObject)

/* `who`: the person who counts. */
TillStocktakeDraft *
till_stocktake_draft_new (TillStore *store, const char *who);
void
till_stocktake_draft_set_who (TillStocktakeDraft *self, const char *who);
guint
till_stocktake_draft_get_n_lines (TillStocktakeDraft *self);
const TillStocktakeDraftLine *
till_stocktake_draft_get_line (TillStocktakeDraft *self, guint index);
gboolean
till_stocktake_draft_get_busy (TillStocktakeDraft *self);
gint64
till_stocktake_draft_get_booked_id (TillStocktakeDraft *self);
gboolean
till_stocktake_draft_get_unsaved (TillStocktakeDraft *self);

/* A product scanned (`code`) or picked by id (`code` NULL): a new line counting 1 piece
 * (an empty weight for weighed goods), or one more piece on its line. The finish returns
 * the line's index, or -1 with `error` (unknown code: TILL_STORE_ERROR_NOT_FOUND). */
void
till_stocktake_draft_add_async (TillStocktakeDraft *self, const char *code, gint64 product_id,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data);
int
till_stocktake_draft_add_finish (TillStocktakeDraft *self, GAsyncResult *result, GError **error);

/* The count as typed (no "line-changed"). */
void
till_stocktake_draft_set_counted_text (TillStocktakeDraft *self, guint index, const char *text);
void
till_stocktake_draft_remove_line (TillStocktakeDraft *self, guint index);
/* Forgets every line (and the booked stocktake). */
void
till_stocktake_draft_clear (TillStocktakeDraft *self);

/* The line's count and variance (counted − expected), in thousandths; FALSE with a plain
 * message naming the product when the count does not parse. */
gboolean
till_stocktake_draft_line_values (TillStocktakeDraft *self, guint index, gint64 *out_counted_milli,
                                  gint64 *out_variance_milli, GError **error);
/* Checks the counts without the store: NULL with a plain message
 * (TILL_STORE_ERROR_CONSTRAINT), else the lines (TillCountLine). */
GArray *
till_stocktake_draft_validate (TillStocktakeDraft *self, GError **error);
/* Validates, then ONE till_store_stocktake() approved by `approved_by` on the store
 * thread, and reads what it booked. The finish returns the stocktake's id (0 with
 * `error`). */
void
till_stocktake_draft_commit_async (TillStocktakeDraft *self, const char *approved_by,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data);
gint64
till_stocktake_draft_commit_finish (TillStocktakeDraft *self, GAsyncResult *result, GError **error);

G_END_DECLS
