/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cashier window's "N low on stock" in the status bar (issue 15): counted by a
 * TillStockWatch after each paid sale, when the window comes back to the front (after the
 * manager's windows) and once a minute; hidden at 0. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include "till-cashier-window-private.h"
#include "till-stock-watch.h"

#define WATCH_KEY "till-stock-watch"
#define LABEL_KEY "till-stock-label"

static void
update_label (TillCashierWindow *self)
{
  TillStockWatch *watch = g_object_get_data (G_OBJECT (self), WATCH_KEY);
  GtkLabel *label = g_object_get_data (G_OBJECT (self), LABEL_KEY);
  guint n = till_stock_watch_get_low_count (watch);
  g_autofree char *text = NULL;

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u low on stock", "%u low on stock", n),
                          n);
  gtk_label_set_text (label, text);
  gtk_widget_set_visible (GTK_WIDGET (label), n > 0);
}

static void
refresh (TillCashierWindow *self)
{
  till_stock_watch_refresh (g_object_get_data (G_OBJECT (self), WATCH_KEY));
}

static void
active_notify_cb (TillCashierWindow *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)))
    refresh (self);
}

void
_till_cashier_window_stock_init (TillCashierWindow *self)
{
  TillStockWatch *watch = till_stock_watch_new (till_context_get_store (self->context));
  GtkWidget *label = gtk_label_new (NULL);

  g_object_set_data_full (G_OBJECT (self), WATCH_KEY, watch, g_object_unref);
  g_object_set_data (G_OBJECT (self), LABEL_KEY, label);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, "status-low-stock");
  gtk_widget_set_tooltip_text (label, _("Products below their minimum stock, or below zero"));
  gtk_widget_insert_after (label, gtk_widget_get_parent (GTK_WIDGET (self->suspended_label)),
                           GTK_WIDGET (self->suspended_label));
  update_label (self);
  g_signal_connect_object (watch, "notify::low-count", G_CALLBACK (update_label), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->checkout, "sale-paid", G_CALLBACK (refresh), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (active_notify_cb), NULL);
}

/* The count, for tests: what the label says (NULL when it is hidden). */
const char *
_till_cashier_window_get_low_stock_text (TillCashierWindow *self)
{
  GtkWidget *label = g_object_get_data (G_OBJECT (self), LABEL_KEY);

  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}
