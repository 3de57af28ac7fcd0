/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Restoring a backup into a data directory, with a manager's approval (till-restore.h). */
#define G_LOG_DOMAIN "till-restore"

#include "config.h"

#include <stdio.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "till-restore.h"
#include "till-people.h"
#include "till-store-backup.h"
#include "till-store-dirlock.h"

/* The database whose managers approve: the current one when it is whole, else `staged`
 * (the backup's copy). */
static TillStore *
open_approving_store (const char *db_path,
                      const char *staged,
                      GError    **error)
{
  if (g_file_test (db_path, G_FILE_TEST_EXISTS) && till_store_backup_quick_check (db_path, NULL))
    return till_store_open (db_path, error);
  return till_store_open (staged, error);
}

static gboolean
approve (TillStore  *store,
         const char *backup_path,
         const char *pin,
         GError    **error)
{
  g_autoptr(TillPeople) people = till_people_new (store);
  g_autoptr(TillPerson) manager = NULL;
  g_autoptr(GString) detail = g_string_new ("{\"restore\":");
  g_autofree char *name = g_path_get_basename (backup_path);
  g_autoptr(GError) local_error = NULL;
  gboolean first = till_people_needs_first_manager (people, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (first)
    {
      g_message ("No manager with a PIN in %s: the restore needs no PIN",
                 till_store_get_path (store));
      return TRUE;
    }
  if (pin == NULL || *pin == '\0')
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED,
                   _("A manager’s PIN is needed to restore a backup"));
      return FALSE;
    }
  /* The file's name as a JSON string of safe characters only. */
  g_strcanon (name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-", '_');
  g_string_append_printf (detail, "\"%s\"}", name);
  manager = till_people_approve (people, pin, TILL_APPROVAL_SETTINGS, detail->str, NULL,
                                 error);
  if (manager == NULL)
    return FALSE;
  g_message ("Restore of %s approved by %s", name, manager->name);
  return TRUE;
}

gboolean
till_restore_needs_pin (const char *data_dir,
                        const char *backup_path,
                        GError    **error)
{
  g_autofree char *db_path = g_build_filename (data_dir, "tillpoint.db", NULL);
  g_autofree char *staged = NULL;
  g_autoptr(TillStore) store = NULL;
  g_autoptr(TillPeople) people = NULL;
  gboolean first;

  if (g_file_test (db_path, G_FILE_TEST_EXISTS) && till_store_backup_quick_check (db_path, NULL))
    store = till_store_open (db_path, error);
  else
    {
      staged = till_store_backup_stage (db_path, backup_path, error);
      if (staged == NULL)
        return TRUE;
      store = till_store_open (staged, error);
    }
  if (store == NULL)
    first = FALSE;
  else
    {
      people = till_people_new (store);
      first = till_people_needs_first_manager (people, error);
    }
  g_clear_object (&people);
  g_clear_object (&store);
  if (staged != NULL)
    {
      g_autofree char *wal = g_strconcat (staged, "-wal", NULL);
      g_autofree char *shm = g_strconcat (staged, "-shm", NULL);

      g_unlink (staged);
      g_unlink (wal);
      g_unlink (shm);
    }
  return !first;
}

gboolean
till_restore_backup (const char *data_dir,
                     const char *backup_path,
                     const char *pin,
                     char      **out_aside_path,
                     GError    **error)
{
  g_autofree char *db_path = NULL;
  g_autofree char *staged = NULL;
  g_autoptr(TillStoreDirLock) lock = NULL;
  g_autoptr(GError) idle_error = NULL;
  gboolean ok;

  g_return_val_if_fail (data_dir != NULL && backup_path != NULL, FALSE);

  /* No till may run on the directory meanwhile (nor start while it is restored). */
  lock = till_store_dir_lock_acquire (data_dir, NULL, error);
  if (lock == NULL)
    return FALSE;
  db_path = g_build_filename (data_dir, "tillpoint.db", NULL);

  if (!till_store_backup_verify_file (backup_path, error))
    return FALSE;
  if (!till_store_backup_check_idle (db_path, &idle_error))
    {
      if (!g_error_matches (idle_error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT))
        {
          g_propagate_error (error, g_steal_pointer (&idle_error));
          return FALSE;
        }
      g_warning ("Restoring over a database that cannot be read: %s", idle_error->message);
    }

  staged = till_store_backup_stage (db_path, backup_path, error);
  if (staged == NULL)
    return FALSE;
  {
    /* Opening the staged copy migrates it to this build's schema before anything moves:
     * a backup that cannot be opened leaves the current database in place. */
    g_autoptr(TillStore) restored = till_store_open (staged, error);
    g_autoptr(TillStore) approving = NULL;

    ok = restored != NULL;
    if (ok)
      {
        g_clear_object (&restored);
        approving = open_approving_store (db_path, staged, error);
        ok = approving != NULL && approve (approving, backup_path, pin, error);
      }
  }
  /* Both stores are closed: their -wal files were checkpointed and removed. */
  ok = ok && till_store_backup_install (db_path, staged, out_aside_path, error);
  if (!ok)
    {
      g_autofree char *wal = g_strconcat (staged, "-wal", NULL);
      g_autofree char *shm = g_strconcat (staged, "-shm", NULL);

      g_unlink (staged);
      g_unlink (wal);
      g_unlink (shm);
      return FALSE;
    }
  g_message ("Restored %s into %s", backup_path, data_dir);
  return TRUE;
}

/* ---------------------------------------------------------------- the command line */

char *
till_cli_read_pin (void)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gboolean tty = isatty (STDIN_FILENO);
  struct termios saved, quiet;
  int c;

  if (tty)
    {
      g_printerr ("%s", _("Manager’s PIN: "));
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
        }
      else
        tty = FALSE;
    }
  while ((c = getchar ()) != EOF && c != '\n' && line->len < 64)
    g_string_append_c (line, (char) c);
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }
  return g_strstrip (g_string_free (g_steal_pointer (&line), FALSE));
}

int
till_restore_cli_run (const char *data_dir,
                      const char *backup_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *aside = NULL;
  gboolean needs_pin;

  g_return_val_if_fail (data_dir != NULL && backup_path != NULL, 1);

  if (!till_store_backup_verify_file (backup_path, &error))
    {
      g_printerr (_("tillpoint: the backup cannot be restored: %s\n"), error->message);
      return 1;
    }
  needs_pin = till_restore_needs_pin (data_dir, backup_path, &error);
  if (error != NULL)
    {
      g_printerr (_("tillpoint: the backup cannot be restored: %s\n"), error->message);
      return 1;
    }
  if (needs_pin)
    pin = till_cli_read_pin ();

  if (!till_restore_backup (data_dir, backup_path, pin, &aside, &error))
    {
      g_printerr (_("tillpoint: the backup was not restored: %s\n"), error->message);
      return 1;
    }
  g_print (_("Restored %s.\n"), backup_path);
  if (aside != NULL)
    g_print (_("The database it replaced is kept as %s.\n"), aside);
  return 0;
}

char *
till_restore_describe_latest (const char *backup_dir,
                              const char *till_id,
                              char      **out_path)
{
  g_autoptr(TillBackupInfo) latest = NULL;
  g_autoptr(GDateTime) made = NULL;
  g_autofree char *when = NULL;

  g_return_val_if_fail (backup_dir != NULL, NULL);

  latest = till_store_backup_find_latest_good (backup_dir, till_id, NULL);
  if (latest == NULL)
    return NULL;
  made = g_date_time_new_from_unix_local (latest->made_us / G_USEC_PER_SEC);
  when = g_date_time_format (made, "%Y-%m-%d %H:%M");
  if (out_path != NULL)
    *out_path = g_strdup (latest->path);
  return g_strdup_printf (_("The latest good backup is %s, made %s. Restore it here with a "
                            "manager’s PIN, or quit and run: tillpoint --restore=%s (the "
                            "damaged file is kept aside)."), latest->path, when, latest->path);
}

int
till_backup_cli_run (const char *data_dir,
                     const char *backup_dir,
                     const char *till_id,
                     guint       keep)
{
  g_autofree char *db_path = g_build_filename (data_dir, "tillpoint.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = NULL;
  g_autofree char *path = NULL;

  if (!g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      g_printerr (_("tillpoint: there is no database in %s\n"), data_dir);
      return 1;
    }
  /* Never a migration of a damaged file. */
  if (!till_store_backup_quick_check (db_path, &error)
      || (store = till_store_open (db_path, &error)) == NULL
      || (path = till_store_backup_make (store, backup_dir, till_id, keep, NULL, &error))
           == NULL)
    {
      g_printerr (_("tillpoint: no backup was made: %s\n"), error->message);
      return 1;
    }
  g_print (_("Backup made and verified: %s\n"), path);
  return 0;
}
