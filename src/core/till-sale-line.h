/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One line of a sale. Name and price are copied from the catalog when the line is made,
 * so later catalog changes never alter a sale. Quantities are in thousandths. */
#pragma once

#include <glib-object.h>

#include "till-discount.h"

G_BEGIN_DECLS

#define TILL_TYPE_SALE_LINE (till_sale_line_get_type ())
G_DECLARE_FINAL_TYPE (TillSaleLine, till_sale_line, TILL, SALE_LINE, GObject)

/* Properties (all readable, notify on change): "product-id" (gint64, 0 = none),
 * "barcode", "name", "unit" (strings), "qty-milli", "unit-price-fen", "line-total-fen"
 * (gint64), "weighed" (gboolean), "fixed-total" (gboolean: price-embedded lines keep the
 * printed price as line total), and the discount amounts the sale computes:
 * "original-unit-price-fen" (the catalog's price before an override), "discount-fen" (the
 * line's own discount), "sale-discount-fen" (its share of the sale's discount and 抹零),
 * "final-fen" (what the customer pays for the line: line total − both; the sale's total is
 * the sum of its lines' final amounts, and a refund of the line gives back exactly this).
 * "line-total-fen" is quantity × the unit price in force (after an override). */
TillSaleLine *till_sale_line_new              (gint64       product_id,
                                               const char  *barcode,
                                               const char  *name,
                                               const char  *unit,
                                               gint64       unit_price_fen,
                                               gint64       qty_milli,
                                               gboolean     weighed);
TillSaleLine *till_sale_line_new_fixed_total  (gint64       product_id,
                                               const char  *barcode,
                                               const char  *name,
                                               const char  *unit,
                                               gint64       unit_price_fen,
                                               gint64       line_total_fen);

gint64        till_sale_line_get_product_id     (TillSaleLine *self);
const char   *till_sale_line_get_barcode        (TillSaleLine *self);
const char   *till_sale_line_get_name           (TillSaleLine *self);
const char   *till_sale_line_get_unit           (TillSaleLine *self);
gint64        till_sale_line_get_qty_milli      (TillSaleLine *self);
gint64        till_sale_line_get_unit_price_fen (TillSaleLine *self);
gint64        till_sale_line_get_line_total_fen (TillSaleLine *self);
gboolean      till_sale_line_get_weighed        (TillSaleLine *self);
gboolean      till_sale_line_get_fixed_total    (TillSaleLine *self);

/* Sets the quantity (> 0) and recomputes the line total; FALSE + error on overflow or
 * qty <= 0. */
gboolean      till_sale_line_set_qty_milli      (TillSaleLine *self,
                                                 gint64        qty_milli,
                                                 GError      **error);

gint64        till_sale_line_get_original_unit_price_fen (TillSaleLine *self);
gboolean      till_sale_line_get_price_overridden (TillSaleLine *self);
TillDiscountKind till_sale_line_get_discount_kind  (TillSaleLine *self);
gint64        till_sale_line_get_discount_value   (TillSaleLine *self);
gint64        till_sale_line_get_discount_fen     (TillSaleLine *self);
gint64        till_sale_line_get_sale_discount_fen (TillSaleLine *self);
gint64        till_sale_line_get_final_fen        (TillSaleLine *self);
/* Quantity × the original price (the line total for a fixed-total line). */
gint64        till_sale_line_get_original_total_fen (TillSaleLine *self);
/* Original total − final amount: what the customer saved on the line (negative when an
 * override raised the price). */
gint64        till_sale_line_get_saved_fen        (TillSaleLine *self);
/* A discount, a share of the sale's discount or an override. */
gboolean      till_sale_line_get_has_discount     (TillSaleLine *self);
/* For the store, before the line goes into a sale: the original price and the line's own
 * discount as they were saved (the amounts follow when the sale adds it). */
void          till_sale_line_restore_pricing      (TillSaleLine    *self,
                                                   gint64           original_unit_price_fen,
                                                   TillDiscountKind kind,
                                                   gint64           value);

/* The unit price of a line that is not in a sale yet (open-price goods); the original
 * price stays. In a sale: till_sale_set_line_price(). FALSE + error for a fixed-total
 * line, a negative price or an overflow. */
gboolean      till_sale_line_set_unit_price       (TillSaleLine *self,
                                                   gint64        unit_price_fen,
                                                   GError      **error);

/* A new line with the same product, name, price, quantity and total. */
TillSaleLine *till_sale_line_copy               (TillSaleLine *self);
/* "3", "0.455 kg", "1.5": quantity for display. */
char         *till_sale_line_format_qty         (TillSaleLine *self);

G_END_DECLS
