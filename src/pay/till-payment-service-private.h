/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals shared by the payment service's files: the object, its store calls and one
 * payment's state (till-payment-service-op.c), and its provider calls
 * (till-payment-service-calls.c). */
#pragma once

#include "till-payment-service.h"

G_BEGIN_DECLS

struct _TillPaymentService
{
  GObject           parent_instance;

  TillStore        *store;
  TillPayProvider  *provider;     /* the first one: QR orders unless one is named */
  GPtrArray        *providers;    /* every provider, the first included (owned refs) */
  char             *store_id;
  char             *device_id;
  char             *description;
  guint             interval_ms;
  guint             deadline_ms;
  guint             native_deadline_ms;
  guint             reverse_delay_ms;
  guint             reverse_attempts;
  guint             reverse_retry_ms;
  TillPaymentClockFunc clock;
  gpointer          clock_data;

  GHashTable       *ops;          /* gint64* payment id -> PayOp* (one ref) */
  GCancellable     *cancellable;  /* every request; cancelled by shutdown */
  gboolean          shut_down;
};

enum
{
  SIGNAL_PAYMENT_CHANGED,
  SIGNAL_NATIVE_CODE,
  SIGNAL_OUTBOX_CHANGED,
  N_SIGNALS
};

extern guint till_payment_service_signals[N_SIGNALS];

gint64 till_payment_service_now_us (TillPaymentService *self);

/* ---------------------------------------------------------------- store calls */
typedef enum
{
  CALL_BEGIN,
  CALL_UPDATE,
  CALL_PAID,
  CALL_ENQUEUE,
  CALL_GET,
} CallKind;

/* One store operation run on the store thread; shared (atomic refcount) between the
 * caller and the store's job. */
typedef struct
{
  CallKind          kind;
  gint64            payment_id;
  gint64            sale_id;
  gint64            amount;
  gint64            now;
  gint64            deadline;
  TillPaymentMethod method;
  TillPayScene      scene;
  char             *store_id;
  char             *device_id;
  char             *last4;
  TillPaymentState  state;
  char             *transaction_id;
  char             *last_error;
  const char       *job_kind;
  char             *job_key;
  char             *payload;
  /* results */
  char             *out_trade_no;
  gboolean          sale_paid;
  gint64            refund_id;    /* CALL_PAID: the sale could not take it: refunding */
  TillPaymentRecord *record;
} StoreCall;

/* ---------------------------------------------------------------- one payment */

typedef struct _PayOp PayOp;
typedef void (*OpStep) (PayOp *op);

struct _PayOp
{
  int                 ref;
  TillPaymentService *svc;            /* NULL once finished or shut down */
  gint64              payment_id;
  gint64              sale_id;
  TillPayProvider    *provider;       /* the one that takes this payment (owned) */
  TillPaymentMethod   method;         /* as the provider records it */
  TillPayScene        scene;          /* code pay, or a QR order (Native) */
  gint64              amount;
  char               *out_trade_no;
  char               *auth_code;      /* only until the codepay is sent */
  char               *code_url;
  char               *transaction_id;
  char               *message;
  char               *detail;         /* reason of a failure, for the message */
  TillPaymentState    state;
  gint64              pay_call_at;
  gint64              deadline_at;
  guint               reverse_failures;
  guint               timer_id;
  OpStep              timer_step;
  gboolean            cancel_requested;
  gboolean            from_worker;    /* resolve: no in-flow retries, no outbox */
  gboolean            sale_paid;
  gint64              late_refund_id; /* paid when the sale could no longer take it */
  gboolean            queued;         /* handed to the outbox */
  GTask              *task;           /* pay_code / pay_native */
  GPtrArray          *waiters;        /* resolve tasks */
};

StoreCall *till_payment_store_call_new   (CallKind             kind);
void       till_payment_store_call_unref (StoreCall           *call);
/* Runs `call` on the store's thread; the callback gets it from till_store_run_finish(). */
void       till_payment_store_call_async (TillPaymentService  *self,
                                          StoreCall           *call,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);

/* ---------------------------------------------------------------- one payment
 * (till-payment-service-op.c) */

PayOp              *till_pay_op_new          (TillPaymentService *self);
PayOp              *till_pay_op_ref          (PayOp              *op);
void                till_pay_op_unref        (PayOp              *op);
gboolean            till_pay_op_is_qr        (PayOp              *op);
gboolean            till_pay_op_alive        (PayOp              *op);
TillPaymentOutcome *till_pay_op_outcome      (PayOp              *op);
void                till_pay_op_cancel_timer (PayOp              *op);
void                till_pay_op_finish       (PayOp              *op,
                                              const GError       *error);
void                till_pay_op_emit_changed (PayOp              *op);
void                till_pay_op_store_failed (PayOp              *op,
                                              GError             *error);
void                till_pay_op_persist      (PayOp              *op,
                                              TillPaymentState    state,
                                              const char         *last_error,
                                              OpStep              next);
void                till_pay_op_persist_paid (PayOp              *op,
                                              const char         *transaction_id);
void                till_pay_op_set_detail   (PayOp              *op,
                                              const char         *detail);
void                till_pay_op_schedule     (PayOp              *op,
                                              gint64              delay_ms,
                                              OpStep              step);
void                till_pay_op_query        (PayOp              *op);
void                till_pay_op_poll_later   (PayOp              *op);

/* ---------------------------------------------------------------- provider calls
 * (till-payment-service-calls.c) */

void till_pay_op_start_codepay (PayOp      *op);
void till_pay_op_start_qr      (PayOp      *op);
void till_pay_op_begin_cancel  (PayOp      *op,
                                const char *reason);
void till_pay_op_cancel_step   (PayOp      *op);

G_END_DECLS
