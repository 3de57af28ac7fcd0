/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A member's PIN (issue 16): set by the members window, checked when the setting
 * "member-confirm" is "pin" and the member pays from the card. Hashed like the staff's
 * PINs (PBKDF2-SHA256, till-pin.h) and kept in member.pin_hash (till-store-member-pin.h).
 * Hashing takes a tenth of a second or so: call these on the store thread
 * (till_store_run_async), never on the UI thread. */
#pragma once

#include "till-store.h"

G_BEGIN_DECLS

#define TILL_MEMBER_PIN_MIN_DIGITS 4
#define TILL_MEMBER_PIN_MAX_DIGITS 6
#define TILL_MEMBER_PIN_MAX_ATTEMPTS 5 /* wrong PINs in a row that lock the card */
#define TILL_MEMBER_PIN_LOCK_SECONDS (15 * 60)

/* How a member confirms a payment from the card: the setting "member-confirm". */
typedef enum
{
  TILL_MEMBER_CONFIRM_PHONE, /* "phone": the last four digits of the phone */
  TILL_MEMBER_CONFIRM_PIN,   /* "pin": the member's PIN */
} TillMemberConfirm;

const char *
till_member_confirm_to_string (TillMemberConfirm confirm);
/* Unknown text gives TILL_MEMBER_CONFIRM_PHONE. */
TillMemberConfirm
till_member_confirm_from_string (const char *text);

/* 4 to 6 ASCII digits; TILL_STORE_ERROR_CONSTRAINT with a message for the person if not. */
gboolean
till_member_pin_check_format (const char *pin, GError **error);

/* Sets the member's PIN (hashed with a fresh salt), or clears it (`pin` NULL), by `who`;
 * audit "member_pin", which also ends a wrong-PIN lock. */
gboolean
till_member_pin_set (TillStore *store, gint64 member_id, const char *pin, const char *who,
                     GError **error);

/* Whether `pin` is the member's PIN: TRUE when it is; else FALSE with
 * TILL_STORE_ERROR_INVALID_STATE (no PIN yet), TILL_STORE_ERROR_LOCKED (five wrong PINs in
 * a row: the card pays no more for fifteen minutes) or TILL_STORE_ERROR_DENIED (a wrong
 * PIN, counted). Neither the PIN nor its hash is ever logged. */
gboolean
till_member_pin_check (TillStore *store, gint64 member_id, const char *pin, GError **error);

/* The confirmation of a payment from the card, as the setting says: the last four digits
 * of the phone (till_store_member_confirm_phone) or the member's PIN. */
gboolean
till_member_confirm (TillStore *store, TillMemberConfirm how, gint64 member_id, const char *typed,
                     GError **error);

G_END_DECLS
