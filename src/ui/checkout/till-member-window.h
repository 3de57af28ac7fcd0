/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillMemberWindow (Ctrl+M at the counter): the member of the sale — found by a mobile
 * number or a member code typed or scanned into it —, their stored value and points, a
 * top-up (充值) of an amount, a payment from the card confirmed by the last four digits of
 * the member's phone, and taking the member off the sale. Every command goes to the
 * TillCheckout; the window shows its answers and closes when one succeeded. */
#pragma once

#include <gtk/gtk.h>

#include "till-checkout.h"

G_BEGIN_DECLS

#define TILL_TYPE_MEMBER_WINDOW (till_member_window_get_type ())
G_DECLARE_FINAL_TYPE (TillMemberWindow, till_member_window, TILL, MEMBER_WINDOW, GtkWindow)

TillMemberWindow *till_member_window_new (TillCheckout *checkout);

G_END_DECLS
