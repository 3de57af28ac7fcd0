/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: WeChat Pay's daily trade bill (wechatpay-v3.md §6): the download inflated
 * when it is gzip (till_wxpay_bill_gunzip, as the client does on the magic bytes), then
 * the CSV parsed by till_bill_parse() (the 20- and 27-column layouts, the summary checked
 * against the rows). */
#define G_LOG_DOMAIN "till-fuzz"
#include "config.h"

#include "till-bill.h"
#include "till-fuzz.h"
#include "till-wxpay-client-private.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  till_fuzz_init ();
  return 0;
}

static void
parse (const char *data, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TillBill) bill = till_bill_parse (data, len, &error);

  g_assert_true ((bill == NULL) == (error != NULL));
  if (bill != NULL)
    {
      g_assert_nonnull (bill->rows);
      for (guint i = 0; i < bill->rows->len; i++)
        g_assert_nonnull (g_ptr_array_index (bill->rows, i));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b)
    {
      g_autoptr (GBytes) in = g_bytes_new (data, size);
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) plain = till_wxpay_bill_gunzip (in, &error);
      gsize len = 0;
      const char *text;

      g_assert_true ((plain == NULL) == (error != NULL));
      if (plain == NULL)
        return 0;
      text = g_bytes_get_data (plain, &len);
      parse (text, len);
    }
  else
    parse ((const char *)data, size);
  return 0;
}
