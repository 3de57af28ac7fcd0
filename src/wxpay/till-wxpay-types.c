/* SPDX-License-Identifier: GPL-3.0-or-later */
/* WeChat Pay v3 result types and their JSON decoding (reference §1.2, §3, §5.2, §6.1). */
#define G_LOG_DOMAIN "till-pay"
#include "config.h"

#include "till-wxpay-types.h"

#include <glib/gi18n-lib.h>

#include "till-pay-error.h"

/* The API's names of its enums; a name not in a table is the enum's UNKNOWN. */
typedef struct
{
  int         value;
  const char *name;
} EnumName;

static int
enum_from_string (const EnumName *table,
                  gsize           n,
                  const char     *s,
                  int             unknown)
{
  if (s == NULL)
    return unknown;
  for (gsize i = 0; i < n; i++)
    if (g_str_equal (s, table[i].name))
      return table[i].value;
  return unknown;
}

static const char *
enum_to_string (const EnumName *table,
                gsize           n,
                int             value)
{
  for (gsize i = 0; i < n; i++)
    if (table[i].value == value)
      return table[i].name;
  return "UNKNOWN";
}

static const EnumName trade_states[] = {
  { TILL_WXPAY_TRADE_STATE_SUCCESS, "SUCCESS" },
  { TILL_WXPAY_TRADE_STATE_REFUND, "REFUND" },
  { TILL_WXPAY_TRADE_STATE_NOTPAY, "NOTPAY" },
  { TILL_WXPAY_TRADE_STATE_CLOSED, "CLOSED" },
  { TILL_WXPAY_TRADE_STATE_REVOKED, "REVOKED" },
  { TILL_WXPAY_TRADE_STATE_USERPAYING, "USERPAYING" },
  { TILL_WXPAY_TRADE_STATE_PAYERROR, "PAYERROR" },
};

TillWxpayTradeState
till_wxpay_trade_state_from_string (const char *s)
{
  return enum_from_string (trade_states, G_N_ELEMENTS (trade_states), s,
                           TILL_WXPAY_TRADE_STATE_UNKNOWN);
}

const char *
till_wxpay_trade_state_to_string (TillWxpayTradeState state)
{
  return enum_to_string (trade_states, G_N_ELEMENTS (trade_states), state);
}

gboolean
till_wxpay_trade_state_is_final (TillWxpayTradeState state)
{
  switch (state)
    {
    case TILL_WXPAY_TRADE_STATE_SUCCESS:
    case TILL_WXPAY_TRADE_STATE_REFUND:
    case TILL_WXPAY_TRADE_STATE_CLOSED:
    case TILL_WXPAY_TRADE_STATE_REVOKED:
    case TILL_WXPAY_TRADE_STATE_PAYERROR:
      return TRUE;
    case TILL_WXPAY_TRADE_STATE_UNKNOWN:
    case TILL_WXPAY_TRADE_STATE_NOTPAY:
    case TILL_WXPAY_TRADE_STATE_USERPAYING:
    default:
      return FALSE;
    }
}

static const EnumName refund_statuses[] = {
  { TILL_WXPAY_REFUND_STATUS_SUCCESS, "SUCCESS" },
  { TILL_WXPAY_REFUND_STATUS_CLOSED, "CLOSED" },
  { TILL_WXPAY_REFUND_STATUS_PROCESSING, "PROCESSING" },
  { TILL_WXPAY_REFUND_STATUS_ABNORMAL, "ABNORMAL" },
};

TillWxpayRefundStatus
till_wxpay_refund_status_from_string (const char *s)
{
  return enum_from_string (refund_statuses, G_N_ELEMENTS (refund_statuses), s,
                           TILL_WXPAY_REFUND_STATUS_UNKNOWN);
}

const char *
till_wxpay_refund_status_to_string (TillWxpayRefundStatus status)
{
  return enum_to_string (refund_statuses, G_N_ELEMENTS (refund_statuses), status);
}

/* ---- JSON helpers: absent or null members are fine, wrong types are not ---- */

static gboolean
bad_field (GError **error, const char *name, const char *expected)
{
  g_message ("answer field “%s” is not %s", name, expected);
  g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROTOCOL,
               _("The payment service sent an unexpected answer (field “%s”). "
                 "The result is unknown — checking the payment."), name);
  return FALSE;
}

static gboolean
get_object (JsonObject *obj, const char *name, JsonObject **out, GError **error)
{
  JsonNode *n = json_object_get_member (obj, name);

  *out = NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (n))
    return bad_field (error, name, "an object");
  *out = json_node_get_object (n);
  return TRUE;
}

static gboolean
get_str (JsonObject *obj, const char *name, char **out, GError **error)
{
  JsonNode *n;

  *out = NULL;
  if (obj == NULL)
    return TRUE;
  n = json_object_get_member (obj, name);
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return bad_field (error, name, "a string");
  *out = g_strdup (json_node_get_string (n));
  return TRUE;
}

/* Money is an integer number of fen: 1.5 or "100" are protocol errors. */
static gboolean
get_fen (JsonObject *obj, const char *name, gint64 *out, GError **error)
{
  JsonNode *n;

  *out = -1;
  if (obj == NULL)
    return TRUE;
  n = json_object_get_member (obj, name);
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64 ||
      json_node_get_int (n) < 0)
    return bad_field (error, name, "an amount in fen");
  *out = json_node_get_int (n);
  return TRUE;
}

static JsonObject *
root_object (JsonNode *node, GError **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      bad_field (error, "/", "an object");
      return NULL;
    }
  return json_node_get_object (node);
}

/* ---- TillWxpayTransaction ---- */

TillWxpayTransaction *
till_wxpay_transaction_copy (const TillWxpayTransaction *t)
{
  TillWxpayTransaction *c = g_new0 (TillWxpayTransaction, 1);

  *c = *t;
  c->trade_state_str = g_strdup (t->trade_state_str);
  c->trade_state_desc = g_strdup (t->trade_state_desc);
  c->appid = g_strdup (t->appid);
  c->mchid = g_strdup (t->mchid);
  c->out_trade_no = g_strdup (t->out_trade_no);
  c->transaction_id = g_strdup (t->transaction_id);
  c->trade_type = g_strdup (t->trade_type);
  c->bank_type = g_strdup (t->bank_type);
  c->attach = g_strdup (t->attach);
  c->success_time = g_strdup (t->success_time);
  c->payer_openid = g_strdup (t->payer_openid);
  c->currency = g_strdup (t->currency);
  return c;
}

void
till_wxpay_transaction_free (TillWxpayTransaction *t)
{
  if (t == NULL)
    return;
  g_free (t->trade_state_str);
  g_free (t->trade_state_desc);
  g_free (t->appid);
  g_free (t->mchid);
  g_free (t->out_trade_no);
  g_free (t->transaction_id);
  g_free (t->trade_type);
  g_free (t->bank_type);
  g_free (t->attach);
  g_free (t->success_time);
  g_free (t->payer_openid);
  g_free (t->currency);
  g_free (t);
}

G_DEFINE_BOXED_TYPE (TillWxpayTransaction, till_wxpay_transaction,
                     till_wxpay_transaction_copy, till_wxpay_transaction_free)

TillWxpayTransaction *
till_wxpay_transaction_new_from_json (JsonNode *node, guint http_status, GError **error)
{
  g_autoptr(TillWxpayTransaction) t = g_new0 (TillWxpayTransaction, 1);
  JsonObject *obj, *amount = NULL, *payer = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((obj = root_object (node, error)) == NULL)
    return NULL;

  t->http_status = http_status;
  if (!get_str (obj, "trade_state", &t->trade_state_str, error) ||
      !get_str (obj, "trade_state_desc", &t->trade_state_desc, error) ||
      !get_str (obj, "appid", &t->appid, error) ||
      !get_str (obj, "mchid", &t->mchid, error) ||
      !get_str (obj, "out_trade_no", &t->out_trade_no, error) ||
      !get_str (obj, "transaction_id", &t->transaction_id, error) ||
      !get_str (obj, "trade_type", &t->trade_type, error) ||
      !get_str (obj, "bank_type", &t->bank_type, error) ||
      !get_str (obj, "attach", &t->attach, error) ||
      !get_str (obj, "success_time", &t->success_time, error) ||
      !get_object (obj, "amount", &amount, error) ||
      !get_object (obj, "payer", &payer, error) ||
      !get_fen (amount, "total", &t->amount_total, error) ||
      !get_fen (amount, "payer_total", &t->payer_total, error) ||
      !get_str (amount, "currency", &t->currency, error) ||
      !get_str (payer, "openid", &t->payer_openid, error))
    return NULL;

  if (t->trade_state_str == NULL)
    {
      bad_field (error, "trade_state", "present");
      return NULL;
    }
  t->trade_state = till_wxpay_trade_state_from_string (t->trade_state_str);
  if (t->trade_state == TILL_WXPAY_TRADE_STATE_UNKNOWN)
    g_message ("unknown trade_state “%s”", t->trade_state_str);

  return g_steal_pointer (&t);
}

/* ---- TillWxpayRefund ---- */

TillWxpayRefund *
till_wxpay_refund_copy (const TillWxpayRefund *r)
{
  TillWxpayRefund *c = g_new0 (TillWxpayRefund, 1);

  *c = *r;
  c->status_str = g_strdup (r->status_str);
  c->refund_id = g_strdup (r->refund_id);
  c->out_refund_no = g_strdup (r->out_refund_no);
  c->transaction_id = g_strdup (r->transaction_id);
  c->out_trade_no = g_strdup (r->out_trade_no);
  c->channel = g_strdup (r->channel);
  c->user_received_account = g_strdup (r->user_received_account);
  c->success_time = g_strdup (r->success_time);
  c->create_time = g_strdup (r->create_time);
  c->currency = g_strdup (r->currency);
  return c;
}

void
till_wxpay_refund_free (TillWxpayRefund *r)
{
  if (r == NULL)
    return;
  g_free (r->status_str);
  g_free (r->refund_id);
  g_free (r->out_refund_no);
  g_free (r->transaction_id);
  g_free (r->out_trade_no);
  g_free (r->channel);
  g_free (r->user_received_account);
  g_free (r->success_time);
  g_free (r->create_time);
  g_free (r->currency);
  g_free (r);
}

G_DEFINE_BOXED_TYPE (TillWxpayRefund, till_wxpay_refund, till_wxpay_refund_copy,
                     till_wxpay_refund_free)

TillWxpayRefund *
till_wxpay_refund_new_from_json (JsonNode *node, guint http_status, GError **error)
{
  g_autoptr(TillWxpayRefund) r = g_new0 (TillWxpayRefund, 1);
  JsonObject *obj, *amount = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((obj = root_object (node, error)) == NULL)
    return NULL;

  r->http_status = http_status;
  if (!get_str (obj, "status", &r->status_str, error) ||
      !get_str (obj, "refund_id", &r->refund_id, error) ||
      !get_str (obj, "out_refund_no", &r->out_refund_no, error) ||
      !get_str (obj, "transaction_id", &r->transaction_id, error) ||
      !get_str (obj, "out_trade_no", &r->out_trade_no, error) ||
      !get_str (obj, "channel", &r->channel, error) ||
      !get_str (obj, "user_received_account", &r->user_received_account, error) ||
      !get_str (obj, "success_time", &r->success_time, error) ||
      !get_str (obj, "create_time", &r->create_time, error) ||
      !get_object (obj, "amount", &amount, error) ||
      !get_fen (amount, "total", &r->amount_total, error) ||
      !get_fen (amount, "refund", &r->amount_refund, error) ||
      !get_fen (amount, "payer_total", &r->payer_total, error) ||
      !get_fen (amount, "payer_refund", &r->payer_refund, error) ||
      !get_str (amount, "currency", &r->currency, error))
    return NULL;

  if (r->status_str == NULL)
    {
      bad_field (error, "status", "present");
      return NULL;
    }
  r->status = till_wxpay_refund_status_from_string (r->status_str);
  if (r->status == TILL_WXPAY_REFUND_STATUS_UNKNOWN)
    g_message ("unknown refund status “%s”", r->status_str);

  return g_steal_pointer (&r);
}

/* ---- TillWxpayBill ---- */

TillWxpayBill *
till_wxpay_bill_new (const char *hash_type, const char *hash_value, const char *download_url,
                     gboolean gzip)
{
  TillWxpayBill *b = g_new0 (TillWxpayBill, 1);

  b->hash_type = g_strdup (hash_type);
  b->hash_value = g_strdup (hash_value);
  b->download_url = g_strdup (download_url);
  b->gzip = gzip;
  return b;
}

TillWxpayBill *
till_wxpay_bill_copy (const TillWxpayBill *b)
{
  return till_wxpay_bill_new (b->hash_type, b->hash_value, b->download_url, b->gzip);
}

void
till_wxpay_bill_free (TillWxpayBill *b)
{
  if (b == NULL)
    return;
  g_free (b->hash_type);
  g_free (b->hash_value);
  g_free (b->download_url);
  g_free (b);
}

G_DEFINE_BOXED_TYPE (TillWxpayBill, till_wxpay_bill, till_wxpay_bill_copy, till_wxpay_bill_free)

TillWxpayBill *
till_wxpay_bill_new_from_json (JsonNode *node, gboolean gzip, GError **error)
{
  g_autoptr(TillWxpayBill) b = g_new0 (TillWxpayBill, 1);
  JsonObject *obj;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((obj = root_object (node, error)) == NULL)
    return NULL;
  b->gzip = gzip;
  if (!get_str (obj, "hash_type", &b->hash_type, error) ||
      !get_str (obj, "hash_value", &b->hash_value, error) ||
      !get_str (obj, "download_url", &b->download_url, error))
    return NULL;
  if (b->hash_type == NULL || b->hash_value == NULL || b->download_url == NULL)
    {
      bad_field (error, b->hash_type == NULL ? "hash_type" :
                        b->hash_value == NULL ? "hash_value" : "download_url", "present");
      return NULL;
    }
  return g_steal_pointer (&b);
}
