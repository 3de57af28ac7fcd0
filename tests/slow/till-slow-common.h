/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the slow tests: running the till driver as a real process, and reconciling a
 * till's database with the simulator's ledger (the exactly-once checks). */
#pragma once

#include "till-test-paysim.h"

G_BEGIN_DECLS

/* The providers whose ledgers the books are reconciled with. */
typedef enum
{
  TILL_SLOW_WECHAT,
  TILL_SLOW_ALIPAY,
  TILL_SLOW_N_PROVIDERS,
} TillSlowProvider;

/* One provider's side of the books. */
typedef struct
{
  guint  payments;             /* electronic payments of this provider's methods */
  guint  paid;
  guint  refunds_success;
  guint  orders;               /* ledger orders of this till at this provider */
  guint  orders_charged;
  guint  orders_returned;
  guint  orders_open;
  gint64 till_net_fen;
  gint64 ledger_net_fen;
} TillSlowProviderBooks;

typedef struct
{
  guint  payments;
  guint  paid;
  guint  failed;
  guint  reversed;
  guint  closed;
  guint  sales;
  guint  sales_paid;
  guint  sales_refunded;
  guint  refunds;
  guint  refunds_success;
  guint  refunds_failed;
  guint  orders;               /* ledger orders of this till */
  guint  orders_charged;
  guint  orders_returned;      /* paid, then reversed: money back */
  guint  orders_open;          /* still payable (see till_slow_reconcile) */
  guint  unattached;           /* paid too late for their sale: refunded in full */
  guint  stored_value_payments; /* paid from a member's card (no provider) */
  guint  topups_credited;      /* paid top-up sales, each credited once */
  gint64 points_held;          /* points redeemed on sales open or paid */
  gint64 till_net_fen;         /* paid electronic − successful electronic refunds */
  gint64 ledger_net_fen;       /* Σ net of the ledger's orders */
  TillSlowProviderBooks by[TILL_SLOW_N_PROVIDERS];  /* each equal on its own */
} TillSlowBooks;

/* "wechat" or "alipay". */
const char *till_slow_provider_name (TillSlowProvider provider);

/* Reconciles the till database db_path with the simulator's ledger — WeChat Pay's orders
 * and Alipay's trades, each entry naming its "provider" — for the orders whose
 * out_trade_no starts with `prefix` (asserting on any difference): every payment and
 * refund final and no job left; every order at a provider is a payment of that provider's
 * methods (wechat_*, alipay_*); every charged order is a paid payment of a paid (or
 * refunded) sale — or a payment its sale could no longer take (unattached), refunded in
 * full; every paid electronic payment is charged in full; at most one charged order per
 * sale; every refund at the provider (SUCCESS, Alipay's REFUND_SUCCESS) is a successful
 * refund in the till and the other way round; and the till's net equals the ledger's, for
 * each provider on its own. Orders still payable: WeChat's NOTPAY / USERPAYING, Alipay's
 * WAIT_BUYER_PAY and a precreate QR nobody scanned and nobody closed (NOT_SCANNED without
 * an end). */
void  till_slow_reconcile (TillTestPaysim *sim,
                           const char     *db_path,
                           const char     *prefix,
                           TillSlowBooks  *out);

/* Runs the driver ($TILL_PAY_DRIVER) with its arguments (NULL-terminated), crash_at (or
 * NULL) as TILLPOINT_CRASH_AT, stderr appended to log_path; each stdout line is passed to
 * line_func (may be NULL; returning TRUE kills the driver with SIGKILL at once). Waits at
 * most limit_s. Returns the wait status (as waitpid); *out_lines (may be NULL) gets every
 * line (g_strfreev). */
typedef gboolean (*TillSlowLineFunc) (const char *line,
                                      gpointer    data);
int   till_slow_run_driver (const char *const *args,
                            const char        *crash_at,
                            const char        *log_path,
                            guint              limit_s,
                            TillSlowLineFunc   line_func,
                            gpointer           line_data,
                            char            ***out_lines);

/* The cashier moved on while a payment of sale `sale_id` was not settled: the sale is
 * voided, or (cash = TRUE) paid in full in cash, written straight into the till's
 * database at db_path (the till is not running). */
void  till_slow_sale_moved_on (const char *db_path,
                               gint64      sale_id,
                               gboolean    cash);

/* The last `n` lines of a file, for a failure message (g_free). */
char *till_slow_tail (const char *path,
                      guint       n);

G_END_DECLS
