/* SPDX-License-Identifier: GPL-3.0-or-later */
/* JSON text written by the core layer (the report, the reconciliation). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends `text` as a JSON string literal (with quotes), or null when `text` is NULL. */
void _till_json_append_string (GString    *out,
                               const char *text);

G_END_DECLS
