/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preferences' Members group: how a member confirms a payment from the card, and the
 * rule of points redeemed as a discount. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The group's editors (owned by the page). */
typedef struct
{
  AdwComboRow   *confirm;            /* "member-confirm" */
  GtkSpinButton *points_rate;        /* "points-redeem-rate" */
  GtkSpinButton *points_max_percent; /* "points-redeem-max-percent" */
} TillPreferencesMembers;

/* Appends the group to `page` with its rows bound to their settings. */
void
till_preferences_members_add (AdwPreferencesPage *page, GSettings *settings,
                              TillPreferencesMembers *out);

G_END_DECLS
