/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The tillpoint command line, run as a real process: --version, --import-catalog (good
 * and bad files), a demo that cleans up after itself; one till per data directory (a
 * second start is refused, with or without a session bus, while command-line jobs run
 * beside the till and leave its open sale alone); and the window that says why the till
 * cannot start (damaged, newer or unwritable database), found on the X display by its
 * title and process id, closed with real keys. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include "till-test-x-grab.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "till-store.h"
#include "till-store-backup.h"

#define WATER_EAN "6901234567892"
#define BREAD_EAN "6909876543212"

/* Bounds: the program's first window, and its exit once asked to. */
#define WINDOW_MS 20000
#define EXIT_MS   10000

#define FAILURE_TITLE "Tillpoint cannot start"

static const char *tillpoint_path;

typedef struct
{
  int   status;
  char *out;
  char *err;
} RunResult;

static void
run_result_free (RunResult *r)
{
  g_free (r->out);
  g_free (r->err);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RunResult, run_result_free)

static RunResult *
run (const char * const *extra_env,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  RunResult *r = g_new0 (RunResult, 1);
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) tillpoint_path);
  va_start (ap, extra_env);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, extra_env[i], extra_env[i + 1], TRUE);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  r->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process)
                                                   : -1;
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", r->status, r->out, r->err);
  return r;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static char *
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_version (void)
{
  g_autoptr(RunResult) r = run (NULL, "--version", NULL);

  g_assert_cmpint (r->status, ==, 0);
  g_assert_cmpstr (r->out, ==, "tillpoint 0.1.0\n");
}

static void
test_import_good (void)
{
  g_autofree char *dir = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  g_autofree char *csv = write_file (dir, "good.csv",
                                     "barcode,name,price,unit\n"
                                     "6901234567892,测试矿泉水,2.50,瓶\n"
                                     "6909876543212,测试面包,6,个\n");
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *data_arg = g_strconcat ("--data-dir=", data_dir, NULL);
  g_autofree char *import_arg = g_strconcat ("--import-catalog=", csv, NULL);
  g_autofree char *db = g_build_filename (data_dir, "tillpoint.db", NULL);
  g_autoptr(RunResult) r = run (NULL, data_arg, import_arg, NULL);
  g_autoptr(TillStore) store = NULL;
  g_autoptr(TillProduct) product = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_cmpint (r->status, ==, 0);
  g_assert_cmpstr (r->out, ==, "imported 2 products (read as UTF-8)\n");

  /* The data directory is private. */
  g_assert_cmpint (g_stat (data_dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  store = till_store_open (db, &error);
  g_assert_no_error (error);
  product = till_store_lookup_barcode (store, "6901234567892", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (product->name, ==, "测试矿泉水");
  g_assert_cmpint (product->price_fen, ==, 250);
  g_clear_object (&store);

  remove_tree (dir);
}

static void
test_import_bad_rows (void)
{
  g_autofree char *dir = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  g_autofree char *csv = write_file (dir, "bad.csv",
                                     "barcode,name,price\n"
                                     "6901234567892,好的,2.50\n"
                                     "6909876543212,太多小数,12.505\n"
                                     "6905555555552,,3\n");
  g_autofree char *data_arg = g_strconcat ("--data-dir=", dir, NULL);
  g_autofree char *import_arg = g_strconcat ("--import-catalog=", csv, NULL);
  g_autofree char *line3 = g_strconcat (csv, ":3: ", NULL);
  g_autofree char *line4 = g_strconcat (csv, ":4: ", NULL);
  g_autofree char *db = g_build_filename (dir, "tillpoint.db", NULL);
  g_autoptr(RunResult) r = run (NULL, data_arg, import_arg, NULL);
  g_autoptr(TillStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->err, line3));
  g_assert_nonnull (strstr (r->err, line4));
  g_assert_null (strstr (r->err, ":2: "));
  g_assert_null (strstr (r->out, "imported"));

  /* All or nothing. */
  store = till_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (till_store_count_products (store, &error), ==, 0);
  g_clear_object (&store);

  remove_tree (dir);
}

/* ---- a running program: its stderr as it comes, its exit ---- */

typedef struct
{
  GSubprocess      *process;
  GPid              pid;
  GDataInputStream *err;
  GString          *log;      /* stderr so far */
  gboolean          exited;
  int               status;   /* exit status, -1 when killed by a signal */
} Proc;

static void
test_import_max_price_setting (void)
{
  /* The setting max-price-fen reaches the import: a real settings file (the keyfile
   * backend) with a bound of ¥5.00. */
  g_autofree char *dir = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  g_autofree char *config = g_build_filename (dir, "config", NULL);
  g_autofree char *settings_dir = g_build_filename (config, "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = NULL;
  g_autofree char *over = write_file (dir, "over.csv",
                                      "barcode,name,price\n"
                                      "6901234567892,测试矿泉水,2.50\n"
                                      "6909876543212,测试面包,5.01\n");
  g_autofree char *at = write_file (dir, "at.csv",
                                    "barcode,name,price\n"
                                    "6909876543212,测试面包,5.00\n");
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *data_arg = g_strconcat ("--data-dir=", data_dir, NULL);
  g_autofree char *over_arg = g_strconcat ("--import-catalog=", over, NULL);
  g_autofree char *at_arg = g_strconcat ("--import-catalog=", at, NULL);
  g_autofree char *line3 = g_strconcat (over, ":3: ", NULL);
  g_autofree char *db = g_build_filename (data_dir, "tillpoint.db", NULL);
  const char *env[] = { "GSETTINGS_BACKEND", "keyfile", "XDG_CONFIG_HOME", config, NULL };
  g_autoptr(RunResult) rejected = NULL;
  g_autoptr(RunResult) accepted = NULL;
  g_autoptr(RunResult) by_default = NULL;
  g_autoptr(TillStore) store = NULL;
  g_autoptr(TillProduct) bread = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (settings_dir, 0700), ==, 0);
  keyfile = write_file (settings_dir, "keyfile",
                        "[io/github/tillpoint/Tillpoint]\nmax-price-fen=500\n");

  rejected = run (env, data_arg, over_arg, NULL);
  g_assert_cmpint (rejected->status, ==, 1);
  g_assert_nonnull (strstr (rejected->err, line3));
  g_assert_nonnull (strstr (rejected->err, "price ¥5.01 is above the highest price allowed "
                                           "(¥5.00); change the setting max-price-fen"));
  g_assert_null (strstr (rejected->out, "imported"));

  accepted = run (env, data_arg, at_arg, NULL);
  g_assert_cmpint (accepted->status, ==, 0);
  g_assert_cmpstr (accepted->out, ==, "imported 1 product (read as UTF-8)\n");

  /* the memory backend of the other tests: the default bound (¥99,999.99) takes 5.01 */
  by_default = run (NULL, data_arg, over_arg, NULL);
  g_assert_cmpint (by_default->status, ==, 0);

  store = till_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (till_store_count_products (store, &error), ==, 2);
  bread = till_store_lookup_barcode (store, "6909876543212", &error);
  g_assert_no_error (error);
  g_assert_cmpint (bread->price_fen, ==, 501);
  g_clear_object (&store);

  remove_tree (dir);
}

static void
die_with_parent (gpointer user_data)
{
  /* A failed assertion in the test must not leave a till running on the display. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void read_err_line (Proc *p);

static void
err_line_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Proc *p = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object),
                                                                     result, NULL, NULL);

  if (line == NULL)
    {
      g_object_unref (p->err);   /* the reference taken for the read */
      return;
    }
  g_string_append (p->log, line);
  g_string_append_c (p->log, '\n');
  read_err_line (p);
}

static void
read_err_line (Proc *p)
{
  g_data_input_stream_read_line_async (p->err, G_PRIORITY_DEFAULT, NULL, err_line_cb, p);
}

static void
proc_wait_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Proc *p = user_data;
  GSubprocess *process = G_SUBPROCESS (object);

  g_subprocess_wait_finish (process, result, NULL);
  p->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process)
                                                   : -1;
  p->exited = TRUE;
}

static Proc *
proc_start (const char * const *extra_env,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  Proc *p = g_new0 (Proc, 1);
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) tillpoint_path);
  va_start (ap, extra_env);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i += 2)
    {
      if (extra_env[i + 1] != NULL)
        g_subprocess_launcher_setenv (launcher, extra_env[i], extra_env[i + 1], TRUE);
      else
        g_subprocess_launcher_unsetenv (launcher, extra_env[i]);
    }
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);

  p->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                             &error);
  g_assert_no_error (error);
  p->pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (p->process), NULL, 10);
  p->log = g_string_new (NULL);
  p->err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (p->process));
  g_object_ref (p->err);
  read_err_line (p);
  g_subprocess_wait_async (p->process, NULL, proc_wait_cb, p);
  return p;
}

static gboolean
pump_until (gboolean (*cond) (gpointer),
            gpointer   data,
            guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond (data) && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  return cond (data);
}

static gboolean
proc_exited (gpointer data)
{
  return ((Proc *) data)->exited;
}

/* Waits (bounded) for the exit; the last of stderr is read too. */
static gboolean
proc_wait (Proc  *p,
           guint  timeout_ms)
{
  if (!pump_until (proc_exited, p, timeout_ms))
    return FALSE;
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_test_message ("process %d: exit %d, stderr:\n%s", (int) p->pid, p->status, p->log->str);
  return TRUE;
}

static void
proc_free (Proc *p)
{
  if (!p->exited)
    {
      g_subprocess_force_exit (p->process);
      pump_until (proc_exited, p, 5000);
    }
  g_object_unref (p->process);
  g_object_unref (p->err);
  g_string_free (p->log, TRUE);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Proc, proc_free)

/* ---- the program's windows on the X display ---- */

static Display *xdpy;

static int
ignore_x_error (Display     *display,
                XErrorEvent *event)
{
  return 0;   /* a window that went away while we looked at it */
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

  if (XGetWindowProperty (dpy, window, XInternAtom (dpy, "_NET_WM_NAME", False), 0, 1024,
                          False, utf8, &type, &format, &n, &after, &data) == Success
      && data != NULL && type == utf8)
    title = g_strndup ((const char *) data, n);
  if (data != NULL)
    XFree (data);
  return title;
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
                          XA_CARDINAL, &type, &format, &n, &after, &data) == Success
      && data != NULL && n == 1)
    pid = (GPid) *(unsigned long *) data;
  if (data != NULL)
    XFree (data);
  return pid;
}

/* A mapped top-level window of process `pid` whose title contains `title`, or None. */
static Window
x_find_window (GPid        pid,
               const char *title)
{
  Display *dpy = x_display ();
  Window root = DefaultRootWindow (dpy), parent = None, *children = NULL;
  unsigned int n = 0;
  Window found = None;

  XSync (dpy, False);
  if (!XQueryTree (dpy, root, &root, &parent, &children, &n))
    return None;
  for (unsigned int i = n; i-- > 0 && found == None;)
    {
      XWindowAttributes attrs;
      g_autofree char *name = NULL;

      if (!XGetWindowAttributes (dpy, children[i], &attrs) || attrs.map_state != IsViewable)
        continue;
      if (x_window_pid (children[i]) != pid)
        continue;
      name = x_window_title (children[i]);
      if (name != NULL && strstr (name, title) != NULL)
        found = children[i];
    }
  if (children != NULL)
    XFree (children);
  return found;
}

typedef struct
{
  Proc       *proc;
  const char *title;
  Window      window;
} WindowWait;

static gboolean
window_shown (gpointer data)
{
  WindowWait *w = data;

  w->window = x_find_window (w->proc->pid, w->title);
  return w->window != None || w->proc->exited;
}

/* The window of `p` titled `title`, waited for (bounded); None if the program exited or
 * never showed it. */
static Window
wait_for_window (Proc       *p,
                 const char *title)
{
  WindowWait w = { p, title, None };

  pump_until (window_shown, &w, WINDOW_MS);
  return w.window;
}

/* A real key (XTest) to `window`, after giving it the input focus. */
static void
x_send_key (Window  window,
            KeySym  sym)
{
  Display *dpy = x_display ();
  KeyCode code = XKeysymToKeycode (dpy, sym);

  g_assert_cmpuint (code, !=, 0);
  for (int i = 0; i < 100; i++)
    {
      Window focus = None;
      int revert = 0;

      XSetInputFocus (dpy, window, RevertToParent, CurrentTime);
      XSync (dpy, False);
      XGetInputFocus (dpy, &focus, &revert);
      if (focus == window)
        break;
      g_usleep (20000);
    }
  /* Let the program see the focus before the key. */
  g_usleep (300000);
  XTestFakeKeyEvent (dpy, code, True, 0);
  XTestFakeKeyEvent (dpy, code, False, 0);
  XSync (dpy, False);
}

/* The same with Alt held (a mnemonic). */
static void
x_send_alt_key (Window window,
                KeySym sym)
{
  Display *dpy = x_display ();
  KeyCode alt = XKeysymToKeycode (dpy, XK_Alt_L);
  KeyCode code = XKeysymToKeycode (dpy, sym);

  g_assert_cmpuint (alt, !=, 0);
  g_assert_cmpuint (code, !=, 0);
  XSetInputFocus (dpy, window, RevertToParent, CurrentTime);
  XSync (dpy, False);
  g_usleep (300000);
  XTestFakeKeyEvent (dpy, alt, True, 0);
  XTestFakeKeyEvent (dpy, code, True, 0);
  XTestFakeKeyEvent (dpy, code, False, 0);
  XTestFakeKeyEvent (dpy, alt, False, 0);
  XSync (dpy, False);
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

/* A PNG of what `window` shows on the X server, in the meson log directory. */
static void
x_screenshot (Window      window,
              const char *name)
{
  Display *dpy = x_display ();
  g_autofree char *dir = log_dir ();
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  /* Let it finish drawing. */
  g_usleep (500000);
  pixbuf = till_test_x_grab (dpy, window);
  g_assert_nonnull (pixbuf);
  g_mkdir_with_parents (dir, 0755);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  g_assert_no_error (error);
  g_test_message ("screenshot: %s", path);
}

/* ---- the database, read as another process would ---- */

/* Every sale with its lines, as text: what must not change behind the till's back. */
static char *
sales_snapshot (const char *db_path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                     "SELECT s.id, s.number, s.state, s.total_fen, s.till_id,"
                     "       l.position, l.barcode, l.name, l.qty_milli, l.unit_price_fen,"
                     "       l.line_total_fen"
                     " FROM sale s LEFT JOIN sale_line l ON l.sale_id = s.id"
                     " ORDER BY s.id, l.position", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        g_string_append_printf (out, "%s%s", c > 0 ? "|" : "",
                                (const char *) sqlite3_column_text (stmt, c));
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

/* A data directory whose till "01" has an open sale of two lines (as a till that was
 * selling left it); returns the database's path. */
static char *
seed_open_sale (const char *data_dir)
{
  char *db_path = g_build_filename (data_dir, "tillpoint.db", NULL);
  g_autoptr(TillStore) store = NULL;
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  TillProduct water = { 0, (char *) WATER_EAN, NULL, (char *) "测试矿泉水", 250,
                        (char *) "瓶", FALSE, TRUE };
  TillProduct bread = { 0, (char *) BREAD_EAN, NULL, (char *) "测试面包", 600,
                        (char *) "个", FALSE, TRUE };
  gint64 water_id, bread_id;

  g_assert_cmpint (g_mkdir_with_parents (data_dir, 0700), ==, 0);
  store = till_store_open (db_path, &error);
  g_assert_no_error (error);
  water_id = till_store_upsert_product (store, &water, &error);
  g_assert_no_error (error);
  bread_id = till_store_upsert_product (store, &bread, &error);
  g_assert_no_error (error);

  number = till_store_next_sale_number_for_till (store, "01", g_get_real_time (), &error);
  g_assert_no_error (error);
  sale = till_sale_new (number);
  till_sale_add_line (sale, till_sale_line_new (water_id, WATER_EAN, "测试矿泉水", "瓶", 250,
                                                3000, FALSE), &error);
  g_assert_no_error (error);
  till_sale_add_line (sale, till_sale_line_new (bread_id, BREAD_EAN, "测试面包", "个", 600,
                                                1000, FALSE), &error);
  g_assert_no_error (error);
  g_assert_true (till_store_save_sale (store, sale, NULL, "01", &error));
  g_assert_no_error (error);
  return db_path;
}

/* ---- one till per data directory ---- */

/* The till `first` runs on `data_dir` (shown by `display_dir` in messages): a second
 * start with `args` and `env` is refused — a window and stderr naming the directory and
 * the running till — and exits non-zero once the window is closed. */
static void
assert_second_start_refused (Proc               *first,
                             const char         *display_dir,
                             const char * const *env,
                             const char         *arg,
                             const char         *shot)
{
  g_autoptr(Proc) second = proc_start (env, arg, NULL);
  g_autofree char *holder = g_strdup_printf ("process %d", (int) first->pid);
  Window window;

  window = wait_for_window (second, FAILURE_TITLE);
  if (window == None)
    {
      if (second->exited)
        g_error ("the second till exited (status %d) without the window; stderr:\n%s",
                 second->status, second->log->str);
      g_error ("a second till runs on %s beside the first one (no refusal within %d ms); "
               "stderr:\n%s", display_dir, WINDOW_MS, second->log->str);
    }
  x_screenshot (window, shot);
  x_send_key (window, XK_Escape);
  g_assert_true (proc_wait (second, EXIT_MS));
  g_assert_cmpint (second->status, !=, 0);
  g_assert_nonnull (strstr (second->log->str, "already running"));
  g_assert_nonnull (strstr (second->log->str, display_dir));
  g_assert_nonnull (strstr (second->log->str, holder));
  /* The first till is unharmed. */
  g_assert_false (first->exited);
}

static gboolean
till_is_up (gpointer data)
{
  WindowWait *w = data;

  return window_shown (w);
}

static void
wait_for_till (Proc *till)
{
  WindowWait w = { till, "Cashier", None };

  /* Up: its cashier window is on the display. */
  pump_until (till_is_up, &w, WINDOW_MS);
  if (w.window == None)
    g_error ("the till did not show its window within %d ms (exited: %d); stderr:\n%s",
             WINDOW_MS, till->exited, till->log->str);
}

static void
test_one_till_per_data_dir (void)
{
  g_autofree char *dir = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *db_path = seed_open_sale (data_dir);
  g_autofree char *data_arg = g_strconcat ("--data-dir=", data_dir, NULL);
  g_autofree char *csv = write_file (dir, "catalog.csv",
                                     "barcode,name,price,unit\n"
                                     WATER_EAN ",测试矿泉水,3.00,瓶\n"
                                     "6905555555552,测试饼干,4.50,包\n");
  g_autofree char *import_arg = g_strconcat ("--import-catalog=", csv, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *report_arg = g_date_time_format (now, "--report=%Y-%m-%d");
  g_autofree char *before = sales_snapshot (db_path);
  g_autofree char *after = NULL;
  g_autoptr(Proc) till = NULL;

  g_assert_nonnull (strstr (before, "|open|"));
  till = proc_start (NULL, data_arg, NULL);
  wait_for_till (till);

  /* A second till on the same directory: refused. (--data-dir makes the application
   * non-unique on the session bus: only the directory's lock stops it.) */
  assert_second_start_refused (till, data_dir, NULL, data_arg, "startup-already-running");

  /* Command-line jobs run beside the till, and leave its open sale alone. */
  {
    g_autoptr(RunResult) import = run (NULL, data_arg, import_arg, NULL);
    g_autoptr(RunResult) report = run (NULL, data_arg, report_arg, NULL);

    g_assert_cmpint (import->status, ==, 0);
    g_assert_cmpstr (import->out, ==, "imported 2 products (read as UTF-8)\n");
    g_assert_cmpint (report->status, ==, 0);
    g_assert_null (strstr (report->err, "already running"));
  }
  g_assert_false (till->exited);
  after = sales_snapshot (db_path);
  g_assert_cmpstr (after, ==, before);

  /* The till ends normally and the sale is still as it was (the new price is for the
   * next sale, not for lines already rung up). */
  g_subprocess_send_signal (till->process, SIGTERM);
  g_assert_true (proc_wait (till, EXIT_MS));
  g_assert_cmpint (till->status, ==, 0);
  g_clear_pointer (&after, g_free);
  after = sales_snapshot (db_path);
  g_assert_cmpstr (after, ==, before);

  remove_tree (dir);
}

/* The shop's own data directory and no session bus (another session, a service without
 * one): GApplication cannot see the running till, the lock still does. */
static void
test_one_till_without_session_bus (void)
{
  g_autofree char *dir = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "tillpoint", NULL);
  g_autofree char *db_path = seed_open_sale (data_dir);
  const char *env[] = { "XDG_DATA_HOME", dir,
                        "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", NULL };
  g_autofree char *before = sales_snapshot (db_path);
  g_autofree char *after = NULL;
  g_autoptr(Proc) till = proc_start (env, NULL);

  wait_for_till (till);
  assert_second_start_refused (till, data_dir, env, NULL, "startup-already-running-no-bus");
  g_subprocess_send_signal (till->process, SIGTERM);
  g_assert_true (proc_wait (till, EXIT_MS));
  g_assert_cmpint (till->status, ==, 0);
  after = sales_snapshot (db_path);
  g_assert_cmpstr (after, ==, before);

  remove_tree (dir);
}

/* With a session bus, the shop's data directory: the second start hands over to the
 * running till (which presents its window) and exits 0, as before. */
static void
test_second_start_presents_the_till (void)
{
  g_autofree char *dir = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "tillpoint", NULL);
  g_autofree char *db_path = seed_open_sale (data_dir);
  const char *env[] = { "XDG_DATA_HOME", dir, NULL };
  g_autoptr(Proc) till = NULL;
  g_autoptr(Proc) second = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("no session bus (run under dbus-run-session)");
      remove_tree (dir);
      return;
    }
  till = proc_start (env, NULL);
  wait_for_till (till);
  second = proc_start (env, NULL);
  g_assert_true (proc_wait (second, WINDOW_MS));
  g_assert_cmpint (second->status, ==, 0);
  g_assert_null (strstr (second->log->str, "already running"));
  g_assert_false (till->exited);
  g_subprocess_send_signal (till->process, SIGTERM);
  g_assert_true (proc_wait (till, EXIT_MS));
  g_assert_cmpint (till->status, ==, 0);

  remove_tree (dir);
}

/* ---- the window that says why the till cannot start ---- */

/* Starts the till on `data_dir`, expects the failure window (heading `heading` on
 * stderr, with `detail`), screenshots it, closes it with `key` and expects a non-zero
 * exit. */
static void
assert_startup_failure (const char *data_dir,
                        const char *heading,
                        const char *detail,
                        KeySym      key,
                        const char *shot)
{
  g_autofree char *data_arg = g_strconcat ("--data-dir=", data_dir, NULL);
  g_autoptr(Proc) till = proc_start (NULL, data_arg, NULL);
  Window window = wait_for_window (till, FAILURE_TITLE);

  if (window == None)
    g_error ("no \"%s\" window (the program %s); stderr:\n%s", FAILURE_TITLE,
             till->exited ? "exited" : "runs on", till->log->str);
  /* It waits for the person: still there a moment later. */
  g_usleep (300000);
  g_main_context_iteration (NULL, FALSE);
  g_assert_false (till->exited);
  x_screenshot (window, shot);
  x_send_key (window, key);
  g_assert_true (proc_wait (till, EXIT_MS));
  g_assert_cmpint (till->status, ==, 1);
  g_assert_nonnull (strstr (till->log->str, heading));
  g_assert_nonnull (strstr (till->log->str, detail));
}

static void
test_failure_damaged (void)
{
  g_autofree char *dir = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "tillpoint.db", NULL);
  g_autoptr(GError) error = NULL;
  guint32 noise[1024];
  g_autofree char *kept = NULL;
  gsize kept_len = 0;

  for (guint i = 0; i < G_N_ELEMENTS (noise); i++)
    noise[i] = g_random_int ();
  g_file_set_contents (db, (const char *) noise, sizeof noise, &error);
  g_assert_no_error (error);

  assert_startup_failure (dir, "The database is damaged", db, XK_Return, "startup-damaged");

  /* It says what to do, and left the file as it was. */
  g_file_get_contents (db, &kept, &kept_len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (kept, kept_len, noise, sizeof noise);
  remove_tree (dir);
}

/* A database damaged in the middle (a page overwritten), with a backup in the backup
 * folder: the window names the latest good backup and how to restore it, and the file is
 * left byte for byte. */
static void
test_failure_damaged_offers_backup (void)
{
  g_autofree char *dir = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "tillpoint.db", NULL);
  g_autofree char *backups = g_build_filename (dir, "backups", NULL);
  g_autofree char *data_arg = g_strconcat ("--data-dir=", dir, NULL);
  g_autofree char *backup_arg = g_strconcat ("--backup=", backups, NULL);
  g_autofree char *csv = write_file (dir, "goods.csv",
                                     "barcode,name,price\n6954767002057,可乐,3.50\n");
  g_autofree char *import_arg = g_strconcat ("--import-catalog=", csv, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len = 0, after_len = 0;

  g_assert_cmpint (g_mkdir (backups, 0700), ==, 0);
  {
    g_autoptr(RunResult) imported = run (NULL, data_arg, import_arg, NULL);
    g_autoptr(RunResult) backed_up = run (NULL, data_arg, backup_arg, NULL);

    g_assert_cmpint (imported->status, ==, 0);
    g_assert_cmpint (backed_up->status, ==, 0);
  }

  g_file_get_contents (db, &before, &before_len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before_len, >, 8 * 4096);
  /* A page in the middle overwritten. */
  memset (before + (before_len / 4096 / 2) * 4096, 0xA5, 600);
  g_file_set_contents (db, before, before_len, &error);
  g_assert_no_error (error);

  assert_startup_failure (dir, "The database is damaged", "The latest good backup is",
                          XK_Escape, "startup-damaged-backup");

  g_file_get_contents (db, &after, &after_len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (after, after_len, before, before_len);
  remove_tree (dir);
}

/* The same, restored from the window: Alt+R (the backup of a till without managers needs
 * no PIN); the damaged file kept aside byte for byte, the database whole again. */
static void
test_failure_damaged_restore_here (void)
{
  g_autofree char *dir = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "tillpoint.db", NULL);
  g_autofree char *backups = g_build_filename (dir, "backups", NULL);
  g_autofree char *data_arg = g_strconcat ("--data-dir=", dir, NULL);
  g_autofree char *backup_arg = g_strconcat ("--backup=", backups, NULL);
  g_autofree char *csv = write_file (dir, "goods.csv",
                                     "barcode,name,price\n6954767002057,可乐,3.50\n");
  g_autofree char *import_arg = g_strconcat ("--import-catalog=", csv, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *damaged = NULL;
  gsize damaged_len = 0;
  g_autoptr(GDir) d = NULL;
  const char *name;
  guint n_aside = 0;

  g_assert_cmpint (g_mkdir (backups, 0700), ==, 0);
  {
    g_autoptr(RunResult) imported = run (NULL, data_arg, import_arg, NULL);
    g_autoptr(RunResult) backed_up = run (NULL, data_arg, backup_arg, NULL);

    g_assert_cmpint (imported->status, ==, 0);
    g_assert_cmpint (backed_up->status, ==, 0);
  }
  g_file_get_contents (db, &damaged, &damaged_len, &error);
  g_assert_no_error (error);
  memset (damaged + (damaged_len / 4096 / 2) * 4096, 0xA5, 600);
  g_file_set_contents (db, damaged, damaged_len, &error);
  g_assert_no_error (error);

  {
    g_autoptr(Proc) till = proc_start (NULL, data_arg, NULL);
    Window window = wait_for_window (till, FAILURE_TITLE);

    g_assert_true (window != None);
    x_send_alt_key (window, XK_r);
    g_usleep (1500000);
    g_main_context_iteration (NULL, FALSE);
    g_assert_false (till->exited);
    x_screenshot (window, "startup-damaged-restored");
    x_send_key (window, XK_Escape);
    g_assert_true (proc_wait (till, EXIT_MS));
    g_assert_cmpint (till->status, ==, 1);
    g_assert_nonnull (strstr (till->log->str, "Restored "));
  }

  g_assert_true (till_store_backup_quick_check (db, &error));
  g_assert_no_error (error);
  d = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, "tillpoint-replaced-") && g_str_has_suffix (name, ".db"))
      {
        g_autofree char *aside = g_build_filename (dir, name, NULL);
        g_autofree char *kept = NULL;
        gsize kept_len = 0;

        g_file_get_contents (aside, &kept, &kept_len, &error);
        g_assert_no_error (error);
        g_assert_cmpmem (kept, kept_len, damaged, damaged_len);
        n_aside++;
      }
  g_assert_cmpuint (n_aside, ==, 1);
  remove_tree (dir);
}

static void
test_failure_text_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  g_autofree char *db = write_file (dir, "tillpoint.db",
                                    "this is not a database, it is a shopping list\n");

  assert_startup_failure (dir, "not a Tillpoint database", db, XK_Escape,
                          "startup-not-a-database");
  remove_tree (dir);
}

static void
test_failure_too_new (void)
{
  g_autofree char *dir = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "tillpoint.db", NULL);
  g_autoptr(GError) error = NULL;
  sqlite3 *raw = NULL;

  g_object_unref (till_store_open (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (db, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "PRAGMA user_version = 999", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (raw);

  assert_startup_failure (dir, "newer Tillpoint", "Install the newer version", XK_Escape,
                          "startup-too-new");
  remove_tree (dir);
}

static void
test_failure_read_only_dir (void)
{
  g_autofree char *dir = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *db = seed_open_sale (data_dir);
  const char *unwritable = data_dir;

  if (geteuid () == 0)
    {
      /* File permissions do not stop root; a sysfs directory still takes no new file. */
      if (!g_file_test ("/sys/kernel", G_FILE_TEST_IS_DIR))
        {
          g_test_skip ("running as root, and no /sys/kernel to stand in for a directory "
                       "that cannot be written");
          remove_tree (dir);
          return;
        }
      unwritable = "/sys/kernel";
    }
  else
    g_assert_cmpint (g_chmod (data_dir, 0500), ==, 0);

  assert_startup_failure (unwritable, "Tillpoint cannot write its data", unwritable,
                          XK_Return, "startup-read-only-dir");
  g_chmod (data_dir, 0700);
  remove_tree (dir);
}

static void
test_failure_read_only_db (void)
{
  g_autofree char *dir = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *db = seed_open_sale (data_dir);

  if (geteuid () == 0)
    {
      g_test_skip ("running as root, whom file permissions do not stop: a read-only "
                   "database file needs a normal user");
      remove_tree (dir);
      return;
    }
  g_assert_cmpint (g_chmod (db, 0400), ==, 0);
  assert_startup_failure (data_dir, "Tillpoint cannot write its data", db, XK_Escape,
                          "startup-read-only-db");
  g_chmod (db, 0600);
  remove_tree (dir);
}

static void
test_demo_cleans_up (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  /* The demo quits by itself after its first frame (the benchmark hook). */
  const char *env[] = { "TMPDIR", tmp, "TILLPOINT_BENCH_FIRST_FRAME", "1", NULL };
  g_autoptr(RunResult) r = run (env, "--demo", NULL);
  g_autoptr(GDir) dir = NULL;

  g_assert_cmpint (r->status, ==, 0);
  g_assert_nonnull (strstr (r->out, "first-frame-us "));
  /* The demo shows quick keys: its two pages were arranged on its fresh database. */
  g_assert_nonnull (strstr (r->err, "Demo quick keys: 2 pages"));

  /* Its throwaway data directory is gone. */
  dir = g_dir_open (tmp, 0, NULL);
  g_assert_nonnull (dir);
  g_assert_null (g_dir_read_name (dir));
  g_clear_pointer (&dir, g_dir_close);

  remove_tree (tmp);
}

static gboolean
log_has_simulator (gpointer data)
{
  return strstr (((Proc *) data)->log->str, "demo: payment simulator on http://127.0.0.1:") != NULL;
}

/* The demo's simulator makes its keys beside the windows (not before the first frame):
 * it comes up by itself and answers on its port; the demo, quit then (SIGTERM), leaves
 * nothing behind. */
static void
test_demo_simulator_after_window (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  const char *env[] = { "TMPDIR", tmp, "TILLPOINT_START_TRACE", "1", NULL };
  g_autoptr(Proc) p = proc_start (env, "--demo", NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *url;
  guint64 port;

  g_assert_true (pump_until (log_has_simulator, p, 30000));
  url = strstr (p->log->str, "http://127.0.0.1:");
  port = g_ascii_strtoull (url + strlen ("http://127.0.0.1:"), NULL, 10);
  g_assert_cmpuint (port, >, 0);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16)port, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&connection);

  g_subprocess_send_signal (p->process, SIGTERM);
  g_assert_true (proc_wait (p, 15000));
  g_assert_cmpint (p->status, ==, 0);
  dir = g_dir_open (tmp, 0, NULL);
  g_assert_nonnull (dir);
  g_assert_null (g_dir_read_name (dir));
  g_clear_pointer (&dir, g_dir_close);
  remove_tree (tmp);
}

static void
test_report (void)
{
  g_autofree char *dir = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  g_autofree char *data_arg = g_strconcat ("--data-dir=", dir, NULL);
  g_autoptr(RunResult) good = run (NULL, data_arg, "--report=2026-11-21", NULL);
  g_autoptr(RunResult) csv = run (NULL, data_arg, "--report=2026-11-21", "--format=csv", NULL);
  g_autoptr(RunResult) bad = run (NULL, data_arg, "--report=21/11/2026", NULL);

  g_assert_cmpint (good->status, ==, 0);
  g_assert_nonnull (strstr (good->out, "2026-11-21"));
  g_assert_cmpint (csv->status, ==, 0);
  g_assert_nonnull (strchr (csv->out, ','));
  g_assert_cmpint (bad->status, ==, 2);
  g_assert_cmpstr (bad->out, ==, "");
  g_assert_nonnull (strstr (bad->err, "21/11/2026"));

  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  tillpoint_path = g_getenv ("TILLPOINT");
  g_assert_nonnull (tillpoint_path);

  g_test_add_func ("/ui/app/version", test_version);
  g_test_add_func ("/ui/app/import-catalog/good", test_import_good);
  g_test_add_func ("/ui/app/import-catalog/bad-rows", test_import_bad_rows);
  g_test_add_func ("/ui/app/import-catalog/max-price-setting", test_import_max_price_setting);
  g_test_add_func ("/ui/app/demo-cleans-up", test_demo_cleans_up);
  g_test_add_func ("/ui/app/demo-simulator-after-window", test_demo_simulator_after_window);
  g_test_add_func ("/ui/app/report", test_report);
  g_test_add_func ("/ui/app/one-till/data-dir", test_one_till_per_data_dir);
  g_test_add_func ("/ui/app/one-till/no-session-bus", test_one_till_without_session_bus);
  g_test_add_func ("/ui/app/one-till/session-bus-presents", test_second_start_presents_the_till);
  g_test_add_func ("/ui/app/startup-failure/damaged", test_failure_damaged);
  g_test_add_func ("/ui/app/startup-failure/damaged-offers-backup",
                   test_failure_damaged_offers_backup);
  g_test_add_func ("/ui/app/startup-failure/damaged-restore-here",
                   test_failure_damaged_restore_here);
  g_test_add_func ("/ui/app/startup-failure/not-a-database", test_failure_text_file);
  g_test_add_func ("/ui/app/startup-failure/too-new", test_failure_too_new);
  g_test_add_func ("/ui/app/startup-failure/read-only-dir", test_failure_read_only_dir);
  g_test_add_func ("/ui/app/startup-failure/read-only-db", test_failure_read_only_db);

  return g_test_run ();
}
