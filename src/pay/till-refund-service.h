/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillRefundService: refunds of paid sales, exactly once (ARCHITECTURE "Payment flow" 7).
 *
 * A refund is approved by a manager (the caller has already checked the PIN and passes the
 * manager's name), then its `refund` row is committed with a fresh out_refund_no, then the
 * request is sent; a refund that cannot be sent now (offline, 5xx, timeout) waits in the
 * outbox (kind "refund", key = out_refund_no) and is sent again with the SAME
 * out_refund_no until the provider answers; accepted refunds (PROCESSING) are followed by
 * refund_query jobs until SUCCESS/CLOSED/ABNORMAL. Cash payments are refunded at once
 * (cash handed back; the refund row is success).
 *
 * Never more than paid: amount <= payment amount - earlier refunds (not failed/closed),
 * checked in the same transaction that commits the row. The sale's state becomes
 * `refunded` when its refunds cover its total.
 *
 * All methods run on the main context the service was created on.
 *
 * Signals:
 *   "refund-changed" (gint64 refund_id, const char *state, const char *message)
 *   "outbox-changed" (): a refund job was queued or rescheduled (added; TillOutboxWorker
 *     wakes on it once till_outbox_worker_set_refund_service() was called) */
#pragma once

#include <gio/gio.h>

#include "till-pay-provider.h"
#include "till-store.h"

G_BEGIN_DECLS

/* What one sale can still refund (boxed). */
typedef struct
{
  gint64  sale_id;
  char   *sale_number;
  gint64  paid_fen;          /* sum of paid payments */
  gint64  refunded_fen;      /* sum of refunds not failed/closed (incl. in progress) */
  gint64  refundable_fen;    /* paid - refunded */
  char   *refund_state;      /* "none", "partial", "refunded", "in_progress" */
} TillRefundable;

#define TILL_TYPE_REFUNDABLE (till_refundable_get_type ())
GType           till_refundable_get_type (void) G_GNUC_CONST;
TillRefundable *till_refundable_copy     (const TillRefundable *refundable);
void            till_refundable_free     (TillRefundable       *refundable);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillRefundable, till_refundable_free)

#define TILL_TYPE_REFUND_SERVICE (till_refund_service_get_type ())
G_DECLARE_FINAL_TYPE (TillRefundService, till_refund_service, TILL, REFUND_SERVICE, GObject)

/* `provider` may be NULL (or not configured) when electronic payment is not set up: then
 * only cash payments can be refunded; electronic refunds are refused with a clear
 * message. A refund of an electronic payment goes through the configured provider that
 * owns the payment's method (till_pay_provider_owns_method()); more providers are added
 * with till_refund_service_add_provider(). */
TillRefundService *till_refund_service_new          (TillStore         *store,
                                                     TillPayProvider   *provider,
                                                     GError           **error);
void               till_refund_service_add_provider (TillRefundService *self,
                                                     TillPayProvider   *provider);

TillRefundable *till_refund_service_get_refundable (TillRefundService *self,
                                                    gint64             sale_id,
                                                    GError           **error);

/* Refunds amount_fen of the sale (spread over its payments: electronic first, newest
 * first; or cash). Completes when every refund row is committed and either answered by
 * the provider or queued in the outbox. Errors before anything is committed: more than
 * refundable, sale not paid, day closed, amount <= 0. */
void     till_refund_service_refund_async  (TillRefundService   *self,
                                            gint64               sale_id,
                                            gint64               amount_fen,
                                            const char          *reason,
                                            const char          *manager,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* Returns a plain message for the cashier ("已退款 ¥12.50 · Refunded", or "退款已排队 ·
 * Refund queued: it will be sent when the payment service is reachable"). */
char    *till_refund_service_refund_finish (TillRefundService   *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Drives an outbox job of kind "refund" or "refund_query" (used by TillOutboxWorker):
 * TRUE when the job is finished, FALSE + error to retry later. */
void     till_refund_service_run_job_async  (TillRefundService   *self,
                                             const char          *kind,
                                             const char          *key,
                                             const char          *payload_json,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean till_refund_service_run_job_finish (TillRefundService   *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* ---- additions (after the contract above) ---- */

/* Startup, after a crash: every refund not final gets its outbox job back (due now), so
 * that the worker sends it again with the same out_refund_no or queries it. Returns how
 * many. */
guint       till_refund_service_resume_pending    (TillRefundService *self,
                                                   GError           **error);
/* The wait before the first query of a refund the provider accepted (PROCESSING);
 * 0 = 60000 (reference §5.3). */
void        till_refund_service_set_query_delay_ms (TillRefundService *self,
                                                    guint              delay_ms);
TillStore  *till_refund_service_get_store         (TillRefundService *self);
/* The cash rule for cash handed back (till_store_refund_begin_rounded()); the till's
 * context keeps it equal to the "cash-rounding" setting. TILL_CASH_ROUNDING_NONE (to the
 * fen) until set. */
void        till_refund_service_set_cash_rounding (TillRefundService *self,
                                                   TillCashRounding   rounding);
TillCashRounding till_refund_service_get_cash_rounding (TillRefundService *self);
/* Stops all work at once, as a crash would: no more requests or writes; stored states stay
 * as they are (the outbox finishes them). Also on dispose. */
void        till_refund_service_shutdown          (TillRefundService *self);

G_END_DECLS
