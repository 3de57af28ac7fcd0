/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Serial port and V4L2 camera discovery for the preferences' device pickers. */
#define G_LOG_DOMAIN "till-scan"
#include "config.h"

#include "till-device-list.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <linux/videodev2.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

TillDeviceInfo *
till_device_info_new (const char *path,
                      const char *label)
{
  TillDeviceInfo *info;

  g_return_val_if_fail (path != NULL, NULL);

  info = g_new0 (TillDeviceInfo, 1);
  info->path = g_strdup (path);
  info->label = g_strdup (label != NULL ? label : path);

  return info;
}

void
till_device_info_free (TillDeviceInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->path);
  g_free (info->label);
  g_free (info);
}

/* Orders "ttyACM2" before "ttyACM10". */
static int
compare_natural (gconstpointer a,
                 gconstpointer b)
{
  const char *sa = *(const char *const *) a;
  const char *sb = *(const char *const *) b;
  g_autofree char *ka = g_utf8_collate_key_for_filename (sa, -1);
  g_autofree char *kb = g_utf8_collate_key_for_filename (sb, -1);

  return strcmp (ka, kb);
}

/* Names in `dir` starting with one of `prefixes` followed by digits only (or anything,
 * when `digits_only` is FALSE), sorted naturally. */
static GPtrArray *
list_names (const char         *dir,
            const char *const  *prefixes,
            gboolean            digits_only)
{
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  d = g_dir_open (dir, 0, &error);
  if (d == NULL)
    {
      g_debug ("Cannot list %s: %s", dir, error->message);
      return names;
    }

  while ((name = g_dir_read_name (d)) != NULL)
    for (const char *const *p = prefixes; *p; p++)
      if (g_str_has_prefix (name, *p))
        {
          const char *rest = name + strlen (*p);
          gboolean ok = !digits_only || *rest != '\0';

          for (const char *c = rest; ok && digits_only && *c; c++)
            ok = g_ascii_isdigit (*c);
          if (ok)
            g_ptr_array_add (names, g_strdup (name));
          break;
        }

  g_ptr_array_sort (names, compare_natural);

  return names;
}

/* The product string the USB device reports, from sysfs (only for the real /dev). */
static char *
usb_product_for_tty (const char *tty_name)
{
  static const char *const candidates[] = {
    "device/../product",     /* CDC-ACM: the interface's parent */
    "device/../../product",  /* usb-serial: one level further */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *path = g_build_filename ("/sys/class/tty", tty_name, candidates[i],
                                                NULL);
      char *contents = NULL;

      if (g_file_get_contents (path, &contents, NULL, NULL))
        {
          g_strstrip (contents);
          if (*contents != '\0' && g_utf8_validate (contents, -1, NULL))
            return contents;
          g_free (contents);
        }
    }

  return NULL;
}

GPtrArray *
till_device_list_serial_ports_in (const char *dev_dir)
{
  static const char *const tty_prefixes[] = { "ttyACM", "ttyUSB", NULL };
  static const char *const any_prefix[] = { "", NULL };
  GPtrArray *devices = g_ptr_array_new_with_free_func ((GDestroyNotify) till_device_info_free);
  g_autofree char *by_id_dir = NULL;
  g_autoptr(GPtrArray) by_id = NULL;
  g_autoptr(GPtrArray) ttys = NULL;
  gboolean real_dev;

  g_return_val_if_fail (dev_dir != NULL, NULL);

  real_dev = g_strcmp0 (dev_dir, "/dev") == 0;
  by_id_dir = g_build_filename (dev_dir, "serial", "by-id", NULL);
  by_id = list_names (by_id_dir, any_prefix, FALSE);

  for (guint i = 0; i < by_id->len; i++)
    {
      const char *name = g_ptr_array_index (by_id, i);
      g_autofree char *path = g_build_filename (by_id_dir, name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);
      g_autofree char *label = NULL;

      /* by-id entries are symlinks to ../../ttyACM0 and the like: show both names. */
      if (target != NULL)
        {
          g_autofree char *target_base = g_path_get_basename (target);
          label = g_strdup_printf ("%s (%s)", name, target_base);
        }
      g_ptr_array_add (devices, till_device_info_new (path, label != NULL ? label : name));
    }

  ttys = list_names (dev_dir, tty_prefixes, TRUE);
  for (guint i = 0; i < ttys->len; i++)
    {
      const char *name = g_ptr_array_index (ttys, i);
      g_autofree char *path = g_build_filename (dev_dir, name, NULL);
      g_autofree char *product = real_dev ? usb_product_for_tty (name) : NULL;
      g_autofree char *label = product != NULL
                               ? g_strdup_printf ("%s (%s)", product, path)
                               : g_strdup (path);

      g_ptr_array_add (devices, till_device_info_new (path, label));
    }

  return devices;
}

GPtrArray *
till_device_list_serial_ports (void)
{
  return till_device_list_serial_ports_in ("/dev");
}

gboolean
till_device_query_camera (const char *path,
                          char      **card_name,
                          GError    **error)
{
  struct v4l2_capability cap;
  guint32 caps;
  int fd;
  int saved_errno;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Non-blocking: querying must never wait on a busy or slow device. */
  fd = open (path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    {
      saved_errno = errno;
      if (saved_errno == EACCES || saved_errno == EPERM)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                     _("Tillpoint may not use the camera at %s. "
                       "Ask for your account to be added to the “video” group."), path);
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     _("Cannot open the camera at %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  memset (&cap, 0, sizeof cap);
  if (ioctl (fd, VIDIOC_QUERYCAP, &cap) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_debug ("VIDIOC_QUERYCAP(%s): %s", path, g_strerror (saved_errno));
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s is not a camera."), path);
      return FALSE;
    }
  close (fd);

  caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
  if (!(caps & V4L2_CAP_VIDEO_CAPTURE) || !(caps & V4L2_CAP_STREAMING))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s is not a camera that can stream pictures."), path);
      return FALSE;
    }

  if (card_name != NULL)
    {
      g_autofree char *card = g_strndup ((const char *) cap.card, sizeof cap.card);

      *card_name = g_utf8_make_valid (card, -1);
    }

  return TRUE;
}

GPtrArray *
till_device_list_cameras_in (const char *dev_dir)
{
  static const char *const video_prefix[] = { "video", NULL };
  GPtrArray *devices = g_ptr_array_new_with_free_func ((GDestroyNotify) till_device_info_free);
  g_autoptr(GPtrArray) names = NULL;

  g_return_val_if_fail (dev_dir != NULL, NULL);

  names = list_names (dev_dir, video_prefix, TRUE);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dev_dir, g_ptr_array_index (names, i), NULL);
      g_autofree char *card = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *label = NULL;

      if (!till_device_query_camera (path, &card, &error))
        {
          g_debug ("Skipping %s: %s", path, error->message);
          continue;
        }

      label = g_strdup_printf ("%s (%s)", card, path);
      g_ptr_array_add (devices, till_device_info_new (path, label));
    }

  return devices;
}

GPtrArray *
till_device_list_cameras (void)
{
  return till_device_list_cameras_in ("/dev");
}
