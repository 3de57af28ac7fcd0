/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals shared by the Alipay client's files: the object, one HTTP exchange, and the
 * transport (till-alipay-client-transport.c) the calls (-calls.c) and the bill download
 * (-bill.c) are built on. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "till-alipay-client.h"
#include "till-alipay-sign.h"

G_BEGIN_DECLS

struct _TillAlipayClient
{
  GObject      parent_instance;

  char        *gateway_url;
  GUri        *gateway_uri;
  char        *app_id;
  TillRsaKey  *app_private_key;
  TillRsaKey  *alipay_public_key;
  guint        timeout_ms;
  SoupSession *session;
  gint64       clock_skew_s;   /* "clock-skew-seconds" */
};

typedef enum
{
  CALL_PAY,
  CALL_PRECREATE,
  CALL_QUERY,
  CALL_CANCEL,
  CALL_CLOSE,
  CALL_REFUND,
  CALL_REFUND_QUERY,
  CALL_BILL_URL,
  CALL_DOWNLOAD,
} CallKind;

/* One HTTP exchange; the GTask's data. */
typedef struct
{
  CallKind      kind;
  const char   *method;           /* "alipay.trade.pay" (static), NULL for a download */
  SoupMessage  *msg;
  GCancellable *cancellable;      /* ours: cancelled by the timer or the caller's */
  GCancellable *caller_cancellable;
  gulong        caller_handler;
  GSource      *timer;
  gboolean      timed_out;
  guint         timeout_ms;
  gint64        started_us;
  char         *expect_out_trade_no;
  gint64        expect_amount_fen;   /* pay: the total_amount a 10000 must echo; -1 none */
} Call;

/* Errors (messages for the cashier; details go to the log). */
GError  *till_alipay_error_new          (TillPayError  code,
                                         guint         http_status,
                                         const char   *provider_code,
                                         const char   *provider_message,
                                         const char   *message);
GError  *till_alipay_protocol_error     (const char   *detail);
/* Fails a call before it is sent; takes the task. */
void     till_alipay_invalid_request    (GTask        *task,
                                         const char   *what);
gboolean till_alipay_is_blank           (const char   *s);

/* Building requests: biz_content members (NULL values are left out). */
void     till_alipay_add_str            (JsonBuilder  *b,
                                         const char   *name,
                                         const char   *value);
void     till_alipay_add_yuan           (JsonBuilder  *b,
                                         const char   *name,
                                         gint64        fen);

GTask   *till_alipay_new_task           (TillAlipayClient    *self,
                                         gpointer             source_tag,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
Call    *till_alipay_call_new           (CallKind             kind,
                                         const char          *method);
/* Signs and sends a gateway call with this biz_content (a finished JSON object); takes
 * the task and the call. The verified answer goes to till_alipay_call_answered(). */
void     till_alipay_call_start         (TillAlipayClient    *self,
                                         GTask               *task,
                                         Call                *call,
                                         JsonBuilder         *biz_content,
                                         GCancellable        *cancellable);
/* A plain GET of `url` (the bill); the body goes to till_alipay_download_answered(). */
void     till_alipay_download_start     (TillAlipayClient    *self,
                                         GTask               *task,
                                         Call                *call,
                                         GUri                *url,
                                         GCancellable        *cancellable);

/* A verified 10000/10003 answer of `call` (till-alipay-client-calls.c): returns the
 * call's result on the task. */
void     till_alipay_call_answered      (GTask               *task,
                                         Call                *call,
                                         TillAlipayAnswer    *answer);
/* A download's answer (till-alipay-client-bill.c). */
void     till_alipay_download_answered  (GTask               *task,
                                         Call                *call,
                                         guint                status,
                                         GBytes              *body);

/* A verified answer showed Alipay's clock offset_s from ours. */
void     till_alipay_client_observe_clock (TillAlipayClient  *self,
                                           gint64             offset_s);

G_END_DECLS
