/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillOutboxWorker: the one worker that runs the outbox's jobs (ARCHITECTURE "Offline
 * queue") on the main context: due jobs in order of next_attempt_at, one at a time;
 * exponential backoff with jitter (about 1 s doubling to a 5 min cap); a job failing
 * beyond max attempts or max age becomes dead (listable with till_store_outbox_list()).
 *
 * Built-in kinds: reverse, resolve_payment and close_order all drive the payment through
 * TillPaymentService (till_payment_service_resolve_async()). Other kinds (refund,
 * refund_query, fetch_bill) run through handlers set with till_outbox_worker_set_handler();
 * a job without a handler waits (retried at the cap) until one is set.
 *
 * It wakes when a job is queued (the service's "outbox-changed", or
 * till_outbox_worker_wake()) and when GNetworkMonitor reports the network back; then every
 * pending job is tried at once. Online/offline is decided from real calls only: a job that
 * reached the provider (done, or refused definitely) means online; a transport failure
 * means offline.
 *
 * Properties (read-only, notify): "online" (gboolean), "pending-count" (gint64: jobs still
 * to do, for the status bar), "running" (gboolean: a job is in progress). */
#pragma once

#include <gio/gio.h>

#include "till-payment-service.h"
#include "till-refund-service.h"
#include "till-store-outbox.h"

G_BEGIN_DECLS

typedef struct
{
  guint  backoff_base_ms;   /* 0 = 1000: the wait after the first failure, doubling */
  guint  backoff_cap_ms;    /* 0 = 300000 */
  gint   max_attempts;      /* 0 = 100; < 0 = unlimited */
  gint64 max_age_ms;        /* 0 = 7 days (the reverse window); < 0 = unlimited */
  gboolean watch_network;   /* wake on GNetworkMonitor "network-changed" (available) */
  guint  look_again_ms;     /* 0 = 30000: the longest sleep without looking for due jobs
                               (jobs also become due without telling this worker) */
} TillOutboxWorkerConfig;

/* A job handler for other kinds: runs the job and calls `callback` with a GTask (no source
 * object) that returns a boolean: TRUE = done; an error = try again later, except a
 * definite TILL_PAY_ERROR (till_pay_error_is_definite(), e.g. the provider refused), which
 * makes the job dead at once. */
typedef void (*TillOutboxHandler) (const TillOutboxJob *job,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             callback_data,
                                   gpointer             handler_data);

#define TILL_TYPE_OUTBOX_WORKER (till_outbox_worker_get_type ())
G_DECLARE_FINAL_TYPE (TillOutboxWorker, till_outbox_worker, TILL, OUTBOX_WORKER, GObject)

/* config may be NULL (defaults). Starts working at once on the thread-default context. */
TillOutboxWorker *till_outbox_worker_new (TillPaymentService           *service,
                                          const TillOutboxWorkerConfig *config);

void     till_outbox_worker_set_handler (TillOutboxWorker *self,
                                         const char       *kind,
                                         TillOutboxHandler handler,
                                         gpointer          handler_data,
                                         GDestroyNotify    handler_data_free);

/* Runs "refund" and "refund_query" jobs through `refunds` (sets their handlers) and wakes
 * on its "outbox-changed". */
void     till_outbox_worker_set_refund_service (TillOutboxWorker  *self,
                                                TillRefundService *refunds);

/* Look for due work now (after enqueueing from elsewhere). */
void     till_outbox_worker_wake          (TillOutboxWorker *self);
/* Try every pending job now, whatever its next_attempt_at (network back, "retry now"). */
void     till_outbox_worker_retry_all_now (TillOutboxWorker *self);

gboolean till_outbox_worker_get_online        (TillOutboxWorker *self);
gint64   till_outbox_worker_get_pending_count (TillOutboxWorker *self);
gboolean till_outbox_worker_get_running       (TillOutboxWorker *self);

/* The wait after `attempts` failures (1, 2, …) before jitter, in ms. */
guint64  till_outbox_worker_backoff_ms (guint attempts,
                                        guint base_ms,
                                        guint cap_ms);

/* Stops (no new jobs; the one running finishes in the background). Also on dispose. */
void     till_outbox_worker_stop (TillOutboxWorker *self);

G_END_DECLS
