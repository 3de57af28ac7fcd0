/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stock report's figures and renderings (issue 15): margins by product and by
 * category, a product without a cost left out of the margin, the stock value with a level
 * below zero valued 0, the moves; exact text and CSV. */
#define G_LOG_DOMAIN "test-stock-report"

#include "config.h"

#include <locale.h>

#include "till-stock-report.h"

/* made by hand from the rows below: every figure checked */
#define EXPECTED_TEXT \
  "Stock report\n" \
  "\n" \
  "Margin by product\n" \
  "  -----------------------------------------------------------------------------------\n" \
  "  Product           Category           Qty    Revenue       Cost     Margin  Margin %\n" \
  "  Bag               Uncategorized        1       0.50          —          —         —  " \
  "cost unknown\n" \
  "  Banana            Fruit             1.25       8.73       5.00       3.73     42.7%\n" \
  "  Tea               Drinks               2       5.00       4.00       1.00     20.0%\n" \
  "\n" \
  "Margin by category\n" \
  "  -----------------------------------------------------------------------------------\n" \
  "  Category                                    Revenue       Cost     Margin  Margin %\n" \
  "  Drinks                                         5.00       4.00       1.00     20.0%\n" \
  "  Fruit                                          8.73       5.00       3.73     42.7%\n" \
  "  Uncategorized                                  0.50          —          —         —\n" \
  "  Total                                         14.23       9.00       4.73     34.5%\n" \
  "  Cost unknown for 1 of 3 products: their revenue (0.50) is left out of the margin.\n" \
  "\n" \
  "Stock value (level × latest cost)\n" \
  "  -----------------------------------------------------------------------------------\n" \
  "  Product                            Level  Unit cost      Value\n" \
  "  Gum                                   -2       1.00       0.00  below zero, counted as 0\n" \
  "  Soap                                   3          —       0.00  cost unknown\n" \
  "  Tea                                   20       2.60      52.00\n" \
  "  Total                                                    52.00\n" \
  "\n" \
  "Stock moves\n" \
  "  -----------------------------------------------------------------------------------\n" \
  "  Time         Kind       Product                Qty  Reference       Who\n" \
  "  11-21 09:05  Sale       Tea                     -2  20261121-0001   Wang\n" \
  "  11-21 09:30  Receiving  Tea                      1  R2              Li\n"

#define EXPECTED_CSV \
  "\xEF\xBB\xBF" "\"Section\",\"Entry\",\"Category\",\"Quantity\",\"Amount (yuan)\"," \
  "\"Cost (yuan)\",\"Margin (yuan)\",\"Margin (%)\",\"Kind\",\"Reference\",\"Who\",\"Time\"," \
  "\"Note\"\r\n" \
  "\"Margin by product\",\"Bag\",\"Uncategorized\",\"1\",\"0.50\",\"\",\"\",\"\",\"\",\"\"," \
  "\"\",\"\",\"cost_unknown\"\r\n" \
  "\"Margin by product\",\"Banana\",\"Fruit\",\"1.25\",\"8.73\",\"5.00\",\"3.73\",\"42.7\"," \
  "\"\",\"\",\"\",\"\",\"\"\r\n" \
  "\"Margin by product\",\"Tea\",\"Drinks\",\"2\",\"5.00\",\"4.00\",\"1.00\",\"20.0\",\"\"," \
  "\"\",\"\",\"\",\"\"\r\n" \
  "\"Margin by category\",\"Drinks\",\"\",\"\",\"5.00\",\"4.00\",\"1.00\",\"20.0\",\"\",\"\"," \
  "\"\",\"\",\"\"\r\n" \
  "\"Margin by category\",\"Fruit\",\"\",\"\",\"8.73\",\"5.00\",\"3.73\",\"42.7\",\"\",\"\"," \
  "\"\",\"\",\"\"\r\n" \
  "\"Margin by category\",\"Uncategorized\",\"\",\"\",\"0.50\",\"\",\"\",\"\",\"\",\"\",\"\"," \
  "\"\",\"cost_unknown:1\"\r\n" \
  "\"Margin by category\",\"Total\",\"\",\"\",\"14.23\",\"9.00\",\"4.73\",\"34.5\",\"\",\"\"," \
  "\"\",\"\",\"cost_unknown:1\"\r\n" \
  "\"Stock value\",\"Gum\",\"\",\"-2\",\"0.00\",\"1.00\",\"\",\"\",\"\",\"\",\"\",\"\"," \
  "\"below_zero\"\r\n" \
  "\"Stock value\",\"Soap\",\"\",\"3\",\"0.00\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"," \
  "\"cost_unknown\"\r\n" \
  "\"Stock value\",\"Tea\",\"\",\"20\",\"52.00\",\"2.60\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\r\n" \
  "\"Stock value\",\"Total\",\"\",\"\",\"52.00\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\r\n" \
  "\"Stock move\",\"Tea\",\"\",\"-2\",\"\",\"\",\"\",\"\",\"sale\",\"20261121-0001\"," \
  "\"Wang\",\"2026-11-21 09:05:00\",\"\"\r\n" \
  "\"Stock move\",\"Tea\",\"\",\"1\",\"\",\"\",\"\",\"\",\"receiving\",\"R2\",\"Li\"," \
  "\"2026-11-21 09:30:00\",\"\"\r\n"

static gint64
local_us (int hour,
          int minute)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (2026, 11, 21, hour, minute, 0);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static TillStockReport *
make_report (void)
{
  TillStockReport *r = till_stock_report_new ();

  till_stock_report_add_margin (r, 3, "Bag", NULL, 1000, 50, -1);
  till_stock_report_add_margin (r, 2, "Banana", "Fruit", 1250, 873, 500);
  till_stock_report_add_margin (r, 1, "Tea", "Drinks", 2000, 500, 400);
  till_stock_report_add_value (r, 4, "Gum", -2000, 100);
  till_stock_report_add_value (r, 5, "Soap", 3000, -1);
  till_stock_report_add_value (r, 1, "Tea", 20000, 260);
  till_stock_report_add_move (r, local_us (9, 5), "Tea", "sale", -2000, "20261121-0001",
                              "Wang");
  till_stock_report_add_move (r, local_us (9, 30), "Tea", "receiving", 1000, "R2", "Li");
  return r;
}

static void
test_percent (void)
{
  const struct { gint64 margin, revenue; const char *text; } cases[] = {
    { 1, 3, "33.3%" }, { 2, 3, "66.7%" }, { -1, 8, "-12.5%" }, { 100, 500, "20.0%" },
    { 1, 2000, "0.1%" }, { 1, 2001, "0.0%" }, { -1, 2001, "0.0%" }, { 500, 500, "100.0%" },
    { -900, 100, "-900.0%" }, { 1, 0, "—" }, { 5, -5, "—" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = till_margin_format_percent (cases[i].margin, cases[i].revenue);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_sums (void)
{
  g_autoptr(TillStockReport) r = make_report ();
  g_autoptr(GPtrArray) cats = till_stock_report_by_category (r);
  const TillMarginSum *s;
  TillMarginSum total;

  g_assert_cmpuint (cats->len, ==, 3);
  s = cats->pdata[0];
  g_assert_cmpstr (s->name, ==, "Drinks");
  g_assert_cmpint (s->revenue_fen, ==, 500);
  g_assert_cmpint (s->cost_fen, ==, 400);
  s = cats->pdata[1];
  g_assert_cmpstr (s->name, ==, "Fruit");
  s = cats->pdata[2];
  g_assert_null (s->name);      /* uncategorized, last */
  g_assert_cmpint (s->revenue_fen, ==, 50);
  g_assert_cmpint (s->costed_revenue_fen, ==, 0);
  g_assert_cmpuint (s->n_unknown, ==, 1);

  till_stock_report_total (r, &total);
  g_assert_cmpint (total.revenue_fen, ==, 1423);
  g_assert_cmpint (total.costed_revenue_fen, ==, 1373);
  g_assert_cmpint (total.cost_fen, ==, 900);
  g_assert_cmpuint (total.n_products, ==, 3);
  g_assert_cmpuint (total.n_unknown, ==, 1);

  g_assert_cmpint (r->stock_value_fen, ==, 5200);
  g_assert_cmpuint (r->n_below_zero, ==, 1);
  g_assert_true (till_stock_report_has_stock (r));
  {
    g_autoptr(TillStockReport) none = till_stock_report_new ();

    till_stock_report_add_margin (none, 1, "Tea", NULL, 1000, 350, -1);
    g_assert_false (till_stock_report_has_stock (none));
  }
  g_assert_cmpint (till_stock_value_fen (1500, 333), ==, 500);   /* 499.5 → 500 */
  g_assert_cmpint (till_stock_value_fen (-1000, 333), ==, 0);
}

static void
test_text (void)
{
  g_autoptr(TillStockReport) r = make_report ();
  g_autofree char *text = till_stock_report_to_text (r);

  g_test_message ("%s", text);
  g_assert_cmpstr (text, ==, EXPECTED_TEXT);
}

static void
test_csv (void)
{
  g_autoptr(TillStockReport) r = make_report ();
  gsize length = 0;
  g_autofree char *csv = till_stock_report_to_csv (r, &length);

  g_test_message ("%s", csv);
  g_assert_cmpuint (length, ==, strlen (csv));
  g_assert_cmpstr (csv, ==, EXPECTED_CSV);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stock-report/percent", test_percent);
  g_test_add_func ("/stock-report/sums", test_sums);
  g_test_add_func ("/stock-report/text", test_text);
  g_test_add_func ("/stock-report/csv", test_csv);
  return g_test_run ();
}
