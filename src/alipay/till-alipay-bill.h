/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Alipay's trade bill (alipay.md §5.7): the ZIP Alipay serves (entry names GBK unless
 * flagged UTF-8, deflate or stored, every CRC-32 checked) and its 业务明细 file (GBK CSV:
 * '#' comment lines, the header after the line holding 业务明细列表, rows until the line
 * holding 结束, columns found by name, cells trimmed of the TAB Excel guard, quoted cells,
 * CRLF or LF, yuan parsed to fen as text) made the provider-neutral rows of till-bill.h:
 *
 *   业务类型 交易   a payment, DONE: out_trade_no 商户订单号, transaction_id 支付宝交易号,
 *                  order_fen 订单金额, settlement_fen 商家实收, trade_time 完成时间
 *   业务类型 退款   a refund, DONE: out_refund_no 退款批次号/请求号, refund_fen the refunded
 *                  amount (positive), trade_time 完成时间
 *   a 退款 row without a request number is a cancel that refunded a paid trade
 *   (trade.cancel, action=refund): the payment row of that trade becomes REVERSED (as
 *   WeChat Pay's REVOKED) and the refund row is dropped; alone in a day's bill it becomes
 *   a REVERSED payment row of that trade.
 *
 * The 交易合计 / 退款合计 comment lines, when present, are checked against the rows. */
#pragma once

#include <glib.h>

#include "till-bill.h"

G_BEGIN_DECLS

#define TILL_ALIPAY_BILL_MAX_BYTES (256u * 1024u * 1024u)

/* The content of the first entry whose (UTF-8) name `match` accepts (g_bytes_unref);
 * *out_name (optional) its name. TILL_PAY_ERROR_CORRUPT for a damaged archive (a bad
 * structure, a CRC-32 or size mismatch, an unknown compression) or none matching. */
GBytes   *till_alipay_zip_extract   (GBytes      *zip,
                                     gboolean   (*match) (const char *name),
                                     char       **out_name,
                                     GError     **error);

/* Whether an entry name is the detail file: "…业务明细.csv", not "…业务明细(汇总).csv". */
gboolean  till_alipay_bill_is_detail (const char *name);

/* Parses the detail file (GBK, or UTF-8 with a BOM). TILL_CORE_ERROR_INVALID_BILL with the
 * line on any problem. */
TillBill *till_alipay_bill_parse_csv (const char  *data,
                                      gsize        length,
                                      GError     **error);

/* The ZIP's detail file, parsed. */
TillBill *till_alipay_bill_parse_zip (GBytes      *zip,
                                      GError     **error);

G_END_DECLS
