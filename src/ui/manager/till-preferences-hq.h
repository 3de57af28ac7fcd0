/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preferences' Head office page (issue 19, docs/head-office.md): the database (hq-url,
 * refused with a message when it holds a password), the store ID at head office and the
 * password file, each checked as the sender checks it and applied with its button or
 * Enter (the sender follows the settings: TillHqSync turns the triggers' queueing on or
 * off); the sender's state; "Test connection" (Ctrl+Shift+H), on a thread of its own; and
 * the rows head office refused (dead 'hq_sync' jobs: which row, when, how often, the last
 * error) in a column view with "Retry all" (Ctrl+Shift+E), which makes them pending again
 * through the store's thread and wakes the sender. */
#pragma once

#include <adwaita.h>

#include "till-context.h"

G_BEGIN_DECLS

#define TILL_TYPE_PREFERENCES_HQ (till_preferences_hq_get_type ())
G_DECLARE_FINAL_TYPE (TillPreferencesHq, till_preferences_hq, TILL, PREFERENCES_HQ,
                      AdwPreferencesPage)

/* The page, bound to the context's settings, store and sender. Its widgets are named for
 * the tests: "hq-url", "hq-store-id", "hq-password-file" (AdwEntryRow), "hq-message" (why
 * an entry was refused), "hq-status", "hq-test" (its subtitle: the test's result),
 * "hq-dead-summary", "hq-dead" (the GtkColumnView), "hq-retry-all". */
TillPreferencesHq *
till_preferences_hq_new (TillContext *context);

/* The dead jobs shown now (as the store last listed them). */
guint
till_preferences_hq_get_n_dead (TillPreferencesHq *self);
/* Lists the dead jobs again (on the store's thread). */
void
till_preferences_hq_refresh (TillPreferencesHq *self);

G_END_DECLS
