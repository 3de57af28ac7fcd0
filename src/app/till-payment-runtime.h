/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillPaymentRuntime: electronic payment as the settings describe it. It builds the WeChat
 * Pay and the Alipay clients from the settings (the key files are read off the main
 * thread) — each provider whose settings are complete; one alone is enough — wraps them in
 * their payment providers (TillWxpayProvider, TillAlipayProvider: TillPayProviders), and
 * on those the TillPaymentService, the TillOutboxWorker, the TillRefundService and the
 * TillBillService; it rebuilds them when a payment setting changes (never under a live
 * payment), resumes every unfinished payment and refund at each build, probes whether the
 * API answers, and counts the jobs waiting in the outbox. The TillContext makes one and
 * owns it ("payment-runtime"); windows and the checkout observe it. GLib only. */
#pragma once

#include <gio/gio.h>

#include "till-store.h"
#include "till-outbox-worker.h"
#include "till-payment-service.h"
#include "till-refund-service.h"
#include "till-bill-service.h"

G_BEGIN_DECLS

/* Where electronic payment stands. */
typedef enum
{
  TILL_PAYMENT_STATUS_NOT_CONFIGURED = 0,  /* see till_payment_runtime_get_payment_problem() */
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
} TillPaymentRuntimeTuning;

#define TILL_TYPE_PAYMENT_RUNTIME (till_payment_runtime_get_type ())
G_DECLARE_FINAL_TYPE (TillPaymentRuntime, till_payment_runtime, TILL, PAYMENT_RUNTIME, GObject)

/* Properties: "store" (TillStore) and "settings" (GSettings of schema
 * io.github.tillpoint.Tillpoint), construct-only; read-only with notify:
 *   "payment-status"   int (TillPaymentStatus)
 *   "payment-problem"  string: why it is not configured, NULL otherwise
 *   "payment-service", "outbox-worker", "bill-service": NULL unless READY
 *   "refund-service"   the one till_payment_runtime_get_refund_service() returns
 *   "online"           boolean: the API answered the last real call (a job of the worker
 *                      or the runtime's own reachability probe); TRUE until one fails
 *   "pending-count"    gint64: jobs waiting in the outbox
 * The first build starts at once. */
TillPaymentRuntime *till_payment_runtime_new                 (TillStore          *store,
                                                              GSettings          *settings);

TillPaymentStatus   till_payment_runtime_get_payment_status  (TillPaymentRuntime *self);
const char         *till_payment_runtime_get_payment_problem (TillPaymentRuntime *self);
TillPaymentService *till_payment_runtime_get_payment_service (TillPaymentRuntime *self);
TillOutboxWorker   *till_payment_runtime_get_outbox_worker   (TillPaymentRuntime *self);
/* The refunds window's service: the one on the payment client when READY, else one
 * without a client (then only cash payments are refunded; it says so for the others).
 * Never NULL. */
TillRefundService  *till_payment_runtime_get_refund_service  (TillPaymentRuntime *self);
/* The daily reconciliation with every provider in use (one bill job per provider and
 * day): schedule at the day close, "fetch now" per provider in the reports. */
TillBillService    *till_payment_runtime_get_bill_service    (TillPaymentRuntime *self);
/* The providers in use (TillPayProvider*, borrowed; empty unless READY): WeChat Pay
 * and/or Alipay, each when its settings are complete and its keys load; the first is the
 * default for a QR order. */
GPtrArray          *till_payment_runtime_get_providers       (TillPaymentRuntime *self);
/* The provider in use named "wechat" / "alipay", or NULL. */
TillPayProvider    *till_payment_runtime_get_provider        (TillPaymentRuntime *self,
                                                              const char         *name);
/* Why the provider `name` is not in use (a missing setting, a key that did not load), or
 * NULL when it is. */
const char         *till_payment_runtime_get_provider_problem (TillPaymentRuntime *self,
                                                               const char         *name);
gboolean            till_payment_runtime_get_online          (TillPaymentRuntime *self);
gint64              till_payment_runtime_get_pending_count   (TillPaymentRuntime *self);
/* "clock-skew-seconds" (notify): the provider's clock minus the till's as its answers show
 * it (0: unknown or close). Past 300 s no answer can be verified: electronic payment waits
 * (can_take_electronic says why) and the status bar says to check the till's clock. */
gint64              till_payment_runtime_get_clock_skew_seconds (TillPaymentRuntime *self);
/* The sentence for the cashier while the clocks are that far apart, else NULL (g_free). */
char               *till_payment_runtime_dup_clock_problem      (TillPaymentRuntime *self);
/* TRUE when a new electronic payment may start now; otherwise FALSE and *message (g_free)
 * says why, for the cashier (not configured, still starting, offline — cash only). */
gboolean            till_payment_runtime_can_take_electronic (TillPaymentRuntime *self,
                                                              char              **message);
/* Overrides for values without a settings key; rebuilds the services. */
void                till_payment_runtime_set_tuning          (TillPaymentRuntime             *self,
                                                              const TillPaymentRuntimeTuning *tuning);
/* Rebuilds the services from the settings now, not after the pause kept for typing (the
 * demo, once its simulator listens); under a live payment it waits, as every rebuild. */
void                till_payment_runtime_rebuild             (TillPaymentRuntime *self);
/* Asks for a reachability check now (status bar "retry", tests). */
void                till_payment_runtime_probe_now           (TillPaymentRuntime *self);
/* Stops everything for good (the context does this when it goes): no more builds, calls,
 * probes or jobs; unfinished payments stay in the store for the next start. */
void                till_payment_runtime_shutdown            (TillPaymentRuntime *self);

/* "Test connection" of one provider ("wechat", "alipay"; NULL: WeChat Pay): builds its
 * client from the settings as they are now and queries an order that does not exist; the
 * provider's signed "no such order" (WeChat Pay ORDER_NOT_EXIST, Alipay
 * ACQ.TRADE_NOT_EXIST) proves that signing and verification work. Returns a sentence for
 * the manager; errors say what is wrong. */
void                till_payment_runtime_test_connection_async  (TillPaymentRuntime  *self,
                                                                 const char          *provider_name,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
char               *till_payment_runtime_test_connection_finish (TillPaymentRuntime  *self,
                                                                 GAsyncResult        *result,
                                                                 GError             **error);

G_END_DECLS
