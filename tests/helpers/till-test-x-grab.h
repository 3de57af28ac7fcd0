/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper (header only): an X window's pixels as a GdkPixbuf, for screenshots of real
 * processes' windows under Xvfb (its default visual: 24-bit TrueColor, 0xRRGGBB). */
#pragma once

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

/* The window's contents now, or NULL when X could not give them. */
static inline GdkPixbuf *
till_test_x_grab (Display *dpy,
                  Window   window)
{
  XWindowAttributes attrs;
  XImage *image;
  GdkPixbuf *pixbuf;
  guchar *pixels;
  int stride;

  if (!XGetWindowAttributes (dpy, window, &attrs)
      || (image = XGetImage (dpy, window, 0, 0, attrs.width, attrs.height, AllPlanes, ZPixmap))
             == NULL)
    return NULL;
  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, attrs.width, attrs.height);
  pixels = gdk_pixbuf_get_pixels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  for (int y = 0; y < attrs.height; y++)
    for (int x = 0; x < attrs.width; x++)
      {
        unsigned long pixel = XGetPixel (image, x, y);
        guchar *out = pixels + y * stride + x * 3;

        out[0] = (pixel & image->red_mask) >> 16;
        out[1] = (pixel & image->green_mask) >> 8;
        out[2] = pixel & image->blue_mask;
      }
  XDestroyImage (image);
  return pixbuf;
}

G_END_DECLS
