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

/* ---- cash rounding ----
 *
 * Cash changes hands in coins and notes, and most Chinese shops no longer handle fen: cash
 * is rounded to the jiao (¥0.10) or to the yuan. The rule is a setting of the till
 * (GSettings "cash-rounding"; the values are the enum's nicks and numbers). Only cash is
 * rounded: a sale's total, its payments' amounts and electronic payments stay to the fen;
 * a cash payment records the rounding beside its amount (cash received = amount +
 * rounding), and so does a cash refund (cash handed back = amount + rounding).
 *
 * "Nearest" rounds an exact half DOWN, in the customer's favour: ¥30.05 is ¥30.00 to the
 * jiao, ¥30.50 is ¥30.00 to the yuan. "Down" drops what is below the unit (抹零): ¥30.09
 * is ¥30.00. A negative amount is rounded as its magnitude and keeps its sign, so that a
 * refund rounds like the payment it gives back. */
typedef enum
{
  TILL_CASH_ROUNDING_NONE,       /* to the fen: nothing is rounded */
  TILL_CASH_ROUNDING_JIAO,       /* to the nearest ¥0.10, a half down */
  TILL_CASH_ROUNDING_JIAO_DOWN,  /* down to ¥0.10 */
  TILL_CASH_ROUNDING_YUAN,       /* to the nearest ¥1.00, a half down */
  TILL_CASH_ROUNDING_YUAN_DOWN,  /* down to ¥1.00 */
} TillCashRounding;

#define TILL_CASH_ROUNDING_DEFAULT TILL_CASH_ROUNDING_JIAO

/* "none", "jiao", "jiao-down", "yuan", "yuan-down" (the settings' nicks). */
const char *till_cash_rounding_to_string   (TillCashRounding  rule);
gboolean    till_cash_rounding_from_string (const char       *text,
                                            TillCashRounding *out);
/* The smallest amount of cash the rule handles: 1, 10 or 100 fen. */
gint64      till_cash_rounding_unit        (TillCashRounding  rule);

/* `fen` rounded by `rule` (see above). Never overflows: where rounding up would pass
 * ±G_MAXINT64 fen the amount is rounded down instead. */
gint64      till_money_round_cash          (gint64            fen,
                                            TillCashRounding  rule);

/* Whether `fen` is an amount of cash the rule can take or give (a multiple of its unit);
 * FALSE with TILL_CORE_ERROR_INVALID_MONEY and a message for the cashier otherwise
 * ("The till takes cash in steps of ¥0.10: ¥50.05 cannot be handed over"). */
gboolean    till_money_check_cash          (gint64            fen,
                                            TillCashRounding  rule,
                                            GError          **error);

/* The cash handed back for a refund of `part_fen` of a cash payment, of which
 * `cash_left_fen` is still in the drawer (the cash received minus what earlier refunds of
 * it handed back). `last` says that this refund leaves nothing of the payment to refund:
 * then the rest of the cash goes back, so that a payment refunded in parts gives back
 * exactly what was received. Always a multiple of the unit, never more than
 * `cash_left_fen`, never below 0 (a fen remainder of a payment taken to the fen before the
 * rule stays in the drawer). */
gint64      till_money_cash_refund         (gint64            part_fen,
                                            gboolean          last,
                                            gint64            cash_left_fen,
                                            TillCashRounding  rule);

G_END_DECLS
