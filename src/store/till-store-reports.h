/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sales reports (functions on TillStore): every figure by one SQL aggregate over the
 * period's rows found by index (sale(state, closed_at), refund(state, created_at)); sales
 * are never loaded into memory beyond the result rows. Also the till's side of a
 * reconciliation and the stored reconciliations. */
#pragma once

#include "till-store.h"
#include "till-report.h"
#include "till-reconcile.h"

G_BEGIN_DECLS

/* The report of [from_us, to_us) with at most `top_products` products (0 = 20).
 * `title_period` labels it ("2026-11-21"). */
TillReport *till_store_report_period (TillStore   *self,
                                      gint64       from_us,
                                      gint64       to_us,
                                      const char  *title_period,
                                      guint        top_products,
                                      GError     **error);
/* The report of a local day "YYYY-MM-DD" (TILL_CORE_ERROR_INVALID_ARGUMENT when it is
 * not a date). */
TillReport *till_store_report_day    (TillStore   *self,
                                      const char  *date,
                                      GError     **error);
/* Days [from_date, to_date) — to_date excluded. */
TillReport *till_store_report_range  (TillStore   *self,
                                      const char  *from_date,
                                      const char  *to_date,
                                      GError     **error);

/* ---- reconciliation ---- */
/* Each provider's bill is reconciled with that provider's payments and refunds alone:
 * `methods` is the set of payment methods (TILL_PAYMENT_METHOD_BIT()s) its payments
 * record (the bill service asks the provider: till_pay_provider_owns_method()); cash is
 * never part of it. `provider` is the provider's name ("wechat", "alipay"), kept with the
 * stored result (schema 8; results stored before are WeChat Pay's). */

/* The till's payments of `methods` and their refunds made on the local day `date`, plus
 * any other of `methods` the bill names (by out_trade_no / out_refund_no); TillReconcileItem*.
 * TILL_CORE_ERROR_INVALID_ARGUMENT when `methods` holds no electronic method. */
GPtrArray  *till_store_reconcile_items (TillStore      *self,
                                        const char     *date,
                                        guint           methods,
                                        const TillBill *bill,
                                        GError        **error);
/* Loads the till's side, compares with `bill`, and stores the result (reconciliation
 * row: date, provider, fetched_at, result_json, status balanced|differences). */
TillReconciliation *till_store_reconcile_day (TillStore      *self,
                                              const char     *date,
                                              const char     *provider,
                                              guint           methods,
                                              const TillBill *bill,
                                              gint64          fetched_at_us,
                                              GError        **error);
/* The newest stored result of `provider` for `date` as JSON (and its status in
 * *out_status, may be NULL), or NULL + TILL_STORE_ERROR_NOT_FOUND. */
char       *till_store_reconcile_load (TillStore   *self,
                                       const char  *date,
                                       const char  *provider,
                                       char       **out_status,
                                       GError     **error);

G_END_DECLS
