/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The client's transport: signing and sending one request, its deadline, verifying the
 * answer's signature, and turning the answer (or its absence) into a result or an error. */
#define G_LOG_DOMAIN "till-pay"
#include "config.h"

#include "till-wxpay-client-private.h"
#include "till-wxpay-provider-map.h"
#include "till-clock.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

static void
call_free (Call *call)
{
  if (call->timer != NULL)
    {
      g_source_destroy (call->timer);
      g_source_unref (call->timer);
    }
  if (call->caller_handler != 0)
    g_cancellable_disconnect (call->caller_cancellable, call->caller_handler);
  g_clear_object (&call->caller_cancellable);
  g_clear_object (&call->cancellable);
  g_clear_object (&call->msg);
  g_free (call->method);
  g_free (call->target);
  g_free (call->expect_out_trade_no);
  g_clear_pointer (&call->bill, till_wxpay_bill_free);
  g_free (call);
}

gboolean
till_wxpay_is_blank (const char *s)
{
  return s == NULL || *s == '\0';
}

/* ---- error helpers ---- */

static const char RESULT_UNKNOWN[] = N_("Result unknown — checking the payment.");

GError *
till_wxpay_pay_error_new (TillPayError code, guint http_status, const char *provider_code,
               const char *provider_message, const char *message)
{
  GError *error = g_error_new_literal (TILL_PAY_ERROR, code, message);
  till_pay_error_set_details (error, provider_code, provider_message, http_status);
  return error;
}

/* The cashier's text for a provider code (4xx). */
char *
till_wxpay_provider_error_text (const char *code, const char *message, guint status)
{
  static const struct
  {
    const char *codes[4];
    const char *text;
  } known[] = {
    { { "NOT_ENOUGH", "NOTENOUGH" },
      N_("Insufficient balance: ask the customer for another payment method.") },
    { { "AUTH_CODE_INVALID", "AUTHCODEEXPIRE", "AUTH_CODE_ERROR", "AUTH_CODE_EXPIRE" },
      N_("Payment code expired: ask the customer to refresh the code.") },
    { { "NOTSUPORTCARD", "NOT_SUPPORT_CARD" },
      N_("This card cannot be used: ask the customer to choose another card.") },
    { { "BUYER_MISMATCH" },
      N_("The payer changed: ask the customer to scan again.") },
    { { "TRADE_ERROR", "RULE_LIMIT", "USER_ACCOUNT_ABNORMAL" },
      N_("WeChat Pay refused this payment: ask for another payment method.") },
    { { "ORDER_PAID", "ORDERPAID" },
      N_("This order is already paid.") },
    { { "ORDER_CLOSED", "ORDERCLOSED" },
      N_("This order is closed: start a new payment.") },
    { { "ORDER_REVERSED", "ORDERREVERSED" },
      N_("This order was cancelled: start a new payment.") },
    { { "ORDER_NOT_EXIST", "ORDERNOTEXIST", "RESOURCE_NOT_EXISTS" },
      N_("WeChat Pay does not know this order.") },
    { { "REVERSE_EXPIRE" },
      N_("This order is too old to cancel: use a refund.") },
    { { "SIGN_ERROR", "SIGNERROR" },
      N_("WeChat Pay rejected the till's signature: check the merchant key, its serial number "
         "and the till's clock.") },
    { { "NO_AUTH", "NOAUTH", "APPID_MCHID_NOT_MATCH" },
      N_("The merchant account may not make this payment: check the WeChat Pay settings.") },
    { { "FREQUENCY_LIMITED", "RATE_LIMITED" },
      N_("Too many requests: wait a moment and try again.") },
    { { "NO_STATEMENT_EXIST" },
      N_("There is no bill for that day.") },
    { { "STATEMENT_CREATING" },
      N_("The bill is being prepared: try again later.") },
    { { "OUT_TRADE_NO_USED" },
      N_("This order number was already used: start a new payment.") },
  };

  if (code != NULL)
    for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
      for (gsize j = 0; j < G_N_ELEMENTS (known[i].codes) && known[i].codes[j] != NULL; j++)
        if (g_str_equal (code, known[i].codes[j]))
          return g_strdup (_(known[i].text));

  if (status == 429)
    return g_strdup (_("Too many requests: wait a moment and try again."));
  if (!till_wxpay_is_blank (message))
    return g_strdup_printf (_("WeChat Pay refused the request: %s (%s)"), message,
                            code != NULL ? code : "?");
  return g_strdup_printf (_("WeChat Pay refused the request (HTTP %u %s)"), status,
                          code != NULL ? code : "");
}

gboolean
till_wxpay_error_is_definite (const GError *error)
{
  return error != NULL && till_wxpay_error_classify (error) != TILL_PAY_FAILURE_UNKNOWN;
}

/* The string member `name` of `obj`, or NULL when it is absent or not a string: an answer
 * from outside may put an object where a string belongs, and json-glib's own getters
 * complain loudly about that. */
static const char *
object_string (JsonObject *obj, const char *name)
{
  JsonNode *n = json_object_get_member (obj, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

/* Reads {"code","message"} from an error body; both NULL when it is not JSON. */
void
till_wxpay_parse_problem (GBytes *body, char **code, char **message)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  JsonNode *root;

  *code = NULL;
  *message = NULL;
  if (data == NULL || len == 0 || !json_parser_load_from_data (parser, data, (gssize) len, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  *code = g_strdup (object_string (json_node_get_object (root), "code"));
  *message = g_strdup (object_string (json_node_get_object (root), "message"));
}

GError *
till_wxpay_protocol_error (guint status, const char *detail)
{
  g_autofree char *text = NULL;

  g_message ("malformed answer (HTTP %u): %s", status, detail);
  text = g_strdup_printf ("%s %s", _("The payment service sent an answer the till cannot read."),
                          _(RESULT_UNKNOWN));
  return till_wxpay_pay_error_new (TILL_PAY_ERROR_PROTOCOL, status, NULL, NULL, text);
}

/* ---- requests ---- */

gboolean
till_wxpay_valid_id (const char *s, gsize max_len, const char *extra_chars)
{
  gsize n;

  if (s == NULL)
    return FALSE;
  n = strlen (s);
  if (n == 0 || n > max_len)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && strchr (extra_chars, *p) == NULL)
      return FALSE;
  return TRUE;
}

void
till_wxpay_invalid_request (GTask *task, const char *what)
{
  g_message ("payment call not sent: %s", what);
  g_task_return_new_error (task, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID,
                           _("The payment request is invalid: %s"), what);
  g_object_unref (task);
}

GBytes *
till_wxpay_json_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  gsize len = 0;
  char *data;

  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, FALSE);
  data = json_generator_to_data (gen, &len);
  return g_bytes_new_take (data, len);
}

void
till_wxpay_add_str (JsonBuilder *b, const char *name, const char *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static gboolean call_timeout_cb (gpointer user_data);
static void     call_caller_cancelled_cb (GCancellable *cancellable, gpointer user_data);
static void     call_send_cb (GObject *source, GAsyncResult *result, gpointer user_data);

Call *
till_wxpay_call_new (CallKind kind)
{
  Call *call = g_new0 (Call, 1);
  call->kind = kind;
  return call;
}

/* Signs and sends; takes the task and the call. path and query are percent-encoded. */
void
till_wxpay_call_start (TillWxpayClient *self, GTask *task, Call *call, const char *method,
            const char *path, const char *query, GBytes *body, GCancellable *cancellable)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL, *nonce = NULL, *msg = NULL, *signature = NULL;
  g_autofree char *auth = NULL;
  SoupMessageHeaders *headers;
  GUri *msg_uri;
  const char *body_data = NULL;
  gsize body_len = 0;
  gint64 now;

  call->method = g_strdup (method);
  call->timeout_ms = self->timeout_ms;
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  uri = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (self->base_uri), NULL,
                     g_uri_get_host (self->base_uri), g_uri_get_port (self->base_uri),
                     path, query, NULL);
  call->msg = soup_message_new_from_uri (method, uri);
  /* Every call on a connection of its own, closed after the answer: a payment call never
   * rides on a kept-alive connection that the server or the network may have dropped, and
   * a call cancelled at its deadline leaves nothing behind for the next one (libsoup 3.2
   * crashed in the chaos test reusing such connections). A till makes a few calls a
   * minute; the handshake is cheap next to that. libsoup opens a new connection for every
   * POST anyway unless it is flagged SOUP_MESSAGE_IDEMPOTENT, which a payment is not; what
   * reuse would save is in bench-codepay ("bare POST, kept-alive"). Tried again on libsoup
   * 3.2.3 (every call IDEMPOTENT, no "Connection: close"): the chaos test died by SIGSEGV
   * in 2 of 6 runs. */
  soup_message_add_flags (call->msg, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_NEW_CONNECTION);
  soup_message_headers_replace (soup_message_get_request_headers (call->msg), "Connection",
                                "close");

  /* The canonical URL is what the message will put on the request line. */
  msg_uri = soup_message_get_uri (call->msg);
  canonical = g_uri_get_query (msg_uri) != NULL
              ? g_strconcat (g_uri_get_path (msg_uri), "?", g_uri_get_query (msg_uri), NULL)
              : g_strdup (g_uri_get_path (msg_uri));
  call->target = g_strdup (canonical);

  if (body != NULL)
    body_data = g_bytes_get_data (body, &body_len);
  now = till_clock_now_us () / G_USEC_PER_SEC;
  nonce = till_wxpay_nonce_new ();
  msg = till_wxpay_request_message (method, canonical, now, nonce, body_data, body_len);
  signature = till_rsa_sign_base64 (self->merchant_key, msg, strlen (msg), &error);
  if (signature == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  auth = till_wxpay_authorization_build (self->mchid, nonce, now, self->merchant_serial, signature);

  headers = soup_message_get_request_headers (call->msg);
  soup_message_headers_replace (headers, "Authorization", auth);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_headers_replace (headers, "Wechatpay-Serial", self->platform_key_id);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (call->msg, "application/json", body);
  else
    soup_message_headers_replace (headers, "Content-Type", "application/json");

  /* One deadline for the whole exchange (connect, send, wait, read); libsoup's own
   * timeouts are whole seconds, ours is in ms and says "timed out", not "cancelled". */
  call->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      call->caller_cancellable = g_object_ref (cancellable);
      call->caller_handler = g_cancellable_connect (cancellable,
                                                    G_CALLBACK (call_caller_cancelled_cb),
                                                    g_object_ref (call->cancellable),
                                                    g_object_unref);
    }
  call->timer = g_timeout_source_new (call->timeout_ms);
  g_source_set_callback (call->timer, call_timeout_cb, call, NULL);
  g_source_set_static_name (call->timer, "[till] wxpay call timeout");
  g_source_attach (call->timer, g_task_get_context (task));

  call->started_us = g_get_monotonic_time ();
  g_debug ("%s %s (timeout %u ms)", method, canonical, call->timeout_ms);
  soup_session_send_and_read_async (self->session, call->msg, G_PRIORITY_DEFAULT,
                                    call->cancellable, call_send_cb, task);
}

static gboolean
call_timeout_cb (gpointer user_data)
{
  Call *call = user_data;

  call->timed_out = TRUE;
  g_cancellable_cancel (call->cancellable);
  return G_SOURCE_REMOVE;
}

static void
call_caller_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static GError *
transport_error (Call *call, const GError *error)
{
  g_autofree char *text = NULL;

  if (call->timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_message ("%s %s: no answer within %u ms", call->method, call->target, call->timeout_ms);
      text = g_strdup_printf ("%s %s", _("WeChat Pay did not answer in time."), _(RESULT_UNKNOWN));
      return till_wxpay_pay_error_new (TILL_PAY_ERROR_TIMEOUT, 0, NULL, NULL, text);
    }

  if (call->caller_cancellable != NULL && g_cancellable_is_cancelled (call->caller_cancellable))
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));

  g_message ("%s %s: %s (%s %d)", call->method, call->target, error->message,
             g_quark_to_string (error->domain), error->code);

  /* Failures before the request could leave: nothing happened at the provider. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
      error->domain == G_RESOLVER_ERROR)
    return till_wxpay_pay_error_new (TILL_PAY_ERROR_NETWORK, 0, NULL, NULL,
                          _("Cannot reach WeChat Pay: check the network connection."));
  if (error->domain == G_TLS_ERROR)
    return till_wxpay_pay_error_new (TILL_PAY_ERROR_NETWORK, 0, NULL, NULL,
                          _("The secure connection to WeChat Pay failed: check the till's date "
                            "and the certificate settings."));

  /* Anything else happened after connecting: the request may have been processed. */
  text = g_strdup_printf ("%s %s", _("The connection to WeChat Pay was lost."), _(RESULT_UNKNOWN));
  return till_wxpay_pay_error_new (TILL_PAY_ERROR_CONNECTION_LOST, 0, NULL, NULL, text);
}

JsonNode *
till_wxpay_parse_json_body (GBytes *body, guint status, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  JsonNode *root;

  if (data == NULL || len == 0)
    {
      *error = till_wxpay_protocol_error (status, "empty body");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local))
    {
      *error = till_wxpay_protocol_error (status, local->message);
      return NULL;
    }
  /* Only white space parses too, with no root at all. */
  if ((root = json_parser_get_root (parser)) == NULL)
    {
      *error = till_wxpay_protocol_error (status, "a body of white space");
      return NULL;
    }
  return json_node_copy (root);
}

static void
finish_success (GTask *task, Call *call, guint status, GBytes *body)
{
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  gsize len = 0;

  g_bytes_get_data (body, &len);

  switch (call->kind)
    {
    case CALL_CODEPAY:
    case CALL_QUERY:
      {
        g_autoptr(TillWxpayTransaction) t = NULL;
        gboolean accepted = status == 202 && call->kind == CALL_CODEPAY;

        if (status != 200 && !accepted)
          {
            g_task_return_error (task, till_wxpay_protocol_error (status, "unexpected 2xx status"));
            return;
          }
        /* 202 = "accepted, the customer is confirming" (§1.2): its body may be empty or
         * carry trade_state alone; treat every other field as optional. */
        if (accepted && len == 0)
          root = json_from_string ("{}", NULL);
        else if ((root = till_wxpay_parse_json_body (body, status, &error)) == NULL)
          {
            g_task_return_error (task, error);
            return;
          }
        if (accepted && JSON_NODE_HOLDS_OBJECT (root) &&
            !json_object_has_member (json_node_get_object (root), "trade_state"))
          json_object_set_string_member (json_node_get_object (root), "trade_state", "USERPAYING");
        if ((t = till_wxpay_transaction_new_from_json (root, status, &error)) == NULL)
          {
            till_pay_error_set_details (error, NULL, NULL, status);
            g_task_return_error (task, error);
            return;
          }
        if (call->expect_out_trade_no != NULL && t->out_trade_no != NULL &&
            !g_str_equal (call->expect_out_trade_no, t->out_trade_no))
          {
            g_task_return_error (
                task, till_wxpay_protocol_error (status, "answer for another out_trade_no"));
            return;
          }
        if (t->out_trade_no == NULL && call->expect_out_trade_no != NULL)
          t->out_trade_no = g_strdup (call->expect_out_trade_no);
        g_debug ("%s: trade_state %s, transaction %s",
                 t->out_trade_no ? t->out_trade_no : "-", t->trade_state_str,
                 t->transaction_id ? t->transaction_id : "-");
        g_task_return_pointer (task, g_steal_pointer (&t), (GDestroyNotify) till_wxpay_transaction_free);
        return;
      }

    case CALL_REVERSE:
      {
        const char *otn;

        if (status == 204 || len == 0)
          {
            g_task_return_boolean (task, TRUE);
            return;
          }
        if ((root = till_wxpay_parse_json_body (body, status, &error)) == NULL)
          {
            g_task_return_error (task, error);
            return;
          }
        if (!JSON_NODE_HOLDS_OBJECT (root))
          {
            g_task_return_error (
                task, till_wxpay_protocol_error (status, "reverse answer is not an object"));
            return;
          }
        otn = object_string (json_node_get_object (root), "out_trade_no");
        if (otn != NULL && !g_str_equal (otn, call->expect_out_trade_no))
          {
            g_task_return_error (task, till_wxpay_protocol_error (status, "reverse answer for another out_trade_no"));
            return;
          }
        g_task_return_boolean (task, TRUE);
        return;
      }

    case CALL_CLOSE:
      g_task_return_boolean (task, TRUE);
      return;

    case CALL_NATIVE:
      {
        const char *code_url = NULL;

        if ((root = till_wxpay_parse_json_body (body, status, &error)) == NULL)
          {
            g_task_return_error (task, error);
            return;
          }
        if (JSON_NODE_HOLDS_OBJECT (root))
          code_url = object_string (json_node_get_object (root), "code_url");
        if (till_wxpay_is_blank (code_url))
          {
            g_task_return_error (task, till_wxpay_protocol_error (status, "no code_url"));
            return;
          }
        g_task_return_pointer (task, g_strdup (code_url), g_free);
        return;
      }

    case CALL_REFUND:
      {
        TillWxpayRefund *r;

        if ((root = till_wxpay_parse_json_body (body, status, &error)) == NULL ||
            (r = till_wxpay_refund_new_from_json (root, status, &error)) == NULL)
          {
            g_task_return_error (task, error);
            return;
          }
        g_task_return_pointer (task, r, (GDestroyNotify) till_wxpay_refund_free);
        return;
      }

    case CALL_BILL:
      {
        TillWxpayBill *b;

        if ((root = till_wxpay_parse_json_body (body, status, &error)) == NULL ||
            (b = till_wxpay_bill_new_from_json (root, call->gzip, &error)) == NULL)
          {
            g_task_return_error (task, error);
            return;
          }
        g_task_return_pointer (task, b, (GDestroyNotify) till_wxpay_bill_free);
        return;
      }

    case CALL_DOWNLOAD:
    default:
      g_assert_not_reached ();
    }
}

/* The provider's clock minus ours, from a verified answer's Wechatpay-Timestamp. */
static gint64
answer_clock_offset_s (const char *timestamp,
                       gint64      now_s)
{
  guint64 ts = 0;

  if (timestamp == NULL || !g_ascii_string_to_unsigned (timestamp, 10, 0, G_MAXINT64, &ts, NULL))
    return 0;
  return (gint64) ts - now_s;
}

static void
call_send_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  TillWxpayClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessageHeaders *headers;
  guint status;
  gsize len = 0;
  const char *data;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (call->timer != NULL)
    {
      g_source_destroy (call->timer);
      g_clear_pointer (&call->timer, g_source_unref);
    }

  if (body == NULL)
    {
      g_task_return_error (task, transport_error (call, error));
      return;
    }

  status = soup_message_get_status (call->msg);
  headers = soup_message_get_response_headers (call->msg);
  data = g_bytes_get_data (body, &len);
  g_debug ("%s %s → %u (%" G_GSIZE_FORMAT " bytes) in %" G_GINT64_FORMAT " ms, request id %s",
           call->method, call->target, status, len,
           (g_get_monotonic_time () - call->started_us) / 1000,
           soup_message_headers_get_one (headers, "Request-ID"));

  if (call->kind == CALL_DOWNLOAD)
    {
      till_wxpay_finish_download (task, call, status, body);
      return;
    }

  if (status >= 500)
    {
      g_autofree char *code = NULL, *message = NULL, *text = NULL;
      till_wxpay_parse_problem (body, &code, &message);
      g_message ("%s %s: HTTP %u %s: %s", call->method, call->target, status,
                 code ? code : "", message ? message : "");
      text = g_strdup_printf (_("WeChat Pay had a system error (HTTP %u). %s"), status, _(RESULT_UNKNOWN));
      g_task_return_error (task, till_wxpay_pay_error_new (TILL_PAY_ERROR_SERVER, status, code, message, text));
      return;
    }

  if ((status >= 200 && status < 300) || (status >= 400 && status < 500))
    {
      /* A 2xx without a valid signature is forged (§7.2); so is a 4xx, which would
       * otherwise be taken as a definite refusal. */
      g_autoptr(GError) sig_error = NULL;
      gint64 now_s = till_clock_now_us () / G_USEC_PER_SEC;
      if (!till_wxpay_verify_response (self->platform_key, self->platform_key_id,
                                       soup_message_headers_get_one (headers, "Wechatpay-Timestamp"),
                                       soup_message_headers_get_one (headers, "Wechatpay-Nonce"),
                                       soup_message_headers_get_one (headers, "Wechatpay-Signature"),
                                       soup_message_headers_get_one (headers, "Wechatpay-Serial"),
                                       data, len, now_s, &sig_error))
        {
          g_message ("%s %s: HTTP %u answer not verified", call->method, call->target, status);
          if (till_pay_error_is_clock_skew (sig_error))
            till_wxpay_client_observe_clock (self, till_pay_error_get_clock_skew_s (sig_error));
          till_pay_error_set_details (sig_error, NULL, NULL, status);
          g_task_return_error (task, g_steal_pointer (&sig_error));
          return;
        }
      /* A genuine answer: its timestamp is WeChat Pay's clock (to the second). */
      till_wxpay_client_observe_clock (
          self, answer_clock_offset_s (soup_message_headers_get_one (headers, "Wechatpay-Timestamp"),
                                       now_s));
    }

  if (status >= 400 && status < 500)
    {
      g_autofree char *code = NULL, *message = NULL, *text = NULL;
      till_wxpay_parse_problem (body, &code, &message);
      g_message ("%s %s: HTTP %u %s: %s", call->method, call->target, status,
                 code ? code : "", message ? message : "");
      text = till_wxpay_provider_error_text (code, message, status);
      g_task_return_error (task, till_wxpay_pay_error_new (TILL_PAY_ERROR_PROVIDER, status, code, message, text));
      return;
    }

  if (status < 200 || status >= 300)
    {
      g_task_return_error (task, till_wxpay_protocol_error (status, "unexpected HTTP status"));
      return;
    }

  finish_success (task, call, status, body);
}

GTask *
till_wxpay_new_task (TillWxpayClient *self, gpointer source_tag, GCancellable *cancellable,
          GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  /* Cancellation is reported by call_send_cb, which knows whether it was the timer. */
  g_task_set_check_cancellable (task, FALSE);
  return task;
}

char *
till_wxpay_escape_segment (const char *s)
{
  return g_uri_escape_string (s, NULL, FALSE);
}

char *
till_wxpay_mchid_query (TillWxpayClient *self)
{
  g_autofree char *m = g_uri_escape_string (self->mchid, NULL, FALSE);
  return g_strconcat ("mchid=", m, NULL);
}
