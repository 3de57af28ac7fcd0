/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A member's PIN hash (member.pin_hash) and its wrong-PIN lock, read from the audit log. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "till-store-member-pin.h"
#include "till-store-private.h"

#define SALT_MIN_LEN 16
#define HASH_LEN 32
#define MIN_ITERATIONS 100000

static gboolean
refuse (GError **error, int code, const char *message)
{
  g_set_error_literal (error, TILL_STORE_ERROR, code, message);
  return FALSE;
}

char *
till_member_pin_encode (guint iterations, GBytes *salt, GBytes *hash)
{
  g_autofree char *salt64 = NULL;
  g_autofree char *hash64 = NULL;
  gsize salt_len, hash_len;
  const guint8 *salt_data, *hash_data;

  g_return_val_if_fail (salt != NULL && hash != NULL, NULL);

  salt_data = g_bytes_get_data (salt, &salt_len);
  hash_data = g_bytes_get_data (hash, &hash_len);
  if (iterations < MIN_ITERATIONS || salt_len < SALT_MIN_LEN || hash_len != HASH_LEN)
    return NULL;
  salt64 = g_base64_encode (salt_data, salt_len);
  hash64 = g_base64_encode (hash_data, hash_len);
  return g_strdup_printf (TILL_MEMBER_PIN_SCHEME "$%u$%s$%s", iterations, salt64, hash64);
}

TillPinRecord *
till_member_pin_decode (gint64 member_id, const char *encoded)
{
  g_auto (GStrv) parts = NULL;
  g_autofree guchar *salt = NULL;
  g_autofree guchar *hash = NULL;
  gsize salt_len = 0, hash_len = 0;
  guint64 iterations = 0;
  TillPinRecord *record;

  if (encoded == NULL)
    return NULL;
  parts = g_strsplit (encoded, "$", 0);
  if (g_strv_length (parts) != 4 || strcmp (parts[0], TILL_MEMBER_PIN_SCHEME) != 0
      || !g_ascii_string_to_unsigned (parts[1], 10, MIN_ITERATIONS, G_MAXUINT, &iterations, NULL)
      || *parts[2] == '\0' || *parts[3] == '\0')
    return NULL;
  salt = g_base64_decode (parts[2], &salt_len);
  hash = g_base64_decode (parts[3], &hash_len);
  if (salt_len < SALT_MIN_LEN || hash_len != HASH_LEN)
    return NULL;
  record = g_new0 (TillPinRecord, 1);
  record->person_id = member_id;
  record->iterations = (guint)iterations;
  record->salt = g_bytes_new (salt, salt_len);
  record->hash = g_bytes_new (hash, hash_len);
  return record;
}

gboolean
till_store_member_set_pin_hash (TillStore *self, gint64 member_id, guint iterations, GBytes *salt,
                                GBytes *hash, const char *who, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail ((salt == NULL) == (hash == NULL), FALSE);

  if (who == NULL || *who == '\0')
    return refuse (error, TILL_STORE_ERROR_CONSTRAINT, _ ("A member’s PIN is set by someone"));
  if (salt != NULL)
    {
      encoded = till_member_pin_encode (iterations, salt, hash);
      if (encoded == NULL)
        return refuse (error, TILL_STORE_ERROR_CONSTRAINT, _ ("The PIN could not be stored"));
    }
  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;
  stmt = till_store_prepare_cached (
      self, "UPDATE member SET pin_hash = ?2, updated_at = ?3 WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, member_id);
  till_stmt_bind_text_or_null (stmt, 2, encoded);
  sqlite3_bind_int64 (stmt, 3, till_store_now_us ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The PIN could not be stored"));
      goto fail;
    }
  if (sqlite3_changes (till_store_get_db (self)) == 0)
    {
      refuse (error, TILL_STORE_ERROR_NOT_FOUND, _ ("The member is not there any more"));
      goto fail;
    }
  g_clear_pointer (&stmt, till_cached_stmt_release);
  detail = g_strdup_printf ("{\"member_id\":%" G_GINT64_FORMAT ",\"pin\":\"%s\"}", member_id,
                            encoded != NULL ? "set" : "cleared");
  if (!till_store_audit_locked (self, who, "member_pin", detail, error)
      || !till_store_commit (self, error))
    goto fail;
  g_message ("Member %" G_GINT64_FORMAT ": PIN %s", member_id, encoded != NULL ? "set" : "cleared");
  return TRUE;

fail:
  till_store_rollback (self);
  return FALSE;
}

/* member.pin_hash; *out_found FALSE for no such member. */
static gboolean
read_pin_hash (TillStore *self, gint64 member_id, char **out_encoded, GError **error)
{
  g_autoptr (TillCachedStmt) stmt = NULL;
  int rc;

  stmt = till_store_prepare_cached (self, "SELECT pin_hash FROM member WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, member_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return refuse (error, TILL_STORE_ERROR_NOT_FOUND, _ ("The member is not there any more"));
  if (rc != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _ ("The members could not be read"));
      return FALSE;
    }
  *out_encoded = till_stmt_dup_text (stmt, 0);
  return TRUE;
}

TillPinRecord *
till_store_member_get_pin (TillStore *self, gint64 member_id, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autofree char *encoded = NULL;
  TillPinRecord *record;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  locker = till_store_locker_new (self);
  if (!read_pin_hash (self, member_id, &encoded, error))
    return NULL;
  if (encoded == NULL)
    {
      refuse (error, TILL_STORE_ERROR_INVALID_STATE,
              _ ("This member has no PIN yet: set one in the members window"));
      return NULL;
    }
  record = till_member_pin_decode (member_id, encoded);
  if (record == NULL)
    {
      g_warning ("Member %" G_GINT64_FORMAT ": the stored PIN hash is not readable", member_id);
      refuse (error, TILL_STORE_ERROR_INVALID_STATE,
              _ ("This member’s PIN cannot be read: set it again in the members window"));
    }
  return record;
}

gboolean
till_store_member_has_pin (TillStore *self, gint64 member_id, gboolean *out_has_pin, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autofree char *encoded = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_has_pin != NULL, FALSE);

  locker = till_store_locker_new (self);
  if (!read_pin_hash (self, member_id, &encoded, error))
    return FALSE;
  *out_has_pin = encoded != NULL;
  return TRUE;
}

/* The member's PIN rows of the last `lock_us`, newest first, back to the last that starts
 * the count again; within the caller's lock. */
static gboolean
lock_state_locked (TillStore *self, gint64 member_id, gint64 now, gint64 lock_us,
                   gint64 *out_locked_until, guint *out_wrong, GError **error)
{
  g_autoptr (TillCachedStmt) stmt = NULL;
  guint wrong = 0;
  gint64 locked_until = 0;
  int rc;

  stmt = till_store_prepare_cached (
      self,
      "SELECT action, json_extract (detail_json, '$.locked_until') FROM audit"
      " WHERE at >= ?1 AND action IN ('member_pin', 'member_pin_wrong', 'member_pin_locked',"
      "                              'member_pin_right')"
      "   AND json_extract (detail_json, '$.member_id') = ?2"
      " ORDER BY id DESC",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now - lock_us);
  sqlite3_bind_int64 (stmt, 2, member_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *action = (const char *)sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (action, "member_pin_wrong") == 0)
        {
          wrong++;
          continue;
        }
      if (g_strcmp0 (action, "member_pin_locked") == 0 && sqlite3_column_int64 (stmt, 1) > now)
        locked_until = sqlite3_column_int64 (stmt, 1);
      break;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The audit log could not be read"));
      return FALSE;
    }
  *out_locked_until = locked_until;
  if (out_wrong != NULL)
    *out_wrong = locked_until != 0 ? 0 : wrong;
  return TRUE;
}

gboolean
till_store_member_pin_lock (TillStore *self, gint64 member_id, gint64 lock_us,
                            gint64 *out_locked_until, guint *out_wrong, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_locked_until != NULL, FALSE);

  locker = till_store_locker_new (self);
  return lock_state_locked (self, member_id, till_store_now_us (), lock_us, out_locked_until,
                            out_wrong, error);
}

static char *
member_detail (gint64 member_id)
{
  return g_strdup_printf ("{\"member_id\":%" G_GINT64_FORMAT "}", member_id);
}

gboolean
till_store_member_pin_failure (TillStore *self, gint64 member_id, const char *who,
                               guint max_attempts, gint64 lock_us, gint64 *out_locked_until,
                               GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autofree char *detail = member_detail (member_id);
  gint64 now, locked_until = 0;
  guint wrong = 0;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (max_attempts > 0 && lock_us > 0, FALSE);

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;
  now = till_store_now_us ();
  if (!lock_state_locked (self, member_id, now, lock_us, &locked_until, &wrong, error))
    goto fail;
  if (locked_until == 0)
    {
      if (!till_store_audit_locked (self, who != NULL && *who != '\0' ? who : "system",
                                    "member_pin_wrong", detail, error))
        goto fail;
      g_message ("Stored value: member %" G_GINT64_FORMAT " wrong PIN (%u in a row)", member_id,
                 wrong + 1);
      if (wrong + 1 >= max_attempts)
        {
          g_autofree char *locked = NULL;

          locked_until = now + lock_us;
          locked = g_strdup_printf ("{\"member_id\":%" G_GINT64_FORMAT
                                    ",\"locked_until\":%" G_GINT64_FORMAT "}",
                                    member_id, locked_until);
          if (!till_store_audit_locked (self, "system", "member_pin_locked", locked, error))
            goto fail;
          g_message ("Stored value: member %" G_GINT64_FORMAT " PIN locked after %u wrong PINs",
                     member_id, max_attempts);
        }
    }
  if (!till_store_commit (self, error))
    return FALSE;
  if (out_locked_until != NULL)
    *out_locked_until = locked_until;
  return TRUE;

fail:
  till_store_rollback (self);
  return FALSE;
}

gboolean
till_store_member_pin_success (TillStore *self, gint64 member_id, const char *who, gint64 lock_us,
                               GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autofree char *detail = member_detail (member_id);
  gint64 locked_until = 0;
  guint wrong = 0;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);

  locker = till_store_locker_new (self);
  if (!lock_state_locked (self, member_id, till_store_now_us (), lock_us, &locked_until, &wrong,
                          error))
    return FALSE;
  if (wrong == 0)
    return TRUE;
  return till_store_audit (self, who != NULL && *who != '\0' ? who : "system", "member_pin_right",
                           detail, error);
}
