/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The shared services handed to every window instead of globals: the store, the settings,
 * the scanner hub, the data directory, the till id and whether this is a demo. */
#pragma once

#include <gio/gio.h>

#include "till-core.h"
#include "till-store.h"
#include "till-scanner-hub.h"

G_BEGIN_DECLS

#define TILL_TYPE_CONTEXT (till_context_get_type ())
G_DECLARE_FINAL_TYPE (TillContext, till_context, TILL, CONTEXT, GObject)

/* Properties (construct-only): "store" (TillStore), "settings" (GSettings of schema
 * io.github.tillpoint.Tillpoint), "scanner-hub" (TillScannerHub), "data-dir" (string),
 * "demo" (boolean). "till-id" (string, read-only) follows the settings key. */
TillContext       *till_context_new                 (TillStore      *store,
                                                     GSettings      *settings,
                                                     TillScannerHub *hub,
                                                     const char     *data_dir,
                                                     gboolean        demo);

TillStore         *till_context_get_store           (TillContext    *self);
GSettings         *till_context_get_settings        (TillContext    *self);
TillScannerHub    *till_context_get_scanner_hub     (TillContext    *self);
const char        *till_context_get_data_dir        (TillContext    *self);
gboolean           till_context_get_demo            (TillContext    *self);
/* The till id from the settings ("01" when empty). */
const char        *till_context_get_till_id         (TillContext    *self);
/* The cashier recorded on sales (the session user until sign-in exists). */
const char        *till_context_get_cashier         (TillContext    *self);
/* The scale-barcode layout from the settings, read live. */
TillEmbeddedLayout till_context_get_embedded_layout (TillContext    *self);

G_END_DECLS
