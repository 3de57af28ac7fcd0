/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Quick keys (schema 15): list, place, move and remove the cashier's quick keys. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <string.h>

#include "till-store-private.h"
#include "till-store-quickkeys.h"

void
till_quick_key_free (TillQuickKey *key)
{
  if (key == NULL)
    return;
  g_free (key->page_name);
  g_free (key->label);
  g_free (key->colour);
  g_clear_pointer (&key->product, till_product_free);
  g_free (key);
}

TillQuickKey *
till_quick_key_copy (const TillQuickKey *key)
{
  TillQuickKey *copy;

  g_return_val_if_fail (key != NULL, NULL);

  copy = g_new0 (TillQuickKey, 1);
  copy->id = key->id;
  copy->category_id = key->category_id;
  copy->page_name = g_strdup (key->page_name);
  copy->position = key->position;
  copy->label = g_strdup (key->label);
  copy->colour = g_strdup (key->colour);
  copy->product = key->product != NULL ? till_product_copy (key->product) : NULL;
  return copy;
}

const char *
till_quick_key_get_label (const TillQuickKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  if (key->label != NULL && *key->label != '\0')
    return key->label;
  return key->product != NULL ? key->product->name : "";
}

GPtrArray *
till_store_list_quick_keys (TillStore *self, gboolean include_hidden, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;
  g_autoptr (GPtrArray) keys = NULL;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  locker = till_store_locker_new (self);
  /* Columns 0..8 are the product as till_store_product_from_row() reads it. */
  stmt = till_store_prepare_cached (
      self,
      "SELECT p.id, p.barcode, p.plu, p.name, p.price_fen, p.unit, p.weighed, p.active,"
      "       p.open_price, k.id, k.category_id, c.name, k.position, k.label, k.colour"
      "  FROM quick_key k"
      "  JOIN category c ON c.id = k.category_id"
      "  JOIN product p ON p.id = k.product_id"
      " WHERE ?1 OR p.active = 1"
      " ORDER BY c.position, c.name, k.position",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, include_hidden ? 1 : 0);
  keys = g_ptr_array_new_with_free_func ((GDestroyNotify)till_quick_key_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TillQuickKey *key = g_new0 (TillQuickKey, 1);

      key->product = till_store_product_from_row (stmt);
      key->id = sqlite3_column_int64 (stmt, 9);
      key->category_id = sqlite3_column_int64 (stmt, 10);
      key->page_name = till_stmt_dup_text (stmt, 11);
      key->position = sqlite3_column_int64 (stmt, 12);
      key->label = till_stmt_dup_text (stmt, 13);
      key->colour = till_stmt_dup_text (stmt, 14);
      g_ptr_array_add (keys, key);
    }
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The quick keys could not be read"));
      return NULL;
    }
  return g_steal_pointer (&keys);
}

/* Whether a row with id ?1 exists for a literal `sql`; lock held. */
static gboolean
row_exists_locked (TillStore *self, const char *sql, gint64 id, gboolean *out_exists,
                   GError **error)
{
  g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The quick keys could not be read"));
      return FALSE;
    }
  *out_exists = rc == SQLITE_ROW;
  return TRUE;
}

/* "#RRGGBB" in lower case, NULL for NULL or "", or FALSE for anything else. */
static gboolean
clean_colour (const char *colour, char **out_clean, GError **error)
{
  *out_clean = NULL;
  if (colour == NULL || *colour == '\0')
    return TRUE;
  if (strlen (colour) != 7 || colour[0] != '#')
    goto refused;
  for (int i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (colour[i]))
      goto refused;
  *out_clean = g_ascii_strdown (colour, -1);
  return TRUE;

refused:
  g_message ("Quick key refused: a colour that is not #rrggbb");
  g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
               _ ("A key's colour must be written #rrggbb"));
  return FALSE;
}

static gboolean
audit_key_locked (TillStore *self, const char *actor, const char *action, gint64 key_id,
                  gint64 category_id, gint64 product_id, GError **error)
{
  g_autofree char *detail
      = g_strdup_printf ("{\"key\":%" G_GINT64_FORMAT ",\"category_id\":%" G_GINT64_FORMAT
                         ",\"product_id\":%" G_GINT64_FORMAT "}",
                         key_id, category_id, product_id);

  return till_store_audit_locked (self, actor != NULL ? actor : "", action, detail, error);
}

gint64
till_store_place_quick_key (TillStore *self, gint64 category_id, gint64 product_id,
                            const char *label, const char *colour, const char *actor,
                            GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autofree char *clean_label = NULL;
  g_autofree char *clean_col = NULL;
  gboolean exists = FALSE;
  gint64 id;

  g_return_val_if_fail (TILL_IS_STORE (self), 0);

  if (!clean_colour (colour, &clean_col, error))
    return 0;
  if (label != NULL)
    {
      clean_label = g_strstrip (g_strdup (label));
      if (*clean_label == '\0')
        g_clear_pointer (&clean_label, g_free);
    }

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return 0;
  if (!row_exists_locked (self, "SELECT 1 FROM product WHERE id = ?1", product_id, &exists, error))
    goto failed;
  if (!exists)
    {
      g_message ("Quick key refused: no product %" G_GINT64_FORMAT, product_id);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                   _ ("The product is not in the catalog"));
      goto failed;
    }
  if (!row_exists_locked (self, "SELECT 1 FROM category WHERE id = ?1", category_id, &exists,
                          error))
    goto failed;
  if (!exists)
    {
      g_message ("Quick key refused: no category %" G_GINT64_FORMAT, category_id);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                   _ ("That page of quick keys is not there any more"));
      goto failed;
    }
  {
    g_autoptr (TillCachedStmt) dup = till_store_prepare_cached (
        self, "SELECT 1 FROM quick_key WHERE category_id = ?1 AND product_id = ?2", error);
    int rc;

    if (dup == NULL)
      goto failed;
    sqlite3_bind_int64 (dup, 1, category_id);
    sqlite3_bind_int64 (dup, 2, product_id);
    rc = sqlite3_step (dup);
    if (rc == SQLITE_ROW)
      {
        g_message ("Quick key refused: product %" G_GINT64_FORMAT
                   " already on page %" G_GINT64_FORMAT,
                   product_id, category_id);
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                     _ ("This product already has a key on this page"));
        goto failed;
      }
    if (rc != SQLITE_DONE)
      {
        till_store_set_sqlite_error (self, error, _ ("The quick keys could not be read"));
        goto failed;
      }
  }
  {
    g_autoptr (TillCachedStmt) insert = till_store_prepare_cached (
        self,
        "INSERT INTO quick_key (category_id, position, product_id, label, colour)"
        " VALUES (?1, (SELECT COALESCE (MAX (position) + 1, 0) FROM quick_key"
        "              WHERE category_id = ?1), ?2, ?3, ?4)",
        error);

    if (insert == NULL)
      goto failed;
    sqlite3_bind_int64 (insert, 1, category_id);
    sqlite3_bind_int64 (insert, 2, product_id);
    till_stmt_bind_text_or_null (insert, 3, clean_label);
    till_stmt_bind_text_or_null (insert, 4, clean_col);
    if (!till_store_step_done (self, insert, _ ("The quick key could not be saved"), error))
      goto failed;
  }
  id = sqlite3_last_insert_rowid (till_store_get_db (self));
  if (!audit_key_locked (self, actor, "quick_key_place", id, category_id, product_id, error))
    goto failed;
  if (!till_store_commit (self, error))
    return 0; /* the commit rolled back */
  return id;

failed:
  till_store_rollback (self);
  return 0;
}

/* The key's page and position; NOT_FOUND when it is not there. Lock held. */
static gboolean
key_place_locked (TillStore *self, gint64 key_id, gint64 *out_category_id, gint64 *out_position,
                  gint64 *out_product_id, GError **error)
{
  g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
      self, "SELECT category_id, position, product_id FROM quick_key WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, key_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_category_id = sqlite3_column_int64 (stmt, 0);
      *out_position = sqlite3_column_int64 (stmt, 1);
      *out_product_id = sqlite3_column_int64 (stmt, 2);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The quick keys could not be read"));
      return FALSE;
    }
  g_message ("Quick key %" G_GINT64_FORMAT " is not there", key_id);
  g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
               _ ("That quick key is not there any more"));
  return FALSE;
}

static gboolean
set_position_locked (TillStore *self, gint64 key_id, gint64 position, GError **error)
{
  return till_store_exec_for_id (self, "UPDATE quick_key SET position = ?2 WHERE id = ?1", key_id,
                                 position, _ ("The quick key could not be moved"), error);
}

gboolean
till_store_move_quick_key (TillStore *self, gint64 key_id, int delta, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  gint64 category_id = 0, position = 0, product_id = 0;
  gint64 other_id = 0, other_position = 0;
  gboolean found = FALSE;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (delta == -1 || delta == 1, FALSE);

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;
  if (!key_place_locked (self, key_id, &category_id, &position, &product_id, error))
    goto failed;
  {
    /* The neighbour in that direction (positions may have gaps). */
    g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
        self,
        delta < 0 ? "SELECT id, position FROM quick_key WHERE category_id = ?1 AND position < ?2"
                    " ORDER BY position DESC LIMIT 1"
                  : "SELECT id, position FROM quick_key WHERE category_id = ?1 AND position > ?2"
                    " ORDER BY position LIMIT 1",
        error);
    int rc;

    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, category_id);
    sqlite3_bind_int64 (stmt, 2, position);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
      {
        found = TRUE;
        other_id = sqlite3_column_int64 (stmt, 0);
        other_position = sqlite3_column_int64 (stmt, 1);
      }
    else if (rc != SQLITE_DONE)
      {
        till_store_set_sqlite_error (self, error, _ ("The quick keys could not be read"));
        goto failed;
      }
  }
  if (found)
    {
      gint64 spare = 0;
      g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
          self, "SELECT MAX (position) + 1 FROM quick_key WHERE category_id = ?1", error);

      if (stmt == NULL)
        goto failed;
      sqlite3_bind_int64 (stmt, 1, category_id);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          till_store_set_sqlite_error (self, error, _ ("The quick keys could not be read"));
          goto failed;
        }
      spare = sqlite3_column_int64 (stmt, 0);
      /* Positions are unique on a page: the key steps aside while its neighbour moves. */
      if (!set_position_locked (self, key_id, spare, error)
          || !set_position_locked (self, other_id, position, error)
          || !set_position_locked (self, key_id, other_position, error))
        goto failed;
    }
  return till_store_commit (self, error); /* a failed commit rolls back */

failed:
  till_store_rollback (self);
  return FALSE;
}

gboolean
till_store_remove_quick_key (TillStore *self, gint64 key_id, const char *actor, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  gint64 category_id = 0, position = 0, product_id = 0;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;
  if (!key_place_locked (self, key_id, &category_id, &position, &product_id, error))
    goto failed;
  if (!till_store_exec_for_id (self, "DELETE FROM quick_key WHERE id = ?1", key_id, 0,
                               _ ("The quick key could not be removed"), error))
    goto failed;
  if (!audit_key_locked (self, actor, "quick_key_remove", key_id, category_id, product_id, error))
    goto failed;
  return till_store_commit (self, error); /* a failed commit rolls back */

failed:
  till_store_rollback (self);
  return FALSE;
}
