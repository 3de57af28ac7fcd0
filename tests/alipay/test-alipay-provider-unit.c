/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillAlipayProvider without a network: what every Alipay answer and error kind means in
 * the provider-neutral words of till-pay-provider.h (till-alipay-provider-map.c), the
 * provider's getters and its not-configured answers, the client's configuration checks and
 * the requests it refuses to send. */
#define G_LOG_DOMAIN "test-alipay-provider-unit"
#include "config.h"

#include <locale.h>
#include <string.h>

#include "till-alipay-client.h"
#include "till-alipay-provider.h"
#include "till-alipay-provider-map.h"

static GError *
provider_error (TillPayError code,
                const char  *provider_code)
{
  GError *error = g_error_new_literal (TILL_PAY_ERROR, code, "words for the cashier");

  till_pay_error_set_details (error, provider_code, NULL, 200);
  return error;
}

/* ---------------------------------------------------------------- errors */

static void
test_classify (void)
{
  static const struct
  {
    TillPayError   code;
    const char    *provider_code;
    TillPayFailure failure;
  } cases[] = {
    /* "may have succeeded or failed": ask */
    { TILL_PAY_ERROR_PROVIDER, "ACQ.SYSTEM_ERROR", TILL_PAY_FAILURE_UNKNOWN },
    { TILL_PAY_ERROR_PROVIDER, "AQC.SYSTEM_ERROR", TILL_PAY_FAILURE_UNKNOWN },
    { TILL_PAY_ERROR_PROVIDER, "ACQ.TRADE_HAS_SUCCESS", TILL_PAY_FAILURE_UNKNOWN },
    { TILL_PAY_ERROR_PROVIDER, "isp.unknow-error", TILL_PAY_FAILURE_UNKNOWN },
    { TILL_PAY_ERROR_PROVIDER, "aop.unknow-error", TILL_PAY_FAILURE_UNKNOWN },
    /* not there */
    { TILL_PAY_ERROR_PROVIDER, "ACQ.TRADE_NOT_EXIST", TILL_PAY_FAILURE_NOT_FOUND },
    { TILL_PAY_ERROR_PROVIDER, "isp.bill_not_exist", TILL_PAY_FAILURE_NOT_FOUND },
    { TILL_PAY_ERROR_PROVIDER, "BILL_NOT_EXIST", TILL_PAY_FAILURE_NOT_FOUND },
    /* rate limits */
    { TILL_PAY_ERROR_PROVIDER, "isv.app-call-limited", TILL_PAY_FAILURE_BUSY },
    { TILL_PAY_ERROR_PROVIDER, "isv.method-call-limited", TILL_PAY_FAILURE_BUSY },
    { TILL_PAY_ERROR_PROVIDER, "USER_RATE_LIMIT", TILL_PAY_FAILURE_BUSY },
    /* what the map itself makes of a cancel's retry_flag=Y and of "no such refund" keeps
     * its class when the provider marks it again */
    { TILL_PAY_ERROR_PROVIDER, TILL_ALIPAY_RETRY_FLAG_CODE, TILL_PAY_FAILURE_BUSY },
    { TILL_PAY_ERROR_PROVIDER, TILL_ALIPAY_REFUND_NOT_EXIST, TILL_PAY_FAILURE_NOT_FOUND },
    /* a signed refusal: nothing was done */
    { TILL_PAY_ERROR_PROVIDER, "ACQ.BUYER_BALANCE_NOT_ENOUGH", TILL_PAY_FAILURE_REFUSED },
    { TILL_PAY_ERROR_PROVIDER, "ACQ.PAYMENT_AUTH_CODE_INVALID", TILL_PAY_FAILURE_REFUSED },
    { TILL_PAY_ERROR_PROVIDER, "ACQ.CONTEXT_INCONSISTENT", TILL_PAY_FAILURE_REFUSED },
    { TILL_PAY_ERROR_PROVIDER, "ACQ.TRADE_HAS_CLOSE", TILL_PAY_FAILURE_REFUSED },
    { TILL_PAY_ERROR_PROVIDER, "ACQ.TRADE_CANCEL_TIME_OUT", TILL_PAY_FAILURE_REFUSED },
    { TILL_PAY_ERROR_PROVIDER, "isv.invalid-signature", TILL_PAY_FAILURE_REFUSED },
    { TILL_PAY_ERROR_PROVIDER, "isv.invalid-timestamp", TILL_PAY_FAILURE_REFUSED },
    { TILL_PAY_ERROR_PROVIDER, "invalid_arguments", TILL_PAY_FAILURE_REFUSED },
    /* no usable answer: unknown, whatever the (unproven) body said */
    { TILL_PAY_ERROR_SERVER, "isp.unknow-error", TILL_PAY_FAILURE_UNKNOWN },
    { TILL_PAY_ERROR_SIGNATURE, NULL, TILL_PAY_FAILURE_UNKNOWN },
    { TILL_PAY_ERROR_TIMEOUT, NULL, TILL_PAY_FAILURE_UNKNOWN },
    { TILL_PAY_ERROR_CONNECTION_LOST, NULL, TILL_PAY_FAILURE_UNKNOWN },
    { TILL_PAY_ERROR_PROTOCOL, NULL, TILL_PAY_FAILURE_UNKNOWN },
    /* never sent */
    { TILL_PAY_ERROR_NETWORK, NULL, TILL_PAY_FAILURE_NOT_SENT },
    { TILL_PAY_ERROR_NOT_CONFIGURED, NULL, TILL_PAY_FAILURE_NOT_SENT },
    { TILL_PAY_ERROR_INVALID, NULL, TILL_PAY_FAILURE_NOT_SENT },
    { TILL_PAY_ERROR_CORRUPT, NULL, TILL_PAY_FAILURE_DAMAGED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = provider_error (cases[i].code, cases[i].provider_code);

      g_test_message ("%d %s", cases[i].code, cases[i].provider_code);
      g_assert_cmpint (till_alipay_error_classify (error), ==, cases[i].failure);
      till_alipay_error_mark (error);
      g_assert_cmpint (till_pay_error_get_failure (error), ==, cases[i].failure);
    }
  {
    g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");

    g_assert_cmpint (till_alipay_error_classify (cancelled), ==, TILL_PAY_FAILURE_UNKNOWN);
    till_alipay_error_mark (cancelled);   /* left alone */
  }
}

/* ---------------------------------------------------------------- pay */

static TillAlipayTrade *
answer (const char *code,
        const char *status,
        const char *paid_at)
{
  TillAlipayTrade *t = g_new0 (TillAlipayTrade, 1);

  t->code = g_strdup (code);
  t->trade_status = g_strdup (status);
  t->trade_no = g_strdup ("2024052022001400001234567890");
  t->out_trade_no = g_strdup ("T1");
  t->total_fen = 8888;
  t->receipt_fen = -1;
  t->buyer_pay_fen = -1;
  t->paid_at = g_strdup (paid_at);
  return t;
}

static void
test_map_pay (void)
{
  g_autoptr(TillAlipayTrade) paid = answer ("10000", NULL, "2024-05-20 13:14:17");
  g_autoptr(TillAlipayTrade) waiting = answer ("10003", NULL, NULL);
  g_autoptr(TillAlipayTrade) odd = answer ("10001", NULL, NULL);
  TillPayTrade *trade;

  trade = till_alipay_map_pay (paid, NULL);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_PAID);
  g_assert_cmpstr (trade->transaction_id, ==, "2024052022001400001234567890");
  g_assert_cmpstr (trade->out_trade_no, ==, "T1");
  g_assert_cmpint (trade->amount_fen, ==, 8888);
  g_assert_cmpstr (trade->provider_state, ==, "TRADE_SUCCESS");
  till_pay_trade_free (trade);

  trade = till_alipay_map_pay (waiting, NULL);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_USER_PAYING);
  g_assert_cmpstr (trade->provider_state, ==, "WAIT_BUYER_PAY");
  g_assert_nonnull (trade->message);
  till_pay_trade_free (trade);

  trade = till_alipay_map_pay (odd, NULL);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_UNKNOWN);
  till_pay_trade_free (trade);

  /* refusals: failed, not charged, with Alipay's sub_code */
  {
    const char *const refused[] = {
      "ACQ.BUYER_BALANCE_NOT_ENOUGH", "ACQ.PAYMENT_AUTH_CODE_INVALID", "ACQ.PAYMENT_FAIL",
      "ACQ.BUYER_SELLER_EQUAL", "ACQ.TRADE_HAS_CLOSE", "ACQ.CONTEXT_INCONSISTENT",
      "ACQ.INVALID_PARAMETER", "isv.invalid-app-id", "isv.app-call-limited",
    };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_autoptr(GError) error = provider_error (TILL_PAY_ERROR_PROVIDER, refused[i]);

        trade = till_alipay_map_pay (NULL, error);
        g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_FAILED);
        g_assert_cmpstr (trade->code, ==, refused[i]);
        g_assert_cmpstr (trade->message, ==, "words for the cashier");
        till_pay_trade_free (trade);
      }
  }
  /* anything else may have been charged */
  {
    const TillPayError unknown[] = {
      TILL_PAY_ERROR_SERVER, TILL_PAY_ERROR_SIGNATURE, TILL_PAY_ERROR_TIMEOUT,
      TILL_PAY_ERROR_CONNECTION_LOST, TILL_PAY_ERROR_PROTOCOL,
    };
    const char *const unknown_codes[] = { "ACQ.SYSTEM_ERROR", "ACQ.TRADE_HAS_SUCCESS",
                                          "isp.unknow-error" };

    for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
      {
        g_autoptr(GError) error = provider_error (unknown[i], NULL);

        trade = till_alipay_map_pay (NULL, error);
        g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_UNKNOWN);
        till_pay_trade_free (trade);
      }
    for (guint i = 0; i < G_N_ELEMENTS (unknown_codes); i++)
      {
        g_autoptr(GError) error = provider_error (TILL_PAY_ERROR_PROVIDER, unknown_codes[i]);

        trade = till_alipay_map_pay (NULL, error);
        g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_UNKNOWN);
        till_pay_trade_free (trade);
      }
  }
  /* never sent: failed */
  {
    g_autoptr(GError) error = provider_error (TILL_PAY_ERROR_NETWORK, NULL);

    trade = till_alipay_map_pay (NULL, error);
    g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_FAILED);
    till_pay_trade_free (trade);
  }
}

/* ---------------------------------------------------------------- query */

static void
test_map_query (void)
{
  static const struct
  {
    const char       *status;
    const char       *paid_at;
    TillPayScene      scene;
    TillPayTradeState state;
  } cases[] = {
    { "TRADE_SUCCESS", "2024-05-20 13:14:17", TILL_PAY_SCENE_CODE, TILL_PAY_TRADE_PAID },
    { "TRADE_FINISHED", "2024-05-20 13:14:17", TILL_PAY_SCENE_CODE, TILL_PAY_TRADE_PAID },
    { "TRADE_SUCCESS", "2024-05-20 13:14:17", TILL_PAY_SCENE_QR, TILL_PAY_TRADE_PAID },
    { "WAIT_BUYER_PAY", NULL, TILL_PAY_SCENE_CODE, TILL_PAY_TRADE_USER_PAYING },
    { "WAIT_BUYER_PAY", NULL, TILL_PAY_SCENE_QR, TILL_PAY_TRADE_NOT_PAID },
    { "TRADE_CLOSED", NULL, TILL_PAY_SCENE_CODE, TILL_PAY_TRADE_CLOSED },
    { "TRADE_CLOSED", NULL, TILL_PAY_SCENE_QR, TILL_PAY_TRADE_CLOSED },
    /* paid, then all of it given back: for an unsettled payment, the till's own cancel */
    { "TRADE_CLOSED", "2024-05-20 13:14:17", TILL_PAY_SCENE_CODE, TILL_PAY_TRADE_REVERSED },
    { "TRADE_PENDING", NULL, TILL_PAY_SCENE_CODE, TILL_PAY_TRADE_UNKNOWN },
    { NULL, NULL, TILL_PAY_SCENE_CODE, TILL_PAY_TRADE_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TillAlipayTrade) a = answer ("10000", cases[i].status, cases[i].paid_at);
      TillPayTrade *trade = till_alipay_map_query (a, cases[i].scene);

      g_test_message ("%s %s scene %d", cases[i].status, cases[i].paid_at, cases[i].scene);
      g_assert_cmpint (trade->state, ==, cases[i].state);
      g_assert_cmpstr (trade->provider_state, ==, cases[i].status);
      g_assert_cmpstr (trade->transaction_id, ==, a->trade_no);
      g_assert_cmpint (trade->amount_fen, ==, 8888);
      g_assert_false (trade->refunded);
      if (g_strcmp0 (cases[i].status, "TRADE_CLOSED") == 0)
        g_assert_nonnull (trade->message);
      till_pay_trade_free (trade);
    }
}

/* ---------------------------------------------------------------- cancel, refunds */

static void
test_map_cancel (void)
{
  const char *const actions[] = { "close", "refund", NULL };
  TillAlipayCancel c = { .out_trade_no = (char *) "T1" };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      c.action = (char *) actions[i];
      g_assert_true (till_alipay_map_cancel (&c, &error));
      g_assert_no_error (error);
    }
  c.retry = TRUE;
  c.action = NULL;
  g_assert_false (till_alipay_map_cancel (&c, &error));
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_BUSY);
  till_alipay_error_mark (error);
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_BUSY);
  g_assert_true (till_pay_error_is_retryable (error));
  g_assert_true (till_pay_error_is_definite (error));
}

static void
test_map_refunds (void)
{
  TillAlipayRefund moved = { .fund_change = TRUE, .refund_fee_fen = 300, .refund_fen = -1 };
  TillAlipayRefund repeat = { .fund_change = FALSE, .refund_fee_fen = 300, .refund_fen = -1 };
  TillAlipayRefund found = { .out_request_no = (char *) "R1", .refund_fen = 300,
                             .refund_status = (char *) "REFUND_SUCCESS", .found = TRUE };
  TillAlipayRefund old_style = { .out_request_no = (char *) "R1", .refund_fen = 300,
                                 .found = TRUE };
  TillAlipayRefund odd = { .out_request_no = (char *) "R1", .refund_fen = 300,
                           .refund_status = (char *) "REFUND_PENDING", .found = TRUE };
  TillAlipayRefund none = { .found = FALSE, .refund_fen = -1 };
  g_autoptr(GError) error = NULL;
  TillPayRefund *r;

  r = till_alipay_map_refund (&moved, "R1", 300);
  g_assert_cmpint (r->state, ==, TILL_PAY_REFUND_SUCCESS);
  g_assert_cmpstr (r->out_refund_no, ==, "R1");
  g_assert_cmpint (r->amount_fen, ==, 300);
  till_pay_refund_free (r);
  r = till_alipay_map_refund (&repeat, "R1", 300);
  g_assert_cmpint (r->state, ==, TILL_PAY_REFUND_PROCESSING);
  till_pay_refund_free (r);

  r = till_alipay_map_refund_query (&found, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->state, ==, TILL_PAY_REFUND_SUCCESS);
  g_assert_cmpstr (r->out_refund_no, ==, "R1");
  g_assert_cmpint (r->amount_fen, ==, 300);
  g_assert_cmpstr (r->provider_state, ==, "REFUND_SUCCESS");
  till_pay_refund_free (r);
  r = till_alipay_map_refund_query (&old_style, &error);
  g_assert_cmpint (r->state, ==, TILL_PAY_REFUND_SUCCESS);
  till_pay_refund_free (r);
  r = till_alipay_map_refund_query (&odd, &error);
  g_assert_cmpint (r->state, ==, TILL_PAY_REFUND_UNKNOWN);
  till_pay_refund_free (r);
  g_assert_null (till_alipay_map_refund_query (&none, &error));
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_NOT_FOUND);
  till_alipay_error_mark (error);
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_NOT_FOUND);
}

/* ---------------------------------------------------------------- the provider */

static void
done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static void
test_provider (void)
{
  g_autoptr(TillAlipayProvider) self = till_alipay_provider_new (NULL);
  TillPayProvider *provider = TILL_PAY_PROVIDER (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *name = NULL;
  TillPaymentMethod method;
  TillPayScene scene;
  TillPayCodeRequest request = {
    .out_trade_no = "T1", .amount_fen = 100, .auth_code = "286958267789018980",
    .description = "x",
  };
  gboolean configured = TRUE;

  g_assert_cmpstr (till_pay_provider_get_name (provider), ==, "alipay");
  g_object_get (self, "name", &name, "configured", &configured, NULL);
  g_assert_cmpstr (name, ==, "alipay");
  g_assert_false (configured);
  g_assert_true (till_pay_provider_accepts_code (provider, TILL_BARCODE_ALIPAY));
  g_assert_false (till_pay_provider_accepts_code (provider, TILL_BARCODE_WECHAT_PAY));
  g_assert_false (till_pay_provider_accepts_code (provider, TILL_BARCODE_UNIONPAY));
  g_assert_true (till_pay_provider_get_method (provider, TILL_PAY_SCENE_CODE, &method));
  g_assert_cmpint (method, ==, TILL_PAYMENT_METHOD_ALIPAY_CODE);
  g_assert_true (till_pay_provider_get_method (provider, TILL_PAY_SCENE_QR, &method));
  g_assert_cmpint (method, ==, TILL_PAYMENT_METHOD_ALIPAY_QR);
  g_assert_true (till_pay_provider_owns_method (provider, TILL_PAYMENT_METHOD_ALIPAY_QR, &scene));
  g_assert_cmpint (scene, ==, TILL_PAY_SCENE_QR);
  g_assert_false (till_pay_provider_owns_method (provider, TILL_PAYMENT_METHOD_WECHAT_CODE, NULL));
  g_assert_cmpint (till_pay_provider_get_clock_skew_seconds (provider), ==, 0);
  g_assert_false (till_pay_provider_is_configured (provider));

  /* not set up: a code payment fails (nothing was sent), other calls say so */
  till_pay_provider_pay_code_async (provider, &request, NULL, done_cb, &result);
  {
    g_autoptr(TillPayTrade) trade = till_pay_provider_pay_code_finish (provider, wait_for (&result),
                                                                       &error);

    g_assert_no_error (error);
    g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_FAILED);
  }
  g_clear_object (&result);
  till_pay_provider_query_async (provider, "T1", NULL, done_cb, &result);
  g_assert_null (till_pay_provider_query_finish (provider, wait_for (&result), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED);
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_NOT_SENT);
}

/* ---------------------------------------------------------------- the client */

static TillRsaKey *
new_key (void)
{
  g_autoptr(GError) error = NULL;
  TillRsaKey *key = till_rsa_key_generate (&error);

  g_assert_no_error (error);
  return key;
}

static void
test_client_config (void)
{
  g_autoptr(TillRsaKey) key = new_key ();
  static const struct
  {
    const char *url;
    const char *app_id;
    gboolean    keys;
    gboolean    ok;
  } cases[] = {
    { "https://openapi.alipay.com/gateway.do", "2021000122671080", TRUE, TRUE },
    { "http://127.0.0.1:8080/gateway.do", "2021000122671080", TRUE, TRUE },
    { "http://localhost/gateway.do", "2021000122671080", TRUE, TRUE },
    { "http://openapi.alipay.com/gateway.do", "2021000122671080", TRUE, FALSE },
    { "ftp://openapi.alipay.com/gateway.do", "2021000122671080", TRUE, FALSE },
    { "https://openapi.alipay.com/gateway.do?charset=utf-8", "2021000122671080", TRUE, FALSE },
    { "not a url", "2021000122671080", TRUE, FALSE },
    { "", "2021000122671080", TRUE, FALSE },
    { "https://openapi.alipay.com/gateway.do", "", TRUE, FALSE },
    { "https://openapi.alipay.com/gateway.do", "2021000122671080", FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      TillAlipayConfig config = {
        .gateway_url = cases[i].url, .app_id = cases[i].app_id,
        .app_private_key = cases[i].keys ? key : NULL,
        .alipay_public_key = cases[i].keys ? key : NULL,
      };
      g_autoptr(TillAlipayClient) client = till_alipay_client_new (&config, &error);

      g_test_message ("%s", cases[i].url);
      if (cases[i].ok)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (till_alipay_client_get_timeout_ms (client), ==, 15000);
          g_assert_true (g_str_has_suffix (till_alipay_client_get_gateway_url (client),
                                           "/gateway.do"));
        }
      else
        {
          g_assert_null (client);
          g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED);
        }
    }
}

/* Requests Alipay would refuse are not sent at all (the gateway here does not exist). */
static void
test_client_refuses (void)
{
  g_autoptr(TillRsaKey) key = new_key ();
  g_autoptr(GError) error = NULL;
  TillAlipayConfig config = {
    .gateway_url = "http://127.0.0.1:1/gateway.do", .app_id = "2021000122671080",
    .app_private_key = key, .alipay_public_key = key, .timeout_ms = 500,
  };
  g_autoptr(TillAlipayClient) client = till_alipay_client_new (&config, &error);
  const struct
  {
    const char *otn;
    gint64      fen;
    const char *code;
  } bad[] = {
    { "T-1", 100, "286958267789018980" },         /* '-' is not Alipay's */
    { "T1", 0, "286958267789018980" },
    { "T1", 10000000001, "286958267789018980" },
    { "T1", 100, "1234" },
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      TillAlipayPayRequest request = { .out_trade_no = bad[i].otn, .amount_fen = bad[i].fen,
                                       .auth_code = bad[i].code, .subject = "x" };

      till_alipay_client_pay_async (client, &request, NULL, done_cb, &result);
      g_assert_null (till_alipay_client_pay_finish (client, wait_for (&result), &error));
      g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID);
      g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_NOT_SENT);
      g_clear_error (&error);
    }
  /* a real request to a closed port: the network, never sent */
  {
    g_autoptr(GAsyncResult) result = NULL;

    till_alipay_client_query_async (client, "T1", NULL, done_cb, &result);
    g_assert_null (till_alipay_client_query_finish (client, wait_for (&result), &error));
    g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_NETWORK);
  }
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/alipay-provider-unit/classify", test_classify);
  g_test_add_func ("/alipay-provider-unit/map-pay", test_map_pay);
  g_test_add_func ("/alipay-provider-unit/map-query", test_map_query);
  g_test_add_func ("/alipay-provider-unit/map-cancel", test_map_cancel);
  g_test_add_func ("/alipay-provider-unit/map-refunds", test_map_refunds);
  g_test_add_func ("/alipay-provider-unit/provider", test_provider);
  g_test_add_func ("/alipay-provider-unit/client-config", test_client_config);
  g_test_add_func ("/alipay-provider-unit/client-refuses", test_client_refuses);
  return g_test_run ();
}
