/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillQuantityWindow: the F2 modal that sets the quantity of the selected line. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-quantity-window.h"
#include "till-ui-util.h"

struct _TillQuantityWindow
{
  GtkWindow     parent_instance;

  TillSaleLine *line;

  GtkLabel     *heading_label;
  GtkLabel     *name_label;
  GtkEntry     *qty_entry;
  GtkLabel     *hint_label;
  GtkLabel     *error_label;
};

G_DEFINE_FINAL_TYPE (TillQuantityWindow, till_quantity_window, GTK_TYPE_WINDOW)

enum {
  QUANTITY_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

gboolean
till_quantity_window_confirm (TillQuantityWindow *self)
{
  g_autoptr(GError) error = NULL;
  gint64 qty_milli = 0;

  g_return_val_if_fail (TILL_IS_QUANTITY_WINDOW (self), FALSE);

  if (!till_ui_parse_qty (gtk_editable_get_text (GTK_EDITABLE (self->qty_entry)),
                          till_sale_line_get_weighed (self->line), &qty_milli, &error))
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->qty_entry), "error");
      gtk_widget_error_bell (GTK_WIDGET (self));
      return FALSE;
    }

  g_signal_emit (self, signals[QUANTITY_CHOSEN], 0, qty_milli);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
qty_entry_activate_cb (GtkEntry           *entry,
                       TillQuantityWindow *self)
{
  till_quantity_window_confirm (self);
}

static void
qty_entry_changed_cb (GtkEditable        *editable,
                      TillQuantityWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->qty_entry), "error");
}

static void
confirm_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  till_quantity_window_confirm (TILL_QUANTITY_WINDOW (widget));
}

static void
till_quantity_window_dispose (GObject *object)
{
  TillQuantityWindow *self = TILL_QUANTITY_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_QUANTITY_WINDOW);
  g_clear_object (&self->line);

  G_OBJECT_CLASS (till_quantity_window_parent_class)->dispose (object);
}

static void
till_quantity_window_class_init (TillQuantityWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_quantity_window_dispose;

  signals[QUANTITY_CHOSEN] =
    g_signal_new ("quantity-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-quantity-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillQuantityWindow, heading_label);
  gtk_widget_class_bind_template_child (widget_class, TillQuantityWindow, name_label);
  gtk_widget_class_bind_template_child (widget_class, TillQuantityWindow, qty_entry);
  gtk_widget_class_bind_template_child (widget_class, TillQuantityWindow, hint_label);
  gtk_widget_class_bind_template_child (widget_class, TillQuantityWindow, error_label);
  gtk_widget_class_bind_template_callback (widget_class, qty_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, qty_entry_changed_cb);

  gtk_widget_class_install_action (widget_class, "quantity.confirm", NULL, confirm_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
till_quantity_window_init (TillQuantityWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TillQuantityWindow *
till_quantity_window_new (GtkWindow    *parent,
                          TillSaleLine *line)
{
  TillQuantityWindow *self;
  g_autofree char *qty = NULL;
  gint64 qty_milli;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TILL_IS_SALE_LINE (line), NULL);

  self = g_object_new (TILL_TYPE_QUANTITY_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->line = g_object_ref (line);

  gtk_label_set_text (self->name_label, till_sale_line_get_name (line));
  qty_milli = till_sale_line_get_qty_milli (line);
  if (till_sale_line_get_weighed (line))
    {
      qty = g_strdup_printf ("%" G_GINT64_FORMAT ".%03d", qty_milli / 1000,
                             (int) (qty_milli % 1000));
      gtk_label_set_text (self->hint_label,
                          _("Weight in kg, up to 3 decimals"));
    }
  else
    {
      qty = g_strdup_printf ("%" G_GINT64_FORMAT, qty_milli / 1000);
      gtk_label_set_text (self->hint_label, _("Number of items"));
    }
  gtk_editable_set_text (GTK_EDITABLE (self->qty_entry), qty);
  gtk_editable_select_region (GTK_EDITABLE (self->qty_entry), 0, -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->qty_entry));

  return self;
}

TillQuantityWindow *
till_quantity_window_new_weight (GtkWindow    *parent,
                                 TillSaleLine *line)
{
  TillQuantityWindow *self = till_quantity_window_new (parent, line);

  gtk_editable_set_text (GTK_EDITABLE (self->qty_entry), "");
  gtk_label_set_text (self->heading_label, _("Weight"));
  gtk_window_set_title (GTK_WINDOW (self), _("Weight"));
  gtk_label_set_text (self->hint_label,
                      _("Weigh the goods and enter the weight in kg (up to 3 decimals)"));
  return self;
}

TillSaleLine *
till_quantity_window_get_line (TillQuantityWindow *self)
{
  g_return_val_if_fail (TILL_IS_QUANTITY_WINDOW (self), NULL);
  return self->line;
}

GtkEditable *
till_quantity_window_get_entry (TillQuantityWindow *self)
{
  g_return_val_if_fail (TILL_IS_QUANTITY_WINDOW (self), NULL);
  return GTK_EDITABLE (self->qty_entry);
}
