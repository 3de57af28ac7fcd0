/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Refunds of paid sales (functions on TillStore): the rows committed before a refund
 * request leaves the machine, together with the never-more-than-paid check, the outbox job
 * that finishes them after a crash or while offline, and the audit row; their state
 * machine; the sale becoming `refunded` when its successful refunds cover its total.
 *
 * States: submitting, processing, in_doubt (not final) and success, failed, closed
 * (final). A final state never changes. Allowed moves:
 *   submitting -> processing, in_doubt, success, failed, closed
 *   in_doubt   -> processing, in_doubt, success, failed, closed
 *   processing -> processing, success, closed
 * A move that is not allowed (e.g. a late "unknown" answer after the provider said
 * PROCESSING) changes nothing and is not an error: the stored row is what counts.
 *
 * Each electronic refund has one outbox job whose key is its out_refund_no: kind "refund"
 * while the provider has not accepted it, "refund_query" once it is PROCESSING; it is done
 * when the refund is final. */
#pragma once

#include "till-store.h"
#include "till-store-payments.h"
#include "till-refund-state.h"

G_BEGIN_DECLS

/* One refund row with what is needed to send it (boxed). Times are unix µs. */
typedef struct
{
  gint64            id;
  gint64            payment_id;
  gint64            sale_id;
  TillPaymentMethod method;             /* of the payment refunded */
  char             *out_refund_no;
  char             *out_trade_no;       /* the payment's; NULL for cash */
  char             *transaction_id;     /* the payment's; may be NULL */
  gint64            amount_fen;
  gint64            payment_amount_fen; /* the original order's total (amount.total) */
  char             *reason;
  TillRefundState   state;
  char             *refund_id;          /* the provider's id once known */
  gint64            created_at;
  gint64            updated_at;
  char             *last_error;
  gint64            rounding_fen;       /* cash: handed back = amount_fen + rounding_fen */
} TillRefundRecord;

#define TILL_TYPE_REFUND_RECORD (till_refund_record_get_type ())
GType             till_refund_record_get_type (void) G_GNUC_CONST;
TillRefundRecord *till_refund_record_copy     (const TillRefundRecord *record);
void              till_refund_record_free     (TillRefundRecord       *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillRefundRecord, till_refund_record_free)

/* What a sale has paid and refunded. */
typedef struct
{
  gint64        sale_id;
  char         *sale_number;
  TillSaleState sale_state;
  gint64        total_fen;
  gint64        paid_fen;          /* sum of paid payments */
  gint64        refunded_fen;      /* refunds not failed/closed (incl. in progress) */
  gint64        succeeded_fen;     /* refunds in state success */
  gint64        n_in_progress;     /* refunds not final */
  TillSaleKind  kind;              /* a top-up is never refunded at the till */
} TillRefundSummary;

void till_refund_summary_clear (TillRefundSummary *summary);

gboolean till_store_refund_summary (TillStore         *self,
                                    gint64             sale_id,
                                    TillRefundSummary *out,
                                    GError           **error);

/* Starts refunding amount_fen of a paid sale, in ONE committed transaction: refused with
 * TILL_STORE_ERROR_DAY_CLOSED when today (now_us) is closed, INVALID_STATE when the sale is
 * not paid (or already refunded in full), has a payment in progress, when amount_fen <= 0
 * or more than paid minus earlier refunds (not failed/closed), or when an electronic
 * payment would be refunded whose method is not in electronic_methods (a set of
 * TILL_PAYMENT_METHOD_BIT()s: the methods whose provider is set up here). The amount is spread over the
 * sale's paid payments: electronic first, newest first, then cash, each at most its amount
 * minus its earlier refunds. Electronic refunds are inserted in state submitting with a
 * new out_refund_no (the payment's out_trade_no + "R" + the refund's row id, ≤ 64
 * characters, unique forever) and an outbox "refund" job due at job_due_at_us (the
 * safety net if this process dies before the answer is stored); cash refunds are success
 * at once. One audit row "refund" per refund (actor = manager). When successful refunds
 * now cover the total, the sale becomes refunded. Returns the new rows (TillRefundRecord*,
 * in spreading order).
 *
 * Cash rounding: a cash refund's amount_fen is the part of the payment it refunds (to the
 * fen, as every "never more than paid" rule counts); the cash handed back is that part
 * rounded by `rounding`, or, when the refund leaves nothing of the payment to refund, the
 * rest of the cash the payment received (till_money_cash_refund()); the difference is the
 * row's rounding_fen. */
GPtrArray *till_store_refund_begin_rounded (TillStore        *self,
                                            gint64            sale_id,
                                            gint64            amount_fen,
                                            const char       *reason,
                                            const char       *manager,
                                            guint             electronic_methods,
                                            TillCashRounding  rounding,
                                            gint64            now_us,
                                            gint64            job_due_at_us,
                                            GError          **error);
/* The same to the fen (TILL_CASH_ROUNDING_NONE), every electronic method allowed or
 * none: for tools and tests. */
GPtrArray *till_store_refund_begin (TillStore  *self,
                                    gint64      sale_id,
                                    gint64      amount_fen,
                                    const char *reason,
                                    const char *manager,
                                    gboolean    allow_electronic,
                                    gint64      now_us,
                                    gint64      job_due_at_us,
                                    GError    **error);

/* Moves a refund to new_state in ONE transaction (a move that is not allowed changes
 * nothing; *out_changed tells which). provider_refund_id and last_error replace the
 * stored ones when not NULL. The refund's outbox job follows: done when final; kind
 * "refund_query" due at job_due_at_us when processing; due at job_due_at_us when in_doubt
 * (job_due_at_us <= 0 leaves its time alone; a job that is running is left to the worker).
 * A success that makes the sale's successful refunds cover its total makes the sale
 * refunded (*out_sale_refunded, may be NULL). Returns the row as stored afterwards. */
TillRefundRecord *till_store_refund_update (TillStore       *self,
                                            gint64           refund_id,
                                            TillRefundState  new_state,
                                            const char      *provider_refund_id,
                                            const char      *last_error,
                                            gint64           job_due_at_us,
                                            gboolean        *out_changed,
                                            gboolean        *out_sale_refunded,
                                            GError         **error);

/* Voids an open (or suspended) sale whose customer may have paid part of it, in ONE
 * transaction: refused on a closed day (DAY_CLOSED) or while a payment's outcome is open
 * (INVALID_STATE). Every paid payment of the sale is refunded in full — cash handed back
 * at once (rounded by `rounding`, state success), electronic payments refunded (state
 * submitting, their outbox "refund" job due now) — then the sale becomes voided; audit
 * rows "refund" (one each, actor `actor`, reason "void") and "void_sale". Returns the
 * refunds made (TillRefundRecord*, possibly none), NULL on error. A voided sale's payments
 * and their refunds count in no sales or cash figure (they cancel out); the refunds are
 * reconciled with the provider's bill like any other. */
GPtrArray *till_store_void_sale_refunding (TillStore        *self,
                                           gint64            sale_id,
                                           const char       *actor,
                                           TillCashRounding  rounding,
                                           gint64            now_us,
                                           GError          **error);

/* NULL + TILL_STORE_ERROR_NOT_FOUND when missing. */
TillRefundRecord *till_store_get_refund                  (TillStore  *self,
                                                          gint64      refund_id,
                                                          GError    **error);
TillRefundRecord *till_store_get_refund_by_out_refund_no (TillStore  *self,
                                                          const char *out_refund_no,
                                                          GError    **error);

/* Arrays of TillRefundRecord* (owned), in id order. */
GPtrArray *till_store_list_sale_refunds       (TillStore *self,
                                               gint64     sale_id,
                                               GError   **error);
GPtrArray *till_store_list_unfinished_refunds (TillStore *self,
                                               GError   **error);

/* Startup: every refund not final gets its outbox job pending and due at now_us (made if
 * missing, revived when dead or done). Returns how many, -1 on error. */
gint64     till_store_refunds_requeue_unfinished (TillStore *self,
                                                  gint64     now_us,
                                                  GError   **error);

G_END_DECLS
