/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillPaymentRuntime: the electronic payment settings, their keys and the settings'
 * connection test. */
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
  g_free (c->base_url);
  g_free (c->ca_file);
  g_free (c->mchid);
  g_free (c->appid);
  g_free (c->serial);
  g_free (c->key_path);
  g_free (c->pub_path);
  g_free (c->pub_id);
  g_free (c->store_id);
  g_free (c->device_id);
  g_clear_pointer (&c->key, till_rsa_key_unref);
  g_clear_pointer (&c->pub, till_rsa_key_unref);
  g_free (c);
}

static char *
setting_text (GSettings  *settings,
              const char *key)
{
  return g_strstrip (g_settings_get_string (settings, key));
}

static TillPayConfig *
pay_config_read (GSettings *settings)
{
  TillPayConfig *c = g_new0 (TillPayConfig, 1);

  c->base_url = setting_text (settings, "api-base-url");
  c->ca_file = setting_text (settings, "ca-file");
  c->mchid = setting_text (settings, "mchid");
  c->appid = setting_text (settings, "appid");
  c->serial = setting_text (settings, "merchant-serial-no");
  c->key_path = setting_text (settings, "merchant-key-path");
  c->pub_path = setting_text (settings, "platform-public-key-path");
  c->pub_id = setting_text (settings, "platform-public-key-id");
  c->store_id = setting_text (settings, "store-id");
  c->device_id = setting_text (settings, "device-id");
  c->query_ms = g_settings_get_uint (settings, "query-interval-ms");
  c->deadline_ms = g_settings_get_uint (settings, "pay-deadline-ms");
  c->timeout_ms = g_settings_get_uint (settings, "http-timeout-ms");
  return c;
}

/* The first missing setting, in the order of the settings window. */
static gboolean
pay_config_check (const TillPayConfig *c,
                  GError         **error)
{
  const struct { const char *value; const char *what; } required[] = {
    { c->base_url, N_("接口地址 API base URL") },
    { c->mchid, N_("商户号 Merchant ID (mchid)") },
    { c->appid, N_("AppID") },
    { c->serial, N_("商户证书序列号 Merchant certificate serial number") },
    { c->key_path, N_("商户私钥文件 Merchant private key file") },
    { c->pub_path, N_("平台公钥文件 Platform public key file") },
    { c->pub_id, N_("平台公钥 ID Platform public key ID") },
    { c->store_id, N_("门店编号 Store ID") },
    { c->device_id, N_("设备号 Device ID") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (required[i].value == NULL || required[i].value[0] == '\0')
      {
        g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED,
                     _("%s 未设置 is not set"), _(required[i].what));
        return FALSE;
      }
  return TRUE;
}

/* Worker thread: reading the key files is disk work. */
static void
load_keys_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  TillPayConfig *c = task_data;
  GError *error = NULL;

  c->key = till_rsa_key_load_private_file (c->key_path, &error);
  if (c->key == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  c->pub = till_rsa_key_load_public_file (c->pub_path, &error);
  if (c->pub == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

TillWxpayClient *
_till_pay_config_make_client (const TillPayConfig *c,
                              GError             **error)
{
  TillWxpayConfig wx = {
    .base_url = c->base_url,
    .ca_file = c->ca_file[0] != '\0' ? c->ca_file : NULL,
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

TillPayProvider *
_till_pay_config_make_provider (const TillPayConfig *c,
                                TillWxpayClient     *client)
{
  return TILL_PAY_PROVIDER (till_wxpay_provider_new (client));
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
  if (!pay_config_check (c, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, load_keys_thread);
}

/* ------------------------------------------------------------------------------------ */
/* Testing the connection from the settings window                                       */

/* The test's client and provider, kept alive with the call. */
typedef struct
{
  TillWxpayClient *client;
  TillPayProvider *provider;
} TestCall;

static void
test_call_free (TestCall *call)
{
  g_clear_object (&call->provider);
  g_clear_object (&call->client);
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
                             g_strdup_printf (_("连接正常 · Connection works: %s accepted the signed request and its answer was verified (%s)."),
                                              till_wxpay_client_get_base_url (call->client),
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
  TillPayConfig *c = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(TillWxpayClient) client = NULL;
  g_autofree char *order_no = NULL;
  TestCall *call;

  if (!g_task_propagate_boolean (G_TASK (result), &error)
      || (client = _till_pay_config_make_client (c, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  call = g_new0 (TestCall, 1);
  call->provider = _till_pay_config_make_provider (c, client);
  call->client = g_steal_pointer (&client);
  /* The client and the provider stay alive with their call. */
  g_task_set_task_data (task, call, (GDestroyNotify) test_call_free);
  order_no = g_strdup_printf ("TTEST%" G_GINT64_FORMAT, till_clock_now_us ());
  till_pay_provider_query_async (call->provider, order_no, g_task_get_cancellable (task),
                                 test_query_cb, g_object_ref (task));
}

void
till_payment_runtime_test_connection_async (TillPaymentRuntime  *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TILL_IS_PAYMENT_RUNTIME (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_payment_runtime_test_connection_async);
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
