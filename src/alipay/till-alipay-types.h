/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The calls of Alipay's classic gateway as C structs (alipay.md §5): what the client sends
 * (borrowed strings, money in fen) and the answers it returns (owned, money in fen), and
 * money as Alipay writes it: yuan strings with exactly two decimals, converted to and from
 * gint64 fen as text (never a float). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The gateway's answer codes (§2.5). */
#define TILL_ALIPAY_CODE_SUCCESS       "10000"
#define TILL_ALIPAY_CODE_PAYING        "10003"   /* pay only: waiting for the customer */
#define TILL_ALIPAY_CODE_UNKNOWN       "20000"   /* service unavailable: outcome unknown */
#define TILL_ALIPAY_CODE_MISSING       "40001"
#define TILL_ALIPAY_CODE_INVALID       "40002"
#define TILL_ALIPAY_CODE_INSUFFICIENT  "40003"
#define TILL_ALIPAY_CODE_BUSINESS      "40004"   /* a business refusal: see sub_code */
#define TILL_ALIPAY_CODE_LIMITED       "40005"
#define TILL_ALIPAY_CODE_NO_PERMISSION "40006"

/* Amounts Alipay takes: ¥0.01 to ¥100,000,000.00. */
#define TILL_ALIPAY_MIN_FEN ((gint64) 1)
#define TILL_ALIPAY_MAX_FEN ((gint64) 10000000000)

/* fen → "88.88" (two decimals, a '-' for negative amounts). */
char     *till_alipay_yuan_format (gint64      fen);
/* "88.88" → fen. strict: exactly "^-?[0-9]+\.[0-9]{2}$" (what requests must use);
 * otherwise also "88", "88.8" (what an answer may carry). FALSE on anything else or an
 * overflow. */
gboolean  till_alipay_yuan_parse  (const char *text,
                                   gboolean    strict,
                                   gint64     *out_fen);

/* An out_trade_no / out_request_no Alipay takes: 1–64 of [0-9A-Za-z_]. */
gboolean  till_alipay_valid_number (const char *text);

/* ---- requests (borrowed) ---- */

typedef struct
{
  const char *out_trade_no;
  gint64      amount_fen;      /* total_amount */
  const char *auth_code;       /* the customer's payment code (never logged) */
  const char *subject;         /* without '/', '=', '&' */
  const char *store_id;        /* may be NULL */
  const char *terminal_id;     /* may be NULL */
  const char *operator_id;     /* may be NULL */
  const char *timeout_express; /* "5m"; NULL = Alipay's default */
} TillAlipayPayRequest;

typedef struct
{
  const char *out_trade_no;
  gint64      amount_fen;
  const char *subject;
  const char *store_id;
  const char *terminal_id;
  const char *operator_id;
  const char *timeout_express;
} TillAlipayPrecreateRequest;

typedef struct
{
  const char *out_trade_no;
  const char *trade_no;        /* Alipay's number; may be NULL */
  const char *out_request_no;  /* the idempotency key: the same for every sending */
  gint64      amount_fen;      /* refund_amount */
  const char *reason;          /* may be NULL */
  const char *store_id;
  const char *terminal_id;
} TillAlipayRefundRequest;

/* ---- answers (owned) ---- */

/* A trade as alipay.trade.pay (10000, 10003) or alipay.trade.query (10000) tells it. */
typedef struct
{
  char   *code;            /* "10000" or "10003" */
  char   *msg;
  char   *trade_no;
  char   *out_trade_no;
  char   *trade_status;    /* query: WAIT_BUYER_PAY, TRADE_SUCCESS, TRADE_FINISHED,
                              TRADE_CLOSED; NULL for pay */
  gint64  total_fen;       /* total_amount; -1 when absent */
  gint64  receipt_fen;     /* receipt_amount; -1 when absent */
  gint64  buyer_pay_fen;   /* buyer_pay_amount; -1 when absent */
  char   *buyer_logon_id;  /* masked ("159****5620") */
  char   *paid_at;         /* gmt_payment (pay) or send_pay_date (query), GMT+8; NULL when
                              it was never paid */
} TillAlipayTrade;

void             till_alipay_trade_free      (TillAlipayTrade *trade);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillAlipayTrade, till_alipay_trade_free)
/* From a verified answer object; FALSE with TILL_PAY_ERROR_PROTOCOL on a malformed amount. */
TillAlipayTrade *till_alipay_trade_new_from_json (JsonObject *response,
                                                  GError    **error);

/* alipay.trade.cancel's answer. */
typedef struct
{
  char     *trade_no;
  char     *out_trade_no;
  gboolean  retry;         /* retry_flag=Y: call again */
  char     *action;        /* "close", "refund", or NULL (no trade, or nothing done) */
} TillAlipayCancel;

void              till_alipay_cancel_free      (TillAlipayCancel *cancel);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillAlipayCancel, till_alipay_cancel_free)
TillAlipayCancel *till_alipay_cancel_new_from_json (JsonObject *response);

/* alipay.trade.refund's answer, or alipay.trade.fastpay.refund.query's. */
typedef struct
{
  char     *trade_no;
  char     *out_trade_no;
  char     *out_request_no;   /* query: the refund's number; refund: NULL */
  gboolean  fund_change;      /* refund: fund_change=Y, this call moved money */
  gint64    refund_fee_fen;   /* refund: the trade's refunded total so far; -1 if absent */
  gint64    refund_fen;       /* query: this refund's refund_amount; -1 if absent */
  gint64    total_fen;        /* query: the trade's total_amount; -1 if absent */
  char     *refund_status;    /* query: REFUND_SUCCESS, or NULL */
  char     *refunded_at;      /* gmt_refund_pay, or NULL */
  gboolean  found;            /* query: the answer carries the refund (a 10000 without
                                 refund data means "no such refund") */
} TillAlipayRefund;

void              till_alipay_refund_free      (TillAlipayRefund *refund);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillAlipayRefund, till_alipay_refund_free)
TillAlipayRefund *till_alipay_refund_new_from_json (JsonObject *response,
                                                    gboolean    is_query,
                                                    GError    **error);

/* Reads a string member of an answer; NULL when absent, empty or not a string. */
const char *till_alipay_json_string (JsonObject *object,
                                     const char *name);

G_END_DECLS
