/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillStartupErrorWindow: why the till cannot start, and what to do about it. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib-unix.h>

#include "till-startup-error-window.h"

struct _TillStartupErrorWindow
{
  AdwWindow      parent_instance;

  AdwStatusPage *status_page;
  GtkLabel      *body_label;
  GtkButton     *quit_button;
};

G_DEFINE_FINAL_TYPE (TillStartupErrorWindow, till_startup_error_window, ADW_TYPE_WINDOW)

static void
till_startup_error_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TILL_TYPE_STARTUP_ERROR_WINDOW);

  G_OBJECT_CLASS (till_startup_error_window_parent_class)->dispose (object);
}

static void
till_startup_error_window_class_init (TillStartupErrorWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_startup_error_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, TILL_RESOURCE_PREFIX
                                               "/ui/till-startup-error-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillStartupErrorWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, TillStartupErrorWindow, body_label);
  gtk_widget_class_bind_template_child (widget_class, TillStartupErrorWindow, quit_button);

  /* There is only one thing to do: every way out quits. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "window.close",
                                       NULL);
}

static void
till_startup_error_window_init (TillStartupErrorWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TillStartupErrorWindow *
till_startup_error_window_new (const char *heading,
                               const char *body)
{
  TillStartupErrorWindow *self;

  g_return_val_if_fail (heading != NULL, NULL);

  self = g_object_new (TILL_TYPE_STARTUP_ERROR_WINDOW, NULL);
  adw_status_page_set_title (self->status_page, heading);
  gtk_label_set_text (self->body_label, body != NULL ? body : "");
  gtk_widget_set_visible (GTK_WIDGET (self->body_label), body != NULL && body[0] != '\0');
  /* Not a selectable label: focused first, it would swallow Enter and select its text. */
  gtk_widget_grab_focus (GTK_WIDGET (self->quit_button));
  return self;
}

static void
destroyed_cb (GtkWidget *widget,
              gpointer   user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
}

static gboolean
quit_signal_cb (gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

void
till_startup_error_window_run (TillStartupErrorWindow *self)
{
  gboolean done = FALSE;
  guint sigint_id, sigterm_id;

  g_return_if_fail (TILL_IS_STARTUP_ERROR_WINDOW (self));

  g_signal_connect (self, "destroy", G_CALLBACK (destroyed_cb), &done);
  sigint_id = g_unix_signal_add (SIGINT, quit_signal_cb, self);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_signal_cb, self);

  gtk_window_present (GTK_WINDOW (self));
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
}
