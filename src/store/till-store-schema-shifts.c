/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Schema step 20 (issue 18): the shift table of the handover (交班). The history is in
 * till-store-schema.c; the functions on it in till-store-shifts.c. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include "till-store-private.h"
#include "till-store-schema-private.h"

gboolean
_till_store_migrate_to_20 (sqlite3 *db, GError **error)
{
  return till_store_exec_literal (
      db,
      "CREATE TABLE shift ("
      "  id           INTEGER PRIMARY KEY,"
      "  day          TEXT NOT NULL,"
      "  till_id      TEXT NOT NULL,"
      "  person_id    INTEGER REFERENCES staff (id),"
      "  cashier      TEXT NOT NULL CHECK (cashier <> ''),"
      "  opened_at    INTEGER NOT NULL,"
      "  float_fen    INTEGER NOT NULL CHECK (float_fen >= 0),"
      "  closed_at    INTEGER CHECK (closed_at IS NULL OR closed_at >= opened_at),"
      "  counted_fen  INTEGER CHECK (counted_fen IS NULL OR counted_fen >= 0),"
      "  expected_fen INTEGER,"
      "  summary_json TEXT,"
      "  closed_by    TEXT,"
      "  CHECK ((closed_at IS NULL) = (counted_fen IS NULL)"
      "         AND (closed_at IS NULL) = (expected_fen IS NULL)"
      "         AND (closed_at IS NULL) = (summary_json IS NULL)"
      "         AND (closed_at IS NULL) = (closed_by IS NULL))"
      ");"
      "CREATE INDEX shift_day ON shift (day);"
      "CREATE INDEX shift_opened_at ON shift (opened_at);"
      /* One open shift per till (a database is one till's). */
      "CREATE UNIQUE INDEX shift_one_open ON shift (till_id) WHERE closed_at IS NULL;"
      "CREATE INDEX cash_movement_at ON cash_movement (at);"
      "CREATE TRIGGER shift_no_delete BEFORE DELETE ON shift"
      "  BEGIN SELECT RAISE (ABORT, 'a shift cannot be deleted'); END;"
      "CREATE TRIGGER shift_closed_immutable BEFORE UPDATE ON shift"
      "  WHEN OLD.closed_at IS NOT NULL"
      "  BEGIN SELECT RAISE (ABORT, 'a closed shift cannot change'); END;"
      "CREATE TRIGGER shift_open_only_closes BEFORE UPDATE ON shift"
      "  WHEN OLD.closed_at IS NULL AND (NEW.id IS NOT OLD.id OR NEW.day IS NOT OLD.day"
      "    OR NEW.till_id IS NOT OLD.till_id OR NEW.person_id IS NOT OLD.person_id"
      "    OR NEW.cashier IS NOT OLD.cashier OR NEW.opened_at IS NOT OLD.opened_at"
      "    OR NEW.float_fen IS NOT OLD.float_fen)"
      "  BEGIN SELECT RAISE (ABORT, 'an open shift can only be closed'); END;",
      error);
}
