/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The WeChat Pay API v3 client: the object, its configuration and the order number. Its
 * transport, calls and bill downloads are in the till-wxpay-client-*.c files. */
#define G_LOG_DOMAIN "till-pay"
#include "config.h"

#include "till-wxpay-client-private.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#define DEFAULT_TIMEOUT_MS 10000

G_DEFINE_FINAL_TYPE (TillWxpayClient, till_wxpay_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_BASE_URL,
  PROP_MCHID,
  PROP_TIMEOUT_MS,
  PROP_CLOCK_SKEW_SECONDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
    case PROP_CLOCK_SKEW_SECONDS:
      g_value_set_int64 (value, self->clock_skew_s);
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
  properties[PROP_CLOCK_SKEW_SECONDS] =
    g_param_spec_int64 ("clock-skew-seconds", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
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

TillWxpayClient *
till_wxpay_client_new (const TillWxpayConfig *config, GError **error)
{
  g_autoptr(TillWxpayClient) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local = NULL;
  const char *scheme, *host, *path;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (till_wxpay_is_blank (config->base_url))
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
  if (till_wxpay_is_blank (host))
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
  if (till_wxpay_is_blank (config->mchid))
    return not_configured (error, _("no merchant ID")), NULL;
  if (till_wxpay_is_blank (config->appid))
    return not_configured (error, _("no App ID")), NULL;
  if (till_wxpay_is_blank (config->merchant_serial))
    return not_configured (error, _("no merchant certificate serial number")), NULL;
  if (config->merchant_key == NULL)
    return not_configured (error, _("no merchant private key")), NULL;
  if (config->platform_key == NULL)
    return not_configured (error, _("no platform public key")), NULL;
  if (till_wxpay_is_blank (config->platform_key_id))
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
  if (!till_wxpay_is_blank (config->ca_file))
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

gint64
till_wxpay_client_get_clock_skew_seconds (TillWxpayClient *self)
{
  g_return_val_if_fail (TILL_IS_WXPAY_CLIENT (self), 0);
  return self->clock_skew_s;
}

void
till_wxpay_client_observe_clock (TillWxpayClient *self,
                                 gint64           offset_s)
{
  gint64 skew = offset_s >= TILL_WXPAY_CLOCK_TOLERANCE_S
                || offset_s <= -TILL_WXPAY_CLOCK_TOLERANCE_S ? offset_s : 0;

  if (skew == self->clock_skew_s)
    return;
  if (skew != 0)
    g_message ("WeChat Pay's clock is %" G_GINT64_FORMAT " s %s this till's", ABS (skew),
               skew > 0 ? "ahead of" : "behind");
  else
    g_message ("WeChat Pay's clock agrees with this till's again (was %" G_GINT64_FORMAT " s off)",
               self->clock_skew_s);
  self->clock_skew_s = skew;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK_SKEW_SECONDS]);
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

  if (!till_wxpay_valid_id (store_id, 32, "") || !till_wxpay_valid_id (device_id, 32, ""))
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
