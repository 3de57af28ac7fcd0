/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stored-value and points report (issue 16) on a real file: top-ups with a bonus,
 * spends split between paid and bonus money, a refund of part of a spend, managers'
 * adjustments and points moves on several days (the store's clock moved day by day), a day
 * with nothing in between. Every day's figures are exact; what is owed at each day's end
 * equals the members' balances summed by SQL of a second connection; a till without
 * members has nothing to say. */
#define G_LOG_DOMAIN "test-store-member-reports"

#include "config.h"

#include "store-test-util.h"
#include "till-core-error.h"
#include "till-store-cash.h"
#include "till-store-member-reports.h"
#include "till-store-members.h"
#include "till-store-stored-value.h"

#define HOUR (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

static gint64 clock_now;

static gint64
clock_cb (gpointer data)
{
  return clock_now;
}

static gint64
day_start (int day)
{
  g_autoptr (GDateTime) dt = g_date_time_new_local (2026, 11, day, 0, 0, 0);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static gint64
add_member (TillStore *store, const char *name)
{
  g_autoptr (GError) error = NULL;
  TillMemberFields f = { name, NULL, NULL, 0, NULL, TRUE };
  gint64 id = till_store_add_member (store, &f, NULL, "Li", &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* What the members are owed at `end_us`: each member's balance summed by the test's own
 * connection (every balance never below zero). */
static void
owed_by_sql (sqlite3 *db, gint64 end_us, gint64 *out_paid, gint64 *out_bonus, gint64 *out_points)
{
  sqlite3_stmt *stmt = NULL;

  *out_paid = *out_bonus = *out_points = 0;
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT member_id, SUM (paid_fen), SUM (bonus_fen)"
                                       "  FROM stored_value_move WHERE at < ?1 GROUP BY member_id",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, end_us);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_assert_cmpint (sqlite3_column_int64 (stmt, 1), >=, 0);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 2), >=, 0);
      *out_paid += sqlite3_column_int64 (stmt, 1);
      *out_bonus += sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT member_id, SUM (points) FROM points_move"
                                       " WHERE at < ?1 GROUP BY member_id",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, end_us);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    *out_points += sqlite3_column_int64 (stmt, 1);
  sqlite3_finalize (stmt);
}

typedef struct
{
  gint64 a_paid, a_bonus; /* Zhang's spend on the 22nd */
  gint64 b_paid, b_bonus; /* Wang's */
  gint64 r_paid, r_bonus; /* the part of Zhang's spend refunded */
} Splits;

/* 20th: Zhang tops up 200 (bonus 20), Wang 100 (no bonus), Zhang earns 200 points.
 * 21st: nothing. 22nd: Zhang spends 55.00, Wang 30.00, ¥10.00 of Zhang's spend refunded, a
 * manager adds ¥5.00 paid money to Wang; Zhang redeems 50 points, 20 are reversed, Wang's
 * adjusted by +10. 23rd, 9:00: Zhang tops up 200 again (bonus 20) and a manager takes ¥1.00
 * of bonus money back; Wang earns 30 points. */
static void
make_days (TillStore *store, Splits *s)
{
  g_autoptr (GError) error = NULL;
  gint64 zhang, wang, spend, bonus = -1;

  g_assert_cmpint (till_store_add_topup_rule (store, 20000, 2000, "Boss", &error), >, 0);
  zhang = add_member (store, "Zhang");
  wang = add_member (store, "Wang");

  clock_now = day_start (20) + 10 * HOUR;
  g_assert_true (
      till_store_stored_value_topup (store, zhang, 20000, "20261120-0001", "Li", &bonus, &error));
  g_assert_cmpint (bonus, ==, 2000);
  g_assert_true (
      till_store_stored_value_topup (store, wang, 10000, "20261120-0002", "Li", &bonus, &error));
  g_assert_cmpint (bonus, ==, 0);
  g_assert_cmpint (till_store_points_earn (store, zhang, 200, "20261120-0003", "Li", &error), >, 0);
  clock_now = day_start (20) + 24 * HOUR - 1; /* still the 20th */
  g_assert_cmpint (till_store_points_earn (store, wang, 1, "20261120-0004", "Li", &error), >, 0);

  clock_now = day_start (22) + 0 * HOUR; /* the first moment of the 22nd */
  spend = till_store_stored_value_spend (store, zhang, 5500, "20261122-0001", "Li", &s->a_paid,
                                         &s->a_bonus, &error);
  g_assert_cmpint (spend, >, 0);
  g_assert_cmpint (s->a_paid + s->a_bonus, ==, 5500);
  g_assert_cmpint (s->a_bonus, >, 0);
  clock_now = day_start (22) + 11 * HOUR;
  g_assert_cmpint (till_store_stored_value_spend (store, wang, 3000, "20261122-0002", "Li",
                                                  &s->b_paid, &s->b_bonus, &error),
                   >, 0);
  g_assert_cmpint (s->b_paid, ==, 3000);
  g_assert_cmpint (s->b_bonus, ==, 0);
  g_assert_cmpint (till_store_stored_value_refund (store, spend, 1000, "20261122-0001", "Li",
                                                   &s->r_paid, &s->r_bonus, &error),
                   >, 0);
  g_assert_cmpint (s->r_paid + s->r_bonus, ==, 1000);
  g_assert_cmpint (till_store_stored_value_adjust (store, wang, 500, 0, "card from the old till",
                                                   "Li", "Boss", &error),
                   >, 0);
  g_assert_cmpint (till_store_points_redeem (store, zhang, 50, "20261122-0001", "Li", &error), >,
                   0);
  g_assert_cmpint (till_store_points_reverse (store, zhang, 20, "20261120-0003", "Li", &error), >,
                   0);
  g_assert_cmpint (till_store_points_adjust (store, wang, 10, "birthday", "Li", "Boss", &error), >,
                   0);

  clock_now = day_start (23) + 9 * HOUR;
  g_assert_true (
      till_store_stored_value_topup (store, zhang, 20000, "20261123-0001", "Li", &bonus, &error));
  g_assert_cmpint (bonus, ==, 2000);
  g_assert_cmpint (till_store_stored_value_adjust (store, zhang, 0, -100, "bonus given twice", "Li",
                                                   "Boss", &error),
                   >, 0);
  g_assert_cmpint (till_store_points_earn (store, wang, 30, "20261123-0002", "Li", &error), >, 0);
  g_assert_no_error (error);
}

static void
assert_day (const TillMemberReportDay *d, const char *date, const gint64 money[8],
            const gint64 points[4], guint n_topup, guint n_spend)
{
  g_assert_cmpstr (d->date, ==, date);
  g_assert_cmpint (d->topup_paid_fen, ==, money[0]);
  g_assert_cmpint (d->topup_bonus_fen, ==, money[1]);
  g_assert_cmpint (d->spend_paid_fen, ==, money[2]);
  g_assert_cmpint (d->spend_bonus_fen, ==, money[3]);
  g_assert_cmpint (d->refund_paid_fen, ==, money[4]);
  g_assert_cmpint (d->refund_bonus_fen, ==, money[5]);
  g_assert_cmpint (d->adjust_paid_fen, ==, money[6]);
  g_assert_cmpint (d->adjust_bonus_fen, ==, money[7]);
  g_assert_cmpint (d->points_earned, ==, points[0]);
  g_assert_cmpint (d->points_reversed, ==, points[1]);
  g_assert_cmpint (d->points_redeemed, ==, points[2]);
  g_assert_cmpint (d->points_adjusted, ==, points[3]);
  g_assert_cmpuint (d->n_topup_members, ==, n_topup);
  g_assert_cmpuint (d->n_spend_members, ==, n_spend);
}

static void
test_days (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (TillMemberReport) report = NULL;
  Splits s = { 0 };
  sqlite3 *db;

  till_store_set_clock_for_testing (clock_cb, NULL);
  make_days (store, &s);
  till_store_set_clock_for_testing (NULL, NULL);

  /* the 19th to the 24th: a day before anything, the four days, a day after */
  report = till_store_member_report (store, "2026-11-19", "2026-11-25", &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpstr (report->title_period, ==, "2026-11-19 – 2026-11-25");
  g_assert_true (till_member_report_has_moves (report));
  g_assert_cmpuint (report->days->len, ==, 6);
  g_assert_cmpint (report->owed_paid_start_fen, ==, 0);
  g_assert_cmpint (report->owed_bonus_start_fen, ==, 0);
  {
    const gint64 none[8] = { 0 }, no_points[4] = { 0 };
    const gint64 m20[8] = { 30000, 2000, 0, 0, 0, 0, 0, 0 }, p20[4] = { 201, 0, 0, 0 };
    const gint64 m22[8]
        = { 0, 0, s.a_paid + s.b_paid, s.a_bonus + s.b_bonus, s.r_paid, s.r_bonus, 500, 0 };
    const gint64 p22[4] = { 0, 20, 50, 10 };
    const gint64 m23[8] = { 20000, 2000, 0, 0, 0, 0, 0, -100 }, p23[4] = { 30, 0, 0, 0 };

    assert_day (g_ptr_array_index (report->days, 0), "2026-11-19", none, no_points, 0, 0);
    assert_day (g_ptr_array_index (report->days, 1), "2026-11-20", m20, p20, 2, 0);
    assert_day (g_ptr_array_index (report->days, 2), "2026-11-21", none, no_points, 0, 0);
    assert_day (g_ptr_array_index (report->days, 3), "2026-11-22", m22, p22, 0, 2);
    assert_day (g_ptr_array_index (report->days, 4), "2026-11-23", m23, p23, 1, 0);
    assert_day (g_ptr_array_index (report->days, 5), "2026-11-24", none, no_points, 0, 0);
  }

  /* what is owed at each day's end: the members' balances summed by another connection */
  db = raw_open (dir->path);
  for (guint i = 0; i < report->days->len; i++)
    {
      const TillMemberReportDay *d = g_ptr_array_index (report->days, i);
      gint64 paid, bonus, points;

      owed_by_sql (db, day_start (20 + (int)i), &paid, &bonus, &points);
      g_test_message ("%s: owed %" G_GINT64_FORMAT " + %" G_GINT64_FORMAT
                      ", points %" G_GINT64_FORMAT,
                      d->date, paid, bonus, points);
      g_assert_cmpint (d->owed_paid_fen, ==, paid);
      g_assert_cmpint (d->owed_bonus_fen, ==, bonus);
      g_assert_cmpint (d->points_held, ==, points);
    }
  sqlite3_close (db);
  {
    const TillMemberReportDay *d22 = g_ptr_array_index (report->days, 3);

    g_assert_cmpint (d22->owed_paid_fen, ==, 30000 - s.a_paid - s.b_paid + s.r_paid + 500);
    g_assert_cmpint (d22->owed_bonus_fen, ==, 2000 - s.a_bonus - s.b_bonus + s.r_bonus);
    g_assert_cmpint (till_member_report_day_taken_in_fen (d22), ==, 0);
    g_assert_cmpint (till_member_report_day_spent_fen (d22), ==, 5500 + 3000);
  }

  /* the period's total: sums, members counted once, owed = the liability now */
  {
    const TillMemberReportDay *t = &report->total;
    gint64 paid = -1, bonus = -1;

    g_assert_null (t->date);
    g_assert_cmpint (t->topup_paid_fen, ==, 50000);
    g_assert_cmpint (t->topup_bonus_fen, ==, 4000);
    g_assert_cmpint (t->spend_paid_fen + t->spend_bonus_fen, ==, 8500);
    g_assert_cmpint (t->refund_paid_fen + t->refund_bonus_fen, ==, 1000);
    g_assert_cmpint (t->adjust_paid_fen, ==, 500);
    g_assert_cmpint (t->adjust_bonus_fen, ==, -100);
    g_assert_cmpint (t->points_earned, ==, 231);
    g_assert_cmpint (t->points_held, ==, 231 - 20 - 50 + 10);
    g_assert_cmpuint (t->n_topup_members, ==, 2);
    g_assert_cmpuint (t->n_spend_members, ==, 2);
    g_assert_true (till_store_stored_value_liability (store, &paid, &bonus, &error));
    g_assert_cmpint (t->owed_paid_fen, ==, paid);
    g_assert_cmpint (t->owed_bonus_fen, ==, bonus);
  }
}

/* A day alone starts from what earlier days left; a day with nothing has zeros; a
 * period's member counts are distinct members, not a sum of days. */
static void
test_day_and_start (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (TillMemberReport) quiet = NULL;
  g_autoptr (TillMemberReport) last = NULL;
  g_autoptr (TillMemberReport) both = NULL;
  g_autoptr (TillMemberReport) before = NULL;
  Splits s = { 0 };
  const TillMemberReportDay *d;

  till_store_set_clock_for_testing (clock_cb, NULL);
  make_days (store, &s);
  till_store_set_clock_for_testing (NULL, NULL);

  quiet = till_store_member_report_day (store, "2026-11-21", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (quiet->title_period, ==, "2026-11-21");
  g_assert_cmpuint (quiet->days->len, ==, 1);
  g_assert_true (till_member_report_has_moves (quiet));
  g_assert_cmpint (quiet->owed_paid_start_fen, ==, 30000);
  g_assert_cmpint (quiet->owed_bonus_start_fen, ==, 2000);
  g_assert_cmpint (quiet->points_start, ==, 201);
  d = g_ptr_array_index (quiet->days, 0);
  g_assert_cmpint (till_member_report_day_taken_in_fen (d), ==, 0);
  g_assert_cmpint (till_member_report_day_spent_fen (d), ==, 0);
  g_assert_cmpint (d->owed_paid_fen, ==, 30000);
  g_assert_cmpint (d->owed_bonus_fen, ==, 2000);

  last = till_store_member_report_day (store, "2026-11-23", &error);
  d = g_ptr_array_index (last->days, 0);
  g_assert_cmpint (till_member_report_day_taken_in_fen (d), ==, 22000);
  g_assert_cmpint (last->owed_paid_start_fen, ==, 30000 - s.a_paid - s.b_paid + s.r_paid + 500);
  g_assert_cmpint (last->total.owed_paid_fen, ==, last->owed_paid_start_fen + 20000);
  g_assert_cmpint (last->total.owed_bonus_fen, ==,
                   2000 - s.a_bonus - s.b_bonus + s.r_bonus + 2000 - 100);

  /* 22nd and 23rd: Zhang tops up and spends, Wang spends: 1 and 2, as on their days */
  both = till_store_member_report (store, "2026-11-22", "2026-11-24", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (both->total.n_topup_members, ==, 1);
  g_assert_cmpuint (both->total.n_spend_members, ==, 2);

  /* before anything: moves exist later but not up to that day's end */
  before = till_store_member_report_day (store, "2026-11-19", &error);
  g_assert_false (till_member_report_has_moves (before));

  /* refusals */
  g_assert_null (till_store_member_report (store, "2026-11-23", "2026-11-22", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_null (till_store_member_report (store, "2026-11-01", "2027-12-01", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_null (till_store_member_report_day (store, "2026-11-31", &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT);
}

/* The day close's Z report shows the day's stored value beside cash and codes, from the
 * ledger; a day without stored value prints the Z it always did. */
static void
test_day_close (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (TillDayClose) close20 = NULL;
  g_autoptr (TillDayClose) close21 = NULL;
  g_autoptr (TillDayClose) close22 = NULL;
  g_autoptr (TillDayClose) reloaded = NULL;
  g_autofree char *expected22 = NULL;
  g_autofree char *refunded = NULL;
  guint counts[TILL_N_DENOMINATIONS] = { 0 };
  Splits s = { 0 };

  till_store_set_clock_for_testing (clock_cb, NULL);
  make_days (store, &s);
  clock_now = day_start (24) + 8 * HOUR;
  close20 = till_store_day_close (store, "2026-11-20", counts, "Boss", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (close20->z_text, "\nStored value (members)\n"
                                             "  ------------------------------------------------\n"
                                             "  Taken in (top-ups + bonus)                320.00\n"
                                             "    of which bonus                           20.00\n"
                                             "  Spent (not new money)                       0.00\n"
                                             "  Top-ups were paid in cash or by code above.\n"));
  close21 = till_store_day_close (store, "2026-11-21", counts, "Boss", &error);
  g_assert_no_error (error);
  /* no section on a day without stored value (the methods list keeps its "Stored value"
   * line of the payments from cards, zero here) */
  g_assert_null (strstr (close21->z_text, "Stored value (members)"));
  close22 = till_store_day_close (store, "2026-11-22", counts, "Boss", &error);
  g_assert_no_error (error);
  refunded = g_strdup_printf ("%" G_GINT64_FORMAT ".%02" G_GINT64_FORMAT,
                              (s.r_paid + s.r_bonus) / 100, (s.r_paid + s.r_bonus) % 100);
  expected22 = g_strdup_printf ("  Spent (not new money)                      85.00\n"
                                "  Given back by refunds                      %s\n"
                                "  Adjusted by managers                        5.00\n",
                                refunded);
  g_assert_nonnull (strstr (close22->z_text, expected22));
  till_store_set_clock_for_testing (NULL, NULL);

  /* the reprint is the Z as it was printed */
  reloaded = till_store_day_close_load (store, "2026-11-22", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reloaded->z_text, ==, close22->z_text);
}

/* A till without members: every day zero, nothing to say. */
static void
test_empty (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (TillMemberReport) report = NULL;

  report = till_store_member_report (store, "2026-11-01", "2026-12-01", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->days->len, ==, 30);
  g_assert_false (till_member_report_has_moves (report));
  g_assert_cmpint (report->total.owed_paid_fen, ==, 0);
  g_assert_cmpint (report->total.points_held, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/member-reports/days", test_days);
  g_test_add_func ("/store/member-reports/day-and-start", test_day_and_start);
  g_test_add_func ("/store/member-reports/empty", test_empty);
  g_test_add_func ("/store/member-reports/day-close", test_day_close);
  return g_test_run ();
}
