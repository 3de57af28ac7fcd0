/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the fuzz targets: quiet logs with fatal criticals, a scratch directory. */
#define G_LOG_DOMAIN "till-fuzz"
#include "config.h"

#include "till-fuzz.h"

#include <glib/gstdio.h>
#include <stdlib.h>

static char *scratch;

static GLogWriterOutput
writer_cb (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    {
      g_log_writer_standard_streams (level, fields, n_fields, user_data);
      abort ();
    }
  return G_LOG_WRITER_HANDLED;
}

void
till_fuzz_init (void)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;
  g_log_set_writer_func (writer_cb, NULL, NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
remove_scratch (void)
{
  if (scratch != NULL)
    remove_tree (scratch);
}

const char *
till_fuzz_scratch_dir (void)
{
  if (scratch == NULL)
    {
      g_autoptr (GError) error = NULL;

      scratch = g_dir_make_tmp ("till-fuzz-XXXXXX", &error);
      if (scratch == NULL)
        g_error ("no scratch directory: %s", error->message);
      atexit (remove_scratch);
    }
  return scratch;
}
