/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillPinWindow: a manager approves a sensitive action (refund, void of a paid sale, price
 * override, discount, reports, settings, day close) by typing a PIN. The check hashes on
 * the store thread; the approval is written to the audit log by the people service. After
 * five wrong PINs in a row the managers' PINs are locked and the window says for how long.
 * When the till has no manager yet it offers to create the first one. */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"
#include "till-people.h"

G_BEGIN_DECLS

#define TILL_TYPE_PIN_WINDOW (till_pin_window_get_type ())
G_DECLARE_FINAL_TYPE (TillPinWindow, till_pin_window, TILL, PIN_WINDOW, GtkWindow)

/* Signals: "approved" (TillPerson *manager), emitted once, then the window closes.
 * `detail_json` (may be NULL) goes to the audit row; `what` says what is approved. */
TillPinWindow *till_pin_window_new         (GtkWindow          *parent,
                                            TillContext        *context,
                                            TillApprovalAction  action,
                                            const char         *detail_json,
                                            const char         *what);
/* Checks the PIN typed so far (as Enter does). */
void           till_pin_window_submit      (TillPinWindow      *self);
void           till_pin_window_set_pin     (TillPinWindow      *self,
                                            const char         *pin);
/* The last message shown ("" when none), and whether a check is running. */
const char    *till_pin_window_get_message (TillPinWindow      *self);
gboolean       till_pin_window_get_busy    (TillPinWindow      *self);

/* A label for the action: "退款 Refund", ... */
const char    *till_approval_action_label  (TillApprovalAction  action);

G_END_DECLS
