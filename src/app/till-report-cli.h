/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The `--report=YYYY-MM-DD [--format=text|csv]` command line: prints a day's report. */
#pragma once

#include "till-store.h"

G_BEGIN_DECLS

/* Prints the report of the local day `date` to stdout as `format` ("text", the default
 * when NULL, or "csv"), followed, when the till tracks stock (a tracked product or a stock
 * move that day), by the stock report's sections: margin by product and by category, the
 * stock value now, the day's stock moves (in CSV: an empty line, then a table of its own).
 * Returns the exit status: 0 when printed; 2 with an error when the date or the format is
 * malformed (nothing is printed); 1 with an error when the report could not be made or
 * written. */
int till_report_cli_run (TillStore   *store,
                         const char  *date,
                         const char  *format,
                         GError     **error);

G_END_DECLS
