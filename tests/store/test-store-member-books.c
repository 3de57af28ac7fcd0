/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A member's points ledger and the members export (till-store-member-books.h) on a real
 * file: moves newest first within the limit; the export of every member, active or not,
 * with the full phone, the level, the balances as their ledgers' sums and CSV quoting; no
 * export without a manager; the audit row before the file; no phone in any log line. */
#include "config.h"

#include <string.h>

#include "store-test-util.h"
#include "till-store-member-books.h"
#include "till-store-members.h"
#include "till-store-stored-value.h"

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
add_member (TillStore *store, const char *name, const char *phone, gint64 level_id,
            const char *note, gboolean active)
{
  g_autoptr (GError) error = NULL;
  TillMemberFields f = { name, phone, NULL, level_id, note, active };
  gint64 id = till_store_add_member (store, &f, NULL, "Li", &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
test_points_moves (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) moves = NULL;
  g_autoptr (GPtrArray) one = NULL;
  g_autoptr (GPtrArray) none = NULL;
  gint64 id = add_member (store, "王芳", "13700137000", 0, NULL, TRUE);
  gint64 other = add_member (store, "赵六", "13600136000", 0, NULL, TRUE);
  const TillPointsMove *move;

  g_assert_cmpint (till_store_points_adjust (store, id, 30, "card moved", "Li", "店长", &error), >,
                   0);
  g_assert_cmpint (till_store_points_earn (store, id, 12, "20261203-0001", "Li", &error), >, 0);
  g_assert_cmpint (till_store_points_earn (store, other, 5, "20261203-0002", "Li", &error), >, 0);
  g_assert_no_error (error);

  moves = till_store_points_moves (store, id, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (moves->len, ==, 2);
  move = g_ptr_array_index (moves, 0);
  g_assert_cmpstr (move->kind, ==, "earn");
  g_assert_cmpint (move->points, ==, 12);
  g_assert_cmpstr (move->reference, ==, "20261203-0001");
  g_assert_cmpstr (move->who, ==, "Li");
  g_assert_null (move->reason);
  g_assert_cmpint (move->at, >, 0);
  move = g_ptr_array_index (moves, 1);
  g_assert_cmpstr (move->kind, ==, "adjust");
  g_assert_cmpint (move->points, ==, 30);
  g_assert_true (g_str_has_prefix (move->reference, "audit:"));
  g_assert_cmpstr (move->reason, ==, "card moved");

  one = till_store_points_moves (store, id, 1, &error);
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpint (((TillPointsMove *)g_ptr_array_index (one, 0))->points, ==, 12);
  none = till_store_points_moves (store, 999, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_export (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  g_autofree char *path = test_dir_file (dir, "members.csv");
  g_autofree char *bad_path = g_build_filename (dir->dir, "no", "such", "members.csv", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *code = NULL;
  g_autofree char *line = NULL;
  g_autofree char *audit = NULL;
  gint64 gold, id;
  guint n = 99;

  logged = g_string_new (NULL);
  gold = till_store_add_member_level (store, "Gold", 1, 1000, 2, &error);
  id = add_member (store, "张小明", "138 0013 8000", gold, NULL, TRUE);
  add_member (store, "Old, Friend", "139 0013 9000", 0, "likes \"red\", not blue", FALSE);
  g_assert_cmpint (
      till_store_stored_value_adjust (store, id, 10000, 2000, "opening", "Li", "店长", &error), >,
      0);
  g_assert_cmpint (
      till_store_stored_value_adjust (store, id, -2550, 0, "fix", "Li", "店长", &error), >, 0);
  g_assert_cmpint (till_store_points_adjust (store, id, 50, "opening", "Li", "店长", &error), >, 0);
  g_assert_no_error (error);

  /* No manager, no export: no file, no audit row. */
  g_assert_false (till_store_export_members_csv (store, path, "", &n, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpuint (n, ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM audit WHERE action = 'export:members'"),
                   ==, 0);

  g_assert_true (till_store_export_members_csv (store, path, "店长", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (g_file_get_contents (path, &csv, NULL, &error));
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBF"
                                        "code,name,phone,birthday,level,note,active,paid,bonus,"
                                        "stored_value,points,created\r\n"));
  code = store_text (store, "SELECT code FROM member WHERE name = '张小明'");
  line = g_strdup_printf ("\r\n%s,张小明,13800138000,,Gold,,1,74.50,20.00,94.50,50,", code);
  g_assert_nonnull (strstr (csv, line));
  g_assert_nonnull (
      strstr (csv, ",\"Old, Friend\",13900139000,,,\"likes \"\"red\"\", not blue\",0,0.00,0.00,"
                   "0.00,0,"));
  audit = store_text (store, "SELECT actor || '|' || detail_json FROM audit"
                             " WHERE action = 'export:members'");
  g_assert_cmpstr (audit, ==, "店长|{\"members\":2}");

  /* A file that cannot be written: the error says so; the audit row of the attempt stays. */
  g_assert_false (till_store_export_members_csv (store, bad_path, "店长", &n, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM audit WHERE action = 'export:members'"),
                   ==, 2);

  g_assert_null (strstr (logged->str, "13800138000"));
  g_assert_null (strstr (logged->str, "13900139000"));
  g_assert_nonnull (strstr (logged->str, "Exported 2 members"));
  g_string_free (g_steal_pointer (&logged), TRUE);
}

int
main (int argc, char *argv[])
{
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/member-books/points-moves", test_points_moves);
  g_test_add_func ("/store/member-books/export", test_export);
  return g_test_run ();
}
