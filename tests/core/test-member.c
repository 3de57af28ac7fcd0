/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Members' pure rules (issue 16): member codes and their check digit, mobile numbers
 * normalized and masked, the paid/bonus split of a stored-value spend, the top-up bonus
 * rule. */
#include "config.h"

#include <string.h>

#include "till-core.h"

static void
test_code_round_trip (void)
{
  g_autofree char *zero = till_member_code_make (0);
  g_autofree char *max = till_member_code_make (TILL_MEMBER_CODE_MAX_BODY);
  g_autofree char *known = till_member_code_make (572);
  g_autofree char *norm = NULL;

  g_assert_cmpstr (zero, ==, "M0000000000");
  /* Damm's own example: 572 has the check digit 4. */
  g_assert_cmpint (till_member_code_check_digit ("572", 3), ==, 4);
  g_assert_cmpstr (known, ==, "M0000005724");
  g_assert_cmpint (strlen (max), ==, TILL_MEMBER_CODE_LENGTH);
  g_assert_true (till_member_code_valid (max));
  g_assert_null (till_member_code_make (TILL_MEMBER_CODE_MAX_BODY + 1));
  norm = till_member_code_normalize ("m0000005724");
  g_assert_cmpstr (norm, ==, "M0000005724");
  g_assert_false (till_member_code_valid (NULL));
  g_assert_false (till_member_code_valid (""));
  g_assert_false (till_member_code_valid ("M000000572"));
  g_assert_false (till_member_code_valid ("M00000057245"));
  g_assert_false (till_member_code_valid ("M00000A5724"));
  g_assert_false (till_member_code_valid ("M000000572X"));
  g_assert_cmpint (till_member_code_check_digit ("12a", 3), ==, -1);
}

/* Every single wrong digit and every swap of two neighbouring different digits of a code
 * makes it invalid. */
static void
test_code_detects_errors (void)
{
  for (int i = 0; i < 2000; i++)
    {
      g_autofree char *code
          = till_member_code_make ((guint64)g_test_rand_int_range (0, 1000000000));
      char copy[TILL_MEMBER_CODE_LENGTH + 1];

      g_assert_true (till_member_code_valid (code));
      for (int pos = 1; pos < TILL_MEMBER_CODE_LENGTH; pos++)
        for (char d = '0'; d <= '9'; d++)
          {
            if (d == code[pos])
              continue;
            memcpy (copy, code, sizeof copy);
            copy[pos] = d;
            g_assert_false (till_member_code_valid (copy));
          }
      for (int pos = 1; pos + 1 < TILL_MEMBER_CODE_LENGTH; pos++)
        {
          if (code[pos] == code[pos + 1])
            continue;
          memcpy (copy, code, sizeof copy);
          copy[pos] = code[pos + 1];
          copy[pos + 1] = code[pos];
          g_assert_false (till_member_code_valid (copy));
        }
    }
}

static void
test_phone_normalize (void)
{
  static const struct
  {
    const char *typed;
    const char *phone;
  } cases[] = {
    { "13812341234", "13812341234" },
    { "138 1234 1234", "13812341234" },
    { "138-1234-1234", "13812341234" },
    { "+86 138 1234 1234", "13812341234" },
    { "+8613812341234", "13812341234" },
    { "0086 13812341234", "13812341234" },
    { "8613812341234", "13812341234" },
    { "(+86) 199.0000.1111", "19900001111" },
    { "１３８１２３４１２３４", "13812341234" },
    { "  15900001111\t", "15900001111" },
    { "1381234123", NULL },   /* 10 digits */
    { "138123412345", NULL }, /* 12 digits */
    { "12812341234", NULL },  /* 12x is not a mobile prefix */
    { "23812341234", NULL },
    { "+1 138 1234 1234", NULL }, /* another country */
    { "138x12341234", NULL },
    { "", NULL },
    { "+86", NULL },
    { "\xff\xfe", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *phone = till_phone_normalize (cases[i].typed);

      g_assert_cmpstr (phone, ==, cases[i].phone);
    }
  g_assert_null (till_phone_normalize (NULL));
}

static void
test_phone_mask (void)
{
  g_autofree char *masked = till_phone_mask ("13812341234");
  g_autofree char *other = till_phone_mask ("5551234567");
  g_autofree char *tiny = till_phone_mask ("12");
  g_autofree char *none = till_phone_mask (NULL);

  g_assert_cmpstr (masked, ==, "138****1234");
  g_assert_cmpstr (other, ==, "****4567");
  g_assert_cmpstr (tiny, ==, "****");
  g_assert_cmpstr (none, ==, "****");
}

static void
assert_split (gint64 paid, gint64 bonus, gint64 amount, gint64 want_paid, gint64 want_bonus)
{
  gint64 p = -1, b = -1;

  g_assert_true (till_stored_value_split (paid, bonus, amount, &p, &b));
  g_assert_cmpint (p, ==, want_paid);
  g_assert_cmpint (b, ==, want_bonus);
}

static void
test_split_examples (void)
{
  gint64 p = -1, b = -1;

  /* 充 200 送 20: 220 held, a spend of 11.00 is 10.00 paid and 1.00 bonus */
  assert_split (20000, 2000, 1100, 1000, 100);
  assert_split (20000, 2000, 22000, 20000, 2000); /* everything */
  assert_split (20000, 0, 500, 500, 0);           /* no bonus */
  assert_split (0, 300, 300, 0, 300);             /* bonus only */
  assert_split (1, 1, 1, 0, 1);                   /* 0.5 rounds half up to bonus */
  assert_split (2, 1, 1, 1, 0);                   /* 1/3 rounds to 0 */
  assert_split (1, 2, 1, 0, 1);                   /* 2/3 rounds to 1 */
  assert_split (G_MAXINT64 / 2, G_MAXINT64 / 2, G_MAXINT64 - 1, G_MAXINT64 / 2,
                G_MAXINT64 / 2); /* no overflow */

  g_assert_false (till_stored_value_split (100, 100, 201, &p, &b));
  g_assert_cmpint (p, ==, 0);
  g_assert_cmpint (b, ==, 0);
  g_assert_false (till_stored_value_split (100, 100, 0, &p, &b));
  g_assert_false (till_stored_value_split (100, 100, -5, &p, &b));
  g_assert_false (till_stored_value_split (-1, 100, 5, &p, &b));
  g_assert_false (till_stored_value_split (0, 0, 1, &p, &b));
}

/* Random balances and amounts: the parts add up exactly, stay within their balances, and
 * the bonus part is within one fen of the exact proportion. */
static void
test_split_property (void)
{
  for (int i = 0; i < 100000; i++)
    {
      gint64 paid = g_test_rand_int_range (0, 1000000);
      gint64 bonus = g_test_rand_bit () ? g_test_rand_int_range (0, 200000) : 0;
      gint64 p, b;
      gint64 amount;
      double exact;

      if (paid + bonus == 0)
        continue;
      amount = g_test_rand_int_range (1, (gint32)(paid + bonus) + 1);
      g_assert_true (till_stored_value_split (paid, bonus, amount, &p, &b));
      g_assert_cmpint (p + b, ==, amount);
      g_assert_cmpint (p, >=, 0);
      g_assert_cmpint (b, >=, 0);
      g_assert_cmpint (p, <=, paid);
      g_assert_cmpint (b, <=, bonus);
      exact = (double)amount * (double)bonus / (double)(paid + bonus);
      g_assert_cmpfloat (ABS ((double)b - exact), <=, 0.5 + 1e-9);
    }
}

static void
test_best_rule (void)
{
  static const TillTopupRule rules[] = {
    { 1, 20000, 2000 }, /* 充 200 送 20 */
    { 2, 50000, 8000 }, /* 充 500 送 80 */
    { 3, 10000, 800 },  /* 充 100 送 8 */
    { 4, 30000, 2000 }, /* 充 300 送 20: same bonus as rule 1, higher threshold */
    { 5, 0, 100 },      /* never applies */
    { 6, 100, 0 },      /* never applies */
  };

  g_assert_null (till_stored_value_best_rule (rules, G_N_ELEMENTS (rules), 9999));
  g_assert_cmpint (till_stored_value_best_rule (rules, G_N_ELEMENTS (rules), 10000)->id, ==, 3);
  g_assert_cmpint (till_stored_value_best_rule (rules, G_N_ELEMENTS (rules), 19999)->id, ==, 3);
  g_assert_cmpint (till_stored_value_best_rule (rules, G_N_ELEMENTS (rules), 20000)->id, ==, 1);
  g_assert_cmpint (till_stored_value_best_rule (rules, G_N_ELEMENTS (rules), 30000)->id, ==, 4);
  g_assert_cmpint (till_stored_value_best_rule (rules, G_N_ELEMENTS (rules), 100000)->id, ==, 2);
  g_assert_null (till_stored_value_best_rule (NULL, 0, 100000));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/member/code/round-trip", test_code_round_trip);
  g_test_add_func ("/member/code/detects-errors", test_code_detects_errors);
  g_test_add_func ("/member/phone/normalize", test_phone_normalize);
  g_test_add_func ("/member/phone/mask", test_phone_mask);
  g_test_add_func ("/member/stored-value/split-examples", test_split_examples);
  g_test_add_func ("/member/stored-value/split-property", test_split_property);
  g_test_add_func ("/member/stored-value/best-rule", test_best_rule);

  return g_test_run ();
}
