/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark, in one run against one loopback server: N codepay calls through
 * TillWxpayClient (sign, send, verify, JSON) beside N bare libsoup POSTs of the same body,
 * alternating; then N alipay.trade.pay calls through TillAlipayClient (sign content, form
 * encoding, send, find the response object in the raw answer, verify, JSON) beside N bare
 * POSTs of the same URL and form body. Prints each side's per-call timings, the difference
 * (the client's own cost) and the ratio. Beside, in the same rounds: one signature plus one
 * verification with the same keys through the crypto layer (the floor under the own cost;
 * the target is the own cost within 0.3 ms of it), and a bare POST flagged
 * SOUP_MESSAGE_IDEMPOTENT, which libsoup lets ride on a kept-alive connection: libsoup opens a
 * new connection for every POST otherwise (the bare POSTs' and the clients' alike), so this
 * is what reusing connections would save. */
#define G_LOG_DOMAIN "till-bench"
#include "config.h"

#include <locale.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "till-alipay-client.h"
#include "till-alipay-sign.h"
#include "till-bench-stats.h"
#include "till-wxpay-client.h"
#include "till-wxpay-sign.h"

#define MCHID  "1230000109"
#define APPID  "wxd678efh567hg6787"
#define SERIAL "3775B6A45ACD588826D15E583A95F5DD00000001"
#define KEY_ID "PUB_KEY_ID_0112300001092024000000000001"
/* One order number for every call: the loopback peer keeps no ledger. */
#define OTN    "T01P01250101120000000001"

static const char answer_body[] =
  "{\"appid\":\"" APPID "\",\"mchid\":\"" MCHID "\",\"out_trade_no\":\"%s\","
  "\"transaction_id\":\"4200000914202101195554393855\",\"trade_type\":\"MICROPAY\","
  "\"trade_state\":\"SUCCESS\",\"trade_state_desc\":\"支付成功\",\"bank_type\":\"OTHERS\","
  "\"success_time\":\"2021-01-19T15:43:01+08:00\",\"payer\":{\"openid\":\"ofyak5qYxYJVnhTlrkk\"},"
  "\"amount\":{\"total\":1234,\"payer_total\":1234,\"currency\":\"CNY\",\"payer_currency\":\"CNY\"}}";

#define ALIPAY_APP_ID "2021000122671080"
#define ALIPAY_OTN    "T01P01250101120000000001"

static const char alipay_content[] =
  "{\"code\":\"10000\",\"msg\":\"Success\",\"buyer_logon_id\":\"159******20\","
  "\"buyer_pay_amount\":\"12.34\",\"fund_bill_list\":[{\"amount\":\"12.34\","
  "\"fund_channel\":\"ALIPAYACCOUNT\"}],\"gmt_payment\":\"2021-01-19 15:43:01\","
  "\"invoice_amount\":\"12.34\",\"out_trade_no\":\"" ALIPAY_OTN "\","
  "\"point_amount\":\"0.00\",\"receipt_amount\":\"12.34\","
  "\"store_name\":\"\\u6d4b\\u8bd5\\/S01\",\"total_amount\":\"12.34\","
  "\"trade_no\":\"2021011922001400001234567890\"}";

/* ---- the loopback peer, on its own thread and main context ---- */

typedef struct
{
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  TillRsaKey   *platform_key;
  TillRsaKey   *alipay_key;
  guint16       port;
  GMutex        lock;
  GCond         ready;
  gboolean      started;
} Peer;

static void
peer_handler_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                 gpointer user_data)
{
  Peer *peer = user_data;
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);

  if (g_str_equal (path, "/gateway.do"))
    {
      /* Alipay: every answer signed over its response object, for both sides alike */
      g_autofree char *sign = till_rsa_sign_base64 (peer->alipay_key, alipay_content,
                                                    strlen (alipay_content), NULL);
      char *body = till_alipay_answer_body ("alipay_trade_pay_response", alipay_content, sign);

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/html;charset=utf-8", SOUP_MEMORY_TAKE, body,
                                        strlen (body));
      return;
    }
  {
  g_autofree char *body = g_strdup_printf (answer_body, OTN);
  g_autofree char *nonce = till_wxpay_nonce_new ();
  g_autofree char *ts = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *m = till_wxpay_response_message (ts, nonce, body, strlen (body));
  g_autofree char *sig = till_rsa_sign_base64 (peer->platform_key, m, strlen (m), NULL);

  /* Every answer is signed, for the client and the bare POST alike: the server's work is
   * the same on both sides and cancels out of the difference. */
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
  soup_message_headers_replace (h, "Wechatpay-Timestamp", ts);
  soup_message_headers_replace (h, "Wechatpay-Nonce", nonce);
  soup_message_headers_replace (h, "Wechatpay-Signature", sig);
  soup_message_headers_replace (h, "Wechatpay-Serial", KEY_ID);
  }
}

static gpointer
peer_thread (gpointer data)
{
  Peer *peer = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (peer->context);
  peer->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (peer->server, NULL, peer_handler_cb, peer, NULL);
  if (!soup_server_listen_local (peer->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("listen: %s", error->message);
  uris = soup_server_get_uris (peer->server);
  peer->port = (guint16) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&peer->lock);
  peer->started = TRUE;
  g_cond_signal (&peer->ready);
  g_mutex_unlock (&peer->lock);

  g_main_loop_run (peer->loop);

  soup_server_disconnect (peer->server);
  g_clear_object (&peer->server);
  g_main_context_pop_thread_default (peer->context);
  return NULL;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* ---- the two clients ---- */

typedef struct
{
  GMainLoop *loop;
  gboolean   done;
  GError    *error;
  guint      status;
} Wait;

static void
codepay_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;
  g_autoptr(TillWxpayTransaction) t =
    till_wxpay_client_codepay_finish (TILL_WXPAY_CLIENT (source), result, &w->error);

  if (t != NULL && t->trade_state != TILL_WXPAY_TRADE_STATE_SUCCESS)
    g_set_error (&w->error, G_IO_ERROR, G_IO_ERROR_FAILED, "trade_state %s", t->trade_state_str);
  w->done = TRUE;
  g_main_loop_quit (w->loop);
}

static void
bare_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &w->error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  if (body != NULL)
    w->status = soup_message_get_status (msg);
  w->done = TRUE;
  g_main_loop_quit (w->loop);
}

static void
wait_for (Wait *w)
{
  while (!w->done)
    g_main_loop_run (w->loop);
  if (w->error != NULL)
    g_error ("call failed: %s", w->error->message);
}

static gint64
time_codepay (TillWxpayClient *client, GMainLoop *loop)
{
  TillWxpayCodepayRequest r = {
    .out_trade_no = OTN,
    .auth_code = "134567890123450000",
    .description = "Tillpoint 测试店 — bench",
    .amount_total = 1234,
    .device_id = "POS-01",
    .store_out_id = "S01",
  };
  Wait w = { loop, FALSE, NULL, 0 };
  gint64 start = till_bench_now_ns ();

  till_wxpay_client_codepay_async (client, &r, NULL, codepay_done_cb, &w);
  wait_for (&w);
  return till_bench_now_ns () - start;
}

static void
alipay_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;
  g_autoptr(TillAlipayTrade) t =
    till_alipay_client_pay_finish (TILL_ALIPAY_CLIENT (source), result, &w->error);

  if (t != NULL && g_strcmp0 (t->code, TILL_ALIPAY_CODE_SUCCESS) != 0)
    g_set_error (&w->error, G_IO_ERROR, G_IO_ERROR_FAILED, "code %s", t->code);
  w->done = TRUE;
  g_main_loop_quit (w->loop);
}

static gint64
time_alipay (TillAlipayClient *client, GMainLoop *loop)
{
  TillAlipayPayRequest r = {
    .out_trade_no = ALIPAY_OTN,
    .amount_fen = 1234,
    .auth_code = "286958267789018980",
    .subject = "Tillpoint 测试店 — bench",
    .store_id = "S01",
    .terminal_id = "POS01",
    .timeout_express = "5m",
  };
  Wait w = { loop, FALSE, NULL, 0 };
  gint64 start = till_bench_now_ns ();

  till_alipay_client_pay_async (client, &r, NULL, alipay_done_cb, &w);
  wait_for (&w);
  return till_bench_now_ns () - start;
}

static gint64
time_bare_conn (SoupSession *session, const char *url, GBytes *body, const char *content_type,
                gboolean kept_alive, GMainLoop *loop)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  Wait w = { loop, FALSE, NULL, 0 };
  gint64 start = till_bench_now_ns ();

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  if (kept_alive)
    soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  soup_message_set_request_body_from_bytes (msg, content_type, body);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, bare_done_cb, &w);
  wait_for (&w);
  if (w.status != 200)
    g_error ("bare POST: HTTP %u", w.status);
  return till_bench_now_ns () - start;
}

static gint64
time_bare (SoupSession *session, const char *url, GBytes *body, const char *content_type,
           GMainLoop *loop)
{
  return time_bare_conn (session, url, body, content_type, FALSE, loop);
}

/* One signature over `sign_msg` with `private_key` and one verification of `signature`
 * over `verify_msg` with `public_key`: the crypto a call cannot do without. */
static gint64
time_sign_verify (TillRsaKey *private_key, const char *sign_msg, TillRsaKey *public_key,
                  const char *verify_msg, const char *signature)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sig = NULL;
  gint64 start = till_bench_now_ns ();

  sig = till_rsa_sign_base64 (private_key, sign_msg, strlen (sign_msg), &error);
  g_assert_no_error (error);
  if (!till_rsa_verify_base64 (public_key, verify_msg, strlen (verify_msg), signature, &error))
    g_error ("verify: %s", error->message);
  return till_bench_now_ns () - start;
}

/* The breakdown's other parts, done as the WeChat Pay client does them, without the
 * network or the signature: the request's JSON built and the answer's parsed (json-glib);
 * the nonce, the message to sign, the Authorization header and the SoupMessage with its
 * headers and body. */
static gint64
time_json (const char *answer)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) root = NULL, copy = NULL;
  g_autofree char *data = NULL;
  JsonObject *o;
  gint64 start = till_bench_now_ns ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "appid");
  json_builder_add_string_value (b, APPID);
  json_builder_set_member_name (b, "mchid");
  json_builder_add_string_value (b, MCHID);
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, "Tillpoint 测试店 — bench");
  json_builder_set_member_name (b, "out_trade_no");
  json_builder_add_string_value (b, OTN);
  json_builder_set_member_name (b, "payer");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "auth_code");
  json_builder_add_string_value (b, "134567890123450000");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "amount");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, 1234);
  json_builder_set_member_name (b, "currency");
  json_builder_add_string_value (b, "CNY");
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  data = json_generator_to_data (gen, NULL);

  if (!json_parser_load_from_data (parser, answer, -1, NULL))
    g_error ("answer JSON");
  copy = json_node_copy (json_parser_get_root (parser));
  o = json_node_get_object (copy);
  if (json_object_get_string_member (o, "trade_state") == NULL ||
      json_object_get_int_member (json_object_get_object_member (o, "amount"), "total") != 1234)
    g_error ("answer fields");
  return till_bench_now_ns () - start;
}

static gint64
time_headers (const char *url, GBytes *body)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *nonce = NULL, *m = NULL, *auth = NULL;
  SoupMessageHeaders *h;
  gint64 start = till_bench_now_ns ();

  msg = soup_message_new ("POST", url);
  nonce = till_wxpay_nonce_new ();
  m = till_wxpay_request_message ("POST", "/v3/pay/transactions/codepay",
                                  g_get_real_time () / G_USEC_PER_SEC, nonce,
                                  g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  auth = till_wxpay_authorization_build (MCHID, nonce, g_get_real_time () / G_USEC_PER_SEC, SERIAL,
                                         "c2lnbmF0dXJl");
  h = soup_message_get_request_headers (msg);
  soup_message_headers_replace (h, "Authorization", auth);
  soup_message_headers_replace (h, "Accept", "application/json");
  soup_message_headers_replace (h, "Wechatpay-Serial", KEY_ID);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  return till_bench_now_ns () - start;
}

static void
print_stats (const char *name, GArray *samples)
{
  TillBenchStats s = till_bench_stats (samples);

  g_print ("%-22s n=%u  median %8.1f µs  mean %8.1f µs  p99 %8.1f µs  min %8.1f µs  max %8.1f µs\n",
           name, s.n, s.median / 1000, s.mean / 1000, s.p99 / 1000, s.min / 1000, s.max / 1000);
}

static void
print_result (const char *client_name,
              const char *own_cost,
              GArray     *client_ns,
              GArray     *bare_ns,
              GArray     *diff_ns,
              GArray     *crypto_ns,
              GArray     *keptalive_ns)
{
  TillBenchStats cs, bs, ks, ns;
  double own_median, own_mean;

  print_stats (client_name, client_ns);
  print_stats ("bare libsoup POST", bare_ns);
  print_stats ("difference per pair", diff_ns);
  print_stats ("sign + verify", crypto_ns);
  print_stats ("bare POST, kept-alive", keptalive_ns);
  cs = till_bench_stats (client_ns);
  bs = till_bench_stats (bare_ns);
  ks = till_bench_stats (crypto_ns);
  ns = till_bench_stats (keptalive_ns);
  own_median = cs.median - bs.median;
  own_mean = cs.mean - bs.mean;
  g_print ("client's own cost (%s): median %.1f µs, mean %.1f µs per call\n", own_cost,
           own_median / 1000, own_mean / 1000);
  g_print ("ratio client/bare: median %.2f×, mean %.2f×\n", cs.median / bs.median, cs.mean / bs.mean);
  g_print ("own cost − (sign + verify): median %.1f µs, mean %.1f µs (target ≤ 300 µs); "
           "own cost / (sign + verify): median %.2f×\n",
           (own_median - ks.median) / 1000, (own_mean - ks.mean) / 1000, own_median / ks.median);
  g_print ("median difference per pair − median (sign + verify): %.1f µs\n",
           (till_bench_stats (diff_ns).median - ks.median) / 1000);
  g_print ("a new connection per POST (bare − bare kept-alive): median %.1f µs, mean %.1f µs\n",
           (bs.median - ns.median) / 1000, (bs.mean - ns.mean) / 1000);
}

/* The URL and form body the Alipay client sends for the bench's payment (signed once
 * here, so that the bare POST carries the same bytes without the client's work). */
static void
alipay_request (TillRsaKey  *app_key,
                const char  *gateway,
                char       **out_url,
                GBytes     **out_body)
{
  static const char biz[] =
    "{\"out_trade_no\":\"" ALIPAY_OTN "\",\"scene\":\"bar_code\","
    "\"auth_code\":\"286958267789018980\",\"subject\":\"Tillpoint 测试店 — bench\","
    "\"total_amount\":\"12.34\",\"product_code\":\"FACE_TO_FACE_PAYMENT\","
    "\"store_id\":\"S01\",\"terminal_id\":\"POS01\",\"timeout_express\":\"5m\"}";
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *timestamp = till_alipay_timestamp_format (g_get_real_time ());
  g_autofree char *sign = NULL;
  g_autofree char *e_ts = NULL, *e_sign = NULL, *e_biz = NULL;
  char *form;

  g_hash_table_insert (params, "method", "alipay.trade.pay");
  g_hash_table_insert (params, "app_id", ALIPAY_APP_ID);
  g_hash_table_insert (params, "format", "JSON");
  g_hash_table_insert (params, "charset", "utf-8");
  g_hash_table_insert (params, "sign_type", "RSA2");
  g_hash_table_insert (params, "timestamp", timestamp);
  g_hash_table_insert (params, "version", "1.0");
  g_hash_table_insert (params, "biz_content", (gpointer) biz);
  sign = till_alipay_sign_params (app_key, params, NULL);
  e_ts = g_uri_escape_string (timestamp, NULL, FALSE);
  e_sign = g_uri_escape_string (sign, NULL, FALSE);
  e_biz = g_uri_escape_string (biz, NULL, FALSE);
  *out_url = g_strdup_printf ("%s?method=alipay.trade.pay&app_id=" ALIPAY_APP_ID "&format=JSON"
                              "&charset=utf-8&sign_type=RSA2&timestamp=%s&version=1.0&sign=%s",
                              gateway, e_ts, e_sign);
  form = g_strconcat ("biz_content=", e_biz, NULL);
  *out_body = g_bytes_new_take (form, strlen (form));
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(TillRsaKey) merchant_key = NULL;
  g_autoptr(TillRsaKey) platform_key = NULL;
  g_autoptr(TillRsaKey) platform_public = NULL;
  g_autoptr(TillWxpayClient) client = NULL;
  g_autoptr(SoupSession) bare = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GArray) client_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) bare_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) diff_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) ali_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) ali_bare_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) ali_diff_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) crypto_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) keptalive_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) json_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) headers_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *wx_answer = g_strdup_printf (answer_body, OTN);
  g_autoptr(GArray) ali_crypto_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) ali_keptalive_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *wx_sign_msg = NULL, *wx_verify_msg = NULL, *wx_verify_sig = NULL;
  g_autofree char *ali_sign_msg = NULL, *ali_verify_sig = NULL;
  g_autoptr(GBytes) bare_body = NULL;
  g_autoptr(GBytes) ali_body = NULL;
  g_autoptr(TillRsaKey) app_key = NULL;
  g_autoptr(TillRsaKey) alipay_key = NULL;
  g_autoptr(TillRsaKey) alipay_public = NULL;
  g_autoptr(TillAlipayClient) ali_client = NULL;
  g_autofree char *pem = NULL, *base_url = NULL, *bare_url = NULL;
  g_autofree char *gateway = NULL, *ali_url = NULL, *ali_pem = NULL;
  gint n = 500, warmup = 20;
  gboolean verbose = FALSE;
  GOptionEntry entries[] = {
    { "calls", 'n', 0, G_OPTION_ARG_INT, &n, "Timed calls of each kind (default 500)", "N" },
    { "warmup", 'w', 0, G_OPTION_ARG_INT, &warmup, "Untimed calls first (default 20)", "N" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Print every sample", NULL },
    { NULL }
  };
  Peer peer = { 0 };
  GThread *thread;

  setlocale (LC_ALL, "");
  options = g_option_context_new ("— codepay through TillWxpayClient vs bare libsoup");
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (n < 1 || warmup < 0)
    g_error ("--calls must be ≥ 1 and --warmup ≥ 0");

  merchant_key = till_rsa_key_generate (&error);
  g_assert_no_error (error);
  platform_key = till_rsa_key_generate (&error);
  g_assert_no_error (error);
  pem = till_rsa_key_export_public_pem (platform_key, &error);
  g_assert_no_error (error);
  platform_public = till_rsa_key_load_public_pem (pem, strlen (pem), &error);
  g_assert_no_error (error);
  app_key = till_rsa_key_generate (&error);
  g_assert_no_error (error);
  alipay_key = till_rsa_key_generate (&error);
  g_assert_no_error (error);
  ali_pem = till_rsa_key_export_public_pem (alipay_key, &error);
  g_assert_no_error (error);
  alipay_public = till_rsa_key_load_public_pem (ali_pem, strlen (ali_pem), &error);
  g_assert_no_error (error);

  peer.context = g_main_context_new ();
  peer.loop = g_main_loop_new (peer.context, FALSE);
  peer.platform_key = platform_key;
  peer.alipay_key = alipay_key;
  g_mutex_init (&peer.lock);
  g_cond_init (&peer.ready);
  thread = g_thread_new ("bench-peer", peer_thread, &peer);
  g_mutex_lock (&peer.lock);
  while (!peer.started)
    g_cond_wait (&peer.ready, &peer.lock);
  g_mutex_unlock (&peer.lock);

  base_url = g_strdup_printf ("http://127.0.0.1:%u", peer.port);
  bare_url = g_strconcat (base_url, "/v3/pay/transactions/codepay", NULL);
  {
    TillWxpayConfig config = {
      .base_url = base_url,
      .mchid = MCHID,
      .appid = APPID,
      .merchant_serial = SERIAL,
      .merchant_key = merchant_key,
      .platform_key = platform_public,
      .platform_key_id = KEY_ID,
      .timeout_ms = 10000,
    };
    client = till_wxpay_client_new (&config, &error);
    g_assert_no_error (error);
  }
  bare = soup_session_new_with_options ("user-agent", TILL_WXPAY_USER_AGENT, "max-conns-per-host", 4, NULL);
  /* the same body the client sends (as the client builds it) */
  {
    static const char body[] =
      "{\"appid\":\"" APPID "\",\"mchid\":\"" MCHID "\",\"description\":\"Tillpoint 测试店 — bench\","
      "\"out_trade_no\":\"" OTN "\",\"payer\":{\"auth_code\":\"134567890123450000\"},"
      "\"amount\":{\"total\":1234,\"currency\":\"CNY\"},\"scene_info\":{\"device_id\":\"POS-01\","
      "\"store_info\":{\"out_id\":\"S01\"}}}";
    bare_body = g_bytes_new_static (body, strlen (body));
  }
  gateway = g_strconcat (base_url, "/gateway.do", NULL);
  {
    TillAlipayConfig config = {
      .gateway_url = gateway,
      .app_id = ALIPAY_APP_ID,
      .app_private_key = app_key,
      .alipay_public_key = alipay_public,
      .timeout_ms = 10000,
    };
    ali_client = till_alipay_client_new (&config, &error);
    g_assert_no_error (error);
  }
  alipay_request (app_key, gateway, &ali_url, &ali_body);
  loop = g_main_loop_new (NULL, FALSE);

  /* The floor's messages, of the sizes the calls sign and verify. */
  {
    g_autofree char *answer = g_strdup_printf (answer_body, OTN);

    wx_sign_msg = till_wxpay_request_message ("POST", "/v3/pay/transactions/codepay", 1554208460,
                                              "593BEC0C930BF1AFEB40B4A08C8FB242",
                                              g_bytes_get_data (bare_body, NULL),
                                              g_bytes_get_size (bare_body));
    wx_verify_msg = till_wxpay_response_message ("1554208460", "c5ac7061fccab6bf3e254dcf98995b8c",
                                                 answer, strlen (answer));
    wx_verify_sig = till_rsa_sign_base64 (platform_key, wx_verify_msg, strlen (wx_verify_msg), &error);
    g_assert_no_error (error);
    ali_sign_msg = g_strndup (g_bytes_get_data (ali_body, NULL), g_bytes_get_size (ali_body));
    ali_verify_sig = till_rsa_sign_base64 (alipay_key, alipay_content, strlen (alipay_content), &error);
    g_assert_no_error (error);
  }

  for (gint i = 0; i < warmup; i++)
    {
      time_codepay (client, loop);
      time_bare (bare, bare_url, bare_body, "application/json", loop);
      time_alipay (ali_client, loop);
      time_bare (bare, ali_url, ali_body, "application/x-www-form-urlencoded;charset=utf-8", loop);
    }
  /* Alternating, so that drift (CPU frequency, other load) hits both sides alike. */
  for (gint i = 0; i < n; i++)
    {
      gint64 c = time_codepay (client, loop);
      gint64 b = time_bare (bare, bare_url, bare_body, "application/json", loop);
      gint64 d = c - b;

      g_array_append_val (client_ns, c);
      g_array_append_val (bare_ns, b);
      g_array_append_val (diff_ns, d);
      c = time_sign_verify (merchant_key, wx_sign_msg, platform_public, wx_verify_msg, wx_verify_sig);
      g_array_append_val (crypto_ns, c);
      b = time_bare_conn (bare, bare_url, bare_body, "application/json", TRUE, loop);
      g_array_append_val (keptalive_ns, b);
      c = time_json (wx_answer);
      g_array_append_val (json_ns, c);
      c = time_headers (bare_url, bare_body);
      g_array_append_val (headers_ns, c);
      if (verbose)
        g_print ("call %4d  client %8.1f µs  bare %8.1f µs\n", i, c / 1000.0, b / 1000.0);
    }

  for (gint i = 0; i < n; i++)
    {
      gint64 c = time_alipay (ali_client, loop);
      gint64 b = time_bare (bare, ali_url, ali_body,
                            "application/x-www-form-urlencoded;charset=utf-8", loop);
      gint64 d = c - b;

      g_array_append_val (ali_ns, c);
      g_array_append_val (ali_bare_ns, b);
      g_array_append_val (ali_diff_ns, d);
      c = time_sign_verify (app_key, ali_sign_msg, alipay_public, alipay_content, ali_verify_sig);
      g_array_append_val (ali_crypto_ns, c);
      b = time_bare_conn (bare, ali_url, ali_body, "application/x-www-form-urlencoded;charset=utf-8",
                          TRUE, loop);
      g_array_append_val (ali_keptalive_ns, b);
      if (verbose)
        g_print ("alipay %4d  client %8.1f µs  bare %8.1f µs\n", i, c / 1000.0, b / 1000.0);
    }

  g_print ("codepay against a loopback SoupServer (answers signed with RSA-2048), %d calls each, "
           "%d warm-up\n", n, warmup);
  print_result ("TillWxpayClient", "sign + verify + JSON", client_ns, bare_ns, diff_ns, crypto_ns,
                keptalive_ns);
  g_print ("breakdown of the rest (done apart, as the client does it):\n");
  print_stats ("  JSON build + parse", json_ns);
  print_stats ("  message + headers", headers_ns);
  g_print ("\nalipay.trade.pay against the same server (answers signed with RSA-2048), %d calls "
           "each, %d warm-up\n", n, warmup);
  print_result ("TillAlipayClient", "sign + form + find + verify + JSON", ali_ns, ali_bare_ns,
                ali_diff_ns, ali_crypto_ns, ali_keptalive_ns);

  g_main_context_invoke (peer.context, quit_cb, peer.loop);
  g_thread_join (thread);
  g_main_loop_unref (peer.loop);
  g_main_context_unref (peer.context);
  g_mutex_clear (&peer.lock);
  g_cond_clear (&peer.ready);
  return 0;
}
