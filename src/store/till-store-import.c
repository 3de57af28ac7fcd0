/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Catalog import from CSV: all rows are checked, every bad row is reported with its line
 * number, and the file is imported in one transaction or not at all.
 *
 * Format: UTF-8 (an optional BOM is skipped), RFC 4180 quoting, CRLF or LF line ends.
 * Header row: the columns barcode, name, price, unit, plu and open_price, found by name in any order
 * and case (other columns are ignored). It needs a barcode or a plu column, and something
 * to import: name, price, unit, or plu next to barcode. Rows:
 *  - name: not empty when the column is there;
 *  - price: yuan as till_money_parse() reads it ("3.50", "¥3.50"), not empty when the
 *    column is there, not negative, not above the highest price allowed (the setting
 *    max-price-fen, passed in by the caller);
 *  - barcode: empty (then plu is required) or digits only. 8, 12, 13 and 14 digits are
 *    GS1 codes (EAN-8, UPC-A, EAN-13, GTIN-14) and must carry a correct check digit;
 *    other lengths from 6 to 20 digits are accepted as in-store codes, whose check digit
 *    (if any) we cannot know; shorter codes belong in the plu column;
 *  - plu: empty or 1 to 7 digits (what a cashier types);
 *  - unit: any text; "kg", "千克" and "公斤" mark goods sold by weight;
 *  - open_price (optional): "price at the till": 1, yes, true or y marks it, 0, no, false,
 *    n or an empty cell does not (the cashier gives the price when it is sold);
 *  - a barcode or plu may appear only once in the file (a UPC-A and its EAN-13 form
 *    "0" + the 12 digits are the same code).
 * Existing products (active or not; an import makes them active) are found by barcode,
 * as given or in its UPC-A/EAN-13 form, or by plu for rows without a barcode, and only
 * what the file gives changes: a column that is absent leaves its field as stored, and so
 * does an empty cell of unit, plu or barcode (an import never erases a unit, a PLU or a
 * barcode, so a price list cannot turn goods sold by kg into pieces). A new product needs
 * a name and a price; its unit is 件 when none is given. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <string.h>

#include "till-store-private.h"

#define MAX_REPORTED_IN_MESSAGE 3

typedef struct
{
  guint      line;      /* where the record starts */
  GPtrArray *fields;    /* char* */
} CsvRecord;

enum { COL_BARCODE, COL_NAME, COL_PRICE, COL_UNIT, COL_PLU, COL_OPEN_PRICE, N_COLUMNS };

/* A checked row: what it gives. NULL (or has_price FALSE) is "not given": the column is
 * absent, or (barcode, unit, plu) the cell is empty. */
typedef struct
{
  guint    line;
  char    *barcode;
  char    *plu;
  char    *name;
  char    *unit;
  gint64   price_fen;
  gboolean has_price;
  gboolean open_price;
  gboolean has_open_price;
} ImportRow;

static void
import_row_free (ImportRow *row)
{
  g_free (row->barcode);
  g_free (row->plu);
  g_free (row->name);
  g_free (row->unit);
  g_free (row);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImportRow, import_row_free)

static void
csv_record_free (CsvRecord *record)
{
  g_ptr_array_unref (record->fields);
  g_free (record);
}

static void
add_row_error (GPtrArray  *errors,
               guint       line,
               const char *format,
               ...) G_GNUC_PRINTF (3, 4);

static void
add_row_error (GPtrArray  *errors,
               guint       line,
               const char *format,
               ...)
{
  TillImportError *row_error = g_new0 (TillImportError, 1);
  va_list args;

  va_start (args, format);
  row_error->line = line;
  row_error->reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (errors, row_error);
}

/* Reports each physical line that is not valid UTF-8. */
static void
check_utf8_lines (const char *data,
                  gsize       length,
                  GPtrArray  *errors)
{
  const char *line = data, *end = data + length;
  guint number = 1;

  while (line < end)
    {
      const char *newline = memchr (line, '\n', (gsize) (end - line));
      const char *stop = newline ? newline : end;

      if (!g_utf8_validate (line, stop - line, NULL))
        add_row_error (errors, number,
                       _("the text is not valid UTF-8 (save the file as UTF-8)"));
      if (newline == NULL)
        break;
      line = newline + 1;
      number++;
    }
}

/* RFC 4180 with CRLF or LF. A quoted field may hold commas, doubled quotes and line
 * breaks. Fully blank lines are skipped. */
static GPtrArray *
parse_csv (const char *data,
           gsize       length,
           GPtrArray  *errors)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) csv_record_free);
  const char *p = data, *end = data + length;
  guint line = 1;

  while (p < end)
    {
      CsvRecord *record;
      gboolean record_done = FALSE;

      /* blank line */
      if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n'))
        {
          p += *p == '\r' ? 2 : 1;
          line++;
          continue;
        }

      record = g_new0 (CsvRecord, 1);
      record->line = line;
      record->fields = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (records, record);

      while (!record_done)
        {
          GString *field = g_string_new (NULL);

          if (p < end && *p == '"')
            {
              gboolean closed = FALSE;
              guint start_line = line;

              p++;
              while (p < end)
                {
                  if (*p == '"')
                    {
                      if (p + 1 < end && p[1] == '"')
                        {
                          g_string_append_c (field, '"');
                          p += 2;
                          continue;
                        }
                      p++;
                      closed = TRUE;
                      break;
                    }
                  if (*p == '\n')
                    line++;
                  g_string_append_c (field, *p);
                  p++;
                }
              if (!closed)
                add_row_error (errors, start_line,
                               _("a quoted field is not closed (missing \")"));
              else if (p < end && *p != ',' && *p != '\n'
                       && !(*p == '\r' && p + 1 < end && p[1] == '\n') && *p != '\r')
                {
                  add_row_error (errors, line,
                                 _("unexpected text after a closing quote"));
                  while (p < end && *p != ',' && *p != '\n' && *p != '\r')
                    p++;
                }
            }
          else
            {
              while (p < end && *p != ',' && *p != '\n' && *p != '\r')
                {
                  g_string_append_c (field, *p);
                  p++;
                }
            }
          g_ptr_array_add (record->fields, g_string_free (field, FALSE));

          if (p >= end)
            record_done = TRUE;
          else if (*p == ',')
            p++;
          else
            {
              /* \n, \r\n or a lone \r */
              if (*p == '\r' && p + 1 < end && p[1] == '\n')
                p++;
              p++;
              line++;
              record_done = TRUE;
            }
        }
    }
  return g_steal_pointer (&records);
}

static gboolean
all_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static gboolean
gs1_check_ok (const char *code,
              gsize       length)
{
  if (length == 8 || length == 12 || length == 13)
    return till_barcode_gs1_valid (code);
  /* GTIN-14 */
  return till_barcode_gs1_check_digit (code, length - 1) == code[length - 1] - '0';
}

static gboolean
unit_is_weight (const char *unit)
{
  return g_ascii_strcasecmp (unit, "kg") == 0
         || strcmp (unit, "千克") == 0
         || strcmp (unit, "公斤") == 0;
}

static char *
field_stripped (CsvRecord *record,
                int        column)
{
  if (column < 0 || (guint) column >= record->fields->len)
    return g_strdup ("");
  return g_strstrip (g_strdup (g_ptr_array_index (record->fields, column)));
}

/* Checks one record; on success fills `row` and returns TRUE. */
static gboolean
check_row (CsvRecord   *record,
           const int   *columns,   /* COL_*: field index, -1 if absent */
           guint        n_columns,
           gint64       max_price_fen,
           GHashTable  *barcodes,  /* code -> line, this file */
           GHashTable  *plus,
           GPtrArray   *errors,
           ImportRow   *row)
{
  g_autofree char *barcode = NULL;
  g_autofree char *name = NULL;
  g_autofree char *price_text = NULL;
  g_autofree char *open_price_text = NULL;
  gboolean open_price = FALSE;
  g_autofree char *unit = NULL;
  g_autofree char *plu = NULL;
  g_autoptr(GError) money_error = NULL;
  guint n_errors = errors->len;
  gint64 price = 0;

  if (record->fields->len != n_columns)
    {
      add_row_error (errors, record->line,
                     g_dngettext (GETTEXT_PACKAGE, "the row has %u field, the header has %u",
                                  "the row has %u fields, the header has %u",
                                  record->fields->len),
                     record->fields->len, n_columns);
      return FALSE;
    }

  barcode = field_stripped (record, columns[COL_BARCODE]);
  name = field_stripped (record, columns[COL_NAME]);
  price_text = field_stripped (record, columns[COL_PRICE]);
  unit = field_stripped (record, columns[COL_UNIT]);
  plu = field_stripped (record, columns[COL_PLU]);
  open_price_text = field_stripped (record, columns[COL_OPEN_PRICE]);

  if (columns[COL_NAME] != -1 && *name == '\0')
    add_row_error (errors, record->line, _("the name is empty"));

  if (columns[COL_PRICE] == -1)
    ;
  else if (*price_text == '\0')
    add_row_error (errors, record->line, _("the price is empty"));
  else if (!till_money_parse (price_text, &price, &money_error))
    add_row_error (errors, record->line, _("price “%s”: %s"), price_text,
                   money_error->message);
  else if (price < 0)
    add_row_error (errors, record->line, _("price “%s” is negative"), price_text);
  else if (price > max_price_fen)
    {
      g_autofree char *given = till_money_format (price);
      g_autofree char *highest = till_money_format (max_price_fen);

      add_row_error (errors, record->line,
                     _("price %s is above the highest price allowed (%s); change the "
                       "setting max-price-fen if this is right"), given, highest);
    }

  if (*barcode != '\0')
    {
      gsize length = strlen (barcode);

      if (!all_digits (barcode))
        add_row_error (errors, record->line, _("barcode “%s” must be digits only"), barcode);
      else if (length == 8 || length == 12 || length == 13 || length == 14)
        {
          if (!gs1_check_ok (barcode, length))
            add_row_error (errors, record->line,
                           _("barcode %s has a wrong check digit"), barcode);
        }
      else if (length < 6 || length > 20)
        add_row_error (errors, record->line,
                       _("barcode %s has %u digits; barcodes have 6 to 20 (put short "
                         "codes in the plu column)"), barcode, (guint) length);
    }
  else if (*plu == '\0')
    add_row_error (errors, record->line, _("the row needs a barcode or a plu"));

  if (g_ascii_strcasecmp (open_price_text, "1") == 0
      || g_ascii_strcasecmp (open_price_text, "yes") == 0
      || g_ascii_strcasecmp (open_price_text, "y") == 0
      || g_ascii_strcasecmp (open_price_text, "true") == 0)
    open_price = TRUE;
  else if (*open_price_text != '\0' && g_ascii_strcasecmp (open_price_text, "0") != 0
           && g_ascii_strcasecmp (open_price_text, "no") != 0
           && g_ascii_strcasecmp (open_price_text, "n") != 0
           && g_ascii_strcasecmp (open_price_text, "false") != 0)
    add_row_error (errors, record->line, _("open_price “%s” must be 1 or 0 (yes or no)"),
                   open_price_text);

  if (*plu != '\0' && (!all_digits (plu) || strlen (plu) > 7))
    add_row_error (errors, record->line, _("plu “%s” must be 1 to 7 digits"), plu);

  if (*barcode != '\0')
    {
      g_autofree char *equivalent = till_store_barcode_equivalent (barcode);
      guint first = GPOINTER_TO_UINT (g_hash_table_lookup (barcodes, barcode));
      guint first_equivalent = equivalent == NULL ? 0
        : GPOINTER_TO_UINT (g_hash_table_lookup (barcodes, equivalent));

      if (first != 0)
        add_row_error (errors, record->line,
                       _("barcode %s is also on line %u"), barcode, first);
      else if (first_equivalent != 0)
        add_row_error (errors, record->line,
                       _("barcode %s is the same product as %s on line %u (a 12-digit "
                         "UPC-A code is its 13-digit EAN-13 code without the leading 0)"),
                       barcode, equivalent, first_equivalent);
      else
        g_hash_table_insert (barcodes, g_strdup (barcode), GUINT_TO_POINTER (record->line));
    }
  if (*plu != '\0')
    {
      guint first = GPOINTER_TO_UINT (g_hash_table_lookup (plus, plu));

      if (first != 0)
        add_row_error (errors, record->line, _("plu %s is also on line %u"), plu, first);
      else
        g_hash_table_insert (plus, g_strdup (plu), GUINT_TO_POINTER (record->line));
    }

  if (errors->len != n_errors)
    return FALSE;

  row->line = record->line;
  row->barcode = *barcode ? g_steal_pointer (&barcode) : NULL;
  row->plu = *plu ? g_steal_pointer (&plu) : NULL;
  row->name = columns[COL_NAME] != -1 ? g_steal_pointer (&name) : NULL;
  row->unit = *unit ? g_steal_pointer (&unit) : NULL;
  row->price_fen = price;
  row->has_price = columns[COL_PRICE] != -1;
  row->open_price = open_price;
  row->has_open_price = columns[COL_OPEN_PRICE] != -1;
  return TRUE;
}

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
                 ImportRow  *row,
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
          add_row_error (errors, row->line,
                         _("%s is not in the catalog yet, and a new product needs a name "
                           "(the file has no “name” column)"), code);
          return NULL;
        }
      if (!row->has_price)
        {
          add_row_error (errors, row->line,
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
      product->weighed = unit_is_weight (row->unit);
      replace_text (&product->unit, product->weighed ? "kg" : row->unit);
    }
  if (row->has_open_price)
    product->open_price = row->open_price;
  product->active = TRUE;
  return g_steal_pointer (&product);
}

static void
set_import_error (GError    **error,
                  GPtrArray  *errors)
{
  g_autoptr(GString) detail = g_string_new (NULL);

  for (guint i = 0; i < errors->len && i < MAX_REPORTED_IN_MESSAGE; i++)
    {
      TillImportError *row_error = g_ptr_array_index (errors, i);

      if (i > 0)
        g_string_append (detail, "; ");
      g_string_append_printf (detail, _("line %u: %s"), row_error->line, row_error->reason);
    }
  if (errors->len > MAX_REPORTED_IN_MESSAGE)
    g_string_append (detail, "; …");

  g_message ("Catalog import rejected, %u problems: %s", errors->len, detail->str);
  g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_IMPORT,
               g_dngettext (GETTEXT_PACKAGE,
                            "Nothing was imported: %u problem in the file (%s)",
                            "Nothing was imported: %u problems in the file (%s)",
                            errors->len),
               errors->len, detail->str);
}

static gboolean
import_records (TillStore  *self,
                GPtrArray  *records,
                gint64      max_price_fen,
                GPtrArray  *errors,
                guint      *n_imported,
                GError    **error)
{
  static const char *names[N_COLUMNS] = { "barcode", "name", "price", "unit", "plu",
                                                  "open_price" };
  g_autoptr(GHashTable) barcodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) plus = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) import_row_free);
  g_autoptr(TillStoreLocker) locker = NULL;
  CsvRecord *header;
  int columns[N_COLUMNS] = { -1, -1, -1, -1, -1, -1 };

  header = g_ptr_array_index (records, 0);
  for (guint i = 0; i < header->fields->len; i++)
    {
      g_autofree char *title = field_stripped (header, (int) i);

      for (guint c = 0; c < N_COLUMNS; c++)
        if (g_ascii_strcasecmp (title, names[c]) == 0)
          {
            if (columns[c] != -1)
              add_row_error (errors, header->line, _("the column “%s” appears twice"),
                             names[c]);
            columns[c] = (int) i;
          }
    }
  if (columns[COL_BARCODE] == -1 && columns[COL_PLU] == -1)
    add_row_error (errors, header->line,
                   _("the header has no “barcode” or “plu” column (it needs one of them to "
                     "find the products)"));
  else if (columns[COL_NAME] == -1 && columns[COL_PRICE] == -1 && columns[COL_UNIT] == -1
           && columns[COL_OPEN_PRICE] == -1
           && (columns[COL_BARCODE] == -1 || columns[COL_PLU] == -1))
    add_row_error (errors, header->line,
                   _("the header has no column to import (name, price, unit or plu)"));
  if (errors->len > 0)
    return FALSE;

  for (guint r = 1; r < records->len; r++)
    {
      CsvRecord *record = g_ptr_array_index (records, r);
      g_autoptr(ImportRow) row = g_new0 (ImportRow, 1);

      if (check_row (record, columns, header->fields->len, max_price_fen, barcodes, plus,
                     errors, row))
        g_ptr_array_add (rows, g_steal_pointer (&row));
    }
  if (errors->len > 0)
    return FALSE;

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      ImportRow *row = g_ptr_array_index (rows, i);
      g_autoptr(GError) row_error = NULL;
      g_autoptr(TillProduct) product = product_for_row (self, row, errors, &row_error);

      if (product != NULL)
        till_store_upsert_product (self, product, &row_error);
      if (row_error == NULL)
        continue;
      if (!g_error_matches (row_error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT))
        {
          till_store_rollback (self);
          g_propagate_error (error, g_steal_pointer (&row_error));
          return FALSE;
        }
      add_row_error (errors, row->line, "%s", row_error->message);
    }
  if (errors->len > 0)
    {
      till_store_rollback (self);
      return FALSE;
    }
  if (!till_store_commit (self, error))
    return FALSE;

  *n_imported = rows->len;
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
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  const char *data;
  gsize length = 0;
  guint imported = 0;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_imported != NULL)
    *n_imported = 0;
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
  data = contents;
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  check_utf8_lines (data, length, errors);
  if (errors->len == 0)
    {
      records = parse_csv (data, length, errors);
      if (records->len == 0)
        add_row_error (errors, 1, _("the file is empty; it needs a header row "
                                    "(barcode,name,price)"));
    }

  if (errors->len == 0
      && !import_records (self, records, max_price_fen, errors, &imported, &local_error)
      && local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (errors->len > 0)
    {
      set_import_error (error, errors);
      if (row_errors != NULL)
        *row_errors = g_steal_pointer (&errors);
      return FALSE;
    }

  g_message ("Imported %u products from %s", imported, path);
  if (n_imported != NULL)
    *n_imported = imported;
  return TRUE;
}
