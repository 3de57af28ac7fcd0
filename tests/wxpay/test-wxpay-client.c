/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillWxpayClient against a small fake WeChat Pay peer (a SoupServer on 127.0.0.1 in this
 * process) that checks each request's signature and signs its answers with a platform key. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <locale.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <zlib.h>

#include "till-pay-error.h"
#include "till-wxpay-client.h"
#include "till-wxpay-sign.h"

#define MCHID     "1230000109"
#define APPID     "wxd678efh567hg6787"
#define SERIAL    "3775B6A45ACD588826D15E583A95F5DD00000001"
#define KEY_ID    "PUB_KEY_ID_0112300001092024000000000001"
#define OTN       "T0101A1260101120000" "0001"

typedef enum
{
  SIGN_OK,
  SIGN_NONE,
  SIGN_BAD,
  SIGN_WRONG_SERIAL,
  SIGN_STALE,
} SignMode;

typedef enum
{
  ANSWER,
  HANG,       /* never answer */
  DROP,       /* close the connection without an answer */
} ReplyMode;

/* Keys shared by all tests (RSA generation takes a moment). */
static TillRsaKey *merchant_key;      /* the till's private key */
static TillRsaKey *merchant_public;   /* what the peer verifies requests with */
static TillRsaKey *platform_key;      /* the peer's private key */
static TillRsaKey *platform_public;   /* what the client verifies answers with */

typedef struct
{
  SoupServer      *server;
  char            *base_url;
  TillWxpayClient *client;
  GMainLoop       *loop;
  GAsyncResult    *result;
  GPtrArray       *paused;

  /* next answer */
  ReplyMode        mode;
  guint            status;
  char            *body;
  GBytes          *raw;         /* unsigned raw answer (bill download) */
  SignMode         sign;

  /* last request, as the peer saw it */
  guint            requests;
  char            *method;
  char            *target;      /* path?query */
  char            *req_body;
  char            *accept;
  char            *content_type;
  char            *wechatpay_serial;
  char            *user_agent;
  gboolean         auth_ok;
  char            *auth_error;
} Fixture;

static void
sign_answer (Fixture *f, SoupServerMessage *msg, const char *body, gsize len)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);
  g_autoptr(GError) error = NULL;
  g_autofree char *nonce = till_wxpay_nonce_new ();
  g_autofree char *ts = NULL, *m = NULL, *sig = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (f->sign == SIGN_NONE)
    return;
  if (f->sign == SIGN_STALE)
    now -= 400;
  ts = g_strdup_printf ("%" G_GINT64_FORMAT, now);
  m = till_wxpay_response_message (ts, nonce, body, len);
  sig = till_rsa_sign_base64 (platform_key, m, strlen (m), &error);
  g_assert_no_error (error);
  if (f->sign == SIGN_BAD)
    sig[5] = sig[5] == 'A' ? 'B' : 'A';
  soup_message_headers_replace (h, "Wechatpay-Timestamp", ts);
  soup_message_headers_replace (h, "Wechatpay-Nonce", nonce);
  soup_message_headers_replace (h, "Wechatpay-Signature", sig);
  soup_message_headers_replace (h, "Wechatpay-Serial",
                                f->sign == SIGN_WRONG_SERIAL ? "PUB_KEY_ID_0000000000000000000000000009" : KEY_ID);
  soup_message_headers_replace (h, "Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
  soup_message_headers_replace (h, "Request-ID", "08F0B0D8B50610B60318A1E8E3D00120B4D71D28E5CA02-0");
}

/* The peer's side of §7.1: parse the Authorization header, rebuild the message from what
 * arrived, verify it with the merchant's public key. */
static gboolean
check_request_signature (SoupServerMessage *msg, const char *target, GBytes *body, GError **error)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const char *header = soup_message_headers_get_one (h, "Authorization");
  g_autoptr(TillWxpayAuthorization) auth = NULL;
  g_autofree char *m = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (header == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no Authorization");
      return FALSE;
    }
  auth = till_wxpay_authorization_parse (header, error);
  if (auth == NULL)
    return FALSE;
  if (!g_str_equal (auth->mchid, MCHID) || !g_str_equal (auth->serial_no, SERIAL) ||
      strlen (auth->nonce_str) != 32 || ABS (now - auth->timestamp) > 5)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "wrong mchid/serial/nonce/timestamp");
      return FALSE;
    }
  m = till_wxpay_request_message (soup_server_message_get_method (msg), target, auth->timestamp,
                                  auth->nonce_str, data, len);
  return till_rsa_verify_base64 (merchant_public, m, strlen (m), auth->signature, error);
}

static void
handler_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);

  f->requests++;
  g_free (f->method);
  f->method = g_strdup (soup_server_message_get_method (msg));
  g_free (f->target);
  f->target = g_uri_get_query (uri) != NULL
              ? g_strconcat (g_uri_get_path (uri), "?", g_uri_get_query (uri), NULL)
              : g_strdup (g_uri_get_path (uri));
  g_free (f->req_body);
  f->req_body = g_strndup (data, len);
  g_free (f->accept);
  f->accept = g_strdup (soup_message_headers_get_one (h, "Accept"));
  g_free (f->content_type);
  f->content_type = g_strdup (soup_message_headers_get_one (h, "Content-Type"));
  g_free (f->wechatpay_serial);
  f->wechatpay_serial = g_strdup (soup_message_headers_get_one (h, "Wechatpay-Serial"));
  g_free (f->user_agent);
  f->user_agent = g_strdup (soup_message_headers_get_one (h, "User-Agent"));
  f->auth_ok = check_request_signature (msg, f->target, body, &error);
  g_free (f->auth_error);
  f->auth_error = error != NULL ? g_strdup (error->message) : NULL;

  switch (f->mode)
    {
    case HANG:
      soup_server_message_pause (msg);
      g_ptr_array_add (f->paused, g_object_ref (msg));
      return;
    case DROP:
      {
        g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
        g_io_stream_close (stream, NULL, NULL);
        return;
      }
    case ANSWER:
    default:
      break;
    }

  if (!f->auth_ok)
    {
      const char *e = "{\"code\":\"SIGN_ERROR\",\"message\":\"签名错误\"}";
      soup_server_message_set_status (msg, 401, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, e, strlen (e));
      sign_answer (f, msg, e, strlen (e));
      return;
    }

  soup_server_message_set_status (msg, f->status, NULL);
  if (f->raw != NULL)
    {
      gsize raw_len = 0;
      const char *raw = g_bytes_get_data (f->raw, &raw_len);
      soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY, raw, raw_len);
      return;   /* bill downloads are unsigned */
    }
  if (f->body != NULL)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, f->body,
                                      strlen (f->body));
  sign_answer (f, msg, f->body, f->body != NULL ? strlen (f->body) : 0);
}

static void
answer (Fixture *f, guint status, const char *body, SignMode sign)
{
  f->mode = ANSWER;
  f->status = status;
  g_free (f->body);
  f->body = g_strdup (body);
  g_clear_pointer (&f->raw, g_bytes_unref);
  f->sign = sign;
}

static TillWxpayClient *
make_client (const char *base_url, guint timeout_ms)
{
  g_autoptr(GError) error = NULL;
  TillWxpayConfig config = {
    .base_url = base_url,
    .mchid = MCHID,
    .appid = APPID,
    .merchant_serial = SERIAL,
    .merchant_key = merchant_key,
    .platform_key = platform_public,
    .platform_key_id = KEY_ID,
    .timeout_ms = timeout_ms,
  };
  TillWxpayClient *client = till_wxpay_client_new (&config, &error);

  g_assert_no_error (error);
  g_assert_nonnull (client);
  return client;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  f->loop = g_main_loop_new (NULL, FALSE);
  f->paused = g_ptr_array_new_with_free_func (g_object_unref);
  f->server = soup_server_new ("server-header", "fake-wxpay ", NULL);
  soup_server_add_handler (f->server, NULL, handler_cb, f, NULL);
  g_assert_true (soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  g_assert_nonnull (uris);
  f->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  f->client = make_client (f->base_url, 3000);
  answer (f, 200, "{}", SIGN_OK);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->client);
  for (guint i = 0; i < f->paused->len; i++)
    soup_server_message_unpause (g_ptr_array_index (f->paused, i));
  g_ptr_array_unref (f->paused);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  /* let the server's sources run down */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->result);
  g_main_loop_unref (f->loop);
  g_free (f->base_url);
  g_free (f->body);
  g_clear_pointer (&f->raw, g_bytes_unref);
  g_free (f->method);
  g_free (f->target);
  g_free (f->req_body);
  g_free (f->accept);
  g_free (f->content_type);
  g_free (f->wechatpay_serial);
  g_free (f->user_agent);
  g_free (f->auth_error);
}

static void
done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fixture *f = user_data;

  g_assert_null (f->result);
  f->result = g_object_ref (result);
  g_main_loop_quit (f->loop);
}

static gboolean
test_deadline_cb (gpointer user_data)
{
  g_error ("the call did not finish within 10 s");
  return G_SOURCE_REMOVE;
}

/* Runs the loop until done_cb; returns the result (owned by the fixture until the next). */
static GAsyncResult *
wait_result (Fixture *f)
{
  guint deadline = g_timeout_add_seconds (10, test_deadline_cb, NULL);

  g_main_loop_run (f->loop);
  g_source_remove (deadline);
  g_assert_nonnull (f->result);
  return f->result;
}

static void
reset_result (Fixture *f)
{
  g_clear_object (&f->result);
}

static TillWxpayCodepayRequest
codepay_request (const char *auth_code)
{
  TillWxpayCodepayRequest r = {
    .out_trade_no = OTN,
    .auth_code = auth_code,
    .description = "Tillpoint 测试店 — 3 items",
    .amount_total = 1234,
    .device_id = "POS-01",
    .store_out_id = "S01",
  };
  return r;
}

static TillWxpayTransaction *
run_codepay (Fixture *f, GError **error)
{
  TillWxpayCodepayRequest r = codepay_request ("134567890123456789");

  reset_result (f);
  till_wxpay_client_codepay_async (f->client, &r, NULL, done_cb, f);
  return till_wxpay_client_codepay_finish (f->client, wait_result (f), error);
}

static void
assert_request_signed (Fixture *f, const char *method, const char *target)
{
  if (!f->auth_ok)
    g_test_message ("peer: %s", f->auth_error);
  g_assert_true (f->auth_ok);
  g_assert_cmpstr (f->method, ==, method);
  g_assert_cmpstr (f->target, ==, target);
  g_assert_cmpstr (f->accept, ==, "application/json");
  g_assert_cmpstr (f->content_type, ==, "application/json");
  g_assert_cmpstr (f->wechatpay_serial, ==, KEY_ID);
  g_assert_cmpstr (f->user_agent, ==, "Tillpoint/0.1.0");
}

static const char paid_body[] =
  "{\"appid\":\"" APPID "\",\"mchid\":\"" MCHID "\",\"out_trade_no\":\"" OTN "\","
  "\"transaction_id\":\"4200000914202101195554393855\",\"trade_type\":\"MICROPAY\","
  "\"trade_state\":\"SUCCESS\",\"trade_state_desc\":\"支付成功\",\"bank_type\":\"OTHERS\","
  "\"success_time\":\"2021-01-19T15:43:01+08:00\",\"payer\":{\"openid\":\"ofyak5qYxYJVnhTlrkk\"},"
  "\"amount\":{\"total\":1234,\"payer_total\":1200,\"currency\":\"CNY\",\"payer_currency\":\"CNY\"}}";

static void
test_codepay_paid (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillWxpayTransaction) t = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;

  answer (f, 200, paid_body, SIGN_OK);
  t = run_codepay (f, &error);
  g_assert_no_error (error);
  assert_request_signed (f, "POST", "/v3/pay/transactions/codepay");

  g_assert_cmpuint (t->http_status, ==, 200);
  g_assert_cmpint (t->trade_state, ==, TILL_WXPAY_TRADE_STATE_SUCCESS);
  g_assert_cmpstr (t->trade_state_str, ==, "SUCCESS");
  g_assert_cmpstr (t->transaction_id, ==, "4200000914202101195554393855");
  g_assert_cmpstr (t->out_trade_no, ==, OTN);
  g_assert_cmpint (t->amount_total, ==, 1234);
  g_assert_cmpint (t->payer_total, ==, 1200);
  g_assert_cmpstr (t->success_time, ==, "2021-01-19T15:43:01+08:00");
  g_assert_cmpstr (t->trade_state_desc, ==, "支付成功");
  g_assert_cmpstr (t->payer_openid, ==, "ofyak5qYxYJVnhTlrkk");

  /* the body the peer received: compact JSON, money as an integer */
  g_assert_null (strchr (f->req_body, '\n'));
  g_assert_true (json_parser_load_from_data (parser, f->req_body, -1, &error));
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "appid"), ==, APPID);
  g_assert_cmpstr (json_object_get_string_member (o, "mchid"), ==, MCHID);
  g_assert_cmpstr (json_object_get_string_member (o, "out_trade_no"), ==, OTN);
  g_assert_cmpstr (json_object_get_string_member (o, "description"), ==, "Tillpoint 测试店 — 3 items");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "payer"), "auth_code"),
                   ==, "134567890123456789");
  {
    JsonNode *total = json_object_get_member (json_object_get_object_member (o, "amount"), "total");
    g_assert_cmpint (json_node_get_value_type (total), ==, G_TYPE_INT64);
    g_assert_cmpint (json_node_get_int (total), ==, 1234);
  }
  {
    JsonObject *scene = json_object_get_object_member (o, "scene_info");
    g_assert_cmpstr (json_object_get_string_member (scene, "device_id"), ==, "POS-01");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (scene, "store_info"),
                                                    "out_id"), ==, "S01");
  }
}

static void
test_codepay_userpaying (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TillWxpayTransaction *t;

  answer (f, 202, "{\"trade_state\":\"USERPAYING\"}", SIGN_OK);
  t = run_codepay (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (t->http_status, ==, 202);
  g_assert_cmpint (t->trade_state, ==, TILL_WXPAY_TRADE_STATE_USERPAYING);
  g_assert_cmpstr (t->out_trade_no, ==, OTN);
  g_assert_cmpint (t->amount_total, ==, -1);
  g_assert_null (t->transaction_id);
  till_wxpay_transaction_free (t);

  /* a 202 with an empty (signed) body is USERPAYING too */
  answer (f, 202, NULL, SIGN_OK);
  t = run_codepay (f, &error);
  g_assert_no_error (error);
  g_assert_cmpint (t->trade_state, ==, TILL_WXPAY_TRADE_STATE_USERPAYING);
  till_wxpay_transaction_free (t);

  /* but a 202 still needs a valid signature */
  answer (f, 202, "{\"trade_state\":\"USERPAYING\"}", SIGN_NONE);
  g_assert_null (run_codepay (f, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
}

/* A 2xx that is not properly signed is an unknown outcome, never a payment. */
static void
test_unsigned_success (Fixture *f, gconstpointer data)
{
  const SignMode modes[] = { SIGN_NONE, SIGN_BAD, SIGN_WRONG_SERIAL, SIGN_STALE };

  for (gsize i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(GError) error = NULL;

      answer (f, 200, paid_body, modes[i]);
      g_assert_null (run_codepay (f, &error));
      g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
      g_test_message ("sign mode %d: %s", modes[i], error->message);
      g_assert_false (till_wxpay_error_is_definite (error));
      g_assert_cmpuint (till_pay_error_get_http_status (error), ==, 200);
    }
}

static void
test_provider_errors (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  answer (f, 403, "{\"code\":\"NOT_ENOUGH\",\"message\":\"用户余额不足\"}", SIGN_OK);
  g_assert_null (run_codepay (f, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER);
  g_assert_cmpstr (till_pay_error_get_provider_code (error), ==, "NOT_ENOUGH");
  g_assert_cmpstr (till_pay_error_get_provider_message (error), ==, "用户余额不足");
  g_assert_cmpuint (till_pay_error_get_http_status (error), ==, 403);
  g_assert_true (till_wxpay_error_is_definite (error));
  g_assert_false (till_pay_error_is_retryable (error));
  g_assert_nonnull (strstr (error->message, "Insufficient balance"));
  g_clear_error (&error);

  answer (f, 400, "{\"code\":\"AUTH_CODE_INVALID\",\"message\":\"101 付款码已过期\"}", SIGN_OK);
  g_assert_null (run_codepay (f, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER);
  g_assert_cmpstr (till_pay_error_get_provider_code (error), ==, "AUTH_CODE_INVALID");
  g_assert_nonnull (strstr (error->message, "refresh the code"));
  g_assert_true (till_wxpay_error_is_definite (error));
  g_clear_error (&error);

  /* an error body still copied by a GError keeps its details */
  answer (f, 429, "{\"code\":\"FREQUENCY_LIMITED\",\"message\":\"频率超限\"}", SIGN_OK);
  g_assert_null (run_codepay (f, &error));
  {
    g_autoptr(GError) copy = g_error_copy (error);
    g_assert_cmpstr (till_pay_error_get_provider_code (copy), ==, "FREQUENCY_LIMITED");
    g_assert_cmpuint (till_pay_error_get_http_status (copy), ==, 429);
    g_assert_true (till_pay_error_is_retryable (copy));
  }
  g_clear_error (&error);

  /* an unsigned 4xx cannot be trusted to be definite */
  answer (f, 403, "{\"code\":\"NOT_ENOUGH\",\"message\":\"x\"}", SIGN_NONE);
  g_assert_null (run_codepay (f, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
  g_assert_false (till_wxpay_error_is_definite (error));
}

static void
test_server_error (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  answer (f, 500, "{\"code\":\"SYSTEM_ERROR\",\"message\":\"系统错误\"}", SIGN_OK);
  g_assert_null (run_codepay (f, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SERVER);
  g_assert_cmpstr (till_pay_error_get_provider_code (error), ==, "SYSTEM_ERROR");
  g_assert_cmpuint (till_pay_error_get_http_status (error), ==, 500);
  g_assert_false (till_wxpay_error_is_definite (error));
  g_assert_true (till_pay_error_is_retryable (error));
  g_assert_nonnull (strstr (error->message, "checking the payment"));
  g_clear_error (&error);

  /* a 503 with an HTML body from a proxy */
  answer (f, 503, "<html>busy</html>", SIGN_NONE);
  g_assert_null (run_codepay (f, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SERVER);
  g_assert_null (till_pay_error_get_provider_code (error));
  g_assert_false (till_wxpay_error_is_definite (error));
}

static void
test_malformed_answer (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  /* signed, but not JSON / amount not an integer: unknown outcome */
  answer (f, 200, "{\"trade_state\":", SIGN_OK);
  g_assert_null (run_codepay (f, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROTOCOL);
  g_assert_false (till_wxpay_error_is_definite (error));
  g_clear_error (&error);

  answer (f, 200, "{\"trade_state\":\"SUCCESS\",\"amount\":{\"total\":12.5}}", SIGN_OK);
  g_assert_null (run_codepay (f, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* an answer about another order */
  answer (f, 200, "{\"trade_state\":\"SUCCESS\",\"out_trade_no\":\"OTHER0001\"}", SIGN_OK);
  g_assert_null (run_codepay (f, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROTOCOL);
}

static void
test_timeout (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillWxpayClient) quick = make_client (f->base_url, 300);
  TillWxpayCodepayRequest r = codepay_request ("134567890123456789");
  gint64 start, elapsed_ms;

  f->mode = HANG;
  start = g_get_monotonic_time ();
  till_wxpay_client_codepay_async (quick, &r, NULL, done_cb, f);
  g_assert_null (till_wxpay_client_codepay_finish (quick, wait_result (f), &error));
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_test_message ("timed out after %" G_GINT64_FORMAT " ms", elapsed_ms);
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_TIMEOUT);
  g_assert_false (till_wxpay_error_is_definite (error));
  g_assert_true (till_pay_error_is_retryable (error));
  g_assert_cmpint (elapsed_ms, >=, 290);
  g_assert_cmpint (elapsed_ms, <, 1500);
  g_assert_true (f->auth_ok);   /* the request did arrive */
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  TillWxpayCodepayRequest r = codepay_request ("134567890123456789");

  f->mode = HANG;
  till_wxpay_client_codepay_async (f->client, &r, cancellable, done_cb, f);
  g_timeout_add_once (100, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  g_assert_null (till_wxpay_client_codepay_finish (f->client, wait_result (f), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (till_wxpay_error_is_definite (error));
}

static void
test_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(TillWxpayClient) client = NULL;
  g_autofree char *url = NULL;
  TillWxpayCodepayRequest r = codepay_request ("134567890123456789");
  guint16 port;

  /* a port that was free a moment ago and has nobody listening now */
  g_assert_true (g_socket_listener_add_address (listener, addr, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_listener_close (listener);

  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  client = make_client (url, 2000);
  till_wxpay_client_codepay_async (client, &r, NULL, done_cb, f);
  g_assert_null (till_wxpay_client_codepay_finish (client, wait_result (f), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_NETWORK);
  /* it never left the till: nothing can have been charged */
  g_assert_true (till_wxpay_error_is_definite (error));
  g_assert_true (till_pay_error_is_retryable (error));
}

static void
test_dropped (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->mode = DROP;
  g_assert_null (run_codepay (f, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_CONNECTION_LOST);
  g_test_message ("dropped: %s", error->message);
  g_assert_false (till_wxpay_error_is_definite (error));
  g_assert_true (f->auth_ok);
}

static void
test_invalid_not_sent (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TillWxpayCodepayRequest r = codepay_request ("134567890123456789");

  r.amount_total = 0;
  till_wxpay_client_codepay_async (f->client, &r, NULL, done_cb, f);
  g_assert_null (till_wxpay_client_codepay_finish (f->client, wait_result (f), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID);
  g_assert_true (till_wxpay_error_is_definite (error));
  g_assert_cmpuint (f->requests, ==, 0);
  g_clear_error (&error);
  reset_result (f);

  till_wxpay_client_query_async (f->client, "bad/../order", NULL, done_cb, f);
  g_assert_null (till_wxpay_client_query_finish (f->client, wait_result (f), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID);
  g_assert_cmpuint (f->requests, ==, 0);
}

static void
test_query (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TillWxpayTransaction *t;

  answer (f, 200, paid_body, SIGN_OK);
  till_wxpay_client_query_async (f->client, OTN, NULL, done_cb, f);
  t = till_wxpay_client_query_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  assert_request_signed (f, "GET", "/v3/pay/transactions/out-trade-no/" OTN "?mchid=" MCHID);
  g_assert_cmpstr (f->req_body, ==, "");
  g_assert_cmpint (t->trade_state, ==, TILL_WXPAY_TRADE_STATE_SUCCESS);
  g_assert_cmpint (t->amount_total, ==, 1234);
  till_wxpay_transaction_free (t);

  reset_result (f);
  answer (f, 200, "{\"trade_state\":\"PAYERROR\",\"trade_state_desc\":\"支付失败，请撤销订单\","
                  "\"out_trade_no\":\"" OTN "\"}", SIGN_OK);
  till_wxpay_client_query_by_id_async (f->client, "4200000914202101195554393855", NULL, done_cb, f);
  t = till_wxpay_client_query_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  assert_request_signed (f, "GET", "/v3/pay/transactions/id/4200000914202101195554393855?mchid=" MCHID);
  g_assert_cmpint (t->trade_state, ==, TILL_WXPAY_TRADE_STATE_PAYERROR);
  g_assert_true (till_wxpay_trade_state_is_final (t->trade_state));
  till_wxpay_transaction_free (t);

  reset_result (f);
  answer (f, 404, "{\"code\":\"ORDER_NOT_EXIST\",\"message\":\"订单不存在\"}", SIGN_OK);
  till_wxpay_client_query_async (f->client, OTN, NULL, done_cb, f);
  g_assert_null (till_wxpay_client_query_finish (f->client, wait_result (f), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER);
  g_assert_cmpstr (till_pay_error_get_provider_code (error), ==, "ORDER_NOT_EXIST");
  g_assert_cmpuint (till_pay_error_get_http_status (error), ==, 404);
}

static void
test_reverse_close_native (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code_url = NULL;
  TillWxpayNativeRequest native = {
    .out_trade_no = OTN,
    .description = "Tillpoint",
    .amount_total = 500,
    .notify_url = "https://example.com/notify",
  };

  answer (f, 200, "{\"appid\":\"" APPID "\",\"mchid\":\"" MCHID "\",\"out_trade_no\":\"" OTN "\"}", SIGN_OK);
  till_wxpay_client_reverse_async (f->client, OTN, NULL, done_cb, f);
  g_assert_true (till_wxpay_client_reverse_finish (f->client, wait_result (f), &error));
  g_assert_no_error (error);
  assert_request_signed (f, "POST", "/v3/pay/transactions/out-trade-no/" OTN "/reverse");
  g_assert_cmpstr (f->req_body, ==, "{\"appid\":\"" APPID "\",\"mchid\":\"" MCHID "\"}");

  reset_result (f);
  answer (f, 204, NULL, SIGN_OK);
  till_wxpay_client_close_async (f->client, OTN, NULL, done_cb, f);
  g_assert_true (till_wxpay_client_close_finish (f->client, wait_result (f), &error));
  g_assert_no_error (error);
  assert_request_signed (f, "POST", "/v3/pay/transactions/out-trade-no/" OTN "/close");
  g_assert_cmpstr (f->req_body, ==, "{\"mchid\":\"" MCHID "\"}");

  /* an unsigned 204 is not a successful close */
  reset_result (f);
  answer (f, 204, NULL, SIGN_NONE);
  till_wxpay_client_close_async (f->client, OTN, NULL, done_cb, f);
  g_assert_false (till_wxpay_client_close_finish (f->client, wait_result (f), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
  g_clear_error (&error);

  reset_result (f);
  answer (f, 200, "{\"code_url\":\"weixin://wxpay/bizpayurl/up?pr=NwY5Mz9&groupid=00\"}", SIGN_OK);
  till_wxpay_client_native_async (f->client, &native, NULL, done_cb, f);
  code_url = till_wxpay_client_native_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  assert_request_signed (f, "POST", "/v3/pay/transactions/native");
  g_assert_cmpstr (code_url, ==, "weixin://wxpay/bizpayurl/up?pr=NwY5Mz9&groupid=00");
  g_assert_nonnull (strstr (f->req_body, "\"notify_url\":\"https://example.com/notify\""));
  g_assert_nonnull (strstr (f->req_body, "\"amount\":{\"total\":500,\"currency\":\"CNY\"}"));
}

static void
test_refunds (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TillWxpayRefund *refund;
  TillWxpayRefundRequest req = {
    .out_trade_no = OTN,
    .out_refund_no = "R" OTN,
    .reason = "退货",
    .amount_refund = 200,
    .amount_total = 1234,
  };
  const char *refund_body =
    "{\"refund_id\":\"50000000382019052709732678859\",\"out_refund_no\":\"R" OTN "\","
    "\"transaction_id\":\"4200000914202101195554393855\",\"out_trade_no\":\"" OTN "\","
    "\"channel\":\"ORIGINAL\",\"user_received_account\":\"支付用户零钱\","
    "\"create_time\":\"2021-01-19T15:50:01+08:00\",\"status\":\"PROCESSING\","
    "\"amount\":{\"total\":1234,\"refund\":200,\"payer_total\":1234,\"payer_refund\":200,\"currency\":\"CNY\"}}";

  answer (f, 200, refund_body, SIGN_OK);
  till_wxpay_client_refund_async (f->client, &req, NULL, done_cb, f);
  refund = till_wxpay_client_refund_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  assert_request_signed (f, "POST", "/v3/refund/domestic/refunds");
  g_assert_nonnull (strstr (f->req_body, "\"amount\":{\"refund\":200,\"total\":1234,\"currency\":\"CNY\"}"));
  g_assert_cmpint (refund->status, ==, TILL_WXPAY_REFUND_STATUS_PROCESSING);
  g_assert_cmpstr (refund->refund_id, ==, "50000000382019052709732678859");
  g_assert_cmpint (refund->amount_refund, ==, 200);
  g_assert_cmpint (refund->amount_total, ==, 1234);
  till_wxpay_refund_free (refund);

  reset_result (f);
  answer (f, 200, "{\"refund_id\":\"50000000382019052709732678859\",\"out_refund_no\":\"R" OTN "\","
                  "\"status\":\"SUCCESS\",\"success_time\":\"2021-01-19T15:51:01+08:00\","
                  "\"amount\":{\"total\":1234,\"refund\":200}}", SIGN_OK);
  till_wxpay_client_refund_query_async (f->client, "R" OTN, NULL, done_cb, f);
  refund = till_wxpay_client_refund_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  assert_request_signed (f, "GET", "/v3/refund/domestic/refunds/R" OTN);
  g_assert_cmpint (refund->status, ==, TILL_WXPAY_REFUND_STATUS_SUCCESS);
  g_assert_cmpstr (refund->success_time, ==, "2021-01-19T15:51:01+08:00");
  till_wxpay_refund_free (refund);

  /* more than was paid: refused before sending */
  reset_result (f);
  req.amount_refund = 2000;
  till_wxpay_client_refund_async (f->client, &req, NULL, done_cb, f);
  g_assert_null (till_wxpay_client_refund_finish (f->client, wait_result (f), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID);
}

static GBytes *
gzip_bytes (const char *data, gsize len)
{
  z_stream zs;
  guint8 out[65536];

  memset (&zs, 0, sizeof zs);
  g_assert_cmpint (deflateInit2 (&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
                                 Z_DEFAULT_STRATEGY), ==, Z_OK);
  zs.next_in = (Bytef *) data;
  zs.avail_in = (uInt) len;
  zs.next_out = out;
  zs.avail_out = sizeof out;
  g_assert_cmpint (deflate (&zs, Z_FINISH), ==, Z_STREAM_END);
  deflateEnd (&zs);
  return g_bytes_new (out, sizeof out - zs.avail_out);
}

static const char bill_text[] =
  "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,"
  "应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,"
  "手续费,费率,订单金额,申请退款金额,费率备注\r\n"
  "`2021-01-28 17:07:11,`" APPID ",`" MCHID ",`0,`POS-01,`4200000925202101284997714292,`" OTN
  ",`ofyak5qR_1wYsC99CsWA6R9MJazA,`MICROPAY,`SUCCESS,`OTHERS,`CNY,`12.34,`0.00,`0,`0,`0.00,`0.00,`,`,"
  "`Tillpoint,`,`0.07000,`0.60%,`12.34,`0.00,`\r\n"
  "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n"
  "`1,`12.34,`0.00,`0.00,`0.07000,`12.34,`0.00\r\n";

static void
test_bill (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillWxpayBill) bill = NULL;
  g_autoptr(TillWxpayBill) wrong = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autofree char *sha1 = g_compute_checksum_for_string (G_CHECKSUM_SHA1, bill_text, -1);
  g_autofree char *bill_json = NULL;

  bill_json = g_strdup_printf ("{\"hash_type\":\"SHA1\",\"hash_value\":\"%s\","
                               "\"download_url\":\"https://api.mch.weixin.qq.com/v3/billdownload/file"
                               "?token=6XIv5TUPto7pByrTQKhd6kwvyKLG2uY2wMMR8cNXqaA_Cv_isgaUtBzp4QtiozLO&tartype=gzip\"}",
                               sha1);
  answer (f, 200, bill_json, SIGN_OK);
  till_wxpay_client_trade_bill_async (f->client, "2021-01-28", NULL, TRUE, NULL, done_cb, f);
  bill = till_wxpay_client_trade_bill_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  assert_request_signed (f, "GET", "/v3/bill/tradebill?bill_date=2021-01-28&bill_type=ALL&tar_type=GZIP");
  g_assert_cmpstr (bill->hash_type, ==, "SHA1");
  g_assert_cmpstr (bill->hash_value, ==, sha1);
  g_assert_true (bill->gzip);

  /* the download: signed GET of path+query, unsigned gzip answer */
  reset_result (f);
  answer (f, 200, NULL, SIGN_NONE);
  f->raw = gzip_bytes (bill_text, strlen (bill_text));
  till_wxpay_client_download_bill_async (f->client, bill, NULL, done_cb, f);
  file = till_wxpay_client_download_bill_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  assert_request_signed (f, "GET", "/v3/billdownload/file?token=6XIv5TUPto7pByrTQKhd6kwvyKLG2uY2wMMR8cNXqaA_Cv_isgaUtBzp4QtiozLO&tartype=gzip");
  g_assert_cmpuint (g_bytes_get_size (file), ==, strlen (bill_text));
  g_assert_cmpmem (g_bytes_get_data (file, NULL), g_bytes_get_size (file), bill_text, strlen (bill_text));

  /* a wrong hash */
  reset_result (f);
  wrong = till_wxpay_bill_copy (bill);
  wrong->hash_value[0] = wrong->hash_value[0] == '0' ? '1' : '0';
  till_wxpay_client_download_bill_async (f->client, wrong, NULL, done_cb, f);
  g_assert_null (till_wxpay_client_download_bill_finish (f->client, wait_result (f), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_CORRUPT);
  g_clear_error (&error);

  /* a truncated gzip stream */
  reset_result (f);
  {
    g_autoptr(GBytes) whole = gzip_bytes (bill_text, strlen (bill_text));
    g_clear_pointer (&f->raw, g_bytes_unref);
    f->raw = g_bytes_new_from_bytes (whole, 0, g_bytes_get_size (whole) / 2);
  }
  till_wxpay_client_download_bill_async (f->client, bill, NULL, done_cb, f);
  g_assert_null (till_wxpay_client_download_bill_finish (f->client, wait_result (f), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_CORRUPT);
  g_clear_error (&error);

  /* a plain (not compressed) bill */
  reset_result (f);
  g_clear_pointer (&f->raw, g_bytes_unref);
  f->raw = g_bytes_new_static (bill_text, strlen (bill_text));
  bill->gzip = FALSE;
  till_wxpay_client_download_bill_async (f->client, bill, NULL, done_cb, f);
  g_clear_pointer (&file, g_bytes_unref);
  file = till_wxpay_client_download_bill_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (file), ==, strlen (bill_text));

  /* no bill that day: a definite provider answer */
  reset_result (f);
  answer (f, 400, "{\"code\":\"NO_STATEMENT_EXIST\",\"message\":\"账单文件不存在\"}", SIGN_OK);
  till_wxpay_client_trade_bill_async (f->client, "2021-01-29", "SUCCESS", FALSE, NULL, done_cb, f);
  g_assert_null (till_wxpay_client_trade_bill_finish (f->client, wait_result (f), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER);
  g_assert_cmpstr (till_pay_error_get_provider_code (error), ==, "NO_STATEMENT_EXIST");
  g_assert_cmpstr (f->target, ==, "/v3/bill/tradebill?bill_date=2021-01-29&bill_type=SUCCESS");
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  int ret;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  merchant_key = till_rsa_key_generate (&error);
  g_assert_no_error (error);
  pem = till_rsa_key_export_public_pem (merchant_key, &error);
  g_assert_no_error (error);
  merchant_public = till_rsa_key_load_public_pem (pem, strlen (pem), &error);
  g_assert_no_error (error);
  g_clear_pointer (&pem, g_free);
  platform_key = till_rsa_key_generate (&error);
  g_assert_no_error (error);
  pem = till_rsa_key_export_public_pem (platform_key, &error);
  g_assert_no_error (error);
  platform_public = till_rsa_key_load_public_pem (pem, strlen (pem), &error);
  g_assert_no_error (error);

#define ADD(path, fn) g_test_add ("/wxpay-client/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("codepay-paid", test_codepay_paid);
  ADD ("codepay-userpaying", test_codepay_userpaying);
  ADD ("unsigned-success", test_unsigned_success);
  ADD ("provider-errors", test_provider_errors);
  ADD ("server-error", test_server_error);
  ADD ("malformed-answer", test_malformed_answer);
  ADD ("timeout", test_timeout);
  ADD ("cancel", test_cancel);
  ADD ("refused", test_refused);
  ADD ("dropped", test_dropped);
  ADD ("invalid-not-sent", test_invalid_not_sent);
  ADD ("query", test_query);
  ADD ("reverse-close-native", test_reverse_close_native);
  ADD ("refunds", test_refunds);
  ADD ("bill", test_bill);
#undef ADD

  ret = g_test_run ();

  till_rsa_key_unref (merchant_key);
  till_rsa_key_unref (merchant_public);
  till_rsa_key_unref (platform_key);
  till_rsa_key_unref (platform_public);
  return ret;
}
