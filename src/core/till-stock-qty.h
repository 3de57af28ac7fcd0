/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Quantities as a person types them for goods received or counted (issue 15): pieces as
 * whole numbers, weighed goods in kg with up to three decimals, into thousandths. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parses `text` ("24", "1.250", "0,5" for weighed goods) into thousandths. Counted goods
 * take whole numbers only; zero is accepted only when `allow_zero` (a count of nothing);
 * negative numbers, garbage and more than 99999 units are refused with a plain message
 * (TILL_CORE_ERROR_INVALID_QUANTITY). */
gboolean
till_stock_qty_parse (const char *text, gboolean weighed, gboolean allow_zero,
                      gint64 *out_qty_milli, GError **error);

/* "24", "1.25", "-4": thousandths as a person reads them (no trailing zeros). */
char *
till_stock_qty_format (gint64 qty_milli);

G_END_DECLS
