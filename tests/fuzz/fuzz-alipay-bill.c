/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: Alipay's daily trade bill (alipay.md §5.7): the ZIP (entries, GBK or UTF-8
 * names, deflate or stored, CRC-32 and sizes checked) and its 业务明细 CSV (GBK, '#'
 * comments, header by name, 交易/退款 rows, the totals). Input starting "PK" is a ZIP,
 * anything else the CSV itself. */
#define G_LOG_DOMAIN "till-fuzz"
#include "config.h"

#include "till-alipay-bill.h"
#include "till-fuzz.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  till_fuzz_init ();
  return 0;
}

static void
check_bill (TillBill *bill, GError *error)
{
  g_assert_true ((bill == NULL) == (error != NULL));
  if (bill != NULL)
    for (guint i = 0; i < bill->rows->len; i++)
      g_assert_nonnull (g_ptr_array_index (bill->rows, i));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TillBill) bill = NULL;

  if (size >= 2 && data[0] == 'P' && data[1] == 'K')
    {
      g_autoptr (GBytes) zip = g_bytes_new (data, size);
      g_autofree char *name = NULL;
      g_autoptr (GBytes) entry
          = till_alipay_zip_extract (zip, till_alipay_bill_is_detail, &name, &error);

      g_assert_true ((entry == NULL) == (error != NULL));
      g_assert_true ((entry == NULL) == (name == NULL));
      if (entry != NULL)
        g_assert_true (g_utf8_validate (name, -1, NULL));
      g_clear_error (&error);
      bill = till_alipay_bill_parse_zip (zip, &error);
      check_bill (bill, error);
    }
  else
    {
      bill = till_alipay_bill_parse_csv ((const char *)data, size, &error);
      check_bill (bill, error);
    }
  return 0;
}
