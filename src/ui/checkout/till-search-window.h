/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillSearchWindow (Ctrl+F): finding a product without its barcode. It shows a
 * TillProductSearch: the cashier types a name, pinyin initials, a PLU or part of the
 * barcode, Up/Down choose, Enter adds the chosen product to the sale and closes, Escape
 * closes. */
#pragma once

#include <gtk/gtk.h>

#include "till-product-search.h"

G_BEGIN_DECLS

#define TILL_TYPE_SEARCH_WINDOW (till_search_window_get_type ())
G_DECLARE_FINAL_TYPE (TillSearchWindow, till_search_window, TILL, SEARCH_WINDOW, GtkWindow)

TillSearchWindow  *till_search_window_new        (GtkWindow        *parent,
                                                  TillCheckout     *checkout);
TillProductSearch *till_search_window_get_search (TillSearchWindow *self);
GtkEditable       *till_search_window_get_entry  (TillSearchWindow *self);

G_END_DECLS
