/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "till-pay"
#include "config.h"

#include "till-pay-error.h"

G_DEFINE_QUARK (till-pay-error-quark, till_pay_error)
