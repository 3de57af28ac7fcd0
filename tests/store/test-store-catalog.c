/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The catalog in a real SQLite file: indexed lookups, search, upsert, the query plans
 * that keep a 1,000,000-product catalog fast, and the demo catalog. */
#define G_LOG_DOMAIN "test-store-catalog"

#include "config.h"

#include "store-test-util.h"

static gint64
put (TillStore  *store,
     const char *barcode,
     const char *plu,
     const char *name,
     gint64      price,
     gboolean    active)
{
  g_autoptr(GError) error = NULL;
  TillProduct product = {
    .barcode = (char *) barcode, .plu = (char *) plu, .name = (char *) name,
    .price_fen = price, .unit = (char *) "瓶", .active = active,
  };
  gint64 id = till_store_upsert_product (store, &product, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
test_lookup_barcode (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillProduct) found = NULL;
  gint64 id;

  put (store, "6954767001055", NULL, "可口可乐 330ml", 300, TRUE);
  id = put (store, "6921168509256", "1001", "农夫山泉饮用天然水 550ml", 200, TRUE);

  found = till_store_lookup_barcode (store, "6921168509256", &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->id, ==, id);
  g_assert_cmpstr (found->barcode, ==, "6921168509256");
  g_assert_cmpstr (found->plu, ==, "1001");
  g_assert_cmpstr (found->name, ==, "农夫山泉饮用天然水 550ml");
  g_assert_cmpint (found->price_fen, ==, 200);
  g_assert_cmpstr (found->unit, ==, "瓶");
  g_assert_true (found->active);
  g_assert_false (found->weighed);
}

static void
test_lookup_missing (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;

  put (store, "6921168509256", "1001", "水", 200, TRUE);
  g_assert_null (till_store_lookup_barcode (store, "6921168509257", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "6921168509257"));
  g_clear_error (&error);
  g_assert_null (till_store_lookup_plu (store, "1002", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* a barcode is not a PLU and the other way round */
  g_assert_null (till_store_lookup_plu (store, "6921168509256", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (till_store_lookup_barcode (store, "1001", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
}

static void
test_lookup_plu (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillProduct) found = NULL;
  TillProduct banana = { .plu = "100001", .name = "香蕉", .price_fen = 698, .unit = "kg",
                         .weighed = TRUE, .active = TRUE };
  gint64 id = till_store_upsert_product (store, &banana, &error);

  g_assert_no_error (error);
  found = till_store_lookup_plu (store, "100001", &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->id, ==, id);
  g_assert_null (found->barcode);
  g_assert_true (found->weighed);
  g_assert_cmpstr (found->unit, ==, "kg");
}

static void
test_inactive_not_found (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;

  put (store, "6921168509256", "1001", "停售的水", 200, FALSE);
  g_assert_null (till_store_lookup_barcode (store, "6921168509256", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (till_store_lookup_plu (store, "1001", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  results = till_store_search_products (store, "水", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 0);
  /* still in the catalog (sales refer to it), and it can come back */
  g_assert_cmpint (till_store_count_products (store, &error), ==, 1);
  put (store, "6921168509256", "1001", "停售的水", 200, TRUE);
  {
    g_autoptr(TillProduct) back = till_store_lookup_barcode (store, "6921168509256", &error);
    g_assert_no_error (error);
    g_assert_true (back->active);
  }
}

static char *
names_of (GPtrArray *products)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < products->len; i++)
    {
      TillProduct *product = g_ptr_array_index (products, i);
      g_string_append_printf (out, "%s%s", i ? "|" : "", product->name);
    }
  return g_string_free (out, FALSE);
}

static void
test_search_basic (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *names = NULL;

  put (store, "6954767001055", NULL, "可口可乐 330ml", 300, TRUE);
  put (store, "6954767002052", NULL, "可口可乐 500ml", 350, TRUE);
  put (store, "6925391000017", NULL, "百事可乐 500ml", 350, TRUE);
  put (store, "6921168509256", NULL, "农夫山泉 550ml", 200, TRUE);
  put (store, "6921168509400", NULL, "Coca-Cola Zero", 400, TRUE);

  results = till_store_search_products (store, "可乐", 10, &error);
  g_assert_no_error (error);
  names = names_of (results);
  /* ordered by name (byte order of UTF-8) */
  g_assert_cmpstr (names, ==, "可口可乐 330ml|可口可乐 500ml|百事可乐 500ml");
  g_clear_pointer (&results, g_ptr_array_unref);
  g_clear_pointer (&names, g_free);

  /* limit */
  results = till_store_search_products (store, "可乐", 2, &error);
  g_assert_cmpuint (results->len, ==, 2);
  g_clear_pointer (&results, g_ptr_array_unref);
  results = till_store_search_products (store, "可乐", 0, &error);
  g_assert_cmpuint (results->len, ==, 0);
  g_clear_pointer (&results, g_ptr_array_unref);

  /* ASCII is case-insensitive */
  results = till_store_search_products (store, "coca", 10, &error);
  g_assert_no_error (error);
  names = names_of (results);
  g_assert_cmpstr (names, ==, "Coca-Cola Zero");
  g_clear_pointer (&results, g_ptr_array_unref);

  /* nothing */
  results = till_store_search_products (store, "咖啡", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 0);
}

static void
test_search_wildcards_are_literal (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *names = NULL;

  put (store, "6900000000017", NULL, "全场50%折扣券", 0, TRUE);
  put (store, "6900000000024", NULL, "全场500折扣券", 0, TRUE);
  put (store, "6900000000031", NULL, "snake_case 笔记本", 500, TRUE);
  put (store, "6900000000048", NULL, "snakeXcase 笔记本", 500, TRUE);
  put (store, "6900000000055", NULL, "路径 C:\\temp", 100, TRUE);
  put (store, "6900000000062", NULL, "路径 C:temp", 100, TRUE);

  results = till_store_search_products (store, "50%", 10, &error);
  g_assert_no_error (error);
  names = names_of (results);
  g_assert_cmpstr (names, ==, "全场50%折扣券");
  g_clear_pointer (&results, g_ptr_array_unref);
  g_clear_pointer (&names, g_free);

  results = till_store_search_products (store, "snake_case", 10, &error);
  names = names_of (results);
  g_assert_cmpstr (names, ==, "snake_case 笔记本");
  g_clear_pointer (&results, g_ptr_array_unref);
  g_clear_pointer (&names, g_free);

  results = till_store_search_products (store, "%", 10, &error);
  names = names_of (results);
  g_assert_cmpstr (names, ==, "全场50%折扣券");
  g_clear_pointer (&results, g_ptr_array_unref);
  g_clear_pointer (&names, g_free);

  results = till_store_search_products (store, "_", 10, &error);
  g_assert_cmpuint (results->len, ==, 1);
  g_clear_pointer (&results, g_ptr_array_unref);

  results = till_store_search_products (store, "C:\\t", 10, &error);
  names = names_of (results);
  g_assert_cmpstr (names, ==, "路径 C:\\temp");
  g_clear_pointer (&results, g_ptr_array_unref);

  /* an injection attempt is only text */
  results = till_store_search_products (store, "' OR 1=1 --", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 0);
}

static void
test_upsert_updates (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillProduct) found = NULL;
  gint64 first, second;

  first = put (store, "6921168509256", NULL, "农夫山泉", 200, TRUE);
  second = put (store, "6921168509256", "1001", "农夫山泉饮用天然水 550ml", 250, TRUE);
  g_assert_cmpint (first, ==, second);
  g_assert_cmpint (till_store_count_products (store, &error), ==, 1);

  found = till_store_lookup_barcode (store, "6921168509256", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->name, ==, "农夫山泉饮用天然水 550ml");
  g_assert_cmpint (found->price_fen, ==, 250);
  g_assert_cmpstr (found->plu, ==, "1001");
}

static void
test_upsert_by_plu (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillProduct) found = NULL;
  gint64 first, second;

  first = put (store, NULL, "8001", "茶叶蛋", 150, TRUE);
  second = put (store, NULL, "8001", "茶叶蛋 (五香)", 200, TRUE);
  g_assert_cmpint (first, ==, second);
  found = till_store_lookup_plu (store, "8001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->name, ==, "茶叶蛋 (五香)");
  g_assert_cmpint (found->price_fen, ==, 200);
  g_assert_cmpint (till_store_count_products (store, &error), ==, 1);
}

static void
test_upsert_refusals (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  TillProduct nothing = { .name = "无码商品", .price_fen = 100, .active = TRUE };
  TillProduct unnamed = { .barcode = "6921168509256", .name = "", .price_fen = 100 };
  TillProduct negative = { .barcode = "6921168509256", .name = "水", .price_fen = -1 };
  TillProduct other = { .barcode = "6954767001055", .plu = "1001", .name = "可乐",
                        .price_fen = 300, .active = TRUE };

  g_assert_cmpint (till_store_upsert_product (store, &nothing, &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (till_store_upsert_product (store, &unnamed, &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (till_store_upsert_product (store, &negative, &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* a PLU belongs to one product */
  put (store, "6921168509256", "1001", "水", 200, TRUE);
  g_assert_cmpint (till_store_upsert_product (store, &other, &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "1001"));
  g_assert_cmpint (till_store_count_products (store, NULL), ==, 1);
}

static void
test_count (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (till_store_count_products (store, &error), ==, 0);
  put (store, "6921168509256", NULL, "水", 200, TRUE);
  put (store, "6954767001055", NULL, "可乐", 300, FALSE);
  put (store, NULL, "8001", "茶叶蛋", 150, TRUE);
  g_assert_cmpint (till_store_count_products (store, &error), ==, 3);
  g_assert_no_error (error);
}

static void
test_product_copy (void)
{
  TillProduct product = { .id = 9, .barcode = "6921168509256", .plu = "1", .name = "水",
                          .price_fen = 200, .unit = "瓶", .weighed = TRUE, .active = TRUE };
  g_autoptr(TillProduct) copy = till_product_copy (&product);
  GType type = TILL_TYPE_PRODUCT;

  g_assert_true (G_TYPE_IS_BOXED (type));
  g_assert_true (copy->barcode != product.barcode);
  g_assert_cmpstr (copy->barcode, ==, product.barcode);
  g_assert_cmpstr (copy->plu, ==, product.plu);
  g_assert_cmpstr (copy->name, ==, product.name);
  g_assert_cmpstr (copy->unit, ==, product.unit);
  g_assert_cmpint (copy->id, ==, 9);
  g_assert_cmpint (copy->price_fen, ==, 200);
  g_assert_true (copy->weighed && copy->active);
}

/* ---------------------------------------------------------------- UPC-A = EAN-13 "0" + UPC-A */

static void
assert_found (TillStore  *store,
              const char *scanned,
              gint64      id,
              const char *stored)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillProduct) found = till_store_lookup_barcode (store, scanned, &error);

  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpint (found->id, ==, id);
  /* the product keeps the form the shop stored */
  g_assert_cmpstr (found->barcode, ==, stored);
}

static void
assert_not_found (TillStore  *store,
                  const char *scanned)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (till_store_lookup_barcode (store, scanned, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  /* the message names what was scanned, not the other form */
  g_assert_nonnull (strstr (error->message, scanned));
}

static void
test_lookup_upca_finds_ean13 (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  gint64 id = put (store, "0036000291452", NULL, "进口纸巾 (EAN-13)", 1290, TRUE);

  /* a scanner sending the 12-digit UPC-A finds the product stored as EAN-13 */
  assert_found (store, "036000291452", id, "0036000291452");
  assert_found (store, "0036000291452", id, "0036000291452");
}

static void
test_lookup_ean13_finds_upca (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  gint64 id = put (store, "012345678905", NULL, "进口饼干 (UPC-A)", 990, TRUE);

  /* a scanner set to send EAN-13 (leading 0) finds the product entered as UPC-A */
  assert_found (store, "0012345678905", id, "012345678905");
  assert_found (store, "012345678905", id, "012345678905");
}

static void
test_lookup_equivalent_exact_wins (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  gint64 upca = put (store, "036000291452", NULL, "存为 UPC-A", 100, TRUE);
  gint64 ean13;
  sqlite3 *db = raw_open (dir->path);

  /* both forms stored as two products (a catalog made before upserts matched them):
   * each scan finds its own */
  raw_exec (db, "INSERT INTO product (barcode, name, price_fen, unit, active, updated_at)"
                " VALUES ('0036000291452', '存为 EAN-13', 200, '瓶', 1, 0)");
  ean13 = sqlite3_last_insert_rowid (db);
  sqlite3_close (db);
  g_assert_cmpint (upca, !=, ean13);
  assert_found (store, "036000291452", upca, "036000291452");
  assert_found (store, "0036000291452", ean13, "0036000291452");
}

static void
test_lookup_equivalent_only_valid_gs1 (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);

  /* wrong check digits: in-store codes, no equivalent */
  put (store, "0036000291453", NULL, "店内码 13", 100, TRUE);
  assert_not_found (store, "036000291453");
  put (store, "036000291454", NULL, "店内码 12", 100, TRUE);
  assert_not_found (store, "0036000291454");
  /* an EAN-13 not starting with 0 has no 12-digit form; EAN-8 has no other form */
  put (store, "6921168509256", NULL, "水", 200, TRUE);
  assert_not_found (store, "921168509256");
  put (store, "96385074", NULL, "EAN-8", 100, TRUE);
  assert_not_found (store, "096385074");
  assert_not_found (store, "0000096385074");
  /* nothing stored in either form */
  assert_not_found (store, "012345678905");
  assert_not_found (store, "0012345678905");
}

static void
test_lookup_equivalent_inactive (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);

  put (store, "0036000291452", NULL, "停售", 100, FALSE);
  assert_not_found (store, "036000291452");
}

static void
test_upsert_equivalent_no_duplicate (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillProduct) found = NULL;
  gint64 first, second;

  first = put (store, "036000291452", NULL, "纸巾", 1290, TRUE);
  /* the same item again in its EAN-13 form updates it */
  second = put (store, "0036000291452", NULL, "纸巾 (新价)", 1390, TRUE);
  g_assert_cmpint (first, ==, second);
  g_assert_cmpint (till_store_count_products (store, &error), ==, 1);
  found = till_store_lookup_barcode (store, "036000291452", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->barcode, ==, "036000291452");
  g_assert_cmpstr (found->name, ==, "纸巾 (新价)");
  g_assert_cmpint (found->price_fen, ==, 1390);
  g_clear_pointer (&found, till_product_free);

  /* and the other way round */
  first = put (store, "0012345678905", NULL, "饼干", 990, TRUE);
  second = put (store, "012345678905", NULL, "饼干 (新价)", 1090, TRUE);
  g_assert_cmpint (first, ==, second);
  g_assert_cmpint (till_store_count_products (store, &error), ==, 2);
  found = till_store_lookup_barcode (store, "0012345678905", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->barcode, ==, "0012345678905");
  g_assert_cmpint (found->price_fen, ==, 1090);
}

/* ---------------------------------------------------------------- query plans */

static char *
plan_of (TillStore  *store,
         const char *sql)
{
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  sqlite3_stmt *stmt = NULL;
  GString *plan = g_string_new (NULL);
  sqlite3 *db;

  till_store_lock (store);
  db = till_store_get_db (store);
  g_assert_cmpint (sqlite3_prepare_v2 (db, explain, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, "x", -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, 10);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  till_store_unlock (store);
  return g_string_free (plan, FALSE);
}

/* The statements must be the very texts the store prepares: copy them from the source
 * when they change. */
#define LOOKUP_BARCODE_SQL "SELECT id, barcode, plu, name, price_fen, unit, weighed, active, open_price" \
                           " FROM product WHERE barcode = ?1 AND active = 1"
/* the upsert's and the import's probe for the stored form of a code (active or not) */
#define FIND_BARCODE_SQL   "SELECT id, barcode, plu, name, price_fen, unit, weighed, active, open_price" \
                           " FROM product WHERE barcode = ?1"
#define LOOKUP_PLU_SQL     "SELECT id, barcode, plu, name, price_fen, unit, weighed, active, open_price" \
                           " FROM product WHERE plu = ?1 AND active = 1"
#define SEARCH_SQL         "SELECT id, barcode, plu, name, price_fen, unit, weighed, active, open_price" \
                           " FROM product WHERE active = 1 AND name LIKE ?1 ESCAPE '\\'" \
                           " ORDER BY name LIMIT ?2"

static void
assert_statement_is_cached (TillStore  *store,
                            const char *sql)
{
  /* Proves the SQL above is what the store runs: the store's cache holds it. */
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  till_store_lock (store);
  while ((stmt = sqlite3_next_stmt (till_store_get_db (store), stmt)) != NULL)
    if (g_strcmp0 (sqlite3_sql (stmt), sql) == 0)
      found = TRUE;
  till_store_unlock (store);
  g_assert_true (found);
}

static void
seed_many (TillStore *store,
           guint      n)
{
  g_autoptr(GError) error = NULL;

  till_store_lock (store);
  g_assert_true (till_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *barcode = g_strdup_printf ("69%010u", i);
      g_autofree char *plu = g_strdup_printf ("%u", 100000 + i);
      g_autofree char *name = g_strdup_printf ("商品 %u", i);

      put (store, barcode, plu, name, 100 + i, TRUE);
    }
  g_assert_true (till_store_commit (store, &error));
  till_store_unlock (store);
  till_store_lock (store);
  raw_exec (till_store_get_db (store), "ANALYZE");
  till_store_unlock (store);
}

static void
test_plan_barcode_uses_index (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autofree char *plan = NULL;

  seed_many (store, 2000);
  g_assert_null (till_store_lookup_barcode (store, "nope", NULL));
  assert_statement_is_cached (store, LOOKUP_BARCODE_SQL);
  plan = plan_of (store, LOOKUP_BARCODE_SQL);
  g_test_message ("plan: %s", plan);
  g_assert_nonnull (strstr (plan, "USING INDEX product_barcode (barcode=?)"));
  g_assert_null (strstr (plan, "SCAN"));
}

static void
test_plan_equivalent_lookup_uses_index (void)
{
  /* A UPC-A scan that misses probes its EAN-13 form too (and the other way round): both
   * probes are the indexed statement above. Every statement on product by barcode that
   * the store has prepared searches the index; none scans. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  seed_many (store, 2000);
  g_assert_null (till_store_lookup_barcode (store, "036000291452", NULL));
  g_assert_null (till_store_lookup_barcode (store, "0036000291452", NULL));
  assert_statement_is_cached (store, LOOKUP_BARCODE_SQL);
  till_store_lock (store);
  while ((stmt = sqlite3_next_stmt (till_store_get_db (store), stmt)) != NULL)
    if (strstr (sqlite3_sql (stmt), "FROM product WHERE barcode") != NULL)
      g_ptr_array_add (texts, g_strdup (sqlite3_sql (stmt)));
  till_store_unlock (store);
  g_assert_cmpuint (texts->len, >=, 1);
  for (guint i = 0; i < texts->len; i++)
    {
      g_autofree char *plan = plan_of (store, g_ptr_array_index (texts, i));

      g_test_message ("%s\nplan: %s", (char *) g_ptr_array_index (texts, i), plan);
      g_assert_nonnull (strstr (plan, "USING INDEX product_barcode (barcode=?)"));
      g_assert_null (strstr (plan, "SCAN"));
    }
}

static void
test_plan_upsert_probe_uses_index (void)
{
  /* The upsert finds the stored form of a UPC-A/EAN-13 code through the index too. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autofree char *plan = NULL;

  seed_many (store, 2000);
  put (store, "0036000291452", NULL, "纸巾", 1290, TRUE);
  assert_statement_is_cached (store, FIND_BARCODE_SQL);
  plan = plan_of (store, FIND_BARCODE_SQL);
  g_test_message ("plan: %s", plan);
  g_assert_nonnull (strstr (plan, "USING INDEX product_barcode (barcode=?)"));
  g_assert_null (strstr (plan, "SCAN"));
}

static void
test_plan_plu_uses_index (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autofree char *plan = NULL;

  seed_many (store, 2000);
  g_assert_null (till_store_lookup_plu (store, "nope", NULL));
  assert_statement_is_cached (store, LOOKUP_PLU_SQL);
  plan = plan_of (store, LOOKUP_PLU_SQL);
  g_test_message ("plan: %s", plan);
  g_assert_nonnull (strstr (plan, "USING INDEX product_plu (plu=?)"));
  g_assert_null (strstr (plan, "SCAN"));
}

static void
test_plan_search_walks_name_index (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *plan = NULL;

  seed_many (store, 2000);
  results = till_store_search_products (store, "商品 19", 5, NULL);
  g_assert_cmpuint (results->len, ==, 5);
  assert_statement_is_cached (store, SEARCH_SQL);
  plan = plan_of (store, SEARCH_SQL);
  g_test_message ("plan: %s", plan);
  /* in name order through the index: no sort, stops at LIMIT */
  g_assert_nonnull (strstr (plan, "product_name_active"));
  g_assert_null (strstr (plan, "TEMP B-TREE"));
}

static void
test_lookup_dropped_index_detected (void)
{
  /* The plan test above fails when the index is gone: prove it. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autofree char *plan = NULL;

  seed_many (store, 100);
  till_store_lock (store);
  raw_exec (till_store_get_db (store), "DROP INDEX product_barcode");
  till_store_unlock (store);
  plan = plan_of (store, LOOKUP_BARCODE_SQL);
  g_assert_null (strstr (plan, "USING INDEX product_barcode"));
}

static void
test_lookup_many (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;

  seed_many (store, 5000);
  for (guint i = 0; i < 5000; i += 97)
    {
      g_autofree char *barcode = g_strdup_printf ("69%010u", i);
      g_autofree char *plu = g_strdup_printf ("%u", 100000 + i);
      g_autoptr(TillProduct) a = till_store_lookup_barcode (store, barcode, &error);
      g_autoptr(TillProduct) b = till_store_lookup_plu (store, plu, &error);

      g_assert_no_error (error);
      g_assert_cmpint (a->id, ==, b->id);
      g_assert_cmpint (a->price_fen, ==, 100 + i);
    }
}

/* ---------------------------------------------------------------- demo catalog */

static void
test_demo_catalog (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  gint64 count;
  guint n_barcodes = 0, n_weighed = 0, n_plu = 0;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;

  g_assert_true (till_store_seed_demo_catalog (store, &error));
  g_assert_no_error (error);
  count = till_store_count_products (store, &error);
  g_assert_cmpint (count, >=, 60);

  db = raw_open (dir->path);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT barcode, plu, name, price_fen, unit, weighed"
                                           " FROM product", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *barcode = (const char *) sqlite3_column_text (stmt, 0);
      const char *plu = (const char *) sqlite3_column_text (stmt, 1);
      const char *name = (const char *) sqlite3_column_text (stmt, 2);
      gint64 price = sqlite3_column_int64 (stmt, 3);
      const char *unit = (const char *) sqlite3_column_text (stmt, 4);
      gboolean weighed = sqlite3_column_int (stmt, 5);

      g_assert_true (g_utf8_validate (name, -1, NULL));
      g_assert_cmpuint (strlen (name), >, 0);
      g_assert_cmpint (price, >, 0);
      g_assert_cmpint (price, <, 100000);
      if (barcode != NULL)
        {
          g_autoptr(TillBarcode) code = till_barcode_classify (barcode, NULL);

          n_barcodes++;
          g_assert_cmpuint (strlen (barcode), ==, 13);
          g_assert_true (g_str_has_prefix (barcode, "69"));
          g_assert_true (till_barcode_gs1_valid (barcode));
          g_assert_cmpint (code->kind, ==, TILL_BARCODE_EAN13);
        }
      if (plu != NULL)
        n_plu++;
      if (weighed)
        {
          g_autofree char *stem = NULL;
          g_autofree char *scale = NULL;
          g_autoptr(TillBarcode) code = NULL;
          g_autoptr(TillProduct) product = NULL;

          n_weighed++;
          g_assert_cmpstr (unit, ==, "kg");
          g_assert_nonnull (plu);
          g_assert_cmpuint (strlen (plu), ==, 6);
          /* a scale label of 0.455 kg finds this product by its item code */
          stem = g_strdup_printf ("2%s00455", plu);
          scale = g_strdup_printf ("%s%d", stem, till_barcode_gs1_check_digit (stem, 12));
          code = till_barcode_classify (scale, NULL);
          g_assert_cmpint (code->kind, ==, TILL_BARCODE_EMBEDDED_WEIGHT);
          g_assert_cmpstr (code->item_code, ==, plu);
          g_assert_cmpint (code->value, ==, 455);
          product = till_store_lookup_plu (store, code->item_code, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (product->name, ==, name);
        }
      else
        g_assert_cmpstr (unit, !=, "kg");
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_assert_cmpuint (n_barcodes, >=, 55);
  g_assert_cmpuint (n_weighed, >=, 5);
  g_assert_cmpuint (n_plu, >=, n_weighed + 3);

  /* idempotent */
  g_assert_true (till_store_seed_demo_catalog (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_store_count_products (store, &error), ==, count);
}

static void
test_demo_catalog_findable (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;
  const char *expected[] = { "农夫山泉", "可口可乐", "康师傅红烧牛肉面", "乐事薯片", "伊利纯牛奶",
                             "旺旺雪饼", "晨光中性笔", "维达", "香蕉", "苹果", "散装花生",
                             "五花肉", "鸡蛋" };

  g_assert_true (till_store_seed_demo_catalog (store, &error));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      results = till_store_search_products (store, expected[i], 5, &error);
      g_assert_no_error (error);
      if (results->len == 0)
        g_error ("demo catalog has no %s", expected[i]);
      g_clear_pointer (&results, g_ptr_array_unref);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/catalog/lookup/barcode", test_lookup_barcode);
  g_test_add_func ("/store/catalog/lookup/missing", test_lookup_missing);
  g_test_add_func ("/store/catalog/lookup/plu", test_lookup_plu);
  g_test_add_func ("/store/catalog/lookup/inactive", test_inactive_not_found);
  g_test_add_func ("/store/catalog/lookup/many", test_lookup_many);
  g_test_add_func ("/store/catalog/lookup/upca-finds-ean13", test_lookup_upca_finds_ean13);
  g_test_add_func ("/store/catalog/lookup/ean13-finds-upca", test_lookup_ean13_finds_upca);
  g_test_add_func ("/store/catalog/lookup/equivalent-exact-wins", test_lookup_equivalent_exact_wins);
  g_test_add_func ("/store/catalog/lookup/equivalent-only-valid-gs1",
                   test_lookup_equivalent_only_valid_gs1);
  g_test_add_func ("/store/catalog/lookup/equivalent-inactive", test_lookup_equivalent_inactive);
  g_test_add_func ("/store/catalog/search/basic", test_search_basic);
  g_test_add_func ("/store/catalog/search/wildcards-literal", test_search_wildcards_are_literal);
  g_test_add_func ("/store/catalog/upsert/updates", test_upsert_updates);
  g_test_add_func ("/store/catalog/upsert/by-plu", test_upsert_by_plu);
  g_test_add_func ("/store/catalog/upsert/refusals", test_upsert_refusals);
  g_test_add_func ("/store/catalog/upsert/equivalent-no-duplicate",
                   test_upsert_equivalent_no_duplicate);
  g_test_add_func ("/store/catalog/count", test_count);
  g_test_add_func ("/store/catalog/product-copy", test_product_copy);
  g_test_add_func ("/store/catalog/plan/barcode-index", test_plan_barcode_uses_index);
  g_test_add_func ("/store/catalog/plan/plu-index", test_plan_plu_uses_index);
  g_test_add_func ("/store/catalog/plan/equivalent-barcode-index",
                   test_plan_equivalent_lookup_uses_index);
  g_test_add_func ("/store/catalog/plan/upsert-probe-index", test_plan_upsert_probe_uses_index);
  g_test_add_func ("/store/catalog/plan/search-name-index", test_plan_search_walks_name_index);
  g_test_add_func ("/store/catalog/plan/dropped-index-detected", test_lookup_dropped_index_detected);
  g_test_add_func ("/store/catalog/demo/valid", test_demo_catalog);
  g_test_add_func ("/store/catalog/demo/findable", test_demo_catalog_findable);

  return g_test_run ();
}
