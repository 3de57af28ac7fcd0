/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper for the payment integration tests: waiting on the default main context with
 * a deadline, a TillWxpayClient configured for a running simulator (till-test-paysim.h)
 * and the TillPayProvider over it, and an open one-line sale in a real store. */
#pragma once

#include "till-store.h"
#include "till-test-paysim.h"
#include "till-wxpay-client.h"
#include "till-wxpay-provider.h"

G_BEGIN_DECLS

/* A GSourceFunc that fails the test: "Test timed out waiting: <data>". */
gboolean         till_test_pay_timeout_cb (gpointer data);
/* A GSourceFunc that does nothing and keeps running (wakes the main context). */
gboolean         till_test_pay_tick_cb    (gpointer data);
/* Runs the default main context until *flag is TRUE; fails after limit_s seconds. */
void             till_test_pay_wait_for   (const gboolean *flag,
                                           guint           limit_s,
                                           const char     *what);
/* Runs the default main context for ms milliseconds. */
void             till_test_pay_spin       (guint           ms);

/* A client with the simulator's merchant key, serial, ids and platform key; base_url NULL
 * means the simulator's own (else e.g. a proxy in front of it); with tls, the simulator's
 * certificate is the CA file. Asserts on any error. */
TillWxpayClient *till_test_pay_new_client (TillTestPaysim *sim,
                                           const char     *base_url,
                                           gboolean        tls,
                                           guint           timeout_ms);

/* The provider the services speak to: WeChat Pay over `client` (a new reference); NULL
 * for a NULL client. */
TillPayProvider *till_test_pay_provider   (TillWxpayClient *client);

/* An open sale saved in the store (one bottle of 矿泉水, product 1, at amount_fen, by
 * "cashier" on "till-1"); its id. */
gint64           till_test_pay_make_sale  (TillStore      *store,
                                           gint64          amount_fen);

G_END_DECLS
