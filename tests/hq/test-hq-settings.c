/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The head office's settings as the Preferences window checks them (till-hq-settings.h):
 * a URI without a password, the store ID, the password file, and the connection test on
 * its thread against a real private PostgreSQL server: no schema, an unknown store, then
 * one that works. Then what a manager sees of rows head office refuses: a sender of an
 * unknown store, its jobs dead, "Head office: 3 failed", and Retry All once the store is
 * known. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "till-hq-settings.h"
#include "till-hq-sync.h"
#include "till-hq.h"
#include "till-pg-server.h"
#include "till-store-cash.h"
#include "till-store-hq.h"
#include "till-store-outbox.h"
#include "till-test-store.h"

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

/* The sender's warning for a refused batch is what this test expects (counted, not fatal);
 * any other warning fails the test as usual. */
static gint refusals_logged;

static gboolean
is_refusal (const char *domain, const char *message)
{
  return g_strcmp0 (domain, "till-hq-sync") == 0 && message != NULL
         && strstr (message, "was refused, its jobs are dead") != NULL;
}

static gboolean
fatal_cb (const char *domain, GLogLevelFlags level, const char *message, gpointer user_data)
{
  if (is_refusal (domain, message))
    {
      g_atomic_int_inc (&refusals_logged);
      return FALSE;
    }
  return TRUE;
}

/* The sender's domain: the refusal is noted; anything else as GLib would. */
static void
sync_log_cb (const char *domain, GLogLevelFlags level, const char *message, gpointer user_data)
{
  if (is_refusal (domain, message))
    g_test_message ("expected: %s", message);
  else
    g_log_default_handler (domain, level, message, user_data);
}

static GLogWriterOutput
quiet_writer_cb (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* Runs the main loop until `cond` (bounded: 30 s). */
#define WAIT_FOR(cond)                                                                             \
  G_STMT_START                                                                                     \
  {                                                                                                \
    gint64 _deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;                              \
    while (!(cond) && g_get_monotonic_time () < _deadline)                                         \
      g_main_context_iteration (NULL, FALSE), g_usleep (1000);                                     \
    g_assert_true (cond);                                                                          \
  }                                                                                                \
  G_STMT_END

static void
test_dead_and_retry (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *text = NULL;
  g_autoptr (TillHq) hq = NULL;
  g_autoptr (GPtrArray) stores = NULL;
  g_autoptr (GPtrArray) dead = NULL;
  TillStore *store;
  TillHqSync *sync;

  if (server == NULL)
    {
      g_test_skip ("PostgreSQL's server is not installed (Debian: apt-get install postgresql)");
      return;
    }
  /* set for each test case: GLib resets it between them */
  g_test_log_set_fatal_handler (fatal_cb, NULL);
  uri = till_pg_server_new_database (server, "hq_dead", &error);
  g_assert_no_error (error);
  hq = till_hq_connect (uri, &error);
  g_assert_no_error (error);
  g_assert_true (till_hq_migrate (hq, TRUE, NULL, NULL, &error));
  g_assert_true (till_hq_add_store (hq, "S1", "North", &error));
  g_assert_no_error (error);

  store = till_test_store_open_tmp ("till-hq-dead-XXXXXX", &dir, &db_path);
  sync = till_hq_sync_new (store);
  till_hq_sync_set_intervals (sync, 50, 100, 400);
  /* a store head office does not know: its rows are refused */
  g_assert_true (till_hq_sync_configure (sync, uri, NULL, "S9", "01", &error));
  g_assert_no_error (error);
  WAIT_FOR (till_hq_sync_is_applied (sync));
  for (int i = 0; i < 3; i++)
    g_assert_true (till_store_cash_record (store, i == 0 ? TILL_CASH_FLOAT : TILL_CASH_IN,
                                           1000 + i, i == 0 ? NULL : "change", "小李", &error));
  g_assert_no_error (error);
  till_hq_sync_kick (sync);
  WAIT_FOR (till_hq_sync_get_dead (sync) == 3);
  g_assert_cmpint (g_atomic_int_get (&refusals_logged), ==, 1);
  WAIT_FOR (till_hq_sync_get_state (sync) == TILL_HQ_SYNC_UP_TO_DATE);
  text = till_hq_sync_dup_status_text (sync);
  g_assert_cmpstr (text, ==, "Head office: 3 failed");
  dead = till_store_hq_list_dead (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dead->len, ==, 3);
  g_assert_nonnull (strstr (((TillOutboxJob *)g_ptr_array_index (dead, 0))->last_error, "S9"));

  /* the store added at head office, then Retry All: sent, nothing dead, nothing waiting */
  g_assert_true (till_hq_add_store (hq, "S9", "South", &error));
  g_assert_cmpint (till_store_hq_revive_dead (store, g_get_real_time (), &error), ==, 3);
  g_assert_no_error (error);
  till_hq_sync_kick (sync);
  WAIT_FOR (till_store_hq_count_waiting (store, NULL) == 0 && till_hq_sync_get_dead (sync) == 0
            && till_hq_sync_get_state (sync) == TILL_HQ_SYNC_UP_TO_DATE);
  g_assert_cmpint (till_store_hq_count_dead (store, NULL), ==, 0);
  g_free (text);
  text = till_hq_sync_dup_status_text (sync);
  g_assert_cmpstr (text, ==, "Head office: up to date");
  stores = till_hq_list_stores (hq, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < stores->len; i++)
    {
      TillHqStore *s = g_ptr_array_index (stores, i);

      if (g_str_equal (s->id, "S9"))
        {
          g_assert_cmpuint (s->n_tills, ==, 1);
          g_assert_cmpint (s->last_batch_at, >, 0);
        }
    }

  g_object_unref (sync);
  g_object_unref (store);
  till_test_store_remove_tmp (dir, db_path);
}

int
main (int argc, char **argv)
{
  int status;

  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (quiet_writer_cb, NULL, NULL);
  g_log_set_handler ("till-hq-sync", G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL, sync_log_cb, NULL);
  server = till_pg_server_new_or_skip ();
  g_test_add_func ("/hq/settings/checks", test_checks);
  g_test_add_func ("/hq/settings/test-connection", test_connection);
  g_test_add_func ("/hq/settings/dead-and-retry", test_dead_and_retry);
  status = g_test_run ();
  till_pg_server_free (server);
  return status;
}
