/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper: a private, real PostgreSQL server — a temporary cluster (initdb) in a fresh
 * directory, listening only on a Unix socket in that directory (no TCP) — started,
 * stopped hard (pg_ctl stop -m immediate: a crash), started again and removed. Debian's
 * binaries are found under /usr/lib/postgresql/<version>/bin (the highest version there,
 * or TILL_PG_BINDIR). PostgreSQL refuses to run as root: when the test runs as uid 0 (CI),
 * the cluster's directory belongs to the `postgres` user and initdb/pg_ctl run as that user
 * through runuser. A watchdog process stops the server and removes the directory when the
 * test's process ends without freeing it (an assertion's abort, a timeout's kill). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TillPgServer TillPgServer;

/* The directory of initdb and pg_ctl, or NULL when PostgreSQL's server is not installed
 * (g_free). */
char         *till_pg_server_find_bindir (void);

/* Makes and starts a cluster; NULL with `error` when it could not. */
TillPgServer *till_pg_server_new   (GError      **error);
/* A libpq URI of the cluster's database `postgres` as the superuser `till` (no password:
 * trust on the socket only). */
const char   *till_pg_server_get_uri (TillPgServer *self);
/* The URI of database `dbname` of the cluster (g_free). */
char         *till_pg_server_get_uri_for (TillPgServer *self,
                                          const char   *dbname);
/* CREATE DATABASE `dbname` (an identifier: letters, digits, _); its URI (g_free). */
char         *till_pg_server_new_database (TillPgServer *self,
                                           const char   *dbname,
                                           GError      **error);
/* pg_ctl stop -m immediate: the server dies as if killed (no checkpoint). */
gboolean      till_pg_server_kill  (TillPgServer *self,
                                    GError      **error);
/* SIGKILL to the postmaster and every process it started, at once (a crash as hard as
 * `kill -9`, no shutdown of any kind); waits (at most 10 s) until they are gone. */
gboolean      till_pg_server_kill_hard (TillPgServer *self,
                                        GError      **error);
/* The directory of the server's Unix socket (.s.PGSQL.5432). */
const char   *till_pg_server_get_socket_dir (TillPgServer *self);
/* Restarts the server with TLS on, listening on a free TCP port of 127.0.0.1 as well as
 * on its socket: a test CA (openssl) and a certificate it signed for `host_name`
 * (subjectAltName DNS:host_name). The CA's certificate file (g_free) and the port; the
 * URIs from now on name the port. */
gboolean      till_pg_server_enable_tls (TillPgServer *self,
                                         const char   *host_name,
                                         char        **out_ca_file,
                                         guint        *out_port,
                                         GError      **error);
/* pg_ctl start (waits until it accepts connections, at most 30 s). */
gboolean      till_pg_server_start (TillPgServer *self,
                                    GError      **error);
/* Stops the server (fast) and removes the directory. */
void          till_pg_server_free  (TillPgServer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillPgServer, till_pg_server_free)

/* In a GTest's main (after g_test_init()): the server, or NULL when PostgreSQL is not
 * installed (each test then calls g_test_skip() saying so); any other failure is fatal. */
TillPgServer *till_pg_server_new_or_skip (void);

G_END_DECLS
