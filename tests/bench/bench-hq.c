/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The head office (issue 19), against a private PostgreSQL server of its own
 * (helpers/till-pg-server.h), each figure beside its bare counterpart in the same run:
 *  1. sync throughput: sales per second upserted through till_hq_upsert_batch_json()
 *     (batches of 500 sales with two lines and a payment each, as a till's outbox will
 *     send them) beside a bare COPY of the same rows into an empty schema;
 *  2. the day report over 100 stores × 1 year of sales (20 sales a store a day by default,
 *     TILL_BENCH_HQ_PER_DAY) through till_hq_report_day(), beside the raw SQL aggregate of
 *     the day's gross sales.
 * Prints the figures; exits non-zero only when something fails or the report's gross
 * differs from the raw aggregate's. */
#include "config.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>

#include "till-bench-stats.h"
#include "till-hq.h"
#include "till-pg-server.h"

#define BATCH_SALES 500
#define N_BATCHES   20
#define N_STORES    100
#define N_DAYS      365
#define REPEATS     5

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)

static void
exec_or_die (PGconn     *conn,
             const char *sql)
{
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  PQclear (result);
}

static TillHq *
fresh (TillPgServer *server,
       const char   *name,
       char        **out_uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillHq) hq = NULL;

  *out_uri = till_pg_server_new_database (server, name, &error);
  g_assert_no_error (error);
  hq = till_hq_connect (*out_uri, &error);
  g_assert_no_error (error);
  g_assert_true (till_hq_migrate (hq, TRUE, NULL, NULL, &error));
  g_assert_true (till_hq_add_store (hq, "S1", "Store 1", &error));
  g_assert_no_error (error);
  return g_steal_pointer (&hq);
}

/* Batch `b` of BATCH_SALES sales. */
static char *
batch_json (int b)
{
  GString *json = g_string_new ("{\"store_id\": \"S1\", \"till_id\": \"T1\", \"tables\": {");
  int first = b * BATCH_SALES + 1;

  g_string_append (json, "\"sale\": [");
  for (int i = first; i < first + BATCH_SALES; i++)
    g_string_append_printf (json, "%s{\"id\": %d, \"number\": \"N%d\", \"opened_at\": %d,"
                            " \"closed_at\": %d, \"state\": \"paid\", \"total_fen\": 300,"
                            " \"cashier\": \"c\", \"till_id\": \"T1\", \"kind\": \"goods\"}",
                            i > first ? "," : "", i, i, i, i);
  g_string_append (json, "], \"sale_line\": [");
  for (int i = first; i < first + BATCH_SALES; i++)
    for (int p = 0; p < 2; p++)
      g_string_append_printf (json, "%s{\"sale_id\": %d, \"position\": %d, \"name\": \"水\","
                              " \"barcode\": \"6921168509256\", \"unit\": \"件\","
                              " \"qty_milli\": 1000, \"unit_price_fen\": 150,"
                              " \"line_total_fen\": 150, \"final_fen\": 150}",
                              i > first || p > 0 ? "," : "", i, p);
  g_string_append (json, "], \"payment\": [");
  for (int i = first; i < first + BATCH_SALES; i++)
    g_string_append_printf (json, "%s{\"id\": %d, \"sale_id\": %d, \"method\": \"cash\","
                            " \"amount_fen\": 300, \"state\": \"paid\", \"created_at\": %d,"
                            " \"updated_at\": %d}", i > first ? "," : "", i, i, i, i);
  g_string_append (json, "]}}");
  return g_string_free (json, FALSE);
}

static void
copy_rows (PGconn     *conn,
           const char *sql,
           GString    *rows)
{
  PGresult *result = PQexec (conn, sql);

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_COPY_IN);
  PQclear (result);
  g_assert_cmpint (PQputCopyData (conn, rows->str, (int) rows->len), ==, 1);
  g_assert_cmpint (PQputCopyEnd (conn, NULL), ==, 1);
  result = PQgetResult (conn);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    g_error ("COPY: %s", PQresultErrorMessage (result));
  PQclear (result);
  while ((result = PQgetResult (conn)) != NULL)
    PQclear (result);
}

static void
bench_sync (TillPgServer *server)
{
  g_autofree char *uri = NULL, *bare_uri = NULL;
  g_autoptr(TillHq) hq = fresh (server, "bench_sync", &uri);
  g_autoptr(TillHq) bare_hq = fresh (server, "bench_copy", &bare_uri);
  g_autoptr(PGconn) bare = PQconnectdb (bare_uri);
  g_autoptr(GError) error = NULL;
  gint64 upsert_ns = 0, again_ns = 0, copy_ns = 0, start;
  int n_sales = BATCH_SALES * N_BATCHES;

  for (int b = 0; b < N_BATCHES; b++)
    {
      g_autofree char *json = batch_json (b);
      TillHqUpsertStats stats = { 0 };

      start = till_bench_now_ns ();
      g_assert_true (till_hq_upsert_batch_json (hq, json, &stats, &error));
      upsert_ns += till_bench_now_ns () - start;
      g_assert_no_error (error);
      g_assert_cmpuint (stats.n_changed, ==, BATCH_SALES * 4);
      /* a retry of the same batch (an answer lost): nothing written */
      start = till_bench_now_ns ();
      g_assert_true (till_hq_upsert_batch_json (hq, json, &stats, &error));
      again_ns += till_bench_now_ns () - start;
      g_assert_cmpuint (stats.n_changed, ==, 0);
    }

  /* the same rows by COPY, a transaction per batch */
  for (int b = 0; b < N_BATCHES; b++)
    {
      g_autoptr(GString) sales = g_string_new (NULL);
      g_autoptr(GString) lines = g_string_new (NULL);
      g_autoptr(GString) payments = g_string_new (NULL);
      int first = b * BATCH_SALES + 1;

      start = till_bench_now_ns ();
      for (int i = first; i < first + BATCH_SALES; i++)
        {
          g_string_append_printf (sales, "S1\tT1\t%d\tN%d\t%d\t%d\tpaid\t300\tc\tgoods\n", i, i,
                                  i, i);
          for (int p = 0; p < 2; p++)
            g_string_append_printf (lines, "S1\tT1\t%d\t%d\t6921168509256\t水\t件\t1000\t150\t150"
                                    "\t150\n", i, p);
          g_string_append_printf (payments, "S1\tT1\t%d\t%d\tcash\t300\tpaid\t%d\t%d\n", i, i, i,
                                  i);
        }
      exec_or_die (bare, "BEGIN");
      copy_rows (bare, "COPY sale (store_id, till_id, id, number, opened_at, closed_at, state,"
                       " total_fen, cashier, kind) FROM STDIN", sales);
      copy_rows (bare, "COPY sale_line (store_id, till_id, sale_id, position, barcode, name,"
                       " unit, qty_milli, unit_price_fen, line_total_fen, final_fen) FROM STDIN",
                 lines);
      copy_rows (bare, "COPY payment (store_id, till_id, id, sale_id, method, amount_fen, state,"
                       " created_at, updated_at) FROM STDIN", payments);
      exec_or_die (bare, "COMMIT");
      copy_ns += till_bench_now_ns () - start;
    }

  printf ("sync: %d sales (%d batches of %d, each with 2 lines and a payment)\n", n_sales,
          N_BATCHES, BATCH_SALES);
  printf ("  till_hq_upsert_batch_json   %8.0f sales/s  (%.1f ms a batch)\n",
          n_sales / (upsert_ns / 1e9), upsert_ns / 1e6 / N_BATCHES);
  printf ("  the same batch again        %8.0f sales/s  (nothing written)\n",
          n_sales / (again_ns / 1e9));
  printf ("  bare COPY of the same rows  %8.0f sales/s  (%.1f ms a batch)\n",
          n_sales / (copy_ns / 1e9), copy_ns / 1e6 / N_BATCHES);
}

static gint64
local_midnight_us (int year, int month, int day)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (year, month, day, 0, 0, 0);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static void
bench_report (TillPgServer *server)
{
  g_autofree char *uri = NULL;
  g_autoptr(TillHq) hq = fresh (server, "bench_report", &uri);
  g_autoptr(PGconn) conn = PQconnectdb (uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) report_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) raw_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *per_day_env = g_getenv ("TILL_BENCH_HQ_PER_DAY");
  int per_day = per_day_env != NULL ? atoi (per_day_env) : 20;
  gint64 base = local_midnight_us (2026, 1, 1);
  gint64 from = local_midnight_us (2026, 6, 15), to = local_midnight_us (2026, 6, 16);
  g_autofree char *sql = NULL;
  g_autofree char *raw_sql = NULL;
  gint64 raw_gross = 0, start, n_sales;
  TillBenchStats report_stats, raw_stats;
  PGresult *result;

  start = till_bench_now_ns ();
  exec_or_die (conn, "INSERT INTO store SELECT 'S' || s, 'Store ' || s"
                     " FROM generate_series (2, " G_STRINGIFY (N_STORES) ") s");
  sql = g_strdup_printf (
    "INSERT INTO sale (store_id, till_id, id, number, opened_at, closed_at, state, total_fen,"
    "  cashier, kind)"
    " SELECT 'S' || s, 'T1', d * %d + k + 1, 'N' || (d * %d + k + 1), ts, ts,"
    "  CASE WHEN k %% 25 = 7 THEN 'voided' ELSE 'paid' END, 100 + (s * 7 + d * 13 + k * 17) %% 5000,"
    "  'c' || (k %% 3), 'goods'"
    " FROM generate_series (1, %d) s, generate_series (0, %d) d, generate_series (0, %d) k,"
    "  LATERAL (SELECT %" G_GINT64_FORMAT "::bigint + d * 86400000000 + 28800000000"
    "   + k * (43200000000 / %d) AS ts) t",
    per_day, per_day, N_STORES, N_DAYS - 1, per_day - 1, base, per_day);
  exec_or_die (conn, sql);
  exec_or_die (conn, "INSERT INTO sale_line (store_id, till_id, sale_id, position, barcode, name,"
                     "  unit, qty_milli, unit_price_fen, line_total_fen, final_fen)"
                     " SELECT store_id, till_id, id, p, '69' || lpad (((id + p) % 200)::text, 11, '0'),"
                     "  'P' || ((id + p) % 200), '件', 1000, x, x, x"
                     " FROM sale, generate_series (0, 1) p,"
                     "  LATERAL (SELECT CASE p WHEN 0 THEN total_fen / 2"
                     "   ELSE total_fen - total_fen / 2 END AS x) v");
  exec_or_die (conn, "INSERT INTO payment (store_id, till_id, id, sale_id, method, amount_fen,"
                     "  state, created_at, updated_at)"
                     " SELECT store_id, till_id, id, id, CASE id % 3 WHEN 0 THEN 'cash'"
                     "  WHEN 1 THEN 'wechat_code' ELSE 'alipay_code' END, total_fen, 'paid',"
                     "  closed_at, closed_at FROM sale WHERE state = 'paid'");
  exec_or_die (conn, "ANALYZE");
  result = PQexec (conn, "SELECT count(*) FROM sale");
  n_sales = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  printf ("report: %d stores × %d days × %d sales = %" G_GINT64_FORMAT " sales (made in %.1f s)\n",
          N_STORES, N_DAYS, per_day, n_sales, (till_bench_now_ns () - start) / 1e9);

  raw_sql = g_strdup_printf ("SELECT count(*), sum (total_fen) FROM sale"
                             " WHERE state IN ('paid', 'refunded') AND kind = 'goods'"
                             "  AND closed_at >= %" G_GINT64_FORMAT " AND closed_at < %"
                             G_GINT64_FORMAT, from, to);
  for (int r = 0; r < REPEATS; r++)
    {
      g_autoptr(TillHqReport) report = NULL;
      gint64 ns;

      start = till_bench_now_ns ();
      report = till_hq_report_day (hq, "2026-06-15", NULL, &error);
      ns = till_bench_now_ns () - start;
      g_assert_no_error (error);
      g_array_append_val (report_ns, ns);

      start = till_bench_now_ns ();
      result = PQexec (conn, raw_sql);
      ns = till_bench_now_ns () - start;
      g_array_append_val (raw_ns, ns);
      raw_gross = g_ascii_strtoll (PQgetvalue (result, 0, 1), NULL, 10);
      PQclear (result);
      if (report->total->gross_fen != raw_gross || report->stores->len != N_STORES)
        g_error ("the report's gross %" G_GINT64_FORMAT " is not the raw aggregate's %"
                 G_GINT64_FORMAT, report->total->gross_fen, raw_gross);
    }
  report_stats = till_bench_stats (report_ns);
  raw_stats = till_bench_stats (raw_ns);
  printf ("  till_hq_report_day (every figure, 100 store lines)  median %.1f ms  (min %.1f, max "
          "%.1f)\n", report_stats.median / 1e6, report_stats.min / 1e6, report_stats.max / 1e6);
  printf ("  raw SQL: the day's count and gross                   median %.1f ms  (min %.1f, max "
          "%.1f)\n", raw_stats.median / 1e6, raw_stats.min / 1e6, raw_stats.max / 1e6);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPgServer) server = NULL;

  g_setenv ("TZ", "Asia/Shanghai", TRUE);
  g_log_set_writer_func (g_log_writer_default, NULL, NULL);
  server = till_pg_server_new (&error);
  if (server == NULL)
    {
      printf ("1..0 # SKIP %s\n", error->message);
      return 0;
    }
  bench_sync (server);
  bench_report (server);
  return 0;
}
