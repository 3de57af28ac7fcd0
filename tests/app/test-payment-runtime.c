/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillPaymentRuntime without a display, against the real simulator process: ready from the
 * settings, not configured (missing or world-readable key), rebuilt on a payment setting
 * (not under a live payment), online and offline as the simulator stops and comes back,
 * jobs waiting in the outbox, and an unfinished payment resumed when the runtime is built. */
#include "config.h"

#include <glib/gstdio.h>

#include "till-store-payments.h"
#include "till-test-app.h"

#define COLA  "6954767002057"   /* 可口可乐 500ml, ¥3.50 */
#define CHIPS "6924678006079"   /* 乐事薯片原味 70g, ¥7.50 */

/* ---- helpers ---- */

static TillPaymentRuntime *
runtime_of (TillTestApp *app)
{
  return till_context_get_payment_runtime (app->context);
}

static gboolean
status_is (TillTestApp *app,
           gpointer     status)
{
  return (int) till_payment_runtime_get_payment_status (runtime_of (app))
         == GPOINTER_TO_INT (status);
}

static gboolean
online_is (TillTestApp *app,
           gpointer     online)
{
  return till_payment_runtime_get_online (runtime_of (app)) == GPOINTER_TO_INT (online);
}

static gboolean
payment_state_is (TillTestApp *app,
                  gpointer     state)
{
  return g_strcmp0 (till_checkout_get_payment_state (app->checkout), state) == 0;
}

static gboolean
sale_paid_cond (TillTestApp *app,
                gpointer     data)
{
  TillSale *sale = till_checkout_get_sale (app->checkout);

  return sale != NULL && till_sale_get_state (sale) == TILL_SALE_STATE_PAID;
}

/* Every "payment-status" the runtime took, in order. */
static void
record_status_cb (TillPaymentRuntime *runtime,
                  GParamSpec         *pspec,
                  GArray             *seen)
{
  int status = till_payment_runtime_get_payment_status (runtime);

  g_array_append_val (seen, status);
}

static guint
count_status (GArray *seen,
              int     status)
{
  guint n = 0;

  for (guint i = 0; i < seen->len; i++)
    if (g_array_index (seen, int, i) == status)
      n++;
  return n;
}

/* The runtime went through STARTING and is READY again. */
static gboolean
rebuilt_cond (TillTestApp *app,
              gpointer     seen)
{
  return count_status (seen, TILL_PAYMENT_STATUS_STARTING) > 0
         && count_status (seen, TILL_PAYMENT_STATUS_READY) > 0
         && till_payment_runtime_get_payment_status (runtime_of (app))
              == TILL_PAYMENT_STATUS_READY;
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

/* A TCP port on 127.0.0.1 that nothing listens on right now. */
static guint16
free_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, TRUE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* A simulator that comes back on the same address after till_test_paysim_stop/restart
 * (customers confirm 1.5 s after the scan), and a till without electronic payment that is
 * then pointed at it; READY when this returns. */
static TillTestPaysim *
start_sim_on_fixed_port (TillTestApp **out_app)
{
  TillPaymentRuntimeTuning tuning = {
    .reverse_min_delay_ms = 500,
    .reverse_retry_ms = 200,
    .backoff_base_ms = 200,
    .backoff_cap_ms = 600,
    .probe_interval_ms = 300,
  };
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", free_port ());
  /* The last --listen wins over the helper's "127.0.0.1:0". */
  const char *const args[] = { "--listen", listen, "--password-delay-ms", "1500", NULL };
  g_autoptr(GError) error = NULL;
  TillTestPaysim *sim;
  TillTestApp *app;

  sim = till_test_paysim_start (args, &error);
  g_assert_no_error (error);
  app = till_test_app_new (FALSE, &tuning);
  till_test_app_paysim_settings (app->settings, sim);
  till_test_app_wait_ready (app);
  *out_app = app;
  return sim;
}

/* ---- ready from the settings ---- */

static void
test_ready (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, NULL);
  TillPaymentRuntime *runtime = runtime_of (app);
  g_autoptr(TillRefundService) refunds = NULL;
  g_autoptr(TillPaymentService) service = NULL;
  g_autofree char *why = NULL;
  int status = -1;

  g_assert_true (TILL_IS_PAYMENT_RUNTIME (runtime));
  g_assert_cmpint (till_payment_runtime_get_payment_status (runtime), ==,
                   TILL_PAYMENT_STATUS_READY);
  g_assert_null (till_payment_runtime_get_payment_problem (runtime));
  g_assert_nonnull (till_payment_runtime_get_payment_service (runtime));
  g_assert_nonnull (till_payment_runtime_get_outbox_worker (runtime));
  g_assert_nonnull (till_payment_runtime_get_bill_service (runtime));
  /* each provider's bill is reconciled: the bill service has both */
  g_assert_nonnull (till_bill_service_get_provider (till_payment_runtime_get_bill_service (runtime),
                                                    "wechat"));
  g_assert_nonnull (till_bill_service_get_provider (till_payment_runtime_get_bill_service (runtime),
                                                    "alipay"));
  g_assert_nonnull (till_payment_runtime_get_refund_service (runtime));
  g_assert_true (till_payment_runtime_get_online (runtime));
  g_assert_cmpint (till_payment_runtime_get_pending_count (runtime), ==, 0);
  g_assert_true (till_payment_runtime_can_take_electronic (runtime, &why));
  g_assert_null (why);

  /* The properties say the same; the context hands out this one runtime. */
  g_object_get (runtime, "payment-status", &status, "payment-service", &service,
                "refund-service", &refunds, NULL);
  g_assert_cmpint (status, ==, TILL_PAYMENT_STATUS_READY);
  g_assert_true (service == till_payment_runtime_get_payment_service (runtime));
  g_assert_true (refunds == till_payment_runtime_get_refund_service (runtime));
  g_assert_true (till_context_get_payment_runtime (app->context) == runtime);

  /* The probe reached the simulator: still online after it answered. */
  till_test_app_spin (300);
  g_assert_true (till_payment_runtime_get_online (runtime));
}

/* ---- not configured ---- */

static void
test_not_configured (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  TillPaymentRuntime *runtime = runtime_of (app);
  g_autoptr(TillRefundService) refunds = NULL;
  g_autofree char *why = NULL;

  /* The first missing setting is named. */
  g_assert_cmpint (till_payment_runtime_get_payment_status (runtime), ==,
                   TILL_PAYMENT_STATUS_NOT_CONFIGURED);
  g_assert_nonnull (strstr (till_payment_runtime_get_payment_problem (runtime), "mchid"));
  g_assert_null (till_payment_runtime_get_payment_service (runtime));
  g_assert_null (till_payment_runtime_get_outbox_worker (runtime));
  g_assert_null (till_payment_runtime_get_bill_service (runtime));
  g_assert_false (till_payment_runtime_can_take_electronic (runtime, &why));
  g_assert_nonnull (strstr (why, "not configured"));
  g_assert_nonnull (strstr (why, "mchid"));

  /* Refunds still work for cash: a service without a payment client. */
  g_assert_nonnull (till_payment_runtime_get_refund_service (runtime));
  g_object_get (runtime, "refund-service", &refunds, NULL);
  g_assert_true (refunds == till_payment_runtime_get_refund_service (runtime));
}

static void
test_key_refused (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, NULL);
  TillPaymentRuntime *runtime = runtime_of (app);
  g_autofree char *src = till_test_paysim_dup_path (app->sim, "merchant_private_key.pem");
  g_autofree char *dir = g_dir_make_tmp ("till-runtime-key-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-key.pem", NULL);
  g_autofree char *open_key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *pem = NULL;
  g_autofree char *why = NULL;
  g_autoptr(GError) expected = NULL;
  g_autoptr(TillRsaKey) key = NULL;
  gsize len;

  /* A key file that is not there: the problem is the loader's own words, with the path.
   * With Alipay set up too, the till goes on with Alipay alone and says why WeChat Pay is
   * not there. */
  key = till_rsa_key_load_private_file (missing, &expected);
  g_assert_null (key);
  {
    g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (int));
    gulong id = g_signal_connect (runtime, "notify::payment-status",
                                  G_CALLBACK (record_status_cb), seen);

    g_settings_set_string (app->settings, "merchant-key-path", missing);
    till_test_app_wait (app, rebuilt_cond, seen, 5000, "the rebuild without WeChat Pay");
    g_signal_handler_disconnect (runtime, id);
  }
  g_assert_cmpuint (till_payment_runtime_get_providers (runtime)->len, ==, 1);
  g_assert_null (till_payment_runtime_get_provider (runtime, "wechat"));
  g_assert_nonnull (till_payment_runtime_get_provider (runtime, "alipay"));
  g_assert_cmpstr (till_payment_runtime_get_provider_problem (runtime, "wechat"), ==,
                   expected->message);
  g_assert_null (till_payment_runtime_get_provider_problem (runtime, "alipay"));
  g_assert_true (till_payment_runtime_can_take_electronic (runtime, NULL));
  /* Alipay's bill alone is reconciled now */
  g_assert_null (till_bill_service_get_provider (till_payment_runtime_get_bill_service (runtime),
                                                 "wechat"));
  g_assert_nonnull (till_bill_service_get_provider (till_payment_runtime_get_bill_service (runtime),
                                                    "alipay"));

  /* WeChat Pay alone: the till is not configured, and says why. */
  g_settings_set_string (app->settings, "alipay-app-id", "");
  till_test_app_wait (app, status_is, GINT_TO_POINTER (TILL_PAYMENT_STATUS_NOT_CONFIGURED),
                      5000, "the missing key to be refused");
  g_assert_cmpstr (till_payment_runtime_get_payment_problem (runtime), ==, expected->message);
  g_assert_nonnull (strstr (till_payment_runtime_get_payment_problem (runtime),
                            "no-such-key.pem"));
  g_assert_null (till_payment_runtime_get_payment_service (runtime));
  g_assert_false (till_payment_runtime_can_take_electronic (runtime, &why));
  g_assert_nonnull (strstr (why, expected->message));
  g_clear_error (&expected);
  g_clear_pointer (&why, g_free);

  /* A private key others can read is refused too, and says how to fix it. */
  g_assert_true (g_file_get_contents (src, &pem, &len, NULL));
  g_assert_true (g_file_set_contents_full (open_key, pem, len, G_FILE_SET_CONTENTS_NONE, 0644,
                                           NULL));
  g_assert_cmpint (g_chmod (open_key, 0644), ==, 0);
  key = till_rsa_key_load_private_file (open_key, &expected);
  g_assert_null (key);
  g_settings_set_string (app->settings, "merchant-key-path", open_key);
  till_test_app_wait (app, status_is, GINT_TO_POINTER (TILL_PAYMENT_STATUS_STARTING), 5000,
                      "the rebuild to start");
  till_test_app_wait (app, status_is, GINT_TO_POINTER (TILL_PAYMENT_STATUS_NOT_CONFIGURED),
                      5000, "the world-readable key to be refused");
  g_assert_cmpstr (till_payment_runtime_get_payment_problem (runtime), ==, expected->message);
  g_assert_nonnull (strstr (expected->message, "chmod 600"));

  /* Made private, the same file works once the setting is given again. */
  g_assert_cmpint (g_chmod (open_key, 0600), ==, 0);
  g_settings_set_string (app->settings, "merchant-key-path", "");
  g_settings_set_string (app->settings, "merchant-key-path", open_key);
  till_test_app_wait (app, status_is, GINT_TO_POINTER (TILL_PAYMENT_STATUS_READY), 5000,
                      "payment to be ready with the private key");
  g_assert_null (till_payment_runtime_get_payment_problem (runtime));
  g_assert_true (till_payment_runtime_can_take_electronic (runtime, NULL));

  g_unlink (open_key);
  g_rmdir (dir);
}

/* ---- rebuilt when a payment setting changes ---- */

static void
test_rebuild_on_setting (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, NULL);
  TillPaymentRuntime *runtime = runtime_of (app);
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(TillPaymentService) first = NULL;
  g_autoptr(TillPaymentService) second = NULL;
  g_autofree char *password = till_test_app_wechat_code ("1111");
  guint service_notes = 0;

  first = g_object_ref (till_payment_runtime_get_payment_service (runtime));
  g_signal_connect (runtime, "notify::payment-status", G_CALLBACK (record_status_cb), seen);
  g_signal_connect (runtime, "notify::payment-service", G_CALLBACK (count_cb), &service_notes);

  /* A setting that is not about payment changes nothing. */
  g_settings_set_string (app->settings, "store-name", "测试小店");
  till_test_app_spin (800);
  g_assert_cmpuint (seen->len, ==, 0);
  g_assert_true (till_payment_runtime_get_payment_service (runtime) == first);

  /* Two payment settings in a row (typing): one rebuild, on a new service. */
  g_settings_set_uint (app->settings, "http-timeout-ms", 3000);
  g_settings_set_uint (app->settings, "query-interval-ms", 600);
  till_test_app_wait (app, rebuilt_cond, seen, 5000, "the rebuild");
  g_assert_cmpuint (count_status (seen, TILL_PAYMENT_STATUS_STARTING), ==, 1);
  g_assert_cmpuint (count_status (seen, TILL_PAYMENT_STATUS_READY), ==, 1);
  second = g_object_ref (till_payment_runtime_get_payment_service (runtime));
  g_assert_true (second != first);
  g_assert_cmpuint (service_notes, >=, 2);   /* gone, then the new one */

  /* Never under a live payment: the customer is confirming (for 3 s) when a setting
   * changes; the service stays until the payment ends, then the runtime rebuilds. */
  g_array_set_size (seen, 0);
  till_test_app_scan (app, CHIPS);
  till_checkout_enter_code (app->checkout, password);
  till_test_app_wait (app, payment_state_is, "user_paying", 10000, "user paying");
  g_settings_set_uint (app->settings, "query-interval-ms", 500);
  till_test_app_spin (1000);
  g_assert_cmpuint (seen->len, ==, 0);
  g_assert_true (till_payment_runtime_get_payment_service (runtime) == second);
  till_test_app_wait (app, sale_paid_cond, NULL, 15000, "the sale to be paid");
  till_test_app_wait (app, rebuilt_cond, seen, 5000, "the waiting rebuild");
  g_assert_cmpuint (count_status (seen, TILL_PAYMENT_STATUS_STARTING), ==, 1);
  g_assert_cmpint (till_payment_runtime_get_payment_status (runtime), ==,
                   TILL_PAYMENT_STATUS_READY);
  g_assert_true (till_payment_runtime_get_payment_service (runtime) != second);
  g_assert_true (till_payment_runtime_get_payment_service (runtime) != first);
  till_test_app_settle (app);
  g_assert_cmpstr (till_checkout_get_payment_state (app->checkout), ==, "paid");
}

/* ---- online and offline ---- */

static void
test_online_offline (void)
{
  TillTestApp *app = NULL;
  g_autoptr(TillTestPaysim) sim = start_sim_on_fixed_port (&app);
  TillPaymentRuntime *runtime = runtime_of (app);
  g_autofree char *url = g_strdup (till_test_paysim_get_base_url (sim));
  g_autofree char *why = NULL;
  g_autoptr(GError) error = NULL;
  guint online_notes = 0;

  g_signal_connect (runtime, "notify::online", G_CALLBACK (count_cb), &online_notes);
  g_assert_true (till_payment_runtime_get_online (runtime));

  /* The provider goes away: the probe finds out, electronic payment stops. */
  till_test_paysim_stop (sim);
  till_test_app_wait (app, online_is, GINT_TO_POINTER (FALSE), 10000, "offline");
  g_assert_cmpuint (online_notes, ==, 1);
  g_assert_false (till_payment_runtime_can_take_electronic (runtime, &why));
  g_assert_nonnull (strstr (why, "Offline"));
  g_assert_cmpint (till_payment_runtime_get_payment_status (runtime), ==,
                   TILL_PAYMENT_STATUS_READY);

  /* It comes back on the same address: the probe finds it again, with nothing rebuilt. */
  g_assert_true (till_test_paysim_restart (sim, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (till_test_paysim_get_base_url (sim), ==, url);
  till_test_app_wait (app, online_is, GINT_TO_POINTER (TRUE), 10000, "online again");
  g_assert_cmpuint (online_notes, ==, 2);
  g_assert_true (till_payment_runtime_can_take_electronic (runtime, NULL));

  till_test_app_free (app);
}

/* ---- jobs waiting in the outbox ---- */

static gboolean
pending_at_least (TillTestApp *app,
                  gpointer     n)
{
  return till_payment_runtime_get_pending_count (runtime_of (app)) >= GPOINTER_TO_INT (n);
}

static gboolean
pending_none (TillTestApp *app,
              gpointer     data)
{
  return till_payment_runtime_get_pending_count (runtime_of (app)) == 0;
}

static void
test_pending_count (void)
{
  TillTestApp *app = NULL;
  g_autoptr(TillTestPaysim) sim = start_sim_on_fixed_port (&app);
  TillPaymentRuntime *runtime = runtime_of (app);
  g_autofree char *walks_away = till_test_app_wechat_code ("6666");
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(GError) error = NULL;
  const TillPaymentRecord *p;
  guint pending_notes = 0;
  gint64 pending = -1;

  g_signal_connect (runtime, "notify::pending-count", G_CALLBACK (count_cb), &pending_notes);
  till_test_app_scan (app, COLA);
  sale = g_object_ref (till_checkout_get_sale (app->checkout));
  till_checkout_enter_code (app->checkout, walks_away);
  till_test_app_wait (app, payment_state_is, "user_paying", 10000, "user paying");

  /* Offline, the cancel's reverse cannot be sent: it waits in the outbox. */
  till_test_paysim_stop (sim);
  till_test_app_wait (app, online_is, GINT_TO_POINTER (FALSE), 10000, "offline");
  g_assert_true (till_checkout_cancel_payment (app->checkout, &error));
  g_assert_no_error (error);
  till_test_app_wait (app, pending_at_least, GINT_TO_POINTER (1), 15000, "a job waiting");
  g_assert_cmpuint (pending_notes, >=, 1);
  g_object_get (runtime, "pending-count", &pending, NULL);
  g_assert_cmpint (pending, >=, 1);

  /* Back online: the job is done and the count goes back to 0. */
  g_assert_true (till_test_paysim_restart (sim, &error));
  g_assert_no_error (error);
  till_test_app_wait (app, pending_none, NULL, 20000, "the outbox to empty");
  till_test_app_wait (app, payment_state_is, "reversed", 10000, "the reverse");
  till_test_app_settle (app);

  payments = till_store_list_sale_payments (app->store, till_sale_get_id (sale), &error);
  g_assert_no_error (error);
  p = g_ptr_array_index (payments, 0);
  g_assert_cmpint (p->state, ==, TILL_PAYMENT_STATE_REVERSED);
  order = till_test_paysim_ledger_order (sim, p->out_trade_no, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (order, "state"), ==, "REVOKED");

  till_test_app_free (app);
}

/* ---- an unfinished payment resumed at build ---- */

typedef struct
{
  gint64           sale_id;
  TillPaymentState state;
} StoredPayment;

static gboolean
stored_payment_is (TillTestApp *app,
                   gpointer     data)
{
  StoredPayment *want = data;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GError) error = NULL;

  payments = till_store_list_sale_payments (app->store, want->sale_id, &error);
  g_assert_no_error (error);
  return payments->len == 1
         && ((const TillPaymentRecord *) g_ptr_array_index (payments, 0))->state == want->state;
}

static gboolean
runtime_ready (TillTestApp *app,
               gpointer     runtime)
{
  return till_payment_runtime_get_payment_status (runtime) == TILL_PAYMENT_STATUS_READY;
}

static void
test_resume_at_build (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, NULL);
  g_autofree char *password = till_test_app_wechat_code ("1111");
  g_autoptr(TillPaymentRuntime) runtime = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(GError) error = NULL;
  StoredPayment want = { 0 };
  TillSaleState sale_state = TILL_SALE_STATE_OPEN;
  const TillPaymentRecord *p;

  /* The customer confirms on the phone 3 s after the scan (till_test_app_new). */
  till_test_app_scan (app, CHIPS);
  till_checkout_enter_code (app->checkout, password);
  till_test_app_wait (app, payment_state_is, "user_paying", 10000, "user paying");
  want.sale_id = till_sale_get_id (till_checkout_get_sale (app->checkout));

  /* The till dies: the checkout and the context (with its runtime) go, nothing more is
   * written; the payment row stays in user_paying. */
  g_signal_handlers_disconnect_by_data (app->checkout, app);
  g_clear_object (&app->checkout);
  g_clear_object (&app->context);
  till_test_app_spin (50);
  want.state = TILL_PAYMENT_STATE_USER_PAYING;
  g_assert_true (stored_payment_is (app, &want));

  /* A runtime alone on the same store: its build drives the payment to its end. */
  runtime = till_payment_runtime_new (app->store, app->settings);
  till_payment_runtime_set_tuning (runtime, &app->tuning);
  till_test_app_wait (app, runtime_ready, runtime, 10000, "the runtime to be ready");
  want.state = TILL_PAYMENT_STATE_PAID;
  till_test_app_wait (app, stored_payment_is, &want, 20000, "the resumed payment to be paid");

  g_assert_true (till_store_sale_get_state (app->store, want.sale_id, &sale_state, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sale_state, ==, TILL_SALE_STATE_PAID);
  payments = till_store_list_sale_payments (app->store, want.sale_id, &error);
  g_assert_no_error (error);
  p = g_ptr_array_index (payments, 0);
  order = till_test_paysim_ledger_order (app->sim, p->out_trade_no, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (order, "state"), ==, "SUCCESS");

  till_payment_runtime_shutdown (runtime);
}

/* ---- the settings' connection test, per provider ---- */

typedef struct
{
  gboolean  done;
  char     *answer;
  GError   *error;
} TestWait;

static void
test_connection_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TestWait *w = user_data;

  w->answer = till_payment_runtime_test_connection_finish (TILL_PAYMENT_RUNTIME (object),
                                                           result, &w->error);
  w->done = TRUE;
}

static gboolean
test_done (TillTestApp *app,
           gpointer     data)
{
  return ((TestWait *) data)->done;
}

static void
run_connection_test (TillTestApp *app,
                     const char  *provider,
                     TestWait    *w)
{
  g_clear_pointer (&w->answer, g_free);
  g_clear_error (&w->error);
  w->done = FALSE;
  till_payment_runtime_test_connection_async (runtime_of (app), provider, NULL,
                                              test_connection_cb, w);
  till_test_app_wait (app, test_done, w, 10000, "the connection test");
}

static void
test_connection_per_provider (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, NULL);
  g_autofree char *app_pub = till_test_paysim_dup_path (app->sim, "alipay_app_public_key.pem");
  TestWait w = { 0 };

  /* Each provider's signed "no such order", verified. */
  run_connection_test (app, "wechat", &w);
  g_assert_no_error (w.error);
  g_assert_nonnull (strstr (w.answer, "ORDER_NOT_EXIST"));
  run_connection_test (app, "alipay", &w);
  g_assert_no_error (w.error);
  g_assert_nonnull (strstr (w.answer, "ACQ.TRADE_NOT_EXIST"));
  g_assert_nonnull (strstr (w.answer, "/gateway.do"));

  /* The wrong public key (the app's own, not Alipay's): no answer can be verified. */
  g_settings_set_string (app->settings, "alipay-public-key-path", app_pub);
  run_connection_test (app, "alipay", &w);
  g_assert_null (w.answer);
  g_assert_error (w.error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);

  /* A missing Alipay setting is named; WeChat Pay's test is not affected. */
  g_settings_set_string (app->settings, "alipay-app-id", "");
  run_connection_test (app, "alipay", &w);
  g_assert_error (w.error, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (w.error->message, "AppID"));
  run_connection_test (app, "wechat", &w);
  g_assert_no_error (w.error);
  g_free (w.answer);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/payment-runtime/ready", test_ready);
  g_test_add_func ("/payment-runtime/not-configured", test_not_configured);
  g_test_add_func ("/payment-runtime/key-refused", test_key_refused);
  g_test_add_func ("/payment-runtime/rebuild-on-setting", test_rebuild_on_setting);
  g_test_add_func ("/payment-runtime/online-offline", test_online_offline);
  g_test_add_func ("/payment-runtime/pending-count", test_pending_count);
  g_test_add_func ("/payment-runtime/resume-at-build", test_resume_at_build);
  g_test_add_func ("/payment-runtime/test-connection-per-provider",
                   test_connection_per_provider);
  return g_test_run ();
}
