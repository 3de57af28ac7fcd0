/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillWxpayClient against the real simulator (tillpoint-paysim, §13.2) on 127.0.0.1: the
 * auth-code endings, query/reverse/refund/native/close, the bill, and https with a CA file. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <locale.h>
#include <string.h>

#include "till-test-pay.h"
#include "till-wxpay-client.h"

typedef struct
{
  TillTestPaysim  *sim;
  TillWxpayClient *client;
  GMainLoop       *loop;
  GAsyncResult    *result;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  const char *args[] = { "--password-delay-ms", "300", NULL, NULL };
  g_autoptr(GError) error = NULL;

  if (data != NULL)
    args[2] = "--tls";
  f->sim = till_test_paysim_start (args, &error);
  g_assert_no_error (error);
  f->client = till_test_pay_new_client (f->sim, NULL, data != NULL, 1500);
  f->loop = g_main_loop_new (NULL, FALSE);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->client);
  g_clear_object (&f->result);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  till_test_paysim_free (f->sim);
  g_main_loop_unref (f->loop);
}

static void
done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fixture *f = user_data;

  f->result = g_object_ref (result);
  g_main_loop_quit (f->loop);
}

static GAsyncResult *
wait_result (Fixture *f)
{
  g_clear_object (&f->result);
  g_main_loop_run (f->loop);
  return f->result;
}

static TillWxpayTransaction *
codepay (Fixture *f, const char *otn, const char *ending, gint64 total, GError **error)
{
  g_autofree char *code = till_test_paysim_auth_code (ending);
  TillWxpayCodepayRequest r = {
    .out_trade_no = otn,
    .auth_code = code,
    .description = "Tillpoint 测试",
    .amount_total = total,
    .device_id = "POS-01",
    .store_out_id = "S01",
  };

  till_wxpay_client_codepay_async (f->client, &r, NULL, done_cb, f);
  return till_wxpay_client_codepay_finish (f->client, wait_result (f), error);
}

static TillWxpayTransaction *
query (Fixture *f, const char *otn)
{
  g_autoptr(GError) error = NULL;
  TillWxpayTransaction *t;

  till_wxpay_client_query_async (f->client, otn, NULL, done_cb, f);
  t = till_wxpay_client_query_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  return t;
}

static gboolean
quit_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
sleep_ms (Fixture *f, guint ms)
{
  g_timeout_add (ms, quit_cb, f->loop);
  g_main_loop_run (f->loop);
}

static void
test_outcomes (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TillWxpayTransaction *t;
  char *otn;

  /* paid at once */
  otn = till_test_paysim_new_reference ("T");
  t = codepay (f, otn, "0000", 1234, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (t->http_status, ==, 200);
  g_assert_cmpint (t->trade_state, ==, TILL_WXPAY_TRADE_STATE_SUCCESS);
  g_assert_cmpint (t->amount_total, ==, 1234);
  g_assert_nonnull (t->transaction_id);
  till_wxpay_transaction_free (t);
  g_free (otn);

  /* 1111: USERPAYING, then paid after the password delay */
  otn = till_test_paysim_new_reference ("T");
  t = codepay (f, otn, "1111", 500, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (t->http_status, ==, 202);
  g_assert_cmpint (t->trade_state, ==, TILL_WXPAY_TRADE_STATE_USERPAYING);
  till_wxpay_transaction_free (t);
  sleep_ms (f, 600);
  t = query (f, otn);
  g_assert_cmpint (t->trade_state, ==, TILL_WXPAY_TRADE_STATE_SUCCESS);
  till_wxpay_transaction_free (t);
  g_free (otn);

  /* 2222 / 3333: definite refusals with the provider's code */
  otn = till_test_paysim_new_reference ("T");
  g_assert_null (codepay (f, otn, "2222", 500, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER);
  g_assert_cmpstr (till_pay_error_get_provider_code (error), ==, "NOT_ENOUGH");
  g_assert_true (till_wxpay_error_is_definite (error));
  g_clear_error (&error);
  g_free (otn);
  otn = till_test_paysim_new_reference ("T");
  g_assert_null (codepay (f, otn, "3333", 500, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER);
  g_assert_cmpstr (till_pay_error_get_provider_code (error), ==, "AUTH_CODE_INVALID");
  g_assert_true (till_wxpay_error_is_definite (error));
  g_clear_error (&error);
  g_free (otn);

  /* 4444: a 500 that hides a payment: unknown, and the query finds it */
  otn = till_test_paysim_new_reference ("T");
  g_assert_null (codepay (f, otn, "4444", 500, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SERVER);
  g_assert_false (till_wxpay_error_is_definite (error));
  g_clear_error (&error);
  t = query (f, otn);
  g_assert_cmpint (t->trade_state, ==, TILL_WXPAY_TRADE_STATE_SUCCESS);
  till_wxpay_transaction_free (t);
  g_free (otn);

  /* 5555: no answer: TIMEOUT within the client's 1.5 s, and the order is paid */
  otn = till_test_paysim_new_reference ("T");
  {
    gint64 start = g_get_monotonic_time ();
    g_assert_null (codepay (f, otn, "5555", 500, &error));
    g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 3000);
  }
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_TIMEOUT);
  g_clear_error (&error);
  t = query (f, otn);
  g_assert_cmpint (t->trade_state, ==, TILL_WXPAY_TRADE_STATE_SUCCESS);
  till_wxpay_transaction_free (t);
  g_free (otn);

  /* 8888: a 200 with a wrong signature is not a payment; the signed query is */
  otn = till_test_paysim_new_reference ("T");
  g_assert_null (codepay (f, otn, "8888", 500, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
  g_clear_error (&error);
  t = query (f, otn);
  g_assert_cmpint (t->trade_state, ==, TILL_WXPAY_TRADE_STATE_SUCCESS);
  till_wxpay_transaction_free (t);
  g_free (otn);

  /* 9999: the connection drops after the payment */
  otn = till_test_paysim_new_reference ("T");
  g_assert_null (codepay (f, otn, "9999", 500, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_CONNECTION_LOST);
  g_assert_false (till_wxpay_error_is_definite (error));
  g_clear_error (&error);
  g_free (otn);

  /* 6666: waits forever until reversed */
  otn = till_test_paysim_new_reference ("T");
  t = codepay (f, otn, "6666", 500, &error);
  g_assert_no_error (error);
  g_assert_cmpint (t->trade_state, ==, TILL_WXPAY_TRADE_STATE_USERPAYING);
  till_wxpay_transaction_free (t);
  till_wxpay_client_reverse_async (f->client, otn, NULL, done_cb, f);
  g_assert_true (till_wxpay_client_reverse_finish (f->client, wait_result (f), &error));
  g_assert_no_error (error);
  t = query (f, otn);
  g_assert_cmpint (t->trade_state, ==, TILL_WXPAY_TRADE_STATE_REVOKED);
  till_wxpay_transaction_free (t);
  g_free (otn);
}

static void
test_refund_native_close (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("T");
  g_autofree char *orn = till_test_paysim_new_reference ("R");
  g_autofree char *notn = till_test_paysim_new_reference ("N");
  g_autofree char *cotn = till_test_paysim_new_reference ("C");
  g_autofree char *code_url = NULL;
  TillWxpayTransaction *t;
  TillWxpayRefund *r;
  TillWxpayRefundRequest req = {
    .out_trade_no = otn, .out_refund_no = orn, .reason = "退货",
    .amount_refund = 300, .amount_total = 1000,
  };
  TillWxpayNativeRequest native = {
    .out_trade_no = notn, .description = "Tillpoint", .amount_total = 800,
    .notify_url = "https://example.com/notify",
  };

  t = codepay (f, otn, "0000", 1000, &error);
  g_assert_no_error (error);
  till_wxpay_transaction_free (t);

  till_wxpay_client_refund_async (f->client, &req, NULL, done_cb, f);
  r = till_wxpay_client_refund_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->out_refund_no, ==, orn);
  g_assert_cmpint (r->amount_refund, ==, 300);
  g_assert_cmpint (r->status, !=, TILL_WXPAY_REFUND_STATUS_UNKNOWN);
  till_wxpay_refund_free (r);
  till_wxpay_client_refund_query_async (f->client, orn, NULL, done_cb, f);
  r = till_wxpay_client_refund_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->out_refund_no, ==, orn);
  till_wxpay_refund_free (r);

  till_wxpay_client_native_async (f->client, &native, NULL, done_cb, f);
  code_url = till_wxpay_client_native_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (code_url, "weixin://"));
  t = query (f, notn);
  g_assert_cmpint (t->trade_state, ==, TILL_WXPAY_TRADE_STATE_NOTPAY);
  till_wxpay_transaction_free (t);
  g_assert_true (till_test_paysim_native_pay (f->sim, notn, &error));
  g_assert_no_error (error);
  t = query (f, notn);
  g_assert_cmpint (t->trade_state, ==, TILL_WXPAY_TRADE_STATE_SUCCESS);
  till_wxpay_transaction_free (t);

  native.out_trade_no = cotn;
  till_wxpay_client_native_async (f->client, &native, NULL, done_cb, f);
  g_free (till_wxpay_client_native_finish (f->client, wait_result (f), &error));
  g_assert_no_error (error);
  till_wxpay_client_close_async (f->client, cotn, NULL, done_cb, f);
  g_assert_true (till_wxpay_client_close_finish (f->client, wait_result (f), &error));
  g_assert_no_error (error);
  t = query (f, cotn);
  g_assert_cmpint (t->trade_state, ==, TILL_WXPAY_TRADE_STATE_CLOSED);
  till_wxpay_transaction_free (t);
}

static void
test_bill (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+08:00");
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *otn = till_test_paysim_new_reference ("T");
  g_autoptr(TillWxpayBill) bill = NULL;
  g_autoptr(GBytes) file = NULL;
  TillWxpayTransaction *t;

  t = codepay (f, otn, "0000", 1234, &error);
  g_assert_no_error (error);
  till_wxpay_transaction_free (t);
  g_assert_true (till_test_paysim_release_bill (f->sim, date, &error));
  g_assert_no_error (error);

  for (int gz = 0; gz < 2; gz++)
    {
      till_wxpay_client_trade_bill_async (f->client, date, NULL, gz, NULL, done_cb, f);
      g_clear_pointer (&bill, till_wxpay_bill_free);
      bill = till_wxpay_client_trade_bill_finish (f->client, wait_result (f), &error);
      g_assert_no_error (error);
      till_wxpay_client_download_bill_async (f->client, bill, NULL, done_cb, f);
      g_clear_pointer (&file, g_bytes_unref);
      file = till_wxpay_client_download_bill_finish (f->client, wait_result (f), &error);
      g_assert_no_error (error);
      {
        g_autofree char *text = g_strndup (g_bytes_get_data (file, NULL), g_bytes_get_size (file));
        g_assert_nonnull (strstr (text, otn));
      }
    }
}

/* https with the simulator's certificate as the CA file. */
static void
skew_notify_cb (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

/* Issue 10 item 2: the provider's clock 10 minutes ahead. Every answer fails its
 * timestamp window: a clock error the cashier can act on, and the client's
 * "clock-skew-seconds" says by how much; back to 0 once the clocks agree again. */
static void
test_clock_skew (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("T");
  TillWxpayTransaction *t;
  guint notified = 0;
  gint64 skew = -1;

  g_signal_connect (f->client, "notify::clock-skew-seconds", G_CALLBACK (skew_notify_cb),
                    &notified);
  t = codepay (f, otn, "0000", 321, &error);
  g_assert_no_error (error);
  till_wxpay_transaction_free (t);
  g_assert_cmpint (till_wxpay_client_get_clock_skew_seconds (f->client), ==, 0);
  g_assert_cmpuint (notified, ==, 0);

  g_assert_true (till_test_paysim_set_clock (f->sim, 600, &error));
  g_assert_no_error (error);
  till_wxpay_client_query_async (f->client, otn, NULL, done_cb, f);
  t = till_wxpay_client_query_finish (f->client, wait_result (f), &error);
  g_assert_null (t);
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
  g_assert_true (till_pay_error_is_clock_skew (error));
  g_assert_false (till_pay_error_is_definite (error));
  g_assert_cmpint (till_pay_error_get_clock_skew_s (error), >=, 595);
  g_assert_cmpint (till_pay_error_get_clock_skew_s (error), <=, 605);
  g_test_message ("clock error: %s", error->message);
  g_assert_nonnull (strstr (error->message, "differ by 10 minutes"));
  g_assert_nonnull (strstr (error->message, "date and time"));
  g_clear_error (&error);

  g_object_get (f->client, "clock-skew-seconds", &skew, NULL);
  g_assert_cmpint (skew, >=, 595);
  g_assert_cmpint (skew, <=, 605);
  g_assert_cmpint (till_wxpay_client_get_clock_skew_seconds (f->client), ==, skew);
  g_assert_cmpuint (notified, ==, 1);

  /* A forged answer says nothing about the clock: the skew stays as it was. */
  g_assert_true (till_test_paysim_arm_fault (f->sim, "/v3/pay/transactions/out-trade-no/",
                                             "badsig", 0, 0, 1, &error));
  g_assert_no_error (error);
  till_wxpay_client_query_async (f->client, otn, NULL, done_cb, f);
  t = till_wxpay_client_query_finish (f->client, wait_result (f), &error);
  g_assert_null (t);
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
  g_assert_false (till_pay_error_is_clock_skew (error));
  g_clear_error (&error);
  g_assert_cmpint (till_wxpay_client_get_clock_skew_seconds (f->client), ==, skew);

  /* The clocks agree again: the next answer counts, and the property goes back to 0. */
  g_assert_true (till_test_paysim_set_clock (f->sim, 0, &error));
  g_assert_no_error (error);
  t = query (f, otn);
  g_assert_cmpint (t->trade_state, ==, TILL_WXPAY_TRADE_STATE_SUCCESS);
  till_wxpay_transaction_free (t);
  g_assert_cmpint (till_wxpay_client_get_clock_skew_seconds (f->client), ==, 0);
  g_assert_cmpuint (notified, ==, 2);

  /* Behind by two days: the message counts days, the offset is negative. */
  g_assert_true (till_test_paysim_set_clock (f->sim, -2 * 86400, &error));
  g_assert_no_error (error);
  till_wxpay_client_query_async (f->client, otn, NULL, done_cb, f);
  t = till_wxpay_client_query_finish (f->client, wait_result (f), &error);
  g_assert_null (t);
  g_assert_true (till_pay_error_is_clock_skew (error));
  g_assert_nonnull (strstr (error->message, "differ by 2 days"));
  g_assert_cmpint (till_wxpay_client_get_clock_skew_seconds (f->client), <=, -2 * 86400 + 5);
  g_clear_error (&error);
  g_assert_true (till_test_paysim_set_clock (f->sim, 0, &error));
  g_assert_no_error (error);
}

static void
test_tls (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("T");
  TillWxpayTransaction *t;

  g_assert_true (g_str_has_prefix (till_wxpay_client_get_base_url (f->client), "https://"));
  t = codepay (f, otn, "0000", 100, &error);
  g_assert_no_error (error);
  g_assert_cmpint (t->trade_state, ==, TILL_WXPAY_TRADE_STATE_SUCCESS);
  till_wxpay_transaction_free (t);

  /* without the CA file the certificate is refused: a NETWORK error, nothing sent */
  {
    g_autoptr(TillWxpayClient) strict = NULL;
    g_autofree char *otn2 = till_test_paysim_new_reference ("T");
    g_autofree char *code = till_test_paysim_auth_code ("0000");
    TillWxpayCodepayRequest r = { .out_trade_no = otn2, .auth_code = code, .description = "x",
                                  .amount_total = 100 };
    TillWxpayClient *with_ca = f->client;

    strict = till_test_pay_new_client (f->sim, NULL, FALSE, 1500);
    f->client = strict;
    till_wxpay_client_codepay_async (strict, &r, NULL, done_cb, f);
    g_assert_null (till_wxpay_client_codepay_finish (strict, wait_result (f), &error));
    g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_NETWORK);
    f->client = with_ca;
  }
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/wxpay-client-paysim/outcomes", Fixture, NULL, setup, test_outcomes, teardown);
  g_test_add ("/wxpay-client-paysim/refund-native-close", Fixture, NULL, setup,
              test_refund_native_close, teardown);
  g_test_add ("/wxpay-client-paysim/bill", Fixture, NULL, setup, test_bill, teardown);
  g_test_add ("/wxpay-client-paysim/clock-skew", Fixture, NULL, setup, test_clock_skew,
              teardown);
  g_test_add ("/wxpay-client-paysim/tls", Fixture, "tls", setup, test_tls, teardown);

  return g_test_run ();
}
