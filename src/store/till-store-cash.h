/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cash drawer and the day close (functions on TillStore): opening float, cash in and
 * out with a reason (each also an audit row), expected cash, and the close (Z report):
 * the count by denomination, counted, expected and difference and the report JSON in
 * day_close. A closed day cannot change: these functions refuse it, and triggers in the
 * schema refuse a sale paid or voided, a refund or a cash movement dated on it, whoever
 * writes (TILL_STORE_ERROR_DAY_CLOSED). Days are local calendar days "YYYY-MM-DD". */
#pragma once

#include "till-store.h"
#include "till-report.h"

G_BEGIN_DECLS

typedef enum
{
  TILL_CASH_FLOAT,   /* the opening float, once a day */
  TILL_CASH_IN,
  TILL_CASH_OUT,
} TillCashKind;

/* Whether the local day `date` is closed. FALSE + error when it cannot be read. */
gboolean  till_store_day_is_closed   (TillStore    *self,
                                      const char   *date,
                                      gboolean     *out_closed,
                                      GError      **error);
/* The same for the local day of a time (unix µs): for code that is about to write
 * something dated now_us. Sets TILL_STORE_ERROR_DAY_CLOSED ("The day … is closed") and
 * returns FALSE when it is closed. */
/* The same, with the words for the cashier at the counter (when the next day opens). */
gboolean  till_store_check_day_open_for_sales (TillStore *self,
                                               gint64     at_us,
                                               GError   **error);
gboolean  till_store_check_day_open  (TillStore    *self,
                                      gint64        at_us,
                                      GError      **error);

/* Records a float, cash in or cash out now (the store's clock) on today's local day.
 * amount > 0 (a float may be 0); a reason is required for in/out. One float per day
 * (INVALID_STATE on a second). Writes audit "cash_float" / "cash_in" / "cash_out".
 * The _rounded variant refuses (INVALID_STATE) an amount that is not a multiple of the
 * cash rule's unit: the drawer holds no smaller coin. The plain one is to the fen. */
gboolean  till_store_cash_record_rounded (TillStore         *self,
                                          TillCashKind       kind,
                                          gint64             amount_fen,
                                          const char        *reason,
                                          const char        *actor,
                                          TillCashRounding   rounding,
                                          GError           **error);
gboolean  till_store_cash_record     (TillStore    *self,
                                      TillCashKind  kind,
                                      gint64        amount_fen,
                                      const char   *reason,
                                      const char   *actor,
                                      GError      **error);

/* The day's cash: float + cash sales (cash payments paid, of sales closed that day)
 * − cash refunds (successful, of cash payments, that day) − returns without a receipt
 * (till-store-returns.h) + their cash rounding (the payments' minus the refunds' and the
 * returns') + in − out: the cash received minus the cash handed back.
 * expected_count_fen is expected_fen (see till_cash_summary_set_rounding()). */
gboolean  till_store_cash_summary    (TillStore       *self,
                                      const char      *date,
                                      TillCashSummary *out,
                                      GError         **error);

/* A stored close. */
typedef struct
{
  char   *date;
  gint64  closed_at;
  char   *closed_by;
  gint64  counted_fen;
  gint64  expected_fen;
  gint64  difference_fen;   /* counted - expected */
  char   *report_json;      /* {"report":{..},"cash":{..},"counts":[..],"z_text":".."} */
  char   *z_text;           /* the Z report as printed at the close (reprints use it) */
} TillDayClose;

void till_day_close_free (TillDayClose *close);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillDayClose, till_day_close_free)

/* Closes `date` with the count (`counts[i]` pieces of till_denominations_fen[i]):
 * refused when it is closed already (DAY_CLOSED), is in the future, or has an electronic
 * payment still unresolved (INVALID_STATE). Writes day_close and audit "day_close" in one
 * transaction; returns the close (its z_text is the Z report to print).
 * The count compares in the cash rule's unit: the difference is counted minus the expected
 * cash rounded by `rounding` (the same unless cash was taken to the fen that day); the
 * day_close row keeps the exact expected cash and that difference. The plain variant
 * compares to the fen. */
TillDayClose *till_store_day_close_rounded (TillStore         *self,
                                            const char        *date,
                                            const guint        counts[TILL_N_DENOMINATIONS],
                                            TillCashRounding   rounding,
                                            const char        *closed_by,
                                            GError           **error);
TillDayClose *till_store_day_close   (TillStore    *self,
                                      const char   *date,
                                      const guint   counts[TILL_N_DENOMINATIONS],
                                      const char   *closed_by,
                                      GError      **error);
/* The stored close (for a reprint), or NULL + NOT_FOUND. */
TillDayClose *till_store_day_close_load (TillStore  *self,
                                         const char *date,
                                         GError    **error);

G_END_DECLS
