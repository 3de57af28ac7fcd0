/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark hook: reports the time to a window's first drawn frame, then quits. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TILL_FIRST_FRAME_ENV "TILLPOINT_BENCH_FIRST_FRAME"

/* Does nothing unless the environment variable TILLPOINT_BENCH_FIRST_FRAME is set. When it
 * is, after the first frame of `window` has been painted it prints
 * "first-frame-us <N>\n" on stdout (N: microseconds since the process started, measured
 * from a constructor that runs before main()), flushes, and quits the window's
 * GApplication (or exits when it has none). Call it once, on the first main window,
 * before or after it is shown. Used by tests/bench/bench-cold-start. */
void till_first_frame_watch (GtkWindow *window);

G_END_DECLS
