/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark hook: reports the time to a window's first drawn frame, then quits. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "till-first-frame.h"

static gint64 process_start_us;

/* Runs when the executable is loaded, before main(): the start of the measured time. */
__attribute__ ((constructor)) static void
till_first_frame_record_start (void)
{
  process_start_us = g_get_monotonic_time ();
}

static gboolean
quit_cb (gpointer user_data)
{
  GtkWindow *window = user_data;
  GtkApplication *app = gtk_window_get_application (window);

  if (app != NULL)
    g_application_quit (G_APPLICATION (app));
  else
    exit (EXIT_SUCCESS);
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
  fflush (stdout);
  g_idle_add_full (G_PRIORITY_DEFAULT, quit_cb, g_object_ref (window), g_object_unref);
}

static void
map_cb (GtkWidget *widget,
        gpointer   user_data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_signal_handlers_disconnect_by_func (widget, map_cb, user_data);
  if (clock == NULL)
    {
      g_warning ("First-frame watch: the mapped window has no frame clock");
      return;
    }
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), widget);
}

void
till_first_frame_watch (GtkWindow *window)
{
  g_return_if_fail (GTK_IS_WINDOW (window));

  if (g_getenv (TILL_FIRST_FRAME_ENV) == NULL)
    return;

  if (gtk_widget_get_mapped (GTK_WIDGET (window)))
    {
      map_cb (GTK_WIDGET (window), NULL);
      gtk_widget_queue_draw (GTK_WIDGET (window));
    }
  else
    g_signal_connect (window, "map", G_CALLBACK (map_cb), NULL);
}
