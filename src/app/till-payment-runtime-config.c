/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillPaymentRuntime: the electronic payment settings of both providers (WeChat Pay and
 * Alipay), their keys, their clients and providers, and the settings' connection test. */
#define G_LOG_DOMAIN "till-payment-runtime"
#include "config.h"

#include <glib/gi18n.h>

#include "till-payment-runtime-private.h"
#include "till-clock.h"

/* ------------------------------------------------------------------------------------ */
/* Reading the settings and loading the keys                                             */

void
_till_pay_config_free (TillPayConfig *c)
{
  g_free (c->ca_file);
  g_free (c->store_id);
  g_free (c->device_id);
  g_free (c->base_url);
  g_free (c->mchid);
  g_free (c->appid);
  g_free (c->serial);
  g_free (c->key_path);
  g_free (c->pub_path);
  g_free (c->pub_id);
  g_clear_pointer (&c->key, till_rsa_key_unref);
  g_clear_pointer (&c->pub, till_rsa_key_unref);
  g_clear_error (&c->wechat_error);
  g_free (c->alipay_gateway);
  g_free (c->alipay_app_id);
  g_free (c->alipay_key_path);
  g_free (c->alipay_pub_path);
  g_clear_pointer (&c->alipay_key, till_rsa_key_unref);
  g_clear_pointer (&c->alipay_pub, till_rsa_key_unref);
  g_clear_error (&c->alipay_error);
  g_free (c);
}

static char *
setting_text (GSettings  *settings,
              const char *key)
{
  return g_strstrip (g_settings_get_string (settings, key));
}

static gboolean
filled (const char *value)
{
  return value != NULL && value[0] != '\0';
}

static TillPayConfig *
pay_config_read (GSettings *settings)
{
  TillPayConfig *c = g_new0 (TillPayConfig, 1);

  c->ca_file = setting_text (settings, "ca-file");
  c->store_id = setting_text (settings, "store-id");
  c->device_id = setting_text (settings, "device-id");
  c->query_ms = g_settings_get_uint (settings, "query-interval-ms");
  c->deadline_ms = g_settings_get_uint (settings, "pay-deadline-ms");
  c->timeout_ms = g_settings_get_uint (settings, "http-timeout-ms");

  c->base_url = setting_text (settings, "api-base-url");
  c->mchid = setting_text (settings, "mchid");
  c->appid = setting_text (settings, "appid");
  c->serial = setting_text (settings, "merchant-serial-no");
  c->key_path = setting_text (settings, "merchant-key-path");
  c->pub_path = setting_text (settings, "platform-public-key-path");
  c->pub_id = setting_text (settings, "platform-public-key-id");
  /* The base URL has a default: only the merchant's own settings say it was started. */
  c->wechat_touched = filled (c->mchid) || filled (c->appid) || filled (c->serial)
                      || filled (c->key_path) || filled (c->pub_path) || filled (c->pub_id);

  c->alipay_gateway = setting_text (settings, "alipay-gateway-url");
  c->alipay_app_id = setting_text (settings, "alipay-app-id");
  c->alipay_key_path = setting_text (settings, "alipay-app-private-key-path");
  c->alipay_pub_path = setting_text (settings, "alipay-public-key-path");
  c->alipay_touched = filled (c->alipay_app_id) || filled (c->alipay_key_path)
                      || filled (c->alipay_pub_path);
  return c;
}

typedef struct { const char *value; const char *what; } Required;

/* The first missing setting of `required`, in the order of the settings window. */
static gboolean
check_required (const Required *required,
                guint           n,
                GError        **error)
{
  for (guint i = 0; i < n; i++)
    if (!filled (required[i].value))
      {
        g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED,
                     _("%s is not set"), _(required[i].what));
        return FALSE;
      }
  return TRUE;
}

static gboolean
wechat_check (const TillPayConfig *c,
              GError             **error)
{
  const Required required[] = {
    { c->base_url, N_("API base URL") },
    { c->mchid, N_("Merchant ID (mchid)") },
    { c->appid, N_("AppID") },
    { c->serial, N_("Merchant certificate serial number") },
    { c->key_path, N_("Merchant private key file") },
    { c->pub_path, N_("Platform public key file") },
    { c->pub_id, N_("Platform public key ID") },
  };

  return check_required (required, G_N_ELEMENTS (required), error);
}

static gboolean
alipay_check (const TillPayConfig *c,
              GError             **error)
{
  const Required required[] = {
    { c->alipay_gateway, N_("Alipay gateway") },
    { c->alipay_app_id, N_("Alipay AppID") },
    { c->alipay_key_path, N_("App private key file") },
    { c->alipay_pub_path, N_("Alipay public key file") },
  };

  return check_required (required, G_N_ELEMENTS (required), error);
}

static gboolean
shared_check (const TillPayConfig *c,
              GError             **error)
{
  const Required required[] = {
    { c->store_id, N_("Store ID") },
    { c->device_id, N_("Device ID") },
  };

  return check_required (required, G_N_ELEMENTS (required), error);
}

/* Worker thread: reading the key files is disk work. Each provider's trouble stays its
 * own. */
static void
load_keys_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  TillPayConfig *c = task_data;

  if (c->wechat_error == NULL
      && ((c->key = till_rsa_key_load_private_file (c->key_path, &c->wechat_error)) == NULL
          || (c->pub = till_rsa_key_load_public_file (c->pub_path, &c->wechat_error)) == NULL))
    g_message ("WeChat Pay not set up: %s", c->wechat_error->message);
  if (c->alipay_error == NULL
      && ((c->alipay_key = till_rsa_key_load_private_file (c->alipay_key_path,
                                                           &c->alipay_error)) == NULL
          || (c->alipay_pub = till_rsa_key_load_public_file (c->alipay_pub_path,
                                                             &c->alipay_error)) == NULL))
    g_message ("Alipay not set up: %s", c->alipay_error->message);

  if (c->wechat_error == NULL || c->alipay_error == NULL)
    g_task_return_boolean (task, TRUE);
  else if (c->wechat_touched || !c->alipay_touched)
    g_task_return_error (task, g_error_copy (c->wechat_error));
  else
    g_task_return_error (task, g_error_copy (c->alipay_error));
}

static TillWxpayClient *
make_wechat_client (const TillPayConfig *c,
                    GError             **error)
{
  TillWxpayConfig wx = {
    .base_url = c->base_url,
    .ca_file = filled (c->ca_file) ? c->ca_file : NULL,
    .mchid = c->mchid,
    .appid = c->appid,
    .merchant_serial = c->serial,
    .merchant_key = c->key,
    .platform_key = c->pub,
    .platform_key_id = c->pub_id,
    .timeout_ms = c->timeout_ms,
  };

  return till_wxpay_client_new (&wx, error);
}

static TillAlipayClient *
make_alipay_client (const TillPayConfig *c,
                    GError             **error)
{
  TillAlipayConfig ali = {
    .gateway_url = c->alipay_gateway,
    .ca_file = filled (c->ca_file) ? c->ca_file : NULL,
    .app_id = c->alipay_app_id,
    .app_private_key = c->alipay_key,
    .alipay_public_key = c->alipay_pub,
    .timeout_ms = c->timeout_ms,
  };

  return till_alipay_client_new (&ali, error);
}

GPtrArray *
_till_pay_config_make_providers (TillPayConfig *c,
                                 GSettings     *settings)
{
  GPtrArray *providers = g_ptr_array_new_with_free_func (g_object_unref);

  if (c->wechat_error == NULL && c->key != NULL)
    {
      g_autoptr(TillWxpayClient) client = make_wechat_client (c, &c->wechat_error);

      if (client != NULL)
        {
          g_settings_bind (settings, "http-timeout-ms", client, "timeout-ms",
                           G_SETTINGS_BIND_GET);
          g_ptr_array_add (providers, till_wxpay_provider_new (client));
        }
      else
        g_message ("WeChat Pay not set up: %s", c->wechat_error->message);
    }
  if (c->alipay_error == NULL && c->alipay_key != NULL)
    {
      g_autoptr(TillAlipayClient) client = make_alipay_client (c, &c->alipay_error);

      if (client != NULL)
        {
          g_settings_bind (settings, "http-timeout-ms", client, "timeout-ms",
                           G_SETTINGS_BIND_GET);
          g_ptr_array_add (providers, till_alipay_provider_new (client));
        }
      else
        g_message ("Alipay not set up: %s", c->alipay_error->message);
    }
  return providers;
}

void
_till_pay_config_load_async (TillPaymentRuntime  *self,
                             GSettings           *settings,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  TillPayConfig *c = pay_config_read (settings);

  g_task_set_source_tag (task, _till_pay_config_load_async);
  g_task_set_task_data (task, c, (GDestroyNotify) _till_pay_config_free);
  /* Each provider is checked on its own; one left blank is simply not used. */
  wechat_check (c, &c->wechat_error);
  alipay_check (c, &c->alipay_error);
  if (!shared_check (c, &error)
      || (c->wechat_error != NULL && c->alipay_error != NULL))
    {
      if (error == NULL)
        error = g_error_copy (c->wechat_touched || !c->alipay_touched ? c->wechat_error
                                                                      : c->alipay_error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, load_keys_thread);
}

/* ------------------------------------------------------------------------------------ */
/* Testing the connection from the settings window                                       */

/* The test's provider (and its client), kept alive with the call. */
typedef struct
{
  char            *provider_name;
  TillPayProvider *provider;
  char            *endpoint;
} TestCall;

static void
test_call_free (TestCall *call)
{
  g_free (call->provider_name);
  g_clear_object (&call->provider);
  g_free (call->endpoint);
  g_free (call);
}

static void
test_query_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TestCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPayTrade) trade = NULL;

  trade = till_pay_provider_query_finish (TILL_PAY_PROVIDER (object), result, &error);
  /* An answer, or the provider's verified "no such order": signing and verifying work. */
  if (trade != NULL || till_pay_error_get_failure (error) == TILL_PAY_FAILURE_NOT_FOUND)
    {
      const char *code = till_pay_error_get_provider_code (error);

      g_task_return_pointer (task,
                             g_strdup_printf (_("Connection works: %s accepted the signed "
                                                "request and its answer was verified (%s)."),
                                              call->endpoint,
                                              trade != NULL ? "SUCCESS"
                                              : code != NULL ? code : "not found"),
                             g_free);
      return;
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
test_keys_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TestCall *call = g_task_get_task_data (task);
  TillPayConfig *c = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *order_no = NULL;
  gboolean alipay = g_strcmp0 (call->provider_name, TILL_ALIPAY_PROVIDER_NAME) == 0;

  /* Loading succeeds when either provider can be made: this test is about one. */
  if (!g_task_propagate_boolean (G_TASK (result), &error)
      && (c == NULL || (alipay ? c->alipay_error : c->wechat_error) == NULL))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (c != NULL && (alipay ? c->alipay_error : c->wechat_error) != NULL)
    {
      g_task_return_error (task, g_error_copy (alipay ? c->alipay_error : c->wechat_error));
      return;
    }
  if (alipay)
    {
      g_autoptr(TillAlipayClient) client = make_alipay_client (c, &error);

      if (client == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      call->endpoint = g_strdup (till_alipay_client_get_gateway_url (client));
      call->provider = TILL_PAY_PROVIDER (till_alipay_provider_new (client));
    }
  else
    {
      g_autoptr(TillWxpayClient) client = make_wechat_client (c, &error);

      if (client == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      call->endpoint = g_strdup (till_wxpay_client_get_base_url (client));
      call->provider = TILL_PAY_PROVIDER (till_wxpay_provider_new (client));
    }
  /* Alipay's numbers are letters, digits and '_' only. */
  order_no = g_strdup_printf ("TTEST%" G_GINT64_FORMAT, till_clock_now_us ());
  till_pay_provider_query_async (call->provider, order_no, g_task_get_cancellable (task),
                                 test_query_cb, g_object_ref (task));
}

void
till_payment_runtime_test_connection_async (TillPaymentRuntime  *self,
                                            const char          *provider_name,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task;
  TestCall *call;

  g_return_if_fail (TILL_IS_PAYMENT_RUNTIME (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_payment_runtime_test_connection_async);
  call = g_new0 (TestCall, 1);
  call->provider_name = g_strdup (provider_name != NULL ? provider_name
                                                        : TILL_WXPAY_PROVIDER_NAME);
  g_task_set_task_data (task, call, (GDestroyNotify) test_call_free);
  _till_pay_config_load_async (self, _till_payment_runtime_get_settings (self), cancellable,
                               test_keys_loaded_cb, task);
}

char *
till_payment_runtime_test_connection_finish (TillPaymentRuntime *self,
                                             GAsyncResult       *result,
                                             GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
