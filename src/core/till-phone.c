/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Mobile numbers: normalizing what was typed and masking for display. */
#define G_LOG_DOMAIN "till-core"
#include "config.h"

#include <string.h>

#include "till-phone.h"

#define PHONE_DIGITS 11

static gboolean
is_separator (gunichar c)
{
  return g_unichar_isspace (c) || c == '-' || c == '.' || c == '(' || c == ')' || c == 0x2010
         || c == 0x2013 || c == 0x2014 || c == 0xFF08 || c == 0xFF09 || c == 0xFF0D || c == 0x3000;
}

char *
till_phone_normalize (const char *text)
{
  g_autoptr (GString) digits = g_string_new (NULL);
  const char *p;
  const char *number;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;

  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '+' && digits->len == 0)
        {
          g_string_append_c (digits, '+');
          continue;
        }
      if (c >= 0xFF10 && c <= 0xFF19) /* full-width digits */
        c = '0' + (c - 0xFF10);
      else if (c == 0xFF0B && digits->len == 0) /* full-width plus */
        {
          g_string_append_c (digits, '+');
          continue;
        }
      if (c < 0x80 && g_ascii_isdigit ((char)c))
        g_string_append_c (digits, (char)c);
      else if (!is_separator (c))
        return NULL;
    }

  number = digits->str;
  if (g_str_has_prefix (number, "+86"))
    number += 3;
  else if (number[0] == '+')
    return NULL;
  else if (g_str_has_prefix (number, "0086"))
    number += 4;
  else if (strlen (number) == PHONE_DIGITS + 2 && g_str_has_prefix (number, "86"))
    number += 2;

  if (strlen (number) != PHONE_DIGITS || number[0] != '1' || number[1] < '3')
    return NULL;
  return g_strdup (number);
}

char *
till_phone_mask (const char *phone)
{
  gsize len;

  if (phone == NULL)
    return g_strdup ("****");
  len = strlen (phone);
  if (len == PHONE_DIGITS)
    return g_strdup_printf ("%.3s****%s", phone, phone + PHONE_DIGITS - 4);
  return g_strdup_printf ("****%s", len > 4 ? phone + len - 4 : "");
}
