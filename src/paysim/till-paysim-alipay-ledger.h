/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's Alipay ledger (alipay_ledger.db in the state dir, beside WeChat's
 * ledger.db): trades, refunds (a cancel that refunded a paid trade is a refund without a
 * request number) and the numbers a cancel closed before any trade existed. Times are unix
 * ms on the simulator's clock; money is gint64 fen. Timed transitions (the password typed
 * after a delay, a customer declining, timeout_express) are stored with their due time and
 * applied by till_paysim_alipay_ledger_settle(), so they survive restarts. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TILL_PAYSIM_ALIPAY_WAIT    "WAIT_BUYER_PAY"
#define TILL_PAYSIM_ALIPAY_SUCCESS "TRADE_SUCCESS"
#define TILL_PAYSIM_ALIPAY_CLOSED  "TRADE_CLOSED"

typedef struct
{
  gint64 id;
  char  *out_trade_no;
  char  *trade_no;
  char  *kind;            /* "bar_code" | "precreate" */
  char  *subject;
  char  *auth_code;       /* bar_code only */
  char  *store_id;        /* may be NULL (also terminal_id, operator_id) */
  char  *terminal_id;
  char  *operator_id;
  char  *qr_code;         /* precreate only */
  gint64 total;
  char  *fingerprint;     /* the parameters that make a retry "the same request" */
  char  *status;          /* WAIT_BUYER_PAY | TRADE_SUCCESS | TRADE_CLOSED */
  char  *scenario;        /* the auth code's ending, "default", "precreate", "rollback" */
  char  *buyer_user_id;
  char  *buyer_logon_id;
  gboolean scanned;       /* precreate: the customer scanned it (before: no trade) */
  gint64 created_ms;
  gint64 expire_ms;       /* WAIT_BUYER_PAY closes itself then (timeout_express) */
  char  *pending_status;  /* NULL or what it becomes at pending_at_ms */
  gint64 pending_at_ms;
  gint64 paid_ms;         /* 0 = never paid */
  gint64 closed_ms;       /* 0 = not closed */
  char  *close_reason;    /* cancel, close, timeout, declined, refund, rollback */
  char  *cancel_action;   /* what a cancel did: close | refund; NULL when not cancelled */
  gint64 refunded;        /* the sum of its refunds (not a cancel's), computed */
  gint64 last_refund_ms;  /* its latest refund, computed; 0 = none */
} TillPaysimAliTrade;

void till_paysim_ali_trade_free (TillPaysimAliTrade *trade);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillPaysimAliTrade, till_paysim_ali_trade_free)

typedef struct
{
  gint64 id;
  gint64 trade_id;
  char  *out_trade_no;     /* joined from the trade */
  char  *trade_no;         /* joined from the trade */
  char  *out_request_no;   /* NULL: the refund of a cancel */
  gint64 amount;
  gint64 total;            /* the trade's total, joined */
  char  *reason;
  gint64 created_ms;
} TillPaysimAliRefund;

void till_paysim_ali_refund_free (TillPaysimAliRefund *refund);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillPaysimAliRefund, till_paysim_ali_refund_free)

#define TILL_TYPE_PAYSIM_ALIPAY_LEDGER (till_paysim_alipay_ledger_get_type ())
G_DECLARE_FINAL_TYPE (TillPaysimAlipayLedger, till_paysim_alipay_ledger, TILL,
                      PAYSIM_ALIPAY_LEDGER, GObject)

TillPaysimAlipayLedger *till_paysim_alipay_ledger_open (const char *path,
                                                        GError    **error);

/* Applies every timed transition due at `now_ms`. */
gboolean till_paysim_alipay_ledger_settle (TillPaysimAlipayLedger *self,
                                           gint64                  now_ms,
                                           GError                **error);

/* NULL with *error unset when there is no such trade. */
TillPaysimAliTrade *till_paysim_alipay_ledger_find (TillPaysimAlipayLedger *self,
                                                    const char             *out_trade_no,
                                                    GError                **error);
TillPaysimAliTrade *till_paysim_alipay_ledger_find_by_trade_no (TillPaysimAlipayLedger *self,
                                                                const char *trade_no,
                                                                GError    **error);
TillPaysimAliTrade *till_paysim_alipay_ledger_find_by_auth_code (TillPaysimAlipayLedger *self,
                                                                 const char *auth_code,
                                                                 GError    **error);
/* Every trade, oldest first (TillPaysimAliTrade). */
GPtrArray *till_paysim_alipay_ledger_list (TillPaysimAlipayLedger *self,
                                           GError                **error);

/* Inserts `trade`, drawing its trade_no (28 digits); id and trade_no are filled in. A
 * trade inserted as TRADE_SUCCESS has paid_ms = created_ms. G_IO_ERROR_EXISTS when the
 * out_trade_no (or the auth code) is taken. */
gboolean till_paysim_alipay_ledger_insert (TillPaysimAlipayLedger *self,
                                           TillPaysimAliTrade     *trade,
                                           GError                **error);
/* Moves a trade to `status` at `at_ms`, clearing a timed transition: TRADE_SUCCESS sets
 * paid_ms (once), TRADE_CLOSED sets closed_ms and the reason. */
gboolean till_paysim_alipay_ledger_set_status (TillPaysimAlipayLedger *self,
                                               gint64                  trade_id,
                                               const char             *status,
                                               const char             *close_reason,
                                               gint64                  at_ms,
                                               GError                **error);
/* A precreate order scanned: WAIT_BUYER_PAY turning into pending_status at pending_at_ms
 * (NULL: stays), or paid at once with status TRADE_SUCCESS. */
gboolean till_paysim_alipay_ledger_scan (TillPaysimAlipayLedger *self,
                                         gint64                  trade_id,
                                         const char             *status,
                                         const char             *pending_status,
                                         gint64                  pending_at_ms,
                                         const char             *buyer_user_id,
                                         const char             *buyer_logon_id,
                                         gint64                  now_ms,
                                         GError                **error);

/* In one transaction: the trade closed by a cancel, with what it did ("close", or
 * "refund": a refund of the whole total without a request number, at at_ms). */
gboolean till_paysim_alipay_ledger_cancel (TillPaysimAlipayLedger *self,
                                           gint64                  trade_id,
                                           const char             *action,
                                           gint64                  at_ms,
                                           GError                **error);

/* A number cancelled before any trade existed: a later pay or precreate with it is
 * refused (ACQ.TRADE_HAS_CLOSE). */
gboolean till_paysim_alipay_ledger_tombstone    (TillPaysimAlipayLedger *self,
                                                 const char             *out_trade_no,
                                                 gint64                  at_ms,
                                                 GError                **error);
gboolean till_paysim_alipay_ledger_is_tombstone (TillPaysimAlipayLedger *self,
                                                 const char             *out_trade_no,
                                                 gboolean               *out_yes,
                                                 GError                **error);

/* NULL with *error unset when the trade has no refund with this request number. */
TillPaysimAliRefund *till_paysim_alipay_ledger_find_refund (TillPaysimAlipayLedger *self,
                                                            gint64      trade_id,
                                                            const char *out_request_no,
                                                            GError    **error);
/* The refunds of one trade (trade_id > 0) or all (0), oldest first. */
GPtrArray *till_paysim_alipay_ledger_list_refunds (TillPaysimAlipayLedger *self,
                                                   gint64                  trade_id,
                                                   GError                **error);
/* In one transaction: amount ≤ total − refunded so far (else G_IO_ERROR_NO_SPACE), the
 * refund inserted, and the trade TRADE_CLOSED (reason "refund") once all is refunded. */
gboolean till_paysim_alipay_ledger_refund (TillPaysimAlipayLedger *self,
                                           gint64                  trade_id,
                                           const char             *out_request_no,
                                           gint64                  amount,
                                           const char             *reason,
                                           gint64                  at_ms,
                                           GError                **error);

G_END_DECLS
