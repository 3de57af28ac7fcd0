/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The head office's settings as the Preferences window checks them (till-hq-settings.h):
 * a URI without a password, the store ID, the password file, and the connection test on
 * its thread against a real private PostgreSQL server: no schema, an unknown store, then
 * one that works. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <glib/gstdio.h>

#include "till-hq-settings.h"
#include "till-hq.h"
#include "till-pg-server.h"

static TillPgServer *server;

static void
test_checks (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *uri_pass = NULL;
  g_autofree char *kv_pass = NULL;

  /* no password inside, in either of libpq's forms */
  g_assert_true (till_hq_check_uri ("", &error));
  g_assert_true (till_hq_check_uri ("postgresql://till@hq.example/shop?sslmode=verify-full",
                                    &error));
  g_assert_true (till_hq_check_uri ("host=/run/postgresql dbname=hq user=till", &error));
  g_assert_no_error (error);
  g_assert_false (till_hq_check_uri ("postgresql://till:s3cret@hq.example/shop", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "password file"));
  g_assert_null (strstr (error->message, "s3cret"));
  g_clear_error (&error);
  g_assert_false (till_hq_check_uri ("postgresql://hq.example/shop?password=s3cret", &error));
  g_clear_error (&error);
  g_assert_false (till_hq_check_uri ("host=hq.example password = 's3cret' dbname=shop", &error));
  g_clear_error (&error);
  /* what libpq cannot read */
  g_assert_false (till_hq_check_uri ("postgresql://[::1", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (till_hq_check_uri ("host=hq nonsense_option=1", &error));
  g_clear_error (&error);

  /* store IDs as head office takes them */
  g_assert_true (till_hq_check_store_id ("demo_north", NULL));
  g_assert_true (till_hq_check_store_id ("S01", NULL));
  g_assert_false (till_hq_check_store_id ("", NULL));
  g_assert_false (till_hq_check_store_id ("north 01", NULL));
  g_assert_false (till_hq_check_store_id ("北店", NULL));
  g_assert_false (till_hq_check_store_id ("a23456789012345678901234567890123", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* the password file joins the connection string in its own form */
  uri_pass = till_hq_conninfo_with_passfile ("postgresql://till@hq/shop", "/p/a b");
  g_assert_cmpstr (uri_pass, ==, "postgresql://till@hq/shop?passfile=%2Fp%2Fa%20b");
  g_free (uri_pass);
  uri_pass = till_hq_conninfo_with_passfile ("postgresql://till@hq/shop?sslmode=require", "/p");
  g_assert_cmpstr (uri_pass, ==, "postgresql://till@hq/shop?sslmode=require&passfile=%2Fp");
  kv_pass = till_hq_conninfo_with_passfile ("host=hq dbname=shop", "/p/it's");
  g_assert_cmpstr (kv_pass, ==, "host=hq dbname=shop passfile='/p/it\\'s'");
  g_assert_true (till_hq_check_uri (kv_pass, NULL));
  g_free (kv_pass);
  kv_pass = till_hq_conninfo_with_passfile ("host=hq", "");
  g_assert_cmpstr (kv_pass, ==, "host=hq");
}

static void
test_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Runs the test and waits for it (bounded: 30 s). */
static char *
run_test (const char *uri, const char *password_file, const char *store_id, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  till_hq_test_connection_async (uri, password_file, store_id, NULL, test_done_cb, &result);
  while (result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (result);
  return till_hq_test_connection_finish (result, error);
}

static void
test_connection (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *pwfile = NULL;
  g_autoptr (TillHq) hq = NULL;

  if (server == NULL)
    {
      g_test_skip ("PostgreSQL's server is not installed (Debian: apt-get install postgresql)");
      return;
    }
  uri = till_pg_server_new_database (server, "hq_settings", &error);
  g_assert_no_error (error);

  /* nothing there, then the checks before any connection */
  answer = run_test ("", NULL, "S1", &error);
  g_assert_null (answer);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  answer = run_test (uri, NULL, "bad id", &error);
  g_assert_null (answer);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  answer = run_test ("host=/nonexistent-till-hq dbname=hq", NULL, "S1", &error);
  g_assert_null (answer);
  g_assert_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_CONNECT);
  g_clear_error (&error);

  /* a database without the schema */
  answer = run_test (uri, NULL, "S1", &error);
  g_assert_null (answer);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "tillpoint-hq init"));
  g_clear_error (&error);

  /* the schema, but not the store */
  hq = till_hq_connect (uri, &error);
  g_assert_no_error (error);
  g_assert_true (till_hq_migrate (hq, TRUE, NULL, NULL, &error));
  g_assert_no_error (error);
  answer = run_test (uri, NULL, "S1", &error);
  g_assert_null (answer);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "tillpoint-hq stores add S1"));
  g_clear_error (&error);

  /* the store known: it works, with a password file readable by this user only */
  g_assert_true (till_hq_add_store (hq, "S1", "North", &error));
  g_assert_true (till_hq_add_store (hq, "S2", "South", &error));
  g_assert_no_error (error);
  dir = g_dir_make_tmp ("till-hq-settings-XXXXXX", &error);
  g_assert_no_error (error);
  pwfile = g_build_filename (dir, "pgpass", NULL);
  g_assert_true (g_file_set_contents (pwfile, "*:*:*:*:unused\n", -1, NULL));
  g_assert_cmpint (g_chmod (pwfile, 0644), ==, 0);
  answer = run_test (uri, pwfile, "S1", &error);
  g_assert_null (answer);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (g_chmod (pwfile, 0600), ==, 0);
  answer = run_test (uri, pwfile, "S1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (answer, ==, "Connected: head office knows store S1 (2 stores)");
  g_free (answer);
  answer = run_test (uri, NULL, "S2", &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);

  g_assert_cmpint (g_remove (pwfile), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char **argv)
{
  int status;

  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);
  server = till_pg_server_new_or_skip ();
  g_test_add_func ("/hq/settings/checks", test_checks);
  g_test_add_func ("/hq/settings/test-connection", test_connection);
  status = g_test_run ();
  till_pg_server_free (server);
  return status;
}
