/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ledger figures a member's receipt prints (issue 16). */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "till-store-member-receipt.h"
#include "till-store-private.h"

static gboolean
figures_locked (TillStore *self, const char *number, gint64 member_id, gint64 closed_at_us,
                TillSaleMemberFigures *out, GError **error)
{
  g_autoptr (TillCachedStmt) own = till_store_prepare_cached (
      self,
      "SELECT COALESCE (SUM (CASE kind WHEN 'spend' THEN -(paid_fen + bonus_fen) END), 0),"
      "       COALESCE (SUM (CASE kind WHEN 'topup' THEN paid_fen END), 0),"
      "       COALESCE (SUM (CASE kind WHEN 'bonus' THEN bonus_fen END), 0),"
      "       MAX (id)"
      "  FROM stored_value_move"
      " WHERE reference = ?1 AND member_id = ?2 AND kind IN ('topup', 'bonus', 'spend')",
      error);
  g_autoptr (TillCachedStmt) balance = NULL;
  g_autoptr (TillCachedStmt) points = NULL;
  gint64 last_id = 0;

  if (own == NULL)
    return FALSE;
  sqlite3_bind_text (own, 1, number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (own, 2, member_id);
  if (sqlite3_step (own) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _ ("The stored value could not be read"));
      return FALSE;
    }
  out->spent_fen = sqlite3_column_int64 (own, 0);
  out->topup_fen = sqlite3_column_int64 (own, 1);
  out->bonus_fen = sqlite3_column_int64 (own, 2);
  out->has_moves = sqlite3_column_type (own, 3) != SQLITE_NULL;
  last_id = out->has_moves ? sqlite3_column_int64 (own, 3) : 0;

  /* The card after the sale: every move of the member up to the sale's last one (or, for
   * a sale without moves, up to its closing time). */
  balance = till_store_prepare_cached (
      self,
      "SELECT COALESCE (SUM (paid_fen + bonus_fen), 0) FROM stored_value_move"
      " WHERE member_id = ?1 AND (CASE WHEN ?2 > 0 THEN id <= ?2 ELSE at <= ?3 END)",
      error);
  if (balance == NULL)
    return FALSE;
  sqlite3_bind_int64 (balance, 1, member_id);
  sqlite3_bind_int64 (balance, 2, last_id);
  sqlite3_bind_int64 (balance, 3, closed_at_us);
  if (sqlite3_step (balance) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _ ("The stored value could not be read"));
      return FALSE;
    }
  out->balance_fen = sqlite3_column_int64 (balance, 0);

  points = till_store_prepare_cached (self,
                                      "SELECT COALESCE (SUM (points), 0) FROM points_move"
                                      " WHERE reference = ?1 AND member_id = ?2 AND kind = 'earn'",
                                      error);
  if (points == NULL)
    return FALSE;
  sqlite3_bind_text (points, 1, number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (points, 2, member_id);
  if (sqlite3_step (points) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _ ("The points could not be read"));
      return FALSE;
    }
  out->points_earned = sqlite3_column_int64 (points, 0);
  return TRUE;
}

gboolean
till_store_sale_member_figures (TillStore *self, const char *number, gint64 member_id,
                                gint64 closed_at_us, TillSaleMemberFigures *out, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (number != NULL && out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  locker = till_store_locker_new (self);
  /* One read transaction: the moves and the points of the same moment. */
  if (!till_store_begin (self, error))
    return FALSE;
  if (!figures_locked (self, number, member_id, closed_at_us, out, error))
    {
      till_store_rollback (self);
      return FALSE;
    }
  return till_store_commit (self, error);
}
