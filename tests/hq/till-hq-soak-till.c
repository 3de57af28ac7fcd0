/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One till of the head office's soak test (test-hq-soak.c): a process of its own with its
 * own data directory and settings, a real TillStore, TillContext and TillCheckout against
 * the shared simulator, and the till's own TillHqSync sending to the head office while it
 * sells. It makes N sales through the checkout — cash, WeChat Pay and Alipay payment codes,
 * splits (part cash, the rest by a code), a few voids (some after part of the sale was paid
 * in cash) — and refunds some paid sales in full or in part through the refund service;
 * then it waits until every payment and refund is final and its outbox holds no head-office
 * job, and exits. Every wait is bounded; a failure ends the process with a line on stderr.
 *
 *   till-hq-soak-till --data-dir DIR --store S1 --till T1 --hq-url URI --sim-url URL
 *                     --sim-dir DIR --sales N --seed N [--limit-s S]
 *
 * stdout (flushed): "sold N" every 25 sales, then "done SALES PAID VOIDED REFUNDS" once the
 * books are final and sent. Exit 0: done; 1: a failure; 2: usage; 3: the time limit. */
#define G_LOG_DOMAIN "till-hq-soak-till"

#include "config.h"

#include <locale.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "till-checkout.h"
#include "till-context.h"
#include "till-hq-sync.h"
#include "till-payment-runtime.h"
#include "till-refund-service.h"
#include "till-store-hq.h"
#include "till-test-paysim.h"

static char *opt_data_dir, *opt_store, *opt_till, *opt_hq_url, *opt_sim_url, *opt_sim_dir;
static int opt_sales = 100;
static int opt_seed = 1;
static int opt_limit_s = 600;

static GOptionEntry entries[] = {
  { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_data_dir, "The till's data directory", "DIR" },
  { "store", 0, 0, G_OPTION_ARG_STRING, &opt_store, "Store id", "ID" },
  { "till", 0, 0, G_OPTION_ARG_STRING, &opt_till, "Till id", "ID" },
  { "hq-url", 0, 0, G_OPTION_ARG_STRING, &opt_hq_url, "Head office (libpq URI)", "URI" },
  { "sim-url", 0, 0, G_OPTION_ARG_STRING, &opt_sim_url, "Simulator base URL", "URL" },
  { "sim-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_sim_dir, "Simulator state dir", "DIR" },
  { "sales", 0, 0, G_OPTION_ARG_INT, &opt_sales, "Sales to make", "N" },
  { "seed", 0, 0, G_OPTION_ARG_INT, &opt_seed, "Random seed", "N" },
  { "limit-s", 0, 0, G_OPTION_ARG_INT, &opt_limit_s, "Give up after", "S" },
  { NULL }
};

typedef struct
{
  TillStore *store;
  GSettings *settings;
  TillContext *context;
  TillCheckout *checkout;
  TillHqSync *sync;
  guint sales_paid;
  gint64 deadline; /* monotonic µs: the whole run */
  /* the refund in flight */
  gboolean refund_done;
  GError *refund_error;
} Till;

static G_NORETURN void
die (Till *till, const char *what, const GError *error)
{
  const char *said = till != NULL && till->checkout != NULL
                         ? till_checkout_get_message (till->checkout)
                         : NULL;

  g_printerr ("till-hq-soak-till %s/%s: %s: %s (checkout: \"%s\")\n", opt_store, opt_till, what,
              error != NULL ? error->message : "-", said != NULL ? said : "");
  exit (1);
}

static GLogWriterOutput
quiet_writer_cb (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, data);
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main context until cond (till) holds; ends the process after limit_ms (or at
 * the run's deadline: exit 3) saying what it waited for. */
static void
wait_until (Till *till, gboolean (*cond) (Till *till), guint limit_ms, const char *what)
{
  gint64 until = g_get_monotonic_time () + (gint64)limit_ms * 1000;
  guint tick = g_timeout_add (50, tick_cb, NULL);

  while (!cond (till))
    {
      gint64 now = g_get_monotonic_time ();

      if (now > till->deadline)
        {
          g_printerr ("till-hq-soak-till %s/%s: the time limit (%d s) passed waiting for %s\n",
                      opt_store, opt_till, opt_limit_s, what);
          exit (3);
        }
      if (now > until)
        {
          g_autofree char *message = g_strdup_printf ("gave up after %u ms", limit_ms);
          g_autoptr (GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, message);

          die (till, what, error);
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
}

static gboolean
idle_cond (Till *till)
{
  return till_checkout_is_idle (till->checkout);
}

static gboolean
ready_cond (Till *till)
{
  return till_payment_runtime_get_payment_status (till_context_get_payment_runtime (till->context))
         == TILL_PAYMENT_STATUS_READY;
}

static gboolean
sale_loaded_cond (Till *till)
{
  return till_checkout_get_sale (till->checkout) != NULL;
}

static gboolean
open_sale_cond (Till *till)
{
  TillSale *sale = till_checkout_get_sale (till->checkout);

  return sale != NULL && till_sale_get_state (sale) == TILL_SALE_STATE_OPEN
         && till_checkout_is_idle (till->checkout);
}

static gboolean
epay_ready_cond (Till *till)
{
  return till_checkout_get_epay_ready (till->checkout) && till_checkout_is_idle (till->checkout);
}

static guint paid_target;
static guint lines_target;
static guint lines_added;

static gboolean
paid_cond (Till *till)
{
  return till->sales_paid >= paid_target && till_checkout_is_idle (till->checkout);
}

static gboolean
line_cond (Till *till)
{
  return lines_added >= lines_target && till_checkout_is_idle (till->checkout);
}

static gint64 voided_id;

/* The sale is voided: the counter shows it voided, or already the next sale. */
static gboolean
voided_cond (Till *till)
{
  TillSale *sale = till_checkout_get_sale (till->checkout);

  return sale != NULL
         && (till_sale_get_state (sale) == TILL_SALE_STATE_VOIDED
             || till_sale_get_id (sale) != voided_id)
         && till_checkout_is_idle (till->checkout);
}

static gboolean
refund_done_cond (Till *till)
{
  return till->refund_done;
}

static void
line_added_cb (TillCheckout *checkout, guint position, Till *till)
{
  lines_added++;
}

static void
sale_paid_cb (TillCheckout *checkout, TillSale *sale, Till *till)
{
  till->sales_paid++;
}

static void
refund_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Till *till = data;
  g_autofree char *message = NULL;

  message = till_refund_service_refund_finish (TILL_REFUND_SERVICE (source), result,
                                               &till->refund_error);
  till->refund_done = TRUE;
}

/* The simulator's merchant and keys as this till's WeChat Pay and Alipay (as
 * till_test_app_paysim_settings() does from a TillTestPaysim). */
static char *
sim_path (const char *name)
{
  return g_build_filename (opt_sim_dir, name, NULL);
}

static char *
sim_line (const char *name)
{
  g_autofree char *path = sim_path (name);
  g_autoptr (GError) error = NULL;
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, &error))
    die (NULL, "reading the simulator's state", error);
  return g_strstrip (text);
}

static void
settings_for_sim (GSettings *settings)
{
  g_autofree char *key = sim_path ("merchant_private_key.pem");
  g_autofree char *pub = sim_path ("platform_public_key.pem");
  g_autofree char *serial = sim_line ("merchant_serial");
  g_autofree char *key_id = sim_line ("platform_public_key_id");
  g_autofree char *ali_key = sim_path ("alipay_app_private_key.pem");
  g_autofree char *ali_pub = sim_path ("alipay_platform_public_key.pem");
  g_autofree char *ali_app = sim_line ("alipay_app_id");
  g_autofree char *gateway = g_strconcat (opt_sim_url, "/gateway.do", NULL);

  g_settings_set_string (settings, "api-base-url", opt_sim_url);
  g_settings_set_string (settings, "mchid", TILL_TEST_PAYSIM_MCHID);
  g_settings_set_string (settings, "appid", TILL_TEST_PAYSIM_APPID);
  g_settings_set_string (settings, "merchant-serial-no", serial);
  g_settings_set_string (settings, "merchant-key-path", key);
  g_settings_set_string (settings, "platform-public-key-path", pub);
  g_settings_set_string (settings, "platform-public-key-id", key_id);
  g_settings_set_string (settings, "alipay-gateway-url", gateway);
  g_settings_set_string (settings, "alipay-app-id", ali_app);
  g_settings_set_string (settings, "alipay-app-private-key-path", ali_key);
  g_settings_set_string (settings, "alipay-public-key-path", ali_pub);
  /* the out_trade_no carries store and device: unique over the tills sharing the simulator */
  g_settings_set_string (settings, "store-id", opt_store);
  g_settings_set_string (settings, "device-id", opt_till);
  g_settings_set_string (settings, "till-id", opt_till);
  g_settings_set_uint (settings, "query-interval-ms", 500);
  g_settings_set_uint (settings, "pay-deadline-ms", 20000);
  g_settings_set_uint (settings, "http-timeout-ms", 10000);
}

/* The goods scanned: twelve of the demo catalog's counter goods (neither weighed nor priced
 * at the till), read from the till's own database. Twelve: a report lists its top 20
 * products, so every till's and the head office's list all of them and sum exactly. */
static GPtrArray *
read_codes (const char *db_path)
{
  GPtrArray *codes = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db,
                             "SELECT barcode FROM product WHERE active = 1 AND weighed = 0"
                             " AND open_price = 0 AND barcode IS NOT NULL"
                             " AND price_fen BETWEEN 100 AND 5000 ORDER BY id LIMIT 12",
                             -1, &stmt, NULL)
             != SQLITE_OK)
    {
      g_printerr ("till-hq-soak-till: %s: %s\n", db_path, sqlite3_errmsg (db));
      exit (1);
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (codes, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  if (codes->len < 4)
    {
      g_printerr ("till-hq-soak-till: the demo catalog has %u counter goods\n", codes->len);
      exit (1);
    }
  return codes;
}

static void
scan (Till *till, const char *code)
{
  lines_target = lines_added + 1;
  till_checkout_enter_code (till->checkout, code);
  wait_until (till, line_cond, 20000, "a scanned line");
}

static void
pay_by_code (Till *till, GRand *rand)
{
  g_autofree char *code = g_rand_boolean (rand) ? till_test_paysim_auth_code ("0000")
                                                : till_test_paysim_alipay_auth_code ("0000");
  g_autoptr (GError) error = NULL;

  wait_until (till, epay_ready_cond, 30000, "electronic payment to be ready");
  if (!till_checkout_pay_code (till->checkout, code, &error))
    die (till, "paying by code", error);
}

/* A part of `due` the drawer can take (steps of ¥0.10, the default cash rounding). */
static gint64
cash_part (gint64 due, int divisor)
{
  return MAX (due / divisor / 10 * 10, 10);
}

static void
refund (Till *till, TillRefundService *refunds, gint64 sale_id, gint64 amount_fen)
{
  till->refund_done = FALSE;
  g_clear_error (&till->refund_error);
  till_refund_service_refund_async (refunds, sale_id, amount_fen, "顾客退货", "店长", NULL,
                                    refund_cb, till);
  wait_until (till, refund_done_cond, 30000, "a refund to be answered or queued");
  if (till->refund_error != NULL)
    die (till, "refunding", till->refund_error);
}

/* Every payment and refund final (the providers answered, the queries came back). */
static gboolean
final_cond (Till *till)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *path = g_build_filename (opt_data_dir, "tillpoint.db", NULL);
  gint64 n = -1;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (db,
                             "SELECT (SELECT count(*) FROM refund WHERE state NOT IN"
                             " ('success', 'failed', 'closed'))"
                             " + (SELECT count(*) FROM payment WHERE state NOT IN"
                             " ('paid', 'failed', 'closed', 'reversed'))",
                             -1, &stmt, NULL)
             == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n == 0 && till_checkout_is_idle (till->checkout);
}

static gboolean
sent_cond (Till *till)
{
  gint64 dead = till_store_hq_count_dead (till->store, NULL);

  if (dead != 0)
    {
      g_autoptr (GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                              "%" G_GINT64_FORMAT " dead head-office jobs", dead);

      die (till, "sending to the head office", error);
    }
  return till_store_hq_count_waiting (till->store, NULL) == 0
         && till_hq_sync_get_state (till->sync) == TILL_HQ_SYNC_UP_TO_DATE;
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) options = g_option_context_new ("- one till of the soak test");
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettingsBackend) backend = NULL;
  g_autoptr (GRand) rand = NULL;
  g_autoptr (GPtrArray) codes = NULL;
  g_autofree char *db_path = NULL;
  TillPaymentRuntimeTuning tuning = { 0 };
  TillRefundService *refunds;
  Till till = { 0 };
  guint voided = 0, n_refunds = 0;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || opt_data_dir == NULL
      || opt_store == NULL || opt_till == NULL || opt_hq_url == NULL || opt_sim_url == NULL
      || opt_sim_dir == NULL || opt_sales < 1)
    {
      g_printerr ("till-hq-soak-till: %s\n", error != NULL ? error->message : "missing options");
      return 2;
    }
  g_log_set_writer_func (quiet_writer_cb, NULL, NULL);
  till.deadline = g_get_monotonic_time () + (gint64)opt_limit_s * G_USEC_PER_SEC;
  rand = g_rand_new_with_seed ((guint32)opt_seed);

  /* the till's own data directory, database and demo catalog */
  if (g_mkdir_with_parents (opt_data_dir, 0700) != 0)
    die (NULL, "making the data directory", NULL);
  db_path = g_build_filename (opt_data_dir, "tillpoint.db", NULL);
  till.store = till_store_open (db_path, &error);
  if (till.store == NULL)
    die (NULL, "opening the store", error);
  if (!till_store_seed_demo_catalog (till.store, &error))
    die (NULL, "seeding the catalog", error);
  till_store_flush (till.store);
  codes = read_codes (db_path);

  backend = g_memory_settings_backend_new ();
  till.settings = g_settings_new_with_backend (APPLICATION_ID, backend);
  settings_for_sim (till.settings);
  till.context = till_context_new (till.store, till.settings, NULL, opt_data_dir, FALSE);
  /* refunds the provider accepted are queried soon, not after a minute */
  tuning.refund_query_delay_ms = 300;
  tuning.backoff_base_ms = 200;
  tuning.backoff_cap_ms = 2000;
  till_payment_runtime_set_tuning (till_context_get_payment_runtime (till.context), &tuning);
  wait_until (&till, ready_cond, 30000, "electronic payment to be ready");

  /* the head office: the till's own sender, as the application makes it; short backoffs
   * (at most 2 s instead of a minute) so that the test's wait after the chaos stays short */
  till.sync = till_hq_sync_new (till.store);
  till_hq_sync_set_intervals (till.sync, 500, 250, 2000);
  till_context_set_hq_sync (till.context, till.sync);
  if (!till_hq_sync_configure (till.sync, opt_hq_url, NULL, opt_store, opt_till, &error))
    die (NULL, "configuring the head office", error);

  till.checkout = till_checkout_new (till.context);
  g_signal_connect (till.checkout, "line-added", G_CALLBACK (line_added_cb), &till);
  g_signal_connect (till.checkout, "sale-paid", G_CALLBACK (sale_paid_cb), &till);
  wait_until (&till, sale_loaded_cond, 20000, "the open sale to load");
  wait_until (&till, idle_cond, 20000, "the checkout to be idle");
  refunds = till_payment_runtime_get_refund_service (till_context_get_payment_runtime (till.context));

  for (int i = 0; i < opt_sales; i++)
    {
      guint n_lines = (guint)g_rand_int_range (rand, 1, 4);
      guint kind = (guint)g_rand_int_range (rand, 0, 100);
      gint64 due, sale_id;

      wait_until (&till, open_sale_cond, 20000, "an open sale");
      for (guint l = 0; l < n_lines; l++)
        scan (&till, g_ptr_array_index (codes, g_rand_int_range (rand, 0, (gint32)codes->len)));
      sale_id = till_sale_get_id (till_checkout_get_sale (till.checkout));
      due = till_checkout_get_due_fen (till.checkout);
      paid_target = till.sales_paid + 1;
      if (kind < 3)
        {
          /* a void: of the cart, or after part of it was paid in cash (handed back) */
          if (kind == 0 && !till_checkout_pay_part_cash (till.checkout, due, cash_part (due, 2), &error))
            die (&till, "paying part in cash before a void", error);
          wait_until (&till, idle_cond, 20000, "the part payment");
          voided_id = sale_id;
          if (!till_checkout_void_sale (till.checkout, &error))
            die (&till, "voiding", error);
          wait_until (&till, voided_cond, 20000, "the sale to be voided");
          voided++;
        }
      else
        {
          if (kind < 40)
            {
              if (!till_checkout_pay_cash (till.checkout, due, (due / 1000 + 1) * 1000, &error))
                die (&till, "paying in cash", error);
            }
          else if (kind < 85)
            pay_by_code (&till, rand);
          else
            {
              /* split tender: part in cash, the rest by a code */
              if (!till_checkout_pay_part_cash (till.checkout, due, cash_part (due, 3), &error))
                die (&till, "paying part in cash", error);
              wait_until (&till, idle_cond, 20000, "the part payment");
              pay_by_code (&till, rand);
            }
          wait_until (&till, paid_cond, 60000, "the sale to be paid");
          /* about one paid sale in eight is brought back: in full or in part */
          if (g_rand_int_range (rand, 0, 8) == 0)
            {
              gint64 total = till_sale_get_total_fen (till_checkout_get_sale (till.checkout));
              gint64 amount = g_rand_boolean (rand) ? total : MAX (total / 3, 1);

              refund (&till, refunds, sale_id, amount);
              n_refunds++;
            }
        }
      if (!till_checkout_new_sale (till.checkout, &error))
        die (&till, "opening the next sale", error);
      if ((i + 1) % 25 == 0)
        {
          printf ("sold %d\n", i + 1);
          fflush (stdout);
        }
    }

  /* every payment and refund final, then everything at the head office */
  wait_until (&till, final_cond, 120000, "every payment and refund to be final");
  till_hq_sync_kick (till.sync);
  wait_until (&till, sent_cond, 300000, "the head office to have every row");
  printf ("done %d %u %u %u\n", opt_sales, till.sales_paid, voided, n_refunds);
  fflush (stdout);

  till_payment_runtime_shutdown (till_context_get_payment_runtime (till.context));
  g_signal_handlers_disconnect_by_data (till.checkout, &till);
  g_clear_object (&till.checkout);
  g_clear_object (&till.sync);
  g_clear_object (&till.context);
  till_store_flush (till.store);
  g_clear_object (&till.store);
  g_clear_object (&till.settings);
  return 0;
}
