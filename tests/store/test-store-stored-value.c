/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stored value (储值) and points in the store (issue 16, schema 17) on a real file:
 * top-ups with their bonus, spends split between paid and bonus money, refunds of a
 * spend, managers' adjustments, points; the ledgers' triggers; a property test of random
 * sequences (TILL_STORED_VALUE_SEED replays one) holding every balance to its ledger's sum
 * read by an independent connection; and two tills (two connections, two threads) spending
 * from one member at once. */
#include "config.h"

#include "store-test-util.h"
#include "till-store-members.h"
#include "till-store-stored-value.h"

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

static void
add_rule (TillStore *store, gint64 pay_fen, gint64 bonus_fen)
{
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (till_store_add_topup_rule (store, pay_fen, bonus_fen, "Boss", &error), >, 0);
  g_assert_no_error (error);
}

static void
assert_balance (TillStore *store, gint64 member_id, gint64 paid_fen, gint64 bonus_fen,
                gint64 points)
{
  g_autoptr (GError) error = NULL;
  TillMemberBalance b = { -1, -1, -1 };

  g_assert_true (till_store_member_balance (store, member_id, &b, &error));
  g_assert_no_error (error);
  g_assert_cmpint (b.paid_fen, ==, paid_fen);
  g_assert_cmpint (b.bonus_fen, ==, bonus_fen);
  g_assert_cmpint (b.points, ==, points);
}

static gint64
n_moves (TillStore *store)
{
  return store_int (store, "SELECT (SELECT count (*) FROM stored_value_move)"
                           " + (SELECT count (*) FROM points_move)");
}

static void
test_topup (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) rules = NULL;
  g_autofree char *rows = NULL;
  gint64 zhang, bonus = -1;
  TillMemberFields off = { "Old", NULL, NULL, 0, NULL, FALSE };
  gint64 old;

  add_rule (store, 20000, 2000); /* 充 200 送 20 */
  add_rule (store, 50000, 8000); /* 充 500 送 80 */
  zhang = add_member (store, "Zhang");

  g_assert_true (
      till_store_stored_value_topup (store, zhang, 20000, "20261203-0001", "Li", &bonus, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bonus, ==, 2000);
  assert_balance (store, zhang, 20000, 2000, 0);

  /* the same sale credits once */
  g_assert_false (
      till_store_stored_value_topup (store, zhang, 20000, "20261203-0001", "Li", &bonus, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (bonus, ==, 0);

  g_assert_true (
      till_store_stored_value_topup (store, zhang, 19999, "20261203-0002", "Li", &bonus, &error));
  g_assert_cmpint (bonus, ==, 0);
  g_assert_true (
      till_store_stored_value_topup (store, zhang, 60000, "20261203-0003", "Li", &bonus, &error));
  g_assert_cmpint (bonus, ==, 8000);
  g_assert_no_error (error);
  assert_balance (store, zhang, 99999, 10000, 0);

  /* a rule switched off no longer applies */
  rules = till_store_list_topup_rules (store, &error);
  g_assert_cmpuint (rules->len, ==, 2);
  g_assert_true (till_store_set_topup_rule_active (
      store, g_array_index (rules, TillTopupRule, 1).id, FALSE, "Boss", &error));
  g_assert_no_error (error);
  g_assert_true (
      till_store_stored_value_topup (store, zhang, 50000, "20261203-0004", "Li", &bonus, &error));
  g_assert_cmpint (bonus, ==, 2000);

  rows = store_rows (store, "SELECT kind, paid_fen, bonus_fen, reference, who FROM"
                            " stored_value_move ORDER BY id");
  g_assert_cmpstr (rows, ==,
                   "topup|20000|0|20261203-0001|Li\n"
                   "bonus|0|2000|20261203-0001|Li\n"
                   "topup|19999|0|20261203-0002|Li\n"
                   "topup|60000|0|20261203-0003|Li\n"
                   "bonus|0|8000|20261203-0003|Li\n"
                   "topup|50000|0|20261203-0004|Li\n"
                   "bonus|0|2000|20261203-0004|Li\n");

  /* refusals write nothing */
  old = till_store_add_member (store, &off, NULL, "Li", &error);
  g_assert_false (
      till_store_stored_value_topup (store, old, 100, "20261203-0005", "Li", NULL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (
      till_store_stored_value_topup (store, 999, 100, "20261203-0005", "Li", NULL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (
      till_store_stored_value_topup (store, zhang, 0, "20261203-0005", "Li", NULL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (till_store_add_topup_rule (store, 100, 0, "Boss", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (n_moves (store), ==, 7);
}

static void
test_spend_and_refund (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  gint64 zhang, spend, spend2, refund, paid = -1, bonus = -1;

  add_rule (store, 20000, 2000);
  zhang = add_member (store, "Zhang");
  g_assert_true (till_store_stored_value_topup (store, zhang, 20000, "T1", "Li", NULL, &error));

  /* 220 held (200 paid, 20 bonus): 11.00 is 10.00 paid and 1.00 bonus */
  spend = till_store_stored_value_spend (store, zhang, 1100, "S1", "Li", &paid, &bonus, &error);
  g_assert_no_error (error);
  g_assert_cmpint (spend, >, 0);
  g_assert_cmpint (paid, ==, 1000);
  g_assert_cmpint (bonus, ==, 100);
  assert_balance (store, zhang, 19000, 1900, 0);

  /* more than held: refused with the balance, nothing written */
  g_assert_cmpint (
      till_store_stored_value_spend (store, zhang, 20901, "S2", "Li", &paid, &bonus, &error), ==,
      0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_assert_cmpstr (error->message, ==, "Not enough stored value: ¥209.00 left");
  g_clear_error (&error);
  g_assert_cmpint (paid, ==, 0);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM stored_value_move"), ==, 3);

  /* the rest, to the fen */
  spend2 = till_store_stored_value_spend (store, zhang, 20900, "S2", "Li", &paid, &bonus, &error);
  g_assert_no_error (error);
  g_assert_cmpint (paid, ==, 19000);
  g_assert_cmpint (bonus, ==, 1900);
  assert_balance (store, zhang, 0, 0, 0);
  g_assert_cmpint (till_store_stored_value_spend (store, zhang, 1, "S3", "Li", NULL, NULL, &error),
                   ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_assert_cmpstr (error->message, ==, "Not enough stored value: ¥0.00 left");
  g_clear_error (&error);

  /* part of the first spend back, then the rest: exactly what it took */
  refund = till_store_stored_value_refund (store, spend, 550, "S1", "Li", &paid, &bonus, &error);
  g_assert_no_error (error);
  g_assert_cmpint (refund, >, 0);
  g_assert_cmpint (paid, ==, 500);
  g_assert_cmpint (bonus, ==, 50);
  g_assert_cmpint (
      till_store_stored_value_refund (store, spend, 551, "S1", "Li", &paid, &bonus, &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_assert_cmpstr (error->message, ==,
                   "Only ¥5.50 of this payment by stored value can still be given back");
  g_clear_error (&error);
  g_assert_cmpint (
      till_store_stored_value_refund (store, spend, 550, "S1", "Li", &paid, &bonus, &error), >, 0);
  g_assert_cmpint (paid, ==, 500);
  g_assert_cmpint (bonus, ==, 50);
  assert_balance (store, zhang, 1000, 100, 0);
  g_assert_cmpint (till_store_stored_value_refund (store, spend, 1, "S1", "Li", NULL, NULL, &error),
                   ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  /* a refund is of a spend, not of a top-up or a refund */
  g_assert_cmpint (
      till_store_stored_value_refund (store, refund, 1, "S1", "Li", NULL, NULL, &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (
      till_store_stored_value_refund (store, spend2, 20900, "S2", "Li", &paid, &bonus, &error), >,
      0);
  g_assert_cmpint (paid, ==, 19000);
  g_assert_cmpint (bonus, ==, 1900);
  assert_balance (store, zhang, 20000, 2000, 0);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM stored_value_move"
                                     " WHERE kind = 'refund' AND refund_of IS NOT NULL"),
                   ==, 3);

  /* the member's ledger, newest first */
  {
    g_autoptr (GPtrArray) moves = till_store_stored_value_moves (store, zhang, 3, &error);
    TillStoredValueMove *last;

    g_assert_no_error (error);
    g_assert_cmpuint (moves->len, ==, 3);
    last = moves->pdata[0];
    g_assert_cmpstr (last->kind, ==, "refund");
    g_assert_cmpint (last->paid_fen, ==, 19000);
    g_assert_cmpint (last->bonus_fen, ==, 1900);
    g_assert_cmpint (last->refund_of, ==, spend2);
    g_assert_cmpstr (last->reference, ==, "S2");
    g_assert_cmpstr (last->who, ==, "Li");
    g_assert_null (last->reason);
    g_assert_cmpint (((TillStoredValueMove *)moves->pdata[2])->refund_of, ==, spend);
  }
  /* the moves of one sale: its spend and the refunds that gave it back */
  {
    g_autoptr (GPtrArray) of_s1 = till_store_stored_value_moves_of (store, "S1", &error);
    g_autoptr (GPtrArray) of_none = till_store_stored_value_moves_of (store, "S9", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (of_s1->len, ==, 3);
    g_assert_cmpint (((TillStoredValueMove *)of_s1->pdata[0])->id, ==, spend);
    g_assert_cmpstr (((TillStoredValueMove *)of_s1->pdata[0])->kind, ==, "spend");
    g_assert_cmpint (((TillStoredValueMove *)of_s1->pdata[0])->paid_fen, ==, -1000);
    g_assert_cmpint (((TillStoredValueMove *)of_s1->pdata[0])->bonus_fen, ==, -100);
    g_assert_cmpstr (((TillStoredValueMove *)of_s1->pdata[2])->kind, ==, "refund");
    g_assert_cmpuint (of_none->len, ==, 0);
  }
}

static void
test_adjust (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *audit = NULL;
  gint64 zhang, id;

  zhang = add_member (store, "Zhang");
  id = till_store_stored_value_adjust (store, zhang, 5000, 300, "card from the old till", "Li",
                                       "Boss", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  assert_balance (store, zhang, 5000, 300, 0);

  g_assert_cmpint (
      till_store_stored_value_adjust (store, zhang, -5001, 0, "typo", "Li", "Boss", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_cmpint (
      till_store_stored_value_adjust (store, zhang, 0, -301, "typo", "Li", "Boss", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_cmpint (till_store_stored_value_adjust (store, zhang, -1, 0, "", "Li", "Boss", &error),
                   ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (till_store_stored_value_adjust (store, zhang, -1, 0, "why", "Li", NULL, &error),
                   ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (till_store_stored_value_adjust (store, zhang, 0, 0, "why", "Li", "Boss", &error),
                   ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (
      till_store_stored_value_adjust (store, zhang, -5000, -300, "closed", "Li", "Boss", &error), >,
      0);
  assert_balance (store, zhang, 0, 0, 0);

  g_assert_cmpint (till_store_points_adjust (store, zhang, 50, "welcome", "Li", "Boss", &error), >,
                   0);
  g_assert_no_error (error);
  assert_balance (store, zhang, 0, 0, 50);

  /* every adjustment tied to the audit row of its approval */
  rows = store_rows (store, "SELECT m.kind, m.paid_fen, m.bonus_fen, m.reason, a.actor, a.action"
                            " FROM stored_value_move m JOIN audit a"
                            " ON m.reference = 'audit:' || a.id ORDER BY m.id");
  g_assert_cmpstr (rows, ==,
                   "adjust|5000|300|card from the old till|Boss|approve:stored_value_adjust\n"
                   "adjust|-5000|-300|closed|Boss|approve:stored_value_adjust\n");
  audit = store_rows (store, "SELECT a.detail_json FROM points_move m JOIN audit a"
                             " ON m.reference = 'audit:' || a.id");
  g_assert_cmpstr (audit, ==, "{\"member_id\":1,\"points\":50,\"by\":\"Li\"}\n");
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM audit WHERE action LIKE 'approve:%'"),
                   ==, 3);
}

static void
test_points (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  gint64 zhang;

  zhang = add_member (store, "Zhang");
  g_assert_cmpint (till_store_points_earn (store, zhang, 120, "S1", "Li", &error), >, 0);
  g_assert_cmpint (till_store_points_earn (store, zhang, 30, "S2", "Li", &error), >, 0);
  g_assert_no_error (error);
  assert_balance (store, zhang, 0, 0, 150);

  g_assert_cmpint (till_store_points_redeem (store, zhang, 151, "S3", "Li", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_assert_cmpstr (error->message, ==, "Not enough points: 150 left");
  g_clear_error (&error);
  g_assert_cmpint (till_store_points_redeem (store, zhang, 100, "S3", "Li", &error), >, 0);
  assert_balance (store, zhang, 0, 0, 50);

  /* a refund takes back at most what its sale earned */
  g_assert_cmpint (till_store_points_reverse (store, zhang, 31, "S2", "Li", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_cmpint (till_store_points_reverse (store, zhang, 20, "S2", "Li", &error), >, 0);
  g_assert_cmpint (till_store_points_reverse (store, zhang, 11, "S2", "Li", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_assert_cmpstr (error->message, ==, "The sale earned only 10 points to take back");
  g_clear_error (&error);
  /* ... and never below zero: S1 earned 120, the member holds 30 */
  g_assert_cmpint (till_store_points_reverse (store, zhang, 120, "S1", "Li", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_cmpint (till_store_points_earn (store, zhang, 0, "S4", "Li", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  assert_balance (store, zhang, 0, 0, 30);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM points_move"), ==, 4);
}

/* The schema itself refuses what the API never writes. */
static void
test_triggers (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  gint64 zhang;
  sqlite3 *db;

  zhang = add_member (store, "Zhang");
  g_assert_true (till_store_stored_value_topup (store, zhang, 1000, "T1", "Li", NULL, &error));
  g_assert_cmpint (till_store_points_earn (store, zhang, 10, "T1", "Li", &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (zhang, ==, 1);
  g_assert_cmpint (add_member (store, "Wang"), ==, 2);
  /* move 2: a spend of 3.00 */
  g_assert_cmpint (
      till_store_stored_value_spend (store, zhang, 300, "S1", "Li", NULL, NULL, &error), ==, 2);

  db = raw_open (dir->path);
  raw_exec (db, "PRAGMA foreign_keys = ON");
  /* a refund: of a spend, to its member, never more than it took */
  g_assert_cmpint (raw_try (db, "INSERT INTO stored_value_move (member_id, kind, paid_fen,"
                                " bonus_fen, reference, refund_of, who, at) VALUES (1, 'refund',"
                                " 301, 0, 'S1', 2, 'x', 1)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO stored_value_move (member_id, kind, paid_fen,"
                                " bonus_fen, reference, refund_of, who, at) VALUES (1, 'refund',"
                                " 0, 1, 'S1', 2, 'x', 1)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO stored_value_move (member_id, kind, paid_fen,"
                                " bonus_fen, reference, refund_of, who, at) VALUES (1, 'refund',"
                                " 100, 0, 'T1', 1, 'x', 1)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO stored_value_move (member_id, kind, paid_fen,"
                                " bonus_fen, reference, refund_of, who, at) VALUES (2, 'refund',"
                                " 100, 0, 'S1', 2, 'x', 1)"),
                   ==, SQLITE_CONSTRAINT);
  raw_exec (db, "INSERT INTO stored_value_move (member_id, kind, paid_fen, bonus_fen, reference,"
                " refund_of, who, at) VALUES (1, 'refund', 200, 0, 'S1', 2, 'x', 1)");
  g_assert_cmpint (raw_try (db, "INSERT INTO stored_value_move (member_id, kind, paid_fen,"
                                " bonus_fen, reference, refund_of, who, at) VALUES (1, 'refund',"
                                " 101, 0, 'S1', 2, 'x', 1)"),
                   ==, SQLITE_CONSTRAINT);
  /* below zero, by a spend, a bonus or points */
  g_assert_cmpint (raw_try (db, "INSERT INTO stored_value_move (member_id, kind, paid_fen,"
                                " bonus_fen, reference, who, at) VALUES (1, 'spend', -1001, 0,"
                                " 'S', 'x', 1)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO stored_value_move (member_id, kind, paid_fen,"
                                " bonus_fen, reference, who, at) VALUES (1, 'spend', 0, -1,"
                                " 'S', 'x', 1)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO points_move (member_id, kind, points, reference,"
                                " who, at) VALUES (1, 'redeem', -11, 'S', 'x', 1)"),
                   ==, SQLITE_CONSTRAINT);
  /* signs by kind */
  g_assert_cmpint (raw_try (db, "INSERT INTO stored_value_move (member_id, kind, paid_fen,"
                                " bonus_fen, reference, who, at) VALUES (1, 'topup', -5, 0,"
                                " 'T9', 'x', 1)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO stored_value_move (member_id, kind, paid_fen,"
                                " bonus_fen, reference, who, at) VALUES (1, 'spend', 5, 0,"
                                " 'S', 'x', 1)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO stored_value_move (member_id, kind, paid_fen,"
                                " bonus_fen, reference, who, at) VALUES (1, 'refund', 5, 0,"
                                " 'S', 'x', 1)"),
                   ==, SQLITE_CONSTRAINT); /* no refund_of */
  g_assert_cmpint (raw_try (db, "INSERT INTO stored_value_move (member_id, kind, paid_fen,"
                                " bonus_fen, reference, who, reason, at) VALUES (1, 'adjust',"
                                " 5, 0, 'S1', 'x', 'why', 1)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO points_move (member_id, kind, points, reference,"
                                " who, at) VALUES (1, 'earn', -1, 'S', 'x', 1)"),
                   ==, SQLITE_CONSTRAINT);
  /* a top-up credited twice; a member that is not there */
  g_assert_cmpint (raw_try (db, "INSERT INTO stored_value_move (member_id, kind, paid_fen,"
                                " bonus_fen, reference, who, at) VALUES (1, 'topup', 1000, 0,"
                                " 'T1', 'x', 1)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "INSERT INTO stored_value_move (member_id, kind, paid_fen,"
                                " bonus_fen, reference, who, at) VALUES (7, 'topup', 1000, 0,"
                                " 'T7', 'x', 1)"),
                   ==, SQLITE_CONSTRAINT);
  /* append-only */
  g_assert_cmpint (raw_try (db, "UPDATE stored_value_move SET paid_fen = 99999"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "DELETE FROM stored_value_move"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "UPDATE points_move SET points = 99999"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_try (db, "DELETE FROM points_move"), ==, SQLITE_CONSTRAINT);
  /* the sums are index scans */
  {
    g_autofree char *plan = raw_rows (db, "EXPLAIN QUERY PLAN SELECT SUM (paid_fen),"
                                          " SUM (bonus_fen) FROM stored_value_move"
                                          " WHERE member_id = 1");

    g_assert_nonnull (strstr (plan, "USING COVERING INDEX stored_value_move_balance"));
  }
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM stored_value_move"), ==, 3);
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM points_move"), ==, 1);
  sqlite3_close (db);
  assert_balance (store, zhang, 900, 0, 10);
}

/* ------------------------------------------------------------ the property test */

#define PROP_MEMBERS 3

typedef struct
{
  gint64 id;
  gint64 paid, bonus, points;
} ModelMember;

typedef struct
{
  gint64 id;
  int member;
  gint64 left_paid, left_bonus;
} ModelSpend;

typedef struct
{
  gint64 earned_left; /* what the sale's earn can still be reversed by */
  int member;
  char *reference;
} ModelEarn;

static void
model_earn_free (gpointer p)
{
  ModelEarn *e = p;

  g_free (e->reference);
  g_free (e);
}

static const TillTopupRule prop_rules[] = {
  { 0, 10000, 800 },
  { 0, 20000, 2000 },
  { 0, 50000, 8000 },
};

/* The bonus a top-up earns, computed here without the store or its rule function. */
static gint64
model_bonus (gint64 pay)
{
  gint64 bonus = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (prop_rules); i++)
    if (pay >= prop_rules[i].pay_fen && prop_rules[i].bonus_fen > bonus)
      bonus = prop_rules[i].bonus_fen;
  return bonus;
}

/* Each member's balances by SQL of the test's own connection, against the store's API and
 * the model; none below zero. */
static void
check_books (TillStore *store, sqlite3 *raw, const ModelMember *members)
{
  g_autoptr (GError) error = NULL;
  gint64 all_paid = 0, all_bonus = 0, liability_paid = -1, liability_bonus = -1;

  for (int i = 0; i < PROP_MEMBERS; i++)
    {
      sqlite3_stmt *stmt = NULL;
      gint64 paid, bonus, points;

      g_assert_cmpint (
          sqlite3_prepare_v2 (
              raw,
              "SELECT (SELECT TOTAL (paid_fen) FROM stored_value_move WHERE member_id = ?1),"
              " (SELECT TOTAL (bonus_fen) FROM stored_value_move WHERE member_id = ?1),"
              " (SELECT TOTAL (points) FROM points_move WHERE member_id = ?1)",
              -1, &stmt, NULL),
          ==, SQLITE_OK);
      sqlite3_bind_int64 (stmt, 1, members[i].id);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      paid = sqlite3_column_int64 (stmt, 0);
      bonus = sqlite3_column_int64 (stmt, 1);
      points = sqlite3_column_int64 (stmt, 2);
      sqlite3_finalize (stmt);

      g_assert_cmpint (paid, ==, members[i].paid);
      g_assert_cmpint (bonus, ==, members[i].bonus);
      g_assert_cmpint (points, ==, members[i].points);
      g_assert_cmpint (paid, >=, 0);
      g_assert_cmpint (bonus, >=, 0);
      g_assert_cmpint (points, >=, 0);
      assert_balance (store, members[i].id, paid, bonus, points);
      all_paid += paid;
      all_bonus += bonus;
    }
  /* what the shop owes, all members together */
  g_assert_true (
      till_store_stored_value_liability (store, &liability_paid, &liability_bonus, &error));
  g_assert_no_error (error);
  g_assert_cmpint (liability_paid, ==, all_paid);
  g_assert_cmpint (liability_bonus, ==, all_bonus);
}

static gint64
rows_now (sqlite3 *raw)
{
  return raw_int (raw, "SELECT (SELECT count (*) FROM stored_value_move)"
                       " + (SELECT count (*) FROM points_move)");
}

static void
test_property (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GPtrArray) earns = g_ptr_array_new_with_free_func (model_earn_free);
  g_autoptr (GArray) spends = g_array_new (FALSE, TRUE, sizeof (ModelSpend));
  const char *seed_env = g_getenv ("TILL_STORED_VALUE_SEED");
  guint32 seed
      = seed_env != NULL ? (guint32)g_ascii_strtoull (seed_env, NULL, 10) : g_random_int ();
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  ModelMember members[PROP_MEMBERS] = { 0 };
  guint counts[8] = { 0 }, refused = 0;
  int steps = g_test_slow () ? 3000 : 600;
  sqlite3 *raw;

  g_printerr ("# stored-value property seed %u (TILL_STORED_VALUE_SEED=%u repeats it)\n", seed,
              seed);
  g_test_message ("seed %u", seed);
  for (gsize i = 0; i < G_N_ELEMENTS (prop_rules); i++)
    add_rule (store, prop_rules[i].pay_fen, prop_rules[i].bonus_fen);
  for (int i = 0; i < PROP_MEMBERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Member %d", i);

      members[i].id = add_member (store, name);
    }
  raw = raw_open (dir->path);

  for (int step = 0; step < steps; step++)
    {
      g_autoptr (GError) error = NULL;
      int mi = g_rand_int_range (rand, 0, PROP_MEMBERS);
      ModelMember *m = &members[mi];
      gint64 total = m->paid + m->bonus;
      gint64 before = rows_now (raw);
      g_autofree char *ref = g_strdup_printf ("S%d", step);
      int op = g_rand_int_range (rand, 0, 8);
      gboolean ok = FALSE;

      counts[op]++;
      switch (op)
        {
        case 0: /* top-up, now and then of a sale already credited */
          {
            gint64 pay = g_rand_int_range (rand, 1, 60001);
            gint64 bonus = -1;
            gboolean again = step > 0 && g_rand_int_range (rand, 0, 10) == 0;
            g_autofree char *tref = g_strdup_printf ("T%d", again ? 0 : step);

            gboolean credited = raw_int (raw, "SELECT count (*) FROM stored_value_move"
                                              " WHERE reference = 'T0'")
                                > 0;

            ok = till_store_stored_value_topup (store, m->id, pay, tref, "Li", &bonus, &error);
            if (again && credited)
              {
                g_assert_false (ok);
                g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
                break;
              }
            g_assert_no_error (error);
            g_assert_true (ok);
            g_assert_cmpint (bonus, ==, model_bonus (pay));
            m->paid += pay;
            m->bonus += bonus;
          }
          break;

        case 1: /* spend, sometimes more than held */
        case 2:
          {
            gint64 amount = g_rand_int_range (rand, 1, (gint32)MIN (total * 6 / 5 + 2, G_MAXINT32));
            gint64 paid = -1, bonus = -1, id;

            id = till_store_stored_value_spend (store, m->id, amount, ref, "Li", &paid, &bonus,
                                                &error);
            if (amount > total)
              {
                g_assert_cmpint (id, ==, 0);
                g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
                break;
              }
            g_assert_no_error (error);
            g_assert_cmpint (id, >, 0);
            ok = TRUE;
            g_assert_cmpint (paid + bonus, ==, amount);
            g_assert_cmpint (paid, >=, 0);
            g_assert_cmpint (bonus, >=, 0);
            g_assert_cmpint (paid, <=, m->paid);
            g_assert_cmpint (bonus, <=, m->bonus);
            /* in proportion: the bonus part within half a fen of amount × bonus / total */
            g_assert_cmpint (ABS (bonus * 2 * total - 2 * amount * m->bonus), <=, total);
            m->paid -= paid;
            m->bonus -= bonus;
            {
              ModelSpend s = { id, mi, paid, bonus };

              g_array_append_val (spends, s);
            }
          }
          break;

        case 3: /* refund of a spend, sometimes more than is left of it */
          {
            ModelSpend *s;
            gint64 left, amount, paid = -1, bonus = -1, id;

            if (spends->len == 0)
              break;
            s = &g_array_index (spends, ModelSpend, g_rand_int_range (rand, 0, spends->len));
            m = &members[s->member];
            left = s->left_paid + s->left_bonus;
            amount = g_rand_int_range (rand, 1, (gint32)(left * 6 / 5 + 2));
            if (g_rand_boolean (rand))
              amount = left > 0 ? left : 1;
            id = till_store_stored_value_refund (store, s->id, amount, ref, "Li", &paid, &bonus,
                                                 &error);
            if (amount > left)
              {
                g_assert_cmpint (id, ==, 0);
                g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
                break;
              }
            g_assert_no_error (error);
            ok = TRUE;
            g_assert_cmpint (paid + bonus, ==, amount);
            g_assert_cmpint (paid, <=, s->left_paid);
            g_assert_cmpint (bonus, <=, s->left_bonus);
            if (amount == left)
              {
                g_assert_cmpint (paid, ==, s->left_paid);
                g_assert_cmpint (bonus, ==, s->left_bonus);
              }
            s->left_paid -= paid;
            s->left_bonus -= bonus;
            m->paid += paid;
            m->bonus += bonus;
          }
          break;

        case 4: /* a manager's adjustment, sometimes below zero */
          {
            gint64 dp = g_rand_int_range (rand, -3000, 3001);
            gint64 db = g_rand_int_range (rand, -500, 501);
            gint64 id;

            if (dp == 0 && db == 0)
              break;
            id = till_store_stored_value_adjust (store, m->id, dp, db, "count", "Li", "Boss",
                                                 &error);
            if (m->paid + dp < 0 || m->bonus + db < 0)
              {
                g_assert_cmpint (id, ==, 0);
                g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
                break;
              }
            g_assert_no_error (error);
            ok = TRUE;
            m->paid += dp;
            m->bonus += db;
          }
          break;

        case 5: /* points earned */
          {
            gint64 points = g_rand_int_range (rand, 1, 500);
            ModelEarn *e = g_new0 (ModelEarn, 1);

            g_assert_cmpint (till_store_points_earn (store, m->id, points, ref, "Li", &error), >,
                             0);
            g_assert_no_error (error);
            ok = TRUE;
            m->points += points;
            e->earned_left = points;
            e->member = mi;
            e->reference = g_strdup (ref);
            g_ptr_array_add (earns, e);
          }
          break;

        case 6: /* points redeemed, sometimes more than held */
          {
            gint64 points = g_rand_int_range (rand, 1, (gint32)(m->points * 6 / 5 + 2));
            gint64 id = till_store_points_redeem (store, m->id, points, ref, "Li", &error);

            if (points > m->points)
              {
                g_assert_cmpint (id, ==, 0);
                g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
                break;
              }
            g_assert_no_error (error);
            ok = TRUE;
            m->points -= points;
          }
          break;

        default: /* points taken back by a refund */
          {
            ModelEarn *e;
            gint64 points, id;

            if (earns->len == 0)
              break;
            e = earns->pdata[g_rand_int_range (rand, 0, earns->len)];
            m = &members[e->member];
            points = g_rand_int_range (rand, 1, (gint32)(e->earned_left * 6 / 5 + 2));
            id = till_store_points_reverse (store, m->id, points, e->reference, "Li", &error);
            if (points > e->earned_left || points > m->points)
              {
                g_assert_cmpint (id, ==, 0);
                g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
                break;
              }
            g_assert_no_error (error);
            ok = TRUE;
            e->earned_left -= points;
            m->points -= points;
          }
          break;
        }
      /* a refusal leaves no row; a move adds its rows (a top-up with a bonus two) */
      if (!ok)
        {
          refused++;
          g_assert_cmpint (rows_now (raw), ==, before);
        }
      else
        g_assert_cmpint (rows_now (raw), >, before);
      check_books (store, raw, members);
    }
  sqlite3_close (raw);
  g_test_message ("%d steps, %u refused; top-ups %u, spends %u, refunds %u, adjustments %u,"
                  " points %u/%u/%u",
                  steps, refused, counts[0], counts[1] + counts[2], counts[3], counts[4], counts[5],
                  counts[6], counts[7]);
  g_assert_cmpuint (refused, >, 0);
}

/* ------------------------------------------------------------ two tills */

#define TILL_ROUNDS 400

typedef struct
{
  const char *path;
  gint64 member_id;
  int till;
  GArray *ids; /* move ids of its spends */
  gint64 spent_paid;
  gint64 spent_bonus;
  guint refused;
  guint failed;       /* anything but "not enough" */
  gboolean topped_up; /* its top-up of the shared sale was credited */
  GMutex *start_lock;
  GCond *start_cond;
  gboolean *started;
} TillThread;

static gpointer
till_thread (gpointer data)
{
  TillThread *t = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (TillStore) store = till_store_open (t->path, &error);
  g_autoptr (GRand) rand = g_rand_new_with_seed ((guint32)t->till * 7919);

  g_assert_no_error (error);
  g_mutex_lock (t->start_lock);
  while (!*t->started)
    g_cond_wait (t->start_cond, t->start_lock);
  g_mutex_unlock (t->start_lock);

  /* both tills credit the same top-up sale at once (a retry after a lost answer): once */
  t->topped_up
      = till_store_stored_value_topup (store, t->member_id, 1000, "SHARED", "Li", NULL, &error);
  if (!t->topped_up && !g_error_matches (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT))
    t->failed++;
  g_clear_error (&error);

  for (int round = 0; round < TILL_ROUNDS; round++)
    {
      g_autofree char *ref = g_strdup_printf ("till%d-%d", t->till, round);
      gint64 paid = 0, bonus = 0, id;

      /* a cashier's moment between sales, so that the tills' spends meet */
      g_usleep (g_rand_int_range (rand, 0, 1500));

      id = till_store_stored_value_spend (store, t->member_id, g_rand_int_range (rand, 1, 700), ref,
                                          ref, &paid, &bonus, &error);
      if (id > 0)
        {
          g_array_append_val (t->ids, id);
          t->spent_paid += paid;
          t->spent_bonus += bonus;
        }
      else if (g_error_matches (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE))
        t->refused++;
      else
        {
          g_printerr ("# till %d: %s\n", t->till, error->message);
          t->failed++;
        }
      g_clear_error (&error);
    }
  return NULL;
}

static void
test_two_tills (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  TillThread t[2];
  GThread *threads[2];
  GMutex lock;
  GCond cond;
  gboolean started = FALSE;
  gint64 zhang, ledger_spends;
  TillMemberBalance b;
  const gint64 paid0 = 200000, bonus0 = 23456;

  zhang = add_member (store, "Zhang");
  g_assert_true (till_store_stored_value_topup (store, zhang, paid0, "T1", "Li", NULL, &error));
  g_assert_cmpint (
      till_store_stored_value_adjust (store, zhang, 0, bonus0, "promotion", "Li", "Boss", &error),
      >, 0);
  g_assert_no_error (error);
  g_clear_object (&store);

  g_mutex_init (&lock);
  g_cond_init (&cond);
  for (int i = 0; i < 2; i++)
    {
      t[i] = (TillThread){ .path = dir->path,
                           .member_id = zhang,
                           .till = i,
                           .ids = g_array_new (FALSE, FALSE, sizeof (gint64)),
                           .start_lock = &lock,
                           .start_cond = &cond,
                           .started = &started };
      threads[i] = g_thread_new ("till", till_thread, &t[i]);
    }
  g_mutex_lock (&lock);
  started = TRUE;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
  for (int i = 0; i < 2; i++)
    g_thread_join (threads[i]);

  store = test_store_open (dir);
  g_assert_true (till_store_member_balance (store, zhang, &b, &error));
  g_assert_no_error (error);
  g_test_message (
      "till 0: %u spends, %u refused; till 1: %u spends, %u refused; left %" G_GINT64_FORMAT
      " + %" G_GINT64_FORMAT,
      t[0].ids->len, t[0].refused, t[1].ids->len, t[1].refused, b.paid_fen, b.bonus_fen);
  g_printerr ("# two tills: %u + %u spends, %u + %u refused, left %" G_GINT64_FORMAT
              " paid + %" G_GINT64_FORMAT " bonus\n",
              t[0].ids->len, t[1].ids->len, t[0].refused, t[1].refused, b.paid_fen, b.bonus_fen);

  /* nothing failed but for the balance; both tills were refused in the end (the money ran
   * out); never below zero; what each till was told it took is what the ledger holds */
  for (int i = 0; i < 2; i++)
    {
      g_assert_cmpuint (t[i].failed, ==, 0);
      g_assert_cmpuint (t[i].ids->len, >, 0);
      for (guint j = 0; j < t[i].ids->len; j++)
        {
          gint64 *id = &g_array_index (t[i].ids, gint64, j);

          g_assert_false (g_hash_table_contains (seen, id));
          g_hash_table_add (seen, id);
        }
    }
  g_assert_cmpuint (t[0].refused + t[1].refused, >, 0);
  g_assert_cmpint (b.paid_fen, >=, 0);
  g_assert_cmpint (b.bonus_fen, >=, 0);
  g_assert_cmpint (t[0].topped_up + t[1].topped_up, ==, 1);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM stored_value_move"
                                     " WHERE reference = 'SHARED'"),
                   ==, 1);
  g_assert_cmpint (t[0].spent_paid + t[1].spent_paid + b.paid_fen, ==, paid0 + 1000);
  g_assert_cmpint (t[0].spent_bonus + t[1].spent_bonus + b.bonus_fen, ==, bonus0);
  ledger_spends = store_int (store, "SELECT count (*) FROM stored_value_move WHERE kind = 'spend'");
  g_assert_cmpint (ledger_spends, ==, g_hash_table_size (seen));
  g_assert_cmpint (store_int (store, "SELECT -SUM (paid_fen) FROM stored_value_move"
                                     " WHERE kind = 'spend'"),
                   ==, t[0].spent_paid + t[1].spent_paid);
  /* the tills took turns (the moves interleave in the ledger), not one after the other */
  {
    g_autofree char *order = store_rows (store, "SELECT substr (reference, 5, 1)"
                                                " FROM stored_value_move WHERE kind = 'spend'"
                                                " ORDER BY id");
    guint switches = 0;

    for (const char *p = order; p[0] != '\0' && p[1] != '\0' && p[2] != '\0'; p += 2)
      if (p[0] != p[2])
        switches++;
    g_printerr ("# two tills: the ledger switches till %u times\n", switches);
    g_assert_cmpuint (switches, >=, 20);
  }
  /* each spend row is the till's own: its reference names the till that got its id */
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *sql
          = g_strdup_printf ("SELECT count (*) FROM stored_value_move"
                             " WHERE kind = 'spend' AND reference LIKE 'till%d-%%'",
                             i);

      g_assert_cmpint (store_int (store, sql), ==, t[i].ids->len);
      g_array_unref (t[i].ids);
    }
  g_mutex_clear (&lock);
  g_cond_clear (&cond);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/stored-value/topup", test_topup);
  g_test_add_func ("/store/stored-value/spend-refund", test_spend_and_refund);
  g_test_add_func ("/store/stored-value/adjust", test_adjust);
  g_test_add_func ("/store/stored-value/points", test_points);
  g_test_add_func ("/store/stored-value/triggers", test_triggers);
  g_test_add_func ("/store/stored-value/property", test_property);
  g_test_add_func ("/store/stored-value/two-tills", test_two_tills);

  return g_test_run ();
}
