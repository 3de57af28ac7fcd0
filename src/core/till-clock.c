/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The till's clock (see till-clock.h). */
#define G_LOG_DOMAIN "till-core"
#include "config.h"

#include "till-clock.h"

G_LOCK_DEFINE_STATIC (offset);
static gint64 offset_us;

gint64
till_clock_get_offset (void)
{
  gint64 value;

  G_LOCK (offset);
  value = offset_us;
  G_UNLOCK (offset);
  return value;
}

gint64
till_clock_now_us (void)
{
  return g_get_real_time () + till_clock_get_offset ();
}

GDateTime *
till_clock_now_local (void)
{
  gint64 now = till_clock_now_us ();
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);

  if (utc == NULL)
    return g_date_time_new_now_local ();
  return g_date_time_to_local (utc);
}

void
till_clock_set_offset_for_testing (gint64 offset)
{
  G_LOCK (offset);
  offset_us = offset;
  G_UNLOCK (offset);
}
