/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: PEM key files (src/crypto/till-rsa-key.c): the same bytes as a private key
 * (PKCS#8, PKCS#1 or a bare Base64 body) and as a public key. A key that loads must export
 * and load again. */
#define G_LOG_DOMAIN "till-fuzz"
#include "config.h"

#include <string.h>

#include "till-fuzz.h"
#include "till-rsa-key.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  till_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TillRsaKey) private_key = NULL;
  g_autoptr (TillRsaKey) public_key = NULL;

  private_key = till_rsa_key_load_private_pem ((const char *)data, size, &error);
  g_assert_true ((private_key == NULL) == (error != NULL));
  if (private_key != NULL)
    {
      g_autofree char *pem = till_rsa_key_export_private_pkcs8_pem (private_key, NULL);
      g_autoptr (TillRsaKey) again = NULL;

      g_assert_nonnull (pem);
      again = till_rsa_key_load_private_pem (pem, strlen (pem), NULL);
      g_assert_nonnull (again);
    }
  g_clear_error (&error);

  public_key = till_rsa_key_load_public_pem ((const char *)data, size, &error);
  g_assert_true ((public_key == NULL) == (error != NULL));
  if (public_key != NULL)
    {
      g_autofree char *pem = till_rsa_key_export_public_pem (public_key, NULL);
      g_autoptr (TillRsaKey) again = NULL;

      g_assert_nonnull (pem);
      again = till_rsa_key_load_public_pem (pem, strlen (pem), NULL);
      g_assert_nonnull (again);
    }
  return 0;
}
