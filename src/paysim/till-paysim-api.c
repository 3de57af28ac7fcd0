/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's WeChat Pay v3 endpoints (reference §1–§6, outcomes per §13.2): codepay,
 * query, reverse, Native, close, refunds, trade bill and bill download. */
#define G_LOG_DOMAIN "till-paysim"

#include "config.h"

#include <string.h>

#include "till-paysim-bill.h"
#include "till-paysim-private.h"

#define BEIJING_OFFSET_S  (8 * 3600)
#define DAY_MS            (G_GINT64_CONSTANT (86400000))
#define USERPAYING_FAIL_MS 6000      /* …7777: PAYERROR after 6 s */
#define HOLD_5555_MS       60000     /* …5555: no answer for 60 s */
#define REVERSE_WINDOW_MS  (7 * DAY_MS)

/* ---- small helpers ----------------------------------------------------------------- */

char *
till_paysim_api_format_rfc3339 (gint64 ms)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (BEIJING_OFFSET_S);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S+08:00");
}

char *
till_paysim_api_random_alnum (guint n)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  GString *s = g_string_sized_new (n);

  for (guint i = 0; i < n; i++)
    g_string_append_c (s, alphabet[g_random_int_range (0, sizeof alphabet - 1)]);
  return g_string_free (s, FALSE);
}

static char *
new_openid (void)
{
  g_autofree char *tail = till_paysim_api_random_alnum (27);

  return g_strconcat ("o", tail, NULL);
}

/* The unescaped path segment after `prefix`, up to the next '/' (suffix in *rest). */
static char *
path_segment (const char  *path,
              const char  *prefix,
              const char **rest)
{
  const char *start = path + strlen (prefix);
  const char *slash = strchr (start, '/');
  g_autofree char *raw = slash ? g_strndup (start, slash - start) : g_strdup (start);

  *rest = slash ? slash : "";
  return g_uri_unescape_string (raw, NULL);
}

static gboolean
is_out_trade_no (const char *s)
{
  gsize n = strlen (s);

  if (n < 6 || n > 32)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '*' && *p != '|')
      return FALSE;
  return TRUE;
}

static const char *
state_desc (TillPaysimOrder *o)
{
  const char *s = o->state;

  if (g_str_equal (s, "SUCCESS"))
    return "支付成功";
  if (g_str_equal (s, "REFUND"))
    return "转入退款";
  if (g_str_equal (s, "NOTPAY"))
    return "未支付";
  if (g_str_equal (s, "CLOSED"))
    return "已关闭";
  if (g_str_equal (s, "REVOKED"))
    return "已撤销";
  if (g_str_equal (s, "USERPAYING"))
    return "需要用户输入支付密码";
  if (g_strcmp0 (o->error_code, "NOT_ENOUGH") == 0)
    return "用户余额不足，支付失败";
  if (g_strcmp0 (o->error_code, "AUTH_CODE_INVALID") == 0)
    return "付款码已过期，支付失败";
  return "支付失败，请撤销订单";
}

gboolean
till_paysim_api_order_paid (TillPaysimOrder *o)
{
  return g_str_equal (o->state, "SUCCESS") || g_str_equal (o->state, "REFUND");
}

/* ---- JSON input -------------------------------------------------------------------- */

JsonObject *
till_paysim_api_parse_body (TillPaysimCall *call)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (call->body_len == 0
      || !json_parser_load_from_data (parser, call->body, call->body_len, &error)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      till_paysim_call_param_error (call, "body", "body", "请求体不是合法的JSON对象");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* Looks up "a.b.c" in obj. FALSE (with a PARAM_ERROR answer) on a type mismatch, or when
 * required and missing. *out NULL when optional and missing. */
static gboolean
get_member (TillPaysimCall *call,
            JsonObject     *obj,
            const char     *dotted,
            gboolean        required,
            GType           want,
            JsonNode      **out)
{
  g_auto(GStrv) parts = g_strsplit (dotted, ".", -1);
  g_autofree char *location = g_strconcat ("/body/", dotted, NULL);
  JsonObject *cur = obj;
  JsonNode *node = NULL;

  for (char *p = location; *p; p++)
    if (*p == '.')
      *p = '/';

  for (guint i = 0; parts[i] != NULL; i++)
    {
      node = cur != NULL ? json_object_get_member (cur, parts[i]) : NULL;
      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        {
          node = NULL;
          break;
        }
      if (parts[i + 1] != NULL)
        {
          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              till_paysim_call_param_error (call, parts[i], location, "类型错误，应为对象");
              return FALSE;
            }
          cur = json_node_get_object (node);
        }
    }

  if (node == NULL)
    {
      if (required)
        {
          till_paysim_call_param_error (call, dotted, location, "字段缺失，该字段为必填");
          return FALSE;
        }
      *out = NULL;
      return TRUE;
    }

  if ((want == JSON_TYPE_OBJECT && !JSON_NODE_HOLDS_OBJECT (node))
      || (want == G_TYPE_STRING
          && (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING))
      || (want == G_TYPE_INT64
          && (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64))
      || (want == G_TYPE_BOOLEAN
          && (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)))
    {
      till_paysim_call_param_error (call, dotted, location,
                                    want == G_TYPE_STRING   ? "类型错误，应为字符串"
                                    : want == G_TYPE_INT64  ? "类型错误，应为整数"
                                    : want == G_TYPE_BOOLEAN ? "类型错误，应为布尔值"
                                                             : "类型错误，应为对象");
      return FALSE;
    }
  *out = node;
  return TRUE;
}

gboolean
till_paysim_api_get_string (TillPaysimCall *call,
                            JsonObject     *obj,
                            const char     *dotted,
                            gboolean        required,
                            glong           max_chars,
                            const char    **out)
{
  JsonNode *node;

  if (!get_member (call, obj, dotted, required, G_TYPE_STRING, &node))
    return FALSE;
  *out = node != NULL ? json_node_get_string (node) : NULL;
  if (*out != NULL && (**out == '\0' && required))
    {
      g_autofree char *location = g_strconcat ("/body/", dotted, NULL);
      till_paysim_call_param_error (call, dotted, location, "字符串规则校验失败，字符串不能为空");
      return FALSE;
    }
  if (*out != NULL && g_utf8_strlen (*out, -1) > max_chars)
    {
      g_autofree char *location = g_strconcat ("/body/", dotted, NULL);
      g_autofree char *issue = g_strdup_printf ("字符串规则校验失败，字节数 %ld，大于最大值 %ld",
                                                g_utf8_strlen (*out, -1), max_chars);
      till_paysim_call_param_error (call, dotted, location, issue);
      return FALSE;
    }
  return TRUE;
}

gboolean
till_paysim_api_get_int (TillPaysimCall *call,
                         JsonObject     *obj,
                         const char     *dotted,
                         gboolean        required,
                         gint64          min,
                         gint64         *out,
                         gboolean       *present)
{
  JsonNode *node;

  if (!get_member (call, obj, dotted, required, G_TYPE_INT64, &node))
    return FALSE;
  if (present != NULL)
    *present = node != NULL;
  if (node == NULL)
    return TRUE;
  *out = json_node_get_int (node);
  if (*out < min)
    {
      g_autofree char *location = g_strconcat ("/body/", dotted, NULL);
      g_autofree char *issue = g_strdup_printf ("整数规则校验失败，值低于最小值 %" G_GINT64_FORMAT, min);
      till_paysim_call_param_error (call, dotted, location, issue);
      return FALSE;
    }
  return TRUE;
}

/* mchid (and appid when given) must be the simulator's. */
static gboolean
check_ids (TillPaysimCall *call,
           const char     *mchid,
           const char     *appid)
{
  if (mchid != NULL && !g_str_equal (mchid, call->sim->mchid))
    {
      till_paysim_call_error (call, 400, "INVALID_REQUEST", "请求中的商户号与签名中的商户号不一致");
      return FALSE;
    }
  if (appid != NULL && !g_str_equal (appid, call->sim->appid))
    {
      till_paysim_call_error (call, 400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配，请检查后再试");
      return FALSE;
    }
  return TRUE;
}

gboolean
till_paysim_api_check_currency (TillPaysimCall *call,
                                const char     *currency)
{
  if (currency != NULL && !g_str_equal (currency, "CNY"))
    {
      till_paysim_call_param_error (call, "amount.currency", "/body/amount/currency",
                                    "枚举值校验失败，仅支持CNY");
      return FALSE;
    }
  return TRUE;
}

/* ---- answers built from orders ----------------------------------------------------- */

static JsonNode *
order_json (TillPaysim      *self,
            TillPaysimOrder *o)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gboolean paid = till_paysim_api_order_paid (o);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "appid");
  json_builder_add_string_value (b, o->appid);
  json_builder_set_member_name (b, "mchid");
  json_builder_add_string_value (b, o->mchid);
  json_builder_set_member_name (b, "out_trade_no");
  json_builder_add_string_value (b, o->out_trade_no);
  if (o->transaction_id != NULL)
    {
      json_builder_set_member_name (b, "transaction_id");
      json_builder_add_string_value (b, o->transaction_id);
    }
  json_builder_set_member_name (b, "trade_type");
  json_builder_add_string_value (b, o->trade_type);
  json_builder_set_member_name (b, "trade_state");
  json_builder_add_string_value (b, o->state);
  json_builder_set_member_name (b, "trade_state_desc");
  json_builder_add_string_value (b, state_desc (o));
  if (paid)
    {
      g_autofree char *when = till_paysim_api_format_rfc3339 (o->success_ms);

      json_builder_set_member_name (b, "bank_type");
      json_builder_add_string_value (b, "OTHERS");
      if (o->attach != NULL)
        {
          json_builder_set_member_name (b, "attach");
          json_builder_add_string_value (b, o->attach);
        }
      json_builder_set_member_name (b, "success_time");
      json_builder_add_string_value (b, when);
      json_builder_set_member_name (b, "payer");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "openid");
      json_builder_add_string_value (b, o->openid);
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "amount");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, o->total);
  if (paid)
    {
      json_builder_set_member_name (b, "payer_total");
      json_builder_add_int_value (b, o->total);
    }
  json_builder_set_member_name (b, "currency");
  json_builder_add_string_value (b, o->currency);
  if (paid)
    {
      json_builder_set_member_name (b, "payer_currency");
      json_builder_add_string_value (b, o->currency);
    }
  json_builder_end_object (b);
  if (o->device_id != NULL)
    {
      json_builder_set_member_name (b, "scene_info");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "device_id");
      json_builder_add_string_value (b, o->device_id);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
till_paysim_api_order_ledger_json (TillPaysim       *self,
                                   TillPaysimOrder  *o,
                                   GError          **error)
{
  g_autoptr(GPtrArray) refunds = till_paysim_ledger_list_refunds (self->ledger, o->id, error);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gboolean was_paid = o->success_ms != 0;
  gboolean returned = g_str_equal (o->state, "REVOKED") && was_paid;
  gint64 charged = was_paid && !returned ? o->total : 0;

  if (refunds == NULL)
    return NULL;

  json_builder_begin_object (b);
#define STR(name, value)                                   \
  json_builder_set_member_name (b, name);                  \
  if ((value) != NULL)                                     \
    json_builder_add_string_value (b, value);              \
  else                                                     \
    json_builder_add_null_value (b);
#define INT(name, value)                                   \
  json_builder_set_member_name (b, name);                  \
  json_builder_add_int_value (b, value);

  STR ("provider", "wechat");
  STR ("out_trade_no", o->out_trade_no);
  STR ("transaction_id", o->transaction_id);
  STR ("trade_type", o->trade_type);
  STR ("state", o->state);
  STR ("state_desc", state_desc (o));
  STR ("error_code", o->error_code);
  STR ("scenario", o->scenario);
  STR ("pending_state", o->pending_state);
  INT ("pending_at_ms", o->pending_at_ms);
  STR ("description", o->description);
  STR ("attach", o->attach);
  STR ("auth_code", o->auth_code);
  STR ("device_id", o->device_id);
  STR ("code_url", o->code_url);
  STR ("openid", o->openid);
  STR ("currency", o->currency);
  INT ("total", o->total);
  json_builder_set_member_name (b, "was_paid");
  json_builder_add_boolean_value (b, was_paid);
  json_builder_set_member_name (b, "reversed_after_payment");
  json_builder_add_boolean_value (b, returned);
  INT ("charged", charged);
  INT ("refunded", o->refunded);
  INT ("net", charged - o->refunded);
  INT ("created_ms", o->created_ms);
  INT ("success_ms", o->success_ms);
  INT ("ended_ms", o->ended_ms);
  json_builder_set_member_name (b, "refunds");
  json_builder_begin_array (b);
  for (guint i = 0; i < refunds->len; i++)
    {
      TillPaysimRefund *r = g_ptr_array_index (refunds, i);

      json_builder_begin_object (b);
      STR ("out_refund_no", r->out_refund_no);
      STR ("refund_id", r->refund_id);
      INT ("amount", r->amount);
      INT ("total", r->total);
      STR ("status", r->status);
      STR ("reason", r->reason);
      INT ("created_ms", r->created_ms);
      INT ("success_ms", r->success_ms);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
#undef STR
#undef INT
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
answer_order (TillPaysimCall  *call,
              TillPaysimOrder *o)
{
  g_autoptr(JsonNode) node = order_json (call->sim, o);

  till_paysim_call_json (call, 200, node);
}

static void
answer_userpaying (TillPaysimCall *call)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *obj = json_object_new ();

  /* Real v3 codepay sends only trade_state with the 202 (reference §1.2). */
  json_object_set_string_member (obj, "trade_state", "USERPAYING");
  json_node_take_object (node, obj);
  till_paysim_call_json (call, 202, node);
}

/* What codepay answers for an order in its current state (a retry, or the first answer
 * of the plain outcomes). */
static void
answer_codepay_state (TillPaysimCall  *call,
                      TillPaysimOrder *o)
{
  const char *s = o->state;

  if (till_paysim_api_order_paid (o))
    answer_order (call, o);
  else if (g_str_equal (s, "USERPAYING"))
    answer_userpaying (call);
  else if (g_str_equal (s, "REVOKED"))
    till_paysim_call_error (call, 400, "ORDER_REVERSED", "订单已撤销");
  else if (g_str_equal (s, "CLOSED"))
    till_paysim_call_error (call, 400, "ORDER_CLOSED", "订单已关闭");
  else if (g_strcmp0 (o->error_code, "NOT_ENOUGH") == 0)
    till_paysim_call_error (call, 403, "NOT_ENOUGH", "用户余额不足，请提示用户更换付款方式或充值");
  else if (g_strcmp0 (o->error_code, "AUTH_CODE_INVALID") == 0)
    till_paysim_call_error (call, 400, "AUTH_CODE_INVALID", "101 付款码已过期，请刷新后重新扫码");
  else
    till_paysim_call_error (call, 403, "TRADE_ERROR", "支付失败，请撤销订单");
}

/* ---- codepay ----------------------------------------------------------------------- */

static char *
fingerprint (const char *trade_type,
             const char *appid,
             const char *mchid,
             const char *description,
             const char *attach,
             const char *auth_code,
             const char *notify_url,
             gint64      total,
             const char *currency)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_array (b);
  json_builder_add_string_value (b, trade_type);
  json_builder_add_string_value (b, appid);
  json_builder_add_string_value (b, mchid);
  json_builder_add_string_value (b, description);
  json_builder_add_string_value (b, attach ? attach : "");
  json_builder_add_string_value (b, auth_code ? auth_code : "");
  json_builder_add_string_value (b, notify_url ? notify_url : "");
  json_builder_add_int_value (b, total);
  json_builder_add_string_value (b, currency);
  json_builder_end_array (b);
  node = json_builder_get_root (b);
  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

static void
api_codepay (TillPaysimCall *call)
{
  TillPaysim *self = call->sim;
  g_autoptr(JsonObject) body = till_paysim_api_parse_body (call);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaysimOrder) existing = NULL;
  g_autoptr(TillPaysimOrder) o = NULL;
  const char *appid, *mchid, *description, *out_trade_no, *attach, *auth_code, *currency;
  const char *device_id, *ending;
  g_autofree char *fp = NULL;
  JsonNode *scene, *store;
  gint64 total = 0;

  if (body == NULL
      || !till_paysim_api_get_string (call, body, "appid", TRUE, 32, &appid)
      || !till_paysim_api_get_string (call, body, "mchid", TRUE, 32, &mchid)
      || !till_paysim_api_get_string (call, body, "description", TRUE, 127, &description)
      || !till_paysim_api_get_string (call, body, "out_trade_no", TRUE, 32, &out_trade_no)
      || !till_paysim_api_get_string (call, body, "attach", FALSE, 128, &attach)
      || !till_paysim_api_get_string (call, body, "payer.auth_code", TRUE, 128, &auth_code)
      || !till_paysim_api_get_int (call, body, "amount.total", TRUE, 1, &total, NULL)
      || !till_paysim_api_get_string (call, body, "amount.currency", FALSE, 16, &currency)
      || !get_member (call, body, "scene_info", TRUE, JSON_TYPE_OBJECT, &scene)
      || !get_member (call, body, "scene_info.store_info", TRUE, JSON_TYPE_OBJECT, &store)
      || !till_paysim_api_get_string (call, body, "scene_info.device_id", FALSE, 32, &device_id)
      || !till_paysim_api_check_currency (call, currency)
      || !check_ids (call, mchid, appid))
    return;
  if (currency == NULL)
    currency = "CNY";
  if (!is_out_trade_no (out_trade_no))
    {
      till_paysim_call_param_error (call, "out_trade_no", "/body/out_trade_no",
                                    "字符串规则校验失败，应为6-32位数字、大小写字母或_-*|");
      return;
    }
  if (strlen (auth_code) != 18 || strspn (auth_code, "0123456789") != 18)
    {
      till_paysim_call_param_error (call, "payer.auth_code", "/body/payer/auth_code",
                                    "字符串规则校验失败，付款码应为18位数字");
      return;
    }
  if (auth_code[0] != '1' || auth_code[1] < '0' || auth_code[1] > '5')
    {
      till_paysim_call_error (call, 400, "AUTH_CODE_INVALID",
                              "101 付款码无效，请确认是否为微信付款码后重新扫码");
      return;
    }

  fp = fingerprint ("MICROPAY", appid, mchid, description, attach, auth_code, NULL, total, currency);
  existing = till_paysim_ledger_find_order (self->ledger, out_trade_no, &error);
  if (error != NULL)
    {
      till_paysim_call_internal_error (call, error);
      return;
    }
  if (existing != NULL)
    {
      if (!g_str_equal (existing->fingerprint, fp))
        {
          till_paysim_call_error (call, 400, "INVALID_REQUEST",
                                  "201 商户订单号重复，同一笔交易不能多次提交，请核实参数与原订单一致");
          return;
        }
      answer_codepay_state (call, existing);
      return;
    }

  ending = auth_code + 14;
  o = g_new0 (TillPaysimOrder, 1);
  o->out_trade_no = g_strdup (out_trade_no);
  o->trade_type = g_strdup ("MICROPAY");
  o->appid = g_strdup (appid);
  o->mchid = g_strdup (mchid);
  o->description = g_strdup (description);
  o->attach = g_strdup (attach);
  o->auth_code = g_strdup (auth_code);
  o->device_id = g_strdup (device_id);
  o->total = total;
  o->currency = g_strdup (currency);
  o->fingerprint = g_steal_pointer (&fp);
  o->openid = new_openid ();
  o->created_ms = call->now_ms;
  o->scenario = g_strdup (ending);

  if (g_str_equal (ending, "1111"))
    {
      o->state = g_strdup ("USERPAYING");
      o->pending_state = g_strdup ("SUCCESS");
      o->pending_at_ms = call->now_ms + self->password_delay_ms;
    }
  else if (g_str_equal (ending, "2222"))
    {
      o->state = g_strdup ("PAYERROR");
      o->error_code = g_strdup ("NOT_ENOUGH");
    }
  else if (g_str_equal (ending, "3333"))
    {
      o->state = g_strdup ("PAYERROR");
      o->error_code = g_strdup ("AUTH_CODE_INVALID");
    }
  else if (g_str_equal (ending, "6666"))
    o->state = g_strdup ("USERPAYING");
  else if (g_str_equal (ending, "7777"))
    {
      o->state = g_strdup ("USERPAYING");
      o->pending_state = g_strdup ("PAYERROR");
      o->pending_at_ms = call->now_ms + USERPAYING_FAIL_MS;
    }
  else
    {
      o->state = g_strdup ("SUCCESS");
      if (!g_str_equal (ending, "4444") && !g_str_equal (ending, "5555")
          && !g_str_equal (ending, "8888") && !g_str_equal (ending, "9999"))
        {
          g_free (o->scenario);
          o->scenario = g_strdup ("default");
        }
    }

  if (!till_paysim_ledger_insert_order (self->ledger, o, &error))
    {
      till_paysim_call_internal_error (call, error);
      return;
    }
  g_message ("codepay %s: %" G_GINT64_FORMAT " fen, scenario %s → %s", o->out_trade_no, o->total,
             o->scenario, o->state);

  if (g_str_equal (o->scenario, "4444"))
    till_paysim_call_error (call, 500, "SYSTEM_ERROR", "系统错误，请使用原商户订单号查询订单状态");
  else
    {
      answer_codepay_state (call, o);
      if (g_str_equal (o->scenario, "5555"))
        call->hold_ms = HOLD_5555_MS;
      else if (g_str_equal (o->scenario, "8888"))
        call->bad_signature = TRUE;
      else if (g_str_equal (o->scenario, "9999"))
        call->drop = TRUE;
    }
}

/* ---- query ------------------------------------------------------------------------- */

static gboolean
check_query_mchid (TillPaysimCall *call)
{
  const char *mchid = g_hash_table_lookup (call->params, "mchid");

  if (mchid == NULL || *mchid == '\0')
    {
      till_paysim_call_param_error (call, "mchid", "/query/mchid", "字段缺失，该字段为必填");
      return FALSE;
    }
  return check_ids (call, mchid, NULL);
}

static void
api_query (TillPaysimCall *call,
           const char     *out_trade_no,
           const char     *transaction_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaysimOrder) o = NULL;

  if (!check_query_mchid (call))
    return;
  if (out_trade_no != NULL)
    o = till_paysim_ledger_find_order (call->sim->ledger, out_trade_no, &error);
  else
    o = till_paysim_ledger_find_order_by_transaction_id (call->sim->ledger, transaction_id, &error);
  if (error != NULL)
    till_paysim_call_internal_error (call, error);
  else if (o == NULL)
    till_paysim_call_error (call, 404, "ORDER_NOT_EXIST", "订单不存在");
  else
    answer_order (call, o);
}

/* ---- reverse and close ------------------------------------------------------------- */

static void
api_reverse (TillPaysimCall *call,
             const char     *out_trade_no)
{
  g_autoptr(JsonObject) body = till_paysim_api_parse_body (call);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaysimOrder) o = NULL;
  const char *appid, *mchid;

  if (body == NULL
      || !till_paysim_api_get_string (call, body, "appid", TRUE, 32, &appid)
      || !till_paysim_api_get_string (call, body, "mchid", TRUE, 32, &mchid)
      || !check_ids (call, mchid, appid))
    return;

  o = till_paysim_ledger_find_order (call->sim->ledger, out_trade_no, &error);
  if (error != NULL)
    {
      till_paysim_call_internal_error (call, error);
      return;
    }
  if (o == NULL)
    {
      till_paysim_call_error (call, 404, "ORDER_NOT_EXIST", "订单不存在");
      return;
    }
  if (!g_str_equal (o->trade_type, "MICROPAY"))
    {
      till_paysim_call_error (call, 400, "INVALID_REQUEST", "该订单不是付款码支付订单，不能撤销，请使用关单接口");
      return;
    }
  if (g_str_equal (o->state, "REFUND"))
    {
      till_paysim_call_error (call, 400, "INVALID_REQUEST", "订单已发生退款，不能撤销");
      return;
    }
  if (!g_str_equal (o->state, "REVOKED"))
    {
      if (call->now_ms - o->created_ms > REVERSE_WINDOW_MS)
        {
          till_paysim_call_error (call, 400, "REVERSE_EXPIRE", "订单已超过撤销期限（7天），请使用退款接口");
          return;
        }
      if (!till_paysim_ledger_set_state (call->sim->ledger, o->id, "REVOKED", NULL, call->now_ms,
                                         &error))
        {
          till_paysim_call_internal_error (call, error);
          return;
        }
      g_message ("reverse %s: %s → REVOKED%s", o->out_trade_no, o->state,
                 o->success_ms != 0 ? " (money returned)" : "");
    }

  {
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
    JsonObject *obj = json_object_new ();

    json_object_set_string_member (obj, "appid", o->appid);
    json_object_set_string_member (obj, "mchid", o->mchid);
    json_object_set_string_member (obj, "out_trade_no", o->out_trade_no);
    json_node_take_object (node, obj);
    till_paysim_call_json (call, 200, node);
  }
}

static void
api_close (TillPaysimCall *call,
           const char     *out_trade_no)
{
  g_autoptr(JsonObject) body = till_paysim_api_parse_body (call);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaysimOrder) o = NULL;
  const char *mchid;

  if (body == NULL || !till_paysim_api_get_string (call, body, "mchid", TRUE, 32, &mchid)
      || !check_ids (call, mchid, NULL))
    return;

  o = till_paysim_ledger_find_order (call->sim->ledger, out_trade_no, &error);
  if (error != NULL)
    till_paysim_call_internal_error (call, error);
  else if (o == NULL)
    till_paysim_call_error (call, 404, "ORDER_NOT_EXIST", "订单不存在");
  else if (till_paysim_api_order_paid (o))
    till_paysim_call_error (call, 400, "ORDER_PAID", "订单已支付，不能关闭，请使用退款接口");
  else if (!g_str_equal (o->trade_type, "NATIVE"))
    till_paysim_call_error (call, 400, "INVALID_REQUEST", "付款码支付订单不能关闭，请使用撤销接口");
  else if (g_str_equal (o->state, "CLOSED"))
    call->status = 204;
  else if (!till_paysim_ledger_set_state (call->sim->ledger, o->id, "CLOSED", NULL, call->now_ms,
                                          &error))
    till_paysim_call_internal_error (call, error);
  else
    call->status = 204;
}

/* ---- Native ------------------------------------------------------------------------ */

static void
answer_code_url (TillPaysimCall  *call,
                 TillPaysimOrder *o)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "code_url", o->code_url);
  json_node_take_object (node, obj);
  till_paysim_call_json (call, 200, node);
}

static void
api_native (TillPaysimCall *call)
{
  TillPaysim *self = call->sim;
  g_autoptr(JsonObject) body = till_paysim_api_parse_body (call);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaysimOrder) existing = NULL;
  g_autoptr(TillPaysimOrder) o = NULL;
  const char *appid, *mchid, *description, *out_trade_no, *attach, *notify_url, *currency;
  const char *time_expire;
  g_autofree char *fp = NULL, *pr = NULL;
  gint64 total = 0, expire_ms;

  if (body == NULL
      || !till_paysim_api_get_string (call, body, "appid", TRUE, 32, &appid)
      || !till_paysim_api_get_string (call, body, "mchid", TRUE, 32, &mchid)
      || !till_paysim_api_get_string (call, body, "description", TRUE, 127, &description)
      || !till_paysim_api_get_string (call, body, "out_trade_no", TRUE, 32, &out_trade_no)
      || !till_paysim_api_get_string (call, body, "attach", FALSE, 128, &attach)
      || !till_paysim_api_get_string (call, body, "notify_url", TRUE, 256, &notify_url)
      || !till_paysim_api_get_string (call, body, "time_expire", FALSE, 64, &time_expire)
      || !till_paysim_api_get_int (call, body, "amount.total", TRUE, 1, &total, NULL)
      || !till_paysim_api_get_string (call, body, "amount.currency", FALSE, 16, &currency)
      || !till_paysim_api_check_currency (call, currency)
      || !check_ids (call, mchid, appid))
    return;
  if (currency == NULL)
    currency = "CNY";
  if (!is_out_trade_no (out_trade_no))
    {
      till_paysim_call_param_error (call, "out_trade_no", "/body/out_trade_no",
                                    "字符串规则校验失败，应为6-32位数字、大小写字母或_-*|");
      return;
    }
  if (!g_str_has_prefix (notify_url, "https://") || strchr (notify_url, '?') != NULL)
    {
      till_paysim_call_param_error (call, "notify_url", "/body/notify_url",
                                    "字符串规则校验失败，应为https地址且不能携带参数");
      return;
    }
  /* Orders expire after 7 days by default, or at time_expire. */
  expire_ms = call->now_ms + 7 * DAY_MS;
  if (time_expire != NULL)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (time_expire, NULL);

      if (dt == NULL)
        {
          till_paysim_call_param_error (call, "time_expire", "/body/time_expire",
                                        "时间格式错误，应为RFC 3339格式");
          return;
        }
      expire_ms = g_date_time_to_unix (dt) * 1000;
      if (expire_ms <= call->now_ms)
        {
          till_paysim_call_error (call, 400, "INVALID_REQUEST", "订单失效时间不能早于当前时间");
          return;
        }
    }

  fp = fingerprint ("NATIVE", appid, mchid, description, attach, NULL, notify_url, total, currency);
  existing = till_paysim_ledger_find_order (self->ledger, out_trade_no, &error);
  if (error != NULL)
    {
      till_paysim_call_internal_error (call, error);
      return;
    }
  if (existing != NULL)
    {
      if (!g_str_equal (existing->fingerprint, fp))
        till_paysim_call_error (call, 400, "INVALID_REQUEST",
                                "201 商户订单号重复，同一笔交易不能多次提交，请核实参数与原订单一致");
      else if (till_paysim_api_order_paid (existing))
        till_paysim_call_error (call, 400, "ORDER_PAID", "该订单已支付");
      else if (g_str_equal (existing->state, "CLOSED"))
        till_paysim_call_error (call, 400, "ORDER_CLOSED", "订单已关闭");
      else
        answer_code_url (call, existing);
      return;
    }

  pr = till_paysim_api_random_alnum (7);
  o = g_new0 (TillPaysimOrder, 1);
  o->out_trade_no = g_strdup (out_trade_no);
  o->trade_type = g_strdup ("NATIVE");
  o->appid = g_strdup (appid);
  o->mchid = g_strdup (mchid);
  o->description = g_strdup (description);
  o->attach = g_strdup (attach);
  o->notify_url = g_strdup (notify_url);
  o->code_url = g_strconcat ("weixin://wxpay/bizpayurl?pr=", pr, NULL);
  o->total = total;
  o->currency = g_strdup (currency);
  o->fingerprint = g_steal_pointer (&fp);
  o->openid = new_openid ();
  o->created_ms = call->now_ms;
  o->scenario = g_strdup ("native");
  o->state = g_strdup ("NOTPAY");
  o->pending_state = g_strdup ("CLOSED");
  o->pending_at_ms = expire_ms;

  if (!till_paysim_ledger_insert_order (self->ledger, o, &error))
    {
      till_paysim_call_internal_error (call, error);
      return;
    }
  answer_code_url (call, o);
}

void
till_paysim_api_native_pay (TillPaysimCall *call,
                            const char     *out_trade_no)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaysimOrder) o = till_paysim_ledger_find_order (call->sim->ledger, out_trade_no,
                                                                &error);
  g_autoptr(TillPaysimOrder) after = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (error != NULL)
    till_paysim_call_internal_error (call, error);
  else if (o == NULL)
    till_paysim_call_error (call, 404, "ORDER_NOT_EXIST", "订单不存在");
  else if (!g_str_equal (o->trade_type, "NATIVE"))
    till_paysim_call_error (call, 400, "INVALID_REQUEST", "not a Native order");
  else if (till_paysim_api_order_paid (o))
    till_paysim_call_error (call, 400, "ORDER_PAID", "该订单已支付");
  else if (!g_str_equal (o->state, "NOTPAY"))
    till_paysim_call_error (call, 400, "ORDER_CLOSED", "订单已关闭");
  else if (!till_paysim_ledger_set_state (call->sim->ledger, o->id, "SUCCESS", NULL, call->now_ms,
                                          &error)
           || (after = till_paysim_ledger_find_order (call->sim->ledger, out_trade_no, &error)) == NULL
           || (node = till_paysim_api_order_ledger_json (call->sim, after, &error)) == NULL)
    {
      if (error == NULL)
        g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "the order vanished");
      till_paysim_call_internal_error (call, error);
    }
  else
    {
      g_message ("native %s paid by the customer", out_trade_no);
      till_paysim_call_json (call, 200, node);
    }
}

/* ---- routing ----------------------------------------------------------------------- */

#define TX_OTN "/v3/pay/transactions/out-trade-no/"
#define TX_ID  "/v3/pay/transactions/id/"
#define REFUNDS "/v3/refund/domestic/refunds"

void
till_paysim_api_dispatch (TillPaysimCall *call)
{
  const char *path = call->path;
  gboolean get = g_str_equal (call->method, "GET");
  gboolean post = g_str_equal (call->method, "POST");
  const char *rest;

  if (post && g_str_equal (path, "/v3/pay/transactions/codepay"))
    api_codepay (call);
  else if (post && g_str_equal (path, "/v3/pay/transactions/native"))
    api_native (call);
  else if (g_str_has_prefix (path, TX_OTN) && strlen (path) > strlen (TX_OTN))
    {
      g_autofree char *otn = path_segment (path, TX_OTN, &rest);

      if (otn == NULL)
        till_paysim_call_error (call, 404, "ORDER_NOT_EXIST", "订单不存在");
      else if (get && *rest == '\0')
        api_query (call, otn, NULL);
      else if (post && g_str_equal (rest, "/reverse"))
        api_reverse (call, otn);
      else if (post && g_str_equal (rest, "/close"))
        api_close (call, otn);
      else
        till_paysim_call_error (call, 404, "NOT_FOUND", "请求的资源不存在");
    }
  else if (get && g_str_has_prefix (path, TX_ID) && strlen (path) > strlen (TX_ID))
    {
      g_autofree char *tid = path_segment (path, TX_ID, &rest);

      if (tid == NULL || *rest != '\0')
        till_paysim_call_error (call, 404, "NOT_FOUND", "请求的资源不存在");
      else
        api_query (call, NULL, tid);
    }
  else if (post && g_str_equal (path, REFUNDS))
    till_paysim_api_refund_create (call);
  else if (get && g_str_has_prefix (path, REFUNDS "/") && strlen (path) > strlen (REFUNDS "/"))
    {
      g_autofree char *orn = path_segment (path, REFUNDS "/", &rest);

      if (orn == NULL || *rest != '\0')
        till_paysim_call_error (call, 404, "NOT_FOUND", "请求的资源不存在");
      else
        till_paysim_api_refund_query (call, orn);
    }
  else if (get && g_str_equal (path, "/v3/bill/tradebill"))
    till_paysim_api_tradebill (call);
  else if (get && g_str_equal (path, "/v3/billdownload/file"))
    till_paysim_api_billdownload (call);
  else
    till_paysim_call_error (call, 404, "NOT_FOUND", "请求的资源不存在");
}
