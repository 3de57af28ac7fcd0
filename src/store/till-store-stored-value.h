/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stored value (储值) and points of members (issue 16; schema 17). Every balance is the
 * SUM of its ledger (stored_value_move: paid and bonus money apart; points_move), never a
 * stored number. Each call is one BEGIN IMMEDIATE transaction: the balance it reads is
 * the balance its move is written against, whatever another till on the same file does
 * at the same time, and a trigger refuses any move that would take paid money, bonus
 * money or points below zero. A spend takes paid and bonus money in proportion to the
 * member's balances (till_stored_value_split()); a refund of a spend gives back the same
 * split it took. Every move is tied to a sale (its number) or, for a manager's
 * adjustment, to the audit row of the approval ("audit:<id>"). Logs name member ids,
 * never phone numbers. */
#pragma once

#include "till-stored-value.h"
#include "till-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 paid_fen;  /* paid money the shop owes the member */
  gint64 bonus_fen; /* bonus money given with top-ups */
  gint64 points;
} TillMemberBalance;

/* ---- top-up bonus rules ---- */
/* Adds a rule (pay at least pay_fen, get bonus_fen; both > 0), active; audit
 * "topup_rule" by `who`. Returns its id, 0 on error. */
gint64
till_store_add_topup_rule (TillStore *self, gint64 pay_fen, gint64 bonus_fen, const char *who,
                           GError **error);
gboolean
till_store_set_topup_rule_active (TillStore *self, gint64 rule_id, gboolean active, const char *who,
                                  GError **error);
/* The active rules by threshold (GArray of TillTopupRule). */
GArray *
till_store_list_topup_rules (TillStore *self, GError **error);

/* One row of a member's stored-value ledger. */
typedef struct
{
  gint64 id;
  char *kind; /* "topup", "bonus", "spend", "refund", "adjust" */
  gint64 paid_fen;
  gint64 bonus_fen;
  char *reference;  /* a sale number, or "audit:<id>" */
  gint64 refund_of; /* a refund: the spend's id; else 0 */
  char *who;
  char *reason;
  gint64 at;
} TillStoredValueMove;

void
till_stored_value_move_free (TillStoredValueMove *move);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillStoredValueMove, till_stored_value_move_free)

/* ---- balances ---- */
gboolean
till_store_member_balance (TillStore *self, gint64 member_id, TillMemberBalance *out,
                           GError **error);

/* What the shop owes all its members: the sums of every member's paid and bonus money. */
gboolean
till_store_stored_value_liability (TillStore *self, gint64 *out_paid_fen, gint64 *out_bonus_fen,
                                   GError **error);
/* A member's stored-value moves, newest first, at most `limit` (array of
 * TillStoredValueMove*). */
GPtrArray *
till_store_stored_value_moves (TillStore *self, gint64 member_id, guint limit, GError **error);
/* The moves of a sale (or an approval), oldest first: a sale's spends to refund, its
 * top-up (array of TillStoredValueMove*). */
GPtrArray *
till_store_stored_value_moves_of (TillStore *self, const char *reference, GError **error);

/* ---- stored value ---- */
/* Credits a top-up of pay_fen paid by the sale `sale_number` to an active member, and the
 * bonus of the best active rule (till_stored_value_best_rule()), in one transaction: a
 * 'topup' move and, with a bonus, a 'bonus' move. A sale credits once: a second call for
 * the same sale is refused (CONSTRAINT) and writes nothing. *out_bonus_fen (may be NULL)
 * gets the bonus. */
gboolean
till_store_stored_value_topup (TillStore *self, gint64 member_id, gint64 pay_fen,
                               const char *sale_number, const char *who, gint64 *out_bonus_fen,
                               GError **error);
/* Takes amount_fen from an active member's stored value for the sale `sale_number`, split
 * between paid and bonus money in proportion to the balances (the parts in *out_paid_fen
 * and *out_bonus_fen, may be NULL; 0 on error). Refused (INVALID_STATE, "Not enough stored value:
 * ¥12.00 left") beyond the balance. Returns the spend's move id, 0 on error. */
gint64
till_store_stored_value_spend (TillStore *self, gint64 member_id, gint64 amount_fen,
                               const char *sale_number, const char *who, gint64 *out_paid_fen,
                               gint64 *out_bonus_fen, GError **error);
/* Gives amount_fen of the spend `spend_move_id` back to the member's stored value, for
 * the refund `reference` (the sale's number): all that is left of it gives back exactly
 * the paid and bonus money it took (less earlier refunds of it); a part is split in the
 * proportion of what is left. Refused (INVALID_STATE) beyond what is left. Returns the
 * refund's move id, 0 on error. */
gint64
till_store_stored_value_refund (TillStore *self, gint64 spend_move_id, gint64 amount_fen,
                                const char *reference, const char *who, gint64 *out_paid_fen,
                                gint64 *out_bonus_fen, GError **error);
/* A manager's adjustment of paid and/or bonus money (signed; not both 0) with a reason,
 * asked by `who` and approved by the manager `approved_by` (whose PIN the caller checked):
 * one audit row "approve:stored_value_adjust" and the move referencing it. Refused below
 * zero. Returns the move id, 0 on error. */
gint64
till_store_stored_value_adjust (TillStore *self, gint64 member_id, gint64 paid_delta_fen,
                                gint64 bonus_delta_fen, const char *reason, const char *who,
                                const char *approved_by, GError **error);

/* Whether `digits` are the last four digits of the member's phone: how a member confirms
 * a payment from the card (TILL_STORE_ERROR_DENIED "Those are not the last four digits of
 * the member's phone" when not; INVALID_STATE for a member without a phone). Compared in
 * constant time; neither the phone nor the digits are logged. */
gboolean
till_store_member_confirm_phone (TillStore *self, gint64 member_id, const char *digits,
                                 GError **error);

/* ---- points ---- */
/* Points earned by an active member on the sale `sale_number` (points > 0). */
gint64
till_store_points_earn (TillStore *self, gint64 member_id, gint64 points, const char *sale_number,
                        const char *who, GError **error);
/* Takes back `points` (> 0) of those the sale earned (a refund): refused beyond what the
 * sale earned less what was taken back before, and below the member's balance. */
gint64
till_store_points_reverse (TillStore *self, gint64 member_id, gint64 points,
                           const char *sale_number, const char *who, GError **error);
/* The points the sale `sale_number` of `member_id` holds (redeemed on it, not paid yet or
 * paid): 0 when there is no such sale (not saved yet, or another member's). */
gboolean
till_store_sale_points_held (TillStore *self, const char *sale_number, gint64 member_id,
                             gint64 *out_points, GError **error);
/* Redeems `points` (> 0) on the sale `sale_number`; refused beyond the balance. */
gint64
till_store_points_redeem (TillStore *self, gint64 member_id, gint64 points, const char *sale_number,
                          const char *who, GError **error);
/* A manager's adjustment (signed, not 0) with a reason; audit
 * "approve:points_adjust" as for stored value. */
gint64
till_store_points_adjust (TillStore *self, gint64 member_id, gint64 delta, const char *reason,
                          const char *who, const char *approved_by, GError **error);

G_END_DECLS
