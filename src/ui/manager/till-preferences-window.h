/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The manager’s settings, an AdwPreferencesWindow of five searchable pages (Till, Devices,
 * Payment, Receipts, Head Office) of groups of rows: shop and till, scanner timing, scale-barcode
 * layout, customer display monitor and full screen, scanner devices (serial port, baud,
 * camera), electronic payment — what both providers share (store and device ids, timings,
 * whose QR code F7 shows), WeChat Pay API v3 and Alipay, each with its status row and a
 * connection test — cashier sign-in and the receipt printer. Every widget is bound to
 * GSettings; the payment group also says whether payment works and why not, each
 * provider's status row whether that provider is in use and why not. The cashier's window
 * opens it only after a manager approved with a PIN (TILL_APPROVAL_SETTINGS). Every change
 * made while it is open is written to the audit log ("settings_change", one row per key, by
 * the approving manager; values of keys named like secrets are left out) and a toast says
 * it is saved. The mouse wheel over a value changes it only when that value has the
 * keyboard focus; otherwise the page scrolls. Escape closes it. */
#pragma once

#include <adwaita.h>

#include "till-context.h"
#include "till-store-people.h"

G_BEGIN_DECLS

#define TILL_TYPE_PREFERENCES_WINDOW (till_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (TillPreferencesWindow, till_preferences_window, TILL, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

TillPreferencesWindow *till_preferences_window_new (GtkWindow   *parent,
                                                    TillContext *context);

/* The manager who approved opening the window: the actor of its audit rows (without one,
 * the context's cashier). */
void        till_preferences_window_set_approver       (TillPreferencesWindow *self,
                                                         const TillPerson      *manager);

/* What the payment section says about electronic payment now ("… not configured: <the
 * key loader's message>", "ready", …). */
const char *till_preferences_window_get_payment_status (TillPreferencesWindow *self);
/* The result line of WeChat Pay's last "Test connection" ("" before the first, "…" while it
 * runs). */
const char *till_preferences_window_get_test_result    (TillPreferencesWindow *self);
/* Starts WeChat Pay's "Test connection", as its button (Ctrl+T) does. */
void        till_preferences_window_test_connection    (TillPreferencesWindow *self);
/* The same per provider ("wechat", "alipay"; Alipay's button: Ctrl+Shift+T): a signed
 * query of an order that does not exist, whose signed answer is verified
 * (till_payment_runtime_test_connection_async). */
void        till_preferences_window_test_provider      (TillPreferencesWindow *self,
                                                         const char            *provider);
const char *till_preferences_window_get_provider_test_result (TillPreferencesWindow *self,
                                                              const char            *provider);
/* A provider's status line: in use, or why not (till_payment_runtime_get_provider_problem);
 * NULL for an unknown provider. */
const char *till_preferences_window_get_provider_status (TillPreferencesWindow *self,
                                                         const char            *provider);
/* Device pickers: the settings value behind each entry of the serial / camera
 * drop-downs ("" = off / first camera). */
GPtrArray  *till_preferences_window_get_serial_paths   (TillPreferencesWindow *self);
GPtrArray  *till_preferences_window_get_camera_paths   (TillPreferencesWindow *self);
/* Scrolls to the payment section (its first entry gets the focus): WeChat Pay's, or
 * Alipay's when WeChat Pay is in use and Alipay is not. */
void        till_preferences_window_show_payment       (TillPreferencesWindow *self);
/* Scrolls to one provider's section ("wechat", "alipay"); its first entry gets the focus. */
void        till_preferences_window_show_provider      (TillPreferencesWindow *self,
                                                         const char            *provider);
/* The cashiers' and receipts' settings: the switch bound to "require-sign-in", the entry
 * row bound to "receipt-printer" and the paper width combo row bound to "receipt-width"
 * (0 = 58 mm, 1 = 80 mm). Any argument may be NULL. */
void        till_preferences_window_get_receipt_widgets (TillPreferencesWindow  *self,
                                                         GtkSwitch             **require_sign_in,
                                                         GtkEditable           **printer,
                                                         AdwComboRow           **width);
/* The widget bound to the settings key `key` (a GtkSpinButton or GtkSwitch in its row, an
 * AdwEntryRow — a GtkEditable — or an AdwComboRow), or NULL when the window shows no such
 * key. */
GtkWidget  *till_preferences_window_get_key_widget     (TillPreferencesWindow *self,
                                                         const char            *key);
/* The title of the last toast ("" before the first): "settings saved" a second after the
 * last change, a provider's connection that works. What must be read stays in the rows. */
const char *till_preferences_window_get_last_toast     (TillPreferencesWindow *self);
/* Lists the devices again (F5). */
void        till_preferences_window_refresh_devices    (TillPreferencesWindow *self);

G_END_DECLS
