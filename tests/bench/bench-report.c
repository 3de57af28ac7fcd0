/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: one day's report (till_store_report_day) on a database holding a year of
 * sales (730,000 sales, ≈3,000,000 lines), beside the same figures computed by the
 * minimal direct SQL on a connection of our own, in the same run.
 *
 *   bench-report CACHE-DIR [RUNS]
 *
 * The year is generated once with raw inserts in one transaction (fixed seed) and cached
 * in CACHE-DIR as report-year-v<DATASET_VERSION>.db; a cache that the current store code
 * cannot open, or of another size, is made again. */
#define G_LOG_DOMAIN "bench-report"

#include "config.h"

#include <stdio.h>
#include <glib/gstdio.h>

#include "till-bench-stats.h"
#include "till-store-private.h"
#include "till-store-reports.h"

#define DATASET_VERSION 1
#define N_DAYS          365
#define SALES_PER_DAY   2000
#define N_PRODUCTS      5000
#define REPORT_DAY      "2026-05-20"

static void
check (int         rc,
       sqlite3    *db,
       const char *what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("%s: %s", what, sqlite3_errmsg (db));
}

static sqlite3_stmt *
prep (sqlite3    *db,
      const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  check (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), db, sql);
  return stmt;
}

static void
step_reset (sqlite3_stmt *stmt,
            sqlite3      *db,
            const char   *what)
{
  check (sqlite3_step (stmt), db, what);
  sqlite3_reset (stmt);
}

static void
generate (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (730000);
  g_autoptr(GDateTime) first = g_date_time_new_local (2025, 11, 21, 0, 0, 0);
  static const char *const methods[] = { "cash", "wechat_code", "wechat_native", "alipay_code" };
  static const char *const cashiers[] = { "小王", "小李", "老张", "阿芳" };
  sqlite3 *db = NULL;
  sqlite3_stmt *product, *sale, *line, *payment, *refund;
  gint64 sale_id = 0, payment_id = 0, n_lines = 0, t0 = till_bench_now_ns ();

  if (!till_store_create_at_version (path, TILL_STORE_SCHEMA_VERSION, &error))
    g_error ("%s", error->message);
  check (sqlite3_open (path, &db), db, "open");
  check (sqlite3_exec (db, "PRAGMA synchronous = OFF; PRAGMA journal_mode = OFF;"
                           "PRAGMA cache_size = -200000; BEGIN", NULL, NULL, NULL), db, "begin");
  product = prep (db, "INSERT INTO product (id, barcode, name, price_fen, unit, updated_at)"
                      " VALUES (?1, ?2, ?3, ?4, '件', 0)");
  for (int p = 1; p <= N_PRODUCTS; p++)
    {
      g_autofree char *barcode = g_strdup_printf ("69%011d", p);
      g_autofree char *name = g_strdup_printf ("商品 %05d", p);

      sqlite3_bind_int (product, 1, p);
      sqlite3_bind_text (product, 2, barcode, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (product, 3, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (product, 4, 100 + p % 5000);
      step_reset (product, db, "product");
    }
  sale = prep (db, "INSERT INTO sale (id, number, opened_at, closed_at, state, total_fen,"
                   " cashier, till_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'till-1')");
  line = prep (db, "INSERT INTO sale_line (sale_id, position, product_id, name, qty_milli,"
                   " unit_price_fen, line_total_fen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  payment = prep (db, "INSERT INTO payment (id, sale_id, method, amount_fen, out_trade_no,"
                      " state, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)");
  refund = prep (db, "INSERT INTO refund (payment_id, out_refund_no, amount_fen, state,"
                     " created_at, updated_at) VALUES (?1, ?2, ?3, 'success', ?4, ?4)");

  for (int day = 0; day < N_DAYS; day++)
    {
      g_autoptr(GDateTime) d = g_date_time_add_days (first, day);
      g_autofree char *ymd = g_date_time_format (d, "%Y%m%d");
      gint64 start = (g_date_time_to_unix (d) + 7 * 3600) * G_USEC_PER_SEC;

      for (int i = 0; i < SALES_PER_DAY; i++)
        {
          g_autofree char *number = g_strdup_printf ("%s-%04d", ymd, i + 1);
          gint64 at = start + (gint64) i * (15 * 3600 / SALES_PER_DAY) * G_USEC_PER_SEC;
          int n = g_rand_int_range (rand, 1, 8), outcome = g_rand_int_range (rand, 0, 100);
          gint64 total = 0;

          sale_id++;
          for (int l = 0; l < n; l++)
            {
              int p = g_rand_int_range (rand, 1, N_PRODUCTS + 1);
              int qty = g_rand_int_range (rand, 1, 4) * 1000;
              gint64 price = 100 + p % 5000;
              g_autofree char *name = g_strdup_printf ("商品 %05d", p);

              sqlite3_bind_int64 (line, 1, sale_id);
              sqlite3_bind_int (line, 2, l);
              sqlite3_bind_int (line, 3, p);
              sqlite3_bind_text (line, 4, name, -1, SQLITE_TRANSIENT);
              sqlite3_bind_int (line, 5, qty);
              sqlite3_bind_int64 (line, 6, price);
              sqlite3_bind_int64 (line, 7, price * qty / 1000);
              step_reset (line, db, "line");
              total += price * qty / 1000;
              n_lines++;
            }
          sqlite3_bind_int64 (sale, 1, sale_id);
          sqlite3_bind_text (sale, 2, number, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (sale, 3, at - 60 * G_USEC_PER_SEC);
          sqlite3_bind_int64 (sale, 4, at);
          sqlite3_bind_text (sale, 5, outcome < 3 ? "voided" : "paid", -1, SQLITE_STATIC);
          sqlite3_bind_int64 (sale, 6, total);
          sqlite3_bind_text (sale, 7, cashiers[i % 4], -1, SQLITE_STATIC);
          step_reset (sale, db, "sale");
          if (outcome < 3)
            continue;
          /* one payment, or a split of cash + WeChat */
          for (int part = 0; part < (outcome >= 95 ? 2 : 1); part++)
            {
              const char *method = outcome >= 95 ? methods[part] : methods[outcome % 4];
              gint64 amount = outcome >= 95 ? (part == 0 ? total / 2 : total - total / 2) : total;
              g_autofree char *trade_no = g_strdup_printf ("T%s%07" G_GINT64_FORMAT, ymd,
                                                           payment_id + 1);

              if (amount <= 0)
                continue;
              payment_id++;
              sqlite3_bind_int64 (payment, 1, payment_id);
              sqlite3_bind_int64 (payment, 2, sale_id);
              sqlite3_bind_text (payment, 3, method, -1, SQLITE_STATIC);
              sqlite3_bind_int64 (payment, 4, amount);
              if (g_str_equal (method, "cash"))
                sqlite3_bind_null (payment, 5);
              else
                sqlite3_bind_text (payment, 5, trade_no, -1, SQLITE_TRANSIENT);
              sqlite3_bind_text (payment, 6, "paid", -1, SQLITE_STATIC);
              sqlite3_bind_int64 (payment, 7, at);
              step_reset (payment, db, "payment");
            }
          if (outcome == 50)
            {
              g_autofree char *refund_no = g_strdup_printf ("R%" G_GINT64_FORMAT, payment_id);

              sqlite3_bind_int64 (refund, 1, payment_id);
              sqlite3_bind_text (refund, 2, refund_no, -1, SQLITE_TRANSIENT);
              sqlite3_bind_int64 (refund, 3, MAX (1, total / 2));
              sqlite3_bind_int64 (refund, 4, at + 600 * G_USEC_PER_SEC);
              step_reset (refund, db, "refund");
            }
        }
    }
  sqlite3_finalize (product);
  sqlite3_finalize (sale);
  sqlite3_finalize (line);
  sqlite3_finalize (payment);
  sqlite3_finalize (refund);
  check (sqlite3_exec (db, "COMMIT; ANALYZE; PRAGMA journal_mode = WAL", NULL, NULL, NULL),
         db, "commit");
  sqlite3_close (db);
  g_print ("generated %" G_GINT64_FORMAT " sales, %" G_GINT64_FORMAT " lines, %"
           G_GINT64_FORMAT " payments in %.1f s\n", sale_id, n_lines, payment_id,
           (till_bench_now_ns () - t0) / 1e9);
}

static char *
ensure_year (const char *cache_dir)
{
  g_autofree char *name = g_strdup_printf ("report-year-v%d-schema%d.db", DATASET_VERSION,
                                           TILL_STORE_SCHEMA_VERSION);
  char *path = g_build_filename (cache_dir, name, NULL);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TillStore) cached = till_store_open (path, &error);

      if (cached != NULL)
        {
          gint64 n;

          till_store_lock (cached);
          {
            sqlite3_stmt *stmt = prep (till_store_get_db (cached), "SELECT count(*) FROM sale");
            sqlite3_step (stmt);
            n = sqlite3_column_int64 (stmt, 0);
            sqlite3_finalize (stmt);
          }
          till_store_unlock (cached);
          if (n == (gint64) N_DAYS * SALES_PER_DAY)
            {
              g_print ("using the cached year %s\n", path);
              return path;
            }
        }
      g_print ("the cached year %s is not usable: making it again\n", path);
      g_remove (path);
    }
  g_print ("making a year of sales in %s (once)...\n", path);
  generate (path);
  return path;
}

/* The same figures with the minimal direct SQL: a sum per figure, nothing more. */
static gint64
raw_report (sqlite3 *db,
            gint64   from,
            gint64   to)
{
  static const char *const queries[] = {
    "SELECT count(*), sum (total_fen) FROM sale WHERE state IN ('paid', 'refunded')"
    " AND closed_at >= ?1 AND closed_at < ?2",
    "SELECT p.method, count(*), sum (p.amount_fen) FROM sale s JOIN payment p"
    " ON p.sale_id = s.id AND p.state = 'paid' WHERE s.state IN ('paid', 'refunded')"
    " AND s.closed_at >= ?1 AND s.closed_at < ?2 GROUP BY p.method",
    "SELECT (closed_at - ?1) / 3600000000, count(*), sum (total_fen) FROM sale"
    " WHERE state IN ('paid', 'refunded') AND closed_at >= ?1 AND closed_at < ?2 GROUP BY 1",
    "SELECT l.product_id, l.name, sum (l.qty_milli), sum (l.line_total_fen) FROM sale s"
    " JOIN sale_line l ON l.sale_id = s.id WHERE s.state IN ('paid', 'refunded')"
    " AND s.closed_at >= ?1 AND s.closed_at < ?2 GROUP BY 1, 2 ORDER BY 4 DESC LIMIT 20",
    "SELECT cashier, count(*), sum (total_fen) FROM sale WHERE state IN ('paid', 'refunded')"
    " AND closed_at >= ?1 AND closed_at < ?2 GROUP BY cashier",
    "SELECT number, closed_at, total_fen FROM sale WHERE state = 'voided'"
    " AND closed_at >= ?1 AND closed_at < ?2",
    "SELECT f.amount_fen, p.method FROM refund f JOIN payment p ON p.id = f.payment_id"
    " WHERE f.state = 'success' AND f.created_at >= ?1 AND f.created_at < ?2",
  };
  gint64 checksum = 0;

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      sqlite3_stmt *stmt = prep (db, queries[i]);

      sqlite3_bind_int64 (stmt, 1, from);
      sqlite3_bind_int64 (stmt, 2, to);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        checksum += sqlite3_column_int64 (stmt, i == 0 ? 1 : 2);
      sqlite3_finalize (stmt);
    }
  return checksum;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = NULL;
  g_autoptr(GArray) till_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) raw_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *path = NULL;
  TillBenchStats a, b;
  gint64 from, to, gross = 0;
  int runs;
  sqlite3 *raw = NULL;

  if (argc < 2)
    {
      g_printerr ("usage: %s CACHE-DIR [RUNS]\n", argv[0]);
      return 2;
    }
  runs = argc > 2 ? atoi (argv[2]) : 30;
  g_mkdir_with_parents (argv[1], 0755);
  path = ensure_year (argv[1]);

  store = till_store_open (path, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  check (sqlite3_open_v2 (path, &raw, SQLITE_OPEN_READONLY, NULL), raw, "open raw");
  if (!till_report_parse_day (REPORT_DAY, &from, &to, &error))
    g_error ("%s", error->message);

  /* warm the page cache for both, then alternate so that both see the same machine */
  for (int i = 0; i < runs + 2; i++)
    {
      gint64 t0 = till_bench_now_ns (), t1, t2;
      g_autoptr(TillReport) report = till_store_report_day (store, REPORT_DAY, &error);

      t1 = till_bench_now_ns ();
      if (report == NULL)
        g_error ("%s", error->message);
      gross = report->gross_fen;
      raw_report (raw, from, to);
      t2 = till_bench_now_ns ();
      if (i >= 2)
        {
          g_array_append_val (till_ns, (gint64) { t1 - t0 });
          g_array_append_val (raw_ns, (gint64) { t2 - t1 });
        }
    }
  a = till_bench_stats (till_ns);
  b = till_bench_stats (raw_ns);
  printf ("day report %s on %d sales (gross %" G_GINT64_FORMAT " fen), %d runs\n", REPORT_DAY,
          N_DAYS * SALES_PER_DAY, gross, runs);
  printf ("  till_store_report_day   median %.2f ms  p99 %.2f ms  min %.2f ms\n",
          a.median / 1e6, a.p99 / 1e6, a.min / 1e6);
  printf ("  raw aggregate SQL       median %.2f ms  p99 %.2f ms  min %.2f ms\n",
          b.median / 1e6, b.p99 / 1e6, b.min / 1e6);
  printf ("  ratio (report / raw)    %.2f\n", a.median / b.median);
  sqlite3_close (raw);
  return 0;
}
