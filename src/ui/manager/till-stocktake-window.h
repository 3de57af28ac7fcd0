/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillStocktakeWindow: counting the goods on the shelf (盘点; Ctrl+Shift+K). Each product
 * scanned into the window (the scanner hub's codes while it is the active window) or found
 * by the search counts one more piece; a count can be typed (weighed goods in kg). Each
 * line shows the level expected, the count and the variance (red below, green above).
 * Ctrl+Enter asks a manager's PIN (audit "approve:stocktake") and books the counts as one
 * stocktake off the UI thread; the lines then show the variances booked. Closing the
 * window with counts not booked asks first. A TillStocktakeDraft holds the counts. */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"
#include "till-stocktake-draft.h"

G_BEGIN_DECLS

#define TILL_TYPE_STOCKTAKE_WINDOW (till_stocktake_window_get_type ())
G_DECLARE_FINAL_TYPE (TillStocktakeWindow, till_stocktake_window, TILL, STOCKTAKE_WINDOW, GtkWindow)

TillStocktakeWindow *
till_stocktake_window_new (GtkWindow *parent, TillContext *context);
/* A code as if scanned into the window. */
void
till_stocktake_window_enter_code (TillStocktakeWindow *self, const char *code);
TillStocktakeDraft *
till_stocktake_window_get_draft (TillStocktakeWindow *self);
/* The last message or toast ("" when none). */
const char *
till_stocktake_window_get_message (TillStocktakeWindow *self);
/* The variance shown on line `index` ("-4", "+2", "0"; "" for none). */
const char *
till_stocktake_window_get_variance_text (TillStocktakeWindow *self, guint index);

G_END_DECLS
