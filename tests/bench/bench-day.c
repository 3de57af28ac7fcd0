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
#include "till-store.h"
#include "till-store-private.h"

/* Usage: bench-day CACHE-DIR BARE-WINDOW [N-SALES [N-PRODUCTS [WARM-SALES]]]
 *
 * The catalog (valid EAN-13 codes, made once in one transaction through the store's own
 * connection) is cached in CACHE-DIR under a name that carries CATALOG_VERSION, the size and
 * the schema version; each run works on a fresh copy of it beside the cache. Every sale is
 * LINES_PER_SALE scans of random existing products (each until its "line-added"), then the
 * payment until "sale-paid" and the checkout idle: even sales in cash, odd ones by a
 * payment code, WeChat Pay and Alipay in turn (the simulator's plain-success ending 0000;
 * a sale stays below ¥1,000, so no password). BARE-WINDOW is bench-bare-window, run with
 * TILL_BENCH_BARE_RSS=1 under the display (none: said so, not measured). */

#define CATALOG_VERSION "day-catalog-v1"
#define LINES_PER_SALE 3
#define PROG "bench-day"

static void
product_code (guint64 i, char out[14])
{
  int check;

  g_snprintf (out, 14, "69%010" G_GUINT64_FORMAT,
              (i * 7919 + 12345) % G_GUINT64_CONSTANT (10000000000));
  check = till_barcode_gs1_check_digit (out, 12);
  g_assert (check >= 0 && check <= 9);
  out[12] = (char)('0' + check);
  out[13] = '\0';
}

static void
die_on_sqlite (sqlite3 *db, int rc, const char *what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      g_printerr (PROG ": %s: %s\n", what, db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      exit (1);
    }
}

static void
generate_catalog (const char *path, guint n_products)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TillStore) store = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  static const char *const units[] = { "件", "瓶", "包", "盒", "袋", "罐" };
  static const char *const kinds[] = { "矿泉水", "方便面", "薯片",   "酸奶",   "饼干", "可乐",
                                       "牛奶",   "面包",   "巧克力", "口香糖", "纸巾", "电池" };
  GRand *rand = g_rand_new_with_seed (20261203);
  sqlite3_stmt *insert = NULL;
  sqlite3 *db;
  gint64 start = till_bench_now_ns ();
  gint64 now_us = g_get_real_time ();

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  store = till_store_open (path, &error);
  till_bench_die_on_error (PROG, error, "cannot create the catalog database");

  till_store_lock (store);
  db = till_store_get_db (store);
  till_store_begin (store, &error);
  till_bench_die_on_error (PROG, error, "BEGIN");
  die_on_sqlite (
      db,
      sqlite3_prepare_v2 (db,
                          "INSERT INTO product (barcode, name, price_fen, unit, updated_at)"
                          " VALUES (?1, ?2, ?3, ?4, ?5)",
                          -1, &insert, NULL),
      "prepare INSERT");
  for (guint i = 0; i < n_products; i++)
    {
      char code[14], name[96];

      product_code (i, code);
      g_snprintf (name, sizeof name, "%s %u 号 %ug", kinds[i % G_N_ELEMENTS (kinds)], i,
                  50 + (i % 20) * 25);
      sqlite3_bind_text (insert, 1, code, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 2, name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 3, g_rand_int_range (rand, 50, 20000));
      sqlite3_bind_text (insert, 4, units[i % G_N_ELEMENTS (units)], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 5, now_us);
      die_on_sqlite (db, sqlite3_step (insert), "INSERT");
      sqlite3_reset (insert);
    }
  sqlite3_finalize (insert);
  till_store_commit (store, &error);
  till_bench_die_on_error (PROG, error, "COMMIT");
  till_store_unlock (store);
  g_rand_free (rand);

  g_clear_object (&store); /* the last connection: checkpoints and removes the WAL */
  g_print ("generated %u products in %.1f s\n", n_products, (till_bench_now_ns () - start) / 1e9);
}

static char *
ensure_catalog (const char *cache_dir, guint n_products)
{
  g_autofree char *name
      = g_strdup_printf ("%s-n%u-s%d.db", CATALOG_VERSION, n_products, TILL_STORE_SCHEMA_VERSION);
  g_autofree char *full = g_build_filename (cache_dir, name, NULL);
  g_autofree char *tmp = g_strconcat (full, ".part", NULL);

  if (g_file_test (full, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TillStore) cached = till_store_open (full, &error);

      if (cached != NULL && till_store_count_products (cached, NULL) == (gint64)n_products)
        {
          g_print ("using the cached catalog %s\n", full);
          return g_steal_pointer (&full);
        }
      g_print ("the cached catalog %s is not usable (%s): making it again\n", full,
               error ? error->message : "wrong product count");
    }
  generate_catalog (tmp, n_products);
  if (g_rename (tmp, full) != 0)
    {
      g_printerr (PROG ": cannot rename %s: %s\n", tmp, g_strerror (errno));
      exit (1);
    }
  return g_steal_pointer (&full);
}

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
  g_autoptr (GFile) src = NULL;
  g_autoptr (GFile) dst = NULL;
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
      g_printerr ("Usage: %s CACHE-DIR BARE-WINDOW [N-SALES [N-PRODUCTS [WARM-SALES]]]\n", argv[0]);
      return 2;
    }
  till_bench_quiet_logs ();
  n_sales = arg_or (argc, argv, 3, "TILL_BENCH_SALES", 10000);
  n_products = arg_or (argc, argv, 4, "TILL_BENCH_PRODUCTS", 1000000);
  n_warm = MIN (arg_or (argc, argv, 5, "TILL_BENCH_WARM", 1000), n_sales - 1);
  g_mkdir_with_parents (argv[1], 0755);
  catalog = ensure_catalog (argv[1], n_products);

  work_dir = g_build_filename (argv[1], "day-work", NULL);
  g_mkdir_with_parents (work_dir, 0755);
  work_db = g_build_filename (work_dir, "tillpoint.db", NULL);
  {
    g_autofree char *wal = g_strconcat (work_db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (work_db, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
  }
  src = g_file_new_for_path (catalog);
  dst = g_file_new_for_path (work_db);
  g_file_copy (src, dst, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  till_bench_die_on_error (PROG, error, "copying the catalog");

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
      product_code ((guint64)g_rand_int_range (rand, 0, (gint32)n_products), codes[i]);
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
           "code (WeChat Pay, Alipay in turn) against the loopback simulator\n",
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
