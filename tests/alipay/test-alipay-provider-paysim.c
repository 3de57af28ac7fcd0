/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillAlipayProvider against the real simulator (tillpoint-paysim) on 127.0.0.1: every
 * TillPayProvider method, and what each answer and failure means in the neutral words the
 * payment flow reads. */
#define G_LOG_DOMAIN "test-alipay-provider-paysim"
#include "config.h"

#include <locale.h>
#include <string.h>

#include "till-alipay-provider.h"
#include "till-test-alipay.h"

typedef struct
{
  TillTestPaysim   *sim;
  TillAlipayClient *client;
  TillPayProvider  *provider;
  GAsyncResult     *result;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  const char *args[] = { "--password-delay-ms", "300", NULL };
  g_autoptr(GError) error = NULL;

  f->sim = till_test_paysim_start (args, &error);
  g_assert_no_error (error);
  f->client = till_test_alipay_new_client (f->sim, NULL, 1500);
  f->provider = till_test_alipay_provider (f->client);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->provider);
  g_clear_object (&f->client);
  g_clear_object (&f->result);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  till_test_paysim_free (f->sim);
}

static void
done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fixture *f = user_data;

  f->result = g_object_ref (result);
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("Test timed out waiting for a provider call");
  return G_SOURCE_REMOVE;
}

static GAsyncResult *
wait_result (Fixture *f)
{
  guint id = g_timeout_add_seconds (20, timeout_cb, NULL);

  while (f->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  return f->result;
}

static gboolean
quit_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, quit_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static TillPayTrade *
pay_code (Fixture    *f,
          const char *otn,
          const char *ending,
          gint64      amount)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = till_test_paysim_alipay_auth_code (ending);
  TillPayCodeRequest request = {
    .out_trade_no = otn, .amount_fen = amount, .auth_code = code,
    .description = "Tillpoint 测试", .device_id = "POS01", .store_id = "S01",
  };
  TillPayTrade *trade;

  g_clear_object (&f->result);
  till_pay_provider_pay_code_async (f->provider, &request, NULL, done_cb, f);
  trade = till_pay_provider_pay_code_finish (f->provider, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_nonnull (trade);
  g_test_message ("pay %s (%s): %s %s %s", otn, ending,
                  till_pay_trade_state_to_string (trade->state), trade->code ? trade->code : "",
                  trade->message ? trade->message : "");
  return trade;
}

static TillPayTrade *
query (Fixture *f, const char *otn, GError **error)
{
  g_clear_object (&f->result);
  till_pay_provider_query_async (f->provider, otn, NULL, done_cb, f);
  return till_pay_provider_query_finish (f->provider, wait_result (f), error);
}

static TillPayTradeState
query_state (Fixture *f, const char *otn)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPayTrade) trade = query (f, otn, &error);

  g_assert_no_error (error);
  return trade->state;
}

static gboolean
cancel (Fixture *f, const char *otn, GError **error)
{
  g_clear_object (&f->result);
  till_pay_provider_cancel_async (f->provider, otn, NULL, done_cb, f);
  return till_pay_provider_cancel_finish (f->provider, wait_result (f), error);
}

static gboolean
close_qr (Fixture *f, const char *otn, GError **error)
{
  g_clear_object (&f->result);
  till_pay_provider_close_async (f->provider, otn, NULL, done_cb, f);
  return till_pay_provider_close_finish (f->provider, wait_result (f), error);
}

static char *
create_qr (Fixture *f, const char *otn)
{
  g_autoptr(GError) error = NULL;
  TillPayQrRequest request = {
    .out_trade_no = otn, .amount_fen = 800, .description = "Tillpoint", .device_id = "POS01",
    .store_id = "S01",
  };
  char *qr;

  g_clear_object (&f->result);
  till_pay_provider_create_qr_async (f->provider, &request, NULL, done_cb, f);
  qr = till_pay_provider_create_qr_finish (f->provider, wait_result (f), &error);
  g_assert_no_error (error);
  return qr;
}

/* Code pay and its outcomes, query, cancel. */
static void
test_code (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TillPayTrade *trade;
  char *otn;

  /* paid at once, with Alipay's trade number and the amount */
  otn = till_test_paysim_new_reference ("T");
  trade = pay_code (f, otn, "0000", 1234);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_PAID);
  g_assert_cmpuint (strlen (trade->transaction_id), ==, 28);
  g_assert_cmpint (trade->amount_fen, ==, 1234);
  till_pay_trade_free (trade);
  trade = query (f, otn, &error);
  g_assert_no_error (error);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_PAID);
  g_assert_cmpstr (trade->provider_state, ==, "TRADE_SUCCESS");
  g_assert_cmpint (trade->amount_fen, ==, 1234);
  till_pay_trade_free (trade);
  g_free (otn);

  /* 1111: the customer types the password, then it is paid */
  otn = till_test_paysim_new_reference ("T");
  trade = pay_code (f, otn, "1111", 500);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_USER_PAYING);
  till_pay_trade_free (trade);
  g_assert_cmpint (query_state (f, otn), ==, TILL_PAY_TRADE_USER_PAYING);
  spin (500);
  g_assert_cmpint (query_state (f, otn), ==, TILL_PAY_TRADE_PAID);
  g_free (otn);

  /* 2222, 3333: refused with Alipay's sub_code and words for the customer */
  otn = till_test_paysim_new_reference ("T");
  trade = pay_code (f, otn, "2222", 500);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_FAILED);
  g_assert_cmpstr (trade->code, ==, "ACQ.BUYER_BALANCE_NOT_ENOUGH");
  g_assert_cmpstr (trade->message, ==, till_pay_error_describe_code (trade->code));
  till_pay_trade_free (trade);
  g_assert_null (query (f, otn, &error));
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_NOT_FOUND);
  g_clear_error (&error);
  g_free (otn);
  otn = till_test_paysim_new_reference ("T");
  trade = pay_code (f, otn, "3333", 500);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_FAILED);
  g_assert_cmpstr (trade->code, ==, "ACQ.PAYMENT_AUTH_CODE_INVALID");
  till_pay_trade_free (trade);
  g_free (otn);

  /* 4444 (20000), 5555 (no answer), 8888 (wrong signature), 9999 (dropped): unknown, and
   * the query finds each paid */
  {
    const char *const endings[] = { "4444", "5555", "8888", "9999" };

    for (guint i = 0; i < G_N_ELEMENTS (endings); i++)
      {
        otn = till_test_paysim_new_reference ("T");
        trade = pay_code (f, otn, endings[i], 500);
        g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_UNKNOWN);
        /* 20000's sub_code is signed; an unproven code is no code */
        g_assert_cmpstr (trade->code, ==, i == 0 ? "isp.unknow-error" : NULL);
        till_pay_trade_free (trade);
        g_assert_cmpint (query_state (f, otn), ==, TILL_PAY_TRADE_PAID);
        g_free (otn);
      }
  }

  /* 6666: waits; the cancel closes it, unpaid */
  otn = till_test_paysim_new_reference ("T");
  trade = pay_code (f, otn, "6666", 500);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_USER_PAYING);
  till_pay_trade_free (trade);
  g_assert_true (cancel (f, otn, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_state (f, otn), ==, TILL_PAY_TRADE_CLOSED);
  g_free (otn);

  /* 7777: the customer declines: closed */
  otn = till_test_paysim_new_reference ("T");
  trade = pay_code (f, otn, "7777", 500);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_USER_PAYING);
  till_pay_trade_free (trade);
  g_assert_true (till_test_paysim_set_clock (f->sim, 7, &error));
  g_assert_cmpint (query_state (f, otn), ==, TILL_PAY_TRADE_CLOSED);
  g_assert_true (till_test_paysim_set_clock (f->sim, 0, &error));
  g_free (otn);

  /* paid, then cancelled: the money goes back; the query says reversed */
  otn = till_test_paysim_new_reference ("T");
  trade = pay_code (f, otn, "0000", 500);
  till_pay_trade_free (trade);
  g_assert_true (cancel (f, otn, &error));
  g_assert_cmpint (query_state (f, otn), ==, TILL_PAY_TRADE_REVERSED);
  g_free (otn);

  /* an order Alipay never had: query says "not found"; the cancel closes the number */
  otn = till_test_paysim_new_reference ("T");
  g_assert_null (query (f, otn, &error));
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_NOT_FOUND);
  g_assert_true (till_pay_error_is_definite (error));
  g_clear_error (&error);
  g_assert_true (cancel (f, otn, &error));
  g_assert_no_error (error);
  trade = pay_code (f, otn, "0000", 500);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_FAILED);
  g_assert_cmpstr (trade->code, ==, "ACQ.TRADE_HAS_CLOSE");
  till_pay_trade_free (trade);
  g_free (otn);

  /* retry_flag=Y: busy, try again */
  otn = till_test_paysim_new_reference ("T");
  trade = pay_code (f, otn, "6666", 500);
  till_pay_trade_free (trade);
  g_assert_true (till_test_paysim_arm_alipay_fault (f->sim, NULL, "retry_flag", 0, 0, 1, &error));
  g_assert_false (cancel (f, otn, &error));
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_BUSY);
  g_clear_error (&error);
  g_assert_true (cancel (f, otn, &error));
  g_free (otn);

  /* a 502 on the query: unknown, with the status kept */
  otn = till_test_paysim_new_reference ("T");
  trade = pay_code (f, otn, "0000", 100);
  till_pay_trade_free (trade);
  g_assert_true (till_test_paysim_arm_alipay_fault (f->sim, "alipay.trade.query", "status", 0,
                                                    502, 1, &error));
  g_assert_null (query (f, otn, &error));
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_UNKNOWN);
  g_assert_cmpuint (till_pay_error_get_http_status (error), ==, 502);
  g_clear_error (&error);
  g_assert_cmpint (query_state (f, otn), ==, TILL_PAY_TRADE_PAID);
  g_free (otn);
}

/* The QR order (precreate): paid by the customer; closed before and after a scan. */
static void
test_qr (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *paid = till_test_paysim_new_reference ("N");
  g_autofree char *unscanned = till_test_paysim_new_reference ("N");
  g_autofree char *scanned = till_test_paysim_new_reference ("N");
  g_autofree char *late = till_test_paysim_new_reference ("N");
  g_autofree char *qr = create_qr (f, paid);

  g_assert_nonnull (strstr (qr, "/_sim/alipay/qr/"));
  /* not scanned yet: Alipay has no trade */
  g_assert_null (query (f, paid, &error));
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_NOT_FOUND);
  g_clear_error (&error);
  /* scanned, the password being typed: not paid yet; then paid */
  g_assert_true (till_test_paysim_alipay_scan (f->sim, paid, "password", &error));
  g_assert_cmpint (query_state (f, paid), ==, TILL_PAY_TRADE_NOT_PAID);
  spin (500);
  g_assert_cmpint (query_state (f, paid), ==, TILL_PAY_TRADE_PAID);

  /* closed before the customer scans: the QR code can no longer be paid */
  g_free (create_qr (f, unscanned));
  g_assert_true (close_qr (f, unscanned, &error));
  g_assert_no_error (error);
  g_assert_false (till_test_paysim_alipay_scan (f->sim, unscanned, "pay", &error));
  g_clear_error (&error);

  /* closed while the customer types the password */
  g_free (create_qr (f, scanned));
  g_assert_true (till_test_paysim_alipay_scan (f->sim, scanned, "password", &error));
  g_assert_true (close_qr (f, scanned, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_state (f, scanned), ==, TILL_PAY_TRADE_CLOSED);

  /* paid as the cashier gave up: the close is refused; the query says paid */
  g_free (create_qr (f, late));
  g_assert_true (till_test_paysim_alipay_scan (f->sim, late, "pay", &error));
  g_assert_false (close_qr (f, late, &error));
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_REFUSED);
  g_clear_error (&error);
  g_assert_cmpint (query_state (f, late), ==, TILL_PAY_TRADE_PAID);
}

/* A refund, its repeat, its query, a refused one, one that does not exist. */
static void
test_refund (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("T");
  g_autofree char *orn = till_test_paysim_new_reference ("R");
  g_autofree char *over = till_test_paysim_new_reference ("R");
  g_autofree char *unknown = till_test_paysim_new_reference ("R");
  TillPayTrade *trade = pay_code (f, otn, "0000", 1000);
  TillPayRefundRequest request = {
    .out_trade_no = otn, .transaction_id = trade->transaction_id, .out_refund_no = orn,
    .amount_fen = 300, .total_fen = 1000, .reason = "退货",
  };
  TillPayRefund *refund;

  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_PAID);
  g_clear_object (&f->result);
  till_pay_provider_refund_async (f->provider, &request, NULL, done_cb, f);
  refund = till_pay_provider_refund_finish (f->provider, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpint (refund->state, ==, TILL_PAY_REFUND_SUCCESS);
  g_assert_cmpstr (refund->out_refund_no, ==, orn);
  g_assert_cmpint (refund->amount_fen, ==, 300);
  till_pay_refund_free (refund);

  /* sent again (an unknown outcome retried): no money moves, the query confirms */
  g_clear_object (&f->result);
  till_pay_provider_refund_async (f->provider, &request, NULL, done_cb, f);
  refund = till_pay_provider_refund_finish (f->provider, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpint (refund->state, ==, TILL_PAY_REFUND_PROCESSING);
  till_pay_refund_free (refund);
  g_clear_object (&f->result);
  till_pay_provider_refund_query_async (f->provider, otn, orn, NULL, done_cb, f);
  refund = till_pay_provider_refund_query_finish (f->provider, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpint (refund->state, ==, TILL_PAY_REFUND_SUCCESS);
  g_assert_cmpint (refund->amount_fen, ==, 300);
  g_assert_cmpstr (refund->out_refund_no, ==, orn);
  till_pay_refund_free (refund);

  /* more than is left: refused (definite, with the sub_code) */
  request.out_refund_no = over;
  request.amount_fen = 701;
  g_clear_object (&f->result);
  till_pay_provider_refund_async (f->provider, &request, NULL, done_cb, f);
  g_assert_null (till_pay_provider_refund_finish (f->provider, wait_result (f), &error));
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_REFUSED);
  g_assert_cmpstr (till_pay_error_get_provider_code (error), ==, "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL");
  g_clear_error (&error);

  /* a refund Alipay never had */
  g_clear_object (&f->result);
  till_pay_provider_refund_query_async (f->provider, otn, unknown, NULL, done_cb, f);
  g_assert_null (till_pay_provider_refund_query_finish (f->provider, wait_result (f), &error));
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_NOT_FOUND);
  till_pay_trade_free (trade);
}

static char *
beijing_date (gint days)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, days);

  return g_date_time_format (day, "%Y-%m-%d");
}

/* The daily bill: not ready today; released: parsed rows; a day without trades. */
static void
test_bill (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *today = beijing_date (0);
  g_autofree char *yesterday = beijing_date (-1);
  g_autofree char *otn = till_test_paysim_new_reference ("T");
  g_autoptr(TillBill) bill = NULL;
  TillPayTrade *trade;
  gboolean found = FALSE;

  trade = pay_code (f, otn, "0000", 1234);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_PAID);
  till_pay_trade_free (trade);

  g_clear_object (&f->result);
  till_pay_provider_fetch_bill_async (f->provider, today, NULL, done_cb, f);
  g_assert_null (till_pay_provider_fetch_bill_finish (f->provider, wait_result (f), &error));
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_NOT_READY);
  g_assert_true (till_pay_error_is_definite (error));
  g_clear_error (&error);

  g_assert_true (till_test_paysim_release_bill (f->sim, today, &error));
  g_clear_object (&f->result);
  till_pay_provider_fetch_bill_async (f->provider, today, NULL, done_cb, f);
  bill = till_pay_provider_fetch_bill_finish (f->provider, wait_result (f), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < bill->rows->len; i++)
    {
      const TillBillRow *row = g_ptr_array_index (bill->rows, i);

      if (g_strcmp0 (row->out_trade_no, otn) == 0)
        {
          g_assert_cmpint (row->kind, ==, TILL_BILL_ROW_PAYMENT);
          g_assert_cmpint (row->state, ==, TILL_BILL_ROW_DONE);
          g_assert_cmpint (row->order_fen, ==, 1234);
          found = TRUE;
        }
    }
  g_assert_true (found);
  g_clear_pointer (&bill, till_bill_free);

  g_clear_object (&f->result);
  till_pay_provider_fetch_bill_async (f->provider, yesterday, NULL, done_cb, f);
  bill = till_pay_provider_fetch_bill_finish (f->provider, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bill->rows->len, ==, 0);
}

static void
skew_notify_cb (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

/* "clock-skew-seconds" follows the Date of Alipay's verified answers. */
static void
test_clock_skew (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("T");
  TillPayTrade *trade;
  guint notified = 0;
  gint64 skew = 0;

  g_signal_connect (f->provider, "notify::clock-skew-seconds", G_CALLBACK (skew_notify_cb),
                    &notified);
  trade = pay_code (f, otn, "0000", 321);
  till_pay_trade_free (trade);
  g_assert_cmpint (till_pay_provider_get_clock_skew_seconds (f->provider), ==, 0);

  g_assert_true (till_test_paysim_set_clock (f->sim, 600, &error));
  g_assert_cmpint (query_state (f, otn), ==, TILL_PAY_TRADE_PAID);
  g_object_get (f->provider, "clock-skew-seconds", &skew, NULL);
  g_assert_cmpint (skew, >=, 598);
  g_assert_cmpint (skew, <=, 602);
  g_assert_cmpuint (notified, ==, 1);

  g_assert_true (till_test_paysim_set_clock (f->sim, 0, &error));
  g_assert_cmpint (query_state (f, otn), ==, TILL_PAY_TRADE_PAID);
  g_assert_cmpint (till_pay_provider_get_clock_skew_seconds (f->provider), ==, 0);
  g_assert_cmpuint (notified, ==, 2);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/alipay-provider-paysim/code", Fixture, NULL, setup, test_code, teardown);
  g_test_add ("/alipay-provider-paysim/qr", Fixture, NULL, setup, test_qr, teardown);
  g_test_add ("/alipay-provider-paysim/refund", Fixture, NULL, setup, test_refund, teardown);
  g_test_add ("/alipay-provider-paysim/bill", Fixture, NULL, setup, test_bill, teardown);
  g_test_add ("/alipay-provider-paysim/clock-skew", Fixture, NULL, setup, test_clock_skew,
              teardown);
  return g_test_run ();
}
