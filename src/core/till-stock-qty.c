/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Quantities typed for goods received or counted: parsing and formatting thousandths. */
#define G_LOG_DOMAIN "till-core"

#include "config.h"

#include <glib/gi18n.h>

#include "till-core-error.h"
#include "till-stock-qty.h"

#define MAX_UNITS G_GINT64_CONSTANT (99999)

static gboolean
refuse (GError **error, const char *message)
{
  g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_QUANTITY, message);
  return FALSE;
}

gboolean
till_stock_qty_parse (const char *text, gboolean weighed, gboolean allow_zero,
                      gint64 *out_qty_milli, GError **error)
{
  g_autofree char *copy = NULL;
  const char *p;
  gint64 units = 0;
  gint64 frac = 0;
  guint n_frac = 0;
  gboolean seen_digit = FALSE;

  g_return_val_if_fail (out_qty_milli != NULL, FALSE);

  copy = g_strstrip (g_strdup (text != NULL ? text : ""));
  p = copy;
  if (*p == '-')
    return refuse (error, _ ("A quantity cannot be below zero"));
  for (; g_ascii_isdigit (*p); p++)
    {
      seen_digit = TRUE;
      units = units * 10 + (*p - '0');
      if (units > MAX_UNITS)
        return refuse (error, _ ("The quantity is too large"));
    }
  if (*p == '.' || *p == ',')
    {
      if (!weighed)
        return refuse (error, _ ("Enter a whole number of items"));
      for (p++; g_ascii_isdigit (*p); p++)
        {
          seen_digit = TRUE;
          if (++n_frac > 3)
            return refuse (error, _ ("At most three decimals (grams)"));
          frac = frac * 10 + (*p - '0');
        }
    }
  if (!seen_digit || *p != '\0')
    {
      g_set_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_QUANTITY,
                   _ ("“%s” is not a quantity"), copy);
      return FALSE;
    }
  for (; n_frac < 3; n_frac++)
    frac *= 10;
  if (units == 0 && frac == 0 && !allow_zero)
    return refuse (error, _ ("The quantity must be more than zero"));
  *out_qty_milli = units * 1000 + frac;
  return TRUE;
}

char *
till_stock_qty_format (gint64 qty_milli)
{
  gint64 mag = qty_milli < 0 ? -qty_milli : qty_milli;
  char frac[8];
  int len;

  if (mag % 1000 == 0)
    return g_strdup_printf ("%s%" G_GINT64_FORMAT, qty_milli < 0 ? "-" : "", mag / 1000);
  len = g_snprintf (frac, sizeof frac, "%03d", (int)(mag % 1000));
  while (len > 0 && frac[len - 1] == '0')
    frac[--len] = '\0';
  return g_strdup_printf ("%s%" G_GINT64_FORMAT ".%s", qty_milli < 0 ? "-" : "", mag / 1000, frac);
}
