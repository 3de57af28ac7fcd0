/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReportWindow: fetching the bill now and following the bill job's signals. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-pay-error.h"
#include "till-report-window-private.h"

/* ---- reconciliation: fetch now, the bill job's signals ---- */

static void
reconcile_now_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(TillReportWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillReconciliation) recon = NULL;

  recon = till_bill_service_reconcile_now_finish (TILL_BILL_SERVICE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (recon == NULL)
    {
      g_autofree char *text = NULL;

      if (g_strcmp0 (till_pay_error_get_provider_code (error), "STATEMENT_CREATING") == 0)
        text = g_strdup_printf (_("账单尚未生成 The bill of %s is not ready yet: WeChat Pay is still making it. Try again later."),
                                self->date);
      else
        text = g_strdup_printf (_("未能获取账单 The bill could not be fetched: %s"),
                                error->message);
      _till_report_window_set_recon_job (self, text, TRUE);
      _till_report_window_set_fetching (self, FALSE);
      return;
    }
  _till_report_window_set_recon_job (self, _("已获取账单并核对 The bill was fetched and reconciled just now"), FALSE);
  _till_report_window_set_fetching (self, FALSE);
  _till_report_window_reload (self);
}

void
_till_report_window_fetch_bill_action_cb (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter)
{
  TillReportWindow *self = TILL_REPORT_WINDOW (widget);
  TillBillService *bills =
    till_payment_runtime_get_bill_service (till_context_get_payment_runtime (self->context));

  if (bills == NULL)
    {
      _till_report_window_set_recon_job (self, _("电子支付未配置，无账单可核对 Electronic payment is not configured: there is no bill to fetch"),
                     TRUE);
      return;
    }
  if (self->fetching || self->period != TILL_REPORT_PERIOD_DAY || self->date == NULL)
    return;
  g_cancellable_cancel (self->fetch_cancellable);
  g_clear_object (&self->fetch_cancellable);
  self->fetch_cancellable = g_cancellable_new ();
  _till_report_window_set_fetching (self, TRUE);
  _till_report_window_set_recon_job (self, _("正在下载账单… Fetching the bill…"), FALSE);
  till_bill_service_reconcile_now_async (bills, self->date, self->fetch_cancellable,
                                         reconcile_now_cb, g_object_ref (self));
}

void
till_report_window_fetch_bill (TillReportWindow *self)
{
  g_return_if_fail (TILL_IS_REPORT_WINDOW (self));
  _till_report_window_fetch_bill_action_cb (GTK_WIDGET (self), "report.fetch-bill", NULL);
}

static void
bills_reconciled_cb (TillBillService  *bills,
                     const char       *date,
                     const char       *status,
                     TillReportWindow *self)
{
  g_autofree char *text = NULL;

  /* A fetch of this window reports through its own callback. */
  if (self->fetching || self->period != TILL_REPORT_PERIOD_DAY
      || g_strcmp0 (date, self->date) != 0)
    return;
  text = g_strdup_printf (g_strcmp0 (status, "balanced") == 0
                          ? _("%1$s 已自动对账：一致 · The day %1$s was reconciled: balanced")
                          : _("%1$s 已自动对账：有差异 · The day %1$s was reconciled: differences"),
                          date);
  _till_report_window_set_recon_job (self, text, FALSE);
  _till_report_window_reload (self);
}

static void
bills_not_ready_cb (TillBillService  *bills,
                    const char       *date,
                    gint64            next_us,
                    TillReportWindow *self)
{
  g_autofree char *text = NULL;

  if (self->fetching || self->period != TILL_REPORT_PERIOD_DAY
      || g_strcmp0 (date, self->date) != 0)
    return;
  text = _till_report_window_next_try_text (date, next_us);
  _till_report_window_set_recon_job (self, text, FALSE);
}

/* The context makes a new bill service when the payment settings change. */
void
_till_report_window_context_bills_cb (TillContext      *context,
                                      GParamSpec       *pspec,
                                      TillReportWindow *self)
{
  TillBillService *bills =
    till_payment_runtime_get_bill_service (till_context_get_payment_runtime (context));

  if (bills != self->bills)
    {
      if (self->bills != NULL)
        g_signal_handlers_disconnect_by_data (self->bills, self);
      g_set_object (&self->bills, bills);
      if (bills != NULL)
        {
          g_signal_connect (bills, "reconciled", G_CALLBACK (bills_reconciled_cb), self);
          g_signal_connect (bills, "not-ready", G_CALLBACK (bills_not_ready_cb), self);
        }
    }
  _till_report_window_update_fetch_action (self);
}
