/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The payment and refund state machines and the never-more-than-paid rule, without a
 * store: every move of both tables, names round-trip, refunds bounded by what was paid. */
#include "config.h"

#include <string.h>

#include "till-core.h"

static void
test_payment_moves (void)
{
  /* from \ to: submitting user_paying in_doubt reversing paid failed reversed closed */
  static const gboolean allowed[8][8] = {
    { 1, 1, 1, 1, 1, 1, 0, 1 },   /* submitting */
    { 0, 1, 1, 1, 1, 1, 1, 1 },   /* user_paying */
    { 0, 1, 1, 1, 1, 1, 1, 1 },   /* in_doubt */
    { 0, 0, 0, 1, 1, 1, 1, 1 },   /* reversing */
    { 0, 0, 0, 0, 0, 0, 0, 0 },   /* paid: final */
    { 0, 0, 0, 0, 0, 0, 0, 0 },   /* failed */
    { 0, 0, 0, 0, 0, 0, 0, 0 },   /* reversed */
    { 0, 0, 0, 0, 0, 0, 0, 0 },   /* closed */
  };

  for (TillPaymentState from = 0; from <= TILL_PAYMENT_STATE_CLOSED; from++)
    {
      TillPaymentState back;

      g_assert_true (till_payment_state_from_string (till_payment_state_to_string (from),
                                                     &back));
      g_assert_cmpint (back, ==, from);
      g_assert_cmpint (till_payment_state_is_final (from), ==, from >= TILL_PAYMENT_STATE_PAID);
      for (TillPaymentState to = 0; to <= TILL_PAYMENT_STATE_CLOSED; to++)
        if (till_payment_state_can_move (from, to) != allowed[from][to])
          g_error ("payment %s -> %s: %d", till_payment_state_to_string (from),
                   till_payment_state_to_string (to), allowed[from][to]);
    }
  {
    TillPaymentState state;

    g_assert_false (till_payment_state_from_string ("PAID", &state));
    g_assert_false (till_payment_state_from_string (NULL, &state));
  }
}

static void
test_refund_moves (void)
{
  /* from \ to: submitting processing in_doubt success failed closed */
  static const gboolean allowed[6][6] = {
    { 0, 1, 1, 1, 1, 1 },   /* submitting */
    { 0, 1, 0, 1, 0, 1 },   /* processing */
    { 0, 1, 1, 1, 1, 1 },   /* in_doubt */
    { 0, 0, 0, 0, 0, 0 },   /* success: final */
    { 0, 0, 0, 0, 0, 0 },   /* failed */
    { 0, 0, 0, 0, 0, 0 },   /* closed */
  };

  for (TillRefundState from = 0; from <= TILL_REFUND_STATE_CLOSED; from++)
    {
      TillRefundState back;

      g_assert_true (till_refund_state_from_string (till_refund_state_to_string (from), &back));
      g_assert_cmpint (back, ==, from);
      for (TillRefundState to = 0; to <= TILL_REFUND_STATE_CLOSED; to++)
        if (till_refund_state_can_move (from, to) != allowed[from][to])
          g_error ("refund %s -> %s: %d", till_refund_state_to_string (from),
                   till_refund_state_to_string (to), allowed[from][to]);
    }
}

static void
test_refund_amount (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (till_refund_check_amount (1000, 1000, 0, &error));
  g_assert_true (till_refund_check_amount (1, 1000, 999, &error));
  g_assert_no_error (error);
  g_assert_false (till_refund_check_amount (2, 1000, 999, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_MONEY);
  g_assert_nonnull (strstr (error->message, "¥0.01"));
  g_clear_error (&error);
  g_assert_false (till_refund_check_amount (0, 1000, 0, &error));
  g_clear_error (&error);
  g_assert_false (till_refund_check_amount (-5, 1000, 0, &error));
  g_clear_error (&error);
  /* Refunds in progress already count; more refunded than paid leaves nothing. */
  g_assert_false (till_refund_check_amount (1, 1000, 1200, &error));
  g_clear_error (&error);
  g_assert_false (till_refund_check_amount (G_MAXINT64, G_MAXINT64 - 1, 0, &error));
}

/* Every method has its stored name and back, Alipay's QR (precreate) included, and the
 * provider whose payments record it (none for cash). */
static void
test_method_names (void)
{
  static const struct
  {
    TillPaymentMethod method;
    const char       *name;
    const char       *provider;
  } methods[] = {
    { TILL_PAYMENT_METHOD_CASH, "cash", NULL },
    { TILL_PAYMENT_METHOD_WECHAT_CODE, "wechat_code", "wechat" },
    { TILL_PAYMENT_METHOD_WECHAT_NATIVE, "wechat_native", "wechat" },
    { TILL_PAYMENT_METHOD_ALIPAY_CODE, "alipay_code", "alipay" },
    { TILL_PAYMENT_METHOD_ALIPAY_QR, "alipay_qr", "alipay" },
    { TILL_PAYMENT_METHOD_STORED_VALUE, "stored_value", NULL },
  };
  TillPaymentMethod parsed;

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_assert_cmpstr (till_payment_method_to_string (methods[i].method), ==, methods[i].name);
      g_assert_true (till_payment_method_from_string (methods[i].name, &parsed));
      g_assert_cmpint (parsed, ==, methods[i].method);
      g_assert_cmpstr (till_payment_method_get_provider (methods[i].method), ==,
                       methods[i].provider);
    }
  g_assert_cmpuint (G_N_ELEMENTS (methods), ==, TILL_PAYMENT_METHOD_COUNT);
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    g_assert_true (till_payment_method_is_electronic (methods[i].method)
                   == (methods[i].provider != NULL));
  g_assert_false (till_payment_method_from_string ("alipay", &parsed));
  g_assert_false (till_payment_method_from_string ("", &parsed));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/payment-state/moves", test_payment_moves);
  g_test_add_func ("/core/payment-method/names", test_method_names);
  g_test_add_func ("/core/refund-state/moves", test_refund_moves);
  g_test_add_func ("/core/refund/never-more-than-paid", test_refund_amount);
  return g_test_run ();
}
