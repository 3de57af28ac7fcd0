/* SPDX-License-Identifier: GPL-3.0-or-later */
/* WeChat Pay v3 requests and results: trade/refund states, TillWxpayTransaction,
 * TillWxpayRefund, TillWxpayBill (boxed), and their JSON codecs. Money is gint64 fen. */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  TILL_WXPAY_TRADE_STATE_UNKNOWN,     /* absent, or a value this version does not know */
  TILL_WXPAY_TRADE_STATE_SUCCESS,
  TILL_WXPAY_TRADE_STATE_REFUND,
  TILL_WXPAY_TRADE_STATE_NOTPAY,
  TILL_WXPAY_TRADE_STATE_CLOSED,
  TILL_WXPAY_TRADE_STATE_REVOKED,
  TILL_WXPAY_TRADE_STATE_USERPAYING,
  TILL_WXPAY_TRADE_STATE_PAYERROR,
} TillWxpayTradeState;

TillWxpayTradeState till_wxpay_trade_state_from_string (const char *s);
const char         *till_wxpay_trade_state_to_string   (TillWxpayTradeState state);
/* SUCCESS, REFUND, CLOSED, REVOKED, PAYERROR: nothing more will happen by itself. */
gboolean            till_wxpay_trade_state_is_final    (TillWxpayTradeState state);

typedef enum
{
  TILL_WXPAY_REFUND_STATUS_UNKNOWN,
  TILL_WXPAY_REFUND_STATUS_SUCCESS,
  TILL_WXPAY_REFUND_STATUS_CLOSED,
  TILL_WXPAY_REFUND_STATUS_PROCESSING,
  TILL_WXPAY_REFUND_STATUS_ABNORMAL,
} TillWxpayRefundStatus;

TillWxpayRefundStatus till_wxpay_refund_status_from_string (const char *s);
const char           *till_wxpay_refund_status_to_string   (TillWxpayRefundStatus status);

/* ---- requests (borrowed strings; NULL = field left out) ---- */

typedef struct
{
  const char *out_trade_no;
  const char *auth_code;       /* the scanned payment code */
  const char *description;
  gint64      amount_total;    /* fen, ≥ 1 */
  const char *attach;
  const char *goods_tag;
  const char *device_id;       /* scene_info.device_id */
  const char *device_ip;       /* scene_info.device_ip */
  const char *store_id;        /* scene_info.store_info.id (WeChat store id) */
  const char *store_out_id;    /* scene_info.store_info.out_id (our store code) */
} TillWxpayCodepayRequest;

typedef struct
{
  const char *out_trade_no;
  const char *description;
  gint64      amount_total;    /* fen, ≥ 1 */
  const char *notify_url;      /* https, no query */
  const char *time_expire;     /* RFC 3339 or NULL */
  const char *attach;
} TillWxpayNativeRequest;

typedef struct
{
  const char *transaction_id;  /* one of transaction_id / out_trade_no */
  const char *out_trade_no;
  const char *out_refund_no;
  const char *reason;
  const char *notify_url;
  gint64      amount_refund;   /* fen, ≥ 1 */
  gint64      amount_total;    /* fen: the original order's total */
} TillWxpayRefundRequest;

/* ---- results ---- */

typedef struct
{
  guint               http_status;      /* 200, or 202 for a codepay that waits */
  TillWxpayTradeState trade_state;
  char               *trade_state_str;  /* as sent, e.g. "USERPAYING" */
  char               *trade_state_desc;
  char               *appid;
  char               *mchid;
  char               *out_trade_no;
  char               *transaction_id;
  char               *trade_type;       /* MICROPAY, NATIVE, ... */
  char               *bank_type;
  char               *attach;
  char               *success_time;     /* RFC 3339 */
  char               *payer_openid;
  gint64              amount_total;     /* fen; -1 when absent */
  gint64              payer_total;      /* fen; -1 when absent */
  char               *currency;
} TillWxpayTransaction;

typedef struct
{
  guint                 http_status;
  TillWxpayRefundStatus status;
  char                 *status_str;
  char                 *refund_id;
  char                 *out_refund_no;
  char                 *transaction_id;
  char                 *out_trade_no;
  char                 *channel;
  char                 *user_received_account;
  char                 *success_time;
  char                 *create_time;
  gint64                amount_total;   /* fen; -1 when absent */
  gint64                amount_refund;
  gint64                payer_total;
  gint64                payer_refund;
  char                 *currency;
} TillWxpayRefund;

typedef struct
{
  char    *hash_type;     /* "SHA1" */
  char    *hash_value;    /* hex */
  char    *download_url;
  gboolean gzip;          /* requested with tar_type=GZIP */
} TillWxpayBill;

#define TILL_TYPE_WXPAY_TRANSACTION (till_wxpay_transaction_get_type ())
#define TILL_TYPE_WXPAY_REFUND      (till_wxpay_refund_get_type ())
#define TILL_TYPE_WXPAY_BILL        (till_wxpay_bill_get_type ())

GType                 till_wxpay_transaction_get_type (void) G_GNUC_CONST;
TillWxpayTransaction *till_wxpay_transaction_copy     (const TillWxpayTransaction *t);
void                  till_wxpay_transaction_free     (TillWxpayTransaction *t);
/* Parses a query/codepay answer object (every field optional except as noted in §1.2). */
TillWxpayTransaction *till_wxpay_transaction_new_from_json (JsonNode *node, guint http_status,
                                                            GError **error);

GType            till_wxpay_refund_get_type (void) G_GNUC_CONST;
TillWxpayRefund *till_wxpay_refund_copy     (const TillWxpayRefund *r);
void             till_wxpay_refund_free     (TillWxpayRefund *r);
TillWxpayRefund *till_wxpay_refund_new_from_json (JsonNode *node, guint http_status,
                                                  GError **error);

GType          till_wxpay_bill_get_type (void) G_GNUC_CONST;
TillWxpayBill *till_wxpay_bill_new      (const char *hash_type, const char *hash_value,
                                         const char *download_url, gboolean gzip);
TillWxpayBill *till_wxpay_bill_copy     (const TillWxpayBill *b);
void           till_wxpay_bill_free     (TillWxpayBill *b);
TillWxpayBill *till_wxpay_bill_new_from_json (JsonNode *node, gboolean gzip, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillWxpayTransaction, till_wxpay_transaction_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillWxpayRefund, till_wxpay_refund_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillWxpayBill, till_wxpay_bill_free)

G_END_DECLS
