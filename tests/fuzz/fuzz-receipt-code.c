/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: a receipt's QR code as the checkout and the refunds window read it
 * (till_barcode_classify → TILL_BARCODE_RECEIPT, whose item_code is the sale number they
 * look up). A code read as a receipt must name a sale number that, printed again by
 * till_barcode_receipt_code(), reads back as the same receipt. */
#define G_LOG_DOMAIN "till-fuzz"
#include "config.h"

#include <string.h>

#include "till-barcode.h"
#include "till-fuzz.h"

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
  g_autofree char *prefixed = g_strconcat (TILL_RECEIPT_CODE_PREFIX, text, NULL);
  const char *inputs[] = { text, prefixed };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr (TillBarcode) barcode = till_barcode_classify (inputs[i], NULL);
      g_autofree char *again_text = NULL;
      g_autoptr (TillBarcode) again = NULL;

      if (barcode->kind != TILL_BARCODE_RECEIPT)
        continue;
      g_assert_nonnull (barcode->item_code);
      g_assert_cmpuint (strlen (barcode->item_code), >, 0);
      g_assert_true (g_utf8_validate (barcode->item_code, -1, NULL));
      again_text = till_barcode_receipt_code (barcode->item_code);
      again = till_barcode_classify (again_text, NULL);
      g_assert_cmpint (again->kind, ==, TILL_BARCODE_RECEIPT);
      g_assert_cmpstr (again->item_code, ==, barcode->item_code);
    }
  return 0;
}
