/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A serial counter scale: opens the port with the chosen protocol and baud rate, reads its
 * frames without blocking the main loop (g_unix_fd_add), asks a request/response scale for
 * its weight every TILL_SCALE_REQUEST_MS, and reopens the port every TILL_SCALE_RETRY_MS
 * after it goes away (unplugged, read error, end of file, hang-up), like the serial
 * scanner. Holds the till's tare: net = gross − tare. GLib and GIO only. */
#pragma once

#include <gio/gio.h>

#include "till-scale-reading.h"

G_BEGIN_DECLS

#define TILL_SCALE_RETRY_MS 1000
#define TILL_SCALE_REQUEST_MS 200
/* A weight not heard again within this long is no longer called stable. */
#define TILL_SCALE_STALE_MS 1500
/* How long a sale waits for a moving weight to settle. */
#define TILL_SCALE_SETTLE_MS 2000

#define TILL_SCALE_ERROR (till_scale_error_quark ())
typedef enum
{
  TILL_SCALE_ERROR_NOT_CONNECTED,
  TILL_SCALE_ERROR_MOVING,
  TILL_SCALE_ERROR_ZERO,
  TILL_SCALE_ERROR_NEGATIVE,
  TILL_SCALE_ERROR_OVERLOAD,
  TILL_SCALE_ERROR_UNREADABLE,
} TillScaleError;
GQuark
till_scale_error_quark (void);

#define TILL_TYPE_SCALE_STATE (till_scale_state_get_type ())
GType
till_scale_state_get_type (void);

#define TILL_TYPE_SCALE (till_scale_get_type ())
G_DECLARE_FINAL_TYPE (TillScale, till_scale, TILL, SCALE, GObject)

/* Properties:
 *   "protocol"     string: "none", "aclas-os2", "dahua-tm", "toledo-8217" (the GSettings
 *                  key scale-protocol); setting it reopens
 *   "port"         string: the tty ("" = off); setting it (re)opens at once
 *   "baud"         guint, default 9600; setting it reopens an open port
 *   "state"        TillScaleState, read-only, notifies on change
 *   "weight-milli" gint64, read-only: the net weight (gross − tare) in thousandths of a kg
 *   "stable"       gboolean, read-only: the scale says the weight is steady (and said so
 *                  within TILL_SCALE_STALE_MS)
 *   "tare-milli"   gint64, read-only: the till's tare (0: none)
 *   "last-error"   string, read-only: why it is not connected (translated), or NULL */
TillScale *
till_scale_new (void);

gboolean
till_scale_get_configured (TillScale *self);
TillScaleState
till_scale_get_state (TillScale *self);
gint64
till_scale_get_weight_milli (TillScale *self);
gint64
till_scale_get_tare_milli (TillScale *self);
gboolean
till_scale_get_stable (TillScale *self);
const char *
till_scale_get_last_error (TillScale *self);
void
till_scale_set_port (TillScale *self, const char *port);
void
till_scale_set_protocol (TillScale *self, TillScaleProtocol protocol);
void
till_scale_set_baud (TillScale *self, guint baud);

/* The tare key: a stable gross weight above zero becomes the tare; pressed with the scale
 * empty (gross zero) it clears the tare. Refused (error) while the weight moves, is
 * overloaded, or the scale is not connected. *tare_milli is the tare after. */
gboolean
till_scale_press_tare (TillScale *self, gint64 *tare_milli, GError **error);

/* The stable net weight for a sale: TRUE with it when stable and above zero; otherwise an
 * error saying why (not connected, moving, zero, negative, overload). */
gboolean
till_scale_take_weight (TillScale *self, gint64 *weight_milli, GError **error);

/* The same, waiting up to `timeout_ms` for a moving weight to settle (and for a 8217 to
 * answer); the result by till_scale_take_weight_finish. */
void
till_scale_take_weight_async (TillScale *self, guint timeout_ms, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data);
gboolean
till_scale_take_weight_finish (TillScale *self, GAsyncResult *result, gint64 *weight_milli,
                               GError **error);

/* The readable words of a state for the cashier ("Scale not connected", …), translated. */
const char *
till_scale_state_describe (TillScaleState state);

G_END_DECLS
