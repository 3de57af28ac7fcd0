/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A member's PIN hash in the store (issue 16) on a real file: the encoding of the staff
 * PIN's record in member.pin_hash, set and cleared with audit rows "member_pin" that hold
 * neither the PIN's hash nor its salt, and the wrong-PIN lock read from the audit log (five
 * wrong in a row lock the card for the lock time, a right one or a new PIN starts again),
 * on the store's clock. */
#include "config.h"

#include "store-test-util.h"
#include "till-store-member-pin.h"
#include "till-store-members.h"

#define LOCK_US ((gint64)15 * 60 * G_USEC_PER_SEC)

static gint64 fake_now = G_GINT64_CONSTANT (1796000000) * G_USEC_PER_SEC;

static gint64
clock_cb (gpointer data)
{
  return fake_now;
}

static GBytes *
bytes_of (guint8 first, gsize len)
{
  g_autofree guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8)(first + i * 7);
  return g_bytes_new (data, len);
}

static gint64
add_member (TillStore *store, const char *name, const char *phone)
{
  g_autoptr (GError) error = NULL;
  TillMemberFields f = { name, phone, NULL, 0, NULL, TRUE };
  gint64 id = till_store_add_member (store, &f, NULL, "Li", &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
test_encoding (void)
{
  g_autoptr (GBytes) salt = bytes_of (3, 16);
  g_autoptr (GBytes) hash = bytes_of (9, 32);
  g_autoptr (GBytes) short_hash = bytes_of (9, 31);
  g_autofree char *encoded = till_member_pin_encode (120000, salt, hash);
  g_autoptr (TillPinRecord) record = NULL;

  g_assert_nonnull (encoded);
  g_assert_true (g_str_has_prefix (encoded, "pbkdf2-sha256$120000$"));
  record = till_member_pin_decode (7, encoded);
  g_assert_nonnull (record);
  g_assert_cmpint (record->person_id, ==, 7);
  g_assert_cmpuint (record->iterations, ==, 120000);
  g_assert_true (g_bytes_equal (record->salt, salt));
  g_assert_true (g_bytes_equal (record->hash, hash));

  /* what the staff PINs refuse, this refuses too */
  g_assert_null (till_member_pin_encode (99999, salt, hash));
  g_assert_null (till_member_pin_encode (120000, salt, short_hash));
  g_assert_null (till_member_pin_decode (7, "pbkdf2-sha256$120000$AAAA"));
  g_assert_null (till_member_pin_decode (7, "md5$120000$AAAAAAAAAAAAAAAAAAAAAA==$AA=="));
  g_assert_null (till_member_pin_decode (7, "pbkdf2-sha256$12$AAAA$AAAA"));
  g_assert_null (till_member_pin_decode (7, ""));
}

static void
test_set_clear_audit (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) salt = bytes_of (3, 16);
  g_autoptr (GBytes) hash = bytes_of (9, 32);
  g_autoptr (TillPinRecord) record = NULL;
  g_autofree char *salt64 = g_base64_encode (g_bytes_get_data (salt, NULL), 16);
  g_autofree char *hash64 = g_base64_encode (g_bytes_get_data (hash, NULL), 32);
  gint64 wang = add_member (store, "王芳", "13812341234");
  gboolean has_pin = TRUE;
  sqlite3 *db;

  /* none yet */
  g_assert_true (till_store_member_has_pin (store, wang, &has_pin, &error));
  g_assert_no_error (error);
  g_assert_false (has_pin);
  g_assert_null (till_store_member_get_pin (store, wang, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_assert_cmpstr (error->message, ==, "This member has no PIN yet: set one in the members window");
  g_clear_error (&error);

  /* refused: nobody, no such member, a bad record; nothing written */
  g_assert_false (till_store_member_set_pin_hash (store, wang, 120000, salt, hash, "", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (
      till_store_member_set_pin_hash (store, wang + 50, 120000, salt, hash, "Li", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (till_store_member_set_pin_hash (store, wang, 1000, salt, hash, "Li", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  db = raw_open (dir->path);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM audit WHERE action = 'member_pin'"), ==, 0);

  /* set */
  g_assert_true (till_store_member_set_pin_hash (store, wang, 120000, salt, hash, "Li", &error));
  g_assert_no_error (error);
  g_assert_true (till_store_member_has_pin (store, wang, &has_pin, &error));
  g_assert_true (has_pin);
  record = till_store_member_get_pin (store, wang, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (record->iterations, ==, 120000);
  g_assert_true (g_bytes_equal (record->salt, salt));
  g_assert_true (g_bytes_equal (record->hash, hash));
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM member WHERE pin_hash LIKE "
                                "'pbkdf2-sha256$120000$%'"),
                   ==, 1);
  g_assert_cmpint (raw_int (db,
                            "SELECT count(*) FROM audit WHERE action = 'member_pin'"
                            " AND actor = 'Li' AND json_extract (detail_json, '$.pin') = 'set'"),
                   ==, 1);

  /* cleared */
  g_assert_true (till_store_member_set_pin_hash (store, wang, 0, NULL, NULL, "Zhao", &error));
  g_assert_no_error (error);
  g_assert_true (till_store_member_has_pin (store, wang, &has_pin, &error));
  g_assert_false (has_pin);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM member WHERE pin_hash IS NOT NULL"), ==, 0);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM audit WHERE action = 'member_pin' AND actor"
                                " = 'Zhao' AND json_extract (detail_json, '$.pin') = 'cleared'"),
                   ==, 1);

  /* no audit row holds the hash or the salt */
  {
    g_autofree char *sql = g_strdup_printf (
        "SELECT count(*) FROM audit WHERE instr (detail_json, '%s') OR instr (detail_json, '%s')",
        salt64, hash64);
    g_assert_cmpint (raw_int (db, sql), ==, 0);
  }
  sqlite3_close (db);
}

static void
assert_lock (TillStore *store, gint64 member_id, gint64 locked_until, guint wrong)
{
  g_autoptr (GError) error = NULL;
  gint64 until = -1;
  guint count = 99;

  g_assert_true (till_store_member_pin_lock (store, member_id, LOCK_US, &until, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpint (until, ==, locked_until);
  g_assert_cmpuint (count, ==, wrong);
}

static void
wrong_pin (TillStore *store, gint64 member_id, gint64 expect_locked_until)
{
  g_autoptr (GError) error = NULL;
  gint64 until = -1;

  g_assert_true (
      till_store_member_pin_failure (store, member_id, "Li", 5, LOCK_US, &until, &error));
  g_assert_no_error (error);
  g_assert_cmpint (until, ==, expect_locked_until);
}

static void
test_lock (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) salt = bytes_of (3, 16);
  g_autoptr (GBytes) hash = bytes_of (9, 32);
  gint64 wang = add_member (store, "王芳", "13812341234");
  gint64 li = add_member (store, "李雷", "13900001111");
  gint64 start;
  sqlite3 *db;

  till_store_set_clock_for_testing (clock_cb, NULL);
  start = fake_now;
  g_assert_true (till_store_member_set_pin_hash (store, wang, 120000, salt, hash, "Li", &error));
  g_assert_no_error (error);
  assert_lock (store, wang, 0, 0);

  /* four wrong, then a right one: the count starts again */
  for (guint i = 0; i < 4; i++)
    {
      fake_now += G_USEC_PER_SEC;
      wrong_pin (store, wang, 0);
    }
  assert_lock (store, wang, 0, 4);
  assert_lock (store, li, 0, 0); /* another member's count is theirs */
  g_assert_true (till_store_member_pin_success (store, wang, "Li", LOCK_US, &error));
  g_assert_no_error (error);
  assert_lock (store, wang, 0, 0);

  /* five wrong in a row: locked for the lock time from the fifth */
  for (guint i = 0; i < 4; i++)
    {
      fake_now += G_USEC_PER_SEC;
      wrong_pin (store, wang, 0);
    }
  fake_now += G_USEC_PER_SEC;
  wrong_pin (store, wang, fake_now + LOCK_US);
  assert_lock (store, wang, fake_now + LOCK_US, 0);
  /* a wrong PIN while locked is not counted again and does not lengthen the lock */
  fake_now += 60 * G_USEC_PER_SEC;
  wrong_pin (store, wang, fake_now - 60 * G_USEC_PER_SEC + LOCK_US);
  /* a minute before its end, still locked; at its end, free with no count */
  fake_now += LOCK_US - 2 * 60 * G_USEC_PER_SEC;
  g_assert_cmpint (fake_now, >, start);
  assert_lock (store, wang, fake_now + 60 * G_USEC_PER_SEC, 0);
  fake_now += 60 * G_USEC_PER_SEC;
  assert_lock (store, wang, 0, 0);

  /* wrong PINs older than the lock time are forgotten */
  wrong_pin (store, wang, 0);
  wrong_pin (store, wang, 0);
  fake_now += LOCK_US + G_USEC_PER_SEC;
  assert_lock (store, wang, 0, 0);

  /* a new PIN ends a lock */
  for (guint i = 0; i < 5; i++)
    wrong_pin (store, wang, i < 4 ? 0 : fake_now + LOCK_US);
  g_assert_true (till_store_member_set_pin_hash (store, wang, 120000, salt, hash, "Zhao", &error));
  g_assert_no_error (error);
  assert_lock (store, wang, 0, 0);
  till_store_set_clock_for_testing (NULL, NULL);

  db = raw_open (dir->path);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM audit WHERE action = 'member_pin_locked'"),
                   ==, 2);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM audit WHERE action = 'member_pin_wrong'"), ==,
                   16);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM audit WHERE action = 'member_pin_right'"), ==,
                   1);
  sqlite3_close (db);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/member-pin/encoding", test_encoding);
  g_test_add_func ("/store/member-pin/set-clear-audit", test_set_clear_audit);
  g_test_add_func ("/store/member-pin/lock", test_lock);
  return g_test_run ();
}
