/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The payment flow: code pay and Native, query/reverse/close to a final state, the outbox
 * fallback, and resuming unfinished payments after a crash. */
#define G_LOG_DOMAIN "till-pay"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "till-crash.h"
#include "till-payment-service.h"
#include "till-store-outbox.h"

#define DEFAULT_INTERVAL_MS        5000
#define DEFAULT_DEADLINE_MS        30000
#define DEFAULT_NATIVE_DEADLINE_MS 300000
#define DEFAULT_REVERSE_DELAY_MS   15000
#define DEFAULT_REVERSE_ATTEMPTS   3
#define DEFAULT_REVERSE_RETRY_MS   1000
/* A resumed payment's stored pay-call time was taken just before its row was committed;
 * its request may have reached WeChat Pay up to the client's timeout later. */
#define RESUME_MARGIN_US           (G_USEC_PER_SEC)

/* ---------------------------------------------------------------- outcome */

G_DEFINE_BOXED_TYPE (TillPaymentOutcome, till_payment_outcome,
                     till_payment_outcome_copy, till_payment_outcome_free)

TillPaymentOutcome *
till_payment_outcome_copy (const TillPaymentOutcome *outcome)
{
  TillPaymentOutcome *copy;

  g_return_val_if_fail (outcome != NULL, NULL);
  copy = g_memdup2 (outcome, sizeof *outcome);
  copy->out_trade_no = g_strdup (outcome->out_trade_no);
  copy->transaction_id = g_strdup (outcome->transaction_id);
  copy->message = g_strdup (outcome->message);
  copy->code_url = g_strdup (outcome->code_url);
  return copy;
}

void
till_payment_outcome_free (TillPaymentOutcome *outcome)
{
  if (outcome == NULL)
    return;
  g_free (outcome->out_trade_no);
  g_free (outcome->transaction_id);
  g_free (outcome->message);
  g_free (outcome->code_url);
  g_free (outcome);
}

/* ---------------------------------------------------------------- the object */

struct _TillPaymentService
{
  GObject           parent_instance;

  TillStore        *store;
  TillWxpayClient  *client;
  char             *store_id;
  char             *device_id;
  char             *description;
  char             *notify_url;
  guint             interval_ms;
  guint             deadline_ms;
  guint             native_deadline_ms;
  guint             reverse_delay_ms;
  guint             reverse_attempts;
  guint             reverse_retry_ms;
  TillPaymentClockFunc clock;
  gpointer          clock_data;

  GHashTable       *ops;          /* gint64* payment id -> PayOp* (one ref) */
  GCancellable     *cancellable;  /* every request; cancelled by shutdown */
  gboolean          shut_down;
};

G_DEFINE_FINAL_TYPE (TillPaymentService, till_payment_service, G_TYPE_OBJECT)

enum
{
  SIGNAL_PAYMENT_CHANGED,
  SIGNAL_NATIVE_CODE,
  SIGNAL_OUTBOX_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gint64
now_us (TillPaymentService *self)
{
  return self->clock != NULL ? self->clock (self->clock_data) : g_get_real_time ();
}

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

/* ---------------------------------------------------------------- messages */

char *
till_payment_service_describe (TillPaymentState state,
                               const char      *detail)
{
  switch (state)
    {
    case TILL_PAYMENT_STATE_SUBMITTING:
      return g_strdup (_("正在付款… · Sending the payment…"));
    case TILL_PAYMENT_STATE_USER_PAYING:
      return g_strdup (_("请在手机上确认付款 · Please confirm the payment on your phone"));
    case TILL_PAYMENT_STATE_IN_DOUBT:
      return g_strdup (_("正在确认付款结果，请勿重复收款 · Checking this payment — do not "
                         "charge again"));
    case TILL_PAYMENT_STATE_REVERSING:
      return g_strdup (_("正在撤销这笔付款，请勿重复收款 · Cancelling this payment — do not "
                         "charge again"));
    case TILL_PAYMENT_STATE_PAID:
      return g_strdup (_("支付成功 · Paid"));
    case TILL_PAYMENT_STATE_FAILED:
      return g_strdup_printf (_("%s — 请换一种方式付款 · take another payment"),
                              detail != NULL ? detail : _("付款失败 · The payment failed"));
    case TILL_PAYMENT_STATE_REVERSED:
      return g_strdup (_("未扣款 · Not charged: take another payment"));
    case TILL_PAYMENT_STATE_CLOSED:
      return g_strdup (_("订单已关闭，未扣款 · Order closed, not charged: take another payment"));
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ---------------------------------------------------------------- store calls */

typedef enum
{
  CALL_BEGIN,
  CALL_UPDATE,
  CALL_PAID,
  CALL_ENQUEUE,
  CALL_GET,
} CallKind;

/* One store operation run on the store thread; shared (atomic refcount) between the
 * caller and the store's job. */
typedef struct
{
  CallKind          kind;
  gint64            payment_id;
  gint64            sale_id;
  gint64            amount;
  gint64            now;
  gint64            deadline;
  TillPaymentMethod method;
  char             *store_id;
  char             *device_id;
  char             *last4;
  TillPaymentState  state;
  char             *transaction_id;
  char             *last_error;
  const char       *job_kind;
  char             *job_key;
  char             *payload;
  /* results */
  char             *out_trade_no;
  gboolean          sale_paid;
  TillPaymentRecord *record;
} StoreCall;

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

static StoreCall *
store_call_new (CallKind kind)
{
  StoreCall *call = g_atomic_rc_box_new0 (StoreCall);

  call->kind = kind;
  return call;
}

static void
store_call_unref (StoreCall *call)
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
      ok = till_store_payment_mark_paid (store, call->payment_id, call->transaction_id,
                                         &call->sale_paid, error);
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

static void
store_call_async (TillPaymentService  *self,
                  StoreCall           *call,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  /* Not cancellable: a state that was reached is always written. */
  till_store_run_async (self->store, store_call_run, g_atomic_rc_box_acquire (call),
                        (GDestroyNotify) store_call_unref,
                        (GDestroyNotify) store_call_unref, NULL, callback, user_data);
}

/* ---------------------------------------------------------------- one payment */

typedef struct _PayOp PayOp;
typedef void (*OpStep) (PayOp *op);

struct _PayOp
{
  int                 ref;
  TillPaymentService *svc;            /* NULL once finished or shut down */
  gint64              payment_id;
  gint64              sale_id;
  TillPaymentMethod   method;
  gint64              amount;
  char               *out_trade_no;
  char               *auth_code;      /* only until the codepay is sent */
  char               *code_url;
  char               *transaction_id;
  char               *message;
  char               *detail;         /* reason of a failure, for the message */
  TillPaymentState    state;
  gint64              pay_call_at;
  gint64              deadline_at;
  guint               reverse_failures;
  guint               timer_id;
  OpStep              timer_step;
  gboolean            cancel_requested;
  gboolean            from_worker;    /* resolve: no in-flow retries, no outbox */
  gboolean            sale_paid;
  gboolean            queued;         /* handed to the outbox */
  GTask              *task;           /* pay_code / pay_native */
  GPtrArray          *waiters;        /* resolve tasks */
};

static PayOp *
op_ref (PayOp *op)
{
  op->ref++;
  return op;
}

static void
op_unref (PayOp *op)
{
  if (--op->ref > 0)
    return;
  g_assert (op->task == NULL);
  g_assert (op->timer_id == 0);
  g_free (op->out_trade_no);
  g_free (op->auth_code);
  g_free (op->code_url);
  g_free (op->transaction_id);
  g_free (op->message);
  g_free (op->detail);
  g_ptr_array_unref (op->waiters);
  g_free (op);
}

static PayOp *
op_new (TillPaymentService *self)
{
  PayOp *op = g_new0 (PayOp, 1);

  op->ref = 1;
  op->svc = self;
  op->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  return op;
}

static gboolean
op_is_native (PayOp *op)
{
  return op->method == TILL_PAYMENT_METHOD_WECHAT_NATIVE;
}

/* An async callback's check: FALSE when the op no longer runs (shut down or finished). */
static gboolean
op_alive (PayOp *op)
{
  return op->svc != NULL && !op->svc->shut_down;
}

static TillPaymentOutcome *
op_outcome (PayOp *op)
{
  TillPaymentOutcome *outcome = g_new0 (TillPaymentOutcome, 1);

  outcome->payment_id = op->payment_id;
  outcome->state = op->state;
  outcome->out_trade_no = g_strdup (op->out_trade_no);
  outcome->transaction_id = g_strdup (op->transaction_id);
  outcome->message = g_strdup (op->message);
  outcome->code_url = g_strdup (op->code_url);
  outcome->sale_paid = op->sale_paid;
  return outcome;
}

static void
op_cancel_timer (PayOp *op)
{
  g_clear_handle_id (&op->timer_id, g_source_remove);
  op->timer_step = NULL;
}

/* The op ends: its caller and waiters get the outcome; `error` (may be NULL) is given to
 * waiters when the payment is not final (it was left to the outbox or could not go on). */
static void
op_finish (PayOp        *op,
           const GError *error)
{
  TillPaymentService *self = op->svc;
  gboolean final = till_payment_state_is_final (op->state);

  op_cancel_timer (op);
  if (op->task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&op->task);

      if (error != NULL && !op->queued && !final)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_pointer (task, op_outcome (op), (GDestroyNotify) till_payment_outcome_free);
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

static void
op_emit_changed (PayOp *op)
{
  g_signal_emit (op->svc, signals[SIGNAL_PAYMENT_CHANGED], 0, op->payment_id,
                 till_payment_state_to_string (op->state), op->message);
}

/* A store failure: nothing more can be done safely now; the row keeps its last stored
 * state and is resumed at the next start. */
static void
op_store_failed (PayOp  *op,
                 GError *error)
{
  g_warning ("Payment %" G_GINT64_FORMAT " (%s): the store failed: %s", op->payment_id,
             op->out_trade_no, error->message);
  op_finish (op, error);
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
      if (op_alive (op))
        op_store_failed (op, error);
      op_unref (op);
      return;
    }
  if (op_alive (op))
    {
      op->state = call->kind == CALL_PAID ? TILL_PAYMENT_STATE_PAID : call->state;
      if (call->kind == CALL_PAID)
        {
          op->sale_paid = call->sale_paid;
          if (call->transaction_id != NULL)
            replace_str (&op->transaction_id, call->transaction_id);
        }
      g_free (op->message);
      op->message = till_payment_service_describe (op->state, op->detail);
      op_emit_changed (op);
      if (till_payment_state_is_final (op->state))
        op_finish (op, NULL);
      else if (next != NULL)
        next (op);
    }
  store_call_unref (call);
  op_unref (op);
}

static void
op_persist (PayOp            *op,
            TillPaymentState  state,
            const char       *last_error,
            OpStep            next)
{
  StoreCall *call = store_call_new (CALL_UPDATE);
  PersistData *data = g_new0 (PersistData, 1);

  call->payment_id = op->payment_id;
  call->state = state;
  call->last_error = g_strdup (last_error);
  data->op = op_ref (op);
  data->next = next;
  store_call_async (op->svc, call, persist_cb, data);
  store_call_unref (call);
}

static void
op_persist_paid (PayOp      *op,
                 const char *transaction_id)
{
  StoreCall *call = store_call_new (CALL_PAID);
  PersistData *data = g_new0 (PersistData, 1);

  call->payment_id = op->payment_id;
  call->transaction_id = g_strdup (transaction_id);
  data->op = op_ref (op);
  store_call_async (op->svc, call, persist_cb, data);
  store_call_unref (call);
}

static void
op_set_detail (PayOp      *op,
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
  if (op_alive (op) && step != NULL)
    step (op);
  return G_SOURCE_REMOVE;
}

static void
op_schedule (PayOp  *op,
             gint64  delay_ms,
             OpStep  step)
{
  op_cancel_timer (op);
  op->timer_step = step;
  op->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) CLAMP (delay_ms, 0, G_MAXINT),
                                     timer_cb, op_ref (op), (GDestroyNotify) op_unref);
}

/* ---- forward */

static void op_query         (PayOp *op);
static void op_cancel_step   (PayOp *op);
static void op_after_unsettled (PayOp *op);
static void native_shown       (PayOp *op);


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

static void
op_begin_cancel (PayOp      *op,
                 const char *reason)
{
  op_cancel_timer (op);
  if (op->state == TILL_PAYMENT_STATE_REVERSING)
    op_cancel_step (op);
  else
    op_persist (op, TILL_PAYMENT_STATE_REVERSING, reason, op_cancel_step);
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
      if (op_alive (op))
        op_store_failed (op, error);
      op_unref (op);
      return;
    }
  store_call_unref (call);
  if (op_alive (op))
    {
      TillPaymentService *self = op->svc;

      op->queued = TRUE;
      g_free (op->message);
      op->message = g_strdup (_("撤销将在联网后自动完成，请勿重复收款 · The cancellation will "
                                "finish by itself when WeChat Pay can be reached — do not "
                                "charge again"));
      op_emit_changed (op);
      g_signal_emit (self, signals[SIGNAL_OUTBOX_CHANGED], 0);
      op_finish (op, NULL);
    }
  op_unref (op);
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
             op->out_trade_no, op_is_native (op) ? "close" : "reverse", op->reverse_failures,
             error->message);
  if (op->from_worker)
    {
      op_finish (op, error);
      return;
    }
  if (op->reverse_failures < op->svc->reverse_attempts)
    {
      op_schedule (op, (gint64) op->svc->reverse_retry_ms << (op->reverse_failures - 1),
                   op_cancel_step);
      return;
    }

  call = store_call_new (CALL_ENQUEUE);
  call->job_kind = op_is_native (op) ? TILL_OUTBOX_KIND_CLOSE_ORDER : TILL_OUTBOX_KIND_REVERSE;
  call->job_key = op_is_native (op) ? g_strconcat ("close:", op->out_trade_no, NULL)
                                    : g_strdup (op->out_trade_no);
  payload = g_string_new (NULL);
  g_string_append_printf (payload, "{\"payment_id\":%" G_GINT64_FORMAT ",\"out_trade_no\":\"%s\"}",
                          op->payment_id, op->out_trade_no);   /* [0-9A-Za-z_-] only */
  call->payload = g_string_free (g_steal_pointer (&payload), FALSE);
  call->now = now_us (op->svc);
  store_call_async (op->svc, call, enqueue_cb, op_ref (op));
  store_call_unref (call);
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
  if (!op_alive (op))
    {
      op_unref (op);
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
        op_persist_paid (op, txn->transaction_id);
        break;
      case TILL_WXPAY_TRADE_STATE_REVOKED:
        op_persist (op, TILL_PAYMENT_STATE_REVERSED, txn->trade_state_str, NULL);
        break;
      case TILL_WXPAY_TRADE_STATE_CLOSED:
        op_persist (op, op_is_native (op) ? TILL_PAYMENT_STATE_CLOSED : TILL_PAYMENT_STATE_REVERSED,
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
  op_unref (op);
}

static void
cancel_answer (PayOp        *op,
               gboolean      ok,
               const GError *error)
{
  if (ok)
    {
      op_persist (op, op_is_native (op) ? TILL_PAYMENT_STATE_CLOSED : TILL_PAYMENT_STATE_REVERSED,
                  NULL, NULL);
      return;
    }
  if (provider_refused (error) && provider_code_is (error, "ORDER_NOT_EXIST"))
    {
      /* The order never reached WeChat Pay: nothing can be charged. */
      op_set_detail (op, _("微信支付未收到这笔付款，未扣款 · WeChat Pay never received this "
                           "payment; nothing was charged"));
      op_persist (op, TILL_PAYMENT_STATE_FAILED, "ORDER_NOT_EXIST", NULL);
      return;
    }
  if (provider_refused (error))
    {
      till_wxpay_client_query_async (op->svc->client, op->out_trade_no, op->svc->cancellable,
                                     final_query_cb, op_ref (op));
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

  if (op_alive (op))
    {
      till_crash_point_check_deferred ("pay.while_reversing");
      cancel_answer (op, ok, error);
    }
  op_unref (op);
}

static void
close_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  PayOp *op = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = till_wxpay_client_close_finish (TILL_WXPAY_CLIENT (source), result, &error);

  if (op_alive (op))
    cancel_answer (op, ok, error);
  op_unref (op);
}

static void
op_cancel_step (PayOp *op)
{
  TillPaymentService *self = op->svc;

  if (op_is_native (op))
    {
      till_wxpay_client_close_async (self->client, op->out_trade_no, self->cancellable,
                                     close_cb, op_ref (op));
      return;
    }
  /* Reference §8.5: never earlier than the delay after the pay call. */
  {
    gint64 not_before = op->pay_call_at + (gint64) self->reverse_delay_ms * 1000;
    gint64 now = now_us (self);

    if (now < not_before)
      {
        op_schedule (op, (not_before - now + 999) / 1000, op_cancel_step);
        return;
      }
  }
  g_message ("Payment %" G_GINT64_FORMAT " (%s): reverse", op->payment_id, op->out_trade_no);
  till_wxpay_client_reverse_async (self->client, op->out_trade_no, self->cancellable,
                                   reverse_cb, op_ref (op));
  till_crash_point_deferred ("pay.while_reversing", 100);
}

/* ---- polling */

static void
handle_transaction (PayOp                      *op,
                    const TillWxpayTransaction *txn)
{
  switch (txn->trade_state)
    {
    case TILL_WXPAY_TRADE_STATE_SUCCESS:
    case TILL_WXPAY_TRADE_STATE_REFUND:
      op_persist_paid (op, txn->transaction_id);
      break;
    case TILL_WXPAY_TRADE_STATE_USERPAYING:
      if (op->state != TILL_PAYMENT_STATE_USER_PAYING
          && op->state != TILL_PAYMENT_STATE_REVERSING)
        op_persist (op, TILL_PAYMENT_STATE_USER_PAYING, NULL, op_after_unsettled);
      else
        op_after_unsettled (op);
      break;
    case TILL_WXPAY_TRADE_STATE_PAYERROR:
      op_set_detail (op, txn->trade_state_desc);
      op_begin_cancel (op, "PAYERROR");
      break;
    case TILL_WXPAY_TRADE_STATE_REVOKED:
      op_persist (op, TILL_PAYMENT_STATE_REVERSED, "REVOKED", NULL);
      break;
    case TILL_WXPAY_TRADE_STATE_CLOSED:
      op_set_detail (op, txn->trade_state_desc);
      op_persist (op, op_is_native (op) ? TILL_PAYMENT_STATE_CLOSED : TILL_PAYMENT_STATE_FAILED,
                  "CLOSED", NULL);
      break;
    case TILL_WXPAY_TRADE_STATE_NOTPAY:
    case TILL_WXPAY_TRADE_STATE_UNKNOWN:
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
  gint64 now = now_us (self);

  if (op->state == TILL_PAYMENT_STATE_REVERSING)
    {
      op_cancel_step (op);
      return;
    }
  if (op->cancel_requested || now >= op->deadline_at)
    {
      op_begin_cancel (op, op->cancel_requested ? "cancelled by the cashier" : "deadline");
      return;
    }
  op_schedule (op, MIN ((gint64) self->interval_ms, (op->deadline_at - now + 999) / 1000),
               op_query);
}

static void
query_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  PayOp *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillWxpayTransaction) txn = NULL;

  txn = till_wxpay_client_query_finish (TILL_WXPAY_CLIENT (source), result, &error);
  if (op_alive (op))
    {
      if (txn != NULL)
        handle_transaction (op, txn);
      else
        {
          g_message ("Payment %" G_GINT64_FORMAT " (%s): query: %s", op->payment_id,
                     op->out_trade_no, error->message);
          op_after_unsettled (op);
        }
    }
  op_unref (op);
}

static void
op_query (PayOp *op)
{
  if (op->cancel_requested && op->state != TILL_PAYMENT_STATE_IN_DOUBT
      && op->state != TILL_PAYMENT_STATE_SUBMITTING)
    {
      op_begin_cancel (op, "cancelled by the cashier");
      return;
    }
  till_crash_point ("pay.while_polling");
  till_wxpay_client_query_async (op->svc->client, op->out_trade_no, op->svc->cancellable,
                                 query_cb, op_ref (op));
}

static void
op_poll_later (PayOp *op)
{
  op_schedule (op, op->svc->interval_ms, op_query);
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
  if (!op_alive (op))
    {
      op_unref (op);
      return;
    }
  till_crash_point_check_deferred ("pay.after_send_before_answer");
  till_crash_point ("pay.after_answer_before_commit");
  /* The 15 s count from the pay call as WeChat Pay saw it: it had the request by the time
   * the answer (or the client's timeout) came back, so counting from now never starts
   * too early. */
  op->pay_call_at = MAX (op->pay_call_at, now_us (op->svc));
  if (txn != NULL)
    {
      if (txn->trade_state == TILL_WXPAY_TRADE_STATE_SUCCESS)
        op_persist_paid (op, txn->transaction_id);
      else if (txn->trade_state == TILL_WXPAY_TRADE_STATE_USERPAYING || txn->http_status == 202)
        op_persist (op, TILL_PAYMENT_STATE_USER_PAYING, NULL, op_poll_later);
      else
        /* An answer this flow does not expect: ask again rather than guess. */
        op_persist (op, TILL_PAYMENT_STATE_IN_DOUBT, txn->trade_state_str, op_poll_later);
    }
  else if (till_pay_error_is_definite (error)
           && (!g_error_matches (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER)
               || till_pay_error_get_http_status (error) < 500))
    {
      /* WeChat Pay's verified refusal, or the request never left: nothing was charged. */
      const char *code = till_pay_error_get_provider_code (error);

      g_message ("Payment %" G_GINT64_FORMAT " (%s) refused: %s (%s)", op->payment_id,
                 op->out_trade_no, error->message, code ? code : "-");
      op_set_detail (op, error->message);
      op_persist (op, TILL_PAYMENT_STATE_FAILED, code != NULL ? code : error->message, NULL);
    }
  else
    {
      g_message ("Payment %" G_GINT64_FORMAT " (%s): outcome unknown: %s", op->payment_id,
                 op->out_trade_no, error->message);
      op_persist (op, TILL_PAYMENT_STATE_IN_DOUBT, error->message, op_poll_later);
    }
  op_unref (op);
}

static void
op_start_codepay (PayOp *op)
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

  op->pay_call_at = MAX (op->pay_call_at, now_us (self));
  till_wxpay_client_codepay_async (self->client, &request, self->cancellable, codepay_cb,
                                   op_ref (op));
  till_crash_point_deferred ("pay.after_send_before_answer", 300);
}

/* ---- Native */

static void
native_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PayOp *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *code_url = NULL;

  code_url = till_wxpay_client_native_finish (TILL_WXPAY_CLIENT (source), result, &error);
  if (!op_alive (op))
    {
      op_unref (op);
      return;
    }
  if (code_url != NULL)
    {
      op->code_url = g_steal_pointer (&code_url);
      op_persist (op, TILL_PAYMENT_STATE_USER_PAYING, NULL, native_shown);
    }
  else if (till_pay_error_is_definite (error))
    {
      op_set_detail (op, error->message);
      op_persist (op, TILL_PAYMENT_STATE_FAILED, till_pay_error_get_provider_code (error), NULL);
    }
  else
    {
      /* Nobody has the code to pay it with, but the order may exist: close it. */
      g_message ("Payment %" G_GINT64_FORMAT " (%s): Native order unknown: %s", op->payment_id,
                 op->out_trade_no, error->message);
      op_set_detail (op, error->message);
      op_begin_cancel (op, error->message);
    }
  op_unref (op);
}

static void
native_shown (PayOp *op)
{
  g_signal_emit (op->svc, signals[SIGNAL_NATIVE_CODE], 0, op->payment_id, op->code_url);
  if (op->task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&op->task);
      g_task_return_pointer (task, op_outcome (op), (GDestroyNotify) till_payment_outcome_free);
    }
  op_poll_later (op);
}

static void
op_start_native (PayOp *op)
{
  TillPaymentService *self = op->svc;
  TillWxpayNativeRequest request = {
    .out_trade_no = op->out_trade_no,
    .description = self->description,
    .amount_total = op->amount,
    .notify_url = self->notify_url,
  };

  op->pay_call_at = MAX (op->pay_call_at, now_us (self));
  till_wxpay_client_native_async (self->client, &request, self->cancellable, native_cb,
                                  op_ref (op));
}

/* ---- starting */

typedef struct
{
  TillPaymentMethod method;
  char             *auth_code;
} BeginData;

static void
begin_data_free (BeginData *data)
{
  g_free (data->auth_code);
  g_free (data);
}

static void
op_register (TillPaymentService *self,
             PayOp              *op)
{
  gint64 *key = g_new (gint64, 1);

  *key = op->payment_id;
  g_hash_table_replace (self->ops, key, op);
}

static void
begin_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TillPaymentService *self = g_task_get_source_object (task);
  BeginData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  StoreCall *call = till_store_run_finish (TILL_STORE (source), result, &error);
  PayOp *op;

  if (call == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  op = op_new (self);
  op->payment_id = call->payment_id;
  op->sale_id = call->sale_id;
  op->method = call->method;
  op->amount = call->amount;
  op->out_trade_no = g_strdup (call->out_trade_no);
  op->pay_call_at = call->now;
  op->deadline_at = call->deadline;
  op->state = TILL_PAYMENT_STATE_SUBMITTING;
  op->message = till_payment_service_describe (op->state, NULL);
  store_call_unref (call);

  if (self->shut_down)
    {
      /* Stored but never sent: the next start resolves it (query, then reverse/close). */
      op->svc = NULL;
      op_unref (op);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The payment service was stopped"));
      return;
    }
  op->task = g_steal_pointer (&task);
  op->auth_code = g_strdup (data->auth_code);
  op_register (self, op);
  op_emit_changed (op);
  till_crash_point ("pay.after_commit_before_send");
  if (op_is_native (op))
    op_start_native (op);
  else
    op_start_codepay (op);
}

static void
start_payment (TillPaymentService  *self,
               TillPaymentMethod    method,
               gint64               sale_id,
               gint64               amount_fen,
               const char          *auth_code,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  BeginData *data = g_new0 (BeginData, 1);
  StoreCall *call;
  gint64 now = now_us (self);
  gsize len = auth_code != NULL ? strlen (auth_code) : 0;

  g_task_set_source_tag (task, source_tag);
  data->method = method;
  data->auth_code = g_strdup (auth_code);
  g_task_set_task_data (task, data, (GDestroyNotify) begin_data_free);

  if (self->shut_down)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The payment service was stopped"));
      return;
    }
  if (method != TILL_PAYMENT_METHOD_WECHAT_NATIVE && len < 4)
    {
      g_task_return_new_error (task, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID,
                               _("This is not a payment code"));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  call = store_call_new (CALL_BEGIN);
  call->sale_id = sale_id;
  call->method = method;
  call->amount = amount_fen;
  call->store_id = g_strdup (self->store_id);
  call->device_id = g_strdup (self->device_id);
  call->last4 = auth_code != NULL ? g_strdup (auth_code + len - 4) : NULL;
  call->now = now;
  call->deadline = now + (gint64) (method == TILL_PAYMENT_METHOD_WECHAT_NATIVE
                                   ? self->native_deadline_ms : self->deadline_ms) * 1000;
  store_call_async (self, call, begin_cb, g_steal_pointer (&task));
  store_call_unref (call);
}

void
till_payment_service_pay_code_async (TillPaymentService  *self,
                                     gint64               sale_id,
                                     gint64               amount_fen,
                                     const char          *auth_code,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (TILL_IS_PAYMENT_SERVICE (self));
  g_return_if_fail (auth_code != NULL);

  start_payment (self, TILL_PAYMENT_METHOD_WECHAT_CODE, sale_id, amount_fen, auth_code,
                 cancellable, callback, user_data, till_payment_service_pay_code_async);
}

TillPaymentOutcome *
till_payment_service_pay_code_finish (TillPaymentService  *self,
                                      GAsyncResult        *result,
                                      GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == till_payment_service_pay_code_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
till_payment_service_pay_native_async (TillPaymentService  *self,
                                       gint64               sale_id,
                                       gint64               amount_fen,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (TILL_IS_PAYMENT_SERVICE (self));

  start_payment (self, TILL_PAYMENT_METHOD_WECHAT_NATIVE, sale_id, amount_fen, NULL,
                 cancellable, callback, user_data, till_payment_service_pay_native_async);
}

TillPaymentOutcome *
till_payment_service_pay_native_finish (TillPaymentService  *self,
                                        GAsyncResult        *result,
                                        GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == till_payment_service_pay_native_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
till_payment_service_dup_code_url (TillPaymentService *self,
                                   gint64              payment_id)
{
  PayOp *op;

  g_return_val_if_fail (TILL_IS_PAYMENT_SERVICE (self), NULL);
  op = g_hash_table_lookup (self->ops, &payment_id);
  return op != NULL ? g_strdup (op->code_url) : NULL;
}

gboolean
till_payment_service_cancel (TillPaymentService *self,
                             gint64              payment_id,
                             GError            **error)
{
  PayOp *op;

  g_return_val_if_fail (TILL_IS_PAYMENT_SERVICE (self), FALSE);

  op = g_hash_table_lookup (self->ops, &payment_id);
  if (op == NULL)
    {
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID,
                           _("This payment is not in progress"));
      return FALSE;
    }
  if (op->cancel_requested || op->state == TILL_PAYMENT_STATE_REVERSING)
    return TRUE;
  g_message ("Payment %" G_GINT64_FORMAT " (%s): the cashier gives up", op->payment_id,
             op->out_trade_no);
  op->cancel_requested = TRUE;
  /* Waiting between polls: cancel now. A request in flight decides when it answers
   * (a payment that turns out paid stays paid). */
  if (op->timer_id != 0 && op->timer_step == op_query)
    {
      op_cancel_timer (op);
      op_query (op);
    }
  return TRUE;
}

/* ---- resuming from the store */

static PayOp *
op_from_record (TillPaymentService      *self,
                const TillPaymentRecord *record)
{
  PayOp *op = op_new (self);

  op->payment_id = record->id;
  op->sale_id = record->sale_id;
  op->method = record->method;
  op->amount = record->amount_fen;
  op->out_trade_no = g_strdup (record->out_trade_no);
  op->transaction_id = g_strdup (record->transaction_id);
  op->state = record->state;
  op->pay_call_at = MAX (record->pay_call_at, record->created_at) + RESUME_MARGIN_US
                    + (gint64) till_wxpay_client_get_timeout_ms (self->client) * 1000;
  op->deadline_at = record->deadline_at > 0 ? record->deadline_at : now_us (self);
  /* After a restart no QR code is shown any more: a Native order is only checked, then
   * closed. */
  if (op_is_native (op))
    op->deadline_at = MIN (op->deadline_at, now_us (self));
  op->message = till_payment_service_describe (op->state, NULL);
  return op;
}

/* Query first; a reversing payment goes on reversing. */
static void
op_resume (PayOp *op)
{
  g_message ("Payment %" G_GINT64_FORMAT " (%s) resumed in state %s", op->payment_id,
             op->out_trade_no, till_payment_state_to_string (op->state));
  switch (op->state)
    {
    case TILL_PAYMENT_STATE_REVERSING:
      op_cancel_step (op);
      break;
    case TILL_PAYMENT_STATE_SUBMITTING:
      /* It may or may not have left: its outcome is unknown. */
      op_persist (op, TILL_PAYMENT_STATE_IN_DOUBT, "interrupted", op_query);
      break;
    case TILL_PAYMENT_STATE_USER_PAYING:
    case TILL_PAYMENT_STATE_IN_DOUBT:
    default:
      op_query (op);
      break;
    }
}

guint
till_payment_service_resume_pending (TillPaymentService *self,
                                     GError            **error)
{
  g_autoptr(GPtrArray) records = NULL;
  guint started = 0;

  g_return_val_if_fail (TILL_IS_PAYMENT_SERVICE (self), 0);

  if (self->shut_down)
    return 0;
  /* A short read at startup; the UI is not up yet. */
  records = till_store_list_unfinished_payments (self->store, error);
  if (records == NULL)
    return 0;
  for (guint i = 0; i < records->len; i++)
    {
      const TillPaymentRecord *record = g_ptr_array_index (records, i);
      PayOp *op;

      if (g_hash_table_contains (self->ops, &record->id) || record->out_trade_no == NULL)
        continue;
      op = op_from_record (self, record);
      op_register (self, op);
      op_resume (op);
      started++;
    }
  return started;
}

static void
resolve_get_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TillPaymentService *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  StoreCall *call = till_store_run_finish (TILL_STORE (source), result, &error);
  PayOp *op;

  if (call == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->shut_down)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The payment service was stopped"));
  else if (till_payment_state_is_final (call->record->state))
    g_task_return_boolean (task, TRUE);
  else if ((op = g_hash_table_lookup (self->ops, &call->payment_id)) != NULL)
    g_ptr_array_add (op->waiters, g_steal_pointer (&task));
  else
    {
      op = op_from_record (self, call->record);
      op->from_worker = TRUE;
      g_ptr_array_add (op->waiters, g_steal_pointer (&task));
      op_register (self, op);
      op_resume (op);
    }
  store_call_unref (call);
}

void
till_payment_service_resolve_async (TillPaymentService  *self,
                                    gint64               payment_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PayOp *op;
  StoreCall *call;

  g_return_if_fail (TILL_IS_PAYMENT_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_payment_service_resolve_async);
  if (self->shut_down)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The payment service was stopped"));
      return;
    }
  op = g_hash_table_lookup (self->ops, &payment_id);
  if (op != NULL)
    {
      g_ptr_array_add (op->waiters, g_steal_pointer (&task));
      return;
    }
  call = store_call_new (CALL_GET);
  call->payment_id = payment_id;
  store_call_async (self, call, resolve_get_cb, g_steal_pointer (&task));
  store_call_unref (call);
}

gboolean
till_payment_service_resolve_finish (TillPaymentService  *self,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

guint
till_payment_service_get_n_live (TillPaymentService *self)
{
  g_return_val_if_fail (TILL_IS_PAYMENT_SERVICE (self), 0);
  return g_hash_table_size (self->ops);
}

TillStore *
till_payment_service_get_store (TillPaymentService *self)
{
  g_return_val_if_fail (TILL_IS_PAYMENT_SERVICE (self), NULL);
  return self->store;
}

TillWxpayClient *
till_payment_service_get_client (TillPaymentService *self)
{
  g_return_val_if_fail (TILL_IS_PAYMENT_SERVICE (self), NULL);
  return self->client;
}

void
till_payment_service_shutdown (TillPaymentService *self)
{
  GHashTableIter iter;
  gpointer value;
  g_autoptr(GPtrArray) live = g_ptr_array_new ();

  g_return_if_fail (TILL_IS_PAYMENT_SERVICE (self));

  if (self->shut_down)
    return;
  self->shut_down = TRUE;
  g_cancellable_cancel (self->cancellable);

  g_hash_table_iter_init (&iter, self->ops);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (live, op_ref (value));
  for (guint i = 0; i < live->len; i++)
    {
      PayOp *op = g_ptr_array_index (live, i);
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                     _("The payment service was stopped"));

      g_message ("Payment %" G_GINT64_FORMAT " (%s) left %s by a stop", op->payment_id,
                 op->out_trade_no, till_payment_state_to_string (op->state));
      op_cancel_timer (op);
      if (op->task != NULL)
        {
          g_autoptr(GTask) task = g_steal_pointer (&op->task);
          g_task_return_error (task, g_error_copy (error));
        }
      for (guint j = 0; j < op->waiters->len; j++)
        g_task_return_error (g_ptr_array_index (op->waiters, j), g_error_copy (error));
      g_ptr_array_set_size (op->waiters, 0);
      op->svc = NULL;
      op_unref (op);
    }
  g_hash_table_remove_all (self->ops);
}

/* ---------------------------------------------------------------- GObject */

static void
till_payment_service_dispose (GObject *object)
{
  TillPaymentService *self = TILL_PAYMENT_SERVICE (object);

  till_payment_service_shutdown (self);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (till_payment_service_parent_class)->dispose (object);
}

static void
till_payment_service_finalize (GObject *object)
{
  TillPaymentService *self = TILL_PAYMENT_SERVICE (object);

  g_hash_table_unref (self->ops);
  g_object_unref (self->cancellable);
  g_free (self->store_id);
  g_free (self->device_id);
  g_free (self->description);
  g_free (self->notify_url);
  G_OBJECT_CLASS (till_payment_service_parent_class)->finalize (object);
}

static void
till_payment_service_class_init (TillPaymentServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = till_payment_service_dispose;
  object_class->finalize = till_payment_service_finalize;

  signals[SIGNAL_PAYMENT_CHANGED] =
    g_signal_new ("payment-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_NATIVE_CODE] =
    g_signal_new ("native-code", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  signals[SIGNAL_OUTBOX_CHANGED] =
    g_signal_new ("outbox-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
op_table_unref (gpointer data)
{
  op_unref (data);
}

static void
till_payment_service_init (TillPaymentService *self)
{
  self->ops = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, op_table_unref);
  self->cancellable = g_cancellable_new ();
}

TillPaymentService *
till_payment_service_new (TillStore                      *store,
                          TillWxpayClient                *client,
                          const TillPaymentServiceConfig *config,
                          GError                        **error)
{
  g_autoptr(TillPaymentService) self = NULL;
  g_autofree char *probe = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (TILL_IS_STORE (store), NULL);
  g_return_val_if_fail (TILL_IS_WXPAY_CLIENT (client), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  probe = till_store_build_out_trade_no (config->store_id, config->device_id, g_get_real_time (),
                                         1, &local_error);
  if (probe == NULL)
    {
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID, local_error->message);
      return NULL;
    }

  self = g_object_new (TILL_TYPE_PAYMENT_SERVICE, NULL);
  self->store = g_object_ref (store);
  self->client = g_object_ref (client);
  self->store_id = g_strdup (config->store_id);
  self->device_id = g_strdup (config->device_id);
  self->description = g_strdup (config->description != NULL ? config->description : "Tillpoint");
  self->notify_url = g_strdup (config->notify_url != NULL
                               ? config->notify_url
                               : "https://localhost/tillpoint/notify");
  self->interval_ms = config->query_interval_ms ? config->query_interval_ms : DEFAULT_INTERVAL_MS;
  self->deadline_ms = config->deadline_ms ? config->deadline_ms : DEFAULT_DEADLINE_MS;
  self->native_deadline_ms = config->native_deadline_ms ? config->native_deadline_ms
                                                        : DEFAULT_NATIVE_DEADLINE_MS;
  self->reverse_delay_ms = config->reverse_min_delay_ms ? config->reverse_min_delay_ms
                                                        : DEFAULT_REVERSE_DELAY_MS;
  self->reverse_attempts = config->reverse_attempts ? config->reverse_attempts
                                                    : DEFAULT_REVERSE_ATTEMPTS;
  self->reverse_retry_ms = config->reverse_retry_ms ? config->reverse_retry_ms
                                                    : DEFAULT_REVERSE_RETRY_MS;
  self->clock = config->clock;
  self->clock_data = config->clock_data;
  return g_steal_pointer (&self);
}
