/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One payment's state machine: its store calls, storing each state it reaches, timers and
 * polling until the payment is settled. */
#define G_LOG_DOMAIN "till-pay"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "till-crash.h"
#include "till-payment-service-private.h"
#include "till-store-outbox.h"

static void
replace_str (char       **field,
             const char  *value)
{
  if (*field != value)
    {
      g_free (*field);
      *field = g_strdup (value);
    }
}


static void
store_call_clear (StoreCall *call)
{
  g_free (call->store_id);
  g_free (call->device_id);
  g_free (call->last4);
  g_free (call->transaction_id);
  g_free (call->last_error);
  g_free (call->job_key);
  g_free (call->payload);
  g_free (call->out_trade_no);
  g_clear_pointer (&call->record, till_payment_record_free);
}

StoreCall *
till_payment_store_call_new (CallKind kind)
{
  StoreCall *call = g_atomic_rc_box_new0 (StoreCall);

  call->kind = kind;
  return call;
}

void
till_payment_store_call_unref (StoreCall *call)
{
  g_atomic_rc_box_release_full (call, (GDestroyNotify) store_call_clear);
}

static gpointer
store_call_run (TillStore *store,
                gpointer   data,
                GError   **error)
{
  StoreCall *call = data;
  gboolean ok = FALSE;

  switch (call->kind)
    {
    case CALL_BEGIN:
      call->payment_id = till_store_payment_begin (store, call->sale_id, call->method,
                                                   call->amount, call->store_id,
                                                   call->device_id, call->last4, call->now,
                                                   call->deadline, &call->out_trade_no, error);
      ok = call->payment_id > 0;
      break;
    case CALL_UPDATE:
      ok = till_store_payment_update (store, call->payment_id, call->state,
                                      call->transaction_id, call->last_error, error);
      break;
    case CALL_PAID:
      ok = till_store_payment_mark_paid_full (store, call->payment_id, call->transaction_id,
                                              &call->sale_paid, &call->refund_id, error);
      break;
    case CALL_ENQUEUE:
      {
        g_autoptr(TillOutboxJob) job = till_store_outbox_enqueue (store, call->job_kind,
                                                                  call->job_key, call->payload,
                                                                  call->now, NULL, error);
        ok = job != NULL;
        /* Work found unfinished again: a finished or abandoned job for it is re-armed. */
        if (ok && (job->state == TILL_OUTBOX_STATE_DEAD || job->state == TILL_OUTBOX_STATE_DONE))
          ok = till_store_outbox_revive (store, job->id, call->now, error);
      }
      break;
    case CALL_GET:
      call->record = till_store_get_payment (store, call->payment_id, error);
      ok = call->record != NULL;
      break;
    default:
      g_assert_not_reached ();
    }
  return ok ? g_atomic_rc_box_acquire (call) : NULL;
}

void
till_payment_store_call_async (TillPaymentService  *self,
                  StoreCall           *call,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  /* Not cancellable: a state that was reached is always written. */
  till_store_run_async (self->store, store_call_run, g_atomic_rc_box_acquire (call),
                        (GDestroyNotify) till_payment_store_call_unref,
                        (GDestroyNotify) till_payment_store_call_unref, NULL, callback, user_data);
}

/* ---------------------------------------------------------------- one payment */

PayOp *
till_pay_op_ref (PayOp *op)
{
  op->ref++;
  return op;
}

void
till_pay_op_unref (PayOp *op)
{
  if (--op->ref > 0)
    return;
  g_assert (op->task == NULL);
  g_assert (op->timer_id == 0);
  g_clear_object (&op->provider);
  g_free (op->out_trade_no);
  g_free (op->auth_code);
  g_free (op->code_url);
  g_free (op->transaction_id);
  g_free (op->message);
  g_free (op->detail);
  g_ptr_array_unref (op->waiters);
  g_free (op);
}

PayOp *
till_pay_op_new (TillPaymentService *self)
{
  PayOp *op = g_new0 (PayOp, 1);

  op->ref = 1;
  op->svc = self;
  op->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  return op;
}

gboolean
till_pay_op_is_qr (PayOp *op)
{
  return op->scene == TILL_PAY_SCENE_QR;
}

/* An async callback's check: FALSE when the op no longer runs (shut down or finished). */
gboolean
till_pay_op_alive (PayOp *op)
{
  return op->svc != NULL && !op->svc->shut_down;
}

TillPaymentOutcome *
till_pay_op_outcome (PayOp *op)
{
  TillPaymentOutcome *outcome = g_new0 (TillPaymentOutcome, 1);

  outcome->payment_id = op->payment_id;
  outcome->state = op->state;
  outcome->out_trade_no = g_strdup (op->out_trade_no);
  outcome->transaction_id = g_strdup (op->transaction_id);
  outcome->message = g_strdup (op->message);
  outcome->code_url = g_strdup (op->code_url);
  outcome->sale_paid = op->sale_paid;
  outcome->refunded_late = op->late_refund_id > 0;
  return outcome;
}

void
till_pay_op_cancel_timer (PayOp *op)
{
  g_clear_handle_id (&op->timer_id, g_source_remove);
  op->timer_step = NULL;
}

/* The op ends: its caller and waiters get the outcome; `error` (may be NULL) is given to
 * waiters when the payment is not final (it was left to the outbox or could not go on). */
void
till_pay_op_finish (PayOp        *op,
           const GError *error)
{
  TillPaymentService *self = op->svc;
  gboolean final = till_payment_state_is_final (op->state);

  till_pay_op_cancel_timer (op);
  if (op->task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&op->task);

      if (error != NULL && !op->queued && !final)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_pointer (task, till_pay_op_outcome (op), (GDestroyNotify) till_payment_outcome_free);
    }
  for (guint i = 0; i < op->waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (op->waiters, i);

      if (final)
        g_task_return_boolean (waiter, TRUE);
      else if (error != NULL)
        g_task_return_error (waiter, g_error_copy (error));
      else
        g_task_return_new_error (waiter, TILL_PAY_ERROR, TILL_PAY_ERROR_FAILED,
                                 _("The payment could not be finished yet"));
    }
  g_ptr_array_set_size (op->waiters, 0);

  if (self != NULL)
    {
      op->svc = NULL;
      g_hash_table_remove (self->ops, &op->payment_id);   /* drops the table's ref */
    }
}

void
till_pay_op_emit_changed (PayOp *op)
{
  g_signal_emit (op->svc, till_payment_service_signals[SIGNAL_PAYMENT_CHANGED], 0, op->payment_id,
                 till_payment_state_to_string (op->state), op->message);
}

/* A store failure: nothing more can be done safely now; the row keeps its last stored
 * state and is resumed at the next start. */
void
till_pay_op_store_failed (PayOp  *op,
                 GError *error)
{
  g_warning ("Payment %" G_GINT64_FORMAT " (%s): the store failed: %s", op->payment_id,
             op->out_trade_no, error->message);
  till_pay_op_finish (op, error);
}

/* ---- persisting a state, then the next step */

typedef struct
{
  PayOp  *op;
  OpStep  next;
} PersistData;

static void
persist_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  PersistData *data = user_data;
  PayOp *op = data->op;
  OpStep next = data->next;
  g_autoptr(GError) error = NULL;
  StoreCall *call = till_store_run_finish (TILL_STORE (source), result, &error);

  g_free (data);
  if (call == NULL)
    {
      if (till_pay_op_alive (op))
        till_pay_op_store_failed (op, error);
      till_pay_op_unref (op);
      return;
    }
  if (till_pay_op_alive (op))
    {
      op->state = call->kind == CALL_PAID ? TILL_PAYMENT_STATE_PAID : call->state;
      if (call->kind == CALL_PAID)
        {
          op->sale_paid = call->sale_paid;
          op->late_refund_id = call->refund_id;
          if (call->transaction_id != NULL)
            replace_str (&op->transaction_id, call->transaction_id);
        }
      g_free (op->message);
      if (op->late_refund_id > 0)
        /* Charged for a sale that was voided or paid otherwise meanwhile: the store has
         * committed the refund and its outbox job. */
        op->message = g_strdup (_("The customer paid after this sale was closed: the money "
                                  "is being refunded automatically"));
      else
        op->message = till_payment_service_describe (op->state, op->detail);
      till_pay_op_emit_changed (op);
      if (op->late_refund_id > 0)
        g_signal_emit (op->svc, till_payment_service_signals[SIGNAL_OUTBOX_CHANGED], 0);
      if (till_payment_state_is_final (op->state))
        till_pay_op_finish (op, NULL);
      else if (next != NULL)
        next (op);
    }
  till_payment_store_call_unref (call);
  till_pay_op_unref (op);
}

void
till_pay_op_persist (PayOp            *op,
            TillPaymentState  state,
            const char       *last_error,
            OpStep            next)
{
  StoreCall *call = till_payment_store_call_new (CALL_UPDATE);
  PersistData *data = g_new0 (PersistData, 1);

  call->payment_id = op->payment_id;
  call->state = state;
  call->last_error = g_strdup (last_error);
  data->op = till_pay_op_ref (op);
  data->next = next;
  till_payment_store_call_async (op->svc, call, persist_cb, data);
  till_payment_store_call_unref (call);
}

void
till_pay_op_persist_paid (PayOp      *op,
                 const char *transaction_id)
{
  StoreCall *call = till_payment_store_call_new (CALL_PAID);
  PersistData *data = g_new0 (PersistData, 1);

  call->payment_id = op->payment_id;
  call->transaction_id = g_strdup (transaction_id);
  data->op = till_pay_op_ref (op);
  till_payment_store_call_async (op->svc, call, persist_cb, data);
  till_payment_store_call_unref (call);
}

void
till_pay_op_set_detail (PayOp      *op,
               const char *detail)
{
  replace_str (&op->detail, detail);
}

/* ---- timers */

static gboolean
timer_cb (gpointer user_data)
{
  PayOp *op = user_data;
  OpStep step = op->timer_step;

  op->timer_id = 0;
  op->timer_step = NULL;
  if (till_pay_op_alive (op) && step != NULL)
    step (op);
  return G_SOURCE_REMOVE;
}

void
till_pay_op_schedule (PayOp  *op,
             gint64  delay_ms,
             OpStep  step)
{
  till_pay_op_cancel_timer (op);
  op->timer_step = step;
  op->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) CLAMP (delay_ms, 0, G_MAXINT),
                                     timer_cb, till_pay_op_ref (op), (GDestroyNotify) till_pay_op_unref);
}

static void op_after_unsettled (PayOp *op);

/* ---- polling */

static void
handle_trade (PayOp              *op,
              const TillPayTrade *trade)
{
  switch (trade->state)
    {
    case TILL_PAY_TRADE_PAID:
      till_pay_op_persist_paid (op, trade->transaction_id);
      break;
    case TILL_PAY_TRADE_USER_PAYING:
      if (op->state != TILL_PAYMENT_STATE_USER_PAYING
          && op->state != TILL_PAYMENT_STATE_REVERSING)
        till_pay_op_persist (op, TILL_PAYMENT_STATE_USER_PAYING, NULL, op_after_unsettled);
      else
        op_after_unsettled (op);
      break;
    case TILL_PAY_TRADE_FAILED:
      /* The payment failed at the provider: cancel the order so that it stays unpaid. */
      till_pay_op_set_detail (op, trade->message);
      till_pay_op_begin_cancel (op, trade->provider_state != NULL ? trade->provider_state
                                                                  : "failed");
      break;
    case TILL_PAY_TRADE_REVERSED:
      till_pay_op_persist (op, TILL_PAYMENT_STATE_REVERSED, trade->provider_state, NULL);
      break;
    case TILL_PAY_TRADE_CLOSED:
      till_pay_op_set_detail (op, trade->message);
      till_pay_op_persist (op, till_pay_op_is_qr (op) ? TILL_PAYMENT_STATE_CLOSED : TILL_PAYMENT_STATE_FAILED,
                  trade->provider_state, NULL);
      break;
    case TILL_PAY_TRADE_NOT_PAID:
    case TILL_PAY_TRADE_UNKNOWN:
    default:
      op_after_unsettled (op);
      break;
    }
}

/* Not settled yet: poll again, or at the deadline (or when the cashier gave up) cancel. */
static void
op_after_unsettled (PayOp *op)
{
  TillPaymentService *self = op->svc;
  gint64 now = till_payment_service_now_us (self);

  if (op->state == TILL_PAYMENT_STATE_REVERSING)
    {
      till_pay_op_cancel_step (op);
      return;
    }
  if (op->cancel_requested || now >= op->deadline_at)
    {
      till_pay_op_begin_cancel (op, op->cancel_requested ? "cancelled by the cashier" : "deadline");
      return;
    }
  till_pay_op_schedule (op, MIN ((gint64) self->interval_ms, (op->deadline_at - now + 999) / 1000),
               till_pay_op_query);
}

static void
query_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  PayOp *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPayTrade) trade = NULL;

  trade = till_pay_provider_query_finish (TILL_PAY_PROVIDER (source), result, &error);
  if (till_pay_op_alive (op))
    {
      if (trade != NULL)
        handle_trade (op, trade);
      else
        {
          g_message ("Payment %" G_GINT64_FORMAT " (%s): query: %s", op->payment_id,
                     op->out_trade_no, error->message);
          op_after_unsettled (op);
        }
    }
  till_pay_op_unref (op);
}

void
till_pay_op_query (PayOp *op)
{
  if (op->cancel_requested && op->state != TILL_PAYMENT_STATE_IN_DOUBT
      && op->state != TILL_PAYMENT_STATE_SUBMITTING)
    {
      till_pay_op_begin_cancel (op, "cancelled by the cashier");
      return;
    }
  /* Native: the QR code is on the customer display between these polls. */
  till_crash_point (till_pay_op_is_qr (op) ? "native.while_polling" : "pay.while_polling");
  till_pay_provider_query_async (op->provider, op->out_trade_no, op->svc->cancellable,
                                 query_cb, till_pay_op_ref (op));
}

void
till_pay_op_poll_later (PayOp *op)
{
  till_pay_op_schedule (op, op->svc->interval_ms, till_pay_op_query);
}
