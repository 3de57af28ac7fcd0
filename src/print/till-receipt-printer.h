/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReceiptPrinter: receipts of stored sales and plain text pages (Z reports) on the
 * printer the settings name ("receipt-printer": "" off, "file:PATH", a device such as
 * /dev/usb/lp0, "host:9100", or "system"). A sale is read into a TillReceipt on the store
 * thread and sent as ESC/POS bytes in GB18030 with the QR of its receipt code (till-escpos);
 * "system" hands the same receipt as text to a system print function that the GTK layer
 * gives (till_receipt_printer_set_system_print(); GtkPrintOperation there). Nothing here
 * blocks the caller's thread; a printer failure is an error for the caller to show — the
 * sale is already done. GLib only. */
#pragma once

#include <gio/gio.h>

#include "till-escpos.h"
#include "till-store.h"

G_BEGIN_DECLS

/* Prints `text` (monospaced lines) on the system printer; `parent` is whatever the
 * function needs for its dialog (a GtkWindow in the application; may be NULL). */
typedef void     (*TillSystemPrintFunc)       (const char          *job_name,
                                               const char          *text,
                                               gpointer             parent,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
typedef gboolean (*TillSystemPrintFinishFunc) (GAsyncResult        *result,
                                               GError             **error);

#define TILL_TYPE_RECEIPT_PRINTER (till_receipt_printer_get_type ())
G_DECLARE_FINAL_TYPE (TillReceiptPrinter, till_receipt_printer, TILL, RECEIPT_PRINTER, GObject)

/* Reads the sales from `store`; "receipt-printer", "receipt-width", "store-name" and
 * "till-id" from `settings` (schema io.github.tillpoint.Tillpoint), each time it prints. */
TillReceiptPrinter *till_receipt_printer_new (TillStore *store,
                                              GSettings *settings);

/* How "system" prints. Without it, "system" fails with G_IO_ERROR_NOT_SUPPORTED. */
void     till_receipt_printer_set_system_print (TillReceiptPrinter        *self,
                                                TillSystemPrintFunc        print,
                                                TillSystemPrintFinishFunc  finish);

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
                                                 gpointer             parent,
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
                                                 gpointer             parent,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean till_receipt_printer_print_text_finish (TillReceiptPrinter  *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* The receipt as text lines for the system printer (same content as the ESC/POS one). */
char    *till_receipt_to_text (const TillReceipt *receipt,
                               guint              columns);

G_END_DECLS
