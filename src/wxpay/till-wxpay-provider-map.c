/* SPDX-License-Identifier: GPL-3.0-or-later */
/* WeChat Pay's answers and errors in the provider-neutral words of till-pay-provider.h. */
#define G_LOG_DOMAIN "till-pay"
#include "config.h"

#include "till-wxpay-provider-map.h"

static gboolean
code_in (const char        *code,
         const char *const *codes)
{
  return code != NULL && g_strv_contains (codes, code);
}

TillPayFailure
till_wxpay_error_classify (const GError *error)
{
  /* 4xx codes that still mean "WeChat Pay does not know yet" (reference §1.2, §2) */
  static const char *const not_known_yet[] = {
    "SYSTEM_ERROR", "SYSTEMERROR", "BANK_ERROR", "BANKERROR", "USERPAYING", NULL,
  };
  static const char *const not_found[] = { "ORDER_NOT_EXIST", "RESOURCE_NOT_EXISTS", NULL };
  const char *code;

  if (!g_error_matches (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER))
    return till_pay_error_get_failure (error);
  code = till_pay_error_get_provider_code (error);
  if (code_in (code, not_known_yet))
    return TILL_PAY_FAILURE_UNKNOWN;
  if (till_pay_error_get_http_status (error) == 429)
    return TILL_PAY_FAILURE_BUSY;
  if (code_in (code, not_found))
    return TILL_PAY_FAILURE_NOT_FOUND;
  if (g_strcmp0 (code, "STATEMENT_CREATING") == 0)
    return TILL_PAY_FAILURE_NOT_READY;
  return TILL_PAY_FAILURE_REFUSED;
}

void
till_wxpay_error_mark (GError *error)
{
  if (error != NULL && error->domain == TILL_PAY_ERROR)
    till_pay_error_set_failure (error, till_wxpay_error_classify (error));
}

static TillPayTrade *
trade_new (TillPayTradeState           state,
           const TillWxpayTransaction *txn)
{
  TillPayTrade *trade = till_pay_trade_new (state);

  trade->out_trade_no = g_strdup (txn->out_trade_no);
  trade->transaction_id = g_strdup (txn->transaction_id);
  trade->amount_fen = txn->amount_total;
  trade->provider_state = g_strdup (txn->trade_state_str);
  return trade;
}

TillPayTrade *
till_wxpay_map_codepay (const TillWxpayTransaction *txn,
                        const GError               *error)
{
  TillPayTrade *trade;

  g_return_val_if_fail ((txn == NULL) != (error == NULL), NULL);

  if (txn != NULL)
    {
      if (txn->trade_state == TILL_WXPAY_TRADE_STATE_SUCCESS)
        return trade_new (TILL_PAY_TRADE_PAID, txn);
      if (txn->trade_state == TILL_WXPAY_TRADE_STATE_USERPAYING || txn->http_status == 202)
        return trade_new (TILL_PAY_TRADE_USER_PAYING, txn);
      /* An answer a code payment does not expect: ask again rather than guess. */
      return trade_new (TILL_PAY_TRADE_UNKNOWN, txn);
    }
  /* A verified refusal, or the request never left: nothing was charged. Anything else
   * (5xx, timeout, bad signature, "not known yet") may have been charged. */
  trade = till_pay_trade_new (till_wxpay_error_classify (error) != TILL_PAY_FAILURE_UNKNOWN
                              ? TILL_PAY_TRADE_FAILED : TILL_PAY_TRADE_UNKNOWN);
  trade->code = g_strdup (till_pay_error_get_provider_code (error));
  trade->message = g_strdup (error->message);
  return trade;
}

TillPayTrade *
till_wxpay_map_transaction (const TillWxpayTransaction *txn)
{
  TillPayTrade *trade;

  g_return_val_if_fail (txn != NULL, NULL);

  switch (txn->trade_state)
    {
    case TILL_WXPAY_TRADE_STATE_SUCCESS:
      trade = trade_new (TILL_PAY_TRADE_PAID, txn);
      break;
    case TILL_WXPAY_TRADE_STATE_REFUND:
      trade = trade_new (TILL_PAY_TRADE_PAID, txn);
      trade->refunded = TRUE;
      break;
    case TILL_WXPAY_TRADE_STATE_USERPAYING:
      trade = trade_new (TILL_PAY_TRADE_USER_PAYING, txn);
      break;
    case TILL_WXPAY_TRADE_STATE_NOTPAY:
      trade = trade_new (TILL_PAY_TRADE_NOT_PAID, txn);
      break;
    case TILL_WXPAY_TRADE_STATE_PAYERROR:
      trade = trade_new (TILL_PAY_TRADE_FAILED, txn);
      break;
    case TILL_WXPAY_TRADE_STATE_CLOSED:
      trade = trade_new (TILL_PAY_TRADE_CLOSED, txn);
      break;
    case TILL_WXPAY_TRADE_STATE_REVOKED:
      trade = trade_new (TILL_PAY_TRADE_REVERSED, txn);
      break;
    case TILL_WXPAY_TRADE_STATE_UNKNOWN:
    default:
      trade = trade_new (TILL_PAY_TRADE_UNKNOWN, txn);
      break;
    }
  trade->message = g_strdup (txn->trade_state_desc);
  return trade;
}

TillPayRefund *
till_wxpay_map_refund (const TillWxpayRefund *refund)
{
  TillPayRefundState state;
  TillPayRefund *out;

  g_return_val_if_fail (refund != NULL, NULL);

  switch (refund->status)
    {
    case TILL_WXPAY_REFUND_STATUS_SUCCESS:
      state = TILL_PAY_REFUND_SUCCESS;
      break;
    case TILL_WXPAY_REFUND_STATUS_PROCESSING:
      state = TILL_PAY_REFUND_PROCESSING;
      break;
    case TILL_WXPAY_REFUND_STATUS_ABNORMAL:
      state = TILL_PAY_REFUND_STUCK;
      break;
    case TILL_WXPAY_REFUND_STATUS_CLOSED:
      state = TILL_PAY_REFUND_CLOSED;
      break;
    case TILL_WXPAY_REFUND_STATUS_UNKNOWN:
    default:
      state = TILL_PAY_REFUND_UNKNOWN;
      break;
    }
  out = till_pay_refund_new (state);
  out->out_refund_no = g_strdup (refund->out_refund_no);
  out->refund_id = g_strdup (refund->refund_id);
  out->amount_fen = refund->amount_refund;
  out->provider_state = g_strdup (refund->status_str);
  return out;
}
