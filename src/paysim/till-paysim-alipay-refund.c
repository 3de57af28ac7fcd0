/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's Alipay refunds and bill (alipay.md §5.5–§5.7, §11): refund (idempotent
 * per trade and out_request_no, cumulative refund_fee, over-refunds refused, the strict
 * 3 s rule), refund query, the bill's download address and the bill file. */
#define G_LOG_DOMAIN "till-paysim"

#include "config.h"

#include <string.h>

#include "till-alipay-sign.h"
#include "till-alipay-types.h"
#include "till-paysim-alipay-bill.h"
#include "till-paysim-alipay.h"
#include "till-paysim-bill.h"

#define DAY_MS           (G_GINT64_CONSTANT (86400000))
#define REFUND_WINDOW_MS (365 * DAY_MS)            /* F2F: 12 months */
#define STRICT_GAP_MS    3000                      /* ≥ 3 s between two refunds of a trade */

/* ---- refund -------------------------------------------------------------------------- */

static void
answer_refund (TillPaysimAliCall  *call,
               TillPaysimAliTrade *t,
               gboolean            fund_change,
               gint64              refund_fee,
               gint64              refunded_ms,
               gint64              send_back)
{
  g_autoptr(JsonBuilder) b = till_paysim_ali_begin (TILL_ALIPAY_CODE_SUCCESS);
  g_autofree char *when = till_paysim_ali_time (refunded_ms);

  till_paysim_ali_add_str (b, "trade_no", t->trade_no);
  till_paysim_ali_add_str (b, "out_trade_no", t->out_trade_no);
  till_paysim_ali_add_str (b, "buyer_logon_id", t->buyer_logon_id);
  till_paysim_ali_add_str (b, "buyer_user_id", t->buyer_user_id);
  till_paysim_ali_add_str (b, "fund_change", fund_change ? "Y" : "N");
  till_paysim_ali_add_yuan (b, "refund_fee", refund_fee);
  till_paysim_ali_add_str (b, "gmt_refund_pay", when);
  if (fund_change)
    till_paysim_ali_add_yuan (b, "send_back_fee", send_back);
  till_paysim_ali_add_str (b, "store_name", "Tillpoint 模拟门店");
  till_paysim_ali_end (call, b);
}

void
till_paysim_ali_refund (TillPaysimAliCall *call)
{
  TillPaysim *self = call->sim;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaysimAliTrade) t = NULL;
  g_autoptr(TillPaysimAliTrade) after = NULL;
  g_autoptr(TillPaysimAliRefund) existing = NULL;
  const char *request_no, *reason, *text;
  gint64 amount = 0;

  if (!till_paysim_ali_biz_str (call, "out_request_no", FALSE, 64, &request_no)
      || !till_paysim_ali_biz_str (call, "refund_reason", FALSE, 256, &reason)
      || !till_paysim_ali_biz_str (call, "refund_amount", TRUE, 16, &text))
    return;
  if (!till_alipay_yuan_parse (text, TRUE, &amount) || amount < TILL_ALIPAY_MIN_FEN
      || amount > TILL_ALIPAY_MAX_FEN)
    {
      till_paysim_ali_business (call, "ACQ.INVALID_PARAMETER", "参数refund_amount不合法", NULL);
      return;
    }
  if (request_no != NULL && !till_alipay_valid_number (request_no))
    {
      till_paysim_ali_business (call, "ACQ.INVALID_PARAMETER", "参数out_request_no不合法", NULL);
      return;
    }
  t = till_paysim_ali_find_trade (call);
  if (t == NULL)
    return;
  /* §5.6: a refund without its own number is the trade's own (a full refund) */
  if (request_no == NULL)
    request_no = t->out_trade_no;

  /* a repeat: the same answer, fund_change N; another amount is refused */
  existing = till_paysim_alipay_ledger_find_refund (self->alipay_ledger, t->id, request_no,
                                                    &error);
  if (error != NULL)
    {
      till_paysim_ali_internal (call, error);
      return;
    }
  if (existing != NULL)
    {
      if (existing->amount != amount)
        till_paysim_ali_business (call, "ACQ.DISCORDANT_REPEAT_REQUEST",
                                  "同一笔退款请求的金额与原请求不一致", t->out_trade_no);
      else
        answer_refund (call, t, FALSE, t->refunded, existing->created_ms, 0);
      return;
    }

  if (t->paid_ms == 0 || g_str_equal (t->status, TILL_PAYSIM_ALIPAY_WAIT))
    till_paysim_ali_business (call, "ACQ.TRADE_STATUS_ERROR", "交易状态不合法", t->out_trade_no);
  else if (g_str_equal (t->status, TILL_PAYSIM_ALIPAY_CLOSED))
    till_paysim_ali_business (call, "ACQ.TRADE_HAS_CLOSE", "交易已经关闭", t->out_trade_no);
  else if (call->now_ms - t->paid_ms > REFUND_WINDOW_MS)
    till_paysim_ali_business (call, "ACQ.TRADE_HAS_FINISHED", "交易已完结，不能退款",
                              t->out_trade_no);
  else if (amount > t->total - t->refunded
           || (g_str_equal (request_no, t->out_trade_no) && amount != t->total))
    till_paysim_ali_business (call, "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限",
                              t->out_trade_no);
  else if (self->alipay_strict_refunds && t->last_refund_ms != 0
           && call->now_ms - t->last_refund_ms < STRICT_GAP_MS)
    till_paysim_ali_business (call, "ACQ.SYSTEM_ERROR", "退款请求过于频繁，请3秒后再试",
                              t->out_trade_no);
  else if (!till_paysim_alipay_ledger_refund (self->alipay_ledger, t->id, request_no, amount,
                                              reason, call->now_ms, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        till_paysim_ali_business (call, "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限",
                                  t->out_trade_no);
      else
        till_paysim_ali_internal (call, error);
    }
  else
    {
      g_message ("Alipay refund %s/%s: %" G_GINT64_FORMAT " fen (%" G_GINT64_FORMAT " of %"
                 G_GINT64_FORMAT " refunded)", t->out_trade_no, request_no, amount,
                 t->refunded + amount, t->total);
      answer_refund (call, t, TRUE, t->refunded + amount, call->now_ms, amount);
    }
}

void
till_paysim_ali_refund_query (TillPaysimAliCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaysimAliTrade) t = NULL;
  g_autoptr(TillPaysimAliRefund) r = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  const char *request_no;

  if (!till_paysim_ali_biz_str (call, "out_request_no", TRUE, 64, &request_no))
    return;
  t = till_paysim_ali_find_trade (call);
  if (t == NULL)
    return;
  r = till_paysim_alipay_ledger_find_refund (call->sim->alipay_ledger, t->id, request_no, &error);
  if (error != NULL)
    {
      till_paysim_ali_internal (call, error);
      return;
    }
  b = till_paysim_ali_begin (TILL_ALIPAY_CODE_SUCCESS);
  till_paysim_ali_add_str (b, "trade_no", t->trade_no);
  till_paysim_ali_add_str (b, "out_trade_no", t->out_trade_no);
  /* §5.6: no such refund is a 10000 without the refund's fields */
  if (r != NULL)
    {
      g_autofree char *when = till_paysim_ali_time (r->created_ms);

      till_paysim_ali_add_str (b, "out_request_no", request_no);
      till_paysim_ali_add_yuan (b, "total_amount", t->total);
      till_paysim_ali_add_yuan (b, "refund_amount", r->amount);
      till_paysim_ali_add_str (b, "refund_status", "REFUND_SUCCESS");
      till_paysim_ali_add_str (b, "gmt_refund_pay", when);
      till_paysim_ali_add_str (b, "refund_reason", r->reason);
    }
  till_paysim_ali_end (call, b);
}

/* ---- the bill ------------------------------------------------------------------------ */

void
till_paysim_ali_bill_url (TillPaysimAliCall *call)
{
  TillPaysim *self = call->sim;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) trades = NULL;
  g_autoptr(GPtrArray) refunds = NULL;
  g_autoptr(GBytes) zip = NULL;
  g_autofree char *today = till_paysim_bill_format_date (call->now_ms);
  g_autofree char *name = NULL;
  g_autofree char *token = NULL;
  g_autofree char *url = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  const char *type, *date;
  gint64 start_ms = 0, today_ms = 0;
  gboolean released = FALSE;
  guint rows = 0;

  if (!till_paysim_ali_biz_str (call, "bill_type", TRUE, 32, &type)
      || !till_paysim_ali_biz_str (call, "bill_date", TRUE, 16, &date))
    return;
  if (!g_str_equal (type, "trade") || !till_paysim_bill_parse_date (date, &start_ms))
    {
      till_paysim_ali_business (call, "invalid_arguments", "参数bill_type或bill_date不合法", NULL);
      return;
    }
  till_paysim_bill_parse_date (today, &today_ms);
  /* never today (T+1), unless a test released it (POST /_sim/bill/{date}) */
  if (!till_paysim_ledger_bill_released (self->ledger, date, &released, &error))
    {
      till_paysim_ali_internal (call, error);
      return;
    }
  if (start_ms >= today_ms && !released)
    {
      till_paysim_ali_business (call, "invalid_arguments", "账单日期不能是今天或以后", NULL);
      return;
    }
  trades = till_paysim_alipay_ledger_list (self->alipay_ledger, &error);
  if (trades != NULL)
    refunds = till_paysim_alipay_ledger_list_refunds (self->alipay_ledger, 0, &error);
  if (refunds == NULL)
    {
      till_paysim_ali_internal (call, error);
      return;
    }
  zip = till_paysim_alipay_bill_build (self->alipay_pid, start_ms, call->now_ms, trades, refunds,
                                       &rows, &name, &error);
  if (zip == NULL)
    {
      till_paysim_ali_internal (call, error);
      return;
    }
  if (rows == 0)
    {
      till_paysim_ali_business (call, "isp.bill_not_exist", "账单不存在", NULL);
      return;
    }

  {
    TillPaysimBillToken *t = g_new0 (TillPaysimBillToken, 1);
    GHashTableIter iter;
    gpointer value;

    t->content = g_steal_pointer (&zip);
    t->expires_ms = call->now_ms + TILL_PAYSIM_ALIPAY_BILL_TOKEN_MS;
    g_hash_table_iter_init (&iter, self->alipay_bill_tokens);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      if (((TillPaysimBillToken *) value)->expires_ms < call->now_ms)
        g_hash_table_iter_remove (&iter);
    token = till_paysim_api_random_alnum (40);
    g_hash_table_insert (self->alipay_bill_tokens, g_strdup (token), t);
  }
  url = g_strconcat (self->base_url, "/_sim/alipaybill/", token, NULL);
  g_message ("Alipay bill of %s: %u rows, %s", date, rows, name);
  b = till_paysim_ali_begin (TILL_ALIPAY_CODE_SUCCESS);
  till_paysim_ali_add_str (b, "bill_download_url", url);
  till_paysim_ali_end (call, b);
}

void
till_paysim_alipay_bill_file (TillPaysim        *self,
                              SoupServerMessage *msg,
                              const char        *token)
{
  TillPaysimBillToken *t = g_hash_table_lookup (self->alipay_bill_tokens, token);

  if (t == NULL || t->expires_ms < till_paysim_now_ms (self))
    {
      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_STATIC,
                                        "the bill download address has expired\n", 38);
      return;
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Content-Disposition", "attachment; filename=\"bill.csv.zip\"");
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/zip", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (t->content, NULL),
                                    g_bytes_get_size (t->content));
}
