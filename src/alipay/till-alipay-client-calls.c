/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Alipay client's calls (alipay.md §5): pay, precreate, query, cancel, close, refund,
 * refund query and the bill's download address; each one's verified answer made its
 * result. */
#define G_LOG_DOMAIN "till-alipay"
#include "config.h"

#include "till-alipay-client-private.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#define METHOD_PAY          "alipay.trade.pay"
#define METHOD_PRECREATE    "alipay.trade.precreate"
#define METHOD_QUERY        "alipay.trade.query"
#define METHOD_CANCEL       "alipay.trade.cancel"
#define METHOD_CLOSE        "alipay.trade.close"
#define METHOD_REFUND       "alipay.trade.refund"
#define METHOD_REFUND_QUERY "alipay.trade.fastpay.refund.query"
#define METHOD_BILL_URL     "alipay.data.dataservice.bill.downloadurl.query"

/* ---- answers ---- */

static void
return_trade (GTask            *task,
              Call             *call,
              TillAlipayAnswer *answer)
{
  GError *error = NULL;
  TillAlipayTrade *trade = till_alipay_trade_new_from_json (answer->response, &error);

  if (trade == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (trade->out_trade_no == NULL)
    trade->out_trade_no = g_strdup (call->expect_out_trade_no);
  /* A payment is the one asked for, amount included (§5.1: "signed, out_trade_no and
   * total_amount match"); anything else is not a payment the till can take as paid. */
  if (call->kind == CALL_PAY && g_strcmp0 (trade->code, TILL_ALIPAY_CODE_SUCCESS) == 0
      && trade->total_fen >= 0 && trade->total_fen != call->expect_amount_fen)
    {
      g_message ("%s: paid %" G_GINT64_FORMAT " fen where %" G_GINT64_FORMAT " was asked",
                 trade->out_trade_no, trade->total_fen, call->expect_amount_fen);
      till_alipay_trade_free (trade);
      g_task_return_error (task, till_alipay_protocol_error ("another total_amount"));
      return;
    }
  g_debug ("%s %s: %s %s, trade %s", call->method, trade->out_trade_no,
           trade->code != NULL ? trade->code : "-",
           trade->trade_status != NULL ? trade->trade_status : "",
           trade->trade_no != NULL ? trade->trade_no : "-");
  g_task_return_pointer (task, trade, (GDestroyNotify) till_alipay_trade_free);
}

void
till_alipay_call_answered (GTask            *task,
                           Call             *call,
                           TillAlipayAnswer *answer)
{
  GError *error = NULL;

  switch (call->kind)
    {
    case CALL_PAY:
    case CALL_QUERY:
      return_trade (task, call, answer);
      return;

    case CALL_PRECREATE:
      {
        const char *qr = till_alipay_json_string (answer->response, "qr_code");

        if (qr == NULL)
          g_task_return_error (task, till_alipay_protocol_error ("no qr_code"));
        else
          g_task_return_pointer (task, g_strdup (qr), g_free);
        return;
      }

    case CALL_CANCEL:
      g_task_return_pointer (task, till_alipay_cancel_new_from_json (answer->response),
                             (GDestroyNotify) till_alipay_cancel_free);
      return;

    case CALL_CLOSE:
      g_task_return_boolean (task, TRUE);
      return;

    case CALL_REFUND:
    case CALL_REFUND_QUERY:
      {
        TillAlipayRefund *refund =
          till_alipay_refund_new_from_json (answer->response, call->kind == CALL_REFUND_QUERY,
                                            &error);

        if (refund == NULL)
          g_task_return_error (task, error);
        else
          g_task_return_pointer (task, refund, (GDestroyNotify) till_alipay_refund_free);
        return;
      }

    case CALL_BILL_URL:
      {
        const char *url = till_alipay_json_string (answer->response, "bill_download_url");

        if (url == NULL)
          g_task_return_error (task, till_alipay_protocol_error ("no bill_download_url"));
        else
          g_task_return_pointer (task, g_strdup (url), g_free);
        return;
      }

    case CALL_DOWNLOAD:
    default:
      g_assert_not_reached ();
    }
}

/* ---- building ---- */

static JsonBuilder *
biz_begin (void)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  return b;
}

/* A subject Alipay takes: '/', '=' and '&' are refused there (§5.1), so they become
 * spaces; at most 256 characters. */
static char *
clean_subject (const char *subject)
{
  g_autofree char *copy = g_strdup (till_alipay_is_blank (subject) ? "Tillpoint" : subject);

  g_strdelimit (copy, "/=&", ' ');
  if (g_utf8_strlen (copy, -1) > 256)
    return g_utf8_substring (copy, 0, 256);
  return g_steal_pointer (&copy);
}

static gboolean
check_number (GTask      *task,
              const char *number)
{
  if (till_alipay_valid_number (number))
    return TRUE;
  till_alipay_invalid_request (task, _("bad order number"));
  return FALSE;
}

static gboolean
check_amount (GTask  *task,
              gint64  fen)
{
  if (fen >= TILL_ALIPAY_MIN_FEN && fen <= TILL_ALIPAY_MAX_FEN)
    return TRUE;
  till_alipay_invalid_request (task, _("the amount must be at least 0.01"));
  return FALSE;
}

static void
start (TillAlipayClient *self,
       GTask            *task,
       Call             *call,
       JsonBuilder      *b,
       GCancellable     *cancellable)
{
  json_builder_end_object (b);
  till_alipay_call_start (self, task, call, b, cancellable);
}

/* ---- the calls ---- */

void
till_alipay_client_pay_async (TillAlipayClient           *self,
                              const TillAlipayPayRequest *request,
                              GCancellable               *cancellable,
                              GAsyncReadyCallback         callback,
                              gpointer                    user_data)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *subject = NULL;
  GTask *task;
  Call *call;

  g_return_if_fail (TILL_IS_ALIPAY_CLIENT (self));
  g_return_if_fail (request != NULL);

  task = till_alipay_new_task (self, till_alipay_client_pay_async, cancellable, callback,
                               user_data);
  if (!check_number (task, request->out_trade_no) || !check_amount (task, request->amount_fen))
    return;
  if (request->auth_code == NULL || strlen (request->auth_code) < 16
      || strlen (request->auth_code) > 64)
    {
      till_alipay_invalid_request (task, _("bad payment code"));
      return;
    }
  subject = clean_subject (request->subject);
  b = biz_begin ();
  till_alipay_add_str (b, "out_trade_no", request->out_trade_no);
  till_alipay_add_str (b, "scene", "bar_code");
  till_alipay_add_str (b, "auth_code", request->auth_code);
  till_alipay_add_str (b, "subject", subject);
  till_alipay_add_yuan (b, "total_amount", request->amount_fen);
  till_alipay_add_str (b, "product_code", "FACE_TO_FACE_PAYMENT");
  till_alipay_add_str (b, "store_id", request->store_id);
  till_alipay_add_str (b, "terminal_id", request->terminal_id);
  till_alipay_add_str (b, "operator_id", request->operator_id);
  till_alipay_add_str (b, "timeout_express", request->timeout_express);
  call = till_alipay_call_new (CALL_PAY, METHOD_PAY);
  call->expect_out_trade_no = g_strdup (request->out_trade_no);
  call->expect_amount_fen = request->amount_fen;
  start (self, task, call, b, cancellable);
}

TillAlipayTrade *
till_alipay_client_pay_finish (TillAlipayClient *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, till_alipay_client_pay_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
till_alipay_client_precreate_async (TillAlipayClient                 *self,
                                    const TillAlipayPrecreateRequest *request,
                                    GCancellable                     *cancellable,
                                    GAsyncReadyCallback               callback,
                                    gpointer                          user_data)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *subject = NULL;
  GTask *task;
  Call *call;

  g_return_if_fail (TILL_IS_ALIPAY_CLIENT (self));
  g_return_if_fail (request != NULL);

  task = till_alipay_new_task (self, till_alipay_client_precreate_async, cancellable, callback,
                               user_data);
  if (!check_number (task, request->out_trade_no) || !check_amount (task, request->amount_fen))
    return;
  subject = clean_subject (request->subject);
  b = biz_begin ();
  till_alipay_add_str (b, "out_trade_no", request->out_trade_no);
  till_alipay_add_yuan (b, "total_amount", request->amount_fen);
  till_alipay_add_str (b, "subject", subject);
  till_alipay_add_str (b, "store_id", request->store_id);
  till_alipay_add_str (b, "terminal_id", request->terminal_id);
  till_alipay_add_str (b, "operator_id", request->operator_id);
  till_alipay_add_str (b, "timeout_express", request->timeout_express);
  call = till_alipay_call_new (CALL_PRECREATE, METHOD_PRECREATE);
  call->expect_out_trade_no = g_strdup (request->out_trade_no);
  start (self, task, call, b, cancellable);
}

char *
till_alipay_client_precreate_finish (TillAlipayClient *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, till_alipay_client_precreate_async),
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* query, cancel and close take the out_trade_no alone. */
static void
by_number (TillAlipayClient    *self,
           gpointer             source_tag,
           CallKind             kind,
           const char          *method,
           const char          *out_trade_no,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task = till_alipay_new_task (self, source_tag, cancellable, callback, user_data);
  g_autoptr(JsonBuilder) b = NULL;
  Call *call;

  if (!check_number (task, out_trade_no))
    return;
  b = biz_begin ();
  till_alipay_add_str (b, "out_trade_no", out_trade_no);
  call = till_alipay_call_new (kind, method);
  call->expect_out_trade_no = g_strdup (out_trade_no);
  start (self, task, call, b, cancellable);
}

void
till_alipay_client_query_async (TillAlipayClient    *self,
                                const char          *out_trade_no,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (TILL_IS_ALIPAY_CLIENT (self));
  by_number (self, till_alipay_client_query_async, CALL_QUERY, METHOD_QUERY, out_trade_no,
             cancellable, callback, user_data);
}

TillAlipayTrade *
till_alipay_client_query_finish (TillAlipayClient *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, till_alipay_client_query_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
till_alipay_client_cancel_async (TillAlipayClient    *self,
                                 const char          *out_trade_no,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (TILL_IS_ALIPAY_CLIENT (self));
  by_number (self, till_alipay_client_cancel_async, CALL_CANCEL, METHOD_CANCEL, out_trade_no,
             cancellable, callback, user_data);
}

TillAlipayCancel *
till_alipay_client_cancel_finish (TillAlipayClient *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, till_alipay_client_cancel_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
till_alipay_client_close_async (TillAlipayClient    *self,
                                const char          *out_trade_no,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (TILL_IS_ALIPAY_CLIENT (self));
  by_number (self, till_alipay_client_close_async, CALL_CLOSE, METHOD_CLOSE, out_trade_no,
             cancellable, callback, user_data);
}

gboolean
till_alipay_client_close_finish (TillAlipayClient *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, till_alipay_client_close_async), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
till_alipay_client_refund_async (TillAlipayClient              *self,
                                 const TillAlipayRefundRequest *request,
                                 GCancellable                  *cancellable,
                                 GAsyncReadyCallback            callback,
                                 gpointer                       user_data)
{
  g_autoptr(JsonBuilder) b = NULL;
  GTask *task;
  Call *call;

  g_return_if_fail (TILL_IS_ALIPAY_CLIENT (self));
  g_return_if_fail (request != NULL);

  task = till_alipay_new_task (self, till_alipay_client_refund_async, cancellable, callback,
                               user_data);
  if (!check_number (task, request->out_trade_no) || !check_amount (task, request->amount_fen))
    return;
  if (!till_alipay_valid_number (request->out_request_no))
    {
      till_alipay_invalid_request (task, _("bad refund number"));
      return;
    }
  b = biz_begin ();
  till_alipay_add_str (b, "out_trade_no", request->out_trade_no);
  till_alipay_add_str (b, "trade_no", request->trade_no);
  till_alipay_add_yuan (b, "refund_amount", request->amount_fen);
  till_alipay_add_str (b, "out_request_no", request->out_request_no);
  till_alipay_add_str (b, "refund_reason", request->reason);
  till_alipay_add_str (b, "store_id", request->store_id);
  till_alipay_add_str (b, "terminal_id", request->terminal_id);
  call = till_alipay_call_new (CALL_REFUND, METHOD_REFUND);
  call->expect_out_trade_no = g_strdup (request->out_trade_no);
  start (self, task, call, b, cancellable);
}

TillAlipayRefund *
till_alipay_client_refund_finish (TillAlipayClient *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, till_alipay_client_refund_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
till_alipay_client_refund_query_async (TillAlipayClient    *self,
                                       const char          *out_trade_no,
                                       const char          *out_request_no,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(JsonBuilder) b = NULL;
  GTask *task;
  Call *call;

  g_return_if_fail (TILL_IS_ALIPAY_CLIENT (self));

  task = till_alipay_new_task (self, till_alipay_client_refund_query_async, cancellable,
                               callback, user_data);
  if (!check_number (task, out_trade_no))
    return;
  if (!till_alipay_valid_number (out_request_no))
    {
      till_alipay_invalid_request (task, _("bad refund number"));
      return;
    }
  b = biz_begin ();
  till_alipay_add_str (b, "out_trade_no", out_trade_no);
  till_alipay_add_str (b, "out_request_no", out_request_no);
  call = till_alipay_call_new (CALL_REFUND_QUERY, METHOD_REFUND_QUERY);
  call->expect_out_trade_no = g_strdup (out_trade_no);
  start (self, task, call, b, cancellable);
}

TillAlipayRefund *
till_alipay_client_refund_query_finish (TillAlipayClient *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, till_alipay_client_refund_query_async),
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
is_date (const char *text)
{
  gint64 unused;
  g_autofree char *stamp = NULL;

  if (text == NULL || strlen (text) != 10)
    return FALSE;
  stamp = g_strconcat (text, " 00:00:00", NULL);
  return till_alipay_timestamp_parse (stamp, &unused);
}

void
till_alipay_client_bill_url_async (TillAlipayClient    *self,
                                   const char          *bill_date,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(JsonBuilder) b = NULL;
  GTask *task;

  g_return_if_fail (TILL_IS_ALIPAY_CLIENT (self));

  task = till_alipay_new_task (self, till_alipay_client_bill_url_async, cancellable, callback,
                               user_data);
  if (!is_date (bill_date))
    {
      till_alipay_invalid_request (task, _("bad bill date or type"));
      return;
    }
  b = biz_begin ();
  till_alipay_add_str (b, "bill_type", "trade");
  till_alipay_add_str (b, "bill_date", bill_date);
  start (self, task, till_alipay_call_new (CALL_BILL_URL, METHOD_BILL_URL), b, cancellable);
}

char *
till_alipay_client_bill_url_finish (TillAlipayClient *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, till_alipay_client_bill_url_async),
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
