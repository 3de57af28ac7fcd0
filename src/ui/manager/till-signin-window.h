/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillSigninWindow: a cashier picks their name and types their PIN at the start of a
 * shift; on a till without people (or without a manager) it creates the first manager
 * (name + PIN twice) and signs them in. The signed-in person becomes the TillShift's
 * cashier. With `required`, the window cannot be closed without signing in. */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"
#include "till-people.h"

G_BEGIN_DECLS

#define TILL_TYPE_SIGNIN_WINDOW (till_signin_window_get_type ())
G_DECLARE_FINAL_TYPE (TillSigninWindow, till_signin_window, TILL, SIGNIN_WINDOW, GtkWindow)

/* Signals: "signed-in" (TillPerson *person). */
TillSigninWindow *till_signin_window_new          (GtkWindow        *parent,
                                                   TillContext      *context,
                                                   gboolean          required);
/* "loading", "signin" or "setup". */
const char       *till_signin_window_get_page     (TillSigninWindow *self);
/* Selects a person by name on the sign-in page; FALSE when not listed. */
gboolean          till_signin_window_select_person (TillSigninWindow *self,
                                                    const char       *name);
void              till_signin_window_set_pin      (TillSigninWindow *self,
                                                   const char       *pin);
/* Setup page: the name and both PINs. */
void              till_signin_window_set_setup    (TillSigninWindow *self,
                                                   const char       *name,
                                                   const char       *pin,
                                                   const char       *pin_again);
void              till_signin_window_submit       (TillSigninWindow *self);
const char       *till_signin_window_get_message  (TillSigninWindow *self);
/* The float handed over, asked while no shift is open (the sign-in opens one with it):
 * pre-filled by a handover with the counted cash; the amount of the last sign-in. */
void              till_signin_window_set_float    (TillSigninWindow *self,
                                                   gint64            float_fen);
gint64            till_signin_window_get_float    (TillSigninWindow *self);
gboolean          till_signin_window_get_busy     (TillSigninWindow *self);

G_END_DECLS
