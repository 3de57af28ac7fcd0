/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The head office (src/hq, tillpoint-hq) against a real, private PostgreSQL server
 * (helpers/till-pg-server.h), each test in a database of its own: the schema made and
 * migrated twice; a batch of every table upserted twice (no change, no duplicate); the
 * catalog import with a store's own prices and the version rising; the day report over
 * three real tills' SQLite stores (sales, payments of every method, voids, refunds, made
 * through the store's API) equal to the tills' own reports, per store and in total, text
 * and CSV through the command line; and the server killed in the middle of a batch (all
 * or nothing, the retry after the restart succeeds). */
#include "config.h"

#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <string.h>

#include "till-hq.h"
#include "till-pg-server.h"
#include "till-test-store.h"
#include "till-store-reports.h"
#include "report-dataset.h"

static TillPgServer *server;
static guint n_databases;

/* Each test starts so: skipped, saying why, only when PostgreSQL is not installed. */
#define NEED_SERVER() \
  G_STMT_START \
  { \
    if (server == NULL) \
      { \
        g_test_skip ("PostgreSQL's server is not installed (Debian: apt-get install " \
                     "postgresql)"); \
        return; \
      } \
  } \
  G_STMT_END

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)

/* A database of its own for one test. */
static char *
new_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("hq_test_%u", ++n_databases);
  char *uri = till_pg_server_new_database (server, name, &error);

  g_assert_no_error (error);
  return uri;
}

static TillHq *
ready_hq (const char *uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillHq) hq = till_hq_connect (uri, &error);

  g_assert_no_error (error);
  g_assert_true (till_hq_migrate (hq, TRUE, NULL, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&hq);
}

static PGconn *
raw_conn (const char *uri)
{
  PGconn *conn = PQconnectdb (uri);

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  return conn;
}

/* The one value of `sql` through a connection of the test's own. */
static char *
sql_text (const char *uri,
          const char *sql)
{
  g_autoptr(PGconn) conn = raw_conn (uri);
  PGresult *result = PQexec (conn, sql);
  char *value;

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  g_assert_cmpint (PQntuples (result), ==, 1);
  value = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  return value;
}

static gint64
sql_int (const char *uri,
         const char *sql)
{
  g_autofree char *text = sql_text (uri, sql);

  return g_ascii_strtoll (text, NULL, 10);
}

/* tillpoint-hq ARGS... with TILLPOINT_HQ_URL=uri: exit status, stdout, stderr. */
static int
run_tool (const char  *uri,
          char       **out,
          char       **err,
          ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "TILLPOINT_HQ_URL", uri, TRUE);
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;
  int status = 0;

  g_ptr_array_add (argv, (char *) g_getenv ("TILL_HQ_TOOL"));
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* ---------------------------------------------------------------- schema */

static void
test_schema_run (void);

static void
test_schema (void)
{
  NEED_SERVER ();
  test_schema_run ();
}

static void
test_schema_run (void)
{
  g_autofree char *uri = new_database ();
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillHq) hq = NULL;
  int version = -1, from = -1, to = -1;

  /* migrate refuses a database without the schema, and says what to do */
  g_assert_cmpint (run_tool (uri, &out, &err, "migrate", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "tillpoint-hq init"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_tool (uri, &out, &err, "stores", NULL), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_tool (uri, &out, &err, "init", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "The head-office schema went from version 0 to 1.\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_tool (uri, &out, &err, "init", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "The head-office schema is at version 1: nothing to do.\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_tool (uri, &out, &err, "migrate", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "The head-office schema is at version 1: nothing to do.\n");

  hq = till_hq_connect (uri, &error);
  g_assert_no_error (error);
  g_assert_true (till_hq_get_schema_version (hq, &version, &error));
  g_assert_cmpint (version, ==, TILL_HQ_SCHEMA_VERSION);
  g_assert_true (till_hq_migrate (hq, FALSE, &from, &to, &error));
  g_assert_no_error (error);
  g_assert_cmpint (from, ==, 1);
  g_assert_cmpint (to, ==, 1);
  g_assert_cmpint (sql_int (uri, "SELECT count(*) FROM schema_version"), ==, 1);
  /* every table of a till's rows leads its primary key with store_id (Citus) */
  g_assert_cmpint (sql_int (uri,
    "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
    " JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'"
    " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]"
    " WHERE i.indisprimary AND c.relname NOT IN ('schema_version', 'product')"
    "  AND a.attname <> 'store_id'"), ==, 0);

  /* no database there: a clear refusal, the URI not repeated */
  {
    g_autofree char *missing = till_pg_server_get_uri_for (server, "no_such_db");
    g_autoptr(TillHq) none = till_hq_connect (missing, &error);

    g_assert_null (none);
    g_assert_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_CONNECT);
    g_assert_nonnull (strstr (error->message, "no_such_db"));
    g_assert_null (strstr (error->message, "postgresql://"));
    g_clear_error (&error);
  }
  /* a password in the URI is never printed, nor logged */
  {
    g_autofree char *base = till_pg_server_get_uri_for (server, "no_such_db");
    g_autofree char *secret = g_strconcat (base, "&password=s3cret-pw", NULL);

    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_tool (secret, &out, &err, "init", NULL), ==, 1);
    g_assert_nonnull (strstr (err, "Could not connect to the head-office database"));
    g_assert_null (strstr (err, "s3cret-pw"));
    g_assert_null (strstr (out, "s3cret-pw"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
    g_assert_cmpint (run_tool (secret, &out, &err, "stores", NULL), ==, 1);
    g_unsetenv ("G_MESSAGES_DEBUG");
    g_assert_nonnull (strstr (err, "could not connect"));
    g_assert_null (strstr (err, "s3cret-pw"));
  }
}

/* ---------------------------------------------------------------- upsert */

static JsonNode *
parse (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* One row in each of the twelve tables, with the till's columns as its SQLite has them
 * (and one the head office does not keep: auth_code_last4). */
static const char batch_json[] =
  "{\"store_id\": \"S1\", \"till_id\": \"T1\", \"tables\": {"
  " \"sale\": [{\"id\": 1, \"number\": \"20261120-0001\", \"opened_at\": 1, \"closed_at\": 2,"
  "   \"state\": \"paid\", \"total_fen\": 350, \"cashier\": \"小王\", \"till_id\": \"T1\","
  "   \"kind\": \"goods\"},"
  "  {\"id\": 2, \"number\": \"20261120-0002\", \"opened_at\": 3, \"state\": \"open\","
  "   \"total_fen\": 0}],"
  " \"sale_line\": [{\"sale_id\": 1, \"position\": 0, \"product_id\": 7, \"barcode\":"
  "   \"6921168509256\", \"name\": \"农夫山泉\", \"unit\": \"件\", \"qty_milli\": 1000,"
  "   \"unit_price_fen\": 350, \"line_total_fen\": 350, \"final_fen\": 350}],"
  " \"payment\": [{\"id\": 1, \"sale_id\": 1, \"method\": \"cash\", \"amount_fen\": 350,"
  "   \"state\": \"paid\", \"created_at\": 2, \"updated_at\": 2, \"auth_code_last4\": null}],"
  " \"refund\": [{\"id\": 1, \"payment_id\": 1, \"out_refund_no\": \"R1\", \"amount_fen\": 100,"
  "   \"state\": \"success\", \"created_at\": 5, \"updated_at\": 5}],"
  " \"cash_movement\": [{\"id\": 1, \"day\": \"2026-11-20\", \"kind\": \"float\","
  "   \"amount_fen\": 20000, \"at\": 1, \"actor\": \"老张\"}],"
  " \"day_close\": [{\"date\": \"2026-11-20\", \"closed_at\": 9, \"counted_cash_fen\": 20250,"
  "   \"expected_cash_fen\": 20250, \"difference_fen\": 0, \"closed_by\": \"老张\"}],"
  " \"reconciliation\": [{\"id\": 1, \"date\": \"2026-11-20\", \"provider\": \"alipay\","
  "   \"fetched_at\": 10, \"result_json\": \"{}\", \"status\": \"balanced\"}],"
  " \"goods_return\": [{\"id\": 1, \"number\": \"R20261120-1\", \"day\": \"2026-11-20\","
  "   \"at\": 6, \"cashier\": \"小王\", \"manager\": \"老张\", \"reason\": \"坏了\","
  "   \"amount_fen\": 200}],"
  " \"goods_return_line\": [{\"return_id\": 1, \"position\": 0, \"name\": \"面\","
  "   \"qty_milli\": 1000, \"list_price_fen\": 200, \"unit_price_fen\": 200,"
  "   \"line_total_fen\": 200}],"
  " \"stock_move\": [{\"id\": 1, \"product_id\": 7, \"kind\": \"sale\", \"qty_milli\": -1000,"
  "   \"reference\": \"20261120-0001\", \"who\": \"小王\", \"at\": 2}],"
  " \"stored_value_move\": [{\"id\": 1, \"member_id\": 3, \"kind\": \"topup\","
  "   \"paid_fen\": 10000, \"bonus_fen\": 0, \"reference\": \"20261120-0003\", \"who\": \"小王\","
  "   \"at\": 4}],"
  " \"points_move\": [{\"id\": 1, \"member_id\": 3, \"kind\": \"earn\", \"points\": 3,"
  "   \"reference\": \"20261120-0001\", \"who\": \"小王\", \"at\": 2}]"
  "}}";

static const char *const table_names[] = {
  "sale", "sale_line", "payment", "refund", "cash_movement", "day_close", "reconciliation",
  "goods_return", "goods_return_line", "stock_move", "stored_value_move", "points_move",
};

/* Every row of every table with its row version (xmin): what changed, and whether. */
static char *
snapshot (const char *uri)
{
  GString *all = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (table_names); i++)
    {
      g_autofree char *sql = g_strdup_printf (
        "SELECT coalesce (string_agg (t::text || '@' || t.xmin::text, ';' ORDER BY t::text), '')"
        " FROM %s t", table_names[i]);
      g_autofree char *rows = sql_text (uri, sql);

      g_string_append_printf (all, "%s: %s\n", table_names[i], rows);
    }
  return g_string_free (all, FALSE);
}

static void
test_upsert_twice_run (void);

static void
test_upsert_twice (void)
{
  NEED_SERVER ();
  test_upsert_twice_run ();
}

static void
test_upsert_twice_run (void)
{
  g_autofree char *uri = new_database ();
  g_autoptr(TillHq) hq = ready_hq (uri);
  g_autoptr(JsonNode) batch = parse (batch_json);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *value = NULL;
  TillHqUpsertStats stats = { 0 };

  /* an unknown store is refused, nothing written */
  g_assert_false (till_hq_upsert_batch (hq, batch, &stats, &error));
  g_assert_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_UNKNOWN_STORE);
  g_clear_error (&error);
  g_assert_cmpint (sql_int (uri, "SELECT count(*) FROM sale"), ==, 0);

  g_assert_true (till_hq_add_store (hq, "S1", "人民路店", &error));
  g_assert_no_error (error);
  g_assert_true (till_hq_upsert_batch (hq, batch, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.n_rows, ==, 13);
  g_assert_cmpuint (stats.n_changed, ==, 13);
  first = snapshot (uri);
  for (guint i = 0; i < G_N_ELEMENTS (table_names); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE store_id = 'S1'"
                                              " AND till_id = 'T1'", table_names[i]);

      g_assert_cmpint (sql_int (uri, sql), ==, g_str_equal (table_names[i], "sale") ? 2 : 1);
    }
  value = sql_text (uri, "SELECT cashier || total_fen FROM sale WHERE id = 1");
  g_assert_cmpstr (value, ==, "小王350");
  g_clear_pointer (&value, g_free);

  /* the same batch again: nothing changes, not even a row version */
  g_assert_true (till_hq_upsert_batch (hq, batch, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.n_rows, ==, 13);
  g_assert_cmpuint (stats.n_changed, ==, 0);
  second = snapshot (uri);
  g_assert_cmpstr (first, ==, second);

  /* and a third time by hand, through the command line */
  {
    g_autofree char *dir = g_dir_make_tmp ("till-hq-XXXXXX", &error);
    g_autofree char *path = g_build_filename (dir, "batch.json", NULL);
    g_autofree char *out = NULL, *err = NULL;
    g_autofree char *third = NULL;

    g_assert_true (g_file_set_contents (path, batch_json, -1, &error));
    g_assert_cmpint (run_tool (uri, &out, &err, "upsert", path, NULL), ==, 0);
    g_assert_cmpstr (out, ==, "13 rows, 0 new or changed.\n");
    third = snapshot (uri);
    g_assert_cmpstr (third, ==, first);
    g_unlink (path);
    g_rmdir (dir);
  }

  /* the open sale paid later: one row changes; the same row twice in one batch keeps the
   * later */
  g_assert_true (till_hq_upsert_batch_json (hq,
    "{\"store_id\": \"S1\", \"till_id\": \"T1\", \"tables\": {\"sale\": ["
    " {\"id\": 2, \"number\": \"20261120-0002\", \"opened_at\": 3, \"state\": \"open\","
    "  \"total_fen\": 500},"
    " {\"id\": 2, \"number\": \"20261120-0002\", \"opened_at\": 3, \"closed_at\": 8,"
    "  \"state\": \"paid\", \"total_fen\": 500}]}}", &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.n_changed, ==, 1);
  value = sql_text (uri, "SELECT state || total_fen FROM sale WHERE id = 2");
  g_assert_cmpstr (value, ==, "paid500");
  g_clear_pointer (&value, g_free);
  g_assert_cmpint (sql_int (uri, "SELECT count(*) FROM sale"), ==, 2);

  /* The batch's text is split without a full parse: strings with brackets, commas, quotes
   * and escapes go through whole, members in any order, others ignored; a store id with an
   * escape takes the full parse (the same rows); text after the batch is refused. */
  g_assert_true (till_hq_upsert_batch_json (hq,
    "{\"tables\": {\"sale\": [{\"id\": 3, \"number\": \"N]3,\\\"x\\\"}\", \"opened_at\": 1,"
    " \"state\": \"open\", \"total_fen\": 0, \"cashier\": \"\\u5c0f\\u674e[{\"}],"
    " \"cash_movement\": []}, \"note\": [1, {\"a\": \"}]\"}, null, -1.5e3],"
    " \"till_id\": \"T1\", \"store_id\": \"S1\"}", &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.n_rows, ==, 1);
  g_assert_cmpuint (stats.n_changed, ==, 1);
  value = sql_text (uri, "SELECT number || '|' || cashier FROM sale WHERE id = 3");
  g_assert_cmpstr (value, ==, "N]3,\"x\"}|小李[{");
  g_clear_pointer (&value, g_free);
  g_assert_true (till_hq_upsert_batch_json (hq,
    "{\"store_id\": \"S\\u0031\", \"till_id\": \"T1\", \"tables\": {\"sale\": [{\"id\": 3,"
    " \"number\": \"N]3,\\\"x\\\"}\", \"opened_at\": 1, \"state\": \"open\", \"total_fen\": 0,"
    " \"cashier\": \"小李[{\"}]}}", &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.n_changed, ==, 0);
  g_assert_false (till_hq_upsert_batch_json (hq,
    "{\"store_id\": \"S1\", \"till_id\": \"T1\", \"tables\": {\"sale\": []}} x", &stats,
    &error));
  g_assert_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (till_hq_upsert_batch_json (hq,
    "{\"store_id\": \"S1\", \"till_id\": \"T1\", \"tables\": {\"sale\": [{\"id\": 5]}}",
    &stats, &error));
  g_assert_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (sql_int (uri, "WITH gone AS (DELETE FROM sale WHERE id = 3 RETURNING 1)"
                                 " SELECT count(*) FROM gone"), ==, 1);

  /* the same ids from another till are other rows */
  g_assert_true (till_hq_upsert_batch_json (hq,
    "{\"store_id\": \"S1\", \"till_id\": \"T2\", \"tables\": {\"sale\": ["
    " {\"id\": 1, \"number\": \"20261120-0001\", \"opened_at\": 1, \"state\": \"open\","
    "  \"total_fen\": 0}]}}", &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (uri, "SELECT count(*) FROM sale"), ==, 3);
  g_assert_cmpint (sql_int (uri, "SELECT count(*) FROM till WHERE store_id = 'S1'"), ==, 2);

  /* refusals: an unknown table, a row without its key, a bad value; nothing written */
  g_assert_false (till_hq_upsert_batch_json (hq,
    "{\"store_id\": \"S1\", \"till_id\": \"T1\", \"tables\": {\"sales\": []}}", &stats,
    &error));
  g_assert_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (till_hq_upsert_batch_json (hq,
    "{\"store_id\": \"S1\", \"till_id\": \"T1\", \"tables\": {\"sale\": ["
    " {\"id\": 9, \"number\": \"x\", \"opened_at\": 1, \"state\": \"open\", \"total_fen\": 0}],"
    " \"payment\": [{\"sale_id\": 9}]}}", &stats, &error));
  g_assert_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (till_hq_upsert_batch_json (hq,
    "{\"store_id\": \"S1\", \"till_id\": \"T1\", \"tables\": {\"sale\": ["
    " {\"id\": 9, \"number\": \"x\", \"opened_at\": 1, \"state\": \"open\", \"total_fen\": 0}],"
    " \"payment\": [{\"id\": 9, \"sale_id\": 9, \"amount_fen\": \"lots\"}]}}", &stats, &error));
  g_assert_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (sql_int (uri, "SELECT count(*) FROM sale WHERE id = 9"), ==, 0);
  g_assert_false (till_hq_upsert_batch_json (hq, "[1, 2]", &stats, &error));
  g_assert_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_INVALID);
}

/* ---------------------------------------------------------------- tills */

static void
test_tills_run (void);

static void
test_tills (void)
{
  NEED_SERVER ();
  test_tills_run ();
}

/* The catalog version a till says it has, beside its batches: a till that has only pulled
 * is registered with no batch; its first batch gives it its first batch time; noting the
 * same version again writes nothing; `tillpoint-hq tills` says who is behind. */
static void
test_tills_run (void)
{
  g_autofree char *uri = new_database ();
  g_autoptr(TillHq) hq = ready_hq (uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tills = NULL;
  g_autofree char *dir = g_dir_make_tmp ("till-hq-XXXXXX", &error);
  g_autofree char *csv = g_build_filename (dir, "catalog.csv", NULL);
  g_autoptr(GPtrArray) row_errors = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *xmin = NULL;
  TillHqImportSummary summary = { 0 };
  TillHqTill *till;
  gint64 version = 0;

  g_assert_true (till_hq_add_store (hq, "S1", "人民路店", &error));
  g_assert_true (till_hq_add_store (hq, "S2", "解放路店", &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (csv, "条码,品名,售价,单位\r\n"
                                           "6921168509256,农夫山泉 550ml,2.00,瓶\r\n", -1, NULL));
  g_assert_true (till_hq_import_catalog (hq, csv, NULL, &summary, &row_errors, &error));
  g_assert_no_error (error);
  g_assert_true (till_hq_catalog_version (hq, &version, &error));
  g_assert_cmpint (version, >, 0);

  /* T1 of S1 pulled the catalog before it sent anything */
  g_assert_true (till_hq_note_catalog_version (hq, "S1", "T1", version, &error));
  g_assert_no_error (error);
  tills = till_hq_list_tills (hq, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tills->len, ==, 1);
  till = g_ptr_array_index (tills, 0);
  g_assert_cmpstr (till->store_id, ==, "S1");
  g_assert_cmpstr (till->till_id, ==, "T1");
  g_assert_cmpint (till->catalog_version, ==, version);
  g_assert_cmpint (till->first_batch_at, ==, 0);
  g_assert_cmpint (till->last_batch_at, ==, 0);
  g_clear_pointer (&tills, g_ptr_array_unref);

  /* its first batch: both batch times; T1 of S2 sends without having pulled */
  g_assert_true (till_hq_upsert_batch_json (hq, "{\"store_id\": \"S1\", \"till_id\": \"T1\","
                                                " \"tables\": {}}", NULL, &error));
  g_assert_true (till_hq_upsert_batch_json (hq, "{\"store_id\": \"S2\", \"till_id\": \"T1\","
                                                " \"tables\": {}}", NULL, &error));
  g_assert_no_error (error);
  tills = till_hq_list_tills (hq, "S1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tills->len, ==, 1);
  till = g_ptr_array_index (tills, 0);
  g_assert_cmpint (till->first_batch_at, >, 0);
  g_assert_cmpint (till->last_batch_at, ==, till->first_batch_at);
  g_assert_cmpint (till->catalog_version, ==, version);
  g_clear_pointer (&tills, g_ptr_array_unref);

  /* the same version again writes nothing (no new row version) */
  xmin = sql_text (uri, "SELECT xmin::text FROM till WHERE store_id = 'S1'");
  g_assert_true (till_hq_note_catalog_version (hq, "S1", "T1", version, &error));
  g_assert_no_error (error);
  {
    g_autofree char *again = sql_text (uri, "SELECT xmin::text FROM till WHERE store_id = 'S1'");

    g_assert_cmpstr (again, ==, xmin);
  }

  /* an unknown store, a bad id: refused, nothing written */
  g_assert_false (till_hq_note_catalog_version (hq, "S9", "T1", version, &error));
  g_assert_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_UNKNOWN_STORE);
  g_clear_error (&error);
  g_assert_false (till_hq_note_catalog_version (hq, "S-1", "T1", version, &error));
  g_assert_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (sql_int (uri, "SELECT count(*) FROM till"), ==, 2);

  /* the command line: S1's till is current, S2's behind (it has 0) */
  g_assert_cmpint (run_tool (uri, &out, &err, "tills", NULL), ==, 0);
  {
    g_autofree char *s1 = g_strdup_printf ("S1\tT1\tcatalog %" G_GINT64_FORMAT " (current)\t",
                                           version);
    g_autofree char *s2 = g_strdup_printf ("S2\tT1\tcatalog 0 (behind %" G_GINT64_FORMAT ")\t",
                                           version);

    g_assert_true (g_str_has_prefix (out, s1));
    g_assert_nonnull (strstr (out, s2));
    g_assert_null (strstr (out, "no batch yet"));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_tool (uri, &out, &err, "tills", "--store=S2", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "S2\tT1\t"));
  g_assert_null (strstr (out, "S1"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_tool (uri, &out, &err, "tills", "extra", NULL), ==, 2);

  g_unlink (csv);
  g_rmdir (dir);
}

/* ---------------------------------------------------------------- catalog */

static char *
write_csv (const char *dir,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, length, &error));
  g_assert_no_error (error);
  return path;
}

static gint64
price_in (GPtrArray  *products,
          const char *barcode)
{
  for (guint i = 0; i < products->len; i++)
    {
      TillHqProduct *p = g_ptr_array_index (products, i);

      if (g_strcmp0 (p->barcode, barcode) == 0)
        return p->price_fen;
    }
  return -1;
}

static void
test_catalog_run (void);

static void
test_catalog (void)
{
  NEED_SERVER ();
  test_catalog_run ();
}

static void
test_catalog_run (void)
{
  g_autofree char *uri = new_database ();
  g_autoptr(TillHq) hq = ready_hq (uri);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("till-hq-XXXXXX", &error);
  g_autofree char *chain = NULL, *store_csv = NULL, *bad = NULL, *gbk = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GPtrArray) s1 = NULL;
  g_autoptr(GPtrArray) s2 = NULL;
  g_autoptr(GPtrArray) since = NULL;
  g_autofree char *gb = NULL;
  gint64 v1 = 0, v2 = 0, v3 = 0, v4 = 0;
  gsize gb_length = 0;

  g_assert_true (till_hq_add_store (hq, "S1", "人民路店", &error));
  g_assert_true (till_hq_add_store (hq, "S2", "解放路店", &error));
  g_assert_no_error (error);
  g_assert_true (till_hq_catalog_version (hq, &v1, &error));
  g_assert_cmpint (v1, ==, 0);

  /* the chain's catalog, with the till's Chinese headers */
  chain = write_csv (dir, "chain.csv",
                      "\xEF\xBB\xBF条码,品名,售价,单位,plu\r\n"
                      "6921168509256,农夫山泉 550ml,2.00,瓶,\r\n"
                      "6920202888883,康师傅红烧牛肉面,4.50,,\r\n"
                      ",香蕉,6.98,kg,1001\r\n", -1);
  g_assert_cmpint (run_tool (uri, &out, &err, "import-catalog", chain, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Imported 3 rows (UTF-8 with BOM): 3 changed"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_true (till_hq_catalog_version (hq, &v2, &error));
  g_assert_cmpint (v2, >, v1);
  g_assert_cmpint (sql_int (uri, "SELECT count(*) FROM product WHERE weighed AND unit = 'kg'"),
                   ==, 1);

  /* the same file again changes nothing: the version stays */
  g_assert_cmpint (run_tool (uri, &out, &err, "import-catalog", chain, NULL), ==, 0);
  g_assert_nonnull (strstr (out, ": 0 changed"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_true (till_hq_catalog_version (hq, &v3, &error));
  g_assert_cmpint (v3, ==, v2);

  /* store S1's own price (a price list: barcode and price only, in GB18030) */
  gb = g_convert ("条码,售价\r\n6921168509256,1.80\r\n", -1, "GB18030", "UTF-8", NULL,
                  &gb_length, &error);
  g_assert_no_error (error);
  store_csv = write_csv (dir, "s1.csv", gb, (gssize) gb_length);
  g_assert_cmpint (run_tool (uri, &out, &err, "import-catalog", store_csv, "--store=S1", NULL),
                   ==, 0);
  g_assert_nonnull (strstr (out, "Imported 1 rows (GB18030): 1 changed"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_true (till_hq_catalog_version (hq, &v4, &error));
  g_assert_cmpint (v4, >, v3);

  /* what each store's tills pull: S1 its price, S2 the chain's; since v3 only S1 sees the
   * change */
  s1 = till_hq_catalog_changes (hq, "S1", 0, &error);
  g_assert_no_error (error);
  s2 = till_hq_catalog_changes (hq, "S2", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s1->len, ==, 3);
  g_assert_cmpint (price_in (s1, "6921168509256"), ==, 180);
  g_assert_cmpint (price_in (s2, "6921168509256"), ==, 200);
  g_assert_cmpint (price_in (s1, "6920202888883"), ==, 450);
  since = till_hq_catalog_changes (hq, "S2", v3, &error);
  g_assert_cmpuint (since->len, ==, 0);
  g_clear_pointer (&since, g_ptr_array_unref);
  since = till_hq_catalog_changes (hq, "S1", v3, &error);
  g_assert_cmpuint (since->len, ==, 1);
  g_assert_cmpint (((TillHqProduct *) since->pdata[0])->version, ==, v4);

  /* bad rows: every one listed, nothing imported, the version stays */
  bad = write_csv (dir, "bad.csv",
                    "barcode,name,price\n"
                    "6921168509256,农夫山泉,-1\n"
                    "6921168509257,坏条码,2.00\n"
                    "6954767410388,可口可乐,\n", -1);
  g_assert_cmpint (run_tool (uri, &out, &err, "import-catalog", bad, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "line 2, column “price”"));
  g_assert_nonnull (strstr (err, "line 3, column “barcode”"));
  g_assert_nonnull (strstr (err, "line 4, column “price”"));
  g_assert_nonnull (strstr (err, "Nothing was imported: 3 problems"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_true (till_hq_catalog_version (hq, &v1, &error));
  g_assert_cmpint (v1, ==, v4);
  /* a price for a store that does not exist */
  gbk = write_csv (dir, "s9.csv", "barcode,price\n6921168509256,1.50\n", -1);
  g_assert_cmpint (run_tool (uri, &out, &err, "import-catalog", gbk, "--store=S9", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "S9"));
  g_assert_cmpint (sql_int (uri, "SELECT count(*) FROM store_price"), ==, 1);

  g_unlink (chain);
  g_unlink (store_csv);
  g_unlink (bad);
  g_unlink (gbk);
  g_rmdir (dir);
}

/* ---------------------------------------------------------------- report */

/* A till's rows as the batch JSON its outbox will carry: every row of every table the
 * head office keeps, each column by name, read from its SQLite file by a connection of
 * the test's own. */
static char *
till_batch (const char *db_path,
            const char *store_id,
            const char *till_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "store_id");
  json_builder_add_string_value (builder, store_id);
  json_builder_set_member_name (builder, "till_id");
  json_builder_add_string_value (builder, till_id);
  json_builder_set_member_name (builder, "tables");
  json_builder_begin_object (builder);
  for (guint t = 0; t < G_N_ELEMENTS (table_names); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s", table_names[t]);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      json_builder_set_member_name (builder, table_names[t]);
      json_builder_begin_array (builder);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          json_builder_begin_object (builder);
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              json_builder_set_member_name (builder, sqlite3_column_name (stmt, c));
              switch (sqlite3_column_type (stmt, c))
                {
                case SQLITE_INTEGER:
                  json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, c));
                  break;
                case SQLITE_NULL:
                  json_builder_add_null_value (builder);
                  break;
                default:
                  json_builder_add_string_value (builder,
                                                 (const char *) sqlite3_column_text (stmt, c));
                }
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      sqlite3_finalize (stmt);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  sqlite3_close (db);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* a += b, for every figure of the report (the lists by their sums) */
static void
add_report (TillReport       *a,
            const TillReport *b)
{
  a->gross_fen += b->gross_fen;
  a->refunds_fen += b->refunds_fen;
  a->net_fen += b->net_fen;
  a->n_sales += b->n_sales;
  for (int m = 0; m < TILL_REPORT_N_METHODS; m++)
    {
      a->method_fen[m] += b->method_fen[m];
      a->method_count[m] += b->method_count[m];
      a->method_refund_fen[m] += b->method_refund_fen[m];
      a->topup_method_fen[m] += b->topup_method_fen[m];
      a->topup_method_count[m] += b->topup_method_count[m];
    }
  a->cash_rounding_fen += b->cash_rounding_fen;
  for (int h = 0; h < 24; h++)
    {
      a->hour_fen[h] += b->hour_fen[h];
      a->hour_count[h] += b->hour_count[h];
    }
  a->n_voids += b->n_voids;
  a->voids_fen += b->voids_fen;
  a->n_refunds += b->n_refunds;
  a->n_returns += b->n_returns;
  a->returns_fen += b->returns_fen;
  a->discounts_fen += b->discounts_fen;
  a->overrides_fen += b->overrides_fen;
  a->n_topups += b->n_topups;
  a->topups_fen += b->topups_fen;
}

static void
assert_same_figures (const TillReport *want,
                     const TillReport *got)
{
  g_assert_cmpint (got->n_sales, ==, want->n_sales);
  g_assert_cmpint (got->gross_fen, ==, want->gross_fen);
  g_assert_cmpint (got->refunds_fen, ==, want->refunds_fen);
  g_assert_cmpint (got->net_fen, ==, want->net_fen);
  for (int m = 0; m < TILL_REPORT_N_METHODS; m++)
    {
      g_assert_cmpint (got->method_fen[m], ==, want->method_fen[m]);
      g_assert_cmpuint (got->method_count[m], ==, want->method_count[m]);
      g_assert_cmpint (got->method_refund_fen[m], ==, want->method_refund_fen[m]);
    }
  g_assert_cmpint (got->cash_rounding_fen, ==, want->cash_rounding_fen);
  for (int h = 0; h < 24; h++)
    {
      g_assert_cmpint (got->hour_fen[h], ==, want->hour_fen[h]);
      g_assert_cmpuint (got->hour_count[h], ==, want->hour_count[h]);
    }
  g_assert_cmpuint (got->n_voids, ==, want->n_voids);
  g_assert_cmpint (got->voids_fen, ==, want->voids_fen);
  g_assert_cmpuint (got->n_refunds, ==, want->n_refunds);
  g_assert_cmpuint (got->n_returns, ==, want->n_returns);
  g_assert_cmpint (got->discounts_fen, ==, want->discounts_fen);
  g_assert_cmpint (got->overrides_fen, ==, want->overrides_fen);
  g_assert_cmpuint (got->n_topups, ==, want->n_topups);
}

typedef struct
{
  const char *store_id;
  const char *till_id;
  guint32     seed;
} TillSpec;

static const TillSpec tills[] = {
  { "S1", "T1", 11 },
  { "S1", "T2", 22 },
  { "S2", "T1", 33 },   /* the same till id in another store: other rows */
};

static void
test_report_run (void);

static void
test_report (void)
{
  NEED_SERVER ();
  test_report_run ();
}

static void
test_report_run (void)
{
  g_autofree char *uri = new_database ();
  g_autoptr(TillHq) hq = ready_hq (uri);
  g_autoptr(GError) error = NULL;
  const char *const dates[] = { "2026-11-20", "2026-11-21" };
  TillStore *stores[G_N_ELEMENTS (tills)];
  char *dirs[G_N_ELEMENTS (tills)], *paths[G_N_ELEMENTS (tills)];

  g_assert_true (till_hq_add_store (hq, "S1", "人民路店", &error));
  g_assert_true (till_hq_add_store (hq, "S2", "解放路店", &error));
  g_assert_true (till_hq_add_store (hq, "S3", "新开的店", &error));   /* no sales yet */
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (tills); i++)
    {
      g_autofree char *json = NULL;
      TillHqUpsertStats stats = { 0 }, again = { 0 };

      stores[i] = till_test_store_open_tmp ("till-hq-till-XXXXXX", &dirs[i], &paths[i]);
      g_assert_cmpuint (dataset_generate (stores[i], tills[i].seed, 2, 60), >, 0);
      json = till_batch (paths[i], tills[i].store_id, tills[i].till_id);
      g_assert_true (till_hq_upsert_batch_json (hq, json, &stats, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (stats.n_changed, ==, stats.n_rows);
      /* sent twice (a retry after a lost answer): nothing changes */
      g_assert_true (till_hq_upsert_batch_json (hq, json, &again, &error));
      g_assert_cmpuint (again.n_changed, ==, 0);
    }
  g_assert_cmpint (sql_int (uri, "SELECT count(*) - count(DISTINCT (store_id, till_id, id))"
                                 " FROM sale"), ==, 0);
  {
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (run_tool (uri, &out, &err, "stores", NULL), ==, 0);
    g_assert_true (g_str_has_prefix (out, "S1\t人民路店\ttills: 2\t2"));
    g_assert_nonnull (strstr (out, "\nS2\t解放路店\ttills: 1\t2"));
    g_assert_nonnull (strstr (out, "\nS3\t新开的店\ttills: 0\tno batch yet\n"));
  }

  for (guint d = 0; d < G_N_ELEMENTS (dates); d++)
    {
      g_autoptr(TillReport) all = till_report_new ();
      g_autoptr(TillReport) s1 = till_report_new ();
      g_autoptr(TillHqReport) hq_all = NULL;
      g_autoptr(TillHqReport) hq_s1 = NULL;
      g_autoptr(TillHqReport) hq_s2 = NULL;
      g_autoptr(TillReport) s2 = NULL;
      g_autofree char *s2_text = NULL, *hq_s2_text = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (tills); i++)
        {
          g_autoptr(TillReport) own = till_store_report_day (stores[i], dates[d], &error);

          g_assert_no_error (error);
          g_assert_cmpuint (own->n_sales, >, 0);
          add_report (all, own);
          if (g_str_equal (tills[i].store_id, "S1"))
            add_report (s1, own);
          else
            s2 = g_steal_pointer (&own);
        }
      hq_all = till_hq_report_day (hq, dates[d], NULL, &error);
      g_assert_no_error (error);
      hq_s1 = till_hq_report_day (hq, dates[d], "S1", &error);
      hq_s2 = till_hq_report_day (hq, dates[d], "S2", &error);
      g_assert_no_error (error);
      assert_same_figures (all, hq_all->total);
      assert_same_figures (s1, hq_s1->total);
      assert_same_figures (s2, hq_s2->total);

      /* a store of one till: the till's own report, line for line */
      s2_text = till_report_to_text (s2);
      hq_s2_text = till_report_to_text (hq_s2->total);
      g_assert_cmpstr (hq_s2_text, ==, s2_text);

      /* a line per store: S1, S2 and S3 (nothing), adding up to the total */
      g_assert_cmpuint (hq_all->stores->len, ==, 3);
      {
        TillHqStoreLine *l1 = g_ptr_array_index (hq_all->stores, 0);
        TillHqStoreLine *l2 = g_ptr_array_index (hq_all->stores, 1);
        TillHqStoreLine *l3 = g_ptr_array_index (hq_all->stores, 2);

        g_assert_cmpstr (l1->store_id, ==, "S1");
        g_assert_cmpint (l1->gross_fen, ==, s1->gross_fen);
        g_assert_cmpint (l1->net_fen, ==, s1->net_fen);
        g_assert_cmpuint (l1->n_sales, ==, s1->n_sales);
        g_assert_cmpint (l2->net_fen, ==, s2->net_fen);
        g_assert_cmpuint (l2->n_refunds, ==, s2->n_refunds);
        g_assert_cmpstr (l3->store_id, ==, "S3");
        g_assert_cmpuint (l3->n_sales, ==, 0);
        g_assert_cmpint (l1->net_fen + l2->net_fen + l3->net_fen, ==, all->net_fen);
      }
    }

  /* the command line: text and CSV; S2's CSV starts with its till's own CSV */
  {
    g_autofree char *out = NULL, *err = NULL;
    g_autoptr(TillReport) own = till_store_report_day (stores[2], "2026-11-20", &error);
    g_autoptr(TillHqReport) whole = till_hq_report_day (hq, "2026-11-20", NULL, &error);
    g_autofree char *own_csv = till_report_to_csv (own, NULL);
    g_autofree char *whole_text = till_hq_report_to_text (whole);
    g_autofree char *gross = till_money_format_plain (whole->total->gross_fen);

    g_assert_cmpint (run_tool (uri, &out, &err, "report", "--date=2026-11-20", "--store=S2",
                               "--format=csv", NULL), ==, 0);
    g_assert_true (g_str_has_prefix (out, own_csv));
    g_assert_nonnull (strstr (out + strlen (own_csv), "\"By store: net\",\"解放路店\""));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_tool (uri, &out, &err, "report", "--date=2026-11-20", NULL), ==, 0);
    g_assert_cmpstr (out, ==, whole_text);
    g_assert_nonnull (strstr (out, gross));
    g_assert_nonnull (strstr (out, "S3 新开的店"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_tool (uri, &out, &err, "report", "--date=2026-13-01", NULL), ==, 1);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_tool (uri, &out, &err, "report", "--date=2026-11-20", "--store=S9",
                               NULL), ==, 1);
    g_assert_nonnull (strstr (err, "S9"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_tool (uri, &out, &err, "report", "--date=2026-11-20", "--format=pdf",
                               NULL), ==, 2);
  }

  for (guint i = 0; i < G_N_ELEMENTS (tills); i++)
    {
      g_object_unref (stores[i]);
      till_test_store_remove_tmp (dirs[i], paths[i]);
      g_free (dirs[i]);
      g_free (paths[i]);
    }
}

/* ---------------------------------------------------------------- server killed */

typedef struct
{
  TillHq   *hq;
  char     *json;
  gboolean  ok;
  GError   *error;
} BatchJob;

static gpointer
batch_thread (gpointer data)
{
  BatchJob *job = data;

  job->ok = till_hq_upsert_batch_json (job->hq, job->json, NULL, &job->error);
  return NULL;
}

/* 2,000 sales with a line and a payment each. */
static char *
big_batch (void)
{
  GString *json = g_string_new ("{\"store_id\": \"S1\", \"till_id\": \"T1\", \"tables\": {");

  g_string_append (json, "\"sale\": [");
  for (int i = 1; i <= 2000; i++)
    g_string_append_printf (json, "%s{\"id\": %d, \"number\": \"N%d\", \"opened_at\": %d,"
                            " \"closed_at\": %d, \"state\": \"paid\", \"total_fen\": 100}",
                            i > 1 ? "," : "", i, i, i, i);
  g_string_append (json, "], \"sale_line\": [");
  for (int i = 1; i <= 2000; i++)
    g_string_append_printf (json, "%s{\"sale_id\": %d, \"position\": 0, \"name\": \"水\","
                            " \"qty_milli\": 1000, \"unit_price_fen\": 100,"
                            " \"line_total_fen\": 100}", i > 1 ? "," : "", i);
  g_string_append (json, "], \"payment\": [");
  for (int i = 1; i <= 2000; i++)
    g_string_append_printf (json, "%s{\"id\": %d, \"sale_id\": %d, \"method\": \"cash\","
                            " \"amount_fen\": 100, \"state\": \"paid\", \"created_at\": %d,"
                            " \"updated_at\": %d}", i > 1 ? "," : "", i, i, i, i);
  g_string_append (json, "]}}");
  return g_string_free (json, FALSE);
}

static void
test_server_killed_run (void);

static void
test_server_killed (void)
{
  NEED_SERVER ();
  test_server_killed_run ();
}

static void
test_server_killed_run (void)
{
  g_autofree char *uri = new_database ();
  g_autoptr(TillHq) hq = ready_hq (uri);
  g_autoptr(TillHq) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGconn) blocker = NULL;
  BatchJob job = { 0 };
  GThread *thread;
  TillHqUpsertStats stats = { 0 };
  PGresult *result;
  gint64 waited_us = 0;
  gboolean waiting = FALSE;

  g_assert_true (till_hq_add_store (hq, "S1", "人民路店", &error));
  g_assert_no_error (error);

  /* Another session holds the payment table: the batch writes its sales and lines, then
   * waits there, in the middle of its transaction; then the server dies. */
  blocker = raw_conn (uri);
  result = PQexec (blocker, "BEGIN; LOCK TABLE payment IN ACCESS EXCLUSIVE MODE");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
  PQclear (result);

  job.hq = hq;
  job.json = big_batch ();
  thread = g_thread_new ("batch", batch_thread, &job);
  while (!waiting && waited_us < 20 * G_USEC_PER_SEC)
    {
      g_autofree char *n = sql_text (uri, "SELECT count(*) FROM pg_stat_activity"
                                          " WHERE wait_event_type = 'Lock'"
                                          "  AND query LIKE 'INSERT INTO payment%'");

      waiting = g_str_equal (n, "1");
      if (!waiting)
        {
          g_usleep (20000);
          waited_us += 20000;
        }
    }
  g_assert_true (waiting);
  g_assert_true (till_pg_server_kill (server, &error));
  g_assert_no_error (error);
  g_thread_join (thread);
  g_assert_false (job.ok);
  g_assert_error (job.error, TILL_HQ_ERROR, TILL_HQ_ERROR_FAILED);
  g_clear_error (&job.error);

  g_assert_true (till_pg_server_start (server, &error));
  g_assert_no_error (error);
  /* nothing of the batch is there: all or nothing */
  g_assert_cmpint (sql_int (uri, "SELECT count(*) FROM sale"), ==, 0);
  g_assert_cmpint (sql_int (uri, "SELECT count(*) FROM sale_line"), ==, 0);
  g_assert_cmpint (sql_int (uri, "SELECT count(*) FROM till"), ==, 0);

  /* the old connection is gone: a clear error, no crash; a new one sends it whole */
  g_assert_false (till_hq_upsert_batch_json (hq, job.json, &stats, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  again = till_hq_connect (uri, &error);
  g_assert_no_error (error);
  g_assert_true (till_hq_upsert_batch_json (again, job.json, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.n_changed, ==, 6000);
  g_assert_cmpint (sql_int (uri, "SELECT count(*) FROM sale"), ==, 2000);
  g_assert_cmpint (sql_int (uri, "SELECT count(*) FROM payment"), ==, 2000);
  g_assert_cmpint (sql_int (uri, "SELECT sum (total_fen) FROM sale"), ==, 200000);
  g_free (job.json);
}

/* Thousands of sales: their informational messages stay out of the test log. */
static GLogWriterOutput
quiet_writer_cb (GLogLevelFlags   level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* TLS with sslmode=verify-full (issue 19): a server with a certificate of a test CA for
 * "localhost"; the head office's connection (and tillpoint-hq) over it with the CA as the
 * root, the session encrypted; a certificate for another name, or signed by a CA the URI
 * does not trust, refused with libpq's reason, nothing sent. */
static void
test_tls (void)
{
  g_autoptr(TillPgServer) tls_server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillHq) hq = NULL;
  g_autoptr(TillHq) refused = NULL;
  g_autofree char *ca = NULL, *uri = NULL, *other_dir = NULL, *other_ca = NULL;
  g_autofree char *wrong_host = NULL, *wrong_ca = NULL, *out = NULL, *err = NULL;
  g_autofree char *ssl = NULL, *cipher = NULL;
  const char *argv[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                         "-keyout", "other.key", "-out", "other.crt", "-days", "1", "-subj",
                         "/CN=Another CA", NULL };
  guint port = 0;
  int version = -1, status = 0;

  NEED_SERVER ();
  tls_server = till_pg_server_new (&error);
  g_assert_no_error (error);
  g_assert_true (till_pg_server_enable_tls (tls_server, "localhost", &ca, &port, &error));
  g_assert_no_error (error);
  uri = g_strdup_printf ("postgresql://till@localhost:%u/postgres?sslmode=verify-full"
                         "&sslrootcert=%s", port, ca);

  g_assert_cmpint (run_tool (uri, &out, &err, "init", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "The head-office schema went from version 0 to 1.\n");
  hq = till_hq_connect (uri, &error);
  g_assert_no_error (error);
  g_assert_true (till_hq_get_schema_version (hq, &version, &error));
  g_assert_cmpint (version, ==, TILL_HQ_SCHEMA_VERSION);
  ssl = sql_text (uri, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid ()");
  g_assert_cmpstr (ssl, ==, "t");
  cipher = sql_text (uri, "SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid ()");
  g_assert_true (g_str_has_prefix (cipher, "TLSv1."));

  /* The certificate names localhost, not 127.0.0.1 */
  wrong_host = g_strdup_printf ("postgresql://till@127.0.0.1:%u/postgres?sslmode=verify-full"
                                "&sslrootcert=%s", port, ca);
  refused = till_hq_connect (wrong_host, &error);
  g_assert_null (refused);
  g_assert_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_CONNECT);
  g_assert_nonnull (strstr (error->message, "does not match host name"));
  g_clear_error (&error);

  /* A root the server's certificate does not chain to */
  other_dir = g_dir_make_tmp ("till-hq-ca-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_sync (other_dir, (char **) argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                                 | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  other_ca = g_build_filename (other_dir, "other.crt", NULL);
  wrong_ca = g_strdup_printf ("postgresql://till@localhost:%u/postgres?sslmode=verify-full"
                              "&sslrootcert=%s", port, other_ca);
  refused = till_hq_connect (wrong_ca, &error);
  g_assert_null (refused);
  g_assert_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_CONNECT);
  g_assert_nonnull (strstr (error->message, "certificate verify failed"));
  g_clear_error (&error);
  {
    g_autofree char *key = g_build_filename (other_dir, "other.key", NULL);

    g_remove (key);
    g_remove (other_ca);
    g_rmdir (other_dir);
  }
}

int
main (int argc, char **argv)
{
  int status;

  /* The shops' time zone: the reports' local days and hours, in the tills and here. */
  g_setenv ("TZ", "Asia/Shanghai", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (quiet_writer_cb, NULL, NULL);

  server = till_pg_server_new_or_skip ();
  g_test_add_func ("/hq/schema", test_schema);
  g_test_add_func ("/hq/upsert/twice", test_upsert_twice);
  g_test_add_func ("/hq/catalog/store-prices", test_catalog);
  g_test_add_func ("/hq/tills", test_tills);
  g_test_add_func ("/hq/report/tills", test_report);
  g_test_add_func ("/hq/upsert/server-killed", test_server_killed);
  g_test_add_func ("/hq/tls/verify-full", test_tls);
  status = g_test_run ();
  till_pg_server_free (server);
  return status;
}
