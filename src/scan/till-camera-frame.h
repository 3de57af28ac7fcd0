/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One picture from the camera, as the worker thread hands it to the main context: the
 * gray (Y) plane that zbar reads, packed RGB for the preview, and the codes accepted
 * from it. Immutable and reference counted, so it may cross threads. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TILL_TYPE_CAMERA_FRAME (till_camera_frame_get_type ())
typedef struct _TillCameraFrame TillCameraFrame;

GType            till_camera_frame_get_type      (void) G_GNUC_CONST;

/* From packed YUYV 4:2:2 (V4L2_PIX_FMT_YUYV), `stride` bytes per row, `width` even. */
TillCameraFrame *till_camera_frame_new_from_yuyv (const guint8    *yuyv,
                                                  guint            width,
                                                  guint            height,
                                                  guint            stride);
/* From 8-bit gray (V4L2_PIX_FMT_GREY, or an image in a test). */
TillCameraFrame *till_camera_frame_new_from_gray (const guint8    *gray,
                                                  guint            width,
                                                  guint            height,
                                                  guint            stride);

TillCameraFrame *till_camera_frame_ref           (TillCameraFrame *frame);
void             till_camera_frame_unref         (TillCameraFrame *frame);

guint            till_camera_frame_get_width     (TillCameraFrame *frame);
guint            till_camera_frame_get_height    (TillCameraFrame *frame);
/* width × height bytes, rows packed. */
GBytes          *till_camera_frame_get_gray      (TillCameraFrame *frame);
/* width × height × 3 bytes (R, G, B), rows packed: ready for GDK_MEMORY_R8G8B8. */
GBytes          *till_camera_frame_get_rgb       (TillCameraFrame *frame);
/* Monotonic capture time in µs. */
gint64           till_camera_frame_get_time      (TillCameraFrame *frame);
void             till_camera_frame_set_time      (TillCameraFrame *frame,
                                                  gint64           time_us);
/* Codes accepted from this frame (already fed to the hub); NULL-terminated, never NULL.
 * Set by the producer before the frame is shared. */
const char *const *till_camera_frame_get_codes   (TillCameraFrame *frame);
void             till_camera_frame_set_codes     (TillCameraFrame *frame,
                                                  GPtrArray       *codes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillCameraFrame, till_camera_frame_unref)

G_END_DECLS
