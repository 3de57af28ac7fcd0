/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The camera source and camera listing without a webcam: every way opening can fail
 * must give a cashier-readable error, never a crash or a hang, and release everything. */
#define G_LOG_DOMAIN "test-camera-devices"
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "till-camera-source.h"
#include "till-device-list.h"

static void
test_open_missing (void)
{
  g_autoptr(TillCameraSource) source = till_camera_source_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (till_camera_source_open (source, "/nonexistent/video7", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/video7"));
  g_assert_false (till_camera_source_is_open (source));
  g_assert_null (till_camera_source_get_device (source));
}

static void
test_open_not_a_camera (void)
{
  g_autoptr(TillCameraSource) source = till_camera_source_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (till_camera_source_open (source, "/dev/null", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "not a camera"));
  g_assert_false (till_camera_source_is_open (source));
}

static void
test_open_regular_file (void)
{
  g_autoptr(TillCameraSource) source = till_camera_source_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("till-video-XXXXXX", &path, NULL);

  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_assert_false (till_camera_source_open (source, path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_unlink (path);
}

static void
test_open_first_camera_none (void)
{
  g_autoptr(GPtrArray) cameras = till_device_list_cameras ();
  g_autoptr(TillCameraSource) source = till_camera_source_new ();
  g_autoptr(GError) error = NULL;

  if (cameras->len > 0)
    {
      g_test_skip ("this machine has a camera");
      return;
    }

  g_assert_false (till_camera_source_open (source, "", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "No camera found.");
}

static void
open_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;

  g_assert_false (till_camera_source_open_finish (TILL_CAMERA_SOURCE (object), result, error));
  g_assert_nonnull (*error);
}

static gboolean
flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_open_async_error (void)
{
  g_autoptr(TillCameraSource) source = till_camera_source_new ();
  g_autoptr(GError) error = NULL;
  gboolean timed_out = FALSE;
  guint id;

  till_camera_source_open_async (source, "/dev/null", NULL, open_done_cb, &error);
  id = g_timeout_add (2000, flag_cb, &timed_out);
  while (error == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_false (till_camera_source_is_open (source));
}

static void
test_start_without_open (void)
{
  g_autoptr(TillCameraSource) source = till_camera_source_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (till_camera_source_start (source, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
  g_assert_false (till_camera_source_is_running (source));

  /* Stopping and closing what never ran is harmless, and repeatable. */
  till_camera_source_stop (source);
  till_camera_source_close (source);
  till_camera_source_close (source);
  g_assert_finalize_object (g_steal_pointer (&source));
}

static void
test_list_cameras_in_dir (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("till-video-XXXXXX", &error);
  g_autofree char *file = g_build_filename (dir, "video0", NULL);
  g_autofree char *null_link = g_build_filename (dir, "video1", NULL);
  g_autoptr(GPtrArray) cameras = NULL;

  g_assert_no_error (error);
  g_file_set_contents (file, "", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (symlink ("/dev/null", null_link), ==, 0);

  /* Nodes that answer nothing, or no VIDIOC_QUERYCAP, are not cameras. */
  cameras = till_device_list_cameras_in (dir);
  g_assert_cmpuint (cameras->len, ==, 0);

  g_unlink (file);
  g_unlink (null_link);
  g_rmdir (dir);
}

static void
test_query_camera_errors (void)
{
  g_autoptr(GError) error = NULL;
  char *card = NULL;

  g_assert_false (till_device_query_camera ("/dev/null", &card, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_null (card);
  g_clear_error (&error);

  g_assert_false (till_device_query_camera ("/nonexistent/video0", &card, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (card);
}

static void
test_list_cameras_real (void)
{
  g_autoptr(GPtrArray) cameras = till_device_list_cameras ();

  for (guint i = 0; i < cameras->len; i++)
    {
      TillDeviceInfo *info = g_ptr_array_index (cameras, i);

      g_assert_true (g_str_has_prefix (info->path, "/dev/video"));
      g_assert_nonnull (strstr (info->label, info->path));
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/camera-source/open/missing", test_open_missing);
  g_test_add_func ("/camera-source/open/not-a-camera", test_open_not_a_camera);
  g_test_add_func ("/camera-source/open/regular-file", test_open_regular_file);
  g_test_add_func ("/camera-source/open/first-camera-none", test_open_first_camera_none);
  g_test_add_func ("/camera-source/open/async-error", test_open_async_error);
  g_test_add_func ("/camera-source/start-without-open", test_start_without_open);
  g_test_add_func ("/camera-devices/list-in-dir", test_list_cameras_in_dir);
  g_test_add_func ("/camera-devices/query-errors", test_query_camera_errors);
  g_test_add_func ("/camera-devices/real-dev", test_list_cameras_real);

  return g_test_run ();
}
