/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The till sends its books to the head office (issue 19; TillHqSync, schema 21): two
 * tills (two real SQLite stores in two data directories, each with its own sender)
 * against a private PostgreSQL server (helpers/till-pg-server.h). One till's books exist
 * before sending is turned on (queued at once), the other's are queued by the triggers
 * as they are made; then the server dies (pg_ctl stop -m immediate) while sales, payments
 * and refunds go on, the senders say "offline", and once it is started again the outboxes
 * empty by themselves. At the end the head office's report per store equals each till's
 * own, the command line's CSV starts with the till's own, and no row is there twice.
 * /hq/sync/price-change: a price changed with `tillpoint-hq import-catalog` is the price
 * the till's checkout charges after its pull, and the sale made before keeps the old price
 * at the till and at head office. */
#include "config.h"

#include <libpq-fe.h>
#include <string.h>

#include "till-checkout.h"
#include "till-context.h"
#include "till-hq.h"
#include "till-hq-sync.h"
#include "till-pg-server.h"
#include "till-store-hq.h"
#include "till-store-outbox.h"
#include "till-store-reports.h"
#include "till-test-store.h"
#include "report-dataset.h"

static TillPgServer *server;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)

static gint64
sql_int (const char *uri, const char *sql)
{
  g_autoptr (PGconn) conn = PQconnectdb (uri);
  PGresult *result;
  gint64 value;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  if (PQntuples (result) != 1)
    g_error ("%s: %d rows, one expected", sql, PQntuples (result));
  value = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  return value;
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main context until every sender is in `state` with `waiting` rows (-1: any
 * number above 0); fails after limit_s seconds. */
static void
wait_for (TillHqSync **syncs, guint n, TillHqSyncState state, gint64 waiting, guint limit_s)
{
  gint64 deadline = g_get_monotonic_time () + limit_s * G_USEC_PER_SEC;
  guint wake = g_timeout_add (20, wake_cb, NULL);
  gboolean all = FALSE;

  while (!all)
    {
      all = TRUE;
      for (guint i = 0; i < n; i++)
        if (till_hq_sync_get_state (syncs[i]) != state
            || (waiting >= 0 ? till_hq_sync_get_waiting (syncs[i]) != waiting
                             : till_hq_sync_get_waiting (syncs[i]) == 0))
          all = FALSE;
      if (all)
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for state %d, waiting %" G_GINT64_FORMAT ": till 1 is"
                 " %d with %" G_GINT64_FORMAT,
                 state, waiting, till_hq_sync_get_state (syncs[0]),
                 till_hq_sync_get_waiting (syncs[0]));
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
}

/* Runs the main context until the sender's last configuration reached the store. */
static void
wait_applied (TillHqSync *sync)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!till_hq_sync_is_applied (sync))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* More of the day at a till: sales paid in cash and by WeChat code, a void, a refund made
 * (processing, then successful: a row sent and changed), a cash movement. */
static void
more_sales (TillStore *store, guint32 seed, int n)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr (GError) error = NULL;
  gint64 product_ids[G_N_ELEMENTS (dataset_products)];
  gint64 last_paid = 0;

  for (guint p = 0; p < G_N_ELEMENTS (dataset_products); p++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT id FROM product ORDER BY id LIMIT 1"
                                              " OFFSET %u",
                                              p);

      product_ids[p] = store_int (store, sql);
    }
  till_store_set_clock_for_testing (dataset_clock_cb, &dataset_clock);
  for (int i = 0; i < n; i++)
    {
      g_autoptr (TillSale) sale = NULL;

      dataset_at (dataset_day_start (1) + G_GINT64_CONSTANT (22) * 3600 * G_USEC_PER_SEC
                  + (i + 1) * 60 * G_USEC_PER_SEC + seed);
      sale = dataset_new_sale (store, rand, product_ids, "小李");
      if (i % 5 == 4)
        g_assert_true (till_store_void_sale (store, sale, "小李", &error));
      else if (i % 2 == 0)
        g_assert_true (till_store_complete_cash_sale (store, sale,
                                                      till_sale_get_total_fen (sale) + 50, &error));
      else
        {
          dataset_pay_electronic (store, sale, TILL_PAYMENT_METHOD_WECHAT_CODE,
                                  till_sale_get_total_fen (sale), i == 1);
          last_paid = till_sale_get_id (sale);
        }
      g_assert_no_error (error);
    }
  if (last_paid > 0)
    {
      g_autofree char *insert = g_strdup_printf (
          "INSERT INTO refund (payment_id, out_refund_no, amount_fen, reason, state,"
          "  created_at, updated_at)"
          " SELECT id, 'RS%u', amount_fen, '顾客退货', 'processing', %" G_GINT64_FORMAT
          ", %" G_GINT64_FORMAT " FROM payment WHERE sale_id = %" G_GINT64_FORMAT
          " AND state = 'paid' ORDER BY id LIMIT 1",
          seed, dataset_clock.now + 1, dataset_clock.now + 1, last_paid);
      g_autofree char *settle = g_strdup_printf (
          "UPDATE refund SET state = 'success' WHERE out_refund_no = 'RS%u'", seed);

      till_store_lock (store);
      g_assert_true (till_store_exec_literal (till_store_get_db (store), insert, NULL));
      g_assert_true (till_store_exec_literal (till_store_get_db (store), settle, NULL));
      till_store_unlock (store);
    }
  till_store_set_clock_for_testing (NULL, NULL);
}

static void
assert_store_report (TillHq *hq, const char *uri, TillStore *store, const char *store_id,
                     const char *date)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TillReport) own = till_store_report_day (store, date, &error);
  g_autoptr (TillHqReport) at_hq = till_hq_report_day (hq, date, store_id, &error);
  g_autofree char *own_text = till_report_to_text (own);
  g_autofree char *hq_text = NULL;
  g_autofree char *own_csv = till_report_to_csv (own, NULL);
  g_autofree char *arg = g_strdup_printf ("--store=%s", store_id);
  g_autofree char *date_arg = g_strdup_printf ("--date=%s", date);
  g_autofree char *out = NULL, *err = NULL;
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "TILLPOINT_HQ_URL", uri, TRUE);
  const char *argv[] = { g_getenv ("TILL_HQ_TOOL"), "report", date_arg, arg, "--format=csv", NULL };
  int status = -1;

  g_assert_no_error (error);
  g_assert_cmpuint (own->n_sales, >, 0);
  hq_text = till_report_to_text (at_hq->total);
  g_assert_cmpstr (hq_text, ==, own_text);
  g_assert_true (g_spawn_sync (NULL, (char **)argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  g_assert_true (g_str_has_prefix (out, own_csv));
}

static void
test_two_tills (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autoptr (TillHq) hq = NULL;
  const char *const store_ids[] = { "S1", "S2" };
  TillStore *stores[2];
  TillHqSync *syncs[2];
  char *dirs[2], *paths[2];
  gint64 queued = 0;

  if (server == NULL)
    {
      g_test_skip ("PostgreSQL's server is not installed (Debian: apt-get install postgresql)");
      return;
    }
  uri = till_pg_server_new_database (server, "hq_sync_1", &error);
  g_assert_no_error (error);
  hq = till_hq_connect (uri, &error);
  g_assert_no_error (error);
  g_assert_true (till_hq_migrate (hq, TRUE, NULL, NULL, &error));
  g_assert_true (till_hq_add_store (hq, "S1", "人民路店", &error));
  g_assert_true (till_hq_add_store (hq, "S2", "解放路店", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 2; i++)
    {
      stores[i] = till_test_store_open_tmp ("till-hq-sync-XXXXXX", &dirs[i], &paths[i]);
      syncs[i] = till_hq_sync_new (stores[i]);
      till_hq_sync_set_intervals (syncs[i], 50, 100, 400);
      till_hq_sync_set_catalog_interval (syncs[i], 100);
      g_assert_cmpint (till_hq_sync_get_state (syncs[i]), ==, TILL_HQ_SYNC_OFF);
      g_assert_null (till_hq_sync_dup_status_text (syncs[i]));
    }

  /* Till 1's books from before: nothing is queued while sending is off... */
  g_assert_cmpuint (dataset_generate (stores[0], 11, 2, 40), >, 0);
  g_assert_cmpint (till_store_hq_count_waiting (stores[0], NULL), ==, 0);
  /* ...and all of them at once when it is turned on (open and suspended sales never) */
  g_assert_true (till_store_hq_set_enabled (stores[0], TRUE, &queued, &error));
  g_assert_no_error (error);
  g_assert_cmpint (queued, ==,
                   store_int (stores[0], "SELECT (SELECT count(*) FROM sale WHERE state NOT IN"
                                         " ('open', 'suspended')) + (SELECT count(*) FROM"
                                         " payment) + (SELECT count(*) FROM refund)"
                                         " + (SELECT count(*) FROM stock_move)"
                                         " + (SELECT count(*) FROM cash_movement)"));
  /* the payments' worker never sees these jobs */
  g_assert_cmpint (till_store_outbox_count_pending (stores[0], NULL), ==, 0);
  {
    g_autoptr (TillOutboxJob) none = till_store_outbox_claim_next (stores[0], G_MAXINT64, &error);

    g_assert_no_error (error);
    g_assert_null (none);
  }

  /* a password file others can read is refused, saying what to do; nothing is sent */
  {
    g_autofree char *passfile = g_build_filename (dirs[1], "pgpass", NULL);

    g_assert_true (g_file_set_contents (passfile, "*:*:*:*:s3cret\n", -1, NULL));
    g_assert_cmpint (g_chmod (passfile, 0644), ==, 0);
    g_assert_false (till_hq_sync_configure (syncs[1], uri, passfile, "S2", "T1", &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
    g_assert_nonnull (strstr (error->message, "chmod 600"));
    g_clear_error (&error);
    g_assert_cmpint (till_hq_sync_get_state (syncs[1]), ==, TILL_HQ_SYNC_OFF);
    g_assert_false (till_hq_sync_configure (syncs[1], uri, NULL, "S-2", "T1", &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
    /* readable by the user only: taken (libpq reads it; the socket needs no password) */
    g_assert_cmpint (g_chmod (passfile, 0600), ==, 0);
    g_assert_true (till_hq_sync_configure (syncs[1], uri, passfile, "S2", "T1", &error));
    g_assert_no_error (error);
    wait_applied (syncs[1]);
  }
  g_assert_true (till_hq_sync_configure (syncs[0], uri, NULL, "S1", "T1", &error));
  g_assert_no_error (error);

  /* Till 2's books are made while sending: the triggers queue them */
  g_assert_cmpuint (dataset_generate (stores[1], 22, 2, 40), >, 0);
  g_assert_cmpint (till_store_hq_count_waiting (stores[1], NULL), >, 0);
  till_hq_sync_kick (syncs[1]);
  wait_for (syncs, 2, TILL_HQ_SYNC_UP_TO_DATE, 0, 30);
  {
    g_autofree char *text = till_hq_sync_dup_status_text (syncs[0]);

    g_assert_cmpstr (text, ==, "Head office: up to date");
  }
  g_assert_cmpint (sql_int (uri, "SELECT count(*) FROM sale WHERE store_id = 'S1'"), ==,
                   store_int (stores[0], "SELECT count(*) FROM sale WHERE state NOT IN"
                                         " ('open', 'suspended')"));

  /* The catalog: head office changes a price and adds a product with S2's own price; each
   * till pulls what its store sees, by itself */
  {
    g_autofree char *dir = g_dir_make_tmp ("till-hq-sync-csv-XXXXXX", &error);
    g_autofree char *chain = g_build_filename (dir, "chain.csv", NULL);
    g_autofree char *s2 = g_build_filename (dir, "s2.csv", NULL);
    g_autoptr (GPtrArray) row_errors = NULL;
    g_autoptr (GPtrArray) row_errors_s2 = NULL;
    TillHqImportSummary summary = { 0 };
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    const char *new_price = "SELECT coalesce ((SELECT price_fen FROM product"
                            " WHERE barcode = '6999999000013'), 0)";
    const char *water_price = "SELECT price_fen FROM product WHERE barcode = '6921168509256'";

    g_assert_no_error (error);
    g_assert_true (g_file_set_contents (chain,
                                        "条码,品名,售价,单位\r\n"
                                        "6921168509256,农夫山泉 550ml,2.50,瓶\r\n"
                                        "6999999000013,总部新品,9.90,件\r\n",
                                        -1, NULL));
    g_assert_true (g_file_set_contents (s2,
                                        "条码,品名,售价,单位\r\n"
                                        "6999999000013,总部新品,8.80,件\r\n",
                                        -1, NULL));
    g_assert_true (till_hq_import_catalog (hq, chain, NULL, &summary, &row_errors, &error));
    g_assert_no_error (error);
    g_assert_true (till_hq_import_catalog (hq, s2, "S2", &summary, &row_errors_s2, &error));
    g_assert_no_error (error);
    while (store_int (stores[0], new_price) != 990 || store_int (stores[1], new_price) != 880)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, FALSE);
        g_usleep (5000);
      }
    g_assert_cmpint (store_int (stores[0], water_price), ==, 250);
    g_assert_cmpint (store_int (stores[1], water_price), ==, 250);
    g_assert_cmpint (till_hq_sync_get_catalog_synced_at (syncs[1]), >, 0);
    /* ...and each tells head office the version it applied (tillpoint-hq tills) */
    {
      gint64 current = 0;
      g_autofree char *count_sql = NULL;

      g_assert_true (till_hq_catalog_version (hq, &current, &error));
      g_assert_no_error (error);
      count_sql = g_strdup_printf ("SELECT count(*) FROM till WHERE catalog_version = %"
                                   G_GINT64_FORMAT, current);
      while (sql_int (uri, count_sql) != 2)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_main_context_iteration (NULL, FALSE);
          g_usleep (5000);
        }
      for (guint i = 0; i < 2; i++)
        g_assert_cmpint (store_int (stores[i], "SELECT catalog_version FROM hq_config"), ==,
                         current);
    }
    g_unlink (chain);
    g_unlink (s2);
    g_rmdir (dir);
  }

  /* The server dies; the day goes on at both tills */
  g_assert_true (till_pg_server_kill (server, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      more_sales (stores[i], 100 + i, 12);
      till_hq_sync_kick (syncs[i]);
    }
  wait_for (syncs, 2, TILL_HQ_SYNC_OFFLINE, -1, 30);
  /* and says so between its tries too (several backoffs of at most 400 ms) */
  {
    gint64 until = g_get_monotonic_time () + 900 * 1000;

    while (g_get_monotonic_time () < until)
      {
        g_main_context_iteration (NULL, FALSE);
        for (guint i = 0; i < 2; i++)
          g_assert_cmpint (till_hq_sync_get_state (syncs[i]), ==, TILL_HQ_SYNC_OFFLINE);
        g_usleep (2000);
      }
  }
  {
    g_autofree char *text = till_hq_sync_dup_status_text (syncs[1]);

    g_assert_cmpstr (text, ==, "Head office: offline");
  }
  /* it is started again: the outboxes empty by themselves */
  g_assert_true (till_pg_server_start (server, &error));
  g_assert_no_error (error);
  wait_for (syncs, 2, TILL_HQ_SYNC_UP_TO_DATE, 0, 30);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpint (store_int (stores[i], "SELECT count(*) FROM outbox WHERE kind = 'hq_sync'"
                                           " AND state <> 'done'"),
                     ==, 0);

  /* everything is there once, the later state of a changed row, nothing open */
  g_clear_object (&hq);
  hq = till_hq_connect (uri, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *sales
          = g_strdup_printf ("SELECT count(*) FROM sale WHERE store_id = '%s'", store_ids[i]);
      g_autofree char *lines
          = g_strdup_printf ("SELECT count(*) FROM sale_line WHERE store_id = '%s'", store_ids[i]);
      g_autofree char *payments
          = g_strdup_printf ("SELECT count(*) FROM payment WHERE store_id = '%s'", store_ids[i]);
      g_autofree char *refunds = g_strdup_printf (
          "SELECT count(*) FROM refund WHERE store_id = '%s' AND state = 'success'", store_ids[i]);

      g_assert_cmpint (sql_int (uri, sales), ==,
                       store_int (stores[i], "SELECT count(*) FROM sale WHERE state NOT IN"
                                             " ('open', 'suspended')"));
      g_assert_cmpint (sql_int (uri, lines), ==,
                       store_int (stores[i], "SELECT count(*) FROM sale_line l JOIN sale s"
                                             " ON s.id = l.sale_id WHERE s.state NOT IN"
                                             " ('open', 'suspended')"));
      g_assert_cmpint (sql_int (uri, payments), ==,
                       store_int (stores[i], "SELECT count(*) FROM payment"));
      g_assert_cmpint (
          sql_int (uri, refunds), ==,
          store_int (stores[i], "SELECT count(*) FROM refund WHERE state = 'success'"));
      assert_store_report (hq, uri, stores[i], store_ids[i], "2026-11-20");
      assert_store_report (hq, uri, stores[i], store_ids[i], "2026-11-21");
    }
  g_assert_cmpint (sql_int (uri, "SELECT count(*) FROM sale WHERE state IN ('open', 'suspended')"),
                   ==, 0);
  g_assert_cmpint (sql_int (uri, "SELECT count(*) - count(DISTINCT (store_id, till_id, id))"
                                 " FROM sale"),
                   ==, 0);
  g_assert_cmpint (sql_int (uri, "SELECT count(*) - count(DISTINCT (store_id, till_id, id))"
                                 " FROM payment"),
                   ==, 0);
  g_assert_cmpint (sql_int (uri, "SELECT count(*) FROM till"), ==, 2);

  /* turned off: nothing more is queued, the status bar says nothing */
  g_assert_true (till_hq_sync_configure (syncs[0], "", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  wait_applied (syncs[0]);
  more_sales (stores[0], 300, 3);
  g_assert_cmpint (till_store_hq_count_waiting (stores[0], NULL), ==, 0);
  g_assert_null (till_hq_sync_dup_status_text (syncs[0]));

  for (guint i = 0; i < 2; i++)
    {
      g_object_unref (syncs[i]);
      till_store_flush (stores[i]);
      g_object_unref (stores[i]);
      till_test_store_remove_tmp (dirs[i], paths[i]);
      g_free (dirs[i]);
      g_free (paths[i]);
    }
}

/* ---------------------------------------------------------------- a price changed */

static gboolean
checkout_ready (TillCheckout *checkout)
{
  TillSale *sale = till_checkout_get_sale (checkout);

  return sale != NULL && till_sale_get_state (sale) == TILL_SALE_STATE_OPEN
         && till_checkout_is_idle (checkout);
}

static void
spin_until (gboolean (*cond) (gpointer data), gpointer data, const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static gboolean
checkout_ready_cb (gpointer data)
{
  return checkout_ready (data);
}

static gboolean
checkout_paid_cb (gpointer data)
{
  TillSale *sale = till_checkout_get_sale (data);

  return sale != NULL && till_sale_get_state (sale) == TILL_SALE_STATE_PAID
         && till_checkout_is_idle (data);
}

static gboolean
one_line_cb (gpointer data)
{
  TillSale *sale = till_checkout_get_sale (data);
  guint n_lines = 0;

  if (sale == NULL || !till_checkout_is_idle (data))
    return FALSE;
  g_object_get (sale, "n-lines", &n_lines, NULL);
  return n_lines == 1;
}

/* Runs the main context until head office holds the paid sale `sale_id` of S1's till T1
 * (the sender's state alone may still be the last round's). */
static void
wait_at_hq (const char *uri, gint64 sale_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM sale WHERE store_id = 'S1' AND"
                                          " till_id = 'T1' AND state = 'paid' AND id = %"
                                          G_GINT64_FORMAT, sale_id);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (sql_int (uri, sql) != 1)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for sale %" G_GINT64_FORMAT " at head office", sale_id);
      for (int i = 0; i < 10; i++)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (2000);
        }
    }
}

/* One sale of `barcode` scanned at the checkout and paid in cash; its id. */
static gint64
sell_one (TillCheckout *checkout, const char *barcode)
{
  g_autoptr (GError) error = NULL;
  gint64 due;

  spin_until (checkout_ready_cb, checkout, "an open sale");
  till_checkout_enter_code (checkout, barcode);
  spin_until (one_line_cb, checkout, "the scanned line");
  due = till_checkout_get_due_fen (checkout);
  /* a ¥10 note or more: the till hands cash in steps of ¥0.10 */
  g_assert_true (till_checkout_pay_cash (checkout, due, (due / 1000 + 1) * 1000, &error));
  g_assert_no_error (error);
  spin_until (checkout_paid_cb, checkout, "the sale to be paid");
  return till_sale_get_id (till_checkout_get_sale (checkout));
}

/* A price changed at head office with `tillpoint-hq import-catalog` is the price the till
 * charges at its counter (a scan into TillCheckout) once it has pulled the catalog; the
 * sale made before keeps the old price, at the till and at head office. */
static void
test_price_change (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *uri = NULL, *dir = NULL, *db_path = NULL, *csv_dir = NULL, *csv = NULL;
  g_autofree char *barcode = NULL, *name = NULL, *csv_text = NULL, *query = NULL;
  g_autoptr (TillHq) hq = NULL;
  g_autoptr (GSettings) settings = NULL;
  g_autoptr (TillStore) store = NULL;
  g_autoptr (TillContext) context = NULL;
  g_autoptr (TillHqSync) sync = NULL;
  g_autoptr (TillCheckout) checkout = NULL;
  g_auto (GStrv) env = NULL;
  gint64 old_price, new_price, before_id, after_id, deadline;
  int status = -1;

  if (server == NULL)
    {
      g_test_skip ("PostgreSQL's server is not installed (Debian: apt-get install postgresql)");
      return;
    }
  uri = till_pg_server_new_database (server, "hq_sync_price", &error);
  g_assert_no_error (error);
  hq = till_hq_connect (uri, &error);
  g_assert_no_error (error);
  g_assert_true (till_hq_migrate (hq, TRUE, NULL, NULL, &error));
  g_assert_true (till_hq_add_store (hq, "S1", "人民路店", &error));
  g_assert_no_error (error);

  store = till_test_store_open_tmp ("till-hq-price-XXXXXX", &dir, &db_path);
  g_assert_true (till_store_seed_demo_catalog (store, &error));
  g_assert_no_error (error);
  barcode = store_text (store, "SELECT barcode FROM product WHERE active = 1 AND weighed = 0"
                               " AND open_price = 0 AND barcode IS NOT NULL AND price_fen > 0"
                               " ORDER BY id LIMIT 1");
  query = g_strdup_printf ("SELECT price_fen FROM product WHERE barcode = '%s'", barcode);
  old_price = store_int (store, query);
  new_price = old_price + 123;
  {
    g_autofree char *name_query
        = g_strdup_printf ("SELECT name FROM product WHERE barcode = '%s'", barcode);

    name = store_text (store, name_query);
  }

  settings = g_settings_new (APPLICATION_ID);
  context = till_context_new (store, settings, NULL, dir, FALSE);
  sync = till_hq_sync_new (store);
  till_hq_sync_set_intervals (sync, 50, 100, 400);
  till_hq_sync_set_catalog_interval (sync, 100);
  till_context_set_hq_sync (context, sync);
  g_assert_true (till_hq_sync_configure (sync, uri, NULL, "S1", "T1", &error));
  g_assert_no_error (error);
  checkout = till_checkout_new (context);

  /* before: the till's own price */
  before_id = sell_one (checkout, barcode);
  wait_at_hq (uri, before_id);

  /* head office changes the price, with the command line */
  csv_dir = g_dir_make_tmp ("till-hq-price-csv-XXXXXX", &error);
  g_assert_no_error (error);
  csv = g_build_filename (csv_dir, "prices.csv", NULL);
  csv_text = g_strdup_printf ("条码,品名,售价\r\n%s,%s,%" G_GINT64_FORMAT ".%02d\r\n", barcode,
                              name, new_price / 100, (int)(new_price % 100));
  g_assert_true (g_file_set_contents (csv, csv_text, -1, NULL));
  env = g_environ_setenv (g_get_environ (), "TILLPOINT_HQ_URL", uri, TRUE);
  {
    const char *argv[] = { g_getenv ("TILL_HQ_TOOL"), "import-catalog", csv, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **)argv, env, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                                 NULL, NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  /* the till pulls it by itself */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (store_int (store, query) != new_price)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }

  /* after: the counter charges the new price */
  g_assert_true (till_checkout_new_sale (checkout, &error));
  g_assert_no_error (error);
  after_id = sell_one (checkout, barcode);
  wait_at_hq (uri, after_id);
  {
    g_autofree char *line = g_strdup_printf ("SELECT unit_price_fen FROM sale_line WHERE"
                                             " sale_id = %" G_GINT64_FORMAT,
                                             after_id);
    g_autofree char *old_line = g_strdup_printf ("SELECT unit_price_fen FROM sale_line WHERE"
                                                 " sale_id = %" G_GINT64_FORMAT,
                                                 before_id);
    g_autofree char *hq_line = g_strdup_printf ("SELECT unit_price_fen FROM sale_line WHERE"
                                                " store_id = 'S1' AND till_id = 'T1' AND"
                                                " sale_id = %" G_GINT64_FORMAT,
                                                after_id);
    g_autofree char *hq_old = g_strdup_printf ("SELECT unit_price_fen FROM sale_line WHERE"
                                               " store_id = 'S1' AND till_id = 'T1' AND"
                                               " sale_id = %" G_GINT64_FORMAT,
                                               before_id);
    g_autofree char *hq_total = g_strdup_printf ("SELECT total_fen FROM sale WHERE"
                                                 " store_id = 'S1' AND till_id = 'T1' AND"
                                                 " id = %" G_GINT64_FORMAT,
                                                 after_id);

    g_assert_cmpint (store_int (store, line), ==, new_price);
    g_assert_cmpint (store_int (store, old_line), ==, old_price);
    g_assert_cmpint (sql_int (uri, hq_line), ==, new_price);
    g_assert_cmpint (sql_int (uri, hq_old), ==, old_price);
    g_assert_cmpint (sql_int (uri, hq_total), ==, new_price);
  }

  g_clear_object (&checkout);
  g_clear_object (&sync);
  g_clear_object (&context);
  till_store_flush (store);
  g_clear_object (&store);
  till_test_store_remove_tmp (dir, db_path);
  g_unlink (csv);
  g_rmdir (csv_dir);
}

static GLogWriterOutput
quiet_writer_cb (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

int
main (int argc, char **argv)
{
  int status;

  g_setenv ("TZ", "Asia/Shanghai", TRUE);
  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (quiet_writer_cb, NULL, NULL);

  server = till_pg_server_new_or_skip ();
  g_test_add_func ("/hq/sync/two-tills", test_two_tills);
  g_test_add_func ("/hq/sync/price-change", test_price_change);
  status = g_test_run ();
  till_pg_server_free (server);
  return status;
}
