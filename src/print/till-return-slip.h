/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The slip of a return without a receipt, printed on the receipt printer as a refund of a
 * sale would be: the shop, "Return without receipt", its number, time, cashier and the
 * approving manager, the goods with the price given back (and the list price when it was
 * lowered), the total, the cash rounding and the cash handed back, the reason, and a line
 * for the customer's signature. ESC/POS bytes (GB18030, the drawer opened: cash goes out)
 * or plain text for the system printer. GLib only. */
#pragma once

#include <gio/gio.h>

#include "till-receipt-printer.h"
#include "till-return.h"

G_BEGIN_DECLS

/* The slip as text lines for `columns` (32 or 48) columns. */
char   *till_return_slip_to_text  (const TillReturn  *ret,
                                   const char        *store_name,
                                   guint              columns);
/* The slip's ESC/POS bytes: init, Chinese mode, the store name double size, the heading in
 * bold, the lines of till_return_slip_to_text(), the cut and the drawer kick. */
GBytes *till_return_slip_escpos   (const TillReturn  *ret,
                                   const char        *store_name,
                                   guint              columns,
                                   GError           **error);

/* Prints the slip where `printer`'s settings say (the "system" target as text, with
 * `parent` for its dialog). G_IO_ERROR_NOT_INITIALIZED when printing is off. */
void     till_return_slip_print_async  (TillReceiptPrinter  *printer,
                                        const TillReturn    *ret,
                                        const char          *store_name,
                                        gpointer             parent,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean till_return_slip_print_finish (GAsyncResult        *result,
                                        GError             **error);

G_END_DECLS
