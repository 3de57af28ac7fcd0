/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Start-up trace: timed marks of the start sequence, the first frames and "ready to scan". */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <stdio.h>

#include "till-start-trace.h"

static gint64 trace_start_us;

/* Runs when the executable is loaded, before main(): the start of the measured time. */
__attribute__ ((constructor)) static void
till_start_trace_record_start (void)
{
  trace_start_us = g_get_monotonic_time ();
}

gboolean
till_start_trace_enabled (void)
{
  static int enabled = -1;

  if (enabled < 0)
    enabled = g_getenv (TILL_START_TRACE_ENV) != NULL;
  return enabled;
}

void
till_start_trace_mark (const char *what)
{
  g_return_if_fail (what != NULL);

  if (!till_start_trace_enabled ())
    return;
  printf ("start-mark %s %" G_GINT64_FORMAT "\n", what, g_get_monotonic_time () - trace_start_us);
  fflush (stdout);
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  g_autofree char *what = user_data;

  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, user_data);
  till_start_trace_mark (what);
}

static void
map_cb (GtkWidget *widget,
        gpointer   user_data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_signal_handlers_disconnect_by_func (widget, map_cb, user_data);
  if (clock == NULL)
    {
      g_free (user_data);
      return;
    }
  /* The string goes with the one paint it marks. */
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), user_data);
}

void
till_start_trace_first_frame (GtkWindow  *window,
                              const char *what)
{
  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (what != NULL);

  if (!till_start_trace_enabled ())
    return;
  if (gtk_widget_get_mapped (GTK_WIDGET (window)))
    {
      map_cb (GTK_WIDGET (window), g_strdup (what));
      gtk_widget_queue_draw (GTK_WIDGET (window));
    }
  else
    g_signal_connect (window, "map", G_CALLBACK (map_cb), g_strdup (what));
}
