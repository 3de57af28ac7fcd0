/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The clean close of a till's database: the mark written at a normal quit, taken at start. */
#define G_LOG_DOMAIN "till-store"
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "till-store-clean.h"
#include "till-store-private.h"
#include "till-store.h"

#define MARK_MAGIC "tillpoint-clean 1"

/* The identity of the file at `db_path` as one line, or NULL when it cannot be seen or a
 * -wal with content is beside it. */
static char *
describe_file (const char *db_path,
               GError    **error)
{
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
  struct stat st;

  if (g_stat (wal, &st) == 0 && st.st_size > 0)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   "%s has a write-ahead log with %" G_GINT64_FORMAT " bytes", db_path,
                   (gint64) st.st_size);
      return NULL;
    }
  if (stat (db_path, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED, "%s: %s", db_path,
                   g_strerror (saved_errno));
      return NULL;
    }
  return g_strdup_printf (MARK_MAGIC " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                          " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT ".%09ld"
                          " %" G_GINT64_FORMAT ".%09ld\n",
                          (guint64) st.st_dev, (guint64) st.st_ino, (gint64) st.st_size,
                          (gint64) st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                          (gint64) st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
}

gboolean
till_store_clean_mark (const char *db_path,
                       GError    **error)
{
  g_autofree char *mark = NULL;
  g_autofree char *line = NULL;

  g_return_val_if_fail (db_path != NULL, FALSE);

  line = describe_file (db_path, error);
  if (line == NULL)
    return FALSE;
  mark = g_strconcat (db_path, TILL_STORE_CLEAN_SUFFIX, NULL);
  return g_file_set_contents_full (mark, line, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT
                                   | G_FILE_SET_CONTENTS_DURABLE, 0600, error);
}

gboolean
till_store_clean_take (const char *db_path)
{
  g_autofree char *mark = NULL;
  g_autofree char *written = NULL;
  g_autofree char *now = NULL;
  g_autoptr(GError) error = NULL;
  gboolean clean;

  g_return_val_if_fail (db_path != NULL, FALSE);

  mark = g_strconcat (db_path, TILL_STORE_CLEAN_SUFFIX, NULL);
  if (!g_file_get_contents (mark, &written, NULL, NULL))
    return FALSE;
  g_unlink (mark);
  now = describe_file (db_path, &error);
  clean = now != NULL && strcmp (now, written) == 0;
  if (!clean)
    g_message ("%s is not as it was closed (%s): checking it", db_path,
               error != NULL ? error->message : "changed since");
  return clean;
}

gboolean
till_store_clean_close (TillStore *store,
                        GError   **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  int busy = 1;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (store), FALSE);

  till_store_flush (store);
  locker = till_store_locker_new (store);
  db = till_store_get_db (store);
  /* The columns: busy (1 when another connection kept part of the log), log pages,
   * pages moved. */
  rc = sqlite3_prepare_v2 (db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &stmt, NULL);
  if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    busy = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (busy != 0)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   "the write-ahead log of %s could not be emptied (%s)",
                   till_store_get_path (store), busy == 1 ? "another connection reads" : sqlite3_errmsg (db));
      return FALSE;
    }
  if (!till_store_exec_literal (db, "PRAGMA query_only = ON", error))
    return FALSE;
  return till_store_clean_mark (till_store_get_path (store), error);
}
