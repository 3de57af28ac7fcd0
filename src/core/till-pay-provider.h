/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillPayProvider: what the payment flow needs from any payment provider (WeChat Pay,
 * Alipay, ...), in provider-neutral words. The payment, refund and bill services and the
 * outbox speak only to this interface; each provider maps its own answers onto the states
 * below in one place (WeChat Pay: src/wxpay/till-wxpay-provider-map.c).
 *
 * Every call is async (GTask style, cancellable, on the caller's thread-default main
 * context). How a call ends:
 *   - an answer: a neutral result (TillPayTrade, TillPayRefund, a TillBill);
 *   - no usable answer: NULL and a TILL_PAY_ERROR that the provider classified
 *     (till_pay_error_get_failure(): unknown, not sent, refused, not found, busy, not
 *     ready, damaged), with the provider's code and HTTP status when there was one.
 * Paying by code is the exception: till_pay_provider_pay_code_finish() always returns a
 * TillPayTrade, whose state already says what an error meant (failed with the provider's
 * code, or unknown): the payment's outcome is all the flow needs from it.
 *
 * Money is gint64 fen; order numbers ("out_trade_no", "out_refund_no") are the till's,
 * committed to the store before the request leaves.
 *
 * Several providers: a till may hold one per payment-code kind
 * (till_pay_provider_accepts_code()), each recording its own payment method
 * (till_pay_provider_get_method()); a stored payment goes back to the provider whose
 * method it recorded. */
#pragma once

#include <gio/gio.h>

#include "till-barcode.h"
#include "till-bill.h"
#include "till-pay-error.h"
#include "till-payment-method.h"

G_BEGIN_DECLS

/* ---------------------------------------------------------------- neutral states */

/* Where an order stands at the provider. */
typedef enum
{
  TILL_PAY_TRADE_UNKNOWN,      /* no usable answer, or one the flow cannot read: the
                                  outcome is unknown; ask (query) again */
  TILL_PAY_TRADE_PAID,         /* paid (also when refunded since: see refunded) */
  TILL_PAY_TRADE_USER_PAYING,  /* waiting for the customer (password, confirmation) */
  TILL_PAY_TRADE_NOT_PAID,     /* created, not paid yet (a QR not scanned yet) */
  TILL_PAY_TRADE_FAILED,       /* definite: not charged (refused, payment error); code and
                                  message say why */
  TILL_PAY_TRADE_CLOSED,       /* closed unpaid */
  TILL_PAY_TRADE_REVERSED,     /* reversed (cancelled) by the merchant: not charged */
} TillPayTradeState;

const char *till_pay_trade_state_to_string  (TillPayTradeState state);

/* Where a refund stands at the provider. */
typedef enum
{
  TILL_PAY_REFUND_UNKNOWN,     /* an answer without a status the flow knows: ask again */
  TILL_PAY_REFUND_SUCCESS,     /* the money went back */
  TILL_PAY_REFUND_PROCESSING,  /* accepted, on its way: query later */
  TILL_PAY_REFUND_STUCK,       /* accepted, but stuck until someone handles it at the
                                  provider (WeChat Pay's ABNORMAL); query later */
  TILL_PAY_REFUND_CLOSED,      /* closed by the provider: nothing was refunded */
} TillPayRefundState;

const char *till_pay_refund_state_to_string (TillPayRefundState state);

/* How the customer pays: the till scans the customer's payment code, or the customer
 * scans the till's QR code (WeChat Pay Native, Alipay precreate). */
typedef enum
{
  TILL_PAY_SCENE_CODE,
  TILL_PAY_SCENE_QR,
} TillPayScene;

/* ---------------------------------------------------------------- results (boxed) */

typedef struct
{
  TillPayTradeState state;
  char    *out_trade_no;     /* as the provider echoed it, or NULL */
  char    *transaction_id;   /* the provider's id of the order, when known */
  gint64   amount_fen;       /* the order's total; -1 when the answer has none */
  gboolean refunded;         /* PAID: refunded (in part or in full) since */
  char    *provider_state;   /* the provider's own word for the state ("USERPAYING",
                                "TRADE_SUCCESS"), for the log and the payment's
                                last_error; NULL when there was no answer */
  char    *code;             /* FAILED / UNKNOWN after an error: the provider's code
                                ("NOT_ENOUGH"), or NULL */
  char    *message;          /* a sentence for the cashier: why it failed, or the
                                provider's description of the state; may be NULL */
} TillPayTrade;

#define TILL_TYPE_PAY_TRADE (till_pay_trade_get_type ())
GType         till_pay_trade_get_type (void) G_GNUC_CONST;
TillPayTrade *till_pay_trade_new      (TillPayTradeState   state);
TillPayTrade *till_pay_trade_copy     (const TillPayTrade *trade);
void          till_pay_trade_free     (TillPayTrade       *trade);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillPayTrade, till_pay_trade_free)

typedef struct
{
  TillPayRefundState state;
  char   *out_refund_no;     /* as echoed, or NULL */
  char   *refund_id;         /* the provider's id of the refund, when known */
  gint64  amount_fen;        /* this refund's amount; -1 when the answer has none */
  char   *provider_state;    /* the provider's own word ("PROCESSING"), or NULL */
} TillPayRefund;

#define TILL_TYPE_PAY_REFUND (till_pay_refund_get_type ())
GType          till_pay_refund_get_type (void) G_GNUC_CONST;
TillPayRefund *till_pay_refund_new      (TillPayRefundState   state);
TillPayRefund *till_pay_refund_copy     (const TillPayRefund *refund);
void           till_pay_refund_free     (TillPayRefund       *refund);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillPayRefund, till_pay_refund_free)

/* ---------------------------------------------------------------- requests (borrowed) */

typedef struct
{
  const char *out_trade_no;
  gint64      amount_fen;    /* ≥ 1 */
  const char *auth_code;     /* the scanned payment code (never logged) */
  const char *description;   /* goods description */
  const char *device_id;     /* the till */
  const char *store_id;      /* the shop (the merchant's own code) */
} TillPayCodeRequest;

typedef struct
{
  const char *out_trade_no;
  gint64      amount_fen;    /* ≥ 1 */
  const char *description;
  const char *device_id;
  const char *store_id;
} TillPayQrRequest;

typedef struct
{
  const char *out_trade_no;
  const char *transaction_id;  /* the provider's id of the order, or NULL */
  const char *out_refund_no;   /* the idempotency key: the same for every sending */
  gint64      amount_fen;      /* this refund, ≥ 1 */
  gint64      total_fen;       /* the order's total */
  const char *reason;          /* may be NULL */
} TillPayRefundRequest;

/* ---------------------------------------------------------------- the interface */

#define TILL_TYPE_PAY_PROVIDER (till_pay_provider_get_type ())
G_DECLARE_INTERFACE (TillPayProvider, till_pay_provider, TILL, PAY_PROVIDER, GObject)

struct _TillPayProviderInterface
{
  GTypeInterface g_iface;

  const char   *(*get_name)               (TillPayProvider *self);
  gboolean      (*accepts_code)           (TillPayProvider *self,
                                           TillBarcodeKind  kind);
  gboolean      (*get_method)             (TillPayProvider   *self,
                                           TillPayScene       scene,
                                           TillPaymentMethod *out_method);
  gint64        (*get_clock_skew_seconds) (TillPayProvider *self);
  gboolean      (*is_configured)          (TillPayProvider *self);
  guint         (*get_timeout_ms)         (TillPayProvider *self);

  void           (*pay_code_async)       (TillPayProvider *self, const TillPayCodeRequest *request,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data);
  TillPayTrade  *(*pay_code_finish)      (TillPayProvider *self, GAsyncResult *result,
                                          GError **error);
  void           (*create_qr_async)      (TillPayProvider *self, const TillPayQrRequest *request,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data);
  char          *(*create_qr_finish)     (TillPayProvider *self, GAsyncResult *result,
                                          GError **error);
  void           (*query_async)          (TillPayProvider *self, const char *out_trade_no,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data);
  TillPayTrade  *(*query_finish)         (TillPayProvider *self, GAsyncResult *result,
                                          GError **error);
  void           (*cancel_async)         (TillPayProvider *self, const char *out_trade_no,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data);
  gboolean       (*cancel_finish)        (TillPayProvider *self, GAsyncResult *result,
                                          GError **error);
  void           (*close_async)          (TillPayProvider *self, const char *out_trade_no,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data);
  gboolean       (*close_finish)         (TillPayProvider *self, GAsyncResult *result,
                                          GError **error);
  void           (*refund_async)         (TillPayProvider *self,
                                          const TillPayRefundRequest *request,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data);
  TillPayRefund *(*refund_finish)        (TillPayProvider *self, GAsyncResult *result,
                                          GError **error);
  void           (*refund_query_async)   (TillPayProvider *self, const char *out_trade_no,
                                          const char *out_refund_no, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
  TillPayRefund *(*refund_query_finish)  (TillPayProvider *self, GAsyncResult *result,
                                          GError **error);
  void           (*fetch_bill_async)     (TillPayProvider *self, const char *date,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data);
  TillBill      *(*fetch_bill_finish)    (TillPayProvider *self, GAsyncResult *result,
                                          GError **error);
};

/* Properties every provider has (read-only; notify on "clock-skew-seconds"):
 *   "name"                string: "wechat", "alipay"
 *   "configured"          boolean: its calls can be made (keys and ids are set)
 *   "clock-skew-seconds"  gint64: the provider's clock minus the till's, as its last
 *                         verified answer showed; 0 while unknown or within tolerance */

/* The provider's name as logs and settings spell it ("wechat"). */
const char *till_pay_provider_get_name               (TillPayProvider   *self);
/* Whether a scanned payment code of this kind is this provider's (WeChat Pay:
 * TILL_BARCODE_WECHAT_PAY). */
gboolean    till_pay_provider_accepts_code           (TillPayProvider   *self,
                                                      TillBarcodeKind    kind);
/* The method a payment of `scene` records (payment.method); FALSE when this provider has
 * no such scene here. */
gboolean    till_pay_provider_get_method             (TillPayProvider   *self,
                                                      TillPayScene       scene,
                                                      TillPaymentMethod *out_method);
/* Whether `method` is one this provider records; *out_scene (may be NULL) says which. */
gboolean    till_pay_provider_owns_method            (TillPayProvider   *self,
                                                      TillPaymentMethod  method,
                                                      TillPayScene      *out_scene);
gint64      till_pay_provider_get_clock_skew_seconds (TillPayProvider   *self);
gboolean    till_pay_provider_is_configured          (TillPayProvider   *self);
/* The limit of one call: a request may reach the provider up to this long after it was
 * sent. */
guint       till_pay_provider_get_timeout_ms         (TillPayProvider   *self);

/* Pay by the customer's payment code. Always a TillPayTrade, never an error (a failed
 * call, a cancelled one included, is in its state): PAID, USER_PAYING (then query), FAILED
 * (definite: not charged; code and message say why), or UNKNOWN (query; message says
 * why). Never send it twice for one out_trade_no. */
void          till_pay_provider_pay_code_async     (TillPayProvider            *self,
                                                    const TillPayCodeRequest   *request,
                                                    GCancellable               *cancellable,
                                                    GAsyncReadyCallback         callback,
                                                    gpointer                    user_data);
TillPayTrade *till_pay_provider_pay_code_finish    (TillPayProvider            *self,
                                                    GAsyncResult               *result,
                                                    GError                    **error);

/* Create an order the customer pays by scanning a QR code; returns what the QR code holds
 * (g_free): WeChat's code_url, Alipay's qr_code. */
void          till_pay_provider_create_qr_async    (TillPayProvider            *self,
                                                    const TillPayQrRequest     *request,
                                                    GCancellable               *cancellable,
                                                    GAsyncReadyCallback         callback,
                                                    gpointer                    user_data);
char         *till_pay_provider_create_qr_finish   (TillPayProvider            *self,
                                                    GAsyncResult               *result,
                                                    GError                    **error);

/* Where an order stands (state, transaction id, amount). An order the provider does not
 * know (yet) is an error of class TILL_PAY_FAILURE_NOT_FOUND. */
void          till_pay_provider_query_async        (TillPayProvider            *self,
                                                    const char                 *out_trade_no,
                                                    GCancellable               *cancellable,
                                                    GAsyncReadyCallback         callback,
                                                    gpointer                    user_data);
TillPayTrade *till_pay_provider_query_finish       (TillPayProvider            *self,
                                                    GAsyncResult               *result,
                                                    GError                    **error);

/* Cancel (reverse) a code payment: TRUE once the provider says it is cancelled (the money,
 * if any was taken, goes back). NOT_FOUND: the provider never had the order. */
void          till_pay_provider_cancel_async       (TillPayProvider            *self,
                                                    const char                 *out_trade_no,
                                                    GCancellable               *cancellable,
                                                    GAsyncReadyCallback         callback,
                                                    gpointer                    user_data);
gboolean      till_pay_provider_cancel_finish      (TillPayProvider            *self,
                                                    GAsyncResult               *result,
                                                    GError                    **error);

/* Close an unpaid QR order: TRUE once closed. */
void          till_pay_provider_close_async        (TillPayProvider            *self,
                                                    const char                 *out_trade_no,
                                                    GCancellable               *cancellable,
                                                    GAsyncReadyCallback         callback,
                                                    gpointer                    user_data);
gboolean      till_pay_provider_close_finish       (TillPayProvider            *self,
                                                    GAsyncResult               *result,
                                                    GError                    **error);

/* Refund (part of) a paid order; send it again with the same out_refund_no and amount
 * until the provider answers. */
void           till_pay_provider_refund_async       (TillPayProvider            *self,
                                                     const TillPayRefundRequest *request,
                                                     GCancellable               *cancellable,
                                                     GAsyncReadyCallback         callback,
                                                     gpointer                    user_data);
TillPayRefund *till_pay_provider_refund_finish      (TillPayProvider            *self,
                                                     GAsyncResult               *result,
                                                     GError                    **error);

/* Where a refund stands. out_trade_no is the refunded order (some providers need it);
 * a refund the provider does not know is an error of class TILL_PAY_FAILURE_NOT_FOUND. */
void           till_pay_provider_refund_query_async  (TillPayProvider            *self,
                                                      const char                 *out_trade_no,
                                                      const char                 *out_refund_no,
                                                      GCancellable               *cancellable,
                                                      GAsyncReadyCallback         callback,
                                                      gpointer                    user_data);
TillPayRefund *till_pay_provider_refund_query_finish (TillPayProvider            *self,
                                                      GAsyncResult               *result,
                                                      GError                    **error);

/* The provider's trade bill of a day ("YYYY-MM-DD", the provider's calendar), downloaded,
 * checked and parsed (till_bill_parse() rows: payments and refunds); a bill without rows
 * when the provider had no trade that day. Errors: TILL_PAY_FAILURE_NOT_READY (not made
 * yet: try later), TILL_PAY_ERROR_CORRUPT (a damaged download),
 * TILL_CORE_ERROR_INVALID_BILL (a bill that does not parse), network and provider errors. */
void           till_pay_provider_fetch_bill_async   (TillPayProvider            *self,
                                                     const char                 *date,
                                                     GCancellable               *cancellable,
                                                     GAsyncReadyCallback         callback,
                                                     gpointer                    user_data);
TillBill      *till_pay_provider_fetch_bill_finish  (TillPayProvider            *self,
                                                     GAsyncResult               *result,
                                                     GError                    **error);

G_END_DECLS
