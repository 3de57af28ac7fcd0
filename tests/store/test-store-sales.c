/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sales in a real SQLite file: numbering, save/load, cash completion, voids, the audit
 * log and the store thread. */
#define G_LOG_DOMAIN "test-store-sales"

#include "config.h"

#include "store-test-util.h"

/* 2026-11-21 10:00:00 UTC */
#define NOON_US (G_GINT64_CONSTANT (1795255200) * G_USEC_PER_SEC)
#define DAY_US  (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)

static TillSale *
make_sale (TillStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = till_store_next_sale_number (store, till_store_now_us (), &error);
  TillSale *sale;

  g_assert_no_error (error);
  sale = till_sale_new (number);
  till_sale_set_opened_at (sale, till_store_now_us ());
  return sale;
}

static void
add_counted (TillSale   *sale,
             gint64      product_id,
             const char *barcode,
             const char *name,
             gint64      price,
             gint64      qty_milli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSaleLine) line = till_sale_line_new (product_id, barcode, name, "瓶", price,
                                                     qty_milli, FALSE);

  g_assert_cmpuint (till_sale_add_line (sale, line, &error), !=, G_MAXUINT);
  g_assert_no_error (error);
}

/* ---------------------------------------------------------------- numbering */

static void
test_number_format (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (NOON_US / G_USEC_PER_SEC);
  g_autofree char *day = g_date_time_format (local, "%Y%m%d");
  g_autofree char *expected = g_strdup_printf ("%s-0001", day);
  g_autofree char *number = till_store_next_sale_number (store, NOON_US, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (number, ==, expected);
}

static void
test_number_sequential (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (int i = 1; i <= 120; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *number = till_store_next_sale_number (store, NOON_US + i, &error);
      g_autofree char *suffix = NULL;

      g_assert_no_error (error);
      suffix = g_strdup_printf ("-%04d", i);
      g_assert_true (g_str_has_suffix (number, suffix));
      g_assert_true (g_hash_table_add (seen, g_steal_pointer (&number)));
    }
}

static void
test_number_per_day (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *a1 = till_store_next_sale_number (store, NOON_US, &error);
  g_autofree char *a2 = till_store_next_sale_number (store, NOON_US + 1, &error);
  g_autofree char *b1 = till_store_next_sale_number (store, NOON_US + DAY_US, &error);
  g_autofree char *a3 = till_store_next_sale_number (store, NOON_US + 2, &error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (a1, "-0001"));
  g_assert_true (g_str_has_suffix (a2, "-0002"));
  g_assert_true (g_str_has_suffix (b1, "-0001"));
  g_assert_cmpstr (a1, !=, b1);
  /* going back to a day continues its sequence */
  g_assert_true (g_str_has_suffix (a3, "-0003"));
}

static void
test_number_survives_reopen (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  {
    g_autoptr(TillStore) store = test_store_open (dir);
    first = till_store_next_sale_number (store, NOON_US, &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(TillStore) store = test_store_open (dir);
    second = till_store_next_sale_number (store, NOON_US, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpstr (first, !=, second);
  g_assert_true (g_str_has_suffix (second, "-0002"));
}

static void
test_number_skips_taken (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = till_store_next_sale_number (store, NOON_US, &error);
  g_autoptr(TillSale) sale = till_sale_new (first);
  g_autofree char *next = NULL;

  g_assert_no_error (error);
  till_store_save_sale (store, sale, "alice", "till-1", &error);
  g_assert_no_error (error);
  /* a restored backup lost the sequence row, the sale remains */
  till_store_lock (store);
  raw_exec (till_store_get_db (store), "DELETE FROM sale_seq");
  till_store_unlock (store);

  next = till_store_next_sale_number (store, NOON_US, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (next, !=, first);
  g_assert_true (g_str_has_suffix (next, "-0002"));
}

static void
test_number_per_till (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *a = till_store_next_sale_number_for_till (store, "till-a", NOON_US, &error);
  g_autofree char *b = till_store_next_sale_number_for_till (store, "till-b", NOON_US, &error);
  g_autofree char *a2 = till_store_next_sale_number_for_till (store, "till-a", NOON_US, &error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (a, "-0001"));
  g_assert_true (g_str_has_suffix (b, "-0001"));
  g_assert_true (g_str_has_suffix (a2, "-0002"));
}

/* ---------------------------------------------------------------- save / load */

static TillSale *
make_mixed_sale (TillStore *store)
{
  g_autoptr(GError) error = NULL;
  TillSale *sale = make_sale (store);
  g_autoptr(TillSaleLine) weighed = till_sale_line_new (0, NULL, "香蕉", "kg", 698, 1234, TRUE);
  g_autoptr(TillSaleLine) fixed = till_sale_line_new_fixed_total (0, "2100002012345", "五花肉",
                                                                  "kg", 3380, 4157);

  add_counted (sale, 0, "6921168509256", "农夫山泉饮用天然水 550ml", 200, 3000);
  g_assert_cmpuint (till_sale_add_line (sale, weighed, &error), ==, 1);
  g_assert_cmpuint (till_sale_add_line (sale, fixed, &error), ==, 2);
  g_assert_no_error (error);
  return sale;
}

static void
assert_same_sale (TillSale *a,
                  TillSale *b)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (a));

  g_assert_cmpstr (till_sale_get_number (a), ==, till_sale_get_number (b));
  g_assert_cmpint (till_sale_get_id (a), ==, till_sale_get_id (b));
  g_assert_cmpint (till_sale_get_total_fen (a), ==, till_sale_get_total_fen (b));
  g_assert_cmpint (till_sale_get_opened_at (a), ==, till_sale_get_opened_at (b));
  g_assert_cmpuint (n, ==, g_list_model_get_n_items (G_LIST_MODEL (b)));
  for (guint i = 0; i < n; i++)
    {
      TillSaleLine *x = till_sale_get_line (a, i), *y = till_sale_get_line (b, i);

      g_assert_cmpint (till_sale_line_get_product_id (x), ==, till_sale_line_get_product_id (y));
      g_assert_cmpstr (till_sale_line_get_barcode (x), ==, till_sale_line_get_barcode (y));
      g_assert_cmpstr (till_sale_line_get_name (x), ==, till_sale_line_get_name (y));
      g_assert_cmpstr (till_sale_line_get_unit (x), ==, till_sale_line_get_unit (y));
      g_assert_cmpint (till_sale_line_get_qty_milli (x), ==, till_sale_line_get_qty_milli (y));
      g_assert_cmpint (till_sale_line_get_unit_price_fen (x), ==,
                       till_sale_line_get_unit_price_fen (y));
      g_assert_cmpint (till_sale_line_get_line_total_fen (x), ==,
                       till_sale_line_get_line_total_fen (y));
      g_assert_cmpint (till_sale_line_get_weighed (x), ==, till_sale_line_get_weighed (y));
      g_assert_cmpint (till_sale_line_get_fixed_total (x), ==, till_sale_line_get_fixed_total (y));
    }
}

static void
test_save_load_round_trip (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = make_mixed_sale (store);
  g_autoptr(TillSale) by_id = NULL;
  g_autoptr(TillSale) by_number = NULL;
  g_autoptr(TillSale) open = NULL;

  g_assert_cmpint (till_sale_get_id (sale), ==, 0);
  g_assert_true (till_store_save_sale (store, sale, "alice", "till-1", &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_id (sale), >, 0);
  /* 3 × 2.00 + 1.234 kg × 6.98 (8.61) + 41.57 */
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 600 + 861 + 4157);

  by_id = till_store_load_sale (store, till_sale_get_id (sale), &error);
  g_assert_no_error (error);
  assert_same_sale (sale, by_id);
  g_assert_cmpint (till_sale_get_state (by_id), ==, TILL_SALE_STATE_OPEN);

  by_number = till_store_load_sale_by_number (store, till_sale_get_number (sale), &error);
  g_assert_no_error (error);
  assert_same_sale (sale, by_number);

  open = till_store_load_open_sale (store, "till-1", &error);
  g_assert_no_error (error);
  assert_same_sale (sale, open);
}

static void
test_save_replaces_lines (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = make_mixed_sale (store);
  g_autoptr(TillSale) loaded = NULL;
  g_autofree char *sql = NULL;
  gint64 id;

  g_assert_true (till_store_save_sale (store, sale, "alice", "till-1", &error));
  id = till_sale_get_id (sale);
  g_assert_true (till_sale_remove_line (sale, 1, &error));
  g_assert_true (till_sale_set_line_qty (sale, 0, 5000, &error));
  g_assert_no_error (error);
  g_assert_true (till_store_save_sale (store, sale, "alice", "till-1", &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_id (sale), ==, id);

  loaded = till_store_load_sale (store, id, &error);
  g_assert_no_error (error);
  assert_same_sale (sale, loaded);
  sql = g_strdup_printf ("SELECT count(*) FROM sale_line WHERE sale_id = %" G_GINT64_FORMAT, id);
  g_assert_cmpint (store_int (store, sql), ==, 2);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM sale"), ==, 1);
}

static void
test_save_empty_sale (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = make_sale (store);
  g_autoptr(TillSale) loaded = NULL;

  g_assert_true (till_store_save_sale (store, sale, NULL, "till-1", &error));
  g_assert_no_error (error);
  loaded = till_store_load_open_sale (store, "till-1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (loaded)), ==, 0);
  g_assert_cmpint (till_sale_get_total_fen (loaded), ==, 0);
}

static void
test_load_missing (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) none = till_store_load_open_sale (store, "till-1", &error);

  g_assert_no_error (error);
  g_assert_null (none);

  g_assert_null (till_store_load_sale (store, 4242, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (till_store_load_sale_by_number (store, "20260101-9999", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
}

static void
test_open_sale_per_till (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) a = make_sale (store);
  g_autoptr(TillSale) b = make_sale (store);
  g_autoptr(TillSale) open_a = NULL;
  g_autoptr(TillSale) open_b = NULL;
  g_autoptr(TillSale) open_c = NULL;

  add_counted (a, 0, "6921168509256", "水", 200, 1000);
  add_counted (b, 0, "6954767001055", "可乐", 300, 1000);
  g_assert_true (till_store_save_sale (store, a, "alice", "till-a", &error));
  g_assert_true (till_store_save_sale (store, b, "bob", "till-b", &error));
  g_assert_no_error (error);

  open_a = till_store_load_open_sale (store, "till-a", &error);
  open_b = till_store_load_open_sale (store, "till-b", &error);
  open_c = till_store_load_open_sale (store, "till-c", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (till_sale_get_number (open_a), ==, till_sale_get_number (a));
  g_assert_cmpstr (till_sale_get_number (open_b), ==, till_sale_get_number (b));
  g_assert_null (open_c);
}

static void
test_suspended_not_open (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = make_sale (store);
  g_autoptr(TillSale) open = NULL;
  g_autoptr(TillSale) loaded = NULL;

  add_counted (sale, 0, "6921168509256", "水", 200, 1000);
  till_sale_set_state (sale, TILL_SALE_STATE_SUSPENDED);
  g_assert_true (till_store_save_sale (store, sale, "alice", "till-1", &error));
  g_assert_no_error (error);
  open = till_store_load_open_sale (store, "till-1", &error);
  g_assert_no_error (error);
  g_assert_null (open);
  loaded = till_store_load_sale (store, till_sale_get_id (sale), &error);
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_state (loaded), ==, TILL_SALE_STATE_SUSPENDED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (loaded)), ==, 1);
}

static void
test_line_snapshot_is_copied (void)
{
  /* Catalog changes after the sale never alter it: names and prices live on the line. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  TillProduct product = { .barcode = "6921168509256", .name = "农夫山泉", .price_fen = 200,
                          .unit = "瓶", .active = TRUE };
  g_autoptr(TillSale) sale = make_sale (store);
  g_autoptr(TillSale) loaded = NULL;
  gint64 id = till_store_upsert_product (store, &product, &error);

  g_assert_no_error (error);
  add_counted (sale, id, product.barcode, product.name, product.price_fen, 2000);
  g_assert_true (till_store_save_sale (store, sale, "alice", "till-1", &error));
  product.price_fen = 999;
  product.name = "改名";
  till_store_upsert_product (store, &product, &error);
  g_assert_no_error (error);

  loaded = till_store_load_sale (store, till_sale_get_id (sale), &error);
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_line_get_product_id (till_sale_get_line (loaded, 0)), ==, id);
  g_assert_cmpstr (till_sale_line_get_name (till_sale_get_line (loaded, 0)), ==, "农夫山泉");
  g_assert_cmpint (till_sale_get_total_fen (loaded), ==, 400);
}

/* ---------------------------------------------------------------- cash */

static void
test_cash_complete (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = make_mixed_sale (store);
  g_autoptr(TillSale) loaded = NULL;
  g_autoptr(TillSale) open = NULL;
  g_autofree char *payment = NULL;
  g_autofree char *sale_row = NULL;
  g_autofree char *expected = NULL;
  gint64 total = till_sale_get_total_fen (sale);

  g_assert_true (till_store_save_sale (store, sale, "alice", "till-1", &error));
  g_assert_true (till_store_complete_cash_sale (store, sale, 10000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_PAID);

  sale_row = store_rows (store, "SELECT state, total_fen, closed_at IS NOT NULL, cashier,"
                                " till_id FROM sale");
  expected = g_strdup_printf ("paid|%" G_GINT64_FORMAT "|1|alice|till-1\n", total);
  g_assert_cmpstr (sale_row, ==, expected);

  payment = store_rows (store, "SELECT method, state, amount_fen, out_trade_no, detail_json,"
                               " sale_id = (SELECT id FROM sale) FROM payment");
  g_free (expected);
  expected = g_strdup_printf ("cash|paid|%" G_GINT64_FORMAT "|NULL|"
                              "{\"tendered_fen\":10000,\"change_fen\":%" G_GINT64_FORMAT "}|1\n",
                              total, 10000 - total);
  g_assert_cmpstr (payment, ==, expected);

  loaded = till_store_load_sale (store, till_sale_get_id (sale), &error);
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_state (loaded), ==, TILL_SALE_STATE_PAID);
  assert_same_sale (sale, loaded);
  open = till_store_load_open_sale (store, "till-1", &error);
  g_assert_no_error (error);
  g_assert_null (open);
}

static void
test_cash_exact_and_unsaved (void)
{
  /* A sale never saved before is saved with its lines by the completion itself. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = make_sale (store);
  g_autoptr(TillSale) loaded = NULL;

  add_counted (sale, 0, "6954767001055", "可口可乐 330ml", 300, 2000);
  g_assert_true (till_store_complete_cash_sale (store, sale, 600, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_id (sale), >, 0);
  loaded = till_store_load_sale (store, till_sale_get_id (sale), &error);
  g_assert_no_error (error);
  assert_same_sale (sale, loaded);
  g_assert_cmpint (store_int (store, "SELECT json_extract (detail_json, '$.change_fen')"
                                     " FROM payment"), ==, 0);
}

static void
test_cash_refusals (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) empty = make_sale (store);
  g_autoptr(TillSale) sale = make_sale (store);

  /* nothing to pay */
  g_assert_false (till_store_complete_cash_sale (store, empty, 1000, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  /* short of cash */
  add_counted (sale, 0, "6954767001055", "可口可乐 330ml", 300, 2000);
  g_assert_true (till_store_save_sale (store, sale, "alice", "till-1", &error));
  g_assert_false (till_store_complete_cash_sale (store, sale, 599, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "¥5.99"));
  g_clear_error (&error);
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_OPEN);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM payment"), ==, 0);

  /* twice */
  g_assert_true (till_store_complete_cash_sale (store, sale, 600, &error));
  g_assert_no_error (error);
  g_assert_false (till_store_complete_cash_sale (store, sale, 600, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM payment"), ==, 1);
}

static void
test_cash_stale_copy_refused (void)
{
  /* A second copy of a sale paid elsewhere cannot be paid or saved again. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = make_sale (store);
  g_autoptr(TillSale) copy = NULL;

  add_counted (sale, 0, "6954767001055", "可口可乐 330ml", 300, 1000);
  g_assert_true (till_store_save_sale (store, sale, "alice", "till-1", &error));
  copy = till_store_load_sale (store, till_sale_get_id (sale), &error);
  g_assert_true (till_store_complete_cash_sale (store, sale, 300, &error));
  g_assert_no_error (error);

  g_assert_false (till_store_complete_cash_sale (store, copy, 300, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  add_counted (copy, 0, "6921168509256", "水", 200, 1000);
  g_assert_false (till_store_save_sale (store, copy, "alice", "till-1", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM payment"), ==, 1);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM sale_line"), ==, 1);
  g_assert_cmpint (store_int (store, "SELECT total_fen FROM sale"), ==, 300);
}

static void
test_cash_day_closed (void)
{
  /* After the day close (Z report) nothing can be paid on that day. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = make_sale (store);
  g_autofree char *state = NULL;

  add_counted (sale, 0, "6954767001055", "可口可乐 330ml", 300, 1000);
  g_assert_true (till_store_save_sale (store, sale, "alice", "till-1", &error));
  till_store_lock (store);
  raw_exec (till_store_get_db (store),
            "INSERT INTO day_close (date, closed_at, counted_cash_fen, expected_cash_fen)"
            " VALUES (date ('now', 'localtime'), 1, 0, 0)");
  till_store_unlock (store);

  g_assert_false (till_store_complete_cash_sale (store, sale, 300, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED);
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_OPEN);
  state = store_text (store, "SELECT state FROM sale");
  g_assert_cmpstr (state, ==, "open");
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM payment"), ==, 0);
}

/* ---------------------------------------------------------------- void, audit */

static void
test_void_sale (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = make_mixed_sale (store);
  g_autofree char *audit = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *state = NULL;

  g_assert_true (till_store_save_sale (store, sale, "alice", "till-1", &error));
  g_assert_true (till_store_void_sale (store, sale, "manager:wang", &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_VOIDED);

  state = store_text (store, "SELECT state || ',' || (closed_at IS NOT NULL) FROM sale");
  g_assert_cmpstr (state, ==, "voided,1");
  audit = store_rows (store, "SELECT actor, action, json_extract (detail_json, '$.number'),"
                             " json_extract (detail_json, '$.total_fen'), at > 0 FROM audit");
  expected = g_strdup_printf ("manager:wang|void_sale|%s|%" G_GINT64_FORMAT "|1\n",
                              till_sale_get_number (sale), till_sale_get_total_fen (sale));
  g_assert_cmpstr (audit, ==, expected);

  /* a voided sale cannot be voided again or paid */
  g_assert_false (till_store_void_sale (store, sale, "manager:wang", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (till_store_complete_cash_sale (store, sale, 100000, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM audit"), ==, 1);
}

static void
test_void_paid_refused (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = make_sale (store);
  g_autoptr(TillSale) copy = NULL;

  add_counted (sale, 0, "6954767001055", "可口可乐 330ml", 300, 1000);
  g_assert_true (till_store_save_sale (store, sale, "alice", "till-1", &error));
  copy = till_store_load_sale (store, till_sale_get_id (sale), &error);
  g_assert_true (till_store_complete_cash_sale (store, sale, 500, &error));
  g_assert_no_error (error);
  /* the copy still says open; the database knows better */
  g_assert_false (till_store_void_sale (store, copy, "alice", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM audit"), ==, 0);
  g_assert_cmpint (store_int (store, "SELECT state = 'paid' FROM sale"), ==, 1);
}

static void
test_audit_append (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;

  g_assert_true (till_store_audit (store, "manager:wang", "price_override",
                                   "{\"barcode\":\"6921168509256\",\"from\":200,\"to\":150}",
                                   &error));
  g_assert_true (till_store_audit (store, "system", "settings_changed", NULL, &error));
  g_assert_no_error (error);
  rows = store_rows (store, "SELECT actor, action, detail_json FROM audit ORDER BY id");
  g_assert_cmpstr (rows, ==,
                   "manager:wang|price_override|{\"barcode\":\"6921168509256\",\"from\":200,\"to\":150}\n"
                   "system|settings_changed|NULL\n");
}

static void
test_audit_append_only (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  g_assert_true (till_store_audit (store, "alice", "day_close", "{}", &error));
  g_assert_no_error (error);

  db = raw_open (dir->path);
  g_assert_cmpint (raw_try (db, "UPDATE audit SET actor = 'mallory'"), ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (sqlite3_errmsg (db), "append-only"));
  g_assert_cmpint (raw_try (db, "DELETE FROM audit"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM audit WHERE actor = 'alice'"), ==, 1);
  sqlite3_close (db);
}

/* ---------------------------------------------------------------- async */

typedef struct
{
  GMainLoop *loop;
  guint      done;
  guint      failed;
  GThread   *callback_thread;
  gboolean   order_ok;
} AsyncState;

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncState *state = user_data;
  g_autoptr(GError) error = NULL;

  if (!till_store_save_sale_finish (TILL_STORE (source), result, &error))
    state->failed++;
  state->done++;
  state->callback_thread = g_thread_self ();
}

static void
test_async_saves_in_order (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = make_sale (store);
  g_autoptr(TillSale) loaded = NULL;
  AsyncState state = { 0 };

  add_counted (sale, 0, "6921168509256", "农夫山泉", 200, 1000);
  for (int i = 1; i <= 200; i++)
    {
      g_assert_true (till_sale_set_line_qty (sale, 0, i * 1000, &error));
      till_store_save_sale_async (store, sale, "alice", "till-1", NULL, save_done_cb, &state);
    }
  /* the UI goes on changing the sale: the queued snapshots are not affected */
  g_assert_true (till_sale_set_line_qty (sale, 0, 999000, &error));
  g_assert_no_error (error);

  till_store_flush (store);
  loaded = till_store_load_open_sale (store, "till-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_line_get_qty_milli (till_sale_get_line (loaded, 0)), ==, 200000);
  g_assert_cmpint (till_sale_get_total_fen (loaded), ==, 40000);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM sale"), ==, 1);

  while (state.done < 200)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (state.failed, ==, 0);
  g_assert_true (state.callback_thread == g_thread_self ());
  /* _finish gave the new sale its id */
  g_assert_cmpint (till_sale_get_id (sale), ==, till_sale_get_id (loaded));
}

static gpointer
record_thread_func (TillStore *store,
                    gpointer   data,
                    GError   **error)
{
  GThread **thread = data;

  *thread = g_thread_self ();
  return g_strdup_printf ("%" G_GINT64_FORMAT, till_store_count_products (store, error));
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  AsyncState *state = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = till_store_run_finish (TILL_STORE (source), result, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "0");
  state->callback_thread = g_thread_self ();
  state->done++;
  g_main_loop_quit (state->loop);
}

static void
test_run_async_main_context (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  GThread *job_thread = NULL;
  AsyncState state = { .loop = loop };

  till_store_run_async (store, record_thread_func, &job_thread, NULL, g_free, NULL,
                        run_done_cb, &state);
  /* nothing is delivered before the main context runs */
  g_assert_cmpuint (state.done, ==, 0);
  g_main_loop_run (loop);
  g_assert_cmpuint (state.done, ==, 1);
  g_assert_true (state.callback_thread == g_thread_self ());
  g_assert_nonnull (job_thread);
  g_assert_true (job_thread != g_thread_self ());
}

static gpointer
fail_func (TillStore *store,
           gpointer   data,
           GError   **error)
{
  g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND, "nothing here");
  return NULL;
}

static void
fail_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncState *state = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_null (till_store_run_finish (TILL_STORE (source), result, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  state->done++;
  g_main_loop_quit (state->loop);
}

static void
test_run_async_error (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncState state = { .loop = loop };

  till_store_run_async (store, fail_func, NULL, NULL, NULL, NULL, fail_done_cb, &state);
  g_main_loop_run (loop);
  g_assert_cmpuint (state.done, ==, 1);
}

static gpointer
append_func (TillStore *store,
             gpointer   data,
             GError   **error)
{
  GString *order = g_object_get_data (G_OBJECT (store), "order");

  g_string_append_printf (order, "%d,", GPOINTER_TO_INT (data));
  return NULL;
}

static void
thread_context_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  AsyncState *state = user_data;

  till_store_run_finish (TILL_STORE (source), result, NULL);
  state->callback_thread = g_thread_self ();
  state->done++;
}

static gpointer
other_thread_func (gpointer data)
{
  TillStore *store = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  AsyncState state = { 0 };

  g_main_context_push_thread_default (context);
  till_store_run_async (store, append_func, GINT_TO_POINTER (-1), NULL, NULL, NULL,
                        thread_context_done_cb, &state);
  while (state.done == 0)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);
  g_assert_true (state.callback_thread == g_thread_self ());
  return NULL;
}

static void
test_run_async_order_and_thread_context (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  GString *order = g_string_new (NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  GThread *other;

  g_object_set_data (G_OBJECT (store), "order", order);
  for (int i = 0; i < 50; i++)
    {
      till_store_run_async (store, append_func, GINT_TO_POINTER (i), NULL, NULL, NULL,
                            NULL, NULL);
      g_string_append_printf (expected, "%d,", i);
    }
  till_store_flush (store);
  g_assert_cmpstr (order->str, ==, expected->str);

  /* results go to the thread-default context of the caller, here another thread */
  other = g_thread_new ("other", other_thread_func, store);
  g_thread_join (other);
  g_assert_true (g_str_has_suffix (order->str, ",-1,"));
  g_string_free (order, TRUE);
}

static void
test_run_async_cancelled (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GString) order = g_string_new (NULL);
  AsyncState state = { 0 };

  g_object_set_data (G_OBJECT (store), "order", order);
  g_cancellable_cancel (cancellable);
  till_store_run_async (store, append_func, GINT_TO_POINTER (7), NULL, NULL, cancellable,
                        thread_context_done_cb, &state);
  till_store_flush (store);
  while (state.done == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (order->str, ==, "");
}

static void
data_free_cb (gpointer data)
{
  (*(int *) data)++;
}

static void
test_run_async_frees_data (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  TillStore *store = test_store_open (dir);
  int freed = 0;

  till_store_run_async (store, fail_func, &freed, data_free_cb, NULL, NULL, NULL, NULL);
  till_store_flush (store);
  /* dropping the store joins its thread */
  g_object_unref (store);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (freed, ==, 1);
}

static void
cash_async_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  AsyncState *state = user_data;
  g_autoptr(GError) error = NULL;

  if (!till_store_complete_cash_sale_finish (TILL_STORE (source), result, &error))
    state->failed++;
  state->done++;
  g_main_loop_quit (state->loop);
}

static void
test_cash_async (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(TillSale) sale = make_sale (store);
  AsyncState state = { .loop = loop };

  add_counted (sale, 0, "6954767001055", "可口可乐 330ml", 300, 3000);
  till_store_save_sale_async (store, sale, "alice", "till-1", NULL, NULL, NULL);
  till_store_complete_cash_sale_async (store, sale, 1000, NULL, cash_async_done_cb, &state);
  g_main_loop_run (loop);
  g_assert_cmpuint (state.failed, ==, 0);
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_PAID);
  g_assert_cmpint (till_sale_get_id (sale), >, 0);
  g_assert_cmpint (store_int (store, "SELECT amount_fen FROM payment"), ==, 900);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM sale WHERE state = 'paid'"), ==, 1);
}

static void
test_void_async (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(TillSale) sale = make_sale (store);

  add_counted (sale, 0, "6954767001055", "可口可乐 330ml", 300, 3000);
  till_store_void_sale_async (store, sale, "alice", NULL, NULL, NULL);
  till_store_flush (store);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM sale WHERE state = 'voided'"), ==, 1);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM audit WHERE action = 'void_sale'"),
                   ==, 1);
}

static gpointer
numbers_thread (gpointer data)
{
  TillStore *store = data;
  GPtrArray *numbers = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; i < 50; i++)
    {
      g_autoptr(GError) error = NULL;
      char *number = till_store_next_sale_number (store, NOON_US, &error);
      g_autoptr(TillSale) sale = NULL;

      g_assert_no_error (error);
      sale = till_sale_new (number);
      g_assert_true (till_store_save_sale (store, sale, "t", "till-1", &error));
      g_assert_no_error (error);
      g_ptr_array_add (numbers, number);
    }
  return numbers;
}

static void
test_sync_from_threads (void)
{
  /* The sync API is safe from several threads at once (one connection, one lock). */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GThread *threads[4];

  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    threads[t] = g_thread_new ("numbers", numbers_thread, store);
  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    {
      g_autoptr(GPtrArray) numbers = g_thread_join (threads[t]);

      for (guint i = 0; i < numbers->len; i++)
        g_assert_true (g_hash_table_add (seen, g_strdup (g_ptr_array_index (numbers, i))));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 200);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM sale"), ==, 200);
  g_assert_cmpint (store_int (store, "SELECT max (last) FROM sale_seq"), ==, 200);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/sales/number/format", test_number_format);
  g_test_add_func ("/store/sales/number/sequential", test_number_sequential);
  g_test_add_func ("/store/sales/number/per-day", test_number_per_day);
  g_test_add_func ("/store/sales/number/survives-reopen", test_number_survives_reopen);
  g_test_add_func ("/store/sales/number/skips-taken", test_number_skips_taken);
  g_test_add_func ("/store/sales/number/per-till", test_number_per_till);
  g_test_add_func ("/store/sales/save/round-trip", test_save_load_round_trip);
  g_test_add_func ("/store/sales/save/replaces-lines", test_save_replaces_lines);
  g_test_add_func ("/store/sales/save/empty", test_save_empty_sale);
  g_test_add_func ("/store/sales/save/suspended", test_suspended_not_open);
  g_test_add_func ("/store/sales/save/lines-are-copies", test_line_snapshot_is_copied);
  g_test_add_func ("/store/sales/load/missing", test_load_missing);
  g_test_add_func ("/store/sales/load/open-per-till", test_open_sale_per_till);
  g_test_add_func ("/store/sales/cash/complete", test_cash_complete);
  g_test_add_func ("/store/sales/cash/exact-unsaved", test_cash_exact_and_unsaved);
  g_test_add_func ("/store/sales/cash/refusals", test_cash_refusals);
  g_test_add_func ("/store/sales/cash/stale-copy", test_cash_stale_copy_refused);
  g_test_add_func ("/store/sales/cash/day-closed", test_cash_day_closed);
  g_test_add_func ("/store/sales/void/audit", test_void_sale);
  g_test_add_func ("/store/sales/void/paid-refused", test_void_paid_refused);
  g_test_add_func ("/store/sales/audit/append", test_audit_append);
  g_test_add_func ("/store/sales/audit/append-only", test_audit_append_only);
  g_test_add_func ("/store/sales/async/saves-in-order", test_async_saves_in_order);
  g_test_add_func ("/store/sales/async/run-main-context", test_run_async_main_context);
  g_test_add_func ("/store/sales/async/run-error", test_run_async_error);
  g_test_add_func ("/store/sales/async/run-order-thread-context",
                   test_run_async_order_and_thread_context);
  g_test_add_func ("/store/sales/async/run-cancelled", test_run_async_cancelled);
  g_test_add_func ("/store/sales/async/run-frees-data", test_run_async_frees_data);
  g_test_add_func ("/store/sales/async/cash", test_cash_async);
  g_test_add_func ("/store/sales/async/void", test_void_async);
  g_test_add_func ("/store/sales/threads/sync-api", test_sync_from_threads);

  return g_test_run ();
}
