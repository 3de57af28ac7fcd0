/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stock: levels as sums of the ledger, receivings (进货), stocktakes (盘点), low stock. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include "till-store-private.h"
#include "till-store-stock.h"

void
till_low_stock_free (TillLowStock *item)
{
  if (item == NULL)
    return;
  g_free (item->name);
  g_free (item);
}

/* The level of a product: the sum of its moves (an index scan of stock_move_level). */
static gboolean
level_locked (TillStore *self,
              gint64     product_id,
              gint64    *out_level,
              GError   **error)
{
  g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self,
    "SELECT COALESCE (SUM (qty_milli), 0) FROM stock_move WHERE product_id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, product_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _("The stock level could not be read"));
      return FALSE;
    }
  *out_level = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* The product exists: refuses an unknown id with a clear message. */
static gboolean
check_product_locked (TillStore *self,
                      gint64     product_id,
                      GError   **error)
{
  g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self,
    "SELECT 1 FROM product WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, product_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The product could not be read"));
      return FALSE;
    }
  g_message ("Stock refused: no product %" G_GINT64_FORMAT, product_id);
  g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
               _("The product is not in the catalog"));
  return FALSE;
}

static gboolean
insert_move_locked (TillStore  *self,
                    gint64      product_id,
                    const char *kind,
                    gint64      qty_milli,
                    gint64      cost_fen,
                    const char *reference,
                    const char *who,
                    gint64      at,
                    GError    **error)
{
  g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self,
    "INSERT INTO stock_move (product_id, kind, qty_milli, cost_fen, reference, who, at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, product_id);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, qty_milli);
  if (cost_fen >= 0)
    sqlite3_bind_int64 (stmt, 4, cost_fen);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_text (stmt, 5, reference, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, who, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, at);
  return till_store_step_done (self, stmt, _("The stock move could not be saved"), error);
}

/* The product's latest cost, or -1 when it has none. */
static gboolean
cost_locked (TillStore *self,
             gint64     product_id,
             gint64    *out_cost,
             GError   **error)
{
  g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self,
    "SELECT cost_fen FROM product WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, product_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _("The product could not be read"));
      return FALSE;
    }
  *out_cost = sqlite3_column_type (stmt, 0) == SQLITE_NULL ? -1
              : sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

gboolean
till_store_set_stock_settings (TillStore *self,
                               gint64     product_id,
                               gboolean   track_stock,
                               gint64     min_stock_milli,
                               GError   **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  if (min_stock_milli < 0)
    {
      g_message ("Stock settings refused: minimum %" G_GINT64_FORMAT, min_stock_milli);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   _("The minimum stock cannot be below zero"));
      return FALSE;
    }
  locker = till_store_locker_new (self);
  if (!check_product_locked (self, product_id, error))
    return FALSE;
  stmt = till_store_prepare_cached (self,
    "UPDATE product SET track_stock = ?2, min_stock_milli = ?3 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, product_id);
  sqlite3_bind_int (stmt, 2, track_stock ? 1 : 0);
  sqlite3_bind_int64 (stmt, 3, min_stock_milli);
  return till_store_step_done (self, stmt, _("The stock settings could not be saved"), error);
}

gboolean
till_store_stock_level (TillStore *self,
                        gint64     product_id,
                        gint64    *out_level_milli,
                        GError   **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_level_milli != NULL, FALSE);
  locker = till_store_locker_new (self);
  return level_locked (self, product_id, out_level_milli, error);
}

gint64
till_store_receive (TillStore               *self,
                    const char              *supplier,
                    const char              *who,
                    const TillReceivingLine *lines,
                    guint                    n_lines,
                    GError                 **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autofree char *reference = NULL;
  gint64 now = till_store_now_us ();
  g_autofree char *name = g_strstrip (g_strdup (supplier != NULL ? supplier : ""));
  gint64 receiving_id;

  g_return_val_if_fail (TILL_IS_STORE (self), 0);
  g_return_val_if_fail (who != NULL && *who != '\0', 0);
  g_return_val_if_fail (lines != NULL || n_lines == 0, 0);

  if (*name == '\0')
    {
      g_message ("Receiving refused: no supplier");
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   _("Enter the supplier"));
      return 0;
    }
  if (n_lines == 0)
    {
      g_message ("Receiving refused: no lines");
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   _("Scan the goods received first"));
      return 0;
    }
  for (guint i = 0; i < n_lines; i++)
    if (lines[i].qty_milli <= 0 || lines[i].cost_fen < 0)
      {
        g_message ("Receiving refused: line %u has quantity %" G_GINT64_FORMAT
                   " and cost %" G_GINT64_FORMAT, i, lines[i].qty_milli, lines[i].cost_fen);
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                     _("Every line needs a quantity above zero and a cost of zero or more"));
        return 0;
      }

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return 0;
  {
    g_autoptr(TillCachedStmt) head = till_store_prepare_cached (self,
      "INSERT INTO receiving (supplier, who, at) VALUES (?1, ?2, ?3)", error);

    if (head == NULL)
      goto fail;
    sqlite3_bind_text (head, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (head, 2, who, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (head, 3, now);
    if (!till_store_step_done (self, head, _("The receiving could not be saved"), error))
      goto fail;
  }
  receiving_id = sqlite3_last_insert_rowid (till_store_get_db (self));
  reference = g_strdup_printf ("R%" G_GINT64_FORMAT, receiving_id);

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(TillCachedStmt) line = NULL;
      g_autoptr(TillCachedStmt) product = NULL;

      if (!check_product_locked (self, lines[i].product_id, error))
        goto fail;
      line = till_store_prepare_cached (self,
        "INSERT INTO receiving_line (receiving_id, position, product_id, qty_milli, cost_fen)"
        " VALUES (?1, ?2, ?3, ?4, ?5)", error);
      if (line == NULL)
        goto fail;
      sqlite3_bind_int64 (line, 1, receiving_id);
      sqlite3_bind_int64 (line, 2, i);
      sqlite3_bind_int64 (line, 3, lines[i].product_id);
      sqlite3_bind_int64 (line, 4, lines[i].qty_milli);
      sqlite3_bind_int64 (line, 5, lines[i].cost_fen);
      if (!till_store_step_done (self, line, _("The receiving could not be saved"), error))
        goto fail;
      product = till_store_prepare_cached (self,
        "UPDATE product SET cost_fen = ?2, track_stock = 1 WHERE id = ?1", error);
      if (product == NULL)
        goto fail;
      sqlite3_bind_int64 (product, 1, lines[i].product_id);
      sqlite3_bind_int64 (product, 2, lines[i].cost_fen);
      if (!till_store_step_done (self, product, _("The receiving could not be saved"), error)
          || !insert_move_locked (self, lines[i].product_id, "receiving", lines[i].qty_milli,
                                  lines[i].cost_fen, reference, who, now, error))
        goto fail;
    }
  if (!till_store_commit (self, error))
    return 0;
  g_message ("Receiving %" G_GINT64_FORMAT " of %u line(s) recorded by %s", receiving_id,
             n_lines, who);
  return receiving_id;

fail:
  till_store_rollback (self);
  return 0;
}

gboolean
till_store_stock_variance (TillStore *self,
                           gint64     product_id,
                           gint64     counted_milli,
                           gint64    *out_expected_milli,
                           gint64    *out_variance_milli,
                           GError   **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  gint64 level = 0;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  locker = till_store_locker_new (self);
  if (!level_locked (self, product_id, &level, error))
    return FALSE;
  if (out_expected_milli != NULL)
    *out_expected_milli = level;
  if (out_variance_milli != NULL)
    *out_variance_milli = counted_milli - level;
  return TRUE;
}

gint64
till_store_stocktake (TillStore           *self,
                      const char          *who,
                      const char          *approved_by,
                      const TillCountLine *lines,
                      guint                n_lines,
                      GError             **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(GString) detail = NULL;
  g_autofree char *reference = NULL;
  gint64 now = till_store_now_us ();
  gint64 stocktake_id;
  gint64 total_variance = 0;

  g_return_val_if_fail (TILL_IS_STORE (self), 0);
  g_return_val_if_fail (who != NULL && *who != '\0', 0);
  g_return_val_if_fail (lines != NULL || n_lines == 0, 0);

  if (approved_by == NULL || *approved_by == '\0')
    {
      g_message ("Stocktake refused: no manager's approval");
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED,
                   _("A manager must approve the stocktake"));
      return 0;
    }
  if (n_lines == 0)
    {
      g_message ("Stocktake refused: nothing counted");
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   _("Count some goods first"));
      return 0;
    }
  for (guint i = 0; i < n_lines; i++)
    if (lines[i].counted_milli < 0)
      {
        g_message ("Stocktake refused: line %u counted %" G_GINT64_FORMAT, i,
                   lines[i].counted_milli);
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                     _("A count cannot be below zero"));
        return 0;
      }

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return 0;
  {
    g_autoptr(TillCachedStmt) head = till_store_prepare_cached (self,
      "INSERT INTO stocktake (who, approved_by, at) VALUES (?1, ?2, ?3)", error);

    if (head == NULL)
      goto fail;
    sqlite3_bind_text (head, 1, who, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (head, 2, approved_by, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (head, 3, now);
    if (!till_store_step_done (self, head, _("The stocktake could not be saved"), error))
      goto fail;
  }
  stocktake_id = sqlite3_last_insert_rowid (till_store_get_db (self));
  reference = g_strdup_printf ("S%" G_GINT64_FORMAT, stocktake_id);

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(TillCachedStmt) line = NULL;
      g_autoptr(TillCachedStmt) track = NULL;
      gint64 expected = 0;
      gint64 cost = -1;
      gint64 variance;
      int rc;

      if (!check_product_locked (self, lines[i].product_id, error)
          || !level_locked (self, lines[i].product_id, &expected, error)
          || !cost_locked (self, lines[i].product_id, &cost, error))
        goto fail;
      variance = lines[i].counted_milli - expected;
      line = till_store_prepare_cached (self,
        "INSERT INTO stocktake_line (stocktake_id, product_id, counted_milli, expected_milli,"
        "  variance_milli) VALUES (?1, ?2, ?3, ?4, ?5)", error);
      if (line == NULL)
        goto fail;
      sqlite3_bind_int64 (line, 1, stocktake_id);
      sqlite3_bind_int64 (line, 2, lines[i].product_id);
      sqlite3_bind_int64 (line, 3, lines[i].counted_milli);
      sqlite3_bind_int64 (line, 4, expected);
      sqlite3_bind_int64 (line, 5, variance);
      rc = sqlite3_step (line);
      if (rc == SQLITE_CONSTRAINT)
        {
          g_message ("Stocktake refused: product %" G_GINT64_FORMAT " counted twice",
                     lines[i].product_id);
          g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                       _("A product is counted twice"));
          goto fail;
        }
      if (rc != SQLITE_DONE)
        {
          till_store_set_sqlite_error (self, error, _("The stocktake could not be saved"));
          goto fail;
        }
      track = till_store_prepare_cached (self,
        "UPDATE product SET track_stock = 1 WHERE id = ?1 AND track_stock = 0", error);
      if (track == NULL)
        goto fail;
      sqlite3_bind_int64 (track, 1, lines[i].product_id);
      if (!till_store_step_done (self, track, _("The stocktake could not be saved"), error))
        goto fail;
      if (variance != 0
          && !insert_move_locked (self, lines[i].product_id, "stocktake", variance, cost,
                                  reference, who, now, error))
        goto fail;
      total_variance += variance;
    }

  detail = g_string_new (NULL);
  g_string_append_printf (detail, "{\"stocktake_id\":%" G_GINT64_FORMAT ",\"lines\":%u,"
                          "\"variance_milli\":%" G_GINT64_FORMAT ",\"counted_by\":",
                          stocktake_id, n_lines, total_variance);
  till_store_json_append_string (detail, who);
  g_string_append_c (detail, '}');
  if (!till_store_audit_locked (self, approved_by, "approve:stocktake", detail->str, error))
    goto fail;
  if (!till_store_commit (self, error))
    return 0;
  g_message ("Stocktake %" G_GINT64_FORMAT " of %u line(s) by %s, approved by %s",
             stocktake_id, n_lines, who, approved_by);
  return stocktake_id;

fail:
  till_store_rollback (self);
  return 0;
}

#define LOW_STOCK_SQL \
  "SELECT p.id, p.name, COALESCE (SUM (m.qty_milli), 0) AS level, p.min_stock_milli" \
  "  FROM product p LEFT JOIN stock_move m ON m.product_id = p.id" \
  " WHERE p.track_stock = 1" \
  " GROUP BY p.id HAVING level < p.min_stock_milli OR level < 0"

gint64
till_store_low_stock_count (TillStore *self,
                            GError   **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), -1);
  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self, "SELECT count (*) FROM (" LOW_STOCK_SQL ")", error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _("The stock levels could not be read"));
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

GPtrArray *
till_store_list_low_stock (TillStore *self,
                           GError   **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) till_low_stock_free);
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self, LOW_STOCK_SQL " ORDER BY p.name, p.id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TillLowStock *item = g_new0 (TillLowStock, 1);

      item->product_id = sqlite3_column_int64 (stmt, 0);
      item->name = till_stmt_dup_text (stmt, 1);
      item->level_milli = sqlite3_column_int64 (stmt, 2);
      item->min_stock_milli = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (out, item);
    }
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The stock levels could not be read"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

TillStockReport *
till_store_stock_report (TillStore *self,
                         gint64     from_us,
                         gint64     to_us,
                         GError   **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillStockReport) report = till_stock_report_new ();
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  locker = till_store_locker_new (self);
  {
    /* The sold lines, and per product the units that left with a cost and their cost
     * (fen × thousandths). */
    g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self,
      "WITH sold AS ("
      "  SELECT l.product_id AS product_id, p.name AS name, c.name AS category,"
      "         SUM (l.qty_milli) AS qty, SUM (l.final_fen) AS revenue"
      "    FROM sale_line l JOIN sale s ON s.id = l.sale_id JOIN product p ON p.id = l.product_id"
      "         LEFT JOIN category c ON c.id = p.category_id"
      "   WHERE s.state = 'paid' AND s.closed_at >= ?1 AND s.closed_at < ?2"
      "     AND l.product_id IS NOT NULL"
      "   GROUP BY l.product_id),"
      " costed AS ("
      "  SELECT m.product_id AS product_id, SUM (-m.qty_milli) AS qty,"
      "         SUM (-m.qty_milli * m.cost_fen) AS cost_milli"
      "    FROM stock_move m JOIN sale s ON s.number = m.reference"
      "   WHERE m.kind = 'sale' AND m.cost_fen IS NOT NULL AND s.state = 'paid'"
      "     AND s.closed_at >= ?1 AND s.closed_at < ?2"
      "   GROUP BY m.product_id)"
      " SELECT sold.product_id, sold.name, sold.category, sold.qty, sold.revenue,"
      "        CASE WHEN costed.qty = sold.qty THEN (costed.cost_milli + 500) / 1000"
      "             ELSE -1 END"
      "   FROM sold LEFT JOIN costed ON costed.product_id = sold.product_id"
      "  ORDER BY sold.name, sold.product_id", error);

    if (stmt == NULL)
      return NULL;
    sqlite3_bind_int64 (stmt, 1, from_us);
    sqlite3_bind_int64 (stmt, 2, to_us);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      till_stock_report_add_margin (report, sqlite3_column_int64 (stmt, 0),
                                    (const char *) sqlite3_column_text (stmt, 1),
                                    (const char *) sqlite3_column_text (stmt, 2),
                                    sqlite3_column_int64 (stmt, 3),
                                    sqlite3_column_int64 (stmt, 4),
                                    sqlite3_column_int64 (stmt, 5));
    if (rc != SQLITE_DONE)
      goto failed;
  }
  {
    g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self,
      "SELECT p.id, p.name, (SELECT COALESCE (SUM (m.qty_milli), 0) FROM stock_move m"
      "                       WHERE m.product_id = p.id), COALESCE (p.cost_fen, -1)"
      "  FROM product p WHERE p.track_stock = 1 ORDER BY p.name, p.id", error);

    if (stmt == NULL)
      return NULL;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      till_stock_report_add_value (report, sqlite3_column_int64 (stmt, 0),
                                   (const char *) sqlite3_column_text (stmt, 1),
                                   sqlite3_column_int64 (stmt, 2),
                                   sqlite3_column_int64 (stmt, 3));
    if (rc != SQLITE_DONE)
      goto failed;
  }
  {
    g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self,
      "SELECT m.at, p.name, m.kind, m.qty_milli, m.reference, m.who"
      "  FROM stock_move m JOIN product p ON p.id = m.product_id"
      " WHERE m.at >= ?1 AND m.at < ?2 ORDER BY m.at, m.id", error);

    if (stmt == NULL)
      return NULL;
    sqlite3_bind_int64 (stmt, 1, from_us);
    sqlite3_bind_int64 (stmt, 2, to_us);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      till_stock_report_add_move (report, sqlite3_column_int64 (stmt, 0),
                                  (const char *) sqlite3_column_text (stmt, 1),
                                  (const char *) sqlite3_column_text (stmt, 2),
                                  sqlite3_column_int64 (stmt, 3),
                                  (const char *) sqlite3_column_text (stmt, 4),
                                  (const char *) sqlite3_column_text (stmt, 5));
    if (rc != SQLITE_DONE)
      goto failed;
  }
  return g_steal_pointer (&report);

failed:
  till_store_set_sqlite_error (self, error, _("The stock report could not be read"));
  return NULL;
}
