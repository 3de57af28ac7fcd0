/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between till-payment-runtime.c and till-payment-runtime-config.c. */
#pragma once

#include "till-payment-runtime.h"
#include "till-wxpay-client.h"
#include "till-wxpay-provider.h"

G_BEGIN_DECLS

/* The electronic payment settings, read at once. */
typedef struct
{
  char       *base_url;
  char       *ca_file;
  char       *mchid;
  char       *appid;
  char       *serial;
  char       *key_path;
  char       *pub_path;
  char       *pub_id;
  char       *store_id;
  char       *device_id;
  guint       query_ms;
  guint       deadline_ms;
  guint       timeout_ms;
  /* loaded on a worker thread */
  TillRsaKey *key;
  TillRsaKey *pub;
} TillPayConfig;

void             _till_pay_config_free        (TillPayConfig       *c);
/* Reads the payment settings of `settings` and starts loading their keys; the callback
 * (source object `self`) gets the TillPayConfig back with g_task_get_task_data() once
 * g_task_propagate_boolean() says TRUE. */
void             _till_pay_config_load_async  (TillPaymentRuntime  *self,
                                               GSettings           *settings,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
TillWxpayClient *_till_pay_config_make_client (const TillPayConfig *c,
                                               GError             **error);
/* The payment provider of these settings: WeChat Pay over `client`. (A second provider,
 * e.g. Alipay, would be made here from its own settings, beside this one.) */
TillPayProvider *_till_pay_config_make_provider (const TillPayConfig *c,
                                                 TillWxpayClient     *client);

/* In till-payment-runtime.c: the settings the runtime follows. */
GSettings       *_till_payment_runtime_get_settings (TillPaymentRuntime *self);

G_END_DECLS
