/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zbar on one gray frame: the single decode path for camera frames and for the images
 * in the tests. Only QR, EAN-13, EAN-8, UPC-A and Code 128 are enabled, so noise in a
 * camera picture does not turn into codes of symbologies a shop never sees. */
#pragma once

#include <glib-object.h>

#include "till-scanner-hub.h"

G_BEGIN_DECLS

/* A code is accepted at most once in this many microseconds (a phone held in front of
 * the camera is seen in every frame). */
#define TILL_FRAME_DECODER_REPEAT_US (G_USEC_PER_SEC)

#define TILL_TYPE_FRAME_DECODER (till_frame_decoder_get_type ())
G_DECLARE_FINAL_TYPE (TillFrameDecoder, till_frame_decoder, TILL, FRAME_DECODER, GObject)

/* A decoder is not thread-safe: use each one from a single thread at a time (the camera
 * source gives its worker thread its own). */
TillFrameDecoder *till_frame_decoder_new    (void);

/* Decodes an 8-bit gray image (Y plane; 0 = black). Returns the decoded texts in zbar's
 * order, possibly empty, never NULL. The pixels are only read during the call. */
GPtrArray        *till_frame_decoder_decode (TillFrameDecoder *self,
                                             const guint8     *gray,
                                             guint             width,
                                             guint             height,
                                             guint             stride);

/* The de-duplication rule: TRUE when `code` was not accepted within the last
 * TILL_FRAME_DECODER_REPEAT_US before `now_us` (monotonic), and records it. */
gboolean          till_frame_decoder_accept (TillFrameDecoder *self,
                                             const char       *code,
                                             gint64            now_us);

/* decode + accept + till_scanner_hub_feed (…, TILL_SCAN_SOURCE_CAMERA) for each accepted
 * code; `hub` may be NULL. Returns the accepted codes (never NULL). */
GPtrArray        *till_frame_decoder_process (TillFrameDecoder *self,
                                              const guint8     *gray,
                                              guint             width,
                                              guint             height,
                                              guint             stride,
                                              gint64            now_us,
                                              TillScannerHub   *hub);

G_END_DECLS
