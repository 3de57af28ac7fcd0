/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the discount rules (till-discount.h) and of TillSale's discounts, price
 * overrides and 抹零: percent and amount rounding to the fen, the spreading by largest
 * remainder, and a property test over random sales (lines add up to the total, no line
 * negative, line-by-line refunds never exceed a line's final amount and add up to the
 * total). */
#define G_LOG_DOMAIN "test-discount"
#include "config.h"

#include "till-core.h"
#include "till-discount.h"
#include "till-refund-state.h"

static void
test_percent_rounding (void)
{
  /* 10 % of ¥1.05 is 10.5 fen: half up, 11 */
  g_assert_cmpint (till_discount_compute (TILL_DISCOUNT_PERCENT, 1000, 105), ==, 11);
  g_assert_cmpint (till_discount_compute (TILL_DISCOUNT_PERCENT, 1000, 104), ==, 10);
  g_assert_cmpint (till_discount_compute (TILL_DISCOUNT_PERCENT, 1000, 106), ==, 11);
  /* 12.5 % of ¥1.00 */
  g_assert_cmpint (till_discount_compute (TILL_DISCOUNT_PERCENT, 1250, 100), ==, 13);
  g_assert_cmpint (till_discount_compute (TILL_DISCOUNT_PERCENT, 1, 5000), ==, 1);
  g_assert_cmpint (till_discount_compute (TILL_DISCOUNT_PERCENT, 1, 4999), ==, 0);
  g_assert_cmpint (till_discount_compute (TILL_DISCOUNT_PERCENT, 10000, 999), ==, 999);
  g_assert_cmpint (till_discount_compute (TILL_DISCOUNT_PERCENT, 0, 999), ==, 0);
  g_assert_cmpint (till_discount_compute (TILL_DISCOUNT_PERCENT, 5000, -100), ==, 0);
  /* no overflow on the largest amounts */
  g_assert_cmpint (till_discount_compute (TILL_DISCOUNT_PERCENT, 5000, G_MAXINT64), ==,
                   G_MAXINT64 / 2 + 1);
}

static void
test_amount_and_check (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (till_discount_compute (TILL_DISCOUNT_AMOUNT, 300, 1000), ==, 300);
  /* never below zero */
  g_assert_cmpint (till_discount_compute (TILL_DISCOUNT_AMOUNT, 3000, 1000), ==, 1000);
  g_assert_cmpint (till_discount_compute (TILL_DISCOUNT_NONE, 3000, 1000), ==, 0);

  g_assert_true (till_discount_check (TILL_DISCOUNT_PERCENT, 10000, NULL));
  g_assert_false (till_discount_check (TILL_DISCOUNT_PERCENT, 10001, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (till_discount_check (TILL_DISCOUNT_AMOUNT, -1, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT);

  g_assert_cmpint (till_discount_basis_points (100, 1000), ==, 1000);
  g_assert_cmpint (till_discount_basis_points (101, 1000), ==, 1010);
  g_assert_cmpint (till_discount_basis_points (1, 3), ==, 3334);
  g_assert_cmpint (till_discount_basis_points (0, 1000), ==, 0);

  {
    g_autofree char *a = till_discount_format (TILL_DISCOUNT_PERCENT, 1000);
    g_autofree char *b = till_discount_format (TILL_DISCOUNT_PERCENT, 1250);
    g_autofree char *c = till_discount_format (TILL_DISCOUNT_AMOUNT, 300);

    g_assert_cmpstr (a, ==, "10%");
    g_assert_cmpstr (b, ==, "12.5%");
    g_assert_cmpstr (c, ==, "¥3.00");
  }
}

static void
test_total_rounding (void)
{
  TillTotalRounding r;

  g_assert_cmpint (till_total_rounding_cut (TILL_TOTAL_ROUNDING_NONE, 1234), ==, 0);
  g_assert_cmpint (till_total_rounding_cut (TILL_TOTAL_ROUNDING_JIAO, 1234), ==, 4);
  g_assert_cmpint (till_total_rounding_cut (TILL_TOTAL_ROUNDING_YUAN, 1234), ==, 34);
  g_assert_cmpint (till_total_rounding_cut (TILL_TOTAL_ROUNDING_YUAN, 1200), ==, 0);
  g_assert_cmpint (till_total_rounding_cut (TILL_TOTAL_ROUNDING_YUAN, 99), ==, 99);
  g_assert_cmpint (till_total_rounding_cut (TILL_TOTAL_ROUNDING_YUAN, -1234), ==, 0);
  g_assert_true (till_total_rounding_from_string ("jiao", &r));
  g_assert_cmpint (r, ==, TILL_TOTAL_ROUNDING_JIAO);
  g_assert_false (till_total_rounding_from_string ("jiao-down", &r));
  g_assert_cmpstr (till_total_rounding_to_string (TILL_TOTAL_ROUNDING_YUAN), ==, "yuan");
}

static void
test_spread_examples (void)
{
  gint64 amounts[] = { 100, 200, 300 };
  gint64 shares[3];
  gint64 ties[] = { 100, 100, 100 };
  gint64 mixed[] = { 500, -200, 0, 500 };
  gint64 mixed_shares[4];

  /* exact 16.67, 33.33, 50: the fen left goes to the largest remainder (the first) */
  g_assert_true (till_discount_spread (amounts, 3, 100, shares));
  g_assert_cmpint (shares[0], ==, 17);
  g_assert_cmpint (shares[1], ==, 33);
  g_assert_cmpint (shares[2], ==, 50);

  /* equal remainders: the earlier lines win */
  g_assert_true (till_discount_spread (ties, 3, 2, shares));
  g_assert_cmpint (shares[0], ==, 1);
  g_assert_cmpint (shares[1], ==, 1);
  g_assert_cmpint (shares[2], ==, 0);

  /* lines that are not positive take nothing */
  g_assert_true (till_discount_spread (mixed, 4, 801, mixed_shares));
  g_assert_cmpint (mixed_shares[0], ==, 401);
  g_assert_cmpint (mixed_shares[1], ==, 0);
  g_assert_cmpint (mixed_shares[2], ==, 0);
  g_assert_cmpint (mixed_shares[3], ==, 400);

  /* more than the lines: refused */
  g_assert_false (till_discount_spread (amounts, 3, 601, shares));
  g_assert_false (till_discount_spread (amounts, 3, -1, shares));
  g_assert_true (till_discount_spread (amounts, 3, 600, shares));
  g_assert_cmpint (shares[2], ==, 300);
}

static TillSaleLine *
counted (gint64 id,
         gint64 price,
         gint64 qty)
{
  g_autofree char *code = g_strdup_printf ("69%011" G_GINT64_FORMAT, id);

  return till_sale_line_new (id, code, "Goods", "pc", price, qty, FALSE);
}

static void
test_sale_line_discount (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("D-1");
  g_autoptr(TillSaleLine) a = counted (1, 1050, 2000);
  g_autoptr(TillSaleLine) b = counted (2, 300, 1000);
  g_autoptr(TillSaleLine) a2 = counted (1, 1050, 1000);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (till_sale_add_line (sale, a, NULL), ==, 0);
  g_assert_cmpuint (till_sale_add_line (sale, b, NULL), ==, 1);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 2400);

  /* 10 % of ¥21.00 */
  g_assert_true (till_sale_set_line_discount (sale, 0, TILL_DISCOUNT_PERCENT, 1000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_line_get_discount_fen (a), ==, 210);
  g_assert_cmpint (till_sale_line_get_final_fen (a), ==, 1890);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 2190);
  g_assert_cmpint (till_sale_get_saved_fen (sale), ==, 210);

  /* a discounted line does not take more of the same goods: a new line */
  g_assert_cmpuint (till_sale_add_line (sale, a2, NULL), ==, 2);

  /* the quantity changes, the percent follows */
  g_assert_true (till_sale_set_line_qty (sale, 0, 3000, NULL));
  g_assert_cmpint (till_sale_line_get_discount_fen (a), ==, 315);

  /* an amount over the line is refused, the sale unchanged */
  g_assert_false (till_sale_set_line_discount (sale, 1, TILL_DISCOUNT_AMOUNT, 301, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpint (till_sale_line_get_final_fen (b), ==, 300);
  g_assert_true (till_sale_set_line_discount (sale, 1, TILL_DISCOUNT_AMOUNT, 300, NULL));
  g_assert_cmpint (till_sale_line_get_final_fen (b), ==, 0);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 3150 - 315 + 0 + 1050);

  /* a paid sale does not change */
  till_sale_set_state (sale, TILL_SALE_STATE_PAID);
  g_assert_false (till_sale_set_line_discount (sale, 0, TILL_DISCOUNT_NONE, 0, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT);
}

static void
test_sale_override (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("D-2");
  g_autoptr(TillSaleLine) a = counted (1, 1000, 2000);
  g_autoptr(TillSaleLine) fixed =
    till_sale_line_new_fixed_total (3, "2100001005004", "Label", "kg", 1000, 500);
  g_autoptr(TillSaleLine) copy = NULL;
  g_autoptr(GError) error = NULL;

  till_sale_add_line (sale, a, NULL);
  till_sale_add_line (sale, fixed, NULL);
  g_assert_true (till_sale_set_line_price (sale, 0, 800, &error));
  g_assert_no_error (error);
  g_assert_true (till_sale_line_get_price_overridden (a));
  g_assert_cmpint (till_sale_line_get_original_unit_price_fen (a), ==, 1000);
  g_assert_cmpint (till_sale_line_get_line_total_fen (a), ==, 1600);
  g_assert_cmpint (till_sale_line_get_saved_fen (a), ==, 400);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 2100);
  g_assert_cmpint (till_sale_get_saved_fen (sale), ==, 400);

  g_assert_false (till_sale_set_line_price (sale, 1, 10, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (till_sale_set_line_price (sale, 0, -1, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_MONEY);

  copy = till_sale_line_copy (a);
  g_assert_cmpint (till_sale_line_get_original_unit_price_fen (copy), ==, 1000);
  g_assert_cmpint (till_sale_line_get_final_fen (copy), ==, 1600);
}

static void
test_sale_discount_and_rounding (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("D-3");
  g_autoptr(TillSaleLine) a = counted (1, 333, 1000);
  g_autoptr(TillSaleLine) b = counted (2, 333, 1000);
  g_autoptr(TillSaleLine) c = counted (3, 334, 1000);
  g_autoptr(TillSale) copy = NULL;

  till_sale_add_line (sale, a, NULL);
  till_sale_add_line (sale, b, NULL);
  till_sale_add_line (sale, c, NULL);
  /* ¥10.00 less 15 % = ¥8.50 */
  g_assert_true (till_sale_set_discount (sale, TILL_DISCOUNT_PERCENT, 1500, NULL));
  g_assert_cmpint (till_sale_get_discount_fen (sale), ==, 150);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 850);
  /* 150 × 333/1000 = 49.95, 49.95, 50.1: 49+49+50 = 148; the two fen to the 0.95s */
  g_assert_cmpint (till_sale_line_get_sale_discount_fen (a), ==, 50);
  g_assert_cmpint (till_sale_line_get_sale_discount_fen (b), ==, 50);
  g_assert_cmpint (till_sale_line_get_sale_discount_fen (c), ==, 50);

  /* 抹零 to the yuan: ¥8.50 → ¥8.00, the 50 fen spread too */
  till_sale_set_total_rounding (sale, TILL_TOTAL_ROUNDING_YUAN);
  g_assert_cmpint (till_sale_get_rounding_fen (sale), ==, 50);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 800);
  g_assert_cmpint (till_sale_line_get_final_fen (a) + till_sale_line_get_final_fen (b)
                   + till_sale_line_get_final_fen (c), ==, 800);
  g_assert_cmpint (till_sale_get_saved_fen (sale), ==, 200);

  /* to the jiao: ¥8.50 stays */
  till_sale_set_total_rounding (sale, TILL_TOTAL_ROUNDING_JIAO);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 850);
  g_assert_true (till_sale_set_discount (sale, TILL_DISCOUNT_AMOUNT, 123, NULL));
  /* ¥10.00 − ¥1.23 = ¥8.77 → ¥8.70 */
  g_assert_cmpint (till_sale_get_rounding_fen (sale), ==, 7);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 870);

  copy = till_sale_copy (sale);
  g_assert_cmpint (till_sale_get_total_fen (copy), ==, 870);
  g_assert_cmpint (till_sale_get_discount_fen (copy), ==, 123);
  g_assert_cmpint (till_sale_get_total_rounding (copy), ==, TILL_TOTAL_ROUNDING_JIAO);
}

/* Random sales: every invariant after every change. */
static void
check_sale (TillSale *sale)
{
  gint64 sum = 0, total = till_sale_get_total_fen (sale);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (sale));

  for (guint i = 0; i < n; i++)
    {
      TillSaleLine *line = till_sale_get_line (sale, i);
      gint64 final_fen = till_sale_line_get_final_fen (line);

      sum += final_fen;
      g_assert_cmpint (final_fen, ==, till_sale_line_get_line_total_fen (line)
                                        - till_sale_line_get_discount_fen (line)
                                        - till_sale_line_get_sale_discount_fen (line));
      if (till_sale_line_get_line_total_fen (line) >= 0)
        {
          g_assert_cmpint (final_fen, >=, 0);
          g_assert_cmpint (final_fen, <=, till_sale_line_get_line_total_fen (line));
        }
      g_assert_cmpint (till_sale_line_get_discount_fen (line), >=, 0);
      g_assert_cmpint (till_sale_line_get_sale_discount_fen (line), >=, 0);
    }
  g_assert_cmpint (sum, ==, total);
  g_assert_cmpint (till_sale_get_net_total_fen (sale), ==,
                   total + till_sale_get_discount_fen (sale) + till_sale_get_rounding_fen (sale));
  if (till_sale_get_total_rounding (sale) == TILL_TOTAL_ROUNDING_YUAN && total > 0)
    g_assert_cmpint (total % 100, ==, 0);
  if (till_sale_get_total_rounding (sale) == TILL_TOTAL_ROUNDING_JIAO && total > 0)
    g_assert_cmpint (total % 10, ==, 0);
}

/* Refunds line by line, in random parts: never more than a line's final amount (the
 * never-more-than-paid rule per line), and all of them give back the total. */
static void
check_refunds (TillSale *sale)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (sale));
  gint64 refunded_all = 0;

  for (guint i = 0; i < n; i++)
    {
      gint64 paid = till_sale_line_get_final_fen (till_sale_get_line (sale, i));
      gint64 refunded = 0;

      if (paid <= 0)
        continue;
      while (refunded < paid)
        {
          gint64 part = g_test_rand_int_range (1, (gint32) MIN (paid - refunded, 5000) + 1);

          g_assert_true (till_refund_check_amount (part, paid, refunded, NULL));
          refunded += part;
        }
      g_assert_false (till_refund_check_amount (1, paid, refunded, NULL));
      refunded_all += refunded;
    }
  g_assert_cmpint (refunded_all, ==, till_sale_get_total_fen (sale));
}

static void
test_property_random_sales (void)
{
  for (guint round = 0; round < 2000; round++)
    {
      g_autoptr(TillSale) sale = till_sale_new ("P");
      guint n_lines = g_test_rand_int_range (1, 9);

      till_sale_set_total_rounding (sale, g_test_rand_int_range (0, 3));
      for (guint i = 0; i < n_lines; i++)
        {
          g_autoptr(TillSaleLine) line = NULL;
          gint64 price = g_test_rand_int_range (0, 20000);

          switch (g_test_rand_int_range (0, 3))
            {
            case 0:
              line = counted (i + 1, price, 1000 * g_test_rand_int_range (1, 6));
              break;
            case 1:
              line = till_sale_line_new (100 + i, NULL, "Loose", "kg", price,
                                         g_test_rand_int_range (1, 3000), TRUE);
              break;
            default:
              line = till_sale_line_new_fixed_total (200 + i, NULL, "Label", "kg", price,
                                                     g_test_rand_int_range (0, 9000));
              break;
            }
          g_assert_cmpuint (till_sale_add_line (sale, line, NULL), !=, G_MAXUINT);
          check_sale (sale);
        }

      for (guint move = 0; move < 6; move++)
        {
          guint n = g_list_model_get_n_items (G_LIST_MODEL (sale));
          guint pos = g_test_rand_int_range (0, n);
          TillSaleLine *line = till_sale_get_line (sale, pos);
          gint64 line_total = till_sale_line_get_line_total_fen (line);

          switch (g_test_rand_int_range (0, 5))
            {
            case 0:
              till_sale_set_line_discount (sale, pos, TILL_DISCOUNT_PERCENT,
                                           g_test_rand_int_range (0, 10001), NULL);
              break;
            case 1:
              if (line_total > 0)
                g_assert_true (till_sale_set_line_discount (
                  sale, pos, TILL_DISCOUNT_AMOUNT, g_test_rand_int_range (0, (gint32) MIN (line_total, G_MAXINT32 - 1) + 1), NULL));
              break;
            case 2:
              g_assert_true (till_sale_set_discount (sale, g_test_rand_int_range (0, 2)
                                                             ? TILL_DISCOUNT_PERCENT
                                                             : TILL_DISCOUNT_AMOUNT,
                                                     g_test_rand_int_range (0, 10001), NULL));
              break;
            case 3:
              till_sale_set_line_price (sale, pos, g_test_rand_int_range (0, 20000), NULL);
              break;
            default:
              till_sale_set_line_qty (sale, pos, 1000 * g_test_rand_int_range (1, 4), NULL);
              break;
            }
          check_sale (sale);
        }
      check_refunds (sale);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/discount/percent-rounding", test_percent_rounding);
  g_test_add_func ("/discount/amount-and-check", test_amount_and_check);
  g_test_add_func ("/discount/total-rounding", test_total_rounding);
  g_test_add_func ("/discount/spread/examples", test_spread_examples);
  g_test_add_func ("/discount/sale/line-discount", test_sale_line_discount);
  g_test_add_func ("/discount/sale/override", test_sale_override);
  g_test_add_func ("/discount/sale/discount-and-rounding", test_sale_discount_and_rounding);
  g_test_add_func ("/discount/property/random-sales", test_property_random_sales);
  return g_test_run ();
}
