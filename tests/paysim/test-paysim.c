/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Integration tests of tillpoint-paysim over real HTTP on 127.0.0.1: signatures, codepay
 * outcomes by auth-code ending, idempotency, reverse, close, Native, refunds, faults,
 * the ledger and the clock. */
#define G_LOG_DOMAIN "till-test"

#include "config.h"

#include <string.h>

#include "till-test-paysim.h"

static TillTestPaysim *sim;  /* shared, --password-delay-ms 300 */

#define CODEPAY "/v3/pay/transactions/codepay"

static TillTestPaysimAnswer *
codepay (const char *out_trade_no,
         const char *ending,
         gint64      total)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = till_test_paysim_auth_code (ending);
  g_autofree char *body = till_test_paysim_codepay_body (sim, out_trade_no, code, total);
  TillTestPaysimAnswer *answer = till_test_paysim_call (sim, "POST", CODEPAY, body, &error);

  g_assert_no_error (error);
  return answer;
}

static TillTestPaysimAnswer *
query (const char *out_trade_no)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/v3/pay/transactions/out-trade-no/%s?mchid=%s",
                                           out_trade_no, till_test_paysim_get_mchid (sim));
  TillTestPaysimAnswer *answer = till_test_paysim_call (sim, "GET", path, NULL, &error);

  g_assert_no_error (error);
  return answer;
}

static TillTestPaysimAnswer *
reverse (const char *out_trade_no)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/v3/pay/transactions/out-trade-no/%s/reverse", out_trade_no);
  g_autofree char *body = g_strdup_printf ("{\"appid\":\"%s\",\"mchid\":\"%s\"}",
                                           till_test_paysim_get_appid (sim),
                                           till_test_paysim_get_mchid (sim));
  TillTestPaysimAnswer *answer = till_test_paysim_call (sim, "POST", path, body, &error);

  g_assert_no_error (error);
  return answer;
}

static const char *
json_str (TillTestPaysimAnswer *a,
          const char           *member)
{
  g_assert_nonnull (a->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (a->json));
  return json_object_get_string_member_with_default (json_node_get_object (a->json), member, NULL);
}

static void
assert_error (TillTestPaysimAnswer *a,
              guint                 status,
              const char           *code)
{
  g_assert_cmpuint (a->status, ==, status);
  g_assert_cmpstr (json_str (a, "code"), ==, code);
  g_assert_nonnull (json_str (a, "message"));
  g_assert_cmpstr (json_str (a, "message"), !=, "");
}

static void
assert_state (const char *out_trade_no,
              const char *state)
{
  g_autoptr(TillTestPaysimAnswer) q = query (out_trade_no);

  g_assert_cmpuint (q->status, ==, 200);
  g_assert_true (q->signature_ok);
  g_assert_cmpstr (json_str (q, "trade_state"), ==, state);
}

static JsonObject *
ledger_order (const char *out_trade_no)
{
  g_autoptr(GError) error = NULL;
  JsonObject *o = till_test_paysim_ledger_order (sim, out_trade_no, &error);

  g_assert_no_error (error);
  g_assert_nonnull (o);
  return o;
}

/* ---- signatures ---- */

static void
test_unsigned_rejected (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("U");
  g_autofree char *code = till_test_paysim_auth_code ("0000");
  g_autofree char *body = till_test_paysim_codepay_body (sim, otn, code, 100);
  TillTestPaysimRequest req = { .method = "POST", .path = CODEPAY, .body = body, .unsigned_request = TRUE };
  g_autoptr(TillTestPaysimAnswer) a = till_test_paysim_send (sim, &req, &error);
  g_autoptr(JsonObject) o = NULL;

  g_assert_no_error (error);
  assert_error (a, 401, "SIGN_ERROR");
  /* Errors are signed answers too. */
  g_assert_true (a->signature_ok);
  o = till_test_paysim_ledger_order (sim, otn, &error);
  g_assert_no_error (error);
  g_assert_null (o);
}

static void
test_wrong_key_rejected (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillRsaKey) other = till_rsa_key_generate (&error);
  g_autofree char *path = g_strdup_printf ("/v3/pay/transactions/out-trade-no/NOPE000001?mchid=%s",
                                           till_test_paysim_get_mchid (sim));
  TillTestPaysimRequest req = { .method = "GET", .path = path, .sign_key = other };
  g_autoptr(TillTestPaysimAnswer) a = NULL;

  g_assert_no_error (error);
  a = till_test_paysim_send (sim, &req, &error);
  g_assert_no_error (error);
  assert_error (a, 401, "SIGN_ERROR");
}

static void
test_stale_timestamp_rejected (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/v3/pay/transactions/out-trade-no/NOPE000001?mchid=%s",
                                           till_test_paysim_get_mchid (sim));
  TillTestPaysimRequest req = { .method = "GET", .path = path, .timestamp_offset_s = -301 };
  g_autoptr(TillTestPaysimAnswer) a = till_test_paysim_send (sim, &req, &error);
  g_autoptr(TillTestPaysimAnswer) b = NULL;
  g_autoptr(TillTestPaysimAnswer) c = NULL;

  g_assert_no_error (error);
  assert_error (a, 401, "SIGN_ERROR");
  req.timestamp_offset_s = 301;
  b = till_test_paysim_send (sim, &req, &error);
  g_assert_no_error (error);
  assert_error (b, 401, "SIGN_ERROR");
  /* Inside the window the request is verified and reaches the handler. */
  req.timestamp_offset_s = -200;
  c = till_test_paysim_send (sim, &req, &error);
  g_assert_no_error (error);
  assert_error (c, 404, "ORDER_NOT_EXIST");
}

static void
test_wrong_serial_rejected (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/v3/pay/transactions/out-trade-no/NOPE000001?mchid=%s",
                                           till_test_paysim_get_mchid (sim));
  TillTestPaysimRequest req = { .method = "GET", .path = path,
                                .serial_no = "0000000000000000000000000000000000000000" };
  g_autoptr(TillTestPaysimAnswer) a = till_test_paysim_send (sim, &req, &error);

  g_assert_no_error (error);
  assert_error (a, 401, "SIGN_ERROR");
}

static void
test_tampered_query_rejected (void)
{
  /* The query string is part of the signed URL: signing one URL and sending another fails. */
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/v3/pay/transactions/out-trade-no/NOPE000001?mchid=%s",
                                           till_test_paysim_get_mchid (sim));
  g_autofree char *pem_path = till_test_paysim_dup_path (sim, "merchant_private_key.pem");
  g_autoptr(TillRsaKey) key = till_rsa_key_load_private_file (pem_path, &error);
  g_autofree char *nonce = till_wxpay_nonce_new ();
  gint64 ts = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *msg_text = till_wxpay_request_message ("GET", "/v3/pay/transactions/out-trade-no/NOPE000001",
                                                          ts, nonce, NULL, 0);
  g_autofree char *sig = till_rsa_sign_base64 (key, msg_text, strlen (msg_text), &error);
  g_autofree char *serial = till_test_paysim_read_line (sim, "merchant_serial");
  g_autofree char *auth = till_wxpay_authorization_build (till_test_paysim_get_mchid (sim), nonce, ts,
                                                          serial, sig);
  g_autofree char *url = g_strconcat (till_test_paysim_get_base_url (sim), path, NULL);
  g_autoptr(SoupSession) session = till_test_paysim_new_session (sim);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *body = NULL;

  g_assert_no_error (error);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
  /* A body is not NUL-terminated: copy it before reading it as a string. */
  body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_nonnull (strstr (body, "SIGN_ERROR"));
}

static void
test_answers_signed (void)
{
  g_autofree char *otn = till_test_paysim_new_reference ("S");
  g_autoptr(TillTestPaysimAnswer) a = codepay (otn, "0000", 1234);
  g_autofree char *key_id = till_test_paysim_read_line (sim, "platform_public_key_id");

  g_assert_cmpuint (a->status, ==, 200);
  g_assert_true (a->has_signature);
  g_assert_true (a->signature_ok);
  g_assert_cmpstr (soup_message_headers_get_one (a->headers, "Wechatpay-Serial"), ==, key_id);
  g_assert_nonnull (soup_message_headers_get_one (a->headers, "Request-ID"));
  g_assert_cmpstr (json_str (a, "trade_state"), ==, "SUCCESS");
  g_assert_cmpstr (json_str (a, "trade_type"), ==, "MICROPAY");
  g_assert_cmpstr (json_str (a, "out_trade_no"), ==, otn);
  g_assert_cmpuint (strlen (json_str (a, "transaction_id")), ==, 28);
  g_assert_true (g_str_has_suffix (json_str (a, "success_time"), "+08:00"));
}

/* ---- outcomes ---- */

static void
test_outcome_1111_password (void)
{
  g_autofree char *otn = till_test_paysim_new_reference ("A");
  g_autoptr(TillTestPaysimAnswer) a = codepay (otn, "1111", 500);

  g_assert_cmpuint (a->status, ==, 202);
  g_assert_true (a->signature_ok);
  g_assert_cmpstr (json_str (a, "trade_state"), ==, "USERPAYING");
  assert_state (otn, "USERPAYING");
  g_usleep (450 * 1000); /* --password-delay-ms 300 */
  assert_state (otn, "SUCCESS");
}

static void
test_outcome_2222_not_enough (void)
{
  g_autofree char *otn = till_test_paysim_new_reference ("B");
  g_autoptr(TillTestPaysimAnswer) a = codepay (otn, "2222", 500);
  g_autoptr(JsonObject) o = NULL;

  assert_error (a, 403, "NOT_ENOUGH");
  g_assert_true (a->signature_ok);
  o = ledger_order (otn);
  g_assert_cmpint (json_object_get_int_member (o, "charged"), ==, 0);
  g_assert_false (json_object_get_boolean_member (o, "was_paid"));
}

static void
test_outcome_3333_code_invalid (void)
{
  g_autofree char *otn = till_test_paysim_new_reference ("C");
  g_autoptr(TillTestPaysimAnswer) a = codepay (otn, "3333", 500);
  g_autoptr(JsonObject) o = NULL;

  assert_error (a, 400, "AUTH_CODE_INVALID");
  o = ledger_order (otn);
  g_assert_cmpint (json_object_get_int_member (o, "charged"), ==, 0);
}

static void
test_outcome_4444_error_but_paid (void)
{
  g_autofree char *otn = till_test_paysim_new_reference ("D");
  g_autoptr(TillTestPaysimAnswer) a = codepay (otn, "4444", 700);
  g_autoptr(TillTestPaysimAnswer) retry = NULL;

  assert_error (a, 500, "SYSTEM_ERROR");
  g_assert_true (a->signature_ok);
  assert_state (otn, "SUCCESS");
  /* A retry with the same parameters answers the order's outcome. */
  retry = codepay (otn, "4444", 700);
  g_assert_cmpuint (retry->status, ==, 400); /* different auth code: new random digits */
  g_assert_cmpstr (json_str (retry, "code"), ==, "INVALID_REQUEST");
}

static void
test_outcome_5555_no_answer (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("E");
  g_autofree char *code = till_test_paysim_auth_code ("5555");
  g_autofree char *body = till_test_paysim_codepay_body (sim, otn, code, 800);
  TillTestPaysimRequest req = { .method = "POST", .path = CODEPAY, .body = body, .timeout_ms = 500 };
  g_autoptr(TillTestPaysimAnswer) a = till_test_paysim_send (sim, &req, &error);
  g_autoptr(TillTestPaysimAnswer) retry = NULL;

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_null (a);
  assert_state (otn, "SUCCESS");
  /* The same request again is answered at once with the current outcome. */
  req.timeout_ms = 5000;
  g_clear_error (&error);
  retry = till_test_paysim_send (sim, &req, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (retry->status, ==, 200);
  g_assert_cmpstr (json_str (retry, "trade_state"), ==, "SUCCESS");
}

static void
test_outcome_6666_forever_then_reverse (void)
{
  g_autofree char *otn = till_test_paysim_new_reference ("F");
  g_autoptr(TillTestPaysimAnswer) a = codepay (otn, "6666", 900);
  g_autoptr(TillTestPaysimAnswer) r = NULL;
  g_autoptr(TillTestPaysimAnswer) again = NULL;
  g_autoptr(JsonObject) o = NULL;

  g_assert_cmpuint (a->status, ==, 202);
  g_usleep (400 * 1000);
  assert_state (otn, "USERPAYING");
  r = reverse (otn);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_true (r->signature_ok);
  g_assert_cmpstr (json_str (r, "out_trade_no"), ==, otn);
  g_assert_cmpstr (json_str (r, "mchid"), ==, till_test_paysim_get_mchid (sim));
  assert_state (otn, "REVOKED");
  again = reverse (otn);
  g_assert_cmpuint (again->status, ==, 200);
  o = ledger_order (otn);
  g_assert_cmpint (json_object_get_int_member (o, "charged"), ==, 0);
}

static void
test_outcome_7777_payerror (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("G");
  g_autoptr(TillTestPaysimAnswer) a = codepay (otn, "7777", 1000);

  g_assert_cmpuint (a->status, ==, 202);
  assert_state (otn, "USERPAYING");
  /* Skip 7 s on the simulator's clock instead of sleeping. */
  till_test_paysim_set_clock (sim, 7, &error);
  g_assert_no_error (error);
  assert_state (otn, "PAYERROR");
  till_test_paysim_set_clock (sim, 0, &error);
  g_assert_no_error (error);
  /* Applied transitions stay applied. */
  assert_state (otn, "PAYERROR");
}

static void
test_outcome_8888_bad_signature (void)
{
  g_autofree char *otn = till_test_paysim_new_reference ("H");
  g_autoptr(TillTestPaysimAnswer) a = codepay (otn, "8888", 1100);
  g_autoptr(TillTestPaysimAnswer) q = NULL;

  g_assert_cmpuint (a->status, ==, 200);
  g_assert_true (a->has_signature);
  g_assert_false (a->signature_ok);
  g_assert_cmpstr (json_str (a, "trade_state"), ==, "SUCCESS");
  q = query (otn);
  g_assert_true (q->signature_ok);
  g_assert_cmpstr (json_str (q, "trade_state"), ==, "SUCCESS");
}

static void
test_outcome_9999_dropped (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("I");
  g_autofree char *code = till_test_paysim_auth_code ("9999");
  g_autofree char *body = till_test_paysim_codepay_body (sim, otn, code, 1200);
  g_autoptr(TillTestPaysimAnswer) a = till_test_paysim_call (sim, "POST", CODEPAY, body, &error);

  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
  g_assert_null (a);
  assert_state (otn, "SUCCESS");
}

static void
test_outcome_default_success (void)
{
  g_autofree char *otn = till_test_paysim_new_reference ("J");
  g_autoptr(TillTestPaysimAnswer) a = codepay (otn, "1234", 1);
  g_autoptr(JsonObject) o = NULL;
  JsonObject *amount;

  g_assert_cmpuint (a->status, ==, 200);
  amount = json_object_get_object_member (json_node_get_object (a->json), "amount");
  g_assert_cmpint (json_object_get_int_member (amount, "total"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (amount, "payer_total"), ==, 1);
  o = ledger_order (otn);
  g_assert_cmpint (json_object_get_int_member (o, "charged"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "SUCCESS");
}

/* ---- validation and idempotency ---- */

static void
test_idempotent_retry (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("K");
  g_autofree char *code = till_test_paysim_auth_code ("0001");
  g_autofree char *body = till_test_paysim_codepay_body (sim, otn, code, 2500);
  g_autoptr(TillTestPaysimAnswer) a = till_test_paysim_call (sim, "POST", CODEPAY, body, &error);
  g_autoptr(TillTestPaysimAnswer) b = till_test_paysim_call (sim, "POST", CODEPAY, body, &error);
  g_autoptr(JsonNode) ledger = NULL;
  JsonArray *orders;
  guint seen = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (a->status, ==, 200);
  g_assert_cmpuint (b->status, ==, 200);
  g_assert_cmpstr (json_str (a, "transaction_id"), ==, json_str (b, "transaction_id"));
  ledger = till_test_paysim_get_ledger (sim, &error);
  g_assert_no_error (error);
  orders = json_object_get_array_member (json_node_get_object (ledger), "orders");
  for (guint i = 0; i < json_array_get_length (orders); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (orders, i),
                                                    "out_trade_no"), otn))
      seen++;
  g_assert_cmpuint (seen, ==, 1);
}

static void
test_idempotent_retry_userpaying (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("L");
  g_autofree char *code = till_test_paysim_auth_code ("6666");
  g_autofree char *body = till_test_paysim_codepay_body (sim, otn, code, 2600);
  g_autoptr(TillTestPaysimAnswer) a = till_test_paysim_call (sim, "POST", CODEPAY, body, &error);
  g_autoptr(TillTestPaysimAnswer) b = till_test_paysim_call (sim, "POST", CODEPAY, body, &error);
  g_autoptr(TillTestPaysimAnswer) r = NULL;
  g_autoptr(TillTestPaysimAnswer) c = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (a->status, ==, 202);
  g_assert_cmpuint (b->status, ==, 202);
  r = reverse (otn);
  c = till_test_paysim_call (sim, "POST", CODEPAY, body, &error);
  g_assert_no_error (error);
  assert_error (c, 400, "ORDER_REVERSED");
}

static void
test_changed_params_rejected (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("M");
  g_autofree char *code = till_test_paysim_auth_code ("0002");
  g_autofree char *body = till_test_paysim_codepay_body (sim, otn, code, 2700);
  g_autofree char *changed = till_test_paysim_codepay_body (sim, otn, code, 2701);
  g_autoptr(TillTestPaysimAnswer) a = till_test_paysim_call (sim, "POST", CODEPAY, body, &error);
  g_autoptr(TillTestPaysimAnswer) b = till_test_paysim_call (sim, "POST", CODEPAY, changed, &error);
  g_autoptr(JsonObject) o = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (a->status, ==, 200);
  assert_error (b, 400, "INVALID_REQUEST");
  o = ledger_order (otn);
  g_assert_cmpint (json_object_get_int_member (o, "total"), ==, 2700);
}

static void
test_param_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("N");
  g_autofree char *code = till_test_paysim_auth_code ("0003");
  g_autofree char *zero = till_test_paysim_codepay_body (sim, otn, code, 0);
  g_autofree char *bad_code = till_test_paysim_codepay_body (sim, otn, "2812345678901234", 100);
  g_autofree char *alipay_like = till_test_paysim_codepay_body (sim, otn, "281234567890123456", 100);
  g_autofree char *bad_otn = till_test_paysim_codepay_body (sim, "ab", code, 100);
  g_autoptr(TillTestPaysimAnswer) a = till_test_paysim_call (sim, "POST", CODEPAY, zero, &error);
  g_autoptr(TillTestPaysimAnswer) b = till_test_paysim_call (sim, "POST", CODEPAY, bad_code, &error);
  g_autoptr(TillTestPaysimAnswer) c = till_test_paysim_call (sim, "POST", CODEPAY, alipay_like, &error);
  g_autoptr(TillTestPaysimAnswer) d = till_test_paysim_call (sim, "POST", CODEPAY, bad_otn, &error);
  g_autoptr(TillTestPaysimAnswer) e = till_test_paysim_call (sim, "POST", CODEPAY, "{nope", &error);
  g_autoptr(TillTestPaysimAnswer) f = till_test_paysim_call (sim, "POST", CODEPAY,
                                                             "{\"appid\":\"wxd678efh567hg6787\"}", &error);

  g_assert_no_error (error);
  assert_error (a, 400, "PARAM_ERROR");
  assert_error (b, 400, "PARAM_ERROR");
  assert_error (c, 400, "AUTH_CODE_INVALID");
  assert_error (d, 400, "PARAM_ERROR");
  assert_error (e, 400, "PARAM_ERROR");
  assert_error (f, 400, "PARAM_ERROR");
}

static void
test_wrong_appid (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("O");
  g_autofree char *code = till_test_paysim_auth_code ("0004");
  g_autofree char *good = till_test_paysim_codepay_body (sim, otn, code, 100);
  g_autofree char *body = NULL;
  g_autoptr(TillTestPaysimAnswer) a = NULL;
  g_auto(GStrv) parts = g_strsplit (good, TILL_TEST_PAYSIM_APPID, 2);

  body = g_strjoinv ("wx0000000000000000", parts);
  a = till_test_paysim_call (sim, "POST", CODEPAY, body, &error);
  g_assert_no_error (error);
  assert_error (a, 400, "APPID_MCHID_NOT_MATCH");
}

static void
test_query_variants (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("P");
  g_autoptr(TillTestPaysimAnswer) a = codepay (otn, "0005", 300);
  g_autofree char *by_id = g_strdup_printf ("/v3/pay/transactions/id/%s?mchid=%s",
                                            json_str (a, "transaction_id"),
                                            till_test_paysim_get_mchid (sim));
  g_autofree char *no_mchid = g_strdup_printf ("/v3/pay/transactions/out-trade-no/%s", otn);
  g_autoptr(TillTestPaysimAnswer) b = till_test_paysim_call (sim, "GET", by_id, NULL, &error);
  g_autoptr(TillTestPaysimAnswer) c = till_test_paysim_call (sim, "GET", no_mchid, NULL, &error);
  g_autoptr(TillTestPaysimAnswer) d = query ("UNKNOWN0000001");
  g_autoptr(TillTestPaysimAnswer) e = till_test_paysim_call (sim, "GET",
    "/v3/pay/transactions/id/4200000000000000000000000000?mchid=1230000109", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (b->status, ==, 200);
  g_assert_cmpstr (json_str (b, "out_trade_no"), ==, otn);
  assert_error (c, 400, "PARAM_ERROR");
  assert_error (d, 404, "ORDER_NOT_EXIST");
  assert_error (e, 404, "ORDER_NOT_EXIST");
}

/* ---- reverse ---- */

static void
test_reverse_paid_returns_money (void)
{
  g_autofree char *otn = till_test_paysim_new_reference ("Q");
  g_autoptr(TillTestPaysimAnswer) a = codepay (otn, "0006", 4200);
  g_autoptr(TillTestPaysimAnswer) r = reverse (otn);
  g_autoptr(JsonObject) o = NULL;

  g_assert_cmpuint (a->status, ==, 200);
  g_assert_cmpuint (r->status, ==, 200);
  assert_state (otn, "REVOKED");
  o = ledger_order (otn);
  g_assert_true (json_object_get_boolean_member (o, "was_paid"));
  g_assert_true (json_object_get_boolean_member (o, "reversed_after_payment"));
  g_assert_cmpint (json_object_get_int_member (o, "charged"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "net"), ==, 0);
}

static void
test_reverse_unknown (void)
{
  g_autoptr(TillTestPaysimAnswer) r = reverse ("UNKNOWN0000002");

  assert_error (r, 404, "ORDER_NOT_EXIST");
}

/* ---- Native and close ---- */

static char *
native_body (const char *otn,
             gint64      total)
{
  return g_strdup_printf ("{\"appid\":\"%s\",\"mchid\":\"%s\",\"description\":\"扫码\","
                          "\"out_trade_no\":\"%s\",\"notify_url\":\"https://example.com/notify\","
                          "\"amount\":{\"total\":%" G_GINT64_FORMAT ",\"currency\":\"CNY\"}}",
                          till_test_paysim_get_appid (sim), till_test_paysim_get_mchid (sim), otn,
                          total);
}

static TillTestPaysimAnswer *
close_order (const char *otn)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/v3/pay/transactions/out-trade-no/%s/close", otn);
  g_autofree char *body = g_strdup_printf ("{\"mchid\":\"%s\"}", till_test_paysim_get_mchid (sim));
  TillTestPaysimAnswer *a = till_test_paysim_call (sim, "POST", path, body, &error);

  g_assert_no_error (error);
  return a;
}

static void
test_native_pay_and_close (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("R");
  g_autofree char *body = native_body (otn, 990);
  g_autoptr(TillTestPaysimAnswer) a = till_test_paysim_call (sim, "POST", "/v3/pay/transactions/native",
                                                             body, &error);
  g_autoptr(TillTestPaysimAnswer) again = till_test_paysim_call (sim, "POST", "/v3/pay/transactions/native",
                                                                 body, &error);
  g_autoptr(TillTestPaysimAnswer) c = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (a->status, ==, 200);
  g_assert_true (a->signature_ok);
  g_assert_true (g_str_has_prefix (json_str (a, "code_url"), "weixin://wxpay/bizpayurl?pr="));
  g_assert_cmpstr (json_str (again, "code_url"), ==, json_str (a, "code_url"));
  assert_state (otn, "NOTPAY");
  till_test_paysim_native_pay (sim, otn, &error);
  g_assert_no_error (error);
  assert_state (otn, "SUCCESS");
  c = close_order (otn);
  assert_error (c, 400, "ORDER_PAID");
  /* Paying twice is refused. */
  g_assert_false (till_test_paysim_native_pay (sim, otn, &error));
  g_assert_nonnull (error);
}

static void
test_native_close_notpay (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("S");
  g_autofree char *body = native_body (otn, 50);
  g_autoptr(TillTestPaysimAnswer) a = till_test_paysim_call (sim, "POST", "/v3/pay/transactions/native",
                                                             body, &error);
  g_autoptr(TillTestPaysimAnswer) c = NULL;
  g_autoptr(TillTestPaysimAnswer) c2 = NULL;
  g_autoptr(TillTestPaysimAnswer) unknown = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (a->status, ==, 200);
  c = close_order (otn);
  g_assert_cmpuint (c->status, ==, 204);
  g_assert_cmpuint (g_bytes_get_size (c->body), ==, 0);
  g_assert_true (c->signature_ok);
  assert_state (otn, "CLOSED");
  c2 = close_order (otn);
  g_assert_cmpuint (c2->status, ==, 204);
  g_assert_false (till_test_paysim_native_pay (sim, otn, &error));
  unknown = close_order ("UNKNOWN0000003");
  assert_error (unknown, 404, "ORDER_NOT_EXIST");
}

/* ---- refunds ---- */

static TillTestPaysimAnswer *
refund (const char *otn,
        const char *orn,
        gint64      amount,
        gint64      total)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = g_strdup_printf ("{\"out_trade_no\":\"%s\",\"out_refund_no\":\"%s\","
                                           "\"reason\":\"退货\",\"amount\":{\"refund\":%" G_GINT64_FORMAT
                                           ",\"total\":%" G_GINT64_FORMAT ",\"currency\":\"CNY\"}}",
                                           otn, orn, amount, total);
  TillTestPaysimAnswer *a = till_test_paysim_call (sim, "POST", "/v3/refund/domestic/refunds", body, &error);

  g_assert_no_error (error);
  return a;
}

static void
test_refund_limits (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("T");
  g_autofree char *r1 = till_test_paysim_new_reference ("R1");
  g_autofree char *r2 = till_test_paysim_new_reference ("R2");
  g_autofree char *r3 = till_test_paysim_new_reference ("R3");
  g_autoptr(TillTestPaysimAnswer) pay = codepay (otn, "0007", 1000);
  g_autoptr(TillTestPaysimAnswer) a = refund (otn, r1, 600, 1000);
  g_autoptr(TillTestPaysimAnswer) a2 = refund (otn, r1, 600, 1000);
  g_autoptr(TillTestPaysimAnswer) a3 = refund (otn, r1, 500, 1000);
  g_autoptr(TillTestPaysimAnswer) b = refund (otn, r2, 401, 1000);
  g_autoptr(TillTestPaysimAnswer) c = refund (otn, r2, 400, 1000);
  g_autoptr(TillTestPaysimAnswer) d = refund (otn, r3, 1, 1000);
  g_autoptr(TillTestPaysimAnswer) wrong_total = refund (otn, r3, 1, 999);
  g_autoptr(TillTestPaysimAnswer) q = NULL;
  g_autoptr(JsonObject) o = NULL;
  g_autofree char *qpath = g_strdup_printf ("/v3/refund/domestic/refunds/%s", r1);

  g_assert_cmpuint (pay->status, ==, 200);
  g_assert_cmpuint (a->status, ==, 200);
  g_assert_true (a->signature_ok);
  g_assert_cmpstr (json_str (a, "status"), ==, "PROCESSING");
  g_assert_cmpstr (json_str (a, "out_refund_no"), ==, r1);
  /* Same out_refund_no, same parameters: the same refund. */
  g_assert_cmpuint (a2->status, ==, 200);
  g_assert_cmpstr (json_str (a2, "refund_id"), ==, json_str (a, "refund_id"));
  assert_error (a3, 400, "INVALID_REQUEST");
  assert_error (b, 400, "INVALID_REQUEST");  /* 600 + 401 > 1000 */
  g_assert_cmpuint (c->status, ==, 200);     /* exactly the rest */
  assert_error (d, 400, "INVALID_REQUEST");  /* nothing left */
  assert_error (wrong_total, 400, "INVALID_REQUEST");
  assert_state (otn, "REFUND");

  o = ledger_order (otn);
  g_assert_cmpint (json_object_get_int_member (o, "refunded"), ==, 1000);
  g_assert_cmpint (json_object_get_int_member (o, "net"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "refunds")), ==, 2);

  /* PROCESSING for 1 s of simulator time, then SUCCESS. */
  till_test_paysim_set_clock (sim, 2, &error);
  g_assert_no_error (error);
  q = till_test_paysim_call (sim, "GET", qpath, NULL, &error);
  till_test_paysim_set_clock (sim, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (q->status, ==, 200);
  g_assert_cmpstr (json_str (q, "status"), ==, "SUCCESS");
  g_assert_nonnull (json_str (q, "success_time"));
}

static void
test_refund_unpaid_and_unknown (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("U");
  g_autoptr(TillTestPaysimAnswer) pay = codepay (otn, "2222", 1000);
  g_autoptr(TillTestPaysimAnswer) a = refund (otn, "RNOPE0001", 100, 1000);
  g_autoptr(TillTestPaysimAnswer) b = refund ("UNKNOWN0000004", "RNOPE0002", 100, 1000);
  g_autoptr(TillTestPaysimAnswer) c = till_test_paysim_call (sim, "GET", "/v3/refund/domestic/refunds/RNOPE0003",
                                                             NULL, &error);

  g_assert_no_error (error);
  assert_error (a, 400, "INVALID_REQUEST");
  assert_error (b, 404, "RESOURCE_NOT_EXISTS");
  assert_error (c, 404, "RESOURCE_NOT_EXISTS");
}

/* ---- faults ---- */

static void
test_fault_status (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("V");
  g_autoptr(TillTestPaysimAnswer) a = NULL;
  g_autoptr(TillTestPaysimAnswer) b = NULL;
  g_autoptr(JsonObject) o = NULL;

  till_test_paysim_arm_fault (sim, CODEPAY, "status", 0, 503, 1, &error);
  g_assert_no_error (error);
  a = codepay (otn, "0008", 100);
  assert_error (a, 503, "SERVICE_UNAVAILABLE");
  /* Not processed. */
  o = till_test_paysim_ledger_order (sim, otn, &error);
  g_assert_no_error (error);
  g_assert_null (o);
  /* Only `count` requests are affected. */
  b = codepay (otn, "0008", 100);
  g_assert_cmpuint (b->status, ==, 200);
}

static void
test_fault_drop (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("W");
  g_autofree char *code = till_test_paysim_auth_code ("0009");
  g_autofree char *body = till_test_paysim_codepay_body (sim, otn, code, 100);
  g_autoptr(TillTestPaysimAnswer) a = NULL;
  g_autoptr(TillTestPaysimAnswer) b = NULL;
  g_autoptr(JsonObject) o = NULL;

  till_test_paysim_arm_fault (sim, "/v3/pay/", "drop", 0, 0, 1, &error);
  g_assert_no_error (error);
  a = till_test_paysim_call (sim, "POST", CODEPAY, body, &error);
  g_assert_null (a);
  g_assert_nonnull (error);
  g_clear_error (&error);
  /* drop = the request never arrived: nothing recorded. */
  o = till_test_paysim_ledger_order (sim, otn, &error);
  g_assert_no_error (error);
  g_assert_null (o);
  b = till_test_paysim_call (sim, "POST", CODEPAY, body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (b->status, ==, 200);
}

static void
test_fault_delay (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("X");
  g_autoptr(TillTestPaysimAnswer) a = NULL;
  gint64 start, elapsed_ms;

  till_test_paysim_arm_fault (sim, "/v3/pay/transactions/out-trade-no/", "delay", 400, 0, 1, &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  a = query (otn);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  assert_error (a, 404, "ORDER_NOT_EXIST");
  g_assert_cmpint (elapsed_ms, >=, 380);
  start = g_get_monotonic_time ();
  {
    g_autoptr(TillTestPaysimAnswer) b = query (otn);
    g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 380);
  }
}

static void
test_fault_badsig (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("Y");
  g_autoptr(TillTestPaysimAnswer) a = NULL;

  till_test_paysim_arm_fault (sim, CODEPAY, "badsig", 0, 0, 1, &error);
  g_assert_no_error (error);
  a = codepay (otn, "0010", 100);
  g_assert_cmpuint (a->status, ==, 200);
  g_assert_false (a->signature_ok);
  assert_state (otn, "SUCCESS");
}

static void
test_fault_clear_and_validation (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("Z");
  g_autoptr(TillTestPaysimAnswer) a = NULL;
  g_autoptr(JsonNode) answer = NULL;
  guint status;

  till_test_paysim_arm_fault (sim, CODEPAY, "status", 0, 500, 5, &error);
  g_assert_no_error (error);
  till_test_paysim_clear_faults (sim, &error);
  g_assert_no_error (error);
  a = codepay (otn, "0011", 100);
  g_assert_cmpuint (a->status, ==, 200);

  status = till_test_paysim_control (sim, "POST", "/_sim/faults",
                                     "{\"path_prefix\":\"/v3/\",\"kind\":\"explode\"}", &answer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 400);
  g_clear_pointer (&answer, json_node_unref);
  status = till_test_paysim_control (sim, "POST", "/_sim/faults",
                                     "{\"path_prefix\":\"/v3/\",\"kind\":\"delay\"}", &answer, &error);
  g_assert_cmpuint (status, ==, 400); /* a delay needs ms */
  g_clear_pointer (&answer, json_node_unref);
  /* members of the wrong shape are refused, not read */
  status = till_test_paysim_control (sim, "POST", "/_sim/faults",
                                     "{\"path_prefix\":{\"a\":1},\"kind\":\"drop\"}", &answer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 400);
  g_clear_pointer (&answer, json_node_unref);
  status = till_test_paysim_control (sim, "POST", "/_sim/alipay/scan/Z1",
                                     "{\"outcome\":[\"pay\"]}", &answer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 400);
  g_assert_true (till_test_paysim_is_running (sim));
}

/* ---- ledger and clock ---- */

static void
test_ledger_reconciles (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ledger = till_test_paysim_get_ledger (sim, &error);
  JsonObject *root;
  JsonArray *orders;

  g_assert_no_error (error);
  root = json_node_get_object (ledger);
  g_assert_cmpstr (json_object_get_string_member (root, "mchid"), ==, TILL_TEST_PAYSIM_MCHID);
  orders = json_object_get_array_member (root, "orders");
  g_assert_cmpuint (json_array_get_length (orders), >, 10);
  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *o = json_array_get_object_element (orders, i);
      JsonArray *refunds = json_object_get_array_member (o, "refunds");
      const char *state = json_object_get_string_member (o, "state");
      gint64 sum = 0;

      for (guint j = 0; j < json_array_get_length (refunds); j++)
        sum += json_object_get_int_member (json_array_get_object_element (refunds, j), "amount");
      g_assert_cmpint (sum, ==, json_object_get_int_member (o, "refunded"));
      g_assert_cmpint (sum, <=, json_object_get_int_member (o, "charged"));
      g_assert_cmpint (json_object_get_int_member (o, "net"), >=, 0);
      if (g_str_equal (state, "SUCCESS") || g_str_equal (state, "REFUND"))
        {
          g_assert_cmpint (json_object_get_int_member (o, "charged"), ==,
                           json_object_get_int_member (o, "total"));
          g_assert_nonnull (json_object_get_string_member (o, "transaction_id"));
        }
      else
        g_assert_cmpint (json_object_get_int_member (o, "charged"), ==, 0);
    }
}

static void
test_clock_skew_signature_window (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillTestPaysimAnswer) a = NULL;
  g_autoptr(TillTestPaysimAnswer) b = NULL;

  /* The simulator's clock runs 10 minutes ahead: a correct client now looks stale. */
  till_test_paysim_set_clock (sim, 600, &error);
  g_assert_no_error (error);
  a = query ("CLOCK00000001");
  till_test_paysim_set_clock (sim, 0, &error);
  g_assert_no_error (error);
  assert_error (a, 401, "SIGN_ERROR");
  b = query ("CLOCK00000001");
  assert_error (b, 404, "ORDER_NOT_EXIST");
}

static void
test_unknown_paths (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillTestPaysimAnswer) a = till_test_paysim_call (sim, "GET", "/v3/nothing/here", NULL, &error);
  g_autoptr(JsonNode) answer = NULL;
  guint status;

  g_assert_no_error (error);
  g_assert_cmpuint (a->status, ==, 404);
  status = till_test_paysim_control (sim, "GET", "/_sim/nothing", NULL, &answer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 404);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--password-delay-ms", "300", NULL };
  int ret;

  g_test_init (&argc, &argv, NULL);

  sim = till_test_paysim_start (args, &error);
  g_assert_no_error (error);

  g_test_add_func ("/paysim/sign/unsigned", test_unsigned_rejected);
  g_test_add_func ("/paysim/sign/wrong-key", test_wrong_key_rejected);
  g_test_add_func ("/paysim/sign/stale-timestamp", test_stale_timestamp_rejected);
  g_test_add_func ("/paysim/sign/wrong-serial", test_wrong_serial_rejected);
  g_test_add_func ("/paysim/sign/tampered-query", test_tampered_query_rejected);
  g_test_add_func ("/paysim/sign/answers-signed", test_answers_signed);
  g_test_add_func ("/paysim/codepay/1111-password", test_outcome_1111_password);
  g_test_add_func ("/paysim/codepay/2222-not-enough", test_outcome_2222_not_enough);
  g_test_add_func ("/paysim/codepay/3333-code-invalid", test_outcome_3333_code_invalid);
  g_test_add_func ("/paysim/codepay/4444-error-but-paid", test_outcome_4444_error_but_paid);
  g_test_add_func ("/paysim/codepay/5555-no-answer", test_outcome_5555_no_answer);
  g_test_add_func ("/paysim/codepay/6666-forever-reverse", test_outcome_6666_forever_then_reverse);
  g_test_add_func ("/paysim/codepay/7777-payerror", test_outcome_7777_payerror);
  g_test_add_func ("/paysim/codepay/8888-bad-signature", test_outcome_8888_bad_signature);
  g_test_add_func ("/paysim/codepay/9999-dropped", test_outcome_9999_dropped);
  g_test_add_func ("/paysim/codepay/default-success", test_outcome_default_success);
  g_test_add_func ("/paysim/codepay/idempotent-retry", test_idempotent_retry);
  g_test_add_func ("/paysim/codepay/idempotent-retry-userpaying", test_idempotent_retry_userpaying);
  g_test_add_func ("/paysim/codepay/changed-params", test_changed_params_rejected);
  g_test_add_func ("/paysim/codepay/param-errors", test_param_errors);
  g_test_add_func ("/paysim/codepay/wrong-appid", test_wrong_appid);
  g_test_add_func ("/paysim/query/variants", test_query_variants);
  g_test_add_func ("/paysim/reverse/paid", test_reverse_paid_returns_money);
  g_test_add_func ("/paysim/reverse/unknown", test_reverse_unknown);
  g_test_add_func ("/paysim/native/pay-and-close", test_native_pay_and_close);
  g_test_add_func ("/paysim/native/close-notpay", test_native_close_notpay);
  g_test_add_func ("/paysim/refund/limits", test_refund_limits);
  g_test_add_func ("/paysim/refund/unpaid-unknown", test_refund_unpaid_and_unknown);
  g_test_add_func ("/paysim/faults/status", test_fault_status);
  g_test_add_func ("/paysim/faults/drop", test_fault_drop);
  g_test_add_func ("/paysim/faults/delay", test_fault_delay);
  g_test_add_func ("/paysim/faults/badsig", test_fault_badsig);
  g_test_add_func ("/paysim/faults/clear-validation", test_fault_clear_and_validation);
  g_test_add_func ("/paysim/ledger/reconciles", test_ledger_reconciles);
  g_test_add_func ("/paysim/clock/skew", test_clock_skew_signature_window);
  g_test_add_func ("/paysim/unknown-paths", test_unknown_paths);

  ret = g_test_run ();
  g_clear_pointer (&sim, till_test_paysim_free);
  return ret;
}
