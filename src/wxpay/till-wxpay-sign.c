/* SPDX-License-Identifier: GPL-3.0-or-later */
/* WeChat Pay API v3 signatures: messages, the Authorization header, answers verified (the
 * RSA keys are in src/crypto/till-rsa-key.c). */
#define G_LOG_DOMAIN "till-pay"
#include "config.h"

#include "till-wxpay-sign.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "till-pay-error.h"

#define TILL_WXPAY_AUTH_SCHEME "WECHATPAY2-SHA256-RSA2048"

char *
till_wxpay_request_message (const char *method, const char *canonical_url,
                            gint64 timestamp, const char *nonce,
                            const char *body, gsize body_len)
{
  GString *s;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (canonical_url != NULL, NULL);
  g_return_val_if_fail (nonce != NULL, NULL);
  g_return_val_if_fail (body != NULL || body_len == 0, NULL);

  s = g_string_sized_new (strlen (canonical_url) + body_len + 96);
  g_string_append (s, method);
  g_string_append_c (s, '\n');
  g_string_append (s, canonical_url);
  g_string_append_c (s, '\n');
  g_string_append_printf (s, "%" G_GINT64_FORMAT "\n", timestamp);
  g_string_append (s, nonce);
  g_string_append_c (s, '\n');
  if (body != NULL)
    g_string_append_len (s, body, (gssize) body_len);
  g_string_append_c (s, '\n');
  return g_string_free (s, FALSE);
}

char *
till_wxpay_response_message (const char *timestamp, const char *nonce,
                             const char *body, gsize body_len)
{
  GString *s;

  g_return_val_if_fail (timestamp != NULL, NULL);
  g_return_val_if_fail (nonce != NULL, NULL);
  g_return_val_if_fail (body != NULL || body_len == 0, NULL);

  s = g_string_sized_new (body_len + 64);
  g_string_append (s, timestamp);
  g_string_append_c (s, '\n');
  g_string_append (s, nonce);
  g_string_append_c (s, '\n');
  if (body != NULL)
    g_string_append_len (s, body, (gssize) body_len);
  g_string_append_c (s, '\n');
  return g_string_free (s, FALSE);
}

char *
till_wxpay_nonce_new (void)
{
  static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  char *nonce = g_malloc (33);
  guint n = 0;

  while (n < 32)
    {
      guint8 buf[48];
      int ret = gnutls_rnd (GNUTLS_RND_NONCE, buf, sizeof buf);

      if (ret < 0)
        g_error ("gnutls_rnd failed: %s", gnutls_strerror (ret));
      /* Rejection sampling: 252 = 7 × 36 keeps the characters uniform. */
      for (gsize i = 0; i < sizeof buf && n < 32; i++)
        if (buf[i] < 252)
          nonce[n++] = alphabet[buf[i] % 36];
    }
  nonce[32] = '\0';
  return nonce;
}

char *
till_wxpay_authorization_build (const char *mchid, const char *nonce, gint64 timestamp,
                                const char *serial_no, const char *signature)
{
  g_return_val_if_fail (mchid != NULL, NULL);
  g_return_val_if_fail (nonce != NULL, NULL);
  g_return_val_if_fail (serial_no != NULL, NULL);
  g_return_val_if_fail (signature != NULL, NULL);

  return g_strdup_printf (TILL_WXPAY_AUTH_SCHEME " mchid=\"%s\",nonce_str=\"%s\","
                          "timestamp=\"%" G_GINT64_FORMAT "\",serial_no=\"%s\",signature=\"%s\"",
                          mchid, nonce, timestamp, serial_no, signature);
}

void
till_wxpay_authorization_free (TillWxpayAuthorization *auth)
{
  if (auth == NULL)
    return;
  g_free (auth->mchid);
  g_free (auth->nonce_str);
  g_free (auth->serial_no);
  g_free (auth->signature);
  g_free (auth);
}

static gboolean
auth_fail (GError **error, const char *detail)
{
  g_message ("Authorization header rejected: %s", detail);
  g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE,
               _("Invalid Authorization header: %s"), detail);
  return FALSE;
}

TillWxpayAuthorization *
till_wxpay_authorization_parse (const char *header, GError **error)
{
  static const char *const names[] = { "mchid", "nonce_str", "timestamp", "serial_no", "signature" };
  /* Not `g_autofree char *values[N]`: that frees values[0] alone. */
  g_autoptr(GPtrArray) items = g_ptr_array_new_full (G_N_ELEMENTS (names), g_free);
  char **values;
  g_autoptr(TillWxpayAuthorization) auth = NULL;
  const char *p;
  gsize scheme_len = strlen (TILL_WXPAY_AUTH_SCHEME);

  g_return_val_if_fail (header != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_ptr_array_set_size (items, G_N_ELEMENTS (names));
  values = (char **) items->pdata;
  p = header;
  while (*p == ' ' || *p == '\t')
    p++;
  /* Auth schemes are case-insensitive (RFC 9110 §11.1). */
  if (g_ascii_strncasecmp (p, TILL_WXPAY_AUTH_SCHEME, scheme_len) != 0 ||
      (p[scheme_len] != ' ' && p[scheme_len] != '\t'))
    {
      auth_fail (error, "not the " TILL_WXPAY_AUTH_SCHEME " scheme");
      return NULL;
    }
  p += scheme_len;

  for (;;)
    {
      const char *name_start, *value_start;
      gsize name_len, value_len;
      gssize idx = -1;

      while (*p == ' ' || *p == '\t' || *p == ',')
        p++;
      if (*p == '\0')
        break;

      name_start = p;
      while (g_ascii_isalnum (*p) || *p == '_' || *p == '-')
        p++;
      name_len = (gsize) (p - name_start);
      if (name_len == 0)
        {
          auth_fail (error, "unexpected character");
          return NULL;
        }
      while (*p == ' ' || *p == '\t')
        p++;
      if (*p != '=')
        {
          auth_fail (error, "item without “=”");
          return NULL;
        }
      p++;
      while (*p == ' ' || *p == '\t')
        p++;

      if (*p == '"')
        {
          p++;
          value_start = p;
          while (*p != '\0' && *p != '"')
            p++;
          if (*p != '"')
            {
              auth_fail (error, "unterminated quoted value");
              return NULL;
            }
          value_len = (gsize) (p - value_start);
          p++;
        }
      else
        {
          value_start = p;
          while (*p != '\0' && *p != ',' && *p != ' ' && *p != '\t')
            p++;
          value_len = (gsize) (p - value_start);
        }
      while (*p == ' ' || *p == '\t')
        p++;
      if (*p != '\0' && *p != ',')
        {
          auth_fail (error, "items must be separated by commas");
          return NULL;
        }

      for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
        if (strlen (names[i]) == name_len && strncmp (names[i], name_start, name_len) == 0)
          idx = (gssize) i;
      if (idx < 0)
        continue;   /* unknown items are ignored */
      if (values[idx] != NULL)
        {
          /* Two different values for one item would make the signature ambiguous. */
          g_autofree char *d = g_strdup_printf ("duplicate item “%s”", names[idx]);
          auth_fail (error, d);
          return NULL;
        }
      values[idx] = g_strndup (value_start, value_len);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (values[i] == NULL || values[i][0] == '\0')
      {
        g_autofree char *d = g_strdup_printf ("missing item “%s”", names[i]);
        auth_fail (error, d);
        return NULL;
      }

  auth = g_new0 (TillWxpayAuthorization, 1);
  {
    guint64 ts = 0;
    if (!g_ascii_string_to_unsigned (values[2], 10, 0, G_MAXINT64, &ts, NULL))
      {
        auth_fail (error, "timestamp is not a number of seconds");
        return NULL;
      }
    auth->timestamp = (gint64) ts;
  }
  auth->mchid = g_steal_pointer (&values[0]);
  auth->nonce_str = g_steal_pointer (&values[1]);
  auth->serial_no = g_steal_pointer (&values[3]);
  auth->signature = g_steal_pointer (&values[4]);
  return g_steal_pointer (&auth);
}

static gboolean
response_fail (GError **error, const char *reason)
{
  g_message ("answer signature rejected: %s", reason);
  g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE,
               _("The payment service's answer failed its security check (%s). "
                 "The result is unknown — checking the payment."), reason);
  return FALSE;
}

/* The cashier's words for clocks that differ by offset_s (either way). */
static char *
clock_skew_message (gint64 offset_s)
{
  gint64 a = offset_s < 0 ? -offset_s : offset_s;

  if (a < 2 * 3600)
    return g_strdup_printf (_("The clock of this till and WeChat Pay’s differ by %d minutes — "
                              "check the till’s date and time; payments are not possible "
                              "until it is fixed"), (int) ((a + 30) / 60));
  if (a < 2 * 86400)
    return g_strdup_printf (_("The clock of this till and WeChat Pay’s differ by %d hours — "
                              "check the till’s date and time; payments are not possible "
                              "until it is fixed"), (int) ((a + 1800) / 3600));
  return g_strdup_printf (_("The clock of this till and WeChat Pay’s differ by %d days — "
                            "check the till’s date and time; payments are not possible "
                            "until it is fixed"), (int) MIN ((a + 43200) / 86400, G_MAXINT));
}

gboolean
till_wxpay_verify_response (TillRsaKey *platform_key, const char *expected_key_id,
                            const char *timestamp, const char *nonce,
                            const char *signature, const char *serial,
                            const char *body, gsize body_len,
                            gint64 now_s, GError **error)
{
  g_autofree char *msg = NULL;
  g_autoptr(GError) local = NULL;
  guint64 ts = 0;
  gint64 offset;
  gsize msg_len;

  g_return_val_if_fail (platform_key != NULL, FALSE);
  g_return_val_if_fail (expected_key_id != NULL, FALSE);
  g_return_val_if_fail (body != NULL || body_len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (timestamp == NULL || *timestamp == '\0')
    return response_fail (error, "missing Wechatpay-Timestamp");
  if (nonce == NULL || *nonce == '\0')
    return response_fail (error, "missing Wechatpay-Nonce");
  if (signature == NULL || *signature == '\0')
    return response_fail (error, "missing Wechatpay-Signature");
  if (serial == NULL || *serial == '\0')
    return response_fail (error, "missing Wechatpay-Serial");

  if (strcmp (serial, expected_key_id) != 0)
    {
      g_autofree char *r = g_strdup_printf ("signed with key “%s”, expected “%s”",
                                            serial, expected_key_id);
      return response_fail (error, r);
    }

  if (!g_ascii_string_to_unsigned (timestamp, 10, 0, G_MAXINT64, &ts, NULL))
    return response_fail (error, "Wechatpay-Timestamp is not a number");

  /* The signature first: only a genuine answer's timestamp says anything about the
   * provider's clock. */
  msg = till_wxpay_response_message (timestamp, nonce, body, body_len);
  msg_len = strlen (timestamp) + 1 + strlen (nonce) + 1 + body_len + 1;
  if (!till_rsa_verify_base64 (platform_key, msg, msg_len, signature, &local))
    return response_fail (error, local->message);

  offset = (gint64) ts - now_s;
  if (offset >= TILL_WXPAY_MAX_SKEW_S || offset <= -TILL_WXPAY_MAX_SKEW_S)
    {
      g_autofree char *text = clock_skew_message (offset);

      g_message ("answer rejected: its timestamp is %" G_GINT64_FORMAT " s off this till's "
                 "clock (the window is %d s)", offset, TILL_WXPAY_MAX_SKEW_S);
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE, text);
      if (error != NULL)
        till_pay_error_set_clock_skew_s (*error, offset);
      return FALSE;
    }

  return TRUE;
}
