/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillConfirmWindow: "are you sure" for destructive commands, without GtkDialog. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include "till-confirm-window.h"

struct _TillConfirmWindow
{
  GtkWindow  parent_instance;

  GtkLabel  *heading_label;
  GtkLabel  *body_label;
  GtkButton *confirm_button;
};

G_DEFINE_FINAL_TYPE (TillConfirmWindow, till_confirm_window, GTK_TYPE_WINDOW)

enum {
  CONFIRMED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
till_confirm_window_confirm (TillConfirmWindow *self)
{
  g_return_if_fail (TILL_IS_CONFIRM_WINDOW (self));

  g_signal_emit (self, signals[CONFIRMED], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
confirm_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  till_confirm_window_confirm (TILL_CONFIRM_WINDOW (widget));
}

static void
till_confirm_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TILL_TYPE_CONFIRM_WINDOW);

  G_OBJECT_CLASS (till_confirm_window_parent_class)->dispose (object);
}

static void
till_confirm_window_class_init (TillConfirmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_confirm_window_dispose;

  signals[CONFIRMED] =
    g_signal_new ("confirmed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-confirm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillConfirmWindow, heading_label);
  gtk_widget_class_bind_template_child (widget_class, TillConfirmWindow, body_label);
  gtk_widget_class_bind_template_child (widget_class, TillConfirmWindow, confirm_button);

  gtk_widget_class_install_action (widget_class, "confirm.confirm", NULL, confirm_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "confirm.confirm", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "confirm.confirm",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
till_confirm_window_init (TillConfirmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TillConfirmWindow *
till_confirm_window_new (GtkWindow  *parent,
                         const char *heading,
                         const char *body,
                         const char *confirm_label)
{
  TillConfirmWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (heading != NULL, NULL);

  self = g_object_new (TILL_TYPE_CONFIRM_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       "destroy-with-parent", TRUE,
                       "title", heading,
                       NULL);
  gtk_label_set_text (self->heading_label, heading);
  gtk_label_set_text (self->body_label, body != NULL ? body : "");
  gtk_widget_set_visible (GTK_WIDGET (self->body_label), body != NULL);
  if (confirm_label != NULL)
    gtk_button_set_label (self->confirm_button, confirm_label);
  gtk_widget_grab_focus (GTK_WIDGET (self->confirm_button));

  return self;
}

const char *
till_confirm_window_get_body (TillConfirmWindow *self)
{
  g_return_val_if_fail (TILL_IS_CONFIRM_WINDOW (self), NULL);
  return gtk_label_get_text (self->body_label);
}
