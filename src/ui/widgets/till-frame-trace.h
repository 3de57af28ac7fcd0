/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark hook: a line on stdout for every frame a window paints, saying what it shows. */
#pragma once

#include <gtk/gtk.h>

#include "till-sale.h"

G_BEGIN_DECLS

#define TILL_FRAME_TRACE_ENV "TILLPOINT_BENCH_FRAME_TRACE"

/* What `window` shows now, one line of key=value words (no newline); g_free. */
typedef char *(*TillFrameTraceDescribe) (GtkWindow *window);

/* Does nothing unless the environment variable TILLPOINT_BENCH_FRAME_TRACE is set (only the
 * benchmarks set it; without it nothing is connected, so it costs nothing). When it is set,
 * after every frame of `window` has been painted ("after-paint" of its frame clock) it
 * prints on stdout and flushes
 *   "till-frame NAME T DESCRIPTION took=D\n"
 * NAME the given one ("cashier", "display"), T g_get_monotonic_time () (CLOCK_MONOTONIC, in
 * microseconds) at that moment, DESCRIPTION what `describe` returns, D the microseconds
 * since the frame's "before-paint" (its update, layout and paint). The watch follows the
 * window's frame clock across unmap and map. Used by tests/bench/bench-scan-to-pixels. */
void  till_frame_trace_watch          (GtkWindow             *window,
                                       const char            *name,
                                       TillFrameTraceDescribe describe);

/* The words for a sale on show (NULL: none): "sale=N lines=N total=FEN state=S". */
char *till_frame_trace_describe_sale  (TillSale              *sale);

/* Whether the scrolled window shows its bottom (or needs no scrolling): "1" or "0". */
const char *till_frame_trace_at_bottom (GtkScrolledWindow    *scroller);

G_END_DECLS
