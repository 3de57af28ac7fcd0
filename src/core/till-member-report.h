/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stored-value (储值) and points report (issue 16): per local day, top-ups (paid money
 * and bonus), spends, refunds back to stored value and managers' adjustments, what the shop
 * owes its members at each day's end (paid and bonus apart), points earned, reversed,
 * redeemed and adjusted, and how many members topped up or spent; as text and CSV. Filled
 * by the store from the two ledgers alone (till_store_member_report()). Money in fen. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One day's figures (or, as the report's `total`, the period's). Amounts taken out of
 * stored value (spends) and points taken (reversed, redeemed) are positive; adjustments
 * are signed. */
typedef struct
{
  char *date;             /* local "YYYY-MM-DD"; NULL for the total */
  gint64 topup_paid_fen;  /* money paid for top-ups (the sale took it in cash or a code) */
  gint64 topup_bonus_fen; /* bonus given with them */
  gint64 spend_paid_fen;  /* paid money spent (not new money: it was taken in at top-up) */
  gint64 spend_bonus_fen; /* bonus money spent */
  gint64 refund_paid_fen; /* given back to stored value by refunds of spends */
  gint64 refund_bonus_fen;
  gint64 adjust_paid_fen; /* managers' adjustments, signed */
  gint64 adjust_bonus_fen;
  gint64 owed_paid_fen; /* owed to members at the day's (the period's) end */
  gint64 owed_bonus_fen;
  gint64 points_earned;
  gint64 points_reversed; /* taken back by refunds */
  gint64 points_redeemed;
  gint64 points_adjusted; /* signed */
  gint64 points_held;     /* by all members at the day's (the period's) end */
  guint n_topup_members;  /* members who topped up (distinct) */
  guint n_spend_members;  /* members who spent (distinct) */
} TillMemberReportDay;

typedef struct
{
  char *title_period;         /* "2026-11-21" or "2026-11-01 – 2026-11-30" */
  GPtrArray *days;            /* TillMemberReportDay*, every day of the period in order */
  TillMemberReportDay total;  /* sums; owed = at the period's end; members distinct */
  gint64 owed_paid_start_fen; /* owed at the period's start */
  gint64 owed_bonus_start_fen;
  gint64 points_start; /* points the members held at the period's start */
  gboolean has_moves;  /* a stored-value or points move up to the period's end */
} TillMemberReport;

TillMemberReport *
till_member_report_new (const char *title_period);
void
till_member_report_free (TillMemberReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillMemberReport, till_member_report_free)

/* Sets where the period starts: what was owed and the points held before its first day. */
void
till_member_report_set_start (TillMemberReport *report, gint64 owed_paid_fen, gint64 owed_bonus_fen,
                              gint64 points);
/* Appends the next day: `day`'s figures are copied (its date too) and added to the total;
 * the day's owed_* and the total's are computed here (the previous day's end plus the
 * day's moves), as is the points balance at the end. Its member counts are the day's; the
 * period's distinct counts are the store's to set in `total`. */
void
till_member_report_add_day (TillMemberReport *report, const TillMemberReportDay *day);

/* Stored value taken in (top-ups: paid + bonus) and spent (paid + bonus; refunds back to
 * it are apart). */
gint64
till_member_report_day_taken_in_fen (const TillMemberReportDay *day);
gint64
till_member_report_day_spent_fen (const TillMemberReportDay *day);

/* Whether there is anything to say: a till without members has no such section. */
gboolean
till_member_report_has_moves (const TillMemberReport *report);

/* Whether a day has a stored-value move (taken in, spent, given back or adjusted). */
gboolean
till_member_report_day_has_stored_value (const TillMemberReportDay *day);
/* The day close's lines (a section of the Z report, 48 columns like it): stored value taken
 * in (top-ups paid + bonus) and its bonus, stored value spent (said to be no new money),
 * and, when there are any, refunds back to it and managers' adjustments. */
void
till_member_report_append_z_text (const TillMemberReportDay *day, GString *out);

/* As text: the sections with a heading each (like the stock report's). */
char *
till_member_report_to_text (const TillMemberReport *report);
void
till_member_report_append_text (const TillMemberReport *report, GString *out);
/* As CSV: UTF-8 with a BOM, a header row and one row per day, then the total and the
 * start; _append_csv adds the header and rows (no BOM) after an empty line when `out` is
 * not empty. Columns: section, date, top-up paid, top-up bonus, spent paid, spent bonus,
 * refunded paid, refunded bonus, adjusted paid, adjusted bonus, owed paid, owed bonus
 * (yuan), points earned, reversed, redeemed, adjusted, points held, members topped up,
 * members spent. */
char *
till_member_report_to_csv (const TillMemberReport *report, gsize *out_length);
void
till_member_report_append_csv (const TillMemberReport *report, GString *out);

G_END_DECLS
