/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GUI test of the status bar's "N low on stock" on Xvfb with real keys: goods received
 * (two colas at ¥2.00, a minimum of three) are low already; a cola scanned and paid in
 * cash with F8 takes one out and the note counts what the database's own SQL counts. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <string.h>

#include <X11/Xlib.h>

#include "till-cash-window.h"
#include "till-store-stock.h"
#include "till-ui-test.h"

#define COLA_EAN  "6954767002057"   /* 可口可乐 500ml, ¥3.50 */
#define CHIPS_EAN "6924678006079"   /* 乐事薯片原味 70g, ¥7.50 */
#define WAIT_MS   5000

static void
pay_cash (TillUiFixture *f,
          const char    *tendered)
{
  TillCashWindow *cash;

  till_ui_key ("F8", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_CASH_WINDOW) != NULL, WAIT_MS);
  cash = TILL_CASH_WINDOW (till_ui_find_window (TILL_TYPE_CASH_WINDOW));
  till_ui_focus_window (GTK_WINDOW (cash));
  gtk_editable_set_text (till_cash_window_get_entry (cash), "");
  till_ui_type (tendered, 40, TRUE);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, WAIT_MS);
  till_ui_focus_window (GTK_WINDOW (f->cashier));
}

static const char *
note (TillUiFixture *f)
{
  return _till_cashier_window_get_low_stock_text (f->cashier);
}

static void
test_low_stock_note (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TillProduct) cola = till_store_lookup_barcode (f->store, COLA_EAN, &error);
  g_autoptr(TillProduct) chips = till_store_lookup_barcode (f->store, CHIPS_EAN, &error);
  g_autofree char *low = NULL;
  g_autofree char *level = NULL;
  g_autofree char *png = NULL;
  TillReceivingLine in[] = { { 0, 2000, 200 }, { 0, 10000, 450 } };

  g_assert_no_error (error);
  /* Nothing tracked: no note. */
  till_ui_pump (200);
  g_assert_null (note (f));

  in[0].product_id = cola->id;
  in[1].product_id = chips->id;
  g_assert_cmpint (till_store_receive (f->store, "Supplier", "manager", in, 2, &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (till_store_set_stock_settings (f->store, cola->id, TRUE, 3000, &error));
  g_assert_true (till_store_set_stock_settings (f->store, chips->id, TRUE, 2000, &error));
  g_assert_no_error (error);

  /* A cola scanned and paid in cash: the note follows the paid sale. */
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  pay_cash (f, "10");
  TILL_UI_WAIT_FOR (note (f) != NULL, WAIT_MS);
  g_assert_cmpstr (note (f), ==, "1 low on stock");

  /* The same as the database says, by SQL of its own. */
  low = till_ui_query_text (f,
    "SELECT count (*) FROM (SELECT p.id FROM product p LEFT JOIN stock_move m"
    " ON m.product_id = p.id WHERE p.track_stock = 1 GROUP BY p.id"
    " HAVING COALESCE (SUM (m.qty_milli), 0) < p.min_stock_milli"
    " OR COALESCE (SUM (m.qty_milli), 0) < 0)", NULL);
  g_assert_cmpstr (low, ==, "1");
  level = till_ui_query_text (f, "SELECT SUM (qty_milli) FROM stock_move m JOIN product p"
                                 " ON p.id = m.product_id WHERE p.barcode = ?1", COLA_EAN);
  g_assert_cmpstr (level, ==, "1000");

  till_ui_pump (300);
  png = till_ui_screenshot (GTK_WIDGET (f->cashier), "stock-low-note");
  g_test_message ("screenshot %s", png);
  till_ui_fixture_free (f);
}

int
main (int   argc,
      char *argv[])
{
  XInitThreads ();
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/stock/low-stock-note", test_low_stock_note);
  return g_test_run ();
}
