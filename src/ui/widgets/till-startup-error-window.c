/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillStartupErrorWindow: why the till cannot start, and what to do about it. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "till-startup-error-window.h"

struct _TillStartupErrorWindow
{
  AdwWindow      parent_instance;

  AdwStatusPage *status_page;
  GtkLabel      *body_label;
  GtkButton     *quit_button;
  GtkWidget     *restore_box;
  GtkEditable   *pin_entry;
  GtkButton     *restore_button;
  GtkLabel      *restore_label;

  TillStartupRestoreHook restore_before;
  TillStartupRestoreFunc restore_func;
  TillStartupRestoreHook restore_after;
  gpointer               restore_data;
  gboolean               restoring;
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
  gtk_widget_class_bind_template_child (widget_class, TillStartupErrorWindow, restore_box);
  gtk_widget_class_bind_template_child (widget_class, TillStartupErrorWindow, pin_entry);
  gtk_widget_class_bind_template_child (widget_class, TillStartupErrorWindow, restore_button);
  gtk_widget_class_bind_template_child (widget_class, TillStartupErrorWindow, restore_label);

  /* There is only one thing to do: every way out quits. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "window.close",
                                       NULL);
}

/* ---- the restore offer ---- */

static void
restore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  TillStartupErrorWindow *self = source_object;
  GError *error = NULL;
  char *text = self->restore_func (task_data, self->restore_data, &error);

  if (text == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, text, g_free);
}

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  TillStartupErrorWindow *self = TILL_STARTUP_ERROR_WINDOW (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_task_propagate_pointer (G_TASK (result), &error);

  self->restoring = FALSE;
  if (self->restore_after != NULL)
    self->restore_after (text != NULL, self->restore_data);
  if (self->restore_label == NULL)
    return;  /* the window was closed meanwhile */
  gtk_widget_set_visible (GTK_WIDGET (self->restore_label), TRUE);
  if (text != NULL)
    {
      gtk_label_set_text (self->restore_label, text);
      gtk_widget_remove_css_class (GTK_WIDGET (self->restore_label), "error");
      gtk_widget_set_visible (GTK_WIDGET (self->pin_entry), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->restore_button), FALSE);
      gtk_widget_grab_focus (GTK_WIDGET (self->quit_button));
      return;
    }
  gtk_label_set_text (self->restore_label, error->message);
  gtk_widget_add_css_class (GTK_WIDGET (self->restore_label), "error");
  gtk_widget_set_sensitive (GTK_WIDGET (self->restore_button), TRUE);
  gtk_editable_set_text (self->pin_entry, "");
  gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));
}

static void
restore_clicked_cb (TillStartupErrorWindow *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->restoring || self->restore_func == NULL)
    return;
  self->restoring = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->restore_button), FALSE);
  gtk_label_set_text (self->restore_label, _("Restoring the backup…"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->restore_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->restore_label), TRUE);
  if (self->restore_before != NULL)
    self->restore_before (TRUE, self->restore_data);

  /* Copying and checking a database, hashing a PIN: not on this thread. */
  task = g_task_new (self, NULL, restored_cb, NULL);
  g_task_set_source_tag (task, restore_clicked_cb);
  g_task_set_task_data (task, g_strdup (gtk_editable_get_text (self->pin_entry)), g_free);
  g_task_run_in_thread (task, restore_thread);
}

void
till_startup_error_window_offer_restore (TillStartupErrorWindow *self,
                                         TillStartupRestoreHook  before,
                                         TillStartupRestoreFunc  func,
                                         TillStartupRestoreHook  after,
                                         gpointer                data)
{
  g_return_if_fail (TILL_IS_STARTUP_ERROR_WINDOW (self));
  g_return_if_fail (func != NULL);

  self->restore_before = before;
  self->restore_func = func;
  self->restore_after = after;
  self->restore_data = data;
  gtk_widget_set_visible (self->restore_box, TRUE);
}

static void
till_startup_error_window_init (TillStartupErrorWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->restore_button, "clicked", G_CALLBACK (restore_clicked_cb),
                            self);
  g_signal_connect_swapped (self->pin_entry, "activate", G_CALLBACK (restore_clicked_cb), self);
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
