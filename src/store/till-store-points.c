/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Members' points (schema 17): a ledger whose sum is the balance — earned, taken back,
 * redeemed, adjusted by a manager —, and how a member confirms a payment from the card
 * with the last four digits of their phone. Stored value is till-store-stored-value.c. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <string.h>

#include "till-store-private.h"
#include "till-store-stored-value-private.h"
#include "till-store-stored-value.h"

/* ---------------------------------------------------------------- points */

static gint64
insert_points_locked (TillStore *self, gint64 member_id, const char *kind, gint64 points,
                      const char *reference, const char *who, const char *reason, GError **error)
{
  g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
      self,
      "INSERT INTO points_move (member_id, kind, points, reference, who, reason, at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, member_id);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, points);
  sqlite3_bind_text (stmt, 4, reference, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, who, -1, SQLITE_TRANSIENT);
  till_stmt_bind_text_or_null (stmt, 6, reason);
  sqlite3_bind_int64 (stmt, 7, till_store_now_us ());
  if (!till_store_step_done (self, stmt, _ ("The points could not be saved"), error))
    return 0;
  return sqlite3_last_insert_rowid (till_store_get_db (self));
}

static gboolean
not_enough_points (GError **error, gint64 left)
{
  g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, left);

  g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
               _ ("Not enough points: %s left"), n);
  return FALSE;
}

typedef enum
{
  POINTS_EARN,
  POINTS_REVERSE,
  POINTS_REDEEM,
  POINTS_ADJUST,
} PointsKind;

static const char *const points_kinds[] = { "earn", "reverse", "redeem", "adjust" };

/* One points move: `delta` signed as stored. */
static gint64
points_move (TillStore *self, PointsKind kind, gint64 member_id, gint64 delta,
             const char *reference, const char *who, const char *reason, const char *approved_by,
             GError **error)
{
  g_autoptr (TillStoreLocker) locker = till_store_locker_new (self);
  g_autofree char *approval = NULL;
  TillMemberBalance balance;
  gint64 id;

  if (!till_store_begin (self, error))
    return 0;
  if (!_till_store_member_check_locked (self, member_id, kind == POINTS_EARN || kind == POINTS_REDEEM, error)
      || !_till_store_member_balance_locked (self, member_id, &balance, error))
    goto fail;
  if (balance.points + delta < 0)
    {
      g_message ("Points of member %" G_GINT64_FORMAT ": %s of %" G_GINT64_FORMAT
                 " refused, %" G_GINT64_FORMAT " left",
                 member_id, points_kinds[kind], delta, balance.points);
      not_enough_points (error, balance.points);
      goto fail;
    }
  if (kind == POINTS_REVERSE)
    {
      /* Never more than the sale earned, less what was taken back before. */
      g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
          self,
          "SELECT COALESCE (SUM (points), 0) FROM points_move"
          " WHERE reference = ?1 AND member_id = ?2 AND kind IN ('earn', 'reverse')",
          error);

      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, reference, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, member_id);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          till_store_set_sqlite_error (self, error, _ ("The points could not be read"));
          goto fail;
        }
      gint64 earned = sqlite3_column_int64 (stmt, 0);

      if (earned + delta < 0)
        {
          g_message ("Points reverse of %s refused: the sale earned %" G_GINT64_FORMAT " left",
                     reference, earned);
          g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, earned);

          g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                       _ ("The sale earned only %s points to take back"), n);
          goto fail;
        }
    }
  if (kind == POINTS_ADJUST)
    {
      g_autofree char *fields = g_strdup_printf ("\"points\":%" G_GINT64_FORMAT, delta);

      if (!_till_store_member_approval_locked (self, "approve:points_adjust", member_id, fields, who, approved_by,
                            &approval, error))
        goto fail;
      reference = approval;
    }
  id = insert_points_locked (self, member_id, points_kinds[kind], delta, reference, who, reason,
                             error);
  if (id == 0 || !till_store_commit (self, error))
    goto fail;
  g_message ("Points: member %" G_GINT64_FORMAT " %s %" G_GINT64_FORMAT " (%s)", member_id,
             points_kinds[kind], delta, reference);
  return id;

fail:
  till_store_rollback (self);
  return 0;
}

static gboolean
check_points_args (gint64 points, const char *sale_number, const char *who, GError **error)
{
  if (!_till_store_sv_check_text (sale_number, _ ("Points need their sale"), error)
      || !_till_store_sv_check_text (who, _ ("Points need the cashier"), error))
    return FALSE;
  if (points <= 0)
    return _till_store_sv_refuse (error, TILL_STORE_ERROR_CONSTRAINT, _ ("Points must be above zero"));
  return TRUE;
}

gint64
till_store_points_earn (TillStore *self, gint64 member_id, gint64 points, const char *sale_number,
                        const char *who, GError **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), 0);
  if (!check_points_args (points, sale_number, who, error))
    return 0;
  return points_move (self, POINTS_EARN, member_id, points, sale_number, who, NULL, NULL, error);
}

gint64
till_store_points_reverse (TillStore *self, gint64 member_id, gint64 points,
                           const char *sale_number, const char *who, GError **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), 0);
  if (!check_points_args (points, sale_number, who, error))
    return 0;
  return points_move (self, POINTS_REVERSE, member_id, -points, sale_number, who, NULL, NULL,
                      error);
}

gint64
till_store_points_redeem (TillStore *self, gint64 member_id, gint64 points, const char *sale_number,
                          const char *who, GError **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), 0);
  if (!check_points_args (points, sale_number, who, error))
    return 0;
  return points_move (self, POINTS_REDEEM, member_id, -points, sale_number, who, NULL, NULL, error);
}

gint64
till_store_points_adjust (TillStore *self, gint64 member_id, gint64 delta, const char *reason,
                          const char *who, const char *approved_by, GError **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), 0);
  if (!_till_store_sv_check_text (reason, _ ("An adjustment needs a reason"), error)
      || !_till_store_sv_check_text (who, _ ("An adjustment needs the cashier"), error)
      || !_till_store_sv_check_text (approved_by, _ ("An adjustment needs a manager's approval"), error))
    return 0;
  if (delta == 0)
    {
      _till_store_sv_refuse (error, TILL_STORE_ERROR_CONSTRAINT, _ ("An adjustment cannot be zero"));
      return 0;
    }
  return points_move (self, POINTS_ADJUST, member_id, delta, "audit:0", who, reason, approved_by,
                      error);
}

gboolean
till_store_member_confirm_phone (TillStore *self, gint64 member_id, const char *digits,
                                 GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;
  const char *phone;
  gsize len;
  guint diff = 0;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);

  if (digits == NULL || strlen (digits) != 4)
    return _till_store_sv_refuse (error, TILL_STORE_ERROR_DENIED,
                   _ ("Ask the member for the last four digits of their phone"));
  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self, "SELECT phone FROM member WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, member_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return _till_store_sv_refuse (error, TILL_STORE_ERROR_NOT_FOUND, _ ("The member is not there any more"));
  if (rc != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _ ("The members could not be read"));
      return FALSE;
    }
  phone = (const char *) sqlite3_column_text (stmt, 0);
  len = phone != NULL ? strlen (phone) : 0;
  if (len < 4)
    return _till_store_sv_refuse (error, TILL_STORE_ERROR_INVALID_STATE,
                   _ ("This member has no phone number to confirm with: add one in the "
                      "members window"));
  for (guint i = 0; i < 4; i++)
    diff |= (guint) (phone[len - 4 + i] ^ digits[i]);
  if (diff != 0)
    {
      g_message ("Stored value: member %" G_GINT64_FORMAT " confirmation refused", member_id);
      return _till_store_sv_refuse (error, TILL_STORE_ERROR_DENIED,
                     _ ("Those are not the last four digits of the member’s phone"));
    }
  return TRUE;
}

/* ---------------------------------------------------------------- a sale's points */

gboolean
till_store_sale_points_held (TillStore   *self,
                             const char  *sale_number,
                             gint64       member_id,
                             gint64      *out_points,
                             GError     **error)
{
  g_autoptr (TillStoreLocker) locker = till_store_locker_new (self);
  g_autoptr (TillCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (sale_number != NULL, FALSE);

  *out_points = 0;
  stmt = till_store_prepare_cached (self,
                                    "SELECT points_redeemed FROM sale"
                                    " WHERE number = ?1 AND member_id = ?2",
                                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sale_number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, member_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_points = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The points could not be read"));
      return FALSE;
    }
  return TRUE;
}
