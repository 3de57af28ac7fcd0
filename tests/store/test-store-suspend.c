/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 挂单 / 取单 on a real SQLite file: suspend, resume, void, the list, one open sale per till,
 * numbers and prices kept, reports, the day close, and every command in one transaction. */
#include "config.h"

#include <string.h>

#include "store-test-util.h"
#include "till-store-cash.h"
#include "till-store-payments.h"
#include "till-store-reports.h"
#include "till-store-suspend.h"

#define TILL "till-1"

static TillSale *
make_sale (TillStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = till_store_next_sale_number_for_till (store, TILL,
                                                                  till_store_now_us (), &error);
  TillSale *sale;

  g_assert_no_error (error);
  sale = till_sale_new (number);
  till_sale_set_opened_at (sale, till_store_now_us ());
  return sale;
}

static void
add_line (TillSale   *sale,
          const char *name,
          gint64      price,
          gint64      qty_milli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSaleLine) line = till_sale_line_new (0, NULL, name, "瓶", price, qty_milli, FALSE);

  g_assert_cmpuint (till_sale_add_line (sale, line, &error), !=, G_MAXUINT);
  g_assert_no_error (error);
}

/* A saved open sale with two lines: 2 × ¥3.50 + 1 × ¥12.00 = ¥19.00. */
static TillSale *
stored_sale (TillStore *store)
{
  g_autoptr(GError) error = NULL;
  TillSale *sale = make_sale (store);

  add_line (sale, "可口可乐 500ml", 350, 2000);
  add_line (sale, "面包", 1200, 1000);
  g_assert_true (till_store_save_sale (store, sale, "alice", TILL, &error));
  g_assert_no_error (error);
  return sale;
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

#define OPEN_SALES "SELECT count(*) FROM sale WHERE state = 'open'"

static gint64
count_where (const char *path,
             const char *sql)
{
  sqlite3 *db = raw_open (path);
  gint64 n = raw_int (db, sql);

  sqlite3_close (db);
  return n;
}

static void
test_suspend_then_resume (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) a = stored_sale (store);
  g_autoptr(TillSale) b = NULL;
  g_autoptr(TillSale) c = NULL;
  g_autoptr(TillSale) open = NULL;
  g_autoptr(TillSale) resumed = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *number = g_strdup (till_sale_get_number (a));
  g_autofree char *suspended_number = NULL;
  TillSuspendedSale *row;

  g_assert_true (till_store_suspend_sale (store, a, "alice", TILL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_state (a), ==, TILL_SALE_STATE_SUSPENDED);
  open = till_store_load_open_sale (store, TILL, &error);
  g_assert_no_error (error);
  g_assert_null (open);
  g_assert_cmpint (till_store_count_suspended (store, TILL, &error), ==, 1);
  g_assert_cmpint (till_store_count_suspended (store, "till-2", &error), ==, 0);
  g_assert_cmpint (count_where (dir->path, "SELECT count(*) FROM audit WHERE action ="
                                           " 'suspend_sale' AND actor = 'alice'"), ==, 1);

  /* A late save of the cart as it was before the suspend does not reopen it. */
  {
    g_autoptr(TillSale) stale = till_store_load_sale (store, till_sale_get_id (a), &error);

    g_assert_no_error (error);
    till_sale_set_state (stale, TILL_SALE_STATE_OPEN);
    g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*reopened only by resuming*");
    g_assert_false (till_store_save_sale (store, stale, "alice", TILL, &error));
    g_test_assert_expected_messages ();
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_cmpint (count_where (dir->path, "SELECT count(*) FROM sale WHERE state ="
                                             " 'suspended'"), ==, 1);
  }

  list = till_store_list_suspended (store, TILL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  row = g_ptr_array_index (list, 0);
  g_assert_cmpstr (row->number, ==, number);
  g_assert_cmpstr (row->cashier, ==, "alice");
  g_assert_cmpstr (row->first_item, ==, "可口可乐 500ml");
  g_assert_cmpuint (row->n_lines, ==, 2);
  g_assert_cmpint (row->total_fen, ==, 1900);
  g_assert_cmpint (row->suspended_at, >=, row->opened_at);

  /* The next customer: sold and paid meanwhile. */
  b = make_sale (store);
  add_line (b, "水", 200, 1000);
  g_assert_true (till_store_save_sale (store, b, "alice", TILL, &error));
  g_assert_true (till_store_complete_cash_sale (store, b, 200, &error));
  g_assert_no_error (error);

  /* Resumed over the next, empty sale (never stored): it keeps its number, lines, prices. */
  c = make_sale (store);
  resumed = till_store_resume_sale (store, row->id, c, "bob", TILL, &suspended_number, &error);
  g_assert_no_error (error);
  g_assert_nonnull (resumed);
  g_assert_null (suspended_number);
  g_assert_cmpstr (till_sale_get_number (resumed), ==, number);
  g_assert_cmpint (till_sale_get_state (resumed), ==, TILL_SALE_STATE_OPEN);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (resumed)), ==, 2);
  g_assert_cmpint (till_sale_line_get_unit_price_fen (till_sale_get_line (resumed, 0)), ==, 350);
  g_assert_cmpint (till_sale_line_get_qty_milli (till_sale_get_line (resumed, 0)), ==, 2000);
  g_assert_cmpint (till_sale_get_total_fen (resumed), ==, 1900);
  g_assert_cmpint (till_store_count_suspended (store, TILL, &error), ==, 0);
  g_clear_object (&open);
  open = till_store_load_open_sale (store, TILL, &error);
  g_assert_cmpstr (till_sale_get_number (open), ==, number);
  g_assert_cmpint (count_where (dir->path, OPEN_SALES), ==, 1);
  g_assert_cmpint (count_where (dir->path, "SELECT count(*) FROM sale WHERE suspended_at IS NOT"
                                           " NULL"), ==, 0);
  g_assert_cmpint (count_where (dir->path, "SELECT count(*) FROM audit WHERE action ="
                                           " 'resume_sale' AND actor = 'bob'"), ==, 1);

  /* Paid after all: with its own number, the total it was suspended with. */
  g_assert_true (till_store_complete_cash_sale (store, resumed, 2000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_where (dir->path, "SELECT count(*) FROM sale WHERE state = 'paid'"),
                   ==, 2);
}

static void
test_resume_suspends_current (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) a = stored_sale (store);
  g_autoptr(TillSale) b = NULL;
  g_autoptr(TillSale) resumed = NULL;
  g_autoptr(TillSale) back = NULL;
  g_autofree char *suspended_number = NULL;
  g_autofree char *again = NULL;

  g_assert_true (till_store_suspend_sale (store, a, "alice", TILL, &error));
  b = stored_sale (store);
  add_line (b, "牛奶", 500, 1000);   /* a line not saved yet: the resume saves it */

  resumed = till_store_resume_sale (store, till_sale_get_id (a), b, "alice", TILL,
                                    &suspended_number, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (suspended_number, ==, till_sale_get_number (b));
  g_assert_cmpint (till_sale_get_state (b), ==, TILL_SALE_STATE_SUSPENDED);
  g_assert_cmpstr (till_sale_get_number (resumed), ==, till_sale_get_number (a));
  g_assert_cmpint (count_where (dir->path, OPEN_SALES), ==, 1);
  g_assert_cmpint (count_where (dir->path, "SELECT count(*) FROM sale WHERE state = 'suspended'"
                                           " AND total_fen = 2400"), ==, 1);

  /* And back again: b is resumed with its three lines, a suspended in its place. */
  back = till_store_resume_sale (store, till_sale_get_id (b), resumed, "alice", TILL, &again,
                                 &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, till_sale_get_number (a));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (back)), ==, 3);
  g_assert_cmpint (till_sale_get_total_fen (back), ==, 2400);

  /* Resumed twice: refused, nothing changes. */
  g_assert_null (till_store_resume_sale (store, till_sale_get_id (b), NULL, "alice", TILL, NULL,
                                         &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* Another till's sale is not this till's to resume. */
  g_assert_null (till_store_resume_sale (store, till_sale_get_id (a), NULL, "alice", "till-2",
                                         NULL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (count_where (dir->path, OPEN_SALES), ==, 1);
}

static void
test_one_open_per_till (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) a = stored_sale (store);
  g_autoptr(TillSale) b = NULL;
  g_autoptr(TillSale) other = NULL;
  g_autoptr(TillSale) empty = NULL;
  g_autoptr(TillSale) resumed = NULL;
  g_autofree char *sql = NULL;
  sqlite3 *db;

  g_assert_true (till_store_suspend_sale (store, a, "alice", TILL, &error));
  b = stored_sale (store);

  /* The schema itself refuses a second open sale at the till, whoever writes. */
  db = raw_open (dir->path);
  sql = g_strdup_printf ("UPDATE sale SET state = 'open' WHERE id = %" G_GINT64_FORMAT,
                         till_sale_get_id (a));
  g_assert_cmpint (raw_try (db, sql), ==, SQLITE_CONSTRAINT);
  /* Another till's open sale does not count. */
  other = make_sale (store);
  add_line (other, "水", 200, 1000);
  g_assert_true (till_store_save_sale (store, other, "carol", "till-2", &error));
  g_assert_no_error (error);

  /* Resuming without handing over the open sale with goods: refused, nothing changes. */
  g_assert_null (till_store_resume_sale (store, till_sale_get_id (a), NULL, "alice", TILL, NULL,
                                         &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sale WHERE state = 'suspended'"), ==, 1);

  /* An empty open row (lines added and voided again) is dropped by the resume. */
  while (g_list_model_get_n_items (G_LIST_MODEL (b)) > 0)
    g_assert_true (till_sale_remove_line (b, 0, &error));
  g_assert_true (till_store_save_sale (store, b, "alice", TILL, &error));
  empty = make_sale (store);
  resumed = till_store_resume_sale (store, till_sale_get_id (a), empty, "alice", TILL, NULL,
                                    &error);
  g_assert_no_error (error);
  g_assert_nonnull (resumed);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sale WHERE till_id = 'till-1'"
                                " AND state = 'open'"), ==, 1);
  sqlite3_close (db);
}

static void
test_refusals (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) empty = make_sale (store);
  g_autoptr(TillSale) live = stored_sale (store);
  g_autoptr(TillSale) part = NULL;
  g_autofree char *trade_no = NULL;
  gint64 now = till_store_now_us ();
  gint64 payment;

  g_assert_false (till_store_suspend_sale (store, empty, "alice", TILL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  /* A payment in progress would be stranded. */
  payment = till_store_payment_begin (store, till_sale_get_id (live),
                                      TILL_PAYMENT_METHOD_WECHAT_CODE, 1900, "S01", "D01", "1234",
                                      now, now + 30 * G_USEC_PER_SEC, &trade_no, &error);
  g_assert_no_error (error);
  g_assert_false (till_store_suspend_sale (store, live, "alice", TILL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_cmpint (till_sale_get_state (live), ==, TILL_SALE_STATE_OPEN);
  g_assert_cmpint (count_where (dir->path, "SELECT count(*) FROM sale WHERE state = 'suspended'"),
                   ==, 0);
  g_assert_cmpint (count_where (dir->path, "SELECT count(*) FROM audit WHERE action ="
                                           " 'suspend_sale'"), ==, 0);

  /* The payment failed: now it may be suspended. */
  g_assert_true (till_store_payment_update (store, payment, TILL_PAYMENT_STATE_FAILED, NULL,
                                            "USERPAYING_CANCELLED", &error));
  g_assert_no_error (error);
  g_assert_true (till_store_suspend_sale (store, live, "alice", TILL, &error));
  g_assert_no_error (error);

  /* Part paid in cash: the money would sit on a sale that is not at the counter. */
  part = stored_sale (store);
  g_assert_true (till_store_add_cash_payment (store, part, 500, 500, &error));
  g_assert_no_error (error);
  g_assert_false (till_store_suspend_sale (store, part, "alice", TILL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_cmpint (till_sale_get_state (part), ==, TILL_SALE_STATE_OPEN);
}

/* A payment being reversed does not hold the sale; should the reverse fail and the order
 * turn out paid, the suspended sale does not take it: it is refunded by itself. */
static void
test_late_payment_not_held (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = stored_sale (store);
  g_autofree char *trade_no = NULL;
  gint64 now = till_store_now_us ();
  gint64 payment, refund = 0;
  gboolean sale_paid = TRUE;

  payment = till_store_payment_begin (store, till_sale_get_id (sale),
                                      TILL_PAYMENT_METHOD_WECHAT_CODE, 1900, "S01", "D01", "1234",
                                      now, now + 30 * G_USEC_PER_SEC, &trade_no, &error);
  g_assert_no_error (error);
  g_assert_true (till_store_payment_update (store, payment, TILL_PAYMENT_STATE_IN_DOUBT, NULL,
                                            NULL, &error));
  g_assert_true (till_store_payment_update (store, payment, TILL_PAYMENT_STATE_REVERSING, NULL,
                                            NULL, &error));
  g_assert_no_error (error);
  g_assert_true (till_store_suspend_sale (store, sale, "alice", TILL, &error));
  g_assert_no_error (error);

  g_assert_true (till_store_payment_mark_paid_full (store, payment, "4200000001", &sale_paid,
                                                    &refund, &error));
  g_assert_no_error (error);
  g_assert_false (sale_paid);
  g_assert_cmpint (refund, >, 0);
  g_assert_cmpint (count_where (dir->path, "SELECT count(*) FROM payment p JOIN sale s ON"
                                           " s.id = p.sale_id WHERE s.state = 'suspended' AND"
                                           " p.state = 'paid' AND p.unattached = 0"), ==, 0);
}

static void
test_void_suspended (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = stored_sale (store);
  g_autoptr(TillSale) open = stored_sale (store);
  gint64 id;

  g_assert_true (till_store_suspend_sale (store, sale, "alice", TILL, &error));
  id = till_sale_get_id (sale);
  /* Voiding an open sale this way is refused. */
  g_assert_false (till_store_void_suspended_sale (store, till_sale_get_id (open), "bob", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  g_assert_true (till_store_void_suspended_sale (store, id, "bob", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_where (dir->path, "SELECT count(*) FROM sale WHERE state = 'voided'"),
                   ==, 1);
  g_assert_cmpint (count_where (dir->path, "SELECT count(*) FROM audit WHERE action ="
                                           " 'void_sale' AND actor = 'bob'"
                                           " AND detail_json LIKE '%\"total_fen\":1900%'"), ==, 1);
  g_assert_cmpint (till_store_count_suspended (store, NULL, &error), ==, 0);
  g_assert_false (till_store_void_suspended_sale (store, id, "bob", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_null (till_store_resume_sale (store, id, open, "bob", TILL, NULL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  /* The refused resume did not suspend the sale at the counter either. */
  g_assert_cmpint (till_sale_get_state (open), ==, TILL_SALE_STATE_OPEN);
  g_assert_cmpint (count_where (dir->path, OPEN_SALES), ==, 1);
}

static char *
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (till_store_now_us ()
                                                              / G_USEC_PER_SEC);

  return g_date_time_format (now, "%Y-%m-%d");
}

static void
test_reports_and_day_close (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = stored_sale (store);
  g_autoptr(TillSale) paid = stored_sale (store);
  g_autoptr(TillSale) resumed = NULL;
  g_autoptr(TillReport) before = NULL;
  g_autoptr(TillReport) after = NULL;
  g_autoptr(TillDayClose) close = NULL;
  g_autofree char *date = today ();
  guint counts[TILL_N_DENOMINATIONS] = { 0 };

  g_assert_true (till_store_complete_cash_sale (store, paid, 1900, &error));
  g_assert_true (till_store_suspend_sale (store, sale, "alice", TILL, &error));
  g_assert_no_error (error);

  before = till_store_report_day (store, date, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->n_sales, ==, 1);
  g_assert_cmpint (before->gross_fen, ==, 1900);

  /* The day cannot be closed while a sale is suspended: its number is said. */
  g_assert_null (till_store_day_close (store, date, counts, "店长", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, till_sale_get_number (sale)));
  g_assert_nonnull (strstr (error->message, "suspended"));
  g_clear_error (&error);

  /* Resumed and paid: counted then, not before. */
  resumed = till_store_resume_sale (store, till_sale_get_id (sale), NULL, "alice", TILL, NULL,
                                    &error);
  g_assert_no_error (error);
  g_assert_true (till_store_complete_cash_sale (store, resumed, 1900, &error));
  g_assert_no_error (error);
  after = till_store_report_day (store, date, &error);
  g_assert_cmpuint (after->n_sales, ==, 2);
  g_assert_cmpint (after->gross_fen, ==, 3800);

  counts[0] = 0;
  close = till_store_day_close (store, date, counts, "店长", &error);
  g_assert_no_error (error);
  g_assert_nonnull (close);
}

/* Each command is one transaction: when its last write fails (here the audit row, made to
 * fail by a trigger of the test's own), nothing of it is left — the sale at the counter is
 * still open with its goods, the suspended one still suspended. */
static void
test_single_transaction (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) a = stored_sale (store);
  g_autoptr(TillSale) b = NULL;
  sqlite3 *db = raw_open (dir->path);

  raw_exec (db, "CREATE TRIGGER test_fail_suspend BEFORE INSERT ON audit"
                " WHEN NEW.action = 'suspend_sale'"
                " BEGIN SELECT RAISE (ABORT, 'test: the disk is gone'); END;");
  add_line (a, "牛奶", 500, 1000);
  g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*the disk is gone*");
  g_assert_false (till_store_suspend_sale (store, a, "alice", TILL, &error));
  g_test_assert_expected_messages ();
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (till_sale_get_state (a), ==, TILL_SALE_STATE_OPEN);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sale WHERE state = 'open'"), ==, 1);
  /* not even the line the suspend saved */
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sale_line"), ==, 2);
  raw_exec (db, "DROP TRIGGER test_fail_suspend");

  g_assert_true (till_store_suspend_sale (store, a, "alice", TILL, &error));
  g_assert_no_error (error);
  b = stored_sale (store);
  raw_exec (db, "CREATE TRIGGER test_fail_resume BEFORE INSERT ON audit"
                " WHEN NEW.action = 'resume_sale'"
                " BEGIN SELECT RAISE (ABORT, 'test: the disk is gone'); END;");
  g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*the disk is gone*");
  g_assert_null (till_store_resume_sale (store, till_sale_get_id (a), b, "alice", TILL, NULL,
                                         &error));
  g_test_assert_expected_messages ();
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (till_sale_get_state (b), ==, TILL_SALE_STATE_OPEN);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sale WHERE state = 'open'"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sale WHERE state = 'suspended'"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM audit WHERE action = 'suspend_sale'"),
                   ==, 1);
  {
    g_autofree char *open = raw_text (db, "SELECT number FROM sale WHERE state = 'open'");

    g_assert_cmpstr (open, ==, till_sale_get_number (b));
  }
  sqlite3_close (db);
}

static void
test_async (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) a = stored_sale (store);
  g_autoptr(TillSale) b = NULL;
  g_autoptr(TillSale) resumed = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *number = NULL;

  till_store_suspend_sale_async (store, a, "alice", TILL, NULL, result_cb,
                                 &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (till_store_suspend_sale_finish (store, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_state (a), ==, TILL_SALE_STATE_SUSPENDED);
  g_clear_object (&result);

  b = stored_sale (store);
  till_store_resume_sale_async (store, till_sale_get_id (a), b, "alice", TILL, NULL,
                                result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  resumed = till_store_resume_sale_finish (store, result, &number, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (till_sale_get_number (resumed), ==, till_sale_get_number (a));
  g_assert_cmpstr (number, ==, till_sale_get_number (b));
  g_assert_cmpint (till_sale_get_state (b), ==, TILL_SALE_STATE_SUSPENDED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/suspend/suspend-then-resume", test_suspend_then_resume);
  g_test_add_func ("/store/suspend/resume-suspends-current", test_resume_suspends_current);
  g_test_add_func ("/store/suspend/one-open-per-till", test_one_open_per_till);
  g_test_add_func ("/store/suspend/refusals", test_refusals);
  g_test_add_func ("/store/suspend/late-payment-not-held", test_late_payment_not_held);
  g_test_add_func ("/store/suspend/void", test_void_suspended);
  g_test_add_func ("/store/suspend/reports-and-day-close", test_reports_and_day_close);
  g_test_add_func ("/store/suspend/single-transaction", test_single_transaction);
  g_test_add_func ("/store/suspend/async", test_async);
  return g_test_run ();
}
