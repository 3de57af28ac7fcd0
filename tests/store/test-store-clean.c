/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests: the clean-close mark that lets a start skip the whole-database check (issue 20). */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "till-store-clean.h"
#include "till-store.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("till-clean-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "tillpoint.db", NULL);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  const char *suffixes[] = { "", "-wal", "-shm", TILL_STORE_CLEAN_SUFFIX };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *p = g_strconcat (f->path, suffixes[i], NULL);
      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* A store with a sale's worth of writes, closed cleanly. */
static void
close_cleanly (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = till_store_open (f->path, &error);

  g_assert_no_error (error);
  g_assert_true (till_store_seed_demo_catalog (store, &error));
  g_assert_no_error (error);
  g_assert_true (till_store_clean_close (store, &error));
  g_assert_no_error (error);
  /* Writes after the mark fail instead of changing the file. */
  g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*readonly database*");
  g_assert_false (till_store_seed_demo_catalog (store, &error));
  g_test_assert_expected_messages ();
  g_assert_nonnull (error);
}

static void
test_clean_close_then_take (Fixture      *f,
                            gconstpointer data)
{
  g_autofree char *mark = g_strconcat (f->path, TILL_STORE_CLEAN_SUFFIX, NULL);

  /* No mark: not clean (a first start, a crash). */
  g_assert_false (till_store_clean_take (f->path));
  close_cleanly (f);
  g_assert_true (g_file_test (mark, G_FILE_TEST_EXISTS));
  g_assert_true (till_store_clean_take (f->path));
  /* Taken: the mark is gone, so a crash of this run leaves none. */
  g_assert_false (g_file_test (mark, G_FILE_TEST_EXISTS));
  g_assert_false (till_store_clean_take (f->path));
}

static void
test_write_after_mark (Fixture      *f,
                       gconstpointer data)
{
  sqlite3 *db = NULL;

  close_cleanly (f);
  /* Another program writes the file (a command-line job, a tool): the start checks. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE product SET price_fen = price_fen + 1", NULL, NULL,
                                 NULL), ==, SQLITE_OK);
  /* Still open: its write is in the -wal. */
  g_assert_false (till_store_clean_take (f->path));
  sqlite3_close (db);
}

static void
test_replaced_file (Fixture      *f,
                    gconstpointer data)
{
  g_autofree char *copy = g_strconcat (f->path, ".copy", NULL);
  g_autofree char *contents = NULL;
  gsize len = 0;

  close_cleanly (f);
  /* The same bytes in another file put in its place (a restore, a copy): checked. */
  g_assert_true (g_file_get_contents (f->path, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (copy, contents, len, NULL));
  g_assert_cmpint (g_rename (copy, f->path), ==, 0);
  g_assert_false (till_store_clean_take (f->path));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/store/clean/close-then-take", Fixture, NULL, fixture_set_up,
              test_clean_close_then_take, fixture_tear_down);
  g_test_add ("/store/clean/write-after-mark", Fixture, NULL, fixture_set_up,
              test_write_after_mark, fixture_tear_down);
  g_test_add ("/store/clean/replaced-file", Fixture, NULL, fixture_set_up,
              test_replaced_file, fixture_tear_down);
  return g_test_run ();
}
