/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Restoring a backup into a data directory (tillpoint --restore=FILE, and the offer of the
 * startup window when the database is damaged). GLib only.
 *
 * The rules: no till runs on the data directory (its lock is taken for the restore); the
 * backup passes its integrity check; the current database has no unfinished payment,
 * refund or money job (a damaged one cannot say, and is replaced); a manager approves with
 * a PIN — a manager of the current database when it is whole (its wrong-PIN lock counts),
 * else of the backup (when that has no manager with a PIN, as a new till has none, no PIN
 * is asked); the current database is moved aside (tillpoint-replaced-<stamp>.db), never
 * deleted, and the backup put in its place. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether a manager's PIN will be asked to restore a backup into `data_dir` (FALSE only
 * when neither the database nor the backup has a manager with a PIN). */
gboolean till_restore_needs_pin (const char  *data_dir,
                                 const char  *backup_path,
                                 GError     **error);

/* Restores `backup_path` into `data_dir` by the rules above; `pin` is the manager's PIN
 * (may be NULL when none is needed). *out_aside_path: where the database it replaced
 * went (NULL when there was none). Blocks (PIN hashing, copying): not on the UI thread. */
gboolean till_restore_backup    (const char  *data_dir,
                                 const char  *backup_path,
                                 const char  *pin,
                                 char       **out_aside_path,
                                 GError     **error);

G_END_DECLS

G_BEGIN_DECLS

/* tillpoint --restore=FILE: asks for a manager's PIN when one is needed (on the terminal
 * without echo; from the first line of standard input when that is not a terminal),
 * restores, and says on standard output where the database it replaced went. Returns the
 * exit status (0 restored, 1 refused or failed: the reason on standard error). */
int   till_restore_cli_run          (const char *data_dir,
                                     const char *backup_path);

/* A manager's PIN for a command line: asked on the terminal without echo, or the first
 * line of standard input when that is not a terminal (also tillpoint --export-members). */
char *till_cli_read_pin             (void);

/* What the startup window says about the latest good backup of `till_id` in
 * `backup_dir` (NULL: none there, or the folder cannot be read); its path in
 * *out_path. */
char *till_restore_describe_latest  (const char  *backup_dir,
                                     const char  *till_id,
                                     char       **out_path);

G_END_DECLS

G_BEGIN_DECLS

/* tillpoint --backup=DIR: a verified backup of the database in `data_dir` into
 * `backup_dir` now (beside a running till too), keeping `keep` of `till_id`'s; prints the
 * new file's path. Returns the exit status. */
int   till_backup_cli_run           (const char *data_dir,
                                     const char *backup_dir,
                                     const char *till_id,
                                     guint       keep);

G_END_DECLS
