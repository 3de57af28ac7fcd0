/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A CDC-ACM / USB-serial barcode scanner: reads lines ended by CR and/or LF from a tty in
 * raw mode without blocking the main loop, feeds each good code to the hub, and reopens
 * the device every second after it goes away (unplugged, or the pty master closed). */
#pragma once

#include <glib-object.h>

#include "till-scanner-hub.h"

G_BEGIN_DECLS

/* Longest code accepted; longer lines are dropped up to the next CR/LF. */
#define TILL_SERIAL_SCANNER_MAX_LINE 128
/* How often a missing or failed device is tried again. */
#define TILL_SERIAL_SCANNER_RETRY_MS 1000

#define TILL_TYPE_SERIAL_SCANNER (till_serial_scanner_get_type ())
G_DECLARE_FINAL_TYPE (TillSerialScanner, till_serial_scanner, TILL, SERIAL_SCANNER, GObject)

/* Properties:
 *   "hub"        TillScannerHub, construct-only
 *   "device"     string, the tty path ("" or NULL = off); setting it (re)opens at once
 *   "baud"       guint, default 9600; setting it reopens an open device
 *   "connected"  gboolean, read-only, notifies on change
 * Bind "device"/"baud" to the GSettings keys serial-scanner-device/serial-scanner-baud. */
TillSerialScanner *till_serial_scanner_new           (TillScannerHub    *hub);

const char        *till_serial_scanner_get_device    (TillSerialScanner *self);
void               till_serial_scanner_set_device    (TillSerialScanner *self,
                                                      const char        *device);
guint              till_serial_scanner_get_baud      (TillSerialScanner *self);
void               till_serial_scanner_set_baud      (TillSerialScanner *self,
                                                      guint              baud);
gboolean           till_serial_scanner_get_connected (TillSerialScanner *self);

/* Why the device is not connected, for a status line in the preferences (translated),
 * or NULL when connected or off. */
const char        *till_serial_scanner_get_last_error (TillSerialScanner *self);

/* TRUE when `baud` is a rate the tty layer supports (1200 … 4000000). */
gboolean           till_serial_scanner_baud_is_supported (guint baud);

G_END_DECLS
