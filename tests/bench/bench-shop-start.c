/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: a shop's till started to its first frame and to ready-to-scan, beside a bare window. */
#define G_LOG_DOMAIN "till-bench"
#include "config.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/keysym.h>
#include <X11/extensions/XTest.h>

#include "till-bench-shop.h"
#include "till-bench-stats.h"
#include "till-test-app.h"
#include "till-test-paysim.h"

/* Usage: bench-shop-start CACHE-DIR TILLPOINT BARE-WINDOW [REPETITIONS]
 *
 * Not --demo: a shop's till. The shop database (till-bench-shop.h: 1,000,000 products, a
 * year of sales, the shop's people; cached in CACHE-DIR) is copied once into a data
 * directory used by every start (an ordinary morning start), with the shop's settings in a
 * GSettings keyfile (GSETTINGS_BACKEND=keyfile, XDG_CONFIG_HOME of the benchmark's own):
 * WeChat Pay and Alipay configured against the loopback simulator, their key files in
 * place. Each repetition starts, one after the other:
 *   bare    - the bare window program (bench-bare-window), spawn to its first frame;
 *   shop    - tillpoint --data-dir=DIR: spawn to the cashier window's first painted frame,
 *             and spawn to ready (the open sale loaded, the cashier window active, the code
 *             entry focused: a scan goes straight into the sale); the database was closed
 *             cleanly by the start before (till-store-clean.h);
 *   checked - the same after the clean-close mark is removed: the start checks the whole
 *             database (PRAGMA quick_check) as after a crash, and as every start did before;
 *   sign-in - the same with require-sign-in: spawn to the cashier window's first frame,
 *             to the sign-in window's first frame; when it shows its PIN entry
 *             ("signin-ready") the cashier's PIN typed with real XTest keys and Enter, and
 *             spawn to the cashier window ready (and Enter to ready).
 * Tillpoint says when with TILLPOINT_START_TRACE (src/ui/widgets/till-start-trace.h);
 * each start ends with SIGTERM (a normal quit). One untimed warm-up of each comes first:
 * page cache warm, this measures the start of a process. Run it on a display. */

#define RUN_TIMEOUT_US  (180 * G_USEC_PER_SEC)
#define EXIT_TIMEOUT_US (20 * G_USEC_PER_SEC)
/* The sign-in window lists the people by name: the first, selected, is 小李, a cashier. */
#define SIGNIN_PIN "2345"

typedef struct
{
  const char *label;
  GHashTable *marks;     /* mark name → GArray of gint64 µs from spawn (wall) */
  GPtrArray  *order;     /* mark names in the order first seen */
  GArray     *enter_to_ready;
  guint       failures;
} Series;

static void
series_init (Series     *s,
             const char *label)
{
  s->label = label;
  s->marks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) g_array_unref);
  s->order = g_ptr_array_new_with_free_func (g_free);
  s->enter_to_ready = g_array_new (FALSE, FALSE, sizeof (gint64));
  s->failures = 0;
}

static void
series_add (Series     *s,
            const char *mark,
            gint64      us)
{
  GArray *values = g_hash_table_lookup (s->marks, mark);

  if (values == NULL)
    {
      values = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (s->marks, g_strdup (mark), values);
      g_ptr_array_add (s->order, g_strdup (mark));
    }
  g_array_append_val (values, us);
}

static double
series_median_ms (Series     *s,
                  const char *mark)
{
  GArray *values = g_hash_table_lookup (s->marks, mark);

  if (values == NULL || values->len == 0)
    return NAN;
  return till_bench_stats (values).median / 1000.0;
}

/* ---- X: the sign-in window and real keys ---- */

static Display *xdpy;

static int
ignore_x_error (Display     *display,
                XErrorEvent *event)
{
  return 0;
}

static gboolean
window_is (Window      window,
           GPid        pid,
           const char *title_part)
{
  Atom type = None;
  int format = 0;
  unsigned long n = 0, after = 0;
  unsigned char *data = NULL;
  gboolean ok = FALSE;
  XWindowAttributes attrs;

  if (!XGetWindowAttributes (xdpy, window, &attrs) || attrs.map_state != IsViewable)
    return FALSE;
  if (XGetWindowProperty (xdpy, window, XInternAtom (xdpy, "_NET_WM_PID", False), 0, 1, False,
                          XA_CARDINAL, &type, &format, &n, &after, &data) == Success
      && data != NULL && n == 1)
    ok = (GPid) *(unsigned long *) data == pid;
  if (data != NULL)
    XFree (data);
  data = NULL;
  if (!ok)
    return FALSE;
  ok = FALSE;
  if (XGetWindowProperty (xdpy, window, XInternAtom (xdpy, "_NET_WM_NAME", False), 0, 1024,
                          False, XInternAtom (xdpy, "UTF8_STRING", False), &type, &format, &n,
                          &after, &data) == Success
      && data != NULL)
    ok = strstr ((const char *) data, title_part) != NULL;
  if (data != NULL)
    XFree (data);
  return ok;
}

/* The viewable top-level window of `pid` whose title holds `title_part`, or None. */
static Window
find_window (GPid        pid,
             const char *title_part)
{
  Window root = DefaultRootWindow (xdpy), parent = None, *children = NULL, found = None;
  unsigned int n = 0;

  XSync (xdpy, False);
  if (!XQueryTree (xdpy, root, &root, &parent, &children, &n))
    return None;
  for (unsigned int i = 0; i < n && found == None; i++)
    if (window_is (children[i], pid, title_part))
      found = children[i];
  if (children != NULL)
    XFree (children);
  return found;
}

static void
type_keys (Window      window,
           const char *keys)
{
  XSetInputFocus (xdpy, window, RevertToParent, CurrentTime);
  for (const char *k = keys; *k != '\0'; k++)
    {
      char name[2] = { *k, 0 };
      KeySym sym = *k == '\n' ? XK_Return : XStringToKeysym (name);
      KeyCode code = XKeysymToKeycode (xdpy, sym);

      XTestFakeKeyEvent (xdpy, code, True, 0);
      XTestFakeKeyEvent (xdpy, code, False, 0);
      XSync (xdpy, False);
      g_usleep (20 * 1000);  /* a person's typing, not a wedge scan */
    }
}

/* ---- one start ---- */

static void
stop_child (GPid        pid,
            const char *label)
{
  gint64 deadline = g_get_monotonic_time () + EXIT_TIMEOUT_US;
  int status = 0;

  kill (pid, SIGTERM);
  for (;;)
    {
      pid_t r = waitpid (pid, &status, WNOHANG);

      if (r == pid || (r < 0 && errno != EINTR))
        break;
      if (g_get_monotonic_time () > deadline)
        {
          g_printerr ("%s: did not quit on SIGTERM; killing it\n", label);
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
          break;
        }
      g_usleep (2000);
    }
}

typedef struct
{
  char      **argv;
  char      **envp;
  const char *done_mark;   /* the mark awaited, with the first frame(s) */
  gboolean    signin;      /* type the PIN at signin-first-frame */
  const char *unclean;     /* a clean-close mark to remove first, or NULL */
} Start;

/* Runs one start; on success (and `record`) adds its marks (wall µs from spawn). */
static gboolean
run_once (Series *s,
          Start  *start,
          gboolean record)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GPid pid;
  int out_fd = -1;
  gint64 t0, deadline, enter_at = -1;
  gboolean done = FALSE;
  const char *why = "timed out";

  if (start->unclean != NULL)
    g_unlink (start->unclean);
  t0 = g_get_monotonic_time ();
  if (!g_spawn_async_with_pipes (NULL, start->argv, start->envp, G_SPAWN_DO_NOT_REAP_CHILD,
                                 NULL, NULL, &pid, NULL, &out_fd, NULL, &error))
    {
      g_printerr ("%s: cannot start %s: %s\n", s->label, start->argv[0], error->message);
      s->failures++;
      return FALSE;
    }
  deadline = t0 + RUN_TIMEOUT_US;
  while (!done)
    {
      struct pollfd pfd = { .fd = out_fd, .events = POLLIN };
      gint64 left = deadline - g_get_monotonic_time ();
      char buf[1024];
      char *nl;
      ssize_t n;
      int r;

      if (left <= 0)
        break;
      r = poll (&pfd, 1, (int) MAX (1, left / 1000));
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
      n = read (out_fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          why = "exited before it was ready";
          break;
        }
      g_string_append_len (out, buf, n);
      while (!done && (nl = strchr (out->str, '\n')) != NULL)
        {
          gint64 now = g_get_monotonic_time () - t0;
          g_autofree char *line = g_strndup (out->str, nl - out->str);
          g_auto(GStrv) parts = NULL;

          g_string_erase (out, 0, nl - out->str + 1);
          parts = g_strsplit (line, " ", 3);
          if (g_strv_length (parts) == 2 && g_str_equal (parts[0], "first-frame-us"))
            {
              g_hash_table_insert (seen, g_strdup ("first-frame"), g_memdup2 (&now, sizeof now));
              done = g_str_equal (start->done_mark, "first-frame");
            }
          else if (g_strv_length (parts) == 3 && g_str_equal (parts[0], "start-mark")
                   && !g_hash_table_contains (seen, parts[1]))
            {
              g_hash_table_insert (seen, g_strdup (parts[1]), g_memdup2 (&now, sizeof now));
              if (start->signin && g_str_equal (parts[1], "signin-ready"))
                {
                  Window w = find_window (pid, "Sign in");

                  if (w == None)
                    {
                      why = "no sign-in window found on the display";
                      break;
                    }
                  type_keys (w, SIGNIN_PIN "\n");
                  enter_at = g_get_monotonic_time () - t0;
                }
              /* No window manager under Xvfb: when the sign-in window goes, give the
               * cashier's window the focus back as one would. */
              if (start->signin && enter_at >= 0 && g_str_equal (parts[1], "signed-in"))
                {
                  Window w = find_window (pid, "Tillpoint Cashier");

                  if (w != None)
                    {
                      XSetInputFocus (xdpy, w, RevertToParent, CurrentTime);
                      XSync (xdpy, False);
                    }
                }
              /* Done when the awaited mark and every first frame have come. */
              done = g_hash_table_contains (seen, start->done_mark)
                     && g_hash_table_contains (seen, "first-frame")
                     && (!start->signin || g_hash_table_contains (seen, "signin-first-frame"));
            }
        }
    }

  if (!done)
    {
      g_printerr ("%s: %s %s (%s)\n", s->label, start->argv[0], why, start->done_mark);
      kill (pid, SIGKILL);
      waitpid (pid, NULL, 0);
      close (out_fd);
      g_spawn_close_pid (pid);
      s->failures++;
      return FALSE;
    }
  stop_child (pid, s->label);
  close (out_fd);
  g_spawn_close_pid (pid);

  if (record)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, seen);
      while (g_hash_table_iter_next (&iter, &key, &value))
        series_add (s, key, *(gint64 *) value);
      if (enter_at >= 0)
        {
          gint64 ready = *(gint64 *) g_hash_table_lookup (seen, start->done_mark) - enter_at;

          g_array_append_val (s->enter_to_ready, ready);
        }
    }
  return TRUE;
}

/* ---- settings ---- */

static char *
write_settings (const char     *dir,
                const char     *name,
                TillTestPaysim *sim,
                gboolean        require_signin)
{
  g_autofree char *config = g_build_filename (dir, name, NULL);
  g_autofree char *settings_dir = g_build_filename (config, "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (settings_dir, "keyfile", NULL);
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autoptr(GSettings) settings = NULL;

  g_mkdir_with_parents (settings_dir, 0700);
  backend = g_keyfile_settings_backend_new (keyfile, "/", NULL);
  settings = g_settings_new_with_backend (APPLICATION_ID, backend);
  g_settings_set_string (settings, "till-id", "01");
  g_settings_set_string (settings, "store-name", "小店");
  till_test_app_paysim_settings (settings, sim);
  g_settings_set_boolean (settings, "require-sign-in", require_signin);
  g_settings_sync ();
  return g_steal_pointer (&config);
}

static char **
till_env (const char *config)
{
  char **envp = g_get_environ ();

  envp = g_environ_setenv (envp, "TILLPOINT_START_TRACE", "1", TRUE);
  envp = g_environ_setenv (envp, "GSETTINGS_BACKEND", "keyfile", TRUE);
  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", config, TRUE);
  return envp;
}

static void
print_series (Series     *s,
              Series     *bare,
              const char *main_mark)
{
  double bare_ms = series_median_ms (bare, "first-frame");

  g_print ("  %s (n=%u%s), medians from spawn:\n", s->label,
           s->marks != NULL && g_hash_table_lookup (s->marks, main_mark) != NULL
           ? ((GArray *) g_hash_table_lookup (s->marks, main_mark))->len : 0,
           s->failures ? ", with failures" : "");
  for (guint i = 0; i < s->order->len; i++)
    {
      const char *mark = g_ptr_array_index (s->order, i);
      GArray *values = g_hash_table_lookup (s->marks, mark);
      TillBenchStats st = till_bench_stats (values);

      g_print ("    %-22s %8.1f ms (min %8.1f, max %8.1f)  %5.2fx bare\n", mark,
               st.median / 1000.0, st.min / 1000.0, st.max / 1000.0,
               st.median / 1000.0 / bare_ms);
    }
  if (s->enter_to_ready->len > 0)
    g_print ("    %-22s %8.1f ms\n", "Enter-to-ready",
             till_bench_stats (s->enter_to_ready).median / 1000.0);
}

static void
rm_rf (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            rm_rf (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  const char *cache_dir, *tillpoint, *bare;
  guint reps = 5;
  g_autoptr(GError) error = NULL;
  g_autofree char *cached = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *data_arg = NULL;
  g_autofree char *config_open = NULL;
  g_autofree char *config_signin = NULL;
  g_autoptr(TillTestPaysim) sim = NULL;
  Series s_bare, s_shop, s_checked, s_signin;
  g_autofree char *mark = NULL;
  guint failures;

  if (argc < 4)
    {
      g_printerr ("Usage: %s CACHE-DIR TILLPOINT BARE-WINDOW [REPETITIONS]\n", argv[0]);
      return 2;
    }
  cache_dir = argv[1];
  tillpoint = argv[2];
  bare = argv[3];
  if (argc > 4)
    reps = (guint) CLAMP (g_ascii_strtoull (argv[4], NULL, 10), 1, 1000);
  if (g_getenv ("TILL_BENCH_REPS") != NULL)
    reps = (guint) CLAMP (g_ascii_strtoull (g_getenv ("TILL_BENCH_REPS"), NULL, 10), 1, 1000);
  if (g_getenv ("DISPLAY") == NULL)
    {
      g_printerr ("bench-shop-start needs an X display (XTest): run it with `build-aux/dev "
                  "bench`, which starts Xvfb\n");
      return 1;
    }
  xdpy = XOpenDisplay (NULL);
  if (xdpy == NULL)
    {
      g_printerr ("bench-shop-start: cannot open the display %s\n", g_getenv ("DISPLAY"));
      return 1;
    }
  XSetErrorHandler (ignore_x_error);

  cached = till_bench_shop_ensure (argv[0], cache_dir);
  tmp = g_dir_make_tmp ("tillpoint-bench-shop-start-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_build_filename (tmp, "data", NULL);
  g_free (till_bench_shop_copy (argv[0], cached, data_dir));
  data_arg = g_strconcat ("--data-dir=", data_dir, NULL);
  sim = till_test_paysim_start (NULL, &error);
  g_assert_no_error (error);
  config_open = write_settings (tmp, "config-open", sim, FALSE);
  config_signin = write_settings (tmp, "config-signin", sim, TRUE);

  series_init (&s_bare, "bare window");
  series_init (&s_shop, "shop till");
  series_init (&s_checked, "shop till, database checked (no clean-close mark)");
  mark = g_build_filename (data_dir, "tillpoint.db.clean", NULL);
  series_init (&s_signin, "shop till with sign-in");
  {
    char *bare_argv[] = { (char *) bare, NULL };
    char *till_argv[] = { (char *) tillpoint, data_arg, NULL };
    g_auto(GStrv) bare_env = g_environ_setenv (g_get_environ (), "TILLPOINT_BENCH_FIRST_FRAME",
                                               "1", TRUE);
    g_auto(GStrv) open_env = till_env (config_open);
    g_auto(GStrv) signin_env = till_env (config_signin);
    Start bare_start = { bare_argv, bare_env, "first-frame", FALSE, NULL };
    Start shop_start = { till_argv, open_env, "ready", FALSE, NULL };
    Start checked_start = { till_argv, open_env, "ready", FALSE, mark };
    Start signin_start = { till_argv, signin_env, "ready", TRUE, NULL };

    /* Warm-up, untimed: page cache, fontconfig cache, the database's first open. */
    run_once (&s_bare, &bare_start, FALSE);
    run_once (&s_shop, &shop_start, FALSE);
    run_once (&s_signin, &signin_start, FALSE);
    for (guint i = 0; i < reps; i++)
      {
        run_once (&s_bare, &bare_start, TRUE);
        run_once (&s_shop, &shop_start, TRUE);
        run_once (&s_checked, &checked_start, TRUE);
        run_once (&s_signin, &signin_start, TRUE);
      }
  }
  rm_rf (tmp);

  g_print ("shop start (1,000,000 products, a year of sales; payments configured), "
           "%u repetitions, warm page cache:\n", reps);
  print_series (&s_bare, &s_bare, "first-frame");
  print_series (&s_shop, &s_bare, "ready");
  print_series (&s_checked, &s_bare, "ready");
  print_series (&s_signin, &s_bare, "ready");
  g_print ("  ratios to the bare window (medians, spawn to): shop first frame %.2fx, shop ready "
           "%.2fx; with sign-in: first frame %.2fx, sign-in window's first frame %.2fx\n",
           series_median_ms (&s_shop, "first-frame") / series_median_ms (&s_bare, "first-frame"),
           series_median_ms (&s_shop, "ready") / series_median_ms (&s_bare, "first-frame"),
           series_median_ms (&s_signin, "first-frame") / series_median_ms (&s_bare, "first-frame"),
           series_median_ms (&s_signin, "signin-first-frame")
           / series_median_ms (&s_bare, "first-frame"));
  g_print ("  checked (as after a crash): first frame %.2fx, ready %.2fx\n",
           series_median_ms (&s_checked, "first-frame") / series_median_ms (&s_bare, "first-frame"),
           series_median_ms (&s_checked, "ready") / series_median_ms (&s_bare, "first-frame"));
  failures = s_bare.failures + s_shop.failures + s_checked.failures + s_signin.failures;
  XCloseDisplay (xdpy);
  return failures > 0 || g_hash_table_size (s_shop.marks) == 0 ? 1 : 0;
}
