/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's Alipay ledger in SQLite: trades, refunds, numbers closed by a cancel. */
#define G_LOG_DOMAIN "till-paysim"

#include "config.h"

#include <gio/gio.h>
#include <sqlite3.h>
#include <string.h>

#include "till-paysim-alipay-ledger.h"

/*
 * Schema history (PRAGMA user_version), one step per version, each in a transaction:
 *   1  trades, refunds, cancelled
 */

struct _TillPaysimAlipayLedger
{
  GObject  parent_instance;
  char    *path;
  sqlite3 *db;
};

G_DEFINE_TYPE (TillPaysimAlipayLedger, till_paysim_alipay_ledger, G_TYPE_OBJECT)

#define TRADE_COLUMNS                                                                        \
  "t.id, t.out_trade_no, t.trade_no, t.kind, t.subject, t.auth_code, t.store_id,"           \
  " t.terminal_id, t.operator_id, t.qr_code, t.total, t.fingerprint, t.status, t.scenario," \
  " t.buyer_user_id, t.buyer_logon_id, t.scanned, t.created_ms, t.expire_ms,"               \
  " t.pending_status, t.pending_at_ms, t.paid_ms, t.closed_ms, t.close_reason,"             \
  " t.cancel_action,"                                                                       \
  " (SELECT COALESCE (SUM (r.amount), 0) FROM refunds r"                                    \
  "   WHERE r.trade_id = t.id AND r.out_request_no IS NOT NULL),"                           \
  " (SELECT COALESCE (MAX (r.created_ms), 0) FROM refunds r WHERE r.trade_id = t.id)"

#define REFUND_COLUMNS                                                                       \
  "r.id, r.trade_id, t.out_trade_no, t.trade_no, r.out_request_no, r.amount, t.total,"      \
  " r.reason, r.created_ms"

void
till_paysim_ali_trade_free (TillPaysimAliTrade *t)
{
  if (t == NULL)
    return;
  g_free (t->out_trade_no);
  g_free (t->trade_no);
  g_free (t->kind);
  g_free (t->subject);
  g_free (t->auth_code);
  g_free (t->store_id);
  g_free (t->terminal_id);
  g_free (t->operator_id);
  g_free (t->qr_code);
  g_free (t->fingerprint);
  g_free (t->status);
  g_free (t->scenario);
  g_free (t->buyer_user_id);
  g_free (t->buyer_logon_id);
  g_free (t->pending_status);
  g_free (t->close_reason);
  g_free (t->cancel_action);
  g_free (t);
}

void
till_paysim_ali_refund_free (TillPaysimAliRefund *r)
{
  if (r == NULL)
    return;
  g_free (r->out_trade_no);
  g_free (r->trade_no);
  g_free (r->out_request_no);
  g_free (r->reason);
  g_free (r);
}

static gboolean
sql_error (TillPaysimAlipayLedger *self,
           GError                **error,
           const char             *what)
{
  int code = sqlite3_extended_errcode (self->db);

  g_set_error (error, G_IO_ERROR,
               code == SQLITE_CONSTRAINT_UNIQUE ? G_IO_ERROR_EXISTS : G_IO_ERROR_FAILED,
               "Simulator Alipay ledger %s: %s (%s)", self->path, what, sqlite3_errmsg (self->db));
  return FALSE;
}

static sqlite3_stmt *
prepare (TillPaysimAlipayLedger *self,
         const char             *sql,
         GError                **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      sql_error (self, error, "cannot prepare a statement");
      return NULL;
    }
  return stmt;
}

static gboolean
exec (TillPaysimAlipayLedger *self,
      const char             *sql,
      GError                **error)
{
  char *msg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Simulator Alipay ledger %s: %s",
                   self->path, msg != NULL ? msg : "error");
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

/* Runs a prepared statement to its end; takes it. */
static gboolean
step_done (TillPaysimAlipayLedger *self,
           sqlite3_stmt           *stmt,
           const char             *what,
           GError                **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE || sql_error (self, error, what);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           col)
{
  const unsigned char *text = sqlite3_column_text (stmt, col);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static TillPaysimAliTrade *
trade_from_row (sqlite3_stmt *s)
{
  TillPaysimAliTrade *t = g_new0 (TillPaysimAliTrade, 1);

  t->id = sqlite3_column_int64 (s, 0);
  t->out_trade_no = column_dup (s, 1);
  t->trade_no = column_dup (s, 2);
  t->kind = column_dup (s, 3);
  t->subject = column_dup (s, 4);
  t->auth_code = column_dup (s, 5);
  t->store_id = column_dup (s, 6);
  t->terminal_id = column_dup (s, 7);
  t->operator_id = column_dup (s, 8);
  t->qr_code = column_dup (s, 9);
  t->total = sqlite3_column_int64 (s, 10);
  t->fingerprint = column_dup (s, 11);
  t->status = column_dup (s, 12);
  t->scenario = column_dup (s, 13);
  t->buyer_user_id = column_dup (s, 14);
  t->buyer_logon_id = column_dup (s, 15);
  t->scanned = sqlite3_column_int (s, 16) != 0;
  t->created_ms = sqlite3_column_int64 (s, 17);
  t->expire_ms = sqlite3_column_int64 (s, 18);
  t->pending_status = column_dup (s, 19);
  t->pending_at_ms = sqlite3_column_int64 (s, 20);
  t->paid_ms = sqlite3_column_int64 (s, 21);
  t->closed_ms = sqlite3_column_int64 (s, 22);
  t->close_reason = column_dup (s, 23);
  t->cancel_action = column_dup (s, 24);
  t->refunded = sqlite3_column_int64 (s, 25);
  t->last_refund_ms = sqlite3_column_int64 (s, 26);
  return t;
}

static TillPaysimAliRefund *
refund_from_row (sqlite3_stmt *s)
{
  TillPaysimAliRefund *r = g_new0 (TillPaysimAliRefund, 1);

  r->id = sqlite3_column_int64 (s, 0);
  r->trade_id = sqlite3_column_int64 (s, 1);
  r->out_trade_no = column_dup (s, 2);
  r->trade_no = column_dup (s, 3);
  r->out_request_no = column_dup (s, 4);
  r->amount = sqlite3_column_int64 (s, 5);
  r->total = sqlite3_column_int64 (s, 6);
  r->reason = column_dup (s, 7);
  r->created_ms = sqlite3_column_int64 (s, 8);
  return r;
}

static const char *const migrations[] = {
  /* 1 */
  "CREATE TABLE trades ("
  "  id INTEGER PRIMARY KEY,"
  "  out_trade_no TEXT NOT NULL UNIQUE,"
  "  trade_no TEXT NOT NULL UNIQUE,"
  "  kind TEXT NOT NULL CHECK (kind IN ('bar_code', 'precreate')),"
  "  subject TEXT NOT NULL,"
  "  auth_code TEXT UNIQUE,"
  "  store_id TEXT,"
  "  terminal_id TEXT,"
  "  operator_id TEXT,"
  "  qr_code TEXT,"
  "  total INTEGER NOT NULL CHECK (total > 0),"
  "  fingerprint TEXT NOT NULL,"
  "  status TEXT NOT NULL CHECK (status IN ('WAIT_BUYER_PAY', 'TRADE_SUCCESS', 'TRADE_CLOSED')),"
  "  scenario TEXT NOT NULL,"
  "  buyer_user_id TEXT NOT NULL,"
  "  buyer_logon_id TEXT NOT NULL,"
  "  scanned INTEGER NOT NULL DEFAULT 1,"
  "  created_ms INTEGER NOT NULL,"
  "  expire_ms INTEGER NOT NULL,"
  "  pending_status TEXT,"
  "  pending_at_ms INTEGER NOT NULL DEFAULT 0,"
  "  paid_ms INTEGER NOT NULL DEFAULT 0,"
  "  closed_ms INTEGER NOT NULL DEFAULT 0,"
  "  close_reason TEXT,"
  "  cancel_action TEXT"
  ");"
  "CREATE INDEX trades_pending ON trades (pending_at_ms) WHERE pending_status IS NOT NULL;"
  "CREATE INDEX trades_waiting ON trades (expire_ms) WHERE status = 'WAIT_BUYER_PAY';"
  "CREATE TABLE refunds ("
  "  id INTEGER PRIMARY KEY,"
  "  trade_id INTEGER NOT NULL REFERENCES trades (id),"
  "  out_request_no TEXT,"
  "  amount INTEGER NOT NULL CHECK (amount > 0),"
  "  reason TEXT,"
  "  created_ms INTEGER NOT NULL,"
  "  UNIQUE (trade_id, out_request_no)"
  ");"
  "CREATE INDEX refunds_created ON refunds (created_ms);"
  "CREATE TABLE cancelled (out_trade_no TEXT PRIMARY KEY, at_ms INTEGER NOT NULL);",
};

static gboolean
migrate (TillPaysimAlipayLedger *self,
         GError                **error)
{
  sqlite3_stmt *stmt = prepare (self, "PRAGMA user_version", error);
  int version;

  if (stmt == NULL)
    return FALSE;
  sqlite3_step (stmt);
  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "Simulator Alipay ledger %s has schema version %d, newer than this simulator",
                   self->path, version);
      return FALSE;
    }
  for (; version < (int) G_N_ELEMENTS (migrations); version++)
    {
      g_autoptr(GError) local = NULL;
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec (self, migrations[version], &local) || !exec (self, bump, &local))
        {
          exec (self, "ROLLBACK", NULL);
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (!exec (self, "COMMIT", error))
        return FALSE;
    }
  return TRUE;
}

TillPaysimAlipayLedger *
till_paysim_alipay_ledger_open (const char *path,
                                GError    **error)
{
  g_autoptr(TillPaysimAlipayLedger) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (TILL_TYPE_PAYSIM_ALIPAY_LEDGER, NULL);
  self->path = g_strdup (path);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
      != SQLITE_OK)
    {
      sql_error (self, error, "cannot open");
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);
  if (!exec (self, "PRAGMA journal_mode = WAL", error)
      || !exec (self, "PRAGMA synchronous = FULL", error)
      || !exec (self, "PRAGMA foreign_keys = ON", error)
      || !migrate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

gboolean
till_paysim_alipay_ledger_set_status (TillPaysimAlipayLedger *self,
                                      gint64                  trade_id,
                                      const char             *status,
                                      const char             *close_reason,
                                      gint64                  at_ms,
                                      GError                **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TILL_IS_PAYSIM_ALIPAY_LEDGER (self), FALSE);

  stmt = prepare (self,
    "UPDATE trades SET status = ?1, pending_status = NULL, pending_at_ms = 0,"
    " paid_ms = CASE WHEN ?1 = 'TRADE_SUCCESS' AND paid_ms = 0 THEN ?2 ELSE paid_ms END,"
    " closed_ms = CASE WHEN ?1 = 'TRADE_CLOSED' THEN ?2 ELSE closed_ms END,"
    " close_reason = CASE WHEN ?1 = 'TRADE_CLOSED' THEN ?3 ELSE close_reason END"
    " WHERE id = ?4", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, at_ms);
  bind_text (stmt, 3, close_reason);
  sqlite3_bind_int64 (stmt, 4, trade_id);
  return step_done (self, stmt, "cannot update a trade", error);
}

gboolean
till_paysim_alipay_ledger_settle (TillPaysimAlipayLedger *self,
                                  gint64                  now_ms,
                                  GError                **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) ats = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) expiries = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_autoptr(GPtrArray) statuses = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TILL_IS_PAYSIM_ALIPAY_LEDGER (self), FALSE);

  /* the timed transitions due before the trade expires, and the expiries; in time order */
  stmt = prepare (self,
    "SELECT id, pending_status, pending_at_ms, 0 FROM trades"
    " WHERE pending_status IS NOT NULL AND pending_at_ms <= ?1 AND pending_at_ms <= expire_ms"
    " UNION ALL"
    " SELECT id, 'TRADE_CLOSED', expire_ms, 1 FROM trades"
    " WHERE status = 'WAIT_BUYER_PAY' AND expire_ms <= ?1"
    "   AND (pending_status IS NULL OR pending_at_ms > expire_ms)"
    " ORDER BY 3, 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      gint64 at = sqlite3_column_int64 (stmt, 2);
      gboolean expiry = sqlite3_column_int (stmt, 3) != 0;

      g_array_append_val (ids, id);
      g_ptr_array_add (statuses, column_dup (stmt, 1));
      g_array_append_val (ats, at);
      g_array_append_val (expiries, expiry);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sql_error (self, error, "cannot read timed trades");
  for (guint i = 0; i < ids->len; i++)
    {
      const char *status = g_ptr_array_index (statuses, i);
      /* a pending close is the customer declining; an expiry is timeout_express */
      const char *reason = g_array_index (expiries, gboolean, i) ? "timeout"
                           : g_str_equal (status, TILL_PAYSIM_ALIPAY_CLOSED) ? "declined" : NULL;

      if (!till_paysim_alipay_ledger_set_status (self, g_array_index (ids, gint64, i), status,
                                                 reason, g_array_index (ats, gint64, i), error))
        return FALSE;
    }
  return TRUE;
}

static TillPaysimAliTrade *
find_where (TillPaysimAlipayLedger *self,
            const char             *where,
            const char             *value,
            GError                **error)
{
  g_autofree char *sql = g_strconcat ("SELECT " TRADE_COLUMNS " FROM trades t WHERE ", where,
                                      NULL);
  sqlite3_stmt *stmt = prepare (self, sql, error);
  TillPaysimAliTrade *t = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    t = trade_from_row (stmt);
  else if (rc != SQLITE_DONE)
    sql_error (self, error, "cannot read a trade");
  sqlite3_finalize (stmt);
  return t;
}

TillPaysimAliTrade *
till_paysim_alipay_ledger_find (TillPaysimAlipayLedger *self,
                                const char             *out_trade_no,
                                GError                **error)
{
  g_return_val_if_fail (TILL_IS_PAYSIM_ALIPAY_LEDGER (self), NULL);
  return find_where (self, "t.out_trade_no = ?1", out_trade_no, error);
}

TillPaysimAliTrade *
till_paysim_alipay_ledger_find_by_trade_no (TillPaysimAlipayLedger *self,
                                            const char             *trade_no,
                                            GError                **error)
{
  g_return_val_if_fail (TILL_IS_PAYSIM_ALIPAY_LEDGER (self), NULL);
  return find_where (self, "t.trade_no = ?1", trade_no, error);
}

TillPaysimAliTrade *
till_paysim_alipay_ledger_find_by_auth_code (TillPaysimAlipayLedger *self,
                                             const char             *auth_code,
                                             GError                **error)
{
  g_return_val_if_fail (TILL_IS_PAYSIM_ALIPAY_LEDGER (self), NULL);
  return find_where (self, "t.auth_code = ?1", auth_code, error);
}

GPtrArray *
till_paysim_alipay_ledger_list (TillPaysimAlipayLedger *self,
                                GError                **error)
{
  g_autoptr(GPtrArray) list =
    g_ptr_array_new_with_free_func ((GDestroyNotify) till_paysim_ali_trade_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TILL_IS_PAYSIM_ALIPAY_LEDGER (self), NULL);

  stmt = prepare (self, "SELECT " TRADE_COLUMNS " FROM trades t ORDER BY t.id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, trade_from_row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sql_error (self, error, "cannot list trades"), NULL;
  return g_steal_pointer (&list);
}

static char *
random_digits (guint n)
{
  GString *s = g_string_sized_new (n);

  for (guint i = 0; i < n; i++)
    g_string_append_c (s, (char) ('0' + g_random_int_range (0, 10)));
  return g_string_free (s, FALSE);
}

/* yyyyMMdd + "2200" + 16 digits: 28 digits like 2024052022001400001234567890. */
static char *
new_trade_no (gint64 at_ms)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at_ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);
  g_autofree char *date = g_date_time_format (local, "%Y%m%d");
  g_autofree char *tail = random_digits (16);

  return g_strconcat (date, "2200", tail, NULL);
}

gboolean
till_paysim_alipay_ledger_insert (TillPaysimAlipayLedger *self,
                                  TillPaysimAliTrade     *t,
                                  GError                **error)
{
  g_return_val_if_fail (TILL_IS_PAYSIM_ALIPAY_LEDGER (self), FALSE);

  if (g_str_equal (t->status, TILL_PAYSIM_ALIPAY_SUCCESS) && t->paid_ms == 0)
    t->paid_ms = t->created_ms;
  if (g_str_equal (t->status, TILL_PAYSIM_ALIPAY_CLOSED) && t->closed_ms == 0)
    t->closed_ms = t->created_ms;
  /* a fresh trade number on the (unlikely) collision */
  for (int attempt = 0; attempt < 5; attempt++)
    {
      sqlite3_stmt *stmt = prepare (self,
        "INSERT INTO trades (out_trade_no, trade_no, kind, subject, auth_code, store_id,"
        " terminal_id, operator_id, qr_code, total, fingerprint, status, scenario,"
        " buyer_user_id, buyer_logon_id, scanned, created_ms, expire_ms, pending_status,"
        " pending_at_ms, paid_ms, closed_ms, close_reason, cancel_action)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
        " ?18, ?19, ?20, ?21, ?22, ?23, ?24)", error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      g_free (t->trade_no);
      t->trade_no = new_trade_no (t->created_ms);
      bind_text (stmt, 1, t->out_trade_no);
      bind_text (stmt, 2, t->trade_no);
      bind_text (stmt, 3, t->kind);
      bind_text (stmt, 4, t->subject);
      bind_text (stmt, 5, t->auth_code);
      bind_text (stmt, 6, t->store_id);
      bind_text (stmt, 7, t->terminal_id);
      bind_text (stmt, 8, t->operator_id);
      bind_text (stmt, 9, t->qr_code);
      sqlite3_bind_int64 (stmt, 10, t->total);
      bind_text (stmt, 11, t->fingerprint);
      bind_text (stmt, 12, t->status);
      bind_text (stmt, 13, t->scenario);
      bind_text (stmt, 14, t->buyer_user_id);
      bind_text (stmt, 15, t->buyer_logon_id);
      sqlite3_bind_int (stmt, 16, t->scanned);
      sqlite3_bind_int64 (stmt, 17, t->created_ms);
      sqlite3_bind_int64 (stmt, 18, t->expire_ms);
      bind_text (stmt, 19, t->pending_status);
      sqlite3_bind_int64 (stmt, 20, t->pending_at_ms);
      sqlite3_bind_int64 (stmt, 21, t->paid_ms);
      sqlite3_bind_int64 (stmt, 22, t->closed_ms);
      bind_text (stmt, 23, t->close_reason);
      bind_text (stmt, 24, t->cancel_action);
      rc = sqlite3_step (stmt);
      sqlite3_finalize (stmt);
      if (rc == SQLITE_DONE)
        {
          t->id = sqlite3_last_insert_rowid (self->db);
          return TRUE;
        }
      if (sqlite3_extended_errcode (self->db) != SQLITE_CONSTRAINT_UNIQUE
          || strstr (sqlite3_errmsg (self->db), "trade_no") == NULL
          || strstr (sqlite3_errmsg (self->db), "out_trade_no") != NULL)
        return sql_error (self, error, "cannot insert a trade");
    }
  return sql_error (self, error, "cannot draw a unique trade number");
}

gboolean
till_paysim_alipay_ledger_scan (TillPaysimAlipayLedger *self,
                                gint64                  trade_id,
                                const char             *status,
                                const char             *pending_status,
                                gint64                  pending_at_ms,
                                const char             *buyer_user_id,
                                const char             *buyer_logon_id,
                                gint64                  now_ms,
                                GError                **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TILL_IS_PAYSIM_ALIPAY_LEDGER (self), FALSE);

  stmt = prepare (self,
    "UPDATE trades SET scanned = 1, status = ?1, pending_status = ?2, pending_at_ms = ?3,"
    " buyer_user_id = ?4, buyer_logon_id = ?5,"
    " paid_ms = CASE WHEN ?1 = 'TRADE_SUCCESS' THEN ?6 ELSE paid_ms END WHERE id = ?7", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, status);
  bind_text (stmt, 2, pending_status);
  sqlite3_bind_int64 (stmt, 3, pending_status != NULL ? pending_at_ms : 0);
  bind_text (stmt, 4, buyer_user_id);
  bind_text (stmt, 5, buyer_logon_id);
  sqlite3_bind_int64 (stmt, 6, now_ms);
  sqlite3_bind_int64 (stmt, 7, trade_id);
  return step_done (self, stmt, "cannot scan a trade", error);
}

gboolean
till_paysim_alipay_ledger_cancel (TillPaysimAlipayLedger *self,
                                  gint64                  trade_id,
                                  const char             *action,
                                  gint64                  at_ms,
                                  GError                **error)
{
  g_autoptr(GError) local = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TILL_IS_PAYSIM_ALIPAY_LEDGER (self), FALSE);

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!till_paysim_alipay_ledger_set_status (self, trade_id, TILL_PAYSIM_ALIPAY_CLOSED, "cancel",
                                             at_ms, &local))
    goto failed;
  stmt = prepare (self, "UPDATE trades SET cancel_action = ?1 WHERE id = ?2", &local);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, trade_id);
  if (!step_done (self, stmt, "cannot mark a cancel", &local))
    goto failed;
  if (g_str_equal (action, "refund"))
    {
      stmt = prepare (self, "INSERT INTO refunds (trade_id, out_request_no, amount, reason,"
                            " created_ms) SELECT id, NULL, total, 'cancel', ?2 FROM trades"
                            " WHERE id = ?1", &local);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_int64 (stmt, 1, trade_id);
      sqlite3_bind_int64 (stmt, 2, at_ms);
      if (!step_done (self, stmt, "cannot record a cancel's refund", &local))
        goto failed;
    }
  return exec (self, "COMMIT", error);

failed:
  exec (self, "ROLLBACK", NULL);
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

gboolean
till_paysim_alipay_ledger_tombstone (TillPaysimAlipayLedger *self,
                                     const char             *out_trade_no,
                                     gint64                  at_ms,
                                     GError                **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TILL_IS_PAYSIM_ALIPAY_LEDGER (self), FALSE);

  stmt = prepare (self, "INSERT OR IGNORE INTO cancelled (out_trade_no, at_ms) VALUES (?1, ?2)",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, out_trade_no, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, at_ms);
  return step_done (self, stmt, "cannot close a number", error);
}

gboolean
till_paysim_alipay_ledger_is_tombstone (TillPaysimAlipayLedger *self,
                                        const char             *out_trade_no,
                                        gboolean               *out_yes,
                                        GError                **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TILL_IS_PAYSIM_ALIPAY_LEDGER (self), FALSE);

  stmt = prepare (self, "SELECT 1 FROM cancelled WHERE out_trade_no = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, out_trade_no, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sql_error (self, error, "cannot read the closed numbers");
  *out_yes = rc == SQLITE_ROW;
  return TRUE;
}

TillPaysimAliRefund *
till_paysim_alipay_ledger_find_refund (TillPaysimAlipayLedger *self,
                                       gint64                  trade_id,
                                       const char             *out_request_no,
                                       GError                **error)
{
  sqlite3_stmt *stmt;
  TillPaysimAliRefund *r = NULL;
  int rc;

  g_return_val_if_fail (TILL_IS_PAYSIM_ALIPAY_LEDGER (self), NULL);

  /* A cancel's refund has no number: Alipay finds it by the trade's own (§5.6). */
  stmt = prepare (self, "SELECT " REFUND_COLUMNS " FROM refunds r JOIN trades t"
                        " ON t.id = r.trade_id WHERE r.trade_id = ?1"
                        " AND (r.out_request_no = ?2"
                        "      OR (r.out_request_no IS NULL AND t.out_trade_no = ?2))", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, trade_id);
  sqlite3_bind_text (stmt, 2, out_request_no, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    r = refund_from_row (stmt);
  else if (rc != SQLITE_DONE)
    sql_error (self, error, "cannot read a refund");
  sqlite3_finalize (stmt);
  return r;
}

GPtrArray *
till_paysim_alipay_ledger_list_refunds (TillPaysimAlipayLedger *self,
                                        gint64                  trade_id,
                                        GError                **error)
{
  g_autoptr(GPtrArray) list =
    g_ptr_array_new_with_free_func ((GDestroyNotify) till_paysim_ali_refund_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TILL_IS_PAYSIM_ALIPAY_LEDGER (self), NULL);

  stmt = prepare (self, "SELECT " REFUND_COLUMNS " FROM refunds r JOIN trades t"
                        " ON t.id = r.trade_id WHERE ?1 = 0 OR r.trade_id = ?1"
                        " ORDER BY r.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, trade_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, refund_from_row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sql_error (self, error, "cannot list refunds"), NULL;
  return g_steal_pointer (&list);
}

gboolean
till_paysim_alipay_ledger_refund (TillPaysimAlipayLedger *self,
                                  gint64                  trade_id,
                                  const char             *out_request_no,
                                  gint64                  amount,
                                  const char             *reason,
                                  gint64                  at_ms,
                                  GError                **error)
{
  g_autoptr(GError) local = NULL;
  sqlite3_stmt *stmt;
  gint64 left = 0;
  int rc;

  g_return_val_if_fail (TILL_IS_PAYSIM_ALIPAY_LEDGER (self), FALSE);

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  stmt = prepare (self, "SELECT t.total - (SELECT COALESCE (SUM (r.amount), 0) FROM refunds r"
                        " WHERE r.trade_id = t.id) FROM trades t WHERE t.id = ?1", &local);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, trade_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    left = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    {
      sql_error (self, &local, "cannot read a trade to refund");
      goto failed;
    }
  if (amount > left)
    {
      g_set_error (&local, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   "%" G_GINT64_FORMAT " fen asked, %" G_GINT64_FORMAT " left", amount, left);
      goto failed;
    }
  stmt = prepare (self, "INSERT INTO refunds (trade_id, out_request_no, amount, reason,"
                        " created_ms) VALUES (?1, ?2, ?3, ?4, ?5)", &local);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, trade_id);
  bind_text (stmt, 2, out_request_no);
  sqlite3_bind_int64 (stmt, 3, amount);
  bind_text (stmt, 4, reason);
  sqlite3_bind_int64 (stmt, 5, at_ms);
  if (!step_done (self, stmt, "cannot insert a refund", &local))
    goto failed;
  /* §5.2: a trade refunded in full is TRADE_CLOSED */
  if (amount == left
      && !till_paysim_alipay_ledger_set_status (self, trade_id, TILL_PAYSIM_ALIPAY_CLOSED,
                                                "refund", at_ms, &local))
    goto failed;
  return exec (self, "COMMIT", error);

failed:
  exec (self, "ROLLBACK", NULL);
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

static void
till_paysim_alipay_ledger_finalize (GObject *object)
{
  TillPaysimAlipayLedger *self = TILL_PAYSIM_ALIPAY_LEDGER (object);

  if (self->db != NULL)
    sqlite3_close (self->db);
  g_free (self->path);
  G_OBJECT_CLASS (till_paysim_alipay_ledger_parent_class)->finalize (object);
}

static void
till_paysim_alipay_ledger_class_init (TillPaysimAlipayLedgerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = till_paysim_alipay_ledger_finalize;
}

static void
till_paysim_alipay_ledger_init (TillPaysimAlipayLedger *self)
{
}
