/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillMembersWindow's "Set PIN…" (Ctrl+K): the member open sets the PIN that confirms their
 * payments from the card (TillMemberPinWindow). */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-member-pin-window.h"
#include "till-members-window-private.h"

static void
pin_set_cb (TillMemberPinWindow *pin, TillMembersWindow *self)
{
  g_autofree char *text = NULL;

  if (self->member == NULL)
    return;
  text = g_strdup_printf (_ ("PIN set for “%s”"), self->member->name);
  _till_members_window_set_message (self, FALSE, text);
}

static void
set_pin_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillMembersWindow *self = TILL_MEMBERS_WINDOW (widget);
  TillMemberPinWindow *pin;

  if (self->member == NULL)
    {
      _till_members_window_set_message (self, TRUE,
                                        _ ("Open a member first: their PIN is set here"));
      return;
    }
  pin = till_member_pin_window_new (GTK_WINDOW (self), self->context, self->member->id,
                                    self->member->name, self->who);
  g_signal_connect_object (pin, "pin-set", G_CALLBACK (pin_set_cb), self, 0);
  gtk_window_present (GTK_WINDOW (pin));
}

void
_till_members_window_pin_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "members.set-pin", NULL, set_pin_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK, "members.set-pin",
                                       NULL);
}
