/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A counter scale's frame parser: bytes as read() gives them (split anywhere, garbage
 * between frames) in, readings out. One parser per port and protocol; no I/O. */
#pragma once

#include "till-scale-reading.h"

G_BEGIN_DECLS

/* The longest frame kept; a longer run without an end is dropped as garbage. */
#define TILL_SCALE_PARSER_MAX_FRAME 64

typedef struct _TillScaleParser TillScaleParser;

TillScaleParser *
till_scale_parser_new (TillScaleProtocol protocol);
void
till_scale_parser_free (TillScaleParser *self);
TillScaleProtocol
till_scale_parser_get_protocol (TillScaleParser *self);

/* Takes `n` bytes and appends one TillScaleReading to `readings` for each whole good frame
 * among them; returns how many it appended. Bytes of a frame not yet ended are kept for the
 * next call. */
guint
till_scale_parser_feed (TillScaleParser *self, const guint8 *bytes, gsize n, GArray *readings);

/* Frames dropped so far (bad checksum, bad layout, unknown unit, too long). */
guint
till_scale_parser_get_n_dropped (TillScaleParser *self);

/* Forgets a frame half read (the port was closed). */
void
till_scale_parser_reset (TillScaleParser *self);

/* The request a request/response protocol sends (Toledo 8217: "W"); NULL for the
 * continuous ones. */
const char *
till_scale_parser_get_request (TillScaleParser *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillScaleParser, till_scale_parser_free)

G_END_DECLS
