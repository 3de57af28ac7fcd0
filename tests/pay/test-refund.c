/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Refunds against the real simulator (tillpoint-paysim on 127.0.0.1) and a real SQLite
 * file: full and partial, never more than paid (also when two refunds race), the
 * provider's PROCESSING followed by refund_query jobs, refused, 5xx, timeouts and dropped
 * answers sent again with the same out_refund_no, the simulator down and back, a refund
 * resumed after a crash, cash, closed days. Every case checks the simulator's ledger: the
 * refund is there exactly once, and the till's books equal it. */
#define G_LOG_DOMAIN "test-refund"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "till-outbox-worker.h"
#include "till-payment-service.h"
#include "till-refund-service.h"
#include "till-store-cash.h"
#include "till-store-outbox.h"
#include "till-store-payments.h"
#include "till-store-refunds.h"
#include "till-test-pay.h"
#include "till-test-store.h"

#define CLIENT_TIMEOUT_MS 1500

static TillTestPaysim *shared_sim;

typedef struct
{
  TillTestPaysim     *sim;      /* borrowed */
  char               *dir;
  char               *db_path;
  char                device_id[8];
  TillStore          *store;
  TillWxpayClient    *client;
  TillPaymentService *pay;
  TillRefundService  *refunds;
  TillOutboxWorker   *worker;
  GPtrArray          *events;   /* "id:state" per refund-changed */
} Fix;

static void
refund_changed_cb (TillRefundService *svc,
                   gint64             refund_id,
                   const char        *state,
                   const char        *message,
                   Fix               *f)
{
  g_assert_nonnull (message);
  g_assert_cmpstr (message, !=, "");
  g_ptr_array_add (f->events, g_strdup_printf ("%" G_GINT64_FORMAT ":%s", refund_id, state));
}

static Fix *
fix_new_full (TillTestPaysim *sim,
              gboolean        with_client)
{
  static guint n;
  g_autoptr(GError) error = NULL;
  Fix *f = g_new0 (Fix, 1);
  TillPaymentServiceConfig config = {
    .store_id = "S02",
    .query_interval_ms = 200,
    .deadline_ms = 3000,
    .native_deadline_ms = 20000,
    .reverse_min_delay_ms = 1000,
    .reverse_attempts = 2,
    .reverse_retry_ms = 200,
  };
  TillOutboxWorkerConfig wconfig = {
    .backoff_base_ms = 200,
    .backoff_cap_ms = 1000,
    .max_attempts = -1,
    .watch_network = FALSE,
  };

  f->sim = sim;
  g_snprintf (f->device_id, sizeof f->device_id, "R%03u", ++n % 1000);
  config.device_id = f->device_id;
  if (sim != NULL && till_test_paysim_is_running (sim))
    {
      g_assert_true (till_test_paysim_clear_faults (sim, &error));
      g_assert_no_error (error);
    }
  f->store = till_test_store_open_tmp ("till-refund-XXXXXX", &f->dir, &f->db_path);
  f->events = g_ptr_array_new_with_free_func (g_free);
  if (with_client)
    {
      g_autoptr(TillPayProvider) provider = NULL;

      f->client = till_test_pay_new_client (sim, NULL, FALSE, CLIENT_TIMEOUT_MS);
      provider = till_test_pay_provider (f->client);
      f->pay = till_payment_service_new (f->store, provider, &config, &error);
      g_assert_no_error (error);
      f->worker = till_outbox_worker_new (f->pay, &wconfig);
    }
  {
    g_autoptr(TillPayProvider) provider = till_test_pay_provider (f->client);
    f->refunds = till_refund_service_new (f->store, provider, &error);
  }
  g_assert_no_error (error);
  till_refund_service_set_query_delay_ms (f->refunds, 300);
  g_signal_connect (f->refunds, "refund-changed", G_CALLBACK (refund_changed_cb), f);
  if (f->worker != NULL)
    till_outbox_worker_set_refund_service (f->worker, f->refunds);
  return f;
}

static Fix *
fix_new (void)
{
  return fix_new_full (shared_sim, TRUE);
}

static void
fix_free (Fix *f)
{
  if (f->worker != NULL)
    till_outbox_worker_stop (f->worker);
  till_refund_service_shutdown (f->refunds);
  if (f->pay != NULL)
    till_payment_service_shutdown (f->pay);
  g_clear_object (&f->worker);
  g_clear_object (&f->refunds);
  g_clear_object (&f->pay);
  g_clear_object (&f->client);
  till_store_flush (f->store);
  g_clear_object (&f->store);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  till_test_store_remove_tmp (f->dir, f->db_path);
  g_free (f->dir);
  g_free (f->db_path);
  g_ptr_array_unref (f->events);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fix, fix_free)

typedef struct
{
  gboolean            done;
  TillPaymentOutcome *outcome;
  char               *message;
  GError             *error;
} Wait;

static void
wait_clear (Wait *w)
{
  g_clear_pointer (&w->outcome, till_payment_outcome_free);
  g_clear_pointer (&w->message, g_free);
  g_clear_error (&w->error);
  w->done = FALSE;
}

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

/* A sale paid with WeChat code pay; returns its id, *out_trade_no the order. */
static gint64
make_paid_sale (Fix     *f,
                gint64   amount_fen,
                char   **out_trade_no)
{
  gint64 sale_id = till_test_pay_make_sale (f->store, amount_fen);
  g_autofree char *code = till_test_paysim_auth_code ("0000");
  Wait w = { 0 };

  till_payment_service_pay_code_async (f->pay, sale_id, amount_fen, code, NULL, pay_cb, &w);
  till_test_pay_wait_for (&w.done, 20, "pay");
  g_assert_no_error (w.error);
  g_assert_cmpint (w.outcome->state, ==, TILL_PAYMENT_STATE_PAID);
  g_assert_true (w.outcome->sale_paid);
  if (out_trade_no != NULL)
    *out_trade_no = g_strdup (w.outcome->out_trade_no);
  wait_clear (&w);
  return sale_id;
}

static gint64
make_cash_sale (Fix    *f,
                gint64  amount_fen)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = till_store_next_sale_number (f->store, g_get_real_time (), &error);
  g_autoptr(TillSale) sale = till_sale_new (number);
  g_autoptr(TillSaleLine) line = till_sale_line_new (2, "6901234567885", "面包", "个",
                                                     amount_fen, 1000, FALSE);

  till_sale_set_opened_at (sale, g_get_real_time ());
  g_assert_cmpuint (till_sale_add_line (sale, line, &error), !=, G_MAXUINT);
  g_assert_true (till_store_complete_cash_sale (f->store, sale, amount_fen, &error));
  g_assert_no_error (error);
  return till_sale_get_id (sale);
}

static void
refund_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *w = user_data;

  w->message = till_refund_service_refund_finish (TILL_REFUND_SERVICE (source), result, &w->error);
  w->done = TRUE;
}

/* Refunds and waits for refund_finish: the message, or NULL and *error. */
static char *
refund (Fix         *f,
        gint64       sale_id,
        gint64       amount,
        GError     **error)
{
  Wait w = { 0 };

  till_refund_service_refund_async (f->refunds, sale_id, amount, "顾客退货", "店长王", NULL,
                                    refund_cb, &w);
  till_test_pay_wait_for (&w.done, 20, "refund");
  if (w.error != NULL)
    {
      g_assert_null (w.message);
      g_propagate_error (error, g_steal_pointer (&w.error));
      return NULL;
    }
  g_assert_nonnull (w.message);
  return g_steal_pointer (&w.message);
}

static GPtrArray *
sale_refunds (Fix    *f,
              gint64  sale_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  till_store_flush (f->store);
  rows = till_store_list_sale_refunds (f->store, sale_id, &error);
  g_assert_no_error (error);
  return rows;
}

/* Runs the loop until every refund of the sale is final (the worker finishes them). */
static void
wait_refunds_final (Fix    *f,
                    gint64  sale_id,
                    guint   limit_s)
{
  gint64 until = g_get_monotonic_time () + (gint64) limit_s * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GPtrArray) rows = sale_refunds (f, sale_id);
      gboolean all = TRUE;

      for (guint i = 0; i < rows->len; i++)
        if (!till_refund_state_is_final (((TillRefundRecord *) g_ptr_array_index (rows, i))->state))
          all = FALSE;
      if (all)
        return;
      if (g_get_monotonic_time () > until)
        g_error ("refunds of sale %" G_GINT64_FORMAT " not final after %u s", sale_id, limit_s);
      till_test_pay_spin (50);
    }
}

/* The outbox job of `key` once it is done: its refund is stored final first, the job's end
 * after (a slower machine, a sanitized build, sees the moment between them). */
static TillOutboxJob *
wait_job_done (Fix        *f,
               const char *key,
               guint       limit_s)
{
  gint64 until = g_get_monotonic_time () + (gint64) limit_s * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TillOutboxJob) job = till_store_outbox_get_by_key (f->store, key, &error);

      g_assert_no_error (error);
      if (job->state == TILL_OUTBOX_STATE_DONE)
        return g_steal_pointer (&job);
      if (g_get_monotonic_time () > until)
        g_error ("job %s not done after %u s (state %d)", key, limit_s, job->state);
      till_test_pay_spin (50);
    }
}

static TillSaleState
sale_state (Fix    *f,
            gint64  sale_id)
{
  g_autoptr(GError) error = NULL;
  TillSaleState state = TILL_SALE_STATE_OPEN;

  till_store_flush (f->store);
  g_assert_true (till_store_sale_get_state (f->store, sale_id, &state, &error));
  g_assert_no_error (error);
  return state;
}

static TillRefundable *
refundable (Fix    *f,
            gint64  sale_id)
{
  g_autoptr(GError) error = NULL;
  TillRefundable *r;

  till_store_flush (f->store);
  r = till_refund_service_get_refundable (f->refunds, sale_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  return r;
}

/* The ledger's refunds of the order: the number of refund entries and the sum refunded;
 * asserts the till's successful refunds of the order are exactly those (books agree). */
static void
assert_ledger (Fix        *f,
               gint64      sale_id,
               const char *out_trade_no,
               guint       expect_refunds,
               gint64      expect_refunded)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) order = till_test_paysim_ledger_order (f->sim, out_trade_no, &error);
  g_autoptr(GPtrArray) rows = sale_refunds (f, sale_id);
  JsonArray *list;
  gint64 till_success = 0, ledger_sum = 0;
  guint till_n = 0;

  g_assert_no_error (error);
  g_assert_nonnull (order);
  list = json_object_get_array_member (order, "refunds");
  g_assert_cmpuint (json_array_get_length (list), ==, expect_refunds);
  g_assert_cmpint (json_object_get_int_member (order, "refunded"), ==, expect_refunded);
  g_assert_cmpint (json_object_get_int_member (order, "net"), ==,
                   json_object_get_int_member (order, "charged") - expect_refunded);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *lr = json_array_get_object_element (list, i);
      gboolean found = FALSE;

      ledger_sum += json_object_get_int_member (lr, "amount");
      /* Every refund at the provider is a successful refund row in the till. */
      for (guint j = 0; j < rows->len; j++)
        {
          TillRefundRecord *r = g_ptr_array_index (rows, j);

          if (g_str_equal (r->out_refund_no, json_object_get_string_member (lr, "out_refund_no")))
            {
              g_assert_false (found);
              found = TRUE;
              g_assert_cmpint (r->state, ==, TILL_REFUND_STATE_SUCCESS);
              g_assert_cmpint (r->amount_fen, ==, json_object_get_int_member (lr, "amount"));
              g_assert_cmpstr (json_object_get_string_member (lr, "status"), ==, "SUCCESS");
            }
        }
      g_assert_true (found);
    }
  for (guint j = 0; j < rows->len; j++)
    {
      TillRefundRecord *r = g_ptr_array_index (rows, j);

      if (r->state == TILL_REFUND_STATE_SUCCESS && g_strcmp0 (r->out_trade_no, out_trade_no) == 0)
        {
          till_success += r->amount_fen;
          till_n++;
        }
    }
  g_assert_cmpint (ledger_sum, ==, expect_refunded);
  g_assert_cmpint (till_success, ==, expect_refunded);
  g_assert_cmpuint (till_n, ==, expect_refunds);
}

static gint64
count_sql (Fix        *f,
           const char *sql,
           const char *text)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  till_store_flush (f->store);
  g_assert_cmpint (sqlite3_open_v2 (f->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* Whether "refund-changed" reported that state for the refund. The row is committed on
 * the store thread before the signal is emitted from the main loop, so a test that has
 * just seen the row final gives the signal up to 5 s to arrive. */
static gboolean
saw_event (Fix        *f,
           gint64      refund_id,
           const char *state)
{
  g_autofree char *want = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", refund_id, state);
  gint64 until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  for (;;)
    {
      for (guint i = 0; i < f->events->len; i++)
        if (g_str_equal (g_ptr_array_index (f->events, i), want))
          return TRUE;
      if (g_get_monotonic_time () > until)
        return FALSE;
      till_test_pay_spin (20);
    }
}

/* ---------------------------------------------------------------- cases */

static void
test_full (void)
{
  g_autoptr(Fix) f = fix_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *trade_no = NULL;
  gint64 sale_id = make_paid_sale (f, 1250, &trade_no);
  g_autofree char *msg = refund (f, sale_id, 1250, &error);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(TillRefundable) r = NULL;
  TillRefundRecord *row;

  g_assert_no_error (error);
  /* The simulator accepts (PROCESSING) and finishes a second later. */
  g_assert_nonnull (strstr (msg, "accepted"));
  rows = sale_refunds (f, sale_id);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_true (g_str_has_prefix (row->out_refund_no, trade_no));
  g_assert_cmpuint (strlen (row->out_refund_no), <=, 64);
  g_assert_cmpint (row->amount_fen, ==, 1250);
  g_assert_cmpint (row->payment_amount_fen, ==, 1250);
  g_assert_cmpstr (row->reason, ==, "顾客退货");

  wait_refunds_final (f, sale_id, 20);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = sale_refunds (f, sale_id);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpint (row->state, ==, TILL_REFUND_STATE_SUCCESS);
  g_assert_nonnull (row->refund_id);
  g_assert_true (saw_event (f, row->id, "processing"));
  g_assert_true (saw_event (f, row->id, "success"));
  g_assert_cmpint (sale_state (f, sale_id), ==, TILL_SALE_STATE_REFUNDED);
  r = refundable (f, sale_id);
  g_assert_cmpint (r->paid_fen, ==, 1250);
  g_assert_cmpint (r->refunded_fen, ==, 1250);
  g_assert_cmpint (r->refundable_fen, ==, 0);
  g_assert_cmpstr (r->refund_state, ==, "refunded");
  assert_ledger (f, sale_id, trade_no, 1, 1250);
  /* The manager's audit row. */
  g_assert_cmpint (count_sql (f, "SELECT count (*) FROM audit WHERE action = 'refund'"
                              " AND actor = '店长王' AND json_extract (detail_json, '$.out_refund_no') = ?1",
                              row->out_refund_no), ==, 1);
  /* Its outbox job is done. */
  g_assert_cmpint (count_sql (f, "SELECT count (*) FROM outbox WHERE key = ?1 AND state = 'done'",
                              row->out_refund_no), ==, 1);
  /* A second full refund is refused. */
  g_assert_null (refund (f, sale_id, 1, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
}

static void
test_partial (void)
{
  g_autoptr(Fix) f = fix_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *trade_no = NULL;
  gint64 sale_id = make_paid_sale (f, 1000, &trade_no);
  g_autofree char *msg = refund (f, sale_id, 300, &error);
  g_autoptr(TillRefundable) r = NULL;

  g_assert_no_error (error);
  r = refundable (f, sale_id);
  g_assert_cmpint (r->refundable_fen, ==, 700);
  g_assert_cmpint (r->refunded_fen, ==, 300);
  wait_refunds_final (f, sale_id, 20);
  g_clear_pointer (&r, till_refundable_free);
  r = refundable (f, sale_id);
  g_assert_cmpstr (r->refund_state, ==, "partial");
  g_assert_cmpint (r->refundable_fen, ==, 700);
  g_assert_cmpint (sale_state (f, sale_id), ==, TILL_SALE_STATE_PAID);
  assert_ledger (f, sale_id, trade_no, 1, 300);
}

static void
test_over_refund (void)
{
  g_autoptr(Fix) f = fix_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *trade_no = NULL;
  gint64 sale_id = make_paid_sale (f, 1000, &trade_no);
  g_autofree char *m1 = NULL, *m2 = NULL, *m3 = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  m1 = refund (f, sale_id, 400, &error);
  g_assert_no_error (error);
  m2 = refund (f, sale_id, 400, &error);
  g_assert_no_error (error);
  /* 200 left, even while the two are still processing. */
  g_assert_null (refund (f, sale_id, 300, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "¥2.00"));
  g_clear_error (&error);
  rows = sale_refunds (f, sale_id);
  g_assert_cmpuint (rows->len, ==, 2);
  wait_refunds_final (f, sale_id, 20);
  assert_ledger (f, sale_id, trade_no, 2, 800);
  g_assert_cmpint (sale_state (f, sale_id), ==, TILL_SALE_STATE_PAID);

  /* The rest is refundable, then the sale is refunded. */
  m3 = refund (f, sale_id, 200, &error);
  g_assert_no_error (error);
  wait_refunds_final (f, sale_id, 20);
  assert_ledger (f, sale_id, trade_no, 3, 1000);
  g_assert_cmpint (sale_state (f, sale_id), ==, TILL_SALE_STATE_REFUNDED);
  g_assert_null (refund (f, sale_id, 1, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
}

static void
test_concurrent (void)
{
  g_autoptr(Fix) f = fix_new ();
  g_autofree char *trade_no = NULL;
  gint64 sale_id = make_paid_sale (f, 1000, &trade_no);
  Wait a = { 0 }, b = { 0 };

  /* Two managers at two windows: each alone would be fine; together they are not. */
  till_refund_service_refund_async (f->refunds, sale_id, 600, NULL, "店长王", NULL, refund_cb, &a);
  till_refund_service_refund_async (f->refunds, sale_id, 600, NULL, "店长李", NULL, refund_cb, &b);
  till_test_pay_wait_for (&a.done, 20, "refund a");
  till_test_pay_wait_for (&b.done, 20, "refund b");
  g_assert_true ((a.error == NULL) != (b.error == NULL));
  g_assert_error ((a.error != NULL ? a.error : b.error), TILL_STORE_ERROR,
                  TILL_STORE_ERROR_INVALID_STATE);
  wait_refunds_final (f, sale_id, 20);
  assert_ledger (f, sale_id, trade_no, 1, 600);
  wait_clear (&a);
  wait_clear (&b);
}

static void
test_processing_query (void)
{
  g_autoptr(Fix) f = fix_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *trade_no = NULL;
  gint64 sale_id = make_paid_sale (f, 880, &trade_no);
  g_autofree char *msg = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(TillOutboxJob) job = NULL;
  TillRefundRecord *row;

  msg = refund (f, sale_id, 880, &error);
  g_assert_no_error (error);
  rows = sale_refunds (f, sale_id);
  row = g_ptr_array_index (rows, 0);
  /* Answered PROCESSING: stored, and its job is now a refund_query. */
  g_assert_cmpint (row->state, ==, TILL_REFUND_STATE_PROCESSING);
  job = till_store_outbox_get_by_key (f->store, row->out_refund_no, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (job->kind, ==, TILL_OUTBOX_KIND_REFUND_QUERY);
  g_assert_cmpint (sale_state (f, sale_id), ==, TILL_SALE_STATE_PAID);
  {
    g_autoptr(TillRefundable) r = refundable (f, sale_id);
    g_assert_cmpstr (r->refund_state, ==, "in_progress");
    g_assert_cmpint (r->refundable_fen, ==, 0);
  }
  wait_refunds_final (f, sale_id, 20);
  g_clear_pointer (&job, till_outbox_job_free);
  job = wait_job_done (f, row->out_refund_no, 20);
  g_assert_cmpint (job->state, ==, TILL_OUTBOX_STATE_DONE);
  g_assert_true (saw_event (f, row->id, "success"));
  g_assert_cmpint (sale_state (f, sale_id), ==, TILL_SALE_STATE_REFUNDED);
  assert_ledger (f, sale_id, trade_no, 1, 880);
}

/* An unknown outcome: the refund is queued and sent again with the same number. */
static void
run_unknown_outcome (const char *fault_json,
                     gboolean    processed)
{
  g_autoptr(Fix) f = fix_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *trade_no = NULL;
  gint64 sale_id = make_paid_sale (f, 990, &trade_no);
  g_autofree char *msg = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  g_assert_cmpuint (till_test_paysim_control (f->sim, "POST", "/_sim/faults", fault_json, NULL,
                                              &error), ==, 200);
  g_assert_no_error (error);
  msg = refund (f, sale_id, 500, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (msg, "queued"));
  rows = sale_refunds (f, sale_id);
  g_assert_cmpint (((TillRefundRecord *) g_ptr_array_index (rows, 0))->state, ==,
                   TILL_REFUND_STATE_IN_DOUBT);
  if (processed)
    {
      /* The provider has it already although the till does not know. */
      g_autoptr(JsonObject) order = till_test_paysim_ledger_order (f->sim, trade_no, &error);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (order, "refunds")),
                        ==, 1);
    }
  wait_refunds_final (f, sale_id, 30);
  assert_ledger (f, sale_id, trade_no, 1, 500);
}

static void
test_server_error (void)
{
  run_unknown_outcome ("{\"path_prefix\":\"/v3/refund\",\"kind\":\"status\",\"status\":500,"
                       "\"count\":1}", FALSE);
}

static void
test_timeout (void)
{
  run_unknown_outcome ("{\"path_prefix\":\"/v3/refund\",\"kind\":\"delay\",\"ms\":3000,"
                       "\"count\":1}", TRUE);
}

static void
test_dropped_answer (void)
{
  run_unknown_outcome ("{\"path_prefix\":\"/v3/refund\",\"kind\":\"drop\",\"apply\":true,"
                       "\"count\":1}", TRUE);
}

static void
test_rate_limited (void)
{
  run_unknown_outcome ("{\"path_prefix\":\"/v3/refund\",\"kind\":\"status\",\"status\":429,"
                       "\"count\":2}", FALSE);
}

static void
test_refused (void)
{
  g_autoptr(Fix) f = fix_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *trade_no = NULL;
  gint64 sale_id = make_paid_sale (f, 700, &trade_no);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(TillRefundable) r = NULL;
  TillRefundRecord *row;

  g_assert_true (till_test_paysim_arm_fault (f->sim, "/v3/refund", "status", 0, 403, 1, &error));
  g_assert_null (refund (f, sale_id, 700, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER);
  g_assert_nonnull (strstr (error->message, "NO_AUTH"));
  g_clear_error (&error);
  rows = sale_refunds (f, sale_id);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpint (row->state, ==, TILL_REFUND_STATE_FAILED);
  g_assert_nonnull (strstr (row->last_error, "NO_AUTH"));
  g_assert_true (saw_event (f, row->id, "failed"));
  /* Nothing was refunded: all of it can be refunded again. */
  r = refundable (f, sale_id);
  g_assert_cmpint (r->refundable_fen, ==, 700);
  g_assert_cmpint (count_sql (f, "SELECT count (*) FROM outbox WHERE key = ?1 AND state = 'done'",
                              row->out_refund_no), ==, 1);
  assert_ledger (f, sale_id, trade_no, 0, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);
  {
    g_autofree char *msg = refund (f, sale_id, 700, &error);
    g_assert_no_error (error);
  }
  wait_refunds_final (f, sale_id, 20);
  assert_ledger (f, sale_id, trade_no, 1, 700);
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

static void
test_offline (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *port = g_strdup_printf ("127.0.0.1:%u", free_port ());
  const char *args[] = { "--listen", port, NULL };
  g_autoptr(TillTestPaysim) sim = till_test_paysim_start (args, &error);
  g_autoptr(Fix) f = NULL;
  g_autofree char *trade_no = NULL;
  g_autofree char *msg = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gint64 sale_id;

  g_assert_no_error (error);
  f = fix_new_full (sim, TRUE);
  sale_id = make_paid_sale (f, 1500, &trade_no);

  till_test_paysim_stop (sim);
  msg = refund (f, sale_id, 1500, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (msg, "queued"));
  rows = sale_refunds (f, sale_id);
  g_assert_cmpint (((TillRefundRecord *) g_ptr_array_index (rows, 0))->state, ==,
                   TILL_REFUND_STATE_IN_DOUBT);
  /* The worker tries while it is down, and goes offline. */
  till_test_pay_spin (2000);
  g_assert_false (till_outbox_worker_get_online (f->worker));
  g_assert_cmpint (till_outbox_worker_get_pending_count (f->worker), ==, 1);
  g_assert_cmpint (sale_state (f, sale_id), ==, TILL_SALE_STATE_PAID);

  g_assert_true (till_test_paysim_restart (sim, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (till_test_paysim_get_base_url (sim), ==, till_wxpay_client_get_base_url (f->client));
  wait_refunds_final (f, sale_id, 30);
  /* The worker hears of the answer on its own main-context turn: wait for it. */
  {
    gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (!till_outbox_worker_get_online (f->worker) && g_get_monotonic_time () < until)
      till_test_pay_spin (50);
  }
  g_assert_true (till_outbox_worker_get_online (f->worker));
  g_assert_cmpint (sale_state (f, sale_id), ==, TILL_SALE_STATE_REFUNDED);
  assert_ledger (f, sale_id, trade_no, 1, 1500);
  till_test_pay_spin (300);
  g_assert_cmpint (till_outbox_worker_get_pending_count (f->worker), ==, 0);
}

/* The till died after committing the rows: the next start sends them with the same
 * numbers. */
static void
test_resume (void)
{
  g_autoptr(Fix) f = fix_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *trade_no = NULL;
  gint64 sale_id = make_paid_sale (f, 2000, &trade_no);
  g_autoptr(GPtrArray) rows = NULL;
  TillRefundRecord *row;

  /* Committed as refund_async does, then "the power goes": nothing was sent, and its job
   * is not due for a long time. */
  till_outbox_worker_stop (f->worker);
  rows = till_store_refund_begin (f->store, sale_id, 1200, "坏了", "店长王", TRUE,
                                  g_get_real_time (), g_get_real_time () + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC,
                                  &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpint (row->state, ==, TILL_REFUND_STATE_SUBMITTING);
  g_clear_object (&f->worker);

  /* Restart: a new worker; resume makes the job due now. */
  {
    TillOutboxWorkerConfig wconfig = { .backoff_base_ms = 200, .backoff_cap_ms = 1000,
                                       .max_attempts = -1 };
    f->worker = till_outbox_worker_new (f->pay, &wconfig);
    till_outbox_worker_set_refund_service (f->worker, f->refunds);
  }
  g_assert_cmpuint (till_refund_service_resume_pending (f->refunds, &error), ==, 1);
  g_assert_no_error (error);
  wait_refunds_final (f, sale_id, 20);
  assert_ledger (f, sale_id, trade_no, 1, 1200);
  g_assert_cmpuint (till_refund_service_resume_pending (f->refunds, &error), ==, 0);
}

static void
test_cash (void)
{
  g_autoptr(Fix) f = fix_new ();
  g_autoptr(GError) error = NULL;
  gint64 sale_id = make_cash_sale (f, 800);
  g_autofree char *m1 = NULL, *m2 = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  TillRefundRecord *row;

  m1 = refund (f, sale_id, 500, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (m1, "Give ¥5.00 back in cash"));
  rows = sale_refunds (f, sale_id);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpint (row->state, ==, TILL_REFUND_STATE_SUCCESS);
  g_assert_cmpint (row->method, ==, TILL_PAYMENT_METHOD_CASH);
  g_assert_null (row->out_trade_no);
  g_assert_true (saw_event (f, row->id, "success"));
  /* Nothing is queued for cash. */
  g_assert_cmpint (count_sql (f, "SELECT count (*) FROM outbox", NULL), ==, 0);
  g_assert_cmpint (sale_state (f, sale_id), ==, TILL_SALE_STATE_PAID);
  m2 = refund (f, sale_id, 300, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sale_state (f, sale_id), ==, TILL_SALE_STATE_REFUNDED);
  g_assert_cmpint (count_sql (f, "SELECT count (*) FROM audit WHERE action = 'refund'", NULL), ==, 2);
}

/* Cash refunds hand back cash by the till's rule: ¥30.01 paid with ¥30.00 gives ¥30.00
 * back, and the message says how much to hand over. */
static void
test_cash_rounded (void)
{
  g_autoptr(Fix) f = fix_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *number = till_store_next_sale_number (f->store, g_get_real_time (), &error);
  g_autoptr(TillSale) sale = till_sale_new (number);
  g_autoptr(TillSaleLine) line = till_sale_line_new (2, "6901234567885", "礼盒", "个", 3001, 1000,
                                                     FALSE);
  g_autofree char *message = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  TillRefundRecord *row;

  till_sale_set_opened_at (sale, g_get_real_time ());
  g_assert_cmpuint (till_sale_add_line (sale, line, &error), !=, G_MAXUINT);
  g_assert_true (till_store_complete_cash_sale_rounded (f->store, sale, 3000,
                                                        TILL_CASH_ROUNDING_JIAO, &error));
  g_assert_no_error (error);

  g_assert_cmpint (till_refund_service_get_cash_rounding (f->refunds), ==,
                   TILL_CASH_ROUNDING_NONE);
  till_refund_service_set_cash_rounding (f->refunds, TILL_CASH_ROUNDING_JIAO);
  message = refund (f, till_sale_get_id (sale), 3001, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (message, "Refunded ¥30.01"));
  g_assert_nonnull (strstr (message, "Give ¥30.00 back in cash (¥30.01 rounded to the cash unit)"));
  rows = sale_refunds (f, till_sale_get_id (sale));
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpint (row->amount_fen, ==, 3001);
  g_assert_cmpint (row->rounding_fen, ==, -1);
  g_assert_cmpint (sale_state (f, till_sale_get_id (sale)), ==, TILL_SALE_STATE_REFUNDED);
}

static void
test_no_client (void)
{
  g_autoptr(Fix) f = fix_new_full (shared_sim, FALSE);
  g_autoptr(Fix) g = fix_new ();
  g_autoptr(GError) error = NULL;
  gint64 cash_sale = make_cash_sale (f, 600);
  g_autofree char *msg = refund (f, cash_sale, 600, &error);
  gint64 wx_sale;

  g_assert_no_error (error);
  g_assert_cmpint (sale_state (f, cash_sale), ==, TILL_SALE_STATE_REFUNDED);

  /* An electronic sale in a till without payment set up: refused before anything. */
  wx_sale = make_paid_sale (g, 300, NULL);
  {
    g_autoptr(TillRefundService) bare = till_refund_service_new (g->store, NULL, &error);
    Wait w = { 0 };
    g_autoptr(GPtrArray) rows = NULL;

    g_assert_no_error (error);
    till_refund_service_refund_async (bare, wx_sale, 300, NULL, "店长王", NULL, refund_cb, &w);
    till_test_pay_wait_for (&w.done, 10, "bare refund");
    g_assert_error (w.error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
    rows = sale_refunds (g, wx_sale);
    g_assert_cmpuint (rows->len, ==, 0);
    wait_clear (&w);
  }
}

static void
test_refused_before_commit (void)
{
  g_autoptr(Fix) f = fix_new ();
  g_autoptr(GError) error = NULL;
  gint64 open_sale = till_test_pay_make_sale (f->store, 500);
  gint64 paid_sale = make_paid_sale (f, 500, NULL);
  g_autoptr(TillRefundable) r = refundable (f, open_sale);
  Wait w = { 0 };

  g_assert_cmpint (r->refundable_fen, ==, 0);
  g_assert_cmpstr (r->refund_state, ==, "none");
  g_assert_null (refund (f, open_sale, 100, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_null (refund (f, paid_sale, 0, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_null (refund (f, paid_sale, -5, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_null (refund (f, paid_sale, 501, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_null (refund (f, 987654, 1, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* No manager, no refund. */
  till_refund_service_refund_async (f->refunds, paid_sale, 100, NULL, "", NULL, refund_cb, &w);
  till_test_pay_wait_for (&w.done, 10, "no manager");
  g_assert_error (w.error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID);
  wait_clear (&w);
  g_assert_cmpint (count_sql (f, "SELECT count (*) FROM refund", NULL), ==, 0);
  g_assert_cmpint (count_sql (f, "SELECT count (*) FROM audit WHERE action = 'refund'", NULL), ==, 0);
}

static void
test_day_closed (void)
{
  g_autoptr(Fix) f = fix_new ();
  g_autoptr(GError) error = NULL;
  gint64 cash_sale = make_cash_sale (f, 400);
  gint64 wx_sale = make_paid_sale (f, 400, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  guint counts[TILL_N_DENOMINATIONS] = { 0 };
  g_autoptr(TillDayClose) close = till_store_day_close (f->store, today, counts, "店长王", &error);

  g_assert_no_error (error);
  g_assert_nonnull (close);
  g_assert_null (refund (f, cash_sale, 100, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED);
  g_clear_error (&error);
  g_assert_null (refund (f, wx_sale, 100, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED);
  g_assert_cmpint (count_sql (f, "SELECT count (*) FROM refund", NULL), ==, 0);
}

static void
test_states (void)
{
  TillRefundState s;

  for (int i = TILL_REFUND_STATE_SUBMITTING; i <= TILL_REFUND_STATE_CLOSED; i++)
    {
      g_assert_true (till_refund_state_from_string (till_refund_state_to_string (i), &s));
      g_assert_cmpint (s, ==, i);
      if (till_refund_state_is_final (i))
        for (int j = TILL_REFUND_STATE_SUBMITTING; j <= TILL_REFUND_STATE_CLOSED; j++)
          g_assert_false (till_refund_state_can_move (i, j));
    }
  g_assert_false (till_refund_state_from_string ("abnormal", &s));
  g_assert_true (till_refund_state_can_move (TILL_REFUND_STATE_SUBMITTING, TILL_REFUND_STATE_IN_DOUBT));
  g_assert_true (till_refund_state_can_move (TILL_REFUND_STATE_IN_DOUBT, TILL_REFUND_STATE_PROCESSING));
  g_assert_true (till_refund_state_can_move (TILL_REFUND_STATE_PROCESSING, TILL_REFUND_STATE_SUCCESS));
  /* A late "unknown" never undoes an acceptance, and nothing goes back to submitting. */
  g_assert_false (till_refund_state_can_move (TILL_REFUND_STATE_PROCESSING, TILL_REFUND_STATE_IN_DOUBT));
  g_assert_false (till_refund_state_can_move (TILL_REFUND_STATE_PROCESSING, TILL_REFUND_STATE_FAILED));
  g_assert_false (till_refund_state_can_move (TILL_REFUND_STATE_IN_DOUBT, TILL_REFUND_STATE_SUBMITTING));
  g_assert_true (till_refund_state_is_final (TILL_REFUND_STATE_SUCCESS));
  g_assert_false (till_refund_state_is_final (TILL_REFUND_STATE_PROCESSING));
}

static void
job_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Wait *w = user_data;
  gboolean ok = till_refund_service_run_job_finish (TILL_REFUND_SERVICE (source), result, &w->error);

  g_assert_true (ok == (w->error == NULL));
  w->done = TRUE;
}

static void
test_job_unknown (void)
{
  g_autoptr(Fix) f = fix_new ();
  Wait w = { 0 };

  till_refund_service_run_job_async (f->refunds, "refund", "TNOSUCHREFUND", NULL, NULL, job_cb, &w);
  till_test_pay_wait_for (&w.done, 10, "job");
  /* A definite dead end: the worker gives up on it at once. */
  g_assert_error (w.error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID);
  g_assert_true (till_pay_error_is_definite (w.error));
  wait_clear (&w);
  till_refund_service_run_job_async (f->refunds, "fetch_bill", "X", NULL, NULL, job_cb, &w);
  till_test_pay_wait_for (&w.done, 10, "job");
  g_assert_error (w.error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID);
  wait_clear (&w);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  shared_sim = till_test_paysim_start (NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/refund/states", test_states);
  g_test_add_func ("/refund/full", test_full);
  g_test_add_func ("/refund/partial", test_partial);
  g_test_add_func ("/refund/two-partials-then-over-refund", test_over_refund);
  g_test_add_func ("/refund/concurrent-cannot-exceed", test_concurrent);
  g_test_add_func ("/refund/processing-then-query", test_processing_query);
  g_test_add_func ("/refund/server-error-queued", test_server_error);
  g_test_add_func ("/refund/timeout-same-number", test_timeout);
  g_test_add_func ("/refund/dropped-answer-same-number", test_dropped_answer);
  g_test_add_func ("/refund/rate-limited", test_rate_limited);
  g_test_add_func ("/refund/refused", test_refused);
  g_test_add_func ("/refund/simulator-down-then-back", test_offline);
  g_test_add_func ("/refund/resume-after-crash", test_resume);
  g_test_add_func ("/refund/cash", test_cash);
  g_test_add_func ("/refund/cash-rounded", test_cash_rounded);
  g_test_add_func ("/refund/no-client", test_no_client);
  g_test_add_func ("/refund/refused-before-commit", test_refused_before_commit);
  g_test_add_func ("/refund/day-closed", test_day_closed);
  g_test_add_func ("/refund/job-unknown", test_job_unknown);
  rc = g_test_run ();
  till_test_paysim_free (shared_sim);
  return rc;
}
