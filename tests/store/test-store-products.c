/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Products edited in the till on a real file: saving by id, the price history and its
 * audit rows, categories, search keys that follow a rename, the refusals (named
 * duplicate codes, a price above the maximum, no name) and past sales left as they were. */
#include "config.h"

#include "store-test-util.h"
#include "till-store-products.h"
#include "till-store-search.h"

static TillProduct
product_template (const char *barcode, const char *plu, const char *name, gint64 price_fen)
{
  TillProduct product = { 0 };

  product.barcode = (char *)barcode;
  product.plu = (char *)plu;
  product.name = (char *)name;
  product.price_fen = price_fen;
  product.unit = (char *)"瓶";
  product.active = TRUE;
  return product;
}

/* The ids of the products `query` finds, as "id,id,". */
static char *
found_ids (TillStore *store, const char *query)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) hits = till_store_find_products (store, query, 10, &error);
  GString *ids = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < hits->len; i++)
    {
      TillSearchHit *hit = g_ptr_array_index (hits, i);

      g_string_append_printf (ids, "%" G_GINT64_FORMAT ",", hit->product->id);
    }
  return g_string_free (ids, FALSE);
}

static void
test_add_and_edit (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (TillProduct) loaded = NULL;
  g_autoptr (GPtrArray) history = NULL;
  g_autofree char *rows = NULL;
  TillProduct product = product_template ("6901234567892", NULL, "矿泉水", 200);
  TillPriceChange *change;
  gint64 id, category = -1;

  id = till_store_save_product (store, &product, 0, 0, "Li", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  /* A new product's first price is no change. */
  history = till_store_list_price_history (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 0);
  g_clear_pointer (&history, g_ptr_array_unref);

  product.id = id;
  product.name = (char *)"农夫山泉";
  product.plu = (char *)"1001";
  product.price_fen = 250;
  product.open_price = TRUE;
  g_assert_cmpint (till_store_save_product (store, &product, 0, 0, "Li", &error), ==, id);
  g_assert_no_error (error);
  product.price_fen = 230;
  product.active = FALSE;
  g_assert_cmpint (till_store_save_product (store, &product, 0, 0, "Wang", &error), ==, id);
  g_assert_no_error (error);

  loaded = till_store_get_product (store, id, &category, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->name, ==, "农夫山泉");
  g_assert_cmpstr (loaded->plu, ==, "1001");
  g_assert_cmpint (loaded->price_fen, ==, 230);
  g_assert_true (loaded->open_price);
  g_assert_false (loaded->active);
  g_assert_cmpint (category, ==, 0);
  g_assert_cmpint (till_store_count_products (store, &error), ==, 1);

  history = till_store_list_price_history (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 2);
  change = g_ptr_array_index (history, 0);
  g_assert_cmpint (change->old_fen, ==, 200);
  g_assert_cmpint (change->new_fen, ==, 250);
  g_assert_cmpstr (change->actor, ==, "Li");
  g_assert_cmpint (change->at, >, 0);
  change = g_ptr_array_index (history, 1);
  g_assert_cmpint (change->old_fen, ==, 250);
  g_assert_cmpint (change->new_fen, ==, 230);
  g_assert_cmpstr (change->actor, ==, "Wang");

  /* An audit row per save, with the product before and after. */
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM audit WHERE action = 'product_change'"),
                   ==, 3);
  rows = store_rows (store, "SELECT actor, json_extract (detail_json, '$.before.price_fen'),"
                            " json_extract (detail_json, '$.after.price_fen'),"
                            " json_extract (detail_json, '$.after.name')"
                            " FROM audit WHERE action = 'product_change' ORDER BY id");
  g_assert_cmpstr (rows, ==, "Li|NULL|200|矿泉水\nLi|200|250|农夫山泉\nWang|250|230|农夫山泉\n");

  /* The history is append-only. */
  {
    sqlite3 *db = raw_open (dir->path);

    g_assert_cmpint (raw_try (db, "UPDATE product_price SET new_fen = 1"), ==, SQLITE_CONSTRAINT);
    sqlite3_close (db);
  }
}

static void
test_refusals (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  TillProduct tea = product_template ("6901234567892", "2001", "乌龙茶", 350);
  TillProduct other = product_template ("6920000000017", NULL, "面包", 500);
  gint64 tea_id, other_id;

  tea_id = till_store_save_product (store, &tea, 0, 0, "Li", &error);
  g_assert_no_error (error);
  other_id = till_store_save_product (store, &other, 0, 0, "Li", &error);
  g_assert_no_error (error);

  other.id = other_id;
  other.barcode = (char *)"6901234567892";
  g_assert_cmpint (till_store_save_product (store, &other, 0, 0, "Li", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "6901234567892"));
  g_assert_nonnull (strstr (error->message, "乌龙茶"));
  g_clear_error (&error);

  other.barcode = (char *)"6920000000017";
  other.plu = (char *)"2001";
  g_assert_cmpint (till_store_save_product (store, &other, 0, 0, "Li", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "2001"));
  g_assert_nonnull (strstr (error->message, "乌龙茶"));
  g_clear_error (&error);

  /* The maximum given (¥100.00 here) and, without one, the import's default. */
  other.plu = NULL;
  other.price_fen = 10001;
  g_assert_cmpint (till_store_save_product (store, &other, 0, 10000, "Li", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "100.00"));
  g_clear_error (&error);
  other.price_fen = TILL_STORE_DEFAULT_MAX_PRICE_FEN + 1;
  g_assert_cmpint (till_store_save_product (store, &other, 0, 0, "Li", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  other.price_fen = 500;
  other.name = (char *)"";
  g_assert_cmpint (till_store_save_product (store, &other, 0, 0, "Li", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  other.name = (char *)"面包";
  g_assert_cmpint (till_store_save_product (store, &other, 999, 0, "Li", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* Nothing of the refused saves was written. */
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM product_price"), ==, 0);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM audit WHERE action = 'product_change'"),
                   ==, 2);
  g_assert_cmpint (store_int (store, "SELECT price_fen FROM product WHERE id = 2"), ==, 500);
  g_assert_cmpint (tea_id, ==, 1);

  /* The same product may keep its own codes. */
  tea.id = tea_id;
  tea.price_fen = 380;
  g_assert_cmpint (till_store_save_product (store, &tea, 0, 0, "Li", &error), ==, tea_id);
  g_assert_no_error (error);
}

static void
test_categories (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) categories = NULL;
  TillProduct milk = product_template ("6901234567892", NULL, "牛奶", 600);
  gint64 drinks, dairy, category = -1, id;
  TillCategory *first;

  drinks = till_store_add_category (store, " 饮料 ", "Li", &error);
  g_assert_no_error (error);
  dairy = till_store_add_category (store, "乳品", "Li", &error);
  g_assert_no_error (error);
  g_assert_cmpint (till_store_add_category (store, "饮料", "Li", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "饮料"));
  g_clear_error (&error);
  g_assert_cmpint (till_store_add_category (store, "  ", "Li", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  g_assert_true (till_store_rename_category (store, drinks, "酒水饮料", "Li", &error));
  g_assert_no_error (error);
  g_assert_false (till_store_rename_category (store, drinks, "乳品", "Li", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  categories = till_store_list_categories (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (categories->len, ==, 2);
  first = g_ptr_array_index (categories, 0);
  g_assert_cmpint (first->id, ==, drinks);
  g_assert_cmpstr (first->name, ==, "酒水饮料");
  g_assert_cmpint (first->position, ==, 0);
  g_assert_cmpint (((TillCategory *)g_ptr_array_index (categories, 1))->position, ==, 1);

  id = till_store_save_product (store, &milk, dairy, 0, "Li", &error);
  g_assert_no_error (error);
  g_clear_pointer (&categories, g_ptr_array_unref);
  {
    g_autoptr (TillProduct) loaded = till_store_get_product (store, id, &category, &error);

    g_assert_no_error (error);
    g_assert_cmpint (category, ==, dairy);
  }
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM audit WHERE action LIKE 'category_%'"),
                   ==, 3);
  {
    sqlite3 *db = raw_open (dir->path);

    raw_exec (db, "PRAGMA foreign_keys = ON");
    /* A category in use stays. */
    g_assert_cmpint (raw_try (db, "DELETE FROM category WHERE id = 2"), ==, SQLITE_CONSTRAINT);
    sqlite3_close (db);
  }
}

static void
test_search_follows_rename (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  g_autofree char *ids = NULL;
  TillProduct product = product_template ("6901234567892", NULL, "可乐", 300);
  gint64 id;

  id = till_store_save_product (store, &product, 0, 0, "Li", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, ==, 1);
  ids = found_ids (store, "kl");
  g_assert_cmpstr (ids, ==, "1,");
  g_free (ids);

  product.id = id;
  product.name = (char *)"雪碧";
  product.barcode = (char *)"6920000000017";
  g_assert_cmpint (till_store_save_product (store, &product, 0, 0, "Li", &error), ==, id);
  g_assert_no_error (error);
  ids = found_ids (store, "kl");
  g_assert_cmpstr (ids, ==, "");
  g_free (ids);
  ids = found_ids (store, "xb");
  g_assert_cmpstr (ids, ==, "1,");
  g_free (ids);
  ids = found_ids (store, "xuebi");
  g_assert_cmpstr (ids, ==, "1,");
  g_free (ids);
  ids = found_ids (store, "0017");
  g_assert_cmpstr (ids, ==, "1,");
  g_free (ids);
  ids = found_ids (store, "7892");
  g_assert_cmpstr (ids, ==, "");
}

static void
test_past_sale_unchanged (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (TillSale) sale = NULL;
  g_autoptr (TillSale) loaded = NULL;
  g_autoptr (TillSaleLine) line = NULL;
  g_autofree char *number = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  TillProduct product = product_template ("6901234567892", NULL, "可乐", 300);
  gint64 id;

  id = till_store_save_product (store, &product, 0, 0, "Li", &error);
  g_assert_no_error (error);
  number = till_store_next_sale_number (store, till_store_now_us (), &error);
  g_assert_no_error (error);
  sale = till_sale_new (number);
  till_sale_set_opened_at (sale, till_store_now_us ());
  line = till_sale_line_new (id, product.barcode, product.name, "瓶", 300, 2000, FALSE);
  g_assert_cmpuint (till_sale_add_line (sale, line, &error), !=, G_MAXUINT);
  g_assert_no_error (error);
  g_assert_true (till_store_save_sale (store, sale, "Li", "till-1", &error));
  g_assert_no_error (error);
  g_assert_true (till_store_complete_cash_sale (store, sale, 600, &error));
  g_assert_no_error (error);
  before = store_rows (store, "SELECT * FROM sale_line");

  product.id = id;
  product.name = (char *)"百事可乐";
  product.price_fen = 350;
  product.unit = (char *)"罐";
  g_assert_cmpint (till_store_save_product (store, &product, 0, 0, "Li", &error), ==, id);
  g_assert_no_error (error);

  after = store_rows (store, "SELECT * FROM sale_line");
  g_assert_cmpstr (after, ==, before);
  loaded = till_store_load_sale (store, till_sale_get_id (sale), &error);
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_total_fen (loaded), ==, 600);
  g_assert_cmpstr (till_sale_line_get_name (till_sale_get_line (loaded, 0)), ==, "可乐");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/products/add-and-edit", test_add_and_edit);
  g_test_add_func ("/store/products/refusals", test_refusals);
  g_test_add_func ("/store/products/categories", test_categories);
  g_test_add_func ("/store/products/search-follows-rename", test_search_follows_rename);
  g_test_add_func ("/store/products/past-sale-unchanged", test_past_sale_unchanged);
  return g_test_run ();
}
