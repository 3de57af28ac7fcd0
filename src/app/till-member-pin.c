/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A member's PIN: hashed and checked with the staff's PBKDF2, with the wrong-PIN lock. */
#define G_LOG_DOMAIN "till-app"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "till-member-pin.h"
#include "till-pin.h"
#include "till-store-member-pin.h"
#include "till-store-stored-value.h"

#define LOCK_US ((gint64)TILL_MEMBER_PIN_LOCK_SECONDS * G_USEC_PER_SEC)

const char *
till_member_confirm_to_string (TillMemberConfirm confirm)
{
  return confirm == TILL_MEMBER_CONFIRM_PIN ? "pin" : "phone";
}

TillMemberConfirm
till_member_confirm_from_string (const char *text)
{
  return g_strcmp0 (text, "pin") == 0 ? TILL_MEMBER_CONFIRM_PIN : TILL_MEMBER_CONFIRM_PHONE;
}

gboolean
till_member_pin_check_format (const char *pin, GError **error)
{
  gsize len = pin != NULL ? strlen (pin) : 0;
  gboolean digits = len >= TILL_MEMBER_PIN_MIN_DIGITS && len <= TILL_MEMBER_PIN_MAX_DIGITS;

  for (gsize i = 0; digits && i < len; i++)
    digits = g_ascii_isdigit (pin[i]);
  if (!digits)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   _ ("A member’s PIN has %d to %d digits"), TILL_MEMBER_PIN_MIN_DIGITS,
                   TILL_MEMBER_PIN_MAX_DIGITS);
      return FALSE;
    }
  return TRUE;
}

gboolean
till_member_pin_set (TillStore *store, gint64 member_id, const char *pin, const char *who,
                     GError **error)
{
  g_autoptr (GBytes) salt = NULL;
  g_autoptr (GBytes) hash = NULL;
  TillPinHash hashed;
  guint iterations;

  g_return_val_if_fail (TILL_IS_STORE (store), FALSE);

  if (pin == NULL)
    return till_store_member_set_pin_hash (store, member_id, 0, NULL, NULL, who, error);
  if (!till_member_pin_check_format (pin, error))
    return FALSE;
  if (!till_pin_hash (pin, 0, &hashed, error))
    return FALSE;
  salt = g_bytes_new (hashed.salt, sizeof hashed.salt);
  hash = g_bytes_new (hashed.hash, sizeof hashed.hash);
  iterations = hashed.iterations;
  memset (&hashed, 0, sizeof hashed);
  return till_store_member_set_pin_hash (store, member_id, iterations, salt, hash, who, error);
}

static void
set_locked_error (GError **error, gint64 locked_until)
{
  gint64 minutes
      = (locked_until - g_get_real_time () + 60 * G_USEC_PER_SEC - 1) / (60 * G_USEC_PER_SEC);

  minutes = CLAMP (minutes, 1, TILL_MEMBER_PIN_LOCK_SECONDS / 60);
  g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_LOCKED,
               g_dngettext (GETTEXT_PACKAGE, "Too many wrong PINs. Try again in %d minute.",
                            "Too many wrong PINs. Try again in %d minutes.", (gulong)minutes),
               (int)minutes);
}

gboolean
till_member_pin_check (TillStore *store, gint64 member_id, const char *pin, GError **error)
{
  g_autoptr (TillPinRecord) record = NULL;
  TillPinHash stored = { 0 };
  gint64 locked_until = 0;
  gboolean match = FALSE;
  gsize salt_len = 0, hash_len = 0;

  g_return_val_if_fail (TILL_IS_STORE (store), FALSE);

  record = till_store_member_get_pin (store, member_id, error);
  if (record == NULL)
    return FALSE;
  if (!till_store_member_pin_lock (store, member_id, LOCK_US, &locked_until, NULL, error))
    return FALSE;
  if (locked_until != 0)
    {
      g_message ("Stored value: member %" G_GINT64_FORMAT " PIN refused while locked", member_id);
      set_locked_error (error, locked_until);
      return FALSE;
    }
  if (pin == NULL || *pin == '\0')
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED,
                           _ ("Ask the member to type their PIN"));
      return FALSE;
    }
  if (till_member_pin_check_format (pin, NULL))
    {
      const guint8 *salt = g_bytes_get_data (record->salt, &salt_len);
      const guint8 *hash = g_bytes_get_data (record->hash, &hash_len);

      stored.iterations = record->iterations;
      memcpy (stored.salt, salt, MIN (salt_len, sizeof stored.salt));
      memcpy (stored.hash, hash, MIN (hash_len, sizeof stored.hash));
      if (!till_pin_verify (pin, &stored, &match, error))
        return FALSE;
    }
  if (match)
    return till_store_member_pin_success (store, member_id, "system", LOCK_US, error);
  if (!till_store_member_pin_failure (store, member_id, "system", TILL_MEMBER_PIN_MAX_ATTEMPTS,
                                      LOCK_US, &locked_until, error))
    return FALSE;
  if (locked_until != 0)
    {
      set_locked_error (error, locked_until);
      return FALSE;
    }
  g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED,
                       _ ("That is not the member’s PIN"));
  return FALSE;
}

gboolean
till_member_confirm (TillStore *store, TillMemberConfirm how, gint64 member_id, const char *typed,
                     GError **error)
{
  if (how == TILL_MEMBER_CONFIRM_PIN)
    return till_member_pin_check (store, member_id, typed, error);
  return till_store_member_confirm_phone (store, member_id, typed, error);
}
