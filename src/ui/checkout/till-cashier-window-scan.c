/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCashierWindow: codes from every scanner and from the code entry go to the checkout
 * (till-checkout-scan.c decides what they are); a paid sale's receipt code opens the
 * refunds window. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include "till-cashier-window-private.h"
#include "till-products-window.h"
#include "till-refund-window.h"

/* A paid sale's receipt code opens the refunds window on it (app.open-refund, one of the
 * managers' actions of the application). An open refunds window takes the code itself (it
 * listens to the hub); without that action (tests) or for a sale with nothing to refund,
 * FALSE: the checkout says what the code is. */
static gboolean
checkout_receipt_scanned_cb (TillCheckout      *checkout,
                             const char        *number,
                             int                state,
                             TillCashierWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GAction *open_refund = NULL;

  if (app != NULL)
    open_refund = g_action_map_lookup_action (G_ACTION_MAP (app), "open-refund");
  if (open_refund == NULL)
    return FALSE;
  if (state != TILL_SALE_STATE_PAID && state != TILL_SALE_STATE_REFUNDED)
    return FALSE;
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (TILL_IS_REFUND_WINDOW (l->data) && gtk_widget_get_visible (l->data))
      return TRUE;
  g_action_activate (open_refund, g_variant_new_string (number));
  return TRUE;
}

static void
scanner_hub_code_scanned_cb (TillScannerHub    *hub,
                             const char        *code,
                             int                source,
                             TillCashierWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */
  g_autofree char *text = NULL;

  /* The products, receiving and stocktake windows (object data "till-takes-scans"), while
   * one is the active window, take the codes themselves. */
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if ((TILL_IS_PRODUCTS_WINDOW (window)
           || g_object_get_data (G_OBJECT (window), "till-takes-scans") != NULL)
          && gtk_window_is_active (window))
        return;
    }
  text = g_strdup_printf (_("Last scan: %s"), till_scan_source_to_string (source));

  gtk_label_set_text (self->source_label, text);
  till_checkout_enter_code (self->checkout, code);
}

void
till_cashier_window_enter_code (TillCashierWindow *self,
                                const char        *code)
{
  g_return_if_fail (TILL_IS_CASHIER_WINDOW (self));
  g_return_if_fail (code != NULL);

  gtk_label_set_text (self->source_label, _("Last code: typed"));
  till_checkout_enter_code (self->checkout, code);
}

static void
code_entry_activate_cb (GtkEntry          *entry,
                        TillCashierWindow *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_strstrip (text);
  if (text[0] != '\0')
    till_cashier_window_enter_code (self, text);
}

void
_till_cashier_window_scan_init (TillCashierWindow *self)
{
  g_signal_connect_object (till_context_get_scanner_hub (self->context), "code-scanned",
                           G_CALLBACK (scanner_hub_code_scanned_cb), self, 0);
  g_signal_connect_object (self->checkout, "receipt-scanned",
                           G_CALLBACK (checkout_receipt_scanned_cb), self, 0);
}

void
_till_cashier_window_scan_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, code_entry_activate_cb);
}
