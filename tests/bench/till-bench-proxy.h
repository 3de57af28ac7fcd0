/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark helper: a loopback TCP proxy in front of the simulator that notes when each
 * request's bytes came and when its answer's bytes went back (the simulator keeps no
 * times). A thread per connection, poll(2), every byte forwarded at once; times from
 * till_bench_now_ns () (CLOCK_MONOTONIC), comparable with any process's on the machine. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gint64 request_first_ns; /* the request's first byte read from the till */
  gint64 request_last_ns;  /* its last byte read (and written to the simulator) */
  gint64 answer_first_ns;  /* the answer's first byte read from the simulator */
  gint64 answer_last_ns;   /* its last byte written to the till */
} TillBenchExchange;

/* Starts the proxy (one per process) in front of 127.0.0.1:port; returns its base URL,
 * "http://127.0.0.1:PORT". Ends the process saying why when it cannot listen. */
char     *till_bench_proxy_start    (const char        *prog,
                                     guint16            port);
/* How many exchanges have begun so far: a mark for till_bench_proxy_find_pay (). */
guint     till_bench_proxy_mark     (void);
/* The first pay request (WeChat Pay's codepay, Alipay's alipay.trade.pay) among the
 * exchanges from `mark` on whose answer has gone back whole, copied to *out; FALSE when
 * there is none (yet). */
gboolean  till_bench_proxy_find_pay (guint              mark,
                                     TillBenchExchange *out);

/* The last exchange from `mark` on whose answer had gone back whole by `before_ns` (the
 * answer the till acted on: a pay request's, or a query's when the customer was asked for
 * a password), copied to *out; FALSE when there is none. */
gboolean  till_bench_proxy_find_last_answer (guint              mark,
                                             gint64             before_ns,
                                             TillBenchExchange *out);

G_END_DECLS
