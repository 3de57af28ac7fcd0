/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Discounts, 抹零 and their spreading over the lines: integer fen only (see the header for
 * the rules). Products of two gint64 are taken in 128 bits. */
#define G_LOG_DOMAIN "till-core"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "till-core-error.h"
#include "till-discount.h"
#include "till-money.h"

#ifndef __SIZEOF_INT128__
#error "till-discount.c needs a compiler with 128-bit integers"
#endif

__extension__ typedef __int128 TillInt128;

static const char *const kind_names[] = {
  [TILL_DISCOUNT_NONE] = "none",
  [TILL_DISCOUNT_PERCENT] = "percent",
  [TILL_DISCOUNT_AMOUNT] = "amount",
};

static const char *const rounding_names[] = {
  [TILL_TOTAL_ROUNDING_NONE] = "none",
  [TILL_TOTAL_ROUNDING_JIAO] = "jiao",
  [TILL_TOTAL_ROUNDING_YUAN] = "yuan",
};

const char *
till_discount_kind_to_string (TillDiscountKind kind)
{
  if ((guint) kind >= G_N_ELEMENTS (kind_names))
    return NULL;
  return kind_names[kind];
}

gboolean
till_discount_kind_from_string (const char       *text,
                                TillDiscountKind *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (kind_names); i++)
    if (g_str_equal (text, kind_names[i]))
      {
        if (out != NULL)
          *out = (TillDiscountKind) i;
        return TRUE;
      }
  return FALSE;
}

const char *
till_total_rounding_to_string (TillTotalRounding rounding)
{
  if ((guint) rounding >= G_N_ELEMENTS (rounding_names))
    return NULL;
  return rounding_names[rounding];
}

gboolean
till_total_rounding_from_string (const char        *text,
                                 TillTotalRounding *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (rounding_names); i++)
    if (g_str_equal (text, rounding_names[i]))
      {
        if (out != NULL)
          *out = (TillTotalRounding) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
till_discount_check (TillDiscountKind kind,
                     gint64           value,
                     GError         **error)
{
  switch (kind)
    {
    case TILL_DISCOUNT_NONE:
      return TRUE;
    case TILL_DISCOUNT_PERCENT:
      if (value >= 0 && value <= TILL_DISCOUNT_PERCENT_FULL)
        return TRUE;
      g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
                           _("A discount must be from 0 to 100 percent."));
      return FALSE;
    case TILL_DISCOUNT_AMOUNT:
      if (value >= 0)
        return TRUE;
      g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
                           _("A discount cannot be a negative amount."));
      return FALSE;
    default:
      g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
                           _("Unknown kind of discount."));
      return FALSE;
    }
}

gint64
till_discount_compute (TillDiscountKind kind,
                       gint64           value,
                       gint64           base_fen)
{
  gint64 discount = 0;

  if (base_fen <= 0 || value <= 0)
    return 0;
  switch (kind)
    {
    case TILL_DISCOUNT_PERCENT:
      {
        TillInt128 scaled = (TillInt128) base_fen * MIN (value, TILL_DISCOUNT_PERCENT_FULL);

        /* half up: the customer never pays a fraction of a fen */
        discount = (gint64) ((scaled + TILL_DISCOUNT_PERCENT_FULL / 2) / TILL_DISCOUNT_PERCENT_FULL);
        break;
      }
    case TILL_DISCOUNT_AMOUNT:
      discount = value;
      break;
    case TILL_DISCOUNT_NONE:
    default:
      return 0;
    }
  return MIN (discount, base_fen);
}

gint64
till_total_rounding_cut (TillTotalRounding rounding,
                         gint64            total_fen)
{
  if (total_fen <= 0)
    return 0;
  switch (rounding)
    {
    case TILL_TOTAL_ROUNDING_JIAO:
      return total_fen % 10;
    case TILL_TOTAL_ROUNDING_YUAN:
      return total_fen % 100;
    case TILL_TOTAL_ROUNDING_NONE:
    default:
      return 0;
    }
}

gint64
till_discount_basis_points (gint64 discount_fen,
                            gint64 base_fen)
{
  TillInt128 scaled;

  if (discount_fen <= 0 || base_fen <= 0)
    return 0;
  scaled = (TillInt128) discount_fen * TILL_DISCOUNT_PERCENT_FULL;
  return (gint64) ((scaled + base_fen - 1) / base_fen);
}

gboolean
till_discount_spread (const gint64 *amounts,
                      guint         n,
                      gint64        discount_fen,
                      gint64       *out_shares)
{
  TillInt128 sum = 0;
  g_autofree gint64 *remainders = NULL;
  TillInt128 given = 0;
  gint64 left;

  g_return_val_if_fail (n == 0 || (amounts != NULL && out_shares != NULL), FALSE);

  for (guint i = 0; i < n; i++)
    {
      out_shares[i] = 0;
      if (amounts[i] > 0)
        sum += amounts[i];
    }
  if (discount_fen < 0 || discount_fen > sum)
    return FALSE;
  if (discount_fen == 0)
    return TRUE;

  /* The whole part of each share, and its remainder (out of `sum`). */
  remainders = g_new0 (gint64, n);
  for (guint i = 0; i < n; i++)
    {
      TillInt128 exact;

      if (amounts[i] <= 0)
        {
          remainders[i] = -1;
          continue;
        }
      exact = (TillInt128) discount_fen * amounts[i];
      out_shares[i] = (gint64) (exact / sum);
      remainders[i] = (gint64) (exact % sum);
      given += out_shares[i];
    }

  /* The fen left go one each to the largest remainders; the earlier line wins a tie.
   * Fewer fen are left than lines with a remainder, so each line takes at most one. */
  left = discount_fen - (gint64) given;
  while (left > 0)
    {
      guint best = G_MAXUINT;

      for (guint i = 0; i < n; i++)
        if (remainders[i] > 0 && (best == G_MAXUINT || remainders[i] > remainders[best]))
          best = i;
      if (best == G_MAXUINT)
        g_return_val_if_reached (FALSE);
      out_shares[best]++;
      remainders[best] = 0;
      left--;
    }
  return TRUE;
}

char *
till_discount_format (TillDiscountKind kind,
                      gint64           value)
{
  switch (kind)
    {
    case TILL_DISCOUNT_PERCENT:
      if (value % 100 == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT "%%", value / 100);
      {
        g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT ".%02" G_GINT64_FORMAT,
                                                 value / 100, value % 100);
        gsize len = strlen (text);

        while (text[len - 1] == '0')
          text[--len] = '\0';
        return g_strdup_printf ("%s%%", text);
      }
    case TILL_DISCOUNT_AMOUNT:
      return till_money_format (value);
    case TILL_DISCOUNT_NONE:
    default:
      return g_strdup ("");
    }
}
