/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The payment methods a payment row records. The store spells them in SQL (payment.method,
 * whose CHECK lists the same names; till_payment_method_to_string() in till-store-payments.h);
 * a TillPayProvider says which of them its payments record (till_pay_provider_get_method()). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TILL_PAYMENT_METHOD_CASH,
  TILL_PAYMENT_METHOD_WECHAT_CODE,     /* "wechat_code": the till scans the customer's code */
  TILL_PAYMENT_METHOD_WECHAT_NATIVE,   /* "wechat_native": the customer scans the till's QR */
  TILL_PAYMENT_METHOD_ALIPAY_CODE,     /* "alipay_code": the till scans the customer's code */
  TILL_PAYMENT_METHOD_ALIPAY_QR,       /* "alipay_qr": the customer scans the till's QR
                                          (precreate); schema version 7 and later */
  TILL_PAYMENT_METHOD_STORED_VALUE,    /* "stored_value": a member's stored value (储值),
                                          paid at once like cash; schema version 18 */
} TillPaymentMethod;

/* How many methods there are (the last one + 1), and a method as one bit of a set. */
#define TILL_PAYMENT_METHOD_COUNT (TILL_PAYMENT_METHOD_STORED_VALUE + 1)
#define TILL_PAYMENT_METHOD_BIT(m) (1u << (m))

/* The names of the providers (till_pay_provider_get_name()) whose payments record the
 * electronic methods: till_payment_method_get_provider() in till-payment-state.h. */
#define TILL_PAY_PROVIDER_WECHAT "wechat" /* wechat_code, wechat_native */
#define TILL_PAY_PROVIDER_ALIPAY "alipay" /* alipay_code, alipay_qr */

G_END_DECLS
