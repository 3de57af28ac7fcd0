/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 挂单 / 取单: suspending the sale at the counter, resuming it, voiding it, listing them. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include "till-store-private.h"
#include "till-store-suspend.h"

void
till_suspended_sale_free (TillSuspendedSale *sale)
{
  if (sale == NULL)
    return;
  g_free (sale->number);
  g_free (sale->cashier);
  g_free (sale->first_item);
  g_free (sale);
}

static char *
audit_detail (gint64      sale_id,
              const char *number,
              gint64      total_fen,
              guint       n_lines)
{
  g_autoptr(GString) detail = g_string_new ("{\"sale_id\":");

  g_string_append_printf (detail, "%" G_GINT64_FORMAT ",\"number\":", sale_id);
  till_store_json_append_string (detail, number);
  g_string_append_printf (detail, ",\"total_fen\":%" G_GINT64_FORMAT ",\"lines\":%u}",
                          total_fen, n_lines);
  return g_string_free (g_steal_pointer (&detail), FALSE);
}

/* Within the caller's lock and transaction: the snapshot's sale saved as it is and made
 * suspended. */
static gboolean
suspend_snapshot_locked (TillStore        *self,
                         TillSaleSnapshot *snapshot,
                         gint64            now,
                         gint64           *out_id,
                         GError          **error)
{
  g_autoptr(TillCachedStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *detail = NULL;
  gint64 sale_id = 0;

  if (snapshot->state != TILL_SALE_STATE_OPEN)
    {
      g_message ("Suspend refused: sale %s is %s", snapshot->number,
                 till_sale_state_to_string (snapshot->state));
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("Sale %s is not open and cannot be suspended"), snapshot->number);
      return FALSE;
    }
  if (snapshot->lines->len == 0)
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                           _("The cart is empty: there is nothing to suspend"));
      return FALSE;
    }
  if (!till_store_save_snapshot_locked (self, snapshot, &sale_id, error))
    return FALSE;
  /* A payment in progress would be stranded; money taken would be held by a sale that is
   * not at the counter. */
  if (!till_store_check_sale_payments_locked (self, sale_id, TILL_PAID_CHECK_ANY, &local_error))
    {
      if (g_error_matches (local_error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE))
        {
          g_message ("Suspend of sale %s refused: %s", snapshot->number, local_error->message);
          g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                               _("A payment of this sale is in progress or part of it is "
                                 "paid: it cannot be suspended. Finish the payment, or void "
                                 "the sale."));
        }
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  stmt = till_store_prepare_cached (self,
    "UPDATE sale SET state = 'suspended', suspended_at = ?2"
    " WHERE id = ?1 AND state = 'open'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sale_id);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!till_store_step_done (self, stmt, _("The sale could not be suspended"), error))
    return FALSE;
  if (sqlite3_changes (till_store_get_db (self)) != 1)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("Sale %s is not open and cannot be suspended"), snapshot->number);
      return FALSE;
    }
  detail = audit_detail (sale_id, snapshot->number, snapshot->total_fen, snapshot->lines->len);
  if (!till_store_audit_locked (self, snapshot->cashier ? snapshot->cashier : "", "suspend_sale",
                                detail, error))
    return FALSE;
  *out_id = sale_id;
  return TRUE;
}

static gboolean
suspend_snapshot (TillStore        *self,
                  TillSaleSnapshot *snapshot,
                  gint64           *out_id,
                  GError          **error)
{
  g_autoptr(TillStoreLocker) locker = till_store_locker_new (self);

  if (!till_store_begin (self, error))
    return FALSE;
  if (!suspend_snapshot_locked (self, snapshot, till_store_now_us (), out_id, error))
    {
      till_store_rollback (self);
      return FALSE;
    }
  if (!till_store_commit (self, error))
    return FALSE;
  g_message ("Sale %s suspended (%u lines)", snapshot->number, snapshot->lines->len);
  return TRUE;
}

gboolean
till_store_suspend_sale (TillStore   *self,
                         TillSale    *sale,
                         const char  *cashier,
                         const char  *till_id,
                         GError     **error)
{
  g_autoptr(TillSaleSnapshot) snapshot = NULL;
  gint64 id = 0;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (TILL_IS_SALE (sale), FALSE);
  g_return_val_if_fail (till_sale_get_number (sale) != NULL, FALSE);

  snapshot = till_sale_snapshot_new (sale, cashier, till_id);
  if (!suspend_snapshot (self, snapshot, &id, error))
    return FALSE;
  if (till_sale_get_id (sale) != id)
    till_sale_set_id (sale, id);
  till_sale_set_state (sale, TILL_SALE_STATE_SUSPENDED);
  return TRUE;
}

/* ---------------------------------------------------------------- resume */

/* `current` may be NULL; *out_suspended gets whether it was suspended. Returns the id of
 * the resumed sale, 0 on error. */
static gint64
resume_locked (TillStore        *self,
               gint64            sale_id,
               TillSaleSnapshot *current,
               const char       *cashier,
               const char       *till_id,
               gboolean         *out_suspended,
               GError          **error)
{
  g_autoptr(TillCachedStmt) drop = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;
  g_autoptr(TillCachedStmt) head = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *number = NULL;
  gint64 now = till_store_now_us ();
  gint64 current_id = 0, total = 0, n_lines = 0;
  int rc;

  *out_suspended = FALSE;
  if (current != NULL && current->lines->len > 0)
    {
      if (!suspend_snapshot_locked (self, current, now, &current_id, error))
        return 0;
      *out_suspended = TRUE;
    }

  /* An empty open row of this till (lines added and voided again), never paid: nothing to
   * keep. With a payment row it stays, and the trigger refuses the resume below. */
  drop = till_store_prepare_cached (self,
    "DELETE FROM sale WHERE till_id = ?1 AND state = 'open'"
    " AND NOT EXISTS (SELECT 1 FROM sale_line l WHERE l.sale_id = sale.id)"
    " AND NOT EXISTS (SELECT 1 FROM payment p WHERE p.sale_id = sale.id)"
    " AND NOT EXISTS (SELECT 1 FROM points_move m WHERE m.sale_id = sale.id)", error);
  if (drop == NULL)
    return 0;
  sqlite3_bind_text (drop, 1, till_id, -1, SQLITE_TRANSIENT);
  if (!till_store_step_done (self, drop, _("The sale could not be resumed"), error))
    return 0;

  head = till_store_prepare_cached (self,
    "SELECT number, total_fen, (SELECT count(*) FROM sale_line l WHERE l.sale_id = sale.id)"
    " FROM sale WHERE id = ?1 AND till_id = ?2 AND state = 'suspended'", error);
  if (head == NULL)
    return 0;
  sqlite3_bind_int64 (head, 1, sale_id);
  sqlite3_bind_text (head, 2, till_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (head);
  if (rc == SQLITE_DONE)
    {
      g_message ("Resume refused: sale %" G_GINT64_FORMAT " is not suspended at %s", sale_id,
                 till_id);
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                           _("That sale is no longer suspended (it was resumed or voided)"));
      return 0;
    }
  if (rc != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _("The sale could not be resumed"));
      return 0;
    }
  number = till_stmt_dup_text (head, 0);
  total = sqlite3_column_int64 (head, 1);
  n_lines = sqlite3_column_int64 (head, 2);
  g_clear_pointer (&head, till_cached_stmt_release);

  stmt = till_store_prepare_cached (self,
    "UPDATE sale SET state = 'open', suspended_at = NULL WHERE id = ?1 AND state = 'suspended'",
    error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, sale_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      /* The trigger sale_one_open_per_till: another sale of this till is open. */
      g_message ("Resume of sale %s refused: %s", number,
                 sqlite3_errmsg (till_store_get_db (self)));
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                           _("Another sale is open at this till: finish or void it first"));
      return 0;
    }

  detail = audit_detail (sale_id, number, total, (guint) n_lines);
  if (!till_store_audit_locked (self, cashier ? cashier : "", "resume_sale", detail, error))
    return 0;
  return sale_id;
}

typedef struct
{
  gint64            sale_id;
  TillSaleSnapshot *current;    /* may be NULL */
  char             *cashier;
  char             *till_id;
  gint64            current_id;
  gboolean          current_suspended;
} ResumeJob;

static void
resume_job_free (ResumeJob *job)
{
  g_clear_pointer (&job->current, till_sale_snapshot_free);
  g_free (job->cashier);
  g_free (job->till_id);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ResumeJob, resume_job_free)

static TillSale *
resume_run (TillStore  *self,
            ResumeJob  *job,
            GError    **error)
{
  g_autoptr(TillStoreLocker) locker = till_store_locker_new (self);
  gint64 id;

  if (!till_store_begin (self, error))
    return NULL;
  id = resume_locked (self, job->sale_id, job->current, job->cashier, job->till_id,
                      &job->current_suspended, error);
  if (id == 0)
    {
      till_store_rollback (self);
      return NULL;
    }
  if (!till_store_commit (self, error))
    return NULL;
  if (job->current_suspended)
    g_message ("Sale %s suspended for sale %" G_GINT64_FORMAT, job->current->number, id);
  g_message ("Sale %" G_GINT64_FORMAT " resumed", id);
  return till_store_load_sale (self, id, error);
}

static ResumeJob *
resume_job_new (gint64      sale_id,
                TillSale   *current,
                const char *cashier,
                const char *till_id)
{
  ResumeJob *job = g_new0 (ResumeJob, 1);

  job->sale_id = sale_id;
  if (current != NULL && till_sale_get_state (current) == TILL_SALE_STATE_OPEN)
    job->current = till_sale_snapshot_new (current, cashier, till_id);
  job->cashier = g_strdup (cashier);
  job->till_id = g_strdup (till_id);
  return job;
}

/* On the caller's thread, after the job: `current` is suspended now. */
static void
resume_apply (ResumeJob *job,
              TillSale  *current)
{
  if (current == NULL || !job->current_suspended)
    return;
  if (till_sale_get_state (current) != TILL_SALE_STATE_SUSPENDED)
    till_sale_set_state (current, TILL_SALE_STATE_SUSPENDED);
}

TillSale *
till_store_resume_sale (TillStore   *self,
                        gint64       sale_id,
                        TillSale    *current,
                        const char  *cashier,
                        const char  *till_id,
                        char       **out_suspended_number,
                        GError     **error)
{
  g_autoptr(ResumeJob) job = NULL;
  TillSale *sale;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (current == NULL || TILL_IS_SALE (current), NULL);
  g_return_val_if_fail (till_id != NULL, NULL);

  job = resume_job_new (sale_id, current, cashier, till_id);
  sale = resume_run (self, job, error);
  if (sale == NULL)
    return NULL;
  resume_apply (job, current);
  if (out_suspended_number != NULL)
    *out_suspended_number = job->current_suspended ? g_strdup (job->current->number) : NULL;
  return sale;
}

/* ---------------------------------------------------------------- void, list */

gboolean
till_store_void_suspended_sale (TillStore  *self,
                                gint64      sale_id,
                                const char *actor,
                                GError    **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillSale) sale = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  /* The lock is held from the check to the void: nothing resumes it in between. */
  locker = till_store_locker_new (self);
  sale = till_store_load_sale (self, sale_id, error);
  if (sale == NULL)
    return FALSE;
  if (till_sale_get_state (sale) != TILL_SALE_STATE_SUSPENDED)
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                           _("That sale is no longer suspended (it was resumed or voided)"));
      return FALSE;
    }
  return till_store_void_sale (self, sale, actor, error);
}

GPtrArray *
till_store_list_suspended (TillStore   *self,
                           const char  *till_id,
                           GError     **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self,
    "SELECT id, number, opened_at, coalesce (suspended_at, opened_at), cashier, total_fen,"
    "  (SELECT name FROM sale_line l WHERE l.sale_id = sale.id ORDER BY position LIMIT 1),"
    "  (SELECT count(*) FROM sale_line l WHERE l.sale_id = sale.id)"
    " FROM sale WHERE state = 'suspended' AND (?1 IS NULL OR till_id = ?1)"
    " ORDER BY coalesce (suspended_at, opened_at) DESC, id DESC", error);
  if (stmt == NULL)
    return NULL;
  till_stmt_bind_text_or_null (stmt, 1, till_id);

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) till_suspended_sale_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TillSuspendedSale *s = g_new0 (TillSuspendedSale, 1);

      s->id = sqlite3_column_int64 (stmt, 0);
      s->number = till_stmt_dup_text (stmt, 1);
      s->opened_at = sqlite3_column_int64 (stmt, 2);
      s->suspended_at = sqlite3_column_int64 (stmt, 3);
      s->cashier = till_stmt_dup_text (stmt, 4);
      s->total_fen = sqlite3_column_int64 (stmt, 5);
      s->first_item = till_stmt_dup_text (stmt, 6);
      s->n_lines = (guint) sqlite3_column_int64 (stmt, 7);
      g_ptr_array_add (list, s);
    }
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The suspended sales could not be read"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

gint64
till_store_count_suspended (TillStore   *self,
                            const char  *till_id,
                            GError     **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), -1);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self,
    "SELECT count(*) FROM sale WHERE state = 'suspended' AND (?1 IS NULL OR till_id = ?1)",
    error);
  if (stmt == NULL)
    return -1;
  till_stmt_bind_text_or_null (stmt, 1, till_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _("The suspended sales could not be read"));
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

/* ---------------------------------------------------------------- async */

typedef struct
{
  TillSaleSnapshot *snapshot;
  TillSale         *sale;      /* only touched on the caller's thread */
  gint64            id;
} SuspendJob;

static void
suspend_job_free (SuspendJob *job)
{
  till_sale_snapshot_free (job->snapshot);
  g_clear_object (&job->sale);
  g_free (job);
}

static void
suspend_job_run (TillStore *self,
                 GTask     *task)
{
  SuspendJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (suspend_snapshot (self, job->snapshot, &job->id, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
till_store_suspend_sale_async (TillStore          *self,
                               TillSale           *sale,
                               const char         *cashier,
                               const char         *till_id,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  SuspendJob *job;

  g_return_if_fail (TILL_IS_STORE (self));
  g_return_if_fail (TILL_IS_SALE (sale));

  job = g_new0 (SuspendJob, 1);
  job->snapshot = till_sale_snapshot_new (sale, cashier, till_id);
  job->sale = g_object_ref (sale);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_store_suspend_sale_async);
  g_task_set_task_data (task, job, (GDestroyNotify) suspend_job_free);
  till_store_submit (self, task, suspend_job_run);
}

gboolean
till_store_suspend_sale_finish (TillStore     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  SuspendJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == till_store_suspend_sale_async,
                        FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  job = g_task_get_task_data (G_TASK (result));
  if (till_sale_get_id (job->sale) != job->id)
    till_sale_set_id (job->sale, job->id);
  if (till_sale_get_state (job->sale) != TILL_SALE_STATE_SUSPENDED)
    till_sale_set_state (job->sale, TILL_SALE_STATE_SUSPENDED);
  return TRUE;
}

typedef struct
{
  ResumeJob *job;
  TillSale  *current;   /* may be NULL; only touched on the caller's thread */
} ResumeTaskData;

static void
resume_task_data_free (ResumeTaskData *data)
{
  resume_job_free (data->job);
  g_clear_object (&data->current);
  g_free (data);
}

static void
resume_job_run (TillStore *self,
                GTask     *task)
{
  ResumeTaskData *data = g_task_get_task_data (task);
  GError *error = NULL;
  TillSale *sale;

  sale = resume_run (self, data->job, &error);
  if (sale != NULL)
    g_task_return_pointer (task, sale, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
till_store_resume_sale_async (TillStore          *self,
                              gint64              sale_id,
                              TillSale           *current,
                              const char         *cashier,
                              const char         *till_id,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  ResumeTaskData *data;

  g_return_if_fail (TILL_IS_STORE (self));
  g_return_if_fail (current == NULL || TILL_IS_SALE (current));
  g_return_if_fail (till_id != NULL);

  data = g_new0 (ResumeTaskData, 1);
  data->job = resume_job_new (sale_id, current, cashier, till_id);
  data->current = current != NULL ? g_object_ref (current) : NULL;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_store_resume_sale_async);
  g_task_set_task_data (task, data, (GDestroyNotify) resume_task_data_free);
  till_store_submit (self, task, resume_job_run);
}

TillSale *
till_store_resume_sale_finish (TillStore     *self,
                               GAsyncResult  *result,
                               char         **out_suspended_number,
                               GError       **error)
{
  ResumeTaskData *data;
  TillSale *sale;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == till_store_resume_sale_async,
                        NULL);

  if (out_suspended_number != NULL)
    *out_suspended_number = NULL;
  sale = g_task_propagate_pointer (G_TASK (result), error);
  if (sale == NULL)
    return NULL;
  data = g_task_get_task_data (G_TASK (result));
  resume_apply (data->job, data->current);
  if (out_suspended_number != NULL && data->job->current_suspended)
    *out_suspended_number = g_strdup (data->job->current->number);
  return sale;
}
