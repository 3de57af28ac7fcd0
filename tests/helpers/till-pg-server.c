/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper: a private PostgreSQL cluster on a Unix socket in a temporary directory. */
#define G_LOG_DOMAIN "till-test"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>

#include <gio/gio.h>

#include "till-pg-server.h"

struct _TillPgServer
{
  char    *bindir;
  char    *dir;       /* the socket's directory; the cluster is dir/data */
  char    *datadir;
  char    *logfile;
  char    *uri;
  gboolean as_postgres;
  gboolean running;
  guint    port;      /* 0: the default (5432), the socket only; else TCP on 127.0.0.1 too */
  char    *tls_dir;   /* the server's certificate and key, when TLS is on */
};

char *
till_pg_server_find_bindir (void)
{
  const char *env = g_getenv ("TILL_PG_BINDIR");
  g_autoptr(GDir) versions = NULL;
  g_autofree char *best = NULL;
  const char *name;
  gint64 best_version = -1;

  if (env != NULL && *env != '\0')
    {
      g_autofree char *initdb = g_build_filename (env, "initdb", NULL);

      return g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE) ? g_strdup (env) : NULL;
    }
  versions = g_dir_open ("/usr/lib/postgresql", 0, NULL);
  if (versions == NULL)
    return NULL;
  while ((name = g_dir_read_name (versions)) != NULL)
    {
      g_autofree char *bindir = g_build_filename ("/usr/lib/postgresql", name, "bin", NULL);
      g_autofree char *initdb = g_build_filename (bindir, "initdb", NULL);
      g_autofree char *pg_ctl = g_build_filename (bindir, "pg_ctl", NULL);
      gint64 version = g_ascii_strtoll (name, NULL, 10);

      if (version > best_version && g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE)
          && g_file_test (pg_ctl, G_FILE_TEST_IS_EXECUTABLE))
        {
          best_version = version;
          g_free (best);
          best = g_steal_pointer (&bindir);
        }
    }
  return g_steal_pointer (&best);
}

/* Runs bindir/program with `args`, as `postgres` when we are root. stdout and stderr go to
 * /dev/null when `quiet` (pg_ctl start: the server it leaves behind must not hold our
 * pipes), else they are kept for the error. */
static gboolean
run_tool (TillPgServer *self,
          const char   *program,
          const char  **args,
          gboolean      quiet,
          GError      **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) spawn_error = NULL;
  int status = 0;

  if (self->as_postgres)
    {
      g_ptr_array_add (argv, g_strdup ("runuser"));
      g_ptr_array_add (argv, g_strdup ("-u"));
      g_ptr_array_add (argv, g_strdup ("postgres"));
      g_ptr_array_add (argv, g_strdup ("--"));
    }
  g_ptr_array_add (argv, g_build_filename (self->bindir, program, NULL));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (self->dir, (char **) argv->pdata, NULL,
                     G_SPAWN_SEARCH_PATH
                       | (quiet ? G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL : 0),
                     NULL, NULL, quiet ? NULL : &out, quiet ? NULL : &err, &status,
                     &spawn_error)
      || !g_spawn_check_wait_status (status, &spawn_error))
    {
      g_autofree char *log = NULL;

      if (quiet)
        g_file_get_contents (self->logfile, &log, NULL, NULL);
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "%s failed: %s\n%s%s%s",
                   program, spawn_error->message, out != NULL ? out : "",
                   err != NULL ? err : "", log != NULL ? log : "");
      return FALSE;
    }
  return TRUE;
}

static gboolean
hand_to_postgres (const char  *path,
                  GError     **error)
{
  struct passwd *pw = getpwnam ("postgres");

  if (pw == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   "running as root, and there is no `postgres` user to run PostgreSQL as "
                   "(PostgreSQL refuses root)");
      return FALSE;
    }
  if (chown (path, pw->pw_uid, pw->pw_gid) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "chown %s to postgres: %s", path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* A test that fails an assertion aborts without freeing its server: a watchdog process
 * waits for the test's process to end, then stops the server if it still runs and removes
 * the directory (after a clean till_pg_server_free() there is nothing left to do). */
static void
start_watchdog (TillPgServer *self)
{
  static const char script[] =
    "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done;"
    " if [ -f \"$3/postmaster.pid\" ]; then"
    "  if [ \"$5\" = 1 ]; then runuser -u postgres -- \"$2\" stop -D \"$3\" -m immediate;"
    "  else \"$2\" stop -D \"$3\" -m immediate; fi;"
    " fi >/dev/null 2>&1; rm -rf \"$4\"";
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  g_autofree char *pg_ctl = g_build_filename (self->bindir, "pg_ctl", NULL);
  const char *argv[] = { "/bin/sh", "-c", script, "till-pg-watchdog", pid, pg_ctl,
                         self->datadir, self->dir, self->as_postgres ? "1" : "0", NULL };
  g_autoptr(GError) error = NULL;

  if (!g_spawn_async (NULL, (char **) argv, NULL,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL
                        | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, NULL, &error))
    g_warning ("No watchdog for the test's PostgreSQL server: %s", error->message);
}

TillPgServer *
till_pg_server_new (GError **error)
{
  g_autoptr(TillPgServer) self = g_new0 (TillPgServer, 1);
  const char *initdb_args[] = { "-D", NULL, "-U", "till", "-A", "trust", "-E", "UTF8",
                                "--locale=C", "--no-sync", "--no-instructions", NULL };

  self->bindir = till_pg_server_find_bindir ();
  if (self->bindir == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   "PostgreSQL's server is not installed (no /usr/lib/postgresql/*/bin/initdb)");
      return NULL;
    }
  self->dir = g_dir_make_tmp ("till-pg-XXXXXX", error);
  if (self->dir == NULL)
    return NULL;
  self->datadir = g_build_filename (self->dir, "data", NULL);
  self->logfile = g_build_filename (self->dir, "server.log", NULL);
  self->as_postgres = getuid () == 0;
  if (self->as_postgres && !hand_to_postgres (self->dir, error))
    return NULL;

  start_watchdog (self);
  initdb_args[1] = self->datadir;
  if (!run_tool (self, "initdb", initdb_args, FALSE, error))
    return NULL;
  if (!till_pg_server_start (self, error))
    return NULL;
  self->uri = till_pg_server_get_uri_for (self, "postgres");
  return g_steal_pointer (&self);
}

char *
till_pg_server_get_uri_for (TillPgServer *self,
                            const char   *dbname)
{
  g_autofree char *escaped = g_uri_escape_string (self->dir, NULL, FALSE);

  if (self->port != 0)
    return g_strdup_printf ("postgresql:///%s?host=%s&port=%u&user=till", dbname, escaped,
                            self->port);
  return g_strdup_printf ("postgresql:///%s?host=%s&user=till", dbname, escaped);
}

char *
till_pg_server_new_database (TillPgServer *self,
                             const char   *dbname,
                             GError      **error)
{
  g_autofree char *sql = NULL;
  PGconn *conn;
  PGresult *result;
  gboolean ok;

  for (const char *p = dbname; *p; p++)
    g_return_val_if_fail (g_ascii_isalnum (*p) || *p == '_', NULL);
  conn = PQconnectdb (self->uri);
  sql = g_strdup_printf ("CREATE DATABASE %s", dbname);
  result = PQstatus (conn) == CONNECTION_OK ? PQexec (conn, sql) : NULL;
  ok = result != NULL && PQresultStatus (result) == PGRES_COMMAND_OK;
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "CREATE DATABASE %s: %s", dbname,
                 PQerrorMessage (conn));
  PQclear (result);
  PQfinish (conn);
  return ok ? till_pg_server_get_uri_for (self, dbname) : NULL;
}

const char *
till_pg_server_get_uri (TillPgServer *self)
{
  return self->uri;
}

gboolean
till_pg_server_start (TillPgServer *self,
                      GError      **error)
{
  /* Only the socket in our directory (no TCP). fsync off: a test cluster, and a server
   * stopped with `-m immediate` loses nothing the kernel holds; synchronous_commit stays
   * on, so a commit has written its WAL before it returns (a crash keeps it). */
  g_autofree char *options = NULL;

  if (self->tls_dir != NULL)
    options = g_strdup_printf ("-k %s -c listen_addresses=127.0.0.1 -c port=%u -c fsync=off"
                               " -c ssl=on -c ssl_cert_file=%s/server.crt"
                               " -c ssl_key_file=%s/server.key",
                               self->dir, self->port, self->tls_dir, self->tls_dir);
  else
    options = g_strdup_printf ("-k %s -c listen_addresses= -c fsync=off", self->dir);
  const char *args[] = { "start", "-w", "-t", "30", "-D", self->datadir, "-l", self->logfile,
                         "-o", options, NULL };

  if (!run_tool (self, "pg_ctl", args, TRUE, error))
    return FALSE;
  self->running = TRUE;
  return TRUE;
}

/* openssl with `args` in `dir`; FALSE with its output in `error`. */
static gboolean
run_openssl (const char  *dir,
             const char **args,
             GError     **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) "openssl");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (dir, (char **) argv->pdata, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                     &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "openssl %s: %s: ", args[0], err != NULL ? err : "");
      return FALSE;
    }
  return TRUE;
}

/* A CA and a certificate signed by it for `cn` (subjectAltName DNS:cn) in `dir`:
 * ca.crt, server.crt, server.key. */
static gboolean
make_certificates (const char  *dir,
                   const char  *cn,
                   GError     **error)
{
  g_autofree char *ext = g_build_filename (dir, "ext.cnf", NULL);
  g_autofree char *ext_text = g_strdup_printf ("subjectAltName=DNS:%s\n", cn);
  g_autofree char *subject = g_strdup_printf ("/CN=%s", cn);
  const char *ca[] = { "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
                       "-out", "ca.crt", "-days", "2", "-subj", "/CN=Tillpoint test CA", NULL };
  const char *csr[] = { "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key",
                        "-out", "server.csr", "-subj", subject, NULL };
  const char *sign[] = { "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey",
                         "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "2",
                         "-extfile", "ext.cnf", NULL };

  return g_file_set_contents (ext, ext_text, -1, error)
         && run_openssl (dir, ca, error) && run_openssl (dir, csr, error)
         && run_openssl (dir, sign, error);
}

/* A free TCP port on 127.0.0.1 (free when asked: the server takes it at once). */
static guint
free_port (GError **error)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  if (socket == NULL || !g_socket_bind (socket, any, FALSE, error))
    return 0;
  bound = g_socket_get_local_address (socket, error);
  return bound != NULL ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)) : 0;
}

gboolean
till_pg_server_enable_tls (TillPgServer *self,
                           const char   *host_name,
                           char        **out_ca_file,
                           guint        *out_port,
                           GError      **error)
{
  g_autofree char *tls_dir = g_build_filename (self->dir, "tls", NULL);
  static const char *const files[] = { "server.crt", "server.key", NULL };

  g_return_val_if_fail (self->tls_dir == NULL, FALSE);
  if (g_mkdir (tls_dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "mkdir %s: %s",
                   tls_dir, g_strerror (errno));
      return FALSE;
    }
  if (!make_certificates (tls_dir, host_name, error))
    return FALSE;
  /* The server reads its key as itself and refuses one others can read. */
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (tls_dir, files[i], NULL);

      g_chmod (path, 0600);
      if (self->as_postgres && !hand_to_postgres (path, error))
        return FALSE;
    }
  if (self->as_postgres && !hand_to_postgres (tls_dir, error))
    return FALSE;
  self->port = free_port (error);
  if (self->port == 0)
    return FALSE;
  if (self->running && !till_pg_server_kill (self, error))
    return FALSE;
  self->tls_dir = g_steal_pointer (&tls_dir);
  if (!till_pg_server_start (self, error))
    return FALSE;
  g_free (self->uri);
  self->uri = till_pg_server_get_uri_for (self, "postgres");
  *out_ca_file = g_build_filename (self->tls_dir, "ca.crt", NULL);
  *out_port = self->port;
  return TRUE;
}

gboolean
till_pg_server_kill (TillPgServer *self,
                     GError      **error)
{
  const char *args[] = { "stop", "-w", "-t", "30", "-m", "immediate", "-D", self->datadir,
                         NULL };

  if (!run_tool (self, "pg_ctl", args, TRUE, error))
    return FALSE;
  self->running = FALSE;
  return TRUE;
}

/* The pid and parent pid of a process, from /proc/PID/stat; FALSE when it is gone or a
 * zombie (dead, waiting for its parent to reap it: it holds nothing any more). */
static gboolean
proc_alive (int pid, int *out_ppid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  const char *end;
  char state;
  int ppid;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return FALSE;
  end = strrchr (stat, ')'); /* after the command's name, which may hold spaces */
  if (end == NULL || sscanf (end + 1, " %c %d", &state, &ppid) != 2 || state == 'Z'
      || state == 'X')
    return FALSE;
  if (out_ppid != NULL)
    *out_ppid = ppid;
  return TRUE;
}

gboolean
till_pg_server_kill_hard (TillPgServer *self,
                          GError      **error)
{
  g_autofree char *pidfile = g_build_filename (self->datadir, "postmaster.pid", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GArray) pids = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GDir) proc = NULL;
  const char *name;
  gint64 deadline;
  int postmaster;

  if (!g_file_get_contents (pidfile, &contents, NULL, error))
    return FALSE;
  postmaster = (int) g_ascii_strtoll (contents, NULL, 10);
  if (postmaster <= 1 || !proc_alive (postmaster, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no postmaster %d", postmaster);
      return FALSE;
    }
  /* its children first (killed after it, they would be another parent's) */
  g_array_append_val (pids, postmaster);
  proc = g_dir_open ("/proc", 0, error);
  if (proc == NULL)
    return FALSE;
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      int pid = (int) g_ascii_strtoll (name, NULL, 10), ppid = 0;

      if (pid > 1 && proc_alive (pid, &ppid) && ppid == postmaster)
        g_array_append_val (pids, pid);
    }
  for (guint i = 0; i < pids->len; i++)
    kill (g_array_index (pids, int, i), SIGKILL);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  for (guint i = 0; i < pids->len; i++)
    while (proc_alive (g_array_index (pids, int, i), NULL))
      {
        if (g_get_monotonic_time () > deadline)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                         "process %d of the server outlived SIGKILL",
                         g_array_index (pids, int, i));
            return FALSE;
          }
        g_usleep (10 * 1000);
      }
  /* A postmaster nobody reaps stays a zombie, whose pid the next start would take for a
   * live server's: its lock file goes (the shared memory is checked by the next start). */
  g_unlink (pidfile);
  self->running = FALSE;
  return TRUE;
}

const char *
till_pg_server_get_socket_dir (TillPgServer *self)
{
  return self->dir;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

void
till_pg_server_free (TillPgServer *self)
{
  if (self == NULL)
    return;
  if (self->running)
    {
      const char *args[] = { "stop", "-w", "-t", "30", "-m", "fast", "-D", self->datadir, NULL };
      g_autoptr(GError) error = NULL;

      if (!run_tool (self, "pg_ctl", args, TRUE, &error))
        g_warning ("The test's PostgreSQL server did not stop: %s", error->message);
    }
  if (self->dir != NULL)
    remove_tree (self->dir);
  g_free (self->bindir);
  g_free (self->dir);
  g_free (self->datadir);
  g_free (self->logfile);
  g_free (self->uri);
  g_free (self->tls_dir);
  g_free (self);
}

TillPgServer *
till_pg_server_new_or_skip (void)
{
  g_autofree char *bindir = till_pg_server_find_bindir ();
  g_autoptr(GError) error = NULL;
  TillPgServer *server;

  if (bindir == NULL)
    {
      g_test_message ("PostgreSQL's server is not installed (no initdb under "
                      "/usr/lib/postgresql/*/bin): the tests that need it skip");
      return NULL;
    }
  server = till_pg_server_new (&error);
  g_assert_no_error (error);
  return server;
}
