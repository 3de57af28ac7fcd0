/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The managers' commands as application actions with accelerators:
 *   app.sign-in          Ctrl+L        签到/换班 sign in / change cashier
 *   app.reports          Ctrl+R        报表 reports (manager PIN first)
 *   app.refunds          Ctrl+Shift+R  退款 refunds
 *   app.day-close        Ctrl+Shift+D  日结 day close (PIN when closing)
 *   app.cash-movement    Ctrl+Shift+M  现金存取 float / cash in / cash out (PIN)
 *   app.reprint-receipt  Ctrl+P        补打小票 reprint the last receipt
 * Also: the sign-in window at start when "require-sign-in" is on (the first manager on a
 * new till), the demo people in --demo, and the signed-in cashier in the cashier window's
 * title and status line. (The receipt after each paid sale: TillReceiptTrigger.) */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"

G_BEGIN_DECLS

/* Once per application, after the cashier's window exists. */
void       till_manager_actions_install  (GtkApplication *app,
                                          TillContext    *context);

/* TRUE once till_manager_actions_install() ran on `app`. */
gboolean   till_manager_actions_get_installed (GtkApplication *app);

/* The refunds window for a sale number (receipt code routing); opens or raises it. The
 * cashier's window calls it when a paid sale's receipt code is scanned while no refunds
 * window is open. */
void       till_manager_actions_open_refund (GtkApplication *app,
                                             const char     *sale_number);

G_END_DECLS
