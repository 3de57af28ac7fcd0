/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CSV as shops make them (tests/fixtures/catalog-*.csv): GB18030 from Excel or WPS
 * (made with iconv from the UTF-8 fixture), UTF-8 with a BOM and CRLF, CR line ends,
 * Chinese headers, quoted fields with commas, quotes and line breaks, cost and stock
 * applied (the level by one adjustment move), every bad row listed with its column, a garbled file refused
 * at its first bad line; and the export, whose import changes nothing. */
#define G_LOG_DOMAIN "test-store-csv"

#include "config.h"

#include "store-test-util.h"

#define PRODUCTS_SQL \
  "SELECT id, barcode, plu, name, price_fen, unit, weighed, active, open_price" \
  " FROM product ORDER BY id"

typedef struct
{
  TestDir          *dir;
  TillStore        *store;
  TillImportSummary summary;
  GPtrArray        *row_errors;
  GError           *error;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = test_dir_new ();
  f->store = test_store_open (f->dir);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  till_import_summary_clear (&f->summary);
  g_clear_pointer (&f->row_errors, g_ptr_array_unref);
  g_clear_error (&f->error);
  g_clear_object (&f->store);
  test_dir_free (f->dir);
}

static char *
fixture_path (const char *name)
{
  return g_build_filename (g_getenv ("TILL_TEST_SRCDIR"), "tests", "fixtures", name, NULL);
}

static gboolean
import_path (Fixture    *f,
             const char *path)
{
  till_import_summary_clear (&f->summary);
  g_clear_pointer (&f->row_errors, g_ptr_array_unref);
  g_clear_error (&f->error);
  return till_store_import_catalog_csv_full (f->store, path, 0, &f->summary, &f->row_errors,
                                             &f->error);
}

static gboolean
import_fixture (Fixture    *f,
                const char *name)
{
  g_autofree char *path = fixture_path (name);

  return import_path (f, path);
}

/* "line column: reason" per error */
static char *
errors_text (Fixture *f)
{
  GString *out = g_string_new (NULL);

  g_assert_nonnull (f->row_errors);
  for (guint i = 0; i < f->row_errors->len; i++)
    {
      TillImportError *e = g_ptr_array_index (f->row_errors, i);

      g_string_append_printf (out, "%u %s: %s\n", e->line, e->column ? e->column : "-",
                              e->reason);
    }
  return g_string_free (out, FALSE);
}

static const char *zh_expected =
  "1|6921168509256|NULL|农夫山泉 550ml|200|瓶|0|1|0\n"
  "2|6928804011142|NULL|可口可乐, 330ml 罐装|350|罐|0|1|0\n"
  "3|6900000000014|NULL|“老干妈”辣酱 \"风味豆豉\"|1280|瓶|0|1|0\n"
  "4|6900000000021|NULL|中秋月饼礼盒\r\n（双黄莲蓉）|16800|盒|0|1|0\n"
  "5|NULL|100001|香蕉|698|kg|1|1|0\n"
  "6|6900000000038|2001|𠮷野家饭团|500|个|0|1|0\n";

static void
assert_zh_catalog (Fixture *f)
{
  g_autofree char *rows = store_rows (f->store, PRODUCTS_SQL);

  g_assert_no_error (f->error);
  g_assert_cmpuint (f->summary.n_imported, ==, 6);
  g_assert_cmpstr (rows, ==, zh_expected);
  /* cost (进价) and stock (库存) are applied: the costs stored, and each of the five rows
   * with a stock cell sets its product's level, by one move each except 饭团's 0 */
  g_assert_cmpuint (f->summary.n_levels_set, ==, 5);
  g_assert_cmpuint (f->summary.n_stock_moves, ==, 4);
  g_assert_cmpstr (f->summary.note, ==, "Stock levels set for 5 products (4 stock moves).");
  {
    g_autofree char *stock = store_rows (f->store,
      "SELECT p.id, p.track_stock, p.cost_fen, COALESCE (SUM (m.qty_milli), 0),"
      "       count (m.id) FROM product p LEFT JOIN stock_move m ON m.product_id = p.id"
      " GROUP BY p.id ORDER BY p.id");

    g_assert_cmpstr (stock, ==,
                     "1|1|120|48000|1\n"
                     "2|1|210|24000|1\n"
                     "3|1|900|6000|1\n"
                     "4|0|NULL|0|0\n"
                     "5|1|400|12500|1\n"
                     "6|1|300|0|0\n");
  }
}

static void
test_utf8 (Fixture       *f,
           gconstpointer  data)
{
  g_assert_true (import_fixture (f, "catalog-zh-utf8.csv"));
  g_assert_cmpstr (f->summary.encoding, ==, "UTF-8");
  assert_zh_catalog (f);
}

static void
test_gb18030 (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = fixture_path ("catalog-zh-gb18030.csv");
  g_autofree char *bytes = NULL;
  gsize length = 0;

  /* the fixture really is GB18030: not UTF-8, with a 4-byte sequence (𠮷) */
  g_assert_true (g_file_get_contents (path, &bytes, &length, NULL));
  g_assert_false (g_utf8_validate_len (bytes, length, NULL));
  g_assert_nonnull (g_strstr_len (bytes, (gssize) length, "\x95\x34\xB2\x35"));

  g_assert_true (import_path (f, path));
  g_assert_cmpstr (f->summary.encoding, ==, "GB18030");
  assert_zh_catalog (f);
}

static void
test_bom_crlf (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *rows = NULL;

  g_assert_true (import_fixture (f, "catalog-bom-crlf.csv"));
  g_assert_no_error (f->error);
  g_assert_cmpstr (f->summary.encoding, ==, "UTF-8 with BOM");
  g_assert_null (f->summary.note);
  rows = store_rows (f->store, PRODUCTS_SQL);
  g_assert_cmpstr (rows, ==,
                   "1|6921168509256|NULL|农夫山泉|200|瓶|0|1|0\n"
                   "2|NULL|3001|散装糖果|0|件|0|1|1\n");
}

static void
test_cr (Fixture       *f,
         gconstpointer  data)
{
  g_autofree char *rows = NULL;

  g_assert_true (import_fixture (f, "catalog-cr.csv"));
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->summary.n_imported, ==, 2);
  rows = store_rows (f->store, PRODUCTS_SQL);
  g_assert_cmpstr (rows, ==,
                   "1|6921168509256|NULL|农夫山泉|200|瓶|0|1|0\n"
                   "2|6928804011142|NULL|可口可乐|350|罐|0|1|0\n");
}

static void
test_bad_rows (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *text = NULL;

  g_assert_false (import_fixture (f, "catalog-bad-rows.csv"));
  g_assert_error (f->error, TILL_STORE_ERROR, TILL_STORE_ERROR_IMPORT);
  /* the message names the encoding and the first rows with their columns */
  g_assert_true (strstr (f->error->message, "8 problems in the file, read as UTF-8") != NULL);
  g_assert_true (strstr (f->error->message, "line 3, column “商品名称”: the name is empty")
                 != NULL);
  g_assert_cmpstr (f->summary.encoding, ==, "UTF-8");
  text = errors_text (f);
  g_assert_cmpstr (text, ==,
                   "3 商品名称: the name is empty\n"
                   "4 条码: barcode 6900000000015 has a wrong check digit\n"
                   "5 零售价: price “12.505”: “12.505” has more than two decimals. "
                   "The smallest amount is 0.01.\n"
                   "6 PLU: plu “12345678” must be 1 to 7 digits\n"
                   "7 成本: cost “-1.00” must be from 0 to 99,999,999.99\n"
                   "8 库存数量: stock “很多” must be a number with at most three decimals "
                   "(“12”, “1.5”)\n"
                   "9 条码: barcode 6921168509256 is also on line 2\n"
                   "10 -: the row has 3 fields, the header has 7\n");
  /* all or nothing: the good row 2 is not in */
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM product"), ==, 0);
}

static void
test_garbled (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *text = NULL;

  g_assert_false (import_fixture (f, "catalog-garbled.csv"));
  g_assert_error (f->error, TILL_STORE_ERROR, TILL_STORE_ERROR_IMPORT);
  g_assert_null (f->summary.encoding);
  text = errors_text (f);
  g_assert_cmpstr (text, ==,
                   "3 -: the file is neither UTF-8 nor GB18030 (GBK): this line has bytes "
                   "that are text in neither; save the file as “CSV UTF-8”\n");
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM product"), ==, 0);
}

/* A BOM says UTF-8: a GBK row after it is not read as GB18030 but refused at its line. */
static void
test_bom_then_gbk (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = test_dir_file (f->dir, "mixed.csv");
  g_autofree char *text = NULL;

  write_file (path, "\xEF\xBB\xBF" "barcode,name,price\n6921168509256,ok,2\n"
              "6928804011142,\xC4\xE3\xBA\xC3,3\n", -1);
  g_assert_false (import_path (f, path));
  text = errors_text (f);
  g_assert_true (g_str_has_prefix (text, "3 -: the file starts as UTF-8"));
}

/* A barcode column Excel saved as numbers (6.92117E+12) is refused with what happened. */
static void
test_scientific_barcode (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *path = test_dir_file (f->dir, "excel.csv");
  g_autofree char *text = NULL;

  write_file (path, "条码,名称,售价\r\n6.92117E+12,农夫山泉,2.00\r\n", -1);
  g_assert_false (import_path (f, path));
  text = errors_text (f);
  g_assert_cmpstr (text, ==,
                   "2 条码: barcode “6.92117E+12” was turned into a number by the spreadsheet "
                   "(its digits are lost); format the column as text, type the barcodes again "
                   "and save\n");
}

/* Excel's "Unicode text" is UTF-16: refused with what to do. */
static void
test_utf16 (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *path = test_dir_file (f->dir, "utf16.csv");
  g_autofree char *text = NULL;

  write_file (path, "\xFF\xFE" "b\0a\0r\0", 8);
  g_assert_false (import_path (f, path));
  text = errors_text (f);
  g_assert_true (strstr (text, "UTF-16") != NULL);
}

/* Odd bytes and shapes never crash and never half-import. */
static void
test_robust (Fixture       *f,
             gconstpointer  data)
{
  static const struct { const char *bytes; gssize length; } cases[] = {
    { "", 0 },
    { "\"", 1 },
    { "barcode,name,price\n\"6921168509256", -1 },
    { "barcode,name,price\r\r\r6921168509256,x\r\r", -1 },
    { "barcode\0name", 12 },
    { "\x84\x31\x95\x33" "barcode,name,price\n6921168509256,\xC4\xE3,-1\n", -1 },
    { "barcode,name,price\n6921168509256,\"a\"b,2\n", -1 },
    { "\r\n\r\n,,,,,,,,\r", -1 },
    { "\xC4", 1 },
  };
  g_autofree char *path = test_dir_file (f->dir, "odd.csv");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      write_file (path, cases[i].bytes, cases[i].length);
      g_assert_false (import_path (f, path));
      g_assert_nonnull (f->error);
      g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM product"), ==, 0);
    }
}

/* A large import (over 1,000 rows) runs with a larger page cache and its statement
 * journals in memory, and sets both back afterwards, also when it is refused. */
static void
test_large_pragmas (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = test_dir_file (f->dir, "large.csv");
  g_autoptr(GString) csv = g_string_new ("plu,name,price\n");
  gint64 cache_size = store_int (f->store, "PRAGMA cache_size");
  gint64 temp_store = store_int (f->store, "PRAGMA temp_store");

  for (guint i = 1; i <= 1500; i++)
    g_string_append_printf (csv, "%u,商品 %u,%u.%02u\n", i, i, i / 100, i % 100);
  write_file (path, csv->str, -1);
  g_assert_true (import_path (f, path));
  g_assert_cmpuint (f->summary.n_imported, ==, 1500);
  g_assert_cmpint (store_int (f->store, "SELECT sum(price_fen) FROM product"), ==,
                   1500 * 1501 / 2);
  g_assert_cmpint (store_int (f->store, "PRAGMA cache_size"), ==, cache_size);
  g_assert_cmpint (store_int (f->store, "PRAGMA temp_store"), ==, temp_store);

  /* refused inside the transaction (a new PLU in a file without names): the same */
  g_string_assign (csv, "plu,price\n");
  for (guint i = 1; i <= 1500; i++)
    g_string_append_printf (csv, "%u,1.00\n", i);
  g_string_append (csv, "9999999,1.00\n");
  write_file (path, csv->str, -1);
  g_assert_false (import_path (f, path));
  g_assert_cmpuint (f->row_errors->len, ==, 1);
  g_assert_cmpint (store_int (f->store, "SELECT sum(price_fen) FROM product"), ==,
                   1500 * 1501 / 2);
  g_assert_cmpint (store_int (f->store, "PRAGMA cache_size"), ==, cache_size);
  g_assert_cmpint (store_int (f->store, "PRAGMA temp_store"), ==, temp_store);
}

/* export -> import changes nothing; export again gives the same bytes */
static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *out1 = test_dir_file (f->dir, "export1.csv");
  g_autofree char *out2 = test_dir_file (f->dir, "export2.csv");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *bytes1 = NULL;
  g_autofree char *bytes2 = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_true (import_fixture (f, "catalog-zh-gb18030.csv"));
  g_assert_true (import_fixture (f, "catalog-bom-crlf.csv"));
  /* an inactive product is not exported, and stays inactive */
  till_store_lock (f->store);
  raw_exec (till_store_get_db (f->store),
            "UPDATE product SET active = 0 WHERE barcode = '6900000000038'");
  till_store_unlock (f->store);
  before = store_rows (f->store, PRODUCTS_SQL);

  g_assert_true (till_store_export_catalog_csv (f->store, out1, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 6);
  g_assert_true (g_file_get_contents (out1, &bytes1, NULL, NULL));
  g_assert_cmpstr (bytes1, ==,
                   "\xEF\xBB\xBF" "barcode,name,price,unit,plu,open_price\r\n"
                   "6921168509256,农夫山泉,2.00,瓶,,0\r\n"
                   "6928804011142,\"可口可乐, 330ml 罐装\",3.50,罐,,0\r\n"
                   "6900000000014,\"“老干妈”辣酱 \"\"风味豆豉\"\"\",12.80,瓶,,0\r\n"
                   "6900000000021,\"中秋月饼礼盒\r\n（双黄莲蓉）\",168.00,盒,,0\r\n"
                   ",香蕉,6.98,kg,100001,0\r\n"
                   ",散装糖果,0.00,件,3001,1\r\n");

  g_assert_true (import_path (f, out1));
  g_assert_cmpstr (f->summary.encoding, ==, "UTF-8 with BOM");
  g_assert_cmpuint (f->summary.n_imported, ==, 6);
  after = store_rows (f->store, PRODUCTS_SQL);
  g_assert_cmpstr (after, ==, before);

  g_assert_true (till_store_export_catalog_csv (f->store, out2, &n, &error));
  g_assert_true (g_file_get_contents (out2, &bytes2, NULL, NULL));
  g_assert_cmpstr (bytes2, ==, bytes1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/store/csv/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("utf8-chinese-headers", test_utf8);
  ADD ("gb18030", test_gb18030);
  ADD ("bom-crlf", test_bom_crlf);
  ADD ("cr", test_cr);
  ADD ("bad-rows-all-listed", test_bad_rows);
  ADD ("garbled", test_garbled);
  ADD ("bom-then-gbk", test_bom_then_gbk);
  ADD ("utf16", test_utf16);
  ADD ("scientific-barcode", test_scientific_barcode);
  ADD ("robust", test_robust);
  ADD ("large-pragmas", test_large_pragmas);
  ADD ("round-trip", test_round_trip);
#undef ADD
  return g_test_run ();
}
