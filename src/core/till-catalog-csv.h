/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The catalog CSV (the format is in till-catalog-csv.c's first comment): read and checked
 * into rows, with every bad row's line, column and reason. No I/O: the till's store
 * (till_store_import_catalog_csv()) and the head office (till_hq_import_catalog()) write
 * the rows. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One rejected CSV row. */
typedef struct
{
  guint  line;     /* 1-based line number in the file (the header is line 1) */
  char  *reason;   /* e.g. "price \"12.505\" has more than two decimals" */
  char  *column;   /* the column's title as the file writes it ("售价"), or NULL */
} TillImportError;

void till_import_error_free (TillImportError *error);
/* Appends a rejected row to `errors` (TillImportError*); `column` NULL for the row as a
 * whole. */
void till_import_error_add (GPtrArray  *errors,
                            const char *column,
                            guint       line,
                            const char *format,
                            ...) G_GNUC_PRINTF (4, 5);
/* The first `max` problems in words ("line 3, column “售价”: …; line 5: …; …"), for the
 * message that refuses the whole file. */
char *till_import_errors_describe (const GPtrArray *errors,
                                   guint            max);

/* The highest price or cost a catalog may hold (¥99,999,999.99). */
#define TILL_CATALOG_PRICE_CEILING_FEN G_GINT64_CONSTANT (9999999999)

/* A checked row: what it gives. NULL (or has_* FALSE) is "not given": the column is
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
  gint64   cost_fen;
  gboolean has_cost;
  gint64   stock_milli;
  gboolean has_stock;
} TillCatalogRow;

void till_catalog_row_free (TillCatalogRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillCatalogRow, till_catalog_row_free)

/* "kg", "千克", "公斤": goods sold by weight. */
gboolean   till_catalog_unit_is_weight     (const char *unit);
/* A 12-digit UPC-A's 13-digit EAN-13 form ("0" + it) and the other way round; NULL for
 * any other code. */
char      *till_catalog_barcode_equivalent (const char *barcode);

/* Reads the file's bytes: the encoding (*encoding, static: "UTF-8", "UTF-8 with BOM",
 * "GB18030"; NULL when it is neither), the CSV, the header and every row. The rows
 * (TillCatalogRow*, in file order), or NULL after appending every problem to `errors`
 * (TillImportError*). `max_price_fen`: the highest price a row may have. */
GPtrArray *till_catalog_csv_read (const char  *data,
                                  gsize        length,
                                  gint64       max_price_fen,
                                  const char **encoding,
                                  GPtrArray   *errors);

G_END_DECLS
