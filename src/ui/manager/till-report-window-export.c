/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReportWindow: CSV export and printing of the report. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-system-printer.h"
#include "till-report-window-private.h"

/* ---- CSV ---- */

static void
csv_written_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
till_report_window_export_csv_async (TillReportWindow    *self,
                                     GFile               *file,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *csv;
  gsize length = 0;

  g_return_if_fail (TILL_IS_REPORT_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, till_report_window_export_csv_async);
  if (self->report == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The report is not ready yet"));
      return;
    }
  csv = till_report_to_csv (self->report, &length);
  {
    GString *out = g_string_new_len (csv, length);

    _till_report_window_stock_append (self, out, TRUE);
    _till_report_window_members_append (self, out, TRUE);
    g_free (csv);
    length = out->len;
    csv = g_string_free (out, FALSE);
  }
  bytes = g_bytes_new_take (csv, length);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, csv_written_cb, g_steal_pointer (&task));
}

gboolean
till_report_window_export_csv_finish (TillReportWindow *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  TillReportWindow *self = TILL_REPORT_WINDOW (object);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = g_file_get_parse_name (file);

  if (!till_report_window_export_csv_finish (self, result, &error))
    {
      /* Stays in the window until the next report: it must be read. */
      text = g_strdup_printf (_("Export failed: %s"), error->message);
      _till_report_window_set_status (self, text);
      return;
    }
  text = g_strdup_printf (_("Saved %s"), name);
  _till_report_window_toast (self, text);
}

static void
chooser_response_cb (GtkNativeDialog  *chooser,
                     int               response,
                     TillReportWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      GFile *file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      till_report_window_export_csv_async (self, file, export_done_cb, file);
    }
  g_object_unref (chooser);
}

void
_till_report_window_export_csv_action_cb (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter)
{
  TillReportWindow *self = TILL_REPORT_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (self->report == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export CSV"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("Save"),
                                         _("Cancel"));
  name = g_strdup_printf ("tillpoint-report-%s.csv", self->date);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- print ---- */

static void
print_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TillReportWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!till_print_text_finish (result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _till_report_window_set_status (self, error->message);
}

void
_till_report_window_print_action_cb (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  TillReportWindow *self = TILL_REPORT_WINDOW (widget);
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;

  if (self->report == NULL)
    return;
  {
    GString *out = g_string_new (NULL);
    g_autofree char *sales = till_report_to_text (self->report);

    g_string_append (out, sales);
    _till_report_window_stock_append (self, out, FALSE);
    _till_report_window_members_append (self, out, FALSE);
    text = g_string_free (out, FALSE);
  }
  name = g_strdup_printf ("Tillpoint %s", self->report->title_period);
  till_print_text_async (GTK_WINDOW (self), name, text, NULL, NULL, print_done_cb,
                         g_object_ref (self));
}
