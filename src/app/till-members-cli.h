/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tillpoint --export-members=FILE.csv (issue 16): the members export of the members
 * window on the command line. The file holds the full phone numbers, so a manager's PIN
 * is asked first (till_cli_read_pin(); audit "approve:members", a wrong one
 * "refuse:members" and the wrong-PIN lock), then till_store_export_members_csv() writes it
 * (audit "export:members"). GLib only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns the exit status: 0 written (the count on standard output), 1 refused or failed
 * (the reason on standard error). */
int
till_members_export_cli_run (const char *data_dir, const char *csv_path);

G_END_DECLS
