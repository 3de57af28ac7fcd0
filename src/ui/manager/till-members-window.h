/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillMembersWindow (会员, issue 16; Ctrl+Shift+B): any signed-in cashier finds a member by a
 * scanned member code, a mobile number or a name (pinyin, initials), adds and edits
 * members, and sees their stored value (paid and bonus apart) and points with the latest
 * moves of both ledgers. A manager's PIN (audit "approve:members") is asked for an
 * adjustment, the export (with the full phone numbers) and the levels. Phone numbers are
 * shown masked except inside the edit field, and never logged. */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"

G_BEGIN_DECLS

#define TILL_TYPE_MEMBERS_WINDOW (till_members_window_get_type ())
G_DECLARE_FINAL_TYPE (TillMembersWindow, till_members_window, TILL, MEMBERS_WINDOW, GtkWindow)

TillMembersWindow *
till_members_window_new (GtkWindow *parent, TillContext *context);

/* A code from the scanner while the window is active: it goes into the search, and the
 * member found is opened. */
void
till_members_window_enter_code (TillMembersWindow *self, const char *code);
/* Asks a manager's PIN, then writes the members export (till_store_export_members_csv())
 * to `path` on the store thread (the file chooser of Ctrl+Shift+E ends here). */
void
till_members_window_export (TillMembersWindow *self, const char *path);

/* For tests and the status line: the last message ("" when none); the member open (0: a
 * new one); the number of results shown; TRUE while a store job of the window runs. */
const char *
till_members_window_get_message (TillMembersWindow *self);
gint64
till_members_window_get_member_id (TillMembersWindow *self);
guint
till_members_window_get_n_results (TillMembersWindow *self);
gboolean
till_members_window_get_busy (TillMembersWindow *self);

G_END_DECLS
