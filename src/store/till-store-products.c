/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Products edited in the till: categories, saving a product by id with its price history,
 * its search keys and an audit row with the product before and after (schema 13). */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <string.h>

#include "till-store-private.h"
#include "till-store-products.h"

#define PRODUCT_COLUMNS                                                                            \
  "id, barcode, plu, name, price_fen, unit, weighed, active, open_price, category_id"

void
till_category_free (TillCategory *category)
{
  if (category == NULL)
    return;
  g_free (category->name);
  g_free (category);
}

void
till_price_change_free (TillPriceChange *change)
{
  if (change == NULL)
    return;
  g_free (change->actor);
  g_free (change);
}

GPtrArray *
till_store_list_categories (TillStore *self, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;
  g_autoptr (GPtrArray) categories = NULL;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self,
                                    "SELECT id, name, position FROM category"
                                    " ORDER BY position, name",
                                    error);
  if (stmt == NULL)
    return NULL;
  categories = g_ptr_array_new_with_free_func ((GDestroyNotify)till_category_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TillCategory *category = g_new0 (TillCategory, 1);

      category->id = sqlite3_column_int64 (stmt, 0);
      category->name = till_stmt_dup_text (stmt, 1);
      category->position = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (categories, category);
    }
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The categories could not be read"));
      return NULL;
    }
  return g_steal_pointer (&categories);
}

/* The name without surrounding spaces, or NULL with `error` set when nothing is left. */
static char *
clean_category_name (const char *name, GError **error)
{
  g_autofree char *clean = g_strstrip (g_strdup (name != NULL ? name : ""));

  if (*clean == '\0')
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                           _ ("A category needs a name"));
      return NULL;
    }
  return g_steal_pointer (&clean);
}

static void
set_category_error (TillStore *self, const char *name, GError **error)
{
  if ((sqlite3_errcode (till_store_get_db (self)) & 0xff) == SQLITE_CONSTRAINT)
    g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                 _ ("There is already a category “%s”"), name);
  else
    till_store_set_sqlite_error (self, error, _ ("The category could not be saved"));
}

static gboolean
audit_category (TillStore *self, const char *actor, const char *action, gint64 id, const char *name,
                GError **error)
{
  g_autoptr (GString) detail = g_string_new (NULL);

  g_string_append_printf (detail, "{\"category_id\":%" G_GINT64_FORMAT ",\"name\":", id);
  till_store_json_append_string (detail, name);
  g_string_append_c (detail, '}');
  return till_store_audit_locked (self, actor ? actor : "", action, detail->str, error);
}

gint64
till_store_add_category (TillStore *self, const char *name, const char *actor, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autofree char *clean = NULL;
  gint64 id;

  g_return_val_if_fail (TILL_IS_STORE (self), 0);

  clean = clean_category_name (name, error);
  if (clean == NULL)
    return 0;

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return 0;
  {
    g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
        self,
        "INSERT INTO category (name, position)"
        " VALUES (?1, (SELECT coalesce (max (position), -1) + 1 FROM category))",
        error);

    if (stmt == NULL)
      goto fail;
    sqlite3_bind_text (stmt, 1, clean, -1, SQLITE_TRANSIENT);
    if (sqlite3_step (stmt) != SQLITE_DONE)
      {
        set_category_error (self, clean, error);
        goto fail;
      }
  }
  id = sqlite3_last_insert_rowid (till_store_get_db (self));
  if (!audit_category (self, actor, "category_add", id, clean, error))
    goto fail;
  if (!till_store_commit (self, error))
    return 0;
  return id;

fail:
  till_store_rollback (self);
  return 0;
}

gboolean
till_store_rename_category (TillStore *self, gint64 category_id, const char *name,
                            const char *actor, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autofree char *clean = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);

  clean = clean_category_name (name, error);
  if (clean == NULL)
    return FALSE;

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;
  {
    g_autoptr (TillCachedStmt) stmt
        = till_store_prepare_cached (self, "UPDATE category SET name = ?2 WHERE id = ?1", error);

    if (stmt == NULL)
      goto fail;
    sqlite3_bind_int64 (stmt, 1, category_id);
    sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_TRANSIENT);
    if (sqlite3_step (stmt) != SQLITE_DONE)
      {
        set_category_error (self, clean, error);
        goto fail;
      }
    if (sqlite3_changes (till_store_get_db (self)) != 1)
      {
        g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                             _ ("The category is not there any more"));
        goto fail;
      }
  }
  if (!audit_category (self, actor, "category_rename", category_id, clean, error))
    goto fail;
  return till_store_commit (self, error);

fail:
  till_store_rollback (self);
  return FALSE;
}

/* Lock held. */
static TillProduct *
get_product_locked (TillStore *self, gint64 product_id, gint64 *out_category_id, GError **error)
{
  g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
      self, "SELECT " PRODUCT_COLUMNS " FROM product WHERE id = ?1", error);
  TillProduct *product;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, product_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                             _ ("The product is not there any more"));
      else
        till_store_set_sqlite_error (self, error, _ ("The product could not be looked up"));
      return NULL;
    }
  product = till_store_product_from_row (stmt);
  if (out_category_id != NULL)
    *out_category_id = sqlite3_column_int64 (stmt, 9);
  return product;
}

TillProduct *
till_store_get_product (TillStore *self, gint64 product_id, gint64 *out_category_id, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  locker = till_store_locker_new (self);
  return get_product_locked (self, product_id, out_category_id, error);
}

TillProduct *
till_store_find_product (TillStore *self, const char *barcode, const char *plu, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  locker = till_store_locker_new (self);
  return till_store_find_product_locked (self, barcode, plu, error);
}

static void
product_json (GString *out, const TillProduct *product, gint64 category_id)
{
  g_string_append (out, "{\"barcode\":");
  till_store_json_append_string (out, product->barcode);
  g_string_append (out, ",\"plu\":");
  till_store_json_append_string (out, product->plu);
  g_string_append (out, ",\"name\":");
  till_store_json_append_string (out, product->name);
  g_string_append_printf (out, ",\"price_fen\":%" G_GINT64_FORMAT ",\"unit\":", product->price_fen);
  till_store_json_append_string (out, product->unit);
  g_string_append_printf (out,
                          ",\"weighed\":%s,\"active\":%s,\"open_price\":%s,"
                          "\"category_id\":%" G_GINT64_FORMAT "}",
                          product->weighed ? "true" : "false", product->active ? "true" : "false",
                          product->open_price ? "true" : "false", category_id);
}

/* Refuses a code another product than `self_id` has, naming that product. Lock held. */
static gboolean
check_code_free (TillStore *self, gint64 self_id, const char *barcode, const char *plu,
                 GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (TillProduct) other = NULL;

  other = till_store_find_product_locked (self, barcode, plu, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (other == NULL || other->id == self_id)
    return TRUE;
  if (barcode != NULL)
    g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                 _ ("The barcode %s is already used by “%s”"), barcode, other->name);
  else
    g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                 _ ("The code (PLU) %s is already used by “%s”"), plu, other->name);
  return FALSE;
}

static gboolean
check_product (const TillProduct *product, const char *barcode, const char *plu,
               gint64 max_price_fen, GError **error)
{
  if (product->name == NULL || *product->name == '\0')
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                           _ ("The product needs a name"));
      return FALSE;
    }
  if (barcode == NULL && plu == NULL)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   _ ("The product “%s” needs a barcode or a code (PLU)"), product->name);
      return FALSE;
    }
  if (product->price_fen < 0)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   _ ("The price of “%s” cannot be negative"), product->name);
      return FALSE;
    }
  if (product->price_fen > max_price_fen)
    {
      g_autofree char *ceiling = till_money_format (max_price_fen);

      g_message ("Product %s refused: price %" G_GINT64_FORMAT " fen", barcode ? barcode : plu,
                 product->price_fen);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   _ ("The price of “%s” is above the highest price a product can have (%s)"),
                   product->name, ceiling);
      return FALSE;
    }
  return TRUE;
}

/* Inserts or updates the row; returns the id. Lock and transaction held. */
static gint64
write_product_locked (TillStore *self, const TillProduct *product, const char *barcode,
                      const char *plu, gint64 category_id, GError **error)
{
  g_autoptr (TillCachedStmt) stmt = NULL;

  if (product->id == 0)
    stmt = till_store_prepare_cached (
        self,
        "INSERT INTO product (barcode, plu, name, price_fen, unit, weighed, active, updated_at,"
        "  open_price, category_id) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        error);
  else
    stmt = till_store_prepare_cached (
        self,
        "UPDATE product SET barcode = ?2, plu = ?3, name = ?4, price_fen = ?5, unit = ?6,"
        "  weighed = ?7, active = ?8, updated_at = ?9, open_price = ?10, category_id = ?11"
        " WHERE id = ?1",
        error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, product->id);
  till_stmt_bind_text_or_null (stmt, 2, barcode);
  till_stmt_bind_text_or_null (stmt, 3, plu);
  sqlite3_bind_text (stmt, 4, product->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, product->price_fen);
  sqlite3_bind_text (stmt, 6, product->unit && *product->unit ? product->unit : "件", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 7, product->weighed ? 1 : 0);
  sqlite3_bind_int (stmt, 8, product->active ? 1 : 0);
  sqlite3_bind_int64 (stmt, 9, till_store_now_us ());
  sqlite3_bind_int (stmt, 10, product->open_price ? 1 : 0);
  if (category_id > 0)
    sqlite3_bind_int64 (stmt, 11, category_id);
  else
    sqlite3_bind_null (stmt, 11);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if ((sqlite3_extended_errcode (till_store_get_db (self))) == SQLITE_CONSTRAINT_FOREIGNKEY)
        g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                             _ ("The category is not there any more"));
      else
        till_store_set_sqlite_error (self, error, _ ("The product could not be saved"));
      return 0;
    }
  if (product->id == 0)
    return sqlite3_last_insert_rowid (till_store_get_db (self));
  if (sqlite3_changes (till_store_get_db (self)) != 1)
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                           _ ("The product is not there any more"));
      return 0;
    }
  return product->id;
}

static gboolean
write_price_change_locked (TillStore *self, gint64 product_id, gint64 old_fen, gint64 new_fen,
                           const char *actor, GError **error)
{
  g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
      self,
      "INSERT INTO product_price (product_id, old_fen, new_fen, actor, at)"
      " VALUES (?1, ?2, ?3, ?4, ?5)",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, product_id);
  sqlite3_bind_int64 (stmt, 2, old_fen);
  sqlite3_bind_int64 (stmt, 3, new_fen);
  sqlite3_bind_text (stmt, 4, actor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, till_store_now_us ());
  return till_store_step_done (self, stmt, _ ("The price change could not be recorded"), error);
}

gint64
till_store_save_product (TillStore *self, const TillProduct *product, gint64 category_id,
                         gint64 max_price_fen, const char *actor, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillProduct) before = NULL;
  g_autoptr (GString) detail = NULL;
  const char *barcode, *plu;
  gint64 before_category = 0, id;

  g_return_val_if_fail (TILL_IS_STORE (self), 0);
  g_return_val_if_fail (product != NULL, 0);

  if (actor == NULL || *actor == '\0')
    actor = "?";
  if (max_price_fen <= 0)
    max_price_fen = TILL_STORE_DEFAULT_MAX_PRICE_FEN;
  max_price_fen = MIN (max_price_fen, TILL_STORE_PRICE_CEILING_FEN);
  barcode = product->barcode && *product->barcode ? product->barcode : NULL;
  plu = product->plu && *product->plu ? product->plu : NULL;
  if (!check_product (product, barcode, plu, max_price_fen, error))
    return 0;

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return 0;
  if (product->id != 0)
    {
      before = get_product_locked (self, product->id, &before_category, error);
      if (before == NULL)
        goto fail;
    }
  if ((barcode != NULL && !check_code_free (self, product->id, barcode, NULL, error))
      || (plu != NULL && !check_code_free (self, product->id, NULL, plu, error)))
    goto fail;
  id = write_product_locked (self, product, barcode, plu, category_id, error);
  if (id == 0)
    goto fail;
  if (!till_store_search_write_keys_db (till_store_get_db (self), id, product->name, barcode,
                                        error))
    goto fail;
  if (before != NULL && before->price_fen != product->price_fen
      && !write_price_change_locked (self, id, before->price_fen, product->price_fen, actor, error))
    goto fail;

  detail = g_string_new (NULL);
  g_string_append_printf (detail, "{\"product_id\":%" G_GINT64_FORMAT ",\"before\":", id);
  if (before != NULL)
    product_json (detail, before, before_category);
  else
    g_string_append (detail, "null");
  g_string_append (detail, ",\"after\":");
  {
    TillProduct after = *product;

    after.barcode = (char *)barcode;
    after.plu = (char *)plu;
    product_json (detail, &after, MAX (category_id, 0));
  }
  g_string_append_c (detail, '}');
  if (!till_store_audit_locked (self, actor, "product_change", detail->str, error))
    goto fail;
  if (!till_store_commit (self, error))
    return 0;
  g_message ("Product %" G_GINT64_FORMAT " %s by %s", id, before ? "changed" : "added", actor);
  return id;

fail:
  till_store_rollback (self);
  return 0;
}

GPtrArray *
till_store_list_price_history (TillStore *self, gint64 product_id, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self,
                                    "SELECT old_fen, new_fen, actor, at FROM product_price"
                                    " WHERE product_id = ?1 ORDER BY at, id",
                                    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, product_id);
  changes = g_ptr_array_new_with_free_func ((GDestroyNotify)till_price_change_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TillPriceChange *change = g_new0 (TillPriceChange, 1);

      change->old_fen = sqlite3_column_int64 (stmt, 0);
      change->new_fen = sqlite3_column_int64 (stmt, 1);
      change->actor = till_stmt_dup_text (stmt, 2);
      change->at = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (changes, change);
    }
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The price history could not be read"));
      return NULL;
    }
  return g_steal_pointer (&changes);
}
