/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between till-cashier-window.c and till-cashier-window-actions.c (and the GUI
 * tests, which look at the widgets). */
#pragma once

#include <glib/gi18n.h>

#include "till-cashier-window.h"
#include "till-wedge-input.h"

G_BEGIN_DECLS

struct _TillCashierWindow
{
  GtkApplicationWindow parent_instance;

  TillContext        *context;
  TillSale           *sale;
  TillWedgeInput     *wedge;
  GCancellable       *cancellable;

  gint64              change_fen;        /* -1: no change on screen */
  gint64              tendered_fen;
  gboolean            number_requested;  /* a job is allocating the next sale number */
  gboolean            busy;              /* a payment or void is being written */
  char               *message;
  GPtrArray          *pending_lines;     /* lines waiting for the next sale to open */

  /* Template widgets */
  GtkLabel           *demo_banner;
  GtkLabel           *title_label;
  GtkEntry           *code_entry;
  GtkLabel           *sale_number_label;
  GtkLabel           *sale_state_label;
  GtkScrolledWindow  *cart_scroller;
  GtkColumnView      *cart_view;
  GtkSingleSelection *selection;
  GtkColumnViewColumn *name_column;
  GtkColumnViewColumn *qty_column;
  GtkColumnViewColumn *price_column;
  GtkColumnViewColumn *amount_column;
  GtkLabel           *total_label;
  GtkLabel           *count_label;
  GtkBox             *change_box;
  GtkLabel           *change_label;
  GtkLabel           *tendered_label;
  GtkLabel           *message_label;
  GtkLabel           *source_label;
};

/* till-cashier-window.c */
void     _till_cashier_window_set_sale        (TillCashierWindow *self,
                                               TillSale          *sale);
void     _till_cashier_window_request_new_sale (TillCashierWindow *self,
                                               TillSaleLine      *first_line);
void     _till_cashier_window_update_actions  (TillCashierWindow *self);
void     _till_cashier_window_focus_code      (TillCashierWindow *self);
TillSaleLine *_till_cashier_window_get_selected_line (TillCashierWindow *self,
                                                      guint             *position);
void     _till_cashier_window_add_line        (TillCashierWindow *self,
                                               TillSaleLine      *line);
void     _till_cashier_window_show_error      (TillCashierWindow *self,
                                               const char        *prefix,
                                               const GError      *error);

/* till-cashier-window-actions.c */
void     _till_cashier_window_class_actions_init (GtkWidgetClass *widget_class);
void     _till_cashier_window_paid               (TillCashierWindow *self,
                                                  gint64             tendered_fen);

G_END_DECLS
