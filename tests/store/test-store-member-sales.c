/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Members in sales (schema 18): a top-up sale credits the card when it is paid, once; a
 * member's sale paid half by stored value and half in cash, refunded in full, gives both
 * back (the stored value split as it was taken) and takes its points back; every refusal
 * writes nothing; every balance is its ledger's sum. Real SQLite files. */
#include "config.h"

#include "store-test-util.h"
#include "till-store-members.h"
#include "till-store-payments.h"
#include "till-store-refunds.h"
#include "till-store-stored-value.h"

static gint64
add_member (TillStore  *store,
            const char *name,
            const char *phone,
            gint64      level_id)
{
  g_autoptr(GError) error = NULL;
  TillMemberFields f = { name, phone, NULL, level_id, NULL, TRUE };
  gint64 id = till_store_add_member (store, &f, NULL, "Li", &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
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
  sm = till_sale_member_new (m->id, m->code, m->name, "138****0000", m->level_id,
                             m->level_name);
  till_sale_set_member (sale, sm);
}

/* An open sale of one line, not yet saved. */
static TillSale *
new_sale (TillStore  *store,
          const char *name,
          gint64      amount_fen)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = till_store_next_sale_number (store, till_store_now_us (), &error);
  g_autoptr(TillSaleLine) line = NULL;
  TillSale *sale;

  g_assert_no_error (error);
  sale = till_sale_new (number);
  till_sale_set_opened_at (sale, till_store_now_us ());
  line = till_sale_line_new (0, NULL, name, NULL, amount_fen, 1000, FALSE);
  g_assert_cmpuint (till_sale_add_line (sale, line, &error), !=, G_MAXUINT);
  g_assert_no_error (error);
  return sale;
}

static void
assert_balance (TillStore *store,
                gint64     member_id,
                gint64     paid,
                gint64     bonus,
                gint64     points)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  TillMemberBalance b;

  g_assert_true (till_store_member_balance (store, member_id, &b, &error));
  g_assert_no_error (error);
  g_assert_cmpint (b.paid_fen, ==, paid);
  g_assert_cmpint (b.bonus_fen, ==, bonus);
  g_assert_cmpint (b.points, ==, points);
  /* the balance is the ledger's sum, read by SQL of the test's own */
  sql = g_strdup_printf ("SELECT coalesce (sum (paid_fen), 0) FROM stored_value_move"
                         " WHERE member_id = %" G_GINT64_FORMAT, member_id);
  g_assert_cmpint (store_int (store, sql), ==, paid);
}

static void
test_topup_then_split_and_refund (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) topup = NULL;
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(GPtrArray) refunds = NULL;
  g_autofree char *rows = NULL;
  gint64 level, member, payment, paid_part = 0, bonus_part = 0;

  level = till_store_add_member_level (store, "Gold", 0, 0, 2, &error);
  g_assert_no_error (error);
  member = add_member (store, "张伟", "138 0013 8000", level);

  /* ¥200 put on the card, rung up with the ¥20 bonus the rule gives: paid in cash. */
  topup = new_sale (store, "Stored value top-up", 20000);
  till_sale_set_kind (topup, TILL_SALE_KIND_TOPUP);
  till_sale_set_topup_bonus_fen (topup, 2000);
  attach (store, topup, member);
  g_assert_true (till_store_add_cash_payment (store, topup, 20000, 20000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_state (topup), ==, TILL_SALE_STATE_PAID);
  assert_balance (store, member, 20000, 2000, 0);
  rows = store_rows (store, "SELECT kind, paid_fen, bonus_fen FROM stored_value_move ORDER BY id");
  g_assert_cmpstr (rows, ==, "topup|20000|0\nbonus|0|2000\n");
  /* a top-up is not refunded at the till */
  refunds = till_store_refund_begin (store, till_sale_get_id (topup), 20000, "changed mind",
                                     "Wang", TRUE, till_store_now_us (), 0, &error);
  g_assert_null (refunds);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  assert_balance (store, member, 20000, 2000, 0);

  /* ¥50.00 of goods: ¥25.00 from the card (paid and bonus money in proportion), the
   * rest in cash; 50 yuan × 2 points. */
  sale = new_sale (store, "Cake", 5000);
  attach (store, sale, member);
  payment = till_store_add_stored_value_payment (store, sale, 2500, "Li", &paid_part,
                                                 &bonus_part, &error);
  g_assert_no_error (error);
  g_assert_cmpint (payment, >, 0);
  g_assert_cmpint (paid_part + bonus_part, ==, 2500);
  g_assert_cmpint (bonus_part, ==, 227);   /* 2500 × 2000 / 22000 = 227.27 */
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_OPEN);
  assert_balance (store, member, 20000 - 2273, 2000 - 227, 0);
  g_assert_true (till_store_add_cash_payment (store, sale, 2500, 3000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_PAID);
  assert_balance (store, member, 17727, 1773, 100);

  /* Refunded in full: the stored value goes back to the card as it was taken, the cash
   * is handed back, both at once; the points are taken back. */
  refunds = till_store_refund_begin (store, till_sale_get_id (sale), 5000, "stale", "Wang",
                                     TRUE, till_store_now_us (), 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (refunds);
  g_assert_cmpuint (refunds->len, ==, 2);
  for (guint i = 0; i < refunds->len; i++)
    g_assert_cmpint (((TillRefundRecord *) g_ptr_array_index (refunds, i))->state, ==,
                     TILL_REFUND_STATE_SUCCESS);
  assert_balance (store, member, 20000, 2000, 0);
  g_free (rows);
  rows = store_rows (store, "SELECT m.kind, m.paid_fen, m.bonus_fen, m.refund_of IS NOT NULL,"
                            "  m.refund_id IS NOT NULL, m.payment_id IS NOT NULL, m.who"
                            " FROM stored_value_move m WHERE m.kind IN ('spend', 'refund')"
                            " ORDER BY m.id");
  g_assert_cmpstr (rows, ==, "spend|-2273|-227|0|0|1|Li\nrefund|2273|227|1|1|0|Wang\n");
  g_free (rows);
  rows = store_rows (store, "SELECT state FROM sale WHERE kind = 'goods'");
  g_assert_cmpstr (rows, ==, "refunded\n");
}

static void
test_refusals_write_nothing (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) plain = NULL;
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(TillSale) topup = NULL;
  gint64 member = add_member (store, "Li Na", NULL, 0);

  g_assert_true (till_store_stored_value_topup (store, member, 1000, "T-1", "Li", NULL, &error));
  g_assert_no_error (error);

  /* no member on the sale */
  plain = new_sale (store, "Tea", 800);
  g_assert_cmpint (till_store_add_stored_value_payment (store, plain, 800, "Li", NULL, NULL,
                                                        &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  /* beyond the balance, beyond what is due */
  sale = new_sale (store, "Cake", 5000);
  attach (store, sale, member);
  g_assert_cmpint (till_store_add_stored_value_payment (store, sale, 1001, "Li", NULL, NULL,
                                                        &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "10.00"));
  g_clear_error (&error);
  g_assert_cmpint (till_store_add_stored_value_payment (store, sale, 5001, "Li", NULL, NULL,
                                                        &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  /* a top-up paid with stored value */
  topup = new_sale (store, "Top-up", 500);
  till_sale_set_kind (topup, TILL_SALE_KIND_TOPUP);
  attach (store, topup, member);
  g_assert_cmpint (till_store_add_stored_value_payment (store, topup, 500, "Li", NULL, NULL,
                                                        &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  g_assert_cmpint (store_int (store, "SELECT count (*) FROM payment"), ==, 0);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM stored_value_move"), ==, 1);
  assert_balance (store, member, 1000, 0, 0);

  /* the whole balance pays the sale; nothing is left to spend */
  g_assert_cmpint (till_store_add_stored_value_payment (store, sale, 1000, "Li", NULL, NULL,
                                                        &error), >, 0);
  g_assert_no_error (error);
  assert_balance (store, member, 0, 0, 0);
}

/* A sale loaded again keeps its kind, member (phone masked) and bonus. */
static void
test_member_reloaded (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) topup = NULL;
  g_autoptr(TillSale) again = NULL;
  gint64 member = add_member (store, "王芳", "13912345678", 0);
  g_autoptr(TillMember) m = till_store_get_member (store, member, &error);
  g_autoptr(TillSaleMember) sm = till_sale_member_new (member, m->code, m->name,
                                                       "139****5678", 0, NULL);
  const TillSaleMember *loaded;

  topup = new_sale (store, "Top-up", 10000);
  till_sale_set_kind (topup, TILL_SALE_KIND_TOPUP);
  till_sale_set_topup_bonus_fen (topup, 500);
  till_sale_set_member (topup, sm);
  g_assert_true (till_store_save_sale (store, topup, "Li", "till-1", &error));
  g_assert_no_error (error);
  again = till_store_load_sale (store, till_sale_get_id (topup), &error);
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_kind (again), ==, TILL_SALE_KIND_TOPUP);
  g_assert_cmpint (till_sale_get_topup_bonus_fen (again), ==, 500);
  loaded = till_sale_get_member (again);
  g_assert_nonnull (loaded);
  g_assert_cmpint (loaded->id, ==, member);
  g_assert_cmpstr (loaded->name, ==, "王芳");
  g_assert_cmpstr (loaded->phone_masked, ==, "139****5678");
  g_assert_cmpstr (loaded->code, ==, m->code);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/member-sales/topup-split-refund", test_topup_then_split_and_refund);
  g_test_add_func ("/store/member-sales/refusals", test_refusals_write_nothing);
  g_test_add_func ("/store/member-sales/reloaded", test_member_reloaded);
  return g_test_run ();
}
