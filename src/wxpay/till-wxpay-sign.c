/* SPDX-License-Identifier: GPL-3.0-or-later */
/* WeChat Pay API v3 signatures with GnuTLS: keys, SHA256withRSA, messages, Authorization. */
#define G_LOG_DOMAIN "till-pay"
#include "config.h"

#include "till-wxpay-sign.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "till-pay-error.h"

#define TILL_WXPAY_AUTH_SCHEME "WECHATPAY2-SHA256-RSA2048"
#define TILL_KEY_FILE_MAX      (64 * 1024)

struct _TillRsaKey
{
  gint                  ref_count;
  gnutls_x509_privkey_t x509;   /* NULL for a public key */
  gnutls_privkey_t      priv;   /* NULL for a public key */
  gnutls_pubkey_t       pub;    /* always set */
};

static TillRsaKey *
till_rsa_key_alloc (void)
{
  TillRsaKey *key = g_new0 (TillRsaKey, 1);
  key->ref_count = 1;
  return key;
}

TillRsaKey *
till_rsa_key_ref (TillRsaKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);
  g_atomic_int_inc (&key->ref_count);
  return key;
}

void
till_rsa_key_unref (TillRsaKey *key)
{
  if (key == NULL)
    return;
  if (!g_atomic_int_dec_and_test (&key->ref_count))
    return;
  if (key->pub != NULL)
    gnutls_pubkey_deinit (key->pub);
  if (key->priv != NULL)
    gnutls_privkey_deinit (key->priv);
  if (key->x509 != NULL)
    gnutls_x509_privkey_deinit (key->x509);
  g_free (key);
}

static void
set_key_error (GError **error, const char *what, int ret)
{
  g_message ("RSA key: %s: %s", what, gnutls_strerror (ret));
  g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
               _("The payment key is not usable (%s: %s)"), what, gnutls_strerror (ret));
}

/* Wraps an imported x509 private key (takes ownership) into a TillRsaKey. */
static TillRsaKey *
till_rsa_key_from_x509 (gnutls_x509_privkey_t x509, GError **error)
{
  g_autoptr(TillRsaKey) key = till_rsa_key_alloc ();
  int ret;

  key->x509 = x509;

  if (gnutls_x509_privkey_get_pk_algorithm (x509) != GNUTLS_PK_RSA)
    {
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                           _("The payment key is not an RSA key"));
      return NULL;
    }

  if ((ret = gnutls_privkey_init (&key->priv)) < 0 ||
      (ret = gnutls_privkey_import_x509 (key->priv, x509, 0)) < 0)
    {
      set_key_error (error, "import private key", ret);
      return NULL;
    }
  if ((ret = gnutls_pubkey_init (&key->pub)) < 0 ||
      (ret = gnutls_pubkey_import_privkey (key->pub, key->priv, 0, 0)) < 0)
    {
      set_key_error (error, "derive public key", ret);
      return NULL;
    }

  return g_steal_pointer (&key);
}

TillRsaKey *
till_rsa_key_load_private_pem (const char *pem, gsize len, GError **error)
{
  gnutls_x509_privkey_t x509 = NULL;
  gnutls_datum_t data;
  int ret;

  g_return_val_if_fail (pem != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len > G_MAXUINT32)
    {
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                           _("The payment key is too large"));
      return NULL;
    }

  data.data = (unsigned char *) pem;
  data.size = (unsigned int) len;

  if ((ret = gnutls_x509_privkey_init (&x509)) < 0)
    {
      set_key_error (error, "init", ret);
      return NULL;
    }

  /* PKCS#8 "PRIVATE KEY" (unencrypted) first, then PKCS#1 "RSA PRIVATE KEY". */
  ret = gnutls_x509_privkey_import_pkcs8 (x509, &data, GNUTLS_X509_FMT_PEM, NULL,
                                          GNUTLS_PKCS_PLAIN);
  if (ret < 0)
    {
      int ret1 = gnutls_x509_privkey_import (x509, &data, GNUTLS_X509_FMT_PEM);
      if (ret1 < 0)
        {
          g_message ("private key PEM: PKCS#8: %s; PKCS#1: %s",
                     gnutls_strerror (ret), gnutls_strerror (ret1));
          gnutls_x509_privkey_deinit (x509);
          g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                               _("The payment private key is not a valid PEM RSA private key "
                                 "(expected “BEGIN PRIVATE KEY” or “BEGIN RSA PRIVATE KEY”)"));
          return NULL;
        }
    }

  return till_rsa_key_from_x509 (x509, error);
}

TillRsaKey *
till_rsa_key_load_public_pem (const char *pem, gsize len, GError **error)
{
  g_autoptr(TillRsaKey) key = NULL;
  gnutls_datum_t data;
  int ret;

  g_return_val_if_fail (pem != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len > G_MAXUINT32)
    {
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                           _("The payment key is too large"));
      return NULL;
    }

  data.data = (unsigned char *) pem;
  data.size = (unsigned int) len;

  key = till_rsa_key_alloc ();
  if ((ret = gnutls_pubkey_init (&key->pub)) < 0)
    {
      set_key_error (error, "init", ret);
      return NULL;
    }
  if ((ret = gnutls_pubkey_import (key->pub, &data, GNUTLS_X509_FMT_PEM)) < 0)
    {
      g_message ("public key PEM: %s", gnutls_strerror (ret));
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                           _("The payment public key is not a valid PEM public key "
                             "(expected “BEGIN PUBLIC KEY”)"));
      return NULL;
    }
  if (gnutls_pubkey_get_pk_algorithm (key->pub, NULL) != GNUTLS_PK_RSA)
    {
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                           _("The payment key is not an RSA key"));
      return NULL;
    }

  return g_steal_pointer (&key);
}

/* Reads a small regular file through one descriptor; with check_private, refuses a file
 * that group or others can read or write (the check is on the opened file: no race). */
static char *
read_key_file (const char *path, gboolean check_private, gsize *out_len, GError **error)
{
  g_autofree char *display = g_filename_display_name (path);
  struct stat st;
  GString *buf;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved = errno;
      g_message ("open %s: %s", display, g_strerror (saved));
      g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                   _("Cannot open the key file “%s”: %s"), display, g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_close (fd, NULL);
      g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                   _("The key file “%s” is not a regular file"), display);
      return NULL;
    }
  if (check_private && (st.st_mode & 077) != 0)
    {
      g_close (fd, NULL);
      g_message ("refusing private key %s with mode %04o", display, (guint) (st.st_mode & 07777));
      g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                   _("The private key file “%s” can be read by other users (mode %04o). "
                     "Make it private with “chmod 600 %s” and try again."),
                   display, (guint) (st.st_mode & 0777), display);
      return NULL;
    }
  if (st.st_size > TILL_KEY_FILE_MAX)
    {
      g_close (fd, NULL);
      g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                   _("The key file “%s” is too large to be a key"), display);
      return NULL;
    }

  buf = g_string_sized_new ((gsize) st.st_size + 1);
  for (;;)
    {
      char chunk[4096];
      ssize_t n = read (fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          g_close (fd, NULL);
          gnutls_memset (buf->str, 0, buf->allocated_len);
          g_string_free (buf, TRUE);
          g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                       _("Cannot read the key file “%s”: %s"), display, g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      g_string_append_len (buf, chunk, n);
      gnutls_memset (chunk, 0, sizeof chunk);
      if (buf->len > TILL_KEY_FILE_MAX)
        {
          g_close (fd, NULL);
          gnutls_memset (buf->str, 0, buf->allocated_len);
          g_string_free (buf, TRUE);
          g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                       _("The key file “%s” is too large to be a key"), display);
          return NULL;
        }
    }
  g_close (fd, NULL);

  *out_len = buf->len;
  return g_string_free (buf, FALSE);
}

static void
wipe_free (char *secret, gsize len)
{
  if (secret == NULL)
    return;
  gnutls_memset (secret, 0, len);
  g_free (secret);
}

TillRsaKey *
till_rsa_key_load_private_file (const char *path, GError **error)
{
  g_autofree char *display = NULL;
  TillRsaKey *key;
  GError *local = NULL;
  char *pem;
  gsize len = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  pem = read_key_file (path, TRUE, &len, error);
  if (pem == NULL)
    return NULL;
  key = till_rsa_key_load_private_pem (pem, len, &local);
  wipe_free (pem, len);
  if (key == NULL)
    {
      display = g_filename_display_name (path);
      g_propagate_prefixed_error (error, local, "%s: ", display);
    }
  return key;
}

TillRsaKey *
till_rsa_key_load_public_file (const char *path, GError **error)
{
  g_autofree char *display = NULL;
  g_autofree char *pem = NULL;
  TillRsaKey *key;
  GError *local = NULL;
  gsize len = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  pem = read_key_file (path, FALSE, &len, error);
  if (pem == NULL)
    return NULL;
  key = till_rsa_key_load_public_pem (pem, len, &local);
  if (key == NULL)
    {
      display = g_filename_display_name (path);
      g_propagate_prefixed_error (error, local, "%s: ", display);
    }
  return key;
}

TillRsaKey *
till_rsa_key_generate (GError **error)
{
  gnutls_x509_privkey_t x509 = NULL;
  int ret;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((ret = gnutls_x509_privkey_init (&x509)) < 0)
    {
      set_key_error (error, "init", ret);
      return NULL;
    }
  if ((ret = gnutls_x509_privkey_generate (x509, GNUTLS_PK_RSA, 2048, 0)) < 0)
    {
      gnutls_x509_privkey_deinit (x509);
      set_key_error (error, "generate RSA-2048", ret);
      return NULL;
    }
  return till_rsa_key_from_x509 (x509, error);
}

static char *
datum_to_string (gnutls_datum_t *d)
{
  char *s = g_malloc (d->size + 1);
  memcpy (s, d->data, d->size);
  s[d->size] = '\0';
  gnutls_memset (d->data, 0, d->size);
  gnutls_free (d->data);
  d->data = NULL;
  return s;
}

char *
till_rsa_key_export_private_pkcs8_pem (TillRsaKey *key, GError **error)
{
  gnutls_datum_t out = { NULL, 0 };
  int ret;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (key->x509 == NULL)
    {
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                           _("This payment key has no private part"));
      return NULL;
    }
  ret = gnutls_x509_privkey_export2_pkcs8 (key->x509, GNUTLS_X509_FMT_PEM, NULL,
                                           GNUTLS_PKCS_PLAIN, &out);
  if (ret < 0)
    {
      set_key_error (error, "export PKCS#8", ret);
      return NULL;
    }
  return datum_to_string (&out);
}

char *
till_rsa_key_export_public_pem (TillRsaKey *key, GError **error)
{
  gnutls_datum_t out = { NULL, 0 };
  int ret;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ret = gnutls_pubkey_export2 (key->pub, GNUTLS_X509_FMT_PEM, &out);
  if (ret < 0)
    {
      set_key_error (error, "export public key", ret);
      return NULL;
    }
  return datum_to_string (&out);
}

char *
till_rsa_sign_base64 (TillRsaKey *private_key, const char *msg, gsize len, GError **error)
{
  gnutls_datum_t data, sig = { NULL, 0 };
  char *b64;
  int ret;

  g_return_val_if_fail (private_key != NULL, NULL);
  g_return_val_if_fail (msg != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (private_key->priv == NULL)
    {
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                           _("This payment key has no private part"));
      return NULL;
    }
  if (len > G_MAXUINT32)
    {
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_FAILED,
                           _("The message to sign is too large"));
      return NULL;
    }

  data.data = (unsigned char *) (msg != NULL ? msg : "");
  data.size = (unsigned int) len;
  ret = gnutls_privkey_sign_data (private_key->priv, GNUTLS_DIG_SHA256, 0, &data, &sig);
  if (ret < 0)
    {
      set_key_error (error, "sign", ret);
      return NULL;
    }
  b64 = g_base64_encode (sig.data, sig.size);
  gnutls_free (sig.data);
  return b64;
}

static gboolean
is_base64 (const char *s)
{
  gsize n = strlen (s), pad = 0;

  if (n == 0 || n % 4 != 0)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      char c = s[i];
      if (c == '=')
        {
          pad++;
          if (i < n - 2)
            return FALSE;
        }
      else if (pad > 0)
        return FALSE;
      else if (!g_ascii_isalnum (c) && c != '+' && c != '/')
        return FALSE;
    }
  return pad <= 2;
}

gboolean
till_rsa_verify_base64 (TillRsaKey *public_key, const char *msg, gsize len,
                        const char *signature_b64, GError **error)
{
  g_autofree guchar *raw = NULL;
  gnutls_datum_t data, sig;
  gsize raw_len = 0;
  int ret;

  g_return_val_if_fail (public_key != NULL, FALSE);
  g_return_val_if_fail (msg != NULL || len == 0, FALSE);
  g_return_val_if_fail (signature_b64 != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!is_base64 (signature_b64))
    {
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE,
                           _("The signature is not valid Base64"));
      return FALSE;
    }
  if (len > G_MAXUINT32)
    {
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE,
                           _("The signed message is too large"));
      return FALSE;
    }

  raw = g_base64_decode (signature_b64, &raw_len);
  data.data = (unsigned char *) (msg != NULL ? msg : "");
  data.size = (unsigned int) len;
  sig.data = raw;
  sig.size = (unsigned int) raw_len;

  ret = gnutls_pubkey_verify_data2 (public_key->pub, GNUTLS_SIGN_RSA_SHA256, 0, &data, &sig);
  if (ret < 0)
    {
      g_message ("signature check: %s", gnutls_strerror (ret));
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE,
                           _("The signature does not match"));
      return FALSE;
    }
  return TRUE;
}

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
  g_autofree char *values[G_N_ELEMENTS (names)] = { NULL, };
  g_autoptr(TillWxpayAuthorization) auth = NULL;
  const char *p;
  gsize scheme_len = strlen (TILL_WXPAY_AUTH_SCHEME);

  g_return_val_if_fail (header != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

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
