/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillMemberPinWindow: a member's new PIN, typed twice, hashed and stored off the UI thread. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "till-member-pin-window.h"
#include "till-member-pin.h"

struct _TillMemberPinWindow
{
  GtkWindow parent_instance;

  TillContext *context;
  GCancellable *cancellable;
  gint64 member_id;
  char *who;
  char *message;
  gboolean busy;

  GtkLabel *heading_label;
  GtkPasswordEntry *pin_entry;
  GtkPasswordEntry *again_entry;
  GtkLabel *message_label;
};

G_DEFINE_FINAL_TYPE (TillMemberPinWindow, till_member_pin_window, GTK_TYPE_WINDOW)

enum
{
  SIGNAL_PIN_SET,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_message (TillMemberPinWindow *self, const char *text)
{
  g_free (self->message);
  self->message = g_strdup (text != NULL ? text : "");
  gtk_label_set_text (self->message_label, self->message);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), *self->message != '\0');
}

typedef struct
{
  gint64 member_id;
  char *pin;
  char *who;
} SetJob;

static void
set_job_free (gpointer data)
{
  SetJob *job = data;

  if (job->pin != NULL)
    memset (job->pin, 0, strlen (job->pin));
  g_free (job->pin);
  g_free (job->who);
  g_free (job);
}

static gpointer
set_job (TillStore *store, gpointer data, GError **error)
{
  SetJob *job = data;

  if (!till_member_pin_set (store, job->member_id, job->pin, job->who, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
set_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillMemberPinWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  self->busy = FALSE;
  if (till_store_run_finish (TILL_STORE (object), result, &error) == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_message ("Member %" G_GINT64_FORMAT ": PIN not set: %s", self->member_id,
                 error != NULL ? error->message : "?");
      show_message (self, error != NULL ? error->message : _ ("The PIN could not be stored"));
      gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_PIN_SET], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
clear_entries (TillMemberPinWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->again_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));
}

static void
set_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillMemberPinWindow *self = TILL_MEMBER_PIN_WINDOW (widget);
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->pin_entry));
  const char *again = gtk_editable_get_text (GTK_EDITABLE (self->again_entry));
  g_autoptr (GError) error = NULL;
  SetJob *job;

  if (self->busy)
    return;
  if (!till_member_pin_check_format (pin, &error))
    {
      show_message (self, error->message);
      clear_entries (self);
      return;
    }
  if (strcmp (pin, again) != 0)
    {
      show_message (self, _ ("The two PINs differ: type the PIN twice again"));
      clear_entries (self);
      return;
    }
  show_message (self, NULL);
  job = g_new0 (SetJob, 1);
  job->member_id = self->member_id;
  job->pin = g_strdup (pin);
  job->who = g_strdup (self->who);
  self->busy = TRUE;
  till_store_run_async (till_context_get_store (self->context), set_job, job, set_job_free, NULL,
                        self->cancellable, set_done_cb, g_object_ref (self));
}

static void
pin_activate_cb (GtkPasswordEntry *entry, TillMemberPinWindow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->again_entry));
}

static void
again_activate_cb (GtkPasswordEntry *entry, TillMemberPinWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "member-pin.set", NULL);
}

static void
till_member_pin_window_dispose (GObject *object)
{
  TillMemberPinWindow *self = TILL_MEMBER_PIN_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_MEMBER_PIN_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (till_member_pin_window_parent_class)->dispose (object);
}

static void
till_member_pin_window_finalize (GObject *object)
{
  TillMemberPinWindow *self = TILL_MEMBER_PIN_WINDOW (object);

  g_free (self->who);
  g_free (self->message);

  G_OBJECT_CLASS (till_member_pin_window_parent_class)->finalize (object);
}

static void
till_member_pin_window_class_init (TillMemberPinWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_member_pin_window_dispose;
  object_class->finalize = till_member_pin_window_finalize;

  signals[SIGNAL_PIN_SET] = g_signal_new ("pin-set", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tillpoint/Tillpoint/ui/"
                                                             "till-member-pin-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillMemberPinWindow, heading_label);
  gtk_widget_class_bind_template_child (widget_class, TillMemberPinWindow, pin_entry);
  gtk_widget_class_bind_template_child (widget_class, TillMemberPinWindow, again_entry);
  gtk_widget_class_bind_template_child (widget_class, TillMemberPinWindow, message_label);
  gtk_widget_class_bind_template_callback (widget_class, pin_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, again_activate_cb);

  gtk_widget_class_install_action (widget_class, "member-pin.set", NULL, set_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
till_member_pin_window_init (TillMemberPinWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->message = g_strdup ("");
}

TillMemberPinWindow *
till_member_pin_window_new (GtkWindow *parent, TillContext *context, gint64 member_id,
                            const char *name, const char *who)
{
  TillMemberPinWindow *self;
  g_autofree char *heading = NULL;

  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (member_id > 0, NULL);

  self = g_object_new (TILL_TYPE_MEMBER_PIN_WINDOW, "transient-for", parent, "modal",
                       parent != NULL, "destroy-with-parent", TRUE, NULL);
  self->context = g_object_ref (context);
  self->member_id = member_id;
  self->who = g_strdup (who != NULL && *who != '\0' ? who : "till");
  heading = g_strdup_printf (_ ("PIN for “%s”"), name != NULL ? name : "");
  gtk_label_set_text (self->heading_label, heading);
  gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));
  return self;
}

const char *
till_member_pin_window_get_message (TillMemberPinWindow *self)
{
  g_return_val_if_fail (TILL_IS_MEMBER_PIN_WINDOW (self), "");
  return self->message;
}

gboolean
till_member_pin_window_get_busy (TillMemberPinWindow *self)
{
  g_return_val_if_fail (TILL_IS_MEMBER_PIN_WINDOW (self), FALSE);
  return self->busy;
}
