/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The error domain of the core layer. Messages are for people (translated). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TILL_CORE_ERROR (till_core_error_quark ())

typedef enum
{
  TILL_CORE_ERROR_INVALID_MONEY,    /* not a money amount: "abc", "1e3", "12.505" */
  TILL_CORE_ERROR_MONEY_OVERFLOW,   /* does not fit in gint64 fen */
  TILL_CORE_ERROR_INVALID_QUANTITY,
  TILL_CORE_ERROR_INVALID_ARGUMENT,
  TILL_CORE_ERROR_INVALID_BILL,     /* a provider's trade bill that cannot be read or
                                       whose summary does not match its rows */
} TillCoreError;

GQuark till_core_error_quark (void);

G_END_DECLS
