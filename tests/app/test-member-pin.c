/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The member's PIN as the confirmation of a payment from the card (issue 16), through
 * TillCheckout on a real SQLite file, both ways of the setting "member-confirm": "phone"
 * takes the phone's last four digits and not the PIN; "pin" refuses a member without a
 * PIN, refuses the phone's digits and a wrong PIN, takes the right one, and locks the card
 * after five wrong PINs in a row (the right PIN refused too, nothing paid) until a new PIN
 * is set. The PIN is never in the database in clear, nor in the audit log, nor in the log. */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "till-member-pin.h"
#include "till-pin.h"
#include "till-store-member-pin.h"
#include "till-store-members.h"
#include "till-store-stored-value.h"
#include "till-test-app.h"

#define EGG_PLU "8001" /* 茶叶蛋, ¥2.00 a piece */
#define PIN "97531"

static GString *logged;

static GLogWriterOutput
capture_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  for (gsize i = 0; logged != NULL && i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
      {
        g_string_append (logged, fields[i].value);
        g_string_append_c (logged, '\n');
      }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static gint64
file_int (TillTestApp *app, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 v;

  g_assert_cmpint (sqlite3_open_v2 (app->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

static gint64
add_member (TillTestApp *app)
{
  g_autoptr (GError) error = NULL;
  TillMemberFields f = { "张伟", "138-0013-8000", NULL, 0, NULL, TRUE };
  gint64 id = till_store_add_member (app->store, &f, NULL, "Li", &error);

  g_assert_no_error (error);
  g_assert_true (till_store_stored_value_topup (app->store, id, 5000, "T-1", "Li", NULL, &error));
  g_assert_no_error (error);
  return id;
}

/* A new sale of one egg (¥2.00) with the member on it. */
static TillSale *
member_sale (TillTestApp *app, gint64 member_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TillMember) m = till_store_get_member (app->store, member_id, &error);
  TillSale *sale;

  g_assert_no_error (error);
  till_test_app_scan (app, EGG_PLU);
  g_assert_true (till_checkout_find_member (app->checkout, m->code, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  sale = till_checkout_get_sale (app->checkout);
  g_assert_cmpint (till_sale_get_member_id (sale), ==, member_id);
  g_assert_cmpint (till_checkout_get_due_fen (app->checkout), ==, 200);
  return sale;
}

/* Pays the ¥2.00 from the card with `typed`; whether a payment was written, and the
 * message said contains `said`. */
static void
pay (TillTestApp *app, const char *typed, gboolean paid, const char *said)
{
  g_autoptr (GError) error = NULL;
  gint64 before = file_int (app, "SELECT count (*) FROM payment WHERE method = 'stored_value'");
  guint since = app->messages->len;

  g_assert_true (till_checkout_pay_stored_value (app->checkout, 200, 200, typed, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  if (!till_test_app_said_since (app, since, said))
    g_error ("expected “%s”, the checkout said “%s”", said, till_test_app_last_message (app));
  g_assert_cmpint (file_int (app, "SELECT count (*) FROM payment WHERE method = 'stored_value'"),
                   ==, before + (paid ? 1 : 0));
}

static void
test_phone (void)
{
  g_autoptr (TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *confirm = g_settings_get_string (app->settings, "member-confirm");
  gint64 member;
  TillSale *sale;

  g_assert_cmpstr (confirm, ==, "phone");
  member = add_member (app);
  g_assert_true (till_member_pin_set (app->store, member, "2468", "Li", &error));
  g_assert_no_error (error);

  /* the setting says phone: the PIN is not the phone's digits */
  sale = member_sale (app, member);
  pay (app, "2468", FALSE, "not the last four digits");
  pay (app, "8000", TRUE, "Paid");
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_PAID);
  g_assert_cmpint (file_int (app, "SELECT count (*) FROM audit WHERE action = 'member_pin_wrong'"),
                   ==, 0);
}

static void
test_pin (void)
{
  g_autoptr (TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TillPinRecord) record = NULL;
  gint64 member;
  TillSale *sale;
  TillMemberBalance b;

  logged = g_string_new (NULL);
  g_settings_set_string (app->settings, "member-confirm", "pin");
  member = add_member (app);

  /* no PIN yet */
  sale = member_sale (app, member);
  pay (app, "8000", FALSE, "This member has no PIN yet: set one in the members window");

  /* a PIN of 4 to 6 digits, nothing else */
  g_assert_false (till_member_pin_set (app->store, member, "123", "Li", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (till_member_pin_set (app->store, member, "1234567", "Li", &error));
  g_clear_error (&error);
  g_assert_false (till_member_pin_set (app->store, member, "12a4", "Li", &error));
  g_clear_error (&error);
  g_assert_cmpint (file_int (app, "SELECT count (*) FROM member WHERE pin_hash IS NOT NULL"), ==,
                   0);
  g_assert_true (till_member_pin_set (app->store, member, PIN, "Li", &error));
  g_assert_no_error (error);

  /* stored as PBKDF2 only: the record checks the PIN, the row does not hold it */
  record = till_store_member_get_pin (app->store, member, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (record->iterations, >=, TILL_PIN_MIN_ITERATIONS);
  {
    TillPinHash stored = { record->iterations };
    gboolean match = FALSE;

    memcpy (stored.salt, g_bytes_get_data (record->salt, NULL), sizeof stored.salt);
    memcpy (stored.hash, g_bytes_get_data (record->hash, NULL), sizeof stored.hash);
    g_assert_true (till_pin_verify (PIN, &stored, &match, &error));
    g_assert_true (match);
    g_assert_true (till_pin_verify ("97532", &stored, &match, &error));
    g_assert_false (match);
  }

  /* the phone's digits and a wrong PIN are refused, the right PIN pays */
  pay (app, "8000", FALSE, "That is not the member’s PIN");
  pay (app, "13579", FALSE, "That is not the member’s PIN");
  pay (app, PIN, TRUE, "Paid");
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_PAID);
  /* the two wrong ones were forgotten by the right one */
  g_assert_cmpint (file_int (app, "SELECT count (*) FROM audit WHERE action = 'member_pin_right'"),
                   ==, 1);

  /* five wrong PINs in a row lock the card: the right PIN is refused, nothing paid */
  sale = member_sale (app, member);
  for (guint i = 0; i < 4; i++)
    pay (app, "0000", FALSE, "That is not the member’s PIN");
  pay (app, "0000", FALSE, "Too many wrong PINs. Try again in 15 minutes.");
  pay (app, PIN, FALSE, "Too many wrong PINs. Try again in");
  g_assert_cmpint (till_sale_get_state (sale), !=, TILL_SALE_STATE_PAID);
  g_assert_cmpint (file_int (app, "SELECT count (*) FROM audit WHERE action = 'member_pin_locked'"),
                   ==, 1);
  g_assert_cmpint (file_int (app, "SELECT count (*) FROM audit WHERE action = 'member_pin_wrong'"),
                   ==, 2 + 5);
  g_assert_true (till_store_member_balance (app->store, member, &b, &error));
  g_assert_cmpint (b.paid_fen, ==, 5000 - 200);

  /* a new PIN (the members window, a manager) ends the lock */
  g_assert_true (till_member_pin_set (app->store, member, "2468", "Wang", &error));
  g_assert_no_error (error);
  pay (app, PIN, FALSE, "That is not the member’s PIN");
  pay (app, "2468", TRUE, "Paid");
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_PAID);

  /* never in clear: not in the member's row, not in the audit log, not in the log */
  g_assert_cmpint (file_int (app, "SELECT count (*) FROM member WHERE pin_hash LIKE "
                                  "'pbkdf2-sha256$%' AND length (pin_hash) > 60"),
                   ==, 1);
  g_assert_cmpint (file_int (app, "SELECT count (*) FROM audit WHERE instr (detail_json, '" PIN
                                  "') OR instr (detail_json, '2468') OR instr (actor, '" PIN "')"),
                   ==, 0);
  g_assert_cmpint (file_int (app, "SELECT count (*) FROM audit WHERE action = 'member_pin'"), ==,
                   2);
  g_assert_null (strstr (logged->str, PIN));
  g_assert_null (strstr (logged->str, "2468"));
  g_assert_nonnull (strstr (logged->str, "wrong PIN"));
  g_string_free (g_steal_pointer (&logged), TRUE);
}

int
main (int argc, char *argv[])
{
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/member-pin/setting-phone", test_phone);
  g_test_add_func ("/member-pin/setting-pin", test_pin);
  return g_test_run ();
}
