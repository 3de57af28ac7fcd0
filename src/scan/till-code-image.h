/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Renders a code (QR or Code 128) into an 8-bit gray buffer, without GTK, so the demo
 * phone shows exactly the images the camera tests decode. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An 8-bit gray image: 0 is black, 255 is white; rows are `stride` bytes apart. */
typedef struct
{
  guint   width;
  guint   height;
  guint   stride;
  guint8 *pixels;
} TillCodeImage;

/* A white image of the given size. */
TillCodeImage *till_code_image_new           (guint                width,
                                              guint                height);
TillCodeImage *till_code_image_copy          (const TillCodeImage *image);
void           till_code_image_free          (TillCodeImage       *image);

/* `text` as a QR code (libqrencode, error correction level M), each module
 * `module_px` × `module_px` pixels, with the 4-module quiet zone the standard asks for. */
TillCodeImage *till_code_image_render_qr     (const char          *text,
                                              guint                module_px,
                                              GError             **error);

/* `text` (printable ASCII) as Code 128: runs of four or more digits use code set C (two
 * digits per symbol), the rest code set B. Bars are `module_px` wide and `bar_height`
 * high, with a 10-module quiet zone on both sides. */
TillCodeImage *till_code_image_render_code128 (const char         *text,
                                               guint               module_px,
                                               guint               bar_height,
                                               GError            **error);

/* The Code 128 symbol values (start, data, check, stop) for `text`; exposed for tests. */
GArray        *till_code_image_code128_symbols (const char        *text,
                                                GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillCodeImage, till_code_image_free)

G_END_DECLS
