/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stored value (储值) rules as pure functions: how a spend splits into paid and bonus
 * money, and which top-up bonus rule applies. The balances themselves live in the store
 * (sums of the stored_value_move ledger). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A top-up bonus rule: pay at least pay_fen in one top-up, get bonus_fen more
 * ("充 200 送 20": pay_fen 20000, bonus_fen 2000). */
typedef struct
{
  gint64 id;
  gint64 pay_fen;
  gint64 bonus_fen;
} TillTopupRule;

/* Splits a spend of `amount_fen` from a member holding `paid_fen` of paid money and
 * `bonus_fen` of bonus money, in proportion to those two balances: the bonus part is
 * amount × bonus / (paid + bonus) rounded half up, the paid part the rest, so that
 * *out_paid + *out_bonus == amount_fen exactly and neither part exceeds its balance (nor
 * goes below zero). A shop then always owes paid and bonus money in the proportion the
 * member holds them.
 *
 * Refunding part of an earlier spend uses the same function with that spend's own paid
 * and bonus parts (what is left of them) as the balances.
 *
 * FALSE (outputs 0) when amount_fen <= 0, a balance is below zero, or the amount is more
 * than paid + bonus. */
gboolean
till_stored_value_split (gint64 paid_fen, gint64 bonus_fen, gint64 amount_fen, gint64 *out_paid,
                         gint64 *out_bonus);

/* The rule a top-up of `amount_fen` earns: of the rules whose pay_fen the amount reaches,
 * the one with the largest bonus (on a tie, the larger threshold, then the first). Rules
 * with pay_fen <= 0 or bonus_fen <= 0 never apply. NULL when none does; the pointer is
 * into `rules`. Bonuses do not add up: one top-up earns one rule's bonus once. */
const TillTopupRule *
till_stored_value_best_rule (const TillTopupRule *rules, gsize n_rules, gint64 amount_fen);

G_END_DECLS
