/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of code classification: GS1 check digits, scale codes, payment codes,
 * receipts, PLUs, and robustness against arbitrary bytes. */
#define G_LOG_DOMAIN "test-barcode"
#include "config.h"

#include <string.h>

#include "till-core.h"

/* The random tests use this seed unless --seed is given; g_test_init prints it. */
#define RANDOM_SEED_ARG "--seed=R02S5fd3a1b0c1f6e2d7a9b84c3e12f07a65"

/* Known-good codes; their check digits were computed independently of the code under test
 * and several are printed on real products. */
static const char *good_ean13[] = {
  "6901028075763", "4006381333931", "9780306406157", "5901234123457", "6920202888883",
};
static const char *good_ean8[] = { "96385074", "73513537", "49021028" };
static const char *good_upca[] = { "036000291452", "012345678905", "042100005264" };

static TillBarcodeKind
kind_of (const char *text)
{
  g_autoptr(TillBarcode) barcode = till_barcode_classify (text, NULL);

  return barcode->kind;
}

static void
assert_kind (const char     *text,
             TillBarcodeKind expected)
{
  TillBarcodeKind kind = kind_of (text);

  if (kind != expected)
    g_error ("“%s” classified as %s, expected %s", text, till_barcode_kind_to_string (kind),
             till_barcode_kind_to_string (expected));
}

/* Appends the GS1 check digit to `body`. */
static char *
with_check_digit (const char *body)
{
  int check = till_barcode_gs1_check_digit (body, strlen (body));

  g_assert_cmpint (check, >=, 0);
  return g_strdup_printf ("%s%d", body, check);
}

static void
test_check_digit_vectors (void)
{
  g_assert_cmpint (till_barcode_gs1_check_digit ("690102807576", 12), ==, 3);
  g_assert_cmpint (till_barcode_gs1_check_digit ("400638133393", 12), ==, 1);
  g_assert_cmpint (till_barcode_gs1_check_digit ("03600029145", 11), ==, 2);
  g_assert_cmpint (till_barcode_gs1_check_digit ("9638507", 7), ==, 4);
  g_assert_cmpint (till_barcode_gs1_check_digit ("000000000000", 12), ==, 0);
  g_assert_cmpint (till_barcode_gs1_check_digit ("", 0), ==, 0);
  /* only `len` bytes are read */
  g_assert_cmpint (till_barcode_gs1_check_digit ("9638507XYZ", 7), ==, 4);
  g_assert_cmpint (till_barcode_gs1_check_digit ("96385a7", 7), ==, -1);
  g_assert_cmpint (till_barcode_gs1_check_digit ("9638 07", 7), ==, -1);
}

static void
test_gs1_valid (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (good_ean13); i++)
    g_assert_true (till_barcode_gs1_valid (good_ean13[i]));
  for (gsize i = 0; i < G_N_ELEMENTS (good_ean8); i++)
    g_assert_true (till_barcode_gs1_valid (good_ean8[i]));
  for (gsize i = 0; i < G_N_ELEMENTS (good_upca); i++)
    g_assert_true (till_barcode_gs1_valid (good_upca[i]));

  g_assert_false (till_barcode_gs1_valid (NULL));
  g_assert_false (till_barcode_gs1_valid (""));
  g_assert_false (till_barcode_gs1_valid ("6901028075764"));
  g_assert_false (till_barcode_gs1_valid ("690102807576"));    /* 12 digits, wrong check */
  g_assert_false (till_barcode_gs1_valid ("96385070"));
  g_assert_false (till_barcode_gs1_valid ("12345678901231")); /* 14 digits: not handled */
  g_assert_false (till_barcode_gs1_valid ("0000000"));        /* 7 digits */
  g_assert_false (till_barcode_gs1_valid ("690102807576A"));
  g_assert_false (till_barcode_gs1_valid (" 6901028075763"));
}

/* For every position of every known-good code, each of the other 9 digits is rejected. */
static void
assert_every_substitution_rejected (const char *good)
{
  gsize len = strlen (good);

  for (gsize pos = 0; pos < len; pos++)
    {
      for (char d = '0'; d <= '9'; d++)
        {
          g_autofree char *code = g_strdup (good);

          if (d == good[pos])
            continue;
          code[pos] = d;
          if (till_barcode_gs1_valid (code))
            g_error ("%s (from %s, position %zu) should fail the check", code, good, pos);
          /* A bad check digit never makes a retail code. */
          g_assert_cmpint (kind_of (code), ==, TILL_BARCODE_UNKNOWN);
        }
    }
}

static void
test_substitutions_rejected (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (good_ean13); i++)
    assert_every_substitution_rejected (good_ean13[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (good_ean8); i++)
    assert_every_substitution_rejected (good_ean8[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (good_upca); i++)
    assert_every_substitution_rejected (good_upca[i]);
}

/* Of the 10 possible check digits exactly one passes. */
static void
assert_exactly_one_check_digit (const char *good)
{
  gsize len = strlen (good);
  guint passing = 0;

  for (char d = '0'; d <= '9'; d++)
    {
      g_autofree char *code = g_strdup (good);

      code[len - 1] = d;
      if (till_barcode_gs1_valid (code))
        {
          passing++;
          g_assert_cmpint (d, ==, good[len - 1]);
        }
    }
  g_assert_cmpuint (passing, ==, 1);
}

static void
test_exactly_one_check_digit (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (good_ean13); i++)
    assert_exactly_one_check_digit (good_ean13[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (good_ean8); i++)
    assert_exactly_one_check_digit (good_ean8[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (good_upca); i++)
    assert_exactly_one_check_digit (good_upca[i]);
}

static void
test_retail_kinds (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (good_ean13); i++)
    assert_kind (good_ean13[i], TILL_BARCODE_EAN13);
  for (gsize i = 0; i < G_N_ELEMENTS (good_ean8); i++)
    assert_kind (good_ean8[i], TILL_BARCODE_EAN8);
  for (gsize i = 0; i < G_N_ELEMENTS (good_upca); i++)
    assert_kind (good_upca[i], TILL_BARCODE_UPCA);

  assert_kind ("6901028075764", TILL_BARCODE_UNKNOWN);
  assert_kind ("96385075", TILL_BARCODE_UNKNOWN);
  assert_kind ("036000291453", TILL_BARCODE_UNKNOWN);
  /* lengths that are no GS1 retail code */
  assert_kind ("123456789", TILL_BARCODE_UNKNOWN);
  assert_kind ("1234567890", TILL_BARCODE_UNKNOWN);
  assert_kind ("12345678901", TILL_BARCODE_UNKNOWN);
  assert_kind ("12345678901231", TILL_BARCODE_UNKNOWN);
}

static void
test_retail_fields (void)
{
  g_autoptr(TillBarcode) b = till_barcode_classify ("\r\n 6901028075763\t\r\n", NULL);

  g_assert_cmpint (b->kind, ==, TILL_BARCODE_EAN13);
  g_assert_cmpstr (b->code, ==, "6901028075763");
  g_assert_null (b->item_code);
  g_assert_cmpint (b->value, ==, 0);
}

static void
test_embedded_default_layout (void)
{
  g_autofree char *code = with_check_digit ("212345601234");  /* item 123456, 1234 g */
  g_autoptr(TillBarcode) b = till_barcode_classify (code, NULL);

  g_assert_cmpint (b->kind, ==, TILL_BARCODE_EMBEDDED_WEIGHT);
  g_assert_cmpstr (b->code, ==, code);
  g_assert_cmpstr (b->item_code, ==, "123456");
  g_assert_cmpint (b->value, ==, 1234);
}

static void
test_embedded_known_vector (void)
{
  /* 2 200012 00150 9: item 200012, 150 g; check digit computed by hand */
  g_autoptr(TillBarcode) b = till_barcode_classify ("2200012001509", NULL);

  g_assert_cmpint (b->kind, ==, TILL_BARCODE_EMBEDDED_WEIGHT);
  g_assert_cmpstr (b->item_code, ==, "200012");
  g_assert_cmpint (b->value, ==, 150);
  /* a wrong check digit is unknown, not a scale code */
  assert_kind ("2200012001508", TILL_BARCODE_UNKNOWN);
}

static void
test_embedded_leading_zeros (void)
{
  g_autofree char *code = with_check_digit ("200004200000");
  g_autoptr(TillBarcode) b = till_barcode_classify (code, NULL);

  g_assert_cmpint (b->kind, ==, TILL_BARCODE_EMBEDDED_WEIGHT);
  g_assert_cmpstr (b->item_code, ==, "000042");   /* kept verbatim */
  g_assert_cmpint (b->value, ==, 0);
}

static void
test_embedded_price_layout (void)
{
  TillEmbeddedLayout layout = { 6, TILL_EMBEDDED_PRICE_FEN };
  g_autofree char *code = with_check_digit ("277777712345");
  g_autoptr(TillBarcode) b = till_barcode_classify (code, &layout);

  g_assert_cmpint (b->kind, ==, TILL_BARCODE_EMBEDDED_PRICE);
  g_assert_cmpstr (b->item_code, ==, "777777");
  g_assert_cmpint (b->value, ==, 12345);
}

static void
test_embedded_other_item_digits (void)
{
  struct { guint digits; const char *item; gint64 value; } expected[] = {
    { 4, "1234", 5678901 },
    { 5, "12345", 678901 },
    { 6, "123456", 78901 },
    { 7, "1234567", 8901 },
  };
  g_autofree char *code = with_check_digit ("212345678901");

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      TillEmbeddedLayout layout = { expected[i].digits, TILL_EMBEDDED_WEIGHT_GRAMS };
      g_autoptr(TillBarcode) b = till_barcode_classify (code, &layout);

      g_assert_cmpint (b->kind, ==, TILL_BARCODE_EMBEDDED_WEIGHT);
      g_assert_cmpstr (b->item_code, ==, expected[i].item);
      g_assert_cmpint (b->value, ==, expected[i].value);
    }
}

static void
test_embedded_bad_layout_falls_back (void)
{
  TillEmbeddedLayout layout = { 9, TILL_EMBEDDED_PRICE_FEN };
  g_autofree char *code = with_check_digit ("212345678901");
  g_autoptr(TillBarcode) b = NULL;

  g_test_expect_message ("till-core", G_LOG_LEVEL_WARNING, "*not supported*");
  b = till_barcode_classify (code, &layout);
  g_test_assert_expected_messages ();
  g_assert_cmpint (b->kind, ==, TILL_BARCODE_EMBEDDED_WEIGHT);
  g_assert_cmpstr (b->item_code, ==, "123456");
}

static void
test_embedded_needs_prefix_2 (void)
{
  /* prefix 2 in EAN-8 and UPC-A stays plain retail */
  g_autofree char *ean8 = with_check_digit ("2123456");
  g_autofree char *upca = with_check_digit ("21234567890");
  g_autofree char *ean13 = with_check_digit ("312345601234");

  assert_kind (ean8, TILL_BARCODE_EAN8);
  assert_kind (upca, TILL_BARCODE_UPCA);
  assert_kind (ean13, TILL_BARCODE_EAN13);
}

static char *
digits_of_length (const char *prefix,
                  gsize       len)
{
  GString *s = g_string_new (prefix);

  while (s->len < len)
    g_string_append_c (s, '0' + (char) (s->len % 10));
  return g_string_free (s, FALSE);
}

static void
assert_kind_for (const char     *prefix,
                 gsize           len,
                 TillBarcodeKind expected)
{
  g_autofree char *code = digits_of_length (prefix, len);

  assert_kind (code, expected);
}

static void
test_wechat_boundaries (void)
{
  assert_kind ("134567890123456789", TILL_BARCODE_WECHAT_PAY);
  for (guint p = 10; p <= 15; p++)
    {
      g_autofree char *prefix = g_strdup_printf ("%u", p);

      assert_kind_for (prefix, 18, TILL_BARCODE_WECHAT_PAY);
      assert_kind_for (prefix, 17, TILL_BARCODE_UNKNOWN);
      assert_kind_for (prefix, 19, TILL_BARCODE_UNKNOWN);
    }
  assert_kind_for ("09", 18, TILL_BARCODE_UNKNOWN);
  assert_kind_for ("16", 18, TILL_BARCODE_UNKNOWN);
  assert_kind_for ("19", 18, TILL_BARCODE_UNKNOWN);
  assert_kind_for ("01", 18, TILL_BARCODE_UNKNOWN);
}

static void
test_alipay_boundaries (void)
{
  assert_kind ("286543210987654321", TILL_BARCODE_ALIPAY);
  for (guint p = 25; p <= 30; p++)
    {
      g_autofree char *prefix = g_strdup_printf ("%u", p);

      for (gsize len = 16; len <= 24; len++)
        assert_kind_for (prefix, len, TILL_BARCODE_ALIPAY);
      assert_kind_for (prefix, 15, TILL_BARCODE_UNKNOWN);
      assert_kind_for (prefix, 25, TILL_BARCODE_UNKNOWN);
    }
  for (gsize len = 15; len <= 25; len++)
    {
      assert_kind_for ("24", len, TILL_BARCODE_UNKNOWN);
      assert_kind_for ("31", len, TILL_BARCODE_UNKNOWN);
    }
}

static void
test_unionpay_boundaries (void)
{
  assert_kind ("6212345678901234567", TILL_BARCODE_UNIONPAY);
  assert_kind_for ("62", 19, TILL_BARCODE_UNIONPAY);
  assert_kind_for ("62", 18, TILL_BARCODE_UNKNOWN);
  assert_kind_for ("62", 20, TILL_BARCODE_UNKNOWN);
  assert_kind_for ("61", 19, TILL_BARCODE_UNKNOWN);
  assert_kind_for ("63", 19, TILL_BARCODE_UNKNOWN);
}

static void
test_payment_is_payment (void)
{
  g_assert_true (till_barcode_kind_is_payment (TILL_BARCODE_WECHAT_PAY));
  g_assert_true (till_barcode_kind_is_payment (TILL_BARCODE_ALIPAY));
  g_assert_true (till_barcode_kind_is_payment (TILL_BARCODE_UNIONPAY));
  for (TillBarcodeKind k = TILL_BARCODE_UNKNOWN; k <= TILL_BARCODE_MEMBER; k++)
    if (k != TILL_BARCODE_WECHAT_PAY && k != TILL_BARCODE_ALIPAY && k != TILL_BARCODE_UNIONPAY)
      g_assert_false (till_barcode_kind_is_payment (k));
}

static void
test_payment_fields (void)
{
  g_autoptr(TillBarcode) b = till_barcode_classify ("  134567890123456789\r\n", NULL);
  g_autoptr(TillBarcode) copy = NULL;

  g_assert_cmpint (b->kind, ==, TILL_BARCODE_WECHAT_PAY);
  g_assert_cmpstr (b->code, ==, "134567890123456789");
  g_assert_null (b->item_code);
  g_assert_cmpint (b->value, ==, 0);

  copy = till_barcode_copy (b);
  g_assert_true (copy != b);
  g_assert_cmpint (copy->kind, ==, b->kind);
  g_assert_cmpstr (copy->code, ==, b->code);
  g_assert_true (copy->code != b->code);
}

static void
test_payment_digits_only (void)
{
  assert_kind ("13456789012345678X", TILL_BARCODE_UNKNOWN);
  assert_kind ("1345678901 2345678", TILL_BARCODE_UNKNOWN);
  assert_kind ("-134567890123456789", TILL_BARCODE_UNKNOWN);
}

/* Payment rules come first, but no retail code can be taken for a payment code: retail
 * codes have 8, 12 or 13 digits, payment codes 16 to 24. */
static void
test_payment_no_collision_with_retail (void)
{
  g_autofree char *ean13_10 = with_check_digit ("101234567890");
  g_autofree char *ean13_15 = with_check_digit ("151234567890");
  g_autofree char *ean13_25 = with_check_digit ("251234567890");
  g_autofree char *ean13_62 = with_check_digit ("621234567890");
  g_autofree char *upca_13 = with_check_digit ("13123456789");

  assert_kind (ean13_10, TILL_BARCODE_EAN13);
  assert_kind (ean13_15, TILL_BARCODE_EAN13);
  assert_kind (ean13_62, TILL_BARCODE_EAN13);
  assert_kind (upca_13, TILL_BARCODE_UPCA);
  /* prefix 25 on 13 digits is a scale code (prefix 2), never Alipay */
  assert_kind (ean13_25, TILL_BARCODE_EMBEDDED_WEIGHT);

  /* an 18-digit WeChat code is WeChat whatever its last digit */
  for (char d = '0'; d <= '9'; d++)
    {
      char code[] = "13456789012345678X";

      code[17] = d;
      assert_kind (code, TILL_BARCODE_WECHAT_PAY);
    }
}

static void
test_receipt (void)
{
  g_autofree char *code = till_barcode_receipt_code ("20240601-0007");
  g_autoptr(TillBarcode) b = NULL;

  g_assert_cmpstr (code, ==, "TILLPOINT-SALE-20240601-0007");
  b = till_barcode_classify (code, NULL);
  g_assert_cmpint (b->kind, ==, TILL_BARCODE_RECEIPT);
  g_assert_cmpstr (b->item_code, ==, "20240601-0007");
  g_assert_cmpstr (b->code, ==, code);
}

static void
test_receipt_variants (void)
{
  g_autoptr(TillBarcode) lower = till_barcode_classify ("tillpoint-sale-20240601-01-0007\r", NULL);

  /* Caps Lock on makes a wedge scanner type lower case. */
  g_assert_cmpint (lower->kind, ==, TILL_BARCODE_RECEIPT);
  g_assert_cmpstr (lower->item_code, ==, "20240601-01-0007");

  assert_kind ("TILLPOINT-SALE-42", TILL_BARCODE_RECEIPT);
  assert_kind ("TILLPOINT-SALE-", TILL_BARCODE_UNKNOWN);
  assert_kind ("TILLPOINT-SALE", TILL_BARCODE_UNKNOWN);
  assert_kind ("TILLPOINT-SALE--1", TILL_BARCODE_UNKNOWN);
  assert_kind ("TILLPOINT-SALE-1-", TILL_BARCODE_UNKNOWN);
  assert_kind ("TILLPOINT-SALE-2024 0601", TILL_BARCODE_UNKNOWN);
  assert_kind ("TILLPOINT-SALE-ABC", TILL_BARCODE_UNKNOWN);
  assert_kind ("TILLPOINT-SALE-1;DROP", TILL_BARCODE_UNKNOWN);
  assert_kind ("XTILLPOINT-SALE-1", TILL_BARCODE_UNKNOWN);
}

static void
test_plu (void)
{
  const char *plus[] = { "1", "42", "007", "1234", "12345", "123456", "1234567", " 42\r\n" };

  for (gsize i = 0; i < G_N_ELEMENTS (plus); i++)
    assert_kind (plus[i], TILL_BARCODE_PLU);

  /* 8 digits is EAN-8 territory, never a PLU */
  assert_kind ("12345678", TILL_BARCODE_UNKNOWN);
  assert_kind ("12 34", TILL_BARCODE_UNKNOWN);
  assert_kind ("-42", TILL_BARCODE_UNKNOWN);
  assert_kind ("4.2", TILL_BARCODE_UNKNOWN);
}

static void
test_plu_code_is_trimmed (void)
{
  g_autoptr(TillBarcode) b = till_barcode_classify ("\t 0042 \n", NULL);

  g_assert_cmpint (b->kind, ==, TILL_BARCODE_PLU);
  g_assert_cmpstr (b->code, ==, "0042");
  g_assert_null (b->item_code);
}

static void
test_garbage (void)
{
  const char *garbage[] = {
    "", " ", "\r\n", "\t\t", "abc", "hello world", "ABC-123", "https://example.com/x",
    "６９０１０２８０７５７６３", "6901028075763\x01", "\x01", "6901028075763 6901028075763",
    "69010280757 63",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (garbage); i++)
    assert_kind (garbage[i], TILL_BARCODE_UNKNOWN);
}

static void
test_null_and_empty (void)
{
  g_autoptr(TillBarcode) null = till_barcode_classify (NULL, NULL);
  g_autoptr(TillBarcode) empty = till_barcode_classify (" \r\n\t ", NULL);

  g_assert_cmpint (null->kind, ==, TILL_BARCODE_UNKNOWN);
  g_assert_cmpstr (null->code, ==, "");
  g_assert_cmpint (empty->kind, ==, TILL_BARCODE_UNKNOWN);
  g_assert_cmpstr (empty->code, ==, "");
}

static void
test_invalid_utf8 (void)
{
  const char *bad[] = { "\xff", "6901028075763\xff", "\xc3", "\xed\xa0\x80", "TILLPOINT-SALE-1\xfe",
                        "\xc0\xaf", "13456789012345678\x80" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(TillBarcode) b = till_barcode_classify (bad[i], NULL);

      g_assert_cmpint (b->kind, ==, TILL_BARCODE_UNKNOWN);
      g_assert_nonnull (b->code);
      g_assert_true (g_utf8_validate (b->code, -1, NULL));
    }
}

static void
test_kind_to_string (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (TillBarcodeKind k = TILL_BARCODE_UNKNOWN; k <= TILL_BARCODE_MEMBER; k++)
    {
      const char *s = till_barcode_kind_to_string (k);

      g_assert_nonnull (s);
      g_assert_false (g_hash_table_contains (seen, s));
      g_hash_table_add (seen, (gpointer) s);
    }
  g_assert_cmpstr (till_barcode_kind_to_string (TILL_BARCODE_WECHAT_PAY), ==, "wechat-pay");
  g_assert_cmpstr (till_barcode_kind_to_string ((TillBarcodeKind) 999), ==, "unknown");
}

static void
random_digits (char  *buf,
               gsize  len)
{
  for (gsize i = 0; i < len; i++)
    buf[i] = '0' + (char) g_test_rand_int_range (0, 10);
  buf[len] = '\0';
}

static void
test_random_check_digit_properties (void)
{
  static const gsize lengths[] = { 7, 11, 12 };

  for (int i = 0; i < 10000; i++)
    {
      gsize body_len = lengths[i % G_N_ELEMENTS (lengths)];
      gsize len = body_len + 1;
      char code[16];
      int check;

      random_digits (code, body_len);
      check = till_barcode_gs1_check_digit (code, body_len);
      g_assert_cmpint (check, >=, 0);
      g_assert_cmpint (check, <=, 9);
      code[body_len] = '0' + (char) check;
      code[len] = '\0';
      g_assert_true (till_barcode_gs1_valid (code));

      /* Any single-digit change is caught (weights 1 and 3 are prime to 10). */
      {
        gsize pos = (gsize) g_test_rand_int_range (0, (gint32) len);
        char old = code[pos];

        code[pos] = '0' + (char) ((old - '0' + g_test_rand_int_range (1, 10)) % 10);
        g_assert_false (till_barcode_gs1_valid (code));
        code[pos] = old;
      }

      /* An adjacent transposition is caught unless the digits differ by 5 (or are
       * equal): 3a + b and a + 3b differ by 2(a - b), a multiple of 10 only then. */
      {
        gsize pos = (gsize) g_test_rand_int_range (0, (gint32) len - 1);
        char a = code[pos], b = code[pos + 1];
        gboolean caught;

        code[pos] = b;
        code[pos + 1] = a;
        caught = !till_barcode_gs1_valid (code);
        if (a == b || ABS (a - b) == 5)
          g_assert_false (caught);
        else
          g_assert_true (caught);
        code[pos] = a;
        code[pos + 1] = b;
      }
    }
}

static void
test_random_bytes_never_crash (void)
{
  for (int i = 0; i < 10000; i++)
    {
      gsize len = (gsize) g_test_rand_int_range (0, 40);
      g_autofree char *bytes = g_malloc (len + 1);
      g_autoptr(TillBarcode) b = NULL;

      for (gsize j = 0; j < len; j++)
        {
          /* favour digits and the interesting separators */
          switch (g_test_rand_int_range (0, 4))
            {
            case 0:
            case 1:
              bytes[j] = '0' + (char) g_test_rand_int_range (0, 10);
              break;
            case 2:
              bytes[j] = "\r\n\t -"[g_test_rand_int_range (0, 5)];
              break;
            default:
              bytes[j] = (char) g_test_rand_int_range (1, 256);
              break;
            }
        }
      bytes[len] = '\0';

      b = till_barcode_classify (bytes, NULL);
      g_assert_nonnull (b);
      g_assert_nonnull (b->code);
      g_assert_true (g_utf8_validate (b->code, -1, NULL));
      g_assert_cmpint (b->kind, >=, TILL_BARCODE_UNKNOWN);
      g_assert_cmpint (b->kind, <=, TILL_BARCODE_MEMBER);
      if (b->kind == TILL_BARCODE_EMBEDDED_WEIGHT || b->kind == TILL_BARCODE_EMBEDDED_PRICE
          || b->kind == TILL_BARCODE_RECEIPT || b->kind == TILL_BARCODE_MEMBER)
        g_assert_nonnull (b->item_code);
    }
}

/* classify (x) == classify (x + suffix) == classify (prefix + x) for scanner suffixes;
 * and classifying the normalized code again gives the same result. */
static void
test_random_idempotent_under_suffixes (void)
{
  static const char *suffixes[] = { "\r", "\n", "\r\n", "\t", " \r\n", "\n\n" };

  for (int i = 0; i < 10000; i++)
    {
      char digits[32];
      gsize len = (gsize) g_test_rand_int_range (1, 26);
      const char *suffix = suffixes[g_test_rand_int_range (0, G_N_ELEMENTS (suffixes))];
      g_autofree char *suffixed = NULL;
      g_autofree char *prefixed = NULL;
      g_autoptr(TillBarcode) a = NULL;
      g_autoptr(TillBarcode) b = NULL;
      g_autoptr(TillBarcode) c = NULL;
      g_autoptr(TillBarcode) again = NULL;

      random_digits (digits, len);
      if (g_test_rand_bit () && len > 1)
        {
          /* make a valid GS1 code now and then */
          digits[len - 1] = '0' + (char) till_barcode_gs1_check_digit (digits, len - 1);
        }
      suffixed = g_strconcat (digits, suffix, NULL);
      prefixed = g_strconcat (suffix, digits, suffix, NULL);

      a = till_barcode_classify (digits, NULL);
      b = till_barcode_classify (suffixed, NULL);
      c = till_barcode_classify (prefixed, NULL);
      again = till_barcode_classify (a->code, NULL);

      g_assert_cmpint (a->kind, ==, b->kind);
      g_assert_cmpint (a->kind, ==, c->kind);
      g_assert_cmpint (a->kind, ==, again->kind);
      g_assert_cmpstr (a->code, ==, digits);
      g_assert_cmpstr (b->code, ==, digits);
      g_assert_cmpstr (c->code, ==, digits);
      g_assert_cmpstr (a->item_code, ==, b->item_code);
      g_assert_cmpint (a->value, ==, b->value);
    }
}

/* Member codes (issue 16): "M" + 9 digits + a Damm check digit, either case; the stored
 * form is upper case. A wrong check digit, length or letter is unknown, not a member. */
static void
test_member (void)
{
  g_autofree char *code = till_member_code_make (123456789);
  g_autofree char *lower = g_ascii_strdown (code, -1);
  g_autofree char *padded = g_strconcat ("  ", lower, "\r\n", NULL);
  g_autoptr(TillBarcode) b = till_barcode_classify (code, NULL);
  g_autoptr(TillBarcode) c = till_barcode_classify (padded, NULL);
  char wrong[16];

  g_assert_cmpint (b->kind, ==, TILL_BARCODE_MEMBER);
  g_assert_cmpstr (b->item_code, ==, code);
  g_assert_false (till_barcode_kind_is_payment (b->kind));
  g_assert_cmpint (c->kind, ==, TILL_BARCODE_MEMBER);
  g_assert_cmpstr (c->item_code, ==, code);
  g_assert_cmpstr (till_barcode_kind_to_string (TILL_BARCODE_MEMBER), ==, "member");

  g_strlcpy (wrong, code, sizeof wrong);
  wrong[10] = wrong[10] == '9' ? '0' : wrong[10] + 1;
  assert_kind (wrong, TILL_BARCODE_UNKNOWN);
  assert_kind ("M12345678", TILL_BARCODE_UNKNOWN);
  assert_kind ("N1234567898", TILL_BARCODE_UNKNOWN);
  g_strlcpy (wrong, code, sizeof wrong);
  wrong[0] = 'X';
  assert_kind (wrong, TILL_BARCODE_UNKNOWN);
  /* its digits alone are an 10-digit number: not a retail code, not a payment code */
  assert_kind (code + 1, TILL_BARCODE_UNKNOWN);
}

/* Adding the member kind changed nothing else: one sample of every other kind still
 * classifies as it did, and no member code is ever taken for another kind. */
static void
test_member_no_collision (void)
{
  static const struct { const char *code; TillBarcodeKind kind; } samples[] = {
    { "6901234567892", TILL_BARCODE_EAN13 },
    { "96385074", TILL_BARCODE_EAN8 },
    { "036000291452", TILL_BARCODE_UPCA },
    { "2123456012347", TILL_BARCODE_EMBEDDED_WEIGHT },
    { "134567890123456789", TILL_BARCODE_WECHAT_PAY },
    { "281234567890123456", TILL_BARCODE_ALIPAY },
    { "6212345678901234567", TILL_BARCODE_UNIONPAY },
    { "TILLPOINT-SALE-20240601-0007", TILL_BARCODE_RECEIPT },
    { "1234567", TILL_BARCODE_PLU },
    { "42", TILL_BARCODE_PLU },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (samples); i++)
    assert_kind (samples[i].code, samples[i].kind);

  for (int i = 0; i < 20000; i++)
    {
      guint64 body = (guint64) g_test_rand_int_range (0, 1000000000);
      g_autofree char *code = till_member_code_make (body);
      g_autoptr(TillBarcode) b = till_barcode_classify (code, NULL);

      g_assert_cmpint (b->kind, ==, TILL_BARCODE_MEMBER);
      g_assert_cmpstr (b->item_code, ==, code);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char **args = g_new0 (char *, argc + 2);
  int n_args = 0;
  gboolean has_seed = FALSE;

  /* A fixed seed makes a failure reproducible; TAP output shows it as "# random seed". */
  for (int i = 0; i < argc; i++)
    {
      has_seed |= g_str_has_prefix (argv[i], "--seed");
      args[n_args++] = argv[i];
    }
  if (!has_seed)
    args[n_args++] = (char *) RANDOM_SEED_ARG;
  argv = args;
  argc = n_args;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/barcode/check-digit/vectors", test_check_digit_vectors);
  g_test_add_func ("/barcode/check-digit/valid", test_gs1_valid);
  g_test_add_func ("/barcode/check-digit/substitutions", test_substitutions_rejected);
  g_test_add_func ("/barcode/check-digit/exactly-one", test_exactly_one_check_digit);
  g_test_add_func ("/barcode/check-digit/random", test_random_check_digit_properties);
  g_test_add_func ("/barcode/retail/kinds", test_retail_kinds);
  g_test_add_func ("/barcode/retail/fields", test_retail_fields);
  g_test_add_func ("/barcode/embedded/default-layout", test_embedded_default_layout);
  g_test_add_func ("/barcode/embedded/known-vector", test_embedded_known_vector);
  g_test_add_func ("/barcode/embedded/leading-zeros", test_embedded_leading_zeros);
  g_test_add_func ("/barcode/embedded/price-layout", test_embedded_price_layout);
  g_test_add_func ("/barcode/embedded/item-digits", test_embedded_other_item_digits);
  g_test_add_func ("/barcode/embedded/bad-layout", test_embedded_bad_layout_falls_back);
  g_test_add_func ("/barcode/embedded/needs-prefix-2", test_embedded_needs_prefix_2);
  g_test_add_func ("/barcode/payment/wechat", test_wechat_boundaries);
  g_test_add_func ("/barcode/payment/alipay", test_alipay_boundaries);
  g_test_add_func ("/barcode/payment/unionpay", test_unionpay_boundaries);
  g_test_add_func ("/barcode/payment/is-payment", test_payment_is_payment);
  g_test_add_func ("/barcode/payment/fields", test_payment_fields);
  g_test_add_func ("/barcode/payment/digits-only", test_payment_digits_only);
  g_test_add_func ("/barcode/payment/no-collision", test_payment_no_collision_with_retail);
  g_test_add_func ("/barcode/receipt/round-trip", test_receipt);
  g_test_add_func ("/barcode/receipt/variants", test_receipt_variants);
  g_test_add_func ("/barcode/plu/kinds", test_plu);
  g_test_add_func ("/barcode/plu/trimmed", test_plu_code_is_trimmed);
  g_test_add_func ("/barcode/garbage/text", test_garbage);
  g_test_add_func ("/barcode/garbage/null-and-empty", test_null_and_empty);
  g_test_add_func ("/barcode/garbage/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/barcode/garbage/random-bytes", test_random_bytes_never_crash);
  g_test_add_func ("/barcode/kind-to-string", test_kind_to_string);
  g_test_add_func ("/barcode/member/kinds", test_member);
  g_test_add_func ("/barcode/member/no-collision", test_member_no_collision);
  g_test_add_func ("/barcode/random/suffix-idempotent", test_random_idempotent_under_suffixes);

  return g_test_run ();
}
