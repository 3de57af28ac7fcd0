/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PIN hashing: PBKDF2-HMAC-SHA256 (GnuTLS) with a per-person random salt, the iteration
 * count kept beside the hash so that it can be raised later, and constant-time checks. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TILL_PIN_SALT_LEN          16
#define TILL_PIN_HASH_LEN          32       /* SHA-256 output */
#define TILL_PIN_MIN_ITERATIONS    100000
#define TILL_PIN_DEFAULT_ITERATIONS 120000
#define TILL_PIN_MIN_DIGITS        4
#define TILL_PIN_MAX_DIGITS        12

typedef struct
{
  guint  iterations;
  guint8 salt[TILL_PIN_SALT_LEN];
  guint8 hash[TILL_PIN_HASH_LEN];
} TillPinHash;

/* PBKDF2-HMAC-SHA256 (RFC 8018) of any password and salt, `out_len` bytes. */
gboolean till_pbkdf2_sha256     (const void  *password,
                                 gsize        password_len,
                                 const void  *salt,
                                 gsize        salt_len,
                                 guint        iterations,
                                 guint8      *out,
                                 gsize        out_len,
                                 GError     **error);

/* A PIN is 4 to 12 ASCII digits; TILL_STORE_ERROR_DENIED-like message otherwise
 * (TILL_PAY_ERROR_INVALID). */
gboolean till_pin_check_format  (const char  *pin,
                                 GError     **error);

/* Hashes `pin` with a fresh random salt (gnutls_rnd, key level) and `iterations`
 * (0 = TILL_PIN_DEFAULT_ITERATIONS; fewer than TILL_PIN_MIN_ITERATIONS is refused). */
gboolean till_pin_hash          (const char  *pin,
                                 guint        iterations,
                                 TillPinHash *out,
                                 GError     **error);

/* Recomputes the hash of `pin` with the stored salt and count and compares it in
 * constant time. FALSE with an error only when hashing itself failed; *out_match tells
 * whether the PIN is right. */
gboolean till_pin_verify        (const char        *pin,
                                 const TillPinHash *stored,
                                 gboolean          *out_match,
                                 GError           **error);

G_END_DECLS
