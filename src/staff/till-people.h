/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The people service: PINs (hashed here, with GnuTLS), cashier sign-in, manager
 * approvals and the wrong-PIN lock, over the people table of the store.
 *
 * The lock: `lockout-attempts` wrong PINs in a row (default 5) lock that person's PIN
 * for `lockout-seconds` (default 300). The count and the lock live in the database, so a
 * restart does not reset them. An approval is asked with a PIN alone; a wrong approval
 * PIN counts against every active manager (it could have been a guess at any of them),
 * so guessing a manager's PIN from the cashier's seat is as slow as guessing it directly.
 *
 * Everything here hashes (≈0.1 s per PIN): from the UI call it through
 * till_store_run_async() so that the window never waits. */
#pragma once

#include <glib-object.h>
#include "till-store.h"
#include "till-store-people.h"

G_BEGIN_DECLS

/* Actions a manager approves. */
typedef enum
{
  TILL_APPROVAL_REFUND,
  TILL_APPROVAL_VOID_PAID_SALE,
  TILL_APPROVAL_PRICE_OVERRIDE,
  TILL_APPROVAL_DISCOUNT,
  TILL_APPROVAL_REPORTS,
  TILL_APPROVAL_SETTINGS,
  TILL_APPROVAL_DAY_CLOSE,
  TILL_APPROVAL_CASH_MOVEMENT,   /* float, cash in, cash out */
  TILL_APPROVAL_RETURN,          /* a return without a receipt */
  TILL_APPROVAL_PRODUCTS,        /* the products window: add and edit products */
  TILL_APPROVAL_RECEIVING,       /* the receiving window: goods received (进货) */
  TILL_APPROVAL_STOCKTAKE,       /* booking a stocktake's counts (盘点) */
  TILL_APPROVAL_MEMBERS,         /* the members window: adjustments, the export, levels */
} TillApprovalAction;

/* "refund", "void_paid_sale", "price_override", "discount", "reports", "settings",
 * "day_close", "cash_movement", "return", "products", "receiving", "stocktake", "members". */
const char *till_approval_action_to_string   (TillApprovalAction  action);
gboolean    till_approval_action_from_string (const char         *text,
                                              TillApprovalAction *out);

#define TILL_TYPE_PEOPLE (till_people_get_type ())
G_DECLARE_FINAL_TYPE (TillPeople, till_people, TILL, PEOPLE, GObject)

/* Properties: "store" (construct-only), "lockout-attempts" (guint, ≥ 1, default 5),
 * "lockout-seconds" (guint, default 300), "iterations" (guint, PBKDF2 rounds for new
 * PINs, ≥ 100000). */
TillPeople *till_people_new                (TillStore   *store);
void        till_people_set_lockout        (TillPeople  *self,
                                            guint        attempts,
                                            guint        seconds);

/* The clock used for the lock (default: g_get_real_time). For tests. */
typedef gint64 (*TillPeopleClockFunc) (gpointer data);
void        till_people_set_clock          (TillPeople          *self,
                                            TillPeopleClockFunc  func,
                                            gpointer             data);

/* First run: TRUE when no active manager with a PIN exists; then the app asks for the
 * first manager (till_people_add with TILL_ROLE_MANAGER, actor "setup"). */
gboolean    till_people_needs_first_manager (TillPeople *self,
                                             GError    **error);

/* Adds a person with a PIN (4–12 digits). A manager's PIN must differ from every other
 * active manager's (approvals are asked by PIN alone). Returns the id, 0 on error. */
gint64      till_people_add                (TillPeople  *self,
                                            const char  *name,
                                            TillRole     role,
                                            const char  *pin,
                                            const char  *actor,
                                            GError     **error);
/* Sets a new PIN (hashed with the current iteration count); clears the lock. */
gboolean    till_people_set_pin            (TillPeople  *self,
                                            gint64       person_id,
                                            const char  *pin,
                                            const char  *actor,
                                            GError     **error);

/* Checks `pin` for that person (active, not locked): the person on success; else NULL
 * and TILL_STORE_ERROR_DENIED (wrong PIN, inactive, no PIN) or TILL_STORE_ERROR_LOCKED
 * (the message says for how long). A wrong PIN is counted. Writes audit "sign_in". */
TillPerson *till_people_sign_in            (TillPeople  *self,
                                            gint64       person_id,
                                            const char  *pin,
                                            GError     **error);

/* A manager approves `action` with a PIN: the manager on success (also in *out_manager
 * when not NULL) and an audit row (actor = the manager, action "approve:<action>",
 * detail = {"manager_id":..,"detail":detail_json}); else NULL and DENIED or LOCKED, and a
 * wrong PIN is an audit row too (actor "system", action "refuse:<action>", detail =
 * {"reason":"wrong_pin","detail":detail_json}; the PIN itself is never written).
 * detail_json (may be NULL) must be valid JSON, e.g. {"sale":"20261121-0007"}. */
TillPerson *till_people_approve            (TillPeople         *self,
                                            const char         *pin,
                                            TillApprovalAction  action,
                                            const char         *detail_json,
                                            TillPerson        **out_manager,
                                            GError            **error);

/* Demo and training only: when the till has no people, adds
 *   店长 (manager, PIN 8888), 收银员小王 (cashier, PIN 1111), 收银员小李 (cashier, PIN 2222).
 * Does nothing when people exist. */
gboolean    till_people_seed_demo          (TillPeople  *self,
                                            GError     **error);

/* The people till_people_seed_demo() adds, for the demo banner. */
typedef struct
{
  const char *name;
  TillRole    role;
  const char *pin;
} TillDemoPerson;
const TillDemoPerson *till_people_get_demo_people (guint *n_people);
/* "店长 8888 · 收银员小王 1111 · …": the demo people and their PINs, for the banners. */
char                 *till_people_dup_demo_pins   (void);

G_END_DECLS
