/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The error domain of the payment layer. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TILL_PAY_ERROR (till_pay_error_quark ())

typedef enum
{
  TILL_PAY_ERROR_FAILED,          /* generic failure */
  TILL_PAY_ERROR_NOT_CONFIGURED,  /* electronic payment is not set up */
} TillPayError;

GQuark till_pay_error_quark (void);

G_END_DECLS
