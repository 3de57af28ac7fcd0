/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Crash points: SIGKILL at a named point when TILLPOINT_CRASH_AT asks for it (test builds
 * only). */
#define G_LOG_DOMAIN "till-crash"

#include "config.h"

#include "till-crash.h"

#if TILL_TEST_BUILD

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static GMutex      crash_lock;
static gboolean    parsed;
static char       *armed_name;     /* NULL = no crash asked for */
static guint       armed_hit = 1;
static GHashTable *hits;           /* name -> GUINT_TO_POINTER (count) */
static gboolean    deferred_armed;

static void
parse_env_locked (void)
{
  const char *env;
  const char *colon;

  if (parsed)
    return;
  parsed = TRUE;
  hits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  env = g_getenv (TILL_CRASH_ENV);
  if (env == NULL || *env == '\0')
    return;
  colon = strrchr (env, ':');
  if (colon != NULL)
    {
      guint64 n = g_ascii_strtoull (colon + 1, NULL, 10);

      armed_name = g_strndup (env, colon - env);
      armed_hit = n > 0 ? (guint) n : 1;
    }
  else
    armed_name = g_strdup (env);
}

/* Counts a pass; TRUE when this pass is the armed one. */
static gboolean
count_hit (const char *name)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&crash_lock);
  guint n;

  parse_env_locked ();
  n = GPOINTER_TO_UINT (g_hash_table_lookup (hits, name)) + 1;
  g_hash_table_replace (hits, g_strdup (name), GUINT_TO_POINTER (n));
  return armed_name != NULL && g_str_equal (armed_name, name) && n == armed_hit;
}

static G_NORETURN void
die (const char *name,
     const char *how)
{
  char line[256];
  int len = snprintf (line, sizeof line, "crash point %s (%s): SIGKILL\n", name, how);

  /* Async-signal-safe: this may run on the deferred thread. */
  if (len > 0)
    {
      ssize_t ignored = write (STDERR_FILENO, line, (size_t) MIN (len, (int) sizeof line - 1));
      (void) ignored;
    }
  raise (SIGKILL);
  abort ();
}

void
till_crash_point (const char *name)
{
  g_return_if_fail (name != NULL);
  if (count_hit (name))
    die (name, "now");
}

typedef struct
{
  char  *name;
  guint  delay_ms;
} Deferred;

static gpointer
deferred_thread (gpointer data)
{
  Deferred *d = data;

  g_usleep ((gulong) d->delay_ms * 1000);
  die (d->name, "deferred");
}

void
till_crash_point_deferred (const char *name,
                           guint       delay_ms)
{
  Deferred *d;

  g_return_if_fail (name != NULL);
  if (!count_hit (name))
    return;
  g_mutex_lock (&crash_lock);
  deferred_armed = TRUE;
  g_mutex_unlock (&crash_lock);
  d = g_new0 (Deferred, 1);
  d->name = g_strdup (name);
  d->delay_ms = delay_ms;
  g_thread_unref (g_thread_new ("till-crash", deferred_thread, d));
}

void
till_crash_point_check_deferred (const char *name)
{
  gboolean now;

  g_return_if_fail (name != NULL);
  g_mutex_lock (&crash_lock);
  now = deferred_armed && armed_name != NULL && g_str_equal (armed_name, name);
  g_mutex_unlock (&crash_lock);
  if (now)
    die (name, "at the answer");
}

guint
till_crash_point_hits (const char *name)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&crash_lock);

  parse_env_locked ();
  return GPOINTER_TO_UINT (g_hash_table_lookup (hits, name));
}

#endif /* TILL_TEST_BUILD */
