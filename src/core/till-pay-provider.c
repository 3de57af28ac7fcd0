/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillPayProvider: the payment-provider interface, its neutral results and their states. */
#define G_LOG_DOMAIN "till-pay"
#include "config.h"

#include "till-pay-provider.h"

/* ---------------------------------------------------------------- states */

const char *
till_pay_trade_state_to_string (TillPayTradeState state)
{
  static const char *const names[] = {
    "unknown", "paid", "user_paying", "not_paid", "failed", "closed", "reversed",
  };

  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (names), NULL);
  return names[state];
}

const char *
till_pay_refund_state_to_string (TillPayRefundState state)
{
  static const char *const names[] = {
    "unknown", "success", "processing", "stuck", "closed",
  };

  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (names), NULL);
  return names[state];
}

/* ---------------------------------------------------------------- results */

G_DEFINE_BOXED_TYPE (TillPayTrade, till_pay_trade, till_pay_trade_copy, till_pay_trade_free)
G_DEFINE_BOXED_TYPE (TillPayRefund, till_pay_refund, till_pay_refund_copy, till_pay_refund_free)

TillPayTrade *
till_pay_trade_new (TillPayTradeState state)
{
  TillPayTrade *trade = g_new0 (TillPayTrade, 1);

  trade->state = state;
  trade->amount_fen = -1;
  return trade;
}

TillPayTrade *
till_pay_trade_copy (const TillPayTrade *trade)
{
  TillPayTrade *copy;

  g_return_val_if_fail (trade != NULL, NULL);
  copy = g_memdup2 (trade, sizeof *trade);
  copy->out_trade_no = g_strdup (trade->out_trade_no);
  copy->transaction_id = g_strdup (trade->transaction_id);
  copy->provider_state = g_strdup (trade->provider_state);
  copy->code = g_strdup (trade->code);
  copy->message = g_strdup (trade->message);
  return copy;
}

void
till_pay_trade_free (TillPayTrade *trade)
{
  if (trade == NULL)
    return;
  g_free (trade->out_trade_no);
  g_free (trade->transaction_id);
  g_free (trade->provider_state);
  g_free (trade->code);
  g_free (trade->message);
  g_free (trade);
}

TillPayRefund *
till_pay_refund_new (TillPayRefundState state)
{
  TillPayRefund *refund = g_new0 (TillPayRefund, 1);

  refund->state = state;
  refund->amount_fen = -1;
  return refund;
}

TillPayRefund *
till_pay_refund_copy (const TillPayRefund *refund)
{
  TillPayRefund *copy;

  g_return_val_if_fail (refund != NULL, NULL);
  copy = g_memdup2 (refund, sizeof *refund);
  copy->out_refund_no = g_strdup (refund->out_refund_no);
  copy->refund_id = g_strdup (refund->refund_id);
  copy->provider_state = g_strdup (refund->provider_state);
  return copy;
}

void
till_pay_refund_free (TillPayRefund *refund)
{
  if (refund == NULL)
    return;
  g_free (refund->out_refund_no);
  g_free (refund->refund_id);
  g_free (refund->provider_state);
  g_free (refund);
}

/* ---------------------------------------------------------------- the interface */

G_DEFINE_INTERFACE (TillPayProvider, till_pay_provider, G_TYPE_OBJECT)

static void
till_pay_provider_default_init (TillPayProviderInterface *iface)
{
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  g_object_interface_install_property (iface,
    g_param_spec_string ("name", NULL, NULL, NULL, ro));
  g_object_interface_install_property (iface,
    g_param_spec_boolean ("configured", NULL, NULL, FALSE, ro));
  g_object_interface_install_property (iface,
    g_param_spec_int64 ("clock-skew-seconds", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        ro | G_PARAM_EXPLICIT_NOTIFY));
}

#define IFACE(self) TILL_PAY_PROVIDER_GET_IFACE (self)

const char *
till_pay_provider_get_name (TillPayProvider *self)
{
  g_return_val_if_fail (TILL_IS_PAY_PROVIDER (self), NULL);
  return IFACE (self)->get_name (self);
}

gboolean
till_pay_provider_accepts_code (TillPayProvider *self,
                                TillBarcodeKind  kind)
{
  g_return_val_if_fail (TILL_IS_PAY_PROVIDER (self), FALSE);
  return IFACE (self)->accepts_code (self, kind);
}

gboolean
till_pay_provider_get_method (TillPayProvider   *self,
                              TillPayScene       scene,
                              TillPaymentMethod *out_method)
{
  TillPaymentMethod method;

  g_return_val_if_fail (TILL_IS_PAY_PROVIDER (self), FALSE);
  if (!IFACE (self)->get_method (self, scene, &method))
    return FALSE;
  if (out_method != NULL)
    *out_method = method;
  return TRUE;
}

gboolean
till_pay_provider_owns_method (TillPayProvider   *self,
                               TillPaymentMethod  method,
                               TillPayScene      *out_scene)
{
  const TillPayScene scenes[] = { TILL_PAY_SCENE_CODE, TILL_PAY_SCENE_QR };

  g_return_val_if_fail (TILL_IS_PAY_PROVIDER (self), FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (scenes); i++)
    {
      TillPaymentMethod m;

      if (till_pay_provider_get_method (self, scenes[i], &m) && m == method)
        {
          if (out_scene != NULL)
            *out_scene = scenes[i];
          return TRUE;
        }
    }
  return FALSE;
}

gint64
till_pay_provider_get_clock_skew_seconds (TillPayProvider *self)
{
  g_return_val_if_fail (TILL_IS_PAY_PROVIDER (self), 0);
  return IFACE (self)->get_clock_skew_seconds (self);
}

gboolean
till_pay_provider_is_configured (TillPayProvider *self)
{
  g_return_val_if_fail (TILL_IS_PAY_PROVIDER (self), FALSE);
  return IFACE (self)->is_configured (self);
}

guint
till_pay_provider_get_timeout_ms (TillPayProvider *self)
{
  g_return_val_if_fail (TILL_IS_PAY_PROVIDER (self), 0);
  return IFACE (self)->get_timeout_ms (self);
}

void
till_pay_provider_pay_code_async (TillPayProvider          *self,
                                  const TillPayCodeRequest *request,
                                  GCancellable             *cancellable,
                                  GAsyncReadyCallback       callback,
                                  gpointer                  user_data)
{
  g_return_if_fail (TILL_IS_PAY_PROVIDER (self));
  g_return_if_fail (request != NULL);
  IFACE (self)->pay_code_async (self, request, cancellable, callback, user_data);
}

TillPayTrade *
till_pay_provider_pay_code_finish (TillPayProvider  *self,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  g_return_val_if_fail (TILL_IS_PAY_PROVIDER (self), NULL);
  return IFACE (self)->pay_code_finish (self, result, error);
}

void
till_pay_provider_create_qr_async (TillPayProvider        *self,
                                   const TillPayQrRequest *request,
                                   GCancellable           *cancellable,
                                   GAsyncReadyCallback     callback,
                                   gpointer                user_data)
{
  g_return_if_fail (TILL_IS_PAY_PROVIDER (self));
  g_return_if_fail (request != NULL);
  IFACE (self)->create_qr_async (self, request, cancellable, callback, user_data);
}

char *
till_pay_provider_create_qr_finish (TillPayProvider  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  g_return_val_if_fail (TILL_IS_PAY_PROVIDER (self), NULL);
  return IFACE (self)->create_qr_finish (self, result, error);
}

void
till_pay_provider_query_async (TillPayProvider     *self,
                               const char          *out_trade_no,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (TILL_IS_PAY_PROVIDER (self));
  g_return_if_fail (out_trade_no != NULL);
  IFACE (self)->query_async (self, out_trade_no, cancellable, callback, user_data);
}

TillPayTrade *
till_pay_provider_query_finish (TillPayProvider  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (TILL_IS_PAY_PROVIDER (self), NULL);
  return IFACE (self)->query_finish (self, result, error);
}

void
till_pay_provider_cancel_async (TillPayProvider     *self,
                                const char          *out_trade_no,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (TILL_IS_PAY_PROVIDER (self));
  g_return_if_fail (out_trade_no != NULL);
  IFACE (self)->cancel_async (self, out_trade_no, cancellable, callback, user_data);
}

gboolean
till_pay_provider_cancel_finish (TillPayProvider  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (TILL_IS_PAY_PROVIDER (self), FALSE);
  return IFACE (self)->cancel_finish (self, result, error);
}

void
till_pay_provider_close_async (TillPayProvider     *self,
                               const char          *out_trade_no,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (TILL_IS_PAY_PROVIDER (self));
  g_return_if_fail (out_trade_no != NULL);
  IFACE (self)->close_async (self, out_trade_no, cancellable, callback, user_data);
}

gboolean
till_pay_provider_close_finish (TillPayProvider  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (TILL_IS_PAY_PROVIDER (self), FALSE);
  return IFACE (self)->close_finish (self, result, error);
}

void
till_pay_provider_refund_async (TillPayProvider            *self,
                                const TillPayRefundRequest *request,
                                GCancellable               *cancellable,
                                GAsyncReadyCallback         callback,
                                gpointer                    user_data)
{
  g_return_if_fail (TILL_IS_PAY_PROVIDER (self));
  g_return_if_fail (request != NULL);
  IFACE (self)->refund_async (self, request, cancellable, callback, user_data);
}

TillPayRefund *
till_pay_provider_refund_finish (TillPayProvider  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (TILL_IS_PAY_PROVIDER (self), NULL);
  return IFACE (self)->refund_finish (self, result, error);
}

void
till_pay_provider_refund_query_async (TillPayProvider     *self,
                                      const char          *out_trade_no,
                                      const char          *out_refund_no,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (TILL_IS_PAY_PROVIDER (self));
  g_return_if_fail (out_refund_no != NULL);
  IFACE (self)->refund_query_async (self, out_trade_no, out_refund_no, cancellable, callback,
                                    user_data);
}

TillPayRefund *
till_pay_provider_refund_query_finish (TillPayProvider  *self,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  g_return_val_if_fail (TILL_IS_PAY_PROVIDER (self), NULL);
  return IFACE (self)->refund_query_finish (self, result, error);
}

void
till_pay_provider_fetch_bill_async (TillPayProvider     *self,
                                    const char          *date,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (TILL_IS_PAY_PROVIDER (self));
  g_return_if_fail (date != NULL);
  IFACE (self)->fetch_bill_async (self, date, cancellable, callback, user_data);
}

TillBill *
till_pay_provider_fetch_bill_finish (TillPayProvider  *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (TILL_IS_PAY_PROVIDER (self), NULL);
  return IFACE (self)->fetch_bill_finish (self, result, error);
}
