/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Finding a product without its barcode, on a real SQLite file: pinyin initials and full
 * pinyin with every reading, names, PLU, the start and the end of a barcode; the ranking,
 * the cap, inactive products left out, keys kept up to date by upsert and import, and
 * every query of a search answered from an index (EXPLAIN QUERY PLAN has no SCAN). */
#define G_LOG_DOMAIN "test-store-search"

#include "config.h"

#include "store-test-util.h"
#include "till-store-search.h"

static TillStore *
open_store (TestDir *dir)
{
  g_autoptr(GError) error = NULL;
  TillStore *store = till_store_open (dir->path, &error);

  g_assert_no_error (error);
  return store;
}

static void
add (TillStore  *store,
     const char *barcode,
     const char *plu,
     const char *name,
     gboolean    active)
{
  g_autoptr(GError) error = NULL;
  TillProduct product = {
    .barcode = (char *) barcode, .plu = (char *) plu, .name = (char *) name,
    .price_fen = 100, .unit = (char *) "件", .active = active,
  };

  g_assert_cmpint (till_store_upsert_product (store, &product, &error), >, 0);
  g_assert_no_error (error);
}

static GPtrArray *
find (TillStore  *store,
      const char *query)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *hits = till_store_find_products (store, query, TILL_STORE_SEARCH_LIMIT, &error);

  g_assert_no_error (error);
  g_assert_nonnull (hits);
  return hits;
}

static const char *
name_at (GPtrArray *hits,
         guint      i)
{
  g_assert_cmpuint (i, <, hits->len);
  return ((TillSearchHit *) hits->pdata[i])->product->name;
}

static TillSearchMatch
match_at (GPtrArray *hits,
          guint      i)
{
  g_assert_cmpuint (i, <, hits->len);
  return ((TillSearchHit *) hits->pdata[i])->match;
}

static gboolean
has_name (GPtrArray  *hits,
          const char *name)
{
  for (guint i = 0; i < hits->len; i++)
    if (g_str_equal (name_at (hits, i), name))
      return TRUE;
  return FALSE;
}

static void
seed (TillStore *store)
{
  add (store, "6928804011173", NULL, "可口可乐 500ml", TRUE);
  add (store, "6928804014570", NULL, "可口可乐零度 330ml", TRUE);
  add (store, "6901234567892", NULL, "长城干红葡萄酒", TRUE);
  add (store, "6920202888883", NULL, "银行卡套", TRUE);
  add (store, "6901028075763", NULL, "音乐贺卡", TRUE);
  add (store, "6954767423579", NULL, "可儿饼干", TRUE);
  add (store, NULL, "1173", "苹果 红富士", TRUE);
  add (store, NULL, "4011", "香蕉", TRUE);
  add (store, "6900000011730", NULL, "停售的可乐", FALSE);
  add (store, "4006381333931", NULL, "STABILO 荧光笔", TRUE);
  add (store, NULL, "9001", "荧光笔套装", TRUE);
}

static void
test_pinyin (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = open_store (dir);
  g_autoptr(GPtrArray) coke = NULL, upper = NULL, wide = NULL, full = NULL;
  g_autoptr(GPtrArray) zc = NULL, cc = NULL, yhk = NULL, yxk = NULL, yyhk = NULL, ylhk = NULL;
  g_autoptr(GPtrArray) name = NULL, latin = NULL, none = NULL, empty = NULL;
  g_autoptr(GPtrArray) word = NULL, word_cjk = NULL, word_rank = NULL;

  seed (store);
  coke = find (store, "kkkl");
  g_assert_cmpuint (coke->len, ==, 2);
  g_assert_cmpstr (name_at (coke, 0), ==, "可口可乐 500ml");   /* the shorter key first */
  g_assert_cmpstr (name_at (coke, 1), ==, "可口可乐零度 330ml");
  g_assert_cmpint (match_at (coke, 0), ==, TILL_SEARCH_MATCH_INITIALS);
  upper = find (store, "KKKL");
  wide = find (store, "ｋｋ ｋｌ");
  g_assert_cmpuint (upper->len, ==, 2);
  g_assert_cmpuint (wide->len, ==, 2);
  full = find (store, "kekou");
  g_assert_cmpuint (full->len, ==, 2);
  g_assert_cmpint (match_at (full, 0), ==, TILL_SEARCH_MATCH_PINYIN);
  /* several readings: any of them */
  zc = find (store, "zcgh");
  cc = find (store, "ccgh");
  yhk = find (store, "yhk");
  yxk = find (store, "yxk");
  yyhk = find (store, "yinyueh");
  ylhk = find (store, "yinleh");
  g_assert_true (has_name (zc, "长城干红葡萄酒"));
  g_assert_true (has_name (cc, "长城干红葡萄酒"));
  g_assert_true (has_name (yhk, "银行卡套"));
  g_assert_true (has_name (yxk, "银行卡套"));
  g_assert_true (has_name (yyhk, "音乐贺卡"));
  g_assert_true (has_name (ylhk, "音乐贺卡"));
  /* a name's start, Chinese or Latin */
  name = find (store, "可口可乐零");
  g_assert_cmpuint (name->len, ==, 1);
  g_assert_cmpint (match_at (name, 0), ==, TILL_SEARCH_MATCH_NAME);
  latin = find (store, "stabilo");
  g_assert_cmpuint (latin->len, ==, 1);
  /* a later word of a name, by its initials or its start, after the names' own starts */
  word = find (store, "hfs");
  g_assert_cmpuint (word->len, ==, 1);
  g_assert_cmpstr (name_at (word, 0), ==, "苹果 红富士");
  g_assert_cmpint (match_at (word, 0), ==, TILL_SEARCH_MATCH_WORD);
  word_cjk = find (store, "荧光");
  g_assert_cmpuint (word_cjk->len, ==, 2);
  g_assert_cmpstr (name_at (word_cjk, 0), ==, "荧光笔套装");
  g_assert_cmpint (match_at (word_cjk, 0), ==, TILL_SEARCH_MATCH_NAME);
  g_assert_cmpstr (name_at (word_cjk, 1), ==, "STABILO 荧光笔");
  g_assert_cmpint (match_at (word_cjk, 1), ==, TILL_SEARCH_MATCH_WORD);
  word_rank = find (store, "ygb");   /* 荧光笔 */
  g_assert_cmpuint (word_rank->len, ==, 2);
  g_assert_cmpstr (name_at (word_rank, 0), ==, "荧光笔套装");
  g_assert_cmpint (match_at (word_rank, 0), ==, TILL_SEARCH_MATCH_INITIALS);
  g_assert_cmpstr (name_at (word_rank, 1), ==, "STABILO 荧光笔");
  g_assert_cmpint (match_at (word_rank, 1), ==, TILL_SEARCH_MATCH_WORD);
  none = find (store, "xyzq");
  g_assert_cmpuint (none->len, ==, 0);
  empty = find (store, "  ！ ");
  g_assert_cmpuint (empty->len, ==, 0);
}

static void
test_ranking (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = open_store (dir);
  g_autoptr(GPtrArray) ke = NULL, code = NULL;

  seed (store);
  /* "ke": 可儿 (initials "ke…") before 可口可乐 (full pinyin "ke…") */
  ke = find (store, "ke");
  g_assert_cmpuint (ke->len, ==, 3);
  g_assert_cmpstr (name_at (ke, 0), ==, "可儿饼干");
  g_assert_cmpint (match_at (ke, 0), ==, TILL_SEARCH_MATCH_INITIALS);
  g_assert_cmpint (match_at (ke, 1), ==, TILL_SEARCH_MATCH_PINYIN);
  g_assert_cmpint (match_at (ke, 2), ==, TILL_SEARCH_MATCH_PINYIN);
  /* "1173": the PLU exactly, then the barcode that ends so (the inactive one left out) */
  code = find (store, "1173");
  g_assert_cmpuint (code->len, ==, 2);
  g_assert_cmpstr (name_at (code, 0), ==, "苹果 红富士");
  g_assert_cmpint (match_at (code, 0), ==, TILL_SEARCH_MATCH_CODE);
  g_assert_cmpstr (name_at (code, 1), ==, "可口可乐 500ml");
  g_assert_cmpint (match_at (code, 1), ==, TILL_SEARCH_MATCH_BARCODE_END);
}

static void
test_codes (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = open_store (dir);
  g_autoptr(GPtrArray) whole = NULL, upc = NULL, start = NULL, end = NULL, plu = NULL;

  seed (store);
  add (store, "036000291452", NULL, "UPC 商品", TRUE);
  whole = find (store, "6901234567892");
  g_assert_cmpuint (whole->len, ==, 1);
  g_assert_cmpint (match_at (whole, 0), ==, TILL_SEARCH_MATCH_CODE);
  upc = find (store, "0036000291452");   /* the EAN-13 form of a stored UPC-A */
  g_assert_cmpuint (upc->len, ==, 1);
  g_assert_cmpint (match_at (upc, 0), ==, TILL_SEARCH_MATCH_CODE);
  start = find (store, "692880");
  g_assert_cmpuint (start->len, ==, 2);
  g_assert_cmpint (match_at (start, 0), ==, TILL_SEARCH_MATCH_CODE_START);
  end = find (store, "4570");
  g_assert_cmpuint (end->len, ==, 1);
  g_assert_cmpstr (name_at (end, 0), ==, "可口可乐零度 330ml");
  g_assert_cmpint (match_at (end, 0), ==, TILL_SEARCH_MATCH_BARCODE_END);
  plu = find (store, "40");
  /* PLU 4011 and barcode 4006381333931 start with it */
  g_assert_cmpuint (plu->len, ==, 2);
  g_assert_cmpstr (name_at (plu, 0), ==, "香蕉");
}

static void
test_cap_and_updates (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = open_store (dir);
  g_autoptr(GPtrArray) many = NULL, old = NULL, renamed = NULL, gone = NULL, back = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 80; i++)
    {
      g_autofree char *name = g_strdup_printf ("可乐 %u", i);
      g_autofree char *plu = g_strdup_printf ("%u", 5000 + i);

      add (store, NULL, plu, name, TRUE);
    }
  many = find (store, "kl");
  g_assert_cmpuint (many->len, ==, TILL_STORE_SEARCH_LIMIT);
  /* a renamed product is found by its new name only */
  add (store, NULL, "5000", "雪碧", TRUE);
  old = find (store, "kl0");
  g_assert_cmpuint (old->len, ==, 0);
  renamed = find (store, "xb");
  g_assert_cmpuint (renamed->len, ==, 1);
  /* deactivated: not found; active again: found */
  add (store, NULL, "5000", "雪碧", FALSE);
  gone = find (store, "xb");
  g_assert_cmpuint (gone->len, ==, 0);
  add (store, NULL, "5000", "雪碧", TRUE);
  back = find (store, "xb");
  g_assert_cmpuint (back->len, ==, 1);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM product_search s"
                                     " LEFT JOIN product p ON p.id = s.product_id"
                                     " WHERE p.id IS NULL"), ==, 0);
}

static void
test_import (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = open_store (dir);
  g_autofree char *csv = test_dir_file (dir, "catalog.csv");
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_true (g_file_set_contents (csv, "barcode,name,price\n"
                                           "6901028075763,农夫山泉 550ml,2.00\n", -1, NULL));
  g_assert_true (till_store_import_catalog_csv (store, csv, 0, &n, &errors, &error));
  g_assert_no_error (error);
  hits = find (store, "nfsq");
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (name_at (hits, 0), ==, "农夫山泉 550ml");
}

static void
test_demo_catalog (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = open_store (dir);
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (till_store_seed_demo_catalog (store, &error));
  g_assert_no_error (error);
  hits = find (store, "kkkl");
  g_assert_cmpuint (hits->len, >=, 1);
  g_assert_true (g_str_has_prefix (name_at (hits, 0), "可口可乐"));
}

/* ---- the plans */

static int
trace_cb (unsigned  type,
          void     *context,
          void     *p,
          void     *x)
{
  GPtrArray *sqls = context;
  const char *sql = sqlite3_sql (p);

  (void) type;
  (void) x;
  if (sql != NULL && g_str_has_prefix (sql, "SELECT"))
    {
      for (guint i = 0; i < sqls->len; i++)
        if (g_str_equal (sqls->pdata[i], sql))
          return 0;
      g_ptr_array_add (sqls, g_strdup (sql));
    }
  return 0;
}

static void
test_plans (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = open_store (dir);
  g_autoptr(GPtrArray) sqls = g_ptr_array_new_with_free_func (g_free);
  const char *queries[] = { "kkkl", "可口", "6928", "1173", "6901234567892" };
  sqlite3 *db;

  seed (store);
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *name = g_strdup_printf ("商品 %u", i);
      g_autofree char *plu = g_strdup_printf ("%u", 7000 + i);

      add (store, NULL, plu, name, TRUE);
    }
  till_store_lock (store);
  sqlite3_trace_v2 (till_store_get_db (store), SQLITE_TRACE_STMT, trace_cb, sqls);
  till_store_unlock (store);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    g_ptr_array_unref (find (store, queries[i]));
  till_store_lock (store);
  sqlite3_trace_v2 (till_store_get_db (store), 0, NULL, NULL);
  till_store_unlock (store);

  /* every kind of statement the search runs was seen: exact codes, keys, code starts */
  g_assert_cmpuint (sqls->len, >=, 5);
  db = raw_open (dir->path);
  for (guint i = 0; i < sqls->len; i++)
    {
      g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sqls->pdata[i], NULL);
      g_autofree char *plan = raw_rows (db, explain);

      g_test_message ("%s\n%s", (char *) sqls->pdata[i], plan);
      g_assert_null (strstr (plan, "SCAN"));
      g_assert_nonnull (strstr (plan, "SEARCH"));
      g_assert_null (strstr (plan, "TEMP B-TREE"));   /* no sort: the index's order */
    }
  sqlite3_close (db);
}

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  (void) source;
  *out = g_object_ref (result);
}

static void
test_async (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = open_store (dir);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;

  seed (store);
  till_store_find_products_async (store, "kkkl", 10, NULL,
                                  got_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  hits = till_store_find_products_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/search/pinyin", test_pinyin);
  g_test_add_func ("/store/search/ranking", test_ranking);
  g_test_add_func ("/store/search/codes", test_codes);
  g_test_add_func ("/store/search/cap-and-updates", test_cap_and_updates);
  g_test_add_func ("/store/search/import", test_import);
  g_test_add_func ("/store/search/demo-catalog", test_demo_catalog);
  g_test_add_func ("/store/search/plans", test_plans);
  g_test_add_func ("/store/search/async", test_async);
  return g_test_run ();
}
