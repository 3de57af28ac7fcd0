/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Discounts on real files: a discounted sale saved, reloaded and completed keeps every
 * line's amounts (the sum of the lines is the total, stored and reloaded); the pricing
 * audit rows; a discounted sale suspended and resumed (挂单 / 取单) comes back with its
 * discounts, override and 抹零; the report's discounts and overrides by cashier and by product (text, CSV,
 * JSON), figures checked to the fen. */
#define G_LOG_DOMAIN "test-store-discounts"
#include "config.h"

#include "store-test-util.h"
#include "till-store-discounts.h"
#include "till-store-reports.h"
#include "till-store-suspend.h"

static TillSaleLine *
counted (gint64      id,
         const char *name,
         gint64      price,
         gint64      qty)
{
  return till_sale_line_new (id, NULL, name, "pc", price, qty, FALSE);
}

/* A paid sale by `cashier` (cash, to the fen), closed now. */
static TillSale *
paid_sale (TillStore  *store,
           const char *number,
           const char *cashier,
           TillSale   *sale)
{
  g_autoptr(GError) error = NULL;

  till_sale_set_opened_at (sale, till_store_now_us ());
  g_assert_true (till_store_save_sale (store, sale, cashier, "T1", &error));
  g_assert_no_error (error);
  g_assert_true (till_store_complete_cash_sale (store, sale, till_sale_get_total_fen (sale),
                                                &error));
  g_assert_no_error (error);
  return sale;
}

static void
test_saved_and_reloaded (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(TillSale) sale = till_sale_new ("20261203-0001");
  g_autoptr(TillSale) loaded = NULL;
  g_autoptr(TillSaleLine) a = counted (0, "Tea", 333, 3000);
  g_autoptr(TillSaleLine) b = counted (0, "Cake", 2500, 1000);
  g_autoptr(TillSaleLine) c = counted (0, "Bag", 50, 1000);
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;

  till_sale_set_total_rounding (sale, TILL_TOTAL_ROUNDING_JIAO);
  till_sale_add_line (sale, a, NULL);
  till_sale_add_line (sale, b, NULL);
  till_sale_add_line (sale, c, NULL);
  g_assert_true (till_sale_set_line_discount (sale, 0, TILL_DISCOUNT_AMOUNT, 99, NULL));
  g_assert_true (till_sale_set_line_price (sale, 1, 2000, NULL));
  g_assert_true (till_sale_set_discount (sale, TILL_DISCOUNT_PERCENT, 750, NULL));
  /* 999 − 99 = 900; 2000; 50: 2950 less 7.5 % (221.25 → 221) = 2729 → 抹零 2720 */
  g_assert_cmpint (till_sale_get_discount_fen (sale), ==, 221);
  g_assert_cmpint (till_sale_get_rounding_fen (sale), ==, 9);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 2720);
  paid_sale (store, "20261203-0001", "小王", sale);

  rows = store_rows (store, "SELECT position, unit_price_fen, original_price_fen, discount_kind,"
                            " discount_value, discount_fen, sale_discount_fen, final_fen"
                            " FROM sale_line ORDER BY position");
  g_test_message ("%s", rows);
  g_assert_cmpint (store_int (store, "SELECT sum (final_fen) FROM sale_line"), ==, 2720);
  g_assert_cmpint (store_int (store, "SELECT sum (sale_discount_fen) FROM sale_line"), ==, 230);
  g_assert_cmpint (store_int (store, "SELECT total_fen FROM sale"), ==, 2720);
  g_clear_pointer (&rows, g_free);
  rows = store_rows (store, "SELECT state, discount_kind, discount_value, discount_fen,"
                            " total_rounding, rounding_fen FROM sale");
  g_assert_cmpstr (rows, ==, "paid|percent|750|221|jiao|9\n");

  loaded = till_store_load_sale (store, till_sale_get_id (sale), &error);
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_state (loaded), ==, TILL_SALE_STATE_PAID);
  g_assert_cmpint (till_sale_get_total_fen (loaded), ==, 2720);
  for (guint i = 0; i < 3; i++)
    {
      TillSaleLine *x = till_sale_get_line (sale, i);
      TillSaleLine *y = till_sale_get_line (loaded, i);

      g_assert_cmpint (till_sale_line_get_final_fen (x), ==, till_sale_line_get_final_fen (y));
      g_assert_cmpint (till_sale_line_get_original_unit_price_fen (x), ==,
                       till_sale_line_get_original_unit_price_fen (y));
    }
  g_assert_cmpint (till_sale_get_saved_fen (loaded), ==, 999 + 2500 + 50 - 2720);
}

/* 挂单 / 取单 of a discounted sale: suspended, resumed after another sale was opened, it
 * comes back with every line's original price, discount, share and final amount. */
static void
test_suspended_and_resumed (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(TillSale) sale = till_sale_new ("20261203-0002");
  g_autoptr(TillSale) next = till_sale_new ("20261203-0003");
  g_autoptr(TillSale) resumed = NULL;
  g_autoptr(TillSaleLine) a = counted (0, "Tea", 333, 3000);
  g_autoptr(TillSaleLine) b = counted (0, "Cake", 2500, 1000);
  g_autoptr(GError) error = NULL;

  till_sale_set_total_rounding (sale, TILL_TOTAL_ROUNDING_YUAN);
  till_sale_add_line (sale, a, NULL);
  till_sale_add_line (sale, b, NULL);
  g_assert_true (till_sale_set_line_discount (sale, 0, TILL_DISCOUNT_PERCENT, 1000, NULL));
  g_assert_true (till_sale_set_line_price (sale, 1, 2200, NULL));
  g_assert_true (till_sale_set_discount (sale, TILL_DISCOUNT_AMOUNT, 150, NULL));
  /* 999 less 10 % (99.9 → 100) = 899; 2200; 3099 − 150 = 2949 → 抹零 2900 */
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 2900);
  till_sale_set_opened_at (sale, till_store_now_us ());
  g_assert_true (till_store_save_sale (store, sale, "小王", "T1", &error));
  g_assert_no_error (error);
  g_assert_true (till_store_suspend_sale (store, sale, "小王", "T1", &error));
  g_assert_no_error (error);

  till_sale_set_opened_at (next, till_store_now_us ());
  g_assert_true (till_store_save_sale (store, next, "小王", "T1", &error));
  g_assert_no_error (error);
  resumed = till_store_resume_sale (store, till_sale_get_id (sale), next, "小王", "T1", NULL,
                                    &error);
  g_assert_no_error (error);
  g_assert_nonnull (resumed);
  g_assert_cmpint (till_sale_get_total_fen (resumed), ==, 2900);
  g_assert_cmpint (till_sale_get_discount_fen (resumed), ==, till_sale_get_discount_fen (sale));
  g_assert_cmpint (till_sale_get_rounding_fen (resumed), ==, till_sale_get_rounding_fen (sale));
  g_assert_cmpint (till_sale_get_saved_fen (resumed), ==, 999 + 2500 - 2900);
  for (guint i = 0; i < 2; i++)
    {
      TillSaleLine *x = till_sale_get_line (sale, i);
      TillSaleLine *y = till_sale_get_line (resumed, i);

      g_assert_cmpint (till_sale_line_get_final_fen (y), ==, till_sale_line_get_final_fen (x));
      g_assert_cmpint (till_sale_line_get_original_unit_price_fen (y), ==,
                       till_sale_line_get_original_unit_price_fen (x));
      g_assert_cmpint (till_sale_line_get_unit_price_fen (y), ==,
                       till_sale_line_get_unit_price_fen (x));
    }
  g_assert_cmpint (store_int (store, "SELECT sum (final_fen) FROM sale_line l JOIN sale s"
                                     " ON s.id = l.sale_id WHERE s.state = 'open'"), ==, 2900);
}

static void
test_audit_row (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  TillPricingChange change = {
    .action = TILL_PRICING_PRICE_OVERRIDE, .sale_number = "20261203-0002", .line = 1,
    .product_id = 7, .name = "可口可乐 \"500ml\"", .kind = TILL_DISCOUNT_NONE,
    .before_fen = 350, .after_fen = 300, .manager_id = 3, .manager = "王店长",
  };

  g_assert_true (till_store_record_pricing (store, "小王", &change, &error));
  g_assert_no_error (error);
  detail = store_text (store, "SELECT actor || ' ' || action || ' ' || detail_json FROM audit"
                              " WHERE action = 'price_override'");
  g_assert_cmpstr (detail, ==,
                   "小王 price_override {\"sale\":\"20261203-0002\",\"line\":1,\"product_id\":7,"
                   "\"name\":\"可口可乐 \\\"500ml\\\"\",\"kind\":\"none\",\"value\":0,"
                   "\"before_fen\":350,\"after_fen\":300,\"manager_id\":3,"
                   "\"manager\":\"王店长\"}");
}

static void
test_report_figures (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(TillSale) s1 = till_sale_new ("20261203-0011");
  g_autoptr(TillSale) s2 = till_sale_new ("20261203-0012");
  g_autoptr(TillSale) s3 = till_sale_new ("20261203-0013");
  g_autoptr(TillSaleLine) tea1 = counted (0, "Tea", 1000, 2000);
  g_autoptr(TillSaleLine) cake1 = counted (0, "Cake", 3000, 1000);
  g_autoptr(TillSaleLine) tea2 = counted (0, "Tea", 1000, 1000);
  g_autoptr(TillSaleLine) plain = counted (0, "Water", 200, 1000);
  g_autoptr(TillReport) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  TillReportPricing *p;
  gint64 now = till_store_now_us ();

  /* 小王: Tea 2 × ¥10 less 10 % (200), Cake overridden ¥30 → ¥25 (500 off) */
  till_sale_add_line (s1, tea1, NULL);
  till_sale_add_line (s1, cake1, NULL);
  g_assert_true (till_sale_set_line_discount (s1, 0, TILL_DISCOUNT_PERCENT, 1000, NULL));
  g_assert_true (till_sale_set_line_price (s1, 1, 2500, NULL));
  paid_sale (store, NULL, "小王", s1);
  /* 小李: Tea ¥10 + Water ¥2, ¥1.20 off the sale: 100 + 20 */
  till_sale_add_line (s2, tea2, NULL);
  till_sale_add_line (s2, plain, NULL);
  g_assert_true (till_sale_set_discount (s2, TILL_DISCOUNT_AMOUNT, 120, NULL));
  paid_sale (store, NULL, "小李", s2);
  /* 小李 again, nothing off: not in the lists */
  {
    g_autoptr(TillSaleLine) w = counted (0, "Water", 200, 1000);

    till_sale_add_line (s3, w, NULL);
    paid_sale (store, NULL, "小李", s3);
  }

  r = till_store_report_period (store, now - G_USEC_PER_SEC * G_GINT64_CONSTANT (3600),
                                now + G_USEC_PER_SEC * G_GINT64_CONSTANT (3600),
                                "today", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->gross_fen, ==, 1800 + 2500 + 1080 + 200);
  g_assert_cmpint (r->discounts_fen, ==, 200 + 120);
  g_assert_cmpint (r->overrides_fen, ==, 500);

  g_assert_cmpuint (r->pricing_cashiers->len, ==, 2);
  p = g_ptr_array_index (r->pricing_cashiers, 0);
  g_assert_cmpstr (p->name, ==, "小王");
  g_assert_cmpuint (p->n_discounts, ==, 1);
  g_assert_cmpint (p->discount_fen, ==, 200);
  g_assert_cmpuint (p->n_overrides, ==, 1);
  g_assert_cmpint (p->override_fen, ==, 500);
  p = g_ptr_array_index (r->pricing_cashiers, 1);
  g_assert_cmpstr (p->name, ==, "小李");
  g_assert_cmpuint (p->n_discounts, ==, 2);
  g_assert_cmpint (p->discount_fen, ==, 120);
  g_assert_cmpuint (p->n_overrides, ==, 0);

  /* by product: Tea 200 + 100 (2 lines), Water 20 (1 of its 2 lines), Cake overridden */
  g_assert_cmpuint (r->pricing_products->len, ==, 3);
  p = g_ptr_array_index (r->pricing_products, 0);
  g_assert_cmpstr (p->name, ==, "Tea");
  g_assert_cmpuint (p->n_discounts, ==, 2);
  g_assert_cmpint (p->discount_fen, ==, 300);
  p = g_ptr_array_index (r->pricing_products, 1);
  g_assert_cmpstr (p->name, ==, "Water");
  g_assert_cmpint (p->discount_fen, ==, 20);
  p = g_ptr_array_index (r->pricing_products, 2);
  g_assert_cmpstr (p->name, ==, "Cake");
  g_assert_cmpuint (p->n_discounts, ==, 0);
  g_assert_cmpint (p->override_fen, ==, 500);

  /* the products' sales are what the customers paid */
  for (guint i = 0; i < r->products->len; i++)
    {
      TillReportProduct *prod = g_ptr_array_index (r->products, i);

      if (g_str_equal (prod->name, "Tea"))
        g_assert_cmpint (prod->amount_fen, ==, 1800 + 900);
    }

  text = till_report_to_text (r);
  g_assert_nonnull (strstr (text, "Discounts by cashier"));
  g_assert_nonnull (strstr (text, "小王: price overrides"));
  csv = till_report_to_csv (r, NULL);
  g_assert_nonnull (strstr (csv, "\"Discounts by cashier\",\"小王\",\"1\",\"2.00\",\"discount\""));
  g_assert_nonnull (strstr (csv, "\"Discounts by cashier\",\"小王\",\"1\",\"5.00\","
                                 "\"price_override\""));
  g_assert_nonnull (strstr (csv, "\"Discounts by product\",\"Tea\",\"2\",\"3.00\",\"discount\""));
  g_assert_null (strstr (csv, "\"Cake\",\"0\""));
  json = till_report_to_json (r);
  g_assert_nonnull (strstr (json, "\"discounts_fen\":320,\"overrides_fen\":500"));
  g_assert_nonnull (strstr (json, "{\"name\":\"Cake\",\"product_id\":0,\"n_discounts\":0,"
                                  "\"discount_fen\":0,\"n_overrides\":1,\"override_fen\":500}"));
}

/* The catalog CSV's optional open_price column: marks and unmarks goods priced at the till,
 * a file without it leaves the mark alone, a bad value is a bad row with its line. */
static void
test_import_open_price (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) row_errors = NULL;
  g_autoptr(TillProduct) cake = NULL;
  g_autoptr(TillProduct) tea = NULL;
  g_autofree char *path = g_build_filename (dir->dir, "catalog.csv", NULL);
  guint n = 0;

  g_assert_true (g_file_set_contents (path,
                                      "barcode,name,price,unit,plu,open_price\n"
                                      "2900000000018,生日蛋糕,0,个,,1\n"
                                      ",散装茶叶,120.00,kg,9002,yes\n"
                                      "6954767002057,可口可乐 500ml,3.50,瓶,,\n", -1, &error));
  g_assert_true (till_store_import_catalog_csv (store, path, 0, &n, &row_errors, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  cake = till_store_lookup_barcode (store, "2900000000018", &error);
  g_assert_no_error (error);
  g_assert_true (cake->open_price);
  tea = till_store_lookup_plu (store, "9002", &error);
  g_assert_true (tea->open_price);
  g_assert_true (tea->weighed);
  g_assert_cmpint (store_int (store, "SELECT open_price FROM product WHERE barcode = '6954767002057'"),
                   ==, 0);

  /* a price list without the column keeps the marks */
  g_assert_true (g_file_set_contents (path, "plu,price\n9002,110.00\n", -1, &error));
  g_assert_true (till_store_import_catalog_csv (store, path, 0, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (store_int (store, "SELECT open_price FROM product WHERE plu = '9002'"), ==, 1);
  /* 0 unmarks */
  g_assert_true (g_file_set_contents (path, "plu,open_price\n9002,0\n", -1, &error));
  g_assert_true (till_store_import_catalog_csv (store, path, 0, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (store_int (store, "SELECT open_price FROM product WHERE plu = '9002'"), ==, 0);

  /* a bad value: nothing imported, the line named */
  g_clear_pointer (&row_errors, g_ptr_array_unref);
  g_assert_true (g_file_set_contents (path, "plu,open_price\n9002,1\n9003,maybe\n", -1, &error));
  g_test_expect_message ("till-store", G_LOG_LEVEL_MESSAGE, "*Catalog import rejected*");
  g_assert_false (till_store_import_catalog_csv (store, path, 0, &n, &row_errors, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_IMPORT);
  g_assert_cmpuint (row_errors->len, ==, 1);
  g_assert_cmpuint (((TillImportError *) g_ptr_array_index (row_errors, 0))->line, ==, 3);
  g_assert_cmpint (store_int (store, "SELECT open_price FROM product WHERE plu = '9002'"), ==, 0);

}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/discounts/saved-and-reloaded", test_saved_and_reloaded);
  g_test_add_func ("/store/discounts/suspended-and-resumed", test_suspended_and_resumed);
  g_test_add_func ("/store/discounts/audit-row", test_audit_row);
  g_test_add_func ("/store/discounts/report-figures", test_report_figures);
  g_test_add_func ("/store/discounts/import-open-price", test_import_open_price);
  return g_test_run ();
}
