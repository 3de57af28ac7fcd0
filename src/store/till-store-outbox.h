/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The durable outbox (functions on TillStore): calls that cannot be made now, kept until
 * they are done. A job's key is unique (the provider-side id), so enqueueing the same work
 * twice never makes two jobs. One worker claims due jobs in order of next_attempt_at.
 * States: pending -> running -> done | pending (retry later) | dead (gave up). Jobs left
 * running by a crash go back to pending when the store is opened. */
#pragma once

#include "till-store.h"

G_BEGIN_DECLS

/* Kinds (ARCHITECTURE "Offline queue"). */
#define TILL_OUTBOX_KIND_RESOLVE_PAYMENT "resolve_payment"
#define TILL_OUTBOX_KIND_REVERSE         "reverse"
#define TILL_OUTBOX_KIND_CLOSE_ORDER     "close_order"
#define TILL_OUTBOX_KIND_REFUND          "refund"
#define TILL_OUTBOX_KIND_REFUND_QUERY    "refund_query"
#define TILL_OUTBOX_KIND_FETCH_BILL      "fetch_bill"
/* The head office's rows (till-store-hq.h): run by TillHqSync only, never claimed,
 * counted or scheduled by the payments' worker (claim_next, count_pending, next_due_at). */
#define TILL_OUTBOX_KIND_HQ_SYNC         "hq_sync"

typedef enum
{
  TILL_OUTBOX_STATE_PENDING,
  TILL_OUTBOX_STATE_RUNNING,
  TILL_OUTBOX_STATE_DONE,
  TILL_OUTBOX_STATE_DEAD,
} TillOutboxState;

const char *till_outbox_state_to_string (TillOutboxState state);

/* One outbox row (boxed). Times are unix µs. */
typedef struct
{
  gint64          id;
  char           *kind;
  char           *key;
  char           *payload_json;     /* may be NULL */
  TillOutboxState state;
  gint            attempts;         /* failed attempts so far */
  gint64          next_attempt_at;
  char           *last_error;       /* may be NULL */
  gint64          created_at;
} TillOutboxJob;

#define TILL_TYPE_OUTBOX_JOB (till_outbox_job_get_type ())
GType          till_outbox_job_get_type (void) G_GNUC_CONST;
TillOutboxJob *till_outbox_job_copy     (const TillOutboxJob *job);
void           till_outbox_job_free     (TillOutboxJob       *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillOutboxJob, till_outbox_job_free)

/* Adds a pending job, or returns the existing job with that key unchanged (in any state):
 * no duplicate is ever made. *out_created (may be NULL) tells which. NULL on error. */
TillOutboxJob *till_store_outbox_enqueue (TillStore  *self,
                                          const char *kind,
                                          const char *key,
                                          const char *payload_json,
                                          gint64      next_attempt_at_us,
                                          gboolean   *out_created,
                                          GError    **error);

/* The job with that key, or NULL + TILL_STORE_ERROR_NOT_FOUND. */
TillOutboxJob *till_store_outbox_get_by_key (TillStore  *self,
                                             const char *key,
                                             GError    **error);

/* Takes the pending job with the earliest next_attempt_at ≤ now_us (then the lowest id)
 * and marks it running. NULL with no error when none is due. */
TillOutboxJob *till_store_outbox_claim_next (TillStore *self,
                                             gint64     now_us,
                                             GError   **error);

/* A running job finished. */
gboolean   till_store_outbox_done  (TillStore *self,
                                    gint64     job_id,
                                    GError   **error);

/* A running job failed: attempts + 1, last_error, and it waits until next_attempt_at_us —
 * or, when attempts reaches max_attempts (> 0) or the job is older than max_age_us
 * (> 0) at now_us, it becomes dead. *out_dead (may be NULL) tells which. */
gboolean   till_store_outbox_retry (TillStore  *self,
                                    gint64      job_id,
                                    gint64      now_us,
                                    gint64      next_attempt_at_us,
                                    const char *last_error,
                                    gint        max_attempts,
                                    gint64      max_age_us,
                                    gboolean   *out_dead,
                                    GError    **error);

/* Gives up on a job at once (e.g. a definite refusal that retrying cannot change). */
gboolean   till_store_outbox_dead  (TillStore  *self,
                                    gint64      job_id,
                                    const char *last_error,
                                    GError    **error);

/* A dead (or done) job is made pending again, due at next_attempt_at_us, attempts 0
 * (a manager's "try again", or work found unfinished at startup). */
gboolean   till_store_outbox_revive (TillStore *self,
                                     gint64     job_id,
                                     gint64     next_attempt_at_us,
                                     GError   **error);

/* Every pending job becomes due at now_us (those scheduled later are pulled forward):
 * a "try everything now" after the network came back or a manager asked. Returns how
 * many jobs were moved, -1 on error. */
gint64     till_store_outbox_make_all_due (TillStore *self,
                                           gint64     now_us,
                                           GError   **error);

/* Jobs in `state`, or all with state < 0, ordered by next_attempt_at then id. */
GPtrArray *till_store_outbox_list  (TillStore *self,
                                    int        state,
                                    GError   **error);

/* Jobs still to do (pending + running): the number the cashier window shows. -1 on
 * error. */
gint64     till_store_outbox_count_pending (TillStore *self,
                                            GError   **error);

/* The earliest next_attempt_at of a pending job, or 0 when there is none (-1 on error). */
gint64     till_store_outbox_next_due_at (TillStore *self,
                                          GError   **error);

/* A claimed (running) job that was not started goes back to pending, unchanged (a
 * worker stopped between claiming and running it). */
gboolean   till_store_outbox_release (TillStore *self,
                                      gint64     job_id,
                                      GError   **error);

/* Jobs left running (by a crash) go back to pending; returns how many were recovered,
 * -1 on error. Only for the one till process of a database, at its start, before its
 * outbox worker runs (TillApplication, under the data directory's lock): any other
 * process would take back the jobs that the running till is doing. */
gint64     till_store_outbox_recover (TillStore *self,
                                      GError   **error);

G_END_DECLS
