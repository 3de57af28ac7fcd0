/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cashier's window: shows a TillCheckout (the cart, the total, the payment panel, the
 * status bar) and sends it the cashier's commands (F-keys, the code entry, every scanner). */
#pragma once

#include <gtk/gtk.h>

#include "till-checkout.h"

G_BEGIN_DECLS

#define TILL_TYPE_CASHIER_WINDOW (till_cashier_window_get_type ())
G_DECLARE_FINAL_TYPE (TillCashierWindow, till_cashier_window, TILL, CASHIER_WINDOW,
                      GtkApplicationWindow)

/* Properties: "checkout" (construct-only). `application` may be NULL. */
TillCashierWindow *till_cashier_window_new            (GtkApplication    *application,
                                                       TillCheckout      *checkout);
TillCheckout      *till_cashier_window_get_checkout   (TillCashierWindow *self);
/* The checkout's sale (NULL until it is loaded). */
TillSale          *till_cashier_window_get_sale       (TillCashierWindow *self);
/* Whether a scan now goes straight into the sale: its sale is loaded, the window is the
 * active one, no modal window (sign-in, a PIN) is kept over it, and the code entry has the
 * focus. */
gboolean           till_cashier_window_get_accepts_scan (TillCashierWindow *self);
/* Routes a code as if it had been typed into the code entry and confirmed with Enter. */
void               till_cashier_window_enter_code     (TillCashierWindow *self,
                                                       const char        *code);
/* The status line: a non-modal message; errors ring the bell. The checkout's messages
 * come here too. */
void               till_cashier_window_show_message   (TillCashierWindow *self,
                                                       TillMessageKind    kind,
                                                       const char        *message);
const char        *till_cashier_window_get_message    (TillCashierWindow *self);
/* While the payment services are still being set up (the demo's simulator making its
 * keys), the status line says `note` where it would say "E-pay not configured"; NULL
 * when that is over. */
void               till_cashier_window_set_epay_note  (TillCashierWindow *self,
                                                       const char        *note);
/* Quits (the application, or closes this window without one); while a payment is in
 * progress the cashier is asked first. Also "cashier.quit", app.quit and closing the window. */
void               till_cashier_window_quit           (TillCashierWindow *self);
/* The total as shown ("¥12.50"). */
const char        *till_cashier_window_get_total_text (TillCashierWindow *self);

G_END_DECLS
