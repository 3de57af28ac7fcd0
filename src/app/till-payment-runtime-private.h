/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between till-payment-runtime.c and till-payment-runtime-config.c. */
#pragma once

#include "till-payment-runtime.h"
#include "till-alipay-client.h"
#include "till-alipay-provider.h"
#include "till-wxpay-client.h"
#include "till-wxpay-provider.h"

G_BEGIN_DECLS

/* The electronic payment settings, read at once; each provider's keys are loaded on a
 * worker thread, and a provider that cannot be set up says why in its *_error. */
typedef struct
{
  /* both providers */
  char       *ca_file;
  char       *store_id;
  char       *device_id;
  guint       query_ms;
  guint       deadline_ms;
  guint       timeout_ms;
  /* WeChat Pay */
  char       *base_url;
  char       *mchid;
  char       *appid;
  char       *serial;
  char       *key_path;
  char       *pub_path;
  char       *pub_id;
  TillRsaKey *key;
  TillRsaKey *pub;
  gboolean    wechat_touched;     /* some WeChat Pay setting is filled in */
  GError     *wechat_error;       /* NULL: WeChat Pay's keys are loaded */
  /* Alipay */
  char       *alipay_gateway;
  char       *alipay_app_id;
  char       *alipay_key_path;
  char       *alipay_pub_path;
  TillRsaKey *alipay_key;
  TillRsaKey *alipay_pub;
  gboolean    alipay_touched;
  GError     *alipay_error;
} TillPayConfig;

void             _till_pay_config_free        (TillPayConfig       *c);
/* Reads the payment settings of `settings` and loads the keys of every provider whose
 * settings are complete; the callback (source object `self`) gets the TillPayConfig back
 * with g_task_get_task_data() once g_task_propagate_boolean() says TRUE: at least one
 * provider can be made (the other's *_error says why not). FALSE: none can, the error is
 * the reason (WeChat Pay's when its settings were started or neither was). */
void             _till_pay_config_load_async  (TillPaymentRuntime  *self,
                                               GSettings           *settings,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* The providers of these settings, in order (WeChat Pay, then Alipay), each over its own
 * client, for those whose keys loaded; the clients follow "http-timeout-ms" of
 * `settings`. A provider whose client cannot be made is left out and *_error of `c` says
 * why. Returns a GPtrArray of TillPayProvider* (owned). */
GPtrArray       *_till_pay_config_make_providers (TillPayConfig *c,
                                                  GSettings     *settings);

/* In till-payment-runtime.c: the settings the runtime follows. */
GSettings       *_till_payment_runtime_get_settings (TillPaymentRuntime *self);

G_END_DECLS
