/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The head office's PostgreSQL (issue 19; docs/head-office.md): a connection over libpq,
 * the versioned schema, the stores, the upsert of the tills' rows, the catalog and its
 * per-store prices, and the day report over stores. GLib, core and libpq only: never GTK,
 * never the till's SQLite store. Every call is synchronous (a thread of its own in the
 * till, the command line in tillpoint-hq). */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "till-report.h"

G_BEGIN_DECLS

#define TILL_HQ_ERROR (till_hq_error_quark ())
GQuark till_hq_error_quark (void);

typedef enum
{
  TILL_HQ_ERROR_CONNECT,        /* the server could not be reached or refused us */
  TILL_HQ_ERROR_NOT_INITIALIZED,/* no schema yet: `tillpoint-hq init` */
  TILL_HQ_ERROR_TOO_NEW,        /* the schema is newer than this program */
  TILL_HQ_ERROR_INVALID,        /* bad input: a batch, a store id, a date */
  TILL_HQ_ERROR_UNKNOWN_STORE,
  TILL_HQ_ERROR_FAILED,         /* the server failed the statement (the connection may be
                                   lost: try again later) */
} TillHqError;

/* The newest schema version this program knows. */
#define TILL_HQ_SCHEMA_VERSION 1

#define TILL_TYPE_HQ (till_hq_get_type ())
G_DECLARE_FINAL_TYPE (TillHq, till_hq, TILL, HQ, GObject)

/* Connects to `uri` (a libpq URI or key=value string: sslmode=verify-full, passfile and
 * the PG* environment work as libpq's; a password is never logged nor in an error). */
TillHq     *till_hq_connect            (const char  *uri,
                                        GError     **error);
/* Reads a connection string or URI as libpq would, without connecting: FALSE with
 * TILL_HQ_ERROR_INVALID (libpq's reason) when libpq cannot read it; *out_has_password (may
 * be NULL) whether it holds a password. */
gboolean    till_hq_conninfo_parse     (const char  *conninfo,
                                        gboolean    *out_has_password,
                                        GError     **error);
/* The schema's version: 0 when there is none. */
gboolean    till_hq_get_schema_version (TillHq      *self,
                                        int         *out_version,
                                        GError     **error);
/* Creates the schema when there is none and brings it to TILL_HQ_SCHEMA_VERSION, each
 * step in one transaction; `create` FALSE refuses a database without one
 * (TILL_HQ_ERROR_NOT_INITIALIZED). Running it again changes nothing. *out_from/out_to
 * (may be NULL): the versions before and after. */
gboolean    till_hq_migrate            (TillHq      *self,
                                        gboolean     create,
                                        int         *out_from,
                                        int         *out_to,
                                        GError     **error);

/* Stores: id ([0-9A-Za-z_]{1,32}, the till's `store-id`) and name. */
typedef struct
{
  char   *id;
  char   *name;
  guint   n_tills;
  gint64  last_batch_at;   /* unix µs of the newest batch from any of its tills; 0: none */
} TillHqStore;

void        till_hq_store_free (TillHqStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillHqStore, till_hq_store_free)

gboolean    till_hq_valid_id      (const char *id);
/* Adds the store or renames it. */
gboolean    till_hq_add_store     (TillHq      *self,
                                   const char  *id,
                                   const char  *name,
                                   GError     **error);
/* TillHqStore*, by id. */
GPtrArray  *till_hq_list_stores   (TillHq      *self,
                                   GError     **error);

/* A till as head office knows it: registered by its first batch (or its first catalog
 * pull), the times of its first and last batch (unix µs; 0: none yet) and the catalog
 * version it says it has applied. */
typedef struct
{
  char   *store_id;
  char   *till_id;
  gint64  first_batch_at;
  gint64  last_batch_at;
  gint64  catalog_version;
} TillHqTill;

void        till_hq_till_free (TillHqTill *till);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillHqTill, till_hq_till_free)

/* TillHqTill*, by store and till; of one store when `store_id` is not NULL. */
GPtrArray  *till_hq_list_tills    (TillHq      *self,
                                   const char  *store_id,
                                   GError     **error);
/* Notes the catalog version a till has applied (the till calls it after each pull);
 * registers the till when it has sent no batch yet. An unknown store:
 * TILL_HQ_ERROR_UNKNOWN_STORE. Writes nothing when the version is the one noted. */
gboolean    till_hq_note_catalog_version (TillHq      *self,
                                          const char  *store_id,
                                          const char  *till_id,
                                          gint64       version,
                                          GError     **error);

/* ---------------------------------------------------------------- tills' rows */

/* The tables a till sends (docs/head-office.md): each row a JSON object of the till's
 * own columns, named as in its SQLite, its own id included (sale_line: sale_id and
 * position; goods_return_line: return_id and position; day_close: date;
 * reconciliation: id). */
typedef enum
{
  TILL_HQ_SALE,
  TILL_HQ_SALE_LINE,
  TILL_HQ_PAYMENT,
  TILL_HQ_REFUND,
  TILL_HQ_CASH_MOVEMENT,
  TILL_HQ_DAY_CLOSE,
  TILL_HQ_RECONCILIATION,
  TILL_HQ_GOODS_RETURN,
  TILL_HQ_GOODS_RETURN_LINE,
  TILL_HQ_STOCK_MOVE,
  TILL_HQ_STORED_VALUE_MOVE,
  TILL_HQ_POINTS_MOVE,
  TILL_HQ_N_TABLES
} TillHqTable;

/* "sale", "sale_line", ...; -1 for an unknown name. */
const char *till_hq_table_name      (TillHqTable table);
int         till_hq_table_from_name (const char *name);

typedef struct
{
  guint n_rows;       /* rows in the batch */
  guint n_changed;    /* rows inserted or changed (a row sent again unchanged: 0) */
} TillHqUpsertStats;

/* One batch of one till, in ONE transaction (all or nothing):
 *   {"store_id": "S1", "till_id": "T1",
 *    "tables": {"sale": [{...}, ...], "sale_line": [...], ...}}
 * Each row is upserted by (store_id, till_id, the till's id): a row sent twice changes
 * nothing the second time (the update's WHERE compares every column); the same row
 * twice in one batch keeps the later. Unknown tables or columns are refused
 * (TILL_HQ_ERROR_INVALID), so is an unknown store (TILL_HQ_ERROR_UNKNOWN_STORE); the till
 * is registered under its store by its first batch. */
gboolean    till_hq_upsert_batch      (TillHq             *self,
                                       JsonNode           *batch,
                                       TillHqUpsertStats  *stats,
                                       GError            **error);
gboolean    till_hq_upsert_batch_json (TillHq             *self,
                                       const char         *json,
                                       TillHqUpsertStats  *stats,
                                       GError            **error);
/* The same for one table's rows (a JSON array of row objects), in one transaction. */
gboolean    till_hq_upsert_rows       (TillHq             *self,
                                       const char         *store_id,
                                       const char         *till_id,
                                       TillHqTable         table,
                                       JsonArray          *rows,
                                       TillHqUpsertStats  *stats,
                                       GError            **error);
#define till_hq_upsert_sales(hq, store, till, rows, stats, error) \
  till_hq_upsert_rows ((hq), (store), (till), TILL_HQ_SALE, (rows), (stats), (error))
#define till_hq_upsert_payments(hq, store, till, rows, stats, error) \
  till_hq_upsert_rows ((hq), (store), (till), TILL_HQ_PAYMENT, (rows), (stats), (error))
#define till_hq_upsert_refunds(hq, store, till, rows, stats, error) \
  till_hq_upsert_rows ((hq), (store), (till), TILL_HQ_REFUND, (rows), (stats), (error))

/* ---------------------------------------------------------------- catalog */

/* One product of the head office's catalog, as the tills will pull it. */
typedef struct
{
  char    *barcode;       /* NULL: none */
  char    *plu;           /* NULL: none */
  char    *name;
  char    *unit;
  gboolean weighed;
  gboolean open_price;
  gint64   price_fen;     /* the chain's price, or the store's where it has its own */
  gint64   version;       /* the catalog version of its last change */
} TillHqProduct;

void        till_hq_product_free (TillHqProduct *product);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillHqProduct, till_hq_product_free)

typedef struct
{
  guint  n_rows;
  guint  n_changed;        /* products or prices that changed */
  gint64 version_before;
  gint64 version_after;
  const char *encoding;    /* static */
} TillHqImportSummary;

/* Imports a catalog CSV (the till's formats: till_catalog_csv_read()) in one
 * transaction. Without `store_id`, names, units and the chain's prices; with one, the
 * prices become that store's own (a product new to head office gets it as its chain price
 * too). Refused as a whole with every bad row in *row_errors (TillImportError*). */
gboolean    till_hq_import_catalog (TillHq              *self,
                                    const char          *path,
                                    const char          *store_id,
                                    TillHqImportSummary *summary,
                                    GPtrArray          **row_errors,
                                    GError             **error);
/* The catalog's version: the highest of its products' and prices' (0: empty). */
gboolean    till_hq_catalog_version (TillHq      *self,
                                     gint64      *out_version,
                                     GError     **error);
/* What changed after `since` as a till of `store_id` sees it (TillHqProduct*, by
 * version): what a till pulls. */
GPtrArray  *till_hq_catalog_changes (TillHq      *self,
                                     const char  *store_id,
                                     gint64       since,
                                     GError     **error);

/* ---------------------------------------------------------------- report */

/* One store's line in the head office's report. */
typedef struct
{
  char   *store_id;
  char   *name;
  guint   n_sales;
  gint64  gross_fen;
  gint64  refunds_fen;
  gint64  returns_fen;
  gint64  net_fen;
  guint   n_refunds;
  guint   n_voids;
} TillHqStoreLine;

typedef struct
{
  TillReport *total;      /* the till's report's figures, over the stores */
  GPtrArray  *stores;     /* TillHqStoreLine*, by store id */
} TillHqReport;

void          till_hq_report_free (TillHqReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillHqReport, till_hq_report_free)

/* The local day `date` (YYYY-MM-DD) over every store, or one (`store_id`). The
 * figures are those of the till's report (till_store_report_day()): the same SQL over
 * the same rows, summed over the tills. */
TillHqReport *till_hq_report_day   (TillHq      *self,
                                    const char  *date,
                                    const char  *store_id,
                                    GError     **error);
/* The till's text or CSV layout, then the stores' lines. */
char         *till_hq_report_to_text (const TillHqReport *report);
char         *till_hq_report_to_csv  (const TillHqReport *report,
                                      gsize              *out_length);

G_END_DECLS
