/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Preferences → Head office (issue 19): the settings refused or taken as the sender takes
 * them, the connection test on its thread, the rows head office refused in a column view
 * and "Retry all" with a real click and with its accelerator; the status bar's "failed". */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <glib/gstdio.h>

#include "till-hq-sync.h"
#include "till-preferences-hq.h"
#include "till-preferences-window.h"
#include "till-store-cash.h"
#include "till-store-hq.h"
#include "till-ui-test.h"

#define WAIT_MS 15000

static GtkWidget *
find_named (GtkWidget *widget, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Three of the books' rows sent and refused: three dead jobs, as the sender leaves them. */
static void
make_dead_jobs (TillStore *store, int day_offset)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TillStoreHqBatch) batch = NULL;

  g_assert_true (till_store_hq_set_enabled (store, TRUE, NULL, &error));
  g_assert_no_error (error);
  for (int i = 0; i < 3; i++)
    {
      g_assert_true (till_store_cash_record (store, TILL_CASH_IN, 100 + i + day_offset, "change",
                                             "小李", &error));
      g_assert_no_error (error);
    }
  batch = till_store_hq_take_batch (store, "north01", "01", 300, g_get_real_time (), &error);
  g_assert_no_error (error);
  g_assert_nonnull (batch);
  g_assert_cmpuint (batch->job_ids->len, ==, 3);
  g_assert_true (till_store_hq_batch_dead (store, batch->job_ids,
                                           "head office does not know store north01", &error));
  g_assert_no_error (error);
}

/* Enter in an entry row (a real key) applies it. */
static void
apply_text (TillPreferencesWindow *prefs, GtkWidget *row, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  gtk_widget_grab_focus (row);
  till_ui_pump (50);
  till_ui_key ("Return", FALSE);
  till_ui_pump (100);
}

static void
test_preferences_head_office (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr (TillHqSync) sync = till_hq_sync_new (f->store);
  g_autofree char *pwfile = g_build_filename (f->dir, "hq.pgpass", NULL);
  TillPreferencesWindow *prefs;
  GtkWidget *url, *store_id, *password, *message, *status, *test, *summary, *retry, *page;
  GtkColumnView *view;

  till_hq_sync_set_intervals (sync, 50, 200, 1000);
  till_hq_sync_bind_settings (sync, f->settings);
  till_context_set_hq_sync (f->context, sync);
  till_ui_fixture_reopen (f);

  prefs = till_preferences_window_new (GTK_WINDOW (f->cashier), f->context);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "head-office");
  gtk_window_set_default_size (GTK_WINDOW (prefs), 900, 1040);
  gtk_window_present (GTK_WINDOW (prefs));
  till_ui_focus_window (GTK_WINDOW (prefs));

  url = find_named (GTK_WIDGET (prefs), "hq-url");
  page = gtk_widget_get_ancestor (url, TILL_TYPE_PREFERENCES_HQ);
  store_id = find_named (GTK_WIDGET (prefs), "hq-store-id");
  password = find_named (GTK_WIDGET (prefs), "hq-password-file");
  message = find_named (GTK_WIDGET (prefs), "hq-message");
  status = find_named (GTK_WIDGET (prefs), "hq-status");
  test = find_named (GTK_WIDGET (prefs), "hq-test");
  summary = find_named (GTK_WIDGET (prefs), "hq-dead-summary");
  retry = find_named (GTK_WIDGET (prefs), "hq-retry-all");
  view = GTK_COLUMN_VIEW (find_named (GTK_WIDGET (prefs), "hq-dead"));
  g_assert_true (TILL_IS_PREFERENCES_HQ (page));
  g_assert_nonnull (url);
  g_assert_nonnull (view);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (status)), ==,
                   "Off: set the head-office database to send the books");
  TILL_UI_WAIT_FOR (g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (summary)),
                               "None: head office took every row sent")
                        == 0,
                    WAIT_MS);
  g_assert_false (gtk_widget_get_sensitive (retry));

  /* a password inside the URI is refused, in both of libpq's forms */
  apply_text (prefs, url, "postgresql://till:secret@localhost/hq");
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (message)),
                            "password file"));
  g_assert_true (gtk_widget_has_css_class (url, "error"));
  g_assert_cmpstr (g_settings_get_string (f->settings, "hq-url"), ==, "");
  apply_text (prefs, url, "host=localhost dbname=hq password=secret");
  g_assert_cmpstr (g_settings_get_string (f->settings, "hq-url"), ==, "");
  /* what libpq cannot read at all */
  apply_text (prefs, url, "postgresql://[::1");
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_cmpstr (g_settings_get_string (f->settings, "hq-url"), ==, "");

  /* a store ID head office would refuse; then one it takes, typed */
  apply_text (prefs, store_id, "north 01!");
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (message)), "north 01!"));
  g_assert_cmpstr (g_settings_get_string (f->settings, "hq-store-id"), ==, "");
  gtk_editable_set_text (GTK_EDITABLE (store_id), "");
  gtk_widget_grab_focus (store_id);
  till_ui_type ("north01", 10, TRUE);
  g_assert_cmpstr (g_settings_get_string (f->settings, "hq-store-id"), ==, "north01");
  g_assert_false (gtk_widget_get_visible (message));
  g_assert_false (gtk_widget_has_css_class (store_id, "error"));

  /* a password file others may read is refused; chmod 600 and it is taken */
  g_assert_true (g_file_set_contents (pwfile, "*:*:*:till:secret\n", -1, NULL));
  g_assert_cmpint (g_chmod (pwfile, 0644), ==, 0);
  apply_text (prefs, password, pwfile);
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (message)), "chmod 600"));
  g_assert_cmpstr (g_settings_get_string (f->settings, "hq-password-file"), ==, "");
  g_assert_cmpint (g_chmod (pwfile, 0600), ==, 0);
  apply_text (prefs, password, pwfile);
  g_assert_false (gtk_widget_get_visible (message));
  g_assert_cmpstr (g_settings_get_string (f->settings, "hq-password-file"), ==, pwfile);

  /* a server that is not there: sending goes on (hq_config), the sender says offline */
  apply_text (prefs, url, "host=/nonexistent-till-hq dbname=hq");
  g_assert_cmpstr (g_settings_get_string (f->settings, "hq-url"), ==,
                   "host=/nonexistent-till-hq dbname=hq");
  TILL_UI_WAIT_FOR (till_hq_sync_get_state (sync) == TILL_HQ_SYNC_OFFLINE, WAIT_MS);
  {
    gboolean enabled = FALSE;

    g_assert_true (till_store_hq_get_enabled (f->store, &enabled, NULL));
    g_assert_true (enabled);
  }
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (status)), ==,
                   "Head office: offline");

  /* the connection test, on its thread, with its accelerator */
  gtk_widget_grab_focus (url);
  till_ui_key_control_shift ("h");
  TILL_UI_WAIT_FOR (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (test)),
                                      "Connection failed: "),
                    WAIT_MS);
  g_assert_true (gtk_widget_has_css_class (test, "error"));

  /* rows refused: listed, counted, and said in the status bar */
  make_dead_jobs (f->store, 0);
  till_hq_sync_kick (sync);
  TILL_UI_WAIT_FOR (till_preferences_hq_get_n_dead (TILL_PREFERENCES_HQ (page)) == 3, WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view))),
                    ==, 3);
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (view))));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (summary)), ==,
                   "3 rows refused: fix the cause the last error gives, then retry");
  g_assert_true (gtk_widget_get_sensitive (retry));
  TILL_UI_WAIT_FOR (g_strcmp0 (gtk_label_get_text (f->cashier->hq_label),
                               "Head office: offline, 3 failed")
                        == 0,
                    WAIT_MS);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->cashier->hq_label), "error"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (status)), ==,
                   "Head office: offline, 3 failed");
  till_ui_pump (300);
  till_ui_screenshot (GTK_WIDGET (prefs), "preferences-head-office");

  /* Retry All, clicked: pending again, and the sender is woken */
  till_ui_pointer_to (retry, 0.5, 0.5);
  till_ui_click ();
  TILL_UI_WAIT_FOR (till_preferences_hq_get_n_dead (TILL_PREFERENCES_HQ (page)) == 0, WAIT_MS);
  g_assert_cmpint (till_store_hq_count_dead (f->store, NULL), ==, 0);
  g_assert_cmpint (till_store_hq_count_waiting (f->store, NULL), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view))),
                    ==, 0);
  g_assert_false (gtk_widget_get_sensitive (retry));
  TILL_UI_WAIT_FOR (g_strcmp0 (gtk_label_get_text (f->cashier->hq_label), "Head office: offline")
                        == 0,
                    WAIT_MS);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (f->cashier->hq_label), "error"));

  /* refused again; Ctrl+Shift+E retries them */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (TillStoreHqBatch) batch
        = till_store_hq_take_batch (f->store, "north01", "01", 300, g_get_real_time (), &error);

    /* the sender may hold them (running): wait until it has put them back */
    while (batch == NULL)
      {
        till_ui_pump (50);
        batch = till_store_hq_take_batch (f->store, "north01", "01", 300,
                                          g_get_real_time () + 10 * G_USEC_PER_SEC, &error);
        g_assert_no_error (error);
      }
    g_assert_true (till_store_hq_batch_dead (f->store, batch->job_ids, "refused again", &error));
    g_assert_no_error (error);
  }
  till_preferences_hq_refresh (TILL_PREFERENCES_HQ (page));
  TILL_UI_WAIT_FOR (till_preferences_hq_get_n_dead (TILL_PREFERENCES_HQ (page)) == 3, WAIT_MS);
  gtk_widget_grab_focus (url);
  till_ui_key_control_shift ("e");
  TILL_UI_WAIT_FOR (till_preferences_hq_get_n_dead (TILL_PREFERENCES_HQ (page)) == 0, WAIT_MS);
  g_assert_cmpint (till_store_hq_count_dead (f->store, NULL), ==, 0);

  /* the URI emptied: sending off */
  apply_text (prefs, url, "");
  TILL_UI_WAIT_FOR (till_hq_sync_get_state (sync) == TILL_HQ_SYNC_OFF, WAIT_MS);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (status)), ==,
                   "Off: set the head-office database to send the books");

  gtk_window_destroy (GTK_WINDOW (prefs));
  till_context_set_hq_sync (f->context, NULL);
  till_ui_fixture_free (f);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/preferences/head-office", test_preferences_head_office);
  return g_test_run ();
}
