/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shifts and their handover (交班; functions on TillStore, schema 20): a shift is one
 * cashier's time at this till, from the sign-in that opened it to the handover that closed
 * it, with the float handed over at its start and the counted drawer at its end. A shift
 * owns what happened in its time window [opened_at, closed_at): sales by the time they
 * were paid (sale.closed_at), refunds by the time they were made, returns without a
 * receipt and cash in/out by their time. At most one shift is open (a unique index);
 * it is a row, so it is still open after a crash or a restart, and a sale paid then lands
 * in it. The handover is refused while a payment's outcome is open, so nothing is paid
 * between two shifts. Money is fen. */
#pragma once

#include "till-store.h"
#include "till-report.h"

G_BEGIN_DECLS

/* What a shift took: figures of its window. */
typedef struct
{
  gint64 from_us;
  gint64 to_us; /* exclusive */
  guint n_sales;
  gint64 gross_fen;                         /* paid sales of goods */
  gint64 method_fen[TILL_REPORT_N_METHODS]; /* their paid payments by method */
  gint64 refunds_fen;                       /* successful refunds made */
  gint64 method_refund_fen[TILL_REPORT_N_METHODS];
  guint n_refunds;
  gint64 returns_fen;   /* returns without a receipt */
  gint64 discounts_fen; /* discounts and 抹零 */
  gint64 topups_fen;    /* stored-value top-ups sold */
  gint64 topup_method_fen[TILL_REPORT_N_METHODS];
  TillCashSummary cash; /* float_fen is the shift's float; expected_fen = float + cash
                           sales − cash refunds − returns + rounding + in − out */
} TillShiftSummary;

typedef struct
{
  gint64 id;
  char *day; /* local day it opened, "YYYY-MM-DD" */
  char *till_id;
  gint64 person_id; /* 0 when none */
  char *cashier;
  gint64 opened_at;    /* unix µs */
  gint64 float_fen;    /* handed over at the start */
  gint64 closed_at;    /* 0 while open */
  gint64 counted_fen;  /* closed shifts: the counted drawer */
  gint64 expected_fen; /* closed shifts: as frozen at the close */
  char *closed_by;     /* NULL while open */
  char *summary_json;  /* closed shifts: the summary frozen at the close */
} TillShiftRecord;

void
till_shift_record_free (TillShiftRecord *shift);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillShiftRecord, till_shift_record_free)

/* over/short: counted − expected (negative: short). */
#define TILL_SHIFT_OVER_SHORT(shift) ((shift)->counted_fen - (shift)->expected_fen)

/* Opens a shift now for `cashier` with `float_fen` (≥ 0) in the drawer. Refused
 * (INVALID_STATE) while another shift is open, DAY_CLOSED on a closed day. The first
 * shift of a day without an opening float records the float as the day's
 * (cash_movement 'float'), so the day close counts from it. Audit "shift_open". */
TillShiftRecord *
till_store_shift_open (TillStore *self, const char *till_id, gint64 person_id, const char *cashier,
                       gint64 float_fen, GError **error);
/* The open shift, or NULL without an error when none is open. */
TillShiftRecord *
till_store_shift_get_open (TillStore *self, GError **error);
/* One shift by id (NOT_FOUND). */
TillShiftRecord *
till_store_shift_load (TillStore *self, gint64 id, GError **error);
/* The shifts opened on `date` or open across it, by opening time (TillShiftRecord*). */
GPtrArray *
till_store_shifts_of_day (TillStore *self, const char *date, GError **error);
/* The figures of a shift's window (to now while it is open) clipped to
 * [from_us, to_us) (0, G_MAXINT64 for all of it); the float counts only when the clip
 * holds the shift's start. */
gboolean
till_store_shift_summary (TillStore *self, const TillShiftRecord *shift, gint64 from_us,
                          gint64 to_us, TillShiftSummary *out, GError **error);
/* Closes the open shift `shift_id` with the counted drawer: refused when it is not open
 * (INVALID_STATE) or while a payment's outcome is open. Freezes the summary (JSON) and
 * the expected cash; audit "shift_close". Returns the closed record. */
TillShiftRecord *
till_store_shift_close (TillStore *self, gint64 shift_id, gint64 counted_fen, const char *closed_by,
                        GError **error);

/* The summary as JSON (stored with a closed shift). */
char *
till_shift_summary_to_json (const TillShiftSummary *summary);
/* The handover report to print (receipt width). */
char *
till_shift_report_text (const TillShiftRecord *shift, const TillShiftSummary *summary,
                        gint64 counted_fen);

/* The day close's section on its shifts (the Z report): one line per shift of `shifts`
 * (TillShiftRecord*, as till_store_shifts_of_day() gives them) with its cashier, time and
 * over/short; nothing when there are none. */
void
till_shift_append_z_text (GString *z, const GPtrArray *shifts);

G_END_DECLS
