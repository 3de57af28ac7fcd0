/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillDayCloseWindow: the day close (Z report). The cash summary of the day (float, cash
 * sales, cash refunds, cash in/out, expected), the day's takings and refunds by payment
 * method (cash, WeChat Pay's and Alipay's code and QR) with their total, the count by
 * denomination (¥100 … ¥0.1) with live totals, expected vs counted and the difference
 * highlighted; closing asks a manager's PIN and stores the close; a closed day shows its
 * stored Z report and can be reprinted (receipt printer or system printer). */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"
#include "till-shift-lines.h"

G_BEGIN_DECLS

#define TILL_TYPE_DAY_CLOSE_WINDOW (till_day_close_window_get_type ())
G_DECLARE_FINAL_TYPE (TillDayCloseWindow, till_day_close_window, TILL, DAY_CLOSE_WINDOW,
                      GtkWindow)

/* `date` "YYYY-MM-DD" (NULL = today). Property "loading" (boolean). */
TillDayCloseWindow *till_day_close_window_new          (GtkWindow          *parent,
                                                        TillContext        *context,
                                                        const char         *date);
gboolean            till_day_close_window_get_loading  (TillDayCloseWindow *self);
gboolean            till_day_close_window_get_closed   (TillDayCloseWindow *self);
/* The suspended sales listed (挂单): the day cannot be closed while there are any. */
guint               till_day_close_window_get_n_suspended (TillDayCloseWindow *self);
/* Pieces counted of till_denominations_fen[index]. */
void                till_day_close_window_set_count    (TillDayCloseWindow *self,
                                                        guint               index,
                                                        guint               pieces);
gint64              till_day_close_window_get_counted_fen  (TillDayCloseWindow *self);
/* The cash a count can match: the expected cash in the till's cash unit (the exact
 * expected cash unless some was taken to the fen that day). */
gint64              till_day_close_window_get_expected_fen (TillDayCloseWindow *self);
/* The day's cash rounding (cash received minus the amounts, less that of cash refunds). */
gint64              till_day_close_window_get_rounding_fen (TillDayCloseWindow *self);
/* The difference as shown ("-¥5.00"), and its style: "short", "over" or "even". */
const char         *till_day_close_window_get_difference_text  (TillDayCloseWindow *self);
const char         *till_day_close_window_get_difference_state (TillDayCloseWindow *self);
/* Starts the close: asks the PIN (the TillPinWindow it opened is returned, NULL when
 * the close cannot start). */
GtkWindow          *till_day_close_window_close_day    (TillDayCloseWindow *self);
/* The row of a TillReportMethod in the day's takings by method (TILL_REPORT_N_METHODS:
 * the total) as shown, its cells joined by " | ": "支付宝扫码 Alipay QR | 1 | ¥8.73 |
 * -¥3.00" (method, payments, amount, refunds; no refunds: empty). g_free() it. */
char               *till_day_close_window_get_method_row (TillDayCloseWindow *self,
                                                          guint               method);
/* The day's top-ups paid by a TillReportMethod (TILL_REPORT_N_METHODS: all of them) as
 * shown, "Top-up · Cash | 1 | ¥200.00 | "; "" when the row is hidden (none). g_free() it. */
char               *till_day_close_window_get_topup_row  (TillDayCloseWindow *self,
                                                          guint               method);
const char         *till_day_close_window_get_message  (TillDayCloseWindow *self);
const char         *till_day_close_window_get_z_text   (TillDayCloseWindow *self);
/* The day's shifts as lines (issue 18). */
TillShiftLines     *till_day_close_window_get_shift_lines (TillDayCloseWindow *self);
/* The day's stored value as shown: "taken in | of which bonus | spent | given back |
 * adjusted" ("" while the section is hidden: a day without stored value). */
char               *till_day_close_window_get_stored_value_text (TillDayCloseWindow *self);

G_END_DECLS
