/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Lists the serial ports a scanner may sit on and the V4L2 cameras, for the device
 * pickers in the preferences. Plain GLib: the UI turns the paths/labels into a
 * GtkStringList. Listing reads /dev and asks each video node for its card name; it takes
 * a few milliseconds and does not wait on any device. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *path;    /* what to store in GSettings: /dev/serial/by-id/…, /dev/ttyACM0, /dev/video0 */
  char *label;   /* for people: "Honeywell 1900 (ttyACM0)", "HD Webcam C270 (/dev/video0)" */
} TillDeviceInfo;

TillDeviceInfo *till_device_info_new  (const char     *path,
                                       const char     *label);
void            till_device_info_free (TillDeviceInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillDeviceInfo, till_device_info_free)

/* GPtrArray of TillDeviceInfo (owning). Serial ports: the stable /dev/serial/by-id links
 * first (they survive re-plugging into another port), then /dev/ttyACM* and /dev/ttyUSB*
 * in numeric order. */
GPtrArray *till_device_list_serial_ports    (void);
/* Capture-capable /dev/video* nodes (metadata nodes are left out), numeric order. */
GPtrArray *till_device_list_cameras         (void);

/* The same, under another directory instead of /dev (for tests). */
GPtrArray *till_device_list_serial_ports_in (const char *dev_dir);
GPtrArray *till_device_list_cameras_in      (const char *dev_dir);

/* Asks `path` with VIDIOC_QUERYCAP whether it is a camera that can stream frames; on
 * success `card_name` (optional) gets the driver's card name. */
gboolean   till_device_query_camera         (const char *path,
                                             char      **card_name,
                                             GError    **error);

G_END_DECLS
