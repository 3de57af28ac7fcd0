/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Backups of the till's database and restoring one (issue 17).
 *
 * A backup is made by SQLite's online backup API from a connection of its own that holds
 * one read transaction for the whole copy: in WAL mode the till's sales go on meanwhile,
 * and the copy is the database as it was at that transaction's start, whole transactions
 * only. It is written under a temporary name in the backup directory (any path: a USB
 * stick, a network share), switched to a rollback journal (one self-contained file),
 * verified (PRAGMA integrity_check), fsync'ed and renamed to
 * tillpoint-<till id>-<YYYYMMDD-HHMMSS>.db (local time); then the oldest backups of that
 * till beyond `keep` are deleted. Nothing here touches the till's database file.
 *
 * Restoring: the backup is verified, refused while the current database has an
 * unfinished payment, refund or money job in the outbox (what recovery would drive again
 * at start), copied beside the database under a temporary name, and put in place; the
 * current database (and its -wal and -shm) is renamed tillpoint-replaced-<stamp>.db, never
 * deleted. Only while no till holds the data directory (till-store-dirlock.h). */
#pragma once

#include <gio/gio.h>
#include "till-store.h"

G_BEGIN_DECLS

/* One backup file in a directory. */
typedef struct
{
  char  *path;
  char  *till_id;
  gint64 made_us;  /* the time in its name (local time), unix µs */
  gint64 size;     /* bytes */
} TillBackupInfo;

void till_backup_info_free (TillBackupInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillBackupInfo, till_backup_info_free)

/* Makes a verified backup of `store`'s database in `dir` (which must exist: a missing USB
 * stick is TILL_STORE_ERROR_NOT_FOUND naming the folder), then keeps the newest `keep`
 * (≥ 1) of `till_id`'s backups there. Returns the new file's path. Blocks: from the UI use
 * the _async variant. */
char      *till_store_backup_make           (TillStore     *store,
                                             const char    *dir,
                                             const char    *till_id,
                                             guint          keep,
                                             GCancellable  *cancellable,
                                             GError       **error);
/* The same in a thread of its own (not the store thread: sales go on meanwhile). */
void       till_store_backup_make_async     (TillStore          *store,
                                             const char         *dir,
                                             const char         *till_id,
                                             guint               keep,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
char      *till_store_backup_make_finish    (TillStore     *store,
                                             GAsyncResult  *result,
                                             GError       **error);

/* The backups in `dir` (of `till_id`, or of every till when NULL), newest first: array of
 * TillBackupInfo* (owned). A missing directory is TILL_STORE_ERROR_NOT_FOUND. */
GPtrArray *till_store_backup_list           (const char    *dir,
                                             const char    *till_id,
                                             GError       **error);
/* Deletes `till_id`'s backups in `dir` beyond the newest `keep`, and its temporary files
 * of backups cut short more than an hour ago; the number of backups deleted, or -1 with
 * `error` set. */
int        till_store_backup_prune          (const char    *dir,
                                             const char    *till_id,
                                             guint          keep,
                                             GError       **error);

/* Whether `path` is a whole Tillpoint database this build can open: PRAGMA
 * integrity_check, its application id and a schema version no newer than this build's.
 * Read only. TILL_STORE_ERROR_CORRUPT (damaged, not a Tillpoint database),
 * TILL_STORE_ERROR_TOO_NEW or TILL_STORE_ERROR_NOT_FOUND otherwise. */
gboolean   till_store_backup_verify_file    (const char    *path,
                                             GError       **error);
/* The check at start: PRAGMA quick_check of the database at `path` opened read only and
 * without a checkpoint at close, so that a damaged file is left byte for byte as it is.
 * TILL_STORE_ERROR_CORRUPT with the reason when the file is damaged or no database;
 * TILL_STORE_ERROR_FAILED when it cannot be opened or read (permissions, locks, I/O). */
gboolean   till_store_backup_quick_check    (const char    *path,
                                             GError       **error);
/* The newest backup in `dir` (of `till_id`, or any till's when NULL) that passes
 * till_store_backup_verify_file(), or NULL (with `error` unset when there is none). */
TillBackupInfo *till_store_backup_find_latest_good (const char  *dir,
                                                    const char  *till_id,
                                                    GError     **error);

/* Refuses (TILL_STORE_ERROR_INVALID_STATE, saying what is unfinished) while the database
 * at `db_path` has a payment or refund whose outcome is open, or a queued job that moves
 * money (every outbox job but fetch_bill) pending or running. A missing database is idle;
 * one that cannot be read is reported with the reason (TILL_STORE_ERROR_CORRUPT), and the
 * caller decides (a damaged database cannot say what it holds). Read only. */
gboolean   till_store_backup_check_idle     (const char    *db_path,
                                             GError       **error);
/* Copies `backup_path` (verified first) beside `db_path` under a temporary name and
 * fsyncs it; returns that path. The staged copy may be opened (and migrated) before
 * till_store_backup_install() puts it in place. */
char      *till_store_backup_stage          (const char    *db_path,
                                             const char    *backup_path,
                                             GError       **error);
/* Renames the current database `db_path` with its -wal and -shm (when there) to
 * tillpoint-replaced-<stamp>.db (returned in *out_aside_path; NULL when there was none),
 * then `staged_path` to `db_path`, and fsyncs the directory. */
gboolean   till_store_backup_install        (const char    *db_path,
                                             const char    *staged_path,
                                             char         **out_aside_path,
                                             GError       **error);
/* verify, check_idle (a database that cannot be read is replaced, and kept aside), stage
 * and install in one call; for a caller that has already asked for a manager. */
gboolean   till_store_backup_restore        (const char    *db_path,
                                             const char    *backup_path,
                                             char         **out_aside_path,
                                             GError       **error);

G_END_DECLS
