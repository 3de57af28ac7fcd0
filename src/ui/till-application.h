/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GtkApplication: command line (--demo, --data-dir, --import-catalog, --version),
 * the shared TillContext, application-wide actions and their accelerators. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TILL_TYPE_APPLICATION (till_application_get_type ())
G_DECLARE_FINAL_TYPE (TillApplication, till_application, TILL, APPLICATION, GtkApplication)

TillApplication *till_application_new (void);

G_END_DECLS
