/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The report command line: a day's report on stdout, as text or CSV; with the stock
 * sections after it when the till tracks stock, then the stored-value and points sections
 * when the till has members' moves. */
#define G_LOG_DOMAIN "till-report-cli"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>

#include "till-core.h"
#include "till-report.h"
#include "till-store-reports.h"
#include "till-store-member-reports.h"
#include "till-store-stock.h"
#include "till-report-cli.h"

int
till_report_cli_run (TillStore   *store,
                     const char  *date,
                     const char  *format,
                     GError     **error)
{
  g_autoptr(TillReport) report = NULL;
  g_autoptr(TillStockReport) stock = NULL;
  g_autoptr(TillMemberReport) members = NULL;
  g_autofree char *out = NULL;
  gsize length = 0;
  gint64 from, to;
  gboolean csv;

  g_return_val_if_fail (TILL_IS_STORE (store), 1);

  if (format == NULL || g_str_equal (format, "text"))
    csv = FALSE;
  else if (g_str_equal (format, "csv"))
    csv = TRUE;
  else
    {
      g_set_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
                   _("Unknown report format “%s”: use text or csv"), format);
      return 2;
    }
  if (!till_report_parse_day (date, &from, &to, error))
    return 2;

  report = till_store_report_day (store, date, error);
  if (report == NULL)
    return 1;
  stock = till_store_stock_report (store, from, to, error);
  if (stock == NULL)
    return 1;
  members = till_store_member_report_day (store, date, error);
  if (members == NULL)
    return 1;
  if (csv)
    out = till_report_to_csv (report, &length);
  else
    {
      out = till_report_to_text (report);
      length = strlen (out);
    }
  /* Only a till that tracks stock has these sections: the output of one that does not is
   * the sales report alone, as it always was. */
  if (till_stock_report_has_stock (stock))
    {
      GString *both = g_string_new_len (out, length);

      if (csv)
        till_stock_report_append_csv (stock, both);
      else
        till_stock_report_append_text (stock, both);
      length = both->len;
      g_free (out);
      out = g_string_free (both, FALSE);
    }
  /* Likewise the stored-value sections: only a till whose members have moves has them. */
  if (till_member_report_has_moves (members))
    {
      GString *all = g_string_new_len (out, length);

      if (csv)
        till_member_report_append_csv (members, all);
      else
        till_member_report_append_text (members, all);
      length = all->len;
      g_free (out);
      out = g_string_free (all, FALSE);
    }
  if (fwrite (out, 1, length, stdout) != length || fflush (stdout) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The report could not be written to the standard output"));
      return 1;
    }
  return 0;
}
