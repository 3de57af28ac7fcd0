/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One line of a sale. Name and price are copied from the catalog when the line is made,
 * so later catalog changes never alter a sale. Quantities are in thousandths. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TILL_TYPE_SALE_LINE (till_sale_line_get_type ())
G_DECLARE_FINAL_TYPE (TillSaleLine, till_sale_line, TILL, SALE_LINE, GObject)

/* Properties (all readable, notify on change): "product-id" (gint64, 0 = none),
 * "barcode", "name", "unit" (strings), "qty-milli", "unit-price-fen", "line-total-fen"
 * (gint64), "weighed" (gboolean), "fixed-total" (gboolean: price-embedded lines keep the
 * printed price as line total). */
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

/* A new line with the same product, name, price, quantity and total. */
TillSaleLine *till_sale_line_copy               (TillSaleLine *self);
/* "3", "0.455 kg", "1.5": quantity for display. */
char         *till_sale_line_format_qty         (TillSaleLine *self);

G_END_DECLS
