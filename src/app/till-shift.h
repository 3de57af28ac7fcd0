/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillShift: who works the till now (the signed-in cashier) and the services the
 * managers' windows share (people, refunds), kept on the TillContext so that every window
 * finds the same one. */
#pragma once

#include <gio/gio.h>

#include "till-context.h"
#include "till-people.h"
#include "till-refund-service.h"

G_BEGIN_DECLS

#define TILL_TYPE_SHIFT (till_shift_get_type ())
G_DECLARE_FINAL_TYPE (TillShift, till_shift, TILL, SHIFT, GObject)

/* The shift of `context` (made on first use and kept on the context). Properties:
 * "cashier" (string, read-only, NULL when nobody signed in), "person-id" (gint64). */
TillShift   *till_shift_get                (TillContext *context);

TillPeople  *till_shift_get_people         (TillShift   *self);
/* The name of the signed-in person, or NULL. */
const char  *till_shift_get_cashier        (TillShift   *self);
gint64       till_shift_get_person_id      (TillShift   *self);
/* The name to record on sales: the signed-in person, else till_context_get_cashier(). */
const char  *till_shift_get_cashier_or_default (TillShift *self);
/* NULL signs out. */
void         till_shift_set_person         (TillShift        *self,
                                            const TillPerson *person);

/* The refund service: the one set, else one made on first use without a payment client
 * (then only cash payments can be refunded; the service says so for the others). */
TillRefundService *till_shift_get_refund_service (TillShift         *self,
                                                  GError           **error);
void               till_shift_set_refund_service (TillShift         *self,
                                                  TillRefundService *service);

G_END_DECLS
