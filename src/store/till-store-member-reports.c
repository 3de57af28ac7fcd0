/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stored-value and points report from the two ledgers (issue 16). */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <stdlib.h>
#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "till-core-error.h"
#include "till-report.h"
#include "till-store-member-reports.h"
#include "till-store-private.h"

#define MAX_DAYS 366

/* "YYYY-MM-DD" (checked by till_report_parse_day()) as a GDate. */
static void
date_from_text (const char *text, GDate *out)
{
  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay)atoi (text + 8), (GDateMonth)atoi (text + 5),
                  (GDateYear)atoi (text));
}

static char *
date_to_text (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

/* What the ledgers hold before `before_us`: paid and bonus money, points; and whether any
 * move of either ledger is older than `end_us`. */
static gboolean
load_start (TillStore *self, gint64 before_us, gint64 end_us, TillMemberReport *report,
            GError **error)
{
  g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
      self,
      "SELECT (SELECT COALESCE (SUM (paid_fen), 0) FROM stored_value_move WHERE at < ?1),"
      "       (SELECT COALESCE (SUM (bonus_fen), 0) FROM stored_value_move WHERE at < ?1),"
      "       (SELECT COALESCE (SUM (points), 0) FROM points_move WHERE at < ?1),"
      "       EXISTS (SELECT 1 FROM stored_value_move WHERE at < ?2)"
      "       OR EXISTS (SELECT 1 FROM points_move WHERE at < ?2)",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, before_us);
  sqlite3_bind_int64 (stmt, 2, end_us);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  till_member_report_set_start (report, sqlite3_column_int64 (stmt, 0),
                                sqlite3_column_int64 (stmt, 1), sqlite3_column_int64 (stmt, 2));
  report->has_moves = sqlite3_column_int (stmt, 3) != 0;
  return TRUE;
}

/* One day's moves of both ledgers, [from_us, to_us), by kind. */
static gboolean
load_day (TillStore *self, gint64 from_us, gint64 to_us, TillMemberReportDay *day, GError **error)
{
  int rc;

  {
    g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
        self,
        "SELECT kind, SUM (paid_fen), SUM (bonus_fen), COUNT (DISTINCT member_id)"
        "  FROM stored_value_move WHERE at >= ?1 AND at < ?2 GROUP BY kind",
        error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, from_us);
    sqlite3_bind_int64 (stmt, 2, to_us);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        const char *kind = (const char *)sqlite3_column_text (stmt, 0);
        gint64 paid = sqlite3_column_int64 (stmt, 1);
        gint64 bonus = sqlite3_column_int64 (stmt, 2);
        guint n = (guint)sqlite3_column_int64 (stmt, 3);

        if (g_strcmp0 (kind, "topup") == 0)
          {
            day->topup_paid_fen += paid;
            day->n_topup_members = n;
          }
        else if (g_strcmp0 (kind, "bonus") == 0)
          day->topup_bonus_fen += bonus;
        else if (g_strcmp0 (kind, "spend") == 0)
          {
            day->spend_paid_fen -= paid;
            day->spend_bonus_fen -= bonus;
            day->n_spend_members = n;
          }
        else if (g_strcmp0 (kind, "refund") == 0)
          {
            day->refund_paid_fen += paid;
            day->refund_bonus_fen += bonus;
          }
        else
          {
            day->adjust_paid_fen += paid;
            day->adjust_bonus_fen += bonus;
          }
      }
    if (rc != SQLITE_DONE)
      return FALSE;
  }
  {
    g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
        self, "SELECT kind, SUM (points) FROM points_move WHERE at >= ?1 AND at < ?2 GROUP BY kind",
        error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, from_us);
    sqlite3_bind_int64 (stmt, 2, to_us);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        const char *kind = (const char *)sqlite3_column_text (stmt, 0);
        gint64 points = sqlite3_column_int64 (stmt, 1);

        if (g_strcmp0 (kind, "earn") == 0)
          day->points_earned += points;
        else if (g_strcmp0 (kind, "reverse") == 0)
          day->points_reversed -= points;
        else if (g_strcmp0 (kind, "redeem") == 0 || g_strcmp0 (kind, "release") == 0
                 || g_strcmp0 (kind, "return") == 0)
          /* redeemed, less what voids, lowered redemptions and refunds gave back */
          day->points_redeemed -= points;
        else
          day->points_adjusted += points;
      }
    if (rc != SQLITE_DONE)
      return FALSE;
  }
  return TRUE;
}

/* The members who topped up / spent in the whole period, each counted once. */
static gboolean
load_members (TillStore *self, gint64 from_us, gint64 to_us, TillMemberReportDay *total,
              GError **error)
{
  g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
      self,
      "SELECT COUNT (DISTINCT CASE WHEN kind = 'topup' THEN member_id END),"
      "       COUNT (DISTINCT CASE WHEN kind = 'spend' THEN member_id END)"
      "  FROM stored_value_move WHERE at >= ?1 AND at < ?2",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from_us);
  sqlite3_bind_int64 (stmt, 2, to_us);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  total->n_topup_members = (guint)sqlite3_column_int64 (stmt, 0);
  total->n_spend_members = (guint)sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

TillMemberReport *
till_store_member_report (TillStore *self, const char *from_date, const char *to_date,
                          GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillMemberReport) report = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *title = NULL;
  gint64 from_us, to_us, unused;
  GDate day, end;
  gint n_days;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  if (!till_report_parse_day (from_date, &from_us, &unused, error)
      || !till_report_parse_day (to_date, &to_us, &unused, error))
    return NULL;
  date_from_text (from_date, &day);
  date_from_text (to_date, &end);
  n_days = g_date_days_between (&day, &end);
  if (n_days < 0 || n_days > MAX_DAYS)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   n_days < 0 ? _ ("The period ends before it starts")
                              : _ ("The period is longer than a year"));
      return NULL;
    }
  title = n_days == 1 ? g_strdup (from_date) : g_strdup_printf ("%s – %s", from_date, to_date);
  report = till_member_report_new (title);

  locker = till_store_locker_new (self);
  if (!load_start (self, from_us, to_us, report, &local_error))
    goto failed;
  for (gint i = 0; i < n_days; i++)
    {
      g_autofree char *date = date_to_text (&day);
      TillMemberReportDay figures = { 0 };
      gint64 start_us, end_us;

      if (!till_report_parse_day (date, &start_us, &end_us, error))
        return NULL;
      figures.date = date;
      if (!load_day (self, start_us, end_us, &figures, &local_error))
        goto failed;
      till_member_report_add_day (report, &figures);
      g_date_add_days (&day, 1);
    }
  if (!load_members (self, from_us, to_us, &report->total, &local_error))
    goto failed;
  return g_steal_pointer (&report);

failed:
  if (local_error != NULL)
    {
      g_warning ("The stored-value report of %s could not be read: %s", title,
                 local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  till_store_set_sqlite_error (self, error, _ ("The stored-value report could not be read"));
  return NULL;
}

TillMemberReport *
till_store_member_report_day (TillStore *self, const char *date, GError **error)
{
  gint64 from_us, to_us;
  GDate next;
  g_autofree char *to_date = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  if (!till_report_parse_day (date, &from_us, &to_us, error))
    return NULL;
  date_from_text (date, &next);
  g_date_add_days (&next, 1);
  to_date = date_to_text (&next);
  return till_store_member_report (self, date, to_date, error);
}
