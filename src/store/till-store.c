/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store object: the connection and its lock, the statement cache, transactions and
 * SQLite error reporting. Opening and migrations are in till-store-schema.c, the store
 * thread in till-store-thread.c, the tables' API in the other till-store-*.c. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <string.h>

#include "till-store-private.h"
#include "till-clock.h"


struct _TillStore
{
  GObject      parent_instance;

  char        *path;
  sqlite3     *db;
  GRecMutex    lock;
  guint        tx_depth;       /* under lock */
  GHashTable  *stmt_cache;     /* SQL text -> sqlite3_stmt*, under lock */

  GMutex       worker_lock;    /* guards `worker` creation */
  TillStoreWorker *worker;
};

G_DEFINE_TYPE (TillStore, till_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (till-store-error-quark, till_store_error)

/* ---------------------------------------------------------------- boxed types */

TillProduct *
till_product_copy (const TillProduct *product)
{
  TillProduct *copy;

  g_return_val_if_fail (product != NULL, NULL);

  copy = g_new0 (TillProduct, 1);
  copy->id = product->id;
  copy->barcode = g_strdup (product->barcode);
  copy->plu = g_strdup (product->plu);
  copy->name = g_strdup (product->name);
  copy->price_fen = product->price_fen;
  copy->unit = g_strdup (product->unit);
  copy->weighed = product->weighed;
  copy->active = product->active;
  copy->open_price = product->open_price;
  return copy;
}

void
till_product_free (TillProduct *product)
{
  if (product == NULL)
    return;
  g_free (product->barcode);
  g_free (product->plu);
  g_free (product->name);
  g_free (product->unit);
  g_free (product);
}

G_DEFINE_BOXED_TYPE (TillProduct, till_product, till_product_copy, till_product_free)

/* ---------------------------------------------------------------- helpers */

static TillStoreClockFunc test_clock_func;
static gpointer           test_clock_data;

void
till_store_set_clock_for_testing (TillStoreClockFunc func,
                                  gpointer           data)
{
  test_clock_data = data;
  test_clock_func = func;
}

gint64
till_store_now_us (void)
{
  if (G_UNLIKELY (test_clock_func != NULL))
    return test_clock_func (test_clock_data);
  return till_clock_now_us ();
}

void
till_store_json_append_string (GString    *out,
                               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text ? text : ""; *p; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

int
till_stmt_bind_text_or_null (sqlite3_stmt *stmt,
                             int           index,
                             const char   *text)
{
  if (text == NULL)
    return sqlite3_bind_null (stmt, index);
  return sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

char *
till_stmt_dup_text (sqlite3_stmt *stmt,
                    int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

int
till_store_name_index (const char *const *names,
                       guint              n_names,
                       const char        *text)
{
  for (guint i = 0; text != NULL && i < n_names; i++)
    if (strcmp (text, names[i]) == 0)
      return (int) i;
  return -1;
}

TillStoreError
till_store_error_code_from_sqlite (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
      return TILL_STORE_ERROR_CONSTRAINT;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return TILL_STORE_ERROR_CORRUPT;
    case SQLITE_FULL:
      return TILL_STORE_ERROR_FULL;
    default:
      return TILL_STORE_ERROR_FAILED;
    }
}

void
till_store_set_sqlite_error_db (sqlite3    *db,
                                GError    **error,
                                const char *what)
{
  int rc = db ? sqlite3_errcode (db) : SQLITE_ERROR;
  const char *reason = db ? sqlite3_errmsg (db) : "no connection";

  /* The schema's closed-day triggers (v4) refuse changes to a closed day: an expected
   * refusal with its own code, not a database failure. */
  if ((rc & 0xff) == SQLITE_CONSTRAINT && strstr (reason, "the day is closed") != NULL)
    {
      g_message ("%s: refused, the day is closed", what);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED,
                   _("%s: the day is closed and can no longer change"), what);
      return;
    }

  /* Points redeemed beyond a member's balance (the points ledger's trigger, v17: another
   * till spent them first): the member's to sort out, not a database failure. */
  if ((rc & 0xff) == SQLITE_CONSTRAINT && strstr (reason, "points below zero") != NULL)
    {
      g_message ("%s: refused, not enough points", what);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("%s: the member does not have that many points"), what);
      return;
    }

  /* A full disk is said plainly: the transaction was rolled back, nothing of it is half
   * written, and the same command works again once there is space. */
  if ((rc & 0xff) == SQLITE_FULL)
    {
      g_warning ("%s: SQLite error %d: %s", what, rc, reason);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FULL,
                   "%s", _("The disk is full: nothing of this was saved. Free some space on "
                           "the disk, then try again."));
      return;
    }
  if ((rc & 0xff) == SQLITE_IOERR)
    {
      g_warning ("%s: SQLite error %d: %s", what, rc, reason);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED,
                   "%s", _("The disk could not be written: nothing of this was saved. Try "
                           "again; if it happens again, check the disk."));
      return;
    }

  g_warning ("%s: SQLite error %d: %s", what, rc, reason);
  g_set_error (error, TILL_STORE_ERROR, till_store_error_code_from_sqlite (rc),
               "%s (%s)", what, reason);
}

void
till_store_set_sqlite_error (TillStore  *self,
                             GError    **error,
                             const char *what)
{
  till_store_set_sqlite_error_db (self->db, error, what);
}

gboolean
till_store_exec_literal (sqlite3    *db,
                         const char *sql,
                         GError    **error)
{
  char *errmsg = NULL;
  int rc = sqlite3_exec (db, sql, NULL, NULL, &errmsg);

  if (rc != SQLITE_OK)
    {
      g_warning ("SQL failed (%d: %s): %.200s", rc, errmsg ? errmsg : "?", sql);
      g_set_error (error, TILL_STORE_ERROR, till_store_error_code_from_sqlite (rc),
                   _("The database could not be updated (%s)"), errmsg ? errmsg : "?");
      sqlite3_free (errmsg);
      return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------- lock, statements */

void
till_store_lock (TillStore *self)
{
  g_rec_mutex_lock (&self->lock);
}

void
till_store_unlock (TillStore *self)
{
  g_rec_mutex_unlock (&self->lock);
}

sqlite3 *
till_store_get_db (TillStore *self)
{
  return self->db;
}

TillCachedStmt *
till_store_prepare_cached (TillStore  *self,
                           const char *sql,
                           GError    **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->stmt_cache, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL)
      != SQLITE_OK)
    {
      sqlite3_finalize (stmt);
      till_store_set_sqlite_error (self, error, _("The database could not be read"));
      return NULL;
    }
  g_hash_table_insert (self->stmt_cache, g_strdup (sql), stmt);
  return stmt;
}

gboolean
till_store_step_done (TillStore    *self,
                      sqlite3_stmt *stmt,
                      const char   *what,
                      GError      **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, what);
      return FALSE;
    }
  return TRUE;
}

gboolean
till_store_exec_for_id (TillStore  *self,
                        const char *sql,
                        gint64      id,
                        gint64      value,
                        const char *what,
                        GError    **error)
{
  g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int64 (stmt, 2, value);
  return till_store_step_done (self, stmt, what, error);
}

gint64
till_store_select_int64 (TillStore  *self,
                         const char *sql,
                         const char *what,
                         GError    **error)
{
  g_autoptr(TillStoreLocker) locker = till_store_locker_new (self);
  g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self, sql, error);

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, what);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

/* ---------------------------------------------------------------- transactions */

gboolean
till_store_begin (TillStore *self,
                  GError   **error)
{
  const char *sql = self->tx_depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT till_nested";
  g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The database is busy"));
      return FALSE;
    }
  self->tx_depth++;
  return TRUE;
}

gboolean
till_store_commit (TillStore *self,
                   GError   **error)
{
  const char *sql;
  g_autoptr(TillCachedStmt) stmt = NULL;

  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  sql = self->tx_depth == 1 ? "COMMIT" : "RELEASE till_nested";
  stmt = till_store_prepare_cached (self, sql, error);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (stmt != NULL)
        till_store_set_sqlite_error (self, error, _("The change could not be saved"));
      g_clear_pointer (&stmt, till_cached_stmt_release);
      till_store_rollback (self);
      return FALSE;
    }
  self->tx_depth--;
  return TRUE;
}

void
till_store_rollback (TillStore *self)
{
  g_return_if_fail (self->tx_depth > 0);

  if (self->tx_depth == 1)
    {
      /* Fails harmlessly when SQLite already rolled back (e.g. after SQLITE_FULL). */
      if (!sqlite3_get_autocommit (self->db))
        till_store_exec_literal (self->db, "ROLLBACK", NULL);
    }
  else
    {
      till_store_exec_literal (self->db,
                               "ROLLBACK TO till_nested; RELEASE till_nested", NULL);
    }
  self->tx_depth--;
}

/* ---------------------------------------------------------------- the store thread */

void
till_store_submit (TillStore        *self,
                   GTask            *task,
                   TillStoreJobFunc  func)
{
  TillStoreWorker *worker;

  g_mutex_lock (&self->worker_lock);
  if (self->worker == NULL)
    self->worker = till_store_worker_new ();
  worker = self->worker;
  g_mutex_unlock (&self->worker_lock);

  till_store_worker_push (worker, task, func);
}

void
till_store_flush (TillStore *self)
{
  TillStoreWorker *worker;

  g_return_if_fail (TILL_IS_STORE (self));

  g_mutex_lock (&self->worker_lock);
  worker = self->worker;
  g_mutex_unlock (&self->worker_lock);
  if (worker != NULL)
    till_store_worker_wait (worker);
}

/* ---------------------------------------------------------------- the object */

static void
till_store_finalize (GObject *object)
{
  TillStore *self = TILL_STORE (object);

  g_clear_pointer (&self->worker, till_store_worker_stop);

  g_clear_pointer (&self->stmt_cache, g_hash_table_unref);  /* finalizes statements */
  if (self->db != NULL)
    {
      if (sqlite3_close (self->db) != SQLITE_OK)
        g_warning ("Closing %s: %s", self->path, sqlite3_errmsg (self->db));
      self->db = NULL;
    }
  g_rec_mutex_clear (&self->lock);
  g_mutex_clear (&self->worker_lock);
  g_free (self->path);

  G_OBJECT_CLASS (till_store_parent_class)->finalize (object);
}

static void
till_store_class_init (TillStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = till_store_finalize;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
till_store_init (TillStore *self)
{
  g_rec_mutex_init (&self->lock);
  g_mutex_init (&self->worker_lock);
  self->stmt_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_statement);
}

TillStore *
till_store_open (const char  *path,
                 GError     **error)
{
  g_autoptr(TillStore) self = NULL;
  sqlite3 *db;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  db = till_store_open_db (path, error);
  if (db == NULL)
    return NULL;

  self = g_object_new (TILL_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->db = db;
  /* Nothing else: queued jobs left running by a crash are made pending again by the till
   * that holds the data directory (till_store_outbox_recover()), never here, where a
   * command-line job beside the running till would take back the jobs it is doing. */
  return g_steal_pointer (&self);
}

const char *
till_store_get_path (TillStore *self)
{
  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  return self->path;
}

int
till_store_get_schema_version (TillStore *self)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  gint64 version = -1;

  g_return_val_if_fail (TILL_IS_STORE (self), -1);

  locker = till_store_locker_new (self);
  if (!till_store_query_int (self->db, "PRAGMA user_version", &version, NULL))
    return -1;
  return (int) version;
}
