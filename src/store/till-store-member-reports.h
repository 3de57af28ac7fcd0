/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stored-value and points report (issue 16) from the ledgers alone (stored_value_move,
 * points_move), never a stored total: per local day, aggregates over the day's rows found
 * by the `at` indexes; what is owed at the period's start is the sum of every move before
 * it, and each day's end adds that day's moves. */
#pragma once

#include "till-member-report.h"
#include "till-store.h"

G_BEGIN_DECLS

/* Days [from_date, to_date) — local "YYYY-MM-DD", to_date excluded, as
 * till_store_report_range(); every day of it has a row, a day without moves zeros.
 * TILL_CORE_ERROR_INVALID_ARGUMENT for a malformed date, TILL_STORE_ERROR_INVALID_STATE
 * for a period that ends before it starts or is longer than 366 days. */
TillMemberReport *
till_store_member_report (TillStore *self, const char *from_date, const char *to_date,
                          GError **error);
/* The report of one local day. */
TillMemberReport *
till_store_member_report_day (TillStore *self, const char *date, GError **error);

G_END_DECLS
