/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's own SQLite ledger: orders, refunds, released bills and the clock
 * offset. Times are unix milliseconds on the simulator's (skewable) clock; money is gint64
 * fen. Time-based transitions (a password entered after a delay, a payment failing, a
 * refund completing, a Native order expiring) are stored as a pending state with a due
 * time and applied by till_paysim_ledger_settle(), so they survive restarts. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  gint64 id;
  char  *out_trade_no;
  char  *transaction_id;   /* NULL until paid */
  char  *trade_type;       /* MICROPAY | NATIVE */
  char  *appid;
  char  *mchid;
  char  *description;
  char  *attach;           /* may be NULL */
  char  *auth_code;        /* MICROPAY only */
  char  *device_id;        /* may be NULL */
  char  *notify_url;       /* NATIVE only */
  char  *code_url;         /* NATIVE only */
  gint64 total;
  char  *currency;
  char  *fingerprint;      /* the parameters that make a retry "the same request" */
  char  *state;            /* SUCCESS REFUND NOTPAY CLOSED REVOKED USERPAYING PAYERROR */
  char  *error_code;       /* why PAYERROR: NOT_ENOUGH, AUTH_CODE_INVALID, TRADE_ERROR */
  char  *scenario;         /* the auth code's ending ("1111"…) or "default" / "native" */
  char  *openid;
  gint64 created_ms;
  char  *pending_state;    /* NULL or the state it turns into at pending_at_ms */
  gint64 pending_at_ms;
  gint64 success_ms;       /* 0 = never paid */
  gint64 ended_ms;         /* when it became CLOSED/REVOKED/PAYERROR, else 0 */
  gint64 refunded;         /* sum of its refunds (any status), computed */
} TillPaysimOrder;

void till_paysim_order_free (TillPaysimOrder *order);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillPaysimOrder, till_paysim_order_free)

typedef struct
{
  gint64 id;
  char  *out_refund_no;
  char  *refund_id;
  gint64 order_id;
  char  *out_trade_no;     /* joined from the order */
  char  *transaction_id;   /* joined from the order */
  gint64 amount;
  gint64 total;
  char  *currency;
  char  *reason;           /* may be NULL */
  char  *status;           /* PROCESSING | SUCCESS */
  gint64 created_ms;
  gint64 success_ms;       /* 0 while PROCESSING */
  gint64 success_at_ms;    /* when PROCESSING turns into SUCCESS */
} TillPaysimRefund;

void till_paysim_refund_free (TillPaysimRefund *refund);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillPaysimRefund, till_paysim_refund_free)

#define TILL_TYPE_PAYSIM_LEDGER (till_paysim_ledger_get_type ())
G_DECLARE_FINAL_TYPE (TillPaysimLedger, till_paysim_ledger, TILL, PAYSIM_LEDGER, GObject)

TillPaysimLedger *till_paysim_ledger_open (const char *path, GError **error);

/* Applies every pending transition due at `now_ms`. */
gboolean till_paysim_ledger_settle (TillPaysimLedger *self, gint64 now_ms, GError **error);

/* NULL with *error unset when there is no such order. */
TillPaysimOrder *till_paysim_ledger_find_order (TillPaysimLedger *self,
                                                const char       *out_trade_no,
                                                GError          **error);
TillPaysimOrder *till_paysim_ledger_find_order_by_transaction_id (TillPaysimLedger *self,
                                                                  const char *transaction_id,
                                                                  GError    **error);
/* Every order, oldest first (GPtrArray of TillPaysimOrder). */
GPtrArray *till_paysim_ledger_list_orders (TillPaysimLedger *self, GError **error);

/* Inserts `order` (id, transaction_id and refunded are filled in). If order->state is
 * SUCCESS a transaction id is assigned. FALSE with G_IO_ERROR_EXISTS when the
 * out_trade_no is taken. */
gboolean till_paysim_ledger_insert_order (TillPaysimLedger *self,
                                          TillPaysimOrder  *order,
                                          GError          **error);

/* Moves an order to `state` at `at_ms`, clearing any pending transition. SUCCESS sets
 * success_ms and a transaction id; CLOSED/REVOKED/PAYERROR set ended_ms. error_code may
 * be NULL. */
gboolean till_paysim_ledger_set_state (TillPaysimLedger *self,
                                       gint64            order_id,
                                       const char       *state,
                                       const char       *error_code,
                                       gint64            at_ms,
                                       GError          **error);

TillPaysimRefund *till_paysim_ledger_find_refund (TillPaysimLedger *self,
                                                  const char       *out_refund_no,
                                                  GError          **error);
/* GPtrArray of TillPaysimRefund for one order (order_id > 0) or for all (0). */
GPtrArray *till_paysim_ledger_list_refunds (TillPaysimLedger *self,
                                            gint64            order_id,
                                            GError          **error);

/* In one transaction: checks that amount ≤ the order's total minus its earlier refunds
 * (else G_IO_ERROR_NO_SPACE) and fewer than 50 refunds (G_IO_ERROR_TOO_MANY_LINKS), then
 * inserts the refund (status PROCESSING, turning SUCCESS at success_at_ms) and sets the
 * order's state to REFUND. */
gboolean till_paysim_ledger_insert_refund (TillPaysimLedger *self,
                                           TillPaysimRefund *refund,
                                           GError          **error);

gint64   till_paysim_ledger_get_clock_offset (TillPaysimLedger *self);
gboolean till_paysim_ledger_set_clock_offset (TillPaysimLedger *self,
                                              gint64            offset_s,
                                              GError          **error);

/* Bills made available early through the control API ("YYYY-MM-DD"). */
gboolean till_paysim_ledger_release_bill (TillPaysimLedger *self,
                                          const char       *bill_date,
                                          gint64            now_ms,
                                          GError          **error);
gboolean till_paysim_ledger_bill_released (TillPaysimLedger *self,
                                           const char       *bill_date,
                                           gboolean         *out_released,
                                           GError          **error);

G_END_DECLS
