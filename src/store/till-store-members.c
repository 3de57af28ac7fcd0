/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Members (会员): levels, members and their search keys, member prices (schema 16). */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <string.h>

#include "till-member-code.h"
#include "till-phone.h"
#include "till-pinyin.h"
#include "till-store-members.h"
#include "till-store-private.h"

#define MEMBER_COLUMNS                                                                             \
  "m.id, m.code, m.name, m.phone, m.birthday, COALESCE (m.level_id, 0), l.name, m.note,"           \
  " m.active, m.created_at, m.created_by"
#define MEMBER_FROM " FROM member m LEFT JOIN member_level l ON l.id = m.level_id"
#define KEY_TOP "\xf4\x8f\xbf\xbf"
#define CODE_ATTEMPTS 32

void
till_member_level_free (TillMemberLevel *level)
{
  if (level == NULL)
    return;
  g_free (level->name);
  g_free (level);
}

void
till_member_free (TillMember *member)
{
  if (member == NULL)
    return;
  g_free (member->code);
  g_free (member->name);
  g_free (member->phone);
  g_free (member->birthday);
  g_free (member->level_name);
  g_free (member->note);
  g_free (member->created_by);
  g_free (member);
}

static TillMember *
member_from_row (sqlite3_stmt *stmt)
{
  TillMember *m = g_new0 (TillMember, 1);

  m->id = sqlite3_column_int64 (stmt, 0);
  m->code = till_stmt_dup_text (stmt, 1);
  m->name = till_stmt_dup_text (stmt, 2);
  m->phone = till_stmt_dup_text (stmt, 3);
  m->birthday = till_stmt_dup_text (stmt, 4);
  m->level_id = sqlite3_column_int64 (stmt, 5);
  m->level_name = till_stmt_dup_text (stmt, 6);
  m->note = till_stmt_dup_text (stmt, 7);
  m->active = sqlite3_column_int (stmt, 8) != 0;
  m->created_at = sqlite3_column_int64 (stmt, 9);
  m->created_by = till_stmt_dup_text (stmt, 10);
  return m;
}

static gboolean
refuse (GError **error, int code, const char *log_what, const char *message)
{
  g_message ("Member refused: %s", log_what);
  g_set_error_literal (error, TILL_STORE_ERROR, code, message);
  return FALSE;
}

/* ---------------------------------------------------------------- levels */

static gboolean
check_level_fields (const char *name, gint64 discount_bp, gint64 points_per_yuan, GError **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name != NULL ? name : ""));

  if (*stripped == '\0')
    return refuse (error, TILL_STORE_ERROR_CONSTRAINT, "level without a name",
                   _ ("A member level needs a name"));
  if (discount_bp < 0 || discount_bp > 10000)
    return refuse (error, TILL_STORE_ERROR_CONSTRAINT, "level discount out of range",
                   _ ("A level's discount must be from 0 to 100 percent"));
  if (points_per_yuan < 0)
    return refuse (error, TILL_STORE_ERROR_CONSTRAINT, "negative points per yuan",
                   _ ("Points per yuan cannot be below zero"));
  return TRUE;
}

static gboolean
level_name_taken (TillStore *self, const char *name, gint64 except_id, gboolean *out_taken,
                  GError **error)
{
  g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
      self, "SELECT 1 FROM member_level WHERE name = ?1 AND id <> ?2", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, except_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The member levels could not be read"));
      return FALSE;
    }
  *out_taken = rc == SQLITE_ROW;
  return TRUE;
}

static gint64
write_level (TillStore *self, gint64 level_id, const char *name_in, gint64 position,
             gint64 discount_bp, gint64 points_per_yuan, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;
  g_autofree char *name = NULL;
  gboolean taken = FALSE;

  if (!check_level_fields (name_in, discount_bp, points_per_yuan, error))
    return 0;
  name = g_strstrip (g_strdup (name_in));
  locker = till_store_locker_new (self);
  if (!level_name_taken (self, name, level_id, &taken, error))
    return 0;
  if (taken)
    {
      refuse (error, TILL_STORE_ERROR_CONSTRAINT, "level name taken",
              _ ("There is already a member level of that name"));
      return 0;
    }
  stmt = till_store_prepare_cached (
      self,
      level_id == 0 ? "INSERT INTO member_level (name, position, discount_bp, points_per_yuan)"
                      " VALUES (?1, ?2, ?3, ?4)"
                    : "UPDATE member_level SET name = ?1, position = ?2, discount_bp = ?3,"
                      " points_per_yuan = ?4 WHERE id = ?5",
      error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, position);
  sqlite3_bind_int64 (stmt, 3, discount_bp);
  sqlite3_bind_int64 (stmt, 4, points_per_yuan);
  if (level_id != 0)
    sqlite3_bind_int64 (stmt, 5, level_id);
  if (!till_store_step_done (self, stmt, _ ("The member level could not be saved"), error))
    return 0;
  if (level_id != 0 && sqlite3_changes (till_store_get_db (self)) == 0)
    {
      refuse (error, TILL_STORE_ERROR_NOT_FOUND, "no such level",
              _ ("The member level is not there any more"));
      return 0;
    }
  return level_id != 0 ? level_id : sqlite3_last_insert_rowid (till_store_get_db (self));
}

gint64
till_store_add_member_level (TillStore *self, const char *name, gint64 position, gint64 discount_bp,
                             gint64 points_per_yuan, GError **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), 0);
  return write_level (self, 0, name, position, discount_bp, points_per_yuan, error);
}

gboolean
till_store_edit_member_level (TillStore *self, gint64 level_id, const char *name, gint64 position,
                              gint64 discount_bp, gint64 points_per_yuan, GError **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (level_id > 0, FALSE);
  return write_level (self, level_id, name, position, discount_bp, points_per_yuan, error) != 0;
}

GPtrArray *
till_store_list_member_levels (TillStore *self, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;
  g_autoptr (GPtrArray) levels
      = g_ptr_array_new_with_free_func ((GDestroyNotify)till_member_level_free);
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (
      self,
      "SELECT id, name, position, discount_bp, points_per_yuan FROM member_level"
      " ORDER BY position, name",
      error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TillMemberLevel *level = g_new0 (TillMemberLevel, 1);

      level->id = sqlite3_column_int64 (stmt, 0);
      level->name = till_stmt_dup_text (stmt, 1);
      level->position = sqlite3_column_int64 (stmt, 2);
      level->discount_bp = sqlite3_column_int64 (stmt, 3);
      level->points_per_yuan = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (levels, level);
    }
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The member levels could not be read"));
      return NULL;
    }
  return g_steal_pointer (&levels);
}

/* ---------------------------------------------------------------- members */

/* The fields as they will be stored: trimmed name, normalized phone (NULL for none),
 * birthday checked, level as given. */
typedef struct
{
  char *name;
  char *phone;
  char *birthday;
  char *note;
  gint64 level_id;
  gboolean active;
} CleanFields;

static void
clean_fields_clear (CleanFields *f)
{
  g_free (f->name);
  g_free (f->phone);
  g_free (f->birthday);
  g_free (f->note);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CleanFields, clean_fields_clear)

/* The number of `n` digits at `s`, or -1. */
static int
digits_at (const char *s, int n)
{
  int v = 0;

  for (int i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return -1;
      v = v * 10 + (s[i] - '0');
    }
  return v;
}

/* "MM-DD" (a year is often not given; 2000 is a leap year) or "YYYY-MM-DD" from 1900. */
static gboolean
birthday_valid (const char *text)
{
  gsize len = strlen (text);
  const char *md;
  int y = 2000, m, d;

  if (len == 10 && text[4] == '-')
    {
      y = digits_at (text, 4);
      md = text + 5;
      if (y < 1900)
        return FALSE;
    }
  else if (len == 5)
    md = text;
  else
    return FALSE;
  m = digits_at (md, 2);
  d = digits_at (md + 3, 2);
  if (md[2] != '-' || m < 1 || m > 12 || d < 1)
    return FALSE;
  return g_date_valid_dmy ((GDateDay)d, (GDateMonth)m, (GDateYear)y);
}

static gboolean
clean_fields (const TillMemberFields *in, CleanFields *out, GError **error)
{
  out->name = g_strstrip (g_strdup (in->name != NULL ? in->name : ""));
  if (*out->name == '\0')
    return refuse (error, TILL_STORE_ERROR_CONSTRAINT, "no name", _ ("A member needs a name"));
  if (in->phone != NULL && *in->phone != '\0')
    {
      out->phone = till_phone_normalize (in->phone);
      if (out->phone == NULL)
        return refuse (error, TILL_STORE_ERROR_CONSTRAINT, "not a mobile number",
                       _ ("That is not a mobile number (11 digits starting with 1)"));
    }
  if (in->birthday != NULL && *in->birthday != '\0')
    {
      out->birthday = g_strstrip (g_strdup (in->birthday));
      if (!birthday_valid (out->birthday))
        return refuse (error, TILL_STORE_ERROR_CONSTRAINT, "bad birthday",
                       _ ("A birthday is written YYYY-MM-DD or MM-DD"));
    }
  if (in->note != NULL && *in->note != '\0')
    out->note = g_strdup (in->note);
  out->level_id = in->level_id;
  out->active = in->active;
  return TRUE;
}

/* Refuses a phone another member has, and a level that is not there. */
static gboolean
check_unique_locked (TillStore *self, const CleanFields *f, gint64 member_id, GError **error)
{
  int rc;

  if (f->phone != NULL)
    {
      g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
          self, "SELECT id FROM member WHERE phone = ?1 AND id <> ?2", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, f->phone, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, member_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          g_message ("Member %" G_GINT64_FORMAT " refused: member %" G_GINT64_FORMAT
                     " has that phone",
                     member_id, (gint64)sqlite3_column_int64 (stmt, 0));
          g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                               _ ("Another member has this phone number"));
          return FALSE;
        }
      if (rc != SQLITE_DONE)
        {
          till_store_set_sqlite_error (self, error, _ ("The members could not be read"));
          return FALSE;
        }
    }
  if (f->level_id != 0)
    {
      g_autoptr (TillCachedStmt) stmt
          = till_store_prepare_cached (self, "SELECT 1 FROM member_level WHERE id = ?1", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, f->level_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        return refuse (error, TILL_STORE_ERROR_NOT_FOUND, "no such level",
                       _ ("The member level is not there any more"));
      if (rc != SQLITE_ROW)
        {
          till_store_set_sqlite_error (self, error, _ ("The member levels could not be read"));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
code_taken_locked (TillStore *self, const char *code, gboolean *out_taken, GError **error)
{
  g_autoptr (TillCachedStmt) stmt
      = till_store_prepare_cached (self, "SELECT 1 FROM member WHERE code = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The members could not be read"));
      return FALSE;
    }
  *out_taken = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
insert_search_key (TillStore *self, gint64 member_id, const char *key, GError **error)
{
  g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
      self, "INSERT OR IGNORE INTO member_search (key, member_id) VALUES (?1, ?2)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, member_id);
  return till_store_step_done (self, stmt, _ ("The member could not be indexed"), error);
}

/* The member's name keys: its pinyin initials and full pinyin (every reading) and its
 * normalized text, each cut at TILL_PINYIN_MAX_KEY_BYTES; within the caller's
 * transaction. */
static gboolean
write_keys_locked (TillStore *self, gint64 member_id, const char *name, GError **error)
{
  g_autoptr (GPtrArray) initials = till_pinyin_keys (name, TILL_PINYIN_INITIALS);
  g_autoptr (GPtrArray) full = till_pinyin_keys (name, TILL_PINYIN_FULL);
  g_autofree char *norm = till_pinyin_normalize (name);

  if (!till_store_exec_for_id (self, "DELETE FROM member_search WHERE member_id = ?1", member_id, 0,
                               _ ("The member could not be indexed"), error))
    return FALSE;
  for (guint i = 0; i < initials->len; i++)
    if (!insert_search_key (self, member_id, initials->pdata[i], error))
      return FALSE;
  for (guint i = 0; i < full->len; i++)
    if (!insert_search_key (self, member_id, full->pdata[i], error))
      return FALSE;
  if (strlen (norm) > TILL_PINYIN_MAX_KEY_BYTES)
    {
      const char *end = g_utf8_find_prev_char (norm, norm + TILL_PINYIN_MAX_KEY_BYTES + 1);

      norm[end != NULL ? end - norm : 0] = '\0';
    }
  return *norm == '\0' || insert_search_key (self, member_id, norm, error);
}

static gboolean
audit_member_locked (TillStore *self, const char *who, const char *action, gint64 member_id,
                     GError **error)
{
  g_autofree char *detail = g_strdup_printf ("{\"member_id\":%" G_GINT64_FORMAT "}", member_id);

  return till_store_audit_locked (self, who, action, detail, error);
}

static void
bind_fields (sqlite3_stmt *stmt, const CleanFields *f)
{
  sqlite3_bind_text (stmt, 1, f->name, -1, SQLITE_TRANSIENT);
  till_stmt_bind_text_or_null (stmt, 2, f->phone);
  till_stmt_bind_text_or_null (stmt, 3, f->birthday);
  if (f->level_id != 0)
    sqlite3_bind_int64 (stmt, 4, f->level_id);
  else
    sqlite3_bind_null (stmt, 4);
  till_stmt_bind_text_or_null (stmt, 5, f->note);
  sqlite3_bind_int (stmt, 6, f->active ? 1 : 0);
}

gint64
till_store_add_member (TillStore *self, const TillMemberFields *fields, const char *code_in,
                       const char *who, GError **error)
{
  g_auto (CleanFields) f = { 0 };
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autofree char *code = NULL;
  gint64 now = till_store_now_us ();
  gint64 id;
  gboolean taken = TRUE;

  g_return_val_if_fail (TILL_IS_STORE (self), 0);
  g_return_val_if_fail (fields != NULL, 0);
  g_return_val_if_fail (who != NULL && *who != '\0', 0);

  if (!clean_fields (fields, &f, error))
    return 0;
  if (code_in != NULL)
    {
      code = till_member_code_normalize (code_in);
      if (code == NULL)
        {
          refuse (error, TILL_STORE_ERROR_CONSTRAINT, "not a member code",
                  _ ("That is not a member code"));
          return 0;
        }
    }

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return 0;
  if (!check_unique_locked (self, &f, 0, error))
    goto fail;
  if (code != NULL)
    {
      if (!code_taken_locked (self, code, &taken, error))
        goto fail;
      if (taken)
        {
          refuse (error, TILL_STORE_ERROR_CONSTRAINT, "member code taken",
                  _ ("That member code belongs to another member"));
          goto fail;
        }
    }
  for (int attempt = 0; code == NULL && attempt < CODE_ATTEMPTS; attempt++)
    {
      g_autofree char *candidate = till_member_code_make (
          (guint64)g_random_int_range (0, (gint32)TILL_MEMBER_CODE_MAX_BODY + 1));

      if (!code_taken_locked (self, candidate, &taken, error))
        goto fail;
      if (!taken)
        code = g_steal_pointer (&candidate);
    }
  if (code == NULL)
    {
      refuse (error, TILL_STORE_ERROR_FAILED, "no free member code",
              _ ("No free member code was found; please try again"));
      goto fail;
    }

  {
    g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
        self,
        "INSERT INTO member (name, phone, birthday, level_id, note, active, code, created_at,"
        " created_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?8)",
        error);

    if (stmt == NULL)
      goto fail;
    bind_fields (stmt, &f);
    sqlite3_bind_text (stmt, 7, code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 8, now);
    sqlite3_bind_text (stmt, 9, who, -1, SQLITE_TRANSIENT);
    if (!till_store_step_done (self, stmt, _ ("The member could not be saved"), error))
      goto fail;
  }
  id = sqlite3_last_insert_rowid (till_store_get_db (self));
  if (!write_keys_locked (self, id, f.name, error)
      || !audit_member_locked (self, who, "member_add", id, error)
      || !till_store_commit (self, error))
    goto fail;
  g_message ("Member %" G_GINT64_FORMAT " added", id);
  return id;

fail:
  till_store_rollback (self);
  return 0;
}

gboolean
till_store_edit_member (TillStore *self, gint64 member_id, const TillMemberFields *fields,
                        const char *who, GError **error)
{
  g_auto (CleanFields) f = { 0 };
  g_autoptr (TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);
  g_return_val_if_fail (who != NULL && *who != '\0', FALSE);

  if (!clean_fields (fields, &f, error))
    return FALSE;
  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;
  if (!check_unique_locked (self, &f, member_id, error))
    goto fail;
  {
    g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
        self,
        "UPDATE member SET name = ?1, phone = ?2, birthday = ?3, level_id = ?4, note = ?5,"
        " active = ?6, updated_at = ?8 WHERE id = ?7",
        error);

    if (stmt == NULL)
      goto fail;
    bind_fields (stmt, &f);
    sqlite3_bind_int64 (stmt, 7, member_id);
    sqlite3_bind_int64 (stmt, 8, till_store_now_us ());
    if (!till_store_step_done (self, stmt, _ ("The member could not be saved"), error))
      goto fail;
  }
  if (sqlite3_changes (till_store_get_db (self)) == 0)
    {
      refuse (error, TILL_STORE_ERROR_NOT_FOUND, "no such member",
              _ ("The member is not there any more"));
      goto fail;
    }
  if (!write_keys_locked (self, member_id, f.name, error)
      || !audit_member_locked (self, who, "member_edit", member_id, error)
      || !till_store_commit (self, error))
    goto fail;
  g_message ("Member %" G_GINT64_FORMAT " changed", member_id);
  return TRUE;

fail:
  till_store_rollback (self);
  return FALSE;
}

/* The one member a query with ?1 bound to `key` finds; NULL + NOT_FOUND. */
static TillMember *
find_one (TillStore *self, const char *sql, const char *text_key, gint64 id_key, GError **error)
{
  g_autoptr (TillStoreLocker) locker = till_store_locker_new (self);
  g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (text_key != NULL)
    sqlite3_bind_text (stmt, 1, text_key, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, id_key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return member_from_row (stmt);
  if (rc != SQLITE_DONE)
    till_store_set_sqlite_error (self, error, _ ("The members could not be read"));
  else
    g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                         _ ("No member found"));
  return NULL;
}

TillMember *
till_store_get_member (TillStore *self, gint64 member_id, GError **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  return find_one (self, "SELECT " MEMBER_COLUMNS MEMBER_FROM " WHERE m.id = ?1", NULL, member_id,
                   error);
}

TillMember *
till_store_find_member_by_code (TillStore *self, const char *code, GError **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (code != NULL ? code : ""));
  g_autofree char *norm = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  norm = till_member_code_normalize (trimmed);
  if (norm == NULL)
    {
      refuse (error, TILL_STORE_ERROR_CONSTRAINT, "not a member code",
              _ ("That is not a member code"));
      return NULL;
    }
  return find_one (self, "SELECT " MEMBER_COLUMNS MEMBER_FROM " WHERE m.code = ?1 AND m.active = 1",
                   norm, 0, error);
}

TillMember *
till_store_find_member_by_phone (TillStore *self, const char *phone, GError **error)
{
  g_autofree char *norm = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  norm = till_phone_normalize (phone);
  if (norm == NULL)
    {
      refuse (error, TILL_STORE_ERROR_CONSTRAINT, "not a mobile number",
              _ ("That is not a mobile number (11 digits starting with 1)"));
      return NULL;
    }
  return find_one (self,
                   "SELECT " MEMBER_COLUMNS MEMBER_FROM " WHERE m.phone = ?1 AND m.active = 1",
                   norm, 0, error);
}

static int
compare_by_name (gconstpointer a, gconstpointer b)
{
  const TillMember *ma = *(TillMember *const *)a;
  const TillMember *mb = *(TillMember *const *)b;
  int c = g_strcmp0 (ma->name, mb->name);

  return c != 0 ? c : (ma->id < mb->id ? -1 : ma->id > mb->id);
}

GPtrArray *
till_store_search_members (TillStore *self, const char *query, guint limit, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify)till_member_free);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree char *low = till_pinyin_normalize (query != NULL ? query : "");
  g_autofree char *high = NULL;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  if (*low == '\0' || limit == 0)
    return g_steal_pointer (&found);
  if (strlen (low) > TILL_PINYIN_MAX_KEY_BYTES)
    {
      const char *end = g_utf8_find_prev_char (low, low + TILL_PINYIN_MAX_KEY_BYTES + 1);

      low[end != NULL ? end - low : 0] = '\0';
    }
  high = g_strconcat (low, KEY_TOP, NULL);
  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (
      self,
      "SELECT " MEMBER_COLUMNS " FROM member_search s JOIN member m ON m.id = s.member_id"
      " LEFT JOIN member_level l ON l.id = m.level_id"
      " WHERE s.key >= ?1 AND s.key < ?2 AND m.active = 1 ORDER BY s.key LIMIT ?3",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, low, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, high, -1, SQLITE_TRANSIENT);
  /* a member matches by several keys: room for those */
  sqlite3_bind_int64 (stmt, 3, (gint64)limit * 3 + 16);
  while (found->len < limit && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      TillMember *m;

      if (g_hash_table_contains (seen, &id))
        continue;
      m = member_from_row (stmt);
      g_ptr_array_add (found, m);
      g_hash_table_add (seen, &m->id);
    }
  if (found->len < limit && rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("Members could not be searched"));
      return NULL;
    }
  g_ptr_array_sort (found, compare_by_name);
  return g_steal_pointer (&found);
}

/* ---------------------------------------------------------------- member prices */

gboolean
till_store_set_member_price (TillStore *self, gint64 product_id, gint64 level_id, gint64 price_fen,
                             const char *who, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (who != NULL && *who != '\0', FALSE);

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;
  {
    g_autoptr (TillCachedStmt) stmt
        = till_store_prepare_cached (self,
                                     "SELECT (SELECT count (*) FROM product WHERE id = ?1),"
                                     " (SELECT count (*) FROM member_level WHERE id = ?2)",
                                     error);

    if (stmt == NULL)
      goto fail;
    sqlite3_bind_int64 (stmt, 1, product_id);
    sqlite3_bind_int64 (stmt, 2, level_id);
    if (sqlite3_step (stmt) != SQLITE_ROW)
      {
        till_store_set_sqlite_error (self, error, _ ("The member price could not be saved"));
        goto fail;
      }
    if (sqlite3_column_int (stmt, 0) == 0)
      {
        refuse (error, TILL_STORE_ERROR_NOT_FOUND, "member price of no product",
                _ ("The product is not in the catalog"));
        goto fail;
      }
    if (sqlite3_column_int (stmt, 1) == 0)
      {
        refuse (error, TILL_STORE_ERROR_NOT_FOUND, "member price of no level",
                _ ("The member level is not there any more"));
        goto fail;
      }
  }
  {
    g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
        self,
        price_fen >= 0 ? "INSERT INTO product_member_price (product_id, level_id, price_fen)"
                         " VALUES (?1, ?2, ?3) ON CONFLICT (product_id, level_id)"
                         " DO UPDATE SET price_fen = excluded.price_fen"
                       : "DELETE FROM product_member_price WHERE product_id = ?1 AND level_id = ?2",
        error);

    if (stmt == NULL)
      goto fail;
    sqlite3_bind_int64 (stmt, 1, product_id);
    sqlite3_bind_int64 (stmt, 2, level_id);
    if (price_fen >= 0)
      sqlite3_bind_int64 (stmt, 3, price_fen);
    if (!till_store_step_done (self, stmt, _ ("The member price could not be saved"), error))
      goto fail;
  }
  detail = g_strdup_printf ("{\"product_id\":%" G_GINT64_FORMAT ",\"level_id\":%" G_GINT64_FORMAT
                            ",\"price_fen\":%" G_GINT64_FORMAT "}",
                            product_id, level_id, MAX (price_fen, -1));
  if (!till_store_audit_locked (self, who, "member_price", detail, error)
      || !till_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  till_store_rollback (self);
  return FALSE;
}

gboolean
till_store_get_member_price (TillStore *self, gint64 product_id, gint64 level_id,
                             gint64 *out_price_fen, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_price_fen != NULL, FALSE);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (
      self, "SELECT price_fen FROM product_member_price WHERE product_id = ?1 AND level_id = ?2",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, product_id);
  sqlite3_bind_int64 (stmt, 2, level_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The member price could not be read"));
      return FALSE;
    }
  *out_price_fen = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : -1;
  return TRUE;
}

GHashTable *
till_store_member_pricing (TillStore *self, gint64 level_id, gint64 *out_discount_bp,
                           GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) level = NULL;
  g_autoptr (TillCachedStmt) prices = NULL;
  g_autoptr (GHashTable) table = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                        g_free);
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (out_discount_bp != NULL, NULL);

  *out_discount_bp = 0;
  locker = till_store_locker_new (self);
  level = till_store_prepare_cached (self, "SELECT discount_bp FROM member_level WHERE id = ?1",
                                     error);
  prices = till_store_prepare_cached (
      self, "SELECT product_id, price_fen FROM product_member_price WHERE level_id = ?1", error);
  if (level == NULL || prices == NULL)
    return NULL;
  sqlite3_bind_int64 (level, 1, level_id);
  rc = sqlite3_step (level);
  if (rc == SQLITE_ROW)
    *out_discount_bp = sqlite3_column_int64 (level, 0);
  else if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The member prices could not be read"));
      return NULL;
    }
  sqlite3_bind_int64 (prices, 1, level_id);
  while ((rc = sqlite3_step (prices)) == SQLITE_ROW)
    g_hash_table_insert (table, g_memdup2 (&(gint64){ sqlite3_column_int64 (prices, 0) },
                                           sizeof (gint64)),
                         g_memdup2 (&(gint64){ sqlite3_column_int64 (prices, 1) },
                                    sizeof (gint64)));
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The member prices could not be read"));
      return NULL;
    }
  return g_steal_pointer (&table);
}
