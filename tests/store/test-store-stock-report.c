/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stock report on a real file (issue 15): a day of sales with a whole-sale and a line
 * discount, a weighed product, a product without a cost (untracked) and a tracked one
 * without a cost, categories and an uncategorized product, a sale refunded in full, a void,
 * a level below zero and a sale the next day. Every figure of till_store_stock_report() is
 * compared with SQL of the test's own connection and with what the sales themselves say;
 * then the --report command line prints the stock sections (only for a till with stock). */
#define G_LOG_DOMAIN "test-store-stock-report"

#include "config.h"

#include "store-test-util.h"
#include "till-report-cli.h"
#include "till-report.h"
#include "till-store-products.h"
#include "till-store-refunds.h"
#include "till-store-stock.h"

#define HOUR (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

static gint64 clock_now;

static gint64
clock_cb (gpointer data)
{
  return clock_now;
}

static gint64
day_start (int day)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (2026, 11, day, 0, 0, 0);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static gint64
add_product (TillStore  *store,
             const char *barcode,
             const char *plu,
             const char *name,
             gint64      price_fen,
             gboolean    weighed,
             gint64      category_id)
{
  g_autoptr(GError) error = NULL;
  TillProduct product = { 0, (char *) barcode, (char *) plu, (char *) name, price_fen,
                          (char *) (weighed ? "kg" : "件"), weighed, TRUE, FALSE };
  gint64 id = till_store_save_product (store, &product, category_id, 0, "Boss", &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* A sale of (product, qty in thousandths, unit price) lines, saved open. */
static TillSale *
make_sale (TillStore    *store,
           const gint64 *lines,
           guint         n_lines)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = till_store_next_sale_number (store, clock_now, &error);
  TillSale *sale = till_sale_new (number);

  g_assert_no_error (error);
  till_sale_set_opened_at (sale, clock_now);
  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(TillProduct) product = till_store_get_product (store, lines[3 * i], NULL, &error);
      g_autoptr(TillSaleLine) line = till_sale_line_new (lines[3 * i], NULL, product->name, "件",
                                                         lines[3 * i + 2], lines[3 * i + 1],
                                                         lines[3 * i + 1] % 1000 != 0);

      g_assert_cmpuint (till_sale_add_line (sale, line, &error), !=, G_MAXUINT);
      g_assert_no_error (error);
    }
  return sale;
}

static void
pay_cash (TillStore *store,
          TillSale  *sale)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (till_store_save_sale (store, sale, "Wang", "till-1", &error));
  g_assert_true (till_store_complete_cash_sale (store, sale, till_sale_get_total_fen (sale),
                                                &error));
  g_assert_no_error (error);
}

/* The final amount of the lines of `sale` for `product`. */
static gint64
final_of (TillSale *sale,
          guint     n_lines,
          gint64    product)
{
  gint64 sum = 0;

  for (guint i = 0; i < n_lines; i++)
    {
      TillSaleLine *line = till_sale_get_line (sale, i);

      if (till_sale_line_get_product_id (line) == product)
        sum += till_sale_line_get_final_fen (line);
    }
  return sum;
}

static gint64
sql_int (const char *path,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gint64
sql_int (const char *path,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *sql = NULL;
  sqlite3 *db = raw_open (path);
  gint64 value;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  value = raw_int (db, sql);
  sqlite3_close (db);
  return value;
}

static const TillMarginRow *
margin_of (TillStockReport *report,
           const char      *name)
{
  for (guint i = 0; i < report->margins->len; i++)
    {
      const TillMarginRow *m = report->margins->pdata[i];

      if (g_str_equal (m->name, name))
        return m;
    }
  return NULL;
}

static const TillStockValueRow *
value_of (TillStockReport *report,
          const char      *name)
{
  for (guint i = 0; i < report->values->len; i++)
    {
      const TillStockValueRow *v = report->values->pdata[i];

      if (g_str_equal (v->name, name))
        return v;
    }
  return NULL;
}

typedef struct
{
  gint64 tea, banana, bag, soap, gum;
  char  *paid[2];      /* the day's paid sales' numbers */
  gint64 revenue[5];   /* by the sales objects: tea, banana, bag, soap, gum */
} Day;

static void
day_clear (Day *day)
{
  g_free (day->paid[0]);
  g_free (day->paid[1]);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Day, day_clear)

/* The day 2026-11-21 and a sale on the 22nd. */
static void
make_day (TillStore *store,
          Day       *day)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) s1 = NULL;
  g_autoptr(TillSale) s2 = NULL;
  g_autoptr(TillSale) s3 = NULL;
  g_autoptr(TillSale) s4 = NULL;
  g_autoptr(TillSale) s5 = NULL;
  gint64 drinks, fruit, sweets;

  till_store_set_clock_for_testing (clock_cb, NULL);
  clock_now = day_start (20) + 18 * HOUR;
  drinks = till_store_add_category (store, "Drinks", "Boss", &error);
  fruit = till_store_add_category (store, "Fruit", "Boss", &error);
  sweets = till_store_add_category (store, "Sweets", "Boss", &error);
  g_assert_no_error (error);
  day->tea = add_product (store, "6901234567892", NULL, "Tea", 350, FALSE, drinks);
  day->banana = add_product (store, NULL, "100001", "Banana", 698, TRUE, fruit);
  day->bag = add_product (store, "6901234567908", NULL, "Bag", 50, FALSE, 0);
  day->soap = add_product (store, "6901234567915", NULL, "Soap", 450, FALSE, drinks);
  day->gum = add_product (store, "6901234567922", NULL, "Gum", 150, FALSE, sweets);
  {
    TillReceivingLine in[] = { { day->tea, 24000, 200 }, { day->banana, 10000, 400 },
                               { day->gum, 1000, 100 } };

    g_assert_cmpint (till_store_receive (store, "Supplier", "Li", in, 3, &error), >, 0);
  }
  /* tracked, never received: no cost */
  g_assert_true (till_store_set_stock_settings (store, day->soap, TRUE, 0, &error));

  /* 09:00 tea ×2, banana 1.25 kg, bag ×1, 10 % off the sale */
  clock_now = day_start (21) + 9 * HOUR;
  {
    gint64 lines[] = { day->tea, 2000, 350, day->banana, 1250, 698, day->bag, 1000, 50 };

    s1 = make_sale (store, lines, 3);
    g_assert_true (till_sale_set_discount (s1, TILL_DISCOUNT_PERCENT, 1000, &error));
    pay_cash (store, s1);
  }
  /* 10:00 tea ×1 with ¥0.50 off the line, gum ×3 (one in stock), soap ×1 */
  clock_now = day_start (21) + 10 * HOUR;
  {
    gint64 lines[] = { day->tea, 1000, 350, day->gum, 3000, 150, day->soap, 1000, 450 };

    s2 = make_sale (store, lines, 3);
    g_assert_true (till_sale_set_line_discount (s2, 0, TILL_DISCOUNT_AMOUNT, 50, &error));
    pay_cash (store, s2);
  }
  /* 11:00 more tea at a new cost: the sales before keep theirs */
  clock_now = day_start (21) + 11 * HOUR;
  {
    TillReceivingLine in = { day->tea, 10000, 230 };

    g_assert_cmpint (till_store_receive (store, "Supplier", "Li", &in, 1, &error), >, 0);
  }
  /* 12:00 tea ×3 and soap, refunded in full at 13:00: in no margin, its goods back */
  clock_now = day_start (21) + 12 * HOUR;
  {
    gint64 lines[] = { day->tea, 3000, 350, day->soap, 1000, 450 };
    g_autoptr(GPtrArray) refunds = NULL;

    s3 = make_sale (store, lines, 2);
    pay_cash (store, s3);
    clock_now = day_start (21) + 13 * HOUR;
    refunds = till_store_refund_begin (store, till_sale_get_id (s3),
                                       till_sale_get_total_fen (s3), "returned", "Boss", FALSE,
                                       clock_now, clock_now, &error);
    g_assert_no_error (error);
  }
  /* 14:00 voided before it was paid: nothing */
  clock_now = day_start (21) + 14 * HOUR;
  {
    gint64 lines[] = { day->tea, 1000, 350 };

    s4 = make_sale (store, lines, 1);
    g_assert_true (till_store_save_sale (store, s4, "Wang", "till-1", &error));
    g_assert_true (till_store_void_sale (store, s4, "Wang", &error));
  }
  /* the next day: not in the 21st's report */
  clock_now = day_start (22) + 9 * HOUR;
  {
    gint64 lines[] = { day->tea, 1000, 350 };

    s5 = make_sale (store, lines, 1);
    pay_cash (store, s5);
  }
  g_assert_no_error (error);
  till_store_set_clock_for_testing (NULL, NULL);

  day->paid[0] = g_strdup (till_sale_get_number (s1));
  day->paid[1] = g_strdup (till_sale_get_number (s2));
  day->revenue[0] = final_of (s1, 3, day->tea) + final_of (s2, 3, day->tea);
  day->revenue[1] = final_of (s1, 3, day->banana);
  day->revenue[2] = final_of (s1, 3, day->bag);
  day->revenue[3] = final_of (s2, 3, day->soap);
  day->revenue[4] = final_of (s2, 3, day->gum);
  /* the discounts are in the lines' final amounts, which make the sales' totals */
  g_assert_cmpint (final_of (s1, 3, day->tea), <, 2 * 350);
  g_assert_cmpint (final_of (s2, 3, day->tea), ==, 300);
  g_assert_cmpint (day->revenue[1] + day->revenue[2] + final_of (s1, 3, day->tea), ==,
                   till_sale_get_total_fen (s1));
}

static void
test_figures (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStockReport) report = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) categories = NULL;
  g_auto(Day) day = { 0 };
  const char *names[] = { "Tea", "Banana", "Bag", "Soap", "Gum" };
  gint64 ids[5];
  gint64 from, to;
  TillMarginSum total;

  make_day (store, &day);
  ids[0] = day.tea, ids[1] = day.banana, ids[2] = day.bag, ids[3] = day.soap, ids[4] = day.gum;
  g_assert_true (till_report_parse_day ("2026-11-21", &from, &to, &error));
  report = till_store_stock_report (store, from, to, &error);
  g_assert_no_error (error);
  text = till_stock_report_to_text (report);
  g_test_message ("%s", text);

  /* Margins: every product sold in the day's paid sales, by name. */
  g_assert_cmpuint (report->margins->len, ==, 5);
  g_assert_cmpstr (((TillMarginRow *) report->margins->pdata[0])->name, ==, "Bag");
  g_assert_cmpstr (((TillMarginRow *) report->margins->pdata[4])->name, ==, "Tea");
  for (guint i = 0; i < 5; i++)
    {
      const TillMarginRow *m = margin_of (report, names[i]);

      g_assert_nonnull (m);
      g_assert_cmpint (m->product_id, ==, ids[i]);
      /* revenue: the lines' final amounts, as the sales computed them and as stored */
      g_assert_cmpint (m->revenue_fen, ==, day.revenue[i]);
      g_assert_cmpint (m->revenue_fen, ==,
                       sql_int (dir->path, "SELECT SUM (l.final_fen) FROM sale_line l"
                                " JOIN sale s ON s.id = l.sale_id WHERE l.product_id = %"
                                G_GINT64_FORMAT " AND s.number IN ('%s', '%s')",
                                ids[i], day.paid[0], day.paid[1]));
      g_assert_cmpint (m->qty_milli, ==,
                       sql_int (dir->path, "SELECT SUM (l.qty_milli) FROM sale_line l"
                                " JOIN sale s ON s.id = l.sale_id WHERE l.product_id = %"
                                G_GINT64_FORMAT " AND s.number IN ('%s', '%s')",
                                ids[i], day.paid[0], day.paid[1]));
    }
  /* the weighed product: 1.25 kg */
  g_assert_cmpint (margin_of (report, "Banana")->qty_milli, ==, 1250);
  g_assert_cmpint (margin_of (report, "Tea")->qty_milli, ==, 3000);
  /* costs: the cost on each sale's move (tea 3 × 2.00, not the later 2.30) */
  g_assert_cmpint (margin_of (report, "Tea")->cost_fen, ==, 600);
  g_assert_cmpint (margin_of (report, "Banana")->cost_fen, ==, 500);
  g_assert_cmpint (margin_of (report, "Gum")->cost_fen, ==, 300);
  for (guint i = 0; i < 5; i++)
    if (margin_of (report, names[i])->cost_fen >= 0)
      g_assert_cmpint (margin_of (report, names[i])->cost_fen, ==,
                       sql_int (dir->path, "SELECT (SUM (-qty_milli * cost_fen) + 500) / 1000"
                                " FROM stock_move WHERE kind = 'sale' AND product_id = %"
                                G_GINT64_FORMAT " AND reference IN ('%s', '%s')",
                                ids[i], day.paid[0], day.paid[1]));
  /* no cost: untracked (no move), and tracked without a cost (a move without one) */
  g_assert_cmpint (margin_of (report, "Bag")->cost_fen, ==, -1);
  g_assert_cmpint (margin_of (report, "Soap")->cost_fen, ==, -1);
  g_assert_cmpint (sql_int (dir->path, "SELECT count (*) FROM stock_move WHERE product_id = %"
                            G_GINT64_FORMAT, day.bag), ==, 0);
  g_assert_cmpint (sql_int (dir->path, "SELECT count (*) FROM stock_move WHERE product_id = %"
                            G_GINT64_FORMAT " AND kind = 'sale' AND cost_fen IS NULL",
                            day.soap), ==, 2);
  /* categories */
  g_assert_cmpstr (margin_of (report, "Tea")->category, ==, "Drinks");
  g_assert_cmpstr (margin_of (report, "Banana")->category, ==, "Fruit");
  g_assert_null (margin_of (report, "Bag")->category);

  categories = till_stock_report_by_category (report);
  g_assert_cmpuint (categories->len, ==, 4);
  {
    const TillMarginSum *drinks = categories->pdata[0];
    const TillMarginSum *none = categories->pdata[3];

    g_assert_cmpstr (drinks->name, ==, "Drinks");
    g_assert_cmpint (drinks->revenue_fen, ==, day.revenue[0] + day.revenue[3]);
    g_assert_cmpint (drinks->costed_revenue_fen, ==, day.revenue[0]);
    g_assert_cmpint (drinks->cost_fen, ==, 600);
    g_assert_cmpuint (drinks->n_unknown, ==, 1);
    g_assert_cmpstr (((TillMarginSum *) categories->pdata[1])->name, ==, "Fruit");
    g_assert_cmpstr (((TillMarginSum *) categories->pdata[2])->name, ==, "Sweets");
    g_assert_null (none->name);
    g_assert_cmpint (none->revenue_fen, ==, day.revenue[2]);
  }
  till_stock_report_total (report, &total);
  /* the margins' revenue is the day's paid sales' total (every line has a product) */
  g_assert_cmpint (total.revenue_fen, ==,
                   sql_int (dir->path, "SELECT SUM (total_fen) FROM sale WHERE number IN"
                            " ('%s', '%s')", day.paid[0], day.paid[1]));
  g_assert_cmpint (total.cost_fen, ==, 600 + 500 + 300);
  g_assert_cmpint (total.costed_revenue_fen, ==,
                   day.revenue[0] + day.revenue[1] + day.revenue[4]);
  g_assert_cmpuint (total.n_unknown, ==, 2);

  /* Stock value now (the next day's sale included): level × latest cost, below 0 → 0. */
  g_assert_cmpuint (report->values->len, ==, 4);   /* tracked: tea, banana, soap, gum */
  g_assert_null (value_of (report, "Bag"));
  for (guint i = 0; i < 5; i++)
    {
      const TillStockValueRow *v = value_of (report, names[i]);
      gint64 ledger, cost;

      if (v == NULL)
        continue;
      ledger = sql_int (dir->path, "SELECT COALESCE (SUM (qty_milli), 0) FROM stock_move"
                        " WHERE product_id = %" G_GINT64_FORMAT, ids[i]);
      cost = sql_int (dir->path, "SELECT COALESCE (cost_fen, -1) FROM product WHERE id = %"
                      G_GINT64_FORMAT, ids[i]);
      g_assert_cmpint (v->level_milli, ==, ledger);
      g_assert_cmpint (v->cost_fen, ==, cost);
      g_assert_cmpint (v->value_fen, ==, ledger > 0 && cost > 0 ? (ledger * cost + 500) / 1000
                                                                  : 0);
    }
  /* tea: 24 − 2 − 1 + 10 − 3 + 3 − 1 (the 22nd) = 30 at 2.30 */
  g_assert_cmpint (value_of (report, "Tea")->level_milli, ==, 30000);
  g_assert_cmpint (value_of (report, "Tea")->value_fen, ==, 6900);
  g_assert_cmpint (value_of (report, "Banana")->value_fen, ==, 3500);   /* 8.75 kg × 4.00 */
  g_assert_cmpint (value_of (report, "Gum")->level_milli, ==, -2000);
  g_assert_cmpint (value_of (report, "Gum")->value_fen, ==, 0);
  g_assert_cmpint (value_of (report, "Soap")->level_milli, ==, -1000);
  g_assert_cmpuint (report->n_below_zero, ==, 2);
  g_assert_cmpint (report->stock_value_fen, ==, 6900 + 3500);
  g_assert_cmpint (report->stock_value_fen, ==,
                   sql_int (dir->path, "SELECT SUM (v) FROM (SELECT CASE WHEN SUM (m.qty_milli)"
                            " > 0 THEN (SUM (m.qty_milli) * p.cost_fen + 500) / 1000 ELSE 0 END"
                            " AS v FROM product p JOIN stock_move m ON m.product_id = p.id"
                            " WHERE p.track_stock = 1 AND p.cost_fen IS NOT NULL"
                            " GROUP BY p.id)"));

  /* The day's moves, in order, as the ledger has them. */
  g_assert_cmpuint (report->moves->len, ==,
                    sql_int (dir->path, "SELECT count (*) FROM stock_move WHERE at >= %"
                             G_GINT64_FORMAT " AND at < %" G_GINT64_FORMAT, from, to));
  {
    const char *expected[][3] = {
      { "Tea", "sale", "-2" }, { "Banana", "sale", "-1.25" },
      { "Tea", "sale", "-1" }, { "Soap", "sale", "-1" }, { "Gum", "sale", "-3" },
      { "Tea", "receiving", "10" },
      { "Tea", "sale", "-3" }, { "Soap", "sale", "-1" },
      { "Tea", "refund", "3" }, { "Soap", "refund", "1" },
    };

    g_assert_cmpuint (report->moves->len, ==, G_N_ELEMENTS (expected));
    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      {
        const TillStockMoveRow *m = report->moves->pdata[i];
        g_autofree char *qty = till_report_format_qty (m->qty_milli);

        g_assert_cmpstr (m->name, ==, expected[i][0]);
        g_assert_cmpstr (m->kind, ==, expected[i][1]);
        g_assert_cmpstr (qty, ==, expected[i][2]);
        g_assert_cmpint (m->at, >=, from);
        g_assert_cmpint (m->at, <, to);
      }
    g_assert_cmpstr (((TillStockMoveRow *) report->moves->pdata[0])->reference, ==, day.paid[0]);
    g_assert_cmpstr (((TillStockMoveRow *) report->moves->pdata[0])->who, ==, "Wang");
    g_assert_cmpstr (((TillStockMoveRow *) report->moves->pdata[5])->reference, ==, "R2");
    g_assert_cmpstr (((TillStockMoveRow *) report->moves->pdata[5])->who, ==, "Li");
  }
  g_assert_true (till_stock_report_has_stock (report));
}

/* ---- the command line ---- */

static void
cli_child (const char *path,
           const char *format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = till_store_open (path, &error);
  int status;

  g_assert_no_error (error);
  status = till_report_cli_run (store, "2026-11-21", format, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
}

static void
test_cli (void)
{
  const char *db = g_getenv ("TEST_STOCK_REPORT_DB");

  if (g_test_subprocess ())
    {
      cli_child (db, NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* the sales report, then the stock sections */
  g_test_trap_assert_stdout ("Sales report  2026-11-21\n*"
                             "\nMargin by product\n*"
                             "  Bag               Uncategorized        1       0.45          —"
                             "          —         —  cost unknown\n*"
                             "  Banana            Fruit             1.25       7.86       5.00"
                             "       2.86     36.4%\n*"
                             "  Total                                         26.61      14.00"
                             "       7.66     35.4%\n"
                             "  Cost unknown for 2 of 5 products: their revenue (4.95) is left"
                             " out of the margin.\n*"
                             "\nStock value (level × latest cost)\n*"
                             "  Gum                                   -2       1.00       0.00"
                             "  below zero, counted as 0\n*"
                             "  Tea                                   30       2.30      69.00\n"
                             "  Total                                                   104.00\n*"
                             "\nStock moves\n*"
                             "  11-21 11:00  Receiving  Tea                     10  R2"
                             "              Li\n*");
  g_test_trap_assert_stderr ("");
}

static void
test_cli_csv (void)
{
  const char *db = g_getenv ("TEST_STOCK_REPORT_DB");

  if (g_test_subprocess ())
    {
      cli_child (db, "csv");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* one BOM, the sales report's rows, an empty line, the stock table with its header */
  g_test_trap_assert_stdout ("\xEF\xBB\xBF\"Section\",\"Entry\",\"Quantity\",*"
                             "\"Totals\",\"Gross sales\",\"3\",*"
                             "\r\n\r\n\"Section\",\"Entry\",\"Category\",\"Quantity\",*"
                             "\"Margin by product\",\"Tea\",\"Drinks\",\"3\",*"
                             "\"Margin by category\",\"Total\",*"
                             "\"Stock value\",\"Tea\",\"\",\"30\",\"69.00\",\"2.30\",*"
                             "\"Stock move\",\"Tea\",\"\",\"10\",\"\",\"\",\"\",\"\","
                             "\"receiving\",\"R2\",\"Li\",\"2026-11-21 11:00:00\",\"\"\r\n*");
  g_test_trap_assert_stdout_unmatched ("?*\xEF\xBB\xBF*");   /* no second BOM */
}

static void
test_cli_no_stock (void)
{
  /* A till without tracked stock: the sales report alone, as before. */
  if (g_test_subprocess ())
    {
      g_autoptr(TestDir) dir = test_dir_new ();
      g_autoptr(GError) error = NULL;

      {
        g_autoptr(TillStore) store = test_store_open (dir);
        gint64 tea = add_product (store, "6901234567892", NULL, "Tea", 350, FALSE, 0);
        gint64 lines[] = { tea, 1000, 350 };
        g_autoptr(TillSale) sale = NULL;

        till_store_set_clock_for_testing (clock_cb, NULL);
        clock_now = day_start (21) + 9 * HOUR;
        sale = make_sale (store, lines, 1);
        pay_cash (store, sale);
        till_store_set_clock_for_testing (NULL, NULL);
      }
      cli_child (dir->path, NULL);
      cli_child (dir->path, "csv");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("Sales report  2026-11-21\n*Tea*\xEF\xBB\xBF\"Section\"*");
  g_test_trap_assert_stdout_unmatched ("*Margin*");
  g_test_trap_assert_stdout_unmatched ("*Stock*");
}

int
main (int argc, char **argv)
{
  g_autoptr(TestDir) dir = NULL;

  g_test_init (&argc, &argv, NULL);
  /* the parent makes the CLI's database once; subprocesses find it in the environment */
  if (g_getenv ("TEST_STOCK_REPORT_DB") == NULL)
    {
      g_auto(Day) day = { 0 };

      dir = test_dir_new ();
      {
        g_autoptr(TillStore) store = test_store_open (dir);

        make_day (store, &day);
      }
      g_setenv ("TEST_STOCK_REPORT_DB", dir->path, TRUE);
    }
  g_test_add_func ("/store/stock-report/figures", test_figures);
  g_test_add_func ("/store/stock-report/cli", test_cli);
  g_test_add_func ("/store/stock-report/cli-csv", test_cli_csv);
  g_test_add_func ("/store/stock-report/cli-no-stock", test_cli_no_stock);
  return g_test_run ();
}
