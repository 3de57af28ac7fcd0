/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GUI test of the quick keys (issue 15) on Xvfb with real keys and a real click: two keys
 * arranged on a page and a weighed one on another; Alt+1 adds the first, Ctrl+Page Down
 * shows the other page, its weighed key asks for the weight and the cart shows it; a click
 * adds a key; no keys, no pad. Screenshots at 1280×800 and 1920×1080. The quick keys
 * window: Ctrl+Shift+Q and a manager's PIN, a page added, keys found and added with Enter,
 * moved with Alt+Left, removed with Alt+Delete; the cashier's pad follows; from the
 * products window it opens without another PIN and offers the product open there. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <string.h>

#include <X11/Xlib.h>

#include "till-manager-actions.h"
#include "till-pin-window.h"
#include "till-products-window.h"
#include "till-quantity-window.h"
#include "till-quick-keys-window.h"
#include "till-shift.h"
#include "till-store-products.h"
#include "till-store-quickkeys.h"
#include "till-ui-test.h"

#define COLA_EAN "6954767002057" /* 可口可乐 500ml, ¥3.50 */
#define EGG_PLU "8001"           /* 茶叶蛋, ¥2.00 */
#define BANANA_PLU "100001"      /* 香蕉, per kg */
#define WAIT_MS 5000
#define MANAGER_PIN "8642"

static TillProduct *
product (TillUiFixture *f, const char *code)
{
  g_autoptr (GError) error = NULL;
  TillProduct *p = strlen (code) > 8 ? till_store_lookup_barcode (f->store, code, &error)
                                     : till_store_lookup_plu (f->store, code, &error);

  g_assert_no_error (error);
  g_assert_nonnull (p);
  return p;
}

static void
place (TillUiFixture *f, gint64 page, const char *code, const char *colour)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TillProduct) p = product (f, code);

  g_assert_cmpint (
      till_store_place_quick_key (f->store, page, p->id, NULL, colour, "manager", &error), >, 0);
  g_assert_no_error (error);
}

static TillQuickKeyPad *
pad (TillUiFixture *f)
{
  return _till_cashier_window_get_quick_keys (f->cashier);
}

static void
reload (TillUiFixture *f)
{
  till_quick_key_pad_reload (pad (f));
  TILL_UI_WAIT_FOR (!till_quick_key_pad_get_loading (pad (f)), WAIT_MS);
  till_ui_pump (200);
}

/* Whether a label under `widget` reads `text`. */
static gboolean
shows_text (GtkWidget *widget, const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

static gint64
line_qty (TillUiFixture *f, guint index)
{
  return till_sale_line_get_qty_milli (till_sale_get_line (till_ui_sale (f), index));
}

static void
test_keys (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (TillProduct) egg = product (f, EGG_PLU);
  g_autoptr (TillProduct) cola = product (f, COLA_EAN);
  g_autoptr (TillProduct) banana = product (f, BANANA_PLU);
  g_autofree char *png = NULL;
  TillQuantityWindow *qty;
  gint64 bakery, produce;
  int cart_height_without = 0;

  /* No key arranged: no pad, the cart has the room; Alt+1 does nothing. */
  reload (f);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (pad (f))));
  cart_height_without = gtk_widget_get_height (GTK_WIDGET (f->cashier->cart_stack));
  till_ui_key_alt ("1");
  till_ui_pump (200);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);

  bakery = till_store_add_category (f->store, "Bakery", "manager", &error);
  produce = till_store_add_category (f->store, "Produce", "manager", &error);
  g_assert_no_error (error);
  place (f, bakery, EGG_PLU, "#f6d32d");
  place (f, bakery, COLA_EAN, NULL);
  place (f, produce, BANANA_PLU, "#26a269");
  reload (f);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (pad (f))));
  g_assert_cmpstr (till_quick_key_pad_get_page_name (pad (f)), ==, "Bakery");
  g_assert_cmpuint (till_quick_key_pad_get_n_keys (pad (f)), ==, 2);
  /* The keys are big enough for a finger and the cart keeps most of its room. */
  {
    graphene_rect_t box;

    g_assert_true (gtk_widget_compute_bounds (till_quick_key_pad_get_button (pad (f), 0),
                                              till_quick_key_pad_get_button (pad (f), 0), &box));
    g_assert_cmpfloat (box.size.height, >=, 64);
    g_assert_cmpfloat (box.size.width, >=, 120);
  }
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (f->cashier->cart_stack)), >=,
                   cart_height_without * 6 / 10);
  g_test_message ("cart %d px high without keys, %d with", cart_height_without,
                  gtk_widget_get_height (GTK_WIDGET (f->cashier->cart_stack)));

  /* Alt+1: the first key of the page, through the checkout (the code entry has the focus). */
  gtk_widget_grab_focus (GTK_WIDGET (f->cashier->code_entry));
  till_ui_key_alt ("1");
  TILL_UI_WAIT_FOR (till_ui_n_lines (f) == 1, WAIT_MS);
  g_assert_cmpint (till_sale_line_get_product_id (till_sale_get_line (till_ui_sale (f), 0)), ==,
                   egg->id);
  g_assert_cmpint (line_qty (f, 0), ==, 1000);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->cashier->code_entry)), ==, "");

  /* Alt+9: no ninth key, nothing added. */
  till_ui_key_alt ("9");
  till_ui_pump (300);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 1);

  png = till_ui_screenshot (GTK_WIDGET (f->cashier), "quickkeys-cashier-1280x800");
  g_test_message ("screenshot %s", png);
  g_clear_pointer (&png, g_free);

  /* Ctrl+Page Down: the next page; its weighed key asks for the weight. */
  till_ui_key ("Page_Down", TRUE);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_quick_key_pad_get_page_name (pad (f)), "Produce") == 0,
                    WAIT_MS);
  g_assert_cmpuint (till_quick_key_pad_get_n_keys (pad (f)), ==, 1);
  till_ui_key_alt ("1");
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_QUANTITY_WINDOW) != NULL, WAIT_MS);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 1);
  qty = TILL_QUANTITY_WINDOW (till_ui_find_window (TILL_TYPE_QUANTITY_WINDOW));
  till_ui_focus_window (GTK_WINDOW (qty));
  till_ui_type ("0.75", 40, TRUE);
  TILL_UI_WAIT_FOR (till_ui_n_lines (f) == 2, WAIT_MS);
  g_assert_cmpint (till_sale_line_get_product_id (till_sale_get_line (till_ui_sale (f), 1)), ==,
                   banana->id);
  g_assert_cmpint (line_qty (f, 1), ==, 750);
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_pump (300);
  g_assert_true (shows_text (GTK_WIDGET (f->cashier->cart_view), "0.750"));

  /* Ctrl+Page Up: back to the first page (round with two pages either way). */
  till_ui_key ("Page_Up", TRUE);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_quick_key_pad_get_page_name (pad (f)), "Bakery") == 0, WAIT_MS);

  /* A click on the second key adds it (once the page's new buttons have their place). */
  TILL_UI_WAIT_FOR (gtk_widget_get_mapped (till_quick_key_pad_get_button (pad (f), 1))
                        && gtk_widget_get_width (till_quick_key_pad_get_button (pad (f), 1)) > 0,
                    WAIT_MS);
  till_ui_pump (200);
  till_ui_pointer_to (till_quick_key_pad_get_button (pad (f), 1), 0.5, 0.5);
  till_ui_click ();
  TILL_UI_WAIT_FOR (till_ui_n_lines (f) == 3, WAIT_MS);
  g_assert_cmpint (till_sale_line_get_product_id (till_sale_get_line (till_ui_sale (f), 2)), ==,
                   cola->id);

  till_ui_pump (300);
  png = till_ui_screenshot (GTK_WIDGET (f->cashier), "quickkeys-cashier-1280x800-lines");
  g_test_message ("screenshot %s", png);
  g_clear_pointer (&png, g_free);

  gtk_window_set_default_size (GTK_WINDOW (f->cashier), 1920, 1080);
  till_ui_pump (600);
  png = till_ui_screenshot (GTK_WIDGET (f->cashier), "quickkeys-cashier-1920x1080");
  g_test_message ("screenshot %s", png);

  /* A product made inactive: its key goes at the next reload, not an error. */
  {
    g_autoptr (TillProduct) p = till_store_get_product (f->store, cola->id, NULL, &error);

    g_assert_no_error (error);
    p->active = FALSE;
    g_assert_cmpint (till_store_save_product (f->store, p, 0, 0, "manager", &error), ==, cola->id);
    g_assert_no_error (error);
  }
  reload (f);
  g_assert_cmpuint (till_quick_key_pad_get_n_keys (pad (f)), ==, 1);
  till_ui_fixture_free (f);
}

/* The cashier's window with two rows of quick keys still fits a small till's screen: a
 * 1366×768 or 1024×768 display under a 32 px top bar leaves 736 px. */
static void
test_fits_small_screens (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr (GError) error = NULL;
  const char *codes[] = { EGG_PLU, "8002", "8003", "8004", "8005", BANANA_PLU };
  gint64 page = till_store_add_category (f->store, "Counter", "manager", &error);
  int widths[] = { 1366, 1024 };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    place (f, page, codes[i], NULL);
  reload (f);
  g_assert_cmpuint (till_quick_key_pad_get_n_keys (pad (f)), ==, G_N_ELEMENTS (codes));
  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      int min_width = 0, min_height = 0;

      gtk_widget_measure (GTK_WIDGET (f->cashier), GTK_ORIENTATION_HORIZONTAL, -1, &min_width,
                          NULL, NULL, NULL);
      gtk_widget_measure (GTK_WIDGET (f->cashier), GTK_ORIENTATION_VERTICAL, widths[i],
                          &min_height, NULL, NULL, NULL);
      g_test_message ("%d px wide: at least %d px high (and %d px wide)", widths[i], min_height,
                      min_width);
      g_assert_cmpint (min_width, <=, widths[i]);
      g_assert_cmpint (min_height, <=, 736);
    }
  gtk_window_set_default_size (GTK_WINDOW (f->cashier), 1024, 736);
  till_ui_pump (600);
  g_free (till_ui_screenshot (GTK_WIDGET (f->cashier), "quickkeys-cashier-1024x736"));
  till_ui_fixture_free (f);
}

static gint64
count_rows (TillUiFixture *f, const char *sql, const char *arg)
{
  g_autofree char *n = till_ui_query_text (f, sql, arg);

  return g_ascii_strtoll (n, NULL, 10);
}

static gboolean
message_is (TillQuickKeysWindow *w, const char *text)
{
  return !till_quick_keys_window_get_busy (w)
         && g_strcmp0 (till_quick_keys_window_get_message (w), text) == 0;
}

static gboolean
keys_are (TillQuickKeysWindow *w, const char *text)
{
  g_autofree char *keys = till_quick_keys_window_dup_keys_text (w);

  return !till_quick_keys_window_get_busy (w) && g_strcmp0 (keys, text) == 0;
}

/* Types `query` into the window's search, waits for the results, Enter adds the first. */
static void
add_by_search (TillQuickKeysWindow *w, GtkWidget *search, const char *query, const char *keys_after)
{
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  gtk_widget_grab_focus (search);
  till_ui_type (query, 20, FALSE);
  till_ui_pump (600); /* the search entry's delay, then the store */
  till_ui_key ("Return", FALSE);
  TILL_UI_WAIT_FOR (keys_are (w, keys_after), WAIT_MS);
}

static void
test_window (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr (GtkApplication) app = NULL;
  g_autoptr (TillManagerActions) actions = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TillProduct) cola = product (f, COLA_EAN);
  g_autofree char *png = NULL;
  TillPeople *people = till_shift_get_people (till_context_get_shift (f->context));
  TillQuickKeysWindow *w = NULL;
  GtkWindow *pin = NULL;
  GtkWindow *products = NULL;
  GtkWidget *search, *page_entry;

  till_people_add (people, "王店长", TILL_ROLE_MANAGER, MANAGER_PIN, "test", &error);
  g_assert_no_error (error);
  app = gtk_application_new (APPLICATION_ID ".QuickKeysTest", G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  gtk_application_add_window (app, GTK_WINDOW (f->cashier));
  actions = till_manager_actions_new (app, f->context);

  /* Ctrl+Shift+Q, the manager's PIN: the window, and the approval in the audit log. */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key_control_shift ("q");
  TILL_UI_WAIT_FOR ((pin = till_ui_find_window (TILL_TYPE_PIN_WINDOW)) != NULL, WAIT_MS);
  g_assert_null (till_ui_find_window (TILL_TYPE_QUICK_KEYS_WINDOW));
  till_ui_focus_window (pin);
  till_ui_type (MANAGER_PIN, 20, TRUE);
  TILL_UI_WAIT_FOR ((w = (TillQuickKeysWindow *)till_ui_find_window (TILL_TYPE_QUICK_KEYS_WINDOW))
                        != NULL,
                    WAIT_MS);
  g_assert_cmpint (
      count_rows (f, "SELECT count(*) FROM audit WHERE action = ?1", "approve:products"), ==, 1);
  till_ui_focus_window (GTK_WINDOW (w));
  TILL_UI_WAIT_FOR (!till_quick_keys_window_get_busy (w), WAIT_MS);
  g_assert_cmpint (till_quick_keys_window_get_page (w), ==, 0);

  /* A page typed and Enter. */
  page_entry = GTK_WIDGET (gtk_widget_get_template_child (
      GTK_WIDGET (w), TILL_TYPE_QUICK_KEYS_WINDOW, "new_page_entry"));
  search = GTK_WIDGET (
      gtk_widget_get_template_child (GTK_WIDGET (w), TILL_TYPE_QUICK_KEYS_WINDOW, "search_entry"));
  gtk_widget_grab_focus (page_entry);
  till_ui_type ("bakery", 20, TRUE); /* till_ui_type() types no capitals */
  TILL_UI_WAIT_FOR (message_is (w, "Page added"), WAIT_MS);
  g_assert_cmpint (till_quick_keys_window_get_page (w), >, 0);

  /* Products found by PLU and by barcode, Enter adds each after the last. */
  add_by_search (w, search, EGG_PLU, "茶叶蛋");
  add_by_search (w, search, COLA_EAN, "茶叶蛋, 可口可乐 500ml");
  g_assert_cmpstr (till_quick_keys_window_get_message (w), ==, "Key added");

  /* The one added is selected: Alt+Left moves it first. */
  till_ui_key_alt ("Left");
  TILL_UI_WAIT_FOR (keys_are (w, "可口可乐 500ml, 茶叶蛋"), WAIT_MS);
  g_assert_cmpstr (till_quick_keys_window_get_message (w), ==, "Key moved");

  /* The same product again: refused, with words; nothing changes. */
  add_by_search (w, search, EGG_PLU, "可口可乐 500ml, 茶叶蛋");
  g_assert_cmpstr (till_quick_keys_window_get_message (w), ==,
                   "This product already has a key on this page");

  till_ui_pump (300);
  png = till_ui_screenshot (GTK_WIDGET (w), "quickkeys-window");
  g_test_message ("screenshot %s", png);
  g_clear_pointer (&png, g_free);

  /* Alt+Delete removes the selected key (the cola). */
  till_ui_key_alt ("Delete");
  TILL_UI_WAIT_FOR (keys_are (w, "茶叶蛋"), WAIT_MS);
  g_assert_cmpint (
      count_rows (f, "SELECT count(*) FROM audit WHERE action = ?1", "quick_key_remove"), ==, 1);

  /* Escape: the cashier's window is in front again and its pad shows the page. */
  till_ui_key ("Escape", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_QUICK_KEYS_WINDOW) == NULL, WAIT_MS);
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  TILL_UI_WAIT_FOR (till_quick_key_pad_get_n_keys (pad (f)) == 1, WAIT_MS);
  g_assert_cmpstr (till_quick_key_pad_get_page_name (pad (f)), ==, "bakery");
  till_ui_key_alt ("1");
  TILL_UI_WAIT_FOR (till_ui_n_lines (f) == 1, WAIT_MS);

  /* From the products window: no second PIN, and its product is offered. */
  till_ui_key_control_shift ("p");
  TILL_UI_WAIT_FOR ((pin = till_ui_find_window (TILL_TYPE_PIN_WINDOW)) != NULL, WAIT_MS);
  till_ui_focus_window (pin);
  till_ui_type (MANAGER_PIN, 20, TRUE);
  TILL_UI_WAIT_FOR ((products = till_ui_find_window (TILL_TYPE_PRODUCTS_WINDOW)) != NULL, WAIT_MS);
  till_products_window_enter_code (TILL_PRODUCTS_WINDOW (products), COLA_EAN);
  TILL_UI_WAIT_FOR (till_product_editor_get_product_id (
                        till_products_window_get_editor (TILL_PRODUCTS_WINDOW (products)))
                        == cola->id,
                    WAIT_MS);
  till_ui_focus_window (products);
  till_ui_key_control_shift ("q");
  TILL_UI_WAIT_FOR ((w = (TillQuickKeysWindow *)till_ui_find_window (TILL_TYPE_QUICK_KEYS_WINDOW))
                        != NULL,
                    WAIT_MS);
  g_assert_cmpint (
      count_rows (f, "SELECT count(*) FROM audit WHERE action = ?1", "approve:products"), ==, 2);
  TILL_UI_WAIT_FOR (keys_are (w, "茶叶蛋"), WAIT_MS);
  gtk_widget_activate_action (GTK_WIDGET (w), "quickkeys.add-current", NULL);
  TILL_UI_WAIT_FOR (keys_are (w, "茶叶蛋, 可口可乐 500ml"), WAIT_MS);
  g_assert_cmpint (count_rows (f,
                               "SELECT count(*) FROM audit WHERE action = 'quick_key_place'"
                               " AND actor = ?1",
                               "王店长"),
                   ==, 3);
  gtk_window_destroy (GTK_WINDOW (w));
  gtk_window_destroy (products);
  till_ui_fixture_free (f);
}

int
main (int argc, char *argv[])
{
  XInitThreads ();
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/quickkeys/fits-small-screens", test_fits_small_screens);
  g_test_add_func ("/ui/quickkeys/keys", test_keys);
  g_test_add_func ("/ui/quickkeys/window", test_window);
  return g_test_run ();
}
