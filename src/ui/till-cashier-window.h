/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cashier's window: the cart, the total, the code entry, the F-key commands and the
 * routing of every scanned or typed code. */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"

G_BEGIN_DECLS

#define TILL_TYPE_CASHIER_WINDOW (till_cashier_window_get_type ())
G_DECLARE_FINAL_TYPE (TillCashierWindow, till_cashier_window, TILL, CASHIER_WINDOW,
                      GtkApplicationWindow)

typedef enum
{
  TILL_MESSAGE_INFO = 0,
  TILL_MESSAGE_SUCCESS,
  TILL_MESSAGE_ERROR,
} TillMessageKind;

/* Properties: "context" (construct-only), "sale" (TillSale, read-only: the sale on screen,
 * NULL until the open sale is loaded), "change-fen" (gint64, read-only: change given for
 * the sale on screen after a cash payment, -1 otherwise). `application` may be NULL. */
TillCashierWindow *till_cashier_window_new            (GtkApplication    *application,
                                                       TillContext       *context);
TillContext       *till_cashier_window_get_context    (TillCashierWindow *self);
TillSale          *till_cashier_window_get_sale       (TillCashierWindow *self);
gint64             till_cashier_window_get_change_fen (TillCashierWindow *self);

/* Routes a code as if it had been typed into the code entry and confirmed with Enter. */
void               till_cashier_window_enter_code     (TillCashierWindow *self,
                                                       const char        *code);

/* The status line: a non-modal message; errors ring the bell. */
void               till_cashier_window_show_message   (TillCashierWindow *self,
                                                       TillMessageKind    kind,
                                                       const char        *message);
const char        *till_cashier_window_get_message    (TillCashierWindow *self);
/* The total as shown ("¥12.50"). */
const char        *till_cashier_window_get_total_text (TillCashierWindow *self);

/* Electronic payment of the sale on screen, as also read-only properties (notify):
 * "payment-state" (the store's name of the state of the payment on screen, "submitting"
 * while it is being begun, NULL: none), "payment-message" (plain words, Chinese ·
 * English), "code-url" (a live Native order's QR content, NULL: none), "due-fen" (what is
 * still to pay), "paid-fen" (paid by earlier payments of the sale), "epay-ready" (a
 * payment code would be charged now). */
const char        *till_cashier_window_get_payment_state   (TillCashierWindow *self);
const char        *till_cashier_window_get_payment_message (TillCashierWindow *self);
const char        *till_cashier_window_get_code_url        (TillCashierWindow *self);
gint64             till_cashier_window_get_due_fen         (TillCashierWindow *self);
gint64             till_cashier_window_get_paid_fen        (TillCashierWindow *self);

G_END_DECLS
