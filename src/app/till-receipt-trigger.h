/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReceiptTrigger: what prints the receipt after a paid sale. It follows a
 * TillCheckout's "sale-paid" and, when the "receipt-printer" setting names a printer, prints
 * that sale's receipt with a TillReceiptPrinter (the cash receipt opens the drawer). A
 * failure does not undo the sale: it becomes a message for the cashier. GLib only.
 *
 * Signals:
 *   "message" (int kind, const char *text): a message for the cashier (TillMessageKind),
 *     e.g. why the receipt was not printed.
 *   "printed" (const char *number): the receipt of that sale went to the printer. */
#pragma once

#include <gio/gio.h>

#include "till-checkout.h"
#include "till-receipt-printer.h"

G_BEGIN_DECLS

#define TILL_TYPE_RECEIPT_TRIGGER (till_receipt_trigger_get_type ())
G_DECLARE_FINAL_TYPE (TillReceiptTrigger, till_receipt_trigger, TILL, RECEIPT_TRIGGER, GObject)

/* Properties (construct-only): "checkout" (TillCheckout), "printer" (TillReceiptPrinter). */
TillReceiptTrigger *till_receipt_trigger_new         (TillCheckout       *checkout,
                                                      TillReceiptPrinter *printer);
TillCheckout       *till_receipt_trigger_get_checkout (TillReceiptTrigger *self);
TillReceiptPrinter *till_receipt_trigger_get_printer  (TillReceiptTrigger *self);

G_END_DECLS
