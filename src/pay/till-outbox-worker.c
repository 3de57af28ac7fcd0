/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The outbox worker: runs due jobs one at a time with backoff, wakes on new jobs and on
 * the network coming back, and tells the status bar whether the till is online. */
#define G_LOG_DOMAIN "till-pay"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "till-outbox-worker.h"
#include "till-clock.h"

#define DEFAULT_BASE_MS      1000
#define DEFAULT_CAP_MS       300000
#define DEFAULT_MAX_ATTEMPTS 100
#define DEFAULT_MAX_AGE_MS   (G_GINT64_CONSTANT (7) * 24 * 3600 * 1000)

struct _TillOutboxWorker
{
  GObject             parent_instance;

  TillPaymentService *service;
  TillStore          *store;
  guint               base_ms;
  guint               cap_ms;
  guint               look_again_ms;
  gint                max_attempts;
  gint64              max_age_us;
  GNetworkMonitor    *monitor;
  gulong              monitor_handler;
  gulong              service_handler;
  GHashTable         *handlers;       /* kind -> Handler */

  GCancellable       *cancellable;
  guint               timer_id;
  gboolean            busy;           /* a store call or a job is in progress */
  gboolean            again;          /* woken while busy: look again afterwards */
  gboolean            stopped;
  gboolean            online;
  gboolean            running;
  gint64              pending_count;
};

G_DEFINE_FINAL_TYPE (TillOutboxWorker, till_outbox_worker, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ONLINE,
  PROP_PENDING_COUNT,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

typedef struct
{
  TillOutboxHandler func;
  gpointer          data;
  GDestroyNotify    data_free;
} Handler;

static void
handler_free (Handler *handler)
{
  if (handler->data_free != NULL)
    handler->data_free (handler->data);
  g_free (handler);
}

guint64
till_outbox_worker_backoff_ms (guint attempts,
                               guint base_ms,
                               guint cap_ms)
{
  guint64 delay = base_ms;

  for (guint i = 1; i < attempts && delay < cap_ms; i++)
    delay *= 2;
  return MIN (delay, (guint64) cap_ms);
}

static void
set_online (TillOutboxWorker *self,
            gboolean          online)
{
  if (self->online == online)
    return;
  self->online = online;
  g_message ("Outbox: %s", online ? "online" : "offline");
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ONLINE]);
}

static void
set_running (TillOutboxWorker *self,
             gboolean          running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RUNNING]);
}

static void
set_pending_count (TillOutboxWorker *self,
                   gint64            count)
{
  if (count < 0 || self->pending_count == count)
    return;
  self->pending_count = count;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PENDING_COUNT]);
}

/* ---------------------------------------------------------------- store calls */

typedef enum
{
  WCALL_CLAIM,
  WCALL_MAKE_DUE,
  WCALL_RELEASE,
  WCALL_DONE,
  WCALL_RETRY,
  WCALL_DEAD,
} WorkerCallKind;

typedef struct
{
  WorkerCallKind  kind;
  gint64          now;
  gint64          claim_until;
  gint64          job_id;
  gint64          next_attempt_at;
  char           *last_error;
  gint            max_attempts;
  gint64          max_age_us;
  /* results */
  TillOutboxJob  *job;
  gboolean        dead;
  gint64          pending;
  gint64          next_due;
} WorkerCall;

static void
worker_call_clear (WorkerCall *call)
{
  g_free (call->last_error);
  g_clear_pointer (&call->job, till_outbox_job_free);
}

static void
worker_call_unref (WorkerCall *call)
{
  g_atomic_rc_box_release_full (call, (GDestroyNotify) worker_call_clear);
}

static gpointer
worker_call_run (TillStore *store,
                 gpointer   data,
                 GError   **error)
{
  WorkerCall *call = data;
  gboolean ok = TRUE;

  switch (call->kind)
    {
    case WCALL_CLAIM:
      call->job = till_store_outbox_claim_next (store, call->claim_until, error);
      ok = call->job != NULL || error == NULL || *error == NULL;
      break;
    case WCALL_RELEASE:
      ok = till_store_outbox_release (store, call->job_id, error);
      break;
    case WCALL_MAKE_DUE:
      ok = till_store_outbox_make_all_due (store, call->now, error) >= 0;
      break;
    case WCALL_DONE:
      ok = till_store_outbox_done (store, call->job_id, error);
      break;
    case WCALL_RETRY:
      ok = till_store_outbox_retry (store, call->job_id, call->now, call->next_attempt_at,
                                    call->last_error, call->max_attempts, call->max_age_us,
                                    &call->dead, error);
      break;
    case WCALL_DEAD:
      ok = till_store_outbox_dead (store, call->job_id, call->last_error, error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (!ok)
    return NULL;
  call->pending = till_store_outbox_count_pending (store, NULL);
  call->next_due = till_store_outbox_next_due_at (store, NULL);
  return g_atomic_rc_box_acquire (call);
}

static void
worker_call_async (TillOutboxWorker    *self,
                   WorkerCall          *call,
                   GAsyncReadyCallback  callback)
{
  till_store_run_async (self->store, worker_call_run, g_atomic_rc_box_acquire (call),
                        (GDestroyNotify) worker_call_unref, (GDestroyNotify) worker_call_unref,
                        NULL, callback, g_object_ref (self));
}

/* ---------------------------------------------------------------- the loop */

static void look_for_work (TillOutboxWorker *self);
static void release_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static gboolean
timer_cb (gpointer user_data)
{
  TillOutboxWorker *self = user_data;

  self->timer_id = 0;
  look_for_work (self);
  return G_SOURCE_REMOVE;
}

/* The longest the worker sleeps without looking (TillOutboxWorkerConfig.look_again_ms):
 * jobs also become due without telling it (another worker stopped mid-job and gave its job
 * back, a job the store enqueued inside a payment's transaction), and nothing waits longer
 * than this for it. */
#define DEFAULT_LOOK_AGAIN_MS 30000

/* Sleeps until the next due job (next_due, unix µs; 0 = none), or LOOK_AGAIN_MS. */
static void
sleep_until (TillOutboxWorker *self,
             gint64            next_due)
{
  gint64 now = till_clock_now_us ();
  gint64 delay_ms;

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->stopped)
    return;
  if (next_due <= 0 || next_due > now + (gint64) self->look_again_ms * 1000)
    next_due = now + (gint64) self->look_again_ms * 1000;
  delay_ms = MAX ((next_due - now + 999) / 1000, 0);
  self->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MIN (delay_ms, G_MAXINT),
                                       timer_cb, self, NULL);
}

static void
after_job_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TillOutboxWorker) self = user_data;
  g_autoptr(GError) error = NULL;
  WorkerCall *call = till_store_run_finish (TILL_STORE (source), result, &error);

  self->busy = FALSE;
  set_running (self, FALSE);
  if (call == NULL)
    {
      g_warning ("Outbox: the store failed: %s", error->message);
      sleep_until (self, till_clock_now_us () + (gint64) self->cap_ms * 1000);
      return;
    }
  set_pending_count (self, call->pending);
  worker_call_unref (call);
  look_for_work (self);
}

/* The job ended: TRUE = done; else error (retry, or dead when definite). */
static void
job_ended (TillOutboxWorker *self,
           TillOutboxJob    *job,
           gboolean          done,
           const GError     *error)
{
  WorkerCall *call = g_atomic_rc_box_new0 (WorkerCall);
  gint64 now = till_clock_now_us ();

  call->job_id = job->id;
  call->now = now;
  if (done)
    {
      call->kind = WCALL_DONE;
      set_online (self, TRUE);
    }
  else
    {
      gboolean reached = till_pay_error_is_definite (error)
                         && !g_error_matches (error, TILL_PAY_ERROR, TILL_PAY_ERROR_NETWORK);
      /* A definite answer ends the job, except rate limiting (BUSY, WeChat Pay's 429):
       * trying again later changes it (the chaos test saw a reverse job die of it, its
       * payment stuck). */
      gboolean rate_limited = till_pay_error_get_failure (error) == TILL_PAY_FAILURE_BUSY;
      gboolean dead_now = error->domain == TILL_PAY_ERROR && reached && !rate_limited;
      guint64 delay = till_outbox_worker_backoff_ms (job->attempts + 1, self->base_ms,
                                                     self->cap_ms);

      /* Stopped under it (the payment settings changed, the till is closing): the job did
       * not fail, it was interrupted; the next worker takes it at once. */
      if (self->stopped || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        delay = 0;

      if (error->domain == TILL_PAY_ERROR)
        set_online (self, reached);
      /* Jitter: 80–120 % of the wait, so that tills do not retry in step. */
      delay = delay * (guint64) g_random_int_range (80, 121) / 100;
      call->kind = dead_now ? WCALL_DEAD : WCALL_RETRY;
      call->next_attempt_at = now + (gint64) delay * 1000;
      call->last_error = g_strdup (error->message);
      call->max_attempts = self->max_attempts;
      call->max_age_us = self->max_age_us;
    }
  worker_call_async (self, call, after_job_cb);
  worker_call_unref (call);
}

typedef struct
{
  TillOutboxWorker *self;
  TillOutboxJob    *job;
} JobRun;

static void
job_run_free (JobRun *run)
{
  g_object_unref (run->self);
  till_outbox_job_free (run->job);
  g_free (run);
}

static void
resolve_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  JobRun *run = user_data;
  g_autoptr(GError) error = NULL;
  gboolean done = till_payment_service_resolve_finish (TILL_PAYMENT_SERVICE (source), result,
                                                       &error);

  job_ended (run->self, run->job, done, error);
  job_run_free (run);
}

static void
handler_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  JobRun *run = user_data;
  g_autoptr(GError) error = NULL;
  gboolean done = g_task_propagate_boolean (G_TASK (result), &error);

  if (!done && error == NULL)
    error = g_error_new_literal (TILL_PAY_ERROR, TILL_PAY_ERROR_FAILED,
                                 _("The queued job did not finish"));
  job_ended (run->self, run->job, done, error);
  job_run_free (run);
}

static gint64
payload_payment_id (const TillOutboxJob *job)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (job->payload_json == NULL
      || !json_parser_load_from_data (parser, job->payload_json, -1, NULL))
    return 0;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  return json_object_get_int_member_with_default (json_node_get_object (root), "payment_id", 0);
}

static void
run_job (TillOutboxWorker *self,
         TillOutboxJob    *job)
{
  JobRun *run = g_new0 (JobRun, 1);
  Handler *handler;

  run->self = g_object_ref (self);
  run->job = job;
  set_running (self, TRUE);
  g_message ("Outbox: running %s job %" G_GINT64_FORMAT " (%s), attempt %d", job->kind, job->id,
             job->key, job->attempts + 1);

  if (g_str_equal (job->kind, TILL_OUTBOX_KIND_REVERSE)
      || g_str_equal (job->kind, TILL_OUTBOX_KIND_RESOLVE_PAYMENT)
      || g_str_equal (job->kind, TILL_OUTBOX_KIND_CLOSE_ORDER))
    {
      gint64 payment_id = payload_payment_id (job);

      if (payment_id <= 0)
        {
          g_autoptr(GError) error = g_error_new (TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID,
                                                 _("The queued job names no payment"));
          job_ended (self, job, FALSE, error);
          job_run_free (run);
          return;
        }
      till_payment_service_resolve_async (self->service, payment_id, self->cancellable,
                                          resolve_cb, run);
      return;
    }

  handler = g_hash_table_lookup (self->handlers, job->kind);
  if (handler == NULL)
    {
      /* Not an error of the job's own: wait for a handler, at the slowest pace. */
      g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                             _("No handler for queued %s jobs yet"), job->kind);
      job_ended (self, job, FALSE, error);
      job_run_free (run);
      return;
    }
  handler->func (job, self->cancellable, handler_cb, run, handler->data);
}

static void
claim_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TillOutboxWorker) self = user_data;
  g_autoptr(GError) error = NULL;
  WorkerCall *call = till_store_run_finish (TILL_STORE (source), result, &error);

  if (call == NULL)
    {
      self->busy = FALSE;
      g_warning ("Outbox: jobs could not be read: %s", error->message);
      sleep_until (self, till_clock_now_us () + (gint64) self->cap_ms * 1000);
      return;
    }
  set_pending_count (self, call->pending);
  if (call->job == NULL || self->stopped)
    {
      self->busy = FALSE;
      if (call->job != NULL)
        {
          /* Claimed but not started: give it back, or no later worker would take it
           * (only a restart of the store recovers running jobs). */
          WorkerCall *release = g_atomic_rc_box_new0 (WorkerCall);

          g_message ("Outbox: stopped before job %" G_GINT64_FORMAT, call->job->id);
          release->kind = WCALL_RELEASE;
          release->job_id = call->job->id;
          worker_call_async (self, release, release_cb);
          worker_call_unref (release);
        }
      if (self->again)
        look_for_work (self);
      else
        sleep_until (self, call->next_due);
      worker_call_unref (call);
      return;
    }
  run_job (self, g_steal_pointer (&call->job));
  worker_call_unref (call);
}

static void
release_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TillOutboxWorker) self = user_data;
  g_autoptr(GError) error = NULL;
  WorkerCall *call = till_store_run_finish (TILL_STORE (source), result, &error);

  if (call == NULL)
    g_warning ("Outbox: a claimed job could not be given back: %s", error->message);
  else
    worker_call_unref (call);
}

static void
look_for_work (TillOutboxWorker *self)
{
  WorkerCall *call;

  if (self->stopped)
    return;
  if (self->busy)
    {
      self->again = TRUE;
      return;
    }
  self->busy = TRUE;
  self->again = FALSE;
  g_clear_handle_id (&self->timer_id, g_source_remove);

  call = g_atomic_rc_box_new0 (WorkerCall);
  call->kind = WCALL_CLAIM;
  call->claim_until = till_clock_now_us ();
  worker_call_async (self, call, claim_cb);
  worker_call_unref (call);
}

void
till_outbox_worker_wake (TillOutboxWorker *self)
{
  g_return_if_fail (TILL_IS_OUTBOX_WORKER (self));
  look_for_work (self);
}

static void
make_due_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TillOutboxWorker) self = user_data;
  g_autoptr(GError) error = NULL;
  WorkerCall *call = till_store_run_finish (TILL_STORE (source), result, &error);

  if (call == NULL)
    g_warning ("Outbox: jobs could not be rescheduled: %s", error->message);
  else
    worker_call_unref (call);
  look_for_work (self);
}

/* Every pending job is made due now in the store, then the usual loop takes them in
 * order; a job that fails again gets its backoff from now, so this never loops on a job
 * and is safe to call while a job is running. */
void
till_outbox_worker_retry_all_now (TillOutboxWorker *self)
{
  WorkerCall *call;

  g_return_if_fail (TILL_IS_OUTBOX_WORKER (self));
  if (self->stopped)
    return;
  call = g_atomic_rc_box_new0 (WorkerCall);
  call->kind = WCALL_MAKE_DUE;
  call->now = till_clock_now_us ();
  worker_call_async (self, call, make_due_cb);
  worker_call_unref (call);
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    gpointer         user_data)
{
  TillOutboxWorker *self = user_data;

  /* Only a hint: whether WeChat Pay answers is learnt from the calls themselves. */
  if (available)
    till_outbox_worker_retry_all_now (self);
}

static void
outbox_changed_cb (TillPaymentService *service,
                   gpointer            user_data)
{
  till_outbox_worker_wake (TILL_OUTBOX_WORKER (user_data));
}

void
till_outbox_worker_set_handler (TillOutboxWorker *self,
                                const char       *kind,
                                TillOutboxHandler handler,
                                gpointer          handler_data,
                                GDestroyNotify    handler_data_free)
{
  Handler *h;

  g_return_if_fail (TILL_IS_OUTBOX_WORKER (self));
  g_return_if_fail (kind != NULL && handler != NULL);

  h = g_new0 (Handler, 1);
  h->func = handler;
  h->data = handler_data;
  h->data_free = handler_data_free;
  g_hash_table_replace (self->handlers, g_strdup (kind), h);
  till_outbox_worker_retry_all_now (self);
}

/* ---- refund and refund_query jobs: through TillRefundService */

static void
refund_job_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (till_refund_service_run_job_finish (TILL_REFUND_SERVICE (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
refund_handler (const TillOutboxJob *job,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             callback_data,
                gpointer             handler_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, callback_data);

  till_refund_service_run_job_async (TILL_REFUND_SERVICE (handler_data), job->kind, job->key,
                                     job->payload_json, cancellable, refund_job_cb, task);
}

static void
refund_outbox_changed_cb (TillRefundService *refunds,
                          gpointer           user_data)
{
  till_outbox_worker_wake (TILL_OUTBOX_WORKER (user_data));
}

void
till_outbox_worker_set_refund_service (TillOutboxWorker  *self,
                                       TillRefundService *refunds)
{
  g_return_if_fail (TILL_IS_OUTBOX_WORKER (self));
  g_return_if_fail (TILL_IS_REFUND_SERVICE (refunds));

  till_outbox_worker_set_handler (self, TILL_OUTBOX_KIND_REFUND, refund_handler,
                                  g_object_ref (refunds), g_object_unref);
  till_outbox_worker_set_handler (self, TILL_OUTBOX_KIND_REFUND_QUERY, refund_handler,
                                  g_object_ref (refunds), g_object_unref);
  g_signal_connect_object (refunds, "outbox-changed", G_CALLBACK (refund_outbox_changed_cb),
                           self, 0);
  till_outbox_worker_wake (self);
}

gboolean
till_outbox_worker_get_online (TillOutboxWorker *self)
{
  g_return_val_if_fail (TILL_IS_OUTBOX_WORKER (self), FALSE);
  return self->online;
}

gint64
till_outbox_worker_get_pending_count (TillOutboxWorker *self)
{
  g_return_val_if_fail (TILL_IS_OUTBOX_WORKER (self), 0);
  return self->pending_count;
}

gboolean
till_outbox_worker_get_running (TillOutboxWorker *self)
{
  g_return_val_if_fail (TILL_IS_OUTBOX_WORKER (self), FALSE);
  return self->running;
}

void
till_outbox_worker_stop (TillOutboxWorker *self)
{
  g_return_if_fail (TILL_IS_OUTBOX_WORKER (self));

  if (self->stopped)
    return;
  self->stopped = TRUE;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_signal_handler (&self->monitor_handler, self->monitor);
  g_clear_signal_handler (&self->service_handler, self->service);
}

/* ---------------------------------------------------------------- GObject */

static void
till_outbox_worker_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TillOutboxWorker *self = TILL_OUTBOX_WORKER (object);

  switch (prop_id)
    {
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_PENDING_COUNT:
      g_value_set_int64 (value, self->pending_count);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_outbox_worker_dispose (GObject *object)
{
  TillOutboxWorker *self = TILL_OUTBOX_WORKER (object);

  till_outbox_worker_stop (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->monitor);
  g_clear_object (&self->service);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (till_outbox_worker_parent_class)->dispose (object);
}

static void
till_outbox_worker_finalize (GObject *object)
{
  TillOutboxWorker *self = TILL_OUTBOX_WORKER (object);

  g_hash_table_unref (self->handlers);
  g_object_unref (self->cancellable);
  G_OBJECT_CLASS (till_outbox_worker_parent_class)->finalize (object);
}

static void
till_outbox_worker_class_init (TillOutboxWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = till_outbox_worker_get_property;
  object_class->dispose = till_outbox_worker_dispose;
  object_class->finalize = till_outbox_worker_finalize;

  props[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_PENDING_COUNT] =
    g_param_spec_int64 ("pending-count", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
till_outbox_worker_init (TillOutboxWorker *self)
{
  self->handlers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) handler_free);
  self->cancellable = g_cancellable_new ();
  self->online = TRUE;   /* until a call says otherwise */
}

TillOutboxWorker *
till_outbox_worker_new (TillPaymentService           *service,
                        const TillOutboxWorkerConfig *config)
{
  TillOutboxWorker *self;
  TillOutboxWorkerConfig defaults = { 0 };

  g_return_val_if_fail (TILL_IS_PAYMENT_SERVICE (service), NULL);

  if (config == NULL)
    {
      defaults.watch_network = TRUE;
      config = &defaults;
    }
  self = g_object_new (TILL_TYPE_OUTBOX_WORKER, NULL);
  self->service = g_object_ref (service);
  self->store = g_object_ref (till_payment_service_get_store (service));
  self->base_ms = config->backoff_base_ms ? config->backoff_base_ms : DEFAULT_BASE_MS;
  self->cap_ms = config->backoff_cap_ms ? config->backoff_cap_ms : DEFAULT_CAP_MS;
  self->look_again_ms = config->look_again_ms ? config->look_again_ms : DEFAULT_LOOK_AGAIN_MS;
  self->max_attempts = config->max_attempts == 0 ? DEFAULT_MAX_ATTEMPTS
                       : config->max_attempts < 0 ? 0 : config->max_attempts;
  self->max_age_us = config->max_age_ms == 0 ? DEFAULT_MAX_AGE_MS * 1000
                     : config->max_age_ms < 0 ? 0 : config->max_age_ms * 1000;
  self->service_handler = g_signal_connect_object (service, "outbox-changed",
                                                   G_CALLBACK (outbox_changed_cb), self, 0);
  if (config->watch_network)
    {
      self->monitor = g_object_ref (g_network_monitor_get_default ());
      self->monitor_handler = g_signal_connect_object (self->monitor, "network-changed",
                                                       G_CALLBACK (network_changed_cb), self, 0);
    }
  /* The status bar's first value: a short read, once, at startup. */
  self->pending_count = MAX (till_store_outbox_count_pending (self->store, NULL), 0);
  look_for_work (self);
  return self;
}
