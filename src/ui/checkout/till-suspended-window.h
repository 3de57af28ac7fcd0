/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillSuspendedWindow: the list of this till's suspended sales (取单, Ctrl+Shift+H): time,
 * cashier, first item, lines and total, newest first. Up/Down choose, Enter resumes,
 * Delete voids (after a confirmation), Escape closes. It shows a TillCheckout's list and
 * sends it the commands. */
#pragma once

#include <gtk/gtk.h>

#include "till-checkout.h"

G_BEGIN_DECLS

#define TILL_TYPE_SUSPENDED_WINDOW (till_suspended_window_get_type ())
G_DECLARE_FINAL_TYPE (TillSuspendedWindow, till_suspended_window, TILL, SUSPENDED_WINDOW, GtkWindow)

TillSuspendedWindow *till_suspended_window_new        (GtkWindow           *parent,
                                                       TillCheckout        *checkout);
/* The rows shown (tests): 0 until the list is loaded. */
guint                till_suspended_window_get_n_rows (TillSuspendedWindow *self);
/* Whether the list was loaded (tests wait for it). */
gboolean             till_suspended_window_is_loaded  (TillSuspendedWindow *self);

G_END_DECLS
