/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Alipay's classic gateway signatures (alipay.md §2.3, §2.4), shared by the client and the
 * simulator: the request's sign content (every parameter but `sign` and the empty ones,
 * sorted by key, `key=value` joined by `&` with the raw values), RSA2 (SHA256withRSA)
 * signing and verifying of it; an answer's `<method>_response` object found in the raw body
 * and verified over its exact bytes; GMT+8 timestamps; the envelope a server signs. */
#pragma once

#include <json-glib/json-glib.h>

#include "till-rsa-key.h"

G_BEGIN_DECLS

/* The gateway's request timestamp format, always GMT+8 ("2024-05-20 13:14:15"). */
char     *till_alipay_timestamp_format (gint64      unix_us);
/* Parses that format (GMT+8) into unix seconds; FALSE when malformed. */
gboolean  till_alipay_timestamp_parse  (const char *text,
                                        gint64     *out_unix_s);

/* The string to sign of a request: `params` maps names to decoded values (char* → char*);
 * `sign` and empty values are left out, `sign_type` is kept; sorted by key in byte order;
 * key=value joined by '&', the values exactly as sent (no encoding). */
char     *till_alipay_sign_content     (GHashTable *params);
/* RSA2 over the sign content, standard Base64. */
char     *till_alipay_sign_params      (TillRsaKey *app_private_key,
                                        GHashTable *params,
                                        GError    **error);
/* A server's check of a request's `sign` (TILL_PAY_ERROR_SIGNATURE when missing or
 * wrong). */
gboolean  till_alipay_verify_params    (TillRsaKey *app_public_key,
                                        GHashTable *params,
                                        GError    **error);

/* "alipay.trade.pay" → "alipay_trade_pay_response". */
char     *till_alipay_response_key     (const char *method);

/* Where the value of "<root_key>" starts and ends in the raw body (§2.4): the key found in
 * the body, the first '{' after it, and the matching '}' (braces in strings do not count,
 * a quote preceded by an odd number of backslashes is inside the string). FALSE when the
 * key is missing, its value is not an object, the object does not end, or the same key
 * appears again after it (a body with two can be forged). *out_end is one past the '}'. */
gboolean  till_alipay_find_signed      (const char *body,
                                        gsize       len,
                                        const char *root_key,
                                        gsize      *out_start,
                                        gsize      *out_end);

/* An answer read and verified. */
typedef struct
{
  char       *root_key;        /* "alipay_trade_pay_response" or "error_response" */
  JsonObject *response;        /* the object parsed from the signed bytes themselves */
  char       *signed_text;     /* those bytes */
  char       *sign;            /* the body's sign, NULL when there is none */
  gboolean    verified;        /* the signature is present and good */
} TillAlipayAnswer;

void  till_alipay_answer_free  (TillAlipayAnswer *answer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillAlipayAnswer, till_alipay_answer_free)

/* Reads an answer body: finds "<method>_response" (else "error_response") in the raw
 * bytes, parses that object, takes `sign` from the whole body, and verifies the raw bytes
 * with the Alipay public key (once more with "\/" read as "/", as the Java SDK does).
 * NULL with TILL_PAY_ERROR_PROTOCOL when the body is not such an answer. An answer whose
 * signature is missing or wrong is returned with verified FALSE (its fields unproven, for
 * the log only); *sig_error (optional) then says why. */
TillAlipayAnswer *till_alipay_answer_read (const char  *body,
                                           gsize        len,
                                           const char  *method,
                                           TillRsaKey  *alipay_public_key,
                                           GError     **sig_error,
                                           GError     **error);

/* A server's answer body: {"<root_key>":<content>,"sign":"<sign, '/' written '\/'>"}
 * (sign NULL: no sign member). content is inserted byte for byte. */
char     *till_alipay_answer_body      (const char *root_key,
                                        const char *content,
                                        const char *sign);

G_END_DECLS
