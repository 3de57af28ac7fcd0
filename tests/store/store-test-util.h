/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the store tests: a fresh temporary directory per test, and raw SQL
 * through a second, independent connection to the same file. */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "till-store-private.h"

typedef struct
{
  char *dir;
  char *path;   /* dir/tillpoint.db */
} TestDir;

static inline TestDir *
test_dir_new (void)
{
  g_autoptr(GError) error = NULL;
  TestDir *dir = g_new0 (TestDir, 1);

  dir->dir = g_dir_make_tmp ("till-store-XXXXXX", &error);
  g_assert_no_error (error);
  dir->path = g_build_filename (dir->dir, "tillpoint.db", NULL);
  return dir;
}

static inline void
test_dir_free (TestDir *dir)
{
  GDir *d = g_dir_open (dir->dir, 0, NULL);
  const char *name;

  if (d != NULL)
    {
      while ((name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *file = g_build_filename (dir->dir, name, NULL);
          g_assert_cmpint (g_remove (file), ==, 0);
        }
      g_dir_close (d);
    }
  g_assert_cmpint (g_rmdir (dir->dir), ==, 0);
  g_free (dir->dir);
  g_free (dir->path);
  g_free (dir);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestDir, test_dir_free)

static inline char *
test_dir_file (TestDir    *dir,
               const char *name)
{
  return g_build_filename (dir->dir, name, NULL);
}

/* A raw connection of the test's own (not the store's). */
static inline sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                    NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static inline void
raw_exec (sqlite3    *db,
          const char *sql)
{
  char *errmsg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &errmsg) != SQLITE_OK)
    g_error ("SQL failed: %s\n%s", errmsg, sql);
}

/* Runs sql; returns the SQLite result code (errors expected by the caller). */
static inline int
raw_try (sqlite3    *db,
         const char *sql)
{
  return sqlite3_exec (db, sql, NULL, NULL, NULL);
}

static inline gint64
raw_int (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static inline char *
raw_text (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

/* All rows of column 0 (or all columns joined by '|'), joined by '\n'. */
static inline char *
raw_rows (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, c);
          if (c > 0)
            g_string_append_c (out, '|');
          g_string_append (out, text ? text : "NULL");
        }
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  return g_string_free (out, FALSE);
}

/* The store's own connection (per-connection pragmas). */
static inline gint64
store_int (TillStore  *store,
           const char *sql)
{
  gint64 value;

  till_store_lock (store);
  value = raw_int (till_store_get_db (store), sql);
  till_store_unlock (store);
  return value;
}

static inline char *
store_text (TillStore  *store,
            const char *sql)
{
  char *value;

  till_store_lock (store);
  value = raw_text (till_store_get_db (store), sql);
  till_store_unlock (store);
  return value;
}

static inline char *
store_rows (TillStore  *store,
            const char *sql)
{
  char *value;

  till_store_lock (store);
  value = raw_rows (till_store_get_db (store), sql);
  till_store_unlock (store);
  return value;
}

static inline TillStore *
test_store_open (TestDir *dir)
{
  g_autoptr(GError) error = NULL;
  TillStore *store = till_store_open (dir->path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static inline void
write_file (const char *path,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}
