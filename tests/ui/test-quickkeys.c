/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GUI test of the quick keys (issue 15) on Xvfb with real keys and a real click: two keys
 * arranged on a page and a weighed one on another; Alt+1 adds the first, Ctrl+Page Down
 * shows the other page, its weighed key asks for the weight and the cart shows it; a click
 * adds a key; no keys, no pad. Screenshots at 1280×800 and 1920×1080. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <string.h>

#include <X11/Xlib.h>

#include "till-quantity-window.h"
#include "till-store-products.h"
#include "till-store-quickkeys.h"
#include "till-ui-test.h"

#define COLA_EAN "6954767002057" /* 可口可乐 500ml, ¥3.50 */
#define EGG_PLU "8001"           /* 茶叶蛋, ¥2.00 */
#define BANANA_PLU "100001"      /* 香蕉, per kg */
#define WAIT_MS 5000

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

  /* A click on the second key adds it. */
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

int
main (int argc, char *argv[])
{
  XInitThreads ();
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/quickkeys/keys", test_keys);
  return g_test_run ();
}
