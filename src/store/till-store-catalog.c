/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The catalog: indexed lookups by barcode and PLU, name search, upsert, count. The
 * catalog is never loaded into memory; every lookup is one indexed query (two for a
 * UPC-A/EAN-13 code that is not stored in the form given: see below). */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <string.h>

#include "till-store-private.h"

#define PRODUCT_COLUMNS "id, barcode, plu, name, price_fen, unit, weighed, active, open_price"

TillProduct *
till_store_product_from_row (sqlite3_stmt *stmt)
{
  TillProduct *product = g_new0 (TillProduct, 1);

  product->id = sqlite3_column_int64 (stmt, 0);
  product->barcode = till_stmt_dup_text (stmt, 1);
  product->plu = till_stmt_dup_text (stmt, 2);
  product->name = till_stmt_dup_text (stmt, 3);
  product->price_fen = sqlite3_column_int64 (stmt, 4);
  product->unit = till_stmt_dup_text (stmt, 5);
  product->weighed = sqlite3_column_int (stmt, 6) != 0;
  product->active = sqlite3_column_int (stmt, 7) != 0;
  product->open_price = sqlite3_column_int (stmt, 8) != 0;
  if (product->name == NULL)
    product->name = g_strdup ("");
  if (product->unit == NULL)
    product->unit = g_strdup ("");
  return product;
}

/* The first row of `sql` with `code` bound to ?1: a product, or NULL with `error` set
 * only when SQLite failed. Lock held. */
static TillProduct *
select_one (TillStore  *self,
            const char *sql,
            const char *code,
            GError    **error)
{
  g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return till_store_product_from_row (stmt);
  if (rc != SQLITE_DONE)
    till_store_set_sqlite_error (self, error, _("The product could not be looked up"));
  return NULL;
}

static void
set_not_found (GError    **error,
               const char *code,
               gboolean    is_plu)
{
  if (is_plu)
    g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                 _("No product with code %s"), code);
  else
    g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                 _("No product with barcode %s"), code);
}

char *
till_store_barcode_equivalent (const char *barcode)
{
  return till_catalog_barcode_equivalent (barcode);
}

#define LOOKUP_BARCODE_SQL \
  "SELECT " PRODUCT_COLUMNS " FROM product WHERE barcode = ?1 AND active = 1"

TillProduct *
till_store_lookup_barcode (TillStore   *self,
                           const char  *barcode,
                           GError     **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *equivalent = NULL;
  TillProduct *product;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (barcode != NULL, NULL);

  /* The code as given first: when a shop has both forms as two products, each scan
   * finds its own. Then the other form of a UPC-A/EAN-13 code, by the same index. */
  locker = till_store_locker_new (self);
  product = select_one (self, LOOKUP_BARCODE_SQL, barcode, &local_error);
  if (product == NULL && local_error == NULL
      && (equivalent = till_store_barcode_equivalent (barcode)) != NULL)
    product = select_one (self, LOOKUP_BARCODE_SQL, equivalent, &local_error);

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (product == NULL)
    set_not_found (error, barcode, FALSE);
  return product;
}

TillProduct *
till_store_lookup_plu (TillStore   *self,
                       const char  *plu,
                       GError     **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(GError) local_error = NULL;
  TillProduct *product;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (plu != NULL, NULL);

  locker = till_store_locker_new (self);
  product = select_one (self,
                        "SELECT " PRODUCT_COLUMNS " FROM product"
                        " WHERE plu = ?1 AND active = 1",
                        plu, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (product == NULL)
    set_not_found (error, plu, TRUE);
  return product;
}

/* Active or not: an upsert updates a product that is not sold any more, too. */
#define FIND_BARCODE_SQL "SELECT " PRODUCT_COLUMNS " FROM product WHERE barcode = ?1"
#define FIND_PLU_SQL     "SELECT " PRODUCT_COLUMNS " FROM product WHERE plu = ?1"

TillProduct *
till_store_find_product_locked (TillStore   *self,
                                const char  *barcode,
                                const char  *plu,
                                GError     **error)
{
  g_autofree char *equivalent = NULL;
  TillProduct *product;

  if (barcode != NULL && *barcode != '\0')
    {
      product = select_one (self, FIND_BARCODE_SQL, barcode, error);
      if (product != NULL || (error != NULL && *error != NULL))
        return product;
      equivalent = till_store_barcode_equivalent (barcode);
      if (equivalent == NULL)
        return NULL;
      return select_one (self, FIND_BARCODE_SQL, equivalent, error);
    }
  if (plu != NULL && *plu != '\0')
    return select_one (self, FIND_PLU_SQL, plu, error);
  return NULL;
}

/* "50%_off" -> "%50\%\_off%" for LIKE … ESCAPE '\'. */
static char *
like_pattern_contains (const char *query)
{
  GString *pattern = g_string_sized_new (strlen (query) + 3);

  g_string_append_c (pattern, '%');
  for (const char *p = query; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

GPtrArray *
till_store_search_products (TillStore   *self,
                            const char  *query,
                            guint        limit,
                            GError     **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *pattern = NULL;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) till_product_free);
  if (limit == 0)
    return g_steal_pointer (&results);

  pattern = like_pattern_contains (query);

  locker = till_store_locker_new (self);
  /* Walks product_name_active in name order and stops after `limit` matches. */
  stmt = till_store_prepare_cached (self,
                                    "SELECT " PRODUCT_COLUMNS " FROM product"
                                    " WHERE active = 1 AND name LIKE ?1 ESCAPE '\\'"
                                    " ORDER BY name LIMIT ?2",
                                    error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (results, till_store_product_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("Products could not be searched"));
      return NULL;
    }
  return g_steal_pointer (&results);
}

static gint64 upsert_locked (TillStore         *self,
                             const TillProduct *product,
                             const char        *barcode,
                             const char        *plu,
                             GError           **error);

gint64
till_store_upsert_product (TillStore          *self,
                           const TillProduct  *product,
                           GError            **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  const char *barcode, *plu;
  gint64 id;

  g_return_val_if_fail (TILL_IS_STORE (self), 0);
  g_return_val_if_fail (product != NULL, 0);

  barcode = product->barcode && *product->barcode ? product->barcode : NULL;
  plu = product->plu && *product->plu ? product->plu : NULL;

  if (barcode == NULL && plu == NULL)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   _("The product “%s” needs a barcode or a code (PLU)"),
                   product->name ? product->name : "");
      return 0;
    }
  if (product->name == NULL || *product->name == '\0')
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   _("The product %s needs a name"), barcode ? barcode : plu);
      return 0;
    }
  if (product->price_fen < 0)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   _("The price of “%s” cannot be negative"), product->name);
      return 0;
    }
  if (product->price_fen > TILL_STORE_PRICE_CEILING_FEN)
    {
      g_autofree char *ceiling = till_money_format (TILL_STORE_PRICE_CEILING_FEN);

      g_message ("Upsert of product %s refused: price %" G_GINT64_FORMAT " fen",
                 barcode ? barcode : plu, product->price_fen);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   _("The price of “%s” is above the highest price a product can have (%s)"),
                   product->name, ceiling);
      return 0;
    }

  locker = till_store_locker_new (self);
  /* The product and its search keys in one transaction. */
  if (!till_store_begin (self, error))
    return 0;
  id = upsert_locked (self, product, barcode, plu, error);
  if (id == 0)
    {
      till_store_rollback (self);
      return 0;
    }
  /* A failed commit rolls back by itself. */
  if (!till_store_commit (self, error))
    return 0;
  return id;
}

static gint64
upsert_locked (TillStore         *self,
               const TillProduct *product,
               const char        *barcode,
               const char        *plu,
               GError           **error)
{
  g_autoptr(TillCachedStmt) stmt = NULL;
  g_autofree char *equivalent = NULL;
  g_autofree char *stored_barcode = NULL;
  gint64 id;

  /* A UPC-A code and its EAN-13 form ("0" + the 12 digits) are one item: update the
   * product stored under the other form rather than add a second one. */
  if (barcode != NULL && (equivalent = till_store_barcode_equivalent (barcode)) != NULL)
    {
      g_autoptr(GError) find_error = NULL;
      g_autoptr(TillProduct) stored = till_store_find_product_locked (self, barcode, NULL,
                                                                      &find_error);

      if (find_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&find_error));
          return 0;
        }
      if (stored != NULL && g_strcmp0 (stored->barcode, barcode) != 0)
        barcode = stored_barcode = g_steal_pointer (&stored->barcode);
    }
  if (barcode != NULL)
    stmt = till_store_prepare_cached (self,
      "INSERT INTO product (barcode, plu, name, price_fen, unit, weighed, active, updated_at,"
      "  open_price)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
      " ON CONFLICT (barcode) DO UPDATE SET plu = excluded.plu, name = excluded.name,"
      "  price_fen = excluded.price_fen, unit = excluded.unit, weighed = excluded.weighed,"
      "  active = excluded.active, updated_at = excluded.updated_at,"
      "  open_price = excluded.open_price"
      " RETURNING id", error);
  else
    stmt = till_store_prepare_cached (self,
      "INSERT INTO product (barcode, plu, name, price_fen, unit, weighed, active, updated_at,"
      "  open_price)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
      " ON CONFLICT (plu) DO UPDATE SET barcode = excluded.barcode, name = excluded.name,"
      "  price_fen = excluded.price_fen, unit = excluded.unit, weighed = excluded.weighed,"
      "  active = excluded.active, updated_at = excluded.updated_at,"
      "  open_price = excluded.open_price"
      " RETURNING id", error);
  if (stmt == NULL)
    return 0;

  till_stmt_bind_text_or_null (stmt, 1, barcode);
  till_stmt_bind_text_or_null (stmt, 2, plu);
  sqlite3_bind_text (stmt, 3, product->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, product->price_fen);
  sqlite3_bind_text (stmt, 5, product->unit && *product->unit ? product->unit : "件", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 6, product->weighed ? 1 : 0);
  sqlite3_bind_int (stmt, 7, product->active ? 1 : 0);
  sqlite3_bind_int64 (stmt, 8, till_store_now_us ());
  sqlite3_bind_int (stmt, 9, product->open_price ? 1 : 0);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      if ((sqlite3_errcode (till_store_get_db (self)) & 0xff) == SQLITE_CONSTRAINT)
        {
          g_message ("Upsert of product %s/%s refused: %s", barcode ? barcode : "-",
                     plu ? plu : "-", sqlite3_errmsg (till_store_get_db (self)));
          g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                       _("The code %s is already used by another product"),
                       plu ? plu : barcode);
        }
      else
        till_store_set_sqlite_error (self, error, _("The product could not be saved"));
      return 0;
    }
  id = sqlite3_column_int64 (stmt, 0);
  /* Let the RETURNING statement run to completion so that the change is applied. */
  while (sqlite3_step (stmt) == SQLITE_ROW)
    ;
  if (!till_store_search_write_keys_db (till_store_get_db (self), id, product->name, barcode,
                                        error))
    return 0;
  return id;
}

gint64
till_store_count_products (TillStore   *self,
                           GError     **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), -1);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self, "SELECT count(*) FROM product",
                                    error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _("Products could not be counted"));
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}
