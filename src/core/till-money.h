/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Money is an integer number of fen (1/100 yuan) in a gint64; never a float. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parses "12", "12.5", "12.50", "¥12.50", "￥12.50", " 12.50 ", "-3.20", "-¥3.20".
 * Rejects more than two decimals ("12.505"), exponents ("1e3"), garbage ("abc"),
 * empty text and anything that overflows gint64 fen, with a TILL_CORE_ERROR.
 * Also rejected, by decision: a point without digits on both sides ("12.", ".5"), a plus
 * sign, thousands separators ("1,000", "1 000"), and G_MININT64 (the range is
 * ±G_MAXINT64 fen, so every amount can be negated). */
gboolean till_money_parse  (const char  *text,
                            gint64      *out_fen,
                            GError     **error);

/* "¥12.50", "-¥3.20", "¥0.00". Free with g_free(). */
char    *till_money_format (gint64       fen);

/* "12.50" without the currency sign (for entries, CSV and the provider's bill). */
char    *till_money_format_plain (gint64 fen);

/* line total = qty_milli * unit_price_fen / 1000, rounded half away from zero, with an
 * overflow check (returns FALSE on overflow). */
gboolean till_money_multiply_qty (gint64  unit_price_fen,
                                  gint64  qty_milli,
                                  gint64 *out_fen);

G_END_DECLS
