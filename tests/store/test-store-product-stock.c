/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One product's stock in the products window and in CSV (issue 15), on real SQLite files:
 * a CSV import with cost and stock columns sets each level by one 'adjustment' move (none
 * when the level is already right) in its all-or-nothing transaction; a bad row leaves no
 * move and no cost; the stock export's columns; the stock export imported back changes
 * nothing; the stock fields saved (a cost change is no move) and a product's latest moves. */
#define G_LOG_DOMAIN "test-store-product-stock"

#include "config.h"

#include "store-test-util.h"
#include "till-store-product-stock.h"
#include "till-store-products.h"
#include "till-store-stock.h"

typedef struct
{
  TestDir *dir;
  TillStore *store;
  TillImportSummary summary;
  GPtrArray *row_errors;
  GError *error;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = test_dir_new ();
  f->store = test_store_open (f->dir);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  till_import_summary_clear (&f->summary);
  g_clear_pointer (&f->row_errors, g_ptr_array_unref);
  g_clear_error (&f->error);
  g_clear_object (&f->store);
  test_dir_free (f->dir);
}

/* Imports `csv` (UTF-8) written to the test directory as `name`, by "王经理". */
static gboolean
import_text (Fixture *f, const char *name, const char *csv)
{
  g_autofree char *path = test_dir_file (f->dir, name);

  write_file (path, csv, -1);
  till_import_summary_clear (&f->summary);
  g_clear_pointer (&f->row_errors, g_ptr_array_unref);
  g_clear_error (&f->error);
  return till_store_import_catalog_csv_as (f->store, path, 0, "王经理", &f->summary, &f->row_errors,
                                           &f->error);
}

static gint64
level_of (Fixture *f, const char *barcode)
{
  g_autofree char *sql
      = g_strdup_printf ("SELECT COALESCE (SUM (m.qty_milli), 0) FROM product p"
                         " LEFT JOIN stock_move m ON m.product_id = p.id WHERE p.barcode = '%s'",
                         barcode);

  return store_int (f->store, sql);
}

static gint64
id_of (Fixture *f, const char *barcode)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM product WHERE barcode = '%s'", barcode);

  return store_int (f->store, sql);
}

#define FIRST_CSV                                                                                  \
  "barcode,name,price,unit,cost,stock\n"                                                           \
  "6921168509256,农夫山泉 550ml,2.00,瓶,1.20,48\n"                                            \
  "6928804011142,可口可乐,3.50,罐,2.10,\n"                                                    \
  "6900000000014,老干妈,12.80,瓶,,6\n"                                                         \
  "6900000000021,香蕉,6.98,kg,4.00,12.5\n"

static void
test_import_sets_levels (Fixture *f, gconstpointer data)
{
  g_autofree char *moves = NULL;
  g_autofree char *products = NULL;

  g_assert_true (import_text (f, "first.csv", FIRST_CSV));
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->summary.n_imported, ==, 4);
  g_assert_cmpuint (f->summary.n_levels_set, ==, 3);
  g_assert_cmpuint (f->summary.n_stock_moves, ==, 3);
  g_assert_cmpstr (f->summary.note, ==, "Stock levels set for 3 products (3 stock moves).");

  /* one adjustment move per product with a stock cell, at the cost the row gave */
  moves = store_rows (f->store, "SELECT p.barcode, m.kind, m.qty_milli, m.cost_fen,"
                                " m.reference, m.who FROM stock_move m"
                                " JOIN product p ON p.id = m.product_id ORDER BY m.id");
  g_assert_cmpstr (moves, ==,
                   "6921168509256|adjustment|48000|120|import:first.csv|王经理\n"
                   "6900000000014|adjustment|6000|NULL|import:first.csv|王经理\n"
                   "6900000000021|adjustment|12500|400|import:first.csv|王经理\n");
  /* the cost is stored; tracked only where a level was set */
  products = store_rows (f->store, "SELECT barcode, track_stock, cost_fen FROM product"
                                   " ORDER BY id");
  g_assert_cmpstr (products, ==,
                   "6921168509256|1|120\n"
                   "6928804011142|0|210\n"
                   "6900000000014|1|NULL\n"
                   "6900000000021|1|400\n");

  /* a sale of 5 bottles, then a second import: the level becomes the file's number again
   * by one move of the difference; an unchanged level writes no move */
  {
    g_autoptr (GError) error = NULL;
    TillReceivingLine line = { id_of (f, "6921168509256"), 2000, 110 };

    g_assert_cmpint (till_store_receive (f->store, "供货商", "王经理", &line, 1, &error), >, 0);
    g_assert_no_error (error);
  }
  g_assert_cmpint (level_of (f, "6921168509256"), ==, 50000);
  g_assert_true (import_text (f, "second.csv",
                              "条码,库存,进价\n"
                              "6921168509256,40,1.25\n"
                              "6900000000014,6,\n"));
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->summary.n_levels_set, ==, 2);
  g_assert_cmpuint (f->summary.n_stock_moves, ==, 1);
  g_assert_cmpint (level_of (f, "6921168509256"), ==, 40000);
  g_assert_cmpint (level_of (f, "6900000000014"), ==, 6000);
  g_assert_cmpint (store_int (f->store, "SELECT count (*) FROM stock_move"
                                        " WHERE reference = 'import:second.csv'"),
                   ==, 1);
  g_assert_cmpint (store_int (f->store, "SELECT qty_milli FROM stock_move"
                                        " WHERE reference = 'import:second.csv'"),
                   ==, -10000);
  g_assert_cmpint (store_int (f->store, "SELECT cost_fen FROM product"
                                        " WHERE barcode = '6921168509256'"),
                   ==, 125);
}

/* A bad row: nothing imported, no move written, no cost changed. */
static void
test_import_all_or_nothing (Fixture *f, gconstpointer data)
{
  g_assert_true (import_text (f, "first.csv", FIRST_CSV));
  g_assert_cmpint (store_int (f->store, "SELECT count (*) FROM stock_move"), ==, 3);

  g_assert_false (import_text (f, "bad.csv",
                               "barcode,name,price,cost,stock\n"
                               "6921168509256,农夫山泉 550ml,2.00,1.50,10\n"
                               "6928804011142,可口可乐,3.50,2.20,30\n"
                               "6900000000038,新品,5.00,3.00,很多\n"));
  g_assert_error (f->error, TILL_STORE_ERROR, TILL_STORE_ERROR_IMPORT);
  g_assert_nonnull (f->row_errors);
  g_assert_cmpuint (f->row_errors->len, ==, 1);
  g_assert_cmpint (store_int (f->store, "SELECT count (*) FROM stock_move"), ==, 3);
  g_assert_cmpint (level_of (f, "6921168509256"), ==, 48000);
  g_assert_cmpint (store_int (f->store, "SELECT cost_fen FROM product"
                                        " WHERE barcode = '6921168509256'"),
                   ==, 120);
  g_assert_cmpint (store_int (f->store, "SELECT track_stock FROM product"
                                        " WHERE barcode = '6928804011142'"),
                   ==, 0);

  /* a row refused inside the transaction (a new product without a price) rolls back the
   * moves of the rows before it */
  g_assert_false (import_text (f, "late.csv",
                               "barcode,name,stock\n"
                               "6921168509256,农夫山泉 550ml,7\n"
                               "6900000000038,新品,3\n"));
  g_assert_error (f->error, TILL_STORE_ERROR, TILL_STORE_ERROR_IMPORT);
  g_assert_cmpint (store_int (f->store, "SELECT count (*) FROM stock_move"), ==, 3);
  g_assert_cmpint (level_of (f, "6921168509256"), ==, 48000);
}

static char *
read_text (Fixture *f, const char *name)
{
  g_autofree char *path = test_dir_file (f->dir, name);
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  return contents;
}

static void
test_export_columns (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = test_dir_file (f->dir, "stock.csv");
  g_autofree char *text = NULL;
  gint64 category;
  guint n = 0;

  g_assert_true (import_text (f, "first.csv", FIRST_CSV));
  category = till_store_add_category (f->store, "饮料", "王经理", &error);
  g_assert_no_error (error);
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE product SET category_id = %" G_GINT64_FORMAT
                                            ", min_stock_milli = 60000"
                                            " WHERE barcode = '6921168509256'",
                                            category);
    g_autofree char *ignored = store_rows (f->store, sql);
  }
  /* selling below zero is allowed: the export shows the negative level, worth nothing */
  {
    TillReceivingLine line = { id_of (f, "6900000000014"), 1000, 900 };

    g_assert_cmpint (till_store_receive (f->store, "供货商", "王经理", &line, 1, &error), >, 0);
    g_assert_no_error (error);
    g_assert_true (import_text (f, "minus.csv", "barcode,stock\n6900000000014,-2\n"));
  }

  g_assert_true (till_store_export_stock_csv (f->store, path, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  text = read_text (f, "stock.csv");
  g_assert_cmpstr (text, ==,
                   "\xEF\xBB\xBF"
                   "barcode,plu,name,category,unit,stock,min,cost,value\r\n"
                   "6921168509256,,农夫山泉 550ml,饮料,瓶,48,60,1.20,57.60\r\n"
                   "6900000000014,,老干妈,,瓶,-2,0,9.00,0.00\r\n"
                   "6900000000021,,香蕉,,kg,12.5,0,4.00,50.00\r\n");
  g_assert_false (till_store_export_stock_csv (f->store, "/nonexistent/dir/x.csv", &n, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED);
}

/* The stock export imported back: no move, no product changed; exported again: the same. */
static void
test_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *one = test_dir_file (f->dir, "one.csv");
  g_autofree char *two = test_dir_file (f->dir, "two.csv");
  g_autofree char *catalog = test_dir_file (f->dir, "catalog.csv");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *text_one = NULL;
  g_autofree char *text_two = NULL;
  const char *products_sql = "SELECT id, barcode, plu, name, price_fen, unit, weighed, active,"
                             " open_price, track_stock, min_stock_milli, cost_fen FROM product"
                             " ORDER BY id";

  g_assert_true (import_text (f, "first.csv", FIRST_CSV));
  g_assert_true (till_store_export_stock_csv (f->store, one, NULL, &error));
  g_assert_no_error (error);
  before = store_rows (f->store, products_sql);
  text_one = read_text (f, "one.csv");
  g_assert_true (import_text (f, "one.csv", text_one));
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->summary.n_levels_set, ==, 3);
  g_assert_cmpuint (f->summary.n_stock_moves, ==, 0);
  after = store_rows (f->store, products_sql);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (store_int (f->store, "SELECT count (*) FROM stock_move"), ==, 3);
  g_assert_true (till_store_export_stock_csv (f->store, two, NULL, &error));
  text_two = read_text (f, "two.csv");
  g_assert_cmpstr (text_two, ==, text_one);

  /* and the catalog export, which has no stock column, leaves levels and costs alone */
  g_assert_true (till_store_export_catalog_csv (f->store, catalog, NULL, &error));
  g_assert_no_error (error);
  {
    g_autofree char *catalog_text = read_text (f, "catalog.csv");

    g_assert_true (import_text (f, "catalog.csv", catalog_text));
  }
  g_clear_pointer (&after, g_free);
  after = store_rows (f->store, products_sql);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (store_int (f->store, "SELECT count (*) FROM stock_move"), ==, 3);
}

static void
test_stock_fields (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) moves = NULL;
  TillProductStock stock = { 0 };
  gint64 water;

  g_assert_true (import_text (f, "first.csv", FIRST_CSV));
  water = id_of (f, "6921168509256");
  g_assert_true (till_store_get_product_stock (f->store, water, &stock, &error));
  g_assert_true (stock.track_stock);
  g_assert_cmpint (stock.level_milli, ==, 48000);
  g_assert_cmpint (stock.cost_fen, ==, 120);
  g_assert_cmpint (stock.min_stock_milli, ==, 0);

  /* a cost change and a minimum: no move, the level stays, one audit row */
  g_assert_true (
      till_store_save_product_stock (f->store, water, TRUE, 50000, 135, "王经理", &error));
  g_assert_no_error (error);
  g_assert_cmpint (store_int (f->store, "SELECT count (*) FROM stock_move"), ==, 3);
  g_assert_true (till_store_get_product_stock (f->store, water, &stock, &error));
  g_assert_cmpint (stock.level_milli, ==, 48000);
  g_assert_cmpint (stock.cost_fen, ==, 135);
  g_assert_cmpint (stock.min_stock_milli, ==, 50000);
  g_assert_cmpint (store_int (f->store, "SELECT count (*) FROM audit"
                                        " WHERE action = 'stock_settings' AND actor = '王经理'"),
                   ==, 1);
  /* now low on stock (48 < 50) */
  g_assert_cmpint (till_store_low_stock_count (f->store, &error), ==, 1);
  /* saving the same again is no change and no audit row */
  g_assert_true (
      till_store_save_product_stock (f->store, water, TRUE, 50000, 135, "王经理", &error));
  g_assert_cmpint (store_int (f->store, "SELECT count (*) FROM audit"
                                        " WHERE action = 'stock_settings'"),
                   ==, 1);
  /* refusals */
  g_assert_false (till_store_save_product_stock (f->store, water, TRUE, -1, 135, "王经理", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (till_store_save_product_stock (f->store, water, TRUE, 0, -5, "王经理", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (till_store_save_product_stock (f->store, 99999, TRUE, 0, 0, "王经理", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* the product and its stock fields in one transaction: a refused cost leaves the product's
   * new name unsaved too */
  {
    g_autoptr (TillProduct) product = till_store_get_product (f->store, water, NULL, &error);
    g_autofree char *name = NULL;

    g_assert_no_error (error);
    g_free (product->name);
    product->name = g_strdup ("农夫山泉 1.5L");
    g_assert_cmpint (
        till_store_save_product_with_stock (f->store, product, 0, 0, "王经理", TRUE, 0, -7, &error),
        ==, 0);
    g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
    g_clear_error (&error);
    name = store_text (f->store, "SELECT name FROM product WHERE barcode = '6921168509256'");
    g_assert_cmpstr (name, ==, "农夫山泉 550ml");
    g_assert_cmpint (store_int (f->store, "SELECT count (*) FROM audit"
                                          " WHERE action = 'product_change'"),
                     ==, 0);
    /* and accepted: both */
    g_assert_cmpint (till_store_save_product_with_stock (f->store, product, 0, 0, "王经理", TRUE,
                                                         50000, 140, &error),
                     ==, water);
    g_assert_no_error (error);
    g_clear_pointer (&name, g_free);
    name = store_text (f->store, "SELECT name || '|' || cost_fen FROM product"
                                 " WHERE barcode = '6921168509256'");
    g_assert_cmpstr (name, ==, "农夫山泉 1.5L|140");
    g_assert_cmpint (store_int (f->store, "SELECT count (*) FROM stock_move"), ==, 3);
  }

  /* the latest moves, newest first, at most `limit` */
  {
    TillReceivingLine line = { water, 24000, 130 };

    g_assert_cmpint (till_store_receive (f->store, "供货商", "李四", &line, 1, &error), >, 0);
    g_assert_no_error (error);
  }
  moves = till_store_list_stock_moves (f->store, water, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (moves->len, ==, 2);
  {
    TillStockMove *newest = g_ptr_array_index (moves, 0);
    TillStockMove *oldest = g_ptr_array_index (moves, 1);

    g_assert_cmpstr (newest->kind, ==, "receiving");
    g_assert_cmpint (newest->qty_milli, ==, 24000);
    g_assert_cmpstr (newest->who, ==, "李四");
    g_assert_true (g_str_has_prefix (newest->reference, "R"));
    g_assert_cmpstr (oldest->kind, ==, "adjustment");
    g_assert_cmpstr (oldest->reference, ==, "import:first.csv");
  }
  g_clear_pointer (&moves, g_ptr_array_unref);
  moves = till_store_list_stock_moves (f->store, water, 1, &error);
  g_assert_cmpuint (moves->len, ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/store/product-stock/import-sets-levels", Fixture, NULL, fixture_set_up,
              test_import_sets_levels, fixture_tear_down);
  g_test_add ("/store/product-stock/import-all-or-nothing", Fixture, NULL, fixture_set_up,
              test_import_all_or_nothing, fixture_tear_down);
  g_test_add ("/store/product-stock/export-columns", Fixture, NULL, fixture_set_up,
              test_export_columns, fixture_tear_down);
  g_test_add ("/store/product-stock/round-trip", Fixture, NULL, fixture_set_up, test_round_trip,
              fixture_tear_down);
  g_test_add ("/store/product-stock/fields", Fixture, NULL, fixture_set_up, test_stock_fields,
              fixture_tear_down);
  return g_test_run ();
}
