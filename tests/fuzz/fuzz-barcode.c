/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: till_barcode_classify() (payment codes, retail codes and their check
 * digits, scale labels in every embedded layout, PLUs, receipt codes) over any text a
 * scanner or a person can send. Checks what the header promises of each kind. */
#define G_LOG_DOMAIN "till-fuzz"
#include "config.h"

#include <string.h>

#include "till-barcode.h"
#include "till-fuzz.h"

static gboolean
all_digits (const char *s)
{
  for (; *s; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

static void
check (const char *text, const TillEmbeddedLayout *layout)
{
  g_autoptr (TillBarcode) barcode = till_barcode_classify (text, layout);
  g_autoptr (TillBarcode) copy = NULL;
  gsize len;

  g_assert_nonnull (barcode);
  g_assert_nonnull (barcode->code);
  len = strlen (barcode->code);
  copy = till_barcode_copy (barcode);
  g_assert_cmpint (copy->kind, ==, barcode->kind);
  g_assert_cmpstr (copy->code, ==, barcode->code);
  g_assert_cmpstr (copy->item_code, ==, barcode->item_code);
  g_assert_nonnull (till_barcode_kind_to_string (barcode->kind));

  switch (barcode->kind)
    {
    case TILL_BARCODE_EAN13:
    case TILL_BARCODE_EAN8:
    case TILL_BARCODE_UPCA:
      g_assert_true (all_digits (barcode->code));
      g_assert_true (till_barcode_gs1_valid (barcode->code));
      break;
    case TILL_BARCODE_EMBEDDED_WEIGHT:
    case TILL_BARCODE_EMBEDDED_PRICE:
      g_assert_cmpuint (len, ==, 13);
      g_assert_true (till_barcode_gs1_valid (barcode->code));
      g_assert_nonnull (barcode->item_code);
      g_assert_true (all_digits (barcode->item_code));
      g_assert_cmpint (barcode->value, >=, 0);
      g_assert_cmpint (barcode->value, <=, 9999999);
      break;
    case TILL_BARCODE_WECHAT_PAY:
      g_assert_cmpuint (len, ==, 18);
      g_assert_true (all_digits (barcode->code));
      break;
    case TILL_BARCODE_ALIPAY:
      g_assert_cmpuint (len, >=, 16);
      g_assert_cmpuint (len, <=, 24);
      g_assert_true (all_digits (barcode->code));
      break;
    case TILL_BARCODE_UNIONPAY:
      g_assert_cmpuint (len, ==, 19);
      g_assert_true (all_digits (barcode->code));
      break;
    case TILL_BARCODE_PLU:
      g_assert_cmpuint (len, >=, 1);
      g_assert_cmpuint (len, <=, 7);
      g_assert_true (all_digits (barcode->code));
      break;
    case TILL_BARCODE_RECEIPT:
      g_assert_nonnull (barcode->item_code);
      g_assert_true (g_utf8_validate (barcode->item_code, -1, NULL));
      break;
    case TILL_BARCODE_UNKNOWN:
    default:
      break;
    }
  g_assert_true (till_barcode_kind_is_payment (barcode->kind)
                 == (barcode->kind == TILL_BARCODE_WECHAT_PAY
                     || barcode->kind == TILL_BARCODE_ALIPAY
                     || barcode->kind == TILL_BARCODE_UNIONPAY));
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  till_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *)data, size);

  check (text, NULL);
  for (guint digits = 4; digits <= 7; digits++)
    {
      TillEmbeddedLayout weight = { digits, TILL_EMBEDDED_WEIGHT_GRAMS };
      TillEmbeddedLayout price = { digits, TILL_EMBEDDED_PRICE_FEN };

      check (text, &weight);
      check (text, &price);
    }
  {
    g_autofree char *digits = g_strndup (text, 32);
    for (char *p = digits; *p; p++)
      if (!g_ascii_isdigit (*p))
        {
          *p = '\0';
          break;
        }
    if (*digits != '\0')
      g_assert_cmpint (till_barcode_gs1_check_digit (digits, strlen (digits)), >=, 0);
  }
  return 0;
}
