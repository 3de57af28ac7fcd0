/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between till-cashier-window.c and its till-cashier-window-*.c parts (and the GUI
 * tests, which look at the widgets). */
#pragma once

#include <glib/gi18n.h>

#include "till-cashier-window.h"
#include "till-store-payments.h"
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

  /* Electronic payments of the sale on screen (till-cashier-window-payments.c) */
  TillPaymentService *service;           /* the one the signals are connected to */
  gboolean            pay_starting;      /* a payment is being prepared or begun */
  gint64              live_payment_id;   /* a payment of this sale not final yet, or 0 */
  gint64              shown_payment_id;  /* the payment whose state is on screen, or 0 */
  TillPaymentMethod   shown_method;
  char               *pay_state;         /* store name of its state, NULL: none */
  char               *pay_message;       /* plain words for the cashier and the customer */
  char               *code_url;          /* a live Native order's QR content */
  gint64              pay_deadline_us;
  gint64              paid_fen;          /* paid payments of this sale */
  gint64              due_fen;           /* what is still to pay */
  guint               countdown_id;
  guint               refresh_serial;
  GtkWindow          *camera;            /* weak */
  GtkWindow          *preferences;       /* weak: the open preferences */
  GtkWindow          *preferences_pin;   /* weak: the manager's PIN asked for them */

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
  GtkLabel           *offline_banner;
  GtkBox             *due_box;
  GtkLabel           *due_label;
  GtkLabel           *paid_label;
  GtkBox             *payment_panel;
  GtkLabel           *payment_title_label;
  GtkLabel           *payment_message_label;
  GtkLabel           *payment_countdown_label;
  GtkButton          *payment_cancel_button;
  GtkLabel           *online_label;
  GtkLabel           *pending_label;
  GtkLabel           *serial_label;
  GtkLabel           *epay_label;
};

/* till-cashier-window.c */
void     _till_cashier_window_set_sale        (TillCashierWindow *self,
                                               TillSale          *sale);
void     _till_cashier_window_update_actions  (TillCashierWindow *self);
void     _till_cashier_window_focus_code      (TillCashierWindow *self);
TillSaleLine *_till_cashier_window_get_selected_line (TillCashierWindow *self,
                                                      guint             *position);
void     _till_cashier_window_show_error      (TillCashierWindow *self,
                                               const char        *prefix,
                                               const GError      *error);

void     _till_cashier_window_notify_payment (TillCashierWindow *self);
/* Lines may not change: a payment of the sale is live, or part of it is paid. */
gboolean _till_cashier_window_cart_locked    (TillCashierWindow *self);

void     _till_cashier_window_paid            (TillCashierWindow *self,
                                               gint64             tendered_fen,
                                               gint64             change_fen);

/* till-cashier-window-cart.c */
void     _till_cashier_window_cart_init       (TillCashierWindow *self);
void     _till_cashier_window_add_line        (TillCashierWindow *self,
                                               TillSaleLine      *line);
/* A copy of the sale (number, id, lines) for work on the store thread. */
TillSale *_till_cashier_window_clone_sale     (TillSale          *sale);
/* A new open sale with the till's next number; runs on the store thread. */
TillSale *_till_cashier_window_make_new_sale  (TillStore         *store,
                                               const char        *till_id,
                                               GError           **error);
/* Puts a new sale on screen with its first line (or the lines scanned meanwhile). */
void     _till_cashier_window_start_sale      (TillCashierWindow *self,
                                               TillSale          *sale,
                                               TillSaleLine      *first_line);
void     _till_cashier_window_request_new_sale (TillCashierWindow *self,
                                               TillSaleLine      *first_line);
/* Loads the till's open sale at start, or opens a new one. */
void     _till_cashier_window_load_open_sale  (TillCashierWindow *self);

/* till-cashier-window-status.c */
/* Follows the context and the serial scanner into the status bar (and the service). */
void     _till_cashier_window_status_init     (TillCashierWindow *self);

/* till-cashier-window-scan.c */
void     _till_cashier_window_scan_init       (TillCashierWindow *self);
void     _till_cashier_window_scan_class_init (GtkWidgetClass    *widget_class);

/* till-cashier-window-actions.c */
void     _till_cashier_window_class_actions_init (GtkWidgetClass *widget_class);

/* till-cashier-window-payments.c */
void     _till_cashier_window_payments_init     (TillCashierWindow *self);
void     _till_cashier_window_payments_dispose  (TillCashierWindow *self);
void     _till_cashier_window_payments_class_init (GtkWidgetClass  *widget_class);
/* A WeChat or Alipay payment code was scanned or typed. */
void     _till_cashier_window_payment_code      (TillCashierWindow *self,
                                                 const TillBarcode *barcode);
/* Reloads the payments of the sale on screen (after a payment event or a new sale). */
void     _till_cashier_window_payments_refresh  (TillCashierWindow *self);
/* Escape: cancels the live payment; FALSE when there is none. */
gboolean _till_cashier_window_cancel_payment    (TillCashierWindow *self,
                                                 gboolean           quiet);
/* Part cash (split tender) or the rest in cash after a partial payment. */
void     _till_cashier_window_add_cash          (TillCashierWindow *self,
                                                 gint64             amount_fen,
                                                 gint64             tendered_fen);

G_END_DECLS
