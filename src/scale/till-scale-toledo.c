/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Mettler Toledo 8217 request/response (the metric 8213; docs/reference/scales.md §3): the
 * till sends "W", the scale answers STX weight CR with the weight in kg and its point, or,
 * while the weight moves, is below zero or out of range, STX '?' status CR. 7 data bits,
 * even parity: the parity bit is masked off here. Status bits: 0 motion, 1 out of range,
 * 2 under zero, 3 outside the zero capture range, 4 centre of zero, 5 and 6 always 1. */
#define G_LOG_DOMAIN "till-scale"
#include "config.h"

#include "till-scale-parser-private.h"

#include <string.h>

enum
{
  STX = 0x02,
  CR = 0x0d,
};

static gboolean
decode (const guint8 *f, gsize len, TillScaleReading *reading)
{
  gint64 milli;

  if (len >= 2 && f[1] == '?')
    {
      guint8 status;

      if (len != 3)
        return FALSE;
      status = f[2];
      if ((status & 0x60) != 0x60)
        return FALSE;
      reading->stable = (status & 0x01) == 0;
      reading->overload = (status & 0x02) != 0 && (status & 0x04) == 0;
      reading->underload = (status & 0x04) != 0;
      reading->negative = (status & 0x04) != 0;
      reading->zero = (status & 0x10) != 0;
      return TRUE;
    }

  /* The weight must have its point: without one it could be lb×100 (an 8213). */
  if (memchr (f + 1, '.', len - 1) == NULL)
    return FALSE;
  if (!_till_scale_parse_weight (f + 1, len - 1, "kg", &milli))
    return FALSE;

  reading->has_weight = TRUE;
  reading->stable = TRUE; /* the scale answers with a weight only when it is steady */
  reading->weight_milli = milli;
  reading->zero = milli == 0;
  return TRUE;
}

TillScaleFrameStep
_till_scale_toledo_take (TillScaleParser *self, guint8 b, TillScaleReading *reading)
{
  b &= 0x7f;

  if (self->len == 0)
    {
      if (b != STX)
        return TILL_SCALE_FRAME_SKIP;
    }
  else if (b == CR)
    {
      if (decode (self->frame, self->len, reading))
        return TILL_SCALE_FRAME_DONE;
      g_debug ("Toledo 8217 answer of %zu bytes not understood", self->len);
      return TILL_SCALE_FRAME_BAD;
    }
  else if (b == STX)
    return TILL_SCALE_FRAME_BAD;
  else if (self->len >= 12)
    return TILL_SCALE_FRAME_BAD;

  self->frame[self->len++] = b;
  return TILL_SCALE_FRAME_MORE;
}
