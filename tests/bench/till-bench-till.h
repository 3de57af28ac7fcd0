/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark helpers for a till without a display: a TillCheckout on a real store, with the
 * real simulator (tillpoint-paysim on 127.0.0.1, path in $TILL_PAYSIM) as its WeChat Pay
 * and Alipay; every wait is bounded and a failure ends the benchmark with a message. */
#pragma once

#include "till-checkout.h"
#include "till-context.h"
#include "till-test-paysim.h"

G_BEGIN_DECLS

typedef struct
{
  TillStore *store;
  GSettings *settings;
  TillContext *context;
  TillCheckout *checkout;
  TillTestPaysim *sim;
  guint lines_added;
  guint sales_paid;
  gint64 paid_ns; /* till_bench_now_ns() at the last "sale-paid" */
} TillBenchTill;

/* Drops messages, info and debug lines (the store logs every sale); warnings pass. */
void
till_bench_quiet_logs (void);
/* Ends the process with "PROG: what: message" when error is set. */
void
till_bench_die_on_error (const char *prog, GError *error, const char *what);
/* Starts the simulator (password delay 3 s), points in-memory settings at it (or, with
 * `base_url`, at that address in front of it: "http://127.0.0.1:PORT"), opens the store at
 * `db_path` and a context (data dir `dir`) and checkout on it, and waits until electronic
 * payment is ready and the open sale is loaded. */
TillBenchTill *
till_bench_till_new (const char *prog, const char *db_path, const char *dir, TillTestPaysim *sim,
                     const char *base_url);
void
till_bench_till_free (TillBenchTill *till);
/* Runs the default main context until cond (till) holds; ends the process after
 * limit_ms saying what it waited for. */
void
till_bench_till_wait (TillBenchTill *till, gboolean (*cond) (TillBenchTill *till), guint limit_ms,
                      const char *what);
/* Scans a code and waits for its line (bounded). */
void
till_bench_till_scan (TillBenchTill *till, const char *code);
/* Waits until the checkout is idle (no store job or payment being begun). */
void
till_bench_till_settle (TillBenchTill *till);
/* VmRSS of this process in kB (from /proc/self/status), or -1. */
gint64
till_bench_vmrss_kb (void);

G_END_DECLS
