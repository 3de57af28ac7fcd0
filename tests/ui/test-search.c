/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GUI tests of the product search (Ctrl+F) on Xvfb with real keys: pinyin initials, Down,
 * Enter into the cart and onto the customer display; the end of a barcode; goods sold by
 * weight asking for their weight; nothing found said plainly; Escape giving the focus back
 * to the code entry. Screenshots light and dark. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <X11/Xlib.h>
#include <adwaita.h>

#include "till-quantity-window.h"
#include "till-search-window.h"
#include "till-ui-test.h"

#define WAIT_MS 5000

static TillSearchWindow *
open_search (TillUiFixture *f)
{
  TillSearchWindow *window;

  till_ui_focus_window (GTK_WINDOW (f->cashier));
  gtk_widget_grab_focus (GTK_WIDGET (f->cashier->code_entry));
  till_ui_key ("f", TRUE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_SEARCH_WINDOW) != NULL, WAIT_MS);
  window = TILL_SEARCH_WINDOW (till_ui_find_window (TILL_TYPE_SEARCH_WINDOW));
  till_ui_focus_window (GTK_WINDOW (window));
  return window;
}

static gboolean
answered (TillSearchWindow *window,
          const char       *query)
{
  TillProductSearch *search = till_search_window_get_search (window);

  return !till_product_search_get_searching (search)
         && g_strcmp0 (till_product_search_get_answered (search), query) == 0;
}

static const char *
visible_page (TillSearchWindow *window)
{
  GtkWidget *stack = gtk_widget_get_first_child (gtk_window_get_child (GTK_WINDOW (window)));

  while (stack != NULL && !GTK_IS_STACK (stack))
    stack = gtk_widget_get_next_sibling (stack);
  g_assert_nonnull (stack);
  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

static gboolean
code_entry_has_focus (TillUiFixture *f)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->cashier));

  /* (Xvfb has no window manager to give the X focus back: the window's own focus is what
   * the cashier's next key reaches once it is active.) */
  return focus != NULL
         && (focus == GTK_WIDGET (f->cashier->code_entry)
             || gtk_widget_is_ancestor (focus, GTK_WIDGET (f->cashier->code_entry)));
}

static void
test_initials_down_enter (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  AdwStyleManager *manager = adw_style_manager_get_default ();
  TillSearchWindow *window = open_search (f);
  TillProductSearch *search = till_search_window_get_search (window);
  g_autofree char *light = NULL, *dark = NULL;
  TillSale *shown;

  till_ui_type ("kkkl", 40, FALSE);
  TILL_UI_WAIT_FOR (answered (window, "kkkl"), WAIT_MS);
  g_assert_cmpstr (visible_page (window), ==, "results");
  g_assert_cmpuint (till_product_search_get_n_results (search), ==, 2);
  g_assert_cmpstr (till_product_search_get_result (search, 0)->product->name, ==,
                   "可口可乐 330ml");
  g_assert_cmpint (till_product_search_get_selected (search), ==, 0);
  till_ui_key ("Down", FALSE);
  till_ui_pump (100);
  g_assert_cmpint (till_product_search_get_selected (search), ==, 1);
  /* the typing stayed in the entry */
  g_assert_cmpstr (gtk_editable_get_text (till_search_window_get_entry (window)), ==, "kkkl");

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  till_ui_pump (300);
  light = till_ui_screenshot (GTK_WIDGET (window), "search-results-light");
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  till_ui_pump (300);
  dark = till_ui_screenshot (GTK_WIDGET (window), "search-results-dark");
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  till_ui_pump (100);
  g_assert_true (g_file_test (light, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (dark, G_FILE_TEST_IS_REGULAR));

  till_ui_key ("Return", FALSE);
  TILL_UI_WAIT_FOR (till_ui_n_lines (f) == 1, WAIT_MS);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_SEARCH_WINDOW) == NULL, WAIT_MS);
  g_assert_cmpstr (till_sale_line_get_name (till_sale_get_line (till_ui_sale (f), 0)), ==,
                   "可口可乐 500ml");
  g_assert_cmpint (till_sale_get_total_fen (till_ui_sale (f)), ==, 350);
  /* on the customer display too */
  shown = till_customer_display_get_sale (f->display);
  g_assert_true (shown == till_ui_sale (f));
  TILL_UI_WAIT_FOR (g_strcmp0 (till_customer_display_get_total_text (f->display), "¥3.50") == 0,
                    WAIT_MS);
  /* stored, and the focus back on the code entry */
  till_store_flush (f->store);
  {
    g_autoptr(TillSale) stored =
      till_ui_load_stored_sale (f, till_sale_get_number (till_ui_sale (f)));

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (stored)), ==, 1);
  }
  TILL_UI_WAIT_FOR (code_entry_has_focus (f), WAIT_MS);
  till_ui_screenshot (GTK_WIDGET (f->display), "search-customer-display");
  till_ui_fixture_free (f);
}

static void
test_barcode_end (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  TillSearchWindow *window = open_search (f);

  /* the last digits of 可口可乐 500ml's barcode, read off a torn label; Enter at once, before
   * the answer: the first result is added when it comes */
  till_ui_type ("02057", 30, TRUE);
  TILL_UI_WAIT_FOR (till_ui_n_lines (f) == 1, WAIT_MS);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_SEARCH_WINDOW) == NULL, WAIT_MS);
  g_assert_cmpstr (till_sale_line_get_name (till_sale_get_line (till_ui_sale (f), 0)), ==,
                   "可口可乐 500ml");
  (void) window;
  till_ui_fixture_free (f);
}

static void
test_weighed_asks_weight (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  TillSearchWindow *window = open_search (f);
  TillQuantityWindow *qty;

  till_ui_type ("xiangjiao", 30, FALSE);
  TILL_UI_WAIT_FOR (answered (window, "xiangjiao"), WAIT_MS);
  g_assert_cmpstr (till_product_search_get_result (till_search_window_get_search (window), 0)
                     ->product->name, ==, "香蕉");
  till_ui_key ("Return", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_QUANTITY_WINDOW) != NULL, WAIT_MS);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);
  qty = TILL_QUANTITY_WINDOW (till_ui_find_window (TILL_TYPE_QUANTITY_WINDOW));
  till_ui_focus_window (GTK_WINDOW (qty));
  till_ui_type ("0.5", 40, TRUE);
  TILL_UI_WAIT_FOR (till_ui_n_lines (f) == 1, WAIT_MS);
  g_assert_cmpint (till_sale_line_get_qty_milli (till_sale_get_line (till_ui_sale (f), 0)), ==,
                   500);
  g_assert_cmpint (till_sale_get_total_fen (till_ui_sale (f)), ==, 349);
  till_ui_fixture_free (f);
}

static void
test_nothing_found_and_escape (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  TillSearchWindow *window = open_search (f);

  g_assert_cmpstr (visible_page (window), ==, "hint");
  till_ui_screenshot (GTK_WIDGET (window), "search-hint");
  till_ui_type ("qqzzx", 30, FALSE);
  TILL_UI_WAIT_FOR (answered (window, "qqzzx"), WAIT_MS);
  g_assert_cmpstr (visible_page (window), ==, "empty");
  till_ui_screenshot (GTK_WIDGET (window), "search-nothing-found");
  /* Enter on nothing adds nothing and keeps the window */
  till_ui_key ("Return", FALSE);
  till_ui_pump (200);
  g_assert_nonnull (till_ui_find_window (TILL_TYPE_SEARCH_WINDOW));
  till_ui_key ("Escape", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_SEARCH_WINDOW) == NULL, WAIT_MS);
  TILL_UI_WAIT_FOR (code_entry_has_focus (f), WAIT_MS);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);
  /* the next keys go to the code entry */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_type ("8001", 60, TRUE);
  TILL_UI_WAIT_FOR (till_ui_n_lines (f) == 1, WAIT_MS);
  till_ui_fixture_free (f);
}

static GtkMenuButton *
find_menu_button (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget))
    return GTK_MENU_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkMenuButton *found = find_menu_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
menu_has_action (GMenuModel *model,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &name)
          && g_str_equal (name, action))
        return TRUE;
      if (section != NULL && menu_has_action (section, action))
        return TRUE;
    }
  return FALSE;
}

static void
test_main_menu (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  GtkMenuButton *button = find_menu_button (GTK_WIDGET (f->cashier));
  TillSearchWindow *window;

  /* the main menu has the search, and its action opens the window */
  g_assert_nonnull (button);
  g_assert_true (menu_has_action (gtk_menu_button_get_menu_model (button), "cashier.search"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->cashier), "cashier.search", NULL));
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_SEARCH_WINDOW) != NULL, WAIT_MS);
  window = TILL_SEARCH_WINDOW (till_ui_find_window (TILL_TYPE_SEARCH_WINDOW));
  gtk_window_close (GTK_WINDOW (window));
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_SEARCH_WINDOW) == NULL, WAIT_MS);
  till_ui_fixture_free (f);
}

int
main (int    argc,
      char **argv)
{
  /* The key-sending thread has an X connection of its own. */
  XInitThreads ();
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/search/initials-down-enter", test_initials_down_enter);
  g_test_add_func ("/ui/search/barcode-end", test_barcode_end);
  g_test_add_func ("/ui/search/weighed-asks-weight", test_weighed_asks_weight);
  g_test_add_func ("/ui/search/nothing-found-and-escape", test_nothing_found_and_escape);
  g_test_add_func ("/ui/search/main-menu", test_main_menu);
  return g_test_run ();
}
