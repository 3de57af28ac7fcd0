/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCheckout with members (issue 16) without a display, against the real simulator: a
 * member found by scanning their member code and by a typed phone number; a top-up of
 * ¥200 with the ¥20 bonus of the rule paid by a WeChat Pay payment code (the card credited
 * when the payment is paid, once, the simulator holding the same amount); a sale paid half
 * from the card — refused with the wrong phone digits — and half in cash, points earned;
 * its refund puts the card back as it was; a void gives back a part paid by the card.
 * Everything read back from the SQLite file. */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "till-store-members.h"
#include "till-store-payments.h"
#include "till-store-products.h"
#include "till-store-refunds.h"
#include "till-store-stored-value.h"
#include "till-clock.h"
#include "till-test-app.h"

#define EGG_PLU "8001"   /* 茶叶蛋, ¥2.00 a piece */

typedef struct
{
  gint64 id;
  char  *code;
} Member;

static void
member_clear (Member *m)
{
  g_free (m->code);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Member, member_clear)

static void
add_member (TillTestApp *app,
            Member      *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillMember) m = NULL;
  gint64 level = till_store_add_member_level (app->store, "Gold", 0, 0, 2, &error);
  TillMemberFields f = { "张伟", "138-0013-8000", NULL, level, NULL, TRUE };

  g_assert_no_error (error);
  out->id = till_store_add_member (app->store, &f, NULL, "Li", &error);
  g_assert_no_error (error);
  m = till_store_get_member (app->store, out->id, &error);
  g_assert_no_error (error);
  out->code = g_strdup (m->code);
  g_assert_cmpint (till_store_add_topup_rule (app->store, 20000, 2000, "Li", &error), >, 0);
  g_assert_no_error (error);
}

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

static void
assert_balance (TillTestApp *app,
                gint64       member,
                gint64       paid,
                gint64       bonus,
                gint64       points)
{
  g_autoptr(GError) error = NULL;
  TillMemberBalance b;

  g_assert_true (till_store_member_balance (app->store, member, &b, &error));
  g_assert_no_error (error);
  g_assert_cmpint (b.paid_fen, ==, paid);
  g_assert_cmpint (b.bonus_fen, ==, bonus);
  g_assert_cmpint (b.points, ==, points);
  g_assert_cmpint (file_int (app, "SELECT coalesce (sum (paid_fen + bonus_fen), 0)"
                                  " FROM stored_value_move"), ==, paid + bonus);
}

static gboolean
member_on_sale_cond (TillTestApp *app,
                     gpointer     data)
{
  TillSale *sale = till_checkout_get_sale (app->checkout);

  return sale != NULL && till_sale_get_member_id (sale) == *(gint64 *) data
         && till_checkout_get_member_stored_value_fen (app->checkout) >= 0;
}

static void
scan_member (TillTestApp  *app,
             const Member *m)
{
  gint64 id = m->id;

  till_test_app_scan (app, m->code);
  till_test_app_wait (app, member_on_sale_cond, &id, 5000, "the member on the sale");
}

static gboolean
balance_is_cond (TillTestApp *app,
                 gpointer     data)
{
  return till_checkout_get_member_stored_value_fen (app->checkout) == *(gint64 *) data;
}

static void
test_member_topup_split_refund (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(JsonObject) order = NULL;
  g_auto(Member) m = { 0 };
  g_autofree char *pay_code = till_test_app_wechat_code ("0000");
  TillPaymentRecord *p;
  TillSale *sale;
  gint64 topup_id, sale_id, expect;
  const TillSaleMember *on_sale;
  guint said;

  add_member (app, &m);

  /* The member by their code: on the sale, the phone masked, the card empty. */
  scan_member (app, &m);
  sale = till_checkout_get_sale (app->checkout);
  on_sale = till_sale_get_member (sale);
  g_assert_cmpstr (on_sale->name, ==, "张伟");
  g_assert_cmpstr (on_sale->phone_masked, ==, "138****8000");
  g_assert_cmpint (till_checkout_get_member_stored_value_fen (app->checkout), ==, 0);
  g_assert_nonnull (strstr (till_test_app_last_message (app), "138****8000"));
  g_assert_null (strstr (till_test_app_last_message (app), "13800138000"));

  /* 充 200 送 20, paid by a WeChat Pay code: credited once the payment is paid. */
  g_assert_true (till_checkout_begin_topup (app->checkout, 20000, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_cmpint (till_sale_get_kind (sale), ==, TILL_SALE_KIND_TOPUP);
  g_assert_cmpint (till_sale_get_topup_bonus_fen (sale), ==, 2000);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 20000);
  /* nothing else goes on a top-up */
  g_assert_false (till_checkout_set_line_qty (app->checkout, till_sale_get_line (sale, 0), 2000,
                                              &error));
  g_clear_error (&error);
  g_assert_false (till_checkout_begin_topup (app->checkout, 100, &error));
  g_clear_error (&error);
  assert_balance (app, m.id, 0, 0, 0);
  till_checkout_enter_code (app->checkout, pay_code);
  till_test_app_wait (app, till_test_app_sale_paid_cond, NULL, 10000, "the top-up to be paid");
  till_test_app_settle (app);
  topup_id = till_sale_get_id (sale);
  assert_balance (app, m.id, 20000, 2000, 0);
  expect = 22000;
  till_test_app_wait (app, balance_is_cond, &expect, 5000, "the card's new balance on show");
  payments = till_store_list_sale_payments (app->store, topup_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 1);
  p = g_ptr_array_index (payments, 0);
  order = till_test_paysim_ledger_order (app->sim, p->out_trade_no, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (order, "total"), ==, 20000);
  g_assert_cmpint (file_int (app, "SELECT count (*) FROM stored_value_move WHERE kind = 'topup'"),
                   ==, 1);

  /* Goods for ¥20.00 (10 eggs): half from the card, half in cash. The next sale opens
   * with the member on it. */
  scan_member (app, &m);
  sale = till_checkout_get_sale (app->checkout);
  g_assert_cmpint (till_sale_get_id (sale), !=, topup_id);
  till_test_app_scan (app, EGG_PLU);
  g_assert_true (till_checkout_set_line_qty (app->checkout, till_sale_get_line (sale, 0), 10000,
                                             &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_cmpint (till_checkout_get_due_fen (app->checkout), ==, 2000);
  said = app->messages->len;
  till_checkout_pay_stored_value (app->checkout, 2000, 1000, "0001", &error);
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_true (till_test_app_said_since (app, said, "not the last four digits"));
  g_assert_cmpint (file_int (app, "SELECT count (*) FROM payment WHERE method = 'stored_value'"),
                   ==, 0);
  g_assert_true (till_checkout_pay_stored_value (app->checkout, 2000, 1000, "8000", &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_cmpint (till_checkout_get_due_fen (app->checkout), ==, 1000);
  g_assert_true (till_checkout_pay_cash (app->checkout, 1000, 1000, &error));
  g_assert_no_error (error);
  till_test_app_wait (app, till_test_app_sale_paid_cond, NULL, 5000, "the sale to be paid");
  till_test_app_settle (app);
  sale_id = till_sale_get_id (sale);
  /* ¥10.00 of ¥200 paid + ¥20 bonus: 909 + 91; 20 yuan × 2 points */
  assert_balance (app, m.id, 20000 - 909, 2000 - 91, 40);

  /* Refunded in full: the card and the points as before the sale. */
  {
    g_autoptr(GPtrArray) rows = till_store_refund_begin (app->store, sale_id, 2000, "returned",
                                                         "Wang", TRUE, till_clock_now_us (), 0,
                                                         &error);
    g_assert_no_error (error);
    g_assert_nonnull (rows);
  }
  assert_balance (app, m.id, 20000, 2000, 0);
  g_assert_cmpint (file_int (app, "SELECT count (*) FROM sale WHERE state = 'refunded'"), ==, 1);
  /* the top-up stays paid, and cannot be refunded at the till */
  {
    g_autoptr(GPtrArray) rows = till_store_refund_begin (app->store, topup_id, 20000, "no",
                                                         "Wang", TRUE, till_clock_now_us (), 0,
                                                         &error);
    g_assert_null (rows);
    g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
    g_clear_error (&error);
  }
}

static void
test_refusals_and_void (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr(GError) error = NULL;
  g_auto(Member) m = { 0 };
  TillSale *sale;
  guint said;

  add_member (app, &m);
  g_assert_true (till_store_stored_value_topup (app->store, m.id, 5000, "T-1", "Li", NULL,
                                                &error));
  g_assert_no_error (error);

  /* no member: no top-up, no stored value */
  till_test_app_scan (app, EGG_PLU);
  g_assert_false (till_checkout_begin_topup (app->checkout, 1000, &error));
  g_clear_error (&error);
  g_assert_false (till_checkout_pay_stored_value (app->checkout, 200, 200, "8000", &error));
  g_clear_error (&error);
  /* a number that is no phone, a phone nobody has */
  g_assert_false (till_checkout_find_member (app->checkout, "12345", &error));
  g_clear_error (&error);
  said = app->messages->len;
  g_assert_true (till_checkout_find_member (app->checkout, "139 0000 0000", &error));
  till_test_app_settle (app);
  g_assert_true (till_test_app_said_since (app, said, "No member"));

  /* by the phone typed: on the sale with its goods; a top-up needs an empty sale */
  g_assert_true (till_checkout_find_member (app->checkout, "+86 138 0013 8000", &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  sale = till_checkout_get_sale (app->checkout);
  g_assert_cmpint (till_sale_get_member_id (sale), ==, m.id);
  g_assert_false (till_checkout_begin_topup (app->checkout, 1000, &error));
  g_clear_error (&error);
  /* the whole sale from the card: paid */
  g_assert_true (till_checkout_pay_stored_value (app->checkout, 200, 200, "8000", &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_PAID);

  /* part paid by the card, then voided: the card gets it back */
  till_test_app_scan (app, EGG_PLU);
  sale = till_checkout_get_sale (app->checkout);
  g_assert_cmpint (till_sale_get_member_id (sale), ==, 0);   /* a new sale, no member */
  g_assert_true (till_checkout_find_member (app->checkout, m.code, &error));
  till_test_app_settle (app);
  till_test_app_scan (app, EGG_PLU);
  g_assert_true (till_checkout_pay_stored_value (app->checkout, 400, 300, "8000", &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  assert_balance (app, m.id, 5000 - 200 - 300, 0, 4);
  g_assert_true (till_checkout_void_sale (app->checkout, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_nonnull (strstr (till_test_app_last_message (app), "back on the member"));
  assert_balance (app, m.id, 5000 - 200, 0, 4);
}

/* Member prices (issue 16): the level's price for a product, else the level's percent off;
 * the line keeps the catalog price beside it (the saving); the line's own discount applies
 * to the member price; taken off with the member; the points are of what was paid. */
static void
test_member_prices (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillProduct) egg = till_store_find_product (app->store, NULL, EGG_PLU, &error);
  g_autoptr(TillProduct) cola = till_store_lookup_barcode (app->store, "6954767002057", &error);
  g_autoptr(TillMember) m = NULL;
  TillMemberFields f = { "王芳", "13912345678", NULL, 0, NULL, TRUE };
  TillSale *sale;
  TillSaleLine *egg_line, *cola_line;
  gint64 level, member, cola_member;

  g_assert_no_error (error);
  g_assert_nonnull (egg);
  g_assert_nonnull (cola);
  g_assert_cmpint (egg->price_fen, ==, 200);
  level = till_store_add_member_level (app->store, "Silver", 1, 1000, 1, &error);
  g_assert_no_error (error);
  f.level_id = level;
  member = till_store_add_member (app->store, &f, NULL, "Li", &error);
  g_assert_no_error (error);
  g_assert_true (till_store_set_member_price (app->store, egg->id, level, 150, "Li", &error));
  g_assert_no_error (error);
  m = till_store_get_member (app->store, member, &error);
  g_assert_no_error (error);

  /* goods before the member: the catalog's price; the member's code: the level's */
  till_test_app_scan (app, EGG_PLU);
  till_test_app_scan (app, "6954767002057");
  sale = till_checkout_get_sale (app->checkout);
  egg_line = till_sale_get_line (sale, 0);
  cola_line = till_sale_get_line (sale, 1);
  g_assert_cmpint (till_sale_line_get_unit_price_fen (egg_line), ==, 200);
  till_test_app_scan (app, m->code);
  g_assert_cmpint (till_sale_get_member_id (sale), ==, member);
  g_assert_cmpint (till_sale_line_get_unit_price_fen (egg_line), ==, 150);
  g_assert_cmpint (till_sale_line_get_original_unit_price_fen (egg_line), ==, 200);
  g_assert_cmpint (till_sale_line_get_saved_fen (egg_line), ==, 50);
  cola_member = (cola->price_fen * 9000 + 5000) / 10000;   /* no member price: 10 % off */
  g_assert_cmpint (till_sale_line_get_unit_price_fen (cola_line), ==, cola_member);
  /* goods after the member: at once at the member's price (and merged with their line) */
  till_test_app_scan (app, EGG_PLU);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 2);
  g_assert_cmpint (till_sale_line_get_qty_milli (egg_line), ==, 2000);
  g_assert_cmpint (till_sale_line_get_final_fen (egg_line), ==, 300);
  /* the line's discount on the member price: 5 % of ¥3.00 */
  g_assert_true (till_checkout_discount_line (app->checkout, egg_line, TILL_DISCOUNT_PERCENT, 500,
                                              NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_line_get_final_fen (egg_line), ==, 285);
  /* the member off: the catalog's prices again (the discount stays, on them) */
  g_assert_true (till_checkout_detach_member (app->checkout, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_line_get_unit_price_fen (egg_line), ==, 200);
  g_assert_cmpint (till_sale_line_get_unit_price_fen (cola_line), ==, cola->price_fen);
  g_assert_cmpint (till_sale_line_get_final_fen (egg_line), ==, 380);
  /* and on again; paid in cash: the points are of the total paid, the stored lines keep
   * both prices */
  till_test_app_scan (app, m->code);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 285 + cola_member);
  g_assert_true (till_checkout_pay_cash (app->checkout, 285 + cola_member, 10000, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_cmpint (file_int (app, "SELECT sum (points) FROM points_move"), ==,
                   (285 + cola_member) / 100);
  g_assert_cmpint (file_int (app, "SELECT original_price_fen FROM sale_line WHERE position = 0"),
                   ==, 200);
  g_assert_cmpint (file_int (app, "SELECT unit_price_fen FROM sale_line WHERE position = 0"), ==,
                   150);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/checkout-member/topup-split-refund", test_member_topup_split_refund);
  g_test_add_func ("/checkout-member/refusals-and-void", test_refusals_and_void);
  g_test_add_func ("/checkout-member/member-prices", test_member_prices);
  return g_test_run ();
}
