/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper of the head office's soak: a TCP proxy on 127.0.0.1 in front of a PostgreSQL
 * server's Unix socket, on a thread of its own (the test's thread blocks in pg_ctl and in
 * the programs it spawns), that can cut the network: every connection dropped (both ends
 * shut down), new ones accepted and never answered until the heal closes them. While the
 * server is down, a new connection is closed at once (as a refused one). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _TillSoakProxy TillSoakProxy;

/* Listens on 127.0.0.1 (a free port) and forwards to `socket_path`. */
TillSoakProxy *till_soak_proxy_new        (const char    *socket_path);
guint16        till_soak_proxy_get_port   (TillSoakProxy *proxy);
/* Cuts the network, heals it; each returns once the proxy's thread has done it. */
void           till_soak_proxy_cut        (TillSoakProxy *proxy);
void           till_soak_proxy_heal       (TillSoakProxy *proxy);
/* Connections forwarded, closed because the server was down, dropped by a cut, and held
 * unanswered during one, so far. */
void           till_soak_proxy_get_counts (TillSoakProxy *proxy,
                                           guint         *proxied,
                                           guint         *refused,
                                           guint         *dropped,
                                           guint         *held);
void           till_soak_proxy_free       (TillSoakProxy *proxy);

G_END_DECLS
