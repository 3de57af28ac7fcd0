/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper for the app layer without a display: a real store (with the demo catalog) in
 * a temporary directory, settings in memory, a TillContext and a TillCheckout on them,
 * optionally the real simulator (tillpoint-paysim, a process on 127.0.0.1, customers confirming
 * on the phone 3 s after the scan) configured as the till's WeChat Pay and Alipay; the checkout's messages are kept; the till can be "restarted" on the
 * same database (the old one stops as a crash would). */
#pragma once

#include "till-checkout.h"
#include "till-context.h"
#include "till-test-paysim.h"

G_BEGIN_DECLS

typedef struct
{
  char           *dir;
  char           *db_path;
  TillStore      *store;
  GSettings      *settings;
  TillContext    *context;
  TillCheckout   *checkout;
  TillTestPaysim *sim;        /* NULL without electronic payment */
  GPtrArray      *messages;   /* every message the checkout said, oldest first */
  TillPaymentRuntimeTuning tuning;
} TillTestApp;

/* With `sim`, electronic payment is set up and ready (the runtime's status READY) when this
 * returns; query every 500 ms, deadline 5 s, reverse after 1 s, HTTP timeout 2 s, unless
 * `tuning` or the settings say otherwise (tuning may be NULL). */
TillTestApp *till_test_app_new            (gboolean                 sim,
                                           const TillPaymentRuntimeTuning *tuning);
/* The same with the simulator's command-line arguments (NULL: the defaults above). */
TillTestApp *till_test_app_new_full       (gboolean                 sim,
                                           const char *const       *sim_args,
                                           const TillPaymentRuntimeTuning *tuning);
void         till_test_app_free           (TillTestApp             *app);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillTestApp, till_test_app_free)

/* Stops the checkout and the payment service as a crash would (nothing more is written),
 * closes the store, and starts a new store, context and checkout on the same file. */
void         till_test_app_restart        (TillTestApp             *app);

/* Runs the default main context until `cond (app, data)` holds; fails the test after
 * `limit_ms` saying `what`. */
void         till_test_app_wait           (TillTestApp             *app,
                                           gboolean               (*cond) (TillTestApp *app,
                                                                           gpointer     data),
                                           gpointer                 data,
                                           guint                    limit_ms,
                                           const char              *what);
/* Runs the default main context until the checkout is idle (no store job, no payment being
 * begun) and the store has written everything. */
void         till_test_app_settle         (TillTestApp             *app);
/* Runs the default main context for `ms` milliseconds. */
void         till_test_app_spin           (guint                    ms);

/* The checkout's last message, or "". */
const char  *till_test_app_last_message   (TillTestApp             *app);
/* Whether any message since index `since` contains `needle`. */
gboolean     till_test_app_said_since     (TillTestApp             *app,
                                           guint                    since,
                                           const char              *needle);

/* Enters a code (as a scan) and settles. */
void         till_test_app_scan           (TillTestApp             *app,
                                           const char              *code);

/* The simulator's Alipay gateway, app id and keys as the till's Alipay settings (also set
 * by till_test_app_paysim_settings(): the till takes both). */
void         till_test_app_paysim_alipay_settings (GSettings      *settings,
                                                   TillTestPaysim *sim);
/* Points `settings` at `sim` as the till's WeChat Pay (its URL, ids and keys) and Alipay,
 * device "T1", a query every 500 ms, a 5 s deadline and a 2 s HTTP timeout. */
void         till_test_app_paysim_settings (GSettings              *settings,
                                            TillTestPaysim         *sim);

/* Conditions for till_test_app_wait(): the current sale is paid; the checkout's
 * payment-state is `state` (a const char *, e.g. "paid", "reversed"). */
gboolean     till_test_app_sale_paid_cond (TillTestApp             *app,
                                           gpointer                 data);
gboolean     till_test_app_payment_state_is (TillTestApp           *app,
                                             gpointer               state);

/* The payment status is READY (electronic payment can start once online). */
void         till_test_app_wait_ready     (TillTestApp             *app);

/* A valid 18-digit WeChat Pay payment code ending in `last4` (simulator outcomes). */
char        *till_test_app_wechat_code    (const char              *last4);

G_END_DECLS
