/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The till's clock: the wall-clock time every layer stamps, compares and sends (unix µs,
 * UTC). It is the system's clock; tests move it forward (the next day, a week later) with
 * an offset, and every layer then agrees on the time, as it would on a real till whose
 * clock goes on. Thread-safe. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* g_get_real_time () plus the offset set for testing. */
gint64 till_clock_now_us                (void);
/* The till's local time now (g_date_time_new_now_local() on the till's clock). */
GDateTime *till_clock_now_local         (void);
/* For tests (and the randomized cashier): move the till's clock by offset_us from the
 * system's. 0 puts it back. */
void   till_clock_set_offset_for_testing (gint64 offset_us);
gint64 till_clock_get_offset             (void);

G_END_DECLS
