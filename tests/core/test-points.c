/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Points redeemed as a discount: the pure rules (value, cap, the fewest points for a
 * discount) checked against a brute-force model over every small case, and the sale that
 * holds them — the stated order (lines' discounts, the sale's discount, points, 抹零), the
 * cap that lowers them when the cart shrinks, a change of member that takes them off. */
#include "config.h"

#include "till-core-error.h"
#include "till-points.h"
#include "till-sale.h"

static void
test_rules (void)
{
  /* 100 points a yuan: a point a fen */
  g_assert_cmpint (till_points_value_fen (600, 100), ==, 600);
  /* 30 points a yuan: a point is 3.33 fen, never a fraction */
  g_assert_cmpint (till_points_value_fen (1, 30), ==, 3);
  g_assert_cmpint (till_points_value_fen (3, 30), ==, 10);
  g_assert_cmpint (till_points_value_fen (-5, 100), ==, 0);
  g_assert_cmpint (till_points_value_fen (5, 0), ==, 0);
  g_assert_cmpint (till_points_cap_fen (4999, 50), ==, 2499);
  g_assert_cmpint (till_points_cap_fen (4999, 100), ==, 4949);  /* 99 % at most */
  g_assert_cmpint (till_points_cap_fen (-1, 50), ==, 0);
  g_assert_true (till_points_check_rule (100, 50, NULL));
  g_assert_false (till_points_check_rule (0, 50, NULL));
  g_assert_false (till_points_check_rule (100, 100, NULL));
  g_assert_false (till_points_check_rule (100, 0, NULL));
  /* no overflow at the ends */
  g_assert_cmpint (till_points_value_fen (G_MAXINT64, 1), ==, G_MAXINT64);
}

/* till_points_normalize against a model that tries every number of points. */
static void
test_normalize_model (void)
{
  static const gint64 rates[] = { 1, 7, 30, 99, 100, 101, 300, 1000, 12345 };

  for (guint r = 0; r < G_N_ELEMENTS (rates); r++)
    for (gint64 wanted = 0; wanted <= 400; wanted += 1 + wanted / 40)
      for (gint64 cap = 0; cap <= 300; cap += 1 + cap / 20)
        {
          gint64 rate = rates[r], fen = -1, points, best_fen = 0, best_points = 0;

          /* the model: the most value no more than the cap from at most `wanted` points,
           * then the fewest points that give it */
          for (gint64 p = 0; p <= wanted; p++)
            {
              gint64 v = p * 100 / rate;

              if (v <= cap && v > best_fen)
                {
                  best_fen = v;
                  best_points = p;
                }
            }
          points = till_points_normalize (wanted, rate, cap, &fen);
          if (points != best_points || fen != best_fen)
            g_error ("rate %" G_GINT64_FORMAT " wanted %" G_GINT64_FORMAT " cap %"
                     G_GINT64_FORMAT ": %" G_GINT64_FORMAT " points for %" G_GINT64_FORMAT
                     ", the model %" G_GINT64_FORMAT " for %" G_GINT64_FORMAT, rate, wanted,
                     cap, points, fen, best_points, best_fen);
        }
}

static TillSaleMember *
member (gint64 id)
{
  return till_sale_member_new (id, "M0000000001", "Zhang", "138****0000", 0, NULL);
}

static void
add (TillSale *sale,
     gint64    price_fen)
{
  g_autoptr(TillSaleLine) line = till_sale_line_new (0, NULL, "Goods", NULL, price_fen, 1000,
                                                     FALSE);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (till_sale_add_line (sale, line, &error), !=, G_MAXUINT);
  g_assert_no_error (error);
}

static void
test_sale_order (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("S-1");
  g_autoptr(TillSaleMember) m = member (7);
  g_autoptr(GError) error = NULL;
  gint64 fen = 0, shares = 0;

  add (sale, 3000);
  add (sale, 2055);
  /* no member: refused, nothing changed */
  g_assert_false (till_sale_set_points (sale, 100, 100, 50, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  till_sale_set_member (sale, m);
  /* 10 % off the second line (¥2.06, half up, off ¥20.55), ¥5.00 off the sale, 抹零 to the jiao */
  g_assert_true (till_sale_set_line_discount (sale, 1, TILL_DISCOUNT_PERCENT, 1000, &error));
  g_assert_true (till_sale_set_discount (sale, TILL_DISCOUNT_AMOUNT, 500, &error));
  till_sale_set_total_rounding (sale, TILL_TOTAL_ROUNDING_JIAO);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 4340);  /* 3000 + 1849 − 500 = 4349 → 4340 */
  /* 777 points at 100 a yuan: ¥7.77 off the ¥43.49 after the discounts, then 抹零 */
  g_assert_true (till_sale_set_points (sale, 777, 100, 50, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_points_redeemed (sale), ==, 777);
  g_assert_cmpint (till_sale_get_points_fen (sale), ==, 777);
  g_assert_cmpint (till_sale_get_rounding_fen (sale), ==, 2);     /* 3572 → 3570 */
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 3570);
  g_assert_cmpint (till_sale_get_net_total_fen (sale), ==, 4849);
  for (guint i = 0; i < 2; i++)
    shares += till_sale_line_get_sale_discount_fen (till_sale_get_line (sale, i));
  g_assert_cmpint (shares, ==, 500 + 777 + 2);
  /* the most there is room for: half of ¥43.49 */
  g_assert_cmpint (till_sale_points_redeemable (sale, 100, 50, &fen), ==, 2174);
  g_assert_cmpint (fen, ==, 2174);
  /* a top-up redeems none */
  {
    g_autoptr(TillSale) topup = till_sale_new ("S-2");

    add (topup, 10000);
    till_sale_set_kind (topup, TILL_SALE_KIND_TOPUP);
    till_sale_set_member (topup, m);
    g_assert_false (till_sale_set_points (topup, 100, 100, 50, &error));
    g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }
}

static void
test_sale_cap_and_member (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("S-1");
  g_autoptr(TillSaleMember) zhang = member (7);
  g_autoptr(TillSaleMember) li = member (8);
  g_autoptr(GError) error = NULL;

  add (sale, 1000);
  add (sale, 1000);
  till_sale_set_member (sale, zhang);
  g_assert_true (till_sale_set_points (sale, 1000, 100, 50, &error));
  g_assert_cmpint (till_sale_get_points_redeemed (sale), ==, 1000);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1000);
  /* a line off: the cap is ¥5.00, the points follow it down */
  g_assert_true (till_sale_remove_line (sale, 1, &error));
  g_assert_cmpint (till_sale_get_points_redeemed (sale), ==, 500);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 500);
  /* they do not come back by themselves */
  add (sale, 1000);
  g_assert_cmpint (till_sale_get_points_redeemed (sale), ==, 500);
  /* the same member again keeps them; another member takes them off */
  till_sale_set_member (sale, zhang);
  g_assert_cmpint (till_sale_get_points_redeemed (sale), ==, 500);
  till_sale_set_member (sale, li);
  g_assert_cmpint (till_sale_get_points_redeemed (sale), ==, 0);
  g_assert_cmpint (till_sale_get_points_fen (sale), ==, 0);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 2000);
  /* a copy holds the same */
  g_assert_true (till_sale_set_points (sale, 250, 100, 50, &error));
  {
    g_autoptr(TillSale) copy = till_sale_copy (sale);

    g_assert_cmpint (till_sale_get_points_redeemed (copy), ==, 250);
    g_assert_cmpint (till_sale_get_total_fen (copy), ==, 1750);
  }
  /* a closed sale cannot change */
  till_sale_set_state (sale, TILL_SALE_STATE_PAID);
  g_assert_false (till_sale_set_points (sale, 0, 100, 50, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/points/rules", test_rules);
  g_test_add_func ("/points/normalize-model", test_normalize_model);
  g_test_add_func ("/points/sale-order", test_sale_order);
  g_test_add_func ("/points/sale-cap-and-member", test_sale_cap_and_member);
  return g_test_run ();
}
