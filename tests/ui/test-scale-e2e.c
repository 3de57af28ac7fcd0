/* SPDX-License-Identifier: GPL-3.0-or-later */
/* End to end through a counter scale: the real tillpoint executable on the test's X display,
 * its settings in a GSettings keyfile naming the slave of a real pty pair as an ACLAS OS2
 * scale. The test is the scale (frames of 0.532 kg on the master every 50 ms) and the
 * cashier (the PLU of goods sold by kg typed with real XTest keys into the cashier's
 * window): the open sale in the database file gets a line of qty_milli 532 and its amount,
 * with no weight asked. Screenshot: meson-logs/scale-e2e-cashier.png. Then SIGTERM. */
#define _GNU_SOURCE /* posix_openpt, grantpt, unlockpt, ptsname */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include "till-test-x-grab.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#define APPLE_EAN "6901234567892"
#define APPLE_PLU "4001"
#define APPLE_PRICE_FEN 1280 /* ¥12.80 / kg */

#define START_MS 20000
#define LINE_MS 15000

static const char *tillpoint_path;

typedef struct
{
  char *dir;
  char *data_dir;
  char *db_path;
  char *config_dir;
  int master;
  char *slave;
  GSubprocess *app;
  GPid pid;
  GDataInputStream *err;
  GString *log;
  gboolean exited;
  gint64 next_frame_us;
} E2e;

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
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

/* ---- the scale: an OS2 frame of 0.532 kg, stable (docs/reference/scales.md §1) ---- */

static void
scale_frame (E2e *e)
{
  guint8 frame[16] = { 0x01, 0x02, 'S', ' ', ' ', '0', '.', '5', '3', '2', 'k', 'g' };
  guint8 bcc = 0;

  for (int i = 0; i < 12; i++)
    bcc ^= frame[i];
  frame[12] = bcc;
  frame[13] = 0x03;
  frame[14] = 0x04;
  frame[15] = 0x00;
  if (write (e->master, frame, sizeof frame) < 0 && errno != EAGAIN)
    g_error ("write to the pty: %s", g_strerror (errno));
}

/* Runs the main loop (the program's stderr) and the scale until cond or timeout_ms. */
static void
pump_until (gboolean (*cond) (E2e *), E2e *e, guint timeout_ms, const char *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;

  while (!cond (e) && g_get_monotonic_time () < deadline)
    {
      if (g_get_monotonic_time () >= e->next_frame_us)
        {
          scale_frame (e);
          e->next_frame_us = g_get_monotonic_time () + 50 * 1000;
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  if (!cond (e))
    g_error ("timed out after %u ms waiting for %s; the program said:\n%s", timeout_ms, what,
             e->log->str);
}

static void
pump_for (E2e *e, guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64)ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      if (g_get_monotonic_time () >= e->next_frame_us)
        {
          scale_frame (e);
          e->next_frame_us = g_get_monotonic_time () + 50 * 1000;
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

/* ---- the program's stderr ---- */

static void
read_err_line (E2e *e);

static void
err_line_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  E2e *e = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object),
                                                                     result, NULL, NULL);

  if (line == NULL)
    return;
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
app_wait_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  E2e *e = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  e->exited = TRUE;
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocessLauncher *
launcher_new (E2e *e, GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", e->config_dir, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  return launcher;
}

static void
write_settings (E2e *e)
{
  g_autofree char *settings_dir = g_build_filename (e->config_dir, "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (settings_dir, "keyfile", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (settings_dir, 0700), ==, 0);
  contents = g_strdup_printf ("[io/github/tillpoint/Tillpoint]\n"
                              "scale-protocol='aclas-os2'\n"
                              "scale-port='%s'\n"
                              "scale-baud=uint32 9600\n",
                              e->slave);
  g_file_set_contents (keyfile, contents, -1, &error);
  g_assert_no_error (error);
}

static void
import_catalog (E2e *e)
{
  g_autofree char *csv = g_build_filename (e->dir, "catalog.csv", NULL);
  g_autofree char *data_arg = g_strconcat ("--data-dir=", e->data_dir, NULL);
  g_autofree char *import_arg = g_strconcat ("--import-catalog=", csv, NULL);
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_file_set_contents (
      csv, "barcode,plu,name,price,unit\n" APPLE_EAN "," APPLE_PLU ",测试苹果,12.80,kg\n", -1,
      &error);
  g_assert_no_error (error);
  launcher = launcher_new (e, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  process
      = g_subprocess_launcher_spawn (launcher, &error, tillpoint_path, data_arg, import_arg, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("import: %s%s", out, err);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

/* ---- X: the program's window, real keys, a screenshot ---- */

static Display *xdpy;

static int
ignore_x_error (Display *display, XErrorEvent *event)
{
  return 0;
}

static Display *
x_display (void)
{
  if (xdpy == NULL)
    {
      xdpy = XOpenDisplay (NULL);
      g_assert_nonnull (xdpy);
      XSetErrorHandler (ignore_x_error);
    }
  return xdpy;
}

static GPid
x_window_pid (Window window)
{
  Display *dpy = x_display ();
  Atom type = None;
  int format = 0;
  unsigned long n = 0, after = 0;
  unsigned char *data = NULL;
  GPid pid = 0;

  if (XGetWindowProperty (dpy, window, XInternAtom (dpy, "_NET_WM_PID", False), 0, 1, False,
                          XA_CARDINAL, &type, &format, &n, &after, &data)
          == Success
      && data != NULL && n == 1)
    pid = (GPid) * (unsigned long *)data;
  if (data != NULL)
    XFree (data);
  return pid;
}

static char *
x_window_title (Window window)
{
  Display *dpy = x_display ();
  Atom utf8 = XInternAtom (dpy, "UTF8_STRING", False);
  Atom type = None;
  int format = 0;
  unsigned long n = 0, after = 0;
  unsigned char *data = NULL;
  char *title = NULL;

  if (XGetWindowProperty (dpy, window, XInternAtom (dpy, "_NET_WM_NAME", False), 0, 1024, False,
                          utf8, &type, &format, &n, &after, &data)
          == Success
      && data != NULL && type == utf8)
    title = g_strndup ((const char *)data, n);
  if (data != NULL)
    XFree (data);
  return title;
}

static Window cashier_window;

static gboolean
cashier_shown (E2e *e)
{
  Display *dpy = x_display ();
  Window root = DefaultRootWindow (dpy), parent = None, *children = NULL;
  unsigned int n = 0;

  XSync (dpy, False);
  if (!XQueryTree (dpy, root, &root, &parent, &children, &n))
    return e->exited;
  for (unsigned int i = 0; i < n && cashier_window == None; i++)
    {
      XWindowAttributes attrs;
      g_autofree char *name = NULL;

      if (!XGetWindowAttributes (dpy, children[i], &attrs) || attrs.map_state != IsViewable
          || x_window_pid (children[i]) != e->pid)
        continue;
      name = x_window_title (children[i]);
      if (name != NULL && strstr (name, "Tillpoint Cashier") != NULL)
        cashier_window = children[i];
    }
  if (children != NULL)
    XFree (children);
  return cashier_window != None || e->exited;
}

static void
x_type (E2e *e, const char *keys)
{
  Display *dpy = x_display ();

  for (const char *k = keys; *k; k++)
    {
      char name[2] = { *k, 0 };
      KeySym sym = *k == '\n' ? XK_Return : XStringToKeysym (name);
      KeyCode code = XKeysymToKeycode (dpy, sym);

      g_assert_cmpuint (code, !=, 0);
      XSetInputFocus (dpy, cashier_window, RevertToParent, CurrentTime);
      XTestFakeKeyEvent (dpy, code, True, 0);
      XTestFakeKeyEvent (dpy, code, False, 0);
      XSync (dpy, False);
      /* typing, not a wedge scan: slower than the key gap threshold */
      pump_for (e, 120);
    }
}

static char *
log_dir (void)
{
  const char *root = g_getenv ("MESON_BUILD_ROOT");
  const char *builddir = g_getenv ("G_TEST_BUILDDIR");

  if (root != NULL)
    return g_build_filename (root, "meson-logs", NULL);
  if (builddir != NULL)
    {
      g_autofree char *parent = g_path_get_dirname (builddir);

      return g_build_filename (parent, "meson-logs", NULL);
    }
  return g_get_current_dir ();
}

static void
x_screenshot (Window window, const char *name)
{
  Display *dpy = x_display ();
  g_autofree char *dir = log_dir ();
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  g_autoptr (GError) error = NULL;

  pixbuf = till_test_x_grab (dpy, window);
  g_assert_nonnull (pixbuf);
  g_mkdir_with_parents (dir, 0755);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  g_assert_no_error (error);
  g_test_message ("screenshot: %s", path);
}

/* ---- the database, read-only, as another process would ---- */

static char *
open_sale_line (E2e *e)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  if (!g_file_test (e->db_path, G_FILE_TEST_EXISTS))
    return NULL;
  if (sqlite3_open_v2 (e->db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 1000);
  if (sqlite3_prepare_v2 (db,
                          "SELECT l.qty_milli || ' ' || l.final_fen || ' ' || s.total_fen"
                          " FROM sale_line l JOIN sale s ON s.id = l.sale_id"
                          " WHERE s.state = 'open' AND l.barcode = ?1",
                          -1, &stmt, NULL)
      == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, APPLE_EAN, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        text = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

static gboolean
scale_connected (E2e *e)
{
  g_autofree char *line = g_strdup_printf ("Scale %s (aclas-os2) connected", e->slave);

  return strstr (e->log->str, line) != NULL || e->exited;
}

static gboolean
line_stored (E2e *e)
{
  g_autofree char *line = open_sale_line (e);

  return line != NULL || e->exited;
}

static gboolean
app_exited (E2e *e)
{
  return e->exited;
}

static void
test_sell_from_scale (void)
{
  E2e e = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autofree char *data_arg = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *want = NULL;
  const char *name;

  e.dir = g_dir_make_tmp ("till-scale-e2e-XXXXXX", &error);
  g_assert_no_error (error);
  e.data_dir = g_build_filename (e.dir, "data", NULL);
  e.db_path = g_build_filename (e.data_dir, "tillpoint.db", NULL);
  e.config_dir = g_build_filename (e.dir, "config", NULL);
  e.log = g_string_new (NULL);

  e.master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  g_assert_cmpint (e.master, >=, 0);
  g_assert_cmpint (grantpt (e.master), ==, 0);
  g_assert_cmpint (unlockpt (e.master), ==, 0);
  name = ptsname (e.master);
  g_assert_nonnull (name);
  e.slave = g_strdup (name);

  write_settings (&e);
  import_catalog (&e);

  data_arg = g_strconcat ("--data-dir=", e.data_dir, NULL);
  launcher = launcher_new (&e, G_SUBPROCESS_FLAGS_STDERR_PIPE);
  e.app = g_subprocess_launcher_spawn (launcher, &error, tillpoint_path, data_arg, NULL);
  g_assert_no_error (error);
  e.pid = (GPid)g_ascii_strtoll (g_subprocess_get_identifier (e.app), NULL, 10);
  e.err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (e.app));
  read_err_line (&e);
  g_subprocess_wait_async (e.app, NULL, app_wait_cb, &e);

  pump_until (scale_connected, &e, START_MS, "the scale to connect");
  pump_until (cashier_shown, &e, START_MS, "the cashier's window");
  g_assert_false (e.exited);
  pump_for (&e, 1000); /* the open sale loaded, frames read */

  x_type (&e, APPLE_PLU "\n");
  pump_until (line_stored, &e, LINE_MS, "the weighed line in the open sale");
  g_assert_false (e.exited);

  /* Nothing but the PLU and Enter was typed: the weight came from the scale, not a prompt.
   * 0.532 kg × ¥12.80 = ¥6.8096, to the fen ¥6.81; the sale's total is that line. */
  stored = open_sale_line (&e);
  want = g_strdup_printf ("532 %d %d", (APPLE_PRICE_FEN * 532 + 500) / 1000,
                          (APPLE_PRICE_FEN * 532 + 500) / 1000);
  g_assert_cmpstr (stored, ==, want);
  pump_for (&e, 500);
  x_screenshot (cashier_window, "scale-e2e-cashier");

  g_subprocess_send_signal (e.app, SIGTERM);
  pump_until (app_exited, &e, LINE_MS, "the program to exit after SIGTERM");
  g_test_message ("the program said:\n%s", e.log->str);
  g_assert_true (g_subprocess_get_if_exited (e.app));
  g_assert_cmpint (g_subprocess_get_exit_status (e.app), ==, 0);
  g_assert_null (strstr (e.log->str, "CRITICAL"));

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
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  tillpoint_path = g_getenv ("TILLPOINT");
  g_assert_nonnull (tillpoint_path);

  g_test_add_func ("/ui/scale-e2e/sell-from-scale", test_sell_from_scale);
  return g_test_run ();
}
