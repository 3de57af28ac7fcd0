/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillWxpayProvider against the real simulator (tillpoint-paysim) on 127.0.0.1: every
 * TillPayProvider method, and what each answer and failure means in the neutral words the
 * payment flow reads. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <locale.h>
#include <string.h>

#include "till-test-pay.h"
#include "till-wxpay-provider.h"

typedef struct
{
  TillTestPaysim  *sim;
  TillWxpayClient *client;
  TillPayProvider *provider;
  GAsyncResult    *result;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  const char *args[] = { "--password-delay-ms", "300", NULL };
  g_autoptr(GError) error = NULL;

  f->sim = till_test_paysim_start (args, &error);
  g_assert_no_error (error);
  f->client = till_test_pay_new_client (f->sim, NULL, FALSE, 1500);
  f->provider = till_test_pay_provider (f->client);
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

static GAsyncResult *
wait_result (Fixture *f)
{
  guint id = g_timeout_add_seconds (20, till_test_pay_timeout_cb, "a provider call");

  g_clear_object (&f->result);
  while (f->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  return f->result;
}

static TillPayTrade *
pay_code (Fixture *f, const char *otn, const char *ending, gint64 amount)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = till_test_paysim_auth_code (ending);
  TillPayCodeRequest request = {
    .out_trade_no = otn,
    .amount_fen = amount,
    .auth_code = code,
    .description = "Tillpoint 测试",
    .device_id = "POS-01",
    .store_id = "S01",
  };
  TillPayTrade *trade;

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

static void
spin (guint ms)
{
  till_test_pay_spin (ms);
}

/* Code pay and its outcomes, query, cancel (reverse). */
static void
test_code (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TillPayTrade *trade;
  char *otn;

  /* paid at once, with WeChat Pay's transaction id and the amount */
  otn = till_test_paysim_new_reference ("T");
  trade = pay_code (f, otn, "0000", 1234);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_PAID);
  g_assert_nonnull (trade->transaction_id);
  g_assert_cmpint (trade->amount_fen, ==, 1234);
  till_pay_trade_free (trade);
  trade = query (f, otn, &error);
  g_assert_no_error (error);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_PAID);
  g_assert_false (trade->refunded);
  g_assert_cmpint (trade->amount_fen, ==, 1234);
  g_assert_cmpstr (trade->provider_state, ==, "SUCCESS");
  till_pay_trade_free (trade);
  g_free (otn);

  /* 1111: the customer confirms on the phone, then it is paid */
  otn = till_test_paysim_new_reference ("T");
  trade = pay_code (f, otn, "1111", 500);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_USER_PAYING);
  till_pay_trade_free (trade);
  g_assert_cmpint (query_state (f, otn), ==, TILL_PAY_TRADE_USER_PAYING);
  spin (600);
  g_assert_cmpint (query_state (f, otn), ==, TILL_PAY_TRADE_PAID);
  g_free (otn);

  /* 2222: refused with WeChat Pay's code: failed, not charged */
  otn = till_test_paysim_new_reference ("T");
  trade = pay_code (f, otn, "2222", 500);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_FAILED);
  g_assert_cmpstr (trade->code, ==, "NOT_ENOUGH");
  g_assert_nonnull (trade->message);
  till_pay_trade_free (trade);
  g_free (otn);

  /* 4444: a 500 that hides a payment: unknown, and the query finds it paid */
  otn = till_test_paysim_new_reference ("T");
  trade = pay_code (f, otn, "4444", 500);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_UNKNOWN);
  till_pay_trade_free (trade);
  g_assert_cmpint (query_state (f, otn), ==, TILL_PAY_TRADE_PAID);
  g_free (otn);

  /* 5555: no answer within the client's 1.5 s: unknown; paid in fact */
  otn = till_test_paysim_new_reference ("T");
  trade = pay_code (f, otn, "5555", 500);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_UNKNOWN);
  till_pay_trade_free (trade);
  g_assert_cmpint (query_state (f, otn), ==, TILL_PAY_TRADE_PAID);
  g_free (otn);

  /* 8888: a paid answer with a wrong signature is not a payment: unknown */
  otn = till_test_paysim_new_reference ("T");
  trade = pay_code (f, otn, "8888", 500);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_UNKNOWN);
  till_pay_trade_free (trade);
  g_free (otn);

  /* 6666: waits until cancelled; the cancel (reverse) leaves it reversed */
  otn = till_test_paysim_new_reference ("T");
  trade = pay_code (f, otn, "6666", 500);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_USER_PAYING);
  till_pay_trade_free (trade);
  till_pay_provider_cancel_async (f->provider, otn, NULL, done_cb, f);
  g_assert_true (till_pay_provider_cancel_finish (f->provider, wait_result (f), &error));
  g_assert_no_error (error);
  trade = query (f, otn, &error);
  g_assert_no_error (error);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_REVERSED);
  g_assert_cmpstr (trade->provider_state, ==, "REVOKED");
  till_pay_trade_free (trade);
  g_free (otn);

  /* an order WeChat Pay never had: query and cancel say "not found" (definite) */
  otn = till_test_paysim_new_reference ("T");
  g_assert_null (query (f, otn, &error));
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_NOT_FOUND);
  g_assert_true (till_pay_error_is_definite (error));
  g_clear_error (&error);
  till_pay_provider_cancel_async (f->provider, otn, NULL, done_cb, f);
  g_assert_false (till_pay_provider_cancel_finish (f->provider, wait_result (f), &error));
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_NOT_FOUND);
  g_clear_error (&error);
  g_free (otn);

  /* a 5xx on the query: unknown, with WeChat Pay's status kept */
  otn = till_test_paysim_new_reference ("T");
  trade = pay_code (f, otn, "0000", 100);
  till_pay_trade_free (trade);
  g_assert_true (till_test_paysim_arm_fault (f->sim, "/v3/pay/transactions/out-trade-no/",
                                             "status", 0, 503, 1, &error));
  g_assert_no_error (error);
  g_assert_null (query (f, otn, &error));
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_UNKNOWN);
  g_assert_cmpuint (till_pay_error_get_http_status (error), ==, 503);
  g_clear_error (&error);
  g_assert_cmpint (query_state (f, otn), ==, TILL_PAY_TRADE_PAID);
  g_free (otn);
}

/* The QR order (Native): create, paid by the customer; another closed. */
static void
test_qr (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *notn = till_test_paysim_new_reference ("N");
  g_autofree char *cotn = till_test_paysim_new_reference ("C");
  g_autofree char *code_url = NULL;
  TillPayQrRequest request = {
    .out_trade_no = notn, .amount_fen = 800, .description = "Tillpoint",
    .device_id = "POS-01", .store_id = "S01",
  };

  till_pay_provider_create_qr_async (f->provider, &request, NULL, done_cb, f);
  code_url = till_pay_provider_create_qr_finish (f->provider, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (code_url, "weixin://"));
  g_assert_cmpint (query_state (f, notn), ==, TILL_PAY_TRADE_NOT_PAID);
  g_assert_true (till_test_paysim_native_pay (f->sim, notn, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_state (f, notn), ==, TILL_PAY_TRADE_PAID);

  request.out_trade_no = cotn;
  till_pay_provider_create_qr_async (f->provider, &request, NULL, done_cb, f);
  g_free (till_pay_provider_create_qr_finish (f->provider, wait_result (f), &error));
  g_assert_no_error (error);
  till_pay_provider_close_async (f->provider, cotn, NULL, done_cb, f);
  g_assert_true (till_pay_provider_close_finish (f->provider, wait_result (f), &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_state (f, cotn), ==, TILL_PAY_TRADE_CLOSED);
}

/* A refund, its query until SUCCESS, a refused one, one that does not exist. */
static void
test_refund (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("T");
  g_autofree char *orn = till_test_paysim_new_reference ("R");
  g_autofree char *over = till_test_paysim_new_reference ("R");
  g_autofree char *unknown = till_test_paysim_new_reference ("R");
  TillPayTrade *trade;
  TillPayRefund *refund;
  TillPayRefundRequest request = {
    .out_trade_no = otn, .out_refund_no = orn, .amount_fen = 300, .total_fen = 1000,
    .reason = "退货",
  };
  gint64 until;

  trade = pay_code (f, otn, "0000", 1000);
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_PAID);
  request.transaction_id = trade->transaction_id;
  till_pay_provider_refund_async (f->provider, &request, NULL, done_cb, f);
  refund = till_pay_provider_refund_finish (f->provider, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpint (refund->state, ==, TILL_PAY_REFUND_PROCESSING);
  g_assert_cmpstr (refund->out_refund_no, ==, orn);
  g_assert_cmpint (refund->amount_fen, ==, 300);
  g_assert_nonnull (refund->refund_id);
  till_pay_refund_free (refund);

  until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  do
    {
      spin (200);
      till_pay_provider_refund_query_async (f->provider, otn, orn, NULL, done_cb, f);
      refund = till_pay_provider_refund_query_finish (f->provider, wait_result (f), &error);
      g_assert_no_error (error);
      if (refund->state == TILL_PAY_REFUND_SUCCESS)
        break;
      g_assert_cmpint (refund->state, ==, TILL_PAY_REFUND_PROCESSING);
      g_clear_pointer (&refund, till_pay_refund_free);
    }
  while (g_get_monotonic_time () < until);
  g_assert_nonnull (refund);
  g_assert_cmpint (refund->state, ==, TILL_PAY_REFUND_SUCCESS);
  g_assert_cmpstr (refund->provider_state, ==, "SUCCESS");
  till_pay_refund_free (refund);

  /* the order is paid and (partly) refunded */
  {
    g_autoptr(TillPayTrade) after = query (f, otn, &error);

    g_assert_no_error (error);
    g_assert_cmpint (after->state, ==, TILL_PAY_TRADE_PAID);
    g_assert_true (after->refunded);
  }

  /* more than is left: WeChat Pay refuses (definite, with its code) */
  request.out_refund_no = over;
  request.amount_fen = 900;
  till_pay_provider_refund_async (f->provider, &request, NULL, done_cb, f);
  g_assert_null (till_pay_provider_refund_finish (f->provider, wait_result (f), &error));
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_REFUSED);
  g_assert_nonnull (till_pay_error_get_provider_code (error));
  g_clear_error (&error);

  /* a refund WeChat Pay never had */
  till_pay_provider_refund_query_async (f->provider, otn, unknown, NULL, done_cb, f);
  g_assert_null (till_pay_provider_refund_query_finish (f->provider, wait_result (f), &error));
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_NOT_FOUND);
  g_clear_error (&error);
  till_pay_trade_free (trade);
}

static char *
beijing_date (gint days)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+08:00");
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, days);

  return g_date_time_format (day, "%Y-%m-%d");
}

/* The daily bill: parsed rows; not ready yet; a day without trades. */
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

  /* today's bill is made tomorrow: not ready */
  till_pay_provider_fetch_bill_async (f->provider, today, NULL, done_cb, f);
  g_assert_null (till_pay_provider_fetch_bill_finish (f->provider, wait_result (f), &error));
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_NOT_READY);
  g_assert_true (till_pay_error_is_definite (error));
  g_clear_error (&error);

  /* released: downloaded, checked and parsed */
  g_assert_true (till_test_paysim_release_bill (f->sim, today, &error));
  g_assert_no_error (error);
  till_pay_provider_fetch_bill_async (f->provider, today, NULL, done_cb, f);
  bill = till_pay_provider_fetch_bill_finish (f->provider, wait_result (f), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < bill->rows->len; i++)
    {
      const TillBillRow *row = g_ptr_array_index (bill->rows, i);

      if (g_strcmp0 (row->out_trade_no, otn) == 0)
        {
          g_assert_cmpint (row->kind, ==, TILL_BILL_ROW_PAYMENT);
          g_assert_cmpint (row->order_fen, ==, 1234);
          found = TRUE;
        }
    }
  g_assert_true (found);
  g_clear_pointer (&bill, till_bill_free);

  /* a day without trades: a bill without rows */
  g_assert_true (till_test_paysim_release_bill (f->sim, yesterday, &error));
  g_assert_no_error (error);
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

/* The provider's "clock-skew-seconds" follows what the client saw; a clock error is an
 * unknown outcome. */
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
  g_assert_no_error (error);
  g_assert_null (query (f, otn, &error));
  g_assert_true (till_pay_error_is_clock_skew (error));
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_UNKNOWN);
  g_clear_error (&error);
  g_object_get (f->provider, "clock-skew-seconds", &skew, NULL);
  g_assert_cmpint (skew, >=, 595);
  g_assert_cmpint (skew, <=, 605);
  g_assert_cmpuint (notified, ==, 1);

  g_assert_true (till_test_paysim_set_clock (f->sim, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_state (f, otn), ==, TILL_PAY_TRADE_PAID);
  g_assert_cmpint (till_pay_provider_get_clock_skew_seconds (f->provider), ==, 0);
  g_assert_cmpuint (notified, ==, 2);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/wxpay-provider-paysim/code", Fixture, NULL, setup, test_code, teardown);
  g_test_add ("/wxpay-provider-paysim/qr", Fixture, NULL, setup, test_qr, teardown);
  g_test_add ("/wxpay-provider-paysim/refund", Fixture, NULL, setup, test_refund, teardown);
  g_test_add ("/wxpay-provider-paysim/bill", Fixture, NULL, setup, test_bill, teardown);
  g_test_add ("/wxpay-provider-paysim/clock-skew", Fixture, NULL, setup, test_clock_skew,
              teardown);

  return g_test_run ();
}
