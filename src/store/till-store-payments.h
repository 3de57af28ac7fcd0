/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Payments of a sale (functions on TillStore): the row committed before a payment request
 * leaves the machine, its state machine, completing the sale in the same transaction as
 * the payment that covers it, split tender with cash, and listings for recovery.
 *
 * States: submitting, user_paying, in_doubt, reversing (not final) and paid, failed,
 * reversed, closed (final). A final state never changes. Allowed moves:
 *   submitting  -> user_paying, in_doubt, reversing, paid, failed, closed
 *   user_paying -> in_doubt, reversing, paid, failed, closed, reversed
 *   in_doubt    -> user_paying, reversing, paid, failed, closed, reversed
 *   reversing   -> reversed, closed, failed, paid (the reverse was refused: money kept)
 * Staying in the same non-final state is allowed (it refreshes last_error). */
#pragma once

#include "till-payment-method.h"
#include "till-store.h"
#include "till-payment-state.h"

G_BEGIN_DECLS

/* One payment row (boxed). Times are unix µs; 0 when not set. */
typedef struct
{
  gint64            id;
  gint64            sale_id;
  TillPaymentMethod method;
  gint64            amount_fen;
  char             *out_trade_no;     /* NULL for cash */
  TillPaymentState  state;
  char             *transaction_id;   /* the provider's id once paid, else NULL */
  char             *auth_code_last4;  /* never the whole payment code */
  gint64            deadline_at;      /* stop polling at this time, then reverse/close */
  gint64            pay_call_at;      /* when the pay request was sent (begin's now_us) */
  gint64            created_at;
  gint64            updated_at;
  char             *last_error;
  gboolean          unattached;       /* paid when its sale could no longer take it: it
                                         does not count for the sale and is refunded */
  gint64            rounding_fen;     /* cash: received = amount_fen + rounding_fen; else 0 */
} TillPaymentRecord;

#define TILL_TYPE_PAYMENT_RECORD (till_payment_record_get_type ())
GType              till_payment_record_get_type (void) G_GNUC_CONST;
TillPaymentRecord *till_payment_record_copy     (const TillPaymentRecord *record);
void               till_payment_record_free     (TillPaymentRecord       *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillPaymentRecord, till_payment_record_free)

/* Builds the §13.1 order number: "T" + store_id + device_id + yyMMddHHmmss (local time
 * of now_us) + sequence (at least 4 digits); at most 32 characters of [0-9A-Za-z_-].
 * TILL_STORE_ERROR_INVALID_STATE when the ids have other characters or are too long. */
char   *till_store_build_out_trade_no (const char *store_id,
                                       const char *device_id,
                                       gint64      now_us,
                                       gint64      sequence,
                                       GError    **error);

/* Starts an electronic payment of `amount_fen` for sale `sale_id`, in ONE committed
 * transaction (synchronous=FULL): refused with TILL_STORE_ERROR_INVALID_STATE when the
 * sale is not open, its day (of now_us) is closed (TILL_STORE_ERROR_DAY_CLOSED), already
 * has a payment whose outcome is open (submitting, user_paying,
 * in_doubt; a reversing one does not count) ("A payment for this sale is
 * still in progress — wait for it"), or the amount is not within the amount due. Inserts
 * the row in state submitting with a new out_trade_no whose sequence is the new row id
 * (never reused), pay_call_at = now_us and the given deadline (0 = none). Returns the
 * payment id (0 on error) and the order number in *out_trade_no (g_free). Cash is not
 * begun: see till_store_add_cash_payment(). */
gint64  till_store_payment_begin (TillStore          *self,
                                  gint64              sale_id,
                                  TillPaymentMethod   method,
                                  gint64              amount_fen,
                                  const char         *store_id,
                                  const char         *device_id,
                                  const char         *auth_code_last4,
                                  gint64              now_us,
                                  gint64              deadline_at_us,
                                  char              **out_trade_no,
                                  GError            **error);

/* Moves a payment to `new_state` (checked by till_payment_state_can_move(); else
 * TILL_STORE_ERROR_INVALID_STATE). transaction_id and last_error replace the stored ones
 * when not NULL. Moving to paid is till_store_payment_mark_paid(). */
gboolean till_store_payment_update (TillStore        *self,
                                    gint64            payment_id,
                                    TillPaymentState  new_state,
                                    const char       *transaction_id,
                                    const char       *last_error,
                                    GError          **error);

/* Sets a new deadline (e.g. a Native order's poll limit). */
gboolean till_store_payment_set_deadline (TillStore *self,
                                          gint64     payment_id,
                                          gint64     deadline_at_us,
                                          GError   **error);

/* In ONE transaction: the payment becomes paid (with its transaction id) and, when the
 * sale's paid payments now cover its total and the sale is open, the sale becomes paid
 * with closed_at. Marking a payment that is already paid again succeeds and changes
 * nothing. *out_sale_paid (may be NULL) tells whether the sale is now paid. A sale that
 * can no longer take the payment: see till_store_payment_mark_paid_full(). */
gboolean till_store_payment_mark_paid (TillStore  *self,
                                       gint64      payment_id,
                                       const char *transaction_id,
                                       gboolean   *out_sale_paid,
                                       GError    **error);

/* The same, for a payment that may turn out paid late (a Native order paid between the
 * last query and its close, or found paid after a restart): when its sale can no longer
 * take it — voided, refunded, or already paid by other means — the payment still becomes
 * paid (the customer was charged) but `unattached`: it does not count for the sale, and
 * in the same transaction a refund of its whole amount is committed in state submitting
 * with its outbox "refund" job due now and an audit row "late_payment_refund" (actor
 * "system"), so that the money goes back by itself (TillRefundService sends it).
 * *out_refund_id (may be NULL) gets that refund's id, 0 when the sale took the payment. */
gboolean till_store_payment_mark_paid_full (TillStore  *self,
                                            gint64      payment_id,
                                            const char *transaction_id,
                                            gboolean   *out_sale_paid,
                                            gint64     *out_refund_id,
                                            GError    **error);

/* Split tender: records `amount_fen` paid in cash (tendered_fen given) for an open sale,
 * in one transaction; refused when a payment of the sale is not final, the amount is not
 * within the amount due, or the cash is short.
 * A sale with no payment yet is saved as it is now first (as the cash sale does); once
 * payments exist its stored total is what counts. When the payments cover the total the
 * sale becomes paid with closed_at and `sale`'s state and id are set (call this on the
 * thread that owns `sale`).
 *
 * Cash rounding: when `amount_fen` is what is due (to the fen) or what is due rounded by
 * `rounding`, the payment settles the rest: its amount is what is due and its rounding_fen
 * the difference, and the cash received is the rounded amount. Any other amount is part
 * cash, received as it is, and must be a multiple of the rule's unit, as must
 * `tendered_fen` (INVALID_STATE with a message otherwise). Change = tendered - cash
 * received; *out_received_fen (may be NULL) is the cash received. */
gboolean till_store_add_cash_payment_rounded (TillStore         *self,
                                              TillSale          *sale,
                                              gint64             amount_fen,
                                              gint64             tendered_fen,
                                              TillCashRounding   rounding,
                                              gint64            *out_received_fen,
                                              GError           **error);
/* The same to the fen (TILL_CASH_ROUNDING_NONE): for tools and tests. */
gboolean till_store_add_cash_payment (TillStore  *self,
                                      TillSale   *sale,
                                      gint64      amount_fen,
                                      gint64      tendered_fen,
                                      GError    **error);

/* An open sale whose paid payments cover its total becomes paid now (a payment paid while
 * its day was closed left it open). *out_sale_paid says whether it is paid afterwards. */
/* Pays amount_fen (at most what is due) of the sale from its member's stored value: the
 * cart saved as it is when nothing is paid yet, a 'stored_value' payment (paid at once)
 * and its spend (paid and bonus money in proportion, *out_paid_fen / *out_bonus_fen, may
 * be NULL) in one transaction, and the sale completed when covered. Refused without a
 * member on the sale, for a top-up, beyond the member's balance ("Not enough stored value:
 * ¥12.00 left"), for an inactive card, while a payment is in progress. The member's
 * confirmation (PIN or phone digits) is the caller's. Returns the payment's id, 0 on
 * error. */
gint64   till_store_add_stored_value_payment (TillStore  *self,
                                              TillSale   *sale,
                                              gint64      amount_fen,
                                              const char *who,
                                              gint64     *out_paid_fen,
                                              gint64     *out_bonus_fen,
                                              GError    **error);
gboolean till_store_sale_complete_if_covered (TillStore *self,
                                              gint64     sale_id,
                                              gboolean  *out_sale_paid,
                                              GError   **error);

/* Total minus the paid payments of the sale (never below 0); -1 and an error when the
 * sale does not exist. */
gint64   till_store_sale_amount_due (TillStore *self,
                                     gint64     sale_id,
                                     GError   **error);

/* The sale's state as stored. */
gboolean till_store_sale_get_state (TillStore     *self,
                                    gint64         sale_id,
                                    TillSaleState *out_state,
                                    GError       **error);

/* Listings: arrays of TillPaymentRecord* (owned), in id order. */
GPtrArray *till_store_list_unfinished_payments (TillStore *self,
                                                GError   **error);
GPtrArray *till_store_list_sale_payments       (TillStore *self,
                                                gint64     sale_id,
                                                GError   **error);
/* NULL + TILL_STORE_ERROR_NOT_FOUND when there is no such payment. */
TillPaymentRecord *till_store_get_payment      (TillStore  *self,
                                                gint64      payment_id,
                                                GError    **error);
TillPaymentRecord *till_store_get_payment_by_out_trade_no (TillStore  *self,
                                                           const char *out_trade_no,
                                                           GError    **error);

/* For the sales code (lock and transaction held): refuses (INVALID_STATE) when the sale
 * has a payment that is not final, or a paid payment of the kind `refuse_paid` names. */
typedef enum
{
  TILL_PAID_CHECK_NONE,        /* only payments in progress */
  TILL_PAID_CHECK_ELECTRONIC,  /* also electronic payments already paid (void: refund first) */
  TILL_PAID_CHECK_ANY,         /* also any paid payment (a whole-total cash payment) */
} TillPaidCheck;

gboolean till_store_check_sale_payments_locked (TillStore     *self,
                                                gint64         sale_id,
                                                TillPaidCheck  refuse_paid,
                                                GError       **error);

G_END_DECLS
