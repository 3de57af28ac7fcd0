/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillDiscountWindow: the keyboard-first modal for a line discount (Ctrl+D), a whole-sale
 * discount (Ctrl+Shift+T), a price override (Ctrl+E) and the price of goods priced at the
 * till. For a discount the entry takes "10" or "10%" (a percent, up to two decimals) or
 * "¥5" (an amount); Alt+P and Alt+A switch what a bare number means. */
#pragma once

#include <gtk/gtk.h>

#include "till-core.h"

G_BEGIN_DECLS

typedef enum
{
  TILL_DISCOUNT_WINDOW_LINE,
  TILL_DISCOUNT_WINDOW_SALE,
  TILL_DISCOUNT_WINDOW_PRICE,       /* a price override */
  TILL_DISCOUNT_WINDOW_OPEN_PRICE,  /* goods priced at the till */
} TillDiscountWindowMode;

#define TILL_TYPE_DISCOUNT_WINDOW (till_discount_window_get_type ())
G_DECLARE_FINAL_TYPE (TillDiscountWindow, till_discount_window, TILL, DISCOUNT_WINDOW, GtkWindow)

/* Signals, emitted once, then the window closes:
 *   "discount-chosen" (int TillDiscountKind, gint64 value): the discount modes;
 *   "price-chosen" (gint64 unit_price_fen): the price modes.
 * `line` is NULL for the whole sale; `base_fen` is what the discount applies to (the
 * line's amount, or the sale's), `limit_bp` the cashier's limit in basis points (shown). */
TillDiscountWindow *till_discount_window_new       (GtkWindow             *parent,
                                                    TillDiscountWindowMode mode,
                                                    TillSaleLine          *line,
                                                    gint64                 base_fen,
                                                    gint64                 limit_bp);
TillDiscountWindowMode till_discount_window_get_mode (TillDiscountWindow   *self);
TillSaleLine       *till_discount_window_get_line  (TillDiscountWindow    *self);
/* Confirms what the entry holds, as Enter does; FALSE when it cannot be read. */
gboolean            till_discount_window_confirm   (TillDiscountWindow    *self);
GtkEditable        *till_discount_window_get_entry (TillDiscountWindow    *self);

/* "10" "10%" "12.5%" → percent in basis points; "¥5" "￥5.00" → amount in fen; a bare
 * number is what `bare_kind` says. FALSE + a message for the cashier otherwise. */
gboolean            till_discount_parse            (const char            *text,
                                                    TillDiscountKind       bare_kind,
                                                    TillDiscountKind      *out_kind,
                                                    gint64                *out_value,
                                                    GError               **error);

G_END_DECLS
