/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: a scanned code to a cart line on a 1,000,000-product catalog, beside a bare
 * indexed SQLite lookup of the same codes. */
#define G_LOG_DOMAIN "till-bench"
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "till-checkout.h"
#include "till-core.h"
#include "till-store.h"
#include "till-store-private.h"
#include "till-bench-stats.h"

/* Usage: bench-scan-to-cart CACHE-DIR [N-PRODUCTS [N-SCANS [N-SAVES]]]
 *
 * The catalog (valid EAN-13 codes, made in one transaction through the store's own
 * connection) is cached in CACHE-DIR under a name that carries CATALOG_VERSION, the size
 * and the schema version; each run works on a fresh copy of it, so sales never pile up.
 * Measured, on the same random existing codes, with a warm page cache:
 *   scan-to-line  - TillCheckout, as the cashier's window drives it: enter_code (classify,
 *                   look the code up on the store thread, make the line, add it) until
 *                   its "line-added" signal;
 *   + save        - the same until the checkout is idle again: the cart saved on the store
 *                   thread (synchronous=FULL, so this includes an fsync);
 *   bare lookup   - SELECT … FROM product WHERE barcode = ? prepared once, on a
 *                   connection of its own.
 * Carts hold up to CART_LINES lines, then are paid in cash (outside the timing). */

#define CATALOG_VERSION "catalog-v1"
#define CART_LINES      25

/* Product i's EAN-13: "69" (GS1 China), ten digits spread over the range, check digit. */
static void
product_code (guint64 i,
              char    out[14])
{
  int check;

  g_snprintf (out, 14, "69%010" G_GUINT64_FORMAT, (i * 7919 + 12345) % G_GUINT64_CONSTANT (10000000000));
  check = till_barcode_gs1_check_digit (out, 12);
  g_assert (check >= 0 && check <= 9);
  out[12] = (char) ('0' + check);
  out[13] = '\0';
}

static void
die_on_error (GError     *error,
              const char *what)
{
  if (error != NULL)
    {
      g_printerr ("bench-scan-to-cart: %s: %s\n", what, error->message);
      exit (1);
    }
}

static void
die_on_sqlite (sqlite3    *db,
               int         rc,
               const char *what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      g_printerr ("bench-scan-to-cart: %s: %s\n", what, sqlite3_errmsg (db));
      exit (1);
    }
}

static void
generate_catalog (const char *path,
                  guint       n_products)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  static const char *const units[] = { "件", "瓶", "包", "盒", "袋", "罐" };
  static const char *const kinds[] = { "矿泉水", "方便面", "薯片", "酸奶", "饼干", "可乐",
                                       "牛奶", "面包", "巧克力", "口香糖", "纸巾", "电池" };
  GRand *rand = g_rand_new_with_seed (20261121);
  sqlite3_stmt *insert = NULL;
  sqlite3 *db;
  gint64 start = till_bench_now_ns ();
  gint64 now_us = g_get_real_time ();

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  store = till_store_open (path, &error);
  die_on_error (error, "cannot create the catalog database");

  till_store_lock (store);
  db = till_store_get_db (store);
  till_store_begin (store, &error);
  die_on_error (error, "BEGIN");
  die_on_sqlite (db, sqlite3_prepare_v2 (db,
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
  die_on_error (error, "COMMIT");
  till_store_unlock (store);
  g_rand_free (rand);

  g_clear_object (&store);  /* the last connection: checkpoints and removes the WAL */
  g_print ("generated %u products in %.1f s\n", n_products, (till_bench_now_ns () - start) / 1e9);
}

static const char *
ensure_catalog (const char *cache_dir,
                guint       n_products)
{
  static char path[4096];
  g_autofree char *name = g_strdup_printf ("scan-to-cart-%s-n%u-s%d.db", CATALOG_VERSION,
                                           n_products, TILL_STORE_SCHEMA_VERSION);
  g_autofree char *full = g_build_filename (cache_dir, name, NULL);
  g_autofree char *tmp = g_strconcat (full, ".part", NULL);

  g_strlcpy (path, full, sizeof path);
  if (g_file_test (full, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TillStore) cached = till_store_open (full, &error);

      /* A cache the current store code cannot open, or of another size, is made again. */
      if (cached != NULL && till_store_count_products (cached, NULL) == (gint64) n_products)
        {
          g_print ("using the cached catalog %s\n", full);
          return path;
        }
      g_print ("the cached catalog %s is not usable (%s): making it again\n", full,
               error ? error->message : "wrong product count");
    }
  generate_catalog (tmp, n_products);
  if (g_rename (tmp, full) != 0)
    {
      g_printerr ("bench-scan-to-cart: cannot rename %s: %s\n", tmp, g_strerror (errno));
      exit (1);
    }
  return path;
}

typedef struct
{
  const char *label;
  GArray     *ns;   /* gint64 per operation */
} Timing;

static TillBenchStats
print_stats (Timing *t)
{
  TillBenchStats s = till_bench_stats (t->ns);

  g_print ("  %-22s mean %8.2f us  median %8.2f us  p99 %8.2f us  max %9.2f us  (n=%u)\n",
           t->label, s.mean / 1e3, s.median / 1e3, s.p99 / 1e3, s.max / 1e3, s.n);
  return s;
}

/* The checkout the cashier's window drives, on the benchmark's store. */
typedef struct
{
  TillContext  *context;
  TillCheckout *checkout;
  guint         lines_added;
} Counter;

static void
line_added_cb (TillCheckout *checkout,
               guint         position,
               Counter      *c)
{
  c->lines_added++;
}

static void
wait_idle (Counter *c)
{
  while (!till_checkout_is_idle (c->checkout))
    g_main_context_iteration (NULL, TRUE);
}

/* Pays the sale in cash once it holds CART_LINES lines (outside the timing). */
static void
pay_if_full (Counter *c)
{
  TillSale *sale = till_checkout_get_sale (c->checkout);
  g_autoptr(GError) error = NULL;
  gint64 due;

  if (sale == NULL || g_list_model_get_n_items (G_LIST_MODEL (sale)) < CART_LINES)
    return;
  wait_idle (c);
  due = till_checkout_get_due_fen (c->checkout);
  /* Enough notes for any total, in the till's cash unit. */
  if (!till_checkout_pay_cash (c->checkout, due, (due / 1000 + 1) * 1000, &error))
    die_on_error (error, "paying the sale");
  wait_idle (c);
}

/* One scan the cashier's way: TillCheckout classifies the code, looks it up on the store
 * thread and adds the line; timed until "line-added" (with_save: until the checkout is
 * idle again, the cart saved with its fsync). */
static void
run_scans (Counter   *c,
           char     **codes,
           guint      n,
           gboolean   with_save,
           Timing    *timing)
{
  for (guint i = 0; i < n; i++)
    {
      guint before;
      gint64 t0, t1;

      pay_if_full (c);
      before = c->lines_added;
      t0 = till_bench_now_ns ();
      till_checkout_enter_code (c->checkout, codes[i]);
      while (c->lines_added == before)
        g_main_context_iteration (NULL, TRUE);
      if (with_save)
        wait_idle (c);
      t1 = till_bench_now_ns ();
      g_array_append_val (timing->ns, (gint64) { t1 - t0 });
    }
  wait_idle (c);
}

static void
run_bare (sqlite3  *db,
          char    **codes,
          guint     n,
          Timing   *timing)
{
  sqlite3_stmt *stmt = NULL;
  gint64 sink = 0;

  die_on_sqlite (db, sqlite3_prepare_v2 (db,
                                         "SELECT id, barcode, plu, name, price_fen, unit, weighed, active"
                                         " FROM product WHERE barcode = ?1 AND active = 1",
                                         -1, &stmt, NULL),
                 "prepare SELECT");
  for (guint i = 0; i < n; i++)
    {
      gint64 t0 = till_bench_now_ns ();
      int rc;

      sqlite3_bind_text (stmt, 1, codes[i], -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW)
        {
          g_printerr ("bench-scan-to-cart: bare lookup of %s: %s\n", codes[i],
                      rc == SQLITE_DONE ? "not found" : sqlite3_errmsg (db));
          exit (1);
        }
      sink += sqlite3_column_int64 (stmt, 0) + sqlite3_column_bytes (stmt, 3);
      sqlite3_reset (stmt);
      if (timing != NULL)
        {
          gint64 t1 = till_bench_now_ns ();
          g_array_append_val (timing->ns, (gint64) { t1 - t0 });
        }
    }
  sqlite3_finalize (stmt);
  if (sink == 42)
    g_print (" ");
}

static void
quiet_log_cb (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
}

static guint
arg_or (int         argc,
        char      **argv,
        int         index,
        const char *env,
        guint       fallback)
{
  const char *text = g_getenv (env);
  if (text == NULL && argc > index)
    text = argv[index];
  if (text == NULL)
    return fallback;
  return (guint) CLAMP (g_ascii_strtoull (text, NULL, 10), 1, 100000000);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = NULL;
  g_autofree char *work_dir = NULL;
  g_autofree char *work_db = NULL;
  g_autoptr(GFile) src = NULL;
  g_autoptr(GFile) dst = NULL;
  const char *cache_dir, *catalog;
  guint n_products, n_scans, n_saves;
  char **codes;
  GRand *rand;
  sqlite3 *bare_db = NULL;
  Counter counter = { 0 };
  Timing t_line = { "scan-to-line", NULL };
  Timing t_save = { "scan-to-line + save", NULL };
  Timing t_bare = { "bare indexed lookup", NULL };
  TillBenchStats s_line, s_save, s_bare;

  if (argc < 2)
    {
      g_printerr ("Usage: %s CACHE-DIR [N-PRODUCTS [N-SCANS [N-SAVES]]]\n", argv[0]);
      return 2;
    }
  cache_dir = argv[1];
  /* The store logs every sale paid and every migration; the figures are what matter. */
  g_log_set_handler ("till-store", G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO, quiet_log_cb, NULL);
  n_products = arg_or (argc, argv, 2, "TILL_BENCH_PRODUCTS", 1000000);
  n_scans = arg_or (argc, argv, 3, "TILL_BENCH_SCANS", 20000);
  n_saves = arg_or (argc, argv, 4, "TILL_BENCH_SAVES", 2000);
  g_mkdir_with_parents (cache_dir, 0755);

  catalog = ensure_catalog (cache_dir, n_products);

  /* A fresh working copy beside the cache (same disk, so fsync costs what it costs). */
  work_dir = g_build_filename (cache_dir, "scan-to-cart-work", NULL);
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
  die_on_error (error, "copying the catalog");

  store = till_store_open (work_db, &error);
  die_on_error (error, "opening the catalog");
  g_print ("catalog: %" G_GINT64_FORMAT " products\n", till_store_count_products (store, NULL));
  {
    g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

    counter.context = till_context_new (store, settings, NULL, work_dir, FALSE);
    counter.checkout = till_checkout_new (counter.context);
    g_signal_connect (counter.checkout, "line-added", G_CALLBACK (line_added_cb), &counter);
    while (till_checkout_get_sale (counter.checkout) == NULL)
      g_main_context_iteration (NULL, TRUE);
    wait_idle (&counter);
  }

  rand = g_rand_new_with_seed (42);
  codes = g_new0 (char *, n_scans + 1);
  for (guint i = 0; i < n_scans; i++)
    {
      codes[i] = g_malloc (14);
      product_code ((guint64) g_rand_int_range (rand, 0, (gint32) n_products), codes[i]);
    }
  g_rand_free (rand);

  die_on_sqlite (NULL, sqlite3_open_v2 (work_db, &bare_db, SQLITE_OPEN_READONLY, NULL),
                 "opening the bare connection");

  /* Warm-up, untimed: the pages these codes touch, for both connections. */
  run_bare (bare_db, codes, n_scans, NULL);

  t_line.ns = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_scans);
  t_save.ns = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_saves);
  t_bare.ns = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_scans);

  run_scans (&counter, codes, n_scans, FALSE, &t_line);
  run_bare (bare_db, codes, n_scans, &t_bare);
  run_scans (&counter, codes, MIN (n_saves, n_scans), TRUE, &t_save);
  sqlite3_close (bare_db);

  g_print ("scan to cart line, %u products, %u random existing EAN-13 codes:\n",
           n_products, n_scans);
  s_line = print_stats (&t_line);
  s_bare = print_stats (&t_bare);
  s_save = print_stats (&t_save);
  g_print ("  ratio scan-to-line / bare lookup: mean %.2fx, median %.2fx\n",
           s_line.mean / s_bare.mean, s_line.median / s_bare.median);
  g_print ("  ratio scan-to-line + save / bare lookup: median %.2fx\n",
           s_save.median / s_bare.median);

  g_strfreev (codes);
  g_array_unref (t_line.ns);
  g_array_unref (t_save.ns);
  g_array_unref (t_bare.ns);
  g_clear_object (&counter.checkout);
  g_clear_object (&counter.context);
  till_store_flush (store);
  g_clear_object (&store);
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
