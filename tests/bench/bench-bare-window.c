/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Baseline for the cold-start benchmark: a bare GTK 4 application with one window and a
 * label. Prints "first-frame-us <N>" (µs since the process started) after its first frame
 * is painted, then quits; the same measurement the app makes with till_first_frame_watch.
 * With TILL_BENCH_BARE_RSS set it also prints "vmrss-kb <N>", its VmRSS then (bench-day).
 *
 * With --trace (bench-scan-to-pixels) it stays open instead: an entry over a label, and a
 * loopback TCP port (printed as "bare-port <N>"). Enter in the entry counts a line and shows
 * it, a line of text arriving on the port counts a message and shows it; after every painted
 * frame it prints "till-frame bare <T> lines=<N> msgs=<M>" (T: g_get_monotonic_time ()), the
 * same trace as tillpoint's with TILLPOINT_BENCH_FRAME_TRACE (src/ui/widgets/till-frame-trace.h). */
#define G_LOG_DOMAIN "till-bench"
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <gtk/gtk.h>

static gint64 process_start_us;

/* --trace */
static GtkLabel *trace_label;
static guint trace_lines;
static guint trace_msgs;

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

/* ---- --trace ---- */

static void
trace_after_paint_cb (GdkFrameClock *clock,
                      gpointer       user_data)
{
  printf ("till-frame bare %" G_GINT64_FORMAT " lines=%u msgs=%u\n", g_get_monotonic_time (),
          trace_lines, trace_msgs);
  fflush (stdout);
}

static void
trace_map_cb (GtkWidget *widget,
              gpointer   user_data)
{
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                    G_CALLBACK (trace_after_paint_cb), NULL);
}

static void
trace_entry_activate_cb (GtkEntry *entry,
                         gpointer  user_data)
{
  g_autofree char *text = g_strdup_printf ("%u: %s", ++trace_lines,
                                           gtk_editable_get_text (GTK_EDITABLE (entry)));

  gtk_label_set_text (trace_label, text);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
trace_read_line_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GDataInputStream *in = G_DATA_INPUT_STREAM (object);
  g_autofree char *line = g_data_input_stream_read_line_finish (in, result, NULL, NULL);
  g_autofree char *text = NULL;

  if (line == NULL)
    {
      g_object_unref (in);
      return;
    }
  text = g_strdup_printf ("%u: %s", ++trace_msgs, line);
  gtk_label_set_text (trace_label, text);
  g_data_input_stream_read_line_async (in, G_PRIORITY_DEFAULT, NULL, trace_read_line_cb, NULL);
}

static gboolean
trace_incoming_cb (GSocketService    *service,
                   GSocketConnection *connection,
                   GObject           *source,
                   gpointer           user_data)
{
  GDataInputStream *in =
    g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));

  /* The stream keeps the connection's input; the connection lives as long as it reads. */
  g_object_set_data_full (G_OBJECT (in), "connection", g_object_ref (connection), g_object_unref);
  g_data_input_stream_read_line_async (in, G_PRIORITY_DEFAULT, NULL, trace_read_line_cb, NULL);
  return TRUE;
}

static void
trace_activate_cb (GtkApplication *app,
                   gpointer        user_data)
{
  GtkWidget *window = gtk_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *entry = gtk_entry_new ();
  GSocketService *service = g_socket_service_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                      &bound, &error))
    g_error ("bare window: cannot listen on 127.0.0.1: %s", error->message);
  g_signal_connect (service, "incoming", G_CALLBACK (trace_incoming_cb), NULL);
  g_object_set_data_full (G_OBJECT (window), "service", service, g_object_unref);

  trace_label = GTK_LABEL (gtk_label_new ("0"));
  g_signal_connect (entry, "activate", G_CALLBACK (trace_entry_activate_cb), NULL);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (trace_label));
  gtk_window_set_title (GTK_WINDOW (window), "Bare window");
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 768);
  gtk_window_set_child (GTK_WINDOW (window), box);
  g_signal_connect (window, "map", G_CALLBACK (trace_map_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_grab_focus (entry);

  printf ("bare-port %u\n",
          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  fflush (stdout);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) app = NULL;
  gboolean trace = argc > 1 && strcmp (argv[1], "--trace") == 0;

  /* Registered on the session bus but not unique, as `tillpoint --demo` is. */
  app = gtk_application_new ("io.github.tillpoint.BenchBareWindow", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (trace ? trace_activate_cb : activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), trace ? 1 : argc, argv);
}
