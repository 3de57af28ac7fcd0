/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The till's side of the head office (issue 19; functions on TillStore, schema 21;
 * docs/head-office.md): whether the triggers queue the books (hq_config), the 'hq_sync'
 * outbox jobs taken as one batch (the rows' current state as the JSON that
 * till_hq_upsert_batch() takes) and their outcome, and the catalog pulled from head
 * office. Called from TillHqSync's own thread: every call takes the store's lock. */
#pragma once

#include "till-store.h"

G_BEGIN_DECLS

/* One batch taken from the outbox: its jobs are running until done, retried or dead. */
typedef struct
{
  GArray *job_ids; /* gint64 */
  char *json;      /* {"store_id", "till_id", "tables": {...}} */
  guint n_rows;    /* rows in it (a sale's lines count) */
} TillStoreHqBatch;

void
till_store_hq_batch_free (TillStoreHqBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillStoreHqBatch, till_store_hq_batch_free)

/* Turns the queueing on or off (hq_config.enabled). Turned on, every row the head office
 * keeps is queued at once, in the same transaction (the books from before the setting);
 * *out_queued (may be NULL) gets how many jobs that made or revived. Turned off, the
 * pending jobs stay (sent when it is on again). */
gboolean
till_store_hq_set_enabled (TillStore *self, gboolean enabled, gint64 *out_queued, GError **error);
gboolean
till_store_hq_get_enabled (TillStore *self, gboolean *out_enabled, GError **error);

/* Takes up to `max_jobs` due 'hq_sync' jobs (lowest id first), marks them running and
 * reads their rows' current state in the same transaction. NULL without error when none
 * is due. */
TillStoreHqBatch *
till_store_hq_take_batch (TillStore *self, const char *store_id, const char *till_id,
                          guint max_jobs, gint64 now_us, GError **error);
/* Sent: the jobs still running are done (one changed meanwhile is pending again and
 * stays so: it is sent again). */
gboolean
till_store_hq_batch_done (TillStore *self, GArray *job_ids, GError **error);
/* Not sent (no connection): pending again, due at next_attempt_at_us, attempts + 1. */
gboolean
till_store_hq_batch_retry (TillStore *self, GArray *job_ids, gint64 next_attempt_at_us,
                           const char *reason, GError **error);
/* Refused by head office: dead with the reason (a later change of a row revives its job). */
gboolean
till_store_hq_batch_dead (TillStore *self, GArray *job_ids, const char *reason, GError **error);
/* 'hq_sync' jobs pending or running; -1 on error. */
gint64
till_store_hq_count_waiting (TillStore *self, GError **error);
/* 'hq_sync' jobs dead (refused); -1 on error. */
gint64
till_store_hq_count_dead (TillStore *self, GError **error);
/* The dead (refused) 'hq_sync' jobs, TillOutboxJob* (key "hq:<table>:<id>", last_error,
 * attempts; next_attempt_at is when it was refused), the latest refused first, at most
 * `limit` (0: all). NULL on error. */
GPtrArray *
till_store_hq_list_dead (TillStore *self, guint limit, GError **error);
/* A manager's "Retry all": every dead 'hq_sync' job becomes pending, due at now_us,
 * attempts 0 (its last error kept until it is sent). Returns how many, -1 on error. */
gint64
till_store_hq_revive_dead (TillStore *self, gint64 now_us, GError **error);
/* The earliest next_attempt_at of a pending 'hq_sync' job, 0 when none (-1 on error). */
gint64
till_store_hq_next_due_at (TillStore *self, GError **error);

/* ---- the catalog pulled from head office ---- */

/* The catalog version applied last and when it was pulled (unix µs; 0: never). */
gboolean
till_store_hq_get_catalog (TillStore *self, gint64 *out_version, gint64 *out_synced_at,
                           GError **error);
/* Applies head office's changed products (TillProduct*: barcode, plu, name, price, unit,
 * weighed, open price; made active) with the store's upsert, by barcode or else PLU, all in
 * one transaction, then notes `version` (never lowered) and the time now_us. A product the
 * store refuses refuses them all (nothing changes). */
gboolean
till_store_hq_apply_catalog (TillStore *self, GPtrArray *products, gint64 version, gint64 now_us,
                             GError **error);

G_END_DECLS
