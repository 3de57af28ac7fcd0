/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: a day at the till (issue 20 item 5). 10,000 sales through TillCheckout on a
 * shop-sized catalog, paid alternately in cash and by payment code (WeChat Pay and Alipay
 * in turn) against the loopback simulator; the resident memory and the heap at the start,
 * after the warm-up and at the end, bytes per sale after the warm-up, sales per second;
 * beside, in the same run, a bare GTK 4 window's resident memory (a child process). */
#define G_LOG_DOMAIN "till-bench"
#include "config.h"

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "till-bench-stats.h"
#include "till-bench-till.h"
#include "till-core.h"
#include "till-bench-shop.h"
#include "till-store.h"
#include "till-store-private.h"

/* Usage: bench-day CACHE-DIR BARE-WINDOW [N-SALES [WARM-SALES]]
 *
 * The shop database (till-bench-shop.h: 1,000,000 products, a year of sales, made once) is
 * cached in CACHE-DIR; each run works on a fresh copy of it beside the cache. Every sale is
 * LINES_PER_SALE scans of random existing products (each until its "line-added"), then the
 * payment until "sale-paid" and the checkout idle: even sales in cash, odd ones by a
 * payment code, WeChat Pay and Alipay in turn (the simulator's plain-success ending 0000;
 * a sale stays below ¥1,000, so no password). BARE-WINDOW is bench-bare-window, run with
 * TILL_BENCH_BARE_RSS=1 under the display (none: said so, not measured). */

#define LINES_PER_SALE 3
#define PROG "bench-day"

typedef struct
{
  gint64 rss_kb;
  gint64 heap_used;  /* mallinfo2: bytes in use, arenas and mmapped blocks */
  gint64 heap_total; /* mallinfo2: bytes obtained from the system */
  guint sales;
  gint64 at_ns;
} Snapshot;

static Snapshot
snapshot (guint sales)
{
  struct mallinfo2 mi = mallinfo2 ();
  Snapshot s;

  s.rss_kb = till_bench_vmrss_kb ();
  s.heap_used = (gint64)(mi.uordblks + mi.hblkhd);
  s.heap_total = (gint64)(mi.arena + mi.hblkhd);
  s.sales = sales;
  s.at_ns = till_bench_now_ns ();
  return s;
}

static void
print_snapshot (const char *label, Snapshot *s)
{
  g_print ("  %-22s VmRSS %8.1f MiB   heap in use %8.1f MiB   heap from the system %8.1f MiB\n",
           label, s->rss_kb / 1024.0, s->heap_used / 1048576.0, s->heap_total / 1048576.0);
}

/* The bare GTK 4 window's VmRSS (kB) after its first frame, or -1 with the reason. */
static gint64
bare_window_rss_kb (const char *bare_window, char **why)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) child = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *line;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      *why = g_strdup ("no display: not measured");
      return -1;
    }
  launcher
      = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "TILL_BENCH_BARE_RSS", "1", TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, bare_window, NULL);
  if (child == NULL || !g_subprocess_communicate_utf8 (child, NULL, NULL, &out, &err, &error))
    {
      *why = g_strdup_printf ("could not run it: %s", error->message);
      return -1;
    }
  line = out != NULL ? strstr (out, "vmrss-kb ") : NULL;
  if (line == NULL)
    {
      *why = g_strdup_printf ("it printed no vmrss-kb line (stderr: %.200s)", err ? err : "");
      return -1;
    }
  return g_ascii_strtoll (line + strlen ("vmrss-kb "), NULL, 10);
}

static guint paid_target;

static gboolean
sale_paid_cond (TillBenchTill *till)
{
  return till->sales_paid >= paid_target;
}

static void
one_sale (TillBenchTill *till, char **codes, guint n_codes, guint *next_code, guint sale)
{
  g_autoptr (GError) error = NULL;
  gint64 due;

  for (guint l = 0; l < LINES_PER_SALE; l++)
    {
      till_bench_till_scan (till, codes[*next_code]);
      *next_code = (*next_code + 1) % n_codes;
    }
  till_bench_till_settle (till);
  paid_target = till->sales_paid + 1;
  due = till_checkout_get_due_fen (till->checkout);
  if (sale % 2 == 0)
    {
      if (!till_checkout_pay_cash (till->checkout, due, (due / 1000 + 1) * 1000, &error))
        till_bench_die_on_error (PROG, error, "paying in cash");
    }
  else
    {
      g_autofree char *code = (sale % 4 == 1) ? till_test_paysim_auth_code ("0000")
                                              : till_test_paysim_alipay_auth_code ("0000");

      till_checkout_enter_code (till->checkout, code);
    }
  till_bench_till_wait (till, sale_paid_cond, 30000, "the sale to be paid");
  till_bench_till_settle (till);
}

static guint
arg_or (int argc, char **argv, int index, const char *env, guint fallback)
{
  const char *text = g_getenv (env);

  if (text == NULL && argc > index)
    text = argv[index];
  if (text == NULL)
    return fallback;
  return (guint)CLAMP (g_ascii_strtoull (text, NULL, 10), 1, 100000000);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TillTestPaysim) sim = NULL;
  g_autofree char *catalog = NULL;
  g_autofree char *work_dir = NULL;
  g_autofree char *work_db = NULL;
  g_autofree char *bare_why = NULL;
  const char *const sim_args[] = { "--password-delay-ms", "3000", NULL };
  TillBenchTill *till;
  guint n_sales, n_products, n_warm, next_code = 0, n_codes;
  char **codes;
  GRand *rand;
  Snapshot start, warm, end;
  gint64 bare_kb;

  if (argc < 3)
    {
      g_printerr ("Usage: %s CACHE-DIR BARE-WINDOW [N-SALES [WARM-SALES]]\n", argv[0]);
      return 2;
    }
  till_bench_quiet_logs ();
  n_sales = arg_or (argc, argv, 3, "TILL_BENCH_SALES", 10000);
  n_products = TILL_BENCH_SHOP_PRODUCTS;
  n_warm = MIN (arg_or (argc, argv, 4, "TILL_BENCH_WARM", 1000), n_sales - 1);
  catalog = till_bench_shop_ensure (PROG, argv[1]);
  work_dir = g_build_filename (argv[1], "day-work", NULL);
  work_db = till_bench_shop_copy (PROG, catalog, work_dir);

  sim = till_test_paysim_start (sim_args, &error);
  till_bench_die_on_error (PROG, error, "starting the simulator");
  till = till_bench_till_new (PROG, work_db, work_dir, sim, NULL);

  /* Codes of random existing products, made before the start snapshot. */
  n_codes = 4096;
  rand = g_rand_new_with_seed (42);
  codes = g_new0 (char *, n_codes + 1);
  for (guint i = 0; i < n_codes; i++)
    {
      codes[i] = g_malloc (14);
      till_bench_shop_product_code ((guint64)g_rand_int_range (rand, 0, (gint32)n_products), codes[i]);
    }
  g_rand_free (rand);

  start = snapshot (0);
  for (guint i = 0; i < n_sales; i++)
    {
      one_sale (till, codes, n_codes, &next_code, i);
      if (i + 1 == n_warm)
        warm = snapshot (i + 1);
    }
  end = snapshot (n_sales);
  bare_kb = bare_window_rss_kb (argv[2], &bare_why);

  g_print ("a day at the till: %u sales of %d scans on %u products, paid in cash and by payment "
           "code (WeChat Pay, Alipay in turn) against the loopback simulator, on the shop database "
           "(a year of sales)\n",
           n_sales, LINES_PER_SALE, n_products);
  print_snapshot ("start", &start);
  print_snapshot ("after the warm-up", &warm);
  print_snapshot ("end", &end);
  g_print ("  warm-up: %u sales; after it, per sale: VmRSS %+.1f bytes, heap in use %+.1f bytes\n",
           n_warm, (end.rss_kb - warm.rss_kb) * 1024.0 / (end.sales - warm.sales),
           (double)(end.heap_used - warm.heap_used) / (end.sales - warm.sales));
  g_print ("  sales per second: %.1f overall, %.1f after the warm-up (%.2f ms per sale)\n",
           n_sales / ((end.at_ns - start.at_ns) / 1e9),
           (end.sales - warm.sales) / ((end.at_ns - warm.at_ns) / 1e9),
           (end.at_ns - warm.at_ns) / 1e6 / (end.sales - warm.sales));
  if (bare_kb >= 0)
    g_print ("  bare GTK 4 window (a realized GtkWindow after its first frame, a child process): "
             "VmRSS %.1f MiB; the till's checkout at the end is %.2fx it\n",
             bare_kb / 1024.0, (double)end.rss_kb / bare_kb);
  else
    g_print ("  bare GTK 4 window: %s\n", bare_why);

  g_strfreev (codes);
  till_bench_till_free (till);
  {
    g_autofree char *wal = g_strconcat (work_db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (work_db, "-shm", NULL);
    g_unlink (work_db);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (work_dir);
  }
  return 0;
}
