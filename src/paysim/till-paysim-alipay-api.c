/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's Alipay trade endpoints (alipay.md §5.1–§5.4, §5.6b, outcomes per §11):
 * pay (by the auth code's last four digits), precreate and the customer's scan, query,
 * cancel (retry_flag, action, numbers closed for good), close; the ledger view of a
 * trade. */
#define G_LOG_DOMAIN "till-paysim"

#include "config.h"

#include <string.h>

#include "till-alipay-types.h"
#include "till-paysim-alipay.h"

#define DAY_MS            (G_GINT64_CONSTANT (86400000))
#define CANCEL_WINDOW_MS  DAY_MS                  /* ACQ.TRADE_CANCEL_TIME_OUT after 24 h */
#define PAY_TIMEOUT_MS    (3 * 3600 * 1000)       /* F2F's default timeout_express: 3h */
#define QR_TIMEOUT_MS     (2 * 3600 * 1000)       /* a precreate QR code: 2 hours */
#define CODE_INVALID_MSG  "支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款"
#define PASSWORD_ABOVE_FEN 100000                 /* above ¥1000.00 the customer types the
                                                     password (as ending 1111) */

/* ---- helpers ----------------------------------------------------------------------- */

static char *
random_digits (guint n)
{
  GString *s = g_string_sized_new (n);

  for (guint i = 0; i < n; i++)
    g_string_append_c (s, (char) ('0' + g_random_int_range (0, 10)));
  return g_string_free (s, FALSE);
}

static void
new_buyer (TillPaysimAliTrade *t)
{
  g_autofree char *user = random_digits (12);
  g_autofree char *a = random_digits (3);
  g_autofree char *b = random_digits (2);

  g_free (t->buyer_user_id);
  g_free (t->buyer_logon_id);
  t->buyer_user_id = g_strconcat ("2088", user, NULL);
  t->buyer_logon_id = g_strconcat ("1", a, "******", b, NULL);
}

/* timeout_express (§5.1): "<n>m", "<n>h", "<n>d" (1m–15d), or "1c" (until midnight, GMT+8);
 * FALSE when malformed. */
static gboolean
parse_timeout (const char *text,
               gint64      now_ms,
               gint64     *out_ms)
{
  guint64 n = 0;
  char *end = NULL;
  gint64 unit;

  if (g_strcmp0 (text, "1c") == 0)
    {
      gint64 day = (now_ms / 1000 + 8 * 3600) / 86400;

      *out_ms = ((day + 1) * 86400 - 8 * 3600) * G_GINT64_CONSTANT (1000) - now_ms;
      return TRUE;
    }
  if (text == NULL || !g_ascii_isdigit (text[0]))
    return FALSE;
  n = g_ascii_strtoull (text, &end, 10);
  if (end == NULL || end[0] == '\0' || end[1] != '\0' || n == 0)
    return FALSE;
  unit = end[0] == 'm' ? 60000 : end[0] == 'h' ? 3600000 : end[0] == 'd' ? DAY_MS : 0;
  if (unit == 0 || n * (guint64) unit > 15 * (guint64) DAY_MS)
    return FALSE;
  *out_ms = (gint64) n * unit;
  return TRUE;
}

static gboolean
has_forbidden (const char *subject)
{
  return strpbrk (subject, "/=&") != NULL;
}

/* The amount of a request: "^\d+\.\d{2}$" in [0.01, 100000000]. */
static gboolean
biz_amount (TillPaysimAliCall *call,
            const char        *name,
            const char        *out_trade_no,
            gint64            *out_fen)
{
  const char *text;

  if (!till_paysim_ali_biz_str (call, name, TRUE, 16, &text))
    return FALSE;
  if (!till_alipay_yuan_parse (text, TRUE, out_fen) || *out_fen < TILL_ALIPAY_MIN_FEN)
    {
      g_autofree char *why = g_strdup_printf ("参数%s不合法", name);

      till_paysim_ali_business (call, "ACQ.INVALID_PARAMETER", why, out_trade_no);
      return FALSE;
    }
  if (*out_fen > TILL_ALIPAY_MAX_FEN)
    {
      till_paysim_ali_business (call, "ACQ.TOTAL_FEE_EXCEED", "订单金额超过限额", out_trade_no);
      return FALSE;
    }
  return TRUE;
}

/* What makes a retry "the same request". */
static char *
fingerprint (const char *kind,
             const char *subject,
             const char *auth_code,
             gint64      total,
             const char *store_id,
             const char *terminal_id)
{
  return g_strdup_printf ("%s|%s|%s|%" G_GINT64_FORMAT "|%s|%s", kind, subject,
                          auth_code != NULL ? auth_code : "", total,
                          store_id != NULL ? store_id : "", terminal_id != NULL ? terminal_id : "");
}

static gboolean
tombstoned (TillPaysimAliCall *call,
            const char        *out_trade_no)
{
  g_autoptr(GError) error = NULL;
  gboolean yes = FALSE;

  if (!till_paysim_alipay_ledger_is_tombstone (call->sim->alipay_ledger, out_trade_no, &yes,
                                               &error))
    {
      till_paysim_ali_internal (call, error);
      return TRUE;
    }
  if (yes)
    till_paysim_ali_business (call, "ACQ.TRADE_HAS_CLOSE", "交易已经关闭", out_trade_no);
  return yes;
}

/* The trade as pay (10000/10003) or query answers it. */
static void
answer_trade (TillPaysimAliCall  *call,
              TillPaysimAliTrade *t,
              const char         *code,
              gboolean            with_status)
{
  g_autoptr(JsonBuilder) b = till_paysim_ali_begin (code);
  gboolean paid = t->paid_ms != 0 && g_str_equal (code, TILL_ALIPAY_CODE_SUCCESS);
  gboolean shows_paid = with_status ? t->paid_ms != 0 : paid;

  till_paysim_ali_add_str (b, "trade_no", t->trade_no);
  till_paysim_ali_add_str (b, "out_trade_no", t->out_trade_no);
  till_paysim_ali_add_str (b, "buyer_logon_id", t->buyer_logon_id);
  till_paysim_ali_add_str (b, "buyer_user_id", t->buyer_user_id);
  if (with_status)
    till_paysim_ali_add_str (b, "trade_status", t->status);
  till_paysim_ali_add_yuan (b, "total_amount", t->total);
  till_paysim_ali_add_yuan (b, "receipt_amount", shows_paid ? t->total : 0);
  till_paysim_ali_add_yuan (b, "buyer_pay_amount", shows_paid ? t->total : 0);
  till_paysim_ali_add_yuan (b, "point_amount", 0);
  till_paysim_ali_add_yuan (b, "invoice_amount", shows_paid ? t->total : 0);
  if (shows_paid)
    {
      g_autofree char *when = till_paysim_ali_time (t->paid_ms);

      till_paysim_ali_add_str (b, with_status ? "send_pay_date" : "gmt_payment", when);
      json_builder_set_member_name (b, "fund_bill_list");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      till_paysim_ali_add_yuan (b, "amount", t->total);
      till_paysim_ali_add_str (b, "fund_channel", "ALIPAYACCOUNT");
      json_builder_end_object (b);
      json_builder_end_array (b);
    }
  till_paysim_ali_add_str (b, "store_id", t->store_id);
  till_paysim_ali_add_str (b, "terminal_id", t->terminal_id);
  till_paysim_ali_add_str (b, "store_name", "Tillpoint 模拟门店");
  till_paysim_ali_end (call, b);
}

/* ---- pay ----------------------------------------------------------------------------- */

static gboolean
is_alipay_code (const char *code)
{
  gsize n = strlen (code);
  int prefix;

  if (n < 16 || n > 24 || strspn (code, "0123456789") != n)
    return FALSE;
  prefix = (code[0] - '0') * 10 + (code[1] - '0');
  return prefix >= 25 && prefix <= 30;
}

/* The endings of §11 with an outcome of their own; any other is a plain success. */
static gboolean
is_special_ending (const char *ending)
{
  const char *const specials[] = { "1111", "2222", "3333", "4444", "5555", "6666", "7777",
                                   "8888", "9999" };

  for (guint i = 0; i < G_N_ELEMENTS (specials); i++)
    if (g_str_equal (ending, specials[i]))
      return TRUE;
  return FALSE;
}

/* A retry of the same out_trade_no with the same parameters answers where it stands. */
static void
answer_again (TillPaysimAliCall  *call,
              TillPaysimAliTrade *t)
{
  if (g_str_equal (t->status, TILL_PAYSIM_ALIPAY_SUCCESS))
    till_paysim_ali_business (call, "ACQ.TRADE_HAS_SUCCESS", "交易已被支付", t->out_trade_no);
  else if (g_str_equal (t->status, TILL_PAYSIM_ALIPAY_WAIT))
    answer_trade (call, t, TILL_ALIPAY_CODE_PAYING, FALSE);
  else
    till_paysim_ali_business (call, "ACQ.TRADE_HAS_CLOSE", "交易已经关闭", t->out_trade_no);
}

void
till_paysim_ali_pay (TillPaysimAliCall *call)
{
  TillPaysim *self = call->sim;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaysimAliTrade) existing = NULL;
  g_autoptr(TillPaysimAliTrade) t = NULL;
  const char *otn, *subject, *auth_code, *scene, *store_id, *terminal_id, *operator_id;
  const char *timeout_text, *ending;
  g_autofree char *fp = NULL;
  gint64 total = 0, timeout_ms = PAY_TIMEOUT_MS;
  gboolean rollback = call->fault != NULL && call->fault->kind == FAULT_ROLLBACK;

  if (!till_paysim_ali_biz_str (call, "out_trade_no", TRUE, 64, &otn)
      || !till_paysim_ali_biz_str (call, "scene", TRUE, 32, &scene)
      || !till_paysim_ali_biz_str (call, "auth_code", TRUE, 64, &auth_code)
      || !till_paysim_ali_biz_str (call, "subject", TRUE, 256, &subject)
      || !till_paysim_ali_biz_str (call, "store_id", FALSE, 32, &store_id)
      || !till_paysim_ali_biz_str (call, "terminal_id", FALSE, 32, &terminal_id)
      || !till_paysim_ali_biz_str (call, "operator_id", FALSE, 28, &operator_id)
      || !till_paysim_ali_biz_str (call, "timeout_express", FALSE, 8, &timeout_text)
      || !biz_amount (call, "total_amount", otn, &total))
    return;
  if (!till_alipay_valid_number (otn))
    till_paysim_ali_business (call, "ACQ.INVALID_PARAMETER", "商户订单号只能由字母、数字和下划线组成",
                              otn);
  else if (!g_str_equal (scene, "bar_code"))
    till_paysim_ali_business (call, "ACQ.INVALID_PARAMETER", "参数scene不合法", otn);
  else if (has_forbidden (subject))
    till_paysim_ali_business (call, "ACQ.INVALID_PARAMETER", "订单标题不能包含/=&", otn);
  else if (timeout_text != NULL && !parse_timeout (timeout_text, call->now_ms, &timeout_ms))
    till_paysim_ali_business (call, "ACQ.INVALID_PARAMETER", "参数timeout_express不合法", otn);
  else
    goto checked;
  return;

checked:
  if (tombstoned (call, otn))
    return;
  fp = fingerprint ("bar_code", subject, auth_code, total, store_id, terminal_id);
  existing = till_paysim_alipay_ledger_find (self->alipay_ledger, otn, &error);
  if (error == NULL && existing == NULL)
    existing = till_paysim_alipay_ledger_find_by_auth_code (self->alipay_ledger, auth_code, &error);
  if (error != NULL)
    {
      till_paysim_ali_internal (call, error);
      return;
    }
  if (existing != NULL)
    {
      if (!g_str_equal (existing->out_trade_no, otn))
        till_paysim_ali_business (call, "ACQ.PAYMENT_AUTH_CODE_INVALID", "付款码已使用，请刷新后重试",
                                  otn);
      else if (!g_str_equal (existing->fingerprint, fp))
        till_paysim_ali_business (call, "ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改", otn);
      else
        answer_again (call, existing);
      return;
    }
  if (!is_alipay_code (auth_code))
    {
      till_paysim_ali_business (call, "ACQ.PAYMENT_AUTH_CODE_INVALID", CODE_INVALID_MSG, otn);
      return;
    }

  ending = auth_code + strlen (auth_code) - 4;
  /* §11: above ¥1000.00 a plain success asks for the password, as 1111 */
  if (total > PASSWORD_ABOVE_FEN && !is_special_ending (ending))
    ending = "1111";
  if (g_str_equal (ending, "2222"))
    {
      till_paysim_ali_business (call, "ACQ.BUYER_BALANCE_NOT_ENOUGH", "买家余额不足", otn);
      return;
    }
  if (g_str_equal (ending, "3333"))
    {
      till_paysim_ali_business (call, "ACQ.PAYMENT_AUTH_CODE_INVALID", CODE_INVALID_MSG, otn);
      return;
    }

  t = g_new0 (TillPaysimAliTrade, 1);
  t->out_trade_no = g_strdup (otn);
  t->kind = g_strdup ("bar_code");
  t->subject = g_strdup (subject);
  t->auth_code = g_strdup (auth_code);
  t->store_id = g_strdup (store_id);
  t->terminal_id = g_strdup (terminal_id);
  t->operator_id = g_strdup (operator_id);
  t->total = total;
  t->fingerprint = g_steal_pointer (&fp);
  t->scanned = TRUE;
  t->created_ms = call->now_ms;
  t->expire_ms = call->now_ms + timeout_ms;
  new_buyer (t);
  if (g_str_equal (ending, "1111"))
    {
      t->status = g_strdup (TILL_PAYSIM_ALIPAY_WAIT);
      t->pending_status = g_strdup (TILL_PAYSIM_ALIPAY_SUCCESS);
      t->pending_at_ms = call->now_ms + self->password_delay_ms;
      t->scenario = g_strdup ("1111");
    }
  else if (g_str_equal (ending, "6666"))
    {
      t->status = g_strdup (TILL_PAYSIM_ALIPAY_WAIT);
      t->scenario = g_strdup ("6666");
    }
  else if (g_str_equal (ending, "7777"))
    {
      t->status = g_strdup (TILL_PAYSIM_ALIPAY_WAIT);
      t->pending_status = g_strdup (TILL_PAYSIM_ALIPAY_CLOSED);
      t->pending_at_ms = call->now_ms + TILL_PAYSIM_ALIPAY_DECLINE_MS;
      t->scenario = g_strdup ("7777");
    }
  else if (rollback)
    {
      /* answered paid, never charged */
      t->status = g_strdup (TILL_PAYSIM_ALIPAY_CLOSED);
      t->close_reason = g_strdup ("rollback");
      t->scenario = g_strdup ("rollback");
    }
  else
    {
      t->status = g_strdup (TILL_PAYSIM_ALIPAY_SUCCESS);
      t->scenario = g_strdup (is_special_ending (ending) ? ending : "default");
    }
  if (!till_paysim_alipay_ledger_insert (self->alipay_ledger, t, &error))
    {
      till_paysim_ali_internal (call, error);
      return;
    }
  g_message ("Alipay pay %s: %" G_GINT64_FORMAT " fen, scenario %s → %s", t->out_trade_no,
             t->total, t->scenario, t->status);

  if (rollback)
    {
      /* the answer of a payment: paid at once */
      t->paid_ms = call->now_ms;
      answer_trade (call, t, TILL_ALIPAY_CODE_SUCCESS, FALSE);
    }
  else if (g_str_equal (t->status, TILL_PAYSIM_ALIPAY_WAIT))
    answer_trade (call, t, TILL_ALIPAY_CODE_PAYING, FALSE);
  else if (g_str_equal (t->scenario, "4444"))
    till_paysim_ali_fail (call, TILL_ALIPAY_CODE_UNKNOWN, "isp.unknow-error", "系统繁忙", otn);
  else
    {
      answer_trade (call, t, TILL_ALIPAY_CODE_SUCCESS, FALSE);
      if (g_str_equal (t->scenario, "5555"))
        call->hold_ms = TILL_PAYSIM_ALIPAY_HOLD_5555_MS;
      else if (g_str_equal (t->scenario, "8888"))
        call->bad_signature = TRUE;
      else if (g_str_equal (t->scenario, "9999"))
        call->drop = TRUE;
    }
}

/* ---- precreate and the customer's scan ------------------------------------------------ */

static void
answer_qr (TillPaysimAliCall  *call,
           TillPaysimAliTrade *t)
{
  g_autoptr(JsonBuilder) b = till_paysim_ali_begin (TILL_ALIPAY_CODE_SUCCESS);

  till_paysim_ali_add_str (b, "out_trade_no", t->out_trade_no);
  till_paysim_ali_add_str (b, "qr_code", t->qr_code);
  till_paysim_ali_end (call, b);
}

void
till_paysim_ali_precreate (TillPaysimAliCall *call)
{
  TillPaysim *self = call->sim;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaysimAliTrade) existing = NULL;
  g_autoptr(TillPaysimAliTrade) t = NULL;
  const char *otn, *subject, *store_id, *terminal_id, *operator_id, *timeout_text;
  g_autofree char *fp = NULL;
  gint64 total = 0, timeout_ms = QR_TIMEOUT_MS;

  if (!till_paysim_ali_biz_str (call, "out_trade_no", TRUE, 64, &otn)
      || !till_paysim_ali_biz_str (call, "subject", TRUE, 256, &subject)
      || !till_paysim_ali_biz_str (call, "store_id", FALSE, 32, &store_id)
      || !till_paysim_ali_biz_str (call, "terminal_id", FALSE, 32, &terminal_id)
      || !till_paysim_ali_biz_str (call, "operator_id", FALSE, 28, &operator_id)
      || !till_paysim_ali_biz_str (call, "timeout_express", FALSE, 8, &timeout_text)
      || !biz_amount (call, "total_amount", otn, &total))
    return;
  if (!till_alipay_valid_number (otn))
    {
      till_paysim_ali_business (call, "ACQ.INVALID_PARAMETER", "商户订单号只能由字母、数字和下划线组成",
                                otn);
      return;
    }
  if (has_forbidden (subject))
    {
      till_paysim_ali_business (call, "ACQ.INVALID_PARAMETER", "订单标题不能包含/=&", otn);
      return;
    }
  if (timeout_text != NULL && !parse_timeout (timeout_text, call->now_ms, &timeout_ms))
    {
      till_paysim_ali_business (call, "ACQ.INVALID_PARAMETER", "参数timeout_express不合法", otn);
      return;
    }
  if (tombstoned (call, otn))
    return;
  fp = fingerprint ("precreate", subject, NULL, total, store_id, terminal_id);
  existing = till_paysim_alipay_ledger_find (self->alipay_ledger, otn, &error);
  if (error != NULL)
    {
      till_paysim_ali_internal (call, error);
      return;
    }
  if (existing != NULL)
    {
      if (!g_str_equal (existing->fingerprint, fp))
        till_paysim_ali_business (call, "ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改", otn);
      else if (g_str_equal (existing->status, TILL_PAYSIM_ALIPAY_SUCCESS))
        till_paysim_ali_business (call, "ACQ.TRADE_HAS_SUCCESS", "交易已被支付", otn);
      else if (g_str_equal (existing->status, TILL_PAYSIM_ALIPAY_CLOSED))
        till_paysim_ali_business (call, "ACQ.TRADE_HAS_CLOSE", "交易已经关闭", otn);
      else
        answer_qr (call, existing);
      return;
    }

  t = g_new0 (TillPaysimAliTrade, 1);
  t->out_trade_no = g_strdup (otn);
  t->kind = g_strdup ("precreate");
  t->subject = g_strdup (subject);
  t->store_id = g_strdup (store_id);
  t->terminal_id = g_strdup (terminal_id);
  t->operator_id = g_strdup (operator_id);
  t->qr_code = g_strconcat (self->base_url, "/_sim/alipay/qr/", otn, NULL);
  t->total = total;
  t->fingerprint = g_steal_pointer (&fp);
  t->status = g_strdup (TILL_PAYSIM_ALIPAY_WAIT);
  t->scenario = g_strdup ("precreate");
  t->scanned = FALSE;   /* no trade until the customer scans (§5.6b) */
  t->created_ms = call->now_ms;
  t->expire_ms = call->now_ms + timeout_ms;
  t->buyer_user_id = g_strdup ("");
  t->buyer_logon_id = g_strdup ("");
  if (!till_paysim_alipay_ledger_insert (self->alipay_ledger, t, &error))
    {
      till_paysim_ali_internal (call, error);
      return;
    }
  g_message ("Alipay precreate %s: %" G_GINT64_FORMAT " fen", t->out_trade_no, t->total);
  answer_qr (call, t);
}

static void
control_json (SoupServerMessage *msg,
              guint              status,
              JsonNode          *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  gsize len = 0;
  char *text;

  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, &len);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                    text, len);
}

static void
control_fail (SoupServerMessage *msg,
              guint              status,
              const char        *code,
              const char        *message)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "code", code);
  json_object_set_string_member (obj, "message", message);
  json_node_take_object (node, obj);
  control_json (msg, status, node);
}

void
till_paysim_alipay_scan (TillPaysim        *self,
                         SoupServerMessage *msg,
                         const char        *out_trade_no,
                         const char        *outcome)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaysimAliTrade) t = NULL;
  g_autoptr(TillPaysimAliTrade) after = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 now_ms = till_paysim_now_ms (self);
  gboolean closed_for_good = FALSE;
  TillPaysimAliTrade buyer = { 0 };

  if (!till_paysim_alipay_ledger_settle (self->alipay_ledger, now_ms, &error)
      || (t = till_paysim_alipay_ledger_find (self->alipay_ledger, out_trade_no, &error),
          error != NULL)
      || !till_paysim_alipay_ledger_is_tombstone (self->alipay_ledger, out_trade_no,
                                                  &closed_for_good, &error))
    {
      control_fail (msg, 500, "SYSTEM_ERROR", error->message);
      return;
    }
  if (t == NULL || !g_str_equal (t->kind, "precreate"))
    {
      control_fail (msg, 404, "TRADE_NOT_EXIST", "no precreate order with this out_trade_no");
      return;
    }
  if (g_str_equal (t->status, TILL_PAYSIM_ALIPAY_SUCCESS))
    {
      control_fail (msg, 400, "TRADE_HAS_SUCCESS", "the order is paid already");
      return;
    }
  if (closed_for_good || g_str_equal (t->status, TILL_PAYSIM_ALIPAY_CLOSED))
    {
      control_fail (msg, 400, "TRADE_HAS_CLOSE", "the order is closed: the QR code is dead");
      return;
    }
  if (t->scanned)
    {
      control_fail (msg, 400, "TRADE_SCANNED", "the order was scanned already");
      return;
    }
  new_buyer (&buyer);
  if (!till_paysim_alipay_ledger_scan (
        self->alipay_ledger, t->id,
        g_str_equal (outcome, "pay") ? TILL_PAYSIM_ALIPAY_SUCCESS : TILL_PAYSIM_ALIPAY_WAIT,
        g_str_equal (outcome, "password") ? TILL_PAYSIM_ALIPAY_SUCCESS
        : g_str_equal (outcome, "decline") ? TILL_PAYSIM_ALIPAY_CLOSED : NULL,
        now_ms + (g_str_equal (outcome, "password") ? self->password_delay_ms
                                                     : TILL_PAYSIM_ALIPAY_DECLINE_MS),
        buyer.buyer_user_id, buyer.buyer_logon_id, now_ms, &error)
      || (after = till_paysim_alipay_ledger_find (self->alipay_ledger, out_trade_no,
                                                  &error)) == NULL
      || (node = till_paysim_alipay_ledger_json (self, after, &error)) == NULL)
    {
      g_free (buyer.buyer_user_id);
      g_free (buyer.buyer_logon_id);
      control_fail (msg, 500, "SYSTEM_ERROR",
                    error != NULL ? error->message : "the order vanished");
      return;
    }
  g_free (buyer.buyer_user_id);
  g_free (buyer.buyer_logon_id);
  g_message ("Alipay precreate %s scanned by the customer: %s", out_trade_no, outcome);
  control_json (msg, 200, node);
}

void
till_paysim_alipay_qr_page (TillPaysim        *self,
                            SoupServerMessage *msg,
                            const char        *out_trade_no)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaysimAliTrade) t = till_paysim_alipay_ledger_find (self->alipay_ledger,
                                                                    out_trade_no, &error);
  g_autofree char *yuan = NULL;
  g_autofree char *text = NULL;

  if (t == NULL || !g_str_equal (t->kind, "precreate"))
    {
      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_STATIC,
                                        "no such order\n", 14);
      return;
    }
  yuan = till_alipay_yuan_format (t->total);
  text = g_strdup_printf ("tillpoint-paysim Alipay order %s: ¥%s, %s. Pay it with POST "
                          "/_sim/alipay/scan.\n", t->out_trade_no, yuan, t->status);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY, text,
                                    strlen (text));
}

/* ---- query, cancel, close -------------------------------------------------------------- */

void
till_paysim_ali_query (TillPaysimAliCall *call)
{
  g_autoptr(TillPaysimAliTrade) t = till_paysim_ali_find_trade (call);

  if (t != NULL)
    answer_trade (call, t, TILL_ALIPAY_CODE_SUCCESS, TRUE);
}

static void
answer_cancel (TillPaysimAliCall *call,
               const char        *trade_no,
               const char        *out_trade_no,
               const char        *action)
{
  g_autoptr(JsonBuilder) b = till_paysim_ali_begin (TILL_ALIPAY_CODE_SUCCESS);

  till_paysim_ali_add_str (b, "trade_no", trade_no);
  till_paysim_ali_add_str (b, "out_trade_no", out_trade_no);
  till_paysim_ali_add_str (b, "retry_flag", "N");
  till_paysim_ali_add_str (b, "action", action);
  if (g_strcmp0 (action, "refund") == 0)
    {
      g_autofree char *when = till_paysim_ali_time (call->now_ms);

      till_paysim_ali_add_str (b, "gmt_refund_pay", when);
    }
  till_paysim_ali_end (call, b);
}

void
till_paysim_ali_cancel (TillPaysimAliCall *call)
{
  TillPaysimAlipayLedger *ledger = call->sim->alipay_ledger;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaysimAliTrade) t = NULL;
  const char *otn, *trade_no;
  const char *action;

  if (!till_paysim_ali_biz_str (call, "out_trade_no", FALSE, 64, &otn)
      || !till_paysim_ali_biz_str (call, "trade_no", FALSE, 64, &trade_no))
    return;
  if (otn == NULL && trade_no == NULL)
    {
      till_paysim_ali_business (call, "ACQ.INVALID_PARAMETER", "订单号和支付宝交易号不能同时为空",
                                NULL);
      return;
    }
  t = trade_no != NULL ? till_paysim_alipay_ledger_find_by_trade_no (ledger, trade_no, &error)
                       : till_paysim_alipay_ledger_find (ledger, otn, &error);
  if (error != NULL)
    {
      till_paysim_ali_internal (call, error);
      return;
    }
  if (t == NULL || !t->scanned)
    {
      /* §11: no trade (yet): success without an action, and the number is closed for good
       * so that a late pay (or a late scan of the QR) cannot take money */
      const char *number = otn != NULL ? otn : t != NULL ? t->out_trade_no : NULL;

      if (number == NULL)
        {
          till_paysim_ali_business (call, "ACQ.TRADE_NOT_EXIST", "交易不存在", NULL);
          return;
        }
      if (!till_paysim_alipay_ledger_tombstone (ledger, number, call->now_ms, &error)
          || (t != NULL && !till_paysim_alipay_ledger_set_status (ledger, t->id,
                                                                  TILL_PAYSIM_ALIPAY_CLOSED,
                                                                  "cancel", call->now_ms,
                                                                  &error)))
        {
          till_paysim_ali_internal (call, error);
          return;
        }
      g_message ("Alipay cancel %s: no trade; the number is closed for good", number);
      answer_cancel (call, NULL, number, NULL);
      return;
    }
  if (t->cancel_action != NULL)
    {
      /* cancelled before: the same answer */
      answer_cancel (call, t->trade_no, t->out_trade_no, t->cancel_action);
      return;
    }
  if (call->now_ms - t->created_ms > CANCEL_WINDOW_MS)
    {
      till_paysim_ali_business (call, "ACQ.TRADE_CANCEL_TIME_OUT", "超过撤销时间范围，请使用退款接口",
                                t->out_trade_no);
      return;
    }
  if (g_str_equal (t->status, TILL_PAYSIM_ALIPAY_WAIT))
    action = "close";
  else if (g_str_equal (t->status, TILL_PAYSIM_ALIPAY_SUCCESS))
    {
      if (t->refunded > 0)
        {
          till_paysim_ali_business (call, "ACQ.REASON_TRADE_REFUND_FEE_ERR",
                                    "交易已发生退款，不能撤销", t->out_trade_no);
          return;
        }
      action = "refund";
    }
  else if (t->paid_ms != 0)
    {
      /* closed by refunds: nothing left to give back */
      till_paysim_ali_business (call, "ACQ.REASON_TRADE_REFUND_FEE_ERR", "交易已全额退款，不能撤销",
                                t->out_trade_no);
      return;
    }
  else
    action = "close";   /* closed unpaid (declined, timed out, closed, rolled back) */

  if (!till_paysim_alipay_ledger_cancel (ledger, t->id, action, call->now_ms, &error))
    {
      till_paysim_ali_internal (call, error);
      return;
    }
  g_message ("Alipay cancel %s: %s → action %s", t->out_trade_no, t->status, action);
  answer_cancel (call, t->trade_no, t->out_trade_no, action);
}

void
till_paysim_ali_close (TillPaysimAliCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaysimAliTrade) t = till_paysim_ali_find_trade (call);
  g_autoptr(JsonBuilder) b = NULL;

  if (t == NULL)
    return;
  if (!g_str_equal (t->status, TILL_PAYSIM_ALIPAY_WAIT))
    {
      till_paysim_ali_business (call, "ACQ.TRADE_STATUS_ERROR", "交易状态不合法", t->out_trade_no);
      return;
    }
  if (!till_paysim_alipay_ledger_set_status (call->sim->alipay_ledger, t->id,
                                             TILL_PAYSIM_ALIPAY_CLOSED, "close", call->now_ms,
                                             &error))
    {
      till_paysim_ali_internal (call, error);
      return;
    }
  g_message ("Alipay close %s", t->out_trade_no);
  b = till_paysim_ali_begin (TILL_ALIPAY_CODE_SUCCESS);
  till_paysim_ali_add_str (b, "trade_no", t->trade_no);
  till_paysim_ali_add_str (b, "out_trade_no", t->out_trade_no);
  till_paysim_ali_end (call, b);
}

/* ---- the ledger view ------------------------------------------------------------------- */

JsonNode *
till_paysim_alipay_ledger_json (TillPaysim         *self,
                                TillPaysimAliTrade *t,
                                GError            **error)
{
  g_autoptr(GPtrArray) refunds = till_paysim_alipay_ledger_list_refunds (self->alipay_ledger,
                                                                         t->id, error);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gboolean was_paid = t->paid_ms != 0;
  gboolean returned = g_strcmp0 (t->cancel_action, "refund") == 0;
  gint64 charged = was_paid && !returned ? t->total : 0;

  if (refunds == NULL)
    return NULL;

  json_builder_begin_object (b);
#define STR(name, value)                      \
  json_builder_set_member_name (b, name);     \
  if ((value) != NULL)                        \
    json_builder_add_string_value (b, value); \
  else                                        \
    json_builder_add_null_value (b);
#define INT(name, value)                      \
  json_builder_set_member_name (b, name);     \
  json_builder_add_int_value (b, value);
#define BOOL(name, value)                     \
  json_builder_set_member_name (b, name);     \
  json_builder_add_boolean_value (b, value);

  STR ("provider", "alipay");
  STR ("out_trade_no", t->out_trade_no);
  STR ("transaction_id", t->trade_no);
  STR ("trade_type", g_str_equal (t->kind, "precreate") ? "PRECREATE" : "BAR_CODE");
  STR ("state", t->scanned ? t->status : "NOT_SCANNED");
  STR ("state_desc", t->close_reason);
  STR ("error_code", NULL);
  STR ("scenario", t->scenario);
  STR ("pending_state", t->pending_status);
  INT ("pending_at_ms", t->pending_at_ms);
  STR ("description", t->subject);
  STR ("attach", NULL);
  STR ("auth_code", t->auth_code);
  STR ("device_id", t->terminal_id);
  STR ("store_id", t->store_id);
  STR ("code_url", t->qr_code);
  STR ("openid", *t->buyer_user_id != '\0' ? t->buyer_user_id : NULL);
  STR ("currency", "CNY");
  INT ("total", t->total);
  BOOL ("was_paid", was_paid);
  BOOL ("reversed_after_payment", returned);
  STR ("cancel_action", t->cancel_action);
  BOOL ("scanned", t->scanned);
  INT ("charged", charged);
  INT ("refunded", t->refunded);
  INT ("net", charged - t->refunded);
  INT ("created_ms", t->created_ms);
  INT ("success_ms", t->paid_ms);
  INT ("ended_ms", t->closed_ms);
  INT ("expire_ms", t->expire_ms);
  json_builder_set_member_name (b, "refunds");
  json_builder_begin_array (b);
  for (guint i = 0; i < refunds->len; i++)
    {
      TillPaysimAliRefund *r = g_ptr_array_index (refunds, i);

      if (r->out_request_no == NULL)
        continue;   /* a cancel's refund: reversed_after_payment says it */
      json_builder_begin_object (b);
      STR ("out_refund_no", r->out_request_no);
      STR ("refund_id", NULL);
      INT ("amount", r->amount);
      INT ("total", r->total);
      STR ("status", "REFUND_SUCCESS");
      STR ("reason", r->reason);
      INT ("created_ms", r->created_ms);
      INT ("success_ms", r->created_ms);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
#undef STR
#undef INT
#undef BOOL
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
