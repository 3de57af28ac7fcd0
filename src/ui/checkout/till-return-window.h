/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReturnWindow: a return without a receipt, opened once a manager approved it
 * (Ctrl+Shift+G on the cashier window). Goods are scanned or typed as at the counter, each
 * line's quantity and the price given back (never above today's price) can be changed, a
 * reason is required, and the window shows the cash to hand back (the till's cash
 * rounding applied). Confirming records it through the checkout (one transaction), prints
 * the slip when a receipt printer is set up, and closes; the cashier window says how much
 * cash to hand back. */
#pragma once

#include <gtk/gtk.h>

#include "till-checkout.h"

G_BEGIN_DECLS

#define TILL_TYPE_RETURN_WINDOW (till_return_window_get_type ())
G_DECLARE_FINAL_TYPE (TillReturnWindow, till_return_window, TILL, RETURN_WINDOW, GtkWindow)

/* Signals: "recorded" (const char *number): the return was stored; the window closes. */
TillReturnWindow *till_return_window_new          (GtkWindow        *parent,
                                                   TillCheckout     *checkout,
                                                   const char       *manager);
/* What the window holds now (for tests): the draft, the message shown ("" when none), and
 * whether a lookup or the recording is running. */
const TillReturn *till_return_window_get_draft    (TillReturnWindow *self);
const char       *till_return_window_get_message  (TillReturnWindow *self);
gboolean          till_return_window_get_busy     (TillReturnWindow *self);

G_END_DECLS
