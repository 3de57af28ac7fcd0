/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reconciliation job against the real simulator (tillpoint-paysim on 127.0.0.1) and a
 * real SQLite file, with WeChat Pay and Alipay both set up: real payments and a refund, the
 * day closed, the fetch_bill jobs (one per provider) waiting through STATEMENT_CREATING /
 * Alipay's "not today" and then balanced; each kind of difference, for each provider; a
 * day without trades (NO_STATEMENT_EXIST, isp.bill_not_exist); damaged downloads (through
 * a tampering proxy) retried, then dead; one job per day and provider; a job queued before
 * there were two providers. Each case has a simulator of its own (its bill is the day's). */
#define G_LOG_DOMAIN "test-bill-service"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "till-alipay-provider.h"
#include "till-bill-service.h"
#include "till-core-error.h"
#include "till-outbox-worker.h"
#include "till-payment-service.h"
#include "till-store-cash.h"
#include "till-store-outbox.h"
#include "till-store-payments.h"
#include "till-store-refunds.h"
#include "till-store-reports.h"
#include "till-test-alipay.h"
#include "till-test-pay.h"
#include "till-test-store.h"

#define CLIENT_TIMEOUT_MS 3000
#define NOT_READY_RETRY_S 2

/* ---------------------------------------------------------------- a tampering proxy */

/* Forwards every request to the simulator; while tamper_left > 0, a bill download is
 * answered with one byte of the bill changed (a damaged transfer the SHA1 must catch). */
typedef struct
{
  SoupServer  *server;
  SoupSession *session;
  char        *target;         /* the simulator's base URL */
  char        *base_url;       /* the proxy's */
  guint        tamper_left;
  guint        downloads;
  guint        tampered;
} Proxy;

typedef struct
{
  Proxy             *proxy;
  SoupServerMessage *msg;
  SoupMessage       *out;
  gboolean           download;
} Forward;

static GBytes *
convert_bytes (GConverter *converter,
               GBytes     *in)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) conv = g_converter_output_stream_new (mem, converter);
  gsize written;

  g_assert_true (g_output_stream_write_all (conv, g_bytes_get_data (in, NULL),
                                            g_bytes_get_size (in), &written, NULL, &error));
  g_assert_true (g_output_stream_close (conv, NULL, &error));
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
}

/* gunzip, change one byte in the middle of the bill, gzip again. */
static GBytes *
tamper (GBytes *gz)
{
  g_autoptr(GZlibDecompressor) dec = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GZlibCompressor) enc = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GBytes) plain = convert_bytes (G_CONVERTER (dec), gz);
  gsize len;
  guint8 *data = g_bytes_unref_to_data (g_bytes_ref (plain), &len);
  g_autoptr(GBytes) damaged = NULL;

  g_assert_cmpuint (len, >, 100);
  data[len / 2] = data[len / 2] == '7' ? '8' : '7';
  damaged = g_bytes_new_take (data, len);
  return convert_bytes (G_CONVERTER (enc), damaged);
}

static void
forward_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Forward *fw = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);
  guint status = soup_message_get_status (fw->out);
  SoupMessageHeaders *in_h = soup_message_get_response_headers (fw->out);
  SoupMessageHeaders *out_h = soup_server_message_get_response_headers (fw->msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  if (body == NULL)
    {
      soup_server_message_set_status (fw->msg, 502, NULL);
    }
  else
    {
      soup_message_headers_iter_init (&iter, in_h);
      while (soup_message_headers_iter_next (&iter, &name, &value))
        if (g_ascii_strcasecmp (name, "Content-Length") != 0
            && g_ascii_strcasecmp (name, "Transfer-Encoding") != 0
            && g_ascii_strcasecmp (name, "Connection") != 0
            && g_ascii_strcasecmp (name, "Content-Type") != 0)
          soup_message_headers_append (out_h, name, value);
      if (fw->download && status == 200)
        {
          fw->proxy->downloads++;
          if (fw->proxy->tamper_left > 0)
            {
              GBytes *damaged = tamper (body);

              fw->proxy->tamper_left--;
              fw->proxy->tampered++;
              g_bytes_unref (body);
              body = damaged;
            }
        }
      soup_server_message_set_status (fw->msg, status, NULL);
      soup_server_message_set_response (fw->msg,
                                        soup_message_headers_get_content_type (in_h, NULL),
                                        SOUP_MEMORY_COPY, g_bytes_get_data (body, NULL),
                                        g_bytes_get_size (body));
    }
  soup_server_message_unpause (fw->msg);
  g_object_unref (fw->msg);
  g_object_unref (fw->out);
  g_free (fw);
}

static void
proxy_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  Proxy *proxy = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *q = g_uri_get_query (uri);
  g_autofree char *target = g_strconcat (proxy->target, g_uri_get_path (uri), q ? "?" : "",
                                         q ? q : "", NULL);
  Forward *fw = g_new0 (Forward, 1);
  SoupMessageHeaders *in_h = soup_server_message_get_request_headers (msg);
  SoupMessageBody *in_body = soup_server_message_get_request_body (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  fw->proxy = proxy;
  fw->msg = g_object_ref (msg);
  fw->out = soup_message_new (soup_server_message_get_method (msg), target);
  fw->download = g_str_has_prefix (path, "/v3/billdownload/");
  g_assert_nonnull (fw->out);
  soup_message_headers_iter_init (&iter, in_h);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Host") != 0
        && g_ascii_strcasecmp (name, "Content-Length") != 0
        && g_ascii_strcasecmp (name, "Connection") != 0)
      soup_message_headers_replace (soup_message_get_request_headers (fw->out), name, value);
  if (in_body->length > 0)
    {
      g_autoptr(GBytes) b = soup_message_body_flatten (in_body);

      soup_message_set_request_body_from_bytes (fw->out,
                                                soup_message_headers_get_content_type (in_h, NULL),
                                                b);
    }
  soup_server_message_pause (msg);
  soup_session_send_and_read_async (proxy->session, fw->out, G_PRIORITY_DEFAULT, NULL,
                                    forward_cb, fw);
}

static Proxy *
proxy_new (const char *target)
{
  g_autoptr(GError) error = NULL;
  Proxy *proxy = g_new0 (Proxy, 1);
  g_autoptr(GSList) uris = NULL;

  proxy->target = g_strdup (target);
  proxy->session = soup_session_new ();
  proxy->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (proxy->server, NULL, proxy_handler, proxy, NULL);
  g_assert_true (soup_server_listen_local (proxy->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY,
                                           &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (proxy->server);
  g_assert_nonnull (uris);
  proxy->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  return proxy;
}

static void
proxy_free (Proxy *proxy)
{
  soup_server_disconnect (proxy->server);
  g_object_unref (proxy->server);
  g_object_unref (proxy->session);
  g_free (proxy->target);
  g_free (proxy->base_url);
  g_free (proxy);
}

/* ---------------------------------------------------------------- fixture */

typedef struct
{
  TillTestPaysim     *sim;
  Proxy              *proxy;      /* NULL unless asked for */
  char               *dir;
  char               *db_path;
  TillStore          *store;
  TillWxpayClient    *client;
  TillPayProvider    *wechat;
  TillAlipayClient   *ali_client;
  TillPayProvider    *alipay;
  TillPaymentService *pay;
  TillOutboxWorker   *worker;
  TillBillService    *bills;
  char               *today;
  char               *key;
  GPtrArray          *reconciled;   /* WeChat Pay's: "date status" */
  guint               not_ready;     /* WeChat Pay's */
  guint               want_reconciled;
  GPtrArray          *ali_reconciled;   /* Alipay's: "date status provider" */
  guint               ali_not_ready;
  gint64              ali_next_try;
} Fixture;

typedef gboolean (*Predicate) (Fixture *f);

/* Runs the main context until pred(f) (checked at least every 50 ms; at most limit_s). */
static void
wait_until (Fixture    *f,
            Predicate   pred,
            guint       limit_s,
            const char *what)
{
  guint id = g_timeout_add_seconds (limit_s, till_test_pay_timeout_cb, (gpointer) what);
  guint tick = g_timeout_add (50, till_test_pay_tick_cb, NULL);

  while (!pred (f))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_source_remove (id);
}

static void
reconciled_cb (TillBillService *svc,
               const char      *date,
               const char      *status,
               const char      *provider,
               Fixture         *f)
{
  g_assert_cmpstr (provider, ==, "wechat");
  g_ptr_array_add (f->reconciled, g_strdup_printf ("%s %s", date, status));
}

static void
ali_reconciled_cb (TillBillService *svc,
                   const char      *date,
                   const char      *status,
                   const char      *provider,
                   Fixture         *f)
{
  g_ptr_array_add (f->ali_reconciled, g_strdup_printf ("%s %s %s", date, status, provider));
}

static void
ali_not_ready_cb (TillBillService *svc,
                  const char      *date,
                  gint64           next_attempt_at,
                  const char      *provider,
                  Fixture         *f)
{
  g_assert_cmpstr (provider, ==, "alipay");
  g_assert_cmpstr (date, ==, f->today);
  g_assert_cmpint (next_attempt_at, >, g_get_real_time () + G_USEC_PER_SEC);
  f->ali_not_ready++;
  f->ali_next_try = next_attempt_at;
}

static void
not_ready_cb (TillBillService *svc,
              const char      *date,
              gint64           next_attempt_at,
              const char      *provider,
              Fixture         *f)
{
  g_assert_cmpstr (provider, ==, "wechat");
  g_assert_cmpstr (date, ==, f->today);
  g_assert_cmpint (next_attempt_at, >, g_get_real_time () + G_USEC_PER_SEC);
  g_assert_cmpint (next_attempt_at, <=, g_get_real_time () + NOT_READY_RETRY_S * G_USEC_PER_SEC);
  f->not_ready++;
}

static Fixture *
fixture_new (gboolean with_proxy)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  Fixture *f = g_new0 (Fixture, 1);
  TillPaymentServiceConfig pay_config = {
    .store_id = "S01",
    .device_id = "D01",
    .query_interval_ms = 200,
    .deadline_ms = 3000,
    .reverse_min_delay_ms = 1000,
    .reverse_attempts = 2,
    .reverse_retry_ms = 200,
  };
  TillOutboxWorkerConfig worker_config = {
    .backoff_base_ms = 100,
    .backoff_cap_ms = 400,
    .watch_network = FALSE,
  };
  TillBillServiceConfig bill_config = {
    .not_ready_retry_s = NOT_READY_RETRY_S,
    .corrupt_attempts = 3,
  };
  f->sim = till_test_paysim_start (NULL, &error);
  g_assert_no_error (error);
  if (with_proxy)
    f->proxy = proxy_new (till_test_paysim_get_base_url (f->sim));
  f->store = till_test_store_open_tmp ("till-bill-XXXXXX", &f->dir, &f->db_path);
  f->client = till_test_pay_new_client (f->sim, f->proxy ? f->proxy->base_url : NULL, FALSE,
                                        CLIENT_TIMEOUT_MS);
  f->wechat = till_test_pay_provider (f->client);
  f->ali_client = till_test_alipay_new_client (f->sim, NULL, CLIENT_TIMEOUT_MS);
  f->alipay = till_test_alipay_provider (f->ali_client);
  f->pay = till_payment_service_new (f->store, f->wechat, &pay_config, &error);
  g_assert_no_error (error);
  till_payment_service_add_provider (f->pay, f->alipay);
  f->worker = till_outbox_worker_new (f->pay, &worker_config);
  /* both providers, as the runtime gives them */
  f->bills = till_bill_service_new (f->store, f->wechat, &bill_config);
  till_bill_service_add_provider (f->bills, f->alipay);
  till_bill_service_attach (f->bills, f->worker);
  f->reconciled = g_ptr_array_new_with_free_func (g_free);
  f->ali_reconciled = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->bills, "reconciled::wechat", G_CALLBACK (reconciled_cb), f);
  g_signal_connect (f->bills, "not-ready::wechat", G_CALLBACK (not_ready_cb), f);
  g_signal_connect (f->bills, "reconciled::alipay", G_CALLBACK (ali_reconciled_cb), f);
  g_signal_connect (f->bills, "not-ready::alipay", G_CALLBACK (ali_not_ready_cb), f);
  f->today = g_date_time_format (now, "%Y-%m-%d");
  f->key = g_strconcat ("bill:", f->today, NULL);
  return f;
}

static void
fixture_free (Fixture *f)
{
  till_outbox_worker_stop (f->worker);
  till_payment_service_shutdown (f->pay);
  g_clear_object (&f->bills);
  g_clear_object (&f->worker);
  g_clear_object (&f->pay);
  g_clear_object (&f->wechat);
  g_clear_object (&f->alipay);
  g_clear_object (&f->ali_client);
  g_clear_object (&f->client);
  till_store_flush (f->store);
  g_clear_object (&f->store);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  till_test_store_remove_tmp (f->dir, f->db_path);
  g_clear_pointer (&f->proxy, proxy_free);
  till_test_paysim_free (f->sim);
  g_ptr_array_unref (f->reconciled);
  g_ptr_array_unref (f->ali_reconciled);
  g_free (f->dir);
  g_free (f->db_path);
  g_free (f->today);
  g_free (f->key);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fixture, fixture_free)

/* ---------------------------------------------------------------- till helpers */

typedef struct
{
  gboolean  done;
  gpointer  result;
  GError   *error;
} Wait;

static void
run_until_done (Wait       *w,
                const char *what)
{
  till_test_pay_wait_for (&w->done, 20, what);
}

static void
pay_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Wait *w = user_data;

  w->result = till_payment_service_pay_code_finish (TILL_PAYMENT_SERVICE (source), result,
                                                    &w->error);
  w->done = TRUE;
}

/* A sale of amount_fen paid by WeChat code pay through the real flow; its payment. */
static TillPaymentOutcome *
sell_paid (Fixture *f,
           gint64   amount_fen,
           gint64  *out_sale_id)
{
  gint64 sale_id = till_test_pay_make_sale (f->store, amount_fen);
  g_autofree char *code = till_test_paysim_auth_code ("0000");
  Wait w = { 0 };
  TillPaymentOutcome *outcome;

  till_payment_service_pay_code_async (f->pay, sale_id, amount_fen, code, NULL, pay_cb, &w);
  run_until_done (&w, "pay");
  g_assert_no_error (w.error);
  outcome = w.result;
  g_assert_cmpint (outcome->state, ==, TILL_PAYMENT_STATE_PAID);
  if (out_sale_id != NULL)
    *out_sale_id = sale_id;
  return outcome;
}

static void
refund_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *w = user_data;

  w->result = till_wxpay_client_refund_finish (TILL_WXPAY_CLIENT (source), result, &w->error);
  w->done = TRUE;
}

/* A refund at the simulator (signed client call), followed until SUCCESS. */
static TillWxpayRefund *
provider_refund (Fixture    *f,
                 const char *out_trade_no,
                 const char *out_refund_no,
                 gint64      amount_fen,
                 gint64      total_fen)
{
  TillWxpayRefundRequest request = {
    .out_trade_no = out_trade_no,
    .out_refund_no = out_refund_no,
    .reason = "test",
    .amount_refund = amount_fen,
    .amount_total = total_fen,
  };
  Wait w = { 0 };
  TillWxpayRefund *refund;

  till_wxpay_client_refund_async (f->client, &request, NULL, refund_cb, &w);
  run_until_done (&w, "refund");
  g_assert_no_error (w.error);
  refund = w.result;
  for (guint i = 0; i < 40 && g_strcmp0 (refund->status_str, "SUCCESS") != 0; i++)
    {
      g_usleep (100 * 1000);
      till_wxpay_refund_free (refund);
      w = (Wait) { 0 };
      till_wxpay_client_refund_query_async (f->client, out_refund_no, NULL, refund_cb, &w);
      run_until_done (&w, "refund query");
      g_assert_no_error (w.error);
      refund = w.result;
    }
  g_assert_cmpstr (refund->status_str, ==, "SUCCESS");
  return refund;
}

/* A till refund of amount_fen of a paid sale, committed in the store; sent to the
 * provider (and completed) only when `send`. */
static char *
till_refund (Fixture *f,
             gint64   sale_id,
             gint64   amount_fen,
             gboolean send)
{
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  g_autoptr(GPtrArray) rows = till_store_refund_begin (f->store, sale_id, amount_fen, "test",
                                                       "manager", TRUE, now,
                                                       now + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC, &error);
  TillRefundRecord *r;
  g_autoptr(TillRefundRecord) after = NULL;
  g_autoptr(TillWxpayRefund) sent = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  r = g_ptr_array_index (rows, 0);
  if (send)
    sent = provider_refund (f, r->out_trade_no, r->out_refund_no, amount_fen,
                            r->payment_amount_fen);
  after = till_store_refund_update (f->store, r->id, TILL_REFUND_STATE_SUCCESS,
                                    sent ? sent->refund_id : "50000000000000000000000000000",
                                    NULL, 0, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (after->state, ==, TILL_REFUND_STATE_SUCCESS);
  return g_strdup (r->out_refund_no);
}

/* A payment the provider never saw: a paid wechat_code row made through the store. */
static char *
till_only_payment (Fixture *f,
                   gint64   amount_fen)
{
  g_autoptr(GError) error = NULL;
  gint64 sale_id = till_test_pay_make_sale (f->store, amount_fen);
  char *otn = NULL;
  gint64 id = till_store_payment_begin (f->store, sale_id, TILL_PAYMENT_METHOD_WECHAT_CODE,
                                        amount_fen, "S01", "Z99", "0000", g_get_real_time (),
                                        0, &otn, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_true (till_store_payment_mark_paid (f->store, id, "4200000000209901010000000001",
                                               NULL, &error));
  g_assert_no_error (error);
  return otn;
}

/* An order paid at the simulator that the till never made. */
static char *
provider_only_payment (Fixture *f,
                       gint64   amount_fen)
{
  g_autoptr(GError) error = NULL;
  char *otn = till_test_paysim_new_reference ("X");
  g_autofree char *code = till_test_paysim_auth_code ("0000");
  g_autofree char *body = till_test_paysim_codepay_body (f->sim, otn, code, amount_fen);
  g_autoptr(TillTestPaysimAnswer) answer = till_test_paysim_call (f->sim, "POST",
                                                                  "/v3/pay/transactions/codepay",
                                                                  body, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (answer->status, ==, 200);
  return otn;
}

static TillOutboxJob *
bill_job (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  TillOutboxJob *job;

  till_store_flush (f->store);
  job = till_store_outbox_get_by_key (f->store, f->key, &error);
  g_assert_no_error (error);
  return job;
}

static gboolean
job_is_done (Fixture *f)
{
  g_autoptr(TillOutboxJob) job = bill_job (f);

  return job->state == TILL_OUTBOX_STATE_DONE;
}

/* The job finished with its want_reconciled-th reconciliation. */
static gboolean
job_reconciled (Fixture *f)
{
  return f->reconciled->len >= f->want_reconciled && job_is_done (f);
}

static gboolean
job_is_dead (Fixture *f)
{
  g_autoptr(TillOutboxJob) job = bill_job (f);

  return job->state == TILL_OUTBOX_STATE_DEAD;
}

/* After STATEMENT_CREATING: the attempt ended (done for the worker, no error) and the
 * service will try again. */
static gboolean
job_is_waiting (Fixture *f)
{
  g_autoptr(TillOutboxJob) job = bill_job (f);

  return f->not_ready > 0 && job->state == TILL_OUTBOX_STATE_DONE
         && till_bill_service_get_next_try (f->bills, f->today, "wechat") > 0;
}

/* Lets the worker settle (every store call answered and dispatched), then has it try
 * every pending job now — a claim already in flight would otherwise end "try all now". */
static void
kick (Fixture *f)
{
  do
    till_store_flush (f->store);
  while (g_main_context_iteration (NULL, FALSE));
  till_outbox_worker_retry_all_now (f->worker);
}

static JsonObject *
stored_counts (Fixture     *f,
               const char  *date,
               char       **out_status,
               JsonNode   **out_root)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = till_store_reconcile_load (f->store, date, "wechat", out_status,
                                                     &error);
  JsonNode *root;

  g_assert_no_error (error);
  root = json_from_string (json, &error);
  g_assert_no_error (error);
  *out_root = root;
  return json_object_get_object_member (json_node_get_object (root), "counts");
}

static void
now_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Wait *w = user_data;

  w->result = till_bill_service_reconcile_now_finish (TILL_BILL_SERVICE (source), result,
                                                      &w->error);
  w->done = TRUE;
}

static TillReconciliation *
reconcile_now (Fixture *f,
               GError **error)
{
  Wait w = { 0 };

  till_bill_service_reconcile_now_async (f->bills, f->today, "wechat", NULL, now_cb, &w);
  run_until_done (&w, "reconcile now");
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return w.result;
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

/* ---------------------------------------------------------------- Alipay helpers */

/* A fresh Alipay payment code (§7: 18 digits from 25 to 30) whose last four digits tell
 * the simulator what to do. */
static char *
alipay_code (const char *ending)
{
  static guint n;

  return g_strdup_printf ("28%06u%06u%s", g_random_int_range (0, 1000000), ++n % 1000000,
                          ending);
}

/* A sale of amount_fen paid with an Alipay code through the real flow; its payment. */
static TillPaymentOutcome *
sell_paid_alipay (Fixture *f,
                  gint64   amount_fen,
                  gint64  *out_sale_id)
{
  gint64 sale_id = till_test_pay_make_sale (f->store, amount_fen);
  g_autofree char *code = alipay_code ("0000");
  Wait w = { 0 };
  TillPaymentOutcome *outcome;

  till_payment_service_pay_code_async (f->pay, sale_id, amount_fen, code, NULL, pay_cb, &w);
  run_until_done (&w, "pay (Alipay)");
  g_assert_no_error (w.error);
  outcome = w.result;
  g_assert_cmpint (outcome->state, ==, TILL_PAYMENT_STATE_PAID);
  if (out_sale_id != NULL)
    *out_sale_id = sale_id;
  return outcome;
}

static void
provider_refund_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Wait *w = user_data;

  w->result = till_pay_provider_refund_finish (TILL_PAY_PROVIDER (source), result, &w->error);
  w->done = TRUE;
}

/* A refund at Alipay through the provider (alipay.trade.refund): done at once. */
static void
alipay_refund (Fixture    *f,
               const char *out_trade_no,
               const char *out_refund_no,
               gint64      amount_fen,
               gint64      total_fen)
{
  TillPayRefundRequest request = {
    .out_trade_no = out_trade_no,
    .out_refund_no = out_refund_no,
    .amount_fen = amount_fen,
    .total_fen = total_fen,
    .reason = "test",
  };
  Wait w = { 0 };
  g_autoptr(TillPayRefund) refund = NULL;

  till_pay_provider_refund_async (f->alipay, &request, NULL, provider_refund_cb, &w);
  run_until_done (&w, "Alipay refund");
  g_assert_no_error (w.error);
  refund = w.result;
  g_assert_cmpint (refund->state, ==, TILL_PAY_REFUND_SUCCESS);
}

/* A till refund of an Alipay sale, committed; sent to Alipay only when `send`. */
static char *
till_refund_alipay (Fixture *f,
                    gint64   sale_id,
                    gint64   amount_fen,
                    gboolean send)
{
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  gint64 due = now + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;
  g_autoptr(GPtrArray) rows = till_store_refund_begin (f->store, sale_id, amount_fen, "test",
                                                       "manager", TRUE, now, due, &error);
  TillRefundRecord *r;
  g_autoptr(TillRefundRecord) after = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  r = g_ptr_array_index (rows, 0);
  if (send)
    alipay_refund (f, r->out_trade_no, r->out_refund_no, amount_fen, r->payment_amount_fen);
  after = till_store_refund_update (f->store, r->id, TILL_REFUND_STATE_SUCCESS,
                                    "2026000000000001", NULL, 0, NULL, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (r->out_refund_no);
}

/* A paid Alipay payment the till has and Alipay never saw. */
static char *
till_only_alipay_payment (Fixture *f,
                          gint64   amount_fen)
{
  g_autoptr(GError) error = NULL;
  gint64 sale_id = till_test_pay_make_sale (f->store, amount_fen);
  char *otn = NULL;
  gint64 id = till_store_payment_begin (f->store, sale_id, TILL_PAYMENT_METHOD_ALIPAY_CODE,
                                        amount_fen, "S01", "Z99", "0000", g_get_real_time (),
                                        0, &otn, &error);

  g_assert_no_error (error);
  g_assert_true (till_store_payment_mark_paid (f->store, id, "2026112122001499990001", NULL,
                                               &error));
  g_assert_no_error (error);
  return otn;
}

static void
provider_pay_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Wait *w = user_data;

  w->result = till_pay_provider_pay_code_finish (TILL_PAY_PROVIDER (source), result, &w->error);
  w->done = TRUE;
}

/* An order paid at Alipay that the till never made. */
static char *
alipay_only_payment (Fixture *f,
                     gint64   amount_fen)
{
  char *otn = till_test_paysim_new_reference ("X");
  g_autofree char *code = alipay_code ("0000");
  TillPayCodeRequest request = {
    .out_trade_no = otn,
    .amount_fen = amount_fen,
    .auth_code = code,
    .description = "test",
    .device_id = "Z98",
    .store_id = "S01",
  };
  Wait w = { 0 };
  g_autoptr(TillPayTrade) trade = NULL;

  till_pay_provider_pay_code_async (f->alipay, &request, NULL, provider_pay_cb, &w);
  run_until_done (&w, "Alipay pay");
  g_assert_no_error (w.error);
  trade = w.result;
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_PAID);
  return otn;
}

/* Changes a stored payment behind the till's back (what the reconciliation must catch). */
static void
sql (Fixture    *f,
     const char *text)
{
  sqlite3 *db = NULL;
  char *errmsg = NULL;

  till_store_flush (f->store);
  g_assert_cmpint (sqlite3_open (f->db_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, text, NULL, NULL, &errmsg), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);
}

static TillReconciliation *
reconcile_now_with (Fixture    *f,
                    const char *provider,
                    GError    **error)
{
  Wait w = { 0 };

  till_bill_service_reconcile_now_async (f->bills, f->today, provider, NULL, now_cb, &w);
  run_until_done (&w, "reconcile now");
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return w.result;
}

static TillOutboxJob *
alipay_job (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = till_bill_service_job_key ("alipay", f->today);
  TillOutboxJob *job;

  till_store_flush (f->store);
  job = till_store_outbox_get_by_key (f->store, key, &error);
  g_assert_no_error (error);
  return job;
}

static gboolean
alipay_job_waiting (Fixture *f)
{
  g_autoptr(TillOutboxJob) job = alipay_job (f);

  return f->ali_not_ready > 0 && job->state == TILL_OUTBOX_STATE_DONE
         && till_bill_service_get_next_try (f->bills, f->today, "alipay") > 0;
}

static gboolean
alipay_job_reconciled (Fixture *f)
{
  g_autoptr(TillOutboxJob) job = alipay_job (f);

  return f->ali_reconciled->len >= f->want_reconciled && job->state == TILL_OUTBOX_STATE_DONE;
}

static JsonObject *
stored_counts_of (Fixture     *f,
                  const char  *provider,
                  char       **out_status,
                  JsonNode   **out_root)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = till_store_reconcile_load (f->store, f->today, provider, out_status,
                                                     &error);
  JsonNode *root;

  g_assert_no_error (error);
  root = json_from_string (json, &error);
  g_assert_no_error (error);
  *out_root = root;
  return json_object_get_object_member (json_node_get_object (root), "counts");
}

/* ---------------------------------------------------------------- tests */

/* Real payments and a refund, the day closed, scheduled: not ready (STATEMENT_CREATING)
 * → put back, not dead; the bill released → the job reconciles a balanced day. */
static void
test_job_not_ready_then_balanced (void)
{
  g_autoptr(Fixture) f = fixture_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaymentOutcome) p1 = sell_paid (f, 1234, NULL);
  g_autoptr(TillPaymentOutcome) p2 = sell_paid (f, 560, NULL);
  g_autoptr(TillPaymentOutcome) p3 = NULL;
  g_autoptr(TillDayClose) close = NULL;
  g_autoptr(TillOutboxJob) job = NULL;
  g_autoptr(TillOutboxJob) again = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *refund_no = NULL;
  g_autofree char *status = NULL;
  g_autofree char *expect = NULL;
  guint counts[TILL_N_DENOMINATIONS] = { 0 };
  gint64 sale3, due;
  JsonObject *c;

  p3 = sell_paid (f, 9900, &sale3);
  refund_no = till_refund (f, sale3, 900, TRUE);
  close = till_store_day_close (f->store, f->today, counts, "manager", &error);
  g_assert_no_error (error);

  g_assert_true (till_bill_service_schedule (f->bills, f->today, &error));
  g_assert_no_error (error);
  job = bill_job (f);
  due = till_bill_service_due_at (f->bills, f->today, &error);
  g_assert_cmpstr (job->kind, ==, TILL_OUTBOX_KIND_FETCH_BILL);
  g_assert_cmpint (job->state, ==, TILL_OUTBOX_STATE_PENDING);
  g_assert_cmpint (job->next_attempt_at, ==, due);   /* 10:00 tomorrow */
  g_assert_cmpint (due, >, g_get_real_time ());

  /* Run it now (as the worker would at 10:00 before the bill is made). */
  kick (f);
  wait_until (f, job_is_waiting, 15, "the job put back after STATEMENT_CREATING");
  g_clear_pointer (&job, till_outbox_job_free);
  job = bill_job (f);
  g_assert_cmpint (job->attempts, ==, 0);
  g_assert_null (job->last_error);
  g_assert_cmpuint (f->not_ready, ==, 1);
  g_assert_cmpuint (f->reconciled->len, ==, 0);
  g_assert_null (till_store_reconcile_load (f->store, f->today, "wechat", NULL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The service's timer tries again: still not ready, still waiting, not dead. */
  {
    guint before = f->not_ready;
    gboolean seen = FALSE;
    guint id = g_timeout_add_seconds (15, till_test_pay_timeout_cb, (gpointer) "second not-ready");

    while (!seen)
      {
        g_main_context_iteration (NULL, TRUE);
        seen = f->not_ready > before && job_is_waiting (f);
      }
    g_source_remove (id);
  }
  g_assert_cmpuint (f->not_ready, ==, 2);
  g_assert_cmpuint (f->reconciled->len, ==, 0);

  /* WeChat Pay has made the bill: the next try reconciles. */
  g_assert_true (till_test_paysim_release_bill (f->sim, f->today, &error));
  g_assert_no_error (error);
  f->want_reconciled = 1;
  wait_until (f, job_reconciled, 15, "the job reconciled");
  g_assert_cmpint (till_bill_service_get_next_try (f->bills, f->today, "wechat"), ==, 0);
  g_assert_cmpuint (f->not_ready, ==, 2);

  expect = g_strdup_printf ("%s balanced", f->today);
  g_assert_cmpuint (f->reconciled->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->reconciled, 0), ==, expect);
  c = stored_counts (f, f->today, &status, &root);
  g_assert_cmpstr (status, ==, "balanced");
  g_assert_cmpint (json_object_get_int_member (c, "bill_rows"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (c, "till_items"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (c, "matched"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (c, "missing_at_till"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (c, "missing_at_provider"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (c, "amount"), ==, 0);
  {
    JsonObject *t = json_object_get_object_member (json_node_get_object (root), "totals");

    g_assert_cmpint (json_object_get_int_member (t, "till_paid_fen"), ==, 1234 + 560 + 9900);
    g_assert_cmpint (json_object_get_int_member (t, "bill_paid_fen"), ==, 1234 + 560 + 9900);
    g_assert_cmpint (json_object_get_int_member (t, "bill_refunded_fen"), ==, 900);
    g_assert_cmpint (json_object_get_int_member (t, "till_refunded_fen"), ==, 900);
  }

  /* Scheduling the day again keeps its one job (done, left alone). */
  g_assert_true (till_bill_service_schedule (f->bills, f->today, &error));
  g_assert_no_error (error);
  again = bill_job (f);
  g_assert_cmpint (again->id, ==, job->id);
  g_assert_cmpint (again->state, ==, TILL_OUTBOX_STATE_DONE);
  jobs = till_store_outbox_list (f->store, -1, &error);
  g_assert_no_error (error);
  {
    guint n = 0;

    for (guint i = 0; i < jobs->len; i++)
      n += g_str_equal (((TillOutboxJob *) g_ptr_array_index (jobs, i))->kind,
                        TILL_OUTBOX_KIND_FETCH_BILL);
    g_assert_cmpuint (n, ==, 2);   /* one per provider */
  }
}

/* Each kind of difference, by "fetch now". */
static void
test_now_differences (void)
{
  g_autoptr(Fixture) f = fixture_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaymentOutcome) a = NULL;
  g_autoptr(TillPaymentOutcome) b = sell_paid (f, 1100, NULL);
  g_autoptr(TillReconciliation) r = NULL;
  g_autoptr(TillWxpayRefund) provider_only_refund = NULL;
  g_autofree char *c_otn = provider_only_payment (f, 777);
  g_autofree char *d_otn = till_only_payment (f, 888);
  g_autofree char *f_refund = NULL;
  g_autofree char *status = NULL;
  g_autofree char *expect = NULL;
  const TillReconcileDiff *d;
  gint64 sale_a;
  sqlite3 *db = NULL;
  char *errmsg = NULL;
  g_autofree char *sql = NULL;

  a = sell_paid (f, 1000, &sale_a);
  /* the till's row of B says 15.00 where WeChat Pay took 11.00 */
  till_store_flush (f->store);
  g_assert_cmpint (sqlite3_open (f->db_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  sql = g_strdup_printf ("UPDATE payment SET amount_fen = 1500 WHERE id = %" G_GINT64_FORMAT,
                         b->payment_id);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, &errmsg), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);
  /* a refund of A only at WeChat Pay, another only in the till */
  provider_only_refund = provider_refund (f, a->out_trade_no, "XREFUNDONLYATPROVIDER01", 100, 1000);
  f_refund = till_refund (f, sale_a, 200, FALSE);

  /* Not ready yet: a plain error for the manager, nothing stored. */
  r = reconcile_now (f, &error);
  g_assert_null (r);
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER);
  g_assert_cmpstr (till_pay_error_get_provider_code (error), ==, "STATEMENT_CREATING");
  g_assert_nonnull (strstr (error->message, f->today));
  g_clear_error (&error);

  g_assert_true (till_test_paysim_release_bill (f->sim, f->today, &error));
  r = reconcile_now (f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);

  g_assert_cmpuint (r->n_bill_rows, ==, 4);          /* A, B, C, the provider's refund */
  g_assert_cmpuint (r->n_matched, ==, 1);            /* A */
  g_assert_cmpuint (r->n_amount, ==, 1);             /* B */
  g_assert_cmpuint (r->n_missing_at_till, ==, 2);    /* C, the provider's refund */
  g_assert_cmpuint (r->n_missing_at_provider, ==, 2);/* D, the till's refund */
  g_assert_cmpuint (r->differences->len, ==, 5);

  d = find_diff (r, b->out_trade_no);
  g_assert_nonnull (d);
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_AMOUNT);
  g_assert_cmpint (d->bill_amount_fen, ==, 1100);
  g_assert_cmpint (d->till_amount_fen, ==, 1500);
  d = find_diff (r, c_otn);
  g_assert_nonnull (d);
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_MISSING_AT_TILL);
  g_assert_false (d->is_refund);
  g_assert_cmpint (d->bill_amount_fen, ==, 777);
  d = find_diff (r, d_otn);
  g_assert_nonnull (d);
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_MISSING_AT_PROVIDER);
  g_assert_false (d->is_refund);
  g_assert_cmpint (d->till_amount_fen, ==, 888);
  d = find_diff (r, "XREFUNDONLYATPROVIDER01");
  g_assert_nonnull (d);
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_MISSING_AT_TILL);
  g_assert_true (d->is_refund);
  g_assert_cmpint (d->bill_amount_fen, ==, 100);
  d = find_diff (r, f_refund);
  g_assert_nonnull (d);
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_MISSING_AT_PROVIDER);
  g_assert_true (d->is_refund);
  g_assert_cmpint (d->till_amount_fen, ==, 200);
  g_assert_null (find_diff (r, a->out_trade_no));

  expect = g_strdup_printf ("%s differences", f->today);
  g_assert_cmpuint (f->reconciled->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->reconciled, 0), ==, expect);
  g_free (till_store_reconcile_load (f->store, f->today, "wechat", &status, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (status, ==, "differences");
}

/* A day without trades at WeChat Pay (NO_STATEMENT_EXIST): an empty bill. With nothing at
 * the till it balances; a till payment is then missing at the provider. */
static void
test_no_statement (void)
{
  g_autoptr(Fixture) f = fixture_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillReconciliation) r = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *otn = NULL;
  g_autofree char *status = NULL;
  g_autofree char *expect = NULL;
  JsonObject *c;

  g_assert_true (till_test_paysim_release_bill (f->sim, f->today, &error));
  g_assert_no_error (error);
  r = reconcile_now (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->n_bill_rows, ==, 0);
  g_assert_cmpuint (r->n_till_items, ==, 0);
  g_assert_cmpuint (r->differences->len, ==, 0);
  g_assert_true (till_reconciliation_is_balanced (r));

  /* the job: a till payment the provider never saw, on a day it has no bill for */
  otn = till_only_payment (f, 4321);
  g_assert_true (till_bill_service_schedule (f->bills, f->today, &error));
  g_assert_no_error (error);
  kick (f);
  f->want_reconciled = 2;
  wait_until (f, job_reconciled, 15, "the job reconciled");
  g_assert_cmpuint (f->reconciled->len, ==, 2);
  expect = g_strdup_printf ("%s differences", f->today);
  g_assert_cmpstr (g_ptr_array_index (f->reconciled, 1), ==, expect);
  c = stored_counts (f, f->today, &status, &root);
  g_assert_cmpstr (status, ==, "differences");
  g_assert_cmpint (json_object_get_int_member (c, "bill_rows"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (c, "till_items"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (c, "missing_at_provider"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (c, "matched"), ==, 0);
}

/* Damaged downloads: a 5xx and a tampered bill are retried and the job then reconciles;
 * a bill damaged every time makes the job dead with the reason; "fetch now" says so. */
static void
test_damaged_download (void)
{
  g_autoptr(Fixture) f = fixture_new (TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaymentOutcome) p1 = sell_paid (f, 2500, NULL);
  g_autoptr(TillPaymentOutcome) p2 = sell_paid (f, 1999, NULL);
  g_autoptr(TillOutboxJob) job = NULL;
  g_autoptr(TillReconciliation) r = NULL;
  g_autofree char *status = NULL;

  g_assert_true (till_test_paysim_release_bill (f->sim, f->today, &error));
  g_assert_no_error (error);

  /* one 500 on the download, then one damaged file, then a good one */
  g_assert_true (till_test_paysim_arm_fault (f->sim, "/v3/billdownload", "status", 0, 500, 1,
                                             &error));
  g_assert_no_error (error);
  f->proxy->tamper_left = 1;
  g_assert_true (till_bill_service_schedule (f->bills, f->today, &error));
  kick (f);
  f->want_reconciled = 1;
  wait_until (f, job_reconciled, 20, "the job done after damaged downloads");
  g_assert_cmpuint (f->proxy->tampered, ==, 1);
  g_assert_cmpuint (f->proxy->downloads, ==, 2);   /* the 500 is not a download */
  g_assert_cmpuint (f->reconciled->len, ==, 1);
  g_free (till_store_reconcile_load (f->store, f->today, "wechat", &status, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (status, ==, "balanced");

  /* "fetch now" with a damaged file: the client's checksum error, for the manager */
  f->proxy->tamper_left = 1;
  r = reconcile_now (f, &error);
  g_assert_null (r);
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_cmpuint (f->reconciled->len, ==, 1);

  /* damaged every time: the job gives up after 3 attempts, with the reason */
  f->proxy->tamper_left = 100;
  f->proxy->tampered = 0;
  job = bill_job (f);
  g_assert_true (till_store_outbox_revive (f->store, job->id, g_get_real_time (), &error));
  g_assert_no_error (error);
  kick (f);
  wait_until (f, job_is_dead, 20, "the job dead after damaged downloads");
  g_clear_pointer (&job, till_outbox_job_free);
  job = bill_job (f);
  g_assert_cmpint (job->attempts, ==, 3);
  g_assert_cmpuint (f->proxy->tampered, ==, 3);
  g_assert_nonnull (job->last_error);
  g_assert_nonnull (strstr (job->last_error, f->today));
  g_assert_nonnull (strstr (job->last_error, "3 attempts"));
  g_assert_cmpuint (f->reconciled->len, ==, 1);

  /* scheduling a dead day again brings its one job back, and it completes */
  f->proxy->tamper_left = 0;
  g_assert_true (till_bill_service_schedule (f->bills, f->today, &error));
  g_assert_no_error (error);
  f->want_reconciled = 2;
  wait_until (f, job_reconciled, 20, "the revived job done");
  g_assert_cmpuint (f->reconciled->len, ==, 2);
}


/* Both providers, a day with payments and a refund at each: the day close queues one job
 * per provider (Alipay's keyed "bill:alipay:DATE", its payload naming it); Alipay's bill
 * of a day that is not over is not ready → put back, not dead, "not-ready::alipay"; once
 * released each job reconciles its own provider's payments alone, balanced, stored apart. */
static void
test_alipay_job_not_ready_then_balanced (void)
{
  g_autoptr(Fixture) f = fixture_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaymentOutcome) w1 = sell_paid (f, 1500, NULL);
  g_autoptr(TillPaymentOutcome) a1 = sell_paid_alipay (f, 2350, NULL);
  g_autoptr(TillPaymentOutcome) a2 = NULL;
  g_autoptr(TillOutboxJob) job = NULL;
  g_autoptr(TillDayClose) close = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) wroot = NULL;
  g_autofree char *refund_no = NULL;
  g_autofree char *status = NULL;
  g_autofree char *wjson = NULL;
  g_autofree char *wstatus = NULL;
  g_autofree char *expect = NULL;
  guint counts[TILL_N_DENOMINATIONS] = { 0 };
  gint64 sale2;
  JsonObject *c;

  a2 = sell_paid_alipay (f, 8800, &sale2);
  refund_no = till_refund_alipay (f, sale2, 800, TRUE);
  close = till_store_day_close (f->store, f->today, counts, "manager", &error);
  g_assert_no_error (error);

  g_assert_true (till_bill_service_schedule (f->bills, f->today, &error));
  g_assert_no_error (error);
  job = alipay_job (f);
  g_assert_cmpstr (job->key, ==, (expect = g_strconcat ("bill:alipay:", f->today, NULL)));
  g_assert_cmpint (job->state, ==, TILL_OUTBOX_STATE_PENDING);
  g_assert_nonnull (strstr (job->payload_json, "\"provider\":\"alipay\""));
  g_clear_pointer (&expect, g_free);
  g_clear_pointer (&job, till_outbox_job_free);
  job = bill_job (f);   /* WeChat Pay's keeps its key */
  g_assert_nonnull (strstr (job->payload_json, "\"provider\":\"wechat\""));

  /* Run them now: Alipay makes no bill of a day that is not over. */
  kick (f);
  wait_until (f, alipay_job_waiting, 15, "Alipay's job put back (not ready)");
  g_clear_pointer (&job, till_outbox_job_free);
  job = alipay_job (f);
  g_assert_cmpint (job->attempts, ==, 0);
  g_assert_null (job->last_error);
  g_assert_cmpint (till_bill_service_get_next_try (f->bills, f->today, "alipay"), ==,
                   f->ali_next_try);
  g_assert_cmpuint (f->ali_reconciled->len, ==, 0);
  g_assert_null (till_store_reconcile_load (f->store, f->today, "alipay", NULL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The bills are made: the next tries reconcile, each provider on its own. */
  g_assert_true (till_test_paysim_release_bill (f->sim, f->today, &error));
  g_assert_no_error (error);
  f->want_reconciled = 1;
  wait_until (f, alipay_job_reconciled, 20, "Alipay's job reconciled");
  wait_until (f, job_reconciled, 20, "WeChat Pay's job reconciled");
  g_assert_cmpint (till_bill_service_get_next_try (f->bills, f->today, "alipay"), ==, 0);
  expect = g_strdup_printf ("%s balanced alipay", f->today);
  g_assert_cmpuint (f->ali_reconciled->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->ali_reconciled, 0), ==, expect);

  c = stored_counts_of (f, "alipay", &status, &root);
  g_assert_cmpstr (status, ==, "balanced");
  g_assert_cmpint (json_object_get_int_member (c, "bill_rows"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (c, "till_items"), ==, 3);   /* not W1 */
  g_assert_cmpint (json_object_get_int_member (c, "matched"), ==, 3);
  {
    JsonObject *t = json_object_get_object_member (json_node_get_object (root), "totals");

    g_assert_cmpint (json_object_get_int_member (t, "till_paid_fen"), ==, 2350 + 8800);
    g_assert_cmpint (json_object_get_int_member (t, "bill_paid_fen"), ==, 2350 + 8800);
    g_assert_cmpint (json_object_get_int_member (t, "bill_refunded_fen"), ==, 800);
    g_assert_cmpint (json_object_get_int_member (t, "till_refunded_fen"), ==, 800);
  }
  c = stored_counts_of (f, "wechat", &wstatus, &wroot);
  g_assert_cmpstr (wstatus, ==, "balanced");
  g_assert_cmpint (json_object_get_int_member (c, "till_items"), ==, 1);   /* W1 alone */
  g_assert_cmpint (json_object_get_int_member (c, "matched"), ==, 1);
  wjson = json_to_string (wroot, FALSE);
  g_assert_null (strstr (wjson, a1->out_trade_no));
  g_assert_cmpint (till_store_outbox_count_pending (f->store, NULL), ==, 0);
}

/* Every kind of difference with Alipay's bill, by "fetch now"; WeChat Pay's payment of the
 * day is no part of it. */
static void
test_alipay_now_differences (void)
{
  g_autoptr(Fixture) f = fixture_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaymentOutcome) w1 = sell_paid (f, 990, NULL);
  g_autoptr(TillPaymentOutcome) a = NULL;                             /* matched */
  g_autoptr(TillPaymentOutcome) b = sell_paid_alipay (f, 1100, NULL);  /* amount */
  g_autoptr(TillPaymentOutcome) e = sell_paid_alipay (f, 600, NULL);   /* state */
  g_autoptr(TillReconciliation) r = NULL;
  g_autofree char *c_otn = alipay_only_payment (f, 777);              /* missing at till */
  g_autofree char *d_otn = till_only_alipay_payment (f, 888);         /* missing at Alipay */
  g_autofree char *f_refund = NULL;
  g_autofree char *g_refund = NULL;
  g_autofree char *text = NULL;
  g_autofree char *status = NULL;
  const TillReconcileDiff *d;
  gint64 sale_a;

  a = sell_paid_alipay (f, 1000, &sale_a);
  /* the till's row of B says 15.00 where Alipay took 11.00; E is closed at the till */
  text = g_strdup_printf ("UPDATE payment SET amount_fen = 1500 WHERE id = %" G_GINT64_FORMAT,
                          b->payment_id);
  sql (f, text);
  g_free (text);
  text = g_strdup_printf ("UPDATE payment SET state = 'closed' WHERE id = %" G_GINT64_FORMAT,
                          e->payment_id);
  sql (f, text);
  /* a refund of A only at Alipay, another only in the till, one in both */
  alipay_refund (f, a->out_trade_no, "XREFUNDONLYATALIPAY1", 100, 1000);
  f_refund = till_refund_alipay (f, sale_a, 200, FALSE);
  g_refund = till_refund_alipay (f, sale_a, 300, TRUE);

  /* Not ready yet (the day is not over for Alipay): a plain error naming Alipay. */
  r = reconcile_now_with (f, "alipay", &error);
  g_assert_null (r);
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_NOT_READY);
  g_assert_nonnull (strstr (error->message, "Alipay"));
  g_assert_nonnull (strstr (error->message, f->today));
  g_clear_error (&error);
  g_assert_cmpuint (f->ali_reconciled->len, ==, 0);

  g_assert_true (till_test_paysim_release_bill (f->sim, f->today, &error));
  r = reconcile_now_with (f, "alipay", &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);

  /* bill: A, B, C, E, A's two refunds at Alipay; till: A, B, D, E, F, G */
  g_assert_cmpuint (r->n_bill_rows, ==, 6);
  g_assert_cmpuint (r->n_till_items, ==, 6);
  g_assert_cmpuint (r->n_matched, ==, 2);             /* A, G */
  g_assert_cmpuint (r->n_amount, ==, 1);              /* B */
  g_assert_cmpuint (r->n_state, ==, 1);               /* E */
  g_assert_cmpuint (r->n_missing_at_till, ==, 2);     /* C, Alipay's refund */
  g_assert_cmpuint (r->n_missing_at_provider, ==, 2); /* D, the till's refund F */
  g_assert_cmpuint (r->differences->len, ==, 6);

  d = find_diff (r, b->out_trade_no);
  g_assert_nonnull (d);
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_AMOUNT);
  g_assert_cmpint (d->bill_amount_fen, ==, 1100);
  g_assert_cmpint (d->till_amount_fen, ==, 1500);
  d = find_diff (r, e->out_trade_no);
  g_assert_nonnull (d);
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_STATE);
  g_assert_cmpstr (d->till_state, ==, "closed");
  d = find_diff (r, c_otn);
  g_assert_nonnull (d);
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_MISSING_AT_TILL);
  g_assert_false (d->is_refund);
  g_assert_cmpint (d->bill_amount_fen, ==, 777);
  d = find_diff (r, d_otn);
  g_assert_nonnull (d);
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_MISSING_AT_PROVIDER);
  g_assert_cmpint (d->till_amount_fen, ==, 888);
  d = find_diff (r, "XREFUNDONLYATALIPAY1");
  g_assert_nonnull (d);
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_MISSING_AT_TILL);
  g_assert_true (d->is_refund);
  g_assert_cmpint (d->bill_amount_fen, ==, 100);
  d = find_diff (r, f_refund);
  g_assert_nonnull (d);
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_MISSING_AT_PROVIDER);
  g_assert_true (d->is_refund);
  g_assert_cmpint (d->till_amount_fen, ==, 200);
  g_assert_null (find_diff (r, a->out_trade_no));
  g_assert_null (find_diff (r, g_refund));
  g_assert_null (find_diff (r, w1->out_trade_no));     /* WeChat Pay's */

  g_assert_cmpuint (f->ali_reconciled->len, ==, 1);
  g_assert_cmpuint (f->reconciled->len, ==, 0);
  g_free (till_store_reconcile_load (f->store, f->today, "alipay", &status, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (status, ==, "differences");
  g_assert_null (till_store_reconcile_load (f->store, f->today, "wechat", NULL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
}

/* A day without Alipay trades (isp.bill_not_exist): an empty bill, balanced, though WeChat
 * Pay took money that day; a till Alipay payment is then missing at Alipay. */
static void
test_alipay_no_bill (void)
{
  g_autoptr(Fixture) f = fixture_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaymentOutcome) w1 = sell_paid (f, 1234, NULL);
  g_autoptr(TillReconciliation) r = NULL;
  g_autoptr(TillReconciliation) again = NULL;
  g_autofree char *otn = NULL;

  g_assert_true (till_test_paysim_release_bill (f->sim, f->today, &error));
  g_assert_no_error (error);
  r = reconcile_now_with (f, "alipay", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->n_bill_rows, ==, 0);
  g_assert_cmpuint (r->n_till_items, ==, 0);
  g_assert_true (till_reconciliation_is_balanced (r));

  otn = till_only_alipay_payment (f, 4321);
  again = reconcile_now_with (f, "alipay", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->n_till_items, ==, 1);
  g_assert_cmpuint (again->n_missing_at_provider, ==, 1);
  g_assert_nonnull (find_diff (again, otn));
  g_assert_cmpuint (f->ali_reconciled->len, ==, 2);
}

/* A job queued before there were two providers ("bill:DATE", payload without a provider)
 * is WeChat Pay's; a provider that is not this service's is refused by name. */
static void
test_old_job_and_unknown_provider (void)
{
  g_autoptr(Fixture) f = fixture_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaymentOutcome) w1 = sell_paid (f, 1234, NULL);
  g_autoptr(TillOutboxJob) job = NULL;
  g_autoptr(TillReconciliation) r = NULL;
  g_autofree char *payload = g_strdup_printf ("{\"date\":\"%s\"}", f->today);
  gboolean created = FALSE;

  g_assert_true (till_test_paysim_release_bill (f->sim, f->today, &error));
  g_assert_no_error (error);
  job = till_store_outbox_enqueue (f->store, TILL_OUTBOX_KIND_FETCH_BILL, f->key, payload,
                                   g_get_real_time (), &created, &error);
  g_assert_no_error (error);
  g_assert_true (created);
  kick (f);
  f->want_reconciled = 1;
  wait_until (f, job_reconciled, 15, "the old job reconciled with WeChat Pay");
  g_assert_cmpuint (f->ali_reconciled->len, ==, 0);

  r = reconcile_now_with (f, "unionpay", &error);
  g_assert_null (r);
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, "unionpay"));
  g_clear_error (&error);

  /* a queued job of a provider this service does not have is dead, saying which */
  {
    g_autofree char *key = till_bill_service_job_key ("unionpay", f->today);
    g_autoptr(TillOutboxJob) other = till_store_outbox_enqueue (f->store,
                                                                TILL_OUTBOX_KIND_FETCH_BILL, key,
                                                                NULL, g_get_real_time (),
                                                                &created, &error);
    g_autoptr(TillOutboxJob) dead = NULL;
    guint id;

    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (key, "bill:unionpay:"));
    kick (f);
    id = g_timeout_add_seconds (15, till_test_pay_timeout_cb, (gpointer) "the job dead");
    do
      {
        g_clear_pointer (&dead, till_outbox_job_free);
        g_main_context_iteration (NULL, FALSE);
        g_usleep (20000);
        till_store_flush (f->store);
        dead = till_store_outbox_get_by_key (f->store, key, &error);
        g_assert_no_error (error);
      }
    while (dead->state != TILL_OUTBOX_STATE_DEAD);
    g_source_remove (id);
    g_assert_nonnull (strstr (dead->last_error, "unionpay"));
    g_assert_nonnull (strstr (dead->last_error, "not set up"));
  }
  g_assert_nonnull (till_bill_service_get_provider (f->bills, "alipay"));
  g_assert_null (till_bill_service_get_provider (f->bills, "unionpay"));
}

/* Bad input: not a date. */
static void
test_bad_date (void)
{
  g_autoptr(Fixture) f = fixture_new (FALSE);
  g_autoptr(GError) error = NULL;

  g_assert_false (till_bill_service_schedule (f->bills, "2026-13-01", &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (till_bill_service_schedule (f->bills, "yesterday", &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID);
  g_assert_cmpint (till_store_outbox_count_pending (f->store, NULL), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  /* The till's local day is the provider's (Beijing) day. */
  g_setenv ("TZ", "Asia/Shanghai", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pay/bill/job/not-ready-then-balanced", test_job_not_ready_then_balanced);
  g_test_add_func ("/pay/bill/now/differences", test_now_differences);
  g_test_add_func ("/pay/bill/no-statement", test_no_statement);
  g_test_add_func ("/pay/bill/job/damaged-download", test_damaged_download);
  g_test_add_func ("/pay/bill/bad-date", test_bad_date);
  g_test_add_func ("/pay/bill/alipay/job/not-ready-then-balanced",
                   test_alipay_job_not_ready_then_balanced);
  g_test_add_func ("/pay/bill/alipay/now/differences", test_alipay_now_differences);
  g_test_add_func ("/pay/bill/alipay/no-bill", test_alipay_no_bill);
  g_test_add_func ("/pay/bill/old-job-and-unknown-provider", test_old_job_and_unknown_provider);
  return g_test_run ();
}
