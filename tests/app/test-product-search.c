/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillProductSearch over a real store with the demo catalog: typing is debounced (one
 * request for a burst of keys), an answer to a query typed over is dropped, Up/Down choose,
 * Enter adds the chosen product as a scan would (goods by weight ask for their weight),
 * nothing found is said as such. */
#include "config.h"

#include <string.h>

#include "till-product-search.h"
#include "till-store-private.h"
#include "till-test-app.h"

static void
count_cb (guint   *count,
          gpointer instance)
{
  (*count)++;
}

static gboolean
answered_cond (TillTestApp *app,
               gpointer     data)
{
  TillProductSearch *search = data;

  return !till_product_search_get_searching (search)
         && g_strcmp0 (till_product_search_get_answered (search),
                       till_product_search_get_query (search)) == 0;
}

static void
wait_answer (TillTestApp       *app,
             TillProductSearch *search)
{
  till_test_app_wait (app, answered_cond, search, 5000, "the search's answer");
}

static const char *
result_name (TillProductSearch *search,
             guint              i)
{
  const TillSearchHit *hit = till_product_search_get_result (search, i);

  g_assert_nonnull (hit);
  return hit->product->name;
}

static void
test_typing (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr(TillProductSearch) search = till_product_search_new (app->checkout);
  guint changed = 0;

  g_signal_connect_swapped (search, "results-changed", G_CALLBACK (count_cb), &changed);
  /* a burst of keys: one request, for the last query */
  till_product_search_set_query (search, "k");
  till_product_search_set_query (search, "kk");
  till_product_search_set_query (search, "kkk");
  till_product_search_set_query (search, "kkkl");
  g_assert_true (till_product_search_get_searching (search));
  wait_answer (app, search);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpstr (till_product_search_get_answered (search), ==, "kkkl");
  g_assert_cmpuint (till_product_search_get_n_results (search), ==, 2);
  g_assert_cmpstr (result_name (search, 0), ==, "可口可乐 330ml");
  g_assert_cmpstr (result_name (search, 1), ==, "可口可乐 500ml");
  g_assert_cmpint (till_product_search_get_selected (search), ==, 0);

  /* Down, Down (stays on the last), Up, Down */
  till_product_search_move (search, 1);
  till_product_search_move (search, 1);
  g_assert_cmpint (till_product_search_get_selected (search), ==, 1);
  till_product_search_move (search, -1);
  g_assert_cmpint (till_product_search_get_selected (search), ==, 0);
  till_product_search_move (search, -1);
  g_assert_cmpint (till_product_search_get_selected (search), ==, 0);
}

static void
test_stale_answer_dropped (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr(TillProductSearch) search = till_product_search_new (app->checkout);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  TillStore *store = app->store;
  guint changed = 0;

  g_object_set (search, "delay-ms", 0, NULL);
  g_signal_connect_swapped (search, "results-changed", G_CALLBACK (count_cb), &changed);
  /* Hold the store's thread so that the first request cannot be answered before the
   * second query is typed. */
  till_store_lock (store);
  till_product_search_set_query (search, "kk");
  till_test_app_spin (100);   /* the debounce fired: the request waits for the store */
  g_assert_true (till_product_search_get_searching (search));
  till_product_search_set_query (search, "xj");
  till_store_unlock (store);
  wait_answer (app, search);
  till_test_app_spin (200);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpstr (till_product_search_get_answered (search), ==, "xj");
  g_assert_cmpstr (result_name (search, 0), ==, "香蕉");
}

static void
test_enter_adds (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr(TillProductSearch) search = till_product_search_new (app->checkout);
  g_autoptr(GError) error = NULL;
  TillSale *sale;

  till_product_search_set_query (search, "ＫＫＫＬ");   /* full-width, as an IME may give */
  wait_answer (app, search);
  till_product_search_move (search, 1);
  g_assert_true (till_product_search_activate (search, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  sale = till_checkout_get_sale (app->checkout);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 1);
  g_assert_cmpstr (till_sale_line_get_name (till_sale_get_line (sale, 0)), ==, "可口可乐 500ml");
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 350);

  /* the end of a barcode read off a torn label: 可口可乐 330ml is 6954767001050 */
  till_product_search_set_query (search, "01050");
  wait_answer (app, search);
  g_assert_cmpuint (till_product_search_get_n_results (search), >=, 1);
  g_assert_cmpstr (result_name (search, 0), ==, "可口可乐 330ml");
  g_assert_cmpint (till_product_search_get_result (search, 0)->match, ==,
                   TILL_SEARCH_MATCH_BARCODE_END);
  g_assert_true (till_product_search_activate (search, &error));
  till_test_app_settle (app);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 2);
}

static void
weight_needed_cb (TillCheckout  *checkout,
                  TillSaleLine  *line,
                  TillSaleLine **out)
{
  g_set_object (out, line);
}

static void
test_weighed (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr(TillProductSearch) search = till_product_search_new (app->checkout);
  g_autoptr(TillSaleLine) weighing = NULL;
  g_autoptr(GError) error = NULL;
  TillSale *sale;

  g_signal_connect (app->checkout, "weight-needed", G_CALLBACK (weight_needed_cb), &weighing);
  till_product_search_set_query (search, "xiangj");   /* 香蕉, sold by weight */
  wait_answer (app, search);
  g_assert_cmpstr (result_name (search, 0), ==, "香蕉");
  g_assert_true (till_product_search_activate (search, &error));
  till_test_app_settle (app);
  g_assert_nonnull (weighing);
  sale = till_checkout_get_sale (app->checkout);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 0);
  g_assert_true (till_checkout_give_weight (app->checkout, weighing, 500, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 1);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 349);
}

static void
test_nothing_found (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr(TillProductSearch) search = till_product_search_new (app->checkout);
  g_autoptr(GError) error = NULL;

  till_product_search_set_query (search, "qqqzzz");
  g_assert_false (till_product_search_activate (search, &error));   /* still searching */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);
  wait_answer (app, search);
  g_assert_cmpuint (till_product_search_get_n_results (search), ==, 0);
  g_assert_cmpint (till_product_search_get_selected (search), ==, -1);
  g_assert_false (till_product_search_activate (search, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* emptied: no results at once, nothing asked */
  till_product_search_set_query (search, "  ");
  g_assert_false (till_product_search_get_searching (search));
  g_assert_cmpuint (till_product_search_get_n_results (search), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/product-search/typing", test_typing);
  g_test_add_func ("/product-search/stale-answer-dropped", test_stale_answer_dropped);
  g_test_add_func ("/product-search/enter-adds", test_enter_adds);
  g_test_add_func ("/product-search/weighed", test_weighed);
  g_test_add_func ("/product-search/nothing-found", test_nothing_found);
  return g_test_run ();
}
