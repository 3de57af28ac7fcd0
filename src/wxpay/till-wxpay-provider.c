/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillWxpayProvider: the TillPayProvider calls made with TillWxpayClient, their answers
 * made neutral by till-wxpay-provider-map.c. */
#define G_LOG_DOMAIN "till-pay"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "till-wxpay-provider.h"
#include "till-wxpay-provider-map.h"

#define DEFAULT_NOTIFY_URL "https://localhost/tillpoint/notify"

struct _TillWxpayProvider
{
  GObject          parent_instance;

  TillWxpayClient *client;       /* NULL: not configured */
  char            *notify_url;
};

static void till_wxpay_provider_iface_init (TillPayProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TillWxpayProvider, till_wxpay_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TILL_TYPE_PAY_PROVIDER,
                                                      till_wxpay_provider_iface_init))

enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_NOTIFY_URL,
  PROP_NAME,
  PROP_CONFIGURED,
  PROP_CLOCK_SKEW_SECONDS,
  N_PROPS
};

static GParamSpec *properties[PROP_NOTIFY_URL + 1];

/* ---------------------------------------------------------------- helpers */

static GTask *
task_new (TillWxpayProvider   *self,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

static GError *
not_configured_error (void)
{
  GError *error = g_error_new_literal (TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED,
                                       _("WeChat Pay is not set up"));

  till_wxpay_error_mark (error);
  return error;
}

/* Fails `task` (and takes it) when there is no client. */
static gboolean
return_if_not_configured (TillWxpayProvider *self,
                          GTask             *task)
{
  if (self->client != NULL)
    return FALSE;
  g_task_return_error (task, not_configured_error ());
  g_object_unref (task);
  return TRUE;
}

static gpointer
finish_pointer (TillWxpayProvider *self,
                GAsyncResult      *result,
                gpointer           source_tag,
                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, source_tag), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
finish_boolean (TillWxpayProvider *self,
                GAsyncResult      *result,
                gpointer           source_tag,
                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, source_tag), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Returns the client's error, classified, on `task` (taking the task). */
static void
return_marked (GTask  *task,
               GError *error)
{
  till_wxpay_error_mark (error);
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* ---------------------------------------------------------------- getters */

static const char *
provider_get_name (TillPayProvider *provider)
{
  return TILL_WXPAY_PROVIDER_NAME;
}

static gboolean
provider_accepts_code (TillPayProvider *provider,
                       TillBarcodeKind  kind)
{
  return kind == TILL_BARCODE_WECHAT_PAY;
}

static gboolean
provider_get_method (TillPayProvider   *provider,
                     TillPayScene       scene,
                     TillPaymentMethod *out_method)
{
  switch (scene)
    {
    case TILL_PAY_SCENE_CODE:
      *out_method = TILL_PAYMENT_METHOD_WECHAT_CODE;
      return TRUE;
    case TILL_PAY_SCENE_QR:
      *out_method = TILL_PAYMENT_METHOD_WECHAT_NATIVE;
      return TRUE;
    default:
      return FALSE;
    }
}

static gint64
provider_get_clock_skew_seconds (TillPayProvider *provider)
{
  TillWxpayProvider *self = TILL_WXPAY_PROVIDER (provider);

  return self->client != NULL ? till_wxpay_client_get_clock_skew_seconds (self->client) : 0;
}

static gboolean
provider_is_configured (TillPayProvider *provider)
{
  return TILL_WXPAY_PROVIDER (provider)->client != NULL;
}

static guint
provider_get_timeout_ms (TillPayProvider *provider)
{
  TillWxpayProvider *self = TILL_WXPAY_PROVIDER (provider);

  return self->client != NULL ? till_wxpay_client_get_timeout_ms (self->client) : 0;
}

/* ---------------------------------------------------------------- code pay */

static void
codepay_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillWxpayTransaction) txn = NULL;

  txn = till_wxpay_client_codepay_finish (TILL_WXPAY_CLIENT (source), result, &error);
  g_task_return_pointer (task, till_wxpay_map_codepay (txn, txn == NULL ? error : NULL),
                         (GDestroyNotify) till_pay_trade_free);
}

static void
provider_pay_code_async (TillPayProvider          *provider,
                         const TillPayCodeRequest *request,
                         GCancellable             *cancellable,
                         GAsyncReadyCallback       callback,
                         gpointer                  user_data)
{
  TillWxpayProvider *self = TILL_WXPAY_PROVIDER (provider);
  GTask *task = task_new (self, provider_pay_code_async, cancellable, callback, user_data);
  TillWxpayCodepayRequest wx = {
    .out_trade_no = request->out_trade_no,
    .auth_code = request->auth_code,
    .description = request->description,
    .amount_total = request->amount_fen,
    .device_id = request->device_id,
    .store_out_id = request->store_id,
  };

  /* The outcome is the result, whatever happens to the caller's wait. */
  g_task_set_check_cancellable (task, FALSE);
  if (self->client == NULL)
    {
      g_autoptr(GError) error = not_configured_error ();

      g_task_return_pointer (task, till_wxpay_map_codepay (NULL, error),
                             (GDestroyNotify) till_pay_trade_free);
      g_object_unref (task);
      return;
    }
  till_wxpay_client_codepay_async (self->client, &wx, cancellable, codepay_cb, task);
}

static TillPayTrade *
provider_pay_code_finish (TillPayProvider  *provider,
                          GAsyncResult     *result,
                          GError          **error)
{
  return finish_pointer (TILL_WXPAY_PROVIDER (provider), result, provider_pay_code_async, error);
}

/* ---------------------------------------------------------------- Native (QR) */

static void
native_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  char *code_url = till_wxpay_client_native_finish (TILL_WXPAY_CLIENT (source), result, &error);

  if (code_url == NULL)
    {
      return_marked (task, error);
      return;
    }
  g_task_return_pointer (task, code_url, g_free);
  g_object_unref (task);
}

static void
provider_create_qr_async (TillPayProvider        *provider,
                          const TillPayQrRequest *request,
                          GCancellable           *cancellable,
                          GAsyncReadyCallback     callback,
                          gpointer                user_data)
{
  TillWxpayProvider *self = TILL_WXPAY_PROVIDER (provider);
  GTask *task = task_new (self, provider_create_qr_async, cancellable, callback, user_data);
  TillWxpayNativeRequest wx = {
    .out_trade_no = request->out_trade_no,
    .description = request->description,
    .amount_total = request->amount_fen,
    .notify_url = self->notify_url,
  };

  if (return_if_not_configured (self, task))
    return;
  till_wxpay_client_native_async (self->client, &wx, cancellable, native_cb, task);
}

static char *
provider_create_qr_finish (TillPayProvider  *provider,
                           GAsyncResult     *result,
                           GError          **error)
{
  return finish_pointer (TILL_WXPAY_PROVIDER (provider), result, provider_create_qr_async, error);
}

/* ---------------------------------------------------------------- query */

static void
query_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  g_autoptr(TillWxpayTransaction) txn = NULL;

  txn = till_wxpay_client_query_finish (TILL_WXPAY_CLIENT (source), result, &error);
  if (txn == NULL)
    {
      return_marked (task, error);
      return;
    }
  g_task_return_pointer (task, till_wxpay_map_transaction (txn),
                         (GDestroyNotify) till_pay_trade_free);
  g_object_unref (task);
}

static void
provider_query_async (TillPayProvider     *provider,
                      const char          *out_trade_no,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  TillWxpayProvider *self = TILL_WXPAY_PROVIDER (provider);
  GTask *task = task_new (self, provider_query_async, cancellable, callback, user_data);

  if (return_if_not_configured (self, task))
    return;
  till_wxpay_client_query_async (self->client, out_trade_no, cancellable, query_cb, task);
}

static TillPayTrade *
provider_query_finish (TillPayProvider  *provider,
                       GAsyncResult     *result,
                       GError          **error)
{
  return finish_pointer (TILL_WXPAY_PROVIDER (provider), result, provider_query_async, error);
}

/* ---------------------------------------------------------------- reverse, close */

static void
reverse_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!till_wxpay_client_reverse_finish (TILL_WXPAY_CLIENT (source), result, &error))
    {
      return_marked (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
provider_cancel_async (TillPayProvider     *provider,
                       const char          *out_trade_no,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  TillWxpayProvider *self = TILL_WXPAY_PROVIDER (provider);
  GTask *task = task_new (self, provider_cancel_async, cancellable, callback, user_data);

  if (return_if_not_configured (self, task))
    return;
  till_wxpay_client_reverse_async (self->client, out_trade_no, cancellable, reverse_cb, task);
}

static gboolean
provider_cancel_finish (TillPayProvider  *provider,
                        GAsyncResult     *result,
                        GError          **error)
{
  return finish_boolean (TILL_WXPAY_PROVIDER (provider), result, provider_cancel_async, error);
}

static void
close_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!till_wxpay_client_close_finish (TILL_WXPAY_CLIENT (source), result, &error))
    {
      return_marked (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
provider_close_async (TillPayProvider     *provider,
                      const char          *out_trade_no,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  TillWxpayProvider *self = TILL_WXPAY_PROVIDER (provider);
  GTask *task = task_new (self, provider_close_async, cancellable, callback, user_data);

  if (return_if_not_configured (self, task))
    return;
  till_wxpay_client_close_async (self->client, out_trade_no, cancellable, close_cb, task);
}

static gboolean
provider_close_finish (TillPayProvider  *provider,
                       GAsyncResult     *result,
                       GError          **error)
{
  return finish_boolean (TILL_WXPAY_PROVIDER (provider), result, provider_close_async, error);
}

/* ---------------------------------------------------------------- refunds */

static void
refund_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  g_autoptr(TillWxpayRefund) refund = NULL;

  refund = till_wxpay_client_refund_finish (TILL_WXPAY_CLIENT (source), result, &error);
  if (refund == NULL)
    {
      return_marked (task, error);
      return;
    }
  g_task_return_pointer (task, till_wxpay_map_refund (refund),
                         (GDestroyNotify) till_pay_refund_free);
  g_object_unref (task);
}

static void
provider_refund_async (TillPayProvider            *provider,
                       const TillPayRefundRequest *request,
                       GCancellable               *cancellable,
                       GAsyncReadyCallback         callback,
                       gpointer                    user_data)
{
  TillWxpayProvider *self = TILL_WXPAY_PROVIDER (provider);
  GTask *task = task_new (self, provider_refund_async, cancellable, callback, user_data);
  TillWxpayRefundRequest wx = {
    .out_trade_no = request->out_trade_no,
    .transaction_id = request->transaction_id,
    .out_refund_no = request->out_refund_no,
    .reason = request->reason,
    .amount_refund = request->amount_fen,
    .amount_total = request->total_fen,
  };

  if (return_if_not_configured (self, task))
    return;
  till_wxpay_client_refund_async (self->client, &wx, cancellable, refund_cb, task);
}

static TillPayRefund *
provider_refund_finish (TillPayProvider  *provider,
                        GAsyncResult     *result,
                        GError          **error)
{
  return finish_pointer (TILL_WXPAY_PROVIDER (provider), result, provider_refund_async, error);
}

static void
provider_refund_query_async (TillPayProvider     *provider,
                             const char          *out_trade_no,
                             const char          *out_refund_no,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  TillWxpayProvider *self = TILL_WXPAY_PROVIDER (provider);
  GTask *task = task_new (self, provider_refund_query_async, cancellable, callback, user_data);

  if (return_if_not_configured (self, task))
    return;
  /* WeChat Pay finds a refund by out_refund_no alone (§5.2). */
  till_wxpay_client_refund_query_async (self->client, out_refund_no, cancellable, refund_cb,
                                        task);
}

static TillPayRefund *
provider_refund_query_finish (TillPayProvider  *provider,
                              GAsyncResult     *result,
                              GError          **error)
{
  return finish_pointer (TILL_WXPAY_PROVIDER (provider), result, provider_refund_query_async,
                         error);
}

/* ---------------------------------------------------------------- the daily bill */

typedef struct
{
  char   *date;
  GBytes *text;
} BillFetch;

static void
bill_fetch_free (BillFetch *fetch)
{
  g_free (fetch->date);
  g_clear_pointer (&fetch->text, g_bytes_unref);
  g_free (fetch);
}

/* A worker thread: a month of a busy shop is a large file. */
static void
bill_parse_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  BillFetch *fetch = task_data;
  GError *error = NULL;
  gsize length;
  const char *text = g_bytes_get_data (fetch->text, &length);
  TillBill *bill = till_bill_parse (text, length, &error);

  if (bill == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bill, (GDestroyNotify) till_bill_free);
}

static void
download_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  BillFetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;

  fetch->text = till_wxpay_client_download_bill_finish (TILL_WXPAY_CLIENT (source), result,
                                                        &error);
  if (fetch->text == NULL)
    {
      g_message ("Bill of %s: download failed: %s", fetch->date, error->message);
      return_marked (task, error);
      return;
    }
  g_task_run_in_thread (task, bill_parse_thread);
  g_object_unref (task);
}

static void
trade_bill_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  BillFetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(TillWxpayBill) bill = till_wxpay_client_trade_bill_finish (TILL_WXPAY_CLIENT (source),
                                                                       result, &error);

  if (bill != NULL)
    {
      till_wxpay_client_download_bill_async (TILL_WXPAY_CLIENT (source), bill,
                                             g_task_get_cancellable (task), download_cb, task);
      return;
    }
  if (g_error_matches (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER)
      && g_strcmp0 (till_pay_error_get_provider_code (error), "NO_STATEMENT_EXIST") == 0)
    {
      /* No trade that day at WeChat Pay: a bill without rows. */
      TillBill *empty = till_bill_new ();

      g_message ("Bill of %s: no trade that day at WeChat Pay", fetch->date);
      g_clear_error (&error);
      g_task_return_pointer (task, empty, (GDestroyNotify) till_bill_free);
      g_object_unref (task);
      return;
    }
  g_message ("Bill of %s: %s (%s)", fetch->date, error->message,
             till_pay_error_get_provider_code (error) ? till_pay_error_get_provider_code (error)
                                                      : "no provider code");
  return_marked (task, error);
}

static void
provider_fetch_bill_async (TillPayProvider     *provider,
                           const char          *date,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  TillWxpayProvider *self = TILL_WXPAY_PROVIDER (provider);
  GTask *task = task_new (self, provider_fetch_bill_async, cancellable, callback, user_data);
  BillFetch *fetch = g_new0 (BillFetch, 1);

  fetch->date = g_strdup (date);
  g_task_set_task_data (task, fetch, (GDestroyNotify) bill_fetch_free);
  if (return_if_not_configured (self, task))
    return;
  /* §6.1: every trade of the day, gzipped. */
  till_wxpay_client_trade_bill_async (self->client, date, "ALL", TRUE, cancellable,
                                      trade_bill_cb, task);
}

static TillBill *
provider_fetch_bill_finish (TillPayProvider  *provider,
                            GAsyncResult     *result,
                            GError          **error)
{
  return finish_pointer (TILL_WXPAY_PROVIDER (provider), result, provider_fetch_bill_async, error);
}

/* ---------------------------------------------------------------- GObject */

static void
till_wxpay_provider_iface_init (TillPayProviderInterface *iface)
{
  iface->get_name = provider_get_name;
  iface->accepts_code = provider_accepts_code;
  iface->get_method = provider_get_method;
  iface->get_clock_skew_seconds = provider_get_clock_skew_seconds;
  iface->is_configured = provider_is_configured;
  iface->get_timeout_ms = provider_get_timeout_ms;
  iface->pay_code_async = provider_pay_code_async;
  iface->pay_code_finish = provider_pay_code_finish;
  iface->create_qr_async = provider_create_qr_async;
  iface->create_qr_finish = provider_create_qr_finish;
  iface->query_async = provider_query_async;
  iface->query_finish = provider_query_finish;
  iface->cancel_async = provider_cancel_async;
  iface->cancel_finish = provider_cancel_finish;
  iface->close_async = provider_close_async;
  iface->close_finish = provider_close_finish;
  iface->refund_async = provider_refund_async;
  iface->refund_finish = provider_refund_finish;
  iface->refund_query_async = provider_refund_query_async;
  iface->refund_query_finish = provider_refund_query_finish;
  iface->fetch_bill_async = provider_fetch_bill_async;
  iface->fetch_bill_finish = provider_fetch_bill_finish;
}

static void
client_skew_notify_cb (GObject    *client,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  g_object_notify (G_OBJECT (user_data), "clock-skew-seconds");
}

static void
till_wxpay_provider_set_client (TillWxpayProvider *self,
                                TillWxpayClient   *client)
{
  g_return_if_fail (client == NULL || TILL_IS_WXPAY_CLIENT (client));

  self->client = client != NULL ? g_object_ref (client) : NULL;
  if (client != NULL)
    g_signal_connect_object (client, "notify::clock-skew-seconds",
                             G_CALLBACK (client_skew_notify_cb), self, 0);
}

static void
till_wxpay_provider_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TillWxpayProvider *self = TILL_WXPAY_PROVIDER (object);
  TillPayProvider *provider = TILL_PAY_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_NOTIFY_URL:
      g_value_set_string (value, self->notify_url);
      break;
    case PROP_NAME:
      g_value_set_string (value, provider_get_name (provider));
      break;
    case PROP_CONFIGURED:
      g_value_set_boolean (value, provider_is_configured (provider));
      break;
    case PROP_CLOCK_SKEW_SECONDS:
      g_value_set_int64 (value, provider_get_clock_skew_seconds (provider));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_wxpay_provider_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TillWxpayProvider *self = TILL_WXPAY_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      till_wxpay_provider_set_client (self, g_value_get_object (value));
      break;
    case PROP_NOTIFY_URL:
      till_wxpay_provider_set_notify_url (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_wxpay_provider_dispose (GObject *object)
{
  TillWxpayProvider *self = TILL_WXPAY_PROVIDER (object);

  g_clear_object (&self->client);
  G_OBJECT_CLASS (till_wxpay_provider_parent_class)->dispose (object);
}

static void
till_wxpay_provider_finalize (GObject *object)
{
  TillWxpayProvider *self = TILL_WXPAY_PROVIDER (object);

  g_free (self->notify_url);
  G_OBJECT_CLASS (till_wxpay_provider_parent_class)->finalize (object);
}

static void
till_wxpay_provider_class_init (TillWxpayProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = till_wxpay_provider_get_property;
  object_class->set_property = till_wxpay_provider_set_property;
  object_class->dispose = till_wxpay_provider_dispose;
  object_class->finalize = till_wxpay_provider_finalize;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TILL_TYPE_WXPAY_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOTIFY_URL] =
    g_param_spec_string ("notify-url", NULL, NULL, DEFAULT_NOTIFY_URL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, G_N_ELEMENTS (properties), properties);

  g_object_class_override_property (object_class, PROP_NAME, "name");
  g_object_class_override_property (object_class, PROP_CONFIGURED, "configured");
  g_object_class_override_property (object_class, PROP_CLOCK_SKEW_SECONDS, "clock-skew-seconds");
}

static void
till_wxpay_provider_init (TillWxpayProvider *self)
{
  self->notify_url = g_strdup (DEFAULT_NOTIFY_URL);
}

TillWxpayProvider *
till_wxpay_provider_new (TillWxpayClient *client)
{
  g_return_val_if_fail (client == NULL || TILL_IS_WXPAY_CLIENT (client), NULL);

  return g_object_new (TILL_TYPE_WXPAY_PROVIDER, "client", client, NULL);
}

TillWxpayClient *
till_wxpay_provider_get_client (TillWxpayProvider *self)
{
  g_return_val_if_fail (TILL_IS_WXPAY_PROVIDER (self), NULL);
  return self->client;
}

void
till_wxpay_provider_set_notify_url (TillWxpayProvider *self,
                                    const char        *notify_url)
{
  g_return_if_fail (TILL_IS_WXPAY_PROVIDER (self));

  if (notify_url == NULL)
    notify_url = DEFAULT_NOTIFY_URL;
  if (g_strcmp0 (self->notify_url, notify_url) == 0)
    return;
  g_free (self->notify_url);
  self->notify_url = g_strdup (notify_url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTIFY_URL]);
}

const char *
till_wxpay_provider_get_notify_url (TillWxpayProvider *self)
{
  g_return_val_if_fail (TILL_IS_WXPAY_PROVIDER (self), NULL);
  return self->notify_url;
}
