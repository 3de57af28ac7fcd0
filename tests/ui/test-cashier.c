/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GUI tests of the cashier window and the customer display on Xvfb: real key events
 * through XTest, a real store with the demo catalog, results checked in the windows and
 * in the database. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <X11/Xlib.h>

#include "till-cash-window.h"
#include "till-confirm-window.h"
#include "till-pin-window.h"
#include "till-preferences-window.h"
#include "till-quantity-window.h"
#include "till-shift.h"
#include "till-ui-test.h"

/* From the demo catalog (tests/README: the same codes). */
#define COLA_EAN      "6954767002057"   /* 可口可乐 500ml */
#define CHIPS_EAN     "6924678006079"   /* 乐事薯片原味 70g */
#define EGG_PLU       "8001"            /* 茶叶蛋 */
#define BANANA_PLU    "100001"          /* 香蕉, per kg */
#define BANANA_500G   "2100001005009"   /* scale label: 香蕉 500 g */
#define UNKNOWN_EAN   "4006381333931"   /* valid EAN-13, not in the demo catalog */
#define WECHAT_CODE   "134567890123456789"

#define FAST_MS 5
#define SLOW_MS 120
#define WAIT_MS 5000

static TillProduct *
product_by_barcode (TillUiFixture *f,
                    const char    *barcode)
{
  g_autoptr(GError) error = NULL;
  TillProduct *product = till_store_lookup_barcode (f->store, barcode, &error);

  g_assert_no_error (error);
  g_assert_nonnull (product);
  return product;
}

static TillProduct *
product_by_plu (TillUiFixture *f,
                const char    *plu)
{
  g_autoptr(GError) error = NULL;
  TillProduct *product = till_store_lookup_plu (f->store, plu, &error);

  g_assert_no_error (error);
  g_assert_nonnull (product);
  return product;
}

static const char *
entry_text (TillUiFixture *f)
{
  return gtk_editable_get_text (GTK_EDITABLE (f->cashier->code_entry));
}

static void
count_cb (gpointer  instance,
          guint    *counter)
{
  (*counter)++;
}

static void
count_scan_cb (TillScannerHub *hub,
               const char     *code,
               int             source,
               guint          *counter)
{
  (*counter)++;
}

static void
assert_stored_lines (TillUiFixture *f,
                     guint          n_lines)
{
  g_autoptr(TillSale) stored
      = till_ui_load_stored_sale (f, till_sale_get_number (till_ui_sale (f)));

  g_assert_nonnull (stored);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (stored)), ==, n_lines);
}

/* ---- keyboard wedge ---- */

static void
test_wedge_fast_scan_adds_product (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr(TillProduct) cola = product_by_barcode (f, COLA_EAN);
  g_autoptr(TillSale) stored = NULL;
  TillSaleLine *line;

  /* With the focus nowhere in particular. */
  gtk_window_set_focus (GTK_WINDOW (f->cashier), NULL);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);

  till_ui_type (COLA_EAN, FAST_MS, TRUE);
  TILL_UI_WAIT_FOR (till_ui_n_lines (f) == 1, WAIT_MS);

  line = till_sale_get_line (till_ui_sale (f), 0);
  g_assert_cmpstr (till_sale_line_get_barcode (line), ==, COLA_EAN);
  g_assert_cmpint (till_sale_line_get_qty_milli (line), ==, 1000);
  g_assert_cmpint (till_sale_line_get_line_total_fen (line), ==, cola->price_fen);
  g_assert_true (strstr (gtk_label_get_text (f->cashier->source_label),
                         till_scan_source_to_string (TILL_SCAN_SOURCE_WEDGE)) != NULL);

  stored = till_ui_load_stored_sale (f, till_sale_get_number (till_ui_sale (f)));
  g_assert_nonnull (stored);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (stored)), ==, 1);
  g_assert_cmpstr (till_sale_line_get_barcode (till_sale_get_line (stored, 0)), ==, COLA_EAN);
  g_assert_cmpint (till_sale_get_total_fen (stored), ==, cola->price_fen);

  till_ui_fixture_free (f);
}

static void
test_wedge_slow_keys_on_cart_do_nothing (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  GtkWidget *focus;
  guint scans = 0;

  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 1);

  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (f->cashier->cart_view)));
  till_ui_pump (50);
  focus = gtk_root_get_focus (GTK_ROOT (f->cashier));
  g_assert_nonnull (focus);
  g_assert_true (focus == GTK_WIDGET (f->cashier->cart_view)
                 || gtk_widget_is_ancestor (focus, GTK_WIDGET (f->cashier->cart_view)));

  g_signal_connect (till_context_get_scanner_hub (f->context), "code-scanned",
                    G_CALLBACK (count_scan_cb), &scans);
  till_ui_type (COLA_EAN, SLOW_MS, TRUE);
  till_ui_pump (300);

  g_assert_cmpuint (scans, ==, 0);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 1);
  g_assert_cmpint (till_sale_line_get_qty_milli (till_sale_get_line (till_ui_sale (f), 0)), ==,
                   1000);
  g_assert_cmpstr (entry_text (f), ==, "");
  assert_stored_lines (f, 1);

  g_signal_handlers_disconnect_by_func (till_context_get_scanner_hub (f->context),
                                        count_scan_cb, &scans);
  till_ui_fixture_free (f);
}

static void
test_wedge_fast_scan_in_code_entry (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  guint changes = 0;

  gtk_widget_grab_focus (GTK_WIDGET (f->cashier->code_entry));
  till_ui_pump (20);
  g_signal_connect_swapped (f->cashier->code_entry, "changed", G_CALLBACK (count_cb), &changes);

  till_ui_type (COLA_EAN, FAST_MS, TRUE);
  TILL_UI_WAIT_FOR (till_ui_n_lines (f) == 1, WAIT_MS);
  till_ui_pump (100);

  /* Not one stray digit ever reached the entry. */
  g_assert_cmpstr (entry_text (f), ==, "");
  g_assert_cmpuint (changes, ==, 0);
  g_assert_cmpstr (till_sale_line_get_barcode (till_sale_get_line (till_ui_sale (f), 0)), ==,
                   COLA_EAN);
  assert_stored_lines (f, 1);

  g_signal_handlers_disconnect_by_func (f->cashier->code_entry, count_cb, &changes);
  till_ui_fixture_free (f);
}

static void
test_typing_in_code_entry_adds_product (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  guint scans = 0;

  gtk_widget_grab_focus (GTK_WIDGET (f->cashier->code_entry));
  g_signal_connect (till_context_get_scanner_hub (f->context), "code-scanned",
                    G_CALLBACK (count_scan_cb), &scans);

  till_ui_type (COLA_EAN, SLOW_MS, FALSE);
  till_ui_pump (100);
  /* A person's typing shows up in the entry, in order. */
  g_assert_cmpstr (entry_text (f), ==, COLA_EAN);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);

  till_ui_key ("Return", FALSE);
  TILL_UI_WAIT_FOR (till_ui_n_lines (f) == 1, WAIT_MS);

  g_assert_cmpuint (scans, ==, 0);
  g_assert_cmpstr (entry_text (f), ==, "");
  g_assert_true (strstr (gtk_label_get_text (f->cashier->source_label), "typed") != NULL);
  g_assert_cmpstr (till_sale_line_get_barcode (till_sale_get_line (till_ui_sale (f), 0)), ==,
                   COLA_EAN);

  g_signal_handlers_disconnect_by_func (till_context_get_scanner_hub (f->context),
                                        count_scan_cb, &scans);
  till_ui_fixture_free (f);
}

static void
test_typing_plu_in_code_entry (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr(TillProduct) egg = product_by_plu (f, EGG_PLU);

  gtk_widget_grab_focus (GTK_WIDGET (f->cashier->code_entry));
  /* A four-digit PLU typed quickly is still too short to be a scan. */
  till_ui_type (EGG_PLU, 60, TRUE);
  TILL_UI_WAIT_FOR (till_ui_n_lines (f) == 1, WAIT_MS);

  g_assert_cmpstr (till_sale_line_get_name (till_sale_get_line (till_ui_sale (f), 0)), ==,
                   egg->name);
  g_assert_cmpint (till_sale_get_total_fen (till_ui_sale (f)), ==, egg->price_fen);
  till_ui_fixture_free (f);
}

/* Issue 10 item 12: the PLU of goods sold by weight asks for the weight (it used to add
 * 1.000 kg); the weight typed with real keys makes the line. */
static void
test_typing_weighed_plu_asks_weight (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr(TillProduct) banana = product_by_plu (f, BANANA_PLU);
  TillQuantityWindow *qty;
  gint64 expected = 0;

  gtk_widget_grab_focus (GTK_WIDGET (f->cashier->code_entry));
  till_ui_type (BANANA_PLU, 60, TRUE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_QUANTITY_WINDOW) != NULL, WAIT_MS);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);
  qty = TILL_QUANTITY_WINDOW (till_ui_find_window (TILL_TYPE_QUANTITY_WINDOW));
  g_assert_cmpstr (gtk_editable_get_text (till_quantity_window_get_entry (qty)), ==, "");
  till_ui_screenshot (GTK_WIDGET (qty), "cashier-weight-prompt");

  till_ui_focus_window (GTK_WINDOW (qty));
  till_ui_type ("0.5", 40, TRUE);
  TILL_UI_WAIT_FOR (till_ui_n_lines (f) == 1, WAIT_MS);
  g_assert_true (till_money_multiply_qty (banana->price_fen, 500, &expected));
  g_assert_cmpint (till_sale_line_get_qty_milli (till_sale_get_line (till_ui_sale (f), 0)), ==,
                   500);
  g_assert_cmpint (till_sale_get_total_fen (till_ui_sale (f)), ==, expected);
  till_ui_fixture_free (f);
}

static void
test_wedge_threshold_follows_settings (void)
{
  TillUiFixture *f = till_ui_fixture_new ();

  /* A slow scanner: with the threshold raised, 120 ms gaps are a scan. */
  g_settings_set_uint (f->settings, "wedge-threshold-ms", 200);
  gtk_window_set_focus (GTK_WINDOW (f->cashier), NULL);
  till_ui_type (COLA_EAN, SLOW_MS, TRUE);
  TILL_UI_WAIT_FOR (till_ui_n_lines (f) == 1, WAIT_MS);

  /* Back to the default: the same keys are typing again (and go nowhere). */
  g_settings_set_uint (f->settings, "wedge-threshold-ms", 30);
  till_ui_type (CHIPS_EAN, SLOW_MS, TRUE);
  till_ui_pump (300);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 1);

  till_ui_fixture_free (f);
}

/* ---- routing ---- */

static void
test_route_weight_code (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr(TillProduct) banana = product_by_plu (f, BANANA_PLU);
  TillSaleLine *line;
  gint64 expected = 0;

  g_assert_true (till_money_multiply_qty (banana->price_fen, 500, &expected));
  till_ui_add_and_wait (f, BANANA_500G, WAIT_MS);

  g_assert_cmpuint (till_ui_n_lines (f), ==, 1);
  line = till_sale_get_line (till_ui_sale (f), 0);
  g_assert_true (till_sale_line_get_weighed (line));
  g_assert_cmpint (till_sale_line_get_qty_milli (line), ==, 500);
  g_assert_cmpint (till_sale_line_get_line_total_fen (line), ==, expected);
  g_assert_cmpint (till_sale_get_total_fen (till_ui_sale (f)), ==, expected);
  assert_stored_lines (f, 1);

  till_ui_fixture_free (f);
}

static void
test_route_price_code (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  TillSaleLine *line;

  /* The scale prints prices instead of weights: 香蕉 for ¥12.34. */
  g_settings_set_enum (f->settings, "embedded-value-kind", 1);
  till_ui_add_and_wait (f, "2100001012342", WAIT_MS);

  g_assert_cmpuint (till_ui_n_lines (f), ==, 1);
  line = till_sale_get_line (till_ui_sale (f), 0);
  g_assert_true (till_sale_line_get_fixed_total (line));
  g_assert_cmpint (till_sale_line_get_line_total_fen (line), ==, 1234);
  till_ui_fixture_free (f);
}

static void
test_route_unknown_codes (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  const char *number = NULL;

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  number = till_sale_get_number (till_ui_sale (f));

  till_ui_feed (f, UNKNOWN_EAN);
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, UNKNOWN_EAN), WAIT_MS);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->cashier->message_label), "error"));

  till_ui_feed (f, "HELLO-42");
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, "HELLO-42"), WAIT_MS);

  /* A retail code with a wrong check digit is unknown too. */
  till_ui_feed (f, "6954767002058");
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, "6954767002058"), WAIT_MS);

  g_assert_cmpuint (till_ui_n_lines (f), ==, 1);
  g_assert_cmpstr (till_sale_get_number (till_ui_sale (f)), ==, number);
  assert_stored_lines (f, 1);
  till_ui_fixture_free (f);
}

static void
test_route_payment_code (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  gint64 total;

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  total = till_sale_get_total_fen (till_ui_sale (f));

  till_ui_type (WECHAT_CODE, FAST_MS, TRUE);
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, "not configured"), WAIT_MS);
  till_ui_pump (100);

  g_assert_cmpuint (till_ui_n_lines (f), ==, 1);
  g_assert_cmpint (till_sale_get_total_fen (till_ui_sale (f)), ==, total);
  g_assert_cmpint (till_sale_get_state (till_ui_sale (f)), ==, TILL_SALE_STATE_OPEN);
  g_assert_cmpstr (entry_text (f), ==, "");
  till_ui_fixture_free (f);
}

static void
test_route_counted_lines_merge (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr(TillProduct) cola = product_by_barcode (f, COLA_EAN);

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);

  g_assert_cmpuint (till_ui_n_lines (f), ==, 1);
  g_assert_cmpint (till_sale_line_get_qty_milli (till_sale_get_line (till_ui_sale (f), 0)), ==,
                   3000);
  g_assert_cmpint (till_sale_get_total_fen (till_ui_sale (f)), ==, 3 * cola->price_fen);
  till_ui_fixture_free (f);
}

/* ---- modals ---- */

static TillCashWindow *
open_cash_window (TillUiFixture *f)
{
  till_ui_key ("F8", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_CASH_WINDOW) != NULL, WAIT_MS);
  return TILL_CASH_WINDOW (till_ui_find_window (TILL_TYPE_CASH_WINDOW));
}

static void
pay_cash (TillUiFixture *f,
          const char    *tendered)
{
  TillCashWindow *cash = open_cash_window (f);

  till_ui_focus_window (GTK_WINDOW (cash));
  gtk_editable_set_text (till_cash_window_get_entry (cash), "");
  till_ui_type (tendered, 40, TRUE);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, WAIT_MS);
  till_ui_focus_window (GTK_WINDOW (f->cashier));
}

static void
test_cash_sale (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autofree char *first_number = NULL;
  g_autofree char *change_text = NULL;
  g_autofree char *state = NULL;
  g_autofree char *method = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *total_text = NULL;
  gint64 total;

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  till_ui_add_and_wait (f, BANANA_500G, WAIT_MS);
  total = till_sale_get_total_fen (till_ui_sale (f));
  first_number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  g_assert_cmpint (total, >, 0);
  g_assert_cmpint (total, <, 10000);

  pay_cash (f, "100");

  /* Cash to the jiao (the default rule): the change is from the rounded total. */
  g_assert_cmpint (till_checkout_get_change_fen (f->checkout), ==,
                   10000 - till_money_round_cash (total, TILL_CASH_ROUNDING_JIAO));
  change_text = till_money_format (10000 - till_money_round_cash (total,
                                                                  TILL_CASH_ROUNDING_JIAO));
  g_assert_true (till_ui_message_contains (f, change_text));
  g_assert_cmpstr (gtk_label_get_text (f->cashier->change_label), ==, change_text);
  g_assert_cmpstr (till_customer_display_get_change_text (f->display), ==, change_text);
  g_assert_true (strstr (till_customer_display_get_greeting (f->display), "Thank you") != NULL);

  state = till_ui_query_text (f, "SELECT state FROM sale WHERE number = ?", first_number);
  g_assert_cmpstr (state, ==, "paid");
  method = till_ui_query_text (f, "SELECT p.method FROM payment p JOIN sale s ON s.id = p.sale_id"
                                  " WHERE s.number = ?", first_number);
  g_assert_cmpstr (method, ==, "cash");
  amount = till_ui_query_text (f, "SELECT p.amount_fen FROM payment p JOIN sale s"
                                  " ON s.id = p.sale_id WHERE s.number = ?", first_number);
  total_text = g_strdup_printf ("%" G_GINT64_FORMAT, total);
  g_assert_cmpstr (amount, ==, total_text);

  /* The paid sale stays on screen until the next sale is started. */
  g_assert_cmpuint (till_ui_n_lines (f), ==, 3);
  till_ui_key ("F12", FALSE);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_sale_get_number (till_ui_sale (f)), first_number) != 0,
                    WAIT_MS);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);
  g_assert_cmpint (till_sale_get_state (till_ui_sale (f)), ==, TILL_SALE_STATE_OPEN);
  g_assert_cmpstr (till_cashier_window_get_total_text (f->cashier), ==, "¥0.00");
  g_assert_cmpstr (till_customer_display_get_total_text (f->display), ==, "¥0.00");
  g_assert_cmpstr (till_customer_display_get_change_text (f->display), ==, "");
  g_assert_true (strstr (till_customer_display_get_greeting (f->display), "Welcome") != NULL);
  g_assert_cmpint (till_checkout_get_change_fen (f->checkout), ==, -1);

  till_ui_fixture_free (f);
}

static void
test_cash_refuses_short_amount (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  TillCashWindow *cash;
  g_autofree char *state = NULL;

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  cash = open_cash_window (f);
  g_assert_cmpint (till_cash_window_get_due_fen (cash), ==,
                   till_sale_get_total_fen (till_ui_sale (f)));

  gtk_editable_set_text (till_cash_window_get_entry (cash), "1");
  g_assert_cmpstr (till_cash_window_get_change_text (cash), ==, "");
  g_assert_false (till_cash_window_confirm (cash));
  gtk_editable_set_text (till_cash_window_get_entry (cash), "abc");
  g_assert_false (till_cash_window_confirm (cash));
  till_ui_pump (100);
  g_assert_true (till_ui_find_window (TILL_TYPE_CASH_WINDOW) == GTK_WINDOW (cash));

  /* Live change as the cashier types. */
  gtk_editable_set_text (till_cash_window_get_entry (cash), "20");
  {
    g_autofree char *expected
        = till_money_format (2000 - till_sale_get_total_fen (till_ui_sale (f)));

    g_assert_cmpstr (till_cash_window_get_change_text (cash), ==, expected);
  }

  gtk_window_close (GTK_WINDOW (cash));
  till_ui_pump (100);
  g_assert_cmpint (till_sale_get_state (till_ui_sale (f)), ==, TILL_SALE_STATE_OPEN);
  state = till_ui_query_text (f, "SELECT state FROM sale WHERE number = ?",
                              till_sale_get_number (till_ui_sale (f)));
  g_assert_cmpstr (state, ==, "open");
  till_ui_fixture_free (f);
}

/* Issue 10, item 8: the cash window asks for the due rounded to the jiao, says so, refuses
 * coins below ¥0.10, and the change, the customer display and the stored payment follow.
 * Real keys throughout. */
static void
test_cash_rounded_due (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr(GError) error = NULL;
  TillCashWindow *cash;
  g_autofree char *number = NULL;
  g_autofree char *row = NULL;
  g_autofree char *shot = NULL;
  const TillProduct gift = {
    .plu = (char *) "9301", .name = (char *) "礼盒 Gift box", .price_fen = 3001,
    .unit = (char *) "件", .active = TRUE,
  };

  g_assert_cmpint (till_store_upsert_product (f->store, &gift, &error), >, 0);
  g_assert_no_error (error);
  till_ui_add_and_wait (f, "9301", WAIT_MS);
  number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  g_assert_cmpint (till_sale_get_total_fen (till_ui_sale (f)), ==, 3001);

  cash = open_cash_window (f);
  till_ui_focus_window (GTK_WINDOW (cash));
  g_assert_cmpint (till_cash_window_get_due_fen (cash), ==, 3001);
  g_assert_cmpint (till_cash_window_get_cash_due_fen (cash), ==, 3000);
  g_assert_cmpstr (till_cash_window_get_due_text (cash), ==, "¥30.00");
  g_assert_cmpstr (till_cash_window_get_rounding_text (cash), ==,
                   "Cash due ¥30.00 (rounded from ¥30.01)");
  shot = till_ui_screenshot (GTK_WIDGET (cash), "cash-window-rounded");

  /* ¥50.05 cannot be handed over: no change shown, Enter refused, the window stays. */
  gtk_editable_set_text (till_cash_window_get_entry (cash), "");
  till_ui_type ("50", 40, FALSE);
  till_ui_key ("period", FALSE);
  till_ui_type ("05", 40, FALSE);
  TILL_UI_WAIT_FOR (g_strcmp0 (gtk_editable_get_text (till_cash_window_get_entry (cash)),
                               "50.05") == 0, WAIT_MS);
  g_assert_cmpstr (till_cash_window_get_change_text (cash), ==, "");
  till_ui_key ("Return", FALSE);
  till_ui_pump (200);
  g_assert_true (till_ui_find_window (TILL_TYPE_CASH_WINDOW) == GTK_WINDOW (cash));
  g_assert_cmpint (till_sale_get_state (till_ui_sale (f)), ==, TILL_SALE_STATE_OPEN);

  /* ¥50.00: ¥20.00 change, live and after. */
  gtk_editable_set_text (till_cash_window_get_entry (cash), "");
  till_ui_type ("50", 40, FALSE);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_cash_window_get_change_text (cash), "¥20.00") == 0,
                    WAIT_MS);
  till_ui_key ("Return", FALSE);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, WAIT_MS);
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  g_assert_cmpint (till_checkout_get_change_fen (f->checkout), ==, 2000);
  g_assert_cmpstr (gtk_label_get_text (f->cashier->change_label), ==, "¥20.00");
  g_assert_cmpstr (till_customer_display_get_change_text (f->display), ==, "¥20.00");
  row = till_ui_query_text (f, "SELECT p.amount_fen || '|' || p.rounding_fen FROM payment p"
                               " JOIN sale s ON s.id = p.sale_id WHERE s.number = ?", number);
  g_assert_cmpstr (row, ==, "3001|-1");
  till_ui_fixture_free (f);
}

/* Preferences: the cash rule is a drop-down in the order of the rules; the context (and so
 * the checkout and the cash window) reads it live. */
static void
test_preferences_cash_rounding (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  TillPreferencesWindow *prefs = till_preferences_window_new (GTK_WINDOW (f->cashier),
                                                              f->context);
  AdwComboRow *rule = ADW_COMBO_ROW (till_preferences_window_get_key_widget (prefs,
                                                                             "cash-rounding"));

  g_assert_nonnull (rule);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (rule)), ==, 5);
  g_assert_cmpuint (adw_combo_row_get_selected (rule), ==, TILL_CASH_ROUNDING_JIAO);
  adw_combo_row_set_selected (rule, TILL_CASH_ROUNDING_YUAN);
  g_assert_cmpstr (g_settings_get_string (f->settings, "cash-rounding"), ==, "yuan");
  g_assert_cmpint (till_context_get_cash_rounding (f->context), ==, TILL_CASH_ROUNDING_YUAN);
  g_settings_set_string (f->settings, "cash-rounding", "none");
  g_assert_cmpuint (adw_combo_row_get_selected (rule), ==, TILL_CASH_ROUNDING_NONE);
  gtk_window_destroy (GTK_WINDOW (prefs));
  till_ui_fixture_free (f);
}

static void
test_cash_empty_cart_refused (void)
{
  TillUiFixture *f = till_ui_fixture_new ();

  till_ui_key ("F8", FALSE);
  till_ui_pump (100);
  g_assert_null (till_ui_find_window (TILL_TYPE_CASH_WINDOW));
  till_ui_fixture_free (f);
}

static void
test_scan_after_paid_starts_new_sale (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autofree char *first_number = NULL;

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  first_number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  pay_cash (f, "50");

  gtk_window_set_focus (GTK_WINDOW (f->cashier), NULL);
  till_ui_type (CHIPS_EAN, FAST_MS, TRUE);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_sale_get_number (till_ui_sale (f)), first_number) != 0
                    && till_ui_n_lines (f) == 1, WAIT_MS);
  g_assert_cmpstr (till_sale_line_get_barcode (till_sale_get_line (till_ui_sale (f), 0)), ==,
                   CHIPS_EAN);
  g_assert_cmpint (till_sale_get_state (till_ui_sale (f)), ==, TILL_SALE_STATE_OPEN);
  assert_stored_lines (f, 1);

  /* The receipt code of the paid sale shows its state in words in the status line. */
  {
    g_autofree char *receipt = till_barcode_receipt_code (first_number);
    g_autofree char *heading = g_strdup_printf ("%s:", first_number);

    till_ui_feed (f, receipt);
    TILL_UI_WAIT_FOR (till_ui_message_contains (f, heading), WAIT_MS);
    g_assert_true (till_ui_message_contains (f, "Paid"));
  }

  till_ui_fixture_free (f);
}

static void
test_quantity_change (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr(TillProduct) cola = product_by_barcode (f, COLA_EAN);
  TillQuantityWindow *qty;

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_ui_key ("F2", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_QUANTITY_WINDOW) != NULL, WAIT_MS);
  qty = TILL_QUANTITY_WINDOW (till_ui_find_window (TILL_TYPE_QUANTITY_WINDOW));

  gtk_editable_set_text (till_quantity_window_get_entry (qty), "1.5");
  g_assert_false (till_quantity_window_confirm (qty));   /* counted: whole items only */
  till_ui_focus_window (GTK_WINDOW (qty));
  gtk_editable_set_text (till_quantity_window_get_entry (qty), "");
  till_ui_type ("4", 40, TRUE);
  TILL_UI_WAIT_FOR (till_sale_get_total_fen (till_ui_sale (f)) == 4 * cola->price_fen, WAIT_MS);
  g_assert_cmpint (till_sale_line_get_qty_milli (till_sale_get_line (till_ui_sale (f), 0)), ==,
                   4000);
  g_assert_cmpstr (till_customer_display_get_total_text (f->display), ==,
                   till_cashier_window_get_total_text (f->cashier));

  {
    g_autoptr(TillSale) stored
        = till_ui_load_stored_sale (f, till_sale_get_number (till_ui_sale (f)));

    g_assert_cmpint (till_sale_get_total_fen (stored), ==, 4 * cola->price_fen);
  }
  till_ui_fixture_free (f);
}

static void
test_quantity_weighed (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr(TillProduct) banana = product_by_plu (f, BANANA_PLU);
  TillQuantityWindow *qty;
  gint64 expected = 0;

  till_ui_add_and_wait (f, BANANA_500G, WAIT_MS);
  gtk_widget_activate_action (GTK_WIDGET (f->cashier), "cashier.quantity", NULL);
  qty = TILL_QUANTITY_WINDOW (till_ui_find_window (TILL_TYPE_QUANTITY_WINDOW));
  g_assert_nonnull (qty);
  g_assert_cmpstr (gtk_editable_get_text (till_quantity_window_get_entry (qty)), ==, "0.500");

  gtk_editable_set_text (till_quantity_window_get_entry (qty), "1.255");
  g_assert_true (till_quantity_window_confirm (qty));
  g_assert_true (till_money_multiply_qty (banana->price_fen, 1255, &expected));
  g_assert_cmpint (till_sale_get_total_fen (till_ui_sale (f)), ==, expected);
  till_ui_fixture_free (f);
}

static void
test_display_mirrors_total (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  TillQuantityWindow *qty;

  g_assert_cmpstr (till_customer_display_get_total_text (f->display), ==, "¥0.00");
  g_assert_true (strstr (till_customer_display_get_greeting (f->display), "欢迎光临") != NULL);

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  g_assert_cmpstr (till_customer_display_get_total_text (f->display), ==,
                   till_cashier_window_get_total_text (f->cashier));
  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  till_ui_add_and_wait (f, BANANA_500G, WAIT_MS);
  g_assert_cmpstr (till_customer_display_get_total_text (f->display), ==,
                   till_cashier_window_get_total_text (f->cashier));
  g_assert_true (till_customer_display_get_sale (f->display) == till_ui_sale (f));

  /* Quantity change of the second line. */
  gtk_single_selection_set_selected (f->cashier->selection, 1);
  gtk_widget_activate_action (GTK_WIDGET (f->cashier), "cashier.quantity", NULL);
  qty = TILL_QUANTITY_WINDOW (till_ui_find_window (TILL_TYPE_QUANTITY_WINDOW));
  gtk_editable_set_text (till_quantity_window_get_entry (qty), "3");
  g_assert_true (till_quantity_window_confirm (qty));
  till_ui_pump (50);
  g_assert_cmpstr (till_customer_display_get_total_text (f->display), ==,
                   till_cashier_window_get_total_text (f->cashier));

  /* Line void with F3 (the first line), then with Delete from the cart. */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  gtk_single_selection_set_selected (f->cashier->selection, 0);
  till_ui_key ("F3", FALSE);
  TILL_UI_WAIT_FOR (till_ui_n_lines (f) == 2, WAIT_MS);
  g_assert_cmpstr (till_customer_display_get_total_text (f->display), ==,
                   till_cashier_window_get_total_text (f->cashier));

  gtk_widget_grab_focus (GTK_WIDGET (f->cashier->cart_view));
  till_ui_key ("Delete", FALSE);
  TILL_UI_WAIT_FOR (till_ui_n_lines (f) == 1, WAIT_MS);
  g_assert_cmpstr (till_customer_display_get_total_text (f->display), ==,
                   till_cashier_window_get_total_text (f->cashier));
  assert_stored_lines (f, 1);

  till_ui_fixture_free (f);
}

/* Issue 10 item 4: voiding a sale part paid in cash says, before and after, that the cash
 * goes back; the cash is recorded as handed back. */
static void
test_void_after_part_cash (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autofree char *number = NULL;
  g_autofree char *refund = NULL;
  TillConfirmWindow *confirm;

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  g_assert_true (till_checkout_pay_part_cash (f->checkout, till_checkout_get_due_fen (f->checkout),
                                              500, NULL));
  TILL_UI_WAIT_FOR (till_checkout_get_paid_fen (f->checkout) == 500, WAIT_MS);

  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("F4", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_CONFIRM_WINDOW) != NULL, WAIT_MS);
  confirm = TILL_CONFIRM_WINDOW (till_ui_find_window (TILL_TYPE_CONFIRM_WINDOW));
  g_assert_nonnull (strstr (till_confirm_window_get_body (confirm), "¥5.00"));
  till_ui_screenshot (GTK_WIDGET (confirm), "cashier-void-part-paid");
  till_ui_focus_window (GTK_WINDOW (confirm));
  till_ui_key ("Return", FALSE);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_sale_get_number (till_ui_sale (f)), number) != 0, WAIT_MS);
  g_assert_true (till_ui_message_contains (f, "¥5.00"));
  refund = till_ui_query_text (f, "SELECT f.amount_fen + f.rounding_fen FROM refund f"
                                  " JOIN payment p ON p.id = f.payment_id JOIN sale s"
                                  " ON s.id = p.sale_id WHERE s.number = ?", number);
  g_assert_cmpstr (refund, ==, "500");
  till_ui_fixture_free (f);
}

static void
test_void_sale (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autofree char *number = NULL;
  g_autofree char *state = NULL;
  g_autofree char *audit = NULL;

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  number = g_strdup (till_sale_get_number (till_ui_sale (f)));

  /* Escape keeps the sale. */
  till_ui_key ("F4", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_CONFIRM_WINDOW) != NULL, WAIT_MS);
  till_ui_focus_window (till_ui_find_window (TILL_TYPE_CONFIRM_WINDOW));
  till_ui_key ("Escape", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_CONFIRM_WINDOW) == NULL, WAIT_MS);
  g_assert_cmpint (till_sale_get_state (till_ui_sale (f)), ==, TILL_SALE_STATE_OPEN);

  /* Enter voids it, and a new sale starts. */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("F4", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_CONFIRM_WINDOW) != NULL, WAIT_MS);
  till_ui_focus_window (till_ui_find_window (TILL_TYPE_CONFIRM_WINDOW));
  till_ui_key ("Return", FALSE);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_sale_get_number (till_ui_sale (f)), number) != 0, WAIT_MS);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);

  state = till_ui_query_text (f, "SELECT state FROM sale WHERE number = ?", number);
  g_assert_cmpstr (state, ==, "voided");
  audit = till_ui_query_text (f, "SELECT count(*) FROM audit WHERE action = ?", "void_sale");
  g_assert_cmpstr (audit, ==, "1");
  till_ui_fixture_free (f);
}

static void
test_new_sale_refused_with_lines (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autofree char *number = NULL;

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  till_ui_key ("n", TRUE);
  till_ui_pump (200);
  g_assert_cmpstr (till_sale_get_number (till_ui_sale (f)), ==, number);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 1);
  g_assert_true (till_ui_message_contains (f, "F8"));
  till_ui_fixture_free (f);
}

static void
test_open_sale_survives_restart (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autofree char *number = NULL;
  gint64 total;

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_ui_add_and_wait (f, BANANA_500G, WAIT_MS);
  number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  total = till_sale_get_total_fen (till_ui_sale (f));

  till_ui_fixture_reopen (f);

  g_assert_cmpstr (till_sale_get_number (till_ui_sale (f)), ==, number);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 2);
  g_assert_cmpint (till_sale_get_total_fen (till_ui_sale (f)), ==, total);
  g_assert_true (till_sale_line_get_weighed (till_sale_get_line (till_ui_sale (f), 1)));
  till_ui_fixture_free (f);
}

static GtkWidget *
find_actionable (GtkWidget  *widget,
                 const char *action_name)
{
  if (GTK_IS_ACTIONABLE (widget)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_actions_follow_state (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  GtkWidget *cash = find_actionable (GTK_WIDGET (f->cashier), "cashier.cash");
  GtkWidget *void_line = find_actionable (GTK_WIDGET (f->cashier), "cashier.void-line");
  GtkWidget *void_sale = find_actionable (GTK_WIDGET (f->cashier), "cashier.void-sale");
  GtkWidget *next = find_actionable (GTK_WIDGET (f->cashier), "cashier.new-sale");

  g_assert_nonnull (cash);
  g_assert_nonnull (void_line);
  g_assert_nonnull (void_sale);
  g_assert_nonnull (next);

  /* An empty cart cannot be paid or voided. */
  g_assert_false (gtk_widget_get_sensitive (cash));
  g_assert_false (gtk_widget_get_sensitive (void_sale));
  g_assert_false (gtk_widget_get_sensitive (void_line));
  g_assert_true (gtk_widget_get_sensitive (next));

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  g_assert_true (gtk_widget_get_sensitive (cash));
  g_assert_true (gtk_widget_get_sensitive (void_sale));
  g_assert_true (gtk_widget_get_sensitive (void_line));

  pay_cash (f, "10");
  /* A paid sale is closed: nothing to pay, void or change. */
  g_assert_false (gtk_widget_get_sensitive (cash));
  g_assert_false (gtk_widget_get_sensitive (void_sale));
  g_assert_false (gtk_widget_get_sensitive (void_line));
  g_assert_true (gtk_widget_get_sensitive (next));

  /* The button does what F8 does. */
  till_ui_key ("F12", FALSE);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_OPEN, WAIT_MS);
  till_ui_add_and_wait (f, EGG_PLU, WAIT_MS);
  g_signal_emit_by_name (cash, "clicked");
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_CASH_WINDOW) != NULL, WAIT_MS);
  gtk_window_close (till_ui_find_window (TILL_TYPE_CASH_WINDOW));

  till_ui_fixture_free (f);
}

static void
test_preferences_bindings (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  GtkWindow *prefs;
  GtkWindow *pin;
  GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
  guint n_monitors = g_list_model_get_n_items (monitors);
  g_autoptr(GError) error = NULL;

  /* Ctrl+comma asks for a manager's PIN first. */
  g_assert_cmpint (till_people_add (till_shift_get_people (till_context_get_shift (f->context)),
                                    "店长", TILL_ROLE_MANAGER, "8642", "test", &error),
                   >, 0);
  g_assert_no_error (error);
  till_ui_key ("comma", TRUE);
  TILL_UI_WAIT_FOR ((pin = till_ui_find_window (TILL_TYPE_PIN_WINDOW)) != NULL, WAIT_MS);
  g_assert_null (till_ui_find_window (TILL_TYPE_PREFERENCES_WINDOW));
  till_ui_focus_window (pin);
  till_ui_type ("8642", 20, TRUE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_PREFERENCES_WINDOW) != NULL, WAIT_MS);
  prefs = till_ui_find_window (TILL_TYPE_PREFERENCES_WINDOW);

  g_settings_set_string (f->settings, "store-name", "好邻居便利店");
  g_assert_cmpint (till_customer_display_get_monitor_index (f->display), ==,
                   (int) n_monitors - 1);
  g_settings_set_int (f->settings, "customer-display-monitor", 0);
  g_assert_cmpint (till_customer_display_get_monitor_index (f->display), ==, 0);
  g_settings_set_int (f->settings, "customer-display-monitor", 99);
  g_assert_cmpint (till_customer_display_get_monitor_index (f->display), ==,
                   (int) n_monitors - 1);

  /* Widgets write the settings. */
  {
    /* The wedge threshold's spin button, by its key (the Till page has spin buttons of its
     * own before the Devices page's). */
    GtkSpinButton *spin = GTK_SPIN_BUTTON (till_preferences_window_get_key_widget (
      TILL_PREFERENCES_WINDOW (prefs), "wedge-threshold-ms"));

    g_assert_nonnull (spin);
    g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, 30);
    gtk_spin_button_set_value (spin, 55);
    g_assert_cmpuint (g_settings_get_uint (f->settings, "wedge-threshold-ms"), ==, 55);
    g_settings_set_uint (f->settings, "wedge-threshold-ms", 40);
    g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, 40);
    g_assert_cmpuint (till_wedge_detector_get_threshold (
                        till_wedge_input_get_detector (f->cashier->wedge)), ==, 40);
  }

  gtk_window_destroy (prefs);
  till_ui_fixture_free (f);
}

static void
test_screenshots (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autofree char *cashier_png = NULL;
  g_autofree char *display_png = NULL;
  g_autofree char *paid_png = NULL;
  g_autofree char *display_paid_png = NULL;
  g_autofree char *cash_png = NULL;
  TillCashWindow *cash;

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  till_ui_add_and_wait (f, BANANA_500G, WAIT_MS);
  till_ui_add_and_wait (f, EGG_PLU, WAIT_MS);
  till_ui_feed (f, UNKNOWN_EAN);
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, UNKNOWN_EAN), WAIT_MS);

  cashier_png = till_ui_screenshot (GTK_WIDGET (f->cashier), "ui-cashier-window");
  display_png = till_ui_screenshot (GTK_WIDGET (f->display), "ui-customer-display");

  cash = open_cash_window (f);
  gtk_editable_set_text (till_cash_window_get_entry (cash), "50");
  cash_png = till_ui_screenshot (GTK_WIDGET (cash), "ui-cash-window");
  g_assert_true (till_cash_window_confirm (cash));
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, WAIT_MS);

  paid_png = till_ui_screenshot (GTK_WIDGET (f->cashier), "ui-cashier-window-paid");
  display_paid_png = till_ui_screenshot (GTK_WIDGET (f->display), "ui-customer-display-paid");

  g_assert_true (g_file_test (cashier_png, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (display_png, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (paid_png, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (display_paid_png, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (cash_png, G_FILE_TEST_IS_REGULAR));
  till_ui_fixture_free (f);
}

static void
test_escape_clears_code_entry (void)
{
  TillUiFixture *f = till_ui_fixture_new ();

  gtk_widget_grab_focus (GTK_WIDGET (f->cashier->code_entry));
  till_ui_type ("12", SLOW_MS, FALSE);
  g_assert_cmpstr (entry_text (f), ==, "12");
  till_ui_key ("Escape", FALSE);
  g_assert_cmpstr (entry_text (f), ==, "");
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (f->cashier->code_entry))
                 || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->cashier)),
                                            GTK_WIDGET (f->cashier->code_entry)));
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);
  till_ui_fixture_free (f);
}

static void
test_typed_unknown_code (void)
{
  TillUiFixture *f = till_ui_fixture_new ();

  gtk_widget_grab_focus (GTK_WIDGET (f->cashier->code_entry));
  till_ui_type ("9999", SLOW_MS, TRUE);
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, "9999"), WAIT_MS);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->cashier->message_label), "error"));
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);
  g_assert_cmpstr (entry_text (f), ==, "");
  till_ui_fixture_free (f);
}

static void
test_receipt_code_unknown_sale (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autofree char *receipt = till_barcode_receipt_code ("19990101-0042");

  till_ui_feed (f, receipt);
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, "19990101-0042"), WAIT_MS);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->cashier->message_label), "error"));
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);
  till_ui_fixture_free (f);
}

static void
test_demo_title (void)
{
  TillUiFixture *f = till_ui_fixture_new_demo ();
  const char *title = gtk_window_get_title (GTK_WINDOW (f->cashier));

  g_assert_nonnull (strstr (title, "DEMO"));
  g_assert_nonnull (strstr (title, "Tillpoint Cashier"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->cashier->demo_banner)));
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (f->display)), "DEMO"));
  /* the customer display's title is bilingual in every language */
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (f->display)), "训练模式"));
  till_ui_fixture_free (f);

  f = till_ui_fixture_new ();
  g_assert_null (strstr (gtk_window_get_title (GTK_WINDOW (f->cashier)), "DEMO"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->cashier->demo_banner)));
  till_ui_fixture_free (f);
}

static void
test_preferences_dropdowns (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  TillPreferencesWindow *prefs = till_preferences_window_new (GTK_WINDOW (f->cashier),
                                                              f->context);
  AdwComboRow *value_kind = ADW_COMBO_ROW (till_preferences_window_get_key_widget (
    prefs, "embedded-value-kind"));
  AdwComboRow *monitor = ADW_COMBO_ROW (till_preferences_window_get_key_widget (
    prefs, "customer-display-monitor"));
  GtkSwitch *fullscreen = GTK_SWITCH (till_preferences_window_get_key_widget (
    prefs, "customer-display-fullscreen"));
  GtkEditable *store_name = GTK_EDITABLE (till_preferences_window_get_key_widget (
    prefs, "store-name"));
  GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
  TillEmbeddedLayout layout;

  g_assert_nonnull (value_kind);
  g_assert_nonnull (monitor);
  g_assert_nonnull (fullscreen);
  g_assert_nonnull (store_name);

  /* Value kind: widget -> settings -> the layout the router uses. */
  g_assert_cmpuint (adw_combo_row_get_selected (value_kind), ==, 0);
  adw_combo_row_set_selected (value_kind, 1);
  g_assert_cmpstr (g_settings_get_string (f->settings, "embedded-value-kind"), ==, "price-fen");
  layout = till_context_get_embedded_layout (f->context);
  g_assert_cmpint (layout.value_kind, ==, TILL_EMBEDDED_PRICE_FEN);
  g_settings_set_enum (f->settings, "embedded-value-kind", 0);
  g_assert_cmpuint (adw_combo_row_get_selected (value_kind), ==, 0);

  /* Monitors: "last monitor" first, then one entry per monitor. */
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (monitor)), ==,
                    g_list_model_get_n_items (monitors) + 1);
  g_assert_cmpuint (adw_combo_row_get_selected (monitor), ==, 0);
  adw_combo_row_set_selected (monitor, 1);
  g_assert_cmpint (g_settings_get_int (f->settings, "customer-display-monitor"), ==, 0);
  adw_combo_row_set_selected (monitor, 0);
  g_assert_cmpint (g_settings_get_int (f->settings, "customer-display-monitor"), ==, -1);

  gtk_switch_set_active (fullscreen, TRUE);
  g_assert_true (g_settings_get_boolean (f->settings, "customer-display-fullscreen"));
  gtk_switch_set_active (fullscreen, FALSE);

  /* Shop name: typed in preferences, shown on the customer display. */
  gtk_editable_set_text (store_name, "好邻居便利店");
  g_assert_cmpstr (g_settings_get_string (f->settings, "store-name"), ==, "好邻居便利店");

  gtk_window_destroy (GTK_WINDOW (prefs));
  till_ui_fixture_free (f);
}

/* The head office (issue 19) in the status bar: nothing while hq-url is empty, "Head
 * office: offline" when the server cannot be reached (a socket directory that does not
 * exist), nothing again when it is turned off. */
static void
test_status_head_office (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr (TillHqSync) sync = till_hq_sync_new (f->store);
  g_autoptr (GError) error = NULL;
  g_autofree char *shot = NULL;

  till_hq_sync_set_intervals (sync, 50, 200, 1000);
  till_context_set_hq_sync (f->context, sync);
  till_ui_fixture_reopen (f);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->cashier->hq_label)));

  g_assert_true (till_hq_sync_configure (sync, "host=/nonexistent-till-hq dbname=hq", NULL, "S01",
                                         "01", &error));
  g_assert_no_error (error);
  TILL_UI_WAIT_FOR (till_hq_sync_get_state (sync) == TILL_HQ_SYNC_OFFLINE, 10000);
  g_assert_cmpint (till_hq_sync_get_state (sync), ==, TILL_HQ_SYNC_OFFLINE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->cashier->hq_label)));
  g_assert_cmpstr (gtk_label_get_text (f->cashier->hq_label), ==, "Head office: offline");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->cashier->hq_label), "warning"));
  shot = till_ui_screenshot (GTK_WIDGET (f->cashier), "cashier-head-office-offline");

  g_assert_true (till_hq_sync_configure (sync, "", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->cashier->hq_label)));
  till_context_set_hq_sync (f->context, NULL);
  till_ui_fixture_free (f);
}

int
main (int argc, char *argv[])
{
  /* The key-sending thread has an X connection of its own. */
  XInitThreads ();
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/wedge/fast-scan-adds-product", test_wedge_fast_scan_adds_product);
  g_test_add_func ("/ui/status/head-office", test_status_head_office);
  g_test_add_func ("/ui/wedge/slow-keys-on-cart-do-nothing",
                   test_wedge_slow_keys_on_cart_do_nothing);
  g_test_add_func ("/ui/wedge/fast-scan-in-code-entry", test_wedge_fast_scan_in_code_entry);
  g_test_add_func ("/ui/wedge/threshold-follows-settings", test_wedge_threshold_follows_settings);
  g_test_add_func ("/ui/typing/code-entry-adds-product", test_typing_in_code_entry_adds_product);
  g_test_add_func ("/ui/typing/plu", test_typing_plu_in_code_entry);
  g_test_add_func ("/ui/typing/weighed-plu-asks-weight", test_typing_weighed_plu_asks_weight);
  g_test_add_func ("/ui/route/weight-code", test_route_weight_code);
  g_test_add_func ("/ui/route/price-code", test_route_price_code);
  g_test_add_func ("/ui/route/unknown-codes", test_route_unknown_codes);
  g_test_add_func ("/ui/route/payment-code", test_route_payment_code);
  g_test_add_func ("/ui/route/counted-lines-merge", test_route_counted_lines_merge);
  g_test_add_func ("/ui/cash/sale", test_cash_sale);
  g_test_add_func ("/ui/cash/refuses-short-amount", test_cash_refuses_short_amount);
  g_test_add_func ("/ui/cash/rounded-due", test_cash_rounded_due);
  g_test_add_func ("/ui/preferences/cash-rounding", test_preferences_cash_rounding);
  g_test_add_func ("/ui/cash/empty-cart-refused", test_cash_empty_cart_refused);
  g_test_add_func ("/ui/cash/scan-after-paid-starts-new-sale",
                   test_scan_after_paid_starts_new_sale);
  g_test_add_func ("/ui/quantity/counted", test_quantity_change);
  g_test_add_func ("/ui/quantity/weighed", test_quantity_weighed);
  g_test_add_func ("/ui/display/mirrors-total", test_display_mirrors_total);
  g_test_add_func ("/ui/sale/void", test_void_sale);
  g_test_add_func ("/ui/sale/void-after-part-cash", test_void_after_part_cash);
  g_test_add_func ("/ui/sale/new-refused-with-lines", test_new_sale_refused_with_lines);
  g_test_add_func ("/ui/sale/survives-restart", test_open_sale_survives_restart);
  g_test_add_func ("/ui/actions/follow-state", test_actions_follow_state);
  g_test_add_func ("/ui/preferences/bindings", test_preferences_bindings);
  g_test_add_func ("/ui/typing/escape-clears-entry", test_escape_clears_code_entry);
  g_test_add_func ("/ui/typing/unknown-code", test_typed_unknown_code);
  g_test_add_func ("/ui/route/receipt-unknown-sale", test_receipt_code_unknown_sale);
  g_test_add_func ("/ui/demo/title", test_demo_title);
  g_test_add_func ("/ui/preferences/dropdowns", test_preferences_dropdowns);
  g_test_add_func ("/ui/screenshots", test_screenshots);

  return g_test_run ();
}
