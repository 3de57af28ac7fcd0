/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GUI test harness: real store, real windows on Xvfb, real key events through XTest. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <gdk/x11/gdkx.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>
#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>

#include "till-ui-test.h"
#include "till-ui-util.h"

void
till_ui_pump (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;

  do
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (250);
    }
  while (g_get_monotonic_time () < deadline);
}

gboolean
till_ui_wait (gboolean (*cond) (gpointer),
              gpointer   data,
              guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond (data) && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
  return cond (data);
}

static Display *
xdisplay (void)
{
  GdkDisplay *display = gdk_display_get_default ();

  g_assert_true (GDK_IS_X11_DISPLAY (display));
  return gdk_x11_display_get_xdisplay (display);
}

static void
send_keysym (KeySym   sym,
             gboolean control)
{
  Display *dpy = xdisplay ();
  KeyCode code = XKeysymToKeycode (dpy, sym);
  KeyCode ctrl = XKeysymToKeycode (dpy, XK_Control_L);

  g_assert_cmpuint (code, !=, 0);
  if (control)
    XTestFakeKeyEvent (dpy, ctrl, True, 0);
  XTestFakeKeyEvent (dpy, code, True, 0);
  XTestFakeKeyEvent (dpy, code, False, 0);
  if (control)
    XTestFakeKeyEvent (dpy, ctrl, False, 0);
  XFlush (dpy);
}

typedef struct
{
  char     *display_name;
  char     *text;
  guint     gap_ms;
  gboolean  enter;
  gint      done;
} TypeJob;

/* A scanner does not wait for the application: the keys are sent from a thread of their
 * own, on a connection of their own, at the given pace, while the main thread keeps
 * running the main loop. */
static gpointer
type_thread (gpointer data)
{
  TypeJob *job = data;
  Display *dpy = XOpenDisplay (job->display_name);
  gint64 next = g_get_monotonic_time ();
  guint n = strlen (job->text) + (job->enter ? 1 : 0);

  g_assert_nonnull (dpy);
  for (guint i = 0; i < n; i++)
    {
      KeySym sym;
      KeyCode code;
      gint64 now;

      if (i < strlen (job->text))
        {
          char name[2] = { job->text[i], '\0' };

          /* Punctuation has names of its own ("." is "period"). */
          sym = job->text[i] == '.' ? XK_period : XStringToKeysym (name);
        }
      else
        sym = XK_Return;
      g_assert_cmpuint (sym, !=, NoSymbol);
      code = XKeysymToKeycode (dpy, sym);
      g_assert_cmpuint (code, !=, 0);

      now = g_get_monotonic_time ();
      if (next > now)
        g_usleep (next - now);
      XTestFakeKeyEvent (dpy, code, True, 0);
      XTestFakeKeyEvent (dpy, code, False, 0);
      XFlush (dpy);
      next += (gint64) job->gap_ms * 1000;
    }
  XSync (dpy, False);
  XCloseDisplay (dpy);
  g_atomic_int_set (&job->done, 1);
  return NULL;
}

void
till_ui_type (const char *text,
              guint       gap_ms,
              gboolean    enter)
{
  TypeJob job = { 0 };
  GThread *thread;

  job.display_name = g_strdup (gdk_display_get_name (gdk_display_get_default ()));
  job.text = g_strdup (text);
  job.gap_ms = gap_ms;
  job.enter = enter;

  thread = g_thread_new ("till-test-keys", type_thread, &job);
  TILL_UI_WAIT_FOR (g_atomic_int_get (&job.done), 30000);
  g_thread_join (thread);
  /* Let the last keys arrive and be handled. */
  till_ui_pump (MAX (gap_ms, 60));

  g_free (job.display_name);
  g_free (job.text);
}

/* `keysym_name` pressed while the modifier keys `held` (a 0-terminated list) are down. */
static void
key_with (const char   *keysym_name,
          const KeySym *held)
{
  Display *dpy = xdisplay ();
  KeySym sym = XStringToKeysym (keysym_name);
  KeyCode code;
  guint n = 0;

  g_assert_cmpuint (sym, !=, NoSymbol);
  code = XKeysymToKeycode (dpy, sym);
  g_assert_cmpuint (code, !=, 0);
  for (; held[n] != 0; n++)
    XTestFakeKeyEvent (dpy, XKeysymToKeycode (dpy, held[n]), True, 0);
  XTestFakeKeyEvent (dpy, code, True, 0);
  XTestFakeKeyEvent (dpy, code, False, 0);
  while (n-- > 0)
    XTestFakeKeyEvent (dpy, XKeysymToKeycode (dpy, held[n]), False, 0);
  XFlush (dpy);
  till_ui_pump (20);
}

void
till_ui_key_shift (const char *keysym_name)
{
  const KeySym held[] = { XK_Shift_L, 0 };

  key_with (keysym_name, held);
}

void
till_ui_key_alt (const char *keysym_name)
{
  const KeySym held[] = { XK_Alt_L, 0 };

  key_with (keysym_name, held);
}

void
till_ui_key_control_shift (const char *keysym_name)
{
  const KeySym held[] = { XK_Control_L, XK_Shift_L, 0 };

  key_with (keysym_name, held);
}

void
till_ui_key (const char *keysym_name,
             gboolean    control)
{
  KeySym sym = XStringToKeysym (keysym_name);

  g_assert_cmpuint (sym, !=, NoSymbol);
  send_keysym (sym, control);
  till_ui_pump (20);
}

/* The point (fx, fy) of `widget` (fractions of its size) in root window coordinates. */
static void
widget_root_point (GtkWidget *widget,
                   double     fx,
                   double     fy,
                   int       *out_x,
                   int       *out_y)
{
  Display *dpy = xdisplay ();
  GtkNative *native = gtk_widget_get_native (widget);
  graphene_point_t point = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) * fx,
                                                gtk_widget_get_height (widget) * fy);
  graphene_point_t in_native;
  double tx = 0, ty = 0;
  Window child;
  int rx = 0, ry = 0;

  g_assert_nonnull (native);
  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &point, &in_native));
  gtk_native_get_surface_transform (native, &tx, &ty);
  XTranslateCoordinates (dpy, gdk_x11_surface_get_xid (gtk_native_get_surface (native)),
                         DefaultRootWindow (dpy), 0, 0, &rx, &ry, &child);
  *out_x = rx + (int) (in_native.x + tx + 0.5);
  *out_y = ry + (int) (in_native.y + ty + 0.5);
}

void
till_ui_pointer_to (GtkWidget *widget,
                    double     fx,
                    double     fy)
{
  Display *dpy = xdisplay ();
  int x, y;

  widget_root_point (widget, fx, fy, &x, &y);
  XTestFakeMotionEvent (dpy, -1, x, y, 0);
  XSync (dpy, False);
  till_ui_pump (60);
}

static void
send_button (guint button)
{
  Display *dpy = xdisplay ();

  XTestFakeButtonEvent (dpy, button, True, 0);
  XTestFakeButtonEvent (dpy, button, False, 0);
  XSync (dpy, False);
}

void
till_ui_wheel (gboolean down,
               guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      send_button (down ? 5 : 4);
      till_ui_pump (40);
    }
  till_ui_pump (60);
}

void
till_ui_click (void)
{
  send_button (1);
  till_ui_pump (80);
}

void
till_ui_focus_window (GtkWindow *window)
{
  GdkDisplay *display = gdk_display_get_default ();
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  gtk_window_present (window);
  TILL_UI_WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)), 5000);

  /* Always ask the X server: GTK's idea of the active window can be stale right after a
   * modal window went away (without a window manager nobody hands the focus back). */
  do
    {
      GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

      gdk_x11_display_error_trap_push (display);
      XSetInputFocus (xdisplay (), gdk_x11_surface_get_xid (surface), RevertToParent,
                      CurrentTime);
      XFlush (xdisplay ());
      gdk_x11_display_error_trap_pop_ignored (display);
      till_ui_pump (50);
    }
  while (!gtk_window_is_active (window) && g_get_monotonic_time () < deadline);
  g_assert_true (gtk_window_is_active (window));
}

GtkWindow *
till_ui_find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type)
          && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static TillCashierWindow *last_cashier;

const char *
till_ui_last_status (void)
{
  if (last_cashier == NULL)
    return "(no window)";
  return till_cashier_window_get_message (last_cashier);
}

static void
open_cashier (TillUiFixture *f)
{
  f->checkout = till_checkout_new (f->context);
  f->cashier = till_cashier_window_new (NULL, f->checkout);
  g_object_ref_sink (f->cashier);
  g_set_weak_pointer (&last_cashier, f->cashier);
  till_customer_display_follow (f->display, G_OBJECT (f->checkout));
  gtk_window_present (GTK_WINDOW (f->cashier));
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  TILL_UI_WAIT_FOR (till_cashier_window_get_sale (f->cashier) != NULL, 5000);
  till_ui_pump (50);
}

TillUiFixture *
till_ui_fixture_new_full (gboolean                 demo,
                          void                   (*prepare) (GSettings *, gpointer),
                          gpointer                 data,
                          const TillPaymentRuntimeTuning *tuning)
{
  TillUiFixture *f = g_new0 (TillUiFixture, 1);
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("till-ui-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "tillpoint.db", NULL);
  f->store = till_store_open (f->db_path, &error);
  g_assert_no_error (error);
  g_assert_true (till_store_seed_demo_catalog (f->store, &error));
  g_assert_no_error (error);

  f->settings = g_settings_new_with_backend (APPLICATION_ID, backend);
  if (prepare != NULL)
    prepare (f->settings, data);
  f->demo = demo;
  if (tuning != NULL)
    {
      f->tuning = *tuning;
      f->have_tuning = TRUE;
    }
  f->context = till_context_new (f->store, f->settings, NULL, f->dir, demo);
  if (tuning != NULL)
    till_payment_runtime_set_tuning (till_context_get_payment_runtime (f->context), tuning);

  f->display = till_customer_display_new (f->context);
  g_object_ref_sink (f->display);
  gtk_window_present (GTK_WINDOW (f->display));

  open_cashier (f);
  return f;
}

TillPaymentRuntime *
till_ui_runtime (TillUiFixture *f)
{
  return till_context_get_payment_runtime (f->context);
}

TillUiFixture *
till_ui_fixture_new (void)
{
  return till_ui_fixture_new_full (FALSE, NULL, NULL, NULL);
}

TillUiFixture *
till_ui_fixture_new_demo (void)
{
  return till_ui_fixture_new_full (TRUE, NULL, NULL, NULL);
}

void
till_ui_fixture_reopen (TillUiFixture *f)
{
  if (f->cashier != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (f->cashier));
      g_clear_object (&f->cashier);
      g_clear_object (&f->checkout);
      till_ui_pump (50);
    }
  open_cashier (f);
}

void
till_ui_fixture_restart (TillUiFixture *f)
{
  g_autoptr(GError) error = NULL;

  gtk_window_destroy (GTK_WINDOW (f->cashier));
  g_clear_object (&f->cashier);
  g_clear_object (&f->checkout);
  gtk_window_destroy (GTK_WINDOW (f->display));
  g_clear_object (&f->display);
  till_ui_pump (50);
  till_store_flush (f->store);
  g_clear_object (&f->context);
  g_clear_object (&f->store);
  till_ui_pump (20);

  f->store = till_store_open (f->db_path, &error);
  g_assert_no_error (error);
  f->context = till_context_new (f->store, f->settings, NULL, f->dir, f->demo);
  if (f->have_tuning)
    till_payment_runtime_set_tuning (till_context_get_payment_runtime (f->context), &f->tuning);
  f->display = till_customer_display_new (f->context);
  g_object_ref_sink (f->display);
  gtk_window_present (GTK_WINDOW (f->display));
  open_cashier (f);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
till_ui_fixture_free (TillUiFixture *f)
{
  GtkWindow *modal;

  while ((modal = till_ui_find_window (GTK_TYPE_WINDOW)) != NULL)
    gtk_window_destroy (modal);
  g_clear_object (&f->cashier);
  g_clear_object (&f->checkout);
  g_clear_object (&f->display);
  till_ui_pump (50);

  till_store_flush (f->store);
  g_clear_object (&f->context);
  g_clear_object (&f->settings);
  g_clear_object (&f->store);
  till_ui_pump (10);

  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db_path);
  g_free (f);
}

guint
till_ui_n_lines (TillUiFixture *f)
{
  TillSale *sale = till_cashier_window_get_sale (f->cashier);

  return sale != NULL ? g_list_model_get_n_items (G_LIST_MODEL (sale)) : 0;
}

TillSale *
till_ui_load_stored_sale (TillUiFixture *f,
                          const char    *number)
{
  g_autoptr(GError) error = NULL;
  TillSale *sale;

  till_store_flush (f->store);
  sale = till_store_load_sale_by_number (f->store, number, &error);
  if (g_error_matches (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND))
    return NULL;
  g_assert_no_error (error);
  return sale;
}

char *
till_ui_query_text (TillUiFixture *f,
                    const char    *sql,
                    const char    *param)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;
  int rc;

  till_store_flush (f->store);
  rc = sqlite3_open_v2 (f->db_path, &db, SQLITE_OPEN_READONLY, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

static char *
log_dir (void)
{
  const char *root = g_getenv ("MESON_BUILD_ROOT");
  const char *builddir = g_getenv ("G_TEST_BUILDDIR");

  if (root != NULL)
    return g_build_filename (root, "meson-logs", NULL);
  if (builddir != NULL)
    {
      /* G_TEST_BUILDDIR is <build>/tests: the logs are in <build>/meson-logs. */
      g_autofree char *parent = g_path_get_dirname (builddir);

      return g_build_filename (parent, "meson-logs", NULL);
    }
  return g_get_current_dir ();
}

char *
till_ui_screenshot (GtkWidget  *widget,
                    const char *name)
{
  g_autofree char *dir = log_dir ();
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0755);
  /* Let pending layout and paint happen first. */
  till_ui_pump (150);
  g_assert_true (till_ui_save_screenshot (widget, path, &error));
  g_assert_no_error (error);
  g_test_message ("screenshot: %s", path);
  return path;
}

char *
till_ui_screenshot_screen (const char *name)
{
  Display *dpy = xdisplay ();
  Window root = DefaultRootWindow (dpy);
  XWindowAttributes attrs;
  XImage *image;
  g_autofree char *dir = log_dir ();
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  guint8 *rgb;

  g_mkdir_with_parents (dir, 0755);
  till_ui_pump (150);
  XSync (dpy, False);
  g_assert_true (XGetWindowAttributes (dpy, root, &attrs));
  image = XGetImage (dpy, root, 0, 0, attrs.width, attrs.height, AllPlanes, ZPixmap);
  g_assert_nonnull (image);
  g_assert_cmpint (image->depth, >=, 24);
  rgb = g_malloc ((gsize) attrs.width * attrs.height * 3);
  for (int y = 0; y < attrs.height; y++)
    for (int x = 0; x < attrs.width; x++)
      {
        unsigned long pixel = XGetPixel (image, x, y);
        guint8 *out = rgb + ((gsize) y * attrs.width + x) * 3;

        out[0] = (pixel & image->red_mask) >> 16;
        out[1] = (pixel & image->green_mask) >> 8;
        out[2] = pixel & image->blue_mask;
      }
  XDestroyImage (image);
  bytes = g_bytes_new_take (rgb, (gsize) attrs.width * attrs.height * 3);
  texture = gdk_memory_texture_new (attrs.width, attrs.height, GDK_MEMORY_R8G8B8, bytes,
                                    (gsize) attrs.width * 3);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  return path;
}

TillSale *
till_ui_sale (TillUiFixture *f)
{
  return till_cashier_window_get_sale (f->cashier);
}

void
till_ui_feed (TillUiFixture *f,
              const char    *code)
{
  till_scanner_hub_feed (till_context_get_scanner_hub (f->context), code,
                         TILL_SCAN_SOURCE_WEDGE);
}

void
till_ui_add_and_wait (TillUiFixture *f,
                      const char    *code,
                      guint          timeout_ms)
{
  guint before = till_ui_n_lines (f);
  gint64 total = till_sale_get_total_fen (till_ui_sale (f));

  till_ui_feed (f, code);
  TILL_UI_WAIT_FOR (till_sale_get_total_fen (till_ui_sale (f)) != total
                    || till_ui_n_lines (f) != before, timeout_ms);
}

gboolean
till_ui_message_contains (TillUiFixture *f,
                          const char    *needle)
{
  const char *message = till_cashier_window_get_message (f->cashier);

  return message != NULL && strstr (message, needle) != NULL;
}

TillPaysim *
till_ui_paysim_start (const char *dir,
                      guint       password_delay_ms)
{
  g_autoptr(GError) error = NULL;
  TillPaysim *sim = till_paysim_new (dir, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (till_paysim_listen (sim, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  till_paysim_set_password_delay_ms (sim, password_delay_ms);
  return sim;
}

void
till_ui_paysim_alipay_settings (GSettings  *settings,
                                TillPaysim *sim)
{
  g_autofree char *key = till_paysim_dup_path (sim, TILL_PAYSIM_FILE_ALIPAY_APP_PRIVATE_KEY);
  g_autofree char *pub = till_paysim_dup_path (sim, TILL_PAYSIM_FILE_ALIPAY_PLATFORM_PUBLIC_KEY);
  g_autofree char *gateway = g_strconcat (till_paysim_get_base_url (sim), "/gateway.do", NULL);

  g_settings_set_string (settings, "alipay-gateway-url", gateway);
  g_settings_set_string (settings, "alipay-app-id", till_paysim_get_alipay_app_id (sim));
  g_settings_set_string (settings, "alipay-app-private-key-path", key);
  g_settings_set_string (settings, "alipay-public-key-path", pub);
}

void
till_ui_paysim_settings (GSettings  *settings,
                         TillPaysim *sim,
                         const char *device_id,
                         const char *key_path)
{
  g_autofree char *key = till_paysim_dup_path (sim, TILL_PAYSIM_FILE_MERCHANT_PRIVATE_KEY);
  g_autofree char *pub = till_paysim_dup_path (sim, TILL_PAYSIM_FILE_PLATFORM_PUBLIC_KEY);

  g_settings_set_string (settings, "api-base-url", till_paysim_get_base_url (sim));
  g_settings_set_string (settings, "mchid", till_paysim_get_mchid (sim));
  g_settings_set_string (settings, "appid", till_paysim_get_appid (sim));
  g_settings_set_string (settings, "merchant-serial-no", till_paysim_get_merchant_serial (sim));
  g_settings_set_string (settings, "merchant-key-path", key_path != NULL ? key_path : key);
  g_settings_set_string (settings, "platform-public-key-path", pub);
  g_settings_set_string (settings, "platform-public-key-id",
                         till_paysim_get_platform_public_key_id (sim));
  g_settings_set_string (settings, "device-id", device_id);
  till_ui_paysim_alipay_settings (settings, sim);
  g_settings_set_uint (settings, "query-interval-ms", 500);
  g_settings_set_uint (settings, "pay-deadline-ms", 5000);
  g_settings_set_uint (settings, "http-timeout-ms", 3000);
}

/* ---- the demo set-up ---- */

typedef struct
{
  const char *demo_dir;
  const char *device_id;
  TillDemo   *demo;
} DemoSetup;

static void
demo_started_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  *(GAsyncResult **)data = g_object_ref (result);
}

static void
demo_prepare_settings (GSettings *settings,
                       gpointer   data)
{
  DemoSetup *setup = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  /* As --demo starts it: the keys in a worker thread, the listening here. */
  till_demo_start_async (setup->demo_dir, settings, NULL, demo_started_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  setup->demo = till_demo_start_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (setup->demo);
  g_settings_set_string (settings, "device-id", setup->device_id);
  g_settings_set_uint (settings, "query-interval-ms", 500);
  g_settings_set_uint (settings, "pay-deadline-ms", 12000);
  g_settings_set_uint (settings, "http-timeout-ms", 3000);
}

static const TillPaymentRuntimeTuning demo_tuning = {
  .native_deadline_ms = 30000,
  .reverse_min_delay_ms = 1000,
  .reverse_attempts = 2,
  .reverse_retry_ms = 200,
  .backoff_base_ms = 300,
  .backoff_cap_ms = 1000,
  .probe_interval_ms = 400,
};

TillUiFixture *
till_ui_fixture_new_demo_sim (const char  *demo_dir,
                              const char  *device_id,
                              TillDemo   **out_demo)
{
  DemoSetup setup = { demo_dir, device_id, NULL };
  TillUiFixture *f = till_ui_fixture_new_full (TRUE, demo_prepare_settings, &setup, &demo_tuning);

  TILL_UI_WAIT_FOR (till_payment_runtime_get_payment_status (till_ui_runtime (f))
                    == TILL_PAYMENT_STATUS_READY, 8000);
  *out_demo = setup.demo;
  return f;
}

typedef struct
{
  GBytes  *body;
  GError  *error;
  gboolean done;
} HttpWait;

static void
http_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  HttpWait *w = user_data;

  w->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &w->error);
  w->done = TRUE;
}

JsonObject *
till_ui_demo_sim_get (TillDemo   *demo,
                      const char *path)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (till_demo_get_base_url (demo), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) body = NULL;
  HttpWait w = { 0 };
  gsize len = 0;
  const char *data;

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, http_done_cb, &w);
  TILL_UI_WAIT_FOR (w.done, 8000);
  g_assert_no_error (w.error);
  body = w.body;
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  data = g_bytes_get_data (body, &len);
  g_assert_true (json_parser_load_from_data (parser, data, (gssize) len, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

JsonObject *
till_ui_demo_ledger_order (TillDemo   *demo,
                           const char *out_trade_no)
{
  g_autoptr(JsonObject) ledger = till_ui_demo_sim_get (demo, "/_sim/ledger");
  JsonArray *orders = json_object_get_array_member (ledger, "orders");

  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *o = json_array_get_object_element (orders, i);

      if (g_strcmp0 (json_object_get_string_member (o, "out_trade_no"), out_trade_no) == 0)
        return json_object_ref (o);
    }
  return NULL;
}

void
till_ui_demo_dir_remove (const char *demo_dir)
{
  g_autofree char *sim_dir = g_build_filename (demo_dir, "paysim", NULL);
  g_autoptr(GDir) dir = g_dir_open (sim_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (sim_dir, name, NULL);

      g_unlink (child);
    }
  g_rmdir (sim_dir);
  g_rmdir (demo_dir);
}
