/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Backups and restores on real files: a backup made while another connection sells
 * (WAL) restores to the database as it was at the backup's moment; keep-N pruning; a
 * missing backup folder; a damaged database refused and left byte for byte; a restore
 * refused while a payment is unfinished, and one that keeps the current file aside. */
#define G_LOG_DOMAIN "test-store-backup"

#include "config.h"

#include <utime.h>

#include "store-test-util.h"
#include "till-store-backup.h"

/* ---------------------------------------------------------------- helpers */

static gint64
sell_for_cash (TillStore *store,
               guint      n_lines,
               GError   **error)
{
  g_autofree char *number = till_store_next_sale_number (store, till_store_now_us (), error);
  g_autoptr(TillSale) sale = NULL;

  if (number == NULL)
    return 0;
  sale = till_sale_new (number);
  till_sale_set_opened_at (sale, till_store_now_us ());
  for (guint i = 0; i < n_lines; i++)
    {
      g_autofree char *name = g_strdup_printf ("商品 %u", i);
      g_autoptr(TillSaleLine) line = till_sale_line_new (0, NULL, name, "件", 100 + i,
                                                         1000 * (i + 1), FALSE);

      if (till_sale_add_line (sale, line, error) == G_MAXUINT)
        return 0;
    }
  if (!till_store_complete_cash_sale (store, sale, till_sale_get_total_fen (sale), error))
    return 0;
  return till_sale_get_id (sale);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* Rows of `table` (filtered by `where` on both sides) that are in one database and not
 * in the other: 0 when the two agree. `db` has the other attached as "bk". */
static gint64
count_differences (sqlite3    *db,
                   const char *table,
                   const char *where)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT (SELECT count(*) FROM (SELECT * FROM main.%1$s WHERE %2$s"
    "                              EXCEPT SELECT * FROM bk.%1$s WHERE %2$s))"
    "     + (SELECT count(*) FROM (SELECT * FROM bk.%1$s WHERE %2$s"
    "                              EXCEPT SELECT * FROM main.%1$s WHERE %2$s))",
    table, where);

  return raw_int (db, sql);
}

static char *
make_backup_dir (TestDir *dir)
{
  g_autofree char *path = test_dir_file (dir, "backups");

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  return g_steal_pointer (&path);
}

static void
remove_dir_files (const char *path)
{
  g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_assert_cmpint (g_remove (file), ==, 0);
    }
  g_rmdir (path);
}

/* ---------------------------------------------------------------- during sales */

typedef struct
{
  char          *path;
  volatile gint  stop;
  guint          n_sales;
} Writer;

/* Another connection (as another process would) selling one cash sale per transaction
 * as fast as it can. */
static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = till_store_open (writer->path, &error);

  g_assert_no_error (error);
  while (!g_atomic_int_get (&writer->stop))
    {
      g_assert_cmpint (sell_for_cash (store, 1 + writer->n_sales % 4, &error), >, 0);
      g_assert_no_error (error);
      writer->n_sales++;
    }
  return NULL;
}

static void
test_backup_during_sales (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *backups = make_backup_dir (dir);
  g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func (g_free);
  Writer writer = { dir->path, 0, 0 };
  GThread *thread;
  sqlite3 *raw;

  {
    g_autofree char *mode = store_text (store, "PRAGMA journal_mode");

    g_assert_cmpstr (mode, ==, "wal");
  }
  /* Enough pages that a backup takes several steps. */
  for (guint i = 0; i < 500; i++)
    g_assert_cmpint (sell_for_cash (store, 8, &error), >, 0);
  g_assert_no_error (error);
  /* More pages than one step of the backup (64) copies. */
  g_test_message ("%" G_GINT64_FORMAT " pages", store_int (store, "PRAGMA page_count"));
  g_assert_cmpint (store_int (store, "PRAGMA page_count"), >, 2 * 64);

  thread = g_thread_new ("writer", writer_thread, &writer);
  while (g_atomic_int_get ((gint *) &writer.n_sales) < 20)
    g_usleep (1000);
  for (guint i = 0; i < 4; i++)
    {
      char *path = till_store_backup_make (store, backups, "01", 10, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (path);
      g_ptr_array_add (made, path);
      g_usleep (20 * 1000);
    }
  g_atomic_int_set (&writer.stop, 1);
  g_thread_join (thread);
  g_test_message ("the writer sold %u sales during the 4 backups", writer.n_sales);
  g_assert_cmpuint (writer.n_sales, >, 20);

  raw = raw_open (dir->path);
  for (guint i = 0; i < made->len; i++)
    {
      const char *path = g_ptr_array_index (made, i);
      g_autoptr(TestDir) other = test_dir_new ();
      g_autofree char *attach = NULL;
      g_autofree char *upto = NULL;
      g_autofree char *aside = NULL;
      gint64 last_sale;

      g_autofree char *base = g_path_get_basename (path);

      g_assert_true (g_str_has_prefix (base, "tillpoint-01-"));
      g_assert_true (till_store_backup_verify_file (path, &error));
      g_assert_no_error (error);
      /* One self-contained file: no WAL mark in its header, nothing beside it. */
      {
        sqlite3 *bk = raw_open (path);
        g_autofree char *mode = raw_text (bk, "PRAGMA journal_mode");

        g_assert_cmpstr (mode, ==, "delete");
        sqlite3_close (bk);
      }

      /* Restored into an empty data directory, then opened as the till would. */
      g_assert_true (till_store_backup_restore (other->path, path, &aside, &error));
      g_assert_no_error (error);
      g_assert_null (aside);
      {
        g_autoptr(TillStore) restored = till_store_open (other->path, &error);

        g_assert_no_error (error);
        last_sale = store_int (restored, "SELECT max(id) FROM sale");
        g_assert_cmpint (store_int (restored, "SELECT count(*) FROM sale"), ==, last_sale);
      }
      g_assert_cmpint (last_sale, >=, 500);

      /* Every writer transaction only appends a paid sale: the original at the backup's
       * moment is the original up to the backup's last sale, row for row. */
      attach = g_strdup_printf ("ATTACH '%s' AS bk", other->path);
      raw_exec (raw, attach);
      upto = g_strdup_printf ("id <= %" G_GINT64_FORMAT, last_sale);
      g_assert_cmpint (count_differences (raw, "sale", upto), ==, 0);
      g_free (upto);
      upto = g_strdup_printf ("sale_id <= %" G_GINT64_FORMAT, last_sale);
      g_assert_cmpint (count_differences (raw, "sale_line", upto), ==, 0);
      g_assert_cmpint (count_differences (raw, "payment", upto), ==, 0);
      g_assert_cmpint (raw_int (raw, "SELECT count(*) FROM bk.sale"), ==, last_sale);
      g_assert_cmpint (count_differences (raw, "product", "1"), ==, 0);
      g_assert_cmpint (count_differences (raw, "staff", "1"), ==, 0);
      raw_exec (raw, "DETACH bk");
      g_test_message ("backup %u holds %" G_GINT64_FORMAT " sales", i, last_sale);
    }
  sqlite3_close (raw);

  remove_dir_files (backups);
}

/* ---------------------------------------------------------------- keep N, listing */

static void
test_backup_prune (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *backups = make_backup_dir (dir);
  g_autofree char *other_till = g_build_filename (backups, "tillpoint-02-20260101-080000.db",
                                                  NULL);
  g_autofree char *notes = g_build_filename (backups, "notes.txt", NULL);
  g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) list = NULL;

  g_autofree char *stale = g_build_filename (backups, ".tillpoint-01-20260101-080000.db.part",
                                             NULL);
  g_autofree char *fresh = g_build_filename (backups, ".tillpoint-01-20260101-090000.db.part",
                                             NULL);
  struct utimbuf two_hours_ago = { time (NULL) - 7200, time (NULL) - 7200 };

  write_file (other_till, "another till's backup", -1);
  write_file (notes, "the shop's notes", -1);
  /* Temporary files of backups cut short: an old one, and one that may be under way. */
  write_file (stale, "half a copy", -1);
  write_file (fresh, "a copy under way", -1);
  g_assert_cmpint (g_utime (stale, &two_hours_ago), ==, 0);
  g_assert_cmpint (sell_for_cash (store, 2, &error), >, 0);

  /* Five in the same second or two: names stay unique and ordered. */
  for (guint i = 0; i < 5; i++)
    {
      g_ptr_array_add (made, till_store_backup_make (store, backups, "01", 3, NULL, &error));
      g_assert_no_error (error);
    }

  list = till_store_backup_list (backups, "01", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      TillBackupInfo *info = g_ptr_array_index (list, i);

      /* Newest first: the last three made. */
      g_assert_cmpstr (info->path, ==, g_ptr_array_index (made, 4 - i));
      g_assert_cmpstr (info->till_id, ==, "01");
      g_assert_cmpint (info->size, >, 0);
    }
  for (guint i = 0; i < 2; i++)
    g_assert_false (g_file_test (g_ptr_array_index (made, i), G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other_till, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (notes, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (fresh, G_FILE_TEST_EXISTS));

  g_clear_pointer (&list, g_ptr_array_unref);
  list = till_store_backup_list (backups, NULL, &error);
  g_assert_cmpuint (list->len, ==, 4);

  /* The newest good one is found; the other till's file is not a database. */
  {
    g_autoptr(TillBackupInfo) latest = till_store_backup_find_latest_good (backups, NULL,
                                                                           &error);

    g_assert_no_error (error);
    g_assert_nonnull (latest);
    g_assert_cmpstr (latest->path, ==, g_ptr_array_index (made, 4));
  }
  remove_dir_files (backups);
}

static void
test_backup_missing_dir (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *stick = test_dir_file (dir, "usb-stick-not-plugged-in");
  g_autofree char *path = NULL;

  g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*is not there*");
  path = till_store_backup_make (store, stick, "01", 3, NULL, &error);
  g_test_assert_expected_messages ();
  g_assert_null (path);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "USB stick"));
  g_assert_false (g_file_test (stick, G_FILE_TEST_EXISTS));
}

/* ---------------------------------------------------------------- a damaged file */

static void
test_damaged_refused_untouched (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 page_size, n_pages;

  {
    g_autoptr(TillStore) store = test_store_open (dir);

    for (guint i = 0; i < 200; i++)
      g_assert_cmpint (sell_for_cash (store, 6, NULL), >, 0);
    page_size = store_int (store, "PRAGMA page_size");
    n_pages = store_int (store, "PRAGMA page_count");
    g_assert_true (till_store_backup_quick_check (dir->path, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (n_pages, >, 20);

  /* Bytes overwritten in the middle of the file: a page's header and cells. */
  {
    FILE *f = fopen (dir->path, "r+b");
    guchar junk[600];

    memset (junk, 0xA5, sizeof junk);
    g_assert_nonnull (f);
    g_assert_cmpint (fseek (f, page_size * (n_pages / 2), SEEK_SET), ==, 0);
    g_assert_cmpuint (fwrite (junk, 1, sizeof junk, f), ==, sizeof junk);
    g_assert_cmpint (fclose (f), ==, 0);
  }
  before = file_checksum (dir->path);

  g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*quick_check*");
  g_assert_false (till_store_backup_quick_check (dir->path, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT);
  g_test_message ("quick_check said: %s", error->message);
  g_clear_error (&error);
  g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*integrity_check*");
  g_assert_false (till_store_backup_verify_file (dir->path, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  after = file_checksum (dir->path);
  g_assert_cmpstr (before, ==, after);
  /* A file that is no database at all: refused the same way. */
  {
    g_autofree char *junk = test_dir_file (dir, "junk.db");

    write_file (junk, "this is not a database, only some text that is long enough", -1);
    g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*quick_check*");
    g_assert_false (till_store_backup_quick_check (junk, &error));
    g_test_assert_expected_messages ();
    g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT);
    g_clear_error (&error);
  }
}

/* ---------------------------------------------------------------- restoring */

static void
test_restore_refuses_unfinished (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *backups = make_backup_dir (dir);
  g_autofree char *backup = NULL;
  g_autofree char *before = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *out_trade_no = NULL;
  g_autoptr(TillSale) sale = NULL;
  gint64 payment_id;

  {
    g_autoptr(TillStore) store = test_store_open (dir);
    g_autofree char *number = till_store_next_sale_number (store, till_store_now_us (),
                                                           &error);
    g_autoptr(TillSaleLine) line = till_sale_line_new (0, NULL, "可乐", "瓶", 350, 2000,
                                                       FALSE);

    g_assert_cmpint (sell_for_cash (store, 3, &error), >, 0);
    backup = till_store_backup_make (store, backups, "01", 3, NULL, &error);
    g_assert_no_error (error);

    /* After the backup: a sale paid by WeChat Pay whose outcome is still open. */
    sale = till_sale_new (number);
    till_sale_set_opened_at (sale, till_store_now_us ());
    till_sale_add_line (sale, line, &error);
    g_assert_true (till_store_save_sale (store, sale, "cashier", "01", &error));
    payment_id = till_store_payment_begin (store, till_sale_get_id (sale),
                                           TILL_PAYMENT_METHOD_WECHAT_CODE, 700, "S1", "D1",
                                           "1234", till_store_now_us (), 0, &out_trade_no,
                                           &error);
    g_assert_no_error (error);
    g_assert_cmpint (payment_id, >, 0);
  }

  before = file_checksum (dir->path);
  g_assert_false (till_store_backup_restore (dir->path, backup, &aside, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "1 payments whose outcome"));
  g_clear_error (&error);
  g_assert_null (aside);
  {
    g_autofree char *now = file_checksum (dir->path);

    g_assert_cmpstr (before, ==, now);
  }

  /* The payment ends (failed: nothing charged): the restore goes ahead, and the database
   * it replaced is kept aside, whole, with the sale made after the backup. */
  {
    g_autoptr(TillStore) store = test_store_open (dir);

    g_assert_true (till_store_payment_update (store, payment_id, TILL_PAYMENT_STATE_FAILED,
                                              NULL, "declined", &error));
    g_assert_no_error (error);
    g_assert_cmpint (store_int (store, "SELECT count(*) FROM sale"), ==, 2);
  }
  g_assert_true (till_store_backup_restore (dir->path, backup, &aside, &error));
  g_assert_no_error (error);
  g_assert_nonnull (aside);
  {
    g_autofree char *base = g_path_get_basename (aside);

    g_assert_true (g_str_has_prefix (base, "tillpoint-replaced-"));
  }
  {
    g_autoptr(TillStore) restored = test_store_open (dir);
    sqlite3 *old = raw_open (aside);

    g_assert_cmpint (store_int (restored, "SELECT count(*) FROM sale"), ==, 1);
    g_assert_cmpint (store_int (restored, "SELECT count(*) FROM payment"), ==, 1);
    g_assert_cmpint (raw_int (old, "SELECT count(*) FROM sale"), ==, 2);
    g_assert_cmpint (raw_int (old, "SELECT count(*) FROM payment WHERE state = 'failed'"), ==,
                     1);
    sqlite3_close (old);
  }

  /* A damaged backup is refused before anything moves. */
  {
    g_autofree char *bad = test_dir_file (dir, "bad-backup.db");
    g_autofree char *now = NULL;

    write_file (bad, "not a database", -1);
    before = (g_free (before), file_checksum (dir->path));
    g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*integrity_check*");
    g_assert_false (till_store_backup_restore (dir->path, bad, NULL, &error));
    g_test_assert_expected_messages ();
    g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT);
    g_clear_error (&error);
    now = file_checksum (dir->path);
    g_assert_cmpstr (before, ==, now);
  }
  remove_dir_files (backups);
}

/* A damaged database: its payments cannot be known, so the restore replaces it and keeps
 * it aside byte for byte. */
static void
test_restore_over_damaged (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *backups = make_backup_dir (dir);
  g_autofree char *backup = NULL;
  g_autofree char *before = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *aside_sum = NULL;

  {
    g_autoptr(TillStore) store = test_store_open (dir);

    g_assert_cmpint (sell_for_cash (store, 2, &error), >, 0);
    backup = till_store_backup_make (store, backups, "01", 3, NULL, &error);
    g_assert_no_error (error);
  }
  write_file (dir->path, "garbage where the database was", -1);
  before = file_checksum (dir->path);
  g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*quick_check*");
  g_assert_false (till_store_backup_quick_check (dir->path, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*cannot be read*");
  g_assert_true (till_store_backup_restore (dir->path, backup, &aside, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  aside_sum = file_checksum (aside);
  g_assert_cmpstr (aside_sum, ==, before);
  g_assert_true (till_store_backup_quick_check (dir->path, &error));
  g_assert_no_error (error);
  remove_dir_files (backups);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/backup/during-sales", test_backup_during_sales);
  g_test_add_func ("/store/backup/prune", test_backup_prune);
  g_test_add_func ("/store/backup/missing-dir", test_backup_missing_dir);
  g_test_add_func ("/store/backup/damaged-refused-untouched", test_damaged_refused_untouched);
  g_test_add_func ("/store/backup/restore-refuses-unfinished", test_restore_refuses_unfinished);
  g_test_add_func ("/store/backup/restore-over-damaged", test_restore_over_damaged);
  return g_test_run ();
}
