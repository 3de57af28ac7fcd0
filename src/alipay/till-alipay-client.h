/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillAlipayClient: the HTTP client of Alipay's classic gateway (alipay.md §2, §5),
 * public-key mode. Each call is a form-encoded POST to the gateway URL (the common
 * parameters and the sign in the query, biz_content in the body, as the official SDKs
 * send them), signed RSA2 with the app private key; each answer counts only once the raw
 * bytes of its `<method>_response` object verify with the Alipay public key: an answer
 * with a missing or wrong signature is TILL_PAY_ERROR_SIGNATURE (outcome unknown), never a
 * success nor a definite refusal. Async only (GTask); errors are TILL_PAY_ERROR with
 * Alipay's sub_code (else its code) as the provider code, its sub_msg as the provider's
 * message, and the HTTP status.
 *
 * How answers become results or errors:
 *   10000 (and 10003 for pay)    the call's result
 *   20000                        TILL_PAY_ERROR_SERVER (outcome unknown)
 *   40001–40006                  TILL_PAY_ERROR_PROVIDER (the gateway's or the business's
 *                                refusal; what it means is till-alipay-provider-map.c's)
 *   no answer, a dropped line,   TILL_PAY_ERROR_TIMEOUT / _CONNECTION_LOST / _NETWORK
 *   HTTP ≠ 200, not an answer    TILL_PAY_ERROR_SERVER / _PROTOCOL
 *   unsigned / wrongly signed    TILL_PAY_ERROR_SIGNATURE */
#pragma once

#include <gio/gio.h>

#include "till-alipay-types.h"
#include "till-bill.h"
#include "till-pay-error.h"
#include "till-rsa-key.h"

G_BEGIN_DECLS

#define TILL_ALIPAY_USER_AGENT      "Tillpoint/0.1.0"
#define TILL_ALIPAY_DEFAULT_GATEWAY "https://openapi.alipay.com/gateway.do"

/* Everything the client needs; the client copies the strings and refs the keys. */
typedef struct
{
  const char *gateway_url;       /* the full gateway URL, "https://…/gateway.do"; plain
                                    http only to this computer (loopback) */
  const char *ca_file;           /* optional extra CA (PEM) trusted for https, or NULL */
  const char *app_id;            /* APPID */
  TillRsaKey *app_private_key;   /* signs requests */
  TillRsaKey *alipay_public_key; /* 支付宝公钥: verifies answers */
  guint       timeout_ms;        /* limit of one call; 0 = 15000 */
} TillAlipayConfig;

#define TILL_TYPE_ALIPAY_CLIENT (till_alipay_client_get_type ())
G_DECLARE_FINAL_TYPE (TillAlipayClient, till_alipay_client, TILL, ALIPAY_CLIENT, GObject)

/* Checks the configuration: TILL_PAY_ERROR_NOT_CONFIGURED for a missing app id or key, a
 * gateway URL that is not http(s) with a host (plain http only to loopback), or an
 * unreadable CA file. */
TillAlipayClient *till_alipay_client_new (const TillAlipayConfig *config,
                                          GError                **error);

const char *till_alipay_client_get_gateway_url (TillAlipayClient *self);
const char *till_alipay_client_get_app_id      (TillAlipayClient *self);
guint       till_alipay_client_get_timeout_ms  (TillAlipayClient *self);
/* Also the writable "timeout-ms" property (bind it to the http-timeout-ms setting). */
void        till_alipay_client_set_timeout_ms  (TillAlipayClient *self,
                                                guint             timeout_ms);

/* Below this the clocks count as agreeing ("clock-skew-seconds" stays 0). */
#define TILL_ALIPAY_CLOCK_TOLERANCE_S 60

/* The read-only "clock-skew-seconds" property (gint64, notify): Alipay's clock minus this
 * till's, in seconds, from the Date header of the last answer whose signature verified
 * (the classic gateway signs no time of its own); 0 while unknown or within
 * TILL_ALIPAY_CLOCK_TOLERANCE_S. Alipay refuses requests whose timestamp is too far off
 * (isv.invalid-timestamp). */
gint64      till_alipay_client_get_clock_skew_seconds (TillAlipayClient *self);

/* alipay.trade.pay, scene bar_code (§5.1): code "10000" paid, "10003" waiting for the
 * customer. The answer must be for this out_trade_no and, when paid, this amount
 * (otherwise TILL_PAY_ERROR_PROTOCOL: unknown). */
void             till_alipay_client_pay_async         (TillAlipayClient           *self,
                                                       const TillAlipayPayRequest *request,
                                                       GCancellable               *cancellable,
                                                       GAsyncReadyCallback         callback,
                                                       gpointer                    user_data);
TillAlipayTrade *till_alipay_client_pay_finish        (TillAlipayClient *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);

/* alipay.trade.precreate (§5.6b): the qr_code to show (g_free). */
void             till_alipay_client_precreate_async   (TillAlipayClient        *self,
                                                       const TillAlipayPrecreateRequest
                                                                               *request,
                                                       GCancellable            *cancellable,
                                                       GAsyncReadyCallback      callback,
                                                       gpointer                 user_data);
char            *till_alipay_client_precreate_finish  (TillAlipayClient *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);

/* alipay.trade.query (§5.2) by out_trade_no. */
void             till_alipay_client_query_async       (TillAlipayClient    *self,
                                                       const char          *out_trade_no,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
TillAlipayTrade *till_alipay_client_query_finish      (TillAlipayClient *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);

/* alipay.trade.cancel (§5.3): the answer with retry_flag and action, as Alipay gave it. */
void              till_alipay_client_cancel_async     (TillAlipayClient    *self,
                                                       const char          *out_trade_no,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
TillAlipayCancel *till_alipay_client_cancel_finish    (TillAlipayClient *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);

/* alipay.trade.close (§5.4): TRUE once closed. */
void             till_alipay_client_close_async       (TillAlipayClient    *self,
                                                       const char          *out_trade_no,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean         till_alipay_client_close_finish      (TillAlipayClient *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);

/* alipay.trade.refund (§5.5) with out_request_no; send it again with the same number and
 * amount until answered (fund_change=N on a repeat). */
void              till_alipay_client_refund_async     (TillAlipayClient              *self,
                                                       const TillAlipayRefundRequest *request,
                                                       GCancellable                  *cancellable,
                                                       GAsyncReadyCallback            callback,
                                                       gpointer                       user_data);
TillAlipayRefund *till_alipay_client_refund_finish    (TillAlipayClient *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);

/* alipay.trade.fastpay.refund.query (§5.6); found FALSE when Alipay has no such refund. */
void              till_alipay_client_refund_query_async  (TillAlipayClient    *self,
                                                          const char          *out_trade_no,
                                                          const char          *out_request_no,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
TillAlipayRefund *till_alipay_client_refund_query_finish (TillAlipayClient *self,
                                                          GAsyncResult     *result,
                                                          GError          **error);

/* alipay.data.dataservice.bill.downloadurl.query (§5.7), bill_type trade, bill_date
 * "YYYY-MM-DD": the bill_download_url (g_free), valid 30 s. */
void     till_alipay_client_bill_url_async   (TillAlipayClient    *self,
                                              const char          *bill_date,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
char    *till_alipay_client_bill_url_finish  (TillAlipayClient *self,
                                              GAsyncResult     *result,
                                              GError          **error);

/* Downloads the bill ZIP (a plain GET, unsigned: every entry's CRC-32 is checked) and
 * parses its 业务明细 file (till-alipay-bill.h) on a worker thread. Errors:
 * TILL_PAY_ERROR_CORRUPT (a damaged download), TILL_CORE_ERROR_INVALID_BILL, transport. */
void      till_alipay_client_download_bill_async  (TillAlipayClient    *self,
                                                   const char          *url,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
TillBill *till_alipay_client_download_bill_finish (TillAlipayClient *self,
                                                   GAsyncResult     *result,
                                                   GError          **error);

/* Whether a plain-http URL to this host would stay on this machine. */
gboolean  till_alipay_host_is_loopback (const char *host);

G_END_DECLS
