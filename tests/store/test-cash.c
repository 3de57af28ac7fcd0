/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Cash movements, expected vs counted, the day close (Z report, reprint), closed days
 * refusing changes, and a stored reconciliation, on a real database. */
#define G_LOG_DOMAIN "test-cash"

#include "config.h"

#include <string.h>

#include "report-dataset.h"
#include "till-store-cash.h"
#include "till-store-refunds.h"
#include "till-store-reports.h"

#define HOUR (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

static TillSale *
sale_with (TillStore  *store,
           gint64      price,
           gint64      qty_milli)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = till_store_next_sale_number (store, dataset_clock.now, &error);
  g_autoptr(TillSaleLine) line = till_sale_line_new (0, NULL, "散装糖果", "kg", price, qty_milli,
                                                     TRUE);
  TillSale *sale = till_sale_new (number);

  till_sale_set_opened_at (sale, dataset_clock.now);
  g_assert_cmpuint (till_sale_add_line (sale, line, &error), !=, G_MAXUINT);
  g_assert_true (till_store_save_sale (store, sale, "小王", "till-1", &error));
  g_assert_no_error (error);
  return sale;
}

static void
raw_refund (TillStore  *store,
            gint64      sale_id,
            const char *method,
            gint64      amount,
            const char *state,
            const char *number)
{
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO refund (payment_id, out_refund_no, amount_fen, state, created_at, updated_at)"
    " SELECT id, '%s', %" G_GINT64_FORMAT ", '%s', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
    " FROM payment WHERE sale_id = %" G_GINT64_FORMAT " AND method = '%s' AND state = 'paid'",
    number, amount, state, dataset_clock.now, dataset_clock.now, sale_id, method);

  till_store_lock (store);
  g_assert_true (till_store_exec_literal (till_store_get_db (store), sql, NULL));
  till_store_unlock (store);
}

/* One day: float 500.00, a cash sale, a split sale, a WeChat sale, a cash refund (and a
 * failed one), cash in 100.00, cash out 50.00. */
static void
make_day (TillStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) cash_sale = NULL;
  g_autoptr(TillSale) split = NULL;
  g_autoptr(TillSale) wechat = NULL;

  till_store_set_clock_for_testing (dataset_clock_cb, &dataset_clock);
  dataset_at (dataset_day_start (1) + 8 * HOUR);
  g_assert_true (till_store_cash_record (store, TILL_CASH_FLOAT, 50000, NULL, "店长", &error));
  g_assert_no_error (error);

  dataset_at (dataset_day_start (1) + 9 * HOUR);
  cash_sale = sale_with (store, 2580, 1500);            /* 38.70 */
  g_assert_true (till_store_complete_cash_sale (store, cash_sale, 5000, &error));
  g_assert_no_error (error);

  dataset_at (dataset_day_start (1) + 10 * HOUR);
  split = sale_with (store, 10000, 1000);               /* 100.00: 30 cash + 70 WeChat */
  g_assert_true (till_store_add_cash_payment (store, split, 3000, 5000, &error));
  g_assert_no_error (error);
  dataset_pay_electronic (store, split, TILL_PAYMENT_METHOD_WECHAT_CODE, 7000, FALSE);

  dataset_at (dataset_day_start (1) + 11 * HOUR);
  wechat = sale_with (store, 1999, 1000);
  dataset_pay_electronic (store, wechat, TILL_PAYMENT_METHOD_WECHAT_CODE, 1999, TRUE);

  dataset_at (dataset_day_start (1) + 12 * HOUR);
  raw_refund (store, till_sale_get_id (cash_sale), "cash", 870, "success", "RC1");
  raw_refund (store, till_sale_get_id (cash_sale), "cash", 100, "failed", "RC2");
  raw_refund (store, till_sale_get_id (wechat), "wechat_code", 999, "success", "RW1");

  dataset_at (dataset_day_start (1) + 13 * HOUR);
  g_assert_true (till_store_cash_record (store, TILL_CASH_IN, 10000, "换零钱 change from bank",
                                         "店长", &error));
  g_assert_true (till_store_cash_record (store, TILL_CASH_OUT, 5000, "买塑料袋", "小王", &error));
  g_assert_no_error (error);
}

static void
test_expected (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  TillCashSummary cash;
  sqlite3 *db;

  make_day (store);
  g_assert_true (till_store_cash_summary (store, "2026-11-21", &cash, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cash.float_fen, ==, 50000);
  g_assert_cmpint (cash.cash_sales_fen, ==, 3870 + 3000);
  g_assert_cmpint (cash.cash_refunds_fen, ==, 870);
  g_assert_cmpint (cash.cash_in_fen, ==, 10000);
  g_assert_cmpint (cash.cash_out_fen, ==, 5000);
  g_assert_cmpint (cash.expected_fen, ==, 50000 + 6870 - 870 + 10000 - 5000);

  /* the same from the raw tables */
  db = raw_open (dir->path);
  g_assert_cmpint (cash.expected_fen, ==,
                   raw_int (db, "SELECT (SELECT total (amount_fen) FROM cash_movement WHERE"
                                " kind IN ('float', 'in')) - (SELECT total (amount_fen) FROM"
                                " cash_movement WHERE kind = 'out') + (SELECT total (amount_fen)"
                                " FROM payment WHERE method = 'cash' AND state = 'paid')"
                                " - (SELECT total (r.amount_fen) FROM refund r, payment p WHERE"
                                " r.payment_id = p.id AND p.method = 'cash' AND r.state ="
                                " 'success')"));
  /* each movement is an audit row */
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM audit WHERE action IN ('cash_float',"
                                " 'cash_in', 'cash_out')"), ==, 3);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM audit WHERE action = 'cash_out' AND"
                                " actor = '小王' AND json_extract (detail_json, '$.reason') ="
                                " '买塑料袋' AND json_extract (detail_json, '$.amount_fen') = 5000"),
                   ==, 1);
  sqlite3_close (db);

  /* another day has nothing */
  g_assert_true (till_store_cash_summary (store, "2026-11-22", &cash, &error));
  g_assert_cmpint (cash.expected_fen, ==, 0);
  till_store_set_clock_for_testing (NULL, NULL);
}

static void
test_refusals (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;

  till_store_set_clock_for_testing (dataset_clock_cb, &dataset_clock);
  dataset_at (dataset_day_start (1) + 8 * HOUR);
  g_assert_false (till_store_cash_record (store, TILL_CASH_IN, 100, "  ", "店长", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (till_store_cash_record (store, TILL_CASH_OUT, 0, "x", "店长", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (till_store_cash_record (store, TILL_CASH_OUT, -5, "x", "店长", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_true (till_store_cash_record (store, TILL_CASH_FLOAT, 0, NULL, "店长", &error));
  g_assert_false (till_store_cash_record (store, TILL_CASH_FLOAT, 100, NULL, "店长", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM cash_movement"), ==, 1);
  till_store_set_clock_for_testing (NULL, NULL);
}

static void
test_close_and_reprint (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillDayClose) close = NULL;
  g_autoptr(TillDayClose) again = NULL;
  /* 2×100, 1×50, 0×20, 1×10, 0×5, 3×1, 1×0.5, 2×0.1 = 263.70 */
  const guint counts[TILL_N_DENOMINATIONS] = { 2, 1, 0, 1, 0, 3, 1, 2 };
  gboolean closed = TRUE;
  sqlite3 *db;

  make_day (store);
  dataset_at (dataset_day_start (1) + 22 * HOUR);
  g_assert_true (till_store_day_is_closed (store, "2026-11-21", &closed, &error));
  g_assert_false (closed);

  close = till_store_day_close (store, "2026-11-21", counts, "店长", &error);
  g_assert_no_error (error);
  g_assert_cmpint (close->counted_fen, ==, 26370);
  g_assert_cmpint (close->expected_fen, ==, 61000);
  g_assert_cmpint (close->difference_fen, ==, 26370 - 61000);
  g_assert_nonnull (strstr (close->z_text, "Day close (Z report)  2026-11-21\n"));
  g_assert_nonnull (strstr (close->z_text, "  Expected                                  610.00\n"));
  g_assert_nonnull (strstr (close->z_text, "  Counted                                   263.70\n"));
  g_assert_nonnull (strstr (close->z_text, "  Difference                               -346.30\n"));
  g_assert_nonnull (strstr (close->z_text, "  ¥100.00                        × 2        200.00\n"));
  g_assert_nonnull (strstr (close->z_text, "  ¥0.10                          × 2          0.20\n"));
  g_assert_nonnull (strstr (close->z_text, "  Gross sales                      3        158.69\n"));

  db = raw_open (dir->path);
  g_assert_cmpint (raw_int (db, "SELECT json_valid (report_json) FROM day_close"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT counted_cash_fen - expected_cash_fen = difference_fen"
                                " AND closed_by = '店长' FROM day_close WHERE date = '2026-11-21'"),
                   ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT json_extract (report_json, '$.report.gross_fen')"
                                " FROM day_close"), ==, 15869);
  g_assert_cmpint (raw_int (db, "SELECT json_extract (report_json, '$.cash.expected_fen')"
                                " FROM day_close"), ==, 61000);
  g_assert_cmpint (raw_int (db, "SELECT json_extract (report_json, '$.counts[7].count')"
                                " FROM day_close"), ==, 2);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM audit WHERE action = 'day_close'"
                                " AND actor = '店长'"), ==, 1);
  sqlite3_close (db);

  /* reprint: the same document, from the database */
  again = till_store_day_close_load (store, "2026-11-21", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->z_text, ==, close->z_text);
  g_assert_cmpint (again->difference_fen, ==, close->difference_fen);
  g_assert_cmpstr (again->closed_by, ==, "店长");
  g_assert_null (till_store_day_close_load (store, "2026-11-20", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  till_store_set_clock_for_testing (NULL, NULL);
}

static void
test_closed_day_refuses (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillDayClose) close = NULL;
  g_autoptr(TillSale) late = NULL;
  g_autoptr(TillSale) late_void = NULL;
  g_autoptr(TillSale) tomorrow = NULL;
  const guint counts[TILL_N_DENOMINATIONS] = { 6, 0, 0, 1, 0, 0, 0, 0 };
  gboolean closed = FALSE;

  make_day (store);
  dataset_at (dataset_day_start (1) + 20 * HOUR);
  /* a cart with goods would be stranded by the close: it is paid or voided first */
  {
    g_autoptr(TillSale) cart = sale_with (store, 700, 1000);

    g_assert_null (till_store_day_close (store, "2026-11-21", counts, "店长", &error));
    g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
    g_assert_nonnull (strstr (error->message, till_sale_get_number (cart)));
    g_clear_error (&error);
    g_assert_true (till_store_void_sale (store, cart, "小王", &error));
    g_assert_no_error (error);
  }
  /* a close cannot be for a day that has not begun */
  g_assert_null (till_store_day_close (store, "2026-11-22", counts, "店长", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  close = till_store_day_close (store, "2026-11-21", counts, "店长", &error);
  g_assert_no_error (error);
  g_assert_cmpint (close->difference_fen, ==, 0);
  g_assert_true (till_store_day_is_closed (store, "2026-11-21", &closed, &error));
  g_assert_true (closed);

  /* nothing dated on the closed day: a second close, cash, a sale, a void, a refund */
  dataset_at (dataset_day_start (1) + 21 * HOUR);
  late = sale_with (store, 500, 1000);
  late_void = sale_with (store, 700, 1000);
  g_clear_pointer (&close, till_day_close_free);
  g_assert_null (till_store_day_close (store, "2026-11-21", counts, "店长", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED);
  g_clear_error (&error);
  g_assert_false (till_store_cash_record (store, TILL_CASH_IN, 100, "late", "店长", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED);
  g_clear_error (&error);
  g_assert_false (till_store_check_day_open (store, dataset_clock.now, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED);
  g_clear_error (&error);
  g_assert_false (till_store_complete_cash_sale (store, late, 500, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED);
  g_clear_error (&error);
  g_assert_false (till_store_void_sale (store, late_void, "小王", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED);
  g_clear_error (&error);
  {
    sqlite3 *db = raw_open (dir->path);
    g_autofree char *sql = g_strdup_printf (
      "INSERT INTO refund (payment_id, out_refund_no, amount_fen, state, created_at, updated_at)"
      " SELECT id, 'RX', 1, 'success', %" G_GINT64_FORMAT ", 1 FROM payment LIMIT 1",
      dataset_clock.now);

    g_assert_cmpint (raw_try (db, sql), ==, SQLITE_CONSTRAINT);
    g_assert_cmpint (raw_try (db, "UPDATE day_close SET counted_cash_fen = 0"), ==,
                     SQLITE_CONSTRAINT);
    g_assert_cmpint (raw_try (db, "DELETE FROM day_close"), ==, SQLITE_CONSTRAINT);
    sqlite3_close (db);
  }
  /* the figures did not move */
  close = till_store_day_close_load (store, "2026-11-21", &error);
  g_assert_cmpint (close->expected_fen, ==, 61000);

  /* the next day is open */
  dataset_at (dataset_day_start (2) + 9 * HOUR);
  tomorrow = sale_with (store, 500, 1000);
  g_assert_true (till_store_complete_cash_sale (store, tomorrow, 500, &error));
  g_assert_no_error (error);
  g_assert_true (till_store_cash_record (store, TILL_CASH_FLOAT, 20000, NULL, "店长", &error));
  g_assert_no_error (error);
  till_store_set_clock_for_testing (NULL, NULL);
}

static void
test_unresolved_payment_blocks_close (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = NULL;
  g_autofree char *trade_no = NULL;
  const guint counts[TILL_N_DENOMINATIONS] = { 0 };
  gint64 id;

  till_store_set_clock_for_testing (dataset_clock_cb, &dataset_clock);
  dataset_at (dataset_day_start (1) + 9 * HOUR);
  sale = sale_with (store, 500, 1000);
  id = till_store_payment_begin (store, till_sale_get_id (sale), TILL_PAYMENT_METHOD_WECHAT_CODE,
                                 500, "S01", "D01", "5555", dataset_clock.now, 0, &trade_no,
                                 &error);
  g_assert_no_error (error);
  g_assert_true (till_store_payment_update (store, id, TILL_PAYMENT_STATE_IN_DOUBT, NULL,
                                            "timeout", &error));
  dataset_at (dataset_day_start (1) + 22 * HOUR);
  g_assert_null (till_store_day_close (store, "2026-11-21", counts, "店长", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_true (till_store_payment_mark_paid (store, id, "4200001", NULL, &error));
  {
    g_autoptr(TillDayClose) close = till_store_day_close (store, "2026-11-21", counts, "店长",
                                                          &error);
    g_assert_no_error (error);
    g_assert_cmpint (close->expected_fen, ==, 0);
  }
  till_store_set_clock_for_testing (NULL, NULL);
}

/* ---------------------------------------------------------------- cash rounding */

static TillPaymentRecord *
nth_payment (TillStore *store,
             TillSale  *sale,
             guint      index)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) payments = till_store_list_sale_payments (store, till_sale_get_id (sale),
                                                                &error);

  g_assert_no_error (error);
  g_assert_cmpuint (index, <, payments->len);
  return till_payment_record_copy (g_ptr_array_index (payments, index));
}

/* Issue 10, item 8: cash to the jiao. A day of cash sales, split tender and refunds, all
 * rounded to the jiao: each row keeps its amount to the fen and its rounding, the drawer
 * expects what changed hands, and a count of real coins balances. */
static void
test_rounding_day (void)
{
  const TillCashRounding jiao = TILL_CASH_ROUNDING_JIAO;
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) a = NULL;
  g_autoptr(TillSale) b = NULL;
  g_autoptr(TillPaymentRecord) pa = NULL;
  g_autoptr(TillPaymentRecord) pb1 = NULL;
  g_autoptr(TillPaymentRecord) pb2 = NULL;
  g_autoptr(GPtrArray) refunds_a = NULL;
  g_autoptr(GPtrArray) refunds_b = NULL;
  g_autoptr(TillReport) report = NULL;
  g_autoptr(TillDayClose) close = NULL;
  /* 5×100, 1×5, 2×1, 1×0.1 = 507.10 */
  const guint counts[TILL_N_DENOMINATIONS] = { 5, 0, 0, 0, 1, 2, 0, 1 };
  gint64 received = 0;
  TillCashSummary cash;
  sqlite3 *db;

  till_store_set_clock_for_testing (dataset_clock_cb, &dataset_clock);
  dataset_at (dataset_day_start (1) + 8 * HOUR);
  /* The float and cash movements are in the unit too. */
  g_assert_false (till_store_cash_record_rounded (store, TILL_CASH_FLOAT, 50005, NULL, "店长",
                                                  jiao, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "¥0.10"));
  g_clear_error (&error);
  g_assert_true (till_store_cash_record_rounded (store, TILL_CASH_FLOAT, 50000, NULL, "店长",
                                                 jiao, &error));
  g_assert_no_error (error);
  g_assert_false (till_store_cash_record_rounded (store, TILL_CASH_IN, 1001, "零钱", "店长",
                                                  jiao, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  /* A: ¥30.01, ¥50.00 handed over: ¥30.00 received, ¥20.00 change. */
  dataset_at (dataset_day_start (1) + 9 * HOUR);
  a = sale_with (store, 3001, 1000);
  g_assert_false (till_store_complete_cash_sale_rounded (store, a, 2999, jiao, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (till_store_complete_cash_sale_rounded (store, a, 5001, jiao, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "¥50.01"));
  g_clear_error (&error);
  g_assert_cmpint (till_sale_get_state (a), ==, TILL_SALE_STATE_OPEN);
  g_assert_true (till_store_complete_cash_sale_rounded (store, a, 5000, jiao, &error));
  g_assert_no_error (error);
  pa = nth_payment (store, a, 0);
  g_assert_cmpint (pa->amount_fen, ==, 3001);
  g_assert_cmpint (pa->rounding_fen, ==, -1);
  g_assert_cmpint (store_int (store, "SELECT json_extract (detail_json, '$.change_fen')"
                                     " FROM payment WHERE id = 1"), ==, 2000);

  /* B: ¥10.06 in two cash payments: ¥5.00 part cash (¥5.05 is refused), then the rest,
   * ¥5.06, rounds up to ¥5.10. */
  dataset_at (dataset_day_start (1) + 10 * HOUR);
  b = sale_with (store, 1006, 1000);
  g_assert_false (till_store_add_cash_payment_rounded (store, b, 505, 505, jiao, NULL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (till_store_add_cash_payment_rounded (store, b, 500, 1005, jiao, NULL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_true (till_store_add_cash_payment_rounded (store, b, 500, 1000, jiao, &received,
                                                      &error));
  g_assert_no_error (error);
  g_assert_cmpint (received, ==, 500);
  g_assert_cmpint (till_sale_get_state (b), ==, TILL_SALE_STATE_OPEN);
  /* the rest, named to the fen or as the cash due, settles the sale */
  g_assert_false (till_store_add_cash_payment_rounded (store, b, 506, 500, jiao, NULL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_true (till_store_add_cash_payment_rounded (store, b, 510, 1000, jiao, &received,
                                                      &error));
  g_assert_no_error (error);
  g_assert_cmpint (received, ==, 510);
  g_assert_cmpint (till_sale_get_state (b), ==, TILL_SALE_STATE_PAID);
  pb1 = nth_payment (store, b, 0);
  pb2 = nth_payment (store, b, 1);
  g_assert_cmpint (pb1->amount_fen, ==, 500);
  g_assert_cmpint (pb1->rounding_fen, ==, 0);
  g_assert_cmpint (pb2->amount_fen, ==, 506);
  g_assert_cmpint (pb2->rounding_fen, ==, 4);
  /* paid covers the total, to the fen */
  g_assert_cmpint (till_store_sale_amount_due (store, till_sale_get_id (b), &error), ==, 0);

  /* Refunds: A in full hands back ¥30.00; ¥3.03 of B hands back ¥3.00. */
  dataset_at (dataset_day_start (1) + 12 * HOUR);
  refunds_a = till_store_refund_begin_rounded (store, till_sale_get_id (a), 3001, "退货", "店长",
                                               0, jiao, dataset_clock.now, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (refunds_a->len, ==, 1);
  g_assert_cmpint (((TillRefundRecord *) refunds_a->pdata[0])->amount_fen, ==, 3001);
  g_assert_cmpint (((TillRefundRecord *) refunds_a->pdata[0])->rounding_fen, ==, -1);
  refunds_b = till_store_refund_begin_rounded (store, till_sale_get_id (b), 303, NULL, "店长",
                                               0, jiao, dataset_clock.now, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (refunds_b->len, ==, 1);
  g_assert_cmpint (((TillRefundRecord *) refunds_b->pdata[0])->amount_fen, ==, 303);
  g_assert_cmpint (((TillRefundRecord *) refunds_b->pdata[0])->rounding_fen, ==, -3);

  /* The drawer: 500.00 + 30.00 + 5.00 + 5.10 - 30.00 - 3.00 = 507.10. */
  g_assert_true (till_store_cash_summary (store, "2026-11-21", &cash, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cash.cash_sales_fen, ==, 3001 + 500 + 506);
  g_assert_cmpint (cash.cash_refunds_fen, ==, 3001 + 303);
  g_assert_cmpint (cash.cash_rounding_fen, ==, (-1 + 4) - (-1 - 3));
  g_assert_cmpint (cash.expected_fen, ==, 50710);
  db = raw_open (dir->path);
  g_assert_cmpint (cash.expected_fen, ==,
                   raw_int (db, "SELECT (SELECT total (amount_fen) FROM cash_movement)"
                                " + (SELECT total (amount_fen + rounding_fen) FROM payment"
                                "    WHERE method = 'cash' AND state = 'paid')"
                                " - (SELECT total (amount_fen + rounding_fen) FROM refund"
                                "    WHERE state = 'success')"));
  sqlite3_close (db);

  /* The sales still add up to the fen; the rounding is a line of its own. */
  report = till_store_report_day (store, "2026-11-21", &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->gross_fen, ==, 3001 + 1006);
  g_assert_cmpint (report->method_fen[TILL_REPORT_CASH], ==, report->gross_fen);
  g_assert_cmpint (report->cash_rounding_fen, ==, 7);

  /* A count of real coins balances. */
  dataset_at (dataset_day_start (1) + 22 * HOUR);
  close = till_store_day_close_rounded (store, "2026-11-21", counts, jiao, "店长", &error);
  g_assert_no_error (error);
  g_assert_cmpint (close->counted_fen, ==, 50710);
  g_assert_cmpint (close->expected_fen, ==, 50710);
  g_assert_cmpint (close->difference_fen, ==, 0);
  g_assert_nonnull (strstr (close->z_text, "  Cash rounding                               0.07\n"));
  g_assert_nonnull (strstr (close->z_text, "  Difference                                  0.00\n"));
  g_assert_null (strstr (close->z_text, "Expected in cash unit"));
  g_assert_cmpint (store_int (store, "SELECT json_extract (report_json, '$.cash.cash_rounding_fen')"
                                     " FROM day_close"), ==, 7);
  g_assert_cmpint (store_int (store, "SELECT json_extract (report_json,"
                                     " '$.report.cash_rounding_fen') FROM day_close"), ==, 7);
  till_store_set_clock_for_testing (NULL, NULL);
}

/* A payment refunded in parts gives back exactly the cash it took, whatever each part
 * rounds to: ¥30.60 to the yuan took ¥31.00; ¥15.30 and ¥15.30 hand back ¥15.00 and
 * ¥16.00. */
static void
test_rounding_refund_in_parts (void)
{
  const TillCashRounding yuan = TILL_CASH_ROUNDING_YUAN;
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(TillPaymentRecord) paid = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  TillCashSummary cash;

  till_store_set_clock_for_testing (dataset_clock_cb, &dataset_clock);
  dataset_at (dataset_day_start (1) + 9 * HOUR);
  sale = sale_with (store, 3060, 1000);
  g_assert_true (till_store_complete_cash_sale_rounded (store, sale, 5000, yuan, &error));
  g_assert_no_error (error);
  paid = nth_payment (store, sale, 0);
  g_assert_cmpint (paid->amount_fen + paid->rounding_fen, ==, 3100);

  first = till_store_refund_begin_rounded (store, till_sale_get_id (sale), 1530, NULL, "店长",
                                           0, yuan, dataset_clock.now, 0, &error);
  g_assert_no_error (error);
  second = till_store_refund_begin_rounded (store, till_sale_get_id (sale), 1530, NULL, "店长",
                                            0, yuan, dataset_clock.now, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (((TillRefundRecord *) first->pdata[0])->rounding_fen, ==, -30);
  g_assert_cmpint (((TillRefundRecord *) second->pdata[0])->rounding_fen, ==, 70);
  g_assert_cmpint (store_int (store, "SELECT state = 'refunded' FROM sale"), ==, 1);

  g_assert_true (till_store_cash_summary (store, "2026-11-21", &cash, &error));
  g_assert_cmpint (cash.expected_fen, ==, 0);
  g_assert_cmpint (cash.cash_rounding_fen, ==, 40 - (-30 + 70));
  till_store_set_clock_for_testing (NULL, NULL);
}

/* Cash taken to the fen earlier on the day the rule is set (or before an upgrade) is
 * compared in the unit: the drawer cannot hold the fen. */
static void
test_rounding_compare_in_unit (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(TillDayClose) close = NULL;
  const guint counts[TILL_N_DENOMINATIONS] = { 0, 0, 0, 3, 0, 0, 0, 0 };

  till_store_set_clock_for_testing (dataset_clock_cb, &dataset_clock);
  dataset_at (dataset_day_start (1) + 9 * HOUR);
  sale = sale_with (store, 3001, 1000);
  g_assert_true (till_store_complete_cash_sale (store, sale, 3001, &error));
  g_assert_no_error (error);

  dataset_at (dataset_day_start (1) + 22 * HOUR);
  close = till_store_day_close_rounded (store, "2026-11-21", counts, TILL_CASH_ROUNDING_JIAO,
                                        "店长", &error);
  g_assert_no_error (error);
  g_assert_cmpint (close->expected_fen, ==, 3001);
  g_assert_cmpint (close->difference_fen, ==, 0);
  g_assert_nonnull (strstr (close->z_text, "  Expected in cash unit                      30.00\n"));
  g_assert_nonnull (strstr (close->z_text, "  Difference                                  0.00\n"));
  g_assert_cmpint (store_int (store, "SELECT difference_fen FROM day_close"), ==, 0);
  g_assert_cmpint (store_int (store, "SELECT expected_cash_fen FROM day_close"), ==, 3001);
  till_store_set_clock_for_testing (NULL, NULL);
}

/* ---------------------------------------------------------------- reconciliation */

static void
test_reconcile_stored (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) a = NULL;
  g_autoptr(TillSale) b = NULL;
  g_autoptr(TillBill) bill = NULL;
  g_autoptr(TillReconciliation) result = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autofree char *json = NULL;
  g_autofree char *status = NULL;
  g_autofree char *trade_a = NULL, *trade_b = NULL;
  GString *text;

  till_store_set_clock_for_testing (dataset_clock_cb, &dataset_clock);
  dataset_at (dataset_day_start (1) + 9 * HOUR);
  a = sale_with (store, 1250, 1000);
  dataset_pay_electronic (store, a, TILL_PAYMENT_METHOD_WECHAT_CODE, 1250, FALSE);
  b = sale_with (store, 880, 1000);
  dataset_pay_electronic (store, b, TILL_PAYMENT_METHOD_ALIPAY_CODE, 880, FALSE);
  payments = till_store_list_sale_payments (store, till_sale_get_id (a), &error);
  trade_a = g_strdup (((TillPaymentRecord *) g_ptr_array_index (payments, 0))->out_trade_no);
  g_clear_pointer (&payments, g_ptr_array_unref);
  payments = till_store_list_sale_payments (store, till_sale_get_id (b), &error);
  trade_b = g_strdup (((TillPaymentRecord *) g_ptr_array_index (payments, 0))->out_trade_no);

  /* the provider has a, with another amount, and an order the till never saw */
  text = g_string_new ("交易时间,微信订单号,商户订单号,交易状态,应结订单金额,订单金额\n");
  g_string_append_printf (text, "`2026-11-21 09:00:01,`4201,`%s,`SUCCESS,`12.00,`12.00\n", trade_a);
  g_string_append (text, "`2026-11-21 09:30:00,`4202,`TUNKNOWN0001,`SUCCESS,`5.00,`5.00\n");
  g_string_append (text, "总交易单数,应结订单总金额,订单总金额\n`2,`17.00,`17.00\n");
  bill = till_bill_parse (text->str, text->len, &error);
  g_string_free (text, TRUE);
  g_assert_no_error (error);

  /* WeChat Pay's bill against WeChat Pay's payments: b (Alipay's) is not part of it */
  result = till_store_reconcile_day (store, "2026-11-21", "wechat",
                                     TILL_PAYMENT_METHOD_BIT (TILL_PAYMENT_METHOD_WECHAT_CODE)
                                     | TILL_PAYMENT_METHOD_BIT (TILL_PAYMENT_METHOD_WECHAT_NATIVE),
                                     bill, dataset_clock.now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_till_items, ==, 1);
  g_assert_cmpuint (result->n_amount, ==, 1);
  g_assert_cmpuint (result->n_missing_at_till, ==, 1);
  g_assert_cmpuint (result->n_missing_at_provider, ==, 0);
  g_assert_cmpuint (result->n_matched, ==, 0);

  json = till_store_reconcile_load (store, "2026-11-21", "wechat", &status, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status, ==, "differences");
  g_assert_nonnull (strstr (json, trade_a));
  g_assert_null (strstr (json, trade_b));
  g_assert_cmpint (store_int (store, "SELECT json_valid (result_json) FROM reconciliation"),
                   ==, 1);
  g_assert_cmpint (store_int (store, "SELECT json_extract (result_json,"
                                     " '$.counts.amount') FROM reconciliation"), ==, 1);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM reconciliation"
                                     " WHERE provider = 'wechat'"), ==, 1);
  g_assert_null (till_store_reconcile_load (store, "2026-11-22", "wechat", NULL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* nothing stored for Alipay that day */
  g_assert_null (till_store_reconcile_load (store, "2026-11-21", "alipay", NULL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  till_store_set_clock_for_testing (NULL, NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cash/expected", test_expected);
  g_test_add_func ("/cash/refusals", test_refusals);
  g_test_add_func ("/cash/close-and-reprint", test_close_and_reprint);
  g_test_add_func ("/cash/closed-day-refuses", test_closed_day_refuses);
  g_test_add_func ("/cash/unresolved-payment-blocks-close", test_unresolved_payment_blocks_close);
  g_test_add_func ("/cash/reconcile-stored", test_reconcile_stored);
  g_test_add_func ("/cash/rounding/day", test_rounding_day);
  g_test_add_func ("/cash/rounding/refund-in-parts", test_rounding_refund_in_parts);
  g_test_add_func ("/cash/rounding/compare-in-unit", test_rounding_compare_in_unit);
  return g_test_run ();
}
