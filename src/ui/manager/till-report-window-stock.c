/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReportWindow: the Stock tab (issue 15) — the stock report of the period, loaded
 * with the sales report on the store thread and shown by a TillStockSection. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-report-window-private.h"
#include "till-store-stock.h"

void
_till_report_window_stock_init (TillReportWindow *self)
{
  self->stock_section = till_stock_section_new ();
  gtk_stack_add_titled (self->stack, GTK_WIDGET (self->stock_section), "stock", _("Stock"));
}

TillStockReport *
_till_report_window_stock_load (TillStore  *store,
                                const char *from,
                                const char *to,
                                char      **out_error)
{
  g_autoptr(GError) error = NULL;
  gint64 from_us, to_us, end;
  TillStockReport *report;

  /* [from, to) are local dates: from the start of the first to the start of the last */
  if (!till_report_parse_day (from, &from_us, &end, &error)
      || !till_report_parse_day (to, &to_us, &end, &error))
    {
      *out_error = g_strdup (error->message);
      return NULL;
    }
  report = till_store_stock_report (store, from_us, to_us, &error);
  if (report == NULL)
    {
      g_warning ("The stock report of %s to %s could not be made: %s", from, to,
                 error->message);
      *out_error = g_strdup (error->message);
    }
  return report;
}

void
_till_report_window_stock_fill (TillReportWindow *self,
                                TillStockReport  *report,
                                const char       *error)
{
  g_clear_pointer (&self->stock_report, till_stock_report_free);
  self->stock_report = report;
  if (report != NULL)
    till_stock_section_show (self->stock_section, report);
  else
    till_stock_section_show_message (self->stock_section, error);
}

void
_till_report_window_stock_append (TillReportWindow *self,
                                  GString          *out,
                                  gboolean          csv)
{
  if (self->stock_report == NULL || !till_stock_report_has_stock (self->stock_report))
    return;
  if (csv)
    till_stock_report_append_csv (self->stock_report, out);
  else
    till_stock_report_append_text (self->stock_report, out);
}

TillStockSection *
till_report_window_get_stock_section (TillReportWindow *self)
{
  g_return_val_if_fail (TILL_IS_REPORT_WINDOW (self), NULL);
  return self->stock_section;
}
