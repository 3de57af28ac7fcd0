/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The manager's settings: shop and till, scanner timing, scale-barcode layout, customer
 * display monitor and full screen. Every widget is bound to GSettings. */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"

G_BEGIN_DECLS

#define TILL_TYPE_PREFERENCES_WINDOW (till_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (TillPreferencesWindow, till_preferences_window, TILL, PREFERENCES_WINDOW,
                      GtkWindow)

TillPreferencesWindow *till_preferences_window_new (GtkWindow   *parent,
                                                    TillContext *context);

G_END_DECLS
