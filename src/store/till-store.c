/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store object: opening and checking the file, schema migrations, the lock, the
 * statement cache, transactions and the store thread. Catalog, sales, import and the
 * demo catalog live in till-store-*.c. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <string.h>

#include "till-store-private.h"
#include "till-store-outbox.h"

/*
 * Schema history (PRAGMA user_version). Each step is one function, run in its own
 * transaction together with the user_version bump. Never edit a released step: add one.
 *
 *   1  product, sale, sale_line, sale_seq
 *   2  product.plu, product.weighed, sale_line.weighed/fixed_total; indexes for PLU
 *      lookup, name search and the open sale of a till
 *   3  payment, refund, outbox, audit (append-only by triggers), day_close
 *   4  staff (people, roles, PIN hashes, lockout), cash_movement, reconciliation,
 *      day_close.difference_fen/closed_by, report indexes, and triggers that refuse
 *      sales completed or voided, refunds and cash movements dated on a closed day
 *
 * Times are unix microseconds (INTEGER, UTC) everywhere; day_close.date is the local
 * calendar day as text "YYYY-MM-DD". Money is INTEGER fen; quantities INTEGER thousandths.
 */

struct _TillStore
{
  GObject      parent_instance;

  char        *path;
  sqlite3     *db;
  GRecMutex    lock;
  guint        tx_depth;       /* under lock */
  GHashTable  *stmt_cache;     /* SQL text -> sqlite3_stmt*, under lock */

  GMutex       worker_lock;    /* guards `worker` creation */
  struct _TillStoreWorker *worker;
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

void
till_import_error_free (TillImportError *error)
{
  if (error == NULL)
    return;
  g_free (error->reason);
  g_free (error);
}

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
  return g_get_real_time ();
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

static TillStoreError
error_code_from_sqlite (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
      return TILL_STORE_ERROR_CONSTRAINT;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return TILL_STORE_ERROR_CORRUPT;
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

  g_warning ("%s: SQLite error %d: %s", what, rc, reason);
  g_set_error (error, TILL_STORE_ERROR, error_code_from_sqlite (rc),
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
      g_set_error (error, TILL_STORE_ERROR, error_code_from_sqlite (rc),
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

/* ---------------------------------------------------------------- migrations */

static gboolean
migrate_to_1 (sqlite3  *db,
              GError  **error)
{
  return till_store_exec_literal (db,
    "PRAGMA application_id = " G_STRINGIFY (TILL_STORE_APPLICATION_ID) ";"
    "CREATE TABLE product ("
    "  id         INTEGER PRIMARY KEY,"
    "  barcode    TEXT,"
    "  name       TEXT NOT NULL CHECK (name <> ''),"
    "  price_fen  INTEGER NOT NULL CHECK (price_fen >= 0),"
    "  unit       TEXT NOT NULL DEFAULT '件',"
    "  active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE UNIQUE INDEX product_barcode ON product (barcode);"
    "CREATE TABLE sale ("
    "  id         INTEGER PRIMARY KEY,"
    "  number     TEXT NOT NULL UNIQUE,"
    "  opened_at  INTEGER NOT NULL,"
    "  closed_at  INTEGER,"
    "  state      TEXT NOT NULL DEFAULT 'open'"
    "             CHECK (state IN ('open', 'suspended', 'paid', 'voided', 'refunded')),"
    "  total_fen  INTEGER NOT NULL DEFAULT 0,"
    "  cashier    TEXT,"
    "  till_id    TEXT NOT NULL"
    ");"
    "CREATE TABLE sale_line ("
    "  sale_id        INTEGER NOT NULL REFERENCES sale (id) ON DELETE CASCADE,"
    "  position       INTEGER NOT NULL CHECK (position >= 0),"
    "  product_id     INTEGER REFERENCES product (id) ON DELETE SET NULL,"
    "  barcode        TEXT,"
    "  name           TEXT NOT NULL,"
    "  unit           TEXT,"
    "  qty_milli      INTEGER NOT NULL,"
    "  unit_price_fen INTEGER NOT NULL,"
    "  line_total_fen INTEGER NOT NULL,"
    "  PRIMARY KEY (sale_id, position)"
    ") WITHOUT ROWID;"
    "CREATE INDEX sale_line_product ON sale_line (product_id);"
    /* Sale numbers YYYYMMDD-NNNN: the last number given per till and local day. */
    "CREATE TABLE sale_seq ("
    "  till_id TEXT NOT NULL,"
    "  day     TEXT NOT NULL,"
    "  last    INTEGER NOT NULL,"
    "  PRIMARY KEY (till_id, day)"
    ") WITHOUT ROWID;",
    error);
}

static gboolean
migrate_to_2 (sqlite3  *db,
              GError  **error)
{
  return till_store_exec_literal (db,
    "ALTER TABLE product ADD COLUMN plu TEXT;"
    "ALTER TABLE product ADD COLUMN weighed INTEGER NOT NULL DEFAULT 0"
    "  CHECK (weighed IN (0, 1));"
    "CREATE UNIQUE INDEX product_plu ON product (plu);"
    /* Search walks this index in name order and stops at LIMIT: a name index cannot
     * serve an infix LIKE, but it bounds the work for the common short query. */
    "CREATE INDEX product_name_active ON product (name) WHERE active = 1;"
    "ALTER TABLE sale_line ADD COLUMN weighed INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE sale_line ADD COLUMN fixed_total INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX sale_till_state ON sale (till_id, state);"
    "CREATE INDEX sale_opened_at ON sale (opened_at);",
    error);
}

static gboolean
migrate_to_3 (sqlite3  *db,
              GError  **error)
{
  return till_store_exec_literal (db,
    "CREATE TABLE payment ("
    "  id              INTEGER PRIMARY KEY,"
    "  sale_id         INTEGER NOT NULL REFERENCES sale (id),"
    "  method          TEXT NOT NULL"
    "                  CHECK (method IN ('cash', 'wechat_code', 'wechat_native', 'alipay_code')),"
    "  amount_fen      INTEGER NOT NULL CHECK (amount_fen > 0),"
    "  out_trade_no    TEXT UNIQUE,"           /* NULL for cash */
    "  state           TEXT NOT NULL"
    "                  CHECK (state IN ('submitting', 'user_paying', 'in_doubt', 'reversing',"
    "                                   'paid', 'failed', 'reversed', 'closed')),"
    "  transaction_id  TEXT,"
    /* Never the customer's payment code: at most its last four digits, for support. */
    "  auth_code_last4 TEXT CHECK (auth_code_last4 IS NULL OR length (auth_code_last4) <= 4),"
    "  deadline_at     INTEGER,"               /* user_paying: stop polling, then reverse */
    "  created_at      INTEGER NOT NULL,"
    "  updated_at      INTEGER NOT NULL,"
    "  last_error      TEXT,"
    "  detail_json     TEXT"
    ");"
    "CREATE INDEX payment_sale ON payment (sale_id);"
    "CREATE INDEX payment_unfinished ON payment (state)"
    "  WHERE state IN ('submitting', 'user_paying', 'in_doubt', 'reversing');"
    "CREATE INDEX payment_created_at ON payment (created_at);"
    "CREATE TABLE refund ("
    "  id            INTEGER PRIMARY KEY,"
    "  payment_id    INTEGER NOT NULL REFERENCES payment (id),"
    "  out_refund_no TEXT NOT NULL UNIQUE,"
    "  amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),"
    "  reason        TEXT,"
    "  state         TEXT NOT NULL"
    "                CHECK (state IN ('submitting', 'processing', 'in_doubt',"
    "                                 'success', 'failed', 'closed')),"
    "  refund_id     TEXT,"
    "  created_at    INTEGER NOT NULL,"
    "  updated_at    INTEGER NOT NULL,"
    "  last_error    TEXT"
    ");"
    "CREATE INDEX refund_payment ON refund (payment_id);"
    "CREATE TABLE outbox ("
    "  id              INTEGER PRIMARY KEY,"
    "  kind            TEXT NOT NULL,"
    "  key             TEXT NOT NULL UNIQUE,"
    "  payload_json    TEXT,"
    "  state           TEXT NOT NULL DEFAULT 'pending'"
    "                  CHECK (state IN ('pending', 'running', 'done', 'dead')),"
    "  attempts        INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt_at INTEGER NOT NULL,"
    "  last_error      TEXT,"
    "  created_at      INTEGER NOT NULL"
    ");"
    "CREATE INDEX outbox_due ON outbox (state, next_attempt_at);"
    "CREATE TABLE audit ("
    "  id          INTEGER PRIMARY KEY,"
    "  at          INTEGER NOT NULL,"
    "  actor       TEXT NOT NULL,"
    "  action      TEXT NOT NULL,"
    "  detail_json TEXT"
    ");"
    "CREATE INDEX audit_at ON audit (at);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
    "CREATE TABLE day_close ("
    "  date              TEXT PRIMARY KEY,"   /* local day, YYYY-MM-DD */
    "  closed_at         INTEGER NOT NULL,"
    "  counted_cash_fen  INTEGER NOT NULL,"
    "  expected_cash_fen INTEGER NOT NULL,"
    "  report_json       TEXT"
    ");",
    error);
}

static gboolean
migrate_to_4 (sqlite3  *db,
              GError  **error)
{
  return till_store_exec_literal (db,
    /* People who use the till. The PIN is kept only as PBKDF2-SHA256 (hash, salt and the
     * iteration count, so that the count can be raised later); failed attempts and the
     * lock are counted here so that they survive a restart. */
    "CREATE TABLE staff ("
    "  id              INTEGER PRIMARY KEY,"
    "  name            TEXT NOT NULL UNIQUE CHECK (name <> ''),"
    "  role            TEXT NOT NULL CHECK (role IN ('cashier', 'manager')),"
    "  active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
    "  pin_hash        BLOB CHECK (pin_hash IS NULL OR length (pin_hash) = 32),"
    "  pin_salt        BLOB CHECK (pin_salt IS NULL OR length (pin_salt) >= 16),"
    "  pin_iterations  INTEGER CHECK (pin_iterations IS NULL OR pin_iterations >= 100000),"
    "  failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),"
    "  locked_until    INTEGER NOT NULL DEFAULT 0,"
    "  created_at      INTEGER NOT NULL,"
    "  updated_at      INTEGER NOT NULL"
    ");"
    /* Opening float, cash in and cash out; `day` is the local day YYYY-MM-DD. */
    "CREATE TABLE cash_movement ("
    "  id         INTEGER PRIMARY KEY,"
    "  day        TEXT NOT NULL,"
    "  kind       TEXT NOT NULL CHECK (kind IN ('float', 'in', 'out')),"
    "  amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),"
    "  reason     TEXT,"
    "  at         INTEGER NOT NULL,"
    "  actor      TEXT NOT NULL"
    ");"
    "CREATE INDEX cash_movement_day ON cash_movement (day);"
    "CREATE TABLE reconciliation ("
    "  id          INTEGER PRIMARY KEY,"
    "  date        TEXT NOT NULL,"
    "  fetched_at  INTEGER NOT NULL,"
    "  result_json TEXT NOT NULL,"
    "  status      TEXT NOT NULL CHECK (status IN ('balanced', 'differences'))"
    ");"
    "CREATE INDEX reconciliation_date ON reconciliation (date, fetched_at);"
    "ALTER TABLE day_close ADD COLUMN difference_fen INTEGER;"
    "ALTER TABLE day_close ADD COLUMN closed_by TEXT;"
    /* Reports: the sales of a period, the refunds of a period. */
    "CREATE INDEX sale_state_closed_at ON sale (state, closed_at);"
    "CREATE INDEX refund_state_created_at ON refund (state, created_at);"
    /* A closed day cannot change, whoever writes: no sale paid or voided on it, no
     * refund and no cash movement dated on it. */
    "CREATE TRIGGER sale_closed_day_update BEFORE UPDATE OF state ON sale"
    "  WHEN NEW.state IN ('paid', 'voided') AND OLD.state <> NEW.state"
    "   AND EXISTS (SELECT 1 FROM day_close WHERE date ="
    "     date (coalesce (NEW.closed_at, 0) / 1000000, 'unixepoch', 'localtime'))"
    "  BEGIN SELECT RAISE (ABORT, 'the day is closed'); END;"
    "CREATE TRIGGER sale_closed_day_insert BEFORE INSERT ON sale"
    "  WHEN NEW.state IN ('paid', 'voided')"
    "   AND EXISTS (SELECT 1 FROM day_close WHERE date ="
    "     date (coalesce (NEW.closed_at, 0) / 1000000, 'unixepoch', 'localtime'))"
    "  BEGIN SELECT RAISE (ABORT, 'the day is closed'); END;"
    "CREATE TRIGGER refund_closed_day BEFORE INSERT ON refund"
    "  WHEN EXISTS (SELECT 1 FROM day_close WHERE date ="
    "     date (NEW.created_at / 1000000, 'unixepoch', 'localtime'))"
    "  BEGIN SELECT RAISE (ABORT, 'the day is closed'); END;"
    "CREATE TRIGGER cash_movement_closed_day BEFORE INSERT ON cash_movement"
    "  WHEN EXISTS (SELECT 1 FROM day_close WHERE date = NEW.day)"
    "  BEGIN SELECT RAISE (ABORT, 'the day is closed'); END;"
    "CREATE TRIGGER day_close_no_update BEFORE UPDATE ON day_close"
    "  BEGIN SELECT RAISE (ABORT, 'a closed day cannot change'); END;"
    "CREATE TRIGGER day_close_no_delete BEFORE DELETE ON day_close"
    "  BEGIN SELECT RAISE (ABORT, 'a closed day cannot change'); END;",
    error);
}

typedef gboolean (*MigrationStep) (sqlite3 *db, GError **error);

static const MigrationStep migrations[] = {
  migrate_to_1,
  migrate_to_2,
  migrate_to_3,
  migrate_to_4,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == TILL_STORE_SCHEMA_VERSION);

static gboolean
query_int (sqlite3    *db,
           const char *sql,
           gint64     *out,
           GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      /* The statement's error is the connection's error. */
      if (error != NULL && *error == NULL)
        g_set_error (error, TILL_STORE_ERROR, error_code_from_sqlite (sqlite3_errcode (db)),
                     "%s", sqlite3_errmsg (db));
      sqlite3_finalize (stmt);
      return FALSE;
    }
  *out = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return TRUE;
}

static gboolean
run_migrations (sqlite3    *db,
                const char *path,
                int         from,
                int         to,
                GError    **error)
{
  for (int version = from + 1; version <= to; version++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *bump = NULL;

      g_debug ("Migrating %s to schema version %d", path, version);

      if (!till_store_exec_literal (db, "BEGIN IMMEDIATE", &local_error))
        goto failed;
      /* The version is our own constant, not input: a PRAGMA cannot take a parameter. */
      bump = g_strdup_printf ("PRAGMA user_version = %d", version);
      if (!migrations[version - 1] (db, &local_error)
          || !till_store_exec_literal (db, bump, &local_error)
          || !till_store_exec_literal (db, "COMMIT", &local_error))
        {
          if (!sqlite3_get_autocommit (db))
            till_store_exec_literal (db, "ROLLBACK", NULL);
          goto failed;
        }
      continue;

    failed:
      g_warning ("Migration of %s to version %d failed: %s", path, version,
                 local_error->message);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED,
                   _("The database could not be upgraded to version %d (%s)"),
                   version, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Opens `path` and checks that it is a (possibly empty) Tillpoint database no newer than
 * `max_version`, without writing anything. */
static sqlite3 *
open_and_check (const char *path,
                int        *out_version,
                GError    **error)
{
  sqlite3 *db = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 version = 0, app_id = 0, n_objects = 0;
  int rc;

  rc = sqlite3_open_v2 (path, &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_warning ("Cannot open %s: %s", path, db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED,
                   _("The database “%s” could not be opened (%s)"), path,
                   db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 5000);

  /* Reading the header first: a file that is not SQLite fails here with SQLITE_NOTADB
   * before anything (WAL mode, a migration) could write to it. */
  if (!query_int (db, "SELECT count(*) FROM sqlite_master", &n_objects, &local_error)
      || !query_int (db, "PRAGMA user_version", &version, &local_error)
      || !query_int (db, "PRAGMA application_id", &app_id, &local_error))
    {
      g_warning ("%s is not a readable SQLite database: %s", path, local_error->message);
      if (g_error_matches (local_error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT))
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT,
                     _("“%s” is not a Tillpoint database or it is damaged (%s). "
                       "The file was left as it is."), path, local_error->message);
      else
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED,
                     _("The database “%s” could not be read (%s)"), path,
                     local_error->message);
      sqlite3_close (db);
      return NULL;
    }

  if ((app_id != 0 && app_id != TILL_STORE_APPLICATION_ID)
      || (version == 0 && n_objects > 0))
    {
      g_warning ("%s belongs to another application (application_id %" G_GINT64_FORMAT
                 ", user_version %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT " objects)",
                 path, app_id, version, n_objects);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT,
                   _("“%s” is not a Tillpoint database. The file was left as it is."),
                   path);
      sqlite3_close (db);
      return NULL;
    }

  if (version > TILL_STORE_SCHEMA_VERSION || version < 0)
    {
      g_warning ("%s has schema version %" G_GINT64_FORMAT ", this build knows %d",
                 path, version, TILL_STORE_SCHEMA_VERSION);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_TOO_NEW,
                   _("The database “%s” was made by a newer version of Tillpoint. "
                     "Please update Tillpoint."), path);
      sqlite3_close (db);
      return NULL;
    }

  *out_version = (int) version;
  return db;
}

static gboolean
configure_connection (sqlite3    *db,
                      const char *path,
                      GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *mode = NULL;

  if (sqlite3_prepare_v2 (db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_finalize (stmt);
      till_store_set_sqlite_error_db (db, error, _("The database could not be prepared"));
      return FALSE;
    }
  mode = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (g_strcmp0 (mode, "wal") != 0)
    g_message ("%s: journal mode is %s, not WAL", path, mode);

  return till_store_exec_literal (db,
                                  "PRAGMA synchronous = FULL;"
                                  "PRAGMA foreign_keys = ON;",
                                  error);
}

gboolean
till_store_create_at_version (const char *path,
                              int         version,
                              GError    **error)
{
  sqlite3 *db;
  int current = 0;
  gboolean ok;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (version >= 0 && version <= TILL_STORE_SCHEMA_VERSION, FALSE);

  db = open_and_check (path, &current, error);
  if (db == NULL)
    return FALSE;
  ok = configure_connection (db, path, error)
       && run_migrations (db, path, current, version, error);
  sqlite3_close (db);
  return ok;
}

/* ---------------------------------------------------------------- the store thread */

typedef struct _TillStoreWorker
{
  gatomicrefcount  ref;
  GAsyncQueue     *queue;      /* TillStoreJob*, or the quit marker */
  GThread         *thread;
  GMutex           mutex;
  GCond            cond;
  guint            pending;    /* submitted and not yet run */
} TillStoreWorker;

typedef struct
{
  GTask            *task;
  TillStoreJobFunc  func;
} TillStoreJob;

static TillStoreJob quit_marker;

static void
till_store_worker_unref (TillStoreWorker *worker)
{
  if (!g_atomic_ref_count_dec (&worker->ref))
    return;
  g_async_queue_unref (worker->queue);
  g_mutex_clear (&worker->mutex);
  g_cond_clear (&worker->cond);
  g_free (worker);
}

static gpointer
till_store_worker_thread (gpointer data)
{
  TillStoreWorker *worker = data;

  for (;;)
    {
      TillStoreJob *job = g_async_queue_pop (worker->queue);

      if (job == &quit_marker)
        break;

      if (!g_task_return_error_if_cancelled (job->task))
        job->func (g_task_get_source_object (job->task), job->task);

      /* May drop the last reference to the store: its finalize then detaches us. Done
       * before the job counts as run, so that till_store_flush() returns after it. */
      g_object_unref (job->task);
      g_free (job);

      g_mutex_lock (&worker->mutex);
      worker->pending--;
      g_cond_broadcast (&worker->cond);
      g_mutex_unlock (&worker->mutex);
    }

  till_store_worker_unref (worker);
  return NULL;
}

static TillStoreWorker *
till_store_ensure_worker (TillStore *self)
{
  TillStoreWorker *worker;

  g_mutex_lock (&self->worker_lock);
  if (self->worker == NULL)
    {
      worker = g_new0 (TillStoreWorker, 1);
      g_atomic_ref_count_init (&worker->ref);
      worker->queue = g_async_queue_new ();
      g_mutex_init (&worker->mutex);
      g_cond_init (&worker->cond);
      g_atomic_ref_count_inc (&worker->ref);  /* the thread's */
      worker->thread = g_thread_new ("till-store", till_store_worker_thread, worker);
      self->worker = worker;
    }
  worker = self->worker;
  g_mutex_unlock (&self->worker_lock);
  return worker;
}

void
till_store_submit (TillStore        *self,
                   GTask            *task,
                   TillStoreJobFunc  func)
{
  TillStoreWorker *worker = till_store_ensure_worker (self);
  TillStoreJob *job = g_new0 (TillStoreJob, 1);

  job->task = g_object_ref (task);
  job->func = func;

  g_mutex_lock (&worker->mutex);
  worker->pending++;
  g_mutex_unlock (&worker->mutex);
  g_async_queue_push (worker->queue, job);
}

void
till_store_flush (TillStore *self)
{
  TillStoreWorker *worker;

  g_return_if_fail (TILL_IS_STORE (self));

  g_mutex_lock (&self->worker_lock);
  worker = self->worker;
  g_mutex_unlock (&self->worker_lock);
  if (worker == NULL)
    return;

  /* On the store thread itself the jobs before this one have run already. */
  if (g_thread_self () == worker->thread)
    return;

  g_mutex_lock (&worker->mutex);
  while (worker->pending > 0)
    g_cond_wait (&worker->cond, &worker->mutex);
  g_mutex_unlock (&worker->mutex);
}

/* ---- till_store_run_async */

typedef struct
{
  TillStoreFunc  func;
  gpointer       data;
  GDestroyNotify data_free;
  GDestroyNotify result_free;
} RunData;

static void
run_data_free (RunData *run)
{
  if (run->data_free != NULL && run->data != NULL)
    run->data_free (run->data);
  g_free (run);
}

static void
run_job (TillStore *self,
         GTask     *task)
{
  RunData *run = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer result;

  result = run->func (self, run->data, &error);
  if (error != NULL)
    {
      if (result != NULL && run->result_free != NULL)
        run->result_free (result);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, result, run->result_free);
}

void
till_store_run_async (TillStore          *self,
                      TillStoreFunc       func,
                      gpointer            data,
                      GDestroyNotify      data_free,
                      GDestroyNotify      result_free,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *run;

  g_return_if_fail (TILL_IS_STORE (self));
  g_return_if_fail (func != NULL);

  run = g_new0 (RunData, 1);
  run->func = func;
  run->data = data;
  run->data_free = data_free;
  run->result_free = result_free;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_store_run_async);
  g_task_set_task_data (task, run, (GDestroyNotify) run_data_free);
  till_store_submit (self, task, run_job);
}

gpointer
till_store_run_finish (TillStore     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == till_store_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------- the object */

static void
till_store_finalize (GObject *object)
{
  TillStore *self = TILL_STORE (object);

  if (self->worker != NULL)
    {
      TillStoreWorker *worker = self->worker;
      GThread *thread = worker->thread;

      g_async_queue_push (worker->queue, &quit_marker);
      /* The last reference can go away on the store thread itself (a job's task). */
      if (g_thread_self () == thread)
        g_thread_unref (thread);
      else
        g_thread_join (thread);
      till_store_worker_unref (worker);
    }

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
  int version = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  db = open_and_check (path, &version, error);
  if (db == NULL)
    return NULL;

  if (!configure_connection (db, path, error)
      || !run_migrations (db, path, version, TILL_STORE_SCHEMA_VERSION, error))
    {
      sqlite3_close (db);
      return NULL;
    }

  self = g_object_new (TILL_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->db = db;
  /* Outbox jobs left running by a crash or power loss are to be done again. */
  {
    g_autoptr(GError) recover_error = NULL;

    if (till_store_outbox_recover (self, &recover_error) < 0)
      g_warning ("Interrupted queued jobs of %s could not be recovered: %s", path,
                 recover_error->message);
  }
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
  if (!query_int (self->db, "PRAGMA user_version", &version, NULL))
    return -1;
  return (int) version;
}
