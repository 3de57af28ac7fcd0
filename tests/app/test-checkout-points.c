/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Points redeemed as a discount on the checkout (issue 16), against the real simulator:
 * the member confirms (the phone's last four digits), the cap of the setting, points
 * lowered by a smaller cart and given back at once, the open sale with its points after a
 * crash and restart, paid by a WeChat Pay code for what is left (the simulator charged
 * exactly that), the refund gives the points back; a void gives them back; a rate of the
 * setting. Every balance read back from the SQLite file as the ledger's sum. */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "till-payment-runtime.h"
#include "till-refund-service.h"
#include "till-store-members.h"
#include "till-store-payments.h"
#include "till-store-refunds.h"
#include "till-store-stored-value.h"
#include "till-clock.h"
#include "till-test-app.h"

#define EGG_PLU "8001"   /* 茶叶蛋, ¥2.00 a piece */

static gint64
file_int (TillTestApp *app,
          const char  *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 v;

  g_assert_cmpint (sqlite3_open_v2 (app->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

/* A member without a level (a point a yuan earned) holding `points`. */
static gint64
add_member (TillTestApp *app,
            gint64       points)
{
  g_autoptr(GError) error = NULL;
  TillMemberFields f = { "李娜", "139-0013-9000", NULL, 0, NULL, TRUE };
  gint64 id = till_store_add_member (app->store, &f, NULL, "Li", &error);

  g_assert_no_error (error);
  g_assert_cmpint (till_store_points_earn (app->store, id, points, "SEED", "Li", &error), >, 0);
  g_assert_no_error (error);
  return id;
}

static gint64
points_in_file (TillTestApp *app)
{
  return file_int (app, "SELECT coalesce (sum (points), 0) FROM points_move");
}

static gboolean
points_on_show_cond (TillTestApp *app,
                     gpointer     data)
{
  return till_checkout_get_member_points (app->checkout) == *(gint64 *) data;
}

static void
wait_points_on_show (TillTestApp *app,
                     gint64       points)
{
  till_test_app_wait (app, points_on_show_cond, &points, 5000, "the member's points on show");
}

static void
fill_sale (TillTestApp *app,
           gint64       member,
           gint64       eggs)
{
  g_autoptr(GError) error = NULL;
  TillSale *sale;

  g_assert_true (till_checkout_find_member (app->checkout, "13900139000", &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  till_test_app_scan (app, EGG_PLU);
  sale = till_checkout_get_sale (app->checkout);
  g_assert_cmpint (till_sale_get_member_id (sale), ==, member);
  g_assert_true (till_checkout_set_line_qty (app->checkout, till_sale_get_line (sale, 0),
                                             eggs * 1000, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
}

typedef struct
{
  gboolean done;
  char    *message;
  GError  *error;
} RefundWait;

static void
refund_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  RefundWait *w = user_data;

  w->message = till_refund_service_refund_finish (TILL_REFUND_SERVICE (source), result, &w->error);
  w->done = TRUE;
}

static gboolean
refund_done_cond (TillTestApp *app,
                  gpointer     data)
{
  return ((RefundWait *) data)->done;
}

static gboolean
sale_refunded_cond (TillTestApp *app,
                    gpointer     data)
{
  return file_int (app, "SELECT count (*) FROM sale WHERE state = 'refunded'") == 1;
}

/* Refunds the whole sale as the refunds window does (through the simulator). */
static void
refund_all (TillTestApp *app,
            gint64       sale_id,
            gint64       amount)
{
  TillRefundService *refunds =
    till_payment_runtime_get_refund_service (till_context_get_payment_runtime (app->context));
  RefundWait w = { 0 };

  till_refund_service_refund_async (refunds, sale_id, amount, "returned", "王店长", NULL,
                                    refund_cb, &w);
  till_test_app_wait (app, refund_done_cond, &w, 20000, "the refund to be answered");
  g_assert_no_error (w.error);
  g_free (w.message);
  till_test_app_wait (app, sale_refunded_cond, NULL, 20000, "the sale to be refunded");
}

static void
test_redeem_restart_pay_refund (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(JsonObject) order = NULL;
  g_autofree char *pay_code = till_test_app_wechat_code ("0000");
  gint64 member = add_member (app, 2000), most, most_fen = 0, sale_id;
  TillSale *sale;
  guint said;

  /* ¥20.00 of eggs: half may be paid with points, 1000 of them at 100 a yuan */
  fill_sale (app, member, 10);
  wait_points_on_show (app, 2000);
  most = till_checkout_get_points_redeemable (app->checkout, &most_fen);
  g_assert_cmpint (most, ==, 1000);
  g_assert_cmpint (most_fen, ==, 1000);
  g_assert_false (till_checkout_redeem_points (app->checkout, 1500, "9000", &error));
  g_assert_nonnull (strstr (error->message, "At most 1000 points"));
  g_clear_error (&error);
  /* the wrong digits: nothing redeemed */
  said = app->messages->len;
  g_assert_true (till_checkout_redeem_points (app->checkout, 800, "0000", &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_true (till_test_app_said_since (app, said, "not the last four digits"));
  sale = till_checkout_get_sale (app->checkout);
  g_assert_cmpint (till_sale_get_points_redeemed (sale), ==, 0);
  g_assert_cmpint (points_in_file (app), ==, 2000);

  g_assert_true (till_checkout_redeem_points (app->checkout, 800, "9000", &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_cmpint (till_sale_get_points_redeemed (sale), ==, 800);
  g_assert_cmpint (till_checkout_get_due_fen (app->checkout), ==, 1200);
  g_assert_nonnull (strstr (till_test_app_last_message (app), "800 points redeemed: ¥8.00 off"));
  g_assert_cmpint (points_in_file (app), ==, 1200);
  wait_points_on_show (app, 1200);

  /* 5 eggs: the cap is ¥5.00, the points follow it down and 300 go back at once */
  g_assert_true (till_checkout_set_line_qty (app->checkout, till_sale_get_line (sale, 0), 5000,
                                             &error));
  till_test_app_settle (app);
  g_assert_cmpint (till_sale_get_points_redeemed (sale), ==, 500);
  g_assert_cmpint (points_in_file (app), ==, 1500);
  wait_points_on_show (app, 1500);
  /* none: no confirmation needed to give them back */
  g_assert_true (till_checkout_redeem_points (app->checkout, 0, NULL, &error));
  till_test_app_settle (app);
  g_assert_cmpint (points_in_file (app), ==, 2000);
  g_assert_true (till_checkout_redeem_points (app->checkout, 300, "9000", &error));
  till_test_app_settle (app);
  g_assert_cmpint (points_in_file (app), ==, 1700);

  /* the till dies; the open sale comes back with its points and its total */
  till_test_app_restart (app);
  till_test_app_settle (app);
  sale = till_checkout_get_sale (app->checkout);
  g_assert_cmpint (till_sale_get_member_id (sale), ==, member);
  g_assert_cmpint (till_sale_get_points_redeemed (sale), ==, 300);
  g_assert_cmpint (till_checkout_get_due_fen (app->checkout), ==, 700);
  g_assert_cmpint (points_in_file (app), ==, 1700);

  /* paid by a code: the simulator charged what is left; 7 yuan earn 7 points */
  till_checkout_enter_code (app->checkout, pay_code);
  till_test_app_wait (app, till_test_app_sale_paid_cond, NULL, 10000, "the sale to be paid");
  till_test_app_settle (app);
  sale_id = till_sale_get_id (sale);
  payments = till_store_list_sale_payments (app->store, sale_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 1);
  order = till_test_paysim_ledger_order (app->sim,
                                         ((TillPaymentRecord *) g_ptr_array_index (payments, 0))
                                           ->out_trade_no, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (order, "total"), ==, 700);
  g_assert_cmpint (points_in_file (app), ==, 1707);
  /* a paid sale's points cannot change */
  g_assert_false (till_checkout_redeem_points (app->checkout, 0, NULL, &error));
  g_clear_error (&error);

  /* refunded in full through the simulator: the redeemed points back, the earned ones
   * taken: the member holds what they held before the sale */
  refund_all (app, sale_id, 700);
  g_assert_cmpint (points_in_file (app), ==, 2000);
  g_assert_cmpint (file_int (app, "SELECT coalesce (sum (points), 0) FROM points_move"
                                  " WHERE kind IN ('redeem', 'release', 'return')"), ==, 0);
}

/* A void gives the points back; the rate of the setting. */
static void
test_void_and_rate (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr(GError) error = NULL;
  gint64 member = add_member (app, 900);
  TillSale *sale;

  /* 50 points a yuan: a point is 2 fen; at most 20 % of ¥20.00 is ¥4.00 for 200 points */
  g_settings_set_uint (app->settings, "points-redeem-rate", 50);
  g_settings_set_uint (app->settings, "points-redeem-max-percent", 20);
  fill_sale (app, member, 10);
  wait_points_on_show (app, 900);
  g_assert_cmpint (till_checkout_get_points_redeemable (app->checkout, NULL), ==, 200);
  g_assert_true (till_checkout_redeem_points (app->checkout, 150, "9000", &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  sale = till_checkout_get_sale (app->checkout);
  g_assert_cmpint (till_sale_get_points_fen (sale), ==, 300);
  g_assert_cmpint (till_checkout_get_due_fen (app->checkout), ==, 1700);
  g_assert_cmpint (points_in_file (app), ==, 750);
  g_assert_true (till_checkout_void_sale (app->checkout, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_cmpint (points_in_file (app), ==, 900);
  g_assert_cmpint (file_int (app, "SELECT count (*) FROM points_move WHERE kind = 'release'"),
                   ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/checkout-points/redeem-restart-pay-refund", test_redeem_restart_pay_refund);
  g_test_add_func ("/checkout-points/void-and-rate", test_void_and_rate);
  return g_test_run ();
}
