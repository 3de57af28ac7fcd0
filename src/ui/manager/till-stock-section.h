/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillStockSection: the reports' Stock tab (issue 15) — the period's revenue, cost, margin
 * and margin % with what was left out of the margin (products whose cost is unknown), the
 * stock's value now, the margin by category and by product, the stock's value by product
 * (levels below zero valued 0 and said so) and the period's stock moves. It only shows the
 * TillStockReport it is given: the report window loads it. */
#pragma once

#include <gtk/gtk.h>

#include "till-stock-report.h"

G_BEGIN_DECLS

#define TILL_TYPE_STOCK_SECTION (till_stock_section_get_type ())
G_DECLARE_FINAL_TYPE (TillStockSection, till_stock_section, TILL, STOCK_SECTION, GtkBox)

TillStockSection *till_stock_section_new          (void);
/* Shows `report` (read now, not kept); a report of a till that tracks no stock shows a
 * status page saying so. */
void              till_stock_section_show         (TillStockSection      *self,
                                                   const TillStockReport *report);
/* No report to show: `text` says why (it could not be read). */
void              till_stock_section_show_message (TillStockSection      *self,
                                                   const char            *text);

/* For tests: a figure as shown ("revenue", "cost", "margin", "percent", "value"), the
 * note under them, the rows of a table ("categories", "products", "values", "moves"; of
 * TillTextRow, cells as shown), and whether the status page is shown. */
const char       *till_stock_section_get_figure   (TillStockSection      *self,
                                                   const char            *name);
const char       *till_stock_section_get_note     (TillStockSection      *self);
GListModel       *till_stock_section_get_rows     (TillStockSection      *self,
                                                   const char            *table);
gboolean          till_stock_section_get_empty    (TillStockSection      *self);

G_END_DECLS
