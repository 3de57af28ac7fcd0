/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The member code printed on a member's card (as a barcode or a QR) or shown on a phone:
 * "M" + 9 digits + a Damm check digit, e.g. "M1234567898". The letter keeps it apart from
 * every all-digit code the till reads (EAN/UPC, PLUs, scale labels, WeChat Pay, Alipay and
 * UnionPay payment codes) and the length and prefix from a receipt code
 * ("TILLPOINT-SALE-…"); the Damm digit catches every single wrong digit and every swap of
 * two neighbouring digits. A scanner with Caps Lock on types "m": it is read as "M". */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TILL_MEMBER_CODE_PREFIX 'M'
#define TILL_MEMBER_CODE_BODY_DIGITS 9
#define TILL_MEMBER_CODE_LENGTH (1 + TILL_MEMBER_CODE_BODY_DIGITS + 1)
/* Bodies are 0 .. TILL_MEMBER_CODE_MAX_BODY. */
#define TILL_MEMBER_CODE_MAX_BODY G_GUINT64_CONSTANT (999999999)

/* The Damm check digit of `digits` (`len` ASCII digits), or -1 when one is not a digit. */
int
till_member_code_check_digit (const char *digits, gsize len);
/* The code of `body` (0 .. TILL_MEMBER_CODE_MAX_BODY): "M", the body zero-padded to 9
 * digits, its check digit. NULL for a body out of range. */
char *
till_member_code_make (guint64 body);
/* The code in its stored form ("M" upper case), or NULL when `text` (already trimmed) is
 * not a member code: wrong prefix, length, a non-digit or a wrong check digit. */
char *
till_member_code_normalize (const char *text);
/* Whether `text` is a member code (see till_member_code_normalize()). */
gboolean
till_member_code_valid (const char *text);

G_END_DECLS
