/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCameraPreview: a window with the live webcam picture and the last code read from
 * it. Opening it opens the camera (off the main thread); closing it stops capture and
 * releases the device. Codes go to the hub like any other scanner. */
#pragma once

#include <gtk/gtk.h>

#include "till-camera-frame.h"
#include "till-camera-source.h"
#include "till-scanner-hub.h"

G_BEGIN_DECLS

#define TILL_TYPE_CAMERA_PREVIEW (till_camera_preview_get_type ())
G_DECLARE_FINAL_TYPE (TillCameraPreview, till_camera_preview, TILL, CAMERA_PREVIEW, GtkWindow)

/* `device` is the camera-device setting: a /dev/video path, or "" for the first camera.
 * `parent` may be NULL. The camera opens when the window is shown. */
TillCameraPreview *till_camera_preview_new         (GtkWindow         *parent,
                                                    TillScannerHub    *hub,
                                                    const char        *device);

TillCameraSource  *till_camera_preview_get_source  (TillCameraPreview *self);
/* The last code accepted from the camera, or NULL. */
const char        *till_camera_preview_get_last_code (TillCameraPreview *self);
/* What the window tells the cashier when there is no picture (NULL while live). */
const char        *till_camera_preview_get_message (TillCameraPreview *self);

/* Shows one frame (the source's "frame" handler; public so tests can drive the window
 * without a webcam). */
void               till_camera_preview_show_frame  (TillCameraPreview *self,
                                                    TillCameraFrame   *frame);

G_END_DECLS
