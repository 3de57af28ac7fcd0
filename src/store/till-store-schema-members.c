/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The members' schema steps (issue 16): 16 members and levels, 17 the stored-value and
 * points ledgers, 18 members in sales — top-up sales, stored value as a tender, points
 * earned and reversed by triggers. The history is in till-store-schema.c. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include "till-store-private.h"
#include "till-store-schema-private.h"

gboolean
_till_store_migrate_to_16 (sqlite3  *db,
               GError  **error)
{
  return till_store_exec_literal (db,
    "CREATE TABLE member_level ("
    "  id              INTEGER PRIMARY KEY,"
    "  name            TEXT NOT NULL UNIQUE CHECK (name <> ''),"
    "  position        INTEGER NOT NULL DEFAULT 0,"
    "  discount_bp     INTEGER NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),"
    "  points_per_yuan INTEGER NOT NULL DEFAULT 1 CHECK (points_per_yuan >= 0)"
    ");"
    "CREATE TABLE member ("
    "  id         INTEGER PRIMARY KEY,"
    "  code       TEXT NOT NULL UNIQUE CHECK (length (code) = 11 AND code GLOB"
    "               'M[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),"
    "  name       TEXT NOT NULL CHECK (name <> ''),"
    "  phone      TEXT UNIQUE CHECK (phone IS NULL OR (length (phone) = 11 AND phone GLOB"
    "               '1[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]')),"
    "  birthday   TEXT CHECK (birthday IS NULL OR birthday GLOB '[0-9][0-9]-[0-9][0-9]'"
    "                         OR birthday GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
    "  level_id   INTEGER REFERENCES member_level (id),"
    "  note       TEXT,"
    "  active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
    "  pin_hash   TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  created_by TEXT NOT NULL CHECK (created_by <> ''),"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX member_level_id ON member (level_id);"
    "CREATE INDEX member_name ON member (name);"
    "CREATE TRIGGER member_no_delete BEFORE DELETE ON member"
    "  BEGIN SELECT RAISE (ABORT, 'a member cannot be deleted'); END;"
    "CREATE TABLE member_search ("
    "  key       TEXT NOT NULL,"
    "  member_id INTEGER NOT NULL REFERENCES member (id),"
    "  PRIMARY KEY (key, member_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX member_search_member ON member_search (member_id);"
    "CREATE TABLE product_member_price ("
    "  product_id INTEGER NOT NULL REFERENCES product (id) ON DELETE CASCADE,"
    "  level_id   INTEGER NOT NULL REFERENCES member_level (id) ON DELETE CASCADE,"
    "  price_fen  INTEGER NOT NULL CHECK (price_fen >= 0),"
    "  PRIMARY KEY (product_id, level_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX product_member_price_level ON product_member_price (level_id);",
    error);
}

gboolean
_till_store_migrate_to_17 (sqlite3  *db,
               GError  **error)
{
  return till_store_exec_literal (db,
    "CREATE TABLE stored_value_move ("
    "  id        INTEGER PRIMARY KEY,"
    "  member_id INTEGER NOT NULL REFERENCES member (id),"
    "  kind      TEXT NOT NULL CHECK (kind IN ('topup', 'bonus', 'spend', 'refund', 'adjust')),"
    "  paid_fen  INTEGER NOT NULL,"
    "  bonus_fen INTEGER NOT NULL,"
    "  reference TEXT NOT NULL CHECK (reference <> ''),"
    "  refund_of INTEGER REFERENCES stored_value_move (id),"
    "  who       TEXT NOT NULL CHECK (who <> ''),"
    "  reason    TEXT,"
    "  at        INTEGER NOT NULL,"
    "  CHECK (CASE kind"
    "           WHEN 'topup'  THEN paid_fen > 0 AND bonus_fen = 0"
    "           WHEN 'bonus'  THEN paid_fen = 0 AND bonus_fen > 0"
    "           WHEN 'spend'  THEN paid_fen <= 0 AND bonus_fen <= 0 AND paid_fen + bonus_fen < 0"
    "           WHEN 'refund' THEN paid_fen >= 0 AND bonus_fen >= 0 AND paid_fen + bonus_fen > 0"
    "                              AND refund_of IS NOT NULL"
    "           ELSE (paid_fen <> 0 OR bonus_fen <> 0) AND reason IS NOT NULL AND reason <> ''"
    "                AND reference GLOB 'audit:[0-9]*'"
    "         END),"
    "  CHECK (refund_of IS NULL OR kind = 'refund')"
    ");"
    "CREATE INDEX stored_value_move_balance ON stored_value_move (member_id, paid_fen, bonus_fen);"
    "CREATE INDEX stored_value_move_reference ON stored_value_move (reference);"
    "CREATE INDEX stored_value_move_refund_of ON stored_value_move (refund_of)"
    "  WHERE refund_of IS NOT NULL;"
    "CREATE INDEX stored_value_move_at ON stored_value_move (at);"
    "CREATE UNIQUE INDEX stored_value_move_topup_once ON stored_value_move (reference, kind)"
    "  WHERE kind IN ('topup', 'bonus');"
    "CREATE TRIGGER stored_value_move_no_update BEFORE UPDATE ON stored_value_move"
    "  BEGIN SELECT RAISE (ABORT, 'stored value moves are append-only'); END;"
    "CREATE TRIGGER stored_value_move_no_delete BEFORE DELETE ON stored_value_move"
    "  BEGIN SELECT RAISE (ABORT, 'stored value moves are append-only'); END;"
    "CREATE TRIGGER stored_value_move_not_negative BEFORE INSERT ON stored_value_move"
    "  WHEN (SELECT COALESCE (SUM (paid_fen), 0) FROM stored_value_move"
    "         WHERE member_id = NEW.member_id) + NEW.paid_fen < 0"
    "    OR (SELECT COALESCE (SUM (bonus_fen), 0) FROM stored_value_move"
    "         WHERE member_id = NEW.member_id) + NEW.bonus_fen < 0"
    "  BEGIN SELECT RAISE (ABORT, 'stored value below zero'); END;"
    /* A refund gives back to the member of its spend, never more paid or bonus money than
     * the spend took less its earlier refunds. */
    "CREATE TRIGGER stored_value_refund_of_spend BEFORE INSERT ON stored_value_move"
    "  WHEN NEW.refund_of IS NOT NULL AND NOT EXISTS ("
    "    SELECT 1 FROM stored_value_move s"
    "     WHERE s.id = NEW.refund_of AND s.kind = 'spend' AND s.member_id = NEW.member_id"
    "       AND -s.paid_fen >= NEW.paid_fen + (SELECT COALESCE (SUM (r.paid_fen), 0)"
    "                             FROM stored_value_move r WHERE r.refund_of = s.id)"
    "       AND -s.bonus_fen >= NEW.bonus_fen + (SELECT COALESCE (SUM (r.bonus_fen), 0)"
    "                             FROM stored_value_move r WHERE r.refund_of = s.id))"
    "  BEGIN SELECT RAISE (ABORT, 'a refund gives back more than its spend took'); END;"
    "CREATE TABLE points_move ("
    "  id        INTEGER PRIMARY KEY,"
    "  member_id INTEGER NOT NULL REFERENCES member (id),"
    "  kind      TEXT NOT NULL CHECK (kind IN ('earn', 'reverse', 'redeem', 'adjust')),"
    "  points    INTEGER NOT NULL CHECK (points <> 0),"
    "  reference TEXT NOT NULL CHECK (reference <> ''),"
    "  who       TEXT NOT NULL CHECK (who <> ''),"
    "  reason    TEXT,"
    "  at        INTEGER NOT NULL,"
    "  CHECK (CASE kind"
    "           WHEN 'earn'    THEN points > 0"
    "           WHEN 'reverse' THEN points < 0"
    "           WHEN 'redeem'  THEN points < 0"
    "           ELSE reason IS NOT NULL AND reason <> '' AND reference GLOB 'audit:[0-9]*'"
    "         END)"
    ");"
    "CREATE INDEX points_move_balance ON points_move (member_id, points);"
    "CREATE INDEX points_move_reference ON points_move (reference);"
    "CREATE INDEX points_move_at ON points_move (at);"
    "CREATE TRIGGER points_move_no_update BEFORE UPDATE ON points_move"
    "  BEGIN SELECT RAISE (ABORT, 'points moves are append-only'); END;"
    "CREATE TRIGGER points_move_no_delete BEFORE DELETE ON points_move"
    "  BEGIN SELECT RAISE (ABORT, 'points moves are append-only'); END;"
    "CREATE TRIGGER points_move_not_negative BEFORE INSERT ON points_move"
    "  WHEN (SELECT COALESCE (SUM (points), 0) FROM points_move"
    "         WHERE member_id = NEW.member_id) + NEW.points < 0"
    "  BEGIN SELECT RAISE (ABORT, 'points below zero'); END;"
    "CREATE TABLE topup_rule ("
    "  id        INTEGER PRIMARY KEY,"
    "  pay_fen   INTEGER NOT NULL CHECK (pay_fen > 0),"
    "  bonus_fen INTEGER NOT NULL CHECK (bonus_fen > 0),"
    "  active    INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))"
    ");",
    error);
}

/* Who a trigger's ledger row names: the sale's cashier, else its till. */
#define SALE_WHO(s) "COALESCE (NULLIF (" s ".cashier, ''), NULLIF (" s ".till_id, ''), 'till')"

/* Points a refund takes back: the sale's earned points in the proportion of its money
 * refunded so far, less what was taken back before, never more than the member has. */
#define POINTS_REVERSE_SELECT \
  "  INSERT INTO points_move (member_id, kind, points, reference, who, at)" \
  "  SELECT member_id, 'reverse', -n, number, who, NEW.updated_at FROM (" \
  "    SELECT s.member_id, s.number, " SALE_WHO ("s") " AS who," \
  "      MIN ((SELECT COALESCE (SUM (e.points), 0) FROM points_move e" \
  "             WHERE e.reference = s.number AND e.kind = 'earn' AND e.member_id = s.member_id)" \
  "           * (SELECT COALESCE (SUM (r.amount_fen), 0) FROM refund r" \
  "               JOIN payment q ON q.id = r.payment_id" \
  "              WHERE q.sale_id = s.id AND q.unattached = 0 AND r.state = 'success')" \
  "           / s.total_fen" \
  "           + (SELECT COALESCE (SUM (v.points), 0) FROM points_move v" \
  "               WHERE v.reference = s.number AND v.kind = 'reverse'" \
  "                 AND v.member_id = s.member_id)," \
  "           (SELECT COALESCE (SUM (b.points), 0) FROM points_move b" \
  "             WHERE b.member_id = s.member_id)) AS n" \
  "      FROM payment p JOIN sale s ON s.id = p.sale_id" \
  "     WHERE p.id = NEW.payment_id AND p.unattached = 0 AND s.kind = 'goods'" \
  "       AND s.member_id IS NOT NULL AND s.total_fen > 0)" \
  "   WHERE n > 0;"

gboolean
_till_store_migrate_to_18 (sqlite3  *db,
                           GError  **error)
{
  return _till_store_rebuild_payment_check (db, TILL_STORE_METHOD_CHECK_7,
                                            TILL_STORE_METHOD_CHECK_18, error)
    && till_store_exec_literal (db,
    "ALTER TABLE sale ADD COLUMN kind TEXT NOT NULL DEFAULT 'goods'"
    "  CHECK (kind IN ('goods', 'topup'));"
    "ALTER TABLE sale ADD COLUMN member_id INTEGER REFERENCES member (id);"
    "ALTER TABLE sale ADD COLUMN topup_bonus_fen INTEGER NOT NULL DEFAULT 0"
    "  CHECK (topup_bonus_fen >= 0);"
    "CREATE INDEX sale_member ON sale (member_id, closed_at) WHERE member_id IS NOT NULL;"
    /* A stored-value payment's spend, and a refund of one's give-back: once each. */
    "ALTER TABLE stored_value_move ADD COLUMN payment_id INTEGER REFERENCES payment (id);"
    "ALTER TABLE stored_value_move ADD COLUMN refund_id INTEGER REFERENCES refund (id);"
    "CREATE UNIQUE INDEX stored_value_move_payment ON stored_value_move (payment_id)"
    "  WHERE payment_id IS NOT NULL;"
    "CREATE UNIQUE INDEX stored_value_move_refund ON stored_value_move (refund_id)"
    "  WHERE refund_id IS NOT NULL;"
    /* A sale's kind, member and promised bonus change only while it is open. */
    "CREATE TRIGGER sale_member_fixed BEFORE UPDATE OF kind, member_id, topup_bonus_fen ON sale"
    "  WHEN OLD.state NOT IN ('open', 'suspended')"
    "   AND (NEW.kind IS NOT OLD.kind OR NEW.member_id IS NOT OLD.member_id"
    "        OR NEW.topup_bonus_fen IS NOT OLD.topup_bonus_fen)"
    "  BEGIN SELECT RAISE (ABORT, 'a closed sale keeps its member'); END;"
    "CREATE TRIGGER sale_topup_member BEFORE UPDATE OF state ON sale"
    "  WHEN NEW.kind = 'topup' AND NEW.state = 'paid' AND NEW.member_id IS NULL"
    "  BEGIN SELECT RAISE (ABORT, 'a top-up needs a member'); END;"
    "CREATE TRIGGER sale_bonus_only_topup BEFORE UPDATE OF state ON sale"
    "  WHEN NEW.kind = 'goods' AND NEW.topup_bonus_fen <> 0"
    "  BEGIN SELECT RAISE (ABORT, 'only a top-up has a bonus'); END;"
    /* A paid top-up is credited in the transaction that makes it paid, whichever payment
     * completed it (cash, a code, a QR, a late answer, the recovery at start): exactly
     * once (the unique index of schema 17), never without its payment. */
    "CREATE TRIGGER sale_topup_credit AFTER UPDATE OF state ON sale"
    "  WHEN NEW.kind = 'topup' AND NEW.state = 'paid' AND OLD.state <> 'paid'"
    "  BEGIN"
    "    INSERT INTO stored_value_move (member_id, kind, paid_fen, bonus_fen, reference, who, at)"
    "      VALUES (NEW.member_id, 'topup', NEW.total_fen, 0, NEW.number, " SALE_WHO ("NEW") ","
    "              COALESCE (NEW.closed_at, NEW.opened_at));"
    "    INSERT INTO stored_value_move (member_id, kind, paid_fen, bonus_fen, reference, who, at)"
    "      SELECT NEW.member_id, 'bonus', 0, NEW.topup_bonus_fen, NEW.number, " SALE_WHO ("NEW") ","
    "             COALESCE (NEW.closed_at, NEW.opened_at)"
    "       WHERE NEW.topup_bonus_fen > 0;"
    "  END;"
    /* Money put on a card is not given back at the till: a manager adjusts it. */
    "CREATE TRIGGER sale_topup_final BEFORE UPDATE OF state ON sale"
    "  WHEN OLD.kind = 'topup' AND OLD.state = 'paid' AND NEW.state <> 'paid'"
    "  BEGIN SELECT RAISE (ABORT, 'a paid top-up is not refunded or voided'); END;"
    "CREATE TRIGGER payment_topup_not_stored_value BEFORE INSERT ON payment"
    "  WHEN NEW.method = 'stored_value'"
    "   AND (SELECT kind FROM sale WHERE id = NEW.sale_id) = 'topup'"
    "  BEGIN SELECT RAISE (ABORT, 'a top-up is not paid with stored value'); END;"
    "CREATE TRIGGER payment_stored_value_member BEFORE INSERT ON payment"
    "  WHEN NEW.method = 'stored_value'"
    "   AND (SELECT member_id FROM sale WHERE id = NEW.sale_id) IS NULL"
    "  BEGIN SELECT RAISE (ABORT, 'stored value pays only a member''s sale'); END;"
    /* Points: a member's goods sale earns its level's points per whole yuan (1 without a
     * level) when it is paid; refunds take them back in proportion. */
    "CREATE TRIGGER sale_points_earn AFTER UPDATE OF state ON sale"
    "  WHEN NEW.kind = 'goods' AND NEW.member_id IS NOT NULL"
    "   AND NEW.state = 'paid' AND OLD.state <> 'paid'"
    "  BEGIN"
    "    INSERT INTO points_move (member_id, kind, points, reference, who, at)"
    "    SELECT m.id, 'earn', (NEW.total_fen / 100) * COALESCE (l.points_per_yuan, 1),"
    "           NEW.number, " SALE_WHO ("NEW") ", COALESCE (NEW.closed_at, NEW.opened_at)"
    "      FROM member m LEFT JOIN member_level l ON l.id = m.level_id"
    "     WHERE m.id = NEW.member_id"
    "       AND (NEW.total_fen / 100) * COALESCE (l.points_per_yuan, 1) > 0;"
    "  END;"
    "CREATE TRIGGER refund_points_reverse AFTER UPDATE OF state ON refund"
    "  WHEN NEW.state = 'success' AND OLD.state <> 'success'"
    "  BEGIN" POINTS_REVERSE_SELECT " END;"
    "CREATE TRIGGER refund_points_reverse_at_once AFTER INSERT ON refund"
    "  WHEN NEW.state = 'success'"
    "  BEGIN" POINTS_REVERSE_SELECT " END;",
    error);
}

/* Points redeemed on a sale: the sale holds how many (and at what rule); the ledger moves
 * with every change of that number — a 'redeem' when it rises, a 'release' when it falls
 * or the sale is voided, a 'return' in proportion to the money a refund gives back — so
 * that for every sale the ledger's redemption moves add up to what the sale still takes. */
#define POINTS_NET(s) \
  "(SELECT COALESCE (SUM (v.points), 0) FROM points_move v" \
  "  WHERE v.sale_id = " s ".id AND v.member_id = " s ".member_id" \
  "    AND v.kind IN ('redeem', 'release', 'return'))"

#define POINTS_RETURN_SELECT \
  "  INSERT INTO points_move (member_id, kind, points, reference, who, at, sale_id)" \
  "  SELECT member_id, 'return', n, number, who, NEW.updated_at, id FROM (" \
  "    SELECT s.id, s.member_id, s.number, " SALE_WHO ("s") " AS who," \
  "      s.points_redeemed * (SELECT COALESCE (SUM (r.amount_fen), 0) FROM refund r" \
  "                             JOIN payment q ON q.id = r.payment_id" \
  "                            WHERE q.sale_id = s.id AND q.unattached = 0" \
  "                              AND r.state = 'success') / s.total_fen" \
  "      - s.points_redeemed - " POINTS_NET ("s") " AS n" \
  "      FROM payment p JOIN sale s ON s.id = p.sale_id" \
  "     WHERE p.id = NEW.payment_id AND p.unattached = 0 AND s.kind = 'goods'" \
  "       AND s.member_id IS NOT NULL AND s.total_fen > 0 AND s.points_redeemed > 0)" \
  "   WHERE n > 0;"

gboolean
_till_store_migrate_to_19 (sqlite3  *db,
                           GError  **error)
{
  const char *const changes[] = {
    "CHECK (kind IN ('earn', 'reverse', 'redeem', 'adjust'))",
    "CHECK (kind IN ('earn', 'reverse', 'redeem', 'release', 'return', 'adjust'))",
    "WHEN 'redeem'  THEN points < 0",
    "WHEN 'redeem'  THEN points < 0"
    "           WHEN 'release' THEN points > 0"
    "           WHEN 'return'  THEN points > 0",
    NULL,
  };

  return _till_store_rebuild_table_checks (db, "points_move", changes, error)
    && till_store_exec_literal (db,
    "ALTER TABLE points_move ADD COLUMN sale_id INTEGER REFERENCES sale (id);"
    "CREATE INDEX points_move_sale ON points_move (sale_id) WHERE sale_id IS NOT NULL;"
    "ALTER TABLE sale ADD COLUMN points_redeemed INTEGER NOT NULL DEFAULT 0"
    "  CHECK (points_redeemed >= 0);"
    "ALTER TABLE sale ADD COLUMN points_fen INTEGER NOT NULL DEFAULT 0 CHECK (points_fen >= 0);"
    "ALTER TABLE sale ADD COLUMN points_per_yuan INTEGER NOT NULL DEFAULT 0"
    "  CHECK (points_per_yuan >= 0);"
    "ALTER TABLE sale ADD COLUMN points_max_percent INTEGER NOT NULL DEFAULT 0"
    "  CHECK (points_max_percent BETWEEN 0 AND 99);"
    "CREATE TRIGGER sale_points_fixed BEFORE UPDATE OF points_redeemed ON sale"
    "  WHEN OLD.state NOT IN ('open', 'suspended')"
    "   AND NEW.points_redeemed IS NOT OLD.points_redeemed"
    "  BEGIN SELECT RAISE (ABORT, 'a closed sale keeps its points'); END;"
    "CREATE TRIGGER sale_points_member BEFORE UPDATE OF points_redeemed, member_id, kind ON sale"
    "  WHEN NEW.points_redeemed > 0 AND (NEW.kind <> 'goods' OR NEW.member_id IS NULL)"
    "  BEGIN SELECT RAISE (ABORT, 'points are redeemed on a member''s goods sale'); END;"
    "CREATE TRIGGER sale_points_member_new BEFORE INSERT ON sale"
    "  WHEN NEW.points_redeemed > 0 AND (NEW.kind <> 'goods' OR NEW.member_id IS NULL)"
    "  BEGIN SELECT RAISE (ABORT, 'points are redeemed on a member''s goods sale'); END;"
    "CREATE TRIGGER sale_points_redeem_new AFTER INSERT ON sale"
    "  WHEN NEW.points_redeemed > 0"
    "  BEGIN"
    "    INSERT INTO points_move (member_id, kind, points, reference, who, at, sale_id)"
    "      VALUES (NEW.member_id, 'redeem', -NEW.points_redeemed, NEW.number, "
    SALE_WHO ("NEW") ", NEW.opened_at, NEW.id);"
    "  END;"
    /* The same member: the difference; another member: all back to the one, all from the
     * other. A void releases what is left (below), whatever this update also changed. */
    "CREATE TRIGGER sale_points_redeem AFTER UPDATE OF points_redeemed, member_id ON sale"
    "  WHEN NEW.state <> 'voided' AND (NEW.points_redeemed IS NOT OLD.points_redeemed"
    "                                  OR NEW.member_id IS NOT OLD.member_id)"
    "  BEGIN"
    "    INSERT INTO points_move (member_id, kind, points, reference, who, at, sale_id)"
    "      SELECT NEW.member_id,"
    "             CASE WHEN NEW.points_redeemed > OLD.points_redeemed"
    "                  THEN 'redeem' ELSE 'release' END,"
    "             OLD.points_redeemed - NEW.points_redeemed, NEW.number, " SALE_WHO ("NEW") ","
    "             COALESCE (NEW.closed_at, NEW.opened_at), NEW.id"
    "       WHERE NEW.member_id IS OLD.member_id"
    "         AND NEW.points_redeemed <> OLD.points_redeemed;"
    "    INSERT INTO points_move (member_id, kind, points, reference, who, at, sale_id)"
    "      SELECT OLD.member_id, 'release', OLD.points_redeemed, NEW.number, "
    SALE_WHO ("NEW") ", COALESCE (NEW.closed_at, NEW.opened_at), NEW.id"
    "       WHERE NEW.member_id IS NOT OLD.member_id AND OLD.member_id IS NOT NULL"
    "         AND OLD.points_redeemed > 0;"
    "    INSERT INTO points_move (member_id, kind, points, reference, who, at, sale_id)"
    "      SELECT NEW.member_id, 'redeem', -NEW.points_redeemed, NEW.number, "
    SALE_WHO ("NEW") ", COALESCE (NEW.closed_at, NEW.opened_at), NEW.id"
    "       WHERE NEW.member_id IS NOT OLD.member_id AND NEW.member_id IS NOT NULL"
    "         AND NEW.points_redeemed > 0;"
    "  END;"
    "CREATE TRIGGER sale_points_void AFTER UPDATE OF state ON sale"
    "  WHEN NEW.state = 'voided' AND OLD.state <> 'voided' AND NEW.member_id IS NOT NULL"
    "  BEGIN"
    "    INSERT INTO points_move (member_id, kind, points, reference, who, at, sale_id)"
    "      SELECT NEW.member_id, 'release', -" POINTS_NET ("NEW") ", NEW.number, "
    SALE_WHO ("NEW") ", COALESCE (NEW.closed_at, NEW.opened_at), NEW.id"
    "       WHERE " POINTS_NET ("NEW") " < 0;"
    "  END;"
    "CREATE TRIGGER refund_points_return AFTER UPDATE OF state ON refund"
    "  WHEN NEW.state = 'success' AND OLD.state <> 'success'"
    "  BEGIN" POINTS_RETURN_SELECT " END;"
    "CREATE TRIGGER refund_points_return_at_once AFTER INSERT ON refund"
    "  WHEN NEW.state = 'success'"
    "  BEGIN" POINTS_RETURN_SELECT " END;",
    error);
}
