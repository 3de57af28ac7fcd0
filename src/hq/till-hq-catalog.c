/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The head office's catalog: a CSV import (the till's formats, read by the core's
 * till_catalog_csv_read()) into product and store_price in one transaction, the catalog's
 * version and what changed since a version (what a till pulls). An import takes one
 * value of catalog_version_seq and writes it into every row it changes; a row that
 * changes nothing is not written, so the catalog's version (the highest of its rows')
 * moves only when something changed. */
#define G_LOG_DOMAIN "till-hq"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "till-catalog-csv.h"
#include "till-hq-private.h"

#define MAX_REPORTED_IN_MESSAGE 3

static const char *
bool_text (gboolean value)
{
  return value ? "true" : "false";
}

/* The product of `row` by barcode (either UPC-A/EAN-13 form) or, without one, by plu:
 * its id, or 0. */
static gboolean
find_product (TillHq          *self,
              TillCatalogRow  *row,
              gint64          *out_id,
              GError         **error)
{
  g_autofree char *equivalent = till_catalog_barcode_equivalent (row->barcode);
  const char *params[3] = { row->barcode, equivalent, row->plu };
  g_autoptr(PGresult) result = _till_hq_exec (self,
    "SELECT product_id FROM product WHERE CASE WHEN $1::text IS NOT NULL"
    "  THEN barcode = $1 OR barcode = $2 ELSE plu = $3 END"
    " ORDER BY barcode = $1 DESC LIMIT 1",
    3, params, _("The catalog could not be imported"), error);

  if (result == NULL)
    return FALSE;
  *out_id = PQntuples (result) > 0 ? _till_hq_int (result, 0, 0) : 0;
  return TRUE;
}

/* One row: the product (new, or what the row gives changed), and with a store its price.
 * In the transaction. */
static gboolean
import_row (TillHq              *self,
            TillCatalogRow      *row,
            const char          *store_id,
            const char          *version,
            TillHqImportSummary *summary,
            GPtrArray           *errors,
            GError             **error)
{
  g_autofree char *price = g_strdup_printf ("%" G_GINT64_FORMAT, row->price_fen);
  g_autofree char *id_text = NULL;
  const char *unit = NULL;
  const char *weighed = NULL;
  g_autoptr(PGresult) written = NULL;
  gint64 id = 0;

  if (!find_product (self, row, &id, error))
    return FALSE;
  if (row->unit != NULL)
    {
      gboolean by_weight = till_catalog_unit_is_weight (row->unit);

      unit = by_weight ? "kg" : row->unit;
      weighed = bool_text (by_weight);
    }

  if (id == 0)
    {
      const char *params[8] = { row->barcode, row->plu, row->name, unit != NULL ? unit : "件",
                                weighed != NULL ? weighed : "false",
                                bool_text (row->has_open_price && row->open_price), price,
                                version };

      if (row->name == NULL || !row->has_price)
        {
          g_autofree char *reason = g_strdup_printf (
            row->name == NULL ? _("%s is not in the catalog yet, and a new product needs a name "
                                  "(the file has no “name” column)")
                              : _("%s is not in the catalog yet, and a new product needs a price "
                                  "(the file has no “price” column)"),
            row->barcode != NULL ? row->barcode : row->plu);

          till_import_error_add (errors, NULL, row->line, "%s", reason);
          return TRUE;
        }
      written = _till_hq_exec (self,
                               "INSERT INTO product (barcode, plu, name, unit, weighed,"
                               " open_price, price_fen, version)"
                               " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING product_id",
                               8, params, _("The catalog could not be imported"), error);
      if (written == NULL)
        return FALSE;
      id = _till_hq_int (written, 0, 0);
      summary->n_changed++;
    }
  else
    {
      /* Only what the row gives (NULL: as stored); with a store, the price is the store's. */
      g_autofree char *id_param = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      const char *params[8] = { id_param, row->plu, row->name, unit, weighed,
                                row->has_open_price ? bool_text (row->open_price) : NULL,
                                row->has_price && store_id == NULL ? price : NULL, version };

      written = _till_hq_exec (self,
        "UPDATE product p SET plu = coalesce ($2, p.plu), name = coalesce ($3, p.name),"
        "  unit = coalesce ($4, p.unit), weighed = coalesce ($5::boolean, p.weighed),"
        "  open_price = coalesce ($6::boolean, p.open_price),"
        "  price_fen = coalesce ($7::bigint, p.price_fen), active = true, version = $8"
        " WHERE p.product_id = $1 AND (p.plu, p.name, p.unit, p.weighed, p.open_price,"
        "  p.price_fen, p.active) IS DISTINCT FROM (coalesce ($2, p.plu), coalesce ($3, p.name),"
        "  coalesce ($4, p.unit), coalesce ($5::boolean, p.weighed),"
        "  coalesce ($6::boolean, p.open_price), coalesce ($7::bigint, p.price_fen), true)",
        8, params, _("The catalog could not be imported"), error);
      if (written == NULL)
        return FALSE;
      summary->n_changed += (guint) g_ascii_strtoull (PQcmdTuples (written), NULL, 10);
    }

  if (store_id != NULL && row->has_price)
    {
      g_autoptr(PGresult) store_price = NULL;
      const char *params[4] = { store_id, NULL, price, version };

      id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      params[1] = id_text;
      store_price = _till_hq_exec (self,
                                   "INSERT INTO store_price (store_id, product_id, price_fen,"
                                   " version) VALUES ($1, $2, $3, $4)"
                                   " ON CONFLICT (store_id, product_id) DO UPDATE"
                                   " SET price_fen = EXCLUDED.price_fen, version = EXCLUDED.version"
                                   " WHERE store_price.price_fen <> EXCLUDED.price_fen",
                                   4, params, _("The catalog could not be imported"), error);
      if (store_price == NULL)
        return FALSE;
      summary->n_changed += (guint) g_ascii_strtoull (PQcmdTuples (store_price), NULL, 10);
    }
  return TRUE;
}

static void
set_import_error (GError    **error,
                  GPtrArray  *errors,
                  const char *encoding)
{
  g_autofree char *detail = till_import_errors_describe (errors, MAX_REPORTED_IN_MESSAGE);
  g_message ("Head office: catalog import rejected (%s), %u problems: %s",
             encoding != NULL ? encoding : "encoding unknown", errors->len, detail);
  g_set_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_INVALID,
               g_dngettext (GETTEXT_PACKAGE,
                            "Nothing was imported: %u problem in the file (%s)",
                            "Nothing was imported: %u problems in the file (%s)",
                            errors->len),
               errors->len, detail);
}

gboolean
till_hq_import_catalog (TillHq              *self,
                        const char          *path,
                        const char          *store_id,
                        TillHqImportSummary *summary,
                        GPtrArray          **row_errors,
                        GError             **error)
{
  g_autoptr(GPtrArray) errors =
    g_ptr_array_new_with_free_func ((GDestroyNotify) till_import_error_free);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *version = NULL;
  TillHqImportSummary result = { 0 };
  gsize length = 0;

  g_return_val_if_fail (TILL_IS_HQ (self), FALSE);
  g_return_val_if_fail (path != NULL && summary != NULL, FALSE);

  if (row_errors != NULL)
    *row_errors = NULL;
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_INVALID,
                   _("The file could not be read: %s"), local_error->message);
      return FALSE;
    }
  rows = till_catalog_csv_read (contents, length, TILL_CATALOG_PRICE_CEILING_FEN,
                                &result.encoding, errors);
  if (rows == NULL)
    goto refused;

  if (!_till_hq_run (self, "BEGIN", _("The catalog could not be imported"), error)
      || !till_hq_catalog_version (self, &result.version_before, error))
    goto failed;
  if (store_id != NULL)
    {
      const char *params[1] = { store_id };
      g_autoptr(PGresult) store = _till_hq_exec (self, "SELECT 1 FROM store WHERE store_id = $1",
                                                 1, params,
                                                 _("The catalog could not be imported"), error);

      if (store == NULL)
        goto failed;
      if (PQntuples (store) == 0)
        {
          g_set_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_UNKNOWN_STORE,
                       _("There is no store “%s” at head office (tillpoint-hq stores)"),
                       store_id);
          goto failed;
        }
    }
  /* One import at a time, its version taken under the lock: an import that commits later
   * always has the higher version, so a till that has seen version N has seen every
   * change up to N. */
  if (!_till_hq_run (self, "SELECT pg_advisory_xact_lock (7413002)",
                     _("The catalog could not be imported"), error))
    goto failed;
  {
    g_autoptr(PGresult) next = _till_hq_exec (self, "SELECT nextval ('catalog_version_seq')", 0,
                                              NULL, _("The catalog could not be imported"),
                                              error);

    if (next == NULL)
      goto failed;
    version = g_strdup (PQgetvalue (next, 0, 0));
  }
  for (guint i = 0; i < rows->len; i++)
    if (!import_row (self, g_ptr_array_index (rows, i), store_id, version, &result, errors,
                     error))
      goto failed;
  if (errors->len > 0)
    {
      _till_hq_rollback (self);
      goto refused;
    }
  if (!till_hq_catalog_version (self, &result.version_after, error)
      || !_till_hq_run (self, "COMMIT", _("The catalog could not be imported"), error))
    goto failed;
  result.n_rows = rows->len;
  g_message ("Head office: imported %u catalog rows from %s (%s)%s%s: %u changed, version %"
             G_GINT64_FORMAT, result.n_rows, path, result.encoding,
             store_id != NULL ? " for store " : "", store_id != NULL ? store_id : "",
             result.n_changed, result.version_after);
  *summary = result;
  return TRUE;

refused:
  set_import_error (error, errors, result.encoding);
  if (row_errors != NULL)
    *row_errors = g_steal_pointer (&errors);
  return FALSE;

failed:
  _till_hq_rollback (self);
  return FALSE;
}

gboolean
till_hq_catalog_version (TillHq  *self,
                         gint64  *out_version,
                         GError **error)
{
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (TILL_IS_HQ (self), FALSE);

  result = _till_hq_exec (self,
                          "SELECT greatest ((SELECT coalesce (max (version), 0) FROM product),"
                          " (SELECT coalesce (max (version), 0) FROM store_price))",
                          0, NULL, _("The catalog could not be read"), error);
  if (result == NULL)
    return FALSE;
  *out_version = _till_hq_int (result, 0, 0);
  return TRUE;
}

void
till_hq_product_free (TillHqProduct *product)
{
  if (product == NULL)
    return;
  g_free (product->barcode);
  g_free (product->plu);
  g_free (product->name);
  g_free (product->unit);
  g_free (product);
}

GPtrArray *
till_hq_catalog_changes (TillHq      *self,
                         const char  *store_id,
                         gint64       since,
                         GError     **error)
{
  g_autofree char *since_text = g_strdup_printf ("%" G_GINT64_FORMAT, since);
  const char *params[2] = { store_id, since_text };
  g_autoptr(PGresult) result = NULL;
  GPtrArray *products;

  g_return_val_if_fail (TILL_IS_HQ (self), NULL);

  result = _till_hq_exec (self,
    "SELECT p.barcode, p.plu, p.name, p.unit, p.weighed, p.open_price,"
    "  coalesce (sp.price_fen, p.price_fen), greatest (p.version, coalesce (sp.version, 0)) AS v"
    " FROM product p LEFT JOIN store_price sp ON sp.product_id = p.product_id"
    "  AND sp.store_id = $1"
    " WHERE p.version > $2::bigint OR sp.version > $2::bigint ORDER BY v, p.product_id",
    2, params, _("The catalog could not be read"), error);
  if (result == NULL)
    return NULL;
  products = g_ptr_array_new_with_free_func ((GDestroyNotify) till_hq_product_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      TillHqProduct *product = g_new0 (TillHqProduct, 1);

      product->barcode = PQgetisnull (result, i, 0) ? NULL : g_strdup (PQgetvalue (result, i, 0));
      product->plu = PQgetisnull (result, i, 1) ? NULL : g_strdup (PQgetvalue (result, i, 1));
      product->name = g_strdup (PQgetvalue (result, i, 2));
      product->unit = g_strdup (PQgetvalue (result, i, 3));
      product->weighed = strcmp (PQgetvalue (result, i, 4), "t") == 0;
      product->open_price = strcmp (PQgetvalue (result, i, 5), "t") == 0;
      product->price_fen = _till_hq_int (result, i, 6);
      product->version = _till_hq_int (result, i, 7);
      g_ptr_array_add (products, product);
    }
  return products;
}
