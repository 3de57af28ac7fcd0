/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Finding a product without its barcode: the search keys of a product (written with the
 * product, in its transaction) and the ranked search over them and the product table's
 * own code indexes.
 *
 * Why a key table and not FTS5: a cashier's query is a prefix (of the pinyin initials,
 * the full pinyin, the name, a code) and is often one or two letters long. A key table
 * (kind, key, product_id) WITHOUT ROWID answers a prefix as one range of its primary key
 * in key order, so the LIMIT stops the walk after the first few rows whatever the catalog's
 * size; FTS5's trigram tokenizer needs three characters for an indexed query (fewer is a
 * scan), and its unicode61 tokenizer cannot hold the several readings of a name without
 * the same keys as text. Measured (SQLite 3.40) on the initials keys of the benchmark's
 * 1,000,000 products (2,141,256 keys), first 50 matches of a prefix, medians: this key
 * table 12.6 / 13.6 / 14.7 µs for 2 / 3 / 4 letters; FTS5 trigram (LIKE 'prefix%')
 * 237,868 µs for 2 letters (a scan of the table), 85 µs for 3, 142 µs for 4. A whole
 * search (tests/bench/bench-search.c) costs a few such ranges and the products' rows. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <string.h>

#include "till-store-private.h"
#include "till-store-search.h"

/* product_search.kind */
enum
{
  KEY_INITIALS = 1,
  KEY_PINYIN = 2,
  KEY_NAME = 3,
  KEY_BARCODE_REVERSED = 4,
  KEY_WORD_INITIALS = 5,     /* of a later word of the name */
  KEY_WORD_NAME = 6,
};

/* A later word gets fewer combinations of readings than the whole name. */
#define WORD_MAX_KEYS 4

/* The largest code point: every key starting with a prefix sorts below prefix + it. */
#define KEY_TOP "\xf4\x8f\xbf\xbf"

void
till_search_hit_free (TillSearchHit *hit)
{
  if (hit == NULL)
    return;
  till_product_free (hit->product);
  g_free (hit);
}

static char *
reversed (const char *text)
{
  gsize len = strlen (text);
  char *out = g_malloc (len + 1);

  for (gsize i = 0; i < len; i++)
    out[i] = text[len - 1 - i];
  out[len] = '\0';
  return out;
}

static gboolean
insert_key (sqlite3      *db,
            sqlite3_stmt *insert,
            int           kind,
            const char   *key,
            gint64        product_id,
            GError      **error)
{
  sqlite3_reset (insert);
  sqlite3_bind_int (insert, 1, kind);
  sqlite3_bind_text (insert, 2, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (insert, 3, product_id);
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      till_store_set_sqlite_error_db (db, error, _("The product could not be indexed"));
      return FALSE;
    }
  return TRUE;
}

/* A normalized name (or a later word of it) cut at a character boundary, as the pinyin keys
 * are; nothing for an empty one. */
static gboolean
insert_name_key (sqlite3      *db,
                 sqlite3_stmt *insert,
                 int           kind,
                 char         *norm,
                 gint64        product_id,
                 GError      **error)
{
  if (strlen (norm) > TILL_PINYIN_MAX_KEY_BYTES)
    {
      const char *end = g_utf8_find_prev_char (norm, norm + TILL_PINYIN_MAX_KEY_BYTES + 1);

      norm[end != NULL ? end - norm : 0] = '\0';
    }
  if (*norm == '\0')
    return TRUE;
  return insert_key (db, insert, kind, norm, product_id, error);
}

gboolean
till_store_search_write_keys_db (sqlite3     *db,
                                 gint64       product_id,
                                 const char  *name,
                                 const char  *barcode,
                                 GError     **error)
{
  sqlite3_stmt *clear = NULL, *insert = NULL;
  g_autoptr(GPtrArray) words = till_pinyin_later_words (name);
  g_autoptr(GPtrArray) initials = till_pinyin_keys (name, TILL_PINYIN_INITIALS);
  g_autoptr(GPtrArray) full = till_pinyin_keys (name, TILL_PINYIN_FULL);
  g_autofree char *norm = till_pinyin_normalize (name);
  gboolean ok = FALSE;

  if (sqlite3_prepare_v2 (db, "DELETE FROM product_search WHERE product_id = ?1", -1,
                          &clear, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "INSERT OR IGNORE INTO product_search (kind, key, product_id)"
                                 " VALUES (?1, ?2, ?3)", -1, &insert, NULL) != SQLITE_OK)
    {
      till_store_set_sqlite_error_db (db, error, _("The product could not be indexed"));
      goto out;
    }
  sqlite3_bind_int64 (clear, 1, product_id);
  if (sqlite3_step (clear) != SQLITE_DONE)
    {
      till_store_set_sqlite_error_db (db, error, _("The product could not be indexed"));
      goto out;
    }
  for (guint i = 0; i < initials->len; i++)
    if (!insert_key (db, insert, KEY_INITIALS, initials->pdata[i], product_id, error))
      goto out;
  for (guint i = 0; i < full->len; i++)
    if (!insert_key (db, insert, KEY_PINYIN, full->pdata[i], product_id, error))
      goto out;
  if (*norm != '\0' && !insert_name_key (db, insert, KEY_NAME, norm, product_id, error))
    goto out;
  for (guint w = 0; w < words->len; w++)
    {
      g_autoptr(GPtrArray) word_initials = till_pinyin_keys (words->pdata[w],
                                                             TILL_PINYIN_INITIALS);
      g_autofree char *word_norm = till_pinyin_normalize (words->pdata[w]);

      for (guint i = 0; i < MIN (word_initials->len, WORD_MAX_KEYS); i++)
        if (!insert_key (db, insert, KEY_WORD_INITIALS, word_initials->pdata[i], product_id,
                         error))
          goto out;
      if (!insert_name_key (db, insert, KEY_WORD_NAME, word_norm, product_id, error))
        goto out;
    }
  if (barcode != NULL && *barcode != '\0')
    {
      g_autofree char *rev = reversed (barcode);

      if (!insert_key (db, insert, KEY_BARCODE_REVERSED, rev, product_id, error))
        goto out;
    }
  ok = TRUE;
out:
  sqlite3_finalize (clear);
  sqlite3_finalize (insert);
  return ok;
}

gboolean
till_store_search_fill_db (sqlite3  *db,
                           GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT id, name, barcode FROM product ORDER BY id", -1, &stmt,
                          NULL) != SQLITE_OK)
    {
      till_store_set_sqlite_error_db (db, error, _("The catalog could not be indexed"));
      return FALSE;
    }
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ok = till_store_search_write_keys_db (db, sqlite3_column_int64 (stmt, 0),
                                          (const char *) sqlite3_column_text (stmt, 1),
                                          (const char *) sqlite3_column_text (stmt, 2), error);
  if (ok && rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error_db (db, error, _("The catalog could not be indexed"));
      ok = FALSE;
    }
  sqlite3_finalize (stmt);
  return ok;
}

/* ---- the search */

#define HIT_COLUMNS "p.id, p.barcode, p.plu, p.name, p.price_fen, p.unit, p.weighed, p.active"

/* Each walks one index range in its order and stops at the LIMIT. */
#define KEY_SQL                                                                         \
  "SELECT " HIT_COLUMNS " FROM product_search s JOIN product p ON p.id = s.product_id" \
  " WHERE s.kind = ?3 AND s.key >= ?1 AND s.key < ?2 AND p.active = 1"                 \
  " ORDER BY s.kind, s.key LIMIT ?4"
#define PLU_EXACT_SQL "SELECT " HIT_COLUMNS " FROM product p WHERE p.plu = ?1 AND p.active = 1"
#define BARCODE_EXACT_SQL \
  "SELECT " HIT_COLUMNS " FROM product p WHERE p.barcode = ?1 AND p.active = 1"
#define PLU_START_SQL                                                          \
  "SELECT " HIT_COLUMNS " FROM product p WHERE p.plu >= ?1 AND p.plu < ?2" \
  " AND p.active = 1 ORDER BY p.plu LIMIT ?4"
#define BARCODE_START_SQL                                                              \
  "SELECT " HIT_COLUMNS " FROM product p WHERE p.barcode >= ?1 AND p.barcode < ?2" \
  " AND p.active = 1 ORDER BY p.barcode LIMIT ?4"

typedef struct
{
  TillStore  *store;
  GPtrArray  *hits;
  GHashTable *seen;   /* product ids */
  guint       limit;
} Search;

static gboolean
collect (Search          *search,
         const char      *sql,
         const char      *low,
         int              kind,
         TillSearchMatch  match,
         GError         **error)
{
  g_autoptr(TillCachedStmt) stmt = NULL;
  g_autofree char *high = NULL;
  int rc;

  if (search->hits->len >= search->limit)
    return TRUE;
  stmt = till_store_prepare_cached (search->store, sql, error);
  if (stmt == NULL)
    return FALSE;
  high = g_strconcat (low, KEY_TOP, NULL);
  sqlite3_bind_text (stmt, 1, low, -1, SQLITE_TRANSIENT);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_text (stmt, 2, high, -1, SQLITE_TRANSIENT);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    sqlite3_bind_int (stmt, 3, kind);
  if (sqlite3_bind_parameter_count (stmt) >= 4)
    /* a product may match by several keys of one kind: room for those */
    sqlite3_bind_int64 (stmt, 4, (search->limit - search->hits->len) * 2 + 16);
  while (search->hits->len < search->limit && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      TillSearchHit *hit;

      if (g_hash_table_contains (search->seen, &id))
        continue;
      hit = g_new0 (TillSearchHit, 1);
      hit->product = till_store_product_from_row (stmt);
      hit->match = match;
      g_ptr_array_add (search->hits, hit);
      g_hash_table_add (search->seen, &hit->product->id);
    }
  if (search->hits->len < search->limit && rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (search->store, error, _("Products could not be searched"));
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
till_store_find_products (TillStore   *self,
                          const char  *query,
                          guint        limit,
                          GError     **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree char *norm = NULL;
  Search search;
  gboolean digits, latin, ok;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  hits = g_ptr_array_new_with_free_func ((GDestroyNotify) till_search_hit_free);
  norm = till_pinyin_normalize (query);
  if (*norm == '\0' || limit == 0)
    return g_steal_pointer (&hits);
  if (strlen (norm) > TILL_PINYIN_MAX_KEY_BYTES)
    {
      const char *end = g_utf8_find_prev_char (norm, norm + TILL_PINYIN_MAX_KEY_BYTES + 1);

      norm[end != NULL ? end - norm : 0] = '\0';
    }
  digits = till_pinyin_is_digits (norm);
  latin = till_pinyin_is_latin_query (norm);
  search = (Search) { self, hits, seen, limit };

  locker = till_store_locker_new (self);
  ok = TRUE;
  if (digits)
    {
      g_autofree char *equivalent = till_store_barcode_equivalent (norm);

      ok = collect (&search, PLU_EXACT_SQL, norm, 0, TILL_SEARCH_MATCH_CODE, error)
           && collect (&search, BARCODE_EXACT_SQL, norm, 0, TILL_SEARCH_MATCH_CODE, error)
           && (equivalent == NULL
               || collect (&search, BARCODE_EXACT_SQL, equivalent, 0, TILL_SEARCH_MATCH_CODE,
                           error));
    }
  ok = ok
       && (!latin
           || collect (&search, KEY_SQL, norm, KEY_INITIALS, TILL_SEARCH_MATCH_INITIALS, error))
       && collect (&search, KEY_SQL, norm, KEY_NAME, TILL_SEARCH_MATCH_NAME, error)
       && (!latin
           || collect (&search, KEY_SQL, norm, KEY_PINYIN, TILL_SEARCH_MATCH_PINYIN, error));
  if (ok && digits)
    {
      g_autofree char *rev = reversed (norm);

      ok = collect (&search, PLU_START_SQL, norm, 0, TILL_SEARCH_MATCH_CODE_START, error)
           && collect (&search, BARCODE_START_SQL, norm, 0, TILL_SEARCH_MATCH_CODE_START, error)
           && collect (&search, KEY_SQL, rev, KEY_BARCODE_REVERSED,
                       TILL_SEARCH_MATCH_BARCODE_END, error);
    }
  else
    ok = ok
         && (!latin
             || collect (&search, KEY_SQL, norm, KEY_WORD_INITIALS, TILL_SEARCH_MATCH_WORD,
                         error))
         && collect (&search, KEY_SQL, norm, KEY_WORD_NAME, TILL_SEARCH_MATCH_WORD, error);
  if (!ok)
    return NULL;
  return g_steal_pointer (&hits);
}

typedef struct
{
  char  *query;
  guint  limit;
} FindData;

static void
find_data_free (gpointer data)
{
  FindData *find = data;

  g_free (find->query);
  g_free (find);
}

static gpointer
find_products_run (TillStore *store,
                   gpointer   data,
                   GError   **error)
{
  FindData *find = data;

  return till_store_find_products (store, find->query, find->limit, error);
}

void
till_store_find_products_async (TillStore          *self,
                                const char         *query,
                                guint               limit,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  FindData *find;

  g_return_if_fail (TILL_IS_STORE (self));

  find = g_new0 (FindData, 1);
  find->query = g_strdup (query != NULL ? query : "");
  find->limit = limit;
  till_store_run_async (self, find_products_run, find, find_data_free,
                        (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
till_store_find_products_finish (TillStore    *self,
                                 GAsyncResult *result,
                                 GError      **error)
{
  return till_store_run_finish (self, result, error);
}
