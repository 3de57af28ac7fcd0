/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RSA keys with GnuTLS: loading (PEM or a bare Base64 body), key files refused when others
 * can read them, generating, exporting, SHA256withRSA signing and verifying in Base64. */
#define G_LOG_DOMAIN "till-crypto"
#include "config.h"

#include "till-rsa-key.h"

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

static TillRsaKey *
load_private_armoured (const char *pem, gsize len, GError **error)
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

static TillRsaKey *
load_public_armoured (const char *pem, gsize len, GError **error)
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

/* ---- a bare Base64 body (no "-----BEGIN" line) ---- */

static void
wipe_string_free (GString *s)
{
  if (s == NULL)
    return;
  gnutls_memset (s->str, 0, s->allocated_len);
  g_string_free (s, TRUE);
}

typedef GString SecretText;   /* a GString wiped when freed */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecretText, wipe_string_free)

/* The text in the armour of `label` when it is nothing but Base64 (and white space, which
 * is dropped), else NULL. */
static GString *
armour_bare_base64 (const char *text,
                    gsize       len,
                    const char *label)
{
  g_autoptr(SecretText) body = g_string_sized_new (len);
  GString *pem;

  if (g_strstr_len (text, (gssize) len, "-----BEGIN") != NULL)
    return NULL;
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (g_ascii_isspace (c))
        continue;
      if (!g_ascii_isalnum (c) && c != '+' && c != '/' && c != '=')
        return NULL;
      g_string_append_c (body, c);
    }
  if (body->len == 0 || body->len % 4 != 0)
    return NULL;
  pem = g_string_sized_new (body->len + body->len / 64 + 80);
  g_string_append_printf (pem, "-----BEGIN %s-----\n", label);
  for (gsize i = 0; i < body->len; i += 64)
    {
      g_string_append_len (pem, body->str + i, MIN (64, body->len - i));
      g_string_append_c (pem, '\n');
    }
  g_string_append_printf (pem, "-----END %s-----\n", label);
  return pem;
}

TillRsaKey *
till_rsa_key_load_private_pem (const char *pem, gsize len, GError **error)
{
  g_autoptr(SecretText) pkcs8 = NULL;
  g_autoptr(SecretText) pkcs1 = NULL;
  TillRsaKey *key;

  g_return_val_if_fail (pem != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  pkcs8 = len <= G_MAXUINT32 ? armour_bare_base64 (pem, len, "PRIVATE KEY") : NULL;
  if (pkcs8 == NULL)
    return load_private_armoured (pem, len, error);
  /* Alipay's key tool gives either body without its armour: PKCS#8 first, then PKCS#1. */
  key = load_private_armoured (pkcs8->str, pkcs8->len, NULL);
  if (key != NULL)
    return key;
  pkcs1 = armour_bare_base64 (pem, len, "RSA PRIVATE KEY");
  return load_private_armoured (pkcs1->str, pkcs1->len, error);
}

TillRsaKey *
till_rsa_key_load_public_pem (const char *pem, gsize len, GError **error)
{
  g_autoptr(SecretText) spki = NULL;

  g_return_val_if_fail (pem != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  spki = len <= G_MAXUINT32 ? armour_bare_base64 (pem, len, "PUBLIC KEY") : NULL;
  if (spki == NULL)
    return load_public_armoured (pem, len, error);
  return load_public_armoured (spki->str, spki->len, error);
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
