/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The clean close of a till's database: a mark beside it (DB.clean) written when the till
 * quit normally with the database closed, naming the file as it was then (device, inode,
 * size, modification and change times, to the nanosecond) with no write-ahead log left.
 * At the next start a database that still matches its mark, with no -wal, is the file the
 * till closed and nothing has written since: the start's PRAGMA quick_check (seconds on a
 * shop's database, read page by page) is not needed. A crash or power cut (no mark, or a
 * -wal left), any write (by a command-line job too), a restore, copy or replacement of the
 * file (another inode, size or time) makes the start check it as before. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TILL_STORE_CLEAN_SUFFIX ".clean"

/* Writes the mark of `db_path` (durably: fsync, rename). FALSE, writing nothing, when the
 * database has a -wal with anything in it (a connection still open, or it was not closed
 * cleanly) or cannot be seen; `error` says why. */
gboolean till_store_clean_mark (const char *db_path,
                                GError    **error);
typedef struct _TillStore TillStore;

/* The till's normal quit: waits for the store thread's jobs, moves the write-ahead log into
 * the database (checkpoint, the -wal truncated), makes the store's connection read only for
 * the rest of the process (a late write fails instead of changing the file), then writes
 * the mark. FALSE with `error` when the log could not be emptied (another connection reads)
 * or the mark not written: the next start then checks the database. */
gboolean till_store_clean_close (TillStore  *store,
                                 GError    **error);
/* Whether `db_path` is exactly the file its mark names, without a -wal; the mark is removed
 * either way, so that a crash of this run leaves none. */
gboolean till_store_clean_take (const char *db_path);

G_END_DECLS
