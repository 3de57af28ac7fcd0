/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The refund flow: rows committed before sending, create with the same out_refund_no
 * until the provider answers, PROCESSING followed by queries, cash refunded at once, and
 * the outbox jobs "refund"/"refund_query" (key = out_refund_no). */
#define G_LOG_DOMAIN "till-refund"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "till-refund-service-private.h"
#include "till-store-outbox.h"
#include "till-store-refunds.h"
#include "till-clock.h"

#define DEFAULT_QUERY_DELAY_MS 60000   /* reference §5.3: query about a minute after */
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

TillPayProvider *
till_refund_service_provider_for (TillRefundService *self,
                                  TillPaymentMethod  method)
{
  for (guint i = 0; i < self->providers->len; i++)
    {
      TillPayProvider *provider = g_ptr_array_index (self->providers, i);

      if (till_pay_provider_is_configured (provider)
          && till_pay_provider_owns_method (provider, method, NULL))
        return provider;
    }
  return NULL;
}

/* The electronic methods whose refunds can be sent from here (a configured provider owns
 * them), as TILL_PAYMENT_METHOD_BIT()s. */
static guint
electronic_methods (TillRefundService *self)
{
  guint methods = 0;

  for (TillPaymentMethod m = 0; m < TILL_PAYMENT_METHOD_COUNT; m++)
    if (till_payment_method_is_electronic (m) && till_refund_service_provider_for (self, m) != NULL)
      methods |= TILL_PAYMENT_METHOD_BIT (m);
  return methods;
}

/* The longest answer time of the configured providers (0: none). */
static guint
longest_timeout_ms (TillRefundService *self)
{
  guint timeout_ms = 0;

  for (guint i = 0; i < self->providers->len; i++)
    {
      TillPayProvider *provider = g_ptr_array_index (self->providers, i);

      if (till_pay_provider_is_configured (provider))
        timeout_ms = MAX (timeout_ms, till_pay_provider_get_timeout_ms (provider));
    }
  return timeout_ms;
}

/* ---------------------------------------------------------------- messages */

/* The words name the provider of the refunded payment (WeChat Pay or Alipay). */
static char *
describe (const TillRefundRecord *r)
{
  g_autofree char *amount = till_money_format (r->amount_fen);
  gboolean alipay = g_strcmp0 (till_payment_method_get_provider (r->method),
                               TILL_PAY_PROVIDER_ALIPAY) == 0;

  if (r->method == TILL_PAYMENT_METHOD_CASH && r->state == TILL_REFUND_STATE_SUCCESS)
    return g_strdup_printf (_("%.0sGive %s back in cash"), amount, amount);
  if (r->method == TILL_PAYMENT_METHOD_STORED_VALUE && r->state == TILL_REFUND_STATE_SUCCESS)
    return g_strdup_printf (_("%.0s%s is back on the member’s stored value"), amount, amount);
  switch (r->state)
    {
    case TILL_REFUND_STATE_SUBMITTING:
      return g_strdup_printf (_("%.0sSending the refund of %s…"), amount, amount);
    case TILL_REFUND_STATE_PROCESSING:
      if (g_strcmp0 (r->last_error, TILL_REFUND_STUCK_MARK) == 0)
        return g_strdup_printf (alipay ? _("%.0sThe refund of %s is stuck at Alipay: handle it in "
                                           "the merchant platform")
                                       : _("%.0sThe refund of %s is stuck at WeChat Pay: handle "
                                           "it in the merchant platform"),
                                amount, amount);
      return g_strdup_printf (_("%.0sRefund of %s accepted: the money goes back "
                                "to the customer’s account"), amount, amount);
    case TILL_REFUND_STATE_IN_DOUBT:
      return g_strdup_printf (_("%.0sRefund of %s queued: it will be sent when "
                                "the payment service is reachable"), amount, amount);
    case TILL_REFUND_STATE_SUCCESS:
      return g_strdup_printf (_("%.0sRefunded %s"), amount, amount);
    case TILL_REFUND_STATE_FAILED:
      return g_strdup_printf (_("%.0sThe refund of %s was refused: %s"), amount, amount,
                              r->last_error != NULL ? r->last_error : _("no reason given"));
    case TILL_REFUND_STATE_CLOSED:
      return g_strdup_printf (alipay ? _("%.0sThe refund of %s was closed by Alipay; nothing was "
                                         "refunded")
                                     : _("%.0sThe refund of %s was closed by WeChat Pay; nothing "
                                         "was refunded"),
                              amount, amount);
    default:
      g_return_val_if_reached (NULL);
    }
}

void
till_refund_service_emit_changed (TillRefundService      *self,
              const TillRefundRecord *r)
{
  g_autofree char *message = describe (r);

  g_signal_emit (self, signals[SIGNAL_REFUND_CHANGED], 0, r->id,
                 till_refund_state_to_string (r->state), message);
}

/* ---------------------------------------------------------------- refund_async */

typedef struct
{
  gint64           sale_id;
  gint64           amount;
  char            *reason;
  char            *manager;
  guint            electronic_methods;
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
                                          call->manager, call->electronic_methods, call->rounding,
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
  gint64  stored_value_fen; /* back on the member's card, at once */
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
      if (run->success_fen + run->cash_fen + run->stored_value_fen + run->processing_fen
          + run->queued_fen > 0)
        {
          g_autofree char *done = till_money_format (run->success_fen + run->cash_fen
                                                     + run->stored_value_fen
                                                     + run->processing_fen + run->queued_fen);
          g_string_append_printf (msg, _(" (the rest, %s, was refunded or is on its way)"), done);
        }
      g_task_return_new_error (task, TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER, "%s", msg->str);
      g_string_free (msg, TRUE);
      return;
    }
  if (run->success_fen + run->cash_fen + run->stored_value_fen > 0)
    {
      g_autofree char *amount = till_money_format (run->success_fen + run->cash_fen
                                                   + run->stored_value_fen);
      g_string_append_printf (msg, _("%.0sRefunded %s"), amount, amount);
    }
  if (run->stored_value_fen > 0)
    {
      g_autofree char *amount = till_money_format (run->stored_value_fen);
      g_string_append_printf (msg, _("%s%.0s%s is back on the member’s stored value"),
                              msg->len > 0 ? " — " : "", amount, amount);
    }
  if (run->cash_fen > 0)
    {
      g_autofree char *amount = till_money_format (run->cash_handed_fen);
      g_string_append_printf (msg, _("%s%.0sGive %s back in cash"),
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
      g_string_append_printf (msg, _("%s%.0sRefund of %s accepted: the money goes back to the "
                                     "customer’s account"),
                              msg->len > 0 ? " — " : "", amount, amount);
    }
  if (run->queued_fen > 0)
    {
      g_autofree char *amount = till_money_format (run->queued_fen);
      g_string_append_printf (msg, _("%s%.0sRefund of %s queued: it will be sent when the "
                                     "payment service is reachable"),
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

      till_refund_service_emit_changed (self, r);
      if (r->method == TILL_PAYMENT_METHOD_CASH)
        {
          run->cash_fen += r->amount_fen;
          run->cash_handed_fen += r->amount_fen + r->rounding_fen;
          continue;
        }
      if (r->method == TILL_PAYMENT_METHOD_STORED_VALUE)
        {
          run->stored_value_fen += r->amount_fen;
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

  timeout_ms = longest_timeout_ms (self);
  call = g_new0 (BeginCall, 1);
  call->sale_id = sale_id;
  call->amount = amount_fen;
  call->reason = g_strdup (reason != NULL && *reason != '\0' ? reason : NULL);
  call->manager = g_strdup (manager);
  call->electronic_methods = electronic_methods (self);
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
  g_ptr_array_set_size (self->providers, 0);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (till_refund_service_parent_class)->dispose (object);
}

static void
till_refund_service_finalize (GObject *object)
{
  TillRefundService *self = TILL_REFUND_SERVICE (object);

  g_object_unref (self->cancellable);
  g_ptr_array_unref (self->providers);
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
  self->providers = g_ptr_array_new_with_free_func (g_object_unref);
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
  if (provider != NULL)
    g_ptr_array_add (self->providers, g_object_ref (provider));
  return self;
}

void
till_refund_service_add_provider (TillRefundService *self,
                                  TillPayProvider   *provider)
{
  g_return_if_fail (TILL_IS_REFUND_SERVICE (self));
  g_return_if_fail (TILL_IS_PAY_PROVIDER (provider));

  if (!g_ptr_array_find (self->providers, provider, NULL))
    g_ptr_array_add (self->providers, g_object_ref (provider));
}
