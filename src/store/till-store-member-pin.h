/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A member's PIN (issue 16), what confirms a payment from the card when the setting
 * "member-confirm" is "pin": the stored hash (member.pin_hash, made and checked in the app
 * layer with the staff layer's PBKDF2, till-member-pin.h), and the wrong-PIN lock. The
 * hash is the staff PIN's record (iterations, salt, hash; till-store-people.h) in one text
 * column: "pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>". Nothing here ever
 * sees a PIN, and the log names member ids only.
 *
 * The lock has no column of its own (schema 18 has none): it is read from the audit log's
 * last `lock_us`, a range of its `at` index. "member_pin_wrong" rows count wrong PINs;
 * the `max_attempts`-th in a row writes "member_pin_locked" and the card refuses its PIN
 * until `lock_us` after it; a right PIN after wrong ones ("member_pin_right") or a new PIN
 * ("member_pin") starts the count again. */
#pragma once

#include "till-store-people.h"
#include "till-store.h"

G_BEGIN_DECLS

#define TILL_MEMBER_PIN_SCHEME "pbkdf2-sha256"

/* Encodes a PIN record as member.pin_hash holds it (NULL for a bad record). */
char *
till_member_pin_encode (guint iterations, GBytes *salt, GBytes *hash);
/* Decodes member.pin_hash; NULL when it is not one. */
TillPinRecord *
till_member_pin_decode (gint64 member_id, const char *encoded);

/* Sets a member's PIN hash, or clears it (salt and hash NULL); audit "member_pin" by `who`
 * ({"member_id":N,"pin":"set"|"cleared"}, never the PIN nor its hash), which also ends a
 * wrong-PIN lock. NOT_FOUND for no such member. */
gboolean
till_store_member_set_pin_hash (TillStore *self, gint64 member_id, guint iterations, GBytes *salt,
                                GBytes *hash, const char *who, GError **error);
/* The member's stored PIN; NULL + NOT_FOUND for no such member, INVALID_STATE "This member
 * has no PIN yet: set one in the members window" when it has none. */
TillPinRecord *
till_store_member_get_pin (TillStore *self, gint64 member_id, GError **error);
/* Whether the member has a PIN (FALSE with an error on failure). */
gboolean
till_store_member_has_pin (TillStore *self, gint64 member_id, gboolean *out_has_pin,
                           GError **error);

/* Whether the member's PIN is locked now (the store's clock, as the audit rows' `at`):
 * *out_locked_until is the lock's end, 0 when not locked; *out_wrong (may be NULL) the
 * wrong PINs in a row counted since. */
gboolean
till_store_member_pin_lock (TillStore *self, gint64 member_id, gint64 lock_us,
                            gint64 *out_locked_until, guint *out_wrong, GError **error);
/* A wrong PIN typed for the member at `who`'s till (audit "member_pin_wrong"): at the
 * `max_attempts`-th in a row within `lock_us` the PIN is locked for `lock_us` (audit
 * "member_pin_locked"); *out_locked_until (may be NULL) is the lock end, 0 when not
 * locked. One transaction: two tills cannot both miss the last attempt. */
gboolean
till_store_member_pin_failure (TillStore *self, gint64 member_id, const char *who,
                               guint max_attempts, gint64 lock_us, gint64 *out_locked_until,
                               GError **error);
/* A right PIN: when wrong ones were counted, audit "member_pin_right" starts again. */
gboolean
till_store_member_pin_success (TillStore *self, gint64 member_id, const char *who, gint64 lock_us,
                               GError **error);

G_END_DECLS
