/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper: a real SQLite store (tillpoint.db) in a fresh temporary directory, and the
 * removal of its files (the database, -wal, -shm) and of the directory afterwards. */
#pragma once

#include <glib.h>

#include "till-store.h"

G_BEGIN_DECLS

/* Makes a temporary directory from tmpl (as g_dir_make_tmp), opens dir/tillpoint.db in
 * it; *out_dir and *out_db_path (g_free) receive the paths. Asserts on any error. */
TillStore *till_test_store_open_tmp   (const char  *tmpl,
                                       char       **out_dir,
                                       char       **out_db_path);
/* Removes db_path, db_path-wal, db_path-shm and then the directory dir (the store must be
 * closed). */
void       till_test_store_remove_tmp (const char  *dir,
                                       const char  *db_path);

G_END_DECLS
