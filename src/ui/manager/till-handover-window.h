/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillHandoverWindow: the shift handover (交班, Ctrl+Shift+O): the open shift's figures by
 * method, refunds, discounts, cash in and out and the expected cash; the counted drawer
 * typed, over/short live; "Print" on the receipt printer; "Hand over" closes the shift
 * (the cashier is signed out) and says so with "handed-over", whose handler signs the next
 * cashier in with the counted cash as the float. */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"

G_BEGIN_DECLS

#define TILL_TYPE_HANDOVER_WINDOW (till_handover_window_get_type ())
G_DECLARE_FINAL_TYPE (TillHandoverWindow, till_handover_window, TILL, HANDOVER_WINDOW, GtkWindow)

/* Signals: "handed-over" (gint64 counted_fen). */
TillHandoverWindow *
till_handover_window_new (GtkWindow *parent, TillContext *context);
/* "loading", "none" (no shift open), "open", "handed-over". */
const char *
till_handover_window_get_state (TillHandoverWindow *self);
/* The shown shift's expected cash and over/short of the counted entry (0 while it is not a
 * valid amount); the report text as it prints. */
gint64
till_handover_window_get_expected (TillHandoverWindow *self);
gint64
till_handover_window_get_over_short (TillHandoverWindow *self);
const char *
till_handover_window_get_text (TillHandoverWindow *self);
/* The amount typed in the counted entry, as a cashier types it. */
void
till_handover_window_set_counted (TillHandoverWindow *self, const char *text);
/* Hands over (refused with a message while the counted entry is not an amount). */
void
till_handover_window_hand_over (TillHandoverWindow *self);
const char *
till_handover_window_get_message (TillHandoverWindow *self);

G_END_DECLS
