/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What till-shift-handover.c uses of till-shift.c. Within TillShift only. */
#pragma once

#include "till-shift.h"

G_BEGIN_DECLS

TillStore *
_till_shift_get_store (TillShift *self);
/* NULL: none open. Notifies "open-shift-cashier" on a change. */
void
_till_shift_set_open (TillShift *self, const TillShiftRecord *shift);

G_END_DECLS
