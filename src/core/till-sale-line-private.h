/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What TillSale needs to know about its lines beyond the public API. */
#pragma once

#include "till-sale-line.h"

G_BEGIN_DECLS

/* FALSE + error when the line cannot go into a sale (quantity <= 0, total overflowed). */
gboolean _till_sale_line_check         (TillSaleLine *self,
                                        GError      **error);
/* The line total the line would have at `qty_milli`, or FALSE + error (fixed-total line,
 * quantity <= 0, overflow). Changes nothing. */
gboolean _till_sale_line_total_for_qty (TillSaleLine *self,
                                        gint64        qty_milli,
                                        gint64       *out_total_fen,
                                        GError      **error);

/* Sets the line's own discount (checked by the caller); the sale recomputes the amounts. */
void     _till_sale_line_set_discount  (TillSaleLine    *self,
                                        TillDiscountKind kind,
                                        gint64           value);
/* The line total the line would have at `unit_price_fen`, or FALSE + error (fixed-total
 * line, negative price, overflow). Changes nothing. */
gboolean _till_sale_line_total_for_price (TillSaleLine *self,
                                          gint64        unit_price_fen,
                                          gint64       *out_total_fen,
                                          GError      **error);
/* A price override: the unit price and the line total that goes with it. */
void     _till_sale_line_set_price     (TillSaleLine *self,
                                        gint64        unit_price_fen,
                                        gint64        line_total_fen);
/* The amounts the sale computed; TRUE when one changed (each notifies). */
gboolean _till_sale_line_apply_amounts (TillSaleLine *self,
                                        gint64        discount_fen,
                                        gint64        sale_discount_fen);

G_END_DECLS
