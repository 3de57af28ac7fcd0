/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How many products are low on stock (till_store_low_stock_count()), counted on the store
 * thread when asked and once a minute, for the status bar's "N low on stock".
 *
 * Properties: "low-count" (uint, read-only): the last count (0 until the first one). */
#pragma once

#include <glib-object.h>

#include "till-store.h"

G_BEGIN_DECLS

#define TILL_TYPE_STOCK_WATCH (till_stock_watch_get_type ())
G_DECLARE_FINAL_TYPE (TillStockWatch, till_stock_watch, TILL, STOCK_WATCH, GObject)

/* Counts 3 s after it is made (not during the till's start: on a shop's catalog the count
 * reads every product), then once a minute and on till_stock_watch_refresh(). */
TillStockWatch *till_stock_watch_new           (TillStore      *store);
guint           till_stock_watch_get_low_count (TillStockWatch *self);
/* Counts again (asynchronously); "low-count" is notified when the count changed. Before
 * the first count it does nothing (that count comes, reading what is there then). */
void            till_stock_watch_refresh       (TillStockWatch *self);

G_END_DECLS
