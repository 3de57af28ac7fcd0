/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: scan to pixels and answer to "paid" painted (issue 20 items 1 and 3), a real
 * tillpoint on the shop's database with real X key events, beside a bare GTK 4 window. */
#define G_LOG_DOMAIN "till-bench"
#include "config.h"

#include "till-test-x-grab.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <X11/Xatom.h>
#include <X11/keysym.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gio.h>
#include <gio/gsettingsbackend.h>
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <sqlite3.h>

#include "till-bench-proxy.h"
#include "till-bench-shop.h"
#include "till-bench-stats.h"
#include "till-test-app.h"
#include "till-test-paysim.h"

/* Usage: bench-scan-to-pixels DIR TILLPOINT BARE-WINDOW [SCANS]
 *
 * DIR (the build dir) caches the shop database (till-bench-shop.h); the till works on a copy.
 * The simulator is $TILL_PAYSIM behind a loopback proxy that notes its times
 * (till-bench-proxy.h). Needs an X display with XTest (Xvfb).
 *
 * The till: `TILLPOINT --data-dir=<copy>` (a shop's till, not --demo) with its settings in a
 * GSettings keyfile (WeChat Pay and Alipay at the proxy, sign-in required) and
 * TILLPOINT_BENCH_FRAME_TRACE set, so that both its windows print a line for every frame
 * they paint, with the sale they show (src/ui/widgets/till-frame-trace.h). The benchmark
 * signs the cashier in with real keys (PIN, Enter) and then, in blocks of 25 lines:
 *   - scans: 13 digits of a random product's EAN-13 as XTest key events 2 ms apart (a
 *     keyboard-wedge scanner; the X server keeps the gaps) and Return; from the Return
 *     processed by the X server (CLOCK_MONOTONIC when XSync returns after it) to the
 *     first frame of the cashier's window showing the new line in its cart scrolled into
 *     view, and to the first frame of the customer display showing it and the new total;
 *   - the sale paid with a payment code typed the same way (WeChat Pay and Alipay in turn):
 *     from Return to the request at the simulator, and from the answer's last byte leaving
 *     the proxy for the till to the first frame of each window showing the sale paid;
 *   - the bare window (bench-bare-window --trace: an entry, a label, a loopback socket):
 *     the same keys and Return to its next painted frame showing the line; a line of text
 *     written to its socket to its next painted frame showing it; a bare SQLite commit
 *     (WAL, synchronous=FULL) in DIR, the till's disk. The floor of "answer -> paid painted"
 *     is the bare commit plus the bare socket-to-frame.
 * Then more payments on sales of 2 lines, for enough samples of the payment. */

#define PROG "bench-scan-to-pixels"
#define BLOCK_LINES 25
#define KEY_GAP_MS 2
#define START_MS 120000
#define FRAME_MS 10000
#define PAID_MS 30000

/* ---- timings ---------------------------------------------------------------------------- */

/* ---- a process and its frame trace ------------------------------------------------------ */

typedef struct
{
  char name[16];
  gint64 t_ns;   /* after-paint, CLOCK_MONOTONIC */
  char sale[48];
  guint lines;
  gint64 total;
  char state[16];
  int bottom;    /* -1: not said */
  guint msgs;    /* the bare window's socket lines */
  gint64 took_ns; /* the frame's own time (before-paint to after-paint); -1: not said */
} Frame;

typedef struct
{
  const char *label;
  GSubprocess *proc;
  GPid pid;
  int fd;
  GString *buf;
  GArray *frames;  /* Frame, every frame since the start */
  GPtrArray *said; /* the other lines on stdout */
  char *log_path;  /* stderr */
  gboolean eof;
} Proc;

static Proc *till_proc, *bare_proc;
static Display *xdpy;
static GPtrArray *events;  /* "T what": the benchmark's keys and socket lines */
static char *dump_path;

static void
note_event (gint64 t_ns, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
note_event (gint64 t_ns, const char *format, ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (events, g_strdup_printf ("%016" G_GINT64_FORMAT " %s", t_ns / 1000, text));
}

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

/* Writes every frame of both programs and the benchmark's events, in time order (µs), to
 * dump_path: what the figures come from. */
static void
dump_trace (void)
{
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) out = g_string_new (NULL);
  Proc *procs[] = { till_proc, bare_proc };

  if (dump_path == NULL || events == NULL)
    return;
  for (guint i = 0; i < events->len; i++)
    g_ptr_array_add (lines, g_strdup (g_ptr_array_index (events, i)));
  for (guint k = 0; k < G_N_ELEMENTS (procs); k++)
    for (guint i = 0; procs[k] != NULL && i < procs[k]->frames->len; i++)
      {
        const Frame *f = &g_array_index (procs[k]->frames, Frame, i);

        g_ptr_array_add (lines,
                         g_strdup_printf ("%016" G_GINT64_FORMAT " frame %s sale=%s lines=%u "
                                          "total=%" G_GINT64_FORMAT " state=%s bottom=%d msgs=%u "
                                          "took=%" G_GINT64_FORMAT,
                                          f->t_ns / 1000, f->name, f->sale, f->lines, f->total,
                                          f->state, f->bottom, f->msgs,
                                          f->took_ns >= 0 ? f->took_ns / 1000 : -1));
      }
  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);

      while (*line == '0' && line[1] != ' ')
        line++;
      g_string_append_printf (out, "%s\n", line);
    }
  g_file_set_contents (dump_path, out->str, out->len, NULL);
}

static char *
log_dir (void)
{
  const char *root = g_getenv ("MESON_BUILD_ROOT");
  g_autofree char *cwd = g_get_current_dir ();

  /* meson runs benchmarks in the build dir */
  return g_build_filename (root != NULL ? root : cwd, "meson-logs", NULL);
}

/* Saves the whole X screen as meson-logs/NAME.png; returns the path (NULL on failure). */
static char *
x_screenshot (const char *name)
{
  g_autofree char *dir = log_dir ();
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path = g_build_filename (dir, file, NULL);
  g_autoptr (GdkPixbuf) pixbuf = NULL;

  if (xdpy == NULL || (pixbuf = till_test_x_grab (xdpy, DefaultRootWindow (xdpy))) == NULL)
    {
      g_free (path);
      return NULL;
    }
  g_mkdir_with_parents (dir, 0755);
  if (!gdk_pixbuf_save (pixbuf, path, "png", NULL, NULL))
    g_clear_pointer (&path, g_free);
  return path;
}

static void
die (const char *format, ...) G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN;

static void
print_log_tail (Proc *p)
{
  g_autofree char *log = NULL;
  gsize len = 0;

  if (p == NULL || p->log_path == NULL || !g_file_get_contents (p->log_path, &log, &len, NULL))
    return;
  g_printerr ("--- the last of %s's stderr (%s):\n%s\n", p->label, p->log_path,
              len > 6000 ? log + len - 6000 : log);
}

static void
die (const char *format, ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr (PROG ": %s\n", text);
  dump_trace ();
  if (dump_path != NULL)
    g_printerr ("the frames and keys: %s\n", dump_path);
  {
    g_autofree char *shot = x_screenshot ("scan-to-pixels-failed");

    if (shot != NULL)
      g_printerr ("the screen then: %s\n", shot);
  }
  print_log_tail (till_proc);
  print_log_tail (bare_proc);
  if (till_proc != NULL && till_proc->proc != NULL)
    g_subprocess_force_exit (till_proc->proc);
  if (bare_proc != NULL && bare_proc->proc != NULL)
    g_subprocess_force_exit (bare_proc->proc);
  exit (1);
}

static void
parse_line (Proc *p, const char *line)
{
  g_auto (GStrv) words = NULL;
  Frame f = { .bottom = -1, .took_ns = -1 };

  if (!g_str_has_prefix (line, "till-frame "))
    {
      g_ptr_array_add (p->said, g_strdup (line));
      return;
    }
  words = g_strsplit (line, " ", -1);
  if (g_strv_length (words) < 3)
    return;
  g_strlcpy (f.name, words[1], sizeof f.name);
  f.t_ns = g_ascii_strtoll (words[2], NULL, 10) * 1000;
  for (guint i = 3; words[i] != NULL; i++)
    {
      const char *w = words[i];

      if (g_str_has_prefix (w, "sale="))
        g_strlcpy (f.sale, w + 5, sizeof f.sale);
      else if (g_str_has_prefix (w, "lines="))
        f.lines = (guint)g_ascii_strtoull (w + 6, NULL, 10);
      else if (g_str_has_prefix (w, "total="))
        f.total = g_ascii_strtoll (w + 6, NULL, 10);
      else if (g_str_has_prefix (w, "state="))
        g_strlcpy (f.state, w + 6, sizeof f.state);
      else if (g_str_has_prefix (w, "bottom="))
        f.bottom = (int)g_ascii_strtoll (w + 7, NULL, 10);
      else if (g_str_has_prefix (w, "msgs="))
        f.msgs = (guint)g_ascii_strtoull (w + 5, NULL, 10);
      else if (g_str_has_prefix (w, "took="))
        f.took_ns = g_ascii_strtoll (w + 5, NULL, 10) * 1000;
    }
  g_array_append_val (p->frames, f);
}

/* Reads what the process printed, waiting at most timeout_ms for something; TRUE when a
 * line came. */
static gboolean
proc_read (Proc *p, int timeout_ms)
{
  struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
  gboolean got = FALSE;
  char chunk[8192];
  int r;

  if (p->eof)
    {
      if (timeout_ms > 0)
        g_usleep ((gulong)timeout_ms * 1000);
      return FALSE;
    }
  r = poll (&pfd, 1, timeout_ms);
  if (r <= 0)
    return FALSE;
  for (;;)
    {
      gssize n = read (p->fd, chunk, sizeof chunk);
      char *nl;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        break; /* EAGAIN: all read */
      if (n == 0)
        {
          p->eof = TRUE;
          break;
        }
      g_string_append_len (p->buf, chunk, n);
      while ((nl = strchr (p->buf->str, '\n')) != NULL)
        {
          *nl = '\0';
          parse_line (p, p->buf->str);
          g_string_erase (p->buf, 0, nl - p->buf->str + 1);
          got = TRUE;
        }
    }
  return got;
}

/* Reads until nothing came for quiet_ms (at most 3 s): the windows have settled. */
static void
proc_settle (Proc *p, int quiet_ms)
{
  gint64 until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

  while (proc_read (p, quiet_ms) && g_get_monotonic_time () < until)
    ;
}

typedef gboolean (*FrameMatch) (const Frame *f, gconstpointer data);

/* The first frame from index `from` on that matches, reading more until limit_ms; ends the
 * process saying `what` when none comes. */
static Frame
proc_wait_frame (Proc *p, guint from, FrameMatch match, gconstpointer data, guint limit_ms,
                 const char *what)
{
  gint64 until = g_get_monotonic_time () + (gint64)limit_ms * 1000;

  for (;;)
    {
      for (guint i = from; i < p->frames->len; i++)
        {
          const Frame *f = &g_array_index (p->frames, Frame, i);

          if (match (f, data))
            return *f;
        }
      if (p->eof)
        die ("%s exited while waiting for %s", p->label, what);
      if (g_get_monotonic_time () > until)
        {
          const Frame *last = p->frames->len > 0
                                  ? &g_array_index (p->frames, Frame, p->frames->len - 1)
                                  : NULL;

          die ("gave up after %u ms waiting for %s (last frame: %s sale=%s lines=%u state=%s "
               "bottom=%d)",
               limit_ms, what, last ? last->name : "none", last ? last->sale : "",
               last ? last->lines : 0, last ? last->state : "", last ? last->bottom : -1);
        }
      proc_read (p, 20);
    }
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static Proc *
proc_spawn (const char *label, const char *log_path, const char *const *env, char **argv)
{
  Proc *p = g_new0 (Proc, 1);
  g_autoptr (GSubprocessLauncher) launcher
      = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GError) error = NULL;
  GInputStream *out;

  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  g_unlink (log_path); /* the launcher writes over an old one without truncating it */
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  p->label = label;
  p->log_path = g_strdup (log_path);
  p->proc = g_subprocess_launcher_spawnv (launcher, (const char *const *)argv, &error);
  if (p->proc == NULL)
    die ("cannot start %s: %s", argv[0], error->message);
  p->pid = (GPid)g_ascii_strtoll (g_subprocess_get_identifier (p->proc), NULL, 10);
  out = g_subprocess_get_stdout_pipe (p->proc);
  p->fd = g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (out));
  g_unix_set_fd_nonblocking (p->fd, TRUE, NULL);
  p->buf = g_string_new (NULL);
  p->frames = g_array_new (FALSE, TRUE, sizeof (Frame));
  p->said = g_ptr_array_new_with_free_func (g_free);
  return p;
}

static void
proc_stop (Proc *p)
{
  gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_subprocess_send_signal (p->proc, SIGTERM);
  while (!p->eof && g_get_monotonic_time () < until)
    proc_read (p, 50);
  if (!p->eof)
    {
      g_printerr (PROG ": %s did not quit after SIGTERM; killing it\n", p->label);
      g_subprocess_force_exit (p->proc);
    }
  g_subprocess_wait (p->proc, NULL, NULL);
}

/* ---- X: the windows, real keys ---------------------------------------------------------- */

static int
ignore_x_error (Display *display, XErrorEvent *event)
{
  return 0;
}

static char *
x_window_title (Window window)
{
  Atom utf8 = XInternAtom (xdpy, "UTF8_STRING", False);
  Atom type = None;
  int format = 0;
  unsigned long n = 0, after = 0;
  unsigned char *data = NULL;
  char *title = NULL;

  if (XGetWindowProperty (xdpy, window, XInternAtom (xdpy, "_NET_WM_NAME", False), 0, 1024, False,
                          utf8, &type, &format, &n, &after, &data)
          == Success
      && data != NULL && type == utf8)
    title = g_strndup ((const char *)data, n);
  if (data != NULL)
    XFree (data);
  return title;
}

static GPid
x_window_pid (Window window)
{
  Atom type = None;
  int format = 0;
  unsigned long n = 0, after = 0;
  unsigned char *data = NULL;
  GPid pid = 0;

  if (XGetWindowProperty (xdpy, window, XInternAtom (xdpy, "_NET_WM_PID", False), 0, 1, False,
                          XA_CARDINAL, &type, &format, &n, &after, &data)
          == Success
      && data != NULL && n == 1)
    pid = (GPid) * (unsigned long *)data;
  if (data != NULL)
    XFree (data);
  return pid;
}

/* A viewable top-level window of `pid` whose title contains `title`, or None. */
static Window
x_find_window (GPid pid, const char *title)
{
  Window root = DefaultRootWindow (xdpy), parent = None, *children = NULL, found = None;
  unsigned int n = 0;

  XSync (xdpy, False);
  if (!XQueryTree (xdpy, root, &root, &parent, &children, &n))
    return None;
  for (unsigned int i = 0; i < n && found == None; i++)
    {
      XWindowAttributes attrs;
      g_autofree char *name = NULL;

      if (!XGetWindowAttributes (xdpy, children[i], &attrs) || attrs.map_state != IsViewable
          || x_window_pid (children[i]) != pid)
        continue;
      name = x_window_title (children[i]);
      if (name != NULL && strstr (name, title) != NULL)
        found = children[i];
    }
  if (children != NULL)
    XFree (children);
  return found;
}

static Window
x_wait_window (Proc *p, const char *title, guint limit_ms)
{
  gint64 until = g_get_monotonic_time () + (gint64)limit_ms * 1000;
  Window w;

  while ((w = x_find_window (p->pid, title)) == None)
    {
      if (p->eof)
        die ("%s exited before showing its window “%s”", p->label, title);
      if (g_get_monotonic_time () > until)
        die ("%s showed no window “%s” within %u ms", p->label, title, limit_ms);
      proc_read (p, 50);
    }
  return w;
}

static void
x_focus (Window window)
{
  XSetInputFocus (xdpy, window, RevertToParent, CurrentTime);
  XSync (xdpy, False);
}

static void
x_key (KeySym sym)
{
  KeyCode code = XKeysymToKeycode (xdpy, sym);

  if (code == 0)
    die ("no key for keysym 0x%lx on this X server", (unsigned long)sym);
  XTestFakeKeyEvent (xdpy, code, True, 0);
  XTestFakeKeyEvent (xdpy, code, False, 0);
  XFlush (xdpy);
}

/* The key with Shift held. */
static void
x_key_shift (KeySym sym)
{
  KeyCode shift = XKeysymToKeycode (xdpy, XK_Shift_L);

  XTestFakeKeyEvent (xdpy, shift, True, 0);
  x_key (sym);
  XTestFakeKeyEvent (xdpy, shift, False, 0);
  XFlush (xdpy);
}

/* A person's keys: `sym`, then a pause. */
static void
x_key_slow (KeySym sym, gboolean shift)
{
  if (shift)
    x_key_shift (sym);
  else
    x_key (sym);
  g_usleep (150 * 1000);
}

/* Types `digits` and Return as a wedge scanner does, gap_ms apart: the X server keeps the
 * gaps (XTest's delay), so that the benchmark's own scheduling cannot stretch them. Returns
 * the time when the server has processed the Return (XSync returns after it). */
static gint64
x_scan (const char *digits, guint gap_ms)
{
  KeyCode ret = XKeysymToKeycode (xdpy, XK_Return);

  for (const char *c = digits; *c != '\0'; c++)
    {
      char name[2] = { *c, '\0' };
      KeyCode code = XKeysymToKeycode (xdpy, XStringToKeysym (name));

      if (code == 0)
        die ("no key for “%s” on this X server", name);
      XTestFakeKeyEvent (xdpy, code, True, c == digits ? CurrentTime : gap_ms);
      XTestFakeKeyEvent (xdpy, code, False, CurrentTime);
    }
  XTestFakeKeyEvent (xdpy, ret, True, gap_ms);
  XTestFakeKeyEvent (xdpy, ret, False, CurrentTime);
  XSync (xdpy, False);
  return till_bench_now_ns ();
}

/* ---- the till's settings ---------------------------------------------------------------- */

static void
write_settings (const char *config_dir, TillTestPaysim *sim, const char *proxy_url)
{
  g_autofree char *path = g_build_filename (config_dir, "glib-2.0", "settings", "keyfile", NULL);
  g_autofree char *gateway = g_strconcat (proxy_url, "/gateway.do", NULL);
  g_autoptr (GSettingsBackend) backend = NULL;
  g_autoptr (GSettings) settings = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_mkdir_with_parents (dir, 0700);
  backend = g_keyfile_settings_backend_new (path, "/", NULL);
  settings = g_settings_new_with_backend (APPLICATION_ID, backend);
  till_test_app_paysim_settings (settings, sim);
  g_settings_set_string (settings, "api-base-url", proxy_url);
  g_settings_set_string (settings, "alipay-gateway-url", gateway);
  g_settings_set_boolean (settings, "require-sign-in", TRUE);
  g_settings_set_boolean (settings, "customer-display-fullscreen", FALSE);
  /* The keys come 2 ms apart, but on a loaded machine the X server itself may stall for
   * more than the default 30 ms between two of them, and the scan would be split into typing
   * and a shorter scan; a wider threshold only decides what is a scan (it ends on Return,
   * at once), it adds no time. */
  g_settings_set_uint (settings, "wedge-threshold-ms", 150);
  g_settings_sync ();
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    die ("the settings keyfile %s was not written", path);
}

/* ---- the bare floor: the window's socket, a commit ---------------------------------------- */

static int bare_socket = -1;

static void
bare_connect (guint16 port)
{
  struct sockaddr_in addr = { 0 };

  addr.sin_family = AF_INET;
  addr.sin_port = htons (port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  bare_socket = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (bare_socket < 0 || connect (bare_socket, (struct sockaddr *)&addr, sizeof addr) != 0)
    die ("cannot connect to the bare window's port %u: %s", port, g_strerror (errno));
}

typedef struct
{
  char *path;
  sqlite3 *db;
  sqlite3_stmt *insert;
} BareCommit;

static void
bare_commit_open (BareCommit *bc, const char *dir)
{
  char *err = NULL;

  bc->path = g_build_filename (dir, "bare-commit.db", NULL);
  g_unlink (bc->path);
  if (sqlite3_open (bc->path, &bc->db) != SQLITE_OK
      || sqlite3_exec (bc->db,
                       "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                       " CREATE TABLE t (id INTEGER PRIMARY KEY, at INTEGER, note TEXT)",
                       NULL, NULL, &err)
             != SQLITE_OK
      || sqlite3_prepare_v2 (bc->db, "INSERT INTO t (at, note) VALUES (?1, 'a sale paid')", -1,
                             &bc->insert, NULL)
             != SQLITE_OK)
    die ("the bare commit's database: %s", err ? err : sqlite3_errmsg (bc->db));
}

static gint64
bare_commit (BareCommit *bc)
{
  gint64 t0 = till_bench_now_ns ();

  sqlite3_bind_int64 (bc->insert, 1, t0);
  if (sqlite3_step (bc->insert) != SQLITE_DONE)
    die ("the bare commit: %s", sqlite3_errmsg (bc->db));
  sqlite3_reset (bc->insert);
  return till_bench_now_ns () - t0;
}

static void
bare_commit_close (BareCommit *bc)
{
  sqlite3_finalize (bc->insert);
  sqlite3_close (bc->db);
  for (const char *const *suffix = (const char *const[]){ "", "-wal", "-shm", NULL }; *suffix;
       suffix++)
    {
      g_autofree char *f = g_strconcat (bc->path, *suffix, NULL);
      g_unlink (f);
    }
  g_free (bc->path);
}

/* ---- matching frames ------------------------------------------------------------------------ */

typedef struct
{
  const char *window;  /* "cashier", "display", "bare" */
  const char *sale;    /* the sale shown; NULL: any but `not_sale` */
  const char *not_sale;
  const char *state;
  guint lines;         /* 0: any */
  gboolean bottom;     /* scrolled to the end */
  gint64 after_ns;
  guint msgs;          /* bare: socket lines; 0: any */
} Want;

static gboolean
frame_matches (const Frame *f, gconstpointer data)
{
  const Want *w = data;

  return strcmp (f->name, w->window) == 0 && f->t_ns >= w->after_ns
         && (w->sale == NULL || strcmp (f->sale, w->sale) == 0)
         && (w->not_sale == NULL || strcmp (f->sale, w->not_sale) != 0)
         && (w->state == NULL || strcmp (f->state, w->state) == 0)
         && (w->lines == 0 || f->lines == w->lines) && (!w->bottom || f->bottom == 1)
         && (w->msgs == 0 || f->msgs == w->msgs);
}

/* ---- the run -------------------------------------------------------------------------------- */

typedef struct
{
  TillBenchTiming *bare_key;       /* bare: Return -> frame with the line */
  TillBenchTiming *cart_model;     /* Return -> first cashier frame with the line (maybe out of view) */
  TillBenchTiming *cart;           /* Return -> cashier frame with the line in view */
  TillBenchTiming *display;        /* Return -> display frame with the line and the total */
  TillBenchTiming *to_request;     /* payment code's Return -> request at the simulator */
  TillBenchTiming *paid_cashier;   /* answer -> cashier frame "paid" */
  TillBenchTiming *paid_display;   /* answer -> display frame "paid" */
  TillBenchTiming *paid_both;      /* answer -> the later of the two */
  TillBenchTiming *bare_socket;    /* bytes written to the bare window's socket -> its frame */
  TillBenchTiming *bare_commit;    /* a bare commit */
  TillBenchTiming *pay_total;      /* payment code's Return -> both "paid" */
  guint n_password;       /* payments whose customer was asked for a password */
} Run;

typedef struct
{
  GRand *rand;
  GHashTable *in_sale;    /* product indexes in the open sale */
  char sale[48];          /* the open sale's number ("" before the first line) */
  char paid_sale[48];     /* the last sale paid */
  guint lines;            /* in the open sale */
  guint bare_lines;
  guint bare_msgs;
  guint payments;
  Window cashier, bare;
  BareCommit commit;
} State;

static void
next_product (State *st, char code[14])
{
  guint64 i;

  do
    i = (guint64)g_rand_int_range (st->rand, 0, TILL_BENCH_SHOP_PRODUCTS);
  while (g_hash_table_contains (st->in_sale, GSIZE_TO_POINTER (i + 1)));
  g_hash_table_add (st->in_sale, GSIZE_TO_POINTER (i + 1));
  till_bench_shop_product_code (i, code);
}

/* One scan at the till; recorded in `run` when it is not NULL. */
static void
till_scan (State *st, Run *run)
{
  char code[14];
  guint mark = till_proc->frames->len;
  Want want = { .state = "open", .lines = st->lines + 1 };
  Frame cart_model, cart, display;
  gint64 t0;

  next_product (st, code);
  t0 = x_scan (code, KEY_GAP_MS);
  note_event (t0, "till: Return after %s (line %u)", code, st->lines + 1);
  want.after_ns = t0;
  if (st->lines == 0)
    want.not_sale = st->paid_sale[0] != '\0' ? st->paid_sale : NULL;
  else
    want.sale = st->sale;

  want.window = "cashier";
  cart_model = proc_wait_frame (till_proc, mark, frame_matches, &want, FRAME_MS,
                                "the cashier's frame with the new line");
  want.bottom = TRUE;
  cart = proc_wait_frame (till_proc, mark, frame_matches, &want, FRAME_MS,
                          "the cashier's frame with the new line in view");
  want.window = "display";
  want.sale = cart.sale;
  display = proc_wait_frame (till_proc, mark, frame_matches, &want, FRAME_MS,
                             "the customer display's frame with the new line");
  if (display.total != cart.total)
    die ("the customer display painted a total of %" G_GINT64_FORMAT " fen, the cashier's "
         "window %" G_GINT64_FORMAT " fen, for %u lines",
         display.total, cart.total, cart.lines);
  g_strlcpy (st->sale, cart.sale, sizeof st->sale);
  st->lines++;
  if (run != NULL)
    {
      till_bench_timing_add (run->cart_model, cart_model.t_ns - t0);
      till_bench_timing_add (run->cart, cart.t_ns - t0);
      till_bench_timing_add (run->display, display.t_ns - t0);
    }
  proc_settle (till_proc, 40);
}

/* The open sale paid by a payment code typed as a scan; recorded when run is not NULL. */
static void
till_pay (State *st, Run *run)
{
  g_autofree char *code = st->payments % 2 == 0 ? till_test_paysim_auth_code ("0000")
                                                : till_test_paysim_alipay_auth_code ("0000");
  guint mark = till_proc->frames->len;
  guint proxy_mark = till_bench_proxy_mark ();
  Want want = { .sale = st->sale, .state = "paid" };
  TillBenchExchange e, answer;
  Frame cashier, display;
  gint64 t0, until;

  t0 = x_scan (code, KEY_GAP_MS);
  note_event (t0, "till: Return after payment code %s", code);
  want.after_ns = t0;
  want.window = "cashier";
  cashier = proc_wait_frame (till_proc, mark, frame_matches, &want, PAID_MS,
                             "the cashier's frame with the sale paid");
  want.window = "display";
  display = proc_wait_frame (till_proc, mark, frame_matches, &want, PAID_MS,
                             "the customer display's frame with the sale paid");
  until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!till_bench_proxy_find_pay (proxy_mark, &e))
    {
      if (g_get_monotonic_time () > until)
        die ("the pay request of sale %s did not pass the proxy", st->sale);
      proc_read (till_proc, 10);
    }
  /* The answer the till acted on: the pay request's, or (a password asked above
   * ¥1,000 by Alipay's simulator) the query's that said paid. */
  if (!till_bench_proxy_find_last_answer (proxy_mark, MIN (cashier.t_ns, display.t_ns), &answer))
    die ("no answer of the simulator came before sale %s was painted paid", st->sale);
  note_event (e.request_last_ns, "proxy: pay request arrived");
  note_event (e.answer_first_ns, "proxy: simulator's answer begins");
  note_event (e.answer_last_ns, "proxy: answer's last byte gone to the till");
  if (answer.answer_last_ns != e.answer_last_ns)
    note_event (answer.answer_last_ns, "proxy: the answer saying paid gone to the till");
  if (run != NULL)
    {
      if (answer.answer_last_ns != e.answer_last_ns)
        run->n_password++;
      till_bench_timing_add (run->to_request, e.request_last_ns - t0);
      till_bench_timing_add (run->paid_cashier, cashier.t_ns - answer.answer_last_ns);
      till_bench_timing_add (run->paid_display, display.t_ns - answer.answer_last_ns);
      till_bench_timing_add (run->paid_both, MAX (cashier.t_ns, display.t_ns) - answer.answer_last_ns);
      till_bench_timing_add (run->pay_total, MAX (cashier.t_ns, display.t_ns) - t0);
    }
  g_strlcpy (st->paid_sale, st->sale, sizeof st->paid_sale);
  st->sale[0] = '\0';
  st->lines = 0;
  st->payments++;
  g_hash_table_remove_all (st->in_sale);
  proc_settle (till_proc, 40);
}

/* The same keys into the bare window's entry. */
static void
bare_scan (State *st, Run *run)
{
  char code[14];
  guint mark = bare_proc->frames->len;
  Want want = { .window = "bare", .lines = st->bare_lines + 1 };
  Frame f;
  gint64 t0;

  till_bench_shop_product_code ((guint64)g_rand_int_range (st->rand, 0, TILL_BENCH_SHOP_PRODUCTS),
                                code);
  t0 = x_scan (code, KEY_GAP_MS);
  note_event (t0, "bare: Return after %s", code);
  want.after_ns = t0;
  f = proc_wait_frame (bare_proc, mark, frame_matches, &want, FRAME_MS,
                       "the bare window's frame with the line");
  st->bare_lines++;
  if (run != NULL)
    till_bench_timing_add (run->bare_key, f.t_ns - t0);
  proc_settle (bare_proc, 40);
}

/* A line on the bare window's socket to its frame, and a bare commit: the floor of a paid
 * answer painted. */
static void
bare_answer (State *st, Run *run)
{
  static const char line[] = "paid\n";
  guint mark = bare_proc->frames->len;
  Want want = { .window = "bare", .msgs = st->bare_msgs + 1 };
  Frame f;
  gint64 t0, commit_ns;

  commit_ns = bare_commit (&st->commit);
  if (write (bare_socket, line, sizeof line - 1) != (gssize)(sizeof line - 1))
    die ("cannot write to the bare window's socket: %s", g_strerror (errno));
  t0 = till_bench_now_ns ();
  note_event (t0, "bare: line written to the socket");
  want.after_ns = t0;
  f = proc_wait_frame (bare_proc, mark, frame_matches, &want, FRAME_MS,
                       "the bare window's frame with the socket's line");
  st->bare_msgs++;
  if (run != NULL)
    {
      till_bench_timing_add (run->bare_socket, f.t_ns - t0);
      till_bench_timing_add (run->bare_commit, commit_ns);
    }
  proc_settle (bare_proc, 40);
}

static void
focus_till (State *st)
{
  x_focus (st->cashier);
  proc_settle (till_proc, 80);
}

static void
focus_bare (State *st)
{
  x_focus (st->bare);
  proc_settle (bare_proc, 80);
}

/* The cashier signs in at the start with real keys: the sign-in window opens on its PIN
 * entry with the first name of the list chosen (小李, the names sort so); Shift+Tab twice
 * to the names, Space opens them, Down to the second (小王), Return chooses it; Tab twice
 * back to the PIN, then the PIN and Return (the float left empty). */
static void
sign_in (void)
{
  Window signin = x_wait_window (till_proc, "Sign in", START_MS);
  gint64 until = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  /* the people are loaded on the store thread; then the PIN entry has the focus */
  proc_settle (till_proc, 300);
  x_focus (signin);
  g_usleep (200 * 1000);
  x_key_slow (XK_Tab, TRUE);
  x_key_slow (XK_Tab, TRUE);
  x_key_slow (XK_space, FALSE);
  x_key_slow (XK_Down, FALSE);
  x_key_slow (XK_Return, FALSE);
  x_key_slow (XK_Tab, FALSE);
  x_key_slow (XK_Tab, FALSE);
  g_free (x_screenshot ("scan-to-pixels-signin"));
  for (const char *c = TILL_BENCH_SHOP_CASHIER_PIN; *c != '\0'; c++)
    {
      char name[2] = { *c, '\0' };

      x_key (XStringToKeysym (name));
      g_usleep (60 * 1000); /* a person's typing */
    }
  x_key (XK_Return);
  while (x_find_window (till_proc->pid, "Sign in") != None)
    {
      if (g_get_monotonic_time () > until)
        die ("the sign-in window is still open 30 s after the cashier's PIN and Enter");
      proc_read (till_proc, 50);
    }
}

static double
ms (double ns)
{
  return ns / 1e6;
}

static void
print_difference (const char *what, TillBenchStats s, TillBenchStats floor)
{
  double dm = ms (s.median - floor.median), dp = ms (s.p99 - floor.p99);

  g_print ("  %-44s median %+7.2f ms (target <= 16.7: %s), p99 %+7.2f ms (target <= 33.3: %s)\n",
           what, dm, dm <= 16.7 ? "met" : "NOT MET", dp, dp <= 33.3 ? "met" : "NOT MET");
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TillTestPaysim) sim = NULL;
  g_autofree char *cached = NULL, *work_dir = NULL, *data_dir = NULL, *config_dir = NULL;
  g_autofree char *db_path = NULL, *proxy_url = NULL, *data_arg = NULL;
  g_autofree char *till_log = NULL, *bare_log = NULL;
  const char *const sim_args[] = { "--password-delay-ms", "3000", NULL };
  guint scans = 200, payments_extra = 40;
  Run run = {
    .bare_key = till_bench_timing_new ("bare window: Return -> next frame"),
    .cart_model = till_bench_timing_new ("till: Return -> frame with the line (any scroll)"),
    .cart = till_bench_timing_new ("till: Return -> cart line painted in view"),
    .display = till_bench_timing_new ("till: Return -> customer display's total painted"),
    .to_request = till_bench_timing_new ("till: Return -> request at the simulator"),
    .paid_cashier = till_bench_timing_new ("till: answer -> \"paid\" painted, cashier"),
    .paid_display = till_bench_timing_new ("till: answer -> \"paid\" painted, display"),
    .paid_both = till_bench_timing_new ("till: answer -> \"paid\" painted on both"),
    .bare_socket = till_bench_timing_new ("bare window: socket bytes -> next frame"),
    .bare_commit = till_bench_timing_new ("bare commit (WAL, synchronous=FULL)"),
    .pay_total = till_bench_timing_new ("till: Return -> \"paid\" painted on both"),
  };
  State st = { 0 };
  guint total_scans = 0;
  TillBenchStats s_bare, s_cart, s_display, s_sock, s_commit, s_cashier_paid, s_display_paid;
  TillBenchStats s_floor;

  if (argc < 4)
    {
      g_printerr ("Usage: %s DIR TILLPOINT BARE-WINDOW [SCANS]\n", argv[0]);
      return 2;
    }
  if (argc > 4)
    scans = (guint)CLAMP (g_ascii_strtoull (argv[4], NULL, 10), 1, 100000);
  if (g_getenv ("TILL_BENCH_SCANS") != NULL)
    scans = (guint)CLAMP (g_ascii_strtoull (g_getenv ("TILL_BENCH_SCANS"), NULL, 10), 1, 100000);
  if (g_getenv ("DISPLAY") == NULL)
    {
      g_printerr (PROG " needs an X display: run it under xvfb-run (README, Benchmarks)\n");
      return 1;
    }
  xdpy = XOpenDisplay (NULL);
  if (xdpy == NULL)
    die ("cannot open the X display %s", g_getenv ("DISPLAY"));
  XSetErrorHandler (ignore_x_error);
  {
    int ev, er, maj, min;

    if (!XTestQueryExtension (xdpy, &ev, &er, &maj, &min))
      die ("the X server has no XTest extension");
  }

  /* The shop's database, copied; the settings; the simulator behind the proxy. */
  cached = till_bench_shop_ensure (PROG, argv[1]);
  work_dir = g_build_filename (argv[1], "scan-to-pixels-work", NULL);
  events = g_ptr_array_new_with_free_func (g_free);
  dump_path = g_build_filename (work_dir, "trace.txt", NULL);
  data_dir = g_build_filename (work_dir, "data", NULL);
  config_dir = g_build_filename (work_dir, "config", NULL);
  db_path = till_bench_shop_copy (PROG, cached, data_dir);
  sim = till_test_paysim_start (sim_args, &error);
  if (sim == NULL)
    die ("starting the simulator: %s", error->message);
  proxy_url = till_bench_proxy_start (PROG, till_test_paysim_get_port (sim));
  write_settings (config_dir, sim, proxy_url);
  bare_commit_open (&st.commit, argv[1]);

  /* The till and the bare window, side by side for the whole run. */
  till_log = g_build_filename (work_dir, "tillpoint.log", NULL);
  bare_log = g_build_filename (work_dir, "bare-window.log", NULL);
  data_arg = g_strconcat ("--data-dir=", data_dir, NULL);
  {
    const char *const till_env[] = { "GSETTINGS_BACKEND", "keyfile", "XDG_CONFIG_HOME", config_dir,
                                     "TILLPOINT_BENCH_FRAME_TRACE", "1", NULL };
    char *till_argv[] = { argv[2], data_arg, NULL };
    char *bare_argv[] = { argv[3], (char *)"--trace", NULL };
    gint64 until = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    till_proc = proc_spawn ("tillpoint", till_log, till_env, till_argv);
    bare_proc = proc_spawn ("the bare window", bare_log, NULL, bare_argv);
    while (bare_proc->said->len == 0 && !bare_proc->eof && g_get_monotonic_time () < until)
      proc_read (bare_proc, 50);
    if (bare_proc->said->len == 0
        || !g_str_has_prefix (g_ptr_array_index (bare_proc->said, 0), "bare-port "))
      die ("the bare window did not say its port");
    bare_connect ((guint16)g_ascii_strtoull ((char *)g_ptr_array_index (bare_proc->said, 0) + 10,
                                             NULL, 10));
  }
  st.bare = x_wait_window (bare_proc, "Bare window", START_MS);
  sign_in ();
  st.cashier = x_wait_window (till_proc, "Tillpoint Cashier", START_MS);
  x_wait_window (till_proc, "Customer display", START_MS);
  st.rand = g_rand_new_with_seed (20261203);
  st.in_sale = g_hash_table_new (NULL, NULL);

  /* Warm-up, untimed: the first lookups, the first payment of each provider (their
   * connections), the bare window's first frames. The open sale of the shop's database
   * (if any) is paid first. */
  focus_till (&st);
  for (guint i = 0; i < 4; i++)
    {
      till_scan (&st, NULL);
      till_scan (&st, NULL);
      till_pay (&st, NULL);
    }
  focus_bare (&st);
  for (guint i = 0; i < 5; i++)
    {
      bare_scan (&st, NULL);
      bare_answer (&st, NULL);
    }

  /* Blocks of a sale of 25 lines at the till, paid, then 25 scans into the bare window. */
  while (total_scans < scans)
    {
      guint n = MIN (BLOCK_LINES, scans - total_scans);

      focus_till (&st);
      for (guint i = 0; i < n; i++)
        till_scan (&st, &run);
      till_pay (&st, &run);
      focus_bare (&st);
      for (guint i = 0; i < n; i++)
        bare_scan (&st, &run);
      bare_answer (&st, &run);
      total_scans += n;
    }
  /* More payments, each on a sale of 2 lines, each beside a bare answer. */
  focus_till (&st);
  for (guint i = 0; i < payments_extra; i++)
    {
      till_scan (&st, NULL);
      till_scan (&st, NULL);
      till_pay (&st, &run);
      bare_answer (&st, &run);
    }

  g_print ("scan to pixels: %u wedge scans (13 digits %u ms apart, Return) of random products "
           "of %u, a sale paid every %u lines; tillpoint on the shop's database beside a bare "
           "GTK 4 window, one run\n",
           scans, KEY_GAP_MS, TILL_BENCH_SHOP_PRODUCTS, BLOCK_LINES);
  s_bare = till_bench_timing_print_ms (run.bare_key, 52);
  till_bench_timing_print_ms (run.cart_model, 52);
  s_cart = till_bench_timing_print_ms (run.cart, 52);
  s_display = till_bench_timing_print_ms (run.display, 52);
  print_difference ("cart line - bare:", s_cart, s_bare);
  print_difference ("customer display - bare:", s_display, s_bare);

  g_print ("answer to \"paid\" painted: %u payments by payment codes typed as scans (WeChat Pay "
           "and Alipay in turn) through a loopback proxy that notes when the simulator's answer "
           "left for the till (%u of them asked for the password: from the answer of the "
           "query that said paid)\n",
           run.paid_both->ns->len, run.n_password);
  till_bench_timing_print_ms (run.to_request, 52);
  s_cashier_paid = till_bench_timing_print_ms (run.paid_cashier, 52);
  s_display_paid = till_bench_timing_print_ms (run.paid_display, 52);
  till_bench_timing_print_ms (run.paid_both, 52);
  till_bench_timing_print_ms (run.pay_total, 52);
  s_sock = till_bench_timing_print_ms (run.bare_socket, 52);
  s_commit = till_bench_timing_print_ms (run.bare_commit, 52);
  {
    /* the floor: a bare commit and a bare window's socket-to-frame, sample by sample */
    g_autoptr (GArray) floor = g_array_new (FALSE, FALSE, sizeof (gint64));
    TillBenchTiming t = { "floor: bare commit + bare socket -> frame", floor };

    for (guint i = 0; i < run.bare_socket->ns->len; i++)
      {
        gint64 v = g_array_index (run.bare_socket->ns, gint64, i)
                   + g_array_index (run.bare_commit->ns, gint64, i);
        g_array_append_val (floor, v);
      }
    s_floor = till_bench_timing_print_ms (&t, 52);
  }
  print_difference ("\"paid\" cashier - floor:", s_cashier_paid, s_floor);
  print_difference ("\"paid\" display - floor:", s_display_paid, s_floor);
  (void)s_sock;
  (void)s_commit;

  dump_trace ();
  g_print ("every frame of both programs and the benchmark's keys, in time order (µs): %s\n",
           dump_path);
  {
    g_autofree char *shot = x_screenshot ("scan-to-pixels-end");

    g_print ("the screen at the end: %s\n", shot != NULL ? shot : "(no screenshot)");
  }
  proc_stop (till_proc);
  proc_stop (bare_proc);
  bare_commit_close (&st.commit);
  close (bare_socket);
  /* the copy of the shop's database (800 MB) goes; the trace and the logs stay */
  for (const char *const *suffix = (const char *const[]){ "", "-wal", "-shm", NULL }; *suffix;
       suffix++)
    {
      g_autofree char *f = g_strconcat (db_path, *suffix, NULL);
      g_unlink (f);
    }
  g_rand_free (st.rand);
  g_hash_table_unref (st.in_sale);
  XCloseDisplay (xdpy);
  return 0;
}
