/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillWxpayClient: the WeChat Pay API v3 HTTP client (reference §1–§7, §13.1). Every
 * request is signed; every answer except a bill download is verified before it counts.
 * Network calls are async only (GTask); errors are TILL_PAY_ERROR with the provider's
 * code, the HTTP status and definite/unknown classification (till-pay-error.h). */
#pragma once

#include <gio/gio.h>

#include "till-pay-error.h"
#include "till-wxpay-sign.h"
#include "till-wxpay-types.h"

G_BEGIN_DECLS

#define TILL_WXPAY_USER_AGENT "Tillpoint/0.1.0"

/* Everything the client needs; the client copies the strings and refs the keys. */
typedef struct
{
  const char *base_url;          /* "https://api.mch.weixin.qq.com"; http only for loopback */
  const char *ca_file;           /* optional extra CA (PEM) trusted for https, or NULL */
  const char *mchid;
  const char *appid;
  const char *merchant_serial;   /* serial of the merchant API certificate */
  TillRsaKey *merchant_key;      /* merchant private key (signs requests) */
  TillRsaKey *platform_key;      /* platform public key (verifies answers) */
  const char *platform_key_id;   /* "PUB_KEY_ID_…": sent as Wechatpay-Serial, expected back */
  guint       timeout_ms;        /* limit of one call; 0 = 10000 */
} TillWxpayConfig;

#define TILL_TYPE_WXPAY_CLIENT (till_wxpay_client_get_type ())
G_DECLARE_FINAL_TYPE (TillWxpayClient, till_wxpay_client, TILL, WXPAY_CLIENT, GObject)

/* Checks the configuration: NOT_CONFIGURED for missing ids/keys, plain http to a
 * non-loopback host, or an unreadable CA file. */
TillWxpayClient *till_wxpay_client_new (const TillWxpayConfig *config, GError **error);

const char *till_wxpay_client_get_base_url   (TillWxpayClient *self);
const char *till_wxpay_client_get_mchid      (TillWxpayClient *self);
const char *till_wxpay_client_get_appid      (TillWxpayClient *self);
guint       till_wxpay_client_get_timeout_ms (TillWxpayClient *self);
/* Also the writable "timeout-ms" property (bind it to the http-timeout-ms setting). */
void        till_wxpay_client_set_timeout_ms (TillWxpayClient *self, guint timeout_ms);

/* Below this the clocks count as agreeing ("clock-skew-seconds" stays 0). */
#define TILL_WXPAY_CLOCK_TOLERANCE_S 60

/* The read-only "clock-skew-seconds" property (gint64, notify): how far WeChat Pay's clock
 * is from this till's, in seconds (the provider's minus the till's: +600 = WeChat Pay is
 * 10 minutes ahead), as seen in the Wechatpay-Timestamp of the last signed answer; 0 while
 * unknown or within TILL_WXPAY_CLOCK_TOLERANCE_S. From TILL_WXPAY_MAX_SKEW_S (300 s) on,
 * every answer fails verification (till_pay_error_is_clock_skew()) and no payment is
 * possible until the till's date and time are fixed. */
gint64      till_wxpay_client_get_clock_skew_seconds (TillWxpayClient *self);

/* §1 codepay. 200 → trade_state SUCCESS; 202 → USERPAYING (http_status says which). */
void                  till_wxpay_client_codepay_async  (TillWxpayClient *self,
                                                        const TillWxpayCodepayRequest *request,
                                                        GCancellable *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer user_data);
TillWxpayTransaction *till_wxpay_client_codepay_finish (TillWxpayClient *self,
                                                        GAsyncResult *result, GError **error);

/* §3 query, by out_trade_no or by transaction_id. */
void                  till_wxpay_client_query_async    (TillWxpayClient *self,
                                                        const char *out_trade_no,
                                                        GCancellable *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer user_data);
void                  till_wxpay_client_query_by_id_async (TillWxpayClient *self,
                                                           const char *transaction_id,
                                                           GCancellable *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer user_data);
/* Finishes either query. */
TillWxpayTransaction *till_wxpay_client_query_finish   (TillWxpayClient *self,
                                                        GAsyncResult *result, GError **error);

/* §2 reverse: TRUE once WeChat Pay answered 200 for this out_trade_no. */
void     till_wxpay_client_reverse_async  (TillWxpayClient *self, const char *out_trade_no,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data);
gboolean till_wxpay_client_reverse_finish (TillWxpayClient *self, GAsyncResult *result,
                                           GError **error);

/* §4.1 Native: returns the code_url (g_free) to show as a QR code. */
void  till_wxpay_client_native_async  (TillWxpayClient *self,
                                       const TillWxpayNativeRequest *request,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
char *till_wxpay_client_native_finish (TillWxpayClient *self, GAsyncResult *result,
                                       GError **error);

/* §4.2 close (204). */
void     till_wxpay_client_close_async  (TillWxpayClient *self, const char *out_trade_no,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean till_wxpay_client_close_finish (TillWxpayClient *self, GAsyncResult *result,
                                         GError **error);

/* §5 refunds: create, and query by out_refund_no; both finish with a TillWxpayRefund. */
void             till_wxpay_client_refund_async       (TillWxpayClient *self,
                                                       const TillWxpayRefundRequest *request,
                                                       GCancellable *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer user_data);
void             till_wxpay_client_refund_query_async (TillWxpayClient *self,
                                                       const char *out_refund_no,
                                                       GCancellable *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer user_data);
TillWxpayRefund *till_wxpay_client_refund_finish      (TillWxpayClient *self,
                                                       GAsyncResult *result, GError **error);

/* §6.1 trade bill: bill_date "YYYY-MM-DD", bill_type NULL = "ALL", gzip adds tar_type=GZIP. */
void           till_wxpay_client_trade_bill_async  (TillWxpayClient *self,
                                                    const char *bill_date,
                                                    const char *bill_type,
                                                    gboolean gzip,
                                                    GCancellable *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer user_data);
TillWxpayBill *till_wxpay_client_trade_bill_finish (TillWxpayClient *self,
                                                    GAsyncResult *result, GError **error);

/* §6.2 download: a signed GET of the bill's download_url path and query, sent to the
 * configured base URL; the (unsigned) file is gunzipped when compressed and its SHA1 is
 * checked against hash_value (TILL_PAY_ERROR_CORRUPT otherwise). Returns the bill text. */
void    till_wxpay_client_download_bill_async  (TillWxpayClient *self,
                                                const TillWxpayBill *bill,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer user_data);
GBytes *till_wxpay_client_download_bill_finish (TillWxpayClient *self,
                                                GAsyncResult *result, GError **error);

/* Whether the error leaves the outcome known: its WeChat Pay class
 * (till_wxpay_error_classify() in till-wxpay-provider-map.h) is not UNKNOWN. */
gboolean till_wxpay_error_is_definite (const GError *error);

/* §13.1: "T" + store_id + device_id + yyMMddHHmmss(local_time) + sequence (at least 4
 * digits), at most 32 characters of [0-9A-Za-z_-]; TILL_PAY_ERROR_INVALID otherwise.
 * store_id and device_id should have fixed lengths across tills. */
char *till_wxpay_out_trade_no_build (const char *store_id, const char *device_id,
                                     GDateTime *local_time, guint64 sequence,
                                     GError **error);

/* Whether a plain-http URL to this host would stay on this machine (127.0.0.0/8, ::1,
 * localhost). */
gboolean till_wxpay_host_is_loopback (const char *host);

G_END_DECLS
