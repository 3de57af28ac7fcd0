/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One payment's WeChat Pay calls: code pay, Native, and the reverse/close that cancels it
 * (with the outbox as the fallback). */
#define G_LOG_DOMAIN "till-pay"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "till-crash.h"
#include "till-payment-service-private.h"
#include "till-store-outbox.h"

/* Whether a failed reverse/close/codepay is the provider's definite refusal (verified
 * 4xx with a code other than a "not known yet" one, not rate limiting). */
static gboolean
provider_refused (const GError *error)
{
  return g_error_matches (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER)
         && till_pay_error_is_definite (error)
         && till_pay_error_get_http_status (error) != 429;
}

static gboolean
provider_code_is (const GError *error,
                  const char   *code)
{
  return g_strcmp0 (till_pay_error_get_provider_code (error), code) == 0;
}

/* ---- cancelling: reverse (code pay) or close (Native) */

void
till_pay_op_begin_cancel (PayOp      *op,
                 const char *reason)
{
  till_pay_op_cancel_timer (op);
  if (op->state == TILL_PAYMENT_STATE_REVERSING)
    till_pay_op_cancel_step (op);
  else
    till_pay_op_persist (op, TILL_PAYMENT_STATE_REVERSING, reason, till_pay_op_cancel_step);
}

static void
enqueue_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  PayOp *op = user_data;
  g_autoptr(GError) error = NULL;
  StoreCall *call = till_store_run_finish (TILL_STORE (source), result, &error);

  if (call == NULL)
    {
      if (till_pay_op_alive (op))
        till_pay_op_store_failed (op, error);
      till_pay_op_unref (op);
      return;
    }
  till_payment_store_call_unref (call);
  if (till_pay_op_alive (op))
    {
      TillPaymentService *self = op->svc;

      op->queued = TRUE;
      g_free (op->message);
      op->message = g_strdup (_("撤销将在联网后自动完成，请勿重复收款 · The cancellation will "
                                "finish by itself when WeChat Pay can be reached — do not "
                                "charge again"));
      till_pay_op_emit_changed (op);
      g_signal_emit (self, till_payment_service_signals[SIGNAL_OUTBOX_CHANGED], 0);
      till_pay_op_finish (op, NULL);
    }
  till_pay_op_unref (op);
}

/* The reverse/close could not be sent: try again a few times, then leave it to the
 * outbox (or, for the outbox's own resolve, report the failure so that it retries). */
static void
op_cancel_failed (PayOp        *op,
                  const GError *error)
{
  StoreCall *call;
  g_autoptr(GString) payload = NULL;

  op->reverse_failures++;
  g_message ("Payment %" G_GINT64_FORMAT " (%s): %s failed (%u): %s", op->payment_id,
             op->out_trade_no, till_pay_op_is_native (op) ? "close" : "reverse", op->reverse_failures,
             error->message);
  if (op->from_worker)
    {
      till_pay_op_finish (op, error);
      return;
    }
  if (op->reverse_failures < op->svc->reverse_attempts)
    {
      till_pay_op_schedule (op, (gint64) op->svc->reverse_retry_ms << (op->reverse_failures - 1),
                   till_pay_op_cancel_step);
      return;
    }

  call = till_payment_store_call_new (CALL_ENQUEUE);
  call->job_kind = till_pay_op_is_native (op) ? TILL_OUTBOX_KIND_CLOSE_ORDER : TILL_OUTBOX_KIND_REVERSE;
  call->job_key = till_pay_op_is_native (op) ? g_strconcat ("close:", op->out_trade_no, NULL)
                                    : g_strdup (op->out_trade_no);
  payload = g_string_new (NULL);
  g_string_append_printf (payload, "{\"payment_id\":%" G_GINT64_FORMAT ",\"out_trade_no\":\"%s\"}",
                          op->payment_id, op->out_trade_no);   /* [0-9A-Za-z_-] only */
  call->payload = g_string_free (g_steal_pointer (&payload), FALSE);
  call->now = till_payment_service_now_us (op->svc);
  till_payment_store_call_async (op->svc, call, enqueue_cb, till_pay_op_ref (op));
  till_payment_store_call_unref (call);
}

/* A definite refusal of reverse/close: ask the order's state to know where it ended. */
static void
final_query_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  PayOp *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillWxpayTransaction) txn = NULL;

  txn = till_wxpay_client_query_finish (TILL_WXPAY_CLIENT (source), result, &error);
  if (!till_pay_op_alive (op))
    {
      till_pay_op_unref (op);
      return;
    }
  if (txn == NULL)
    op_cancel_failed (op, error);
  else
    switch (txn->trade_state)
      {
      case TILL_WXPAY_TRADE_STATE_SUCCESS:
      case TILL_WXPAY_TRADE_STATE_REFUND:
        g_warning ("Payment %" G_GINT64_FORMAT " (%s) could not be cancelled and is paid",
                   op->payment_id, op->out_trade_no);
        till_pay_op_persist_paid (op, txn->transaction_id);
        break;
      case TILL_WXPAY_TRADE_STATE_REVOKED:
        till_pay_op_persist (op, TILL_PAYMENT_STATE_REVERSED, txn->trade_state_str, NULL);
        break;
      case TILL_WXPAY_TRADE_STATE_CLOSED:
        till_pay_op_persist (op, till_pay_op_is_native (op) ? TILL_PAYMENT_STATE_CLOSED : TILL_PAYMENT_STATE_REVERSED,
                    txn->trade_state_str, NULL);
        break;
      default:
        {
          g_autoptr(GError) still = g_error_new (TILL_PAY_ERROR, TILL_PAY_ERROR_FAILED,
                                                 _("The order is still %s after it was "
                                                   "cancelled"),
                                                 txn->trade_state_str ? txn->trade_state_str
                                                                      : "?");
          op_cancel_failed (op, still);
        }
        break;
      }
  till_pay_op_unref (op);
}

static void
cancel_answer (PayOp        *op,
               gboolean      ok,
               const GError *error)
{
  if (ok)
    {
      till_pay_op_persist (op, till_pay_op_is_native (op) ? TILL_PAYMENT_STATE_CLOSED : TILL_PAYMENT_STATE_REVERSED,
                  NULL, NULL);
      return;
    }
  if (provider_refused (error) && provider_code_is (error, "ORDER_NOT_EXIST"))
    {
      /* The order never reached WeChat Pay: nothing can be charged. */
      till_pay_op_set_detail (op, _("微信支付未收到这笔付款，未扣款 · WeChat Pay never received this "
                           "payment; nothing was charged"));
      till_pay_op_persist (op, TILL_PAYMENT_STATE_FAILED, "ORDER_NOT_EXIST", NULL);
      return;
    }
  if (provider_refused (error))
    {
      till_wxpay_client_query_async (op->svc->client, op->out_trade_no, op->svc->cancellable,
                                     final_query_cb, till_pay_op_ref (op));
      return;
    }
  op_cancel_failed (op, error);
}

static void
reverse_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  PayOp *op = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = till_wxpay_client_reverse_finish (TILL_WXPAY_CLIENT (source), result, &error);

  if (till_pay_op_alive (op))
    {
      till_crash_point_check_deferred ("pay.while_reversing");
      cancel_answer (op, ok, error);
    }
  till_pay_op_unref (op);
}

static void
close_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  PayOp *op = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = till_wxpay_client_close_finish (TILL_WXPAY_CLIENT (source), result, &error);

  if (till_pay_op_alive (op))
    {
      till_crash_point_check_deferred ("native.while_closing");
      cancel_answer (op, ok, error);
    }
  till_pay_op_unref (op);
}

void
till_pay_op_cancel_step (PayOp *op)
{
  TillPaymentService *self = op->svc;

  if (till_pay_op_is_native (op))
    {
      g_message ("Payment %" G_GINT64_FORMAT " (%s): close", op->payment_id, op->out_trade_no);
      till_wxpay_client_close_async (self->client, op->out_trade_no, self->cancellable,
                                     close_cb, till_pay_op_ref (op));
      till_crash_point_deferred ("native.while_closing", 100);
      return;
    }
  /* Reference §8.5: never earlier than the delay after the pay call. */
  {
    gint64 not_before = op->pay_call_at + (gint64) self->reverse_delay_ms * 1000;
    gint64 now = till_payment_service_now_us (self);

    if (now < not_before)
      {
        till_pay_op_schedule (op, (not_before - now + 999) / 1000, till_pay_op_cancel_step);
        return;
      }
  }
  g_message ("Payment %" G_GINT64_FORMAT " (%s): reverse", op->payment_id, op->out_trade_no);
  till_wxpay_client_reverse_async (self->client, op->out_trade_no, self->cancellable,
                                   reverse_cb, till_pay_op_ref (op));
  till_crash_point_deferred ("pay.while_reversing", 100);
}

/* ---- code pay */

static void
codepay_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  PayOp *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillWxpayTransaction) txn = NULL;

  txn = till_wxpay_client_codepay_finish (TILL_WXPAY_CLIENT (source), result, &error);
  if (!till_pay_op_alive (op))
    {
      till_pay_op_unref (op);
      return;
    }
  till_crash_point_check_deferred ("pay.after_send_before_answer");
  till_crash_point ("pay.after_answer_before_commit");
  /* The 15 s count from the pay call as WeChat Pay saw it: it had the request by the time
   * the answer (or the client's timeout) came back, so counting from now never starts
   * too early. */
  op->pay_call_at = MAX (op->pay_call_at, till_payment_service_now_us (op->svc));
  if (txn != NULL)
    {
      if (txn->trade_state == TILL_WXPAY_TRADE_STATE_SUCCESS)
        till_pay_op_persist_paid (op, txn->transaction_id);
      else if (txn->trade_state == TILL_WXPAY_TRADE_STATE_USERPAYING || txn->http_status == 202)
        till_pay_op_persist (op, TILL_PAYMENT_STATE_USER_PAYING, NULL, till_pay_op_poll_later);
      else
        /* An answer this flow does not expect: ask again rather than guess. */
        till_pay_op_persist (op, TILL_PAYMENT_STATE_IN_DOUBT, txn->trade_state_str, till_pay_op_poll_later);
    }
  else if (till_pay_error_is_definite (error)
           && (!g_error_matches (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER)
               || till_pay_error_get_http_status (error) < 500))
    {
      /* WeChat Pay's verified refusal, or the request never left: nothing was charged. */
      const char *code = till_pay_error_get_provider_code (error);

      g_message ("Payment %" G_GINT64_FORMAT " (%s) refused: %s (%s)", op->payment_id,
                 op->out_trade_no, error->message, code ? code : "-");
      till_pay_op_set_detail (op, error->message);
      till_pay_op_persist (op, TILL_PAYMENT_STATE_FAILED, code != NULL ? code : error->message, NULL);
    }
  else
    {
      g_message ("Payment %" G_GINT64_FORMAT " (%s): outcome unknown: %s", op->payment_id,
                 op->out_trade_no, error->message);
      till_pay_op_persist (op, TILL_PAYMENT_STATE_IN_DOUBT, error->message, till_pay_op_poll_later);
    }
  till_pay_op_unref (op);
}

void
till_pay_op_start_codepay (PayOp *op)
{
  TillPaymentService *self = op->svc;
  g_autofree char *auth_code = g_steal_pointer (&op->auth_code);
  TillWxpayCodepayRequest request = {
    .out_trade_no = op->out_trade_no,
    .auth_code = auth_code,
    .description = self->description,
    .amount_total = op->amount,
    .device_id = self->device_id,
    .store_out_id = self->store_id,
  };

  op->pay_call_at = MAX (op->pay_call_at, till_payment_service_now_us (self));
  till_wxpay_client_codepay_async (self->client, &request, self->cancellable, codepay_cb,
                                   till_pay_op_ref (op));
  till_crash_point_deferred ("pay.after_send_before_answer", 300);
}

/* ---- Native */

static void
native_shown (PayOp *op)
{
  g_signal_emit (op->svc, till_payment_service_signals[SIGNAL_NATIVE_CODE], 0, op->payment_id, op->code_url);
  if (op->task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&op->task);
      g_task_return_pointer (task, till_pay_op_outcome (op), (GDestroyNotify) till_payment_outcome_free);
    }
  till_pay_op_poll_later (op);
}

static void
native_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PayOp *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *code_url = NULL;

  code_url = till_wxpay_client_native_finish (TILL_WXPAY_CLIENT (source), result, &error);
  if (!till_pay_op_alive (op))
    {
      till_pay_op_unref (op);
      return;
    }
  till_crash_point_check_deferred ("native.after_send_before_answer");
  till_crash_point ("native.after_answer_before_commit");
  if (code_url != NULL)
    {
      op->code_url = g_steal_pointer (&code_url);
      till_pay_op_persist (op, TILL_PAYMENT_STATE_USER_PAYING, NULL, native_shown);
    }
  else if (till_pay_error_is_definite (error))
    {
      till_pay_op_set_detail (op, error->message);
      till_pay_op_persist (op, TILL_PAYMENT_STATE_FAILED, till_pay_error_get_provider_code (error), NULL);
    }
  else
    {
      /* Nobody has the code to pay it with, but the order may exist: close it. */
      g_message ("Payment %" G_GINT64_FORMAT " (%s): Native order unknown: %s", op->payment_id,
                 op->out_trade_no, error->message);
      till_pay_op_set_detail (op, error->message);
      till_pay_op_begin_cancel (op, error->message);
    }
  till_pay_op_unref (op);
}

void
till_pay_op_start_native (PayOp *op)
{
  TillPaymentService *self = op->svc;
  TillWxpayNativeRequest request = {
    .out_trade_no = op->out_trade_no,
    .description = self->description,
    .amount_total = op->amount,
    .notify_url = self->notify_url,
  };

  op->pay_call_at = MAX (op->pay_call_at, till_payment_service_now_us (self));
  till_wxpay_client_native_async (self->client, &request, self->cancellable, native_cb,
                                  till_pay_op_ref (op));
  till_crash_point_deferred ("native.after_send_before_answer", 300);
}
