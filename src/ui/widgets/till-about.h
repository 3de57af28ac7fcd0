/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The About window: version, license, credits, website. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Shows the About window over `parent` (may be NULL); it closes by itself. */
void till_show_about (GtkWindow *parent);

G_END_DECLS
