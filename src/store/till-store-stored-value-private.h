/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stored value inside another transaction of the store: a stored-value payment and its
 * spend, a refund row and its give-back, each written together (schema 18 links them). */
#pragma once

#include "till-store.h"
#include "till-store-stored-value.h"

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

/* Shared by the stored-value and the points ledgers (till-store-stored-value.c,
 * till-store-points.c). */
/* Sets `message` as a TILL_STORE_ERROR `code`; FALSE. */
gboolean _till_store_sv_refuse               (GError    **error,
                                              int         code,
                                              const char *message);
/* FALSE + CONSTRAINT `message` (logged) for a NULL or empty `text`. */
gboolean _till_store_sv_check_text           (const char *text,
                                              const char *message,
                                              GError    **error);
/* The member is there (and active with `need_active`), within the caller's lock. */
gboolean _till_store_member_check_locked     (TillStore         *self,
                                              gint64             member_id,
                                              gboolean           need_active,
                                              GError           **error);
/* The member's balances, the ledgers' sums, within the caller's lock. */
gboolean _till_store_member_balance_locked   (TillStore         *self,
                                              gint64             member_id,
                                              TillMemberBalance *out,
                                              GError           **error);
/* The audit row of a manager's approval; its reference "audit:<id>" in *out_reference. */
gboolean _till_store_member_approval_locked  (TillStore         *self,
                                              const char        *action,
                                              gint64             member_id,
                                              const char        *fields_json,
                                              const char        *who,
                                              const char        *approved_by,
                                              char             **out_reference,
                                              GError           **error);

G_END_DECLS
