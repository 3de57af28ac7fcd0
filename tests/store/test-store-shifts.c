/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shifts and the handover (schema 20) on a real database: two shifts of a day with cash,
 * WeChat Pay, Alipay and stored value, refunds and cash in/out, each shift's figures
 * against SQL of the test's own, over/short, the day's figures the sum of its shifts'; an
 * open shift after closing and reopening the file; two open shifts refused; a handover
 * refused while a payment is in doubt; a closed shift immutable. */
#define G_LOG_DOMAIN "test-store-shifts"

#include "config.h"

#include <string.h>

#include "report-dataset.h"
#include "till-store-cash.h"
#include "till-store-members.h"
#include "till-store-reports.h"
#include "till-store-shifts.h"
#include "till-store-stored-value.h"

#define HOUR (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
#define MINUTE (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)

static TillSale *
sale_of (TillStore *store, gint64 amount_fen, gint64 member_id)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *number = till_store_next_sale_number (store, dataset_clock.now, &error);
  g_autoptr (TillSaleLine) line
      = till_sale_line_new (0, NULL, "Tea", NULL, amount_fen, 1000, FALSE);
  TillSale *sale = till_sale_new (number);

  g_assert_no_error (error);
  till_sale_set_opened_at (sale, dataset_clock.now);
  if (member_id != 0)
    {
      g_autoptr (TillMember) m = till_store_get_member (store, member_id, &error);
      g_autoptr (TillSaleMember) sm = NULL;

      g_assert_no_error (error);
      sm = till_sale_member_new (m->id, m->code, m->name, "138****0000", m->level_id,
                                 m->level_name);
      till_sale_set_member (sale, sm);
    }
  g_assert_cmpuint (till_sale_add_line (sale, line, &error), !=, G_MAXUINT);
  g_assert_true (till_store_save_sale (store, sale, "A", "till-1", &error));
  g_assert_no_error (error);
  return sale;
}

static void
cash_sale (TillStore *store, gint64 amount_fen)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TillSale) sale = sale_of (store, amount_fen, 0);

  g_assert_true (till_store_add_cash_payment (store, sale, amount_fen, amount_fen, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_PAID);
}

static gint64
code_sale (TillStore *store, TillPaymentMethod method, gint64 amount_fen)
{
  g_autoptr (TillSale) sale = sale_of (store, amount_fen, 0);

  dataset_pay_electronic (store, sale, method, amount_fen, FALSE);
  return till_sale_get_id (sale);
}

static void
raw_refund (TillStore *store, gint64 sale_id, gint64 amount, const char *number)
{
  g_autofree char *sql = g_strdup_printf (
      "INSERT INTO refund (payment_id, out_refund_no, amount_fen, state, created_at, updated_at)"
      " SELECT id, '%s', %" G_GINT64_FORMAT ", 'success', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
      " FROM payment WHERE sale_id = %" G_GINT64_FORMAT " AND state = 'paid'",
      number, amount, dataset_clock.now, dataset_clock.now, sale_id);

  till_store_lock (store);
  g_assert_true (till_store_exec_literal (till_store_get_db (store), sql, NULL));
  till_store_unlock (store);
}

/* SQL of the test's own over the rows of [from, to). */
static gint64
sql_window (sqlite3 *db, const char *what, gint64 from, gint64 to)
{
  g_autofree char *sql = NULL;

  if (g_str_equal (what, "refunds"))
    sql = g_strdup_printf ("SELECT total (amount_fen) FROM refund WHERE state = 'success'"
                           " AND created_at >= %" G_GINT64_FORMAT
                           " AND created_at < %" G_GINT64_FORMAT,
                           from, to);
  else if (g_str_equal (what, "in") || g_str_equal (what, "out"))
    sql = g_strdup_printf ("SELECT total (amount_fen) FROM cash_movement WHERE kind = '%s'"
                           " AND at >= %" G_GINT64_FORMAT " AND at < %" G_GINT64_FORMAT,
                           what, from, to);
  else if (g_str_equal (what, "cash_refunds"))
    sql = g_strdup_printf ("SELECT total (r.amount_fen) FROM refund r JOIN payment p ON"
                           " p.id = r.payment_id WHERE p.method = 'cash' AND r.state ="
                           " 'success' AND r.created_at >= %" G_GINT64_FORMAT
                           " AND r.created_at < %" G_GINT64_FORMAT,
                           from, to);
  else /* a method: paid payments of goods sales paid in the window */
    sql = g_strdup_printf ("SELECT total (p.amount_fen) FROM payment p JOIN sale s ON"
                           " s.id = p.sale_id WHERE p.state = 'paid' AND p.method = '%s'"
                           " AND s.kind = 'goods' AND s.state IN ('paid', 'refunded')"
                           " AND s.closed_at >= %" G_GINT64_FORMAT
                           " AND s.closed_at < %" G_GINT64_FORMAT,
                           what, from, to);
  return raw_int (db, sql);
}

static void
assert_shift_by_sql (sqlite3 *db, const TillShiftSummary *s)
{
  for (guint m = 0; m < TILL_REPORT_N_METHODS; m++)
    g_assert_cmpint (s->method_fen[m], ==,
                     sql_window (db, till_report_method_id (m), s->from_us, s->to_us));
  g_assert_cmpint (s->refunds_fen, ==, sql_window (db, "refunds", s->from_us, s->to_us));
  g_assert_cmpint (s->cash.cash_in_fen, ==, sql_window (db, "in", s->from_us, s->to_us));
  g_assert_cmpint (s->cash.cash_out_fen, ==, sql_window (db, "out", s->from_us, s->to_us));
  g_assert_cmpint (s->cash.cash_refunds_fen, ==,
                   sql_window (db, "cash_refunds", s->from_us, s->to_us));
  g_assert_cmpint (s->cash.expected_fen, ==,
                   s->cash.float_fen + sql_window (db, "cash", s->from_us, s->to_us)
                       - s->cash.cash_refunds_fen + s->cash.cash_in_fen - s->cash.cash_out_fen);
}

static void
test_two_shifts (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (TillShiftRecord) a = NULL;
  g_autoptr (TillShiftRecord) a_closed = NULL;
  g_autoptr (TillShiftRecord) b = NULL;
  g_autoptr (TillShiftRecord) b_closed = NULL;
  g_autoptr (TillShiftRecord) none = NULL;
  g_autoptr (TillReport) day = NULL;
  g_autoptr (GPtrArray) shifts = NULL;
  g_autoptr (TillSale) sv_sale = NULL;
  TillMemberFields f = { "Li Na", NULL, NULL, 0, NULL, TRUE };
  TillShiftSummary sa, sb, sum = { 0 };
  TillCashSummary cash;
  gint64 member, wx_sale, cash_refund_sale;
  sqlite3 *db;

  till_store_set_clock_for_testing (dataset_clock_cb, &dataset_clock);
  dataset_at (dataset_day_start (1) + 8 * HOUR);
  member = till_store_add_member (store, &f, NULL, "A", &error);
  g_assert_no_error (error);

  /* A: float ¥300, cash, WeChat Pay, Alipay, stored value, a refund, cash in and out. */
  a = till_store_shift_open (store, "till-1", 0, "A", 30000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->closed_at, ==, 0);
  dataset_at (dataset_clock.now + 10 * MINUTE);
  cash_sale (store, 1250);
  dataset_at (dataset_clock.now + 10 * MINUTE);
  /* a sale left in the cart at the handover, paid in the next shift */
  {
    g_autoptr (TillSale) s = sale_of (store, 800, 0);

    cash_refund_sale = till_sale_get_id (s);
  }
  dataset_at (dataset_clock.now + 10 * MINUTE);
  wx_sale = code_sale (store, TILL_PAYMENT_METHOD_WECHAT_CODE, 1999);
  code_sale (store, TILL_PAYMENT_METHOD_ALIPAY_CODE, 3500);
  g_assert_true (till_store_stored_value_topup (store, member, 10000, "T-1", "A", NULL, &error));
  g_assert_no_error (error);
  sv_sale = sale_of (store, 2400, member);
  g_assert_cmpint (
      till_store_add_stored_value_payment (store, sv_sale, 2400, "A", NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_state (sv_sale), ==, TILL_SALE_STATE_PAID);
  dataset_at (dataset_clock.now + 10 * MINUTE);
  raw_refund (store, wx_sale, 999, "RW1");
  g_assert_true (till_store_cash_record (store, TILL_CASH_IN, 5000, "change", "A", &error));
  g_assert_true (till_store_cash_record (store, TILL_CASH_OUT, 2000, "bags", "A", &error));
  g_assert_no_error (error);

  g_assert_true (till_store_shift_summary (store, a, 0, G_MAXINT64, &sa, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sa.cash.float_fen, ==, 30000);
  g_assert_cmpint (sa.method_fen[TILL_REPORT_CASH], ==, 1250);
  g_assert_cmpint (sa.method_fen[TILL_REPORT_WECHAT_CODE], ==, 1999);
  g_assert_cmpint (sa.method_fen[TILL_REPORT_ALIPAY_CODE], ==, 3500);
  g_assert_cmpint (sa.method_fen[TILL_REPORT_STORED_VALUE], ==, 2400);
  g_assert_cmpint (sa.refunds_fen, ==, 999);
  g_assert_cmpint (sa.method_refund_fen[TILL_REPORT_WECHAT_CODE], ==, 999);
  g_assert_cmpint (sa.cash.expected_fen, ==, 30000 + 1250 + 5000 - 2000);

  /* A hands over ¥1 short. */
  dataset_at (dataset_clock.now + 10 * MINUTE);
  a_closed = till_store_shift_close (store, a->id, sa.cash.expected_fen - 100, "A", &error);
  g_assert_no_error (error);
  g_assert_cmpint (a_closed->closed_at, ==, dataset_clock.now);
  g_assert_cmpint (a_closed->expected_fen, ==, 34250);
  g_assert_cmpint (TILL_SHIFT_OVER_SHORT (a_closed), ==, -100);
  g_assert_nonnull (a_closed->summary_json);
  none = till_store_shift_get_open (store, &error);
  g_assert_no_error (error);
  g_assert_null (none);
  b = till_store_shift_open (store, "till-1", 0, "B", a_closed->counted_fen, &error);
  g_assert_no_error (error);
  dataset_at (dataset_clock.now + 10 * MINUTE);
  {
    /* the sale left in the cart is paid in B's shift: it counts there */
    g_autoptr (TillSale) s = till_store_load_sale (store, cash_refund_sale, &error);

    g_assert_no_error (error);
    g_assert_true (till_store_add_cash_payment (store, s, 800, 1000, &error));
    g_assert_no_error (error);
  }
  cash_sale (store, 600);
  dataset_at (dataset_clock.now + 10 * MINUTE);
  raw_refund (store, cash_refund_sale, 300, "RC1");
  g_assert_true (till_store_shift_summary (store, b, 0, G_MAXINT64, &sb, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sb.cash.float_fen, ==, 34150);
  g_assert_cmpint (sb.method_fen[TILL_REPORT_CASH], ==, 1400);
  g_assert_cmpint (sb.cash.cash_refunds_fen, ==, 300);
  g_assert_cmpint (sb.cash.expected_fen, ==, 34150 + 1400 - 300);
  dataset_at (dataset_clock.now + 10 * MINUTE);
  b_closed = till_store_shift_close (store, b->id, sb.cash.expected_fen + 50, "B", &error);
  g_assert_no_error (error);
  g_assert_cmpint (TILL_SHIFT_OVER_SHORT (b_closed), ==, 50);
  /* a second close is refused */
  g_assert_null (till_store_shift_close (store, b->id, 0, "B", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  /* each shift's figures against SQL of the test's own */
  db = raw_open (dir->path);
  shifts = till_store_shifts_of_day (store, "2026-11-21", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shifts->len, ==, 2);
  for (guint i = 0; i < shifts->len; i++)
    {
      TillShiftRecord *r = g_ptr_array_index (shifts, i);
      TillShiftSummary s;

      g_assert_true (till_store_shift_summary (store, r, 0, G_MAXINT64, &s, &error));
      g_assert_no_error (error);
      assert_shift_by_sql (db, &s);
      g_assert_cmpint (s.cash.expected_fen, ==, r->expected_fen);
      for (guint m = 0; m < TILL_REPORT_N_METHODS; m++)
        {
          sum.method_fen[m] += s.method_fen[m];
          sum.method_refund_fen[m] += s.method_refund_fen[m];
        }
      sum.gross_fen += s.gross_fen;
      sum.n_sales += s.n_sales;
      sum.refunds_fen += s.refunds_fen;
      sum.discounts_fen += s.discounts_fen;
      sum.topups_fen += s.topups_fen;
      sum.cash.cash_sales_fen += s.cash.cash_sales_fen;
      sum.cash.cash_refunds_fen += s.cash.cash_refunds_fen;
      sum.cash.cash_in_fen += s.cash.cash_in_fen;
      sum.cash.cash_out_fen += s.cash.cash_out_fen;
      sum.cash.expected_fen += s.cash.expected_fen - s.cash.float_fen;
    }
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM shift WHERE closed_at IS NULL"), ==, 0);
  g_assert_cmpint (raw_int (db, "SELECT counted_fen - expected_fen FROM shift WHERE cashier"
                                " = 'A'"),
                   ==, -100);
  g_assert_cmpint (raw_int (db, "SELECT json_extract (summary_json,"
                                " '$.methods.stored_value.paid_fen') FROM shift WHERE"
                                " cashier = 'A'"),
                   ==, 2400);
  /* the first shift's float is the day's */
  g_assert_cmpint (raw_int (db, "SELECT amount_fen FROM cash_movement WHERE kind = 'float'"), ==,
                   30000);
  sqlite3_close (db);

  /* the day is the sum of its shifts */
  day = till_store_report_day (store, "2026-11-21", &error);
  g_assert_no_error (error);
  g_assert_true (till_store_cash_summary (store, "2026-11-21", &cash, &error));
  g_assert_no_error (error);
  for (guint m = 0; m < TILL_REPORT_N_METHODS; m++)
    {
      g_assert_cmpint (day->method_fen[m], ==, sum.method_fen[m]);
      g_assert_cmpint (day->method_refund_fen[m], ==, sum.method_refund_fen[m]);
    }
  g_assert_cmpint (day->gross_fen, ==, sum.gross_fen);
  g_assert_cmpuint (day->n_sales, ==, sum.n_sales);
  g_assert_cmpint (day->refunds_fen, ==, sum.refunds_fen);
  g_assert_cmpint (day->discounts_fen, ==, sum.discounts_fen);
  g_assert_cmpint (day->topups_fen, ==, sum.topups_fen);
  g_assert_cmpint (cash.cash_sales_fen, ==, sum.cash.cash_sales_fen);
  g_assert_cmpint (cash.cash_refunds_fen, ==, sum.cash.cash_refunds_fen);
  g_assert_cmpint (cash.cash_in_fen, ==, sum.cash.cash_in_fen);
  g_assert_cmpint (cash.cash_out_fen, ==, sum.cash.cash_out_fen);
  g_assert_cmpint (cash.expected_fen - cash.float_fen, ==, sum.cash.expected_fen);
  /* the last drawer is the day's expected cash plus the shifts' over/short */
  g_assert_cmpint (b_closed->expected_fen, ==, cash.expected_fen - 100);

  /* the Z report lists the shifts with their over/short */
  {
    const guint counts[TILL_N_DENOMINATIONS] = { 0 };
    g_autoptr (TillDayClose) close = NULL;

    dataset_at (dataset_clock.now + HOUR);
    close = till_store_day_close (store, "2026-11-21", counts, "B", &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (close->z_text, "Shifts (handovers)"));
    g_assert_nonnull (strstr (close->z_text, "-¥1.00"));
    g_assert_nonnull (strstr (close->z_text, "¥0.50"));
    g_assert_nonnull (g_strrstr (close->z_text, "\nA "));
    g_assert_nonnull (g_strrstr (close->z_text, "\nB "));
  }
  till_store_set_clock_for_testing (NULL, NULL);
}

static void
test_open_survives_restart (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (TillShiftRecord) opened = NULL;
  g_autoptr (TillShiftRecord) again = NULL;
  g_autoptr (TillShiftRecord) second = NULL;
  gint64 id;

  till_store_set_clock_for_testing (dataset_clock_cb, &dataset_clock);
  dataset_at (dataset_day_start (2) + 9 * HOUR);
  {
    g_autoptr (TillStore) store = test_store_open (dir);

    opened = till_store_shift_open (store, "till-1", 0, "A", 10000, &error);
    g_assert_no_error (error);
    id = opened->id;
    /* two open shifts are refused, and write nothing */
    second = till_store_shift_open (store, "till-1", 0, "B", 0, &error);
    g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
    g_assert_null (second);
    g_clear_error (&error);
    g_assert_cmpint (store_int (store, "SELECT count(*) FROM shift"), ==, 1);
    g_assert_cmpint (store_int (store, "SELECT count(*) FROM audit WHERE action ="
                                       " 'shift_open'"),
                     ==, 1);
  }
  /* the file closed and opened again, as after a power cut */
  dataset_at (dataset_clock.now + HOUR);
  {
    g_autoptr (TillStore) store = test_store_open (dir);
    TillShiftSummary s;

    again = till_store_shift_get_open (store, &error);
    g_assert_no_error (error);
    g_assert_nonnull (again);
    g_assert_cmpint (again->id, ==, id);
    g_assert_cmpstr (again->cashier, ==, "A");
    g_assert_cmpint (again->float_fen, ==, 10000);
    /* a sale paid after the restart lands in the shift that is open */
    cash_sale (store, 500);
    g_assert_true (till_store_shift_summary (store, again, 0, G_MAXINT64, &s, &error));
    g_assert_no_error (error);
    g_assert_cmpint (s.method_fen[TILL_REPORT_CASH], ==, 500);
    g_assert_cmpint (s.cash.expected_fen, ==, 10500);
  }
  till_store_set_clock_for_testing (NULL, NULL);
}

static void
test_refusals (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (TillShiftRecord) a = NULL;
  g_autoptr (TillShiftRecord) closed = NULL;
  g_autoptr (TillSale) sale = NULL;
  g_autofree char *trade_no = NULL;
  gint64 payment;
  sqlite3 *db;

  till_store_set_clock_for_testing (dataset_clock_cb, &dataset_clock);
  dataset_at (dataset_day_start (3) + 9 * HOUR);
  a = till_store_shift_open (store, "till-1", 0, "A", 0, &error);
  g_assert_no_error (error);
  g_assert_null (till_store_shift_open (store, "till-1", 0, "", 0, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  /* a payment in doubt holds the handover */
  sale = sale_of (store, 1000, 0);
  payment = till_store_payment_begin (store, till_sale_get_id (sale),
                                      TILL_PAYMENT_METHOD_WECHAT_CODE, 1000, "S01", "D01", "1234",
                                      dataset_clock.now, 0, &trade_no, &error);
  g_assert_no_error (error);
  g_assert_null (till_store_shift_close (store, a->id, 0, "A", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_true (till_store_payment_update (store, payment, TILL_PAYMENT_STATE_FAILED, NULL,
                                            "NOT_ENOUGH", &error));
  g_assert_no_error (error);
  g_assert_null (till_store_shift_close (store, a->id, -1, "A", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  closed = till_store_shift_close (store, a->id, 0, "A", &error);
  g_assert_no_error (error);

  /* a closed shift never changes, no shift is deleted */
  db = raw_open (dir->path);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE shift SET counted_fen = 5", NULL, NULL, NULL), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM shift", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  sqlite3_close (db);
  till_store_set_clock_for_testing (NULL, NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/shifts/two-shifts", test_two_shifts);
  g_test_add_func ("/store/shifts/open-survives-restart", test_open_survives_restart);
  g_test_add_func ("/store/shifts/refusals", test_refusals);
  return g_test_run ();
}
