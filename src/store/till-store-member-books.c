/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A member's points ledger as the members window shows it, and the members export. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include "till-store-member-books.h"
#include "till-store-private.h"

void
till_points_move_free (TillPointsMove *move)
{
  if (move == NULL)
    return;
  g_free (move->kind);
  g_free (move->reference);
  g_free (move->who);
  g_free (move->reason);
  g_free (move);
}

static char *
dup_column (sqlite3_stmt *stmt, int column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

GPtrArray *
till_store_points_moves (TillStore *self, gint64 member_id, guint limit, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;
  g_autoptr (GPtrArray) moves = NULL;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self,
                                    "SELECT id, kind, points, reference, who, reason, at"
                                    "  FROM points_move WHERE member_id = ?1"
                                    " ORDER BY id DESC LIMIT ?2",
                                    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, member_id);
  sqlite3_bind_int64 (stmt, 2, limit);
  moves = g_ptr_array_new_with_free_func ((GDestroyNotify)till_points_move_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TillPointsMove *move = g_new0 (TillPointsMove, 1);

      move->id = sqlite3_column_int64 (stmt, 0);
      move->kind = dup_column (stmt, 1);
      move->points = sqlite3_column_int64 (stmt, 2);
      move->reference = dup_column (stmt, 3);
      move->who = dup_column (stmt, 4);
      move->reason = dup_column (stmt, 5);
      move->at = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (moves, move);
    }
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The points could not be read"));
      return NULL;
    }
  return g_steal_pointer (&moves);
}

/* ---- the members export ---------------------------------------------------------------- */

#define MEMBERS_EXPORT_SQL                                                                         \
  "SELECT m.code, m.name, m.phone, m.birthday, l.name, m.note, m.active,"                          \
  "       (SELECT COALESCE (SUM (s.paid_fen), 0) FROM stored_value_move s"                         \
  "         WHERE s.member_id = m.id),"                                                            \
  "       (SELECT COALESCE (SUM (s.bonus_fen), 0) FROM stored_value_move s"                        \
  "         WHERE s.member_id = m.id),"                                                            \
  "       (SELECT COALESCE (SUM (p.points), 0) FROM points_move p WHERE p.member_id = m.id),"      \
  "       m.created_at"                                                                            \
  "  FROM member m LEFT JOIN member_level l ON l.id = m.level_id"                                  \
  " ORDER BY m.id"

static void
append_cell (GString *out, const char *text, gboolean last)
{
  _till_store_csv_append_cell (out, text);
  g_string_append (out, last ? "\r\n" : ",");
}

gboolean
till_store_export_members_csv (TillStore *self, const char *path, const char *manager,
                               guint *n_exported, GError **error)
{
  g_autoptr (GString) out = g_string_new ("\xEF\xBB\xBF"
                                          "code,name,phone,birthday,level,note,active,paid,"
                                          "bonus,stored_value,points,created\r\n");
  g_autofree char *detail = NULL;
  guint count = 0;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_exported != NULL)
    *n_exported = 0;
  if (manager == NULL || *manager == '\0')
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   _ ("The members export needs a manager's approval"));
      return FALSE;
    }
  {
    g_autoptr (TillStoreLocker) locker = till_store_locker_new (self);
    g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (self, MEMBERS_EXPORT_SQL, error);

    if (stmt == NULL)
      return FALSE;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 paid = sqlite3_column_int64 (stmt, 7);
        gint64 bonus = sqlite3_column_int64 (stmt, 8);
        g_autofree char *paid_text = till_money_format_plain (paid);
        g_autofree char *bonus_text = till_money_format_plain (bonus);
        g_autofree char *total_text = till_money_format_plain (paid + bonus);
        g_autofree char *points
            = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)sqlite3_column_int64 (stmt, 9));
        g_autoptr (GDateTime) created
            = g_date_time_new_from_unix_local (sqlite3_column_int64 (stmt, 10) / G_USEC_PER_SEC);
        g_autofree char *created_text
            = created != NULL ? g_date_time_format (created, "%Y-%m-%d %H:%M") : g_strdup ("");

        for (int column = 0; column < 6; column++)
          append_cell (out, (const char *)sqlite3_column_text (stmt, column), FALSE);
        append_cell (out, sqlite3_column_int (stmt, 6) != 0 ? "1" : "0", FALSE);
        append_cell (out, paid_text, FALSE);
        append_cell (out, bonus_text, FALSE);
        append_cell (out, total_text, FALSE);
        append_cell (out, points, FALSE);
        append_cell (out, created_text, TRUE);
        count++;
      }
    if (rc != SQLITE_DONE)
      {
        till_store_set_sqlite_error (self, error, _ ("The members could not be read"));
        return FALSE;
      }
  }

  /* The audit row first: no file of phone numbers leaves without one. */
  detail = g_strdup_printf ("{\"members\":%u}", count);
  if (!till_store_audit (self, manager, "export:members", detail, error))
    return FALSE;
  if (!_till_store_csv_write (path, out, "Members export", error))
    return FALSE;
  g_message ("Exported %u members to %s", count, path);
  if (n_exported != NULL)
    *n_exported = count;
  return TRUE;
}
