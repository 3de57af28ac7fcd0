/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CSV catalog import: good files in their many shapes, every kind of bad row reported
 * with its line, and all-or-nothing. */
#define G_LOG_DOMAIN "test-store-import"

#include "config.h"

#include "store-test-util.h"

typedef struct
{
  TestDir   *dir;
  TillStore *store;
  char      *csv;
  GPtrArray *row_errors;
  GError    *error;
  guint      n_imported;
  gint64     max_price_fen;   /* passed to the import; 0 = the store's default */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = test_dir_new ();
  f->store = test_store_open (f->dir);
  f->csv = test_dir_file (f->dir, "catalog.csv");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->row_errors, g_ptr_array_unref);
  g_clear_error (&f->error);
  g_clear_object (&f->store);
  g_free (f->csv);
  test_dir_free (f->dir);
}

static gboolean
import_text (Fixture    *f,
             const char *text,
             gssize      length)
{
  g_clear_pointer (&f->row_errors, g_ptr_array_unref);
  g_clear_error (&f->error);
  write_file (f->csv, text, length);
  return till_store_import_catalog_csv (f->store, f->csv, f->max_price_fen, &f->n_imported,
                                        &f->row_errors, &f->error);
}

/* "line: reason" for each error, joined by '\n'. */
static char *
errors_text (Fixture *f)
{
  GString *out = g_string_new (NULL);

  g_assert_nonnull (f->row_errors);
  for (guint i = 0; i < f->row_errors->len; i++)
    {
      TillImportError *e = g_ptr_array_index (f->row_errors, i);
      g_string_append_printf (out, "%u: %s\n", e->line, e->reason);
    }
  return g_string_free (out, FALSE);
}

static void
assert_rejected (Fixture    *f,
                 const char *text,
                 guint       line,
                 const char *reason_part)
{
  g_autofree char *all = NULL;
  gint64 before = till_store_count_products (f->store, NULL);

  g_assert_false (import_text (f, text, -1));
  g_assert_error (f->error, TILL_STORE_ERROR, TILL_STORE_ERROR_IMPORT);
  all = errors_text (f);
  g_test_message ("errors:\n%s", all);
  g_assert_cmpuint (f->row_errors->len, ==, 1);
  g_assert_cmpuint (((TillImportError *) g_ptr_array_index (f->row_errors, 0))->line, ==, line);
  g_assert_nonnull (strstr (all, reason_part));
  /* the cashier-facing message names the line too */
  {
    g_autofree char *line_text = g_strdup_printf ("line %u", line);
    g_assert_nonnull (strstr (f->error->message, line_text));
  }
  g_assert_cmpint (till_store_count_products (f->store, NULL), ==, before);
  g_assert_cmpuint (f->n_imported, ==, 0);
}

static TillProduct *
get (Fixture    *f,
     const char *barcode)
{
  g_autoptr(GError) error = NULL;
  TillProduct *product = till_store_lookup_barcode (f->store, barcode, &error);

  g_assert_no_error (error);
  return product;
}

/* ---------------------------------------------------------------- good files */

static void
test_good_simple (Fixture *f, gconstpointer data)
{
  g_autoptr(TillProduct) water = NULL;
  g_autoptr(TillProduct) cola = NULL;

  g_assert_true (import_text (f,
                              "barcode,name,price\n"
                              "6921168509256,农夫山泉饮用天然水 550ml,2.00\n"
                              "6954767001050,可口可乐 330ml,3\n", -1));
  g_assert_no_error (f->error);
  g_assert_null (f->row_errors);
  g_assert_cmpuint (f->n_imported, ==, 2);
  water = get (f, "6921168509256");
  g_assert_cmpstr (water->name, ==, "农夫山泉饮用天然水 550ml");
  g_assert_cmpint (water->price_fen, ==, 200);
  g_assert_cmpstr (water->unit, ==, "件");
  g_assert_false (water->weighed);
  g_assert_null (water->plu);
  cola = get (f, "6954767001050");
  g_assert_cmpint (cola->price_fen, ==, 300);
}

static void
test_good_quotes (Fixture *f, gconstpointer data)
{
  g_autoptr(TillProduct) a = NULL;
  g_autoptr(TillProduct) b = NULL;

  g_assert_true (import_text (f,
                              "barcode,name,price\n"
                              "6921168509256,\"水, 矿泉 \"\"优选\"\"\",\"2.50\"\n"
                              "\"6954767001050\",\"两行\n名字\",¥3.20\n", -1));
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->n_imported, ==, 2);
  a = get (f, "6921168509256");
  g_assert_cmpstr (a->name, ==, "水, 矿泉 \"优选\"");
  g_assert_cmpint (a->price_fen, ==, 250);
  b = get (f, "6954767001050");
  g_assert_cmpstr (b->name, ==, "两行\n名字");
  g_assert_cmpint (b->price_fen, ==, 320);
}

static void
test_good_crlf_bom_reordered (Fixture *f, gconstpointer data)
{
  g_autoptr(TillProduct) water = NULL;
  g_autoptr(TillProduct) banana = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (import_text (f,
                              "\xEF\xBB\xBF" "PLU,Price,Unit,NAME,Barcode\r\n"
                              "1001,2.00,瓶,农夫山泉,6921168509256\r\n"
                              "100001,6.98,kg,香蕉,\r\n"
                              "100002,11.96,千克,苹果,\r\n"
                              "100003,9.90,公斤,砂糖橘,\r\n"
                              "\r\n", -1));
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->n_imported, ==, 4);
  water = get (f, "6921168509256");
  g_assert_cmpstr (water->plu, ==, "1001");
  g_assert_cmpstr (water->unit, ==, "瓶");
  banana = till_store_lookup_plu (f->store, "100001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (banana->name, ==, "香蕉");
  g_assert_true (banana->weighed);
  g_assert_cmpstr (banana->unit, ==, "kg");
  g_assert_null (banana->barcode);
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM product WHERE weighed = 1"
                                        " AND unit = 'kg'"), ==, 3);
}

static void
test_good_no_final_newline_and_spaces (Fixture *f, gconstpointer data)
{
  g_autoptr(TillProduct) water = NULL;

  g_assert_true (import_text (f, " barcode , name , price \n 6921168509256 ,  水  , 2 ", -1));
  g_assert_no_error (f->error);
  water = get (f, "6921168509256");
  g_assert_cmpstr (water->name, ==, "水");
  g_assert_cmpint (water->price_fen, ==, 200);
}

static void
test_good_header_only (Fixture *f, gconstpointer data)
{
  g_assert_true (import_text (f, "barcode,name,price\n", -1));
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->n_imported, ==, 0);
}

static void
test_good_other_lengths (Fixture *f, gconstpointer data)
{
  /* UPC-A, EAN-8, GTIN-14 with check digits; a 10-digit in-store code */
  g_assert_true (import_text (f,
                              "barcode,name,price\n"
                              "036000291452,UPC-A,1\n"
                              "96385074,EAN-8,1\n"
                              "10012345678902,GTIN-14,1\n"
                              "2000012345,店内码,1\n", -1));
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->n_imported, ==, 4);
}

static void
test_reimport_updates (Fixture *f, gconstpointer data)
{
  g_autoptr(TillProduct) water = NULL;
  g_autoptr(TillProduct) egg = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (import_text (f,
                              "barcode,name,price,plu\n"
                              "6921168509256,水,2.00,\n"
                              ",茶叶蛋,1.50,8001\n", -1));
  g_assert_true (import_text (f,
                              "barcode,name,price,plu\n"
                              "6921168509256,农夫山泉 550ml,2.20,\n"
                              ",茶叶蛋 (五香),2.00,8001\n"
                              "6954767001050,可口可乐,3.00,\n", -1));
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->n_imported, ==, 3);
  g_assert_cmpint (till_store_count_products (f->store, NULL), ==, 3);
  water = get (f, "6921168509256");
  g_assert_cmpstr (water->name, ==, "农夫山泉 550ml");
  g_assert_cmpint (water->price_fen, ==, 220);
  egg = till_store_lookup_plu (f->store, "8001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (egg->name, ==, "茶叶蛋 (五香)");
}

/* ---------------------------------------------------------------- partial updates */

/* A shop's catalog: water by barcode with a PLU, rice by barcode sold by kg with a PLU,
 * bananas by PLU only (kg), ice by barcode and PLU. */
static void
import_full_catalog (Fixture *f)
{
  g_assert_true (import_text (f,
                              "barcode,name,price,unit,plu\n"
                              "6921168509256,农夫山泉 550ml,2.00,瓶,1001\n"
                              "6954767001050,散装大米,5.98,kg,300003\n"
                              ",香蕉,6.98,kg,100001\n"
                              "6925391000016,散装冰块 1kg,3.00,袋,8101\n", -1));
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->n_imported, ==, 4);
}

static TillProduct *
get_plu (Fixture    *f,
         const char *plu)
{
  g_autoptr(GError) error = NULL;
  TillProduct *product = till_store_lookup_plu (f->store, plu, &error);

  g_assert_no_error (error);
  return product;
}

static void
test_update_price_only_keeps_unit_and_plu (Fixture *f, gconstpointer data)
{
  g_autoptr(TillProduct) water = NULL;
  g_autoptr(TillProduct) rice = NULL;

  import_full_catalog (f);
  /* a price list without unit and plu columns */
  g_assert_true (import_text (f,
                              "barcode,name,price\n"
                              "6921168509256,农夫山泉 550ml,2.20\n"
                              "6954767001050,散装大米 (东北),6.50\n", -1));
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->n_imported, ==, 2);
  g_assert_cmpint (till_store_count_products (f->store, NULL), ==, 4);

  rice = get (f, "6954767001050");
  g_assert_cmpstr (rice->name, ==, "散装大米 (东北)");
  g_assert_cmpint (rice->price_fen, ==, 650);
  g_assert_cmpstr (rice->unit, ==, "kg");
  g_assert_true (rice->weighed);
  g_assert_cmpstr (rice->plu, ==, "300003");
  water = get (f, "6921168509256");
  g_assert_cmpint (water->price_fen, ==, 220);
  g_assert_cmpstr (water->unit, ==, "瓶");
  g_assert_false (water->weighed);
  g_assert_cmpstr (water->plu, ==, "1001");
}

static void
test_update_without_name_column (Fixture *f, gconstpointer data)
{
  g_autoptr(TillProduct) rice = NULL;
  g_autoptr(TillProduct) banana = NULL;

  import_full_catalog (f);
  /* only codes and prices: names, units and PLUs stay */
  g_assert_true (import_text (f, "barcode,price\n6954767001050,6.50\n", -1));
  g_assert_no_error (f->error);
  g_assert_true (import_text (f, "plu,price\n100001,7.98\n", -1));
  g_assert_no_error (f->error);

  rice = get (f, "6954767001050");
  g_assert_cmpstr (rice->name, ==, "散装大米");
  g_assert_cmpint (rice->price_fen, ==, 650);
  g_assert_cmpstr (rice->unit, ==, "kg");
  g_assert_true (rice->weighed);
  g_assert_cmpstr (rice->plu, ==, "300003");
  banana = get_plu (f, "100001");
  g_assert_cmpstr (banana->name, ==, "香蕉");
  g_assert_cmpint (banana->price_fen, ==, 798);
  g_assert_true (banana->weighed);
  g_assert_null (banana->barcode);
}

static void
test_update_empty_cells_keep (Fixture *f, gconstpointer data)
{
  g_autoptr(TillProduct) rice = NULL;
  g_autoptr(TillProduct) ice = NULL;
  g_autoptr(TillProduct) water = NULL;

  import_full_catalog (f);
  /* columns present, cells empty: the stored unit, PLU and barcode stay */
  g_assert_true (import_text (f,
                              "barcode,name,price,unit,plu\n"
                              "6954767001050,散装大米,6.50,,\n"
                              ",散装冰块 1kg,3.50,,8101\n"
                              "6921168509256,农夫山泉 550ml,2.00,件,\n", -1));
  g_assert_no_error (f->error);
  g_assert_cmpint (till_store_count_products (f->store, NULL), ==, 4);

  rice = get (f, "6954767001050");
  g_assert_cmpstr (rice->unit, ==, "kg");
  g_assert_true (rice->weighed);
  g_assert_cmpstr (rice->plu, ==, "300003");
  ice = get_plu (f, "8101");
  g_assert_cmpstr (ice->barcode, ==, "6925391000016");
  g_assert_cmpint (ice->price_fen, ==, 350);
  g_assert_cmpstr (ice->unit, ==, "袋");
  /* a unit given is a unit changed */
  water = get (f, "6921168509256");
  g_assert_cmpstr (water->unit, ==, "件");
  g_assert_cmpstr (water->plu, ==, "1001");
}

static void
test_update_unit_changes_weighed (Fixture *f, gconstpointer data)
{
  g_autoptr(TillProduct) rice = NULL;
  g_autoptr(TillProduct) water = NULL;

  import_full_catalog (f);
  g_assert_true (import_text (f,
                              "barcode,unit\n"
                              "6954767001050,袋\n"
                              "6921168509256,公斤\n", -1));
  g_assert_no_error (f->error);
  rice = get (f, "6954767001050");
  g_assert_cmpstr (rice->unit, ==, "袋");
  g_assert_false (rice->weighed);
  g_assert_cmpint (rice->price_fen, ==, 598);
  water = get (f, "6921168509256");
  g_assert_cmpstr (water->unit, ==, "kg");
  g_assert_true (water->weighed);
}

static void
test_new_product_needs_name_and_price (Fixture *f, gconstpointer data)
{
  import_full_catalog (f);
  /* 6921168509409 is not in the catalog: it cannot be created from a price alone */
  assert_rejected (f, "barcode,price\n6954767001050,6.50\n6921168509409,3.00\n", 3, "name");
  assert_rejected (f, "barcode,name\n6921168509409,茶\n", 2, "price");
  assert_rejected (f, "plu,price\n100001,7.98\n9999,1\n", 3, "name");
  /* nothing changed */
  {
    g_autoptr(TillProduct) rice = get (f, "6954767001050");
    g_assert_cmpint (rice->price_fen, ==, 598);
  }
}

static void
test_header_needs_code_and_data (Fixture *f, gconstpointer data)
{
  assert_rejected (f, "barcode\n6921168509256\n", 1, "column");
  assert_rejected (f, "unit,price\n瓶,2\n", 1, "“barcode”");
}

static void
test_reimport_equivalent_barcode (Fixture *f, gconstpointer data)
{
  g_autoptr(TillProduct) tissue = NULL;

  g_assert_true (import_text (f, "barcode,name,price\n036000291452,纸巾,12.90\n", -1));
  /* the same item in its EAN-13 form: updated, not duplicated */
  g_assert_true (import_text (f, "barcode,name,price\n0036000291452,纸巾,13.90\n", -1));
  g_assert_no_error (f->error);
  g_assert_cmpint (till_store_count_products (f->store, NULL), ==, 1);
  tissue = get (f, "036000291452");
  g_assert_cmpstr (tissue->barcode, ==, "036000291452");
  g_assert_cmpint (tissue->price_fen, ==, 1390);
  /* both forms in one file are one product twice */
  assert_rejected (f, "barcode,name,price\n036000291452,纸巾,1\n0036000291452,纸巾,2\n",
                   3, "036000291452");
}

/* ---------------------------------------------------------------- price bound */

static void
test_bad_price_absurd (Fixture *f, gconstpointer data)
{
  g_autoptr(TillProduct) water = NULL;

  g_assert_true (import_text (f, "barcode,name,price\n6921168509256,水,2\n", -1));
  /* G_MAXINT64 fen */
  assert_rejected (f, "barcode,name,price\n"
                      "6921168509256,水,2.50\n"
                      "6954767001050,可乐,92233720368547758.07\n",
                   3, "above the highest price allowed");
  g_assert_nonnull (strstr (((TillImportError *) g_ptr_array_index (f->row_errors, 0))->reason,
                            "max-price-fen"));
  /* one fen above the default bound of ¥99,999.99 */
  assert_rejected (f, "barcode,name,price\n6954767001050,可乐,100000.00\n", 2, "¥99999.99");
  /* all or nothing: the good row did not go in either */
  water = get (f, "6921168509256");
  g_assert_cmpint (water->price_fen, ==, 200);
}

static void
test_price_at_default_bound (Fixture *f, gconstpointer data)
{
  g_autoptr(TillProduct) gold = NULL;

  g_assert_true (import_text (f, "barcode,name,price\n6921168509256,金条,99999.99\n", -1));
  g_assert_no_error (f->error);
  gold = get (f, "6921168509256");
  g_assert_cmpint (gold->price_fen, ==, 9999999);
  g_assert_cmpint (gold->price_fen, ==, TILL_STORE_DEFAULT_MAX_PRICE_FEN);
}

static void
test_price_bound_from_caller (Fixture *f, gconstpointer data)
{
  g_autoptr(TillProduct) tea = NULL;

  /* what the command line passes from the setting max-price-fen */
  f->max_price_fen = 500;
  assert_rejected (f, "barcode,name,price\n6921168509409,茶,5.01\n", 2,
                   "price ¥5.01 is above the highest price allowed (¥5.00); change the "
                   "setting max-price-fen if this is right");
  g_assert_true (import_text (f, "barcode,name,price\n6921168509409,茶,5.00\n", -1));
  g_assert_no_error (f->error);
  tea = get (f, "6921168509409");
  g_assert_cmpint (tea->price_fen, ==, 500);

  /* a bound above the ceiling is the ceiling */
  f->max_price_fen = G_MAXINT64;
  assert_rejected (f, "barcode,name,price\n6921168509409,茶,100000000.00\n", 2,
                   "(¥99999999.99)");
  g_assert_true (import_text (f, "barcode,name,price\n6921168509409,茶,99999999.99\n", -1));
  g_assert_no_error (f->error);
}

static void
test_upsert_price_ceiling (Fixture *f, gconstpointer data)
{
  /* the API under the import (the demo catalog uses it) refuses absurd prices too */
  TillProduct absurd = { .barcode = "6921168509256", .name = "水", .price_fen = G_MAXINT64,
                         .active = TRUE };
  TillProduct top = { .barcode = "6921168509256", .name = "水",
                      .price_fen = TILL_STORE_PRICE_CEILING_FEN, .active = TRUE };
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (till_store_upsert_product (f->store, &absurd, &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_assert_cmpint (till_store_count_products (f->store, NULL), ==, 0);
  g_clear_error (&error);
  g_assert_cmpint (till_store_upsert_product (f->store, &top, &error), >, 0);
  g_assert_no_error (error);
}

/* ---------------------------------------------------------------- bad rows */

#define HEADER "barcode,name,price,unit,plu\n"

static void
test_bad_price (Fixture *f, gconstpointer data)
{
  assert_rejected (f, HEADER "6921168509256,水,2.00,,\n6954767001050,可乐,12.505,,\n",
                   3, "12.505");
  assert_rejected (f, HEADER "6921168509256,水,abc,,\n", 2, "abc");
  assert_rejected (f, HEADER "6921168509256,水,,,\n", 2, "price is empty");
  assert_rejected (f, HEADER "6921168509256,水,-1.00,,\n", 2, "negative");
}

static void
test_bad_name (Fixture *f, gconstpointer data)
{
  assert_rejected (f, HEADER "6921168509256,水,2,,\n6954767001050,  ,3,,\n", 3, "name is empty");
}

static void
test_bad_check_digit (Fixture *f, gconstpointer data)
{
  assert_rejected (f, HEADER "6921168509257,水,2,,\n", 2, "check digit");
  assert_rejected (f, HEADER "96385075,EAN-8,1,,\n", 2, "check digit");
  assert_rejected (f, HEADER "036000291453,UPC-A,1,,\n", 2, "check digit");
}

static void
test_bad_barcode_text (Fixture *f, gconstpointer data)
{
  assert_rejected (f, HEADER "69211685O9256,水,2,,\n", 2, "digits only");
  assert_rejected (f, HEADER "12345,短码,2,,\n", 2, "5 digits");
}

static void
test_bad_needs_code (Fixture *f, gconstpointer data)
{
  assert_rejected (f, HEADER ",无码,2,,\n", 2, "barcode or a plu");
  assert_rejected (f, HEADER ",坏码,2,,12a\n", 2, "1 to 7 digits");
}

static void
test_bad_duplicates (Fixture *f, gconstpointer data)
{
  assert_rejected (f, HEADER
                   "6921168509256,水,2,,\n"
                   "6954767001050,可乐,3,,\n"
                   "6921168509256,又是水,2,,\n",
                   4, "also on line 2");
  assert_rejected (f, HEADER
                   ",茶叶蛋,1.5,,8001\n"
                   ",包子,2,,8001\n",
                   3, "also on line 2");
}

static void
test_bad_column_count (Fixture *f, gconstpointer data)
{
  assert_rejected (f, "barcode,name,price\n6921168509256,水,2,extra\n", 2, "4 fields");
  assert_rejected (f, "barcode,name,price\n6921168509256,水\n", 2, "2 fields");
}

static void
test_bad_quote (Fixture *f, gconstpointer data)
{
  assert_rejected (f, "barcode,name,price\n6921168509256,\"水,2\n", 2, "not closed");
}

static void
test_bad_plu_taken_in_database (Fixture *f, gconstpointer data)
{
  TillProduct existing = { .barcode = "6954767001050", .plu = "1001", .name = "可乐",
                           .price_fen = 300, .active = TRUE };
  g_autoptr(GError) error = NULL;

  till_store_upsert_product (f->store, &existing, &error);
  g_assert_no_error (error);
  assert_rejected (f, HEADER "6921168509256,水,2,,\n6921168509409,茶,3,,1001\n", 3, "1001");
}

static void
test_bad_many_all_reported (Fixture *f, gconstpointer data)
{
  g_autofree char *all = NULL;

  g_assert_false (import_text (f,
                               HEADER
                               "6921168509256,水,2,,\n"           /* 2 ok */
                               "6921168509257,坏校验,2,,\n"        /* 3 */
                               "6954767001050,,3,,\n"             /* 4 */
                               "6925391000016,百事,x,,\n"          /* 5 */
                               "6921168509409,茶,3,,\n"           /* 6 ok */
                               ",无码,1,,\n"                       /* 7 */
                               "6921168509256,重复,2,,\n",         /* 8 */
                               -1));
  g_assert_error (f->error, TILL_STORE_ERROR, TILL_STORE_ERROR_IMPORT);
  all = errors_text (f);
  g_test_message ("errors:\n%s", all);
  g_assert_cmpuint (f->row_errors->len, ==, 5);
  g_assert_cmpuint (((TillImportError *) g_ptr_array_index (f->row_errors, 0))->line, ==, 3);
  g_assert_cmpuint (((TillImportError *) g_ptr_array_index (f->row_errors, 1))->line, ==, 4);
  g_assert_cmpuint (((TillImportError *) g_ptr_array_index (f->row_errors, 2))->line, ==, 5);
  g_assert_cmpuint (((TillImportError *) g_ptr_array_index (f->row_errors, 3))->line, ==, 7);
  g_assert_cmpuint (((TillImportError *) g_ptr_array_index (f->row_errors, 4))->line, ==, 8);
  g_assert_nonnull (strstr (f->error->message, "5 problems"));
  /* nothing imported, not even the good rows */
  g_assert_cmpint (till_store_count_products (f->store, NULL), ==, 0);
}

static void
test_bad_row_after_quoted_newline (Fixture *f, gconstpointer data)
{
  /* line numbers count physical lines, also inside quoted fields */
  assert_rejected (f,
                   "barcode,name,price\n"
                   "6921168509256,\"第一行\n第二行\n第三行\",2\n"
                   "6954767001050,可乐,zz\n",
                   5, "zz");
}

static void
test_bad_keeps_existing (Fixture *f, gconstpointer data)
{
  g_autoptr(TillProduct) water = NULL;

  g_assert_true (import_text (f, "barcode,name,price\n6921168509256,水,2\n", -1));
  /* a good row updating the product and a bad row: the update is not applied */
  g_assert_false (import_text (f, "barcode,name,price\n6921168509256,新水,9\n1,x,1\n", -1));
  water = get (f, "6921168509256");
  g_assert_cmpstr (water->name, ==, "水");
  g_assert_cmpint (water->price_fen, ==, 200);
}

/* ---------------------------------------------------------------- bad files */

static void
test_missing_column (Fixture *f, gconstpointer data)
{
  /* without a name column a file can only update: a new product is a bad row */
  assert_rejected (f, "barcode,title,price\n6921168509256,水,2\n", 2, "“name”");
  assert_rejected (f, "name,price\n水,2\n", 1, "“barcode”");
}

static void
test_duplicate_column (Fixture *f, gconstpointer data)
{
  assert_rejected (f, "barcode,name,price,Name\n6921168509256,水,2,x\n", 1, "twice");
}

static void
test_invalid_utf8 (Fixture *f, gconstpointer data)
{
  g_autofree char *name = NULL;

  /* GBK-encoded 你好 (0xC4 0xE3 0xBA 0xC3) on line 3: not UTF-8, so read as GB18030
   * (issue 15: what Excel and WPS save in China), which includes GBK */
  g_assert_true (import_text (f, "barcode,name,price\n6921168509256,ok,2\n"
                                 "6954767001050,\xC4\xE3\xBA\xC3,3\n", -1));
  name = store_text (f->store, "SELECT name FROM product WHERE barcode = '6954767001050'");
  g_assert_cmpstr (name, ==, "你好");
  /* 0xFF is text in neither: refused at its line */
  assert_rejected (f, "barcode,name,price\n6921168509256,ok,2\n6954767001050,\xC4\xFF,3\n",
                   3, "neither UTF-8 nor GB18030");
}

static void
test_empty_file (Fixture *f, gconstpointer data)
{
  assert_rejected (f, "", 1, "empty");
  assert_rejected (f, "\xEF\xBB\xBF", 1, "empty");
  assert_rejected (f, "\n\r\n\n", 1, "empty");
}

static void
test_nonexistent_file (Fixture *f, gconstpointer data)
{
  g_autofree char *missing = test_dir_file (f->dir, "missing.csv");
  GPtrArray *row_errors = (GPtrArray *) 0x1;
  guint n = 99;

  g_assert_false (till_store_import_catalog_csv (f->store, missing, 0, &n, &row_errors, &f->error));
  g_assert_error (f->error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_assert_null (row_errors);
  g_assert_cmpuint (n, ==, 0);
}

static void
test_null_out_arguments (Fixture *f, gconstpointer data)
{
  write_file (f->csv, "barcode,name,price\n6921168509256,水,2\n", -1);
  g_assert_true (till_store_import_catalog_csv (f->store, f->csv, 0, NULL, NULL, &f->error));
  g_assert_no_error (f->error);
  write_file (f->csv, "barcode,name,price\n6921168509256,水,x\n", -1);
  g_assert_false (till_store_import_catalog_csv (f->store, f->csv, 0, NULL, NULL, &f->error));
  g_assert_error (f->error, TILL_STORE_ERROR, TILL_STORE_ERROR_IMPORT);
}

static void
test_large_file (Fixture *f, gconstpointer data)
{
  g_autoptr(GString) text = g_string_new ("barcode,name,price,unit,plu\n");
  g_autoptr(TillProduct) last = NULL;
  char stem[13];

  for (guint i = 0; i < 20000; i++)
    {
      g_snprintf (stem, sizeof stem, "69%010u", i);
      g_string_append_printf (text, "%s%d,\"商品 %u\",%u.%02u,个,\n", stem,
                              till_barcode_gs1_check_digit (stem, 12), i, i / 100, i % 100);
    }
  g_assert_true (import_text (f, text->str, (gssize) text->len));
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->n_imported, ==, 20000);
  g_assert_cmpint (till_store_count_products (f->store, NULL), ==, 20000);
  g_snprintf (stem, sizeof stem, "69%010u", 19999);
  {
    g_autofree char *code = g_strdup_printf ("%s%d", stem, till_barcode_gs1_check_digit (stem, 12));
    last = get (f, code);
  }
  g_assert_cmpint (last->price_fen, ==, 19999);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/store/import/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("good/simple", test_good_simple);
  ADD ("good/quotes", test_good_quotes);
  ADD ("good/crlf-bom-reordered-weighed", test_good_crlf_bom_reordered);
  ADD ("good/spaces-no-final-newline", test_good_no_final_newline_and_spaces);
  ADD ("good/header-only", test_good_header_only);
  ADD ("good/other-lengths", test_good_other_lengths);
  ADD ("good/reimport-updates", test_reimport_updates);
  ADD ("good/large", test_large_file);
  ADD ("update/price-only-keeps-unit-and-plu", test_update_price_only_keeps_unit_and_plu);
  ADD ("update/without-name-column", test_update_without_name_column);
  ADD ("update/empty-cells-keep", test_update_empty_cells_keep);
  ADD ("update/unit-changes-weighed", test_update_unit_changes_weighed);
  ADD ("update/new-needs-name-and-price", test_new_product_needs_name_and_price);
  ADD ("update/equivalent-barcode", test_reimport_equivalent_barcode);
  ADD ("file/header-needs-code-and-data", test_header_needs_code_and_data);
  ADD ("price/absurd", test_bad_price_absurd);
  ADD ("price/at-default-bound", test_price_at_default_bound);
  ADD ("price/bound-from-caller", test_price_bound_from_caller);
  ADD ("price/upsert-ceiling", test_upsert_price_ceiling);
  ADD ("bad/price", test_bad_price);
  ADD ("bad/name", test_bad_name);
  ADD ("bad/check-digit", test_bad_check_digit);
  ADD ("bad/barcode-text", test_bad_barcode_text);
  ADD ("bad/needs-code", test_bad_needs_code);
  ADD ("bad/duplicates", test_bad_duplicates);
  ADD ("bad/column-count", test_bad_column_count);
  ADD ("bad/unclosed-quote", test_bad_quote);
  ADD ("bad/plu-taken", test_bad_plu_taken_in_database);
  ADD ("bad/many-all-reported", test_bad_many_all_reported);
  ADD ("bad/line-after-quoted-newline", test_bad_row_after_quoted_newline);
  ADD ("bad/keeps-existing", test_bad_keeps_existing);
  ADD ("file/missing-column", test_missing_column);
  ADD ("file/duplicate-column", test_duplicate_column);
  ADD ("file/invalid-utf8", test_invalid_utf8);
  ADD ("file/empty", test_empty_file);
  ADD ("file/nonexistent", test_nonexistent_file);
  ADD ("file/null-out-arguments", test_null_out_arguments);

  return g_test_run ();
}
