/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The catalog CSV as the till and the head office read it (moved from the store's import,
 * src/store/till-store-import.c, which writes the rows to SQLite; src/hq to PostgreSQL):
 * the encoding, the CSV, the header and every row's checks; every bad row is reported with
 * its line number.
 *
 * Encoding: UTF-8 with a BOM (then it must be valid UTF-8), UTF-8, or else GB18030 (what
 * Excel and WPS save in China; GBK and GB2312 are subsets); a file that is text in neither
 * (or UTF-16) is refused naming its first bad line. The summary says which was read.
 * Format: RFC 4180 quoting (commas, doubled quotes and line breaks inside quotes), CRLF,
 * LF or CR line ends. Header row: the columns barcode (条码, 条形码, 商品条码), name (名称,
 * 商品名称, 品名), price (价格, 售价, 零售价), unit (单位), plu, open_price (时价), cost (进价,
 * 成本, 成本价) and stock (库存, 库存数量), found by name in any order and case (other
 * columns are ignored). It needs a barcode or a plu column, and something to import: name,
 * price, unit, cost, stock, or plu next to barcode. Every row error names its line, the
 * column (as the file titles it) and why. Rows:
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
 *  - cost (optional): yuan like price, empty or 0 to ¥99,999,999.99: the product's latest
 *    cost (not a stock move); stock (optional): empty or a number with at most three
 *    decimals: the product becomes tracked and its level that number, by ONE 'adjustment'
 *    stock move of the difference (none when equal), who = the importer, reference
 *    "import:" + the file's name, in the import's transaction; the summary counts them;
 *  - a barcode or plu may appear only once in the file (a UPC-A and its EAN-13 form
 *    "0" + the 12 digits are the same code).
 * Existing products (active or not; an import makes them active) are found by barcode,
 * as given or in its UPC-A/EAN-13 form, or by plu for rows without a barcode, and only
 * what the file gives changes: a column that is absent leaves its field as stored, and so
 * does an empty cell of unit, plu or barcode (an import never erases a unit, a PLU or a
 * barcode, so a price list cannot turn goods sold by kg into pieces). A new product needs
 * a name and a price; its unit is 件 when none is given. */
#define G_LOG_DOMAIN "till-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "till-barcode.h"
#include "till-catalog-csv.h"
#include "till-money.h"

typedef struct
{
  guint      line;      /* where the record starts */
  GPtrArray *fields;    /* char* */
} CsvRecord;

enum { COL_BARCODE, COL_NAME, COL_PRICE, COL_UNIT, COL_PLU, COL_OPEN_PRICE, COL_COST, COL_STOCK,
       N_COLUMNS };

/* Header names, English (any case) or Chinese, per COL_*; the first is the one the
 * export writes. */
static const char *const column_names[N_COLUMNS][6] = {
  [COL_BARCODE] = { "barcode", "条码", "条形码", "商品条码", NULL },
  [COL_NAME] = { "name", "名称", "商品名称", "品名", NULL },
  [COL_PRICE] = { "price", "价格", "售价", "零售价", NULL },
  [COL_UNIT] = { "unit", "单位", NULL },
  [COL_PLU] = { "plu", NULL },
  [COL_OPEN_PRICE] = { "open_price", "时价", NULL },
  [COL_COST] = { "cost", "进价", "成本", "成本价", NULL },
  [COL_STOCK] = { "stock", "库存", "库存数量", NULL },
};

void
till_catalog_row_free (TillCatalogRow *row)
{
  if (row == NULL)
    return;
  g_free (row->barcode);
  g_free (row->plu);
  g_free (row->name);
  g_free (row->unit);
  g_free (row);
}

void
till_import_error_free (TillImportError *error)
{
  if (error == NULL)
    return;
  g_free (error->reason);
  g_free (error->column);
  g_free (error);
}

gboolean
till_catalog_unit_is_weight (const char *unit)
{
  return g_ascii_strcasecmp (unit, "kg") == 0
         || strcmp (unit, "千克") == 0
         || strcmp (unit, "公斤") == 0;
}

char *
till_catalog_barcode_equivalent (const char *barcode)
{
  gsize length;

  if (barcode == NULL || !till_barcode_gs1_valid (barcode))
    return NULL;
  length = strlen (barcode);
  /* The leading 0 adds nothing to the GS1 check sum: both forms share the check digit. */
  if (length == 12)
    return g_strconcat ("0", barcode, NULL);
  if (length == 13 && barcode[0] == '0')
    return g_strdup (barcode + 1);
  return NULL;
}

static void
csv_record_free (CsvRecord *record)
{
  g_ptr_array_unref (record->fields);
  g_free (record);
}

void
till_import_error_add (GPtrArray  *errors,
                       const char *column,
                       guint       line,
                       const char *format,
                       ...)
{
  TillImportError *row_error = g_new0 (TillImportError, 1);
  va_list args;

  va_start (args, format);
  row_error->line = line;
  row_error->column = g_strdup (column);
  row_error->reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (errors, row_error);
}

char *
till_import_errors_describe (const GPtrArray *errors,
                             guint            max)
{
  GString *detail = g_string_new (NULL);

  for (guint i = 0; i < errors->len && i < max; i++)
    {
      const TillImportError *row_error = g_ptr_array_index ((GPtrArray *) errors, i);

      if (i > 0)
        g_string_append (detail, "; ");
      if (row_error->column != NULL)
        g_string_append_printf (detail, _("line %u, column “%s”: %s"), row_error->line,
                                row_error->column, row_error->reason);
      else
        g_string_append_printf (detail, _("line %u: %s"), row_error->line, row_error->reason);
    }
  if (errors->len > max)
    g_string_append (detail, "; …");
  return g_string_free (detail, FALSE);
}

/* The 1-based line of `offset`: line ends are \n, \r\n or a lone \r. */
static guint
line_at (const char *data,
         gsize       offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    if (data[i] == '\n' || (data[i] == '\r' && (i + 1 >= offset || data[i + 1] != '\n')))
      line++;
  return line;
}

/* The file's text in UTF-8: UTF-8 with a BOM (which must then be valid UTF-8), UTF-8, or
 * else GB18030 (what Excel and WPS save in China; GBK and GB2312 are subsets of it).
 * `*encoding` says which (static). NULL with a row error naming the first line that is
 * valid in neither. */
static char *
decode_text (const char  *data,
             gsize        length,
             const char **encoding,
             GPtrArray   *errors)
{
  const char *bad = NULL;
  g_autoptr(GError) convert_error = NULL;
  g_autofree char *converted = NULL;
  gsize bytes_read = 0, bytes_written = 0;

  if (length >= 2 && (((guchar) data[0] == 0xFF && (guchar) data[1] == 0xFE)
                      || ((guchar) data[0] == 0xFE && (guchar) data[1] == 0xFF)))
    {
      till_import_error_add (errors, NULL, 1,
                     _("the file is UTF-16 (Excel’s “Unicode text”); save it as “CSV UTF-8” "
                       "or “CSV”"));
      return NULL;
    }
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      *encoding = "UTF-8 with BOM";
      if (g_utf8_validate_len (data + 3, length - 3, &bad))
        return g_strndup (data + 3, length - 3);
      till_import_error_add (errors, NULL, line_at (data, (gsize) (bad - data)),
                     _("the file starts as UTF-8 but this line is not valid UTF-8 (save "
                       "the file again as “CSV UTF-8”)"));
      return NULL;
    }
  if (g_utf8_validate_len (data, length, &bad))
    {
      *encoding = "UTF-8";
      return g_strndup (data, length);
    }

  converted = g_convert (data, (gssize) length, "UTF-8", "GB18030", &bytes_read,
                         &bytes_written, &convert_error);
  if (converted != NULL && memchr (data, '\0', length) == NULL)
    {
      *encoding = "GB18030";
      /* GB18030's own byte order mark, if any, reads as U+FEFF */
      if (bytes_written >= 3 && memcmp (converted, "\xEF\xBB\xBF", 3) == 0)
        memmove (converted, converted + 3, bytes_written - 2);
      return g_steal_pointer (&converted);
    }
  if (convert_error != NULL)
    g_message ("Catalog import: not GB18030 either: %s", convert_error->message);
  bad = converted != NULL ? memchr (data, '\0', length) : data + MIN (bytes_read, length);
  till_import_error_add (errors, NULL, line_at (data, (gsize) (bad - data)),
                 _("the file is neither UTF-8 nor GB18030 (GBK): this line has bytes that "
                   "are text in neither; save the file as “CSV UTF-8”"));
  return NULL;
}

/* RFC 4180 with CRLF, LF or CR line ends. A quoted field may hold commas, doubled quotes
 * and line breaks. Fully blank lines are skipped. */
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
      if (*p == '\n' || *p == '\r')
        {
          p += *p == '\r' && p + 1 < end && p[1] == '\n' ? 2 : 1;
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
                  if (*p == '\n' || (*p == '\r' && (p + 1 >= end || p[1] != '\n')))
                    line++;
                  g_string_append_c (field, *p);
                  p++;
                }
              if (!closed)
                till_import_error_add (errors, NULL, start_line,
                               _("a quoted field is not closed (missing \")"));
              else if (p < end && *p != ',' && *p != '\n'
                       && !(*p == '\r' && p + 1 < end && p[1] == '\n') && *p != '\r')
                {
                  till_import_error_add (errors, NULL, line,
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

static char *
field_stripped (CsvRecord *record,
                int        column)
{
  if (column < 0 || (guint) column >= record->fields->len)
    return g_strdup ("");
  return g_strstrip (g_strdup (g_ptr_array_index (record->fields, column)));
}

/* Checks one record; on success fills `row` and returns TRUE. */
/* A quantity in thousandths: "12", "-3", "1.5", "0.125" (at most 3 decimals, at most
 * 12 digits before the point). */
static gboolean
parse_quantity (const char *text,
                gint64     *out_milli)
{
  const char *p = text;
  gint64 whole = 0, fraction = 0;
  int n_whole = 0, n_fraction = 0;
  gboolean negative = FALSE;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  for (; g_ascii_isdigit (*p); p++)
    {
      if (++n_whole > 12)
        return FALSE;
      whole = whole * 10 + (*p - '0');
    }
  if (n_whole == 0)
    return FALSE;
  if (*p == '.')
    {
      for (p++; g_ascii_isdigit (*p); p++)
        {
          if (++n_fraction > 3)
            return FALSE;
          fraction = fraction * 10 + (*p - '0');
        }
      if (n_fraction == 0)
        return FALSE;
    }
  if (*p != '\0')
    return FALSE;
  for (; n_fraction < 3; n_fraction++)
    fraction *= 10;
  *out_milli = (negative ? -1 : 1) * (whole * 1000 + fraction);
  return TRUE;
}

static gboolean
check_row (CsvRecord   *record,
           const int   *columns,   /* COL_*: field index, -1 if absent */
           char *const *titles,    /* COL_*: the column's title in the file, NULL if absent */
           guint        n_columns,
           gint64       max_price_fen,
           GHashTable  *barcodes,  /* code -> line, this file */
           GHashTable  *plus,
           GPtrArray   *errors,
           TillCatalogRow   *row)
{
  g_autofree char *barcode = NULL;
  g_autofree char *name = NULL;
  g_autofree char *price_text = NULL;
  g_autofree char *open_price_text = NULL;
  gboolean open_price = FALSE;
  g_autofree char *unit = NULL;
  g_autofree char *plu = NULL;
  g_autofree char *cost_text = NULL;
  g_autofree char *stock_text = NULL;
  g_autoptr(GError) money_error = NULL;
  g_autoptr(GError) cost_error = NULL;
  guint n_errors = errors->len;
  gint64 price = 0, cost = 0, stock = 0;

  if (record->fields->len != n_columns)
    {
      till_import_error_add (errors, NULL, record->line,
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
  cost_text = field_stripped (record, columns[COL_COST]);
  stock_text = field_stripped (record, columns[COL_STOCK]);

  if (columns[COL_NAME] != -1 && *name == '\0')
    till_import_error_add (errors, titles[COL_NAME], record->line, _("the name is empty"));

  if (columns[COL_PRICE] == -1)
    ;
  else if (*price_text == '\0')
    till_import_error_add (errors, titles[COL_PRICE], record->line, _("the price is empty"));
  else if (!till_money_parse (price_text, &price, &money_error))
    till_import_error_add (errors, titles[COL_PRICE], record->line, _("price “%s”: %s"), price_text,
                   money_error->message);
  else if (price < 0)
    till_import_error_add (errors, titles[COL_PRICE], record->line, _("price “%s” is negative"),
                   price_text);
  else if (price > max_price_fen)
    {
      g_autofree char *given = till_money_format (price);
      g_autofree char *highest = till_money_format (max_price_fen);

      till_import_error_add (errors, titles[COL_PRICE], record->line,
                     _("price %s is above the highest price allowed (%s); change the "
                       "setting max-price-fen if this is right"), given, highest);
    }

  /* cost and stock: optional cells (see the file comment) */
  if (*cost_text == '\0')
    ;
  else if (!till_money_parse (cost_text, &cost, &cost_error))
    till_import_error_add (errors, titles[COL_COST], record->line, _("cost “%s”: %s"), cost_text,
                   cost_error->message);
  else if (cost < 0 || cost > TILL_CATALOG_PRICE_CEILING_FEN)
    till_import_error_add (errors, titles[COL_COST], record->line,
                   _("cost “%s” must be from 0 to 99,999,999.99"), cost_text);
  if (*stock_text != '\0' && !parse_quantity (stock_text, &stock))
    till_import_error_add (errors, titles[COL_STOCK], record->line,
                   _("stock “%s” must be a number with at most three decimals (“12”, "
                     "“1.5”)"), stock_text);

  if (*barcode != '\0')
    {
      gsize length = strlen (barcode);

      if (!all_digits (barcode) && (strstr (barcode, "E+") != NULL
                                    || strstr (barcode, "e+") != NULL))
        /* Excel shows long numbers as 6.92117E+12 and saves them so: the digits are lost */
        till_import_error_add (errors, titles[COL_BARCODE], record->line,
                       _("barcode “%s” was turned into a number by the spreadsheet (its digits "
                         "are lost); format the column as text, type the barcodes again and "
                         "save"), barcode);
      else if (!all_digits (barcode))
        till_import_error_add (errors, titles[COL_BARCODE], record->line,
                       _("barcode “%s” must be digits only"), barcode);
      else if (length == 8 || length == 12 || length == 13 || length == 14)
        {
          if (!gs1_check_ok (barcode, length))
            till_import_error_add (errors, titles[COL_BARCODE], record->line,
                           _("barcode %s has a wrong check digit"), barcode);
        }
      else if (length < 6 || length > 20)
        till_import_error_add (errors, titles[COL_BARCODE], record->line,
                       _("barcode %s has %u digits; barcodes have 6 to 20 (put short "
                         "codes in the plu column)"), barcode, (guint) length);
    }
  else if (*plu == '\0')
    till_import_error_add (errors, NULL, record->line, _("the row needs a barcode or a plu"));

  if (g_ascii_strcasecmp (open_price_text, "1") == 0
      || g_ascii_strcasecmp (open_price_text, "yes") == 0
      || g_ascii_strcasecmp (open_price_text, "y") == 0
      || g_ascii_strcasecmp (open_price_text, "true") == 0)
    open_price = TRUE;
  else if (*open_price_text != '\0' && g_ascii_strcasecmp (open_price_text, "0") != 0
           && g_ascii_strcasecmp (open_price_text, "no") != 0
           && g_ascii_strcasecmp (open_price_text, "n") != 0
           && g_ascii_strcasecmp (open_price_text, "false") != 0)
    till_import_error_add (errors, titles[COL_OPEN_PRICE], record->line,
                   _("open_price “%s” must be 1 or 0 (yes or no)"),
                   open_price_text);

  if (*plu != '\0' && (!all_digits (plu) || strlen (plu) > 7))
    till_import_error_add (errors, titles[COL_PLU], record->line, _("plu “%s” must be 1 to 7 digits"),
                   plu);

  if (*barcode != '\0')
    {
      g_autofree char *equivalent = till_catalog_barcode_equivalent (barcode);
      guint first = GPOINTER_TO_UINT (g_hash_table_lookup (barcodes, barcode));
      guint first_equivalent = equivalent == NULL ? 0
        : GPOINTER_TO_UINT (g_hash_table_lookup (barcodes, equivalent));

      if (first != 0)
        till_import_error_add (errors, titles[COL_BARCODE], record->line,
                       _("barcode %s is also on line %u"), barcode, first);
      else if (first_equivalent != 0)
        till_import_error_add (errors, titles[COL_BARCODE], record->line,
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
        till_import_error_add (errors, titles[COL_PLU], record->line, _("plu %s is also on line %u"),
                       plu, first);
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
  row->cost_fen = cost;
  row->has_cost = *cost_text != '\0';
  row->stock_milli = stock;
  row->has_stock = *stock_text != '\0';
  return TRUE;
}


GPtrArray *
till_catalog_csv_read (const char  *data,
                       gsize        length,
                       gint64       max_price_fen,
                       const char **encoding,
                       GPtrArray   *errors)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) records = NULL;
  char *titles[N_COLUMNS] = { NULL };
  g_autoptr(GHashTable) barcodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) plus = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) rows =
    g_ptr_array_new_with_free_func ((GDestroyNotify) till_catalog_row_free);
  CsvRecord *header;
  int columns[N_COLUMNS] = { -1, -1, -1, -1, -1, -1, -1, -1 };
  guint n_errors = errors->len;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (encoding != NULL && errors != NULL, NULL);

  *encoding = NULL;
  text = decode_text (data, length, encoding, errors);
  if (text == NULL)
    return NULL;
  records = parse_csv (text, strlen (text), errors);
  if (records->len == 0)
    till_import_error_add (errors, NULL, 1, _("the file is empty; it needs a header row "
                                      "(barcode,name,price)"));
  if (errors->len > n_errors)
    return NULL;

  header = g_ptr_array_index (records, 0);
  for (guint i = 0; i < header->fields->len; i++)
    {
      char *title = g_ptr_array_index (header->fields, i);

      g_strstrip (title);
      for (guint c = 0; c < N_COLUMNS; c++)
        for (guint n = 0; column_names[c][n] != NULL; n++)
          if (g_ascii_strcasecmp (title, column_names[c][n]) == 0)
            {
              if (columns[c] != -1)
                till_import_error_add (errors, title, header->line,
                               _("the column “%s” appears twice (also as “%s”)"),
                               column_names[c][0], titles[c]);
              columns[c] = (int) i;
              titles[c] = title;
            }
    }
  if (columns[COL_BARCODE] == -1 && columns[COL_PLU] == -1)
    till_import_error_add (errors, NULL, header->line,
                   _("the header has no “barcode” or “plu” column (it needs one of them to "
                     "find the products)"));
  else if (columns[COL_NAME] == -1 && columns[COL_PRICE] == -1 && columns[COL_UNIT] == -1
           && columns[COL_OPEN_PRICE] == -1 && columns[COL_COST] == -1
           && columns[COL_STOCK] == -1
           && (columns[COL_BARCODE] == -1 || columns[COL_PLU] == -1))
    till_import_error_add (errors, NULL, header->line,
                   _("the header has no column to import (name, price, unit, plu, cost or "
                     "stock)"));
  if (errors->len > n_errors)
    return NULL;

  for (guint r = 1; r < records->len; r++)
    {
      CsvRecord *record = g_ptr_array_index (records, r);
      g_autoptr(TillCatalogRow) row = g_new0 (TillCatalogRow, 1);

      if (check_row (record, columns, titles, header->fields->len, max_price_fen, barcodes,
                     plus, errors, row))
        g_ptr_array_add (rows, g_steal_pointer (&row));
    }
  if (errors->len > n_errors)
    return NULL;

  return g_steal_pointer (&rows);
}
