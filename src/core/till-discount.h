/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The money rules of discounts, price overrides and 抹零, as pure functions on fen.
 *
 * - A percent is given in basis points (1000 = 10 %, 10000 = 100 %), an amount in fen.
 * - A discount is rounded to the fen HALF UP (the customer never pays a fraction: 10 % of
 *   ¥1.05 is a discount of ¥0.11) and is never more than what it applies to, so no amount
 *   goes below zero.
 * - A whole-sale discount is spread over the lines in proportion to their amounts after
 *   line discounts, to the fen, by largest remainder (ties go to the earlier line): the
 *   lines' shares always add up to the discount and no line's share exceeds its amount.
 * - 抹零 (the `total-rounding` setting) cuts the fen (jiao) or the jiao and fen (yuan) off
 *   a positive total, and is spread like a whole-sale discount. It lowers the sale's
 *   total for every tender, unlike the cash rounding (till-money.h), which only rounds the
 *   cash that changes hands and is recorded per payment. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TILL_DISCOUNT_NONE = 0,
  TILL_DISCOUNT_PERCENT,   /* value in basis points, 0..10000 */
  TILL_DISCOUNT_AMOUNT,    /* value in fen, >= 0 */
} TillDiscountKind;

#define TILL_DISCOUNT_PERCENT_FULL 10000  /* 100 % in basis points */

typedef enum
{
  TILL_TOTAL_ROUNDING_NONE = 0,
  TILL_TOTAL_ROUNDING_JIAO,   /* down to ¥0.10 */
  TILL_TOTAL_ROUNDING_YUAN,   /* down to ¥1.00 */
} TillTotalRounding;

/* "none", "percent", "amount" (the store's names). */
const char *till_discount_kind_to_string     (TillDiscountKind   kind);
gboolean    till_discount_kind_from_string   (const char        *text,
                                              TillDiscountKind  *out);
/* "none", "jiao", "yuan" (the settings' nicks and the store's names). */
const char *till_total_rounding_to_string    (TillTotalRounding  rounding);
gboolean    till_total_rounding_from_string  (const char        *text,
                                              TillTotalRounding *out);

/* FALSE + TILL_CORE_ERROR_INVALID_ARGUMENT (a message for the cashier) when `value` is not
 * a discount of that kind: a percent outside 0..100 %, a negative amount. */
gboolean    till_discount_check              (TillDiscountKind   kind,
                                              gint64             value,
                                              GError           **error);
/* The discount in fen that `kind`/`value` gives on `base_fen`: a percent rounded half up,
 * an amount as it is; never more than the base, 0 when the base is not positive. */
gint64      till_discount_compute            (TillDiscountKind   kind,
                                              gint64             value,
                                              gint64             base_fen);
/* What 抹零 cuts off `total_fen` (0 for a total that is not positive). */
gint64      till_total_rounding_cut          (TillTotalRounding  rounding,
                                              gint64             total_fen);
/* The discount as a share of the base, in basis points rounded UP (for the limit: a
 * discount of ¥1.01 on ¥10.00 is more than 10 %). 0 for a base that is not positive
 * and a discount that is not. */
gint64      till_discount_basis_points       (gint64             discount_fen,
                                              gint64             base_fen);

/* Spreads `discount_fen` over `n` amounts: out_shares[i] in proportion to amounts[i]
 * (lines that are not positive take nothing), largest remainder, ties by position. FALSE
 * (shares all 0) when the discount is negative or more than the sum of the positive
 * amounts. */
gboolean    till_discount_spread             (const gint64      *amounts,
                                              guint              n,
                                              gint64             discount_fen,
                                              gint64            *out_shares);

/* "10%", "12.5%", "¥3.00": a discount for people. */
char       *till_discount_format             (TillDiscountKind   kind,
                                              gint64             value);

G_END_DECLS
