/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The state machine of a payment and the methods a payment is made by: names as stored,
 * which states are final, which moves are allowed (no I/O: the store enforces them). */
#define G_LOG_DOMAIN "till-core"
#include "config.h"

#include "till-payment-state.h"

static int
name_index (const char *const *names,
            gsize              n,
            const char        *text)
{
  if (text == NULL)
    return -1;
  for (gsize i = 0; i < n; i++)
    if (names[i] != NULL && g_str_equal (names[i], text))
      return (int) i;
  return -1;
}

static const char *const state_names[] = {
  "submitting", "user_paying", "in_doubt", "reversing",
  "paid", "failed", "reversed", "closed",
};

const char *
till_payment_state_to_string (TillPaymentState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), NULL);
  return state_names[state];
}

gboolean
till_payment_state_from_string (const char       *text,
                                TillPaymentState *out)
{
  int i = name_index (state_names, G_N_ELEMENTS (state_names), text);

  if (i < 0)
    return FALSE;
  *out = (TillPaymentState) i;
  return TRUE;
}

gboolean
till_payment_state_is_final (TillPaymentState state)
{
  return state >= TILL_PAYMENT_STATE_PAID;
}

gboolean
till_payment_state_can_move (TillPaymentState from,
                             TillPaymentState to)
{
  if (till_payment_state_is_final (from))
    return FALSE;
  if (from == to)
    return TRUE;
  switch (from)
    {
    case TILL_PAYMENT_STATE_SUBMITTING:
      return to != TILL_PAYMENT_STATE_REVERSED;
    case TILL_PAYMENT_STATE_USER_PAYING:
    case TILL_PAYMENT_STATE_IN_DOUBT:
      return to != TILL_PAYMENT_STATE_SUBMITTING;
    case TILL_PAYMENT_STATE_REVERSING:
      return till_payment_state_is_final (to);
    case TILL_PAYMENT_STATE_PAID:
    case TILL_PAYMENT_STATE_FAILED:
    case TILL_PAYMENT_STATE_REVERSED:
    case TILL_PAYMENT_STATE_CLOSED:
    default:
      return FALSE;
    }
}

static const char *const method_names[] = {
  "cash", "wechat_code", "wechat_native", "alipay_code", "alipay_qr", "stored_value",
};
G_STATIC_ASSERT (G_N_ELEMENTS (method_names) == TILL_PAYMENT_METHOD_COUNT);

const char *
till_payment_method_to_string (TillPaymentMethod method)
{
  g_return_val_if_fail ((guint) method < G_N_ELEMENTS (method_names), NULL);
  return method_names[method];
}

gboolean
till_payment_method_from_string (const char        *text,
                                 TillPaymentMethod *out)
{
  int i = name_index (method_names, G_N_ELEMENTS (method_names), text);

  if (i < 0)
    return FALSE;
  *out = (TillPaymentMethod) i;
  return TRUE;
}

gboolean
till_payment_method_is_electronic (TillPaymentMethod method)
{
  return till_payment_method_get_provider (method) != NULL;
}

const char *
till_payment_method_get_provider (TillPaymentMethod method)
{
  switch (method)
    {
    case TILL_PAYMENT_METHOD_CASH:
    case TILL_PAYMENT_METHOD_STORED_VALUE:
      return NULL;
    case TILL_PAYMENT_METHOD_WECHAT_CODE:
    case TILL_PAYMENT_METHOD_WECHAT_NATIVE:
      return TILL_PAY_PROVIDER_WECHAT;
    case TILL_PAYMENT_METHOD_ALIPAY_CODE:
    case TILL_PAYMENT_METHOD_ALIPAY_QR:
      return TILL_PAY_PROVIDER_ALIPAY;
    }
  g_return_val_if_reached (NULL);
}
