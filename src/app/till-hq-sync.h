/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillHqSync: the till sends its books to the head office (issue 19,
 * docs/head-office.md). The 'hq_sync' outbox jobs that schema 21's triggers queue are taken
 * in batches on a thread of its own (GTask), their rows' current state sent with
 * till_hq_upsert_batch() over libpq, and marked done in one SQLite transaction; a lost
 * connection retries the whole batch with a bounded backoff, a refused batch makes its
 * jobs dead with a log line. The UI thread never waits for it. GLib only; without libpq
 * (the Flatpak) it builds and says it cannot connect.
 *
 * Properties (read on the main thread):
 *   "state"   TillHqSyncState
 *   "waiting" gint64: 'hq_sync' jobs pending or running
 *   "dead"    gint64: 'hq_sync' jobs head office refused (a manager retries them) */
#pragma once

#include <gio/gio.h>

#include "till-store.h"

G_BEGIN_DECLS

typedef enum
{
  TILL_HQ_SYNC_OFF,        /* no hq-url */
  TILL_HQ_SYNC_UP_TO_DATE, /* connected, nothing waiting */
  TILL_HQ_SYNC_SENDING,    /* connected, rows waiting */
  TILL_HQ_SYNC_OFFLINE,    /* the last attempt failed: retried later */
} TillHqSyncState;

#define TILL_TYPE_HQ_SYNC (till_hq_sync_get_type ())
G_DECLARE_FINAL_TYPE (TillHqSync, till_hq_sync, TILL, HQ_SYNC, GObject)

TillHqSync *
till_hq_sync_new (TillStore *store);

/* Sends to `uri` (a libpq URI or connection string; NULL or "" turns sending off) as
 * store `store_id` and till `till_id`, with `password_file` (NULL or "": libpq's own),
 * which must be readable by this user only. The triggers' switch (hq_config) is written on
 * a thread (till_hq_sync_is_applied()), then a round starts. FALSE with a message for a person (the
 * store id, the password file); the URI and a password are never logged. */
gboolean
till_hq_sync_configure (TillHqSync *self, const char *uri, const char *password_file,
                        const char *store_id, const char *till_id, GError **error);
/* Whether the last till_hq_sync_configure() has reached the store (the triggers' switch is
 * written on a thread). */
gboolean
till_hq_sync_is_applied (TillHqSync *self);
/* Follows the settings hq-url, hq-store-id (empty: store-id), hq-password-file and
 * till-id; a bad one is a log line and the "message" signal. */
void
till_hq_sync_bind_settings (TillHqSync *self, GSettings *settings);

/* Looks for work now (rows waiting are sent at once while connected). */
void
till_hq_sync_kick (TillHqSync *self);
/* The intervals, in ms: how often it looks for new rows while idle, and the backoff
 * after a failure (doubling from `retry_ms`, never longer than `max_retry_ms`). */
void
till_hq_sync_set_intervals (TillHqSync *self, guint poll_ms, guint retry_ms, guint max_retry_ms);

TillHqSyncState
till_hq_sync_get_state (TillHqSync *self);
gint64
till_hq_sync_get_waiting (TillHqSync *self);
gint64
till_hq_sync_get_dead (TillHqSync *self);
/* The status bar's words ("Head office: 3 waiting", "Head office: 2 failed", "Head office:
 * offline, 2 failed"), NULL when off. */
char *
till_hq_sync_dup_status_text (TillHqSync *self);
/* Checks a password file: a regular file readable by this user only. */
gboolean
till_hq_check_password_file (const char *path, GError **error);

/* The catalog (docs/head-office.md): pulled at the first round and then every `ms` (60 s by
 * default) while connected; the time of the last pull applied (unix µs, 0: never; property
 * "catalog-synced-at"). */
void
till_hq_sync_set_catalog_interval (TillHqSync *self, guint ms);
gint64
till_hq_sync_get_catalog_synced_at (TillHqSync *self);

G_END_DECLS
