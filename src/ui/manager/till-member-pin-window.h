/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillMemberPinWindow: a member sets their PIN (4 to 6 digits, typed twice), the one that
 * confirms a payment from their card when the setting "member-confirm" is "pin". The PIN is
 * hashed on the store thread (till_member_pin_set); a new PIN ends a wrong-PIN lock. */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"

G_BEGIN_DECLS

#define TILL_TYPE_MEMBER_PIN_WINDOW (till_member_pin_window_get_type ())
G_DECLARE_FINAL_TYPE (TillMemberPinWindow, till_member_pin_window, TILL, MEMBER_PIN_WINDOW,
                      GtkWindow)

/* Signals: "pin-set" (no arguments) once the PIN is stored, then the window closes. `who`
 * is the cashier the audit row names; `name` the member's, for the heading. */
TillMemberPinWindow *
till_member_pin_window_new (GtkWindow *parent, TillContext *context, gint64 member_id,
                            const char *name, const char *who);
/* The message shown ("" when none), and whether the PIN is being stored. */
const char *
till_member_pin_window_get_message (TillMemberPinWindow *self);
gboolean
till_member_pin_window_get_busy (TillMemberPinWindow *self);

G_END_DECLS
