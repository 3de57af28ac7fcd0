/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Opening a database file: the checks that leave a foreign file alone, the connection
 * settings and the schema migrations. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "till-store-private.h"
#include "till-store-schema-private.h"

/*
 * Schema history (PRAGMA user_version). Each step is one function, run in its own
 * transaction together with the user_version bump. Never edit a released step: add one.
 *
 *   1  product, sale, sale_line, sale_seq
 *   2  product.plu, product.weighed, sale_line.weighed/fixed_total; indexes for PLU
 *      lookup, name search and the open sale of a till
 *   3  payment, refund, outbox, audit (append-only by triggers), day_close
 *   4  staff (people, roles, PIN hashes, lockout), cash_movement, reconciliation,
 *      day_close.difference_fen/closed_by, report indexes, and triggers that refuse
 *      sales completed or voided, refunds and cash movements dated on a closed day
 *   5  payment.unattached: an electronic payment that turned out paid when its sale could
 *      no longer take it (voided, or paid by other means); it does not count for the sale
 *      and is refunded in full by itself
 *   6  payment.rounding_fen and refund.rounding_fen: the cash rounding (cash received or
 *      handed back = amount_fen + rounding_fen; 0 for everything before, and for
 *      electronic payments)
 *   7  payment.method may be 'alipay_qr' (the customer scans the till's Alipay QR): the
 *      payment table is rebuilt with the wider CHECK, its rows, indexes and triggers kept
 *   8  reconciliation.provider ('wechat', 'alipay'): each provider's bill is reconciled
 *      with that provider's payments on its own; the rows before are WeChat Pay's (the
 *      only provider then); the index finds a day's newest result per provider
 *   9  goods_return and goods_return_line: returns without a receipt (no sale to link
 *      them to), approved by a manager and paid back in cash (amount + rounding_fen, as a
 *      cash refund); refused on a closed day and never changed, by triggers
 *  10  sale.suspended_at (挂单: when the cashier suspended it; NULL unless suspended), the
 *      index of a till's suspended sales, a trigger that refuses making a sale open again
 *      (resuming it) while another sale of its till is open: at most one open sale per
 *      till; and one that lets only a resume (clearing suspended_at) reopen a suspended
 *      sale
 *  11  product_search (kind, key, product_id): the search keys of every product (pinyin
 *      initials and full pinyin with every reading, the normalized name, the barcode
 *      reversed for its end, the initials and text of the name's later words), written
 *      with the product; filled for the products there are; a trigger drops a product's
 *      keys when its name or barcode changes outside the till (the till writes them again
 *      in the same transaction)
 *  12  discounts, price overrides and 抹零: sale_line.original_price_fen (the catalog's
 *      price before an override), discount_kind/discount_value (the line's own discount:
 *      'none', 'percent' in basis points, 'amount' in fen), discount_fen, sale_discount_fen
 *      (the line's share of the sale's discount and 抹零), final_fen (what the line costs
 *      the customer; the sale's total is their sum); sale.discount_kind/discount_value/
 *      discount_fen (the whole-sale discount), total_rounding ('none', 'jiao', 'yuan') and
 *      rounding_fen (what 抹零 cut); product.open_price ("price at the till"). Lines before
 *      get their own price as original and their line total as final amount
 *  13  products edited in the till: category (name unique, position) and
 *      product.category_id (NULL: none; a category in use cannot be deleted);
 *      product_price (product, old_fen, new_fen, actor, at): every price change, oldest
 *      first, append-only by triggers. Sale lines keep their own copies of name and
 *      price, so nothing a past sale shows is rewritten by an edit
 *  14  stock (issue 15): product.track_stock, min_stock_milli, cost_fen (the latest cost);
 *      stock_move (product, kind, signed qty_milli, cost_fen at the time, reference, who,
 *      at): a product's level is the SUM of its moves, never a stored number (the index
 *      (product_id, qty_milli) makes the sum an index scan); receiving/receiving_line
 *      (进货) and stocktake/stocktake_line (盘点: counted, expected at the time, variance)
 *      with their moves. Triggers write the sale moves in the transaction that changes a
 *      sale's state: paid takes its tracked goods out ('sale', at the cost of the moment),
 *      paid -> refunded (refunded in full) or voided puts them back; a goods return line
 *      puts its goods back ('refund'). A void of an unpaid sale moves nothing: its goods
 *      never left. Moves, receivings and stocktakes are append-only (triggers)
 *  15  quick_key (issue 15): the cashier's quick keys for goods without a barcode, arranged
 *      per till database on pages that are the categories of step 13 (category_id: a page
 *      is a category, its name the category's; deleting a category takes its keys),
 *      ordered by position (unique within a page, gaps allowed), a product at most once a
 *      page; an optional label (else the product's name) and colour ('#rrggbb'). A key
 *      whose product is inactive is hidden at the counter, not an error
 *  16  members (issue 16): member_level (name unique, position, discount_bp: a level's
 *      percent off in basis points, points_per_yuan: points earned per whole yuan paid);
 *      member (code unique: "M" + 9 digits + a Damm check digit, name, phone unique and
 *      normalized to 11 digits, birthday "YYYY-MM-DD" or "MM-DD", level, note, active,
 *      pin_hash for a member PIN, created_at/by); member_search (key, member_id): the
 *      pinyin initials, full pinyin and normalized text of a member's name, written with
 *      the member (the products' machinery, till-pinyin); product_member_price (product,
 *      level, price_fen; one per product and level). A member cannot be deleted (a
 *      trigger): members are made inactive
 *  17  stored value and points (issue 16): stored_value_move (member, kind topup / bonus /
 *      spend / refund / adjust, signed paid_fen and bonus_fen with a CHECK per kind,
 *      reference: a sale number, or "audit:<id>" of a manager's approval, refund_of: the
 *      spend a refund gives back, who, reason, at) and points_move (member, kind earn /
 *      reverse / redeem / adjust, signed points, reference, who, reason, at); balances are
 *      SUMs of the moves (covering indexes), never stored; both append-only, and a
 *      BEFORE INSERT trigger refuses a move that would take a member's paid or bonus
 *      money, or points, below zero, and a refund that gives back more than its spend
 *      took or to another member; a top-up (and its bonus) is credited once per
 *      reference (a unique index); topup_rule (pay_fen threshold, bonus_fen, active)
 *  18  members in sales (issue 16; till-store-schema-members.c): payment.method may be
 *      'stored_value' (the payment table rebuilt as in step 7); sale.kind ('goods', or
 *      'topup': money put on a member's card), sale.member_id (the member of the sale),
 *      sale.topup_bonus_fen (the bonus a top-up was rung up with); stored_value_move.
 *      payment_id (a stored-value payment's spend) and refund_id (a refund's give-back),
 *      each unique. Triggers: a paid top-up credits its topup and bonus moves in the
 *      transaction that makes it paid, and is never refunded or voided; a top-up is not
 *      paid with stored value, and stored value pays only a member's sale; a member's
 *      goods sale earns points (its level's points per whole yuan, 1 without a level)
 *      when paid, and each successful refund takes back the earned points in proportion
 *      to the money refunded (never below the member's balance); a closed sale keeps its
 *      kind, member and bonus
 *  19  points redeemed as a discount (issue 16; till-store-schema-members.c): sale.
 *      points_redeemed, points_fen (the discount they gave), points_per_yuan and
 *      points_max_percent (the rule they were redeemed at); points_move.kind may be
 *      'release' (> 0: a redemption lowered, moved to another member or voided) and
 *      'return' (> 0: given back by a refund), points_move.sale_id (the sale a
 *      redemption move belongs to; the table rebuilt for its CHECKs). Triggers: every
 *      change of a sale's points_redeemed is a move of the difference, so a sale's
 *      redemption moves always add up to minus its points (a redemption beyond the
 *      balance aborts its statement: nothing changes); a void releases what is left; a
 *      successful refund returns the points in proportion to the money given back; a
 *      closed sale keeps its points, and only a member's goods sale has any
 *  20  shifts (issue 18; till-store-schema-shifts.c): shift (day, till_id, person_id,
 *      cashier, opened_at, float_fen handed over, closed_at NULL while open, counted_fen,
 *      expected_fen and summary_json frozen at the close, closed_by); at most one open per
 *      till (a partial unique index); a closed shift never changes, an open one only
 *      closes, none is deleted (triggers); cash_movement (at) indexed for the shifts'
 *      windows. A shift owns what happened in [opened_at, closed_at): no column on sales
 *      or payments (the attribution rule: docs/ARCHITECTURE.md, "Shifts")
 *  21  the head office (issue 19; till-store-schema-hq.c): hq_config (one row: enabled,
 *      the catalog version pulled and when); triggers on the books the head office keeps
 *      (sale once closed, its lines; payment, refund, cash_movement, day_close,
 *      reconciliation, goods_return and its lines, stock_move, stored_value_move,
 *      points_move) queue one outbox job 'hq_sync' per row, key hq:<table>:<id>, in the
 *      change's own transaction, while hq_config.enabled
 *
 * Times are unix microseconds (INTEGER, UTC) everywhere; day_close.date is the local
 * calendar day as text "YYYY-MM-DD". Money is INTEGER fen; quantities INTEGER thousandths.
 */

static gboolean
migrate_to_1 (sqlite3  *db,
              GError  **error)
{
  return till_store_exec_literal (db,
    "PRAGMA application_id = " G_STRINGIFY (TILL_STORE_APPLICATION_ID) ";"
    "CREATE TABLE product ("
    "  id         INTEGER PRIMARY KEY,"
    "  barcode    TEXT,"
    "  name       TEXT NOT NULL CHECK (name <> ''),"
    "  price_fen  INTEGER NOT NULL CHECK (price_fen >= 0),"
    "  unit       TEXT NOT NULL DEFAULT '件',"
    "  active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE UNIQUE INDEX product_barcode ON product (barcode);"
    "CREATE TABLE sale ("
    "  id         INTEGER PRIMARY KEY,"
    "  number     TEXT NOT NULL UNIQUE,"
    "  opened_at  INTEGER NOT NULL,"
    "  closed_at  INTEGER,"
    "  state      TEXT NOT NULL DEFAULT 'open'"
    "             CHECK (state IN ('open', 'suspended', 'paid', 'voided', 'refunded')),"
    "  total_fen  INTEGER NOT NULL DEFAULT 0,"
    "  cashier    TEXT,"
    "  till_id    TEXT NOT NULL"
    ");"
    "CREATE TABLE sale_line ("
    "  sale_id        INTEGER NOT NULL REFERENCES sale (id) ON DELETE CASCADE,"
    "  position       INTEGER NOT NULL CHECK (position >= 0),"
    "  product_id     INTEGER REFERENCES product (id) ON DELETE SET NULL,"
    "  barcode        TEXT,"
    "  name           TEXT NOT NULL,"
    "  unit           TEXT,"
    "  qty_milli      INTEGER NOT NULL,"
    "  unit_price_fen INTEGER NOT NULL,"
    "  line_total_fen INTEGER NOT NULL,"
    "  PRIMARY KEY (sale_id, position)"
    ") WITHOUT ROWID;"
    "CREATE INDEX sale_line_product ON sale_line (product_id);"
    /* Sale numbers YYYYMMDD-NNNN: the last number given per till and local day. */
    "CREATE TABLE sale_seq ("
    "  till_id TEXT NOT NULL,"
    "  day     TEXT NOT NULL,"
    "  last    INTEGER NOT NULL,"
    "  PRIMARY KEY (till_id, day)"
    ") WITHOUT ROWID;",
    error);
}

static gboolean
migrate_to_2 (sqlite3  *db,
              GError  **error)
{
  return till_store_exec_literal (db,
    "ALTER TABLE product ADD COLUMN plu TEXT;"
    "ALTER TABLE product ADD COLUMN weighed INTEGER NOT NULL DEFAULT 0"
    "  CHECK (weighed IN (0, 1));"
    "CREATE UNIQUE INDEX product_plu ON product (plu);"
    /* Search walks this index in name order and stops at LIMIT: a name index cannot
     * serve an infix LIKE, but it bounds the work for the common short query. */
    "CREATE INDEX product_name_active ON product (name) WHERE active = 1;"
    "ALTER TABLE sale_line ADD COLUMN weighed INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE sale_line ADD COLUMN fixed_total INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX sale_till_state ON sale (till_id, state);"
    "CREATE INDEX sale_opened_at ON sale (opened_at);",
    error);
}

static gboolean
migrate_to_3 (sqlite3  *db,
              GError  **error)
{
  return till_store_exec_literal (db,
    "CREATE TABLE payment ("
    "  id              INTEGER PRIMARY KEY,"
    "  sale_id         INTEGER NOT NULL REFERENCES sale (id),"
    "  method          TEXT NOT NULL"
    "                  CHECK (method IN ('cash', 'wechat_code', 'wechat_native', 'alipay_code')),"
    "  amount_fen      INTEGER NOT NULL CHECK (amount_fen > 0),"
    "  out_trade_no    TEXT UNIQUE,"           /* NULL for cash */
    "  state           TEXT NOT NULL"
    "                  CHECK (state IN ('submitting', 'user_paying', 'in_doubt', 'reversing',"
    "                                   'paid', 'failed', 'reversed', 'closed')),"
    "  transaction_id  TEXT,"
    /* Never the customer's payment code: at most its last four digits, for support. */
    "  auth_code_last4 TEXT CHECK (auth_code_last4 IS NULL OR length (auth_code_last4) <= 4),"
    "  deadline_at     INTEGER,"               /* user_paying: stop polling, then reverse */
    "  created_at      INTEGER NOT NULL,"
    "  updated_at      INTEGER NOT NULL,"
    "  last_error      TEXT,"
    "  detail_json     TEXT"
    ");"
    "CREATE INDEX payment_sale ON payment (sale_id);"
    "CREATE INDEX payment_unfinished ON payment (state)"
    "  WHERE state IN ('submitting', 'user_paying', 'in_doubt', 'reversing');"
    "CREATE INDEX payment_created_at ON payment (created_at);"
    "CREATE TABLE refund ("
    "  id            INTEGER PRIMARY KEY,"
    "  payment_id    INTEGER NOT NULL REFERENCES payment (id),"
    "  out_refund_no TEXT NOT NULL UNIQUE,"
    "  amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),"
    "  reason        TEXT,"
    "  state         TEXT NOT NULL"
    "                CHECK (state IN ('submitting', 'processing', 'in_doubt',"
    "                                 'success', 'failed', 'closed')),"
    "  refund_id     TEXT,"
    "  created_at    INTEGER NOT NULL,"
    "  updated_at    INTEGER NOT NULL,"
    "  last_error    TEXT"
    ");"
    "CREATE INDEX refund_payment ON refund (payment_id);"
    "CREATE TABLE outbox ("
    "  id              INTEGER PRIMARY KEY,"
    "  kind            TEXT NOT NULL,"
    "  key             TEXT NOT NULL UNIQUE,"
    "  payload_json    TEXT,"
    "  state           TEXT NOT NULL DEFAULT 'pending'"
    "                  CHECK (state IN ('pending', 'running', 'done', 'dead')),"
    "  attempts        INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt_at INTEGER NOT NULL,"
    "  last_error      TEXT,"
    "  created_at      INTEGER NOT NULL"
    ");"
    "CREATE INDEX outbox_due ON outbox (state, next_attempt_at);"
    "CREATE TABLE audit ("
    "  id          INTEGER PRIMARY KEY,"
    "  at          INTEGER NOT NULL,"
    "  actor       TEXT NOT NULL,"
    "  action      TEXT NOT NULL,"
    "  detail_json TEXT"
    ");"
    "CREATE INDEX audit_at ON audit (at);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
    "CREATE TABLE day_close ("
    "  date              TEXT PRIMARY KEY,"   /* local day, YYYY-MM-DD */
    "  closed_at         INTEGER NOT NULL,"
    "  counted_cash_fen  INTEGER NOT NULL,"
    "  expected_cash_fen INTEGER NOT NULL,"
    "  report_json       TEXT"
    ");",
    error);
}

static gboolean
migrate_to_4 (sqlite3  *db,
              GError  **error)
{
  return till_store_exec_literal (db,
    /* People who use the till. The PIN is kept only as PBKDF2-SHA256 (hash, salt and the
     * iteration count, so that the count can be raised later); failed attempts and the
     * lock are counted here so that they survive a restart. */
    "CREATE TABLE staff ("
    "  id              INTEGER PRIMARY KEY,"
    "  name            TEXT NOT NULL UNIQUE CHECK (name <> ''),"
    "  role            TEXT NOT NULL CHECK (role IN ('cashier', 'manager')),"
    "  active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
    "  pin_hash        BLOB CHECK (pin_hash IS NULL OR length (pin_hash) = 32),"
    "  pin_salt        BLOB CHECK (pin_salt IS NULL OR length (pin_salt) >= 16),"
    "  pin_iterations  INTEGER CHECK (pin_iterations IS NULL OR pin_iterations >= 100000),"
    "  failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),"
    "  locked_until    INTEGER NOT NULL DEFAULT 0,"
    "  created_at      INTEGER NOT NULL,"
    "  updated_at      INTEGER NOT NULL"
    ");"
    /* Opening float, cash in and cash out; `day` is the local day YYYY-MM-DD. */
    "CREATE TABLE cash_movement ("
    "  id         INTEGER PRIMARY KEY,"
    "  day        TEXT NOT NULL,"
    "  kind       TEXT NOT NULL CHECK (kind IN ('float', 'in', 'out')),"
    "  amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),"
    "  reason     TEXT,"
    "  at         INTEGER NOT NULL,"
    "  actor      TEXT NOT NULL"
    ");"
    "CREATE INDEX cash_movement_day ON cash_movement (day);"
    "CREATE TABLE reconciliation ("
    "  id          INTEGER PRIMARY KEY,"
    "  date        TEXT NOT NULL,"
    "  fetched_at  INTEGER NOT NULL,"
    "  result_json TEXT NOT NULL,"
    "  status      TEXT NOT NULL CHECK (status IN ('balanced', 'differences'))"
    ");"
    "CREATE INDEX reconciliation_date ON reconciliation (date, fetched_at);"
    "ALTER TABLE day_close ADD COLUMN difference_fen INTEGER;"
    "ALTER TABLE day_close ADD COLUMN closed_by TEXT;"
    /* Reports: the sales of a period, the refunds of a period. */
    "CREATE INDEX sale_state_closed_at ON sale (state, closed_at);"
    "CREATE INDEX refund_state_created_at ON refund (state, created_at);"
    /* A closed day cannot change, whoever writes: no sale paid or voided on it, no
     * refund and no cash movement dated on it. */
    "CREATE TRIGGER sale_closed_day_update BEFORE UPDATE OF state ON sale"
    "  WHEN NEW.state IN ('paid', 'voided') AND OLD.state <> NEW.state"
    "   AND EXISTS (SELECT 1 FROM day_close WHERE date ="
    "     date (coalesce (NEW.closed_at, 0) / 1000000, 'unixepoch', 'localtime'))"
    "  BEGIN SELECT RAISE (ABORT, 'the day is closed'); END;"
    "CREATE TRIGGER sale_closed_day_insert BEFORE INSERT ON sale"
    "  WHEN NEW.state IN ('paid', 'voided')"
    "   AND EXISTS (SELECT 1 FROM day_close WHERE date ="
    "     date (coalesce (NEW.closed_at, 0) / 1000000, 'unixepoch', 'localtime'))"
    "  BEGIN SELECT RAISE (ABORT, 'the day is closed'); END;"
    "CREATE TRIGGER refund_closed_day BEFORE INSERT ON refund"
    "  WHEN EXISTS (SELECT 1 FROM day_close WHERE date ="
    "     date (NEW.created_at / 1000000, 'unixepoch', 'localtime'))"
    "  BEGIN SELECT RAISE (ABORT, 'the day is closed'); END;"
    "CREATE TRIGGER cash_movement_closed_day BEFORE INSERT ON cash_movement"
    "  WHEN EXISTS (SELECT 1 FROM day_close WHERE date = NEW.day)"
    "  BEGIN SELECT RAISE (ABORT, 'the day is closed'); END;"
    "CREATE TRIGGER day_close_no_update BEFORE UPDATE ON day_close"
    "  BEGIN SELECT RAISE (ABORT, 'a closed day cannot change'); END;"
    "CREATE TRIGGER day_close_no_delete BEFORE DELETE ON day_close"
    "  BEGIN SELECT RAISE (ABORT, 'a closed day cannot change'); END;",
    error);
}

static gboolean
migrate_to_5 (sqlite3  *db,
              GError  **error)
{
  return till_store_exec_literal (db,
    "ALTER TABLE payment ADD COLUMN unattached INTEGER NOT NULL DEFAULT 0"
    "  CHECK (unattached IN (0, 1));",
    error);
}

static gboolean
migrate_to_6 (sqlite3  *db,
              GError  **error)
{
  return till_store_exec_literal (db,
    /* The amount stays what the payment settles of the sale, to the fen; the cash that
     * changed hands is amount + rounding. A cash payment is rounded by less than ¥1.00;
     * electronic payments are never rounded. */
    "ALTER TABLE payment ADD COLUMN rounding_fen INTEGER NOT NULL DEFAULT 0"
    "  CHECK (rounding_fen > -100 AND rounding_fen < 100"
    "         AND (rounding_fen = 0 OR method = 'cash')"
    "         AND amount_fen + rounding_fen >= 0);"
    /* A cash refund hands back amount + rounding (the last refund of a payment gives back
     * what is left of its cash, so its rounding can be larger than one unit). */
    "ALTER TABLE refund ADD COLUMN rounding_fen INTEGER NOT NULL DEFAULT 0"
    "  CHECK (amount_fen + rounding_fen >= 0);",
    error);
}

gboolean
_till_store_migration_fail (GError    **error,
                            const char *what)
{
  g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED, "%s", what);
  return FALSE;
}

/* SQLite changes a CHECK only by building the table again (sqlite.org/lang_altertable.html,
 * "other kinds of table schema changes"): a new table from the old one's own definition
 * with the wider CHECK (every other column and constraint as it is), every row copied, the
 * old table dropped and the new one renamed, then the old table's indexes and triggers made
 * again from their stored SQL. run_migrations() runs it with foreign keys off (references
 * to the payment table must not follow the rename) and checks them all before COMMIT. */
gboolean
_till_store_rebuild_table_checks (sqlite3            *db,
                                  const char         *table,
                                  const char *const  *changes,
                                  GError            **error)
{
  g_autoptr(GPtrArray) dependents = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) create = NULL;
  g_autofree char *table_sql = NULL;
  g_autofree char *plain = g_strdup_printf ("CREATE TABLE %s (", table);
  g_autofree char *quoted = g_strdup_printf ("CREATE TABLE \"%s\" (", table);
  g_autofree char *count = g_strdup_printf ("SELECT count(*) FROM %s", table);
  g_autofree char *copy = NULL;
  g_autofree char *new_count = NULL;
  sqlite3_stmt *stmt = NULL;
  const char *columns = NULL;
  gint64 before = 0, after = 0, violations = 0;
  int rc;

  /* `table` is one of the schema's own names, never input */
  rc = sqlite3_prepare_v2 (db, "SELECT sql FROM sqlite_schema WHERE type = 'table'"
                               " AND name = ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    table_sql = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (table_sql == NULL)
    return _till_store_migration_fail (error, "a table to rebuild is missing");
  /* SQLite quotes the name of a table it renamed (step 7's payment). */
  if (g_str_has_prefix (table_sql, plain))
    columns = table_sql + strlen (plain);
  else if (g_str_has_prefix (table_sql, quoted))
    columns = table_sql + strlen (quoted);
  if (columns == NULL)
    return _till_store_migration_fail (error, "a table to rebuild is not the one this step knows");

  create = g_string_new (columns);
  for (guint i = 0; changes[i] != NULL && changes[i + 1] != NULL; i += 2)
    {
      /* Exactly the CHECK the step before wrote, once: anything else is not a table this
       * step knows. */
      const char *found = strstr (create->str, changes[i]);

      if (found == NULL || strstr (found + 1, changes[i]) != NULL)
        return _till_store_migration_fail (error,
                                           "a table to rebuild is not the one this step knows");
      g_string_replace (create, changes[i], changes[i + 1], 1);
    }
  g_string_prepend (create, " (");
  g_string_prepend (create, table);
  g_string_prepend (create, "CREATE TABLE new_");

  rc = sqlite3_prepare_v2 (db, "SELECT sql FROM sqlite_schema WHERE tbl_name = ?1"
                               " AND type IN ('index', 'trigger') AND sql IS NOT NULL"
                               " ORDER BY type, name", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (dependents, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error_db (db, error, "the indexes of a table to rebuild cannot be read");
      return FALSE;
    }

  copy = g_strdup_printf ("INSERT INTO new_%s SELECT * FROM %s;"
                          "DROP TABLE %s;"
                          /* Triggers of other tables name the table in their bodies (the
                           * stock ones of step 14): the rename must not check them while
                           * no such table exists. */
                          "PRAGMA legacy_alter_table = ON;"
                          "ALTER TABLE new_%s RENAME TO %s;"
                          "PRAGMA legacy_alter_table = OFF;",
                          table, table, table, table, table);
  if (!till_store_query_int (db, count, &before, error)
      || !till_store_exec_literal (db, create->str, error)
      || !till_store_exec_literal (db, copy, error))
    return FALSE;
  for (guint i = 0; i < dependents->len; i++)
    if (!till_store_exec_literal (db, g_ptr_array_index (dependents, i), error))
      return FALSE;
  if (!till_store_query_int (db, count, &after, error)
      || !till_store_query_int (db, "SELECT count(*) FROM pragma_foreign_key_check",
                                &violations, error))
    return FALSE;
  if (after != before)
    return _till_store_migration_fail (error, "a rebuilt table lost rows");
  if (violations != 0)
    return _till_store_migration_fail (error, "a rebuilt table breaks a foreign key");
  g_debug ("%s table rebuilt: %" G_GINT64_FORMAT " rows, %u indexes and triggers", table,
           after, dependents->len);
  return TRUE;
}

gboolean
_till_store_rebuild_payment_check (sqlite3    *db,
                                   const char *old_check,
                                   const char *new_check,
                                   GError    **error)
{
  const char *const changes[] = { old_check, new_check, NULL };

  return _till_store_rebuild_table_checks (db, "payment", changes, error);
}

static gboolean
migrate_to_7 (sqlite3  *db,
              GError  **error)
{
  return _till_store_rebuild_payment_check (db, TILL_STORE_METHOD_CHECK_6,
                                            TILL_STORE_METHOD_CHECK_7, error);
}

static gboolean
migrate_to_8 (sqlite3  *db,
              GError  **error)
{
  return till_store_exec_literal (db,
    "ALTER TABLE reconciliation ADD COLUMN provider TEXT NOT NULL DEFAULT 'wechat'"
    "  CHECK (provider <> '');"
    "DROP INDEX reconciliation_date;"
    "CREATE INDEX reconciliation_date ON reconciliation (date, provider, fetched_at);",
    error);
}

static gboolean
migrate_to_9 (sqlite3  *db,
              GError  **error)
{
  return till_store_exec_literal (db,
    /* A return of goods without a receipt: `day` is the local day of `at` (the day close
     * counts its cash); the cash handed back is amount_fen + rounding_fen. */
    "CREATE TABLE goods_return ("
    "  id           INTEGER PRIMARY KEY,"
    "  number       TEXT NOT NULL UNIQUE,"
    "  day          TEXT NOT NULL,"
    "  at           INTEGER NOT NULL,"
    "  till_id      TEXT NOT NULL,"
    "  cashier      TEXT NOT NULL,"
    "  manager      TEXT NOT NULL CHECK (manager <> ''),"
    "  reason       TEXT NOT NULL CHECK (reason <> ''),"
    "  amount_fen   INTEGER NOT NULL CHECK (amount_fen > 0),"
    "  rounding_fen INTEGER NOT NULL DEFAULT 0 CHECK (amount_fen + rounding_fen >= 0)"
    ");"
    "CREATE INDEX goods_return_day ON goods_return (day);"
    "CREATE INDEX goods_return_at ON goods_return (at);"
    /* Each line keeps the catalog price of the day and the price given back, never more. */
    "CREATE TABLE goods_return_line ("
    "  return_id      INTEGER NOT NULL REFERENCES goods_return (id) ON DELETE CASCADE,"
    "  position       INTEGER NOT NULL CHECK (position >= 0),"
    "  product_id     INTEGER REFERENCES product (id) ON DELETE SET NULL,"
    "  barcode        TEXT,"
    "  name           TEXT NOT NULL,"
    "  unit           TEXT,"
    "  weighed        INTEGER NOT NULL DEFAULT 0 CHECK (weighed IN (0, 1)),"
    "  qty_milli      INTEGER NOT NULL CHECK (qty_milli > 0),"
    "  list_price_fen INTEGER NOT NULL CHECK (list_price_fen >= 0),"
    "  unit_price_fen INTEGER NOT NULL"
    "                 CHECK (unit_price_fen >= 0 AND unit_price_fen <= list_price_fen),"
    "  line_total_fen INTEGER NOT NULL CHECK (line_total_fen >= 0),"
    "  PRIMARY KEY (return_id, position)"
    ");"
    "CREATE TRIGGER goods_return_closed_day BEFORE INSERT ON goods_return"
    "  WHEN EXISTS (SELECT 1 FROM day_close WHERE date = NEW.day)"
    "  BEGIN SELECT RAISE (ABORT, 'the day is closed'); END;"
    "CREATE TRIGGER goods_return_no_update BEFORE UPDATE ON goods_return"
    "  BEGIN SELECT RAISE (ABORT, 'a return cannot change'); END;"
    "CREATE TRIGGER goods_return_no_delete BEFORE DELETE ON goods_return"
    "  BEGIN SELECT RAISE (ABORT, 'a return cannot change'); END;",
    error);
}

static gboolean
migrate_to_10 (sqlite3  *db,
               GError  **error)
{
  return till_store_exec_literal (db,
    "ALTER TABLE sale ADD COLUMN suspended_at INTEGER;"
    "CREATE INDEX sale_suspended ON sale (till_id, suspended_at) WHERE state = 'suspended';"
    "CREATE TRIGGER sale_one_open_per_till BEFORE UPDATE OF state ON sale"
    "  WHEN NEW.state = 'open' AND OLD.state <> 'open'"
    "   AND EXISTS (SELECT 1 FROM sale o WHERE o.till_id = NEW.till_id AND o.state = 'open'"
    "               AND o.id <> NEW.id)"
    "  BEGIN SELECT RAISE (ABORT, 'another sale is open at this till'); END;"
    /* Only a resume (which clears suspended_at in the same statement) reopens a suspended
     * sale: a late save of the cart as it was before the suspend cannot. */
    "CREATE TRIGGER sale_suspended_stays BEFORE UPDATE OF state ON sale"
    "  WHEN OLD.state = 'suspended' AND NEW.state = 'open' AND NEW.suspended_at IS NOT NULL"
    "  BEGIN SELECT RAISE (ABORT, 'a suspended sale is reopened only by resuming it'); END;",
    error);
}

static gboolean
migrate_to_11 (sqlite3  *db,
               GError  **error)
{
  /* till-store-search.c says why a key table rather than FTS5. */
  return till_store_exec_literal (db,
    "CREATE TABLE product_search ("
    "  kind       INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 6),"
    "  key        TEXT NOT NULL CHECK (key <> ''),"
    "  product_id INTEGER NOT NULL REFERENCES product (id) ON DELETE CASCADE,"
    "  PRIMARY KEY (kind, key, product_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX product_search_product ON product_search (product_id);"
    "CREATE TRIGGER product_search_stale AFTER UPDATE OF name, barcode ON product"
    "  WHEN OLD.name IS NOT NEW.name OR OLD.barcode IS NOT NEW.barcode"
    "  BEGIN DELETE FROM product_search WHERE product_id = OLD.id; END;",
    error)
    && till_store_search_fill_db (db, error);
}

static gboolean
migrate_to_12 (sqlite3  *db,
               GError  **error)
{
  return till_store_exec_literal (db,
    "ALTER TABLE sale_line ADD COLUMN original_price_fen INTEGER;"
    "ALTER TABLE sale_line ADD COLUMN discount_kind TEXT NOT NULL DEFAULT 'none'"
    "  CHECK (discount_kind IN ('none', 'percent', 'amount'));"
    "ALTER TABLE sale_line ADD COLUMN discount_value INTEGER NOT NULL DEFAULT 0"
    "  CHECK (discount_value >= 0);"
    "ALTER TABLE sale_line ADD COLUMN discount_fen INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE sale_line ADD COLUMN sale_discount_fen INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE sale_line ADD COLUMN final_fen INTEGER;"
    "UPDATE sale_line SET original_price_fen = unit_price_fen, final_fen = line_total_fen;"
    "ALTER TABLE sale ADD COLUMN discount_kind TEXT NOT NULL DEFAULT 'none'"
    "  CHECK (discount_kind IN ('none', 'percent', 'amount'));"
    "ALTER TABLE sale ADD COLUMN discount_value INTEGER NOT NULL DEFAULT 0"
    "  CHECK (discount_value >= 0);"
    "ALTER TABLE sale ADD COLUMN discount_fen INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE sale ADD COLUMN total_rounding TEXT NOT NULL DEFAULT 'none'"
    "  CHECK (total_rounding IN ('none', 'jiao', 'yuan'));"
    "ALTER TABLE sale ADD COLUMN rounding_fen INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE product ADD COLUMN open_price INTEGER NOT NULL DEFAULT 0"
    "  CHECK (open_price IN (0, 1));",
    error);
}

static gboolean
migrate_to_13 (sqlite3  *db,
               GError  **error)
{
  return till_store_exec_literal (db,
    "CREATE TABLE category ("
    "  id       INTEGER PRIMARY KEY,"
    "  name     TEXT NOT NULL UNIQUE CHECK (name <> ''),"
    "  position INTEGER NOT NULL DEFAULT 0"
    ");"
    "ALTER TABLE product ADD COLUMN category_id INTEGER REFERENCES category (id)"
    "  ON DELETE RESTRICT;"
    "CREATE INDEX product_category ON product (category_id);"
    "CREATE TABLE product_price ("
    "  id         INTEGER PRIMARY KEY,"
    "  product_id INTEGER NOT NULL REFERENCES product (id) ON DELETE CASCADE,"
    "  old_fen    INTEGER NOT NULL CHECK (old_fen >= 0),"
    "  new_fen    INTEGER NOT NULL CHECK (new_fen >= 0),"
    "  actor      TEXT NOT NULL,"
    "  at         INTEGER NOT NULL"
    ");"
    "CREATE INDEX product_price_product ON product_price (product_id, at);"
    "CREATE TRIGGER product_price_no_update BEFORE UPDATE ON product_price"
    "  BEGIN SELECT RAISE (ABORT, 'the price history is append-only'); END;",
    error);
}

#define TILL_STOCK_NOW_US "CAST ((julianday ('now') - 2440587.5) * 86400000000 AS INTEGER)"

static gboolean
migrate_to_14 (sqlite3  *db,
               GError  **error)
{
  return till_store_exec_literal (db,
    "ALTER TABLE product ADD COLUMN track_stock INTEGER NOT NULL DEFAULT 0"
    "  CHECK (track_stock IN (0, 1));"
    "ALTER TABLE product ADD COLUMN min_stock_milli INTEGER NOT NULL DEFAULT 0"
    "  CHECK (min_stock_milli >= 0);"
    "ALTER TABLE product ADD COLUMN cost_fen INTEGER CHECK (cost_fen IS NULL OR cost_fen >= 0);"
    "CREATE TABLE receiving ("
    "  id       INTEGER PRIMARY KEY,"
    "  supplier TEXT NOT NULL CHECK (supplier <> ''),"
    "  who      TEXT NOT NULL CHECK (who <> ''),"
    "  at       INTEGER NOT NULL"
    ");"
    "CREATE TABLE receiving_line ("
    "  receiving_id INTEGER NOT NULL REFERENCES receiving (id),"
    "  position     INTEGER NOT NULL CHECK (position >= 0),"
    "  product_id   INTEGER NOT NULL REFERENCES product (id),"
    "  qty_milli    INTEGER NOT NULL CHECK (qty_milli > 0),"
    "  cost_fen     INTEGER NOT NULL CHECK (cost_fen >= 0),"
    "  PRIMARY KEY (receiving_id, position)"
    ") WITHOUT ROWID;"
    "CREATE TABLE stocktake ("
    "  id          INTEGER PRIMARY KEY,"
    "  who         TEXT NOT NULL CHECK (who <> ''),"
    "  approved_by TEXT NOT NULL CHECK (approved_by <> ''),"
    "  at          INTEGER NOT NULL"
    ");"
    "CREATE TABLE stocktake_line ("
    "  stocktake_id   INTEGER NOT NULL REFERENCES stocktake (id),"
    "  product_id     INTEGER NOT NULL REFERENCES product (id),"
    "  counted_milli  INTEGER NOT NULL CHECK (counted_milli >= 0),"
    "  expected_milli INTEGER NOT NULL,"
    "  variance_milli INTEGER NOT NULL CHECK (variance_milli = counted_milli - expected_milli),"
    "  PRIMARY KEY (stocktake_id, product_id)"
    ") WITHOUT ROWID;"
    "CREATE TABLE stock_move ("
    "  id         INTEGER PRIMARY KEY,"
    "  product_id INTEGER NOT NULL REFERENCES product (id),"
    "  kind       TEXT NOT NULL CHECK (kind IN ('sale', 'void', 'refund', 'receiving',"
    "                                           'stocktake', 'adjustment')),"
    "  qty_milli  INTEGER NOT NULL CHECK (qty_milli <> 0),"
    "  cost_fen   INTEGER CHECK (cost_fen IS NULL OR cost_fen >= 0),"
    "  reference  TEXT NOT NULL,"
    "  who        TEXT NOT NULL,"
    "  at         INTEGER NOT NULL"
    ");"
    "CREATE INDEX stock_move_level ON stock_move (product_id, qty_milli);"
    "CREATE INDEX stock_move_at ON stock_move (at);"
    "CREATE INDEX stock_move_reference ON stock_move (reference);"
    "CREATE TRIGGER stock_move_no_update BEFORE UPDATE ON stock_move"
    "  BEGIN SELECT RAISE (ABORT, 'stock moves are append-only'); END;"
    "CREATE TRIGGER stock_move_no_delete BEFORE DELETE ON stock_move"
    "  BEGIN SELECT RAISE (ABORT, 'stock moves are append-only'); END;"
    "CREATE TRIGGER receiving_no_update BEFORE UPDATE ON receiving"
    "  BEGIN SELECT RAISE (ABORT, 'a receiving cannot change'); END;"
    "CREATE TRIGGER receiving_no_delete BEFORE DELETE ON receiving"
    "  BEGIN SELECT RAISE (ABORT, 'a receiving cannot change'); END;"
    "CREATE TRIGGER receiving_line_no_update BEFORE UPDATE ON receiving_line"
    "  BEGIN SELECT RAISE (ABORT, 'a receiving cannot change'); END;"
    "CREATE TRIGGER receiving_line_no_delete BEFORE DELETE ON receiving_line"
    "  BEGIN SELECT RAISE (ABORT, 'a receiving cannot change'); END;"
    "CREATE TRIGGER stocktake_no_update BEFORE UPDATE ON stocktake"
    "  BEGIN SELECT RAISE (ABORT, 'a stocktake cannot change'); END;"
    "CREATE TRIGGER stocktake_no_delete BEFORE DELETE ON stocktake"
    "  BEGIN SELECT RAISE (ABORT, 'a stocktake cannot change'); END;"
    "CREATE TRIGGER stocktake_line_no_update BEFORE UPDATE ON stocktake_line"
    "  BEGIN SELECT RAISE (ABORT, 'a stocktake cannot change'); END;"
    "CREATE TRIGGER stocktake_line_no_delete BEFORE DELETE ON stocktake_line"
    "  BEGIN SELECT RAISE (ABORT, 'a stocktake cannot change'); END;"
    /* A sale paid takes its tracked goods out, at the cost of the moment. */
    "CREATE TRIGGER stock_sale_paid AFTER UPDATE OF state ON sale"
    "  WHEN NEW.state = 'paid' AND OLD.state <> 'paid'"
    "  BEGIN"
    "    INSERT INTO stock_move (product_id, kind, qty_milli, cost_fen, reference, who, at)"
    "    SELECT l.product_id, 'sale', -SUM (l.qty_milli), p.cost_fen, NEW.number,"
    "           COALESCE (NEW.cashier, ''), COALESCE (NEW.closed_at, " TILL_STOCK_NOW_US ")"
    "      FROM sale_line l JOIN product p ON p.id = l.product_id"
    "     WHERE l.sale_id = NEW.id AND p.track_stock = 1"
    "     GROUP BY l.product_id HAVING SUM (l.qty_milli) <> 0;"
    "  END;"
    /* A paid sale refunded in full, or voided, puts back what it took out. */
    "CREATE TRIGGER stock_sale_back AFTER UPDATE OF state ON sale"
    "  WHEN OLD.state = 'paid' AND NEW.state IN ('refunded', 'voided')"
    "  BEGIN"
    "    INSERT INTO stock_move (product_id, kind, qty_milli, cost_fen, reference, who, at)"
    "    SELECT m.product_id, CASE NEW.state WHEN 'voided' THEN 'void' ELSE 'refund' END,"
    "           -m.qty_milli, m.cost_fen, m.reference, m.who,"
    "           COALESCE ((SELECT MAX (r.updated_at) FROM refund r"
    "                        JOIN payment y ON y.id = r.payment_id"
    "                       WHERE y.sale_id = NEW.id AND r.state = 'success'),"
    "                     " TILL_STOCK_NOW_US ")"
    "      FROM stock_move m WHERE m.reference = NEW.number AND m.kind = 'sale';"
    "  END;"
    /* Goods returned without a receipt come back into stock. */
    "CREATE TRIGGER stock_goods_return AFTER INSERT ON goods_return_line"
    "  WHEN (SELECT track_stock FROM product WHERE id = NEW.product_id) = 1"
    "  BEGIN"
    "    INSERT INTO stock_move (product_id, kind, qty_milli, cost_fen, reference, who, at)"
    "    SELECT NEW.product_id, 'refund', NEW.qty_milli,"
    "           (SELECT cost_fen FROM product WHERE id = NEW.product_id),"
    "           r.number, r.cashier, r.at FROM goods_return r WHERE r.id = NEW.return_id;"
    "  END;",
    error);
}

static gboolean
migrate_to_15 (sqlite3  *db,
               GError  **error)
{
  return till_store_exec_literal (db,
    "CREATE TABLE quick_key ("
    "  id          INTEGER PRIMARY KEY,"
    "  category_id INTEGER NOT NULL REFERENCES category (id) ON DELETE CASCADE,"
    "  position    INTEGER NOT NULL CHECK (position >= 0),"
    "  product_id  INTEGER NOT NULL REFERENCES product (id) ON DELETE CASCADE,"
    "  label       TEXT CHECK (label IS NULL OR label <> ''),"
    "  colour      TEXT CHECK (colour IS NULL OR (length (colour) = 7 AND colour GLOB"
    "                '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]')),"
    "  UNIQUE (category_id, position),"
    "  UNIQUE (category_id, product_id)"
    ");"
    "CREATE INDEX quick_key_product ON quick_key (product_id);",
    error);
}

typedef gboolean (*MigrationStepFunc) (sqlite3 *db, GError **error);

typedef struct
{
  MigrationStepFunc run;
  gboolean          rebuilds;   /* rebuilds a table: run with foreign keys off */
} MigrationStep;

static const MigrationStep migrations[] = {
  { migrate_to_1, FALSE },
  { migrate_to_2, FALSE },
  { migrate_to_3, FALSE },
  { migrate_to_4, FALSE },
  { migrate_to_5, FALSE },
  { migrate_to_6, FALSE },
  { migrate_to_7, TRUE },
  { migrate_to_8, FALSE },
  { migrate_to_9, FALSE },
  { migrate_to_10, FALSE },
  { migrate_to_11, FALSE },
  { migrate_to_12, FALSE },
  { migrate_to_13, FALSE },
  { migrate_to_14, FALSE },
  { migrate_to_15, FALSE },
  { _till_store_migrate_to_16, FALSE },
  { _till_store_migrate_to_17, FALSE },
  { _till_store_migrate_to_18, TRUE },
  { _till_store_migrate_to_19, TRUE },
  { _till_store_migrate_to_20, FALSE },
  { _till_store_migrate_to_21, FALSE },
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == TILL_STORE_SCHEMA_VERSION);

gboolean
till_store_query_int (sqlite3    *db,
                      const char *sql,
                      gint64     *out,
                      GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      /* The statement's error is the connection's error. */
      if (error != NULL && *error == NULL)
        g_set_error (error, TILL_STORE_ERROR,
                     till_store_error_code_from_sqlite (sqlite3_errcode (db)),
                     "%s", sqlite3_errmsg (db));
      sqlite3_finalize (stmt);
      return FALSE;
    }
  *out = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return TRUE;
}

static gboolean
run_migrations (sqlite3    *db,
                const char *path,
                int         from,
                int         to,
                GError    **error)
{
  for (int version = from + 1; version <= to; version++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *bump = NULL;

      const MigrationStep *step = &migrations[version - 1];
      gboolean ok;

      g_debug ("Migrating %s to schema version %d", path, version);

      /* Foreign keys can only be switched outside a transaction; the step itself checks
       * them before its COMMIT. */
      if (step->rebuilds && !till_store_exec_literal (db, "PRAGMA foreign_keys = OFF",
                                                      &local_error))
        goto failed;
      /* The version is our own constant, not input: a PRAGMA cannot take a parameter. */
      bump = g_strdup_printf ("PRAGMA user_version = %d", version);
      ok = till_store_exec_literal (db, "BEGIN IMMEDIATE", &local_error)
           && step->run (db, &local_error)
           && till_store_exec_literal (db, bump, &local_error)
           && till_store_exec_literal (db, "COMMIT", &local_error);
      if (!ok && !sqlite3_get_autocommit (db))
        till_store_exec_literal (db, "ROLLBACK", NULL);
      if (step->rebuilds && !till_store_exec_literal (db, "PRAGMA foreign_keys = ON",
                                                      ok ? &local_error : NULL))
        ok = FALSE;
      if (ok)
        continue;

    failed:
      g_warning ("Migration of %s to version %d failed: %s", path, version,
                 local_error->message);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED,
                   _("The database could not be upgraded to version %d (%s)"),
                   version, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Opens `path` and checks that it is a (possibly empty) Tillpoint database no newer than
 * this build knows, without writing anything. */
static sqlite3 *
open_and_check (const char *path,
                int        *out_version,
                GError    **error)
{
  sqlite3 *db = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 version = 0, app_id = 0, n_objects = 0;
  int rc;

  rc = sqlite3_open_v2 (path, &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_warning ("Cannot open %s: %s", path, db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED,
                   _("The database “%s” could not be opened (%s)"), path,
                   db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 5000);

  /* Reading the header first: a file that is not SQLite fails here with SQLITE_NOTADB
   * before anything (WAL mode, a migration) could write to it. */
  if (!till_store_query_int (db, "SELECT count(*) FROM sqlite_master", &n_objects,
                             &local_error)
      || !till_store_query_int (db, "PRAGMA user_version", &version, &local_error)
      || !till_store_query_int (db, "PRAGMA application_id", &app_id, &local_error))
    {
      g_warning ("%s is not a readable SQLite database: %s", path, local_error->message);
      if (g_error_matches (local_error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT))
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT,
                     _("“%s” is not a Tillpoint database or it is damaged (%s). "
                       "The file was left as it is."), path, local_error->message);
      else
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED,
                     _("The database “%s” could not be read (%s)"), path,
                     local_error->message);
      sqlite3_close (db);
      return NULL;
    }

  if ((app_id != 0 && app_id != TILL_STORE_APPLICATION_ID)
      || (version == 0 && n_objects > 0))
    {
      g_warning ("%s belongs to another application (application_id %" G_GINT64_FORMAT
                 ", user_version %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT " objects)",
                 path, app_id, version, n_objects);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT,
                   _("“%s” is not a Tillpoint database. The file was left as it is."),
                   path);
      sqlite3_close (db);
      return NULL;
    }

  if (version > TILL_STORE_SCHEMA_VERSION || version < 0)
    {
      g_warning ("%s has schema version %" G_GINT64_FORMAT ", this build knows %d",
                 path, version, TILL_STORE_SCHEMA_VERSION);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_TOO_NEW,
                   _("The database “%s” was made by a newer version of Tillpoint. "
                     "Please update Tillpoint."), path);
      sqlite3_close (db);
      return NULL;
    }

  *out_version = (int) version;
  return db;
}

static gboolean
configure_connection (sqlite3    *db,
                      const char *path,
                      GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *mode = NULL;

  if (sqlite3_prepare_v2 (db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_finalize (stmt);
      till_store_set_sqlite_error_db (db, error, _("The database could not be prepared"));
      return FALSE;
    }
  mode = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (g_strcmp0 (mode, "wal") != 0)
    g_message ("%s: journal mode is %s, not WAL", path, mode);

  return till_store_exec_literal (db,
                                  "PRAGMA synchronous = FULL;"
                                  "PRAGMA foreign_keys = ON;",
                                  error);
}

gboolean
till_store_create_at_version (const char *path,
                              int         version,
                              GError    **error)
{
  sqlite3 *db;
  int current = 0;
  gboolean ok;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (version >= 0 && version <= TILL_STORE_SCHEMA_VERSION, FALSE);

  db = open_and_check (path, &current, error);
  if (db == NULL)
    return FALSE;
  ok = configure_connection (db, path, error)
       && run_migrations (db, path, current, version, error);
  sqlite3_close (db);
  return ok;
}

/* Whether errno (after access(2)) means "not allowed to write" rather than "not there". */
static gboolean
errno_is_denied (int saved_errno)
{
  return saved_errno == EACCES || saved_errno == EPERM || saved_errno == EROFS;
}

gboolean
till_store_check_writable (const char  *path,
                           GError     **error)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  /* The file first: a read-only database in a writable directory would otherwise open
   * (SQLite falls back to reading only) and then fail every sale. */
  if (g_access (path, R_OK | W_OK) != 0 && errno_is_denied (errno))
    {
      int saved_errno = errno;

      g_warning ("%s cannot be written: %s", path, g_strerror (saved_errno));
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_READ_ONLY,
                   _("The database “%s” cannot be written (%s)."), path,
                   g_strerror (saved_errno));
      return FALSE;
    }

  /* SQLite creates the -wal and -shm files (and a new database) next to it. A directory
   * that is not there is SQLite's to report. */
  dir = g_path_get_dirname (path);
  if (g_access (dir, W_OK | X_OK) != 0 && errno_is_denied (errno))
    {
      int saved_errno = errno;

      g_warning ("%s cannot be written: %s", dir, g_strerror (saved_errno));
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_READ_ONLY,
                   _("The folder “%s” that holds the database cannot be written (%s)."),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

sqlite3 *
till_store_open_db (const char  *path,
                    GError     **error)
{
  sqlite3 *db;
  int version = 0;

  if (!till_store_check_writable (path, error))
    return NULL;

  db = open_and_check (path, &version, error);
  if (db == NULL)
    return NULL;

  /* Whatever access(2) did not see, SQLite falling back to reading only still fails
   * here, at start, and not at the first sale. */
  if (sqlite3_db_readonly (db, "main") == 1)
    {
      g_warning ("%s was opened read-only", path);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_READ_ONLY,
                   _("The database “%s” cannot be written (it could only be opened for "
                     "reading)."), path);
      sqlite3_close (db);
      return NULL;
    }

  if (!configure_connection (db, path, error)
      || !run_migrations (db, path, version, TILL_STORE_SCHEMA_VERSION, error))
    {
      sqlite3_close (db);
      return NULL;
    }
  return db;
}
