/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's Alipay gateway (alipay.md §11): POST /gateway.do with query and body
 * merged, every gateway check, the faults, and signed answers — always HTTP 200,
 * text/html;charset=utf-8, {"<method>_response":{…},"sign":"…"} signed RSA2 over the
 * exact bytes of the response object, '/' written "\/" in the content and the sign.
 *
 * Faults (POST /_sim/faults with path_prefix "/gateway.do" and an optional "method"):
 *   delay       processed at once; the answer is sent after ms
 *   drop        not processed, the connection closed ("apply": true: processed, then closed)
 *   status      not processed; HTTP `status` with an HTML body, unsigned
 *   badsig      processed; the answer carries a wrong full-length signature
 *   nosig       processed; the answer carries no signature
 *   unknown     processed; the answer is 20000 isp.unknow-error
 *   retry_flag  a cancel is not done; it answers 10000 with retry_flag=Y (count times)
 *   rollback    a pay that would be paid answers 10000, but the trade is TRADE_CLOSED
 *               (never charged: queries and the bill say so) */
#define G_LOG_DOMAIN "till-paysim"

#include "config.h"

#include <string.h>

#include "till-alipay-sign.h"
#include "till-alipay-types.h"
#include "till-paysim-alipay.h"

static const struct
{
  const char *method;
  void      (*handler) (TillPaysimAliCall *call);
} methods[] = {
  { "alipay.trade.pay", till_paysim_ali_pay },
  { "alipay.trade.precreate", till_paysim_ali_precreate },
  { "alipay.trade.query", till_paysim_ali_query },
  { "alipay.trade.cancel", till_paysim_ali_cancel },
  { "alipay.trade.close", till_paysim_ali_close },
  { "alipay.trade.refund", till_paysim_ali_refund },
  { "alipay.trade.fastpay.refund.query", till_paysim_ali_refund_query },
  { "alipay.data.dataservice.bill.downloadurl.query", till_paysim_ali_bill_url },
};

/* ---- answers ----------------------------------------------------------------------- */

static const char *
code_msg (const char *code)
{
  static const struct
  {
    const char *code;
    const char *msg;
  } msgs[] = {
    { "10000", "Success" },
    { "10003", " order success pay inprocess" },   /* the leading space is Alipay's */
    { "20000", "Service Currently Unavailable" },
    { "40001", "Missing Required Arguments" },
    { "40002", "Invalid Arguments" },
    { "40003", "Insufficient Conditions" },
    { "40004", "Business Failed" },
    { "40005", "Call Limited" },
    { "40006", "Insufficient ISV Permissions" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (msgs); i++)
    if (g_str_equal (code, msgs[i].code))
      return msgs[i].msg;
  return "Unknown";
}

JsonBuilder *
till_paysim_ali_begin (const char *code)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  till_paysim_ali_add_str (b, "code", code);
  till_paysim_ali_add_str (b, "msg", code_msg (code));
  return b;
}

void
till_paysim_ali_end (TillPaysimAliCall *call,
                     JsonBuilder       *builder)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  GString *escaped;

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  /* Alipay escapes '/' (§2.4): outside strings JSON has none, so every one is in a string. */
  escaped = g_string_sized_new (strlen (text) + 16);
  for (const char *p = text; *p; p++)
    {
      if (*p == '/')
        g_string_append_c (escaped, '\\');
      g_string_append_c (escaped, *p);
    }
  g_free (call->content);
  call->content = g_string_free (escaped, FALSE);
}

void
till_paysim_ali_add_str (JsonBuilder *b,
                         const char  *name,
                         const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

void
till_paysim_ali_add_yuan (JsonBuilder *b,
                          const char  *name,
                          gint64       fen)
{
  g_autofree char *yuan = till_alipay_yuan_format (fen);

  till_paysim_ali_add_str (b, name, yuan);
}

char *
till_paysim_ali_time (gint64 ms)
{
  return till_alipay_timestamp_format (ms * 1000);
}

void
till_paysim_ali_fail (TillPaysimAliCall *call,
                      const char        *code,
                      const char        *sub_code,
                      const char        *sub_msg,
                      const char        *out_trade_no)
{
  g_autoptr(JsonBuilder) b = till_paysim_ali_begin (code);

  till_paysim_ali_add_str (b, "sub_code", sub_code);
  till_paysim_ali_add_str (b, "sub_msg", sub_msg);
  till_paysim_ali_add_str (b, "out_trade_no", out_trade_no);
  till_paysim_ali_end (call, b);
  g_message ("Alipay %s: %s %s (%s)", call->method != NULL ? call->method : "-", code,
             sub_code != NULL ? sub_code : "", sub_msg != NULL ? sub_msg : "");
}

void
till_paysim_ali_business (TillPaysimAliCall *call,
                          const char        *sub_code,
                          const char        *sub_msg,
                          const char        *out_trade_no)
{
  till_paysim_ali_fail (call, TILL_ALIPAY_CODE_BUSINESS, sub_code, sub_msg, out_trade_no);
}

void
till_paysim_ali_internal (TillPaysimAliCall *call,
                          const GError      *error)
{
  g_warning ("Simulator failure on Alipay %s: %s", call->method, error->message);
  till_paysim_ali_fail (call, TILL_ALIPAY_CODE_UNKNOWN, "isp.unknow-error", "系统繁忙", NULL);
}

gboolean
till_paysim_ali_biz_str (TillPaysimAliCall *call,
                         const char        *name,
                         gboolean           required,
                         glong              max_chars,
                         const char       **out)
{
  JsonNode *node = json_object_get_member (call->biz, name);
  g_autofree char *why = NULL;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;
      why = g_strdup_printf ("缺少必选参数%s", name);
    }
  else if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    why = g_strdup_printf ("参数%s类型错误", name);
  else
    {
      *out = json_node_get_string (node);
      if (**out == '\0' && required)
        why = g_strdup_printf ("缺少必选参数%s", name);
      else if (g_utf8_strlen (*out, -1) > max_chars)
        why = g_strdup_printf ("参数%s长度超过%ld", name, max_chars);
      else if (**out == '\0')
        *out = NULL;
    }
  if (why == NULL)
    return TRUE;
  till_paysim_ali_business (call, "ACQ.INVALID_PARAMETER", why, NULL);
  return FALSE;
}

TillPaysimAliTrade *
till_paysim_ali_find_trade (TillPaysimAliCall *call)
{
  g_autoptr(GError) error = NULL;
  const char *out_trade_no, *trade_no;
  TillPaysimAliTrade *t;

  if (!till_paysim_ali_biz_str (call, "out_trade_no", FALSE, 64, &out_trade_no)
      || !till_paysim_ali_biz_str (call, "trade_no", FALSE, 64, &trade_no))
    return NULL;
  if (out_trade_no == NULL && trade_no == NULL)
    {
      till_paysim_ali_business (call, "ACQ.INVALID_PARAMETER", "订单号和支付宝交易号不能同时为空",
                                NULL);
      return NULL;
    }
  t = trade_no != NULL
      ? till_paysim_alipay_ledger_find_by_trade_no (call->sim->alipay_ledger, trade_no, &error)
      : till_paysim_alipay_ledger_find (call->sim->alipay_ledger, out_trade_no, &error);
  if (error != NULL)
    {
      till_paysim_ali_internal (call, error);
      return NULL;
    }
  if (t == NULL || !t->scanned)
    {
      till_paysim_ali_business (call, "ACQ.TRADE_NOT_EXIST", "交易不存在", out_trade_no);
      till_paysim_ali_trade_free (t);
      return NULL;
    }
  return t;
}

/* ---- the gateway ------------------------------------------------------------------- */

static GHashTable *
parse_form (const char *text,
            gsize       len)
{
  if (len == 0)
    return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return g_uri_parse_params (text, (gssize) len, "&", G_URI_PARAMS_WWW_FORM, NULL);
}

/* Query and body merged into call->params; FALSE with an answer when they disagree or
 * do not parse. */
static gboolean
merge_params (TillPaysimAliCall *call,
              const char        *body,
              gsize              len)
{
  GUri *uri = soup_server_message_get_uri (call->msg);
  const char *query = g_uri_get_query (uri);
  const char *type = soup_message_headers_get_content_type (
    soup_server_message_get_request_headers (call->msg), NULL);
  g_autoptr(GHashTable) from_body = NULL;
  GHashTableIter iter;
  gpointer key, value;

  call->params = parse_form (query != NULL ? query : "", query != NULL ? strlen (query) : 0);
  if (type == NULL || g_ascii_strcasecmp (type, "application/x-www-form-urlencoded") == 0)
    from_body = parse_form (body, len);
  else
    from_body = parse_form ("", 0);
  if (call->params == NULL || from_body == NULL)
    {
      if (call->params == NULL)
        call->params = parse_form ("", 0);
      call->root_key = g_strdup ("error_response");
      till_paysim_ali_fail (call, TILL_ALIPAY_CODE_INVALID, "isv.invalid-parameter",
                            "参数无法解析", NULL);
      return FALSE;
    }
  g_hash_table_iter_init (&iter, from_body);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *in_query = g_hash_table_lookup (call->params, key);

      if (in_query != NULL && !g_str_equal (in_query, value))
        {
          const char *m = g_hash_table_lookup (call->params, "method");

          call->method = m != NULL ? m : g_hash_table_lookup (from_body, "method");
          call->root_key = call->method != NULL ? till_alipay_response_key (call->method)
                                                : g_strdup ("error_response");
          till_paysim_ali_fail (call, TILL_ALIPAY_CODE_INVALID, "isv.invalid-parameter",
                                "参数重复且不一致", NULL);
          return FALSE;
        }
      g_hash_table_iter_steal (&iter);
      g_hash_table_replace (call->params, key, value);
    }
  call->method = g_hash_table_lookup (call->params, "method");
  return TRUE;
}

static gboolean
is_method_name (const char *s)
{
  if (s == NULL || *s == '\0' || strlen (s) > 128)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '.' && *p != '_')
      return FALSE;
  return TRUE;
}

#define PARAM(name) ((const char *) g_hash_table_lookup (call->params, name))

static gboolean
blank (const char *s)
{
  return s == NULL || *s == '\0';
}

/* §11's gateway checks, in the order Alipay's gateway makes them; the handler of the
 * method, or NULL with an answer set. */
static void (*gateway_checks (TillPaysimAliCall *call)) (TillPaysimAliCall *call)
{
  TillPaysim *self = call->sim;
  void (*handler) (TillPaysimAliCall *call) = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  const char *v;
  gint64 ts = 0;

  if (blank (call->method))
    {
      call->root_key = g_strdup ("error_response");
      till_paysim_ali_fail (call, TILL_ALIPAY_CODE_MISSING, "isv.missing-method", "缺少方法名参数",
                            NULL);
      return NULL;
    }
  if (!is_method_name (call->method))
    {
      call->root_key = g_strdup ("error_response");
      till_paysim_ali_fail (call, TILL_ALIPAY_CODE_INVALID, "isv.invalid-method", "不存在的方法名",
                            NULL);
      return NULL;
    }
  call->root_key = till_alipay_response_key (call->method);
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    if (g_str_equal (call->method, methods[i].method))
      handler = methods[i].handler;

  if (blank (v = PARAM ("app_id")))
    till_paysim_ali_fail (call, TILL_ALIPAY_CODE_MISSING, "isv.missing-app-id", "缺少AppID参数",
                          NULL);
  else if (!g_str_equal (v, self->alipay_app_id))
    till_paysim_ali_fail (call, TILL_ALIPAY_CODE_INVALID, "isv.invalid-app-id",
                          "无效的AppID参数", NULL);
  else if (handler == NULL)
    till_paysim_ali_fail (call, TILL_ALIPAY_CODE_INVALID, "isv.invalid-method", "不存在的方法名",
                          NULL);
  else if (!blank (v = PARAM ("format")) && g_ascii_strcasecmp (v, "JSON") != 0)
    till_paysim_ali_fail (call, TILL_ALIPAY_CODE_INVALID, "isv.invalid-format",
                          "无效的数据格式", NULL);
  else if (!blank (v = PARAM ("charset")) && g_ascii_strcasecmp (v, "utf-8") != 0)
    till_paysim_ali_fail (call, TILL_ALIPAY_CODE_INVALID, "isv.invalid-charset",
                          "字符集错误", NULL);
  else if (blank (v = PARAM ("sign_type")))
    till_paysim_ali_fail (call, TILL_ALIPAY_CODE_MISSING, "isv.missing-signature-type",
                          "缺少签名类型参数", NULL);
  else if (!g_str_equal (v, "RSA2"))
    till_paysim_ali_fail (call, TILL_ALIPAY_CODE_INVALID, "isv.invalid-signature-type",
                          "无效的签名类型", NULL);
  else if (blank (PARAM ("sign")))
    till_paysim_ali_fail (call, TILL_ALIPAY_CODE_MISSING, "isv.missing-signature",
                          "缺少签名参数", NULL);
  else if (blank (v = PARAM ("timestamp")))
    till_paysim_ali_fail (call, TILL_ALIPAY_CODE_MISSING, "isv.missing-timestamp",
                          "缺少时间戳参数", NULL);
  else if (!till_alipay_timestamp_parse (v, &ts)
           || ABS (ts - call->now_ms / 1000) > TILL_PAYSIM_ALIPAY_MAX_SKEW_S)
    till_paysim_ali_fail (call, TILL_ALIPAY_CODE_INVALID, "isv.invalid-timestamp",
                          "非法的时间戳参数", NULL);
  else if (blank (v = PARAM ("version")))
    till_paysim_ali_fail (call, TILL_ALIPAY_CODE_MISSING, "isv.missing-version",
                          "缺少版本参数", NULL);
  else if (!g_str_equal (v, "1.0"))
    till_paysim_ali_fail (call, TILL_ALIPAY_CODE_INVALID, "isv.invalid-parameter",
                          "无效的版本参数", NULL);
  else if (!till_alipay_verify_params (self->alipay_app_public_key, call->params, &error))
    {
      g_message ("Alipay request signature rejected (%s): %s", call->method, error->message);
      till_paysim_ali_fail (call, TILL_ALIPAY_CODE_INVALID, "isv.invalid-signature",
                            "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配", NULL);
    }
  else if (blank (v = PARAM ("biz_content")))
    till_paysim_ali_fail (call, TILL_ALIPAY_CODE_INVALID, "isv.invalid-parameter",
                          "缺少业务参数biz_content", NULL);
  else
    {
      parser = json_parser_new ();
      /* white space alone parses, without a root */
      if (!json_parser_load_from_data (parser, v, -1, NULL)
          || json_parser_get_root (parser) == NULL
          || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        till_paysim_ali_fail (call, TILL_ALIPAY_CODE_INVALID, "isv.illegal-json",
                              "业务参数biz_content不是合法的JSON对象", NULL);
      else
        {
          call->biz = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
          return handler;
        }
    }
  return NULL;
}

static char *
sign_content (TillPaysimAliCall *call)
{
  g_autoptr(GError) error = NULL;
  /* a wrong one is still full length (Node's regex needs 344 characters, §2.4): a real
   * signature over other bytes */
  g_autofree char *other = call->bad_signature ? g_strconcat (call->content, " ", NULL) : NULL;
  const char *signed_text = other != NULL ? other : call->content;
  char *sign = till_rsa_sign_base64 (call->sim->alipay_platform_private_key, signed_text,
                                     strlen (signed_text), &error);

  if (sign == NULL)
    g_warning ("Cannot sign an Alipay answer: %s", error->message);
  return sign;
}

static void
apply_answer (TillPaysimAliCall *call)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (call->msg);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (call->now_ms / 1000);
  g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);
  g_autofree char *sign = call->unsigned_answer ? NULL : sign_content (call);
  char *body = till_alipay_answer_body (call->root_key, call->content, sign);

  /* the simulator's clock (POST /_sim/clock), as Alipay's own Date would show it */
  soup_message_headers_replace (headers, "Date", date);
  soup_server_message_set_status (call->msg, 200, NULL);
  soup_server_message_set_response (call->msg, "text/html;charset=utf-8", SOUP_MEMORY_TAKE,
                                    body, strlen (body));
}

void
till_paysim_alipay_handle (TillPaysim        *self,
                           SoupServerMessage *msg,
                           const char        *body,
                           gsize              len)
{
  TillPaysimAliCall call = { 0 };
  g_autoptr(GError) error = NULL;
  void (*handler) (TillPaysimAliCall *call) = NULL;

  call.sim = self;
  call.msg = msg;
  call.now_ms = till_paysim_now_ms (self);
  call.http_status = 200;

  if (merge_params (&call, body, len))
    call.fault = till_paysim_take_fault (self, TILL_PAYSIM_ALIPAY_GATEWAY_PATH, call.method);
  if (call.fault != NULL)
    g_message ("Fault %s on Alipay %s", till_paysim_fault_kind_names[call.fault->kind],
               call.method != NULL ? call.method : "-");

  if (call.fault != NULL && call.fault->kind == FAULT_DROP && !call.fault->apply)
    {
      till_paysim_drop_connection (msg);
      goto out;
    }
  if (call.fault != NULL && call.fault->kind == FAULT_STATUS)
    {
      g_autofree char *page = g_strdup_printf ("<html><body><h1>%u</h1></body></html>\n",
                                               call.fault->status);

      soup_server_message_set_status (msg, call.fault->status, NULL);
      soup_server_message_set_response (msg, "text/html;charset=utf-8", SOUP_MEMORY_COPY, page,
                                        strlen (page));
      goto out;
    }

  if (call.content == NULL)
    {
      if (!till_paysim_alipay_ledger_settle (self->alipay_ledger, call.now_ms, &error))
        {
          call.root_key = g_strdup ("error_response");
          till_paysim_ali_internal (&call, error);
        }
      else if ((handler = gateway_checks (&call)) != NULL)
        {
          if (call.fault != NULL && call.fault->kind == FAULT_RETRY_FLAG)
            {
              /* the cancel is not done: call again */
              g_autoptr(JsonBuilder) b = till_paysim_ali_begin (TILL_ALIPAY_CODE_SUCCESS);
              const char *otn = NULL;

              till_paysim_ali_biz_str (&call, "out_trade_no", FALSE, 64, &otn);
              till_paysim_ali_add_str (b, "out_trade_no", otn);
              till_paysim_ali_add_str (b, "retry_flag", "Y");
              till_paysim_ali_end (&call, b);
            }
          else
            handler (&call);
        }
    }

  if (call.fault != NULL)
    switch (call.fault->kind)
      {
      case FAULT_DELAY:
        call.hold_ms = MAX (call.hold_ms, call.fault->ms);
        break;
      case FAULT_DROP:
        call.drop = TRUE;
        break;
      case FAULT_BADSIG:
        call.bad_signature = TRUE;
        break;
      case FAULT_NOSIG:
        call.unsigned_answer = TRUE;
        break;
      case FAULT_UNKNOWN:
        /* the work is done; the answer says nothing of it */
        till_paysim_ali_fail (&call, TILL_ALIPAY_CODE_UNKNOWN, "isp.unknow-error", "系统繁忙",
                              NULL);
        break;
      case FAULT_STATUS:
      case FAULT_RETRY_FLAG:
      case FAULT_ROLLBACK:
      default:
        break;
      }

  if (call.drop)
    {
      till_paysim_drop_connection (msg);
      goto out;
    }
  apply_answer (&call);
  if (call.hold_ms > 0)
    till_paysim_hold_message (self, msg, call.hold_ms);

out:
  g_clear_pointer (&call.fault, till_paysim_fault_free);
  g_clear_pointer (&call.params, g_hash_table_unref);
  g_clear_pointer (&call.biz, json_object_unref);
  g_free (call.root_key);
  g_free (call.content);
}
