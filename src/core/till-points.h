/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Points redeemed as a discount (issue 16), as pure functions.
 *
 * - The rate is points per yuan (the `points-redeem-rate` setting; 100 = 100 points make
 *   ¥1.00). Points are worth floor (points × 100 / rate) fen: never a fraction of a fen.
 * - A sale takes points for at most `max_percent` % of what it comes to after the line
 *   discounts and the sale's discount (the `points-redeem-max-percent` setting, 1..99, so
 *   some money is always paid), rounded down to the fen.
 * - A redemption is normalized: the fewest points worth the discount it gives, so no
 *   point is spent for nothing (at 300 points per yuan, 17 points are worth 5 fen, the same
 *   as 15: 15 are taken). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TILL_POINTS_RATE_MIN 1
#define TILL_POINTS_RATE_MAX 1000000
#define TILL_POINTS_MAX_PERCENT_MIN 1
#define TILL_POINTS_MAX_PERCENT_MAX 99

/* What `points` are worth in fen at `points_per_yuan` (0 for points <= 0 or a rate outside
 * its range). */
gint64   till_points_value_fen      (gint64   points,
                                     gint64   points_per_yuan);
/* The most a points discount may take off `amount_fen`. */
gint64   till_points_cap_fen        (gint64   amount_fen,
                                     gint64   max_percent);
/* The points a redemption of `wanted` points actually takes on a sale whose cap is
 * `cap_fen`: the fewest points worth as much as `wanted` are (or as the cap allows, if
 * that is less). 0 when nothing can be taken. *out_fen: their value. */
gint64   till_points_normalize      (gint64   wanted,
                                     gint64   points_per_yuan,
                                     gint64   cap_fen,
                                     gint64  *out_fen);
/* FALSE + TILL_CORE_ERROR_INVALID_ARGUMENT when the rate or the percent is outside its
 * range. */
gboolean till_points_check_rule     (gint64   points_per_yuan,
                                     gint64   max_percent,
                                     GError **error);

G_END_DECLS
