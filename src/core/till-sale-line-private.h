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

G_END_DECLS
