/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The till's side of the head office (issue 19, schema 21): hq_config, the 'hq_sync'
 * outbox jobs as batches of the rows' current state, their outcome. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "till-store-hq.h"
#include "till-store-outbox.h"
#include "till-store-private.h"

void
till_store_hq_batch_free (TillStoreHqBatch *batch)
{
  if (batch == NULL)
    return;
  g_clear_pointer (&batch->job_ids, g_array_unref);
  g_free (batch->json);
  g_free (batch);
}

/* ---------------------------------------------------------------- enabled */

/* Every row the head office keeps, queued as the triggers of schema 21 would. */
#define HQ_BACKFILL(key_expr, from)                                                                \
  "INSERT INTO outbox (kind, key, next_attempt_at, created_at)"                                    \
  " SELECT 'hq_sync', " key_expr ", 0, ?1 FROM " from                                              \
  " ON CONFLICT (key) DO UPDATE SET state = 'pending', attempts = 0, last_error = NULL,"           \
  " next_attempt_at = 0 WHERE outbox.state <> 'pending'"

static const char *const backfill_sql[] = {
  HQ_BACKFILL ("'hq:sale:' || id", "sale WHERE state NOT IN ('open', 'suspended')"),
  HQ_BACKFILL ("'hq:payment:' || id", "payment WHERE 1"),
  HQ_BACKFILL ("'hq:refund:' || id", "refund WHERE 1"),
  HQ_BACKFILL ("'hq:cash_movement:' || id", "cash_movement WHERE 1"),
  HQ_BACKFILL ("'hq:day_close:' || date", "day_close WHERE 1"),
  HQ_BACKFILL ("'hq:reconciliation:' || id", "reconciliation WHERE 1"),
  HQ_BACKFILL ("'hq:goods_return:' || id", "goods_return WHERE 1"),
  HQ_BACKFILL ("'hq:stock_move:' || id", "stock_move WHERE 1"),
  HQ_BACKFILL ("'hq:stored_value_move:' || id", "stored_value_move WHERE 1"),
  HQ_BACKFILL ("'hq:points_move:' || id", "points_move WHERE 1"),
};

gboolean
till_store_hq_set_enabled (TillStore *self, gboolean enabled, gint64 *out_queued, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  gint64 queued = 0;
  gint64 was = 0;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;
  {
    g_autoptr (TillCachedStmt) get
        = till_store_prepare_cached (self, "SELECT enabled FROM hq_config WHERE id = 1", error);

    if (get == NULL)
      goto fail;
    if (sqlite3_step (get) == SQLITE_ROW)
      was = sqlite3_column_int64 (get, 0);
  }
  if (!till_store_exec_for_id (self, "UPDATE hq_config SET enabled = ?2 WHERE id = ?1", 1,
                               enabled ? 1 : 0, _ ("The head-office setting could not be saved"),
                               error))
    goto fail;
  if (enabled && !was)
    for (guint i = 0; i < G_N_ELEMENTS (backfill_sql); i++)
      {
        g_autoptr (TillCachedStmt) fill = till_store_prepare_cached (self, backfill_sql[i], error);

        if (fill == NULL)
          goto fail;
        sqlite3_bind_int64 (fill, 1, till_store_now_us ());
        if (!till_store_step_done (self, fill, _ ("The head-office setting could not be saved"),
                                   error))
          goto fail;
        queued += sqlite3_changes (till_store_get_db (self));
      }
  if (!till_store_commit (self, error))
    return FALSE;
  if (enabled && !was)
    g_message ("Head office: sending on, %" G_GINT64_FORMAT " rows queued", queued);
  else if (!enabled && was)
    g_message ("Head office: sending off");
  if (out_queued != NULL)
    *out_queued = queued;
  return TRUE;

fail:
  till_store_rollback (self);
  return FALSE;
}

gboolean
till_store_hq_get_enabled (TillStore *self, gboolean *out_enabled, GError **error)
{
  gint64 enabled = till_store_select_int64 (
      self, "SELECT coalesce ((SELECT enabled FROM hq_config WHERE id = 1), 0)",
      _ ("The head-office setting could not be read"), error);

  if (enabled < 0)
    return FALSE;
  *out_enabled = enabled != 0;
  return TRUE;
}

/* ---------------------------------------------------------------- batches */

typedef struct
{
  const char *table;  /* as in the key and the batch */
  const char *select; /* the row by its key (?1) */
  gboolean text_key;
  const char *child; /* the lines sent with it */
  const char *child_select;
} HqTable;

static const HqTable hq_tables[] = {
  { "sale", "SELECT * FROM sale WHERE id = ?1", FALSE, "sale_line",
    "SELECT * FROM sale_line WHERE sale_id = ?1 ORDER BY position" },
  { "payment", "SELECT * FROM payment WHERE id = ?1", FALSE, NULL, NULL },
  { "refund", "SELECT * FROM refund WHERE id = ?1", FALSE, NULL, NULL },
  { "cash_movement", "SELECT * FROM cash_movement WHERE id = ?1", FALSE, NULL, NULL },
  { "day_close", "SELECT * FROM day_close WHERE date = ?1", TRUE, NULL, NULL },
  { "reconciliation", "SELECT * FROM reconciliation WHERE id = ?1", FALSE, NULL, NULL },
  { "goods_return", "SELECT * FROM goods_return WHERE id = ?1", FALSE, "goods_return_line",
    "SELECT * FROM goods_return_line WHERE return_id = ?1 ORDER BY position" },
  { "stock_move", "SELECT * FROM stock_move WHERE id = ?1", FALSE, NULL, NULL },
  { "stored_value_move", "SELECT * FROM stored_value_move WHERE id = ?1", FALSE, NULL, NULL },
  { "points_move", "SELECT * FROM points_move WHERE id = ?1", FALSE, NULL, NULL },
};

/* The names of the batch's arrays, in order: every table and its lines. */
static const char *const batch_tables[] = {
  "sale",           "sale_line",         "payment",
  "refund",         "cash_movement",     "day_close",
  "reconciliation", "goods_return",      "goods_return_line",
  "stock_move",     "stored_value_move", "points_move",
};

static int
batch_index (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (batch_tables); i++)
    if (g_str_equal (batch_tables[i], name))
      return (int)i;
  g_assert_not_reached ();
  return 0;
}

/* Appends every row of `stmt` (bound) as a JSON object of its columns by name. */
static gboolean
append_rows (TillStore *self, sqlite3_stmt *stmt, GString *out, guint *n_rows, GError **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (out->len > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          if (c > 0)
            g_string_append_c (out, ',');
          till_store_json_append_string (out, sqlite3_column_name (stmt, c));
          g_string_append_c (out, ':');
          switch (sqlite3_column_type (stmt, c))
            {
            case SQLITE_INTEGER:
              g_string_append_printf (out, "%" G_GINT64_FORMAT,
                                      (gint64)sqlite3_column_int64 (stmt, c));
              break;
            case SQLITE_FLOAT:
              {
                char buf[G_ASCII_DTOSTR_BUF_SIZE];

                g_string_append (out,
                                 g_ascii_dtostr (buf, sizeof buf, sqlite3_column_double (stmt, c)));
              }
              break;
            case SQLITE_NULL:
              g_string_append (out, "null");
              break;
            default:
              till_store_json_append_string (out, (const char *)sqlite3_column_text (stmt, c));
            }
        }
      g_string_append_c (out, '}');
      (*n_rows)++;
    }
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The head office’s rows could not be read"));
      return FALSE;
    }
  return TRUE;
}

/* Reads one job's rows into the batch's arrays. An unknown key is logged and sent as
 * nothing (its job is done with the batch). */
static gboolean
read_job_rows (TillStore *self, const char *key, GString **arrays, guint *n_rows, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (key, ":", 3);
  const HqTable *t = NULL;

  if (g_strv_length (parts) == 3 && g_str_equal (parts[0], "hq"))
    for (guint i = 0; i < G_N_ELEMENTS (hq_tables); i++)
      if (g_str_equal (hq_tables[i].table, parts[1]))
        t = &hq_tables[i];
  if (t == NULL)
    {
      g_warning ("Head office: an outbox job with an unknown key %s", key);
      return TRUE;
    }
  for (int pass = 0; pass < (t->child != NULL ? 2 : 1); pass++)
    {
      g_autoptr (TillCachedStmt) stmt
          = till_store_prepare_cached (self, pass == 0 ? t->select : t->child_select, error);

      if (stmt == NULL)
        return FALSE;
      if (t->text_key)
        sqlite3_bind_text (stmt, 1, parts[2], -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_int64 (stmt, 1, g_ascii_strtoll (parts[2], NULL, 10));
      if (!append_rows (self, stmt, arrays[batch_index (pass == 0 ? t->table : t->child)], n_rows,
                        error))
        return FALSE;
    }
  return TRUE;
}

TillStoreHqBatch *
till_store_hq_take_batch (TillStore *self, const char *store_id, const char *till_id,
                          guint max_jobs, gint64 now_us, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillStoreHqBatch) batch = g_new0 (TillStoreHqBatch, 1);
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  GString *arrays[G_N_ELEMENTS (batch_tables)] = { NULL };
  g_autoptr (GString) json = NULL;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (store_id != NULL && till_id != NULL && max_jobs > 0, NULL);

  batch->job_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return NULL;
  {
    g_autoptr (TillCachedStmt) pick = till_store_prepare_cached (
        self,
        "SELECT id, key FROM outbox WHERE kind = 'hq_sync' AND state = 'pending'"
        " AND next_attempt_at <= ?1 ORDER BY id LIMIT ?2",
        error);

    if (pick == NULL)
      goto fail;
    sqlite3_bind_int64 (pick, 1, now_us);
    sqlite3_bind_int64 (pick, 2, max_jobs);
    while ((rc = sqlite3_step (pick)) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (pick, 0);

        g_array_append_val (batch->job_ids, id);
        g_ptr_array_add (keys, g_strdup ((const char *)sqlite3_column_text (pick, 1)));
      }
    if (rc != SQLITE_DONE)
      {
        till_store_set_sqlite_error (self, error, _ ("The queued jobs could not be read"));
        goto fail;
      }
  }
  if (batch->job_ids->len == 0)
    {
      till_store_rollback (self);
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (batch_tables); i++)
    arrays[i] = g_string_new (NULL);
  for (guint i = 0; i < batch->job_ids->len; i++)
    {
      if (!till_store_exec_for_id (self, "UPDATE outbox SET state = 'running' WHERE id = ?1",
                                   g_array_index (batch->job_ids, gint64, i), 0,
                                   _ ("The queued jobs could not be read"), error)
          || !read_job_rows (self, g_ptr_array_index (keys, i), arrays, &batch->n_rows, error))
        goto fail;
    }
  if (!till_store_commit (self, error))
    goto fail_committed;

  json = g_string_new ("{\"store_id\":");
  till_store_json_append_string (json, store_id);
  g_string_append (json, ",\"till_id\":");
  till_store_json_append_string (json, till_id);
  g_string_append (json, ",\"tables\":{");
  for (guint i = 0, n = 0; i < G_N_ELEMENTS (batch_tables); i++)
    if (arrays[i]->len > 0)
      {
        if (n++ > 0)
          g_string_append_c (json, ',');
        till_store_json_append_string (json, batch_tables[i]);
        g_string_append_printf (json, ":[%s]", arrays[i]->str);
      }
  g_string_append (json, "}}");
  for (guint i = 0; i < G_N_ELEMENTS (batch_tables); i++)
    g_string_free (arrays[i], TRUE);
  batch->json = g_string_free (g_steal_pointer (&json), FALSE);
  return g_steal_pointer (&batch);

fail:
  till_store_rollback (self);
fail_committed:
  for (guint i = 0; i < G_N_ELEMENTS (batch_tables); i++)
    if (arrays[i] != NULL)
      g_string_free (arrays[i], TRUE);
  return NULL;
}

/* One statement for each job of the batch, in one transaction. */
static gboolean
update_jobs (TillStore *self, GArray *job_ids, const char *sql, gint64 when, const char *reason,
             GError **error)
{
  g_autoptr (TillStoreLocker) locker = till_store_locker_new (self);

  if (!till_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < job_ids->len; i++)
    {
      g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (self, sql, error);

      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, g_array_index (job_ids, gint64, i));
      if (sqlite3_bind_parameter_count (stmt) >= 2)
        sqlite3_bind_int64 (stmt, 2, when);
      if (sqlite3_bind_parameter_count (stmt) >= 3)
        till_stmt_bind_text_or_null (stmt, 3, reason);
      if (!till_store_step_done (self, stmt, _ ("The queued jobs could not be updated"), error))
        goto fail;
    }
  return till_store_commit (self, error);

fail:
  till_store_rollback (self);
  return FALSE;
}

gboolean
till_store_hq_batch_done (TillStore *self, GArray *job_ids, GError **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  return update_jobs (self, job_ids,
                      "UPDATE outbox SET state = 'done', last_error = NULL"
                      " WHERE id = ?1 AND state = 'running'",
                      0, NULL, error);
}

gboolean
till_store_hq_batch_retry (TillStore *self, GArray *job_ids, gint64 next_attempt_at_us,
                           const char *reason, GError **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  return update_jobs (self, job_ids,
                      "UPDATE outbox SET state = 'pending', attempts = attempts + 1,"
                      " next_attempt_at = ?2, last_error = ?3"
                      " WHERE id = ?1 AND state = 'running'",
                      next_attempt_at_us, reason, error);
}

gboolean
till_store_hq_batch_dead (TillStore *self, GArray *job_ids, const char *reason, GError **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  /* a dead job's next_attempt_at is when it was refused (the dead-jobs view shows it) */
  return update_jobs (self, job_ids,
                      "UPDATE outbox SET state = 'dead', attempts = attempts + 1,"
                      " next_attempt_at = ?2, last_error = ?3 WHERE id = ?1 AND state = 'running'",
                      till_store_now_us (), reason, error);
}

GPtrArray *
till_store_hq_list_dead (TillStore *self, guint limit, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;
  g_autoptr (GPtrArray) out = NULL;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (
      self,
      "SELECT id, key, attempts, next_attempt_at, last_error, created_at FROM outbox"
      " WHERE kind = 'hq_sync' AND state = 'dead' ORDER BY next_attempt_at DESC, id DESC"
      " LIMIT ?1",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64)limit : -1);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify)till_outbox_job_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TillOutboxJob *job = g_new0 (TillOutboxJob, 1);

      job->id = sqlite3_column_int64 (stmt, 0);
      job->kind = g_strdup (TILL_OUTBOX_KIND_HQ_SYNC);
      job->key = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      job->state = TILL_OUTBOX_STATE_DEAD;
      job->attempts = sqlite3_column_int (stmt, 2);
      job->next_attempt_at = sqlite3_column_int64 (stmt, 3);
      job->last_error = g_strdup ((const char *)sqlite3_column_text (stmt, 4));
      job->created_at = sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (out, job);
    }
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The queued jobs could not be read"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

gint64
till_store_hq_revive_dead (TillStore *self, gint64 now_us, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;
  gint64 n;

  g_return_val_if_fail (TILL_IS_STORE (self), -1);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self,
                                    "UPDATE outbox SET state = 'pending', attempts = 0,"
                                    " next_attempt_at = ?1"
                                    " WHERE kind = 'hq_sync' AND state = 'dead'",
                                    error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, now_us);
  if (!till_store_step_done (self, stmt, _ ("The queued jobs could not be updated"), error))
    return -1;
  n = sqlite3_changes (till_store_get_db (self));
  if (n > 0)
    g_message ("Head office: %" G_GINT64_FORMAT " refused jobs are pending again", n);
  return n;
}

gint64
till_store_hq_count_waiting (TillStore *self, GError **error)
{
  return till_store_select_int64 (self,
                                  "SELECT count (*) FROM outbox WHERE kind = 'hq_sync'"
                                  " AND state IN ('pending', 'running')",
                                  _ ("The queued jobs could not be read"), error);
}

gint64
till_store_hq_count_dead (TillStore *self, GError **error)
{
  return till_store_select_int64 (self,
                                  "SELECT count (*) FROM outbox WHERE kind = 'hq_sync'"
                                  " AND state = 'dead'",
                                  _ ("The queued jobs could not be read"), error);
}

gint64
till_store_hq_next_due_at (TillStore *self, GError **error)
{
  return till_store_select_int64 (self,
                                  "SELECT coalesce (min (next_attempt_at), 0) FROM outbox"
                                  " WHERE kind = 'hq_sync' AND state = 'pending'",
                                  _ ("The queued jobs could not be read"), error);
}

/* ---------------------------------------------------------------- catalog */

gboolean
till_store_hq_get_catalog (TillStore *self, gint64 *out_version, gint64 *out_synced_at,
                           GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (
      self, "SELECT catalog_version, coalesce (catalog_synced_at, 0) FROM hq_config WHERE id = 1",
      error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _ ("The head-office setting could not be read"));
      return FALSE;
    }
  *out_version = sqlite3_column_int64 (stmt, 0);
  *out_synced_at = sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

gboolean
till_store_hq_apply_catalog (TillStore *self, GPtrArray *products, gint64 version, gint64 now_us,
                             GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (products != NULL, FALSE);

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < products->len; i++)
    {
      TillProduct *product = g_ptr_array_index (products, i);

      product->active = TRUE;
      if (till_store_upsert_product (self, product, error) <= 0)
        goto fail;
    }
  {
    g_autoptr (TillCachedStmt) note = till_store_prepare_cached (
        self,
        "UPDATE hq_config SET catalog_version = max (catalog_version, ?1),"
        " catalog_synced_at = ?2 WHERE id = 1",
        error);

    if (note == NULL)
      goto fail;
    sqlite3_bind_int64 (note, 1, version);
    sqlite3_bind_int64 (note, 2, now_us);
    if (!till_store_step_done (self, note, _ ("The head-office setting could not be saved"), error))
      goto fail;
  }
  if (!till_store_commit (self, error))
    return FALSE;
  if (products->len > 0)
    g_message ("Head office: %u products of the catalog applied, version %" G_GINT64_FORMAT,
               products->len, version);
  return TRUE;

fail:
  till_store_rollback (self);
  return FALSE;
}
