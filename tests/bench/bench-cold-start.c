/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: cold start to first frame of `tillpoint --demo` beside a bare GTK 4 window. */
#define G_LOG_DOMAIN "till-bench"
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "till-bench-stats.h"

/* Usage: bench-cold-start TILLPOINT BARE-WINDOW [REPETITIONS]
 *
 * Each repetition starts, one after the other:
 *   bare   - the bare window program;
 *   fresh  - tillpoint --demo --data-dir=<new empty dir> (creates the database and the
 *            demo catalog: a shop's first start);
 *   reused - tillpoint --demo --data-dir=<a dir used before> (an ordinary morning start).
 * For each it records the wall time from spawn to the "first-frame-us" line (exec, dynamic
 * linking and all) and the time the program measured itself (from its first constructor).
 * One untimed warm-up of each comes first, so the page cache is warm: this measures the
 * start of a new process, not disk reads. Run it on a display (Xvfb: build-aux/dev bench). */

#define FIRST_FRAME_TIMEOUT_US (60 * G_USEC_PER_SEC)
#define EXIT_TIMEOUT_US        (10 * G_USEC_PER_SEC)

typedef struct
{
  const char *label;
  GArray     *wall_us;     /* gint64 */
  GArray     *self_us;     /* gint64 */
  guint       failures;
} Series;

static void
series_init (Series     *series,
             const char *label)
{
  series->label = label;
  series->wall_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  series->self_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  series->failures = 0;
}

static double
median_ms (GArray *values)
{
  return till_bench_stats (values).median / 1000.0;
}

static double
extreme_ms (GArray  *values,
            gboolean max)
{
  TillBenchStats s = till_bench_stats (values);
  return (max ? s.max : s.min) / 1000.0;
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
          if (g_file_test (child, G_FILE_TEST_IS_DIR)
              && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            rm_rf (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

static void
wait_for_exit (GPid        pid,
               const char *label)
{
  gint64 deadline = g_get_monotonic_time () + EXIT_TIMEOUT_US;
  int status = 0;

  for (;;)
    {
      pid_t r = waitpid (pid, &status, WNOHANG);
      if (r == pid)
        break;
      if (r < 0 && errno != EINTR)
        return;
      if (g_get_monotonic_time () > deadline)
        {
          g_printerr ("%s: did not quit after its first frame; killing it\n", label);
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
          return;
        }
      g_usleep (2000);
    }
  if (WIFSIGNALED (status))
    g_printerr ("%s: killed by signal %d after its first frame\n", label, WTERMSIG (status));
}

/* Runs argv once; on success appends to the series and returns TRUE. */
static gboolean
run_once (Series      *series,
          char       **argv,
          gboolean     record)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GString) out = g_string_new (NULL);
  GPid pid;
  int out_fd = -1;
  gint64 start, wall = -1, self = -1;
  gint64 deadline;
  const char *why = "no first frame reported within the time limit";

  envp = g_environ_setenv (envp, "TILLPOINT_BENCH_FIRST_FRAME", "1", TRUE);
  start = g_get_monotonic_time ();
  if (!g_spawn_async_with_pipes (NULL, argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                 &pid, NULL, &out_fd, NULL, &error))
    {
      g_printerr ("%s: cannot start %s: %s\n", series->label, argv[0], error->message);
      series->failures++;
      return FALSE;
    }

  deadline = start + FIRST_FRAME_TIMEOUT_US;
  while (wall < 0)
    {
      struct pollfd pfd = { .fd = out_fd, .events = POLLIN };
      gint64 left = deadline - g_get_monotonic_time ();
      char buf[512];
      const char *line;
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
          why = "exited (or closed its stdout) without reporting a first frame";
          break;
        }
      g_string_append_len (out, buf, n);
      line = strstr (out->str, "first-frame-us ");
      if (line != NULL && strchr (line, '\n') != NULL)
        {
          wall = g_get_monotonic_time () - start;
          self = g_ascii_strtoll (line + strlen ("first-frame-us "), NULL, 10);
        }
    }
  close (out_fd);

  if (wall < 0)
    {
      g_printerr ("%s: %s %s\n", series->label, argv[0], why);
      kill (pid, SIGKILL);
      waitpid (pid, NULL, 0);
      g_spawn_close_pid (pid);
      series->failures++;
      return FALSE;
    }
  wait_for_exit (pid, series->label);
  g_spawn_close_pid (pid);

  if (record)
    {
      g_array_append_val (series->wall_us, wall);
      g_array_append_val (series->self_us, self);
    }
  return TRUE;
}

static void
print_series (Series *s)
{
  if (s->wall_us->len == 0)
    {
      g_print ("  %-8s no successful run (%u failures)\n", s->label, s->failures);
      return;
    }
  g_print ("  %-8s spawn-to-first-frame median %7.1f ms (min %7.1f, max %7.1f);"
           " in-process median %7.1f ms; n=%u%s\n",
           s->label, median_ms (s->wall_us), extreme_ms (s->wall_us, FALSE),
           extreme_ms (s->wall_us, TRUE), median_ms (s->self_us), s->wall_us->len,
           s->failures ? " (with failures)" : "");
}

int
main (int   argc,
      char *argv[])
{
  const char *tillpoint, *bare;
  guint reps = 7;
  Series s_bare, s_fresh, s_reused;
  g_autofree char *reused_dir = NULL;
  g_autofree char *reused_arg = NULL;
  g_autoptr(GError) error = NULL;
  gboolean tillpoint_ok = TRUE;

  if (argc < 3)
    {
      g_printerr ("Usage: %s TILLPOINT BARE-WINDOW [REPETITIONS]\n", argv[0]);
      return 2;
    }
  tillpoint = argv[1];
  bare = argv[2];
  if (argc > 3)
    reps = (guint) CLAMP (g_ascii_strtoull (argv[3], NULL, 10), 1, 1000);
  if (g_getenv ("TILL_BENCH_REPS") != NULL)
    reps = (guint) CLAMP (g_ascii_strtoull (g_getenv ("TILL_BENCH_REPS"), NULL, 10), 1, 1000);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("bench-cold-start needs a display: run it with `build-aux/dev bench`, "
                  "which starts Xvfb\n");
      return 1;
    }

  series_init (&s_bare, "bare");
  series_init (&s_fresh, "fresh");
  series_init (&s_reused, "reused");

  reused_dir = g_dir_make_tmp ("tillpoint-bench-XXXXXX", &error);
  g_assert_no_error (error);
  reused_arg = g_strconcat ("--data-dir=", reused_dir, NULL);

  {
    char *bare_argv[] = { (char *) bare, NULL };
    char *reused_argv[] = { (char *) tillpoint, (char *) "--demo", reused_arg, NULL };

    /* Warm-up, untimed: page cache, fontconfig cache, and the reused data dir. */
    run_once (&s_bare, bare_argv, FALSE);
    if (!run_once (&s_reused, reused_argv, FALSE))
      tillpoint_ok = FALSE;

    for (guint i = 0; i < reps; i++)
      {
        g_autofree char *fresh_dir = g_dir_make_tmp ("tillpoint-bench-XXXXXX", NULL);
        g_autofree char *fresh_arg = g_strconcat ("--data-dir=", fresh_dir, NULL);
        char *fresh_argv[] = { (char *) tillpoint, (char *) "--demo", fresh_arg, NULL };

        run_once (&s_bare, bare_argv, TRUE);
        if (tillpoint_ok)
          {
            run_once (&s_fresh, fresh_argv, TRUE);
            run_once (&s_reused, reused_argv, TRUE);
          }
        rm_rf (fresh_dir);
      }
  }
  rm_rf (reused_dir);

  g_print ("cold start to first frame, %u repetitions (warm page cache):\n", reps);
  print_series (&s_bare);
  print_series (&s_fresh);
  print_series (&s_reused);
  if (s_bare.wall_us->len > 0 && s_fresh.wall_us->len > 0 && s_reused.wall_us->len > 0)
    {
      double bare_ms = median_ms (s_bare.wall_us);
      g_print ("  ratio tillpoint/bare (medians, spawn-to-first-frame): fresh %.2fx, reused %.2fx\n",
               median_ms (s_fresh.wall_us) / bare_ms, median_ms (s_reused.wall_us) / bare_ms);
    }
  if (!tillpoint_ok || s_fresh.wall_us->len == 0)
    {
      g_printerr ("tillpoint never reported a first frame: is till_first_frame_watch() "
                  "called on the cashier window (src/ui/widgets/till-first-frame.h)?\n");
      return 1;
    }
  return (s_bare.failures + s_fresh.failures + s_reused.failures) ? 1 : 0;
}
