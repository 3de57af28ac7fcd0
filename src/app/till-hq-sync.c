/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillHqSync: the outbox's 'hq_sync' jobs sent to the head office on a thread of its own. */
#define G_LOG_DOMAIN "till-hq-sync"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "till-hq-settings.h"
#include "till-hq-sync.h"
#include "till-store-hq.h"
#ifdef TILL_HAVE_HQ
#include "till-hq.h"
#endif

#define BATCH_JOBS 300 /* jobs per batch: a sale with its lines is one */
#define MAX_BATCHES_PER_ROUND 20

struct _TillHqSync
{
  GObject parent_instance;

  TillStore *store;
  GSettings *settings;
  char *conninfo; /* with the passfile; never logged */
  char *store_id;
  char *till_id;
  guint generation;  /* bumped by each configure */
  gboolean applied;  /* the last configure's hq_config is written */
  gboolean applying; /* a write of hq_config is on its thread */
  GObject *hq;       /* TillHq*, owned by the round while one runs */
  gboolean running;  /* a round is on its thread */
  gboolean again;    /* kicked while a round ran */
  guint timeout_id;
  guint poll_ms;
  guint retry_ms;
  guint max_retry_ms;
  guint failures; /* rounds failed in a row */
  TillHqSyncState state;
  gint64 waiting;
  gint64 dead; /* jobs head office refused */
  guint catalog_ms;         /* how often the catalog is pulled */
  gint64 catalog_due;       /* monotonic µs of the next pull (0: at once) */
  gint64 catalog_synced_at; /* unix µs of the last pull applied, 0: never */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TillHqSync, till_hq_sync, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATE,
  PROP_WAITING,
  PROP_DEAD,
  PROP_CATALOG_SYNCED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
schedule (TillHqSync *self, guint delay_ms);

/* ---------------------------------------------------------------- the round */

typedef struct
{
  TillStore *store;
  char *conninfo;
  char *store_id;
  char *till_id;
  guint generation;
  GObject *hq; /* in and out */
  guint max_retry_ms;
  guint retry_ms;
  /* results */
  gboolean offline; /* in: the last state; out: whether the server is out of reach */
  gboolean failed;  /* out: this round could not connect or send (backoff) */
  guint sent;
  gint64 waiting;
  gint64 dead;
  gint64 next_due_at;
  gboolean pull_catalog;    /* in */
  gint64 catalog_synced_at; /* out: 0 when not pulled */
} Round;

static void
round_free (Round *round)
{
  g_object_unref (round->store);
  g_free (round->conninfo);
  g_free (round->store_id);
  g_free (round->till_id);
  g_clear_object (&round->hq);
  g_free (round);
}

#ifdef TILL_HAVE_HQ
static gboolean
is_refusal (const GError *error)
{
  return g_error_matches (error, TILL_HQ_ERROR, TILL_HQ_ERROR_INVALID)
         || g_error_matches (error, TILL_HQ_ERROR, TILL_HQ_ERROR_UNKNOWN_STORE)
         || g_error_matches (error, TILL_HQ_ERROR, TILL_HQ_ERROR_NOT_INITIALIZED)
         || g_error_matches (error, TILL_HQ_ERROR, TILL_HQ_ERROR_TOO_NEW);
}
#endif

#ifdef TILL_HAVE_HQ
/* On the thread: what changed in the catalog since the version this till has, for its
 * store, applied in one transaction. A failure is a log line; the next pull tries again. */
static void
pull_catalog (Round *round)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  g_autoptr (GPtrArray) products
      = g_ptr_array_new_with_free_func ((GDestroyNotify)till_product_free);
  gint64 version = 0, synced_at = 0, seen = 0, now = g_get_real_time ();

  if (!till_store_hq_get_catalog (round->store, &version, &synced_at, &error))
    goto out;
  /* The catalog's version read before its changes: once they are applied the till has seen
   * every change up to it, its store's or not (imports commit in the order of their
   * versions), so it is the version the till has even when no row of it was its store's. */
  if (till_hq_catalog_version ((TillHq *)round->hq, &seen, &error))
    changes = till_hq_catalog_changes ((TillHq *)round->hq, round->store_id, version, &error);
  if (changes == NULL)
    {
      /* the connection may be gone: made anew by the next round */
      g_clear_object (&round->hq);
      goto out;
    }
  for (guint i = 0; i < changes->len; i++)
    {
      TillHqProduct *hq_product = g_ptr_array_index (changes, i);
      TillProduct *product = g_new0 (TillProduct, 1);

      product->barcode = g_strdup (hq_product->barcode);
      product->plu = g_strdup (hq_product->plu);
      product->name = g_strdup (hq_product->name);
      product->unit = g_strdup (hq_product->unit);
      product->price_fen = hq_product->price_fen;
      product->weighed = hq_product->weighed;
      product->open_price = hq_product->open_price;
      product->active = TRUE;
      g_ptr_array_add (products, product);
      version = MAX (version, hq_product->version);
    }
  version = MAX (version, seen);
  if (till_store_hq_apply_catalog (round->store, products, version, now, &error))
    round->catalog_synced_at = now;
  else
    {
      g_message ("Head office: the catalog was not pulled: %s", error->message);
      g_clear_error (&error);
    }
  /* Head office learns the version this till has at each pull (a refused pull leaves the
   * one before), so that `tillpoint-hq tills` shows which till is behind. */
  if (!till_store_hq_get_catalog (round->store, &version, &synced_at, &error)
      || !till_hq_note_catalog_version ((TillHq *)round->hq, round->store_id, round->till_id,
                                        version, &error))
    g_message ("Head office: the catalog version was not noted: %s", error->message);
  return;

out:
  if (error != NULL)
    g_message ("Head office: the catalog was not pulled: %s", error->message);
}
#endif

/* On the thread: connect when needed, then send batches until none is due or one fails. */
static void
round_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Round *round = data;
  g_autoptr (GError) error = NULL;

#ifdef TILL_HAVE_HQ
  for (guint b = 0; b < MAX_BATCHES_PER_ROUND && !g_cancellable_is_cancelled (cancellable); b++)
    {
      g_autoptr (TillStoreHqBatch) batch = NULL;
      g_autoptr (GError) send_error = NULL;
      gint64 now = g_get_real_time ();

      if (till_store_hq_next_due_at (round->store, NULL) > now)
        break;
      if (round->hq == NULL)
        {
          round->hq = (GObject *)till_hq_connect (round->conninfo, &send_error);
          if (round->hq == NULL)
            {
              g_message ("Head office: cannot connect: %s", send_error->message);
              round->offline = round->failed = TRUE;
              break;
            }
          g_message ("Head office: connected as store %s till %s", round->store_id, round->till_id);
          round->offline = FALSE;
        }
      batch = till_store_hq_take_batch (round->store, round->store_id, round->till_id, BATCH_JOBS,
                                        now, &error);
      if (batch == NULL)
        break;
      if (till_hq_upsert_batch_json ((TillHq *)round->hq, batch->json, NULL, &send_error))
        {
          if (!till_store_hq_batch_done (round->store, batch->job_ids, &error))
            break;
          round->sent += batch->job_ids->len;
          round->offline = FALSE;
          continue;
        }
      if (is_refusal (send_error))
        {
          g_warning ("Head office: a batch of %u jobs (%u rows) was refused, its jobs are"
                     " dead: %s",
                     batch->job_ids->len, batch->n_rows, send_error->message);
          till_store_hq_batch_dead (round->store, batch->job_ids, send_error->message, &error);
          round->offline = FALSE;
          continue;
        }
      g_message ("Head office: a batch of %u jobs was not sent, retried later: %s",
                 batch->job_ids->len, send_error->message);
      g_clear_object (&round->hq);
      round->offline = round->failed = TRUE;
      till_store_hq_batch_retry (round->store, batch->job_ids,
                                 g_get_real_time () + (gint64)round->retry_ms * 1000,
                                 send_error->message, &error);
      break;
    }
  if (round->pull_catalog && !round->failed && round->hq != NULL
      && !g_cancellable_is_cancelled (cancellable))
    pull_catalog (round);
#else
  round->offline = round->failed = TRUE;
  g_message ("Head office: this build has no PostgreSQL client (libpq): nothing is sent");
#endif
  if (error != NULL)
    g_warning ("Head office: the outbox: %s", error->message);
  round->waiting = till_store_hq_count_waiting (round->store, NULL);
  round->dead = till_store_hq_count_dead (round->store, NULL);
  round->next_due_at = till_store_hq_next_due_at (round->store, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
set_dead (TillHqSync *self, gint64 dead)
{
  if (dead >= 0 && self->dead != dead)
    {
      self->dead = dead;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEAD]);
    }
}

static void
set_state (TillHqSync *self, TillHqSyncState state, gint64 waiting)
{
  if (self->waiting != waiting)
    {
      self->waiting = waiting;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING]);
    }
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

static void
round_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  TillHqSync *self = TILL_HQ_SYNC (source);
  Round *round = g_task_get_task_data (G_TASK (result));
  guint delay;

  self->running = FALSE;
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (round->generation == self->generation && self->conninfo != NULL)
    {
      g_set_object (&self->hq, round->hq);
      if (round->pull_catalog && !round->failed)
        self->catalog_due = g_get_monotonic_time () + (gint64)self->catalog_ms * 1000;
      if (round->catalog_synced_at > 0)
        {
          self->catalog_synced_at = round->catalog_synced_at;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATALOG_SYNCED_AT]);
        }
      if (round->failed)
        {
          self->failures = MIN (self->failures + 1, 16);
          delay = MIN ((guint64)self->retry_ms << MIN (self->failures - 1, 10), self->max_retry_ms);
        }
      else
        {
          self->failures = 0;
          delay = self->poll_ms;
          if (round->waiting > 0)
            {
              gint64 due_ms = (round->next_due_at - g_get_real_time ()) / 1000;

              delay = CLAMP (due_ms, 0, (gint64)self->poll_ms);
            }
        }
      set_dead (self, round->dead);
      set_state (self,
                 round->offline       ? TILL_HQ_SYNC_OFFLINE
                 : round->waiting > 0 ? TILL_HQ_SYNC_SENDING
                                      : TILL_HQ_SYNC_UP_TO_DATE,
                 MAX (round->waiting, 0));
    }
  else
    {
      /* Configured again meanwhile: the new configuration's rounds follow its apply. */
      gboolean again = self->again;

      self->again = FALSE;
      if (again && self->applied && self->conninfo != NULL)
        schedule (self, 0);
      return;
    }
  if (self->again)
    delay = 0;
  self->again = FALSE;
  schedule (self, delay);
}

static gboolean
round_start_cb (gpointer data)
{
  TillHqSync *self = data;
  g_autoptr (GTask) task = NULL;
  Round *round;

  self->timeout_id = 0;
  if (self->conninfo == NULL)
    return G_SOURCE_REMOVE;
  if (self->running)
    {
      self->again = TRUE;
      return G_SOURCE_REMOVE;
    }
  round = g_new0 (Round, 1);
  round->store = g_object_ref (self->store);
  round->conninfo = g_strdup (self->conninfo);
  round->store_id = g_strdup (self->store_id);
  round->till_id = g_strdup (self->till_id);
  round->generation = self->generation;
  round->hq = g_steal_pointer (&self->hq);
  round->retry_ms = MIN ((guint64)self->retry_ms << MIN (self->failures, 10), self->max_retry_ms);
  round->max_retry_ms = self->max_retry_ms;
  round->pull_catalog = g_get_monotonic_time () >= self->catalog_due;
  round->offline = self->state == TILL_HQ_SYNC_OFFLINE;
  task = g_task_new (self, self->cancellable, round_done_cb, NULL);
  g_task_set_source_tag (task, round_start_cb);
  g_task_set_task_data (task, round, (GDestroyNotify)round_free);
  self->running = TRUE;
  g_task_run_in_thread (task, round_thread);
  return G_SOURCE_REMOVE;
}

static void
schedule (TillHqSync *self, guint delay_ms)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (delay_ms, round_start_cb, self);
}

void
till_hq_sync_kick (TillHqSync *self)
{
  g_return_if_fail (TILL_IS_HQ_SYNC (self));
  if (self->conninfo == NULL)
    return;
  if (self->running)
    self->again = TRUE;
  else if (self->applied)
    schedule (self, 0);
}

/* ---------------------------------------------------------------- configuration */

gboolean
till_hq_check_password_file (const char *path, GError **error)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      g_message ("Head office: the password file %s: %s", path, g_strerror (saved));
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _ ("The head-office password file %s cannot be read: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_message ("Head office: the password file %s is not a file", path);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _ ("The head-office password file %s is not a file"), path);
      return FALSE;
    }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      g_message ("Head office: refusing the password file %s: others can read it (mode %03o)", path,
                 (guint)(st.st_mode & 0777));
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _ ("The head-office password file %s can be read by others: make it"
                      " readable by you only (chmod 600)"),
                   path);
      return FALSE;
    }
  return TRUE;
}

/* The triggers' switch (hq_config) is written on a thread: turned on for the first time it
 * queues every row of the books, which may take a while. The first round follows it. */
typedef struct
{
  TillStore *store;
  gboolean on;
  guint generation;
  gint64 waiting;
  gint64 dead;
} Apply;

static void
apply_free (Apply *apply)
{
  g_object_unref (apply->store);
  g_free (apply);
}

static void
apply_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Apply *apply = data;
  g_autoptr (GError) error = NULL;

  if (!till_store_hq_set_enabled (apply->store, apply->on, NULL, &error))
    {
      g_warning ("Head office: %s", error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  apply->waiting = till_store_hq_count_waiting (apply->store, NULL);
  apply->dead = till_store_hq_count_dead (apply->store, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
apply_start (TillHqSync *self);

static void
apply_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  TillHqSync *self = TILL_HQ_SYNC (source);
  Apply *apply = g_task_get_task_data (G_TASK (result));
  gboolean ok = g_task_propagate_boolean (G_TASK (result), NULL);

  self->applying = FALSE;
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  /* configured again meanwhile: one write at a time, in order, the last one wins */
  if (apply->generation != self->generation)
    {
      apply_start (self);
      return;
    }
  self->applied = TRUE;
  if (!apply->on || self->conninfo == NULL)
    return;
  set_dead (self, apply->dead);
  set_state (self, ok ? TILL_HQ_SYNC_SENDING : TILL_HQ_SYNC_OFFLINE, MAX (apply->waiting, 0));
  schedule (self, 0);
}

static void
apply_start (TillHqSync *self)
{
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, apply_done_cb, NULL);
  Apply *apply = g_new0 (Apply, 1);

  apply->store = g_object_ref (self->store);
  apply->on = self->conninfo != NULL;
  apply->generation = self->generation;
  self->applying = TRUE;
  g_task_set_source_tag (task, apply_start);
  g_task_set_task_data (task, apply, (GDestroyNotify)apply_free);
  g_task_run_in_thread (task, apply_thread);
}

static void
apply_enabled (TillHqSync *self)
{
  self->applied = FALSE;
  if (!self->applying)
    apply_start (self);
}

gboolean
till_hq_sync_is_applied (TillHqSync *self)
{
  g_return_val_if_fail (TILL_IS_HQ_SYNC (self), FALSE);
  return self->applied;
}

gboolean
till_hq_sync_configure (TillHqSync *self, const char *uri, const char *password_file,
                        const char *store_id, const char *till_id, GError **error)
{
  gboolean on = uri != NULL && *uri != '\0';
  g_return_val_if_fail (TILL_IS_HQ_SYNC (self), FALSE);

  if (on && !till_hq_check_store_id (store_id, error))
    on = FALSE;
  else if (on && password_file != NULL && *password_file != '\0'
           && !till_hq_check_password_file (password_file, error))
    on = FALSE;

  self->generation++;
  g_clear_object (&self->hq);
  g_clear_pointer (&self->conninfo, g_free);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->failures = 0;
  if (on)
    {
      self->conninfo = till_hq_conninfo_with_passfile (uri, password_file);
      g_free (self->store_id);
      self->store_id = g_strdup (store_id);
      g_free (self->till_id);
      self->till_id = g_strdup (till_id != NULL && *till_id != '\0' ? till_id : "01");
      g_message ("Head office: sending as store %s till %s", self->store_id, self->till_id);
    }
  else
    {
      set_state (self, TILL_HQ_SYNC_OFF, 0);
      set_dead (self, 0);
    }
  apply_enabled (self);
  return !on ? error == NULL || *error == NULL : TRUE;
}

static void
settings_changed_cb (GSettings *settings, const char *key, TillHqSync *self)
{
  g_autofree char *uri = NULL, *store_id = NULL, *password_file = NULL, *till_id = NULL;
  g_autoptr (GError) error = NULL;

  if (key != NULL && !g_str_has_prefix (key, "hq-") && !g_str_equal (key, "store-id")
      && !g_str_equal (key, "till-id"))
    return;
  uri = g_settings_get_string (settings, "hq-url");
  store_id = g_settings_get_string (settings, "hq-store-id");
  if (*store_id == '\0')
    {
      g_free (store_id);
      store_id = g_settings_get_string (settings, "store-id");
    }
  password_file = g_settings_get_string (settings, "hq-password-file");
  till_id = g_settings_get_string (settings, "till-id");
  if (!till_hq_sync_configure (self, uri, password_file, store_id, till_id, &error))
    g_warning ("Head office: not sending: %s", error->message);
}

void
till_hq_sync_bind_settings (TillHqSync *self, GSettings *settings)
{
  g_return_if_fail (TILL_IS_HQ_SYNC (self));
  g_return_if_fail (self->settings == NULL);

  self->settings = g_object_ref (settings);
  g_signal_connect_object (settings, "changed", G_CALLBACK (settings_changed_cb), self, 0);
  settings_changed_cb (settings, NULL, self);
}

void
till_hq_sync_set_intervals (TillHqSync *self, guint poll_ms, guint retry_ms, guint max_retry_ms)
{
  g_return_if_fail (TILL_IS_HQ_SYNC (self));
  self->poll_ms = MAX (poll_ms, 1);
  self->retry_ms = MAX (retry_ms, 1);
  self->max_retry_ms = MAX (max_retry_ms, self->retry_ms);
}

/* ---------------------------------------------------------------- status */

TillHqSyncState
till_hq_sync_get_state (TillHqSync *self)
{
  g_return_val_if_fail (TILL_IS_HQ_SYNC (self), TILL_HQ_SYNC_OFF);
  return self->state;
}

gint64
till_hq_sync_get_waiting (TillHqSync *self)
{
  g_return_val_if_fail (TILL_IS_HQ_SYNC (self), 0);
  return self->waiting;
}

gint64
till_hq_sync_get_dead (TillHqSync *self)
{
  g_return_val_if_fail (TILL_IS_HQ_SYNC (self), 0);
  return self->dead;
}

static char *
dup_state_text (TillHqSync *self)
{
  switch (self->state)
    {
    case TILL_HQ_SYNC_OFF:
      return NULL;
    case TILL_HQ_SYNC_OFFLINE:
      return g_strdup (_ ("Head office: offline"));
    case TILL_HQ_SYNC_UP_TO_DATE:
      return g_strdup (_ ("Head office: up to date"));
    case TILL_HQ_SYNC_SENDING:
    default:
      if (self->waiting == 0)
        return g_strdup (_ ("Head office: up to date"));
      {
        int n = (int)MIN (self->waiting, G_MAXINT);

        return g_strdup_printf (
            g_dngettext (GETTEXT_PACKAGE, "Head office: %d waiting", "Head office: %d waiting", n),
            n);
      }
    }
}

char *
till_hq_sync_dup_status_text (TillHqSync *self)
{
  g_autofree char *text = NULL;
  int n;

  g_return_val_if_fail (TILL_IS_HQ_SYNC (self), NULL);

  text = dup_state_text (self);
  if (text == NULL || self->dead == 0)
    return g_steal_pointer (&text);
  n = (int)MIN (self->dead, G_MAXINT);
  if (self->state == TILL_HQ_SYNC_UP_TO_DATE
      || (self->state == TILL_HQ_SYNC_SENDING && self->waiting == 0))
    return g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "Head office: %d failed", "Head office: %d failed", n), n);
  /* "Head office: 3 waiting" or "… offline", then how many failed */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %d failed", "%s, %d failed", n), text,
                          n);
}

/* ---------------------------------------------------------------- object */

static void
till_hq_sync_dispose (GObject *object)
{
  TillHqSync *self = TILL_HQ_SYNC (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->hq);
  G_OBJECT_CLASS (till_hq_sync_parent_class)->dispose (object);
}

static void
till_hq_sync_finalize (GObject *object)
{
  TillHqSync *self = TILL_HQ_SYNC (object);

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_free (self->conninfo);
  g_free (self->store_id);
  g_free (self->till_id);
  G_OBJECT_CLASS (till_hq_sync_parent_class)->finalize (object);
}

static void
till_hq_sync_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TillHqSync *self = TILL_HQ_SYNC (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_WAITING:
      g_value_set_int64 (value, self->waiting);
      break;
    case PROP_DEAD:
      g_value_set_int64 (value, self->dead);
      break;
    case PROP_CATALOG_SYNCED_AT:
      g_value_set_int64 (value, self->catalog_synced_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_hq_sync_class_init (TillHqSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = till_hq_sync_dispose;
  object_class->finalize = till_hq_sync_finalize;
  object_class->get_property = till_hq_sync_get_property;

  properties[PROP_STATE]
      = g_param_spec_int ("state", NULL, NULL, TILL_HQ_SYNC_OFF, TILL_HQ_SYNC_OFFLINE,
                          TILL_HQ_SYNC_OFF, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_WAITING] = g_param_spec_int64 ("waiting", NULL, NULL, 0, G_MAXINT64, 0,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEAD] = g_param_spec_int64 ("dead", NULL, NULL, 0, G_MAXINT64, 0,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CATALOG_SYNCED_AT] = g_param_spec_int64 (
      "catalog-synced-at", NULL, NULL, 0, G_MAXINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
till_hq_sync_init (TillHqSync *self)
{
  self->cancellable = g_cancellable_new ();
  self->poll_ms = 2000;
  self->retry_ms = 1000;
  self->max_retry_ms = 60000;
  self->catalog_ms = 60000;
}

TillHqSync *
till_hq_sync_new (TillStore *store)
{
  TillHqSync *self;

  g_return_val_if_fail (TILL_IS_STORE (store), NULL);

  self = g_object_new (TILL_TYPE_HQ_SYNC, NULL);
  self->store = g_object_ref (store);
  return self;
}

void
till_hq_sync_set_catalog_interval (TillHqSync *self, guint ms)
{
  g_return_if_fail (TILL_IS_HQ_SYNC (self));
  self->catalog_ms = MAX (ms, 1);
}

gint64
till_hq_sync_get_catalog_synced_at (TillHqSync *self)
{
  g_return_val_if_fail (TILL_IS_HQ_SYNC (self), 0);
  return self->catalog_synced_at;
}
