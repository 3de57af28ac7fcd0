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
#include "till-application.h"
#include "till-cash-movement-window.h"
#include "till-cash-window.h"
#include "till-confirm-window.h"
#include "till-pin-window.h"
#include "till-preferences-window.h"
#include "till-refund-window.h"
#include "till-report-window.h"
#include "till-manager-actions.h"
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

/* ---- the shortcuts window (F1) ---- */

static char *
accel_key (guint           keyval,
           GdkModifierType mods)
{
  return g_strdup_printf ("%u:%u", gdk_keyval_to_lower (keyval),
                          mods & gtk_accelerator_get_default_mod_mask ());
}

/* Every key the shortcuts window lists ("F12 <Control>n" is two; a range as GtkShortcutLabel
 * writes it, "<Alt>1...<Alt>9", is every key from the first to the last). */
static void
collect_listed (GtkWidget  *widget,
                GHashTable *listed)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *accelerator = NULL;
      g_auto(GStrv) parts = NULL;

      g_object_get (widget, "accelerator", &accelerator, NULL);
      parts = g_strsplit (accelerator != NULL ? accelerator : "", " ", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        {
          guint keyval = 0;
          GdkModifierType mods = 0;

          const char *range = strstr (parts[i], "...");

          if (parts[i][0] == '\0')
            continue;
          if (range != NULL)
            {
              g_autofree char *first = g_strndup (parts[i], range - parts[i]);
              guint last = 0;
              GdkModifierType last_mods = 0;

              g_assert_true (gtk_accelerator_parse (first, &keyval, &mods));
              g_assert_true (gtk_accelerator_parse (range + 3, &last, &last_mods));
              g_assert_cmpuint (mods, ==, last_mods);
              g_assert_cmpuint (keyval, <=, last);
              for (guint k = keyval; k <= last; k++)
                g_hash_table_add (listed, accel_key (k, mods));
              continue;
            }
          g_assert_true (gtk_accelerator_parse (parts[i], &keyval, &mods));
          g_hash_table_add (listed, accel_key (keyval, mods));
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_listed (child, listed);
}

/* The keys of @widget's own shortcuts (its class's bindings among them) that the list
 * lacks, as "F9 -> cashier.camera". */
static void
check_widget_keys (GtkWidget  *widget,
                   GHashTable *listed,
                   GPtrArray  *missing,
                   guint      *n_keys)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          g_autofree char *key = NULL;

          /* the application's commands are named actions; GTK's own keys (focus moves,
           * the inspector) are signals */
          if (!GTK_IS_KEYVAL_TRIGGER (trigger) || !GTK_IS_NAMED_ACTION (action))
            continue;
          (*n_keys)++;
          key = accel_key (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)),
                           gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)));
          if (!g_hash_table_contains (listed, key))
            {
              g_autofree char *text = gtk_shortcut_trigger_to_string (trigger);

              g_ptr_array_add (missing, g_strdup_printf ("%s -> %s", text,
                                                         gtk_named_action_get_action_name (
                                                           GTK_NAMED_ACTION (action))));
            }
        }
    }
}

/* F1 shows the shortcuts window; it lists every key of the cashier's window and of the
 * application, and it follows the style (meson-logs/style-shortcuts-{light,dark}.png). */
static void
test_shortcuts_window (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TillManagerActions) manager = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) actions = NULL;
  GtkApplication *app = GTK_APPLICATION (till_application_new ());
  GtkShortcutsWindow *overlay;
  static const char *const schemes[] = { "light", "dark" };
  double luma[2];
  guint n_keys = 0;

  /* The application as the till runs it (its keys, the managers' keys, the shortcuts
   * window from its resources), under an id of its own. Not unreferenced: its startup
   * installed SIGINT/SIGTERM handlers that point at it. */
  g_application_set_application_id (G_APPLICATION (app), APPLICATION_ID ".ShortcutsTest");
  g_application_set_resource_base_path (G_APPLICATION (app), "/io/github/tillpoint/Tillpoint");
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  manager = till_manager_actions_new (app, f->context);
  gtk_application_add_window (app, GTK_WINDOW (f->cashier));
  actions = gtk_application_list_action_descriptions (app);

  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (f->cashier));
  g_assert_nonnull (overlay);
  collect_listed (GTK_WIDGET (overlay), listed);
  g_test_message ("%u keys in the shortcuts window", g_hash_table_size (listed));
  g_assert_cmpuint (g_hash_table_size (listed), >=, 30);

  check_widget_keys (GTK_WIDGET (f->cashier), listed, missing, &n_keys);
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (app, actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        {
          guint keyval = 0;
          GdkModifierType mods = 0;
          g_autofree char *key = NULL;

          g_assert_true (gtk_accelerator_parse (accels[j], &keyval, &mods));
          n_keys++;
          key = accel_key (keyval, mods);
          if (!g_hash_table_contains (listed, key))
            g_ptr_array_add (missing, g_strdup_printf ("%s -> %s", accels[j], actions[i]));
        }
    }
  for (guint i = 0; i < missing->len; i++)
    g_test_message ("not in the shortcuts window: %s", (char *) g_ptr_array_index (missing, i));
  g_test_message ("%u keys of the cashier's window and the application checked", n_keys);
  g_assert_cmpuint (n_keys, >=, 15);
  g_assert_cmpuint (missing->len, ==, 0);

  /* F1 opens it, in the light and the dark style */
  for (guint s = 0; s < G_N_ELEMENTS (schemes); s++)
    {
      g_autofree char *name = g_strdup_printf ("style-shortcuts-%s", schemes[s]);
      g_autofree char *path = NULL;

      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          s == 0 ? ADW_COLOR_SCHEME_FORCE_LIGHT
                                                 : ADW_COLOR_SCHEME_FORCE_DARK);
      till_ui_focus_window (GTK_WINDOW (f->cashier));
      till_ui_key ("F1", FALSE);
      TILL_UI_WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (overlay)), WAIT_MS);
      till_ui_pump (300);
      path = till_ui_screenshot (GTK_WIDGET (overlay), name);
      luma[s] = mean_luma (path);
      gtk_widget_set_visible (GTK_WIDGET (overlay), FALSE);
      till_ui_pump (100);
    }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  g_test_message ("shortcuts window mean luminance light/dark: %.3f/%.3f", luma[0], luma[1]);
  g_assert_cmpfloat (luma[1], <, luma[0] - 0.25);
  gtk_application_remove_window (app, GTK_WINDOW (f->cashier));
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
  g_test_add_func ("/ui/style/shortcuts-window", test_shortcuts_window);
  return g_test_run ();
}
