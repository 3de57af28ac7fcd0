/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReportWindow (Ctrl+R, after a manager's PIN): a day, week or month at a glance —
 * gross, refunds, net, number of sales, average ticket; by payment method, by hour (bar
 * chart), top products, by cashier; voids and refunds; the reconciliation of the day with
 * the provider's bill. CSV export and printing. The report is computed on the store
 * thread; the window stays responsive while it loads. */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"
#include "till-shift-lines.h"
#include "till-report.h"
#include "till-member-section.h"
#include "till-stock-section.h"

G_BEGIN_DECLS

#define TILL_TYPE_REPORT_WINDOW (till_report_window_get_type ())
G_DECLARE_FINAL_TYPE (TillReportWindow, till_report_window, TILL, REPORT_WINDOW, GtkWindow)

typedef enum
{
  TILL_REPORT_PERIOD_DAY,
  TILL_REPORT_PERIOD_WEEK,    /* Monday to Sunday */
  TILL_REPORT_PERIOD_MONTH,
} TillReportPeriod;

/* Opens on today. Properties "loading" and "fetching" (boolean, read-only). */
TillReportWindow *till_report_window_new          (GtkWindow        *parent,
                                                   TillContext      *context);
/* Shows the period of `date` ("YYYY-MM-DD"); loads it. */
void              till_report_window_show_period  (TillReportWindow *self,
                                                   TillReportPeriod  period,
                                                   const char       *date);
gboolean          till_report_window_get_loading  (TillReportWindow *self);
/* The handovers of the day shown (issue 18), on the Cashiers page. */
TillShiftLines   *till_report_window_get_shift_lines (TillReportWindow *self);
/* The report on screen (NULL before the first load). */
const TillReport *till_report_window_get_report   (TillReportWindow *self);
/* The text of a headline figure: "gross", "refunds", "net", "count", "average". */
const char       *till_report_window_get_figure   (TillReportWindow *self,
                                                   const char       *name);
/* The reconciliation tab: one part per provider (TillReconcileSection), "wechat" (微信支付
 * WeChat Pay) and "alipay" (支付宝 Alipay), shown when the provider is set up or the day
 * has a stored result of it. Per provider: its status line, the counts line under it
 * ("一致 Matched N · …"; "" when none), what its bill job or a fetch did (not ready yet:
 * when it is tried again; reconciled by the job; a fetch's error) and the difference rows
 * (TillTextRow: kind, order number, bill, till, sale, time, payment or refund). `provider`
 * NULL for the job line: the tab's own line (a period that is not a day, nothing set up). */
gboolean          till_report_window_get_reconcile_shown  (TillReportWindow *self,
                                                           const char       *provider);
const char       *till_report_window_get_reconcile_status (TillReportWindow *self,
                                                           const char       *provider);
const char       *till_report_window_get_reconcile_counts (TillReportWindow *self,
                                                           const char       *provider);
const char       *till_report_window_get_reconcile_job    (TillReportWindow *self,
                                                           const char       *provider);
GListModel       *till_report_window_get_reconcile_rows   (TillReportWindow *self,
                                                           const char       *provider);
/* "立即核对 Fetch now" (report.fetch-bill with the provider's name; Ctrl+B: "", every
 * provider set up): fetches and reconciles the day on screen through the context's
 * TillBillService; property "fetching" (boolean) while any runs. `provider` NULL: every
 * provider. */
void              till_report_window_fetch_bill           (TillReportWindow *self,
                                                           const char       *provider);
gboolean          till_report_window_get_fetching         (TillReportWindow *self);
/* Rows of the other tables (TillTextRow). "methods", "products", "cashiers", "events". */
GListModel       *till_report_window_get_rows     (TillReportWindow *self,
                                                   const char       *table);
/* The last message: under the toolbar (computing, what went wrong) or a toast's ("已导出
 * Saved …"); "" when none. */
const char       *till_report_window_get_status   (TillReportWindow *self);
/* Whether the summary is the status page of a period with no sale, refund or void. */
gboolean          till_report_window_get_empty    (TillReportWindow *self);

/* Writes the CSV of the report on screen to `file` (asynchronously). */
void              till_report_window_export_csv_async  (TillReportWindow    *self,
                                                        GFile               *file,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean          till_report_window_export_csv_finish (TillReportWindow    *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* The Stock tab (till-report-window-stock.c): for tests. */
TillStockSection *till_report_window_get_stock_section (TillReportWindow *self);
TillMemberSection *till_report_window_get_member_section (TillReportWindow *self);

G_END_DECLS
