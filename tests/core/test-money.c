/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of money parsing, formatting and quantity arithmetic. */
#define G_LOG_DOMAIN "test-money"
#include "config.h"

#include <string.h>

#include "till-core.h"

static void
assert_parses (const char *text,
               gint64      expected)
{
  g_autoptr(GError) error = NULL;
  gint64 fen = G_MININT64;

  if (!till_money_parse (text, &fen, &error))
    g_error ("“%s” should parse: %s", text, error->message);
  g_assert_no_error (error);
  if (fen != expected)
    g_error ("“%s” parsed as %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
             text, fen, expected);
}

static void
assert_rejects (const char *text,
                int         code)
{
  g_autoptr(GError) error = NULL;
  gint64 fen = 4242;

  if (till_money_parse (text, &fen, &error))
    g_error ("“%s” should be rejected, parsed as %" G_GINT64_FORMAT, text, fen);
  g_assert_error (error, TILL_CORE_ERROR, code);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpint (fen, ==, 4242);  /* untouched on failure */
}

static void
test_parse_plain (void)
{
  assert_parses ("12", 1200);
  assert_parses ("12.5", 1250);
  assert_parses ("12.50", 1250);
  assert_parses ("12.05", 1205);
  assert_parses ("0", 0);
  assert_parses ("0.01", 1);
  assert_parses ("0.1", 10);
  assert_parses ("007.00", 700);
  assert_parses ("100000000", 10000000000);
}

static void
test_parse_currency_sign (void)
{
  assert_parses ("¥12.50", 1250);
  assert_parses ("￥12.50", 1250);
  assert_parses ("¥0", 0);
  assert_parses ("￥7", 700);
}

static void
test_parse_spaces (void)
{
  assert_parses (" 12.50 ", 1250);
  assert_parses ("\t12.50\n", 1250);
  assert_parses ("  ¥3  ", 300);
  assert_rejects ("¥ 3", TILL_CORE_ERROR_INVALID_MONEY);
  assert_rejects ("1 2", TILL_CORE_ERROR_INVALID_MONEY);
  assert_rejects ("12 .5", TILL_CORE_ERROR_INVALID_MONEY);
}

static void
test_parse_negative (void)
{
  assert_parses ("-3.20", -320);
  assert_parses ("-¥3.20", -320);
  assert_parses ("¥-3.20", -320);
  assert_parses ("-￥3.2", -320);
  assert_parses ("-0", 0);
  assert_parses ("-0.01", -1);
  assert_rejects ("--3", TILL_CORE_ERROR_INVALID_MONEY);
  assert_rejects ("-¥-3", TILL_CORE_ERROR_INVALID_MONEY);
  assert_rejects ("3-", TILL_CORE_ERROR_INVALID_MONEY);
  assert_rejects ("-", TILL_CORE_ERROR_INVALID_MONEY);
  assert_rejects ("- 3", TILL_CORE_ERROR_INVALID_MONEY);
}

static void
test_parse_too_many_decimals (void)
{
  assert_rejects ("12.505", TILL_CORE_ERROR_INVALID_MONEY);
  assert_rejects ("12.500", TILL_CORE_ERROR_INVALID_MONEY);
  assert_rejects ("0.001", TILL_CORE_ERROR_INVALID_MONEY);
}

static void
test_parse_garbage (void)
{
  const char *bad[] = {
    "abc", "1e3", "1E3", "12a", "a12", "0x10", "+5", "12..5", "1.2.3", "¥", "￥", "¥¥3",
    "3¥", "NaN", "inf", "１２", "12,50", "12。50", "\xff\xfe", "1\xff", "12.5\xc2",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_rejects (bad[i], TILL_CORE_ERROR_INVALID_MONEY);
}

static void
test_parse_empty (void)
{
  assert_rejects ("", TILL_CORE_ERROR_INVALID_MONEY);
  assert_rejects ("   ", TILL_CORE_ERROR_INVALID_MONEY);
  assert_rejects ("\t\n", TILL_CORE_ERROR_INVALID_MONEY);
}

/* Decided: a decimal point needs digits on both sides. */
static void
test_parse_dangling_point (void)
{
  assert_rejects ("12.", TILL_CORE_ERROR_INVALID_MONEY);
  assert_rejects (".5", TILL_CORE_ERROR_INVALID_MONEY);
  assert_rejects ("¥.50", TILL_CORE_ERROR_INVALID_MONEY);
  assert_rejects (".", TILL_CORE_ERROR_INVALID_MONEY);
}

static void
test_parse_thousands_separators (void)
{
  assert_rejects ("1,000", TILL_CORE_ERROR_INVALID_MONEY);
  assert_rejects ("1,000.00", TILL_CORE_ERROR_INVALID_MONEY);
  assert_rejects ("1 000", TILL_CORE_ERROR_INVALID_MONEY);
  assert_rejects ("1'000", TILL_CORE_ERROR_INVALID_MONEY);
  assert_rejects ("1_000", TILL_CORE_ERROR_INVALID_MONEY);
}

static void
test_parse_overflow_boundary (void)
{
  /* G_MAXINT64 fen = 92233720368547758.07 yuan */
  assert_parses ("92233720368547758.07", G_MAXINT64);
  assert_parses ("-92233720368547758.07", -G_MAXINT64);
  assert_parses ("92233720368547758", G_MAXINT64 - 7);
  assert_rejects ("92233720368547758.08", TILL_CORE_ERROR_MONEY_OVERFLOW);
  assert_rejects ("92233720368547758.1", TILL_CORE_ERROR_MONEY_OVERFLOW);
  assert_rejects ("92233720368547759", TILL_CORE_ERROR_MONEY_OVERFLOW);
  /* G_MININT64 is excluded so that every amount can be negated. */
  assert_rejects ("-92233720368547758.08", TILL_CORE_ERROR_MONEY_OVERFLOW);
  assert_rejects ("184467440737095516.16", TILL_CORE_ERROR_MONEY_OVERFLOW);
  assert_rejects ("99999999999999999999999999999999", TILL_CORE_ERROR_MONEY_OVERFLOW);
  assert_rejects ("¥99999999999999999999999999999999.99", TILL_CORE_ERROR_MONEY_OVERFLOW);
  /* Garbage wins over overflow: it is not an amount at all. */
  assert_rejects ("99999999999999999999999x", TILL_CORE_ERROR_INVALID_MONEY);
}

static void
test_parse_null_out (void)
{
  g_assert_true (till_money_parse ("1.00", NULL, NULL));
  g_assert_false (till_money_parse ("x", NULL, NULL));
}

static void
test_error_message_names_text (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (till_money_parse (" 12.505 ", NULL, &error));
  g_assert_nonnull (strstr (error->message, "12.505"));
  g_clear_error (&error);

  /* Invalid UTF-8 still gives a valid UTF-8 message. */
  g_assert_false (till_money_parse ("\xff" "12", NULL, &error));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
assert_format (gint64      fen,
               const char *expected,
               const char *expected_plain)
{
  g_autofree char *s = till_money_format (fen);
  g_autofree char *plain = till_money_format_plain (fen);

  g_assert_cmpstr (s, ==, expected);
  g_assert_cmpstr (plain, ==, expected_plain);
}

static void
test_format (void)
{
  assert_format (1250, "¥12.50", "12.50");
  assert_format (-320, "-¥3.20", "-3.20");
  assert_format (0, "¥0.00", "0.00");
  assert_format (1, "¥0.01", "0.01");
  assert_format (-1, "-¥0.01", "-0.01");
  assert_format (10, "¥0.10", "0.10");
  assert_format (100, "¥1.00", "1.00");
  assert_format (123456789, "¥1234567.89", "1234567.89");
  assert_format (G_MAXINT64, "¥92233720368547758.07", "92233720368547758.07");
  assert_format (-G_MAXINT64, "-¥92233720368547758.07", "-92233720368547758.07");
  /* Not parseable, but formatting must not invoke undefined behaviour. */
  assert_format (G_MININT64, "-¥92233720368547758.08", "-92233720368547758.08");
}

static void
test_format_round_trip (void)
{
  const gint64 fixed[] = { 0, 1, -1, 99, 100, 101, -320, 1250, 999999, G_MAXINT64,
                           -G_MAXINT64, G_MAXINT64 - 1, G_MAXINT32, (gint64) G_MAXINT32 + 1 };
  guint32 seed = 20240601;

  for (gsize i = 0; i < G_N_ELEMENTS (fixed); i++)
    {
      g_autofree char *s = till_money_format (fixed[i]);
      g_autofree char *plain = till_money_format_plain (fixed[i]);

      assert_parses (s, fixed[i]);
      assert_parses (plain, fixed[i]);
    }

  g_test_message ("random round trips with seed %u", seed);
  {
    g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

    for (int i = 0; i < 10000; i++)
      {
        gint64 fen = (gint64) (((guint64) g_rand_int (rand) << 32) | g_rand_int (rand));
        g_autofree char *s = NULL;

        if (i % 2)
          fen %= 1000000;  /* the sizes a shop sees */
        if (fen == G_MININT64)
          continue;
        s = till_money_format (fen);
        assert_parses (s, fen);
      }
  }
}

static void
assert_multiply (gint64 price,
                 gint64 qty_milli,
                 gint64 expected)
{
  gint64 fen = 0;

  g_assert_true (till_money_multiply_qty (price, qty_milli, &fen));
  g_assert_cmpint (fen, ==, expected);
}

static void
test_multiply_qty_exact (void)
{
  assert_multiply (1280, 1000, 1280);
  assert_multiply (1280, 3000, 3840);
  assert_multiply (0, 5000, 0);
  assert_multiply (350, 0, 0);
  assert_multiply (1, 1000, 1);
}

static void
test_multiply_qty_rounding (void)
{
  /* 455 g at ¥12.80/kg = 582.4 fen -> 582 */
  assert_multiply (1280, 455, 582);
  /* 0.5 fen rounds away from zero */
  assert_multiply (1, 500, 1);
  assert_multiply (1, 499, 0);
  assert_multiply (1, 501, 1);
  assert_multiply (3, 500, 2);          /* 1.5 -> 2 */
  assert_multiply (5, 100, 1);          /* 0.5 -> 1 */
  assert_multiply (999, 1500, 1499);    /* 1498.5 -> 1499 */
  /* negative amounts (refund lines) round away from zero too */
  assert_multiply (-1, 500, -1);
  assert_multiply (1, -500, -1);
  assert_multiply (-3, 500, -2);
  assert_multiply (-1, 499, 0);
  assert_multiply (-999, 1500, -1499);
}

static void
test_multiply_qty_overflow (void)
{
  gint64 fen = 77;

  g_assert_false (till_money_multiply_qty (G_MAXINT64, 2000, &fen));
  g_assert_false (till_money_multiply_qty (G_MAXINT64 / 2, 3000, &fen));
  g_assert_false (till_money_multiply_qty (G_MAXINT64, -2000, &fen));
  g_assert_false (till_money_multiply_qty (G_MININT64, 1000, &fen));
  g_assert_cmpint (fen, ==, 77);

  /* The product overflows gint64 but the quotient fits: computed exactly. */
  assert_multiply (G_MAXINT64, 1000, G_MAXINT64);
  assert_multiply (G_MAXINT64, 1, G_MAXINT64 / 1000 + 1);  /* ...775.807 rounds up */
  assert_multiply (-G_MAXINT64, 1000, -G_MAXINT64);
  assert_multiply (G_MAXINT64 / 1000, 1000, G_MAXINT64 / 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/money/parse/plain", test_parse_plain);
  g_test_add_func ("/money/parse/currency-sign", test_parse_currency_sign);
  g_test_add_func ("/money/parse/spaces", test_parse_spaces);
  g_test_add_func ("/money/parse/negative", test_parse_negative);
  g_test_add_func ("/money/parse/too-many-decimals", test_parse_too_many_decimals);
  g_test_add_func ("/money/parse/garbage", test_parse_garbage);
  g_test_add_func ("/money/parse/empty", test_parse_empty);
  g_test_add_func ("/money/parse/dangling-point", test_parse_dangling_point);
  g_test_add_func ("/money/parse/thousands-separators", test_parse_thousands_separators);
  g_test_add_func ("/money/parse/overflow-boundary", test_parse_overflow_boundary);
  g_test_add_func ("/money/parse/null-out", test_parse_null_out);
  g_test_add_func ("/money/parse/error-message", test_error_message_names_text);
  g_test_add_func ("/money/format/values", test_format);
  g_test_add_func ("/money/format/round-trip", test_format_round_trip);
  g_test_add_func ("/money/multiply-qty/exact", test_multiply_qty_exact);
  g_test_add_func ("/money/multiply-qty/rounding", test_multiply_qty_rounding);
  g_test_add_func ("/money/multiply-qty/overflow", test_multiply_qty_overflow);

  return g_test_run ();
}
