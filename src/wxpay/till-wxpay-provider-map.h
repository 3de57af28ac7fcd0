/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one place where WeChat Pay's answers become the provider-neutral ones of
 * till-pay-provider.h: trade and refund states, and the class of every error (definite or
 * unknown, not found, busy, not ready). TillWxpayProvider uses these; they are public for
 * the tests, which check every WeChat state and error kind without a network. */
#pragma once

#include "till-pay-provider.h"
#include "till-wxpay-types.h"

G_BEGIN_DECLS

/* The neutral class of an error from TillWxpayClient (or one already classified):
 *   4xx SYSTEM_ERROR, SYSTEMERROR, BANK_ERROR, BANKERROR, USERPAYING → UNKNOWN (WeChat Pay
 *   does not know yet); 4xx with HTTP 429 → BUSY; ORDER_NOT_EXIST, RESOURCE_NOT_EXISTS →
 *   NOT_FOUND; STATEMENT_CREATING → NOT_READY; any other 4xx → REFUSED; the rest by its
 *   code (till_pay_error_get_failure(): 5xx, timeouts, dropped connections, bad
 *   signatures, malformed answers, cancellations → UNKNOWN; no network, not configured,
 *   invalid calls → NOT_SENT; a damaged bill → DAMAGED). NULL → UNKNOWN. */
TillPayFailure  till_wxpay_error_classify        (const GError               *error);
/* Sets that class on a TILL_PAY_ERROR (other domains are left as they are). */
void            till_wxpay_error_mark            (GError                     *error);

/* A code payment's outcome: the codepay answer (txn) or its error (exactly one non-NULL).
 *   SUCCESS → PAID; USERPAYING or HTTP 202 → USER_PAYING; another answer → UNKNOWN;
 *   an error of a definite class → FAILED with the provider's code and the error's
 *   message (not charged); any other error → UNKNOWN with its message. */
TillPayTrade   *till_wxpay_map_codepay           (const TillWxpayTransaction *txn,
                                                  const GError               *error);
/* A query's answer: SUCCESS → PAID; REFUND → PAID (refunded); USERPAYING → USER_PAYING;
 * NOTPAY → NOT_PAID; PAYERROR → FAILED; CLOSED → CLOSED; REVOKED → REVERSED; anything
 * else → UNKNOWN. The message is WeChat Pay's trade_state_desc. */
TillPayTrade   *till_wxpay_map_transaction       (const TillWxpayTransaction *txn);
/* A refund's answer: SUCCESS, PROCESSING, CLOSED as such; ABNORMAL → STUCK; anything else
 * → UNKNOWN. */
TillPayRefund  *till_wxpay_map_refund            (const TillWxpayRefund      *refund);

G_END_DECLS
