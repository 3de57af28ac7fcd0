/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A main() for a fuzz target outside the fuzzing build: runs every file of the given
 * corpus directories (or the files given) through LLVMFuzzerTestOneInput once, printing
 * TAP. The regular build's `fuzz-replay-*` tests replay the checked-in corpora this way,
 * so every regression seed is checked by gcc's build too. */
#define G_LOG_DOMAIN "till-fuzz"
#include "config.h"

#include "till-fuzz.h"

#include <stdio.h>
#include <stdlib.h>

static void
collect (const char *path, GPtrArray *files)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      collect (child, files);
    }
}

static int
compare_cb (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *)a, *(char *const *)b);
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    collect (argv[i], files);
  g_ptr_array_sort (files, compare_cb);
  if (files->len == 0)
    {
      printf ("1..0 # SKIP no corpus given\n");
      return 0;
    }
  printf ("1..%u\n", files->len);
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *data = NULL;
      gsize len = 0;
      g_autoptr (GError) error = NULL;

      if (!g_file_get_contents (path, &data, &len, &error))
        {
          printf ("not ok %u - %s: %s\n", i + 1, path, error->message);
          continue;
        }
      fflush (stdout);
      LLVMFuzzerTestOneInput ((const uint8_t *)data, len);
      printf ("ok %u - %s\n", i + 1, path);
    }
  fflush (stdout);
  return 0;
}
