/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The parts of TillWxpayClient that need no network: configuration checks, out_trade_no,
 * error classification, answer decoding. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <locale.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "till-pay-error.h"
#include "till-wxpay-client-private.h"
#include "till-wxpay-client.h"

static TillRsaKey *key;

static TillWxpayConfig
good_config (const char *base_url)
{
  TillWxpayConfig c = {
    .base_url = base_url,
    .mchid = "1230000109",
    .appid = "wxd678efh567hg6787",
    .merchant_serial = "3775B6A45ACD588826D15E583A95F5DD00000001",
    .merchant_key = key,
    .platform_key = key,
    .platform_key_id = "PUB_KEY_ID_0112300001092024000000000001",
    .timeout_ms = 0,
  };
  return c;
}

static void
test_loopback (void)
{
  g_assert_true (till_wxpay_host_is_loopback ("127.0.0.1"));
  g_assert_true (till_wxpay_host_is_loopback ("127.3.2.1"));
  g_assert_true (till_wxpay_host_is_loopback ("::1"));
  g_assert_true (till_wxpay_host_is_loopback ("localhost"));
  g_assert_true (till_wxpay_host_is_loopback ("LocalHost"));
  g_assert_false (till_wxpay_host_is_loopback ("128.0.0.1"));
  g_assert_false (till_wxpay_host_is_loopback ("10.0.0.1"));
  g_assert_false (till_wxpay_host_is_loopback ("localhost.example.com"));
  g_assert_false (till_wxpay_host_is_loopback ("127.0.0.1.nip.io"));
  g_assert_false (till_wxpay_host_is_loopback ("api.mch.weixin.qq.com"));
  g_assert_false (till_wxpay_host_is_loopback (""));
  g_assert_false (till_wxpay_host_is_loopback (NULL));
}

static void
test_config (void)
{
  const char *good[] = {
    "https://api.mch.weixin.qq.com", "https://api2.mch.weixin.qq.com/", "http://127.0.0.1:8080",
    "http://[::1]:9000", "http://localhost:1234", "https://192.168.1.10:8443",
  };
  const char *bad[] = {
    "http://api.mch.weixin.qq.com", "http://192.168.1.10:8080", "ftp://127.0.0.1", "127.0.0.1:80",
    "https://api.mch.weixin.qq.com/v3", "https://api.mch.weixin.qq.com?x=1", "https://user@host",
    "", "http://", "not a url",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      TillWxpayConfig c = good_config (good[i]);
      g_autoptr(TillWxpayClient) client = till_wxpay_client_new (&c, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (till_wxpay_client_get_timeout_ms (client), ==, 10000);
      g_assert_cmpstr (till_wxpay_client_get_mchid (client), ==, "1230000109");
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      TillWxpayConfig c = good_config (bad[i]);
      g_assert_null (till_wxpay_client_new (&c, &error));
      g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED);
      g_test_message ("%s: %s", bad[i], error->message);
    }

  /* each required item */
  for (int i = 0; i < 6; i++)
    {
      g_autoptr(GError) error = NULL;
      TillWxpayConfig c = good_config ("https://api.mch.weixin.qq.com");
      switch (i)
        {
        case 0: c.mchid = ""; break;
        case 1: c.appid = NULL; break;
        case 2: c.merchant_serial = NULL; break;
        case 3: c.merchant_key = NULL; break;
        case 4: c.platform_key = NULL; break;
        default: c.platform_key_id = ""; break;
        }
      g_assert_null (till_wxpay_client_new (&c, &error));
      g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED);
      g_assert_true (till_wxpay_error_is_definite (error));
    }

  /* an unreadable CA file */
  {
    g_autoptr(GError) error = NULL;
    TillWxpayConfig c = good_config ("https://127.0.0.1:8443");
    c.ca_file = "/nonexistent/ca.pem";
    g_assert_null (till_wxpay_client_new (&c, &error));
    g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED);
  }
}

static void
test_timeout_property (void)
{
  g_autoptr(GError) error = NULL;
  TillWxpayConfig c = good_config ("http://127.0.0.1:1");
  g_autoptr(TillWxpayClient) client = NULL;
  guint v = 0;

  c.timeout_ms = 2500;
  client = till_wxpay_client_new (&c, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (till_wxpay_client_get_timeout_ms (client), ==, 2500);
  g_object_set (client, "timeout-ms", 700u, NULL);
  g_object_get (client, "timeout-ms", &v, NULL);
  g_assert_cmpuint (v, ==, 700);
  g_assert_cmpstr (till_wxpay_client_get_base_url (client), ==, "http://127.0.0.1:1");
}

static void
test_out_trade_no (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+08:00");
  g_autoptr(GDateTime) t = g_date_time_new (tz, 2025, 3, 9, 14, 5, 7);
  g_autofree char *a = till_wxpay_out_trade_no_build ("S01", "P02", t, 7, &error);
  g_autofree char *b = NULL, *c = NULL, *d = NULL;
  g_autoptr(GRegex) re = g_regex_new ("^[0-9A-Za-z_-]{6,32}$", 0, 0, NULL);

  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, "TS01P022503091405070007");
  g_assert_true (g_regex_match (re, a, 0, NULL));

  b = till_wxpay_out_trade_no_build ("S01", "P02", t, 123456, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b, ==, "TS01P02250309140507123456");
  g_assert_cmpstr (a, !=, b);

  /* too long for 32 characters */
  g_assert_null (till_wxpay_out_trade_no_build ("STORE-0000000001", "TILL-0001", t, 1, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID);
  g_clear_error (&error);
  c = till_wxpay_out_trade_no_build ("STORE-001", "TILL-1", t, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (c), ==, 32);
  g_assert_true (g_regex_match (re, c, 0, NULL));
  /* bad characters */
  g_assert_null (till_wxpay_out_trade_no_build ("S 1", "P02", t, 1, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (till_wxpay_out_trade_no_build ("S1", "P*2", t, 1, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (till_wxpay_out_trade_no_build ("", "P2", t, 1, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID);
  g_clear_error (&error);
  d = till_wxpay_out_trade_no_build ("S_1", "P-2", t, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (d, ==, "TS_1P-22503091405070000");
}

static void
test_error_classes (void)
{
  struct
  {
    TillPayError code;
    const char  *provider_code;
    guint        status;
    gboolean     definite, retryable;
  } cases[] = {
    { TILL_PAY_ERROR_PROVIDER, "NOT_ENOUGH", 403, TRUE, FALSE },
    { TILL_PAY_ERROR_PROVIDER, "ORDER_NOT_EXIST", 404, TRUE, FALSE },
    { TILL_PAY_ERROR_PROVIDER, "FREQUENCY_LIMITED", 429, TRUE, TRUE },
    { TILL_PAY_ERROR_PROVIDER, "SYSTEM_ERROR", 400, FALSE, FALSE },
    { TILL_PAY_ERROR_SERVER, "SYSTEM_ERROR", 500, FALSE, TRUE },
    { TILL_PAY_ERROR_TIMEOUT, NULL, 0, FALSE, TRUE },
    { TILL_PAY_ERROR_CONNECTION_LOST, NULL, 0, FALSE, TRUE },
    { TILL_PAY_ERROR_SIGNATURE, NULL, 200, FALSE, TRUE },
    { TILL_PAY_ERROR_PROTOCOL, NULL, 200, FALSE, TRUE },
    { TILL_PAY_ERROR_NETWORK, NULL, 0, TRUE, TRUE },
    { TILL_PAY_ERROR_NOT_CONFIGURED, NULL, 0, TRUE, FALSE },
    { TILL_PAY_ERROR_INVALID, NULL, 0, TRUE, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) e = g_error_new_literal (TILL_PAY_ERROR, cases[i].code, "x");
      g_autoptr(GError) copy = NULL;

      g_assert_null (till_pay_error_get_provider_code (e));
      g_assert_cmpuint (till_pay_error_get_http_status (e), ==, 0);
      till_pay_error_set_details (e, cases[i].provider_code, "msg", cases[i].status);
      copy = g_error_copy (e);
      g_assert_cmpstr (till_pay_error_get_provider_code (copy), ==, cases[i].provider_code);
      g_assert_cmpstr (till_pay_error_get_provider_message (copy), ==, "msg");
      g_assert_cmpuint (till_pay_error_get_http_status (copy), ==, cases[i].status);
      g_assert_cmpint (till_wxpay_error_is_definite (copy), ==, cases[i].definite);
      g_assert_cmpint (till_pay_error_is_retryable (copy), ==, cases[i].retryable);
    }

  {
    g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "c");
    g_assert_false (till_wxpay_error_is_definite (cancelled));
    g_assert_null (till_pay_error_get_provider_code (cancelled));
    g_assert_false (till_wxpay_error_is_definite (NULL));
  }
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *n = json_from_string (json, &error);
  g_assert_no_error (error);
  return n;
}

static void
test_decode (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) n = NULL;
  g_autoptr(TillWxpayTransaction) t = NULL;
  g_autoptr(TillWxpayTransaction) copy = NULL;
  g_autoptr(TillWxpayRefund) r = NULL;
  g_autoptr(TillWxpayBill) b = NULL;
  const char *bad[] = {
    "[]", "{}", "{\"trade_state\":1}", "{\"trade_state\":\"SUCCESS\",\"amount\":{\"total\":\"100\"}}",
    "{\"trade_state\":\"SUCCESS\",\"amount\":{\"total\":-1}}", "{\"trade_state\":\"SUCCESS\",\"amount\":5}",
  };

  n = parse ("{\"trade_state\":\"REVOKED\",\"amount\":{\"total\":9007199254740993},\"trade_state_desc\":null}");
  t = till_wxpay_transaction_new_from_json (n, 200, &error);
  g_assert_no_error (error);
  g_assert_cmpint (t->trade_state, ==, TILL_WXPAY_TRADE_STATE_REVOKED);
  g_assert_cmpint (t->amount_total, ==, G_GINT64_CONSTANT (9007199254740993));
  g_assert_cmpint (t->payer_total, ==, -1);
  g_assert_null (t->trade_state_desc);
  copy = g_boxed_copy (TILL_TYPE_WXPAY_TRANSACTION, t);
  g_assert_cmpstr (copy->trade_state_str, ==, "REVOKED");
  g_clear_pointer (&n, json_node_unref);

  n = parse ("{\"trade_state\":\"ACCEPT\"}");
  g_clear_pointer (&t, till_wxpay_transaction_free);
  t = till_wxpay_transaction_new_from_json (n, 200, &error);
  g_assert_no_error (error);
  g_assert_cmpint (t->trade_state, ==, TILL_WXPAY_TRADE_STATE_UNKNOWN);
  g_assert_cmpstr (t->trade_state_str, ==, "ACCEPT");
  g_assert_false (till_wxpay_trade_state_is_final (t->trade_state));
  g_clear_pointer (&n, json_node_unref);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      n = parse (bad[i]);
      g_assert_null (till_wxpay_transaction_new_from_json (n, 200, &error));
      g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROTOCOL);
      g_clear_error (&error);
      g_clear_pointer (&n, json_node_unref);
    }

  n = parse ("{\"status\":\"ABNORMAL\",\"refund_id\":\"5\",\"amount\":{\"refund\":1,\"total\":2}}");
  r = till_wxpay_refund_new_from_json (n, 200, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->status, ==, TILL_WXPAY_REFUND_STATUS_ABNORMAL);
  g_assert_cmpint (r->amount_refund, ==, 1);
  g_clear_pointer (&n, json_node_unref);
  n = parse ("{\"refund_id\":\"5\"}");
  g_assert_null (till_wxpay_refund_new_from_json (n, 200, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_clear_pointer (&n, json_node_unref);

  n = parse ("{\"hash_type\":\"SHA1\",\"hash_value\":\"ab\",\"download_url\":\"https://x/v3/billdownload/file?token=1\"}");
  b = till_wxpay_bill_new_from_json (n, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (b->gzip);
  g_assert_cmpstr (b->download_url, ==, "https://x/v3/billdownload/file?token=1");
  g_clear_pointer (&n, json_node_unref);
  n = parse ("{\"hash_type\":\"SHA1\",\"hash_value\":\"ab\"}");
  g_assert_null (till_wxpay_bill_new_from_json (n, TRUE, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_clear_pointer (&n, json_node_unref);

  for (int s = TILL_WXPAY_TRADE_STATE_SUCCESS; s <= TILL_WXPAY_TRADE_STATE_PAYERROR; s++)
    g_assert_cmpint (till_wxpay_trade_state_from_string (till_wxpay_trade_state_to_string (s)), ==, s);
  for (int s = TILL_WXPAY_REFUND_STATUS_SUCCESS; s <= TILL_WXPAY_REFUND_STATUS_ABNORMAL; s++)
    g_assert_cmpint (till_wxpay_refund_status_from_string (till_wxpay_refund_status_to_string (s)), ==, s);
}

/* A 2xx body of white space parses as JSON without a root: a protocol error, not a
 * critical (found by fuzz-wxpay-answer). */
static void
test_body_json (void)
{
  const char *bad[] = { "", " ", "\t\r\n ", "{", "nul" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) body = g_bytes_new (bad[i], strlen (bad[i]));
      g_autoptr(GError) error = NULL;

      g_assert_null (till_wxpay_parse_json_body (body, 200, &error));
      g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROTOCOL);
    }
  {
    g_autoptr(GBytes) body = g_bytes_new_static (" {\"a\":1} ", 9);
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) root = till_wxpay_parse_json_body (body, 200, &error);

    g_assert_no_error (error);
    g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  }
}

/* An error body's code and message are strings only when they are strings: the fuzz run
 * found a message that was an object, which json-glib's getters met with a critical. */
static void
test_problem_shapes (void)
{
  const struct { const char *body, *code, *message; } cases[] = {
    { "{\"code\":\"PARAM_ERROR\",\"message\":\"bad amount\"}", "PARAM_ERROR", "bad amount" },
    { "{\"code\":\"PARAM_ERROR\",\"message\":{\"field\":\"x\"}}", "PARAM_ERROR", NULL },
    { "{\"code\":[1,2],\"message\":null}", NULL, NULL },
    { "{\"code\":7,\"message\":true}", NULL, NULL },
    { "[\"code\"]", NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) body = g_bytes_new (cases[i].body, strlen (cases[i].body));
      g_autofree char *code = NULL, *message = NULL;

      till_wxpay_parse_problem (body, &code, &message);
      g_assert_cmpstr (code, ==, cases[i].code);
      g_assert_cmpstr (message, ==, cases[i].message);
    }
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  key = till_rsa_key_generate (&error);
  g_assert_no_error (error);

  g_test_add_func ("/wxpay-client-unit/loopback", test_loopback);
  g_test_add_func ("/wxpay-client-unit/config", test_config);
  g_test_add_func ("/wxpay-client-unit/timeout-property", test_timeout_property);
  g_test_add_func ("/wxpay-client-unit/out-trade-no", test_out_trade_no);
  g_test_add_func ("/wxpay-client-unit/error-classes", test_error_classes);
  g_test_add_func ("/wxpay-client-unit/decode", test_decode);
  g_test_add_func ("/wxpay-client-unit/body-json", test_body_json);
  g_test_add_func ("/wxpay-client-unit/problem-shapes", test_problem_shapes);

  ret = g_test_run ();
  till_rsa_key_unref (key);
  return ret;
}
