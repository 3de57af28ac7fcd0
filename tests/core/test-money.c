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

/* ---- cash rounding ---- */

typedef struct
{
  gint64 fen;
  gint64 none, jiao, jiao_down, yuan, yuan_down;
} RoundCase;

static void
test_round_cash_table (void)
{
  static const RoundCase cases[] = {
    /*   fen    none   jiao  j-down  yuan  y-down */
    {      0,      0,     0,     0,     0,     0 },
    {      1,      1,     0,     0,     0,     0 },
    {      4,      4,     0,     0,     0,     0 },
    {      5,      5,     0,     0,     0,     0 },   /* a half: down */
    {      6,      6,    10,     0,     0,     0 },
    {      9,      9,    10,     0,     0,     0 },
    {     10,     10,    10,    10,     0,     0 },
    {     49,     49,    50,    40,     0,     0 },
    {     50,     50,    50,    50,     0,     0 },   /* a half yuan: down */
    {     51,     51,    50,    50,   100,     0 },
    {     99,     99,   100,    90,   100,     0 },
    {    100,    100,   100,   100,   100,   100 },
    {   3001,   3001,  3000,  3000,  3000,  3000 },
    {   3005,   3005,  3000,  3000,  3000,  3000 },
    {   3006,   3006,  3010,  3000,  3000,  3000 },
    {   3049,   3049,  3050,  3040,  3000,  3000 },
    {   3050,   3050,  3050,  3050,  3000,  3000 },
    {   3051,   3051,  3050,  3050,  3100,  3000 },
    {   3099,   3099,  3100,  3090,  3100,  3000 },
    /* negatives (refunds): the magnitude is rounded, the sign kept */
    {     -1,     -1,     0,     0,     0,     0 },
    {     -5,     -5,     0,     0,     0,     0 },
    {     -6,     -6,   -10,     0,     0,     0 },
    {  -3001,  -3001, -3000, -3000, -3000, -3000 },
    {  -3051,  -3051, -3050, -3050, -3100, -3000 },
    {  -3099,  -3099, -3100, -3090, -3100, -3000 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const RoundCase *c = &cases[i];

      g_test_message ("%" G_GINT64_FORMAT, c->fen);
      g_assert_cmpint (till_money_round_cash (c->fen, TILL_CASH_ROUNDING_NONE), ==, c->none);
      g_assert_cmpint (till_money_round_cash (c->fen, TILL_CASH_ROUNDING_JIAO), ==, c->jiao);
      g_assert_cmpint (till_money_round_cash (c->fen, TILL_CASH_ROUNDING_JIAO_DOWN), ==,
                       c->jiao_down);
      g_assert_cmpint (till_money_round_cash (c->fen, TILL_CASH_ROUNDING_YUAN), ==, c->yuan);
      g_assert_cmpint (till_money_round_cash (c->fen, TILL_CASH_ROUNDING_YUAN_DOWN), ==,
                       c->yuan_down);
    }
}

static void
test_round_cash_properties (void)
{
  for (TillCashRounding rule = TILL_CASH_ROUNDING_NONE; rule <= TILL_CASH_ROUNDING_YUAN_DOWN;
       rule++)
    {
      gint64 unit = till_cash_rounding_unit (rule);

      for (gint64 fen = -1000; fen <= 1000; fen++)
        {
          gint64 r = till_money_round_cash (fen, rule);

          /* in the unit, within one unit (half a unit for "nearest"), idempotent, odd */
          g_assert_cmpint (r % unit, ==, 0);
          g_assert_cmpint (ABS (r - fen), <, unit);
          if (rule == TILL_CASH_ROUNDING_JIAO || rule == TILL_CASH_ROUNDING_YUAN)
            g_assert_cmpint (2 * ABS (r - fen), <=, unit);
          else
            g_assert_cmpint (ABS (r), <=, ABS (fen));
          g_assert_cmpint (till_money_round_cash (r, rule), ==, r);
          g_assert_cmpint (till_money_round_cash (-fen, rule), ==, -r);
          g_assert_true (till_money_check_cash (r, rule, NULL));
        }
    }
}

static void
test_round_cash_extremes (void)
{
  /* Rounding up would overflow: rounded down instead. */
  g_assert_cmpint (till_money_round_cash (G_MAXINT64, TILL_CASH_ROUNDING_JIAO), ==,
                   G_MAXINT64 - G_MAXINT64 % 10);
  g_assert_cmpint (till_money_round_cash (G_MAXINT64, TILL_CASH_ROUNDING_YUAN), ==,
                   G_MAXINT64 - G_MAXINT64 % 100);
  g_assert_cmpint (till_money_round_cash (-G_MAXINT64, TILL_CASH_ROUNDING_JIAO), ==,
                   -(G_MAXINT64 - G_MAXINT64 % 10));
  g_assert_cmpint (till_money_round_cash (G_MAXINT64, TILL_CASH_ROUNDING_NONE), ==, G_MAXINT64);
  g_assert_cmpint (till_money_round_cash (G_MININT64, TILL_CASH_ROUNDING_JIAO_DOWN), ==,
                   -(G_MAXINT64 - G_MAXINT64 % 10));
}

static void
test_cash_rounding_names (void)
{
  TillCashRounding rule = TILL_CASH_ROUNDING_NONE;

  for (TillCashRounding r = TILL_CASH_ROUNDING_NONE; r <= TILL_CASH_ROUNDING_YUAN_DOWN; r++)
    {
      g_assert_true (till_cash_rounding_from_string (till_cash_rounding_to_string (r), &rule));
      g_assert_cmpint (rule, ==, r);
    }
  g_assert_cmpstr (till_cash_rounding_to_string (TILL_CASH_ROUNDING_DEFAULT), ==, "jiao");
  g_assert_cmpstr (till_cash_rounding_to_string (TILL_CASH_ROUNDING_YUAN_DOWN), ==, "yuan-down");
  g_assert_false (till_cash_rounding_from_string ("fen", &rule));
  g_assert_false (till_cash_rounding_from_string (NULL, &rule));
  g_assert_cmpint (till_cash_rounding_unit (TILL_CASH_ROUNDING_NONE), ==, 1);
  g_assert_cmpint (till_cash_rounding_unit (TILL_CASH_ROUNDING_JIAO_DOWN), ==, 10);
  g_assert_cmpint (till_cash_rounding_unit (TILL_CASH_ROUNDING_YUAN), ==, 100);
}

static void
test_check_cash (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (till_money_check_cash (5001, TILL_CASH_ROUNDING_NONE, &error));
  g_assert_true (till_money_check_cash (5010, TILL_CASH_ROUNDING_JIAO, &error));
  g_assert_true (till_money_check_cash (0, TILL_CASH_ROUNDING_YUAN, &error));
  g_assert_true (till_money_check_cash (-3000, TILL_CASH_ROUNDING_JIAO, &error));
  g_assert_no_error (error);
  g_assert_false (till_money_check_cash (5005, TILL_CASH_ROUNDING_JIAO, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_MONEY);
  g_assert_nonnull (strstr (error->message, "¥0.10"));
  g_assert_nonnull (strstr (error->message, "¥50.05"));
  g_clear_error (&error);
  g_assert_false (till_money_check_cash (5010, TILL_CASH_ROUNDING_YUAN_DOWN, &error));
  g_assert_nonnull (strstr (error->message, "¥1.00"));
}

static void
test_cash_refund (void)
{
  const TillCashRounding jiao = TILL_CASH_ROUNDING_JIAO, yuan = TILL_CASH_ROUNDING_YUAN;

  /* A whole refund of a ¥30.01 payment that took ¥30.00 gives ¥30.00 back. */
  g_assert_cmpint (till_money_cash_refund (3001, TRUE, 3000, jiao), ==, 3000);
  /* In parts: each part rounded; the last gives back what is left. */
  g_assert_cmpint (till_money_cash_refund (1501, FALSE, 3000, jiao), ==, 1500);
  g_assert_cmpint (till_money_cash_refund (1500, TRUE, 1500, jiao), ==, 1500);
  /* ¥30.60 to the yuan took ¥31.00; ¥15.30 + ¥15.30 give back ¥15.00 + ¥16.00. */
  g_assert_cmpint (till_money_cash_refund (1530, FALSE, 3100, yuan), ==, 1500);
  g_assert_cmpint (till_money_cash_refund (1530, TRUE, 1600, yuan), ==, 1600);
  /* Never more than is left, and in the unit even for a payment taken to the fen. */
  g_assert_cmpint (till_money_cash_refund (16, FALSE, 10, jiao), ==, 10);
  g_assert_cmpint (till_money_cash_refund (3001, TRUE, 3001, jiao), ==, 3000);
  g_assert_cmpint (till_money_cash_refund (9, TRUE, 9, jiao), ==, 0);
  g_assert_cmpint (till_money_cash_refund (100, FALSE, 0, jiao), ==, 0);
  /* To the fen nothing changes. */
  g_assert_cmpint (till_money_cash_refund (1234, FALSE, 5000, TILL_CASH_ROUNDING_NONE), ==,
                   1234);
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
  g_test_add_func ("/money/cash-rounding/table", test_round_cash_table);
  g_test_add_func ("/money/cash-rounding/properties", test_round_cash_properties);
  g_test_add_func ("/money/cash-rounding/extremes", test_round_cash_extremes);
  g_test_add_func ("/money/cash-rounding/names", test_cash_rounding_names);
  g_test_add_func ("/money/cash-rounding/check", test_check_cash);
  g_test_add_func ("/money/cash-rounding/refund", test_cash_refund);

  return g_test_run ();
}
