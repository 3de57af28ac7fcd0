/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The payment flow against the real simulator (tillpoint-paysim on 127.0.0.1) and a real
 * SQLite file: every auth-code ending of §13.2, every fault kind, one attempt per sale,
 * cancel, the 15-s reverse rule, the outbox when the provider is gone, resuming after a
 * crash, Native pay and close. Every case reconciles the till with the simulator's
 * ledger: paid in the till ⇔ charged in the ledger, never two charges for one sale. */
#define G_LOG_DOMAIN "test-payment-flow"

#include "config.h"

#include <string.h>

#include "till-outbox-worker.h"
#include "till-payment-service.h"
#include "till-store-outbox.h"
#include "till-store-payments.h"
#include "till-test-pay.h"
#include "till-test-store.h"

#define CLIENT_TIMEOUT_MS 1500

/* One simulator for the whole program (each test uses its own order numbers). */
static TillTestPaysim *shared_sim;

typedef struct
{
  TillTestPaysim     *sim;      /* borrowed */
  char               *dir;
  char               *db_path;
  TillStore          *store;
  TillWxpayClient    *client;
  TillPaymentService *svc;
  GPtrArray          *events;   /* "state" per payment-changed */
  GPtrArray          *messages;
  char               *code_url;
} Flow;

static void
changed_cb (TillPaymentService *svc,
            gint64              payment_id,
            const char         *state,
            const char         *message,
            Flow               *f)
{
  g_assert_nonnull (message);
  g_assert_cmpstr (message, !=, "");
  g_ptr_array_add (f->events, g_strdup (state));
  g_ptr_array_add (f->messages, g_strdup (message));
}

static void
native_code_cb (TillPaymentService *svc,
                gint64              payment_id,
                const char         *code_url,
                Flow               *f)
{
  g_free (f->code_url);
  f->code_url = g_strdup (code_url);
}

/* Each test is a till of its own (a fresh database): its own device id keeps the order
 * numbers apart in the one simulator. */
static char device_id[8] = "D000";

static void
next_device (void)
{
  static guint n;

  g_snprintf (device_id, sizeof device_id, "D%03u", ++n % 1000);
}

static void
test_config (TillPaymentServiceConfig *config)
{
  *config = (TillPaymentServiceConfig) {
    .store_id = "S01",
    .device_id = device_id,
    .query_interval_ms = 200,
    .deadline_ms = 2000,
    .native_deadline_ms = 20000,
    .reverse_min_delay_ms = 1000,
    .reverse_attempts = 2,
    .reverse_retry_ms = 200,
  };
}

static void
flow_make_service (Flow                           *f,
                   const TillPaymentServiceConfig *config)
{
  g_autoptr(GError) error = NULL;

  if (f->svc != NULL)
    till_payment_service_shutdown (f->svc);
  g_clear_object (&f->svc);
  {
    g_autoptr(TillPayProvider) provider = till_test_pay_provider (f->client);
    f->svc = till_payment_service_new (f->store, provider, config, &error);
  }
  g_assert_no_error (error);
  g_signal_connect (f->svc, "payment-changed", G_CALLBACK (changed_cb), f);
  g_signal_connect (f->svc, "native-code", G_CALLBACK (native_code_cb), f);
}

static Flow *
flow_new_with (TillTestPaysim                 *sim,
               const TillPaymentServiceConfig *config)
{
  g_autoptr(GError) error = NULL;
  Flow *f = g_new0 (Flow, 1);
  TillPaymentServiceConfig defaults;

  f->sim = sim;
  next_device ();
  g_assert_true (till_test_paysim_clear_faults (sim, &error));
  g_assert_no_error (error);
  f->store = till_test_store_open_tmp ("till-flow-XXXXXX", &f->dir, &f->db_path);
  f->client = till_test_pay_new_client (sim, NULL, FALSE, CLIENT_TIMEOUT_MS);
  f->events = g_ptr_array_new_with_free_func (g_free);
  f->messages = g_ptr_array_new_with_free_func (g_free);
  if (config == NULL)
    {
      test_config (&defaults);
      config = &defaults;
    }
  flow_make_service (f, config);
  return f;
}

static Flow *
flow_new (const TillPaymentServiceConfig *config)
{
  return flow_new_with (shared_sim, config);
}

static void
flow_free (Flow *f)
{
  g_autoptr(GError) error = NULL;

  if (f->svc != NULL)
    till_payment_service_shutdown (f->svc);
  g_clear_object (&f->svc);
  g_clear_object (&f->client);
  till_store_flush (f->store);
  g_clear_object (&f->store);
  /* Let cancelled requests unwind before the next test. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  till_test_store_remove_tmp (f->dir, f->db_path);
  g_free (f->dir);
  g_free (f->db_path);
  g_free (f->code_url);
  g_ptr_array_unref (f->events);
  g_ptr_array_unref (f->messages);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Flow, flow_free)

typedef struct
{
  gboolean            done;
  TillPaymentOutcome *outcome;
  GError             *error;
} Wait;

static void
pay_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Wait *w = user_data;

  w->outcome = till_payment_service_pay_code_finish (TILL_PAYMENT_SERVICE (source), result,
                                                     &w->error);
  w->done = TRUE;
}

static void
native_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *w = user_data;

  w->outcome = till_payment_service_pay_native_finish (TILL_PAYMENT_SERVICE (source), result,
                                                       &w->error);
  w->done = TRUE;
}

static TillPaymentOutcome *
pay_code (Flow       *f,
          gint64      sale_id,
          gint64      amount,
          const char *ending,
          guint       limit_s)
{
  g_autofree char *code = till_test_paysim_auth_code (ending);
  Wait w = { 0 };

  till_payment_service_pay_code_async (f->svc, sale_id, amount, code, NULL, pay_cb, &w);
  till_test_pay_wait_for (&w.done, limit_s, "pay_code");
  g_assert_no_error (w.error);
  g_assert_nonnull (w.outcome);
  return w.outcome;
}

static TillSaleState
sale_state (Flow   *f,
            gint64  sale_id)
{
  g_autoptr(GError) error = NULL;
  TillSaleState state = TILL_SALE_STATE_OPEN;

  till_store_flush (f->store);
  g_assert_true (till_store_sale_get_state (f->store, sale_id, &state, &error));
  g_assert_no_error (error);
  return state;
}

static TillPaymentRecord *
payment (Flow   *f,
         gint64  id)
{
  g_autoptr(GError) error = NULL;
  TillPaymentRecord *record;

  till_store_flush (f->store);
  record = till_store_get_payment (f->store, id, &error);
  g_assert_no_error (error);
  return record;
}

static gboolean
events_contain (Flow       *f,
                const char *state)
{
  for (guint i = 0; i < f->events->len; i++)
    if (g_str_equal (g_ptr_array_index (f->events, i), state))
      return TRUE;
  return FALSE;
}

/* The till and the ledger agree on every payment of the sale, and the customer was
 * charged at most once for it. */
static void
assert_agrees (Flow   *f,
               gint64  sale_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  gint64 charged_orders = 0, charged_total = 0, paid_total = 0;
  TillSaleState state = sale_state (f, sale_id);

  payments = till_store_list_sale_payments (f->store, sale_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < payments->len; i++)
    {
      TillPaymentRecord *p = g_ptr_array_index (payments, i);
      g_autoptr(JsonObject) order = NULL;
      gint64 charged = 0;
      const char *ledger_state = "(none)";

      if (p->method == TILL_PAYMENT_METHOD_CASH)
        {
          paid_total += p->state == TILL_PAYMENT_STATE_PAID ? p->amount_fen : 0;
          continue;
        }
      g_assert_true (till_payment_state_is_final (p->state));
      order = till_test_paysim_ledger_order (f->sim, p->out_trade_no, &error);
      g_assert_no_error (error);
      if (order != NULL)
        {
          charged = json_object_get_int_member (order, "charged");
          ledger_state = json_object_get_string_member (order, "state");
        }
      g_test_message ("payment %s: till %s, ledger %s, charged %" G_GINT64_FORMAT,
                      p->out_trade_no, till_payment_state_to_string (p->state), ledger_state,
                      charged);
      if (p->state == TILL_PAYMENT_STATE_PAID)
        {
          g_assert_nonnull (order);
          g_assert_cmpstr (ledger_state, ==, "SUCCESS");
          g_assert_cmpint (charged, ==, p->amount_fen);
          g_assert_cmpstr (p->transaction_id, ==,
                           json_object_get_string_member (order, "transaction_id"));
          paid_total += p->amount_fen;
        }
      else
        {
          /* failed / reversed / closed: nothing charged, and the order is not left open. */
          g_assert_cmpint (charged, ==, 0);
          g_assert_cmpstr (ledger_state, !=, "SUCCESS");
          g_assert_cmpstr (ledger_state, !=, "USERPAYING");
          if (p->state == TILL_PAYMENT_STATE_REVERSED)
            g_assert_true (g_str_equal (ledger_state, "REVOKED")
                           || g_str_equal (ledger_state, "CLOSED"));
          if (p->state == TILL_PAYMENT_STATE_CLOSED)
            g_assert_cmpstr (ledger_state, ==, "CLOSED");
        }
      charged_orders += charged > 0;
      charged_total += charged;
    }
  g_assert_cmpint (charged_orders, <=, 1);
  {
    gint64 due = till_store_sale_amount_due (f->store, sale_id, &error);
    g_assert_no_error (error);
    g_assert_cmpint (state == TILL_SALE_STATE_PAID, ==, due == 0 && paid_total > 0);
  }
}

/* ---------------------------------------------------------------- endings (§13.2) */

static void
run_ending (const char      *ending,
            TillPaymentState expected)
{
  g_autoptr(Flow) f = flow_new (NULL);
  gint64 sale_id = till_test_pay_make_sale (f->store, 1288);
  g_autoptr(TillPaymentOutcome) outcome = pay_code (f, sale_id, 1288, ending, 60);
  g_autoptr(TillPaymentRecord) record = payment (f, outcome->payment_id);

  g_assert_cmpint (outcome->state, ==, expected);
  g_assert_cmpint (record->state, ==, expected);
  g_assert_cmpstr (record->auth_code_last4, ==, ending);
  g_assert_cmpstr (outcome->out_trade_no, ==, record->out_trade_no);
  g_assert_cmpint (sale_state (f, sale_id), ==,
                   expected == TILL_PAYMENT_STATE_PAID ? TILL_SALE_STATE_PAID
                                                       : TILL_SALE_STATE_OPEN);
  g_assert_cmpint (outcome->sale_paid, ==, expected == TILL_PAYMENT_STATE_PAID);
  g_assert_true (events_contain (f, "submitting"));
  g_assert_true (events_contain (f, till_payment_state_to_string (expected)));
  assert_agrees (f, sale_id);
}

static void
test_code_plain (void)
{
  run_ending ("0000", TILL_PAYMENT_STATE_PAID);
}

static void
test_code_1111 (void)
{
  g_autoptr(Flow) f = flow_new (NULL);
  gint64 sale_id = till_test_pay_make_sale (f->store, 500);
  g_autoptr(TillPaymentOutcome) outcome = pay_code (f, sale_id, 500, "1111", 30);

  g_assert_cmpint (outcome->state, ==, TILL_PAYMENT_STATE_PAID);
  g_assert_true (events_contain (f, "user_paying"));
  {
    gboolean said = FALSE;
    for (guint i = 0; i < f->messages->len; i++)
      said |= strstr (g_ptr_array_index (f->messages, i),
                      "Please confirm the payment on your phone") != NULL;
    g_assert_true (said);
  }
  g_assert_cmpint (sale_state (f, sale_id), ==, TILL_SALE_STATE_PAID);
  assert_agrees (f, sale_id);
}

static void
test_code_2222 (void)
{
  g_autoptr(Flow) f = flow_new (NULL);
  gint64 sale_id = till_test_pay_make_sale (f->store, 500);
  g_autoptr(TillPaymentOutcome) outcome = pay_code (f, sale_id, 500, "2222", 30);
  g_autoptr(TillPaymentRecord) record = payment (f, outcome->payment_id);

  g_assert_cmpint (outcome->state, ==, TILL_PAYMENT_STATE_FAILED);
  g_assert_cmpstr (record->last_error, ==, "NOT_ENOUGH");
  g_assert_nonnull (strstr (outcome->message, "Insufficient balance"));
  g_assert_nonnull (strstr (outcome->message, "take another payment"));
  g_assert_false (events_contain (f, "reversing"));
  assert_agrees (f, sale_id);
}

static void
test_code_3333 (void)
{
  g_autoptr(Flow) f = flow_new (NULL);
  gint64 sale_id = till_test_pay_make_sale (f->store, 500);
  g_autoptr(TillPaymentOutcome) outcome = pay_code (f, sale_id, 500, "3333", 30);
  g_autoptr(TillPaymentRecord) record = payment (f, outcome->payment_id);

  g_assert_cmpint (outcome->state, ==, TILL_PAYMENT_STATE_FAILED);
  g_assert_cmpstr (record->last_error, ==, "AUTH_CODE_INVALID");
  g_assert_nonnull (strstr (outcome->message, "Payment code expired"));
  assert_agrees (f, sale_id);
}

static void
test_code_4444 (void)
{
  g_autoptr(Flow) f = flow_new (NULL);
  gint64 sale_id = till_test_pay_make_sale (f->store, 500);
  g_autoptr(TillPaymentOutcome) outcome = pay_code (f, sale_id, 500, "4444", 30);

  g_assert_cmpint (outcome->state, ==, TILL_PAYMENT_STATE_PAID);
  g_assert_true (events_contain (f, "in_doubt"));   /* 500 first, then the query */
  assert_agrees (f, sale_id);
}

static void
test_code_5555 (void)
{
  g_autoptr(Flow) f = flow_new (NULL);
  gint64 sale_id = till_test_pay_make_sale (f->store, 500);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(TillPaymentOutcome) outcome = pay_code (f, sale_id, 500, "5555", 30);

  g_assert_cmpint (outcome->state, ==, TILL_PAYMENT_STATE_PAID);
  g_assert_true (events_contain (f, "in_doubt"));
  /* Settled by the query soon after the client's own timeout, not after 60 s. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  assert_agrees (f, sale_id);
}

static void
test_code_6666 (void)
{
  run_ending ("6666", TILL_PAYMENT_STATE_REVERSED);
}

static void
test_code_7777 (void)
{
  TillPaymentServiceConfig config;
  g_autoptr(Flow) f = NULL;
  gint64 sale_id;
  g_autoptr(TillPaymentOutcome) outcome = NULL;
  g_autoptr(TillPaymentRecord) record = NULL;

  /* PAYERROR comes after 6 s: wait long enough to see it, then reverse. */
  test_config (&config);
  config.deadline_ms = 12000;
  config.query_interval_ms = 500;
  f = flow_new (&config);
  sale_id = till_test_pay_make_sale (f->store, 500);
  outcome = pay_code (f, sale_id, 500, "7777", 40);
  record = payment (f, outcome->payment_id);
  g_assert_cmpint (outcome->state, ==, TILL_PAYMENT_STATE_REVERSED);
  g_assert_cmpstr (record->last_error, ==, "PAYERROR");
  assert_agrees (f, sale_id);
}

static void
test_code_8888 (void)
{
  g_autoptr(Flow) f = flow_new (NULL);
  gint64 sale_id = till_test_pay_make_sale (f->store, 500);
  g_autoptr(TillPaymentOutcome) outcome = pay_code (f, sale_id, 500, "8888", 30);

  /* The forged-looking answer never counts; the signed query does. */
  g_assert_cmpint (outcome->state, ==, TILL_PAYMENT_STATE_PAID);
  g_assert_true (events_contain (f, "in_doubt"));
  assert_agrees (f, sale_id);
}

static void
test_code_9999 (void)
{
  g_autoptr(Flow) f = flow_new (NULL);
  gint64 sale_id = till_test_pay_make_sale (f->store, 500);
  g_autoptr(TillPaymentOutcome) outcome = pay_code (f, sale_id, 500, "9999", 30);

  g_assert_cmpint (outcome->state, ==, TILL_PAYMENT_STATE_PAID);
  g_assert_true (events_contain (f, "in_doubt"));
  assert_agrees (f, sale_id);
}

/* ---------------------------------------------------------------- faults */

static void
run_fault (const char      *kind,
           guint            ms,
           guint            status,
           TillPaymentState expected)
{
  g_autoptr(Flow) f = flow_new (NULL);
  g_autoptr(GError) error = NULL;
  gint64 sale_id = till_test_pay_make_sale (f->store, 777);
  g_autoptr(TillPaymentOutcome) outcome = NULL;

  g_assert_true (till_test_paysim_arm_fault (f->sim, "/v3/pay/transactions/codepay", kind, ms,
                                             status, 1, &error));
  g_assert_no_error (error);
  outcome = pay_code (f, sale_id, 777, "0000", 40);
  g_assert_cmpint (outcome->state, ==, expected);
  assert_agrees (f, sale_id);
}

static void
test_fault_delay (void)
{
  /* The answer comes after the client gave up: unknown, then the query finds it paid. */
  run_fault ("delay", 3 * CLIENT_TIMEOUT_MS, 0, TILL_PAYMENT_STATE_PAID);
}

static void
test_fault_drop (void)
{
  /* The request never reached the server: the queries find no order until the deadline,
   * the reverse learns it never existed: failed, nothing charged. */
  run_fault ("drop", 0, 0, TILL_PAYMENT_STATE_FAILED);
}

static void
test_fault_500 (void)
{
  run_fault ("status", 0, 500, TILL_PAYMENT_STATE_FAILED);
}

static void
test_fault_503 (void)
{
  run_fault ("status", 0, 503, TILL_PAYMENT_STATE_FAILED);
}

static void
test_fault_429 (void)
{
  run_fault ("status", 0, 429, TILL_PAYMENT_STATE_FAILED);
}

static void
test_fault_badsig (void)
{
  run_fault ("badsig", 0, 0, TILL_PAYMENT_STATE_PAID);
}

static void
test_fault_query_errors (void)
{
  /* 1111 with every query failing for a while: the flow keeps polling, then pays. */
  g_autoptr(Flow) f = flow_new (NULL);
  g_autoptr(GError) error = NULL;
  gint64 sale_id = till_test_pay_make_sale (f->store, 300);
  g_autoptr(TillPaymentOutcome) outcome = NULL;

  g_assert_true (till_test_paysim_arm_fault (f->sim, "/v3/pay/transactions/out-trade-no/",
                                             "status", 0, 500, 3, &error));
  outcome = pay_code (f, sale_id, 300, "1111", 30);
  g_assert_cmpint (outcome->state, ==, TILL_PAYMENT_STATE_PAID);
  assert_agrees (f, sale_id);
}

/* ---------------------------------------------------------------- one attempt per sale */

static void
wait_state_cb (TillPaymentService *svc,
               gint64              payment_id,
               const char         *state,
               const char         *message,
               gpointer            user_data)
{
  const char **want = user_data;

  if (g_str_equal (state, want[0]))
    want[1] = "yes";
}

static void
wait_event (Flow       *f,
            const char *state,
            guint       limit_s)
{
  const char *want[2] = { state, NULL };
  gulong id;

  if (events_contain (f, state))
    return;
  id = g_signal_connect (f->svc, "payment-changed", G_CALLBACK (wait_state_cb), want);
  {
    guint timer = g_timeout_add_seconds (limit_s, till_test_pay_timeout_cb, (gpointer) state);
    while (want[1] == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (timer);
  }
  g_signal_handler_disconnect (f->svc, id);
}

static void
test_second_scan_refused (void)
{
  g_autoptr(Flow) f = flow_new (NULL);
  g_autofree char *code = till_test_paysim_auth_code ("6666");
  gint64 sale_id = till_test_pay_make_sale (f->store, 900);
  Wait first = { 0 }, second = { 0 };
  g_autoptr(TillPaymentOutcome) again = NULL;
  g_autoptr(JsonNode) ledger = NULL;
  g_autoptr(GError) error = NULL;

  till_payment_service_pay_code_async (f->svc, sale_id, 900, code, NULL, pay_cb, &first);
  wait_event (f, "user_paying", 20);

  /* The customer refreshes the code and the cashier scans again. */
  {
    g_autofree char *other = till_test_paysim_auth_code ("0000");
    till_payment_service_pay_code_async (f->svc, sale_id, 900, other, NULL, pay_cb, &second);
  }
  till_test_pay_wait_for (&second.done, 10, "second scan");
  g_assert_error (second.error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_assert_cmpstr (second.error->message, ==,
                   "A payment for this sale is still in progress — wait for it");
  g_clear_error (&second.error);

  till_test_pay_wait_for (&first.done, 30, "first payment");
  g_assert_no_error (first.error);
  g_assert_cmpint (first.outcome->state, ==, TILL_PAYMENT_STATE_REVERSED);

  /* Only now a new attempt: a new order number, paid. */
  again = pay_code (f, sale_id, 900, "0000", 30);
  g_assert_cmpint (again->state, ==, TILL_PAYMENT_STATE_PAID);
  g_assert_cmpstr (again->out_trade_no, !=, first.outcome->out_trade_no);
  assert_agrees (f, sale_id);
  till_payment_outcome_free (first.outcome);
  ledger = till_test_paysim_get_ledger (f->sim, &error);
  g_assert_no_error (error);
}

/* A payment code of a provider this till does not speak (Alipay's, at a WeChat Pay till)
 * is refused before anything is stored or sent. */
static void
test_code_not_accepted (void)
{
  g_autoptr(Flow) f = flow_new (NULL);
  gint64 sale_id = till_test_pay_make_sale (f->store, 900);
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GError) error = NULL;
  Wait w = { 0 };

  g_assert_null (till_payment_service_get_provider_for_code (f->svc, "281234567890123456"));
  g_assert_true (till_payment_service_get_provider_for_code (f->svc, "134567890123456789")
                 == till_payment_service_get_provider (f->svc));
  till_payment_service_pay_code_async (f->svc, sale_id, 900, "281234567890123456", NULL,
                                       pay_cb, &w);
  till_test_pay_wait_for (&w.done, 10, "refusal");
  g_assert_error (w.error, TILL_PAY_ERROR, TILL_PAY_ERROR_NOT_CONFIGURED);
  g_assert_cmpstr (w.error->message, ==,
                   "This kind of payment code is not accepted at this till");
  g_clear_error (&w.error);
  payments = till_store_list_sale_payments (f->store, sale_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 0);
  g_assert_cmpint (sale_state (f, sale_id), ==, TILL_SALE_STATE_OPEN);
  g_assert_null (till_payment_service_get_provider_by_name (f->svc, "alipay"));
  g_assert_nonnull (till_payment_service_get_provider_by_name (f->svc, "wechat"));
}

static void
test_new_attempt_after_failure (void)
{
  g_autoptr(Flow) f = flow_new (NULL);
  gint64 sale_id = till_test_pay_make_sale (f->store, 650);
  g_autoptr(TillPaymentOutcome) failed = pay_code (f, sale_id, 650, "2222", 30);
  g_autoptr(TillPaymentOutcome) expired = pay_code (f, sale_id, 650, "3333", 30);
  g_autoptr(TillPaymentOutcome) paid = pay_code (f, sale_id, 650, "0000", 30);

  g_assert_cmpint (failed->state, ==, TILL_PAYMENT_STATE_FAILED);
  g_assert_cmpint (expired->state, ==, TILL_PAYMENT_STATE_FAILED);
  g_assert_cmpint (paid->state, ==, TILL_PAYMENT_STATE_PAID);
  g_assert_cmpstr (failed->out_trade_no, !=, expired->out_trade_no);
  g_assert_cmpstr (expired->out_trade_no, !=, paid->out_trade_no);
  g_assert_cmpstr (failed->out_trade_no, !=, paid->out_trade_no);
  assert_agrees (f, sale_id);

  /* A paid sale takes no more payments. */
  {
    g_autofree char *code = till_test_paysim_auth_code ("0000");
    Wait w = { 0 };

    till_payment_service_pay_code_async (f->svc, sale_id, 650, code, NULL, pay_cb, &w);
    till_test_pay_wait_for (&w.done, 10, "payment of a paid sale");
    g_assert_error (w.error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
    g_clear_error (&w.error);
  }
}

static void
test_cancel_user_paying (void)
{
  TillPaymentServiceConfig config;
  g_autoptr(Flow) f = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = till_test_paysim_auth_code ("6666");
  gint64 sale_id, start;
  Wait w = { 0 };

  test_config (&config);
  config.deadline_ms = 60000;    /* only the cashier ends it */
  f = flow_new (&config);
  sale_id = till_test_pay_make_sale (f->store, 880);
  start = g_get_monotonic_time ();
  till_payment_service_pay_code_async (f->svc, sale_id, 880, code, NULL, pay_cb, &w);
  wait_event (f, "user_paying", 20);
  g_assert_false (till_payment_service_cancel (f->svc, 987654, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID);
  g_clear_error (&error);
  {
    g_autoptr(GPtrArray) live = till_store_list_unfinished_payments (f->store, &error);
    g_assert_cmpuint (live->len, ==, 1);
    g_assert_true (till_payment_service_cancel (
      f->svc, ((TillPaymentRecord *) live->pdata[0])->id, &error));
    g_assert_no_error (error);
  }
  till_test_pay_wait_for (&w.done, 20, "cancelled payment");
  g_assert_no_error (w.error);
  g_assert_cmpint (w.outcome->state, ==, TILL_PAYMENT_STATE_REVERSED);
  g_assert_nonnull (strstr (w.outcome->message, "Not charged"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 15 * G_USEC_PER_SEC);
  assert_agrees (f, sale_id);
  till_payment_outcome_free (w.outcome);
}

static void
test_reverse_waits_15_s (void)
{
  TillPaymentServiceConfig config;
  g_autoptr(Flow) f = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaymentOutcome) outcome = NULL;
  g_autoptr(TillPaymentRecord) record = NULL;
  g_autoptr(JsonObject) order = NULL;
  gint64 sale_id, created_ms, ended_ms;

  test_config (&config);
  config.reverse_min_delay_ms = 0;   /* the real rule: 15 000 ms */
  f = flow_new (&config);
  sale_id = till_test_pay_make_sale (f->store, 1500);
  outcome = pay_code (f, sale_id, 1500, "6666", 40);
  g_assert_cmpint (outcome->state, ==, TILL_PAYMENT_STATE_REVERSED);
  record = payment (f, outcome->payment_id);
  order = till_test_paysim_ledger_order (f->sim, outcome->out_trade_no, &error);
  g_assert_no_error (error);
  created_ms = json_object_get_int_member (order, "created_ms");
  ended_ms = json_object_get_int_member (order, "ended_ms");
  g_test_message ("pay call at %" G_GINT64_FORMAT " ms, reverse at %" G_GINT64_FORMAT " ms",
                  created_ms, ended_ms);
  g_assert_cmpstr (json_object_get_string_member (order, "state"), ==, "REVOKED");
  g_assert_cmpint (ended_ms - created_ms, >=, 15000);
  g_assert_cmpint (record->updated_at - record->pay_call_at, >=, 15 * G_USEC_PER_SEC);
  /* And not much later than needed: the deadline (2 s) was long past. */
  g_assert_cmpint (ended_ms - created_ms, <, 20000);
  assert_agrees (f, sale_id);
}

/* ---------------------------------------------------------------- outbox */

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_reverse_unreachable_outbox (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillTestPaysim) sim = till_test_paysim_start (NULL, &error);
  g_autoptr(Flow) f = NULL;
  g_autoptr(TillOutboxWorker) worker = NULL;
  g_autoptr(TillPaymentOutcome) outcome = NULL;
  g_autofree char *code = till_test_paysim_auth_code ("6666");
  g_autofree char *out_trade_no = NULL;
  TillOutboxWorkerConfig wconfig = { .backoff_base_ms = 200, .backoff_cap_ms = 1000 };
  gint64 sale_id, payment_id;
  guint count_notifies = 0;
  Wait w = { 0 };

  g_assert_no_error (error);
  f = flow_new_with (sim, NULL);
  sale_id = till_test_pay_make_sale (f->store, 2000);
  till_payment_service_pay_code_async (f->svc, sale_id, 2000, code, NULL, pay_cb, &w);
  wait_event (f, "user_paying", 20);

  /* WeChat Pay becomes unreachable while the customer "enters the password". */
  till_test_paysim_stop (sim);
  till_test_pay_wait_for (&w.done, 30, "payment with the provider gone");
  g_assert_no_error (w.error);
  outcome = g_steal_pointer (&w.outcome);
  payment_id = outcome->payment_id;
  out_trade_no = g_strdup (outcome->out_trade_no);
  g_assert_cmpint (outcome->state, ==, TILL_PAYMENT_STATE_REVERSING);
  g_assert_nonnull (strstr (outcome->message, "do not charge again"));
  {
    g_autoptr(TillOutboxJob) job = till_store_outbox_get_by_key (f->store, out_trade_no, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (job->kind, ==, TILL_OUTBOX_KIND_REVERSE);
    g_assert_cmpint (job->state, ==, TILL_OUTBOX_STATE_PENDING);
  }
  g_assert_cmpint (sale_state (f, sale_id), ==, TILL_SALE_STATE_OPEN);

  /* The worker tries while it is down: offline, the job waits with backoff. */
  worker = till_outbox_worker_new (f->svc, &wconfig);
  {
    gint64 until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE), g_usleep (10000);
  }
  g_assert_false (till_outbox_worker_get_online (worker));
  g_assert_cmpint (till_outbox_worker_get_pending_count (worker), ==, 1);
  /* The status bar hears the count fall to 0. */
  g_signal_connect (worker, "notify::pending-count", G_CALLBACK (notify_count_cb),
                    &count_notifies);
  {
    g_autoptr(TillOutboxJob) job = till_store_outbox_get_by_key (f->store, out_trade_no, &error);
    g_assert_cmpint (job->attempts, >=, 2);
    g_assert_nonnull (job->last_error);
  }

  /* Back, on a new port (a restarted service): the till restarts its client too. */
  g_assert_true (till_test_paysim_restart (sim, &error));
  g_assert_no_error (error);
  till_outbox_worker_stop (worker);
  while (till_outbox_worker_get_running (worker))
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&worker);
  g_clear_object (&f->client);
  f->client = till_test_pay_new_client (sim, NULL, FALSE, CLIENT_TIMEOUT_MS);
  {
    TillPaymentServiceConfig config;
    test_config (&config);
    flow_make_service (f, &config);
  }
  worker = till_outbox_worker_new (f->svc, &wconfig);
  g_assert_cmpint (till_outbox_worker_get_pending_count (worker), ==, 1);
  /* The status bar hears the count fall to 0. */
  g_signal_connect (worker, "notify::pending-count", G_CALLBACK (notify_count_cb),
                    &count_notifies);
  {
    /* Event-driven: a generous bound only matters on a loaded machine (CI, 2 cores). */
    gint64 until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
    while (till_outbox_worker_get_pending_count (worker) != 0
           || till_outbox_worker_get_running (worker))
      {
        g_assert_cmpint (g_get_monotonic_time (), <, until);
        g_main_context_iteration (NULL, FALSE);
        g_usleep (10000);
      }
  }
  g_assert_true (till_outbox_worker_get_online (worker));
  {
    g_autoptr(TillPaymentRecord) record = payment (f, payment_id);
    g_autoptr(TillOutboxJob) job = till_store_outbox_get_by_key (f->store, out_trade_no, &error);

    g_assert_cmpint (record->state, ==, TILL_PAYMENT_STATE_REVERSED);
    g_assert_cmpint (job->state, ==, TILL_OUTBOX_STATE_DONE);
  }
  g_assert_cmpuint (count_notifies, >, 0);
  assert_agrees (f, sale_id);
  till_outbox_worker_stop (worker);
}

/* ---------------------------------------------------------------- crash and resume */

static void
run_crash_resume (const char      *ending,
                  const char      *crash_in_state,
                  TillPaymentState expected)
{
  g_autoptr(Flow) f = flow_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = till_test_paysim_auth_code (ending);
  g_autoptr(GPtrArray) left = NULL;
  gint64 sale_id = till_test_pay_make_sale (f->store, 4321);
  gint64 payment_id;
  Wait w = { 0 };

  till_payment_service_pay_code_async (f->svc, sale_id, 4321, code, NULL, pay_cb, &w);
  if (crash_in_state != NULL)
    wait_event (f, crash_in_state, 20);
  else
    {
      /* Stored and sent, no answer yet. */
      wait_event (f, "submitting", 20);
      {
        gint64 until = g_get_monotonic_time () + 300 * 1000;
        while (g_get_monotonic_time () < until)
          g_main_context_iteration (NULL, FALSE), g_usleep (5000);
      }
    }

  /* The process "dies": nothing more is sent or written by this service. */
  till_payment_service_shutdown (f->svc);
  till_test_pay_wait_for (&w.done, 10, "the cancelled wait");
  g_assert_error (w.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&w.error);
  g_clear_object (&f->svc);
  till_store_flush (f->store);
  g_clear_object (&f->store);

  /* Power back: the same database, a new service, nobody touches anything. */
  f->store = till_store_open (f->db_path, &error);
  g_assert_no_error (error);
  left = till_store_list_unfinished_payments (f->store, &error);
  g_assert_cmpuint (left->len, ==, 1);
  payment_id = ((TillPaymentRecord *) left->pdata[0])->id;
  {
    TillPaymentServiceConfig config;
    test_config (&config);
    flow_make_service (f, &config);
  }
  g_assert_cmpuint (till_payment_service_resume_pending (f->svc, &error), ==, 1);
  g_assert_no_error (error);
  {
    guint timer = g_timeout_add_seconds (30, till_test_pay_timeout_cb, (gpointer) "resume");
    while (till_payment_service_get_n_live (f->svc) > 0)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (timer);
  }
  {
    g_autoptr(TillPaymentRecord) record = payment (f, payment_id);
    g_assert_cmpint (record->state, ==, expected);
  }
  g_assert_cmpint (sale_state (f, sale_id), ==,
                   expected == TILL_PAYMENT_STATE_PAID ? TILL_SALE_STATE_PAID
                                                       : TILL_SALE_STATE_OPEN);
  assert_agrees (f, sale_id);
}

static void
test_resume_sent_no_answer (void)
{
  /* 5555: stored, sent, paid at WeChat Pay, the till died waiting. */
  run_crash_resume ("5555", NULL, TILL_PAYMENT_STATE_PAID);
}

static void
test_resume_user_paying_paid (void)
{
  run_crash_resume ("1111", "user_paying", TILL_PAYMENT_STATE_PAID);
}

static void
test_resume_user_paying_walks_away (void)
{
  run_crash_resume ("6666", "user_paying", TILL_PAYMENT_STATE_REVERSED);
}

static void
test_resume_reversing (void)
{
  run_crash_resume ("6666", "reversing", TILL_PAYMENT_STATE_REVERSED);
}

/* ---------------------------------------------------------------- Native */

static TillPaymentOutcome *
pay_native (Flow   *f,
            gint64  sale_id,
            gint64  amount)
{
  Wait w = { 0 };

  till_payment_service_pay_native_async (f->svc, sale_id, amount, NULL, native_cb, &w);
  till_test_pay_wait_for (&w.done, 20, "native order");
  g_assert_no_error (w.error);
  return w.outcome;
}

static void
test_native_paid (void)
{
  g_autoptr(Flow) f = flow_new (NULL);
  g_autoptr(GError) error = NULL;
  gint64 sale_id = till_test_pay_make_sale (f->store, 2599);
  g_autoptr(TillPaymentOutcome) created = pay_native (f, sale_id, 2599);
  g_autofree char *url = NULL;

  g_assert_cmpint (created->state, ==, TILL_PAYMENT_STATE_USER_PAYING);
  g_assert_true (g_str_has_prefix (created->code_url, "weixin://"));
  g_assert_cmpstr (f->code_url, ==, created->code_url);
  url = till_payment_service_dup_code_url (f->svc, created->payment_id);
  g_assert_cmpstr (url, ==, created->code_url);

  /* The customer scans the QR and pays. */
  g_assert_true (till_test_paysim_native_pay (f->sim, created->out_trade_no, &error));
  g_assert_no_error (error);
  wait_event (f, "paid", 20);
  g_assert_cmpint (sale_state (f, sale_id), ==, TILL_SALE_STATE_PAID);
  {
    g_autoptr(TillPaymentRecord) record = payment (f, created->payment_id);
    g_assert_cmpint (record->method, ==, TILL_PAYMENT_METHOD_WECHAT_NATIVE);
    g_assert_cmpint (record->state, ==, TILL_PAYMENT_STATE_PAID);
  }
  assert_agrees (f, sale_id);
}

static void
test_native_cancel_closes (void)
{
  g_autoptr(Flow) f = flow_new (NULL);
  g_autoptr(GError) error = NULL;
  gint64 sale_id = till_test_pay_make_sale (f->store, 1200);
  g_autoptr(TillPaymentOutcome) created = pay_native (f, sale_id, 1200);

  g_assert_cmpint (created->state, ==, TILL_PAYMENT_STATE_USER_PAYING);
  g_assert_true (till_payment_service_cancel (f->svc, created->payment_id, &error));
  g_assert_no_error (error);
  wait_event (f, "closed", 20);
  {
    g_autoptr(TillPaymentRecord) record = payment (f, created->payment_id);
    g_assert_cmpint (record->state, ==, TILL_PAYMENT_STATE_CLOSED);
  }
  /* Too late to pay it now. */
  g_assert_false (till_test_paysim_native_pay (f->sim, created->out_trade_no, NULL));
  assert_agrees (f, sale_id);
}

static void
test_native_deadline_closes (void)
{
  TillPaymentServiceConfig config;
  g_autoptr(Flow) f = NULL;
  gint64 sale_id;
  g_autoptr(TillPaymentOutcome) created = NULL;

  test_config (&config);
  config.native_deadline_ms = 1500;
  f = flow_new (&config);
  sale_id = till_test_pay_make_sale (f->store, 1200);
  created = pay_native (f, sale_id, 1200);
  wait_event (f, "closed", 20);
  assert_agrees (f, sale_id);
}

/* ---------------------------------------------------------------- the worker itself */

typedef struct
{
  guint        calls;
  const GError *fail_with;   /* NULL = succeed */
} HandlerState;

static void
test_handler (const TillOutboxJob *job,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             callback_data,
              gpointer             handler_data)
{
  HandlerState *state = handler_data;
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, callback_data);

  state->calls++;
  if (state->fail_with != NULL)
    g_task_return_error (task, g_error_copy (state->fail_with));
  else
    g_task_return_boolean (task, TRUE);
}

static TillOutboxJob *
job_when (Flow       *f,
          const char *key,
          int         state,
          guint       limit_s)
{
  gint64 until = g_get_monotonic_time () + limit_s * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      TillOutboxJob *job;

      till_store_flush (f->store);
      job = till_store_outbox_get_by_key (f->store, key, &error);
      g_assert_no_error (error);
      if ((int) job->state == state)
        return job;
      till_outbox_job_free (job);
      g_assert_cmpint (g_get_monotonic_time (), <, until);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

static void
test_worker_backoff_values (void)
{
  g_assert_cmpuint (till_outbox_worker_backoff_ms (1, 1000, 300000), ==, 1000);
  g_assert_cmpuint (till_outbox_worker_backoff_ms (2, 1000, 300000), ==, 2000);
  g_assert_cmpuint (till_outbox_worker_backoff_ms (5, 1000, 300000), ==, 16000);
  g_assert_cmpuint (till_outbox_worker_backoff_ms (9, 1000, 300000), ==, 256000);
  g_assert_cmpuint (till_outbox_worker_backoff_ms (10, 1000, 300000), ==, 300000);
  g_assert_cmpuint (till_outbox_worker_backoff_ms (400, 1000, 300000), ==, 300000);
}

static void
test_worker_jobs (void)
{
  g_autoptr(Flow) f = flow_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) offline = g_error_new_literal (TILL_PAY_ERROR, TILL_PAY_ERROR_TIMEOUT,
                                                   "no answer");
  g_autoptr(GError) refused = g_error_new_literal (TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER,
                                                   "refused");
  HandlerState failing = { 0, offline }, definite = { 0, refused }, fine = { 0, NULL };
  TillOutboxWorkerConfig config = { .backoff_base_ms = 50, .backoff_cap_ms = 200,
                                    .max_attempts = 3 };
  g_autoptr(TillOutboxWorker) worker = NULL;
  g_autoptr(GPtrArray) dead = NULL;
  gint64 now = g_get_real_time ();

  till_pay_error_set_details (refused, "NO_STATEMENT_EXIST", "账单文件不存在", 400);
  till_outbox_job_free (till_store_outbox_enqueue (f->store, TILL_OUTBOX_KIND_FETCH_BILL,
                                                   "bill:2026-11-20", NULL, now, NULL, &error));
  till_outbox_job_free (till_store_outbox_enqueue (f->store, TILL_OUTBOX_KIND_REFUND_QUERY,
                                                   "R1", NULL, now, NULL, &error));
  till_outbox_job_free (till_store_outbox_enqueue (f->store, TILL_OUTBOX_KIND_REFUND,
                                                   "R2", NULL, now, NULL, &error));
  g_assert_no_error (error);

  worker = till_outbox_worker_new (f->svc, &config);
  g_assert_cmpint (till_outbox_worker_get_pending_count (worker), ==, 3);
  till_outbox_worker_set_handler (worker, TILL_OUTBOX_KIND_FETCH_BILL, test_handler, &failing,
                                  NULL);
  till_outbox_worker_set_handler (worker, TILL_OUTBOX_KIND_REFUND_QUERY, test_handler,
                                  &definite, NULL);
  till_outbox_worker_set_handler (worker, TILL_OUTBOX_KIND_REFUND, test_handler, &fine, NULL);

  {
    g_autoptr(TillOutboxJob) done = job_when (f, "R2", TILL_OUTBOX_STATE_DONE, 10);
    g_autoptr(TillOutboxJob) gave_up = job_when (f, "R1", TILL_OUTBOX_STATE_DEAD, 10);
    g_autoptr(TillOutboxJob) exhausted = job_when (f, "bill:2026-11-20", TILL_OUTBOX_STATE_DEAD,
                                                   10);

    g_assert_cmpuint (fine.calls, ==, 1);
    g_assert_cmpuint (definite.calls, ==, 1);          /* a definite refusal: no retry */
    g_assert_cmpuint (failing.calls, ==, 3);           /* max_attempts */
    g_assert_cmpint (exhausted->attempts, ==, 3);
    g_assert_cmpstr (exhausted->last_error, ==, "no answer");
  }
  dead = till_store_outbox_list (f->store, TILL_OUTBOX_STATE_DEAD, &error);
  g_assert_cmpuint (dead->len, ==, 2);
  {
    gint64 until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
    while (till_outbox_worker_get_pending_count (worker) != 0)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, until);
        g_main_context_iteration (NULL, FALSE);
        g_usleep (5000);
      }
  }
  g_assert_false (till_outbox_worker_get_online (worker));   /* the last real call timed out */

  /* A new job wakes it at once (no timer is pending: the queue was empty). */
  fine.calls = 0;
  till_outbox_job_free (till_store_outbox_enqueue (f->store, TILL_OUTBOX_KIND_REFUND, "R3",
                                                   NULL, g_get_real_time (), NULL, &error));
  till_outbox_worker_wake (worker);
  {
    g_autoptr(TillOutboxJob) done = job_when (f, "R3", TILL_OUTBOX_STATE_DONE, 5);
    g_assert_cmpuint (fine.calls, ==, 1);
  }
  g_assert_true (till_outbox_worker_get_online (worker));
  till_outbox_worker_stop (worker);
}

/* A handler that keeps the job until the test lets it end. */
typedef struct
{
  guint  calls;
  GTask *held;
} HoldState;

static void
hold_handler (const TillOutboxJob *job,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             callback_data,
              gpointer             handler_data)
{
  HoldState *state = handler_data;

  state->calls++;
  g_assert_null (state->held);
  state->held = g_task_new (NULL, NULL, callback, callback_data);
}

/* A worker stopped in the middle of a job (the payment settings changed: the runtime builds
 * a new worker meanwhile) gives the job back; the new worker, asleep with nothing due when
 * it started, takes it without being told (the monkey found it waiting for ever). */
static void
test_worker_stopped_mid_job (void)
{
  g_autoptr(Flow) f = flow_new (NULL);
  g_autoptr(GError) error = NULL;
  HoldState held = { 0 };
  HandlerState fine = { 0, NULL };
  TillOutboxWorkerConfig config = { .backoff_base_ms = 5000, .backoff_cap_ms = 60000,
                                    .look_again_ms = 300 };
  g_autoptr(TillOutboxWorker) old = NULL;
  g_autoptr(TillOutboxWorker) next = NULL;

  till_outbox_job_free (till_store_outbox_enqueue (f->store, TILL_OUTBOX_KIND_REFUND, "R9",
                                                   NULL, g_get_real_time (), NULL, &error));
  g_assert_no_error (error);
  old = till_outbox_worker_new (f->svc, &config);
  till_outbox_worker_set_handler (old, TILL_OUTBOX_KIND_REFUND, hold_handler, &held, NULL);
  till_outbox_worker_wake (old);
  {
    g_autoptr(TillOutboxJob) running = job_when (f, "R9", TILL_OUTBOX_STATE_RUNNING, 5);
  }
  while (held.held == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* The new worker starts while the old one still runs the job: nothing is due for it. */
  next = till_outbox_worker_new (f->svc, &config);
  till_outbox_worker_set_handler (next, TILL_OUTBOX_KIND_REFUND, test_handler, &fine, NULL);
  till_test_pay_spin (200);
  g_assert_cmpuint (fine.calls, ==, 0);

  /* The old worker stops; its job ends as interrupted, not failed. */
  till_outbox_worker_stop (old);
  g_task_return_new_error (held.held, G_IO_ERROR, G_IO_ERROR_CANCELLED, "stopped");
  g_clear_object (&held.held);
  {
    g_autoptr(TillOutboxJob) done = job_when (f, "R9", TILL_OUTBOX_STATE_DONE, 10);
  }
  g_assert_cmpuint (fine.calls, ==, 1);
  till_outbox_worker_stop (next);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *const sim_args[] = { "--password-delay-ms", "400", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);

  shared_sim = till_test_paysim_start (sim_args, &error);
  g_assert_no_error (error);

  g_test_add_func ("/pay/flow/code/plain-success", test_code_plain);
  g_test_add_func ("/pay/flow/code/1111-password", test_code_1111);
  g_test_add_func ("/pay/flow/code/2222-not-enough", test_code_2222);
  g_test_add_func ("/pay/flow/code/3333-code-expired", test_code_3333);
  g_test_add_func ("/pay/flow/code/4444-system-error-paid", test_code_4444);
  g_test_add_func ("/pay/flow/code/5555-timeout-paid", test_code_5555);
  g_test_add_func ("/pay/flow/code/6666-walks-away", test_code_6666);
  g_test_add_func ("/pay/flow/code/7777-payerror", test_code_7777);
  g_test_add_func ("/pay/flow/code/8888-bad-signature", test_code_8888);
  g_test_add_func ("/pay/flow/code/9999-dropped-paid", test_code_9999);
  g_test_add_func ("/pay/flow/fault/delay", test_fault_delay);
  g_test_add_func ("/pay/flow/fault/drop", test_fault_drop);
  g_test_add_func ("/pay/flow/fault/status-500", test_fault_500);
  g_test_add_func ("/pay/flow/fault/status-503", test_fault_503);
  g_test_add_func ("/pay/flow/fault/status-429", test_fault_429);
  g_test_add_func ("/pay/flow/fault/badsig", test_fault_badsig);
  g_test_add_func ("/pay/flow/fault/query-errors", test_fault_query_errors);
  g_test_add_func ("/pay/flow/one-attempt/second-scan-refused", test_second_scan_refused);
  g_test_add_func ("/pay/flow/code/other-provider-refused", test_code_not_accepted);
  g_test_add_func ("/pay/flow/one-attempt/new-number-after-failure",
                   test_new_attempt_after_failure);
  g_test_add_func ("/pay/flow/cancel/user-paying-reversed", test_cancel_user_paying);
  g_test_add_func ("/pay/flow/reverse/waits-15-s", test_reverse_waits_15_s);
  g_test_add_func ("/pay/flow/outbox/reverse-unreachable", test_reverse_unreachable_outbox);
  g_test_add_func ("/pay/flow/resume/sent-no-answer", test_resume_sent_no_answer);
  g_test_add_func ("/pay/flow/resume/user-paying-paid", test_resume_user_paying_paid);
  g_test_add_func ("/pay/flow/resume/user-paying-walks-away",
                   test_resume_user_paying_walks_away);
  g_test_add_func ("/pay/flow/resume/reversing", test_resume_reversing);
  g_test_add_func ("/pay/flow/native/paid", test_native_paid);
  g_test_add_func ("/pay/flow/native/cancel-closes", test_native_cancel_closes);
  g_test_add_func ("/pay/flow/native/deadline-closes", test_native_deadline_closes);
  g_test_add_func ("/pay/outbox-worker/backoff", test_worker_backoff_values);
  g_test_add_func ("/pay/outbox-worker/retry-dead-done-wake", test_worker_jobs);
  g_test_add_func ("/pay/outbox-worker/stopped-mid-job", test_worker_stopped_mid_job);

  status = g_test_run ();
  till_test_paysim_free (shared_sim);
  return status;
}
