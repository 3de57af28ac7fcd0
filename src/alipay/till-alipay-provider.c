/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillAlipayProvider: the TillPayProvider calls made with TillAlipayClient, their answers
 * made neutral by till-alipay-provider-map.c. */
#define G_LOG_DOMAIN "till-alipay"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "till-alipay-provider.h"
#include "till-alipay-provider-map.h"
#include "till-clock.h"

struct _TillAlipayProvider
{
  GObject           parent_instance;

  TillAlipayClient *client;      /* NULL: not configured */
  GHashTable       *qr_orders;   /* out_trade_no of the QR orders this provider created */
};

static void till_alipay_provider_iface_init (TillPayProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TillAlipayProvider, till_alipay_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TILL_TYPE_PAY_PROVIDER,
                                                      till_alipay_provider_iface_init))

enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_NAME,
  PROP_CONFIGURED,
  PROP_CLOCK_SKEW_SECONDS,
};

/* ---------------------------------------------------------------- helpers */

static GTask *
task_new (TillAlipayProvider  *self,
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
                                       _("Alipay is not set up"));

  till_alipay_error_mark (error);
  return error;
}

/* Fails `task` (and takes it) when there is no client. */
static gboolean
return_if_not_configured (TillAlipayProvider *self,
                          GTask              *task)
{
  if (self->client != NULL)
    return FALSE;
  g_task_return_error (task, not_configured_error ());
  g_object_unref (task);
  return TRUE;
}

static gpointer
finish_pointer (TillAlipayProvider *self,
                GAsyncResult       *result,
                gpointer            source_tag,
                GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, source_tag), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
finish_boolean (TillAlipayProvider *self,
                GAsyncResult       *result,
                gpointer            source_tag,
                GError            **error)
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
  till_alipay_error_mark (error);
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* ---------------------------------------------------------------- getters */

static const char *
provider_get_name (TillPayProvider *provider)
{
  return TILL_ALIPAY_PROVIDER_NAME;
}

static gboolean
provider_accepts_code (TillPayProvider *provider,
                       TillBarcodeKind  kind)
{
  return kind == TILL_BARCODE_ALIPAY;
}

static gboolean
provider_get_method (TillPayProvider   *provider,
                     TillPayScene       scene,
                     TillPaymentMethod *out_method)
{
  switch (scene)
    {
    case TILL_PAY_SCENE_CODE:
      *out_method = TILL_PAYMENT_METHOD_ALIPAY_CODE;
      return TRUE;
    case TILL_PAY_SCENE_QR:
      *out_method = TILL_PAYMENT_METHOD_ALIPAY_QR;
      return TRUE;
    default:
      return FALSE;
    }
}

static gint64
provider_get_clock_skew_seconds (TillPayProvider *provider)
{
  TillAlipayProvider *self = TILL_ALIPAY_PROVIDER (provider);

  return self->client != NULL ? till_alipay_client_get_clock_skew_seconds (self->client) : 0;
}

static gboolean
provider_is_configured (TillPayProvider *provider)
{
  return TILL_ALIPAY_PROVIDER (provider)->client != NULL;
}

static guint
provider_get_timeout_ms (TillPayProvider *provider)
{
  TillAlipayProvider *self = TILL_ALIPAY_PROVIDER (provider);

  return self->client != NULL ? till_alipay_client_get_timeout_ms (self->client) : 0;
}

/* ---------------------------------------------------------------- code pay */

static void
pay_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillAlipayTrade) answer = NULL;

  answer = till_alipay_client_pay_finish (TILL_ALIPAY_CLIENT (source), result, &error);
  g_task_return_pointer (task, till_alipay_map_pay (answer, answer == NULL ? error : NULL),
                         (GDestroyNotify) till_pay_trade_free);
}

static void
provider_pay_code_async (TillPayProvider          *provider,
                         const TillPayCodeRequest *request,
                         GCancellable             *cancellable,
                         GAsyncReadyCallback       callback,
                         gpointer                  user_data)
{
  TillAlipayProvider *self = TILL_ALIPAY_PROVIDER (provider);
  GTask *task = task_new (self, provider_pay_code_async, cancellable, callback, user_data);
  TillAlipayPayRequest ali = {
    .out_trade_no = request->out_trade_no,
    .amount_fen = request->amount_fen,
    .auth_code = request->auth_code,
    .subject = request->description,
    .store_id = request->store_id,
    .terminal_id = request->device_id,
    .timeout_express = TILL_ALIPAY_TIMEOUT_EXPRESS,
  };

  /* The outcome is the result, whatever happens to the caller's wait. */
  g_task_set_check_cancellable (task, FALSE);
  if (self->client == NULL)
    {
      g_autoptr(GError) error = not_configured_error ();

      g_task_return_pointer (task, till_alipay_map_pay (NULL, error),
                             (GDestroyNotify) till_pay_trade_free);
      g_object_unref (task);
      return;
    }
  till_alipay_client_pay_async (self->client, &ali, cancellable, pay_cb, task);
}

static TillPayTrade *
provider_pay_code_finish (TillPayProvider  *provider,
                          GAsyncResult     *result,
                          GError          **error)
{
  return finish_pointer (TILL_ALIPAY_PROVIDER (provider), result, provider_pay_code_async,
                         error);
}

/* ---------------------------------------------------------------- precreate (QR) */

static void
precreate_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  char *qr = till_alipay_client_precreate_finish (TILL_ALIPAY_CLIENT (source), result, &error);

  if (qr == NULL)
    {
      return_marked (task, error);
      return;
    }
  g_task_return_pointer (task, qr, g_free);
  g_object_unref (task);
}

static void
provider_create_qr_async (TillPayProvider        *provider,
                          const TillPayQrRequest *request,
                          GCancellable           *cancellable,
                          GAsyncReadyCallback     callback,
                          gpointer                user_data)
{
  TillAlipayProvider *self = TILL_ALIPAY_PROVIDER (provider);
  GTask *task = task_new (self, provider_create_qr_async, cancellable, callback, user_data);
  TillAlipayPrecreateRequest ali = {
    .out_trade_no = request->out_trade_no,
    .amount_fen = request->amount_fen,
    .subject = request->description,
    .store_id = request->store_id,
    .terminal_id = request->device_id,
    .timeout_express = TILL_ALIPAY_TIMEOUT_EXPRESS,
  };

  if (return_if_not_configured (self, task))
    return;
  g_hash_table_add (self->qr_orders, g_strdup (request->out_trade_no));
  till_alipay_client_precreate_async (self->client, &ali, cancellable, precreate_cb, task);
}

static char *
provider_create_qr_finish (TillPayProvider  *provider,
                           GAsyncResult     *result,
                           GError          **error)
{
  return finish_pointer (TILL_ALIPAY_PROVIDER (provider), result, provider_create_qr_async,
                         error);
}

/* ---------------------------------------------------------------- query */

static void
query_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  TillAlipayProvider *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(TillAlipayTrade) answer = NULL;
  TillPayScene scene;

  answer = till_alipay_client_query_finish (TILL_ALIPAY_CLIENT (source), result, &error);
  if (answer == NULL)
    {
      return_marked (task, error);
      return;
    }
  scene = g_hash_table_contains (self->qr_orders, g_task_get_task_data (task))
          ? TILL_PAY_SCENE_QR : TILL_PAY_SCENE_CODE;
  g_task_return_pointer (task, till_alipay_map_query (answer, scene),
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
  TillAlipayProvider *self = TILL_ALIPAY_PROVIDER (provider);
  GTask *task = task_new (self, provider_query_async, cancellable, callback, user_data);

  g_task_set_task_data (task, g_strdup (out_trade_no), g_free);
  if (return_if_not_configured (self, task))
    return;
  till_alipay_client_query_async (self->client, out_trade_no, cancellable, query_cb, task);
}

static TillPayTrade *
provider_query_finish (TillPayProvider  *provider,
                       GAsyncResult     *result,
                       GError          **error)
{
  return finish_pointer (TILL_ALIPAY_PROVIDER (provider), result, provider_query_async, error);
}

/* ---------------------------------------------------------------- cancel, close */

static void
cancel_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  g_autoptr(TillAlipayCancel) answer = NULL;

  answer = till_alipay_client_cancel_finish (TILL_ALIPAY_CLIENT (source), result, &error);
  if (answer == NULL || !till_alipay_map_cancel (answer, &error))
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
  TillAlipayProvider *self = TILL_ALIPAY_PROVIDER (provider);
  GTask *task = task_new (self, provider_cancel_async, cancellable, callback, user_data);

  if (return_if_not_configured (self, task))
    return;
  till_alipay_client_cancel_async (self->client, out_trade_no, cancellable, cancel_cb, task);
}

static gboolean
provider_cancel_finish (TillPayProvider  *provider,
                        GAsyncResult     *result,
                        GError          **error)
{
  return finish_boolean (TILL_ALIPAY_PROVIDER (provider), result, provider_cancel_async, error);
}

static void
close_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (till_alipay_client_close_finish (TILL_ALIPAY_CLIENT (source), result, &error))
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  if (till_alipay_error_classify (error) == TILL_PAY_FAILURE_NOT_FOUND)
    {
      /* Not scanned yet: Alipay has no trade to close. A cancel closes the number for
       * good, so that the customer cannot pay the QR code later (§5.6b). */
      g_message ("QR order %s not scanned: cancelling its number",
                 (const char *) g_task_get_task_data (task));
      g_clear_error (&error);
      till_alipay_client_cancel_async (TILL_ALIPAY_CLIENT (source), g_task_get_task_data (task),
                                       g_task_get_cancellable (task), cancel_cb, task);
      return;
    }
  return_marked (task, error);
}

static void
provider_close_async (TillPayProvider     *provider,
                      const char          *out_trade_no,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  TillAlipayProvider *self = TILL_ALIPAY_PROVIDER (provider);
  GTask *task = task_new (self, provider_close_async, cancellable, callback, user_data);

  g_task_set_task_data (task, g_strdup (out_trade_no), g_free);
  if (return_if_not_configured (self, task))
    return;
  till_alipay_client_close_async (self->client, out_trade_no, cancellable, close_cb, task);
}

static gboolean
provider_close_finish (TillPayProvider  *provider,
                       GAsyncResult     *result,
                       GError          **error)
{
  return finish_boolean (TILL_ALIPAY_PROVIDER (provider), result, provider_close_async, error);
}

/* ---------------------------------------------------------------- refunds */

typedef struct
{
  char  *out_refund_no;
  gint64 amount_fen;
} RefundData;

static void
refund_data_free (RefundData *data)
{
  g_free (data->out_refund_no);
  g_free (data);
}

static void
refund_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  RefundData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(TillAlipayRefund) answer = NULL;

  answer = till_alipay_client_refund_finish (TILL_ALIPAY_CLIENT (source), result, &error);
  if (answer == NULL)
    {
      return_marked (task, error);
      return;
    }
  g_task_return_pointer (task, till_alipay_map_refund (answer, data->out_refund_no,
                                                       data->amount_fen),
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
  TillAlipayProvider *self = TILL_ALIPAY_PROVIDER (provider);
  GTask *task = task_new (self, provider_refund_async, cancellable, callback, user_data);
  RefundData *data = g_new0 (RefundData, 1);
  TillAlipayRefundRequest ali = {
    .out_trade_no = request->out_trade_no,
    .trade_no = request->transaction_id,
    .out_request_no = request->out_refund_no,
    .amount_fen = request->amount_fen,
    .reason = request->reason,
  };

  data->out_refund_no = g_strdup (request->out_refund_no);
  data->amount_fen = request->amount_fen;
  g_task_set_task_data (task, data, (GDestroyNotify) refund_data_free);
  if (return_if_not_configured (self, task))
    return;
  till_alipay_client_refund_async (self->client, &ali, cancellable, refund_cb, task);
}

static TillPayRefund *
provider_refund_finish (TillPayProvider  *provider,
                        GAsyncResult     *result,
                        GError          **error)
{
  return finish_pointer (TILL_ALIPAY_PROVIDER (provider), result, provider_refund_async, error);
}

static void
refund_query_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  g_autoptr(TillAlipayRefund) answer = NULL;
  TillPayRefund *refund;

  answer = till_alipay_client_refund_query_finish (TILL_ALIPAY_CLIENT (source), result, &error);
  if (answer == NULL || (refund = till_alipay_map_refund_query (answer, &error)) == NULL)
    {
      return_marked (task, error);
      return;
    }
  g_task_return_pointer (task, refund, (GDestroyNotify) till_pay_refund_free);
  g_object_unref (task);
}

static void
provider_refund_query_async (TillPayProvider     *provider,
                             const char          *out_trade_no,
                             const char          *out_refund_no,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  TillAlipayProvider *self = TILL_ALIPAY_PROVIDER (provider);
  GTask *task = task_new (self, provider_refund_query_async, cancellable, callback, user_data);

  if (return_if_not_configured (self, task))
    return;
  /* Alipay finds a refund by its trade and the refund's number (§5.6). */
  till_alipay_client_refund_query_async (self->client, out_trade_no, out_refund_no, cancellable,
                                         refund_query_cb, task);
}

static TillPayRefund *
provider_refund_query_finish (TillPayProvider  *provider,
                              GAsyncResult     *result,
                              GError          **error)
{
  return finish_pointer (TILL_ALIPAY_PROVIDER (provider), result, provider_refund_query_async,
                         error);
}

/* ---------------------------------------------------------------- the daily bill */

/* Whether `date` ("YYYY-MM-DD") is today or later in Alipay's calendar (GMT+8). */
static gboolean
date_not_over (const char *date)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (till_clock_now_us () / G_USEC_PER_SEC);
  g_autoptr(GDateTime) now = g_date_time_to_timezone (utc, tz);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  return strcmp (date, today) >= 0;
}

static void
download_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  TillBill *bill = till_alipay_client_download_bill_finish (TILL_ALIPAY_CLIENT (source), result,
                                                            &error);

  if (bill == NULL)
    {
      g_message ("Alipay bill of %s: %s", (const char *) g_task_get_task_data (task),
                 error->message);
      return_marked (task, error);
      return;
    }
  g_message ("Alipay bill of %s: %u rows", (const char *) g_task_get_task_data (task),
             bill->rows->len);
  g_task_return_pointer (task, bill, (GDestroyNotify) till_bill_free);
  g_object_unref (task);
}

static void
bill_url_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  const char *date = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *url = till_alipay_client_bill_url_finish (TILL_ALIPAY_CLIENT (source), result,
                                                            &error);
  const char *code;

  if (url != NULL)
    {
      /* valid 30 s: fetched at once */
      till_alipay_client_download_bill_async (TILL_ALIPAY_CLIENT (source), url,
                                              g_task_get_cancellable (task), download_cb, task);
      return;
    }
  code = till_pay_error_get_provider_code (error);
  if (g_error_matches (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER)
      && till_alipay_error_classify (error) == TILL_PAY_FAILURE_NOT_FOUND)
    {
      /* No trade that day at Alipay: a bill without rows. */
      g_message ("Alipay bill of %s: no trade that day (%s)", date, code);
      g_clear_error (&error);
      g_task_return_pointer (task, till_bill_new (), (GDestroyNotify) till_bill_free);
      g_object_unref (task);
      return;
    }
  if (g_error_matches (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER) && date_not_over (date))
    {
      /* Alipay makes a day's bill the next day (§5.7: "never today"). */
      g_message ("Alipay bill of %s: not made yet (%s)", date, code != NULL ? code : "-");
      till_pay_error_set_failure (error, TILL_PAY_FAILURE_NOT_READY);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_message ("Alipay bill of %s: %s (%s)", date, error->message, code != NULL ? code : "-");
  return_marked (task, error);
}

static void
provider_fetch_bill_async (TillPayProvider     *provider,
                           const char          *date,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  TillAlipayProvider *self = TILL_ALIPAY_PROVIDER (provider);
  GTask *task = task_new (self, provider_fetch_bill_async, cancellable, callback, user_data);

  g_task_set_task_data (task, g_strdup (date), g_free);
  if (return_if_not_configured (self, task))
    return;
  till_alipay_client_bill_url_async (self->client, date, cancellable, bill_url_cb, task);
}

static TillBill *
provider_fetch_bill_finish (TillPayProvider  *provider,
                            GAsyncResult     *result,
                            GError          **error)
{
  return finish_pointer (TILL_ALIPAY_PROVIDER (provider), result, provider_fetch_bill_async,
                         error);
}

/* ---------------------------------------------------------------- GObject */

static void
till_alipay_provider_iface_init (TillPayProviderInterface *iface)
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
till_alipay_provider_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TillAlipayProvider *self = TILL_ALIPAY_PROVIDER (object);
  TillPayProvider *provider = TILL_PAY_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
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
till_alipay_provider_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TillAlipayProvider *self = TILL_ALIPAY_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      if (self->client != NULL)
        g_signal_connect_object (self->client, "notify::clock-skew-seconds",
                                 G_CALLBACK (client_skew_notify_cb), self, 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_alipay_provider_dispose (GObject *object)
{
  TillAlipayProvider *self = TILL_ALIPAY_PROVIDER (object);

  g_clear_object (&self->client);
  G_OBJECT_CLASS (till_alipay_provider_parent_class)->dispose (object);
}

static void
till_alipay_provider_finalize (GObject *object)
{
  TillAlipayProvider *self = TILL_ALIPAY_PROVIDER (object);

  g_hash_table_unref (self->qr_orders);
  G_OBJECT_CLASS (till_alipay_provider_parent_class)->finalize (object);
}

static void
till_alipay_provider_class_init (TillAlipayProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = till_alipay_provider_get_property;
  object_class->set_property = till_alipay_provider_set_property;
  object_class->dispose = till_alipay_provider_dispose;
  object_class->finalize = till_alipay_provider_finalize;

  g_object_class_install_property (object_class, PROP_CLIENT,
    g_param_spec_object ("client", NULL, NULL, TILL_TYPE_ALIPAY_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_override_property (object_class, PROP_NAME, "name");
  g_object_class_override_property (object_class, PROP_CONFIGURED, "configured");
  g_object_class_override_property (object_class, PROP_CLOCK_SKEW_SECONDS, "clock-skew-seconds");
}

static void
till_alipay_provider_init (TillAlipayProvider *self)
{
  self->qr_orders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

TillAlipayProvider *
till_alipay_provider_new (TillAlipayClient *client)
{
  g_return_val_if_fail (client == NULL || TILL_IS_ALIPAY_CLIENT (client), NULL);

  return g_object_new (TILL_TYPE_ALIPAY_PROVIDER, "client", client, NULL);
}

TillAlipayClient *
till_alipay_provider_get_client (TillAlipayProvider *self)
{
  g_return_val_if_fail (TILL_IS_ALIPAY_PROVIDER (self), NULL);
  return self->client;
}
