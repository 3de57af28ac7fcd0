/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A small modal asking the cashier to confirm a destructive command (void the sale, quit
 * during a payment): a libadwaita message dialog. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TILL_TYPE_CONFIRM_WINDOW (till_confirm_window_get_type ())
G_DECLARE_FINAL_TYPE (TillConfirmWindow, till_confirm_window, TILL, CONFIRM_WINDOW, AdwMessageDialog)

/* Signal "confirmed": emitted when the confirm button (or Enter) is used; then the window
 * closes. Escape or the cancel button close it without the signal. */
TillConfirmWindow *till_confirm_window_new     (GtkWindow         *parent,
                                                const char        *heading,
                                                const char        *body,
                                                const char        *confirm_label);
void               till_confirm_window_confirm (TillConfirmWindow *self);
/* The text under the heading (tests compare it). */
const char        *till_confirm_window_get_body (TillConfirmWindow *self);

G_END_DECLS
