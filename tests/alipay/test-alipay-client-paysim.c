/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillAlipayClient against the real simulator (tillpoint-paysim) on 127.0.0.1: every
 * auth-code ending, every fault kind, cancel (retry_flag, action), close, refund and refund
 * query, the bill (URL, ZIP, rows), and Alipay's clock as the answers' Date shows it. */
#define G_LOG_DOMAIN "test-alipay-client-paysim"
#include "config.h"

#include <locale.h>
#include <string.h>

#include "till-alipay-client.h"
#include "till-clock.h"
#include "till-test-alipay.h"

typedef struct
{
  TillTestPaysim   *sim;
  TillAlipayClient *client;
  GAsyncResult     *result;
} Fixture;

static void
setup_with (Fixture           *f,
            const char *const *args)
{
  g_autoptr(GError) error = NULL;

  f->sim = till_test_paysim_start (args, &error);
  g_assert_no_error (error);
  f->client = till_test_alipay_new_client (f->sim, NULL, 1500);
}

static void
setup (Fixture *f, gconstpointer data)
{
  const char *args[] = { "--password-delay-ms", "300", NULL };

  setup_with (f, args);
}

static void
setup_strict (Fixture *f, gconstpointer data)
{
  const char *args[] = { "--password-delay-ms", "300", "--alipay-strict-refunds", NULL };

  setup_with (f, args);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  till_clock_set_offset_for_testing (0);
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
  g_error ("Test timed out waiting for %s", (const char *) data);
  return G_SOURCE_REMOVE;
}

static GAsyncResult *
wait_result (Fixture *f)
{
  guint id = g_timeout_add_seconds (20, timeout_cb, "a client call");

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

/* ---- calls ---- */

static TillAlipayTrade *
pay (Fixture     *f,
     const char  *otn,
     const char  *ending,
     gint64       fen,
     GError     **error)
{
  g_autofree char *code = till_test_paysim_alipay_auth_code (ending);
  TillAlipayPayRequest request = {
    .out_trade_no = otn, .amount_fen = fen, .auth_code = code, .subject = "Tillpoint 测试",
    .store_id = "S01", .terminal_id = "POS01", .timeout_express = "5m",
  };

  g_clear_object (&f->result);
  till_alipay_client_pay_async (f->client, &request, NULL, done_cb, f);
  return till_alipay_client_pay_finish (f->client, wait_result (f), error);
}

static TillAlipayTrade *
query (Fixture     *f,
       const char  *otn,
       GError     **error)
{
  g_clear_object (&f->result);
  till_alipay_client_query_async (f->client, otn, NULL, done_cb, f);
  return till_alipay_client_query_finish (f->client, wait_result (f), error);
}

static char *
status_of (Fixture    *f,
           const char *otn)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillAlipayTrade) t = query (f, otn, &error);

  if (t == NULL)
    return g_strdup (till_pay_error_get_provider_code (error));
  return g_strdup (t->trade_status);
}

static TillAlipayCancel *
cancel (Fixture     *f,
        const char  *otn,
        GError     **error)
{
  g_clear_object (&f->result);
  till_alipay_client_cancel_async (f->client, otn, NULL, done_cb, f);
  return till_alipay_client_cancel_finish (f->client, wait_result (f), error);
}

static gboolean
close_order (Fixture     *f,
             const char  *otn,
             GError     **error)
{
  g_clear_object (&f->result);
  till_alipay_client_close_async (f->client, otn, NULL, done_cb, f);
  return till_alipay_client_close_finish (f->client, wait_result (f), error);
}

static TillAlipayRefund *
refund (Fixture     *f,
        const char  *otn,
        const char  *request_no,
        gint64       fen,
        GError     **error)
{
  TillAlipayRefundRequest request = {
    .out_trade_no = otn, .out_request_no = request_no, .amount_fen = fen, .reason = "退货",
  };

  g_clear_object (&f->result);
  till_alipay_client_refund_async (f->client, &request, NULL, done_cb, f);
  return till_alipay_client_refund_finish (f->client, wait_result (f), error);
}

static TillAlipayRefund *
refund_query (Fixture     *f,
              const char  *otn,
              const char  *request_no,
              GError     **error)
{
  g_clear_object (&f->result);
  till_alipay_client_refund_query_async (f->client, otn, request_no, NULL, done_cb, f);
  return till_alipay_client_refund_query_finish (f->client, wait_result (f), error);
}

static void
assert_provider_error (const GError *error,
                       const char   *sub_code)
{
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER);
  g_assert_cmpstr (till_pay_error_get_provider_code (error), ==, sub_code);
  g_assert_cmpuint (till_pay_error_get_http_status (error), ==, 200);
}

/* ---------------------------------------------------------------- the endings */

static void
test_endings (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TillAlipayTrade *t;
  char *otn, *status;

  /* 0000: paid, with Alipay's trade number and the amount */
  otn = till_test_paysim_new_reference ("T");
  t = pay (f, otn, "0000", 1234, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (t->code, ==, "10000");
  g_assert_cmpstr (t->out_trade_no, ==, otn);
  g_assert_cmpuint (strlen (t->trade_no), ==, 28);
  g_assert_cmpint (t->total_fen, ==, 1234);
  g_assert_cmpint (t->receipt_fen, ==, 1234);
  g_assert_nonnull (t->paid_at);
  g_assert_nonnull (t->buyer_logon_id);
  till_alipay_trade_free (t);
  t = query (f, otn, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (t->trade_status, ==, "TRADE_SUCCESS");
  g_assert_cmpint (t->total_fen, ==, 1234);
  till_alipay_trade_free (t);
  g_free (otn);

  /* 1111: 10003, the customer types the password, then paid */
  otn = till_test_paysim_new_reference ("T");
  t = pay (f, otn, "1111", 500, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (t->code, ==, "10003");
  g_assert_null (t->paid_at);
  till_alipay_trade_free (t);
  status = status_of (f, otn);
  g_assert_cmpstr (status, ==, "WAIT_BUYER_PAY");
  g_free (status);
  spin (500);
  status = status_of (f, otn);
  g_assert_cmpstr (status, ==, "TRADE_SUCCESS");
  g_free (status);
  g_free (otn);

  /* 2222, 3333: refused, signed; no trade */
  {
    const char *const endings[] = { "2222", "3333" };
    const char *const codes[] = { "ACQ.BUYER_BALANCE_NOT_ENOUGH", "ACQ.PAYMENT_AUTH_CODE_INVALID" };

    for (guint i = 0; i < 2; i++)
      {
        otn = till_test_paysim_new_reference ("T");
        g_assert_null (pay (f, otn, endings[i], 500, &error));
        assert_provider_error (error, codes[i]);
        g_assert_true (till_pay_error_describe_code (codes[i]) != NULL);
        g_assert_cmpstr (error->message, ==, till_pay_error_describe_code (codes[i]));
        g_clear_error (&error);
        status = status_of (f, otn);
        g_assert_cmpstr (status, ==, "ACQ.TRADE_NOT_EXIST");
        g_free (status);
        g_free (otn);
      }
  }

  /* 4444: 20000, but paid */
  otn = till_test_paysim_new_reference ("T");
  g_assert_null (pay (f, otn, "4444", 500, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SERVER);
  g_assert_cmpstr (till_pay_error_get_provider_code (error), ==, "isp.unknow-error");
  g_clear_error (&error);
  status = status_of (f, otn);
  g_assert_cmpstr (status, ==, "TRADE_SUCCESS");
  g_free (status);
  g_free (otn);

  /* 5555: no answer within the client's 1.5 s; paid */
  otn = till_test_paysim_new_reference ("T");
  g_assert_null (pay (f, otn, "5555", 500, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_TIMEOUT);
  g_clear_error (&error);
  status = status_of (f, otn);
  g_assert_cmpstr (status, ==, "TRADE_SUCCESS");
  g_free (status);
  g_free (otn);

  /* 6666: waits until cancelled */
  otn = till_test_paysim_new_reference ("T");
  t = pay (f, otn, "6666", 500, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (t->code, ==, "10003");
  till_alipay_trade_free (t);
  spin (400);
  status = status_of (f, otn);
  g_assert_cmpstr (status, ==, "WAIT_BUYER_PAY");
  g_free (status);
  {
    g_autoptr(TillAlipayCancel) c = cancel (f, otn, &error);

    g_assert_no_error (error);
    g_assert_false (c->retry);
    g_assert_cmpstr (c->action, ==, "close");
  }
  status = status_of (f, otn);
  g_assert_cmpstr (status, ==, "TRADE_CLOSED");
  g_free (status);
  g_free (otn);

  /* 7777: 10003, then closed after 6 s (the simulator's clock moved on) */
  otn = till_test_paysim_new_reference ("T");
  t = pay (f, otn, "7777", 500, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (t->code, ==, "10003");
  till_alipay_trade_free (t);
  g_assert_true (till_test_paysim_set_clock (f->sim, 7, &error));
  status = status_of (f, otn);
  g_assert_cmpstr (status, ==, "TRADE_CLOSED");
  g_free (status);
  g_assert_true (till_test_paysim_set_clock (f->sim, 0, &error));
  g_free (otn);

  /* 8888: a paid answer with a wrong signature is no answer; the query is signed well */
  otn = till_test_paysim_new_reference ("T");
  g_assert_null (pay (f, otn, "8888", 500, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
  g_assert_null (till_pay_error_get_provider_code (error));
  g_clear_error (&error);
  status = status_of (f, otn);
  g_assert_cmpstr (status, ==, "TRADE_SUCCESS");
  g_free (status);
  g_free (otn);

  /* 9999: the line drops after the payment */
  otn = till_test_paysim_new_reference ("T");
  g_assert_null (pay (f, otn, "9999", 500, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_CONNECTION_LOST);
  g_clear_error (&error);
  status = status_of (f, otn);
  g_assert_cmpstr (status, ==, "TRADE_SUCCESS");
  g_free (status);
  g_free (otn);

  /* above ¥1000.00 a plain success waits for the password */
  otn = till_test_paysim_new_reference ("T");
  t = pay (f, otn, "0000", 100001, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (t->code, ==, "10003");
  till_alipay_trade_free (t);
  g_free (otn);
}

/* ---------------------------------------------------------------- faults */

static void
arm (Fixture    *f,
     const char *method,
     const char *kind,
     guint       ms,
     guint       status,
     guint       count)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (till_test_paysim_arm_alipay_fault (f->sim, method, kind, ms, status, count,
                                                    &error));
  g_assert_no_error (error);
}

static void
test_faults (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("F");
  TillAlipayTrade *t;
  char *status;
  gint64 started;

  t = pay (f, otn, "0000", 700, &error);
  g_assert_no_error (error);
  till_alipay_trade_free (t);

  /* delay: answered late, within the client's limit; beyond it, a timeout */
  arm (f, "alipay.trade.query", "delay", 400, 0, 1);
  started = g_get_monotonic_time ();
  status = status_of (f, otn);
  g_assert_cmpstr (status, ==, "TRADE_SUCCESS");
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 400 * 1000);
  g_free (status);
  arm (f, "alipay.trade.query", "delay", 3000, 0, 1);
  g_assert_null (query (f, otn, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_TIMEOUT);
  g_clear_error (&error);

  /* status: 5xx is a server error, anything else an answer the client cannot read */
  arm (f, "alipay.trade.query", "status", 0, 502, 1);
  g_assert_null (query (f, otn, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SERVER);
  g_assert_cmpuint (till_pay_error_get_http_status (error), ==, 502);
  g_clear_error (&error);
  arm (f, "alipay.trade.query", "status", 0, 404, 1);
  g_assert_null (query (f, otn, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* badsig, nosig: not an answer */
  arm (f, "alipay.trade.query", "badsig", 0, 0, 1);
  g_assert_null (query (f, otn, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
  g_clear_error (&error);
  arm (f, "alipay.trade.query", "nosig", 0, 0, 1);
  g_assert_null (query (f, otn, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
  g_clear_error (&error);

  /* drop: not processed — or, with apply, processed and the answer lost */
  {
    g_autofree char *dropped = till_test_paysim_new_reference ("F");
    g_autofree char *applied = till_test_paysim_new_reference ("F");
    g_autoptr(GError) e2 = NULL;
    guint code;

    arm (f, "alipay.trade.pay", "drop", 0, 0, 1);
    g_assert_null (pay (f, dropped, "0000", 100, &error));
    g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_CONNECTION_LOST);
    g_clear_error (&error);
    status = status_of (f, dropped);
    g_assert_cmpstr (status, ==, "ACQ.TRADE_NOT_EXIST");
    g_free (status);

    code = till_test_paysim_control (f->sim, "POST", "/_sim/faults",
                                     "{\"path_prefix\":\"/gateway.do\",\"kind\":\"drop\","
                                     "\"apply\":true,\"method\":\"alipay.trade.pay\"}", NULL, &e2);
    g_assert_cmpuint (code, ==, 200);
    g_assert_null (pay (f, applied, "0000", 100, &error));
    g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_CONNECTION_LOST);
    g_clear_error (&error);
    status = status_of (f, applied);
    g_assert_cmpstr (status, ==, "TRADE_SUCCESS");
    g_free (status);
  }

  /* unknown: the work is done, the answer is 20000 */
  {
    g_autofree char *u = till_test_paysim_new_reference ("F");

    arm (f, "alipay.trade.pay", "unknown", 0, 0, 1);
    g_assert_null (pay (f, u, "0000", 100, &error));
    g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SERVER);
    g_clear_error (&error);
    status = status_of (f, u);
    g_assert_cmpstr (status, ==, "TRADE_SUCCESS");
    g_free (status);
  }

  /* rollback: answered paid, the trade ends closed and never paid */
  {
    g_autofree char *r = till_test_paysim_new_reference ("F");
    g_autoptr(TillAlipayTrade) later = NULL;

    arm (f, NULL, "rollback", 0, 0, 1);
    t = pay (f, r, "0000", 100, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (t->code, ==, "10000");
    till_alipay_trade_free (t);
    later = query (f, r, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (later->trade_status, ==, "TRADE_CLOSED");
    g_assert_null (later->paid_at);
  }

  /* retry_flag: the cancel is not done, twice; then it is */
  {
    g_autofree char *w = till_test_paysim_new_reference ("F");
    TillAlipayCancel *c;

    t = pay (f, w, "6666", 100, &error);
    g_assert_no_error (error);
    till_alipay_trade_free (t);
    arm (f, NULL, "retry_flag", 0, 0, 2);
    for (int i = 0; i < 2; i++)
      {
        c = cancel (f, w, &error);
        g_assert_no_error (error);
        g_assert_true (c->retry);
        g_assert_null (c->action);
        till_alipay_cancel_free (c);
        status = status_of (f, w);
        g_assert_cmpstr (status, ==, "WAIT_BUYER_PAY");
        g_free (status);
      }
    c = cancel (f, w, &error);
    g_assert_no_error (error);
    g_assert_false (c->retry);
    g_assert_cmpstr (c->action, ==, "close");
    till_alipay_cancel_free (c);
  }
}

/* ---------------------------------------------------------------- cancel, close */

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *paid = till_test_paysim_new_reference ("C");
  g_autofree char *unknown = till_test_paysim_new_reference ("C");
  g_autofree char *old = till_test_paysim_new_reference ("C");
  TillAlipayCancel *c;
  TillAlipayTrade *t;

  /* paid: given back in full */
  t = pay (f, paid, "0000", 900, &error);
  g_assert_no_error (error);
  till_alipay_trade_free (t);
  c = cancel (f, paid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->action, ==, "refund");
  till_alipay_cancel_free (c);
  {
    g_autoptr(JsonObject) o = till_test_paysim_ledger_order (f->sim, paid, &error);
    g_autoptr(TillAlipayTrade) after = query (f, paid, &error);

    g_assert_no_error (error);
    g_assert_true (json_object_get_boolean_member (o, "reversed_after_payment"));
    g_assert_cmpint (json_object_get_int_member (o, "net"), ==, 0);
    g_assert_cmpstr (after->trade_status, ==, "TRADE_CLOSED");
    /* it had been paid: that is how a query tells a reversal from a close */
    g_assert_nonnull (after->paid_at);
  }
  /* again: the same answer */
  c = cancel (f, paid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->action, ==, "refund");
  till_alipay_cancel_free (c);

  /* no such trade: success, no action, and the number is dead */
  c = cancel (f, unknown, &error);
  g_assert_no_error (error);
  g_assert_false (c->retry);
  g_assert_null (c->action);
  till_alipay_cancel_free (c);
  g_assert_null (pay (f, unknown, "0000", 100, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER);
  g_assert_cmpstr (till_pay_error_get_provider_code (error), ==, "ACQ.TRADE_HAS_CLOSE");
  g_clear_error (&error);

  /* more than 24 h later: too late to cancel (both clocks move on) */
  t = pay (f, old, "0000", 100, &error);
  g_assert_no_error (error);
  till_alipay_trade_free (t);
  till_clock_set_offset_for_testing (G_GINT64_CONSTANT (25) * 3600 * G_USEC_PER_SEC);
  g_assert_true (till_test_paysim_set_clock (f->sim, 25 * 3600, &error));
  g_assert_null (cancel (f, old, &error));
  assert_provider_error (error, "ACQ.TRADE_CANCEL_TIME_OUT");
}

static void
test_close (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("Q");
  g_autofree char *paid = till_test_paysim_new_reference ("Q");
  g_autofree char *qr = NULL;
  TillAlipayPrecreateRequest request = {
    .out_trade_no = otn, .amount_fen = 800, .subject = "Tillpoint 扫码", .store_id = "S01",
    .terminal_id = "POS01", .timeout_express = "5m",
  };
  char *status;

  g_clear_object (&f->result);
  till_alipay_client_precreate_async (f->client, &request, NULL, done_cb, f);
  qr = till_alipay_client_precreate_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (qr, till_test_paysim_get_base_url (f->sim)));
  g_assert_nonnull (strstr (qr, "/_sim/alipay/qr/"));
  g_assert_true (g_str_has_suffix (qr, otn));
  /* not scanned: no trade, nothing to close */
  status = status_of (f, otn);
  g_assert_cmpstr (status, ==, "ACQ.TRADE_NOT_EXIST");
  g_free (status);
  g_assert_false (close_order (f, otn, &error));
  assert_provider_error (error, "ACQ.TRADE_NOT_EXIST");
  g_clear_error (&error);
  /* scanned, the customer typing the password: closed */
  g_assert_true (till_test_paysim_alipay_scan (f->sim, otn, "password", &error));
  g_assert_no_error (error);
  status = status_of (f, otn);
  g_assert_cmpstr (status, ==, "WAIT_BUYER_PAY");
  g_free (status);
  g_assert_true (close_order (f, otn, &error));
  g_assert_no_error (error);
  status = status_of (f, otn);
  g_assert_cmpstr (status, ==, "TRADE_CLOSED");
  g_free (status);
  spin (400);   /* the password would have come now: closed stays closed */
  status = status_of (f, otn);
  g_assert_cmpstr (status, ==, "TRADE_CLOSED");
  g_free (status);
  g_assert_false (till_test_paysim_alipay_scan (f->sim, otn, "pay", &error));
  g_clear_error (&error);

  /* paid by the scan: not closable */
  request.out_trade_no = paid;
  g_clear_object (&f->result);
  till_alipay_client_precreate_async (f->client, &request, NULL, done_cb, f);
  g_free (till_alipay_client_precreate_finish (f->client, wait_result (f), &error));
  g_assert_no_error (error);
  g_assert_true (till_test_paysim_alipay_scan (f->sim, paid, "pay", &error));
  status = status_of (f, paid);
  g_assert_cmpstr (status, ==, "TRADE_SUCCESS");
  g_free (status);
  g_assert_false (close_order (f, paid, &error));
  assert_provider_error (error, "ACQ.TRADE_STATUS_ERROR");
}

/* ---------------------------------------------------------------- refunds */

static void
test_refund (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("R");
  TillAlipayTrade *t;
  TillAlipayRefund *r;

  t = pay (f, otn, "0000", 1000, &error);
  g_assert_no_error (error);
  till_alipay_trade_free (t);

  r = refund (f, otn, "R1", 300, &error);
  g_assert_no_error (error);
  g_assert_true (r->fund_change);
  g_assert_cmpint (r->refund_fee_fen, ==, 300);
  till_alipay_refund_free (r);
  /* the same again: no money moves */
  r = refund (f, otn, "R1", 300, &error);
  g_assert_no_error (error);
  g_assert_false (r->fund_change);
  g_assert_cmpint (r->refund_fee_fen, ==, 300);
  till_alipay_refund_free (r);
  /* the same number, another amount; more than is left */
  g_assert_null (refund (f, otn, "R1", 301, &error));
  assert_provider_error (error, "ACQ.DISCORDANT_REPEAT_REQUEST");
  g_clear_error (&error);
  g_assert_null (refund (f, otn, "R2", 701, &error));
  assert_provider_error (error, "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL");
  g_clear_error (&error);
  /* the rest: the trade is closed, refunded in full */
  r = refund (f, otn, "R2", 700, &error);
  g_assert_no_error (error);
  g_assert_true (r->fund_change);
  g_assert_cmpint (r->refund_fee_fen, ==, 1000);
  till_alipay_refund_free (r);
  {
    g_autoptr(TillAlipayTrade) after = query (f, otn, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (after->trade_status, ==, "TRADE_CLOSED");
  }

  r = refund_query (f, otn, "R1", &error);
  g_assert_no_error (error);
  g_assert_true (r->found);
  g_assert_cmpstr (r->refund_status, ==, "REFUND_SUCCESS");
  g_assert_cmpint (r->refund_fen, ==, 300);
  g_assert_cmpint (r->total_fen, ==, 1000);
  g_assert_cmpstr (r->out_request_no, ==, "R1");
  till_alipay_refund_free (r);
  r = refund_query (f, otn, "R9", &error);
  g_assert_no_error (error);
  g_assert_false (r->found);
  till_alipay_refund_free (r);

  /* a trade Alipay never had */
  g_assert_null (refund (f, "NO_SUCH_TRADE", "R1", 100, &error));
  assert_provider_error (error, "ACQ.TRADE_NOT_EXIST");
}

static void
test_refund_strict (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("S");
  TillAlipayTrade *t = pay (f, otn, "0000", 1000, &error);
  TillAlipayRefund *r;

  g_assert_no_error (error);
  till_alipay_trade_free (t);
  r = refund (f, otn, "R1", 100, &error);
  g_assert_no_error (error);
  till_alipay_refund_free (r);
  /* within 3 s of the last one: refused as "busy" (the same request later is fine) */
  g_assert_null (refund (f, otn, "R2", 100, &error));
  assert_provider_error (error, "ACQ.SYSTEM_ERROR");
  g_clear_error (&error);
  g_assert_true (till_test_paysim_set_clock (f->sim, 4, &error));
  r = refund (f, otn, "R2", 100, &error);
  g_assert_no_error (error);
  g_assert_true (r->fund_change);
  till_alipay_refund_free (r);
}

/* ---------------------------------------------------------------- the bill */

static char *
beijing_date (gint days)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, days);

  return g_date_time_format (day, "%Y-%m-%d");
}

static const TillBillRow *
find_row (TillBill        *bill,
          TillBillRowKind  kind,
          const char      *key)
{
  for (guint i = 0; i < bill->rows->len; i++)
    {
      const TillBillRow *row = g_ptr_array_index (bill->rows, i);

      if (row->kind == kind
          && g_strcmp0 (kind == TILL_BILL_ROW_REFUND ? row->out_refund_no : row->out_trade_no,
                        key) == 0)
        return row;
    }
  return NULL;
}

static void
test_bill (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *today = beijing_date (0);
  g_autofree char *yesterday = beijing_date (-1);
  g_autofree char *sold = till_test_paysim_new_reference ("B");
  g_autofree char *reversed = till_test_paysim_new_reference ("B");
  g_autofree char *url = NULL;
  g_autoptr(TillBill) bill = NULL;
  const TillBillRow *row;
  TillAlipayTrade *t;

  t = pay (f, sold, "0000", 1234, &error);
  g_assert_no_error (error);
  till_alipay_trade_free (t);
  till_alipay_refund_free (refund (f, sold, "RB1", 234, &error));
  g_assert_no_error (error);
  t = pay (f, reversed, "0000", 555, &error);
  g_assert_no_error (error);
  till_alipay_trade_free (t);
  till_alipay_cancel_free (cancel (f, reversed, &error));
  g_assert_no_error (error);

  /* today: not made yet */
  g_clear_object (&f->result);
  till_alipay_client_bill_url_async (f->client, today, NULL, done_cb, f);
  g_assert_null (till_alipay_client_bill_url_finish (f->client, wait_result (f), &error));
  assert_provider_error (error, "invalid_arguments");
  g_clear_error (&error);
  /* a day without trades */
  g_clear_object (&f->result);
  till_alipay_client_bill_url_async (f->client, yesterday, NULL, done_cb, f);
  g_assert_null (till_alipay_client_bill_url_finish (f->client, wait_result (f), &error));
  assert_provider_error (error, "isp.bill_not_exist");
  g_clear_error (&error);

  g_assert_true (till_test_paysim_release_bill (f->sim, today, &error));
  g_clear_object (&f->result);
  till_alipay_client_bill_url_async (f->client, today, NULL, done_cb, f);
  url = till_alipay_client_bill_url_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  g_clear_object (&f->result);
  till_alipay_client_download_bill_async (f->client, url, NULL, done_cb, f);
  bill = till_alipay_client_download_bill_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);

  g_assert_cmpuint (bill->rows->len, ==, 3);
  row = find_row (bill, TILL_BILL_ROW_PAYMENT, sold);
  g_assert_nonnull (row);
  g_assert_cmpint (row->state, ==, TILL_BILL_ROW_DONE);
  g_assert_cmpint (row->order_fen, ==, 1234);
  g_assert_cmpuint (strlen (row->transaction_id), ==, 28);
  g_assert_cmpstr (row->product, ==, "Tillpoint 测试");
  row = find_row (bill, TILL_BILL_ROW_REFUND, "RB1");
  g_assert_nonnull (row);
  g_assert_cmpint (row->state, ==, TILL_BILL_ROW_DONE);
  g_assert_cmpint (row->refund_fen, ==, 234);
  g_assert_cmpstr (row->out_trade_no, ==, sold);
  /* the cancel that gave the money back: the trade reversed, as WeChat Pay's REVOKED */
  row = find_row (bill, TILL_BILL_ROW_PAYMENT, reversed);
  g_assert_nonnull (row);
  g_assert_cmpint (row->state, ==, TILL_BILL_ROW_REVERSED);
  g_assert_cmpint (row->order_fen, ==, 555);

  /* the address is dead after 30 s: the download says so (fetch the bill again) */
  g_assert_true (till_test_paysim_set_clock (f->sim, 31, &error));
  g_clear_object (&f->result);
  till_alipay_client_download_bill_async (f->client, url, NULL, done_cb, f);
  g_assert_null (till_alipay_client_download_bill_finish (f->client, wait_result (f), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_CORRUPT);
  g_assert_cmpuint (till_pay_error_get_http_status (error), ==, 404);
}

/* ---------------------------------------------------------------- the clock */

static void
test_clock (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otn = till_test_paysim_new_reference ("K");
  char *status;
  gint64 skew;

  g_assert_cmpint (till_alipay_client_get_clock_skew_seconds (f->client), ==, 0);
  status = status_of (f, otn);
  g_free (status);
  g_assert_cmpint (till_alipay_client_get_clock_skew_seconds (f->client), ==, 0);

  /* Alipay's clock ten minutes ahead: its answers still count, the skew is seen */
  g_assert_true (till_test_paysim_set_clock (f->sim, 600, &error));
  status = status_of (f, otn);
  g_assert_cmpstr (status, ==, "ACQ.TRADE_NOT_EXIST");
  g_free (status);
  skew = till_alipay_client_get_clock_skew_seconds (f->client);
  g_assert_cmpint (skew, >=, 598);
  g_assert_cmpint (skew, <=, 602);

  /* twenty minutes: Alipay refuses the till's timestamp; the skew says why */
  g_assert_true (till_test_paysim_set_clock (f->sim, -1200, &error));
  g_assert_null (query (f, otn, &error));
  assert_provider_error (error, "isv.invalid-timestamp");
  g_assert_nonnull (strstr (error->message, "date and time"));
  g_clear_error (&error);
  skew = till_alipay_client_get_clock_skew_seconds (f->client);
  g_assert_cmpint (skew, <=, -1198);

  g_assert_true (till_test_paysim_set_clock (f->sim, 0, &error));
  status = status_of (f, otn);
  g_free (status);
  g_assert_cmpint (till_alipay_client_get_clock_skew_seconds (f->client), ==, 0);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/alipay-client-paysim/endings", Fixture, NULL, setup, test_endings, teardown);
  g_test_add ("/alipay-client-paysim/faults", Fixture, NULL, setup, test_faults, teardown);
  g_test_add ("/alipay-client-paysim/cancel", Fixture, NULL, setup, test_cancel, teardown);
  g_test_add ("/alipay-client-paysim/close", Fixture, NULL, setup, test_close, teardown);
  g_test_add ("/alipay-client-paysim/refund", Fixture, NULL, setup, test_refund, teardown);
  g_test_add ("/alipay-client-paysim/refund-strict", Fixture, NULL, setup_strict,
              test_refund_strict, teardown);
  g_test_add ("/alipay-client-paysim/bill", Fixture, NULL, setup, test_bill, teardown);
  g_test_add ("/alipay-client-paysim/clock", Fixture, NULL, setup, test_clock, teardown);
  return g_test_run ();
}
