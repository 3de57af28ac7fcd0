/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The products window with real keys: Ctrl+Shift+P and a manager's PIN open it, an
 * unknown barcode scanned into it starts a new product that is typed and saved; an unknown
 * barcode at the counter offers "add this product" (Ctrl+Shift+P, the PIN, the window on
 * that barcode), the product is added and then sold. Screenshots:
 * meson-logs/products-*.png. */
#include "config.h"

#include <string.h>

#include <X11/Xlib.h>

#include "till-manager-actions.h"
#include "till-pin-window.h"
#include "till-products-window.h"
#include "till-shift.h"
#include "till-ui-test.h"

#define MANAGER_PIN "8642"
#define WAIT_MS 10000

static gint64
count_rows (TillUiFixture *f, const char *sql, const char *arg)
{
  g_autofree char *n = till_ui_query_text (f, sql, arg);

  return g_ascii_strtoll (n, NULL, 10);
}

/* Ctrl+Shift+P on the cashier's window, the manager's PIN typed: the products window. */
static TillProductsWindow *
open_products (TillUiFixture *f)
{
  GtkWindow *pin = NULL;
  GtkWindow *products = NULL;

  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key_control_shift ("p");
  TILL_UI_WAIT_FOR ((pin = till_ui_find_window (TILL_TYPE_PIN_WINDOW)) != NULL, WAIT_MS);
  g_assert_nonnull (pin);
  g_assert_null (till_ui_find_window (TILL_TYPE_PRODUCTS_WINDOW));
  till_ui_focus_window (pin);
  till_ui_type (MANAGER_PIN, 20, TRUE);
  TILL_UI_WAIT_FOR ((products = till_ui_find_window (TILL_TYPE_PRODUCTS_WINDOW)) != NULL, WAIT_MS);
  g_assert_nonnull (products);
  till_ui_focus_window (products);
  return TILL_PRODUCTS_WINDOW (products);
}

/* Types the name, Tab, the price and Enter (saves); waits for "Saved". */
static void
type_product (TillProductsWindow *w, const char *name, const char *price)
{
  till_ui_type (name, 15, FALSE);
  till_ui_key ("Tab", FALSE);
  till_ui_type (price, 15, TRUE);
  TILL_UI_WAIT_FOR (g_str_has_prefix (till_products_window_get_message (w), "Saved"), WAIT_MS);
  {
    g_autofree char *expected = g_strdup_printf ("Saved “%s”", name);

    g_assert_cmpstr (till_products_window_get_message (w), ==, expected);
  }
}

static void
test_products_window (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr (GtkApplication) app = NULL;
  g_autoptr (TillManagerActions) actions = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *row = NULL;
  TillPeople *people = till_shift_get_people (till_context_get_shift (f->context));
  TillProductsWindow *w;
  TillProductEditor *editor;
  TillSale *sale;

  till_people_add (people, "王店长", TILL_ROLE_MANAGER, MANAGER_PIN, "test", &error);
  g_assert_no_error (error);
  app = gtk_application_new (APPLICATION_ID ".ProductsTest", G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  gtk_application_add_window (app, GTK_WINDOW (f->cashier));
  actions = till_manager_actions_new (app, f->context);

  /* Ctrl+Shift+P, the PIN: the window, and the approval in the audit log. */
  w = open_products (f);
  editor = till_products_window_get_editor (w);
  g_assert_cmpint (
      count_rows (f, "SELECT count(*) FROM audit WHERE action = ?1", "approve:products"), ==, 1);

  /* A barcode nobody has, scanned into the window: a new product with it. The cashier's
   * sale does not take it. */
  till_ui_feed (f, "6975000000012");
  TILL_UI_WAIT_FOR (g_strcmp0 (till_product_editor_get_barcode (editor), "6975000000012") == 0,
                    WAIT_MS);
  g_assert_cmpint (till_product_editor_get_product_id (editor), ==, 0);
  till_ui_pump (200);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);
  type_product (w, "osmanthus", "8.80");
  shot = till_ui_screenshot (GTK_WIDGET (w), "products-saved");
  g_test_message ("screenshot %s", shot);
  row = till_ui_query_text (f, "SELECT name || '|' || price_fen FROM product WHERE barcode = ?1",
                            "6975000000012");
  g_assert_cmpstr (row, ==, "osmanthus|880");
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM audit WHERE action = ?1", "product_change"),
                   ==, 1);

  /* Found again by the search (Ctrl+F, a prefix of its name, Enter). */
  till_ui_key ("n", TRUE);
  TILL_UI_WAIT_FOR (till_product_editor_get_product_id (editor) == 0, WAIT_MS);
  till_ui_key ("f", TRUE);
  till_ui_type ("osm", 30, FALSE);
  till_ui_pump (400);
  till_ui_key ("Return", FALSE);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_product_editor_get_name (editor), "osmanthus") == 0, WAIT_MS);
  g_assert_cmpint (till_product_editor_get_product_id (editor), >, 0);
  g_free (shot);
  shot = till_ui_screenshot (GTK_WIDGET (w), "products-found");

  /* A bad price is refused in plain words and nothing changes. */
  till_ui_key ("n", TRUE);
  till_ui_pump (200);
  till_ui_focus_window (GTK_WINDOW (w));
  till_ui_type ("6975000000029", 15, FALSE);
  till_ui_key ("Tab", FALSE);
  till_ui_key ("Tab", FALSE);
  till_ui_type ("bun", 15, FALSE);
  till_ui_key ("Tab", FALSE);
  till_ui_type ("1.234", 15, TRUE);
  TILL_UI_WAIT_FOR (strstr (till_products_window_get_message (w), "is not a price") != NULL,
                    WAIT_MS);
  g_free (shot);
  shot = till_ui_screenshot (GTK_WIDGET (w), "products-refused");
  g_assert_cmpint (
      count_rows (f, "SELECT count(*) FROM product WHERE barcode = ?1", "6975000000029"), ==, 0);
  till_ui_key ("Escape", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_PRODUCTS_WINDOW) == NULL, WAIT_MS);

  /* At the counter: the unknown barcode offers "add this product". */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_feed (f, "6975000000029");
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, "Add it: Ctrl+Shift+P"), WAIT_MS);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);
  w = open_products (f);
  editor = till_products_window_get_editor (w);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_product_editor_get_barcode (editor), "6975000000029") == 0,
                    WAIT_MS);
  till_ui_pump (200);
  type_product (w, "matcha", "3.50");
  g_free (shot);
  shot = till_ui_screenshot_screen ("products-added-at-counter");
  till_ui_key ("Escape", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_PRODUCTS_WINDOW) == NULL, WAIT_MS);

  /* ... and sold. */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_add_and_wait (f, "6975000000029", WAIT_MS);
  sale = till_ui_sale (f);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 1);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 350);
  g_assert_cmpstr (till_sale_line_get_name (till_sale_get_line (sale, 0)), ==, "matcha");
  g_assert_false (till_ui_message_contains (f, "Add it: Ctrl+Shift+P"));

  gtk_application_remove_window (app, GTK_WINDOW (f->cashier));
  till_ui_fixture_free (f);
}

int
main (int argc, char *argv[])
{
  /* The key-sending thread has an X connection of its own. */
  XInitThreads ();
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/products/window-and-add-at-counter", test_products_window);
  return g_test_run ();
}
