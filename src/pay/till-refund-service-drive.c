/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One refund driven from its stored state to the next: the create sent with the same
 * out_refund_no until the provider answers, a refusal checked with a query when an earlier
 * sending may have been accepted, PROCESSING followed by queries; every state learnt is
 * stored before anything else happens. The provider is the one that owns the refunded
 * payment's method. */
#define G_LOG_DOMAIN "till-refund"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "till-clock.h"
#include "till-crash.h"
#include "till-refund-service-private.h"
#include "till-store-refunds.h"

#define IN_DOUBT_RETRY_MS      1000    /* the worker's backoff takes over after this */

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
  g_clear_object (&d->provider);
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
    till_refund_service_emit_changed (d->self, d->record);
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
                              g_strcmp0 (till_payment_method_get_provider (d->record->method),
                                         TILL_PAY_PROVIDER_ALIPAY) == 0
                                ? _("Alipay answered the refund with an unknown status %s")
                                : _("WeChat Pay answered the refund with an unknown status %s"),
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

  till_pay_provider_refund_query_async (d->provider, d->record->out_trade_no,
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
  till_pay_provider_refund_async (d->provider, &request, d->self->cancellable, create_cb,
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
  if ((d->provider = till_refund_service_provider_for (self, record->method)) != NULL)
    g_object_ref (d->provider);
  g_task_set_task_data (task, d, (GDestroyNotify) drive_free);

  if (self->shut_down)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The refund service was stopped"));
  else if (till_refund_state_is_final (record->state))
    drive_return (task);
  else if (d->provider == NULL)
    g_task_return_new_error (task, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED,
                             _("Electronic payment is not set up: the refund cannot be sent"));
  else if (record->state == TILL_REFUND_STATE_PROCESSING)
    drive_query (task);
  else
    drive_create (task);
  g_object_unref (task);
}
