/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the files that implement TillStore (till-store*.c): the connection under the
 * store lock, transactions, the prepared-statement cache and SQLite error reporting.
 *
 * Rules for code in src/store:
 *  - hold the store lock (TillStoreLocker) for the whole of any use of the connection;
 *    the lock is recursive, so a locked function may call the public sync API;
 *  - only prepared statements with bound parameters; SQL text is always a literal;
 *  - all times are unix microseconds (gint64, UTC), all money is gint64 fen. */
#pragma once

#include <sqlite3.h>
#include <glib/gi18n-lib.h>
#include "till-store.h"
#include "till-store-payments.h"
#include "till-report.h"

G_BEGIN_DECLS

/* PRAGMA application_id of a Tillpoint database ("TILL"). */
#define TILL_STORE_APPLICATION_ID 0x54494C4C

/* ---- locking ---- */
void      till_store_lock   (TillStore *self);
void      till_store_unlock (TillStore *self);

/* g_autoptr(TillStoreLocker) locker = till_store_locker_new (self); */
typedef TillStore TillStoreLocker;
static inline TillStoreLocker *
till_store_locker_new (TillStore *self)
{
  till_store_lock (self);
  return (TillStoreLocker *) self;
}
static inline void
till_store_locker_free (TillStoreLocker *locker)
{
  till_store_unlock ((TillStore *) locker);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillStoreLocker, till_store_locker_free)

/* The connection; the lock must be held. */
sqlite3  *till_store_get_db (TillStore *self);

/* ---- transactions (lock held). Nest: the outermost is BEGIN IMMEDIATE, inner ones are
 * savepoints. Every successful till_store_begin() is matched by exactly one commit or
 * rollback. ---- */
gboolean  till_store_begin    (TillStore *self,
                               GError   **error);
gboolean  till_store_commit   (TillStore *self,
                               GError   **error);
void      till_store_rollback (TillStore *self);

/* ---- statements ---- */
/* A cached statement for a literal SQL text, reset and with cleared bindings; borrowed
 * (the cache owns it). Declare it as g_autoptr(TillCachedStmt) so that it is reset when
 * it goes out of scope (a SELECT left un-reset keeps a read transaction open). */
typedef struct sqlite3_stmt TillCachedStmt;
TillCachedStmt *till_store_prepare_cached (TillStore  *self,
                                           const char *sql,
                                           GError    **error);
static inline void
till_cached_stmt_release (TillCachedStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillCachedStmt, till_cached_stmt_release)

/* Steps a statement that returns no rows; on failure sets `error` with `what` (for the
 * cashier, translated) as till_store_set_sqlite_error() does. */
gboolean  till_store_step_done (TillStore    *self,
                                sqlite3_stmt *stmt,
                                const char   *what,
                                GError      **error);
/* Runs a literal statement that returns no rows (an UPDATE of one row, typically) with
 * the row id bound to ?1 and, when it has a ?2, `value` bound to it; lock held. */
gboolean  till_store_exec_for_id (TillStore  *self,
                                  const char *sql,
                                  gint64      id,
                                  gint64      value,
                                  const char *what,
                                  GError    **error);
/* The first column of the one row of a literal query without parameters (a count, a
 * minimum), or -1 with `error` set from `what`. Takes the lock. */
gint64    till_store_select_int64 (TillStore  *self,
                                   const char *sql,
                                   const char *what,
                                   GError    **error);

/* Binds text or NULL. */
int       till_stmt_bind_text_or_null (sqlite3_stmt *stmt,
                                       int           index,
                                       const char   *text);
/* Column text as a new string, or NULL for SQL NULL. */
char     *till_stmt_dup_text          (sqlite3_stmt *stmt,
                                       int           column);

/* Enum <-> SQL text: `names` is a table of the SQL names indexed by enum value.
 * Returns the index of `text` in it, or -1 when `text` is NULL or not in it. */
int       till_store_name_index (const char *const *names,
                                 guint              n_names,
                                 const char        *text);
#define TILL_STORE_NAME_INDEX(names, text) \
  till_store_name_index ((names), G_N_ELEMENTS (names), (text))

/* Sets `error` from the connection's last SQLite error: the message is `what` (for the
 * cashier, already translated) followed by SQLite's reason; the code maps
 * SQLITE_CONSTRAINT -> CONSTRAINT, SQLITE_CORRUPT/NOTADB -> CORRUPT, else FAILED.
 * Logs a warning with the details. */
void      till_store_set_sqlite_error (TillStore  *self,
                                       GError    **error,
                                       const char *what);
void      till_store_set_sqlite_error_db (sqlite3    *db,
                                          GError    **error,
                                          const char *what);

/* The TillStoreError code for an SQLite result code (see till_store_set_sqlite_error). */
TillStoreError till_store_error_code_from_sqlite (int rc);

/* Runs a literal SQL script (schema steps, pragmas); never pass text built from input. */
gboolean  till_store_exec_literal     (sqlite3    *db,
                                       const char *sql,
                                       GError    **error);

/* Current time, unix µs UTC. */
gint64    till_store_now_us (void);

/* Tests only: replaces the clock behind till_store_now_us() for the whole process (NULL
 * restores the real clock), so that tests can make sales on other days and pass lock
 * periods. */
typedef gint64 (*TillStoreClockFunc) (gpointer data);
void      till_store_set_clock_for_testing (TillStoreClockFunc func,
                                            gpointer           data);

/* Appends `text` as a JSON string literal (with quotes) to `out`. */
void      till_store_json_append_string (GString    *out,
                                         const char *text);

/* ---- catalog (till-store-catalog.c) ---- */
/* The other form of the same GS1 item: a valid UPC-A (12 digits) is the EAN-13 "0" + its
 * 12 digits, and a valid EAN-13 starting with 0 is the UPC-A without it. NULL for every
 * other code (EAN-8, GTIN-14, EAN-13 not starting with 0, in-store codes, wrong check
 * digits). */
char        *till_store_barcode_equivalent  (const char *barcode);
/* The product, active or not, that an upsert would update: by `barcode` (as given, else
 * its equivalent form), or by `plu` when `barcode` is NULL or empty. NULL with `error`
 * unset when there is none. Lock held. */
TillProduct *till_store_find_product_locked (TillStore   *self,
                                             const char  *barcode,
                                             const char  *plu,
                                             GError     **error);

/* A product from a row of its columns id, barcode, plu, name, price_fen, unit, weighed,
 * active (in that order). */
TillProduct *till_store_product_from_row    (sqlite3_stmt *stmt);

/* ---- search keys (till-store-search.c) ---- */
/* Replaces the product_search keys of product `product_id` (its name's pinyin initials and
 * full pinyin, its normalized name, its barcode reversed); within the caller's
 * transaction. */
gboolean     till_store_search_write_keys_db (sqlite3     *db,
                                              gint64       product_id,
                                              const char  *name,
                                              const char  *barcode,
                                              GError     **error);
/* Writes the keys of every product (the migration to schema 9). */
gboolean     till_store_search_fill_db       (sqlite3     *db,
                                              GError     **error);

/* ---- opening (till-store-schema.c) ---- */
/* Opens `path`, checks that it is a (possibly empty) Tillpoint database no newer than this
 * build, leaving a foreign or damaged file untouched, sets WAL and the pragmas and
 * migrates it to TILL_STORE_SCHEMA_VERSION. */
sqlite3  *till_store_open_db   (const char  *path,
                                GError     **error);
/* The first column of the first row of a literal query (a count, a PRAGMA). */
gboolean  till_store_query_int (sqlite3     *db,
                                const char  *sql,
                                gint64      *out,
                                GError     **error);

/* ---- the store thread (till-store-thread.c) ---- */
/* Runs on the store thread, with no lock held; must return a result on `task`. */
typedef void (*TillStoreJobFunc) (TillStore *self,
                                  GTask     *task);
/* Queues `task` (its source object is the store) to run `func` on the store thread, after
 * every job submitted before it. A task cancelled before it runs returns
 * G_IO_ERROR_CANCELLED without running. */
void      till_store_submit (TillStore        *self,
                             GTask            *task,
                             TillStoreJobFunc  func);

/* The thread behind till_store_submit(); the store creates one on first use. */
typedef struct _TillStoreWorker TillStoreWorker;
TillStoreWorker *till_store_worker_new  (void);
void             till_store_worker_push (TillStoreWorker  *worker,
                                         GTask            *task,
                                         TillStoreJobFunc  func);
/* Returns once every job pushed so far has run; at once on the worker's own thread. */
void             till_store_worker_wait (TillStoreWorker  *worker);
/* Runs the queued jobs, ends the thread and frees the worker; may be called on the
 * worker's own thread (from a job that drops the store's last reference). */
void             till_store_worker_stop (TillStoreWorker  *worker);

/* ---- discounts (till-store-discounts.c) ---- */
/* The report's discounts and overrides (totals, by cashier, by product); lock held. */
gboolean  _till_store_report_pricing (TillStore  *self,
                                      TillReport *r,
                                      GError    **error);

/* ---- sales (till-store-sales.c) ---- */
/* A copy of a TillSale taken on the thread that owns it, saved later on another. */
typedef struct
{
  gint64   product_id;
  char    *barcode;
  char    *name;
  char    *unit;
  gint64   qty_milli;
  gint64   unit_price_fen;
  gint64   line_total_fen;
  gboolean weighed;
  gboolean fixed_total;
  gint64   original_price_fen;
  TillDiscountKind discount_kind;
  gint64   discount_value;
  gint64   discount_fen;
  gint64   sale_discount_fen;
  gint64   final_fen;
} TillLineSnapshot;

typedef struct
{
  gint64         id;
  char          *number;
  TillSaleState  state;
  gint64         opened_at;
  gint64         total_fen;
  char          *cashier;
  char          *till_id;
  GArray        *lines;   /* of TillLineSnapshot */
  TillDiscountKind  discount_kind;
  gint64            discount_value;
  gint64            discount_fen;
  TillTotalRounding total_rounding;
  gint64            rounding_fen;
  TillSaleKind      kind;
  gint64            member_id;        /* 0: none */
  gint64            topup_bonus_fen;
  gint64            points_redeemed;  /* points redeemed as a discount (schema 19) */
  gint64            points_fen;
  gint64            points_per_yuan;
  gint64            points_max_percent;
} TillSaleSnapshot;

TillSaleSnapshot *till_sale_snapshot_new  (TillSale         *sale,
                                           const char       *cashier,
                                           const char       *till_id);
void              till_sale_snapshot_free (TillSaleSnapshot *snapshot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillSaleSnapshot, till_sale_snapshot_free)

/* Writes the sale row (insert, or update by number while the stored sale is open or
 * suspended) and replaces its lines; takes the lock and its own transaction (nested in
 * the caller's when there is one). */
gboolean  till_store_save_snapshot (TillStore        *self,
                                    TillSaleSnapshot *snapshot,
                                    gint64           *out_id,
                                    GError          **error);
/* The same within the caller's lock and transaction. */
gboolean  till_store_save_snapshot_locked (TillStore        *self,
                                           TillSaleSnapshot *snapshot,
                                           gint64           *out_id,
                                           GError          **error);

/* Whether the snapshot's sale is closed (paid, voided or refunded). */
static inline gboolean
till_sale_snapshot_is_final (const TillSaleSnapshot *snapshot)
{
  return snapshot->state != TILL_SALE_STATE_OPEN
         && snapshot->state != TILL_SALE_STATE_SUSPENDED;
}

/* Detail of an audit row, within the caller's lock and transaction. */
gboolean  till_store_audit_locked (TillStore  *self,
                                   const char *actor,
                                   const char *action,
                                   const char *detail_json,
                                   GError    **error);

/* ---- payments (till-store-payments-sale.c) ---- */
/* Closes the sale (paid, closed_at) when its paid payments cover its total; within the
 * caller's lock and transaction. */
gboolean  till_store_complete_sale_if_covered_locked (TillStore *self,
                                                      gint64     sale_id,
                                                      gint64     now,
                                                      gboolean  *out_sale_paid,
                                                      GError   **error);

/* Whether the sale can still take a payment of amount_fen that has just turned out paid:
 * it is open (or suspended) and its attached paid payments plus this one do not exceed
 * its total. *out_state gets the sale's state. */
gboolean  till_store_sale_can_take_locked (TillStore     *self,
                                           gint64         sale_id,
                                           gint64         amount_fen,
                                           gboolean      *out_takes,
                                           TillSaleState *out_state,
                                           GError       **error);

/* ---- refunds (till-store-refunds.c) ---- */
/* A payment its sale could not take (paid late, marked unattached): commits a refund of
 * its whole amount in state submitting, its outbox "refund" job due at now_us and the
 * audit row "late_payment_refund" (actor "system"); within the caller's lock and
 * transaction. Returns the refund's id, 0 on error. */
gint64    till_store_refund_unattached_locked (TillStore               *self,
                                               const TillPaymentRecord *payment,
                                               const char              *sale_state,
                                               gint64                   now_us,
                                               GError                 **error);

/* ---- cash (till-store-sales-close.c) ---- */
/* FALSE + INVALID_STATE (with the message of till_money_check_cash()) when `fen` of cash
 * is not in the rule's unit; used for what is tendered, part cash and cash movements. */
gboolean  till_store_check_cash_unit (gint64             tendered_fen,
                                     TillCashRounding   rounding,
                                     GError           **error);

/* ---- tests only ---- */
/* Creates (or opens) the database at `path` and runs the migration steps up to
 * `version` only (0 = an empty file), then closes it. For migration tests. */
gboolean  till_store_create_at_version (const char *path,
                                        int         version,
                                        GError    **error);

/* CSV exports (till-store-export.c): one cell, quoted when it must be; the whole file
 * written, a failure logged under `what` and said plainly. */
void      _till_store_csv_append_cell (GString     *out,
                                       const char  *text);
gboolean  _till_store_csv_write       (const char  *path,
                                       GString     *out,
                                       const char  *what,
                                       GError     **error);

G_END_DECLS
