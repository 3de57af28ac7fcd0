/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the counter scale's frame parsers (src/scale/till-scale-parser.c and one file
 * per protocol): any bytes a scale can send, for the protocol the first byte picks, in chunks
 * as read() returns them (the second byte sets the chunk size). The readings must not depend
 * on how the bytes were split, and each must be coherent: a weight and an overload never
 * together, zero only for a zero weight, "negative" exactly when the weight is below zero. */
#define G_LOG_DOMAIN "till-fuzz"
#include "config.h"

#include <string.h>

#include "till-fuzz.h"
#include "till-scale-parser.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  till_fuzz_init ();
  return 0;
}

static void
check_reading (const TillScaleReading *r)
{
  if (r->has_weight)
    {
      g_assert_false (r->overload);
      g_assert_true (r->weight_milli > -G_GINT64_CONSTANT (1000000000000)
                     && r->weight_milli < G_GINT64_CONSTANT (1000000000000));
      g_assert_true (r->negative == (r->weight_milli < 0));
      if (r->zero)
        g_assert_cmpint (r->weight_milli, ==, 0);
    }
  else
    g_assert_cmpint (r->weight_milli, ==, 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (TillScaleParser) whole = NULL;
  g_autoptr (TillScaleParser) split = NULL;
  g_autoptr (GArray) a = g_array_new (FALSE, TRUE, sizeof (TillScaleReading));
  g_autoptr (GArray) b = g_array_new (FALSE, TRUE, sizeof (TillScaleReading));
  TillScaleProtocol protocol;
  gsize chunk;

  if (size < 2)
    return 0;
  protocol = (TillScaleProtocol)(data[0] % 3 + 1);
  chunk = (data[1] % 32) + 1;
  data += 2;
  size -= 2;

  whole = till_scale_parser_new (protocol);
  split = till_scale_parser_new (protocol);
  till_scale_parser_feed (whole, data, size, a);
  for (gsize off = 0; off < size; off += chunk)
    till_scale_parser_feed (split, data + off, MIN (chunk, size - off), b);

  g_assert_cmpuint (a->len, ==, b->len);
  g_assert_cmpuint (till_scale_parser_get_n_dropped (whole), ==,
                    till_scale_parser_get_n_dropped (split));
  g_assert_true (a->len == 0 || memcmp (a->data, b->data, a->len * sizeof (TillScaleReading)) == 0);
  for (guint i = 0; i < a->len; i++)
    check_reading (&g_array_index (a, TillScaleReading, i));
  return 0;
}
