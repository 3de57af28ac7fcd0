/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The system printer: text pages through GtkPrintOperation, for the receipt printer too. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-system-printer.h"

/* ---- the receipt printer's "system" target ---- */

static void
system_print (const char          *job_name,
              const char          *text,
              gpointer             parent,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GtkWindow *window = GTK_IS_WINDOW (parent) ? GTK_WINDOW (parent) : NULL;
  GApplication *app = g_application_get_default ();

  /* After a sale nobody names a window: the dialog goes over the one in use. */
  if (window == NULL && GTK_IS_APPLICATION (app))
    window = gtk_application_get_active_window (GTK_APPLICATION (app));
  till_print_text_async (window, job_name, text, NULL, cancellable, callback, user_data);
}

TillReceiptPrinter *
till_ui_receipt_printer_new (TillContext *context)
{
  TillReceiptPrinter *printer;

  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  printer = till_receipt_printer_new (till_context_get_store (context),
                                      till_context_get_settings (context));
  till_receipt_printer_set_system_print (printer, system_print, till_print_text_finish);
  return printer;
}

/* ---- GtkPrintOperation ---- */


typedef struct
{
  char  **lines;
  guint   n_lines;
  guint   lines_per_page;
  double  line_height;
  PangoFontDescription *font;
} PrintText;

static void
print_text_free (gpointer data)
{
  PrintText *pt = data;

  g_strfreev (pt->lines);
  pango_font_description_free (pt->font);
  g_free (pt);
}

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                PrintText         *pt)
{
  g_autoptr(PangoLayout) layout = gtk_print_context_create_pango_layout (context);
  double height = gtk_print_context_get_height (context);
  int lh;

  pango_layout_set_font_description (layout, pt->font);
  pango_layout_set_text (layout, "国M", -1);
  pango_layout_get_pixel_size (layout, NULL, &lh);
  pt->line_height = MAX (lh, 1);
  pt->lines_per_page = MAX (1, (guint) (height / pt->line_height));
  gtk_print_operation_set_n_pages (operation,
                                   MAX (1, (pt->n_lines + pt->lines_per_page - 1)
                                           / pt->lines_per_page));
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              PrintText         *pt)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  g_autoptr(PangoLayout) layout = gtk_print_context_create_pango_layout (context);

  pango_layout_set_font_description (layout, pt->font);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint i = 0; i < pt->lines_per_page; i++)
    {
      guint n = page_nr * pt->lines_per_page + i;

      if (n >= pt->n_lines)
        break;
      pango_layout_set_text (layout, pt->lines[n], -1);
      cairo_move_to (cr, 0, i * pt->line_height);
      pango_cairo_show_layout (cr, layout);
    }
}

static void
print_done_cb (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               gpointer                 user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Printing failed: %s"),
                               error != NULL ? error->message : "");
      g_clear_error (&error);
      return;
    }
  if (result == GTK_PRINT_OPERATION_RESULT_CANCEL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("Printing cancelled"));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
till_print_text_async (GtkWindow           *parent,
                       const char          *job_name,
                       const char          *text,
                       const char          *export_pdf,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GtkPrintOperation) operation = gtk_print_operation_new ();
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  PrintText *pt = g_new0 (PrintText, 1);
  GtkPrintOperationResult result;
  GError *error = NULL;

  g_task_set_source_tag (task, till_print_text_async);

  pt->lines = g_strsplit (text != NULL ? text : "", "\n", -1);
  pt->n_lines = g_strv_length (pt->lines);
  pt->font = pango_font_description_from_string ("Noto Sans Mono CJK SC, WenQuanYi Micro Hei Mono, Monospace 9");
  g_object_set_data_full (G_OBJECT (operation), "till-text", pt, print_text_free);

  gtk_print_operation_set_job_name (operation, job_name != NULL ? job_name : "Tillpoint");
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect (operation, "begin-print", G_CALLBACK (begin_print_cb), pt);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), pt);
  g_signal_connect (operation, "done", G_CALLBACK (print_done_cb), g_object_ref (task));

  if (export_pdf != NULL)
    gtk_print_operation_set_export_filename (operation, export_pdf);
  result = gtk_print_operation_run (operation,
                                    export_pdf != NULL ? GTK_PRINT_OPERATION_ACTION_EXPORT
                                                       : GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    parent, &error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      /* "done" is not emitted for an error from run() itself. */
      g_signal_handlers_disconnect_by_func (operation, print_done_cb, task);
      g_object_unref (task);   /* the reference given to "done" */
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Printing failed: %s"),
                               error != NULL ? error->message : "");
      g_clear_error (&error);
    }
}

gboolean
till_print_text_finish (GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
