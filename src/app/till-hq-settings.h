/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The head office's settings checked as the sender takes them (hq-url without a password,
 * hq-store-id, hq-password-file; docs/head-office.md), the connection string the sender
 * uses, and a connection test on a thread of its own for the Preferences window. GLib
 * only. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* An ID head office takes: 1 to 32 ASCII letters, digits and _. FALSE with a message for
 * a person otherwise. */
gboolean
till_hq_check_store_id (const char *store_id, GError **error);
/* A libpq URI or connection string the till may keep in hq-url: one libpq reads, without a
 * password (a password belongs in the password file). "" is fine (sending off). FALSE with
 * a message for a person; neither the URI nor the password reaches the log. */
gboolean
till_hq_check_uri (const char *uri, GError **error);
/* `uri` with libpq's passfile (a URI parameter or a key=value pair); `uri` itself when
 * `password_file` is NULL or "". */
char *
till_hq_conninfo_with_passfile (const char *uri, const char *password_file);

/* Connects to `uri` as the sender would (the same checks, the password file), reads the
 * schema's version and whether head office knows `store_id`, and closes, all on a thread
 * of its own. Finishes with a line for a person ("Connected: …") or an error (the store
 * unknown at head office is one: its rows would be refused). */
void
till_hq_test_connection_async (const char *uri, const char *password_file, const char *store_id,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data);
char *
till_hq_test_connection_finish (GAsyncResult *result, GError **error);

G_END_DECLS
