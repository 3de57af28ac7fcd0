/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The products window's stock with real keys on Xvfb: goods imported with cost and stock
 * (one below its minimum, one sold below zero), a product scanned into the window shows
 * its level and its stock moves; tracking, a minimum and a cost typed and saved (Ctrl+S)
 * write no move; "Low stock" (Ctrl+Shift+L) lists the product below its minimum and the one
 * below zero, marked; activating a row opens that product; the stock export writes the
 * file. Screenshots: meson-logs/products-stock-*.png. */
#include "config.h"

#include <string.h>

#include <X11/Xlib.h>

#include "till-manager-actions.h"
#include "till-pin-window.h"
#include "till-products-window.h"
#include "till-shift.h"
#include "till-store-product-stock.h"
#include "till-ui-test.h"

#define MANAGER_PIN "8642"
#define WAIT_MS 10000
#define TEA_EAN "6975000000012"   /* tracked, plenty */
#define BUN_EAN "6975000000029"   /* not tracked yet */
#define CAKE_EAN "6975000000036"  /* below its minimum */
#define SNACK_EAN "6975000000043" /* sold below zero */

static gint64
count_rows (TillUiFixture *f, const char *sql, const char *arg)
{
  g_autofree char *n = till_ui_query_text (f, sql, arg);

  return g_ascii_strtoll (n, NULL, 10);
}

static TillProductsWindow *
open_products (TillUiFixture *f)
{
  GtkWindow *pin = NULL;
  GtkWindow *products = NULL;

  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key_control_shift ("p");
  TILL_UI_WAIT_FOR ((pin = till_ui_find_window (TILL_TYPE_PIN_WINDOW)) != NULL, WAIT_MS);
  till_ui_focus_window (pin);
  till_ui_type (MANAGER_PIN, 20, TRUE);
  TILL_UI_WAIT_FOR ((products = till_ui_find_window (TILL_TYPE_PRODUCTS_WINDOW)) != NULL, WAIT_MS);
  till_ui_focus_window (products);
  return TILL_PRODUCTS_WINDOW (products);
}

/* The first descendant of `widget` of `type` for which `match` (may be NULL) says yes. */
static GtkWidget *
find_widget (GtkWidget *widget, GType type, gboolean (*match) (GtkWidget *, const char *),
             const char *arg)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && (match == NULL || match (widget, arg)))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, match, arg);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
placeholder_is (GtkWidget *widget, const char *text)
{
  return g_strcmp0 (gtk_entry_get_placeholder_text (GTK_ENTRY (widget)), text) == 0;
}

static gboolean
check_label_is (GtkWidget *widget, const char *text)
{
  return g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (widget)), text) == 0;
}

/* The list whose placeholder (a label among its children) starts with `name`. */
static gboolean
list_named (GtkWidget *widget, const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (child)), name))
      return TRUE;
  return FALSE;
}

/* The labels under `widget`, depth first, joined by " | ". */
static void
append_labels (GtkWidget *widget, GString *out)
{
  if (GTK_IS_LABEL (widget))
    {
      if (out->len > 0 && out->str[out->len - 1] != '\n')
        g_string_append (out, " | ");
      g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    append_labels (child, out);
}

/* The texts of a list's rows, one line each ("a | b | c"). */
static char *
list_text (GtkListBox *list)
{
  GString *out = g_string_new (NULL);
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    {
      append_labels (GTK_WIDGET (row), out);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* Focuses `entry`, selects what it holds and types `text` with real keys. */
static void
type_into (GtkWidget *entry, const char *text)
{
  gtk_widget_grab_focus (entry);
  till_ui_pump (50);
  till_ui_key ("a", TRUE);
  till_ui_key ("BackSpace", FALSE);
  till_ui_type (text, 15, FALSE);
}

static void
test_products_stock (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr (GtkApplication) app = NULL;
  g_autoptr (TillManagerActions) actions = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *csv = g_build_filename (f->dir, "goods.csv", NULL);
  g_autofree char *export = g_build_filename (f->dir, "stock.csv", NULL);
  g_autofree char *shot = NULL;
  g_autofree char *row = NULL;
  g_autofree char *text = NULL;
  TillImportSummary summary = { 0 };
  TillPeople *people = till_shift_get_people (till_context_get_shift (f->context));
  TillProductsWindow *w;
  TillProductEditor *editor;
  GtkListBox *results, *moves;
  GtkListBox *history;
  GtkWidget *min_entry, *cost_entry, *track_check, *price_entry;
  gint64 moves_before;

  /* the goods: a CSV with cost and stock (one adjustment move each) */
  g_assert_true (
      g_file_set_contents (csv,
                           "barcode,name,price,unit,cost,stock\n" TEA_EAN
                           ",龙井茶 250g,88.00,盒,52.00,24\n" BUN_EAN ",豆沙包,2.50,个,,\n" CAKE_EAN
                           ",桂花糕,8.80,盒,5.20,3\n" SNACK_EAN ",牛肉干,25.00,袋,16.00,-2\n",
                           -1, &error));
  g_assert_true (
      till_store_import_catalog_csv_as (f->store, csv, 0, "王店长", &summary, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_levels_set, ==, 3);
  till_import_summary_clear (&summary);
  {
    g_autofree char *sql = NULL;
    gint64 cake = 0;

    row = till_ui_query_text (f, "SELECT id FROM product WHERE barcode = ?1", CAKE_EAN);
    cake = g_ascii_strtoll (row, NULL, 10);
    g_assert_true (
        till_store_save_product_stock (f->store, cake, TRUE, 5000, 520, "王店长", &error));
    g_assert_no_error (error);
    g_clear_pointer (&row, g_free);
  }

  till_people_add (people, "王店长", TILL_ROLE_MANAGER, MANAGER_PIN, "test", &error);
  g_assert_no_error (error);
  app = gtk_application_new (APPLICATION_ID ".ProductsStockTest", G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  gtk_application_add_window (app, GTK_WINDOW (f->cashier));
  actions = till_manager_actions_new (app, f->context);

  w = open_products (f);
  editor = till_products_window_get_editor (w);
  results = GTK_LIST_BOX (find_widget (GTK_WIDGET (w), GTK_TYPE_LIST_BOX, NULL, NULL));
  moves = GTK_LIST_BOX (
      find_widget (GTK_WIDGET (w), GTK_TYPE_LIST_BOX, list_named, "No stock moves"));
  g_assert_nonnull (moves);
  history = GTK_LIST_BOX (
      find_widget (GTK_WIDGET (w), GTK_TYPE_LIST_BOX, list_named, "No price changes"));
  g_assert_nonnull (history);
  price_entry = find_widget (GTK_WIDGET (w), GTK_TYPE_ENTRY, placeholder_is, "12.50");
  g_assert_nonnull (price_entry);
  g_assert_true (moves != results);
  min_entry = find_widget (GTK_WIDGET (w), GTK_TYPE_ENTRY, placeholder_is, "0");
  cost_entry = find_widget (GTK_WIDGET (w), GTK_TYPE_ENTRY, placeholder_is, "Latest cost, 8.50");
  track_check = find_widget (GTK_WIDGET (w), GTK_TYPE_CHECK_BUTTON, check_label_is, "Track stock");
  g_assert_nonnull (min_entry);
  g_assert_nonnull (cost_entry);
  g_assert_nonnull (track_check);

  /* the tea scanned into the window: its level and its one move (the import's) */
  till_ui_feed (f, TEA_EAN);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_product_editor_get_barcode (editor), TEA_EAN) == 0, WAIT_MS);
  g_assert_cmpint (till_product_editor_get_level_milli (editor), ==, 24000);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cost_entry)), ==, "52.00");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (track_check)));
  TILL_UI_WAIT_FOR (strstr ((g_free (text), text = list_text (moves)), "import:goods.csv") != NULL,
                    WAIT_MS);
  g_assert_true (g_str_has_prefix (text, "Adjustment | +24 | "));
  g_assert_true (g_str_has_suffix (text, " · import:goods.csv · 王店长\n"));

  /* the bun: track it, a minimum of 10, a cost of 1.30 and a new price, typed; Ctrl+S */
  till_ui_feed (f, BUN_EAN);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_product_editor_get_barcode (editor), BUN_EAN) == 0, WAIT_MS);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (track_check)));
  moves_before = count_rows (f, "SELECT count(*) FROM stock_move WHERE ?1 = ?1", "x");
  gtk_widget_grab_focus (track_check);
  till_ui_pump (50);
  till_ui_key ("space", FALSE);
  TILL_UI_WAIT_FOR (gtk_check_button_get_active (GTK_CHECK_BUTTON (track_check)), WAIT_MS);
  type_into (min_entry, "10");
  type_into (cost_entry, "1.30");
  type_into (price_entry, "2.80");
  till_ui_key ("s", TRUE);
  TILL_UI_WAIT_FOR (g_str_has_prefix (till_products_window_get_message (w), "Saved"), WAIT_MS);
  /* the price change in the history, read back with the save */
  TILL_UI_WAIT_FOR (strstr ((g_free (text), text = list_text (history)), "¥2.80") != NULL, WAIT_MS);
  g_assert_true (g_str_has_suffix (text, " | ¥2.50 → ¥2.80 | 王店长\n"));
  row = till_ui_query_text (f,
                            "SELECT track_stock || '|' || min_stock_milli || '|' || cost_fen"
                            " FROM product WHERE barcode = ?1",
                            BUN_EAN);
  g_assert_cmpstr (row, ==, "1|10000|130");
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM stock_move WHERE ?1 = ?1", "x"), ==,
                   moves_before);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM audit WHERE action = ?1", "stock_settings"),
                   ==, 2);
  shot = till_ui_screenshot (GTK_WIDGET (w), "products-stock-saved");
  g_test_message ("screenshot %s", shot);

  /* Low stock (Ctrl+Shift+L): the cake below its minimum, the snack below zero, the bun
   * (0 of 10) too; the tea is not there */
  till_ui_key_control_shift ("l");
  TILL_UI_WAIT_FOR (strstr ((g_free (text), text = list_text (results)), "牛肉干") != NULL,
                    WAIT_MS);
  g_test_message ("low stock:\n%s", text);
  g_assert_cmpstr (text, ==,
                   "桂花糕 | 3 (minimum 5)\n"
                   "牛肉干 | -2, below zero (minimum 0)\n"
                   "豆沙包 | 0 (minimum 10)\n");
  g_free (shot);
  shot = till_ui_screenshot (GTK_WIDGET (w), "products-stock-low");

  /* a row activated: that product, its level marked below zero, its move listed */
  gtk_widget_activate (GTK_WIDGET (gtk_list_box_get_row_at_index (results, 1)));
  TILL_UI_WAIT_FOR (g_strcmp0 (till_product_editor_get_barcode (editor), SNACK_EAN) == 0, WAIT_MS);
  g_assert_cmpint (till_product_editor_get_level_milli (editor), ==, -2000);
  g_assert_cmpuint (till_product_editor_get_stock_moves (editor)->len, ==, 1);
  till_ui_pump (200);
  g_free (shot);
  shot = till_ui_screenshot (GTK_WIDGET (w), "products-stock-below-zero");

  /* the stock export */
  till_products_window_export_stock (w, export);
  TILL_UI_WAIT_FOR (g_str_has_prefix (till_products_window_get_message (w), "The stock of"),
                    WAIT_MS);
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (export, &contents, NULL, &error));
    g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF"
                                               "barcode,plu,name,category,unit,stock,min,cost,"
                                               "value\r\n"));
    g_assert_nonnull (strstr (contents, SNACK_EAN ",,牛肉干,,袋,-2,0,16.00,0.00\r\n"));
    g_assert_nonnull (strstr (contents, TEA_EAN ",,龙井茶 250g,,盒,24,0,52.00,1248.00\r\n"));
  }
  {
    g_autofree char *expected = g_strdup_printf ("The stock of 4 products was saved in %s", export);

    g_assert_cmpstr (till_products_window_get_message (w), ==, expected);
  }

  till_ui_key ("Escape", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_PRODUCTS_WINDOW) == NULL, WAIT_MS);
  gtk_application_remove_window (app, GTK_WINDOW (f->cashier));
  till_ui_fixture_free (f);
}

int
main (int argc, char *argv[])
{
  XInitThreads ();
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/products-stock/fields-low-stock-export", test_products_stock);
  return g_test_run ();
}
