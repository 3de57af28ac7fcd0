/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Returns without a receipt (functions on TillStore): goods brought back with no sale to
 * link them to, approved by a manager and paid back in cash. Each is one transaction: the
 * goods_return row with its lines, reason, cashier and approving manager, the cash it hands
 * back (the amount rounded by the till's cash rule: amount + rounding_fen) and an audit
 * row. The day close counts that cash out of the drawer (till_store_cash_summary()), the
 * reports count the returns by cashier. A refund of a sale is another thing
 * (till-store-refunds.h): linked to a sale's payment and, for codes, to the provider. */
#pragma once

#include "till-store.h"
#include "till-return.h"
#include "till-report.h"

G_BEGIN_DECLS

/* Records `draft` (lines with product ids, reason, cashier, manager, till id) now (the
 * store's clock): every line's list price is the product's current price, read here, and
 * the price given back may not be above it; the cash handed back is the amount rounded by
 * `rounding`. Refused (TILL_STORE_ERROR_DAY_CLOSED) on a closed day as a sale is, and
 * (TILL_STORE_ERROR_INVALID_STATE) while a payment of an open sale has an open outcome, or
 * without a reason, a manager or goods. Returns the stored return (id, number, at,
 * rounding, list prices), or NULL + error; nothing is written then. */
TillReturn *till_store_return_record (TillStore         *self,
                                      const TillReturn  *draft,
                                      TillCashRounding   rounding,
                                      GError           **error);
/* A stored return by number ("R20261121-0001"), or NULL + TILL_STORE_ERROR_NOT_FOUND. */
TillReturn *till_store_return_load   (TillStore         *self,
                                      const char        *number,
                                      GError           **error);

/* For the day close (store lock held): the amounts and the rounding of the returns of the
 * local day `date`. */
gboolean    till_store_returns_cash_locked   (TillStore   *self,
                                              const char  *date,
                                              gint64      *out_amount_fen,
                                              gint64      *out_rounding_fen,
                                              GError     **error);
/* For the reports (store lock held): the returns made in [report->from_us, to_us): their
 * count, amount and rounding, by cashier. */
gboolean    till_store_report_returns_locked (TillStore   *self,
                                              TillReport  *report,
                                              GError     **error);

G_END_DECLS
