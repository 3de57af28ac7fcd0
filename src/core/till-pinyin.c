/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pinyin search keys from the Unicode Han database's readings (till-pinyin-table.h, made
 * by build-aux/gen-pinyin-table.py). */
#define G_LOG_DOMAIN "till-core"
#include "config.h"

#include <string.h>

#include "till-pinyin.h"
#include "till-pinyin-table.h"

const char *
till_pinyin_unicode_version (void)
{
  return TILL_PINYIN_UNICODE_VERSION;
}

const char *
till_pinyin_readings (gunichar c)
{
  gsize lo = 0, hi = G_N_ELEMENTS (till_pinyin_entries);

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      gunichar cp = till_pinyin_entries[mid] >> 14;

      if (cp == c)
        return till_pinyin_pool + (till_pinyin_entries[mid] & 0x3fff);
      if (cp < c)
        lo = mid + 1;
      else
        hi = mid;
    }
  return NULL;
}

static gboolean
is_kept (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
      return TRUE;
    default:
      return FALSE;
    }
}

char *
till_pinyin_normalize (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *nfkc = NULL;
  g_autofree char *lower = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");
  valid = g_utf8_make_valid (text, -1);
  nfkc = g_utf8_normalize (valid, -1, G_NORMALIZE_ALL_COMPOSE);
  if (nfkc == NULL)
    return g_strdup ("");
  lower = g_utf8_strdown (nfkc, -1);
  out = g_string_sized_new (strlen (lower));
  for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_kept (c))
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* Appends each of `alternatives` to every key (the first alternative to the existing keys,
 * the others to copies while there is room). */
static void
extend_keys (GPtrArray  *keys,
             GPtrArray  *alternatives)
{
  guint n = keys->len;

  for (guint a = 1; a < alternatives->len; a++)
    for (guint k = 0; k < n && keys->len < TILL_PINYIN_MAX_KEYS; k++)
      {
        GString *copy = g_string_new (((GString *) keys->pdata[k])->str);

        g_string_append (copy, alternatives->pdata[a]);
        g_ptr_array_add (keys, copy);
      }
  for (guint k = 0; k < n; k++)
    g_string_append (keys->pdata[k], alternatives->pdata[0]);
}

static void
string_free (gpointer data)
{
  g_string_free (data, TRUE);
}

GPtrArray *
till_pinyin_keys (const char        *name,
                  TillPinyinKeyKind  kind)
{
  g_autofree char *norm = till_pinyin_normalize (name);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (string_free);
  g_autoptr(GPtrArray) alternatives = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  if (*norm == '\0')
    return out;
  g_ptr_array_add (keys, g_string_new (NULL));
  for (const char *p = norm; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *readings = till_pinyin_readings (c);

      if (((GString *) keys->pdata[0])->len >= TILL_PINYIN_MAX_KEY_BYTES)
        break;
      g_ptr_array_set_size (alternatives, 0);
      if (readings == NULL)
        {
          char buf[8];

          buf[g_unichar_to_utf8 (c, buf)] = '\0';
          g_ptr_array_add (alternatives, g_strdup (buf));
        }
      else
        {
          g_auto(GStrv) each = g_strsplit (readings, " ", -1);

          for (guint i = 0; each[i] != NULL; i++)
            {
              g_autofree char *alt = kind == TILL_PINYIN_INITIALS ? g_strndup (each[i], 1)
                                                                 : g_strdup (each[i]);
              gboolean dup = FALSE;

              for (guint j = 0; j < alternatives->len && !dup; j++)
                dup = g_str_equal (alternatives->pdata[j], alt);
              if (!dup)
                g_ptr_array_add (alternatives, g_steal_pointer (&alt));
            }
        }
      extend_keys (keys, alternatives);
    }
  for (guint k = 0; k < keys->len; k++)
    {
      GString *key = keys->pdata[k];

      if (key->len > TILL_PINYIN_MAX_KEY_BYTES)
        {
          /* Cut at a character boundary. */
          const char *end = key->str + TILL_PINYIN_MAX_KEY_BYTES;

          end = g_utf8_find_prev_char (key->str, end + 1);
          g_string_truncate (key, end != NULL ? (gsize) (end - key->str) : 0);
        }
      if (key->len == 0 || g_hash_table_contains (seen, key->str))
        continue;
      g_ptr_array_add (out, g_strdup (key->str));
      g_hash_table_add (seen, out->pdata[out->len - 1]);
    }
  return out;
}

GPtrArray *
till_pinyin_later_words (const char *name)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *valid = NULL;
  gboolean in_word = FALSE, seen_word = FALSE;

  if (name == NULL)
    return out;
  valid = g_utf8_make_valid (name, -1);
  for (const char *p = valid; *p != '\0' && out->len < TILL_PINYIN_MAX_WORDS;
       p = g_utf8_next_char (p))
    {
      g_autofree char *nfkc = g_utf8_normalize (p, g_utf8_next_char (p) - p,
                                                G_NORMALIZE_ALL_COMPOSE);
      gboolean kept = nfkc != NULL && *nfkc != '\0' && is_kept (g_utf8_get_char (nfkc));

      if (kept && !in_word && seen_word)
        {
          g_autofree char *norm = till_pinyin_normalize (p);

          if (*norm != '\0')
            g_ptr_array_add (out, g_strdup (p));
        }
      if (kept)
        seen_word = TRUE;
      in_word = kept;
    }
  return out;
}

gboolean
till_pinyin_is_latin_query (const char *query)
{
  gboolean letter = FALSE;

  if (query == NULL || *query == '\0')
    return FALSE;
  for (const char *p = query; *p != '\0'; p++)
    {
      if (g_ascii_isalpha (*p))
        letter = TRUE;
      else if (!g_ascii_isdigit (*p))
        return FALSE;
    }
  return letter;
}

gboolean
till_pinyin_is_digits (const char *query)
{
  if (query == NULL || *query == '\0')
    return FALSE;
  for (const char *p = query; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}
