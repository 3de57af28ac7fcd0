/* SPDX-License-Identifier: GPL-3.0-or-later */
/* People, roles, stored PIN hashes, the wrong-PIN count and lock, approvals. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include "till-store-private.h"
#include "till-store-people.h"

const char *
till_role_to_string (TillRole role)
{
  return role == TILL_ROLE_MANAGER ? "manager" : "cashier";
}

gboolean
till_role_from_string (const char *text,
                       TillRole   *out)
{
  if (g_strcmp0 (text, "manager") == 0)
    *out = TILL_ROLE_MANAGER;
  else if (g_strcmp0 (text, "cashier") == 0)
    *out = TILL_ROLE_CASHIER;
  else
    return FALSE;
  return TRUE;
}

TillPerson *
till_person_copy (const TillPerson *person)
{
  TillPerson *copy;

  g_return_val_if_fail (person != NULL, NULL);

  copy = g_memdup2 (person, sizeof *person);
  copy->name = g_strdup (person->name);
  return copy;
}

void
till_person_free (TillPerson *person)
{
  if (person == NULL)
    return;
  g_free (person->name);
  g_free (person);
}

G_DEFINE_BOXED_TYPE (TillPerson, till_person, till_person_copy, till_person_free)

void
till_pin_record_free (TillPinRecord *record)
{
  if (record == NULL)
    return;
  g_clear_pointer (&record->salt, g_bytes_unref);
  g_clear_pointer (&record->hash, g_bytes_unref);
  g_free (record);
}

#define PERSON_COLUMNS \
  "id, name, role, active, pin_hash IS NOT NULL, failed_attempts, locked_until"

static TillPerson *
person_from_row (sqlite3_stmt *stmt)
{
  TillPerson *person = g_new0 (TillPerson, 1);

  person->id = sqlite3_column_int64 (stmt, 0);
  person->name = till_stmt_dup_text (stmt, 1);
  if (!till_role_from_string ((const char *) sqlite3_column_text (stmt, 2), &person->role))
    person->role = TILL_ROLE_CASHIER;
  person->active = sqlite3_column_int (stmt, 3) != 0;
  person->has_pin = sqlite3_column_int (stmt, 4) != 0;
  person->failed_attempts = (guint) sqlite3_column_int (stmt, 5);
  person->locked_until = sqlite3_column_int64 (stmt, 6);
  return person;
}

static void
bind_bytes_or_null (sqlite3_stmt *stmt,
                    int           index,
                    GBytes       *bytes)
{
  gsize size = 0;
  gconstpointer data;

  if (bytes == NULL)
    {
      sqlite3_bind_null (stmt, index);
      return;
    }
  data = g_bytes_get_data (bytes, &size);
  sqlite3_bind_blob (stmt, index, data, (int) size, SQLITE_TRANSIENT);
}

static void
person_detail (GString    *out,
               gint64      id,
               const char *name,
               TillRole    role,
               gboolean    active)
{
  g_string_append_printf (out, "{\"person_id\":%" G_GINT64_FORMAT ",\"name\":", id);
  till_store_json_append_string (out, name);
  g_string_append (out, ",\"role\":");
  till_store_json_append_string (out, till_role_to_string (role));
  g_string_append_printf (out, ",\"active\":%s}", active ? "true" : "false");
}

gint64
till_store_people_add (TillStore   *self,
                       const char  *name,
                       TillRole     role,
                       guint        iterations,
                       GBytes      *salt,
                       GBytes      *hash,
                       const char  *actor,
                       GError     **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autofree char *clean = NULL;
  gint64 now = till_store_now_us (), id;

  g_return_val_if_fail (TILL_IS_STORE (self), 0);
  g_return_val_if_fail (name != NULL, 0);
  g_return_val_if_fail ((salt == NULL) == (hash == NULL), 0);

  clean = g_strstrip (g_strdup (name));
  if (*clean == '\0')
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("A person needs a name"));
      return 0;
    }

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return 0;
  stmt = till_store_prepare_cached (self,
    "INSERT INTO staff (name, role, active, pin_hash, pin_salt, pin_iterations,"
    "  created_at, updated_at) VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?6)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, clean, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, till_role_to_string (role), -1, SQLITE_STATIC);
  bind_bytes_or_null (stmt, 3, hash);
  bind_bytes_or_null (stmt, 4, salt);
  if (hash != NULL)
    sqlite3_bind_int64 (stmt, 5, iterations);
  sqlite3_bind_int64 (stmt, 6, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if ((sqlite3_extended_errcode (till_store_get_db (self)) & 0xff) == SQLITE_CONSTRAINT)
        {
          g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                       _("“%s” is already a name on this till, or the PIN is not "
                         "stored safely enough"), clean);
          goto fail;
        }
      till_store_set_sqlite_error (self, error, _("The person could not be added"));
      goto fail;
    }
  id = sqlite3_last_insert_rowid (till_store_get_db (self));
  person_detail (detail, id, clean, role, TRUE);
  if (!till_store_audit_locked (self, actor ? actor : "", "person_add", detail->str, error))
    goto fail;
  if (!till_store_commit (self, error))
    return 0;
  g_message ("Person %" G_GINT64_FORMAT " (%s) added by %s", id,
             till_role_to_string (role), actor ? actor : "?");
  return id;

fail:
  till_store_rollback (self);
  return 0;
}

gboolean
till_store_people_set_pin_hash (TillStore   *self,
                                gint64       person_id,
                                guint        iterations,
                                GBytes      *salt,
                                GBytes      *hash,
                                const char  *actor,
                                GError     **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (salt != NULL && hash != NULL, FALSE);

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;
  stmt = till_store_prepare_cached (self,
    "UPDATE staff SET pin_hash = ?2, pin_salt = ?3, pin_iterations = ?4,"
    "  failed_attempts = 0, locked_until = 0, updated_at = ?5 WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, person_id);
  bind_bytes_or_null (stmt, 2, hash);
  bind_bytes_or_null (stmt, 3, salt);
  sqlite3_bind_int64 (stmt, 4, iterations);
  sqlite3_bind_int64 (stmt, 5, till_store_now_us ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The PIN could not be saved"));
      goto fail;
    }
  if (sqlite3_changes (till_store_get_db (self)) != 1)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                   _("This person is not on this till"));
      goto fail;
    }
  detail = g_strdup_printf ("{\"person_id\":%" G_GINT64_FORMAT ",\"iterations\":%u}",
                            person_id, iterations);
  if (!till_store_audit_locked (self, actor ? actor : "", "person_set_pin", detail, error))
    goto fail;
  return till_store_commit (self, error);

fail:
  till_store_rollback (self);
  return FALSE;
}

gint64
till_store_people_count (TillStore  *self,
                         GError    **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), -1);
  return till_store_select_int64 (self, "SELECT count(*) FROM staff",
                                  _("The list of people could not be read"), error);
}

gint64
till_store_people_count_managers (TillStore  *self,
                                  GError    **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), -1);
  return till_store_select_int64 (self,
                                  "SELECT count(*) FROM staff WHERE role = 'manager'"
                                  " AND active = 1 AND pin_hash IS NOT NULL",
                                  _("The list of people could not be read"), error);
}

gboolean
till_store_people_update (TillStore   *self,
                          gint64       person_id,
                          TillRole     role,
                          gboolean     active,
                          const char  *actor,
                          GError     **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autoptr(TillPerson) person = NULL;
  gint64 managers;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);

  locker = till_store_locker_new (self);
  person = till_store_people_get (self, person_id, error);
  if (person == NULL)
    return FALSE;
  if (!till_store_begin (self, error))
    return FALSE;
  stmt = till_store_prepare_cached (self,
    "UPDATE staff SET role = ?2, active = ?3, updated_at = ?4 WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, person_id);
  sqlite3_bind_text (stmt, 2, till_role_to_string (role), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, active ? 1 : 0);
  sqlite3_bind_int64 (stmt, 4, till_store_now_us ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The person could not be changed"));
      goto fail;
    }
  g_clear_pointer (&stmt, till_cached_stmt_release);
  managers = till_store_people_count_managers (self, error);
  if (managers < 0)
    goto fail;
  if (managers == 0)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("The till needs at least one active manager with a PIN"));
      goto fail;
    }
  person_detail (detail, person_id, person->name, role, active);
  if (!till_store_audit_locked (self, actor ? actor : "", "person_update", detail->str, error))
    goto fail;
  return till_store_commit (self, error);

fail:
  till_store_rollback (self);
  return FALSE;
}

GPtrArray *
till_store_people_list (TillStore  *self,
                        gboolean    include_inactive,
                        GError    **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) till_person_free);
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self,
    "SELECT " PERSON_COLUMNS " FROM staff WHERE active = 1 OR ?1 ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, include_inactive ? 1 : 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (people, person_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The list of people could not be read"));
      return NULL;
    }
  return g_steal_pointer (&people);
}

static TillPerson *
get_person (TillStore   *self,
            const char  *sql,
            gint64       id,
            const char  *name,
            GError     **error)
{
  g_autoptr(TillStoreLocker) locker = till_store_locker_new (self);
  g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (name != NULL)
    sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return person_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                 _("This person is not on this till"));
  else
    till_store_set_sqlite_error (self, error, _("The list of people could not be read"));
  return NULL;
}

TillPerson *
till_store_people_get (TillStore  *self,
                       gint64      person_id,
                       GError    **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  return get_person (self, "SELECT " PERSON_COLUMNS " FROM staff WHERE id = ?1",
                     person_id, NULL, error);
}

TillPerson *
till_store_people_get_by_name (TillStore   *self,
                               const char  *name,
                               GError     **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return get_person (self, "SELECT " PERSON_COLUMNS " FROM staff WHERE name = ?1",
                     0, name, error);
}

TillPinRecord *
till_store_people_get_pin (TillStore  *self,
                           gint64      person_id,
                           GError    **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;
  TillPinRecord *record;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self,
    "SELECT pin_iterations, pin_salt, pin_hash FROM staff"
    " WHERE id = ?1 AND pin_hash IS NOT NULL", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, person_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                     _("This person has no PIN yet"));
      else
        till_store_set_sqlite_error (self, error, _("The PIN could not be read"));
      return NULL;
    }
  record = g_new0 (TillPinRecord, 1);
  record->person_id = person_id;
  record->iterations = (guint) sqlite3_column_int64 (stmt, 0);
  record->salt = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
  record->hash = g_bytes_new (sqlite3_column_blob (stmt, 2), sqlite3_column_bytes (stmt, 2));
  return record;
}

gboolean
till_store_people_record_failure (TillStore  *self,
                                  gint64      person_id,
                                  gint64      now_us,
                                  guint       max_attempts,
                                  gint64      lock_us,
                                  gint64     *out_locked_until,
                                  GError    **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;
  gint64 locked_until;
  gboolean locked_now;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (max_attempts > 0, FALSE);

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;
  /* One statement: two tills on one file cannot both miss the fifth attempt. */
  stmt = till_store_prepare_cached (self,
    "UPDATE staff SET"
    "  locked_until = CASE WHEN failed_attempts + 1 >= ?3 THEN ?2 + ?4 ELSE locked_until END,"
    "  failed_attempts = CASE WHEN failed_attempts + 1 >= ?3 THEN 0"
    "                    ELSE failed_attempts + 1 END,"
    "  updated_at = ?2"
    " WHERE id = ?1 RETURNING locked_until, failed_attempts", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, person_id);
  sqlite3_bind_int64 (stmt, 2, now_us);
  sqlite3_bind_int64 (stmt, 3, max_attempts);
  sqlite3_bind_int64 (stmt, 4, lock_us);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                     _("This person is not on this till"));
      else
        till_store_set_sqlite_error (self, error, _("The wrong PIN could not be counted"));
      goto fail;
    }
  locked_until = sqlite3_column_int64 (stmt, 0);
  locked_now = locked_until > now_us && sqlite3_column_int (stmt, 1) == 0;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    ;
  g_clear_pointer (&stmt, till_cached_stmt_release);
  if (locked_now)
    {
      g_autofree char *detail = g_strdup_printf ("{\"person_id\":%" G_GINT64_FORMAT
                                                 ",\"locked_until\":%" G_GINT64_FORMAT "}",
                                                 person_id, locked_until);
      g_message ("PIN of person %" G_GINT64_FORMAT " locked after %u wrong attempts",
                 person_id, max_attempts);
      if (!till_store_audit_locked (self, "system", "pin_locked", detail, error))
        goto fail;
    }
  if (!till_store_commit (self, error))
    return FALSE;
  if (out_locked_until != NULL)
    *out_locked_until = locked_until > now_us ? locked_until : 0;
  return TRUE;

fail:
  till_store_rollback (self);
  return FALSE;
}

gboolean
till_store_people_record_success (TillStore  *self,
                                  gint64      person_id,
                                  GError    **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);

  locker = till_store_locker_new (self);
  return till_store_exec_for_id (self,
                                 "UPDATE staff SET failed_attempts = 0"
                                 " WHERE id = ?1 AND failed_attempts <> 0", person_id, 0,
                                 _("The sign-in could not be recorded"), error);
}

gboolean
till_store_people_record_approval (TillStore        *self,
                                   const TillPerson *manager,
                                   const char       *action,
                                   const char       *detail_json,
                                   GError          **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(GString) detail = NULL;
  g_autofree char *audit_action = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (manager != NULL, FALSE);
  g_return_val_if_fail (action != NULL && *action != '\0', FALSE);

  detail = g_string_new (NULL);
  g_string_append_printf (detail, "{\"manager_id\":%" G_GINT64_FORMAT ",\"detail\":%s}",
                          manager->id, detail_json != NULL ? detail_json : "null");
  audit_action = g_strconcat ("approve:", action, NULL);
  locker = till_store_locker_new (self);
  return till_store_audit_locked (self, manager->name, audit_action, detail->str, error);
}
