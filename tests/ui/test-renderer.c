/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The renderer choice (till-renderer.h) on a real X display: the GL context's own
 * GL_RENDERER decides, a realized window gets the renderer chosen, and GSK_RENDERER stands. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <gtk/gtk.h>

#include "till-renderer.h"

static gboolean
idle_quit_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The renderer GTK gave a window realized on `display`, by its type name. */
static char *
realized_renderer_name (GdkDisplay *display)
{
  GtkWidget *window = gtk_window_new ();
  GskRenderer *renderer;
  char *name;
  gboolean done = FALSE;

  gtk_window_set_display (GTK_WINDOW (window), display);
  gtk_window_set_child (GTK_WINDOW (window), gtk_label_new ("¥12.50"));
  gtk_widget_realize (window);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  g_assert_nonnull (renderer);
  name = g_strdup (G_OBJECT_TYPE_NAME (renderer));
  g_idle_add (idle_quit_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  gtk_window_destroy (GTK_WINDOW (window));
  return name;
}

static void
test_renderer_auto (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autofree char *gl_renderer = NULL;
  g_autofree char *realized = NULL;
  TillRendererChoice choice;

  g_assert_nonnull (display);
  choice = till_renderer_choose (display, &gl_renderer);
  g_test_message ("GL_RENDERER: %s", gl_renderer);
  g_assert_nonnull (gl_renderer);
  realized = realized_renderer_name (display);
  g_test_message ("the window's renderer: %s", realized);

  if (g_str_has_prefix (gl_renderer, "none: "))
    {
      /* No GL: left to GTK, which draws with cairo. */
      g_assert_cmpint (choice, ==, TILL_RENDERER_GTK_DEFAULT);
      g_assert_null (g_object_get_data (G_OBJECT (display), "gsk-renderer"));
      g_assert_cmpstr (realized, ==, "GskCairoRenderer");
    }
  else if (till_renderer_is_software (gl_renderer))
    {
      g_assert_cmpint (choice, ==, TILL_RENDERER_CAIRO);
      g_assert_cmpstr (g_object_get_data (G_OBJECT (display), "gsk-renderer"), ==, "cairo");
      g_assert_cmpstr (realized, ==, "GskCairoRenderer");
    }
  else
    {
      /* A GPU: GTK's GL renderer, untouched. */
      g_assert_cmpint (choice, ==, TILL_RENDERER_GTK_DEFAULT);
      g_assert_null (g_object_get_data (G_OBJECT (display), "gsk-renderer"));
      g_assert_cmpstr (realized, !=, "GskCairoRenderer");
    }
}

/* The person's GSK_RENDERER stands: nothing is probed or set, on a display of its own. */
static void
test_renderer_env_stands (void)
{
  GdkDisplay *display = gdk_display_open (NULL); /* the display manager's */
  g_autofree char *gl_renderer = g_strdup ("untouched");

  g_assert_nonnull (display);
  g_setenv ("GSK_RENDERER", "gl", TRUE);
  g_assert_cmpint (till_renderer_choose (display, &gl_renderer), ==, TILL_RENDERER_USER);
  g_assert_null (gl_renderer);
  g_assert_null (g_object_get_data (G_OBJECT (display), "gsk-renderer"));
  g_unsetenv ("GSK_RENDERER");
  gdk_display_close (display);
}

int
main (int   argc,
      char *argv[])
{
  /* The choice is made with GSK_RENDERER unset; the second case sets it itself. */
  g_unsetenv ("GSK_RENDERER");
  g_test_init (&argc, &argv, NULL);
  gtk_init ();

  g_test_add_func ("/ui/renderer/auto", test_renderer_auto);
  g_test_add_func ("/ui/renderer/env-stands", test_renderer_env_stands);

  return g_test_run ();
}
