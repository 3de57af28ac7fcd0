/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillShift: who works the till now (the signed-in cashier) and the people service the
 * managers' windows share. The TillContext makes one ("shift") so that every window finds
 * the same one. */
#pragma once

#include <gio/gio.h>

#include "till-people.h"
#include "till-store.h"

G_BEGIN_DECLS

#define TILL_TYPE_SHIFT (till_shift_get_type ())
G_DECLARE_FINAL_TYPE (TillShift, till_shift, TILL, SHIFT, GObject)

/* Properties: "store" (TillStore, construct-only: where the people are kept),
 * "default-cashier" (string, construct-only: the name recorded on sales when nobody signed
 * in, e.g. the session user), "cashier" (string, read-only, notify: NULL when nobody signed
 * in), "person-id" (gint64, read-only, notify). */
TillShift   *till_shift_new                (TillStore   *store,
                                            const char  *default_cashier);

TillPeople  *till_shift_get_people         (TillShift   *self);
/* The name of the signed-in person, or NULL. */
const char  *till_shift_get_cashier        (TillShift   *self);
gint64       till_shift_get_person_id      (TillShift   *self);
/* The name to record on sales: the signed-in person, else the default cashier. */
const char  *till_shift_get_cashier_or_default (TillShift *self);
/* NULL signs out. */
void         till_shift_set_person         (TillShift        *self,
                                            const TillPerson *person);

G_END_DECLS
