/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cashier window's status bar: online, waiting jobs, the serial scanner, electronic
 * payment. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <inttypes.h>

#include "till-cashier-window-private.h"

/* ------------------------------------------------------------------------------------ */
/* The payment runtime and the serial scanner                                            */

static void
update_status (TillCashierWindow *self)
{
  TillSerialScanner *serial = till_context_get_serial_scanner (self->context);
  TillPaymentRuntime *runtime = till_context_get_payment_runtime (self->context);
  TillPaymentStatus status = till_payment_runtime_get_payment_status (runtime);
  gboolean online = till_payment_runtime_get_online (runtime);
  gint64 pending = till_payment_runtime_get_pending_count (runtime);
  g_autofree char *clock_problem = till_payment_runtime_dup_clock_problem (runtime);
  g_autofree char *pending_text = NULL;
  gboolean usable;
  const char *device = serial != NULL ? till_serial_scanner_get_device (serial) : NULL;

  switch (status)
    {
    case TILL_PAYMENT_STATUS_NOT_CONFIGURED:
      {
        g_autofree char *text = NULL;
        const char *problem = till_payment_runtime_get_payment_problem (runtime);

        if (self->epay_note != NULL)
          text = g_strdup (self->epay_note);
        else
          text = g_strdup_printf (_("E-pay not configured: %s"),
                                  problem != NULL ? problem : "");
        gtk_label_set_text (self->epay_label, text);
        gtk_widget_set_tooltip_text (GTK_WIDGET (self->epay_label), text);
        gtk_widget_set_visible (GTK_WIDGET (self->epay_label), TRUE);
      }
      break;
    case TILL_PAYMENT_STATUS_STARTING:
      gtk_label_set_text (self->epay_label,
                          _("Checking unfinished payments…"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->epay_label), NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->epay_label), TRUE);
      break;
    case TILL_PAYMENT_STATUS_READY:
    default:
      gtk_widget_set_visible (GTK_WIDGET (self->epay_label), FALSE);
      break;
    }

  /* Reachable is not enough: with the clocks this far apart no answer can be trusted. */
  if (clock_problem != NULL)
    gtk_label_set_text (self->online_label, _("● Clock wrong"));
  else
    gtk_label_set_text (self->online_label, online ? _("Online") : _("Offline"));
  usable = online && clock_problem == NULL;
  gtk_widget_remove_css_class (GTK_WIDGET (self->online_label), usable ? "offline" : "online");
  gtk_widget_add_css_class (GTK_WIDGET (self->online_label), usable ? "online" : "offline");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->online_label), clock_problem);
  gtk_widget_set_visible (GTK_WIDGET (self->online_label),
                          status == TILL_PAYMENT_STATUS_READY);
  gtk_label_set_text (self->offline_banner,
                      clock_problem != NULL ? clock_problem
                                            : _("Offline — cash only (the payment API cannot be "
                                                "reached)"));
  gtk_widget_set_visible (GTK_WIDGET (self->offline_banner),
                          status == TILL_PAYMENT_STATUS_READY && !usable);

  pending_text = g_strdup_printf (_("%" PRId64 " jobs waiting"), pending);
  gtk_label_set_text (self->pending_label, pending_text);
  gtk_widget_set_visible (GTK_WIDGET (self->pending_label),
                          status == TILL_PAYMENT_STATUS_READY || pending > 0);
  if (pending > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->pending_label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->pending_label), "warning");

  if (device != NULL && device[0] != '\0')
    {
      g_autofree char *text = NULL;
      gboolean connected = till_serial_scanner_get_connected (serial);
      const char *why = till_serial_scanner_get_last_error (serial);

      if (connected)
        text = g_strdup_printf (_("Serial scanner connected (%s)"), device);
      else
        text = g_strdup_printf (_("Serial scanner disconnected (%s)"), device);
      gtk_label_set_text (self->serial_label, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->serial_label), connected ? NULL : why);
      gtk_widget_remove_css_class (GTK_WIDGET (self->serial_label),
                                   connected ? "offline" : "online");
      gtk_widget_add_css_class (GTK_WIDGET (self->serial_label),
                                connected ? "online" : "offline");
      gtk_widget_set_visible (GTK_WIDGET (self->serial_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->serial_label), FALSE);

  _till_cashier_window_update_actions (self);
}

/* The open shift's cashier (issue 18): whose drawer the sales go to. */
static void
shift_notify_cb (TillShift         *shift,
                 GParamSpec        *pspec,
                 TillCashierWindow *self)
{
  const char *cashier = till_shift_get_open_shift_cashier (shift);
  g_autofree char *text = NULL;

  if (cashier != NULL)
    text = g_strdup_printf (_("Shift: %s"), cashier);
  gtk_label_set_text (self->shift_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->shift_label), cashier != NULL);
}

/* The head office (issue 19): "Head office: 3 waiting", "up to date" or "offline" while
 * hq-url is set, and how many rows it refused ("Head office: 2 failed": the manager retries
 * them in the preferences); nothing when it is not set. */
static void
hq_notify_cb (TillHqSync *sync, GParamSpec *pspec, TillCashierWindow *self)
{
  g_autofree char *text = till_hq_sync_dup_status_text (sync);
  TillHqSyncState state = till_hq_sync_get_state (sync);
  gint64 synced_at = till_hq_sync_get_catalog_synced_at (sync);
  g_autofree char *tooltip = NULL;

  if (synced_at > 0)
    {
      g_autoptr (GDateTime) at = g_date_time_new_from_unix_local (synced_at / G_USEC_PER_SEC);
      g_autofree char *when = g_date_time_format (at, "%Y-%m-%d %H:%M:%S");

      tooltip = g_strdup_printf (_ ("Catalog last pulled from head office at %s"), when);
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->hq_label), tooltip);
  gtk_label_set_text (self->hq_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hq_label), text != NULL);
  if (state == TILL_HQ_SYNC_OFFLINE && till_hq_sync_get_dead (sync) == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->hq_label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->hq_label), "warning");
  if (till_hq_sync_get_dead (sync) > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->hq_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->hq_label), "error");
}

static void
status_notify_cb (GObject *object, GParamSpec *pspec, TillCashierWindow *self)
{
  update_status (self);
}

void
_till_cashier_window_status_init (TillCashierWindow *self)
{
  TillSerialScanner *serial = till_context_get_serial_scanner (self->context);
  const char *props[] = { "payment-status", "payment-problem", "payment-service", "online",
                          "pending-count", "clock-skew-seconds" };

  for (guint i = 0; i < G_N_ELEMENTS (props); i++)
    {
      g_autofree char *signal = g_strconcat ("notify::", props[i], NULL);

      g_signal_connect_object (till_context_get_payment_runtime (self->context), signal,
                               G_CALLBACK (status_notify_cb), self, 0);
    }
  if (serial != NULL)
    {
      g_signal_connect_object (serial, "notify::connected", G_CALLBACK (status_notify_cb),
                               self, 0);
      g_signal_connect_object (serial, "notify::device", G_CALLBACK (status_notify_cb), self, 0);
    }
  self->hq_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->hq_label), "status-hq");
  gtk_widget_set_visible (GTK_WIDGET (self->hq_label), FALSE);
  gtk_widget_insert_after (GTK_WIDGET (self->hq_label),
                           gtk_widget_get_parent (GTK_WIDGET (self->pending_label)),
                           GTK_WIDGET (self->pending_label));
  if (till_context_get_hq_sync (self->context) != NULL)
    {
      TillHqSync *sync = till_context_get_hq_sync (self->context);

      g_signal_connect_object (sync, "notify::state", G_CALLBACK (hq_notify_cb), self, 0);
      g_signal_connect_object (sync, "notify::waiting", G_CALLBACK (hq_notify_cb), self, 0);
      g_signal_connect_object (sync, "notify::dead", G_CALLBACK (hq_notify_cb), self, 0);
      g_signal_connect_object (sync, "notify::catalog-synced-at", G_CALLBACK (hq_notify_cb), self,
                               0);
      hq_notify_cb (sync, NULL, self);
    }
  g_signal_connect_object (till_context_get_shift (self->context), "notify::open-shift-cashier",
                           G_CALLBACK (shift_notify_cb), self, 0);
  shift_notify_cb (till_context_get_shift (self->context), NULL, self);
  update_status (self);
}

void
till_cashier_window_set_epay_note (TillCashierWindow *self,
                                   const char        *note)
{
  g_return_if_fail (TILL_IS_CASHIER_WINDOW (self));

  if (g_strcmp0 (self->epay_note, note) == 0)
    return;
  g_free (self->epay_note);
  self->epay_note = g_strdup (note);
  update_status (self);
}
