/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCheckout's quick keys (issue 15) without a display: a key adds its product by the
 * path of a scan — pieces at once, goods by kg after their weight, goods priced at the
 * till after their price —; a product no longer sold is said, nothing added. The lines are
 * read back from the SQLite file. */
#include "config.h"

#include <string.h>

#include "till-store-products.h"
#include "till-store-quickkeys.h"
#include "till-test-app.h"

#define EGG_PLU "8001"      /* 茶叶蛋, ¥2.00 a piece */
#define BANANA_PLU "100001" /* 香蕉, ¥6.98/kg */

static gint64
product_id (TillTestApp *app, const char *plu)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TillProduct) product = till_store_find_product (app->store, NULL, plu, &error);

  g_assert_no_error (error);
  g_assert_nonnull (product);
  return product->id;
}

static void
line_cb (TillCheckout *checkout, TillSaleLine *line, TillSaleLine **out)
{
  g_set_object (out, line);
}

static gboolean
price_cb (TillCheckout *checkout, TillSaleLine *line, TillSaleLine **out)
{
  g_set_object (out, line);
  return FALSE;
}

static gint64
stored_lines (TillTestApp *app)
{
  g_autoptr (GError) error = NULL;
  TillSale *sale = till_checkout_get_sale (app->checkout);
  g_autoptr (TillSale) stored = till_store_load_sale (app->store, till_sale_get_id (sale), &error);

  g_assert_no_error (error);
  g_assert_nonnull (stored);
  return g_list_model_get_n_items (G_LIST_MODEL (stored));
}

static void
test_adds_line (void)
{
  g_autoptr (TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr (GError) error = NULL;
  gint64 egg = product_id (app, EGG_PLU);
  TillSale *sale;

  g_assert_true (till_checkout_add_product_id (app->checkout, egg, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_true (till_checkout_add_product_id (app->checkout, egg, &error));
  till_test_app_settle (app);
  sale = till_checkout_get_sale (app->checkout);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 1);
  g_assert_cmpint (till_sale_line_get_qty_milli (till_sale_get_line (sale, 0)), ==, 2000);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 400);
  g_assert_cmpint (till_sale_line_get_product_id (till_sale_get_line (sale, 0)), ==, egg);
  g_assert_cmpint (stored_lines (app), ==, 1);

  /* No product: refused at once, with words. */
  g_assert_false (till_checkout_add_product_id (app->checkout, 0, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (till_test_app_last_message (app), ==, "This key has no product");
}

static void
test_weighed_asks_weight (void)
{
  g_autoptr (TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr (TillSaleLine) asked = NULL;
  g_autoptr (GError) error = NULL;
  TillSale *sale;

  g_signal_connect (app->checkout, "weight-needed", G_CALLBACK (line_cb), &asked);
  g_assert_true (
      till_checkout_add_product_id (app->checkout, product_id (app, BANANA_PLU), &error));
  till_test_app_settle (app);
  sale = till_checkout_get_sale (app->checkout);
  g_assert_nonnull (asked);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 0);
  g_assert_true (till_checkout_give_weight (app->checkout, asked, 1250, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 1);
  g_assert_cmpint (till_sale_line_get_qty_milli (till_sale_get_line (sale, 0)), ==, 1250);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 873); /* 6.98 × 1.25 */
  g_assert_cmpint (stored_lines (app), ==, 1);
}

static void
test_open_price_asks_price (void)
{
  g_autoptr (TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr (TillSaleLine) asked = NULL;
  g_autoptr (GError) error = NULL;
  TillProduct cake = { .plu = (char *)"9001",
                       .name = (char *)"Birthday cake",
                       .price_fen = 0,
                       .unit = (char *)"pc",
                       .active = TRUE,
                       .open_price = TRUE };
  gint64 id = till_store_upsert_product (app->store, &cake, &error);
  TillSale *sale;

  g_assert_no_error (error);
  g_signal_connect (app->checkout, "price-needed", G_CALLBACK (price_cb), &asked);
  g_assert_true (till_checkout_add_product_id (app->checkout, id, &error));
  till_test_app_settle (app);
  g_assert_nonnull (asked);
  sale = till_checkout_get_sale (app->checkout);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 0);
  g_assert_true (till_checkout_give_price (app->checkout, asked, 8800, NULL, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 8800);
}

static void
test_inactive_said (void)
{
  g_autoptr (TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr (GError) error = NULL;
  gint64 egg = product_id (app, EGG_PLU);
  g_autoptr (TillProduct) product = till_store_get_product (app->store, egg, NULL, &error);
  guint since = app->messages->len;
  TillSale *sale;

  g_assert_no_error (error);
  product->active = FALSE;
  g_assert_cmpint (till_store_save_product (app->store, product, 0, 0, "Manager", &error), ==, egg);
  g_assert_no_error (error);
  g_assert_true (till_checkout_add_product_id (app->checkout, egg, &error));
  till_test_app_settle (app);
  g_assert_true (till_test_app_said_since (app, since, "no longer sold"));
  sale = till_checkout_get_sale (app->checkout);
  g_assert_true (sale == NULL || g_list_model_get_n_items (G_LIST_MODEL (sale)) == 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/checkout/quickkey/adds-line", test_adds_line);
  g_test_add_func ("/checkout/quickkey/weighed-asks-weight", test_weighed_asks_weight);
  g_test_add_func ("/checkout/quickkey/open-price-asks-price", test_open_price_asks_price);
  g_test_add_func ("/checkout/quickkey/inactive-said", test_inactive_said);
  return g_test_run ();
}
