/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The payment flow's entry points: starting a code pay or a QR (Native) payment, the
 * cashier's cancel, resuming unfinished payments after a crash, and the object itself. */
#define G_LOG_DOMAIN "till-pay"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "till-crash.h"
#include "till-payment-service-private.h"
#include "till-clock.h"

#define DEFAULT_INTERVAL_MS        5000
#define DEFAULT_DEADLINE_MS        30000
#define DEFAULT_NATIVE_DEADLINE_MS 300000
#define DEFAULT_REVERSE_DELAY_MS   15000
#define DEFAULT_REVERSE_ATTEMPTS   3
#define DEFAULT_REVERSE_RETRY_MS   1000
/* A resumed payment's stored pay-call time was taken just before its row was committed;
 * its request may have reached the provider up to the provider's timeout later. */
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

G_DEFINE_FINAL_TYPE (TillPaymentService, till_payment_service, G_TYPE_OBJECT)

guint till_payment_service_signals[N_SIGNALS];

gint64
till_payment_service_now_us (TillPaymentService *self)
{
  return self->clock != NULL ? self->clock (self->clock_data) : till_clock_now_us ();
}

/* ---------------------------------------------------------------- messages */

char *
till_payment_service_describe (TillPaymentState state,
                               const char      *detail)
{
  switch (state)
    {
    case TILL_PAYMENT_STATE_SUBMITTING:
      return g_strdup (_("Sending the payment…"));
    case TILL_PAYMENT_STATE_USER_PAYING:
      return g_strdup (_("Please confirm the payment on your phone"));
    case TILL_PAYMENT_STATE_IN_DOUBT:
      return g_strdup (_("Checking this payment — do not charge again"));
    case TILL_PAYMENT_STATE_REVERSING:
      return g_strdup (_("This payment is being cancelled: nothing is charged — another "
                         "payment can be taken"));
    case TILL_PAYMENT_STATE_PAID:
      return g_strdup (_("Paid"));
    case TILL_PAYMENT_STATE_FAILED:
      {
        /* The customer reads words, never a provider's code: a code the till does not
         * know becomes the general sentence (the code itself is in the log). */
        const char *words = till_pay_error_describe_code (detail);

        if (words == NULL && (detail == NULL || till_pay_error_is_code (detail)))
          words = _("The payment failed");
        else if (words == NULL)
          words = detail;
        return g_strdup_printf (_("%s — take another payment"), words);
      }
    case TILL_PAYMENT_STATE_REVERSED:
      return g_strdup (_("Not charged: take another payment"));
    case TILL_PAYMENT_STATE_CLOSED:
      return g_strdup (_("Order closed, not charged: take another payment"));
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ---- starting */

typedef struct
{
  char            *auth_code;
  TillPayProvider *provider;
} BeginData;

static void
begin_data_free (BeginData *data)
{
  g_free (data->auth_code);
  g_clear_object (&data->provider);
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
  op = till_pay_op_new (self);
  op->provider = g_object_ref (data->provider);
  op->payment_id = call->payment_id;
  op->sale_id = call->sale_id;
  op->method = call->method;
  op->scene = call->scene;
  op->amount = call->amount;
  op->out_trade_no = g_strdup (call->out_trade_no);
  op->pay_call_at = call->now;
  op->deadline_at = call->deadline;
  op->state = TILL_PAYMENT_STATE_SUBMITTING;
  op->message = till_payment_service_describe (op->state, NULL);
  till_payment_store_call_unref (call);

  if (self->shut_down)
    {
      /* Stored but never sent: the next start resolves it (query, then reverse/close). */
      op->svc = NULL;
      till_pay_op_unref (op);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The payment service was stopped"));
      return;
    }
  op->task = g_steal_pointer (&task);
  op->auth_code = g_strdup (data->auth_code);
  op_register (self, op);
  till_pay_op_emit_changed (op);
  till_crash_point (till_pay_op_is_qr (op) ? "native.after_commit_before_send"
                                            : "pay.after_commit_before_send");
  if (till_pay_op_is_qr (op))
    till_pay_op_start_qr (op);
  else
    till_pay_op_start_codepay (op);
}

static void
start_payment (TillPaymentService  *self,
               TillPayProvider     *provider,
               TillPayScene         scene,
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
  gint64 now = till_payment_service_now_us (self);
  gsize len = auth_code != NULL ? strlen (auth_code) : 0;
  TillPaymentMethod method = TILL_PAYMENT_METHOD_CASH;

  g_task_set_source_tag (task, source_tag);
  data->auth_code = g_strdup (auth_code);
  data->provider = provider != NULL ? g_object_ref (provider) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) begin_data_free);

  if (self->shut_down)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The payment service was stopped"));
      return;
    }
  if (provider == NULL)
    {
      /* Refused before anything is stored: a code of a provider this till does not speak
       * (or one not set up here). */
      g_task_return_new_error (task, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED,
                               scene == TILL_PAY_SCENE_CODE
                                 ? _("This kind of payment code is not accepted at this till")
                                 : _("This payment provider is not set up on this till"));
      return;
    }
  if (!till_pay_provider_get_method (provider, scene, &method))
    {
      g_task_return_new_error (task, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED,
                               _("This payment provider cannot take this kind of payment"));
      return;
    }
  if (scene == TILL_PAY_SCENE_CODE && len < 4)
    {
      g_task_return_new_error (task, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID,
                               _("This is not a payment code"));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  call = till_payment_store_call_new (CALL_BEGIN);
  call->sale_id = sale_id;
  call->method = method;
  call->scene = scene;
  call->amount = amount_fen;
  call->store_id = g_strdup (self->store_id);
  call->device_id = g_strdup (self->device_id);
  call->last4 = auth_code != NULL ? g_strdup (auth_code + len - 4) : NULL;
  call->now = now;
  call->deadline = now + (gint64) (scene == TILL_PAY_SCENE_QR
                                   ? self->native_deadline_ms : self->deadline_ms) * 1000;
  till_payment_store_call_async (self, call, begin_cb, g_steal_pointer (&task));
  till_payment_store_call_unref (call);
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

  start_payment (self, till_payment_service_get_provider_for_code (self, auth_code),
                 TILL_PAY_SCENE_CODE, sale_id, amount_fen, auth_code,
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

  till_payment_service_pay_qr_async (self, NULL, sale_id, amount_fen, cancellable, callback,
                                     user_data);
}

void
till_payment_service_pay_qr_async (TillPaymentService  *self,
                                   const char          *provider_name,
                                   gint64               sale_id,
                                   gint64               amount_fen,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  TillPayProvider *provider;

  g_return_if_fail (TILL_IS_PAYMENT_SERVICE (self));

  provider = provider_name != NULL ? till_payment_service_get_provider_by_name (self,
                                                                                provider_name)
                                   : self->provider;
  start_payment (self, provider, TILL_PAY_SCENE_QR, sale_id, amount_fen, NULL,
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
  if (op->timer_id != 0 && op->timer_step == till_pay_op_query)
    {
      till_pay_op_cancel_timer (op);
      till_pay_op_query (op);
    }
  return TRUE;
}

/* ---- resuming from the store */

/* The provider that made a stored payment (by the method it recorded), and its scene;
 * NULL when no provider here records that method. */
static TillPayProvider *
provider_for_record (TillPaymentService      *self,
                     const TillPaymentRecord *record,
                     TillPayScene            *out_scene)
{
  for (guint i = 0; i < self->providers->len; i++)
    {
      TillPayProvider *provider = g_ptr_array_index (self->providers, i);

      if (till_pay_provider_owns_method (provider, record->method, out_scene))
        return provider;
    }
  return NULL;
}

static PayOp *
op_from_record (TillPaymentService      *self,
                TillPayProvider         *provider,
                const TillPaymentRecord *record,
                TillPayScene             scene)
{
  PayOp *op = till_pay_op_new (self);

  op->provider = g_object_ref (provider);
  op->payment_id = record->id;
  op->sale_id = record->sale_id;
  op->method = record->method;
  op->scene = scene;
  op->amount = record->amount_fen;
  op->out_trade_no = g_strdup (record->out_trade_no);
  op->transaction_id = g_strdup (record->transaction_id);
  op->state = record->state;
  op->pay_call_at = MAX (record->pay_call_at, record->created_at) + RESUME_MARGIN_US
                    + (gint64) till_pay_provider_get_timeout_ms (provider) * 1000;
  op->deadline_at = record->deadline_at > 0 ? record->deadline_at : till_payment_service_now_us (self);
  /* After a restart no QR code is shown any more: a QR order is only checked, then
   * closed. */
  if (till_pay_op_is_qr (op))
    op->deadline_at = MIN (op->deadline_at, till_payment_service_now_us (self));
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
      till_pay_op_cancel_step (op);
      break;
    case TILL_PAYMENT_STATE_SUBMITTING:
      /* It may or may not have left: its outcome is unknown. */
      till_pay_op_persist (op, TILL_PAYMENT_STATE_IN_DOUBT, "interrupted", till_pay_op_query);
      break;
    case TILL_PAYMENT_STATE_USER_PAYING:
    case TILL_PAYMENT_STATE_IN_DOUBT:
    default:
      till_pay_op_query (op);
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
      TillPayScene scene;
      TillPayProvider *provider;
      PayOp *op;

      if (g_hash_table_contains (self->ops, &record->id) || record->out_trade_no == NULL)
        continue;
      if ((provider = provider_for_record (self, record, &scene)) == NULL)
        {
          g_warning ("Payment %" G_GINT64_FORMAT " (%s, %s): no provider here records this "
                     "method; left for later", record->id, record->out_trade_no,
                     till_payment_method_to_string (record->method));
          continue;
        }
      op = op_from_record (self, provider, record, scene);
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
  TillPayScene scene = TILL_PAY_SCENE_CODE;
  TillPayProvider *provider = NULL;
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
  else if ((provider = provider_for_record (self, call->record, &scene)) == NULL)
    /* Not definite: the job waits until a provider for it is set up. */
    g_task_return_new_error (task, TILL_PAY_ERROR, TILL_PAY_ERROR_FAILED,
                             _("No payment provider here can finish a %s payment"),
                             till_payment_method_to_string (call->record->method));
  else
    {
      op = op_from_record (self, provider, call->record, scene);
      op->from_worker = TRUE;
      g_ptr_array_add (op->waiters, g_steal_pointer (&task));
      op_register (self, op);
      op_resume (op);
    }
  till_payment_store_call_unref (call);
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
  call = till_payment_store_call_new (CALL_GET);
  call->payment_id = payment_id;
  till_payment_store_call_async (self, call, resolve_get_cb, g_steal_pointer (&task));
  till_payment_store_call_unref (call);
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

void
till_payment_service_add_provider (TillPaymentService *self,
                                   TillPayProvider    *provider)
{
  g_return_if_fail (TILL_IS_PAYMENT_SERVICE (self));
  g_return_if_fail (TILL_IS_PAY_PROVIDER (provider));

  if (!g_ptr_array_find (self->providers, provider, NULL))
    g_ptr_array_add (self->providers, g_object_ref (provider));
}

GPtrArray *
till_payment_service_get_providers (TillPaymentService *self)
{
  g_return_val_if_fail (TILL_IS_PAYMENT_SERVICE (self), NULL);
  return self->providers;
}

TillPayProvider *
till_payment_service_get_provider_for_code (TillPaymentService *self,
                                            const char         *code)
{
  g_autoptr(TillBarcode) barcode = NULL;

  g_return_val_if_fail (TILL_IS_PAYMENT_SERVICE (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  barcode = till_barcode_classify (code, NULL);
  for (guint i = 0; i < self->providers->len; i++)
    {
      TillPayProvider *provider = g_ptr_array_index (self->providers, i);

      if (till_pay_provider_accepts_code (provider, barcode->kind))
        return provider;
    }
  return NULL;
}

TillPayProvider *
till_payment_service_get_provider_by_name (TillPaymentService *self,
                                           const char         *name)
{
  g_return_val_if_fail (TILL_IS_PAYMENT_SERVICE (self), NULL);

  for (guint i = 0; name != NULL && i < self->providers->len; i++)
    {
      TillPayProvider *provider = g_ptr_array_index (self->providers, i);

      if (g_strcmp0 (till_pay_provider_get_name (provider), name) == 0)
        return provider;
    }
  return NULL;
}

TillPayProvider *
till_payment_service_get_provider (TillPaymentService *self)
{
  g_return_val_if_fail (TILL_IS_PAYMENT_SERVICE (self), NULL);
  return self->provider;
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
    g_ptr_array_add (live, till_pay_op_ref (value));
  for (guint i = 0; i < live->len; i++)
    {
      PayOp *op = g_ptr_array_index (live, i);
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                     _("The payment service was stopped"));

      g_message ("Payment %" G_GINT64_FORMAT " (%s) left %s by a stop", op->payment_id,
                 op->out_trade_no, till_payment_state_to_string (op->state));
      till_pay_op_cancel_timer (op);
      if (op->task != NULL)
        {
          g_autoptr(GTask) task = g_steal_pointer (&op->task);
          g_task_return_error (task, g_error_copy (error));
        }
      for (guint j = 0; j < op->waiters->len; j++)
        g_task_return_error (g_ptr_array_index (op->waiters, j), g_error_copy (error));
      g_ptr_array_set_size (op->waiters, 0);
      op->svc = NULL;
      till_pay_op_unref (op);
    }
  g_hash_table_remove_all (self->ops);
}

/* ---------------------------------------------------------------- GObject */

static void
till_payment_service_dispose (GObject *object)
{
  TillPaymentService *self = TILL_PAYMENT_SERVICE (object);

  till_payment_service_shutdown (self);
  g_clear_object (&self->provider);
  g_clear_pointer (&self->providers, g_ptr_array_unref);
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
  G_OBJECT_CLASS (till_payment_service_parent_class)->finalize (object);
}

static void
till_payment_service_class_init (TillPaymentServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = till_payment_service_dispose;
  object_class->finalize = till_payment_service_finalize;

  till_payment_service_signals[SIGNAL_PAYMENT_CHANGED] =
    g_signal_new ("payment-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING);
  till_payment_service_signals[SIGNAL_NATIVE_CODE] =
    g_signal_new ("native-code", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  till_payment_service_signals[SIGNAL_OUTBOX_CHANGED] =
    g_signal_new ("outbox-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
op_table_unref (gpointer data)
{
  till_pay_op_unref (data);
}

static void
till_payment_service_init (TillPaymentService *self)
{
  self->ops = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, op_table_unref);
  self->cancellable = g_cancellable_new ();
}

TillPaymentService *
till_payment_service_new (TillStore                      *store,
                          TillPayProvider                *provider,
                          const TillPaymentServiceConfig *config,
                          GError                        **error)
{
  g_autoptr(TillPaymentService) self = NULL;
  g_autofree char *probe = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (TILL_IS_STORE (store), NULL);
  g_return_val_if_fail (TILL_IS_PAY_PROVIDER (provider), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  probe = till_store_build_out_trade_no (config->store_id, config->device_id, till_clock_now_us (),
                                         1, &local_error);
  if (probe == NULL)
    {
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID, local_error->message);
      return NULL;
    }

  self = g_object_new (TILL_TYPE_PAYMENT_SERVICE, NULL);
  self->store = g_object_ref (store);
  self->provider = g_object_ref (provider);
  self->providers = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->providers, g_object_ref (provider));
  self->store_id = g_strdup (config->store_id);
  self->device_id = g_strdup (config->device_id);
  self->description = g_strdup (config->description != NULL ? config->description : "Tillpoint");
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
