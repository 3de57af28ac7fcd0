/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Report queries and the reconciliation's till side. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include "till-store-private.h"
#include "till-store-reports.h"
#include "till-store-returns.h"

#define DEFAULT_TOP_PRODUCTS 20

/* The sales a report counts: sales of goods paid, including those refunded afterwards
 * (the refund is counted on its own day). A stored-value top-up is not a sale of goods:
 * the money is owed to the member until it is spent, and the spend is the sale (paid by
 * 'stored_value'); top-ups have figures of their own (TOPUPS_IN_PERIOD). */
#define SALES_IN_PERIOD \
  " s.state IN ('paid', 'refunded') AND s.kind = 'goods'" \
  " AND s.closed_at >= ?1 AND s.closed_at < ?2"
/* Paid top-ups (never refunded or voided once paid: schema 18). */
#define TOPUPS_IN_PERIOD \
  " s.state IN ('paid', 'refunded') AND s.kind = 'topup'" \
  " AND s.closed_at >= ?1 AND s.closed_at < ?2"

static TillCachedStmt *
prepare_period (TillStore   *self,
                const char  *sql,
                gint64       from_us,
                gint64       to_us,
                GError     **error)
{
  TillCachedStmt *stmt = till_store_prepare_cached (self, sql, error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, from_us);
  sqlite3_bind_int64 (stmt, 2, to_us);
  return stmt;
}

static gboolean
step_failed (TillStore  *self,
             int         rc,
             GError    **error)
{
  if (rc == SQLITE_DONE)
    return FALSE;
  till_store_set_sqlite_error (self, error, _("The report could not be made"));
  return TRUE;
}

static gboolean
report_totals (TillStore   *self,
               TillReport  *r,
               GError     **error)
{
  g_autoptr(TillCachedStmt) stmt = prepare_period (self,
    "SELECT count(*), coalesce (sum (s.total_fen), 0) FROM sale s WHERE" SALES_IN_PERIOD,
    r->from_us, r->to_us, error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return !step_failed (self, SQLITE_ERROR, error);
  r->n_sales = (guint) sqlite3_column_int64 (stmt, 0);
  r->gross_fen = sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

static gboolean
report_methods (TillStore   *self,
                TillReport  *r,
                GError     **error)
{
  g_autoptr(TillCachedStmt) stmt = prepare_period (self,
    "SELECT p.method, count(*), sum (p.amount_fen), sum (p.rounding_fen) FROM sale s"
    " JOIN payment p ON p.sale_id = s.id AND p.state = 'paid' AND p.unattached = 0"
    " WHERE" SALES_IN_PERIOD " GROUP BY p.method", r->from_us, r->to_us, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int m = till_report_method_from_id ((const char *) sqlite3_column_text (stmt, 0));

      if (m < 0)
        continue;
      r->method_count[m] = (guint) sqlite3_column_int64 (stmt, 1);
      r->method_fen[m] = sqlite3_column_int64 (stmt, 2);
      if (m == TILL_REPORT_CASH)
        r->cash_rounding_fen += sqlite3_column_int64 (stmt, 3);
    }
  return !step_failed (self, rc, error);
}

/* What the top-ups took in: their count and amount, and their paid payments by method
 * (the cash ones' rounding is cash received too). */
static gboolean
report_topups (TillStore   *self,
               TillReport  *r,
               GError     **error)
{
  g_autoptr(TillCachedStmt) totals = prepare_period (self,
    "SELECT count(*), coalesce (sum (s.total_fen), 0) FROM sale s WHERE" TOPUPS_IN_PERIOD,
    r->from_us, r->to_us, error);
  g_autoptr(TillCachedStmt) methods = NULL;
  int rc;

  if (totals == NULL)
    return FALSE;
  if (sqlite3_step (totals) != SQLITE_ROW)
    return !step_failed (self, SQLITE_ERROR, error);
  r->n_topups = (guint) sqlite3_column_int64 (totals, 0);
  r->topups_fen = sqlite3_column_int64 (totals, 1);

  methods = prepare_period (self,
    "SELECT p.method, count(*), sum (p.amount_fen), sum (p.rounding_fen) FROM sale s"
    " JOIN payment p ON p.sale_id = s.id AND p.state = 'paid' AND p.unattached = 0"
    " WHERE" TOPUPS_IN_PERIOD " GROUP BY p.method", r->from_us, r->to_us, error);
  if (methods == NULL)
    return FALSE;
  while ((rc = sqlite3_step (methods)) == SQLITE_ROW)
    {
      int m = till_report_method_from_id ((const char *) sqlite3_column_text (methods, 0));

      if (m < 0)
        continue;
      r->topup_method_count[m] = (guint) sqlite3_column_int64 (methods, 1);
      r->topup_method_fen[m] = sqlite3_column_int64 (methods, 2);
      if (m == TILL_REPORT_CASH)
        r->cash_rounding_fen += sqlite3_column_int64 (methods, 3);
    }
  return !step_failed (self, rc, error);
}

static gboolean
report_hours (TillStore   *self,
              TillReport  *r,
              GError     **error)
{
  g_autoptr(TillCachedStmt) stmt = prepare_period (self,
    "SELECT CAST (strftime ('%H', s.closed_at / 1000000, 'unixepoch', 'localtime')"
    "  AS INTEGER) AS hour, count(*), sum (s.total_fen) FROM sale s"
    " WHERE" SALES_IN_PERIOD " GROUP BY hour", r->from_us, r->to_us, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int h = sqlite3_column_int (stmt, 0);

      if (h < 0 || h > 23)
        continue;
      r->hour_count[h] = (guint) sqlite3_column_int64 (stmt, 1);
      r->hour_fen[h] = sqlite3_column_int64 (stmt, 2);
    }
  return !step_failed (self, rc, error);
}

static gboolean
report_products (TillStore   *self,
                 TillReport  *r,
                 guint        limit,
                 GError     **error)
{
  g_autoptr(TillCachedStmt) stmt = prepare_period (self,
    "SELECT coalesce (l.product_id, 0), l.name, sum (l.qty_milli),"
    "  sum (coalesce (l.final_fen, l.line_total_fen))"
    " FROM sale s JOIN sale_line l ON l.sale_id = s.id"
    " WHERE" SALES_IN_PERIOD
    " GROUP BY l.product_id, l.name ORDER BY 4 DESC, 2 LIMIT ?3",
    r->from_us, r->to_us, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 3, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    till_report_add_product (r, sqlite3_column_int64 (stmt, 0),
                             (const char *) sqlite3_column_text (stmt, 1),
                             sqlite3_column_int64 (stmt, 2), sqlite3_column_int64 (stmt, 3));
  return !step_failed (self, rc, error);
}

static gboolean
report_cashiers (TillStore   *self,
                 TillReport  *r,
                 GError     **error)
{
  g_autoptr(TillCachedStmt) stmt = prepare_period (self,
    "SELECT coalesce (s.cashier, ''), count(*), sum (s.total_fen) FROM sale s"
    " WHERE" SALES_IN_PERIOD " GROUP BY coalesce (s.cashier, '') ORDER BY 3 DESC, 1",
    r->from_us, r->to_us, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    till_report_add_cashier (r, (const char *) sqlite3_column_text (stmt, 0),
                             (guint) sqlite3_column_int64 (stmt, 1),
                             sqlite3_column_int64 (stmt, 2));
  return !step_failed (self, rc, error);
}

static gboolean
report_voids (TillStore   *self,
              TillReport  *r,
              GError     **error)
{
  g_autoptr(TillCachedStmt) stmt = prepare_period (self,
    "SELECT number, closed_at, total_fen, coalesce (cashier, '') FROM sale"
    " WHERE state = 'voided' AND closed_at >= ?1 AND closed_at < ?2 ORDER BY closed_at, id",
    r->from_us, r->to_us, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      till_report_add_event (r->voids, (const char *) sqlite3_column_text (stmt, 0),
                             sqlite3_column_int64 (stmt, 1), sqlite3_column_int64 (stmt, 2),
                             (const char *) sqlite3_column_text (stmt, 3), NULL, NULL);
      r->n_voids++;
      r->voids_fen += sqlite3_column_int64 (stmt, 2);
    }
  return !step_failed (self, rc, error);
}

static gboolean
report_refunds (TillStore   *self,
                TillReport  *r,
                GError     **error)
{
  g_autoptr(TillCachedStmt) stmt = prepare_period (self,
    "SELECT s.number, f.created_at, f.amount_fen, p.method, f.out_refund_no, f.reason,"
    " f.rounding_fen"
    " FROM refund f JOIN payment p ON p.id = f.payment_id JOIN sale s ON s.id = p.sale_id"
    " WHERE f.state = 'success' AND f.created_at >= ?1 AND f.created_at < ?2"
    /* A payment its sale could not take never counted for a sale: neither does the
     * refund that gave it back (both stay in the reconciliation with the bill). Nor do the
     * refunds that gave back what a voided sale took: its payments are not counted either. */
    "  AND p.unattached = 0 AND s.state <> 'voided'"
    " ORDER BY f.created_at, f.id", r->from_us, r->to_us, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *method = (const char *) sqlite3_column_text (stmt, 3);
      gint64 amount = sqlite3_column_int64 (stmt, 2);
      int m = till_report_method_from_id (method);

      till_report_add_event (r->refunds, (const char *) sqlite3_column_text (stmt, 0),
                             sqlite3_column_int64 (stmt, 1), amount, method,
                             (const char *) sqlite3_column_text (stmt, 4),
                             (const char *) sqlite3_column_text (stmt, 5));
      r->n_refunds++;
      r->refunds_fen += amount;
      if (m >= 0)
        r->method_refund_fen[m] += amount;
      /* The cash handed back differs from the refund by its rounding. */
      r->cash_rounding_fen -= sqlite3_column_int64 (stmt, 6);
    }
  return !step_failed (self, rc, error);
}

TillReport *
till_store_report_period (TillStore   *self,
                          gint64       from_us,
                          gint64       to_us,
                          const char  *title_period,
                          guint        top_products,
                          GError     **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillReport) r = till_report_new ();
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (from_us <= to_us, NULL);

  r->from_us = from_us;
  r->to_us = to_us;
  r->title_period = g_strdup (title_period ? title_period : "");

  locker = till_store_locker_new (self);
  /* One read transaction: every figure sees the same data. */
  if (!till_store_exec_literal (till_store_get_db (self), "SAVEPOINT till_report", error))
    return NULL;
  ok = report_totals (self, r, &local_error)
       && report_methods (self, r, &local_error)
       && report_topups (self, r, &local_error)
       && report_hours (self, r, &local_error)
       && report_products (self, r, top_products ? top_products : DEFAULT_TOP_PRODUCTS,
                           &local_error)
       && report_cashiers (self, r, &local_error)
       && report_voids (self, r, &local_error)
       && report_refunds (self, r, &local_error)
       && till_store_report_returns_locked (self, r, &local_error)
       && _till_store_report_pricing (self, r, &local_error);
  till_store_exec_literal (till_store_get_db (self), "RELEASE till_report", NULL);
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  r->net_fen = r->gross_fen - r->refunds_fen - r->returns_fen;
  r->average_fen = till_report_average (r->gross_fen, r->n_sales);
  return g_steal_pointer (&r);
}

TillReport *
till_store_report_day (TillStore   *self,
                       const char  *date,
                       GError     **error)
{
  gint64 from, to;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  if (!till_report_parse_day (date, &from, &to, error))
    return NULL;
  return till_store_report_period (self, from, to, date, 0, error);
}

TillReport *
till_store_report_range (TillStore   *self,
                         const char  *from_date,
                         const char  *to_date,
                         GError     **error)
{
  gint64 from, to, unused;
  g_autofree char *title = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  if (!till_report_parse_day (from_date, &from, &unused, error)
      || !till_report_parse_day (to_date, &to, &unused, error))
    return NULL;
  if (to < from)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("The period ends before it starts"));
      return NULL;
    }
  title = g_strdup_printf ("%s – %s", from_date, to_date);
  return till_store_report_period (self, from, to, title, 0, error);
}

/* ---------------------------------------------------------------- reconciliation */

static void
add_item (GPtrArray    *items,
          GHashTable   *seen,
          sqlite3_stmt *stmt,
          gboolean      is_refund)
{
  const char *key = (const char *) sqlite3_column_text (stmt, 0);
  g_autofree char *seen_key = g_strconcat (is_refund ? "R:" : "P:", key, NULL);

  if (key == NULL || g_hash_table_contains (seen, seen_key))
    return;
  g_hash_table_add (seen, g_steal_pointer (&seen_key));
  g_ptr_array_add (items, till_reconcile_item_new (is_refund, key,
                                                   (const char *) sqlite3_column_text (stmt, 1),
                                                   (const char *) sqlite3_column_text (stmt, 2),
                                                   sqlite3_column_int64 (stmt, 3),
                                                   (const char *) sqlite3_column_text (stmt, 4),
                                                   (const char *) sqlite3_column_text (stmt, 5),
                                                   sqlite3_column_int64 (stmt, 6)));
}

#define PAYMENT_ITEM \
  "SELECT p.out_trade_no, NULL, p.method, p.amount_fen, p.state, s.number, p.created_at" \
  " FROM payment p JOIN sale s ON s.id = p.sale_id"
#define REFUND_ITEM \
  "SELECT f.out_refund_no, p.out_trade_no, p.method, f.amount_fen, f.state, s.number," \
  " f.created_at FROM refund f JOIN payment p ON p.id = f.payment_id" \
  " JOIN sale s ON s.id = p.sale_id"
/* The provider's methods, ?3 to ?8: a method's name where `methods` holds it, else NULL
 * (which matches nothing). */
#define OF_METHODS " p.method IN (?3, ?4, ?5, ?6, ?7, ?8)"
#define METHODS_FIRST_PARAM 3
G_STATIC_ASSERT (TILL_PAYMENT_METHOD_COUNT == 6);

static void
bind_methods (sqlite3_stmt *stmt,
              guint         methods)
{
  for (guint m = 0; m < TILL_PAYMENT_METHOD_COUNT; m++)
    if (till_payment_method_is_electronic ((TillPaymentMethod) m)
        && (methods & TILL_PAYMENT_METHOD_BIT (m)) != 0)
      sqlite3_bind_text (stmt, METHODS_FIRST_PARAM + (int) m,
                         till_payment_method_to_string ((TillPaymentMethod) m), -1,
                         SQLITE_STATIC);
    else
      sqlite3_bind_null (stmt, METHODS_FIRST_PARAM + (int) m);
}

static gboolean
check_methods (guint    methods,
               GError **error)
{
  for (guint m = 0; m < TILL_PAYMENT_METHOD_COUNT; m++)
    if (till_payment_method_is_electronic ((TillPaymentMethod) m)
        && (methods & TILL_PAYMENT_METHOD_BIT (m)) != 0)
      return TRUE;
  g_set_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
               _("A reconciliation needs the provider's payment methods"));
  return FALSE;
}

GPtrArray *
till_store_reconcile_items (TillStore      *self,
                            const char     *date,
                            guint           methods,
                            const TillBill *bill,
                            GError        **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) till_reconcile_item_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 from, to;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  if (!check_methods (methods, error) || !till_report_parse_day (date, &from, &to, error))
    return NULL;
  locker = till_store_locker_new (self);

  {
    g_autoptr(TillCachedStmt) stmt = prepare_period (self,
      PAYMENT_ITEM " WHERE p.created_at >= ?1 AND p.created_at < ?2 AND" OF_METHODS
      " ORDER BY p.created_at, p.id", from, to, error);

    if (stmt == NULL)
      return NULL;
    bind_methods (stmt, methods);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      add_item (items, seen, stmt, FALSE);
    if (step_failed (self, rc, error))
      return NULL;
  }
  {
    g_autoptr(TillCachedStmt) stmt = prepare_period (self,
      REFUND_ITEM " WHERE f.created_at >= ?1 AND f.created_at < ?2 AND" OF_METHODS
      " ORDER BY f.created_at, f.id", from, to, error);

    if (stmt == NULL)
      return NULL;
    bind_methods (stmt, methods);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      add_item (items, seen, stmt, TRUE);
    if (step_failed (self, rc, error))
      return NULL;
  }
  /* rows of the bill made on other days at the till (around midnight); a number the till
   * gave to another provider's payment is not this bill's */
  for (guint i = 0; bill != NULL && i < bill->rows->len; i++)
    {
      const TillBillRow *row = g_ptr_array_index (bill->rows, i);
      gboolean is_refund = row->kind == TILL_BILL_ROW_REFUND;
      g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self,
        is_refund ? REFUND_ITEM " WHERE f.out_refund_no = ?1 AND" OF_METHODS
                  : PAYMENT_ITEM " WHERE p.out_trade_no = ?1 AND" OF_METHODS,
        error);

      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, is_refund ? row->out_refund_no : row->out_trade_no, -1,
                         SQLITE_TRANSIENT);
      bind_methods (stmt, methods);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        add_item (items, seen, stmt, is_refund);
      if (step_failed (self, rc, error))
        return NULL;
    }
  return g_steal_pointer (&items);
}

TillReconciliation *
till_store_reconcile_day (TillStore      *self,
                          const char     *date,
                          const char     *provider,
                          guint           methods,
                          const TillBill *bill,
                          gint64          fetched_at_us,
                          GError        **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(TillReconciliation) result = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;
  g_autofree char *json = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (provider != NULL && provider[0] != '\0', NULL);
  g_return_val_if_fail (bill != NULL, NULL);

  locker = till_store_locker_new (self);
  items = till_store_reconcile_items (self, date, methods, bill, error);
  if (items == NULL)
    return NULL;
  result = till_reconcile (date, bill, items);
  json = till_reconciliation_to_json (result);

  stmt = till_store_prepare_cached (self,
    "INSERT INTO reconciliation (date, provider, fetched_at, result_json, status)"
    " VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, provider, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, fetched_at_us);
  sqlite3_bind_text (stmt, 4, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, till_reconciliation_is_balanced (result) ? "balanced"
                                                                      : "differences",
                     -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The reconciliation could not be saved"));
      return NULL;
    }
  g_message ("Reconciled %s with %s: %u matched, %u differences", date, provider,
             result->n_matched, result->differences->len);
  return g_steal_pointer (&result);
}

char *
till_store_reconcile_load (TillStore   *self,
                           const char  *date,
                           const char  *provider,
                           char       **out_status,
                           GError     **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (provider != NULL, NULL);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self,
    "SELECT result_json, status FROM reconciliation WHERE date = ?1 AND provider = ?2"
    " ORDER BY fetched_at DESC, id DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, provider, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                     _("The day %s has not been reconciled yet"), date);
      else
        till_store_set_sqlite_error (self, error, _("The reconciliation could not be read"));
      return NULL;
    }
  if (out_status != NULL)
    *out_status = till_stmt_dup_text (stmt, 1);
  return till_stmt_dup_text (stmt, 0);
}
