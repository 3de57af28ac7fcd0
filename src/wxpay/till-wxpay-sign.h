/* SPDX-License-Identifier: GPL-3.0-or-later */
/* WeChat Pay API v3 signatures (reference §7): the request message, SHA256-RSA (PKCS#1
 * v1.5) signing with the merchant's PKCS#8 key, the Authorization header (build and
 * parse, items in any order), and verification of signed answers. GnuTLS only; shared by
 * the client and the simulator. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TillRsaKey TillRsaKey;   /* a private or public RSA key */

/* PEM (PKCS#8 "PRIVATE KEY", or "RSA PRIVATE KEY") → private key. */
TillRsaKey *till_rsa_key_load_private_pem (const char *pem, gsize len, GError **error);
/* PEM "PUBLIC KEY" (SubjectPublicKeyInfo) → public key. */
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
char     *till_rsa_sign_base64   (TillRsaKey *private_key, const char *msg, gsize len, GError **error);
gboolean  till_rsa_verify_base64 (TillRsaKey *public_key,  const char *msg, gsize len,
                                  const char *signature_b64, GError **error);

/* "METHOD\nCANONICAL_URL\nTIMESTAMP\nNONCE\nBODY\n" (body may be NULL = empty). */
char *till_wxpay_request_message  (const char *method, const char *canonical_url,
                                   gint64 timestamp, const char *nonce,
                                   const char *body, gsize body_len);
/* "TIMESTAMP\nNONCE\nBODY\n" for answers and notifications. */
char *till_wxpay_response_message (const char *timestamp, const char *nonce,
                                   const char *body, gsize body_len);

/* 32 characters [0-9A-Z] from GnuTLS's random generator (GNUTLS_RND_NONCE). */
char *till_wxpay_nonce_new (void);

/* WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",timestamp="…",serial_no="…",signature="…" */
char *till_wxpay_authorization_build (const char *mchid, const char *nonce, gint64 timestamp,
                                      const char *serial_no, const char *signature);

typedef struct
{
  char  *mchid;
  char  *nonce_str;
  gint64 timestamp;
  char  *serial_no;
  char  *signature;
} TillWxpayAuthorization;

/* Parses the header value; the five items may appear in any order, with optional spaces
 * after commas; unknown items are ignored; a missing item or other scheme is an error. */
TillWxpayAuthorization *till_wxpay_authorization_parse (const char *header, GError **error);
void                    till_wxpay_authorization_free  (TillWxpayAuthorization *auth);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillWxpayAuthorization, till_wxpay_authorization_free)

/* An answer's Wechatpay-Timestamp must be within this many seconds of the till's clock. */
#define TILL_WXPAY_MAX_SKEW_S 300

/* Verifies a signed answer (§7.2, §13.1): all of Wechatpay-Timestamp/-Nonce/-Signature/
 * -Serial present (else error), serial == expected_key_id, signature valid over
 * TIMESTAMP\nNONCE\nBODY\n, |now - timestamp| < TILL_WXPAY_MAX_SKEW_S (now_s = unix
 * seconds; pass the real time outside tests). Any failure → TILL_PAY_ERROR_SIGNATURE with a
 * reason; a genuine answer outside the window is a clock error
 * (till_pay_error_is_clock_skew(), with the offset and a message for the cashier). */
gboolean till_wxpay_verify_response (TillRsaKey *platform_key, const char *expected_key_id,
                                     const char *timestamp, const char *nonce,
                                     const char *signature, const char *serial,
                                     const char *body, gsize body_len,
                                     gint64 now_s, GError **error);

G_END_DECLS
