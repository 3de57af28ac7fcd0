/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one place every scanner source reports to. The hub only carries codes; what a code
 * means (pay, add to cart, open a sale) is decided by the UI. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  TILL_SCAN_SOURCE_WEDGE = 0,  /* keyboard-wedge scanner (USB HID / infrared) */
  TILL_SCAN_SOURCE_SERIAL,     /* CDC-ACM / USB-serial scanner */
  TILL_SCAN_SOURCE_CAMERA,     /* webcam frames decoded by zbar */
  TILL_SCAN_SOURCE_DEMO,       /* the demo phone's "Scan" button */
} TillScanSource;

const char *till_scan_source_to_string (TillScanSource source);  /* translated label */

#define TILL_TYPE_SCANNER_HUB (till_scanner_hub_get_type ())
G_DECLARE_FINAL_TYPE (TillScannerHub, till_scanner_hub, TILL, SCANNER_HUB, GObject)

/* Signal "code-scanned" (const char *code, TillScanSource source (int)): emitted on the
 * main context of the hub's creator, with the code trimmed of CR/LF/Tab/spaces. Empty
 * codes are never emitted. */
TillScannerHub *till_scanner_hub_new  (void);
/* Thread-safe: may be called from a reader thread; the signal is emitted on the hub's
 * main context. */
void            till_scanner_hub_feed (TillScannerHub *self,
                                       const char     *code,
                                       TillScanSource  source);

G_END_DECLS
