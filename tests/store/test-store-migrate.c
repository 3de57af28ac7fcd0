/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Schema migrations on real files: every earlier version is upgraded with its data kept;
 * newer, foreign and garbage files are refused and left untouched. Opening: a database
 * or directory that cannot be written is refused at once; a writer in another process is
 * waited for; the data directory's lock admits one till. */
#define G_LOG_DOMAIN "test-store-migrate"

#include "config.h"

#include <unistd.h>

#include "store-test-util.h"
#include "till-store-dirlock.h"
#include "till-store-cash.h"
#include "till-store-refunds.h"
#include "till-store-reports.h"
#include "till-store-products.h"
#include "till-store-returns.h"
#include "till-store-search.h"
#include "till-store-suspend.h"

static const char *tables_v3[] = {
  "product", "sale", "sale_line", "sale_seq", "payment", "refund", "outbox", "audit",
  "day_close", "staff", "cash_movement", "reconciliation",
};

static const char *indexes_v3[] = {
  "product_barcode", "product_plu", "product_name_active", "sale_till_state",
  "sale_line_product", "payment_sale", "payment_unfinished", "refund_payment",
  "outbox_due", "audit_at", "cash_movement_day", "reconciliation_date",
  "sale_state_closed_at", "refund_state_created_at",
};

static const char *triggers_v4[] = {
  "sale_closed_day_update", "sale_closed_day_insert", "refund_closed_day",
  "cash_movement_closed_day", "day_close_no_update", "day_close_no_delete",
};

static gboolean
has_object (sqlite3    *db,
            const char *type,
            const char *name)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_master WHERE type = ?1"
                                           " AND name = ?2", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

static void
assert_current_schema (TillStore *store)
{
  g_autofree char *mode = NULL;
  g_autofree char *out_trade_no = NULL;
  g_autofree char *payment_index = NULL;
  sqlite3 *db;

  g_assert_cmpint (till_store_get_schema_version (store), ==, TILL_STORE_SCHEMA_VERSION);
  g_assert_cmpint (store_int (store, "PRAGMA user_version"), ==, TILL_STORE_SCHEMA_VERSION);
  g_assert_cmpint (store_int (store, "PRAGMA application_id"), ==, TILL_STORE_APPLICATION_ID);
  mode = store_text (store, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (store_int (store, "PRAGMA synchronous"), ==, 2);
  g_assert_cmpint (store_int (store, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (store_int (store, "PRAGMA busy_timeout"), >, 0);

  till_store_lock (store);
  db = till_store_get_db (store);
  for (guint i = 0; i < G_N_ELEMENTS (tables_v3); i++)
    g_assert_true (has_object (db, "table", tables_v3[i]));
  for (guint i = 0; i < G_N_ELEMENTS (indexes_v3); i++)
    g_assert_true (has_object (db, "index", indexes_v3[i]));
  g_assert_true (has_object (db, "trigger", "audit_no_update"));
  g_assert_true (has_object (db, "trigger", "audit_no_delete"));
  for (guint i = 0; i < G_N_ELEMENTS (triggers_v4); i++)
    g_assert_true (has_object (db, "trigger", triggers_v4[i]));
  g_assert_true (has_object (db, "table", "product_search"));
  g_assert_true (has_object (db, "trigger", "product_search_stale"));
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_table_info ('day_close')"
                                " WHERE name IN ('difference_fen', 'closed_by')"), ==, 2);
  /* the columns the later steps added */
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_table_info ('product')"
                                " WHERE name IN ('plu', 'weighed')"), ==, 2);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_table_info ('sale_line')"
                                " WHERE name IN ('weighed', 'fixed_total')"), ==, 2);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_table_info ('payment')"
                                " WHERE name = 'rounding_fen' AND \"notnull\" = 1"
                                " AND dflt_value = '0'"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_table_info ('refund')"
                                " WHERE name = 'rounding_fen' AND \"notnull\" = 1"
                                " AND dflt_value = '0'"), ==, 1);
  /* the payment table never has a column for the customer's payment code */
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_table_info ('payment')"
                                " WHERE name = 'auth_code'"), ==, 0);
  g_assert_cmpint (raw_int (db, "SELECT \"notnull\" FROM pragma_table_info ('payment')"
                                " WHERE name = 'out_trade_no'"), ==, 0);
  payment_index = raw_rows (db, "SELECT \"unique\" FROM pragma_index_list ('outbox')"
                                " WHERE origin = 'u'");
  g_assert_cmpstr (payment_index, ==, "1\n");
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_index_list ('product')"
                                " WHERE name = 'product_barcode' AND \"unique\" = 1"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_index_list ('product')"
                                " WHERE name = 'product_plu' AND \"unique\" = 1"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_index_info ('outbox_due')"), ==, 2);
  /* schema 8: each reconciliation names its provider; found by day and provider */
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_table_info ('reconciliation')"
                                " WHERE name = 'provider' AND \"notnull\" = 1"
                                " AND dflt_value = '''wechat'''"), ==, 1);
  {
    g_autofree char *cols = raw_rows (db, "SELECT name FROM pragma_index_info"
                                          " ('reconciliation_date') ORDER BY seqno");

    g_assert_cmpstr (cols, ==, "date\nprovider\nfetched_at\n");
  }
  out_trade_no = raw_text (db, "PRAGMA integrity_check");
  g_assert_cmpstr (out_trade_no, ==, "ok");
  till_store_unlock (store);
}

static void
create_at (TestDir *dir,
           int      version)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (till_store_create_at_version (dir->path, version, &error));
  g_assert_no_error (error);
  if (version > 0)
    {
      sqlite3 *db = raw_open (dir->path);
      g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, version);
      sqlite3_close (db);
    }
}

/* ---------------------------------------------------------------- upgrades */

static void
test_fresh_file (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);

  assert_current_schema (store);
  g_assert_cmpstr (till_store_get_path (store), ==, dir->path);
  g_assert_cmpint (till_store_count_products (store, NULL), ==, 0);
}

static void
test_from_0_empty_file (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = NULL;

  write_file (dir->path, "", 0);
  store = test_store_open (dir);
  assert_current_schema (store);
}

static void
test_from_0_by_steps (void)
{
  /* version 0 made by the test entry point is the same as a new file */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = NULL;

  create_at (dir, 0);
  store = test_store_open (dir);
  assert_current_schema (store);
}

static void
test_from_1 (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = NULL;
  g_autoptr(TillProduct) product = NULL;
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  create_at (dir, 1);
  db = raw_open (dir->path);
  raw_exec (db,
            "INSERT INTO product (id, barcode, name, price_fen, unit, active, updated_at)"
            "  VALUES (7, '6921168509256', '农夫山泉 550ml', 200, '瓶', 1, 1700000000000000);"
            "INSERT INTO product (id, barcode, name, price_fen, unit, active, updated_at)"
            "  VALUES (8, '6954767001055', '旧货', 300, '瓶', 0, 1700000000000000);"
            "INSERT INTO sale (id, number, opened_at, state, total_fen, cashier, till_id)"
            "  VALUES (3, '20231114-0001', 1700000000000000, 'open', 600, 'alice', 'till-1');"
            "INSERT INTO sale_line (sale_id, position, product_id, barcode, name, unit,"
            "  qty_milli, unit_price_fen, line_total_fen)"
            "  VALUES (3, 0, 7, '6921168509256', '农夫山泉 550ml', '瓶', 3000, 200, 600);"
            "INSERT INTO sale_seq VALUES ('', '20231114', 1);");
  sqlite3_close (db);

  store = test_store_open (dir);
  assert_current_schema (store);

  product = till_store_lookup_barcode (store, "6921168509256", &error);
  g_assert_no_error (error);
  g_assert_cmpint (product->id, ==, 7);
  g_assert_cmpstr (product->name, ==, "农夫山泉 550ml");
  g_assert_cmpint (product->price_fen, ==, 200);
  g_assert_null (product->plu);
  g_assert_false (product->weighed);
  g_assert_null (till_store_lookup_barcode (store, "6954767001055", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  sale = till_store_load_open_sale (store, "till-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (till_sale_get_number (sale), ==, "20231114-0001");
  g_assert_cmpint (till_sale_get_id (sale), ==, 3);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 600);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 1);
  g_assert_false (till_sale_line_get_fixed_total (till_sale_get_line (sale, 0)));
  g_assert_false (till_sale_line_get_weighed (till_sale_get_line (sale, 0)));

  /* the old sequence goes on */
  {
    g_autofree char *number = till_store_next_sale_number (store, 1700000000000000, &error);
    g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (1700000000);
    g_autofree char *day = g_date_time_format (local, "%Y%m%d");

    g_assert_no_error (error);
    if (g_strcmp0 (day, "20231114") == 0)
      g_assert_cmpstr (number, ==, "20231114-0002");
  }
}

static void
test_from_2 (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = NULL;
  g_autoptr(TillProduct) by_plu = NULL;
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(GError) error = NULL;
  TillSaleLine *line;
  sqlite3 *db;

  create_at (dir, 2);
  db = raw_open (dir->path);
  raw_exec (db,
            "INSERT INTO product (id, barcode, plu, name, price_fen, unit, weighed, active,"
            "  updated_at) VALUES (1, NULL, '100001', '香蕉', 698, 'kg', 1, 1, 1);"
            "INSERT INTO sale (id, number, opened_at, state, total_fen, cashier, till_id)"
            "  VALUES (1, '20240101-0001', 1704067200000000, 'suspended', 5018, 'bob', 'till-1');"
            "INSERT INTO sale_line (sale_id, position, product_id, barcode, name, unit,"
            "  qty_milli, unit_price_fen, line_total_fen, weighed, fixed_total) VALUES"
            "  (1, 0, 1, NULL, '香蕉', 'kg', 1234, 698, 861, 1, 0),"
            "  (1, 1, NULL, '2100002012345', '五花肉', 'kg', 1000, 3380, 4157, 0, 1);");
  sqlite3_close (db);

  store = test_store_open (dir);
  assert_current_schema (store);

  by_plu = till_store_lookup_plu (store, "100001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (by_plu->name, ==, "香蕉");
  g_assert_true (by_plu->weighed);
  g_assert_null (by_plu->barcode);

  sale = till_store_load_sale_by_number (store, "20240101-0001", &error);
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_SUSPENDED);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 5018);
  line = till_sale_get_line (sale, 0);
  g_assert_true (till_sale_line_get_weighed (line));
  g_assert_cmpint (till_sale_line_get_qty_milli (line), ==, 1234);
  line = till_sale_get_line (sale, 1);
  g_assert_true (till_sale_line_get_fixed_total (line));
  g_assert_cmpint (till_sale_line_get_line_total_fen (line), ==, 4157);
}

static void
test_from_3 (void)
{
  /* v3 data is kept; the closed-day rule applies to it from now on */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = NULL;
  sqlite3 *db;

  create_at (dir, 3);
  db = raw_open (dir->path);
  raw_exec (db,
            "INSERT INTO sale (id, number, opened_at, closed_at, state, total_fen, till_id)"
            "  VALUES (1, '20240101-0001', 1704085200000000, 1704085260000000, 'paid', 300,"
            "  'till-1');"
            "INSERT INTO sale (id, number, opened_at, state, total_fen, till_id)"
            "  VALUES (2, '20240101-0002', 1704085200000000, 'open', 500, 'till-1');"
            "INSERT INTO payment (sale_id, method, amount_fen, state, created_at, updated_at)"
            "  VALUES (1, 'cash', 300, 'paid', 1704085260000000, 1704085260000000);"
            "INSERT INTO day_close (date, closed_at, counted_cash_fen, expected_cash_fen)"
            "  VALUES ('2030-01-01', 1, 300, 300);");
  sqlite3_close (db);

  store = test_store_open (dir);
  assert_current_schema (store);
  g_assert_cmpint (store_int (store, "SELECT total_fen FROM sale WHERE id = 1"), ==, 300);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM payment"), ==, 1);
  g_assert_cmpint (store_int (store, "SELECT counted_cash_fen FROM day_close"), ==, 300);
  g_assert_cmpint (store_int (store, "SELECT difference_fen IS NULL FROM day_close"), ==, 1);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM staff"), ==, 0);

  db = raw_open (dir->path);
  /* a sale paid on the closed day is refused, on another day it is not */
  g_assert_cmpint (raw_try (db, "UPDATE sale SET state = 'paid', closed_at ="
                                " CAST (strftime ('%s', '2030-01-01 12:00:00', 'utc') AS INTEGER)"
                                " * 1000000 WHERE id = 2"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO cash_movement (day, kind, amount_fen, at, actor)"
                                " VALUES ('2030-01-01', 'in', 100, 1, 'x')"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "UPDATE day_close SET counted_cash_fen = 0"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "DELETE FROM day_close"), ==, SQLITE_CONSTRAINT);
  raw_exec (db, "UPDATE sale SET state = 'paid', closed_at = 1704085300000000 WHERE id = 2");
  raw_exec (db, "INSERT INTO cash_movement (day, kind, amount_fen, at, actor)"
                " VALUES ('2030-01-02', 'in', 100, 1, 'x')");
  sqlite3_close (db);
}

static void
test_from_4 (void)
{
  /* v4 cash was to the fen: its payments and refunds migrate with no rounding, and the
   * day's expected cash is what it was. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GPtrArray) refunds = NULL;
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  TillCashSummary cash;
  gint64 at;
  sqlite3 *db;

  /* noon, local time, 2024-01-01 */
  g_assert_true (till_report_parse_day ("2024-01-01", &at, &(gint64) { 0 }, &error));
  at += G_GINT64_CONSTANT (12) * 3600 * G_USEC_PER_SEC;
  create_at (dir, 4);
  db = raw_open (dir->path);
  {
    g_autofree char *sql = g_strdup_printf (
      "INSERT INTO sale (id, number, opened_at, closed_at, state, total_fen, till_id)"
      "  VALUES (1, '20240101-0001', %1$" G_GINT64_FORMAT ", %1$" G_GINT64_FORMAT ", 'paid',"
      "  3001, 'till-1');"
      "INSERT INTO sale_line (sale_id, position, name, qty_milli, unit_price_fen,"
      "  line_total_fen) VALUES (1, 0, '礼盒', 1000, 3001, 3001);"
      "INSERT INTO payment (id, sale_id, method, amount_fen, state, created_at, updated_at,"
      "  detail_json) VALUES (1, 1, 'cash', 3001, 'paid', %1$" G_GINT64_FORMAT ", %1$"
      G_GINT64_FORMAT ", '{\"tendered_fen\":5000,\"change_fen\":1999}');"
      "INSERT INTO refund (payment_id, out_refund_no, amount_fen, state, created_at,"
      "  updated_at) VALUES (1, 'CASH-R0001-1', 1000, 'success', %1$" G_GINT64_FORMAT ", %1$"
      G_GINT64_FORMAT ");"
      "INSERT INTO cash_movement (day, kind, amount_fen, at, actor)"
      "  VALUES ('2024-01-01', 'float', 10001, %1$" G_GINT64_FORMAT ", 'x');", at);

    raw_exec (db, sql);
  }
  sqlite3_close (db);

  store = test_store_open (dir);
  assert_current_schema (store);
  payments = till_store_list_sale_payments (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 1);
  g_assert_cmpint (((TillPaymentRecord *) payments->pdata[0])->amount_fen, ==, 3001);
  g_assert_cmpint (((TillPaymentRecord *) payments->pdata[0])->rounding_fen, ==, 0);
  refunds = till_store_list_sale_refunds (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (refunds->len, ==, 1);
  g_assert_cmpint (((TillRefundRecord *) refunds->pdata[0])->rounding_fen, ==, 0);
  g_assert_true (till_store_cash_summary (store, "2024-01-01", &cash, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cash.cash_rounding_fen, ==, 0);
  g_assert_cmpint (cash.expected_fen, ==, 10001 + 3001 - 1000);

  /* The rest of the old payment, ¥20.01, is refunded with the rule of today: ¥20.00 goes
   * back, the fen stays in the drawer. */
  rows = till_store_refund_begin_rounded (store, 1, 2001, NULL, "店长", FALSE,
                                          TILL_CASH_ROUNDING_JIAO, at, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpint (((TillRefundRecord *) rows->pdata[0])->amount_fen, ==, 2001);
  g_assert_cmpint (((TillRefundRecord *) rows->pdata[0])->rounding_fen, ==, -1);
}

static void
test_from_6 (void)
{
  /* Step 7 builds the payment table again for 'alipay_qr': every row, index, trigger and
   * constraint stays, and the refunds still point at their payments. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = NULL;
  g_autofree char *rows_before = NULL;
  g_autofree char *rows_after = NULL;
  g_autofree char *refund_fk = NULL;
  g_autofree char *unfinished = NULL;
  const char *all_rows = "SELECT id, sale_id, method, amount_fen, out_trade_no, state,"
                         " transaction_id, auth_code_last4, deadline_at, created_at,"
                         " updated_at, last_error, detail_json, unattached, rounding_fen"
                         " FROM payment ORDER BY id";
  sqlite3 *db;

  create_at (dir, 6);
  db = raw_open (dir->path);
  raw_exec (db,
            "INSERT INTO sale (id, number, opened_at, state, total_fen, till_id)"
            "  VALUES (1, '20240101-0001', 1, 'paid', 1500, 'till-1'),"
            "         (2, '20240101-0002', 2, 'open', 800, 'till-1');"
            "INSERT INTO payment (id, sale_id, method, amount_fen, out_trade_no, state,"
            "  transaction_id, auth_code_last4, deadline_at, created_at, updated_at,"
            "  last_error, detail_json, unattached, rounding_fen) VALUES"
            "  (1, 1, 'cash', 500, NULL, 'paid', NULL, NULL, NULL, 10, 11, NULL,"
            "   '{\"tendered_fen\":1000}', 0, -2),"
            "  (2, 1, 'wechat_code', 1000, 'T1', 'paid', '4200001', '1234', 30, 12, 13, NULL,"
            "   NULL, 0, 0),"
            "  (3, 2, 'alipay_code', 800, 'T2', 'in_doubt', NULL, '5678', 40, 14, 15,"
            "   'TRADE_NOT_EXIST', NULL, 0, 0),"
            "  (4, 2, 'wechat_native', 800, 'N3', 'paid', '4200002', NULL, 50, 16, 17, NULL,"
            "   NULL, 1, 0);"
            "INSERT INTO refund (payment_id, out_refund_no, amount_fen, state, created_at,"
            "  updated_at) VALUES (2, 'R1', 300, 'success', 20, 21),"
            "                     (4, 'R2', 800, 'processing', 22, 23);");
  rows_before = raw_rows (db, all_rows);
  sqlite3_close (db);

  store = test_store_open (dir);
  assert_current_schema (store);

  db = raw_open (dir->path);
  rows_after = raw_rows (db, all_rows);
  g_assert_cmpstr (rows_after, ==, rows_before);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM refund"), ==, 2);
  refund_fk = raw_rows (db, "SELECT \"table\" FROM pragma_foreign_key_list ('refund')");
  g_assert_cmpstr (refund_fk, ==, "payment\n");
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  /* the indexes, the partial one still partial, and the unique trade number */
  g_assert_true (has_object (db, "index", "payment_sale"));
  g_assert_true (has_object (db, "index", "payment_created_at"));
  unfinished = raw_text (db, "SELECT sql FROM sqlite_schema WHERE name = 'payment_unfinished'");
  g_assert_nonnull (strstr (unfinished, "WHERE state IN"));
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_index_list ('payment')"
                                " WHERE origin = 'u' AND \"unique\" = 1"), ==, 1);
  g_assert_false (has_object (db, "table", "payment_new"));

  /* the new method is stored, an unknown one still refused, the other CHECKs hold */
  raw_exec (db, "PRAGMA foreign_keys = ON");
  raw_exec (db, "INSERT INTO payment (sale_id, method, amount_fen, out_trade_no, state,"
                " created_at, updated_at) VALUES (2, 'alipay_qr', 800, 'Q4', 'user_paying', 1, 1)");
  g_assert_cmpint (raw_try (db, "INSERT INTO payment (sale_id, method, amount_fen, state,"
                                " created_at, updated_at) VALUES (2, 'alipay', 1, 'paid', 1, 1)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO payment (sale_id, method, amount_fen, out_trade_no,"
                                " state, created_at, updated_at, rounding_fen)"
                                " VALUES (2, 'alipay_qr', 301, 'Q5', 'paid', 1, 1, -1)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO payment (sale_id, method, amount_fen, out_trade_no,"
                                " state, created_at, updated_at)"
                                " VALUES (2, 'alipay_qr', 1, 'T1', 'paid', 1, 1)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO payment (sale_id, method, amount_fen, state,"
                                " created_at, updated_at) VALUES (99, 'cash', 1, 'paid', 1, 1)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO refund (payment_id, out_refund_no, amount_fen,"
                                " state, created_at, updated_at)"
                                " VALUES (99, 'R9', 1, 'success', 1, 1)"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "DELETE FROM payment WHERE id = 2"), ==, SQLITE_CONSTRAINT);
  sqlite3_close (db);
}

static void
test_from_7 (void)
{
  /* Step 8 adds reconciliation.provider: the results stored before are WeChat Pay's (the
   * only provider then), found as such; Alipay's are stored beside them. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *json = NULL;
  g_autofree char *status = NULL;
  sqlite3 *db;

  create_at (dir, 7);
  db = raw_open (dir->path);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_table_info ('reconciliation')"
                                " WHERE name = 'provider'"), ==, 0);
  raw_exec (db,
            "INSERT INTO reconciliation (id, date, fetched_at, result_json, status) VALUES"
            "  (1, '2026-11-20', 100, '{\"n\":1}', 'differences'),"
            "  (2, '2026-11-20', 200, '{\"n\":2}', 'balanced'),"
            "  (3, '2026-11-21', 300, '{\"n\":3}', 'balanced');");
  sqlite3_close (db);

  store = test_store_open (dir);
  assert_current_schema (store);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM reconciliation"), ==, 3);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM reconciliation"
                                     " WHERE provider = 'wechat'"), ==, 3);
  json = till_store_reconcile_load (store, "2026-11-20", "wechat", &status, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json, ==, "{\"n\":2}");   /* the newest */
  g_assert_cmpstr (status, ==, "balanced");
  g_assert_null (till_store_reconcile_load (store, "2026-11-20", "alipay", NULL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&store);

  db = raw_open (dir->path);
  rows = raw_rows (db, "SELECT id, date, provider, fetched_at, status FROM reconciliation"
                       " ORDER BY id");
  g_assert_cmpstr (rows, ==, "1|2026-11-20|wechat|100|differences\n"
                             "2|2026-11-20|wechat|200|balanced\n"
                             "3|2026-11-21|wechat|300|balanced\n");
  raw_exec (db, "INSERT INTO reconciliation (date, provider, fetched_at, result_json, status)"
                " VALUES ('2026-11-20', 'alipay', 400, '{}', 'balanced')");
  g_assert_cmpint (raw_try (db, "INSERT INTO reconciliation (date, provider, fetched_at,"
                                " result_json, status) VALUES ('2026-11-20', '', 1, '{}',"
                                " 'balanced')"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO reconciliation (date, provider, fetched_at,"
                                " result_json, status) VALUES ('2026-11-20', NULL, 1, '{}',"
                                " 'balanced')"), ==, SQLITE_CONSTRAINT);
  /* a day's newest result per provider is found by the index */
  g_free (rows);
  rows = raw_rows (db, "EXPLAIN QUERY PLAN SELECT result_json FROM reconciliation"
                       " WHERE date = '2026-11-20' AND provider = 'alipay'"
                       " ORDER BY fetched_at DESC LIMIT 1");
  g_assert_nonnull (strstr (rows, "reconciliation_date"));
  sqlite3_close (db);
}

static void
test_from_8 (void)
{
  /* Step 9 adds goods_return and goods_return_line (returns without a receipt): what was
   * there stays, the cash of a day before it is what it was, and a return is taken. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillReturn) draft = till_return_new ();
  g_autoptr(TillReturn) stored = NULL;
  g_autofree char *rows = NULL;
  TillCashSummary cash;
  sqlite3 *db;

  create_at (dir, 8);
  db = raw_open (dir->path);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_master WHERE name = 'goods_return'"),
                   ==, 0);
  raw_exec (db,
            "INSERT INTO product (id, barcode, name, price_fen, unit, updated_at)"
            "  VALUES (1, '6921168509256', '农夫山泉', 200, '件', 1);"
            "INSERT INTO cash_movement (day, kind, amount_fen, at, actor)"
            "  VALUES ('2026-11-20', 'float', 50000, 1, '店长');"
            "INSERT INTO day_close (date, closed_at, counted_cash_fen, expected_cash_fen,"
            "  report_json, difference_fen, closed_by)"
            "  VALUES ('2026-11-20', 2, 50000, 50000, '{}', 0, '店长');");
  sqlite3_close (db);

  store = test_store_open (dir);
  assert_current_schema (store);
  g_assert_true (till_store_cash_summary (store, "2026-11-20", &cash, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cash.expected_fen, ==, 50000);
  g_assert_cmpint (cash.cash_returns_fen, ==, 0);
  g_assert_true (till_return_add_line (draft, 1, "6921168509256", "农夫山泉", "件", FALSE, 1000,
                                       200, NULL, &error));
  draft->cashier = g_strdup ("小王");
  draft->manager = g_strdup ("店长");
  draft->reason = g_strdup ("Expired");
  stored = till_store_return_record (store, draft, TILL_CASH_ROUNDING_JIAO, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->amount_fen, ==, 200);
  g_clear_object (&store);

  db = raw_open (dir->path);
  rows = raw_rows (db, "SELECT r.cashier, r.manager, r.amount_fen, l.name, l.unit_price_fen"
                       " FROM goods_return r JOIN goods_return_line l ON l.return_id = r.id");
  g_assert_cmpstr (rows, ==, "小王|店长|200|农夫山泉|200\n");
  /* the closed day takes none, whoever writes; a price above the list price is refused */
  g_assert_cmpint (raw_try (db, "INSERT INTO goods_return (number, day, at, till_id, cashier,"
                                " manager, reason, amount_fen) VALUES ('R1', '2026-11-20', 3,"
                                " 't', 'c', 'm', 'r', 1)"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO goods_return_line (return_id, position, name,"
                                " qty_milli, list_price_fen, unit_price_fen, line_total_fen)"
                                " SELECT id, 9, 'x', 1000, 100, 101, 101 FROM goods_return"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM product"), ==, 1);
  sqlite3_close (db);
}

static void
test_from_9 (void)
{
  /* Step 10 adds sale.suspended_at and the one-open-sale-per-till trigger: the sales, lines
   * and payments of a version-9 file are kept; a sale suspended before (the state was in
   * the schema already) is listed by its opening time; its lines come back on resume. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(TillSale) resumed = NULL;
  g_autofree char *rows = NULL;
  TillSuspendedSale *row;
  sqlite3 *db;

  create_at (dir, 9);
  db = raw_open (dir->path);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_table_info ('sale')"
                                " WHERE name = 'suspended_at'"), ==, 0);
  raw_exec (db,
            "INSERT INTO sale (id, number, opened_at, closed_at, state, total_fen, cashier,"
            "  till_id) VALUES"
            "  (1, '20261120-0001', 1000, 2000, 'paid', 700, 'alice', 'till-1'),"
            "  (2, '20261120-0002', 3000, NULL, 'suspended', 1900, 'alice', 'till-1'),"
            "  (3, '20261120-0003', 4000, NULL, 'open', 200, 'bob', 'till-1');"
            "INSERT INTO sale_line (sale_id, position, name, qty_milli, unit_price_fen,"
            "  line_total_fen) VALUES"
            "  (1, 0, '水', 1000, 700, 700),"
            "  (2, 0, '可口可乐 500ml', 2000, 350, 700),"
            "  (2, 1, '面包', 1000, 1200, 1200),"
            "  (3, 0, '矿泉水', 1000, 200, 200);"
            "INSERT INTO payment (id, sale_id, method, amount_fen, state, created_at, updated_at)"
            "  VALUES (1, 1, 'cash', 700, 'paid', 2000, 2000);");
  sqlite3_close (db);

  store = test_store_open (dir);
  assert_current_schema (store);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM sale"), ==, 3);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM sale_line"), ==, 4);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM payment"), ==, 1);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM sale WHERE suspended_at IS NULL"),
                   ==, 3);

  list = till_store_list_suspended (store, "till-1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  row = g_ptr_array_index (list, 0);
  g_assert_cmpstr (row->number, ==, "20261120-0002");
  g_assert_cmpint (row->suspended_at, ==, 3000);
  g_assert_cmpstr (row->first_item, ==, "可口可乐 500ml");
  g_assert_cmpuint (row->n_lines, ==, 2);
  g_assert_cmpint (row->total_fen, ==, 1900);

  /* The schema now refuses a second open sale at the till. */
  db = raw_open (dir->path);
  g_assert_cmpint (raw_try (db, "UPDATE sale SET state = 'open' WHERE id = 2"), ==,
                   SQLITE_CONSTRAINT);
  sqlite3_close (db);

  /* Resumed over the open sale 3: that one is suspended in its place, in one step. */
  {
    g_autoptr(TillSale) current = till_store_load_open_sale (store, "till-1", &error);

    g_assert_no_error (error);
    resumed = till_store_resume_sale (store, 2, current, "alice", "till-1", NULL, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (resumed)), ==, 2);
  g_clear_object (&store);

  db = raw_open (dir->path);
  rows = raw_rows (db, "SELECT id, state, suspended_at IS NOT NULL FROM sale ORDER BY id");
  g_assert_cmpstr (rows, ==, "1|paid|0\n2|open|0\n3|suspended|1\n");
  sqlite3_close (db);
}

static void
test_from_10 (void)
{
  /* Step 11 adds product_search and fills it for the products there are: the catalog of a
   * version-10 file is found by pinyin, name, PLU and the end of a barcode at once; an
   * inactive product keeps its keys but is not found; a name changed outside the till
   * drops the old keys (the trigger). */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *rows = NULL;
  sqlite3 *db;

  create_at (dir, 10);
  db = raw_open (dir->path);
  g_assert_false (has_object (db, "table", "product_search"));
  raw_exec (db,
            "INSERT INTO product (id, barcode, plu, name, price_fen, unit, weighed, active,"
            "                     updated_at) VALUES"
            "  (1, '6928804011173', NULL, '可口可乐 500ml', 300, '瓶', 0, 1, 1),"
            "  (2, NULL, '4011', '香蕉', 698, 'kg', 1, 1, 1),"
            "  (3, '6901234567892', NULL, '长城干红', 6800, '瓶', 0, 0, 1),"
            "  (4, '6920202888883', NULL, '康师傅红烧牛肉面', 450, '袋', 0, 1, 1);"
            "INSERT INTO sale (id, number, opened_at, state, total_fen, till_id)"
            "  VALUES (1, '20261120-0001', 1, 'open', 300, 'till-1');"
            "INSERT INTO sale_line (sale_id, position, product_id, barcode, name, unit,"
            "  qty_milli, unit_price_fen, line_total_fen)"
            "  VALUES (1, 0, 1, '6928804011173', '可口可乐 500ml', '瓶', 1000, 300, 300);");
  sqlite3_close (db);

  store = test_store_open (dir);
  assert_current_schema (store);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM product"), ==, 4);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM sale_line"), ==, 1);
  g_assert_cmpint (store_int (store, "SELECT count(DISTINCT product_id) FROM product_search"),
                   ==, 4);
  hits = till_store_find_products (store, "kkkl", 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (((TillSearchHit *) hits->pdata[0])->product->id, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = till_store_find_products (store, "1173", 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (((TillSearchHit *) hits->pdata[0])->match, ==, TILL_SEARCH_MATCH_BARCODE_END);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = till_store_find_products (store, "cc", 50, &error);   /* 长城, inactive */
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  g_clear_object (&store);

  db = raw_open (dir->path);
  raw_exec (db, "UPDATE product SET name = '雪碧' WHERE id = 1");
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM product_search WHERE product_id = 1"),
                   ==, 0);
  rows = raw_rows (db, "SELECT count(*) FROM product_search WHERE product_id = 4");
  g_assert_cmpstr (rows, !=, "0\n");
  raw_exec (db, "PRAGMA foreign_keys = ON; DELETE FROM product WHERE id = 4");
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM product_search WHERE product_id = 4"),
                   ==, 0);
  sqlite3_close (db);
}

static void
test_from_11 (void)
{
  /* Step 12 adds discounts, overrides, 抹零 and open prices: a sale of version 11 keeps its
   * lines, each line's original price is its price and its final amount its line total,
   * so the sale's total is still the sum of its lines and it loads unchanged. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = NULL;
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(TillProduct) product = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;
  sqlite3 *db;

  create_at (dir, 11);
  db = raw_open (dir->path);
  raw_exec (db,
            "INSERT INTO product (id, barcode, name, price_fen, unit, updated_at)"
            "  VALUES (1, '6901234567892', 'Tea', 350, 'pc', 1);"
            "INSERT INTO sale (id, number, opened_at, closed_at, state, total_fen, cashier,"
            "  till_id) VALUES (1, '20261120-0001', 10, 20, 'paid', 1050, 'Wang', 'T1');"
            "INSERT INTO sale_line (sale_id, position, product_id, barcode, name, unit,"
            "  qty_milli, unit_price_fen, line_total_fen) VALUES"
            "  (1, 0, 1, '6901234567892', 'Tea', 'pc', 2000, 350, 700),"
            "  (1, 1, NULL, NULL, 'Bag', 'pc', 1000, 350, 350);");
  sqlite3_close (db);

  store = test_store_open (dir);
  assert_current_schema (store);
  rows = store_rows (store, "SELECT position, original_price_fen, discount_kind, discount_value,"
                            " discount_fen, sale_discount_fen, final_fen FROM sale_line"
                            " ORDER BY position");
  g_assert_cmpstr (rows, ==, "0|350|none|0|0|0|700\n1|350|none|0|0|0|350\n");
  g_free (rows);
  rows = store_rows (store, "SELECT discount_kind, discount_value, discount_fen,"
                            " total_rounding, rounding_fen, total_fen FROM sale");
  g_assert_cmpstr (rows, ==, "none|0|0|none|0|1050\n");
  g_assert_cmpint (store_int (store, "SELECT sum (final_fen) FROM sale_line WHERE sale_id = 1"),
                   ==, 1050);

  sale = till_store_load_sale (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1050);
  g_assert_cmpint (till_sale_get_saved_fen (sale), ==, 0);
  g_assert_false (till_sale_line_get_has_discount (till_sale_get_line (sale, 0)));

  product = till_store_lookup_barcode (store, "6901234567892", &error);
  g_assert_no_error (error);
  g_assert_false (product->open_price);
  g_clear_object (&store);

  db = raw_open (dir->path);
  g_assert_cmpint (raw_try (db, "UPDATE sale_line SET discount_kind = 'half'"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "UPDATE sale SET total_rounding = 'fen'"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "UPDATE product SET open_price = 2"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "UPDATE sale_line SET discount_value = -1"), ==,
                   SQLITE_CONSTRAINT);
  sqlite3_close (db);
}

static void
test_from_12 (void)
{
  /* Step 13 adds categories and the price history: the products and sales of a version-12
   * file are kept, no product has a category, there is no price change yet, and a
   * product saved afterwards gets a category and a history row. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = NULL;
  g_autoptr(TillProduct) product = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;
  gint64 category = -1, drinks;
  sqlite3 *db;

  create_at (dir, 12);
  db = raw_open (dir->path);
  raw_exec (db,
            "INSERT INTO product (id, barcode, plu, name, price_fen, unit, updated_at,"
            "  open_price) VALUES (1, '6901234567892', '1001', 'Tea', 350, 'pc', 1, 1);"
            "INSERT INTO sale (id, number, opened_at, closed_at, state, total_fen, cashier,"
            "  till_id) VALUES (1, '20261120-0001', 10, 20, 'paid', 700, 'Wang', 'T1');"
            "INSERT INTO sale_line (sale_id, position, product_id, barcode, name, unit,"
            "  qty_milli, unit_price_fen, line_total_fen, original_price_fen, final_fen)"
            "  VALUES (1, 0, 1, '6901234567892', 'Tea', 'pc', 2000, 350, 700, 350, 700);");
  sqlite3_close (db);

  store = test_store_open (dir);
  assert_current_schema (store);
  product = till_store_get_product (store, 1, &category, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (product->name, ==, "Tea");
  g_assert_cmpstr (product->plu, ==, "1001");
  g_assert_true (product->open_price);
  g_assert_cmpint (category, ==, 0);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM product_price"), ==, 0);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM category"), ==, 0);

  drinks = till_store_add_category (store, "Drinks", "Li", &error);
  g_assert_no_error (error);
  product->price_fen = 400;
  g_assert_cmpint (till_store_save_product (store, product, drinks, 0, "Li", &error), ==, 1);
  g_assert_no_error (error);
  rows = store_rows (store, "SELECT product_id, old_fen, new_fen, actor FROM product_price");
  g_assert_cmpstr (rows, ==, "1|350|400|Li\n");
  g_free (rows);
  rows = store_rows (store, "SELECT name, unit_price_fen, final_fen FROM sale_line");
  g_assert_cmpstr (rows, ==, "Tea|350|700\n");
  g_assert_cmpint (store_int (store, "SELECT category_id FROM product WHERE id = 1"), ==, drinks);
}

static void
test_from_13 (void)
{
  /* Step 14 adds stock: a file of version 13 with a paid sale, a return and products keeps
   * them; no product is tracked and the ledger is empty (history does not move stock), so
   * every level is 0; the new tables take moves, and a sale paid after it takes its tracked
   * goods out by the trigger. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = NULL;
  g_autofree char *rows = NULL;
  sqlite3 *db;

  create_at (dir, 13);
  db = raw_open (dir->path);
  raw_exec (db,
            "INSERT INTO product (id, barcode, name, price_fen, unit, updated_at)"
            "  VALUES (1, '6901234567892', 'Tea', 350, 'pc', 1),"
            "         (2, '6901234567908', 'Cola', 300, 'pc', 1);"
            "INSERT INTO sale (id, number, opened_at, closed_at, state, total_fen, cashier,"
            "  till_id) VALUES (1, '20261120-0001', 10, 20, 'paid', 700, 'Wang', 'T1'),"
            "  (2, '20261120-0002', 30, NULL, 'open', 300, 'Wang', 'T1');"
            "INSERT INTO sale_line (sale_id, position, product_id, barcode, name, unit,"
            "  qty_milli, unit_price_fen, line_total_fen, final_fen) VALUES"
            "  (1, 0, 1, '6901234567892', 'Tea', 'pc', 2000, 350, 700, 700),"
            "  (2, 0, 2, '6901234567908', 'Cola', 'pc', 1000, 300, 300, 300);");
  sqlite3_close (db);

  store = test_store_open (dir);
  assert_current_schema (store);
  rows = store_rows (store, "SELECT id, track_stock, min_stock_milli, cost_fen FROM product"
                            " ORDER BY id");
  g_assert_cmpstr (rows, ==, "1|0|0|NULL\n2|0|0|NULL\n");
  g_clear_pointer (&rows, g_free);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM stock_move"), ==, 0);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM sale WHERE state = 'paid'"), ==, 1);
  g_clear_object (&store);

  db = raw_open (dir->path);
  raw_exec (db, "UPDATE product SET track_stock = 1, cost_fen = 180 WHERE id = 2;"
                "UPDATE sale SET state = 'paid', closed_at = 40 WHERE id = 2;");
  rows = raw_rows (db, "SELECT product_id, kind, qty_milli, cost_fen, reference, who, at"
                       " FROM stock_move");
  g_assert_cmpstr (rows, ==, "2|sale|-1000|180|20261120-0002|Wang|40\n");
  g_assert_cmpint (raw_try (db, "UPDATE product SET track_stock = 2"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "UPDATE product SET min_stock_milli = -1"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO stock_move (product_id, kind, qty_milli, reference,"
                                " who, at) VALUES (1, 'theft', 1, 'x', 'y', 1)"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO stocktake_line (stocktake_id, product_id,"
                                " counted_milli, expected_milli, variance_milli)"
                                " VALUES (1, 1, 5, 3, 1)"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "DELETE FROM stock_move"), ==, SQLITE_CONSTRAINT);
  sqlite3_close (db);
}

static void
test_from_14 (void)
{
  /* Step 15 adds quick keys: a file of version 14 with products, categories and stock keeps
   * them, has no key arranged, and the new table takes keys on the categories, refusing a
   * key on no page, a second one for a product on a page, two at one position and a colour
   * that is not #rrggbb. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = NULL;
  g_autofree char *rows = NULL;
  sqlite3 *db;

  create_at (dir, 14);
  db = raw_open (dir->path);
  raw_exec (db,
            "INSERT INTO category (id, name, position) VALUES (1, 'Bakery', 0);"
            "INSERT INTO product (id, plu, name, price_fen, unit, updated_at, category_id,"
            "  track_stock) VALUES (1, '101', 'Bread', 350, 'pc', 1, 1, 1),"
            "                      (2, '102', 'Eggs', 60, 'pc', 1, 1, 0);"
            "INSERT INTO stock_move (product_id, kind, qty_milli, reference, who, at)"
            "  VALUES (1, 'receiving', 5000, 'R1', 'Li', 1);");
  sqlite3_close (db);

  store = test_store_open (dir);
  assert_current_schema (store);
  rows = store_rows (store, "SELECT p.id, p.name, c.name, p.track_stock FROM product p"
                            " JOIN category c ON c.id = p.category_id ORDER BY p.id");
  g_assert_cmpstr (rows, ==, "1|Bread|Bakery|1\n2|Eggs|Bakery|0\n");
  g_assert_cmpint (store_int (store, "SELECT SUM (qty_milli) FROM stock_move"), ==, 5000);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM quick_key"), ==, 0);
  g_clear_object (&store);

  db = raw_open (dir->path);
  raw_exec (db, "PRAGMA foreign_keys = ON;"
                "INSERT INTO quick_key (category_id, position, product_id, colour)"
                "  VALUES (1, 0, 1, '#a0b1c2');");
  g_assert_cmpint (raw_try (db, "INSERT INTO quick_key (category_id, position, product_id)"
                                " VALUES (7, 0, 2)"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO quick_key (category_id, position, product_id)"
                                " VALUES (1, 1, 1)"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO quick_key (category_id, position, product_id)"
                                " VALUES (1, 0, 2)"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO quick_key (category_id, position, product_id,"
                                " colour) VALUES (1, 1, 2, 'red')"), ==, SQLITE_CONSTRAINT);
  raw_exec (db, "INSERT INTO quick_key (category_id, position, product_id, label)"
                "  VALUES (1, 1, 2, 'Eggs (each)');");
  g_free (rows);
  rows = raw_rows (db, "SELECT category_id, position, product_id, label, colour FROM quick_key"
                       " ORDER BY position");
  g_assert_cmpstr (rows, ==, "1|0|1|NULL|#a0b1c2\n1|1|2|Eggs (each)|NULL\n");
  sqlite3_close (db);
}

static void
test_from_15 (void)
{
  /* Step 16 adds members: a file of version 15 with products and quick keys keeps them, has
   * no member, and the new tables take levels, members (code and phone checked and unique,
   * never deleted) and member prices (one per product and level, going with the product). */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = NULL;
  g_autofree char *rows = NULL;
  sqlite3 *db;

  create_at (dir, 15);
  db = raw_open (dir->path);
  raw_exec (db,
            "INSERT INTO category (id, name, position) VALUES (1, 'Bakery', 0);"
            "INSERT INTO product (id, plu, name, price_fen, unit, updated_at, category_id)"
            "  VALUES (1, '101', 'Bread', 350, 'pc', 1, 1), (2, '102', 'Eggs', 60, 'pc', 1, 1);"
            "INSERT INTO quick_key (category_id, position, product_id) VALUES (1, 0, 1);");
  sqlite3_close (db);

  store = test_store_open (dir);
  assert_current_schema (store);
  rows = store_rows (store, "SELECT q.position, p.name FROM quick_key q"
                            " JOIN product p ON p.id = q.product_id");
  g_assert_cmpstr (rows, ==, "0|Bread\n");
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM member"), ==, 0);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM member_level"), ==, 0);
  g_clear_object (&store);

  db = raw_open (dir->path);
  raw_exec (db, "PRAGMA foreign_keys = ON;"
                "INSERT INTO member_level (id, name, position, discount_bp)"
                "  VALUES (1, 'Gold', 0, 500);"
                "INSERT INTO member (id, code, name, phone, birthday, level_id, created_at,"
                "  created_by, updated_at) VALUES (1, 'M0000005724', 'Zhang', '13812341234',"
                "  '02-29', 1, 1, 'Li', 1);"
                "INSERT INTO product_member_price (product_id, level_id, price_fen)"
                "  VALUES (1, 1, 300);");
  g_assert_cmpint (raw_int (db, "SELECT points_per_yuan FROM member_level"), ==, 1);
  g_assert_cmpint (raw_try (db, "INSERT INTO member (code, name, created_at, created_by,"
                                " updated_at) VALUES ('M0000005724', 'Wang', 1, 'Li', 1)"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO member (code, name, phone, created_at, created_by,"
                                " updated_at) VALUES ('M0000000000', 'Wang', '13812341234', 1,"
                                " 'Li', 1)"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO member (code, name, phone, created_at, created_by,"
                                " updated_at) VALUES ('M0000000000', 'Wang', '138 1234 1235', 1,"
                                " 'Li', 1)"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO member (code, name, created_at, created_by,"
                                " updated_at) VALUES ('6901234567892', 'Wang', 1, 'Li', 1)"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO member (code, name, created_at, created_by,"
                                " updated_at) VALUES ('M00000057X4', 'Wang', 1, 'Li', 1)"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO member (code, name, level_id, created_at,"
                                " created_by, updated_at) VALUES ('M0000000000', 'Wang', 9, 1,"
                                " 'Li', 1)"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO product_member_price (product_id, level_id,"
                                " price_fen) VALUES (1, 1, 200)"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO product_member_price (product_id, level_id,"
                                " price_fen) VALUES (2, 1, -1)"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "DELETE FROM member"), ==, SQLITE_CONSTRAINT);
  raw_exec (db, "DELETE FROM quick_key; DELETE FROM product WHERE id = 1;");
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM product_member_price"), ==, 0);
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM member"), ==, 1);
  sqlite3_close (db);
}

static void
test_from_16 (void)
{
  /* Step 17 adds the stored-value and points ledgers: a file of version 16 with members
   * and member prices keeps them, every balance is 0 (no move), and the ledgers take a
   * top-up and refuse a spend below zero, a second credit of the same top-up and any
   * change of a move. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = NULL;
  g_autofree char *rows = NULL;
  sqlite3 *db;

  create_at (dir, 16);
  db = raw_open (dir->path);
  raw_exec (db,
            "INSERT INTO product (id, plu, name, price_fen, unit, updated_at)"
            "  VALUES (1, '101', 'Bread', 350, 'pc', 1);"
            "INSERT INTO member_level (id, name, position) VALUES (1, 'Gold', 0);"
            "INSERT INTO member (id, code, name, phone, level_id, created_at, created_by,"
            "  updated_at) VALUES (1, 'M0000005724', 'Zhang', '13812341234', 1, 1, 'Li', 1);"
            "INSERT INTO member_search (key, member_id) VALUES ('zhang', 1);"
            "INSERT INTO product_member_price (product_id, level_id, price_fen)"
            "  VALUES (1, 1, 300);");
  sqlite3_close (db);

  store = test_store_open (dir);
  assert_current_schema (store);
  rows = store_rows (store, "SELECT m.code, m.name, l.name, p.price_fen FROM member m"
                            " JOIN member_level l ON l.id = m.level_id"
                            " JOIN product_member_price p ON p.level_id = l.id");
  g_assert_cmpstr (rows, ==, "M0000005724|Zhang|Gold|300\n");
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM stored_value_move"), ==, 0);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM points_move"), ==, 0);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM topup_rule"), ==, 0);
  g_clear_object (&store);

  db = raw_open (dir->path);
  raw_exec (db, "PRAGMA foreign_keys = ON;"
                "INSERT INTO topup_rule (pay_fen, bonus_fen) VALUES (20000, 2000);"
                "INSERT INTO stored_value_move (member_id, kind, paid_fen, bonus_fen, reference,"
                "  who, at) VALUES (1, 'topup', 20000, 0, 'T1', 'Li', 1),"
                "                  (1, 'bonus', 0, 2000, 'T1', 'Li', 1);"
                "INSERT INTO points_move (member_id, kind, points, reference, who, at)"
                "  VALUES (1, 'earn', 200, 'T1', 'Li', 1);");
  g_assert_cmpint (raw_try (db, "INSERT INTO stored_value_move (member_id, kind, paid_fen,"
                                " bonus_fen, reference, who, at) VALUES (1, 'spend', -20001, 0,"
                                " 'S1', 'Li', 1)"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO stored_value_move (member_id, kind, paid_fen,"
                                " bonus_fen, reference, who, at) VALUES (1, 'topup', 20000, 0,"
                                " 'T1', 'Li', 1)"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO topup_rule (pay_fen, bonus_fen) VALUES (100, 0)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "UPDATE stored_value_move SET bonus_fen = 0"), ==,
                   SQLITE_CONSTRAINT);
  raw_exec (db, "INSERT INTO stored_value_move (member_id, kind, paid_fen, bonus_fen, reference,"
                "  who, at) VALUES (1, 'spend', -20000, -2000, 'S1', 'Li', 1);");
  g_free (rows);
  rows = raw_rows (db, "SELECT SUM (paid_fen), SUM (bonus_fen) FROM stored_value_move");
  g_assert_cmpstr (rows, ==, "0|0\n");
  sqlite3_close (db);
}

static void
test_from_6_refused_when_foreign (void)
{
  /* A payment table that is not the one version 6 made is left alone: the step fails and
   * the file stays at version 6 with its payment table. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GError) error = NULL;
  TillStore *store;
  sqlite3 *db;

  create_at (dir, 6);
  db = raw_open (dir->path);
  raw_exec (db, "PRAGMA writable_schema = ON;"
                "UPDATE sqlite_schema SET sql = replace (sql, '''wechat_native'', ', '')"
                " WHERE name = 'payment';"
                "PRAGMA writable_schema = OFF;");
  sqlite3_close (db);

  g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*version 7 failed*");
  store = till_store_open (dir->path, &error);
  g_test_assert_expected_messages ();
  g_assert_null (store);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED);

  db = raw_open (dir->path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, 6);
  g_assert_true (has_object (db, "table", "payment"));
  g_assert_false (has_object (db, "table", "payment_new"));
  sqlite3_close (db);
}

static void
test_from_5_is_current (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = NULL;
  sqlite3 *db;

  create_at (dir, TILL_STORE_SCHEMA_VERSION);
  db = raw_open (dir->path);
  raw_exec (db,
            "INSERT INTO sale (id, number, opened_at, state, total_fen, till_id)"
            "  VALUES (1, '20240101-0001', 1, 'paid', 300, 'till-1');"
            "INSERT INTO payment (sale_id, method, amount_fen, out_trade_no, state,"
            "  auth_code_last4, created_at, updated_at)"
            "  VALUES (1, 'wechat_code', 300, 'T1', 'in_doubt', '1234', 1, 1);");
  sqlite3_close (db);

  store = test_store_open (dir);
  assert_current_schema (store);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM payment WHERE state = 'in_doubt'"),
                   ==, 1);
}

static void
test_reopen_keeps_data (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GError) error = NULL;
  TillProduct product = { .barcode = "6921168509256", .name = "水", .price_fen = 200,
                          .active = TRUE };

  for (int round = 0; round < 3; round++)
    {
      g_autoptr(TillStore) store = test_store_open (dir);

      assert_current_schema (store);
      g_assert_cmpint (till_store_count_products (store, &error), ==, round == 0 ? 0 : 1);
      till_store_upsert_product (store, &product, &error);
      g_assert_no_error (error);
    }
}

static void
test_constraints (void)
{
  /* The CHECKs in the schema refuse impossible rows, whoever writes them. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  sqlite3 *db = raw_open (dir->path);

  raw_exec (db, "INSERT INTO sale (id, number, opened_at, till_id) VALUES (1, 'n1', 1, 't')");
  g_assert_cmpint (raw_try (db, "UPDATE sale SET state = 'lost'"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO payment (sale_id, method, amount_fen, state,"
                                " created_at, updated_at) VALUES (1, 'cheque', 1, 'paid', 1, 1)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO payment (sale_id, method, amount_fen, state,"
                                " created_at, updated_at) VALUES (1, 'cash', 1, 'maybe', 1, 1)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO payment (sale_id, method, amount_fen, state,"
                                " auth_code_last4, created_at, updated_at)"
                                " VALUES (1, 'wechat_code', 1, 'paid', '134567890123456789', 1, 1)"),
                   ==, SQLITE_CONSTRAINT);
  /* two cash payments without out_trade_no are fine, two equal trade numbers are not */
  raw_exec (db, "INSERT INTO payment (sale_id, method, amount_fen, state, created_at,"
                " updated_at) VALUES (1, 'cash', 1, 'paid', 1, 1), (1, 'cash', 2, 'paid', 1, 1)");
  raw_exec (db, "INSERT INTO payment (sale_id, method, amount_fen, out_trade_no, state,"
                " created_at, updated_at) VALUES (1, 'wechat_code', 1, 'X1', 'paid', 1, 1)");
  g_assert_cmpint (raw_try (db, "INSERT INTO payment (sale_id, method, amount_fen, out_trade_no,"
                                " state, created_at, updated_at)"
                                " VALUES (1, 'wechat_code', 1, 'X1', 'failed', 1, 1)"),
                   ==, SQLITE_CONSTRAINT);
  /* cash rounding: only cash, less than ¥1.00, never more than the amount back */
  g_assert_cmpint (raw_try (db, "INSERT INTO payment (sale_id, method, amount_fen, out_trade_no,"
                                " state, created_at, updated_at, rounding_fen)"
                                " VALUES (1, 'wechat_code', 301, 'X2', 'paid', 1, 1, -1)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO payment (sale_id, method, amount_fen, state,"
                                " created_at, updated_at, rounding_fen)"
                                " VALUES (1, 'cash', 3050, 'paid', 1, 1, 100)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO payment (sale_id, method, amount_fen, state,"
                                " created_at, updated_at, rounding_fen)"
                                " VALUES (1, 'cash', 4, 'paid', 1, 1, -5)"),
                   ==, SQLITE_CONSTRAINT);
  raw_exec (db, "INSERT INTO payment (sale_id, method, amount_fen, state, created_at,"
                " updated_at, rounding_fen) VALUES (1, 'cash', 4, 'paid', 1, 1, -4),"
                " (1, 'cash', 3051, 'paid', 1, 1, 49)");
  g_assert_cmpint (raw_try (db, "INSERT INTO refund (payment_id, out_refund_no, amount_fen,"
                                " state, created_at, updated_at, rounding_fen)"
                                " VALUES (1, 'RR1', 1, 'success', 1, 1, -2)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO outbox (kind, key, state, next_attempt_at,"
                                " created_at) VALUES ('reverse', 'k', 'sleeping', 1, 1)"),
                   ==, SQLITE_CONSTRAINT);
  raw_exec (db, "INSERT INTO outbox (kind, key, next_attempt_at, created_at)"
                " VALUES ('reverse', 'k', 1, 1)");
  g_assert_cmpint (raw_try (db, "INSERT INTO outbox (kind, key, next_attempt_at, created_at)"
                                " VALUES ('reverse', 'k', 1, 1)"), ==, SQLITE_CONSTRAINT);
  sqlite3_close (db);
}

/* ---------------------------------------------------------------- refusals */

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static void
test_too_new (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  TillStore *store;
  sqlite3 *db;

  create_at (dir, TILL_STORE_SCHEMA_VERSION);
  db = raw_open (dir->path);
  raw_exec (db, "PRAGMA journal_mode = DELETE; PRAGMA user_version = 99");
  sqlite3_close (db);
  before = read_bytes (dir->path);

  g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*schema version 99*");
  store = till_store_open (dir->path, &error);
  g_test_assert_expected_messages ();
  g_assert_null (store);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version"));

  after = read_bytes (dir->path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
assert_refused_untouched (TestDir        *dir,
                          const char     *contents,
                          gsize           length,
                          const char     *log_pattern,
                          TillStoreError  code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GBytes) before = g_bytes_new (contents, length);
  g_autofree char *wal = g_strconcat (dir->path, "-wal", NULL);
  TillStore *store;

  write_file (dir->path, contents, length);
  g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, log_pattern);
  store = till_store_open (dir->path, &error);
  g_test_assert_expected_messages ();
  g_assert_null (store);
  g_assert_error (error, TILL_STORE_ERROR, (int) code);
  g_assert_nonnull (strstr (error->message, dir->path));

  after = read_bytes (dir->path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_garbage_file (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint8 garbage[8192];

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = (guint8) g_rand_int_range (rand, 0, 256);
  assert_refused_untouched (dir, (const char *) garbage, sizeof garbage,
                            "*not a readable SQLite database*", TILL_STORE_ERROR_CORRUPT);
}

static void
test_text_file (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  const char *text = "barcode,name,price\n6921168509256,农夫山泉,2.00\n";

  assert_refused_untouched (dir, text, strlen (text), "*not a readable SQLite database*",
                            TILL_STORE_ERROR_CORRUPT);
}

static void
test_truncated_database (void)
{
  /* A real header followed by nothing usable. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GBytes) whole = NULL;
  g_autofree char *damaged = NULL;
  gsize length;

  create_at (dir, TILL_STORE_SCHEMA_VERSION);
  {
    sqlite3 *db = raw_open (dir->path);
    raw_exec (db, "PRAGMA journal_mode = DELETE");
    sqlite3_close (db);
  }
  whole = read_bytes (dir->path);
  length = g_bytes_get_size (whole);
  g_assert_cmpuint (length, >, 4096);
  damaged = g_memdup2 (g_bytes_get_data (whole, NULL), length);
  /* keep the 100-byte header, wipe the schema page */
  memset (damaged + 100, 0xA5, 4096 - 100);
  g_assert_true (g_remove (dir->path) == 0);
  assert_refused_untouched (dir, damaged, length, "*not a readable SQLite database*",
                            TILL_STORE_ERROR_CORRUPT);
}

static void
test_foreign_database (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  TillStore *store;
  sqlite3 *db = raw_open (dir->path);

  raw_exec (db, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);"
                "INSERT INTO moz_places (url) VALUES ('https://example.com')");
  sqlite3_close (db);
  before = read_bytes (dir->path);

  g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*another application*");
  store = till_store_open (dir->path, &error);
  g_test_assert_expected_messages ();
  g_assert_null (store);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT);
  after = read_bytes (dir->path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_other_application_id (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GError) error = NULL;
  TillStore *store;
  sqlite3 *db = raw_open (dir->path);

  raw_exec (db, "PRAGMA application_id = 1234; PRAGMA user_version = 1;"
                "CREATE TABLE product (id INTEGER PRIMARY KEY)");
  sqlite3_close (db);

  g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*another application*");
  store = till_store_open (dir->path, &error);
  g_test_assert_expected_messages ();
  g_assert_null (store);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT);
}

static void
test_failed_step_rolls_back (void)
{
  /* A step that fails leaves the file at the last version that succeeded. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GError) error = NULL;
  TillStore *store;
  sqlite3 *db;

  create_at (dir, 2);
  db = raw_open (dir->path);
  /* someone made a table that step 3 wants to create */
  raw_exec (db, "CREATE TABLE audit (x INTEGER)");
  sqlite3_close (db);

  g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*SQL failed*");
  g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*version 3 failed*");
  store = till_store_open (dir->path, &error);
  g_test_assert_expected_messages ();
  g_assert_null (store);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED);

  db = raw_open (dir->path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, 2);
  g_assert_false (has_object (db, "table", "payment"));
  g_assert_true (has_object (db, "index", "product_plu"));
  sqlite3_close (db);
}

static void
test_unwritable_directory (void)
{
  g_autoptr(GError) error = NULL;
  TillStore *store;

  g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*Cannot open*");
  store = till_store_open ("/nonexistent-dir/for/sure/tillpoint.db", &error);
  g_test_assert_expected_messages ();
  g_assert_null (store);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED);
}

/* ---- files and directories that cannot be written ---- */

#define ROOT_SKIP_MESSAGE \
  "running as root, whom file permissions do not stop: the read-only case needs a normal user"

static void
test_read_only_file (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GError) error = NULL;
  TillStore *store;

  if (geteuid () == 0)
    {
      g_test_skip (ROOT_SKIP_MESSAGE);
      return;
    }

  g_object_unref (test_store_open (dir));
  g_assert_cmpint (g_chmod (dir->path, 0400), ==, 0);

  /* Refused when opened, not at the first sale. */
  g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*cannot be written*");
  store = till_store_open (dir->path, &error);
  g_test_assert_expected_messages ();
  g_assert_null (store);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, dir->path));
  g_assert_cmpint (g_chmod (dir->path, 0600), ==, 0);
}

static void
test_read_only_directory (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GError) error = NULL;
  TillStore *store;

  if (geteuid () == 0)
    {
      g_test_skip (ROOT_SKIP_MESSAGE);
      return;
    }

  g_object_unref (test_store_open (dir));
  g_assert_cmpint (g_chmod (dir->dir, 0500), ==, 0);

  g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*cannot be written*");
  store = till_store_open (dir->path, &error);
  g_test_assert_expected_messages ();
  g_assert_null (store);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, dir->dir));
  g_assert_cmpint (g_chmod (dir->dir, 0700), ==, 0);
}

/* The check on its own: a writable file and directory pass, a missing file too (it is
 * created), a missing directory is left to SQLite's own error. */
static void
test_check_writable (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (till_store_check_writable (dir->path, &error));
  g_assert_no_error (error);
  g_object_unref (test_store_open (dir));
  g_assert_true (till_store_check_writable (dir->path, &error));
  g_assert_no_error (error);
  g_assert_true (till_store_check_writable ("/nonexistent-dir/for/sure/tillpoint.db", &error));
  g_assert_no_error (error);
}

/* ---- another process writing ---- */

typedef struct
{
  sqlite3 *db;
  guint    hold_ms;
} Writer;

static gpointer
commit_later_thread (gpointer data)
{
  Writer *w = data;

  g_usleep (w->hold_ms * 1000);
  raw_exec (w->db, "COMMIT");
  return NULL;
}

/* A command-line import while the till writes (or the other way round): the busy timeout
 * waits for the other connection's transaction instead of failing with SQLITE_BUSY. */
static void
test_waits_for_other_writer (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  g_autofree char *csv = test_dir_file (dir, "catalog.csv");
  Writer w = { raw_open (dir->path), 700 };
  guint n_imported = 0;
  gint64 started;

  write_file (csv, "barcode,name,price\n6901234567892,水,2.50\n", -1);
  raw_exec (w.db, "BEGIN IMMEDIATE;"
                  "INSERT INTO product (barcode, name, price_fen, updated_at)"
                  " VALUES ('6909876543212', '面包', 600, 0)");
  thread = g_thread_new ("writer", commit_later_thread, &w);

  started = g_get_monotonic_time ();
  g_assert_true (till_store_import_catalog_csv (store, csv, 0, &n_imported, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_imported, ==, 1);
  /* It did wait for the other transaction. */
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 500 * 1000);
  g_thread_join (g_steal_pointer (&thread));
  g_assert_cmpint (till_store_count_products (store, &error), ==, 2);
  sqlite3_close (w.db);
}

/* ---- the data directory's lock ---- */

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
test_dir_lock (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *lock_path = test_dir_file (dir, TILL_STORE_DIR_LOCK_FILE);
  g_autofree char *pid_line = g_strdup_printf ("%d\n", (int) getpid ());
  g_autofree char *pid_text = g_strdup_printf ("process %d", (int) getpid ());
  g_autofree char *text = NULL;
  TillStoreDirLock *lock;
  TillStoreDirLock *second;
  GPid holder = -1;

  lock = till_store_dir_lock_acquire (dir->dir, &holder, &error);
  g_assert_no_error (error);
  g_assert_nonnull (lock);
  g_assert_cmpint (holder, ==, 0);
  g_assert_cmpstr (till_store_dir_lock_get_path (lock), ==, lock_path);
  text = read_text (lock_path);
  g_assert_cmpstr (text, ==, pid_line);
  g_clear_pointer (&text, g_free);

  /* A second taker (another open of the file: flock locks belong to it, so this is what
   * another process sees) is refused, told who holds it. */
  second = till_store_dir_lock_acquire (dir->dir, &holder, &error);
  g_assert_null (second);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_IN_USE);
  g_assert_cmpint (holder, ==, getpid ());
  g_assert_nonnull (strstr (error->message, dir->dir));
  g_assert_nonnull (strstr (error->message, pid_text));
  g_clear_error (&error);
  /* The refusal did not disturb the holder's file. */
  text = read_text (lock_path);
  g_assert_cmpstr (text, ==, pid_line);
  g_clear_pointer (&text, g_free);

  /* Released: no stale process id, and the next till gets it. */
  till_store_dir_lock_release (lock);
  text = read_text (lock_path);
  g_assert_cmpstr (text, ==, "");
  lock = till_store_dir_lock_acquire (dir->dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (lock);
  till_store_dir_lock_release (lock);
}

static void
test_dir_lock_unwritable (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GError) error = NULL;
  const char *locked_dir = dir->dir;
  TillStoreDirLock *lock;

  if (geteuid () == 0)
    {
      /* Root passes every permission check; a sysfs directory still refuses new files. */
      if (!g_file_test ("/sys/kernel", G_FILE_TEST_IS_DIR))
        {
          g_test_skip (ROOT_SKIP_MESSAGE " (and there is no /sys/kernel to stand in)");
          return;
        }
      locked_dir = "/sys/kernel";
    }
  else
    g_assert_cmpint (g_chmod (dir->dir, 0500), ==, 0);

  g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*Cannot open the lock file*");
  lock = till_store_dir_lock_acquire (locked_dir, NULL, &error);
  g_test_assert_expected_messages ();
  g_assert_null (lock);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, locked_dir));
  g_assert_cmpint (g_chmod (dir->dir, 0700), ==, 0);
}

static void
test_from_17 (void)
{
  /* Step 18 rebuilds the payment table for 'stored_value' (a second rebuild, of a table
   * step 7 renamed, under the stock triggers of step 14 that name it) and puts members in
   * sales: a file of version 17 keeps its sales, payments and refunds, and the new
   * triggers credit a paid top-up once, keep it final, earn and take back points. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = NULL;
  g_autofree char *rows = NULL;
  sqlite3 *db;

  create_at (dir, 17);
  db = raw_open (dir->path);
  raw_exec (db,
            "INSERT INTO member_level (id, name, position, points_per_yuan)"
            "  VALUES (1, 'Gold', 0, 2);"
            "INSERT INTO member (id, code, name, phone, level_id, created_at, created_by,"
            "  updated_at) VALUES (1, 'M0000005724', 'Zhang', '13812341234', 1, 1, 'Li', 1);"
            "INSERT INTO sale (id, number, opened_at, closed_at, state, total_fen, cashier,"
            "  till_id) VALUES (1, '20261201-0001', 1, 2, 'paid', 1500, 'Li', 'T1');"
            "INSERT INTO payment (id, sale_id, method, amount_fen, out_trade_no, state,"
            "  created_at, updated_at) VALUES (1, 1, 'alipay_qr', 1000, 'A1', 'paid', 1, 1),"
            "  (2, 1, 'cash', 500, NULL, 'paid', 1, 1);"
            "INSERT INTO refund (id, payment_id, out_refund_no, amount_fen, state, created_at,"
            "  updated_at) VALUES (1, 1, 'R1', 300, 'success', 3, 3);");
  sqlite3_close (db);

  store = test_store_open (dir);
  assert_current_schema (store);
  rows = store_rows (store, "SELECT p.id, p.method, p.amount_fen, s.kind,"
                            "  coalesce (s.member_id, '-'), s.topup_bonus_fen"
                            " FROM payment p JOIN sale s ON s.id = p.sale_id ORDER BY p.id");
  g_assert_cmpstr (rows, ==, "1|alipay_qr|1000|goods|-|0\n2|cash|500|goods|-|0\n");
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM refund WHERE payment_id = 1"), ==, 1);
  g_clear_object (&store);

  db = raw_open (dir->path);
  raw_exec (db, "PRAGMA foreign_keys = ON;");
  /* A top-up of ¥200 rung up with a ¥20 bonus: nothing until paid, then both moves. */
  raw_exec (db, "INSERT INTO sale (id, number, opened_at, state, total_fen, cashier, till_id,"
                "  kind, member_id, topup_bonus_fen)"
                "  VALUES (2, '20261202-0001', 10, 'open', 20000, 'Li', 'T1', 'topup', 1, 2000);"
                "INSERT INTO payment (id, sale_id, method, amount_fen, state, created_at,"
                "  updated_at) VALUES (3, 2, 'cash', 20000, 'paid', 11, 11);");
  g_assert_cmpint (raw_try (db, "INSERT INTO payment (sale_id, method, amount_fen, state,"
                                " created_at, updated_at)"
                                " VALUES (2, 'stored_value', 100, 'paid', 11, 11)"),
                   ==, SQLITE_CONSTRAINT);
  g_free (rows);
  rows = raw_rows (db, "SELECT count (*) FROM stored_value_move");
  g_assert_cmpstr (rows, ==, "0\n");
  raw_exec (db, "UPDATE sale SET state = 'paid', closed_at = 12 WHERE id = 2;");
  g_free (rows);
  rows = raw_rows (db, "SELECT kind, paid_fen, bonus_fen, reference, who, at"
                       " FROM stored_value_move ORDER BY id");
  g_assert_cmpstr (rows, ==, "topup|20000|0|20261202-0001|Li|12\n"
                             "bonus|0|2000|20261202-0001|Li|12\n");
  g_assert_cmpint (raw_try (db, "UPDATE sale SET state = 'refunded' WHERE id = 2"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "UPDATE sale SET member_id = NULL WHERE id = 2"), ==,
                   SQLITE_CONSTRAINT);
  /* A top-up without a member, a goods sale with a bonus: never paid. */
  raw_exec (db, "INSERT INTO sale (id, number, opened_at, state, total_fen, till_id, kind)"
                "  VALUES (3, '20261202-0002', 13, 'open', 5000, 'T1', 'topup');"
                "INSERT INTO sale (id, number, opened_at, state, total_fen, till_id,"
                "  topup_bonus_fen) VALUES (4, '20261202-0003', 13, 'open', 5000, 'T1', 10);");
  g_assert_cmpint (raw_try (db, "UPDATE sale SET state = 'paid' WHERE id = 3"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "UPDATE sale SET state = 'paid' WHERE id = 4"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO payment (sale_id, method, amount_fen, state,"
                                " created_at, updated_at)"
                                " VALUES (4, 'stored_value', 100, 'paid', 14, 14)"),
                   ==, SQLITE_CONSTRAINT);
  /* A member's goods sale of ¥12.99 paid half by stored value: 12 yuan × 2 points. */
  raw_exec (db, "INSERT INTO sale (id, number, opened_at, state, total_fen, cashier, till_id,"
                "  member_id) VALUES (5, '20261202-0004', 15, 'open', 1299, 'Li', 'T1', 1);"
                "INSERT INTO payment (id, sale_id, method, amount_fen, state, created_at,"
                "  updated_at) VALUES (5, 5, 'stored_value', 650, 'paid', 16, 16),"
                "  (6, 5, 'cash', 649, 'paid', 16, 16);"
                "UPDATE sale SET state = 'paid', closed_at = 17 WHERE id = 5;");
  g_free (rows);
  rows = raw_rows (db, "SELECT kind, points, reference FROM points_move ORDER BY id");
  g_assert_cmpstr (rows, ==, "earn|24|20261202-0004\n");
  /* A refund of ¥6.49 in cash (success at once) takes back 24 × 649 / 1299 = 11 points;
   * the rest, once successful, the other 13. */
  raw_exec (db, "INSERT INTO refund (id, payment_id, out_refund_no, amount_fen, state,"
                "  created_at, updated_at) VALUES (2, 6, 'R2', 649, 'success', 18, 18);"
                "INSERT INTO refund (id, payment_id, out_refund_no, amount_fen, state,"
                "  created_at, updated_at) VALUES (3, 5, 'R3', 650, 'submitting', 19, 19);");
  g_free (rows);
  rows = raw_rows (db, "SELECT kind, points, at FROM points_move ORDER BY id");
  g_assert_cmpstr (rows, ==, "earn|24|17\nreverse|-11|18\n");
  raw_exec (db, "UPDATE refund SET state = 'success', updated_at = 20 WHERE id = 3;");
  g_free (rows);
  rows = raw_rows (db, "SELECT SUM (points) FROM points_move");
  g_assert_cmpstr (rows, ==, "0\n");
  sqlite3_close (db);
}

static void
test_from_18 (void)
{
  /* Step 19 rebuilds points_move for the kinds 'release' and 'return' (its append-only and
   * not-below-zero triggers, indexes and rows kept) and lets sales hold points: a file of
   * version 18 keeps its points; a sale's points move the ledger by the difference when
   * saved, a void gives back the rest, refunds return them in proportion. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = NULL;
  g_autofree char *rows = NULL;
  sqlite3 *db;

  create_at (dir, 18);
  db = raw_open (dir->path);
  raw_exec (db,
            "INSERT INTO member (id, code, name, phone, created_at, created_by, updated_at)"
            "  VALUES (1, 'M0000005724', 'Zhang', '13812341234', 1, 'Li', 1);"
            "INSERT INTO points_move (member_id, kind, points, reference, who, at)"
            "  VALUES (1, 'earn', 500, 'S0', 'Li', 1), (1, 'redeem', -100, 'S0', 'Li', 2);");
  sqlite3_close (db);

  store = test_store_open (dir);
  assert_current_schema (store);
  rows = store_rows (store, "SELECT kind, points, coalesce (sale_id, '-') FROM points_move"
                            " ORDER BY id");
  g_assert_cmpstr (rows, ==, "earn|500|-\nredeem|-100|-\n");
  g_clear_object (&store);

  db = raw_open (dir->path);
  raw_exec (db, "PRAGMA foreign_keys = ON;");
  /* the rebuilt table is still append-only and never below zero */
  g_assert_cmpint (raw_try (db, "UPDATE points_move SET points = 1"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "DELETE FROM points_move"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO points_move (member_id, kind, points, reference,"
                                " who, at) VALUES (1, 'release', -1, 'S', 'x', 3)"),
                   ==, SQLITE_CONSTRAINT);
  /* ¥20.00 with 300 points (¥3.00) off, then 200, then more than the member has */
  raw_exec (db, "INSERT INTO sale (id, number, opened_at, state, total_fen, cashier, till_id,"
                "  member_id, points_redeemed, points_fen, points_per_yuan, points_max_percent)"
                "  VALUES (1, '20261203-0001', 10, 'open', 1700, 'Li', 'T1', 1, 300, 300, 100, 50);"
                "UPDATE sale SET points_redeemed = 200, points_fen = 200, total_fen = 1800"
                "  WHERE id = 1;");
  g_assert_cmpint (raw_try (db, "UPDATE sale SET points_redeemed = 900 WHERE id = 1"), ==,
                   SQLITE_CONSTRAINT);
  g_free (rows);
  rows = raw_rows (db, "SELECT kind, points, sale_id, at FROM points_move WHERE sale_id = 1"
                       " ORDER BY id");
  g_assert_cmpstr (rows, ==, "redeem|-300|1|10\nrelease|100|1|10\n");
  /* paid in cash (18 points earned), refunded by half: 100 points back, 9 taken */
  raw_exec (db, "INSERT INTO payment (id, sale_id, method, amount_fen, state, created_at,"
                "  updated_at) VALUES (1, 1, 'cash', 1800, 'paid', 11, 11);"
                "UPDATE sale SET state = 'paid', closed_at = 12 WHERE id = 1;"
                "INSERT INTO refund (id, payment_id, out_refund_no, amount_fen, state,"
                "  created_at, updated_at) VALUES (1, 1, 'R1', 900, 'success', 13, 13);");
  g_assert_cmpint (raw_try (db, "UPDATE sale SET points_redeemed = 0 WHERE id = 1"), ==,
                   SQLITE_CONSTRAINT);
  g_free (rows);
  rows = raw_rows (db, "SELECT kind, points FROM points_move WHERE id > 2 ORDER BY id");
  g_assert_cmpstr (rows, ==, "redeem|-300\nrelease|100\nearn|18\nreturn|100\nreverse|-9\n");
  /* an open sale voided: its points back */
  raw_exec (db, "INSERT INTO sale (id, number, opened_at, state, total_fen, till_id, member_id,"
                "  points_redeemed, points_fen, points_per_yuan, points_max_percent)"
                "  VALUES (2, '20261203-0002', 20, 'open', 900, 'T1', 1, 100, 100, 100, 50);"
                "UPDATE sale SET state = 'voided', closed_at = 21 WHERE id = 2;");
  g_free (rows);
  rows = raw_rows (db, "SELECT kind, points, at FROM points_move WHERE sale_id = 2 ORDER BY id");
  g_assert_cmpstr (rows, ==, "redeem|-100|20\nrelease|100|21\n");
  /* no points without a member */
  g_assert_cmpint (raw_try (db, "INSERT INTO sale (number, opened_at, state, total_fen, till_id,"
                                " points_redeemed) VALUES ('X', 1, 'open', 1, 'T1', 5)"),
                   ==, SQLITE_CONSTRAINT);
  g_free (rows);
  rows = raw_rows (db, "SELECT SUM (points) FROM points_move");
  g_assert_cmpstr (rows, ==, "309\n");
  sqlite3_close (db);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/migrate/fresh", test_fresh_file);
  g_test_add_func ("/store/migrate/from-0/empty-file", test_from_0_empty_file);
  g_test_add_func ("/store/migrate/from-0/by-steps", test_from_0_by_steps);
  g_test_add_func ("/store/migrate/from-1", test_from_1);
  g_test_add_func ("/store/migrate/from-2", test_from_2);
  g_test_add_func ("/store/migrate/from-3", test_from_3);
  g_test_add_func ("/store/migrate/from-4", test_from_4);
  g_test_add_func ("/store/migrate/from-5", test_from_5_is_current);
  g_test_add_func ("/store/migrate/from-6", test_from_6);
  g_test_add_func ("/store/migrate/from-7", test_from_7);
  g_test_add_func ("/store/migrate/from-8", test_from_8);
  g_test_add_func ("/store/migrate/from-9", test_from_9);
  g_test_add_func ("/store/migrate/from-10", test_from_10);
  g_test_add_func ("/store/migrate/from-11", test_from_11);
  g_test_add_func ("/store/migrate/from-12", test_from_12);
  g_test_add_func ("/store/migrate/from-13", test_from_13);
  g_test_add_func ("/store/migrate/from-14", test_from_14);
  g_test_add_func ("/store/migrate/from-15", test_from_15);
  g_test_add_func ("/store/migrate/from-16", test_from_16);
  g_test_add_func ("/store/migrate/from-17", test_from_17);
  g_test_add_func ("/store/migrate/from-18", test_from_18);
  g_test_add_func ("/store/migrate/refuse/from-6-foreign-payment",
                   test_from_6_refused_when_foreign);
  g_test_add_func ("/store/migrate/reopen", test_reopen_keeps_data);
  g_test_add_func ("/store/migrate/constraints", test_constraints);
  g_test_add_func ("/store/migrate/refuse/too-new", test_too_new);
  g_test_add_func ("/store/migrate/refuse/garbage", test_garbage_file);
  g_test_add_func ("/store/migrate/refuse/text-file", test_text_file);
  g_test_add_func ("/store/migrate/refuse/truncated", test_truncated_database);
  g_test_add_func ("/store/migrate/refuse/foreign", test_foreign_database);
  g_test_add_func ("/store/migrate/refuse/other-application-id", test_other_application_id);
  g_test_add_func ("/store/migrate/refuse/failed-step", test_failed_step_rolls_back);
  g_test_add_func ("/store/migrate/refuse/unwritable", test_unwritable_directory);
  g_test_add_func ("/store/open/read-only/file", test_read_only_file);
  g_test_add_func ("/store/open/read-only/directory", test_read_only_directory);
  g_test_add_func ("/store/open/read-only/check", test_check_writable);
  g_test_add_func ("/store/open/waits-for-other-writer", test_waits_for_other_writer);
  g_test_add_func ("/store/dir-lock/one-holder", test_dir_lock);
  g_test_add_func ("/store/dir-lock/unwritable", test_dir_lock_unwritable);

  return g_test_run ();
}
