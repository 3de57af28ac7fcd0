/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReceivingDraft: a delivery of goods (进货) as it is entered, without a window. It
 * holds the supplier and the lines (a product each, its quantity and unit cost as typed:
 * pieces as whole numbers, weighed goods in kg with up to three decimals, the cost in
 * yuan, defaulting to the product's last cost), finds scanned codes on the store thread,
 * adds a product scanned again to its line, checks everything with plain messages, and
 * commits it as ONE till_store_receive() call (one transaction) on the store thread.
 *
 * Properties (notify): "supplier" (string), "total-fen" (gint64: the sum of the lines
 * that parse), "n-lines" (guint), "busy" (boolean: a commit is running), "suppliers"
 * (GStrv: the recent suppliers, newest first; read-only).
 * Signals: "lines-changed" (lines were added, removed or cleared: a window rebuilds its
 * list); "line-changed" (guint index: the draft changed that line's text itself, e.g. a
 * product scanned again). */
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
  char *qty_text;  /* as typed: "24", "1.250" (kg) */
  char *cost_text; /* as typed, yuan: "3.50" */
} TillReceivingDraftLine;

#define TILL_TYPE_RECEIVING_DRAFT (till_receiving_draft_get_type ())
G_DECLARE_FINAL_TYPE (TillReceivingDraft, till_receiving_draft, TILL, RECEIVING_DRAFT, GObject)

/* `who`: the person who receives the goods (the receiving's "who"). */
TillReceivingDraft *
till_receiving_draft_new (TillStore *store, const char *who);
const char *
till_receiving_draft_get_who (TillReceivingDraft *self);
const char *
till_receiving_draft_get_supplier (TillReceivingDraft *self);
void
till_receiving_draft_set_supplier (TillReceivingDraft *self, const char *supplier);
const char *const *
till_receiving_draft_get_suppliers (TillReceivingDraft *self);
guint
till_receiving_draft_get_n_lines (TillReceivingDraft *self);
const TillReceivingDraftLine *
till_receiving_draft_get_line (TillReceivingDraft *self, guint index);
gint64
till_receiving_draft_get_total_fen (TillReceivingDraft *self);
gboolean
till_receiving_draft_get_busy (TillReceivingDraft *self);

/* A product found by a scanned code (`code`) or picked by id (`code` NULL): a new line
 * (1 piece, or an empty weight to type for weighed goods; the last cost), or one more
 * piece on its line. The finish returns the line's index, or -1 with `error` (an unknown
 * code: TILL_STORE_ERROR_NOT_FOUND with a plain message). */
void
till_receiving_draft_add_async (TillReceivingDraft *self, const char *code, gint64 product_id,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data);
int
till_receiving_draft_add_finish (TillReceivingDraft *self, GAsyncResult *result, GError **error);

/* The line's texts as typed (no "line-changed": the caller has them already). */
void
till_receiving_draft_set_qty_text (TillReceivingDraft *self, guint index, const char *text);
void
till_receiving_draft_set_cost_text (TillReceivingDraft *self, guint index, const char *text);
void
till_receiving_draft_remove_line (TillReceivingDraft *self, guint index);
/* Forgets the lines and the supplier. */
void
till_receiving_draft_clear (TillReceivingDraft *self);

/* The line's quantity (thousandths), unit cost (fen) and cost (fen), or FALSE with a
 * plain message naming the product. */
gboolean
till_receiving_draft_line_values (TillReceivingDraft *self, guint index, gint64 *out_qty_milli,
                                  gint64 *out_cost_fen, gint64 *out_line_fen, GError **error);
/* Checks the whole draft without the store: a supplier, at least one line, each line's
 * quantity above zero and cost of zero or more. Returns the lines to receive
 * (TillReceivingLine) or NULL with a plain message (TILL_STORE_ERROR_CONSTRAINT). */
GArray *
till_receiving_draft_validate (TillReceivingDraft *self, GError **error);
/* Validates, then ONE till_store_receive() on the store thread. On success the finish
 * returns the receiving's id, the draft is cleared and the recent suppliers are read
 * again; else 0 with `error` and the draft as it was. */
void
till_receiving_draft_commit_async (TillReceivingDraft *self, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
gint64
till_receiving_draft_commit_finish (TillReceivingDraft *self, GAsyncResult *result, GError **error);

G_END_DECLS
