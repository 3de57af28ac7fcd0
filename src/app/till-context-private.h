/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between till-context.c and till-context-payconfig.c. */
#pragma once

#include "till-context.h"
#include "till-wxpay-client.h"

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
} PayConfig;

void             _till_context_pay_config_free        (PayConfig           *c);
/* Starts loading the configuration's keys; the callback gets the PayConfig back with
 * g_task_get_task_data() once g_task_propagate_boolean() says TRUE. */
void             _till_context_pay_config_load_async  (TillContext         *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
TillWxpayClient *_till_context_pay_config_make_client (const PayConfig     *c,
                                                       GError             **error);

G_END_DECLS
