/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue 15's whole journey on Xvfb with real keys, one product from first scan to the
 * margin report:
 *   1. Ctrl+Shift+P and a manager's PIN; a barcode the catalog does not have, scanned into
 *      the products window, starts a new product: name and price typed, saved; then its
 *      stock tracked with a minimum of 21 and a cost of ¥3.50, saved with Ctrl+S;
 *   2. Ctrl+Shift+Q from there (no second PIN): a page typed, Alt+Insert puts the product
 *      open in the products window on it;
 *   3. at the counter: Alt+1 (the quick key) and a scan sell two, paid in cash with F8;
 *   4. Ctrl+Shift+I and the PIN: 24 received at ¥3.00, Ctrl+Enter;
 *   5. Ctrl+Shift+K: the product scanned, 20 typed, the variance −2 shown, Ctrl+Enter and
 *      the PIN book it;
 *   6. the status bar says "1 low on stock" (20 < 21);
 *   7. Ctrl+R and the PIN: the report's Stock tab shows the day's margin and stock value.
 * Every figure is held against SQL of the test's own on the till's database file.
 * Screenshots: meson-logs/stock-journey-*.png. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <string.h>

#include <X11/Xlib.h>

#include "till-cash-window.h"
#include "till-manager-actions.h"
#include "till-pin-window.h"
#include "till-products-window.h"
#include "till-quick-keys-window.h"
#include "till-receiving-window.h"
#include "till-report-window-private.h"
#include "till-shift.h"
#include "till-stock-section.h"
#include "till-stocktake-window.h"
#include "till-ui-test.h"

#define NEW_EAN     "6975123450017" /* not in the demo catalog */
#define MANAGER_PIN "8642"
#define WAIT_MS     10000

/* The PIN window that the last command asked for, the manager's PIN typed into it. */
static void
type_pin (void)
{
  GtkWindow *pin = NULL;

  TILL_UI_WAIT_FOR ((pin = till_ui_find_window (TILL_TYPE_PIN_WINDOW)) != NULL, WAIT_MS);
  till_ui_focus_window (pin);
  till_ui_type (MANAGER_PIN, 20, TRUE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_PIN_WINDOW) == NULL, WAIT_MS);
}

static GtkWindow *
wait_window (GType type)
{
  GtkWindow *window = NULL;

  TILL_UI_WAIT_FOR ((window = till_ui_find_window (type)) != NULL, WAIT_MS);
  g_assert_nonnull (window);
  till_ui_focus_window (window);
  return window;
}

static void
close_with_escape (GtkWindow *window, GType type)
{
  /* The first Escape may only dismiss a toast (libadwaita). */
  for (int i = 0; i < 3 && till_ui_find_window (type) != NULL; i++)
    {
      till_ui_focus_window (window);
      till_ui_key ("Escape", FALSE);
      till_ui_pump (300);
    }
  if (till_ui_find_window (type) != NULL)
    g_free (till_ui_screenshot_screen ("stock-journey-not-closed"));
  TILL_UI_WAIT_FOR (till_ui_find_window (type) == NULL, WAIT_MS);
}

/* The text a widget shows for `find_under`: an entry's placeholder, a check's label. */
static const char *
widget_text (GtkWidget *widget)
{
  if (GTK_IS_ENTRY (widget))
    return gtk_entry_get_placeholder_text (GTK_ENTRY (widget));
  if (GTK_IS_CHECK_BUTTON (widget))
    return gtk_check_button_get_label (GTK_CHECK_BUTTON (widget));
  return NULL;
}

/* The first widget of `type` under `widget` whose placeholder or label is `text`. */
static GtkWidget *
find_under (GtkWidget *widget, GType type, const char *text)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && g_strcmp0 (widget_text (widget), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_under (child, type, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Focuses `entry`, selects what it holds and types `text` with real keys. */
static void
type_into (GtkWidget *entry, const char *text)
{
  g_assert_nonnull (entry);
  gtk_widget_grab_focus (entry);
  till_ui_pump (50);
  till_ui_key ("a", TRUE);
  till_ui_key ("BackSpace", FALSE);
  till_ui_type (text, 15, FALSE);
}

/* Waits until `sql` (with `arg` as ?1) reads `expected`, then asserts it. */
static void
wait_sql (TillUiFixture *f, const char *sql, const char *arg, const char *expected)
{
  g_autofree char *text = NULL;

  TILL_UI_WAIT_FOR ((g_free (text), text = till_ui_query_text (f, sql, arg),
                     g_strcmp0 (text, expected) == 0),
                    WAIT_MS);
  g_assert_cmpstr (text, ==, expected);
}

static gboolean
saved (TillProductsWindow *w)
{
  return g_str_has_prefix (till_products_window_get_message (w), "Saved");
}

static TillProductsWindow *
add_product (TillUiFixture *f)
{
  TillProductsWindow *w;
  TillProductEditor *editor;
  GtkWidget *track;
  g_autofree char *shot = NULL;

  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key_control_shift ("p");
  type_pin ();
  w = TILL_PRODUCTS_WINDOW (wait_window (TILL_TYPE_PRODUCTS_WINDOW));
  editor = till_products_window_get_editor (w);

  /* The unknown barcode scanned into the window: a new product with it; the name has the
   * focus, Tab goes to the price, Enter saves. */
  till_ui_feed (f, NEW_EAN);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_product_editor_get_barcode (editor), NEW_EAN) == 0, WAIT_MS);
  g_assert_cmpint (till_product_editor_get_product_id (editor), ==, 0);
  till_ui_pump (200);
  till_ui_type ("tangyuan", 15, FALSE);
  till_ui_key ("Tab", FALSE);
  till_ui_type ("6.00", 15, TRUE);
  TILL_UI_WAIT_FOR (saved (w), WAIT_MS);
  g_assert_cmpstr (till_products_window_get_message (w), ==, "Saved “tangyuan”");
  g_assert_cmpint (till_product_editor_get_product_id (editor), >, 0);

  /* Its stock: tracked, a minimum of 21, a cost of ¥3.50; Ctrl+S. */
  track = find_under (GTK_WIDGET (w), GTK_TYPE_CHECK_BUTTON, "Track stock");
  g_assert_nonnull (track);
  gtk_widget_grab_focus (track);
  till_ui_pump (50);
  till_ui_key ("space", FALSE);
  TILL_UI_WAIT_FOR (gtk_check_button_get_active (GTK_CHECK_BUTTON (track)), WAIT_MS);
  type_into (find_under (GTK_WIDGET (w), GTK_TYPE_ENTRY, "0"), "21");
  type_into (find_under (GTK_WIDGET (w), GTK_TYPE_ENTRY, "Latest cost, 8.50"), "3.50");
  till_ui_key ("s", TRUE);
  wait_sql (f,
            "SELECT name || '|' || price_fen || '|' || track_stock || '|' || min_stock_milli"
            " || '|' || cost_fen FROM product WHERE barcode = ?1",
            NEW_EAN, "tangyuan|600|1|21000|350");
  TILL_UI_WAIT_FOR (saved (w), WAIT_MS);
  shot = till_ui_screenshot (GTK_WIDGET (w), "stock-journey-product");
  g_test_message ("screenshot %s", shot);
  return w;
}

/* Ctrl+Shift+Q from the products window: a page typed, Alt+Insert adds the product open
 * there. */
static void
arrange_quick_key (TillUiFixture *f, TillProductsWindow *products)
{
  TillQuickKeysWindow *w;
  GtkWidget *page_entry;
  g_autofree char *keys = NULL;

  till_ui_focus_window (GTK_WINDOW (products));
  till_ui_key_control_shift ("q");
  w = TILL_QUICK_KEYS_WINDOW (wait_window (TILL_TYPE_QUICK_KEYS_WINDOW));
  g_assert_null (till_ui_find_window (TILL_TYPE_PIN_WINDOW));
  TILL_UI_WAIT_FOR (!till_quick_keys_window_get_busy (w), WAIT_MS);
  page_entry = GTK_WIDGET (
      gtk_widget_get_template_child (GTK_WIDGET (w), TILL_TYPE_QUICK_KEYS_WINDOW, "new_page_entry"));
  gtk_widget_grab_focus (page_entry);
  till_ui_type ("frozen", 20, TRUE);
  TILL_UI_WAIT_FOR (!till_quick_keys_window_get_busy (w)
                        && g_strcmp0 (till_quick_keys_window_get_message (w), "Page added") == 0,
                    WAIT_MS);
  till_ui_key_alt ("Insert");
  TILL_UI_WAIT_FOR ((g_free (keys), keys = till_quick_keys_window_dup_keys_text (w),
                     !till_quick_keys_window_get_busy (w) && g_strcmp0 (keys, "tangyuan") == 0),
                    WAIT_MS);
  g_assert_cmpstr (keys, ==, "tangyuan");
  wait_sql (f,
            "SELECT c.name || '|' || q.position FROM quick_key q JOIN category c"
            " ON c.id = q.category_id JOIN product p ON p.id = q.product_id WHERE p.barcode = ?1",
            NEW_EAN, "frozen|0");
  close_with_escape (GTK_WINDOW (w), TILL_TYPE_QUICK_KEYS_WINDOW);
  close_with_escape (GTK_WINDOW (products), TILL_TYPE_PRODUCTS_WINDOW);
}

/* At the counter: Alt+1 and a scan, F8 and ¥20 in cash. */
static void
sell_two (TillUiFixture *f)
{
  TillCashWindow *cash;
  TillSale *sale;

  till_ui_focus_window (GTK_WINDOW (f->cashier));
  TILL_UI_WAIT_FOR (till_quick_key_pad_get_n_keys (_till_cashier_window_get_quick_keys (
                        f->cashier)) == 1,
                    WAIT_MS);
  g_assert_cmpstr (till_quick_key_pad_get_page_name (_till_cashier_window_get_quick_keys (
                       f->cashier)), ==, "frozen");
  till_ui_key_alt ("1");
  TILL_UI_WAIT_FOR (till_ui_n_lines (f) == 1, WAIT_MS);
  till_ui_add_and_wait (f, NEW_EAN, WAIT_MS);
  sale = till_ui_sale (f);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1200);
  {
    gint64 qty = 0;

    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (sale)); i++)
      {
        g_assert_cmpstr (till_sale_line_get_name (till_sale_get_line (sale, i)), ==, "tangyuan");
        qty += till_sale_line_get_qty_milli (till_sale_get_line (sale, i));
      }
    g_assert_cmpint (qty, ==, 2000);
  }
  till_ui_key ("F8", FALSE);
  cash = TILL_CASH_WINDOW (wait_window (TILL_TYPE_CASH_WINDOW));
  gtk_editable_set_text (till_cash_window_get_entry (cash), "");
  till_ui_type ("20", 40, TRUE);
  TILL_UI_WAIT_FOR (till_sale_get_state (sale) == TILL_SALE_STATE_PAID, WAIT_MS);
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  /* Sold before any was received: the level is below zero (allowed), at the cost then. */
  wait_sql (f,
            "SELECT SUM (m.qty_milli) || '|' || group_concat (m.kind || ':' || m.cost_fen)"
            " FROM stock_move m JOIN product p ON p.id = m.product_id WHERE p.barcode = ?1",
            NEW_EAN, "-2000|sale:350");
}

/* Ctrl+Shift+I and the PIN: 24 at ¥3.00 from a supplier, Ctrl+Enter. */
static void
receive_24 (TillUiFixture *f)
{
  TillReceivingWindow *w;
  TillReceivingDraft *draft;
  g_autofree char *shot = NULL;

  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key_control_shift ("i");
  type_pin ();
  w = TILL_RECEIVING_WINDOW (wait_window (TILL_TYPE_RECEIVING_WINDOW));
  draft = till_receiving_window_get_draft (w);
  till_ui_type ("sanquan", 10, FALSE);
  till_ui_feed (f, NEW_EAN);
  TILL_UI_WAIT_FOR (till_receiving_draft_get_n_lines (draft) == 1, WAIT_MS);
  till_ui_pump (100);
  till_ui_type ("24", 20, TRUE);
  till_ui_type ("3.00", 20, FALSE);
  till_ui_pump (100);
  g_assert_cmpint (till_receiving_draft_get_total_fen (draft), ==, 7200);
  shot = till_ui_screenshot (GTK_WIDGET (w), "stock-journey-receiving");
  till_ui_key ("Return", TRUE);
  TILL_UI_WAIT_FOR (g_str_has_prefix (till_receiving_window_get_message (w), "Receiving R"),
                    WAIT_MS);
  wait_sql (f,
            "SELECT SUM (m.qty_milli) || '|' || p.cost_fen FROM stock_move m"
            " JOIN product p ON p.id = m.product_id WHERE p.barcode = ?1",
            NEW_EAN, "22000|300");
  close_with_escape (GTK_WINDOW (w), TILL_TYPE_RECEIVING_WINDOW);
}

/* Ctrl+Shift+K: scanned, 20 typed: −2 (22 expected); Ctrl+Enter and the PIN book it. */
static void
count_20 (TillUiFixture *f)
{
  TillStocktakeWindow *w;
  TillStocktakeDraft *draft;
  g_autofree char *shot = NULL;

  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key_control_shift ("k");
  w = TILL_STOCKTAKE_WINDOW (wait_window (TILL_TYPE_STOCKTAKE_WINDOW));
  draft = till_stocktake_window_get_draft (w);
  till_ui_feed (f, NEW_EAN);
  TILL_UI_WAIT_FOR (till_stocktake_draft_get_n_lines (draft) == 1, WAIT_MS);
  till_ui_pump (100);
  g_assert_cmpint (till_stocktake_draft_get_line (draft, 0)->expected_milli, ==, 22000);
  till_ui_type ("20", 20, FALSE);
  till_ui_pump (100);
  g_assert_cmpstr (till_stocktake_window_get_variance_text (w, 0), ==, "-2");
  shot = till_ui_screenshot (GTK_WIDGET (w), "stock-journey-stocktake");
  g_test_message ("screenshot %s", shot);
  till_ui_key ("Return", TRUE);
  type_pin ();
  TILL_UI_WAIT_FOR (till_stocktake_draft_get_booked_id (draft) != 0, WAIT_MS);
  till_ui_pump (100);
  g_assert_cmpstr (till_stocktake_window_get_variance_text (w, 0), ==, "-2");
  /* The variance as the database has it: the line, one move, and the level. */
  wait_sql (f,
            "SELECT l.expected_milli || '|' || l.counted_milli || '|' || l.variance_milli"
            " FROM stocktake_line l JOIN product p ON p.id = l.product_id WHERE p.barcode = ?1",
            NEW_EAN, "22000|20000|-2000");
  wait_sql (f,
            "SELECT SUM (m.qty_milli) || '|' || SUM (m.kind = 'stocktake') FROM stock_move m"
            " JOIN product p ON p.id = m.product_id WHERE p.barcode = ?1",
            NEW_EAN, "20000|1");
  close_with_escape (GTK_WINDOW (w), TILL_TYPE_STOCKTAKE_WINDOW);
}

/* Ctrl+R and the PIN: the Stock tab against SQL. */
static void
check_report (TillUiFixture *f)
{
  TillReportWindow *w;
  TillStockSection *section;
  g_autofree char *revenue = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *margin = NULL;
  g_autofree char *value = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *sql = NULL;

  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("r", TRUE);
  type_pin ();
  w = TILL_REPORT_WINDOW (wait_window (TILL_TYPE_REPORT_WINDOW));
  TILL_UI_WAIT_FOR (!till_report_window_get_loading (w), WAIT_MS);
  gtk_stack_set_visible_child_name (w->stack, "stock");
  section = till_report_window_get_stock_section (w);
  g_assert_false (till_stock_section_get_empty (section));

  /* Revenue: what the paid sales' lines of the product cost the customers; cost: what the
   * sale moves took out at their cost; stock value: the level at the latest cost. */
  sql = till_ui_query_text (f,
                            "SELECT SUM (l.final_fen) FROM sale_line l JOIN sale s"
                            " ON s.id = l.sale_id JOIN product p ON p.id = l.product_id"
                            " WHERE s.state = 'paid' AND p.barcode = ?1",
                            NEW_EAN);
  revenue = till_money_format (g_ascii_strtoll (sql, NULL, 10));
  g_clear_pointer (&sql, g_free);
  sql = till_ui_query_text (f,
                            "SELECT -SUM (m.qty_milli * m.cost_fen) / 1000 FROM stock_move m"
                            " JOIN product p ON p.id = m.product_id"
                            " WHERE m.kind IN ('sale', 'void', 'refund') AND p.barcode = ?1",
                            NEW_EAN);
  cost = till_money_format (g_ascii_strtoll (sql, NULL, 10));
  g_clear_pointer (&sql, g_free);
  sql = till_ui_query_text (f,
                            "SELECT (SELECT SUM (l.final_fen) FROM sale_line l JOIN sale s"
                            "  ON s.id = l.sale_id WHERE s.state = 'paid'"
                            "  AND l.product_id = p.id)"
                            " + (SELECT SUM (m.qty_milli * m.cost_fen) / 1000 FROM stock_move m"
                            "  WHERE m.product_id = p.id AND m.kind IN ('sale', 'void', 'refund'))"
                            " FROM product p WHERE p.barcode = ?1",
                            NEW_EAN);
  margin = till_money_format (g_ascii_strtoll (sql, NULL, 10));
  g_clear_pointer (&sql, g_free);
  sql = till_ui_query_text (f,
                            "SELECT SUM (m.qty_milli) * p.cost_fen / 1000 FROM stock_move m"
                            " JOIN product p ON p.id = m.product_id WHERE p.barcode = ?1",
                            NEW_EAN);
  value = till_money_format (g_ascii_strtoll (sql, NULL, 10));

  g_assert_cmpstr (revenue, ==, "¥12.00");
  g_assert_cmpstr (cost, ==, "¥7.00");
  g_assert_cmpstr (margin, ==, "¥5.00");
  g_assert_cmpstr (value, ==, "¥60.00");
  g_assert_cmpstr (till_stock_section_get_figure (section, "revenue"), ==, revenue);
  g_assert_cmpstr (till_stock_section_get_figure (section, "cost"), ==, cost);
  g_assert_cmpstr (till_stock_section_get_figure (section, "margin"), ==, margin);
  g_assert_cmpstr (till_stock_section_get_figure (section, "percent"), ==, "41.7%");
  g_assert_cmpstr (till_stock_section_get_figure (section, "value"), ==, value);
  till_ui_pump (300);
  shot = till_ui_screenshot (GTK_WIDGET (w), "stock-journey-report");
  g_test_message ("screenshot %s", shot);
  close_with_escape (GTK_WINDOW (w), TILL_TYPE_REPORT_WINDOW);
}

static void
test_journey (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr (GtkApplication) app = NULL;
  g_autoptr (TillManagerActions) actions = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *low = NULL;
  g_autofree char *shot = NULL;
  TillPeople *people = till_shift_get_people (till_context_get_shift (f->context));

  till_people_add (people, "王店长", TILL_ROLE_MANAGER, MANAGER_PIN, "test", &error);
  g_assert_no_error (error);
  app = gtk_application_new (APPLICATION_ID ".StockJourneyTest", G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  gtk_application_add_window (app, GTK_WINDOW (f->cashier));
  actions = till_manager_actions_new (app, f->context);

  arrange_quick_key (f, add_product (f));
  sell_two (f);
  receive_24 (f);
  count_20 (f);

  /* The low-stock note: 20 < 21, and the database's own count says the same. */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  TILL_UI_WAIT_FOR (g_strcmp0 (_till_cashier_window_get_low_stock_text (f->cashier),
                               "1 low on stock") == 0,
                    WAIT_MS);
  g_assert_cmpstr (_till_cashier_window_get_low_stock_text (f->cashier), ==, "1 low on stock");
  low = till_ui_query_text (f,
                            "SELECT count (*) FROM (SELECT p.id FROM product p LEFT JOIN"
                            " stock_move m ON m.product_id = p.id WHERE p.track_stock = 1"
                            " GROUP BY p.id HAVING COALESCE (SUM (m.qty_milli), 0)"
                            " < p.min_stock_milli OR COALESCE (SUM (m.qty_milli), 0) < 0)",
                            NULL);
  g_assert_cmpstr (low, ==, "1");
  shot = till_ui_screenshot (GTK_WIDGET (f->cashier), "stock-journey-cashier");
  g_test_message ("screenshot %s", shot);

  check_report (f);

  gtk_application_remove_window (app, GTK_WINDOW (f->cashier));
  till_ui_fixture_free (f);
}

int
main (int argc, char *argv[])
{
  XInitThreads ();
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/stock/journey", test_journey);
  return g_test_run ();
}
