/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCashMovementWindow: the opening float, cash in and cash out with a reason. A manager
 * approves each with a PIN (recorded in the audit log as a day-close approval: the
 * drawer's count depends on it); the store refuses a closed day. */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"
#include "till-store-cash.h"

G_BEGIN_DECLS

#define TILL_TYPE_CASH_MOVEMENT_WINDOW (till_cash_movement_window_get_type ())
G_DECLARE_FINAL_TYPE (TillCashMovementWindow, till_cash_movement_window, TILL,
                      CASH_MOVEMENT_WINDOW, GtkWindow)

/* Signals: "recorded" (int kind, gint64 amount_fen). */
TillCashMovementWindow *till_cash_movement_window_new   (GtkWindow              *parent,
                                                         TillContext            *context);
void        till_cash_movement_window_set_entry (TillCashMovementWindow *self,
                                                 TillCashKind            kind,
                                                 const char             *amount,
                                                 const char             *reason);
/* Checks the entries and asks a manager's PIN: the TillPinWindow, or NULL when the
 * entries are wrong (see the message). */
GtkWindow  *till_cash_movement_window_record    (TillCashMovementWindow *self);
/* The last message: in the window's message line (what is wrong) or, once recorded, the
 * toast's ("已记录 Recorded ¥…"); "" when none. */
const char *till_cash_movement_window_get_message (TillCashMovementWindow *self);

G_END_DECLS
