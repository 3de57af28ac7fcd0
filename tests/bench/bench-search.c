/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: the product search (Ctrl+F) on a 1,000,000-product catalog of Chinese names,
 * beside a bare indexed SQLite prefix query of the same prefix, in the same run. */
#define G_LOG_DOMAIN "till-bench"
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "till-bench-stats.h"
#include "till-core.h"
#include "till-store-private.h"
#include "till-store-search.h"

/* Usage: bench-search CACHE-DIR [N-PRODUCTS [N-QUERIES]]
 *
 * The catalog is made once through the store's own upsert (so each product gets its
 * search keys as the catalog import gives them) and cached in CACHE-DIR under a name with
 * CATALOG_VERSION, the size and the schema version. Names are a brand, a flavour, a kind
 * of goods and a size ("康师傅香辣红烧牛肉面 105g"), with characters of several readings
 * among them (长, 乐, 行, 重). Measured on the same queries, warm page cache:
 *   search      - till_store_find_products (normalize, every ranked query, the products'
 *                 rows), capped at 50, as the search window asks it;
 *   via thread  - the same through till_store_find_products_async (the store's thread and
 *                 back on the main context, as TillProductSearch does);
 *   bare        - SELECT product_id FROM product_search WHERE kind = ? AND key >= ? AND
 *                 key < ? LIMIT 50, prepared once on a connection of its own: the one
 *                 index range of the same prefix;
 *   bare + rows - the same range joined to product for the rows a search shows (name,
 *                 codes, price, unit), as plain columns.
 * Each query is searched once untimed first, so that all four read warm pages.
 * Queries: 2 to 4 letters of pinyin initials taken from random products' names, and the
 * last 4 digits of random products' barcodes. */

#define CATALOG_VERSION "search-v2"

static const char *const brands[] = {
  "康师傅", "统一", "农夫山泉", "可口可乐", "百事", "伊利", "蒙牛", "旺旺", "乐事", "奥利奥",
  "娃哈哈", "雀巢", "海天", "老干妈", "金龙鱼", "三只松鼠", "良品铺子", "青岛", "雪花", "长城",
  "银鹭", "好丽友", "达利园", "洽洽", "白象", "今麦郎", "光明", "维达", "心相印", "清风",
  "重庆", "长寿", "乐百氏", "银行", "福临门",
};
static const char *const flavours[] = {
  "", "原味", "香辣", "麻辣", "番茄", "烧烤", "黄瓜", "芝士", "草莓", "柠檬", "海盐", "红烧",
};
static const char *const kinds[] = {
  "牛肉面", "矿泉水", "绿茶", "冰红茶", "纯牛奶", "酸奶", "薯片", "饼干", "瓜子", "酱油",
  "食用油", "啤酒", "干红", "八宝粥", "面包", "巧克力", "纸巾", "洗衣液", "牙膏", "火腿肠",
  "果汁", "汽水", "方便粥", "蛋卷",
};
static const char *const sizes[] = { "ml", "g", "袋装", "L", "kg", "盒装" };

static void
product_code (guint64 i,
              char    out[14])
{
  int check;

  g_snprintf (out, 14, "69%010" G_GUINT64_FORMAT,
              (i * 7919 + 12345) % G_GUINT64_CONSTANT (10000000000));
  check = till_barcode_gs1_check_digit (out, 12);
  out[12] = (char) ('0' + check);
  out[13] = '\0';
}

static char *
product_name (GRand *rand)
{
  return g_strdup_printf ("%s%s%s %d%s", brands[g_rand_int_range (rand, 0, G_N_ELEMENTS (brands))],
                          flavours[g_rand_int_range (rand, 0, G_N_ELEMENTS (flavours))],
                          kinds[g_rand_int_range (rand, 0, G_N_ELEMENTS (kinds))],
                          g_rand_int_range (rand, 1, 100) * 5,
                          sizes[g_rand_int_range (rand, 0, G_N_ELEMENTS (sizes))]);
}

static void
die_on_error (GError     *error,
              const char *what)
{
  if (error != NULL)
    {
      g_printerr ("bench-search: %s: %s\n", what, error->message);
      exit (1);
    }
}

static void
generate_catalog (const char *path,
                  guint       n_products)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  GRand *rand = g_rand_new_with_seed (20261203);
  gint64 start = till_bench_now_ns ();

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  store = till_store_open (path, &error);
  die_on_error (error, "cannot create the catalog database");

  till_store_lock (store);
  till_store_exec_literal (till_store_get_db (store), "PRAGMA cache_size = -262144", NULL);
  till_store_begin (store, &error);
  die_on_error (error, "BEGIN");
  for (guint i = 0; i < n_products; i++)
    {
      char code[14];
      g_autofree char *name = product_name (rand);
      TillProduct product = {
        .barcode = code, .name = name, .price_fen = g_rand_int_range (rand, 50, 20000),
        .unit = (char *) "件", .active = TRUE,
      };

      product_code (i, code);
      if (till_store_upsert_product (store, &product, &error) == 0)
        die_on_error (error, "upsert");
      if (i % 100000 == 99999)
        g_print ("  %u products (%.0f s)\n", i + 1, (till_bench_now_ns () - start) / 1e9);
    }
  till_store_commit (store, &error);
  die_on_error (error, "COMMIT");
  till_store_unlock (store);
  g_rand_free (rand);
  g_clear_object (&store);
  g_print ("generated %u products in %.1f s\n", n_products,
           (till_bench_now_ns () - start) / 1e9);
}

static const char *
ensure_catalog (const char *cache_dir,
                guint       n_products)
{
  static char path[4096];
  g_autofree char *name = g_strdup_printf ("search-%s-n%u-s%d.db", CATALOG_VERSION, n_products,
                                           TILL_STORE_SCHEMA_VERSION);
  g_autofree char *full = g_build_filename (cache_dir, name, NULL);
  g_autofree char *tmp = g_strconcat (full, ".part", NULL);

  g_strlcpy (path, full, sizeof path);
  if (g_file_test (full, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(TillStore) cached = till_store_open (full, NULL);

      if (cached != NULL && till_store_count_products (cached, NULL) == (gint64) n_products)
        {
          g_print ("using the cached catalog %s\n", full);
          return path;
        }
    }
  generate_catalog (tmp, n_products);
  if (g_rename (tmp, full) != 0)
    {
      g_printerr ("bench-search: cannot rename %s: %s\n", tmp, g_strerror (errno));
      exit (1);
    }
  return path;
}

typedef struct
{
  char *query;
  int   kind;     /* product_search.kind of the bare query: 1 initials, 4 barcode reversed */
  char *key;      /* its key prefix */
} Query;

static void
query_clear (Query *q)
{
  g_free (q->query);
  g_free (q->key);
}

static GArray *
make_queries (TillStore *store,
              guint      n_products,
              guint      n_queries)
{
  GArray *queries = g_array_new (FALSE, TRUE, sizeof (Query));
  GRand *rand = g_rand_new_with_seed (14);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;

  g_array_set_clear_func (queries, (GDestroyNotify) query_clear);
  till_store_lock (store);
  db = till_store_get_db (store);
  g_assert (sqlite3_prepare_v2 (db, "SELECT name, barcode FROM product WHERE id = ?1", -1,
                                &stmt, NULL) == SQLITE_OK);
  for (guint i = 0; i < n_queries; i++)
    {
      Query q = { 0 };
      const char *name, *barcode;

      sqlite3_bind_int64 (stmt, 1, g_rand_int_range (rand, 1, n_products + 1));
      g_assert (sqlite3_step (stmt) == SQLITE_ROW);
      name = (const char *) sqlite3_column_text (stmt, 0);
      barcode = (const char *) sqlite3_column_text (stmt, 1);
      if (i % 2 == 0)
        {
          g_autoptr(GPtrArray) keys = till_pinyin_keys (name, TILL_PINYIN_INITIALS);

          q.query = g_strndup (keys->pdata[0], g_rand_int_range (rand, 2, 5));
          q.kind = 1;
          q.key = g_strdup (q.query);
        }
      else
        {
          gsize len = strlen (barcode);

          q.query = g_strdup (barcode + len - 4);
          q.kind = 4;
          q.key = g_strdup (q.query);
          g_strreverse (q.key);
        }
      g_array_append_val (queries, q);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  till_store_unlock (store);
  g_rand_free (rand);
  return queries;
}

static TillBenchStats
print_stats (const char *label,
             GArray     *ns)
{
  TillBenchStats s = till_bench_stats (ns);

  g_print ("  %-26s mean %8.2f us  median %8.2f us  p99 %8.2f us  max %9.2f us  (n=%u)\n",
           label, s.mean / 1e3, s.median / 1e3, s.p99 / 1e3, s.max / 1e3, s.n);
  return s;
}

static void
found_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GPtrArray **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = till_store_find_products_finish (TILL_STORE (source), result, &error);
  die_on_error (error, "search (async)");
}

static void
run_kind (TillStore  *store,
          sqlite3    *bare_db,
          GArray     *queries,
          int         kind,
          const char *title)
{
  g_autoptr(GArray) search_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) async_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) bare_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) rows_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *bare = NULL, *rows = NULL;
  guint64 search_rows = 0, bare_rows = 0;
  TillBenchStats search_s, bare_s;

  g_assert (sqlite3_prepare_v2 (bare_db,
                                "SELECT product_id FROM product_search WHERE kind = ?1"
                                " AND key >= ?2 AND key < ?3 LIMIT 50", -1, &bare, NULL)
            == SQLITE_OK);
  g_assert (sqlite3_prepare_v2 (bare_db,
                                "SELECT p.id, p.barcode, p.plu, p.name, p.price_fen, p.unit,"
                                " p.weighed, p.active FROM product_search s JOIN product p"
                                " ON p.id = s.product_id WHERE s.kind = ?1 AND s.key >= ?2"
                                " AND s.key < ?3 AND p.active = 1 LIMIT 50", -1, &rows, NULL)
            == SQLITE_OK);
  for (guint i = 0; i < queries->len; i++)
    {
      Query *q = &g_array_index (queries, Query, i);
      g_autoptr(GPtrArray) hits = NULL;
      g_autoptr(GPtrArray) async_hits = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *high = NULL;
      gint64 t0, t1;

      if (q->kind != kind)
        continue;
      g_ptr_array_unref (till_store_find_products (store, q->query, TILL_STORE_SEARCH_LIMIT,
                                                   NULL));

      t0 = till_bench_now_ns ();
      hits = till_store_find_products (store, q->query, TILL_STORE_SEARCH_LIMIT, &error);
      t1 = till_bench_now_ns ();
      die_on_error (error, "search");
      g_array_append_val (search_ns, (gint64) { t1 - t0 });
      search_rows += hits->len;
      if (hits->len == 0)
        {
          g_printerr ("bench-search: “%s” found nothing\n", q->query);
          exit (1);
        }

      t0 = till_bench_now_ns ();
      till_store_find_products_async (store, q->query, TILL_STORE_SEARCH_LIMIT, NULL, found_cb,
                                      &async_hits);
      while (async_hits == NULL)
        g_main_context_iteration (NULL, TRUE);
      t1 = till_bench_now_ns ();
      g_array_append_val (async_ns, (gint64) { t1 - t0 });

      high = g_strconcat (q->key, "\xf4\x8f\xbf\xbf", NULL);
      t0 = till_bench_now_ns ();
      sqlite3_bind_int (bare, 1, q->kind);
      sqlite3_bind_text (bare, 2, q->key, -1, SQLITE_STATIC);
      sqlite3_bind_text (bare, 3, high, -1, SQLITE_STATIC);
      while (sqlite3_step (bare) == SQLITE_ROW)
        bare_rows++;
      sqlite3_reset (bare);
      t1 = till_bench_now_ns ();
      g_array_append_val (bare_ns, (gint64) { t1 - t0 });

      t0 = till_bench_now_ns ();
      sqlite3_bind_int (rows, 1, q->kind);
      sqlite3_bind_text (rows, 2, q->key, -1, SQLITE_STATIC);
      sqlite3_bind_text (rows, 3, high, -1, SQLITE_STATIC);
      while (sqlite3_step (rows) == SQLITE_ROW)
        (void) sqlite3_column_text (rows, 3);
      sqlite3_reset (rows);
      t1 = till_bench_now_ns ();
      g_array_append_val (rows_ns, (gint64) { t1 - t0 });
    }
  sqlite3_finalize (bare);
  sqlite3_finalize (rows);

  g_print ("%s (%.1f results a search, %.1f rows a bare query)\n", title,
           (double) search_rows / MAX (search_ns->len, 1),
           (double) bare_rows / MAX (bare_ns->len, 1));
  search_s = print_stats ("search", search_ns);
  print_stats ("search via store thread", async_ns);
  bare_s = print_stats ("bare indexed prefix", bare_ns);
  print_stats ("bare prefix + rows", rows_ns);
  g_print ("  median ratio search / bare: %.1f\n", search_s.median / MAX (bare_s.median, 1));
}

static guint
arg_or (int         argc,
        char      **argv,
        int         index,
        const char *env,
        guint       fallback)
{
  const char *text = g_getenv (env);

  if (argc > index)
    text = argv[index];
  return text != NULL ? (guint) g_ascii_strtoull (text, NULL, 10) : fallback;
}

static void
quiet_log_cb (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    g_printerr ("%s: %s\n", log_domain, message);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = NULL;
  g_autoptr(GArray) queries = NULL;
  guint n_products, n_queries;
  const char *path;
  sqlite3 *bare_db = NULL;

  if (argc < 2)
    {
      g_printerr ("Usage: %s CACHE-DIR [N-PRODUCTS [N-QUERIES]]\n", argv[0]);
      return 2;
    }
  g_log_set_default_handler (quiet_log_cb, NULL);
  n_products = arg_or (argc, argv, 2, "TILL_BENCH_PRODUCTS", 1000000);
  n_queries = arg_or (argc, argv, 3, "TILL_BENCH_QUERIES", 4000);

  path = ensure_catalog (argv[1], n_products);
  store = till_store_open (path, &error);
  die_on_error (error, "open");
  g_assert (sqlite3_open_v2 (path, &bare_db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
  queries = make_queries (store, n_products, n_queries);
  g_print ("%u products, %u queries\n", n_products, queries->len);

  /* warm the page cache for both */
  for (guint i = 0; i < MIN (queries->len, 200); i++)
    g_ptr_array_unref (till_store_find_products (store, g_array_index (queries, Query, i).query,
                                                 TILL_STORE_SEARCH_LIMIT, NULL));

  run_kind (store, bare_db, queries, 1, "pinyin initials, 2 to 4 letters");
  run_kind (store, bare_db, queries, 4, "the last 4 digits of a barcode");
  sqlite3_close (bare_db);
  return 0;
}
