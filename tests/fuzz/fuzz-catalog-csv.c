/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the catalog CSV import (src/store/till-store-import.c) end to end: the
 * encoding detection (UTF-16 refused, UTF-8 with or without a BOM, else GB18030), the
 * RFC 4180 parser, the header and every row's checks, then the import into a real store
 * (one SQLite file for the process, in a scratch directory; an import is all or nothing,
 * so a refused file leaves it as it was). */
#define G_LOG_DOMAIN "till-fuzz"
#include "config.h"

#include <stdio.h>

#include "till-fuzz.h"
#include "till-store.h"

static TillStore *store;
static char *csv_path;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = NULL;

  till_fuzz_init ();
  db = g_build_filename (till_fuzz_scratch_dir (), "till.db", NULL);
  csv_path = g_build_filename (till_fuzz_scratch_dir (), "catalog.csv", NULL);
  store = till_store_open (db, &error);
  g_assert_no_error (error);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) row_errors = NULL;
  TillImportSummary summary = { 0 };
  gboolean ok;

  FILE *file = fopen (csv_path, "wb");

  /* Not g_file_set_contents: it syncs the disk for every input. */
  if (file == NULL || fwrite (data, 1, size, file) != size || fclose (file) != 0)
    g_error ("cannot write %s", csv_path);

  ok = till_store_import_catalog_csv_full (store, csv_path, 0, &summary, &row_errors, &error);
  g_assert_true (ok != (error != NULL));
  if (ok)
    {
      g_assert_null (row_errors);
      g_assert_nonnull (summary.encoding);
    }
  else if (row_errors != NULL)
    {
      g_assert_cmpuint (row_errors->len, >, 0);
      for (guint i = 0; i < row_errors->len; i++)
        {
          TillImportError *e = g_ptr_array_index (row_errors, i);
          g_assert_cmpuint (e->line, >=, 1);
          g_assert_nonnull (e->reason);
          g_assert_true (g_utf8_validate (e->reason, -1, NULL));
          g_assert_true (e->column == NULL || g_utf8_validate (e->column, -1, NULL));
        }
    }
  till_import_summary_clear (&summary);
  return 0;
}
