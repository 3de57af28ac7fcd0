/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillBillService: the daily reconciliation with each payment provider (reference §6,
 * alipay.md §5.7, ARCHITECTURE "Offline queue"). At the day close the app schedules the
 * closed day; an outbox job per provider (kind fetch_bill; key "bill:YYYY-MM-DD" for WeChat
 * Pay, as before Alipay came, "bill:<provider>:YYYY-MM-DD" for the others; payload
 * {"date","provider"}) then fetches that provider's trade bill from 10:00 the next day
 * (till_pay_provider_fetch_bill_async(): WeChat Pay tradebill ALL + GZIP, SHA1 checked;
 * Alipay's bill URL and its ZIP of GBK CSV) and reconciles it with that provider's payments
 * and refunds alone (till_store_reconcile_day() with the methods the provider owns); the
 * result is stored per (day, provider) and announced.
 *
 * How a job ends:
 *   - bill fetched and parsed: reconciled and stored; "reconciled" is emitted; done.
 *   - no trade that day at the provider (WeChat Pay: NO_STATEMENT_EXIST; Alipay:
 *     isp.bill_not_exist; the provider gives a bill without rows): reconciled against the
 *     empty bill (every till payment of that provider on the day is then "missing at the
 *     provider"; a day with none balances); done.
 *   - not ready yet (an error of class TILL_PAY_FAILURE_NOT_READY; WeChat Pay:
 *     STATEMENT_CREATING; Alipay: a day that is not over in Beijing): not an error. The
 *     attempt ends as done for the worker (so that its "try everything now" never spins on
 *     a bill that is not there) and a timer of the service makes the job pending again,
 *     attempts 0, after `not_ready_retry_s` ("not-ready" is emitted;
 *     till_bill_service_get_next_try()). Only when the bill is still not ready
 *     `not_ready_limit_s` after it was due does the job become dead, with that reason
 *     naming the provider. A job left done without a reconciliation (the app quit while
 *     waiting) is queued again by till_bill_service_attach().
 *   - a damaged download (checksum, gzip, zip) or a bill that does not parse: retried with
 *     the worker's backoff; dead with the reason once `corrupt_attempts` attempts failed.
 *   - a provider refusal that retrying cannot change (WeChat Pay: PARAM_ERROR, NO_AUTH, a
 *     bill older than 3 months, …): dead at once; so is a job of a provider that is not
 *     set up any more. Network trouble, 5xx, timeouts: retried.
 *
 * Everything runs on the main context the service was created on; store work runs on the
 * store's thread.
 *
 * Signals (detailed by the provider's name: "reconciled::alipay" hears Alipay's alone):
 *   "reconciled" (const char *date, const char *status, const char *provider): a day was
 *     reconciled with that provider's bill and stored; status is the store's: "balanced"
 *     (everything matched) or "differences".
 *   "not-ready" (const char *date, gint64 next_attempt_at_us, const char *provider): the
 *     provider is still making the bill; the job tries again then. */
#pragma once

#include <gio/gio.h>

#include "till-outbox-worker.h"
#include "till-pay-provider.h"
#include "till-reconcile.h"
#include "till-store.h"

G_BEGIN_DECLS

#define TILL_BILL_JOB_KEY_PREFIX "bill:"
/* The provider whose jobs are keyed "bill:<date>" (the only one before schema 8). */
#define TILL_BILL_DEFAULT_PROVIDER "wechat"

typedef struct
{
  guint  fetch_hour;          /* 0 = 10: local hour of the next day the bill is fetched */
  guint  not_ready_retry_s;   /* 0 = 1800: not ready → try again after this */
  guint  not_ready_limit_s;   /* 0 = 86400: still not ready this long after it was due
                                 (or after it was first tried, when later) → dead */
  guint  corrupt_attempts;    /* 0 = 5: failed attempts ending with a damaged download or
                                 an unreadable bill before the job is dead */
} TillBillServiceConfig;

#define TILL_TYPE_BILL_SERVICE (till_bill_service_get_type ())
G_DECLARE_FINAL_TYPE (TillBillService, till_bill_service, TILL, BILL_SERVICE, GObject)

/* config may be NULL (defaults). `provider` is the first provider whose bill is
 * reconciled; add the others with till_bill_service_add_provider(). */
TillBillService *till_bill_service_new (TillStore                   *store,
                                        TillPayProvider             *provider,
                                        const TillBillServiceConfig *config);
/* One more provider (by its name; a second one of the same name is refused). */
void     till_bill_service_add_provider  (TillBillService *self,
                                          TillPayProvider *provider);
/* The provider named `name` ("wechat", "alipay"), or NULL when it is not one of this
 * service's. */
TillPayProvider *till_bill_service_get_provider (TillBillService *self,
                                                 const char      *name);
/* The outbox key of the job of `date` for `provider` ("bill:2026-11-21",
 * "bill:alipay:2026-11-21"). */
char    *till_bill_service_job_key       (const char      *provider,
                                          const char      *date);

/* Registers the fetch_bill handler on `worker` (till_outbox_worker_set_handler(); the
 * worker keeps a reference to the service), follows the worker to put back jobs whose
 * bill is not ready yet, and wakes it after each schedule. Also puts back, due now, any
 * fetch_bill job left done without a stored reconciliation (a crash at the wrong
 * moment). Call once at startup, after the worker is made; one worker per service. */
void     till_bill_service_attach (TillBillService  *self,
                                   TillOutboxWorker *worker);

/* When the bill of `date` ("YYYY-MM-DD", local) is first fetched: fetch_hour local time
 * of the next day, as unix µs; 0 and TILL_PAY_ERROR_INVALID when date is not a date. */
gint64   till_bill_service_due_at (TillBillService *self,
                                   const char      *date,
                                   GError         **error);

/* Queues the reconciliation of `date` with every provider (call it at the day close): one
 * fetch_bill job per provider (till_bill_service_job_key()), due at
 * till_bill_service_due_at() or now when that has passed. Scheduling a day again keeps its
 * one job per provider (a dead job is made pending again, due now; a done job is left
 * alone). Short store writes on the calling thread, like the day close itself; when one
 * provider's job cannot be queued the others still are, and the first error is given. */
gboolean till_bill_service_schedule (TillBillService *self,
                                     const char      *date,
                                     GError         **error);

/* When a day whose bill of `provider` was not ready is tried again (unix µs), or 0 when
 * it is not waiting. */
gint64   till_bill_service_get_next_try (TillBillService *self,
                                         const char      *date,
                                         const char      *provider);

/* A manager's "fetch now": fetches, checks, parses, reconciles and stores `date` with
 * `provider`'s bill at once (not through the outbox). Errors are for the manager: the bill
 * is not ready yet (class TILL_PAY_FAILURE_NOT_READY, the message naming the provider;
 * WeChat Pay: TILL_PAY_ERROR_PROVIDER, provider code STATEMENT_CREATING), a damaged
 * download (TILL_PAY_ERROR_CORRUPT), an unreadable bill (TILL_CORE_ERROR_INVALID_BILL),
 * network and provider errors, a provider that is not this service's
 * (TILL_PAY_ERROR_NOT_CONFIGURED). Emits "reconciled" too. */
void                till_bill_service_reconcile_now_async  (TillBillService     *self,
                                                            const char          *date,
                                                            const char          *provider,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
TillReconciliation *till_bill_service_reconcile_now_finish (TillBillService  *self,
                                                            GAsyncResult     *result,
                                                            GError          **error);

G_END_DECLS
