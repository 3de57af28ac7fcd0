/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The payment error domain, an extended GError domain with the provider's code. */
#define G_LOG_DOMAIN "till-pay"
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "till-pay-error.h"

typedef struct
{
  char  *provider_code;
  char  *provider_message;
  guint  http_status;
  gint64 clock_skew_s;   /* != 0: the answer's timestamp was outside the window */
  int    failure;        /* TillPayFailure set by a provider; -1 = not classified */
} TillPayErrorPrivate;

static void
till_pay_error_private_init (TillPayErrorPrivate *priv)
{
  priv->provider_code = NULL;
  priv->provider_message = NULL;
  priv->http_status = 0;
  priv->clock_skew_s = 0;
  priv->failure = -1;
}

static void
till_pay_error_private_copy (const TillPayErrorPrivate *src, TillPayErrorPrivate *dest)
{
  dest->provider_code = g_strdup (src->provider_code);
  dest->provider_message = g_strdup (src->provider_message);
  dest->http_status = src->http_status;
  dest->clock_skew_s = src->clock_skew_s;
  dest->failure = src->failure;
}

static void
till_pay_error_private_clear (TillPayErrorPrivate *priv)
{
  g_clear_pointer (&priv->provider_code, g_free);
  g_clear_pointer (&priv->provider_message, g_free);
}

G_DEFINE_EXTENDED_ERROR (TillPayError, till_pay_error)

void
till_pay_error_set_details (GError *error, const char *provider_code,
                            const char *provider_message, guint http_status)
{
  TillPayErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == TILL_PAY_ERROR);

  priv = till_pay_error_get_private (error);
  g_free (priv->provider_code);
  priv->provider_code = g_strdup (provider_code);
  g_free (priv->provider_message);
  priv->provider_message = g_strdup (provider_message);
  priv->http_status = http_status;
}

const char *
till_pay_error_get_provider_code (const GError *error)
{
  if (error == NULL || error->domain != TILL_PAY_ERROR)
    return NULL;
  return till_pay_error_get_private (error)->provider_code;
}

const char *
till_pay_error_get_provider_message (const GError *error)
{
  if (error == NULL || error->domain != TILL_PAY_ERROR)
    return NULL;
  return till_pay_error_get_private (error)->provider_message;
}

guint
till_pay_error_get_http_status (const GError *error)
{
  if (error == NULL || error->domain != TILL_PAY_ERROR)
    return 0;
  return till_pay_error_get_private (error)->http_status;
}

void
till_pay_error_set_clock_skew_s (GError *error,
                                 gint64  skew_s)
{
  g_return_if_fail (error != NULL && error->domain == TILL_PAY_ERROR);

  till_pay_error_get_private (error)->clock_skew_s = skew_s;
}

gint64
till_pay_error_get_clock_skew_s (const GError *error)
{
  if (error == NULL || error->domain != TILL_PAY_ERROR || error->code != TILL_PAY_ERROR_SIGNATURE)
    return 0;
  return till_pay_error_get_private (error)->clock_skew_s;
}

gboolean
till_pay_error_is_clock_skew (const GError *error)
{
  return till_pay_error_get_clock_skew_s (error) != 0;
}

const char *
till_pay_failure_to_string (TillPayFailure failure)
{
  static const char *const names[] = {
    "unknown", "not_sent", "refused", "not_found", "busy", "not_ready", "damaged",
  };

  g_return_val_if_fail ((guint) failure < G_N_ELEMENTS (names), NULL);
  return names[failure];
}

void
till_pay_error_set_failure (GError        *error,
                            TillPayFailure failure)
{
  g_return_if_fail (error != NULL && error->domain == TILL_PAY_ERROR);
  g_return_if_fail (failure <= TILL_PAY_FAILURE_DAMAGED);

  till_pay_error_get_private (error)->failure = (int) failure;
}

TillPayFailure
till_pay_error_get_failure (const GError *error)
{
  if (error == NULL || error->domain != TILL_PAY_ERROR)
    return TILL_PAY_FAILURE_UNKNOWN;   /* e.g. G_IO_ERROR_CANCELLED: the request may have left */
  if (till_pay_error_get_private (error)->failure >= 0)
    return (TillPayFailure) till_pay_error_get_private (error)->failure;
  switch ((TillPayError) error->code)
    {
    case TILL_PAY_ERROR_NOT_CONFIGURED:
    case TILL_PAY_ERROR_KEY:
    case TILL_PAY_ERROR_NETWORK:
    case TILL_PAY_ERROR_INVALID:
      return TILL_PAY_FAILURE_NOT_SENT;
    case TILL_PAY_ERROR_CORRUPT:
      return TILL_PAY_FAILURE_DAMAGED;
    case TILL_PAY_ERROR_PROVIDER:
      /* A provider's codes that mean "not known yet" are its own to classify. */
      return till_pay_error_get_http_status (error) == 429 ? TILL_PAY_FAILURE_BUSY
                                                           : TILL_PAY_FAILURE_REFUSED;
    case TILL_PAY_ERROR_FAILED:
    case TILL_PAY_ERROR_SIGNATURE:
    case TILL_PAY_ERROR_TIMEOUT:
    case TILL_PAY_ERROR_SERVER:
    case TILL_PAY_ERROR_PROTOCOL:
    case TILL_PAY_ERROR_CONNECTION_LOST:
    default:
      return TILL_PAY_FAILURE_UNKNOWN;
    }
}

gboolean
till_pay_error_is_retryable (const GError *error)
{
  if (error == NULL || error->domain != TILL_PAY_ERROR)
    return FALSE;
  if (till_pay_error_get_failure (error) == TILL_PAY_FAILURE_BUSY)
    return TRUE;
  switch ((TillPayError) error->code)
    {
    case TILL_PAY_ERROR_TIMEOUT:
    case TILL_PAY_ERROR_NETWORK:
    case TILL_PAY_ERROR_SERVER:
    case TILL_PAY_ERROR_CONNECTION_LOST:
    case TILL_PAY_ERROR_SIGNATURE:
    case TILL_PAY_ERROR_PROTOCOL:
    case TILL_PAY_ERROR_CORRUPT:
      return TRUE;
    case TILL_PAY_ERROR_PROVIDER:
    case TILL_PAY_ERROR_FAILED:
    case TILL_PAY_ERROR_NOT_CONFIGURED:
    case TILL_PAY_ERROR_KEY:
    case TILL_PAY_ERROR_INVALID:
    default:
      return FALSE;
    }
}

gboolean
till_pay_error_is_definite (const GError *error)
{
  return error != NULL && till_pay_error_get_failure (error) != TILL_PAY_FAILURE_UNKNOWN;
}

/* The providers' codes a customer may meet at the counter, by what they mean for the
 * customer. WeChat Pay v3 names first, then the v2 names it still sends, then Alipay's
 * sub_codes and trade states (reference §1.2 and alipay.md §5). */
static const struct
{
  const char *code;
  const char *words;
} code_words[] = {
  { "NOT_ENOUGH", N_("The balance is not enough") },
  { "NOTENOUGH", N_("The balance is not enough") },
  { "ACQ.BUYER_BALANCE_NOT_ENOUGH", N_("The balance is not enough") },
  { "AUTH_CODE_INVALID", N_("The payment code has expired: refresh it on the phone") },
  { "AUTHCODEEXPIRE", N_("The payment code has expired: refresh it on the phone") },
  { "ACQ.PAYMENT_AUTH_CODE_INVALID", N_("The payment code has expired: refresh it on the phone") },
  { "AUTH_CODE_ERROR", N_("The payment code could not be read: refresh it on the phone") },
  { "NOTSUPORTCARD", N_("This card cannot be used here") },
  { "BUYER_MISMATCH", N_("The payment belongs to another customer") },
  { "RULE_LIMIT", N_("The payment app declined this payment") },
  { "TRADE_ERROR", N_("The payment app declined this payment") },
  { "ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR", N_("The payment app's daily limit is reached") },
  { "PAYERROR", N_("The payment did not go through") },
  { "REVOKED", N_("The payment was cancelled, nothing was charged") },
  { "CLOSED", N_("The order was closed, nothing was charged") },
  { "ORDERCLOSED", N_("The order was closed, nothing was charged") },
  { "ORDER_CLOSED", N_("The order was closed, nothing was charged") },
  { "USERPAYING", N_("Waiting for the customer to confirm on the phone") },
  { "SYSTEM_ERROR", N_("The payment service is busy") },
  { "SYSTEMERROR", N_("The payment service is busy") },
  { "BANKERROR", N_("The bank is busy") },
  { "FREQUENCY_LIMITED", N_("The payment service is busy") },
  { "PARAM_ERROR", N_("The payment was not accepted") },
  { "INVALID_REQUEST", N_("The payment was not accepted") },
  /* Alipay's sub_codes of a refused payment (alipay.md §5.1) and its trade words */
  { "ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH", N_("The balance is not enough") },
  { "ACQ.ERROR_BALANCE_PAYMENT_DISABLE", N_("The payment app declined this payment") },
  { "ACQ.PAYMENT_REQUEST_HAS_RISK", N_("The payment app declined this payment") },
  { "ACQ.BUYER_ENABLE_STATUS_FORBID", N_("The payment app declined this payment") },
  { "ACQ.PAYMENT_FAIL", N_("The payment did not go through") },
  { "ACQ.NO_PAYMENT_INSTRUMENTS_AVAILABLE",
    N_("No means of payment is available in the customer's payment app") },
  { "ACQ.PULL_MOBILE_CASHIER_FAIL",
    N_("The payment could not be confirmed on the customer's phone") },
  { "ACQ.MOBILE_PAYMENT_SWITCH_OFF",
    N_("Paying by code is switched off in the customer's payment app") },
  { "ACQ.ERROR_BUYER_CERTIFY_LEVEL_LIMIT",
    N_("The customer's account must be verified before it can pay") },
  { "ACQ.NOT_CERTIFIED_USER", N_("The customer's account must be verified before it can pay") },
  { "ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR",
    N_("The payment app's monthly limit is reached") },
  { "ACQ.BUYER_SELLER_EQUAL", N_("The customer cannot pay this shop's own account") },
  { "ACQ.TRADE_HAS_CLOSE", N_("The order was closed, nothing was charged") },
  { "TRADE_CLOSED", N_("The order was closed, nothing was charged") },
  { "ACQ.SYSTEM_ERROR", N_("The payment service is busy") },
  { "WAIT_BUYER_PAY", N_("Waiting for the customer to confirm on the phone") },
};

/**
 * till_pay_error_code_msgid:
 * @provider_code: (nullable): a provider's error code or trade state
 *
 * Returns: (nullable): the English words for @provider_code, untranslated (the msgid that
 *   till_pay_error_describe_code() translates), %NULL for a code the till does not know
 */
const char *
till_pay_error_code_msgid (const char *provider_code)
{
  if (provider_code == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (code_words); i++)
    if (g_str_equal (provider_code, code_words[i].code))
      return code_words[i].words;
  return NULL;
}

const char *
till_pay_error_describe_code (const char *provider_code)
{
  const char *msgid = till_pay_error_code_msgid (provider_code);

  return msgid != NULL ? _(msgid) : NULL;
}

gboolean
till_pay_error_is_code (const char *text)
{
  if (text == NULL || text[0] == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p) && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}
