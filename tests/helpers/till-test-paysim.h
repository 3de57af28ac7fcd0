/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper: runs the real `tillpoint-paysim` executable (path in $TILL_PAYSIM) on
 * 127.0.0.1 with a state dir, talks to its /_sim/ control API, and sends signed v3
 * requests with the merchant key it created. For integration tests of any layer. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "till-wxpay-sign.h"

G_BEGIN_DECLS

typedef struct _TillTestPaysim TillTestPaysim;

#define TILL_TEST_PAYSIM_MCHID "1230000109"
#define TILL_TEST_PAYSIM_APPID "wxd678efh567hg6787"
/* The Alipay side's defaults (alipay.md §11); the state dir's alipay_app_id and alipay_pid
 * hold them. */
#define TILL_TEST_PAYSIM_ALIPAY_APP_ID "2021000100000001"
#define TILL_TEST_PAYSIM_ALIPAY_PID    "2088100000000001"

/* Starts the simulator with a fresh temporary state dir (removed by _free) and the extra
 * command line arguments (NULL-terminated, may be NULL), e.g. "--password-delay-ms",
 * "300", "--tls". Waits up to 15 s for the "listening on …" line. */
TillTestPaysim *till_test_paysim_start    (const char *const *extra_args,
                                           GError           **error);
/* The same with a given state dir (kept by _free). */
TillTestPaysim *till_test_paysim_start_in (const char        *state_dir,
                                           const char *const *extra_args,
                                           GError           **error);
/* SIGTERM and wait (SIGKILL after 5 s). */
void            till_test_paysim_stop     (TillTestPaysim *sim);
/* SIGKILL and wait: a crash. */
void            till_test_paysim_kill     (TillTestPaysim *sim);
/* Starts it again (after stop/kill, or stopping it first) with the same state dir and
 * arguments; the port changes. */
gboolean        till_test_paysim_restart  (TillTestPaysim *sim,
                                           GError        **error);
/* Stops a running simulator (SIGTERM, SIGKILL after 5 s), removes a temporary state dir. */
void            till_test_paysim_free     (TillTestPaysim *sim);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillTestPaysim, till_test_paysim_free)

gboolean    till_test_paysim_is_running   (TillTestPaysim *sim);
const char *till_test_paysim_get_base_url (TillTestPaysim *sim);  /* http(s)://127.0.0.1:PORT */
guint16     till_test_paysim_get_port     (TillTestPaysim *sim);
const char *till_test_paysim_get_state_dir (TillTestPaysim *sim);
const char *till_test_paysim_get_mchid    (TillTestPaysim *sim);
const char *till_test_paysim_get_appid    (TillTestPaysim *sim);
/* A state-dir file's path (merchant_private_key.pem, platform_public_key.pem,
 * tls_cert.pem, …); g_free. */
char       *till_test_paysim_dup_path     (TillTestPaysim *sim,
                                           const char     *file_name);
/* A one-line state-dir file (merchant_serial, platform_public_key_id), stripped. */
char       *till_test_paysim_read_line    (TillTestPaysim *sim,
                                           const char     *file_name);
/* A session that trusts the simulator's certificate when it runs with --tls. */
SoupSession *till_test_paysim_new_session (TillTestPaysim *sim);

/* ---- control API (unsigned JSON) ---- */

/* Any control call; body may be NULL. Returns the HTTP status (0 on transport error);
 * *out_json (optional) receives the parsed answer. */
guint     till_test_paysim_control        (TillTestPaysim *sim,
                                           const char     *method,
                                           const char     *path,
                                           const char     *json_body,
                                           JsonNode      **out_json,
                                           GError        **error);
/* kind: "delay" | "drop" | "status" | "badsig" | "nosig" (for Alipay's gateway also
 * "unknown", "retry_flag", "rollback"). */
gboolean  till_test_paysim_arm_fault      (TillTestPaysim *sim,
                                           const char     *path_prefix,
                                           const char     *kind,
                                           guint           ms,
                                           guint           status,
                                           guint           count,
                                           GError        **error);
gboolean  till_test_paysim_clear_faults   (TillTestPaysim *sim,
                                           GError        **error);
/* A fault on Alipay's gateway (path_prefix "/gateway.do") for requests of `method` (NULL:
 * any method). */
gboolean  till_test_paysim_arm_alipay_fault (TillTestPaysim *sim,
                                             const char     *method,
                                             const char     *kind,
                                             guint           ms,
                                             guint           status,
                                             guint           count,
                                             GError        **error);
/* The customer scans an Alipay precreate QR code (POST /_sim/alipay/scan): outcome "pay",
 * "password" or "decline". */
gboolean  till_test_paysim_alipay_scan    (TillTestPaysim *sim,
                                           const char     *out_trade_no,
                                           const char     *outcome,
                                           GError        **error);
gboolean  till_test_paysim_native_pay     (TillTestPaysim *sim,
                                           const char     *out_trade_no,
                                           GError        **error);
gboolean  till_test_paysim_set_clock      (TillTestPaysim *sim,
                                           gint64          offset_s,
                                           GError        **error);
gboolean  till_test_paysim_release_bill   (TillTestPaysim *sim,
                                           const char     *bill_date,
                                           GError        **error);
/* GET /_sim/ledger: {"orders":[{out_trade_no, state, total, charged, refunded, net,
 * transaction_id, refunds:[…], …}], …}. */
JsonNode   *till_test_paysim_get_ledger   (TillTestPaysim *sim,
                                           GError        **error);
/* The ledger entry of one order (a new reference), or NULL. */
JsonObject *till_test_paysim_ledger_order (TillTestPaysim *sim,
                                           const char     *out_trade_no,
                                           GError        **error);

/* ---- signed v3 requests (for tests that do not use the real client) ---- */

typedef struct
{
  const char *method;               /* "GET" / "POST" */
  const char *path;                 /* path and query, e.g. "/v3/pay/transactions/…?mchid=…" */
  const char *body;                 /* NULL = empty */
  gboolean    unsigned_request;     /* send no Authorization at all */
  TillRsaKey *sign_key;             /* NULL = the state dir's merchant key */
  const char *serial_no;            /* NULL = the state dir's merchant serial */
  gint64      timestamp_offset_s;   /* added to the real time */
  guint       timeout_ms;           /* 0 = 15000 */
} TillTestPaysimRequest;

typedef struct
{
  guint               status;
  GBytes             *body;
  char               *text;           /* the body, NUL-terminated */
  JsonNode           *json;           /* NULL unless the body is JSON */
  SoupMessageHeaders *headers;
  gboolean            has_signature;  /* all four Wechatpay-* headers present */
  gboolean            signature_ok;   /* verified with platform_public_key.pem and its id */
} TillTestPaysimAnswer;

void till_test_paysim_answer_free (TillTestPaysimAnswer *answer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillTestPaysimAnswer, till_test_paysim_answer_free)

/* Sends a signed request. NULL with an error on transport failure (timeout:
 * G_IO_ERROR_TIMED_OUT; dropped connection: whatever libsoup reports). */
TillTestPaysimAnswer *till_test_paysim_send (TillTestPaysim              *sim,
                                             const TillTestPaysimRequest *request,
                                             GError                     **error);
/* Shorthand: signed GET or POST with the defaults. */
TillTestPaysimAnswer *till_test_paysim_call (TillTestPaysim *sim,
                                             const char     *method,
                                             const char     *path,
                                             const char     *body,
                                             GError        **error);

/* A valid WeChat payment code (18 digits, prefix 13) ending in `ending` (4 digits). */
char *till_test_paysim_auth_code     (const char *ending);
/* A valid Alipay payment code (18 digits, prefix 28) ending in `ending` (4 digits). */
char *till_test_paysim_alipay_auth_code (const char *ending);
/* Sends `msg` to the simulator on a private main context (as the control calls do); the
 * body, or NULL with an error (G_IO_ERROR_TIMED_OUT after timeout_ms). */
GBytes *till_test_paysim_send_raw    (TillTestPaysim *sim,
                                      SoupMessage    *msg,
                                      guint           timeout_ms,
                                      GError        **error);
/* A fresh out_trade_no/out_refund_no: prefix + random [0-9A-Z], 24 characters. */
char *till_test_paysim_new_reference (const char *prefix);
/* A codepay body for the simulator's ids. */
char *till_test_paysim_codepay_body  (TillTestPaysim *sim,
                                      const char     *out_trade_no,
                                      const char     *auth_code,
                                      gint64          total_fen);

G_END_DECLS
