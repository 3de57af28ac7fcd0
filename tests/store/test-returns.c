/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Returns without a receipt on a real database: the price rule, one transaction (a
 * failure half way leaves nothing), the cash the day close expects, a closed day and a
 * payment in progress refusing it, and the report's figures by cashier. */
#define G_LOG_DOMAIN "test-returns"

#include "config.h"

#include <string.h>

#include "report-dataset.h"
#include "till-core-error.h"
#include "till-store-cash.h"
#include "till-store-reports.h"
#include "till-store-returns.h"

#define HOUR (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

static gint64
add_product (TillStore  *store,
             const char *barcode,
             const char *name,
             gint64      price,
             gboolean    weighed)
{
  g_autoptr(GError) error = NULL;
  TillProduct p = { 0, (char *) barcode, NULL, (char *) name, price,
                    (char *) (weighed ? "kg" : "件"), weighed, TRUE };
  gint64 id = till_store_upsert_product (store, &p, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

typedef struct
{
  TestDir   *dir;
  TillStore *store;
  gint64     water;    /* 农夫山泉 2.00 */
  gint64     cookies;  /* 奥利奥 9.90 */
  gint64     pork;     /* 五花肉 33.80 / kg */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = test_dir_new ();
  f->store = test_store_open (f->dir);
  till_store_set_clock_for_testing (dataset_clock_cb, &dataset_clock);
  dataset_at (dataset_day_start (1) + 9 * HOUR);
  f->water = add_product (f->store, "6921168509256", "农夫山泉 550ml", 200, FALSE);
  f->cookies = add_product (f->store, "6903148126622", "奥利奥饼干", 990, FALSE);
  f->pork = add_product (f->store, "2000012000005", "五花肉", 3380, TRUE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  g_clear_pointer (&f->dir, test_dir_free);
  till_store_set_clock_for_testing (NULL, NULL);
}

/* Two water (2.00), one cookies lowered to 9.45, 0.455 kg pork (15.379 → 15.38). */
static TillReturn *
draft (Fixture    *f,
       const char *cashier)
{
  g_autoptr(GError) error = NULL;
  TillReturn *ret = till_return_new ();
  guint i;

  g_assert_true (till_return_add_line (ret, f->water, "6921168509256", "农夫山泉 550ml", "件",
                                       FALSE, 2000, 200, NULL, &error));
  g_assert_true (till_return_add_line (ret, f->cookies, "6903148126622", "奥利奥饼干", "件",
                                       FALSE, 1000, 990, &i, &error));
  g_assert_true (till_return_set_price (ret, i, 945, &error));
  g_assert_true (till_return_add_line (ret, f->pork, NULL, "五花肉", "kg", TRUE, 455, 3380,
                                       NULL, &error));
  g_assert_no_error (error);
  ret->cashier = g_strdup (cashier);
  ret->manager = g_strdup ("店长");
  ret->till_id = g_strdup ("till-1");
  ret->reason = g_strdup ("Faulty or damaged: 包装破损");
  g_assert_cmpint (ret->amount_fen, ==, 400 + 945 + 1538);
  return ret;
}

static void
test_price_rule (void)
{
  g_autoptr(TillReturn) ret = till_return_new ();
  g_autoptr(GError) error = NULL;
  guint i;

  g_assert_true (till_return_add_line (ret, 1, NULL, "奥利奥饼干", "件", FALSE, 3000, 990, &i,
                                       &error));
  g_assert_cmpint (ret->amount_fen, ==, 2970);
  /* never above the list price, never below zero */
  g_assert_false (till_return_set_price (ret, i, 991, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "¥9.90"));
  g_clear_error (&error);
  g_assert_false (till_return_set_price (ret, i, -1, &error));
  g_clear_error (&error);
  g_assert_cmpint (ret->amount_fen, ==, 2970);
  g_assert_true (till_return_set_price (ret, i, 500, &error));
  g_assert_cmpint (ret->amount_fen, ==, 1500);
  g_assert_false (till_return_set_qty (ret, i, 0, &error));
  g_clear_error (&error);
  g_assert_true (till_return_set_qty (ret, i, 2000, &error));
  g_assert_cmpint (ret->amount_fen, ==, 1000);
  /* cash handed back by the rule, as a cash refund of the same amount */
  g_assert_cmpint (till_return_cash_for (1538, TILL_CASH_ROUNDING_JIAO), ==, 1540);
  g_assert_cmpint (till_return_cash_for (1535, TILL_CASH_ROUNDING_JIAO), ==, 1530);
  g_assert_cmpint (till_return_cash_for (1538, TILL_CASH_ROUNDING_NONE), ==, 1538);
  till_return_remove_line (ret, i);
  g_assert_false (till_return_check (ret, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT);
}

static void
test_record (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TillReturn) d = draft (f, "小王");
  g_autoptr(TillReturn) stored = NULL;
  g_autoptr(TillReturn) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *audit = NULL;

  stored = till_store_return_record (f->store, d, TILL_CASH_ROUNDING_JIAO, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored->number, ==, "R20261121-0001");
  g_assert_cmpint (stored->amount_fen, ==, 2883);
  g_assert_cmpint (stored->rounding_fen, ==, 2880 - 2883);
  g_assert_cmpint (till_return_get_cash_fen (stored), ==, 2880);

  rows = store_rows (f->store, "SELECT number, day, till_id, cashier, manager, reason,"
                               " amount_fen, rounding_fen FROM goods_return");
  g_assert_cmpstr (rows, ==, "R20261121-0001|2026-11-21|till-1|小王|店长|"
                             "Faulty or damaged: 包装破损|2883|-3\n");
  g_clear_pointer (&rows, g_free);
  rows = store_rows (f->store, "SELECT position, product_id IS NOT NULL, name, qty_milli,"
                               " list_price_fen, unit_price_fen, line_total_fen"
                               " FROM goods_return_line ORDER BY position");
  g_assert_cmpstr (rows, ==, "0|1|农夫山泉 550ml|2000|200|200|400\n"
                             "1|1|奥利奥饼干|1000|990|945|945\n"
                             "2|1|五花肉|455|3380|3380|1538\n");
  audit = store_text (f->store, "SELECT actor || ' ' || action || ' ' || detail_json FROM audit"
                                " WHERE action = 'return_no_receipt'");
  g_assert_nonnull (strstr (audit, "小王 return_no_receipt {\"number\":\"R20261121-0001\""));
  g_assert_nonnull (strstr (audit, "\"manager\":\"店长\""));

  loaded = till_store_return_load (f->store, "R20261121-0001", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->lines->len, ==, 3);
  g_assert_cmpint (loaded->amount_fen, ==, 2883);
  g_assert_cmpint (loaded->rounding_fen, ==, -3);
  g_assert_cmpstr (loaded->manager, ==, "店长");
  g_assert_cmpint (((TillReturnLine *) g_ptr_array_index (loaded->lines, 1))->unit_price_fen,
                   ==, 945);

  /* The second of the day has the next number; a row cannot change afterwards. */
  g_clear_pointer (&stored, till_return_free);
  stored = till_store_return_record (f->store, d, TILL_CASH_ROUNDING_JIAO, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->number, ==, "R20261121-0002");
  {
    sqlite3 *db = raw_open (f->dir->path);

    g_assert_cmpint (raw_try (db, "UPDATE goods_return SET amount_fen = 1"), ==,
                     SQLITE_CONSTRAINT);
    g_assert_cmpint (raw_try (db, "DELETE FROM goods_return"), ==, SQLITE_CONSTRAINT);
    sqlite3_close (db);
  }
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(TillReturn) d = draft (f, "小王");
  g_autoptr(GError) error = NULL;
  TillReturnLine *line;
  sqlite3 *db;

  /* A price above today's catalog price (the catalog changed since the draft). */
  line = g_ptr_array_index (d->lines, 1);
  line->list_price_fen = 2000;
  line->unit_price_fen = 1500;
  g_assert_null (till_store_return_record (f->store, d, TILL_CASH_ROUNDING_JIAO, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "¥9.90"));
  g_clear_error (&error);
  line->list_price_fen = 990;
  line->unit_price_fen = 990;

  /* No reason, no manager. */
  g_free (d->reason);
  d->reason = g_strdup ("  ");
  g_assert_null (till_store_return_record (f->store, d, TILL_CASH_ROUNDING_JIAO, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_free (d->reason);
  d->reason = g_strdup ("Wrong item");
  g_free (d->manager);
  d->manager = g_strdup ("");
  g_assert_null (till_store_return_record (f->store, d, TILL_CASH_ROUNDING_JIAO, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_free (d->manager);
  d->manager = g_strdup ("店长");

  /* One transaction: a failure at the last line leaves no return, no line, no audit. */
  db = raw_open (f->dir->path);
  raw_exec (db, "CREATE TRIGGER fail_third BEFORE INSERT ON goods_return_line"
                " WHEN NEW.position = 2 BEGIN SELECT RAISE (ABORT, 'disk on fire'); END");
  g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*disk on fire*");
  g_assert_null (till_store_return_record (f->store, d, TILL_CASH_ROUNDING_JIAO, &error));
  g_test_assert_expected_messages ();
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM goods_return"), ==, 0);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM goods_return_line"), ==, 0);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM audit WHERE action = 'return_no_receipt'"),
                   ==, 0);
  raw_exec (db, "DROP TRIGGER fail_third");

  /* A payment of the open sale waiting for its outcome. */
  {
    g_autoptr(TillSale) sale = NULL;
    g_autofree char *number = till_store_next_sale_number (f->store, dataset_clock.now, &error);
    g_autoptr(TillSaleLine) sl = till_sale_line_new (f->water, "6921168509256", "农夫山泉",
                                                     "件", 200, 1000, FALSE);
    g_autofree char *trade_no = NULL;
    gint64 id;

    sale = till_sale_new (number);
    till_sale_set_opened_at (sale, dataset_clock.now);
    till_sale_add_line (sale, sl, &error);
    g_assert_true (till_store_save_sale (f->store, sale, "小王", "till-1", &error));
    id = till_store_payment_begin (f->store, till_sale_get_id (sale),
                                   TILL_PAYMENT_METHOD_WECHAT_CODE, 200, "S01", "D01", "1234",
                                   dataset_clock.now, 0, &trade_no, &error);
    g_assert_no_error (error);
    g_assert_null (till_store_return_record (f->store, d, TILL_CASH_ROUNDING_JIAO, &error));
    g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
    g_assert_nonnull (strstr (error->message, "payment is in progress"));
    g_clear_error (&error);
    g_assert_true (till_store_payment_update (f->store, id, TILL_PAYMENT_STATE_FAILED, NULL,
                                              "NOT_ENOUGH", &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM goods_return"), ==, 0);
  sqlite3_close (db);

  /* Once it is over, the same return goes through. */
  {
    g_autoptr(TillReturn) stored = till_store_return_record (f->store, d,
                                                             TILL_CASH_ROUNDING_JIAO, &error);

    g_assert_no_error (error);
    g_assert_nonnull (stored);
  }
}

static void
test_day_close (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TillReturn) d = draft (f, "小王");
  g_autoptr(TillReturn) stored = NULL;
  g_autoptr(TillDayClose) close = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = NULL;
  g_autofree char *number = NULL;
  g_autoptr(TillSaleLine) line = NULL;
  guint counts[TILL_N_DENOMINATIONS] = { 0 };
  TillCashSummary cash;
  gint64 received = 0;

  g_assert_true (till_store_cash_record (f->store, TILL_CASH_FLOAT, 50000, NULL, "店长", &error));
  /* a cash sale of 39.60 (4 × 9.90) */
  number = till_store_next_sale_number (f->store, dataset_clock.now, &error);
  sale = till_sale_new (number);
  till_sale_set_opened_at (sale, dataset_clock.now);
  line = till_sale_line_new (f->cookies, "6903148126622", "奥利奥饼干", "件", 990, 4000, FALSE);
  till_sale_add_line (sale, line, &error);
  g_assert_true (till_store_save_sale (f->store, sale, "小王", "till-1", &error));
  g_assert_true (till_store_add_cash_payment_rounded (f->store, sale, 3960, 5000,
                                                      TILL_CASH_ROUNDING_JIAO, &received,
                                                      &error));
  g_assert_no_error (error);

  dataset_at (dataset_day_start (1) + 10 * HOUR);
  stored = till_store_return_record (f->store, d, TILL_CASH_ROUNDING_JIAO, &error);
  g_assert_no_error (error);

  g_assert_true (till_store_cash_summary (f->store, "2026-11-21", &cash, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cash.cash_returns_fen, ==, 2883);
  g_assert_cmpint (cash.cash_rounding_fen, ==, 3);   /* the return's −3 given back */
  /* cash in − cash out: 500.00 + 39.60 − 28.80 */
  g_assert_cmpint (cash.expected_fen, ==, 50000 + 3960 - 2880);

  /* Count exactly what is expected: 510.80 */
  counts[0] = 5;   /* 100 */
  counts[3] = 1;   /* 10 */
  counts[7] = 8;   /* 0.10 */
  dataset_at (dataset_day_start (1) + 22 * HOUR);
  close = till_store_day_close_rounded (f->store, "2026-11-21", counts, TILL_CASH_ROUNDING_JIAO,
                                        "店长", &error);
  g_assert_no_error (error);
  g_assert_cmpint (close->expected_fen, ==, 51080);
  g_assert_cmpint (close->difference_fen, ==, 0);
  g_assert_nonnull (strstr (close->z_text, "Returns without receipt"));
  g_assert_nonnull (strstr (close->z_text, "-28.83"));
  g_assert_nonnull (strstr (close->report_json, "\"cash_returns_fen\":2883"));
  g_assert_nonnull (strstr (close->report_json, "\"n_returns\":1,\"returns_fen\":2883"));

  /* The closed day takes no return: refused as a sale is, nothing written. */
  g_clear_pointer (&stored, till_return_free);
  stored = till_store_return_record (f->store, d, TILL_CASH_ROUNDING_JIAO, &error);
  g_assert_null (stored);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED);
  g_assert_nonnull (strstr (error->message, "midnight"));
  g_clear_error (&error);
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM goods_return"), ==, 1);
  /* and the trigger refuses it whoever writes */
  {
    sqlite3 *db = raw_open (f->dir->path);

    g_assert_cmpint (raw_try (db, "INSERT INTO goods_return (number, day, at, till_id, cashier,"
                                  " manager, reason, amount_fen) VALUES ('X', '2026-11-21', 0,"
                                  " 't', 'c', 'm', 'r', 1)"), ==, SQLITE_CONSTRAINT);
    sqlite3_close (db);
  }

  /* The next day opens at midnight. */
  dataset_at (dataset_day_start (2) + 9 * HOUR);
  g_clear_pointer (&stored, till_return_free);
  stored = till_store_return_record (f->store, d, TILL_CASH_ROUNDING_JIAO, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->number, ==, "R20261122-0001");
}

static void
test_report (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillReport) report = NULL;
  g_autofree char *text = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  const char *who[] = { "小王", "小李", "小王" };
  TillReportCashier *c;

  for (guint i = 0; i < G_N_ELEMENTS (who); i++)
    {
      g_autoptr(TillReturn) d = draft (f, who[i]);
      g_autoptr(TillReturn) stored = NULL;

      dataset_at (dataset_day_start (1) + (10 + i) * HOUR);
      stored = till_store_return_record (f->store, d, TILL_CASH_ROUNDING_JIAO, &error);
      g_assert_no_error (error);
    }
  /* another day's return is not in this day's report */
  {
    g_autoptr(TillReturn) d = draft (f, "老张");
    g_autoptr(TillReturn) stored = NULL;

    dataset_at (dataset_day_start (2) + 10 * HOUR);
    stored = till_store_return_record (f->store, d, TILL_CASH_ROUNDING_JIAO, &error);
    g_assert_no_error (error);
  }

  report = till_store_report_day (f->store, "2026-11-21", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_returns, ==, 3);
  g_assert_cmpint (report->returns_fen, ==, 3 * 2883);
  g_assert_cmpint (report->net_fen, ==, report->gross_fen - report->refunds_fen - 3 * 2883);
  g_assert_cmpint (report->cash_rounding_fen, ==, 3 * 3);
  g_assert_cmpuint (report->returns->len, ==, 2);
  c = g_ptr_array_index (report->returns, 0);
  g_assert_cmpstr (c->cashier, ==, "小王");
  g_assert_cmpuint (c->n_sales, ==, 2);
  g_assert_cmpint (c->amount_fen, ==, 2 * 2883);
  c = g_ptr_array_index (report->returns, 1);
  g_assert_cmpstr (c->cashier, ==, "小李");
  g_assert_cmpuint (c->n_sales, ==, 1);
  g_assert_cmpint (c->amount_fen, ==, 2883);
  /* the sales' cashiers are not mixed with the returns' */
  g_assert_cmpuint (report->cashiers->len, ==, 0);

  text = till_report_to_text (report);
  g_assert_nonnull (strstr (text, "Returns without receipt          3         86.49"));
  g_assert_nonnull (strstr (text, "Returns without receipt by cashier"));
  csv = till_report_to_csv (report, NULL);
  g_assert_nonnull (strstr (csv, "\"Totals\",\"Returns without receipt\",\"3\",\"86.49\""));
  g_assert_nonnull (strstr (csv, "\"Returns without receipt\",\"小王\",\"2\",\"57.66\""));
  json = till_report_to_json (report);
  g_assert_nonnull (strstr (json, "\"n_returns\":3,\"returns_fen\":8649,\"returns\":"
                                  "[{\"cashier\":\"小王\",\"n_returns\":2,\"amount_fen\":5766}"));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/returns/price-rule", test_price_rule);
  g_test_add ("/returns/record", Fixture, NULL, fixture_set_up, test_record, fixture_tear_down);
  g_test_add ("/returns/refusals", Fixture, NULL, fixture_set_up, test_refusals,
              fixture_tear_down);
  g_test_add ("/returns/day-close", Fixture, NULL, fixture_set_up, test_day_close,
              fixture_tear_down);
  g_test_add ("/returns/report", Fixture, NULL, fixture_set_up, test_report, fixture_tear_down);
  return g_test_run ();
}
