/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillShiftLines: the shifts of a day as lines (cashier, time, sales, expected cash,
 * counted, over/short; a shift still open says so), read on the store thread; hidden on a
 * day without shifts. The day close window and the reports window show it. */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"

G_BEGIN_DECLS

#define TILL_TYPE_SHIFT_LINES (till_shift_lines_get_type ())
G_DECLARE_FINAL_TYPE (TillShiftLines, till_shift_lines, TILL, SHIFT_LINES, GtkBox)

TillShiftLines *
till_shift_lines_new (TillContext *context);
/* Loads the shifts of the local day `date` ("YYYY-MM-DD"). */
void
till_shift_lines_set_date (TillShiftLines *self, const char *date);
gboolean
till_shift_lines_get_loading (TillShiftLines *self);
guint
till_shift_lines_get_n_lines (TillShiftLines *self);
/* Line `i` as shown, cells joined by " | ". */
char *
till_shift_lines_get_line (TillShiftLines *self, guint i);

G_END_DECLS
