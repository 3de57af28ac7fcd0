/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ACLAS (顶尖) OS2 continuous output ("send communication protocol actively"), as the
 * OS2CX manual describes it (docs/reference/scales.md §1):
 *   SOH STX flag1 sign w w w w w w u u BCC ETX EOT [flag2]
 * flag1 'S' stable / 'U' unstable / 'F' out of range or not zeroed; sign '-' or ' ';
 * six weight characters with the decimal point; a two-character unit; BCC the XOR of the
 * bytes before it. */
#define G_LOG_DOMAIN "till-scale"
#include "config.h"

#include "till-scale-parser-private.h"

#include <string.h>

enum
{
  SOH = 0x01,
  STX = 0x02,
  ETX = 0x03,
  EOT = 0x04,
  OS2_LEN = 15, /* SOH … EOT; flag2 after EOT is read as a byte outside frames */
};

static gboolean
decode (const guint8 *f, TillScaleReading *reading)
{
  guint8 bcc_all = 0;
  guint8 bcc_text = 0;
  char unit[3] = { 0 };
  gsize u = 0;
  gint64 milli;

  for (int i = 0; i < 12; i++)
    {
      bcc_all ^= f[i];
      if (i >= 2)
        bcc_text ^= f[i];
    }
  /* The manual says "the 12 bytes in front"; the same frame of CAS scales leaves out SOH and
   * STX. Either is taken (they differ by SOH ^ STX = 0x03). */
  if (f[12] != bcc_all && f[12] != bcc_text)
    {
      g_debug ("OS2 frame: bad check byte %02x (want %02x or %02x)", f[12], bcc_all, bcc_text);
      return FALSE;
    }

  if (f[3] != ' ' && f[3] != '-' && f[3] != '+')
    return FALSE;

  if (f[2] == 'F')
    {
      reading->overload = TRUE;
      reading->underload = f[3] == '-';
      reading->negative = f[3] == '-';
      return TRUE;
    }
  if (f[2] != 'S' && f[2] != 'U')
    return FALSE;

  for (int i = 10; i < 12; i++)
    if (f[i] != ' ')
      unit[u++] = (char)f[i];
  if (!_till_scale_parse_weight (f + 4, 6, unit, &milli))
    {
      g_debug ("OS2 frame: weight or unit not understood");
      return FALSE;
    }

  reading->has_weight = TRUE;
  reading->stable = f[2] == 'S';
  reading->weight_milli = f[3] == '-' ? -milli : milli;
  reading->negative = reading->weight_milli < 0;
  reading->zero = milli == 0;
  return TRUE;
}

TillScaleFrameStep
_till_scale_os2_take (TillScaleParser *self, guint8 b, TillScaleReading *reading)
{
  switch (self->len)
    {
    case 0:
      if (b != SOH)
        return TILL_SCALE_FRAME_SKIP;
      break;
    case 1:
      if (b != STX)
        return TILL_SCALE_FRAME_BAD;
      break;
    case 13:
      if (b != ETX)
        return TILL_SCALE_FRAME_BAD;
      break;
    case 14:
      if (b != EOT)
        return TILL_SCALE_FRAME_BAD;
      self->frame[self->len] = b;
      if (!decode (self->frame, reading))
        return TILL_SCALE_FRAME_BAD;
      return TILL_SCALE_FRAME_DONE;
    default:
      break;
    }

  self->frame[self->len++] = b;
  return TILL_SCALE_FRAME_MORE;
}
