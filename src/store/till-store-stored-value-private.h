/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stored value inside another transaction of the store: a stored-value payment and its
 * spend, a refund row and its give-back, each written together (schema 18 links them). */
#pragma once

#include "till-store.h"

G_BEGIN_DECLS

/* till_store_stored_value_spend() within the caller's lock and transaction; the spend
 * names `payment_id` (0: none). */
gint64 _till_store_stored_value_spend_locked  (TillStore  *self,
                                               gint64      member_id,
                                               gint64      amount_fen,
                                               const char *sale_number,
                                               const char *who,
                                               gint64      payment_id,
                                               gint64     *out_paid_fen,
                                               gint64     *out_bonus_fen,
                                               GError    **error);
/* till_store_stored_value_refund() within the caller's lock and transaction; the
 * give-back names `refund_id` (0: none). */
gint64 _till_store_stored_value_refund_locked (TillStore  *self,
                                               gint64      spend_move_id,
                                               gint64      amount_fen,
                                               const char *reference,
                                               const char *who,
                                               gint64      refund_id,
                                               gint64     *out_paid_fen,
                                               gint64     *out_bonus_fen,
                                               GError    **error);

G_END_DECLS
