/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The system printer (GtkPrintOperation): monospaced text pages (reports, Z reports,
 * receipts for the "system" target), and the receipt printer with that system printer
 * given to it, for the windows. The rest of printing (ESC/POS, printer outputs, reading
 * the sale) is TillReceiptPrinter in src/print. */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"
#include "till-receipt-printer.h"

G_BEGIN_DECLS

/* A TillReceiptPrinter on the context's store and settings whose "system" target prints
 * with till_print_text_async() (parent NULL: the application's active window). */
TillReceiptPrinter *till_ui_receipt_printer_new (TillContext *context);

/* Prints monospaced text with GtkPrintOperation (Pango, paginated). With `export_pdf`
 * set, writes that PDF without a dialog (tests, "save as PDF"); else shows the print
 * dialog. Completes when the operation is done. */
void     till_print_text_async  (GtkWindow           *parent,
                                 const char          *job_name,
                                 const char          *text,
                                 const char          *export_pdf,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
gboolean till_print_text_finish (GAsyncResult        *result,
                                 GError             **error);

G_END_DECLS
