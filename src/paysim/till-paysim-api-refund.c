/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's WeChat Pay v3 refund and bill endpoints (reference §4–§6): refund
 * create/query, trade bill and bill download. */
#define G_LOG_DOMAIN "till-paysim"

#include "config.h"

#include <string.h>

#include "till-paysim-bill.h"
#include "till-paysim-private.h"

#define DAY_MS            (G_GINT64_CONSTANT (86400000))
#define REFUND_DELAY_MS    1000      /* a refund is PROCESSING for 1 s, then SUCCESS */
#define REFUND_WINDOW_MS   (365 * DAY_MS)
#define BILL_TOKEN_MS      30000
#define BILL_MAX_AGE_DAYS  92        /* "the last 3 months" */

/* ---- helpers ----------------------------------------------------------------------- */

static gboolean
is_out_refund_no (const char *s)
{
  gsize n = strlen (s);

  if (n < 1 || n > 64)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("_-|*@", *p) == NULL)
      return FALSE;
  return TRUE;
}

static JsonNode *
refund_json (TillPaysimRefund *r,
             TillPaysimOrder  *o)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *created = till_paysim_api_format_rfc3339 (r->created_ms);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "refund_id");
  json_builder_add_string_value (b, r->refund_id);
  json_builder_set_member_name (b, "out_refund_no");
  json_builder_add_string_value (b, r->out_refund_no);
  json_builder_set_member_name (b, "transaction_id");
  json_builder_add_string_value (b, o->transaction_id);
  json_builder_set_member_name (b, "out_trade_no");
  json_builder_add_string_value (b, o->out_trade_no);
  json_builder_set_member_name (b, "channel");
  json_builder_add_string_value (b, "ORIGINAL");
  json_builder_set_member_name (b, "user_received_account");
  json_builder_add_string_value (b, "支付用户零钱");
  if (r->success_ms != 0)
    {
      g_autofree char *when = till_paysim_api_format_rfc3339 (r->success_ms);
      json_builder_set_member_name (b, "success_time");
      json_builder_add_string_value (b, when);
    }
  json_builder_set_member_name (b, "create_time");
  json_builder_add_string_value (b, created);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, r->status);
  json_builder_set_member_name (b, "funds_account");
  json_builder_add_string_value (b, "AVAILABLE");
  json_builder_set_member_name (b, "amount");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, r->total);
  json_builder_set_member_name (b, "refund");
  json_builder_add_int_value (b, r->amount);
  json_builder_set_member_name (b, "from");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "payer_total");
  json_builder_add_int_value (b, o->total);
  json_builder_set_member_name (b, "payer_refund");
  json_builder_add_int_value (b, r->amount);
  json_builder_set_member_name (b, "settlement_refund");
  json_builder_add_int_value (b, r->amount);
  json_builder_set_member_name (b, "settlement_total");
  json_builder_add_int_value (b, o->total);
  json_builder_set_member_name (b, "discount_refund");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "currency");
  json_builder_add_string_value (b, r->currency);
  json_builder_set_member_name (b, "refund_fee");
  json_builder_add_int_value (b, 0);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "promotion_detail");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- refunds ----------------------------------------------------------------------- */

void
till_paysim_api_refund_create (TillPaysimCall *call)
{
  TillPaysim *self = call->sim;
  g_autoptr(JsonObject) body = till_paysim_api_parse_body (call);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaysimOrder) o = NULL;
  g_autoptr(TillPaysimRefund) existing = NULL;
  g_autoptr(TillPaysimRefund) r = NULL;
  const char *transaction_id, *out_trade_no, *out_refund_no, *reason, *currency, *notify_url;
  gint64 refund = 0, total = 0;

  if (body == NULL
      || !till_paysim_api_get_string (call, body, "transaction_id", FALSE, 32, &transaction_id)
      || !till_paysim_api_get_string (call, body, "out_trade_no", FALSE, 32, &out_trade_no)
      || !till_paysim_api_get_string (call, body, "out_refund_no", TRUE, 64, &out_refund_no)
      || !till_paysim_api_get_string (call, body, "reason", FALSE, 80, &reason)
      || !till_paysim_api_get_string (call, body, "notify_url", FALSE, 256, &notify_url)
      || !till_paysim_api_get_int (call, body, "amount.refund", TRUE, 1, &refund, NULL)
      || !till_paysim_api_get_int (call, body, "amount.total", TRUE, 1, &total, NULL)
      || !till_paysim_api_get_string (call, body, "amount.currency", TRUE, 16, &currency)
      || !till_paysim_api_check_currency (call, currency))
    return;
  if (transaction_id == NULL && out_trade_no == NULL)
    {
      till_paysim_call_param_error (call, "out_trade_no", "/body/out_trade_no",
                                    "transaction_id和out_trade_no必须二选一");
      return;
    }
  if (!is_out_refund_no (out_refund_no))
    {
      till_paysim_call_param_error (call, "out_refund_no", "/body/out_refund_no",
                                    "字符串规则校验失败，应为1-64位数字、大小写字母或_-|*@");
      return;
    }

  if (transaction_id != NULL)
    o = till_paysim_ledger_find_order_by_transaction_id (self->ledger, transaction_id, &error);
  else
    o = till_paysim_ledger_find_order (self->ledger, out_trade_no, &error);
  if (error == NULL)
    existing = till_paysim_ledger_find_refund (self->ledger, out_refund_no, &error);
  if (error != NULL)
    {
      till_paysim_call_internal_error (call, error);
      return;
    }
  if (o == NULL || (transaction_id != NULL && out_trade_no != NULL
                    && !g_str_equal (o->out_trade_no, out_trade_no)))
    {
      till_paysim_call_error (call, 404, "RESOURCE_NOT_EXISTS", "订单不存在");
      return;
    }

  if (existing != NULL)
    {
      /* out_refund_no is the idempotency key: the same refund is answered again. */
      if (existing->order_id != o->id || existing->amount != refund || existing->total != total)
        {
          till_paysim_call_error (call, 400, "INVALID_REQUEST",
                                  "商户退款单号已存在，且与原退款请求参数不一致");
          return;
        }
      {
        g_autoptr(JsonNode) node = refund_json (existing, o);
        till_paysim_call_json (call, 200, node);
      }
      return;
    }

  if (!till_paysim_api_order_paid (o))
    {
      till_paysim_call_error (call, 400, "INVALID_REQUEST",
                              g_str_equal (o->state, "REVOKED") ? "订单已撤销，不能退款"
                                                                : "订单未支付，不能退款");
      return;
    }
  if (total != o->total)
    {
      till_paysim_call_error (call, 400, "INVALID_REQUEST", "订单金额与原订单金额不一致");
      return;
    }
  if (call->now_ms - o->success_ms > REFUND_WINDOW_MS)
    {
      till_paysim_call_error (call, 400, "INVALID_REQUEST", "订单已超过退款期限（1年）");
      return;
    }

  r = g_new0 (TillPaysimRefund, 1);
  r->out_refund_no = g_strdup (out_refund_no);
  r->order_id = o->id;
  r->amount = refund;
  r->total = total;
  r->currency = g_strdup (currency);
  r->reason = g_strdup (reason);
  r->created_ms = call->now_ms;
  r->success_at_ms = call->now_ms + REFUND_DELAY_MS;
  if (!till_paysim_ledger_insert_refund (self->ledger, r, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        till_paysim_call_error (call, 400, "INVALID_REQUEST", "申请退款金额超过订单可退金额，请核实");
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS))
        till_paysim_call_error (call, 400, "INVALID_REQUEST", "订单退款次数已达上限（50次）");
      else
        till_paysim_call_internal_error (call, error);
      return;
    }
  g_message ("refund %s of %s: %" G_GINT64_FORMAT " fen", r->out_refund_no, o->out_trade_no,
             r->amount);
  {
    g_autoptr(JsonNode) node = refund_json (r, o);
    till_paysim_call_json (call, 200, node);
  }
}

void
till_paysim_api_refund_query (TillPaysimCall *call,
                              const char     *out_refund_no)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaysimRefund) r = till_paysim_ledger_find_refund (call->sim->ledger, out_refund_no,
                                                                  &error);
  g_autoptr(TillPaysimOrder) o = NULL;

  if (error == NULL && r != NULL)
    o = till_paysim_ledger_find_order (call->sim->ledger, r->out_trade_no, &error);
  if (error != NULL)
    till_paysim_call_internal_error (call, error);
  else if (r == NULL || o == NULL)
    till_paysim_call_error (call, 404, "RESOURCE_NOT_EXISTS", "退款单不存在");
  else
    {
      g_autoptr(JsonNode) node = refund_json (r, o);
      till_paysim_call_json (call, 200, node);
    }
}

/* ---- bills ------------------------------------------------------------------------- */

void
till_paysim_api_tradebill (TillPaysimCall *call)
{
  TillPaysim *self = call->sim;
  const char *bill_date = g_hash_table_lookup (call->params, "bill_date");
  const char *bill_type = g_hash_table_lookup (call->params, "bill_type");
  const char *tar_type = g_hash_table_lookup (call->params, "tar_type");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GPtrArray) refunds = NULL;
  g_autoptr(GBytes) bill = NULL;
  g_autofree char *today = till_paysim_bill_format_date (call->now_ms);
  g_autofree char *hash = NULL, *token = NULL, *url = NULL;
  gint64 start_ms, today_ms;
  gboolean released = FALSE, gzip;
  guint rows = 0;

  if (bill_date == NULL)
    {
      till_paysim_call_param_error (call, "bill_date", "/query/bill_date", "字段缺失，该字段为必填");
      return;
    }
  if (!till_paysim_bill_parse_date (bill_date, &start_ms))
    {
      till_paysim_call_param_error (call, "bill_date", "/query/bill_date",
                                    "日期格式错误，应为yyyy-MM-dd");
      return;
    }
  if (bill_type == NULL)
    bill_type = "ALL";
  if (!g_str_equal (bill_type, "ALL") && !g_str_equal (bill_type, "SUCCESS")
      && !g_str_equal (bill_type, "REFUND"))
    {
      till_paysim_call_param_error (call, "bill_type", "/query/bill_type",
                                    "枚举值校验失败，模拟器支持ALL、SUCCESS、REFUND");
      return;
    }
  if (tar_type != NULL && !g_str_equal (tar_type, "GZIP"))
    {
      till_paysim_call_param_error (call, "tar_type", "/query/tar_type", "枚举值校验失败，仅支持GZIP");
      return;
    }
  gzip = tar_type != NULL;

  till_paysim_bill_parse_date (today, &today_ms);
  if (start_ms > today_ms)
    {
      till_paysim_call_error (call, 400, "INVALID_REQUEST", "账单日期不能晚于今天");
      return;
    }
  if (start_ms < today_ms - BILL_MAX_AGE_DAYS * DAY_MS)
    {
      till_paysim_call_error (call, 400, "INVALID_REQUEST", "只能下载三个月以内的账单");
      return;
    }
  if (!till_paysim_ledger_bill_released (self->ledger, bill_date, &released, &error))
    {
      till_paysim_call_internal_error (call, error);
      return;
    }
  /* Generated from 09:00 the next day, fetchable from 10:00 (Beijing time). */
  if (!released && call->now_ms < start_ms + DAY_MS + 10 * 3600 * 1000)
    {
      till_paysim_call_error (call, 400, "STATEMENT_CREATING", "账单生成中，请稍后再试");
      return;
    }

  orders = till_paysim_ledger_list_orders (self->ledger, &error);
  if (orders != NULL)
    refunds = till_paysim_ledger_list_refunds (self->ledger, 0, &error);
  if (refunds == NULL)
    {
      till_paysim_call_internal_error (call, error);
      return;
    }
  bill = till_paysim_bill_build (orders, refunds, start_ms, bill_type, &rows);
  if (rows == 0)
    {
      till_paysim_call_error (call, 400, "NO_STATEMENT_EXIST", "账单文件不存在，请检查当日是否有交易");
      return;
    }

  hash = till_paysim_bill_sha1 (bill);
  {
    TillPaysimBillToken *t = g_new0 (TillPaysimBillToken, 1);
    GHashTableIter iter;
    gpointer value;

    t->gzip = gzip;
    t->expires_ms = call->now_ms + BILL_TOKEN_MS;
    t->content = gzip ? till_paysim_bill_gzip (bill, &error) : g_bytes_ref (bill);
    if (t->content == NULL)
      {
        g_free (t);
        till_paysim_call_internal_error (call, error);
        return;
      }
    /* Forget expired tokens. */
    g_hash_table_iter_init (&iter, self->bill_tokens);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      if (((TillPaysimBillToken *) value)->expires_ms < call->now_ms)
        g_hash_table_iter_remove (&iter);
    token = till_paysim_api_random_alnum (40);
    g_hash_table_insert (self->bill_tokens, g_strdup (token), t);
  }
  url = g_strconcat (self->base_url, "/v3/billdownload/file?token=", token,
                     gzip ? "&tartype=gzip" : "", NULL);

  {
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
    JsonObject *obj = json_object_new ();

    json_object_set_string_member (obj, "hash_type", "SHA1");
    json_object_set_string_member (obj, "hash_value", hash);
    json_object_set_string_member (obj, "download_url", url);
    json_node_take_object (node, obj);
    till_paysim_call_json (call, 200, node);
  }
}

void
till_paysim_api_billdownload (TillPaysimCall *call)
{
  const char *token = g_hash_table_lookup (call->params, "token");
  TillPaysimBillToken *t = token != NULL ? g_hash_table_lookup (call->sim->bill_tokens, token) : NULL;

  if (t == NULL || t->expires_ms < call->now_ms)
    {
      till_paysim_call_error (call, 400, "INVALID_REQUEST", "下载链接已过期或无效，请重新获取账单");
      return;
    }
  g_clear_pointer (&call->answer, g_bytes_unref);
  call->answer = g_bytes_ref (t->content);
  call->status = 200;
  call->content_type = t->gzip ? "application/x-gzip" : "text/plain; charset=utf-8";
  /* Bill files are not signed (reference §6.2). */
  call->unsigned_answer = TRUE;
}
