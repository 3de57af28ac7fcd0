/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The look under libadwaita, light and dark (issue 13): the style follows the system's
 * preference (forced here through AdwStyleManager, as the desktop would set it) — the
 * cashier's window turns dark — while the big total and the customer display keep their
 * own colours. An empty cart is an AdwStatusPage. Each window is screenshot in both styles (meson-logs/style-*.png): the
 * cashier's window with a sale, the total, the customer display, the cash window, the
 * void confirmation (an AdwMessageDialog) and the About window (AdwAboutWindow). The
 * manager's windows too (meson-logs/style-manager-*.png): each page of Preferences (an
 * AdwPreferencesWindow), the PIN and sign-in prompts, the report and refund windows' empty
 * states (AdwStatusPage) and the cash in / out window; the window's background follows the
 * style in each. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <X11/Xlib.h>
#include <adwaita.h>

#include "till-about.h"
#include "till-cash-movement-window.h"
#include "till-cash-window.h"
#include "till-confirm-window.h"
#include "till-pin-window.h"
#include "till-preferences-window.h"
#include "till-refund-window.h"
#include "till-report-window.h"
#include "till-signin-window.h"
#include "till-ui-test.h"

#define COLA_EAN  "6954767002057"   /* 可口可乐 500ml */
#define CHIPS_EAN "6924678006079"   /* 乐事薯片原味 70g */
#define WAIT_MS   5000

/* The mean relative luminance (0 black … 1 white) of a PNG's pixels. */
static double
mean_luma (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (path, &error);
  g_autofree guchar *data = NULL;
  int width, height;
  gsize stride;
  double sum = 0;

  g_assert_no_error (error);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  stride = (gsize) width * 4;
  data = g_malloc (stride * height);
  /* GDK_MEMORY_DEFAULT: B8G8R8A8 premultiplied; the screenshots are opaque */
  gdk_texture_download (texture, data, stride);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *p = data + y * stride + x * 4;

        sum += (0.0722 * p[0] + 0.7152 * p[1] + 0.2126 * p[2]) / 255.0;
      }
  return sum / ((double) width * height);
}

typedef struct
{
  double cashier;
  double total;
  double display;
} Lumas;

static gboolean
window_of_type_cond (gpointer type)
{
  return till_ui_find_window ((GType) GPOINTER_TO_SIZE (type)) != NULL;
}

static gboolean
no_window_of_type_cond (gpointer type)
{
  return till_ui_find_window ((GType) GPOINTER_TO_SIZE (type)) == NULL;
}

static void
shoot_style (TillUiFixture  *f,
             AdwColorScheme  scheme,
             const char     *name,
             Lumas          *lumas)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  g_autofree char *cashier = g_strdup_printf ("style-cashier-%s", name);
  g_autofree char *total = g_strdup_printf ("style-total-%s", name);
  g_autofree char *display = g_strdup_printf ("style-display-%s", name);
  g_autofree char *cash = g_strdup_printf ("style-cash-window-%s", name);
  g_autofree char *confirm = g_strdup_printf ("style-confirm-%s", name);
  g_autofree char *about = g_strdup_printf ("style-about-%s", name);
  g_autofree char *path = NULL;
  GtkWindow *window;

  adw_style_manager_set_color_scheme (manager, scheme);
  till_ui_pump (300);
  g_assert_cmpint (adw_style_manager_get_dark (manager), ==, scheme == ADW_COLOR_SCHEME_FORCE_DARK);

  path = till_ui_screenshot (GTK_WIDGET (f->cashier), cashier);
  lumas->cashier = mean_luma (path);
  g_free (path);
  path = till_ui_screenshot (gtk_widget_get_parent (GTK_WIDGET (f->cashier->total_label)), total);
  lumas->total = mean_luma (path);
  g_free (path);
  path = till_ui_screenshot (GTK_WIDGET (f->display), display);
  lumas->display = mean_luma (path);
  g_clear_pointer (&path, g_free);

  /* the cash window (F8) */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("F8", FALSE);
  g_assert_true (till_ui_wait (window_of_type_cond, GSIZE_TO_POINTER (TILL_TYPE_CASH_WINDOW),
                               WAIT_MS));
  window = till_ui_find_window (TILL_TYPE_CASH_WINDOW);
  g_free (till_ui_screenshot (GTK_WIDGET (window), cash));
  gtk_window_close (window);
  g_assert_true (till_ui_wait (no_window_of_type_cond,
                               GSIZE_TO_POINTER (TILL_TYPE_CASH_WINDOW), WAIT_MS));

  /* the void confirmation (F4), cancelled with Escape: the sale stays */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("F4", FALSE);
  g_assert_true (till_ui_wait (window_of_type_cond,
                               GSIZE_TO_POINTER (TILL_TYPE_CONFIRM_WINDOW), WAIT_MS));
  window = till_ui_find_window (TILL_TYPE_CONFIRM_WINDOW);
  g_assert_true (ADW_IS_MESSAGE_DIALOG (window));
  g_free (till_ui_screenshot (GTK_WIDGET (window), confirm));
  till_ui_focus_window (window);
  till_ui_key ("Escape", FALSE);
  g_assert_true (till_ui_wait (no_window_of_type_cond,
                               GSIZE_TO_POINTER (TILL_TYPE_CONFIRM_WINDOW), WAIT_MS));
  g_assert_cmpuint (till_ui_n_lines (f), ==, 2);

  /* the About window */
  till_show_about (GTK_WINDOW (f->cashier));
  g_assert_true (till_ui_wait (window_of_type_cond, GSIZE_TO_POINTER (ADW_TYPE_ABOUT_WINDOW),
                               WAIT_MS));
  window = till_ui_find_window (ADW_TYPE_ABOUT_WINDOW);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (window)), ==,
                   PACKAGE_VERSION);
  g_free (till_ui_screenshot (GTK_WIDGET (window), about));
  gtk_window_destroy (window);
}

static void
test_light_and_dark (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  Lumas light, dark;

  /* an empty cart is a status page saying how to start; the first line replaces it */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->cashier->cart_stack), ==, "empty");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_free (till_ui_screenshot (GTK_WIDGET (f->cashier), "style-cashier-empty-light"));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  g_free (till_ui_screenshot (GTK_WIDGET (f->cashier), "style-cashier-empty-dark"));
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->cashier->cart_stack), ==, "cart");
  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);

  shoot_style (f, ADW_COLOR_SCHEME_FORCE_LIGHT, "light", &light);
  shoot_style (f, ADW_COLOR_SCHEME_FORCE_DARK, "dark", &dark);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
  g_test_message ("mean luminance light/dark: cashier %.3f/%.3f, total %.3f/%.3f, "
                  "display %.3f/%.3f", light.cashier, dark.cashier, light.total, dark.total,
                  light.display, dark.display);

  /* the cashier's window follows the style */
  g_assert_cmpfloat (dark.cashier, <, light.cashier - 0.25);
  /* the total and the customer display keep their own colours */
  g_assert_cmpfloat (ABS (dark.total - light.total), <, 0.01);
  g_assert_cmpfloat (ABS (dark.display - light.display), <, 0.01);
  till_ui_fixture_free (f);
}

/* Presents `window`, screenshots it as style-manager-NAME-SCHEME and returns the PNG's mean
 * luminance; the window is destroyed. */
static double
shoot_window (GtkWindow  *window,
              const char *name,
              const char *scheme)
{
  g_autofree char *file = g_strdup_printf ("style-manager-%s-%s", name, scheme);
  g_autofree char *path = NULL;
  double luma;

  gtk_window_present (window);
  till_ui_pump (300);
  path = till_ui_screenshot (GTK_WIDGET (window), file);
  luma = mean_luma (path);
  gtk_window_destroy (window);
  till_ui_pump (50);
  return luma;
}

static void
test_manager_windows (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  static const char *const schemes[] = { "light", "dark" };
  static const char *const pages[] = { "till", "devices", "payment", "receipts" };
  g_autoptr(GError) error = NULL;
  double prefs_luma[2] = { 0, 0 };

  g_assert_cmpint (till_people_add (till_shift_get_people (till_context_get_shift (f->context)),
                                    "王店长", TILL_ROLE_MANAGER, "8642", "test", &error),
                   >, 0);
  g_assert_no_error (error);
  for (guint s = 0; s < G_N_ELEMENTS (schemes); s++)
    {
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          s == 0 ? ADW_COLOR_SCHEME_FORCE_LIGHT
                                                 : ADW_COLOR_SCHEME_FORCE_DARK);
      till_ui_pump (200);

      /* Preferences: every page; the first one's luminance to compare the styles */
      for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
        {
          TillPreferencesWindow *prefs = till_preferences_window_new (GTK_WINDOW (f->cashier),
                                                                      f->context);
          g_autofree char *name = g_strdup_printf ("preferences-%s", pages[p]);
          double luma;

          adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs),
                                                        pages[p]);
          luma = shoot_window (GTK_WINDOW (prefs), name, schemes[s]);
          if (p == 0)
            prefs_luma[s] = luma;
        }

      shoot_window (GTK_WINDOW (till_pin_window_new (GTK_WINDOW (f->cashier), f->context,
                                                     TILL_APPROVAL_SETTINGS, NULL, NULL)),
                    "pin", schemes[s]);
      {
        TillSigninWindow *signin = till_signin_window_new (GTK_WINDOW (f->cashier), f->context,
                                                           FALSE);

        gtk_window_present (GTK_WINDOW (signin));
        TILL_UI_WAIT_FOR (g_strcmp0 (till_signin_window_get_page (signin), "loading") != 0,
                          WAIT_MS);
        shoot_window (GTK_WINDOW (signin), "signin", schemes[s]);
      }
      {
        TillReportWindow *report = till_report_window_new (GTK_WINDOW (f->cashier), f->context);

        gtk_window_set_default_size (GTK_WINDOW (report), 1000, 700);
        gtk_window_present (GTK_WINDOW (report));
        TILL_UI_WAIT_FOR (!till_report_window_get_loading (report), WAIT_MS);
        g_assert_true (till_report_window_get_empty (report));
        shoot_window (GTK_WINDOW (report), "report-empty", schemes[s]);
      }
      {
        TillRefundWindow *refund = till_refund_window_new (GTK_WINDOW (f->cashier), f->context);

        gtk_window_set_default_size (GTK_WINDOW (refund), 1100, 700);
        shoot_window (GTK_WINDOW (refund), "refund-empty", schemes[s]);
      }
      shoot_window (GTK_WINDOW (till_cash_movement_window_new (GTK_WINDOW (f->cashier),
                                                               f->context)),
                    "cash-movement", schemes[s]);
    }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
  g_test_message ("Preferences' mean luminance light/dark: %.3f/%.3f", prefs_luma[0],
                  prefs_luma[1]);
  g_assert_cmpfloat (prefs_luma[1], <, prefs_luma[0] - 0.25);
  till_ui_fixture_free (f);
}

int
main (int   argc,
      char *argv[])
{
  /* The key-sending thread has an X connection of its own. */
  XInitThreads ();
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/style/light-and-dark", test_light_and_dark);
  g_test_add_func ("/ui/style/manager-windows", test_manager_windows);
  return g_test_run ();
}
