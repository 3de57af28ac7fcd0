/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReceiptPrinter: the UI side of printing. Receipts of stored sales go to the printer
 * the settings name ("receipt-printer": "" off, "file:PATH", a device such as
 * /dev/usb/lp0, "host:9100", or "system") as ESC/POS bytes in GB18030 with the QR of the
 * sale's receipt code (till-escpos), or through GtkPrintOperation with the same receipt
 * as text. Nothing here blocks the UI thread: the sale is read on the store thread and
 * the bytes are sent asynchronously; a printer failure is an error for the caller to
 * show — the sale is already done. Also plain text pages (reports, Z reports) for the
 * receipt printer or the system printer. */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"
#include "till-escpos.h"

G_BEGIN_DECLS

#define TILL_TYPE_RECEIPT_PRINTER (till_receipt_printer_get_type ())
G_DECLARE_FINAL_TYPE (TillReceiptPrinter, till_receipt_printer, TILL, RECEIPT_PRINTER, GObject)

TillReceiptPrinter *till_receipt_printer_new (TillContext *context);

/* The target from the settings with "file:" removed; NULL when printing is off;
 * "system" for the system printer. */
char    *till_receipt_printer_get_target (TillReceiptPrinter *self);
/* 32 or 48 from "receipt-width". */
guint    till_receipt_printer_get_columns (TillReceiptPrinter *self);

/* Prints the receipt of sale `number` (NULL: the till's last paid sale). A reprint never
 * opens the cash drawer. `parent` is for the system print dialog (may be NULL). Fails
 * with G_IO_ERROR_NOT_INITIALIZED when printing is off. */
void     till_receipt_printer_print_sale_async  (TillReceiptPrinter  *self,
                                                 const char          *number,
                                                 gboolean             reprint,
                                                 GtkWindow           *parent,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
/* The sale number printed. */
char    *till_receipt_printer_print_sale_finish (TillReceiptPrinter  *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* A text page (Z report) on the receipt printer: init, Chinese mode, the lines, cut. */
void     till_receipt_printer_print_text_async  (TillReceiptPrinter  *self,
                                                 const char          *text,
                                                 GtkWindow           *parent,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean till_receipt_printer_print_text_finish (TillReceiptPrinter  *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* The receipt as text lines for the system printer (same content as the ESC/POS one). */
char    *till_receipt_to_text (const TillReceipt *receipt,
                               guint              columns);

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
