/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The tillpoint command line, run as a real process: --version, --import-catalog (good
 * and bad files), a database it cannot open, and a demo that cleans up after itself. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <glib/gstdio.h>

#include "till-store.h"

static const char *tillpoint_path;

typedef struct
{
  int   status;
  char *out;
  char *err;
} RunResult;

static void
run_result_free (RunResult *r)
{
  g_free (r->out);
  g_free (r->err);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RunResult, run_result_free)

static RunResult *
run (const char * const *extra_env,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  RunResult *r = g_new0 (RunResult, 1);
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) tillpoint_path);
  va_start (ap, extra_env);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, extra_env[i], extra_env[i + 1], TRUE);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  r->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process)
                                                   : -1;
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", r->status, r->out, r->err);
  return r;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static char *
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_version (void)
{
  g_autoptr(RunResult) r = run (NULL, "--version", NULL);

  g_assert_cmpint (r->status, ==, 0);
  g_assert_cmpstr (r->out, ==, "tillpoint 0.1.0\n");
}

static void
test_import_good (void)
{
  g_autofree char *dir = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  g_autofree char *csv = write_file (dir, "good.csv",
                                     "barcode,name,price,unit\n"
                                     "6901234567892,测试矿泉水,2.50,瓶\n"
                                     "6909876543212,测试面包,6,个\n");
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *data_arg = g_strconcat ("--data-dir=", data_dir, NULL);
  g_autofree char *import_arg = g_strconcat ("--import-catalog=", csv, NULL);
  g_autofree char *db = g_build_filename (data_dir, "tillpoint.db", NULL);
  g_autoptr(RunResult) r = run (NULL, data_arg, import_arg, NULL);
  g_autoptr(TillStore) store = NULL;
  g_autoptr(TillProduct) product = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_cmpint (r->status, ==, 0);
  g_assert_cmpstr (r->out, ==, "imported 2 products\n");

  /* The data directory is private. */
  g_assert_cmpint (g_stat (data_dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  store = till_store_open (db, &error);
  g_assert_no_error (error);
  product = till_store_lookup_barcode (store, "6901234567892", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (product->name, ==, "测试矿泉水");
  g_assert_cmpint (product->price_fen, ==, 250);
  g_clear_object (&store);

  remove_tree (dir);
}

static void
test_import_bad_rows (void)
{
  g_autofree char *dir = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  g_autofree char *csv = write_file (dir, "bad.csv",
                                     "barcode,name,price\n"
                                     "6901234567892,好的,2.50\n"
                                     "6909876543212,太多小数,12.505\n"
                                     "6905555555552,,3\n");
  g_autofree char *data_arg = g_strconcat ("--data-dir=", dir, NULL);
  g_autofree char *import_arg = g_strconcat ("--import-catalog=", csv, NULL);
  g_autofree char *line3 = g_strconcat (csv, ":3: ", NULL);
  g_autofree char *line4 = g_strconcat (csv, ":4: ", NULL);
  g_autofree char *db = g_build_filename (dir, "tillpoint.db", NULL);
  g_autoptr(RunResult) r = run (NULL, data_arg, import_arg, NULL);
  g_autoptr(TillStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->err, line3));
  g_assert_nonnull (strstr (r->err, line4));
  g_assert_null (strstr (r->err, ":2: "));
  g_assert_null (strstr (r->out, "imported"));

  /* All or nothing. */
  store = till_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (till_store_count_products (store, &error), ==, 0);
  g_clear_object (&store);

  remove_tree (dir);
}

static void
test_import_max_price_setting (void)
{
  /* The setting max-price-fen reaches the import: a real settings file (the keyfile
   * backend) with a bound of ¥5.00. */
  g_autofree char *dir = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  g_autofree char *config = g_build_filename (dir, "config", NULL);
  g_autofree char *settings_dir = g_build_filename (config, "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = NULL;
  g_autofree char *over = write_file (dir, "over.csv",
                                      "barcode,name,price\n"
                                      "6901234567892,测试矿泉水,2.50\n"
                                      "6909876543212,测试面包,5.01\n");
  g_autofree char *at = write_file (dir, "at.csv",
                                    "barcode,name,price\n"
                                    "6909876543212,测试面包,5.00\n");
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *data_arg = g_strconcat ("--data-dir=", data_dir, NULL);
  g_autofree char *over_arg = g_strconcat ("--import-catalog=", over, NULL);
  g_autofree char *at_arg = g_strconcat ("--import-catalog=", at, NULL);
  g_autofree char *line3 = g_strconcat (over, ":3: ", NULL);
  g_autofree char *db = g_build_filename (data_dir, "tillpoint.db", NULL);
  const char *env[] = { "GSETTINGS_BACKEND", "keyfile", "XDG_CONFIG_HOME", config, NULL };
  g_autoptr(RunResult) rejected = NULL;
  g_autoptr(RunResult) accepted = NULL;
  g_autoptr(RunResult) by_default = NULL;
  g_autoptr(TillStore) store = NULL;
  g_autoptr(TillProduct) bread = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (settings_dir, 0700), ==, 0);
  keyfile = write_file (settings_dir, "keyfile",
                        "[io/github/tillpoint/Tillpoint]\nmax-price-fen=500\n");

  rejected = run (env, data_arg, over_arg, NULL);
  g_assert_cmpint (rejected->status, ==, 1);
  g_assert_nonnull (strstr (rejected->err, line3));
  g_assert_nonnull (strstr (rejected->err, "price ¥5.01 is above the highest price allowed "
                                           "(¥5.00); change the setting max-price-fen"));
  g_assert_null (strstr (rejected->out, "imported"));

  accepted = run (env, data_arg, at_arg, NULL);
  g_assert_cmpint (accepted->status, ==, 0);
  g_assert_cmpstr (accepted->out, ==, "imported 1 products\n");

  /* the memory backend of the other tests: the default bound (¥99,999.99) takes 5.01 */
  by_default = run (NULL, data_arg, over_arg, NULL);
  g_assert_cmpint (by_default->status, ==, 0);

  store = till_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (till_store_count_products (store, &error), ==, 2);
  bread = till_store_lookup_barcode (store, "6909876543212", &error);
  g_assert_no_error (error);
  g_assert_cmpint (bread->price_fen, ==, 501);
  g_clear_object (&store);

  remove_tree (dir);
}

static void
test_corrupt_database (void)
{
  g_autofree char *dir = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  g_autofree char *db = write_file (dir, "tillpoint.db",
                                    "this is not a database, it is a shopping list\n");
  g_autofree char *data_arg = g_strconcat ("--data-dir=", dir, NULL);
  g_autoptr(RunResult) r = run (NULL, data_arg, NULL);

  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->err, db));
  g_assert_nonnull (strstr (r->err, "not a Tillpoint database"));

  remove_tree (dir);
}

static void
test_demo_cleans_up (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  /* The demo quits by itself after its first frame (the benchmark hook). */
  const char *env[] = { "TMPDIR", tmp, "TILLPOINT_BENCH_FIRST_FRAME", "1", NULL };
  g_autoptr(RunResult) r = run (env, "--demo", NULL);
  g_autoptr(GDir) dir = NULL;

  g_assert_cmpint (r->status, ==, 0);
  g_assert_nonnull (strstr (r->out, "first-frame-us "));

  /* Its throwaway data directory is gone. */
  dir = g_dir_open (tmp, 0, NULL);
  g_assert_nonnull (dir);
  g_assert_null (g_dir_read_name (dir));
  g_clear_pointer (&dir, g_dir_close);

  remove_tree (tmp);
}

static void
test_report (void)
{
  g_autofree char *dir = g_dir_make_tmp ("till-app-XXXXXX", NULL);
  g_autofree char *data_arg = g_strconcat ("--data-dir=", dir, NULL);
  g_autoptr(RunResult) good = run (NULL, data_arg, "--report=2026-11-21", NULL);
  g_autoptr(RunResult) csv = run (NULL, data_arg, "--report=2026-11-21", "--format=csv", NULL);
  g_autoptr(RunResult) bad = run (NULL, data_arg, "--report=21/11/2026", NULL);

  g_assert_cmpint (good->status, ==, 0);
  g_assert_nonnull (strstr (good->out, "2026-11-21"));
  g_assert_cmpint (csv->status, ==, 0);
  g_assert_nonnull (strchr (csv->out, ','));
  g_assert_cmpint (bad->status, ==, 2);
  g_assert_cmpstr (bad->out, ==, "");
  g_assert_nonnull (strstr (bad->err, "21/11/2026"));

  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  tillpoint_path = g_getenv ("TILLPOINT");
  g_assert_nonnull (tillpoint_path);

  g_test_add_func ("/ui/app/version", test_version);
  g_test_add_func ("/ui/app/import-catalog/good", test_import_good);
  g_test_add_func ("/ui/app/import-catalog/bad-rows", test_import_bad_rows);
  g_test_add_func ("/ui/app/import-catalog/max-price-setting", test_import_max_price_setting);
  g_test_add_func ("/ui/app/corrupt-database", test_corrupt_database);
  g_test_add_func ("/ui/app/demo-cleans-up", test_demo_cleans_up);
  g_test_add_func ("/ui/app/report", test_report);

  return g_test_run ();
}
