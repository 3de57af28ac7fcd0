/* SPDX-License-Identifier: GPL-3.0-or-later */
/* JSON string literals for the core layer's JSON output. */
#define G_LOG_DOMAIN "till-core"
#include "config.h"

#include "till-json-private.h"

void
_till_json_append_string (GString    *out,
                          const char *text)
{
  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}
