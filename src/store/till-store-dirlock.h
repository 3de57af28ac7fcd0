/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The data directory's lock: one till process per data directory, whatever the session
 * bus says. An exclusive flock(2) on DATA_DIR/tillpoint.lock, held for the whole life of
 * the till process and released by the kernel when it ends (a crash too); the file holds
 * the holder's process id so that a refused start can name it. Command-line jobs
 * (--import-catalog, --report) do not take it: they run beside the till. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TILL_STORE_DIR_LOCK_FILE "tillpoint.lock"

typedef struct _TillStoreDirLock TillStoreDirLock;

/* Takes the lock of `data_dir` (which must exist) without waiting. NULL and
 * TILL_STORE_ERROR_IN_USE when another process holds it (*out_holder, if not NULL, is its
 * process id as written in the file, 0 when unknown); TILL_STORE_ERROR_READ_ONLY when
 * the lock file cannot be made or opened because the directory cannot be written;
 * TILL_STORE_ERROR_FAILED otherwise (e.g. a file system without locks). */
TillStoreDirLock *till_store_dir_lock_acquire (const char       *data_dir,
                                               GPid             *out_holder,
                                               GError          **error);
const char       *till_store_dir_lock_get_path (TillStoreDirLock *self);
/* Releases the lock (the file stays: removing it would race with the next taker). */
void              till_store_dir_lock_release  (TillStoreDirLock *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillStoreDirLock, till_store_dir_lock_release)

G_END_DECLS
