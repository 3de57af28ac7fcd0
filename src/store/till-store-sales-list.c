/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Lists of closed sales for the managers' windows (refunds, reprints). */
#define G_LOG_DOMAIN "till-store"
#include "config.h"

#include "till-store-private.h"
#include "till-store-sales-list.h"

G_DEFINE_BOXED_TYPE (TillSaleSummary, till_sale_summary, till_sale_summary_copy,
                     till_sale_summary_free)

TillSaleSummary *
till_sale_summary_copy (const TillSaleSummary *summary)
{
  TillSaleSummary *copy;

  g_return_val_if_fail (summary != NULL, NULL);

  copy = g_new0 (TillSaleSummary, 1);
  copy->id = summary->id;
  copy->number = g_strdup (summary->number);
  copy->state = g_strdup (summary->state);
  copy->closed_at = summary->closed_at;
  copy->total_fen = summary->total_fen;
  copy->cashier = g_strdup (summary->cashier);
  copy->till_id = g_strdup (summary->till_id);
  copy->methods = g_strdup (summary->methods);
  return copy;
}

void
till_sale_summary_free (TillSaleSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->number);
  g_free (summary->state);
  g_free (summary->cashier);
  g_free (summary->till_id);
  g_free (summary->methods);
  g_free (summary);
}

#define SUMMARY_COLUMNS                                                            \
  "s.id, s.number, s.state, COALESCE(s.closed_at, 0), s.total_fen,"                \
  " COALESCE(s.cashier, ''), s.till_id,"                                           \
  " COALESCE((SELECT group_concat(method, ',') FROM (SELECT DISTINCT p.method"     \
  "   FROM payment p WHERE p.sale_id = s.id AND p.state = 'paid' AND p.unattached = 0"    \
  "   ORDER BY p.id)), '')"

static TillSaleSummary *
summary_from_row (sqlite3_stmt *stmt)
{
  TillSaleSummary *summary = g_new0 (TillSaleSummary, 1);

  summary->id = sqlite3_column_int64 (stmt, 0);
  summary->number = till_stmt_dup_text (stmt, 1);
  summary->state = till_stmt_dup_text (stmt, 2);
  summary->closed_at = sqlite3_column_int64 (stmt, 3);
  summary->total_fen = sqlite3_column_int64 (stmt, 4);
  summary->cashier = till_stmt_dup_text (stmt, 5);
  summary->till_id = till_stmt_dup_text (stmt, 6);
  summary->methods = till_stmt_dup_text (stmt, 7);
  return summary;
}

GPtrArray *
till_store_list_closed_sales (TillStore  *self,
                              gint64      from_us,
                              gint64      to_us,
                              gboolean    include_voided,
                              guint       limit,
                              GError    **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self,
    "SELECT " SUMMARY_COLUMNS " FROM sale s"
    " WHERE s.state IN ('paid', 'refunded', 'voided') AND (?3 OR s.state <> 'voided')"
    "   AND s.closed_at >= ?1 AND s.closed_at < ?2"
    " ORDER BY s.closed_at DESC, s.id DESC LIMIT ?4", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, from_us);
  sqlite3_bind_int64 (stmt, 2, to_us);
  sqlite3_bind_int (stmt, 3, include_voided ? 1 : 0);
  sqlite3_bind_int64 (stmt, 4, limit > 0 ? (sqlite3_int64) limit : -1);

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) till_sale_summary_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, summary_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("Cannot list the sales"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

static TillSaleSummary *
one_summary (TillStore  *self,
             const char *sql,
             const char *param,
             GError    **error)
{
  g_autoptr(TillStoreLocker) locker = till_store_locker_new (self);
  g_autoptr(TillCachedStmt) stmt = NULL;
  int rc;

  stmt = till_store_prepare_cached (self, sql, error);
  if (stmt == NULL)
    return NULL;
  till_stmt_bind_text_or_null (stmt, 1, param);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return summary_from_row (stmt);
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("Cannot read the sale"));
      return NULL;
    }
  g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
               _("No sale with number %s"), param != NULL ? param : "");
  return NULL;
}

TillSaleSummary *
till_store_get_sale_summary (TillStore  *self,
                             const char *number,
                             GError    **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  return one_summary (self, "SELECT " SUMMARY_COLUMNS " FROM sale s WHERE s.number = ?1",
                      number, error);
}

TillSaleSummary *
till_store_last_paid_sale (TillStore  *self,
                           const char *till_id,
                           GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  TillSaleSummary *summary;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  summary = one_summary (self,
                         "SELECT " SUMMARY_COLUMNS " FROM sale s"
                         " WHERE s.state IN ('paid', 'refunded') AND s.till_id = ?1"
                         " ORDER BY s.closed_at DESC, s.id DESC LIMIT 1",
                         till_id, &local_error);
  if (summary == NULL && g_error_matches (local_error, TILL_STORE_ERROR,
                                          TILL_STORE_ERROR_NOT_FOUND))
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                   _("No paid sale yet"));
      return NULL;
    }
  if (summary == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return summary;
}

gboolean
till_store_sale_cash_tendered (TillStore  *self,
                               gint64      sale_id,
                               gint64     *out_tendered_fen,
                               GError    **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_tendered_fen != NULL, FALSE);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self,
    "SELECT COALESCE(SUM(COALESCE(json_extract(detail_json, '$.tendered_fen'), amount_fen)), 0)"
    " FROM payment WHERE sale_id = ?1 AND method = 'cash' AND state = 'paid'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sale_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _("Cannot read the sale's payments"));
      return FALSE;
    }
  *out_tendered_fen = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}
