/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCashierWindow: the counter scale. Its net weight under the total ("unstable",
 * "overload", "not connected"); goods sold by kg take the scale's stable net weight instead
 * of asking (waiting up to TILL_SCALE_SETTLE_MS for it to settle; zero, negative and
 * overload refused with a message); Ctrl+Shift+Z sets the tare, or clears it on an empty
 * scale. The weight reaches the checkout by till_checkout_give_weight(). */
#define G_LOG_DOMAIN "till-ui"

#include "config.h"

#include "till-cashier-window-private.h"
#include "till-quantity-window.h"

static char *
format_kg (gint64 milli)
{
  gint64 a = milli < 0 ? -milli : milli;

  return g_strdup_printf ("%s%" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT, milli < 0 ? "−" : "",
                          a / 1000, a % 1000);
}

static void
update_label (TillCashierWindow *self)
{
  TillScale *scale = till_context_get_scale (self->context);
  g_autofree char *weight = NULL;
  g_autofree char *text = NULL;
  gint64 tare = till_scale_get_tare_milli (scale);

  gtk_widget_set_visible (GTK_WIDGET (self->scale_label), till_scale_get_configured (scale));
  if (!till_scale_get_configured (scale))
    return;

  weight = format_kg (till_scale_get_weight_milli (scale));
  switch (till_scale_get_state (scale))
    {
    case TILL_SCALE_STATE_DISCONNECTED:
      text = g_strdup (_ ("Scale not connected"));
      break;
    case TILL_SCALE_STATE_ERROR:
      text = g_strdup (_ ("Scale not understood"));
      break;
    case TILL_SCALE_STATE_OVERLOAD:
      text = g_strdup (_ ("Scale overload"));
      break;
    case TILL_SCALE_STATE_NEGATIVE:
      text = g_strdup_printf (_ ("Scale %s kg, below zero"), weight);
      break;
    case TILL_SCALE_STATE_OK:
    default:
      if (till_scale_get_stable (scale))
        text = g_strdup_printf (_ ("Scale %s kg"), weight);
      else
        text = g_strdup_printf (_ ("Scale %s kg, unstable"), weight);
      break;
    }
  if (tare != 0)
    {
      g_autofree char *tare_text = format_kg (tare);
      g_autofree char *with_tare = g_strdup_printf (_ ("%s (tare %s kg)"), text, tare_text);

      g_free (text);
      text = g_steal_pointer (&with_tare);
    }
  gtk_label_set_text (self->scale_label, text);
  if (till_scale_get_state (scale) == TILL_SCALE_STATE_OK && till_scale_get_stable (scale))
    gtk_widget_remove_css_class (GTK_WIDGET (self->scale_label), "scale-attention");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->scale_label), "scale-attention");
}

/* ---- goods by kg ---- */

typedef struct
{
  TillCashierWindow *self;
  TillSaleLine *line;
} Weighing;

static void
weighing_free (Weighing *w)
{
  g_object_unref (w->self);
  g_object_unref (w->line);
  g_free (w);
}

static void
typed_weight_cb (TillQuantityWindow *window, gint64 qty_milli, TillCashierWindow *self)
{
  till_checkout_give_weight (self->checkout, till_quantity_window_get_line (window), qty_milli,
                             NULL);
}

static void
weighed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Weighing *w = user_data;
  TillCashierWindow *self = w->self;
  g_autoptr (GError) error = NULL;
  gint64 milli = 0;

  if (!till_scale_take_weight_finish (TILL_SCALE (object), result, &milli, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_message ("Scale weight not taken: %s", error->message);
          till_cashier_window_show_message (self, TILL_MESSAGE_ERROR, error->message);
          /* No scale to read: the cashier types the weight as without one. */
          if (g_error_matches (error, TILL_SCALE_ERROR, TILL_SCALE_ERROR_NOT_CONNECTED))
            {
              TillQuantityWindow *window
                  = till_quantity_window_new_weight (GTK_WINDOW (self), w->line);

              g_signal_connect_object (window, "quantity-chosen", G_CALLBACK (typed_weight_cb),
                                       self, 0);
              _till_cashier_window_present_modal (self, GTK_WINDOW (window));
            }
        }
      weighing_free (w);
      return;
    }

  g_debug ("Scale weight %" G_GINT64_FORMAT " g taken", milli);
  till_checkout_give_weight (self->checkout, w->line, milli, NULL);
  weighing_free (w);
}

gboolean
_till_cashier_window_scale_weigh (TillCashierWindow *self, TillSaleLine *line)
{
  TillScale *scale = till_context_get_scale (self->context);
  Weighing *w;

  if (!till_scale_get_configured (scale))
    return FALSE;

  /* The newest goods are the ones on the scale. */
  g_cancellable_cancel (self->scale_wait);
  g_clear_object (&self->scale_wait);
  self->scale_wait = g_cancellable_new ();

  w = g_new0 (Weighing, 1);
  w->self = g_object_ref (self);
  w->line = g_object_ref (line);
  till_scale_take_weight_async (scale, TILL_SCALE_SETTLE_MS, self->scale_wait, weighed_cb, w);
  return TRUE;
}

/* ---- the tare (Ctrl+Shift+Z) ---- */

static void
tare_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);
  TillScale *scale = till_context_get_scale (self->context);
  g_autoptr (GError) error = NULL;
  gint64 tare = 0;

  if (!till_scale_get_configured (scale))
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _ ("No scale is set up: choose one in Preferences"));
      return;
    }
  if (!till_scale_press_tare (scale, &tare, &error))
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR, error->message);
      return;
    }
  if (tare == 0)
    till_cashier_window_show_message (self, TILL_MESSAGE_INFO, _ ("Tare cleared"));
  else
    {
      g_autofree char *kg = format_kg (tare);
      g_autofree char *text = g_strdup_printf (_ ("Tare set: %s kg"), kg);

      till_cashier_window_show_message (self, TILL_MESSAGE_INFO, text);
    }
}

void
_till_cashier_window_scale_class_init (GtkWidgetClass *widget_class)
{
  /* Its key is a shortcut of the window in the capture phase (scale_init): the code entry
   * has the focus and GtkText binds Ctrl+Shift+Z to redo, which a class binding (bubble
   * phase) would never get past. */
  gtk_widget_class_install_action (widget_class, "cashier.scale-tare", NULL, tare_action_cb);
}

void
_till_cashier_window_scale_init (TillCashierWindow *self)
{
  TillScale *scale = till_context_get_scale (self->context);
  const char *props[] = { "notify::state",      "notify::weight-milli", "notify::stable",
                          "notify::tare-milli", "notify::port",         "notify::protocol" };
  GtkWidget *box = gtk_widget_get_parent (GTK_WIDGET (self->total_label));
  GtkEventController *keys = gtk_shortcut_controller_new ();

  /* Z for zero / tare */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (keys),
      gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK),
                        gtk_named_action_new ("cashier.scale-tare")));
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  self->scale_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->scale_label), "scale_label");
  gtk_label_set_xalign (self->scale_label, 1);
  gtk_widget_add_css_class (GTK_WIDGET (self->scale_label), "item-count");
  gtk_widget_add_css_class (GTK_WIDGET (self->scale_label), "numeric");
  gtk_widget_add_css_class (GTK_WIDGET (self->scale_label), "scale");
  gtk_widget_insert_after (GTK_WIDGET (self->scale_label), box, GTK_WIDGET (self->count_label));

  for (guint i = 0; i < G_N_ELEMENTS (props); i++)
    g_signal_connect_object (scale, props[i], G_CALLBACK (update_label), self, G_CONNECT_SWAPPED);
  update_label (self);
}

void
_till_cashier_window_scale_dispose (TillCashierWindow *self)
{
  g_cancellable_cancel (self->scale_wait);
  g_clear_object (&self->scale_wait);
}
