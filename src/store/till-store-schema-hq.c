/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Schema step 21 (issue 19): every committed change of the books the head office keeps
 * becomes an outbox job in the same transaction, by triggers. The history is in
 * till-store-schema.c; the functions on it in till-store-hq.c. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include "till-store-private.h"
#include "till-store-schema-private.h"

/* One job per row, key hq:<table>:<id> (a sale carries its lines, a return its lines: their
 * changes queue the parent). A pending job is left as it is; a running, done or dead one
 * becomes pending again, so a change made while the sender reads the row is sent again
 * (the sender marks done only a job still running). Only while hq_config says so. */
#define HQ_NOW "CAST ((julianday ('now') - 2440587.5) * 86400000000.0 AS INTEGER)"
#define HQ_ENQUEUE(key_expr, cond)                                                                 \
  "INSERT INTO outbox (kind, key, next_attempt_at, created_at)"                                    \
  " SELECT 'hq_sync', " key_expr ", 0, " HQ_NOW " WHERE (" cond                                    \
  ") AND EXISTS (SELECT 1 FROM hq_config WHERE id = 1 AND enabled)"                                \
  " ON CONFLICT (key) DO UPDATE SET state = 'pending', attempts = 0, last_error = NULL,"           \
  " next_attempt_at = 0 WHERE outbox.state <> 'pending';"
#define HQ_TRIGGERS(table, key_expr, cond)                                                         \
  "CREATE TRIGGER " table "_hq_insert AFTER INSERT ON " table                                      \
  " BEGIN " HQ_ENQUEUE (key_expr, cond) " END;"                                                    \
                                        "CREATE TRIGGER " table                                    \
                                        "_hq_update AFTER UPDATE ON " table                        \
                                        " BEGIN " HQ_ENQUEUE (key_expr, cond) " END;"
#define HQ_OPEN_SALE "('open', 'suspended')"

gboolean
_till_store_migrate_to_21 (sqlite3 *db, GError **error)
{
  return till_store_exec_literal (
      db,
      /* One row: whether this till sends its books (the setting hq-url, written by the
       * till when it changes: triggers cannot read settings). */
      "CREATE TABLE hq_config ("
      "  id              INTEGER PRIMARY KEY CHECK (id = 1),"
      "  enabled         INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),"
      "  catalog_version INTEGER NOT NULL DEFAULT 0,"
      "  catalog_synced_at INTEGER"
      ");"
      "INSERT INTO hq_config (id) VALUES (1);"
      "CREATE INDEX outbox_kind_state ON outbox (kind, state, next_attempt_at);"
      /* Open and suspended sales stay at the till (their lines come and go): a sale is
       * sent once it is paid, voided or refunded, with its lines. */
      HQ_TRIGGERS ("sale", "'hq:sale:' || NEW.id", "NEW.state NOT IN " HQ_OPEN_SALE) HQ_TRIGGERS (
          "sale_line", "'hq:sale:' || NEW.sale_id",
          "(SELECT state FROM sale WHERE id = NEW.sale_id) NOT IN " HQ_OPEN_SALE)
          HQ_TRIGGERS ("payment", "'hq:payment:' || NEW.id", "1") HQ_TRIGGERS (
              "refund", "'hq:refund:' || NEW.id",
              "1") HQ_TRIGGERS ("cash_movement", "'hq:cash_movement:' || NEW.id",
                                "1") HQ_TRIGGERS ("day_close", "'hq:day_close:' || NEW.date", "1")
              HQ_TRIGGERS ("reconciliation", "'hq:reconciliation:' || NEW.id",
                           "1") HQ_TRIGGERS ("goods_return", "'hq:goods_return:' || NEW.id", "1")
                  HQ_TRIGGERS ("goods_return_line", "'hq:goods_return:' || NEW.return_id",
                               "1") HQ_TRIGGERS ("stock_move", "'hq:stock_move:' || NEW.id", "1")
                      HQ_TRIGGERS ("stored_value_move", "'hq:stored_value_move:' || NEW.id", "1")
                          HQ_TRIGGERS ("points_move", "'hq:points_move:' || NEW.id", "1"),
      error);
}
