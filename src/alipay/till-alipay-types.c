/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Alipay's answers as C structs, and yuan strings to fen and back (exact, as text). */
#define G_LOG_DOMAIN "till-alipay"
#include "config.h"

#include "till-alipay-types.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "till-pay-error.h"

/* ---- money ---- */

char *
till_alipay_yuan_format (gint64 fen)
{
  guint64 magnitude = fen < 0 ? (guint64) (-(fen + 1)) + 1 : (guint64) fen;

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%02u", fen < 0 ? "-" : "",
                          magnitude / 100, (guint) (magnitude % 100));
}

gboolean
till_alipay_yuan_parse (const char *text,
                        gboolean    strict,
                        gint64     *out_fen)
{
  const char *p = text;
  gboolean negative = FALSE;
  guint64 yuan = 0;
  guint n_int = 0, n_frac = 0, frac = 0;

  g_return_val_if_fail (out_fen != NULL, FALSE);

  if (p == NULL)
    return FALSE;
  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  for (; g_ascii_isdigit (*p); p++, n_int++)
    {
      /* ≤ 18 digits of yuan keep yuan * 100 + 99 inside a gint64 */
      if (n_int >= 18)
        return FALSE;
      yuan = yuan * 10 + (guint64) (*p - '0');
    }
  if (n_int == 0)
    return FALSE;
  if (*p == '.')
    {
      for (p++; g_ascii_isdigit (*p); p++, n_frac++)
        {
          if (n_frac >= 2)
            return FALSE;
          frac = frac * 10 + (guint) (*p - '0');
        }
      if (n_frac == 0)
        return FALSE;
    }
  if (*p != '\0' || (strict && n_frac != 2))
    return FALSE;
  if (n_frac == 1)
    frac *= 10;
  *out_fen = (negative ? -1 : 1) * (gint64) (yuan * 100 + frac);
  return TRUE;
}

gboolean
till_alipay_valid_number (const char *text)
{
  gsize n;

  if (text == NULL)
    return FALSE;
  n = strlen (text);
  if (n == 0 || n > 64)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/* ---- answers ---- */

const char *
till_alipay_json_string (JsonObject *object,
                         const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *s;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  s = json_node_get_string (node);
  return s != NULL && *s != '\0' ? s : NULL;
}

static char *
dup_member (JsonObject *object,
            const char *name)
{
  return g_strdup (till_alipay_json_string (object, name));
}

/* An amount member: -1 when absent; FALSE when present and not an amount. */
static gboolean
amount_member (JsonObject *object,
               const char *name,
               gint64     *out,
               GError    **error)
{
  const char *text = till_alipay_json_string (object, name);

  *out = -1;
  if (text == NULL)
    return TRUE;
  if (till_alipay_yuan_parse (text, FALSE, out))
    return TRUE;
  g_message ("Alipay answer: %s “%s” is not an amount", name, text);
  g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROTOCOL,
                       _("Alipay sent an answer the till cannot read. Result unknown — "
                         "checking the payment."));
  return FALSE;
}

void
till_alipay_trade_free (TillAlipayTrade *trade)
{
  if (trade == NULL)
    return;
  g_free (trade->code);
  g_free (trade->msg);
  g_free (trade->trade_no);
  g_free (trade->out_trade_no);
  g_free (trade->trade_status);
  g_free (trade->buyer_logon_id);
  g_free (trade->paid_at);
  g_free (trade);
}

TillAlipayTrade *
till_alipay_trade_new_from_json (JsonObject *response,
                                 GError    **error)
{
  g_autoptr(TillAlipayTrade) trade = g_new0 (TillAlipayTrade, 1);

  g_return_val_if_fail (response != NULL, NULL);

  trade->code = dup_member (response, "code");
  trade->msg = dup_member (response, "msg");
  trade->trade_no = dup_member (response, "trade_no");
  trade->out_trade_no = dup_member (response, "out_trade_no");
  trade->trade_status = dup_member (response, "trade_status");
  trade->buyer_logon_id = dup_member (response, "buyer_logon_id");
  trade->paid_at = dup_member (response, "gmt_payment");
  if (trade->paid_at == NULL)
    trade->paid_at = dup_member (response, "send_pay_date");
  if (!amount_member (response, "total_amount", &trade->total_fen, error)
      || !amount_member (response, "receipt_amount", &trade->receipt_fen, error)
      || !amount_member (response, "buyer_pay_amount", &trade->buyer_pay_fen, error))
    return NULL;
  return g_steal_pointer (&trade);
}

void
till_alipay_cancel_free (TillAlipayCancel *cancel)
{
  if (cancel == NULL)
    return;
  g_free (cancel->trade_no);
  g_free (cancel->out_trade_no);
  g_free (cancel->action);
  g_free (cancel);
}

TillAlipayCancel *
till_alipay_cancel_new_from_json (JsonObject *response)
{
  TillAlipayCancel *cancel = g_new0 (TillAlipayCancel, 1);

  g_return_val_if_fail (response != NULL, NULL);

  cancel->trade_no = dup_member (response, "trade_no");
  cancel->out_trade_no = dup_member (response, "out_trade_no");
  cancel->retry = g_strcmp0 (till_alipay_json_string (response, "retry_flag"), "Y") == 0;
  cancel->action = dup_member (response, "action");
  return cancel;
}

void
till_alipay_refund_free (TillAlipayRefund *refund)
{
  if (refund == NULL)
    return;
  g_free (refund->trade_no);
  g_free (refund->out_trade_no);
  g_free (refund->out_request_no);
  g_free (refund->refund_status);
  g_free (refund->refunded_at);
  g_free (refund);
}

TillAlipayRefund *
till_alipay_refund_new_from_json (JsonObject *response,
                                  gboolean    is_query,
                                  GError    **error)
{
  g_autoptr(TillAlipayRefund) refund = g_new0 (TillAlipayRefund, 1);

  g_return_val_if_fail (response != NULL, NULL);

  refund->trade_no = dup_member (response, "trade_no");
  refund->out_trade_no = dup_member (response, "out_trade_no");
  refund->refunded_at = dup_member (response, "gmt_refund_pay");
  if (is_query)
    {
      refund->out_request_no = dup_member (response, "out_request_no");
      refund->refund_status = dup_member (response, "refund_status");
      refund->refund_fee_fen = -1;
      if (!amount_member (response, "refund_amount", &refund->refund_fen, error)
          || !amount_member (response, "total_amount", &refund->total_fen, error))
        return NULL;
      /* §5.6: a 10000 without the refund's data is "no such refund". */
      refund->found = refund->refund_fen >= 0 || refund->refund_status != NULL;
    }
  else
    {
      refund->fund_change = g_strcmp0 (till_alipay_json_string (response, "fund_change"),
                                       "Y") == 0;
      refund->refund_fen = -1;
      refund->total_fen = -1;
      refund->found = TRUE;
      if (!amount_member (response, "refund_fee", &refund->refund_fee_fen, error))
        return NULL;
    }
  return g_steal_pointer (&refund);
}
