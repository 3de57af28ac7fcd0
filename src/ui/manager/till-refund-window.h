/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillRefundWindow (Ctrl+Shift+R): find a past sale by its number (typed), its receipt
 * code (TILLPOINT-SALE-<number>, typed or scanned: while this window is open, scanned
 * receipt codes come here) or today's list; see its lines, payments and refund state
 * (till_refund_service_get_refundable); refund all or part (never more than refundable)
 * with a reason and a manager's PIN through TillRefundService; show the result. */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"
#include "till-refund-service.h"

G_BEGIN_DECLS

#define TILL_TYPE_REFUND_WINDOW (till_refund_window_get_type ())
G_DECLARE_FINAL_TYPE (TillRefundWindow, till_refund_window, TILL, REFUND_WINDOW, GtkWindow)

/* Property "busy" (boolean, read-only): loading or refunding. */
TillRefundWindow     *till_refund_window_new           (GtkWindow        *parent,
                                                        TillContext      *context);
/* A sale number or a receipt code. */
void                  till_refund_window_open_sale     (TillRefundWindow *self,
                                                        const char       *number_or_code);
gboolean              till_refund_window_get_busy      (TillRefundWindow *self);
/* The sale shown, or NULL; its refund state as last read. */
const char           *till_refund_window_get_sale_number (TillRefundWindow *self);
const TillRefundable *till_refund_window_get_refundable  (TillRefundWindow *self);
GListModel           *till_refund_window_get_today     (TillRefundWindow *self);
void                  till_refund_window_set_request   (TillRefundWindow *self,
                                                        const char       *amount,
                                                        const char       *reason);
/* Checks the request and asks a manager's PIN: the TillPinWindow, or NULL (see the
 * message). */
GtkWindow            *till_refund_window_refund        (TillRefundWindow *self);
const char           *till_refund_window_get_message   (TillRefundWindow *self);
const char           *till_refund_window_get_state_text (TillRefundWindow *self);
/* The sale's payments as shown: "付款 Payments: 支付宝付款码 Alipay code ¥3.50 (paid)". */
const char           *till_refund_window_get_payments_text (TillRefundWindow *self);

G_END_DECLS
