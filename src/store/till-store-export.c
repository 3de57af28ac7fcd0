/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Catalog export to CSV: the active products in the columns the import reads
 * (barcode,name,price,unit,plu,open_price), UTF-8 with a BOM and CRLF line ends so that
 * Excel and WPS open the Chinese names right. Importing the file changes nothing. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <string.h>

#include "till-store-private.h"

#define EXPORT_SQL \
  "SELECT barcode, plu, name, price_fen, unit, weighed, open_price FROM product" \
  " WHERE active = 1 ORDER BY id"

/* One CSV cell: quoted when it holds a comma, a quote, a line break or edge spaces. */
void
_till_store_csv_append_cell (GString    *out,
                             const char *text)
{
  gboolean quote;

  if (text == NULL)
    text = "";
  quote = strpbrk (text, ",\"\r\n") != NULL
          || (*text != '\0' && (g_ascii_isspace (text[0])
                                || g_ascii_isspace (text[strlen (text) - 1])));
  if (!quote)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

gboolean
till_store_export_catalog_csv (TillStore   *self,
                               const char  *path,
                               guint       *n_exported,
                               GError     **error)
{
  g_autoptr(GString) out = g_string_new ("\xEF\xBB\xBF"
                                         "barcode,name,price,unit,plu,open_price\r\n");
  guint count = 0;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_exported != NULL)
    *n_exported = 0;

  {
    g_autoptr(TillStoreLocker) locker = till_store_locker_new (self);
    g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self, EXPORT_SQL, error);

    if (stmt == NULL)
      return FALSE;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        g_autofree char *price = till_money_format_plain (sqlite3_column_int64 (stmt, 3));

        _till_store_csv_append_cell (out, (const char *) sqlite3_column_text (stmt, 0));
        g_string_append_c (out, ',');
        _till_store_csv_append_cell (out, (const char *) sqlite3_column_text (stmt, 2));
        g_string_append_c (out, ',');
        g_string_append (out, price);
        g_string_append_c (out, ',');
        _till_store_csv_append_cell (out, sqlite3_column_int (stmt, 5) != 0
                            ? "kg" : (const char *) sqlite3_column_text (stmt, 4));
        g_string_append_c (out, ',');
        _till_store_csv_append_cell (out, (const char *) sqlite3_column_text (stmt, 1));
        g_string_append (out, sqlite3_column_int (stmt, 6) != 0 ? ",1\r\n" : ",0\r\n");
        count++;
      }
    if (rc != SQLITE_DONE)
      {
        till_store_set_sqlite_error (self, error, _("The products could not be read"));
        return FALSE;
      }
  }

  if (!_till_store_csv_write (path, out, "Catalog export", error))
    return FALSE;
  g_message ("Exported %u products to %s", count, path);
  if (n_exported != NULL)
    *n_exported = count;
  return TRUE;
}

gboolean
_till_store_csv_write (const char  *path,
                       GString     *out,
                       const char  *what,
                       GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents (path, out->str, (gssize) out->len, &local_error))
    {
      g_message ("%s: %s", what, local_error->message);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED,
                   _("The file could not be written: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}
