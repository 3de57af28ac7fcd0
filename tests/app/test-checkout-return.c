/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Returns without a receipt through TillCheckout, without a display: goods looked up as
 * at the counter (barcode, PLU, scale label), refused while a code payment of the sale at
 * the counter waits for the customer (then taken once it is reversed), and the cash
 * handed back rounded by the till's rule. Read back from the SQLite file. */
#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "till-shift.h"
#include "till-store-cash.h"
#include "till-store-returns.h"
#include "till-test-app.h"

#define COLA    "6954767002057"   /* 可口可乐 500ml, ¥3.50 */
#define CHIPS   "6924678006079"   /* 乐事薯片原味 70g, ¥7.50 */
#define EGG_PLU "8001"            /* 茶叶蛋, ¥2.00 */
#define BANANA  "2100001005009"   /* 香蕉, 500 g at ¥6.98/kg */

typedef struct
{
  gboolean    done;
  TillReturn *ret;
  GError     *error;
} Result;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Result *r = user_data;

  r->ret = till_checkout_return_lookup_finish (TILL_CHECKOUT (object), result, &r->error);
  r->done = TRUE;
}

static void
record_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Result *r = user_data;

  r->ret = till_checkout_record_return_finish (TILL_CHECKOUT (object), result, &r->error);
  r->done = TRUE;
}

static gboolean
done_cond (TillTestApp *app,
           gpointer     data)
{
  return ((Result *) data)->done;
}

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->ret, till_return_free);
  g_clear_error (&r->error);
  r->done = FALSE;
}

static TillReturnLine *
look_up (TillTestApp *app,
         const char  *code,
         Result      *r)
{
  result_clear (r);
  till_checkout_return_lookup_async (app->checkout, code, NULL, lookup_cb, r);
  till_test_app_wait (app, done_cond, r, 5000, "the lookup");
  return r->ret != NULL ? g_ptr_array_index (r->ret->lines, 0) : NULL;
}

static void
record (TillTestApp      *app,
        const TillReturn *draft,
        Result           *r)
{
  result_clear (r);
  till_checkout_record_return_async (app->checkout, draft, "店长", NULL, record_cb, r);
  till_test_app_wait (app, done_cond, r, 5000, "the return");
}

static gint64
n_returns (TillTestApp *app)
{
  gint64 n = -1;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (app->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM goods_return", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
test_lookup (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  Result r = { 0 };
  TillReturnLine *l;

  l = look_up (app, COLA, &r);
  g_assert_no_error (r.error);
  g_assert_cmpint (l->qty_milli, ==, 1000);
  g_assert_cmpint (l->list_price_fen, ==, 350);
  g_assert_cmpint (l->unit_price_fen, ==, 350);
  g_assert_false (l->weighed);
  l = look_up (app, EGG_PLU, &r);
  g_assert_no_error (r.error);
  g_assert_cmpint (l->line_total_fen, ==, 200);
  /* a scale label: its weight */
  l = look_up (app, BANANA, &r);
  g_assert_no_error (r.error);
  g_assert_true (l->weighed);
  g_assert_cmpint (l->qty_milli, ==, 500);
  g_assert_cmpint (l->line_total_fen, ==, 349);
  /* not in the catalog; a payment code is not goods */
  g_assert_null (look_up (app, "6900000000000", &r));
  g_assert_error (r.error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (r.error->message, "not in the catalog"));
  g_assert_null (look_up (app, "134567890123456789", &r));
  g_assert_error (r.error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  result_clear (&r);
  /* nothing of this touched the sale at the counter */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (till_checkout_get_sale (app->checkout))),
                    ==, 0);
}

static void
test_refused_while_paying (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, NULL);
  g_autofree char *walks_away = till_test_app_wechat_code ("6666");
  g_autoptr(TillReturn) draft = till_return_new ();
  g_autoptr(GError) error = NULL;
  Result r = { 0 };

  g_assert_true (till_return_add_line (draft, look_up (app, CHIPS, &r)->product_id, CHIPS,
                                       "乐事薯片原味 70g", "袋", FALSE, 1000, 750, NULL, NULL));
  draft->reason = g_strdup ("Expired");

  till_test_app_scan (app, COLA);
  till_checkout_enter_code (app->checkout, walks_away);
  till_test_app_wait (app, till_test_app_payment_state_is, "user_paying", 10000,
                      "user paying");
  g_assert_false (till_checkout_can_return (app->checkout, &error));
  g_assert_nonnull (strstr (error->message, "payment is in progress"));
  g_clear_error (&error);
  record (app, draft, &r);
  g_assert_null (r.ret);
  g_assert_nonnull (r.error);
  g_assert_cmpint (n_returns (app), ==, 0);

  /* Once the payment is given up, the same return goes through. */
  g_assert_true (till_checkout_cancel_payment (app->checkout, &error));
  till_test_app_wait (app, till_test_app_payment_state_is, "reversed", 15000, "the reverse");
  till_test_app_settle (app);
  g_assert_true (till_checkout_can_return (app->checkout, NULL));
  record (app, draft, &r);
  g_assert_no_error (r.error);
  g_assert_nonnull (r.ret);
  g_assert_cmpint (n_returns (app), ==, 1);
  g_assert_cmpstr (r.ret->manager, ==, "店长");
  g_assert_cmpstr (r.ret->till_id, ==, till_context_get_till_id (app->context));
  result_clear (&r);
}

static void
test_cash_rounding (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr(TillReturn) draft = till_return_new ();
  g_autofree char *today = NULL;
  TillCashSummary cash;
  g_autoptr(GError) error = NULL;
  Result r = { 0 };
  TillReturnLine *l;

  g_settings_set_string (app->settings, "cash-rounding", "jiao");
  l = look_up (app, CHIPS, &r);
  g_assert_true (till_return_add_line (draft, l->product_id, l->barcode, l->name, l->unit,
                                       l->weighed, l->qty_milli, l->list_price_fen, NULL, NULL));
  l = look_up (app, BANANA, &r);
  g_assert_true (till_return_add_line (draft, l->product_id, l->barcode, l->name, l->unit,
                                       l->weighed, l->qty_milli, l->list_price_fen, NULL, NULL));
  draft->reason = g_strdup ("Faulty or damaged");
  g_assert_cmpint (draft->amount_fen, ==, 750 + 349);

  record (app, draft, &r);
  g_assert_no_error (r.error);
  /* ¥10.99 goods: ¥11.00 in cash, to the jiao */
  g_assert_cmpint (r.ret->amount_fen, ==, 1099);
  g_assert_cmpint (r.ret->rounding_fen, ==, 1);
  g_assert_cmpstr (r.ret->cashier, ==,
                   till_shift_get_cashier_or_default (till_context_get_shift (app->context)));
  g_assert_nonnull (strstr (till_test_app_last_message (app), "hand back ¥11.00"));
  today = till_report_local_date (r.ret->at);
  g_assert_true (till_store_cash_summary (app->store, today, &cash, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cash.cash_returns_fen, ==, 1099);
  g_assert_cmpint (cash.expected_fen, ==, -1100);
  result_clear (&r);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/checkout/return/lookup", test_lookup);
  g_test_add_func ("/checkout/return/refused-while-paying", test_refused_while_paying);
  g_test_add_func ("/checkout/return/cash-rounding", test_cash_rounding);
  return g_test_run ();
}
