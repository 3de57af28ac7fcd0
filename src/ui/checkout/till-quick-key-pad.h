/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillQuickKeyPad: the cashier's quick keys (issue 15) under the cart — a row of page
 * buttons (the categories) and the visible page's keys, big enough for a finger; the first
 * nine show their digit (Alt+1…Alt+9). A key adds its product through the checkout
 * (till_checkout_add_product_id()). Hidden when no key is arranged. */
#pragma once

#include <gtk/gtk.h>

#include "till-checkout.h"

G_BEGIN_DECLS

#define TILL_TYPE_QUICK_KEY_PAD (till_quick_key_pad_get_type ())
G_DECLARE_FINAL_TYPE (TillQuickKeyPad, till_quick_key_pad, TILL, QUICK_KEY_PAD, GtkBox)

TillQuickKeyPad *
till_quick_key_pad_new (TillCheckout *checkout);
/* Reads the arrangement again on the store thread (after the manager's windows); the
 * visible page stays when it is still there. */
void
till_quick_key_pad_reload (TillQuickKeyPad *self);
/* Presses the visible page's key `index` (0 = the first, Alt+1). FALSE when there is no
 * such key. */
gboolean
till_quick_key_pad_press (TillQuickKeyPad *self, guint index);
/* Shows the next (+1) or previous (-1) page, round. FALSE with fewer than two pages. */
gboolean
till_quick_key_pad_switch_page (TillQuickKeyPad *self, int delta);
/* For tests: the visible page's name (NULL without keys), its keys' count, and the button
 * of its key `index` (NULL when none). */
const char *
till_quick_key_pad_get_page_name (TillQuickKeyPad *self);
guint
till_quick_key_pad_get_n_keys (TillQuickKeyPad *self);
GtkWidget *
till_quick_key_pad_get_button (TillQuickKeyPad *self, guint index);
/* TRUE while a reload is under way. */
gboolean
till_quick_key_pad_get_loading (TillQuickKeyPad *self);

G_END_DECLS
