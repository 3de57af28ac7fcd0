/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCameraPreview in a real window (suite gui, under Xvfb): the no-camera message,
 * frames shown as textures with the last code, and the camera released on close. */
#define G_LOG_DOMAIN "test-camera-preview"
#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "till-camera-preview.h"
#include "till-code-image.h"
#include "till-device-list.h"

static gboolean
flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_for_message (TillCameraPreview *preview)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (2000, flag_cb, &timed_out);

  while (till_camera_preview_get_message (preview) == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);

  return till_camera_preview_get_message (preview) != NULL;
}

static void
destroy_and_wait (TillCameraPreview *preview)
{
  g_object_add_weak_pointer (G_OBJECT (preview), (gpointer *) &preview);
  gtk_window_destroy (GTK_WINDOW (preview));
  while (preview != NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
check_message (const char *device,
               const char *expected)
{
  g_autoptr(TillScannerHub) hub = till_scanner_hub_new ();
  TillCameraPreview *preview = till_camera_preview_new (NULL, hub, device);

  gtk_window_present (GTK_WINDOW (preview));
  g_assert_true (wait_for_message (preview));
  g_assert_nonnull (strstr (till_camera_preview_get_message (preview), expected));
  g_assert_false (till_camera_source_is_open (till_camera_preview_get_source (preview)));
  g_assert_null (till_camera_preview_get_last_code (preview));

  destroy_and_wait (preview);
}

static void
test_missing_camera (void)
{
  check_message ("/nonexistent/video9", "No camera found");
}

static void
test_not_a_camera (void)
{
  check_message ("/dev/null", "cannot be opened");
}

static void
test_first_camera_none (void)
{
  g_autoptr(GPtrArray) cameras = till_device_list_cameras ();

  if (cameras->len > 0)
    {
      g_test_skip ("this machine has a camera");
      return;
    }
  check_message ("", "No camera found");
}

static void
test_shows_frames (void)
{
  g_autoptr(TillScannerHub) hub = till_scanner_hub_new ();
  g_autoptr(TillCodeImage) qr = till_code_image_render_qr ("134567890123456789", 4, NULL);
  g_autoptr(TillCameraFrame) plain = NULL;
  g_autoptr(TillCameraFrame) with_code = NULL;
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  TillCameraPreview *preview = till_camera_preview_new (NULL, hub, "/nonexistent/video9");
  GtkWidget *picture;
  GdkPaintable *paintable;

  gtk_window_present (GTK_WINDOW (preview));
  g_assert_true (wait_for_message (preview));

  plain = till_camera_frame_new_from_gray (qr->pixels, qr->width, qr->height, qr->stride);
  till_camera_preview_show_frame (preview, plain);
  /* A picture replaces the message, and no code is claimed. */
  g_assert_null (till_camera_preview_get_message (preview));
  g_assert_null (till_camera_preview_get_last_code (preview));

  with_code = till_camera_frame_new_from_gray (qr->pixels, qr->width, qr->height, qr->stride);
  g_ptr_array_add (codes, (gpointer) "6901028075763");
  g_ptr_array_add (codes, (gpointer) "134567890123456789");
  till_camera_frame_set_codes (with_code, codes);
  till_camera_preview_show_frame (preview, with_code);
  g_assert_cmpstr (till_camera_preview_get_last_code (preview), ==, "134567890123456789");

  /* The picture shows a texture of the frame's size. */
  picture = gtk_widget_get_first_child (GTK_WIDGET (preview));
  for (; picture != NULL && !GTK_IS_PICTURE (picture); )
    {
      GtkWidget *next = gtk_widget_get_first_child (picture);

      while (next == NULL && picture != NULL)
        {
          next = gtk_widget_get_next_sibling (picture);
          if (next == NULL)
            picture = gtk_widget_get_parent (picture);
        }
      picture = next;
    }
  g_assert_true (GTK_IS_PICTURE (picture));
  paintable = gtk_picture_get_paintable (GTK_PICTURE (picture));
  g_assert_true (GDK_IS_TEXTURE (paintable));
  g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (paintable)), ==, (int) qr->width);
  g_assert_cmpint (gdk_texture_get_height (GDK_TEXTURE (paintable)), ==, (int) qr->height);

  /* Let it draw once. */
  for (int i = 0; i < 5; i++)
    g_main_context_iteration (NULL, FALSE);

  destroy_and_wait (preview);
}

static void
test_close_releases (void)
{
  g_autoptr(TillScannerHub) hub = till_scanner_hub_new ();
  TillCameraPreview *preview = till_camera_preview_new (NULL, hub, "/dev/null");
  g_autoptr(TillCameraSource) source = NULL;

  source = g_object_ref (till_camera_preview_get_source (preview));
  gtk_window_present (GTK_WINDOW (preview));
  /* Close at once, while the camera may still be opening. */
  gtk_window_close (GTK_WINDOW (preview));
  g_assert_false (till_camera_source_is_running (source));
  g_assert_false (till_camera_source_is_open (source));

  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (till_camera_source_is_open (source));
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/camera-preview/missing-camera", test_missing_camera);
  g_test_add_func ("/camera-preview/not-a-camera", test_not_a_camera);
  g_test_add_func ("/camera-preview/first-camera-none", test_first_camera_none);
  g_test_add_func ("/camera-preview/shows-frames", test_shows_frames);
  g_test_add_func ("/camera-preview/close-releases", test_close_releases);

  return g_test_run ();
}
