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

/* The restore offer of a damaged database: a PIN entry and "Restore the latest backup"
 * (Alt+R). For each attempt `before` (may be NULL) runs on the main thread, then `func` in
 * a thread with the PIN typed (maybe empty), returning the text to show (what was
 * restored, where the damaged file went, what to do next) or NULL with `error` (shown;
 * the offer stays), then `after` (may be NULL) on the main thread with whether it
 * worked. */
typedef char *(*TillStartupRestoreFunc) (const char *pin,
                                         gpointer    data,
                                         GError    **error);
typedef void  (*TillStartupRestoreHook) (gboolean    ok,
                                         gpointer    data);
void till_startup_error_window_offer_restore (TillStartupErrorWindow *self,
                                              TillStartupRestoreHook  before,
                                              TillStartupRestoreFunc  func,
                                              TillStartupRestoreHook  after,
                                              gpointer                data);

G_END_DECLS
