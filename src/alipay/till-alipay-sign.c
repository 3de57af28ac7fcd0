/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Alipay classic gateway signatures: request sign content, RSA2, answers verified over the
 * raw bytes of their `<method>_response` object, GMT+8 timestamps. */
#define G_LOG_DOMAIN "till-alipay"
#include "config.h"

#include "till-alipay-sign.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "till-pay-error.h"

#define GMT8_OFFSET_S (8 * 3600)

/* ---- timestamps ---- */

char *
till_alipay_timestamp_format (gint64 unix_us)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (GMT8_OFFSET_S);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (utc != NULL, NULL);
  local = g_date_time_to_timezone (utc, tz);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

gboolean
till_alipay_timestamp_parse (const char *text,
                             gint64     *out_unix_s)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) dt = NULL;
  int f[6];
  const int width[6] = { 4, 2, 2, 2, 2, 2 };
  const char sep[6] = { '-', '-', ' ', ':', ':', '\0' };
  const char *p = text;

  if (text == NULL || strlen (text) != 19)
    return FALSE;
  for (int i = 0; i < 6; i++)
    {
      f[i] = 0;
      for (int k = 0; k < width[i]; k++, p++)
        {
          if (!g_ascii_isdigit (*p))
            return FALSE;
          f[i] = f[i] * 10 + (*p - '0');
        }
      if (*p != sep[i])
        return FALSE;
      if (i < 5)
        p++;
    }
  tz = g_time_zone_new_offset (GMT8_OFFSET_S);
  dt = g_date_time_new (tz, f[0], f[1], f[2], f[3], f[4], f[5]);
  /* GDateTime accepts 2024-02-30 as nothing, but 24:00 or :60 too: be strict. */
  if (dt == NULL || f[3] > 23 || f[4] > 59 || f[5] > 59)
    return FALSE;
  *out_unix_s = g_date_time_to_unix (dt);
  return TRUE;
}

/* ---- requests ---- */

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

char *
till_alipay_sign_content (GHashTable *params)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;
  GString *s = g_string_new (NULL);

  g_return_val_if_fail (params != NULL, NULL);

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (value != NULL && *(const char *) value != '\0' && strcmp (key, "sign") != 0)
      g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_keys);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *k = g_ptr_array_index (keys, i);

      if (i > 0)
        g_string_append_c (s, '&');
      g_string_append (s, k);
      g_string_append_c (s, '=');
      g_string_append (s, g_hash_table_lookup (params, k));
    }
  return g_string_free (s, FALSE);
}

char *
till_alipay_sign_params (TillRsaKey *app_private_key,
                         GHashTable *params,
                         GError    **error)
{
  g_autofree char *content = NULL;

  g_return_val_if_fail (app_private_key != NULL, NULL);
  g_return_val_if_fail (params != NULL, NULL);

  content = till_alipay_sign_content (params);
  return till_rsa_sign_base64 (app_private_key, content, strlen (content), error);
}

gboolean
till_alipay_verify_params (TillRsaKey *app_public_key,
                           GHashTable *params,
                           GError    **error)
{
  g_autofree char *content = NULL;
  const char *sign;

  g_return_val_if_fail (app_public_key != NULL, FALSE);
  g_return_val_if_fail (params != NULL, FALSE);

  sign = g_hash_table_lookup (params, "sign");
  if (sign == NULL || *sign == '\0')
    {
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE,
                           _("The request is not signed"));
      return FALSE;
    }
  content = till_alipay_sign_content (params);
  return till_rsa_verify_base64 (app_public_key, content, strlen (content), sign, error);
}

/* ---- answers ---- */

char *
till_alipay_response_key (const char *method)
{
  char *key;

  g_return_val_if_fail (method != NULL, NULL);
  key = g_strconcat (method, "_response", NULL);
  g_strdelimit (key, ".", '_');
  return key;
}

/* The first occurrence of the JSON string "<name>" (quotes included) at or after `from`. */
static const char *
find_quoted (const char *body,
             gsize       len,
             gsize       from,
             const char *name)
{
  g_autofree char *quoted = g_strconcat ("\"", name, "\"", NULL);
  gsize n = strlen (quoted);

  for (gsize i = from; i + n <= len; i++)
    if (body[i] == '"' && memcmp (body + i, quoted, n) == 0)
      return body + i;
  return NULL;
}

gboolean
till_alipay_find_signed (const char *body,
                         gsize       len,
                         const char *root_key,
                         gsize      *out_start,
                         gsize      *out_end)
{
  const char *key;
  gsize i, start;
  int depth = 0;
  gboolean in_string = FALSE;

  g_return_val_if_fail (body != NULL || len == 0, FALSE);
  g_return_val_if_fail (root_key != NULL, FALSE);

  key = find_quoted (body, len, 0, root_key);
  if (key == NULL)
    return FALSE;
  /* the value: the first '{' after the key (a '"' first is an encrypted value) */
  for (i = (gsize) (key - body) + strlen (root_key) + 2; i < len; i++)
    {
      if (body[i] == '{')
        break;
      if (body[i] != ':' && !g_ascii_isspace (body[i]))
        return FALSE;
    }
  if (i >= len)
    return FALSE;
  start = i;
  for (; i < len; i++)
    {
      char c = body[i];

      if (c == '"')
        {
          gsize backslashes = 0;

          for (gsize k = i; k > start && body[k - 1] == '\\'; k--)
            backslashes++;
          if (backslashes % 2 == 0)
            in_string = !in_string;
        }
      else if (!in_string && c == '{')
        depth++;
      else if (!in_string && c == '}' && --depth == 0)
        break;
    }
  if (i >= len)
    return FALSE;
  /* EasySDK's rule: the same root key after the signed object is an injection. */
  if (find_quoted (body, len, i + 1, root_key) != NULL)
    return FALSE;
  *out_start = start;
  *out_end = i + 1;
  return TRUE;
}

void
till_alipay_answer_free (TillAlipayAnswer *answer)
{
  if (answer == NULL)
    return;
  g_free (answer->root_key);
  g_clear_pointer (&answer->response, json_object_unref);
  g_free (answer->signed_text);
  g_free (answer->sign);
  g_free (answer);
}

static GError *
protocol_error (const char *detail)
{
  GError *error;

  g_message ("Alipay answer not readable: %s", detail);
  error = g_error_new_literal (TILL_PAY_ERROR, TILL_PAY_ERROR_PROTOCOL,
                               _("Alipay sent an answer the till cannot read. Result unknown — "
                                 "checking the payment."));
  till_pay_error_set_details (error, NULL, NULL, 200);
  return error;
}

/* "\/" → "/" (the only escape the Java SDK undoes before a second try). */
static char *
unescape_slashes (const char *text)
{
  GString *s = g_string_sized_new (strlen (text));

  for (const char *p = text; *p; p++)
    {
      if (p[0] == '\\' && p[1] == '/')
        continue;
      g_string_append_c (s, *p);
    }
  return g_string_free (s, FALSE);
}

TillAlipayAnswer *
till_alipay_answer_read (const char  *body,
                         gsize        len,
                         const char  *method,
                         TillRsaKey  *alipay_public_key,
                         GError     **sig_error,
                         GError     **error)
{
  g_autoptr(TillAlipayAnswer) answer = g_new0 (TillAlipayAnswer, 1);
  g_autoptr(JsonParser) whole = json_parser_new ();
  g_autoptr(JsonParser) part = json_parser_new ();
  g_autoptr(GError) local = NULL;
  g_autofree char *key = NULL;
  JsonNode *root;
  gsize start = 0, end = 0;

  g_return_val_if_fail (body != NULL || len == 0, NULL);
  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (alipay_public_key != NULL, NULL);

  if (len == 0 || !json_parser_load_from_data (whole, body, (gssize) len, &local)
      || (root = json_parser_get_root (whole)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_propagate_error (error, protocol_error (local != NULL ? local->message
                                                              : "not a JSON object"));
      return NULL;
    }

  key = till_alipay_response_key (method);
  if (json_object_has_member (json_node_get_object (root), key))
    answer->root_key = g_steal_pointer (&key);
  else if (json_object_has_member (json_node_get_object (root), "error_response"))
    answer->root_key = g_strdup ("error_response");
  else
    {
      g_autofree char *detail = g_strdup_printf ("no %s in the answer", key);

      g_propagate_error (error, protocol_error (detail));
      return NULL;
    }
  if (!till_alipay_find_signed (body, len, answer->root_key, &start, &end))
    {
      g_autofree char *detail = g_strdup_printf ("%s is not one plain object", answer->root_key);

      g_propagate_error (error, protocol_error (detail));
      return NULL;
    }
  answer->signed_text = g_strndup (body + start, end - start);
  /* The fields are read from the signed bytes themselves, never from elsewhere in the
   * body. */
  if (!json_parser_load_from_data (part, answer->signed_text, -1, &local)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (part)))
    {
      g_propagate_error (error, protocol_error (local != NULL ? local->message : "no object"));
      return NULL;
    }
  answer->response = json_object_ref (json_node_get_object (json_parser_get_root (part)));

  {
    JsonNode *sign = json_object_get_member (json_node_get_object (root), "sign");

    if (sign != NULL && JSON_NODE_HOLDS_VALUE (sign)
        && json_node_get_value_type (sign) == G_TYPE_STRING)
      answer->sign = g_strdup (json_node_get_string (sign));
  }
  if (answer->sign == NULL || *answer->sign == '\0')
    {
      g_set_error_literal (sig_error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE,
                           _("Alipay's answer carries no signature"));
      return g_steal_pointer (&answer);
    }
  g_clear_error (&local);
  answer->verified = till_rsa_verify_base64 (alipay_public_key, answer->signed_text,
                                             end - start, answer->sign, &local);
  if (!answer->verified && strstr (answer->signed_text, "\\/") != NULL)
    {
      g_autofree char *plain = unescape_slashes (answer->signed_text);

      answer->verified = till_rsa_verify_base64 (alipay_public_key, plain, strlen (plain),
                                                 answer->sign, NULL);
    }
  if (!answer->verified)
    {
      g_message ("Alipay answer %s: signature rejected: %s", answer->root_key,
                 local != NULL ? local->message : "-");
      g_set_error_literal (sig_error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE,
                           _("Alipay's answer has a wrong signature"));
    }
  return g_steal_pointer (&answer);
}

char *
till_alipay_answer_body (const char *root_key,
                         const char *content,
                         const char *sign)
{
  GString *s;

  g_return_val_if_fail (root_key != NULL, NULL);
  g_return_val_if_fail (content != NULL, NULL);

  s = g_string_sized_new (strlen (content) + 420);
  g_string_append_printf (s, "{\"%s\":", root_key);
  g_string_append (s, content);
  if (sign != NULL)
    {
      g_string_append (s, ",\"sign\":\"");
      for (const char *p = sign; *p; p++)
        {
          if (*p == '/')
            g_string_append_c (s, '\\');
          g_string_append_c (s, *p);
        }
      g_string_append_c (s, '"');
    }
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}
