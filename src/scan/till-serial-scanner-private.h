/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The serial scanner's line framing without a device, for its fuzz target
 * (tests/fuzz/fuzz-serial-lines.c): bytes as read() gives them, codes to the hub. */
#pragma once

#include "till-serial-scanner.h"

G_BEGIN_DECLS

void
_till_serial_scanner_take_bytes (TillSerialScanner *self, const guint8 *bytes, gsize n);

G_END_DECLS
