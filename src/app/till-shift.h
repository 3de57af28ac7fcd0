/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillShift: who works the till now (the signed-in cashier) and the people service the
 * managers' windows share. The TillContext makes one ("shift") so that every window finds
 * the same one. */
#pragma once

#include <gio/gio.h>

#include "till-people.h"
#include "till-store.h"
#include "till-store-shifts.h"

G_BEGIN_DECLS

#define TILL_TYPE_SHIFT (till_shift_get_type ())
G_DECLARE_FINAL_TYPE (TillShift, till_shift, TILL, SHIFT, GObject)

/* Properties: "store" (TillStore, construct-only: where the people are kept),
 * "default-cashier" (string, construct-only: the name recorded on sales when nobody signed
 * in, e.g. the session user), "cashier" (string, read-only, notify: NULL when nobody signed
 * in), "person-id" (gint64, read-only, notify), "open-shift-cashier" (string, read-only,
 * notify: the cashier of the shift open at this till, NULL when none is; see
 * till-shift-handover.c). */
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

/* ---- the shift record and its handover (交班; till-shift-handover.c) ---- */

/* A shift and its figures now. */
typedef struct
{
  TillShiftRecord  *shift;
  TillShiftSummary  summary;
} TillShiftReport;

void         till_shift_report_free        (TillShiftReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillShiftReport, till_shift_report_free)

const char  *till_shift_get_open_shift_cashier (TillShift *self);
gint64       till_shift_get_open_shift_id  (TillShift   *self);

/* Reads the open shift from the store (at start: a shift left open by a crash is still
 * open) and updates "open-shift-cashier". */
void         till_shift_load_open_async    (TillShift           *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean     till_shift_load_open_finish   (TillShift     *self,
                                            GAsyncResult  *result,
                                            GError       **error);
/* Opens a shift for the signed-in person with `float_fen` in the drawer unless one is open
 * already; returns (finish) the open shift, new or not. */
void         till_shift_begin_async        (TillShift           *self,
                                            const char          *till_id,
                                            gint64               float_fen,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
TillShiftRecord *till_shift_begin_finish   (TillShift     *self,
                                            GAsyncResult  *result,
                                            GError       **error);
/* The open shift and its figures now (NOT_FOUND when no shift is open). */
void         till_shift_report_async       (TillShift           *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
TillShiftReport *till_shift_report_finish  (TillShift     *self,
                                            GAsyncResult  *result,
                                            GError       **error);
/* Closes the open shift `shift_id` with the counted drawer (till_store_shift_close()) and
 * signs its cashier out; returns the closed shift and its frozen figures. */
void         till_shift_hand_over_async    (TillShift           *self,
                                            gint64               shift_id,
                                            gint64               counted_fen,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
TillShiftReport *till_shift_hand_over_finish (TillShift     *self,
                                              GAsyncResult  *result,
                                              GError       **error);
/* The closed shifts of a local day with their frozen figures (TillShiftReport*), for the
 * reports; and every shift of the day with its figures within the day, for the close. */
void         till_shift_list_day_async     (TillShift           *self,
                                            const char          *date,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray   *till_shift_list_day_finish    (TillShift     *self,
                                            GAsyncResult  *result,
                                            GError       **error);

G_END_DECLS
