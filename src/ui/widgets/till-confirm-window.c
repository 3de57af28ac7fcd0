/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillConfirmWindow: "are you sure" for destructive commands, a libadwaita message dialog
 * with a Cancel and a destructive confirm response. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-confirm-window.h"

struct _TillConfirmWindow
{
  AdwMessageDialog parent_instance;
};

G_DEFINE_FINAL_TYPE (TillConfirmWindow, till_confirm_window, ADW_TYPE_MESSAGE_DIALOG)

enum {
  CONFIRMED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define RESPONSE_CANCEL  "cancel"
#define RESPONSE_CONFIRM "confirm"

void
till_confirm_window_confirm (TillConfirmWindow *self)
{
  g_return_if_fail (TILL_IS_CONFIRM_WINDOW (self));

  /* emits "response" ("confirm"), then the dialog closes itself */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), RESPONSE_CONFIRM);
}

static void
till_confirm_window_response (AdwMessageDialog *dialog,
                              const char       *response)
{
  if (g_strcmp0 (response, RESPONSE_CONFIRM) == 0)
    g_signal_emit (dialog, signals[CONFIRMED], 0);
}

static void
till_confirm_window_class_init (TillConfirmWindowClass *klass)
{
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  dialog_class->response = till_confirm_window_response;

  signals[CONFIRMED] =
    g_signal_new ("confirmed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
till_confirm_window_init (TillConfirmWindow *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);

  adw_message_dialog_add_responses (dialog,
                                    RESPONSE_CANCEL, _("Cancel (Esc)"),
                                    RESPONSE_CONFIRM, _("OK (Enter)"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, RESPONSE_CONFIRM,
                                              ADW_RESPONSE_DESTRUCTIVE);
  /* Enter confirms (the cashier's hands are on the keyboard), Escape cancels. */
  adw_message_dialog_set_default_response (dialog, RESPONSE_CONFIRM);
  adw_message_dialog_set_close_response (dialog, RESPONSE_CANCEL);
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
                       "heading", heading,
                       "body", body != NULL ? body : "",
                       NULL);
  if (confirm_label != NULL)
    adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (self), RESPONSE_CONFIRM,
                                           confirm_label);
  return self;
}

const char *
till_confirm_window_get_body (TillConfirmWindow *self)
{
  g_return_val_if_fail (TILL_IS_CONFIRM_WINDOW (self), NULL);
  return adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (self));
}
