/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Backups of the database by SQLite's online backup API, their list and pruning, the
 * checks of a database file, and restoring a backup (see till-store-backup.h). */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "till-store-private.h"
#include "till-store-backup.h"

#define BACKUP_PREFIX "tillpoint-"
#define BACKUP_SUFFIX ".db"
#define PAGES_PER_STEP 64

void
till_backup_info_free (TillBackupInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->path);
  g_free (info->till_id);
  g_free (info);
}

/* ---------------------------------------------------------------- helpers */

/* A till id as it may appear in a file name: [0-9A-Za-z_] kept, anything else '_'. */
static char *
file_safe_id (const char *till_id)
{
  char *id = g_strdup (till_id != NULL && *till_id != '\0' ? till_id : "01");

  for (char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      *p = '_';
  return id;
}

static char *
local_stamp (gint64 us)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);

  return g_date_time_format (local, "%Y%m%d-%H%M%S");
}

static gboolean
fsync_path (const char *path,
            gboolean    directory,
            GError    **error)
{
  int fd = g_open (path, directory ? O_RDONLY | O_DIRECTORY : O_RDWR, 0);

  if (fd < 0 || fsync (fd) != 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      /* Some network file systems cannot sync a directory; the file itself was. */
      if (directory && (saved_errno == EINVAL || saved_errno == ENOTSUP))
        return TRUE;
      g_warning ("fsync %s: %s", path, g_strerror (saved_errno));
      g_set_error (error, TILL_STORE_ERROR,
                   saved_errno == ENOSPC ? TILL_STORE_ERROR_FULL : TILL_STORE_ERROR_FAILED,
                   _("“%s” could not be written to the disk (%s)"), path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static void
set_backup_error (sqlite3    *db,
                  int         rc,
                  const char *path,
                  GError    **error)
{
  const char *reason = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  g_warning ("Backup %s: SQLite error %d: %s", path, rc, reason);
  if ((rc & 0xff) == SQLITE_FULL)
    g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FULL,
                 _("The backup “%s” could not be written: the disk is full"), path);
  else
    g_set_error (error, TILL_STORE_ERROR, till_store_error_code_from_sqlite (rc),
                 _("The backup “%s” could not be written (%s)"), path, reason);
}

static gboolean
query_text_rows (sqlite3     *db,
                 const char  *sql,
                 GString     *out,
                 guint        max_rows,
                 int         *out_rc)
{
  sqlite3_stmt *stmt = NULL;
  guint n = 0;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = SQLITE_ROW;
  while (rc == SQLITE_ROW && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (n++ < max_rows)
      {
        if (out->len > 0)
          g_string_append (out, "; ");
        g_string_append (out, (const char *) sqlite3_column_text (stmt, 0));
      }
  sqlite3_finalize (stmt);
  *out_rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
  return *out_rc == SQLITE_OK;
}

/* Runs `pragma` (integrity_check or quick_check) on `db`: TRUE when it says "ok". */
static gboolean
check_pages (sqlite3    *db,
             const char *pragma,
             const char *path,
             GError    **error)
{
  g_autoptr(GString) result = g_string_new (NULL);
  int rc;

  if (!query_text_rows (db, pragma, result, 3, &rc))
    {
      g_warning ("%s of %s failed: %d %s", pragma, path, rc, sqlite3_errmsg (db));
      /* Only what the file says is damage: a file that cannot be opened or read (no
       * permission, a lock, an I/O error) is not. */
      if ((rc & 0xff) != SQLITE_NOTADB && (rc & 0xff) != SQLITE_CORRUPT)
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED,
                     _("“%s” cannot be read (%s)"), path, sqlite3_errmsg (db));
      else if ((rc & 0xff) == SQLITE_NOTADB)
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT,
                     _("“%s” is not a Tillpoint database or it is damaged (%s)"), path,
                     sqlite3_errmsg (db));
      else
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT,
                     _("“%s” is damaged (%s)"), path, sqlite3_errmsg (db));
      return FALSE;
    }
  if (strcmp (result->str, "ok") != 0)
    {
      g_warning ("%s of %s: %s", pragma, path, result->str);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT,
                   _("“%s” is damaged (%s)"), path, result->str);
      return FALSE;
    }
  return TRUE;
}

static sqlite3 *
open_read_only (const char *path,
                GError    **error)
{
  sqlite3 *db = NULL;
  int rc;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                   _("There is no file “%s”"), path);
      return NULL;
    }
  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_warning ("Cannot open %s: %s", path, db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      g_set_error (error, TILL_STORE_ERROR,
                   (rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT
                   ? TILL_STORE_ERROR_CORRUPT : TILL_STORE_ERROR_FAILED,
                   _("“%s” cannot be opened (%s)"), path,
                   db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return NULL;
    }
  /* Never write the file: no checkpoint of a -wal into it when this connection closes. */
  sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

/* The application id and schema version of an open database. */
static gboolean
check_identity (sqlite3    *db,
                const char *path,
                GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 app_id = 0, version = 0;

  if (!till_store_query_int (db, "PRAGMA application_id", &app_id, &local_error)
      || !till_store_query_int (db, "PRAGMA user_version", &version, &local_error))
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT,
                   _("“%s” is damaged or not a database (%s)"), path, local_error->message);
      return FALSE;
    }
  if (app_id != TILL_STORE_APPLICATION_ID || version < 1)
    {
      g_warning ("%s: application_id %" G_GINT64_FORMAT ", user_version %" G_GINT64_FORMAT,
                 path, app_id, version);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT,
                   _("“%s” is not a Tillpoint database"), path);
      return FALSE;
    }
  if (version > TILL_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_TOO_NEW,
                   _("“%s” was made by a newer version of Tillpoint"), path);
      return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------- checks */

gboolean
till_store_backup_verify_file (const char *path,
                               GError    **error)
{
  sqlite3 *db;
  gboolean ok;

  g_return_val_if_fail (path != NULL, FALSE);

  db = open_read_only (path, error);
  if (db == NULL)
    return FALSE;
  ok = check_pages (db, "PRAGMA integrity_check", path, error)
       && check_identity (db, path, error);
  sqlite3_close (db);
  return ok;
}

gboolean
till_store_backup_quick_check (const char *path,
                               GError    **error)
{
  sqlite3 *db;
  gboolean ok;

  g_return_val_if_fail (path != NULL, FALSE);

  db = open_read_only (path, error);
  if (db == NULL)
    return FALSE;
  ok = check_pages (db, "PRAGMA quick_check", path, error);
  sqlite3_close (db);
  return ok;
}

/* ---------------------------------------------------------------- list, prune */

/* tillpoint-<id>-YYYYMMDD-HHMMSS[-n].db: the till id and the time, or FALSE. */
static gboolean
parse_backup_name (const char *name,
                   char      **out_till_id,
                   gint64     *out_made_us)
{
  g_autofree char *core = NULL;
  g_auto(GStrv) parts = NULL;
  guint n;
  int y, mo, d, h, mi, s;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) when = NULL;

  if (!g_str_has_prefix (name, BACKUP_PREFIX) || !g_str_has_suffix (name, BACKUP_SUFFIX))
    return FALSE;
  core = g_strndup (name + strlen (BACKUP_PREFIX),
                    strlen (name) - strlen (BACKUP_PREFIX) - strlen (BACKUP_SUFFIX));
  parts = g_strsplit (core, "-", -1);
  n = g_strv_length (parts);
  if (n < 3 || n > 4 || strlen (parts[1]) != 8 || strlen (parts[2]) != 6 || *parts[0] == '\0')
    return FALSE;
  for (guint i = 1; i < n; i++)
    for (const char *p = parts[i]; *p; p++)
      if (!g_ascii_isdigit (*p))
        return FALSE;
  if (sscanf (parts[1], "%4d%2d%2d", &y, &mo, &d) != 3
      || sscanf (parts[2], "%2d%2d%2d", &h, &mi, &s) != 3)
    return FALSE;
  tz = g_time_zone_new_local ();
  when = g_date_time_new (tz, y, mo, d, h, mi, s);
  if (when == NULL)
    return FALSE;
  *out_till_id = g_strdup (parts[0]);
  *out_made_us = g_date_time_to_unix (when) * G_USEC_PER_SEC;
  return TRUE;
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const TillBackupInfo *x = *(TillBackupInfo *const *) a;
  const TillBackupInfo *y = *(TillBackupInfo *const *) b;

  if (x->made_us != y->made_us)
    return x->made_us > y->made_us ? -1 : 1;
  /* The same second: a name with "-2" is newer than the plain one, "-10" than "-9". */
  if (strlen (x->path) != strlen (y->path))
    return strlen (x->path) > strlen (y->path) ? -1 : 1;
  return -g_strcmp0 (x->path, y->path);
}

GPtrArray *
till_store_backup_list (const char *dir,
                        const char *till_id,
                        GError    **error)
{
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *safe_id = till_id != NULL ? file_safe_id (till_id) : NULL;
  const char *name;

  g_return_val_if_fail (dir != NULL, NULL);

  d = g_dir_open (dir, 0, &local_error);
  if (d == NULL)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                   _("The backup folder “%s” cannot be opened (%s)"), dir,
                   local_error->message);
      return NULL;
    }
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) till_backup_info_free);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *id = NULL;
      gint64 made_us = 0;
      TillBackupInfo *info;
      GStatBuf st;

      if (!parse_backup_name (name, &id, &made_us)
          || (safe_id != NULL && strcmp (id, safe_id) != 0))
        continue;
      info = g_new0 (TillBackupInfo, 1);
      info->path = g_build_filename (dir, name, NULL);
      info->till_id = g_steal_pointer (&id);
      info->made_us = made_us;
      if (g_stat (info->path, &st) == 0)
        info->size = st.st_size;
      g_ptr_array_add (list, info);
    }
  g_ptr_array_sort (list, compare_newest_first);
  return g_steal_pointer (&list);
}

/* Temporary files of `safe_id`'s backups cut short (the till quit or crashed mid-copy)
 * more than an hour ago: a backup under way now is younger. */
static void
remove_stale_parts (const char *dir,
                    const char *safe_id)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autofree char *prefix = g_strdup_printf ("." BACKUP_PREFIX "%s-", safe_id);
  gint64 hour_ago = g_get_real_time () / G_USEC_PER_SEC - 3600;
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf st;

      if (!g_str_has_prefix (name, prefix) || !g_str_has_suffix (name, ".part"))
        continue;
      path = g_build_filename (dir, name, NULL);
      if (g_stat (path, &st) == 0 && st.st_mtime < hour_ago && g_unlink (path) == 0)
        g_message ("Deleted %s, a backup cut short", path);
    }
}

int
till_store_backup_prune (const char *dir,
                         const char *till_id,
                         guint       keep,
                         GError    **error)
{
  g_autoptr(GPtrArray) list = NULL;
  int n_deleted = 0;

  g_return_val_if_fail (dir != NULL && till_id != NULL, -1);

  list = till_store_backup_list (dir, till_id, error);
  if (list == NULL)
    return -1;
  {
    g_autofree char *safe_id = file_safe_id (till_id);

    remove_stale_parts (dir, safe_id);
  }
  for (guint i = MAX (keep, 1); i < list->len; i++)
    {
      TillBackupInfo *info = g_ptr_array_index (list, i);

      if (g_unlink (info->path) != 0)
        {
          int saved_errno = errno;

          g_warning ("Cannot delete the old backup %s: %s", info->path,
                     g_strerror (saved_errno));
          g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED,
                       _("The old backup “%s” could not be deleted (%s)"), info->path,
                       g_strerror (saved_errno));
          return -1;
        }
      g_message ("Deleted the old backup %s (keeping %u)", info->path, keep);
      n_deleted++;
    }
  return n_deleted;
}

TillBackupInfo *
till_store_backup_find_latest_good (const char *dir,
                                    const char *till_id,
                                    GError    **error)
{
  g_autoptr(GPtrArray) list = till_store_backup_list (dir, till_id, error);

  if (list == NULL)
    return NULL;
  for (guint i = 0; i < list->len; i++)
    {
      TillBackupInfo *info = g_ptr_array_index (list, i);
      g_autoptr(GError) local_error = NULL;

      if (till_store_backup_verify_file (info->path, &local_error))
        return g_ptr_array_steal_index (list, i);
      g_message ("Backup %s is not usable: %s", info->path, local_error->message);
    }
  return NULL;
}

/* ---------------------------------------------------------------- making one */

/* 1 + the highest number of `safe_id`'s backups named with `stamp` in `dir` (the plain
 * name is 1), or 1. */
static guint
next_number (const char *dir,
             const char *safe_id,
             const char *stamp)
{
  g_autoptr(GPtrArray) list = till_store_backup_list (dir, safe_id, NULL);
  g_autofree char *plain = g_strdup_printf (BACKUP_PREFIX "%s-%s" BACKUP_SUFFIX, safe_id,
                                            stamp);
  g_autofree char *numbered = g_strdup_printf (BACKUP_PREFIX "%s-%s-", safe_id, stamp);
  guint highest = 0;

  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      TillBackupInfo *info = g_ptr_array_index (list, i);
      g_autofree char *name = g_path_get_basename (info->path);

      if (strcmp (name, plain) == 0)
        highest = MAX (highest, 1);
      else if (g_str_has_prefix (name, numbered))
        highest = MAX (highest, (guint) g_ascii_strtoull (name + strlen (numbered), NULL, 10));
    }
  return highest + 1;
}

/* Copies the database at `source_path` into `dest_path` (a new file) from a connection of
 * its own holding one read transaction, in steps; then a rollback journal, and the whole
 * copy checked. */
static gboolean
copy_database (const char   *source_path,
               const char   *dest_path,
               GCancellable *cancellable,
               GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3 *src = NULL, *dest = NULL;
  sqlite3_backup *backup = NULL;
  gboolean ok = FALSE;
  int rc;

  src = open_read_only (source_path, error);
  if (src == NULL)
    return FALSE;
  rc = sqlite3_open_v2 (dest_path, &dest,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      set_backup_error (dest, rc, dest_path, error);
      goto out;
    }

  /* One snapshot for every step: the till's writers go on in the WAL meanwhile, and the
   * copy is the database at this moment, not a mix of moments. */
  if (!till_store_exec_literal (src, "BEGIN", error)
      || !till_store_exec_literal (src, "SELECT count(*) FROM sqlite_master", error))
    goto out;

  backup = sqlite3_backup_init (dest, "main", src, "main");
  if (backup == NULL)
    {
      set_backup_error (dest, sqlite3_errcode (dest), dest_path, error);
      goto out;
    }
  for (guint n_busy = 0;;)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      rc = sqlite3_backup_step (backup, PAGES_PER_STEP);
      if (rc == SQLITE_OK)
        continue;
      /* Another connection holding a lock a moment: wait a little, up to 10 s. */
      if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && n_busy++ < 200)
        {
          sqlite3_sleep (50);
          continue;
        }
      break;
    }
  rc = sqlite3_backup_finish (backup);
  backup = NULL;
  if (rc != SQLITE_OK)
    {
      set_backup_error (dest, rc, dest_path, error);
      goto out;
    }
  till_store_exec_literal (src, "COMMIT", NULL);

  /* The copy keeps the source's WAL mark in its header: one file is what a backup must
   * be, so back to a rollback journal, and then every page checked. */
  if (!till_store_exec_literal (dest, "PRAGMA journal_mode = DELETE", &local_error))
    {
      set_backup_error (dest, sqlite3_errcode (dest), dest_path, error);
      goto out;
    }
  ok = check_pages (dest, "PRAGMA integrity_check", dest_path, error)
       && check_identity (dest, dest_path, error);

out:
  if (backup != NULL)
    sqlite3_backup_finish (backup);
  if (dest != NULL && sqlite3_close (dest) != SQLITE_OK && ok)
    {
      set_backup_error (dest, sqlite3_errcode (dest), dest_path, error);
      ok = FALSE;
    }
  sqlite3_close (src);
  return ok;
}

char *
till_store_backup_make (TillStore    *store,
                        const char   *dir,
                        const char   *till_id,
                        guint         keep,
                        GCancellable *cancellable,
                        GError      **error)
{
  g_autofree char *safe_id = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *temp_name = NULL;
  g_autofree char *temp_path = NULL;
  g_autofree char *final_path = NULL;
  g_autoptr(GError) prune_error = NULL;
  gint64 start_us;

  g_return_val_if_fail (TILL_IS_STORE (store), NULL);
  g_return_val_if_fail (dir != NULL, NULL);

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_warning ("Backup folder %s is not there", dir);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                   _("The backup folder “%s” is not there (is the USB stick or the network "
                     "share connected?)"), dir);
      return NULL;
    }

  start_us = g_get_monotonic_time ();
  safe_id = file_safe_id (till_id);
  stamp = local_stamp (till_store_now_us ());
  /* Several in one second are numbered after the highest there: older ones pruned
   * meanwhile must not make a newer backup take an older name. */
  for (guint n = next_number (dir, safe_id, stamp); final_path == NULL
       || g_file_test (final_path, G_FILE_TEST_EXISTS); n++)
    {
      g_autofree char *name = n == 1
        ? g_strdup_printf (BACKUP_PREFIX "%s-%s" BACKUP_SUFFIX, safe_id, stamp)
        : g_strdup_printf (BACKUP_PREFIX "%s-%s-%u" BACKUP_SUFFIX, safe_id, stamp, n);

      g_free (final_path);
      final_path = g_build_filename (dir, name, NULL);
      g_free (temp_name);
      temp_name = g_strdup_printf (".%s.part", name);
    }
  temp_path = g_build_filename (dir, temp_name, NULL);
  g_unlink (temp_path);  /* a crash's leftover of this very name */

  if (!copy_database (till_store_get_path (store), temp_path, cancellable, error)
      || !fsync_path (temp_path, FALSE, error))
    {
      g_unlink (temp_path);
      return NULL;
    }
  if (g_rename (temp_path, final_path) != 0)
    {
      int saved_errno = errno;

      g_unlink (temp_path);
      g_warning ("Cannot rename %s: %s", temp_path, g_strerror (saved_errno));
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED,
                   _("The backup “%s” could not be written (%s)"), final_path,
                   g_strerror (saved_errno));
      return NULL;
    }
  if (!fsync_path (dir, TRUE, error))
    return NULL;

  g_message ("Backup %s made and verified in %" G_GINT64_FORMAT " ms", final_path,
             (g_get_monotonic_time () - start_us) / 1000);
  /* A backup was made: failing to delete an old one is worth a log line, not a failure. */
  if (till_store_backup_prune (dir, safe_id, keep, &prune_error) < 0)
    g_warning ("Old backups were not pruned: %s", prune_error->message);
  return g_steal_pointer (&final_path);
}

typedef struct
{
  char  *dir;
  char  *till_id;
  guint  keep;
} MakeData;

static void
make_data_free (MakeData *data)
{
  g_free (data->dir);
  g_free (data->till_id);
  g_free (data);
}

static void
make_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  MakeData *data = task_data;
  GError *error = NULL;
  char *path = till_store_backup_make (TILL_STORE (source_object), data->dir, data->till_id,
                                       data->keep, cancellable, &error);

  if (path == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, path, g_free);
}

void
till_store_backup_make_async (TillStore          *store,
                              const char         *dir,
                              const char         *till_id,
                              guint               keep,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  MakeData *data;

  g_return_if_fail (TILL_IS_STORE (store));
  g_return_if_fail (dir != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_store_backup_make_async);
  data = g_new0 (MakeData, 1);
  data->dir = g_strdup (dir);
  data->till_id = g_strdup (till_id);
  data->keep = keep;
  g_task_set_task_data (task, data, (GDestroyNotify) make_data_free);
  g_task_run_in_thread (task, make_thread);
}

char *
till_store_backup_make_finish (TillStore    *store,
                               GAsyncResult *result,
                               GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------- restoring */

gboolean
till_store_backup_check_idle (const char *db_path,
                              GError    **error)
{
  /* What recovery drives again at start (payment and refund states whose outcome is
   * open, the outbox's queued jobs): a restore would forget them. */
  static const struct
  {
    const char *sql;
    const char *what;
  } checks[] = {
    { "SELECT count(*) FROM payment"
      " WHERE state IN ('submitting', 'user_paying', 'in_doubt', 'reversing')",
      N_("payments whose outcome is not known yet") },
    { "SELECT count(*) FROM refund WHERE state IN ('submitting', 'processing', 'in_doubt')",
      N_("refunds whose outcome is not known yet") },
    { "SELECT count(*) FROM outbox"
      " WHERE state IN ('pending', 'running') AND kind <> 'fetch_bill'",
      N_("queued payment jobs (reverses, closes, refunds)") },
  };
  g_autoptr(GString) unfinished = g_string_new (NULL);
  sqlite3 *db;

  g_return_val_if_fail (db_path != NULL, FALSE);

  if (!g_file_test (db_path, G_FILE_TEST_EXISTS))
    return TRUE;
  db = open_read_only (db_path, error);
  if (db == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autoptr(GError) local_error = NULL;
      gint64 n = 0;

      if (!till_store_query_int (db, checks[i].sql, &n, &local_error))
        {
          sqlite3_close (db);
          g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT,
                       _("“%s” cannot be read (%s)"), db_path, local_error->message);
          return FALSE;
        }
      if (n > 0)
        {
          if (unfinished->len > 0)
            g_string_append (unfinished, ", ");
          g_string_append_printf (unfinished, "%" G_GINT64_FORMAT " %s", n,
                                  _(checks[i].what));
        }
    }
  sqlite3_close (db);
  if (unfinished->len > 0)
    {
      g_message ("Restore refused: %s has %s", db_path, unfinished->str);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("A backup cannot be restored while payments are unfinished (%s). "
                     "Start the till, let it finish them, quit it, then restore."),
                   unfinished->str);
      return FALSE;
    }
  return TRUE;
}

char *
till_store_backup_stage (const char *db_path,
                         const char *backup_path,
                         GError    **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *name = NULL;
  g_autofree char *staged = NULL;
  g_autoptr(GFile) from = NULL;
  g_autoptr(GFile) to = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (db_path != NULL && backup_path != NULL, NULL);

  if (!till_store_backup_verify_file (backup_path, error))
    return NULL;

  dir = g_path_get_dirname (db_path);
  stamp = local_stamp (till_store_now_us ());
  name = g_strdup_printf (".tillpoint-restoring-%s.db", stamp);
  staged = g_build_filename (dir, name, NULL);
  from = g_file_new_for_path (backup_path);
  to = g_file_new_for_path (staged);
  if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &local_error))
    {
      g_warning ("Cannot copy %s to %s: %s", backup_path, staged, local_error->message);
      g_unlink (staged);
      g_set_error (error, TILL_STORE_ERROR,
                   g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE)
                   ? TILL_STORE_ERROR_FULL : TILL_STORE_ERROR_FAILED,
                   _("The backup could not be copied into “%s” (%s)"), dir,
                   local_error->message);
      return NULL;
    }
  if (!fsync_path (staged, FALSE, error))
    {
      g_unlink (staged);
      return NULL;
    }
  return g_steal_pointer (&staged);
}

gboolean
till_store_backup_install (const char *db_path,
                           const char *staged_path,
                           char      **out_aside_path,
                           GError    **error)
{
  static const char *const companions[] = { "", "-wal", "-shm", "-journal" };
  g_autofree char *dir = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *aside = NULL;

  g_return_val_if_fail (db_path != NULL && staged_path != NULL, FALSE);

  dir = g_path_get_dirname (db_path);
  stamp = local_stamp (till_store_now_us ());
  for (guint n = 1; aside == NULL || g_file_test (aside, G_FILE_TEST_EXISTS); n++)
    {
      g_autofree char *name = n == 1 ? g_strdup_printf ("tillpoint-replaced-%s.db", stamp)
                                     : g_strdup_printf ("tillpoint-replaced-%s-%u.db",
                                                        stamp, n);

      g_free (aside);
      aside = g_build_filename (dir, name, NULL);
    }

  if (g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
        {
          g_autofree char *from = g_strconcat (db_path, companions[i], NULL);
          g_autofree char *to = g_strconcat (aside, companions[i], NULL);

          if (!g_file_test (from, G_FILE_TEST_EXISTS))
            continue;
          if (g_rename (from, to) != 0)
            {
              int saved_errno = errno;

              g_warning ("Cannot rename %s to %s: %s", from, to, g_strerror (saved_errno));
              g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED,
                           _("The current database could not be moved aside to “%s” (%s); "
                             "nothing was restored"), to, g_strerror (saved_errno));
              /* Put back what moved, so that the database stays whole. */
              for (guint j = 0; j < i; j++)
                {
                  g_autofree char *back_from = g_strconcat (aside, companions[j], NULL);
                  g_autofree char *back_to = g_strconcat (db_path, companions[j], NULL);

                  g_rename (back_from, back_to);
                }
              return FALSE;
            }
        }
      g_message ("The database %s was moved aside to %s", db_path, aside);
    }
  else
    g_clear_pointer (&aside, g_free);

  if (g_rename (staged_path, db_path) != 0)
    {
      int saved_errno = errno;

      g_warning ("Cannot rename %s to %s: %s", staged_path, db_path, g_strerror (saved_errno));
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED,
                   _("The backup could not be put in place (%s); the previous database is "
                     "“%s”"), g_strerror (saved_errno), aside ? aside : db_path);
      return FALSE;
    }
  if (!fsync_path (dir, TRUE, error))
    return FALSE;
  if (out_aside_path != NULL)
    *out_aside_path = g_steal_pointer (&aside);
  return TRUE;
}

gboolean
till_store_backup_restore (const char *db_path,
                           const char *backup_path,
                           char      **out_aside_path,
                           GError    **error)
{
  g_autoptr(GError) idle_error = NULL;
  g_autofree char *staged = NULL;

  g_return_val_if_fail (db_path != NULL && backup_path != NULL, FALSE);

  if (!till_store_backup_verify_file (backup_path, error))
    return FALSE;
  if (!till_store_backup_check_idle (db_path, &idle_error))
    {
      if (!g_error_matches (idle_error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT))
        {
          g_propagate_error (error, g_steal_pointer (&idle_error));
          return FALSE;
        }
      /* A damaged database cannot say what it holds: it is kept aside, whole. */
      g_warning ("Restoring over a database that cannot be read: %s", idle_error->message);
    }
  staged = till_store_backup_stage (db_path, backup_path, error);
  if (staged == NULL)
    return FALSE;
  if (!till_store_backup_install (db_path, staged, out_aside_path, error))
    {
      g_unlink (staged);
      return FALSE;
    }
  g_message ("Restored %s from %s", db_path, backup_path);
  return TRUE;
}
