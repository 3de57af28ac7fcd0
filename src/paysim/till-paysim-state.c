/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's state dir: key pairs, the merchant serial, the platform key id and the
 * self-signed TLS certificate, created on first start and reused afterwards; Alipay's
 * app and platform key pairs, app id, pid and ledger (alipay.md §11). */
#define G_LOG_DOMAIN "till-paysim"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>

#include "till-paysim-alipay.h"
#include "till-paysim-private.h"

static char *
state_path (TillPaysim *self,
            const char *name)
{
  return g_build_filename (self->state_dir, name, NULL);
}

static gboolean
write_file (const char *path,
            const char *contents,
            int         mode,
            GError    **error)
{
  if (!g_file_set_contents_full (path, contents, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 mode, error))
    return FALSE;
  /* g_file_set_contents_full applies the mode through the umask-free open(); be sure. */
  if (g_chmod (path, mode) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Cannot set the mode of %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* Reads a one-line file; NULL with *error unset when it does not exist. */
static char *
read_line_file (const char *path,
                GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_strdup (g_strstrip (contents));
}

static char *
random_string (const char *alphabet,
               guint       n)
{
  guint k = strlen (alphabet);
  g_autofree guchar *raw = g_malloc (n);
  GString *s = g_string_sized_new (n);

  if (gnutls_rnd (GNUTLS_RND_NONCE, raw, n) != 0)
    for (guint i = 0; i < n; i++)
      raw[i] = (guchar) g_random_int ();
  for (guint i = 0; i < n; i++)
    g_string_append_c (s, alphabet[raw[i] % k]);
  return g_string_free (s, FALSE);
}

static gboolean
is_serial (const char *s)
{
  if (strlen (s) != 40)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

static gboolean
is_key_id (const char *s)
{
  if (!g_str_has_prefix (s, "PUB_KEY_ID_") || s[11] == '\0')
    return FALSE;
  for (const char *p = s + 11; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* Loads `private_name` or generates it; (re)writes the public PEM when missing. */
static TillRsaKey *
load_or_create_key_pair (TillPaysim *self,
                         const char *private_name,
                         const char *public_name,
                         GError    **error)
{
  g_autofree char *priv_path = state_path (self, private_name);
  g_autofree char *pub_path = state_path (self, public_name);
  g_autoptr(TillRsaKey) key = NULL;

  if (g_file_test (priv_path, G_FILE_TEST_EXISTS))
    {
      key = till_rsa_key_load_private_file (priv_path, error);
      if (key == NULL)
        return NULL;
    }
  else
    {
      g_autofree char *pem = NULL;

      key = till_rsa_key_generate (error);
      if (key == NULL)
        return NULL;
      pem = till_rsa_key_export_private_pkcs8_pem (key, error);
      if (pem == NULL || !write_file (priv_path, pem, 0600, error))
        return NULL;
      /* A new private key makes any old public key file wrong. */
      g_unlink (pub_path);
      g_message ("Created %s", priv_path);
    }

  if (!g_file_test (pub_path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *pem = till_rsa_key_export_public_pem (key, error);

      if (pem == NULL || !write_file (pub_path, pem, 0644, error))
        return NULL;
    }
  return g_steal_pointer (&key);
}

static char *
load_or_create_line (TillPaysim *self,
                     const char *name,
                     gboolean  (*valid) (const char *),
                     char     *(*create) (void),
                     GError    **error);

static gboolean
is_digits (const char *s,
           gsize       min,
           gsize       max)
{
  gsize n = strlen (s);

  return n >= min && n <= max && strspn (s, "0123456789") == n;
}

static gboolean
is_alipay_app_id (const char *s)
{
  return is_digits (s, 1, 32);
}

static gboolean
is_alipay_pid (const char *s)
{
  return g_str_has_prefix (s, "2088") && is_digits (s, 16, 16);
}

static char *
default_alipay_app_id (void)
{
  return g_strdup (TILL_PAYSIM_DEFAULT_ALIPAY_APP_ID);
}

static char *
default_alipay_pid (void)
{
  return g_strdup (TILL_PAYSIM_DEFAULT_ALIPAY_PID);
}

gboolean
till_paysim_alipay_state_load (TillPaysim *self,
                               GError    **error)
{
  g_autoptr(TillRsaKey) app = NULL;
  g_autofree char *app_public = NULL;
  g_autofree char *ledger_path = NULL;

  /* The app's pair: a third-party client signs with the private key (PKCS#8, 0600); the
   * gateway verifies with the public one, as Alipay holds the key the merchant uploaded. */
  app = load_or_create_key_pair (self, TILL_PAYSIM_FILE_ALIPAY_APP_PRIVATE_KEY,
                                 TILL_PAYSIM_FILE_ALIPAY_APP_PUBLIC_KEY, error);
  if (app == NULL)
    return FALSE;
  app_public = state_path (self, TILL_PAYSIM_FILE_ALIPAY_APP_PUBLIC_KEY);
  self->alipay_app_public_key = till_rsa_key_load_public_file (app_public, error);
  if (self->alipay_app_public_key == NULL)
    return FALSE;
  /* Alipay's pair: answers are signed with the private key; the public one is what a till
   * configures as 支付宝公钥. */
  self->alipay_platform_private_key =
    load_or_create_key_pair (self, TILL_PAYSIM_FILE_ALIPAY_PLATFORM_PRIVATE_KEY,
                             TILL_PAYSIM_FILE_ALIPAY_PLATFORM_PUBLIC_KEY, error);
  if (self->alipay_platform_private_key == NULL)
    return FALSE;
  self->alipay_app_id = load_or_create_line (self, TILL_PAYSIM_FILE_ALIPAY_APP_ID,
                                             is_alipay_app_id, default_alipay_app_id, error);
  if (self->alipay_app_id == NULL)
    return FALSE;
  self->alipay_pid = load_or_create_line (self, TILL_PAYSIM_FILE_ALIPAY_PID, is_alipay_pid,
                                          default_alipay_pid, error);
  if (self->alipay_pid == NULL)
    return FALSE;
  ledger_path = state_path (self, TILL_PAYSIM_FILE_ALIPAY_LEDGER);
  self->alipay_ledger = till_paysim_alipay_ledger_open (ledger_path, error);
  return self->alipay_ledger != NULL;
}

static char *
load_or_create_line (TillPaysim *self,
                     const char *name,
                     gboolean  (*valid) (const char *),
                     char     *(*create) (void),
                     GError    **error)
{
  g_autofree char *path = state_path (self, name);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *value = read_line_file (path, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (value != NULL)
    {
      if (!valid (value))
        {
          g_set_error (error, TILL_PAYSIM_ERROR, TILL_PAYSIM_ERROR_STATE,
                       "%s does not hold a valid value (“%s”)", path, value);
          return NULL;
        }
      return g_steal_pointer (&value);
    }

  value = create ();
  {
    g_autofree char *line = g_strconcat (value, "\n", NULL);
    if (!write_file (path, line, 0644, error))
      return NULL;
  }
  return g_steal_pointer (&value);
}

static char *
create_serial (void)
{
  return random_string ("0123456789ABCDEF", 40);
}

static char *
create_key_id (void)
{
  g_autofree char *digits = random_string ("0123456789", 32);

  /* Shaped like the documented PUB_KEY_ID_0117…: "01" and 32 more digits. */
  return g_strconcat ("PUB_KEY_ID_01", digits, NULL);
}

static gboolean
gnutls_fail (GError    **error,
             const char *what,
             int         ret)
{
  g_set_error (error, TILL_PAYSIM_ERROR, TILL_PAYSIM_ERROR_STATE,
               "Cannot create the TLS certificate (%s): %s", what, gnutls_strerror (ret));
  return FALSE;
}

static char *
datum_take_string (gnutls_datum_t *d)
{
  char *s = g_strndup ((const char *) d->data, d->size);

  gnutls_free (d->data);
  d->data = NULL;
  return s;
}

/* A self-signed certificate for 127.0.0.1 (and ::1, localhost), valid ten years, marked
 * as a CA so that a client can use the file itself as its trust anchor. */
static gboolean
create_tls_certificate (const char *cert_path,
                        const char *key_path,
                        GError    **error)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t out = { NULL, 0 };
  g_autofree char *key_pem = NULL, *cert_pem = NULL;
  guchar serial[16];
  const guchar ip4[4] = { 127, 0, 0, 1 };
  const guchar ip6[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
  time_t now = time (NULL);
  gboolean ok = FALSE;
  int ret;

#define CHECK(what, call)                     \
  if ((ret = (call)) < 0)                     \
    {                                         \
      gnutls_fail (error, what, ret);         \
      goto out;                               \
    }

  CHECK ("key init", gnutls_x509_privkey_init (&key));
  CHECK ("key generate", gnutls_x509_privkey_generate (key, GNUTLS_PK_RSA, 2048, 0));
  CHECK ("key export", gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                         GNUTLS_PKCS_PLAIN, &out));
  key_pem = datum_take_string (&out);

  CHECK ("crt init", gnutls_x509_crt_init (&crt));
  CHECK ("version", gnutls_x509_crt_set_version (crt, 3));
  CHECK ("serial rnd", gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial));
  serial[0] &= 0x7f; /* positive */
  CHECK ("serial", gnutls_x509_crt_set_serial (crt, serial, sizeof serial));
  CHECK ("activation", gnutls_x509_crt_set_activation_time (crt, now - 3600));
  CHECK ("expiration", gnutls_x509_crt_set_expiration_time (crt, now + 10 * 365 * 24 * 3600));
  CHECK ("dn", gnutls_x509_crt_set_dn (crt, "CN=127.0.0.1,O=tillpoint-paysim", NULL));
  CHECK ("san ip4", gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, ip4,
                                                          sizeof ip4, GNUTLS_FSAN_APPEND));
  CHECK ("san ip6", gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, ip6,
                                                          sizeof ip6, GNUTLS_FSAN_APPEND));
  CHECK ("san dns", gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, "localhost",
                                                          strlen ("localhost"),
                                                          GNUTLS_FSAN_APPEND));
  CHECK ("basic constraints", gnutls_x509_crt_set_basic_constraints (crt, 1, -1));
  CHECK ("key usage", gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE
                                                          | GNUTLS_KEY_KEY_ENCIPHERMENT
                                                          | GNUTLS_KEY_KEY_CERT_SIGN));
  CHECK ("key purpose", gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0));
  CHECK ("key", gnutls_x509_crt_set_key (crt, key));
  CHECK ("subject key id", gnutls_x509_crt_set_subject_key_id (crt, serial, sizeof serial));
  CHECK ("sign", gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0));
  CHECK ("crt export", gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &out));
  cert_pem = datum_take_string (&out);

  if (!write_file (key_path, key_pem, 0600, error) || !write_file (cert_path, cert_pem, 0600, error))
    goto out;
  ok = TRUE;

out:
#undef CHECK
  if (key_pem != NULL)
    memset (key_pem, 0, strlen (key_pem));
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);
  return ok;
}

gboolean
till_paysim_state_load (TillPaysim *self,
                        GError    **error)
{
  g_autoptr(TillRsaKey) merchant = NULL;
  g_autofree char *ledger_path = NULL;

  if (g_mkdir_with_parents (self->state_dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, TILL_PAYSIM_ERROR, TILL_PAYSIM_ERROR_STATE,
                   "Cannot create the state directory %s: %s", self->state_dir,
                   g_strerror (saved));
      return FALSE;
    }

  merchant = load_or_create_key_pair (self, TILL_PAYSIM_FILE_MERCHANT_PRIVATE_KEY,
                                      TILL_PAYSIM_FILE_MERCHANT_PUBLIC_KEY, error);
  if (merchant == NULL)
    return FALSE;
  {
    /* Requests are verified with the public key file, as a real server would hold it. */
    g_autofree char *pub_path = state_path (self, TILL_PAYSIM_FILE_MERCHANT_PUBLIC_KEY);
    self->merchant_public_key = till_rsa_key_load_public_file (pub_path, error);
    if (self->merchant_public_key == NULL)
      return FALSE;
  }

  self->platform_private_key = load_or_create_key_pair (self, TILL_PAYSIM_FILE_PLATFORM_PRIVATE_KEY,
                                                        TILL_PAYSIM_FILE_PLATFORM_PUBLIC_KEY,
                                                        error);
  if (self->platform_private_key == NULL)
    return FALSE;

  self->merchant_serial = load_or_create_line (self, TILL_PAYSIM_FILE_MERCHANT_SERIAL, is_serial,
                                               create_serial, error);
  if (self->merchant_serial == NULL)
    return FALSE;
  self->platform_key_id = load_or_create_line (self, TILL_PAYSIM_FILE_PLATFORM_KEY_ID, is_key_id,
                                               create_key_id, error);
  if (self->platform_key_id == NULL)
    return FALSE;

  if (self->tls)
    {
      g_autofree char *cert_path = state_path (self, TILL_PAYSIM_FILE_TLS_CERT);
      g_autofree char *key_path = state_path (self, TILL_PAYSIM_FILE_TLS_KEY);

      if (!g_file_test (cert_path, G_FILE_TEST_EXISTS) || !g_file_test (key_path, G_FILE_TEST_EXISTS))
        if (!create_tls_certificate (cert_path, key_path, error))
          return FALSE;
      self->tls_certificate = g_tls_certificate_new_from_files (cert_path, key_path, error);
      if (self->tls_certificate == NULL)
        return FALSE;
    }

  ledger_path = state_path (self, TILL_PAYSIM_FILE_LEDGER);
  self->ledger = till_paysim_ledger_open (ledger_path, error);
  return self->ledger != NULL && till_paysim_alipay_state_load (self, error);
}
