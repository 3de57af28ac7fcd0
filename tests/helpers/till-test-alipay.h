/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper for Alipay against a running simulator (till-test-paysim.h): a
 * TillAlipayClient configured from the simulator's state dir (alipay_app_id,
 * alipay_app_private_key.pem, alipay_platform_public_key.pem) and the provider over it, and
 * raw gateway requests built by hand for the contract tests, every part of them
 * changeable. */
#pragma once

#include "till-alipay-client.h"
#include "till-alipay-sign.h"
#include "till-pay-provider.h"
#include "till-test-paysim.h"

G_BEGIN_DECLS

/* A client for the simulator's gateway (gateway_url NULL: http://127.0.0.1:PORT/gateway.do).
 * Asserts on any error. */
TillAlipayClient *till_test_alipay_new_client (TillTestPaysim *sim,
                                               const char     *gateway_url,
                                               guint           timeout_ms);
/* The provider over `client` (a new reference); NULL client: not configured. */
TillPayProvider  *till_test_alipay_provider   (TillAlipayClient *client);

/* A gateway request built by hand. The common parameters (method, app_id, format JSON,
 * charset utf-8, sign_type RSA2, timestamp now on the till's clock + timestamp_offset_s,
 * version 1.0) go in the query with the sign, biz_content in the body, as the SDKs send
 * them. */
typedef struct
{
  const char        *method;              /* NULL: no method parameter */
  const char        *biz_content;         /* JSON text; NULL: none */
  const char *const *set;                 /* name, value pairs (NULL-terminated) set before
                                             signing; a NULL value removes the parameter */
  const char *const *tamper;              /* pairs set after signing (in the query) */
  const char *const *query_only;          /* pairs added to the query after signing (a
                                             value the body also carries, differently) */
  gboolean           all_in_body;         /* every parameter in the form body */
  gboolean           no_sign;             /* send no sign at all */
  TillRsaKey        *sign_key;            /* NULL: alipay_app_private_key.pem */
  gint64             timestamp_offset_s;
  guint              timeout_ms;          /* 0: 15000 */
} TillTestAlipayRequest;

typedef struct
{
  guint       status;
  char       *content_type;
  char       *text;               /* the body, NUL-terminated */
  char       *root_key;           /* "<method>_response" or "error_response"; NULL when the
                                     body is not an Alipay answer */
  JsonObject *response;           /* the object, parsed from its signed bytes */
  char       *signed_text;
  gboolean    has_sign;
  gboolean    sign_ok;            /* verified with alipay_platform_public_key.pem */
  char       *date;               /* the Date header */
} TillTestAlipayAnswer;

void                  till_test_alipay_answer_free (TillTestAlipayAnswer *answer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillTestAlipayAnswer, till_test_alipay_answer_free)

/* Sends the request; NULL with an error on a transport failure. */
TillTestAlipayAnswer *till_test_alipay_send  (TillTestPaysim              *sim,
                                              const TillTestAlipayRequest *request,
                                              GError                     **error);
/* Shorthand: a well-formed signed call. */
TillTestAlipayAnswer *till_test_alipay_call  (TillTestPaysim *sim,
                                              const char     *method,
                                              const char     *biz_content,
                                              GError        **error);
/* The answer's code and sub_code ("" when absent). */
const char *till_test_alipay_code     (TillTestAlipayAnswer *answer);
const char *till_test_alipay_sub_code (TillTestAlipayAnswer *answer);

G_END_DECLS
