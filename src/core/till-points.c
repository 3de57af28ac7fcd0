/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Points redeemed as a discount: the rules of till-points.h. Products are taken in 128
 * bits: points and fen are gint64 and a rate may be up to a million. */
#define G_LOG_DOMAIN "till-core"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "till-core-error.h"
#include "till-points.h"

typedef __int128 wide;

static gboolean
rate_ok (gint64 points_per_yuan)
{
  return points_per_yuan >= TILL_POINTS_RATE_MIN && points_per_yuan <= TILL_POINTS_RATE_MAX;
}

static gint64
clamp_wide (wide value)
{
  return value > G_MAXINT64 ? G_MAXINT64 : value < 0 ? 0 : (gint64) value;
}

gint64
till_points_value_fen (gint64 points,
                       gint64 points_per_yuan)
{
  if (points <= 0 || !rate_ok (points_per_yuan))
    return 0;
  return clamp_wide ((wide) points * 100 / points_per_yuan);
}

gint64
till_points_cap_fen (gint64 amount_fen,
                     gint64 max_percent)
{
  if (amount_fen <= 0 || max_percent < TILL_POINTS_MAX_PERCENT_MIN)
    return 0;
  max_percent = MIN (max_percent, TILL_POINTS_MAX_PERCENT_MAX);
  return clamp_wide ((wide) amount_fen * max_percent / 100);
}

/* ceil (a / b) for a >= 0, b > 0 */
static wide
ceil_div (wide a,
          wide b)
{
  return (a + b - 1) / b;
}

gint64
till_points_normalize (gint64  wanted,
                       gint64  points_per_yuan,
                       gint64  cap_fen,
                       gint64 *out_fen)
{
  gint64 value, points;

  *out_fen = 0;
  if (wanted <= 0 || cap_fen <= 0 || !rate_ok (points_per_yuan))
    return 0;
  value = MIN (till_points_value_fen (wanted, points_per_yuan), cap_fen);
  /* the most points worth no more than `value` (fewer than wanted when the cap cut it),
   * then what those are worth: below `value` when points come only in steps of more than
   * a fen */
  points = clamp_wide (MIN ((wide) wanted,
                            ceil_div ((wide) (value + 1) * points_per_yuan, 100) - 1));
  value = till_points_value_fen (points, points_per_yuan);
  if (value <= 0)
    return 0;
  *out_fen = value;
  /* the fewest points worth that much */
  return clamp_wide (ceil_div ((wide) value * points_per_yuan, 100));
}

gboolean
till_points_check_rule (gint64   points_per_yuan,
                        gint64   max_percent,
                        GError **error)
{
  if (!rate_ok (points_per_yuan))
    {
      g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
                           _("The points rate must be between 1 and 1,000,000 points a yuan"));
      return FALSE;
    }
  if (max_percent < TILL_POINTS_MAX_PERCENT_MIN || max_percent > TILL_POINTS_MAX_PERCENT_MAX)
    {
      g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
                           _("Points may pay between 1 and 99 percent of a sale"));
      return FALSE;
    }
  return TRUE;
}
