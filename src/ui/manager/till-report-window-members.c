/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReportWindow: the Stored value tab (issue 16) — the stored-value and points report of
 * the period, loaded with the sales report on the store thread and shown by a
 * TillMemberSection; exported after the stock sections. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-report-window-private.h"
#include "till-store-member-reports.h"

void
_till_report_window_members_init (TillReportWindow *self)
{
  self->member_section = till_member_section_new ();
  gtk_stack_add_titled (self->stack, GTK_WIDGET (self->member_section), "members",
                        _ ("Stored value"));
}

TillMemberReport *
_till_report_window_members_load (TillStore *store, const char *from, const char *to,
                                  char **out_error)
{
  g_autoptr (GError) error = NULL;
  TillMemberReport *report = till_store_member_report (store, from, to, &error);

  if (report == NULL)
    {
      g_warning ("The stored-value report of %s to %s could not be made: %s", from, to,
                 error->message);
      *out_error = g_strdup (error->message);
    }
  return report;
}

void
_till_report_window_members_fill (TillReportWindow *self, TillMemberReport *report,
                                  const char *error)
{
  g_clear_pointer (&self->member_report, till_member_report_free);
  self->member_report = report;
  if (report != NULL)
    till_member_section_show (self->member_section, report);
  else
    till_member_section_show_message (self->member_section, error);
}

void
_till_report_window_members_append (TillReportWindow *self, GString *out, gboolean csv)
{
  if (self->member_report == NULL || !till_member_report_has_moves (self->member_report))
    return;
  if (csv)
    till_member_report_append_csv (self->member_report, out);
  else
    till_member_report_append_text (self->member_report, out);
}

TillMemberSection *
till_report_window_get_member_section (TillReportWindow *self)
{
  g_return_val_if_fail (TILL_IS_REPORT_WINDOW (self), NULL);
  return self->member_section;
}
