/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark helpers: a monotonic nanosecond clock and summary statistics of timings. */
#pragma once

#include <math.h>
#include <time.h>
#include <glib.h>

G_BEGIN_DECLS

static inline gint64
till_bench_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline int
till_bench_compare_gint64 (gconstpointer a,
                           gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

typedef struct
{
  guint  n;
  double mean, median, p99, min, max;  /* in the unit of the samples */
} TillBenchStats;

/* Summary of an array of gint64 samples (left unchanged). The median of an even count is
 * the mean of the two middle samples; p99 is the nearest-rank 99th percentile. */
static inline TillBenchStats
till_bench_stats (GArray *samples)
{
  TillBenchStats s = { 0 };
  g_autoptr(GArray) sorted = NULL;
  double sum = 0;
  guint n = samples->len;

  s.n = n;
  if (n == 0)
    return s;
  sorted = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  g_array_append_vals (sorted, samples->data, n);
  g_array_sort (sorted, till_bench_compare_gint64);
  for (guint i = 0; i < n; i++)
    sum += (double) g_array_index (sorted, gint64, i);
  s.mean = sum / n;
  if (n % 2 == 1)
    s.median = (double) g_array_index (sorted, gint64, n / 2);
  else
    s.median = (g_array_index (sorted, gint64, n / 2 - 1)
                + g_array_index (sorted, gint64, n / 2)) / 2.0;
  s.p99 = (double) g_array_index (sorted, gint64, MIN (n - 1, (guint) ceil (n * 0.99) - 1));
  s.min = (double) g_array_index (sorted, gint64, 0);
  s.max = (double) g_array_index (sorted, gint64, n - 1);
  return s;
}

/* A labelled series of timings in nanoseconds. */
typedef struct
{
  const char *label;
  GArray     *ns;   /* gint64 per sample */
} TillBenchTiming;

static inline TillBenchTiming *
till_bench_timing_new (const char *label)
{
  TillBenchTiming *t = g_new0 (TillBenchTiming, 1);

  t->label = label;
  t->ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  return t;
}

static inline void
till_bench_timing_add (TillBenchTiming *t,
                       gint64           ns)
{
  g_array_append_val (t->ns, ns);
}

/* Prints "  LABEL  median … ms  p99 … ms  mean … ms  max … ms  (n=…)", the label padded to
 * `width` columns, and returns the statistics (in ns). */
static inline TillBenchStats
till_bench_timing_print_ms (TillBenchTiming *t,
                            int              width)
{
  TillBenchStats s = till_bench_stats (t->ns);

  g_print ("  %-*s median %8.3f ms  p99 %8.3f ms  mean %8.3f ms  max %8.3f ms  (n=%u)\n",
           width, t->label, s.median / 1e6, s.p99 / 1e6, s.mean / 1e6, s.max / 1e6, s.n);
  return s;
}

G_END_DECLS
