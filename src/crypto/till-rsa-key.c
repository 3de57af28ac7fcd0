/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RSA keys with OpenSSL's libcrypto: loading (PEM or a bare Base64 body), key files refused
 * when others can read them, generating, exporting, SHA256withRSA signing and verifying. */
#define G_LOG_DOMAIN "till-crypto"
#include "config.h"

#include "till-rsa-key.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "till-pay-error.h"
#define TILL_KEY_FILE_MAX      (64 * 1024)

/* The key is set up once for its digest and padding: every signature or verification
 * copies a ready context (EVP_MD_CTX_copy_ex) instead of looking the algorithms up again
 * in the providers (EVP_DigestSignInit), which costs more than a verification. The ready
 * contexts are never used themselves, only copied, so a key may serve several threads. */
struct _TillRsaKey
{
  gint        ref_count;
  EVP_PKEY   *pkey;          /* always set */
  gboolean    has_private;
  EVP_MD_CTX *sign_ready;    /* NULL for a public key */
  EVP_MD_CTX *verify_ready;  /* always set */
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
  EVP_MD_CTX_free (key->sign_ready);
  EVP_MD_CTX_free (key->verify_ready);
  EVP_PKEY_free (key->pkey);
  g_free (key);
}

/* The first error of OpenSSL's queue (of this thread) as text; the queue is emptied, so
 * that nothing of this failure is left for the next call to find. */
static void
openssl_error_text (char *buf, gsize size)
{
  unsigned long e = ERR_get_error ();

  if (e != 0)
    ERR_error_string_n (e, buf, size);
  else
    g_strlcpy (buf, "unknown error", size);
  ERR_clear_error ();
}

static void
set_key_error (GError **error, const char *what)
{
  char text[256];

  openssl_error_text (text, sizeof text);
  g_message ("RSA key: %s: %s", what, text);
  g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
               _("The payment key is not usable (%s: %s)"), what, text);
}

/* Wraps a key (takes ownership) into a TillRsaKey, with its ready contexts. */
static TillRsaKey *
till_rsa_key_from_pkey (EVP_PKEY *pkey, gboolean has_private, GError **error)
{
  g_autoptr(TillRsaKey) key = till_rsa_key_alloc ();
  EVP_PKEY_CTX *pctx = NULL;

  key->pkey = pkey;
  key->has_private = has_private;

  if (!EVP_PKEY_is_a (pkey, "RSA"))
    {
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                           _("The payment key is not an RSA key"));
      return NULL;
    }

  if (has_private)
    {
      if ((key->sign_ready = EVP_MD_CTX_new ()) == NULL ||
          EVP_DigestSignInit_ex (key->sign_ready, &pctx, "SHA256", NULL, NULL, pkey, NULL) != 1 ||
          EVP_PKEY_CTX_set_rsa_padding (pctx, RSA_PKCS1_PADDING) != 1)
        {
          set_key_error (error, "prepare signing");
          return NULL;
        }
    }
  if ((key->verify_ready = EVP_MD_CTX_new ()) == NULL ||
      EVP_DigestVerifyInit_ex (key->verify_ready, &pctx, "SHA256", NULL, NULL, pkey, NULL) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding (pctx, RSA_PKCS1_PADDING) != 1)
    {
      set_key_error (error, "prepare verifying");
      return NULL;
    }

  return g_steal_pointer (&key);
}

/* Never asks for a pass phrase: an encrypted key does not load. */
static int
no_passphrase_cb (char *buf, int size, int rwflag, void *u)
{
  return -1;
}

static TillRsaKey *
load_private_armoured (const char *pem, gsize len, GError **error)
{
  EVP_PKEY *pkey;
  BIO *bio;

  g_return_val_if_fail (pem != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len > INT_MAX)
    {
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                           _("The payment key is too large"));
      return NULL;
    }

  /* "PRIVATE KEY" (PKCS#8, unencrypted) or "RSA PRIVATE KEY" (PKCS#1). */
  bio = BIO_new_mem_buf (pem, (int) len);
  pkey = bio != NULL ? PEM_read_bio_PrivateKey_ex (bio, NULL, no_passphrase_cb, NULL, NULL, NULL)
                     : NULL;
  BIO_free (bio);
  if (pkey == NULL)
    {
      char text[256];

      openssl_error_text (text, sizeof text);
      g_message ("private key PEM: %s", text);
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                           _("The payment private key is not a valid PEM RSA private key "
                             "(expected “BEGIN PRIVATE KEY” or “BEGIN RSA PRIVATE KEY”)"));
      return NULL;
    }

  return till_rsa_key_from_pkey (pkey, TRUE, error);
}

static TillRsaKey *
load_public_armoured (const char *pem, gsize len, GError **error)
{
  EVP_PKEY *pkey;
  BIO *bio;

  g_return_val_if_fail (pem != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len > INT_MAX)
    {
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                           _("The payment key is too large"));
      return NULL;
    }

  bio = BIO_new_mem_buf (pem, (int) len);
  pkey = bio != NULL ? PEM_read_bio_PUBKEY_ex (bio, NULL, no_passphrase_cb, NULL, NULL, NULL)
                     : NULL;
  BIO_free (bio);
  if (pkey == NULL)
    {
      char text[256];

      openssl_error_text (text, sizeof text);
      g_message ("public key PEM: %s", text);
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                           _("The payment public key is not a valid PEM public key "
                             "(expected “BEGIN PUBLIC KEY”)"));
      return NULL;
    }

  return till_rsa_key_from_pkey (pkey, FALSE, error);
}

/* ---- a bare Base64 body (no "-----BEGIN" line) ---- */

static void
wipe_string_free (GString *s)
{
  if (s == NULL)
    return;
  OPENSSL_cleanse (s->str, s->allocated_len);
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
          OPENSSL_cleanse (buf->str, buf->allocated_len);
          g_string_free (buf, TRUE);
          g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                       _("Cannot read the key file “%s”: %s"), display, g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      g_string_append_len (buf, chunk, n);
      OPENSSL_cleanse (chunk, sizeof chunk);
      if (buf->len > TILL_KEY_FILE_MAX)
        {
          g_close (fd, NULL);
          OPENSSL_cleanse (buf->str, buf->allocated_len);
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
  OPENSSL_cleanse (secret, len);
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
  EVP_PKEY *pkey;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((pkey = EVP_RSA_gen (2048)) == NULL)
    {
      set_key_error (error, "generate RSA-2048");
      return NULL;
    }
  return till_rsa_key_from_pkey (pkey, TRUE, error);
}

/* The text written to a memory BIO (for a private key, one that wipes its memory). */
static char *
bio_take_string (BIO *bio)
{
  char *data = NULL;
  long n = BIO_get_mem_data (bio, &data);
  char *s = g_malloc ((gsize) n + 1);

  memcpy (s, data, (gsize) n);
  s[n] = '\0';
  BIO_free (bio);
  return s;
}

char *
till_rsa_key_export_private_pkcs8_pem (TillRsaKey *key, GError **error)
{
  BIO *bio;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!key->has_private)
    {
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                           _("This payment key has no private part"));
      return NULL;
    }
  bio = BIO_new (BIO_s_secmem ());
  if (bio == NULL ||
      PEM_write_bio_PKCS8PrivateKey (bio, key->pkey, NULL, NULL, 0, NULL, NULL) != 1)
    {
      BIO_free (bio);
      set_key_error (error, "export PKCS#8");
      return NULL;
    }
  return bio_take_string (bio);
}

char *
till_rsa_key_export_public_pem (TillRsaKey *key, GError **error)
{
  BIO *bio;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bio = BIO_new (BIO_s_mem ());
  if (bio == NULL || PEM_write_bio_PUBKEY (bio, key->pkey) != 1)
    {
      BIO_free (bio);
      set_key_error (error, "export public key");
      return NULL;
    }
  return bio_take_string (bio);
}

char *
till_rsa_sign_base64 (TillRsaKey *private_key, const char *msg, gsize len, GError **error)
{
  unsigned char sig[1024];
  size_t sig_len = sizeof sig;
  EVP_MD_CTX *ctx;
  int ok;

  g_return_val_if_fail (private_key != NULL, NULL);
  g_return_val_if_fail (msg != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!private_key->has_private)
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
  if ((gsize) EVP_PKEY_get_size (private_key->pkey) > sizeof sig)
    {
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY,
                           _("The payment key is too large"));
      return NULL;
    }

  ctx = EVP_MD_CTX_new ();
  ok = ctx != NULL &&
       EVP_MD_CTX_copy_ex (ctx, private_key->sign_ready) == 1 &&
       EVP_DigestSign (ctx, sig, &sig_len, (const unsigned char *) (msg != NULL ? msg : ""),
                       len) == 1;
  EVP_MD_CTX_free (ctx);
  if (!ok)
    {
      set_key_error (error, "sign");
      return NULL;
    }
  return g_base64_encode (sig, sig_len);
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
  gsize raw_len = 0;
  EVP_MD_CTX *ctx;
  int ret = -1;

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
  ctx = EVP_MD_CTX_new ();
  if (ctx != NULL && EVP_MD_CTX_copy_ex (ctx, public_key->verify_ready) == 1)
    ret = EVP_DigestVerify (ctx, raw, raw_len, (const unsigned char *) (msg != NULL ? msg : ""),
                            len);
  EVP_MD_CTX_free (ctx);
  if (ret != 1)
    {
      char text[256];

      openssl_error_text (text, sizeof text);
      g_message ("signature check: %s", ret == 0 ? "no match" : text);
      g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE,
                           _("The signature does not match"));
      return FALSE;
    }
  return TRUE;
}
