/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Baseline for the cold-start benchmark: a bare GTK 4 application with one window and a
 * label. Prints "first-frame-us <N>" (µs since the process started) after its first frame
 * is painted, then quits; the same measurement the app makes with till_first_frame_watch.
 * With TILL_BENCH_BARE_RSS set it also prints "vmrss-kb <N>", its VmRSS then (bench-day). */
#define G_LOG_DOMAIN "till-bench"
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <gtk/gtk.h>

static gint64 process_start_us;

__attribute__ ((constructor)) static void
record_start (void)
{
  process_start_us = g_get_monotonic_time ();
}

static gboolean
quit_cb (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_REMOVE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  GtkWindow *window = user_data;
  gint64 elapsed = g_get_monotonic_time () - process_start_us;

  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, user_data);
  printf ("first-frame-us %" G_GINT64_FORMAT "\n", elapsed);
  /* For bench-day: the resident memory of a bare realized window after its first frame. */
  if (g_getenv ("TILL_BENCH_BARE_RSS") != NULL)
    {
      g_autofree char *status = NULL;
      const char *line;

      if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
          && (line = strstr (status, "\nVmRSS:")) != NULL)
        printf ("vmrss-kb %" G_GINT64_FORMAT "\n", g_ascii_strtoll (line + 7, NULL, 10));
    }
  fflush (stdout);
  g_idle_add (quit_cb, gtk_window_get_application (window));
}

static void
map_cb (GtkWidget *widget,
        gpointer   user_data)
{
  g_signal_handlers_disconnect_by_func (widget, map_cb, user_data);
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                    G_CALLBACK (after_paint_cb), widget);
}

static void
activate_cb (GtkApplication *app,
             gpointer        user_data)
{
  GtkWidget *window = gtk_application_window_new (app);

  gtk_window_set_title (GTK_WINDOW (window), "Bare window");
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 768);
  gtk_window_set_child (GTK_WINDOW (window), gtk_label_new ("Hello, 你好"));
  g_signal_connect (window, "map", G_CALLBACK (map_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) app = NULL;

  /* Registered on the session bus but not unique, as `tillpoint --demo` is. */
  app = gtk_application_new ("io.github.tillpoint.BenchBareWindow", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
