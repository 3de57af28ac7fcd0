/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillDemo: --demo's payment simulator, run in this process, and the demo phone that
 * talks to it; till_demo_install gives them to the application. */
#pragma once

#include <gtk/gtk.h>

#include "till-application.h"
#include "till-customer-display.h"
#include "till-demo-phone.h"

G_BEGIN_DECLS

#define TILL_TYPE_DEMO (till_demo_get_type ())
G_DECLARE_FINAL_TYPE (TillDemo, till_demo, TILL, DEMO, GObject)

/* Starts TillPaysim on 127.0.0.1 (a free port) with its state in `data_dir`/paysim and
 * points `settings` (the demo's, a memory backend: nothing persists) at it: WeChat Pay's
 * keys, ids and URL and Alipay's gateway, app id and keys, so both take payments. Its keys
 * are loaded or made (on a new folder four RSA-2048 keys: half a second or more) in a
 * worker thread; the finish, called on the main thread, has the simulator listen and
 * points `settings` at it. The simulator stops when the object is disposed. */
void           till_demo_start_async  (const char          *data_dir,
                                       GSettings           *settings,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
TillDemo      *till_demo_start_finish (GAsyncResult        *result,
                                       GError             **error);
/* "http://127.0.0.1:PORT". */
const char    *till_demo_get_base_url (TillDemo            *self);
/* A new demo phone for this simulator; `display` may be NULL. */
TillDemoPhone *till_demo_new_phone    (TillDemo            *self,
                                       TillContext         *context,
                                       TillCustomerDisplay *display);

/* Gives --demo's simulator and phone to `app` (till_application_set_demo). */
void           till_demo_install      (TillApplication     *app);

G_END_DECLS
