/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: the CSV catalog import (till_store_import_catalog_csv_full) of 500,000 rows,
 * beside a bare SQLite insert of the same rows, in the same run.
 *
 * Usage: bench-import CACHE-DIR [N-ROWS]
 *
 * The file is generated once into CACHE-DIR (import-v1-nN.csv, UTF-8 without a BOM:
 * barcode,name,price,unit,plu with unique EAN-13 codes, Chinese names, every tenth row a
 * PLU-only good sold by kg) and reused. Measured, each into a fresh database of the
 * current schema:
 *   import - the whole import: read the file, detect the encoding, parse, check every row,
 *            look each code up and upsert it with its search keys, one transaction;
 *   bare   - INSERT INTO product (the same values, already in memory) with one prepared
 *            statement in one transaction on a connection of its own: no parsing, no
 *            checks, no look-ups, no search keys. */
#define G_LOG_DOMAIN "till-bench"
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "till-bench-stats.h"
#include "till-core.h"
#include "till-store.h"

#define FILE_VERSION "import-v1"

typedef struct
{
  char   barcode[14];
  char   plu[8];
  char  *name;
  gint64 price_fen;
  gboolean weighed;
} Row;

static void
make_row (guint  i,
          Row   *row)
{
  static const char *kinds[] = { "矿泉水", "方便面", "薯片", "酸奶", "饼干", "可乐", "牛奶",
                                 "面包", "火腿肠", "绿茶" };
  static const char *brands[] = { "康师傅", "统一", "农夫山泉", "伊利", "蒙牛", "乐事",
                                  "旺旺", "达利园", "双汇", "娃哈哈" };

  memset (row, 0, sizeof *row);
  row->price_fen = 100 + (gint64) (i * 37 % 9900);
  if (i % 10 == 9)
    {
      g_snprintf (row->plu, sizeof row->plu, "%u", 1000000 + i / 10);
      row->weighed = TRUE;
      row->name = g_strdup_printf ("散装%s %u", kinds[i % 10], i);
      return;
    }
  g_snprintf (row->barcode, 13, "69%010u", i);
  row->barcode[12] = (char) ('0' + till_barcode_gs1_check_digit (row->barcode, 12));
  row->barcode[13] = '\0';
  row->name = g_strdup_printf ("%s%s %u", brands[i / 10 % 10], kinds[i % 10], i);
}

static void
die (const char   *what,
     const GError *error)
{
  g_printerr ("bench-import: %s: %s\n", what, error != NULL ? error->message : "");
  exit (1);
}

static char *
ensure_file (const char *dir,
             guint       n_rows)
{
  g_autofree char *name = g_strdup_printf ("%s-n%u.csv", FILE_VERSION, n_rows);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  g_autoptr(GString) out = NULL;
  g_autoptr(GError) error = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_print ("using the cached file %s\n", path);
      return g_steal_pointer (&path);
    }
  out = g_string_new ("barcode,name,price,unit,plu\n");
  for (guint i = 0; i < n_rows; i++)
    {
      Row row;
      g_autofree char *price = NULL;

      make_row (i, &row);
      price = till_money_format_plain (row.price_fen);
      g_string_append_printf (out, "%s,%s,%s,%s,%s\n", row.barcode, row.name, price,
                              row.weighed ? "kg" : "件", row.plu);
      g_free (row.name);
    }
  if (!g_file_set_contents (tmp, out->str, (gssize) out->len, &error))
    die ("cannot write the file", error);
  if (g_rename (tmp, path) != 0)
    {
      g_printerr ("bench-import: cannot rename %s: %s\n", tmp, g_strerror (errno));
      exit (1);
    }
  g_print ("generated %s (%u rows, %.1f MB)\n", path, n_rows, out->len / 1e6);
  return g_steal_pointer (&path);
}

/* A fresh database of the current schema in its own directory; its path. */
static char *
fresh_store_path (const char *parent,
                  const char *name)
{
  g_autofree char *dir = g_build_filename (parent, name, NULL);
  g_autofree char *path = g_build_filename (dir, "tillpoint.db", NULL);
  g_autoptr(TillStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0700);
  store = till_store_open (path, &error);
  if (store == NULL)
    die ("cannot open the store", error);
  return g_steal_pointer (&path);
}

int
main (int   argc,
      char *argv[])
{
  const char *cache_dir = argc > 1 ? argv[1] : ".";
  guint n_rows = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 500000;
  g_autofree char *csv = NULL;
  g_autofree char *work = NULL;
  g_autofree char *import_db = NULL;
  g_autofree char *bare_db = NULL;
  g_autoptr(TillStore) store = NULL;
  g_autoptr(GError) error = NULL;
  TillImportSummary summary = { 0 };
  Row *rows;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 start, import_ns, bare_ns;
  double import_rate, bare_rate;

  setlocale (LC_ALL, "");
  if (n_rows == 0)
    n_rows = 500000;
  csv = ensure_file (cache_dir, n_rows);
  work = g_dir_make_tmp ("bench-import-XXXXXX", &error);
  if (work == NULL)
    die ("cannot make a temporary directory", error);

  /* the import, cold database, warm file */
  import_db = fresh_store_path (work, "import");
  store = till_store_open (import_db, &error);
  if (store == NULL)
    die ("cannot open the store", error);
  start = till_bench_now_ns ();
  if (!till_store_import_catalog_csv_full (store, csv, 0, &summary, NULL, &error))
    die ("the import failed", error);
  import_ns = till_bench_now_ns () - start;
  if (summary.n_imported != n_rows)
    {
      g_printerr ("bench-import: imported %u of %u rows\n", summary.n_imported, n_rows);
      return 1;
    }
  till_import_summary_clear (&summary);
  g_clear_object (&store);

  /* the bare insert of the same rows */
  rows = g_new0 (Row, n_rows);
  for (guint i = 0; i < n_rows; i++)
    make_row (i, &rows[i]);
  bare_db = fresh_store_path (work, "bare");
  if (sqlite3_open (bare_db, &db) != SQLITE_OK
      || sqlite3_exec (db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL,
                       NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "INSERT INTO product (barcode, plu, name, price_fen, unit, "
                                 "weighed, active, open_price, updated_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, 0, ?7)",
                             -1, &stmt, NULL) != SQLITE_OK)
    {
      g_printerr ("bench-import: SQLite: %s\n", sqlite3_errmsg (db));
      return 1;
    }
  start = till_bench_now_ns ();
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  for (guint i = 0; i < n_rows; i++)
    {
      Row *row = &rows[i];

      if (row->barcode[0] != '\0')
        sqlite3_bind_text (stmt, 1, row->barcode, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 1);
      if (row->plu[0] != '\0')
        sqlite3_bind_text (stmt, 2, row->plu, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 2);
      sqlite3_bind_text (stmt, 3, row->name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, row->price_fen);
      sqlite3_bind_text (stmt, 5, row->weighed ? "kg" : "件", -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 6, row->weighed);
      sqlite3_bind_int64 (stmt, 7, g_get_real_time ());
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          g_printerr ("bench-import: bare insert: %s\n", sqlite3_errmsg (db));
          return 1;
        }
      sqlite3_reset (stmt);
    }
  if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      g_printerr ("bench-import: commit: %s\n", sqlite3_errmsg (db));
      return 1;
    }
  bare_ns = till_bench_now_ns () - start;
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  import_rate = n_rows / (import_ns / 1e9);
  bare_rate = n_rows / (bare_ns / 1e9);
  g_print ("%u rows\n", n_rows);
  g_print ("  import  %8.2f s  %10.0f rows/s\n", import_ns / 1e9, import_rate);
  g_print ("  bare    %8.2f s  %10.0f rows/s\n", bare_ns / 1e9, bare_rate);
  g_print ("  ratio   import takes %.1f× the bare insert's time\n",
           (double) import_ns / (double) bare_ns);

  for (guint i = 0; i < n_rows; i++)
    g_free (rows[i].name);
  g_free (rows);
  {
    g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", work);
    if (system (rm) != 0)
      g_printerr ("bench-import: could not remove %s\n", work);
  }
  return 0;
}
