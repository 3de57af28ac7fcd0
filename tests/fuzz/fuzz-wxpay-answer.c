/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: what WeChat Pay sends back (docs/reference/wechatpay-v3.md): the JSON of
 * a payment, a refund, a bill answer and an error (as the client's transport reads them:
 * till_wxpay_parse_json_body, then the *_new_from_json readers), the Authorization header the
 * simulator parses (till_wxpay_authorization_parse) and the Wechatpay-Timestamp/-Nonce/-Signature/
 * -Serial headers of an answer with its body (till_wxpay_verify_response, against a key
 * made once). The first byte picks which; the rest is the input. */
#define G_LOG_DOMAIN "till-fuzz"
#include "config.h"

#include <string.h>

#include "till-fuzz.h"
#include "till-rsa-key.h"
#include "till-wxpay-client-private.h"
#include "till-wxpay-sign.h"
#include "till-wxpay-types.h"

static TillRsaKey *platform_key;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;

  till_fuzz_init ();
  platform_key = till_rsa_key_generate (&error);
  g_assert_no_error (error);
  return 0;
}

/* As the client reads a 2xx answer (till_wxpay_parse_json_body). */
static JsonNode *
parse_json (const char *data, gsize len)
{
  g_autoptr (GBytes) body = g_bytes_new (data, len);
  g_autoptr (GError) error = NULL;
  JsonNode *root = till_wxpay_parse_json_body (body, 200, &error);

  g_assert_true ((root == NULL) == (error != NULL));
  return root;
}

/* Lines of `text`: timestamp, nonce, signature, serial, then the body (the rest). */
static void
verify (const char *text, gsize len)
{
  const char *fields[4] = { "", "", "", "" };
  g_autofree char *copy = g_strndup (text, len);
  char *p = copy;
  const char *body;
  g_autoptr (GError) error = NULL;
  gboolean ok;

  for (guint i = 0; i < 4; i++)
    {
      char *nl = strchr (p, '\n');
      fields[i] = p;
      if (nl == NULL)
        {
          p += strlen (p);
          break;
        }
      *nl = '\0';
      p = nl + 1;
    }
  body = p;
  ok = till_wxpay_verify_response (platform_key, fields[3][0] ? fields[3] : "1", fields[0],
                                   fields[1], fields[2], fields[3], body, strlen (body),
                                   g_get_real_time () / G_USEC_PER_SEC, &error);
  g_assert_true (ok != (error != NULL));
  /* Nobody but the key's holder can sign: a fuzzed answer never verifies. */
  g_assert_false (ok);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *)data + 1;
  gsize len;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;

  if (size < 1)
    return 0;
  len = size - 1;

  switch (data[0] % 6)
    {
    case 0:
      if ((root = parse_json (text, len)) != NULL)
        {
          TillWxpayTransaction *t
              = till_wxpay_transaction_new_from_json (root, (data[0] & 0x80) ? 202 : 200, &error);
          g_assert_true ((t == NULL) == (error != NULL));
          if (t != NULL)
            {
              TillWxpayTransaction *copy = till_wxpay_transaction_copy (t);
              till_wxpay_transaction_free (copy);
              till_wxpay_transaction_free (t);
            }
        }
      break;
    case 1:
      if ((root = parse_json (text, len)) != NULL)
        {
          TillWxpayRefund *r = till_wxpay_refund_new_from_json (root, 200, &error);
          g_assert_true ((r == NULL) == (error != NULL));
          if (r != NULL)
            {
              TillWxpayRefund *copy = till_wxpay_refund_copy (r);
              till_wxpay_refund_free (copy);
              till_wxpay_refund_free (r);
            }
        }
      break;
    case 2:
      if ((root = parse_json (text, len)) != NULL)
        {
          TillWxpayBill *b = till_wxpay_bill_new_from_json (root, (data[0] & 0x80) != 0, &error);
          g_assert_true ((b == NULL) == (error != NULL));
          if (b != NULL)
            till_wxpay_bill_free (b);
        }
      break;
    case 3:
      {
        g_autoptr (GBytes) body = g_bytes_new (text, len);
        g_autofree char *code = NULL, *message = NULL;

        till_wxpay_parse_problem (body, &code, &message);
        g_assert_true (code == NULL || g_utf8_validate (code, -1, NULL));
        g_assert_true (message == NULL || g_utf8_validate (message, -1, NULL));
      }
      break;
    case 4:
      {
        g_autofree char *header = g_strndup (text, len);
        g_autoptr (TillWxpayAuthorization) auth = till_wxpay_authorization_parse (header, &error);

        g_assert_true ((auth == NULL) == (error != NULL));
        if (auth != NULL)
          {
            g_assert_nonnull (auth->mchid);
            g_assert_nonnull (auth->nonce_str);
            g_assert_nonnull (auth->serial_no);
            g_assert_nonnull (auth->signature);
          }
      }
      break;
    default:
      verify (text, len);
      break;
    }
  return 0;
}
