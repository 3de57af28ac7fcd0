/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The error quark of the core layer. */
#define G_LOG_DOMAIN "till-core"
#include "config.h"

#include "till-core-error.h"

G_DEFINE_QUARK (till-core-error-quark, till_core_error)
