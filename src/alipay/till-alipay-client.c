/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Alipay classic gateway client: the object and its configuration. Its transport,
 * calls and bill download are in the till-alipay-client-*.c files. */
#define G_LOG_DOMAIN "till-alipay"
#include "config.h"

#include "till-alipay-client-private.h"

#include <glib/gi18n-lib.h>

#define DEFAULT_TIMEOUT_MS 15000

G_DEFINE_FINAL_TYPE (TillAlipayClient, till_alipay_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_GATEWAY_URL,
  PROP_APP_ID,
  PROP_TIMEOUT_MS,
  PROP_CLOCK_SKEW_SECONDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
till_alipay_client_finalize (GObject *object)
{
  TillAlipayClient *self = TILL_ALIPAY_CLIENT (object);

  g_free (self->gateway_url);
  g_clear_pointer (&self->gateway_uri, g_uri_unref);
  g_free (self->app_id);
  g_clear_pointer (&self->app_private_key, till_rsa_key_unref);
  g_clear_pointer (&self->alipay_public_key, till_rsa_key_unref);
  G_OBJECT_CLASS (till_alipay_client_parent_class)->finalize (object);
}

static void
till_alipay_client_dispose (GObject *object)
{
  TillAlipayClient *self = TILL_ALIPAY_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (till_alipay_client_parent_class)->dispose (object);
}

static void
till_alipay_client_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TillAlipayClient *self = TILL_ALIPAY_CLIENT (object);

  switch (prop_id)
    {
    case PROP_GATEWAY_URL:
      g_value_set_string (value, self->gateway_url);
      break;
    case PROP_APP_ID:
      g_value_set_string (value, self->app_id);
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
till_alipay_client_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TillAlipayClient *self = TILL_ALIPAY_CLIENT (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT_MS:
      till_alipay_client_set_timeout_ms (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_alipay_client_class_init (TillAlipayClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = till_alipay_client_dispose;
  object_class->finalize = till_alipay_client_finalize;
  object_class->get_property = till_alipay_client_get_property;
  object_class->set_property = till_alipay_client_set_property;

  properties[PROP_GATEWAY_URL] =
    g_param_spec_string ("gateway-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_APP_ID] =
    g_param_spec_string ("app-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT_MS] =
    g_param_spec_uint ("timeout-ms", NULL, NULL, 1, 600000, DEFAULT_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLOCK_SKEW_SECONDS] =
    g_param_spec_int64 ("clock-skew-seconds", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
till_alipay_client_init (TillAlipayClient *self)
{
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
}

gboolean
till_alipay_host_is_loopback (const char *host)
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
not_configured (GError    **error,
                const char *what)
{
  g_message ("Alipay client not configured: %s", what);
  g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED,
               _("Alipay is not set up: %s"), what);
  return FALSE;
}

TillAlipayClient *
till_alipay_client_new (const TillAlipayConfig *config,
                        GError                **error)
{
  g_autoptr(TillAlipayClient) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local = NULL;
  const char *scheme, *host;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (till_alipay_is_blank (config->gateway_url))
    return not_configured (error, _("no gateway address")), NULL;
  uri = g_uri_parse (config->gateway_url, G_URI_FLAGS_ENCODED, &local);
  if (uri == NULL)
    {
      g_message ("gateway URL “%s”: %s", config->gateway_url, local->message);
      return not_configured (error, _("the gateway address is not a valid URL")), NULL;
    }
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (till_alipay_is_blank (host))
    return not_configured (error, _("the gateway address has no host")), NULL;
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL
      || g_uri_get_userinfo (uri) != NULL)
    return not_configured (error, _("the gateway address must be a plain URL such as "
                                    "https://openapi.alipay.com/gateway.do")), NULL;
  if (g_ascii_strcasecmp (scheme, "https") != 0)
    {
      if (g_ascii_strcasecmp (scheme, "http") != 0)
        return not_configured (error, _("the gateway address must start with https://")), NULL;
      if (!till_alipay_host_is_loopback (host))
        return not_configured (error, _("plain http:// is only allowed to this computer "
                                        "(127.0.0.1, ::1, localhost); use https://")), NULL;
    }
  if (till_alipay_is_blank (config->app_id))
    return not_configured (error, _("no app ID")), NULL;
  if (config->app_private_key == NULL)
    return not_configured (error, _("no app private key")), NULL;
  if (config->alipay_public_key == NULL)
    return not_configured (error, _("no Alipay public key")), NULL;

  self = g_object_new (TILL_TYPE_ALIPAY_CLIENT, NULL);
  self->gateway_uri = g_uri_build (G_URI_FLAGS_ENCODED, scheme, NULL, host, g_uri_get_port (uri),
                                   *g_uri_get_path (uri) != '\0' ? g_uri_get_path (uri) : "/",
                                   NULL, NULL);
  self->gateway_url = g_uri_to_string (self->gateway_uri);
  self->app_id = g_strdup (config->app_id);
  self->app_private_key = till_rsa_key_ref (config->app_private_key);
  self->alipay_public_key = till_rsa_key_ref (config->alipay_public_key);
  self->timeout_ms = config->timeout_ms != 0 ? config->timeout_ms : DEFAULT_TIMEOUT_MS;
  self->session = soup_session_new_with_options ("user-agent", TILL_ALIPAY_USER_AGENT,
                                                 "max-conns-per-host", 4, NULL);
  if (!till_alipay_is_blank (config->ca_file))
    {
      g_autoptr(GTlsDatabase) db = g_tls_file_database_new (config->ca_file, &local);

      if (db == NULL)
        {
          g_message ("CA file %s: %s", config->ca_file, local->message);
          g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED,
                       _("Alipay is not set up: cannot read the CA file “%s”: %s"),
                       config->ca_file, local->message);
          return NULL;
        }
      soup_session_set_tls_database (self->session, db);
    }
  return g_steal_pointer (&self);
}

const char *
till_alipay_client_get_gateway_url (TillAlipayClient *self)
{
  g_return_val_if_fail (TILL_IS_ALIPAY_CLIENT (self), NULL);
  return self->gateway_url;
}

const char *
till_alipay_client_get_app_id (TillAlipayClient *self)
{
  g_return_val_if_fail (TILL_IS_ALIPAY_CLIENT (self), NULL);
  return self->app_id;
}

guint
till_alipay_client_get_timeout_ms (TillAlipayClient *self)
{
  g_return_val_if_fail (TILL_IS_ALIPAY_CLIENT (self), 0);
  return self->timeout_ms;
}

void
till_alipay_client_set_timeout_ms (TillAlipayClient *self,
                                   guint             timeout_ms)
{
  g_return_if_fail (TILL_IS_ALIPAY_CLIENT (self));
  g_return_if_fail (timeout_ms > 0);

  if (self->timeout_ms == timeout_ms)
    return;
  self->timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT_MS]);
}

gint64
till_alipay_client_get_clock_skew_seconds (TillAlipayClient *self)
{
  g_return_val_if_fail (TILL_IS_ALIPAY_CLIENT (self), 0);
  return self->clock_skew_s;
}

void
till_alipay_client_observe_clock (TillAlipayClient *self,
                                  gint64            offset_s)
{
  gint64 skew = offset_s >= TILL_ALIPAY_CLOCK_TOLERANCE_S
                || offset_s <= -TILL_ALIPAY_CLOCK_TOLERANCE_S ? offset_s : 0;

  if (skew == self->clock_skew_s)
    return;
  if (skew != 0)
    g_message ("Alipay's clock is %" G_GINT64_FORMAT " s %s this till's", ABS (skew),
               skew > 0 ? "ahead of" : "behind");
  else
    g_message ("Alipay's clock agrees with this till's again (was %" G_GINT64_FORMAT " s off)",
               self->clock_skew_s);
  self->clock_skew_s = skew;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK_SKEW_SECONDS]);
}
