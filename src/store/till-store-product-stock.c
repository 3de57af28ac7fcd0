/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One product's stock fields and latest moves, the stock export, the level an import sets. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <string.h>

#include "till-report.h"
#include "till-stock-report.h"
#include "till-store-private.h"
#include "till-store-products.h"
#include "till-store-product-stock.h"

void
till_stock_move_free (TillStockMove *move)
{
  if (move == NULL)
    return;
  g_free (move->kind);
  g_free (move->reference);
  g_free (move->who);
  g_free (move);
}

/* The product's stock fields; NOT_FOUND when there is none. Lock held. */
static gboolean
product_stock_locked (TillStore *self, gint64 product_id, TillProductStock *out, GError **error)
{
  g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
      self,
      "SELECT track_stock, min_stock_milli, COALESCE (cost_fen, -1),"
      "       (SELECT COALESCE (SUM (qty_milli), 0) FROM stock_move WHERE product_id = ?1)"
      "  FROM product WHERE id = ?1",
      error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, product_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out->track_stock = sqlite3_column_int (stmt, 0) != 0;
      out->min_stock_milli = sqlite3_column_int64 (stmt, 1);
      out->cost_fen = sqlite3_column_int64 (stmt, 2);
      out->level_milli = sqlite3_column_int64 (stmt, 3);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The product could not be read"));
      return FALSE;
    }
  g_message ("Product stock: no product %" G_GINT64_FORMAT, product_id);
  g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
               _ ("The product is not in the catalog"));
  return FALSE;
}

gboolean
till_store_get_product_stock (TillStore *self, gint64 product_id, TillProductStock *out,
                              GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  locker = till_store_locker_new (self);
  return product_stock_locked (self, product_id, out, error);
}

gboolean
till_store_save_product_stock (TillStore *self, gint64 product_id, gboolean track_stock,
                               gint64 min_stock_milli, gint64 cost_fen, const char *actor,
                               GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (GString) detail = NULL;
  TillProductStock before = { 0 };

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  if (min_stock_milli < 0)
    {
      g_message ("Stock settings refused: minimum %" G_GINT64_FORMAT, min_stock_milli);
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                           _ ("The minimum stock cannot be below zero"));
      return FALSE;
    }
  if (cost_fen < -1 || cost_fen > TILL_STORE_PRICE_CEILING_FEN)
    {
      g_message ("Stock settings refused: cost %" G_GINT64_FORMAT, cost_fen);
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                           _ ("The cost must be from 0 to 99,999,999.99"));
      return FALSE;
    }

  locker = till_store_locker_new (self);
  if (!product_stock_locked (self, product_id, &before, error))
    return FALSE;
  if (before.track_stock == track_stock && before.min_stock_milli == min_stock_milli
      && before.cost_fen == cost_fen)
    return TRUE;
  if (!till_store_begin (self, error))
    return FALSE;
  {
    g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
        self,
        "UPDATE product SET track_stock = ?2, min_stock_milli = ?3, cost_fen = ?4 WHERE id = ?1",
        error);

    if (stmt == NULL)
      goto fail;
    sqlite3_bind_int64 (stmt, 1, product_id);
    sqlite3_bind_int (stmt, 2, track_stock ? 1 : 0);
    sqlite3_bind_int64 (stmt, 3, min_stock_milli);
    if (cost_fen >= 0)
      sqlite3_bind_int64 (stmt, 4, cost_fen);
    else
      sqlite3_bind_null (stmt, 4);
    if (!till_store_step_done (self, stmt, _ ("The stock settings could not be saved"), error))
      goto fail;
  }
  detail = g_string_new (NULL);
  g_string_append_printf (detail,
                          "{\"product_id\":%" G_GINT64_FORMAT ",\"before\":{\"track\":%s,"
                          "\"min_milli\":%" G_GINT64_FORMAT ",\"cost_fen\":%" G_GINT64_FORMAT
                          "},\"after\":{\"track\":%s,\"min_milli\":%" G_GINT64_FORMAT
                          ",\"cost_fen\":%" G_GINT64_FORMAT "}}",
                          product_id, before.track_stock ? "true" : "false", before.min_stock_milli,
                          before.cost_fen, track_stock ? "true" : "false", min_stock_milli,
                          cost_fen);
  if (!till_store_audit_locked (self, actor, "stock_settings", detail->str, error)
      || !till_store_commit (self, error))
    goto fail;
  g_message ("Stock settings of product %" G_GINT64_FORMAT " saved by %s", product_id, actor);
  return TRUE;

fail:
  till_store_rollback (self);
  return FALSE;
}

gint64
till_store_save_product_with_stock (TillStore *self, const TillProduct *product, gint64 category_id,
                                    gint64 max_price_fen, const char *actor, gboolean track_stock,
                                    gint64 min_stock_milli, gint64 cost_fen, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  gint64 id;

  g_return_val_if_fail (TILL_IS_STORE (self), 0);
  g_return_val_if_fail (product != NULL, 0);

  if (actor == NULL || *actor == '\0')
    actor = "?";
  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return 0;
  /* each of them a savepoint inside this transaction */
  id = till_store_save_product (self, product, category_id, max_price_fen, actor, error);
  if (id == 0
      || !till_store_save_product_stock (self, id, track_stock, min_stock_milli, cost_fen, actor,
                                         error))
    {
      till_store_rollback (self);
      return 0;
    }
  /* a failed commit rolls back by itself */
  if (!till_store_commit (self, error))
    return 0;
  return id;
}

GPtrArray *
till_store_list_stock_moves (TillStore *self, gint64 product_id, guint limit, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;
  g_autoptr (GPtrArray) moves = NULL;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self,
                                    "SELECT at, kind, qty_milli, reference, who FROM stock_move"
                                    " WHERE product_id = ?1 ORDER BY at DESC, id DESC LIMIT ?2",
                                    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, product_id);
  sqlite3_bind_int64 (stmt, 2, limit);
  moves = g_ptr_array_new_with_free_func ((GDestroyNotify)till_stock_move_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TillStockMove *move = g_new0 (TillStockMove, 1);

      move->at = sqlite3_column_int64 (stmt, 0);
      move->kind = till_stmt_dup_text (stmt, 1);
      move->qty_milli = sqlite3_column_int64 (stmt, 2);
      move->reference = till_stmt_dup_text (stmt, 3);
      move->who = till_stmt_dup_text (stmt, 4);
      g_ptr_array_add (moves, move);
    }
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The stock moves could not be read"));
      return NULL;
    }
  return g_steal_pointer (&moves);
}

gboolean
_till_store_set_level_locked (TillStore *self, gint64 product_id, gint64 level_milli,
                              const char *reference, const char *who, gboolean *out_moved,
                              GError **error)
{
  TillProductStock now = { 0 };

  *out_moved = FALSE;
  if (!product_stock_locked (self, product_id, &now, error))
    return FALSE;
  if (!now.track_stock
      && !till_store_exec_for_id (self, "UPDATE product SET track_stock = 1 WHERE id = ?1",
                                  product_id, 0, _ ("The stock level could not be set"), error))
    return FALSE;
  if (now.level_milli == level_milli)
    return TRUE;
  {
    g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
        self,
        "INSERT INTO stock_move (product_id, kind, qty_milli, cost_fen, reference, who, at)"
        " VALUES (?1, 'adjustment', ?2, ?3, ?4, ?5, ?6)",
        error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, product_id);
    sqlite3_bind_int64 (stmt, 2, level_milli - now.level_milli);
    if (now.cost_fen >= 0)
      sqlite3_bind_int64 (stmt, 3, now.cost_fen);
    else
      sqlite3_bind_null (stmt, 3);
    sqlite3_bind_text (stmt, 4, reference, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 5, who, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 6, till_store_now_us ());
    if (!till_store_step_done (self, stmt, _ ("The stock level could not be set"), error))
      return FALSE;
  }
  *out_moved = TRUE;
  return TRUE;
}

/* ---- the stock export ---------------------------------------------------------------- */

#define STOCK_EXPORT_SQL                                                                           \
  "SELECT p.barcode, p.plu, p.name, c.name, p.unit, p.weighed,"                                    \
  "       (SELECT COALESCE (SUM (m.qty_milli), 0) FROM stock_move m WHERE m.product_id = p.id),"   \
  "       p.min_stock_milli, COALESCE (p.cost_fen, -1)"                                            \
  "  FROM product p LEFT JOIN category c ON c.id = p.category_id"                                  \
  " WHERE p.track_stock = 1 AND p.active = 1 ORDER BY p.name, p.id"

gboolean
till_store_export_stock_csv (TillStore *self, const char *path, guint *n_exported, GError **error)
{
  g_autoptr (GString) out = g_string_new ("\xEF\xBB\xBF"
                                          "barcode,plu,name,category,unit,stock,min,cost,"
                                          "value\r\n");
  guint count = 0;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_exported != NULL)
    *n_exported = 0;
  {
    g_autoptr (TillStoreLocker) locker = till_store_locker_new (self);
    g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (self, STOCK_EXPORT_SQL, error);

    if (stmt == NULL)
      return FALSE;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 level = sqlite3_column_int64 (stmt, 6);
        gint64 cost = sqlite3_column_int64 (stmt, 8);
        g_autofree char *level_text = till_report_format_qty (level);
        g_autofree char *min_text = till_report_format_qty (sqlite3_column_int64 (stmt, 7));
        g_autofree char *cost_text = cost >= 0 ? till_money_format_plain (cost) : g_strdup ("");
        g_autofree char *value_text = till_money_format_plain (till_stock_value_fen (level, cost));

        _till_store_csv_append_cell (out, (const char *)sqlite3_column_text (stmt, 0));
        g_string_append_c (out, ',');
        _till_store_csv_append_cell (out, (const char *)sqlite3_column_text (stmt, 1));
        g_string_append_c (out, ',');
        _till_store_csv_append_cell (out, (const char *)sqlite3_column_text (stmt, 2));
        g_string_append_c (out, ',');
        _till_store_csv_append_cell (out, (const char *)sqlite3_column_text (stmt, 3));
        g_string_append_c (out, ',');
        _till_store_csv_append_cell (out, sqlite3_column_int (stmt, 5) != 0
                              ? "kg"
                              : (const char *)sqlite3_column_text (stmt, 4));
        g_string_append_printf (out, ",%s,%s,%s,%s\r\n", level_text, min_text, cost_text,
                                value_text);
        count++;
      }
    if (rc != SQLITE_DONE)
      {
        till_store_set_sqlite_error (self, error, _ ("The stock levels could not be read"));
        return FALSE;
      }
  }

  if (!_till_store_csv_write (path, out, "Stock export", error))
    return FALSE;
  g_message ("Exported the stock of %u products to %s", count, path);
  if (n_exported != NULL)
    *n_exported = count;
  return TRUE;
}
