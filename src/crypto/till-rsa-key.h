/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillRsaKey: an RSA private or public key (OpenSSL's libcrypto), shared by the payment protocols
 * (WeChat Pay in src/wxpay, Alipay in src/alipay) and the simulator: loading from PEM (or
 * the bare Base64 body some key tools give), key files that others can read refused,
 * generating, exporting, and SHA256withRSA (RSASSA-PKCS1-v1_5) signatures in Base64.
 * Errors are TILL_PAY_ERROR_KEY (keys) and TILL_PAY_ERROR_SIGNATURE (verification). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TillRsaKey TillRsaKey;   /* a private or public RSA key */

/* PEM (PKCS#8 "PRIVATE KEY", or PKCS#1 "RSA PRIVATE KEY") → private key. Text without a
 * "-----BEGIN" line is taken as the bare Base64 body of either (Alipay's key tool). */
TillRsaKey *till_rsa_key_load_private_pem (const char *pem, gsize len, GError **error);
/* PEM "PUBLIC KEY" (SubjectPublicKeyInfo) → public key; also the bare Base64 body. */
TillRsaKey *till_rsa_key_load_public_pem  (const char *pem, gsize len, GError **error);
/* Reads a private key file, refusing (TILL_PAY_ERROR_KEY) a file readable by group or
 * others with a clear message. */
TillRsaKey *till_rsa_key_load_private_file (const char *path, GError **error);
TillRsaKey *till_rsa_key_load_public_file  (const char *path, GError **error);
/* Generates an RSA-2048 key pair (the simulator's first start). */
TillRsaKey *till_rsa_key_generate         (GError **error);
/* PEM exports (g_free). */
char       *till_rsa_key_export_private_pkcs8_pem (TillRsaKey *key, GError **error);
char       *till_rsa_key_export_public_pem        (TillRsaKey *key, GError **error);
TillRsaKey *till_rsa_key_ref              (TillRsaKey *key);
void        till_rsa_key_unref            (TillRsaKey *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillRsaKey, till_rsa_key_unref)

/* SHA256withRSA over `msg`, Base64 (standard, padded). */
char     *till_rsa_sign_base64   (TillRsaKey *private_key, const char *msg, gsize len,
                                  GError **error);
gboolean  till_rsa_verify_base64 (TillRsaKey *public_key,  const char *msg, gsize len,
                                  const char *signature_b64, GError **error);

G_END_DECLS
