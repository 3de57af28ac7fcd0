/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Lists of closed sales for the managers' windows (functions on TillStore): the paid,
 * refunded and voided sales of a period, one sale's summary, and the newest paid sale of
 * a till (reprinting the last receipt). By index on sale(state, closed_at). */
#pragma once

#include "till-store.h"

G_BEGIN_DECLS

/* One closed sale (boxed). */
typedef struct
{
  gint64  id;
  char   *number;
  char   *state;        /* "paid", "refunded", "voided" */
  gint64  closed_at;    /* unix µs */
  gint64  total_fen;
  char   *cashier;      /* "" when none was recorded */
  char   *till_id;
  char   *methods;      /* the paid payments' methods, comma-separated ("cash,wechat_code") */
} TillSaleSummary;

#define TILL_TYPE_SALE_SUMMARY (till_sale_summary_get_type ())
GType            till_sale_summary_get_type (void) G_GNUC_CONST;
TillSaleSummary *till_sale_summary_copy     (const TillSaleSummary *summary);
void             till_sale_summary_free     (TillSaleSummary       *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillSaleSummary, till_sale_summary_free)

/* Sales closed in [from_us, to_us) whose state is paid or refunded (and voided too when
 * `include_voided`), newest first, at most `limit` (0 = no limit). TillSaleSummary*. */
GPtrArray       *till_store_list_closed_sales  (TillStore  *self,
                                                gint64      from_us,
                                                gint64      to_us,
                                                gboolean    include_voided,
                                                guint       limit,
                                                GError    **error);
/* NULL + TILL_STORE_ERROR_NOT_FOUND when there is no such sale. */
TillSaleSummary *till_store_get_sale_summary   (TillStore  *self,
                                                const char *number,
                                                GError    **error);
/* The newest paid (or since refunded) sale of `till_id`, or NULL + NOT_FOUND. */
TillSaleSummary *till_store_last_paid_sale     (TillStore  *self,
                                                const char *till_id,
                                                GError    **error);

/* The cash handed over for the sale's paid cash payments (their recorded tendered amount,
 * or the amount when none was recorded); 0 when the sale had no cash payment. */
gboolean         till_store_sale_cash_tendered (TillStore  *self,
                                                gint64      sale_id,
                                                gint64     *out_tendered_fen,
                                                GError    **error);

G_END_DECLS
