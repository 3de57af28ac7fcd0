/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillProductsWindow: a manager's products window (Ctrl+Shift+P, after a manager's PIN,
 * audit "approve:products"). Find a product by scanning its barcode into the window (the
 * scanner hub's codes while the window is active) or by searching as at the counter; add
 * one (a scanned barcode nobody has starts a new product with it); edit its name, price,
 * unit, PLU, category, "price at the till", sold by weight and active; add and rename
 * categories; its stock: tracked, minimum, latest cost, the level (read-only, the ledger's
 * sum), its latest stock moves and price changes; "Low stock" (Ctrl+Shift+L) lists the
 * tracked products below their minimum or below zero; "Export stock…" (Ctrl+Shift+E).
 * A TillProductEditor does the loading, checking and saving. */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"
#include "till-product-editor.h"

G_BEGIN_DECLS

#define TILL_TYPE_PRODUCTS_WINDOW (till_products_window_get_type ())
G_DECLARE_FINAL_TYPE (TillProductsWindow, till_products_window, TILL, PRODUCTS_WINDOW, GtkWindow)

/* `actor`: the manager who approved (the price history's "who"). */
TillProductsWindow *
till_products_window_new (GtkWindow *parent, TillContext *context, const char *actor);
/* A code as if scanned into the window: the product with that barcode or PLU is loaded,
 * or a new product is started with it as its barcode. */
void
till_products_window_enter_code (TillProductsWindow *self, const char *code);
TillProductEditor *
till_products_window_get_editor (TillProductsWindow *self);
/* Writes the stock export (till_store_export_stock_csv()) to `path` on the store thread;
 * the message line says how many products or why not. "Export stock…" (Ctrl+Shift+E) asks
 * for the file first. */
void
till_products_window_export_stock (TillProductsWindow *self, const char *path);
/* The message line's text ("" when none). */
const char *
till_products_window_get_message (TillProductsWindow *self);

G_END_DECLS
