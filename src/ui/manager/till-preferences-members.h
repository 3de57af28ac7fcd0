/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preferences' Members group: how a member confirms a payment from the card. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Appends the group to `page` with its row bound to the setting "member-confirm"; returns
 * the row (owned by the page). */
AdwComboRow *
till_preferences_members_add (AdwPreferencesPage *page, GSettings *settings);

G_END_DECLS
