/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The daily reconciliation job: fetch each provider's trade bill of a closed day (checked
 * and parsed by the provider) and reconcile it with that provider's side of the till's
 * books, through the outbox. */
#define G_LOG_DOMAIN "till-pay"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "till-bill-service.h"
#include "till-core-error.h"
#include "till-report.h"
#include "till-store-outbox.h"
#include "till-store-reports.h"
#include "till-clock.h"

#define DEFAULT_FETCH_HOUR        10
#define DEFAULT_NOT_READY_RETRY_S 1800
#define DEFAULT_NOT_READY_LIMIT_S (24 * 3600)
#define DEFAULT_CORRUPT_ATTEMPTS  5

typedef struct _Waiting Waiting;

struct _TillBillService
{
  GObject               parent_instance;

  TillStore            *store;
  GPtrArray            *providers;     /* TillPayProvider*, the first one given first */
  TillBillServiceConfig config;

  TillOutboxWorker     *worker;        /* weak */
  gulong                running_handler;
  GHashTable           *ended;         /* job id (gint64*) -> Waiting*: not ready, the
                                          worker is still storing the attempt's end */
  GHashTable           *waiting;       /* job key -> Waiting*: done for now, tried again
                                          by a timer */
};

G_DEFINE_FINAL_TYPE (TillBillService, till_bill_service, G_TYPE_OBJECT)

enum
{
  SIGNAL_RECONCILED,
  SIGNAL_NOT_READY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The provider's name for the manager. */
static const char *
provider_title (const char *name)
{
  if (g_strcmp0 (name, "wechat") == 0)
    return _("WeChat Pay");
  if (g_strcmp0 (name, "alipay") == 0)
    return _("Alipay");
  return name;
}

/* The set of payment methods (TILL_PAYMENT_METHOD_BIT) whose payments `provider` made. */
static guint
provider_methods (TillPayProvider *provider)
{
  guint methods = 0;

  for (guint m = 0; m < TILL_PAYMENT_METHOD_COUNT; m++)
    if (till_payment_method_is_electronic ((TillPaymentMethod) m)
        && till_pay_provider_owns_method (provider, (TillPaymentMethod) m, NULL))
      methods |= TILL_PAYMENT_METHOD_BIT (m);
  return methods;
}

TillPayProvider *
till_bill_service_get_provider (TillBillService *self,
                                const char      *name)
{
  g_return_val_if_fail (TILL_IS_BILL_SERVICE (self), NULL);

  for (guint i = 0; name != NULL && i < self->providers->len; i++)
    {
      TillPayProvider *provider = g_ptr_array_index (self->providers, i);

      if (g_strcmp0 (till_pay_provider_get_name (provider), name) == 0)
        return provider;
    }
  return NULL;
}

char *
till_bill_service_job_key (const char *provider,
                           const char *date)
{
  g_return_val_if_fail (provider != NULL && date != NULL, NULL);

  if (g_str_equal (provider, TILL_BILL_DEFAULT_PROVIDER))
    return g_strconcat (TILL_BILL_JOB_KEY_PREFIX, date, NULL);
  return g_strconcat (TILL_BILL_JOB_KEY_PREFIX, provider, ":", date, NULL);
}

static GError *
not_set_up_error (const char *provider,
                  const char *date)
{
  return g_error_new (TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED,
                      _("%1$s is not set up on this till: its bill of %2$s cannot be "
                        "fetched"), provider_title (provider), date);
}

/* The provider has not made the day's bill yet: not an error, try later. */
static gboolean
bill_not_ready (const GError *error)
{
  return till_pay_error_get_failure (error) == TILL_PAY_FAILURE_NOT_READY;
}

/* A valid "YYYY-MM-DD" gives its local day [from, to). */
static gboolean
parse_date (const char *date,
            gint64     *out_from_us,
            gint64     *out_to_us,
            GError    **error)
{
  gint64 from = 0, to = 0;

  if (date == NULL || !till_report_parse_day (date, &from, &to, NULL))
    {
      g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID,
                   _("“%s” is not a day (YYYY-MM-DD)"), date ? date : "");
      return FALSE;
    }
  if (out_from_us != NULL)
    *out_from_us = from;
  if (out_to_us != NULL)
    *out_to_us = to;
  return TRUE;
}

gint64
till_bill_service_due_at (TillBillService *self,
                          const char      *date,
                          GError         **error)
{
  gint64 to;

  g_return_val_if_fail (TILL_IS_BILL_SERVICE (self), 0);

  if (!parse_date (date, NULL, &to, error))
    return 0;
  return to + (gint64) self->config.fetch_hour * 3600 * G_USEC_PER_SEC;
}

/* ---------------------------------------------------------------- the fetch */

typedef struct
{
  char            *date;
  TillPayProvider *provider;
  char            *name;       /* the provider's */
  guint            methods;    /* the provider's payment methods */
  TillBill        *bill;       /* parsed by the provider; no rows = no trade that day */
  gint64           fetched_at;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_free (fetch->date);
  g_clear_object (&fetch->provider);
  g_free (fetch->name);
  g_clear_pointer (&fetch->bill, till_bill_free);
  g_free (fetch);
}

/* On the store thread: reconcile the day with the bill. */
static gpointer
reconcile_run (TillStore *store,
               gpointer   data,
               GError   **error)
{
  Fetch *fetch = data;

  return till_store_reconcile_day (store, fetch->date, fetch->name, fetch->methods, fetch->bill,
                                   fetch->fetched_at, error);
}

static void
reconcile_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TillBillService *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  TillReconciliation *reconciliation = till_store_run_finish (TILL_STORE (source), result,
                                                              &error);

  if (reconciliation == NULL)
    {
      g_warning ("Bill of %s (%s): %s", fetch->date, fetch->name, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  {
    g_autofree char *key = till_bill_service_job_key (fetch->name, fetch->date);

    g_hash_table_remove (self->waiting, key);   /* nothing left to wait for */
  }
  g_signal_emit (self, signals[SIGNAL_RECONCILED], g_quark_from_string (fetch->name),
                 fetch->date,
                 till_reconciliation_is_balanced (reconciliation) ? "balanced" : "differences",
                 fetch->name);
  g_task_return_pointer (task, reconciliation, (GDestroyNotify) till_reconciliation_free);
}

static void
reconcile_start (GTask *task)
{
  TillBillService *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  Fetch *copy = g_new0 (Fetch, 1);

  fetch->fetched_at = till_clock_now_us ();
  copy->date = g_strdup (fetch->date);
  copy->name = g_strdup (fetch->name);
  copy->methods = fetch->methods;
  copy->bill = g_steal_pointer (&fetch->bill);   /* the store thread's from now on */
  copy->fetched_at = fetch->fetched_at;
  till_store_run_async (self->store, reconcile_run, copy, (GDestroyNotify) fetch_free,
                        (GDestroyNotify) till_reconciliation_free,
                        g_task_get_cancellable (task), reconcile_cb, task);
}

static void
fetch_bill_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  fetch->bill = till_pay_provider_fetch_bill_finish (TILL_PAY_PROVIDER (source), result, &error);
  if (fetch->bill == NULL)
    {
      g_message ("Bill of %s (%s): %s", fetch->date, fetch->name, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (fetch->bill->rows == NULL || fetch->bill->rows->len == 0)
    g_message ("Bill of %s: no trade that day at %s", fetch->date, fetch->name);
  reconcile_start (task);
}

/* Fetches, checks, parses, reconciles and stores one day with one provider; the task's
 * pointer is the TillReconciliation. */
static void
fetch_async (TillBillService     *self,
             const char          *date,
             TillPayProvider     *provider,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Fetch *fetch = g_new0 (Fetch, 1);

  g_task_set_source_tag (task, fetch_async);
  fetch->date = g_strdup (date);
  fetch->provider = g_object_ref (provider);
  fetch->name = g_strdup (till_pay_provider_get_name (provider));
  fetch->methods = provider_methods (provider);
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);
  g_message ("Bill of %s: fetching from %s", date, fetch->name);
  till_pay_provider_fetch_bill_async (provider, date, cancellable, fetch_bill_cb, task);
}

static TillReconciliation *
fetch_finish (GAsyncResult *result,
              GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------- fetch now */

typedef struct
{
  char *date;
  char *provider;
} NowRun;

static void
now_run_free (NowRun *run)
{
  g_free (run->date);
  g_free (run->provider);
  g_free (run);
}

static void
reconcile_now_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  TillReconciliation *reconciliation = fetch_finish (result, &error);

  if (reconciliation == NULL)
    {
      if (bill_not_ready (error))
        {
          NowRun *run = g_task_get_task_data (task);

          /* Keep the provider's code and status; say it in the manager's words. */
          g_free (error->message);
          error->message = g_strdup_printf (_("%1$s has not finished the bill of %2$s yet "
                                              "(it is usually ready the next morning). Try "
                                              "again later."),
                                            provider_title (run->provider), run->date);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, reconciliation, (GDestroyNotify) till_reconciliation_free);
}

void
till_bill_service_reconcile_now_async (TillBillService     *self,
                                       const char          *date,
                                       const char          *provider,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TillPayProvider *found;
  GError *error = NULL;
  NowRun *run;

  g_return_if_fail (TILL_IS_BILL_SERVICE (self));
  g_return_if_fail (provider != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_bill_service_reconcile_now_async);
  if (!parse_date (date, NULL, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  found = till_bill_service_get_provider (self, provider);
  if (found == NULL)
    {
      g_task_return_error (task, not_set_up_error (provider, date));
      return;
    }
  run = g_new0 (NowRun, 1);
  run->date = g_strdup (date);
  run->provider = g_strdup (provider);
  g_task_set_task_data (task, run, (GDestroyNotify) now_run_free);
  fetch_async (self, date, found, cancellable, reconcile_now_cb, g_steal_pointer (&task));
}

TillReconciliation *
till_bill_service_reconcile_now_finish (TillBillService  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_return_val_if_fail (TILL_IS_BILL_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, till_bill_service_reconcile_now_async),
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------- the outbox job */

static Waiting *waiting_new (TillBillService *self, gint64 job_id, const char *date,
                             const char *provider, gint64 next_at);

typedef struct
{
  TillBillService *self;
  TillOutboxJob   *job;
  char            *date;
  char            *provider;
} JobRun;

static void
job_run_free (JobRun *run)
{
  g_object_unref (run->self);
  till_outbox_job_free (run->job);
  g_free (run->date);
  g_free (run->provider);
  g_free (run);
}

/* A provider's name as keys and payloads carry it: lower-case letters, digits, '_'. */
static gboolean
is_provider_name (const char *name)
{
  if (name == NULL || name[0] == '\0')
    return FALSE;
  for (const char *c = name; *c != '\0'; c++)
    if (!g_ascii_islower (*c) && !g_ascii_isdigit (*c) && *c != '_')
      return FALSE;
  return TRUE;
}

/* The day and the provider a job is for: its payload's "date" and "provider", else its
 * key ("bill:<date>" is WeChat Pay's, from before there were others; "bill:<provider>:
 * <date>"). FALSE when the job names no day. */
static gboolean
job_target (const TillOutboxJob  *job,
            char                **out_date,
            char                **out_provider)
{
  g_autofree char *date = NULL;
  g_autofree char *provider = NULL;

  if (job->payload_json != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root;

      if (json_parser_load_from_data (parser, job->payload_json, -1, NULL)
          && (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
        {
          JsonObject *o = json_node_get_object (root);

          date = g_strdup (json_object_get_string_member_with_default (o, "date", NULL));
          provider = g_strdup (json_object_get_string_member_with_default (o, "provider",
                                                                           NULL));
        }
    }
  if (job->key != NULL && g_str_has_prefix (job->key, TILL_BILL_JOB_KEY_PREFIX))
    {
      const char *rest = job->key + strlen (TILL_BILL_JOB_KEY_PREFIX);
      const char *colon = strchr (rest, ':');

      if (provider == NULL)
        provider = colon != NULL ? g_strndup (rest, colon - rest)
                                 : g_strdup (TILL_BILL_DEFAULT_PROVIDER);
      if (date == NULL)
        date = g_strdup (colon != NULL ? colon + 1 : rest);
    }
  if (provider == NULL)
    provider = g_strdup (TILL_BILL_DEFAULT_PROVIDER);
  if (date == NULL || !is_provider_name (provider))
    return FALSE;
  *out_date = g_steal_pointer (&date);
  *out_provider = g_steal_pointer (&provider);
  return TRUE;
}

static void
job_fetch_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  JobRun *run = g_task_get_task_data (task);
  TillBillService *self = run->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillReconciliation) reconciliation = fetch_finish (result, &error);
  gint64 now = till_clock_now_us ();

  if (reconciliation != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (bill_not_ready (error))
    {
      gint64 due = till_bill_service_due_at (self, run->date, NULL);
      gint64 since = MAX (due, run->job->created_at);
      gint64 limit = (gint64) self->config.not_ready_limit_s * G_USEC_PER_SEC;
      gint64 next;

      if (now - since >= limit)
        {
          GError *dead = g_error_new (TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER,
                                      _("%1$s still had no bill for %2$s a day after it was "
                                        "due; fetch it later from the reconciliation "
                                        "window."), provider_title (run->provider), run->date);

          till_pay_error_set_details (dead, till_pay_error_get_provider_code (error),
                                      till_pay_error_get_provider_message (error),
                                      till_pay_error_get_http_status (error));
          till_pay_error_set_failure (dead, TILL_PAY_FAILURE_NOT_READY);
          g_task_return_error (task, dead);
          return;
        }
      /* Not an error: this attempt is over (the job is done for the worker, so that
       * "try everything now" does not spin on it) and a timer brings it back, pending
       * and attempts 0, at `next` (see running_cb, waiting_fire_cb). */
      next = now + (gint64) self->config.not_ready_retry_s * G_USEC_PER_SEC;
      g_hash_table_replace (self->ended, g_memdup2 (&run->job->id, sizeof (gint64)),
                            waiting_new (self, run->job->id, run->date, run->provider, next));
      g_message ("Bill of %s (%s) is not ready yet; next try in %u s", run->date,
                 run->provider, self->config.not_ready_retry_s);
      g_signal_emit (self, signals[SIGNAL_NOT_READY], g_quark_from_string (run->provider),
                     run->date, next, run->provider);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_error_matches (error, TILL_PAY_ERROR, TILL_PAY_ERROR_CORRUPT)
      || g_error_matches (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_BILL))
    {
      gint attempt = run->job->attempts + 1;

      if (attempt >= (gint) self->config.corrupt_attempts)
        g_task_return_new_error (task, TILL_PAY_ERROR, TILL_PAY_ERROR_CORRUPT,
                                 _("%1$s's bill of %2$s could not be used after %3$d attempts "
                                   "(%4$s). Fetch it again later from the reconciliation "
                                   "window."),
                                 provider_title (run->provider), run->date, attempt,
                                 error->message);
      else
        /* Not the provider's refusal: the worker tries again with its backoff. */
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                 _("%1$s's bill of %2$s was damaged (%3$s); it will be "
                                   "downloaded again."),
                                 provider_title (run->provider), run->date, error->message);
      return;
    }

  /* Network, 5xx, timeouts: retried by the worker; a definite refusal: dead. */
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
handle_job (const TillOutboxJob *job,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             callback_data,
            gpointer             handler_data)
{
  TillBillService *self = handler_data;
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, callback_data);
  g_autofree char *date = NULL;
  g_autofree char *provider = NULL;
  TillPayProvider *found;
  JobRun *run;

  g_task_set_source_tag (task, handle_job);
  if (!job_target (job, &date, &provider) || !parse_date (date, NULL, NULL, NULL))
    {
      g_task_return_new_error (task, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID,
                               _("The queued bill job names no day"));
      return;
    }
  found = till_bill_service_get_provider (self, provider);
  if (found == NULL)
    {
      /* Definite: the job is dead, with the reason; scheduling the day again once the
       * provider is set up brings it back. */
      g_message ("Bill job %s: %s is not set up", job->key, provider);
      g_task_return_error (task, not_set_up_error (provider, date));
      return;
    }
  run = g_new0 (JobRun, 1);
  run->self = g_object_ref (self);
  run->job = till_outbox_job_copy (job);
  run->date = g_steal_pointer (&date);
  run->provider = g_steal_pointer (&provider);
  g_task_set_task_data (task, run, (GDestroyNotify) job_run_free);
  fetch_async (self, run->date, found, cancellable, job_fetch_cb, g_steal_pointer (&task));
}

/* ---------------------------------------------------------------- waiting jobs */

struct _Waiting
{
  TillBillService *self;      /* not a reference: the service removes its timers */
  gint64           job_id;
  char            *date;
  char            *provider;
  char            *key;       /* till_bill_service_job_key() */
  gint64           next_at;
  guint            timer_id;
};

static Waiting *
waiting_new (TillBillService *self,
             gint64           job_id,
             const char      *date,
             const char      *provider,
             gint64           next_at)
{
  Waiting *w = g_new0 (Waiting, 1);

  w->self = self;
  w->job_id = job_id;
  w->date = g_strdup (date);
  w->provider = g_strdup (provider);
  w->key = till_bill_service_job_key (provider, date);
  w->next_at = next_at;
  return w;
}

static void
waiting_free (Waiting *w)
{
  g_clear_handle_id (&w->timer_id, g_source_remove);
  g_free (w->date);
  g_free (w->provider);
  g_free (w->key);
  g_free (w);
}

static gpointer
revive_run (TillStore *store,
            gpointer   data,
            GError   **error)
{
  gint64 job_id = *(gint64 *) data;

  if (!till_store_outbox_revive (store, job_id, till_clock_now_us (), error))
    return NULL;
  return GINT_TO_POINTER (1);
}

static void
revive_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TillBillService) self = user_data;
  g_autoptr(GError) error = NULL;

  if (till_store_run_finish (TILL_STORE (source), result, &error) == NULL)
    {
      /* A job still running is the worker's; one left running by a crash goes back to
       * pending when the store is next opened. */
      g_warning ("A bill job could not be queued again: %s", error->message);
      return;
    }
  if (self->worker != NULL)
    till_outbox_worker_wake (self->worker);
}

static gboolean
waiting_fire_cb (gpointer user_data)
{
  Waiting *w = user_data;
  TillBillService *self = w->self;

  w->timer_id = 0;
  g_message ("Bill of %s (%s): trying again", w->date, w->provider);
  till_store_run_async (self->store, revive_run, g_memdup2 (&w->job_id, sizeof (gint64)),
                        g_free, NULL, NULL, revive_cb, g_object_ref (self));
  g_hash_table_remove (self->waiting, w->key);
  return G_SOURCE_REMOVE;
}

static void
running_cb (GObject    *worker,
            GParamSpec *pspec,
            gpointer    user_data)
{
  TillBillService *self = user_data;
  GHashTableIter iter;
  gpointer key, value;

  /* "running" turns FALSE once the worker has stored how the job ended. */
  if (till_outbox_worker_get_running (TILL_OUTBOX_WORKER (worker)))
    return;
  g_hash_table_iter_init (&iter, self->ended);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Waiting *w = value;
      gint64 delay_ms = MAX ((w->next_at - till_clock_now_us ()) / 1000, 0);

      /* Stealing frees neither: the Waiting moves to self->waiting, its job id key goes. */
      g_hash_table_iter_steal (&iter);
      g_free (key);
      w->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MIN (delay_ms, G_MAXINT),
                                        waiting_fire_cb, w, NULL);
      g_hash_table_replace (self->waiting, g_strdup (w->key), w);
    }
}

gint64
till_bill_service_get_next_try (TillBillService *self,
                                const char      *date,
                                const char      *provider)
{
  g_autofree char *key = NULL;
  Waiting *w;

  g_return_val_if_fail (TILL_IS_BILL_SERVICE (self), 0);
  g_return_val_if_fail (date != NULL && provider != NULL, 0);

  key = till_bill_service_job_key (provider, date);
  w = g_hash_table_lookup (self->waiting, key);
  return w != NULL ? w->next_at : 0;
}

/* Startup: fetch_bill jobs of the service's providers done without a stored
 * reconciliation come back, due now. `data`: the providers' names (GStrv). */
static gpointer
recover_run (TillStore *store,
             gpointer   data,
             GError   **error)
{
  const char *const *names = data;
  g_autoptr(GPtrArray) jobs = till_store_outbox_list (store, TILL_OUTBOX_STATE_DONE, error);
  gint64 now = till_clock_now_us ();
  guint n = 0;

  if (jobs == NULL)
    return NULL;
  for (guint i = 0; i < jobs->len; i++)
    {
      TillOutboxJob *job = g_ptr_array_index (jobs, i);
      g_autofree char *date = NULL;
      g_autofree char *provider = NULL;
      g_autofree char *json = NULL;
      g_autoptr(GError) local = NULL;

      if (g_strcmp0 (job->kind, TILL_OUTBOX_KIND_FETCH_BILL) != 0
          || !job_target (job, &date, &provider)
          || !g_strv_contains (names, provider))
        continue;
      json = till_store_reconcile_load (store, date, provider, NULL, &local);
      if (json != NULL || !g_error_matches (local, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND))
        continue;
      if (till_store_outbox_revive (store, job->id, now, NULL))
        n++;
    }
  if (n > 0)
    g_message ("%u bill jobs put back (left done without a reconciliation)", n);
  return GUINT_TO_POINTER (n + 1);
}

static void
recover_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TillBillService) self = user_data;
  g_autoptr(GError) error = NULL;
  guint n = GPOINTER_TO_UINT (till_store_run_finish (TILL_STORE (source), result, &error));

  if (n == 0)
    g_warning ("Bill jobs could not be checked: %s", error->message);
  else if (n > 1 && self->worker != NULL)
    till_outbox_worker_wake (self->worker);
}

void
till_bill_service_attach (TillBillService  *self,
                          TillOutboxWorker *worker)
{
  g_return_if_fail (TILL_IS_BILL_SERVICE (self));
  g_return_if_fail (TILL_IS_OUTBOX_WORKER (worker));
  g_return_if_fail (self->worker == NULL);

  g_set_weak_pointer (&self->worker, worker);
  self->running_handler = g_signal_connect_object (worker, "notify::running",
                                                   G_CALLBACK (running_cb), self, 0);
  {
    g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

    for (guint i = 0; i < self->providers->len; i++)
      g_strv_builder_add (names, till_pay_provider_get_name (g_ptr_array_index (self->providers,
                                                                                i)));
    till_store_run_async (self->store, recover_run, g_strv_builder_end (names),
                          (GDestroyNotify) g_strfreev, NULL, NULL, recover_cb,
                          g_object_ref (self));
  }
  till_outbox_worker_set_handler (worker, TILL_OUTBOX_KIND_FETCH_BILL, handle_job,
                                  g_object_ref (self), g_object_unref);
}

/* ---------------------------------------------------------------- scheduling */

static gboolean
schedule_one (TillBillService *self,
              const char      *date,
              const char      *provider,
              gint64           due,
              GError         **error)
{
  g_autoptr(TillOutboxJob) job = NULL;
  g_autofree char *key = till_bill_service_job_key (provider, date);
  g_autofree char *payload = NULL;
  gint64 now = till_clock_now_us ();
  gboolean created = FALSE;

  /* date is digits and dashes (checked), the name letters (is_provider_name): safe inside
   * the JSON as they are */
  payload = g_strdup_printf ("{\"date\":\"%s\",\"provider\":\"%s\"}", date, provider);
  job = till_store_outbox_enqueue (self->store, TILL_OUTBOX_KIND_FETCH_BILL, key, payload,
                                   MAX (due, now), &created, error);
  if (job == NULL)
    return FALSE;
  if (!g_str_equal (job->kind, TILL_OUTBOX_KIND_FETCH_BILL))
    {
      g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID,
                   _("The reconciliation of %1$s with %2$s could not be queued"), date,
                   provider_title (provider));
      return FALSE;
    }
  if (!created && job->state == TILL_OUTBOX_STATE_DEAD)
    {
      if (!till_store_outbox_revive (self->store, job->id, now, error))
        return FALSE;
      g_message ("Bill of %s (%s): the job that had given up is queued again", date, provider);
    }
  else if (created)
    g_message ("Bill of %s (%s): queued for %" G_GINT64_FORMAT " (unix µs)", date, provider,
               MAX (due, now));
  return TRUE;
}

gboolean
till_bill_service_schedule (TillBillService *self,
                            const char      *date,
                            GError         **error)
{
  GError *first = NULL;
  gint64 due;

  g_return_val_if_fail (TILL_IS_BILL_SERVICE (self), FALSE);

  due = till_bill_service_due_at (self, date, error);
  if (due == 0)
    return FALSE;
  for (guint i = 0; i < self->providers->len; i++)
    {
      const char *name = till_pay_provider_get_name (g_ptr_array_index (self->providers, i));
      g_autoptr(GError) local = NULL;

      if (!schedule_one (self, date, name, due, &local))
        {
          g_message ("Bill of %s (%s) not queued: %s", date, name, local->message);
          if (first == NULL)
            first = g_steal_pointer (&local);
        }
    }
  if (self->worker != NULL)
    till_outbox_worker_wake (self->worker);
  if (first != NULL)
    {
      g_propagate_error (error, first);
      return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------- GObject */

static void
till_bill_service_dispose (GObject *object)
{
  TillBillService *self = TILL_BILL_SERVICE (object);

  if (self->worker != NULL)
    g_clear_signal_handler (&self->running_handler, self->worker);
  g_clear_weak_pointer (&self->worker);
  g_hash_table_remove_all (self->waiting);   /* stops the timers */
  g_hash_table_remove_all (self->ended);
  g_ptr_array_set_size (self->providers, 0);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (till_bill_service_parent_class)->dispose (object);
}

static void
till_bill_service_finalize (GObject *object)
{
  TillBillService *self = TILL_BILL_SERVICE (object);

  g_hash_table_unref (self->ended);
  g_hash_table_unref (self->waiting);
  g_ptr_array_unref (self->providers);
  G_OBJECT_CLASS (till_bill_service_parent_class)->finalize (object);
}

static void
till_bill_service_class_init (TillBillServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = till_bill_service_dispose;
  object_class->finalize = till_bill_service_finalize;

  signals[SIGNAL_RECONCILED] =
    g_signal_new ("reconciled", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_NOT_READY] =
    g_signal_new ("not-ready", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_INT64, G_TYPE_STRING);
}

static void
till_bill_service_init (TillBillService *self)
{
  self->ended = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                       (GDestroyNotify) waiting_free);
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) waiting_free);
  self->providers = g_ptr_array_new_with_free_func (g_object_unref);
}

void
till_bill_service_add_provider (TillBillService *self,
                                TillPayProvider *provider)
{
  const char *name;

  g_return_if_fail (TILL_IS_BILL_SERVICE (self));
  g_return_if_fail (TILL_IS_PAY_PROVIDER (provider));

  name = till_pay_provider_get_name (provider);
  g_return_if_fail (is_provider_name (name));
  if (till_bill_service_get_provider (self, name) != NULL)
    {
      g_warning ("The bill service already has a provider named %s", name);
      return;
    }
  g_ptr_array_add (self->providers, g_object_ref (provider));
}

TillBillService *
till_bill_service_new (TillStore                   *store,
                       TillPayProvider             *provider,
                       const TillBillServiceConfig *config)
{
  TillBillService *self;

  g_return_val_if_fail (TILL_IS_STORE (store), NULL);
  g_return_val_if_fail (TILL_IS_PAY_PROVIDER (provider), NULL);

  self = g_object_new (TILL_TYPE_BILL_SERVICE, NULL);
  self->store = g_object_ref (store);
  till_bill_service_add_provider (self, provider);
  if (config != NULL)
    self->config = *config;
  if (self->config.fetch_hour == 0 || self->config.fetch_hour > 23)
    self->config.fetch_hour = DEFAULT_FETCH_HOUR;
  if (self->config.not_ready_retry_s == 0)
    self->config.not_ready_retry_s = DEFAULT_NOT_READY_RETRY_S;
  if (self->config.not_ready_limit_s == 0)
    self->config.not_ready_limit_s = DEFAULT_NOT_READY_LIMIT_S;
  if (self->config.corrupt_attempts == 0)
    self->config.corrupt_attempts = DEFAULT_CORRUPT_ATTEMPTS;
  return self;
}
