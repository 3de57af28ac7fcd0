/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The per-protocol frame readers of TillScaleParser (till-scale-os2.c, till-scale-dahua.c,
 * till-scale-toledo.c) and what they share. */
#pragma once

#include "till-scale-parser.h"

G_BEGIN_DECLS

typedef enum
{
  TILL_SCALE_FRAME_SKIP, /* a byte outside any frame (garbage, a trailer): ignored */
  TILL_SCALE_FRAME_MORE, /* keep reading */
  TILL_SCALE_FRAME_DONE, /* `reading` holds a good frame; start over */
  TILL_SCALE_FRAME_BAD,  /* a broken frame: dropped, its bytes after the first read again */
} TillScaleFrameStep;

struct _TillScaleParser
{
  TillScaleProtocol protocol;
  guint8 frame[TILL_SCALE_PARSER_MAX_FRAME];
  gsize len;
  guint n_dropped;
};

/* Each reader looks at one more byte `b`: on MORE it has appended it to self->frame, on
 * BAD it has not (the parser then reads the frame again from its second byte, with `b`). */
TillScaleFrameStep
_till_scale_os2_take (TillScaleParser *self, guint8 b, TillScaleReading *reading);
TillScaleFrameStep
_till_scale_dahua_take (TillScaleParser *self, guint8 b, TillScaleReading *reading);
TillScaleFrameStep
_till_scale_toledo_take (TillScaleParser *self, guint8 b, TillScaleReading *reading);

/* A weight field: optional spaces, digits with at most one '.', optional spaces, in the
 * given unit ("kg" or "g", case-insensitive, spaces ignored) → thousandths of a kg.
 * FALSE when it is not that (a third decimal of a gram is refused: no such scale). */
gboolean
_till_scale_parse_weight (const guint8 *field, gsize len, const char *unit, gint64 *milli);

G_END_DECLS
