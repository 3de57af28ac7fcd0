/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillProductEditor on a real store: a new product from a scanned barcode saved and then
 * sold at the counter, a product loaded and its price changed (the history), the plain
 * refusals (no name, a price that is not one or above the maximum, a barcode another
 * product has, named), and a failed save that leaves the product as it was; the stock
 * fields (tracked, minimum, cost) checked and saved without a stock move, the level and
 * the latest moves and price changes read with the product. */
#include "config.h"

#include <string.h>

#include "till-product-editor.h"
#include "till-store-product-stock.h"
#include "till-store-products.h"
#include "till-store-stock.h"
#include "till-test-app.h"

static gboolean
have_result_cond (TillTestApp *app, gpointer data)
{
  return *(GAsyncResult **)data != NULL;
}

static void
result_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static gint64
save (TillTestApp *app, TillProductEditor *editor, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  till_product_editor_save_async (editor, NULL, result_cb, &result);
  till_test_app_wait (app, have_result_cond, &result, 5000, "the product's save");
  g_assert_false (till_product_editor_get_busy (editor));
  return till_product_editor_save_finish (editor, result, error);
}

static void
load (TillTestApp *app, TillProductEditor *editor, gint64 id)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  till_product_editor_load_async (editor, id, NULL, result_cb, &result);
  g_assert_true (till_product_editor_get_busy (editor));
  till_test_app_wait (app, have_result_cond, &result, 5000, "the product's load");
  g_assert_true (till_product_editor_load_finish (editor, result, &error));
  g_assert_no_error (error);
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
test_new_from_scan_then_sold (void)
{
  g_autoptr (TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr (TillProductEditor) editor = till_product_editor_new (app->store, 0, "Manager Li");
  g_autoptr (GError) error = NULL;
  g_autoptr (TillProduct) saved = NULL;
  guint loaded = 0, n_lines = 0;
  gint64 id;
  TillSale *sale;

  g_signal_connect_swapped (editor, "loaded", G_CALLBACK (count_cb), &loaded);
  till_product_editor_start_new (editor, "6975000000012");
  g_assert_cmpuint (loaded, ==, 1);
  g_assert_cmpint (till_product_editor_get_product_id (editor), ==, 0);
  g_assert_cmpstr (till_product_editor_get_barcode (editor), ==, "6975000000012");
  g_assert_cmpstr (till_product_editor_get_unit (editor), ==, "件");
  g_assert_true (till_product_editor_get_active (editor));

  till_product_editor_set_name (editor, "  桂花糕 ");
  till_product_editor_set_price_text (editor, "¥8.80");
  id = save (app, editor, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (till_product_editor_get_product_id (editor), ==, id);

  saved = till_store_lookup_barcode (app->store, "6975000000012", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->name, ==, "桂花糕");
  g_assert_cmpint (saved->price_fen, ==, 880);

  /* Sold at the counter as any other product. */
  till_test_app_scan (app, "6975000000012");
  sale = till_checkout_get_sale (app->checkout);
  g_assert_nonnull (sale);
  g_object_get (sale, "n-lines", &n_lines, NULL);
  g_assert_cmpuint (n_lines, ==, 1);
  g_assert_cmpstr (till_sale_line_get_name (till_sale_get_line (sale, 0)), ==, "桂花糕");
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 880);
}

static void
test_edit_price_history (void)
{
  g_autoptr (TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr (TillProductEditor) editor = till_product_editor_new (app->store, 0, "Manager Li");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) history = NULL;
  g_autoptr (TillProduct) product = NULL;
  TillPriceChange *change;
  gint64 drinks, id;

  drinks = till_store_add_category (app->store, "Drinks", "Manager Li", &error);
  g_assert_no_error (error);
  till_product_editor_start_new (editor, NULL);
  till_product_editor_set_name (editor, "Loose tea");
  till_product_editor_set_plu (editor, "4711");
  till_product_editor_set_price_text (editor, "12.50");
  till_product_editor_set_weighed (editor, TRUE);
  till_product_editor_set_unit (editor, "");
  id = save (app, editor, &error);
  g_assert_no_error (error);

  till_product_editor_start_new (editor, "6975000000012");
  load (app, editor, id);
  g_assert_cmpint (till_product_editor_get_product_id (editor), ==, id);
  g_assert_cmpstr (till_product_editor_get_barcode (editor), ==, "");
  g_assert_cmpstr (till_product_editor_get_plu (editor), ==, "4711");
  g_assert_cmpstr (till_product_editor_get_price_text (editor), ==, "12.50");
  g_assert_cmpstr (till_product_editor_get_unit (editor), ==, "kg");
  g_assert_true (till_product_editor_get_weighed (editor));

  till_product_editor_set_price_text (editor, "13");
  till_product_editor_set_category_id (editor, drinks);
  g_assert_cmpint (save (app, editor, &error), ==, id);
  g_assert_no_error (error);

  history = till_store_list_price_history (app->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 1);
  change = g_ptr_array_index (history, 0);
  g_assert_cmpint (change->old_fen, ==, 1250);
  g_assert_cmpint (change->new_fen, ==, 1300);
  g_assert_cmpstr (change->actor, ==, "Manager Li");
  product = till_store_lookup_plu (app->store, "4711", &error);
  g_assert_no_error (error);
  g_assert_cmpint (product->price_fen, ==, 1300);
  load (app, editor, id);
  g_assert_cmpint (till_product_editor_get_category_id (editor), ==, drinks);
}

static void
expect_refused (TillTestApp *app, TillProductEditor *editor, const char *part)
{
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (save (app, editor, &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  if (strstr (error->message, part) == NULL)
    g_error ("“%s” does not say “%s”", error->message, part);
}

static void
test_refusals (void)
{
  g_autoptr (TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr (TillProductEditor) editor = till_product_editor_new (app->store, 10000, "Li");
  g_autoptr (GError) error = NULL;
  g_autoptr (TillProduct) first = NULL;
  gint64 id;

  g_assert_cmpint (till_product_editor_get_max_price_fen (editor), ==, 10000);
  till_product_editor_start_new (editor, "6975000000012");
  till_product_editor_set_name (editor, "Mooncake");
  till_product_editor_set_price_text (editor, "20");
  id = save (app, editor, &error);
  g_assert_no_error (error);

  till_product_editor_start_new (editor, "6975000000029");
  till_product_editor_set_price_text (editor, "5");
  till_product_editor_set_name (editor, "   ");
  expect_refused (app, editor, "name");
  till_product_editor_set_name (editor, "Bun");
  till_product_editor_set_price_text (editor, "5.505");
  expect_refused (app, editor, "5.505");
  till_product_editor_set_price_text (editor, "abc");
  expect_refused (app, editor, "abc");
  till_product_editor_set_price_text (editor, "");
  expect_refused (app, editor, "is not a price");
  till_product_editor_set_price_text (editor, "100.01");
  expect_refused (app, editor, "¥100.00");
  till_product_editor_set_price_text (editor, "-1");
  expect_refused (app, editor, "negative");
  till_product_editor_set_price_text (editor, "5");
  till_product_editor_set_weighed (editor, TRUE);
  expect_refused (app, editor, "kg");
  till_product_editor_set_weighed (editor, FALSE);
  till_product_editor_set_barcode (editor, "");
  expect_refused (app, editor, "barcode or a code");
  /* The barcode of another product, named; the check runs in the save's transaction. */
  till_product_editor_set_barcode (editor, "6975000000012");
  expect_refused (app, editor, "Mooncake");
  g_assert_cmpint (till_product_editor_get_product_id (editor), ==, 0);

  /* A product priced at the till may leave its price empty. */
  till_product_editor_set_barcode (editor, "6975000000029");
  till_product_editor_set_price_text (editor, "");
  till_product_editor_set_open_price (editor, TRUE);
  g_assert_cmpint (save (app, editor, &error), >, id);
  g_assert_no_error (error);

  first = till_store_get_product (app->store, id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first->name, ==, "Mooncake");
  g_assert_cmpint (first->price_fen, ==, 2000);
}

static guint
count_moves (TillTestApp *app)
{
  g_autoptr (GError) error = NULL;
  TillStockReport *report = till_store_stock_report (app->store, 0, G_MAXINT64, &error);
  guint n;

  g_assert_no_error (error);
  n = report->moves->len;
  till_stock_report_free (report);
  return n;
}

static void
test_stock_fields (void)
{
  g_autoptr (TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr (TillProductEditor) editor = till_product_editor_new (app->store, 0, "Manager Li");
  g_autoptr (GError) error = NULL;
  TillProductStock stock = { 0 };
  TillStockMove *move;
  TillPriceChange *change;
  guint changed = 0;
  gint64 id;

  g_signal_connect_swapped (editor, "stock-changed", G_CALLBACK (count_cb), &changed);
  till_product_editor_start_new (editor, "6975000000012");
  g_assert_cmpuint (changed, ==, 1);
  g_assert_false (till_product_editor_get_track_stock (editor));
  g_assert_cmpstr (till_product_editor_get_min_stock_text (editor), ==, "");
  g_assert_cmpstr (till_product_editor_get_cost_text (editor), ==, "");
  g_assert_cmpint (till_product_editor_get_level_milli (editor), ==, 0);
  g_assert_cmpuint (till_product_editor_get_stock_moves (editor)->len, ==, 0);

  /* a new product, tracked, with a minimum and a cost: saved, no move */
  till_product_editor_set_name (editor, "Osmanthus cake");
  till_product_editor_set_price_text (editor, "8.80");
  till_product_editor_set_track_stock (editor, TRUE);
  till_product_editor_set_min_stock_text (editor, " 5 ");
  till_product_editor_set_cost_text (editor, "¥5.20");
  id = save (app, editor, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_true (till_store_get_product_stock (app->store, id, &stock, &error));
  g_assert_true (stock.track_stock);
  g_assert_cmpint (stock.min_stock_milli, ==, 5000);
  g_assert_cmpint (stock.cost_fen, ==, 520);
  g_assert_cmpint (stock.level_milli, ==, 0);
  g_assert_cmpuint (count_moves (app), ==, 0);

  /* goods come in; the editor shows the level and the move when it loads */
  {
    TillReceivingLine line = { id, 24000, 500 };

    g_assert_cmpint (till_store_receive (app->store, "Supplier Wu", "Clerk Zhao", &line, 1, &error),
                     >, 0);
    g_assert_no_error (error);
  }
  load (app, editor, id);
  g_assert_cmpuint (changed, ==, 3);
  g_assert_cmpint (till_product_editor_get_level_milli (editor), ==, 24000);
  g_assert_cmpstr (till_product_editor_get_min_stock_text (editor), ==, "5");
  g_assert_cmpstr (till_product_editor_get_cost_text (editor), ==, "5.00");
  g_assert_cmpuint (till_product_editor_get_stock_moves (editor)->len, ==, 1);
  move = g_ptr_array_index (till_product_editor_get_stock_moves (editor), 0);
  g_assert_cmpstr (move->kind, ==, "receiving");
  g_assert_cmpint (move->qty_milli, ==, 24000);
  g_assert_cmpstr (move->who, ==, "Clerk Zhao");

  /* a cost change and a new price: the cost is stored, no stock move, the level stays, the
   * price change is in the history read back after the save (newest first) */
  till_product_editor_set_cost_text (editor, "5.60");
  till_product_editor_set_min_stock_text (editor, "0.5");
  till_product_editor_set_price_text (editor, "9.00");
  g_assert_cmpint (save (app, editor, &error), ==, id);
  g_assert_no_error (error);
  g_assert_cmpuint (count_moves (app), ==, 1);
  g_assert_true (till_store_get_product_stock (app->store, id, &stock, &error));
  g_assert_cmpint (stock.cost_fen, ==, 560);
  g_assert_cmpint (stock.min_stock_milli, ==, 500);
  g_assert_cmpint (stock.level_milli, ==, 24000);
  g_assert_cmpint (till_product_editor_get_level_milli (editor), ==, 24000);
  g_assert_cmpuint (till_product_editor_get_price_history (editor)->len, ==, 1);
  change = g_ptr_array_index (till_product_editor_get_price_history (editor), 0);
  g_assert_cmpint (change->old_fen, ==, 880);
  g_assert_cmpint (change->new_fen, ==, 900);
  g_assert_cmpstr (change->actor, ==, "Manager Li");

  /* the cost cleared: none; untracked: the level is still the ledger's */
  till_product_editor_set_cost_text (editor, "");
  till_product_editor_set_track_stock (editor, FALSE);
  g_assert_cmpint (save (app, editor, &error), ==, id);
  g_assert_true (till_store_get_product_stock (app->store, id, &stock, &error));
  g_assert_cmpint (stock.cost_fen, ==, -1);
  g_assert_false (stock.track_stock);
  g_assert_cmpint (stock.level_milli, ==, 24000);
  g_assert_cmpuint (count_moves (app), ==, 1);

  /* refusals, with plain messages; nothing saved */
  till_product_editor_set_min_stock_text (editor, "many");
  expect_refused (app, editor, "“many” is not a quantity");
  till_product_editor_set_min_stock_text (editor, "1.2345");
  expect_refused (app, editor, "“1.2345” is not a quantity");
  till_product_editor_set_min_stock_text (editor, "-2");
  expect_refused (app, editor, "below zero");
  till_product_editor_set_min_stock_text (editor, "2");
  till_product_editor_set_cost_text (editor, "cheap");
  expect_refused (app, editor, "“cheap” is not a cost");
  till_product_editor_set_cost_text (editor, "-1");
  expect_refused (app, editor, "from 0 to");
  g_assert_true (till_store_get_product_stock (app->store, id, &stock, &error));
  g_assert_cmpint (stock.min_stock_milli, ==, 500);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/product-editor/new-from-scan-then-sold", test_new_from_scan_then_sold);
  g_test_add_func ("/app/product-editor/edit-price-history", test_edit_price_history);
  g_test_add_func ("/app/product-editor/refusals", test_refusals);
  g_test_add_func ("/app/product-editor/stock-fields", test_stock_fields);
  return g_test_run ();
}
