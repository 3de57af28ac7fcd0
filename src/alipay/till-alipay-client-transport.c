/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Alipay client's transport: one signed gateway call (or a bill download), its
 * deadline, the answer's signature, and the answer (or its absence) made a result or a
 * TILL_PAY_ERROR. */
#define G_LOG_DOMAIN "till-alipay"
#include "config.h"

#include "till-alipay-client-private.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "till-clock.h"

static const char RESULT_UNKNOWN[] = N_("Result unknown — checking the payment.");

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
  g_free (call->expect_out_trade_no);
  g_free (call);
}

gboolean
till_alipay_is_blank (const char *s)
{
  return s == NULL || *s == '\0';
}

/* ---- errors ---- */

GError *
till_alipay_error_new (TillPayError code,
                       guint        http_status,
                       const char  *provider_code,
                       const char  *provider_message,
                       const char  *message)
{
  GError *error = g_error_new_literal (TILL_PAY_ERROR, code, message);

  till_pay_error_set_details (error, provider_code, provider_message, http_status);
  return error;
}

GError *
till_alipay_protocol_error (const char *detail)
{
  g_autofree char *text = NULL;

  g_message ("Alipay: malformed answer: %s", detail);
  text = g_strdup_printf ("%s %s", _("Alipay sent an answer the till cannot read."),
                          _(RESULT_UNKNOWN));
  return till_alipay_error_new (TILL_PAY_ERROR_PROTOCOL, 200, NULL, NULL, text);
}

void
till_alipay_invalid_request (GTask      *task,
                             const char *what)
{
  g_message ("Alipay call not sent: %s", what);
  g_task_return_new_error (task, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID,
                           _("The payment request is invalid: %s"), what);
  g_object_unref (task);
}

/* The cashier's words for a verified refusal. */
static char *
refusal_text (const char *code,
              const char *sub_code,
              const char *sub_msg)
{
  const char *words = till_pay_error_describe_code (sub_code);

  if (g_strcmp0 (sub_code, "isv.invalid-timestamp") == 0)
    return g_strdup (_("Alipay refused the till's time: check the till's date and time."));
  if (sub_code != NULL && g_str_has_prefix (sub_code, "isv.")
      && strstr (sub_code, "call-limited") == NULL)
    return g_strdup_printf (_("Alipay refused the till's request: check the Alipay settings "
                              "(app ID and keys) (%s)."), sub_code);
  if (words != NULL)
    return g_strdup (words);
  if (!till_alipay_is_blank (sub_msg))
    return g_strdup_printf (_("Alipay refused the request: %s (%s)"), sub_msg,
                            sub_code != NULL ? sub_code : code);
  return g_strdup_printf (_("Alipay refused the request (%s)"),
                          sub_code != NULL ? sub_code : code);
}

/* ---- building requests ---- */

void
till_alipay_add_str (JsonBuilder *b,
                     const char  *name,
                     const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

void
till_alipay_add_yuan (JsonBuilder *b,
                      const char  *name,
                      gint64       fen)
{
  g_autofree char *yuan = till_alipay_yuan_format (fen);

  till_alipay_add_str (b, name, yuan);
}

GTask *
till_alipay_new_task (TillAlipayClient    *self,
                      gpointer             source_tag,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  /* Cancellation is reported by send_cb, which knows whether it was the timer. */
  g_task_set_check_cancellable (task, FALSE);
  return task;
}

Call *
till_alipay_call_new (CallKind    kind,
                      const char *method)
{
  Call *call = g_new0 (Call, 1);

  call->kind = kind;
  call->method = method;
  call->expect_amount_fen = -1;
  return call;
}

static char *
json_text (JsonBuilder *b)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);

  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, FALSE);
  return json_generator_to_data (gen, NULL);
}

static gboolean call_timeout_cb (gpointer user_data);
static void     call_caller_cancelled_cb (GCancellable *cancellable, gpointer user_data);
static void     send_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
send_message (TillAlipayClient *self,
              GTask            *task,
              Call             *call,
              GCancellable     *cancellable)
{
  /* One deadline for the whole exchange (connect, send, wait, read). */
  call->timeout_ms = self->timeout_ms;
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
  g_source_set_static_name (call->timer, "[till] alipay call timeout");
  g_source_attach (call->timer, g_task_get_context (task));

  /* Every call on a connection of its own, closed after the answer (as for WeChat Pay:
   * no payment call rides on a kept-alive connection the network may have dropped). */
  soup_message_add_flags (call->msg, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_NEW_CONNECTION);
  soup_message_headers_replace (soup_message_get_request_headers (call->msg), "Connection",
                                "close");
  call->started_us = g_get_monotonic_time ();
  soup_session_send_and_read_async (self->session, call->msg, G_PRIORITY_DEFAULT,
                                    call->cancellable, send_cb, task);
}

void
till_alipay_call_start (TillAlipayClient *self,
                        GTask            *task,
                        Call             *call,
                        JsonBuilder      *biz_content,
                        GCancellable     *cancellable)
{
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *biz = json_text (biz_content);
  g_autofree char *timestamp = till_alipay_timestamp_format (till_clock_now_us ());
  g_autofree char *sign = NULL;
  g_autofree char *query = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GBytes) bytes = NULL;
  /* the common parameters (§2.2), in the order the SDKs send them */
  const char *const common[] = {
    "method", call->method, "app_id", self->app_id, "format", "JSON", "charset", "utf-8",
    "sign_type", "RSA2", "timestamp", timestamp, "version", "1.0",
  };

  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  for (guint i = 0; i < G_N_ELEMENTS (common); i += 2)
    g_hash_table_insert (params, (gpointer) common[i], (gpointer) common[i + 1]);
  g_hash_table_insert (params, "biz_content", biz);
  sign = till_alipay_sign_params (self->app_private_key, params, &error);
  if (sign == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  {
    GString *q = g_string_new (NULL);

    for (guint i = 0; i < G_N_ELEMENTS (common); i += 2)
      {
        g_autofree char *v = g_uri_escape_string (common[i + 1], NULL, FALSE);

        g_string_append_printf (q, "%s%s=%s", q->len > 0 ? "&" : "", common[i], v);
      }
    {
      g_autofree char *v = g_uri_escape_string (sign, NULL, FALSE);

      g_string_append_printf (q, "&sign=%s", v);
    }
    query = g_string_free (q, FALSE);
  }
  {
    g_autofree char *v = g_uri_escape_string (biz, NULL, FALSE);

    body = g_strconcat ("biz_content=", v, NULL);
    bytes = g_bytes_new_take (g_steal_pointer (&body), strlen ("biz_content=") + strlen (v));
  }
  uri = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (self->gateway_uri), NULL,
                     g_uri_get_host (self->gateway_uri), g_uri_get_port (self->gateway_uri),
                     g_uri_get_path (self->gateway_uri), query, NULL);
  call->msg = soup_message_new_from_uri ("POST", uri);
  soup_message_set_request_body_from_bytes (call->msg,
                                            "application/x-www-form-urlencoded;charset=utf-8",
                                            bytes);
  soup_message_headers_replace (soup_message_get_request_headers (call->msg), "Accept",
                                "application/json");
  g_debug ("POST %s method=%s (timeout %u ms)", self->gateway_url, call->method,
           self->timeout_ms);
  send_message (self, task, call, cancellable);
}

void
till_alipay_download_start (TillAlipayClient *self,
                            GTask            *task,
                            Call             *call,
                            GUri             *url,
                            GCancellable     *cancellable)
{
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  call->msg = soup_message_new_from_uri ("GET", url);
  g_debug ("GET the bill from %s", g_uri_get_host (url));
  send_message (self, task, call, cancellable);
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
call_caller_cancelled_cb (GCancellable *cancellable,
                          gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static const char *
call_name (Call *call)
{
  return call->method != NULL ? call->method : "bill download";
}

static GError *
transport_error (Call         *call,
                 const GError *error)
{
  g_autofree char *text = NULL;

  if (call->timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_message ("%s: no answer within %u ms", call_name (call), call->timeout_ms);
      text = g_strdup_printf ("%s %s", _("Alipay did not answer in time."), _(RESULT_UNKNOWN));
      return till_alipay_error_new (TILL_PAY_ERROR_TIMEOUT, 0, NULL, NULL, text);
    }
  if (call->caller_cancellable != NULL && g_cancellable_is_cancelled (call->caller_cancellable))
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));

  g_message ("%s: %s (%s %d)", call_name (call), error->message,
             g_quark_to_string (error->domain), error->code);
  /* Failures before the request could leave: nothing happened at Alipay. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND)
      || error->domain == G_RESOLVER_ERROR)
    return till_alipay_error_new (TILL_PAY_ERROR_NETWORK, 0, NULL, NULL,
                                  _("Cannot reach Alipay: check the network connection."));
  if (error->domain == G_TLS_ERROR)
    return till_alipay_error_new (TILL_PAY_ERROR_NETWORK, 0, NULL, NULL,
                                  _("The secure connection to Alipay failed: check the till's "
                                    "date and the certificate settings."));
  /* Anything else happened after connecting: the request may have been processed. */
  text = g_strdup_printf ("%s %s", _("The connection to Alipay was lost."), _(RESULT_UNKNOWN));
  return till_alipay_error_new (TILL_PAY_ERROR_CONNECTION_LOST, 0, NULL, NULL, text);
}

/* Alipay's clock minus ours, from the answer's Date header (1 s resolution). */
static void
observe_date (TillAlipayClient   *self,
              SoupMessageHeaders *headers)
{
  const char *date = soup_message_headers_get_one (headers, "Date");
  g_autoptr(GDateTime) dt = date != NULL ? soup_date_time_new_from_http_string (date) : NULL;

  if (dt != NULL)
    till_alipay_client_observe_clock (self, g_date_time_to_unix (dt)
                                            - till_clock_now_us () / G_USEC_PER_SEC);
}

/* A verified answer that is not a success: the error that says what it was. */
static GError *
answer_error (Call       *call,
              JsonObject *response)
{
  const char *code = till_alipay_json_string (response, "code");
  const char *msg = till_alipay_json_string (response, "msg");
  const char *sub_code = till_alipay_json_string (response, "sub_code");
  const char *sub_msg = till_alipay_json_string (response, "sub_msg");
  g_autofree char *text = NULL;

  g_message ("%s: %s %s %s %s", call->method, code ? code : "-", msg ? msg : "",
             sub_code ? sub_code : "", sub_msg ? sub_msg : "");
  if (code == NULL)
    return till_alipay_protocol_error ("an answer without a code");
  if (g_str_equal (code, TILL_ALIPAY_CODE_UNKNOWN))
    {
      text = g_strdup_printf (_("Alipay could not answer now (%s). %s"),
                              sub_code != NULL ? sub_code : code, _(RESULT_UNKNOWN));
      return till_alipay_error_new (TILL_PAY_ERROR_SERVER, 200,
                                    sub_code != NULL ? sub_code : code, sub_msg, text);
    }
  text = refusal_text (code, sub_code, sub_msg);
  return till_alipay_error_new (TILL_PAY_ERROR_PROVIDER, 200,
                                sub_code != NULL ? sub_code : code,
                                sub_msg != NULL ? sub_msg : msg, text);
}

/* An answer that failed verification: unknown, whatever it says. */
static GError *
unverified_error (Call             *call,
                  TillAlipayAnswer *answer,
                  const GError     *sig_error)
{
  const char *code = till_alipay_json_string (answer->response, "code");
  const char *sub_code = till_alipay_json_string (answer->response, "sub_code");
  g_autofree char *text = NULL;

  /* Its code is not proven: it goes to the log, never into the error's provider code. */
  g_message ("%s: answer not verified (%s): code %s %s", call->method, sig_error->message,
             code != NULL ? code : "-", sub_code != NULL ? sub_code : "");
  if (sub_code != NULL && g_str_has_prefix (sub_code, "isv."))
    text = g_strdup_printf (_("Alipay refused the request without a signature (%s): check "
                              "the Alipay settings (app ID and keys) and the till's clock. %s"),
                            sub_code, _(RESULT_UNKNOWN));
  else
    text = g_strdup_printf ("%s %s", sig_error->message, _(RESULT_UNKNOWN));
  return till_alipay_error_new (TILL_PAY_ERROR_SIGNATURE, 200, NULL, NULL, text);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TillAlipayClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) sig_error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(TillAlipayAnswer) answer = NULL;
  const char *code;
  const char *data;
  gsize len = 0;
  guint status;

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
  data = g_bytes_get_data (body, &len);
  g_debug ("%s → HTTP %u (%" G_GSIZE_FORMAT " bytes) in %" G_GINT64_FORMAT " ms",
           call_name (call), status, len, (g_get_monotonic_time () - call->started_us) / 1000);

  if (call->kind == CALL_DOWNLOAD)
    {
      till_alipay_download_answered (task, call, status, body);
      return;
    }

  /* The gateway answers every business outcome with 200 (§2.4). */
  if (status != 200)
    {
      g_autofree char *text = NULL;

      g_message ("%s: HTTP %u", call->method, status);
      text = g_strdup_printf (_("Alipay had a system error (HTTP %u). %s"), status,
                              _(RESULT_UNKNOWN));
      g_task_return_error (task, till_alipay_error_new (status >= 500 ? TILL_PAY_ERROR_SERVER
                                                                      : TILL_PAY_ERROR_PROTOCOL,
                                                        status, NULL, NULL, text));
      return;
    }

  answer = till_alipay_answer_read (data != NULL ? data : "", len, call->method,
                                    self->alipay_public_key, &sig_error, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!answer->verified)
    {
      g_task_return_error (task, unverified_error (call, answer, sig_error));
      return;
    }
  observe_date (self, soup_message_get_response_headers (call->msg));

  code = till_alipay_json_string (answer->response, "code");
  if (g_strcmp0 (code, TILL_ALIPAY_CODE_SUCCESS) == 0
      || (call->kind == CALL_PAY && g_strcmp0 (code, TILL_ALIPAY_CODE_PAYING) == 0))
    {
      const char *otn = till_alipay_json_string (answer->response, "out_trade_no");

      if (call->expect_out_trade_no != NULL && otn != NULL
          && !g_str_equal (otn, call->expect_out_trade_no))
        {
          g_task_return_error (task, till_alipay_protocol_error ("an answer for another "
                                                                 "out_trade_no"));
          return;
        }
      till_alipay_call_answered (task, call, answer);
      return;
    }
  g_task_return_error (task, answer_error (call, answer->response));
}
