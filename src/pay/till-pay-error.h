/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The error domain of the payment layer. Messages are for the cashier; the provider's
 * own code (e.g. "NOT_ENOUGH") is kept by the client alongside (see till-wxpay-client.h). */
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
  TILL_PAY_ERROR_NETWORK,         /* could not connect / connection dropped */
  TILL_PAY_ERROR_SERVER,          /* 5xx: outcome unknown */
  TILL_PAY_ERROR_PROVIDER,        /* 4xx with the provider's code: a definite answer */
  TILL_PAY_ERROR_PROTOCOL,        /* malformed answer */
} TillPayError;

GQuark till_pay_error_quark (void);

G_END_DECLS
