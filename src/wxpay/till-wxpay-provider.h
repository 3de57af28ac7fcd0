/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillWxpayProvider: WeChat Pay as a TillPayProvider, over one TillWxpayClient (no store).
 * Code pay is §1 codepay (reverse §2 to cancel), the QR order is §4 Native (close §4.2),
 * refunds §5, the daily bill §6 (tradebill ALL + GZIP, downloaded, SHA1 checked, parsed).
 * Every answer and error becomes neutral in till-wxpay-provider-map.c.
 *
 * Name "wechat"; accepts TILL_BARCODE_WECHAT_PAY codes; records wechat_code (code) and
 * wechat_native (QR). "clock-skew-seconds" follows the client's. */
#pragma once

#include "till-pay-provider.h"
#include "till-wxpay-client.h"

G_BEGIN_DECLS

#define TILL_WXPAY_PROVIDER_NAME TILL_PAY_PROVIDER_WECHAT /* "wechat" */

#define TILL_TYPE_WXPAY_PROVIDER (till_wxpay_provider_get_type ())
G_DECLARE_FINAL_TYPE (TillWxpayProvider, till_wxpay_provider, TILL, WXPAY_PROVIDER, GObject)

/* `client` may be NULL: then the provider is not configured and every call fails with
 * TILL_PAY_ERROR_NOT_CONFIGURED (a code payment: FAILED). Property "client",
 * construct-only. */
TillWxpayProvider *till_wxpay_provider_new            (TillWxpayClient   *client);
TillWxpayClient   *till_wxpay_provider_get_client     (TillWxpayProvider *self);

/* The notify_url sent with Native orders (WeChat Pay requires one; the till polls and
 * receives no notification). NULL = a placeholder. Also the "notify-url" property. */
void               till_wxpay_provider_set_notify_url (TillWxpayProvider *self,
                                                       const char        *notify_url);
const char        *till_wxpay_provider_get_notify_url (TillWxpayProvider *self);

G_END_DECLS
