/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCheckout's 挂单 / 取单 without a display: suspend, the next sale paid, resume with the
 * number, lines and prices kept, the refusals while a payment is live or part of the sale
 * is paid (against the real simulator), void, and a restart in between. Every result is
 * read back from the SQLite file. */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "till-store-payments.h"
#include "till-store-suspend.h"
#include "till-test-app.h"

#define COLA    "6954767002057"   /* 可口可乐 500ml, ¥3.50 */
#define CHIPS   "6924678006079"   /* 乐事薯片原味 70g, ¥7.50 */
#define EGG_PLU "8001"            /* 茶叶蛋, ¥2.00 */

static TillSaleState
stored_state (TillTestApp *app,
              gint64       sale_id)
{
  g_autoptr(GError) error = NULL;
  TillSaleState state = TILL_SALE_STATE_OPEN;

  g_assert_cmpint (sale_id, >, 0);
  g_assert_true (till_store_sale_get_state (app->store, sale_id, &state, &error));
  g_assert_no_error (error);
  return state;
}

static gboolean
payment_state_is (TillTestApp *app,
                  gpointer     state)
{
  return g_strcmp0 (till_checkout_get_payment_state (app->checkout), state) == 0;
}

static gboolean
sale_open_cond (TillTestApp *app,
                gpointer     data)
{
  TillSale *sale = till_checkout_get_sale (app->checkout);

  return sale != NULL && till_sale_get_state (sale) == TILL_SALE_STATE_OPEN;
}

/* Read from the file by a connection of the test's own: at most one open sale, and no
 * suspended sale holds a payment. */
static void
assert_one_open (TillTestApp *app)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (app->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT (SELECT count(*) FROM sale WHERE state = 'open'),"
                                       " (SELECT count(*) FROM payment p JOIN sale s"
                                       "  ON s.id = p.sale_id WHERE s.state = 'suspended'"
                                       "  AND p.unattached = 0 AND p.state IN ('paid',"
                                       "  'submitting', 'user_paying', 'in_doubt'))",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), <=, 1);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static gint64
first_id (GPtrArray *list)
{
  g_assert_cmpuint (list->len, >, 0);
  return ((TillSuspendedSale *) g_ptr_array_index (list, 0))->id;
}

static GPtrArray *
list_suspended (TillTestApp *app)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = till_store_list_suspended (app->store,
                                               till_context_get_till_id (app->context), &error);

  g_assert_no_error (error);
  return list;
}

static void
test_suspend_next_resume (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) first = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *number = NULL;
  TillSale *sale;
  TillSuspendedSale *row;
  guint since;

  till_test_app_scan (app, COLA);
  till_test_app_scan (app, COLA);
  till_test_app_scan (app, CHIPS);
  first = g_object_ref (till_checkout_get_sale (app->checkout));
  number = g_strdup (till_sale_get_number (first));
  g_assert_true (till_checkout_can (app->checkout, TILL_CHECKOUT_CMD_SUSPEND));
  g_assert_cmpuint (till_checkout_get_suspended_count (app->checkout), ==, 0);

  since = app->messages->len;
  g_assert_true (till_checkout_suspend_sale (app->checkout, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_true (till_test_app_said_since (app, since, "suspended"));
  g_assert_cmpint (till_sale_get_state (first), ==, TILL_SALE_STATE_SUSPENDED);
  g_assert_cmpint (stored_state (app, till_sale_get_id (first)), ==, TILL_SALE_STATE_SUSPENDED);
  g_assert_cmpuint (till_checkout_get_suspended_count (app->checkout), ==, 1);

  /* A new, empty sale with its own number is at the counter. */
  sale = till_checkout_get_sale (app->checkout);
  g_assert_true (sale != first);
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_OPEN);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 0);
  g_assert_cmpstr (till_sale_get_number (sale), !=, number);
  /* Nothing to suspend now. */
  g_assert_false (till_checkout_can (app->checkout, TILL_CHECKOUT_CMD_SUSPEND));
  g_assert_false (till_checkout_suspend_sale (app->checkout, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  /* The next customer, paid in cash. */
  till_test_app_scan (app, EGG_PLU);
  g_assert_true (till_checkout_pay_cash (app->checkout, 200, 200, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_cmpint (till_sale_get_state (till_checkout_get_sale (app->checkout)), ==,
                   TILL_SALE_STATE_PAID);

  /* The list names it; resumed, it comes back with its number, lines and prices. */
  list = list_suspended (app);
  g_assert_cmpuint (list->len, ==, 1);
  row = g_ptr_array_index (list, 0);
  g_assert_cmpstr (row->number, ==, number);
  g_assert_cmpint (row->total_fen, ==, 350 * 2 + 750);
  g_assert_true (till_checkout_can (app->checkout, TILL_CHECKOUT_CMD_RESUME));
  g_assert_true (till_checkout_resume_sale (app->checkout, row->id, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  sale = till_checkout_get_sale (app->checkout);
  g_assert_cmpstr (till_sale_get_number (sale), ==, number);
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_OPEN);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 2);
  g_assert_cmpint (till_sale_line_get_qty_milli (till_sale_get_line (sale, 0)), ==, 2000);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1450);
  g_assert_cmpuint (till_checkout_get_suspended_count (app->checkout), ==, 0);
  assert_one_open (app);

  /* It goes on as any sale: another line, paid. */
  till_test_app_scan (app, EGG_PLU);
  g_assert_cmpint (till_checkout_get_due_fen (app->checkout), ==, 1650);
  g_assert_true (till_checkout_pay_cash (app->checkout, 1650, 2000, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_cmpint (stored_state (app, till_sale_get_id (sale)), ==, TILL_SALE_STATE_PAID);
  g_assert_cmpint (till_checkout_get_change_fen (app->checkout), ==, 350);
}

/* Resuming while the cart has goods: the cart is suspended in its place (nothing the
 * cashier scanned is lost), and a restart between finds both where they were. */
static void
test_resume_swaps_and_survives_restart (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  TillSale *sale;
  guint since;

  till_test_app_scan (app, CHIPS);
  first = g_strdup (till_sale_get_number (till_checkout_get_sale (app->checkout)));
  g_assert_true (till_checkout_suspend_sale (app->checkout, &error));
  till_test_app_settle (app);

  till_test_app_restart (app);
  g_assert_cmpuint (till_checkout_get_suspended_count (app->checkout), ==, 1);
  sale = till_checkout_get_sale (app->checkout);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 0);
  till_test_app_scan (app, COLA);
  second = g_strdup (till_sale_get_number (till_checkout_get_sale (app->checkout)));

  list = list_suspended (app);
  since = app->messages->len;
  g_assert_true (till_checkout_resume_sale (app->checkout,
                                            first_id (list),
                                            &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_true (till_test_app_said_since (app, since, second));
  sale = till_checkout_get_sale (app->checkout);
  g_assert_cmpstr (till_sale_get_number (sale), ==, first);
  g_assert_cmpuint (till_checkout_get_suspended_count (app->checkout), ==, 1);
  assert_one_open (app);

  till_test_app_restart (app);
  sale = till_checkout_get_sale (app->checkout);
  g_assert_cmpstr (till_sale_get_number (sale), ==, first);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 750);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = list_suspended (app);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((TillSuspendedSale *) g_ptr_array_index (list, 0))->number, ==, second);

  /* Voided from the list: audited as a void, gone from the list. */
  g_assert_true (till_checkout_void_suspended (app->checkout,
                                               first_id (list),
                                               &error));
  till_test_app_settle (app);
  g_assert_cmpuint (till_checkout_get_suspended_count (app->checkout), ==, 0);
  g_assert_cmpint (stored_state (app, first_id (list)),
                   ==, TILL_SALE_STATE_VOIDED);
  /* The sale at the counter is untouched. */
  g_assert_cmpstr (till_sale_get_number (till_checkout_get_sale (app->checkout)), ==, first);
}

/* While a code payment waits for the customer, and once part of the sale is paid, the sale
 * cannot be suspended nor another resumed over it: the money would be stranded. */
static void
test_refused_while_paying (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, NULL);
  g_autofree char *walks_away = till_test_app_wechat_code ("6666");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(TillSale) other = NULL;

  /* One suspended sale to try resuming over a paying one. */
  till_test_app_scan (app, EGG_PLU);
  other = g_object_ref (till_checkout_get_sale (app->checkout));
  g_assert_true (till_checkout_suspend_sale (app->checkout, &error));
  till_test_app_settle (app);
  list = list_suspended (app);

  till_test_app_scan (app, COLA);
  sale = g_object_ref (till_checkout_get_sale (app->checkout));
  till_checkout_enter_code (app->checkout, walks_away);
  till_test_app_wait (app, payment_state_is, "user_paying", 10000, "user paying");

  g_assert_false (till_checkout_can (app->checkout, TILL_CHECKOUT_CMD_SUSPEND));
  g_assert_false (till_checkout_suspend_sale (app->checkout, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (till_checkout_can (app->checkout, TILL_CHECKOUT_CMD_RESUME));
  g_assert_false (till_checkout_resume_sale (app->checkout,
                                             first_id (list),
                                             &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_cmpint (stored_state (app, till_sale_get_id (sale)), ==, TILL_SALE_STATE_OPEN);
  g_assert_cmpint (stored_state (app, till_sale_get_id (other)), ==, TILL_SALE_STATE_SUSPENDED);

  /* Given up (reversed): now it can be. */
  g_assert_true (till_checkout_cancel_payment (app->checkout, &error));
  till_test_app_wait (app, payment_state_is, "reversed", 15000, "the reverse");
  till_test_app_settle (app);

  /* Part paid in cash: refused too. */
  g_assert_true (till_checkout_pay_part_cash (app->checkout, 350, 100, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_cmpint (till_checkout_get_paid_fen (app->checkout), ==, 100);
  g_assert_false (till_checkout_can (app->checkout, TILL_CHECKOUT_CMD_SUSPEND));
  g_assert_false (till_checkout_suspend_sale (app->checkout, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (till_checkout_resume_sale (app->checkout,
                                             first_id (list),
                                             &error));
  g_clear_error (&error);
  till_test_app_settle (app);
  g_assert_cmpint (stored_state (app, till_sale_get_id (sale)), ==, TILL_SALE_STATE_OPEN);

  /* The rest in cash; then the suspended one is resumed and paid by code. */
  g_assert_true (till_checkout_pay_cash (app->checkout, 250, 250, &error));
  till_test_app_settle (app);
  g_assert_cmpint (stored_state (app, till_sale_get_id (sale)), ==, TILL_SALE_STATE_PAID);
  g_assert_true (till_checkout_resume_sale (app->checkout,
                                            first_id (list),
                                            &error));
  g_assert_no_error (error);
  till_test_app_wait (app, sale_open_cond, NULL, 5000, "the resumed sale");
  till_test_app_settle (app);
  g_assert_cmpstr (till_sale_get_number (till_checkout_get_sale (app->checkout)), ==,
                   till_sale_get_number (other));
  {
    g_autofree char *code = till_test_app_wechat_code ("0000");

    till_checkout_enter_code (app->checkout, code);
    till_test_app_wait (app, till_test_app_sale_paid_cond, NULL, 10000, "the sale to be paid");
    till_test_app_settle (app);
  }
  g_assert_cmpint (stored_state (app, till_sale_get_id (other)), ==, TILL_SALE_STATE_PAID);
  assert_one_open (app);
}

/* A change to the cart at the counter while a resume is under way (an answer that reprices
 * it, a setting that changes its rounding) is not saved as a second open sale of the till
 * after the resumed one; a resume refused saves what changed meanwhile. */
static void
test_cart_changed_while_resuming (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  TillSale *waiting;

  till_test_app_scan (app, COLA);
  g_assert_true (till_checkout_suspend_sale (app->checkout, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  list = list_suspended (app);

  /* The new, empty sale at the counter changes once the resume is asked for. */
  waiting = till_checkout_get_sale (app->checkout);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (waiting)), ==, 0);
  g_assert_true (till_checkout_resume_sale (app->checkout, first_id (list), &error));
  g_assert_no_error (error);
  till_sale_set_total_rounding (waiting, TILL_TOTAL_ROUNDING_YUAN);
  till_test_app_settle (app);
  g_assert_cmpint (till_sale_get_id (till_checkout_get_sale (app->checkout)), ==, first_id (list));
  assert_one_open (app);

  /* A resume refused (the sale is gone) keeps the cart, and what changed meanwhile is
   * saved: the cart with goods and its rounding is in the file. */
  till_test_app_scan (app, CHIPS);
  g_assert_true (till_checkout_suspend_sale (app->checkout, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = list_suspended (app);
  g_assert_true (till_store_void_suspended_sale (app->store, first_id (list), "test", &error));
  g_assert_no_error (error);
  till_test_app_scan (app, EGG_PLU);
  waiting = till_checkout_get_sale (app->checkout);
  g_assert_true (till_checkout_resume_sale (app->checkout, first_id (list), &error));
  g_assert_no_error (error);
  g_assert_true (till_sale_set_discount (waiting, TILL_DISCOUNT_PERCENT, 1000, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_true (till_checkout_get_sale (app->checkout) == waiting);
  g_assert_cmpint (till_sale_get_state (waiting), ==, TILL_SALE_STATE_OPEN);
  assert_one_open (app);
  {
    g_autoptr(TillSale) stored = till_store_load_sale (app->store, till_sale_get_id (waiting),
                                                       &error);

    g_assert_no_error (error);
    g_assert_cmpint (till_sale_get_discount_kind (stored), ==, TILL_DISCOUNT_PERCENT);
    g_assert_cmpint (till_sale_get_total_fen (stored), ==, till_sale_get_total_fen (waiting));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/checkout/suspend/next-then-resume", test_suspend_next_resume);
  g_test_add_func ("/checkout/suspend/resume-swaps-and-survives-restart",
                   test_resume_swaps_and_survives_restart);
  g_test_add_func ("/checkout/suspend/refused-while-paying", test_refused_while_paying);
  g_test_add_func ("/checkout/suspend/cart-changed-while-resuming",
                   test_cart_changed_while_resuming);
  return g_test_run ();
}
