/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The head office (issue 19), against a private PostgreSQL server of its own
 * (helpers/till-pg-server.h), each figure beside its bare counterpart in the same run:
 *  1. sync throughput: sales per second upserted through till_hq_upsert_batch_json()
 *     (batches of 500 sales with two lines and a payment each, as a till's outbox will
 *     send them) beside a bare COPY of the same rows into an empty schema;
 *  2. the day report over 100 stores × 1 year of sales (20 sales a store a day by default,
 *     TILL_BENCH_HQ_PER_DAY; with refunds, returns without receipt, top-ups, discounts and
 *     overrides) through till_hq_report_day(), beside hand-written SQL of the same figures
 *     (raw_report(): each table read once, no parallel workers), the same SQL with the
 *     server's parallel workers, and the day's count and gross alone.
 * Prints the figures and the report's ratio to its raw SQL; exits non-zero when something
 * fails or when the report's CSV differs from the raw SQL's in any byte. */
#include "config.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>

#include "till-bench-stats.h"
#include "till-report.h"
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

static PGresult *
query_or_die (PGconn *conn, const char *sql)
{
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  return result;
}

static gint64
int_at (PGresult *result, int row, int column)
{
  return PQgetisnull (result, row, column)
           ? 0 : g_ascii_strtoll (PQgetvalue (result, row, column), NULL, 10);
}

static const char *
text_at (PGresult *result, int row, int column)
{
  return PQgetisnull (result, row, column) ? NULL : PQgetvalue (result, row, column);
}

/* ------------------------------------------------- the raw SQL of the report's figures */

/* A group of the raw lines query, folded by product or by cashier. */
typedef struct
{
  char   *name;
  char   *barcode;
  gint64  goods_id, id, qty, amount, discounts, overrides;
  guint   n_goods, n_discounts, n_overrides;
} Group;

static void
group_free (Group *g)
{
  g_free (g->name);
  g_free (g->barcode);
  g_free (g);
}

static gint64
min_id (gint64 a, gint64 b)
{
  return a == 0 ? b : b == 0 ? a : MIN (a, b);
}

static void
group_add (GHashTable *groups, const char *key, const char *name, const char *barcode,
           PGresult *res, int i)
{
  Group *g = g_hash_table_lookup (groups, key);
  gboolean goods = g_str_equal (PQgetvalue (res, i, 0), "t");

  if (g == NULL)
    {
      g = g_new0 (Group, 1);
      g->name = g_strdup (name);
      g->barcode = g_strdup (barcode);
      g_hash_table_insert (groups, g_strdup (key), g);
    }
  if (goods)
    {
      g->n_goods += (guint) int_at (res, i, 4);
      g->goods_id = min_id (g->goods_id, int_at (res, i, 5));
      g->qty += int_at (res, i, 6);
      g->amount += int_at (res, i, 7);
    }
  g->id = min_id (g->id, int_at (res, i, 5));
  g->n_discounts += (guint) int_at (res, i, 8);
  g->discounts += int_at (res, i, 9);
  g->n_overrides += (guint) int_at (res, i, 10);
  g->overrides += int_at (res, i, 11);
}

static int
strcmp0 (const char *a, const char *b)
{
  return strcmp (a != NULL ? a : "", b != NULL ? b : "");
}

static int
by_amount (gconstpointer a, gconstpointer b)
{
  const Group *x = *(Group *const *) a, *y = *(Group *const *) b;

  if (x->amount != y->amount)
    return x->amount > y->amount ? -1 : 1;
  return strcmp0 (x->name, y->name) != 0 ? strcmp0 (x->name, y->name)
                                         : strcmp0 (x->barcode, y->barcode);
}

static int
by_discounts (gconstpointer a, gconstpointer b)
{
  const Group *x = *(Group *const *) a, *y = *(Group *const *) b;

  if (x->discounts != y->discounts)
    return x->discounts > y->discounts ? -1 : 1;
  return strcmp0 (x->name, y->name) != 0 ? strcmp0 (x->name, y->name)
                                         : strcmp0 (x->barcode, y->barcode);
}

static GPtrArray *
sorted_values (GHashTable *groups, GCompareFunc compare)
{
  GPtrArray *sorted = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (sorted, value);
  g_ptr_array_sort (sorted, compare);
  return sorted;
}

static void
store_line_free (TillHqStoreLine *line)
{
  g_free (line->store_id);
  g_free (line->name);
  g_free (line);
}

/* The report's every figure from hand-written SQL, each table read once: the day's sales
 * grouped by store, cashier and hour (the hour by arithmetic: the benchmark's zone is
 * Asia/Shanghai, UTC+8 without summer time), their payments by method, their lines by
 * goods/top-up, cashier, barcode and name (folded here), the voided sales, the refunds,
 * the returns by store and cashier, the stores. */
static TillHqReport *
raw_report (PGconn *conn, const char *date, gint64 from, gint64 to)
{
  TillHqReport *report = g_new0 (TillHqReport, 1);
  g_autoptr(GHashTable) lines = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) products = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) group_free);
  g_autoptr(GHashTable) cashiers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) group_free);
  g_autoptr(GHashTable) return_cashiers = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                                 g_free, (GDestroyNotify) group_free);
  g_autoptr(GPtrArray) sorted = NULL;
  g_autofree char *period = g_strdup_printf ("%" G_GINT64_FORMAT " AND %" G_GINT64_FORMAT,
                                             from, to - 1);
  g_autofree char *sql = NULL;
  TillReport *r;
  PGresult *res;

  report->total = r = till_report_new ();
  report->stores = g_ptr_array_new_with_free_func ((GDestroyNotify) store_line_free);
  r->from_us = from;
  r->to_us = to;
  r->title_period = g_strdup (date);

  exec_or_die (conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  res = query_or_die (conn, "SELECT store_id, name FROM store ORDER BY store_id");
  for (int i = 0; i < PQntuples (res); i++)
    {
      TillHqStoreLine *line = g_new0 (TillHqStoreLine, 1);

      line->store_id = g_strdup (text_at (res, i, 0));
      line->name = g_strdup (text_at (res, i, 1));
      g_ptr_array_add (report->stores, line);
      g_hash_table_insert (lines, line->store_id, line);
    }
  PQclear (res);

  sql = g_strdup_printf (
    "SELECT GROUPING (store_id, cashier, hour), store_id, kind = 'goods', state = 'voided',"
    "  cashier, hour, count(*), sum (total_fen)"
    " FROM (SELECT store_id, kind, state, coalesce (cashier, '') AS cashier,"
    "   (closed_at / 1000000 + 8 * 3600) %% 86400 / 3600 AS hour, total_fen FROM sale"
    "   WHERE closed_at BETWEEN %s AND state IN ('paid', 'refunded', 'voided')"
    "    AND kind IN ('goods', 'topup')) s"
    " GROUP BY GROUPING SETS ((store_id, kind, state), (kind, state, cashier),"
    "  (kind, state, hour))", period);
  res = query_or_die (conn, sql);
  for (int i = 0; i < PQntuples (res); i++)
    {
      gint64 set = int_at (res, i, 0), n = int_at (res, i, 6), fen = int_at (res, i, 7);
      gboolean goods = g_str_equal (PQgetvalue (res, i, 2), "t");
      gboolean voided = g_str_equal (PQgetvalue (res, i, 3), "t");
      TillHqStoreLine *line = set == 3 ? g_hash_table_lookup (lines, text_at (res, i, 1)) : NULL;

      if (set == 3 && voided)
        line->n_voids += n;
      else if (set == 3 && goods)
        {
          line->n_sales += n;
          line->gross_fen += fen;
          r->n_sales += n;
          r->gross_fen += fen;
        }
      else if (set == 3)
        {
          r->n_topups += n;
          r->topups_fen += fen;
        }
      else if (set == 5 && goods && !voided)
        {
          Group *g = g_hash_table_lookup (return_cashiers, text_at (res, i, 4));

          if (g == NULL)
            {
              g = g_new0 (Group, 1);
              g->name = g_strdup (text_at (res, i, 4));
              g_hash_table_insert (return_cashiers, g_strdup (g->name), g);
            }
          g->n_goods += n;
          g->amount += fen;
        }
      else if (set == 6 && goods && !voided)
        {
          r->hour_count[int_at (res, i, 5)] += n;
          r->hour_fen[int_at (res, i, 5)] += fen;
        }
    }
  PQclear (res);
  sorted = sorted_values (return_cashiers, by_amount);
  for (guint i = 0; i < sorted->len; i++)
    {
      Group *g = sorted->pdata[i];

      till_report_add_cashier (r, g->name, g->n_goods, g->amount);
    }
  g_clear_pointer (&sorted, g_ptr_array_unref);
  g_hash_table_remove_all (return_cashiers);

  g_free (sql);
  sql = g_strdup_printf (
    "SELECT s.kind, p.method, count(*), sum (p.amount_fen), sum (p.rounding_fen)"
    " FROM sale s JOIN payment p USING (store_id, till_id)"
    " WHERE p.sale_id = s.id AND p.state = 'paid' AND p.unattached = 0"
    "  AND s.closed_at BETWEEN %s AND s.state IN ('paid', 'refunded')"
    "  AND s.kind IN ('goods', 'topup')"
    " GROUP BY s.kind, p.method", period);
  res = query_or_die (conn, sql);
  for (int i = 0; i < PQntuples (res); i++)
    {
      int m = till_report_method_from_id (text_at (res, i, 1));

      if (g_str_equal (PQgetvalue (res, i, 0), "topup"))
        {
          r->topup_method_count[m] = (guint) int_at (res, i, 2);
          r->topup_method_fen[m] = int_at (res, i, 3);
        }
      else
        {
          r->method_count[m] = (guint) int_at (res, i, 2);
          r->method_fen[m] = int_at (res, i, 3);
        }
      if (m == TILL_REPORT_CASH)
        r->cash_rounding_fen += int_at (res, i, 4);
    }
  PQclear (res);

  g_free (sql);
  sql = g_strdup_printf (
    "SELECT s.kind = 'goods', coalesce (s.cashier, ''), l.barcode, l.name, count(*),"
    "  min (l.product_id), sum (l.qty_milli), sum (coalesce (l.final_fen, l.line_total_fen)),"
    "  count(*) FILTER (WHERE l.discount_fen + l.sale_discount_fen <> 0),"
    "  sum (l.discount_fen + l.sale_discount_fen), count(*) FILTER (WHERE o.over),"
    "  sum (CASE WHEN o.over THEN round (l.original_price_fen * l.qty_milli / 1000.0)"
    "   - l.line_total_fen ELSE 0 END)"
    " FROM sale s JOIN sale_line l USING (store_id, till_id),"
    "  LATERAL (SELECT l.original_price_fen <> l.unit_price_fen AND l.fixed_total = 0 AS over) o"
    " WHERE l.sale_id = s.id AND s.closed_at BETWEEN %s AND s.state IN ('paid', 'refunded')"
    " GROUP BY 1, 2, 3, 4", period);
  res = query_or_die (conn, sql);
  for (int i = 0; i < PQntuples (res); i++)
    {
      g_autofree char *key = g_strdup_printf ("%s\x1f%s", PQgetvalue (res, i, 2),
                                              PQgetvalue (res, i, 3));

      group_add (products, key, text_at (res, i, 3), text_at (res, i, 2), res, i);
      group_add (cashiers, PQgetvalue (res, i, 1), PQgetvalue (res, i, 1), NULL, res, i);
    }
  PQclear (res);
  sorted = sorted_values (products, by_amount);
  for (guint i = 0, n = 0; i < sorted->len && n < 20; i++)
    {
      Group *g = sorted->pdata[i];

      if (g->n_goods > 0 && ++n)
        till_report_add_product (r, g->goods_id, g->name, g->qty, g->amount);
    }
  g_ptr_array_sort (sorted, by_discounts);
  for (guint i = 0; i < sorted->len; i++)
    {
      Group *g = sorted->pdata[i];

      if (g->n_discounts > 0 || g->n_overrides > 0)
        till_report_add_pricing (r->pricing_products, g->name, g->id, g->n_discounts,
                                 g->discounts, g->n_overrides, g->overrides);
    }
  g_clear_pointer (&sorted, g_ptr_array_unref);
  sorted = sorted_values (cashiers, by_discounts);
  for (guint i = 0; i < sorted->len; i++)
    {
      Group *g = sorted->pdata[i];

      if (g->n_discounts == 0 && g->n_overrides == 0)
        continue;
      till_report_add_pricing (r->pricing_cashiers, g->name, 0, g->n_discounts, g->discounts,
                               g->n_overrides, g->overrides);
      r->discounts_fen += g->discounts;
      r->overrides_fen += g->overrides;
    }
  g_clear_pointer (&sorted, g_ptr_array_unref);

  g_free (sql);
  sql = g_strdup_printf ("SELECT number, closed_at, total_fen, coalesce (cashier, '')"
                         " FROM sale WHERE closed_at BETWEEN %s AND state = 'voided'"
                         " ORDER BY closed_at, store_id, till_id, id", period);
  res = query_or_die (conn, sql);
  for (int i = 0; i < PQntuples (res); i++)
    {
      till_report_add_event (r->voids, text_at (res, i, 0), int_at (res, i, 1),
                             int_at (res, i, 2), text_at (res, i, 3), NULL, NULL);
      r->n_voids++;
      r->voids_fen += int_at (res, i, 2);
    }
  PQclear (res);

  g_free (sql);
  sql = g_strdup_printf (
    "SELECT s.number, f.created_at, f.amount_fen, p.method, f.out_refund_no, f.reason,"
    "  f.rounding_fen, f.store_id"
    " FROM refund f JOIN payment p USING (store_id, till_id) JOIN sale s USING (store_id, till_id)"
    " WHERE p.id = f.payment_id AND s.id = p.sale_id AND f.state = 'success'"
    "  AND f.created_at BETWEEN %s AND p.unattached = 0 AND s.state <> 'voided'"
    " ORDER BY f.created_at, f.store_id, f.till_id, f.id", period);
  res = query_or_die (conn, sql);
  for (int i = 0; i < PQntuples (res); i++)
    {
      TillHqStoreLine *line = g_hash_table_lookup (lines, text_at (res, i, 7));
      gint64 amount = int_at (res, i, 2);

      till_report_add_event (r->refunds, text_at (res, i, 0), int_at (res, i, 1), amount,
                             text_at (res, i, 3), text_at (res, i, 4), text_at (res, i, 5));
      r->n_refunds++;
      r->refunds_fen += amount;
      r->method_refund_fen[till_report_method_from_id (text_at (res, i, 3))] += amount;
      r->cash_rounding_fen -= int_at (res, i, 6);
      line->n_refunds++;
      line->refunds_fen += amount;
    }
  PQclear (res);

  g_free (sql);
  sql = g_strdup_printf ("SELECT store_id, cashier, count(*), sum (amount_fen),"
                         "  sum (rounding_fen) FROM goods_return WHERE at BETWEEN %s"
                         " GROUP BY store_id, cashier", period);
  res = query_or_die (conn, sql);
  for (int i = 0; i < PQntuples (res); i++)
    {
      TillHqStoreLine *line = g_hash_table_lookup (lines, text_at (res, i, 0));
      Group *g = g_hash_table_lookup (return_cashiers, text_at (res, i, 1));

      if (g == NULL)
        {
          g = g_new0 (Group, 1);
          g->name = g_strdup (text_at (res, i, 1));
          g_hash_table_insert (return_cashiers, g_strdup (g->name), g);
        }
      g->n_goods += (guint) int_at (res, i, 2);
      g->amount += int_at (res, i, 3);
      r->n_returns += (guint) int_at (res, i, 2);
      r->returns_fen += int_at (res, i, 3);
      r->cash_rounding_fen -= int_at (res, i, 4);
      line->returns_fen += int_at (res, i, 3);
    }
  PQclear (res);
  exec_or_die (conn, "COMMIT");
  sorted = sorted_values (return_cashiers, by_amount);
  for (guint i = 0; i < sorted->len; i++)
    {
      Group *g = sorted->pdata[i];

      till_report_add_return_cashier (r, g->name, g->n_goods, g->amount);
    }
  g_clear_pointer (&sorted, g_ptr_array_unref);

  for (guint i = 0; i < report->stores->len; i++)
    {
      TillHqStoreLine *line = report->stores->pdata[i];

      line->net_fen = line->gross_fen - line->refunds_fen - line->returns_fen;
    }
  r->net_fen = r->gross_fen - r->refunds_fen - r->returns_fen;
  r->average_fen = till_report_average (r->gross_fen, r->n_sales);
  return report;
}

/* ------------------------------------------------- the day report over 100 stores */

static void
make_year (PGconn *conn, int per_day)
{
  gint64 base = local_midnight_us (2026, 1, 1);
  g_autofree char *sql = NULL;

  exec_or_die (conn, "INSERT INTO store SELECT 'S' || s, 'Store ' || s"
                     " FROM generate_series (2, " G_STRINGIFY (N_STORES) ") s");
  /* goods sales from 08:00, every 25th voided, three cashiers */
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
  /* two lines a sale over 200 goods; every 10th line discounted, every 17th overridden */
  exec_or_die (conn, "INSERT INTO sale_line (store_id, till_id, sale_id, position, barcode, name,"
                     "  unit, qty_milli, unit_price_fen, line_total_fen, final_fen,"
                     "  original_price_fen, discount_kind, discount_value, discount_fen)"
                     " SELECT store_id, till_id, id, p, '69' || lpad (((id + p) % 200)::text, 11, '0'),"
                     "  'P' || ((id + p) % 200), '件', 1000, x, x, x - dc,"
                     "  CASE WHEN (id + p) % 17 = 0 THEN x + 30 END,"
                     "  CASE WHEN dc > 0 THEN 'amount' ELSE 'none' END, dc, dc"
                     " FROM sale, generate_series (0, 1) p,"
                     "  LATERAL (SELECT CASE p WHEN 0 THEN total_fen / 2"
                     "   ELSE total_fen - total_fen / 2 END AS x) v,"
                     "  LATERAL (SELECT CASE WHEN (id + p) % 10 = 0 THEN 10 ELSE 0 END AS dc) w");
  /* a stored-value top-up a store a day at 19:00 (no lines) */
  g_free (sql);
  sql = g_strdup_printf (
    "INSERT INTO sale (store_id, till_id, id, number, opened_at, closed_at, state, total_fen,"
    "  cashier, kind)"
    " SELECT 'S' || s, 'T1', 1000000 + d, 'TU' || d, ts, ts, 'paid', 10000, 'c0', 'topup'"
    " FROM generate_series (1, %d) s, generate_series (0, %d) d,"
    "  LATERAL (SELECT %" G_GINT64_FORMAT "::bigint + d * 86400000000 + 68400000000 AS ts) t",
    N_STORES, N_DAYS - 1, base);
  exec_or_die (conn, sql);
  exec_or_die (conn, "INSERT INTO payment (store_id, till_id, id, sale_id, method, amount_fen,"
                     "  state, created_at, updated_at)"
                     " SELECT store_id, till_id, id, id, CASE id % 3 WHEN 0 THEN 'cash'"
                     "  WHEN 1 THEN 'wechat_code' ELSE 'alipay_code' END, total_fen, 'paid',"
                     "  closed_at, closed_at FROM sale WHERE state = 'paid'");
  /* a sale in 20 (one a store a day) half refunded ten minutes later */
  exec_or_die (conn, "INSERT INTO refund (store_id, till_id, id, payment_id, out_refund_no,"
                     "  amount_fen, reason, state, created_at, updated_at)"
                     " SELECT store_id, till_id, id, id, 'R' || id, amount_fen / 2, 'damaged',"
                     "  'success', created_at + 600000000, created_at + 600000000"
                     " FROM payment WHERE id % 20 = 3 AND id < 1000000");
  /* two returns without a receipt a store a day */
  g_free (sql);
  sql = g_strdup_printf (
    "INSERT INTO goods_return (store_id, till_id, id, number, day, at, cashier, manager,"
    "  reason, amount_fen)"
    " SELECT 'S' || s, 'T1', d * 2 + j + 1, 'G' || (d * 2 + j + 1), '', ts, 'c' || j, 'm',"
    "  'faulty', 300 + j * 100"
    " FROM generate_series (1, %d) s, generate_series (0, %d) d, generate_series (0, 1) j,"
    "  LATERAL (SELECT %" G_GINT64_FORMAT "::bigint + d * 86400000000 + 54000000000"
    "   + j * 3600000000 AS ts) t",
    N_STORES, N_DAYS - 1, base);
  exec_or_die (conn, sql);
  exec_or_die (conn, "VACUUM ANALYZE");
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
  g_autoptr(GArray) defaults_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) simple_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *per_day_env = g_getenv ("TILL_BENCH_HQ_PER_DAY");
  int per_day = per_day_env != NULL ? atoi (per_day_env) : 20;
  gint64 from = local_midnight_us (2026, 6, 15), to = local_midnight_us (2026, 6, 16);
  g_autofree char *simple_sql = NULL;
  gint64 start, n_sales;
  TillBenchStats report_stats, raw_stats, defaults_stats, simple_stats;
  PGresult *result;

  start = till_bench_now_ns ();
  make_year (conn, per_day);
  result = query_or_die (conn, "SELECT count(*) FROM sale");
  n_sales = int_at (result, 0, 0);
  PQclear (result);
  printf ("report: %d stores × %d days × %d sales = %" G_GINT64_FORMAT " sales, with their lines,"
          " payments, refunds, returns and top-ups (made in %.1f s)\n",
          N_STORES, N_DAYS, per_day, n_sales, (till_bench_now_ns () - start) / 1e9);

  simple_sql = g_strdup_printf ("SELECT count(*), sum (total_fen) FROM sale"
                                " WHERE state IN ('paid', 'refunded') AND kind = 'goods'"
                                "  AND closed_at >= %" G_GINT64_FORMAT " AND closed_at < %"
                                G_GINT64_FORMAT, from, to);
  for (int r = 0; r < REPEATS; r++)
    {
      g_autoptr(TillHqReport) report = NULL;
      g_autoptr(TillHqReport) raw = NULL;
      g_autoptr(TillHqReport) defaults = NULL;
      g_autofree char *report_csv = NULL;
      g_autofree char *raw_csv = NULL;
      g_autofree char *defaults_csv = NULL;
      gsize report_len = 0, raw_len = 0, defaults_len = 0;
      gint64 ns;

      start = till_bench_now_ns ();
      report = till_hq_report_day (hq, "2026-06-15", NULL, &error);
      ns = till_bench_now_ns () - start;
      g_assert_no_error (error);
      g_array_append_val (report_ns, ns);

      /* the raw SQL without parallel workers, as the report runs */
      exec_or_die (conn, "SET max_parallel_workers_per_gather = 0");
      start = till_bench_now_ns ();
      raw = raw_report (conn, "2026-06-15", from, to);
      ns = till_bench_now_ns () - start;
      g_array_append_val (raw_ns, ns);

      /* the same with the server's defaults (parallel workers allowed) */
      exec_or_die (conn, "RESET max_parallel_workers_per_gather");
      start = till_bench_now_ns ();
      defaults = raw_report (conn, "2026-06-15", from, to);
      ns = till_bench_now_ns () - start;
      g_array_append_val (defaults_ns, ns);

      start = till_bench_now_ns ();
      result = query_or_die (conn, simple_sql);
      ns = till_bench_now_ns () - start;
      g_array_append_val (simple_ns, ns);
      if (int_at (result, 0, 1) != report->total->gross_fen)
        g_error ("the report's gross is not the raw count and gross query's");
      PQclear (result);

      /* every figure, in the CSV of each: the report's equal to the raw SQL's */
      report_csv = till_hq_report_to_csv (report, &report_len);
      raw_csv = till_hq_report_to_csv (raw, &raw_len);
      defaults_csv = till_hq_report_to_csv (defaults, &defaults_len);
      if (report->stores->len != N_STORES || report->total->n_refunds == 0
          || report->total->n_returns == 0 || report->total->n_topups == 0
          || report->total->discounts_fen == 0 || report->total->overrides_fen == 0)
        g_error ("the report lacks a figure the data has: %u stores, %u refunds, %u returns,"
                 " %u top-ups, discounts %" G_GINT64_FORMAT ", overrides %" G_GINT64_FORMAT,
                 report->stores->len, report->total->n_refunds, report->total->n_returns,
                 report->total->n_topups, report->total->discounts_fen,
                 report->total->overrides_fen);
      if (report_len != raw_len || memcmp (report_csv, raw_csv, raw_len) != 0
          || raw_len != defaults_len || memcmp (raw_csv, defaults_csv, raw_len) != 0)
        {
          g_autofree char *a = g_build_filename (g_get_tmp_dir (), "bench-hq-report.csv", NULL);
          g_autofree char *b = g_build_filename (g_get_tmp_dir (), "bench-hq-raw.csv", NULL);

          g_file_set_contents (a, report_csv, (gssize) report_len, NULL);
          g_file_set_contents (b, raw_csv, (gssize) raw_len, NULL);
          g_error ("the report's figures differ from the raw SQL's: diff %s %s", a, b);
        }
    }
  report_stats = till_bench_stats (report_ns);
  raw_stats = till_bench_stats (raw_ns);
  defaults_stats = till_bench_stats (defaults_ns);
  simple_stats = till_bench_stats (simple_ns);
  printf ("  the day's figures (every figure of the report, %d store lines), median of %d:\n",
          N_STORES, REPEATS);
  printf ("  till_hq_report_day                       %7.1f ms  (min %.1f, max %.1f)\n",
          report_stats.median / 1e6, report_stats.min / 1e6, report_stats.max / 1e6);
  printf ("  raw SQL of the same figures              %7.1f ms  (min %.1f, max %.1f)"
          "  report/raw %.2f×\n", raw_stats.median / 1e6, raw_stats.min / 1e6,
          raw_stats.max / 1e6, report_stats.median / raw_stats.median);
  printf ("  the same raw SQL, parallel workers on    %7.1f ms  (min %.1f, max %.1f)\n",
          defaults_stats.median / 1e6, defaults_stats.min / 1e6, defaults_stats.max / 1e6);
  printf ("  raw SQL of the day's count and gross only%7.1f ms  (min %.1f, max %.1f)\n",
          simple_stats.median / 1e6, simple_stats.min / 1e6, simple_stats.max / 1e6);
  printf ("  figures equal: the report's CSV is the raw SQL's, byte for byte\n");
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPgServer) server = NULL;

  g_setenv ("TZ", "Asia/Shanghai", TRUE);
  setvbuf (stdout, NULL, _IOLBF, 0);
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
