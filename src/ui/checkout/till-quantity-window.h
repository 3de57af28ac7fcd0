/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A small modal asking for a new quantity of one cart line (kg with three decimals for
 * weighed goods, whole items otherwise). */
#pragma once

#include <gtk/gtk.h>

#include "till-core.h"

G_BEGIN_DECLS

#define TILL_TYPE_QUANTITY_WINDOW (till_quantity_window_get_type ())
G_DECLARE_FINAL_TYPE (TillQuantityWindow, till_quantity_window, TILL, QUANTITY_WINDOW, GtkWindow)

/* Signal "quantity-chosen" (gint64 qty_milli): emitted once, then the window closes. */
TillQuantityWindow *till_quantity_window_new      (GtkWindow          *parent,
                                                   TillSaleLine       *line);
/* The same for goods sold by weight that have none yet: the entry starts empty. */
TillQuantityWindow *till_quantity_window_new_weight (GtkWindow        *parent,
                                                     TillSaleLine     *line);
TillSaleLine       *till_quantity_window_get_line (TillQuantityWindow *self);
/* Confirms what the entry holds, as Enter does; FALSE when it is not a quantity. */
gboolean            till_quantity_window_confirm  (TillQuantityWindow *self);
GtkEditable        *till_quantity_window_get_entry (TillQuantityWindow *self);

G_END_DECLS
