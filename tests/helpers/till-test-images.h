/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test images: EAN-13/EAN-8/UPC-A rendering (the QR and Code 128 renderers live in
 * src/scan/till-code-image.c, shared with the demo phone) and the degradations a camera
 * adds: scaling, rotation, blur, noise, low contrast. */
#pragma once

#include <glib.h>

#include "till-code-image.h"

G_BEGIN_DECLS

/* `digits` of length 13 (EAN-13), 12 (UPC-A) or 8 (EAN-8), drawn as given: the check
 * digit is NOT verified, so a wrong one can be rendered on purpose. */
TillCodeImage *till_test_image_render_ean   (const char          *digits,
                                             guint                module_px,
                                             guint                bar_height);
/* The GS1 check digit for `digits` without their check digit (7, 11 or 12 digits). */
char           till_test_image_gs1_check    (const char          *digits);

/* New images; the input is left alone. */
TillCodeImage *till_test_image_scale        (const TillCodeImage *image,
                                             double               factor);
TillCodeImage *till_test_image_rotate       (const TillCodeImage *image,
                                             double               degrees);
TillCodeImage *till_test_image_box_blur     (const TillCodeImage *image,
                                             guint                radius);
TillCodeImage *till_test_image_add_noise    (const TillCodeImage *image,
                                             guint                amplitude,
                                             guint32              seed);
/* Maps black to `black` and white to `white` (a phone screen seen by a webcam). */
TillCodeImage *till_test_image_contrast     (const TillCodeImage *image,
                                             guint8               black,
                                             guint8               white);
/* `image` placed at (x, y) on a `width`×`height` canvas of gray `background`. */
TillCodeImage *till_test_image_embed        (const TillCodeImage *image,
                                             guint                width,
                                             guint                height,
                                             guint                x,
                                             guint                y,
                                             guint8               background);
/* A frame of uniform noise around mid-gray. */
TillCodeImage *till_test_image_noise_frame  (guint                width,
                                             guint                height,
                                             guint32              seed);

/* Packs the image as YUYV 4:2:2 (as a webcam sends it; width must be even) with a
 * neutral chroma; *stride gets the row length, which is padded by `pad` bytes. */
guint8        *till_test_image_to_yuyv      (const TillCodeImage *image,
                                             guint                pad,
                                             guint               *stride);

/* Saves a binary PGM (to look at a failing case). */
gboolean       till_test_image_save_pgm     (const TillCodeImage *image,
                                             const char          *path,
                                             GError             **error);

G_END_DECLS
