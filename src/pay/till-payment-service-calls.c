/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One payment's provider calls: code pay, a QR order (Native), and the reverse/close that
 * cancels it (with the outbox as the fallback). */
#define G_LOG_DOMAIN "till-pay"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "till-crash.h"
#include "till-payment-service-private.h"
#include "till-store-outbox.h"

/* Whether a failed reverse/close is the provider's definite refusal (not rate limiting):
 * where the order ended must then be asked. */
static gboolean
provider_refused (const GError *error)
{
  TillPayFailure failure = till_pay_error_get_failure (error);

  return failure == TILL_PAY_FAILURE_REFUSED || failure == TILL_PAY_FAILURE_NOT_FOUND;
}

/* Whether the payment is Alipay's (the words for the cashier name its provider). */
static gboolean
op_is_alipay (PayOp *op)
{
  return g_strcmp0 (till_payment_method_get_provider (op->method), TILL_PAY_PROVIDER_ALIPAY) == 0;
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
      op->message = g_strdup (op_is_alipay (op)
                                ? _("The cancellation will finish by itself when Alipay can be "
                                    "reached — do not charge again")
                                : _("The cancellation will finish by itself when WeChat Pay can "
                                    "be reached — do not charge again"));
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
             op->out_trade_no, till_pay_op_is_qr (op) ? "close" : "reverse", op->reverse_failures,
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
  call->job_kind = till_pay_op_is_qr (op) ? TILL_OUTBOX_KIND_CLOSE_ORDER : TILL_OUTBOX_KIND_REVERSE;
  call->job_key = till_pay_op_is_qr (op) ? g_strconcat ("close:", op->out_trade_no, NULL)
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
  g_autoptr(TillPayTrade) trade = NULL;

  trade = till_pay_provider_query_finish (TILL_PAY_PROVIDER (source), result, &error);
  if (!till_pay_op_alive (op))
    {
      till_pay_op_unref (op);
      return;
    }
  if (trade == NULL)
    op_cancel_failed (op, error);
  else
    switch (trade->state)
      {
      case TILL_PAY_TRADE_PAID:
        /* The customer paid just before the cancel (a QR paid as the cashier gave up): the
         * money is recorded; the sale takes it, or it is refunded by itself. */
        g_message ("Payment %" G_GINT64_FORMAT " (%s) could not be cancelled: it is paid",
                   op->payment_id, op->out_trade_no);
        till_pay_op_persist_paid (op, trade->transaction_id);
        break;
      case TILL_PAY_TRADE_REVERSED:
        till_pay_op_persist (op, TILL_PAYMENT_STATE_REVERSED, trade->provider_state, NULL);
        break;
      case TILL_PAY_TRADE_CLOSED:
        till_pay_op_persist (op, till_pay_op_is_qr (op) ? TILL_PAYMENT_STATE_CLOSED : TILL_PAYMENT_STATE_REVERSED,
                    trade->provider_state, NULL);
        break;
      case TILL_PAY_TRADE_UNKNOWN:
      case TILL_PAY_TRADE_USER_PAYING:
      case TILL_PAY_TRADE_NOT_PAID:
      case TILL_PAY_TRADE_FAILED:
      default:
        {
          g_autoptr(GError) still = g_error_new (TILL_PAY_ERROR, TILL_PAY_ERROR_FAILED,
                                                 _("The order is still %s after it was "
                                                   "cancelled"),
                                                 trade->provider_state ? trade->provider_state
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
      till_pay_op_persist (op, till_pay_op_is_qr (op) ? TILL_PAYMENT_STATE_CLOSED : TILL_PAYMENT_STATE_REVERSED,
                  NULL, NULL);
      return;
    }
  if (till_pay_error_get_failure (error) == TILL_PAY_FAILURE_NOT_FOUND)
    {
      /* The order never reached the provider: nothing can be charged. */
      const char *code = till_pay_error_get_provider_code (error);

      till_pay_op_set_detail (op, op_is_alipay (op)
                                    ? _("Alipay never received this payment; nothing was charged")
                                    : _("WeChat Pay never received this payment; nothing was "
                                        "charged"));
      till_pay_op_persist (op, TILL_PAYMENT_STATE_FAILED, code != NULL ? code : error->message,
                           NULL);
      return;
    }
  if (provider_refused (error))
    {
      till_pay_provider_query_async (op->provider, op->out_trade_no, op->svc->cancellable,
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
  gboolean ok = till_pay_provider_cancel_finish (TILL_PAY_PROVIDER (source), result, &error);

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
  gboolean ok = till_pay_provider_close_finish (TILL_PAY_PROVIDER (source), result, &error);

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

  if (till_pay_op_is_qr (op))
    {
      g_message ("Payment %" G_GINT64_FORMAT " (%s): close", op->payment_id, op->out_trade_no);
      till_pay_provider_close_async (op->provider, op->out_trade_no, self->cancellable,
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
  till_pay_provider_cancel_async (op->provider, op->out_trade_no, self->cancellable,
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
  g_autoptr(TillPayTrade) trade = NULL;

  trade = till_pay_provider_pay_code_finish (TILL_PAY_PROVIDER (source), result, NULL);
  if (!till_pay_op_alive (op))
    {
      till_pay_op_unref (op);
      return;
    }
  till_crash_point_check_deferred ("pay.after_send_before_answer");
  till_crash_point ("pay.after_answer_before_commit");
  /* The 15 s count from the pay call as the provider saw it: it had the request by the
   * time the answer (or the client's timeout) came back, so counting from now never
   * starts too early. */
  op->pay_call_at = MAX (op->pay_call_at, till_payment_service_now_us (op->svc));
  if (trade == NULL)   /* only when the service's own wait was cancelled: not alive */
    trade = till_pay_trade_new (TILL_PAY_TRADE_UNKNOWN);
  switch (trade->state)
    {
    case TILL_PAY_TRADE_PAID:
      till_pay_op_persist_paid (op, trade->transaction_id);
      break;
    case TILL_PAY_TRADE_USER_PAYING:
      till_pay_op_persist (op, TILL_PAYMENT_STATE_USER_PAYING, NULL, till_pay_op_poll_later);
      break;
    case TILL_PAY_TRADE_FAILED:
      /* The provider's verified refusal, or the request never left: nothing was
       * charged. */
      g_message ("Payment %" G_GINT64_FORMAT " (%s) refused: %s (%s)", op->payment_id,
                 op->out_trade_no, trade->message ? trade->message : "-",
                 trade->code ? trade->code : "-");
      till_pay_op_set_detail (op, trade->message);
      till_pay_op_persist (op, TILL_PAYMENT_STATE_FAILED,
                           trade->code != NULL ? trade->code : trade->message, NULL);
      break;
    case TILL_PAY_TRADE_UNKNOWN:
    case TILL_PAY_TRADE_NOT_PAID:
    case TILL_PAY_TRADE_CLOSED:
    case TILL_PAY_TRADE_REVERSED:
    default:
      /* No answer, or one this flow does not expect: ask again rather than guess. */
      g_message ("Payment %" G_GINT64_FORMAT " (%s): outcome unknown: %s", op->payment_id,
                 op->out_trade_no, trade->provider_state != NULL ? trade->provider_state
                                   : trade->message != NULL ? trade->message : "-");
      till_pay_op_persist (op, TILL_PAYMENT_STATE_IN_DOUBT,
                           trade->provider_state != NULL ? trade->provider_state : trade->message,
                           till_pay_op_poll_later);
      break;
    }
  till_pay_op_unref (op);
}

void
till_pay_op_start_codepay (PayOp *op)
{
  TillPaymentService *self = op->svc;
  g_autofree char *auth_code = g_steal_pointer (&op->auth_code);
  TillPayCodeRequest request = {
    .out_trade_no = op->out_trade_no,
    .amount_fen = op->amount,
    .auth_code = auth_code,
    .description = self->description,
    .device_id = self->device_id,
    .store_id = self->store_id,
  };

  op->pay_call_at = MAX (op->pay_call_at, till_payment_service_now_us (self));
  till_pay_provider_pay_code_async (op->provider, &request, self->cancellable, codepay_cb,
                                    till_pay_op_ref (op));
  till_crash_point_deferred ("pay.after_send_before_answer", 300);
}

/* ---- a QR order (Native) */

static void
qr_shown (PayOp *op)
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
qr_cb (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  PayOp *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *code_url = NULL;

  code_url = till_pay_provider_create_qr_finish (TILL_PAY_PROVIDER (source), result, &error);
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
      till_pay_op_persist (op, TILL_PAYMENT_STATE_USER_PAYING, NULL, qr_shown);
    }
  else if (till_pay_error_is_definite (error))
    {
      till_pay_op_set_detail (op, error->message);
      till_pay_op_persist (op, TILL_PAYMENT_STATE_FAILED, till_pay_error_get_provider_code (error), NULL);
    }
  else
    {
      /* Nobody has the code to pay it with, but the order may exist: close it. */
      g_message ("Payment %" G_GINT64_FORMAT " (%s): QR order unknown: %s", op->payment_id,
                 op->out_trade_no, error->message);
      till_pay_op_set_detail (op, error->message);
      till_pay_op_begin_cancel (op, error->message);
    }
  till_pay_op_unref (op);
}

void
till_pay_op_start_qr (PayOp *op)
{
  TillPaymentService *self = op->svc;
  TillPayQrRequest request = {
    .out_trade_no = op->out_trade_no,
    .amount_fen = op->amount,
    .description = self->description,
    .device_id = self->device_id,
    .store_id = self->store_id,
  };

  op->pay_call_at = MAX (op->pay_call_at, till_payment_service_now_us (self));
  till_pay_provider_create_qr_async (op->provider, &request, self->cancellable, qr_cb,
                                     till_pay_op_ref (op));
  till_crash_point_deferred ("native.after_send_before_answer", 300);
}
