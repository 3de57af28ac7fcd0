/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reads for the receiving and stocktake windows: last cost, recent suppliers, booked lines. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include "till-store-private.h"
#include "till-store-stock-entry.h"

gboolean
till_store_product_cost (TillStore *self, gint64 product_id, gint64 *out_cost_fen, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_cost_fen != NULL, FALSE);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self, "SELECT cost_fen FROM product WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, product_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_message ("Cost of product %" G_GINT64_FORMAT " asked: no such product", product_id);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                   _ ("The product is no longer in the catalog"));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _ ("The product could not be read"));
      return FALSE;
    }
  *out_cost_fen
      = sqlite3_column_type (stmt, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

GStrv
till_store_list_recent_suppliers (TillStore *self, guint limit, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (
      self,
      "SELECT supplier FROM receiving GROUP BY supplier ORDER BY MAX (at) DESC, MAX (id) DESC"
      " LIMIT ?1",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *)sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The suppliers could not be read"));
      return NULL;
    }
  return g_strv_builder_end (builder);
}

GArray *
till_store_list_stocktake_results (TillStore *self, gint64 stocktake_id, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;
  g_autoptr (GArray) results = g_array_new (FALSE, TRUE, sizeof (TillStocktakeResult));
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (
      self,
      "SELECT product_id, counted_milli, expected_milli, variance_milli FROM stocktake_line"
      " WHERE stocktake_id = ?1 ORDER BY product_id",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, stocktake_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TillStocktakeResult r = {
        sqlite3_column_int64 (stmt, 0),
        sqlite3_column_int64 (stmt, 1),
        sqlite3_column_int64 (stmt, 2),
        sqlite3_column_int64 (stmt, 3),
      };

      g_array_append_val (results, r);
    }
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The stocktake could not be read"));
      return NULL;
    }
  return g_steal_pointer (&results);
}
