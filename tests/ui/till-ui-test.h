/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GUI test harness: a real store with the demo catalog in a temp dir, the cashier window
 * and the customer display on Xvfb, and real key events through XTest. */
#pragma once

#include <gtk/gtk.h>

#include "till-cashier-window-private.h"
#include "till-customer-display.h"
#include "till-demo.h"
#include "till-paysim.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  char                *dir;
  char                *db_path;
  TillStore           *store;
  GSettings           *settings;
  TillContext         *context;
  TillCheckout        *checkout;  /* the cashier window's; a new one after a reopen */
  TillCashierWindow   *cashier;
  TillCustomerDisplay *display;
  gboolean             demo;
  TillPaymentRuntimeTuning tuning;  /* applied to each context (have_tuning) */
  gboolean             have_tuning;
} TillUiFixture;

/* Builds everything, presents both windows, gives the cashier's window the X input focus
 * and waits for the open sale to be loaded. */
TillUiFixture *till_ui_fixture_new         (void);
TillUiFixture *till_ui_fixture_new_demo    (void);
/* The same, with `prepare` (may be NULL) filling the settings before the context is made,
 * and payment tuning (may be NULL) applied right after. */
TillUiFixture *till_ui_fixture_new_full    (gboolean                 demo,
                                            void                   (*prepare) (GSettings *settings,
                                                                               gpointer   data),
                                            gpointer                 data,
                                            const TillPaymentRuntimeTuning *tuning);
void           till_ui_fixture_free        (TillUiFixture *f);
/* A second cashier window on the same context (after the first is destroyed). */
void           till_ui_fixture_reopen      (TillUiFixture *f);
/* The till stops and starts again on the same data directory, as after a restart: a new
 * store connection, context (its payment runtime with the same tuning), cashier window
 * and customer display. */
void           till_ui_fixture_restart     (TillUiFixture *f);

/* Runs the main loop for `ms` milliseconds. */
void           till_ui_pump                (guint          ms);
/* Runs the main loop until cond(data) or `timeout_ms`; returns cond(data). */
gboolean       till_ui_wait                (gboolean     (*cond) (gpointer),
                                            gpointer       data,
                                            guint          timeout_ms);
#define TILL_UI_WAIT_FOR(expr, timeout_ms)                                        \
  G_STMT_START {                                                                  \
    gint64 _deadline = g_get_monotonic_time () + (gint64) (timeout_ms) * 1000;    \
    while (!(expr) && g_get_monotonic_time () < _deadline)                        \
      {                                                                           \
        g_main_context_iteration (NULL, FALSE);                                   \
        g_usleep (500);                                                           \
      }                                                                           \
    if (!(expr))                                                                  \
      g_error ("timed out after %d ms waiting for %s (status: %s)", (int) (timeout_ms), \
               #expr, till_ui_last_status ());                                    \
  } G_STMT_END

/* The status message of the last cashier window made (for failure messages). */
const char    *till_ui_last_status         (void);

/* Real X key events (XTest): each character of `text`, `gap_ms` apart, then Return when
 * `enter`. The main loop runs during the gaps. */
void           till_ui_type                (const char    *text,
                                            guint          gap_ms,
                                            gboolean       enter);
/* One key (a keysym name such as "F8", "Return", "Delete"), with Control when asked. */
void           till_ui_key                 (const char    *keysym_name,
                                            gboolean       control);
/* The same key with Shift held. */
void           till_ui_key_shift           (const char    *keysym_name);
/* The same key with Alt held. */
void           till_ui_key_alt             (const char    *keysym_name);
/* The same key with Control and Shift held ("h" for Ctrl+Shift+H). */
void           till_ui_key_control_shift   (const char    *keysym_name);
/* Real X pointer events (XTest): moves the pointer over `widget` at (fx, fy), fractions of
 * its width and height, and waits until the motion arrived. */
void           till_ui_pointer_to          (GtkWidget     *widget,
                                            double         fx,
                                            double         fy);
/* Mouse wheel clicks where the pointer is (X buttons 4 and 5): `n` steps, down when
 * `down`, each followed by a short run of the main loop. */
void           till_ui_wheel               (gboolean       down,
                                            guint          n);
/* A left click where the pointer is. */
void           till_ui_click               (void);
/* Gives `window` the X input focus and waits until GTK calls it active. */
void           till_ui_focus_window        (GtkWindow     *window);

/* The first visible toplevel of `type`, or NULL. */
GtkWindow     *till_ui_find_window         (GType          type);

guint          till_ui_n_lines             (TillUiFixture *f);
/* The stored sale of that number (after till_store_flush). */
TillSale      *till_ui_load_stored_sale    (TillUiFixture *f,
                                            const char    *number);
/* Runs one SQL query returning one text cell on the store's file, read-only. */
char          *till_ui_query_text          (TillUiFixture *f,
                                            const char    *sql,
                                            const char    *param);

/* The context's payment runtime. */
TillPaymentRuntime *till_ui_runtime        (TillUiFixture *f);
/* The cashier window's sale. */
TillSale      *till_ui_sale                (TillUiFixture *f);
/* A code from the keyboard wedge, through the context's scanner hub. */
void           till_ui_feed                (TillUiFixture *f,
                                            const char    *code);
/* Feeds `code` and waits (at most timeout_ms) until the total or the number of lines of
 * the sale changes. */
void           till_ui_add_and_wait        (TillUiFixture *f,
                                            const char    *code,
                                            guint          timeout_ms);
/* Whether the cashier window's message contains `needle`. */
gboolean       till_ui_message_contains    (TillUiFixture *f,
                                            const char    *needle);

/* An in-process simulator with its state in `dir`, listening on 127.0.0.1 (any port),
 * asking for the password for password_delay_ms. */
TillPaysim    *till_ui_paysim_start        (const char    *dir,
                                            guint          password_delay_ms);
/* Fills the payment settings for `sim` (its ids, keys and URL; key_path NULL = the
 * simulator's merchant key), the device id, and short query, deadline and HTTP timings. */
/* The simulator's Alipay gateway as the till's Alipay (till_ui_paysim_settings() sets it
 * too: the till takes both). */
void           till_ui_paysim_alipay_settings (GSettings  *settings,
                                               TillPaysim *sim);
void           till_ui_paysim_settings     (GSettings     *settings,
                                            TillPaysim    *sim,
                                            const char    *device_id,
                                            const char    *key_path);

/* Saves a PNG of the whole X screen (what a person would see, windows over windows) to the
 * meson log directory; returns the path. */
char          *till_ui_screenshot_screen   (const char    *name);
/* Saves a PNG of `widget` to the meson log directory; returns the path. */
char          *till_ui_screenshot          (GtkWidget     *widget,
                                            const char    *name);

/* ---- the demo set-up (--demo's settings: the in-process simulator, both providers) ---- */

/* A fixture with the demo's settings from `demo_dir` (shared by a test program's tests:
 * the simulator's keys are made once), `device_id` the test's own (each test has a fresh
 * database, so its order numbers would repeat in the simulator's ledger), a query every
 * 500 ms, a 12 s deadline (longer than the demo simulator's 8 s password), a 3 s HTTP
 * timeout and short retry timings; electronic payment READY when it returns. *out_demo
 * gets the demo (the caller's reference). */
TillUiFixture *till_ui_fixture_new_demo_sim (const char  *demo_dir,
                                             const char  *device_id,
                                             TillDemo   **out_demo);
/* GET `path` of the demo simulator's control API: the answer's object (a new reference). */
JsonObject    *till_ui_demo_sim_get        (TillDemo    *demo,
                                            const char  *path);
/* The simulator's ledger entry of `out_trade_no` (a new reference), or NULL. */
JsonObject    *till_ui_demo_ledger_order   (TillDemo    *demo,
                                            const char  *out_trade_no);
/* Removes `demo_dir`: the simulator's state in it, then the directory. */
void           till_ui_demo_dir_remove     (const char  *demo_dir);

G_END_DECLS
