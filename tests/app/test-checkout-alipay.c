/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCheckout with both providers set up, against the real simulator: an Alipay payment
 * code goes to Alipay and a WeChat Pay code to WeChat Pay on the same till; the customer
 * scans an Alipay precreate QR (paid, or cancelled: the number closed, also through the
 * outbox while Alipay cannot be reached, the cashier told so); one sale paid part
 * by a refused WeChat code, then by Alipay; an Alipay payment resumed after a crash; a
 * partial refund of an Alipay sale through the refund service; F7's provider from the
 * setting; Alipay not set up: its codes refused before anything is stored. Every result
 * is read back from the SQLite file and the simulator's ledger. */
#include "config.h"

#include <string.h>

#include "till-payment-runtime.h"
#include "till-refund-service.h"
#include "till-store-payments.h"
#include "till-store-refunds.h"
#include "till-test-app.h"

#define COLA  "6954767002057"   /* 可口可乐 500ml, ¥3.50 */
#define CHIPS "6924678006079"   /* 乐事薯片原味 70g, ¥7.50 */

/* ---- helpers ---- */

static gboolean
sale_paid_cond (TillTestApp *app,
                gpointer     data)
{
  TillSale *sale = till_checkout_get_sale (app->checkout);

  return sale != NULL && till_sale_get_state (sale) == TILL_SALE_STATE_PAID;
}

static gboolean
payment_state_is (TillTestApp *app,
                  gpointer     state)
{
  return g_strcmp0 (till_checkout_get_payment_state (app->checkout), state) == 0;
}

static gboolean
code_url_shown (TillTestApp *app,
                gpointer     data)
{
  return till_checkout_get_code_url (app->checkout) != NULL;
}

static gboolean
status_is (TillTestApp *app,
           gpointer     status)
{
  return (int) till_payment_runtime_get_payment_status (
           till_context_get_payment_runtime (app->context)) == GPOINTER_TO_INT (status);
}

static GPtrArray *
sale_payments (TillTestApp *app,
               TillSale    *sale)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *payments;

  till_store_flush (app->store);
  payments = till_store_list_sale_payments (app->store, till_sale_get_id (sale), &error);
  g_assert_no_error (error);
  return payments;
}

static JsonObject *
ledger_order (TillTestApp *app,
              const char  *out_trade_no)
{
  g_autoptr(GError) error = NULL;
  JsonObject *order = till_test_paysim_ledger_order (app->sim, out_trade_no, &error);

  g_assert_no_error (error);
  g_assert_nonnull (order);
  return order;
}

/* ---- both providers on one till ---- */

static void
test_both_ready (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, NULL);
  TillPaymentRuntime *runtime = till_context_get_payment_runtime (app->context);
  TillPaymentService *service = till_payment_runtime_get_payment_service (runtime);
  g_autofree char *ali = till_test_paysim_alipay_auth_code ("0000");
  g_autofree char *wx = till_test_app_wechat_code ("0000");

  g_assert_cmpuint (till_payment_runtime_get_providers (runtime)->len, ==, 2);
  g_assert_nonnull (till_payment_runtime_get_provider (runtime, "wechat"));
  g_assert_nonnull (till_payment_runtime_get_provider (runtime, "alipay"));
  g_assert_null (till_payment_runtime_get_provider_problem (runtime, "alipay"));
  g_assert_true (till_payment_service_get_provider_for_code (service, ali)
                 == till_payment_runtime_get_provider (runtime, "alipay"));
  g_assert_true (till_payment_service_get_provider_for_code (service, wx)
                 == till_payment_runtime_get_provider (runtime, "wechat"));
  g_assert_null (till_payment_service_get_provider_for_code (service, "6212345678901234567"));
}

/* An Alipay code and a WeChat Pay code, one sale each, on the same till: each goes to its
 * own provider and is recorded with its own method. */
static void
test_code_routed (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, NULL);
  g_autofree char *ali = till_test_paysim_alipay_auth_code ("0000");
  g_autofree char *wx = till_test_app_wechat_code ("0000");
  g_autoptr(TillSale) first = NULL;
  g_autoptr(TillSale) second = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(GError) error = NULL;
  const TillPaymentRecord *p;

  till_test_app_scan (app, CHIPS);
  first = g_object_ref (till_checkout_get_sale (app->checkout));
  till_checkout_enter_code (app->checkout, ali);
  till_test_app_wait (app, sale_paid_cond, NULL, 10000, "the Alipay sale to be paid");
  till_test_app_settle (app);
  g_assert_cmpint (till_checkout_get_payment_method (app->checkout), ==,
                   TILL_PAYMENT_METHOD_ALIPAY_CODE);
  g_assert_nonnull (strstr (till_checkout_get_payment_message (app->checkout), "Alipay"));
  payments = sale_payments (app, first);
  g_assert_cmpuint (payments->len, ==, 1);
  p = g_ptr_array_index (payments, 0);
  g_assert_cmpint (p->method, ==, TILL_PAYMENT_METHOD_ALIPAY_CODE);
  g_assert_cmpint (p->state, ==, TILL_PAYMENT_STATE_PAID);
  g_assert_cmpint (p->amount_fen, ==, 750);
  g_assert_cmpstr (p->auth_code_last4, ==, "0000");
  order = ledger_order (app, p->out_trade_no);
  g_assert_cmpstr (json_object_get_string_member (order, "provider"), ==, "alipay");
  g_assert_cmpstr (json_object_get_string_member (order, "state"), ==, "TRADE_SUCCESS");
  g_assert_cmpint (json_object_get_int_member (order, "charged"), ==, 750);
  g_assert_cmpstr (json_object_get_string_member (order, "transaction_id"), ==,
                   p->transaction_id);
  g_clear_pointer (&order, json_object_unref);
  g_clear_pointer (&payments, g_ptr_array_unref);

  g_assert_true (till_checkout_new_sale (app->checkout, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  till_test_app_scan (app, COLA);
  second = g_object_ref (till_checkout_get_sale (app->checkout));
  till_checkout_enter_code (app->checkout, wx);
  till_test_app_wait (app, sale_paid_cond, NULL, 10000, "the WeChat Pay sale to be paid");
  till_test_app_settle (app);
  payments = sale_payments (app, second);
  p = g_ptr_array_index (payments, 0);
  g_assert_cmpint (p->method, ==, TILL_PAYMENT_METHOD_WECHAT_CODE);
  order = ledger_order (app, p->out_trade_no);
  g_assert_cmpstr (json_object_get_string_member (order, "provider"), ==, "wechat");
  g_assert_cmpstr (json_object_get_string_member (order, "state"), ==, "SUCCESS");
}

/* A WeChat Pay code refused (not enough money), then the customer's Alipay code pays the
 * same sale: a new attempt with a new order number, at the other provider. */
static void
test_refused_then_alipay (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, NULL);
  g_autofree char *poor = till_test_app_wechat_code ("2222");
  g_autofree char *ali = till_test_paysim_alipay_auth_code ("0000");
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  const TillPaymentRecord *a, *b;

  till_test_app_scan (app, CHIPS);
  sale = g_object_ref (till_checkout_get_sale (app->checkout));
  till_checkout_enter_code (app->checkout, poor);
  till_test_app_wait (app, payment_state_is, "failed", 10000, "the refusal");
  till_test_app_settle (app);
  till_checkout_enter_code (app->checkout, ali);
  till_test_app_wait (app, sale_paid_cond, NULL, 10000, "the Alipay payment");
  till_test_app_settle (app);

  payments = sale_payments (app, sale);
  g_assert_cmpuint (payments->len, ==, 2);
  a = g_ptr_array_index (payments, 0);
  b = g_ptr_array_index (payments, 1);
  g_assert_cmpint (a->method, ==, TILL_PAYMENT_METHOD_WECHAT_CODE);
  g_assert_cmpint (a->state, ==, TILL_PAYMENT_STATE_FAILED);
  g_assert_cmpint (b->method, ==, TILL_PAYMENT_METHOD_ALIPAY_CODE);
  g_assert_cmpint (b->state, ==, TILL_PAYMENT_STATE_PAID);
  g_assert_cmpstr (a->out_trade_no, !=, b->out_trade_no);
  g_assert_cmpint (till_checkout_get_paid_fen (app->checkout), ==, 750);
}

/* Split tender: cash for part, Alipay for the rest. */
static void
test_split_cash_alipay (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, NULL);
  g_autofree char *ali = till_test_paysim_alipay_auth_code ("0000");
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GError) error = NULL;
  const TillPaymentRecord *p;

  till_test_app_scan (app, CHIPS);
  till_test_app_scan (app, COLA);
  sale = g_object_ref (till_checkout_get_sale (app->checkout));
  g_assert_true (till_checkout_pay_part_cash (app->checkout, 1100, 500, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  till_checkout_enter_code (app->checkout, ali);
  till_test_app_wait (app, sale_paid_cond, NULL, 10000, "the sale to be paid");
  till_test_app_settle (app);
  payments = sale_payments (app, sale);
  g_assert_cmpuint (payments->len, ==, 2);
  p = g_ptr_array_index (payments, 1);
  g_assert_cmpint (p->method, ==, TILL_PAYMENT_METHOD_ALIPAY_CODE);
  g_assert_cmpint (p->amount_fen, ==, 600);
  g_assert_cmpint (till_checkout_get_paid_fen (app->checkout), ==, 1100);
}

/* ---- the customer scans: Alipay precreate ---- */

static void
test_qr_alipay_paid (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, NULL);
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(GError) error = NULL;
  const TillPaymentRecord *p;

  till_test_app_scan (app, COLA);
  sale = g_object_ref (till_checkout_get_sale (app->checkout));
  g_assert_true (till_checkout_pay_qr (app->checkout, "alipay", &error));
  g_assert_no_error (error);
  till_test_app_wait (app, code_url_shown, NULL, 10000, "the Alipay QR");
  g_assert_cmpint (till_checkout_get_payment_method (app->checkout), ==,
                   TILL_PAYMENT_METHOD_ALIPAY_QR);
  g_assert_nonnull (strstr (till_checkout_get_message (app->checkout), "Alipay"));
  payments = sale_payments (app, sale);
  p = g_ptr_array_index (payments, 0);
  g_assert_cmpint (p->method, ==, TILL_PAYMENT_METHOD_ALIPAY_QR);

  /* The customer scans the QR on the customer display and pays. */
  g_assert_true (till_test_paysim_alipay_scan (app->sim, p->out_trade_no, "pay", &error));
  g_assert_no_error (error);
  till_test_app_wait (app, sale_paid_cond, NULL, 10000, "the scanned order to be paid");
  till_test_app_settle (app);
  g_assert_null (till_checkout_get_code_url (app->checkout));
  order = ledger_order (app, p->out_trade_no);
  g_assert_cmpstr (json_object_get_string_member (order, "provider"), ==, "alipay");
  g_assert_cmpstr (json_object_get_string_member (order, "trade_type"), ==, "PRECREATE");
  g_assert_cmpint (json_object_get_int_member (order, "charged"), ==, 350);
}

/* The cashier gives up before the customer scans: the number is closed for good, a late
 * scan cannot pay it, and the sale is paid in cash. */
static void
test_qr_alipay_cancelled (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, NULL);
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GError) error = NULL;
  const TillPaymentRecord *p;

  till_test_app_scan (app, COLA);
  sale = g_object_ref (till_checkout_get_sale (app->checkout));
  g_assert_true (till_checkout_pay_qr (app->checkout, "alipay", &error));
  till_test_app_wait (app, code_url_shown, NULL, 10000, "the Alipay QR");
  g_assert_true (till_checkout_cancel_payment (app->checkout, &error));
  g_assert_no_error (error);
  till_test_app_wait (app, payment_state_is, "closed", 15000, "the order to be closed");
  till_test_app_settle (app);
  payments = sale_payments (app, sale);
  p = g_ptr_array_index (payments, 0);
  g_assert_cmpint (p->state, ==, TILL_PAYMENT_STATE_CLOSED);

  /* The customer scans the old QR too late: refused, nothing charged. */
  g_assert_false (till_test_paysim_alipay_scan (app->sim, p->out_trade_no, "pay", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  {
    g_autoptr(JsonObject) order = till_test_paysim_ledger_order (app->sim, p->out_trade_no,
                                                                 &error);
    g_assert_no_error (error);
    if (order != NULL)
      g_assert_cmpint (json_object_get_int_member (order, "charged"), ==, 0);
  }
  g_assert_true (till_checkout_pay_cash (app->checkout, 350, 500, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_cmpint (till_sale_get_state (till_checkout_get_sale (app->checkout)), ==,
                   TILL_SALE_STATE_PAID);
}

static void
record_message_cb (TillPaymentService *service,
                   gint64              payment_id,
                   const char         *state,
                   const char         *message,
                   GPtrArray          *messages)
{
  g_ptr_array_add (messages, g_strdup (message != NULL ? message : ""));
}

static gboolean
message_seen (GPtrArray  *messages,
              const char *needle)
{
  for (guint i = 0; i < messages->len; i++)
    if (strstr (g_ptr_array_index (messages, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

/* Alipay cannot close the QR order now (HTTP 500): the close is left to the outbox, and the
 * cashier reads that it finishes when Alipay — not WeChat Pay — can be reached; it does. */
static void
test_qr_alipay_close_queued (void)
{
  TillPaymentRuntimeTuning tuning = { .reverse_attempts = 2, .reverse_retry_ms = 100,
                                      .backoff_base_ms = 500, .backoff_cap_ms = 1000 };
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, &tuning);
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_signal_connect (till_payment_runtime_get_payment_service (
                      till_context_get_payment_runtime (app->context)),
                    "payment-changed", G_CALLBACK (record_message_cb), messages);
  till_test_app_scan (app, COLA);
  sale = g_object_ref (till_checkout_get_sale (app->checkout));
  g_assert_true (till_checkout_pay_qr (app->checkout, "alipay", &error));
  till_test_app_wait (app, code_url_shown, NULL, 10000, "the Alipay QR");
  /* both attempts here and the outbox's first */
  g_assert_true (till_test_paysim_arm_alipay_fault (app->sim, "alipay.trade.close", "status", 0,
                                                    500, 3, &error));
  g_assert_no_error (error);
  g_assert_true (till_checkout_cancel_payment (app->checkout, &error));
  g_assert_no_error (error);
  till_test_app_wait (app, payment_state_is, "closed", 20000, "the outbox to close the order");
  till_test_app_settle (app);
  g_signal_handlers_disconnect_by_data (till_payment_runtime_get_payment_service (
                                          till_context_get_payment_runtime (app->context)),
                                        messages);
  g_assert_true (message_seen (messages, "The cancellation will finish by itself when Alipay "
                                         "can be reached"));
  g_assert_false (message_seen (messages, "WeChat"));
  payments = sale_payments (app, sale);
  g_assert_cmpint (((TillPaymentRecord *) payments->pdata[0])->state, ==,
                   TILL_PAYMENT_STATE_CLOSED);
  g_assert_cmpint (((TillPaymentRecord *) payments->pdata[0])->method, ==,
                   TILL_PAYMENT_METHOD_ALIPAY_QR);
}

/* F7 shows the provider of the setting; Shift+F7 the other. */
static void
test_qr_provider_setting (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, NULL);

  g_assert_cmpstr (till_checkout_get_qr_provider (app->checkout), ==, "wechat");
  g_assert_cmpstr (till_checkout_get_other_qr_provider (app->checkout), ==, "alipay");
  g_settings_set_string (app->settings, "qr-provider", "alipay");
  g_assert_cmpstr (till_checkout_get_qr_provider (app->checkout), ==, "alipay");
  g_assert_cmpstr (till_checkout_get_other_qr_provider (app->checkout), ==, "wechat");

  /* F7 (the default) now makes an Alipay order. */
  till_test_app_scan (app, COLA);
  g_assert_true (till_checkout_pay_native (app->checkout, NULL));
  till_test_app_wait (app, code_url_shown, NULL, 10000, "the QR");
  g_assert_cmpint (till_checkout_get_payment_method (app->checkout), ==,
                   TILL_PAYMENT_METHOD_ALIPAY_QR);
  g_assert_true (till_checkout_cancel_payment (app->checkout, NULL));
  till_test_app_wait (app, payment_state_is, "closed", 15000, "the order to be closed");
}

/* ---- after a crash ---- */

static void
test_resume_alipay (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, NULL);
  g_autofree char *password = till_test_paysim_alipay_auth_code ("1111");
  g_autofree char *number = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(JsonObject) order = NULL;
  TillSale *sale;
  const TillPaymentRecord *p;

  till_test_app_scan (app, CHIPS);
  number = g_strdup (till_sale_get_number (till_checkout_get_sale (app->checkout)));
  till_checkout_enter_code (app->checkout, password);
  till_test_app_wait (app, payment_state_is, "user_paying", 10000, "user paying");

  /* The till dies while the customer types the password; it starts again. */
  till_test_app_restart (app);
  sale = till_checkout_get_sale (app->checkout);
  g_assert_cmpstr (till_sale_get_number (sale), ==, number);
  till_test_app_wait (app, sale_paid_cond, NULL, 20000, "the resumed Alipay payment");
  till_test_app_settle (app);
  payments = sale_payments (app, sale);
  g_assert_cmpuint (payments->len, ==, 1);
  p = g_ptr_array_index (payments, 0);
  g_assert_cmpint (p->state, ==, TILL_PAYMENT_STATE_PAID);
  order = ledger_order (app, p->out_trade_no);
  g_assert_cmpint (json_object_get_int_member (order, "charged"), ==, 750);
}

/* ---- refunds ---- */

typedef struct
{
  gboolean  done;
  char     *message;
  GError   *error;
} RefundWait;

static void
refund_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  RefundWait *w = user_data;

  w->message = till_refund_service_refund_finish (TILL_REFUND_SERVICE (object), result,
                                                  &w->error);
  w->done = TRUE;
}

static gboolean
refund_done (TillTestApp *app,
             gpointer     data)
{
  return ((RefundWait *) data)->done;
}

static gboolean
refund_final (TillTestApp *app,
              gpointer     sale)
{
  g_autoptr(GPtrArray) refunds = till_store_list_sale_refunds (app->store,
                                                               till_sale_get_id (sale), NULL);

  for (guint i = 0; refunds != NULL && i < refunds->len; i++)
    if (((TillRefundRecord *) refunds->pdata[i])->state != TILL_REFUND_STATE_SUCCESS)
      return FALSE;
  return refunds != NULL && refunds->len > 0;
}

/* A partial refund of an Alipay sale goes to Alipay; the ledger's trade shows it. */
static void
test_refund_alipay (void)
{
  TillPaymentRuntimeTuning tuning = { .refund_query_delay_ms = 300 };
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, &tuning);
  g_autofree char *ali = till_test_paysim_alipay_auth_code ("0000");
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GPtrArray) refunds = NULL;
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(GError) error = NULL;
  TillRefundService *service;
  RefundWait w = { 0 };
  const TillRefundRecord *r;

  till_test_app_scan (app, CHIPS);
  sale = g_object_ref (till_checkout_get_sale (app->checkout));
  till_checkout_enter_code (app->checkout, ali);
  till_test_app_wait (app, sale_paid_cond, NULL, 10000, "the Alipay sale to be paid");
  till_test_app_settle (app);

  service = till_payment_runtime_get_refund_service (till_context_get_payment_runtime (app->context));
  till_refund_service_refund_async (service, till_sale_get_id (sale), 300, "坏了", "店长",
                                    NULL, refund_cb, &w);
  till_test_app_wait (app, refund_done, &w, 15000, "the refund");
  g_assert_no_error (w.error);
  g_free (w.message);
  till_test_app_wait (app, refund_final, sale, 15000, "the refund to succeed");

  refunds = till_store_list_sale_refunds (app->store, till_sale_get_id (sale), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (refunds->len, ==, 1);
  r = g_ptr_array_index (refunds, 0);
  g_assert_cmpint (r->method, ==, TILL_PAYMENT_METHOD_ALIPAY_CODE);
  g_assert_cmpint (r->amount_fen, ==, 300);
  payments = sale_payments (app, sale);
  order = ledger_order (app, ((TillPaymentRecord *) payments->pdata[0])->out_trade_no);
  g_assert_cmpint (json_object_get_int_member (order, "refunded"), ==, 300);
  g_assert_cmpint (json_object_get_int_member (order, "net"), ==, 450);
}

/* ---- Alipay not set up ---- */

static void
test_alipay_not_set_up (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, NULL);
  TillPaymentRuntime *runtime = till_context_get_payment_runtime (app->context);
  g_autofree char *ali = till_test_paysim_alipay_auth_code ("0000");
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GError) error = NULL;
  TillSale *sale;
  guint since;

  /* Only WeChat Pay: the app id emptied. */
  g_settings_set_string (app->settings, "alipay-app-id", "");
  till_test_app_wait (app, status_is, GINT_TO_POINTER (TILL_PAYMENT_STATUS_STARTING), 5000,
                      "the rebuild");
  till_test_app_wait (app, status_is, GINT_TO_POINTER (TILL_PAYMENT_STATUS_READY), 5000,
                      "WeChat Pay alone to be ready");
  g_assert_cmpuint (till_payment_runtime_get_providers (runtime)->len, ==, 1);
  g_assert_null (till_payment_runtime_get_provider (runtime, "alipay"));
  g_assert_nonnull (strstr (till_payment_runtime_get_provider_problem (runtime, "alipay"),
                            "AppID"));
  g_assert_null (till_checkout_get_other_qr_provider (app->checkout));

  till_test_app_scan (app, COLA);
  sale = till_checkout_get_sale (app->checkout);
  since = app->messages->len;
  till_checkout_enter_code (app->checkout, ali);
  till_test_app_settle (app);
  g_assert_true (till_test_app_said_since (app, since, "Alipay is not set up"));
  g_assert_null (till_checkout_get_payment_state (app->checkout));
  g_assert_false (till_checkout_pay_qr (app->checkout, "alipay", &error));
  g_assert_nonnull (error);
  till_test_app_settle (app);
  if (till_sale_get_id (sale) > 0)
    {
      payments = sale_payments (app, sale);
      g_assert_cmpuint (payments->len, ==, 0);
    }
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_OPEN);
}

/* Alipay alone (no WeChat Pay settings at all) is enough to take payments. */
static void
test_alipay_alone (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, NULL);
  TillPaymentRuntime *runtime = till_context_get_payment_runtime (app->context);
  g_autofree char *ali = till_test_paysim_alipay_auth_code ("0000");
  const char *wechat_keys[] = { "mchid", "appid", "merchant-serial-no", "merchant-key-path",
                                "platform-public-key-path", "platform-public-key-id" };
  guint since;

  for (guint i = 0; i < G_N_ELEMENTS (wechat_keys); i++)
    g_settings_set_string (app->settings, wechat_keys[i], "");
  till_test_app_wait (app, status_is, GINT_TO_POINTER (TILL_PAYMENT_STATUS_STARTING), 5000,
                      "the rebuild");
  till_test_app_wait (app, status_is, GINT_TO_POINTER (TILL_PAYMENT_STATUS_READY), 5000,
                      "Alipay alone to be ready");
  g_assert_cmpuint (till_payment_runtime_get_providers (runtime)->len, ==, 1);
  g_assert_nonnull (till_payment_runtime_get_provider (runtime, "alipay"));
  g_assert_cmpstr (till_checkout_get_qr_provider (app->checkout), ==, "alipay");

  till_test_app_scan (app, COLA);
  since = app->messages->len;
  {
    g_autofree char *wx = till_test_app_wechat_code ("0000");
    till_checkout_enter_code (app->checkout, wx);
  }
  till_test_app_settle (app);
  g_assert_true (till_test_app_said_since (app, since, "WeChat Pay is not set up"));
  till_checkout_enter_code (app->checkout, ali);
  till_test_app_wait (app, sale_paid_cond, NULL, 10000, "the Alipay payment");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/checkout-alipay/both-ready", test_both_ready);
  g_test_add_func ("/checkout-alipay/code-routed", test_code_routed);
  g_test_add_func ("/checkout-alipay/refused-then-alipay", test_refused_then_alipay);
  g_test_add_func ("/checkout-alipay/split-cash-alipay", test_split_cash_alipay);
  g_test_add_func ("/checkout-alipay/qr-paid", test_qr_alipay_paid);
  g_test_add_func ("/checkout-alipay/qr-cancelled", test_qr_alipay_cancelled);
  g_test_add_func ("/checkout-alipay/qr-close-queued", test_qr_alipay_close_queued);
  g_test_add_func ("/checkout-alipay/qr-provider-setting", test_qr_provider_setting);
  g_test_add_func ("/checkout-alipay/resume", test_resume_alipay);
  g_test_add_func ("/checkout-alipay/refund", test_refund_alipay);
  g_test_add_func ("/checkout-alipay/not-set-up", test_alipay_not_set_up);
  g_test_add_func ("/checkout-alipay/alipay-alone", test_alipay_alone);
  return g_test_run ();
}
