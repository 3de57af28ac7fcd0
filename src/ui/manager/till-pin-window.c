/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillPinWindow: the manager approval prompt. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-pin-window.h"
#include "till-shift.h"
#include "till-signin-window.h"
#include "till-ui-util.h"

struct _TillPinWindow
{
  GtkWindow           parent_instance;

  TillContext        *context;
  TillApprovalAction  action;
  char               *detail_json;
  GCancellable       *cancellable;
  gboolean            busy;
  gboolean            approved;
  char               *message;

  GtkLabel           *heading_label;
  GtkLabel           *body_label;
  GtkPasswordEntry   *pin_entry;
  GtkLabel           *message_label;
  GtkLabel           *demo_label;
  GtkButton          *setup_button;
  GtkButton          *ok_button;
};

G_DEFINE_FINAL_TYPE (TillPinWindow, till_pin_window, GTK_TYPE_WINDOW)

enum {
  APPROVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

const char *
till_approval_action_label (TillApprovalAction action)
{
  switch (action)
    {
    case TILL_APPROVAL_REFUND: return _("Refund");
    case TILL_APPROVAL_VOID_PAID_SALE: return _("Void a paid sale");
    case TILL_APPROVAL_PRICE_OVERRIDE: return _("Price override");
    case TILL_APPROVAL_DISCOUNT: return _("Discount");
    case TILL_APPROVAL_REPORTS: return _("View reports");
    case TILL_APPROVAL_SETTINGS: return _("Settings");
    case TILL_APPROVAL_DAY_CLOSE: return _("Day close");
    case TILL_APPROVAL_CASH_MOVEMENT: return _("Cash in/out");
    case TILL_APPROVAL_RETURN: return _("Return without receipt");
    case TILL_APPROVAL_PRODUCTS: return _("Products");
    case TILL_APPROVAL_RECEIVING: return _("Receive goods");
    case TILL_APPROVAL_STOCKTAKE: return _("Stocktake");
    case TILL_APPROVAL_MEMBERS: return _("Members");
    default: return "";
    }
}

static void
show_message (TillPinWindow *self,
              const char    *text)
{
  /* The template gives the label its "error-text" class; it keeps it. */
  till_ui_show_message (self->message_label, &self->message, text, TRUE);
}

static void
set_busy (TillPinWindow *self,
          gboolean       busy)
{
  /* The entry stays sensitive (an insensitive entry loses the focus without a focus-out);
   * Enter is ignored while busy. */
  self->busy = busy;
  gtk_editable_set_editable (GTK_EDITABLE (self->pin_entry), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pin.submit", !busy);
  if (!busy)
    gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));
}

typedef struct
{
  TillPeople         *people;
  char               *pin;
  TillApprovalAction  action;
  char               *detail_json;
} ApproveData;

static void
approve_data_free (gpointer data)
{
  ApproveData *ad = data;

  g_clear_object (&ad->people);
  if (ad->pin != NULL)
    memset (ad->pin, 0, strlen (ad->pin));
  g_free (ad->pin);
  g_free (ad->detail_json);
  g_free (ad);
}

static gpointer
approve_job (TillStore *store,
             gpointer   data,
             GError   **error)
{
  ApproveData *ad = data;

  return till_people_approve (ad->people, ad->pin, ad->action, ad->detail_json, NULL, error);
}

static void
approve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TillPinWindow) self = user_data;
  g_autoptr(TillPerson) manager = NULL;
  g_autoptr(GError) error = NULL;

  manager = till_store_run_finish (TILL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (manager == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, TILL_STORE_ERROR, TILL_STORE_ERROR_LOCKED))
        text = g_strdup_printf (_("PIN locked: %s"), error->message);
      else if (g_error_matches (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED))
        text = g_strdup_printf (_("Wrong PIN %s"), error->message);
      else
        text = g_strdup_printf (_("Cannot approve: %s"), error->message);
      show_message (self, text);
      gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  g_message ("%s approved %s", manager->name, till_approval_action_to_string (self->action));
  self->approved = TRUE;
  show_message (self, "");
  g_signal_emit (self, signals[APPROVED], 0, manager);
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_window_close (GTK_WINDOW (self));
}

void
till_pin_window_set_pin (TillPinWindow *self,
                         const char    *pin)
{
  g_return_if_fail (TILL_IS_PIN_WINDOW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), pin != NULL ? pin : "");
}

void
till_pin_window_submit (TillPinWindow *self)
{
  ApproveData *ad;
  const char *pin;

  g_return_if_fail (TILL_IS_PIN_WINDOW (self));

  if (self->busy || self->approved)
    return;
  pin = gtk_editable_get_text (GTK_EDITABLE (self->pin_entry));
  if (pin[0] == '\0')
    {
      show_message (self, _("Type the manager's PIN"));
      return;
    }

  ad = g_new0 (ApproveData, 1);
  ad->people = g_object_ref (till_shift_get_people (till_context_get_shift (self->context)));
  ad->pin = g_strdup (pin);
  ad->action = self->action;
  ad->detail_json = g_strdup (self->detail_json);
  set_busy (self, TRUE);
  show_message (self, _("Checking…"));
  till_store_run_async (till_context_get_store (self->context), approve_job, ad,
                        approve_data_free, (GDestroyNotify) till_person_free,
                        self->cancellable, approve_cb, g_object_ref (self));
}

const char *
till_pin_window_get_message (TillPinWindow *self)
{
  g_return_val_if_fail (TILL_IS_PIN_WINDOW (self), "");
  return self->message != NULL ? self->message : "";
}

gboolean
till_pin_window_get_busy (TillPinWindow *self)
{
  g_return_val_if_fail (TILL_IS_PIN_WINDOW (self), FALSE);
  return self->busy;
}

static void
pin_activate_cb (GtkPasswordEntry *entry,
                 TillPinWindow    *self)
{
  till_pin_window_submit (self);
}

static void
submit_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  till_pin_window_submit (TILL_PIN_WINDOW (widget));
}

static void
setup_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TillPinWindow *self = TILL_PIN_WINDOW (widget);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  TillSigninWindow *signin = till_signin_window_new (parent, self->context, FALSE);

  gtk_window_close (GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (signin));
}

static gpointer
needs_manager_job (TillStore *store,
                   gpointer   data,
                   GError   **error)
{
  gboolean needs = till_people_needs_first_manager (TILL_PEOPLE (data), error);

  return GINT_TO_POINTER (needs ? 2 : 1);
}

static void
needs_manager_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(TillPinWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  int answer = GPOINTER_TO_INT (till_store_run_finish (TILL_STORE (object), result, &error));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (answer == 0)
    {
      g_autofree char *text = g_strdup_printf (_("Cannot read the staff list: %s"),
                                               error->message);
      show_message (self, text);
      return;
    }
  if (answer == 2)
    {
      show_message (self, _("There is no manager yet: create the first manager, then try again."));
      gtk_widget_set_visible (GTK_WIDGET (self->setup_button), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->setup_button));
      gtk_widget_set_sensitive (GTK_WIDGET (self->pin_entry), FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "pin.submit", FALSE);
    }
}

static void
till_pin_window_dispose (GObject *object)
{
  TillPinWindow *self = TILL_PIN_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  /* An entry that goes away with the focus warns that it saw no focus-out. */
  gtk_window_set_focus (GTK_WINDOW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_PIN_WINDOW);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (till_pin_window_parent_class)->dispose (object);
}

static void
till_pin_window_finalize (GObject *object)
{
  TillPinWindow *self = TILL_PIN_WINDOW (object);

  g_free (self->detail_json);
  g_free (self->message);

  G_OBJECT_CLASS (till_pin_window_parent_class)->finalize (object);
}

static void
till_pin_window_class_init (TillPinWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_pin_window_dispose;
  object_class->finalize = till_pin_window_finalize;

  signals[APPROVED] =
    g_signal_new ("approved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, TILL_TYPE_PERSON);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-pin-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillPinWindow, heading_label);
  gtk_widget_class_bind_template_child (widget_class, TillPinWindow, body_label);
  gtk_widget_class_bind_template_child (widget_class, TillPinWindow, pin_entry);
  gtk_widget_class_bind_template_child (widget_class, TillPinWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, TillPinWindow, demo_label);
  gtk_widget_class_bind_template_child (widget_class, TillPinWindow, setup_button);
  gtk_widget_class_bind_template_child (widget_class, TillPinWindow, ok_button);
  gtk_widget_class_bind_template_callback (widget_class, pin_activate_cb);

  gtk_widget_class_install_action (widget_class, "pin.submit", NULL, submit_action_cb);
  gtk_widget_class_install_action (widget_class, "pin.setup", NULL, setup_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
till_pin_window_init (TillPinWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

TillPinWindow *
till_pin_window_new (GtkWindow          *parent,
                     TillContext        *context,
                     TillApprovalAction  action,
                     const char         *detail_json,
                     const char         *what)
{
  TillPinWindow *self;
  g_autofree char *heading = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  self = g_object_new (TILL_TYPE_PIN_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->context = g_object_ref (context);
  self->action = action;
  self->detail_json = g_strdup (detail_json);

  heading = g_strdup_printf (_("Manager approval: %s"),
                             till_approval_action_label (action));
  gtk_label_set_text (self->heading_label, heading);
  gtk_label_set_text (self->body_label, what != NULL ? what : "");
  gtk_widget_set_visible (GTK_WIDGET (self->body_label), what != NULL && what[0] != '\0');
  if (till_context_get_demo (context))
    {
      gtk_label_set_text (self->demo_label, _("Demo: manager PIN 8888"));
      gtk_widget_set_visible (GTK_WIDGET (self->demo_label), TRUE);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));

  till_store_run_async (till_context_get_store (context), needs_manager_job,
                        g_object_ref (till_shift_get_people (till_context_get_shift (context))),
                        g_object_unref, NULL, self->cancellable, needs_manager_cb,
                        g_object_ref (self));
  return self;
}
