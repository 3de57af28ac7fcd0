/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A counter scale's frame parser: the byte loop, resynchronisation and the weight field
 * shared by the protocols (docs/reference/scales.md). */
#define G_LOG_DOMAIN "till-scale"
#include "config.h"

#include "till-scale-parser-private.h"

#include <string.h>

static const char *const protocol_nicks[] = {
  [TILL_SCALE_PROTOCOL_NONE] = "none",
  [TILL_SCALE_PROTOCOL_ACLAS_OS2] = "aclas-os2",
  [TILL_SCALE_PROTOCOL_DAHUA_TM] = "dahua-tm",
  [TILL_SCALE_PROTOCOL_TOLEDO_8217] = "toledo-8217",
};

const char *
till_scale_protocol_to_nick (TillScaleProtocol protocol)
{
  if ((guint)protocol >= G_N_ELEMENTS (protocol_nicks))
    return NULL;
  return protocol_nicks[protocol];
}

TillScaleProtocol
till_scale_protocol_from_nick (const char *nick)
{
  for (guint i = 0; i < G_N_ELEMENTS (protocol_nicks); i++)
    if (g_strcmp0 (nick, protocol_nicks[i]) == 0)
      return (TillScaleProtocol)i;
  return TILL_SCALE_PROTOCOL_NONE;
}

TillScaleParser *
till_scale_parser_new (TillScaleProtocol protocol)
{
  TillScaleParser *self;

  g_return_val_if_fail (
      protocol > TILL_SCALE_PROTOCOL_NONE && protocol <= TILL_SCALE_PROTOCOL_TOLEDO_8217, NULL);

  self = g_new0 (TillScaleParser, 1);
  self->protocol = protocol;
  return self;
}

void
till_scale_parser_free (TillScaleParser *self)
{
  g_free (self);
}

TillScaleProtocol
till_scale_parser_get_protocol (TillScaleParser *self)
{
  g_return_val_if_fail (self != NULL, TILL_SCALE_PROTOCOL_NONE);
  return self->protocol;
}

guint
till_scale_parser_get_n_dropped (TillScaleParser *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_dropped;
}

void
till_scale_parser_reset (TillScaleParser *self)
{
  g_return_if_fail (self != NULL);
  self->len = 0;
}

const char *
till_scale_parser_get_request (TillScaleParser *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->protocol == TILL_SCALE_PROTOCOL_TOLEDO_8217 ? "W" : NULL;
}

static TillScaleFrameStep
take_byte (TillScaleParser *self, guint8 b, TillScaleReading *reading)
{
  switch (self->protocol)
    {
    case TILL_SCALE_PROTOCOL_ACLAS_OS2:
      return _till_scale_os2_take (self, b, reading);
    case TILL_SCALE_PROTOCOL_DAHUA_TM:
      return _till_scale_dahua_take (self, b, reading);
    case TILL_SCALE_PROTOCOL_TOLEDO_8217:
      return _till_scale_toledo_take (self, b, reading);
    case TILL_SCALE_PROTOCOL_NONE:
    default:
      g_assert_not_reached ();
    }
}

/* One byte. A broken frame is read again from the byte after its start (with the byte that
 * broke it), so that a frame starting inside a cut-short one is not lost; only a break seen
 * outside such a replay counts as a dropped frame. */
static guint
process_byte (TillScaleParser *self, guint8 b, GArray *readings, gboolean replay)
{
  TillScaleReading reading = { 0 };
  guint8 again[TILL_SCALE_PARSER_MAX_FRAME + 1];
  gsize n_again = 0;
  guint found = 0;

  switch (take_byte (self, b, &reading))
    {
    case TILL_SCALE_FRAME_MORE:
      /* The reader kept `b`. Too long without an end: drop it, look again past its start. */
      if (self->len < TILL_SCALE_PARSER_MAX_FRAME)
        return 0;
      if (!replay)
        self->n_dropped++;
      n_again = self->len - 1;
      memcpy (again, self->frame + 1, n_again);
      break;
    case TILL_SCALE_FRAME_BAD:
      /* The reader did not keep `b`. */
      if (!replay)
        self->n_dropped++;
      if (self->len > 1)
        {
          n_again = self->len - 1;
          memcpy (again, self->frame + 1, n_again);
        }
      if (self->len > 0)
        again[n_again++] = b;
      break;
    case TILL_SCALE_FRAME_DONE:
      self->len = 0;
      g_array_append_val (readings, reading);
      return 1;
    case TILL_SCALE_FRAME_SKIP:
    default:
      self->len = 0;
      return 0;
    }

  self->len = 0;
  for (gsize i = 0; i < n_again; i++)
    found += process_byte (self, again[i], readings, TRUE);
  return found;
}

guint
till_scale_parser_feed (TillScaleParser *self, const guint8 *bytes, gsize n, GArray *readings)
{
  guint found = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (bytes != NULL || n == 0, 0);
  g_return_val_if_fail (readings != NULL, 0);

  for (gsize i = 0; i < n; i++)
    found += process_byte (self, bytes[i], readings, FALSE);

  return found;
}

gboolean
_till_scale_parse_weight (const guint8 *field, gsize len, const char *unit, gint64 *milli)
{
  gint64 whole = 0;
  gint64 frac = 0;
  int n_frac = -1; /* -1: no point seen */
  int n_digits = 0;
  gsize i = 0;
  gboolean kg;

  if (g_ascii_strcasecmp (unit, "kg") == 0)
    kg = TRUE;
  else if (g_ascii_strcasecmp (unit, "g") == 0)
    kg = FALSE;
  else
    return FALSE;

  while (i < len && field[i] == ' ')
    i++;
  for (; i < len && field[i] != ' '; i++)
    {
      guint8 c = field[i];

      if (c == '.')
        {
          if (n_frac >= 0)
            return FALSE;
          n_frac = 0;
          continue;
        }
      if (!g_ascii_isdigit (c))
        return FALSE;
      n_digits++;
      if (n_digits > 9)
        return FALSE;
      if (n_frac >= 0)
        {
          frac = frac * 10 + (c - '0');
          n_frac++;
        }
      else
        whole = whole * 10 + (c - '0');
    }
  while (i < len && field[i] == ' ')
    i++;
  if (i != len || n_digits == 0)
    return FALSE;
  if (n_frac < 0)
    n_frac = 0;

  /* Scale the fraction to thousandths of a kg (kg) or of a gram (g). */
  if (n_frac > 3)
    return FALSE;
  for (int k = n_frac; k < 3; k++)
    frac *= 10;

  if (kg)
    *milli = whole * 1000 + frac;
  else
    {
      if (frac != 0)
        return FALSE; /* a part of a gram: no counter scale shows one */
      *milli = whole;
    }
  return TRUE;
}
