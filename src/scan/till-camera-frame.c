/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A camera picture: YUYV/GREY to gray + RGB conversion and the codes found in it. */
#define G_LOG_DOMAIN "till-scan"
#include "config.h"

#include "till-camera-frame.h"

#include <string.h>

struct _TillCameraFrame
{
  gatomicrefcount ref_count;
  guint width;
  guint height;
  gint64 time_us;
  GBytes *gray;
  GBytes *rgb;
  char **codes;
};

G_DEFINE_BOXED_TYPE (TillCameraFrame, till_camera_frame,
                     till_camera_frame_ref, till_camera_frame_unref)

static TillCameraFrame *
frame_new (guint width,
           guint height)
{
  TillCameraFrame *frame = g_new0 (TillCameraFrame, 1);

  g_atomic_ref_count_init (&frame->ref_count);
  frame->width = width;
  frame->height = height;
  frame->time_us = g_get_monotonic_time ();
  frame->codes = g_new0 (char *, 1);

  return frame;
}

static inline guint8
clamp_u8 (int v)
{
  return (guint8) (v < 0 ? 0 : v > 255 ? 255 : v);
}

/* ITU-R BT.601, studio range (what UVC cameras send), integer arithmetic. */
static inline void
yuv_to_rgb (int      y,
            int      u,
            int      v,
            guint8  *rgb)
{
  int c = 298 * (y - 16);
  int d = u - 128;
  int e = v - 128;

  rgb[0] = clamp_u8 ((c + 409 * e + 128) >> 8);
  rgb[1] = clamp_u8 ((c - 100 * d - 208 * e + 128) >> 8);
  rgb[2] = clamp_u8 ((c + 516 * d + 128) >> 8);
}

TillCameraFrame *
till_camera_frame_new_from_yuyv (const guint8 *yuyv,
                                 guint         width,
                                 guint         height,
                                 guint         stride)
{
  TillCameraFrame *frame;
  guint8 *gray;
  guint8 *rgb;

  g_return_val_if_fail (yuyv != NULL, NULL);
  g_return_val_if_fail (width >= 2 && width % 2 == 0 && height > 0, NULL);
  g_return_val_if_fail (stride >= width * 2, NULL);

  frame = frame_new (width, height);
  gray = g_malloc ((gsize) width * height);
  rgb = g_malloc ((gsize) width * height * 3);

  for (guint y = 0; y < height; y++)
    {
      const guint8 *src = yuyv + (gsize) y * stride;
      guint8 *g = gray + (gsize) y * width;
      guint8 *c = rgb + (gsize) y * width * 3;

      for (guint x = 0; x < width; x += 2, src += 4, g += 2, c += 6)
        {
          g[0] = src[0];
          g[1] = src[2];
          yuv_to_rgb (src[0], src[1], src[3], c);
          yuv_to_rgb (src[2], src[1], src[3], c + 3);
        }
    }

  frame->gray = g_bytes_new_take (gray, (gsize) width * height);
  frame->rgb = g_bytes_new_take (rgb, (gsize) width * height * 3);

  return frame;
}

TillCameraFrame *
till_camera_frame_new_from_gray (const guint8 *src,
                                 guint         width,
                                 guint         height,
                                 guint         stride)
{
  TillCameraFrame *frame;
  guint8 *gray;
  guint8 *rgb;

  g_return_val_if_fail (src != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0 && stride >= width, NULL);

  frame = frame_new (width, height);
  gray = g_malloc ((gsize) width * height);
  rgb = g_malloc ((gsize) width * height * 3);

  for (guint y = 0; y < height; y++)
    {
      const guint8 *s = src + (gsize) y * stride;
      guint8 *c = rgb + (gsize) y * width * 3;

      memcpy (gray + (gsize) y * width, s, width);
      for (guint x = 0; x < width; x++, c += 3)
        c[0] = c[1] = c[2] = s[x];
    }

  frame->gray = g_bytes_new_take (gray, (gsize) width * height);
  frame->rgb = g_bytes_new_take (rgb, (gsize) width * height * 3);

  return frame;
}

TillCameraFrame *
till_camera_frame_ref (TillCameraFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);

  g_atomic_ref_count_inc (&frame->ref_count);

  return frame;
}

void
till_camera_frame_unref (TillCameraFrame *frame)
{
  g_return_if_fail (frame != NULL);

  if (!g_atomic_ref_count_dec (&frame->ref_count))
    return;

  g_bytes_unref (frame->gray);
  g_bytes_unref (frame->rgb);
  g_strfreev (frame->codes);
  g_free (frame);
}

guint
till_camera_frame_get_width (TillCameraFrame *frame)
{
  g_return_val_if_fail (frame != NULL, 0);
  return frame->width;
}

guint
till_camera_frame_get_height (TillCameraFrame *frame)
{
  g_return_val_if_fail (frame != NULL, 0);
  return frame->height;
}

GBytes *
till_camera_frame_get_gray (TillCameraFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);
  return frame->gray;
}

GBytes *
till_camera_frame_get_rgb (TillCameraFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);
  return frame->rgb;
}

gint64
till_camera_frame_get_time (TillCameraFrame *frame)
{
  g_return_val_if_fail (frame != NULL, 0);
  return frame->time_us;
}

void
till_camera_frame_set_time (TillCameraFrame *frame,
                            gint64           time_us)
{
  g_return_if_fail (frame != NULL);
  frame->time_us = time_us;
}

const char *const *
till_camera_frame_get_codes (TillCameraFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);
  return (const char *const *) frame->codes;
}

void
till_camera_frame_set_codes (TillCameraFrame *frame,
                             GPtrArray       *codes)
{
  GStrvBuilder *builder;

  g_return_if_fail (frame != NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; codes != NULL && i < codes->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (codes, i));

  g_strfreev (frame->codes);
  frame->codes = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
}
