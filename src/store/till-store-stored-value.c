/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stored value (储值) and points: ledgers whose sums are the balances (schema 17). */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <string.h>

#include "till-money.h"
#include "till-store-private.h"
#include "till-store-stored-value-private.h"
#include "till-store-stored-value.h"

gboolean
_till_store_sv_refuse (GError **error, int code, const char *message)
{
  g_set_error_literal (error, TILL_STORE_ERROR, code, message);
  return FALSE;
}

gboolean
_till_store_sv_check_text (const char *text, const char *message, GError **error)
{
  if (text == NULL || *text == '\0')
    {
      g_message ("Stored value refused: %s", message);
      return _till_store_sv_refuse (error, TILL_STORE_ERROR_CONSTRAINT, message);
    }
  return TRUE;
}

/* ---------------------------------------------------------------- rules */

gint64
till_store_add_topup_rule (TillStore *self, gint64 pay_fen, gint64 bonus_fen, const char *who,
                           GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autofree char *detail = NULL;
  gint64 id;

  g_return_val_if_fail (TILL_IS_STORE (self), 0);
  g_return_val_if_fail (who != NULL && *who != '\0', 0);
  if (pay_fen <= 0 || bonus_fen <= 0)
    {
      g_message ("Top-up rule refused: pay %" G_GINT64_FORMAT ", bonus %" G_GINT64_FORMAT, pay_fen,
                 bonus_fen);
      _till_store_sv_refuse (error, TILL_STORE_ERROR_CONSTRAINT,
              _ ("A top-up rule needs an amount to pay and a bonus above zero"));
      return 0;
    }
  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return 0;
  {
    g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
        self, "INSERT INTO topup_rule (pay_fen, bonus_fen) VALUES (?1, ?2)", error);

    if (stmt == NULL)
      goto fail;
    sqlite3_bind_int64 (stmt, 1, pay_fen);
    sqlite3_bind_int64 (stmt, 2, bonus_fen);
    if (!till_store_step_done (self, stmt, _ ("The top-up rule could not be saved"), error))
      goto fail;
  }
  id = sqlite3_last_insert_rowid (till_store_get_db (self));
  detail = g_strdup_printf ("{\"rule_id\":%" G_GINT64_FORMAT ",\"pay_fen\":%" G_GINT64_FORMAT
                            ",\"bonus_fen\":%" G_GINT64_FORMAT ",\"active\":true}",
                            id, pay_fen, bonus_fen);
  if (!till_store_audit_locked (self, who, "topup_rule", detail, error)
      || !till_store_commit (self, error))
    goto fail;
  return id;

fail:
  till_store_rollback (self);
  return 0;
}

gboolean
till_store_set_topup_rule_active (TillStore *self, gint64 rule_id, gboolean active, const char *who,
                                  GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (who != NULL && *who != '\0', FALSE);

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;
  if (!till_store_exec_for_id (self, "UPDATE topup_rule SET active = ?2 WHERE id = ?1", rule_id,
                               active ? 1 : 0, _ ("The top-up rule could not be saved"), error))
    goto fail;
  if (sqlite3_changes (till_store_get_db (self)) == 0)
    {
      _till_store_sv_refuse (error, TILL_STORE_ERROR_NOT_FOUND, _ ("The top-up rule is not there any more"));
      goto fail;
    }
  detail = g_strdup_printf ("{\"rule_id\":%" G_GINT64_FORMAT ",\"active\":%s}", rule_id,
                            active ? "true" : "false");
  if (!till_store_audit_locked (self, who, "topup_rule", detail, error)
      || !till_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  till_store_rollback (self);
  return FALSE;
}

static GArray *
list_rules_locked (TillStore *self, GError **error)
{
  g_autoptr (GArray) rules = g_array_new (FALSE, TRUE, sizeof (TillTopupRule));
  g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
      self, "SELECT id, pay_fen, bonus_fen FROM topup_rule WHERE active = 1 ORDER BY pay_fen, id",
      error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TillTopupRule rule = {
        sqlite3_column_int64 (stmt, 0),
        sqlite3_column_int64 (stmt, 1),
        sqlite3_column_int64 (stmt, 2),
      };

      g_array_append_val (rules, rule);
    }
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The top-up rules could not be read"));
      return NULL;
    }
  return g_steal_pointer (&rules);
}

GArray *
till_store_list_topup_rules (TillStore *self, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  locker = till_store_locker_new (self);
  return list_rules_locked (self, error);
}

/* ---------------------------------------------------------------- balances */

gboolean
_till_store_member_balance_locked (TillStore *self, gint64 member_id, TillMemberBalance *out, GError **error)
{
  g_autoptr (TillCachedStmt) money = till_store_prepare_cached (
      self,
      "SELECT COALESCE (SUM (paid_fen), 0), COALESCE (SUM (bonus_fen), 0)"
      " FROM stored_value_move WHERE member_id = ?1",
      error);
  g_autoptr (TillCachedStmt) points = NULL;

  if (money == NULL)
    return FALSE;
  sqlite3_bind_int64 (money, 1, member_id);
  if (sqlite3_step (money) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _ ("The stored value could not be read"));
      return FALSE;
    }
  out->paid_fen = sqlite3_column_int64 (money, 0);
  out->bonus_fen = sqlite3_column_int64 (money, 1);

  points = till_store_prepare_cached (
      self, "SELECT COALESCE (SUM (points), 0) FROM points_move WHERE member_id = ?1", error);
  if (points == NULL)
    return FALSE;
  sqlite3_bind_int64 (points, 1, member_id);
  if (sqlite3_step (points) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _ ("The points could not be read"));
      return FALSE;
    }
  out->points = sqlite3_column_int64 (points, 0);
  return TRUE;
}

gboolean
till_store_member_balance (TillStore *self, gint64 member_id, TillMemberBalance *out,
                           GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  locker = till_store_locker_new (self);
  /* One read transaction: paid, bonus and points of the same moment. */
  if (!till_store_begin (self, error))
    return FALSE;
  if (!_till_store_member_balance_locked (self, member_id, out, error))
    {
      till_store_rollback (self);
      return FALSE;
    }
  return till_store_commit (self, error);
}

void
till_stored_value_move_free (TillStoredValueMove *move)
{
  if (move == NULL)
    return;
  g_free (move->kind);
  g_free (move->reference);
  g_free (move->who);
  g_free (move->reason);
  g_free (move);
}

gboolean
till_store_stored_value_liability (TillStore *self, gint64 *out_paid_fen, gint64 *out_bonus_fen,
                                   GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_paid_fen != NULL && out_bonus_fen != NULL, FALSE);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (
      self,
      "SELECT COALESCE (SUM (paid_fen), 0), COALESCE (SUM (bonus_fen), 0)"
      " FROM stored_value_move",
      error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _ ("The stored value could not be read"));
      return FALSE;
    }
  *out_paid_fen = sqlite3_column_int64 (stmt, 0);
  *out_bonus_fen = sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

#define MOVE_COLUMNS                                                                               \
  "SELECT id, kind, paid_fen, bonus_fen, reference, COALESCE (refund_of, 0), who, reason, at"      \
  " FROM stored_value_move"

/* The moves a cached statement of MOVE_COLUMNS gives, its parameters bound; lock held. */
static GPtrArray *
read_moves_locked (TillStore *self, sqlite3_stmt *stmt, GError **error)
{
  g_autoptr (GPtrArray) moves
      = g_ptr_array_new_with_free_func ((GDestroyNotify)till_stored_value_move_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TillStoredValueMove *move = g_new0 (TillStoredValueMove, 1);

      move->id = sqlite3_column_int64 (stmt, 0);
      move->kind = till_stmt_dup_text (stmt, 1);
      move->paid_fen = sqlite3_column_int64 (stmt, 2);
      move->bonus_fen = sqlite3_column_int64 (stmt, 3);
      move->reference = till_stmt_dup_text (stmt, 4);
      move->refund_of = sqlite3_column_int64 (stmt, 5);
      move->who = till_stmt_dup_text (stmt, 6);
      move->reason = till_stmt_dup_text (stmt, 7);
      move->at = sqlite3_column_int64 (stmt, 8);
      g_ptr_array_add (moves, move);
    }
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The stored value could not be read"));
      return NULL;
    }
  return g_steal_pointer (&moves);
}

GPtrArray *
till_store_stored_value_moves (TillStore *self, gint64 member_id, guint limit, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (
      self, MOVE_COLUMNS " WHERE member_id = ?1 ORDER BY id DESC LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, member_id);
  sqlite3_bind_int64 (stmt, 2, limit);
  return read_moves_locked (self, stmt, error);
}

GPtrArray *
till_store_stored_value_moves_of (TillStore *self, const char *reference, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (reference != NULL, NULL);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self, MOVE_COLUMNS " WHERE reference = ?1 ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, reference, -1, SQLITE_TRANSIENT);
  return read_moves_locked (self, stmt, error);
}

/* The member is there (and active, when `need_active`): NOT_FOUND or INVALID_STATE. */
gboolean
_till_store_member_check_locked (TillStore *self, gint64 member_id, gboolean need_active, GError **error)
{
  g_autoptr (TillCachedStmt) stmt
      = till_store_prepare_cached (self, "SELECT active FROM member WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, member_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_message ("Stored value refused: no member %" G_GINT64_FORMAT, member_id);
      return _till_store_sv_refuse (error, TILL_STORE_ERROR_NOT_FOUND, _ ("The member is not there any more"));
    }
  if (rc != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _ ("The members could not be read"));
      return FALSE;
    }
  if (need_active && sqlite3_column_int (stmt, 0) == 0)
    {
      g_message ("Stored value refused: member %" G_GINT64_FORMAT " is inactive", member_id);
      return _till_store_sv_refuse (error, TILL_STORE_ERROR_INVALID_STATE,
                     _ ("This member's card is no longer active"));
    }
  return TRUE;
}

/* A stored-value payment's spend names its payment row, a refund of one its refund row
 * (each unique, schema 18); 0: none. */
typedef struct
{
  gint64 payment_id;
  gint64 refund_id;
} MoveLinks;

static gint64
insert_money_locked (TillStore *self, gint64 member_id, const char *kind, gint64 paid_fen,
                     gint64 bonus_fen, const char *reference, gint64 refund_of, const char *who,
                     const char *reason, const MoveLinks *links, GError **error)
{
  g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
      self,
      "INSERT INTO stored_value_move (member_id, kind, paid_fen, bonus_fen, reference,"
      " refund_of, who, reason, at, payment_id, refund_id)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULLIF (?10, 0), NULLIF (?11, 0))",
      error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, member_id);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, paid_fen);
  sqlite3_bind_int64 (stmt, 4, bonus_fen);
  sqlite3_bind_text (stmt, 5, reference, -1, SQLITE_TRANSIENT);
  if (refund_of > 0)
    sqlite3_bind_int64 (stmt, 6, refund_of);
  else
    sqlite3_bind_null (stmt, 6);
  sqlite3_bind_text (stmt, 7, who, -1, SQLITE_TRANSIENT);
  till_stmt_bind_text_or_null (stmt, 8, reason);
  sqlite3_bind_int64 (stmt, 9, till_store_now_us ());
  sqlite3_bind_int64 (stmt, 10, links != NULL ? links->payment_id : 0);
  sqlite3_bind_int64 (stmt, 11, links != NULL ? links->refund_id : 0);
  if (!till_store_step_done (self, stmt, _ ("The stored value could not be saved"), error))
    return 0;
  return sqlite3_last_insert_rowid (till_store_get_db (self));
}

static gboolean
not_enough (GError **error, gint64 left_fen)
{
  g_autofree char *left = till_money_format (left_fen);

  g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
               _ ("Not enough stored value: %s left"), left);
  return FALSE;
}

gboolean
till_store_stored_value_topup (TillStore *self, gint64 member_id, gint64 pay_fen,
                               const char *sale_number, const char *who, gint64 *out_bonus_fen,
                               GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (GArray) rules = NULL;
  const TillTopupRule *rule;
  gint64 bonus = 0;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  if (out_bonus_fen != NULL)
    *out_bonus_fen = 0;
  if (!_till_store_sv_check_text (sale_number, _ ("A top-up needs its sale"), error)
      || !_till_store_sv_check_text (who, _ ("A top-up needs the cashier"), error))
    return FALSE;
  if (pay_fen <= 0)
    return _till_store_sv_refuse (error, TILL_STORE_ERROR_CONSTRAINT, _ ("A top-up must be above zero"));

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;
  if (!_till_store_member_check_locked (self, member_id, TRUE, error))
    goto fail;
  {
    g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
        self, "SELECT 1 FROM stored_value_move WHERE reference = ?1 AND kind = 'topup'", error);
    int rc;

    if (stmt == NULL)
      goto fail;
    sqlite3_bind_text (stmt, 1, sale_number, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
      {
        g_message ("Top-up of sale %s refused: already credited", sale_number);
        _till_store_sv_refuse (error, TILL_STORE_ERROR_CONSTRAINT, _ ("This top-up was already credited"));
        goto fail;
      }
    if (rc != SQLITE_DONE)
      {
        till_store_set_sqlite_error (self, error, _ ("The stored value could not be read"));
        goto fail;
      }
  }
  rules = list_rules_locked (self, error);
  if (rules == NULL)
    goto fail;
  rule = till_stored_value_best_rule ((const TillTopupRule *)rules->data, rules->len, pay_fen);
  if (rule != NULL)
    bonus = rule->bonus_fen;
  if (insert_money_locked (self, member_id, "topup", pay_fen, 0, sale_number, 0, who, NULL, NULL, error)
          == 0
      || (bonus > 0
          && insert_money_locked (self, member_id, "bonus", 0, bonus, sale_number, 0, who, NULL,
                                  NULL, error)
                 == 0)
      || !till_store_commit (self, error))
    goto fail;
  g_message ("Stored value: member %" G_GINT64_FORMAT " topped up %" G_GINT64_FORMAT
             " + bonus %" G_GINT64_FORMAT " fen (sale %s)",
             member_id, pay_fen, bonus, sale_number);
  if (out_bonus_fen != NULL)
    *out_bonus_fen = bonus;
  return TRUE;

fail:
  till_store_rollback (self);
  return FALSE;
}

/* The paid and bonus parts of a move for the caller (either pointer may be NULL). */
static void
set_split (gint64 *out_paid_fen, gint64 *out_bonus_fen, gint64 paid, gint64 bonus)
{
  if (out_paid_fen != NULL)
    *out_paid_fen = paid;
  if (out_bonus_fen != NULL)
    *out_bonus_fen = bonus;
}

/* Ends the transaction of a money move (`id` 0: it failed): committed, or rolled back with
 * the split it reported cleared. Returns the move's id, 0 on error. */
static gint64
finish_move (TillStore *self, gint64 id, gint64 *out_paid_fen, gint64 *out_bonus_fen,
             GError **error)
{
  if (id != 0 && till_store_commit (self, error))
    return id;
  till_store_rollback (self);
  set_split (out_paid_fen, out_bonus_fen, 0, 0);
  return 0;
}

gint64
_till_store_stored_value_spend_locked (TillStore *self, gint64 member_id, gint64 amount_fen,
                                       const char *sale_number, const char *who,
                                       gint64 payment_id, gint64 *out_paid_fen,
                                       gint64 *out_bonus_fen, GError **error)
{
  TillMemberBalance balance;
  MoveLinks links = { payment_id, 0 };
  gint64 paid, bonus, id;

  set_split (out_paid_fen, out_bonus_fen, 0, 0);
  if (!_till_store_sv_check_text (sale_number, _ ("A payment by stored value needs its sale"), error)
      || !_till_store_sv_check_text (who, _ ("A payment by stored value needs the cashier"), error))
    return 0;
  if (amount_fen <= 0)
    {
      _till_store_sv_refuse (error, TILL_STORE_ERROR_CONSTRAINT, _ ("A payment must be above zero"));
      return 0;
    }
  if (!_till_store_member_check_locked (self, member_id, TRUE, error)
      || !_till_store_member_balance_locked (self, member_id, &balance, error))
    return 0;
  if (!till_stored_value_split (balance.paid_fen, balance.bonus_fen, amount_fen, &paid, &bonus))
    {
      g_message ("Stored value: member %" G_GINT64_FORMAT " has %" G_GINT64_FORMAT
                 " fen, spend of %" G_GINT64_FORMAT " refused",
                 member_id, balance.paid_fen + balance.bonus_fen, amount_fen);
      not_enough (error, balance.paid_fen + balance.bonus_fen);
      return 0;
    }
  id = insert_money_locked (self, member_id, "spend", -paid, -bonus, sale_number, 0, who, NULL,
                            &links, error);
  if (id == 0)
    return 0;
  g_message ("Stored value: member %" G_GINT64_FORMAT " spent %" G_GINT64_FORMAT
             " fen (paid %" G_GINT64_FORMAT ", bonus %" G_GINT64_FORMAT ", sale %s)",
             member_id, amount_fen, paid, bonus, sale_number);
  set_split (out_paid_fen, out_bonus_fen, paid, bonus);
  return id;
}

gint64
till_store_stored_value_spend (TillStore *self, gint64 member_id, gint64 amount_fen,
                               const char *sale_number, const char *who, gint64 *out_paid_fen,
                               gint64 *out_bonus_fen, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  gint64 id;

  g_return_val_if_fail (TILL_IS_STORE (self), 0);

  locker = till_store_locker_new (self);
  /* BEGIN IMMEDIATE: no other connection writes between the balance read and the insert. */
  if (!till_store_begin (self, error))
    return 0;
  id = _till_store_stored_value_spend_locked (self, member_id, amount_fen, sale_number, who, 0,
                                              out_paid_fen, out_bonus_fen, error);
  return finish_move (self, id, out_paid_fen, out_bonus_fen, error);
}

gint64
_till_store_stored_value_refund_locked (TillStore *self, gint64 spend_move_id, gint64 amount_fen,
                                        const char *reference, const char *who,
                                        gint64 refund_id, gint64 *out_paid_fen,
                                        gint64 *out_bonus_fen, GError **error)
{
  MoveLinks links = { 0, refund_id };
  gint64 member_id, left_paid, left_bonus, paid, bonus, id;

  set_split (out_paid_fen, out_bonus_fen, 0, 0);
  if (!_till_store_sv_check_text (reference, _ ("A refund needs its sale"), error)
      || !_till_store_sv_check_text (who, _ ("A refund needs the cashier"), error))
    return 0;
  if (amount_fen <= 0)
    {
      _till_store_sv_refuse (error, TILL_STORE_ERROR_CONSTRAINT, _ ("A refund must be above zero"));
      return 0;
    }
  {
    /* What the spend took, less what its refunds gave back. */
    g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
        self,
        "SELECT s.member_id, -s.paid_fen - COALESCE (SUM (r.paid_fen), 0),"
        "       -s.bonus_fen - COALESCE (SUM (r.bonus_fen), 0)"
        "  FROM stored_value_move s LEFT JOIN stored_value_move r ON r.refund_of = s.id"
        " WHERE s.id = ?1 AND s.kind = 'spend' GROUP BY s.id",
        error);
    int rc;

    if (stmt == NULL)
      return 0;
    sqlite3_bind_int64 (stmt, 1, spend_move_id);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_DONE)
      {
        g_message ("Stored value refund refused: no spend %" G_GINT64_FORMAT, spend_move_id);
        _till_store_sv_refuse (error, TILL_STORE_ERROR_NOT_FOUND,
                _ ("That payment by stored value is not in this till"));
        return 0;
      }
    if (rc != SQLITE_ROW)
      {
        till_store_set_sqlite_error (self, error, _ ("The stored value could not be read"));
        return 0;
      }
    member_id = sqlite3_column_int64 (stmt, 0);
    left_paid = sqlite3_column_int64 (stmt, 1);
    left_bonus = sqlite3_column_int64 (stmt, 2);
  }
  if (!till_stored_value_split (left_paid, left_bonus, amount_fen, &paid, &bonus))
    {
      g_autofree char *left = till_money_format (left_paid + left_bonus);

      g_message ("Stored value refund of spend %" G_GINT64_FORMAT " refused: %" G_GINT64_FORMAT
                 " fen asked, %" G_GINT64_FORMAT " left",
                 spend_move_id, amount_fen, left_paid + left_bonus);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _ ("Only %s of this payment by stored value can still be given back"), left);
      return 0;
    }
  id = insert_money_locked (self, member_id, "refund", paid, bonus, reference, spend_move_id, who,
                            NULL, &links, error);
  if (id == 0)
    return 0;
  g_message ("Stored value: member %" G_GINT64_FORMAT " refunded %" G_GINT64_FORMAT
             " fen of spend %" G_GINT64_FORMAT " (paid %" G_GINT64_FORMAT
             ", bonus %" G_GINT64_FORMAT ")",
             member_id, amount_fen, spend_move_id, paid, bonus);
  set_split (out_paid_fen, out_bonus_fen, paid, bonus);
  return id;
}

gint64
till_store_stored_value_refund (TillStore *self, gint64 spend_move_id, gint64 amount_fen,
                                const char *reference, const char *who, gint64 *out_paid_fen,
                                gint64 *out_bonus_fen, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  gint64 id;

  g_return_val_if_fail (TILL_IS_STORE (self), 0);

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return 0;
  id = _till_store_stored_value_refund_locked (self, spend_move_id, amount_fen, reference, who,
                                               0, out_paid_fen, out_bonus_fen, error);
  return finish_move (self, id, out_paid_fen, out_bonus_fen, error);
}

gboolean
_till_store_member_approval_locked (TillStore *self, const char *action, gint64 member_id, const char *fields_json,
                 const char *who, const char *approved_by, char **out_reference, GError **error)
{
  g_autoptr (GString) detail = g_string_new (NULL);

  g_string_append_printf (detail, "{\"member_id\":%" G_GINT64_FORMAT ",%s,\"by\":", member_id,
                          fields_json);
  till_store_json_append_string (detail, who);
  g_string_append_c (detail, '}');
  if (!till_store_audit_locked (self, approved_by, action, detail->str, error))
    return FALSE;
  *out_reference = g_strdup_printf ("audit:%" G_GINT64_FORMAT,
                                    (gint64)sqlite3_last_insert_rowid (till_store_get_db (self)));
  return TRUE;
}

gint64
till_store_stored_value_adjust (TillStore *self, gint64 member_id, gint64 paid_delta_fen,
                                gint64 bonus_delta_fen, const char *reason, const char *who,
                                const char *approved_by, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *fields = NULL;
  TillMemberBalance balance;
  gint64 id;

  g_return_val_if_fail (TILL_IS_STORE (self), 0);
  if (!_till_store_sv_check_text (reason, _ ("An adjustment needs a reason"), error)
      || !_till_store_sv_check_text (who, _ ("An adjustment needs the cashier"), error)
      || !_till_store_sv_check_text (approved_by, _ ("An adjustment needs a manager's approval"), error))
    return 0;
  if (paid_delta_fen == 0 && bonus_delta_fen == 0)
    {
      _till_store_sv_refuse (error, TILL_STORE_ERROR_CONSTRAINT, _ ("An adjustment cannot be zero"));
      return 0;
    }

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return 0;
  if (!_till_store_member_check_locked (self, member_id, FALSE, error)
      || !_till_store_member_balance_locked (self, member_id, &balance, error))
    goto fail;
  if (balance.paid_fen + paid_delta_fen < 0 || balance.bonus_fen + bonus_delta_fen < 0)
    {
      g_message ("Stored value adjustment of member %" G_GINT64_FORMAT " refused: below zero",
                 member_id);
      not_enough (error, balance.paid_fen + balance.bonus_fen);
      goto fail;
    }
  fields = g_strdup_printf ("\"paid_fen\":%" G_GINT64_FORMAT ",\"bonus_fen\":%" G_GINT64_FORMAT,
                            paid_delta_fen, bonus_delta_fen);
  if (!_till_store_member_approval_locked (self, "approve:stored_value_adjust", member_id, fields, who, approved_by,
                        &reference, error))
    goto fail;
  id = insert_money_locked (self, member_id, "adjust", paid_delta_fen, bonus_delta_fen, reference,
                            0, who, reason, NULL, error);
  if (id == 0 || !till_store_commit (self, error))
    goto fail;
  g_message ("Stored value: member %" G_GINT64_FORMAT " adjusted by %" G_GINT64_FORMAT
             " paid, %" G_GINT64_FORMAT " bonus (%s)",
             member_id, paid_delta_fen, bonus_delta_fen, reference);
  return id;

fail:
  till_store_rollback (self);
  return 0;
}
