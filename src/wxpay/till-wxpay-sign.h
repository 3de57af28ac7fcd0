/* SPDX-License-Identifier: GPL-3.0-or-later */
/* WeChat Pay API v3 signatures (reference §7): the request message, SHA256-RSA (PKCS#1
 * v1.5) signing with the merchant's PKCS#8 key (TillRsaKey, src/crypto/till-rsa-key.h),
 * the Authorization header (build and parse, items in any order), and verification of
 * signed answers (RSA through TillRsaKey, the nonce from GnuTLS); shared by the client and
 * the simulator. */
#pragma once

#include <glib.h>

#include "till-rsa-key.h"

G_BEGIN_DECLS

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
