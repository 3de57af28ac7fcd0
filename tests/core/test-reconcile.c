/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reconciliation (pure): a bill and till records that differ in every way there is. */
#define G_LOG_DOMAIN "test-reconcile"

#include "config.h"

#include <string.h>
#include "till-core.h"
#include "till-reconcile.h"

static TillBill *
fixture_bill (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("TILL_TEST_SRCDIR"), "tests", "fixtures",
                                            "bill-27col.csv", NULL);
  g_autofree char *data = NULL;
  gsize length;
  TillBill *bill;

  g_file_get_contents (path, &data, &length, &error);
  g_assert_no_error (error);
  bill = till_bill_parse (data, length, &error);
  g_assert_no_error (error);
  return bill;
}

#define P1 "T0101261121091500000001"
#define P2 "T0101261121100240000002"
#define P3 "T0101261121112959000003"
#define R1 "R0101261121140000000001"
#define R2 "R0101261121152000000002"

static GPtrArray *
items_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) till_reconcile_item_free);
}

static void
add (GPtrArray  *items,
     gboolean    refund,
     const char *key,
     const char *trade_key,
     gint64      amount,
     const char *state,
     const char *sale)
{
  g_ptr_array_add (items, till_reconcile_item_new (refund, key, trade_key, "wechat_code",
                                                   amount, state, sale,
                                                   G_GINT64_CONSTANT (1795255200) * G_USEC_PER_SEC));
}

static const TillReconcileDiff *
find_diff (const TillReconciliation *r,
           const char               *key)
{
  for (guint i = 0; i < r->differences->len; i++)
    {
      const TillReconcileDiff *d = g_ptr_array_index (r->differences, i);

      if (g_strcmp0 (d->key, key) == 0)
        return d;
    }
  return NULL;
}

static void
test_balanced (void)
{
  g_autoptr(TillBill) bill = fixture_bill ();
  g_autoptr(GPtrArray) items = items_new ();
  g_autoptr(TillReconciliation) r = NULL;
  g_autofree char *json = NULL;

  add (items, FALSE, P1, NULL, 1250, "paid", "20261121-0001");
  add (items, FALSE, P2, NULL, 19900, "paid", "20261121-0002");
  add (items, FALSE, P3, NULL, 880, "reversed", "20261121-0003");
  add (items, TRUE, R1, P2, 2000, "success", "20261121-0002");
  add (items, TRUE, R2, P1, 250, "processing", "20261121-0001");
  /* a failed attempt leaves nothing in the bill and is no difference */
  add (items, FALSE, "T0101261121120000000009", NULL, 700, "failed", "20261121-0004");

  r = till_reconcile ("2026-11-21", bill, items);
  g_assert_true (till_reconciliation_is_balanced (r));
  g_assert_cmpuint (r->n_matched, ==, 5);
  g_assert_cmpuint (r->differences->len, ==, 0);
  g_assert_cmpint (r->bill_paid_fen, ==, 1250 + 19900);
  g_assert_cmpint (r->till_paid_fen, ==, 1250 + 19900);
  g_assert_cmpint (r->bill_refunded_fen, ==, 2000);
  g_assert_cmpint (r->till_refunded_fen, ==, 2000);
  json = till_reconciliation_to_json (r);
  g_assert_cmpstr (json, ==,
                   "{\"date\":\"2026-11-21\",\"balanced\":true,\"counts\":{\"bill_rows\":5,"
                   "\"till_items\":6,\"matched\":5,\"missing_at_till\":0,"
                   "\"missing_at_provider\":0,\"amount\":0,\"state\":0},\"totals\":{"
                   "\"bill_paid_fen\":21150,\"bill_refunded_fen\":2000,"
                   "\"till_paid_fen\":21150,\"till_refunded_fen\":2000},\"differences\":[]}");
}

static void
test_every_difference (void)
{
  g_autoptr(TillBill) bill = fixture_bill ();
  g_autoptr(GPtrArray) items = items_new ();
  g_autoptr(TillReconciliation) r = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  const TillReconcileDiff *d;

  add (items, FALSE, P1, NULL, 1250, "paid", "20261121-0001");            /* matched */
  add (items, FALSE, P2, NULL, 19800, "paid", "20261121-0002");           /* amount */
  add (items, FALSE, P3, NULL, 880, "paid", "20261121-0003");             /* state */
  add (items, TRUE, R1, P2, 2000, "success", "20261121-0002");            /* matched */
  /* R2 is missing at the till */
  add (items, FALSE, "T0101261121160000000004", NULL, 500, "paid", "20261121-0005");
  add (items, TRUE, "R0101261121170000000003", P1, 100, "success", "20261121-0001");
  add (items, FALSE, "T0101261121180000000005", NULL, 300, "in_doubt", "20261121-0006");

  r = till_reconcile ("2026-11-21", bill, items);
  g_assert_false (till_reconciliation_is_balanced (r));
  g_assert_cmpuint (r->n_bill_rows, ==, 5);
  g_assert_cmpuint (r->n_till_items, ==, 7);
  g_assert_cmpuint (r->n_matched, ==, 2);
  g_assert_cmpuint (r->n_amount, ==, 1);
  g_assert_cmpuint (r->n_state, ==, 1);
  g_assert_cmpuint (r->n_missing_at_till, ==, 1);
  g_assert_cmpuint (r->n_missing_at_provider, ==, 2);
  g_assert_cmpuint (r->differences->len, ==, 5);

  d = find_diff (r, P2);
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_AMOUNT);
  g_assert_cmpint (d->bill_amount_fen, ==, 19900);
  g_assert_cmpint (d->till_amount_fen, ==, 19800);
  g_assert_cmpstr (d->sale_number, ==, "20261121-0002");
  d = find_diff (r, P3);
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_STATE);
  g_assert_cmpstr (d->bill_state, ==, "REVOKED");
  g_assert_cmpstr (d->till_state, ==, "paid");
  d = find_diff (r, R2);
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_MISSING_AT_TILL);
  g_assert_true (d->is_refund);
  g_assert_cmpint (d->bill_amount_fen, ==, 250);
  g_assert_null (d->till_state);
  g_assert_cmpstr (d->time, ==, "2026-11-21 15:20:33");
  d = find_diff (r, "T0101261121160000000004");
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_MISSING_AT_PROVIDER);
  g_assert_false (d->is_refund);
  g_assert_cmpint (d->till_amount_fen, ==, 500);
  g_assert_null (d->bill_state);
  d = find_diff (r, "R0101261121170000000003");
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_MISSING_AT_PROVIDER);
  g_assert_true (d->is_refund);
  g_assert_null (find_diff (r, "T0101261121180000000005"));

  g_assert_cmpint (r->bill_paid_fen, ==, 21150);
  g_assert_cmpint (r->till_paid_fen, ==, 1250 + 19800 + 880 + 500);
  g_assert_cmpint (r->bill_refunded_fen, ==, 2000);
  g_assert_cmpint (r->till_refunded_fen, ==, 2100);

  json = till_reconciliation_to_json (r);
  g_assert_nonnull (strstr (json, "\"balanced\":false"));
  g_assert_nonnull (strstr (json, "{\"kind\":\"amount\",\"refund\":false,\"key\":\"" P2 "\","
                                  "\"bill_amount_fen\":19900,\"till_amount_fen\":19800,"
                                  "\"bill_state\":\"SUCCESS\",\"till_state\":\"paid\","
                                  "\"sale\":\"20261121-0002\",\"time\":\"2026-11-21 10:02:45\"}"));
  g_assert_nonnull (strstr (json, "\"kind\":\"missing_at_till\",\"refund\":true,\"key\":\"" R2
                                  "\",\"bill_amount_fen\":250,\"till_amount_fen\":0,"
                                  "\"bill_state\":\"PROCESSING\",\"till_state\":null"));
  text = till_reconciliation_to_text (r);
  g_assert_nonnull (strstr (text, "differences"));
  g_assert_nonnull (strstr (text, "Amount differs " P2
                                  " | bill SUCCESS 199.00 | till paid 198.00"));
  g_assert_nonnull (strstr (text, "Missing at the till: 1"));
  g_assert_nonnull (strstr (text, "Missing in the bill: 2"));
}

static void
test_refund_and_payment_keys_apart (void)
{
  /* a refund number equal to an order number is still a refund */
  const char *text =
    "交易时间,微信订单号,商户订单号,交易状态,应结订单金额,微信退款单号,商户退款单号,退款金额,"
    "退款状态,订单金额\n"
    "`2026-11-21 08:00:00,`42001,`X1,`SUCCESS,`3.00,`0,`0,`0.00,`,`3.00\n"
    "`2026-11-21 09:00:00,`42001,`X1,`REFUND,`0.00,`503,`X1,`1.00,`SUCCESS,`0.00\n"
    "总交易单数,应结订单总金额,退款总金额\n"
    "`2,`3.00,`1.00\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(TillBill) bill = till_bill_parse (text, strlen (text), &error);
  g_autoptr(GPtrArray) items = items_new ();
  g_autoptr(TillReconciliation) r = NULL;

  g_assert_no_error (error);
  add (items, FALSE, "X1", NULL, 300, "paid", NULL);
  add (items, TRUE, "X1", "X1", 100, "success", NULL);
  r = till_reconcile ("2026-11-21", bill, items);
  g_assert_true (till_reconciliation_is_balanced (r));
  g_assert_cmpuint (r->n_matched, ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reconcile/balanced", test_balanced);
  g_test_add_func ("/reconcile/every-difference", test_every_difference);
  g_test_add_func ("/reconcile/refund-and-payment-keys-apart", test_refund_and_payment_keys_apart);
  return g_test_run ();
}
