/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillAlipayProvider: Alipay as a TillPayProvider, over one TillAlipayClient (no store).
 * Code pay is alipay.trade.pay (scene bar_code, timeout_express 5m as Alipay's own safety
 * net), cancelled with alipay.trade.cancel; the QR order is alipay.trade.precreate, closed
 * with alipay.trade.close — or, when the customer has not scanned it yet (Alipay has no
 * trade: ACQ.TRADE_NOT_EXIST), with alipay.trade.cancel, which closes the number for good
 * so that a late scan cannot pay it; refunds are alipay.trade.refund with the till's refund
 * number as out_request_no, and alipay.trade.fastpay.refund.query; the daily bill is
 * bill.downloadurl.query and the ZIP's 业务明细 file. Every answer and error becomes
 * neutral in till-alipay-provider-map.c.
 *
 * Name "alipay"; accepts TILL_BARCODE_ALIPAY codes; records alipay_code (code) and
 * alipay_qr (QR). "clock-skew-seconds" follows the client's. A query of an order this
 * provider created as a QR order reads WAIT_BUYER_PAY as "not paid yet"; of any other
 * order (a code payment, or a QR order of an earlier run) as "the customer is paying" —
 * the flow polls on either. */
#pragma once

#include "till-alipay-client.h"
#include "till-pay-provider.h"

G_BEGIN_DECLS

#define TILL_ALIPAY_PROVIDER_NAME TILL_PAY_PROVIDER_ALIPAY /* "alipay" */
/* What a payment or QR order asks Alipay to close itself after, unpaid. */
#define TILL_ALIPAY_TIMEOUT_EXPRESS "5m"

#define TILL_TYPE_ALIPAY_PROVIDER (till_alipay_provider_get_type ())
G_DECLARE_FINAL_TYPE (TillAlipayProvider, till_alipay_provider, TILL, ALIPAY_PROVIDER, GObject)

/* `client` may be NULL: then the provider is not configured and every call fails with
 * TILL_PAY_ERROR_NOT_CONFIGURED (a code payment: FAILED). Property "client",
 * construct-only. */
TillAlipayProvider *till_alipay_provider_new        (TillAlipayClient   *client);
TillAlipayClient   *till_alipay_provider_get_client (TillAlipayProvider *self);

G_END_DECLS
