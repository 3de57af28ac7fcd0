/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between till-report-window.c and its till-report-window-*.c parts. */
#pragma once

#include <adwaita.h>
#include <glib/gi18n.h>

#include "till-hour-chart.h"
#include "till-reconcile-section.h"
#include "till-member-section.h"
#include "till-stock-section.h"
#include "till-report-window.h"
#include "till-shift-lines.h"

G_BEGIN_DECLS

struct _TillReportWindow
{
  GtkWindow          parent_instance;

  TillContext       *context;
  GCancellable      *cancellable;    /* the current load */
  TillReport        *report;
  TillReportPeriod   period;
  char              *date;           /* the date picked */
  gboolean           loading;
  char              *status;
  GListStore        *methods;
  GListStore        *products;
  GListStore        *cashiers;
  GListStore        *discounts;          /* discounts and overrides by cashier, by product */
  GListStore        *events;

  GtkDropDown       *period_dropdown;
  GtkMenuButton     *date_button;
  GtkPopover        *date_popover;
  GtkCalendar       *calendar;
  GtkLabel          *title_label;
  GtkSpinner        *spinner;
  GtkLabel          *status_label;
  GtkStack          *stack;
  GtkStack          *summary_stack;  /* "report", or "empty" (an AdwStatusPage) */
  AdwToastOverlay   *toast_overlay;
  GtkLabel          *gross_label;
  GtkLabel          *refunds_label;
  GtkLabel          *net_label;
  GtkLabel          *count_label;
  GtkLabel          *average_label;
  GtkWidget         *topups_box;     /* shown when the period has top-ups */
  GtkLabel          *topups_label;
  GtkColumnView     *methods_view;
  TillHourChart     *hour_chart;
  GtkColumnView     *products_view;
  GtkColumnView     *cashiers_view;
  TillShiftLines    *shift_lines;   /* the day's handovers, under the cashiers (issue 18) */
  GtkColumnView     *discounts_view;
  GtkLabel          *events_label;
  GtkColumnView     *events_view;
  GtkLabel          *recon_note_label;
  GtkBox            *recon_box;

  GPtrArray         *recon_sections; /* TillReconcileSection*, one per known provider */
  char              *recon_note;     /* the tab's own line (a period, nothing set up) */
  TillBillService   *bills;          /* followed for "reconciled" and "not-ready" */
  GCancellable      *fetch_cancellable;
  gboolean           fetching;       /* a fetch of any provider runs */

  TillStockReport   *stock_report;   /* the period's; NULL when it could not be made */
  TillStockSection  *stock_section;  /* the Stock tab */
  TillMemberReport  *member_report;  /* the period's stored value; NULL when not made */
  TillMemberSection *member_section; /* the Stored value tab */
};

enum {
  PROP_0,
  PROP_LOADING,
  PROP_FETCHING,
  N_PROPS
};

void     _till_report_window_set_status          (TillReportWindow *self,
                                                  const char       *text);
/* A message nobody must acknowledge ("已导出 Saved …"): a toast; the status getter has it. */
void     _till_report_window_toast               (TillReportWindow *self,
                                                  const char       *text);
void     _till_report_window_update_fetch_action (TillReportWindow *self);
void     _till_report_window_reload              (TillReportWindow *self);
void     _till_report_window_set_fetching        (TillReportWindow *self,
                                                  gboolean          fetching);

/* till-report-window-export.c */
void     _till_report_window_export_csv_action_cb (GtkWidget  *widget,
                                                   const char *action_name,
                                                   GVariant   *parameter);
void     _till_report_window_print_action_cb      (GtkWidget  *widget,
                                                   const char *action_name,
                                                   GVariant   *parameter);

/* till-report-window-reconcile.c */
void     _till_report_window_fetch_bill_action_cb (GtkWidget        *widget,
                                                   const char       *action_name,
                                                   GVariant         *parameter);
void     _till_report_window_context_bills_cb     (TillContext      *context,
                                                   GParamSpec       *pspec,
                                                   TillReportWindow *self);
void     _till_report_window_recon_init           (TillReportWindow *self);
/* On the store thread: every known provider's stored result of `date` (an opaque list
 * for _till_report_window_recon_fill(); free with g_ptr_array_unref). */
GPtrArray *_till_report_window_recon_load         (TillStore        *store,
                                                   const char       *date);
/* Shows what was loaded (`loaded` NULL: not a day). */
void     _till_report_window_recon_fill           (TillReportWindow *self,
                                                   const char       *date,
                                                   GPtrArray        *loaded);
/* A new load starts: a fetch's or a job's line about another day goes. */
void     _till_report_window_recon_reloading      (TillReportWindow *self,
                                                   gboolean          day);

/* till-report-window-stock.c */
void     _till_report_window_stock_init           (TillReportWindow *self);
/* On the store thread: the stock report of the local dates [from, to); NULL with
 * `out_error` (a message for the manager) when it could not be made. */
TillStockReport *_till_report_window_stock_load   (TillStore        *store,
                                                   const char       *from,
                                                   const char       *to,
                                                   char            **out_error);
/* Shows `report` (taken) or `error`. */
void     _till_report_window_stock_fill           (TillReportWindow *self,
                                                   TillStockReport  *report,
                                                   const char       *error);
/* The stock sections after the sales report's text or CSV, when the till tracks stock. */
void     _till_report_window_stock_append         (TillReportWindow *self,
                                                   GString          *out,
                                                   gboolean          csv);

/* till-report-window-members.c (issue 16), as the stock tab's */
void     _till_report_window_members_init         (TillReportWindow *self);
TillMemberReport *_till_report_window_members_load (TillStore       *store,
                                                   const char       *from,
                                                   const char       *to,
                                                   char            **out_error);
void     _till_report_window_members_fill         (TillReportWindow *self,
                                                   TillMemberReport *report,
                                                   const char       *error);
/* The stored-value sections after the stock ones, when the members have moves. */
void     _till_report_window_members_append       (TillReportWindow *self,
                                                   GString          *out,
                                                   gboolean          csv);

G_END_DECLS
