/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The refund flow: rows committed before sending, create with the same out_refund_no
 * until the provider answers, PROCESSING followed by queries, cash refunded at once, and
 * the outbox jobs "refund"/"refund_query" (key = out_refund_no). */
#define G_LOG_DOMAIN "till-refund"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "till-crash.h"
#include "till-refund-service-private.h"
#include "till-store-outbox.h"
#include "till-store-refunds.h"
#include "till-clock.h"

#define DEFAULT_QUERY_DELAY_MS 60000   /* reference §5.3: query about a minute after */
#define IN_DOUBT_RETRY_MS      1000    /* the worker's backoff takes over after this */
#define SEND_GRACE_MS          5000    /* beyond the provider's timeout: the outbox job of a
                                          refund being sent waits this long */

/* ---------------------------------------------------------------- refundable */

G_DEFINE_BOXED_TYPE (TillRefundable, till_refundable, till_refundable_copy, till_refundable_free)

TillRefundable *
till_refundable_copy (const TillRefundable *refundable)
{
  TillRefundable *copy;

  g_return_val_if_fail (refundable != NULL, NULL);
  copy = g_memdup2 (refundable, sizeof *refundable);
  copy->sale_number = g_strdup (refundable->sale_number);
  copy->refund_state = g_strdup (refundable->refund_state);
  return copy;
}

void
till_refundable_free (TillRefundable *refundable)
{
  if (refundable == NULL)
    return;
  g_free (refundable->sale_number);
  g_free (refundable->refund_state);
  g_free (refundable);
}

/* ---------------------------------------------------------------- the object */

G_DEFINE_FINAL_TYPE (TillRefundService, till_refund_service, G_TYPE_OBJECT)

enum
{
  SIGNAL_REFUND_CHANGED,
  SIGNAL_OUTBOX_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Electronic refunds can be sent: a provider that is configured. */
static gboolean
electronic_ready (TillRefundService *self)
{
  return self->provider != NULL && till_pay_provider_is_configured (self->provider);
}

/* ---------------------------------------------------------------- messages */

static char *
describe (const TillRefundRecord *r)
{
  g_autofree char *amount = till_money_format (r->amount_fen);

  if (r->method == TILL_PAYMENT_METHOD_CASH && r->state == TILL_REFUND_STATE_SUCCESS)
    return g_strdup_printf (_("请退还现金 %s · Give %s back in cash"), amount, amount);
  switch (r->state)
    {
    case TILL_REFUND_STATE_SUBMITTING:
      return g_strdup_printf (_("正在退款 %s… · Sending the refund of %s…"), amount, amount);
    case TILL_REFUND_STATE_PROCESSING:
      if (g_strcmp0 (r->last_error, TILL_REFUND_STUCK_MARK) == 0)
        return g_strdup_printf (_("退款 %s 异常，请在微信支付商户平台处理 · The refund of %s is "
                                  "stuck at WeChat Pay: handle it in the merchant platform"),
                                amount, amount);
      return g_strdup_printf (_("退款 %s 已受理，款项将原路退回 · Refund of %s accepted: the "
                                "money goes back to the customer’s account"), amount, amount);
    case TILL_REFUND_STATE_IN_DOUBT:
      return g_strdup_printf (_("退款 %s 已排队 · Refund of %s queued: it will be sent when the "
                                "payment service is reachable"), amount, amount);
    case TILL_REFUND_STATE_SUCCESS:
      return g_strdup_printf (_("已退款 %s · Refunded %s"), amount, amount);
    case TILL_REFUND_STATE_FAILED:
      return g_strdup_printf (_("退款 %s 失败 · The refund of %s was refused: %s"), amount, amount,
                              r->last_error != NULL ? r->last_error : _("no reason given"));
    case TILL_REFUND_STATE_CLOSED:
      return g_strdup_printf (_("退款 %s 已关闭 · The refund of %s was closed by WeChat Pay; "
                                "nothing was refunded"), amount, amount);
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
emit_changed (TillRefundService      *self,
              const TillRefundRecord *r)
{
  g_autofree char *message = describe (r);

  g_signal_emit (self, signals[SIGNAL_REFUND_CHANGED], 0, r->id,
                 till_refund_state_to_string (r->state), message);
}

/* ---------------------------------------------------------------- store calls */

typedef struct
{
  gint64           refund_id;
  TillRefundState  state;
  char            *provider_refund_id;
  char            *last_error;
  gint64           job_due_at;
  /* results */
  TillRefundRecord *record;
  gboolean         changed;
  gboolean         sale_refunded;
} UpdateCall;

static void
update_call_free (UpdateCall *call)
{
  g_free (call->provider_refund_id);
  g_free (call->last_error);
  g_clear_pointer (&call->record, till_refund_record_free);
  g_free (call);
}

static gpointer
update_run (TillStore *store,
            gpointer   data,
            GError   **error)
{
  UpdateCall *in = data;
  UpdateCall *out = g_new0 (UpdateCall, 1);

  out->refund_id = in->refund_id;
  out->state = in->state;
  out->record = till_store_refund_update (store, in->refund_id, in->state, in->provider_refund_id,
                                          in->last_error, in->job_due_at, &out->changed,
                                          &out->sale_refunded, error);
  if (out->record == NULL)
    {
      update_call_free (out);
      return NULL;
    }
  return out;
}

/* ---------------------------------------------------------------- driving one refund */

static void
drive_free (Drive *d)
{
  g_object_unref (d->self);
  till_refund_record_free (d->record);
  g_clear_error (&d->create_error);
  g_clear_error (&d->error);
  g_free (d);
}

static void drive_query (GTask *task);

static void
drive_return (GTask *task)
{
  Drive *d = g_task_get_task_data (task);
  DriveResult result;

  if (till_refund_state_is_final (d->record->state))
    result = DRIVE_FINAL;
  else if (d->record->state == TILL_REFUND_STATE_PROCESSING)
    result = DRIVE_PROCESSING;
  else
    result = DRIVE_QUEUED;
  g_task_return_int (task, result);
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Drive *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  UpdateCall *call = till_store_run_finish (TILL_STORE (source), result, &error);

  if (call == NULL)
    {
      g_warning ("Refund %" G_GINT64_FORMAT " (%s): the store failed: %s", d->record->id,
                 d->record->out_refund_no, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  till_refund_record_free (d->record);
  d->record = g_steal_pointer (&call->record);
  if (call->changed && !d->self->shut_down)
    emit_changed (d->self, d->record);
  if (call->sale_refunded)
    g_message ("Refund %" G_GINT64_FORMAT ": the sale is refunded in full", d->record->id);
  update_call_free (call);
  drive_return (task);
}

static void
drive_store (GTask           *task,
             TillRefundState  state,
             const char      *provider_refund_id,
             const char      *last_error,
             gint64           job_due_at)
{
  Drive *d = g_task_get_task_data (task);
  UpdateCall *call = g_new0 (UpdateCall, 1);

  call->refund_id = d->record->id;
  call->state = state;
  call->provider_refund_id = g_strdup (provider_refund_id);
  call->last_error = g_strdup (last_error);
  call->job_due_at = job_due_at;
  /* Not cancellable: a state that was learnt is always written. */
  till_store_run_async (d->self->store, update_run, call, (GDestroyNotify) update_call_free,
                        (GDestroyNotify) update_call_free, NULL, stored_cb, g_object_ref (task));
}

static gint64
due_in (guint ms)
{
  return till_clock_now_us () + (gint64) ms * 1000;
}

/* A verified answer (create or query) in the provider-neutral words. */
static void
drive_answer (GTask               *task,
              const TillPayRefund *answer)
{
  Drive *d = g_task_get_task_data (task);
  TillRefundService *self = d->self;

  switch (answer->state)
    {
    case TILL_PAY_REFUND_SUCCESS:
      drive_store (task, TILL_REFUND_STATE_SUCCESS, answer->refund_id, NULL, 0);
      break;
    case TILL_PAY_REFUND_CLOSED:
      drive_store (task, TILL_REFUND_STATE_CLOSED, answer->refund_id, "CLOSED", 0);
      break;
    case TILL_PAY_REFUND_PROCESSING:
      drive_store (task, TILL_REFUND_STATE_PROCESSING, answer->refund_id, NULL,
                   d->from_job ? 0 : due_in (self->query_delay_ms));
      break;
    case TILL_PAY_REFUND_STUCK:
      /* Accepted, but stuck until someone handles it at the provider: it still counts
       * against what can be refunded, and the queries go on. */
      g_warning ("Refund %" G_GINT64_FORMAT " (%s) is stuck (%s) at the provider",
                 d->record->id, d->record->out_refund_no,
                 answer->provider_state != NULL ? answer->provider_state : "?");
      drive_store (task, TILL_REFUND_STATE_PROCESSING, answer->refund_id, TILL_REFUND_STUCK_MARK,
                   d->from_job ? 0 : due_in (self->query_delay_ms));
      break;
    case TILL_PAY_REFUND_UNKNOWN:
    default:
      g_clear_error (&d->error);
      d->error = g_error_new (TILL_PAY_ERROR, TILL_PAY_ERROR_PROTOCOL,
                              _("WeChat Pay answered the refund with an unknown status %s"),
                              answer->provider_state != NULL ? answer->provider_state : "?");
      if (d->record->state == TILL_REFUND_STATE_PROCESSING)
        drive_return (task);
      else
        drive_store (task, TILL_REFUND_STATE_IN_DOUBT, NULL, d->error->message,
                     due_in (IN_DOUBT_RETRY_MS));
      break;
    }
}

/* The provider's verified refusal (not rate limiting, not "not known yet"). */
static gboolean
provider_refused (const GError *error)
{
  TillPayFailure failure = till_pay_error_get_failure (error);

  return failure == TILL_PAY_FAILURE_REFUSED || failure == TILL_PAY_FAILURE_NOT_FOUND;
}

static char *
refusal_text (const GError *error)
{
  const char *code = till_pay_error_get_provider_code (error);

  return code != NULL ? g_strdup_printf ("%s: %s", code, error->message)
                      : g_strdup (error->message);
}

static void
query_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Drive *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPayRefund) answer = till_pay_provider_refund_query_finish (TILL_PAY_PROVIDER (source),
                                                                          result, &error);

  if (d->self->shut_down)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The refund service was stopped"));
      return;
    }
  if (answer != NULL)
    {
      drive_answer (task, answer);
      return;
    }
  if (d->create_error != NULL
      && till_pay_error_get_failure (error) == TILL_PAY_FAILURE_NOT_FOUND)
    {
      /* The create was refused and the provider has no such refund: it never happened. */
      g_autofree char *why = refusal_text (d->create_error);

      drive_store (task, TILL_REFUND_STATE_FAILED, NULL, why, 0);
      return;
    }
  g_message ("Refund %" G_GINT64_FORMAT " (%s): query: %s", d->record->id,
             d->record->out_refund_no, error->message);
  g_clear_error (&d->error);
  d->error = g_steal_pointer (&error);
  if (d->record->state == TILL_REFUND_STATE_PROCESSING)
    drive_return (task);
  else
    drive_store (task, TILL_REFUND_STATE_IN_DOUBT, NULL, d->error->message,
                 due_in (IN_DOUBT_RETRY_MS));
}

static void
drive_query (GTask *task)
{
  Drive *d = g_task_get_task_data (task);

  till_pay_provider_refund_query_async (d->self->provider, d->record->out_trade_no,
                                        d->record->out_refund_no, d->self->cancellable,
                                        query_cb, g_object_ref (task));
}

static void
create_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Drive *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPayRefund) answer = till_pay_provider_refund_finish (TILL_PAY_PROVIDER (source),
                                                                    result, &error);

  if (d->self->shut_down)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The refund service was stopped"));
      return;
    }
  till_crash_point_check_deferred ("refund.after_send_before_answer");
  till_crash_point ("refund.after_answer_before_commit");

  if (answer != NULL)
    {
      drive_answer (task, answer);
      return;
    }
  if (provider_refused (error))
    {
      g_autofree char *why = refusal_text (error);

      g_message ("Refund %" G_GINT64_FORMAT " (%s) refused: %s", d->record->id,
                 d->record->out_refund_no, why);
      if (d->record->state == TILL_REFUND_STATE_SUBMITTING && !d->from_job)
        {
          /* The first sending, answered: nothing else can have been accepted. */
          drive_store (task, TILL_REFUND_STATE_FAILED, NULL, why, 0);
          return;
        }
      /* An earlier sending may have been accepted: ask before calling it failed. */
      d->create_error = g_steal_pointer (&error);
      drive_query (task);
      return;
    }
  g_message ("Refund %" G_GINT64_FORMAT " (%s): outcome unknown: %s", d->record->id,
             d->record->out_refund_no, error->message);
  g_clear_error (&d->error);
  d->error = g_steal_pointer (&error);
  drive_store (task, TILL_REFUND_STATE_IN_DOUBT, NULL, d->error->message,
               due_in (IN_DOUBT_RETRY_MS));
}

static void
drive_create (GTask *task)
{
  Drive *d = g_task_get_task_data (task);
  const TillRefundRecord *r = d->record;
  TillPayRefundRequest request = {
    .out_trade_no = r->out_trade_no,
    .transaction_id = r->transaction_id,
    .out_refund_no = r->out_refund_no,
    .amount_fen = r->amount_fen,
    .total_fen = r->payment_amount_fen,
    .reason = r->reason,
  };

  till_crash_point ("refund.after_commit_before_send");
  g_message ("Refund %" G_GINT64_FORMAT " (%s): sending %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
             " fen for %s", r->id, r->out_refund_no, r->amount_fen, r->payment_amount_fen,
             r->out_trade_no);
  till_pay_provider_refund_async (d->self->provider, &request, d->self->cancellable, create_cb,
                                  g_object_ref (task));
  till_crash_point_deferred ("refund.after_send_before_answer", 300);
}

/* Drives `record` one step: returns a DriveResult (g_task_propagate_int) or an error when
 * the store failed / the service stopped. Functions given a `GTask *task` borrow it; every
 * async call takes its own reference, which its callback owns. */
void
till_refund_service_drive_async (TillRefundService      *self,
                                 const TillRefundRecord *record,
                                 gboolean                from_job,
                                 GAsyncReadyCallback     callback,
                                 gpointer                user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);
  Drive *d = g_new0 (Drive, 1);

  g_task_set_source_tag (task, till_refund_service_drive_async);
  d->self = g_object_ref (self);
  d->record = till_refund_record_copy (record);
  d->from_job = from_job;
  g_task_set_task_data (task, d, (GDestroyNotify) drive_free);

  if (self->shut_down)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The refund service was stopped"));
  else if (till_refund_state_is_final (record->state))
    drive_return (task);
  else if (!electronic_ready (self))
    g_task_return_new_error (task, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED,
                             _("Electronic payment is not set up: the refund cannot be sent"));
  else if (record->state == TILL_REFUND_STATE_PROCESSING)
    drive_query (task);
  else
    drive_create (task);
  g_object_unref (task);
}

/* ---------------------------------------------------------------- refund_async */

typedef struct
{
  gint64           sale_id;
  gint64           amount;
  char            *reason;
  char            *manager;
  gboolean         allow_electronic;
  TillCashRounding rounding;
  gint64           now;
  gint64           job_due_at;
} BeginCall;

static void
begin_call_free (BeginCall *call)
{
  g_free (call->reason);
  g_free (call->manager);
  g_free (call);
}

static gpointer
begin_run (TillStore *store,
           gpointer   data,
           GError   **error)
{
  BeginCall *call = data;

  return till_store_refund_begin_rounded (store, call->sale_id, call->amount, call->reason,
                                          call->manager, call->allow_electronic, call->rounding,
                                          call->now, call->job_due_at, error);
}

typedef struct
{
  guint   pending;
  gint64  success_fen;
  gint64  processing_fen;
  gint64  queued_fen;
  gint64  cash_fen;         /* the cash refunds' amounts */
  gint64  cash_handed_fen;  /* the cash to hand back: amounts + rounding */
  GString *failures;
  GError  *store_error;
} RefundRun;

static void
refund_run_free (RefundRun *run)
{
  if (run->failures != NULL)
    g_string_free (run->failures, TRUE);
  g_clear_error (&run->store_error);
  g_free (run);
}

static void
refund_run_complete (GTask *task)
{
  RefundRun *run = g_task_get_task_data (task);
  GString *msg;

  if (run->pending > 0)
    return;
  if (run->store_error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&run->store_error));
      return;
    }
  msg = g_string_new (NULL);
  if (run->failures != NULL)
    {
      g_string_append (msg, run->failures->str);
      if (run->success_fen + run->cash_fen + run->processing_fen + run->queued_fen > 0)
        {
          g_autofree char *done = till_money_format (run->success_fen + run->cash_fen
                                                     + run->processing_fen + run->queued_fen);
          g_string_append_printf (msg, _(" (the rest, %s, was refunded or is on its way)"), done);
        }
      g_task_return_new_error (task, TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER, "%s", msg->str);
      g_string_free (msg, TRUE);
      return;
    }
  if (run->success_fen + run->cash_fen > 0)
    {
      g_autofree char *amount = till_money_format (run->success_fen + run->cash_fen);
      g_string_append_printf (msg, _("已退款 %s · Refunded %s"), amount, amount);
    }
  if (run->cash_fen > 0)
    {
      g_autofree char *amount = till_money_format (run->cash_handed_fen);
      g_string_append_printf (msg, _("%s请退还现金 %s · Give %s back in cash"),
                              msg->len > 0 ? " — " : "", amount, amount);
      if (run->cash_handed_fen != run->cash_fen)
        {
          g_autofree char *exact = till_money_format (run->cash_fen);

          g_string_append_printf (msg, _(" (%s rounded to the cash unit)"), exact);
        }
    }
  if (run->processing_fen > 0)
    {
      g_autofree char *amount = till_money_format (run->processing_fen);
      g_string_append_printf (msg, _("%s退款 %s 已受理，款项将原路退回 · Refund of %s accepted: "
                                     "the money goes back to the customer’s account"),
                              msg->len > 0 ? " — " : "", amount, amount);
    }
  if (run->queued_fen > 0)
    {
      g_autofree char *amount = till_money_format (run->queued_fen);
      g_string_append_printf (msg, _("%s退款 %s 已排队 · Refund of %s queued: it will be sent "
                                     "when the payment service is reachable"),
                              msg->len > 0 ? " — " : "", amount, amount);
    }
  g_task_return_pointer (task, g_string_free (msg, FALSE), g_free);
}

typedef struct
{
  GTask  *task;
  gint64  amount;
} OneRefund;

static void
one_refund_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  OneRefund *one = user_data;
  g_autoptr(GTask) task = one->task;
  RefundRun *run = g_task_get_task_data (task);
  GTask *drive = G_TASK (result);
  Drive *d = g_task_get_task_data (drive);
  g_autoptr(GError) error = NULL;
  gssize r = g_task_propagate_int (drive, &error);

  if (r < 0)
    {
      if (run->store_error == NULL)
        run->store_error = g_steal_pointer (&error);
    }
  else if (d->record->state == TILL_REFUND_STATE_SUCCESS)
    run->success_fen += one->amount;
  else if (d->record->state == TILL_REFUND_STATE_PROCESSING)
    run->processing_fen += one->amount;
  else if (r == DRIVE_QUEUED)
    run->queued_fen += one->amount;
  else
    {
      g_autofree char *text = describe (d->record);

      if (run->failures == NULL)
        run->failures = g_string_new (NULL);
      else
        g_string_append (run->failures, "; ");
      g_string_append (run->failures, text);
    }
  if (r == DRIVE_PROCESSING || r == DRIVE_QUEUED)
    g_signal_emit (TILL_REFUND_SERVICE (source), signals[SIGNAL_OUTBOX_CHANGED], 0);
  g_free (one);
  run->pending--;
  refund_run_complete (task);
}

static void
begin_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TillRefundService *self = g_task_get_source_object (task);
  RefundRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = till_store_run_finish (TILL_STORE (source), result, &error);
  gboolean queued = FALSE;

  if (rows == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Everything is committed: from here on the refunds go on whatever the caller does. */
  run->pending = 1;
  for (guint i = 0; i < rows->len; i++)
    {
      TillRefundRecord *r = g_ptr_array_index (rows, i);

      emit_changed (self, r);
      if (r->method == TILL_PAYMENT_METHOD_CASH)
        {
          run->cash_fen += r->amount_fen;
          run->cash_handed_fen += r->amount_fen + r->rounding_fen;
          continue;
        }
      queued = TRUE;
      {
        OneRefund *one = g_new0 (OneRefund, 1);

        one->task = g_object_ref (task);
        one->amount = r->amount_fen;
        run->pending++;
        till_refund_service_drive_async (self, r, FALSE, one_refund_cb, one);
      }
    }
  if (queued)
    g_signal_emit (self, signals[SIGNAL_OUTBOX_CHANGED], 0);
  run->pending--;
  refund_run_complete (task);
}

void
till_refund_service_refund_async (TillRefundService   *self,
                                  gint64               sale_id,
                                  gint64               amount_fen,
                                  const char          *reason,
                                  const char          *manager,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BeginCall *call;
  guint timeout_ms;

  g_return_if_fail (TILL_IS_REFUND_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_refund_service_refund_async);
  g_task_set_task_data (task, g_new0 (RefundRun, 1), (GDestroyNotify) refund_run_free);
  /* The result is given even when the caller stops waiting: the refund itself goes on. */
  g_task_set_check_cancellable (task, FALSE);

  if (self->shut_down)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The refund service was stopped"));
      return;
    }
  if (manager == NULL || *manager == '\0')
    {
      g_task_return_new_error (task, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID,
                               _("A refund needs a manager’s approval"));
      return;
    }
  if (amount_fen <= 0)
    {
      g_task_return_new_error (task, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                               _("Enter an amount to refund greater than ¥0.00"));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  timeout_ms = electronic_ready (self) ? till_pay_provider_get_timeout_ms (self->provider) : 0;
  call = g_new0 (BeginCall, 1);
  call->sale_id = sale_id;
  call->amount = amount_fen;
  call->reason = g_strdup (reason != NULL && *reason != '\0' ? reason : NULL);
  call->manager = g_strdup (manager);
  call->allow_electronic = electronic_ready (self);
  call->rounding = self->cash_rounding;
  call->now = till_clock_now_us ();
  call->job_due_at = call->now + ((gint64) timeout_ms + SEND_GRACE_MS) * 1000;
  till_store_run_async (self->store, begin_run, call, (GDestroyNotify) begin_call_free,
                        (GDestroyNotify) g_ptr_array_unref, NULL, begin_cb,
                        g_steal_pointer (&task));
}

char *
till_refund_service_refund_finish (TillRefundService  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == till_refund_service_refund_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------- refundable */

TillRefundable *
till_refund_service_get_refundable (TillRefundService *self,
                                    gint64             sale_id,
                                    GError           **error)
{
  TillRefundSummary s;
  TillRefundable *out;

  g_return_val_if_fail (TILL_IS_REFUND_SERVICE (self), NULL);

  if (!till_store_refund_summary (self->store, sale_id, &s, error))
    return NULL;
  out = g_new0 (TillRefundable, 1);
  out->sale_id = sale_id;
  out->sale_number = g_steal_pointer (&s.sale_number);
  out->paid_fen = s.paid_fen;
  out->refunded_fen = s.refunded_fen;
  /* Only a paid sale can be refunded at all. */
  out->refundable_fen = (s.sale_state == TILL_SALE_STATE_PAID)
                        ? MAX (s.paid_fen - s.refunded_fen, 0) : 0;
  if (s.n_in_progress > 0)
    out->refund_state = g_strdup ("in_progress");
  else if (s.sale_state == TILL_SALE_STATE_REFUNDED
           || (s.paid_fen > 0 && s.refunded_fen >= s.paid_fen))
    out->refund_state = g_strdup ("refunded");
  else if (s.refunded_fen > 0)
    out->refund_state = g_strdup ("partial");
  else
    out->refund_state = g_strdup ("none");
  till_refund_summary_clear (&s);
  return out;
}

/* ---------------------------------------------------------------- additions */

guint
till_refund_service_resume_pending (TillRefundService *self,
                                    GError           **error)
{
  gint64 n;

  g_return_val_if_fail (TILL_IS_REFUND_SERVICE (self), 0);
  if (self->shut_down)
    return 0;
  n = till_store_refunds_requeue_unfinished (self->store, till_clock_now_us (), error);
  if (n < 0)
    return 0;
  if (n > 0)
    {
      g_message ("%" G_GINT64_FORMAT " unfinished refund(s) queued again", n);
      g_signal_emit (self, signals[SIGNAL_OUTBOX_CHANGED], 0);
    }
  return (guint) n;
}

void
till_refund_service_set_query_delay_ms (TillRefundService *self,
                                        guint              delay_ms)
{
  g_return_if_fail (TILL_IS_REFUND_SERVICE (self));
  self->query_delay_ms = delay_ms > 0 ? delay_ms : DEFAULT_QUERY_DELAY_MS;
}

void
till_refund_service_set_cash_rounding (TillRefundService *self,
                                       TillCashRounding   rounding)
{
  g_return_if_fail (TILL_IS_REFUND_SERVICE (self));
  g_return_if_fail (rounding <= TILL_CASH_ROUNDING_YUAN_DOWN);
  self->cash_rounding = rounding;
}

TillCashRounding
till_refund_service_get_cash_rounding (TillRefundService *self)
{
  g_return_val_if_fail (TILL_IS_REFUND_SERVICE (self), TILL_CASH_ROUNDING_NONE);
  return self->cash_rounding;
}

TillStore *
till_refund_service_get_store (TillRefundService *self)
{
  g_return_val_if_fail (TILL_IS_REFUND_SERVICE (self), NULL);
  return self->store;
}

void
till_refund_service_shutdown (TillRefundService *self)
{
  g_return_if_fail (TILL_IS_REFUND_SERVICE (self));
  if (self->shut_down)
    return;
  self->shut_down = TRUE;
  g_cancellable_cancel (self->cancellable);
}

/* ---------------------------------------------------------------- GObject */

static void
till_refund_service_dispose (GObject *object)
{
  TillRefundService *self = TILL_REFUND_SERVICE (object);

  till_refund_service_shutdown (self);
  g_clear_object (&self->provider);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (till_refund_service_parent_class)->dispose (object);
}

static void
till_refund_service_finalize (GObject *object)
{
  TillRefundService *self = TILL_REFUND_SERVICE (object);

  g_object_unref (self->cancellable);
  G_OBJECT_CLASS (till_refund_service_parent_class)->finalize (object);
}

static void
till_refund_service_class_init (TillRefundServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = till_refund_service_dispose;
  object_class->finalize = till_refund_service_finalize;

  signals[SIGNAL_REFUND_CHANGED] =
    g_signal_new ("refund-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_OUTBOX_CHANGED] =
    g_signal_new ("outbox-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
till_refund_service_init (TillRefundService *self)
{
  self->cancellable = g_cancellable_new ();
  self->query_delay_ms = DEFAULT_QUERY_DELAY_MS;
  self->cash_rounding = TILL_CASH_ROUNDING_NONE;
}

TillRefundService *
till_refund_service_new (TillStore        *store,
                         TillPayProvider  *provider,
                         GError          **error)
{
  TillRefundService *self;

  g_return_val_if_fail (TILL_IS_STORE (store), NULL);
  g_return_val_if_fail (provider == NULL || TILL_IS_PAY_PROVIDER (provider), NULL);

  self = g_object_new (TILL_TYPE_REFUND_SERVICE, NULL);
  self->store = g_object_ref (store);
  self->provider = provider != NULL ? g_object_ref (provider) : NULL;
  return self;
}
