/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Catalog import from CSV into the till's SQLite: the file is read and every row checked
 * by the core (src/core/till-catalog-csv.c, whose first comment is the format: encodings,
 * headers, the rows' checks), every bad row is reported with its line number, and the
 * file is imported in one transaction or not at all. A row's stock cell sets the level by
 * ONE 'adjustment' stock move of the difference (none when equal), who = the importer,
 * reference "import:" + the file's name, in the import's transaction.
 * Existing products (active or not; an import makes them active) are found by barcode,
 * as given or in its UPC-A/EAN-13 form, or by plu for rows without a barcode, and only
 * what the file gives changes: a column that is absent leaves its field as stored, and so
 * does an empty cell of unit, plu or barcode (an import never erases a unit, a PLU or a
 * barcode, so a price list cannot turn goods sold by kg into pieces). A new product needs
 * a name and a price; its unit is 件 when none is given. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <string.h>

#include "till-catalog-csv.h"
#include "till-store-private.h"
#include "till-store-product-stock.h"

#define MAX_REPORTED_IN_MESSAGE 3

static void
replace_text (char       **field,
              const char  *text)
{
  g_free (*field);
  *field = g_strdup (text);
}

/* The product to upsert for `row`: the stored one with what the row gives, or a new one.
 * NULL with a row error when a new product lacks a name or a price; NULL with `error` when
 * SQLite failed. Lock held. */
static TillProduct *
product_for_row (TillStore  *self,
                 TillCatalogRow  *row,
                 GPtrArray  *errors,
                 GError    **error)
{
  g_autoptr(TillProduct) product = till_store_find_product_locked (self, row->barcode,
                                                                   row->plu, error);

  if (product == NULL)
    {
      const char *code = row->barcode != NULL ? row->barcode : row->plu;

      if (error != NULL && *error != NULL)
        return NULL;
      if (row->name == NULL)
        {
          till_import_error_add (errors, NULL, row->line,
                         _("%s is not in the catalog yet, and a new product needs a name "
                           "(the file has no “name” column)"), code);
          return NULL;
        }
      if (!row->has_price)
        {
          till_import_error_add (errors, NULL, row->line,
                         _("%s is not in the catalog yet, and a new product needs a price "
                           "(the file has no “price” column)"), code);
          return NULL;
        }
      product = g_new0 (TillProduct, 1);
      product->barcode = g_strdup (row->barcode);
      product->plu = g_strdup (row->plu);
      product->unit = g_strdup ("件");
    }

  /* The stored barcode stays (found by barcode, it is the row's code or its other form;
   * found by plu, the row has none). */
  if (row->plu != NULL)
    replace_text (&product->plu, row->plu);
  if (row->name != NULL)
    replace_text (&product->name, row->name);
  if (row->has_price)
    product->price_fen = row->price_fen;
  if (row->unit != NULL)
    {
      product->weighed = till_catalog_unit_is_weight (row->unit);
      replace_text (&product->unit, product->weighed ? "kg" : row->unit);
    }
  if (row->has_open_price)
    product->open_price = row->open_price;
  product->active = TRUE;
  return g_steal_pointer (&product);
}

static void
set_import_error (GError    **error,
                  GPtrArray  *errors,
                  const char *encoding)
{
  g_autofree char *detail = till_import_errors_describe (errors, MAX_REPORTED_IN_MESSAGE);

  g_message ("Catalog import rejected (%s), %u problems: %s",
             encoding != NULL ? encoding : "encoding unknown", errors->len, detail);
  if (encoding != NULL)
    g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_IMPORT,
                 g_dngettext (GETTEXT_PACKAGE,
                              "Nothing was imported: %u problem in the file, read as %s (%s)",
                              "Nothing was imported: %u problems in the file, read as %s (%s)",
                              errors->len),
                 errors->len, encoding, detail);
  else
    g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_IMPORT,
                 g_dngettext (GETTEXT_PACKAGE,
                              "Nothing was imported: %u problem in the file (%s)",
                              "Nothing was imported: %u problems in the file (%s)",
                              errors->len),
                 errors->len, detail);
}

/* While a large import runs: PRAGMA cache_size 64 MB (negative: KiB), and the statement
 * journals (each upsert writes one: about 25 writes a row) in memory, not in a temporary
 * file; then both back. Lock held. A failure only costs speed: logged. */
static void
grow_cache (TillStore *self,
            gint64    *saved)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = till_store_get_db (self);

  *saved = 0;
  if (!till_store_query_int (db, "PRAGMA cache_size", saved, &error)
      || !till_store_exec_literal (db,
                                   "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY",
                                   &error))
    {
      g_message ("Catalog import: the page cache stays as it is: %s", error->message);
      *saved = 0;
    }
}

static void
restore_cache (TillStore *self,
               gint64     saved)
{
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;

  if (saved == 0)
    return;
  sql = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT "; "
                         "PRAGMA temp_store = DEFAULT", saved);
  if (!till_store_exec_literal (till_store_get_db (self), sql, &error))
    g_message ("Catalog import: the page cache could not be set back: %s", error->message);
}

/* The row's cost and stock, after its product was upserted as `product_id`. Lock held, in
 * the import's transaction. */
static gboolean
apply_cost_and_stock (TillStore         *self,
                      TillCatalogRow         *row,
                      gint64             product_id,
                      const char        *reference,
                      const char        *who,
                      TillImportSummary *summary,
                      GError           **error)
{
  gboolean moved = FALSE;

  if (row->has_cost
      && !till_store_exec_for_id (self, "UPDATE product SET cost_fen = ?2 WHERE id = ?1",
                                  product_id, row->cost_fen, _("The cost could not be saved"),
                                  error))
    return FALSE;
  if (!row->has_stock)
    return TRUE;
  if (!_till_store_set_level_locked (self, product_id, row->stock_milli, reference, who, &moved,
                                     error))
    return FALSE;
  summary->n_levels_set++;
  if (moved)
    summary->n_stock_moves++;
  return TRUE;
}

static gboolean
import_records (TillStore         *self,
                GPtrArray         *rows,
                const char        *reference,
                const char        *who,
                GPtrArray         *errors,
                TillImportSummary *summary,
                GError           **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  gint64 saved_cache_size = 0;

  locker = till_store_locker_new (self);
  /* A large file's transaction outgrows SQLite's page cache (2 MB by default), which then
   * spills pages to the WAL again and again: a larger cache while it lasts. */
  if (rows->len > 1000)
    grow_cache (self, &saved_cache_size);
  if (!till_store_begin (self, error))
    {
      restore_cache (self, saved_cache_size);
      return FALSE;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      TillCatalogRow *row = g_ptr_array_index (rows, i);
      g_autoptr(GError) row_error = NULL;
      g_autoptr(TillProduct) product = product_for_row (self, row, errors, &row_error);
      gint64 product_id = 0;

      if (product != NULL)
        product_id = till_store_upsert_product (self, product, &row_error);
      if (product_id != 0
          && !apply_cost_and_stock (self, row, product_id, reference, who, summary, &row_error))
        {
          till_store_rollback (self);
          restore_cache (self, saved_cache_size);
          g_propagate_error (error, g_steal_pointer (&row_error));
          return FALSE;
        }
      if (row_error == NULL)
        continue;
      if (!g_error_matches (row_error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT))
        {
          till_store_rollback (self);
          restore_cache (self, saved_cache_size);
          g_propagate_error (error, g_steal_pointer (&row_error));
          return FALSE;
        }
      till_import_error_add (errors, NULL, row->line, "%s", row_error->message);
    }
  if (errors->len > 0)
    {
      till_store_rollback (self);
      restore_cache (self, saved_cache_size);
      return FALSE;
    }
  if (!till_store_commit (self, error))
    {
      restore_cache (self, saved_cache_size);
      return FALSE;
    }
  restore_cache (self, saved_cache_size);

  summary->n_imported = rows->len;
  if (summary->n_levels_set > 0)
    summary->note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "Stock level set for %u product (%u stock "
                                                  "moves).",
                                                  "Stock levels set for %u products (%u stock "
                                                  "moves).",
                                                  summary->n_levels_set),
                                     summary->n_levels_set, summary->n_stock_moves);
  return TRUE;
}

void
till_import_summary_clear (TillImportSummary *summary)
{
  g_clear_pointer (&summary->note, g_free);
  summary->n_imported = 0;
  summary->n_levels_set = 0;
  summary->n_stock_moves = 0;
  summary->encoding = NULL;
}

gboolean
till_store_import_catalog_csv_full (TillStore          *self,
                                    const char         *path,
                                    gint64              max_price_fen,
                                    TillImportSummary  *summary,
                                    GPtrArray         **row_errors,
                                    GError            **error)
{
  return till_store_import_catalog_csv_as (self, path, max_price_fen, NULL, summary, row_errors,
                                           error);
}

gboolean
till_store_import_catalog_csv_as (TillStore          *self,
                                  const char         *path,
                                  gint64              max_price_fen,
                                  const char         *who,
                                  TillImportSummary  *summary,
                                  GPtrArray         **row_errors,
                                  GError            **error)
{
  g_autofree char *basename = NULL;
  g_autofree char *reference = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  TillImportSummary result = { 0 };
  gsize length = 0;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *summary = result;
  if (row_errors != NULL)
    *row_errors = NULL;
  if (max_price_fen <= 0)
    max_price_fen = TILL_STORE_DEFAULT_MAX_PRICE_FEN;
  max_price_fen = MIN (max_price_fen, TILL_STORE_PRICE_CEILING_FEN);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_message ("Catalog import: %s", local_error->message);
      g_set_error (error, TILL_STORE_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                     ? TILL_STORE_ERROR_NOT_FOUND : TILL_STORE_ERROR_FAILED,
                   _("The file could not be read: %s"), local_error->message);
      return FALSE;
    }

  errors = g_ptr_array_new_with_free_func ((GDestroyNotify) till_import_error_free);
  rows = till_catalog_csv_read (contents, length, max_price_fen, &result.encoding, errors);
  g_clear_pointer (&contents, g_free);

  basename = g_path_get_basename (path);
  reference = g_strconcat ("import:", basename, NULL);
  if (errors->len == 0
      && !import_records (self, rows, reference,
                          who != NULL && *who != '\0' ? who : "import", errors, &result,
                          &local_error)
      && local_error != NULL)
    {
      till_import_summary_clear (&result);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (errors->len > 0)
    {
      set_import_error (error, errors, result.encoding);
      summary->encoding = result.encoding;
      till_import_summary_clear (&result);
      if (row_errors != NULL)
        *row_errors = g_steal_pointer (&errors);
      return FALSE;
    }

  g_message ("Imported %u products from %s (%s)%s%s", result.n_imported, path,
             result.encoding, result.note != NULL ? "; " : "",
             result.note != NULL ? result.note : "");
  *summary = result;
  return TRUE;
}

gboolean
till_store_import_catalog_csv (TillStore   *self,
                               const char  *path,
                               gint64       max_price_fen,
                               guint       *n_imported,
                               GPtrArray  **row_errors,
                               GError     **error)
{
  TillImportSummary summary = { 0 };
  gboolean ok;

  ok = till_store_import_catalog_csv_full (self, path, max_price_fen, &summary, row_errors,
                                           error);
  if (n_imported != NULL)
    *n_imported = summary.n_imported;
  till_import_summary_clear (&summary);
  return ok;
}
