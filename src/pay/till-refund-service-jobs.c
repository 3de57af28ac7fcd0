/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The refund service's outbox jobs "refund"/"refund_query": look up the stored row by
 * out_refund_no and drive it again. */
#define G_LOG_DOMAIN "till-refund"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "till-refund-service-private.h"
#include "till-store-outbox.h"
#include "till-store-refunds.h"

static gpointer
get_by_no_run (TillStore *store,
               gpointer   data,
               GError   **error)
{
  return till_store_get_refund_by_out_refund_no (store, data, error);
}

/* ---------------------------------------------------------------- outbox jobs */

/* Why an accepted refund's job is not done yet, naming the payment's provider. */
static const char *
pending_words (const TillRefundRecord *record)
{
  gboolean stuck = g_strcmp0 (record->last_error, TILL_REFUND_STUCK_MARK) == 0;

  if (g_strcmp0 (till_payment_method_get_provider (record->method), TILL_PAY_PROVIDER_ALIPAY) == 0)
    return stuck ? _("The refund is stuck at Alipay: handle it in the merchant platform")
                 : _("Alipay is still processing the refund");
  return stuck ? _("The refund is stuck at WeChat Pay (ABNORMAL): handle it in the merchant "
                   "platform")
               : _("WeChat Pay is still processing the refund");
}

static void
job_drive_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GTask *drive = G_TASK (result);
  Drive *d = g_task_get_task_data (drive);
  g_autoptr(GError) error = NULL;
  gssize r = g_task_propagate_int (drive, &error);

  if (r < 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (r == DRIVE_FINAL)
    g_task_return_boolean (task, TRUE);
  else if (r == DRIVE_PROCESSING)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "%s",
                             d->error != NULL ? d->error->message : pending_words (d->record));
  else if (d->error != NULL && till_pay_error_is_definite (d->error)
           && !g_error_matches (d->error, TILL_PAY_ERROR, TILL_PAY_ERROR_NETWORK))
    /* e.g. rate limited: the provider was reached, but the job must not die of it. */
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY, "%s", d->error->message);
  else if (d->error != NULL)
    g_task_return_error (task, g_error_copy (d->error));
  else
    g_task_return_new_error (task, TILL_PAY_ERROR, TILL_PAY_ERROR_FAILED,
                             _("The refund could not be sent yet"));
}

static void
job_get_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TillRefundService *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillRefundRecord) record = till_store_run_finish (TILL_STORE (source), result, &error);

  if (record == NULL)
    {
      if (g_error_matches (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND))
        {
          /* Nothing to send: a job without its row is a definite dead end. */
          g_task_return_new_error (task, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID,
                                   _("The queued refund does not exist"));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->shut_down)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The refund service was stopped"));
      return;
    }
  till_refund_service_drive_async (self, record, TRUE, job_drive_cb, g_steal_pointer (&task));
}

void
till_refund_service_run_job_async (TillRefundService   *self,
                                   const char          *kind,
                                   const char          *key,
                                   const char          *payload_json,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TILL_IS_REFUND_SERVICE (self));
  g_return_if_fail (kind != NULL && key != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_refund_service_run_job_async);
  if (!g_str_equal (kind, TILL_OUTBOX_KIND_REFUND) && !g_str_equal (kind, TILL_OUTBOX_KIND_REFUND_QUERY))
    {
      g_task_return_new_error (task, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID,
                               _("The refund service cannot run queued %s jobs"), kind);
      return;
    }
  if (self->shut_down)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The refund service was stopped"));
      return;
    }
  /* The job's key is the out_refund_no; the stored row decides what to do (send again
   * with the same number, or query), whatever the job's kind says. */
  till_store_run_async (self->store, get_by_no_run, g_strdup (key), g_free,
                        (GDestroyNotify) till_refund_record_free, NULL, job_get_cb,
                        g_steal_pointer (&task));
}

gboolean
till_refund_service_run_job_finish (TillRefundService  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
