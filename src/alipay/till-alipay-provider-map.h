/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one place where Alipay's answers become the provider-neutral ones of
 * till-pay-provider.h (alipay.md §5, §6): trade and refund states, and the class of every
 * error. TillAlipayProvider uses these; they are public for the tests, which check every
 * answer and error kind without a network.
 *
 * What the mapping decides:
 *   pay        10000 → PAID; 10003 → USER_PAYING; an error of a definite class (a signed
 *              40004 ACQ.BUYER_BALANCE_NOT_ENOUGH, ACQ.PAYMENT_AUTH_CODE_INVALID, …, a
 *              signed gateway refusal 4000x, a request never sent) → FAILED with the
 *              sub_code as the provider code; anything else (20000, isp.*, ACQ.SYSTEM_ERROR,
 *              ACQ.TRADE_HAS_SUCCESS, an unsigned or wrongly signed answer, a timeout, a
 *              dropped connection, HTTP ≠ 200) → UNKNOWN: query.
 *   query      TRADE_SUCCESS, TRADE_FINISHED → PAID; WAIT_BUYER_PAY → USER_PAYING for a code
 *              payment, NOT_PAID for a QR order (scanned, not paid yet); TRADE_CLOSED →
 *              CLOSED when it was never paid, REVERSED when it was paid and all its money
 *              went back (a cancel that refunded it: for a payment the till has not
 *              settled that can only be its own cancel); ACQ.TRADE_NOT_EXIST → error
 *              NOT_FOUND (not created yet: a QR not scanned, a code payment that never
 *              arrived).
 *   cancel     retry_flag=Y → error BUSY (try again); action close / refund, or none (no
 *              such trade: Alipay closed the number for good) → done.
 *   refund     fund_change=Y → SUCCESS; fund_change=N → PROCESSING (a repeat, or not moved
 *              yet: the refund query says).
 *   refund query  REFUND_SUCCESS (or a refund without a status) → SUCCESS; a 10000 without
 *              the refund → error NOT_FOUND; another status → UNKNOWN.
 *   errors     ACQ.SYSTEM_ERROR (any spelling), isp.*, aop.*, ACQ.TRADE_HAS_SUCCESS →
 *              UNKNOWN; *NOT_EXIST (trade, refund), bill not there → NOT_FOUND;
 *              isv.*call-limited, *RATE_LIMIT, a cancel's retry_flag=Y → BUSY; any other
 *              signed refusal → REFUSED; the rest by its code (till_pay_error_get_failure()). */
#pragma once

#include "till-alipay-types.h"
#include "till-pay-provider.h"

G_BEGIN_DECLS

/* The provider code of the BUSY error a cancel's retry_flag=Y becomes. */
#define TILL_ALIPAY_RETRY_FLAG_CODE "retry_flag=Y"
/* The provider code of the NOT_FOUND error "no such refund" becomes. */
#define TILL_ALIPAY_REFUND_NOT_EXIST "REFUND_NOT_EXIST"

TillPayFailure  till_alipay_error_classify    (const GError           *error);
/* Sets that class on a TILL_PAY_ERROR (other domains are left as they are). */
void            till_alipay_error_mark        (GError                 *error);

/* A code payment's outcome: the pay answer or its error (exactly one non-NULL). */
TillPayTrade   *till_alipay_map_pay           (const TillAlipayTrade  *answer,
                                               const GError           *error);
/* A query's answer; scene says what WAIT_BUYER_PAY means. */
TillPayTrade   *till_alipay_map_query         (const TillAlipayTrade  *answer,
                                               TillPayScene            scene);
/* A cancel's answer: TRUE when the order is cancelled; FALSE with a BUSY error to try
 * again. */
gboolean        till_alipay_map_cancel        (const TillAlipayCancel *answer,
                                               GError                **error);
/* A refund's answer; out_refund_no and amount_fen are the request's (Alipay echoes
 * neither). */
TillPayRefund  *till_alipay_map_refund        (const TillAlipayRefund *answer,
                                               const char             *out_refund_no,
                                               gint64                  amount_fen);
/* A refund query's answer: NULL with a NOT_FOUND error when Alipay has no such refund. */
TillPayRefund  *till_alipay_map_refund_query  (const TillAlipayRefund *answer,
                                               GError                **error);

G_END_DECLS
