/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillBackupSchedule: backups on a schedule and on demand, with the till's settings. */
#define G_LOG_DOMAIN "till-backup"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "till-backup-schedule.h"
#include "till-checkout.h"
#include "till-store-backup.h"

struct _TillBackupSchedule
{
  GObject       parent_instance;

  TillContext  *context;
  GCancellable *cancellable;
  guint         timeout_id;
  gboolean      running;
};

G_DEFINE_FINAL_TYPE (TillBackupSchedule, till_backup_schedule, G_TYPE_OBJECT)

enum
{
  SIGNAL_MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
till_backup_dup_dir (TillContext *context)
{
  g_autofree char *dir = NULL;
  GSettings *settings;

  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  settings = till_context_get_settings (context);
  if (settings != NULL)
    dir = g_settings_get_string (settings, "backup-dir");
  if (dir == NULL || *dir == '\0')
    {
      g_free (dir);
      dir = g_build_filename (till_context_get_data_dir (context), "backups", NULL);
      /* Only the default folder is made: a configured one missing is a USB stick that is
       * not plugged in, and must be said. */
      if (g_mkdir_with_parents (dir, 0700) != 0)
        g_warning ("Cannot create %s: %s", dir, g_strerror (errno));
    }
  return g_steal_pointer (&dir);
}

static void
made_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *path = till_store_backup_make_finish (TILL_STORE (object), result, &error);

  if (path == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, path, g_free);
}

void
till_backup_make_async (TillContext         *context,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  GSettings *settings;
  g_autofree char *dir = NULL;
  guint keep = 14;

  g_return_if_fail (TILL_IS_CONTEXT (context));

  task = g_task_new (context, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_backup_make_async);
  settings = till_context_get_settings (context);
  if (settings != NULL)
    keep = g_settings_get_uint (settings, "backup-keep");
  dir = till_backup_dup_dir (context);
  till_store_backup_make_async (till_context_get_store (context), dir,
                                till_context_get_till_id (context), MAX (keep, 1),
                                cancellable, made_cb, task);
}

char *
till_backup_make_finish (TillContext  *context,
                         GAsyncResult *result,
                         GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, context), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------- the schedule */

static void
schedule_made_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(TillBackupSchedule) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = till_backup_make_finish (TILL_CONTEXT (object), result, &error);

  self->running = FALSE;
  if (path != NULL)
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  {
    g_autofree char *text = g_strdup_printf (_("No backup was made: %s"), error->message);

    g_warning ("Scheduled backup failed: %s", error->message);
    g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, TILL_MESSAGE_ERROR, text);
  }
}

void
till_backup_schedule_run_now (TillBackupSchedule *self)
{
  g_return_if_fail (TILL_IS_BACKUP_SCHEDULE (self));

  if (self->running)
    return;  /* one at a time: the next tick comes soon enough */
  self->running = TRUE;
  till_backup_make_async (self->context, self->cancellable, schedule_made_cb,
                          g_object_ref (self));
}

static gboolean
tick_cb (gpointer user_data)
{
  till_backup_schedule_run_now (TILL_BACKUP_SCHEDULE (user_data));
  return G_SOURCE_CONTINUE;
}

static void
restart_timer (TillBackupSchedule *self)
{
  GSettings *settings = till_context_get_settings (self->context);
  guint hours = settings != NULL ? g_settings_get_uint (settings, "backup-interval-hours") : 0;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (hours == 0)
    {
      g_message ("Backups at the day close only");
      return;
    }
  g_message ("A backup every %u hours", hours);
  self->timeout_id = g_timeout_add_seconds_full (G_PRIORITY_LOW, hours * 3600, tick_cb,
                                                 self, NULL);
}

static void
interval_changed_cb (GSettings          *settings,
                     const char         *key,
                     TillBackupSchedule *self)
{
  restart_timer (self);
}

static void
till_backup_schedule_dispose (GObject *object)
{
  TillBackupSchedule *self = TILL_BACKUP_SCHEDULE (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (till_backup_schedule_parent_class)->dispose (object);
}

static void
till_backup_schedule_class_init (TillBackupScheduleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = till_backup_schedule_dispose;

  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
}

static void
till_backup_schedule_init (TillBackupSchedule *self)
{
  self->cancellable = g_cancellable_new ();
}

TillBackupSchedule *
till_backup_schedule_new (TillContext *context)
{
  TillBackupSchedule *self;
  GSettings *settings;

  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  self = g_object_new (TILL_TYPE_BACKUP_SCHEDULE, NULL);
  self->context = g_object_ref (context);
  settings = till_context_get_settings (context);
  if (settings != NULL)
    g_signal_connect_object (settings, "changed::backup-interval-hours",
                             G_CALLBACK (interval_changed_cb), self, 0);
  restart_timer (self);
  return self;
}
