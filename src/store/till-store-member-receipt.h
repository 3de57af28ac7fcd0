/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a member's receipt prints from the ledgers (issue 16): the stored value a sale took
 * or put on the card, the card's balance right after the sale, and the points it earned.
 * Every figure is a SUM of ledger rows, read when the receipt is printed (a reprint says
 * the same). Logs name member ids, never phone numbers. */
#pragma once

#include "till-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 spent_fen;     /* stored value the sale took (its spends, paid + bonus) */
  gint64 topup_fen;     /* a top-up: the paid money put on the card */
  gint64 bonus_fen;     /* a top-up: the bonus given with it */
  gint64 balance_fen;   /* paid + bonus money on the card after the sale */
  gint64 points_earned; /* the points the sale earned */
  gboolean has_moves;   /* whether the sale moved stored value at all */
} TillSaleMemberFigures;

/* The figures of sale `number` for member `member_id`. "After the sale" is up to the
 * sale's own last top-up, bonus or spend move, or for a sale that moved no stored value,
 * up to the last move at or before `closed_at_us`; later moves (a refund of the sale,
 * other sales) are not counted. */
gboolean
till_store_sale_member_figures (TillStore *self, const char *number, gint64 member_id,
                                gint64 closed_at_us, TillSaleMemberFigures *out, GError **error);

G_END_DECLS
