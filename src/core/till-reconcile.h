/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reconciliation of a day: the provider's trade bill against the till's own payments and
 * refunds, matched by out_trade_no (payments) and out_refund_no (refunds). Pure: the
 * store loads the till's side, this compares, the result is stored as JSON and shown. */
#pragma once

#include <glib.h>
#include "till-bill.h"

G_BEGIN_DECLS

/* One payment or refund as the till has it. */
typedef struct
{
  gboolean  is_refund;
  char     *key;          /* out_trade_no or out_refund_no */
  char     *trade_key;    /* refunds: the out_trade_no of the payment refunded */
  char     *method;       /* "wechat_code", ... */
  gint64    amount_fen;
  char     *state;        /* the till's state: payments paid/failed/...; refunds success/... */
  char     *sale_number;  /* may be NULL */
  gint64    at;           /* unix µs */
} TillReconcileItem;

TillReconcileItem *till_reconcile_item_new  (gboolean    is_refund,
                                             const char *key,
                                             const char *trade_key,
                                             const char *method,
                                             gint64      amount_fen,
                                             const char *state,
                                             const char *sale_number,
                                             gint64      at);
void               till_reconcile_item_free (TillReconcileItem *item);

typedef enum
{
  TILL_RECONCILE_MISSING_AT_TILL,      /* the provider has it, the till does not */
  TILL_RECONCILE_MISSING_AT_PROVIDER,  /* the till counts money the provider does not show */
  TILL_RECONCILE_AMOUNT,               /* both have it, with other amounts */
  TILL_RECONCILE_STATE,                /* both have it; paid on one side, not on the other */
} TillReconcileKind;

const char *till_reconcile_kind_to_string (TillReconcileKind kind);

typedef struct
{
  TillReconcileKind kind;
  gboolean  is_refund;
  char     *key;
  gint64    bill_amount_fen;   /* 0 when the bill has no row */
  gint64    till_amount_fen;   /* 0 when the till has no row */
  char     *bill_state;        /* NULL when the bill has no row */
  char     *till_state;        /* NULL when the till has no row */
  char     *sale_number;
  char     *time;              /* the bill's time, or the till's (local) */
} TillReconcileDiff;

typedef struct
{
  char      *date;                 /* "YYYY-MM-DD" */
  guint      n_bill_rows;
  guint      n_till_items;
  guint      n_matched;
  guint      n_missing_at_till;
  guint      n_missing_at_provider;
  guint      n_amount;
  guint      n_state;
  /* money as counted on each side: payments (net of reversals) and refunds */
  gint64     bill_paid_fen;
  gint64     bill_refunded_fen;
  gint64     till_paid_fen;
  gint64     till_refunded_fen;
  GPtrArray *differences;          /* TillReconcileDiff*, bill order then till order */
} TillReconciliation;

void till_reconciliation_free (TillReconciliation *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillReconciliation, till_reconciliation_free)

/* Compares. `till_items` (TillReconcileItem*) should hold the till's electronic payments
 * and refunds made on `date` and any others the bill names. A till payment counts as
 * money taken when paid; a refund when success. A bill payment row counts when SUCCESS,
 * a refund row when its 退款状态 is SUCCESS; REVOKED rows match a till payment that is
 * reversed, closed or failed. */
TillReconciliation *till_reconcile (const char      *date,
                                    const TillBill  *bill,
                                    GPtrArray       *till_items);

gboolean  till_reconciliation_is_balanced (const TillReconciliation *result);
/* {"date":..,"counts":{..},"totals":{..},"differences":[..]} */
char     *till_reconciliation_to_json     (const TillReconciliation *result);
/* A text page for a manager, in Chinese and English. */
char     *till_reconciliation_to_text     (const TillReconciliation *result);

G_END_DECLS
