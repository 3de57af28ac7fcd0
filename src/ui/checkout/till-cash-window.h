/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cash tender modal (F8): the amount due, the amount tendered, quick amounts, and the
 * change due computed as the cashier types. Less than due is refused. */
#pragma once

#include <gtk/gtk.h>

#include "till-core.h"

G_BEGIN_DECLS

#define TILL_TYPE_CASH_WINDOW (till_cash_window_get_type ())
G_DECLARE_FINAL_TYPE (TillCashWindow, till_cash_window, TILL, CASH_WINDOW, GtkWindow)

/* `due_fen` is what is due, to the fen; the window asks for it rounded by `rounding` (the
 * till's cash rule: the cash due, shown with "rounded from" when it differs), offers quick
 * amounts from it, computes the change from it and refuses cash the rule cannot take.
 * Signal "tendered" (gint64 tendered_fen): emitted once with an amount >= the cash due;
 * then the window closes. Signal "part-cash" (gint64 amount_fen): Ctrl+Enter with
 * 0 < amount < cash due, in the rule's unit (split tender: that much in cash, the rest
 * stays due); then the window closes. */
TillCashWindow *till_cash_window_new              (GtkWindow       *parent,
                                                   gint64           due_fen,
                                                   TillCashRounding rounding);
/* What is due to the fen (what till_checkout_pay_cash() is told was shown). */
gint64          till_cash_window_get_due_fen      (TillCashWindow *self);
/* What is due in cash (rounded). */
gint64          till_cash_window_get_cash_due_fen (TillCashWindow *self);
/* The amount shown as due ("¥30.00"), and "Cash due ¥30.00 (rounded from ¥30.01)" or ""
 * when nothing was rounded. */
const char     *till_cash_window_get_due_text     (TillCashWindow *self);
const char     *till_cash_window_get_rounding_text (TillCashWindow *self);
GtkEditable    *till_cash_window_get_entry        (TillCashWindow *self);
/* "¥2.50", or "" while the entry does not hold enough. */
const char     *till_cash_window_get_change_text  (TillCashWindow *self);
/* The quick amounts offered: exact first, then the next ¥10/¥20/¥50/¥100 notes above the
 * amount due, without repeats. */
GArray         *till_cash_window_quick_amounts    (gint64          due_fen);
/* Confirms what the entry holds, as Enter does; FALSE (and a message) when refused. */
gboolean        till_cash_window_confirm          (TillCashWindow *self);
/* Confirms what the entry holds as part cash, as Ctrl+Enter does. */
gboolean        till_cash_window_confirm_part     (TillCashWindow *self);

G_END_DECLS
