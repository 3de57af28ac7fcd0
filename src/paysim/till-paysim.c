/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator object: the SoupServer, request verification, signed answers, fault
 * injection and the /_sim/ control API. The v3 business logic is in till-paysim-api.c; fault
 * bookkeeping and the control API are in till-paysim-control.c; Alipay's gateway
 * (POST /gateway.do) in till-paysim-alipay*.c.
 *
 * Faults (POST /_sim/faults) arm the next `count` /v3 requests whose path starts with
 * `path_prefix`, oldest fault first:
 *   delay   the request is processed at once; its answer is sent after `ms`.
 *   drop    the connection is closed without an answer and the request is NOT processed
 *           (it never reached the server). With "apply": true it is processed first and
 *           then dropped (the answer is lost). Auth code …9999 always behaves like the
 *           latter.
 *   status  answered with HTTP `status` and a SYSTEM_ERROR-style body; not processed.
 *   badsig  processed normally; the answer carries a wrong signature.
 *   nosig   processed normally; the answer carries no signature.
 * Alipay's gateway takes the same faults (path_prefix "/gateway.do", an optional "method")
 * and its own: unknown, retry_flag, rollback (till-paysim-alipay.c).
 */
#define G_LOG_DOMAIN "till-paysim"

#include "config.h"

#include <string.h>

#include "till-paysim-alipay.h"
#include "till-paysim-bill.h"
#include "till-paysim-private.h"

G_DEFINE_QUARK (till-paysim-error-quark, till_paysim_error)

G_DEFINE_TYPE (TillPaysim, till_paysim, G_TYPE_OBJECT)

#define MAX_SKEW_S 300

typedef struct
{
  TillPaysim        *sim;
  SoupServerMessage *msg;
  guint              source;
  gulong             finished_id;
} HeldMessage;

static void
bill_token_free (gpointer data)
{
  TillPaysimBillToken *token = data;

  g_bytes_unref (token->content);
  g_free (token);
}

static void
held_message_free (HeldMessage *held)
{
  if (held->source != 0)
    g_source_remove (held->source);
  if (held->finished_id != 0)
    g_signal_handler_disconnect (held->msg, held->finished_id);
  g_object_unref (held->msg);
  g_free (held);
}

void
till_paysim_options_init (TillPaysimOptions *options)
{
  g_return_if_fail (options != NULL);
  options->mchid = TILL_PAYSIM_DEFAULT_MCHID;
  options->appid = TILL_PAYSIM_DEFAULT_APPID;
  options->tls = FALSE;
  options->password_delay_ms = TILL_PAYSIM_DEFAULT_PASSWORD_DELAY_MS;
  options->alipay_strict_refunds = FALSE;
}

gint64
till_paysim_now_ms (TillPaysim *self)
{
  g_return_val_if_fail (TILL_IS_PAYSIM (self), 0);
  return g_get_real_time () / 1000 + till_paysim_ledger_get_clock_offset (self->ledger) * 1000;
}

/* ---- answers ---------------------------------------------------------------------- */

void
till_paysim_call_json (TillPaysimCall *call,
                       guint           status,
                       JsonNode       *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  gsize len = 0;
  char *text;

  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, &len);
  g_clear_pointer (&call->answer, g_bytes_unref);
  call->answer = g_bytes_new_take (text, len);
  call->status = status;
  call->content_type = "application/json; charset=utf-8";
}

void
till_paysim_call_error (TillPaysimCall *call,
                        guint           status,
                        const char     *code,
                        const char     *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  till_paysim_call_json (call, status, node);
}

void
till_paysim_call_param_error (TillPaysimCall *call,
                              const char     *field,
                              const char     *location,
                              const char     *issue)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *message = g_strdup_printf ("输入源“%s”映射到值字段“%s”%s", location,
                                              field, issue);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, "PARAM_ERROR");
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "detail");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "field");
  json_builder_add_string_value (b, field);
  json_builder_set_member_name (b, "location");
  json_builder_add_string_value (b, location);
  json_builder_set_member_name (b, "issue");
  json_builder_add_string_value (b, issue);
  json_builder_end_object (b);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  till_paysim_call_json (call, 400, node);
}

void
till_paysim_call_internal_error (TillPaysimCall *call,
                                 const GError   *error)
{
  g_warning ("Simulator failure on %s %s: %s", call->method, call->path, error->message);
  till_paysim_call_error (call, 500, "SYSTEM_ERROR", "系统错误");
}

static char *
sign_answer (TillPaysim *self,
             const char *timestamp,
             const char *nonce,
             GBytes     *body,
             gboolean    wrong)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  g_autofree char *message = till_wxpay_response_message (timestamp, nonce, data, len);
  g_autofree char *probe = NULL;
  char *signature;

  if (wrong)
    {
      /* Like WeChat's signature probes: a real signature, but over another message. */
      probe = g_strconcat ("WECHATPAY/SIGNTEST/", message, NULL);
      signature = till_rsa_sign_base64 (self->platform_private_key, probe, strlen (probe), &error);
    }
  else
    signature = till_rsa_sign_base64 (self->platform_private_key, message, strlen (message),
                                      &error);
  if (signature == NULL)
    g_warning ("Cannot sign an answer: %s", error->message);
  return signature;
}

/* Puts the call's answer on the message: status, body, the §7.2 headers. */
static void
apply_answer (TillPaysimCall *call)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (call->msg);
  g_autofree char *request_id = g_uuid_string_random ();
  gsize len = 0;
  const char *data = call->answer != NULL ? g_bytes_get_data (call->answer, &len) : NULL;

  soup_message_headers_replace (headers, "Request-ID", request_id);
  if (!call->unsigned_answer)
    {
      g_autofree char *timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, call->now_ms / 1000);
      g_autofree char *nonce = till_wxpay_nonce_new ();
      g_autofree char *signature = sign_answer (call->sim, timestamp, nonce, call->answer,
                                                call->bad_signature);

      soup_message_headers_replace (headers, "Wechatpay-Timestamp", timestamp);
      soup_message_headers_replace (headers, "Wechatpay-Nonce", nonce);
      if (signature != NULL)
        soup_message_headers_replace (headers, "Wechatpay-Signature", signature);
      soup_message_headers_replace (headers, "Wechatpay-Serial", call->sim->platform_key_id);
      soup_message_headers_replace (headers, "Wechatpay-Signature-Type",
                                    "WECHATPAY2-SHA256-RSA2048");
    }
  soup_server_message_set_status (call->msg, call->status, NULL);
  if (data != NULL && len > 0)
    soup_server_message_set_response (call->msg, call->content_type, SOUP_MEMORY_COPY, data, len);
  else
    soup_server_message_set_response (call->msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
}

void
till_paysim_drop_connection (SoupServerMessage *msg)
{
  GIOStream *stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    {
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
    }
}

static gboolean
held_message_release_cb (gpointer data)
{
  HeldMessage *held = data;
  TillPaysim *self = held->sim;

  held->source = 0;
  soup_server_message_unpause (held->msg);
  g_ptr_array_remove_fast (self->held, held);
  return G_SOURCE_REMOVE;
}

static void
held_message_finished_cb (SoupServerMessage *msg,
                          gpointer           data)
{
  HeldMessage *held = data;

  g_signal_handler_disconnect (msg, held->finished_id);
  held->finished_id = 0;
  g_ptr_array_remove_fast (held->sim->held, held);
}

void
till_paysim_hold_message (TillPaysim        *self,
                          SoupServerMessage *msg,
                          guint              ms)
{
  HeldMessage *held = g_new0 (HeldMessage, 1);

  held->sim = self;
  held->msg = g_object_ref (msg);
  soup_server_message_pause (msg);
  held->source = g_timeout_add (ms, held_message_release_cb, held);
  held->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (held_message_finished_cb), held);
  g_ptr_array_add (self->held, held);
}

/* ---- request verification --------------------------------------------------------- */

static gboolean
verify_request (TillPaysimCall *call)
{
  TillPaysim *self = call->sim;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (call->msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autoptr(TillWxpayAuthorization) auth = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL, *message = NULL;
  gint64 skew;

  if (authorization == NULL || *authorization == '\0')
    {
      till_paysim_call_error (call, 401, "SIGN_ERROR", "Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》");
      return FALSE;
    }
  auth = till_wxpay_authorization_parse (authorization, &error);
  if (auth == NULL)
    {
      g_message ("Bad Authorization: %s", error->message);
      till_paysim_call_error (call, 401, "SIGN_ERROR", "Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》");
      return FALSE;
    }
  if (g_strcmp0 (auth->mchid, self->mchid) != 0)
    {
      till_paysim_call_error (call, 401, "SIGN_ERROR", "Http头Authorization中的mchid与商户号不匹配");
      return FALSE;
    }
  if (g_ascii_strcasecmp (auth->serial_no, self->merchant_serial) != 0)
    {
      till_paysim_call_error (call, 401, "SIGN_ERROR", "商户证书序列号有误。请使用签名私钥匹配的证书序列号");
      return FALSE;
    }
  skew = auth->timestamp - call->now_ms / 1000;
  if (skew > MAX_SKEW_S || skew < -MAX_SKEW_S)
    {
      till_paysim_call_error (call, 401, "SIGN_ERROR", "Http头Authorization中的timestamp与当前时间相差过大，请检查系统时间");
      return FALSE;
    }

  canonical = call->query != NULL ? g_strconcat (call->path, "?", call->query, NULL)
                                  : g_strdup (call->path);
  message = till_wxpay_request_message (call->method, canonical, auth->timestamp, auth->nonce_str,
                                        call->body, call->body_len);
  if (!till_rsa_verify_base64 (self->merchant_public_key, message, strlen (message),
                               auth->signature, &error))
    {
      g_message ("Request signature rejected (%s %s): %s", call->method, canonical,
                 error != NULL ? error->message : "no detail");
      till_paysim_call_error (call, 401, "SIGN_ERROR", "错误的签名，验签失败");
      return FALSE;
    }
  return TRUE;
}

static const char *
status_code_name (guint status)
{
  switch (status)
    {
    case 400: return "PARAM_ERROR";
    case 401: return "SIGN_ERROR";
    case 403: return "NO_AUTH";
    case 404: return "ORDER_NOT_EXIST";
    case 429: return "FREQUENCY_LIMITED";
    case 502:
    case 503: return "SERVICE_UNAVAILABLE";
    default:  return "SYSTEM_ERROR";
    }
}

static const char *
status_code_message (guint status)
{
  switch (status)
    {
    case 429: return "频率超限，请降低请求接口频率";
    case 502:
    case 503: return "服务不可用，请稍后重试";
    case 404: return "订单不存在";
    case 403: return "无权限";
    default:  return "系统错误";
    }
}

/* ---- /v3 --------------------------------------------------------------------------- */

static void
handle_v3 (TillPaysim        *self,
           SoupServerMessage *msg,
           TillPaysimCall    *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Fault) fault = NULL;

  fault = till_paysim_take_fault (self, call->path, NULL);
  if (fault != NULL)
    g_message ("Fault %s on %s %s", till_paysim_fault_kind_names[fault->kind], call->method, call->path);

  if (fault != NULL && fault->kind == FAULT_DROP && !fault->apply)
    {
      till_paysim_drop_connection (msg);
      return;
    }

  if (fault != NULL && fault->kind == FAULT_STATUS)
    till_paysim_call_error (call, fault->status, status_code_name (fault->status),
                            status_code_message (fault->status));
  else if (!till_paysim_ledger_settle (self->ledger, call->now_ms, &error))
    till_paysim_call_internal_error (call, error);
  else if (verify_request (call))
    till_paysim_api_dispatch (call);

  if (fault != NULL)
    {
      switch (fault->kind)
        {
        case FAULT_DELAY:
          call->hold_ms = MAX (call->hold_ms, fault->ms);
          break;
        case FAULT_DROP:
          call->drop = TRUE;
          break;
        case FAULT_BADSIG:
          call->bad_signature = TRUE;
          break;
        case FAULT_NOSIG:
          call->unsigned_answer = TRUE;
          break;
        case FAULT_STATUS:
        case FAULT_UNKNOWN:
        case FAULT_RETRY_FLAG:
        case FAULT_ROLLBACK:
        default:
          break;
        }
    }

  if (call->drop)
    {
      till_paysim_drop_connection (msg);
      return;
    }
  apply_answer (call);
  if (call->hold_ms > 0)
    till_paysim_hold_message (self, msg, call->hold_ms);
}

/* ---- the server -------------------------------------------------------------------- */

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path_unused,
           GHashTable        *query_unused,
           gpointer           user_data)
{
  TillPaysim *self = TILL_PAYSIM (user_data);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (uri);
  SoupMessageBody *req_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (req_body);
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  g_autofree char *body_text = g_strndup (data != NULL ? data : "", len);

  if (g_str_has_prefix (path, "/_sim/"))
    {
      till_paysim_handle_control (self, msg, method, path, body_text, len);
      return;
    }

  if (g_str_equal (path, TILL_PAYSIM_ALIPAY_GATEWAY_PATH))
    {
      if (g_str_equal (method, "POST"))
        till_paysim_alipay_handle (self, msg, body_text, len);
      else
        {
          soup_server_message_set_status (msg, 405, NULL);
          soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                            "use POST\n", 9);
        }
      return;
    }

  if (g_str_has_prefix (path, "/v3/"))
    {
      TillPaysimCall call = { 0 };
      const char *query = g_uri_get_query (uri);
      g_autoptr(GHashTable) params = NULL;

      if (query != NULL)
        params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
      if (params == NULL)
        params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

      call.sim = self;
      call.msg = msg;
      call.method = method;
      call.path = path;
      call.query = query;
      call.params = params;
      call.body = body_text;
      call.body_len = len;
      call.now_ms = till_paysim_now_ms (self);
      call.status = 500;
      handle_v3 (self, msg, &call);
      g_clear_pointer (&call.answer, g_bytes_unref);
      return;
    }

  soup_server_message_set_status (msg, 404, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "not found\n", 10);
}

gboolean
till_paysim_parse_listen (const char *text,
                          char      **out_host,
                          guint16    *out_port,
                          GError    **error)
{
  g_autofree char *host = NULL;
  const char *colon;
  guint64 port;
  char *end = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  if (text[0] == '[')
    {
      const char *close = strchr (text, ']');

      if (close == NULL || close[1] != ':')
        goto bad;
      host = g_strndup (text + 1, close - text - 1);
      colon = close + 1;
    }
  else
    {
      colon = strrchr (text, ':');
      if (colon == NULL)
        goto bad;
      host = g_strndup (text, colon - text);
    }
  port = g_ascii_strtoull (colon + 1, &end, 10);
  if (colon[1] == '\0' || *end != '\0' || port > 65535)
    goto bad;

  {
    g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (host);

    if (!(g_str_equal (host, "localhost") || (addr != NULL && g_inet_address_get_is_loopback (addr))))
      {
        g_set_error (error, TILL_PAYSIM_ERROR, TILL_PAYSIM_ERROR_ADDRESS,
                     "The simulator listens on loopback only (127.0.0.1 or ::1), not “%s”", host);
        return FALSE;
      }
  }
  *out_host = g_steal_pointer (&host);
  *out_port = (guint16) port;
  return TRUE;

bad:
  g_set_error (error, TILL_PAYSIM_ERROR, TILL_PAYSIM_ERROR_ADDRESS,
               "“%s” is not HOST:PORT (e.g. 127.0.0.1:0)", text);
  return FALSE;
}

gboolean
till_paysim_listen (TillPaysim *self,
                    const char *address,
                    guint16     port,
                    GError    **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) sockaddr = NULL;
  GSList *uris;

  g_return_val_if_fail (TILL_IS_PAYSIM (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->server != NULL)
    {
      g_set_error (error, TILL_PAYSIM_ERROR, TILL_PAYSIM_ERROR_LISTEN, "The simulator already listens");
      return FALSE;
    }
  inet = g_str_equal (address, "localhost") ? g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4)
                                            : g_inet_address_new_from_string (address);
  if (inet == NULL || !g_inet_address_get_is_loopback (inet))
    {
      g_set_error (error, TILL_PAYSIM_ERROR, TILL_PAYSIM_ERROR_ADDRESS,
                   "The simulator listens on loopback only (127.0.0.1 or ::1), not “%s”", address);
      return FALSE;
    }
  sockaddr = g_inet_socket_address_new (inet, port);

  self->server = soup_server_new ("server-header", "tillpoint-paysim", NULL);
  if (self->tls_certificate != NULL)
    soup_server_set_tls_certificate (self->server, self->tls_certificate);
  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);

  if (!soup_server_listen (self->server, sockaddr,
                           self->tls_certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    {
      g_clear_object (&self->server);
      return FALSE;
    }

  uris = soup_server_get_uris (self->server);
  if (uris != NULL)
    self->port = (guint16) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  {
    g_autofree char *host = g_inet_address_to_string (inet);
    gboolean v6 = g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6;

    g_free (self->base_url);
    self->base_url = g_strdup_printf ("%s://%s%s%s:%u", self->tls_certificate ? "https" : "http",
                                      v6 ? "[" : "", host, v6 ? "]" : "", self->port);
  }
  return TRUE;
}

void
till_paysim_stop (TillPaysim *self)
{
  g_return_if_fail (TILL_IS_PAYSIM (self));

  if (self->held != NULL)
    g_ptr_array_set_size (self->held, 0);
  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
  self->port = 0;
  g_clear_pointer (&self->base_url, g_free);
}

TillPaysim *
till_paysim_new (const char              *state_dir,
                 const TillPaysimOptions *options,
                 GError                 **error)
{
  g_autoptr(TillPaysim) self = NULL;
  TillPaysimOptions defaults;

  g_return_val_if_fail (state_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  till_paysim_options_init (&defaults);
  if (options == NULL)
    options = &defaults;

  self = g_object_new (TILL_TYPE_PAYSIM, NULL);
  self->state_dir = g_canonicalize_filename (state_dir, NULL);
  self->mchid = g_strdup (options->mchid != NULL ? options->mchid : TILL_PAYSIM_DEFAULT_MCHID);
  self->appid = g_strdup (options->appid != NULL ? options->appid : TILL_PAYSIM_DEFAULT_APPID);
  self->tls = options->tls;
  self->password_delay_ms = options->password_delay_ms >= 0 ? options->password_delay_ms
                                                            : TILL_PAYSIM_DEFAULT_PASSWORD_DELAY_MS;
  self->alipay_strict_refunds = options->alipay_strict_refunds;

  if (!till_paysim_state_load (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

guint16
till_paysim_get_port (TillPaysim *self)
{
  g_return_val_if_fail (TILL_IS_PAYSIM (self), 0);
  return self->port;
}

const char *
till_paysim_get_base_url (TillPaysim *self)
{
  g_return_val_if_fail (TILL_IS_PAYSIM (self), NULL);
  return self->base_url;
}

const char *
till_paysim_get_state_dir (TillPaysim *self)
{
  g_return_val_if_fail (TILL_IS_PAYSIM (self), NULL);
  return self->state_dir;
}

const char *
till_paysim_get_mchid (TillPaysim *self)
{
  g_return_val_if_fail (TILL_IS_PAYSIM (self), NULL);
  return self->mchid;
}

const char *
till_paysim_get_appid (TillPaysim *self)
{
  g_return_val_if_fail (TILL_IS_PAYSIM (self), NULL);
  return self->appid;
}

const char *
till_paysim_get_merchant_serial (TillPaysim *self)
{
  g_return_val_if_fail (TILL_IS_PAYSIM (self), NULL);
  return self->merchant_serial;
}

const char *
till_paysim_get_platform_public_key_id (TillPaysim *self)
{
  g_return_val_if_fail (TILL_IS_PAYSIM (self), NULL);
  return self->platform_key_id;
}

const char *
till_paysim_get_alipay_app_id (TillPaysim *self)
{
  g_return_val_if_fail (TILL_IS_PAYSIM (self), NULL);
  return self->alipay_app_id;
}

const char *
till_paysim_get_alipay_pid (TillPaysim *self)
{
  g_return_val_if_fail (TILL_IS_PAYSIM (self), NULL);
  return self->alipay_pid;
}

char *
till_paysim_dup_path (TillPaysim *self,
                      const char *file_name)
{
  g_return_val_if_fail (TILL_IS_PAYSIM (self), NULL);
  g_return_val_if_fail (file_name != NULL && strchr (file_name, '/') == NULL, NULL);
  return g_build_filename (self->state_dir, file_name, NULL);
}

gint64
till_paysim_get_password_delay_ms (TillPaysim *self)
{
  g_return_val_if_fail (TILL_IS_PAYSIM (self), 0);
  return self->password_delay_ms;
}

void
till_paysim_set_password_delay_ms (TillPaysim *self,
                                   gint64      delay_ms)
{
  g_return_if_fail (TILL_IS_PAYSIM (self));
  g_return_if_fail (delay_ms >= 0);
  self->password_delay_ms = delay_ms;
}

gint64
till_paysim_get_clock_offset_s (TillPaysim *self)
{
  g_return_val_if_fail (TILL_IS_PAYSIM (self), 0);
  return till_paysim_ledger_get_clock_offset (self->ledger);
}

gboolean
till_paysim_set_clock_offset_s (TillPaysim *self,
                                gint64      offset_s,
                                GError    **error)
{
  g_return_val_if_fail (TILL_IS_PAYSIM (self), FALSE);
  return till_paysim_ledger_set_clock_offset (self->ledger, offset_s, error);
}

static void
till_paysim_dispose (GObject *object)
{
  TillPaysim *self = TILL_PAYSIM (object);

  till_paysim_stop (self);
  g_queue_clear_full (&self->faults, (GDestroyNotify) till_paysim_fault_free);
  g_clear_pointer (&self->bill_tokens, g_hash_table_unref);
  g_clear_pointer (&self->alipay_bill_tokens, g_hash_table_unref);
  g_clear_object (&self->ledger);
  g_clear_object (&self->alipay_ledger);
  g_clear_object (&self->tls_certificate);
  G_OBJECT_CLASS (till_paysim_parent_class)->dispose (object);
}

static void
till_paysim_finalize (GObject *object)
{
  TillPaysim *self = TILL_PAYSIM (object);

  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_clear_pointer (&self->merchant_public_key, till_rsa_key_unref);
  g_clear_pointer (&self->platform_private_key, till_rsa_key_unref);
  g_clear_pointer (&self->alipay_app_public_key, till_rsa_key_unref);
  g_clear_pointer (&self->alipay_platform_private_key, till_rsa_key_unref);
  g_free (self->alipay_app_id);
  g_free (self->alipay_pid);
  g_free (self->state_dir);
  g_free (self->mchid);
  g_free (self->appid);
  g_free (self->merchant_serial);
  g_free (self->platform_key_id);
  G_OBJECT_CLASS (till_paysim_parent_class)->finalize (object);
}

static void
till_paysim_class_init (TillPaysimClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = till_paysim_dispose;
  object_class->finalize = till_paysim_finalize;
}

static void
till_paysim_init (TillPaysim *self)
{
  g_queue_init (&self->faults);
  self->bill_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, bill_token_free);
  self->alipay_bill_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                    bill_token_free);
  self->held = g_ptr_array_new_with_free_func ((GDestroyNotify) held_message_free);
  self->password_delay_ms = TILL_PAYSIM_DEFAULT_PASSWORD_DELAY_MS;
}
