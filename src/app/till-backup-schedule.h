/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillBackupSchedule: the till's backups, made with the settings backup-dir (empty: the
 * folder "backups" in the data directory), backup-keep and backup-interval-hours (0: only
 * at the day close), on a schedule while the till runs and after each day close. GLib
 * only. Each backup runs in a thread of its own (till_store_backup_make_async): sales go
 * on meanwhile.
 *
 * Signals:
 *   "message" (int kind, const char *text): a backup failed (TILL_MESSAGE_ERROR: a missing
 *     USB stick says so), for the cashier's status bar; a success is a log line only. */
#pragma once

#include <gio/gio.h>
#include "till-context.h"

G_BEGIN_DECLS

#define TILL_TYPE_BACKUP_SCHEDULE (till_backup_schedule_get_type ())
G_DECLARE_FINAL_TYPE (TillBackupSchedule, till_backup_schedule, TILL, BACKUP_SCHEDULE, GObject)

/* Starts the schedule of `context`'s settings (the first backup one interval after start). */
TillBackupSchedule *till_backup_schedule_new (TillContext *context);

/* The folder backups go to: the setting, or DATA_DIR/backups (made when missing) when it
 * is empty. */
char *till_backup_dup_dir (TillContext *context);

/* One backup now with `context`'s settings; the path of the new file. */
void  till_backup_make_async  (TillContext         *context,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
char *till_backup_make_finish (TillContext         *context,
                               GAsyncResult        *result,
                               GError             **error);

/* Makes a backup now (as the schedule does: a failure is a "message"). */
void  till_backup_schedule_run_now (TillBackupSchedule *self);

G_END_DECLS
