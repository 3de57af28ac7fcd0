/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Classification of scanned or typed codes. Payment codes are checked before the retail
 * rules; retail codes need a correct GS1 check digit; nothing here trusts its input to be
 * UTF-8, digits only or of a sane length. */
#define G_LOG_DOMAIN "till-core"
#include "config.h"

#include <string.h>

#include "till-barcode.h"
#include "till-member-code.h"

#define PLU_MAX_DIGITS 7

static gboolean
is_trim_char (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static gboolean
all_digits (const char *s,
            gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* Both characters of the two-digit prefix, as a number 0..99. */
static guint
prefix2 (const char *digits)
{
  return (guint) (digits[0] - '0') * 10 + (guint) (digits[1] - '0');
}

int
till_barcode_gs1_check_digit (const char *digits,
                              gsize       len)
{
  guint sum = 0;

  g_return_val_if_fail (digits != NULL || len == 0, -1);

  /* Weights 3,1,3,1... from the rightmost digit of the body (next to the check digit). */
  for (gsize i = 0; i < len; i++)
    {
      char c = digits[len - 1 - i];

      if (!g_ascii_isdigit (c))
        return -1;
      sum += (guint) (c - '0') * (i % 2 == 0 ? 3 : 1);
    }
  return (int) ((10 - sum % 10) % 10);
}

static gboolean
gs1_valid_len (const char *code,
               gsize       len)
{
  if (len != 8 && len != 12 && len != 13)
    return FALSE;
  if (!all_digits (code, len))
    return FALSE;
  return till_barcode_gs1_check_digit (code, len - 1) == code[len - 1] - '0';
}

gboolean
till_barcode_gs1_valid (const char *code)
{
  if (code == NULL)
    return FALSE;
  return gs1_valid_len (code, strlen (code));
}

static TillBarcodeKind
classify_payment (const char *code,
                  gsize       len)
{
  guint prefix;

  if (len < 2)
    return TILL_BARCODE_UNKNOWN;
  prefix = prefix2 (code);

  if (len == 18 && prefix >= 10 && prefix <= 15)
    return TILL_BARCODE_WECHAT_PAY;
  if (len >= 16 && len <= 24 && prefix >= 25 && prefix <= 30)
    return TILL_BARCODE_ALIPAY;
  if (len == 19 && prefix == 62)
    return TILL_BARCODE_UNIONPAY;
  return TILL_BARCODE_UNKNOWN;
}

static gboolean
is_sale_number (const char *s)
{
  gsize len = strlen (s);

  if (len == 0 || !g_ascii_isdigit (s[0]) || !g_ascii_isdigit (s[len - 1]))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (s[i]) && s[i] != '-')
      return FALSE;
  return TRUE;
}

static void
classify_embedded (TillBarcode              *barcode,
                   const TillEmbeddedLayout *layout)
{
  const char *code = barcode->code;
  guint item_digits = layout->item_digits;
  guint value_digits = 11 - item_digits;
  gint64 value = 0;

  for (guint i = 0; i < value_digits; i++)
    value = value * 10 + (code[1 + item_digits + i] - '0');

  barcode->kind = layout->value_kind == TILL_EMBEDDED_PRICE_FEN
                    ? TILL_BARCODE_EMBEDDED_PRICE
                    : TILL_BARCODE_EMBEDDED_WEIGHT;
  barcode->item_code = g_strndup (code + 1, item_digits);
  barcode->value = value;
}

/* Classifies an already normalized, valid UTF-8 code into `barcode`. */
static void
classify_code (TillBarcode              *barcode,
               const TillEmbeddedLayout *layout)
{
  const char *code = barcode->code;
  gsize len = strlen (code);
  gsize prefix_len = strlen (TILL_RECEIPT_CODE_PREFIX);

  /* Receipt codes: case-insensitive, because a wedge scanner types lower case when
   * Caps Lock is on. */
  if (len > prefix_len && g_ascii_strncasecmp (code, TILL_RECEIPT_CODE_PREFIX, prefix_len) == 0)
    {
      if (is_sale_number (code + prefix_len))
        {
          barcode->kind = TILL_BARCODE_RECEIPT;
          barcode->item_code = g_strdup (code + prefix_len);
        }
      return;
    }

  /* Member codes start with a letter: no all-digit kind below can be one. */
  if (len == TILL_MEMBER_CODE_LENGTH && g_ascii_toupper (code[0]) == TILL_MEMBER_CODE_PREFIX)
    {
      barcode->item_code = till_member_code_normalize (code);
      if (barcode->item_code != NULL)
        barcode->kind = TILL_BARCODE_MEMBER;
      return;
    }

  if (len == 0 || !all_digits (code, len))
    return;

  barcode->kind = classify_payment (code, len);
  if (barcode->kind != TILL_BARCODE_UNKNOWN)
    return;

  if (len <= PLU_MAX_DIGITS)
    {
      barcode->kind = TILL_BARCODE_PLU;
      return;
    }

  if (!gs1_valid_len (code, len))
    return;

  switch (len)
    {
    case 8:
      barcode->kind = TILL_BARCODE_EAN8;
      break;
    case 12:
      barcode->kind = TILL_BARCODE_UPCA;
      break;
    case 13:
      if (code[0] == '2')
        classify_embedded (barcode, layout);
      else
        barcode->kind = TILL_BARCODE_EAN13;
      break;
    default:
      g_assert_not_reached ();
    }
}

TillBarcode *
till_barcode_classify (const char               *text,
                       const TillEmbeddedLayout *layout)
{
  TillEmbeddedLayout default_layout = TILL_EMBEDDED_LAYOUT_DEFAULT;
  TillBarcode *barcode = g_new0 (TillBarcode, 1);
  const char *start, *end;

  if (text == NULL)
    text = "";
  if (layout == NULL || layout->item_digits < 4 || layout->item_digits > 7)
    {
      if (layout != NULL)
        g_warning ("Embedded barcode layout with %u item digits is not supported; "
                   "using the default layout", layout->item_digits);
      layout = &default_layout;
    }

  start = text;
  end = text + strlen (text);
  while (start < end && is_trim_char (*start))
    start++;
  while (end > start && is_trim_char (end[-1]))
    end--;

  barcode->kind = TILL_BARCODE_UNKNOWN;
  if (g_utf8_validate (start, end - start, NULL))
    {
      barcode->code = g_strndup (start, end - start);
      classify_code (barcode, layout);
    }
  else
    {
      /* Bytes from a misconfigured scanner: unknown, but keep the code printable. */
      barcode->code = g_utf8_make_valid (start, end - start);
    }

  return barcode;
}

void
till_barcode_free (TillBarcode *barcode)
{
  if (barcode == NULL)
    return;
  g_free (barcode->code);
  g_free (barcode->item_code);
  g_free (barcode);
}

TillBarcode *
till_barcode_copy (const TillBarcode *barcode)
{
  TillBarcode *copy;

  g_return_val_if_fail (barcode != NULL, NULL);

  copy = g_new0 (TillBarcode, 1);
  copy->kind = barcode->kind;
  copy->code = g_strdup (barcode->code);
  copy->item_code = g_strdup (barcode->item_code);
  copy->value = barcode->value;
  return copy;
}

gboolean
till_barcode_kind_is_payment (TillBarcodeKind kind)
{
  return kind == TILL_BARCODE_WECHAT_PAY
         || kind == TILL_BARCODE_ALIPAY
         || kind == TILL_BARCODE_UNIONPAY;
}

const char *
till_barcode_kind_to_string (TillBarcodeKind kind)
{
  switch (kind)
    {
    case TILL_BARCODE_UNKNOWN:          return "unknown";
    case TILL_BARCODE_EAN13:            return "ean13";
    case TILL_BARCODE_EAN8:             return "ean8";
    case TILL_BARCODE_UPCA:             return "upca";
    case TILL_BARCODE_EMBEDDED_WEIGHT:  return "embedded-weight";
    case TILL_BARCODE_EMBEDDED_PRICE:   return "embedded-price";
    case TILL_BARCODE_WECHAT_PAY:       return "wechat-pay";
    case TILL_BARCODE_ALIPAY:           return "alipay";
    case TILL_BARCODE_UNIONPAY:         return "unionpay";
    case TILL_BARCODE_RECEIPT:          return "receipt";
    case TILL_BARCODE_PLU:              return "plu";
    case TILL_BARCODE_MEMBER:           return "member";
    default:                            return "unknown";
    }
}

char *
till_barcode_receipt_code (const char *sale_number)
{
  g_return_val_if_fail (sale_number != NULL, NULL);

  return g_strconcat (TILL_RECEIPT_CODE_PREFIX, sale_number, NULL);
}
