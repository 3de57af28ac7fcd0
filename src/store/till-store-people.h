/* SPDX-License-Identifier: GPL-3.0-or-later */
/* People who use the till (functions on TillStore): names, roles, the stored PIN hash
 * (PBKDF2 output, salt and iteration count, made and checked in the pay layer: see
 * till-people.h), failed PIN attempts and the lock, and approvals in the audit log.
 * Nothing here ever sees a PIN. */
#pragma once

#include "till-store.h"

G_BEGIN_DECLS

typedef enum
{
  TILL_ROLE_CASHIER,
  TILL_ROLE_MANAGER,
} TillRole;

const char *till_role_to_string   (TillRole    role);   /* "cashier", "manager" */
gboolean    till_role_from_string (const char *text,
                                   TillRole   *out);

/* One person (boxed). */
typedef struct
{
  gint64   id;
  char    *name;
  TillRole role;
  gboolean active;
  gboolean has_pin;
  guint    failed_attempts;   /* wrong PINs since the last right one or the last lock */
  gint64   locked_until;      /* unix µs; the PIN is refused before this time */
} TillPerson;

#define TILL_TYPE_PERSON (till_person_get_type ())
GType       till_person_get_type (void) G_GNUC_CONST;
TillPerson *till_person_copy     (const TillPerson *person);
void        till_person_free     (TillPerson       *person);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillPerson, till_person_free)

/* The stored PIN of a person, as the pay layer needs it to check a PIN. */
typedef struct
{
  gint64  person_id;
  guint   iterations;
  GBytes *salt;
  GBytes *hash;
} TillPinRecord;

void till_pin_record_free (TillPinRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillPinRecord, till_pin_record_free)

/* Adds a person; `salt`/`hash` may be NULL (no PIN yet). A name already used gives
 * TILL_STORE_ERROR_CONSTRAINT. Writes an audit row ("person_add") by `actor`. Returns
 * the id, 0 on error. */
gint64      till_store_people_add          (TillStore    *self,
                                            const char   *name,
                                            TillRole      role,
                                            guint         iterations,
                                            GBytes       *salt,
                                            GBytes       *hash,
                                            const char   *actor,
                                            GError      **error);
/* Replaces the PIN hash, clears failed attempts and the lock; audit "person_set_pin". */
gboolean    till_store_people_set_pin_hash (TillStore    *self,
                                            gint64        person_id,
                                            guint         iterations,
                                            GBytes       *salt,
                                            GBytes       *hash,
                                            const char   *actor,
                                            GError      **error);
/* Role and active flag; audit "person_update". Refused (INVALID_STATE) when it would
 * leave no active manager with a PIN while people exist. */
gboolean    till_store_people_update       (TillStore    *self,
                                            gint64        person_id,
                                            TillRole      role,
                                            gboolean      active,
                                            const char   *actor,
                                            GError      **error);

/* Number of people (active or not). 0 on a new till: the first manager must be made. */
gint64      till_store_people_count        (TillStore    *self,
                                            GError      **error);
/* Active managers that have a PIN. */
gint64      till_store_people_count_managers (TillStore  *self,
                                              GError    **error);
/* Array of TillPerson* in name order; inactive ones only with `include_inactive`. */
GPtrArray  *till_store_people_list         (TillStore    *self,
                                            gboolean      include_inactive,
                                            GError      **error);
/* NULL + TILL_STORE_ERROR_NOT_FOUND when there is no such person. */
TillPerson *till_store_people_get          (TillStore    *self,
                                            gint64        person_id,
                                            GError      **error);
TillPerson *till_store_people_get_by_name  (TillStore    *self,
                                            const char   *name,
                                            GError      **error);
/* NULL + NOT_FOUND when the person has no PIN. */
TillPinRecord *till_store_people_get_pin   (TillStore    *self,
                                            gint64        person_id,
                                            GError      **error);

/* A wrong PIN at `now_us`: counts it; at the `max_attempts`-th wrong PIN in a row the
 * PIN is locked until now_us + lock_us and the count starts again (audit "pin_locked").
 * *out_locked_until (may be NULL) is the lock end, 0 when not locked. */
gboolean    till_store_people_record_failure (TillStore  *self,
                                              gint64      person_id,
                                              gint64      now_us,
                                              guint       max_attempts,
                                              gint64      lock_us,
                                              gint64     *out_locked_until,
                                              GError    **error);
/* A right PIN: the count of wrong ones starts again. */
gboolean    till_store_people_record_success (TillStore  *self,
                                              gint64      person_id,
                                              GError    **error);

/* Writes the approval to the audit log: actor = the manager's name, action =
 * "approve:<action>", detail = {"manager_id":..,"detail":<detail_json or null>}.
 * `detail_json` must be valid JSON (or NULL). */
gboolean    till_store_people_record_approval (TillStore  *self,
                                               const TillPerson *manager,
                                               const char *action,
                                               const char *detail_json,
                                               GError    **error);

G_END_DECLS
