/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper: a till without a display (store, settings, context, checkout, simulator). */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "till-payment-runtime.h"
#include "till-test-app.h"

static void
message_cb (TillCheckout *checkout,
            int           kind,
            const char   *text,
            TillTestApp  *app)
{
  g_ptr_array_add (app->messages, g_strdup (text));
  if (g_test_verbose ())
    g_test_message ("checkout: %s", text);
}

static gboolean
sale_loaded_cond (TillTestApp *app,
                  gpointer     data)
{
  return till_checkout_get_sale (app->checkout) != NULL;
}

static void
open_till (TillTestApp *app)
{
  g_autoptr(GError) error = NULL;

  app->store = till_store_open (app->db_path, &error);
  g_assert_no_error (error);
  app->context = till_context_new (app->store, app->settings, NULL, app->dir, FALSE);
  till_payment_runtime_set_tuning (till_context_get_payment_runtime (app->context),
                                   &app->tuning);
  if (app->sim != NULL)
    till_test_app_wait_ready (app);
  app->checkout = till_checkout_new (app->context);
  g_signal_connect (app->checkout, "message", G_CALLBACK (message_cb), app);
  till_test_app_wait (app, sale_loaded_cond, NULL, 5000, "the open sale to load");
  till_test_app_settle (app);
}

static gboolean
ready_cond (TillTestApp *app,
            gpointer     data)
{
  TillPaymentRuntime *runtime = till_context_get_payment_runtime (app->context);

  return till_payment_runtime_get_payment_status (runtime) == TILL_PAYMENT_STATUS_READY;
}

void
till_test_app_wait_ready (TillTestApp *app)
{
  till_test_app_wait (app, ready_cond, NULL, 10000, "electronic payment to be ready");
}

gboolean
till_test_app_sale_paid_cond (TillTestApp *app,
                              gpointer     data)
{
  TillSale *sale = till_checkout_get_sale (app->checkout);

  return sale != NULL && till_sale_get_state (sale) == TILL_SALE_STATE_PAID;
}

gboolean
till_test_app_payment_state_is (TillTestApp *app,
                                gpointer     state)
{
  return g_strcmp0 (till_checkout_get_payment_state (app->checkout), state) == 0;
}

void
till_test_app_paysim_alipay_settings (GSettings      *settings,
                                      TillTestPaysim *sim)
{
  g_autofree char *key = till_test_paysim_dup_path (sim, "alipay_app_private_key.pem");
  g_autofree char *pub = till_test_paysim_dup_path (sim, "alipay_platform_public_key.pem");
  g_autofree char *app_id = till_test_paysim_read_line (sim, "alipay_app_id");
  g_autofree char *gateway = g_strconcat (till_test_paysim_get_base_url (sim), "/gateway.do",
                                          NULL);

  g_settings_set_string (settings, "alipay-gateway-url", gateway);
  g_settings_set_string (settings, "alipay-app-id", app_id);
  g_settings_set_string (settings, "alipay-app-private-key-path", key);
  g_settings_set_string (settings, "alipay-public-key-path", pub);
}

void
till_test_app_paysim_settings (GSettings      *settings,
                               TillTestPaysim *sim)
{
  g_autofree char *key = till_test_paysim_dup_path (sim, "merchant_private_key.pem");
  g_autofree char *pub = till_test_paysim_dup_path (sim, "platform_public_key.pem");
  g_autofree char *serial = till_test_paysim_read_line (sim, "merchant_serial");
  g_autofree char *key_id = till_test_paysim_read_line (sim, "platform_public_key_id");

  g_settings_set_string (settings, "api-base-url", till_test_paysim_get_base_url (sim));
  g_settings_set_string (settings, "mchid", till_test_paysim_get_mchid (sim));
  g_settings_set_string (settings, "appid", till_test_paysim_get_appid (sim));
  g_settings_set_string (settings, "merchant-serial-no", serial);
  g_settings_set_string (settings, "merchant-key-path", key);
  g_settings_set_string (settings, "platform-public-key-path", pub);
  g_settings_set_string (settings, "platform-public-key-id", key_id);
  g_settings_set_string (settings, "device-id", "T1");
  till_test_app_paysim_alipay_settings (settings, sim);
  g_settings_set_uint (settings, "query-interval-ms", 500);
  g_settings_set_uint (settings, "pay-deadline-ms", 5000);
  g_settings_set_uint (settings, "http-timeout-ms", 2000);
}

static void
configure_sim (TillTestApp        *app,
               const char *const  *sim_args)
{
  const char *const args[] = { "--password-delay-ms", "3000", NULL };
  g_autoptr(GError) error = NULL;

  app->sim = till_test_paysim_start (sim_args != NULL ? sim_args : args, &error);
  g_assert_no_error (error);
  till_test_app_paysim_settings (app->settings, app->sim);
}

TillTestApp *
till_test_app_new (gboolean                        sim,
                   const TillPaymentRuntimeTuning *tuning)
{
  return till_test_app_new_full (sim, NULL, tuning);
}

TillTestApp *
till_test_app_new_full (gboolean                        sim,
                        const char *const              *sim_args,
                        const TillPaymentRuntimeTuning *tuning)
{
  TillTestApp *app = g_new0 (TillTestApp, 1);
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = NULL;

  app->dir = g_dir_make_tmp ("till-app-test-XXXXXX", &error);
  g_assert_no_error (error);
  app->db_path = g_build_filename (app->dir, "tillpoint.db", NULL);
  app->messages = g_ptr_array_new_with_free_func (g_free);
  store = till_store_open (app->db_path, &error);
  g_assert_no_error (error);
  g_assert_true (till_store_seed_demo_catalog (store, &error));
  g_assert_no_error (error);
  till_store_flush (store);
  g_clear_object (&store);

  app->settings = g_settings_new_with_backend (APPLICATION_ID, backend);
  if (tuning != NULL)
    app->tuning = *tuning;
  else
    {
      app->tuning.reverse_min_delay_ms = 1000;
      app->tuning.reverse_retry_ms = 200;
      app->tuning.backoff_base_ms = 200;
      app->tuning.backoff_cap_ms = 1000;
      app->tuning.probe_interval_ms = 1000;
      app->tuning.native_deadline_ms = 5000;
      app->tuning.refund_query_delay_ms = 300;
    }
  if (sim)
    configure_sim (app, sim_args);
  open_till (app);
  return app;
}

static void
close_till (TillTestApp *app)
{
  /* As a crash would: the payment runtime stops at once, whoever still holds the context
   * (a store job's callback, a signal) — nothing of the old till acts beside the new one. */
  if (app->context != NULL)
    till_payment_runtime_shutdown (till_context_get_payment_runtime (app->context));
  if (app->checkout != NULL)
    g_signal_handlers_disconnect_by_data (app->checkout, app);
  {
    TillCheckout *old = app->checkout;
    gint64 until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    /* The old checkout goes once the store jobs it waits for have answered. */
    if (old != NULL)
      g_object_add_weak_pointer (G_OBJECT (old), (gpointer *) &old);
    g_clear_object (&app->checkout);
    g_clear_object (&app->context);
    while (old != NULL && g_get_monotonic_time () < until)
      {
        if (app->store != NULL)
          till_store_flush (app->store);
        till_test_app_spin (10);
      }
    if (old != NULL)
      g_object_remove_weak_pointer (G_OBJECT (old), (gpointer *) &old);
  }
  if (app->store != NULL)
    till_store_flush (app->store);
  till_test_app_spin (20);
  g_clear_object (&app->store);
}

void
till_test_app_restart (TillTestApp *app)
{
  close_till (app);
  open_till (app);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
till_test_app_free (TillTestApp *app)
{
  if (app == NULL)
    return;
  close_till (app);
  g_clear_object (&app->settings);
  g_clear_pointer (&app->sim, till_test_paysim_free);
  remove_tree (app->dir);
  g_free (app->dir);
  g_free (app->db_path);
  g_ptr_array_unref (app->messages);
  g_free (app);
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
till_test_app_wait (TillTestApp *app,
                    gboolean   (*cond) (TillTestApp *app,
                                        gpointer     data),
                    gpointer     data,
                    guint        limit_ms,
                    const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) limit_ms * 1000;
  guint tick = g_timeout_add (10, tick_cb, NULL);

  while (!cond (app, data))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_source_remove (tick);
          g_error ("timed out after %u ms waiting for %s (last message: %s)", limit_ms, what,
                   till_test_app_last_message (app));
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
}

void
till_test_app_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  guint tick = g_timeout_add (5, tick_cb, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

static gboolean
idle_cond (TillTestApp *app,
           gpointer     data)
{
  return till_checkout_is_idle (app->checkout);
}

void
till_test_app_settle (TillTestApp *app)
{
  till_test_app_wait (app, idle_cond, NULL, 10000, "the checkout to be idle");
  till_store_flush (app->store);
  /* Completions queued by the flush run now. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  till_test_app_wait (app, idle_cond, NULL, 10000, "the checkout to be idle");
}

const char *
till_test_app_last_message (TillTestApp *app)
{
  if (app->messages->len == 0)
    return "";
  return g_ptr_array_index (app->messages, app->messages->len - 1);
}

gboolean
till_test_app_said_since (TillTestApp *app,
                          guint        since,
                          const char  *needle)
{
  for (guint i = since; i < app->messages->len; i++)
    if (strstr (g_ptr_array_index (app->messages, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

void
till_test_app_scan (TillTestApp *app,
                    const char  *code)
{
  till_checkout_enter_code (app->checkout, code);
  till_test_app_settle (app);
}

char *
till_test_app_wechat_code (const char *last4)
{
  static guint counter;

  g_assert_cmpuint (strlen (last4), ==, 4);
  /* 18 digits starting 10..15: 13 + 12 digits of a counter + the outcome. */
  return g_strdup_printf ("13%012u%s", ++counter, last4);
}
