/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window shown instead of the till when it cannot start (a damaged, newer or
 * unwritable database, another till on the data directory): what is wrong and what to
 * do, in selectable text, and a Quit button (Escape and Enter quit too). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TILL_TYPE_STARTUP_ERROR_WINDOW (till_startup_error_window_get_type ())
G_DECLARE_FINAL_TYPE (TillStartupErrorWindow, till_startup_error_window, TILL,
                      STARTUP_ERROR_WINDOW, AdwWindow)

/* The window's title is "Tillpoint cannot start"; `heading` says what is wrong, `body`
 * the details and what to do. GTK must be initialized. */
TillStartupErrorWindow *till_startup_error_window_new (const char             *heading,
                                                       const char             *body);
/* Presents the window and runs the default main context until it is closed (Quit,
 * Escape, Enter, the window manager, SIGINT or SIGTERM). For use before (instead of)
 * the application's own main loop. */
void                    till_startup_error_window_run (TillStartupErrorWindow *self);

G_END_DECLS
