/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark helpers: a till without a display on a real store and the real simulator. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "till-bench-stats.h"
#include "till-bench-till.h"
#include "till-payment-runtime.h"
#include "till-test-app.h"

static GLogWriterOutput
quiet_writer (GLogLevelFlags log_level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  if (log_level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

void
till_bench_quiet_logs (void)
{
  g_log_set_writer_func (quiet_writer, NULL, NULL);
}

void
till_bench_die_on_error (const char *prog, GError *error, const char *what)
{
  if (error != NULL)
    {
      g_printerr ("%s: %s: %s\n", prog, what, error->message);
      exit (1);
    }
}

static void
line_added_cb (TillCheckout *checkout, guint position, TillBenchTill *till)
{
  till->lines_added++;
}

static void
sale_paid_cb (TillCheckout *checkout, TillSale *sale, TillBenchTill *till)
{
  till->paid_ns = till_bench_now_ns ();
  till->sales_paid++;
}

static gboolean
ready_cond (TillBenchTill *till)
{
  TillPaymentRuntime *runtime = till_context_get_payment_runtime (till->context);

  return till_payment_runtime_get_payment_status (runtime) == TILL_PAYMENT_STATUS_READY;
}

static gboolean
sale_loaded_cond (TillBenchTill *till)
{
  return till_checkout_get_sale (till->checkout) != NULL;
}

static gboolean
idle_cond (TillBenchTill *till)
{
  return till_checkout_is_idle (till->checkout);
}

static const char *wait_prog = "bench";

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
till_bench_till_wait (TillBenchTill *till, gboolean (*cond) (TillBenchTill *till), guint limit_ms,
                      const char *what)
{
  gint64 until = g_get_monotonic_time () + (gint64)limit_ms * 1000;
  guint tick = 0;

  while (!cond (till))
    {
      if (g_get_monotonic_time () > until)
        {
          const char *said = till->checkout ? till_checkout_get_message (till->checkout) : NULL;

          g_printerr ("%s: gave up after %u ms waiting for %s (checkout: \"%s\")\n", wait_prog,
                      limit_ms, what, said ? said : "");
          exit (1);
        }
      /* A blocking iteration, woken at least every 100 ms to check the deadline. */
      if (tick == 0)
        tick = g_timeout_add (100, tick_cb, NULL);
      g_main_context_iteration (NULL, TRUE);
    }
  if (tick != 0)
    g_source_remove (tick);
}

void
till_bench_till_settle (TillBenchTill *till)
{
  till_bench_till_wait (till, idle_cond, 30000, "the checkout to be idle");
}

static guint scan_target;

static gboolean
line_cond (TillBenchTill *till)
{
  return till->lines_added >= scan_target;
}

void
till_bench_till_scan (TillBenchTill *till, const char *code)
{
  scan_target = till->lines_added + 1;
  till_checkout_enter_code (till->checkout, code);
  till_bench_till_wait (till, line_cond, 10000, "a scanned line");
}

TillBenchTill *
till_bench_till_new (const char *prog, const char *db_path, const char *dir, TillTestPaysim *sim,
                     const char *base_url)
{
  TillBenchTill *till = g_new0 (TillBenchTill, 1);
  g_autoptr (GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr (GError) error = NULL;

  wait_prog = prog;
  till->sim = sim;
  till->settings = g_settings_new_with_backend (APPLICATION_ID, backend);
  till_test_app_paysim_settings (till->settings, sim);
  if (base_url != NULL)
    {
      g_autofree char *gateway = g_strconcat (base_url, "/gateway.do", NULL);

      g_settings_set_string (till->settings, "api-base-url", base_url);
      g_settings_set_string (till->settings, "alipay-gateway-url", gateway);
    }
  till->store = till_store_open (db_path, &error);
  till_bench_die_on_error (prog, error, "opening the store");
  till->context = till_context_new (till->store, till->settings, NULL, dir, FALSE);
  till_bench_till_wait (till, ready_cond, 15000, "electronic payment to be ready");
  till->checkout = till_checkout_new (till->context);
  g_signal_connect (till->checkout, "line-added", G_CALLBACK (line_added_cb), till);
  g_signal_connect (till->checkout, "sale-paid", G_CALLBACK (sale_paid_cb), till);
  till_bench_till_wait (till, sale_loaded_cond, 10000, "the open sale to load");
  till_bench_till_settle (till);
  return till;
}

void
till_bench_till_free (TillBenchTill *till)
{
  if (till == NULL)
    return;
  till_payment_runtime_shutdown (till_context_get_payment_runtime (till->context));
  g_signal_handlers_disconnect_by_data (till->checkout, till);
  g_clear_object (&till->checkout);
  g_clear_object (&till->context);
  till_store_flush (till->store);
  g_clear_object (&till->store);
  g_clear_object (&till->settings);
  g_free (till);
}

gint64
till_bench_vmrss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "\nVmRSS:");
  if (line == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen ("\nVmRSS:"), NULL, 10);
}
