/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillPaymentRuntime: builds electronic payment from the settings and keeps it running. */
#define G_LOG_DOMAIN "till-payment-runtime"
#include "config.h"

#include <glib/gi18n.h>

#include "till-payment-runtime-private.h"

struct _TillPaymentRuntime
{
  GObject                  parent_instance;

  TillStore               *store;
  GSettings               *settings;

  TillPaymentStatus        payment_status;
  char                    *payment_problem;
  TillPaymentService      *service;
  TillOutboxWorker        *worker;
  GPtrArray               *providers;         /* TillPayProvider*: WeChat Pay and/or Alipay
                                                 over the settings' clients (owned) */
  GHashTable              *problems;          /* provider name -> why it is not set up */
  guint                    probe_next;        /* the provider the next probe asks */
  TillRefundService       *refunds;           /* same providers as the service */
  TillRefundService       *cash_refunds;      /* no provider: until the service is ready */
  TillBillService         *bills;             /* same providers; attached to the worker */
  TillPaymentRuntimeTuning tuning;
  guint                    build_generation;  /* a build whose generation is old is dropped */
  guint                    rebuild_id;        /* debounce of settings changes */
  gboolean                 rebuild_waiting;   /* live payments first */
  GCancellable            *build_cancellable;
  gboolean                 online;
  gint64                   clock_skew_s;      /* the provider's clock minus the till's */
  gint64                   pending_count;
  guint                    probe_id;
  gboolean                 probing;
  gboolean                 shut_down;
};

G_DEFINE_FINAL_TYPE (TillPaymentRuntime, till_payment_runtime, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_PAYMENT_STATUS,
  PROP_PAYMENT_PROBLEM,
  PROP_PAYMENT_SERVICE,
  PROP_OUTBOX_WORKER,
  PROP_REFUND_SERVICE,
  PROP_BILL_SERVICE,
  PROP_ONLINE,
  PROP_PENDING_COUNT,
  PROP_CLOCK_SKEW_SECONDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const payment_keys[] = {
  "api-base-url", "mchid", "appid", "merchant-serial-no", "merchant-key-path",
  "platform-public-key-path", "platform-public-key-id", "store-id", "device-id",
  "query-interval-ms", "pay-deadline-ms", "http-timeout-ms", "ca-file",
  "alipay-gateway-url", "alipay-app-id", "alipay-app-private-key-path",
  "alipay-public-key-path",
};

#define DEFAULT_PROBE_INTERVAL_MS 30000
#define PROBE_ORDER_NO            "TPROBE000000000000000"
#define REBUILD_PAUSE_MS          400

static void till_payment_runtime_rebuild_now (TillPaymentRuntime *self);

GSettings *
_till_payment_runtime_get_settings (TillPaymentRuntime *self)
{
  return self->settings;
}

static void
set_online (TillPaymentRuntime *self,
            gboolean            online)
{
  if (self->online == online)
    return;
  self->online = online;
  g_message ("payment API %s", online ? "reachable" : "unreachable");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
}

static void
set_status (TillPaymentRuntime *self,
            TillPaymentStatus   status,
            const char         *problem)
{
  gboolean problem_changed = g_strcmp0 (problem, self->payment_problem) != 0;

  if (problem_changed)
    {
      g_free (self->payment_problem);
      self->payment_problem = g_strdup (problem);
    }
  if (self->payment_status != status)
    {
      self->payment_status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAYMENT_STATUS]);
    }
  if (problem_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAYMENT_PROBLEM]);
}

static void
notify_services (TillPaymentRuntime *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAYMENT_SERVICE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTBOX_WORKER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFUND_SERVICE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BILL_SERVICE]);
}

/* ------------------------------------------------------------------------------------ */
/* Reachability                                                                          */

static void schedule_probe (TillPaymentRuntime *self, guint delay_ms);

static guint
probe_interval (TillPaymentRuntime *self)
{
  guint ms = self->tuning.probe_interval_ms ? self->tuning.probe_interval_ms
                                            : DEFAULT_PROBE_INTERVAL_MS;

  /* Offline: look again sooner, so the banner goes away soon after the network is back. */
  return self->online ? ms : MAX (ms / 3, 100);
}

/* A real call answered (any verified or definite answer from the provider) means the API
 * is reachable; a transport failure means it is not. */
static gboolean
error_means_reachable (const GError *error)
{
  if (error == NULL)
    return TRUE;
  if (error->domain != TILL_PAY_ERROR)
    return FALSE;
  switch (error->code)
    {
    case TILL_PAY_ERROR_PROVIDER:
    case TILL_PAY_ERROR_SERVER:
    case TILL_PAY_ERROR_SIGNATURE:
    case TILL_PAY_ERROR_PROTOCOL:
      return till_pay_error_get_http_status (error) > 0;
    default:
      return FALSE;
    }
}

static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TillPaymentRuntime) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPayTrade) trade = NULL;
  gboolean reachable;

  trade = till_pay_provider_query_finish (TILL_PAY_PROVIDER (object), result, &error);
  self->probing = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->shut_down)
    return;

  reachable = error_means_reachable (error);
  if (!reachable)
    g_debug ("probe: %s", error->message);
  set_online (self, reachable);
  if (reachable && self->worker != NULL
      && (!till_outbox_worker_get_online (self->worker) || self->pending_count > 0))
    till_outbox_worker_retry_all_now (self->worker);
  if (self->service != NULL)
    schedule_probe (self, probe_interval (self));
}

static gboolean
probe_timeout_cb (gpointer user_data)
{
  TillPaymentRuntime *self = user_data;

  self->probe_id = 0;
  if (self->service == NULL || self->providers->len == 0 || self->probing)
    return G_SOURCE_REMOVE;

  /* One provider a probe, in turn: either answering means the network is there. */
  self->probing = TRUE;
  till_pay_provider_query_async (g_ptr_array_index (self->providers,
                                                    self->probe_next++ % self->providers->len),
                                 PROBE_ORDER_NO, self->build_cancellable, probe_cb,
                                 g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
schedule_probe (TillPaymentRuntime *self,
                guint               delay_ms)
{
  g_clear_handle_id (&self->probe_id, g_source_remove);
  self->probe_id = g_timeout_add (delay_ms, probe_timeout_cb, self);
}

void
till_payment_runtime_probe_now (TillPaymentRuntime *self)
{
  g_return_if_fail (TILL_IS_PAYMENT_RUNTIME (self));
  if (self->service != NULL)
    schedule_probe (self, 0);
}

static void
worker_online_notify_cb (TillOutboxWorker   *worker,
                         GParamSpec         *pspec,
                         TillPaymentRuntime *self)
{
  set_online (self, till_outbox_worker_get_online (worker));
}

static void
worker_pending_notify_cb (TillOutboxWorker   *worker,
                          GParamSpec         *pspec,
                          TillPaymentRuntime *self)
{
  gint64 n = till_outbox_worker_get_pending_count (worker);

  if (n == self->pending_count)
    return;
  self->pending_count = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_COUNT]);
}

/* ------------------------------------------------------------------------------------ */
/* Building from the settings                                                            */

static void
service_payment_changed_cb (TillPaymentService *service,
                            gint64              payment_id,
                            const char         *state,
                            const char         *message,
                            TillPaymentRuntime *self)
{
  /* A settings change waits until no payment is live on the old service. A payment that
   * reaches its final state says so while it is still counted as live (it is let go right
   * after), so look again once this emission is over; the rebuild waits again if some
   * payment is still live then. */
  if (self->rebuild_waiting && self->rebuild_id == 0)
    self->rebuild_id = g_idle_add_once ((GSourceOnceFunc) till_payment_runtime_rebuild_now,
                                        self);
}

/* Stops and drops the services; says so unless the runtime is shutting down (then whoever
 * listens may be half gone itself: the context goes while the checkout that held the last
 * reference to it is being disposed). */
static void
teardown (TillPaymentRuntime *self)
{
  g_cancellable_cancel (self->build_cancellable);
  g_clear_object (&self->build_cancellable);
  g_clear_handle_id (&self->probe_id, g_source_remove);
  self->probing = FALSE;

  if (self->worker != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->worker, self);
      till_outbox_worker_stop (self->worker);
    }
  if (self->service != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->service, self);
      till_payment_service_shutdown (self->service);
    }
  /* The refunds window falls back to the cash-only service until the next build. */
  if (self->refunds != NULL)
    till_refund_service_shutdown (self->refunds);
  g_clear_object (&self->bills);
  g_clear_object (&self->refunds);
  g_clear_object (&self->worker);
  g_clear_object (&self->service);
  g_ptr_array_set_size (self->providers, 0);
  g_hash_table_remove_all (self->problems);
  if (!self->shut_down)
    notify_services (self);
}

/* The provider answers with its own time; past CLOCK_LIMIT_S of difference its answers
 * cannot be verified (WeChat Pay's window is 300 s), so no payment can be sure. */
#define CLOCK_LIMIT_S 300

static void
set_clock_skew (TillPaymentRuntime *self,
                gint64              skew_s)
{
  if (self->clock_skew_s == skew_s)
    return;
  self->clock_skew_s = skew_s;
  if (ABS (skew_s) >= CLOCK_LIMIT_S)
    g_message ("the payment provider's clock differs from the till's by %" G_GINT64_FORMAT
               " s", skew_s);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK_SKEW_SECONDS]);
}

/* The provider whose clock is furthest from the till's says how far off it is. */
static void
provider_skew_notify_cb (TillPayProvider    *provider,
                         GParamSpec         *pspec,
                         TillPaymentRuntime *self)
{
  gint64 worst = 0;

  for (guint i = 0; i < self->providers->len; i++)
    {
      gint64 skew = till_pay_provider_get_clock_skew_seconds (g_ptr_array_index (self->providers,
                                                                                 i));

      if (ABS (skew) > ABS (worst))
        worst = skew;
    }
  set_clock_skew (self, worst);
}

/* Cash refunds hand back cash by the till's rule ("cash-rounding"), as it is set now. */
static void
follow_cash_rounding (TillPaymentRuntime *self)
{
  g_autofree char *nick = g_settings_get_string (self->settings, "cash-rounding");
  TillCashRounding rule = TILL_CASH_ROUNDING_DEFAULT;

  till_cash_rounding_from_string (nick, &rule);
  if (self->cash_refunds != NULL)
    till_refund_service_set_cash_rounding (self->cash_refunds, rule);
  if (self->refunds != NULL)
    till_refund_service_set_cash_rounding (self->refunds, rule);
}

static void
build_keys_loaded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  TillPaymentRuntime *self = TILL_PAYMENT_RUNTIME (object);
  guint generation = GPOINTER_TO_UINT (user_data);
  TillPayConfig *c = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) providers = NULL;
  TillPaymentServiceConfig config = { 0 };
  TillOutboxWorkerConfig worker_config = { 0 };
  guint resumed;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || generation != self->build_generation || self->shut_down)
        return;
      g_message ("electronic payment not configured: %s", error->message);
      set_status (self, TILL_PAYMENT_STATUS_NOT_CONFIGURED, error->message);
      return;
    }
  if (generation != self->build_generation || self->shut_down)
    return;

  providers = _till_pay_config_make_providers (c, self->settings);
  if (c->wechat_error != NULL)
    g_hash_table_replace (self->problems, g_strdup (TILL_WXPAY_PROVIDER_NAME),
                          g_strdup (c->wechat_error->message));
  if (c->alipay_error != NULL)
    g_hash_table_replace (self->problems, g_strdup (TILL_ALIPAY_PROVIDER_NAME),
                          g_strdup (c->alipay_error->message));
  config.store_id = c->store_id;
  config.device_id = c->device_id;
  config.query_interval_ms = c->query_ms;
  config.deadline_ms = c->deadline_ms;
  config.native_deadline_ms = self->tuning.native_deadline_ms;
  config.reverse_min_delay_ms = self->tuning.reverse_min_delay_ms;
  config.reverse_attempts = self->tuning.reverse_attempts;
  config.reverse_retry_ms = self->tuning.reverse_retry_ms;
  if (providers->len > 0)
    self->service = till_payment_service_new (self->store, g_ptr_array_index (providers, 0),
                                              &config, &error);
  else
    error = g_error_copy (c->wechat_error != NULL ? c->wechat_error : c->alipay_error);
  if (self->service == NULL)
    {
      g_message ("electronic payment not configured: %s", error->message);
      set_status (self, TILL_PAYMENT_STATUS_NOT_CONFIGURED, error->message);
      return;
    }
  for (guint i = 0; i < providers->len; i++)
    {
      TillPayProvider *provider = g_ptr_array_index (providers, i);

      g_ptr_array_add (self->providers, g_object_ref (provider));
      till_payment_service_add_provider (self->service, provider);
      g_signal_connect_object (provider, "notify::clock-skew-seconds",
                               G_CALLBACK (provider_skew_notify_cb), self, 0);
      g_message ("electronic payment: %s", till_pay_provider_get_name (provider));
    }
  provider_skew_notify_cb (NULL, NULL, self);
  g_signal_connect_object (self->service, "payment-changed",
                           G_CALLBACK (service_payment_changed_cb), self, 0);

  /* Every unfinished payment is driven again before a new one can start. */
  resumed = till_payment_service_resume_pending (self->service, &error);
  if (error != NULL)
    g_warning ("resuming unfinished payments: %s", error->message);
  else if (resumed > 0)
    g_message ("resumed %u unfinished payment(s)", resumed);

  worker_config.backoff_base_ms = self->tuning.backoff_base_ms;
  worker_config.backoff_cap_ms = self->tuning.backoff_cap_ms;
  worker_config.watch_network = TRUE;
  self->worker = till_outbox_worker_new (self->service, &worker_config);
  g_signal_connect_object (self->worker, "notify::online",
                           G_CALLBACK (worker_online_notify_cb), self, 0);
  g_signal_connect_object (self->worker, "notify::pending-count",
                           G_CALLBACK (worker_pending_notify_cb), self, 0);
  worker_pending_notify_cb (self->worker, NULL, self);

  /* Refunds and the daily reconciliation go through the same providers, and their outbox
   * jobs (refund, refund_query, fetch_bill) through the same worker. */
  g_clear_error (&error);
  self->refunds = till_refund_service_new (self->store, NULL, &error);
  if (self->refunds != NULL)
    {
      for (guint i = 0; i < self->providers->len; i++)
        till_refund_service_add_provider (self->refunds,
                                          g_ptr_array_index (self->providers, i));
      follow_cash_rounding (self);
      if (self->tuning.refund_query_delay_ms > 0)
        till_refund_service_set_query_delay_ms (self->refunds,
                                                self->tuning.refund_query_delay_ms);
      till_outbox_worker_set_refund_service (self->worker, self->refunds);
      resumed = till_refund_service_resume_pending (self->refunds, &error);
      if (error != NULL)
        g_warning ("resuming unfinished refunds: %s", error->message);
      else if (resumed > 0)
        g_message ("resumed %u unfinished refund(s)", resumed);
      g_clear_error (&error);
    }
  else
    {
      g_warning ("electronic refunds not available: %s", error->message);
      g_clear_error (&error);
    }
  /* Each provider's bill is reconciled with its own payments (one job per provider). */
  self->bills = till_bill_service_new (self->store, g_ptr_array_index (self->providers, 0),
                                       NULL);
  for (guint i = 1; i < self->providers->len; i++)
    till_bill_service_add_provider (self->bills, g_ptr_array_index (self->providers, i));
  till_bill_service_attach (self->bills, self->worker);

  set_status (self, TILL_PAYMENT_STATUS_READY, NULL);
  notify_services (self);
  schedule_probe (self, 0);
}

static void
till_payment_runtime_rebuild_now (TillPaymentRuntime *self)
{
  self->rebuild_id = 0;
  if (self->shut_down)
    return;

  if (self->service != NULL && till_payment_service_get_n_live (self->service) > 0)
    {
      /* Never pull the service away under a live payment. */
      self->rebuild_waiting = TRUE;
      return;
    }
  self->rebuild_waiting = FALSE;

  teardown (self);
  self->build_generation++;
  self->build_cancellable = g_cancellable_new ();
  set_status (self, TILL_PAYMENT_STATUS_STARTING, NULL);
  _till_pay_config_load_async (self, self->settings, self->build_cancellable,
                               build_keys_loaded_cb, GUINT_TO_POINTER (self->build_generation));
}

static gboolean
rebuild_timeout_cb (gpointer user_data)
{
  till_payment_runtime_rebuild_now (user_data);
  return G_SOURCE_REMOVE;
}

static void
settings_changed_cb (GSettings          *settings,
                     const char         *key,
                     TillPaymentRuntime *self)
{
  if (g_strcmp0 (key, "cash-rounding") == 0)
    follow_cash_rounding (self);
  if (key != NULL && !g_strv_contains (payment_keys, key))
    return;
  /* Typing in the settings window changes a key per keystroke: wait for a pause. */
  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  self->rebuild_id = g_timeout_add (REBUILD_PAUSE_MS, rebuild_timeout_cb, self);
}

void
till_payment_runtime_rebuild (TillPaymentRuntime *self)
{
  g_return_if_fail (TILL_IS_PAYMENT_RUNTIME (self));

  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  till_payment_runtime_rebuild_now (self);
}

void
till_payment_runtime_set_tuning (TillPaymentRuntime             *self,
                                 const TillPaymentRuntimeTuning *tuning)
{
  g_return_if_fail (TILL_IS_PAYMENT_RUNTIME (self));
  g_return_if_fail (tuning != NULL);

  self->tuning = *tuning;
  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  till_payment_runtime_rebuild_now (self);
}

void
till_payment_runtime_shutdown (TillPaymentRuntime *self)
{
  g_return_if_fail (TILL_IS_PAYMENT_RUNTIME (self));

  if (self->shut_down)
    return;
  self->shut_down = TRUE;
  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  teardown (self);
  if (self->cash_refunds != NULL)
    till_refund_service_shutdown (self->cash_refunds);
}

/* ------------------------------------------------------------------------------------ */
/* Getters                                                                               */

TillPaymentStatus
till_payment_runtime_get_payment_status (TillPaymentRuntime *self)
{
  g_return_val_if_fail (TILL_IS_PAYMENT_RUNTIME (self), TILL_PAYMENT_STATUS_NOT_CONFIGURED);
  return self->payment_status;
}

const char *
till_payment_runtime_get_payment_problem (TillPaymentRuntime *self)
{
  g_return_val_if_fail (TILL_IS_PAYMENT_RUNTIME (self), NULL);
  return self->payment_problem;
}

TillPaymentService *
till_payment_runtime_get_payment_service (TillPaymentRuntime *self)
{
  g_return_val_if_fail (TILL_IS_PAYMENT_RUNTIME (self), NULL);
  return self->payment_status == TILL_PAYMENT_STATUS_READY ? self->service : NULL;
}

TillOutboxWorker *
till_payment_runtime_get_outbox_worker (TillPaymentRuntime *self)
{
  g_return_val_if_fail (TILL_IS_PAYMENT_RUNTIME (self), NULL);
  return self->worker;
}

TillRefundService *
till_payment_runtime_get_refund_service (TillPaymentRuntime *self)
{
  g_return_val_if_fail (TILL_IS_PAYMENT_RUNTIME (self), NULL);
  if (self->payment_status == TILL_PAYMENT_STATUS_READY && self->refunds != NULL)
    return self->refunds;
  return self->cash_refunds;
}

TillBillService *
till_payment_runtime_get_bill_service (TillPaymentRuntime *self)
{
  g_return_val_if_fail (TILL_IS_PAYMENT_RUNTIME (self), NULL);
  return self->payment_status == TILL_PAYMENT_STATUS_READY ? self->bills : NULL;
}

GPtrArray *
till_payment_runtime_get_providers (TillPaymentRuntime *self)
{
  g_return_val_if_fail (TILL_IS_PAYMENT_RUNTIME (self), NULL);
  return self->providers;
}

TillPayProvider *
till_payment_runtime_get_provider (TillPaymentRuntime *self,
                                   const char         *name)
{
  g_return_val_if_fail (TILL_IS_PAYMENT_RUNTIME (self), NULL);

  if (self->payment_status != TILL_PAYMENT_STATUS_READY)
    return NULL;
  for (guint i = 0; name != NULL && i < self->providers->len; i++)
    {
      TillPayProvider *provider = g_ptr_array_index (self->providers, i);

      if (g_str_equal (till_pay_provider_get_name (provider), name))
        return provider;
    }
  return NULL;
}

const char *
till_payment_runtime_get_provider_problem (TillPaymentRuntime *self,
                                           const char         *name)
{
  g_return_val_if_fail (TILL_IS_PAYMENT_RUNTIME (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (self->payment_status != TILL_PAYMENT_STATUS_READY)
    return self->payment_problem;
  return g_hash_table_lookup (self->problems, name);
}

gboolean
till_payment_runtime_get_online (TillPaymentRuntime *self)
{
  g_return_val_if_fail (TILL_IS_PAYMENT_RUNTIME (self), FALSE);
  return self->online;
}

gint64
till_payment_runtime_get_pending_count (TillPaymentRuntime *self)
{
  g_return_val_if_fail (TILL_IS_PAYMENT_RUNTIME (self), 0);
  return self->pending_count;
}

gboolean
till_payment_runtime_can_take_electronic (TillPaymentRuntime *self,
                                          char              **message)
{
  g_return_val_if_fail (TILL_IS_PAYMENT_RUNTIME (self), FALSE);

  switch (self->payment_status)
    {
    case TILL_PAYMENT_STATUS_NOT_CONFIGURED:
      if (message != NULL)
        *message = g_strdup_printf (_("Electronic payment is not configured — take cash (%s)"),
                                    self->payment_problem != NULL ? self->payment_problem
                                                                  : _("starting"));
      return FALSE;
    case TILL_PAYMENT_STATUS_STARTING:
      if (message != NULL)
        *message = g_strdup (_("Checking unfinished payments… — try again in a moment"));
      return FALSE;
    case TILL_PAYMENT_STATUS_READY:
    default:
      break;
    }
  if (!self->online)
    {
      if (message != NULL)
        *message = g_strdup (_("Offline — cash only"));
      return FALSE;
    }
  if (message != NULL && (*message = till_payment_runtime_dup_clock_problem (self)) != NULL)
    return FALSE;
  if (message == NULL && ABS (self->clock_skew_s) >= CLOCK_LIMIT_S)
    return FALSE;
  return TRUE;
}

gint64
till_payment_runtime_get_clock_skew_seconds (TillPaymentRuntime *self)
{
  g_return_val_if_fail (TILL_IS_PAYMENT_RUNTIME (self), 0);
  return self->clock_skew_s;
}

char *
till_payment_runtime_dup_clock_problem (TillPaymentRuntime *self)
{
  g_autofree char *minutes = NULL;

  g_return_val_if_fail (TILL_IS_PAYMENT_RUNTIME (self), NULL);

  if (ABS (self->clock_skew_s) < CLOCK_LIMIT_S)
    return NULL;
  minutes = g_strdup_printf ("%" G_GINT64_FORMAT, (ABS (self->clock_skew_s) + 30) / 60);
  /* CLOCK_LIMIT_S is 5 minutes: always "minutes". */
  return g_strdup_printf (_("The clock of this till and the payment provider's differ by %s "
                            "minutes — check the till's date and time; take cash until it "
                            "is fixed"), minutes);
}

/* ------------------------------------------------------------------------------------ */
/* GObject                                                                               */

static void
till_payment_runtime_constructed (GObject *object)
{
  TillPaymentRuntime *self = TILL_PAYMENT_RUNTIME (object);

  G_OBJECT_CLASS (till_payment_runtime_parent_class)->constructed (object);

  g_assert (TILL_IS_STORE (self->store));
  g_assert (G_IS_SETTINGS (self->settings));

  self->cash_refunds = till_refund_service_new (self->store, NULL, NULL);
  follow_cash_rounding (self);
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self, 0);
  till_payment_runtime_rebuild_now (self);
}

static void
till_payment_runtime_dispose (GObject *object)
{
  TillPaymentRuntime *self = TILL_PAYMENT_RUNTIME (object);

  if (self->store != NULL)
    till_payment_runtime_shutdown (self);
  g_clear_object (&self->cash_refunds);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (till_payment_runtime_parent_class)->dispose (object);
}

static void
till_payment_runtime_finalize (GObject *object)
{
  TillPaymentRuntime *self = TILL_PAYMENT_RUNTIME (object);

  g_clear_pointer (&self->payment_problem, g_free);
  g_ptr_array_unref (self->providers);
  g_hash_table_unref (self->problems);

  G_OBJECT_CLASS (till_payment_runtime_parent_class)->finalize (object);
}

static void
till_payment_runtime_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TillPaymentRuntime *self = TILL_PAYMENT_RUNTIME (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_PAYMENT_STATUS:
      g_value_set_int (value, self->payment_status);
      break;
    case PROP_PAYMENT_PROBLEM:
      g_value_set_string (value, self->payment_problem);
      break;
    case PROP_PAYMENT_SERVICE:
      g_value_set_object (value, till_payment_runtime_get_payment_service (self));
      break;
    case PROP_OUTBOX_WORKER:
      g_value_set_object (value, self->worker);
      break;
    case PROP_REFUND_SERVICE:
      g_value_set_object (value, till_payment_runtime_get_refund_service (self));
      break;
    case PROP_BILL_SERVICE:
      g_value_set_object (value, till_payment_runtime_get_bill_service (self));
      break;
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_CLOCK_SKEW_SECONDS:
      g_value_set_int64 (value, self->clock_skew_s);
      break;
    case PROP_PENDING_COUNT:
      g_value_set_int64 (value, self->pending_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_payment_runtime_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TillPaymentRuntime *self = TILL_PAYMENT_RUNTIME (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_payment_runtime_class_init (TillPaymentRuntimeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = till_payment_runtime_constructed;
  object_class->dispose = till_payment_runtime_dispose;
  object_class->finalize = till_payment_runtime_finalize;
  object_class->get_property = till_payment_runtime_get_property;
  object_class->set_property = till_payment_runtime_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TILL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAYMENT_STATUS] =
    g_param_spec_int ("payment-status", NULL, NULL, 0, TILL_PAYMENT_STATUS_READY, 0, ro);
  properties[PROP_PAYMENT_PROBLEM] =
    g_param_spec_string ("payment-problem", NULL, NULL, NULL, ro);
  properties[PROP_PAYMENT_SERVICE] =
    g_param_spec_object ("payment-service", NULL, NULL, TILL_TYPE_PAYMENT_SERVICE, ro);
  properties[PROP_OUTBOX_WORKER] =
    g_param_spec_object ("outbox-worker", NULL, NULL, TILL_TYPE_OUTBOX_WORKER, ro);
  properties[PROP_REFUND_SERVICE] =
    g_param_spec_object ("refund-service", NULL, NULL, TILL_TYPE_REFUND_SERVICE, ro);
  properties[PROP_BILL_SERVICE] =
    g_param_spec_object ("bill-service", NULL, NULL, TILL_TYPE_BILL_SERVICE, ro);
  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, TRUE, ro);
  properties[PROP_PENDING_COUNT] =
    g_param_spec_int64 ("pending-count", NULL, NULL, 0, G_MAXINT64, 0, ro);

  properties[PROP_CLOCK_SKEW_SECONDS] =
    g_param_spec_int64 ("clock-skew-seconds", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
till_payment_runtime_init (TillPaymentRuntime *self)
{
  self->online = TRUE;   /* until a real call says otherwise */
  self->providers = g_ptr_array_new_with_free_func (g_object_unref);
  self->problems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

TillPaymentRuntime *
till_payment_runtime_new (TillStore *store,
                          GSettings *settings)
{
  g_return_val_if_fail (TILL_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (TILL_TYPE_PAYMENT_RUNTIME,
                       "store", store,
                       "settings", settings,
                       NULL);
}
