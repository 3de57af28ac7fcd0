/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The provider's daily trade bill as rows the reconciliation reads (TillBill), and the
 * parser of WeChat Pay's (v3 交易账单, bill_type ALL; reference §6.3): columns found by
 * their header names (the 27-column layout and the older 20-column one), backtick-prefixed
 * fields, UTF-8 BOM, CRLF or LF, yuan parsed to fen as text (never a float), and the
 * summary section checked against the rows. The SHA-1 of the file is checked by the client
 * when it downloads it. Other providers parse their own files into the same rows
 * (Alipay's 业务明细: src/alipay/till-alipay-bill.c), with till_bill_new() and
 * till_bill_row_new(). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TILL_BILL_ROW_PAYMENT,   /* 交易状态 SUCCESS, REVOKED, ... */
  TILL_BILL_ROW_REFUND,    /* 交易状态 REFUND */
} TillBillRowKind;

/* What a row means for the money, in every provider's bill (its own words stay in
 * trade_state / refund_state): the reconciliation reads this. */
typedef enum
{
  TILL_BILL_ROW_DONE,            /* a payment paid, a refund gone back: the money moved
                                    (WeChat Pay SUCCESS; Alipay 交易 / 退款 rows) */
  TILL_BILL_ROW_REVERSED,        /* a payment reversed after it was paid: nothing kept
                                    (WeChat Pay REVOKED; an Alipay cancel that refunded) */
  TILL_BILL_ROW_PROCESSING,      /* a refund on its way (WeChat Pay PROCESSING) */
  TILL_BILL_ROW_OTHER,           /* any other state: no money moved */
} TillBillRowState;

typedef struct
{
  TillBillRowKind kind;
  TillBillRowState state;
  guint   line;                  /* 1-based line in the file */
  char   *trade_time;            /* 交易时间 "yyyy-MM-dd HH:mm:ss", Beijing time */
  char   *transaction_id;        /* 微信订单号 */
  char   *out_trade_no;          /* 商户订单号 */
  char   *trade_type;            /* 交易类型: MICROPAY, NATIVE, ... ("" if absent) */
  char   *trade_state;           /* 交易状态: SUCCESS, REVOKED, REFUND, ... (the provider's
                                    word; state says what it means) */
  gint64  settlement_fen;        /* 应结订单金额 */
  gint64  coupon_fen;            /* 代金券金额 (0 if absent) */
  gint64  order_fen;             /* 订单金额 (= settlement + coupon if absent) */
  char   *refund_id;             /* 微信退款单号 (refund rows; NULL otherwise) */
  char   *out_refund_no;         /* 商户退款单号 (refund rows; NULL otherwise) */
  gint64  refund_fen;            /* 退款金额 */
  gint64  refund_request_fen;    /* 申请退款金额 (= refund_fen if absent) */
  char   *refund_state;          /* 退款状态: SUCCESS, PROCESSING, ... (NULL for payments) */
  gint64  fee_millifen;          /* 手续费, 5 decimals of a yuan = thousandths of a fen */
  char   *product;               /* 商品名称 */
} TillBillRow;

typedef struct
{
  guint      n_columns;          /* 27, 20, ... as found in the header */
  GPtrArray *rows;               /* TillBillRow*, in file order */
  /* the summary section, as printed (checked against the rows by the parser) */
  guint      total_count;        /* 总交易单数 */
  gint64     settlement_total_fen;
  gint64     refund_total_fen;
  gint64     fee_total_millifen;
  gint64     order_total_fen;
  gint64     refund_request_total_fen;
} TillBill;

/* An empty bill (rows owned, freed with it) and an empty row (amounts 0, strings NULL),
 * for a provider's own parser. */
TillBill    *till_bill_new      (void);
TillBillRow *till_bill_row_new  (TillBillRowKind kind);
void         till_bill_row_free (TillBillRow    *row);
void         till_bill_free     (TillBill       *bill);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillBill, till_bill_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillBillRow, till_bill_row_free)

/* Parses a whole bill. On any problem: NULL and TILL_CORE_ERROR_INVALID_BILL with the
 * line number and the reason (a missing column, a bad amount, a wrong number of
 * fields, no summary, or a summary that does not match the rows). */
TillBill *till_bill_parse (const char  *data,
                           gsize        length,
                           GError     **error);

/* Parses a decimal with at most `decimals` digits after the point ("12.5", "-0.60",
 * "0.00000") into an integer scaled by 10^decimals; exact, no float. */
gboolean  till_bill_parse_decimal (const char *text,
                                   guint       decimals,
                                   gint64     *out);

G_END_DECLS
