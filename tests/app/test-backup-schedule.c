/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The till's backups with its settings (TillBackupSchedule): one made now goes to the
 * default folder (DATA_DIR/backups) and keeps backup-keep of them; a backup folder that is
 * not there (a USB stick not plugged in) is a message for the cashier, and the sale goes
 * on; after the stick is back, the next one is made. */
#define G_LOG_DOMAIN "test-backup-schedule"

#include "config.h"

#include <glib/gstdio.h>

#include "till-backup-schedule.h"
#include "till-store-backup.h"
#include "till-test-app.h"

#define COLA "6954767002057"   /* 可口可乐 500ml, ¥3.50 */

static void
message_cb (TillBackupSchedule *schedule,
            int                 kind,
            const char         *text,
            GPtrArray          *said)
{
  g_assert_cmpint (kind, ==, TILL_MESSAGE_ERROR);
  g_ptr_array_add (said, g_strdup (text));
}

static guint
count_backups (const char *dir)
{
  g_autoptr(GPtrArray) list = till_store_backup_list (dir, "01", NULL);

  return list != NULL ? list->len : 0;
}

static gboolean
count_reached (TillTestApp *app,
               gpointer     data)
{
  g_autofree char *dir = g_build_filename (app->dir, "backups", NULL);

  return count_backups (dir) >= GPOINTER_TO_UINT (data);
}

static gboolean
said_something (TillTestApp *app,
                gpointer     data)
{
  return ((GPtrArray *) data)->len > 0;
}

static void
test_schedule (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr(TillBackupSchedule) schedule = NULL;
  g_autoptr(GPtrArray) said = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *default_dir = g_build_filename (app->dir, "backups", NULL);
  g_autofree char *stick = g_build_filename (app->dir, "usb-stick", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = NULL;
  g_autofree char *number = NULL;

  g_settings_set_uint (app->settings, "backup-keep", 2);
  g_settings_set_uint (app->settings, "backup-interval-hours", 0);
  schedule = till_backup_schedule_new (app->context);
  g_signal_connect (schedule, "message", G_CALLBACK (message_cb), said);

  /* The default folder, made when missing; keep 2. */
  for (guint i = 1; i <= 3; i++)
    {
      till_test_app_scan (app, COLA);
      till_backup_schedule_run_now (schedule);
      till_test_app_wait (app, count_reached, GUINT_TO_POINTER (MIN (i, 2)), 10000,
                          "a backup in the default folder");
      till_test_app_spin (50);
    }
  till_test_app_spin (300);
  g_assert_cmpuint (count_backups (default_dir), ==, 2);
  g_assert_cmpuint (said->len, ==, 0);

  /* The USB stick is not plugged in: said, and the sale goes on. */
  g_settings_set_string (app->settings, "backup-dir", stick);
  till_backup_schedule_run_now (schedule);
  till_test_app_wait (app, said_something, said, 10000, "the missing stick said");
  g_test_message ("said: %s", (const char *) g_ptr_array_index (said, 0));
  g_assert_nonnull (strstr (g_ptr_array_index (said, 0), "No backup was made"));
  g_assert_nonnull (strstr (g_ptr_array_index (said, 0), "USB stick"));
  g_assert_false (g_file_test (stick, G_FILE_TEST_EXISTS));
  till_test_app_scan (app, COLA);
  sale = g_object_ref (till_checkout_get_sale (app->checkout));
  g_assert_cmpint (till_checkout_get_due_fen (app->checkout), ==, 4 * 350);
  g_assert_true (till_checkout_pay_cash (app->checkout, 4 * 350, 2000, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  number = g_strdup (till_sale_get_number (sale));
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_PAID);

  /* Plugged in: the next one is made there, with the paid sale. */
  g_assert_cmpint (g_mkdir (stick, 0700), ==, 0);
  till_backup_schedule_run_now (schedule);
  for (guint i = 0; i < 200 && count_backups (stick) == 0; i++)
    till_test_app_spin (50);
  g_assert_cmpuint (count_backups (stick), ==, 1);
  g_assert_cmpuint (said->len, ==, 1);
  {
    g_autoptr(GPtrArray) list = till_store_backup_list (stick, "01", NULL);
    TillBackupInfo *info = g_ptr_array_index (list, 0);
    g_autoptr(TillStore) copy = NULL;
    g_autoptr(TillSale) kept = NULL;

    g_assert_true (till_store_backup_verify_file (info->path, &error));
    g_assert_no_error (error);
    copy = till_store_open (info->path, &error);
    g_assert_no_error (error);
    g_assert_cmpint (till_store_count_products (copy, NULL), >, 0);
    kept = till_store_load_sale_by_number (copy, number, &error);

    g_assert_no_error (error);
    g_assert_cmpint (till_sale_get_state (kept), ==, TILL_SALE_STATE_PAID);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* The missing stick is a warning in the log, as it should be: not fatal here. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  g_test_add_func ("/app/backup-schedule/now-keep-missing-stick", test_schedule);
  return g_test_run ();
}
