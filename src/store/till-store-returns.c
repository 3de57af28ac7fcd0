/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Returns without a receipt: recorded in one transaction, read back for the slip, counted
 * for the day close and the reports. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include "till-store-private.h"
#include "till-store-cash.h"
#include "till-store-returns.h"

static gboolean
refuse (GError    **error,
        const char *text)
{
  g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE, text);
  return FALSE;
}

/* A closed day takes no return, as it takes no sale. */
static gboolean
check_day_open_locked (TillStore  *self,
                       gint64      now,
                       GError    **error)
{
  g_autofree char *date = till_report_local_date (now);
  gboolean closed = FALSE;

  if (!till_store_day_is_closed (self, date, &closed, error))
    return FALSE;
  if (closed)
    {
      g_message ("Return refused: the day %s is closed", date);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED,
                   _("The day %s is closed: no return can be taken on it. The next day opens "
                     "at midnight (00:00)."), date);
      return FALSE;
    }
  return TRUE;
}

/* No payment of an open sale may be waiting for its outcome: its cash and this one would
 * cross in the drawer while the customer stands at the counter. */
static gboolean
check_no_payment_in_progress_locked (TillStore  *self,
                                     GError    **error)
{
  g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self,
    "SELECT 1 FROM payment p JOIN sale s ON s.id = p.sale_id"
    " WHERE s.state IN ('open', 'suspended')"
    "   AND p.state IN ('submitting', 'user_paying', 'in_doubt') LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_message ("Return refused: a payment is in progress");
      return refuse (error, _("A payment is in progress: finish or cancel it, then take "
                              "the return."));
    }
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The return could not be saved"));
      return FALSE;
    }
  return TRUE;
}

static char *
next_number_locked (TillStore   *self,
                    const char  *day,
                    GError     **error)
{
  g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self,
    "SELECT count(*) FROM goods_return WHERE day = ?1", error);
  g_autofree char *compact = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, day, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _("The return could not be saved"));
      return NULL;
    }
  compact = g_strdup_printf ("%.4s%.2s%.2s", day, day + 5, day + 8);
  return g_strdup_printf ("R%s-%04" G_GINT64_FORMAT, compact,
                          (gint64) sqlite3_column_int64 (stmt, 0) + 1);
}

static gboolean
insert_lines_locked (TillStore         *self,
                     gint64             return_id,
                     const TillReturn  *ret,
                     GError           **error)
{
  for (guint i = 0; i < ret->lines->len; i++)
    {
      const TillReturnLine *l = g_ptr_array_index (ret->lines, i);
      g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self,
        "INSERT INTO goods_return_line (return_id, position, product_id, barcode, name, unit,"
        "  weighed, qty_milli, list_price_fen, unit_price_fen, line_total_fen)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, return_id);
      sqlite3_bind_int (stmt, 2, (int) i);
      sqlite3_bind_int64 (stmt, 3, l->product_id);
      till_stmt_bind_text_or_null (stmt, 4, l->barcode);
      sqlite3_bind_text (stmt, 5, l->name, -1, SQLITE_TRANSIENT);
      till_stmt_bind_text_or_null (stmt, 6, l->unit);
      sqlite3_bind_int (stmt, 7, l->weighed ? 1 : 0);
      sqlite3_bind_int64 (stmt, 8, l->qty_milli);
      sqlite3_bind_int64 (stmt, 9, l->list_price_fen);
      sqlite3_bind_int64 (stmt, 10, l->unit_price_fen);
      sqlite3_bind_int64 (stmt, 11, l->line_total_fen);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          till_store_set_sqlite_error (self, error, _("The return could not be saved"));
          return FALSE;
        }
    }
  return TRUE;
}

/* The list price of every line is the product's price now. */
static gboolean
list_prices_locked (TillStore   *self,
                    TillReturn  *ret,
                    GError     **error)
{
  for (guint i = 0; i < ret->lines->len; i++)
    {
      TillReturnLine *l = g_ptr_array_index (ret->lines, i);
      g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self,
        "SELECT price_fen FROM product WHERE id = ?1", error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, l->product_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        {
          g_autofree char *text = g_strdup_printf (_("%s is not in the catalog"), l->name);

          return refuse (error, text);
        }
      if (rc != SQLITE_ROW)
        {
          till_store_set_sqlite_error (self, error, _("The return could not be saved"));
          return FALSE;
        }
      l->list_price_fen = sqlite3_column_int64 (stmt, 0);
    }
  return TRUE;
}

TillReturn *
till_store_return_record (TillStore         *self,
                          const TillReturn  *draft,
                          TillCashRounding   rounding,
                          GError           **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillReturn) ret = NULL;
  g_autoptr(TillCachedStmt) insert = NULL;
  g_autoptr(GString) detail = NULL;
  g_autoptr(GError) rule_error = NULL;
  gint64 now = till_store_now_us ();

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (draft != NULL, NULL);

  ret = till_return_copy (draft);
  g_free (ret->reason);
  ret->reason = g_strstrip (g_strdup (draft->reason != NULL ? draft->reason : ""));
  if (*ret->reason == '\0')
    {
      refuse (error, _("Say why the goods are returned"));
      return NULL;
    }
  if (ret->manager == NULL || *ret->manager == '\0')
    {
      refuse (error, _("A return needs a manager's approval"));
      return NULL;
    }
  if (ret->till_id == NULL)
    ret->till_id = g_strdup ("");
  if (ret->cashier == NULL)
    ret->cashier = g_strdup ("");
  ret->at = now;

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return NULL;
  if (!check_day_open_locked (self, now, error)
      || !check_no_payment_in_progress_locked (self, error)
      || !list_prices_locked (self, ret, error))
    goto fail;
  if (!till_return_check (ret, &rule_error))
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                           rule_error->message);
      goto fail;
    }
  ret->rounding_fen = till_return_cash_for (ret->amount_fen, rounding) - ret->amount_fen;

  {
    g_autofree char *day = till_report_local_date (now);

    ret->number = next_number_locked (self, day, error);
    if (ret->number == NULL)
      goto fail;
    insert = till_store_prepare_cached (self,
      "INSERT INTO goods_return (number, day, at, till_id, cashier, manager, reason,"
      "  amount_fen, rounding_fen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);
    if (insert == NULL)
      goto fail;
    sqlite3_bind_text (insert, 1, ret->number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (insert, 2, day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (insert, 3, now);
    sqlite3_bind_text (insert, 4, ret->till_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (insert, 5, ret->cashier, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (insert, 6, ret->manager, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (insert, 7, ret->reason, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (insert, 8, ret->amount_fen);
    sqlite3_bind_int64 (insert, 9, ret->rounding_fen);
    if (sqlite3_step (insert) != SQLITE_DONE)
      {
        till_store_set_sqlite_error (self, error, _("The return could not be saved"));
        goto fail;
      }
    ret->id = sqlite3_last_insert_rowid (till_store_get_db (self));
  }
  if (!insert_lines_locked (self, ret->id, ret, error))
    goto fail;

  detail = g_string_new ("{\"number\":");
  till_store_json_append_string (detail, ret->number);
  g_string_append_printf (detail, ",\"amount_fen\":%" G_GINT64_FORMAT
                          ",\"rounding_fen\":%" G_GINT64_FORMAT ",\"lines\":%u,\"manager\":",
                          ret->amount_fen, ret->rounding_fen, ret->lines->len);
  till_store_json_append_string (detail, ret->manager);
  g_string_append (detail, ",\"reason\":");
  till_store_json_append_string (detail, ret->reason);
  g_string_append_c (detail, '}');
  if (!till_store_audit_locked (self, ret->cashier, "return_no_receipt", detail->str, error))
    goto fail;
  if (!till_store_commit (self, error))
    return NULL;
  g_message ("Return %s without receipt: %" G_GINT64_FORMAT " fen (+%" G_GINT64_FORMAT
             " rounding), approved by a manager", ret->number, ret->amount_fen,
             ret->rounding_fen);
  return g_steal_pointer (&ret);

fail:
  till_store_rollback (self);
  return NULL;
}

TillReturn *
till_store_return_load (TillStore   *self,
                        const char  *number,
                        GError     **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) head = NULL;
  g_autoptr(TillCachedStmt) lines = NULL;
  g_autoptr(TillReturn) ret = NULL;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  locker = till_store_locker_new (self);
  head = till_store_prepare_cached (self,
    "SELECT id, at, till_id, cashier, manager, reason, amount_fen, rounding_fen"
    " FROM goods_return WHERE number = ?1", error);
  if (head == NULL)
    return NULL;
  sqlite3_bind_text (head, 1, number, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (head);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                     _("No return with number %s"), number);
      else
        till_store_set_sqlite_error (self, error, _("The return could not be read"));
      return NULL;
    }
  ret = till_return_new ();
  ret->number = g_strdup (number);
  ret->id = sqlite3_column_int64 (head, 0);
  ret->at = sqlite3_column_int64 (head, 1);
  ret->till_id = till_stmt_dup_text (head, 2);
  ret->cashier = till_stmt_dup_text (head, 3);
  ret->manager = till_stmt_dup_text (head, 4);
  ret->reason = till_stmt_dup_text (head, 5);
  ret->amount_fen = sqlite3_column_int64 (head, 6);
  ret->rounding_fen = sqlite3_column_int64 (head, 7);

  lines = till_store_prepare_cached (self,
    "SELECT coalesce (product_id, 0), barcode, name, unit, weighed, qty_milli,"
    "  list_price_fen, unit_price_fen, line_total_fen"
    " FROM goods_return_line WHERE return_id = ?1 ORDER BY position", error);
  if (lines == NULL)
    return NULL;
  sqlite3_bind_int64 (lines, 1, ret->id);
  while ((rc = sqlite3_step (lines)) == SQLITE_ROW)
    {
      TillReturnLine *l = g_new0 (TillReturnLine, 1);

      l->product_id = sqlite3_column_int64 (lines, 0);
      l->barcode = till_stmt_dup_text (lines, 1);
      l->name = till_stmt_dup_text (lines, 2);
      l->unit = till_stmt_dup_text (lines, 3);
      l->weighed = sqlite3_column_int (lines, 4) != 0;
      l->qty_milli = sqlite3_column_int64 (lines, 5);
      l->list_price_fen = sqlite3_column_int64 (lines, 6);
      l->unit_price_fen = sqlite3_column_int64 (lines, 7);
      l->line_total_fen = sqlite3_column_int64 (lines, 8);
      g_ptr_array_add (ret->lines, l);
    }
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The return could not be read"));
      return NULL;
    }
  return g_steal_pointer (&ret);
}

gboolean
till_store_returns_cash_locked (TillStore   *self,
                                const char  *date,
                                gint64      *out_amount_fen,
                                gint64      *out_rounding_fen,
                                GError     **error)
{
  g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self,
    "SELECT coalesce (sum (amount_fen), 0), coalesce (sum (rounding_fen), 0)"
    " FROM goods_return WHERE day = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, date, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _("The cash of the day could not be counted"));
      return FALSE;
    }
  *out_amount_fen = sqlite3_column_int64 (stmt, 0);
  *out_rounding_fen = sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

gboolean
till_store_report_returns_locked (TillStore   *self,
                                  TillReport  *r,
                                  GError     **error)
{
  g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self,
    "SELECT cashier, count(*), sum (amount_fen), sum (rounding_fen) FROM goods_return"
    " WHERE at >= ?1 AND at < ?2 GROUP BY cashier ORDER BY sum (amount_fen) DESC, cashier",
    error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, r->from_us);
  sqlite3_bind_int64 (stmt, 2, r->to_us);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint n = (guint) sqlite3_column_int64 (stmt, 1);
      gint64 amount = sqlite3_column_int64 (stmt, 2);

      till_report_add_return_cashier (r, (const char *) sqlite3_column_text (stmt, 0), n,
                                      amount);
      r->n_returns += n;
      r->returns_fen += amount;
      /* Like a cash refund's, the rounding of the cash handed back. */
      r->cash_rounding_fen -= sqlite3_column_int64 (stmt, 3);
    }
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The report could not be made"));
      return FALSE;
    }
  return TRUE;
}
