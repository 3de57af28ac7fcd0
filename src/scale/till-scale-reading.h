/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a counter scale says in one frame, whatever its protocol (docs/reference/scales.md),
 * and the protocols and states the scale library knows. GLib only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The protocols, in the order of the GSettings enum scale-protocol. */
typedef enum
{
  TILL_SCALE_PROTOCOL_NONE,
  TILL_SCALE_PROTOCOL_ACLAS_OS2,   /* 顶尖 OS2, continuous ("actively sends") frames */
  TILL_SCALE_PROTOCOL_DAHUA_TM,    /* 大华 TM, continuous ST/US/OL lines (not confirmed) */
  TILL_SCALE_PROTOCOL_TOLEDO_8217, /* Mettler Toledo 8217: the till sends W, the scale answers */
} TillScaleProtocol;

/* What the scale's weight means for the till. */
typedef enum
{
  TILL_SCALE_STATE_DISCONNECTED, /* no port set, or it cannot be opened / went away */
  TILL_SCALE_STATE_OK,           /* a weight, zero or above */
  TILL_SCALE_STATE_OVERLOAD,     /* above the capacity, or out of range */
  TILL_SCALE_STATE_NEGATIVE,     /* below zero (an underload too) */
  TILL_SCALE_STATE_ERROR,        /* frames arrive but cannot be read (wrong protocol or baud) */
} TillScaleState;

/* One reading, as the scale sent it (gross or the scale's own net: the till's tare is
 * taken off by TillScale). */
typedef struct
{
  gboolean has_weight; /* FALSE for a status alone (Toledo's "?" record, an overload) */
  gint64 weight_milli; /* thousandths of a kg (grams), signed; 0 without a weight */
  gboolean stable;
  gboolean overload;
  gboolean underload;
  gboolean negative;
  gboolean zero;
} TillScaleReading;

/* "aclas-os2" … for the settings and the log; NULL for an unknown nick. */
const char *
till_scale_protocol_to_nick (TillScaleProtocol protocol);
TillScaleProtocol
till_scale_protocol_from_nick (const char *nick);

G_END_DECLS
