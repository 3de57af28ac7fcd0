/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Closing a sale: completing it in cash or voiding it, and the _async variants of saving,
 * completing and voiding for the UI. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include "till-store-private.h"
#include "till-store-cash.h"
#include "till-store-payments.h"

/* ---------------------------------------------------------------- cash, void */

/* Refuses a tendered amount the cash rule cannot take (a coin the drawer does not hold). */
gboolean
till_store_check_cash_unit (gint64             tendered_fen,
                           TillCashRounding   rounding,
                           GError           **error)
{
  g_autoptr(GError) local_error = NULL;

  if (till_money_check_cash (tendered_fen, rounding, &local_error))
    return TRUE;
  g_message ("Cash refused: %" G_GINT64_FORMAT " fen tendered is not in steps of %"
             G_GINT64_FORMAT " fen (%s)", tendered_fen, till_cash_rounding_unit (rounding),
             till_cash_rounding_to_string (rounding));
  g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                       local_error->message);
  return FALSE;
}

static gboolean
complete_cash_snapshot (TillStore        *self,
                        TillSaleSnapshot *snapshot,
                        gint64            tendered_fen,
                        TillCashRounding  rounding,
                        gint64           *out_id,
                        GError          **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) close_sale = NULL;
  g_autoptr(TillCachedStmt) pay = NULL;
  g_autoptr(GString) detail = NULL;
  gint64 now = till_store_now_us ();
  gint64 sale_id = 0;
  gint64 cash_fen;

  if (snapshot->state != TILL_SALE_STATE_OPEN)
    {
      g_message ("Cash payment refused: sale %s is %s", snapshot->number,
                 till_sale_state_to_string (snapshot->state));
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("Sale %s is not open and cannot be paid"), snapshot->number);
      return FALSE;
    }
  if (snapshot->total_fen <= 0)
    {
      g_autofree char *total = till_money_format (snapshot->total_fen);

      g_message ("Cash payment refused: sale %s totals %" G_GINT64_FORMAT,
                 snapshot->number, snapshot->total_fen);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("There is nothing to pay: the total is %s"), total);
      return FALSE;
    }
  /* The customer hands over the total rounded by the cash rule; the payment settles the
   * whole total and records the difference. */
  cash_fen = till_money_round_cash (snapshot->total_fen, rounding);
  if (!till_store_check_cash_unit (tendered_fen, rounding, error))
    return FALSE;
  if (tendered_fen < cash_fen)
    {
      g_autofree char *tendered = till_money_format (tendered_fen);
      g_autofree char *total = till_money_format (snapshot->total_fen);
      g_autofree char *cash = till_money_format (cash_fen);

      g_message ("Cash payment refused: sale %s, %" G_GINT64_FORMAT " tendered for %"
                 G_GINT64_FORMAT " (cash %" G_GINT64_FORMAT ")", snapshot->number,
                 tendered_fen, snapshot->total_fen, cash_fen);
      if (cash_fen == snapshot->total_fen)
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                     _("The cash given (%s) is less than the total (%s)"), tendered, total);
      else
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                     _("The cash given (%s) is less than the cash due (%s, the total %s "
                       "rounded)"), tendered, cash, total);
      return FALSE;
    }

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;

  if (!till_store_check_day_open_for_sales (self, now, error)
      || !till_store_save_snapshot_locked (self, snapshot, &sale_id, error))
    goto fail;
  /* Never cash while an electronic payment of this sale is unresolved (double charge),
   * nor a whole-total cash payment on top of a partial one (till_store_add_cash_payment). */
  if (!till_store_check_sale_payments_locked (self, sale_id, TILL_PAID_CHECK_ANY, error))
    goto fail;

  close_sale = till_store_prepare_cached (self,
    "UPDATE sale SET state = 'paid', closed_at = ?2, total_fen = ?3"
    " WHERE id = ?1 AND state = 'open'", error);
  if (close_sale == NULL)
    goto fail;
  sqlite3_bind_int64 (close_sale, 1, sale_id);
  sqlite3_bind_int64 (close_sale, 2, now);
  sqlite3_bind_int64 (close_sale, 3, snapshot->total_fen);
  if (sqlite3_step (close_sale) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The sale could not be completed"));
      goto fail;
    }
  if (sqlite3_changes (till_store_get_db (self)) != 1)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("Sale %s is not open and cannot be paid"), snapshot->number);
      goto fail;
    }

  detail = g_string_new (NULL);
  g_string_append_printf (detail, "{\"tendered_fen\":%" G_GINT64_FORMAT
                          ",\"change_fen\":%" G_GINT64_FORMAT "}",
                          tendered_fen, tendered_fen - cash_fen);

  pay = till_store_prepare_cached (self,
    "INSERT INTO payment (sale_id, method, amount_fen, out_trade_no, state, created_at,"
    "  updated_at, detail_json, rounding_fen)"
    " VALUES (?1, 'cash', ?2, NULL, 'paid', ?3, ?3, ?4, ?5)", error);
  if (pay == NULL)
    goto fail;
  sqlite3_bind_int64 (pay, 1, sale_id);
  sqlite3_bind_int64 (pay, 2, snapshot->total_fen);
  sqlite3_bind_int64 (pay, 3, now);
  sqlite3_bind_text (pay, 4, detail->str, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (pay, 5, cash_fen - snapshot->total_fen);
  if (sqlite3_step (pay) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The cash payment could not be recorded"));
      goto fail;
    }

  if (!till_store_commit (self, error))
    return FALSE;
  g_message ("Sale %s paid in cash: %" G_GINT64_FORMAT " fen, %" G_GINT64_FORMAT
             " fen received (rounding %s)", snapshot->number, snapshot->total_fen, cash_fen,
             till_cash_rounding_to_string (rounding));
  *out_id = sale_id;
  return TRUE;

fail:
  till_store_rollback (self);
  return FALSE;
}

gboolean
till_store_complete_cash_sale (TillStore   *self,
                               TillSale    *sale,
                               gint64       tendered_fen,
                               GError     **error)
{
  return till_store_complete_cash_sale_rounded (self, sale, tendered_fen,
                                                TILL_CASH_ROUNDING_NONE, error);
}

gboolean
till_store_complete_cash_sale_rounded (TillStore        *self,
                                       TillSale         *sale,
                                       gint64            tendered_fen,
                                       TillCashRounding  rounding,
                                       GError          **error)
{
  g_autoptr(TillSaleSnapshot) snapshot = NULL;
  gint64 id = 0;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (TILL_IS_SALE (sale), FALSE);
  g_return_val_if_fail (till_sale_get_number (sale) != NULL, FALSE);

  snapshot = till_sale_snapshot_new (sale, NULL, NULL);
  if (!complete_cash_snapshot (self, snapshot, tendered_fen, rounding, &id, error))
    return FALSE;
  if (till_sale_get_id (sale) != id)
    till_sale_set_id (sale, id);
  till_sale_set_state (sale, TILL_SALE_STATE_PAID);
  return TRUE;
}

static gboolean
void_snapshot (TillStore        *self,
               TillSaleSnapshot *snapshot,
               const char       *actor,
               gint64           *out_id,
               GError          **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(GString) detail = NULL;
  gint64 sale_id = 0;

  if (till_sale_snapshot_is_final (snapshot))
    {
      g_message ("Void refused: sale %s is %s", snapshot->number,
                 till_sale_state_to_string (snapshot->state));
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("Sale %s is closed and cannot be voided"), snapshot->number);
      return FALSE;
    }

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;
  if (!till_store_check_day_open_for_sales (self, till_store_now_us (), error)
      || !till_store_save_snapshot_locked (self, snapshot, &sale_id, error))
    goto fail;
  /* A sale whose payment is in progress, or that took money, cannot be voided away: money
   * taken goes back through refunds first (till_store_void_sale_refunding). */
  if (!till_store_check_sale_payments_locked (self, sale_id, TILL_PAID_CHECK_ANY, error))
    goto fail;

  if (!till_store_exec_for_id (self,
                               "UPDATE sale SET state = 'voided', closed_at = ?2"
                               " WHERE id = ?1 AND state IN ('open', 'suspended')",
                               sale_id, till_store_now_us (),
                               _("The sale could not be voided"), error))
    goto fail;
  if (sqlite3_changes (till_store_get_db (self)) != 1)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("Sale %s is closed and cannot be voided"), snapshot->number);
      goto fail;
    }

  detail = g_string_new ("{\"sale_id\":");
  g_string_append_printf (detail, "%" G_GINT64_FORMAT ",\"number\":", sale_id);
  till_store_json_append_string (detail, snapshot->number);
  g_string_append_printf (detail, ",\"total_fen\":%" G_GINT64_FORMAT ",\"lines\":%u}",
                          snapshot->total_fen, snapshot->lines->len);
  if (!till_store_audit_locked (self, actor, "void_sale", detail->str, error))
    goto fail;

  if (!till_store_commit (self, error))
    return FALSE;
  g_message ("Sale %s voided by %s", snapshot->number, actor);
  *out_id = sale_id;
  return TRUE;

fail:
  till_store_rollback (self);
  return FALSE;
}

gboolean
till_store_void_sale (TillStore   *self,
                      TillSale    *sale,
                      const char  *actor,
                      GError     **error)
{
  g_autoptr(TillSaleSnapshot) snapshot = NULL;
  gint64 id = 0;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (TILL_IS_SALE (sale), FALSE);
  g_return_val_if_fail (till_sale_get_number (sale) != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  snapshot = till_sale_snapshot_new (sale, NULL, NULL);
  if (!void_snapshot (self, snapshot, actor, &id, error))
    return FALSE;
  if (till_sale_get_id (sale) != id)
    till_sale_set_id (sale, id);
  till_sale_set_state (sale, TILL_SALE_STATE_VOIDED);
  return TRUE;
}

/* ---------------------------------------------------------------- async */

typedef enum
{
  SALE_JOB_SAVE,
  SALE_JOB_COMPLETE_CASH,
  SALE_JOB_VOID,
} SaleJobKind;

typedef struct
{
  SaleJobKind       kind;
  TillSaleSnapshot *snapshot;
  TillSale         *sale;       /* only touched on the caller's thread, in _finish */
  char             *actor;
  gint64            tendered_fen;
  TillCashRounding  rounding;
  gint64            id;         /* written on the store thread before the task returns */
} SaleJob;

static void
sale_job_free (SaleJob *job)
{
  till_sale_snapshot_free (job->snapshot);
  g_clear_object (&job->sale);
  g_free (job->actor);
  g_free (job);
}

static void
sale_job_run (TillStore *self,
              GTask     *task)
{
  SaleJob *job = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean ok = FALSE;

  switch (job->kind)
    {
    case SALE_JOB_SAVE:
      ok = till_store_save_snapshot (self, job->snapshot, &job->id, &error);
      break;
    case SALE_JOB_COMPLETE_CASH:
      ok = complete_cash_snapshot (self, job->snapshot, job->tendered_fen, job->rounding,
                                   &job->id, &error);
      break;
    case SALE_JOB_VOID:
      ok = void_snapshot (self, job->snapshot, job->actor, &job->id, &error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Queues `job` (taken) for the store thread. */
static void
sale_job_submit (TillStore          *self,
                 SaleJob            *job,
                 TillSale           *sale,
                 gpointer            source_tag,
                 GCancellable       *cancellable,
                 GAsyncReadyCallback callback,
                 gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  job->sale = g_object_ref (sale);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) sale_job_free);
  till_store_submit (self, task, sale_job_run);
}

void
till_store_save_sale_async (TillStore          *self,
                            TillSale           *sale,
                            const char         *cashier,
                            const char         *till_id,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  SaleJob *job;

  g_return_if_fail (TILL_IS_STORE (self));
  g_return_if_fail (TILL_IS_SALE (sale));
  g_return_if_fail (till_sale_get_number (sale) != NULL);

  job = g_new0 (SaleJob, 1);
  job->kind = SALE_JOB_SAVE;
  job->snapshot = till_sale_snapshot_new (sale, cashier, till_id);
  sale_job_submit (self, job, sale, till_store_save_sale_async, cancellable, callback,
                   user_data);
}

static gboolean
sale_task_finish (TillStore     *self,
                  GAsyncResult  *result,
                  gpointer       source_tag,
                  gboolean       set_state,
                  TillSaleState  state,
                  GError       **error)
{
  SaleJob *job;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  job = g_task_get_task_data (G_TASK (result));
  if (till_sale_get_id (job->sale) == 0
      && g_strcmp0 (till_sale_get_number (job->sale), job->snapshot->number) == 0)
    till_sale_set_id (job->sale, job->id);
  if (set_state && till_sale_get_state (job->sale) != state)
    till_sale_set_state (job->sale, state);
  return TRUE;
}

gboolean
till_store_save_sale_finish (TillStore     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return sale_task_finish (self, result, till_store_save_sale_async, FALSE, 0, error);
}

void
till_store_complete_cash_sale_async (TillStore          *self,
                                     TillSale           *sale,
                                     gint64              tendered_fen,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data)
{
  till_store_complete_cash_sale_rounded_async (self, sale, tendered_fen,
                                               TILL_CASH_ROUNDING_NONE, cancellable, callback,
                                               user_data);
}

void
till_store_complete_cash_sale_rounded_async (TillStore          *self,
                                             TillSale           *sale,
                                             gint64              tendered_fen,
                                             TillCashRounding    rounding,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data)
{
  SaleJob *job;

  g_return_if_fail (TILL_IS_STORE (self));
  g_return_if_fail (TILL_IS_SALE (sale));
  g_return_if_fail (till_sale_get_number (sale) != NULL);

  job = g_new0 (SaleJob, 1);
  job->kind = SALE_JOB_COMPLETE_CASH;
  job->snapshot = till_sale_snapshot_new (sale, NULL, NULL);
  job->tendered_fen = tendered_fen;
  job->rounding = rounding;
  sale_job_submit (self, job, sale, till_store_complete_cash_sale_async, cancellable,
                   callback, user_data);
}

gboolean
till_store_complete_cash_sale_finish (TillStore     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return sale_task_finish (self, result, till_store_complete_cash_sale_async, TRUE,
                           TILL_SALE_STATE_PAID, error);
}

void
till_store_void_sale_async (TillStore          *self,
                            TillSale           *sale,
                            const char         *actor,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  SaleJob *job;

  g_return_if_fail (TILL_IS_STORE (self));
  g_return_if_fail (TILL_IS_SALE (sale));
  g_return_if_fail (till_sale_get_number (sale) != NULL);
  g_return_if_fail (actor != NULL);

  job = g_new0 (SaleJob, 1);
  job->kind = SALE_JOB_VOID;
  job->snapshot = till_sale_snapshot_new (sale, NULL, NULL);
  job->actor = g_strdup (actor);
  sale_job_submit (self, job, sale, till_store_void_sale_async, cancellable, callback,
                   user_data);
}

gboolean
till_store_void_sale_finish (TillStore     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return sale_task_finish (self, result, till_store_void_sale_async, TRUE,
                           TILL_SALE_STATE_VOIDED, error);
}
