/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A payment's state machine (the heart of "never lost, never charged twice") and the
 * methods a payment is made by.
 *
 * States: submitting, user_paying, in_doubt, reversing (not final) and paid, failed,
 * reversed, closed (final). A final state never changes. Allowed moves:
 *   submitting  -> user_paying, in_doubt, reversing, paid, failed, closed
 *   user_paying -> in_doubt, reversing, paid, failed, closed, reversed
 *   in_doubt    -> user_paying, reversing, paid, failed, closed, reversed
 *   reversing   -> reversed, closed, failed, paid (the reverse was refused: money kept)
 * Staying in the same non-final state is allowed (it refreshes last_error). A payment in
 * submitting, user_paying or in_doubt holds its sale up (its outcome is open); one being
 * reversed does not (its money goes back by itself). */
#pragma once

#include <glib.h>

#include "till-payment-method.h"

G_BEGIN_DECLS

typedef enum
{
  TILL_PAYMENT_STATE_SUBMITTING,
  TILL_PAYMENT_STATE_USER_PAYING,
  TILL_PAYMENT_STATE_IN_DOUBT,
  TILL_PAYMENT_STATE_REVERSING,
  TILL_PAYMENT_STATE_PAID,
  TILL_PAYMENT_STATE_FAILED,
  TILL_PAYMENT_STATE_REVERSED,
  TILL_PAYMENT_STATE_CLOSED,
} TillPaymentState;

const char *till_payment_state_to_string   (TillPaymentState  state);
gboolean    till_payment_state_from_string (const char       *text,
                                            TillPaymentState *out);
gboolean    till_payment_state_is_final    (TillPaymentState  state);
/* Whether a payment may move from `from` to `to` (see the table above). */
gboolean    till_payment_state_can_move    (TillPaymentState  from,
                                            TillPaymentState  to);


const char *till_payment_method_to_string   (TillPaymentMethod  method);
gboolean    till_payment_method_from_string (const char        *text,
                                             TillPaymentMethod *out);
/* The provider whose payments record `method`, by its name: TILL_PAY_PROVIDER_WECHAT or
 * TILL_PAY_PROVIDER_ALIPAY; NULL for cash and stored value. Messages that name the
 * provider of a payment or a refund pick their words by it. */
const char *till_payment_method_get_provider (TillPaymentMethod  method);
/* Whether a provider takes the payment (a code, a QR): not cash, not stored value — those
 * are paid, and refunded, at once at the till. */
gboolean    till_payment_method_is_electronic (TillPaymentMethod method);

G_END_DECLS
