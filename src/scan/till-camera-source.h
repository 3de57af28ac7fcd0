/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Frames from a webcam through plain V4L2 (mmap'd streaming buffers, YUYV or GREY).
 *
 * Why V4L2 directly: it is the kernel interface every UVC webcam speaks, needs no extra
 * library on Debian 12 or in the Flatpak (the app already asks for --device=all for
 * serial scanners and printers, which exposes /dev/video*), and YUYV/GREY carry the
 * luminance plane zbar reads as is. MJPEG would need a JPEG decoder and GStreamer or
 * PipeWire's camera portal would add a large stack for one 640×480 picture; every UVC
 * camera offers uncompressed YUYV at 640×480, which is what we ask for.
 *
 * Capture runs on a worker thread. At most ~15 frames a second are converted, decoded
 * by the worker's own TillFrameDecoder (accepted codes go to the hub, if one is set),
 * and handed to the main context of the thread that called start() as a "frame" signal;
 * a frame that the main loop has not picked up yet is replaced, never queued. */
#pragma once

#include <gio/gio.h>

#include "till-camera-frame.h"
#include "till-scanner-hub.h"

G_BEGIN_DECLS

#define TILL_CAMERA_SOURCE_MAX_FPS 15

#define TILL_TYPE_CAMERA_SOURCE (till_camera_source_get_type ())
G_DECLARE_FINAL_TYPE (TillCameraSource, till_camera_source, TILL, CAMERA_SOURCE, GObject)

/* Signals:
 *   "frame"  (TillCameraFrame *frame)   a new picture, on the main context
 *   "failed" (GError *error)            capture stopped by itself (camera unplugged);
 *                                        the source is stopped and closed already
 * Properties: "device" (string, read-only), "card-name" (string, read-only),
 *             "running" (boolean, read-only, notifies). */
TillCameraSource *till_camera_source_new          (void);

/* Decode frames and feed accepted codes to `hub` (TILL_SCAN_SOURCE_CAMERA); NULL stops
 * decoding. Only while stopped. */
void              till_camera_source_set_hub      (TillCameraSource *self,
                                                   TillScannerHub   *hub);

/* Opens and sets up `device` (NULL or "" = the first camera, as the camera-device
 * setting means). Quick, but it touches hardware: the UI uses the async variant. */
gboolean          till_camera_source_open         (TillCameraSource    *self,
                                                   const char          *device,
                                                   GError             **error);
void              till_camera_source_open_async   (TillCameraSource    *self,
                                                   const char          *device,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean          till_camera_source_open_finish  (TillCameraSource    *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

gboolean          till_camera_source_start        (TillCameraSource    *self,
                                                   GError             **error);
/* Stops the worker (joins it) and streaming; the device stays open for start(). */
void              till_camera_source_stop         (TillCameraSource    *self);
/* Stops and releases the device (also done on dispose). */
void              till_camera_source_close        (TillCameraSource    *self);

gboolean          till_camera_source_is_open      (TillCameraSource    *self);
gboolean          till_camera_source_is_running   (TillCameraSource    *self);
const char       *till_camera_source_get_device   (TillCameraSource    *self);
const char       *till_camera_source_get_card_name (TillCameraSource   *self);
guint             till_camera_source_get_width    (TillCameraSource    *self);
guint             till_camera_source_get_height   (TillCameraSource    *self);

G_END_DECLS
