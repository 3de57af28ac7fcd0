/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Restoring a backup with a manager's approval (till-restore.h) on real files: refused
 * while a till holds the data directory, without a PIN, with a wrong one (counted against
 * the managers of the current database) and while a payment is unfinished; done with the
 * manager's PIN, the replaced database kept aside; over a damaged database, a manager of
 * the backup approves. */
#define G_LOG_DOMAIN "test-restore"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "till-people.h"
#include "till-restore.h"
#include "till-store-backup.h"
#include "till-store-dirlock.h"
#include "till-store-payments.h"

typedef struct
{
  char *dir;       /* the data directory */
  char *db;
  char *backups;
  char *backup;    /* made with one paid sale and the manager 店长 (PIN 4321) */
} Fixture;

static gint64
count (const char *db_path,
       const char *sql)
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
sell (TillStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = till_store_next_sale_number (store, g_get_real_time (), &error);
  g_autoptr(TillSale) sale = till_sale_new (number);
  g_autoptr(TillSaleLine) line = till_sale_line_new (0, NULL, "可乐", "瓶", 350, 1000, FALSE);

  till_sale_set_opened_at (sale, g_get_real_time ());
  g_assert_cmpuint (till_sale_add_line (sale, line, &error), !=, G_MAXUINT);
  g_assert_true (till_store_complete_cash_sale (store, sale, 350, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = NULL;
  g_autoptr(TillPeople) people = NULL;

  f->dir = g_dir_make_tmp ("till-restore-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "tillpoint.db", NULL);
  f->backups = g_build_filename (f->dir, "backups", NULL);
  g_assert_cmpint (g_mkdir (f->backups, 0700), ==, 0);

  store = till_store_open (f->db, &error);
  g_assert_no_error (error);
  people = till_people_new (store);
  g_assert_cmpint (till_people_add (people, "店长", TILL_ROLE_MANAGER, "4321", "setup", &error),
                   >, 0);
  g_assert_no_error (error);
  sell (store);
  f->backup = till_store_backup_make (store, f->backups, "01", 5, NULL, &error);
  g_assert_no_error (error);
  /* After the backup: a second sale, which a restore takes back. */
  sell (store);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->backups);
  g_free (f->backup);
}

static void
test_refusals (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *aside = NULL;

  /* A manager's PIN is asked: the current database has one. */
  g_assert_true (till_restore_needs_pin (f->dir, f->backup, &error));
  g_assert_no_error (error);

  /* A till runs on the directory. */
  {
    g_autoptr(TillStoreDirLock) lock = till_store_dir_lock_acquire (f->dir, NULL, &error);

    g_assert_no_error (error);
    g_assert_false (till_restore_backup (f->dir, f->backup, "4321", &aside, &error));
    g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_IN_USE);
    g_clear_error (&error);
  }

  /* No PIN, a wrong PIN: refused, and the wrong one is counted in the current database. */
  g_assert_false (till_restore_backup (f->dir, f->backup, NULL, &aside, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_false (till_restore_backup (f->dir, f->backup, "9999", &aside, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM audit WHERE action = 'refuse:settings'"),
                   ==, 1);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM sale"), ==, 2);
  g_assert_null (aside);

  /* A payment whose outcome is open: refused whatever the PIN. */
  {
    g_autoptr(TillStore) store = till_store_open (f->db, &error);
    g_autofree char *number = till_store_next_sale_number (store, g_get_real_time (), &error);
    g_autoptr(TillSale) sale = till_sale_new (number);
    g_autoptr(TillSaleLine) line = till_sale_line_new (0, NULL, "茶", "瓶", 500, 1000, FALSE);
    g_autofree char *out_trade_no = NULL;

    till_sale_set_opened_at (sale, g_get_real_time ());
    till_sale_add_line (sale, line, &error);
    g_assert_true (till_store_save_sale (store, sale, "cashier", "01", &error));
    g_assert_cmpint (till_store_payment_begin (store, till_sale_get_id (sale),
                                               TILL_PAYMENT_METHOD_ALIPAY_CODE, 500, "S1",
                                               "D1", "1234", g_get_real_time (), 0,
                                               &out_trade_no, &error), >, 0);
    g_assert_no_error (error);
  }
  g_assert_false (till_restore_backup (f->dir, f->backup, "4321", &aside, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM sale"), ==, 3);
  g_assert_null (aside);
}

static void
test_restored (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *aside = NULL;

  g_assert_true (till_restore_backup (f->dir, f->backup, "4321", &aside, &error));
  g_assert_no_error (error);
  g_assert_nonnull (aside);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM sale"), ==, 1);
  g_assert_cmpint (count (aside, "SELECT count(*) FROM sale"), ==, 2);
  /* The approval is in the database that was replaced (its managers approved). */
  g_assert_cmpint (count (aside, "SELECT count(*) FROM audit WHERE action = 'approve:settings'"
                                 " AND detail_json LIKE '%restore%'"), ==, 1);
  /* Nothing left behind but the two databases and the backups. */
  {
    g_autoptr(GDir) d = g_dir_open (f->dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (d)) != NULL)
      g_assert_false (g_str_has_prefix (name, ".tillpoint-restoring-"));
  }
}

static void
test_over_damaged (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *aside = NULL;

  /* The damaged file is warned about at each look (the check, the restore): logged, not
   * fatal here. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_assert_true (g_file_set_contents (f->db, "garbage, not a database", -1, &error));
  g_assert_no_error (error);

  /* The backup's manager approves: a wrong PIN is refused, the right one restores. */
  g_assert_false (till_restore_backup (f->dir, f->backup, "1111", &aside, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_true (till_restore_backup (f->dir, f->backup, "4321", &aside, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM sale"), ==, 1);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM audit WHERE action = 'approve:settings'"),
                   ==, 1);
  {
    g_autofree char *kept = NULL;

    g_assert_true (g_file_get_contents (aside, &kept, NULL, NULL));
    g_assert_cmpstr (kept, ==, "garbage, not a database");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/app/restore/refusals", Fixture, NULL, fixture_set_up, test_refusals,
              fixture_tear_down);
  g_test_add ("/app/restore/restored", Fixture, NULL, fixture_set_up, test_restored,
              fixture_tear_down);
  g_test_add ("/app/restore/over-damaged", Fixture, NULL, fixture_set_up, test_over_damaged,
              fixture_tear_down);
  return g_test_run ();
}
