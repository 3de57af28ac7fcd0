/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's SQLite ledger (orders, refunds, released bills, clock offset). */
#define G_LOG_DOMAIN "till-paysim"

#include "config.h"

#include <gio/gio.h>
#include <sqlite3.h>
#include <string.h>

#include "till-paysim-ledger.h"

/*
 * Schema history (PRAGMA user_version), one step per version, each in a transaction:
 *   1  meta, orders, refunds, bills
 */

struct _TillPaysimLedger
{
  GObject  parent_instance;
  char    *path;
  sqlite3 *db;
  gint64   clock_offset_s;
};

G_DEFINE_TYPE (TillPaysimLedger, till_paysim_ledger, G_TYPE_OBJECT)

#define ORDER_COLUMNS                                                                     \
  "o.id, o.out_trade_no, o.transaction_id, o.trade_type, o.appid, o.mchid, o.description, " \
  "o.attach, o.auth_code, o.device_id, o.notify_url, o.code_url, o.total, o.currency, "   \
  "o.fingerprint, o.state, o.error_code, o.scenario, o.openid, o.created_ms, "            \
  "o.pending_state, o.pending_at_ms, o.success_ms, o.ended_ms, "                          \
  "(SELECT COALESCE(SUM(r.amount), 0) FROM refunds r WHERE r.order_id = o.id)"

#define REFUND_COLUMNS                                                                     \
  "r.id, r.out_refund_no, r.refund_id, r.order_id, o.out_trade_no, o.transaction_id, "     \
  "r.amount, r.total, r.currency, r.reason, r.status, r.created_ms, r.success_ms, "        \
  "r.success_at_ms"

void
till_paysim_order_free (TillPaysimOrder *order)
{
  if (order == NULL)
    return;
  g_free (order->out_trade_no);
  g_free (order->transaction_id);
  g_free (order->trade_type);
  g_free (order->appid);
  g_free (order->mchid);
  g_free (order->description);
  g_free (order->attach);
  g_free (order->auth_code);
  g_free (order->device_id);
  g_free (order->notify_url);
  g_free (order->code_url);
  g_free (order->currency);
  g_free (order->fingerprint);
  g_free (order->state);
  g_free (order->error_code);
  g_free (order->scenario);
  g_free (order->openid);
  g_free (order->pending_state);
  g_free (order);
}

void
till_paysim_refund_free (TillPaysimRefund *refund)
{
  if (refund == NULL)
    return;
  g_free (refund->out_refund_no);
  g_free (refund->refund_id);
  g_free (refund->out_trade_no);
  g_free (refund->transaction_id);
  g_free (refund->currency);
  g_free (refund->reason);
  g_free (refund->status);
  g_free (refund);
}

static gboolean
set_sqlite_error (TillPaysimLedger *self,
                  GError          **error,
                  const char       *what)
{
  int code = sqlite3_extended_errcode (self->db);

  g_set_error (error, G_IO_ERROR,
               code == SQLITE_CONSTRAINT_UNIQUE ? G_IO_ERROR_EXISTS : G_IO_ERROR_FAILED,
               "Simulator ledger %s: %s (%s)", self->path, what, sqlite3_errmsg (self->db));
  return FALSE;
}

static sqlite3_stmt *
prepare (TillPaysimLedger *self,
         const char       *sql,
         GError          **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error, "cannot prepare a statement");
      return NULL;
    }
  return stmt;
}

static gboolean
exec_simple (TillPaysimLedger *self,
             const char       *sql,
             GError          **error)
{
  char *msg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Simulator ledger %s: %s",
                   self->path, msg ? msg : "error");
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
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

static TillPaysimOrder *
order_from_row (sqlite3_stmt *stmt)
{
  TillPaysimOrder *o = g_new0 (TillPaysimOrder, 1);

  o->id = sqlite3_column_int64 (stmt, 0);
  o->out_trade_no = column_dup (stmt, 1);
  o->transaction_id = column_dup (stmt, 2);
  o->trade_type = column_dup (stmt, 3);
  o->appid = column_dup (stmt, 4);
  o->mchid = column_dup (stmt, 5);
  o->description = column_dup (stmt, 6);
  o->attach = column_dup (stmt, 7);
  o->auth_code = column_dup (stmt, 8);
  o->device_id = column_dup (stmt, 9);
  o->notify_url = column_dup (stmt, 10);
  o->code_url = column_dup (stmt, 11);
  o->total = sqlite3_column_int64 (stmt, 12);
  o->currency = column_dup (stmt, 13);
  o->fingerprint = column_dup (stmt, 14);
  o->state = column_dup (stmt, 15);
  o->error_code = column_dup (stmt, 16);
  o->scenario = column_dup (stmt, 17);
  o->openid = column_dup (stmt, 18);
  o->created_ms = sqlite3_column_int64 (stmt, 19);
  o->pending_state = column_dup (stmt, 20);
  o->pending_at_ms = sqlite3_column_int64 (stmt, 21);
  o->success_ms = sqlite3_column_int64 (stmt, 22);
  o->ended_ms = sqlite3_column_int64 (stmt, 23);
  o->refunded = sqlite3_column_int64 (stmt, 24);
  return o;
}

static TillPaysimRefund *
refund_from_row (sqlite3_stmt *stmt)
{
  TillPaysimRefund *r = g_new0 (TillPaysimRefund, 1);

  r->id = sqlite3_column_int64 (stmt, 0);
  r->out_refund_no = column_dup (stmt, 1);
  r->refund_id = column_dup (stmt, 2);
  r->order_id = sqlite3_column_int64 (stmt, 3);
  r->out_trade_no = column_dup (stmt, 4);
  r->transaction_id = column_dup (stmt, 5);
  r->amount = sqlite3_column_int64 (stmt, 6);
  r->total = sqlite3_column_int64 (stmt, 7);
  r->currency = column_dup (stmt, 8);
  r->reason = column_dup (stmt, 9);
  r->status = column_dup (stmt, 10);
  r->created_ms = sqlite3_column_int64 (stmt, 11);
  r->success_ms = sqlite3_column_int64 (stmt, 12);
  r->success_at_ms = sqlite3_column_int64 (stmt, 13);
  return r;
}

static const char *const migrations[] = {
  /* 1 */
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "CREATE TABLE orders ("
  "  id INTEGER PRIMARY KEY,"
  "  out_trade_no TEXT NOT NULL UNIQUE,"
  "  transaction_id TEXT UNIQUE,"
  "  trade_type TEXT NOT NULL,"
  "  appid TEXT NOT NULL,"
  "  mchid TEXT NOT NULL,"
  "  description TEXT NOT NULL,"
  "  attach TEXT,"
  "  auth_code TEXT,"
  "  device_id TEXT,"
  "  notify_url TEXT,"
  "  code_url TEXT,"
  "  total INTEGER NOT NULL CHECK (total > 0),"
  "  currency TEXT NOT NULL,"
  "  fingerprint TEXT NOT NULL,"
  "  state TEXT NOT NULL,"
  "  error_code TEXT,"
  "  scenario TEXT NOT NULL,"
  "  openid TEXT NOT NULL,"
  "  created_ms INTEGER NOT NULL,"
  "  pending_state TEXT,"
  "  pending_at_ms INTEGER NOT NULL DEFAULT 0,"
  "  success_ms INTEGER NOT NULL DEFAULT 0,"
  "  ended_ms INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX orders_pending ON orders (pending_at_ms) WHERE pending_state IS NOT NULL;"
  "CREATE INDEX orders_success ON orders (success_ms);"
  "CREATE TABLE refunds ("
  "  id INTEGER PRIMARY KEY,"
  "  out_refund_no TEXT NOT NULL UNIQUE,"
  "  refund_id TEXT NOT NULL UNIQUE,"
  "  order_id INTEGER NOT NULL REFERENCES orders (id),"
  "  amount INTEGER NOT NULL CHECK (amount > 0),"
  "  total INTEGER NOT NULL,"
  "  currency TEXT NOT NULL,"
  "  reason TEXT,"
  "  status TEXT NOT NULL,"
  "  created_ms INTEGER NOT NULL,"
  "  success_ms INTEGER NOT NULL DEFAULT 0,"
  "  success_at_ms INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX refunds_order ON refunds (order_id);"
  "CREATE TABLE bills (bill_date TEXT PRIMARY KEY, released_ms INTEGER NOT NULL);",
};

static gboolean
migrate (TillPaysimLedger *self,
         GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  int version;

  stmt = prepare (self, "PRAGMA user_version", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_step (stmt);
  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "Simulator ledger %s has schema version %d, newer than this simulator (%d)",
                   self->path, version, (int) G_N_ELEMENTS (migrations));
      return FALSE;
    }

  for (; version < (int) G_N_ELEMENTS (migrations); version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!exec_simple (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec_simple (self, migrations[version], &local_error)
          || !exec_simple (self, bump, &local_error))
        {
          exec_simple (self, "ROLLBACK", NULL);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!exec_simple (self, "COMMIT", error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
load_meta (TillPaysimLedger *self,
           GError          **error)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT value FROM meta WHERE key = 'clock_offset_s'", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    self->clock_offset_s = g_ascii_strtoll ((const char *) sqlite3_column_text (stmt, 0), NULL, 10);
  sqlite3_finalize (stmt);
  return TRUE;
}

TillPaysimLedger *
till_paysim_ledger_open (const char *path,
                         GError    **error)
{
  g_autoptr(TillPaysimLedger) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (TILL_TYPE_PAYSIM_LEDGER, NULL);
  self->path = g_strdup (path);

  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
      != SQLITE_OK)
    {
      set_sqlite_error (self, error, "cannot open");
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);

  if (!exec_simple (self, "PRAGMA journal_mode = WAL", error)
      || !exec_simple (self, "PRAGMA synchronous = FULL", error)
      || !exec_simple (self, "PRAGMA foreign_keys = ON", error)
      || !migrate (self, error)
      || !load_meta (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

static char *
random_digits (guint n)
{
  GString *s = g_string_sized_new (n);

  for (guint i = 0; i < n; i++)
    g_string_append_c (s, (char) ('0' + g_random_int_range (0, 10)));
  return g_string_free (s, FALSE);
}

/* yyyyMMdd in Beijing time. */
static char *
beijing_date_compact (gint64 ms)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

  return g_date_time_format (local, "%Y%m%d");
}

static char *
new_transaction_id (gint64 at_ms)
{
  g_autofree char *a = random_digits (6);
  g_autofree char *b = random_digits (10);
  g_autofree char *date = beijing_date_compact (at_ms);

  return g_strconcat ("4200", a, date, b, NULL); /* 28 digits, like the real ones */
}

static char *
new_refund_id (gint64 at_ms)
{
  g_autofree char *a = random_digits (9);
  g_autofree char *b = random_digits (10);
  g_autofree char *date = beijing_date_compact (at_ms);

  return g_strconcat ("50", a, date, b, NULL); /* 29 digits */
}

gboolean
till_paysim_ledger_set_state (TillPaysimLedger *self,
                              gint64            order_id,
                              const char       *state,
                              const char       *error_code,
                              gint64            at_ms,
                              GError          **error)
{
  gboolean success = g_str_equal (state, "SUCCESS");
  gboolean ended = g_str_equal (state, "CLOSED") || g_str_equal (state, "REVOKED")
                   || g_str_equal (state, "PAYERROR");

  g_return_val_if_fail (TILL_IS_PAYSIM_LEDGER (self), FALSE);

  /* A fresh transaction id is drawn again on the (unlikely) collision. */
  for (int attempt = 0; attempt < 5; attempt++)
    {
      g_autofree char *tid = success ? new_transaction_id (at_ms) : NULL;
      sqlite3_stmt *stmt = prepare (self,
        "UPDATE orders SET state = ?1, error_code = ?2, pending_state = NULL, pending_at_ms = 0,"
        " transaction_id = CASE WHEN ?3 IS NOT NULL AND transaction_id IS NULL THEN ?3"
        "                       ELSE transaction_id END,"
        " success_ms = CASE WHEN ?3 IS NOT NULL AND success_ms = 0 THEN ?4 ELSE success_ms END,"
        " ended_ms = CASE WHEN ?5 THEN ?4 ELSE ended_ms END"
        " WHERE id = ?6", error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, state, -1, SQLITE_TRANSIENT);
      bind_text_or_null (stmt, 2, error_code);
      bind_text_or_null (stmt, 3, tid);
      sqlite3_bind_int64 (stmt, 4, at_ms);
      sqlite3_bind_int (stmt, 5, ended);
      sqlite3_bind_int64 (stmt, 6, order_id);
      rc = sqlite3_step (stmt);
      sqlite3_finalize (stmt);
      if (rc == SQLITE_DONE)
        return TRUE;
      if (sqlite3_extended_errcode (self->db) != SQLITE_CONSTRAINT_UNIQUE)
        return set_sqlite_error (self, error, "cannot update an order");
    }
  return set_sqlite_error (self, error, "cannot draw a unique transaction id");
}

gboolean
till_paysim_ledger_settle (TillPaysimLedger *self,
                           gint64            now_ms,
                           GError          **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ats = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TILL_IS_PAYSIM_LEDGER (self), FALSE);

  stmt = prepare (self,
                  "SELECT id, pending_state, pending_at_ms FROM orders"
                  " WHERE pending_state IS NOT NULL AND pending_at_ms <= ?1 ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      gint64 at = sqlite3_column_int64 (stmt, 2);

      g_array_append_val (ids, id);
      g_ptr_array_add (states, column_dup (stmt, 1));
      g_array_append_val (ats, at);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error, "cannot read pending orders");

  for (guint i = 0; i < ids->len; i++)
    {
      const char *state = g_ptr_array_index (states, i);
      const char *code = g_str_equal (state, "PAYERROR") ? "TRADE_ERROR" : NULL;

      if (!till_paysim_ledger_set_state (self, g_array_index (ids, gint64, i), state, code,
                                         g_array_index (ats, gint64, i), error))
        return FALSE;
    }

  stmt = prepare (self,
                  "UPDATE refunds SET status = 'SUCCESS', success_ms = success_at_ms"
                  " WHERE status = 'PROCESSING' AND success_at_ms <= ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now_ms);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error, "cannot settle refunds");
  return TRUE;
}

static TillPaysimOrder *
find_order_where (TillPaysimLedger *self,
                  const char       *sql,
                  const char       *key,
                  GError          **error)
{
  TillPaysimOrder *order = NULL;
  sqlite3_stmt *stmt = prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    order = order_from_row (stmt);
  else if (rc != SQLITE_DONE)
    set_sqlite_error (self, error, "cannot read an order");
  sqlite3_finalize (stmt);
  return order;
}

TillPaysimOrder *
till_paysim_ledger_find_order (TillPaysimLedger *self,
                               const char       *out_trade_no,
                               GError          **error)
{
  g_return_val_if_fail (TILL_IS_PAYSIM_LEDGER (self), NULL);
  return find_order_where (self, "SELECT " ORDER_COLUMNS " FROM orders o WHERE o.out_trade_no = ?1",
                           out_trade_no, error);
}

TillPaysimOrder *
till_paysim_ledger_find_order_by_transaction_id (TillPaysimLedger *self,
                                                 const char       *transaction_id,
                                                 GError          **error)
{
  g_return_val_if_fail (TILL_IS_PAYSIM_LEDGER (self), NULL);
  return find_order_where (self,
                           "SELECT " ORDER_COLUMNS " FROM orders o WHERE o.transaction_id = ?1",
                           transaction_id, error);
}

GPtrArray *
till_paysim_ledger_list_orders (TillPaysimLedger *self,
                                GError          **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) till_paysim_order_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TILL_IS_PAYSIM_LEDGER (self), NULL);

  stmt = prepare (self, "SELECT " ORDER_COLUMNS " FROM orders o ORDER BY o.id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, order_from_row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, "cannot list orders");
      return NULL;
    }
  return g_steal_pointer (&list);
}

gboolean
till_paysim_ledger_insert_order (TillPaysimLedger *self,
                                 TillPaysimOrder  *order,
                                 GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TILL_IS_PAYSIM_LEDGER (self), FALSE);
  g_return_val_if_fail (order != NULL && order->out_trade_no != NULL, FALSE);

  if (!exec_simple (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  stmt = prepare (self,
                  "INSERT INTO orders (out_trade_no, trade_type, appid, mchid, description,"
                  " attach, auth_code, device_id, notify_url, code_url, total, currency,"
                  " fingerprint, state, error_code, scenario, openid, created_ms,"
                  " pending_state, pending_at_ms)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
                  " ?16, ?17, ?18, ?19, ?20)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, order->out_trade_no, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, order->trade_type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, order->appid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, order->mchid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, order->description, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 6, order->attach);
  bind_text_or_null (stmt, 7, order->auth_code);
  bind_text_or_null (stmt, 8, order->device_id);
  bind_text_or_null (stmt, 9, order->notify_url);
  bind_text_or_null (stmt, 10, order->code_url);
  sqlite3_bind_int64 (stmt, 11, order->total);
  sqlite3_bind_text (stmt, 12, order->currency, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 13, order->fingerprint, -1, SQLITE_TRANSIENT);
  /* Inserted in its initial state; SUCCESS and the ended states go through set_state. */
  sqlite3_bind_text (stmt, 14,
                     g_str_equal (order->trade_type, "NATIVE") ? "NOTPAY" : "USERPAYING",
                     -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 15, order->error_code);
  sqlite3_bind_text (stmt, 16, order->scenario, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 17, order->openid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 18, order->created_ms);
  bind_text_or_null (stmt, 19, order->pending_state);
  sqlite3_bind_int64 (stmt, 20, order->pending_at_ms);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, "cannot insert an order");
      goto fail;
    }
  order->id = sqlite3_last_insert_rowid (self->db);

  if (!g_str_equal (order->state, "USERPAYING") && !g_str_equal (order->state, "NOTPAY"))
    {
      const char *pending = order->pending_state;

      if (!till_paysim_ledger_set_state (self, order->id, order->state, order->error_code,
                                         order->created_ms, error))
        goto fail;
      /* set_state clears the pending transition; none is combined with a final state. */
      g_warn_if_fail (pending == NULL);
    }

  if (!exec_simple (self, "COMMIT", error))
    goto fail;

  /* Refresh the generated fields. */
  {
    g_autoptr(GError) local_error = NULL;
    g_autoptr(TillPaysimOrder) stored = till_paysim_ledger_find_order (self, order->out_trade_no,
                                                                       &local_error);
    if (stored == NULL)
      {
        if (local_error != NULL)
          g_propagate_error (error, g_steal_pointer (&local_error));
        else
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "An inserted order vanished");
        return FALSE;
      }
    g_free (order->transaction_id);
    order->transaction_id = g_strdup (stored->transaction_id);
    order->success_ms = stored->success_ms;
    order->ended_ms = stored->ended_ms;
    order->refunded = 0;
  }
  return TRUE;

fail:
  exec_simple (self, "ROLLBACK", NULL);
  return FALSE;
}

TillPaysimRefund *
till_paysim_ledger_find_refund (TillPaysimLedger *self,
                                const char       *out_refund_no,
                                GError          **error)
{
  TillPaysimRefund *refund = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TILL_IS_PAYSIM_LEDGER (self), NULL);

  stmt = prepare (self,
                  "SELECT " REFUND_COLUMNS " FROM refunds r JOIN orders o ON o.id = r.order_id"
                  " WHERE r.out_refund_no = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, out_refund_no, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    refund = refund_from_row (stmt);
  else if (rc != SQLITE_DONE)
    set_sqlite_error (self, error, "cannot read a refund");
  sqlite3_finalize (stmt);
  return refund;
}

GPtrArray *
till_paysim_ledger_list_refunds (TillPaysimLedger *self,
                                 gint64            order_id,
                                 GError          **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) till_paysim_refund_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TILL_IS_PAYSIM_LEDGER (self), NULL);

  stmt = prepare (self,
                  "SELECT " REFUND_COLUMNS " FROM refunds r JOIN orders o ON o.id = r.order_id"
                  " WHERE ?1 = 0 OR r.order_id = ?1 ORDER BY r.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, refund_from_row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, "cannot list refunds");
      return NULL;
    }
  return g_steal_pointer (&list);
}

gboolean
till_paysim_ledger_insert_refund (TillPaysimLedger *self,
                                  TillPaysimRefund *refund,
                                  GError          **error)
{
  sqlite3_stmt *stmt;
  gint64 total = 0, refunded = 0, count = 0;
  int rc;

  g_return_val_if_fail (TILL_IS_PAYSIM_LEDGER (self), FALSE);
  g_return_val_if_fail (refund != NULL && refund->amount > 0, FALSE);

  if (!exec_simple (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  stmt = prepare (self,
                  "SELECT o.total, (SELECT COALESCE(SUM(amount), 0) FROM refunds WHERE order_id = o.id),"
                  " (SELECT COUNT(*) FROM refunds WHERE order_id = o.id)"
                  " FROM orders o WHERE o.id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, refund->order_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      total = sqlite3_column_int64 (stmt, 0);
      refunded = sqlite3_column_int64 (stmt, 1);
      count = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No order %" G_GINT64_FORMAT,
                   refund->order_id);
      goto fail;
    }
  if (refund->amount > total - refunded)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   "Refund of %" G_GINT64_FORMAT " fen exceeds the refundable %" G_GINT64_FORMAT,
                   refund->amount, total - refunded);
      goto fail;
    }
  if (count >= 50)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS, "50 refunds already");
      goto fail;
    }

  for (int attempt = 0;; attempt++)
    {
      g_autofree char *refund_id = new_refund_id (refund->created_ms);

      stmt = prepare (self,
                      "INSERT INTO refunds (out_refund_no, refund_id, order_id, amount, total,"
                      " currency, reason, status, created_ms, success_at_ms)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'PROCESSING', ?8, ?9)", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, refund->out_refund_no, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, refund_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, refund->order_id);
      sqlite3_bind_int64 (stmt, 4, refund->amount);
      sqlite3_bind_int64 (stmt, 5, refund->total);
      sqlite3_bind_text (stmt, 6, refund->currency, -1, SQLITE_TRANSIENT);
      bind_text_or_null (stmt, 7, refund->reason);
      sqlite3_bind_int64 (stmt, 8, refund->created_ms);
      sqlite3_bind_int64 (stmt, 9, refund->success_at_ms);
      rc = sqlite3_step (stmt);
      sqlite3_finalize (stmt);
      if (rc == SQLITE_DONE)
        {
          g_free (refund->refund_id);
          refund->refund_id = g_steal_pointer (&refund_id);
          break;
        }
      /* A taken out_refund_no is the caller's concern (G_IO_ERROR_EXISTS); a colliding
       * refund id is drawn again. */
      if (attempt >= 4 || sqlite3_extended_errcode (self->db) != SQLITE_CONSTRAINT_UNIQUE
          || strstr (sqlite3_errmsg (self->db), "out_refund_no") != NULL)
        {
          set_sqlite_error (self, error, "cannot insert a refund");
          goto fail;
        }
    }
  refund->id = sqlite3_last_insert_rowid (self->db);
  g_free (refund->status);
  refund->status = g_strdup ("PROCESSING");

  stmt = prepare (self, "UPDATE orders SET state = 'REFUND' WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, refund->order_id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, "cannot mark the order refunded");
      goto fail;
    }
  if (!exec_simple (self, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  exec_simple (self, "ROLLBACK", NULL);
  return FALSE;
}

gint64
till_paysim_ledger_get_clock_offset (TillPaysimLedger *self)
{
  g_return_val_if_fail (TILL_IS_PAYSIM_LEDGER (self), 0);
  return self->clock_offset_s;
}

gboolean
till_paysim_ledger_set_clock_offset (TillPaysimLedger *self,
                                     gint64            offset_s,
                                     GError          **error)
{
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, offset_s);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TILL_IS_PAYSIM_LEDGER (self), FALSE);

  stmt = prepare (self,
                  "INSERT INTO meta (key, value) VALUES ('clock_offset_s', ?1)"
                  " ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error, "cannot store the clock offset");
  self->clock_offset_s = offset_s;
  return TRUE;
}

gboolean
till_paysim_ledger_release_bill (TillPaysimLedger *self,
                                 const char       *bill_date,
                                 gint64            now_ms,
                                 GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TILL_IS_PAYSIM_LEDGER (self), FALSE);

  stmt = prepare (self, "INSERT OR IGNORE INTO bills (bill_date, released_ms) VALUES (?1, ?2)",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, bill_date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now_ms);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error, "cannot release a bill");
  return TRUE;
}

gboolean
till_paysim_ledger_bill_released (TillPaysimLedger *self,
                                  const char       *bill_date,
                                  gboolean         *out_released,
                                  GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TILL_IS_PAYSIM_LEDGER (self), FALSE);

  stmt = prepare (self, "SELECT 1 FROM bills WHERE bill_date = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, bill_date, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (self, error, "cannot read bills");
  *out_released = rc == SQLITE_ROW;
  return TRUE;
}

static void
till_paysim_ledger_finalize (GObject *object)
{
  TillPaysimLedger *self = TILL_PAYSIM_LEDGER (object);

  if (self->db != NULL)
    sqlite3_close (self->db);
  g_free (self->path);
  G_OBJECT_CLASS (till_paysim_ledger_parent_class)->finalize (object);
}

static void
till_paysim_ledger_class_init (TillPaysimLedgerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = till_paysim_ledger_finalize;
}

static void
till_paysim_ledger_init (TillPaysimLedger *self)
{
}
