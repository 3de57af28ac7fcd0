/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReceivingDraft and TillStocktakeDraft on a real store: scans merged into lines, the
 * last cost as the default, totals, the plain refusals, and each commit writing exactly
 * the rows expected, read back by the test's own SQL on the database file. */
#include "config.h"

#include <sqlite3.h>

#include "till-receiving-draft.h"
#include "till-stock-qty.h"
#include "till-stocktake-draft.h"
#include "till-test-app.h"

#define WATER "怡宝纯净水 555ml"
#define BANANA_PLU "100001"

static gboolean
have_result_cond (TillTestApp *app, gpointer data)
{
  return *(GAsyncResult **)data != NULL;
}

static void
result_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

/* One text cell (or the number as text) from the database file, by the test's own SQL. */
static char *
sql_text (TillTestApp *app, const char *sql, const char *param)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *out = NULL;

  till_store_flush (app->store);
  g_assert_cmpint (sqlite3_open_v2 (app->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    out = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return out != NULL ? out : g_strdup ("(null)");
}

static gint64
sql_int (TillTestApp *app, const char *sql, const char *param)
{
  g_autofree char *text = sql_text (app, sql, param);

  return g_ascii_strtoll (text, NULL, 10);
}

static int
receiving_add (TillTestApp *app, TillReceivingDraft *draft, const char *code, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  till_receiving_draft_add_async (draft, code, 0, NULL, result_cb, &result);
  till_test_app_wait (app, have_result_cond, &result, 5000, "a receiving's scan");
  return till_receiving_draft_add_finish (draft, result, error);
}

static gint64
receiving_commit (TillTestApp *app, TillReceivingDraft *draft, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  till_receiving_draft_commit_async (draft, NULL, result_cb, &result);
  till_test_app_wait (app, have_result_cond, &result, 5000, "the receiving's commit");
  return till_receiving_draft_commit_finish (draft, result, error);
}

static int
stocktake_add (TillTestApp *app, TillStocktakeDraft *draft, const char *code, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  till_stocktake_draft_add_async (draft, code, 0, NULL, result_cb, &result);
  till_test_app_wait (app, have_result_cond, &result, 5000, "a stocktake's scan");
  return till_stocktake_draft_add_finish (draft, result, error);
}

static gint64
stocktake_commit (TillTestApp *app, TillStocktakeDraft *draft, const char *manager, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  till_stocktake_draft_commit_async (draft, manager, NULL, result_cb, &result);
  till_test_app_wait (app, have_result_cond, &result, 5000, "the stocktake's commit");
  return till_stocktake_draft_commit_finish (draft, result, error);
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
suppliers_cond_cb (TillReceivingDraft *draft, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static gboolean
count_nonzero_cond (TillTestApp *app, gpointer data)
{
  return *(guint *)data > 0;
}

static void
test_qty_parse (void)
{
  g_autoptr (GError) error = NULL;
  gint64 milli = -1;

  g_assert_true (till_stock_qty_parse (" 24 ", FALSE, FALSE, &milli, &error));
  g_assert_cmpint (milli, ==, 24000);
  g_assert_true (till_stock_qty_parse ("1,25", TRUE, FALSE, &milli, &error));
  g_assert_cmpint (milli, ==, 1250);
  g_assert_true (till_stock_qty_parse ("0", FALSE, TRUE, &milli, &error));
  g_assert_cmpint (milli, ==, 0);
  g_assert_no_error (error);
  g_assert_false (till_stock_qty_parse ("0", FALSE, FALSE, &milli, &error));
  g_assert_cmpstr (error->message, ==, "The quantity must be more than zero");
  g_clear_error (&error);
  g_assert_false (till_stock_qty_parse ("1.5", FALSE, TRUE, &milli, &error));
  g_assert_cmpstr (error->message, ==, "Enter a whole number of items");
  g_clear_error (&error);
  g_assert_false (till_stock_qty_parse ("-2", FALSE, TRUE, &milli, &error));
  g_assert_cmpstr (error->message, ==, "A quantity cannot be below zero");
  g_clear_error (&error);
  g_assert_false (till_stock_qty_parse ("100000", FALSE, TRUE, &milli, &error));
  g_assert_cmpstr (error->message, ==, "The quantity is too large");
  g_clear_error (&error);
  g_assert_false (till_stock_qty_parse ("2kg", TRUE, TRUE, &milli, &error));
  g_assert_cmpstr (error->message, ==, "“2kg” is not a quantity");
  g_clear_error (&error);
  {
    g_autofree char *minus = till_stock_qty_format (-4000);
    g_autofree char *kg = till_stock_qty_format (1250);

    g_assert_cmpstr (minus, ==, "-4");
    g_assert_cmpstr (kg, ==, "1.25");
  }
}

static void
test_receiving (void)
{
  g_autoptr (TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr (TillReceivingDraft) draft = till_receiving_draft_new (app->store, "Manager Li");
  g_autoptr (TillReceivingDraft) next = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *water = sql_text (app, "SELECT barcode FROM product WHERE name = ?1", WATER);
  g_autofree char *water_id = sql_text (app, "SELECT id FROM product WHERE name = ?1", WATER);
  g_autofree char *row = NULL;
  g_autofree char *reference = NULL;
  guint rebuilt = 0, changed = 0, suppliers = 0;
  gint64 id;
  int index;

  g_signal_connect_swapped (draft, "lines-changed", G_CALLBACK (count_cb), &rebuilt);
  g_signal_connect_swapped (draft, "line-changed", G_CALLBACK (count_cb), &changed);
  g_signal_connect (draft, "notify::suppliers", G_CALLBACK (suppliers_cond_cb), &suppliers);

  /* Nothing yet: plain refusals. */
  g_assert_null (till_receiving_draft_validate (draft, &error));
  g_assert_cmpstr (error->message, ==, "Enter the supplier");
  g_clear_error (&error);
  till_receiving_draft_set_supplier (draft, "  华润批发  ");
  g_assert_null (till_receiving_draft_validate (draft, &error));
  g_assert_cmpstr (error->message, ==, "Scan the goods received first");
  g_clear_error (&error);

  /* An unknown barcode: a plain message, no line. */
  g_assert_cmpint (receiving_add (app, draft, "6975999999990", &error), ==, -1);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==,
                   "“6975999999990” is not in the catalog. Add it in the "
                   "products window (Ctrl+Shift+P)");
  g_clear_error (&error);
  g_assert_cmpuint (till_receiving_draft_get_n_lines (draft), ==, 0);

  /* Scanned twice: one line of 2 pieces; no cost known yet. */
  g_assert_cmpint (receiving_add (app, draft, water, &error), ==, 0);
  g_assert_cmpint (receiving_add (app, draft, water, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (till_receiving_draft_get_n_lines (draft), ==, 1);
  g_assert_cmpuint (rebuilt, ==, 1);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpstr (till_receiving_draft_get_line (draft, 0)->name, ==, WATER);
  g_assert_cmpstr (till_receiving_draft_get_line (draft, 0)->qty_text, ==, "2");
  g_assert_cmpstr (till_receiving_draft_get_line (draft, 0)->cost_text, ==, "");
  g_assert_cmpint (till_receiving_draft_get_total_fen (draft), ==, 0);
  g_assert_null (till_receiving_draft_validate (draft, &error));
  g_assert_cmpstr (error->message, ==, WATER ": enter the unit cost");
  g_clear_error (&error);

  till_receiving_draft_set_qty_text (draft, 0, "24");
  till_receiving_draft_set_cost_text (draft, 0, "3.5");
  g_assert_cmpint (till_receiving_draft_get_total_fen (draft), ==, 8400);
  till_receiving_draft_set_cost_text (draft, 0, "3.505");
  g_assert_cmpint (till_receiving_draft_get_total_fen (draft), ==, 0);
  g_assert_null (till_receiving_draft_validate (draft, &error));
  g_assert_cmpstr (error->message, ==,
                   WATER ": “3.505” is not a cost (yuan, at most two decimals)");
  g_clear_error (&error);
  till_receiving_draft_set_cost_text (draft, 0, "¥3.50");

  /* Weighed goods by PLU: the weight is typed in kg. */
  index = receiving_add (app, draft, BANANA_PLU, &error);
  g_assert_no_error (error);
  g_assert_cmpint (index, ==, 1);
  g_assert_true (till_receiving_draft_get_line (draft, 1)->weighed);
  g_assert_cmpstr (till_receiving_draft_get_line (draft, 1)->qty_text, ==, "");
  g_assert_null (till_receiving_draft_validate (draft, &error));
  g_assert_cmpstr (error->message, ==, "香蕉: enter the weight received (kg)");
  g_clear_error (&error);
  /* Scanning it again adds no weight. */
  g_assert_cmpint (receiving_add (app, draft, BANANA_PLU, &error), ==, 1);
  g_assert_cmpstr (till_receiving_draft_get_line (draft, 1)->qty_text, ==, "");
  till_receiving_draft_set_qty_text (draft, 1, "1.2345");
  g_assert_null (till_receiving_draft_validate (draft, &error));
  g_assert_cmpstr (error->message, ==, "香蕉: At most three decimals (grams)");
  g_clear_error (&error);
  till_receiving_draft_set_qty_text (draft, 1, "2.125");
  till_receiving_draft_set_cost_text (draft, 1, "4");
  /* 24 × ¥3.50 + 2.125 kg × ¥4.00 = ¥84.00 + ¥8.50 */
  g_assert_cmpint (till_receiving_draft_get_total_fen (draft), ==, 9250);

  /* A line removed, and put back. */
  till_receiving_draft_remove_line (draft, 1);
  g_assert_cmpint (till_receiving_draft_get_total_fen (draft), ==, 8400);
  g_assert_cmpint (receiving_add (app, draft, BANANA_PLU, &error), ==, 1);
  till_receiving_draft_set_qty_text (draft, 1, "2.125");
  till_receiving_draft_set_cost_text (draft, 1, "4.00");
  g_assert_cmpint (till_receiving_draft_get_total_fen (draft), ==, 9250);

  /* Commit: one receiving, its two lines and two moves, the costs. */
  id = receiving_commit (app, draft, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  reference = g_strdup_printf ("R%" G_GINT64_FORMAT, id);
  g_assert_cmpuint (till_receiving_draft_get_n_lines (draft), ==, 0);
  g_assert_cmpstr (till_receiving_draft_get_supplier (draft), ==, "");
  g_assert_cmpint (till_receiving_draft_get_total_fen (draft), ==, 0);
  g_assert_cmpint (sql_int (app, "SELECT count(*) FROM receiving", NULL), ==, 1);
  row = sql_text (app, "SELECT supplier || '|' || who FROM receiving", NULL);
  g_assert_cmpstr (row, ==, "华润批发|Manager Li");
  g_clear_pointer (&row, g_free);
  row = sql_text (app,
                  "SELECT group_concat (x, ';') FROM (SELECT p.name || ',' || l.qty_milli"
                  " || ',' || l.cost_fen AS x FROM receiving_line l JOIN product p"
                  " ON p.id = l.product_id ORDER BY l.position)",
                  NULL);
  g_assert_cmpstr (row, ==, WATER ",24000,350;香蕉,2125,400");
  g_clear_pointer (&row, g_free);
  row = sql_text (app,
                  "SELECT group_concat (x, ';') FROM (SELECT kind || ',' || qty_milli"
                  " || ',' || cost_fen || ',' || reference || ',' || who AS x"
                  " FROM stock_move ORDER BY id)",
                  NULL);
  {
    g_autofree char *expected = g_strdup_printf ("receiving,24000,350,%s,Manager Li;"
                                                 "receiving,2125,400,%s,Manager Li",
                                                 reference, reference);

    g_assert_cmpstr (row, ==, expected);
  }
  g_assert_cmpint (sql_int (app, "SELECT cost_fen FROM product WHERE name = ?1", WATER), ==, 350);

  /* The recent suppliers, and the last cost as the next delivery's default. */
  suppliers = 0;
  till_test_app_wait (app, count_nonzero_cond, &suppliers, 5000, "the recent suppliers");
  g_assert_cmpstr (till_receiving_draft_get_suppliers (draft)[0], ==, "华润批发");
  g_assert_null (till_receiving_draft_get_suppliers (draft)[1]);
  next = till_receiving_draft_new (app->store, "Manager Li");
  g_assert_cmpint (receiving_add (app, next, water, &error), ==, 0);
  g_assert_cmpstr (till_receiving_draft_get_line (next, 0)->cost_text, ==, "3.50");
  g_assert_cmpint (till_receiving_draft_get_total_fen (next), ==, 350);
  g_assert_cmpstr (till_receiving_draft_get_suppliers (next)[0], ==, "华润批发");

  /* A failed commit (no supplier) changes nothing and keeps the lines. */
  g_assert_cmpint (receiving_commit (app, next, &error), ==, 0);
  g_assert_cmpstr (error->message, ==, "Enter the supplier");
  g_clear_error (&error);
  g_assert_cmpuint (till_receiving_draft_get_n_lines (next), ==, 1);
  g_assert_cmpint (sql_int (app, "SELECT count(*) FROM stock_move", NULL), ==, 2);
  g_assert_cmpint (
      sql_int (app, "SELECT sum (qty_milli) FROM stock_move WHERE product_id = ?1", water_id), ==,
      24000);
}

static void
test_stocktake (void)
{
  g_autoptr (TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr (TillReceivingDraft) receiving = till_receiving_draft_new (app->store, "Manager Li");
  g_autoptr (TillStocktakeDraft) draft = till_stocktake_draft_new (app->store, "小王");
  g_autoptr (GError) error = NULL;
  g_autofree char *water = sql_text (app, "SELECT barcode FROM product WHERE name = ?1", WATER);
  g_autofree char *water_id = sql_text (app, "SELECT id FROM product WHERE name = ?1", WATER);
  g_autofree char *row = NULL;
  gint64 counted = 0, variance = 0, id;

  /* 24 received. */
  g_assert_cmpint (receiving_add (app, receiving, water, &error), ==, 0);
  till_receiving_draft_set_qty_text (receiving, 0, "24");
  till_receiving_draft_set_cost_text (receiving, 0, "3.50");
  till_receiving_draft_set_supplier (receiving, "华润批发");
  g_assert_cmpint (receiving_commit (app, receiving, &error), >, 0);
  g_assert_no_error (error);

  g_assert_null (till_stocktake_draft_validate (draft, &error));
  g_assert_cmpstr (error->message, ==, "Count some goods first");
  g_clear_error (&error);

  /* Three scans count 3; the level expected is 24. */
  for (int i = 0; i < 3; i++)
    g_assert_cmpint (stocktake_add (app, draft, water, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (till_stocktake_draft_get_n_lines (draft), ==, 1);
  g_assert_true (till_stocktake_draft_get_unsaved (draft));
  g_assert_cmpstr (till_stocktake_draft_get_line (draft, 0)->counted_text, ==, "3");
  g_assert_cmpint (till_stocktake_draft_get_line (draft, 0)->expected_milli, ==, 24000);
  g_assert_true (till_stocktake_draft_line_values (draft, 0, &counted, &variance, &error));
  g_assert_cmpint (variance, ==, -21000);

  /* Typed counts: garbage refused, 20 gives −4. */
  till_stocktake_draft_set_counted_text (draft, 0, "2O");
  g_assert_null (till_stocktake_draft_validate (draft, &error));
  g_assert_cmpstr (error->message, ==, WATER ": “2O” is not a quantity");
  g_clear_error (&error);
  till_stocktake_draft_set_counted_text (draft, 0, "20");
  g_assert_true (till_stocktake_draft_line_values (draft, 0, &counted, &variance, &error));
  g_assert_cmpint (counted, ==, 20000);
  g_assert_cmpint (variance, ==, -4000);

  /* Weighed goods counted to zero. */
  g_assert_cmpint (stocktake_add (app, draft, BANANA_PLU, &error), ==, 1);
  g_assert_null (till_stocktake_draft_validate (draft, &error));
  g_assert_cmpstr (error->message, ==, "香蕉: enter the weight counted (kg)");
  g_clear_error (&error);
  till_stocktake_draft_set_counted_text (draft, 1, "0");

  /* Without a manager: refused by the store, nothing written. */
  g_assert_cmpint (stocktake_commit (app, draft, NULL, &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (sql_int (app, "SELECT count(*) FROM stocktake", NULL), ==, 0);
  g_assert_true (till_stocktake_draft_get_unsaved (draft));

  /* Booked: one stocktake, its lines, one move (the banana had no variance), the audit. */
  id = stocktake_commit (app, draft, "店长", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (till_stocktake_draft_get_booked_id (draft), ==, id);
  g_assert_false (till_stocktake_draft_get_unsaved (draft));
  g_assert_true (till_stocktake_draft_line_values (draft, 0, &counted, &variance, &error));
  g_assert_cmpint (variance, ==, -4000);
  row = sql_text (app,
                  "SELECT group_concat (x, ';') FROM (SELECT p.name || ',' || counted_milli"
                  " || ',' || expected_milli || ',' || variance_milli AS x"
                  " FROM stocktake_line l JOIN product p ON p.id = l.product_id"
                  " ORDER BY p.id)",
                  NULL);
  g_assert_cmpstr (row, ==, WATER ",20000,24000,-4000;香蕉,0,0,0");
  g_clear_pointer (&row, g_free);
  row = sql_text (app,
                  "SELECT group_concat (x, ';') FROM (SELECT kind || ',' || qty_milli"
                  " || ',' || who AS x FROM stock_move WHERE kind = 'stocktake')",
                  NULL);
  g_assert_cmpstr (row, ==, "stocktake,-4000,小王");
  g_assert_cmpint (
      sql_int (app, "SELECT sum (qty_milli) FROM stock_move WHERE product_id = ?1", water_id), ==,
      20000);
  g_assert_cmpint (sql_int (app,
                            "SELECT count(*) FROM audit WHERE action = 'approve:stocktake'"
                            " AND actor = ?1",
                            "店长"),
                   ==, 1);

  /* The next scan starts a new count, expecting the booked level. */
  g_assert_cmpint (stocktake_add (app, draft, water, &error), ==, 0);
  g_assert_cmpint (till_stocktake_draft_get_booked_id (draft), ==, 0);
  g_assert_cmpuint (till_stocktake_draft_get_n_lines (draft), ==, 1);
  g_assert_cmpint (till_stocktake_draft_get_line (draft, 0)->expected_milli, ==, 20000);
  g_assert_cmpstr (till_stocktake_draft_get_line (draft, 0)->counted_text, ==, "1");
  till_stocktake_draft_clear (draft);
  g_assert_false (till_stocktake_draft_get_unsaved (draft));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stock-drafts/qty-parse", test_qty_parse);
  g_test_add_func ("/stock-drafts/receiving", test_receiving);
  g_test_add_func ("/stock-drafts/stocktake", test_stocktake);
  return g_test_run ();
}
