/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillMemberReport (issue 16): a day's owed money and points follow from the previous
 * day's end and the day's moves; the total sums the days; the text and the CSV show every
 * figure, paid and bonus money apart. */
#include "config.h"

#include <string.h>

#include "till-member-report.h"

static TillMemberReport *
make_report (void)
{
  TillMemberReport *r = till_member_report_new ("2026-11-20 – 2026-11-22");
  TillMemberReportDay d20 = { 0 }, d21 = { 0 };

  till_member_report_set_start (r, 10000, 1000, 40);
  d20.date = (char *)"2026-11-20";
  d20.topup_paid_fen = 20000;
  d20.topup_bonus_fen = 2000;
  d20.spend_paid_fen = 4545;
  d20.spend_bonus_fen = 455;
  d20.points_earned = 50;
  d20.n_topup_members = 1;
  d20.n_spend_members = 1;
  till_member_report_add_day (r, &d20);
  d21.date = (char *)"2026-11-21";
  d21.refund_paid_fen = 909;
  d21.refund_bonus_fen = 91;
  d21.adjust_paid_fen = -100;
  d21.adjust_bonus_fen = 300;
  d21.points_reversed = 20;
  d21.points_redeemed = 10;
  d21.points_adjusted = -5;
  till_member_report_add_day (r, &d21);
  r->total.n_topup_members = 1;
  r->total.n_spend_members = 1;
  r->has_moves = TRUE;
  return r;
}

static void
test_figures (void)
{
  g_autoptr (TillMemberReport) r = make_report ();
  const TillMemberReportDay *d20 = g_ptr_array_index (r->days, 0);
  const TillMemberReportDay *d21 = g_ptr_array_index (r->days, 1);

  g_assert_cmpint (d20->owed_paid_fen, ==, 10000 + 20000 - 4545);
  g_assert_cmpint (d20->owed_bonus_fen, ==, 1000 + 2000 - 455);
  g_assert_cmpint (d20->points_held, ==, 90);
  g_assert_cmpint (d21->owed_paid_fen, ==, 25455 + 909 - 100);
  g_assert_cmpint (d21->owed_bonus_fen, ==, 2545 + 91 + 300);
  g_assert_cmpint (d21->points_held, ==, 90 - 20 - 10 - 5);
  g_assert_cmpint (till_member_report_day_taken_in_fen (d20), ==, 22000);
  g_assert_cmpint (till_member_report_day_spent_fen (d20), ==, 5000);
  g_assert_cmpint (till_member_report_day_spent_fen (d21), ==, 0);
  g_assert_cmpint (r->total.topup_paid_fen, ==, 20000);
  g_assert_cmpint (r->total.adjust_bonus_fen, ==, 300);
  g_assert_cmpint (r->total.owed_paid_fen, ==, d21->owed_paid_fen);
  g_assert_cmpint (r->total.owed_bonus_fen, ==, d21->owed_bonus_fen);
  g_assert_cmpint (r->total.points_held, ==, 55);
  g_assert_cmpint (r->owed_paid_start_fen, ==, 10000);
}

static void
test_text (void)
{
  g_autoptr (TillMemberReport) r = make_report ();
  g_autofree char *text = till_member_report_to_text (r);

  g_assert_cmpstr (
      text, ==,
      "Stored value and points  2026-11-20 – 2026-11-22\n"
      "\n"
      "Stored value by day\n"
      "  ---------------------------------------------------------------------------\n"
      "  Date                    Top-ups      Spent   Refunded   Adjusted       Owed\n"
      "  2026-11-20  paid         200.00      45.45       0.00       0.00     254.55\n"
      "              bonus         20.00       4.55       0.00       0.00      25.45\n"
      "  2026-11-21  paid           0.00       0.00       9.09      -1.00     262.64\n"
      "              bonus          0.00       0.00       0.91       3.00      29.36\n"
      "  Total       paid         200.00      45.45       9.09      -1.00     262.64\n"
      "              bonus         20.00       4.55       0.91       3.00      29.36\n"
      "\n"
      "Stored value owed to members\n"
      "  ---------------------------------------------------------------------------\n"
      "  Paid money (a debt to members)                            262.64\n"
      "  Bonus money (given, not paid)                              29.36\n"
      "  Total owed at the end of the period                       292.00\n"
      "  Stored value spent is not new money: it was taken in when the member topped up.\n"
      "\n"
      "Points\n"
      "  ---------------------------------------------------------------------------\n"
      "  Date            Earned  Reversed  Redeemed  Adjusted      Held\n"
      "  2026-11-20          50         0         0         0        90\n"
      "  2026-11-21           0        20        10        -5        55\n"
      "  Total               50        20        10        -5        55\n"
      "\n"
      "Members\n"
      "  ---------------------------------------------------------------------------\n"
      "  Topped up: 1   Spent stored value: 1\n");
}

static void
test_csv (void)
{
  g_autoptr (TillMemberReport) r = make_report ();
  gsize length = 0;
  g_autofree char *csv = till_member_report_to_csv (r, &length);

  g_assert_cmpuint (length, ==, strlen (csv));
  g_assert_cmpstr (
      csv, ==,
      "\xEF\xBB\xBF\"Section\",\"Date\",\"Top-up paid (yuan)\",\"Top-up bonus (yuan)\","
      "\"Spent paid (yuan)\",\"Spent bonus (yuan)\",\"Refunded paid (yuan)\","
      "\"Refunded bonus (yuan)\",\"Adjusted paid (yuan)\",\"Adjusted bonus (yuan)\","
      "\"Owed paid (yuan)\",\"Owed bonus (yuan)\",\"Points earned\",\"Points reversed\","
      "\"Points redeemed\",\"Points adjusted\",\"Points held\",\"Members topped up\","
      "\"Members spent\"\r\n"
      "\"Stored value by day\",\"2026-11-20\",\"200.00\",\"20.00\",\"45.45\",\"4.55\",\"0.00\","
      "\"0.00\",\"0.00\",\"0.00\",\"254.55\",\"25.45\",\"50\",\"0\",\"0\",\"0\",\"90\",\"1\","
      "\"1\"\r\n"
      "\"Stored value by day\",\"2026-11-21\",\"0.00\",\"0.00\",\"0.00\",\"0.00\",\"9.09\","
      "\"0.91\",\"-1.00\",\"3.00\",\"262.64\",\"29.36\",\"0\",\"20\",\"10\",\"-5\",\"55\",\"0\","
      "\"0\"\r\n"
      "\"Stored value total\",\"2026-11-20 – 2026-11-22\",\"200.00\",\"20.00\",\"45.45\",\"4.55\","
      "\"9.09\",\"0.91\",\"-1.00\",\"3.00\",\"262.64\",\"29.36\",\"50\",\"20\",\"10\",\"-5\","
      "\"55\","
      "\"1\",\"1\"\r\n"
      "\"Stored value at the start\",\"2026-11-20 – 2026-11-22\",\"0.00\",\"0.00\",\"0.00\","
      "\"0.00\",\"0.00\",\"0.00\",\"0.00\",\"0.00\",\"100.00\",\"10.00\",\"0\",\"0\",\"0\",\"0\","
      "\"40\",\"0\",\"0\"\r\n");
}

static void
test_z_text (void)
{
  g_autoptr (TillMemberReport) r = make_report ();
  g_autoptr (GString) z = g_string_new (NULL);
  g_autoptr (GString) z21 = g_string_new (NULL);
  TillMemberReportDay nothing = { 0 };

  till_member_report_append_z_text (g_ptr_array_index (r->days, 0), z);
  g_assert_cmpstr (z->str, ==,
                   "\nStored value (members)\n"
                   "  ------------------------------------------------\n"
                   "  Taken in (top-ups + bonus)                220.00\n"
                   "    of which bonus                           20.00\n"
                   "  Spent (not new money)                      50.00\n"
                   "  Top-ups were paid in cash or by code above.\n");
  /* refunds and adjustments only when there are any */
  till_member_report_append_z_text (g_ptr_array_index (r->days, 1), z21);
  g_assert_cmpstr (z21->str, ==,
                   "\nStored value (members)\n"
                   "  ------------------------------------------------\n"
                   "  Taken in (top-ups + bonus)                  0.00\n"
                   "    of which bonus                            0.00\n"
                   "  Spent (not new money)                       0.00\n"
                   "  Given back by refunds                      10.00\n"
                   "  Adjusted by managers                        2.00\n"
                   "  Top-ups were paid in cash or by code above.\n");
  g_assert_true (till_member_report_day_has_stored_value (g_ptr_array_index (r->days, 1)));
  g_assert_false (till_member_report_day_has_stored_value (&nothing));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/member-report/figures", test_figures);
  g_test_add_func ("/core/member-report/text", test_text);
  g_test_add_func ("/core/member-report/csv", test_csv);
  g_test_add_func ("/core/member-report/z-text", test_z_text);
  return g_test_run ();
}
