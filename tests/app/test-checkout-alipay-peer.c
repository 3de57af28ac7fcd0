/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The till, pointed by its settings (alipay-gateway-url, alipay-app-id and the two key
 * paths) at a gateway that is not ours — the npm alipay-sdk's small server
 * (tests/alipay/alipay-peer-server.cjs, alipay.md §2 and §10), with its own keys — takes a
 * scanned Alipay payment code through the whole checkout: paid when the signed answer says
 * so; a badly signed "paid" is never taken as paid (the till asks, and is paid only when a
 * correctly signed query says so; when the query finds no trade, the attempt ends not
 * charged and the sale stays open). Skipped, with the reason, when node or the package is
 * missing (build-aux/dev build installs it into _build/node-peer). */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "till-payment-runtime.h"
#include "till-store-payments.h"
#include "till-test-app.h"
#include "till-test-node-peer.h"

#define CHIPS "6924678006079"   /* 乐事薯片原味 70g, ¥7.50 */

typedef struct
{
  TillTestNodeGateway *gateway;
  TillTestApp         *app;
} Fixture;

/* A till with no WeChat Pay and Alipay at the peer gateway: ready with Alipay alone. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *pub = NULL;
  TillPaymentRuntime *runtime;

  if (till_test_node_peer_missing ())
    return;
  f->gateway = till_test_node_gateway_start (&error);
  g_assert_no_error (error);
  f->app = till_test_app_new (FALSE, NULL);
  key = g_build_filename (f->gateway->dir, "app_private_key.pem", NULL);
  pub = g_build_filename (f->gateway->dir, "alipay_public_key.pem", NULL);
  g_settings_delay (f->app->settings);
  g_settings_set_string (f->app->settings, "device-id", "T1");
  g_settings_set_string (f->app->settings, "alipay-gateway-url", f->gateway->url);
  g_settings_set_string (f->app->settings, "alipay-app-id", "2021000122671080");
  g_settings_set_string (f->app->settings, "alipay-app-private-key-path", key);
  g_settings_set_string (f->app->settings, "alipay-public-key-path", pub);
  g_settings_set_uint (f->app->settings, "query-interval-ms", 500);
  g_settings_set_uint (f->app->settings, "pay-deadline-ms", 5000);
  g_settings_set_uint (f->app->settings, "http-timeout-ms", 3000);
  g_settings_apply (f->app->settings);
  till_test_app_wait_ready (f->app);
  runtime = till_context_get_payment_runtime (f->app->context);
  g_assert_nonnull (till_payment_runtime_get_provider (runtime, "alipay"));
  g_assert_null (till_payment_runtime_get_provider (runtime, "wechat"));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->app, till_test_app_free);
  g_clear_pointer (&f->gateway, till_test_node_gateway_free);
}

static TillPaymentRecord *
only_payment (TillTestApp *app,
              TillSale    *sale)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) payments = NULL;

  till_store_flush (app->store);
  payments = till_store_list_sale_payments (app->store, till_sale_get_id (sale), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 1);
  return till_payment_record_copy (g_ptr_array_index (payments, 0));
}

/* Scans the chips and a code ending in `ending`; waits for the sale to be paid; returns its
 * one payment, which must be a paid Alipay code payment of ¥7.50 with the gateway's trade
 * number. */
static TillPaymentRecord *
pay_chips (Fixture    *f,
           const char *ending,
           const char *what)
{
  g_autofree char *code = till_test_paysim_alipay_auth_code (ending);
  g_autoptr(TillSale) sale = NULL;
  TillPaymentRecord *p;

  till_test_app_scan (f->app, CHIPS);
  sale = g_object_ref (till_checkout_get_sale (f->app->checkout));
  till_checkout_enter_code (f->app->checkout, code);
  till_test_app_wait (f->app, till_test_app_sale_paid_cond, NULL, 10000, what);
  till_test_app_settle (f->app);
  p = only_payment (f->app, sale);
  g_assert_cmpint (p->method, ==, TILL_PAYMENT_METHOD_ALIPAY_CODE);
  g_assert_cmpint (p->state, ==, TILL_PAYMENT_STATE_PAID);
  g_assert_cmpint (p->amount_fen, ==, 750);
  g_assert_true (g_str_has_prefix (p->transaction_id, "2024052022001400"));
  return p;
}

/* A scanned code, a correctly signed "paid": the sale is paid, with Alipay's trade number. */
static void
test_paid (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(TillPaymentRecord) p = NULL;

  if (f->app != NULL)
    p = pay_chips (f, "8980", "the sale to be paid");
}

/* The gateway's "paid" carries a wrong signature; the trade is paid there: the till does
 * not believe the answer but asks, and the correctly signed query makes the sale paid. */
static void
test_bad_signature_then_query (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(TillPaymentRecord) p = NULL;

  if (f->app != NULL)
    p = pay_chips (f, "8888", "the sale to be paid by the query");
}

/* A wrongly signed "paid" for a trade the gateway does not have: never paid. The till polls
 * (no trade), cancels at the deadline (the gateway closes it) and the sale stays open, to
 * be paid another way — here by a second, good code on a new out_trade_no. */
static void
test_bad_signature_never_paid (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *bad = till_test_paysim_alipay_auth_code ("7777");
  g_autofree char *good = till_test_paysim_alipay_auth_code ("1234");
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GError) error = NULL;
  const TillPaymentRecord *a, *b;

  if (f->app == NULL)
    return;
  till_test_app_scan (f->app, CHIPS);
  sale = g_object_ref (till_checkout_get_sale (f->app->checkout));
  till_checkout_enter_code (f->app->checkout, bad);
  till_test_app_wait (f->app, till_test_app_payment_state_is, "reversed", 15000,
                      "the attempt to be cancelled at its deadline");
  till_test_app_settle (f->app);
  /* a paid attempt stays paid: had the bad answer been taken, the sale would be paid */
  g_assert_cmpint (till_sale_get_state (till_checkout_get_sale (f->app->checkout)), ==,
                   TILL_SALE_STATE_OPEN);

  till_checkout_enter_code (f->app->checkout, good);
  till_test_app_wait (f->app, till_test_app_sale_paid_cond, NULL, 10000,
                      "the sale to be paid by the second code");
  till_test_app_settle (f->app);
  payments = till_store_list_sale_payments (f->app->store, till_sale_get_id (sale), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 2);
  a = g_ptr_array_index (payments, 0);
  b = g_ptr_array_index (payments, 1);
  g_assert_cmpint (a->state, ==, TILL_PAYMENT_STATE_REVERSED);
  g_assert_cmpint (b->state, ==, TILL_PAYMENT_STATE_PAID);
  g_assert_cmpstr (a->out_trade_no, !=, b->out_trade_no);
  g_assert_true (g_str_has_prefix (b->transaction_id, "2024052022001400"));
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/checkout-alipay-peer/paid", Fixture, NULL, fixture_set_up, test_paid,
              fixture_tear_down);
  g_test_add ("/checkout-alipay-peer/bad-signature-then-query", Fixture, NULL, fixture_set_up,
              test_bad_signature_then_query, fixture_tear_down);
  g_test_add ("/checkout-alipay-peer/bad-signature-never-paid", Fixture, NULL, fixture_set_up,
              test_bad_signature_never_paid, fixture_tear_down);
  return g_test_run ();
}
