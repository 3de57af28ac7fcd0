/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stored-value and points report's figures and their text and CSV (issue 16). */
#define G_LOG_DOMAIN "till-report"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "till-member-report.h"
#include "till-money.h"
#include "till-report.h"

static void
day_free (gpointer data)
{
  TillMemberReportDay *day = data;

  g_free (day->date);
  g_free (day);
}

TillMemberReport *
till_member_report_new (const char *title_period)
{
  TillMemberReport *report = g_new0 (TillMemberReport, 1);

  report->title_period = g_strdup (title_period);
  report->days = g_ptr_array_new_with_free_func (day_free);
  return report;
}

void
till_member_report_free (TillMemberReport *report)
{
  if (report == NULL)
    return;
  g_free (report->title_period);
  g_ptr_array_unref (report->days);
  g_free (report->total.date);
  g_free (report);
}

void
till_member_report_set_start (TillMemberReport *report, gint64 owed_paid_fen, gint64 owed_bonus_fen,
                              gint64 points)
{
  g_return_if_fail (report != NULL && report->days->len == 0);

  report->owed_paid_start_fen = owed_paid_fen;
  report->owed_bonus_start_fen = owed_bonus_fen;
  report->points_start = points;
  report->total.owed_paid_fen = owed_paid_fen;
  report->total.owed_bonus_fen = owed_bonus_fen;
  report->total.points_held = points;
}

void
till_member_report_add_day (TillMemberReport *report, const TillMemberReportDay *day)
{
  TillMemberReportDay *copy;
  TillMemberReportDay *t;

  g_return_if_fail (report != NULL && day != NULL);

  t = &report->total;
  copy = g_memdup2 (day, sizeof *day);
  copy->date = g_strdup (day->date);
  copy->owed_paid_fen = t->owed_paid_fen + day->topup_paid_fen - day->spend_paid_fen
                        + day->refund_paid_fen + day->adjust_paid_fen;
  copy->owed_bonus_fen = t->owed_bonus_fen + day->topup_bonus_fen - day->spend_bonus_fen
                         + day->refund_bonus_fen + day->adjust_bonus_fen;
  copy->points_held = t->points_held + day->points_earned - day->points_reversed
                      - day->points_redeemed + day->points_adjusted;
  g_ptr_array_add (report->days, copy);

  t->topup_paid_fen += day->topup_paid_fen;
  t->topup_bonus_fen += day->topup_bonus_fen;
  t->spend_paid_fen += day->spend_paid_fen;
  t->spend_bonus_fen += day->spend_bonus_fen;
  t->refund_paid_fen += day->refund_paid_fen;
  t->refund_bonus_fen += day->refund_bonus_fen;
  t->adjust_paid_fen += day->adjust_paid_fen;
  t->adjust_bonus_fen += day->adjust_bonus_fen;
  t->points_earned += day->points_earned;
  t->points_reversed += day->points_reversed;
  t->points_redeemed += day->points_redeemed;
  t->points_adjusted += day->points_adjusted;
  t->owed_paid_fen = copy->owed_paid_fen;
  t->owed_bonus_fen = copy->owed_bonus_fen;
  t->points_held = copy->points_held;
}

gint64
till_member_report_day_taken_in_fen (const TillMemberReportDay *day)
{
  g_return_val_if_fail (day != NULL, 0);
  return day->topup_paid_fen + day->topup_bonus_fen;
}

gint64
till_member_report_day_spent_fen (const TillMemberReportDay *day)
{
  g_return_val_if_fail (day != NULL, 0);
  return day->spend_paid_fen + day->spend_bonus_fen;
}

gboolean
till_member_report_has_moves (const TillMemberReport *report)
{
  g_return_val_if_fail (report != NULL, FALSE);
  return report->has_moves;
}

/* ---------------------------------------------------------------- the day close */

#define Z_LABEL_W 34
#define Z_MONEY_W 14

gboolean
till_member_report_day_has_stored_value (const TillMemberReportDay *d)
{
  g_return_val_if_fail (d != NULL, FALSE);
  return d->topup_paid_fen != 0 || d->topup_bonus_fen != 0 || d->spend_paid_fen != 0
         || d->spend_bonus_fen != 0 || d->refund_paid_fen != 0 || d->refund_bonus_fen != 0
         || d->adjust_paid_fen != 0 || d->adjust_bonus_fen != 0;
}

static void
z_row (GString *out, const char *label, gint64 fen)
{
  g_autofree char *money = till_money_format_plain (fen);

  g_string_append (out, "  ");
  till_text_pad (out, label, Z_LABEL_W, FALSE);
  till_text_pad (out, money, Z_MONEY_W, TRUE);
  g_string_append_c (out, '\n');
}

void
till_member_report_append_z_text (const TillMemberReportDay *d, GString *out)
{
  g_return_if_fail (d != NULL && out != NULL);

  g_string_append_printf (out, "\n%s\n  ", _ ("Stored value (members)"));
  for (guint i = 0; i < Z_LABEL_W + Z_MONEY_W; i++)
    g_string_append_c (out, '-');
  g_string_append_c (out, '\n');
  z_row (out, _ ("Taken in (top-ups + bonus)"), till_member_report_day_taken_in_fen (d));
  {
    g_autofree char *bonus = g_strdup_printf ("  %s", _ ("of which bonus"));

    z_row (out, bonus, d->topup_bonus_fen);
  }
  z_row (out, _ ("Spent (not new money)"), till_member_report_day_spent_fen (d));
  if (d->refund_paid_fen != 0 || d->refund_bonus_fen != 0)
    z_row (out, _ ("Given back by refunds"), d->refund_paid_fen + d->refund_bonus_fen);
  if (d->adjust_paid_fen != 0 || d->adjust_bonus_fen != 0)
    z_row (out, _ ("Adjusted by managers"), d->adjust_paid_fen + d->adjust_bonus_fen);
  g_string_append_printf (out, "  %s\n", _ ("Top-ups were paid in cash or by code above."));
}

/* ---------------------------------------------------------------- text */

#define DATE_W 12
#define KIND_W 8
#define MONEY_W 11
#define POINTS_W 10
#define LINE_W (DATE_W + KIND_W + 5 * MONEY_W)

static void
heading (GString *out, const char *text)
{
  g_string_append_printf (out, "\n%s\n  ", text);
  for (guint i = 0; i < LINE_W; i++)
    g_string_append_c (out, '-');
  g_string_append_c (out, '\n');
}

static void
end_line (GString *out)
{
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  g_string_append_c (out, '\n');
}

static void
money_cell (GString *out, gint64 fen, guint width)
{
  g_autofree char *text = till_money_format_plain (fen);

  till_text_pad (out, text, width, TRUE);
}

static void
int_cell (GString *out, gint64 value, guint width)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  till_text_pad (out, text, width, TRUE);
}

/* A day (or the total) as two lines: paid money, then bonus money. */
static void
money_rows (GString *out, const char *label, const TillMemberReportDay *d)
{
  g_string_append (out, "  ");
  till_text_pad (out, label, DATE_W, FALSE);
  till_text_pad (out, _ ("paid"), KIND_W, FALSE);
  money_cell (out, d->topup_paid_fen, MONEY_W);
  money_cell (out, d->spend_paid_fen, MONEY_W);
  money_cell (out, d->refund_paid_fen, MONEY_W);
  money_cell (out, d->adjust_paid_fen, MONEY_W);
  money_cell (out, d->owed_paid_fen, MONEY_W);
  end_line (out);
  g_string_append (out, "  ");
  till_text_pad (out, "", DATE_W, FALSE);
  till_text_pad (out, _ ("bonus"), KIND_W, FALSE);
  money_cell (out, d->topup_bonus_fen, MONEY_W);
  money_cell (out, d->spend_bonus_fen, MONEY_W);
  money_cell (out, d->refund_bonus_fen, MONEY_W);
  money_cell (out, d->adjust_bonus_fen, MONEY_W);
  money_cell (out, d->owed_bonus_fen, MONEY_W);
  end_line (out);
}

static void
points_row (GString *out, const char *label, const TillMemberReportDay *d)
{
  g_string_append (out, "  ");
  till_text_pad (out, label, DATE_W, FALSE);
  int_cell (out, d->points_earned, POINTS_W);
  int_cell (out, d->points_reversed, POINTS_W);
  int_cell (out, d->points_redeemed, POINTS_W);
  int_cell (out, d->points_adjusted, POINTS_W);
  int_cell (out, d->points_held, POINTS_W);
  end_line (out);
}

void
till_member_report_append_text (const TillMemberReport *r, GString *out)
{
  const TillMemberReportDay *t;

  g_return_if_fail (r != NULL && out != NULL);
  t = &r->total;

  heading (out, _ ("Stored value by day"));
  g_string_append (out, "  ");
  till_text_pad (out, _ ("Date"), DATE_W + KIND_W, FALSE);
  till_text_pad (out, _ ("Top-ups"), MONEY_W, TRUE);
  till_text_pad (out, _ ("Spent"), MONEY_W, TRUE);
  till_text_pad (out, _ ("Refunded"), MONEY_W, TRUE);
  till_text_pad (out, _ ("Adjusted"), MONEY_W, TRUE);
  till_text_pad (out, _ ("Owed"), MONEY_W, TRUE);
  end_line (out);
  for (guint i = 0; i < r->days->len; i++)
    {
      const TillMemberReportDay *d = g_ptr_array_index (r->days, i);

      money_rows (out, d->date, d);
    }
  money_rows (out, _ ("Total"), t);

  heading (out, _ ("Stored value owed to members"));
  {
    g_autofree char *paid = till_money_format_plain (t->owed_paid_fen);
    g_autofree char *bonus = till_money_format_plain (t->owed_bonus_fen);
    g_autofree char *sum = till_money_format_plain (t->owed_paid_fen + t->owed_bonus_fen);

    g_string_append (out, "  ");
    till_text_pad (out, _ ("Paid money (a debt to members)"), DATE_W + KIND_W + 3 * MONEY_W, FALSE);
    till_text_pad (out, paid, MONEY_W, TRUE);
    end_line (out);
    g_string_append (out, "  ");
    till_text_pad (out, _ ("Bonus money (given, not paid)"), DATE_W + KIND_W + 3 * MONEY_W, FALSE);
    till_text_pad (out, bonus, MONEY_W, TRUE);
    end_line (out);
    g_string_append (out, "  ");
    till_text_pad (out, _ ("Total owed at the end of the period"), DATE_W + KIND_W + 3 * MONEY_W,
                   FALSE);
    till_text_pad (out, sum, MONEY_W, TRUE);
    end_line (out);
    g_string_append_printf (out, "  %s\n",
                            _ ("Stored value spent is not new money: it was taken in when the "
                               "member topped up."));
  }

  heading (out, _ ("Points"));
  g_string_append (out, "  ");
  till_text_pad (out, _ ("Date"), DATE_W, FALSE);
  till_text_pad (out, _ ("Earned"), POINTS_W, TRUE);
  till_text_pad (out, _ ("Reversed"), POINTS_W, TRUE);
  till_text_pad (out, _ ("Redeemed"), POINTS_W, TRUE);
  till_text_pad (out, _ ("Adjusted"), POINTS_W, TRUE);
  till_text_pad (out, _ ("Held"), POINTS_W, TRUE);
  end_line (out);
  for (guint i = 0; i < r->days->len; i++)
    {
      const TillMemberReportDay *d = g_ptr_array_index (r->days, i);

      points_row (out, d->date, d);
    }
  points_row (out, _ ("Total"), t);

  heading (out, _ ("Members"));
  g_string_append (out, "  ");
  g_string_append_printf (out, _ ("Topped up: %u   Spent stored value: %u"), t->n_topup_members,
                          t->n_spend_members);
  g_string_append_c (out, '\n');
}

char *
till_member_report_to_text (const TillMemberReport *r)
{
  GString *out;

  g_return_val_if_fail (r != NULL, NULL);
  out = g_string_new (NULL);
  g_string_append_printf (out, "%s  %s\n", _ ("Stored value and points"),
                          r->title_period != NULL ? r->title_period : "");
  till_member_report_append_text (r, out);
  return g_string_free (out, FALSE);
}

/* ---------------------------------------------------------------- CSV */

enum
{
  COL_SECTION,
  COL_DATE,
  COL_TOPUP_PAID,
  COL_TOPUP_BONUS,
  COL_SPEND_PAID,
  COL_SPEND_BONUS,
  COL_REFUND_PAID,
  COL_REFUND_BONUS,
  COL_ADJUST_PAID,
  COL_ADJUST_BONUS,
  COL_OWED_PAID,
  COL_OWED_BONUS,
  COL_EARNED,
  COL_REVERSED,
  COL_REDEEMED,
  COL_P_ADJUSTED,
  COL_HELD,
  COL_N_TOPUP,
  COL_N_SPEND,
  N_COLS
};

static void
csv_row (GString *out, const char **fields)
{
  for (guint c = 0; c < N_COLS; c++)
    {
      g_string_append_c (out, '"');
      for (const char *p = fields[c] ? fields[c] : ""; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
      g_string_append (out, c + 1 < N_COLS ? "," : "\r\n");
    }
}

static void
csv_day (GString *out, const char *section, const char *date, const TillMemberReportDay *d)
{
  char *f[N_COLS] = { NULL };

  f[COL_SECTION] = g_strdup (section);
  f[COL_DATE] = g_strdup (date);
  f[COL_TOPUP_PAID] = till_money_format_plain (d->topup_paid_fen);
  f[COL_TOPUP_BONUS] = till_money_format_plain (d->topup_bonus_fen);
  f[COL_SPEND_PAID] = till_money_format_plain (d->spend_paid_fen);
  f[COL_SPEND_BONUS] = till_money_format_plain (d->spend_bonus_fen);
  f[COL_REFUND_PAID] = till_money_format_plain (d->refund_paid_fen);
  f[COL_REFUND_BONUS] = till_money_format_plain (d->refund_bonus_fen);
  f[COL_ADJUST_PAID] = till_money_format_plain (d->adjust_paid_fen);
  f[COL_ADJUST_BONUS] = till_money_format_plain (d->adjust_bonus_fen);
  f[COL_OWED_PAID] = till_money_format_plain (d->owed_paid_fen);
  f[COL_OWED_BONUS] = till_money_format_plain (d->owed_bonus_fen);
  f[COL_EARNED] = g_strdup_printf ("%" G_GINT64_FORMAT, d->points_earned);
  f[COL_REVERSED] = g_strdup_printf ("%" G_GINT64_FORMAT, d->points_reversed);
  f[COL_REDEEMED] = g_strdup_printf ("%" G_GINT64_FORMAT, d->points_redeemed);
  f[COL_P_ADJUSTED] = g_strdup_printf ("%" G_GINT64_FORMAT, d->points_adjusted);
  f[COL_HELD] = g_strdup_printf ("%" G_GINT64_FORMAT, d->points_held);
  f[COL_N_TOPUP] = g_strdup_printf ("%u", d->n_topup_members);
  f[COL_N_SPEND] = g_strdup_printf ("%u", d->n_spend_members);
  csv_row (out, (const char **)f);
  for (guint c = 0; c < N_COLS; c++)
    g_free (f[c]);
}

void
till_member_report_append_csv (const TillMemberReport *r, GString *out)
{
  g_return_if_fail (r != NULL && out != NULL);

  if (out->len > 0)
    g_string_append (out, "\r\n");
  {
    const char *f[N_COLS] = {
      _ ("Section"),
      _ ("Date"),
      _ ("Top-up paid (yuan)"),
      _ ("Top-up bonus (yuan)"),
      _ ("Spent paid (yuan)"),
      _ ("Spent bonus (yuan)"),
      _ ("Refunded paid (yuan)"),
      _ ("Refunded bonus (yuan)"),
      _ ("Adjusted paid (yuan)"),
      _ ("Adjusted bonus (yuan)"),
      _ ("Owed paid (yuan)"),
      _ ("Owed bonus (yuan)"),
      _ ("Points earned"),
      _ ("Points reversed"),
      _ ("Points redeemed"),
      _ ("Points adjusted"),
      _ ("Points held"),
      _ ("Members topped up"),
      _ ("Members spent"),
    };

    csv_row (out, f);
  }
  for (guint i = 0; i < r->days->len; i++)
    {
      const TillMemberReportDay *d = g_ptr_array_index (r->days, i);

      csv_day (out, _ ("Stored value by day"), d->date, d);
    }
  csv_day (out, _ ("Stored value total"), r->title_period, &r->total);
  {
    TillMemberReportDay start = { 0 };

    start.owed_paid_fen = r->owed_paid_start_fen;
    start.owed_bonus_fen = r->owed_bonus_start_fen;
    start.points_held = r->points_start;
    csv_day (out, _ ("Stored value at the start"), r->title_period, &start);
  }
}

char *
till_member_report_to_csv (const TillMemberReport *r, gsize *out_length)
{
  GString *out;

  g_return_val_if_fail (r != NULL, NULL);
  out = g_string_new (NULL);
  till_member_report_append_csv (r, out);
  g_string_prepend (out, "\xEF\xBB\xBF");
  if (out_length != NULL)
    *out_length = out->len;
  return g_string_free (out, FALSE);
}
