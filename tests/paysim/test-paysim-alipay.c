/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's Alipay side against its contract (alipay.md §11), with requests built by
 * hand: the state dir's files, the answer's form (HTTP 200, text/html, the response object
 * signed over its exact bytes, '\/' in the sign), every gateway check, the amount and
 * idempotency rules, the fault control, the ledger view, the bill ZIP. */
#define G_LOG_DOMAIN "test-paysim-alipay"
#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "till-alipay-bill.h"
#include "till-clock.h"
#include "till-test-alipay.h"

typedef struct
{
  TillTestPaysim *sim;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  const char *args[] = { "--password-delay-ms", "300", NULL };
  g_autoptr(GError) error = NULL;

  f->sim = till_test_paysim_start (args, &error);
  g_assert_no_error (error);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  till_test_paysim_free (f->sim);
}

static char *
pay_biz (const char *otn,
         const char *auth_code,
         const char *amount)
{
  return g_strdup_printf ("{\"out_trade_no\":\"%s\",\"scene\":\"bar_code\",\"auth_code\":\"%s\","
                          "\"subject\":\"Tillpoint 测试\",\"total_amount\":\"%s\","
                          "\"store_id\":\"S01\",\"terminal_id\":\"POS01\"}",
                          otn, auth_code, amount);
}

static char *
otn_biz (const char *otn)
{
  return g_strdup_printf ("{\"out_trade_no\":\"%s\"}", otn);
}

static TillTestAlipayAnswer *
send (Fixture                     *f,
      const TillTestAlipayRequest *request)
{
  g_autoptr(GError) error = NULL;
  TillTestAlipayAnswer *answer = till_test_alipay_send (f->sim, request, &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  return answer;
}

static TillTestAlipayAnswer *
call (Fixture    *f,
      const char *method,
      const char *biz)
{
  TillTestAlipayRequest request = { .method = method, .biz_content = biz };

  return send (f, &request);
}

/* Every answer, refusals included: HTTP 200, text/html, signed over its exact bytes. */
static void
assert_signed_answer (TillTestAlipayAnswer *a,
                      const char           *root_key)
{
  g_assert_cmpuint (a->status, ==, 200);
  g_assert_cmpstr (a->content_type, ==, "text/html;charset=utf-8");
  g_assert_cmpstr (a->root_key, ==, root_key);
  g_assert_true (a->has_sign);
  g_assert_true (a->sign_ok);
}

static void
assert_refusal (TillTestAlipayAnswer *a,
                const char           *root_key,
                const char           *code,
                const char           *sub_code)
{
  g_test_message ("%s", a->text);
  assert_signed_answer (a, root_key);
  g_assert_cmpstr (till_test_alipay_code (a), ==, code);
  g_assert_cmpstr (till_test_alipay_sub_code (a), ==, sub_code);
}

/* ---------------------------------------------------------------- the state dir */

static void
test_state_files (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *const keys[] = {
    "alipay_app_private_key.pem", "alipay_app_public_key.pem",
    "alipay_platform_private_key.pem", "alipay_platform_public_key.pem",
  };
  g_autofree char *app_id = till_test_paysim_read_line (f->sim, "alipay_app_id");
  g_autofree char *pid = till_test_paysim_read_line (f->sim, "alipay_pid");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *path = till_test_paysim_dup_path (f->sim, "alipay_app_private_key.pem");
  struct stat st;

  g_assert_cmpstr (app_id, ==, TILL_TEST_PAYSIM_ALIPAY_APP_ID);
  g_assert_cmpstr (pid, ==, TILL_TEST_PAYSIM_ALIPAY_PID);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *p = till_test_paysim_dup_path (f->sim, keys[i]);
      g_autofree char *text = NULL;

      g_assert_true (g_file_get_contents (p, &text, NULL, &error));
      g_assert_nonnull (strstr (text, strstr (keys[i], "private") != NULL
                                      ? "-----BEGIN PRIVATE KEY-----"    /* PKCS#8 */
                                      : "-----BEGIN PUBLIC KEY-----"));
    }
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* kept across a restart */
  g_assert_true (g_file_get_contents (path, &before, NULL, &error));
  g_assert_true (till_test_paysim_restart (f->sim, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &after, NULL, &error));
  g_assert_cmpstr (before, ==, after);
}

/* ---------------------------------------------------------------- the answer's form */

static void
test_answer_form (Fixture *f, gconstpointer data)
{
  g_autofree char *otn = till_test_paysim_new_reference ("Q");
  g_autofree char *biz = otn_biz (otn);
  g_autoptr(TillTestAlipayAnswer) a = call (f, "alipay.trade.query", biz);
  const char *sign = strstr (a->text, "\"sign\":\"");
  gsize sign_len;

  assert_refusal (a, "alipay_trade_query_response", "40004", "ACQ.TRADE_NOT_EXIST");
  g_assert_nonnull (a->date);
  /* the sign: full length (344 characters for RSA-2048), '/' written "\/" */
  g_assert_nonnull (sign);
  sign += strlen ("\"sign\":\"");
  sign_len = strchr (sign, '"') - sign;
  {
    gsize base64_len = 0;

    for (gsize i = 0; i < sign_len; i++)
      {
        if (sign[i] == '/')
          g_assert_cmpint (sign[i - 1], ==, '\\');
        if (sign[i] != '\\')
          base64_len++;
      }
    g_assert_cmpuint (base64_len, ==, 344);
  }
  /* the signed object is the exact text between the key and the sign */
  g_assert_nonnull (strstr (a->text, a->signed_text));
}

/* ---------------------------------------------------------------- the gateway's checks */

static void
test_gateway_checks (Fixture *f, gconstpointer data)
{
  g_autofree char *otn = till_test_paysim_new_reference ("G");
  g_autofree char *biz = otn_biz (otn);
  g_autoptr(GError) error = NULL;
  const char *q = "alipay_trade_query_response";
  static const struct
  {
    const char *what;
    const char *set[5];
    const char *code;
    const char *sub_code;
  } cases[] = {
    { "app_id missing", { "app_id", NULL }, "40001", "isv.missing-app-id" },
    { "another app_id", { "app_id", "2021000199999999" }, "40002", "isv.invalid-app-id" },
    { "format XML", { "format", "XML" }, "40002", "isv.invalid-format" },
    { "charset GBK", { "charset", "GBK" }, "40002", "isv.invalid-charset" },
    { "sign_type missing", { "sign_type", NULL }, "40001", "isv.missing-signature-type" },
    { "sign_type RSA", { "sign_type", "RSA" }, "40002", "isv.invalid-signature-type" },
    { "timestamp missing", { "timestamp", NULL }, "40001", "isv.missing-timestamp" },
    { "timestamp malformed", { "timestamp", "2024/05/20 13:14:15" }, "40002",
      "isv.invalid-timestamp" },
    { "version missing", { "version", NULL }, "40001", "isv.missing-version" },
    { "biz_content not JSON", { "biz_content", "{out_trade_no:" }, "40002", "isv.illegal-json" },
    /* white space parses as JSON without a root (found by fuzz-paysim-request) */
    { "biz_content white space", { "biz_content", " \n" }, "40002", "isv.illegal-json" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TillTestAlipayRequest r = { .method = "alipay.trade.query", .biz_content = biz,
                                  .set = cases[i].set };
      g_autoptr(TillTestAlipayAnswer) a = NULL;

      g_test_message ("case: %s", cases[i].what);
      a = send (f, &r);
      assert_refusal (a, q, cases[i].code, cases[i].sub_code);
    }

  /* no method: the old-style error_response */
  {
    TillTestAlipayRequest r = { .method = NULL, .biz_content = biz };
    g_autoptr(TillTestAlipayAnswer) a = send (f, &r);

    assert_refusal (a, "error_response", "40001", "isv.missing-method");
  }
  /* an unknown method answers under its own name */
  {
    g_autoptr(TillTestAlipayAnswer) a = call (f, "alipay.trade.teleport", biz);

    assert_refusal (a, "alipay_trade_teleport_response", "40002", "isv.invalid-method");
  }
  /* no sign; a sign made with another key; a parameter changed after signing */
  {
    TillTestAlipayRequest r = { .method = "alipay.trade.query", .biz_content = biz,
                                .no_sign = TRUE };
    g_autoptr(TillTestAlipayAnswer) a = send (f, &r);

    assert_refusal (a, q, "40001", "isv.missing-signature");
  }
  {
    g_autofree char *wx = till_test_paysim_dup_path (f->sim, "merchant_private_key.pem");
    g_autoptr(TillRsaKey) other = till_rsa_key_load_private_file (wx, &error);
    TillTestAlipayRequest r = { .method = "alipay.trade.query", .biz_content = biz,
                                .sign_key = other };
    g_autoptr(TillTestAlipayAnswer) a = NULL;

    g_assert_no_error (error);
    a = send (f, &r);
    assert_refusal (a, q, "40002", "isv.invalid-signature");
  }
  {
    const char *tamper[] = { "timestamp", "2001-01-01 00:00:00", NULL };
    TillTestAlipayRequest r = { .method = "alipay.trade.query", .biz_content = biz,
                                .tamper = tamper };
    g_autoptr(TillTestAlipayAnswer) a = send (f, &r);

    /* the timestamp is checked first: 25 years off */
    assert_refusal (a, q, "40002", "isv.invalid-timestamp");
  }
  {
    g_autofree char *other_biz = otn_biz ("SOMEONE_ELSES");
    const char *tamper[] = { "biz_content", other_biz, NULL };
    TillTestAlipayRequest r = { .method = "alipay.trade.query", .biz_content = biz,
                                .tamper = tamper };
    g_autoptr(TillTestAlipayAnswer) a = send (f, &r);

    assert_refusal (a, q, "40002", "isv.invalid-signature");
  }
  /* the clock: 20 minutes off is refused, 10 minutes is taken */
  {
    TillTestAlipayRequest r = { .method = "alipay.trade.query", .biz_content = biz,
                                .timestamp_offset_s = 20 * 60 };
    g_autoptr(TillTestAlipayAnswer) a = send (f, &r);

    assert_refusal (a, q, "40002", "isv.invalid-timestamp");
  }
  {
    TillTestAlipayRequest r = { .method = "alipay.trade.query", .biz_content = biz,
                                .timestamp_offset_s = -10 * 60 };
    g_autoptr(TillTestAlipayAnswer) a = send (f, &r);

    assert_refusal (a, q, "40004", "ACQ.TRADE_NOT_EXIST");
  }
  /* query and body merged: the same value twice is fine, two values are refused */
  {
    const char *again[] = { "biz_content", biz, NULL };
    TillTestAlipayRequest r = { .method = "alipay.trade.query", .biz_content = biz,
                                .query_only = again };
    g_autoptr(TillTestAlipayAnswer) a = send (f, &r);

    assert_refusal (a, q, "40004", "ACQ.TRADE_NOT_EXIST");
  }
  {
    g_autofree char *other_biz = otn_biz ("OTHER");
    const char *twice[] = { "biz_content", other_biz, NULL };
    TillTestAlipayRequest r = { .method = "alipay.trade.query", .biz_content = biz,
                                .query_only = twice };
    g_autoptr(TillTestAlipayAnswer) a = send (f, &r);

    assert_refusal (a, q, "40002", "isv.invalid-parameter");
  }
  /* everything in the body, and no format parameter (as the Node SDK sends): taken */
  {
    const char *no_format[] = { "format", NULL, NULL };
    TillTestAlipayRequest r = { .method = "alipay.trade.query", .biz_content = biz,
                                .all_in_body = TRUE, .set = no_format };
    g_autoptr(TillTestAlipayAnswer) a = send (f, &r);

    assert_refusal (a, q, "40004", "ACQ.TRADE_NOT_EXIST");
  }
}

/* ---------------------------------------------------------------- amounts, numbers, retries */

static void
test_pay_rules (Fixture *f, gconstpointer data)
{
  g_autofree char *otn = till_test_paysim_new_reference ("P");
  g_autofree char *code = till_test_paysim_alipay_auth_code ("0000");
  const char *p = "alipay_trade_pay_response";
  static const struct
  {
    const char *amount;
    const char *sub_code;
  } amounts[] = {
    { "1.5", "ACQ.INVALID_PARAMETER" }, { "1", "ACQ.INVALID_PARAMETER" },
    { "0.00", "ACQ.INVALID_PARAMETER" }, { "-1.00", "ACQ.INVALID_PARAMETER" },
    { "1.005", "ACQ.INVALID_PARAMETER" }, { "100000000.01", "ACQ.TOTAL_FEE_EXCEED" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (amounts); i++)
    {
      g_autofree char *biz = pay_biz (otn, code, amounts[i].amount);
      g_autoptr(TillTestAlipayAnswer) a = call (f, "alipay.trade.pay", biz);

      assert_refusal (a, p, "40004", amounts[i].sub_code);
    }
  /* a subject with / = &, an order number with '-' */
  {
    g_autofree char *biz = g_strdup_printf ("{\"out_trade_no\":\"%s\",\"scene\":\"bar_code\","
                                            "\"auth_code\":\"%s\",\"subject\":\"a/b\","
                                            "\"total_amount\":\"1.00\"}", otn, code);
    g_autoptr(TillTestAlipayAnswer) a = call (f, "alipay.trade.pay", biz);

    assert_refusal (a, p, "40004", "ACQ.INVALID_PARAMETER");
  }
  {
    g_autofree char *biz = pay_biz ("T-1", code, "1.00");
    g_autoptr(TillTestAlipayAnswer) a = call (f, "alipay.trade.pay", biz);

    assert_refusal (a, p, "40004", "ACQ.INVALID_PARAMETER");
  }
  /* a WeChat code is no Alipay code */
  {
    g_autofree char *wx = till_test_paysim_auth_code ("0000");
    g_autofree char *biz = pay_biz (otn, wx, "1.00");
    g_autoptr(TillTestAlipayAnswer) a = call (f, "alipay.trade.pay", biz);

    assert_refusal (a, p, "40004", "ACQ.PAYMENT_AUTH_CODE_INVALID");
  }

  /* paid; the same request again says so; other parameters are another request */
  {
    g_autofree char *biz = pay_biz (otn, code, "12.34");
    g_autofree char *other = pay_biz (otn, code, "12.35");
    g_autoptr(TillTestAlipayAnswer) a = call (f, "alipay.trade.pay", biz);
    g_autoptr(TillTestAlipayAnswer) again = NULL;
    g_autoptr(TillTestAlipayAnswer) changed = NULL;

    assert_signed_answer (a, p);
    g_assert_cmpstr (till_test_alipay_code (a), ==, "10000");
    g_assert_cmpstr (json_object_get_string_member (a->response, "total_amount"), ==, "12.34");
    g_assert_cmpstr (json_object_get_string_member (a->response, "out_trade_no"), ==, otn);
    g_assert_cmpuint (strlen (json_object_get_string_member (a->response, "trade_no")), ==, 28);
    again = call (f, "alipay.trade.pay", biz);
    assert_refusal (again, p, "40004", "ACQ.TRADE_HAS_SUCCESS");
    changed = call (f, "alipay.trade.pay", other);
    assert_refusal (changed, p, "40004", "ACQ.CONTEXT_INCONSISTENT");
  }
  /* the same code under another number: used */
  {
    g_autofree char *otn2 = till_test_paysim_new_reference ("P");
    g_autofree char *biz = pay_biz (otn2, code, "12.34");
    g_autoptr(TillTestAlipayAnswer) a = call (f, "alipay.trade.pay", biz);

    assert_refusal (a, p, "40004", "ACQ.PAYMENT_AUTH_CODE_INVALID");
  }
  /* waiting: 10003 again for the same request */
  {
    g_autofree char *otn3 = till_test_paysim_new_reference ("P");
    g_autofree char *code3 = till_test_paysim_alipay_auth_code ("6666");
    g_autofree char *biz = pay_biz (otn3, code3, "5.00");
    g_autoptr(TillTestAlipayAnswer) a = call (f, "alipay.trade.pay", biz);
    g_autoptr(TillTestAlipayAnswer) again = call (f, "alipay.trade.pay", biz);
    g_autofree char *cancel_biz = otn_biz (otn3);
    g_autoptr(TillTestAlipayAnswer) cancelled = call (f, "alipay.trade.cancel", cancel_biz);
    g_autoptr(TillTestAlipayAnswer) closed = call (f, "alipay.trade.pay", biz);

    g_assert_cmpstr (till_test_alipay_code (a), ==, "10003");
    g_assert_cmpstr (json_object_get_string_member (a->response, "msg"), ==,
                     " order success pay inprocess");
    g_assert_cmpstr (till_test_alipay_code (again), ==, "10003");
    g_assert_cmpstr (json_object_get_string_member (cancelled->response, "action"), ==, "close");
    assert_refusal (closed, p, "40004", "ACQ.TRADE_HAS_CLOSE");
  }
  /* a number cancelled before any trade: a late pay is refused */
  {
    g_autofree char *otn4 = till_test_paysim_new_reference ("P");
    g_autofree char *code4 = till_test_paysim_alipay_auth_code ("0000");
    g_autofree char *cancel_biz = otn_biz (otn4);
    g_autofree char *biz = pay_biz (otn4, code4, "5.00");
    g_autoptr(TillTestAlipayAnswer) cancelled = call (f, "alipay.trade.cancel", cancel_biz);
    g_autoptr(TillTestAlipayAnswer) late = NULL;

    assert_signed_answer (cancelled, "alipay_trade_cancel_response");
    g_assert_cmpstr (till_test_alipay_code (cancelled), ==, "10000");
    g_assert_cmpstr (json_object_get_string_member (cancelled->response, "retry_flag"), ==, "N");
    g_assert_false (json_object_has_member (cancelled->response, "action"));
    late = call (f, "alipay.trade.pay", biz);
    assert_refusal (late, p, "40004", "ACQ.TRADE_HAS_CLOSE");
  }
  /* above ¥1000.00 a plain success asks for the password (10003) */
  {
    g_autofree char *otn5 = till_test_paysim_new_reference ("P");
    g_autofree char *code5 = till_test_paysim_alipay_auth_code ("0000");
    g_autofree char *biz = pay_biz (otn5, code5, "1000.01");
    g_autoptr(TillTestAlipayAnswer) a = call (f, "alipay.trade.pay", biz);

    g_assert_cmpstr (till_test_alipay_code (a), ==, "10003");
  }
}

/* ---------------------------------------------------------------- faults' control */

static void
test_fault_control (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  guint status;

  /* Alipay's own kinds, and a method filter, are for the gateway only */
  status = till_test_paysim_control (f->sim, "POST", "/_sim/faults",
                                     "{\"path_prefix\":\"/v3/\",\"kind\":\"unknown\"}", NULL,
                                     &error);
  g_assert_cmpuint (status, ==, 400);
  status = till_test_paysim_control (f->sim, "POST", "/_sim/faults",
                                     "{\"path_prefix\":\"/v3/\",\"kind\":\"drop\","
                                     "\"method\":\"alipay.trade.pay\"}", NULL, &error);
  g_assert_cmpuint (status, ==, 400);
  status = till_test_paysim_control (f->sim, "POST", "/_sim/faults",
                                     "{\"path_prefix\":\"/gateway.do\",\"kind\":\"teleport\"}",
                                     NULL, &error);
  g_assert_cmpuint (status, ==, 400);
  g_assert_no_error (error);

  /* a fault for one method leaves the others alone */
  g_assert_true (till_test_paysim_arm_alipay_fault (f->sim, "alipay.trade.close", "status", 0,
                                                    502, 1, &error));
  g_assert_no_error (error);
  {
    g_autofree char *biz = otn_biz ("NOPE");
    g_autoptr(TillTestAlipayAnswer) q = call (f, "alipay.trade.query", biz);
    g_autoptr(TillTestAlipayAnswer) c = call (f, "alipay.trade.close", biz);

    assert_refusal (q, "alipay_trade_query_response", "40004", "ACQ.TRADE_NOT_EXIST");
    g_assert_cmpuint (c->status, ==, 502);
    g_assert_null (c->root_key);
  }
  /* nosig: the answer has no sign member */
  g_assert_true (till_test_paysim_arm_alipay_fault (f->sim, NULL, "nosig", 0, 0, 1, &error));
  {
    g_autofree char *biz = otn_biz ("NOPE");
    g_autoptr(TillTestAlipayAnswer) q = call (f, "alipay.trade.query", biz);

    g_assert_cmpstr (q->root_key, ==, "alipay_trade_query_response");
    g_assert_false (q->has_sign);
    g_assert_null (strstr (q->text, "\"sign\""));
  }
}

/* ---------------------------------------------------------------- the ledger view */

static JsonObject *
ledger_entry (Fixture    *f,
              const char *otn)
{
  g_autoptr(GError) error = NULL;
  JsonObject *o = till_test_paysim_ledger_order (f->sim, otn, &error);

  g_assert_no_error (error);
  g_assert_nonnull (o);
  return o;
}

static void
test_ledger (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("L");
  g_autofree char *code = till_test_paysim_alipay_auth_code ("0000");
  g_autofree char *biz = pay_biz (otn, code, "20.00");
  g_autofree char *refund = g_strdup_printf ("{\"out_trade_no\":\"%s\",\"refund_amount\":\"5.00\","
                                             "\"out_request_no\":\"R1\"}", otn);
  g_autoptr(TillTestAlipayAnswer) a = call (f, "alipay.trade.pay", biz);
  g_autoptr(TillTestAlipayAnswer) r = call (f, "alipay.trade.refund", refund);
  g_autoptr(JsonObject) o = ledger_entry (f, otn);
  g_autofree char *wx_otn = till_test_paysim_new_reference ("W");
  g_autofree char *wx_code = till_test_paysim_auth_code ("0000");
  g_autofree char *wx_body = till_test_paysim_codepay_body (f->sim, wx_otn, wx_code, 100);
  g_autoptr(TillTestPaysimAnswer) wx = till_test_paysim_call (f->sim, "POST",
                                                              "/v3/pay/transactions/codepay",
                                                              wx_body, &error);
  g_autoptr(JsonObject) w = NULL;
  JsonArray *refunds;

  g_assert_no_error (error);
  g_assert_cmpstr (till_test_alipay_code (a), ==, "10000");
  g_assert_cmpstr (json_object_get_string_member (r->response, "fund_change"), ==, "Y");
  g_assert_cmpstr (json_object_get_string_member (o, "provider"), ==, "alipay");
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "TRADE_SUCCESS");
  g_assert_cmpstr (json_object_get_string_member (o, "transaction_id"), ==,
                   json_object_get_string_member (a->response, "trade_no"));
  g_assert_cmpint (json_object_get_int_member (o, "total"), ==, 2000);
  g_assert_cmpint (json_object_get_int_member (o, "charged"), ==, 2000);
  g_assert_cmpint (json_object_get_int_member (o, "refunded"), ==, 500);
  g_assert_cmpint (json_object_get_int_member (o, "net"), ==, 1500);
  g_assert_true (json_object_get_boolean_member (o, "was_paid"));
  g_assert_false (json_object_get_boolean_member (o, "reversed_after_payment"));
  refunds = json_object_get_array_member (o, "refunds");
  g_assert_cmpuint (json_array_get_length (refunds), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (refunds, 0),
                                                  "out_refund_no"), ==, "R1");

  w = ledger_entry (f, wx_otn);
  g_assert_cmpuint (wx->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (w, "provider"), ==, "wechat");
}

/* ---------------------------------------------------------------- the bill */

static char *
beijing_date (gint days)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, days);

  return g_date_time_format (day, "%Y-%m-%d");
}

static guint
le16 (const guint8 *p)
{
  return p[0] | (p[1] << 8);
}

static gboolean
all_detail (const char *name)
{
  return TRUE;
}

static void
test_bill (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *today = beijing_date (0);
  g_autofree char *yesterday = beijing_date (-1);
  g_autofree char *otn = till_test_paysim_new_reference ("B");
  g_autofree char *code = till_test_paysim_alipay_auth_code ("0000");
  g_autofree char *biz = pay_biz (otn, code, "8.80");
  g_autofree char *today_biz = g_strdup_printf ("{\"bill_type\":\"trade\",\"bill_date\":\"%s\"}",
                                                today);
  g_autofree char *yesterday_biz = g_strdup_printf ("{\"bill_type\":\"trade\","
                                                    "\"bill_date\":\"%s\"}", yesterday);
  const char *m = "alipay.data.dataservice.bill.downloadurl.query";
  const char *k = "alipay_data_dataservice_bill_downloadurl_query_response";
  g_autoptr(TillTestAlipayAnswer) paid = call (f, "alipay.trade.pay", biz);
  g_autoptr(TillTestAlipayAnswer) not_yet = call (f, m, today_biz);
  g_autoptr(TillTestAlipayAnswer) none = call (f, m, yesterday_biz);
  g_autoptr(TillTestAlipayAnswer) ready = NULL;
  g_autoptr(SoupMessage) get = NULL;
  g_autoptr(GBytes) zip = NULL;
  g_autoptr(GBytes) detail = NULL;
  g_autofree char *name = NULL;
  const char *url;
  const guint8 *bytes;
  gsize len;

  g_assert_cmpstr (till_test_alipay_code (paid), ==, "10000");
  /* never today (T+1), and a day without a trade has no bill */
  assert_refusal (not_yet, k, "40004", "invalid_arguments");
  assert_refusal (none, k, "40004", "isp.bill_not_exist");

  /* released by the control API (shared with WeChat Pay's bills): a download address */
  g_assert_true (till_test_paysim_release_bill (f->sim, today, &error));
  g_assert_no_error (error);
  ready = call (f, m, today_biz);
  assert_signed_answer (ready, k);
  url = json_object_get_string_member (ready->response, "bill_download_url");
  g_assert_true (g_str_has_prefix (url, till_test_paysim_get_base_url (f->sim)));
  g_assert_nonnull (strstr (url, "/_sim/alipaybill/"));

  get = soup_message_new ("GET", url);
  zip = till_test_paysim_send_raw (f->sim, get, 15000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (get), ==, 200);
  /* the entry names: GBK, without the UTF-8 flag (bit 11) */
  bytes = g_bytes_get_data (zip, &len);
  g_assert_cmpuint (len, >, 30);
  g_assert_cmpuint (bytes[0], ==, 'P');
  g_assert_cmpuint (bytes[1], ==, 'K');
  g_assert_cmpuint (le16 (bytes + 6) & 0x0800, ==, 0);
  {
    g_autofree char *gbk = g_convert ("业务明细", -1, "GBK", "UTF-8", NULL, NULL, NULL);
    gboolean found = FALSE;

    for (gsize i = 0; i + strlen (gbk) <= len && !found; i++)
      found = memcmp (bytes + i, gbk, strlen (gbk)) == 0;
    g_assert_true (found);
  }
  detail = till_alipay_zip_extract (zip, till_alipay_bill_is_detail, &name, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (name, TILL_TEST_PAYSIM_ALIPAY_PID "0156_"));
  g_assert_true (g_str_has_suffix (name, "_业务明细.csv"));
  {
    gsize n = 0;
    const char *csv = g_bytes_get_data (detail, &n);
    g_autofree char *utf8 = g_convert (csv, n, "UTF-8", "GBK", NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (strstr (utf8, "#支付宝业务明细查询\r\n"));
    g_assert_nonnull (strstr (utf8, otn));
    g_assert_nonnull (strstr (utf8, "\t,交易\t,"));
    g_assert_nonnull (strstr (utf8, ",8.80,8.80,"));
    g_assert_nonnull (strstr (utf8, "#交易合计：1笔，商家实收共8.80元"));
  }
  {
    g_autoptr(GBytes) both = till_alipay_zip_extract (zip, all_detail, NULL, &error);

    g_assert_no_error (error);
  }

  /* the address is good for 30 s of the simulator's clock */
  g_assert_true (till_test_paysim_set_clock (f->sim, 31, &error));
  g_assert_no_error (error);
  {
    g_autoptr(SoupMessage) late = soup_message_new ("GET", url);
    g_autoptr(GBytes) gone = till_test_paysim_send_raw (f->sim, late, 15000, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (late), ==, 404);
  }
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/paysim-alipay/state-files", Fixture, NULL, setup, test_state_files, teardown);
  g_test_add ("/paysim-alipay/answer-form", Fixture, NULL, setup, test_answer_form, teardown);
  g_test_add ("/paysim-alipay/gateway-checks", Fixture, NULL, setup, test_gateway_checks,
              teardown);
  g_test_add ("/paysim-alipay/pay-rules", Fixture, NULL, setup, test_pay_rules, teardown);
  g_test_add ("/paysim-alipay/fault-control", Fixture, NULL, setup, test_fault_control,
              teardown);
  g_test_add ("/paysim-alipay/ledger", Fixture, NULL, setup, test_ledger, teardown);
  g_test_add ("/paysim-alipay/bill", Fixture, NULL, setup, test_bill, teardown);
  return g_test_run ();
}
