/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The till's SQLite database: schema and migrations, catalog, sales and payments.
 *
 * Threading: one connection, guarded by a mutex, so the synchronous API may be called
 * from any thread (tests, the command line, worker threads). The UI must use the _async
 * variants: they run, in submission order, on the store's own worker thread and complete
 * on the caller's main context. */
#pragma once

#include <gio/gio.h>
#include "till-core.h"
#include "till-catalog-csv.h"

G_BEGIN_DECLS

#define TILL_STORE_ERROR (till_store_error_quark ())

typedef enum
{
  TILL_STORE_ERROR_FAILED,        /* SQLite failed; message has the details */
  TILL_STORE_ERROR_CORRUPT,       /* not a Tillpoint database, or damaged */
  TILL_STORE_ERROR_TOO_NEW,       /* made by a newer Tillpoint */
  TILL_STORE_ERROR_NOT_FOUND,
  TILL_STORE_ERROR_CONSTRAINT,    /* e.g. duplicate barcode */
  TILL_STORE_ERROR_IMPORT,        /* CSV import rejected: see the row errors */
  TILL_STORE_ERROR_INVALID_STATE, /* e.g. completing a sale that is not open */
  TILL_STORE_ERROR_DENIED,        /* wrong PIN, or the person may not do this */
  TILL_STORE_ERROR_LOCKED,        /* too many wrong PINs: try again later */
  TILL_STORE_ERROR_DAY_CLOSED,    /* the day is closed (Z report): it cannot change */
  TILL_STORE_ERROR_READ_ONLY,     /* the database or its directory cannot be written */
  TILL_STORE_ERROR_IN_USE,        /* another till holds the data directory (its lock) */
  TILL_STORE_ERROR_FULL,          /* the disk is full (SQLITE_FULL, ENOSPC): nothing was saved */
} TillStoreError;

GQuark till_store_error_quark (void);

/* The current schema version (PRAGMA user_version). All times in the database are unix
 * microseconds (UTC, gint64); all money is gint64 fen; quantities are thousandths. */
#define TILL_STORE_SCHEMA_VERSION 21

/* A catalog product (boxed). */
typedef struct
{
  gint64  id;
  char   *barcode;    /* may be NULL for PLU-only goods */
  char   *plu;        /* may be NULL */
  char   *name;
  gint64  price_fen;  /* per unit; per kg for weighed goods */
  char   *unit;       /* "件", "瓶", "kg", ... */
  gboolean weighed;   /* unit is a weight (kg): quantities in grams -> qty_milli */
  gboolean active;
  gboolean open_price; /* "price at the till": the cashier gives the price when it is sold */
} TillProduct;

#define TILL_TYPE_PRODUCT (till_product_get_type ())
GType        till_product_get_type (void);
TillProduct *till_product_copy     (const TillProduct *product);
void         till_product_free     (TillProduct       *product);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillProduct, till_product_free)

/* TillImportError, one rejected CSV row: till-catalog-csv.h (core). */

#define TILL_TYPE_STORE (till_store_get_type ())
G_DECLARE_FINAL_TYPE (TillStore, till_store, TILL, STORE, GObject)

/* Opens (creating if missing) and migrates the database at `path`; WAL,
 * synchronous=FULL, foreign keys on; busy timeout 5 s, so that another process's write
 * (a command-line import beside the running till) is waited for, not failed.
 * Refused with TILL_STORE_ERROR_READ_ONLY when the file or its directory cannot be
 * written (till_store_check_writable(), then SQLite's own view), so that a read-only
 * database fails at start and not at the first sale; TILL_STORE_ERROR_CORRUPT and
 * TILL_STORE_ERROR_TOO_NEW leave the file as it is.
 * Opening changes no sale, payment or queued job: several processes may open the same
 * file (the till and command-line jobs). What a till does after a crash (queued jobs
 * left running, unfinished payments) is the job of the one till process that holds the
 * data directory (till-store-dirlock.h), not of every opener. */
TillStore   *till_store_open               (const char   *path,
                                            GError      **error);
/* Whether this process may write the database file `path` (when it exists) and create
 * files in its directory (the -wal and -shm files), by access(2): FALSE with
 * TILL_STORE_ERROR_READ_ONLY naming the file or the directory when access is denied
 * (EACCES, EPERM, EROFS). A missing file or directory is left to the open to report. */
gboolean     till_store_check_writable     (const char   *path,
                                            GError      **error);
const char  *till_store_get_path           (TillStore    *self);
int          till_store_get_schema_version (TillStore    *self);

/* ---- catalog (indexed lookups; the catalog is never loaded into memory) ---- */
/* NULL + TILL_STORE_ERROR_NOT_FOUND when there is no active product with that code. */
TillProduct *till_store_lookup_barcode     (TillStore    *self,
                                            const char   *barcode,
                                            GError      **error);
TillProduct *till_store_lookup_plu         (TillStore    *self,
                                            const char   *plu,
                                            GError      **error);
/* Active products whose name contains `query` (case-insensitive for ASCII), at most
 * `limit`, ordered by name. Array of TillProduct*, owned. */
GPtrArray   *till_store_search_products    (TillStore    *self,
                                            const char   *query,
                                            guint         limit,
                                            GError      **error);
/* Inserts or updates by barcode (or by plu when barcode is NULL); every field is written,
 * and the product's search keys (till-store-search.h) in the same transaction.
 * A UPC-A code and its EAN-13 form ("0" + the 12 digits) are the same item: when only
 * the other form is stored, that product is updated and keeps its stored form. Refused
 * (TILL_STORE_ERROR_CONSTRAINT) without a code or a name, or with a price below 0 or
 * above TILL_STORE_PRICE_CEILING_FEN. Returns the id. */
gint64       till_store_upsert_product     (TillStore         *self,
                                            const TillProduct *product,
                                            GError           **error);
/* All products, active or not. */
gint64       till_store_count_products     (TillStore    *self,
                                            GError      **error);

/* Inserts (or refreshes, by barcode/PLU) the demo catalog of a Chinese convenience store:
 * packaged goods with EAN-13 barcodes, PLU goods and goods sold by weight (unit kg,
 * 6-digit PLU = the item code of the scale's prefix-2 EAN-13). Idempotent. */
gboolean     till_store_seed_demo_catalog  (TillStore    *self,
                                            GError      **error);
/* The demo's quick keys (two pages of counter and weighed goods), only on a till that has
 * none arranged: a shop that arranged its own keeps them. */
gboolean     till_store_seed_demo_quick_keys (TillStore  *self,
                                              GError    **error);

/* The highest price (fen) the CSV import accepts when the caller passes 0: ¥99,999.99.
 * The till's setting max-price-fen (the command line passes it) changes it. */
#define TILL_STORE_DEFAULT_MAX_PRICE_FEN G_GINT64_CONSTANT (9999999)
/* No product can cost more than this (¥99,999,999.99), whatever the setting; the largest
 * value of max-price-fen. */
#define TILL_STORE_PRICE_CEILING_FEN     G_GINT64_CONSTANT (9999999999)

/* CSV import: UTF-8 or GB18030, header with barcode and/or plu, and any of name, price, unit, plu
 * (columns found by name; see till-store-import.c for the rules). An existing product is
 * updated only in the columns the file has, and an empty unit, plu or barcode cell keeps
 * the stored value; a new product needs a name and a price. A price above
 * `max_price_fen` (0: the default TILL_STORE_DEFAULT_MAX_PRICE_FEN; never above
 * TILL_STORE_PRICE_CEILING_FEN) is a bad row.
 * All or nothing: if any row is bad, nothing is imported, FALSE is returned with
 * TILL_STORE_ERROR_IMPORT, and *row_errors (array of TillImportError*) lists every bad
 * row with its line number and reason. On success *n_imported is the number of rows. */
gboolean     till_store_import_catalog_csv (TillStore    *self,
                                            const char   *path,
                                            gint64        max_price_fen,
                                            guint        *n_imported,
                                            GPtrArray   **row_errors,
                                            GError      **error);

/* What an import read (till_store_import_catalog_csv_full()). */
typedef struct
{
  guint       n_imported;
  const char *encoding;  /* static: "UTF-8", "UTF-8 with BOM" or "GB18030"; also set when
                          * the rows were rejected, NULL when the text was not readable */
  char       *note;      /* NULL, or a sentence for the person: how many stock levels the
                          * stock column set */
  guint       n_levels_set;   /* rows with a stock cell: their products' levels are it */
  guint       n_stock_moves;  /* the 'adjustment' moves that took (levels that changed) */
} TillImportSummary;

void         till_import_summary_clear     (TillImportSummary *summary);

/* The same, and says which encoding it read (UTF-8 with or without a BOM, else GB18030,
 * which includes GBK) and how many stock levels it set. A file that is text in neither is refused
 * with a row error naming its first bad line. */
gboolean     till_store_import_catalog_csv_full (TillStore          *self,
                                                 const char         *path,
                                                 gint64              max_price_fen,
                                                 TillImportSummary  *summary,
                                                 GPtrArray         **row_errors,
                                                 GError            **error);
/* The same, by `who` (the stock moves' who; NULL: "import"). */
gboolean     till_store_import_catalog_csv_as (TillStore          *self,
                                               const char         *path,
                                               gint64              max_price_fen,
                                               const char         *who,
                                               TillImportSummary  *summary,
                                               GPtrArray         **row_errors,
                                               GError            **error);

/* Writes the active products to `path` (replaced atomically) as CSV in UTF-8 with a BOM
 * and CRLF line ends (what Excel and WPS open right): the columns
 * barcode,name,price,unit,plu,open_price that the import reads, so that importing the
 * file changes nothing. Inactive products are left out (an import would make them
 * active). */
gboolean     till_store_export_catalog_csv (TillStore    *self,
                                            const char   *path,
                                            guint        *n_exported,
                                            GError      **error);

/* ---- sales ---- */
/* Allocates the next sale number for `till_id` on the local day of `now_us`
 * ("20261121-0001"), unique forever. */
char        *till_store_next_sale_number   (TillStore    *self,
                                            gint64        now_us,
                                            GError      **error);
/* The same with a sequence of its own for `till_id` (NULL = the default sequence). One
 * database serves one till; the number is checked against every stored sale so it is
 * never given twice. */
char        *till_store_next_sale_number_for_till (TillStore  *self,
                                                   const char *till_id,
                                                   gint64      now_us,
                                                   GError    **error);
/* Writes the whole sale (row + lines) in one transaction; assigns the id when new.
 * Called on every change of the open sale, so a crash never loses the cart. */
gboolean     till_store_save_sale          (TillStore    *self,
                                            TillSale     *sale,
                                            const char   *cashier,
                                            const char   *till_id,
                                            GError      **error);
/* The open (state open) sale of this till, with its lines, or NULL (no error) if none. */
TillSale    *till_store_load_open_sale     (TillStore    *self,
                                            const char   *till_id,
                                            GError      **error);
TillSale    *till_store_load_sale          (TillStore    *self,
                                            gint64        sale_id,
                                            GError      **error);
TillSale    *till_store_load_sale_by_number (TillStore   *self,
                                            const char   *number,
                                            GError      **error);

/* Completes an open sale paid in cash in one transaction: the sale and its lines as they
 * are now, state paid, closed_at, total; a payment row (method cash, state paid,
 * amount = total, rounding_fen = the total rounded by `rounding` minus the total: the
 * cash received is the rounded total). Tendered and change (tendered - cash received) are
 * recorded in the payment's detail_json. Refused (TILL_STORE_ERROR_INVALID_STATE) when the
 * total is not positive, the cash is short, the tendered amount is not in the rule's unit
 * (till_money_check_cash()) or the sale is not open. On success sets the sale's id and
 * state (paid): call it on the thread that owns the sale, or use the _async variant. The
 * till passes its "cash-rounding" setting. */
gboolean     till_store_complete_cash_sale_rounded (TillStore        *self,
                                                    TillSale         *sale,
                                                    gint64            tendered_fen,
                                                    TillCashRounding  rounding,
                                                    GError          **error);
/* The same to the fen (TILL_CASH_ROUNDING_NONE): for tools and tests. */
gboolean     till_store_complete_cash_sale (TillStore    *self,
                                            TillSale     *sale,
                                            gint64        tendered_fen,
                                            GError      **error);
/* Voids an open or suspended sale (state voided, closed_at) and writes an audit row
 * (action "void_sale") in the same transaction; sets the sale's state. */
gboolean     till_store_void_sale          (TillStore    *self,
                                            TillSale     *sale,
                                            const char   *actor,
                                            GError      **error);

/* Appends to the audit log. detail_json may be NULL. */
gboolean     till_store_audit              (TillStore    *self,
                                            const char   *actor,
                                            const char   *action,
                                            const char   *detail_json,
                                            GError      **error);

/* ---- async for the UI thread: runs on the store thread, in submission order ---- */
typedef gpointer (*TillStoreFunc) (TillStore *store,
                                   gpointer   data,
                                   GError   **error);

/* Runs func(store, data, &error) on the store thread; the result pointer (or error) is
 * given back by till_store_run_finish(). data_free (may be NULL) frees data afterwards;
 * result_free frees an unclaimed result. */
void         till_store_run_async          (TillStore          *self,
                                            TillStoreFunc       func,
                                            gpointer            data,
                                            GDestroyNotify      data_free,
                                            GDestroyNotify      result_free,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
gpointer     till_store_run_finish         (TillStore          *self,
                                            GAsyncResult       *result,
                                            GError            **error);

/* Saves a snapshot of the sale on the store thread (the UI never waits for fsync).
 * Saves are applied in order; the snapshot is taken at call time. A new sale's id is
 * set by _finish() (saves before that find the sale by its number). A save of a sale
 * that is already paid or voided in the database fails with INVALID_STATE. */
void         till_store_save_sale_async    (TillStore          *self,
                                            TillSale           *sale,
                                            const char         *cashier,
                                            const char         *till_id,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
gboolean     till_store_save_sale_finish   (TillStore          *self,
                                            GAsyncResult       *result,
                                            GError            **error);

/* till_store_complete_cash_sale_rounded() on the store thread, with a snapshot of the sale
 * taken now; _finish() sets the sale's id and state (paid) on the caller's thread. */
void         till_store_complete_cash_sale_rounded_async (TillStore          *self,
                                                          TillSale           *sale,
                                                          gint64              tendered_fen,
                                                          TillCashRounding    rounding,
                                                          GCancellable       *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer            user_data);
/* The same to the fen (TILL_CASH_ROUNDING_NONE); both end with this _finish(). */
void         till_store_complete_cash_sale_async  (TillStore          *self,
                                                   TillSale           *sale,
                                                   gint64              tendered_fen,
                                                   GCancellable       *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer            user_data);
gboolean     till_store_complete_cash_sale_finish (TillStore          *self,
                                                   GAsyncResult       *result,
                                                   GError            **error);

/* till_store_void_sale() on the store thread; _finish() sets the sale's state. */
void         till_store_void_sale_async    (TillStore          *self,
                                            TillSale           *sale,
                                            const char         *actor,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
gboolean     till_store_void_sale_finish   (TillStore          *self,
                                            GAsyncResult       *result,
                                            GError            **error);

/* Blocks until every async job submitted so far has run (tests, shutdown). */
void         till_store_flush              (TillStore          *self);

G_END_DECLS
