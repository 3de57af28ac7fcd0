/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cashier window's payment panel (the checkout's payment state with its countdown) and
 * its payment commands: customer scans (F7), cancel (Esc / F10), the camera (F9). */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <inttypes.h>

#include "till-camera-preview.h"
#include "till-cashier-window-private.h"
#include "till-payment-service.h"
#include "till-ui-util.h"
#include "till-clock.h"

/* ------------------------------------------------------------------------------------ */
/* The panel                                                                             */

static const char *
state_title (TillPaymentState state)
{
  switch (state)
    {
    case TILL_PAYMENT_STATE_SUBMITTING:
      return _("Sending the payment");
    case TILL_PAYMENT_STATE_USER_PAYING:
      return _("Customer confirms on the phone");
    case TILL_PAYMENT_STATE_IN_DOUBT:
      return _("Checking — do not charge again");
    case TILL_PAYMENT_STATE_REVERSING:
      return _("Cancelling — nothing is charged");
    case TILL_PAYMENT_STATE_PAID:
      return _("Paid");
    case TILL_PAYMENT_STATE_FAILED:
      return _("Payment failed — take another payment");
    case TILL_PAYMENT_STATE_REVERSED:
      return _("Reversed — not charged");
    case TILL_PAYMENT_STATE_CLOSED:
    default:
      return _("Closed — not charged");
    }
}

static gboolean
countdown_tick_cb (gpointer user_data)
{
  TillCashierWindow *self = user_data;
  gint64 left_s;
  g_autofree char *text = NULL;

  gint64 deadline = till_checkout_get_payment_deadline (self->checkout);

  if (deadline <= 0 || !till_checkout_can (self->checkout, TILL_CHECKOUT_CMD_CANCEL_PAYMENT))
    {
      gtk_label_set_text (self->payment_countdown_label, "");
      self->countdown_id = 0;
      return G_SOURCE_REMOVE;
    }
  left_s = MAX (0, (deadline - till_clock_now_us () + 999999) / G_USEC_PER_SEC);
  text = g_strdup_printf (_("%1$" PRId64 " s left — Cancel: Esc / F10"),
                          left_s);
  gtk_label_set_text (self->payment_countdown_label, text);
  return G_SOURCE_CONTINUE;
}

void
_till_cashier_window_update_panel (TillCashierWindow *self)
{
  const char *state_name = till_checkout_get_payment_state (self->checkout);
  const char *message = till_checkout_get_payment_message (self->checkout);
  TillPaymentMethod method = till_checkout_get_payment_method (self->checkout);
  TillPaymentState state;
  GtkWidget *panel = GTK_WIDGET (self->payment_panel);
  const char *classes[] = { "pay-live", "pay-paid", "pay-failed", "pay-not-charged" };
  const char *klass;

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (panel, classes[i]);

  if (g_strcmp0 (state_name, "submitting") == 0 && message == NULL)
    {
      gtk_label_set_text (self->payment_title_label, _("Sending the payment"));
      gtk_label_set_text (self->payment_message_label, _("Sending the payment…"));
      gtk_label_set_text (self->payment_countdown_label, "");
      gtk_widget_add_css_class (panel, "pay-live");
      gtk_widget_set_visible (GTK_WIDGET (self->payment_cancel_button), FALSE);
      gtk_widget_set_visible (panel, TRUE);
      return;
    }
  if (state_name == NULL || !till_payment_state_from_string (state_name, &state))
    {
      gtk_widget_set_visible (panel, FALSE);
      g_clear_handle_id (&self->countdown_id, g_source_remove);
      return;
    }

  if (state == TILL_PAYMENT_STATE_USER_PAYING
      && (method == TILL_PAYMENT_METHOD_WECHAT_NATIVE || method == TILL_PAYMENT_METHOD_ALIPAY_QR))
    gtk_label_set_text (self->payment_title_label,
                        _("Waiting for the customer to scan the QR"));
  else
    gtk_label_set_text (self->payment_title_label, state_title (state));
  gtk_label_set_text (self->payment_message_label,
                      message != NULL ? message : "");
  if (!till_payment_state_is_final (state))
    klass = "pay-live";
  else if (state == TILL_PAYMENT_STATE_PAID)
    klass = "pay-paid";
  else if (state == TILL_PAYMENT_STATE_FAILED)
    klass = "pay-failed";
  else
    klass = "pay-not-charged";
  gtk_widget_add_css_class (panel, klass);
  gtk_widget_set_visible (GTK_WIDGET (self->payment_cancel_button),
                          state == TILL_PAYMENT_STATE_USER_PAYING
                          || state == TILL_PAYMENT_STATE_IN_DOUBT);
  gtk_widget_set_visible (panel, TRUE);

  g_clear_handle_id (&self->countdown_id, g_source_remove);
  if (state == TILL_PAYMENT_STATE_USER_PAYING
      && till_checkout_get_payment_deadline (self->checkout) > 0)
    {
      countdown_tick_cb (self);
      self->countdown_id = g_timeout_add (500, countdown_tick_cb, self);
    }
  else if (state == TILL_PAYMENT_STATE_IN_DOUBT)
    gtk_label_set_text (self->payment_countdown_label,
                        _("Do not charge again — Cancel: Esc / F10"));
  else if (state == TILL_PAYMENT_STATE_REVERSING)
    gtk_label_set_text (self->payment_countdown_label,
                        _("The cancellation is sent by itself, later if the network is down — take cash or another payment now"));
  else
    gtk_label_set_text (self->payment_countdown_label, "");
}

/* ------------------------------------------------------------------------------------ */
/* Cancel                                                                                */

gboolean
_till_cashier_window_cancel_payment (TillCashierWindow *self)
{
  const char *state = till_checkout_get_payment_state (self->checkout);
  gboolean live = till_checkout_can (self->checkout, TILL_CHECKOUT_CMD_CANCEL_PAYMENT)
                  || (g_strcmp0 (state, "submitting") == 0);

  if (!live)
    return FALSE;
  till_checkout_cancel_payment (self->checkout, NULL);
  return TRUE;
}

void
_till_cashier_window_payments_init (TillCashierWindow *self)
{
  _till_cashier_window_update_panel (self);
}

void
_till_cashier_window_payments_dispose (TillCashierWindow *self)
{
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  if (self->camera != NULL)
    gtk_window_destroy (self->camera);
  g_clear_weak_pointer (&self->camera);
}

/* ------------------------------------------------------------------------------------ */
/* Actions: Native (F7), cancel (F10 / Esc), camera (F9)                                 */

static void
native_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  till_checkout_pay_native (TILL_CASHIER_WINDOW (widget)->checkout, NULL);
}

static void
native_other_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TillCheckout *checkout = TILL_CASHIER_WINDOW (widget)->checkout;
  const char *other = till_checkout_get_other_qr_provider (checkout);

  if (other != NULL)
    till_checkout_pay_qr (checkout, other, NULL);
}

static const char *
qr_button_text (const char *provider_name,
                gboolean    other)
{
  if (g_strcmp0 (provider_name, "alipay") == 0)
    return other ? _("Alipay QR (⇧F7)") : _("Alipay QR (F7)");
  if (g_strcmp0 (provider_name, "wechat") == 0)
    return other ? _("WeChat QR (⇧F7)") : _("WeChat QR (F7)");
  return _("Customer scans (F7)");
}

/* Two QR buttons share one cell of the button grid: their words wrap rather than widen
 * the right-hand column (which would squeeze the goods' names in the cart). */
static void
set_qr_button_label (GtkButton  *button,
                     const char *text)
{
  GtkWidget *child;

  gtk_button_set_label (button, text);
  child = gtk_button_get_child (button);
  if (GTK_IS_LABEL (child))
    {
      gtk_label_set_wrap (GTK_LABEL (child), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (child), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_justify (GTK_LABEL (child), GTK_JUSTIFY_CENTER);
      gtk_label_set_max_width_chars (GTK_LABEL (child), 10);
    }
}

void
_till_cashier_window_update_qr_buttons (TillCashierWindow *self)
{
  const char *first = till_checkout_get_qr_provider (self->checkout);
  const char *other = till_checkout_get_other_qr_provider (self->checkout);

  set_qr_button_label (self->customer_scans_button, qr_button_text (first, FALSE));
  gtk_widget_set_visible (GTK_WIDGET (self->customer_scans_other_button), other != NULL);
  if (other != NULL)
    set_qr_button_label (self->customer_scans_other_button, qr_button_text (other, TRUE));
  /* Two in one cell: a smaller font, so their wrapped words do not make every row of the
   * homogeneous grid taller (the window must fit a 768-pixel screen). */
  if (other != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->customer_scans_button), "qr-pair");
      gtk_widget_add_css_class (GTK_WIDGET (self->customer_scans_other_button), "qr-pair");
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->customer_scans_button), "qr-pair");
}

static void
cancel_payment_action_cb (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  till_checkout_cancel_payment (TILL_CASHIER_WINDOW (widget)->checkout, NULL);
}

static void
camera_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);
  g_autofree char *device = NULL;
  TillCameraPreview *preview;

  if (self->camera != NULL)
    {
      gtk_window_present (self->camera);
      return;
    }
  device = g_settings_get_string (till_context_get_settings (self->context), "camera-device");
  preview = till_camera_preview_new (GTK_WINDOW (self),
                                     till_context_get_scanner_hub (self->context), device);
  g_set_weak_pointer (&self->camera, GTK_WINDOW (preview));
  gtk_window_present (GTK_WINDOW (preview));
}

void
_till_cashier_window_payments_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "cashier.customer-scans", NULL,
                                   native_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F7, 0, "cashier.customer-scans",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "cashier.customer-scans-other", NULL,
                                   native_other_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F7, GDK_SHIFT_MASK,
                                       "cashier.customer-scans-other", NULL);

  gtk_widget_class_install_action (widget_class, "cashier.cancel-payment", NULL,
                                   cancel_payment_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, 0, "cashier.cancel-payment",
                                       NULL);

  gtk_widget_class_install_action (widget_class, "cashier.camera", NULL, camera_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "cashier.camera", NULL);
}
