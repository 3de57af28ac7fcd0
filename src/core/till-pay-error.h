/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The error domain of the payment layer. Messages are for the cashier; TILL_PAY_ERROR is
 * an extended GError domain: each error also carries the provider's own code (e.g.
 * "NOT_ENOUGH"), the HTTP status, and whether the outcome is definite or unknown. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TILL_PAY_ERROR (till_pay_error_quark ())

typedef enum
{
  TILL_PAY_ERROR_FAILED,          /* generic failure */
  TILL_PAY_ERROR_NOT_CONFIGURED,  /* electronic payment is not set up */
  TILL_PAY_ERROR_KEY,             /* key file missing, unreadable, bad, or too open */
  TILL_PAY_ERROR_SIGNATURE,       /* an answer's signature/headers/timestamp failed */
  TILL_PAY_ERROR_TIMEOUT,         /* no answer in time: outcome unknown */
  TILL_PAY_ERROR_NETWORK,         /* could not connect: the request did not leave */
  TILL_PAY_ERROR_SERVER,          /* 5xx: outcome unknown */
  TILL_PAY_ERROR_PROVIDER,        /* 4xx with the provider's code: a definite answer */
  TILL_PAY_ERROR_PROTOCOL,        /* malformed answer: outcome unknown */
  TILL_PAY_ERROR_CONNECTION_LOST, /* connection dropped after sending: outcome unknown */
  TILL_PAY_ERROR_CORRUPT,         /* a downloaded file failed its checksum */
  TILL_PAY_ERROR_INVALID,         /* the call's own parameters are invalid (not sent) */
} TillPayError;

GQuark      till_pay_error_quark (void);

/* Extended data (NULL / 0 / FALSE when the error is not TILL_PAY_ERROR or has none). */
const char *till_pay_error_get_provider_code    (const GError *error); /* "NOT_ENOUGH" */
const char *till_pay_error_get_provider_message (const GError *error); /* provider's text */
guint       till_pay_error_get_http_status      (const GError *error);
/* What a failed call means for the flow, whatever the provider. A TillPayProvider sets it
 * on every error it passes on (its one mapping of the provider's answers, e.g.
 * till-wxpay-provider-map.c); an error no provider classified gets the generic class of its
 * code (till_pay_error_get_failure()). */
typedef enum
{
  TILL_PAY_FAILURE_UNKNOWN,    /* the outcome is unknown (timeout, dropped connection, 5xx,
                                  bad signature, malformed answer, the provider's "not known
                                  yet", cancelled): ask (query) before anything else */
  TILL_PAY_FAILURE_NOT_SENT,   /* definite: the request never reached the provider (no
                                  network, not configured, invalid call) */
  TILL_PAY_FAILURE_REFUSED,    /* definite: the provider's verified refusal; nothing done */
  TILL_PAY_FAILURE_NOT_FOUND,  /* definite: the provider has no such order or refund */
  TILL_PAY_FAILURE_BUSY,       /* definite, reached: rate limited; the same call later may
                                  succeed (never a reason to give a job up) */
  TILL_PAY_FAILURE_NOT_READY,  /* definite, reached: the day's bill is not made yet */
  TILL_PAY_FAILURE_DAMAGED,    /* a downloaded file (a bill) was damaged: fetch it again;
                                  nothing about a payment is in doubt */
} TillPayFailure;

const char     *till_pay_failure_to_string      (TillPayFailure failure);
/* The class a provider set, else the generic one: NETWORK, NOT_CONFIGURED, KEY, INVALID →
 * NOT_SENT; PROVIDER → REFUSED (BUSY with HTTP 429); CORRUPT → DAMAGED; anything else,
 * other domains (G_IO_ERROR_CANCELLED) and NULL → UNKNOWN. */
TillPayFailure  till_pay_error_get_failure      (const GError  *error);
/* For a provider: classify a TILL_PAY_ERROR (kept by g_error_copy()). */
void            till_pay_error_set_failure      (GError        *error,
                                                 TillPayFailure failure);

/* Trying the same call again (same parameters) later may succeed: 5xx, 429 (BUSY),
 * timeouts, network errors. */
gboolean    till_pay_error_is_retryable         (const GError *error);
/* The outcome is known: the provider answered with a verified definite error, or the
 * request never left: every class but TILL_PAY_FAILURE_UNKNOWN. FALSE for timeouts,
 * dropped connections, 5xx, bad signatures, malformed answers and cancellations: then the
 * payment must be queried. */
gboolean    till_pay_error_is_definite          (const GError *error);

/* Words for the customer and the cashier for a provider's code ("NOT_ENOUGH" → "The balance
 * is not enough — pay another way"), translated; NULL for a code it does not know. The code
 * itself is for the log and the managers, never for the customer. */
const char *till_pay_error_describe_code        (const char   *provider_code);
const char *till_pay_error_code_msgid           (const char   *provider_code);
/* TRUE when `text` looks like a provider's code (upper-case letters, digits, '_'). */
gboolean    till_pay_error_is_code              (const char   *text);

/* For the pay layer: attach the extended data to a TILL_PAY_ERROR. */
void        till_pay_error_set_details          (GError     *error,
                                                 const char *provider_code,
                                                 const char *provider_message,
                                                 guint       http_status);

/* The clocks differ: an answer whose signature is good but whose timestamp is outside the
 * 300 s window (TILL_WXPAY_MAX_SKEW_S) is a TILL_PAY_ERROR_SIGNATURE (outcome unknown, as
 * for every failed verification) that also carries the offset seen, in seconds:
 * the provider's clock minus the till's (+600 = WeChat Pay's clock is 10 minutes ahead).
 * Its message tells the cashier to check the till's date and time. */
gboolean    till_pay_error_is_clock_skew        (const GError *error);
/* The offset (provider − till, seconds), 0 when the error is not a clock error. */
gint64      till_pay_error_get_clock_skew_s     (const GError *error);
void        till_pay_error_set_clock_skew_s     (GError       *error,
                                                 gint64        skew_s);

G_END_DECLS
