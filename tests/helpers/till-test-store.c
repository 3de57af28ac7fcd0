/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper: a real store in a temporary directory, and its removal. */
#define G_LOG_DOMAIN "till-test"

#include "config.h"

#include <glib/gstdio.h>

#include "till-test-store.h"

TillStore *
till_test_store_open_tmp (const char  *tmpl,
                          char       **out_dir,
                          char       **out_db_path)
{
  g_autoptr(GError) error = NULL;
  TillStore *store;

  *out_dir = g_dir_make_tmp (tmpl, &error);
  g_assert_no_error (error);
  *out_db_path = g_build_filename (*out_dir, "tillpoint.db", NULL);
  store = till_store_open (*out_db_path, &error);
  g_assert_no_error (error);
  return store;
}

void
till_test_store_remove_tmp (const char *dir,
                            const char *db_path)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *p = g_strconcat (db_path, suffixes[i], NULL);
      g_remove (p);
    }
  g_rmdir (dir);
}
