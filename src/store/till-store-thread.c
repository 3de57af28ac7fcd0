/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store thread: one worker per store that runs queued jobs in order, and
 * till_store_run_async() on top of it. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include "till-store-private.h"

struct _TillStoreWorker
{
  gatomicrefcount  ref;
  GAsyncQueue     *queue;      /* TillStoreJob*, or the quit marker */
  GThread         *thread;
  GMutex           mutex;
  GCond            cond;
  guint            pending;    /* submitted and not yet run */
};

typedef struct
{
  GTask            *task;
  TillStoreJobFunc  func;
} TillStoreJob;

static TillStoreJob quit_marker;

static void
till_store_worker_unref (TillStoreWorker *worker)
{
  if (!g_atomic_ref_count_dec (&worker->ref))
    return;
  g_async_queue_unref (worker->queue);
  g_mutex_clear (&worker->mutex);
  g_cond_clear (&worker->cond);
  g_free (worker);
}

static gpointer
till_store_worker_thread (gpointer data)
{
  TillStoreWorker *worker = data;

  for (;;)
    {
      TillStoreJob *job = g_async_queue_pop (worker->queue);

      if (job == &quit_marker)
        break;

      if (!g_task_return_error_if_cancelled (job->task))
        job->func (g_task_get_source_object (job->task), job->task);

      /* May drop the last reference to the store: its finalize then detaches us. Done
       * before the job counts as run, so that till_store_flush() returns after it. */
      g_object_unref (job->task);
      g_free (job);

      g_mutex_lock (&worker->mutex);
      worker->pending--;
      g_cond_broadcast (&worker->cond);
      g_mutex_unlock (&worker->mutex);
    }

  till_store_worker_unref (worker);
  return NULL;
}

TillStoreWorker *
till_store_worker_new (void)
{
  TillStoreWorker *worker = g_new0 (TillStoreWorker, 1);

  g_atomic_ref_count_init (&worker->ref);
  worker->queue = g_async_queue_new ();
  g_mutex_init (&worker->mutex);
  g_cond_init (&worker->cond);
  g_atomic_ref_count_inc (&worker->ref);  /* the thread's */
  worker->thread = g_thread_new ("till-store", till_store_worker_thread, worker);
  return worker;
}

void
till_store_worker_push (TillStoreWorker  *worker,
                        GTask            *task,
                        TillStoreJobFunc  func)
{
  TillStoreJob *job = g_new0 (TillStoreJob, 1);

  job->task = g_object_ref (task);
  job->func = func;

  g_mutex_lock (&worker->mutex);
  worker->pending++;
  g_mutex_unlock (&worker->mutex);
  g_async_queue_push (worker->queue, job);
}

void
till_store_worker_wait (TillStoreWorker *worker)
{
  /* On the store thread itself the jobs before this one have run already. */
  if (g_thread_self () == worker->thread)
    return;

  g_mutex_lock (&worker->mutex);
  while (worker->pending > 0)
    g_cond_wait (&worker->cond, &worker->mutex);
  g_mutex_unlock (&worker->mutex);
}

void
till_store_worker_stop (TillStoreWorker *worker)
{
  GThread *thread = worker->thread;

  g_async_queue_push (worker->queue, &quit_marker);
  /* The last reference can go away on the store thread itself (a job's task). */
  if (g_thread_self () == thread)
    g_thread_unref (thread);
  else
    g_thread_join (thread);
  till_store_worker_unref (worker);
}

/* ---- till_store_run_async */

typedef struct
{
  TillStoreFunc  func;
  gpointer       data;
  GDestroyNotify data_free;
  GDestroyNotify result_free;
} RunData;

static void
run_data_free (RunData *run)
{
  if (run->data_free != NULL && run->data != NULL)
    run->data_free (run->data);
  g_free (run);
}

static void
run_job (TillStore *self,
         GTask     *task)
{
  RunData *run = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer result;

  result = run->func (self, run->data, &error);
  if (error != NULL)
    {
      if (result != NULL && run->result_free != NULL)
        run->result_free (result);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, result, run->result_free);
}

void
till_store_run_async (TillStore          *self,
                      TillStoreFunc       func,
                      gpointer            data,
                      GDestroyNotify      data_free,
                      GDestroyNotify      result_free,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *run;

  g_return_if_fail (TILL_IS_STORE (self));
  g_return_if_fail (func != NULL);

  run = g_new0 (RunData, 1);
  run->func = func;
  run->data = data;
  run->data_free = data_free;
  run->result_free = result_free;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_store_run_async);
  g_task_set_task_data (task, run, (GDestroyNotify) run_data_free);
  till_store_submit (self, task, run_job);
}

gpointer
till_store_run_finish (TillStore     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == till_store_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
