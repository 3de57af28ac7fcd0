/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillWxpayProvider without a network: every WeChat Pay trade state, refund status and
 * error kind mapped onto the provider-neutral ones (till-wxpay-provider-map.c), and the
 * provider's getters and properties. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <locale.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "till-wxpay-provider.h"
#include "till-wxpay-provider-map.h"

static TillWxpayTransaction *
transaction (const char *json,
             guint       http_status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  TillWxpayTransaction *txn;

  g_assert_no_error (error);
  txn = till_wxpay_transaction_new_from_json (node, http_status, &error);
  g_assert_no_error (error);
  return txn;
}

/* An error as TillWxpayClient makes it. */
static GError *
client_error (TillPayError code,
              guint        http_status,
              const char  *provider_code)
{
  GError *error = g_error_new_literal (TILL_PAY_ERROR, code, "words for the cashier");

  till_pay_error_set_details (error, provider_code, provider_code ? "provider text" : NULL,
                              http_status);
  return error;
}

/* A query answer in every WeChat Pay trade state. */
static void
test_trade_states (void)
{
  const struct
  {
    const char       *state;
    TillPayTradeState neutral;
    gboolean          refunded;
  } cases[] = {
    { "SUCCESS", TILL_PAY_TRADE_PAID, FALSE },
    { "REFUND", TILL_PAY_TRADE_PAID, TRUE },
    { "USERPAYING", TILL_PAY_TRADE_USER_PAYING, FALSE },
    { "NOTPAY", TILL_PAY_TRADE_NOT_PAID, FALSE },
    { "PAYERROR", TILL_PAY_TRADE_FAILED, FALSE },
    { "CLOSED", TILL_PAY_TRADE_CLOSED, FALSE },
    { "REVOKED", TILL_PAY_TRADE_REVERSED, FALSE },
    { "ACCEPT", TILL_PAY_TRADE_UNKNOWN, FALSE },   /* a state this version does not know */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"trade_state\":\"%s\",\"trade_state_desc\":"
                                               "\"描述 %s\",\"out_trade_no\":\"T1\","
                                               "\"transaction_id\":\"42000\","
                                               "\"amount\":{\"total\":1234}}",
                                               cases[i].state, cases[i].state);
      g_autoptr(TillWxpayTransaction) txn = transaction (json, 200);
      g_autoptr(TillPayTrade) trade = till_wxpay_map_transaction (txn);
      g_autoptr(TillPayTrade) copy = NULL;
      g_autofree char *desc = g_strdup_printf ("描述 %s", cases[i].state);

      g_test_message ("%s → %s", cases[i].state, till_pay_trade_state_to_string (trade->state));
      g_assert_cmpint (trade->state, ==, cases[i].neutral);
      g_assert_cmpint (trade->refunded, ==, cases[i].refunded);
      g_assert_cmpstr (trade->provider_state, ==, cases[i].state);
      g_assert_cmpstr (trade->message, ==, desc);
      g_assert_cmpstr (trade->transaction_id, ==, "42000");
      g_assert_cmpstr (trade->out_trade_no, ==, "T1");
      g_assert_cmpint (trade->amount_fen, ==, 1234);
      g_assert_null (trade->code);
      copy = g_boxed_copy (TILL_TYPE_PAY_TRADE, trade);
      g_assert_cmpint (copy->state, ==, trade->state);
      g_assert_cmpstr (copy->message, ==, desc);
    }

  {
    g_autoptr(TillWxpayTransaction) txn = transaction ("{\"trade_state\":\"NOTPAY\"}", 200);
    g_autoptr(TillPayTrade) trade = till_wxpay_map_transaction (txn);

    g_assert_cmpint (trade->amount_fen, ==, -1);
    g_assert_null (trade->transaction_id);
  }
}

/* The answer or the error of a code payment. */
static void
test_codepay (void)
{
  const struct
  {
    const char       *json;
    guint             status;
    TillPayTradeState neutral;
  } answers[] = {
    { "{\"trade_state\":\"SUCCESS\",\"transaction_id\":\"42\",\"amount\":{\"total\":5}}", 200,
      TILL_PAY_TRADE_PAID },
    { "{\"trade_state\":\"USERPAYING\"}", 202, TILL_PAY_TRADE_USER_PAYING },
    { "{\"trade_state\":\"ACCEPT\"}", 202, TILL_PAY_TRADE_USER_PAYING },  /* 202: it waits */
    { "{\"trade_state\":\"PAYERROR\"}", 200, TILL_PAY_TRADE_UNKNOWN },    /* not expected */
    { "{\"trade_state\":\"NOTPAY\"}", 200, TILL_PAY_TRADE_UNKNOWN },
  };
  const struct
  {
    TillPayError      code;
    guint             status;
    const char       *provider_code;
    TillPayTradeState neutral;
  } errors[] = {
    /* a definite refusal: not charged, with WeChat Pay's code */
    { TILL_PAY_ERROR_PROVIDER, 403, "NOT_ENOUGH", TILL_PAY_TRADE_FAILED },
    { TILL_PAY_ERROR_PROVIDER, 400, "AUTH_CODE_INVALID", TILL_PAY_TRADE_FAILED },
    { TILL_PAY_ERROR_PROVIDER, 403, "RULE_LIMIT", TILL_PAY_TRADE_FAILED },
    { TILL_PAY_ERROR_PROVIDER, 429, "FREQUENCY_LIMITED", TILL_PAY_TRADE_FAILED },
    /* 4xx codes that mean "not known yet" */
    { TILL_PAY_ERROR_PROVIDER, 400, "SYSTEM_ERROR", TILL_PAY_TRADE_UNKNOWN },
    { TILL_PAY_ERROR_PROVIDER, 403, "BANK_ERROR", TILL_PAY_TRADE_UNKNOWN },
    { TILL_PAY_ERROR_PROVIDER, 400, "USERPAYING", TILL_PAY_TRADE_UNKNOWN },
    /* no answer to trust */
    { TILL_PAY_ERROR_SERVER, 500, "SYSTEM_ERROR", TILL_PAY_TRADE_UNKNOWN },
    { TILL_PAY_ERROR_SERVER, 503, NULL, TILL_PAY_TRADE_UNKNOWN },
    { TILL_PAY_ERROR_TIMEOUT, 0, NULL, TILL_PAY_TRADE_UNKNOWN },
    { TILL_PAY_ERROR_SIGNATURE, 200, NULL, TILL_PAY_TRADE_UNKNOWN },
    { TILL_PAY_ERROR_CONNECTION_LOST, 0, NULL, TILL_PAY_TRADE_UNKNOWN },
    { TILL_PAY_ERROR_PROTOCOL, 200, NULL, TILL_PAY_TRADE_UNKNOWN },
    /* the request never left */
    { TILL_PAY_ERROR_NETWORK, 0, NULL, TILL_PAY_TRADE_FAILED },
    { TILL_PAY_ERROR_NOT_CONFIGURED, 0, NULL, TILL_PAY_TRADE_FAILED },
    { TILL_PAY_ERROR_INVALID, 0, NULL, TILL_PAY_TRADE_FAILED },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(TillWxpayTransaction) txn = transaction (answers[i].json, answers[i].status);
      g_autoptr(TillPayTrade) trade = till_wxpay_map_codepay (txn, NULL);

      g_test_message ("%u %s → %s", answers[i].status, answers[i].json,
                      till_pay_trade_state_to_string (trade->state));
      g_assert_cmpint (trade->state, ==, answers[i].neutral);
      g_assert_cmpstr (trade->provider_state, ==, txn->trade_state_str);
      g_assert_null (trade->code);
      if (trade->state == TILL_PAY_TRADE_PAID)
        {
          g_assert_cmpstr (trade->transaction_id, ==, "42");
          g_assert_cmpint (trade->amount_fen, ==, 5);
        }
    }

  for (gsize i = 0; i < G_N_ELEMENTS (errors); i++)
    {
      g_autoptr(GError) error = client_error (errors[i].code, errors[i].status,
                                              errors[i].provider_code);
      g_autoptr(TillPayTrade) trade = till_wxpay_map_codepay (NULL, error);

      g_test_message ("error %d HTTP %u %s → %s", errors[i].code, errors[i].status,
                      errors[i].provider_code, till_pay_trade_state_to_string (trade->state));
      g_assert_cmpint (trade->state, ==, errors[i].neutral);
      g_assert_cmpstr (trade->code, ==, errors[i].provider_code);
      g_assert_cmpstr (trade->message, ==, "words for the cashier");
      g_assert_null (trade->provider_state);
      g_assert_null (trade->transaction_id);
    }

  {
    g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "c");
    g_autoptr(TillPayTrade) trade = till_wxpay_map_codepay (NULL, cancelled);

    g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_UNKNOWN);
    g_assert_null (trade->code);
  }
}

/* The class of every error kind, set by till_wxpay_error_mark() and kept by copies. */
static void
test_error_classes (void)
{
  const struct
  {
    TillPayError   code;
    guint          status;
    const char    *provider_code;
    TillPayFailure failure;
  } cases[] = {
    { TILL_PAY_ERROR_PROVIDER, 403, "NOT_ENOUGH", TILL_PAY_FAILURE_REFUSED },
    { TILL_PAY_ERROR_PROVIDER, 400, "PARAM_ERROR", TILL_PAY_FAILURE_REFUSED },
    { TILL_PAY_ERROR_PROVIDER, 400, "ORDER_CLOSED", TILL_PAY_FAILURE_REFUSED },
    { TILL_PAY_ERROR_PROVIDER, 404, "ORDER_NOT_EXIST", TILL_PAY_FAILURE_NOT_FOUND },
    { TILL_PAY_ERROR_PROVIDER, 404, "RESOURCE_NOT_EXISTS", TILL_PAY_FAILURE_NOT_FOUND },
    { TILL_PAY_ERROR_PROVIDER, 429, "FREQUENCY_LIMITED", TILL_PAY_FAILURE_BUSY },
    { TILL_PAY_ERROR_PROVIDER, 400, "STATEMENT_CREATING", TILL_PAY_FAILURE_NOT_READY },
    { TILL_PAY_ERROR_PROVIDER, 400, "SYSTEM_ERROR", TILL_PAY_FAILURE_UNKNOWN },
    { TILL_PAY_ERROR_PROVIDER, 400, "SYSTEMERROR", TILL_PAY_FAILURE_UNKNOWN },
    { TILL_PAY_ERROR_PROVIDER, 403, "BANK_ERROR", TILL_PAY_FAILURE_UNKNOWN },
    { TILL_PAY_ERROR_PROVIDER, 403, "BANKERROR", TILL_PAY_FAILURE_UNKNOWN },
    { TILL_PAY_ERROR_PROVIDER, 400, "USERPAYING", TILL_PAY_FAILURE_UNKNOWN },
    { TILL_PAY_ERROR_SERVER, 500, "SYSTEM_ERROR", TILL_PAY_FAILURE_UNKNOWN },
    { TILL_PAY_ERROR_SERVER, 502, NULL, TILL_PAY_FAILURE_UNKNOWN },
    { TILL_PAY_ERROR_TIMEOUT, 0, NULL, TILL_PAY_FAILURE_UNKNOWN },
    { TILL_PAY_ERROR_SIGNATURE, 200, NULL, TILL_PAY_FAILURE_UNKNOWN },
    { TILL_PAY_ERROR_SIGNATURE, 404, NULL, TILL_PAY_FAILURE_UNKNOWN },  /* a forged refusal */
    { TILL_PAY_ERROR_CONNECTION_LOST, 0, NULL, TILL_PAY_FAILURE_UNKNOWN },
    { TILL_PAY_ERROR_PROTOCOL, 200, NULL, TILL_PAY_FAILURE_UNKNOWN },
    { TILL_PAY_ERROR_NETWORK, 0, NULL, TILL_PAY_FAILURE_NOT_SENT },
    { TILL_PAY_ERROR_NOT_CONFIGURED, 0, NULL, TILL_PAY_FAILURE_NOT_SENT },
    { TILL_PAY_ERROR_KEY, 0, NULL, TILL_PAY_FAILURE_NOT_SENT },
    { TILL_PAY_ERROR_INVALID, 0, NULL, TILL_PAY_FAILURE_NOT_SENT },
    { TILL_PAY_ERROR_CORRUPT, 200, NULL, TILL_PAY_FAILURE_DAMAGED },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = client_error (cases[i].code, cases[i].status,
                                              cases[i].provider_code);
      g_autoptr(GError) copy = NULL;
      gboolean definite = cases[i].failure != TILL_PAY_FAILURE_UNKNOWN;

      g_test_message ("error %d HTTP %u %s → %s", cases[i].code, cases[i].status,
                      cases[i].provider_code, till_pay_failure_to_string (cases[i].failure));
      g_assert_cmpint (till_wxpay_error_classify (error), ==, cases[i].failure);
      g_assert_cmpint (till_wxpay_error_is_definite (error), ==, definite);
      till_wxpay_error_mark (error);
      copy = g_error_copy (error);
      /* What the flow reads, with no WeChat Pay knowledge of its own: */
      g_assert_cmpint (till_pay_error_get_failure (copy), ==, cases[i].failure);
      g_assert_cmpint (till_pay_error_is_definite (copy), ==, definite);
      g_assert_cmpstr (till_pay_error_get_provider_code (copy), ==, cases[i].provider_code);
      g_assert_cmpuint (till_pay_error_get_http_status (copy), ==, cases[i].status);
    }

  {
    g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "c");

    g_assert_cmpint (till_wxpay_error_classify (cancelled), ==, TILL_PAY_FAILURE_UNKNOWN);
    till_wxpay_error_mark (cancelled);   /* not a TILL_PAY_ERROR: left as it is */
    g_assert_false (till_pay_error_is_definite (cancelled));
    g_assert_cmpint (till_wxpay_error_classify (NULL), ==, TILL_PAY_FAILURE_UNKNOWN);
  }
  {
    /* A clock error is a failed verification: unknown. */
    g_autoptr(GError) skew = client_error (TILL_PAY_ERROR_SIGNATURE, 200, NULL);

    till_pay_error_set_clock_skew_s (skew, 600);
    till_wxpay_error_mark (skew);
    g_assert_cmpint (till_pay_error_get_failure (skew), ==, TILL_PAY_FAILURE_UNKNOWN);
    g_assert_true (till_pay_error_is_clock_skew (skew));
  }
}

static void
test_refund_states (void)
{
  const struct
  {
    const char        *status;
    TillPayRefundState neutral;
  } cases[] = {
    { "SUCCESS", TILL_PAY_REFUND_SUCCESS },
    { "PROCESSING", TILL_PAY_REFUND_PROCESSING },
    { "ABNORMAL", TILL_PAY_REFUND_STUCK },
    { "CLOSED", TILL_PAY_REFUND_CLOSED },
    { "SOMETHING_NEW", TILL_PAY_REFUND_UNKNOWN },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *json = g_strdup_printf ("{\"status\":\"%s\",\"refund_id\":\"50\","
                                               "\"out_refund_no\":\"R1\","
                                               "\"amount\":{\"refund\":300,\"total\":1000}}",
                                               cases[i].status);
      g_autoptr(JsonNode) node = json_from_string (json, &error);
      g_autoptr(TillWxpayRefund) refund = till_wxpay_refund_new_from_json (node, 200, &error);
      g_autoptr(TillPayRefund) neutral = NULL;
      g_autoptr(TillPayRefund) copy = NULL;

      g_assert_no_error (error);
      neutral = till_wxpay_map_refund (refund);
      g_assert_cmpint (neutral->state, ==, cases[i].neutral);
      g_assert_cmpstr (till_pay_refund_state_to_string (neutral->state), !=, NULL);
      g_assert_cmpstr (neutral->provider_state, ==, cases[i].status);
      g_assert_cmpstr (neutral->refund_id, ==, "50");
      g_assert_cmpstr (neutral->out_refund_no, ==, "R1");
      g_assert_cmpint (neutral->amount_fen, ==, 300);
      copy = g_boxed_copy (TILL_TYPE_PAY_REFUND, neutral);
      g_assert_cmpstr (copy->refund_id, ==, "50");
    }
}

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->result = g_object_ref (result);
}

static GAsyncResult *
wait (Wait *w)
{
  g_clear_object (&w->result);
  while (w->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return w->result;
}

static void
test_properties (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillRsaKey) key = till_rsa_key_generate (&error);
  TillWxpayConfig config = {
    .base_url = "https://api.mch.weixin.qq.com",
    .mchid = "1230000109",
    .appid = "wxd678efh567hg6787",
    .merchant_serial = "3775B6A45ACD588826D15E583A95F5DD00000001",
    .platform_key_id = "PUB_KEY_ID_0112300001092024000000000001",
    .timeout_ms = 2500,
  };
  g_autoptr(TillWxpayClient) client = NULL;
  g_autoptr(TillWxpayProvider) wx = NULL;
  TillPayProvider *provider;
  TillPaymentMethod method = TILL_PAYMENT_METHOD_CASH;
  TillPayScene scene = TILL_PAY_SCENE_QR;
  g_autofree char *name = NULL;
  gboolean configured = FALSE;
  gint64 skew = -1;

  g_assert_no_error (error);
  config.merchant_key = key;
  config.platform_key = key;
  client = till_wxpay_client_new (&config, &error);
  g_assert_no_error (error);
  wx = till_wxpay_provider_new (client);
  provider = TILL_PAY_PROVIDER (wx);

  g_assert_true (till_wxpay_provider_get_client (wx) == client);
  g_assert_cmpstr (till_pay_provider_get_name (provider), ==, "wechat");
  g_assert_true (till_pay_provider_accepts_code (provider, TILL_BARCODE_WECHAT_PAY));
  g_assert_false (till_pay_provider_accepts_code (provider, TILL_BARCODE_ALIPAY));
  g_assert_false (till_pay_provider_accepts_code (provider, TILL_BARCODE_EAN13));
  g_assert_true (till_pay_provider_get_method (provider, TILL_PAY_SCENE_CODE, &method));
  g_assert_cmpint (method, ==, TILL_PAYMENT_METHOD_WECHAT_CODE);
  g_assert_true (till_pay_provider_get_method (provider, TILL_PAY_SCENE_QR, &method));
  g_assert_cmpint (method, ==, TILL_PAYMENT_METHOD_WECHAT_NATIVE);
  g_assert_true (till_pay_provider_owns_method (provider, TILL_PAYMENT_METHOD_WECHAT_CODE,
                                                &scene));
  g_assert_cmpint (scene, ==, TILL_PAY_SCENE_CODE);
  g_assert_true (till_pay_provider_owns_method (provider, TILL_PAYMENT_METHOD_WECHAT_NATIVE,
                                                &scene));
  g_assert_cmpint (scene, ==, TILL_PAY_SCENE_QR);
  g_assert_false (till_pay_provider_owns_method (provider, TILL_PAYMENT_METHOD_ALIPAY_CODE,
                                                 NULL));
  g_assert_false (till_pay_provider_owns_method (provider, TILL_PAYMENT_METHOD_CASH, NULL));
  g_assert_true (till_pay_provider_is_configured (provider));
  g_assert_cmpuint (till_pay_provider_get_timeout_ms (provider), ==, 2500);
  till_wxpay_client_set_timeout_ms (client, 4000);
  g_assert_cmpuint (till_pay_provider_get_timeout_ms (provider), ==, 4000);
  g_assert_cmpint (till_pay_provider_get_clock_skew_seconds (provider), ==, 0);
  g_object_get (wx, "name", &name, "configured", &configured, "clock-skew-seconds", &skew, NULL);
  g_assert_cmpstr (name, ==, "wechat");
  g_assert_true (configured);
  g_assert_cmpint (skew, ==, 0);
  g_assert_cmpstr (till_wxpay_provider_get_notify_url (wx), ==,
                   "https://localhost/tillpoint/notify");
  till_wxpay_provider_set_notify_url (wx, "https://example.com/notify");
  g_assert_cmpstr (till_wxpay_provider_get_notify_url (wx), ==, "https://example.com/notify");
}

/* Without a client: not configured, and every call says so without a network. */
static void
test_not_configured (void)
{
  g_autoptr(TillWxpayProvider) wx = till_wxpay_provider_new (NULL);
  TillPayProvider *provider = TILL_PAY_PROVIDER (wx);
  g_autoptr(GError) error = NULL;
  Wait w = { NULL };
  TillPayCodeRequest code = { .out_trade_no = "T1", .amount_fen = 100,
                              .auth_code = "134567890123456789" };
  TillPayRefundRequest refund = { .out_trade_no = "T1", .out_refund_no = "R1", .amount_fen = 1,
                                  .total_fen = 1 };

  g_assert_false (till_pay_provider_is_configured (provider));
  g_assert_cmpuint (till_pay_provider_get_timeout_ms (provider), ==, 0);

  till_pay_provider_pay_code_async (provider, &code, NULL, done_cb, &w);
  {
    g_autoptr(TillPayTrade) trade = till_pay_provider_pay_code_finish (provider, wait (&w), &error);

    g_assert_no_error (error);
    g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_FAILED);
    g_assert_nonnull (trade->message);
  }
  till_pay_provider_query_async (provider, "T1", NULL, done_cb, &w);
  g_assert_null (till_pay_provider_query_finish (provider, wait (&w), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED);
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_NOT_SENT);
  g_clear_error (&error);
  till_pay_provider_cancel_async (provider, "T1", NULL, done_cb, &w);
  g_assert_false (till_pay_provider_cancel_finish (provider, wait (&w), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED);
  g_clear_error (&error);
  till_pay_provider_refund_async (provider, &refund, NULL, done_cb, &w);
  g_assert_null (till_pay_provider_refund_finish (provider, wait (&w), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED);
  g_clear_error (&error);
  till_pay_provider_fetch_bill_async (provider, "2025-03-09", NULL, done_cb, &w);
  g_assert_null (till_pay_provider_fetch_bill_finish (provider, wait (&w), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED);
  g_clear_error (&error);
  g_clear_object (&w.result);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wxpay-provider-unit/trade-states", test_trade_states);
  g_test_add_func ("/wxpay-provider-unit/codepay", test_codepay);
  g_test_add_func ("/wxpay-provider-unit/error-classes", test_error_classes);
  g_test_add_func ("/wxpay-provider-unit/refund-states", test_refund_states);
  g_test_add_func ("/wxpay-provider-unit/properties", test_properties);
  g_test_add_func ("/wxpay-provider-unit/not-configured", test_not_configured);

  return g_test_run ();
}
