/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Member codes: "M" + 9 digits + a Damm check digit (see till-member-code.h). */
#define G_LOG_DOMAIN "till-core"
#include "config.h"

#include <string.h>

#include "till-member-code.h"

/* The Damm algorithm's totally anti-symmetric quasigroup of order 10. */
static const guint8 damm_table[10][10] = {
  { 0, 3, 1, 7, 5, 9, 8, 6, 4, 2 }, { 7, 0, 9, 2, 1, 5, 4, 8, 6, 3 },
  { 4, 2, 0, 6, 8, 7, 1, 3, 5, 9 }, { 1, 7, 5, 0, 9, 8, 3, 4, 2, 6 },
  { 6, 1, 2, 3, 0, 4, 5, 9, 7, 8 }, { 3, 6, 7, 4, 2, 0, 9, 5, 8, 1 },
  { 5, 8, 6, 9, 7, 2, 0, 1, 3, 4 }, { 8, 9, 4, 5, 3, 6, 2, 0, 1, 7 },
  { 9, 4, 3, 8, 6, 1, 7, 2, 0, 5 }, { 2, 5, 8, 1, 4, 3, 6, 7, 9, 0 },
};

int
till_member_code_check_digit (const char *digits, gsize len)
{
  guint interim = 0;

  g_return_val_if_fail (digits != NULL || len == 0, -1);

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (digits[i]))
        return -1;
      interim = damm_table[interim][digits[i] - '0'];
    }
  return (int)interim;
}

char *
till_member_code_make (guint64 body)
{
  char digits[TILL_MEMBER_CODE_BODY_DIGITS + 1];

  if (body > TILL_MEMBER_CODE_MAX_BODY)
    return NULL;
  g_snprintf (digits, sizeof digits, "%09" G_GUINT64_FORMAT, body);
  return g_strdup_printf ("%c%s%d", TILL_MEMBER_CODE_PREFIX, digits,
                          till_member_code_check_digit (digits, TILL_MEMBER_CODE_BODY_DIGITS));
}

char *
till_member_code_normalize (const char *text)
{
  int check;

  if (text == NULL || strlen (text) != TILL_MEMBER_CODE_LENGTH)
    return NULL;
  if (g_ascii_toupper (text[0]) != TILL_MEMBER_CODE_PREFIX)
    return NULL;
  check = till_member_code_check_digit (text + 1, TILL_MEMBER_CODE_BODY_DIGITS);
  if (check < 0 || !g_ascii_isdigit (text[TILL_MEMBER_CODE_LENGTH - 1])
      || check != text[TILL_MEMBER_CODE_LENGTH - 1] - '0')
    return NULL;
  return g_strdup_printf ("%c%s", TILL_MEMBER_CODE_PREFIX, text + 1);
}

gboolean
till_member_code_valid (const char *text)
{
  g_autofree char *code = till_member_code_normalize (text);

  return code != NULL;
}
