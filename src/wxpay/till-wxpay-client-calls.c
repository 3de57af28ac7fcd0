/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The client's payment and refund calls: code pay, query, reverse, close, Native, refund. */
#define G_LOG_DOMAIN "till-pay"
#include "config.h"

#include "till-wxpay-client-private.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

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

  task = till_wxpay_new_task (self, till_wxpay_client_codepay_async, cancellable, callback,
                              user_data);
  if (!till_wxpay_valid_id (request->out_trade_no, 32, "*|"))
    {
      till_wxpay_invalid_request (task, _("bad order number"));
      return;
    }
  if (!till_wxpay_valid_id (request->auth_code, 128, "")
      || till_wxpay_is_blank (request->description) || request->amount_total < 1)
    {
      till_wxpay_invalid_request (task, till_wxpay_is_blank (request->description)
                                        ? _("no description")
                                        : request->amount_total < 1
                                        ? _("the amount must be at least 0.01")
                                        : _("bad payment code"));
      return;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  till_wxpay_add_str (b, "appid", self->appid);
  till_wxpay_add_str (b, "mchid", self->mchid);
  till_wxpay_add_str (b, "description", request->description);
  till_wxpay_add_str (b, "out_trade_no", request->out_trade_no);
  till_wxpay_add_str (b, "attach", request->attach);
  till_wxpay_add_str (b, "goods_tag", request->goods_tag);
  json_builder_set_member_name (b, "payer");
  json_builder_begin_object (b);
  till_wxpay_add_str (b, "auth_code", request->auth_code);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "amount");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, request->amount_total);
  till_wxpay_add_str (b, "currency", "CNY");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "scene_info");
  json_builder_begin_object (b);
  till_wxpay_add_str (b, "device_id", request->device_id);
  till_wxpay_add_str (b, "device_ip", request->device_ip);
  json_builder_set_member_name (b, "store_info");
  json_builder_begin_object (b);
  till_wxpay_add_str (b, "id", request->store_id);
  till_wxpay_add_str (b, "out_id", request->store_out_id);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  body = till_wxpay_json_bytes (b);

  call = till_wxpay_call_new (CALL_CODEPAY);
  call->expect_out_trade_no = g_strdup (request->out_trade_no);
  till_wxpay_call_start (self, task, call, "POST", "/v3/pay/transactions/codepay", NULL, body,
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

  task
      = till_wxpay_new_task (self, till_wxpay_client_query_async, cancellable, callback, user_data);
  if (!till_wxpay_valid_id (out_trade_no, 32, "*|"))
    {
      till_wxpay_invalid_request (task, _("bad order number"));
      return;
    }
  seg = till_wxpay_escape_segment (out_trade_no);
  path = g_strconcat ("/v3/pay/transactions/out-trade-no/", seg, NULL);
  query = till_wxpay_mchid_query (self);
  call = till_wxpay_call_new (CALL_QUERY);
  call->expect_out_trade_no = g_strdup (out_trade_no);
  till_wxpay_call_start (self, task, call, "GET", path, query, NULL, cancellable);
}

void
till_wxpay_client_query_by_id_async (TillWxpayClient *self, const char *transaction_id,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_autofree char *path = NULL, *seg = NULL, *query = NULL;
  GTask *task;

  g_return_if_fail (TILL_IS_WXPAY_CLIENT (self));

  task = till_wxpay_new_task (self, till_wxpay_client_query_by_id_async, cancellable, callback,
                              user_data);
  if (!till_wxpay_valid_id (transaction_id, 32, ""))
    {
      till_wxpay_invalid_request (task, _("bad transaction ID"));
      return;
    }
  seg = till_wxpay_escape_segment (transaction_id);
  path = g_strconcat ("/v3/pay/transactions/id/", seg, NULL);
  query = till_wxpay_mchid_query (self);
  till_wxpay_call_start (self, task, till_wxpay_call_new (CALL_QUERY), "GET", path, query, NULL,
                         cancellable);
}

TillWxpayTransaction *
till_wxpay_client_query_finish (TillWxpayClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, till_wxpay_client_query_async) ||
                        g_async_result_is_tagged (result, till_wxpay_client_query_by_id_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* reverse and close: a POST to the order with only the merchant's IDs in the body. */
static void
order_post (TillWxpayClient *self, gpointer source_tag, CallKind kind, const char *out_trade_no,
            const char *action, gboolean with_appid, GCancellable *cancellable,
            GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = till_wxpay_new_task (self, source_tag, cancellable, callback, user_data);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GBytes) body = NULL;
  g_autofree char *seg = NULL, *path = NULL;
  Call *call;

  if (!till_wxpay_valid_id (out_trade_no, 32, "*|"))
    {
      till_wxpay_invalid_request (task, _("bad order number"));
      return;
    }
  json_builder_begin_object (b);
  if (with_appid)
    till_wxpay_add_str (b, "appid", self->appid);
  till_wxpay_add_str (b, "mchid", self->mchid);
  json_builder_end_object (b);
  body = till_wxpay_json_bytes (b);

  seg = till_wxpay_escape_segment (out_trade_no);
  path = g_strconcat ("/v3/pay/transactions/out-trade-no/", seg, "/", action, NULL);
  call = till_wxpay_call_new (kind);
  call->expect_out_trade_no = g_strdup (out_trade_no);
  till_wxpay_call_start (self, task, call, "POST", path, NULL, body, cancellable);
}

void
till_wxpay_client_reverse_async (TillWxpayClient *self, const char *out_trade_no,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  g_return_if_fail (TILL_IS_WXPAY_CLIENT (self));

  order_post (self, till_wxpay_client_reverse_async, CALL_REVERSE, out_trade_no, "reverse", TRUE,
              cancellable, callback, user_data);
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
  g_return_if_fail (TILL_IS_WXPAY_CLIENT (self));

  order_post (self, till_wxpay_client_close_async, CALL_CLOSE, out_trade_no, "close", FALSE,
              cancellable, callback, user_data);
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

  task = till_wxpay_new_task (self, till_wxpay_client_native_async, cancellable, callback,
                              user_data);
  if (!till_wxpay_valid_id (request->out_trade_no, 32, "*|")
      || till_wxpay_is_blank (request->description) || request->amount_total < 1
      || till_wxpay_is_blank (request->notify_url))
    {
      till_wxpay_invalid_request (task, !till_wxpay_valid_id (request->out_trade_no, 32, "*|")
                                        ? _("bad order number")
                                        : till_wxpay_is_blank (request->description)
                                        ? _("no description")
                                        : request->amount_total < 1
                                        ? _("the amount must be at least 0.01")
                                        : _("no notification URL"));
      return;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  till_wxpay_add_str (b, "appid", self->appid);
  till_wxpay_add_str (b, "mchid", self->mchid);
  till_wxpay_add_str (b, "description", request->description);
  till_wxpay_add_str (b, "out_trade_no", request->out_trade_no);
  till_wxpay_add_str (b, "time_expire", request->time_expire);
  till_wxpay_add_str (b, "attach", request->attach);
  till_wxpay_add_str (b, "notify_url", request->notify_url);
  json_builder_set_member_name (b, "amount");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, request->amount_total);
  till_wxpay_add_str (b, "currency", "CNY");
  json_builder_end_object (b);
  json_builder_end_object (b);
  body = till_wxpay_json_bytes (b);

  till_wxpay_call_start (self, task, till_wxpay_call_new (CALL_NATIVE), "POST",
                         "/v3/pay/transactions/native", NULL, body, cancellable);
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

  task = till_wxpay_new_task (self, till_wxpay_client_refund_async, cancellable, callback,
                              user_data);
  if (request->transaction_id == NULL && !till_wxpay_valid_id (request->out_trade_no, 32, "*|"))
    bad = _("bad order number");
  else if (request->transaction_id != NULL
           && !till_wxpay_valid_id (request->transaction_id, 32, ""))
    bad = _("bad transaction ID");
  else if (!till_wxpay_valid_id (request->out_refund_no, 64, "*|@"))
    bad = _("bad refund number");
  else if (request->amount_refund < 1 || request->amount_total < request->amount_refund)
    bad = _("the refund must be at least 0.01 and at most the amount paid");
  if (bad != NULL)
    {
      till_wxpay_invalid_request (task, bad);
      return;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  if (request->transaction_id != NULL)
    till_wxpay_add_str (b, "transaction_id", request->transaction_id);
  else
    till_wxpay_add_str (b, "out_trade_no", request->out_trade_no);
  till_wxpay_add_str (b, "out_refund_no", request->out_refund_no);
  till_wxpay_add_str (b, "reason", request->reason);
  till_wxpay_add_str (b, "notify_url", request->notify_url);
  json_builder_set_member_name (b, "amount");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "refund");
  json_builder_add_int_value (b, request->amount_refund);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, request->amount_total);
  till_wxpay_add_str (b, "currency", "CNY");
  json_builder_end_object (b);
  json_builder_end_object (b);
  body = till_wxpay_json_bytes (b);

  till_wxpay_call_start (self, task, till_wxpay_call_new (CALL_REFUND), "POST",
                         "/v3/refund/domestic/refunds", NULL, body, cancellable);
}

void
till_wxpay_client_refund_query_async (TillWxpayClient *self, const char *out_refund_no,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  g_autofree char *seg = NULL, *path = NULL;
  GTask *task;

  g_return_if_fail (TILL_IS_WXPAY_CLIENT (self));

  task = till_wxpay_new_task (self, till_wxpay_client_refund_query_async, cancellable, callback,
                              user_data);
  if (!till_wxpay_valid_id (out_refund_no, 64, "*|@"))
    {
      till_wxpay_invalid_request (task, _("bad refund number"));
      return;
    }
  seg = till_wxpay_escape_segment (out_refund_no);
  path = g_strconcat ("/v3/refund/domestic/refunds/", seg, NULL);
  till_wxpay_call_start (self, task, till_wxpay_call_new (CALL_REFUND), "GET", path, NULL, NULL,
                         cancellable);
}

TillWxpayRefund *
till_wxpay_client_refund_finish (TillWxpayClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, till_wxpay_client_refund_async) ||
                        g_async_result_is_tagged (result, till_wxpay_client_refund_query_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
