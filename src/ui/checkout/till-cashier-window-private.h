/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between till-cashier-window.c and its till-cashier-window-*.c parts (and the GUI
 * tests, which look at the widgets). */
#pragma once

#include <glib/gi18n.h>

#include "till-cashier-window.h"
#include "till-checkout.h"
#include "till-quick-key-pad.h"
#include "till-wedge-input.h"

G_BEGIN_DECLS

struct _TillCashierWindow
{
  GtkApplicationWindow parent_instance;

  TillCheckout       *checkout;
  TillContext        *context;           /* the checkout's */
  TillWedgeInput     *wedge;
  char               *message;           /* the status line */
  guint               countdown_id;
  GtkWindow          *camera;            /* weak */
  gboolean            quitting;          /* the cashier confirmed: close without asking */
  GtkWindow          *preferences;       /* weak: the open preferences */
  GtkWindow          *preferences_pin;   /* weak: the manager's PIN asked for them */
  GtkWindow          *return_window;     /* weak: the return without receipt, or its PIN */

  /* Template widgets */
  GtkLabel           *demo_banner;
  GtkLabel           *title_label;
  GtkEntry           *code_entry;
  GtkLabel           *sale_number_label;
  GtkLabel           *sale_state_label;
  GtkScrolledWindow  *cart_scroller;
  GtkStack           *cart_stack;        /* "cart", or "empty" (a status page) */
  GtkColumnView      *cart_view;
  GtkSingleSelection *selection;
  GtkColumnViewColumn *name_column;
  GtkColumnViewColumn *qty_column;
  GtkColumnViewColumn *price_column;
  GtkColumnViewColumn *amount_column;
  GtkLabel           *total_label;
  GtkLabel           *count_label;
  GtkLabel           *saved_label;       /* "You saved ¥x", hidden without a saving */
  GtkLabel           *member_label;      /* the sale's member and card, hidden without one */
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
  GtkButton          *customer_scans_button;
  GtkButton          *customer_scans_other_button;
  GtkLabel           *online_label;
  GtkLabel           *pending_label;
  GtkLabel           *hq_label;          /* the head office (issue 19): made in code */
  GtkLabel           *shift_label;        /* the open shift's cashier (issue 18) */
  GtkLabel           *suspended_label;
  GtkLabel           *serial_label;
  GtkLabel           *epay_label;
  char               *epay_note;         /* said instead of "not configured" (set_epay_note) */
  GtkLabel           *scale_label;       /* the counter scale's net weight, under the total */
  GCancellable       *scale_wait;        /* a sale waiting for the weight to settle */
};

/* till-cashier-window.c */
void          _till_cashier_window_update_actions     (TillCashierWindow *self);
void          _till_cashier_window_focus_code         (TillCashierWindow *self);
TillSaleLine *_till_cashier_window_get_selected_line  (TillCashierWindow *self);
/* Presents a window over the cashier's; the code entry gets the focus back after it. */
void          _till_cashier_window_present_modal      (TillCashierWindow *self,
                                                       GtkWindow         *modal);

/* till-cashier-window-cart.c: the cart's columns and following the selected line */
void          _till_cashier_window_cart_init          (TillCashierWindow *self);
/* The cart's page follows its lines: the empty state when there are none. */
void          _till_cashier_window_cart_items_changed_cb (TillCashierWindow *self);
void          _till_cashier_window_select_line        (TillCashierWindow *self,
                                                       guint              position);

/* till-cashier-window-status.c: the status bar */
void          _till_cashier_window_status_init        (TillCashierWindow *self);

/* till-cashier-window-scan.c: codes from the scanners and the code entry */
void          _till_cashier_window_scan_init          (TillCashierWindow *self);
void          _till_cashier_window_scan_class_init    (GtkWidgetClass    *widget_class);

/* till-cashier-window-actions.c: the commands as widget actions with keys, and the
 * windows they open (quantity, weight, cash, void, preferences) */
void          _till_cashier_window_class_actions_init (GtkWidgetClass    *widget_class);
void          _till_cashier_window_actions_init       (TillCashierWindow *self);

/* till-cashier-window-return.c: Ctrl+Shift+G, a return without a receipt (PIN, window) */
void          _till_cashier_window_return_class_init  (GtkWidgetClass    *widget_class);
/* till-cashier-window-suspend.c: 挂单 / 取单 (Ctrl+H, Ctrl+Shift+H), "N suspended" */
void          _till_cashier_window_suspend_init       (TillCashierWindow *self);
/* till-cashier-window-stock.c: "N low on stock" */
void          _till_cashier_window_stock_init         (TillCashierWindow *self);
const char   *_till_cashier_window_get_low_stock_text (TillCashierWindow *self);
void          _till_cashier_window_suspend_class_init (GtkWidgetClass    *widget_class);
/* till-cashier-window-quickkeys.c: the quick keys under the cart (Alt+1…9, Ctrl+Page Up/
 * Down) */
void          _till_cashier_window_quickkeys_init     (TillCashierWindow *self);
void          _till_cashier_window_quickkeys_class_init (GtkWidgetClass  *widget_class);
TillQuickKeyPad *_till_cashier_window_get_quick_keys  (TillCashierWindow *self);
/* till-cashier-window-member.c: the sale's member under the total, the member window
 * (Ctrl+M) */
void          _till_cashier_window_member_init        (TillCashierWindow *self);
void          _till_cashier_window_member_class_init  (GtkWidgetClass    *widget_class);
/* till-cashier-window-scale.c: the counter scale's weight under the total, goods by kg
 * weighed on it (instead of asking), the tare (Ctrl+Shift+Z) */
void          _till_cashier_window_scale_init         (TillCashierWindow *self);
void          _till_cashier_window_scale_class_init   (GtkWidgetClass    *widget_class);
void          _till_cashier_window_scale_dispose      (TillCashierWindow *self);
/* TRUE when a scale is set up and takes `line`'s weight (else the window asks for it). */
gboolean      _till_cashier_window_scale_weigh        (TillCashierWindow *self,
                                                       TillSaleLine      *line);
/* till-cashier-window-search.c: the product search (Ctrl+F) */
void          _till_cashier_window_search_class_init  (GtkWidgetClass    *widget_class);

/* till-cashier-window-payments.c: the payment panel, its countdown, Native, cancel, camera */
/* till-cashier-window-discount.c: Ctrl+D, Ctrl+Shift+T, Ctrl+E, open prices */
void          _till_cashier_window_discount_init      (TillCashierWindow *self);
void          _till_cashier_window_discount_class_init (GtkWidgetClass   *widget_class);

void          _till_cashier_window_payments_init      (TillCashierWindow *self);
void          _till_cashier_window_payments_dispose   (TillCashierWindow *self);
void          _till_cashier_window_payments_class_init (GtkWidgetClass   *widget_class);
/* The customer-scans buttons name the providers set up (F7, Shift+F7). */
void          _till_cashier_window_update_qr_buttons  (TillCashierWindow *self);
void          _till_cashier_window_update_panel       (TillCashierWindow *self);
/* Escape: cancels the live payment; FALSE when there is none. */
gboolean      _till_cashier_window_cancel_payment     (TillCashierWindow *self);

G_END_DECLS
