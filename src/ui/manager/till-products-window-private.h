/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillProductsWindow's parts: the window (till-products-window.c) and its stock fields, the
 * low-stock list and the stock export (till-products-window-stock.c). */
#pragma once

#include "till-products-window.h"

G_BEGIN_DECLS

struct _TillProductsWindow
{
  GtkWindow parent_instance;

  TillContext *context;
  TillProductEditor *editor;
  GCancellable *cancellable;
  GPtrArray *categories; /* TillCategory*, the dropdown's items after "None" */
  GPtrArray *results;    /* TillSearchHit*, the list's rows */
  char *message;
  char *actor; /* the manager who approved */

  GtkSearchEntry *search_entry;
  GtkListBox *results_list;
  GtkLabel *form_heading;
  GtkEntry *barcode_entry;
  GtkEntry *plu_entry;
  GtkEntry *name_entry;
  GtkEntry *price_entry;
  GtkEntry *unit_entry;
  GtkDropDown *category_dropdown;
  GtkEntry *category_entry;
  GtkCheckButton *open_price_check;
  GtkCheckButton *weighed_check;
  GtkCheckButton *active_check;
  GtkLabel *message_label;

  /* stock (till-products-window-stock.c) */
  GtkBox *header_box;
  GtkToggleButton *low_stock_toggle;
  GtkCheckButton *track_check;
  GtkLabel *level_label;
  GtkLabel *min_label;
  GtkEntry *min_entry;
  GtkEntry *cost_entry;
  GtkListBox *moves_list;
  GtkListBox *history_list;
  GPtrArray *low_stock; /* TillLowStock*, the list's rows while "Low stock" is on */
};

TillStore *
_till_products_window_store (TillProductsWindow *self);
void
_till_products_window_set_message (TillProductsWindow *self, gboolean error, const char *text);
void
_till_products_window_load_product (TillProductsWindow *self, gint64 id);
/* The product results back in the list (the search as typed). */
void
_till_products_window_search_again (TillProductsWindow *self);

/* till-products-window-stock.c */
void
_till_products_window_stock_class_init (GtkWidgetClass *widget_class);
void
_till_products_window_stock_init (TillProductsWindow *self);
void
_till_products_window_stock_dispose (TillProductsWindow *self);
/* The editor's stock fields into the form, and back. */
void
_till_products_window_stock_loaded (TillProductsWindow *self);
void
_till_products_window_stock_to_editor (TillProductsWindow *self);
/* "Low stock" is on: the list shows the low products (reloaded). */
gboolean
_till_products_window_low_stock_shown (TillProductsWindow *self);
void
_till_products_window_reload_low_stock (TillProductsWindow *self);
/* A row of the list activated while "Low stock" is on: that product. */
void
_till_products_window_low_stock_activated (TillProductsWindow *self, int index);
void
_till_products_window_low_stock_toggled_cb (GtkToggleButton *toggle, TillProductsWindow *self);

G_END_DECLS
