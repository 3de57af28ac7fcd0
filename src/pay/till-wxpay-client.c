/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The WeChat Pay API v3 client: signed requests, verified answers, async calls. */
#define G_LOG_DOMAIN "till-pay"
#include "config.h"

#include "till-wxpay-client.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <zlib.h>

#define DEFAULT_TIMEOUT_MS 10000
#define MAX_BILL_BYTES     (256u * 1024u * 1024u)

struct _TillWxpayClient
{
  GObject      parent_instance;

  char        *base_url;
  GUri        *base_uri;
  char        *mchid;
  char        *appid;
  char        *merchant_serial;
  char        *platform_key_id;
  TillRsaKey  *merchant_key;
  TillRsaKey  *platform_key;
  guint        timeout_ms;
  SoupSession *session;
};

G_DEFINE_FINAL_TYPE (TillWxpayClient, till_wxpay_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_BASE_URL,
  PROP_MCHID,
  PROP_TIMEOUT_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  CALL_CODEPAY,
  CALL_QUERY,
  CALL_REVERSE,
  CALL_NATIVE,
  CALL_CLOSE,
  CALL_REFUND,
  CALL_BILL,
  CALL_DOWNLOAD,
} CallKind;

/* One HTTP exchange; the GTask's data. */
typedef struct
{
  CallKind       kind;
  SoupMessage   *msg;
  char          *method;
  char          *target;          /* path?query, for the log */
  GCancellable  *cancellable;     /* ours: cancelled by the timer or the caller's */
  GCancellable  *caller_cancellable;
  gulong         caller_handler;
  GSource       *timer;
  gboolean       timed_out;
  guint          timeout_ms;
  gint64         started_us;
  char          *expect_out_trade_no;
  TillWxpayBill *bill;            /* CALL_DOWNLOAD */
  gboolean       gzip;            /* CALL_BILL */
} Call;

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

/* ---- object ---- */

static void
till_wxpay_client_finalize (GObject *object)
{
  TillWxpayClient *self = TILL_WXPAY_CLIENT (object);

  g_free (self->base_url);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_free (self->mchid);
  g_free (self->appid);
  g_free (self->merchant_serial);
  g_free (self->platform_key_id);
  g_clear_pointer (&self->merchant_key, till_rsa_key_unref);
  g_clear_pointer (&self->platform_key, till_rsa_key_unref);

  G_OBJECT_CLASS (till_wxpay_client_parent_class)->finalize (object);
}

static void
till_wxpay_client_dispose (GObject *object)
{
  TillWxpayClient *self = TILL_WXPAY_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (till_wxpay_client_parent_class)->dispose (object);
}

static void
till_wxpay_client_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TillWxpayClient *self = TILL_WXPAY_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_MCHID:
      g_value_set_string (value, self->mchid);
      break;
    case PROP_TIMEOUT_MS:
      g_value_set_uint (value, self->timeout_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_wxpay_client_set_property (GObject *object, guint prop_id, const GValue *value,
                                GParamSpec *pspec)
{
  TillWxpayClient *self = TILL_WXPAY_CLIENT (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT_MS:
      till_wxpay_client_set_timeout_ms (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_wxpay_client_class_init (TillWxpayClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = till_wxpay_client_dispose;
  object_class->finalize = till_wxpay_client_finalize;
  object_class->get_property = till_wxpay_client_get_property;
  object_class->set_property = till_wxpay_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MCHID] =
    g_param_spec_string ("mchid", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT_MS] =
    g_param_spec_uint ("timeout-ms", NULL, NULL, 1, 600000, DEFAULT_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
till_wxpay_client_init (TillWxpayClient *self)
{
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
}

gboolean
till_wxpay_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) addr = NULL;

  if (host == NULL || *host == '\0')
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;
  addr = g_inet_address_new_from_string (host);
  return addr != NULL && g_inet_address_get_is_loopback (addr);
}

static gboolean
not_configured (GError **error, const char *what)
{
  g_message ("payment client not configured: %s", what);
  g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED,
               _("WeChat Pay is not set up: %s"), what);
  return FALSE;
}

static gboolean
is_blank (const char *s)
{
  return s == NULL || *s == '\0';
}

TillWxpayClient *
till_wxpay_client_new (const TillWxpayConfig *config, GError **error)
{
  g_autoptr(TillWxpayClient) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local = NULL;
  const char *scheme, *host, *path;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (is_blank (config->base_url))
    return not_configured (error, _("no API address")), NULL;
  uri = g_uri_parse (config->base_url, G_URI_FLAGS_ENCODED, &local);
  if (uri == NULL)
    {
      g_message ("base URL “%s”: %s", config->base_url, local->message);
      return not_configured (error, _("the API address is not a valid URL")), NULL;
    }
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  path = g_uri_get_path (uri);
  if (is_blank (host))
    return not_configured (error, _("the API address has no host")), NULL;
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL ||
      g_uri_get_userinfo (uri) != NULL || !(path[0] == '\0' || g_str_equal (path, "/")))
    return not_configured (error, _("the API address must be just a scheme, host and port")), NULL;
  if (g_ascii_strcasecmp (scheme, "https") != 0)
    {
      if (g_ascii_strcasecmp (scheme, "http") != 0)
        return not_configured (error, _("the API address must start with https://")), NULL;
      if (!till_wxpay_host_is_loopback (host))
        return not_configured (error, _("plain http:// is only allowed to this computer (127.0.0.1, ::1, "
                                        "localhost); use https://")), NULL;
    }
  if (is_blank (config->mchid))
    return not_configured (error, _("no merchant ID")), NULL;
  if (is_blank (config->appid))
    return not_configured (error, _("no App ID")), NULL;
  if (is_blank (config->merchant_serial))
    return not_configured (error, _("no merchant certificate serial number")), NULL;
  if (config->merchant_key == NULL)
    return not_configured (error, _("no merchant private key")), NULL;
  if (config->platform_key == NULL)
    return not_configured (error, _("no platform public key")), NULL;
  if (is_blank (config->platform_key_id))
    return not_configured (error, _("no platform public key ID")), NULL;

  self = g_object_new (TILL_TYPE_WXPAY_CLIENT, NULL);
  self->base_uri = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL, host,
                                g_uri_get_port (uri), "", NULL, NULL);
  self->base_url = g_uri_to_string (self->base_uri);
  self->mchid = g_strdup (config->mchid);
  self->appid = g_strdup (config->appid);
  self->merchant_serial = g_strdup (config->merchant_serial);
  self->platform_key_id = g_strdup (config->platform_key_id);
  self->merchant_key = till_rsa_key_ref (config->merchant_key);
  self->platform_key = till_rsa_key_ref (config->platform_key);
  self->timeout_ms = config->timeout_ms != 0 ? config->timeout_ms : DEFAULT_TIMEOUT_MS;

  self->session = soup_session_new_with_options ("user-agent", TILL_WXPAY_USER_AGENT,
                                                 "max-conns-per-host", 4,
                                                 NULL);
  /* Signatures cover the JSON itself: any HTTP Content-Encoding is undone by libsoup
   * before the body is verified. */
  if (!is_blank (config->ca_file))
    {
      g_autoptr(GTlsDatabase) db = g_tls_file_database_new (config->ca_file, &local);
      if (db == NULL)
        {
          g_message ("CA file %s: %s", config->ca_file, local->message);
          g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED,
                       _("WeChat Pay is not set up: cannot read the CA file “%s”: %s"),
                       config->ca_file, local->message);
          return NULL;
        }
      /* This CA (e.g. the simulator's) replaces the system store for this client only. */
      soup_session_set_tls_database (self->session, db);
    }

  return g_steal_pointer (&self);
}

const char *
till_wxpay_client_get_base_url (TillWxpayClient *self)
{
  g_return_val_if_fail (TILL_IS_WXPAY_CLIENT (self), NULL);
  return self->base_url;
}

const char *
till_wxpay_client_get_mchid (TillWxpayClient *self)
{
  g_return_val_if_fail (TILL_IS_WXPAY_CLIENT (self), NULL);
  return self->mchid;
}

const char *
till_wxpay_client_get_appid (TillWxpayClient *self)
{
  g_return_val_if_fail (TILL_IS_WXPAY_CLIENT (self), NULL);
  return self->appid;
}

guint
till_wxpay_client_get_timeout_ms (TillWxpayClient *self)
{
  g_return_val_if_fail (TILL_IS_WXPAY_CLIENT (self), 0);
  return self->timeout_ms;
}

void
till_wxpay_client_set_timeout_ms (TillWxpayClient *self, guint timeout_ms)
{
  g_return_if_fail (TILL_IS_WXPAY_CLIENT (self));
  g_return_if_fail (timeout_ms > 0);

  if (self->timeout_ms == timeout_ms)
    return;
  self->timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT_MS]);
}

/* ---- error helpers ---- */

static const char RESULT_UNKNOWN[] = N_("Result unknown — checking the payment.");

static GError *
pay_error_new (TillPayError code, guint http_status, const char *provider_code,
               const char *provider_message, const char *message)
{
  GError *error = g_error_new_literal (TILL_PAY_ERROR, code, message);
  till_pay_error_set_details (error, provider_code, provider_message, http_status);
  return error;
}

/* The cashier's text for a provider code (4xx). */
static char *
provider_error_text (const char *code, const char *message, guint status)
{
  static const struct
  {
    const char *codes[4];
    const char *text;
  } known[] = {
    { { "NOT_ENOUGH", "NOTENOUGH" },
      N_("余额不足 Insufficient balance: ask the customer for another payment method.") },
    { { "AUTH_CODE_INVALID", "AUTHCODEEXPIRE", "AUTH_CODE_ERROR", "AUTH_CODE_EXPIRE" },
      N_("付款码已过期 Payment code expired: ask the customer to refresh the code.") },
    { { "NOTSUPORTCARD", "NOT_SUPPORT_CARD" },
      N_("不支持该卡 This card cannot be used: ask the customer to choose another card.") },
    { { "BUYER_MISMATCH" },
      N_("付款人不一致 The payer changed: ask the customer to scan again.") },
    { { "TRADE_ERROR", "RULE_LIMIT", "USER_ACCOUNT_ABNORMAL" },
      N_("交易被拒绝 WeChat Pay refused this payment: ask for another payment method.") },
    { { "ORDER_PAID", "ORDERPAID" },
      N_("订单已支付 This order is already paid.") },
    { { "ORDER_CLOSED", "ORDERCLOSED" },
      N_("订单已关闭 This order is closed: start a new payment.") },
    { { "ORDER_REVERSED", "ORDERREVERSED" },
      N_("订单已撤销 This order was cancelled: start a new payment.") },
    { { "ORDER_NOT_EXIST", "ORDERNOTEXIST", "RESOURCE_NOT_EXISTS" },
      N_("订单不存在 WeChat Pay does not know this order.") },
    { { "REVERSE_EXPIRE" },
      N_("撤销已过期 This order is too old to cancel: use a refund.") },
    { { "SIGN_ERROR", "SIGNERROR" },
      N_("签名错误 WeChat Pay rejected the till's signature: check the merchant key, its serial "
         "number and the till's clock.") },
    { { "NO_AUTH", "NOAUTH", "APPID_MCHID_NOT_MATCH" },
      N_("商户无权限 The merchant account may not make this payment: check the WeChat Pay "
         "settings.") },
    { { "FREQUENCY_LIMITED", "RATE_LIMITED" },
      N_("请求过于频繁 Too many requests: wait a moment and try again.") },
    { { "NO_STATEMENT_EXIST" },
      N_("账单不存在 There is no bill for that day.") },
    { { "STATEMENT_CREATING" },
      N_("账单生成中 The bill is being prepared: try again later.") },
    { { "OUT_TRADE_NO_USED" },
      N_("订单号重复 This order number was already used: start a new payment.") },
  };

  if (code != NULL)
    for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
      for (gsize j = 0; j < G_N_ELEMENTS (known[i].codes) && known[i].codes[j] != NULL; j++)
        if (g_str_equal (code, known[i].codes[j]))
          return g_strdup (_(known[i].text));

  if (status == 429)
    return g_strdup (_("请求过于频繁 Too many requests: wait a moment and try again."));
  if (!is_blank (message))
    return g_strdup_printf (_("WeChat Pay refused the request: %s (%s)"), message,
                            code != NULL ? code : "?");
  return g_strdup_printf (_("WeChat Pay refused the request (HTTP %u %s)"), status,
                          code != NULL ? code : "");
}

gboolean
till_wxpay_error_is_definite (const GError *error)
{
  return till_pay_error_is_definite (error);
}

/* Reads {"code","message"} from an error body; both NULL when it is not JSON. */
static void
parse_problem (GBytes *body, char **code, char **message)
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
  *code = g_strdup (json_object_get_string_member_with_default (json_node_get_object (root),
                                                                "code", NULL));
  *message = g_strdup (json_object_get_string_member_with_default (json_node_get_object (root),
                                                                   "message", NULL));
}

static GError *
protocol_error (guint status, const char *detail)
{
  g_autofree char *text = NULL;

  g_message ("malformed answer (HTTP %u): %s", status, detail);
  text = g_strdup_printf ("%s %s", _("The payment service sent an answer the till cannot read."),
                          _(RESULT_UNKNOWN));
  return pay_error_new (TILL_PAY_ERROR_PROTOCOL, status, NULL, NULL, text);
}

/* ---- requests ---- */

static gboolean
valid_id (const char *s, gsize max_len, const char *extra_chars)
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

static gboolean
invalid_request (GTask *task, const char *what)
{
  g_message ("payment call not sent: %s", what);
  g_task_return_new_error (task, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID,
                           _("The payment request is invalid: %s"), what);
  return FALSE;
}

static GBytes *
json_bytes (JsonBuilder *builder)
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

static void
add_str (JsonBuilder *b, const char *name, const char *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static gboolean call_timeout_cb (gpointer user_data);
static void     call_caller_cancelled_cb (GCancellable *cancellable, gpointer user_data);
static void     call_send_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static Call *
call_new (CallKind kind)
{
  Call *call = g_new0 (Call, 1);
  call->kind = kind;
  return call;
}

/* Signs and sends; takes the task and the call. path and query are percent-encoded. */
static void
call_start (TillWxpayClient *self, GTask *task, Call *call, const char *method,
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
  soup_message_add_flags (call->msg, SOUP_MESSAGE_NO_REDIRECT);

  /* The canonical URL is what the message will put on the request line. */
  msg_uri = soup_message_get_uri (call->msg);
  canonical = g_uri_get_query (msg_uri) != NULL
              ? g_strconcat (g_uri_get_path (msg_uri), "?", g_uri_get_query (msg_uri), NULL)
              : g_strdup (g_uri_get_path (msg_uri));
  call->target = g_strdup (canonical);

  if (body != NULL)
    body_data = g_bytes_get_data (body, &body_len);
  now = g_get_real_time () / G_USEC_PER_SEC;
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
      return pay_error_new (TILL_PAY_ERROR_TIMEOUT, 0, NULL, NULL, text);
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
    return pay_error_new (TILL_PAY_ERROR_NETWORK, 0, NULL, NULL,
                          _("Cannot reach WeChat Pay: check the network connection."));
  if (error->domain == G_TLS_ERROR)
    return pay_error_new (TILL_PAY_ERROR_NETWORK, 0, NULL, NULL,
                          _("The secure connection to WeChat Pay failed: check the till's date "
                            "and the certificate settings."));

  /* Anything else happened after connecting: the request may have been processed. */
  text = g_strdup_printf ("%s %s", _("The connection to WeChat Pay was lost."), _(RESULT_UNKNOWN));
  return pay_error_new (TILL_PAY_ERROR_CONNECTION_LOST, 0, NULL, NULL, text);
}

static JsonNode *
parse_json_body (GBytes *body, guint status, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);

  if (data == NULL || len == 0)
    {
      *error = protocol_error (status, "empty body");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local))
    {
      *error = protocol_error (status, local->message);
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

static GBytes *
gunzip (GBytes *in, GError **error)
{
  z_stream zs;
  GByteArray *out;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (in, &len);
  int ret;

  memset (&zs, 0, sizeof zs);
  if (inflateInit2 (&zs, 16 + MAX_WBITS) != Z_OK)
    {
      *error = protocol_error (200, "inflateInit2 failed");
      return NULL;
    }
  zs.next_in = (Bytef *) data;
  zs.avail_in = (uInt) len;
  out = g_byte_array_sized_new ((guint) MIN (len * 4 + 1024, MAX_BILL_BYTES));
  do
    {
      guint8 chunk[16384];
      zs.next_out = chunk;
      zs.avail_out = sizeof chunk;
      ret = inflate (&zs, Z_NO_FLUSH);
      if (ret != Z_OK && ret != Z_STREAM_END)
        break;
      g_byte_array_append (out, chunk, (guint) (sizeof chunk - zs.avail_out));
      if (out->len > MAX_BILL_BYTES)
        {
          ret = Z_MEM_ERROR;
          break;
        }
    }
  while (ret != Z_STREAM_END && (zs.avail_in > 0 || zs.avail_out == 0));
  inflateEnd (&zs);

  if (ret != Z_STREAM_END)
    {
      g_byte_array_unref (out);
      g_message ("bill gunzip failed: zlib %d", ret);
      *error = pay_error_new (TILL_PAY_ERROR_CORRUPT, 200, NULL, NULL,
                              _("The downloaded bill is damaged (cannot decompress it): download it again."));
      return NULL;
    }
  return g_byte_array_free_to_bytes (out);
}

static void
finish_download (GTask *task, Call *call, guint status, GBytes *body)
{
  g_autoptr(GBytes) plain = NULL;
  g_autofree char *sha1 = NULL;
  GError *error = NULL;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (body, &len);

  /* Bill downloads are unsigned (§6.2): the SHA1 below is the integrity check. */
  if (status != 200)
    {
      g_autofree char *code = NULL, *message = NULL, *text = NULL;
      parse_problem (body, &code, &message);
      g_message ("bill download: HTTP %u %s: %s", status, code ? code : "", message ? message : "");
      if (status >= 500)
        {
          text = g_strdup_printf (_("WeChat Pay had a problem sending the bill (HTTP %u): try again later."),
                                  status);
          g_task_return_error (task, pay_error_new (TILL_PAY_ERROR_SERVER, status, code, message, text));
        }
      else if (status >= 400)
        {
          text = provider_error_text (code, message, status);
          g_task_return_error (task, pay_error_new (TILL_PAY_ERROR_PROVIDER, status, code, message, text));
        }
      else
        g_task_return_error (task, protocol_error (status, "unexpected status for a download"));
      return;
    }

  if (call->bill->gzip || (len >= 2 && data[0] == 0x1f && data[1] == 0x8b))
    {
      plain = gunzip (body, &error);
      if (plain == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  else
    plain = g_bytes_ref (body);

  if (g_ascii_strcasecmp (call->bill->hash_type, "SHA1") != 0)
    {
      g_task_return_error (task, protocol_error (status, "unsupported hash_type"));
      return;
    }
  sha1 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, plain);
  if (g_ascii_strcasecmp (sha1, call->bill->hash_value) != 0)
    {
      g_message ("bill SHA1 %s, expected %s", sha1, call->bill->hash_value);
      g_task_return_error (task, pay_error_new (TILL_PAY_ERROR_CORRUPT, status, NULL, NULL,
                                                _("The downloaded bill does not match its checksum: "
                                                  "download it again.")));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&plain), (GDestroyNotify) g_bytes_unref);
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
            g_task_return_error (task, protocol_error (status, "unexpected 2xx status"));
            return;
          }
        /* 202 = "accepted, the customer is confirming" (§1.2): its body may be empty or
         * carry trade_state alone; treat every other field as optional. */
        if (accepted && len == 0)
          root = json_from_string ("{}", NULL);
        else if ((root = parse_json_body (body, status, &error)) == NULL)
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
            g_task_return_error (task, protocol_error (status, "answer for another out_trade_no"));
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
        if ((root = parse_json_body (body, status, &error)) == NULL)
          {
            g_task_return_error (task, error);
            return;
          }
        if (!JSON_NODE_HOLDS_OBJECT (root))
          {
            g_task_return_error (task, protocol_error (status, "reverse answer is not an object"));
            return;
          }
        otn = json_object_get_string_member_with_default (json_node_get_object (root),
                                                          "out_trade_no", NULL);
        if (otn != NULL && !g_str_equal (otn, call->expect_out_trade_no))
          {
            g_task_return_error (task, protocol_error (status, "reverse answer for another out_trade_no"));
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

        if ((root = parse_json_body (body, status, &error)) == NULL)
          {
            g_task_return_error (task, error);
            return;
          }
        if (JSON_NODE_HOLDS_OBJECT (root))
          code_url = json_object_get_string_member_with_default (json_node_get_object (root),
                                                                 "code_url", NULL);
        if (is_blank (code_url))
          {
            g_task_return_error (task, protocol_error (status, "no code_url"));
            return;
          }
        g_task_return_pointer (task, g_strdup (code_url), g_free);
        return;
      }

    case CALL_REFUND:
      {
        TillWxpayRefund *r;

        if ((root = parse_json_body (body, status, &error)) == NULL ||
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

        if ((root = parse_json_body (body, status, &error)) == NULL ||
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
      finish_download (task, call, status, body);
      return;
    }

  if (status >= 500)
    {
      g_autofree char *code = NULL, *message = NULL, *text = NULL;
      parse_problem (body, &code, &message);
      g_message ("%s %s: HTTP %u %s: %s", call->method, call->target, status,
                 code ? code : "", message ? message : "");
      text = g_strdup_printf (_("WeChat Pay had a system error (HTTP %u). %s"), status, _(RESULT_UNKNOWN));
      g_task_return_error (task, pay_error_new (TILL_PAY_ERROR_SERVER, status, code, message, text));
      return;
    }

  if ((status >= 200 && status < 300) || (status >= 400 && status < 500))
    {
      /* A 2xx without a valid signature is forged (§7.2); so is a 4xx, which would
       * otherwise be taken as a definite refusal. */
      g_autoptr(GError) sig_error = NULL;
      if (!till_wxpay_verify_response (self->platform_key, self->platform_key_id,
                                       soup_message_headers_get_one (headers, "Wechatpay-Timestamp"),
                                       soup_message_headers_get_one (headers, "Wechatpay-Nonce"),
                                       soup_message_headers_get_one (headers, "Wechatpay-Signature"),
                                       soup_message_headers_get_one (headers, "Wechatpay-Serial"),
                                       data, len, g_get_real_time () / G_USEC_PER_SEC, &sig_error))
        {
          g_message ("%s %s: HTTP %u answer not verified", call->method, call->target, status);
          till_pay_error_set_details (sig_error, NULL, NULL, status);
          g_task_return_error (task, g_steal_pointer (&sig_error));
          return;
        }
    }

  if (status >= 400 && status < 500)
    {
      g_autofree char *code = NULL, *message = NULL, *text = NULL;
      parse_problem (body, &code, &message);
      g_message ("%s %s: HTTP %u %s: %s", call->method, call->target, status,
                 code ? code : "", message ? message : "");
      text = provider_error_text (code, message, status);
      g_task_return_error (task, pay_error_new (TILL_PAY_ERROR_PROVIDER, status, code, message, text));
      return;
    }

  if (status < 200 || status >= 300)
    {
      g_task_return_error (task, protocol_error (status, "unexpected HTTP status"));
      return;
    }

  finish_success (task, call, status, body);
}

static GTask *
new_task (TillWxpayClient *self, gpointer source_tag, GCancellable *cancellable,
          GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  /* Cancellation is reported by call_send_cb, which knows whether it was the timer. */
  g_task_set_check_cancellable (task, FALSE);
  return task;
}

static char *
escape_segment (const char *s)
{
  return g_uri_escape_string (s, NULL, FALSE);
}

static char *
mchid_query (TillWxpayClient *self)
{
  g_autofree char *m = g_uri_escape_string (self->mchid, NULL, FALSE);
  return g_strconcat ("mchid=", m, NULL);
}

/* ---- public calls ---- */

void
till_wxpay_client_codepay_async (TillWxpayClient *self, const TillWxpayCodepayRequest *request,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(GBytes) body = NULL;
  GTask *task;
  Call *call;

  g_return_if_fail (TILL_IS_WXPAY_CLIENT (self));
  g_return_if_fail (request != NULL);

  task = new_task (self, till_wxpay_client_codepay_async, cancellable, callback, user_data);
  if (!valid_id (request->out_trade_no, 32, "*|"))
    {
      invalid_request (task, _("bad order number"));
      g_object_unref (task);
      return;
    }
  if (!valid_id (request->auth_code, 128, "") || is_blank (request->description) ||
      request->amount_total < 1)
    {
      invalid_request (task, is_blank (request->description) ? _("no description")
                             : request->amount_total < 1 ? _("the amount must be at least 0.01")
                             : _("bad payment code"));
      g_object_unref (task);
      return;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  add_str (b, "appid", self->appid);
  add_str (b, "mchid", self->mchid);
  add_str (b, "description", request->description);
  add_str (b, "out_trade_no", request->out_trade_no);
  add_str (b, "attach", request->attach);
  add_str (b, "goods_tag", request->goods_tag);
  json_builder_set_member_name (b, "payer");
  json_builder_begin_object (b);
  add_str (b, "auth_code", request->auth_code);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "amount");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, request->amount_total);
  add_str (b, "currency", "CNY");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "scene_info");
  json_builder_begin_object (b);
  add_str (b, "device_id", request->device_id);
  add_str (b, "device_ip", request->device_ip);
  json_builder_set_member_name (b, "store_info");
  json_builder_begin_object (b);
  add_str (b, "id", request->store_id);
  add_str (b, "out_id", request->store_out_id);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  body = json_bytes (b);

  call = call_new (CALL_CODEPAY);
  call->expect_out_trade_no = g_strdup (request->out_trade_no);
  call_start (self, task, call, "POST", "/v3/pay/transactions/codepay", NULL, body,
              cancellable);
}

TillWxpayTransaction *
till_wxpay_client_codepay_finish (TillWxpayClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, till_wxpay_client_codepay_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
till_wxpay_client_query_async (TillWxpayClient *self, const char *out_trade_no,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_autofree char *path = NULL, *seg = NULL, *query = NULL;
  GTask *task;
  Call *call;

  g_return_if_fail (TILL_IS_WXPAY_CLIENT (self));

  task = new_task (self, till_wxpay_client_query_async, cancellable, callback, user_data);
  if (!valid_id (out_trade_no, 32, "*|"))
    {
      invalid_request (task, _("bad order number"));
      g_object_unref (task);
      return;
    }
  seg = escape_segment (out_trade_no);
  path = g_strconcat ("/v3/pay/transactions/out-trade-no/", seg, NULL);
  query = mchid_query (self);
  call = call_new (CALL_QUERY);
  call->expect_out_trade_no = g_strdup (out_trade_no);
  call_start (self, task, call, "GET", path, query, NULL, cancellable);
}

void
till_wxpay_client_query_by_id_async (TillWxpayClient *self, const char *transaction_id,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_autofree char *path = NULL, *seg = NULL, *query = NULL;
  GTask *task;

  g_return_if_fail (TILL_IS_WXPAY_CLIENT (self));

  task = new_task (self, till_wxpay_client_query_by_id_async, cancellable, callback, user_data);
  if (!valid_id (transaction_id, 32, ""))
    {
      invalid_request (task, _("bad transaction ID"));
      g_object_unref (task);
      return;
    }
  seg = escape_segment (transaction_id);
  path = g_strconcat ("/v3/pay/transactions/id/", seg, NULL);
  query = mchid_query (self);
  call_start (self, task, call_new (CALL_QUERY), "GET", path, query, NULL, cancellable);
}

TillWxpayTransaction *
till_wxpay_client_query_finish (TillWxpayClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, till_wxpay_client_query_async) ||
                        g_async_result_is_tagged (result, till_wxpay_client_query_by_id_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
order_post (TillWxpayClient *self, GTask *task, CallKind kind, const char *out_trade_no,
            const char *action, gboolean with_appid, GCancellable *cancellable)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GBytes) body = NULL;
  g_autofree char *seg = NULL, *path = NULL;
  Call *call;

  if (!valid_id (out_trade_no, 32, "*|"))
    {
      invalid_request (task, _("bad order number"));
      g_object_unref (task);
      return;
    }
  json_builder_begin_object (b);
  if (with_appid)
    add_str (b, "appid", self->appid);
  add_str (b, "mchid", self->mchid);
  json_builder_end_object (b);
  body = json_bytes (b);

  seg = escape_segment (out_trade_no);
  path = g_strconcat ("/v3/pay/transactions/out-trade-no/", seg, "/", action, NULL);
  call = call_new (kind);
  call->expect_out_trade_no = g_strdup (out_trade_no);
  call_start (self, task, call, "POST", path, NULL, body, cancellable);
}

void
till_wxpay_client_reverse_async (TillWxpayClient *self, const char *out_trade_no,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  GTask *task;

  g_return_if_fail (TILL_IS_WXPAY_CLIENT (self));

  task = new_task (self, till_wxpay_client_reverse_async, cancellable, callback, user_data);
  order_post (self, task, CALL_REVERSE, out_trade_no, "reverse", TRUE, cancellable);
}

gboolean
till_wxpay_client_reverse_finish (TillWxpayClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, till_wxpay_client_reverse_async), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
till_wxpay_client_close_async (TillWxpayClient *self, const char *out_trade_no,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data)
{
  GTask *task;

  g_return_if_fail (TILL_IS_WXPAY_CLIENT (self));

  task = new_task (self, till_wxpay_client_close_async, cancellable, callback, user_data);
  order_post (self, task, CALL_CLOSE, out_trade_no, "close", FALSE, cancellable);
}

gboolean
till_wxpay_client_close_finish (TillWxpayClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, till_wxpay_client_close_async), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
till_wxpay_client_native_async (TillWxpayClient *self, const TillWxpayNativeRequest *request,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(GBytes) body = NULL;
  GTask *task;

  g_return_if_fail (TILL_IS_WXPAY_CLIENT (self));
  g_return_if_fail (request != NULL);

  task = new_task (self, till_wxpay_client_native_async, cancellable, callback, user_data);
  if (!valid_id (request->out_trade_no, 32, "*|") || is_blank (request->description) ||
      request->amount_total < 1 || is_blank (request->notify_url))
    {
      invalid_request (task, !valid_id (request->out_trade_no, 32, "*|") ? _("bad order number")
                             : is_blank (request->description) ? _("no description")
                             : request->amount_total < 1 ? _("the amount must be at least 0.01")
                             : _("no notification URL"));
      g_object_unref (task);
      return;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  add_str (b, "appid", self->appid);
  add_str (b, "mchid", self->mchid);
  add_str (b, "description", request->description);
  add_str (b, "out_trade_no", request->out_trade_no);
  add_str (b, "time_expire", request->time_expire);
  add_str (b, "attach", request->attach);
  add_str (b, "notify_url", request->notify_url);
  json_builder_set_member_name (b, "amount");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, request->amount_total);
  add_str (b, "currency", "CNY");
  json_builder_end_object (b);
  json_builder_end_object (b);
  body = json_bytes (b);

  call_start (self, task, call_new (CALL_NATIVE), "POST", "/v3/pay/transactions/native", NULL, body,
              cancellable);
}

char *
till_wxpay_client_native_finish (TillWxpayClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, till_wxpay_client_native_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
till_wxpay_client_refund_async (TillWxpayClient *self, const TillWxpayRefundRequest *request,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(GBytes) body = NULL;
  GTask *task;
  const char *bad = NULL;

  g_return_if_fail (TILL_IS_WXPAY_CLIENT (self));
  g_return_if_fail (request != NULL);

  task = new_task (self, till_wxpay_client_refund_async, cancellable, callback, user_data);
  if (request->transaction_id == NULL && !valid_id (request->out_trade_no, 32, "*|"))
    bad = _("bad order number");
  else if (request->transaction_id != NULL && !valid_id (request->transaction_id, 32, ""))
    bad = _("bad transaction ID");
  else if (!valid_id (request->out_refund_no, 64, "*|@"))
    bad = _("bad refund number");
  else if (request->amount_refund < 1 || request->amount_total < request->amount_refund)
    bad = _("the refund must be at least 0.01 and at most the amount paid");
  if (bad != NULL)
    {
      invalid_request (task, bad);
      g_object_unref (task);
      return;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  if (request->transaction_id != NULL)
    add_str (b, "transaction_id", request->transaction_id);
  else
    add_str (b, "out_trade_no", request->out_trade_no);
  add_str (b, "out_refund_no", request->out_refund_no);
  add_str (b, "reason", request->reason);
  add_str (b, "notify_url", request->notify_url);
  json_builder_set_member_name (b, "amount");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "refund");
  json_builder_add_int_value (b, request->amount_refund);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, request->amount_total);
  add_str (b, "currency", "CNY");
  json_builder_end_object (b);
  json_builder_end_object (b);
  body = json_bytes (b);

  call_start (self, task, call_new (CALL_REFUND), "POST", "/v3/refund/domestic/refunds", NULL, body,
              cancellable);
}

void
till_wxpay_client_refund_query_async (TillWxpayClient *self, const char *out_refund_no,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  g_autofree char *seg = NULL, *path = NULL;
  GTask *task;

  g_return_if_fail (TILL_IS_WXPAY_CLIENT (self));

  task = new_task (self, till_wxpay_client_refund_query_async, cancellable, callback, user_data);
  if (!valid_id (out_refund_no, 64, "*|@"))
    {
      invalid_request (task, _("bad refund number"));
      g_object_unref (task);
      return;
    }
  seg = escape_segment (out_refund_no);
  path = g_strconcat ("/v3/refund/domestic/refunds/", seg, NULL);
  call_start (self, task, call_new (CALL_REFUND), "GET", path, NULL, NULL, cancellable);
}

TillWxpayRefund *
till_wxpay_client_refund_finish (TillWxpayClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, till_wxpay_client_refund_async) ||
                        g_async_result_is_tagged (result, till_wxpay_client_refund_query_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
valid_bill_date (const char *s)
{
  if (s == NULL || strlen (s) != 10 || s[4] != '-' || s[7] != '-')
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

void
till_wxpay_client_trade_bill_async (TillWxpayClient *self, const char *bill_date,
                                    const char *bill_type, gboolean gzip,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autofree char *query = NULL;
  GTask *task;
  Call *call;

  g_return_if_fail (TILL_IS_WXPAY_CLIENT (self));

  task = new_task (self, till_wxpay_client_trade_bill_async, cancellable, callback, user_data);
  if (bill_type == NULL)
    bill_type = "ALL";
  if (!valid_bill_date (bill_date) || !valid_id (bill_type, 32, ""))
    {
      invalid_request (task, _("bad bill date or type"));
      g_object_unref (task);
      return;
    }
  query = g_strdup_printf ("bill_date=%s&bill_type=%s%s", bill_date, bill_type,
                           gzip ? "&tar_type=GZIP" : "");
  call = call_new (CALL_BILL);
  call->gzip = gzip;
  call_start (self, task, call, "GET", "/v3/bill/tradebill", query, NULL, cancellable);
}

TillWxpayBill *
till_wxpay_client_trade_bill_finish (TillWxpayClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, till_wxpay_client_trade_bill_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
till_wxpay_client_download_bill_async (TillWxpayClient *self, const TillWxpayBill *bill,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local = NULL;
  GTask *task;
  Call *call;
  const char *path;

  g_return_if_fail (TILL_IS_WXPAY_CLIENT (self));
  g_return_if_fail (bill != NULL);

  task = new_task (self, till_wxpay_client_download_bill_async, cancellable, callback, user_data);
  if (bill->download_url == NULL || bill->hash_value == NULL || bill->hash_type == NULL ||
      (uri = g_uri_parse (bill->download_url, G_URI_FLAGS_ENCODED, &local)) == NULL)
    {
      if (local != NULL)
        g_message ("download_url “%s”: %s", bill->download_url, local->message);
      invalid_request (task, _("bad bill download address"));
      g_object_unref (task);
      return;
    }
  path = g_uri_get_path (uri);
  if (path[0] != '/')
    {
      invalid_request (task, _("bad bill download address"));
      g_object_unref (task);
      return;
    }
  if (g_strcmp0 (g_uri_get_host (uri), g_uri_get_host (self->base_uri)) != 0)
    g_debug ("bill download_url host %s: fetching from %s", g_uri_get_host (uri), self->base_url);

  /* Signed like any GET, sent to the configured API host (so the loopback/https rule
   * applies); the answer is the raw file, checked by its SHA1 instead of a signature. */
  call = call_new (CALL_DOWNLOAD);
  call->bill = till_wxpay_bill_copy (bill);
  call_start (self, task, call, "GET", path, g_uri_get_query (uri), NULL, cancellable);
}

GBytes *
till_wxpay_client_download_bill_finish (TillWxpayClient *self, GAsyncResult *result,
                                        GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, till_wxpay_client_download_bill_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- out_trade_no ---- */

char *
till_wxpay_out_trade_no_build (const char *store_id, const char *device_id,
                               GDateTime *local_time, guint64 sequence, GError **error)
{
  g_autofree char *stamp = NULL;
  char *out;

  g_return_val_if_fail (local_time != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!valid_id (store_id, 32, "") || !valid_id (device_id, 32, ""))
    {
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID,
                           _("The store and till IDs may only use letters, digits, “_” and “-”"));
      return NULL;
    }
  stamp = g_date_time_format (local_time, "%y%m%d%H%M%S");
  out = g_strdup_printf ("T%s%s%s%04" G_GUINT64_FORMAT, store_id, device_id, stamp, sequence);
  if (strlen (out) > 32)
    {
      g_message ("out_trade_no %s is %" G_GSIZE_FORMAT " characters", out, strlen (out));
      g_free (out);
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID,
                           _("The store and till IDs are too long for a WeChat Pay order number "
                             "(32 characters at most)"));
      return NULL;
    }
  return out;
}
