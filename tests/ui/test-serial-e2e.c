/* SPDX-License-Identifier: GPL-3.0-or-later */
/* End to end through a serial scanner: the real tillpoint executable on the test's X
 * display, its settings in a GSettings keyfile naming the slave of a real pty pair as the
 * serial scanner; codes written to the pty master end up as lines of the open sale in the
 * database file. Then SIGTERM, and the program exits cleanly. */
#define _GNU_SOURCE  /* posix_openpt, grantpt, unlockpt, ptsname */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#define WATER_EAN "6901234567892"
#define BREAD_EAN "6909876543212"

#define START_MS 20000
#define LINE_MS  15000

static const char *tillpoint_path;

typedef struct
{
  char             *dir;
  char             *data_dir;
  char             *db_path;
  char             *config_dir;
  int               master;
  char             *slave;
  GSubprocess      *app;
  GDataInputStream *err;
  GString          *log;        /* the program's stderr so far */
  gboolean          err_done;
  gboolean          exited;
} E2e;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
pump_until (gboolean (*cond) (E2e *), E2e *e, guint timeout_ms, const char *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond (e) && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  if (!cond (e))
    g_error ("timed out after %u ms waiting for %s; the program said:\n%s", timeout_ms, what,
             e->log->str);
}

/* ---- the program's stderr, read as it comes (the pipe never fills up) ---- */

static void read_err_line (E2e *e);

static void
err_line_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  E2e *e = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object),
                                                                     result, NULL, &error);

  if (line == NULL)
    {
      e->err_done = TRUE;
      return;
    }
  g_string_append (e->log, line);
  g_string_append_c (e->log, '\n');
  read_err_line (e);
}

static void
read_err_line (E2e *e)
{
  g_data_input_stream_read_line_async (e->err, G_PRIORITY_DEFAULT, NULL, err_line_cb, e);
}

static void
app_wait_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  E2e *e = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  e->exited = TRUE;
}

/* ---- setup ---- */

static void
open_pty (E2e *e)
{
  const char *name;

  e->master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (e->master, >=, 0);
  g_assert_cmpint (grantpt (e->master), ==, 0);
  g_assert_cmpint (unlockpt (e->master), ==, 0);
  name = ptsname (e->master);
  g_assert_nonnull (name);
  e->slave = g_strdup (name);
}

static void
write_settings (E2e *e)
{
  g_autofree char *settings_dir = g_build_filename (e->config_dir, "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (settings_dir, "keyfile", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (settings_dir, 0700), ==, 0);
  /* The keyfile backend's group is the schema path without the slashes around it. */
  contents = g_strdup_printf ("[io/github/tillpoint/Tillpoint]\n"
                              "serial-scanner-device='%s'\n", e->slave);
  g_file_set_contents (keyfile, contents, -1, &error);
  g_assert_no_error (error);
}

static GSubprocessLauncher *
launcher_new (E2e           *e,
              GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", e->config_dir, TRUE);
  /* GSETTINGS_SCHEMA_DIR (the build tree's compiled schema), DISPLAY (Xvfb) and the
   * session bus come from the test's environment. */
  return launcher;
}

static void
import_catalog (E2e *e)
{
  g_autofree char *csv = g_build_filename (e->dir, "catalog.csv", NULL);
  g_autofree char *data_arg = g_strconcat ("--data-dir=", e->data_dir, NULL);
  g_autofree char *import_arg = g_strconcat ("--import-catalog=", csv, NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_file_set_contents (csv,
                       "barcode,name,price,unit\n"
                       WATER_EAN ",测试矿泉水,2.50,瓶\n"
                       BREAD_EAN ",测试面包,6,个\n", -1, &error);
  g_assert_no_error (error);
  launcher = launcher_new (e, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  process = g_subprocess_launcher_spawn (launcher, &error, tillpoint_path, data_arg, import_arg,
                                         NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("import: %s%s", out, err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpstr (out, ==, "imported 2 products (read as UTF-8)\n");
}

static gboolean
app_connected (E2e *e)
{
  g_autofree char *line = g_strdup_printf ("Serial scanner %s connected", e->slave);

  return strstr (e->log->str, line) != NULL || e->exited;
}

static void
start_app (E2e *e)
{
  g_autofree char *data_arg = g_strconcat ("--data-dir=", e->data_dir, NULL);
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (e, G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GError) error = NULL;

  e->app = g_subprocess_launcher_spawn (launcher, &error, tillpoint_path, data_arg, NULL);
  g_assert_no_error (error);
  e->err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (e->app));
  read_err_line (e);
  g_subprocess_wait_async (e->app, NULL, app_wait_cb, e);

  /* Up: the settings in the keyfile reached the serial scanner, which opened the pty. */
  pump_until (app_connected, e, START_MS, "the serial scanner to connect");
  g_assert_false (e->exited);
}

/* ---- the database, read-only, as another process would ---- */

static gint64
open_sale_lines_with (E2e        *e,
                      const char *barcode)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  if (!g_file_test (e->db_path, G_FILE_TEST_EXISTS))
    return -1;
  if (sqlite3_open_v2 (e->db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      sqlite3_close (db);
      return -1;
    }
  sqlite3_busy_timeout (db, 1000);
  if (sqlite3_prepare_v2 (db,
                          "SELECT coalesce (sum (l.qty_milli), 0) FROM sale_line l"
                          " JOIN sale s ON s.id = l.sale_id"
                          " WHERE s.state = 'open' AND l.barcode = ?1",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, barcode, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static const char *wanted_barcode;

static gboolean
line_stored (E2e *e)
{
  return open_sale_lines_with (e, wanted_barcode) == 1000 || e->exited;
}

static void
write_master (E2e        *e,
              const char *bytes)
{
  gsize len = strlen (bytes);
  gssize n;

  do
    n = write (e->master, bytes, len);
  while (n < 0 && errno == EINTR);
  g_assert_cmpint (n, ==, (gssize) len);
}

static gboolean
app_exited (E2e *e)
{
  return e->exited;
}

static void
test_serial_scan_to_sale (void)
{
  E2e e = { 0 };
  g_autoptr(GError) error = NULL;

  e.dir = g_dir_make_tmp ("till-serial-e2e-XXXXXX", &error);
  g_assert_no_error (error);
  e.data_dir = g_build_filename (e.dir, "data", NULL);
  e.db_path = g_build_filename (e.data_dir, "tillpoint.db", NULL);
  e.config_dir = g_build_filename (e.dir, "config", NULL);
  e.log = g_string_new (NULL);

  open_pty (&e);
  g_test_message ("pty slave %s", e.slave);
  write_settings (&e);
  import_catalog (&e);
  start_app (&e);

  /* One code, ended by CR. */
  write_master (&e, WATER_EAN "\r");
  wanted_barcode = WATER_EAN;
  pump_until (line_stored, &e, LINE_MS, "the first scan in the open sale");
  g_assert_false (e.exited);

  /* Another, split over two writes and ended by CR LF. */
  write_master (&e, "6909876");
  {
    gint64 until = g_get_monotonic_time () + 80 * 1000;

    while (g_get_monotonic_time () < until)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (2000);
      }
  }
  write_master (&e, "543212\r\n");
  wanted_barcode = BREAD_EAN;
  pump_until (line_stored, &e, LINE_MS, "the second scan in the open sale");
  g_assert_false (e.exited);
  /* The first line is still there, once: the CR LF did not make an empty or a double scan. */
  g_assert_cmpint (open_sale_lines_with (&e, WATER_EAN), ==, 1000);

  g_subprocess_send_signal (e.app, SIGTERM);
  pump_until (app_exited, &e, LINE_MS, "the program to exit after SIGTERM");
  g_test_message ("the program said:\n%s", e.log->str);
  g_assert_true (g_subprocess_get_if_exited (e.app));
  g_assert_cmpint (g_subprocess_get_exit_status (e.app), ==, 0);
  /* Both lines survived the exit. */
  g_assert_cmpint (open_sale_lines_with (&e, WATER_EAN), ==, 1000);
  g_assert_cmpint (open_sale_lines_with (&e, BREAD_EAN), ==, 1000);

  g_clear_object (&e.err);
  g_clear_object (&e.app);
  close (e.master);
  g_free (e.slave);
  g_string_free (e.log, TRUE);
  remove_tree (e.dir);
  g_free (e.dir);
  g_free (e.data_dir);
  g_free (e.db_path);
  g_free (e.config_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  tillpoint_path = g_getenv ("TILLPOINT");
  g_assert_nonnull (tillpoint_path);

  g_test_add_func ("/ui/serial-e2e/scan-to-open-sale", test_serial_scan_to_sale);
  return g_test_run ();
}
