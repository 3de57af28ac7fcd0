/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The head office's settings checked as the sender takes them, and its connection test. */
#define G_LOG_DOMAIN "till-hq-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "till-hq-settings.h"
#include "till-hq-sync.h"
#ifdef TILL_HAVE_HQ
#include "till-hq.h"
#endif

gboolean
till_hq_check_store_id (const char *store_id, GError **error)
{
  gsize n = store_id != NULL ? strlen (store_id) : 0;
  gboolean valid = n > 0 && n <= 32;

  for (const char *p = store_id; valid && *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      valid = FALSE;
  if (!valid)
    {
      g_message ("Head office: the store ID is not one head office takes");
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _ ("The head-office store ID “%s” is not valid: use up to 32 letters,"
                      " digits and _"),
                   store_id != NULL ? store_id : "");
    }
  return valid;
}

gboolean
till_hq_check_uri (const char *uri, GError **error)
{
  gboolean has_password = FALSE;

  g_return_val_if_fail (uri != NULL, FALSE);

  if (*uri == '\0')
    return TRUE;
#ifdef TILL_HAVE_HQ
  {
    g_autoptr (GError) parse_error = NULL;

    if (!till_hq_conninfo_parse (uri, &has_password, &parse_error))
      {
        g_message ("Head office: the database setting is not one libpq reads");
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                             parse_error->message);
        return FALSE;
      }
  }
#else
  /* No libpq to read it: the forms libpq documents for a password */
  {
    const char *rest = strstr (uri, "://");
    const char *at = rest != NULL ? strchr (rest + 3, '@') : NULL;
    const char *slash = rest != NULL ? strchr (rest + 3, '/') : NULL;

    if (at != NULL && (slash == NULL || at < slash) && memchr (rest + 3, ':', at - rest - 3))
      has_password = TRUE;
    if (strstr (uri, "password=") != NULL || strstr (uri, "password =") != NULL)
      has_password = TRUE;
  }
#endif
  if (has_password)
    {
      g_message ("Head office: refusing a database setting with a password in it");
      g_set_error_literal (
          error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
          _ ("The head-office database must not hold a password: remove it and put it in the"
             " password file (host:port:database:user:password, readable by you only)"));
      return FALSE;
    }
  return TRUE;
}

char *
till_hq_conninfo_with_passfile (const char *uri, const char *password_file)
{
  g_return_val_if_fail (uri != NULL, NULL);

  if (password_file == NULL || *password_file == '\0')
    return g_strdup (uri);
  if (g_str_has_prefix (uri, "postgresql://") || g_str_has_prefix (uri, "postgres://"))
    {
      g_autofree char *escaped = g_uri_escape_string (password_file, NULL, FALSE);

      return g_strconcat (uri, strchr (uri, '?') != NULL ? "&" : "?", "passfile=", escaped, NULL);
    }
  else
    {
      GString *out = g_string_new (uri);

      g_string_append (out, " passfile='");
      for (const char *p = password_file; *p != '\0'; p++)
        {
          if (*p == '\'' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '\'');
      return g_string_free (out, FALSE);
    }
}

/* ---------------------------------------------------------------- the test */

typedef struct
{
  char *uri;
  char *password_file;
  char *store_id;
} Test;

static void
test_free (Test *test)
{
  g_free (test->uri);
  g_free (test->password_file);
  g_free (test->store_id);
  g_free (test);
}

static void
test_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Test *test = data;
  g_autoptr (GError) error = NULL;

  if (*test->uri == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s",
                               _ ("No head-office database is set"));
      return;
    }
  if (!till_hq_check_uri (test->uri, &error) || !till_hq_check_store_id (test->store_id, &error)
      || (*test->password_file != '\0'
          && !till_hq_check_password_file (test->password_file, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
#ifdef TILL_HAVE_HQ
  {
    g_autofree char *conninfo = till_hq_conninfo_with_passfile (test->uri, test->password_file);
    g_autoptr (TillHq) hq = till_hq_connect (conninfo, &error);
    g_autoptr (GPtrArray) stores = NULL;
    gboolean known = FALSE;
    int version = 0;

    if (hq == NULL || !till_hq_get_schema_version (hq, &version, &error))
      {
        g_message ("Head office: the connection test failed: %s", error->message);
        g_task_return_error (task, g_steal_pointer (&error));
        return;
      }
    if (version == 0)
      {
        g_message ("Head office: the connection test: no schema");
        g_task_return_new_error (
            task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
            _ ("Connected, but the database has no head-office schema: run tillpoint-hq init"));
        return;
      }
    stores = till_hq_list_stores (hq, &error);
    if (stores == NULL)
      {
        g_task_return_error (task, g_steal_pointer (&error));
        return;
      }
    for (guint i = 0; i < stores->len; i++)
      if (g_str_equal (((TillHqStore *)g_ptr_array_index (stores, i))->id, test->store_id))
        known = TRUE;
    if (!known)
      {
        g_message ("Head office: the connection test: store %s is unknown there", test->store_id);
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                 _ ("Connected, but head office does not know store %s: add it"
                                    " there (tillpoint-hq stores add %s NAME)"),
                                 test->store_id, test->store_id);
        return;
      }
    g_message ("Head office: the connection test works (store %s)", test->store_id);
    g_task_return_pointer (task,
                           g_strdup_printf (_ ("Connected: head office knows store %s (%u stores)"),
                                            test->store_id, stores->len),
                           g_free);
  }
#else
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s",
                           _ ("This build has no PostgreSQL client: it cannot reach head office"));
#endif
}

void
till_hq_test_connection_async (const char *uri, const char *password_file, const char *store_id,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Test *test = g_new0 (Test, 1);

  test->uri = g_strdup (uri != NULL ? uri : "");
  test->password_file = g_strdup (password_file != NULL ? password_file : "");
  test->store_id = g_strdup (store_id != NULL ? store_id : "");
  g_task_set_source_tag (task, till_hq_test_connection_async);
  g_task_set_task_data (task, test, (GDestroyNotify)test_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, test_thread);
}

char *
till_hq_test_connection_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
