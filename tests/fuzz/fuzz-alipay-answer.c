/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: what Alipay's gateway sends back (docs/reference/alipay.md §2.4): the raw
 * body read by till_alipay_answer_read() (the signed object found in the bytes, the JSON
 * parsed, the sign taken and verified against a key made once), then the answer's readers
 * (trade, cancel, refund) as the client calls them, and the gateway's amount and time
 * formats. The first byte picks the method; the rest is the body. */
#define G_LOG_DOMAIN "till-fuzz"
#include "config.h"

#include <string.h>

#include "till-alipay-sign.h"
#include "till-alipay-types.h"
#include "till-fuzz.h"
#include "till-rsa-key.h"

static TillRsaKey *alipay_key;

static const char *const methods[] = {
  "alipay.trade.pay",
  "alipay.trade.query",
  "alipay.trade.cancel",
  "alipay.trade.refund",
  "alipay.trade.fastpay.refund.query",
  "alipay.trade.precreate",
  "alipay.trade.close",
  "alipay.data.dataservice.bill.downloadurl.query",
};

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;

  till_fuzz_init ();
  alipay_key = till_rsa_key_generate (&error);
  g_assert_no_error (error);
  return 0;
}

static void
read_fields (JsonObject *response, const char *method)
{
  g_autoptr (GError) error = NULL;
  GList *members = json_object_get_members (response);

  /* Every string member through the gateway's number formats. */
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *value = till_alipay_json_string (response, l->data);
      gint64 fen = 0, seconds = 0;

      if (value == NULL)
        continue;
      if (till_alipay_yuan_parse (value, FALSE, &fen))
        {
          g_autofree char *again = till_alipay_yuan_format (fen);
          gint64 fen_again = -1;
          g_assert_true (till_alipay_yuan_parse (again, TRUE, &fen_again));
          g_assert_cmpint (fen_again, ==, fen);
        }
      (void)till_alipay_timestamp_parse (value, &seconds);
      (void)till_alipay_valid_number (value);
    }
  g_list_free (members);

  if (g_str_equal (method, "alipay.trade.cancel"))
    till_alipay_cancel_free (till_alipay_cancel_new_from_json (response));
  else if (g_str_has_suffix (method, "refund") || g_str_has_suffix (method, "refund.query"))
    {
      TillAlipayRefund *r
          = till_alipay_refund_new_from_json (response, g_str_has_suffix (method, "query"), &error);
      g_assert_true ((r == NULL) == (error != NULL));
      till_alipay_refund_free (r);
    }
  else
    {
      TillAlipayTrade *t = till_alipay_trade_new_from_json (response, &error);
      g_assert_true ((t == NULL) == (error != NULL));
      till_alipay_trade_free (t);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) sig_error = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TillAlipayAnswer) answer = NULL;
  g_autofree char *body = NULL;
  const char *method;

  if (size < 1)
    return 0;
  method = methods[data[0] % G_N_ELEMENTS (methods)];
  body = g_strndup ((const char *)data + 1, size - 1);

  answer = till_alipay_answer_read (body, strlen (body), method, alipay_key, &sig_error, &error);
  g_assert_true ((answer == NULL) == (error != NULL));
  if (answer == NULL)
    return 0;
  g_assert_nonnull (answer->root_key);
  g_assert_nonnull (answer->response);
  /* Nobody but the key's holder can sign: a fuzzed answer never verifies. */
  g_assert_false (answer->verified);
  read_fields (answer->response, method);
  return 0;
}
