/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The receiving and stocktake windows on Xvfb with real keys: Ctrl+Shift+I and a manager's
 * PIN open the receiving window, a cola scanned through the scanner hub, 24 and a cost
 * typed, Ctrl+Enter books it (the sale at the counter takes nothing); Ctrl+Shift+K, the
 * cola scanned and 20 typed shows −4, Ctrl+Enter and the PIN book it, and the level read by
 * the test's own SQL is 20. Counts not booked are not lost by Escape. Screenshots:
 * meson-logs/stock-entry-*.png. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <string.h>

#include <X11/Xlib.h>

#include "till-confirm-window.h"
#include "till-manager-actions.h"
#include "till-pin-window.h"
#include "till-receiving-window.h"
#include "till-shift.h"
#include "till-stocktake-window.h"
#include "till-ui-test.h"

#define COLA_EAN "6954767002057" /* 可口可乐 500ml */
#define MANAGER_PIN "8642"
#define WAIT_MS 10000

static gint64
query_int (TillUiFixture *f, const char *sql, const char *arg)
{
  g_autofree char *n = till_ui_query_text (f, sql, arg);

  return n != NULL ? g_ascii_strtoll (n, NULL, 10) : -1;
}

static void
type_pin (void)
{
  GtkWindow *pin = NULL;

  TILL_UI_WAIT_FOR ((pin = till_ui_find_window (TILL_TYPE_PIN_WINDOW)) != NULL, WAIT_MS);
  till_ui_focus_window (pin);
  till_ui_type (MANAGER_PIN, 20, TRUE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_PIN_WINDOW) == NULL, WAIT_MS);
}

static void
test_receive_and_count (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr (GtkApplication) app = NULL;
  g_autoptr (TillManagerActions) actions = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TillProduct) cola = till_store_lookup_barcode (f->store, COLA_EAN, &error);
  g_autofree char *cola_id = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *row = NULL;
  TillPeople *people = till_shift_get_people (till_context_get_shift (f->context));
  GtkWindow *window = NULL;
  GtkWindow *confirm = NULL;
  TillReceivingWindow *receiving;
  TillReceivingDraft *rdraft;
  TillStocktakeWindow *stocktake;
  TillStocktakeDraft *sdraft;

  g_assert_no_error (error);
  cola_id = g_strdup_printf ("%" G_GINT64_FORMAT, cola->id);
  till_people_add (people, "王店长", TILL_ROLE_MANAGER, MANAGER_PIN, "test", &error);
  g_assert_no_error (error);
  app = gtk_application_new (APPLICATION_ID ".StockEntryTest", G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  gtk_application_add_window (app, GTK_WINDOW (f->cashier));
  actions = till_manager_actions_new (app, f->context);

  /* Ctrl+Shift+I, the manager's PIN: the receiving window and the approval. */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key_control_shift ("i");
  type_pin ();
  TILL_UI_WAIT_FOR ((window = till_ui_find_window (TILL_TYPE_RECEIVING_WINDOW)) != NULL, WAIT_MS);
  receiving = TILL_RECEIVING_WINDOW (window);
  rdraft = till_receiving_window_get_draft (receiving);
  g_assert_cmpint (
      query_int (f, "SELECT count(*) FROM audit WHERE action = ?1", "approve:receiving"), ==, 1);
  till_ui_focus_window (window);

  /* The supplier typed; the cola scanned: a line of 1, its quantity selected, so 24 types
   * over it; Enter goes to the cost. The sale at the counter takes nothing. */
  till_ui_type ("acmefoods", 10, FALSE);
  /* A barcode the catalog does not have: named, with the way to add it. */
  till_ui_feed (f, "6975999999990");
  TILL_UI_WAIT_FOR (strstr (till_receiving_window_get_message (receiving), "6975999999990"),
                    WAIT_MS);
  g_assert_cmpstr (till_receiving_window_get_message (receiving), ==,
                   "“6975999999990” is not in the catalog. Add it in the products window "
                   "(Ctrl+Shift+P)");
  g_assert_cmpuint (till_receiving_draft_get_n_lines (rdraft), ==, 0);
  till_ui_feed (f, COLA_EAN);
  TILL_UI_WAIT_FOR (till_receiving_draft_get_n_lines (rdraft) == 1, WAIT_MS);
  till_ui_pump (100);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);
  g_assert_cmpstr (till_receiving_draft_get_line (rdraft, 0)->qty_text, ==, "1");
  till_ui_type ("24", 20, TRUE);
  till_ui_type ("2.10", 20, FALSE);
  till_ui_pump (100);
  g_assert_cmpstr (till_receiving_draft_get_supplier (rdraft), ==, "acmefoods");
  g_assert_cmpstr (till_receiving_draft_get_line (rdraft, 0)->qty_text, ==, "24");
  g_assert_cmpstr (till_receiving_draft_get_line (rdraft, 0)->cost_text, ==, "2.10");
  g_assert_cmpint (till_receiving_draft_get_total_fen (rdraft), ==, 5040);
  shot = till_ui_screenshot (GTK_WIDGET (window), "stock-entry-receiving");
  g_test_message ("screenshot %s", shot);

  /* Ctrl+Enter: booked, the window cleared for the next delivery. */
  till_ui_key ("Return", TRUE);
  TILL_UI_WAIT_FOR (g_str_has_prefix (till_receiving_window_get_message (receiving), "Receiving R"),
                    WAIT_MS);
  g_assert_cmpstr (till_receiving_window_get_message (receiving), ==, "Receiving R1 booked");
  g_assert_cmpuint (till_receiving_draft_get_n_lines (rdraft), ==, 0);
  g_assert_cmpstr (till_receiving_draft_get_supplier (rdraft), ==, "");
  g_assert_cmpint (
      query_int (f, "SELECT sum (qty_milli) FROM stock_move WHERE product_id = ?1", cola_id), ==,
      24000);
  row = till_ui_query_text (f, "SELECT supplier || '|' || who FROM receiving WHERE id = ?1", "1");
  g_assert_cmpstr (row, ==, "acmefoods|王店长");
  /* The supplier is offered next time. */
  TILL_UI_WAIT_FOR (till_receiving_draft_get_suppliers (rdraft)[0] != NULL, WAIT_MS);
  g_assert_cmpstr (till_receiving_draft_get_suppliers (rdraft)[0], ==, "acmefoods");
  g_clear_pointer (&shot, g_free);
  till_ui_pump (300);
  shot = till_ui_screenshot (GTK_WIDGET (window), "stock-entry-receiving-booked");
  /* Escape: the first one dismisses the toast while it shows (libadwaita), then it closes. */
  till_ui_focus_window (window);
  for (int i = 0; i < 2 && till_ui_find_window (TILL_TYPE_RECEIVING_WINDOW) != NULL; i++)
    {
      till_ui_key ("Escape", FALSE);
      till_ui_pump (300);
    }
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_RECEIVING_WINDOW) == NULL, WAIT_MS);

  /* Ctrl+Shift+K: counting needs no PIN. The cola scanned, 20 typed over the 1: −4. */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key_control_shift ("k");
  TILL_UI_WAIT_FOR ((window = till_ui_find_window (TILL_TYPE_STOCKTAKE_WINDOW)) != NULL, WAIT_MS);
  g_assert_null (till_ui_find_window (TILL_TYPE_PIN_WINDOW));
  stocktake = TILL_STOCKTAKE_WINDOW (window);
  sdraft = till_stocktake_window_get_draft (stocktake);
  till_ui_focus_window (window);
  till_ui_feed (f, COLA_EAN);
  TILL_UI_WAIT_FOR (till_stocktake_draft_get_n_lines (sdraft) == 1, WAIT_MS);
  till_ui_pump (100);
  g_assert_cmpint (till_stocktake_draft_get_line (sdraft, 0)->expected_milli, ==, 24000);
  g_assert_cmpstr (till_stocktake_window_get_variance_text (stocktake, 0), ==, "-23");
  till_ui_type ("20", 20, FALSE);
  till_ui_pump (100);
  g_assert_cmpstr (till_stocktake_window_get_variance_text (stocktake, 0), ==, "-4");
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);
  g_clear_pointer (&shot, g_free);
  shot = till_ui_screenshot (GTK_WIDGET (window), "stock-entry-stocktake");
  g_test_message ("screenshot %s", shot);

  /* Ctrl+Enter asks the PIN, then books: the level by SQL is what was counted. */
  till_ui_key ("Return", TRUE);
  type_pin ();
  TILL_UI_WAIT_FOR (till_stocktake_draft_get_booked_id (sdraft) != 0, WAIT_MS);
  till_ui_pump (100);
  g_assert_cmpstr (till_stocktake_window_get_message (stocktake), ==, "Stocktake S1 booked");
  g_assert_cmpstr (till_stocktake_window_get_variance_text (stocktake, 0), ==, "-4");
  g_assert_cmpint (
      query_int (f, "SELECT sum (qty_milli) FROM stock_move WHERE product_id = ?1", cola_id), ==,
      20000);
  g_assert_cmpint (
      query_int (f, "SELECT variance_milli FROM stocktake_line WHERE product_id = ?1", cola_id), ==,
      -4000);
  g_clear_pointer (&row, g_free);
  row = till_ui_query_text (f, "SELECT approved_by FROM stocktake WHERE id = ?1", "1");
  g_assert_cmpstr (row, ==, "王店长");
  g_clear_pointer (&shot, g_free);
  shot = till_ui_screenshot (GTK_WIDGET (window), "stock-entry-stocktake-booked");

  /* A new count, then Escape: asked first; Escape on the question keeps the counts. */
  till_ui_focus_window (window);
  till_ui_feed (f, COLA_EAN);
  TILL_UI_WAIT_FOR (till_stocktake_draft_get_unsaved (sdraft), WAIT_MS);
  for (int i = 0; i < 2 && till_ui_find_window (TILL_TYPE_CONFIRM_WINDOW) == NULL; i++)
    {
      till_ui_key ("Escape", FALSE); /* the first may dismiss the toast */
      till_ui_pump (300);
    }
  TILL_UI_WAIT_FOR ((confirm = till_ui_find_window (TILL_TYPE_CONFIRM_WINDOW)) != NULL, WAIT_MS);
  g_assert_cmpstr (till_confirm_window_get_body (TILL_CONFIRM_WINDOW (confirm)), ==,
                   "Products counted but not booked: 1.");
  till_ui_focus_window (confirm);
  till_ui_key ("Escape", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_CONFIRM_WINDOW) == NULL, WAIT_MS);
  g_assert_nonnull (till_ui_find_window (TILL_TYPE_STOCKTAKE_WINDOW));
  g_assert_true (till_stocktake_draft_get_unsaved (sdraft));
  till_ui_focus_window (window);
  till_ui_key ("Escape", FALSE);
  TILL_UI_WAIT_FOR ((confirm = till_ui_find_window (TILL_TYPE_CONFIRM_WINDOW)) != NULL, WAIT_MS);
  till_confirm_window_confirm (TILL_CONFIRM_WINDOW (confirm));
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_STOCKTAKE_WINDOW) == NULL, WAIT_MS);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM stocktake", NULL), ==, 1);

  /* The counter works as before: the cola scanned into the sale. */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 1);

  till_ui_fixture_free (f);
}

int
main (int argc, char **argv)
{
  /* The key-sending thread has an X connection of its own. */
  XInitThreads ();
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/stock-entry/receive-and-count", test_receive_and_count);
  return g_test_run ();
}
