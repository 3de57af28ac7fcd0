/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Start-up trace: timed marks of the start sequence, the first frames and "ready to scan". */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TILL_START_TRACE_ENV "TILLPOINT_START_TRACE"

/* All of these do nothing unless the environment variable TILLPOINT_START_TRACE is set.
 * When it is, each prints one line "start-mark <what> <N>" on stdout and flushes (N:
 * microseconds since the process started, from a constructor that runs before main()).
 * Used by tests/bench/bench-shop-start and by a person asking where a start's time goes;
 * unlike till_first_frame_watch() nothing here quits the program. */
gboolean till_start_trace_enabled     (void);
void     till_start_trace_mark        (const char *what);
/* Marks `what` once, after the first frame of `window` has been painted. */
void     till_start_trace_first_frame (GtkWindow  *window,
                                       const char *what);

G_END_DECLS
