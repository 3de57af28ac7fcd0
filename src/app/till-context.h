/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The shared services handed to every window instead of globals: the store, the settings,
 * the scanner hub, the data directory, the till id and whether this is a demo; the serial
 * scanner bound to the settings; and two objects the context makes and owns: the shift
 * (TillShift: who works the till) and the payment runtime (TillPaymentRuntime: electronic
 * payment built from the settings). */
#pragma once

#include <gio/gio.h>

#include "till-core.h"
#include "till-store.h"
#include "till-scanner-hub.h"
#include "till-serial-scanner.h"
#include "till-scale.h"
#include "till-payment-runtime.h"
#include "till-shift.h"
#include "till-hq-sync.h"

G_BEGIN_DECLS

#define TILL_TYPE_CONTEXT (till_context_get_type ())
G_DECLARE_FINAL_TYPE (TillContext, till_context, TILL, CONTEXT, GObject)

/* Properties (construct-only): "store" (TillStore), "settings" (GSettings of schema
 * io.github.tillpoint.Tillpoint), "scanner-hub" (TillScannerHub), "data-dir" (string),
 * "demo" (boolean). Read-only: "till-id" (string, follows the settings key, notify),
 * "shift" (TillShift) and "payment-runtime" (TillPaymentRuntime), made with the context
 * and kept for its life. */
TillContext        *till_context_new                 (TillStore      *store,
                                                      GSettings      *settings,
                                                      TillScannerHub *hub,
                                                      const char     *data_dir,
                                                      gboolean        demo);

TillStore          *till_context_get_store           (TillContext    *self);
GSettings          *till_context_get_settings        (TillContext    *self);
TillScannerHub     *till_context_get_scanner_hub     (TillContext    *self);
const char         *till_context_get_data_dir        (TillContext    *self);
gboolean            till_context_get_demo            (TillContext    *self);
/* The till id from the settings ("01" when empty). */
const char         *till_context_get_till_id         (TillContext    *self);
/* Who works the till. */
TillShift          *till_context_get_shift           (TillContext    *self);
/* Electronic payment: status, services, online, pending jobs. */
TillPaymentRuntime *till_context_get_payment_runtime (TillContext    *self);
/* The cashier recorded on sales: the signed-in person, else the session user
 * (till_shift_get_cashier_or_default()). */
const char         *till_context_get_cashier         (TillContext    *self);
/* The scale-barcode layout from the settings, read live. */
TillEmbeddedLayout  till_context_get_embedded_layout (TillContext    *self);
/* The cash rounding rule from the settings ("cash-rounding"), read live. */
TillCashRounding    till_context_get_cash_rounding   (TillContext    *self);

/* The head office's sender (issue 19), when the application made one (NULL otherwise:
 * tests, the command line); the context keeps a reference. */
TillHqSync         *till_context_get_hq_sync         (TillContext    *self);
void                till_context_set_hq_sync         (TillContext    *self,
                                                      TillHqSync     *sync);

/* ---- serial scanner (device and baud bound to the settings) ---- */
TillSerialScanner  *till_context_get_serial_scanner  (TillContext    *self);
/* The counter scale (settings scale-protocol, scale-port, scale-baud); never NULL, off
 * (till_scale_get_configured() FALSE) until set up. */
TillScale          *till_context_get_scale           (TillContext    *self);

G_END_DECLS
