/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preferences' Counter scale group: protocol, port and baud rate (the settings
 * scale-protocol, scale-port, scale-baud) and the scale's state. */
#pragma once

#include <adwaita.h>

#include "till-context.h"

G_BEGIN_DECLS

/* Appends the group to `page`; returns it (owned by the page). Its rows are named
 * "scale-protocol", "scale-port", "scale-baud" and "scale-status" for the tests. */
AdwPreferencesGroup *
till_preferences_scale_add (AdwPreferencesPage *page, TillContext *context);

G_END_DECLS
