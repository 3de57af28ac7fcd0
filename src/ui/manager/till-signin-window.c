/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillSigninWindow: cashier sign-in and the first manager. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-pin.h"
#include "till-shift.h"
#include "till-signin-window.h"
#include "till-start-trace.h"
#include "till-ui-util.h"

struct _TillSigninWindow
{
  GtkWindow         parent_instance;

  TillContext      *context;
  GCancellable     *cancellable;
  GArray           *person_ids;     /* gint64, in drop-down order */
  gboolean          required;
  gboolean          busy;
  gboolean          signed_in;
  char             *message;

  GtkStack         *stack;
  GtkDropDown      *person_dropdown;
  GtkPasswordEntry *pin_entry;
  GtkBox           *float_box;
  GtkEntry         *float_entry;
  gint64            float_fen;
  GtkEntry         *name_entry;
  GtkPasswordEntry *new_pin_entry;
  GtkPasswordEntry *repeat_pin_entry;
  GtkLabel         *message_label;
  GtkLabel         *demo_label;
  GtkButton        *cancel_button;
  GtkButton        *ok_button;
};

G_DEFINE_FINAL_TYPE (TillSigninWindow, till_signin_window, GTK_TYPE_WINDOW)

enum {
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_message (TillSigninWindow *self,
              const char       *text)
{
  /* The template gives the label its "error-text" class; it keeps it. */
  till_ui_show_message (self->message_label, &self->message, text, TRUE);
}

static void
set_busy (TillSigninWindow *self,
          gboolean          busy)
{
  self->busy = busy;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "signin.submit", !busy);
}

/* ---- loading the people ---- */

typedef struct
{
  GPtrArray *people;   /* TillPerson*, active */
  gboolean   needs_manager;
} LoadResult;

static void
load_result_free (gpointer data)
{
  LoadResult *lr = data;

  g_clear_pointer (&lr->people, g_ptr_array_unref);
  g_free (lr);
}

static gpointer
load_job (TillStore *store,
          gpointer   data,
          GError   **error)
{
  LoadResult *lr = g_new0 (LoadResult, 1);

  lr->people = till_store_people_list (store, FALSE, error);
  if (lr->people == NULL)
    {
      load_result_free (lr);
      return NULL;
    }
  lr->needs_manager = till_people_needs_first_manager (TILL_PEOPLE (data), error);
  return lr;
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TillSigninWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) names = NULL;
  LoadResult *lr;

  lr = till_store_run_finish (TILL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (lr == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Cannot read the staff list: %s"),
                                               error->message);
      show_message (self, text);
      return;
    }

  if (lr->needs_manager)
    {
      gtk_stack_set_visible_child_name (self->stack, "setup");
      gtk_button_set_label (self->ok_button, _("Create and sign in (Enter)"));
      gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
    }
  else
    {
      names = gtk_string_list_new (NULL);
      g_array_set_size (self->person_ids, 0);
      for (guint i = 0; i < lr->people->len; i++)
        {
          const TillPerson *p = g_ptr_array_index (lr->people, i);
          g_autofree char *label = NULL;

          if (!p->has_pin)
            continue;
          label = g_strdup_printf ("%s · %s", p->name,
                                   p->role == TILL_ROLE_MANAGER ? _("Manager")
                                                                : _("Cashier"));
          gtk_string_list_append (names, label);
          g_array_append_val (self->person_ids, p->id);
          g_object_set_data_full (G_OBJECT (self), label, g_strdup (p->name), g_free);
        }
      gtk_drop_down_set_model (self->person_dropdown, G_LIST_MODEL (names));
      gtk_stack_set_visible_child_name (self->stack, "signin");
      gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));
      till_start_trace_mark ("signin-ready");
    }
  set_busy (self, FALSE);
  load_result_free (lr);
}

/* ---- signing in ---- */

typedef struct
{
  TillPeople *people;
  gint64      person_id;
  char       *name;       /* setup: the new manager */
  char       *pin;
} SigninData;

static void
signin_data_free (gpointer data)
{
  SigninData *sd = data;

  g_clear_object (&sd->people);
  g_free (sd->name);
  if (sd->pin != NULL)
    memset (sd->pin, 0, strlen (sd->pin));
  g_free (sd->pin);
  g_free (sd);
}

static gpointer
signin_job (TillStore *store,
            gpointer   data,
            GError   **error)
{
  SigninData *sd = data;

  if (sd->name != NULL)
    {
      sd->person_id = till_people_add (sd->people, sd->name, TILL_ROLE_MANAGER, sd->pin,
                                       "setup", error);
      if (sd->person_id == 0)
        return NULL;
    }
  return till_people_sign_in (sd->people, sd->person_id, sd->pin, error);
}

static void
signin_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TillSigninWindow) self = user_data;
  g_autoptr(TillPerson) person = NULL;
  g_autoptr(GError) error = NULL;

  person = till_store_run_finish (TILL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (person == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, TILL_STORE_ERROR, TILL_STORE_ERROR_LOCKED))
        text = g_strdup_printf (_("PIN locked: %s"), error->message);
      else if (g_error_matches (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED))
        text = g_strdup_printf (_("Wrong PIN %s"), error->message);
      else
        text = g_strdup_printf (_("Cannot sign in: %s"), error->message);
      show_message (self, text);
      gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  self->signed_in = TRUE;
  till_shift_set_person (till_context_get_shift (self->context), person);
  show_message (self, "");
  g_signal_emit (self, signals[SIGNED_IN], 0, person);
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_window_close (GTK_WINDOW (self));
}

void
till_signin_window_submit (TillSigninWindow *self)
{
  const char *page;
  SigninData *sd;

  g_return_if_fail (TILL_IS_SIGNIN_WINDOW (self));

  if (self->busy || self->signed_in)
    return;

  page = gtk_stack_get_visible_child_name (self->stack);
  sd = g_new0 (SigninData, 1);
  sd->people = g_object_ref (till_shift_get_people (till_context_get_shift (self->context)));

  if (g_strcmp0 (page, "setup") == 0)
    {
      g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
      const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->new_pin_entry));
      const char *again = gtk_editable_get_text (GTK_EDITABLE (self->repeat_pin_entry));
      g_autoptr(GError) error = NULL;

      if (name[0] == '\0')
        {
          show_message (self, _("Type a name"));
          signin_data_free (sd);
          return;
        }
      if (!till_pin_check_format (pin, &error))
        {
          show_message (self, error->message);
          signin_data_free (sd);
          return;
        }
      if (g_strcmp0 (pin, again) != 0)
        {
          show_message (self, _("The two PINs differ"));
          gtk_editable_set_text (GTK_EDITABLE (self->repeat_pin_entry), "");
          signin_data_free (sd);
          return;
        }
      sd->name = g_steal_pointer (&name);
      sd->pin = g_strdup (pin);
    }
  else if (g_strcmp0 (page, "signin") == 0)
    {
      guint selected = gtk_drop_down_get_selected (self->person_dropdown);
      const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->pin_entry));

      if (selected == GTK_INVALID_LIST_POSITION || selected >= self->person_ids->len)
        {
          show_message (self, _("Pick your name"));
          signin_data_free (sd);
          return;
        }
      if (pin[0] == '\0')
        {
          show_message (self, _("Type your PIN"));
          signin_data_free (sd);
          return;
        }
      /* No shift open: this sign-in opens one with the float typed (empty: none). */
      if (gtk_widget_get_visible (GTK_WIDGET (self->float_box)))
        {
          const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->float_entry));

          self->float_fen = 0;
          if (*typed != '\0' && (!till_money_parse (typed, &self->float_fen, NULL)
                                 || self->float_fen < 0))
            {
              g_message ("Sign-in refused: the float is not an amount");
              show_message (self, _("Type the float handed over as an amount, e.g. 300.00"));
              signin_data_free (sd);
              return;
            }
        }
      sd->person_id = g_array_index (self->person_ids, gint64, selected);
      sd->pin = g_strdup (pin);
    }
  else
    {
      signin_data_free (sd);
      return;
    }

  set_busy (self, TRUE);
  show_message (self, _("Checking…"));
  till_store_run_async (till_context_get_store (self->context), signin_job, sd,
                        signin_data_free, (GDestroyNotify) till_person_free,
                        self->cancellable, signin_cb, g_object_ref (self));
}

const char *
till_signin_window_get_page (TillSigninWindow *self)
{
  g_return_val_if_fail (TILL_IS_SIGNIN_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
till_signin_window_select_person (TillSigninWindow *self,
                                  const char       *name)
{
  GListModel *model;

  g_return_val_if_fail (TILL_IS_SIGNIN_WINDOW (self), FALSE);

  model = gtk_drop_down_get_model (self->person_dropdown);
  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      const char *label = gtk_string_list_get_string (GTK_STRING_LIST (model), i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (self), label), name) == 0)
        {
          gtk_drop_down_set_selected (self->person_dropdown, i);
          return TRUE;
        }
    }
  return FALSE;
}

void
till_signin_window_set_pin (TillSigninWindow *self,
                            const char       *pin)
{
  g_return_if_fail (TILL_IS_SIGNIN_WINDOW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), pin != NULL ? pin : "");
}

void
till_signin_window_set_setup (TillSigninWindow *self,
                              const char       *name,
                              const char       *pin,
                              const char       *pin_again)
{
  g_return_if_fail (TILL_IS_SIGNIN_WINDOW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name != NULL ? name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_pin_entry), pin != NULL ? pin : "");
  gtk_editable_set_text (GTK_EDITABLE (self->repeat_pin_entry), pin_again != NULL ? pin_again : "");
}

const char *
till_signin_window_get_message (TillSigninWindow *self)
{
  g_return_val_if_fail (TILL_IS_SIGNIN_WINDOW (self), "");
  return self->message != NULL ? self->message : "";
}

gboolean
till_signin_window_get_busy (TillSigninWindow *self)
{
  g_return_val_if_fail (TILL_IS_SIGNIN_WINDOW (self), FALSE);
  return self->busy;
}

static void
pin_activate_cb (GtkPasswordEntry *entry,
                 TillSigninWindow *self)
{
  till_signin_window_submit (self);
}

static void
repeat_activate_cb (GtkPasswordEntry *entry,
                    TillSigninWindow *self)
{
  till_signin_window_submit (self);
}

static void
submit_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  till_signin_window_submit (TILL_SIGNIN_WINDOW (widget));
}

static gboolean
till_signin_window_close_request (GtkWindow *window)
{
  TillSigninWindow *self = TILL_SIGNIN_WINDOW (window);

  /* A till that requires sign-in is not used by nobody. */
  if (self->required && !self->signed_in)
    {
      show_message (self, _("Sign in first"));
      gtk_widget_error_bell (GTK_WIDGET (self));
      return TRUE;
    }
  return GTK_WINDOW_CLASS (till_signin_window_parent_class)->close_request (window);
}

static void
till_signin_window_dispose (GObject *object)
{
  TillSigninWindow *self = TILL_SIGNIN_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  /* An entry that goes away with the focus warns that it saw no focus-out. */
  gtk_window_set_focus (GTK_WINDOW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_SIGNIN_WINDOW);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (till_signin_window_parent_class)->dispose (object);
}

static void
till_signin_window_finalize (GObject *object)
{
  TillSigninWindow *self = TILL_SIGNIN_WINDOW (object);

  g_array_unref (self->person_ids);
  g_free (self->message);

  G_OBJECT_CLASS (till_signin_window_parent_class)->finalize (object);
}

static void
till_signin_window_class_init (TillSigninWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = till_signin_window_dispose;
  object_class->finalize = till_signin_window_finalize;
  window_class->close_request = till_signin_window_close_request;

  signals[SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, TILL_TYPE_PERSON);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-signin-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillSigninWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TillSigninWindow, person_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TillSigninWindow, pin_entry);
  gtk_widget_class_bind_template_child (widget_class, TillSigninWindow, float_box);
  gtk_widget_class_bind_template_child (widget_class, TillSigninWindow, float_entry);
  gtk_widget_class_bind_template_child (widget_class, TillSigninWindow, name_entry);
  gtk_widget_class_bind_template_child (widget_class, TillSigninWindow, new_pin_entry);
  gtk_widget_class_bind_template_child (widget_class, TillSigninWindow, repeat_pin_entry);
  gtk_widget_class_bind_template_child (widget_class, TillSigninWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, TillSigninWindow, demo_label);
  gtk_widget_class_bind_template_child (widget_class, TillSigninWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TillSigninWindow, ok_button);
  gtk_widget_class_bind_template_callback (widget_class, pin_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, repeat_activate_cb);

  gtk_widget_class_install_action (widget_class, "signin.submit", NULL, submit_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
till_signin_window_init (TillSigninWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->person_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
open_shift_cb (TillShift        *shift,
               GParamSpec       *pspec,
               TillSigninWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->float_box),
                          till_shift_get_open_shift_id (shift) == 0);
}

void
till_signin_window_set_float (TillSigninWindow *self,
                              gint64            float_fen)
{
  g_autofree char *text = NULL;

  g_return_if_fail (TILL_IS_SIGNIN_WINDOW (self));

  text = till_money_format_plain (float_fen);
  gtk_editable_set_text (GTK_EDITABLE (self->float_entry), text);
}

gint64
till_signin_window_get_float (TillSigninWindow *self)
{
  g_return_val_if_fail (TILL_IS_SIGNIN_WINDOW (self), 0);
  return self->float_fen;
}

TillSigninWindow *
till_signin_window_new (GtkWindow   *parent,
                        TillContext *context,
                        gboolean     required)
{
  TillSigninWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  self = g_object_new (TILL_TYPE_SIGNIN_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "destroy-with-parent", TRUE,
                       "deletable", !required,
                       NULL);
  self->context = g_object_ref (context);
  self->required = required;
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), !required);

  if (till_context_get_demo (context))
    {
      g_autofree char *pins = till_people_dup_demo_pins ();
      g_autofree char *text = g_strdup_printf (_("Demo PINs: %s"), pins);

      gtk_label_set_text (self->demo_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->demo_label), TRUE);
    }

  /* The float opens a shift: asked while none is open (issue 18). */
  g_signal_connect_object (till_context_get_shift (context), "notify::open-shift-cashier",
                           G_CALLBACK (open_shift_cb), self, 0);
  open_shift_cb (till_context_get_shift (context), NULL, self);

  set_busy (self, TRUE);
  till_store_run_async (till_context_get_store (context), load_job,
                        g_object_ref (till_shift_get_people (till_context_get_shift (context))),
                        g_object_unref, load_result_free, self->cancellable, load_cb,
                        g_object_ref (self));
  return self;
}
