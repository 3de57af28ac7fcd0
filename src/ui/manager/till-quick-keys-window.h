/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillQuickKeysWindow: a manager arranges the cashier's quick keys (issue 15), after a
 * manager's PIN (audit "approve:products", or the products window's session): a page (a
 * category; a new one can be added here), its keys in order — move left / right, remove —
 * and products found by a search (or the product open in the products window) added to
 * it. Every change is a store job; the cashier's window reads the keys again when it comes
 * back to the front. */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"

G_BEGIN_DECLS

#define TILL_TYPE_QUICK_KEYS_WINDOW (till_quick_keys_window_get_type ())
G_DECLARE_FINAL_TYPE (TillQuickKeysWindow, till_quick_keys_window, TILL, QUICK_KEYS_WINDOW,
                      GtkWindow)

/* `actor`: the approving manager (the audit rows' actor). `current_product_id` (0: none):
 * the product open in the products window, offered as "Add …". */
TillQuickKeysWindow *
till_quick_keys_window_new (GtkWindow *parent, TillContext *context, const char *actor,
                            gint64 current_product_id);

/* For tests: the message line ("" when none), whether a store job is under way, the page
 * shown (0: none), the keys of the page shown as "label, label" in order (hidden ones
 * marked), and the page chosen by its category id. */
const char *
till_quick_keys_window_get_message (TillQuickKeysWindow *self);
gboolean
till_quick_keys_window_get_busy (TillQuickKeysWindow *self);
gint64
till_quick_keys_window_get_page (TillQuickKeysWindow *self);
char *
till_quick_keys_window_dup_keys_text (TillQuickKeysWindow *self);
void
till_quick_keys_window_set_page (TillQuickKeysWindow *self, gint64 category_id);

G_END_DECLS
