/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GUI tests of discounts and prices on Xvfb with real key events: Ctrl+D gives 10 % on a
 * line (within the cashier's limit, no PIN), Ctrl+Shift+T 15 % on the sale asks a
 * manager's PIN (typed with real keys, checked by PBKDF2 on the store thread), the cart
 * shows the original price struck through, the totals "You saved", the customer display
 * "已优惠"; Ctrl+E asks a manager too; open-price goods ask their price. Screenshots of the
 * windows go to the meson log directory. */
#include "config.h"

#include <X11/Xlib.h>
#include <X11/keysym.h>
#include <X11/extensions/XTest.h>

#include "till-discount-window.h"
#include "till-pin-window.h"
#include "till-preferences-window.h"
#include "till-report-window-private.h"
#include "till-shift.h"
#include "till-ui-test.h"

#define COLA_EAN    "6954767002057"   /* 可口可乐 500ml, ¥3.50 */
#define CHIPS_EAN   "6924678006079"   /* 乐事薯片原味 70g, ¥7.50 */
#define MANAGER_PIN "8642"
#define WAIT_MS     5000

static void
add_manager (TillUiFixture *f)
{
  g_autoptr(GError) error = NULL;
  TillPeople *people = till_shift_get_people (till_context_get_shift (f->context));

  g_assert_cmpint (till_people_add (people, "王店长", TILL_ROLE_MANAGER, MANAGER_PIN, "test",
                                    &error), >, 0);
  g_assert_no_error (error);
}

static TillDiscountWindow *
wait_discount_window (void)
{
  GtkWindow *window = NULL;

  TILL_UI_WAIT_FOR ((window = till_ui_find_window (TILL_TYPE_DISCOUNT_WINDOW)) != NULL, WAIT_MS);
  till_ui_focus_window (window);
  return TILL_DISCOUNT_WINDOW (window);
}

static gint64
stored_int (TillUiFixture *f,
            const char    *sql,
            const char    *param)
{
  g_autofree char *text = NULL;

  till_store_flush (f->store);
  text = till_ui_query_text (f, sql, param);
  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : -1;
}

static void
test_line_and_sale_discount (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  TillDiscountWindow *window;
  GtkWindow *pin = NULL;
  TillSale *sale;
  g_autofree char *shot = NULL;
  g_autofree char *detail = NULL;

  add_manager (f);
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  sale = till_ui_sale (f);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1450);

  /* Ctrl+D on the chips (the line just added is selected): 10 %, no PIN */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("d", TRUE);
  window = wait_discount_window ();
  g_assert_true (till_discount_window_get_line (window) == till_sale_get_line (sale, 1));
  shot = till_ui_screenshot (GTK_WIDGET (window), "discount-line-window");
  till_ui_type ("10", 40, TRUE);
  TILL_UI_WAIT_FOR (till_sale_get_total_fen (sale) == 700 + 675, WAIT_MS);
  g_assert_null (till_ui_find_window (TILL_TYPE_PIN_WINDOW));
  g_assert_null (till_ui_find_window (TILL_TYPE_DISCOUNT_WINDOW));
  g_assert_cmpint (till_sale_line_get_final_fen (till_sale_get_line (sale, 1)), ==, 675);
  g_assert_cmpint (stored_int (f, "SELECT count(*) FROM audit WHERE action = ?1",
                               "discount_line"), ==, 1);
  g_assert_cmpint (stored_int (f, "SELECT count(*) FROM audit WHERE action = ?1",
                               "approve:discount"), ==, 0);
  TILL_UI_WAIT_FOR (g_str_has_suffix (gtk_label_get_text (f->cashier->saved_label), "¥0.75"),
                    WAIT_MS);
  g_assert_nonnull (strstr (till_customer_display_get_saved_text (f->display), "已优惠 ¥0.75"));

  /* Ctrl+Shift+T: 15 % of the sale is above the limit, a manager's PIN is asked */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key_control_shift ("t");
  window = wait_discount_window ();
  g_assert_null (till_discount_window_get_line (window));
  till_ui_type ("15", 40, TRUE);
  TILL_UI_WAIT_FOR ((pin = till_ui_find_window (TILL_TYPE_PIN_WINDOW)) != NULL, WAIT_MS);
  g_clear_pointer (&shot, g_free);
  shot = till_ui_screenshot_screen ("discount-sale-pin");
  /* nothing changes before the manager approves */
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1375);
  till_ui_focus_window (pin);
  till_ui_type ("0000", 20, TRUE);
  TILL_UI_WAIT_FOR (!till_pin_window_get_busy (TILL_PIN_WINDOW (pin)), WAIT_MS);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1375);
  till_ui_type (MANAGER_PIN, 20, TRUE);
  /* ¥13.75 less 15 % (206.25 → 206 fen) */
  TILL_UI_WAIT_FOR (till_sale_get_total_fen (sale) == 1375 - 206, WAIT_MS);
  g_assert_null (till_ui_find_window (TILL_TYPE_PIN_WINDOW));
  g_assert_cmpint (stored_int (f, "SELECT count(*) FROM audit WHERE action = ?1",
                               "approve:discount"), ==, 1);
  g_assert_cmpint (stored_int (f, "SELECT total_fen FROM sale WHERE number = ?1",
                               till_sale_get_number (sale)), ==, 1169);
  g_assert_cmpint (stored_int (f, "SELECT sum (final_fen) FROM sale_line l JOIN sale s"
                                  " ON s.id = l.sale_id WHERE s.number = ?1",
                               till_sale_get_number (sale)), ==, 1169);
  till_store_flush (f->store);
  detail = till_ui_query_text (f, "SELECT detail_json FROM audit WHERE action = ?1",
                               "discount_sale");
  g_assert_nonnull (strstr (detail, "\"manager\":\"王店长\""));

  /* what the customer reads, and the cashier */
  TILL_UI_WAIT_FOR (g_strcmp0 (till_customer_display_get_total_text (f->display), "¥11.69") == 0,
                    WAIT_MS);
  g_assert_cmpstr (till_customer_display_get_saved_text (f->display), ==,
                   "已优惠 ¥2.81 · You saved ¥2.81");
  g_assert_cmpstr (gtk_label_get_text (f->cashier->saved_label), ==, "You saved ¥2.81");
  till_ui_pump (200);
  g_clear_pointer (&shot, g_free);
  shot = till_ui_screenshot (GTK_WIDGET (f->cashier), "discount-cashier");
  g_clear_pointer (&shot, g_free);
  shot = till_ui_screenshot (GTK_WIDGET (f->display), "discount-customer-display");

  /* Ctrl+E: a price override always asks a manager; Escape gives up, nothing changes */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("e", TRUE);
  window = wait_discount_window ();
  g_assert_cmpint (till_discount_window_get_mode (window), ==, TILL_DISCOUNT_WINDOW_PRICE);
  till_ui_type ("5", 40, TRUE);
  TILL_UI_WAIT_FOR ((pin = till_ui_find_window (TILL_TYPE_PIN_WINDOW)) != NULL, WAIT_MS);
  till_ui_focus_window (pin);
  till_ui_key ("Escape", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_PIN_WINDOW) == NULL, WAIT_MS);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1169);
  g_assert_false (till_sale_line_get_price_overridden (till_sale_get_line (sale, 1)));

  /* paid in cash, the day's report has the discounts by cashier and by product */
  {
    g_autoptr(GError) error = NULL;
    TillReportWindow *report;
    GListModel *rows;
    const TillReport *r;

    g_assert_true (till_checkout_pay_cash (f->checkout, 1169, 2000, &error));
    g_assert_no_error (error);
    TILL_UI_WAIT_FOR (till_sale_get_state (sale) == TILL_SALE_STATE_PAID, WAIT_MS);
    till_store_flush (f->store);
    report = till_report_window_new (GTK_WINDOW (f->cashier), f->context);
    g_object_ref_sink (report);
    gtk_window_set_default_size (GTK_WINDOW (report), 1000, 700);
    gtk_window_present (GTK_WINDOW (report));
    TILL_UI_WAIT_FOR (!till_report_window_get_loading (report), WAIT_MS);
    r = till_report_window_get_report (report);
    g_assert_nonnull (r);
    /* the line's 75 and the sale's 206 */
    g_assert_cmpint (r->discounts_fen, ==, 75 + 206);
    rows = till_report_window_get_rows (report, "discounts");
    /* one cashier, two products */
    g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 3);
    gtk_stack_set_visible_child_name (report->stack, "discounts");
    till_ui_pump (300);
    g_clear_pointer (&shot, g_free);
    shot = till_ui_screenshot (GTK_WIDGET (report), "discount-report");
    gtk_window_destroy (GTK_WINDOW (report));
    g_object_unref (report);
  }

  till_ui_fixture_free (f);
}

static void
test_discount_parse (void)
{
  TillDiscountKind kind = TILL_DISCOUNT_NONE;
  gint64 value = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (till_discount_parse ("10", TILL_DISCOUNT_PERCENT, &kind, &value, NULL));
  g_assert_cmpint (kind, ==, TILL_DISCOUNT_PERCENT);
  g_assert_cmpint (value, ==, 1000);
  g_assert_true (till_discount_parse ("12.5%", TILL_DISCOUNT_AMOUNT, &kind, &value, NULL));
  g_assert_cmpint (kind, ==, TILL_DISCOUNT_PERCENT);
  g_assert_cmpint (value, ==, 1250);
  g_assert_true (till_discount_parse ("¥5", TILL_DISCOUNT_PERCENT, &kind, &value, NULL));
  g_assert_cmpint (kind, ==, TILL_DISCOUNT_AMOUNT);
  g_assert_cmpint (value, ==, 500);
  g_assert_true (till_discount_parse ("3.20", TILL_DISCOUNT_AMOUNT, &kind, &value, NULL));
  g_assert_cmpint (value, ==, 320);
  g_assert_false (till_discount_parse ("120%", TILL_DISCOUNT_PERCENT, &kind, &value, &error));
  g_clear_error (&error);
  g_assert_false (till_discount_parse ("abc", TILL_DISCOUNT_PERCENT, &kind, &value, &error));
  g_clear_error (&error);
  g_assert_false (till_discount_parse ("", TILL_DISCOUNT_PERCENT, &kind, &value, &error));
}

static void
test_open_price (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr(GError) error = NULL;
  TillProduct cake = { .barcode = (char *) "2900000000018", .plu = (char *) "9001",
                       .name = (char *) "Birthday cake", .price_fen = 0, .unit = (char *) "pc",
                       .active = TRUE, .open_price = TRUE };
  TillDiscountWindow *window;
  g_autofree char *shot = NULL;

  g_assert_cmpint (till_store_upsert_product (f->store, &cake, &error), >, 0);
  g_assert_no_error (error);
  gtk_widget_grab_focus (GTK_WIDGET (f->cashier->code_entry));
  /* a PLU typed by the cashier (too slow and short to be a scan) */
  till_ui_type ("9001", 60, TRUE);
  window = wait_discount_window ();
  g_assert_cmpint (till_discount_window_get_mode (window), ==, TILL_DISCOUNT_WINDOW_OPEN_PRICE);
  shot = till_ui_screenshot (GTK_WIDGET (window), "discount-open-price");
  till_ui_type ("88", 40, TRUE);
  TILL_UI_WAIT_FOR (till_ui_n_lines (f) == 1, WAIT_MS);
  g_assert_cmpint (till_sale_get_total_fen (till_ui_sale (f)), ==, 8800);
  g_assert_null (till_ui_find_window (TILL_TYPE_PIN_WINDOW));
  g_assert_cmpint (stored_int (f, "SELECT count(*) FROM audit WHERE action = ?1", "open_price"),
                   ==, 1);
  till_ui_fixture_free (f);
}

/* Preferences → Till → Discounts: the two settings, both ways; the next sale follows. */
static void
test_preferences (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  TillPreferencesWindow *prefs = till_preferences_window_new (GTK_WINDOW (f->cashier), f->context);
  AdwComboRow *rounding = ADW_COMBO_ROW (till_preferences_window_get_key_widget (prefs,
                                                                              "total-rounding"));
  GtkSpinButton *limit = GTK_SPIN_BUTTON (till_preferences_window_get_key_widget (prefs,
                                                                               "discount-limit"));
  g_autofree char *nick = NULL;
  g_autofree char *shot = NULL;

  gtk_window_set_default_size (GTK_WINDOW (prefs), 900, 1000);
  gtk_window_present (GTK_WINDOW (prefs));
  till_ui_pump (300);
  g_assert_cmpuint (adw_combo_row_get_selected (rounding), ==, TILL_TOTAL_ROUNDING_NONE);
  g_assert_cmpint ((gint) gtk_spin_button_get_value (limit), ==, 10);
  adw_combo_row_set_selected (rounding, TILL_TOTAL_ROUNDING_YUAN);
  nick = g_settings_get_string (f->settings, "total-rounding");
  g_assert_cmpstr (nick, ==, "yuan");
  gtk_spin_button_set_value (limit, 15);
  g_assert_cmpuint (g_settings_get_uint (f->settings, "discount-limit"), ==, 15);
  g_settings_set_uint (f->settings, "discount-limit", 20);
  g_assert_cmpint ((gint) gtk_spin_button_get_value (limit), ==, 20);
  /* scrolled to the group, for the screenshot */
  gtk_widget_grab_focus (GTK_WIDGET (rounding));
  till_ui_pump (300);
  shot = till_ui_screenshot (GTK_WIDGET (prefs), "discount-preferences");
  gtk_window_destroy (GTK_WINDOW (prefs));

  /* the next sale takes 抹零: ¥3.50 + ¥7.50 = ¥11.00 stays, a third ¥3.50 makes ¥14.00 */
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  TILL_UI_WAIT_FOR (till_sale_get_total_fen (till_ui_sale (f)) == 1400, WAIT_MS);
  g_assert_cmpint (till_checkout_get_discount_limit (f->checkout), ==, 2000);
  till_ui_fixture_free (f);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/discount/parse", test_discount_parse);
  g_test_add_func ("/ui/discount/line-and-sale", test_line_and_sale_discount);
  g_test_add_func ("/ui/discount/open-price", test_open_price);
  g_test_add_func ("/ui/discount/preferences", test_preferences);
  return g_test_run ();
}
