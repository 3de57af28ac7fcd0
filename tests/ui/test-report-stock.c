/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GUI test of the reports' Stock tab on Xvfb (issue 15): goods received (colas at ¥2.00,
 * one bag of chips at ¥4.50 in the category "Snacks"), two colas, two bags of chips and an
 * untracked water scanned and paid in cash with F8; the report window's Stock tab shows the
 * margin, the stock value, the notes, the tables, as the store's report and the database's
 * own SQL say; its CSV export holds the stock table after the sales report's.
 * And the Stored value tab (issue 16): members' top-ups with a bonus, a spend, a refund of
 * part of it, a manager's adjustment and points, shown as the ledgers' SQL says, exported
 * after the sales report; the day close window shows the day's stored value beside cash
 * and codes. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <string.h>

#include <X11/Xlib.h>

#include "till-cash-window.h"
#include "till-report-window-private.h"
#include "till-day-close-window.h"
#include "till-store-member-reports.h"
#include "till-store-members.h"
#include "till-store-products.h"
#include "till-store-stored-value.h"
#include "till-store-stock.h"
#include "till-text-row.h"
#include "till-ui-test.h"

#define COLA_EAN  "6954767002057"   /* 可口可乐 500ml, ¥3.50 */
#define CHIPS_EAN "6924678006079"   /* 乐事薯片原味 70g, ¥7.50 */
#define WATER_EAN "6921168509256"   /* 农夫山泉饮用天然水 550ml, ¥2.00, untracked */
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
cell (GListModel *rows,
      guint       row,
      guint       column)
{
  g_autoptr(TillTextRow) item = g_list_model_get_item (rows, row);

  g_assert_nonnull (item);
  return till_text_row_get_cell (item, column);
}

typedef struct
{
  gboolean done;
  gboolean ok;
} Done;

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Done *d = user_data;

  d->ok = till_report_window_export_csv_finish (TILL_REPORT_WINDOW (object), result, NULL);
  d->done = TRUE;
}

static void
test_stock_tab (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TillProduct) cola = till_store_lookup_barcode (f->store, COLA_EAN, &error);
  g_autoptr(TillProduct) chips = till_store_lookup_barcode (f->store, CHIPS_EAN, &error);
  g_autoptr(TillStockReport) expected = NULL;
  g_autofree char *png = NULL;
  g_autofree char *sql_value = NULL;
  g_autofree char *sql_revenue = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(GFile) file = NULL;
  TillReceivingLine in[] = { { 0, 10000, 200 }, { 0, 1000, 450 } };
  TillReportWindow *w;
  TillStockSection *section;
  GListModel *rows;
  gint64 snacks, from, to;
  Done d = { 0 };

  g_assert_no_error (error);
  snacks = till_store_add_category (f->store, "Snacks", "manager", &error);
  g_assert_no_error (error);
  g_assert_cmpint (till_store_save_product (f->store, chips, snacks, 0, "manager", &error), ==,
                   chips->id);
  in[0].product_id = cola->id;
  in[1].product_id = chips->id;
  g_assert_cmpint (till_store_receive (f->store, "Supplier", "manager", in, 2, &error), >, 0);
  g_assert_no_error (error);

  /* At the counter: two colas, two bags of chips (one in stock), a water. */
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  till_ui_add_and_wait (f, WATER_EAN, WAIT_MS);
  pay_cash (f, "30");

  w = till_report_window_new (GTK_WINDOW (f->cashier), f->context);
  g_object_ref_sink (w);
  gtk_window_set_default_size (GTK_WINDOW (w), 1000, 760);
  gtk_window_present (GTK_WINDOW (w));
  TILL_UI_WAIT_FOR (!till_report_window_get_loading (w), WAIT_MS);
  g_assert_cmpstr (till_report_window_get_status (w), ==, "");
  gtk_stack_set_visible_child_name (w->stack, "stock");
  section = till_report_window_get_stock_section (w);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (section)));
  g_assert_false (till_stock_section_get_empty (section));

  /* ¥24.00 sold: colas 7.00 (cost 4.00), chips 15.00 (cost 9.00), water 2.00 (no cost):
   * margin 9.00 on the 22.00 whose cost is known */
  g_assert_cmpstr (till_stock_section_get_figure (section, "revenue"), ==, "¥24.00");
  g_assert_cmpstr (till_stock_section_get_figure (section, "cost"), ==, "¥13.00");
  g_assert_cmpstr (till_stock_section_get_figure (section, "margin"), ==, "¥9.00");
  g_assert_cmpstr (till_stock_section_get_figure (section, "percent"), ==, "40.9%");
  g_assert_cmpstr (till_stock_section_get_figure (section, "value"), ==, "¥16.00");
  g_assert_cmpstr (till_stock_section_get_note (section), ==,
                   "Cost unknown for 1 of 3 products: their revenue (¥2.00) is left out of"
                   " the margin.\nProducts below zero, valued at 0: 1");

  /* The same as the store's report of the day and the database's own SQL. */
  g_assert_true (till_report_parse_day (w->date, &from, &to, &error));
  expected = till_store_stock_report (f->store, from, to, &error);
  g_assert_no_error (error);
  sql_revenue = till_ui_query_text (f, "SELECT SUM (total_fen) FROM sale WHERE state = 'paid'",
                                    NULL);
  g_assert_cmpstr (sql_revenue, ==, "2400");
  sql_value = till_ui_query_text (f, "SELECT SUM (m.qty_milli) * p.cost_fen / 1000"
                                     " FROM stock_move m JOIN product p ON p.id = m.product_id"
                                     " WHERE p.barcode = ?1", COLA_EAN);
  g_assert_cmpstr (sql_value, ==, "1600");
  g_assert_cmpint (expected->stock_value_fen, ==, 1600);

  rows = till_stock_section_get_rows (section, "categories");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 2);
  g_assert_cmpstr (cell (rows, 0, 0), ==, "Snacks");
  g_assert_cmpstr (cell (rows, 0, 1), ==, "¥15.00");
  g_assert_cmpstr (cell (rows, 0, 3), ==, "¥6.00");
  g_assert_cmpstr (cell (rows, 0, 4), ==, "40.0%");
  g_assert_cmpstr (cell (rows, 1, 0), ==, "Uncategorized");
  g_assert_cmpstr (cell (rows, 1, 1), ==, "¥9.00");
  g_assert_cmpstr (cell (rows, 1, 3), ==, "¥3.00");

  rows = till_stock_section_get_rows (section, "products");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, expected->margins->len);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const TillMarginRow *m = expected->margins->pdata[i];
      g_autofree char *revenue = till_money_format (m->revenue_fen);

      g_assert_cmpstr (cell (rows, i, 0), ==, m->name);
      g_assert_cmpstr (cell (rows, i, 3), ==, revenue);
      if (g_str_has_prefix (m->name, "农夫山泉"))
        g_assert_cmpstr (cell (rows, i, 4), ==, "cost unknown");
    }

  rows = till_stock_section_get_rows (section, "values");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 2);
  /* by name (乐事 before 可口) */
  g_assert_cmpstr (cell (rows, 0, 0), ==, chips->name);
  g_assert_cmpstr (cell (rows, 0, 1), ==, "-1");
  g_assert_cmpstr (cell (rows, 0, 3), ==, "¥0.00");
  g_assert_cmpstr (cell (rows, 0, 4), ==, "below zero, counted as 0");
  g_assert_cmpstr (cell (rows, 1, 0), ==, cola->name);
  g_assert_cmpstr (cell (rows, 1, 1), ==, "8");
  g_assert_cmpstr (cell (rows, 1, 2), ==, "¥2.00");
  g_assert_cmpstr (cell (rows, 1, 3), ==, "¥16.00");

  rows = till_stock_section_get_rows (section, "moves");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 4);   /* 2 received, 2 sold */
  g_assert_cmpstr (cell (rows, 0, 1), ==, "Receiving");
  g_assert_cmpstr (cell (rows, 2, 1), ==, "Sale");
  g_assert_cmpstr (cell (rows, 2, 3), ==, "-2");

  till_ui_pump (300);
  png = till_ui_screenshot (GTK_WIDGET (w), "report-stock");
  g_test_message ("screenshot %s", png);

  /* The export: the sales report's CSV, then the stock table. */
  csv_path = g_build_filename (f->dir, "report.csv", NULL);
  file = g_file_new_for_path (csv_path);
  till_report_window_export_csv_async (w, file, export_cb, &d);
  TILL_UI_WAIT_FOR (d.done, WAIT_MS);
  g_assert_true (d.ok);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  g_assert_nonnull (strstr (csv, "\r\n\r\n\"Section\",\"Entry\",\"Category\""));
  g_assert_nonnull (strstr (csv, "\"Margin by category\",\"Snacks\",\"\",\"\",\"15.00\","
                                 "\"9.00\",\"6.00\",\"40.0\""));

  /* A day before anything: nothing sold, but the till tracks stock — its value shows. */
  till_report_window_show_period (w, TILL_REPORT_PERIOD_DAY, "2001-01-01");
  TILL_UI_WAIT_FOR (!till_report_window_get_loading (w), WAIT_MS);
  g_assert_false (till_stock_section_get_empty (section));
  g_assert_cmpstr (till_stock_section_get_figure (section, "revenue"), ==, "¥0.00");
  g_assert_cmpstr (till_stock_section_get_figure (section, "value"), ==, "¥16.00");
  g_assert_cmpuint (g_list_model_get_n_items (till_stock_section_get_rows (section, "moves")),
                    ==, 0);

  gtk_window_destroy (GTK_WINDOW (w));
  g_object_unref (w);
  till_ui_fixture_free (f);
}

static void
test_no_stock (void)
{
  /* A till that tracks nothing: the tab says so. */
  TillUiFixture *f = till_ui_fixture_new ();
  TillReportWindow *w = till_report_window_new (GTK_WINDOW (f->cashier), f->context);
  g_autofree char *png = NULL;

  g_object_ref_sink (w);
  gtk_window_set_default_size (GTK_WINDOW (w), 1000, 760);
  gtk_window_present (GTK_WINDOW (w));
  TILL_UI_WAIT_FOR (!till_report_window_get_loading (w), WAIT_MS);
  gtk_stack_set_visible_child_name (w->stack, "stock");
  g_assert_true (till_stock_section_get_empty (till_report_window_get_stock_section (w)));
  till_ui_pump (300);
  png = till_ui_screenshot (GTK_WIDGET (w), "report-stock-none");
  g_test_message ("screenshot %s", png);
  gtk_window_destroy (GTK_WINDOW (w));
  g_object_unref (w);
  till_ui_fixture_free (f);
}

static void
assert_money_sql (TillUiFixture *f,
                  const char    *shown,
                  const char    *sql)
{
  g_autofree char *text = till_ui_query_text (f, sql, NULL);
  g_autofree char *money = till_money_format (g_ascii_strtoll (text, NULL, 10));

  g_assert_cmpstr (shown, ==, money);
}

static void
test_stored_value_tab (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TillMemberReport) expected = NULL;
  g_autofree char *png = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *a_paid_text = NULL;
  g_autofree char *owed_paid = NULL;
  g_autofree char *day_close_text = NULL;
  g_autofree char *expected_close = NULL;
  g_autoptr(GFile) file = NULL;
  TillMemberFields zf = { "Zhang", NULL, NULL, 0, NULL, TRUE };
  TillMemberFields wf = { "Wang", NULL, NULL, 0, NULL, TRUE };
  TillReportWindow *w;
  TillDayCloseWindow *close;
  TillMemberSection *section;
  GListModel *rows;
  gint64 zhang, wang, spend, a_paid = 0, a_bonus = 0, r_paid = 0, r_bonus = 0;
  Done d = { 0 };

  /* today: 充 200 送 20 for Zhang, 100 for Wang; Zhang spends ¥55.00, ¥10.00 of it comes
   * back by a refund; a manager adds ¥5.00 to Wang; Zhang earns 50 points, redeems 10 */
  g_assert_cmpint (till_store_add_topup_rule (f->store, 20000, 2000, "manager", &error), >, 0);
  zhang = till_store_add_member (f->store, &zf, NULL, "cashier", &error);
  wang = till_store_add_member (f->store, &wf, NULL, "cashier", &error);
  g_assert_true (till_store_stored_value_topup (f->store, zhang, 20000, "T-1", "cashier", NULL,
                                                &error));
  g_assert_true (till_store_stored_value_topup (f->store, wang, 10000, "T-2", "cashier", NULL,
                                                &error));
  spend = till_store_stored_value_spend (f->store, zhang, 5500, "S-1", "cashier", &a_paid,
                                         &a_bonus, &error);
  g_assert_cmpint (spend, >, 0);
  g_assert_cmpint (till_store_stored_value_refund (f->store, spend, 1000, "S-1", "cashier",
                                                   &r_paid, &r_bonus, &error), >, 0);
  g_assert_cmpint (till_store_stored_value_adjust (f->store, wang, 500, 0, "old card", "cashier",
                                                   "manager", &error), >, 0);
  g_assert_cmpint (till_store_points_earn (f->store, zhang, 50, "S-1", "cashier", &error), >, 0);
  g_assert_cmpint (till_store_points_redeem (f->store, zhang, 10, "S-2", "cashier", &error), >,
                   0);
  g_assert_no_error (error);

  w = till_report_window_new (GTK_WINDOW (f->cashier), f->context);
  g_object_ref_sink (w);
  gtk_window_set_default_size (GTK_WINDOW (w), 1200, 760);
  gtk_window_present (GTK_WINDOW (w));
  TILL_UI_WAIT_FOR (!till_report_window_get_loading (w), WAIT_MS);
  g_assert_cmpstr (till_report_window_get_status (w), ==, "");
  gtk_stack_set_visible_child_name (w->stack, "members");
  section = till_report_window_get_member_section (w);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (section)));
  g_assert_false (till_member_section_get_empty (section));

  /* what is owed: the members' balances summed by the database's own SQL */
  assert_money_sql (f, till_member_section_get_figure (section, "owed-paid"),
                    "SELECT SUM (paid_fen) FROM stored_value_move");
  assert_money_sql (f, till_member_section_get_figure (section, "owed-bonus"),
                    "SELECT SUM (bonus_fen) FROM stored_value_move");
  owed_paid = till_money_format (30000 - a_paid + r_paid + 500);
  g_assert_cmpstr (till_member_section_get_figure (section, "owed-paid"), ==, owed_paid);
  g_assert_cmpstr (till_member_section_get_figure (section, "taken-in"), ==, "¥320.00");
  g_assert_cmpstr (till_member_section_get_figure (section, "spent"), ==, "¥55.00");
  g_assert_cmpstr (till_member_section_get_figure (section, "points"), ==, "40");
  g_assert_cmpstr (till_member_section_get_members_text (section), ==,
                   "Members who topped up: 2 · who spent stored value: 1");

  /* the day's row and the total, as the store's report of the day */
  expected = till_store_member_report_day (f->store, w->date, &error);
  g_assert_no_error (error);
  rows = till_member_section_get_rows (section, "days");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 2);
  g_assert_cmpstr (cell (rows, 0, 0), ==, w->date);
  g_assert_cmpstr (cell (rows, 0, 1), ==, "¥300.00");
  g_assert_cmpstr (cell (rows, 0, 2), ==, "¥20.00");
  a_paid_text = till_money_format (a_paid);
  g_assert_cmpstr (cell (rows, 0, 3), ==, a_paid_text);
  g_assert_cmpint (a_paid + a_bonus, ==, 5500);
  g_assert_cmpint (r_paid + r_bonus, ==, 1000);
  g_assert_cmpstr (cell (rows, 0, 7), ==, "¥5.00");
  g_assert_cmpstr (cell (rows, 0, 9), ==, owed_paid);
  g_assert_cmpstr (cell (rows, 1, 0), ==, "Total");
  g_assert_cmpstr (cell (rows, 1, 9), ==, owed_paid);
  g_assert_cmpint (expected->total.owed_paid_fen, ==, 30000 - a_paid + r_paid + 500);
  rows = till_member_section_get_rows (section, "points");
  g_assert_cmpstr (cell (rows, 0, 1), ==, "50");
  g_assert_cmpstr (cell (rows, 0, 3), ==, "10");
  g_assert_cmpstr (cell (rows, 0, 5), ==, "40");

  till_ui_pump (300);
  png = till_ui_screenshot (GTK_WIDGET (w), "report-stored-value");
  g_test_message ("screenshot %s", png);

  /* The export: the sales report's CSV, then the stored-value table. */
  csv_path = g_build_filename (f->dir, "report.csv", NULL);
  file = g_file_new_for_path (csv_path);
  till_report_window_export_csv_async (w, file, export_cb, &d);
  TILL_UI_WAIT_FOR (d.done, WAIT_MS);
  g_assert_true (d.ok);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  g_assert_nonnull (strstr (csv, "\r\n\r\n\"Section\",\"Date\",\"Top-up paid (yuan)\""));
  g_assert_nonnull (strstr (csv, "\"Stored value by day\",\""));
  {
    g_autofree char *ap = till_money_format_plain (a_paid);
    g_autofree char *ab = till_money_format_plain (a_bonus);
    g_autofree char *rp = till_money_format_plain (r_paid);
    g_autofree char *rb = till_money_format_plain (r_bonus);
    g_autofree char *row = g_strdup_printf ("\",\"300.00\",\"20.00\",\"%s\",\"%s\",\"%s\",\"%s\","
                                            "\"5.00\",\"0.00\",", ap, ab, rp, rb);

    g_assert_nonnull (strstr (csv, row));
  }
  g_assert_null (strstr (csv, "\"Margin by product\""));   /* no stock tracked */

  /* A day before anything: nothing to say. */
  till_report_window_show_period (w, TILL_REPORT_PERIOD_DAY, "2001-01-01");
  TILL_UI_WAIT_FOR (!till_report_window_get_loading (w), WAIT_MS);
  g_assert_true (till_member_section_get_empty (section));
  gtk_window_destroy (GTK_WINDOW (w));
  g_object_unref (w);

  /* The day close: the day's stored value beside cash and codes. */
  close = till_day_close_window_new (GTK_WINDOW (f->cashier), f->context, NULL);
  g_object_ref_sink (close);
  gtk_window_present (GTK_WINDOW (close));
  TILL_UI_WAIT_FOR (!till_day_close_window_get_loading (close), WAIT_MS);
  day_close_text = till_day_close_window_get_stored_value_text (close);
  g_assert_cmpstr (day_close_text, ==, "¥320.00 | ¥20.00 | ¥55.00 | ¥10.00 | ¥5.00");
  till_ui_pump (300);
  g_free (png);
  png = till_ui_screenshot (GTK_WIDGET (close), "day-close-stored-value");
  g_test_message ("screenshot %s", png);
  gtk_window_destroy (GTK_WINDOW (close));
  g_object_unref (close);
  till_ui_fixture_free (f);
}

int
main (int   argc,
      char *argv[])
{
  XInitThreads ();
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/report-stock/tab", test_stock_tab);
  g_test_add_func ("/ui/report-stock/no-stock", test_no_stock);
  g_test_add_func ("/ui/report-stock/stored-value", test_stored_value_tab);
  return g_test_run ();
}
