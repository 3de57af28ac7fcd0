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
/* The till's electronic payments and refunds of the local day `date`, plus any other the
 * bill names (by out_trade_no / out_refund_no); TillReconcileItem*. */
GPtrArray  *till_store_reconcile_items (TillStore      *self,
                                        const char     *date,
                                        const TillBill *bill,
                                        GError        **error);
/* Loads the till's side, compares with `bill`, and stores the result (reconciliation
 * row: date, fetched_at, result_json, status balanced|differences). */
TillReconciliation *till_store_reconcile_day (TillStore      *self,
                                              const char     *date,
                                              const TillBill *bill,
                                              gint64          fetched_at_us,
                                              GError        **error);
/* The newest stored result for `date` as JSON (and its status in *out_status, may be
 * NULL), or NULL + TILL_STORE_ERROR_NOT_FOUND. */
char       *till_store_reconcile_load (TillStore   *self,
                                       const char  *date,
                                       char       **out_status,
                                       GError     **error);

G_END_DECLS
