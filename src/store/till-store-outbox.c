/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The outbox: durable jobs for calls that cannot be made now, idempotent by key. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include "till-store-private.h"
#include "till-store-outbox.h"

static const char *const state_names[] = { "pending", "running", "done", "dead" };

const char *
till_outbox_state_to_string (TillOutboxState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), NULL);
  return state_names[state];
}

static TillOutboxState
state_from_string (const char *text)
{
  int i = TILL_STORE_NAME_INDEX (state_names, text);

  if (i >= 0)
    return (TillOutboxState) i;
  g_warning ("Outbox job with unknown state %s", text ? text : "(null)");
  return TILL_OUTBOX_STATE_PENDING;
}

G_DEFINE_BOXED_TYPE (TillOutboxJob, till_outbox_job, till_outbox_job_copy, till_outbox_job_free)

TillOutboxJob *
till_outbox_job_copy (const TillOutboxJob *job)
{
  TillOutboxJob *copy;

  g_return_val_if_fail (job != NULL, NULL);
  copy = g_memdup2 (job, sizeof *job);
  copy->kind = g_strdup (job->kind);
  copy->key = g_strdup (job->key);
  copy->payload_json = g_strdup (job->payload_json);
  copy->last_error = g_strdup (job->last_error);
  return copy;
}

void
till_outbox_job_free (TillOutboxJob *job)
{
  if (job == NULL)
    return;
  g_free (job->kind);
  g_free (job->key);
  g_free (job->payload_json);
  g_free (job->last_error);
  g_free (job);
}

#define JOB_COLUMNS \
  "id, kind, key, payload_json, state, attempts, next_attempt_at, last_error, created_at"

static TillOutboxJob *
job_from_row (sqlite3_stmt *stmt)
{
  TillOutboxJob *job = g_new0 (TillOutboxJob, 1);

  job->id = sqlite3_column_int64 (stmt, 0);
  job->kind = till_stmt_dup_text (stmt, 1);
  job->key = till_stmt_dup_text (stmt, 2);
  job->payload_json = till_stmt_dup_text (stmt, 3);
  job->state = state_from_string ((const char *) sqlite3_column_text (stmt, 4));
  job->attempts = sqlite3_column_int (stmt, 5);
  job->next_attempt_at = sqlite3_column_int64 (stmt, 6);
  job->last_error = till_stmt_dup_text (stmt, 7);
  job->created_at = sqlite3_column_int64 (stmt, 8);
  return job;
}

/* One row by id or key (lock held). */
static TillOutboxJob *
get_locked (TillStore  *self,
            gint64      id,
            const char *key,
            GError    **error)
{
  g_autoptr(TillCachedStmt) stmt = NULL;
  int rc;

  if (key != NULL)
    {
      stmt = till_store_prepare_cached (self,
        "SELECT " JOB_COLUMNS " FROM outbox WHERE key = ?1", error);
      if (stmt != NULL)
        sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
    }
  else
    {
      stmt = till_store_prepare_cached (self,
        "SELECT " JOB_COLUMNS " FROM outbox WHERE id = ?1", error);
      if (stmt != NULL)
        sqlite3_bind_int64 (stmt, 1, id);
    }
  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return job_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                         _("The queued job does not exist"));
  else
    till_store_set_sqlite_error (self, error, _("The queued jobs could not be read"));
  return NULL;
}

TillOutboxJob *
till_store_outbox_enqueue (TillStore  *self,
                           const char *kind,
                           const char *key,
                           const char *payload_json,
                           gint64      next_attempt_at_us,
                           gboolean   *out_created,
                           GError    **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;
  TillOutboxJob *job;
  gboolean created;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (kind != NULL && *kind != '\0', NULL);
  g_return_val_if_fail (key != NULL && *key != '\0', NULL);

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return NULL;
  stmt = till_store_prepare_cached (self,
    "INSERT INTO outbox (kind, key, payload_json, state, attempts, next_attempt_at,"
    "  created_at)"
    " VALUES (?1, ?2, ?3, 'pending', 0, ?4, ?5)"
    " ON CONFLICT (key) DO NOTHING", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  till_stmt_bind_text_or_null (stmt, 3, payload_json);
  sqlite3_bind_int64 (stmt, 4, next_attempt_at_us);
  sqlite3_bind_int64 (stmt, 5, till_store_now_us ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The job could not be queued"));
      goto fail;
    }
  created = sqlite3_changes (till_store_get_db (self)) == 1;
  job = get_locked (self, 0, key, error);
  if (job == NULL)
    goto fail;
  if (!till_store_commit (self, error))
    {
      till_outbox_job_free (job);
      return NULL;
    }
  if (created)
    g_message ("Queued %s job %" G_GINT64_FORMAT " (%s)", kind, job->id, key);
  else if (g_strcmp0 (job->kind, kind) != 0)
    g_warning ("A %s job for key %s was not queued: a %s job has that key", kind, key,
               job->kind);
  if (out_created != NULL)
    *out_created = created;
  return job;

fail:
  till_store_rollback (self);
  return NULL;
}

TillOutboxJob *
till_store_outbox_get_by_key (TillStore  *self,
                              const char *key,
                              GError    **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  locker = till_store_locker_new (self);
  return get_locked (self, 0, key, error);
}

TillOutboxJob *
till_store_outbox_claim_next (TillStore *self,
                              gint64     now_us,
                              GError   **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) pick = NULL;
  g_autoptr(TillCachedStmt) mark = NULL;
  TillOutboxJob *job;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return NULL;
  pick = till_store_prepare_cached (self,
    "SELECT " JOB_COLUMNS " FROM outbox"
    " WHERE state = 'pending' AND next_attempt_at <= ?1 AND kind <> 'hq_sync'"
    " ORDER BY next_attempt_at, id LIMIT 1", error);
  if (pick == NULL)
    goto fail;
  sqlite3_bind_int64 (pick, 1, now_us);
  rc = sqlite3_step (pick);
  if (rc == SQLITE_DONE)
    {
      till_cached_stmt_release (pick);
      if (!till_store_commit (self, error))
        return NULL;
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _("The queued jobs could not be read"));
      goto fail;
    }
  job = job_from_row (pick);
  till_cached_stmt_release (pick);

  mark = till_store_prepare_cached (self,
    "UPDATE outbox SET state = 'running' WHERE id = ?1 AND state = 'pending'", error);
  if (mark == NULL)
    {
      till_outbox_job_free (job);
      goto fail;
    }
  sqlite3_bind_int64 (mark, 1, job->id);
  if (sqlite3_step (mark) != SQLITE_DONE)
    {
      till_outbox_job_free (job);
      till_store_set_sqlite_error (self, error, _("The queued job could not be started"));
      goto fail;
    }
  if (!till_store_commit (self, error))
    {
      till_outbox_job_free (job);
      return NULL;
    }
  job->state = TILL_OUTBOX_STATE_RUNNING;
  return job;

fail:
  till_store_rollback (self);
  return NULL;
}

/* Runs one UPDATE on a job by id; NOT_FOUND when no row matched. */
static gboolean
update_job (TillStore  *self,
            const char *sql,
            gint64      job_id,
            gint64      a,
            const char *text,
            GError    **error)
{
  g_autoptr(TillStoreLocker) locker = till_store_locker_new (self);
  g_autoptr(TillCachedStmt) stmt = NULL;

  stmt = till_store_prepare_cached (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job_id);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int64 (stmt, 2, a);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    till_stmt_bind_text_or_null (stmt, 3, text);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The queued job could not be updated"));
      return FALSE;
    }
  if (sqlite3_changes (till_store_get_db (self)) != 1)
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                           _("The queued job does not exist"));
      return FALSE;
    }
  return TRUE;
}

gboolean
till_store_outbox_done (TillStore *self,
                        gint64     job_id,
                        GError   **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  if (!update_job (self, "UPDATE outbox SET state = 'done', last_error = NULL WHERE id = ?1",
                   job_id, 0, NULL, error))
    return FALSE;
  g_message ("Queued job %" G_GINT64_FORMAT " done", job_id);
  return TRUE;
}

gboolean
till_store_outbox_retry (TillStore  *self,
                         gint64      job_id,
                         gint64      now_us,
                         gint64      next_attempt_at_us,
                         const char *last_error,
                         gint        max_attempts,
                         gint64      max_age_us,
                         gboolean   *out_dead,
                         GError    **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillOutboxJob) job = NULL;
  gboolean dead;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);

  locker = till_store_locker_new (self);
  job = get_locked (self, job_id, NULL, error);
  if (job == NULL)
    return FALSE;
  dead = (max_attempts > 0 && job->attempts + 1 >= max_attempts)
         || (max_age_us > 0 && now_us - job->created_at > max_age_us);
  if (!update_job (self,
                   dead ? "UPDATE outbox SET state = 'dead', attempts = attempts + 1,"
                          "  next_attempt_at = ?2, last_error = ?3 WHERE id = ?1"
                        : "UPDATE outbox SET state = 'pending', attempts = attempts + 1,"
                          "  next_attempt_at = ?2, last_error = ?3 WHERE id = ?1",
                   job_id, next_attempt_at_us, last_error, error))
    return FALSE;
  if (dead)
    g_message ("Queued %s job %" G_GINT64_FORMAT " (%s) gave up after %d attempts: %s",
               job->kind, job_id, job->key, job->attempts + 1,
               last_error ? last_error : "(no reason)");
  else
    g_message ("Queued %s job %" G_GINT64_FORMAT " (%s) failed (attempt %d), next in %"
               G_GINT64_FORMAT " ms: %s", job->kind, job_id, job->key, job->attempts + 1,
               (next_attempt_at_us - now_us) / 1000, last_error ? last_error : "(no reason)");
  if (out_dead != NULL)
    *out_dead = dead;
  return TRUE;
}

gboolean
till_store_outbox_dead (TillStore  *self,
                        gint64      job_id,
                        const char *last_error,
                        GError    **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  if (!update_job (self,
                   "UPDATE outbox SET state = 'dead', attempts = attempts + 1,"
                   "  last_error = ?3 WHERE id = ?1",
                   job_id, 0, last_error, error))
    return FALSE;
  g_message ("Queued job %" G_GINT64_FORMAT " is dead: %s", job_id,
             last_error ? last_error : "(no reason)");
  return TRUE;
}

gboolean
till_store_outbox_revive (TillStore *self,
                          gint64     job_id,
                          gint64     next_attempt_at_us,
                          GError   **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  if (!update_job (self,
                   "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?2"
                   " WHERE id = ?1 AND state IN ('dead', 'done')",
                   job_id, next_attempt_at_us, NULL, error))
    return FALSE;
  g_message ("Queued job %" G_GINT64_FORMAT " revived", job_id);
  return TRUE;
}

gint64
till_store_outbox_make_all_due (TillStore *self,
                                gint64     now_us,
                                GError   **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), -1);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self,
    "UPDATE outbox SET next_attempt_at = ?1"
    " WHERE state = 'pending' AND next_attempt_at > ?1", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, now_us);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The queued jobs could not be rescheduled"));
      return -1;
    }
  return sqlite3_changes (till_store_get_db (self));
}

GPtrArray *
till_store_outbox_list (TillStore *self,
                        int        state,
                        GError   **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) out = NULL;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (state < (int) G_N_ELEMENTS (state_names), NULL);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self,
    "SELECT " JOB_COLUMNS " FROM outbox WHERE ?1 IS NULL OR state = ?1"
    " ORDER BY next_attempt_at, id", error);
  if (stmt == NULL)
    return NULL;
  if (state >= 0)
    sqlite3_bind_text (stmt, 1, state_names[state], -1, SQLITE_STATIC);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) till_outbox_job_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, job_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The queued jobs could not be read"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

gint64
till_store_outbox_count_pending (TillStore *self,
                                 GError   **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), -1);
  return till_store_select_int64 (self,
                                  "SELECT count (*) FROM outbox"
                                  " WHERE state IN ('pending', 'running')"
                                  "  AND kind <> 'hq_sync'",
                                  _("The queued jobs could not be read"), error);
}

gint64
till_store_outbox_next_due_at (TillStore *self,
                               GError   **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), -1);
  return till_store_select_int64 (self,
                                  "SELECT coalesce (min (next_attempt_at), 0) FROM outbox"
                                  " WHERE state = 'pending' AND kind <> 'hq_sync'",
                                  _("The queued jobs could not be read"), error);
}

gboolean
till_store_outbox_release (TillStore *self,
                           gint64     job_id,
                           GError   **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self,
    "UPDATE outbox SET state = 'pending' WHERE id = ?1 AND state = 'running'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The queued jobs could not be recovered"));
      return FALSE;
    }
  return TRUE;
}

gint64
till_store_outbox_recover (TillStore *self,
                           GError   **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;
  gint64 n;

  g_return_val_if_fail (TILL_IS_STORE (self), -1);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self,
    "UPDATE outbox SET state = 'pending' WHERE state = 'running'", error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The queued jobs could not be recovered"));
      return -1;
    }
  n = sqlite3_changes (till_store_get_db (self));
  if (n > 0)
    g_message ("%" G_GINT64_FORMAT " queued job(s) interrupted by a stop were made pending "
               "again", n);
  return n;
}
