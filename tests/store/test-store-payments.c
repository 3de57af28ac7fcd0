/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Payments and the outbox in a real SQLite file: begin refusals, order numbers, state
 * moves, paid + sale completion in one transaction, split tender, void/cash guards, and
 * the outbox's idempotency, order, backoff, dead jobs and recovery after a crash. */
#define G_LOG_DOMAIN "test-store-payments"

#include "config.h"

#include <string.h>

#include "store-test-util.h"
#include "till-store-cash.h"
#include "till-report.h"
#include "till-store-outbox.h"
#include "till-store-payments.h"
#include "till-store-refunds.h"
#include "till-store-reports.h"

#define MS (G_GINT64_CONSTANT (1000))
#define S  (G_GINT64_CONSTANT (1000000))

/* An open sale saved in the store, totalling price * qty. */
static TillSale *
make_saved_sale (TillStore *store,
                 gint64     price_fen,
                 gint64     qty)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = till_store_next_sale_number (store, till_store_now_us (), &error);
  g_autoptr(TillSaleLine) line = NULL;
  TillSale *sale;

  g_assert_no_error (error);
  sale = till_sale_new (number);
  till_sale_set_opened_at (sale, till_store_now_us ());
  line = till_sale_line_new (1, "6901234567892", "矿泉水", "瓶", price_fen, qty * 1000, FALSE);
  g_assert_cmpuint (till_sale_add_line (sale, line, &error), !=, G_MAXUINT);
  g_assert_no_error (error);
  g_assert_true (till_store_save_sale (store, sale, "cashier", "till-1", &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_id (sale), >, 0);
  return sale;
}

static gint64
begin_ok (TillStore *store,
          gint64     sale_id,
          gint64     amount,
          char     **out_trade_no)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *trade_no = NULL;
  gint64 id = till_store_payment_begin (store, sale_id, TILL_PAYMENT_METHOD_WECHAT_CODE, amount,
                                        "S01", "D01", "1234", till_store_now_us (),
                                        till_store_now_us () + 30 * S, &trade_no, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_nonnull (trade_no);
  if (out_trade_no != NULL)
    *out_trade_no = g_steal_pointer (&trade_no);
  return id;
}

static TillSaleState
sale_state (TillStore *store,
            gint64     sale_id)
{
  g_autoptr(GError) error = NULL;
  TillSaleState state = TILL_SALE_STATE_OPEN;

  g_assert_true (till_store_sale_get_state (store, sale_id, &state, &error));
  g_assert_no_error (error);
  return state;
}

static TillPaymentState
payment_state (TillStore *store,
               gint64     id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaymentRecord) record = till_store_get_payment (store, id, &error);

  g_assert_no_error (error);
  return record->state;
}

/* ---------------------------------------------------------------- begin */

static void
test_begin_records_row (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(TillSale) sale = make_saved_sale (store, 1250, 2);
  g_autoptr(GError) error = NULL;
  g_autofree char *trade_no = NULL;
  g_autoptr(TillPaymentRecord) record = NULL;
  gint64 now = till_store_now_us ();
  gint64 id;
  sqlite3 *raw;

  id = till_store_payment_begin (store, till_sale_get_id (sale), TILL_PAYMENT_METHOD_WECHAT_CODE,
                                 2500, "S01", "D01", "9406", now, now + 30 * S, &trade_no,
                                 &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  /* Committed: another connection sees it before any request could be sent. */
  raw = raw_open (dir->path);
  g_assert_cmpint (raw_int (raw, "SELECT count (*) FROM payment WHERE state = 'submitting'"),
                   ==, 1);
  sqlite3_close (raw);

  record = till_store_get_payment_by_out_trade_no (store, trade_no, &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->id, ==, id);
  g_assert_cmpint (record->sale_id, ==, till_sale_get_id (sale));
  g_assert_cmpint (record->method, ==, TILL_PAYMENT_METHOD_WECHAT_CODE);
  g_assert_cmpint (record->amount_fen, ==, 2500);
  g_assert_cmpint (record->state, ==, TILL_PAYMENT_STATE_SUBMITTING);
  g_assert_cmpstr (record->auth_code_last4, ==, "9406");
  g_assert_cmpint (record->pay_call_at, ==, now);
  g_assert_cmpint (record->deadline_at, ==, now + 30 * S);
  g_assert_null (record->transaction_id);
}

static void
test_begin_refusals (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(TillSale) sale = make_saved_sale (store, 1000, 1);
  g_autoptr(TillSale) paid_sale = make_saved_sale (store, 500, 1);
  gint64 sale_id = till_sale_get_id (sale);
  gint64 now = till_store_now_us ();
  gint64 id;

  /* More than the amount due, nothing, a negative amount. */
  {
    const gint64 amounts[] = { 1001, 0, -5 };

    for (guint i = 0; i < G_N_ELEMENTS (amounts); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *trade_no = NULL;

        g_assert_cmpint (till_store_payment_begin (store, sale_id,
                                                   TILL_PAYMENT_METHOD_WECHAT_CODE, amounts[i],
                                                   "S01", "D01", NULL, now, 0, &trade_no,
                                                   &error), ==, 0);
        g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
        g_assert_null (trade_no);
      }
  }

  /* One in flight: a second is refused with the cashier's message, whatever its amount.
   * A payment being reversed is not in flight any more (issue 10 item 2): see below. */
  id = begin_ok (store, sale_id, 400, NULL);
  for (TillPaymentState state = TILL_PAYMENT_STATE_SUBMITTING;
       state <= TILL_PAYMENT_STATE_IN_DOUBT; state++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *trade_no = NULL;

      g_assert_true (till_store_payment_update (store, id, state, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (till_store_payment_begin (store, sale_id, TILL_PAYMENT_METHOD_WECHAT_CODE,
                                                 100, "S01", "D01", NULL, now, 0, &trade_no,
                                                 &error), ==, 0);
      g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
      g_assert_cmpstr (error->message, ==,
                       "A payment for this sale is still in progress — wait for it");
    }
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM payment"), ==, 1);

  /* Being reversed, its money goes back: the cashier may take another payment now. */
  {
    g_autoptr(GError) error = NULL;
    gint64 next;

    g_assert_true (till_store_payment_update (store, id, TILL_PAYMENT_STATE_REVERSING, NULL,
                                              NULL, &error));
    g_assert_no_error (error);
    next = begin_ok (store, sale_id, 1000, NULL);
    g_assert_true (till_store_payment_update (store, next, TILL_PAYMENT_STATE_FAILED, NULL,
                                              "NOT_ENOUGH", &error));
    g_assert_no_error (error);
  }

  /* After a definite end a new attempt is allowed. */
  {
    g_autoptr(GError) error = NULL;
    g_assert_true (till_store_payment_update (store, id, TILL_PAYMENT_STATE_REVERSED, NULL,
                                              "reversed", &error));
    g_assert_no_error (error);
  }
  begin_ok (store, sale_id, 1000, NULL);

  /* A sale that is not open. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *trade_no = NULL;

    g_assert_true (till_store_complete_cash_sale (store, paid_sale, 500, &error));
    g_assert_no_error (error);
    g_assert_cmpint (till_store_payment_begin (store, till_sale_get_id (paid_sale),
                                               TILL_PAYMENT_METHOD_WECHAT_CODE, 100, "S01",
                                               "D01", NULL, now, 0, &trade_no, &error), ==, 0);
    g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  }
  /* A sale that does not exist. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *trade_no = NULL;

    g_assert_cmpint (till_store_payment_begin (store, 9999, TILL_PAYMENT_METHOD_WECHAT_CODE, 100,
                                               "S01", "D01", NULL, now, 0, &trade_no, &error),
                     ==, 0);
    g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  }
}

static void
test_out_trade_no_format (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GRegex) shape = g_regex_new ("^TS01D01[0-9]{12}[0-9]{4,}$", 0, 0, NULL);
  gint64 now = till_store_now_us ();
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (now / S);
  g_autofree char *stamp = g_date_time_format (local, "%y%m%d%H%M%S");

  for (int i = 0; i < 40; i++)
    {
      g_autoptr(TillSale) sale = make_saved_sale (store, 100, 1);
      g_autoptr(GError) error = NULL;
      g_autofree char *trade_no = NULL;
      gint64 id;

      id = till_store_payment_begin (store, till_sale_get_id (sale),
                                     TILL_PAYMENT_METHOD_WECHAT_CODE, 100, "S01", "D01", NULL,
                                     now, 0, &trade_no, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (strlen (trade_no), <=, 32);
      g_assert_true (g_regex_match (shape, trade_no, 0, NULL));
      g_assert_true (g_str_has_prefix (trade_no + 7, stamp));
      g_assert_true (g_hash_table_add (seen, g_strdup (trade_no)));

      /* Every other attempt fails: numbers are still never given twice. */
      g_assert_true (till_store_payment_update (store, id, TILL_PAYMENT_STATE_FAILED, NULL,
                                                "NOT_ENOUGH", &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 40);
}

static void
test_out_trade_no_ids (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ok = NULL;
  char *bad;

  ok = till_store_build_out_trade_no ("S-1", "D_2", 0, 7, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (ok, "TS-1D_2"));
  g_assert_true (g_str_has_suffix (ok, "0007"));
  g_assert_cmpuint (strlen (ok), ==, 1 + 3 + 3 + 12 + 4);

  bad = till_store_build_out_trade_no ("S 1", "D1", 0, 1, &error);
  g_assert_null (bad);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  bad = till_store_build_out_trade_no ("店01", "D1", 0, 1, &error);
  g_assert_null (bad);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  bad = till_store_build_out_trade_no ("STORE-0000001", "DEVICE-0001", 0, 1, &error);
  g_assert_null (bad);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
}

/* ---------------------------------------------------------------- state moves */

static void
test_transitions_table (void)
{
  /* Finals never move. */
  for (TillPaymentState from = TILL_PAYMENT_STATE_PAID; from <= TILL_PAYMENT_STATE_CLOSED; from++)
    for (TillPaymentState to = 0; to <= TILL_PAYMENT_STATE_CLOSED; to++)
      g_assert_false (till_payment_state_can_move (from, to));
  /* Nothing goes back to submitting. */
  for (TillPaymentState from = TILL_PAYMENT_STATE_USER_PAYING; from <= TILL_PAYMENT_STATE_CLOSED;
       from++)
    g_assert_false (till_payment_state_can_move (from, TILL_PAYMENT_STATE_SUBMITTING));
  /* Reversing only ends. */
  g_assert_false (till_payment_state_can_move (TILL_PAYMENT_STATE_REVERSING,
                                               TILL_PAYMENT_STATE_USER_PAYING));
  g_assert_false (till_payment_state_can_move (TILL_PAYMENT_STATE_REVERSING,
                                               TILL_PAYMENT_STATE_IN_DOUBT));
  g_assert_true (till_payment_state_can_move (TILL_PAYMENT_STATE_REVERSING,
                                              TILL_PAYMENT_STATE_REVERSED));
  g_assert_true (till_payment_state_can_move (TILL_PAYMENT_STATE_USER_PAYING,
                                              TILL_PAYMENT_STATE_REVERSING));
  g_assert_true (till_payment_state_can_move (TILL_PAYMENT_STATE_IN_DOUBT,
                                              TILL_PAYMENT_STATE_PAID));
  /* A submitted order cannot be "reversed" without passing through reversing. */
  g_assert_false (till_payment_state_can_move (TILL_PAYMENT_STATE_SUBMITTING,
                                               TILL_PAYMENT_STATE_REVERSED));

  for (TillPaymentState s = 0; s <= TILL_PAYMENT_STATE_CLOSED; s++)
    {
      TillPaymentState back;

      g_assert_true (till_payment_state_from_string (till_payment_state_to_string (s), &back));
      g_assert_cmpint (back, ==, s);
      g_assert_cmpint (till_payment_state_is_final (s), ==, s >= TILL_PAYMENT_STATE_PAID);
    }
}

static void
test_transitions_enforced (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(TillSale) sale = make_saved_sale (store, 300, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaymentRecord) record = NULL;
  gint64 id = begin_ok (store, till_sale_get_id (sale), 300, NULL);

  g_assert_true (till_store_payment_update (store, id, TILL_PAYMENT_STATE_USER_PAYING, NULL,
                                            NULL, &error));
  g_assert_true (till_store_payment_update (store, id, TILL_PAYMENT_STATE_IN_DOUBT, NULL,
                                            "timeout", &error));
  g_assert_no_error (error);
  g_assert_false (till_store_payment_update (store, id, TILL_PAYMENT_STATE_SUBMITTING, NULL,
                                             NULL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_cmpint (payment_state (store, id), ==, TILL_PAYMENT_STATE_IN_DOUBT);

  g_assert_true (till_store_payment_mark_paid (store, id, "4200000001", NULL, &error));
  g_assert_no_error (error);
  /* Paid never goes back, whatever is asked. */
  for (TillPaymentState s = 0; s <= TILL_PAYMENT_STATE_CLOSED; s++)
    {
      if (s == TILL_PAYMENT_STATE_PAID)
        continue;
      g_assert_false (till_store_payment_update (store, id, s, NULL, NULL, &error));
      g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
      g_clear_error (&error);
    }
  record = till_store_get_payment (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->state, ==, TILL_PAYMENT_STATE_PAID);
  g_assert_cmpstr (record->transaction_id, ==, "4200000001");
  g_assert_cmpstr (record->last_error, ==, "timeout");

  /* A failed payment cannot become paid. */
  {
    g_autoptr(TillSale) other = make_saved_sale (store, 300, 1);
    gint64 failed = begin_ok (store, till_sale_get_id (other), 300, NULL);

    g_assert_true (till_store_payment_update (store, failed, TILL_PAYMENT_STATE_FAILED, NULL,
                                              "NOT_ENOUGH", &error));
    g_assert_false (till_store_payment_mark_paid (store, failed, "x", NULL, &error));
    g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
    g_clear_error (&error);
    g_assert_cmpint (sale_state (store, till_sale_get_id (other)), ==, TILL_SALE_STATE_OPEN);
  }

  /* The same end told twice (a reverse sent twice, two answers) changes nothing and is no
   * error; another end is still refused. */
  {
    g_autoptr(TillSale) other = make_saved_sale (store, 300, 1);
    gint64 twice = begin_ok (store, till_sale_get_id (other), 300, NULL);
    g_autoptr(TillPaymentRecord) after = NULL;

    g_assert_true (till_store_payment_update (store, twice, TILL_PAYMENT_STATE_FAILED, NULL,
                                              "ORDER_NOT_EXIST", &error));
    g_assert_true (till_store_payment_update (store, twice, TILL_PAYMENT_STATE_FAILED, NULL,
                                              "again", &error));
    g_assert_no_error (error);
    after = till_store_get_payment (store, twice, &error);
    g_assert_cmpstr (after->last_error, ==, "ORDER_NOT_EXIST");
    g_assert_false (till_store_payment_update (store, twice, TILL_PAYMENT_STATE_REVERSED, NULL,
                                               NULL, &error));
    g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
    g_clear_error (&error);
  }
  g_assert_false (till_store_payment_update (store, 4242, TILL_PAYMENT_STATE_FAILED, NULL, NULL,
                                             &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
}

/* ---------------------------------------------------------------- paid + sale */

static void
test_mark_paid_completes_sale (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(TillSale) sale = make_saved_sale (store, 880, 1);
  g_autoptr(GError) error = NULL;
  gint64 sale_id = till_sale_get_id (sale);
  gint64 id = begin_ok (store, sale_id, 880, NULL);
  gboolean sale_paid = FALSE;

  g_assert_cmpint (sale_state (store, sale_id), ==, TILL_SALE_STATE_OPEN);
  g_assert_true (till_store_payment_mark_paid (store, id, "4200000002", &sale_paid, &error));
  g_assert_no_error (error);
  g_assert_true (sale_paid);
  g_assert_cmpint (sale_state (store, sale_id), ==, TILL_SALE_STATE_PAID);
  g_assert_cmpint (store_int (store, "SELECT closed_at > 0 FROM sale"), ==, 1);
  g_assert_cmpint (till_store_sale_amount_due (store, sale_id, &error), ==, 0);

  /* Again: nothing changes, no error. */
  g_assert_true (till_store_payment_mark_paid (store, id, "4200000002", &sale_paid, &error));
  g_assert_no_error (error);
  g_assert_true (sale_paid);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM payment WHERE state = 'paid'"), ==, 1);
}

/* Issue 10 item 11: a payment found paid when its sale has moved on (voided, or paid by
 * other means) is not lost and not kept: it is paid but unattached, and its refund is
 * committed with it — refund row, outbox job and audit line — in one transaction. */
static void
check_unattached (TillStore  *store,
                  gint64      id,
                  const char *out_trade_no,
                  gint64      amount,
                  gint64      refund_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaymentRecord) record = till_store_get_payment (store, id, &error);
  g_autoptr(TillRefundRecord) refund = NULL;
  g_autoptr(TillOutboxJob) job = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (record->state, ==, TILL_PAYMENT_STATE_PAID);
  g_assert_true (record->unattached);
  g_assert_cmpstr (record->transaction_id, ==, "4200000009");
  g_assert_cmpint (refund_id, >, 0);
  refund = till_store_get_refund (store, refund_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (refund->payment_id, ==, id);
  g_assert_cmpint (refund->amount_fen, ==, amount);
  g_assert_cmpint (refund->state, ==, TILL_REFUND_STATE_SUBMITTING);
  g_assert_true (g_str_has_prefix (refund->out_refund_no, out_trade_no));
  job = till_store_outbox_get_by_key (store, refund->out_refund_no, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (job->kind, ==, TILL_OUTBOX_KIND_REFUND);
  g_assert_cmpint (job->state, ==, TILL_OUTBOX_STATE_PENDING);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM audit WHERE action ="
                                     " 'late_payment_refund' AND actor = 'system'"), ==, 1);
}

static void
test_mark_paid_sale_moved_on (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  gboolean sale_paid = TRUE;
  gint64 refund_id = -1;

  /* Voided meanwhile. */
  {
    g_autoptr(TillSale) sale = make_saved_sale (store, 880, 1);
    gint64 sale_id = till_sale_get_id (sale);
    g_autofree char *trade_no = NULL;
    gint64 id = begin_ok (store, sale_id, 880, &trade_no);

    g_assert_true (till_store_payment_update (store, id, TILL_PAYMENT_STATE_REVERSING, NULL,
                                              "deadline", &error));
    raw_exec (till_store_get_db (store), "UPDATE sale SET state = 'voided', closed_at = 1");
    g_assert_true (till_store_payment_mark_paid_full (store, id, "4200000009", &sale_paid,
                                                      &refund_id, &error));
    g_assert_no_error (error);
    g_assert_false (sale_paid);
    g_assert_cmpint (sale_state (store, sale_id), ==, TILL_SALE_STATE_VOIDED);
    check_unattached (store, id, trade_no, 880, refund_id);

    /* Again (a second answer, or after a restart): nothing new. */
    g_assert_true (till_store_payment_mark_paid_full (store, id, "4200000009", &sale_paid,
                                                      &refund_id, &error));
    g_assert_no_error (error);
    g_assert_cmpint (refund_id, ==, 0);
    g_assert_cmpint (store_int (store, "SELECT count (*) FROM refund"), ==, 1);
    g_assert_cmpint (sale_state (store, sale_id), ==, TILL_SALE_STATE_VOIDED);
  }

  /* Paid in cash meanwhile: the cash sale stays as it was, and even once the late payment's
   * refund succeeds the sale is not "refunded". */
  {
    g_autoptr(TillSale) sale = make_saved_sale (store, 1200, 1);
    gint64 sale_id = till_sale_get_id (sale);
    g_autofree char *trade_no = NULL;
    gint64 id = begin_ok (store, sale_id, 1200, &trade_no);
    gint64 now = till_store_now_us ();
    g_autofree char *cash_sql = g_strdup_printf (
      "INSERT INTO payment (sale_id, method, amount_fen, state, created_at, updated_at)"
      " VALUES (%" G_GINT64_FORMAT ", 'cash', 1200, 'paid', %" G_GINT64_FORMAT ", %"
      G_GINT64_FORMAT ");"
      "UPDATE sale SET state = 'paid', closed_at = %" G_GINT64_FORMAT " WHERE id = %"
      G_GINT64_FORMAT, sale_id, now, now, now, sale_id);
    g_autoptr(GDateTime) today = g_date_time_new_now_local ();
    g_autofree char *date = g_date_time_format (today, "%Y-%m-%d");
    g_autoptr(TillReport) report = NULL;
    TillRefundSummary summary;
    g_autoptr(TillRefundRecord) done = NULL;

    raw_exec (till_store_get_db (store), cash_sql);
    g_assert_true (till_store_payment_mark_paid_full (store, id, "4200000009", &sale_paid,
                                                      &refund_id, &error));
    g_assert_no_error (error);
    g_assert_true (sale_paid);
    g_assert_cmpint (sale_state (store, sale_id), ==, TILL_SALE_STATE_PAID);
    g_assert_cmpint (till_store_sale_amount_due (store, sale_id, &error), ==, 0);
    g_assert_true (till_store_refund_summary (store, sale_id, &summary, &error));
    g_assert_cmpint (summary.paid_fen, ==, 1200);      /* the cash; not the late payment */
    g_assert_cmpint (summary.refunded_fen, ==, 0);
    till_refund_summary_clear (&summary);

    done = till_store_refund_update (store, refund_id, TILL_REFUND_STATE_SUCCESS, "50300001",
                                     NULL, 0, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (done->state, ==, TILL_REFUND_STATE_SUCCESS);
    g_assert_cmpint (sale_state (store, sale_id), ==, TILL_SALE_STATE_PAID);
    g_assert_cmpint (store_int (store, "SELECT count (*) FROM audit WHERE action ="
                                       " 'late_payment_refund'"), ==, 2);

    /* The day's report: a cash sale of ¥12.00; the late payment and its refund are no
     * sale's money (the bill reconciliation still sees both). */
    report = till_store_report_day (store, date, &error);
    g_assert_no_error (error);
    g_assert_cmpint (report->gross_fen, ==, 1200);
    g_assert_cmpint (report->method_fen[till_report_method_from_id ("cash")], ==, 1200);
    g_assert_cmpint (report->method_fen[till_report_method_from_id ("wechat_code")], ==, 0);
    g_assert_cmpuint (report->n_refunds, ==, 0);
    g_assert_cmpint (report->net_fen, ==, 1200);
  }

  /* An open sale still takes a late payment as always. */
  {
    g_autoptr(TillSale) sale = make_saved_sale (store, 300, 1);
    gint64 sale_id = till_sale_get_id (sale);
    gint64 id = begin_ok (store, sale_id, 300, NULL);
    g_autoptr(TillPaymentRecord) record = NULL;

    g_assert_true (till_store_payment_mark_paid_full (store, id, "4200000010", &sale_paid,
                                                      &refund_id, &error));
    g_assert_no_error (error);
    g_assert_true (sale_paid);
    g_assert_cmpint (refund_id, ==, 0);
    record = till_store_get_payment (store, id, &error);
    g_assert_false (record->unattached);
  }
}

static gint64 tomorrow_clock (gpointer data) { return g_get_real_time () + 24 * 3600 * S; }

/* Issue 10 item 1: money taken is always recorded. A payment found paid for a sale whose
 * day is closed (the day was closed under it, the clock went back) is stored as paid, and
 * its sale stays open, covered, attached to it; once a day is open it completes. A new
 * payment, cash or a void on a closed day is refused before anything is written. */
static void
test_closed_day (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(TillSale) sale = make_saved_sale (store, 880, 1);
  g_autoptr(TillSale) other = make_saved_sale (store, 300, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *trade_no = NULL;
  gint64 sale_id = till_sale_get_id (sale);
  gint64 id = begin_ok (store, sale_id, 880, NULL);
  gboolean sale_paid = TRUE;
  sqlite3 *raw;

  raw = raw_open (dir->path);
  raw_exec (raw, "INSERT INTO day_close (date, closed_at, counted_cash_fen, expected_cash_fen)"
                 " VALUES (date ('now', 'localtime'), 1, 0, 0)");
  sqlite3_close (raw);

  g_assert_true (till_store_payment_mark_paid (store, id, "4200000003", &sale_paid, &error));
  g_assert_no_error (error);
  g_assert_false (sale_paid);
  g_assert_cmpint (payment_state (store, id), ==, TILL_PAYMENT_STATE_PAID);
  g_assert_cmpint (sale_state (store, sale_id), ==, TILL_SALE_STATE_OPEN);
  g_assert_cmpint (till_store_sale_amount_due (store, sale_id, &error), ==, 0);
  g_assert_false (till_store_sale_complete_if_covered (store, sale_id, &sale_paid, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED);
  g_clear_error (&error);

  /* Nothing new is taken on the closed day, and nothing is written. */
  g_assert_cmpint (till_store_payment_begin (store, till_sale_get_id (other),
                                             TILL_PAYMENT_METHOD_WECHAT_CODE, 300, "S01", "D01",
                                             NULL, till_store_now_us (), 0, &trade_no, &error),
                   ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED);
  g_assert_nonnull (strstr (error->message, "midnight"));
  g_clear_error (&error);
  g_assert_false (till_store_add_cash_payment (store, other, 100, 100, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED);
  g_clear_error (&error);
  g_assert_false (till_store_complete_cash_sale (store, other, 300, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED);
  g_clear_error (&error);
  g_assert_false (till_store_void_sale (store, other, "cashier", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED);
  g_clear_error (&error);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM payment"), ==, 1);

  /* The next day the covered sale completes. */
  till_store_set_clock_for_testing (tomorrow_clock, NULL);
  g_assert_true (till_store_sale_complete_if_covered (store, sale_id, &sale_paid, &error));
  till_store_set_clock_for_testing (NULL, NULL);
  g_assert_no_error (error);
  g_assert_true (sale_paid);
  g_assert_cmpint (sale_state (store, sale_id), ==, TILL_SALE_STATE_PAID);
}

static void
test_partial_and_split_tender (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(TillSale) sale = make_saved_sale (store, 1000, 3);
  g_autoptr(GError) error = NULL;
  gint64 sale_id = till_sale_get_id (sale);
  gboolean sale_paid = TRUE;
  gint64 id;

  /* WeChat pays 20.00 of 30.00. */
  id = begin_ok (store, sale_id, 2000, NULL);

  /* No cash while it is unresolved. */
  g_assert_false (till_store_add_cash_payment (store, sale, 1000, 1000, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  g_assert_true (till_store_payment_mark_paid (store, id, "4200000004", &sale_paid, &error));
  g_assert_no_error (error);
  g_assert_false (sale_paid);
  g_assert_cmpint (sale_state (store, sale_id), ==, TILL_SALE_STATE_OPEN);
  g_assert_cmpint (till_store_sale_amount_due (store, sale_id, &error), ==, 1000);

  /* A whole-total cash sale on top of it is refused; so is a void. */
  g_assert_false (till_store_complete_cash_sale (store, sale, 5000, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (till_store_void_sale (store, sale, "manager", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  /* More than due, and short cash, are refused. */
  g_assert_false (till_store_add_cash_payment (store, sale, 1001, 2000, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (till_store_add_cash_payment (store, sale, 1000, 999, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  /* 4.00 in cash, then the last 6.00: the sale closes with the second. */
  g_assert_true (till_store_add_cash_payment (store, sale, 400, 500, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_OPEN);
  g_assert_cmpint (till_store_sale_amount_due (store, sale_id, &error), ==, 600);
  g_assert_true (till_store_add_cash_payment (store, sale, 600, 1000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_PAID);
  g_assert_cmpint (sale_state (store, sale_id), ==, TILL_SALE_STATE_PAID);
  g_assert_cmpint (till_store_sale_amount_due (store, sale_id, &error), ==, 0);
  {
    g_autofree char *rows = store_rows (store,
      "SELECT method, amount_fen, state, json_extract (detail_json, '$.change_fen')"
      " FROM payment ORDER BY id");
    g_assert_cmpstr (rows, ==, "wechat_code|2000|paid|NULL\n"
                               "cash|400|paid|100\n"
                               "cash|600|paid|400\n");
  }
}

static void
test_cash_first_then_wechat (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(TillSale) sale = make_saved_sale (store, 500, 2);
  g_autoptr(GError) error = NULL;
  gint64 sale_id = till_sale_get_id (sale);
  gboolean sale_paid = FALSE;
  gint64 id;

  g_assert_true (till_store_add_cash_payment (store, sale, 300, 300, &error));
  g_assert_no_error (error);
  id = begin_ok (store, sale_id, 700, NULL);
  g_assert_true (till_store_payment_mark_paid (store, id, "4200000005", &sale_paid, &error));
  g_assert_no_error (error);
  g_assert_true (sale_paid);
  g_assert_cmpint (sale_state (store, sale_id), ==, TILL_SALE_STATE_PAID);
}

static void
test_void_guard (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(TillSale) sale = make_saved_sale (store, 500, 1);
  g_autoptr(GError) error = NULL;
  gint64 id = begin_ok (store, till_sale_get_id (sale), 500, NULL);

  g_assert_true (till_store_payment_update (store, id, TILL_PAYMENT_STATE_IN_DOUBT, NULL, NULL,
                                            &error));
  g_assert_false (till_store_void_sale (store, sale, "manager", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_assert_cmpstr (error->message, ==,
                   "A payment for this sale is still in progress — wait for it");
  g_clear_error (&error);
  g_assert_false (till_store_complete_cash_sale (store, sale, 500, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_cmpint (sale_state (store, till_sale_get_id (sale)), ==, TILL_SALE_STATE_OPEN);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM audit WHERE action = 'void_sale'"),
                   ==, 0);

  /* Once it ends unpaid, the sale can be voided. */
  g_assert_true (till_store_payment_update (store, id, TILL_PAYMENT_STATE_REVERSING, NULL, NULL,
                                            &error));
  g_assert_true (till_store_payment_update (store, id, TILL_PAYMENT_STATE_REVERSED, NULL, NULL,
                                            &error));
  g_assert_true (till_store_void_sale (store, sale, "manager", &error));
  g_assert_no_error (error);
}

/* Issue 10 item 4: a sale the customer paid part of is voided only through refunds of what
 * was paid, in one transaction; the plain void refuses it; the day's cash and sales do not
 * move (what it took and gave back cancel out). */
static void
test_void_part_paid (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(TillSale) sale = make_saved_sale (store, 1001, 3);   /* ¥30.03 */
  g_autoptr(GPtrArray) refunds = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *today = till_report_local_date (till_store_now_us ());
  g_autoptr(TillReport) before = NULL;
  g_autoptr(TillReport) after = NULL;
  TillCashSummary cash_before, cash_after;
  gint64 sale_id = till_sale_get_id (sale);
  gint64 code_id;
  const TillRefundRecord *r;

  g_assert_true (till_store_cash_summary (store, today, &cash_before, &error));
  before = till_store_report_day (store, today, &error);
  g_assert_no_error (error);

  /* ¥10.00 in cash, ¥8.00 by a code, then the customer changes their mind. */
  g_assert_true (till_store_add_cash_payment (store, sale, 1000, 1000, &error));
  g_assert_no_error (error);
  code_id = begin_ok (store, sale_id, 800, NULL);
  g_assert_true (till_store_payment_mark_paid (store, code_id, "4200000008", NULL, &error));
  g_assert_no_error (error);

  g_assert_false (till_store_void_sale (store, sale, "收银员小王", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  refunds = till_store_void_sale_refunding (store, sale_id, "收银员小王",
                                            TILL_CASH_ROUNDING_JIAO, till_store_now_us (),
                                            &error);
  g_assert_no_error (error);
  g_assert_cmpuint (refunds->len, ==, 2);
  r = g_ptr_array_index (refunds, 0);   /* electronic first */
  g_assert_cmpint (r->method, ==, TILL_PAYMENT_METHOD_WECHAT_CODE);
  g_assert_cmpint (r->amount_fen, ==, 800);
  g_assert_cmpint (r->state, ==, TILL_REFUND_STATE_SUBMITTING);
  r = g_ptr_array_index (refunds, 1);
  g_assert_cmpint (r->method, ==, TILL_PAYMENT_METHOD_CASH);
  g_assert_cmpint (r->amount_fen + r->rounding_fen, ==, 1000);
  g_assert_cmpint (r->state, ==, TILL_REFUND_STATE_SUCCESS);
  g_assert_cmpint (sale_state (store, sale_id), ==, TILL_SALE_STATE_VOIDED);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM outbox WHERE kind = 'refund'"
                                     " AND state = 'pending'"), ==, 1);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM audit WHERE action = 'void_sale'"),
                   ==, 1);

  /* The drawer and the day's figures are where they were. */
  g_assert_true (till_store_cash_summary (store, today, &cash_after, &error));
  g_assert_cmpint (cash_after.expected_fen, ==, cash_before.expected_fen);
  after = till_store_report_day (store, today, &error);
  g_assert_no_error (error);
  g_assert_cmpint (after->net_fen, ==, before->net_fen);
  g_assert_cmpint (after->refunds_fen, ==, before->refunds_fen);

  /* Nothing twice. */
  g_assert_null (till_store_void_sale_refunding (store, sale_id, "收银员小王",
                                                 TILL_CASH_ROUNDING_JIAO, till_store_now_us (),
                                                 &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
}

static void
test_listings (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(TillSale) a = make_saved_sale (store, 100, 1);
  g_autoptr(TillSale) b = make_saved_sale (store, 100, 1);
  g_autoptr(TillSale) c = make_saved_sale (store, 100, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) unfinished = NULL;
  g_autoptr(GPtrArray) of_a = NULL;
  g_autoptr(TillPaymentRecord) missing = NULL;
  gint64 pa1, pb, pc;

  pa1 = begin_ok (store, till_sale_get_id (a), 100, NULL);
  g_assert_true (till_store_payment_update (store, pa1, TILL_PAYMENT_STATE_FAILED, NULL, "x",
                                            &error));
  begin_ok (store, till_sale_get_id (a), 100, NULL);
  pb = begin_ok (store, till_sale_get_id (b), 100, NULL);
  g_assert_true (till_store_payment_update (store, pb, TILL_PAYMENT_STATE_REVERSING, NULL, NULL,
                                            &error));
  pc = begin_ok (store, till_sale_get_id (c), 100, NULL);
  g_assert_true (till_store_payment_mark_paid (store, pc, "t", NULL, &error));
  g_assert_no_error (error);

  unfinished = till_store_list_unfinished_payments (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unfinished->len, ==, 2);
  g_assert_cmpint (((TillPaymentRecord *) unfinished->pdata[0])->sale_id, ==, till_sale_get_id (a));
  g_assert_cmpint (((TillPaymentRecord *) unfinished->pdata[1])->id, ==, pb);

  of_a = till_store_list_sale_payments (store, till_sale_get_id (a), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (of_a->len, ==, 2);
  g_assert_cmpint (((TillPaymentRecord *) of_a->pdata[0])->state, ==, TILL_PAYMENT_STATE_FAILED);
  g_assert_cmpint (((TillPaymentRecord *) of_a->pdata[1])->state, ==,
                   TILL_PAYMENT_STATE_SUBMITTING);

  missing = till_store_get_payment_by_out_trade_no (store, "T-nope", &error);
  g_assert_null (missing);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
}

/* ---------------------------------------------------------------- outbox */

static TillOutboxJob *
enqueue (TillStore  *store,
         const char *kind,
         const char *key,
         gint64      at,
         gboolean   *created)
{
  g_autoptr(GError) error = NULL;
  TillOutboxJob *job = till_store_outbox_enqueue (store, kind, key, "{\"payment_id\":1}", at,
                                                  created, &error);

  g_assert_no_error (error);
  g_assert_nonnull (job);
  return job;
}

static void
test_outbox_idempotent (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(TillOutboxJob) first = NULL;
  g_autoptr(TillOutboxJob) again = NULL;
  g_autoptr(TillOutboxJob) claimed = NULL;
  g_autoptr(TillOutboxJob) after_done = NULL;
  g_autoptr(GError) error = NULL;
  gboolean created = FALSE;
  gint64 now = till_store_now_us ();

  first = enqueue (store, TILL_OUTBOX_KIND_REVERSE, "T1", now, &created);
  g_assert_true (created);
  g_assert_cmpint (first->state, ==, TILL_OUTBOX_STATE_PENDING);
  again = enqueue (store, TILL_OUTBOX_KIND_REVERSE, "T1", now + 5 * S, &created);
  g_assert_false (created);
  g_assert_cmpint (again->id, ==, first->id);
  g_assert_cmpint (again->next_attempt_at, ==, now);
  g_assert_cmpint (till_store_outbox_count_pending (store, &error), ==, 1);

  claimed = till_store_outbox_claim_next (store, now, &error);
  g_assert_no_error (error);
  g_assert_true (till_store_outbox_done (store, claimed->id, &error));
  g_assert_no_error (error);
  /* Done, and the same work asked again: still one job, still done. */
  after_done = enqueue (store, TILL_OUTBOX_KIND_REVERSE, "T1", now, &created);
  g_assert_false (created);
  g_assert_cmpint (after_done->state, ==, TILL_OUTBOX_STATE_DONE);
  g_assert_cmpint (till_store_outbox_count_pending (store, &error), ==, 0);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM outbox"), ==, 1);
}

static void
test_outbox_order (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  gint64 now = till_store_now_us ();
  const char *expected[] = { "b", "c", "a" };

  till_outbox_job_free (enqueue (store, TILL_OUTBOX_KIND_REVERSE, "a", now - 1 * S, NULL));
  till_outbox_job_free (enqueue (store, TILL_OUTBOX_KIND_CLOSE_ORDER, "b", now - 3 * S, NULL));
  till_outbox_job_free (enqueue (store, TILL_OUTBOX_KIND_REVERSE, "c", now - 2 * S, NULL));
  till_outbox_job_free (enqueue (store, TILL_OUTBOX_KIND_REVERSE, "later", now + 60 * S, NULL));
  g_assert_cmpint (till_store_outbox_next_due_at (store, &error), ==, now - 3 * S);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(TillOutboxJob) job = till_store_outbox_claim_next (store, now, &error);

      g_assert_no_error (error);
      g_assert_nonnull (job);
      g_assert_cmpstr (job->key, ==, expected[i]);
      g_assert_cmpint (job->state, ==, TILL_OUTBOX_STATE_RUNNING);
      g_assert_cmpstr (job->payload_json, ==, "{\"payment_id\":1}");
    }
  /* Running jobs are not claimed twice, the future one is not due yet. */
  g_assert_null (till_store_outbox_claim_next (store, now, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_store_outbox_count_pending (store, &error), ==, 4);
  {
    g_autoptr(TillOutboxJob) later = till_store_outbox_claim_next (store, now + 60 * S, &error);
    g_assert_nonnull (later);
    g_assert_cmpstr (later->key, ==, "later");
  }
}

/* "Try everything now": jobs backed off into the future become due at once, in their
 * old order; due, done and dead jobs keep their times; a job that fails again is not
 * pulled forward again by itself (no busy loop). */
static void
test_outbox_make_all_due (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillOutboxJob) first = NULL;
  g_autoptr(TillOutboxJob) second = NULL;
  g_autoptr(TillOutboxJob) done = NULL;
  g_autoptr(TillOutboxJob) third = NULL;
  gint64 now = till_store_now_us ();

  till_outbox_job_free (enqueue (store, TILL_OUTBOX_KIND_REVERSE, "due", now - 5 * S, NULL));
  till_outbox_job_free (enqueue (store, TILL_OUTBOX_KIND_REVERSE, "soon", now + 60 * S, NULL));
  till_outbox_job_free (enqueue (store, TILL_OUTBOX_KIND_REVERSE, "later", now + 600 * S, NULL));
  till_outbox_job_free (enqueue (store, TILL_OUTBOX_KIND_REVERSE, "gone", now + 900 * S, NULL));
  done = till_store_outbox_claim_next (store, now + 900 * S, &error);
  g_assert_cmpstr (done->key, ==, "due");
  g_assert_true (till_store_outbox_done (store, done->id, &error));

  g_assert_cmpint (till_store_outbox_make_all_due (store, now, &error), ==, 3);
  g_assert_no_error (error);
  /* Nothing left in the future: the same call again moves nothing. */
  g_assert_cmpint (till_store_outbox_make_all_due (store, now, &error), ==, 0);

  first = till_store_outbox_claim_next (store, now, &error);
  second = till_store_outbox_claim_next (store, now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  g_assert_nonnull (second);
  g_assert_cmpstr (first->key, ==, "soon");
  g_assert_cmpstr (second->key, ==, "later");
  g_assert_cmpint (store_int (store, "SELECT next_attempt_at FROM outbox WHERE key = 'due'"),
                   ==, now - 5 * S);

  /* A retried job waits for its backoff even right after a make-all-due. */
  g_assert_true (till_store_outbox_retry (store, first->id, now, now + 30 * S, "offline",
                                          0, 0, NULL, &error));
  g_assert_no_error (error);
  third = till_store_outbox_claim_next (store, now + 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (third);
  g_assert_cmpstr (third->key, ==, "gone");
  g_assert_null (till_store_outbox_claim_next (store, now + 2, &error));
  g_assert_no_error (error);
}

/* A worker stopped between claiming and running a job gives it back untouched. */
static void
test_outbox_release (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillOutboxJob) claimed = NULL;
  g_autoptr(TillOutboxJob) again = NULL;
  gint64 now = till_store_now_us ();

  till_outbox_job_free (enqueue (store, TILL_OUTBOX_KIND_REVERSE, "T9", now - S, NULL));
  claimed = till_store_outbox_claim_next (store, now, &error);
  g_assert_nonnull (claimed);
  g_assert_null (till_store_outbox_claim_next (store, now, &error));
  g_assert_no_error (error);

  g_assert_true (till_store_outbox_release (store, claimed->id, &error));
  g_assert_no_error (error);
  again = till_store_outbox_claim_next (store, now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  g_assert_cmpint (again->id, ==, claimed->id);
  g_assert_cmpint (again->attempts, ==, claimed->attempts);
  g_assert_cmpint (again->next_attempt_at, ==, claimed->next_attempt_at);
  /* Only a running job is given back: a done one stays done. */
  g_assert_true (till_store_outbox_done (store, again->id, &error));
  g_assert_true (till_store_outbox_release (store, again->id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_store_outbox_count_pending (store, &error), ==, 0);
}

static void
test_outbox_backoff_and_dead (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillOutboxJob) job = NULL;
  g_autoptr(GPtrArray) dead = NULL;
  gint64 now = till_store_now_us ();
  gboolean is_dead = TRUE;

  till_outbox_job_free (enqueue (store, TILL_OUTBOX_KIND_REVERSE, "T9", now, NULL));

  for (int attempt = 1; attempt <= 3; attempt++)
    {
      g_autoptr(TillOutboxJob) claimed = till_store_outbox_claim_next (store, now, &error);
      g_autoptr(TillOutboxJob) after = NULL;
      gint64 next = now + attempt * S;

      g_assert_nonnull (claimed);
      g_assert_true (till_store_outbox_retry (store, claimed->id, now, next, "timeout", 4, 0,
                                              &is_dead, &error));
      g_assert_no_error (error);
      g_assert_false (is_dead);
      after = till_store_outbox_get_by_key (store, "T9", &error);
      g_assert_cmpint (after->attempts, ==, attempt);
      g_assert_cmpint (after->next_attempt_at, ==, next);
      g_assert_cmpstr (after->last_error, ==, "timeout");
      g_assert_cmpint (after->state, ==, TILL_OUTBOX_STATE_PENDING);
      /* Not due before its time. */
      g_assert_null (till_store_outbox_claim_next (store, next - 1, &error));
      g_assert_no_error (error);
      now = next;
    }
  job = till_store_outbox_claim_next (store, now, &error);
  g_assert_true (till_store_outbox_retry (store, job->id, now, now + S, "still down", 4, 0,
                                          &is_dead, &error));
  g_assert_true (is_dead);
  g_assert_null (till_store_outbox_claim_next (store, now + 3600 * S, &error));
  g_assert_cmpint (till_store_outbox_count_pending (store, &error), ==, 0);
  dead = till_store_outbox_list (store, TILL_OUTBOX_STATE_DEAD, &error);
  g_assert_cmpuint (dead->len, ==, 1);
  g_assert_cmpstr (((TillOutboxJob *) dead->pdata[0])->last_error, ==, "still down");
  g_assert_cmpint (((TillOutboxJob *) dead->pdata[0])->attempts, ==, 4);

  /* A manager's "try again". */
  g_assert_true (till_store_outbox_revive (store, job->id, now, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_store_outbox_count_pending (store, &error), ==, 1);
}

static void
test_outbox_dead_by_age (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillOutboxJob) job = NULL;
  gint64 now = till_store_now_us ();
  gboolean is_dead = FALSE;

  till_outbox_job_free (enqueue (store, TILL_OUTBOX_KIND_CLOSE_ORDER, "old", now, NULL));
  job = till_store_outbox_claim_next (store, now, &error);
  /* Young enough: retried. */
  g_assert_true (till_store_outbox_retry (store, job->id, now + 10 * S, now, "x", 0, 60 * S,
                                          &is_dead, &error));
  g_assert_false (is_dead);
  g_clear_pointer (&job, till_outbox_job_free);
  job = till_store_outbox_claim_next (store, now, &error);
  /* Two minutes later it is too old. */
  g_assert_true (till_store_outbox_retry (store, job->id, now + 120 * S, now, "x", 0, 60 * S,
                                          &is_dead, &error));
  g_assert_true (is_dead);
  g_assert_no_error (error);
}

/* A job left running by a dead till stays running when another process (a command-line
 * job beside the running till) opens the file: only the till's own start recovers it. */
static void
test_outbox_running_recovered_by_the_till (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GError) error = NULL;
  gint64 now = till_store_now_us ();
  gint64 id;

  {
    g_autoptr(TillStore) store = test_store_open (dir);
    g_autoptr(TillOutboxJob) job = NULL;

    till_outbox_job_free (enqueue (store, TILL_OUTBOX_KIND_REVERSE, "T7", now, NULL));
    job = till_store_outbox_claim_next (store, now, &error);
    g_assert_nonnull (job);
    id = job->id;
    /* The process "dies" here, or is still doing the job: it stays running in the file. */
  }
  {
    sqlite3 *raw = raw_open (dir->path);
    g_assert_cmpint (raw_int (raw, "SELECT count (*) FROM outbox WHERE state = 'running'"), ==, 1);
    sqlite3_close (raw);
  }
  {
    /* Opening is not recovering: nothing to claim, the job is still running. */
    g_autoptr(TillStore) store = test_store_open (dir);
    g_autoptr(TillOutboxJob) job = till_store_outbox_claim_next (store, now, &error);

    g_assert_no_error (error);
    g_assert_null (job);
    g_assert_cmpint (store_int (store, "SELECT count (*) FROM outbox WHERE state = 'running'"),
                     ==, 1);
  }
  {
    /* The till's start recovers it. */
    g_autoptr(TillStore) store = test_store_open (dir);
    g_autoptr(TillOutboxJob) job = NULL;

    g_assert_cmpint (till_store_outbox_recover (store, &error), ==, 1);
    g_assert_no_error (error);
    job = till_store_outbox_claim_next (store, now, &error);
    g_assert_no_error (error);
    g_assert_nonnull (job);
    g_assert_cmpint (job->id, ==, id);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/payments/begin-records-row", test_begin_records_row);
  g_test_add_func ("/store/payments/begin-refusals", test_begin_refusals);
  g_test_add_func ("/store/payments/out-trade-no-format", test_out_trade_no_format);
  g_test_add_func ("/store/payments/out-trade-no-ids", test_out_trade_no_ids);
  g_test_add_func ("/store/payments/transitions-table", test_transitions_table);
  g_test_add_func ("/store/payments/transitions-enforced", test_transitions_enforced);
  g_test_add_func ("/store/payments/mark-paid-completes-sale", test_mark_paid_completes_sale);
  g_test_add_func ("/store/payments/closed-day", test_closed_day);
  g_test_add_func ("/store/payments/mark-paid-sale-moved-on", test_mark_paid_sale_moved_on);
  g_test_add_func ("/store/payments/split-tender", test_partial_and_split_tender);
  g_test_add_func ("/store/payments/cash-then-wechat", test_cash_first_then_wechat);
  g_test_add_func ("/store/payments/void-guard", test_void_guard);
  g_test_add_func ("/store/payments/void-part-paid", test_void_part_paid);
  g_test_add_func ("/store/payments/listings", test_listings);
  g_test_add_func ("/store/outbox/idempotent", test_outbox_idempotent);
  g_test_add_func ("/store/outbox/order", test_outbox_order);
  g_test_add_func ("/store/outbox/backoff-and-dead", test_outbox_backoff_and_dead);
  g_test_add_func ("/store/outbox/make-all-due", test_outbox_make_all_due);
  g_test_add_func ("/store/outbox/release", test_outbox_release);
  g_test_add_func ("/store/outbox/dead-by-age", test_outbox_dead_by_age);
  g_test_add_func ("/store/outbox/running-recovered-by-the-till",
                   test_outbox_running_recovered_by_the_till);

  return g_test_run ();
}
