/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stock (issue 15, schema 14) on real SQLite files: receivings, stocktakes, the moves that
 * sales, full refunds and goods returns write by triggers, low stock, and a property test:
 * random sequences of all of them, after each of which every product's level (the store's)
 * equals the sum of its ledger computed here from the rows (an independent connection). */
#define G_LOG_DOMAIN "test-store-stock"

#include "config.h"

#include "store-test-util.h"
#include "till-store-refunds.h"
#include "till-store-stock.h"

static gint64
add_product (TillStore  *store,
             const char *barcode,
             const char *name,
             gint64      price_fen)
{
  g_autoptr(GError) error = NULL;
  TillProduct product = { 0, (char *) barcode, NULL, (char *) name, price_fen, (char *) "件",
                          FALSE, TRUE, FALSE };
  gint64 id = till_store_upsert_product (store, &product, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* An open sale saved in the store with one line per (product, qty in units). */
static TillSale *
make_sale (TillStore    *store,
           const gint64 *product_ids,
           const gint64 *qty,
           guint         n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = till_store_next_sale_number (store, till_store_now_us (), &error);
  TillSale *sale;

  g_assert_no_error (error);
  sale = till_sale_new (number);
  till_sale_set_opened_at (sale, till_store_now_us ());
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TillSaleLine) line = till_sale_line_new (product_ids[i], NULL, "Goods", "件",
                                                         250, qty[i] * 1000, FALSE);

      g_assert_cmpuint (till_sale_add_line (sale, line, &error), !=, G_MAXUINT);
      g_assert_no_error (error);
    }
  g_assert_true (till_store_save_sale (store, sale, "cashier", "till-1", &error));
  g_assert_no_error (error);
  return sale;
}

static gint64
level (TillStore *store,
       gint64     product_id)
{
  g_autoptr(GError) error = NULL;
  gint64 value = G_MININT64;

  g_assert_true (till_store_stock_level (store, product_id, &value, &error));
  g_assert_no_error (error);
  return value;
}

/* The ledger's sum read with a connection of the test's own. */
static gint64
ledger_sum (const char *path,
            gint64      product_id)
{
  sqlite3 *db = raw_open (path);
  g_autofree char *sql = g_strdup_printf ("SELECT COALESCE (SUM (qty_milli), 0) FROM stock_move"
                                          " WHERE product_id = %" G_GINT64_FORMAT, product_id);
  gint64 value = raw_int (db, sql);

  sqlite3_close (db);
  return value;
}

static void
test_receive (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;
  gint64 tea = add_product (store, "6901234567892", "Tea", 350);
  gint64 cola = add_product (store, "6901234567908", "Cola", 300);
  TillReceivingLine lines[] = { { tea, 24000, 200 }, { cola, 12000, 150 }, { tea, 6000, 210 } };
  gint64 id;

  g_assert_cmpint (level (store, tea), ==, 0);
  id = till_store_receive (store, "  Wahaha Trading ", "Wang", lines, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (level (store, tea), ==, 30000);
  g_assert_cmpint (level (store, cola), ==, 12000);
  g_assert_cmpint (ledger_sum (dir->path, tea), ==, 30000);
  rows = store_rows (store, "SELECT supplier, who FROM receiving");
  g_assert_cmpstr (rows, ==, "Wahaha Trading|Wang\n");
  g_clear_pointer (&rows, g_free);
  /* The latest cost is the last line's; both products are tracked now. */
  rows = store_rows (store, "SELECT name, cost_fen, track_stock FROM product ORDER BY id");
  g_assert_cmpstr (rows, ==, "Tea|210|1\nCola|150|1\n");
  g_clear_pointer (&rows, g_free);
  rows = store_rows (store, "SELECT kind, qty_milli, cost_fen, reference FROM stock_move"
                            " ORDER BY id");
  g_assert_cmpstr (rows, ==, "receiving|24000|200|R1\nreceiving|12000|150|R1\n"
                             "receiving|6000|210|R1\n");
}

static void
test_receive_refused (void)
{
  /* Bad input changes nothing: no receiving row, no line, no move, no cost. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  gint64 tea = add_product (store, "6901234567892", "Tea", 350);
  TillReceivingLine good = { tea, 1000, 200 };
  TillReceivingLine zero = { tea, 0, 200 };
  TillReceivingLine unknown[] = { { tea, 1000, 200 }, { 999, 1000, 100 } };

  {
    g_autoptr(GError) error = NULL;
    g_assert_cmpint (till_store_receive (store, " ", "Wang", &good, 1, &error), ==, 0);
    g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
    g_assert_cmpstr (error->message, ==, "Enter the supplier");
  }
  {
    g_autoptr(GError) error = NULL;
    g_assert_cmpint (till_store_receive (store, "Supplier", "Wang", &zero, 1, &error), ==, 0);
    g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  }
  {
    g_autoptr(GError) error = NULL;
    g_assert_cmpint (till_store_receive (store, "Supplier", "Wang", NULL, 0, &error), ==, 0);
    g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  }
  {
    /* The second line's product is unknown: the first line is not kept either. */
    g_autoptr(GError) error = NULL;
    g_assert_cmpint (till_store_receive (store, "Supplier", "Wang", unknown, 2, &error), ==, 0);
    g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  }
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM receiving"), ==, 0);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM receiving_line"), ==, 0);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM stock_move"), ==, 0);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM product WHERE cost_fen IS NOT NULL"
                                     " OR track_stock = 1"), ==, 0);
}

static void
test_sales (void)
{
  /* Paid: out, at the cost of the moment. Refunded in full: back. A void of an open sale
   * and an untracked product: nothing. Selling below zero is allowed. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) refunds = NULL;
  g_autofree char *rows = NULL;
  gint64 tea = add_product (store, "6901234567892", "Tea", 350);
  gint64 bag = add_product (store, "6901234567908", "Bag", 50);
  TillReceivingLine in = { tea, 5000, 200 };
  gint64 ids[] = { tea, bag, tea };
  gint64 qty[] = { 2, 1, 1 };
  g_autoptr(TillSale) paid = NULL;
  g_autoptr(TillSale) voided = NULL;
  g_autoptr(TillSale) big = NULL;
  gint64 big_qty[] = { 9 };

  g_assert_cmpint (till_store_receive (store, "Supplier", "Wang", &in, 1, &error), >, 0);
  paid = make_sale (store, ids, qty, 3);
  g_assert_true (till_store_complete_cash_sale (store, paid, 1000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (level (store, tea), ==, 2000);
  g_assert_cmpint (level (store, bag), ==, 0);

  voided = make_sale (store, ids, qty, 1);
  g_assert_true (till_store_void_sale (store, voided, "cashier", &error));
  g_assert_no_error (error);
  g_assert_cmpint (level (store, tea), ==, 2000);

  big = make_sale (store, ids, big_qty, 1);
  g_assert_true (till_store_complete_cash_sale (store, big, 2250, &error));
  g_assert_no_error (error);
  g_assert_cmpint (level (store, tea), ==, -7000);
  g_assert_cmpint (ledger_sum (dir->path, tea), ==, -7000);

  /* A part refund is money only; the rest of it makes the sale refunded: goods back. */
  refunds = till_store_refund_begin (store, till_sale_get_id (paid), 100, "part", "manager",
                                     FALSE, till_store_now_us (), till_store_now_us (), &error);
  g_assert_no_error (error);
  g_clear_pointer (&refunds, g_ptr_array_unref);
  g_assert_cmpint (level (store, tea), ==, -7000);
  refunds = till_store_refund_begin (store, till_sale_get_id (paid),
                                     till_sale_get_total_fen (paid) - 100, "rest", "manager",
                                     FALSE, till_store_now_us (), till_store_now_us (), &error);
  g_assert_no_error (error);
  g_assert_cmpint (level (store, tea), ==, -4000);
  g_assert_cmpint (ledger_sum (dir->path, tea), ==, -4000);
  rows = store_rows (store, "SELECT kind, qty_milli, cost_fen, who FROM stock_move"
                            " WHERE kind <> 'receiving' ORDER BY id");
  g_assert_cmpstr (rows, ==, "sale|-3000|200|cashier\nsale|-9000|200|cashier\n"
                             "refund|3000|200|cashier\n");
}

static void
test_stocktake (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;
  gint64 tea = add_product (store, "6901234567892", "Tea", 350);
  gint64 cola = add_product (store, "6901234567908", "Cola", 300);
  TillReceivingLine in[] = { { tea, 24000, 200 }, { cola, 10000, 150 } };
  TillCountLine count[] = { { tea, 20000 }, { cola, 10000 } };
  TillCountLine twice[] = { { tea, 1000 }, { tea, 2000 } };
  gint64 expected = 0, variance = 0;
  gint64 id;

  g_assert_cmpint (till_store_receive (store, "Supplier", "Wang", in, 2, &error), >, 0);
  g_assert_true (till_store_stock_variance (store, tea, 20000, &expected, &variance, &error));
  g_assert_cmpint (expected, ==, 24000);
  g_assert_cmpint (variance, ==, -4000);

  /* Without a manager, or with a product counted twice: nothing is written. */
  g_assert_cmpint (till_store_stocktake (store, "Wang", "", count, 2, &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (till_store_stocktake (store, "Wang", "Li", twice, 2, &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM stocktake"), ==, 0);
  g_assert_cmpint (level (store, tea), ==, 24000);

  id = till_store_stocktake (store, "Wang", "Li", count, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (level (store, tea), ==, 20000);
  g_assert_cmpint (level (store, cola), ==, 10000);
  rows = store_rows (store, "SELECT product_id, counted_milli, expected_milli, variance_milli"
                            " FROM stocktake_line ORDER BY product_id");
  g_assert_cmpstr (rows, ==, "1|20000|24000|-4000\n2|10000|10000|0\n");
  g_clear_pointer (&rows, g_free);
  /* Only the variance moves; the audit row names the approving manager. */
  rows = store_rows (store, "SELECT kind, qty_milli, cost_fen, reference, who FROM stock_move"
                            " WHERE kind = 'stocktake'");
  g_assert_cmpstr (rows, ==, "stocktake|-4000|200|S1|Wang\n");
  g_clear_pointer (&rows, g_free);
  rows = store_rows (store, "SELECT actor, action FROM audit WHERE action = 'approve:stocktake'");
  g_assert_cmpstr (rows, ==, "Li|approve:stocktake\n");

  /* The ledger cannot be edited in place. */
  {
    sqlite3 *db = raw_open (dir->path);

    g_assert_cmpint (raw_try (db, "UPDATE stock_move SET qty_milli = 1"), ==, SQLITE_CONSTRAINT);
    g_assert_cmpint (raw_try (db, "DELETE FROM stock_move"), ==, SQLITE_CONSTRAINT);
    g_assert_cmpint (raw_try (db, "UPDATE stocktake_line SET counted_milli = 1"), ==,
                     SQLITE_CONSTRAINT);
    sqlite3_close (db);
  }
}

static void
test_low_stock (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) low = NULL;
  gint64 tea = add_product (store, "6901234567892", "Tea", 350);
  gint64 cola = add_product (store, "6901234567908", "Cola", 300);
  gint64 gum = add_product (store, "6901234567915", "Gum", 100);
  TillReceivingLine in[] = { { tea, 24000, 200 }, { cola, 3000, 150 } };
  gint64 ids[] = { gum };
  gint64 qty[] = { 2 };
  g_autoptr(TillSale) sale = NULL;

  g_assert_cmpint (till_store_low_stock_count (store, &error), ==, 0);
  g_assert_cmpint (till_store_receive (store, "Supplier", "Wang", in, 2, &error), >, 0);
  g_assert_true (till_store_set_stock_settings (store, tea, TRUE, 30000, &error));
  g_assert_true (till_store_set_stock_settings (store, cola, TRUE, 3000, &error));
  g_assert_true (till_store_set_stock_settings (store, gum, TRUE, 0, &error));
  g_assert_no_error (error);
  g_assert_false (till_store_set_stock_settings (store, gum, TRUE, -1, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  /* Tea is below its minimum; Cola at it is not low; Gum sold below zero is. */
  sale = make_sale (store, ids, qty, 1);
  g_assert_true (till_store_complete_cash_sale (store, sale, 500, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_store_low_stock_count (store, &error), ==, 2);
  low = till_store_list_low_stock (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (low->len, ==, 2);
  g_assert_cmpstr (((TillLowStock *) low->pdata[0])->name, ==, "Gum");
  g_assert_cmpint (((TillLowStock *) low->pdata[0])->level_milli, ==, -2000);
  g_assert_cmpstr (((TillLowStock *) low->pdata[1])->name, ==, "Tea");
  g_assert_cmpint (((TillLowStock *) low->pdata[1])->level_milli, ==, 24000);
  g_assert_cmpint (((TillLowStock *) low->pdata[1])->min_stock_milli, ==, 30000);
  /* Untracked, it is not counted. */
  g_assert_true (till_store_set_stock_settings (store, gum, FALSE, 0, &error));
  g_assert_cmpint (till_store_low_stock_count (store, &error), ==, 1);
}

static void
test_report (void)
{
  /* Margin from the lines' final amounts and the cost on each sale's move; a product
   * without a cost has none; the stock value is level × latest cost; the moves in order.
   * Each figure is checked against SQL of its own. */
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStockReport) report = NULL;
  g_autofree char *text = NULL;
  g_autofree char *csv = NULL;
  gint64 tea = add_product (store, "6901234567892", "Tea", 350);
  gint64 bag = add_product (store, "6901234567908", "Bag", 50);
  TillReceivingLine in = { tea, 24000, 200 };
  TillReceivingLine again = { tea, 1000, 260 };
  TillCountLine count = { tea, 20000 };
  gint64 ids[] = { tea, bag };
  gint64 qty[] = { 2, 1 };
  g_autoptr(TillSale) sale = NULL;
  const TillMarginRow *m;
  const TillStockValueRow *v;

  g_assert_cmpint (till_store_receive (store, "Supplier", "Wang", &in, 1, &error), >, 0);
  sale = make_sale (store, ids, qty, 2);
  g_assert_true (till_store_complete_cash_sale (store, sale, 750, &error));
  g_assert_no_error (error);
  /* A later cost does not change the margin of a sale made before it. */
  g_assert_cmpint (till_store_receive (store, "Supplier", "Wang", &again, 1, &error), >, 0);
  g_assert_cmpint (till_store_stocktake (store, "Wang", "Li", &count, 1, &error), >, 0);

  report = till_store_stock_report (store, 0, G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->margins->len, ==, 2);
  m = report->margins->pdata[0];
  g_assert_cmpstr (m->name, ==, "Bag");
  g_assert_cmpint (m->cost_fen, ==, -1);
  m = report->margins->pdata[1];
  g_assert_cmpstr (m->name, ==, "Tea");
  g_assert_cmpint (m->qty_milli, ==, 2000);
  g_assert_cmpint (m->revenue_fen, ==, store_int (store, "SELECT final_fen FROM sale_line"
                                                         " WHERE product_id = 1"));
  g_assert_cmpint (m->revenue_fen, ==, 500);
  g_assert_cmpint (m->cost_fen, ==, store_int (store, "SELECT -qty_milli * cost_fen / 1000"
                                                      " FROM stock_move WHERE kind = 'sale'"));
  g_assert_cmpint (m->cost_fen, ==, 400);

  g_assert_cmpuint (report->values->len, ==, 1);
  v = report->values->pdata[0];
  g_assert_cmpint (v->level_milli, ==, 20000);
  g_assert_cmpint (v->cost_fen, ==, 260);
  g_assert_cmpint (v->value_fen, ==, 5200);
  g_assert_cmpint (report->stock_value_fen, ==,
                   store_int (store, "SELECT SUM (m.qty_milli) * p.cost_fen / 1000"
                                     " FROM stock_move m JOIN product p ON p.id = m.product_id"
                                     " WHERE p.track_stock = 1"));
  g_assert_cmpuint (report->moves->len, ==, store_int (store, "SELECT count (*) FROM stock_move"));
  g_assert_cmpuint (report->moves->len, ==, 4);

  text = till_stock_report_to_text (report);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Margin by product"));
  g_assert_nonnull (strstr (text, "Cost unknown for 1 of 2 products: their revenue (2.50) is left"
                                  " out of the margin."));
  csv = till_stock_report_to_csv (report, NULL);
  g_assert_nonnull (strstr (csv, "\"Margin by product\",\"Tea\",\"Uncategorized\",\"2\",\"5.00\","
                                 "\"4.00\",\"1.00\",\"20.0\""));
  g_assert_nonnull (strstr (csv, "\"Stock value\",\"Tea\",\"\",\"20\",\"52.00\",\"2.60\""));
  g_assert_nonnull (strstr (csv, "\"Stock move\",\"Tea\",\"\",\"-3\",\"\",\"\",\"\",\"\","
                                 "\"stocktake\""));

  /* A period without sales or moves. */
  g_clear_pointer (&report, till_stock_report_free);
  report = till_store_stock_report (store, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->margins->len, ==, 0);
  g_assert_cmpuint (report->moves->len, ==, 0);
  g_assert_cmpuint (report->values->len, ==, 1);
}

/* ---------------------------------------------------------------- property */

#define N_PRODUCTS 4
#define N_STEPS    300

static void
test_property (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GPtrArray) paid = g_ptr_array_new_with_free_func (g_object_unref);
  /* sale number -> what it took out of each product (gint64[N_PRODUCTS]), by the model */
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint32 seed = g_test_rand_int ();
  g_autoptr(GRand) rand = NULL;
  const char *env = g_getenv ("TILL_STOCK_SEED");
  gint64 ids[N_PRODUCTS];
  gint64 model[N_PRODUCTS] = { 0 };   /* the level each step should leave */
  guint counts[6] = { 0 };

  if (env != NULL)
    seed = (guint32) g_ascii_strtoull (env, NULL, 10);
  g_test_message ("seed %u (TILL_STOCK_SEED=%u repeats it)", seed, seed);
  g_printerr ("# stock property seed %u\n", seed);
  rand = g_rand_new_with_seed (seed);

  for (guint p = 0; p < N_PRODUCTS; p++)
    {
      g_autofree char *name = g_strdup_printf ("Product %u", p);
      g_autofree char *plu = g_strdup_printf ("%u", 100 + p);
      g_autoptr(GError) error = NULL;
      TillProduct product = { 0, NULL, plu, name, 100 + p, (char *) "件", FALSE, TRUE, FALSE };

      ids[p] = till_store_upsert_product (store, &product, &error);
      g_assert_no_error (error);
      /* Products 0..2 are tracked from the start; product 3 from its first receiving. */
      if (p < 3)
        g_assert_true (till_store_set_stock_settings (store, ids[p], TRUE, 1000, &error));
    }

  for (guint step = 0; step < N_STEPS; step++)
    {
      g_autoptr(GError) error = NULL;
      guint kind = g_rand_int_range (rand, 0, 6);
      gboolean tracked[N_PRODUCTS];
      {
        sqlite3 *db = raw_open (dir->path);
        for (guint p = 0; p < N_PRODUCTS; p++)
          {
            g_autofree char *sql = g_strdup_printf ("SELECT track_stock FROM product WHERE id = %"
                                                    G_GINT64_FORMAT, ids[p]);
            tracked[p] = raw_int (db, sql) == 1;
          }
        sqlite3_close (db);
      }

      counts[kind]++;
      switch (kind)
        {
        case 0: /* a paid sale of 1..3 lines */
        case 1: /* a sale voided before payment */
          {
            gint64 line_ids[3], qty[3];
            guint n = g_rand_int_range (rand, 1, 4);
            g_autoptr(TillSale) sale = NULL;
            gint64 *out = g_new0 (gint64, N_PRODUCTS);

            for (guint i = 0; i < n; i++)
              {
                guint p = g_rand_int_range (rand, 0, N_PRODUCTS);
                line_ids[i] = ids[p];
                qty[i] = g_rand_int_range (rand, 1, 6);
                if (kind == 0 && tracked[p])
                  out[p] += qty[i] * 1000;
              }
            sale = make_sale (store, line_ids, qty, n);
            if (kind == 0)
              {
                for (guint p = 0; p < N_PRODUCTS; p++)
                  model[p] -= out[p];
                g_hash_table_insert (taken, g_strdup (till_sale_get_number (sale)),
                                     g_steal_pointer (&out));
                g_assert_true (till_store_complete_cash_sale (store, sale,
                                                              till_sale_get_total_fen (sale),
                                                              &error));
                g_ptr_array_add (paid, g_object_ref (sale));
              }
            else
              g_assert_true (till_store_void_sale (store, sale, "cashier", &error));
            g_assert_no_error (error);
            g_free (out);
          }
          break;
        case 2: /* a paid sale refunded in full: what it took comes back */
          if (paid->len > 0)
            {
              guint i = g_rand_int_range (rand, 0, paid->len);
              TillSale *sale = g_ptr_array_index (paid, i);
              g_autoptr(GPtrArray) refunds = NULL;
              const gint64 *out = g_hash_table_lookup (taken, till_sale_get_number (sale));

              for (guint p = 0; p < N_PRODUCTS; p++)
                model[p] += out[p];
              refunds = till_store_refund_begin (store, till_sale_get_id (sale),
                                                 till_sale_get_total_fen (sale), "property",
                                                 "manager", FALSE, till_store_now_us (),
                                                 till_store_now_us (), &error);
              g_assert_no_error (error);
              g_ptr_array_remove_index_fast (paid, i);
            }
          break;
        case 3: /* a receiving of 1..3 lines */
          {
            TillReceivingLine lines[3];
            guint n = g_rand_int_range (rand, 1, 4);

            for (guint i = 0; i < n; i++)
              {
                guint p = g_rand_int_range (rand, 0, N_PRODUCTS);
                lines[i].product_id = ids[p];
                lines[i].qty_milli = g_rand_int_range (rand, 1, 30) * 1000;
                lines[i].cost_fen = g_rand_int_range (rand, 0, 500);
                model[p] += lines[i].qty_milli;
              }
            g_assert_cmpint (till_store_receive (store, "Supplier", "Wang", lines, n, &error),
                             >, 0);
            g_assert_no_error (error);
          }
          break;
        case 4: /* a stocktake of distinct products: the level becomes what was counted */
          {
            TillCountLine lines[N_PRODUCTS];
            guint n = 0;

            for (guint p = 0; p < N_PRODUCTS; p++)
              if (g_rand_boolean (rand))
                {
                  lines[n].product_id = ids[p];
                  lines[n].counted_milli = g_rand_int_range (rand, 0, 40) * 1000;
                  model[p] = lines[n].counted_milli;
                  n++;
                }
            if (n > 0)
              {
                g_assert_cmpint (till_store_stocktake (store, "Wang", "Li", lines, n, &error),
                                 >, 0);
                g_assert_no_error (error);
              }
          }
          break;
        default: /* a refused receiving (an unknown product last): nothing changes */
          {
            TillReceivingLine lines[] = { { ids[0], 5000, 100 }, { -1, 1000, 100 } };

            g_assert_cmpint (till_store_receive (store, "Supplier", "Wang", lines, 2, &error),
                             ==, 0);
            g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
          }
          break;
        }

      for (guint p = 0; p < N_PRODUCTS; p++)
        {
          gint64 store_level = level (store, ids[p]);
          gint64 sum = ledger_sum (dir->path, ids[p]);

          if (store_level != sum || sum != model[p])
            g_error ("seed %u step %u (kind %u): product %u level %" G_GINT64_FORMAT
                     ", ledger %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
                     seed, step, kind, p, store_level, sum, model[p]);
        }
    }
  g_test_message ("sales %u, voids %u, refunds %u, receivings %u, stocktakes %u, refused %u",
                  counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/stock/receive", test_receive);
  g_test_add_func ("/store/stock/receive-refused", test_receive_refused);
  g_test_add_func ("/store/stock/sales", test_sales);
  g_test_add_func ("/store/stock/stocktake", test_stocktake);
  g_test_add_func ("/store/stock/low-stock", test_low_stock);
  g_test_add_func ("/store/stock/report", test_report);
  g_test_add_func ("/store/stock/property", test_property);
  return g_test_run ();
}
