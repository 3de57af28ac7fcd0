/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A refund's state machine, and never giving back more than was paid.
 *
 * States: submitting, processing, in_doubt (not final) and success, failed, closed
 * (final). A final state never changes. Allowed moves:
 *   submitting -> processing, in_doubt, success, failed, closed
 *   in_doubt   -> processing, in_doubt, success, failed, closed
 *   processing -> processing, success, closed
 * A move that is not allowed (e.g. a late "unknown" answer after the provider said
 * PROCESSING) changes nothing and is not an error: the stored row is what counts. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TILL_REFUND_STATE_SUBMITTING,
  TILL_REFUND_STATE_PROCESSING,
  TILL_REFUND_STATE_IN_DOUBT,
  TILL_REFUND_STATE_SUCCESS,
  TILL_REFUND_STATE_FAILED,
  TILL_REFUND_STATE_CLOSED,
} TillRefundState;

const char *till_refund_state_to_string   (TillRefundState  state);
gboolean    till_refund_state_from_string (const char      *text,
                                           TillRefundState *out);
gboolean    till_refund_state_is_final    (TillRefundState  state);
gboolean    till_refund_state_can_move    (TillRefundState  from,
                                           TillRefundState  to);

/* The rule of every refund: more than ¥0.00, and never more than the sale's paid payments
 * minus its refunds that have not failed (those in progress count). FALSE with
 * TILL_CORE_ERROR_INVALID_MONEY and the cashier's words otherwise. */
gboolean    till_refund_check_amount      (gint64           amount_fen,
                                           gint64           paid_fen,
                                           gint64           refunded_fen,
                                           GError         **error);

G_END_DECLS
