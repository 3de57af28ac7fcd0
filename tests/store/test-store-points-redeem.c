/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Points redeemed as a discount (schema 19): a sale holds the points it takes off, and the
 * store turns every change of them into a move of the member's points ledger in the
 * transaction that saves the sale — a redemption when they rise, a release when they fall,
 * when another member is put on the sale or the sale is voided, a return in proportion to
 * the money each refund gives back. The balance is the ledger's sum, never below zero;
 * a redemption beyond it saves nothing. Real SQLite files. */
#include "config.h"

#include "store-test-util.h"
#include "till-member-report.h"
#include "till-store-member-reports.h"
#include "till-store-members.h"
#include "till-store-payments.h"
#include "till-store-refunds.h"
#include "till-store-stored-value.h"

static gint64
add_member (TillStore  *store,
            const char *name,
            gint64      points)
{
  g_autoptr(GError) error = NULL;
  TillMemberFields f = { name, NULL, NULL, 0, NULL, TRUE };
  gint64 id = till_store_add_member (store, &f, NULL, "Li", &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  if (points > 0)
    {
      g_assert_cmpint (till_store_points_earn (store, id, points, "SEED", "Li", &error), >, 0);
      g_assert_no_error (error);
    }
  return id;
}

static void
attach (TillStore *store,
        TillSale  *sale,
        gint64     member_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillMember) m = till_store_get_member (store, member_id, &error);
  g_autoptr(TillSaleMember) sm = NULL;

  g_assert_no_error (error);
  sm = till_sale_member_new (m->id, m->code, m->name, NULL, m->level_id, m->level_name);
  till_sale_set_member (sale, sm);
}

static TillSale *
new_sale (TillStore *store,
          gint64     amount_fen)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = till_store_next_sale_number (store, till_store_now_us (), &error);
  g_autoptr(TillSaleLine) line = NULL;
  TillSale *sale;

  g_assert_no_error (error);
  sale = till_sale_new (number);
  till_sale_set_opened_at (sale, till_store_now_us ());
  line = till_sale_line_new (0, NULL, "Cake", NULL, amount_fen, 1000, FALSE);
  g_assert_cmpuint (till_sale_add_line (sale, line, &error), !=, G_MAXUINT);
  g_assert_no_error (error);
  return sale;
}

/* Runs `sql` (a test's own, freed here) on the store's connection; TRUE when it worked. */
static gboolean
store_exec_ok (TillStore  *store,
               const char *sql)
{
  int rc;

  till_store_lock (store);
  rc = raw_try (till_store_get_db (store), sql);
  till_store_unlock (store);
  return rc == SQLITE_OK;
}

static gboolean
store_exec_ok_free (TillStore *store,
                    char      *sql)
{
  gboolean ok = store_exec_ok (store, sql);

  g_free (sql);
  return ok;
}

static gint64
points_of (TillStore *store,
           gint64     member_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce (sum (points), 0) FROM points_move"
                                          " WHERE member_id = %" G_GINT64_FORMAT, member_id);
  TillMemberBalance b;

  g_assert_true (till_store_member_balance (store, member_id, &b, &error));
  g_assert_no_error (error);
  /* the balance is the ledger's sum, read by SQL of the test's own */
  g_assert_cmpint (store_int (store, sql), ==, b.points);
  return b.points;
}

/* The redemption moves of a sale add up to minus what it holds (0 once voided). */
static void
assert_sale_net (TillStore *store,
                 TillSale  *sale,
                 gint64     held)
{
  g_autofree char *net = g_strdup_printf ("SELECT coalesce (sum (points), 0) FROM points_move"
                                          " WHERE sale_id = %" G_GINT64_FORMAT
                                          " AND kind IN ('redeem', 'release', 'return')",
                                          till_sale_get_id (sale));

  g_assert_cmpint (store_int (store, net), ==, -held);
}

static void
save (TillStore *store,
      TillSale  *sale)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (till_store_save_sale (store, sale, "Li", "till-1", &error));
  g_assert_no_error (error);
}

static void
refund (TillStore *store,
        TillSale  *sale,
        gint64     amount_fen)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) refunds = till_store_refund_begin (store, till_sale_get_id (sale),
                                                          amount_fen, "stale", "Wang", TRUE,
                                                          till_store_now_us (), 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (refunds);
  for (guint i = 0; i < refunds->len; i++)
    g_assert_cmpint (((TillRefundRecord *) g_ptr_array_index (refunds, i))->state, ==,
                     TILL_REFUND_STATE_SUCCESS);
}

/* 1000 points; ¥50.00 of cake; 600 points (¥6.00) redeemed, lowered to 300; paid in cash
 * (¥47.00 earns 47 points); refunded in two halves: each half gives back half the
 * points redeemed and takes back half the points earned. */
static void
test_redeem_pay_refund (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = new_sale (store, 5000);
  g_autoptr(TillMemberReport) report = NULL;
  g_autofree char *rows = NULL;
  gint64 member = add_member (store, "张伟", 1000);
  const TillMemberReportDay *day;

  attach (store, sale, member);
  g_assert_true (till_sale_set_points (sale, 600, 100, 50, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_points_fen (sale), ==, 600);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 4400);
  save (store, sale);
  g_assert_cmpint (points_of (store, member), ==, 400);
  assert_sale_net (store, sale, 600);

  g_assert_true (till_sale_set_points (sale, 300, 100, 50, &error));
  save (store, sale);
  g_assert_cmpint (points_of (store, member), ==, 700);
  assert_sale_net (store, sale, 300);
  /* saving again moves nothing */
  save (store, sale);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM points_move"), ==, 3);

  g_assert_true (till_store_add_cash_payment (store, sale, 4700, 5000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_PAID);
  g_assert_cmpint (points_of (store, member), ==, 747);
  g_assert_cmpint (store_int (store, "SELECT points_redeemed * 10000 + points_fen FROM sale"
                                     " WHERE kind = 'goods'"), ==, 300 * 10000 + 300);
  /* the lines carry the points' share: their final amounts add up to the total */
  g_assert_cmpint (store_int (store, "SELECT sum (final_fen) FROM sale_line"), ==, 4700);
  g_assert_cmpint (store_int (store, "SELECT sum (sale_discount_fen) FROM sale_line"), ==, 300);

  refund (store, sale, 2350);
  g_assert_cmpint (points_of (store, member), ==, 747 - 23 + 150);
  assert_sale_net (store, sale, 150);
  refund (store, sale, 2350);
  g_assert_cmpint (points_of (store, member), ==, 1000);
  assert_sale_net (store, sale, 0);
  /* (a refund gives the redeemed points back before it takes the earned ones) */
  rows = store_rows (store, "SELECT kind, points FROM points_move ORDER BY id");
  g_assert_cmpstr (rows, ==,
                   "earn|1000\nredeem|-600\nrelease|300\nearn|47\n"
                   "return|150\nreverse|-23\nreturn|150\nreverse|-24\n");

  /* the report counts what was redeemed and not given back */
  report = till_store_member_report (store, "2000-01-01", "2100-01-01", &error);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  {
    g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (till_store_now_us ()
                                                                / G_USEC_PER_SEC);
    g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

    report = till_store_member_report_day (store, today, &error);
    g_assert_no_error (error);
    day = g_ptr_array_index (report->days, 0);
    g_assert_cmpint (day->points_redeemed, ==, 0);
    g_assert_cmpint (day->points_earned, ==, 1047);
  }
}

/* A void gives back what the sale held; a closed sale keeps its points. */
static void
test_void_releases (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = new_sale (store, 2000);
  gint64 member = add_member (store, "Li Na", 800);

  attach (store, sale, member);
  g_assert_true (till_sale_set_points (sale, 500, 100, 50, &error));
  save (store, sale);
  g_assert_cmpint (points_of (store, member), ==, 300);
  g_assert_true (till_store_void_sale (store, sale, "Li", &error));
  g_assert_no_error (error);
  g_assert_cmpint (points_of (store, member), ==, 800);
  assert_sale_net (store, sale, 0);
  /* the voided sale still says what it held */
  g_assert_cmpint (store_int (store, "SELECT points_redeemed FROM sale"), ==, 500);
  g_assert_false (store_exec_ok (store, "UPDATE sale SET points_redeemed = 100"));
  g_assert_cmpint (points_of (store, member), ==, 800);
}

/* Beyond the balance nothing is saved; another member on the sale gives the first one's
 * points back; a sale without a member or a top-up holds none. */
static void
test_refusals_and_members (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = new_sale (store, 10000);
  g_autoptr(TillSale) plain = new_sale (store, 1000);
  gint64 a = add_member (store, "A", 100);
  gint64 b = add_member (store, "B", 400);

  attach (store, sale, a);
  save (store, sale);
  g_assert_true (till_sale_set_points (sale, 300, 100, 50, &error));
  g_assert_false (till_store_save_sale (store, sale, "Li", "till-1", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "points"));
  g_clear_error (&error);
  g_assert_cmpint (points_of (store, a), ==, 100);
  g_assert_cmpint (store_int (store, "SELECT points_redeemed FROM sale"), ==, 0);

  g_assert_true (till_sale_set_points (sale, 100, 100, 50, &error));
  save (store, sale);
  g_assert_cmpint (points_of (store, a), ==, 0);
  /* B on the sale: A's points go back, B's are not taken unasked */
  attach (store, sale, b);
  g_assert_cmpint (till_sale_get_points_redeemed (sale), ==, 0);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 10000);
  save (store, sale);
  g_assert_cmpint (points_of (store, a), ==, 100);
  g_assert_cmpint (points_of (store, b), ==, 400);
  /* changed behind the sale's back in one statement: A back, all from B */
  g_assert_true (till_sale_set_points (sale, 200, 100, 50, &error));
  save (store, sale);
  g_assert_cmpint (points_of (store, b), ==, 200);
  g_assert_true (store_exec_ok_free (store, g_strdup_printf ("UPDATE sale SET member_id = %"
                                                         G_GINT64_FORMAT ", points_redeemed = 50"
                                                         " WHERE points_redeemed = 200", a)));
  g_assert_cmpint (points_of (store, a), ==, 50);
  g_assert_cmpint (points_of (store, b), ==, 400);

  /* no member, or a top-up: the sale refuses, and so does the database */
  g_assert_false (till_sale_set_points (plain, 10, 100, 50, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  save (store, plain);
  g_assert_false (store_exec_ok_free (store, g_strdup_printf ("UPDATE sale SET points_redeemed = 10"
                                                          " WHERE number = '%s'",
                                                          till_sale_get_number (plain))));
}

/* Reloaded after a restart, the sale has its points and the same total; a loaded paid
 * sale too. */
static void
test_reloaded (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = new_sale (store, 3333);
  g_autoptr(TillSale) again = NULL;
  gint64 member = add_member (store, "王芳", 5000);

  attach (store, sale, member);
  g_assert_true (till_sale_set_discount (sale, TILL_DISCOUNT_PERCENT, 1000, &error));
  till_sale_set_total_rounding (sale, TILL_TOTAL_ROUNDING_JIAO);
  /* ¥33.33 − 10 % = ¥30.00; 300 points per yuan, at most 20 %: ¥6.00 for 1800 points */
  g_assert_true (till_sale_set_points (sale, 4000, 300, 20, &error));
  g_assert_cmpint (till_sale_get_points_redeemed (sale), ==, 1800);
  g_assert_cmpint (till_sale_get_points_fen (sale), ==, 600);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 2400);
  save (store, sale);
  again = till_store_load_sale (store, till_sale_get_id (sale), &error);
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_points_redeemed (again), ==, 1800);
  g_assert_cmpint (till_sale_get_points_fen (again), ==, 600);
  g_assert_cmpint (till_sale_get_points_per_yuan (again), ==, 300);
  g_assert_cmpint (till_sale_get_total_fen (again), ==, 2400);
  g_assert_cmpint (points_of (store, member), ==, 3200);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/points-redeem/pay-refund", test_redeem_pay_refund);
  g_test_add_func ("/store/points-redeem/void", test_void_releases);
  g_test_add_func ("/store/points-redeem/refusals-members", test_refusals_and_members);
  g_test_add_func ("/store/points-redeem/reloaded", test_reloaded);
  return g_test_run ();
}
