/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 大华 (Dahua) TM continuous output. NOT confirmed from a Dahua document (none was found,
 * docs/reference/scales.md §2): this reads the ASCII line most Chinese retail scales and
 * indicators send continuously, "ST,GS,+  0.532kg" CR LF — head 1 ST stable / US unstable /
 * OL overload, head 2 GS gross / NT net, an optional comma, the sign, the weight with its
 * point, the unit — which the sources of §2 document for other makers. */
#define G_LOG_DOMAIN "till-scale"
#include "config.h"

#include "till-scale-parser-private.h"

#include <string.h>

static gboolean
decode (const guint8 *f, gsize len, TillScaleReading *reading)
{
  gsize pos;
  gsize end;
  gsize unit_start;
  char unit[4] = { 0 };
  gboolean minus = FALSE;
  gint64 milli;

  if (len < 6 || f[2] != ',')
    return FALSE;
  if (!((f[3] == 'G' && f[4] == 'S') || (f[3] == 'N' && f[4] == 'T')))
    return FALSE;
  pos = 5;
  if (pos < len && f[pos] == ',')
    pos++;
  while (pos < len && f[pos] == ' ')
    pos++;
  if (pos < len && (f[pos] == '+' || f[pos] == '-'))
    minus = f[pos++] == '-';

  if (memcmp (f, "OL", 2) == 0)
    {
      reading->overload = TRUE;
      reading->underload = minus;
      reading->negative = minus;
      return TRUE;
    }
  if (memcmp (f, "ST", 2) != 0 && memcmp (f, "US", 2) != 0)
    return FALSE;

  end = len;
  while (end > pos && f[end - 1] == ' ')
    end--;
  unit_start = end;
  while (unit_start > pos && g_ascii_isalpha (f[unit_start - 1]))
    unit_start--;
  if (end - unit_start == 0 || end - unit_start > 2)
    return FALSE;
  memcpy (unit, f + unit_start, end - unit_start);

  if (!_till_scale_parse_weight (f + pos, unit_start - pos, unit, &milli))
    return FALSE;

  reading->has_weight = TRUE;
  reading->stable = f[0] == 'S';
  reading->weight_milli = minus ? -milli : milli;
  reading->negative = reading->weight_milli < 0;
  reading->zero = milli == 0;
  return TRUE;
}

TillScaleFrameStep
_till_scale_dahua_take (TillScaleParser *self, guint8 b, TillScaleReading *reading)
{
  if (self->len == 0)
    {
      /* A line starts with its status (ST, US, OL); anything else is noise or a CR/LF. */
      if (b != 'S' && b != 'U' && b != 'O')
        return TILL_SCALE_FRAME_SKIP;
    }
  else if (b == '\r' || b == '\n')
    {
      if (decode (self->frame, self->len, reading))
        return TILL_SCALE_FRAME_DONE;
      g_debug ("Dahua TM line of %zu bytes not understood", self->len);
      return TILL_SCALE_FRAME_BAD;
    }
  else if (b < 0x20 || b >= 0x7f)
    return TILL_SCALE_FRAME_BAD;

  self->frame[self->len++] = b;
  return TILL_SCALE_FRAME_MORE;
}
