/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReportWindow (Ctrl+R, after a manager's PIN): a day, week or month at a glance —
 * gross, refunds, net, number of sales, average ticket; by payment method, by hour (bar
 * chart), top products, by cashier; voids and refunds; the reconciliation of the day with
 * the provider's bill. CSV export and printing. The report is computed on the store
 * thread; the window stays responsive while it loads. */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"
#include "till-report.h"

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
/* The report on screen (NULL before the first load). */
const TillReport *till_report_window_get_report   (TillReportWindow *self);
/* The text of a headline figure: "gross", "refunds", "net", "count", "average". */
const char       *till_report_window_get_figure   (TillReportWindow *self,
                                                   const char       *name);
/* The reconciliation's status line and its difference rows (TillTextRow: kind, key,
 * bill amount, till amount, sale, time). */
const char       *till_report_window_get_reconcile_status (TillReportWindow *self);
GListModel       *till_report_window_get_reconcile_rows   (TillReportWindow *self);
/* "立即核对 Fetch now" (report.fetch-bill, Ctrl+B): fetches and reconciles the day on
 * screen through the context's TillBillService; property "fetching" (boolean) while it
 * runs. The line under the status says how it went, or what the bill job is doing (not
 * ready yet: when it tries again; reconciled by the job). */
void              till_report_window_fetch_bill           (TillReportWindow *self);
gboolean          till_report_window_get_fetching         (TillReportWindow *self);
const char       *till_report_window_get_reconcile_job    (TillReportWindow *self);
/* The counts line under the status ("一致 Matched N · …"; "" when none). */
const char       *till_report_window_get_reconcile_counts (TillReportWindow *self);
/* Rows of the other tables (TillTextRow). "methods", "products", "cashiers", "events". */
GListModel       *till_report_window_get_rows     (TillReportWindow *self,
                                                   const char       *table);
/* The message under the toolbar ("" when none). */
const char       *till_report_window_get_status   (TillReportWindow *self);

/* Writes the CSV of the report on screen to `file` (asynchronously). */
void              till_report_window_export_csv_async  (TillReportWindow    *self,
                                                        GFile               *file,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean          till_report_window_export_csv_finish (TillReportWindow    *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

G_END_DECLS
