/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillShift's shift record and handover (交班): the open shift read at start, a shift
 * opened at sign-in, its figures, the handover and the shifts of a day, each on the store
 * thread (the UI thread never waits for the disk). */
#define G_LOG_DOMAIN "till-shift"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "till-shift-private.h"

void
till_shift_report_free (TillShiftReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->shift, till_shift_record_free);
  g_free (report);
}

/* ---- the open shift ---- */

typedef struct
{
  gboolean found;
  TillShiftRecord *shift;
} OpenResult;

static void
open_result_free (gpointer data)
{
  OpenResult *r = data;

  g_clear_pointer (&r->shift, till_shift_record_free);
  g_free (r);
}

static gpointer
load_open_job (TillStore *store, gpointer data, GError **error)
{
  GError *local_error = NULL;
  OpenResult *r = g_new0 (OpenResult, 1);

  r->shift = till_store_shift_get_open (store, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      open_result_free (r);
      return NULL;
    }
  return r;
}

static void
load_open_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TillShift *self = g_task_get_source_object (task);
  GError *error = NULL;
  OpenResult *r = till_store_run_finish (TILL_STORE (object), result, &error);

  if (r == NULL)
    {
      g_warning ("The open shift could not be read: %s", error->message);
      g_task_return_error (task, error);
      return;
    }
  _till_shift_set_open (self, r->shift);
  open_result_free (r);
  g_task_return_boolean (task, TRUE);
}

void
till_shift_load_open_async (TillShift *self, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (TILL_IS_SHIFT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_shift_load_open_async);
  till_store_run_async (_till_shift_get_store (self), load_open_job, NULL, NULL, open_result_free,
                        cancellable, load_open_cb, task);
}

gboolean
till_shift_load_open_finish (TillShift *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- opening at sign-in ---- */

typedef struct
{
  char *till_id;
  gint64 person_id;
  char *cashier;
  gint64 float_fen;
} BeginData;

static void
begin_data_free (gpointer data)
{
  BeginData *d = data;

  g_free (d->till_id);
  g_free (d->cashier);
  g_free (d);
}

static gpointer
begin_job (TillStore *store, gpointer data, GError **error)
{
  BeginData *d = data;
  GError *local_error = NULL;
  TillShiftRecord *open = till_store_shift_get_open (store, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (open != NULL)
    return open;
  return till_store_shift_open (store, d->till_id, d->person_id, d->cashier, d->float_fen, error);
}

static void
record_task_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TillShift *self = g_task_get_source_object (task);
  GError *error = NULL;
  TillShiftRecord *shift = till_store_run_finish (TILL_STORE (object), result, &error);

  if (shift == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  _till_shift_set_open (self, shift);
  g_task_return_pointer (task, shift, (GDestroyNotify)till_shift_record_free);
}

void
till_shift_begin_async (TillShift *self, const char *till_id, gint64 float_fen,
                        GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  BeginData *d;

  g_return_if_fail (TILL_IS_SHIFT (self));
  g_return_if_fail (till_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_shift_begin_async);
  d = g_new0 (BeginData, 1);
  d->till_id = g_strdup (till_id);
  d->person_id = till_shift_get_person_id (self);
  d->cashier = g_strdup (till_shift_get_cashier_or_default (self));
  d->float_fen = float_fen;
  till_store_run_async (_till_shift_get_store (self), begin_job, d, begin_data_free,
                        (GDestroyNotify)till_shift_record_free, cancellable, record_task_cb, task);
}

TillShiftRecord *
till_shift_begin_finish (TillShift *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the figures, the handover ---- */

static gpointer
report_job (TillStore *store, gpointer data, GError **error)
{
  GError *local_error = NULL;
  g_autoptr (TillShiftReport) report = g_new0 (TillShiftReport, 1);

  report->shift = till_store_shift_get_open (store, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (report->shift == NULL)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                   _ ("No shift is open: a cashier's sign-in (Ctrl+L) opens one."));
      return NULL;
    }
  if (!till_store_shift_summary (store, report->shift, 0, G_MAXINT64, &report->summary, error))
    return NULL;
  return g_steal_pointer (&report);
}

typedef struct
{
  gint64 shift_id;
  gint64 counted_fen;
  char *closed_by;
} CloseData;

static void
close_data_free (gpointer data)
{
  CloseData *d = data;

  g_free (d->closed_by);
  g_free (d);
}

static gpointer
close_job (TillStore *store, gpointer data, GError **error)
{
  CloseData *d = data;
  g_autoptr (TillShiftReport) report = g_new0 (TillShiftReport, 1);

  report->shift = till_store_shift_close (store, d->shift_id, d->counted_fen, d->closed_by, error);
  if (report->shift == NULL)
    return NULL;
  /* The frozen figures are the window's: the same rows, closed now. */
  if (!till_store_shift_summary (store, report->shift, 0, G_MAXINT64, &report->summary, error))
    return NULL;
  return g_steal_pointer (&report);
}

static void
report_task_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TillShift *self = g_task_get_source_object (task);
  GError *error = NULL;
  TillShiftReport *report = till_store_run_finish (TILL_STORE (object), result, &error);

  if (report == NULL)
    {
      if (g_error_matches (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND))
        _till_shift_set_open (self, NULL);
      g_task_return_error (task, error);
      return;
    }
  if (g_task_get_source_tag (task) == till_shift_hand_over_async)
    {
      g_message ("Shift %" G_GINT64_FORMAT " handed over by %s", report->shift->id,
                 report->shift->closed_by);
      _till_shift_set_open (self, NULL);
      till_shift_set_person (self, NULL);
    }
  else
    _till_shift_set_open (self, report->shift);
  g_task_return_pointer (task, report, (GDestroyNotify)till_shift_report_free);
}

void
till_shift_report_async (TillShift *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  GTask *task;

  g_return_if_fail (TILL_IS_SHIFT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_shift_report_async);
  till_store_run_async (_till_shift_get_store (self), report_job, NULL, NULL,
                        (GDestroyNotify)till_shift_report_free, cancellable, report_task_cb, task);
}

TillShiftReport *
till_shift_report_finish (TillShift *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
till_shift_hand_over_async (TillShift *self, gint64 shift_id, gint64 counted_fen,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  GTask *task;
  CloseData *d;

  g_return_if_fail (TILL_IS_SHIFT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_shift_hand_over_async);
  d = g_new0 (CloseData, 1);
  d->shift_id = shift_id;
  d->counted_fen = counted_fen;
  d->closed_by = g_strdup (till_shift_get_cashier_or_default (self));
  till_store_run_async (_till_shift_get_store (self), close_job, d, close_data_free,
                        (GDestroyNotify)till_shift_report_free, cancellable, report_task_cb, task);
}

TillShiftReport *
till_shift_hand_over_finish (TillShift *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the shifts of a day ---- */

static gpointer
list_day_job (TillStore *store, gpointer data, GError **error)
{
  const char *date = data;
  g_autoptr (GPtrArray) shifts = till_store_shifts_of_day (store, date, error);
  g_autoptr (GPtrArray) reports = NULL;
  gint64 from, to;

  if (shifts == NULL || !till_report_parse_day (date, &from, &to, error))
    return NULL;
  reports = g_ptr_array_new_with_free_func ((GDestroyNotify)till_shift_report_free);
  for (guint i = 0; i < shifts->len; i++)
    {
      g_autoptr (TillShiftReport) report = g_new0 (TillShiftReport, 1);

      report->shift = g_steal_pointer (&g_ptr_array_index (shifts, i));
      /* Within the day: a shift across midnight counts on each day for its part. */
      if (!till_store_shift_summary (store, report->shift, from, to, &report->summary, error))
        return NULL;
      g_ptr_array_add (reports, g_steal_pointer (&report));
    }
  return g_steal_pointer (&reports);
}

static void
list_day_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  GPtrArray *reports = till_store_run_finish (TILL_STORE (object), result, &error);

  if (reports == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, reports, (GDestroyNotify)g_ptr_array_unref);
}

void
till_shift_list_day_async (TillShift *self, const char *date, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (TILL_IS_SHIFT (self));
  g_return_if_fail (date != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_shift_list_day_async);
  till_store_run_async (_till_shift_get_store (self), list_day_job, g_strdup (date), g_free,
                        (GDestroyNotify)g_ptr_array_unref, cancellable, list_day_cb, task);
}

GPtrArray *
till_shift_list_day_finish (TillShift *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
