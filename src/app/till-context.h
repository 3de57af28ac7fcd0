/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The shared services handed to every window instead of globals: the store, the settings,
 * the scanner hub, the data directory, the till id and whether this is a demo; and, built
 * from the settings, the serial scanner and electronic payment (TillPaymentService,
 * TillOutboxWorker, TillRefundService and TillBillService on one client), rebuilt when a
 * payment setting changes. */
#pragma once

#include <gio/gio.h>

#include "till-core.h"
#include "till-store.h"
#include "till-scanner-hub.h"
#include "till-serial-scanner.h"
#include "till-outbox-worker.h"
#include "till-payment-service.h"
#include "till-refund-service.h"
#include "till-bill-service.h"

G_BEGIN_DECLS

/* Where electronic payment stands. */
typedef enum
{
  TILL_PAYMENT_STATUS_NOT_CONFIGURED = 0,  /* see till_context_get_payment_problem() */
  TILL_PAYMENT_STATUS_STARTING,            /* loading keys, checking unfinished payments */
  TILL_PAYMENT_STATUS_READY,               /* the service and the worker run */
} TillPaymentStatus;

/* Tuning that has no settings key (tests, demo): 0 keeps the default. */
typedef struct
{
  guint native_deadline_ms;     /* TillPaymentServiceConfig */
  guint reverse_min_delay_ms;
  guint reverse_attempts;
  guint reverse_retry_ms;
  guint backoff_base_ms;        /* TillOutboxWorkerConfig */
  guint backoff_cap_ms;
  guint probe_interval_ms;      /* reachability check of the API; 0 = 30000 */
  guint refund_query_delay_ms;  /* TillRefundService: first query of an accepted refund */
} TillContextTuning;

#define TILL_TYPE_CONTEXT (till_context_get_type ())
G_DECLARE_FINAL_TYPE (TillContext, till_context, TILL, CONTEXT, GObject)

/* Properties (construct-only): "store" (TillStore), "settings" (GSettings of schema
 * io.github.tillpoint.Tillpoint), "scanner-hub" (TillScannerHub), "data-dir" (string),
 * "demo" (boolean). "till-id" (string, read-only) follows the settings key. */
TillContext       *till_context_new                 (TillStore      *store,
                                                     GSettings      *settings,
                                                     TillScannerHub *hub,
                                                     const char     *data_dir,
                                                     gboolean        demo);

TillStore         *till_context_get_store           (TillContext    *self);
GSettings         *till_context_get_settings        (TillContext    *self);
TillScannerHub    *till_context_get_scanner_hub     (TillContext    *self);
const char        *till_context_get_data_dir        (TillContext    *self);
gboolean           till_context_get_demo            (TillContext    *self);
/* The till id from the settings ("01" when empty). */
const char        *till_context_get_till_id         (TillContext    *self);
/* The cashier recorded on sales: the signed-in person (TillShift), else the session user. */
const char        *till_context_get_cashier         (TillContext    *self);
/* The scale-barcode layout from the settings, read live. */
TillEmbeddedLayout till_context_get_embedded_layout (TillContext    *self);
/* The cash rounding rule from the settings ("cash-rounding"), read live. */
TillCashRounding   till_context_get_cash_rounding   (TillContext    *self);

/* ---- serial scanner (device and baud bound to the settings) ---- */
TillSerialScanner *till_context_get_serial_scanner  (TillContext    *self);

/* ---- electronic payment ----
 * Properties (read-only, notify): "payment-status" (TillPaymentStatus as int),
 * "payment-problem" (string: why it is not configured, NULL otherwise), "payment-service",
 * "outbox-worker", "refund-service" and "bill-service" (NULL unless ready), "online" (the API answered the last real call:
 * a job of the worker or the context's own reachability probe), "pending-count" (jobs
 * waiting in the outbox).
 * The service is built as soon as the context exists and again (after its live payments
 * end) when a payment setting changes; each build resumes every unfinished payment
 * (till_payment_service_resume_pending) and refund (till_refund_service_resume_pending)
 * before the status becomes READY. The refund service is also handed to the shift
 * (till_shift_set_refund_service), so the refunds window refunds electronic payments; the
 * worker runs its refund jobs and the bill service's fetch_bill jobs. */
TillPaymentStatus   till_context_get_payment_status  (TillContext *self);
const char         *till_context_get_payment_problem (TillContext *self);
TillPaymentService *till_context_get_payment_service (TillContext *self);
TillOutboxWorker   *till_context_get_outbox_worker   (TillContext *self);
TillRefundService  *till_context_get_refund_service  (TillContext *self);
/* The daily reconciliation: schedule at the day close, "fetch now" in the reports. */
TillBillService    *till_context_get_bill_service    (TillContext *self);
gboolean            till_context_get_online          (TillContext *self);
gint64              till_context_get_pending_count   (TillContext *self);
/* TRUE when a new electronic payment may start now; otherwise FALSE and *message (g_free)
 * says why, for the cashier (not configured, still starting, offline — cash only). */
gboolean            till_context_can_take_electronic (TillContext *self,
                                                      char       **message);
/* Overrides for values without a settings key; rebuilds the service. */
void                till_context_set_tuning          (TillContext             *self,
                                                      const TillContextTuning *tuning);
/* Asks for a reachability check now (status bar "retry", tests). */
void                till_context_probe_now           (TillContext *self);

/* "Test connection": builds a client from the settings as they are now and queries an
 * order that does not exist; the provider's ORDER_NOT_EXIST proves that signing and
 * verification work. Returns a sentence for the manager; errors say what is wrong. */
void                till_context_test_connection_async  (TillContext         *self,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
char               *till_context_test_connection_finish (TillContext         *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

G_END_DECLS
