/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCashMovementWindow: float, cash in and cash out. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-cash-movement-window.h"
#include "till-pin-window.h"
#include "till-ui-util.h"

struct _TillCashMovementWindow
{
  GtkWindow     parent_instance;

  TillContext  *context;
  GCancellable *cancellable;
  char         *message;
  gboolean      busy;

  GtkDropDown  *kind_dropdown;
  GtkEntry     *amount_entry;
  GtkEntry     *reason_entry;
  GtkLabel     *message_label;
  AdwToastOverlay *toast_overlay;
};

G_DEFINE_FINAL_TYPE (TillCashMovementWindow, till_cash_movement_window, GTK_TYPE_WINDOW)

enum {
  RECORDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_message (TillCashMovementWindow *self,
              const char             *text,
              gboolean                error)
{
  till_ui_show_message (self->message_label, &self->message, text, error);
}

typedef struct
{
  TillCashKind     kind;
  gint64           amount_fen;
  char            *reason;
  char            *actor;
  TillCashRounding rounding;
} RecordJob;

static void
record_job_free (gpointer data)
{
  RecordJob *job = data;

  g_free (job->reason);
  g_free (job->actor);
  g_free (job);
}

static gpointer
record_job (TillStore *store,
            gpointer   data,
            GError   **error)
{
  RecordJob *job = data;

  if (!till_store_cash_record_rounded (store, job->kind, job->amount_fen, job->reason, job->actor,
                                      job->rounding, error))
    return NULL;
  return GINT_TO_POINTER (1);
}

static void
record_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TillCashMovementWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  RecordJob *job = g_object_get_data (G_OBJECT (self), "job");
  g_autofree char *amount = NULL;
  g_autofree char *text = NULL;

  self->busy = FALSE;
  if (till_store_run_finish (TILL_STORE (object), result, &error) == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Not recorded: %s"), error->message);
      show_message (self, text, TRUE);
      return;
    }
  amount = till_money_format (job->amount_fen);
  text = g_strdup_printf (_("Recorded %s"), amount);
  /* Done: nothing to acknowledge, the window is ready for the next entry. */
  till_ui_show_toast (self->toast_overlay, self->message_label, &self->message, text);
  gtk_editable_set_text (GTK_EDITABLE (self->amount_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->reason_entry), "");
  g_signal_emit (self, signals[RECORDED], 0, (int) job->kind, job->amount_fen);
}

static void
approved_cb (TillPinWindow          *pin,
             TillPerson             *manager,
             TillCashMovementWindow *self)
{
  RecordJob *job = g_object_steal_data (G_OBJECT (pin), "job");

  if (job == NULL)
    return;
  job->actor = g_strdup (manager->name);
  self->busy = TRUE;
  show_message (self, _("Recording…"), FALSE);
  /* The window keeps the job for the message; the store thread only reads it. */
  g_object_set_data_full (G_OBJECT (self), "job", job, record_job_free);
  till_store_run_async (till_context_get_store (self->context), record_job, job, NULL, NULL,
                        self->cancellable, record_cb, g_object_ref (self));
}

GtkWindow *
till_cash_movement_window_record (TillCashMovementWindow *self)
{
  g_autoptr(GError) error = NULL;
  TillPinWindow *pin;
  RecordJob *job;
  guint kind;
  gint64 amount = 0;
  g_autofree char *reason = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *what = NULL;
  g_autofree char *amount_text = NULL;
  static const char *kind_ids[] = { "cash_float", "cash_in", "cash_out" };

  g_return_val_if_fail (TILL_IS_CASH_MOVEMENT_WINDOW (self), NULL);

  if (self->busy)
    return NULL;
  kind = gtk_drop_down_get_selected (self->kind_dropdown);
  if (kind > TILL_CASH_OUT)
    kind = TILL_CASH_IN;
  if (!till_money_parse (gtk_editable_get_text (GTK_EDITABLE (self->amount_entry)), &amount,
                         &error))
    {
      g_autofree char *text = g_strdup_printf (_("Amount: %s"), error->message);

      show_message (self, text, TRUE);
      return NULL;
    }
  if (amount < 0 || (amount == 0 && kind != TILL_CASH_FLOAT))
    {
      show_message (self, _("The amount must be more than zero"), TRUE);
      return NULL;
    }
  /* The drawer holds no coin below the till's cash unit: asked before the PIN. */
  if (!till_money_check_cash (amount, till_context_get_cash_rounding (self->context), &error))
    {
      g_autofree char *text = g_strdup_printf (_("Amount: %s"), error->message);

      show_message (self, text, TRUE);
      return NULL;
    }
  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_entry))));
  if (kind != TILL_CASH_FLOAT && reason[0] == '\0')
    {
      show_message (self, _("A reason is required"), TRUE);
      return NULL;
    }

  job = g_new0 (RecordJob, 1);
  job->kind = kind;
  job->amount_fen = amount;
  job->reason = reason[0] != '\0' ? g_strdup (reason) : NULL;
  job->rounding = till_context_get_cash_rounding (self->context);

  amount_text = till_money_format (amount);
  detail = g_strdup_printf ("{\"cash\":\"%s\",\"amount_fen\":%" G_GINT64_FORMAT "}",
                            kind_ids[kind], amount);
  what = g_strdup_printf ("%s %s %s",
                          gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (self->kind_dropdown)), kind),
                          amount_text, reason);
  pin = till_pin_window_new (GTK_WINDOW (self), self->context, TILL_APPROVAL_CASH_MOVEMENT,
                             detail, what);
  g_object_set_data_full (G_OBJECT (pin), "job", job, record_job_free);
  g_signal_connect_object (pin, "approved", G_CALLBACK (approved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (pin));
  return GTK_WINDOW (pin);
}

void
till_cash_movement_window_set_entry (TillCashMovementWindow *self,
                                     TillCashKind            kind,
                                     const char             *amount,
                                     const char             *reason)
{
  g_return_if_fail (TILL_IS_CASH_MOVEMENT_WINDOW (self));
  gtk_drop_down_set_selected (self->kind_dropdown, kind);
  gtk_editable_set_text (GTK_EDITABLE (self->amount_entry), amount != NULL ? amount : "");
  gtk_editable_set_text (GTK_EDITABLE (self->reason_entry), reason != NULL ? reason : "");
}

const char *
till_cash_movement_window_get_message (TillCashMovementWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASH_MOVEMENT_WINDOW (self), "");
  return self->message != NULL ? self->message : "";
}

static void
reason_activate_cb (GtkEntry               *entry,
                    TillCashMovementWindow *self)
{
  till_cash_movement_window_record (self);
}

static void
record_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  till_cash_movement_window_record (TILL_CASH_MOVEMENT_WINDOW (widget));
}

static void
till_cash_movement_window_dispose (GObject *object)
{
  TillCashMovementWindow *self = TILL_CASH_MOVEMENT_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  /* An entry that goes away with the focus warns that it saw no focus-out. */
  gtk_window_set_focus (GTK_WINDOW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_CASH_MOVEMENT_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (till_cash_movement_window_parent_class)->dispose (object);
}

static void
till_cash_movement_window_finalize (GObject *object)
{
  g_free (TILL_CASH_MOVEMENT_WINDOW (object)->message);
  G_OBJECT_CLASS (till_cash_movement_window_parent_class)->finalize (object);
}

static void
till_cash_movement_window_class_init (TillCashMovementWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_cash_movement_window_dispose;
  object_class->finalize = till_cash_movement_window_finalize;

  signals[RECORDED] =
    g_signal_new ("recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-cash-movement-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillCashMovementWindow, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TillCashMovementWindow, amount_entry);
  gtk_widget_class_bind_template_child (widget_class, TillCashMovementWindow, reason_entry);
  gtk_widget_class_bind_template_child (widget_class, TillCashMovementWindow, message_label);
  gtk_widget_class_bind_template_callback (widget_class, reason_activate_cb);

  gtk_widget_class_install_action (widget_class, "cashmove.record", NULL, record_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
till_cash_movement_window_init (TillCashMovementWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The window's child, not bound: disposing the template would unparent it before the
   * window does. */
  self->toast_overlay = ADW_TOAST_OVERLAY (gtk_window_get_child (GTK_WINDOW (self)));
}

TillCashMovementWindow *
till_cash_movement_window_new (GtkWindow   *parent,
                               TillContext *context)
{
  TillCashMovementWindow *self;

  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  self = g_object_new (TILL_TYPE_CASH_MOVEMENT_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->context = g_object_ref (context);
  gtk_drop_down_set_selected (self->kind_dropdown, TILL_CASH_IN);
  return self;
}
