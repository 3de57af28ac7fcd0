/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillManagerActions: the managers' commands as application actions with accelerators:
 *   app.sign-in          Ctrl+L        签到/换班 sign in / change cashier
 *   app.reports          Ctrl+R        报表 reports (manager PIN first)
 *   app.refunds          Ctrl+Shift+R  退款 refunds
 *   app.day-close        Ctrl+Shift+D  日结 day close (PIN when closing)
 *   app.cash-movement    Ctrl+Shift+M  现金存取 float / cash in / cash out (PIN)
 *   app.reprint-receipt  Ctrl+P        补打小票 reprint the last receipt
 *   app.members          Ctrl+Shift+B  会员 members (any cashier; PIN for adjustments,
 *                                      the export and levels)
 *   app.receiving        Ctrl+Shift+I  进货 goods received (PIN)
 *   app.stocktake        Ctrl+Shift+K  盘点 stocktake (PIN when booking)
 *   app.quick-keys       Ctrl+Shift+Q  快捷键 the cashier's quick keys (manager PIN, or the
 *                                      open products window's manager)
 *   app.open-refund(s)                 the refunds window on sale number s (a scanned
 *                                      receipt code of a paid sale)
 * Also: the sign-in window at start when "require-sign-in" is on (the first manager on a
 * new till), and the signed-in cashier in the cashier window's title and status line.
 * (The receipt after each paid sale: TillReceiptTrigger; the demo people: the
 * application's --demo.) */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"

G_BEGIN_DECLS

#define TILL_TYPE_MANAGER_ACTIONS (till_manager_actions_get_type ())
G_DECLARE_FINAL_TYPE (TillManagerActions, till_manager_actions, TILL, MANAGER_ACTIONS, GObject)

/* Adds the actions and their accelerators to `app` (once per application, after the
 * cashier's window exists); they are removed when the object goes. The application keeps
 * the object. */
TillManagerActions *till_manager_actions_new           (GtkApplication     *app,
                                                        TillContext        *context);

/* TRUE when `app` has the managers' actions. */
gboolean            till_manager_actions_get_installed (GtkApplication     *app);

/* The refunds window for a sale number (NULL: none); opens or raises it (the same as
 * activating app.open-refund). */
void                till_manager_actions_open_refund   (TillManagerActions *self,
                                                        const char         *sale_number);
/* The products window (after a manager's PIN unless it is open); with `barcode` (may be
 * NULL) it starts on that barcode: its product, or a new product with it. */
void                till_manager_actions_open_products (TillManagerActions *self,
                                                        const char         *barcode);

G_END_DECLS
