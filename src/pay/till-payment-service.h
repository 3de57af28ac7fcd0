/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillPaymentService: the exactly-once payment flow for "merchant scans the customer's
 * payment code" and a QR order the customer scans (WeChat Pay's Native) (ARCHITECTURE
 * "Payment flow", reference §8, §13.1), through a TillPayProvider: the flow knows only the
 * provider-neutral states of till-pay-provider.h, and each payment row records the method
 * the provider names for its scene (till_pay_provider_get_method()).
 *
 * Every payment is a row committed before its request leaves; every state it reaches is
 * stored before the next request; a payment that is not known to be paid is queried and,
 * at its deadline, reversed (code pay, never earlier than the reverse delay after the pay
 * call) or closed (Native). A reverse/close that cannot be sent now goes to the outbox
 * (TillOutboxWorker finishes it). After a crash, till_payment_service_resume_pending()
 * drives every unfinished payment from its stored state through the same code.
 *
 * All methods run on the main context the service was created on; store writes run on the
 * store's thread (the UI never waits for a disk or the network).
 *
 * Signals:
 *   "payment-changed" (gint64 payment_id, const char *state, const char *message): after
 *     every stored state change of a payment this service drives; state is the store's
 *     name ("user_paying", "paid", ...), message a plain sentence for the cashier and the
 *     customer display (Chinese · English). A payment that turns out paid when its sale
 *     can no longer take it (voided or paid otherwise meanwhile) is reported "paid" with a
 *     message saying the money is being refunded automatically; it does not pay the sale
 *     (TillPaymentRecord.unattached, TillPaymentOutcome.refunded_late) and "outbox-changed"
 *     follows for its refund.
 *   "native-code" (gint64 payment_id, const char *code_url): a Native order is created;
 *     show code_url as a QR code on the customer display.
 *   "outbox-changed" (): a job was queued (TillOutboxWorker wakes on it). */
#pragma once

#include <gio/gio.h>

#include "till-store.h"
#include "till-pay-provider.h"
#include "till-store-payments.h"

G_BEGIN_DECLS

typedef gint64 (*TillPaymentClockFunc) (gpointer data);   /* unix µs */

typedef struct
{
  const char *store_id;              /* order-number prefix parts, [0-9A-Za-z_-] */
  const char *device_id;
  guint       query_interval_ms;     /* 0 = 5000: first query after this, then every */
  guint       deadline_ms;           /* 0 = 30000: code pay; then reverse */
  guint       native_deadline_ms;    /* 0 = 300000: Native; then close */
  guint       reverse_min_delay_ms;  /* 0 = 15000: never reverse earlier after the pay call */
  guint       reverse_attempts;      /* 0 = 3: reverse/close tries before the outbox */
  guint       reverse_retry_ms;      /* 0 = 1000: first wait between tries, doubling */
  const char *description;           /* goods description; NULL = "Tillpoint" */
  TillPaymentClockFunc clock;        /* NULL = g_get_real_time */
  gpointer             clock_data;
} TillPaymentServiceConfig;

/* The result of a payment attempt (boxed). */
typedef struct
{
  gint64           payment_id;
  TillPaymentState state;
  char            *out_trade_no;
  char            *transaction_id;   /* when paid */
  char            *message;          /* for the cashier and the customer display */
  char            *code_url;         /* Native only */
  gboolean         sale_paid;        /* the sale is now paid (fully covered) */
  gboolean         refunded_late;    /* paid when its sale could no longer take it (voided
                                        or paid otherwise): unattached, and its refund is
                                        on its way by itself (till_store_payment_mark_paid_full) */
} TillPaymentOutcome;

#define TILL_TYPE_PAYMENT_OUTCOME (till_payment_outcome_get_type ())
GType               till_payment_outcome_get_type (void) G_GNUC_CONST;
TillPaymentOutcome *till_payment_outcome_copy     (const TillPaymentOutcome *outcome);
void                till_payment_outcome_free     (TillPaymentOutcome       *outcome);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillPaymentOutcome, till_payment_outcome_free)

#define TILL_TYPE_PAYMENT_SERVICE (till_payment_service_get_type ())
G_DECLARE_FINAL_TYPE (TillPaymentService, till_payment_service, TILL, PAYMENT_SERVICE, GObject)

/* Fails (TILL_PAY_ERROR_INVALID) when the store/device ids cannot make an order number.
 * `provider` is the first provider; more are added with
 * till_payment_service_add_provider(). A payment code goes to the provider that accepts
 * its kind (till_pay_provider_accepts_code()), a stored payment to the one that owns its
 * method (till_pay_provider_owns_method()). */
TillPaymentService *till_payment_service_new (TillStore                      *store,
                                              TillPayProvider                *provider,
                                              const TillPaymentServiceConfig *config,
                                              GError                        **error);

TillStore       *till_payment_service_get_store    (TillPaymentService *self);
/* The first provider (a QR order goes there unless one is named). */
TillPayProvider *till_payment_service_get_provider (TillPaymentService *self);
/* One more provider (Alipay beside WeChat Pay): payment codes go to the provider that
 * accepts their kind; stored payments to the one that owns their method. */
void             till_payment_service_add_provider (TillPaymentService *self,
                                                    TillPayProvider    *provider);
/* Every provider, the first included (TillPayProvider*, borrowed). */
GPtrArray       *till_payment_service_get_providers (TillPaymentService *self);
/* The provider that takes this payment code (by its kind), or NULL: not accepted here. */
TillPayProvider *till_payment_service_get_provider_for_code (TillPaymentService *self,
                                                             const char         *code);
/* By till_pay_provider_get_name() ("wechat", "alipay"), or NULL. */
TillPayProvider *till_payment_service_get_provider_by_name (TillPaymentService *self,
                                                            const char         *name);

/* The plain-words message for a state ("paid" → "支付成功 · Paid"); detail (may be NULL)
 * is the reason of a failure. */
char *till_payment_service_describe (TillPaymentState state,
                                     const char      *detail);

/* Code pay: the stored sale `sale_id` (open) pays amount_fen with the scanned payment
 * code (recorded as the provider's code method, e.g. wechat_code). Completes when the
 * payment is final (paid / failed / reversed) or, when a reverse had to be left to the
 * outbox, with state reversing. Errors: the store's refusal
 * (TILL_STORE_ERROR_INVALID_STATE: one in progress, sale not open, amount) before anything
 * is sent; TILL_PAY_ERROR_* for a configuration problem; G_IO_ERROR_CANCELLED when
 * `cancellable` is cancelled or the service is shut down — the payment itself then goes
 * on (or is resumed at the next start): cancelling the wait never abandons a payment. */
void                till_payment_service_pay_code_async  (TillPaymentService  *self,
                                                          gint64               sale_id,
                                                          gint64               amount_fen,
                                                          const char          *auth_code,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
TillPaymentOutcome *till_payment_service_pay_code_finish (TillPaymentService  *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

/* A QR order (WeChat Pay's Native; recorded as the provider's QR method, e.g.
 * wechat_native): creates the order and completes as soon as code_url is known (state
 * user_paying; outcome->code_url) or the order failed. The payment then goes on by
 * itself: "payment-changed" reports paid, or closed at the Native deadline or after
 * till_payment_service_cancel(). */
void                till_payment_service_pay_native_async  (TillPaymentService  *self,
                                                            gint64               sale_id,
                                                            gint64               amount_fen,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
TillPaymentOutcome *till_payment_service_pay_native_finish (TillPaymentService  *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

/* The same with the provider named (NULL: the first): "wechat" (Native), "alipay"
 * (precreate). Finish with till_payment_service_pay_native_finish(). */
void                till_payment_service_pay_qr_async      (TillPaymentService  *self,
                                                            const char          *provider_name,
                                                            gint64               sale_id,
                                                            gint64               amount_fen,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);

/* The code_url of a live Native payment (g_free), or NULL. */
char    *till_payment_service_dup_code_url (TillPaymentService *self,
                                            gint64              payment_id);

/* The cashier gives up on a live payment: code pay in user_paying/in_doubt → reversing
 * (same delay rule, same outbox fallback); Native → close. FALSE + error when the payment
 * is not live here or already final/paid. */
gboolean till_payment_service_cancel (TillPaymentService *self,
                                      gint64              payment_id,
                                      GError            **error);

/* Drives every unfinished payment in the store (after a crash or power loss) from its
 * stored state: query first; paid → the sale completes; not paid by its deadline →
 * reverse/close. Returns how many it started (payments already live are skipped). */
guint    till_payment_service_resume_pending (TillPaymentService *self,
                                              GError            **error);

/* One payment, for the outbox: drives it from its stored state until it is final
 * (TRUE), or fails with the reason it could not finish now (a reverse/close not sent:
 * try again later). A payment already live waits for that flow instead. Already final:
 * TRUE at once. */
void     till_payment_service_resolve_async  (TillPaymentService  *self,
                                              gint64               payment_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean till_payment_service_resolve_finish (TillPaymentService  *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* Payments this service is driving right now. */
guint    till_payment_service_get_n_live (TillPaymentService *self);

/* Stops all work at once, as a crash would: no more requests or writes; pending calls
 * complete with G_IO_ERROR_CANCELLED; stored states stay as they are. Also on dispose. */
void     till_payment_service_shutdown (TillPaymentService *self);

G_END_DECLS
