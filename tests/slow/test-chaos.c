/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Chaos: hundreds of code payments (and some refunds) through the real TillPaymentService,
 * TillRefundService and TillOutboxWorker, several sales at once, WeChat Pay and Alipay
 * mixed (each attempt the customer's wallet is one or the other), with random auth-code
 * endings, random faults armed on the simulator for both gateways (delays beyond the
 * client's timeout, dropped connections, 500/502/503/429, bad and missing signatures, and
 * on Alipay's gateway, by method, "unknown" answers to work done and cancels asking to be
 * sent again) and the simulator itself killed by SIGKILL and restarted on the same port
 * and state dir mid-run. At the end every payment and refund is final and the till's books
 * equal the simulator's ledgers exactly, WeChat Pay's and Alipay's each on its own.
 *
 * The seed is fixed and printed (TILL_CHAOS_SEED overrides it; TILL_CHAOS_SALES the
 * number of sales). */
#define G_LOG_DOMAIN "test-chaos"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "till-outbox-worker.h"
#include "till-payment-service.h"
#include "till-refund-service.h"
#include "till-store-outbox.h"
#include "till-store-payments.h"
#include "till-store-refunds.h"
#include "till-slow-common.h"
#include "till-test-alipay.h"
#include "till-test-pay.h"
#include "till-test-store.h"

#define DEFAULT_SEED   20240611
#define DEFAULT_SALES  300
#define LANES          6
#define CLIENT_TIMEOUT 1000
#define ALIPAY_SHARE   40     /* percent of the attempts paid with Alipay */

typedef struct _Chaos Chaos;

/* Alipay's gateway faults (alipay.md §11): kind, and the method it may be limited to. */
enum { N_ALIPAY_FAULTS = 7 };
static const char *const alipay_fault_kinds[N_ALIPAY_FAULTS] = {
  "delay", "drop", "status", "badsig", "nosig", "unknown", "retry_flag",
};
static const char *const alipay_methods[] = {
  NULL, "alipay.trade.pay", "alipay.trade.query", "alipay.trade.cancel", "alipay.trade.refund",
  "alipay.trade.fastpay.refund.query",
};

typedef struct
{
  Chaos  *chaos;
  guint   index;
  gint64  sale_id;
  gint64  total;
  guint   attempts;   /* payments of this sale */
  gboolean busy;
} Lane;

struct _Chaos
{
  GRand              *rand;
  guint32             seed;
  guint               n_sales;
  TillTestPaysim     *sim;
  char               *dir;
  char               *db_path;
  TillStore          *store;
  TillWxpayClient    *client;
  TillAlipayClient   *alipay_client;
  TillPaymentService *pay;
  TillRefundService  *refunds;
  TillOutboxWorker   *worker;
  Lane                lanes[LANES];
  guint               sales_started;
  guint               lanes_done;
  guint               payments_started;
  guint               refunds_started;
  guint               refunds_refused;
  guint               faults[4];      /* WeChat Pay's, by kind: delay, drop, status, badsig */
  guint               alipay_faults[N_ALIPAY_FAULTS];  /* Alipay's, by kind */
  guint               attempts_by[TILL_SLOW_N_PROVIDERS];
  guint               kills;
  guint               fault_timer;
  gboolean            sim_down;
  gint64              started_us;
  gint64              run_us;
  gint64              settle_us;
  GHashTable         *endings;        /* ending -> count */
  GHashTable         *outcomes;       /* state -> count (as pay_code finished) */
  TillSlowBooks       books;
  gboolean            ran;
};

static Chaos chaos;

static const char *const fault_kinds[] = { "delay", "drop", "status", "badsig" };
static const char *const fault_paths[] = {
  "/v3/pay/transactions/codepay",
  "/v3/pay/transactions/out-trade-no/",
  "/v3/refund/domestic/refunds",
  "/v3/pay/transactions",
};

static void lane_next (Lane *lane);
static void lane_later (Lane *lane);

static void
count_in (GHashTable *table,
          const char *key)
{
  g_hash_table_replace (table, g_strdup (key),
                        GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (table, key)) + 1));
}

static char *
format_counts (GHashTable *table)
{
  g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (table), (GCompareFunc) strcmp);
  GString *out = g_string_new (NULL);

  for (GList *l = keys; l != NULL; l = l->next)
    g_string_append_printf (out, "%s%s=%u", out->len > 0 ? " " : "", (const char *) l->data,
                            GPOINTER_TO_UINT (g_hash_table_lookup (table, l->data)));
  return g_string_free (out, FALSE);
}

static guint16
free_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                          G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (sock, any, TRUE, &error));
  bound = g_socket_get_local_address (sock, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* ---------------------------------------------------------------- faults and kills */

/* One fault on Alipay's gateway, for one method or any. */
static void
alipay_fault (Chaos *c)
{
  g_autoptr(GError) error = NULL;
  guint kind = (guint) g_rand_int_range (c->rand, 0, N_ALIPAY_FAULTS);
  const char *method = alipay_methods[g_rand_int_range (c->rand, 0,
                                                        G_N_ELEMENTS (alipay_methods))];
  guint count = (guint) g_rand_int_range (c->rand, 1, 4), status = 0, ms = 0;

  if (g_str_equal (alipay_fault_kinds[kind], "retry_flag"))
    method = "alipay.trade.cancel";   /* the only method it takes */
  else if (g_str_equal (alipay_fault_kinds[kind], "unknown") && method == NULL)
    method = "alipay.trade.pay";      /* a method filter, as the simulator asks */
  if (kind == 0)
    ms = CLIENT_TIMEOUT + (guint) g_rand_int_range (c->rand, 200, 1500);
  else if (kind == 2)
    {
      static const guint statuses[] = { 500, 502, 503 };
      status = statuses[g_rand_int_range (c->rand, 0, 3)];
    }
  if (till_test_paysim_arm_alipay_fault (c->sim, method, alipay_fault_kinds[kind], ms, status,
                                         count, &error))
    c->alipay_faults[kind] += count;
  else
    g_message ("arming an Alipay fault failed: %s", error->message);
}

static gboolean
fault_cb (gpointer data)
{
  Chaos *c = data;
  g_autoptr(GError) error = NULL;
  guint kind, status = 0, ms = 0, count;
  const char *path;

  if (c->sim_down)
    return G_SOURCE_CONTINUE;
  /* Both gateways get faults at the pace of their share of the payments. */
  if (g_rand_int_range (c->rand, 0, 100) < ALIPAY_SHARE)
    {
      alipay_fault (c);
      return G_SOURCE_CONTINUE;
    }
  kind = (guint) g_rand_int_range (c->rand, 0, 4);
  path = fault_paths[g_rand_int_range (c->rand, 0, G_N_ELEMENTS (fault_paths))];
  count = (guint) g_rand_int_range (c->rand, 1, 4);
  if (kind == 0)
    ms = CLIENT_TIMEOUT + (guint) g_rand_int_range (c->rand, 200, 1500);  /* beyond the timeout */
  else if (kind == 2)
    {
      static const guint statuses[] = { 500, 503, 429 };
      status = statuses[g_rand_int_range (c->rand, 0, 3)];
    }
  if (till_test_paysim_arm_fault (c->sim, path, fault_kinds[kind], ms, status, count, &error))
    c->faults[kind] += count;
  else
    g_message ("arming a fault failed: %s", error->message);
  return G_SOURCE_CONTINUE;
}

static gboolean
restart_cb (gpointer data)
{
  Chaos *c = data;
  g_autoptr(GError) error = NULL;

  /* Same state dir, same port: the till's client is not told anything. */
  for (guint i = 0; i < 20; i++)
    {
      if (till_test_paysim_restart (c->sim, &error))
        break;
      g_message ("restart failed (%s), again", error->message);
      g_clear_error (&error);
      g_usleep (200 * 1000);
    }
  g_assert_true (till_test_paysim_is_running (c->sim));
  g_assert_cmpstr (till_test_paysim_get_base_url (c->sim), ==,
                   till_wxpay_client_get_base_url (c->client));
  {
    g_autofree char *gateway = g_strconcat (till_test_paysim_get_base_url (c->sim), "/gateway.do",
                                            NULL);
    g_assert_cmpstr (gateway, ==, till_alipay_client_get_gateway_url (c->alipay_client));
  }
  c->sim_down = FALSE;
  g_test_message ("simulator back after kill %u at %.1f s", c->kills,
                  (g_get_monotonic_time () - c->started_us) / 1e6);
  return G_SOURCE_REMOVE;
}

static void
maybe_kill (Chaos *c)
{
  /* At a third and at two thirds of the sales. */
  guint at[] = { c->n_sales / 3, 2 * c->n_sales / 3 };

  /* (While it is down, sales fail fast: a later kill waits until it is back.) */
  for (guint i = 0; i < G_N_ELEMENTS (at); i++)
    if (c->sales_started >= at[i] && c->kills == i && !c->sim_down)
      {
        c->kills++;
        c->sim_down = TRUE;
        g_test_message ("SIGKILL to the simulator (kill %u) at %.1f s, %u sales started",
                        c->kills, (g_get_monotonic_time () - c->started_us) / 1e6,
                        c->sales_started);
        till_test_paysim_kill (c->sim);
        g_timeout_add ((guint) g_rand_int_range (c->rand, 800, 2000), restart_cb, c);
      }
}

/* ---------------------------------------------------------------- lanes */

static const char *
pick_ending (Chaos *c)
{
  static const char *const endings[] = {
    "0000", "0000", "0000", "0000", "0000", "1234", "1234",
    "1111", "1111", "2222", "3333", "4444", "5555", "6666", "7777", "8888", "9999",
  };
  return endings[g_rand_int_range (c->rand, 0, G_N_ELEMENTS (endings))];
}

static void
refund_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lane *lane = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *msg = till_refund_service_refund_finish (TILL_REFUND_SERVICE (source), result,
                                                            &error);

  if (msg == NULL)
    {
      lane->chaos->refunds_refused++;
      g_message ("refund refused: %s", error->message);
    }
  lane->sale_id = 0;
  lane_later (lane);
}

static void pay_current (Lane *lane);

static gboolean
pay_again_cb (gpointer data)
{
  pay_current (data);
  return G_SOURCE_REMOVE;
}

static gboolean
next_sale_cb (gpointer data)
{
  lane_next (data);
  return G_SOURCE_REMOVE;
}

/* A cashier's pace: the next sale a moment later. */
static void
lane_later (Lane *lane)
{
  g_timeout_add ((guint) g_rand_int_range (lane->chaos->rand, 20, 200), next_sale_cb, lane);
}

static void
pay_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Lane *lane = user_data;
  Chaos *c = lane->chaos;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaymentOutcome) outcome = till_payment_service_pay_code_finish (
    TILL_PAYMENT_SERVICE (source), result, &error);

  if (outcome == NULL)
    {
      count_in (c->outcomes, "error");
      g_message ("lane %u: pay error: %s", lane->index, error->message);
      lane->sale_id = 0;
      lane_later (lane);
      return;
    }
  count_in (c->outcomes, till_payment_state_to_string (outcome->state));
  if (outcome->state == TILL_PAYMENT_STATE_PAID)
    {
      /* Now and then the customer comes back for (part of) the money. */
      if (g_rand_int_range (c->rand, 0, 100) < 12)
        {
          gint64 amount = g_rand_boolean (c->rand) ? lane->total
                                                   : MAX (1, lane->total / 3);
          c->refunds_started++;
          till_refund_service_refund_async (c->refunds, lane->sale_id, amount, "chaos", "店长",
                                            NULL, refund_cb, lane);
          return;
        }
      lane->sale_id = 0;
    }
  else if (till_payment_state_is_final (outcome->state) && lane->attempts < 3)
    {
      /* Not charged: after a moment the customer tries again with a new code, same sale. */
      g_timeout_add ((guint) g_rand_int_range (c->rand, 300, 900), pay_again_cb, lane);
      return;
    }
  else
    lane->sale_id = 0;   /* left to the outbox (reversing), or given up */
  lane_later (lane);
}

static void
pay_current (Lane *lane)
{
  Chaos *c = lane->chaos;
  const char *ending = pick_ending (c);
  gboolean alipay = g_rand_int_range (c->rand, 0, 100) < ALIPAY_SHARE;
  g_autofree char *code = alipay ? till_test_paysim_alipay_auth_code (ending)
                                 : till_test_paysim_auth_code (ending);
  g_autofree char *counted = g_strconcat (alipay ? "alipay:" : "wechat:", ending, NULL);

  count_in (c->endings, counted);
  c->attempts_by[alipay ? TILL_SLOW_ALIPAY : TILL_SLOW_WECHAT]++;
  lane->attempts++;
  c->payments_started++;
  till_payment_service_pay_code_async (c->pay, lane->sale_id, lane->total, code, NULL, pay_cb,
                                       lane);
}

static void
lane_next (Lane *lane)
{
  Chaos *c = lane->chaos;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autoptr(TillSale) sale = NULL;
  guint lines;

  if (c->sales_started >= c->n_sales)
    {
      lane->busy = FALSE;
      c->lanes_done++;
      return;
    }
  c->sales_started++;
  maybe_kill (c);
  number = till_store_next_sale_number_for_till (c->store, "chaos", g_get_real_time (), &error);
  g_assert_no_error (error);
  sale = till_sale_new (number);
  till_sale_set_opened_at (sale, g_get_real_time ());
  lines = (guint) g_rand_int_range (c->rand, 1, 6);
  for (guint i = 0; i < lines; i++)
    {
      g_autoptr(TillSaleLine) line = till_sale_line_new (i + 1, NULL, "货品", "件",
                                                         g_rand_int_range (c->rand, 50, 5000),
                                                         1000 * g_rand_int_range (c->rand, 1, 4),
                                                         FALSE);
      g_assert_cmpuint (till_sale_add_line (sale, line, &error), !=, G_MAXUINT);
    }
  g_assert_true (till_store_save_sale (c->store, sale, "chaos", "chaos", &error));
  g_assert_no_error (error);
  lane->sale_id = till_sale_get_id (sale);
  lane->total = till_sale_get_total_fen (sale);
  lane->attempts = 0;
  pay_current (lane);
}

/* ---------------------------------------------------------------- settling */

static gboolean
all_final (Chaos *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GPtrArray) refunds = NULL;

  till_store_flush (c->store);
  payments = till_store_list_unfinished_payments (c->store, &error);
  g_assert_no_error (error);
  refunds = till_store_list_unfinished_refunds (c->store, &error);
  g_assert_no_error (error);
  return payments->len == 0 && refunds->len == 0
         && till_store_outbox_count_pending (c->store, NULL) == 0
         && till_payment_service_get_n_live (c->pay) == 0;
}

/* ---------------------------------------------------------------- cases */

static void
test_run (void)
{
  g_autoptr(GError) error = NULL;
  Chaos *c = &chaos;
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", free_port ());
  const char *sim_args[] = { "--listen", listen, "--password-delay-ms", "1000", NULL };
  const char *seed_env = g_getenv ("TILL_CHAOS_SEED");
  const char *sales_env = g_getenv ("TILL_CHAOS_SALES");
  TillPaymentServiceConfig config = {
    .store_id = "S07",
    .device_id = "X01",
    .query_interval_ms = 250,
    .deadline_ms = 3000,
    .native_deadline_ms = 20000,
    .reverse_min_delay_ms = 800,
    .reverse_attempts = 2,
    .reverse_retry_ms = 200,
  };
  TillOutboxWorkerConfig wconfig = {
    .backoff_base_ms = 200,
    .backoff_cap_ms = 1000,
    .max_attempts = -1,
    .max_age_ms = -1,
    .watch_network = FALSE,
  };
  g_autoptr(TillPayProvider) provider = NULL;
  g_autoptr(TillPayProvider) alipay = NULL;
  guint tick;
  gint64 until;

  c->seed = seed_env != NULL ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : DEFAULT_SEED;
  c->n_sales = sales_env != NULL ? (guint) g_ascii_strtoull (sales_env, NULL, 10) : DEFAULT_SALES;
  c->rand = g_rand_new_with_seed (c->seed);
  c->endings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  c->outcomes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  printf ("# chaos seed %u (TILL_CHAOS_SEED), %u sales, %d at once\n", c->seed, c->n_sales, LANES);
  fflush (stdout);

  c->sim = till_test_paysim_start (sim_args, &error);
  g_assert_no_error (error);
  c->store = till_test_store_open_tmp ("till-chaos-XXXXXX", &c->dir, &c->db_path);
  c->client = till_test_pay_new_client (c->sim, NULL, FALSE, CLIENT_TIMEOUT);
  provider = till_test_pay_provider (c->client);
  c->alipay_client = till_test_alipay_new_client (c->sim, NULL, CLIENT_TIMEOUT);
  alipay = till_test_alipay_provider (c->alipay_client);
  c->pay = till_payment_service_new (c->store, provider, &config, &error);
  g_assert_no_error (error);
  till_payment_service_add_provider (c->pay, alipay);
  c->refunds = till_refund_service_new (c->store, provider, &error);
  g_assert_no_error (error);
  till_refund_service_add_provider (c->refunds, alipay);
  till_refund_service_set_query_delay_ms (c->refunds, 300);
  c->worker = till_outbox_worker_new (c->pay, &wconfig);
  till_outbox_worker_set_refund_service (c->worker, c->refunds);

  c->started_us = g_get_monotonic_time ();
  c->fault_timer = g_timeout_add (300, fault_cb, c);
  for (guint i = 0; i < LANES; i++)
    {
      c->lanes[i].chaos = c;
      c->lanes[i].index = i;
      c->lanes[i].busy = TRUE;
      lane_next (&c->lanes[i]);
    }
  until = g_get_monotonic_time () + 420 * G_USEC_PER_SEC;
  while (c->lanes_done < LANES)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > until)
        g_error ("the chaos run did not finish in 7 minutes (%u sales started)", c->sales_started);
    }
  c->run_us = g_get_monotonic_time () - c->started_us;
  g_source_remove (c->fault_timer);

  /* Calm: no more faults, the simulator up; the outbox finishes what is left. */
  while (c->sim_down)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (till_test_paysim_clear_faults (c->sim, &error));
  g_assert_no_error (error);
  till_outbox_worker_retry_all_now (c->worker);
  tick = g_timeout_add (100, till_test_pay_tick_cb, NULL);
  until = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (!all_final (c))
    {
      for (guint i = 0; i < 5; i++)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, until);
    }
  g_source_remove (tick);
  c->settle_us = g_get_monotonic_time () - c->started_us - c->run_us;
  g_assert_cmpuint (c->kills, ==, 2);
  c->ran = TRUE;
}

static void
test_final_and_reconciled (void)
{
  Chaos *c = &chaos;

  if (!c->ran)
    {
      g_test_skip ("the run failed");
      return;
    }
  till_outbox_worker_stop (c->worker);
  till_refund_service_shutdown (c->refunds);
  till_payment_service_shutdown (c->pay);
  till_store_flush (c->store);
  till_slow_reconcile (c->sim, c->db_path, "TS07X01", &c->books);
  g_assert_cmpuint (c->books.payments, ==, c->payments_started);
  g_assert_cmpuint (c->books.payments, >=, 300);
  g_assert_cmpuint (c->books.sales, ==, c->n_sales);
  /* Each provider's payments are its attempts, and each ledger is equal to the books on its
   * own (till_slow_reconcile). */
  for (guint p = 0; p < TILL_SLOW_N_PROVIDERS; p++)
    g_assert_cmpuint (c->books.by[p].payments, ==, c->attempts_by[p]);
}

static void
test_counts (void)
{
  Chaos *c = &chaos;
  g_autofree char *endings = NULL;
  g_autofree char *outcomes = NULL;
  TillSlowBooks *b = &c->books;
  guint alipay_faults = 0;

  if (!c->ran)
    {
      g_test_skip ("the run failed");
      return;
    }
  endings = format_counts (c->endings);
  outcomes = format_counts (c->outcomes);
  printf ("# chaos: seed %u; %u sales, %u payments, %u refunds asked (%u refused)\n", c->seed,
          c->n_sales, c->payments_started, c->refunds_started, c->refunds_refused);
  printf ("# chaos: faults armed: delay=%u drop=%u status=%u badsig=%u (total %u); "
          "simulator killed %u times\n", c->faults[0], c->faults[1], c->faults[2], c->faults[3],
          c->faults[0] + c->faults[1] + c->faults[2] + c->faults[3], c->kills);
  printf ("# chaos: Alipay faults armed:");
  for (guint k = 0; k < N_ALIPAY_FAULTS; k++)
    {
      printf (" %s=%u", alipay_fault_kinds[k], c->alipay_faults[k]);
      alipay_faults += c->alipay_faults[k];
    }
  printf (" (total %u)\n", alipay_faults);
  for (guint p = 0; p < TILL_SLOW_N_PROVIDERS; p++)
    printf ("# chaos: %s: %u attempts; payments %u (paid %u), refunds success %u; ledger "
            "orders=%u charged=%u returned=%u open=%u; net till=%" G_GINT64_FORMAT " ledger=%"
            G_GINT64_FORMAT " fen\n", till_slow_provider_name (p), c->attempts_by[p],
            b->by[p].payments, b->by[p].paid, b->by[p].refunds_success, b->by[p].orders,
            b->by[p].orders_charged, b->by[p].orders_returned, b->by[p].orders_open,
            b->by[p].till_net_fen, b->by[p].ledger_net_fen);
  printf ("# chaos: endings: %s\n", endings);
  printf ("# chaos: outcomes as the cashier saw them: %s\n", outcomes);
  printf ("# chaos: final payments: paid=%u failed=%u reversed=%u closed=%u; sales paid=%u "
          "refunded=%u open=%u; refunds success=%u failed/closed=%u\n", b->paid, b->failed,
          b->reversed, b->closed, b->sales_paid, b->sales_refunded,
          b->sales - b->sales_paid - b->sales_refunded, b->refunds_success, b->refunds_failed);
  printf ("# chaos: ledger orders=%u charged=%u returned-after-paying=%u; net till=%"
          G_GINT64_FORMAT " ledger=%" G_GINT64_FORMAT " fen\n", b->orders, b->orders_charged,
          b->orders_returned, b->till_net_fen, b->ledger_net_fen);
  printf ("# chaos: run %.1f s, settling %.1f s\n", c->run_us / 1e6, c->settle_us / 1e6);
  fflush (stdout);
  g_assert_cmpuint (c->faults[0] + c->faults[1] + c->faults[2] + c->faults[3], >, 50);
  g_assert_cmpuint (alipay_faults, >, 30);
  g_assert_cmpuint (b->paid, >, 0);
  g_assert_cmpuint (b->reversed + b->failed, >, 0);
  g_assert_cmpuint (b->orders_open, ==, 0);
  /* Both providers did real work: paid, refunded and given up. */
  for (guint p = 0; p < TILL_SLOW_N_PROVIDERS; p++)
    {
      g_assert_cmpuint (b->by[p].paid, >, 0);
      g_assert_cmpuint (b->by[p].refunds_success, >, 0);
      g_assert_cmpuint (b->by[p].payments, >, b->by[p].paid);
    }
}

int
main (int    argc,
      char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/chaos/run", test_run);
  g_test_add_func ("/chaos/final-and-reconciled", test_final_and_reconciled);
  g_test_add_func ("/chaos/counts", test_counts);
  rc = g_test_run ();
  if (chaos.ran)
    {
      g_clear_object (&chaos.worker);
      g_clear_object (&chaos.refunds);
      g_clear_object (&chaos.pay);
      g_clear_object (&chaos.client);
      g_clear_object (&chaos.alipay_client);
      g_clear_object (&chaos.store);
      till_test_store_remove_tmp (chaos.dir, chaos.db_path);
    }
  if (chaos.sim != NULL)
    till_test_paysim_free (chaos.sim);
  return rc;
}
