/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The customer-facing window: mirrors the sale on screen, the total very large, and the
 * change after a cash payment, in Chinese and English whatever the UI language. It goes
 * full screen on the monitor chosen in the settings. */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"

G_BEGIN_DECLS

#define TILL_TYPE_CUSTOMER_DISPLAY (till_customer_display_get_type ())
G_DECLARE_FINAL_TYPE (TillCustomerDisplay, till_customer_display, TILL, CUSTOMER_DISPLAY,
                      GtkWindow)

/* Properties: "context" (construct-only), "sale" (TillSale, may be NULL), "change-fen"
 * (gint64, -1 when there is no change to show). */
TillCustomerDisplay *till_customer_display_new             (TillContext         *context);
void                 till_customer_display_set_sale        (TillCustomerDisplay *self,
                                                            TillSale            *sale);
TillSale            *till_customer_display_get_sale        (TillCustomerDisplay *self);
void                 till_customer_display_set_change_fen  (TillCustomerDisplay *self,
                                                            gint64               change_fen);
/* The texts on screen (tests compare them with the cashier's). */
const char          *till_customer_display_get_total_text  (TillCustomerDisplay *self);
const char          *till_customer_display_get_member_text (TillCustomerDisplay *self);
const char          *till_customer_display_get_saved_text  (TillCustomerDisplay *self);
const char          *till_customer_display_get_change_text (TillCustomerDisplay *self);
const char          *till_customer_display_get_greeting    (TillCustomerDisplay *self);
/* The line under the total ("请出示付款码 · Please show your payment code", "支付成功 ·
 * Paid"), or "". */
/* The line under the total: "N 行 lines · M 件 items" (or what was paid so far). */
const char          *till_customer_display_get_count_text  (TillCustomerDisplay *self);
/* "重量 Weight 0.532 kg" (the counter scale's net weight), or "" without a scale. */
const char          *till_customer_display_get_weight_text (TillCustomerDisplay *self);
const char          *till_customer_display_get_status_text (TillCustomerDisplay *self);
/* The payment page's title and detail ("title\ndetail"), or "" when it is not shown. */
char                *till_customer_display_dup_payment_text (TillCustomerDisplay *self);
/* The Native QR shown (its text and picture), or NULL. */
const char          *till_customer_display_get_code_url    (TillCustomerDisplay *self);
GdkTexture          *till_customer_display_get_qr_texture  (TillCustomerDisplay *self);
/* Whose colours frame the QR on show: "wechat", "alipay", or NULL (no QR). */
const char          *till_customer_display_get_qr_brand    (TillCustomerDisplay *self);
/* Index of the monitor the settings pick right now (-1 = last), clamped to what exists;
 * -1 when the display has no monitors. */
int                  till_customer_display_get_monitor_index (TillCustomerDisplay *self);
/* Follows "sale" and "change-fen" of a TillCashierWindow (or any object with them), and
 * its payment ("payment-state", "payment-message", "code-url", "due-fen", "paid-fen",
 * "epay-ready") when it has those properties. */
void                 till_customer_display_follow          (TillCustomerDisplay *self,
                                                            GObject             *source);

G_END_DECLS
