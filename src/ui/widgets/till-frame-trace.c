/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark hook: a line on stdout for every frame a window paints, saying what it shows. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <stdio.h>

#include "till-frame-trace.h"

typedef struct
{
  char                  *name;
  TillFrameTraceDescribe describe;
  GdkFrameClock         *clock;    /* the one connected to, while mapped */
  gint64                 began;    /* the frame's "before-paint" */
} Watch;

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  g_clear_object (&watch->clock);
  g_free (watch->name);
  g_free (watch);
}

static void
before_paint_cb (GdkFrameClock *clock,
                 GtkWindow     *window)
{
  Watch *watch = g_object_get_data (G_OBJECT (window), "till-frame-trace");

  watch->began = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                GtkWindow     *window)
{
  Watch *watch = g_object_get_data (G_OBJECT (window), "till-frame-trace");
  gint64 now = g_get_monotonic_time ();
  g_autofree char *what = watch->describe (window);

  printf ("till-frame %s %" G_GINT64_FORMAT " %s took=%" G_GINT64_FORMAT "\n", watch->name, now,
          what, watch->began > 0 ? now - watch->began : -1);
  fflush (stdout);
}

static void
unmap_cb (GtkWidget *widget,
          Watch     *watch);

static void
map_cb (GtkWidget *widget,
        Watch     *watch)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  if (clock == NULL || clock == watch->clock)
    return;
  if (watch->clock != NULL)
    unmap_cb (widget, watch);
  g_set_object (&watch->clock, clock);
  g_signal_connect_object (clock, "before-paint", G_CALLBACK (before_paint_cb), widget, 0);
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (after_paint_cb), widget, 0);
}

static void
unmap_cb (GtkWidget *widget,
          Watch     *watch)
{
  if (watch->clock == NULL)
    return;
  g_signal_handlers_disconnect_by_func (watch->clock, before_paint_cb, widget);
  g_signal_handlers_disconnect_by_func (watch->clock, after_paint_cb, widget);
  g_clear_object (&watch->clock);
  watch->began = 0;
}

void
till_frame_trace_watch (GtkWindow             *window,
                        const char            *name,
                        TillFrameTraceDescribe describe)
{
  Watch *watch;

  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (name != NULL && describe != NULL);

  if (g_getenv (TILL_FRAME_TRACE_ENV) == NULL)
    return;

  watch = g_new0 (Watch, 1);
  watch->name = g_strdup (name);
  watch->describe = describe;
  g_object_set_data_full (G_OBJECT (window), "till-frame-trace", watch, watch_free);
  g_signal_connect (window, "map", G_CALLBACK (map_cb), watch);
  g_signal_connect (window, "unmap", G_CALLBACK (unmap_cb), watch);
  if (gtk_widget_get_mapped (GTK_WIDGET (window)))
    map_cb (GTK_WIDGET (window), watch);
}

char *
till_frame_trace_describe_sale (TillSale *sale)
{
  if (sale == NULL)
    return g_strdup ("sale=- lines=0 total=0 state=none");
  return g_strdup_printf ("sale=%s lines=%u total=%" G_GINT64_FORMAT " state=%s",
                          till_sale_get_number (sale) != NULL ? till_sale_get_number (sale) : "-",
                          g_list_model_get_n_items (G_LIST_MODEL (sale)),
                          till_sale_get_total_fen (sale),
                          till_sale_state_to_string (till_sale_get_state (sale)));
}

const char *
till_frame_trace_at_bottom (GtkScrolledWindow *scroller)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (scroller);
  double value = gtk_adjustment_get_value (adj);
  double page = gtk_adjustment_get_page_size (adj);
  double upper = gtk_adjustment_get_upper (adj);

  return value + page >= upper - 0.5 ? "1" : "0";
}
