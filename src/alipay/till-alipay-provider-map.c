/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Alipay's answers and errors in the provider-neutral words of till-pay-provider.h. */
#define G_LOG_DOMAIN "till-alipay"
#include "config.h"

#include "till-alipay-provider-map.h"

#include <string.h>

#include <glib/gi18n-lib.h>

/* Sub_codes are matched by substring: Alipay's own enums misspell some (AQC.SYSTEM_ERROR,
 * §5.1). */
static gboolean
has (const char *code,
     const char *part)
{
  return code != NULL && strstr (code, part) != NULL;
}

TillPayFailure
till_alipay_error_classify (const GError *error)
{
  const char *code;

  if (!g_error_matches (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER))
    return till_pay_error_get_failure (error);
  code = till_pay_error_get_provider_code (error);
  /* "may have succeeded or failed": ask */
  if (has (code, "SYSTEM_ERROR") || has (code, "TRADE_HAS_SUCCESS"))
    return TILL_PAY_FAILURE_UNKNOWN;
  if (has (code, "NOT_EXIST") || has (code, "bill_not_exist") || has (code, "NO_BILL_DATA"))
    return TILL_PAY_FAILURE_NOT_FOUND;
  if (g_strcmp0 (code, TILL_ALIPAY_RETRY_FLAG_CODE) == 0)
    return TILL_PAY_FAILURE_BUSY;
  if (code != NULL && (g_str_has_prefix (code, "isp.") || g_str_has_prefix (code, "aop.")))
    return TILL_PAY_FAILURE_UNKNOWN;
  if (has (code, "call-limited") || has (code, "RATE_LIMIT"))
    return TILL_PAY_FAILURE_BUSY;
  return TILL_PAY_FAILURE_REFUSED;
}

void
till_alipay_error_mark (GError *error)
{
  if (error != NULL && error->domain == TILL_PAY_ERROR)
    till_pay_error_set_failure (error, till_alipay_error_classify (error));
}

static TillPayTrade *
trade_new (TillPayTradeState      state,
           const TillAlipayTrade *answer,
           const char            *provider_state)
{
  TillPayTrade *trade = till_pay_trade_new (state);

  trade->out_trade_no = g_strdup (answer->out_trade_no);
  trade->transaction_id = g_strdup (answer->trade_no);
  trade->amount_fen = answer->total_fen;
  trade->provider_state = g_strdup (provider_state);
  trade->message = g_strdup (till_pay_error_describe_code (provider_state));
  return trade;
}

TillPayTrade *
till_alipay_map_pay (const TillAlipayTrade *answer,
                     const GError          *error)
{
  TillPayTrade *trade;

  g_return_val_if_fail ((answer == NULL) != (error == NULL), NULL);

  if (answer != NULL)
    {
      if (g_strcmp0 (answer->code, "10000") == 0)
        return trade_new (TILL_PAY_TRADE_PAID, answer, "TRADE_SUCCESS");
      if (g_strcmp0 (answer->code, "10003") == 0)
        return trade_new (TILL_PAY_TRADE_USER_PAYING, answer, "WAIT_BUYER_PAY");
      /* an answer a payment does not expect: ask rather than guess */
      return trade_new (TILL_PAY_TRADE_UNKNOWN, answer, answer->code);
    }
  /* A verified refusal (with Alipay's sub_code), or the request never left: nothing was
   * charged. Anything else may have been charged. */
  trade = till_pay_trade_new (till_alipay_error_classify (error) != TILL_PAY_FAILURE_UNKNOWN
                              ? TILL_PAY_TRADE_FAILED : TILL_PAY_TRADE_UNKNOWN);
  trade->code = g_strdup (till_pay_error_get_provider_code (error));
  trade->message = g_strdup (error->message);
  return trade;
}

TillPayTrade *
till_alipay_map_query (const TillAlipayTrade *answer,
                       TillPayScene           scene)
{
  const char *status;

  g_return_val_if_fail (answer != NULL, NULL);

  status = answer->trade_status;
  if (g_strcmp0 (status, "TRADE_SUCCESS") == 0 || g_strcmp0 (status, "TRADE_FINISHED") == 0)
    return trade_new (TILL_PAY_TRADE_PAID, answer, status);
  if (g_strcmp0 (status, "WAIT_BUYER_PAY") == 0)
    return trade_new (scene == TILL_PAY_SCENE_QR ? TILL_PAY_TRADE_NOT_PAID
                                                 : TILL_PAY_TRADE_USER_PAYING,
                      answer, status);
  if (g_strcmp0 (status, "TRADE_CLOSED") == 0)
    {
      /* Closed unpaid, or paid and every fen given back (a cancel that refunded). */
      TillPayTrade *trade = trade_new (answer->paid_at != NULL ? TILL_PAY_TRADE_REVERSED
                                                               : TILL_PAY_TRADE_CLOSED,
                                       answer, status);
      return trade;
    }
  return trade_new (TILL_PAY_TRADE_UNKNOWN, answer, status);
}

gboolean
till_alipay_map_cancel (const TillAlipayCancel *answer,
                        GError                **error)
{
  g_return_val_if_fail (answer != NULL, FALSE);

  if (answer->retry)
    {
      GError *busy = g_error_new_literal (TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER,
                                          _("Alipay has not finished cancelling the payment "
                                            "yet: trying again."));

      till_pay_error_set_details (busy, TILL_ALIPAY_RETRY_FLAG_CODE, NULL, 200);
      till_pay_error_set_failure (busy, TILL_PAY_FAILURE_BUSY);
      g_propagate_error (error, busy);
      return FALSE;
    }
  g_message ("Alipay cancelled %s: action %s", answer->out_trade_no ? answer->out_trade_no : "-",
             answer->action != NULL ? answer->action : "none (no such trade: closed for good)");
  return TRUE;
}

TillPayRefund *
till_alipay_map_refund (const TillAlipayRefund *answer,
                        const char             *out_refund_no,
                        gint64                  amount_fen)
{
  TillPayRefund *refund;

  g_return_val_if_fail (answer != NULL, NULL);

  refund = till_pay_refund_new (answer->fund_change ? TILL_PAY_REFUND_SUCCESS
                                                    : TILL_PAY_REFUND_PROCESSING);
  refund->out_refund_no = g_strdup (out_refund_no);
  refund->amount_fen = amount_fen;
  refund->provider_state = g_strdup (answer->fund_change ? "fund_change=Y" : "fund_change=N");
  return refund;
}

TillPayRefund *
till_alipay_map_refund_query (const TillAlipayRefund *answer,
                              GError                **error)
{
  TillPayRefund *refund;
  const char *status;

  g_return_val_if_fail (answer != NULL, NULL);

  if (!answer->found)
    {
      GError *none = g_error_new_literal (TILL_PAY_ERROR, TILL_PAY_ERROR_PROVIDER,
                                          _("Alipay does not know this refund."));

      till_pay_error_set_details (none, TILL_ALIPAY_REFUND_NOT_EXIST, NULL, 200);
      till_pay_error_set_failure (none, TILL_PAY_FAILURE_NOT_FOUND);
      g_propagate_error (error, none);
      return NULL;
    }
  status = answer->refund_status != NULL ? answer->refund_status : "REFUND_SUCCESS";
  refund = till_pay_refund_new (g_str_equal (status, "REFUND_SUCCESS") ? TILL_PAY_REFUND_SUCCESS
                                                                       : TILL_PAY_REFUND_UNKNOWN);
  refund->out_refund_no = g_strdup (answer->out_request_no);
  refund->amount_fen = answer->refund_fen;
  refund->provider_state = g_strdup (status);
  return refund;
}
