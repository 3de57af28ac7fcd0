/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The till without its windows, for the crash and chaos tests: a real TillStore,
 * TillPaymentService, TillRefundService and TillOutboxWorker against a simulator, with
 * WeChat Pay and Alipay side by side as the runtime builds them (a payment code goes to
 * the provider of its kind, a stored payment to the provider of its method), driven by one
 * command, printing one line per step on stdout (flushed). With TILLPOINT_CRASH_AT set it
 * dies by SIGKILL at that crash point (till-crash.h).
 *
 *   till-pay-driver --sim-url URL --sim-dir DIR --db FILE --device ID [options] COMMAND
 *     sell N AUTH_CODE             a sale of N items, paid by code (WeChat's or Alipay's);
 *                                  then finish all work
 *     sell-refund N AUTH_CODE FEN  the same, then refund FEN (0 = all) of it
 *     sell-native N                a sale of N items, paid by a QR order of --qr-provider
 *                                  (WeChat's Native, Alipay's precreate): the QR code is
 *                                  "shown" (a line), the customer may pay it through the
 *                                  simulator's control API; then finish all work
 *     topup AUTH_CODE FEN          a member's top-up of FEN (the bonus of the rule "pay
 *                                  200, get 20"), paid by the code; the store credits the
 *                                  card when the payment is paid; then finish all work
 *     sell-sv N AUTH_CODE SV_FEN   a member's sale of N items, SV_FEN of it from the card
 *     sell-points N AUTH_CODE POINTS  a member's sale of N items, POINTS redeemed off it
 *                                  (topped up once with ¥1,000 beforehand), the rest by the
 *                                  code; then finish all work
 *     refund SALE_ID FEN           refund FEN (0 = all) of a stored sale
 *     resume                       startup recovery: resume every unfinished payment and
 *                                  refund, run the outbox until all is final
 *
 * Lines: "sale ID TOTAL", "payment ID STATE", "stored-value PAYMENT_ID FEN", "native PAYMENT_ID OUT_TRADE_NO" (the QR code
 * is shown), "paid ID", "not-paid ID STATE",
 * "refund ID STATE", "refund-done MESSAGE", "refund-error MESSAGE", "resumed P R",
 * "final", "unfinished …". Exit 0 when everything is final, 3 when the time limit
 * passed first, 2 on a usage or setup error. */
#define G_LOG_DOMAIN "till-pay-driver"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "till-alipay-provider.h"
#include "till-outbox-worker.h"
#include "till-payment-service.h"
#include "till-refund-service.h"
#include "till-store-outbox.h"
#include "till-store-payments.h"
#include "till-store-members.h"
#include "till-store-refunds.h"
#include "till-store-stored-value.h"
#include "till-wxpay-provider.h"

static char *opt_sim_url;
static char *opt_sim_dir;
static char *opt_db;
static char *opt_device;
static char *opt_store = NULL;
static char *opt_qr_provider = NULL;
static int   opt_timeout_ms = 1500;
static int   opt_interval_ms = 300;
static int   opt_deadline_ms = 4000;
static int   opt_native_deadline_ms = 20000;
static int   opt_reverse_delay_ms = 1000;
static int   opt_limit_s = 60;

static GOptionEntry entries[] = {
  { "sim-url", 0, 0, G_OPTION_ARG_STRING, &opt_sim_url, "Simulator base URL", "URL" },
  { "sim-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_sim_dir, "Simulator state dir (keys)", "DIR" },
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db, "The till's database", "FILE" },
  { "device", 0, 0, G_OPTION_ARG_STRING, &opt_device, "Device id (order numbers)", "ID" },
  { "store", 0, 0, G_OPTION_ARG_STRING, &opt_store, "Store id (order numbers)", "ID" },
  { "timeout-ms", 0, 0, G_OPTION_ARG_INT, &opt_timeout_ms, "Client timeout", "MS" },
  { "interval-ms", 0, 0, G_OPTION_ARG_INT, &opt_interval_ms, "Query interval", "MS" },
  { "deadline-ms", 0, 0, G_OPTION_ARG_INT, &opt_deadline_ms, "Code pay deadline", "MS" },
  { "native-deadline-ms", 0, 0, G_OPTION_ARG_INT, &opt_native_deadline_ms, "Native deadline", "MS" },
  { "reverse-delay-ms", 0, 0, G_OPTION_ARG_INT, &opt_reverse_delay_ms, "Reverse delay", "MS" },
  { "qr-provider", 0, 0, G_OPTION_ARG_STRING, &opt_qr_provider,
    "sell-native: wechat (default) or alipay", "NAME" },
  { "limit-s", 0, 0, G_OPTION_ARG_INT, &opt_limit_s, "Give up after", "S" },
  { NULL }
};

typedef struct
{
  TillStore          *store;
  TillWxpayClient    *client;
  TillAlipayClient   *alipay_client;
  TillPaymentService *pay;
  TillRefundService  *refunds;
  TillOutboxWorker   *worker;
  gboolean            done;
  TillPaymentOutcome *outcome;
  char               *message;
  GError             *error;
} Till;

static void
say (const char *format,
     ...) G_GNUC_PRINTF (1, 2);

static void
say (const char *format,
     ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  putchar ('\n');
  fflush (stdout);
}

static G_NORETURN void
fail (const char   *what,
      const GError *error)
{
  say ("error %s: %s", what, error != NULL ? error->message : "-");
  exit (2);
}

static char *
read_line (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, &error))
    fail ("reading the simulator's state dir", error);
  return g_strstrip (text);
}

static void
payment_changed_cb (TillPaymentService *svc,
                    gint64              payment_id,
                    const char         *state,
                    const char         *message,
                    Till               *till)
{
  say ("payment %" G_GINT64_FORMAT " %s", payment_id, state);
}

static void
native_code_cb (TillPaymentService *svc,
                gint64              payment_id,
                const char         *code_url,
                Till               *till)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaymentRecord) record = till_store_get_payment (till->store, payment_id, &error);

  if (record == NULL)
    fail ("reading the Native payment", error);
  say ("native %" G_GINT64_FORMAT " %s", payment_id, record->out_trade_no);
}

static void
refund_changed_cb (TillRefundService *svc,
                   gint64             refund_id,
                   const char        *state,
                   const char        *message,
                   Till              *till)
{
  say ("refund %" G_GINT64_FORMAT " %s", refund_id, state);
}

static void
till_open (Till *till)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key_path = g_build_filename (opt_sim_dir, "merchant_private_key.pem", NULL);
  g_autofree char *pub_path = g_build_filename (opt_sim_dir, "platform_public_key.pem", NULL);
  g_autofree char *serial = read_line (opt_sim_dir, "merchant_serial");
  g_autofree char *key_id = read_line (opt_sim_dir, "platform_public_key_id");
  g_autoptr(TillRsaKey) key = till_rsa_key_load_private_file (key_path, &error);
  g_autoptr(TillRsaKey) pub = NULL;
  TillWxpayConfig config = { 0 };
  TillPaymentServiceConfig pconfig = { 0 };
  g_autoptr(TillPayProvider) provider = NULL;
  g_autoptr(TillPayProvider) alipay = NULL;
  TillOutboxWorkerConfig wconfig = {
    .backoff_base_ms = 200,
    .backoff_cap_ms = 1000,
    .max_attempts = -1,
    .max_age_ms = -1,
    .watch_network = FALSE,
  };

  if (key == NULL)
    fail ("loading the merchant key", error);
  pub = till_rsa_key_load_public_file (pub_path, &error);
  if (pub == NULL)
    fail ("loading the platform key", error);
  config.base_url = opt_sim_url;
  config.mchid = "1230000109";
  config.appid = "wxd678efh567hg6787";
  config.merchant_serial = serial;
  config.merchant_key = key;
  config.platform_key = pub;
  config.platform_key_id = key_id;
  config.timeout_ms = (guint) opt_timeout_ms;
  till->client = till_wxpay_client_new (&config, &error);
  if (till->client == NULL)
    fail ("making the client", error);
  {
    /* Alipay: the simulator's gateway on the same port, its app id and keys. */
    g_autofree char *app_key_path = g_build_filename (opt_sim_dir, "alipay_app_private_key.pem",
                                                      NULL);
    g_autofree char *ali_pub_path = g_build_filename (opt_sim_dir,
                                                      "alipay_platform_public_key.pem", NULL);
    g_autofree char *app_id = read_line (opt_sim_dir, "alipay_app_id");
    g_autofree char *gateway = g_strconcat (opt_sim_url, "/gateway.do", NULL);
    g_autoptr(TillRsaKey) app_key = till_rsa_key_load_private_file (app_key_path, &error);
    g_autoptr(TillRsaKey) ali_pub = NULL;
    TillAlipayConfig aconfig = { 0 };

    if (app_key == NULL)
      fail ("loading the Alipay app key", error);
    ali_pub = till_rsa_key_load_public_file (ali_pub_path, &error);
    if (ali_pub == NULL)
      fail ("loading Alipay's public key", error);
    aconfig.gateway_url = gateway;
    aconfig.app_id = app_id;
    aconfig.app_private_key = app_key;
    aconfig.alipay_public_key = ali_pub;
    aconfig.timeout_ms = (guint) opt_timeout_ms;
    till->alipay_client = till_alipay_client_new (&aconfig, &error);
    if (till->alipay_client == NULL)
      fail ("making the Alipay client", error);
  }

  till->store = till_store_open (opt_db, &error);
  if (till->store == NULL)
    fail ("opening the database", error);
  /* A till's start, as TillApplication does it: jobs a killed run left running are done
   * again (opening the store alone leaves them). */
  if (till_store_outbox_recover (till->store, &error) < 0)
    fail ("recovering the queued jobs", error);

  pconfig.store_id = opt_store != NULL ? opt_store : "S09";
  pconfig.device_id = opt_device;
  pconfig.query_interval_ms = (guint) opt_interval_ms;
  pconfig.deadline_ms = (guint) opt_deadline_ms;
  pconfig.native_deadline_ms = (guint) opt_native_deadline_ms;
  pconfig.reverse_min_delay_ms = (guint) opt_reverse_delay_ms;
  pconfig.reverse_attempts = 2;
  pconfig.reverse_retry_ms = 200;
  provider = TILL_PAY_PROVIDER (till_wxpay_provider_new (till->client));
  alipay = TILL_PAY_PROVIDER (till_alipay_provider_new (till->alipay_client));
  till->pay = till_payment_service_new (till->store, provider, &pconfig, &error);
  if (till->pay == NULL)
    fail ("making the payment service", error);
  till_payment_service_add_provider (till->pay, alipay);
  till->refunds = till_refund_service_new (till->store, provider, &error);
  if (till->refunds == NULL)
    fail ("making the refund service", error);
  till_refund_service_add_provider (till->refunds, alipay);
  till_refund_service_set_query_delay_ms (till->refunds, 300);
  g_signal_connect (till->pay, "payment-changed", G_CALLBACK (payment_changed_cb), till);
  g_signal_connect (till->refunds, "refund-changed", G_CALLBACK (refund_changed_cb), till);
  g_signal_connect (till->pay, "native-code", G_CALLBACK (native_code_cb), till);
  till->worker = till_outbox_worker_new (till->pay, &wconfig);
  till_outbox_worker_set_refund_service (till->worker, till->refunds);
}

static void
till_close (Till *till)
{
  till_outbox_worker_stop (till->worker);
  till_refund_service_shutdown (till->refunds);
  till_payment_service_shutdown (till->pay);
  g_clear_object (&till->worker);
  g_clear_object (&till->refunds);
  g_clear_object (&till->pay);
  g_clear_object (&till->client);
  g_clear_object (&till->alipay_client);
  till_store_flush (till->store);
  g_clear_object (&till->store);
}

static gboolean
limit_cb (gpointer data)
{
  say ("unfinished: time limit (%s)", (const char *) data);
  exit (3);
}

static void
wait_done (Till       *till,
           const char *what)
{
  guint id = g_timeout_add_seconds ((guint) opt_limit_s, limit_cb, (gpointer) what);

  while (!till->done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  till->done = FALSE;
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Everything final: no payment or refund unfinished, no job to do, nothing live. */
static gboolean
all_final (Till *till,
           char **why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GPtrArray) refunds = NULL;
  gint64 jobs;

  till_store_flush (till->store);
  payments = till_store_list_unfinished_payments (till->store, &error);
  if (payments == NULL)
    fail ("listing payments", error);
  refunds = till_store_list_unfinished_refunds (till->store, &error);
  if (refunds == NULL)
    fail ("listing refunds", error);
  jobs = till_store_outbox_count_pending (till->store, &error);
  if (jobs < 0)
    fail ("counting jobs", error);
  *why = g_strdup_printf ("%u payments, %u refunds, %" G_GINT64_FORMAT " jobs, %u live",
                          payments->len, refunds->len, jobs,
                          till_payment_service_get_n_live (till->pay));
  return payments->len == 0 && refunds->len == 0 && jobs == 0
         && till_payment_service_get_n_live (till->pay) == 0;
}

/* Runs until everything is final: exit code 0, or 3 at the time limit. */
static int
run_to_final (Till *till)
{
  gint64 until = g_get_monotonic_time () + (gint64) opt_limit_s * G_USEC_PER_SEC;
  guint tick = g_timeout_add (100, tick_cb, NULL);
  gint64 next_check = 0;

  for (;;)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () >= next_check)
        {
          g_autofree char *why = NULL;

          if (all_final (till, &why))
            {
              g_source_remove (tick);
              say ("final");
              return 0;
            }
          if (g_get_monotonic_time () > until)
            {
              say ("unfinished %s", why);
              return 3;
            }
          next_check = g_get_monotonic_time () + 100 * 1000;
        }
    }
}

static void
pay_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Till *till = user_data;

  till->outcome = till_payment_service_pay_code_finish (TILL_PAYMENT_SERVICE (source), result,
                                                        &till->error);
  till->done = TRUE;
}

static void
native_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Till *till = user_data;

  till->outcome = till_payment_service_pay_native_finish (TILL_PAYMENT_SERVICE (source), result,
                                                          &till->error);
  till->done = TRUE;
}

static void
refund_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Till *till = user_data;

  till->message = till_refund_service_refund_finish (TILL_REFUND_SERVICE (source), result,
                                                     &till->error);
  till->done = TRUE;
}

/* A sale of n items at 1.00–9.99 each (fixed by n), paid by the code (NULL: a QR order of
 * --qr-provider, which completes once the QR code is shown). Returns its id. */
static gint64
sell (Till       *till,
      guint       n,
      const char *auth_code,
      gboolean   *out_paid)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = till_store_next_sale_number (till->store, g_get_real_time (), &error);
  g_autoptr(TillSale) sale = NULL;
  gint64 sale_id;

  if (number == NULL)
    fail ("numbering the sale", error);
  sale = till_sale_new (number);
  till_sale_set_opened_at (sale, g_get_real_time ());
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("商品%u", i + 1);
      g_autoptr(TillSaleLine) line = till_sale_line_new ((gint64) i + 1, NULL, name, "件",
                                                         100 + (gint64) ((i * 137 + n * 53) % 900),
                                                         1000, FALSE);
      if (till_sale_add_line (sale, line, &error) == G_MAXUINT)
        fail ("adding a line", error);
    }
  if (!till_store_save_sale (till->store, sale, "driver", opt_device, &error))
    fail ("saving the sale", error);
  sale_id = till_sale_get_id (sale);
  say ("sale %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, sale_id, till_sale_get_total_fen (sale));

  if (auth_code != NULL)
    till_payment_service_pay_code_async (till->pay, sale_id, till_sale_get_total_fen (sale),
                                         auth_code, NULL, pay_cb, till);
  else
    till_payment_service_pay_qr_async (till->pay, opt_qr_provider, sale_id,
                                       till_sale_get_total_fen (sale), NULL, native_cb, till);
  wait_done (till, "pay");
  if (till->error != NULL)
    {
      say ("not-paid %" G_GINT64_FORMAT " error %s", sale_id, till->error->message);
      g_clear_error (&till->error);
      *out_paid = FALSE;
      return sale_id;
    }
  *out_paid = till->outcome->state == TILL_PAYMENT_STATE_PAID;
  if (*out_paid)
    say ("paid %" G_GINT64_FORMAT, sale_id);
  else
    say ("not-paid %" G_GINT64_FORMAT " %s", sale_id,
         till_payment_state_to_string (till->outcome->state));
  g_clear_pointer (&till->outcome, till_payment_outcome_free);
  return sale_id;
}

/* The driver's member (one per database), with the rule "pay ¥200, get ¥20"; with
 * `fund`, ¥1,000 on the card once (a top-up outside any sale, "SETUP"). */
static TillSaleMember *
ensure_member (Till    *till,
               gboolean fund)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillMember) m = till_store_find_member_by_phone (till->store, "13800138000", &error);
  g_autoptr(GPtrArray) moves = NULL;

  if (m == NULL)
    {
      TillMemberFields f = { "驱动会员", "13800138000", NULL, 0, NULL, TRUE };
      gint64 id;

      g_clear_error (&error);
      id = till_store_add_member (till->store, &f, NULL, "driver", &error);
      if (id <= 0 || till_store_add_topup_rule (till->store, 20000, 2000, "driver", &error) <= 0)
        fail ("adding the member", error);
      m = till_store_get_member (till->store, id, &error);
      if (m == NULL)
        fail ("reading the member", error);
    }
  moves = till_store_stored_value_moves_of (till->store, "SETUP", &error);
  if (moves == NULL)
    fail ("reading the card", error);
  if (fund && moves->len == 0
      && !till_store_stored_value_topup (till->store, m->id, 100000, "SETUP", "driver", NULL,
                                         &error))
    fail ("funding the card", error);
  return till_sale_member_new (m->id, m->code, m->name, "138****8000", 0, NULL);
}

/* A member's top-up of amount_fen (with the rule's bonus), or a member's sale of n items
 * with `points` redeemed off it (at 100 a yuan, at most half) and amount_fen from the card,
 * the rest paid by the code. Returns the sale's id. */
static gint64
sell_member (Till       *till,
             gboolean    topup,
             guint       n,
             gint64      amount_fen,
             gint64      points,
             const char *auth_code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSaleMember) member = ensure_member (till, !topup);
  g_autofree char *number = till_store_next_sale_number (till->store, g_get_real_time (), &error);
  g_autoptr(TillSale) sale = NULL;
  gint64 sale_id, due;

  if (number == NULL)
    fail ("numbering the sale", error);
  sale = till_sale_new (number);
  till_sale_set_opened_at (sale, g_get_real_time ());
  till_sale_set_member (sale, member);
  if (topup)
    {
      g_autoptr(TillSaleLine) line = till_sale_line_new (0, NULL, "储值充值", NULL, amount_fen,
                                                         1000, FALSE);
      till_sale_set_kind (sale, TILL_SALE_KIND_TOPUP);
      till_sale_set_topup_bonus_fen (sale, amount_fen >= 20000 ? 2000 : 0);
      if (till_sale_add_line (sale, line, &error) == G_MAXUINT)
        fail ("adding the top-up line", error);
    }
  else
    for (guint i = 0; i < n; i++)
      {
        g_autofree char *name = g_strdup_printf ("商品%u", i + 1);
        g_autoptr(TillSaleLine) line = till_sale_line_new ((gint64) i + 1, NULL, name, "件",
                                                           100 + (gint64) ((i * 137 + n * 53) % 900),
                                                           1000, FALSE);
        if (till_sale_add_line (sale, line, &error) == G_MAXUINT)
          fail ("adding a line", error);
      }
  if (points > 0)
    {
      TillMemberBalance balance;

      if (!till_store_member_balance (till->store, member->id, &balance, &error))
        fail ("reading the points", error);
      if (balance.points < points
          && till_store_points_earn (till->store, member->id, 5000, "SETUP", "driver", &error) <= 0)
        fail ("giving the member points", error);
      if (!till_sale_set_points (sale, points, 100, 50, &error))
        fail ("redeeming points", error);
      say ("points %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, till_sale_get_points_redeemed (sale),
           till_sale_get_points_fen (sale));
    }
  if (!till_store_save_sale (till->store, sale, "driver", opt_device, &error))
    fail ("saving the sale", error);
  sale_id = till_sale_get_id (sale);
  due = till_sale_get_total_fen (sale);
  say ("sale %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, sale_id, due);
  if (!topup && amount_fen > 0)
    {
      gint64 payment = till_store_add_stored_value_payment (till->store, sale,
                                                            MIN (amount_fen, due), "driver",
                                                            NULL, NULL, &error);
      if (payment == 0)
        fail ("paying from the card", error);
      say ("stored-value %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, payment, MIN (amount_fen, due));
      due -= MIN (amount_fen, due);
    }
  if (due == 0)
    {
      say ("paid %" G_GINT64_FORMAT, sale_id);
      return sale_id;
    }
  till_payment_service_pay_code_async (till->pay, sale_id, due, auth_code, NULL, pay_cb, till);
  wait_done (till, "pay");
  if (till->error != NULL)
    {
      say ("not-paid %" G_GINT64_FORMAT " error %s", sale_id, till->error->message);
      g_clear_error (&till->error);
      return sale_id;
    }
  if (till->outcome->state == TILL_PAYMENT_STATE_PAID)
    say ("paid %" G_GINT64_FORMAT, sale_id);
  else
    say ("not-paid %" G_GINT64_FORMAT " %s", sale_id,
         till_payment_state_to_string (till->outcome->state));
  g_clear_pointer (&till->outcome, till_payment_outcome_free);
  return sale_id;
}

static void
refund (Till   *till,
        gint64  sale_id,
        gint64  amount)
{
  g_autoptr(GError) error = NULL;

  if (amount <= 0)
    {
      g_autoptr(TillRefundable) r = till_refund_service_get_refundable (till->refunds, sale_id,
                                                                        &error);
      if (r == NULL)
        fail ("reading the refundable amount", error);
      amount = r->refundable_fen;
    }
  say ("refunding %" G_GINT64_FORMAT " of sale %" G_GINT64_FORMAT, amount, sale_id);
  till_refund_service_refund_async (till->refunds, sale_id, amount, "测试退款", "店长", NULL,
                                    refund_cb, till);
  wait_done (till, "refund");
  if (till->error != NULL)
    {
      say ("refund-error %s", till->error->message);
      g_clear_error (&till->error);
    }
  else
    say ("refund-done %s", till->message);
  g_clear_pointer (&till->message, g_free);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("COMMAND [ARGS]");
  g_autoptr(GError) error = NULL;
  Till till = { 0 };
  const char *command;
  int rc;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    fail ("options", error);
  if (argc < 2 || opt_sim_url == NULL || opt_sim_dir == NULL || opt_db == NULL
      || opt_device == NULL)
    {
      g_printerr ("%s", g_option_context_get_help (context, TRUE, NULL));
      return 2;
    }
  command = argv[1];
  till_open (&till);
  say ("pid %d %s", (int) getpid (), command);

  if (g_str_equal (command, "sell") && argc == 4)
    {
      gboolean paid = FALSE;

      sell (&till, (guint) g_ascii_strtoull (argv[2], NULL, 10), argv[3], &paid);
      rc = run_to_final (&till);
    }
  else if (g_str_equal (command, "sell-refund") && argc == 5)
    {
      gboolean paid = FALSE;
      gint64 sale_id = sell (&till, (guint) g_ascii_strtoull (argv[2], NULL, 10), argv[3], &paid);

      /* A payment left to the outbox is finished first; then the refund. */
      rc = run_to_final (&till);
      if (rc == 0)
        {
          TillSaleState state = TILL_SALE_STATE_OPEN;

          if (!till_store_sale_get_state (till.store, sale_id, &state, &error))
            fail ("reading the sale", error);
          if (state == TILL_SALE_STATE_PAID)
            {
              refund (&till, sale_id, g_ascii_strtoll (argv[4], NULL, 10));
              rc = run_to_final (&till);
            }
          else
            say ("not refunding: the sale is %s", till_sale_state_to_string (state));
        }
    }
  else if (g_str_equal (command, "sell-native") && argc == 3)
    {
      gboolean paid = FALSE;

      /* The payment goes on by itself: paid, or closed at the Native deadline. */
      sell (&till, (guint) g_ascii_strtoull (argv[2], NULL, 10), NULL, &paid);
      rc = run_to_final (&till);
    }
  else if (g_str_equal (command, "topup") && argc == 4)
    {
      sell_member (&till, TRUE, 0, g_ascii_strtoll (argv[3], NULL, 10), 0, argv[2]);
      rc = run_to_final (&till);
    }
  else if (g_str_equal (command, "sell-sv") && argc == 5)
    {
      sell_member (&till, FALSE, (guint) g_ascii_strtoull (argv[2], NULL, 10),
                   g_ascii_strtoll (argv[4], NULL, 10), 0, argv[3]);
      rc = run_to_final (&till);
    }
  else if (g_str_equal (command, "sell-points") && argc == 5)
    {
      sell_member (&till, FALSE, (guint) g_ascii_strtoull (argv[2], NULL, 10), 0,
                   g_ascii_strtoll (argv[4], NULL, 10), argv[3]);
      rc = run_to_final (&till);
    }
  else if (g_str_equal (command, "refund") && argc == 4)
    {
      refund (&till, g_ascii_strtoll (argv[2], NULL, 10), g_ascii_strtoll (argv[3], NULL, 10));
      rc = run_to_final (&till);
    }
  else if (g_str_equal (command, "resume") && argc == 2)
    {
      guint payments = till_payment_service_resume_pending (till.pay, &error);
      guint refunds;

      if (error != NULL)
        fail ("resuming payments", error);
      refunds = till_refund_service_resume_pending (till.refunds, &error);
      if (error != NULL)
        fail ("resuming refunds", error);
      say ("resumed %u %u", payments, refunds);
      till_outbox_worker_retry_all_now (till.worker);
      rc = run_to_final (&till);
    }
  else
    {
      g_printerr ("unknown command or wrong arguments: %s\n", command);
      rc = 2;
    }
  till_close (&till);
  return rc;
}
