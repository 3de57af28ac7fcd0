/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReceivingWindow: goods received from a supplier (进货; Ctrl+Shift+I, after a
 * manager's PIN, audit "approve:receiving"). The supplier (typed, or one of the recent
 * ones), the goods scanned into the window (the scanner hub's codes while it is the active
 * window) or found by the search, each line's quantity (pieces, or kg with three decimals
 * for weighed goods) and unit cost (the last cost by default), editable and removable, and
 * the total cost. Ctrl+Enter books it (one receiving, one transaction, off the UI thread),
 * says its number in a toast, and the window is ready for the next delivery. A
 * TillReceivingDraft holds the lines and does the checking and the booking. */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"
#include "till-receiving-draft.h"

G_BEGIN_DECLS

#define TILL_TYPE_RECEIVING_WINDOW (till_receiving_window_get_type ())
G_DECLARE_FINAL_TYPE (TillReceivingWindow, till_receiving_window, TILL, RECEIVING_WINDOW, GtkWindow)

/* `who`: the person who receives (the manager who approved). */
TillReceivingWindow *
till_receiving_window_new (GtkWindow *parent, TillContext *context, const char *who);
/* A code as if scanned into the window. */
void
till_receiving_window_enter_code (TillReceivingWindow *self, const char *code);
TillReceivingDraft *
till_receiving_window_get_draft (TillReceivingWindow *self);
/* The last message or toast ("" when none). */
const char *
till_receiving_window_get_message (TillReceivingWindow *self);

G_END_DECLS
