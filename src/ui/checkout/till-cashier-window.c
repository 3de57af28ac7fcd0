/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCashierWindow: shows the checkout's sale, its totals and messages; the GObject. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <adwaita.h>

#include <inttypes.h>

#include "till-cashier-window-private.h"
#include "till-frame-trace.h"
#include "till-people.h"
#include "till-ui-util.h"

G_DEFINE_FINAL_TYPE (TillCashierWindow, till_cashier_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CHECKOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------------------ */
/* Messages                                                                              */

void
till_cashier_window_show_message (TillCashierWindow *self,
                                  TillMessageKind    kind,
                                  const char        *message)
{
  GtkWidget *label;

  g_return_if_fail (TILL_IS_CASHIER_WINDOW (self));
  g_return_if_fail (message != NULL);

  g_free (self->message);
  self->message = g_strdup (message);

  label = GTK_WIDGET (self->message_label);
  gtk_label_set_text (self->message_label, message);
  gtk_widget_set_tooltip_text (label, message);
  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "success");
  if (kind == TILL_MESSAGE_ERROR)
    {
      gtk_widget_add_css_class (label, "error");
      gtk_widget_error_bell (GTK_WIDGET (self));
    }
  else if (kind == TILL_MESSAGE_SUCCESS)
    gtk_widget_add_css_class (label, "success");

  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
}

const char *
till_cashier_window_get_message (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), NULL);
  return self->message;
}

static void
checkout_message_cb (TillCheckout      *checkout,
                     int                kind,
                     const char        *text,
                     TillCashierWindow *self)
{
  till_cashier_window_show_message (self, (TillMessageKind) kind, text);
}

/* ------------------------------------------------------------------------------------ */
/* The sale on screen                                                                    */

static void
update_totals (TillCashierWindow *self)
{
  TillSale *sale = till_checkout_get_sale (self->checkout);
  g_autofree char *total = NULL;
  g_autofree char *count = NULL;
  gint64 items = 0;
  guint n_lines = 0;
  gint64 change_fen = till_checkout_get_change_fen (self->checkout);

  if (sale != NULL)
    {
      n_lines = g_list_model_get_n_items (G_LIST_MODEL (sale));
      items = till_sale_count_items (sale);
      total = till_money_format (till_sale_get_total_fen (sale));
      gtk_label_set_text (self->sale_number_label, till_sale_get_number (sale));
      gtk_label_set_text (self->sale_state_label,
                          till_ui_sale_state_banner (till_sale_get_state (sale)));
    }
  else
    {
      total = till_money_format (0);
      gtk_label_set_text (self->sale_number_label, "—");
      gtk_label_set_text (self->sale_state_label,
                          till_ui_sale_state_banner (TILL_SALE_STATE_OPEN));
    }

  gtk_label_set_text (self->total_label, total);
  {
    g_autofree char *lines_text = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "%u line", "%u lines", n_lines), n_lines);
    g_autofree char *items_text = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " item", "%" PRId64 " items", (gulong) items),
        items);

    count = g_strdup_printf ("%s · %s", lines_text, items_text);
  }
  gtk_label_set_text (self->count_label, count);
  if (sale != NULL && till_sale_get_saved_fen (sale) > 0)
    {
      g_autofree char *saved = till_money_format (till_sale_get_saved_fen (sale));
      g_autofree char *saved_text = g_strdup_printf (_("You saved %s"), saved);

      gtk_label_set_text (self->saved_label, saved_text);
      gtk_widget_set_visible (GTK_WIDGET (self->saved_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->saved_label), FALSE);

  if (change_fen >= 0)
    {
      g_autofree char *change = till_money_format (change_fen);
      g_autofree char *tendered = till_money_format (till_checkout_get_tendered_fen (self->checkout));
      g_autofree char *tendered_text = g_strdup_printf (_("Tendered %s"), tendered);

      gtk_label_set_text (self->change_label, change);
      gtk_label_set_text (self->tendered_label, tendered_text);
      gtk_widget_set_visible (GTK_WIDGET (self->change_box), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->change_box), FALSE);

  _till_cashier_window_update_actions (self);
}

static void
update_due (TillCashierWindow *self)
{
  gint64 paid_fen = till_checkout_get_paid_fen (self->checkout);
  TillSale *sale = till_checkout_get_sale (self->checkout);
  g_autofree char *due = NULL;
  g_autofree char *paid = NULL;
  g_autofree char *paid_text = NULL;

  if (sale == NULL || till_sale_get_state (sale) != TILL_SALE_STATE_OPEN || paid_fen <= 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->due_box), FALSE);
      return;
    }
  due = till_money_format (till_checkout_get_due_fen (self->checkout));
  paid = till_money_format (paid_fen);
  paid_text = g_strdup_printf (_("Paid %s"), paid);
  gtk_label_set_text (self->due_label, due);
  gtk_label_set_text (self->paid_label, paid_text);
  gtk_widget_set_visible (GTK_WIDGET (self->due_box), TRUE);
}

void
_till_cashier_window_update_actions (TillCashierWindow *self)
{
  static const struct { const char *action; TillCheckoutCommand command; } map[] = {
    { "cashier.cash", TILL_CHECKOUT_CMD_CASH },
    { "cashier.void-sale", TILL_CHECKOUT_CMD_VOID_SALE },
    { "cashier.new-sale", TILL_CHECKOUT_CMD_NEW_SALE },
    { "cashier.customer-scans", TILL_CHECKOUT_CMD_NATIVE },
    { "cashier.cancel-payment", TILL_CHECKOUT_CMD_CANCEL_PAYMENT },
  };
  gboolean selected = gtk_single_selection_get_selected_item (self->selection) != NULL;

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), map[i].action,
                                   till_checkout_can (self->checkout, map[i].command));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cashier.customer-scans-other",
                                 till_checkout_can (self->checkout, TILL_CHECKOUT_CMD_NATIVE)
                                 && till_checkout_get_other_qr_provider (self->checkout) != NULL);
  _till_cashier_window_update_qr_buttons (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cashier.quantity",
                                 selected && till_checkout_can (self->checkout,
                                                                TILL_CHECKOUT_CMD_QUANTITY));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cashier.void-line",
                                 selected && till_checkout_can (self->checkout,
                                                                TILL_CHECKOUT_CMD_VOID_LINE));
}

static void
sale_changed_cb (TillSale          *sale,
                 TillCashierWindow *self)
{
  update_totals (self);
}

static void
sale_total_notify_cb (TillSale          *sale,
                      GParamSpec        *pspec,
                      TillCashierWindow *self)
{
  update_totals (self);
}

static void
checkout_sale_notify_cb (TillCheckout      *checkout,
                         GParamSpec        *pspec,
                         TillCashierWindow *self)
{
  TillSale *sale = till_checkout_get_sale (checkout);
  GListModel *shown = gtk_single_selection_get_model (self->selection);

  if (shown != G_LIST_MODEL (sale))
    {
      if (shown != NULL)
        g_signal_handlers_disconnect_by_data (shown, self);
      if (sale != NULL)
        {
          g_signal_connect_object (sale, "changed", G_CALLBACK (sale_changed_cb), self, 0);
          g_signal_connect_object (sale, "notify::total-fen",
                                   G_CALLBACK (sale_total_notify_cb), self, 0);
        }
      gtk_single_selection_set_model (self->selection, G_LIST_MODEL (sale));
    }
  update_totals (self);
  update_due (self);
}

static void
checkout_payment_notify_cb (TillCheckout      *checkout,
                            GParamSpec        *pspec,
                            TillCashierWindow *self)
{
  update_totals (self);
  update_due (self);
  _till_cashier_window_update_panel (self);
}

static void
checkout_line_added_cb (TillCheckout      *checkout,
                        guint              position,
                        TillCashierWindow *self)
{
  _till_cashier_window_select_line (self, position);
}

TillSaleLine *
_till_cashier_window_get_selected_line (TillCashierWindow *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

void
_till_cashier_window_focus_code (TillCashierWindow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

static gboolean
modal_close_request_cb (GtkWindow         *window,
                        TillCashierWindow *self)
{
  _till_cashier_window_focus_code (self);
  return FALSE;  /* let it close */
}

void
_till_cashier_window_present_modal (TillCashierWindow *self,
                                    GtkWindow         *modal)
{
  g_signal_connect_object (modal, "close-request", G_CALLBACK (modal_close_request_cb), self,
                           G_CONNECT_AFTER);
  gtk_window_present (modal);
}

static void
selection_changed_cb (GtkSingleSelection *selection,
                      GParamSpec         *pspec,
                      TillCashierWindow  *self)
{
  _till_cashier_window_update_actions (self);
}

/* What the benchmarks' frame trace says of this window: its sale, and whether the cart is
 * scrolled to its end (where a line just added is). */
static char *
frame_trace_describe (GtkWindow *window)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (window);
  g_autofree char *sale = till_frame_trace_describe_sale (till_checkout_get_sale (self->checkout));

  return g_strdup_printf ("%s bottom=%s", sale, till_frame_trace_at_bottom (self->cart_scroller));
}

/* ------------------------------------------------------------------------------------ */
/* GObject                                                                               */

/* In --demo the banner also gives the demo people's PINs (till_people_seed_demo). */
static void
set_demo_banner (TillCashierWindow *self)
{
  g_autofree char *pins = till_people_dup_demo_pins ();
  g_autofree char *text = NULL;

  text = g_strdup_printf (_("DEMO — Training mode, sales are not real — Demo PINs: %s"), pins);
  gtk_label_set_text (self->demo_banner, text);
}

static void
till_cashier_window_constructed (GObject *object)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (object);
  g_autofree char *title = NULL;
  const char *props[] = { "payment-state", "payment-message", "code-url", "due-fen",
                          "paid-fen", "epay-ready", "busy", "change-fen" };

  G_OBJECT_CLASS (till_cashier_window_parent_class)->constructed (object);

  g_assert (TILL_IS_CHECKOUT (self->checkout));
  self->context = g_object_ref (till_checkout_get_context (self->checkout));

  if (till_context_get_demo (self->context))
    {
      title = g_strdup_printf (_("DEMO — Tillpoint Cashier %s"),
                               till_context_get_till_id (self->context));
      set_demo_banner (self);
      gtk_widget_set_visible (GTK_WIDGET (self->demo_banner), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self), "demo");
    }
  else
    title = g_strdup_printf (_("Tillpoint Cashier %s"),
                             till_context_get_till_id (self->context));
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_text (self->title_label, title);

  self->wedge = till_wedge_input_new (GTK_WIDGET (self), self->context);

  g_signal_connect_object (self->checkout, "message", G_CALLBACK (checkout_message_cb), self, 0);
  g_signal_connect_object (self->checkout, "line-added", G_CALLBACK (checkout_line_added_cb),
                           self, 0);
  g_signal_connect_object (self->checkout, "notify::sale",
                           G_CALLBACK (checkout_sale_notify_cb), self, 0);
  for (guint i = 0; i < G_N_ELEMENTS (props); i++)
    {
      g_autofree char *signal = g_strconcat ("notify::", props[i], NULL);

      g_signal_connect_object (self->checkout, signal, G_CALLBACK (checkout_payment_notify_cb),
                               self, 0);
    }
  if (till_checkout_get_message (self->checkout) != NULL)
    till_cashier_window_show_message (self, TILL_MESSAGE_INFO,
                                      till_checkout_get_message (self->checkout));

  /* The customer-scans buttons name the provider the setting picks. */
  g_signal_connect_object (till_context_get_settings (self->context), "changed::qr-provider",
                           G_CALLBACK (_till_cashier_window_update_actions), self,
                           G_CONNECT_SWAPPED);

  _till_cashier_window_actions_init (self);
  _till_cashier_window_discount_init (self);
  _till_cashier_window_payments_init (self);
  _till_cashier_window_status_init (self);
  _till_cashier_window_suspend_init (self);
  _till_cashier_window_member_init (self);
  _till_cashier_window_stock_init (self);
  _till_cashier_window_quickkeys_init (self);
  _till_cashier_window_scan_init (self);
  _till_cashier_window_scale_init (self);
  checkout_sale_notify_cb (self->checkout, NULL, self);
  till_frame_trace_watch (GTK_WINDOW (self), "cashier", frame_trace_describe);
}

static void
till_cashier_window_dispose (GObject *object)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (object);
  GListModel *shown = gtk_single_selection_get_model (self->selection);

  if (shown != NULL)
    g_signal_handlers_disconnect_by_data (shown, self);
  g_clear_object (&self->wedge);
  _till_cashier_window_payments_dispose (self);
  _till_cashier_window_scale_dispose (self);
  g_clear_weak_pointer (&self->preferences);
  g_clear_weak_pointer (&self->preferences_pin);
  g_clear_weak_pointer (&self->return_window);

  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_CASHIER_WINDOW);

  g_clear_object (&self->checkout);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (till_cashier_window_parent_class)->dispose (object);
}

static void
till_cashier_window_finalize (GObject *object)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (object);

  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->epay_note, g_free);

  G_OBJECT_CLASS (till_cashier_window_parent_class)->finalize (object);
}

static void
till_cashier_window_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CHECKOUT:
      g_value_set_object (value, self->checkout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_cashier_window_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CHECKOUT:
      self->checkout = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Closing the window ends the program: while a payment is in progress, ask first. */
static gboolean
till_cashier_window_close_request (GtkWindow *window)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (window);

  if (!self->quitting && till_checkout_get_payment_in_progress (self->checkout))
    {
      till_cashier_window_quit (self);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (till_cashier_window_parent_class)->close_request (window);
}

static void
till_cashier_window_class_init (TillCashierWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  g_type_ensure (ADW_TYPE_STATUS_PAGE);   /* the empty cart, in the template */

  object_class->constructed = till_cashier_window_constructed;
  object_class->dispose = till_cashier_window_dispose;
  object_class->finalize = till_cashier_window_finalize;
  object_class->get_property = till_cashier_window_get_property;
  object_class->set_property = till_cashier_window_set_property;
  window_class->close_request = till_cashier_window_close_request;

  properties[PROP_CHECKOUT] =
    g_param_spec_object ("checkout", NULL, NULL, TILL_TYPE_CHECKOUT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-cashier-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, demo_banner);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, customer_scans_button);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow,
                                        customer_scans_other_button);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, code_entry);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, sale_number_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, sale_state_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, cart_scroller);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, cart_stack);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, cart_view);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, selection);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, name_column);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, qty_column);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, price_column);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, amount_column);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, total_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, saved_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, member_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, change_box);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, change_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, tendered_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, source_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, offline_banner);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, due_box);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, due_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, paid_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, payment_panel);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, payment_title_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, payment_message_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow,
                                        payment_countdown_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, payment_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, online_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, pending_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, shift_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, serial_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashierWindow, epay_label);

  _till_cashier_window_scan_class_init (widget_class);
  _till_cashier_window_class_actions_init (widget_class);
  _till_cashier_window_return_class_init (widget_class);
  _till_cashier_window_scale_class_init (widget_class);
  _till_cashier_window_discount_class_init (widget_class);
  _till_cashier_window_payments_class_init (widget_class);
  _till_cashier_window_suspend_class_init (widget_class);
  _till_cashier_window_member_class_init (widget_class);
  _till_cashier_window_quickkeys_class_init (widget_class);
}

static void
till_cashier_window_init (TillCashierWindow *self)
{
  /* libadwaita (the empty cart's status page) before the template is built */
  till_ui_load_style ();
  gtk_widget_init_template (GTK_WIDGET (self));

  _till_cashier_window_cart_init (self);

  g_signal_connect (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb),
                    self);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (_till_cashier_window_cart_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  _till_cashier_window_cart_items_changed_cb (self);

  /* The code entry holds the focus all day. GTK 4 fades a blinking cursor in and out: a
   * frame at every refresh for 10 s after each interaction, and each frame paints the whole
   * window again (GL without buffer age, or no GPU: 20 ms a frame idle, 200 ms under load on
   * a 2-core till), so that a scan's line waited behind them (bench scan-to-pixels). The
   * till's cursors stay still. */
  g_object_set (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-cursor-blink", FALSE, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

TillCashierWindow *
till_cashier_window_new (GtkApplication *application,
                         TillCheckout   *checkout)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (TILL_IS_CHECKOUT (checkout), NULL);

  return g_object_new (TILL_TYPE_CASHIER_WINDOW,
                       "application", application,
                       "checkout", checkout,
                       NULL);
}

TillCheckout *
till_cashier_window_get_checkout (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), NULL);
  return self->checkout;
}

TillSale *
till_cashier_window_get_sale (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), NULL);
  return till_checkout_get_sale (self->checkout);
}

gboolean
till_cashier_window_get_accepts_scan (TillCashierWindow *self)
{
  GtkWidget *focus;

  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), FALSE);

  /* A window kept over it (sign-in, a PIN) takes the keys, whatever the focus says. */
  for (GList *l = gtk_window_list_toplevels (); l != NULL; l = g_list_delete_link (l, l))
    if (l->data != (gpointer) self && gtk_widget_get_visible (l->data)
        && gtk_window_get_modal (l->data) && gtk_window_get_transient_for (l->data) == GTK_WINDOW (self))
      {
        g_list_free (l);
        return FALSE;
      }
  focus = gtk_window_get_focus (GTK_WINDOW (self));
  return till_checkout_get_sale (self->checkout) != NULL
         && gtk_window_is_active (GTK_WINDOW (self))
         && focus != NULL
         && (focus == GTK_WIDGET (self->code_entry)
             || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->code_entry)));
}

const char *
till_cashier_window_get_total_text (TillCashierWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASHIER_WINDOW (self), NULL);
  return gtk_label_get_text (self->total_label);
}
