/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Catalog import from CSV: all rows are checked, every bad row is reported with its line
 * number, and the file is imported in one transaction or not at all.
 *
 * Format: UTF-8 (an optional BOM is skipped), RFC 4180 quoting, CRLF or LF line ends.
 * Header row: barcode, name, price, and optionally unit and plu, found by name in any
 * order and case. Rows:
 *  - name: not empty;
 *  - price: yuan as till_money_parse() reads it ("3.50", "¥3.50"), not negative;
 *  - barcode: empty (then plu is required) or digits only. 8, 12, 13 and 14 digits are
 *    GS1 codes (EAN-8, UPC-A, EAN-13, GTIN-14) and must carry a correct check digit;
 *    other lengths from 6 to 20 digits are accepted as in-store codes, whose check digit
 *    (if any) we cannot know; shorter codes belong in the plu column;
 *  - plu: empty or 1 to 7 digits (what a cashier types);
 *  - unit: empty (件) or any text; "kg", "千克" and "公斤" mark goods sold by weight;
 *  - a barcode or plu may appear only once in the file.
 * Existing products are updated by barcode (by plu for rows without a barcode). */
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

/* Checks one record; on success fills `product` and returns TRUE. */
static gboolean
check_row (CsvRecord   *record,
           const int   *columns,   /* barcode, name, price, unit, plu; -1 if absent */
           guint        n_columns,
           GHashTable  *barcodes,  /* code -> line, this file */
           GHashTable  *plus,
           GPtrArray   *errors,
           TillProduct *product)
{
  g_autofree char *barcode = NULL;
  g_autofree char *name = NULL;
  g_autofree char *price_text = NULL;
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

  barcode = field_stripped (record, columns[0]);
  name = field_stripped (record, columns[1]);
  price_text = field_stripped (record, columns[2]);
  unit = field_stripped (record, columns[3]);
  plu = field_stripped (record, columns[4]);

  if (*name == '\0')
    add_row_error (errors, record->line, _("the name is empty"));

  if (*price_text == '\0')
    add_row_error (errors, record->line, _("the price is empty"));
  else if (!till_money_parse (price_text, &price, &money_error))
    add_row_error (errors, record->line, _("price “%s”: %s"), price_text,
                   money_error->message);
  else if (price < 0)
    add_row_error (errors, record->line, _("price “%s” is negative"), price_text);

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

  if (*plu != '\0' && (!all_digits (plu) || strlen (plu) > 7))
    add_row_error (errors, record->line, _("plu “%s” must be 1 to 7 digits"), plu);

  if (*barcode != '\0')
    {
      guint first = GPOINTER_TO_UINT (g_hash_table_lookup (barcodes, barcode));

      if (first != 0)
        add_row_error (errors, record->line,
                       _("barcode %s is also on line %u"), barcode, first);
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

  product->barcode = *barcode ? g_steal_pointer (&barcode) : NULL;
  product->plu = *plu ? g_steal_pointer (&plu) : NULL;
  product->name = g_steal_pointer (&name);
  product->price_fen = price;
  product->weighed = *unit != '\0' && unit_is_weight (unit);
  product->unit = product->weighed ? g_strdup ("kg")
                                   : g_strdup (*unit ? unit : "件");
  product->active = TRUE;
  return TRUE;
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
                GPtrArray  *errors,
                guint      *n_imported,
                GError    **error)
{
  static const char *names[] = { "barcode", "name", "price", "unit", "plu" };
  g_autoptr(GHashTable) barcodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) plus = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) products = g_ptr_array_new_with_free_func ((GDestroyNotify) till_product_free);
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(TillStoreLocker) locker = NULL;
  CsvRecord *header;
  int columns[G_N_ELEMENTS (names)] = { -1, -1, -1, -1, -1 };

  header = g_ptr_array_index (records, 0);
  for (guint i = 0; i < header->fields->len; i++)
    {
      g_autofree char *title = field_stripped (header, (int) i);

      for (guint c = 0; c < G_N_ELEMENTS (names); c++)
        if (g_ascii_strcasecmp (title, names[c]) == 0)
          {
            if (columns[c] != -1)
              add_row_error (errors, header->line, _("the column “%s” appears twice"),
                             names[c]);
            columns[c] = (int) i;
          }
    }
  for (guint c = 0; c < 3; c++)
    if (columns[c] == -1)
      add_row_error (errors, header->line,
                     _("the header has no “%s” column (it needs barcode, name and price)"),
                     names[c]);
  if (errors->len > 0)
    return FALSE;

  for (guint r = 1; r < records->len; r++)
    {
      CsvRecord *record = g_ptr_array_index (records, r);
      g_autoptr(TillProduct) product = g_new0 (TillProduct, 1);

      if (check_row (record, columns, header->fields->len, barcodes, plus, errors, product))
        {
          g_ptr_array_add (products, g_steal_pointer (&product));
          g_array_append_val (lines, record->line);
        }
    }
  if (errors->len > 0)
    return FALSE;

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < products->len; i++)
    {
      TillProduct *product = g_ptr_array_index (products, i);
      g_autoptr(GError) row_error = NULL;

      if (till_store_upsert_product (self, product, &row_error) == 0)
        {
          if (!g_error_matches (row_error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT))
            {
              till_store_rollback (self);
              g_propagate_error (error, g_steal_pointer (&row_error));
              return FALSE;
            }
          add_row_error (errors, g_array_index (lines, guint, i), "%s", row_error->message);
        }
    }
  if (errors->len > 0)
    {
      till_store_rollback (self);
      return FALSE;
    }
  if (!till_store_commit (self, error))
    return FALSE;

  *n_imported = products->len;
  return TRUE;
}

gboolean
till_store_import_catalog_csv (TillStore   *self,
                               const char  *path,
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
      && !import_records (self, records, errors, &imported, &local_error)
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
