/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PIN hashing with PBKDF2-HMAC-SHA256 from GnuTLS, random salts and constant-time checks. */
#define G_LOG_DOMAIN "till-pin"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "till-pay-error.h"
#include "till-pin.h"

gboolean
till_pbkdf2_sha256 (const void  *password,
                    gsize        password_len,
                    const void  *salt,
                    gsize        salt_len,
                    guint        iterations,
                    guint8      *out,
                    gsize        out_len,
                    GError     **error)
{
  gnutls_datum_t key = { (unsigned char *) password, (unsigned int) password_len };
  gnutls_datum_t salt_datum = { (unsigned char *) salt, (unsigned int) salt_len };
  int rc;

  g_return_val_if_fail (password != NULL || password_len == 0, FALSE);
  g_return_val_if_fail (salt != NULL || salt_len == 0, FALSE);
  g_return_val_if_fail (iterations > 0, FALSE);
  g_return_val_if_fail (out != NULL && out_len > 0, FALSE);

  rc = gnutls_pbkdf2 (GNUTLS_MAC_SHA256, &key, &salt_datum, iterations, out, out_len);
  if (rc < 0)
    {
      g_warning ("gnutls_pbkdf2 failed: %s", gnutls_strerror (rc));
      g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_FAILED,
                   _("The PIN could not be checked (%s)"), gnutls_strerror (rc));
      return FALSE;
    }
  return TRUE;
}

gboolean
till_pin_check_format (const char  *pin,
                       GError     **error)
{
  gsize len = pin != NULL ? strlen (pin) : 0;

  if (len < TILL_PIN_MIN_DIGITS || len > TILL_PIN_MAX_DIGITS)
    {
      g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID,
                   _("A PIN has %d to %d digits"), TILL_PIN_MIN_DIGITS, TILL_PIN_MAX_DIGITS);
      return FALSE;
    }
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (pin[i]))
      {
        g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID,
                     _("A PIN has only digits"));
        return FALSE;
      }
  return TRUE;
}

gboolean
till_pin_hash (const char  *pin,
               guint        iterations,
               TillPinHash *out,
               GError     **error)
{
  int rc;

  g_return_val_if_fail (pin != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (iterations == 0)
    iterations = TILL_PIN_DEFAULT_ITERATIONS;
  if (iterations < TILL_PIN_MIN_ITERATIONS)
    {
      g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID,
                   _("PINs need at least %d hashing rounds"), TILL_PIN_MIN_ITERATIONS);
      return FALSE;
    }
  if (!till_pin_check_format (pin, error))
    return FALSE;

  memset (out, 0, sizeof *out);
  out->iterations = iterations;
  rc = gnutls_rnd (GNUTLS_RND_KEY, out->salt, sizeof out->salt);
  if (rc < 0)
    {
      g_warning ("gnutls_rnd failed: %s", gnutls_strerror (rc));
      g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_FAILED,
                   _("The PIN could not be saved (%s)"), gnutls_strerror (rc));
      return FALSE;
    }
  return till_pbkdf2_sha256 (pin, strlen (pin), out->salt, sizeof out->salt, iterations,
                             out->hash, sizeof out->hash, error);
}

gboolean
till_pin_verify (const char        *pin,
                 const TillPinHash *stored,
                 gboolean          *out_match,
                 GError           **error)
{
  guint8 computed[TILL_PIN_HASH_LEN];
  gboolean ok;

  g_return_val_if_fail (stored != NULL, FALSE);
  g_return_val_if_fail (out_match != NULL, FALSE);

  *out_match = FALSE;
  if (pin == NULL)
    pin = "";
  /* The wrong-format case takes the same time as a wrong PIN: no shortcut that tells
   * an observer anything about the stored PIN. */
  ok = till_pbkdf2_sha256 (pin, strlen (pin), stored->salt, sizeof stored->salt,
                           MAX (stored->iterations, 1), computed, sizeof computed, error);
  if (!ok)
    return FALSE;
  *out_match = gnutls_memcmp (computed, stored->hash, sizeof computed) == 0
               && stored->iterations >= 1;
  memset (computed, 0, sizeof computed);
  return TRUE;
}
