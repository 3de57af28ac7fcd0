/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals shared by the WeChat Pay client's files: the object, one HTTP exchange, and the
 * helpers of the transport (till-wxpay-client-transport.c) the calls are built on. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "till-wxpay-client.h"

G_BEGIN_DECLS

struct _TillWxpayClient
{
  GObject      parent_instance;

  char        *base_url;
  GUri        *base_uri;
  char        *mchid;
  char        *appid;
  char        *merchant_serial;
  char        *platform_key_id;
  TillRsaKey  *merchant_key;
  TillRsaKey  *platform_key;
  guint        timeout_ms;
  SoupSession *session;
  gint64       clock_skew_s;   /* "clock-skew-seconds" */
};

typedef enum
{
  CALL_CODEPAY,
  CALL_QUERY,
  CALL_REVERSE,
  CALL_NATIVE,
  CALL_CLOSE,
  CALL_REFUND,
  CALL_BILL,
  CALL_DOWNLOAD,
} CallKind;

/* One HTTP exchange; the GTask's data. */
typedef struct
{
  CallKind       kind;
  SoupMessage   *msg;
  char          *method;
  char          *target;          /* path?query, for the log */
  GCancellable  *cancellable;     /* ours: cancelled by the timer or the caller's */
  GCancellable  *caller_cancellable;
  gulong         caller_handler;
  GSource       *timer;
  gboolean       timed_out;
  guint          timeout_ms;
  gint64         started_us;
  char          *expect_out_trade_no;
  TillWxpayBill *bill;            /* CALL_DOWNLOAD */
  gboolean       gzip;            /* CALL_BILL */
} Call;

/* Errors. */
GError  *till_wxpay_pay_error_new       (TillPayError  code,
                                         guint         http_status,
                                         const char   *provider_code,
                                         const char   *provider_message,
                                         const char   *message);
/* The cashier's text for a provider code (4xx). */
char    *till_wxpay_provider_error_text (const char   *code,
                                         const char   *message,
                                         guint         status);
/* Reads {"code","message"} from an error body; both NULL when it is not JSON. */
void     till_wxpay_parse_problem       (GBytes       *body,
                                         char        **code,
                                         char        **message);
GError  *till_wxpay_protocol_error      (guint         status,
                                         const char   *detail);

/* A 2xx answer's JSON (a copy of its root); a protocol error when the body is empty, not
 * JSON or only white space. */
JsonNode *till_wxpay_parse_json_body    (GBytes       *body,
                                         guint         status,
                                         GError      **error);
/* A downloaded bill's gzip stream, inflated (at most 256 MiB); TILL_PAY_ERROR_CORRUPT when
 * it does not inflate completely. */
GBytes  *till_wxpay_bill_gunzip         (GBytes       *in,
                                         GError      **error);

/* Building requests. */
gboolean till_wxpay_is_blank            (const char   *s);
gboolean till_wxpay_valid_id            (const char   *s,
                                         gsize         max_len,
                                         const char   *extra_chars);
/* Fails a call before it is sent; takes the task. */
void     till_wxpay_invalid_request     (GTask        *task,
                                         const char   *what);
GBytes  *till_wxpay_json_bytes          (JsonBuilder  *builder);
void     till_wxpay_add_str             (JsonBuilder  *b,
                                         const char   *name,
                                         const char   *value);
char    *till_wxpay_escape_segment      (const char   *s);
char    *till_wxpay_mchid_query         (TillWxpayClient *self);

/* Sending. */
GTask   *till_wxpay_new_task            (TillWxpayClient     *self,
                                         gpointer             source_tag,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
Call    *till_wxpay_call_new            (CallKind             kind);
/* Signs and sends; takes the task and the call. path and query are percent-encoded. */
void     till_wxpay_call_start          (TillWxpayClient     *self,
                                         GTask               *task,
                                         Call                *call,
                                         const char          *method,
                                         const char          *path,
                                         const char          *query,
                                         GBytes              *body,
                                         GCancellable        *cancellable);

/* A verified answer (or a genuine one outside the timestamp window) showed WeChat Pay's
 * clock offset_s seconds from ours: updates "clock-skew-seconds". */
void     till_wxpay_client_observe_clock (TillWxpayClient    *self,
                                          gint64              offset_s);

/* A bill download's answer (till-wxpay-client-bill.c). */
void     till_wxpay_finish_download     (GTask               *task,
                                         Call                *call,
                                         guint                status,
                                         GBytes              *body);

G_END_DECLS
