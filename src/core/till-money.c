/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Money as gint64 fen: strict parsing of what a cashier types, formatting, quantity maths.
 *
 * Accepted grammar, after ASCII white space is trimmed at both ends:
 *
 *   amount   = [ "-" ] [ currency ] [ "-" ] digits [ "." digit [ digit ] ]   (one "-" at most)
 *   currency = "¥" (U+00A5) | "￥" (U+FFE5, full width)
 *
 * so "12", "12.5", "12.50", "¥12.50", "￥12.50", "-3.20", "-¥3.20" and "¥-3.20" are
 * amounts. Deliberately rejected, to keep a typo from becoming a price:
 *   - "12." and ".5": a decimal point needs digits on both sides;
 *   - "12.505": more than two decimals (fen are the smallest unit; nothing is rounded);
 *   - "1e3", "0x10", "+5", "1,000", "1 000", full-width digits, anything else;
 *   - amounts beyond ±G_MAXINT64 fen (TILL_CORE_ERROR_MONEY_OVERFLOW). G_MININT64 itself
 *     is excluded too so that every amount can be negated safely.
 */
#define G_LOG_DOMAIN "till-core"
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "till-core-error.h"
#include "till-money.h"

#define YUAN_SIGN           "\xc2\xa5"     /* U+00A5 YEN SIGN */
#define FULLWIDTH_YUAN_SIGN "\xef\xbf\xa5" /* U+FFE5 FULLWIDTH YEN SIGN */

static const char *
skip_currency_sign (const char *p,
                    const char *end)
{
  gsize n = end - p;

  if (n >= strlen (YUAN_SIGN) && memcmp (p, YUAN_SIGN, strlen (YUAN_SIGN)) == 0)
    return p + strlen (YUAN_SIGN);
  if (n >= strlen (FULLWIDTH_YUAN_SIGN)
      && memcmp (p, FULLWIDTH_YUAN_SIGN, strlen (FULLWIDTH_YUAN_SIGN)) == 0)
    return p + strlen (FULLWIDTH_YUAN_SIGN);
  return p;
}

static const char *
skip_digits (const char *p,
             const char *end)
{
  while (p < end && g_ascii_isdigit (*p))
    p++;
  return p;
}

gboolean
till_money_parse (const char  *text,
                  gint64      *out_fen,
                  GError     **error)
{
  const char *start, *end, *p, *int_start, *int_end, *frac_start = NULL, *frac_end = NULL;
  g_autofree char *shown = NULL;
  gboolean negative = FALSE;
  guint64 fen = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  start = text;
  end = text + strlen (text);
  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  if (start == end)
    {
      g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_MONEY,
                           _("No amount was entered."));
      return FALSE;
    }

  /* The text goes into messages: keep it valid UTF-8 whatever was typed or pasted. */
  shown = g_utf8_make_valid (start, end - start);

  p = start;
  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  p = skip_currency_sign (p, end);
  if (!negative && p < end && *p == '-')
    {
      negative = TRUE;
      p++;
    }

  int_start = p;
  p = int_end = skip_digits (p, end);
  if (p < end && *p == '.')
    {
      frac_start = p + 1;
      p = frac_end = skip_digits (frac_start, end);
    }

  if (int_start == int_end || p != end || (frac_start != NULL && frac_start == frac_end))
    {
      g_set_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_MONEY,
                   _("“%s” is not an amount of money. Type it like 12.50."), shown);
      return FALSE;
    }

  if (frac_start != NULL && frac_end - frac_start > 2)
    {
      g_set_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_MONEY,
                   _("“%s” has more than two decimals. The smallest amount is 0.01."),
                   shown);
      return FALSE;
    }

  for (p = int_start; p < int_end; p++)
    {
      if (!g_uint64_checked_mul (&fen, fen, 10)
          || !g_uint64_checked_add (&fen, fen, (guint64) (*p - '0'))
          || fen > G_MAXINT64)
        goto overflow;
    }
  {
    guint64 cents = 0;

    if (frac_start != NULL)
      {
        cents = (guint64) (frac_start[0] - '0') * 10;
        if (frac_end - frac_start == 2)
          cents += (guint64) (frac_start[1] - '0');
      }
    if (!g_uint64_checked_mul (&fen, fen, 100)
        || !g_uint64_checked_add (&fen, fen, cents)
        || fen > G_MAXINT64)
      goto overflow;
  }

  if (out_fen != NULL)
    *out_fen = negative ? -(gint64) fen : (gint64) fen;
  return TRUE;

overflow:
  g_set_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_MONEY_OVERFLOW,
               _("“%s” is too large an amount."), shown);
  return FALSE;
}

static char *
format_money (gint64      fen,
              const char *sign)
{
  /* Magnitude computed in unsigned arithmetic: -G_MININT64 does not fit in a gint64. */
  guint64 magnitude = fen < 0 ? (guint64) (-(fen + 1)) + 1 : (guint64) fen;

  return g_strdup_printf ("%s%s%" G_GUINT64_FORMAT ".%02u",
                          fen < 0 ? "-" : "", sign,
                          magnitude / 100, (guint) (magnitude % 100));
}

char *
till_money_format (gint64 fen)
{
  return format_money (fen, YUAN_SIGN);
}

char *
till_money_format_plain (gint64 fen)
{
  return format_money (fen, "");
}

gboolean
till_money_multiply_qty (gint64  unit_price_fen,
                         gint64  qty_milli,
                         gint64 *out_fen)
{
  g_return_val_if_fail (out_fen != NULL, FALSE);

#ifdef __SIZEOF_INT128__
  {
    /* Exact: a huge price times a small quantity may still fit after the division. */
    __extension__ __int128 product = (__int128) unit_price_fen * qty_milli;
    __extension__ __int128 quotient = product / 1000;
    __extension__ __int128 remainder = product % 1000;  /* has the sign of product */

    if (remainder >= 500)
      quotient++;
    else if (remainder <= -500)
      quotient--;
    if (quotient > G_MAXINT64 || quotient < -G_MAXINT64)
      return FALSE;
    *out_fen = (gint64) quotient;
    return TRUE;
  }
#else
  {
    gint64 product, quotient, remainder;

    if (__builtin_mul_overflow (unit_price_fen, qty_milli, &product))
      return FALSE;
    quotient = product / 1000;
    remainder = product % 1000;
    if (remainder >= 500)
      quotient++;
    else if (remainder <= -500)
      quotient--;
    if (quotient < -G_MAXINT64)
      return FALSE;
    *out_fen = quotient;
    return TRUE;
  }
#endif
}

/* ---------------------------------------------------------------- cash rounding */

static const char *const rounding_names[] = {
  "none", "jiao", "jiao-down", "yuan", "yuan-down",
};

const char *
till_cash_rounding_to_string (TillCashRounding rule)
{
  g_return_val_if_fail ((guint) rule < G_N_ELEMENTS (rounding_names), NULL);
  return rounding_names[rule];
}

gboolean
till_cash_rounding_from_string (const char       *text,
                                TillCashRounding *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (rounding_names); i++)
    if (strcmp (text, rounding_names[i]) == 0)
      {
        if (out != NULL)
          *out = (TillCashRounding) i;
        return TRUE;
      }
  return FALSE;
}

gint64
till_cash_rounding_unit (TillCashRounding rule)
{
  switch (rule)
    {
    case TILL_CASH_ROUNDING_NONE:
      return 1;
    case TILL_CASH_ROUNDING_JIAO:
    case TILL_CASH_ROUNDING_JIAO_DOWN:
      return 10;
    case TILL_CASH_ROUNDING_YUAN:
    case TILL_CASH_ROUNDING_YUAN_DOWN:
      return 100;
    default:
      g_return_val_if_reached (1);
    }
}

static gboolean
rounds_to_nearest (TillCashRounding rule)
{
  return rule == TILL_CASH_ROUNDING_JIAO || rule == TILL_CASH_ROUNDING_YUAN;
}

gint64
till_money_round_cash (gint64           fen,
                       TillCashRounding rule)
{
  gint64 unit = till_cash_rounding_unit (rule);
  /* The magnitude: -G_MININT64 does not fit, but it is excluded as an amount (see
   * till_money_parse()); treat it as -G_MAXINT64 rather than overflow. */
  gint64 magnitude = fen < 0 ? (fen == G_MININT64 ? G_MAXINT64 : -fen) : fen;
  gint64 rest = magnitude % unit;
  gint64 rounded = magnitude - rest;

  /* Strictly more than half goes up; an exact half stays down (the customer's favour). */
  if (rounds_to_nearest (rule) && 2 * rest > unit && rounded <= G_MAXINT64 - unit)
    rounded += unit;
  return fen < 0 ? -rounded : rounded;
}

gboolean
till_money_check_cash (gint64             fen,
                       TillCashRounding   rule,
                       GError           **error)
{
  gint64 unit = till_cash_rounding_unit (rule);
  g_autofree char *step = NULL;
  g_autofree char *amount = NULL;

  if (fen % unit == 0)
    return TRUE;
  step = till_money_format (unit);
  amount = till_money_format (fen);
  g_set_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_MONEY,
               _("This till takes and gives cash in steps of %s: %s cannot be handed over "
                 "in cash."), step, amount);
  return FALSE;
}

gint64
till_money_cash_refund (gint64           part_fen,
                        gboolean         last,
                        gint64           cash_left_fen,
                        TillCashRounding rule)
{
  gint64 unit = till_cash_rounding_unit (rule);
  gint64 handed;

  if (cash_left_fen <= 0 || part_fen <= 0)
    return 0;
  handed = till_money_round_cash (last ? cash_left_fen : part_fen, rule);
  /* Rounding up would give back more than is left: the unit below what is left. */
  if (handed > cash_left_fen)
    handed = cash_left_fen - cash_left_fen % unit;
  return handed;
}
