/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals shared by the refund service's files: the object and one refund's drive
 * (till-refund-service.c), and the outbox jobs (till-refund-service-jobs.c). */
#pragma once

#include "till-refund-service.h"
#include "till-store-refunds.h"

G_BEGIN_DECLS

struct _TillRefundService
{
  GObject          parent_instance;

  TillStore       *store;
  GPtrArray       *providers;       /* TillPayProvider* (owned); none configured: cash only */
  guint            query_delay_ms;
  TillCashRounding cash_rounding;   /* cash handed back: the till's rule */
  GCancellable    *cancellable;     /* every request; cancelled by shutdown */
  gboolean         shut_down;
};

/* The last_error of a refund the provider accepted but that is stuck until someone handles
 * it there (TILL_PAY_REFUND_STUCK; WeChat Pay's word, kept as stored by earlier
 * versions). */
#define TILL_REFUND_STUCK_MARK "ABNORMAL"

typedef enum
{
  DRIVE_FINAL,        /* stored final */
  DRIVE_PROCESSING,   /* accepted; queries follow */
  DRIVE_QUEUED,       /* outcome unknown / not sent: the outbox sends it again */
} DriveResult;

/* One refund driven from its stored state until the next stored state. */
typedef struct
{
  TillRefundService *self;
  TillRefundRecord  *record;      /* as stored last */
  TillPayProvider   *provider;    /* owns the payment's method (a ref) */
  gboolean           from_job;
  GError            *create_error; /* a refusal being checked with a query */
  GError            *error;        /* why it is not final (for the outbox) */
} Drive;

/* The configured provider that owns `method` (sends its refunds), or NULL. */
TillPayProvider *till_refund_service_provider_for (TillRefundService *self,
                                                  TillPaymentMethod  method);
/* "refund-changed" with the words for `r`. */
void             till_refund_service_emit_changed (TillRefundService      *self,
                                                   const TillRefundRecord *r);

/* Drives `record` one step: returns a DriveResult (g_task_propagate_int) or an error when
 * the store failed / the service stopped. */
void till_refund_service_drive_async (TillRefundService      *self,
                                      const TillRefundRecord *record,
                                      gboolean                from_job,
                                      GAsyncReadyCallback     callback,
                                      gpointer                user_data);

G_END_DECLS
