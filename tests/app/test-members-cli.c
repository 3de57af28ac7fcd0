/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tillpoint --export-members (till-members-cli.h) on a real file: a wrong PIN writes no
 * file (audit "refuse:members"); the manager's PIN writes the CSV with a BOM, the full
 * phone number, the level, paid and bonus money, their total and the points (audit
 * "approve:members" and "export:members" by that manager); no database, no export. */
#define G_LOG_DOMAIN "test-members-cli"

#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "till-members-cli.h"
#include "till-people.h"
#include "till-store-members.h"
#include "till-store-stored-value.h"

static GString *printed;

static void
print_cb (const char *text)
{
  g_string_append (printed, text);
}

/* Standard input reads `text` from here on (the PIN a person would type). */
static void
set_stdin (const char *dir, const char *text)
{
  g_autofree char *path = g_build_filename (dir, "stdin.txt", NULL);
  int fd;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  fd = open (path, O_RDONLY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (dup2 (fd, STDIN_FILENO), ==, STDIN_FILENO);
  close (fd);
  clearerr (stdin);
}

static gint64
count (const char *db_path, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
test_export_members_cli (void)
{
  g_autofree char *dir = g_dir_make_tmp ("till-members-cli-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "tillpoint.db", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "members.csv", NULL);
  g_autofree char *empty_dir = g_build_filename (dir, "none", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *line = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TillMember) member = NULL;
  TillMemberFields fields = { .name = "李四", .phone = "139-0013-9000", .active = TRUE };
  gint64 id;

  {
    g_autoptr (TillStore) store = till_store_open (db, &error);
    g_autoptr (TillPeople) people = till_people_new (store);

    g_assert_no_error (error);
    g_assert_cmpint (till_people_add (people, "店长", TILL_ROLE_MANAGER, "4321", "test", &error), >,
                     0);
    fields.level_id = till_store_add_member_level (store, "Gold", 1, 1000, 2, &error);
    id = till_store_add_member (store, &fields, NULL, "test", &error);
    g_assert_cmpint (id, >, 0);
    g_assert_cmpint (
        till_store_stored_value_adjust (store, id, 5000, 500, "opening", "test", "店长", &error), >,
        0);
    g_assert_cmpint (till_store_points_adjust (store, id, 30, "opening", "test", "店长", &error), >,
                     0);
    g_assert_no_error (error);
    member = till_store_get_member (store, id, &error);
  }

  printed = g_string_new (NULL);
  g_set_print_handler (print_cb);

  /* A wrong PIN: nothing written. */
  set_stdin (dir, "0000\n");
  g_assert_cmpint (till_members_export_cli_run (dir, csv_path), ==, 1);
  g_assert_false (g_file_test (csv_path, G_FILE_TEST_EXISTS));

  /* The manager's PIN: the file. */
  set_stdin (dir, "4321\n");
  g_assert_cmpint (till_members_export_cli_run (dir, csv_path), ==, 0);
  /* (The test's log lines come through g_print() too, as "# ..."). */
  g_assert_true (g_str_has_suffix (printed->str,
                                   "\nmembers exported: 1 (UTF-8 with BOM, full phone numbers)\n"));
  g_assert_null (strstr (printed->str, "13900139000"));
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBF"
                                        "code,name,phone,birthday,level,note,active,paid,bonus,"
                                        "stored_value,points,created\r\n"));
  line = g_strdup_printf ("\r\n%s,李四,13900139000,,Gold,,1,50.00,5.00,55.00,30,", member->code);
  g_assert_nonnull (strstr (csv, line));
  g_assert_cmpint (count (db, "SELECT count(*) FROM audit WHERE action = 'refuse:members'"), ==, 1);
  g_assert_cmpint (count (db, "SELECT count(*) FROM audit WHERE action = 'approve:members'"
                              " AND actor = '店长'"),
                   ==, 1);
  g_assert_cmpint (count (db, "SELECT count(*) FROM audit WHERE action = 'export:members'"
                              " AND actor = '店长' AND detail_json = '{\"members\":1}'"),
                   ==, 1);

  /* No database there: refused, nothing made. */
  set_stdin (dir, "4321\n");
  g_assert_cmpint (till_members_export_cli_run (empty_dir, csv_path), ==, 1);
  g_assert_false (g_file_test (empty_dir, G_FILE_TEST_EXISTS));

  g_set_print_handler (NULL);
  g_string_free (printed, TRUE);
  g_unlink (csv_path);
  {
    g_autofree char *in = g_build_filename (dir, "stdin.txt", NULL);
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (in);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_unlink (db);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/members-cli/export", test_export_members_cli);
  return g_test_run ();
}
