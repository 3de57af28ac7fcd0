/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Classification of scanned or typed codes: payment codes, retail barcodes with their
 * check digits, weight/price-embedded EAN-13 (prefix 2), Tillpoint receipt codes and
 * member codes (till-member-code.h). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TILL_BARCODE_UNKNOWN = 0,
  TILL_BARCODE_EAN13,
  TILL_BARCODE_EAN8,
  TILL_BARCODE_UPCA,
  TILL_BARCODE_EMBEDDED_WEIGHT,  /* EAN-13 prefix 2, value = grams */
  TILL_BARCODE_EMBEDDED_PRICE,   /* EAN-13 prefix 2, value = fen */
  TILL_BARCODE_WECHAT_PAY,       /* ^1[0-5][0-9]{16}$ */
  TILL_BARCODE_ALIPAY,           /* ^(2[5-9]|30)[0-9]{14,22}$ */
  TILL_BARCODE_UNIONPAY,         /* ^62[0-9]{17}$ */
  TILL_BARCODE_RECEIPT,          /* TILLPOINT-SALE-<sale number> */
  TILL_BARCODE_PLU,              /* 1..7 digits typed by a person: a PLU */
  TILL_BARCODE_MEMBER,           /* M + 9 digits + Damm check digit (till-member-code.h) */
} TillBarcodeKind;

typedef enum
{
  TILL_EMBEDDED_WEIGHT_GRAMS = 0,
  TILL_EMBEDDED_PRICE_FEN,
} TillEmbeddedValue;

/* Layout of prefix-2 EAN-13 codes printed by shop scales:
 *   '2' + item code (item_digits digits) + value (11 - item_digits digits) + check digit.
 * The item code is matched against product.plu. Defaults: 6 item digits, 5 value
 * digits, weight in grams. */
typedef struct
{
  guint             item_digits;  /* 4..7 */
  TillEmbeddedValue value_kind;
} TillEmbeddedLayout;

#define TILL_EMBEDDED_LAYOUT_DEFAULT ((TillEmbeddedLayout) { 6, TILL_EMBEDDED_WEIGHT_GRAMS })

#define TILL_RECEIPT_CODE_PREFIX "TILLPOINT-SALE-"

typedef struct
{
  TillBarcodeKind kind;
  char           *code;       /* the normalized code (trimmed, CR/LF/Tab stripped) */
  char           *item_code;  /* embedded kinds: the item code; receipt: the sale number;
                               member: the member code in its stored form ("M…") */
  gint64          value;      /* embedded kinds: grams or fen; otherwise 0 */
} TillBarcode;

/* Never fails: anything unrecognized is TILL_BARCODE_UNKNOWN. A retail-looking code with
 * a wrong check digit is UNKNOWN too. Pass NULL for the default layout. */
TillBarcode *till_barcode_classify        (const char               *text,
                                           const TillEmbeddedLayout *layout);
void         till_barcode_free            (TillBarcode              *barcode);
TillBarcode *till_barcode_copy            (const TillBarcode        *barcode);

gboolean     till_barcode_kind_is_payment (TillBarcodeKind           kind);
const char  *till_barcode_kind_to_string  (TillBarcodeKind           kind);

/* GS1 mod-10 check digit over `digits` (all but the check digit). Returns -1 on non-digits. */
int          till_barcode_gs1_check_digit (const char               *digits,
                                           gsize                     len);
/* TRUE when `code` is all digits, of length 8, 12 or 13, with a correct GS1 check digit. */
gboolean     till_barcode_gs1_valid       (const char               *code);

char        *till_barcode_receipt_code    (const char               *sale_number);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillBarcode, till_barcode_free)

G_END_DECLS
