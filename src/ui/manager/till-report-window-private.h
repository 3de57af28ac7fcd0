/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between till-report-window.c and its till-report-window-*.c parts. */
#pragma once

#include <glib/gi18n.h>

#include "till-hour-chart.h"
#include "till-report-window.h"

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
  char              *recon_status;
  char              *status;
  GListStore        *methods;
  GListStore        *products;
  GListStore        *cashiers;
  GListStore        *events;
  GListStore        *recon;

  GtkDropDown       *period_dropdown;
  GtkMenuButton     *date_button;
  GtkPopover        *date_popover;
  GtkCalendar       *calendar;
  GtkLabel          *title_label;
  GtkSpinner        *spinner;
  GtkLabel          *status_label;
  GtkStack          *stack;
  GtkLabel          *gross_label;
  GtkLabel          *refunds_label;
  GtkLabel          *net_label;
  GtkLabel          *count_label;
  GtkLabel          *average_label;
  GtkColumnView     *methods_view;
  TillHourChart     *hour_chart;
  GtkColumnView     *products_view;
  GtkColumnView     *cashiers_view;
  GtkLabel          *events_label;
  GtkColumnView     *events_view;
  GtkLabel          *recon_status_label;
  GtkLabel          *recon_counts_label;
  GtkColumnView     *recon_view;
  GtkLabel          *recon_job_label;
  GtkButton         *fetch_bill_button;

  TillBillService   *bills;          /* followed for "reconciled" and "not-ready" */
  GCancellable      *fetch_cancellable;
  gboolean           fetching;
  char              *recon_job;
  char              *recon_job_date;  /* the day recon_job is about */
};

enum {
  PROP_0,
  PROP_LOADING,
  PROP_FETCHING,
  N_PROPS
};

void     _till_report_window_set_status          (TillReportWindow *self,
                                                  const char       *text);
void     _till_report_window_update_fetch_action (TillReportWindow *self);
void     _till_report_window_set_recon_job       (TillReportWindow *self,
                                                  const char       *text,
                                                  gboolean          error);
char    *_till_report_window_next_try_text       (const char       *date,
                                                  gint64            next_us);
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

G_END_DECLS
