/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillApplication: the command line, the data directory and store, the shared context,
 * and the two windows (cashier, customer display). */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <errno.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "till-about.h"
#include "till-application.h"
#include "till-backup-schedule.h"
#include "till-cashier-window.h"
#include "till-context.h"
#include "till-customer-display.h"
#include "till-manager-actions.h"
#include "till-first-frame.h"
#include "till-start-trace.h"
#include "till-i18n.h"
#include "till-members-cli.h"
#include "till-receipt-trigger.h"
#include "till-report-cli.h"
#include "till-restore.h"
#include "till-renderer.h"
#include "till-startup-error-window.h"
#include "till-store-backup.h"
#include "till-store-clean.h"
#include "till-store-dirlock.h"
#include "till-store-outbox.h"
#include "till-store-product-stock.h"
#include "till-system-printer.h"
#include "till-ui-util.h"

struct _TillApplication
{
  AdwApplication       parent_instance;

  gboolean             demo;
  char                *data_dir;
  char                *demo_tmp_dir;   /* removed at exit */
  TillStoreDirLock    *dir_lock;       /* held for the whole life of the till */
  gboolean             store_checked;  /* opened by this run after its check */
  gboolean             others_presented; /* the display after the cashier's first frame */

  TillContext         *context;
  TillCheckout        *checkout;       /* the sale at the counter */
  TillReceiptTrigger  *receipts;       /* its receipt after each paid sale */
  TillManagerActions  *managers;       /* the managers' actions */
  TillBackupSchedule  *backups;        /* backups every few hours */
  TillCashierWindow   *cashier;        /* weak */
  TillCustomerDisplay *display;        /* weak */
  const TillApplicationDemo *demo_hooks;  /* src/ui/demo's, from the program */
  GObject             *demo_run;       /* --demo: the simulator, in-process */
  GCancellable        *demo_cancellable; /* while its keys are loaded or made */
  GtkWindow           *phone;          /* weak: the demo phone */
  GtkWindow           *failure;        /* weak: why the till cannot start */
};

G_DEFINE_FINAL_TYPE (TillApplication, till_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Demo mode: a throwaway data directory with the demo catalog"), NULL },
  { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Keep the database in DIR instead of the user data directory"), N_("DIR") },
  { "import-catalog", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Import products from a CSV file (barcode,name,price[,unit,plu]) and exit"),
    N_("FILE.csv") },
  { "export-catalog", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Export the products to a CSV file (UTF-8, opens in Excel and WPS) and exit"),
    N_("FILE.csv") },
  { "export-stock", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Export the tracked products’ stock levels, minimums, costs and values to a CSV file "
       "and exit"),
    N_("FILE.csv") },
  { "export-members", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Export the members with their full phone numbers, stored value and points to a CSV "
       "file after a manager’s PIN, and exit"),
    N_("FILE.csv") },
  { "report", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Print the report of a day and exit"), N_("YYYY-MM-DD") },
  { "format", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Format of --report: text (default) or csv"), N_("FORMAT") },
  { "backup", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Make a verified backup of the database in DIR and exit"), N_("DIR") },
  { "restore", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Restore a backup of the database (a manager’s PIN is asked; the current database "
       "is kept aside) and exit"),
    N_("FILE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

/* ---- data directory ---- */

static gboolean
ensure_private_dir (const char *path,
                    GError    **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the data directory %s: %s"), path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        remove_tree (child);
      }
  g_rmdir (path);
}

static char *
default_data_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "tillpoint", NULL);
}

static TillStore *
open_store (const char *data_dir,
            GError    **error)
{
  g_autofree char *path = NULL;

  if (!ensure_private_dir (data_dir, error))
    return NULL;

  path = g_build_filename (data_dir, "tillpoint.db", NULL);
  return till_store_open (path, error);
}

/* What a person reads when the data directory or its database cannot be used: a
 * heading saying what is wrong, and the details with what to do. */
static void
describe_store_error (const char   *data_dir,
                      const GError *error,
                      char        **heading,
                      char        **body)
{
  g_autofree char *path = g_build_filename (data_dir, "tillpoint.db", NULL);

  if (g_error_matches (error, TILL_STORE_ERROR, TILL_STORE_ERROR_IN_USE))
    {
      *heading = g_strdup (_("Tillpoint is already running on this data directory"));
      *body = g_strdup_printf (_("%s\n\nOne data directory serves one till at a time. Use "
                                 "the till that is already open, or close it and start "
                                 "Tillpoint again."), error->message);
    }
  else if (g_error_matches (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT))
    {
      *heading = g_strdup (_("The database is damaged"));
      *body = g_strdup_printf (_("%s\n\nMove the file %s away and keep a copy of it. Then "
                                 "restore a backup into %s, or start with an empty data "
                                 "directory (tillpoint --data-dir=ANOTHER_DIR)."),
                               error->message, path, data_dir);
    }
  else if (g_error_matches (error, TILL_STORE_ERROR, TILL_STORE_ERROR_TOO_NEW))
    {
      *heading = g_strdup (_("The database was made by a newer Tillpoint"));
      *body = g_strdup_printf (_("%s\n\nThis is Tillpoint %s. Install the newer version "
                                 "of Tillpoint to use this database; it was left as it is."),
                               error->message, PACKAGE_VERSION);
    }
  else if (g_error_matches (error, TILL_STORE_ERROR, TILL_STORE_ERROR_READ_ONLY)
           || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED)
           || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_READ_ONLY))
    {
      *heading = g_strdup (_("Tillpoint cannot write its data"));
      *body = g_strdup_printf (_("%s\n\nTillpoint keeps every sale in %s and must be able "
                                 "to write there. Give the user who runs the till write "
                                 "permission on the directory and the files in it (for "
                                 "example: chown -R USER %s; chmod -R u+rwX %s), or start "
                                 "with another data directory (tillpoint "
                                 "--data-dir=ANOTHER_DIR)."),
                               error->message, data_dir, data_dir, data_dir);
    }
  else
    {
      *heading = g_strdup (_("The database cannot be opened"));
      *body = g_strdup_printf (_("%s\n\nThe database is %s."), error->message, path);
    }
}

static void
print_store_error (const char   *data_dir,
                   const GError *error)
{
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  describe_store_error (data_dir, error, &heading, &body);
  g_printerr ("tillpoint: %s\n%s\n", heading, body);
}

/* ---- --import-catalog ---- */

/* `max_price_fen` comes from the setting max-price-fen (0: the store's default). */
static int
import_catalog (const char *data_dir,
                const char *csv_path,
                gint64      max_price_fen)
{
  g_autoptr(TillStore) store = NULL;
  g_autoptr(GPtrArray) row_errors = NULL;
  g_autoptr(GError) error = NULL;
  TillImportSummary summary = { 0 };

  store = open_store (data_dir, &error);
  if (store == NULL)
    {
      print_store_error (data_dir, error);
      return 1;
    }

  /* The stock moves' "who": the person who ran the command. */
  if (!till_store_import_catalog_csv_as (store, csv_path, max_price_fen, g_get_user_name (),
                                         &summary, &row_errors, &error))
    {
      if (row_errors != NULL && row_errors->len > 0)
        for (guint i = 0; i < row_errors->len; i++)
          {
            const TillImportError *row = g_ptr_array_index (row_errors, i);

            if (row->column != NULL)
              g_printerr ("%s:%u: %s: %s\n", csv_path, row->line, row->column, row->reason);
            else
              g_printerr ("%s:%u: %s\n", csv_path, row->line, row->reason);
          }
      else
        g_printerr ("%s: %s\n", csv_path, error->message);
      if (summary.encoding != NULL)
        g_printerr (_("nothing was imported (the file was read as %s)\n"), summary.encoding);
      else
        g_printerr (_("nothing was imported\n"));
      return 1;
    }

  till_store_flush (store);
  g_print (g_dngettext (GETTEXT_PACKAGE, "imported %u product (read as %s)\n",
                        "imported %u products (read as %s)\n", summary.n_imported),
           summary.n_imported, summary.encoding);
  if (summary.note != NULL)
    g_print ("%s\n", summary.note);
  till_import_summary_clear (&summary);
  return 0;
}

/* ---- --export-catalog, --export-stock ---- */

static int
export_csv (const char *data_dir,
            const char *csv_path,
            gboolean    stock)
{
  g_autoptr(TillStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint n_exported = 0;
  gboolean ok;

  store = open_store (data_dir, &error);
  if (store == NULL)
    {
      print_store_error (data_dir, error);
      return 1;
    }
  ok = stock ? till_store_export_stock_csv (store, csv_path, &n_exported, &error)
             : till_store_export_catalog_csv (store, csv_path, &n_exported, &error);
  if (!ok)
    {
      g_printerr ("%s: %s\n", csv_path, error->message);
      return 1;
    }
  if (stock)
    g_print (g_dngettext (GETTEXT_PACKAGE, "exported the stock of %u product (UTF-8 with BOM)\n",
                          "exported the stock of %u products (UTF-8 with BOM)\n", n_exported),
             n_exported);
  else
    g_print (g_dngettext (GETTEXT_PACKAGE, "exported %u product (UTF-8 with BOM)\n",
                          "exported %u products (UTF-8 with BOM)\n", n_exported),
             n_exported);
  return 0;
}

/* ---- --report ---- */

static int
print_report (const char *data_dir,
              const char *date,
              const char *format)
{
  g_autoptr(TillStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  store = open_store (data_dir, &error);
  if (store == NULL)
    {
      print_store_error (data_dir, error);
      return 1;
    }

  status = till_report_cli_run (store, date, format, &error);
  if (status != 0 && error != NULL)
    g_printerr ("tillpoint: %s\n", error->message);
  return status;
}

/* ---- settings ---- */

static GSettings *
make_settings (gboolean demo)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    return NULL;

  /* A demo never changes the shop's real settings. */
  if (demo)
    {
      g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();

      return g_settings_new_full (schema, backend, NULL);
    }
  return g_settings_new_full (schema, NULL, NULL);
}

/* ---- --demo: the payment simulator in this process ---- */

static void
demo_started_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TillApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  GAction *action;

  g_clear_object (&self->demo_cancellable);  /* started, or not: no longer starting */
  self->demo_run = self->demo_hooks->start_finish (result, &error);
  /* Its settings are in: the payment services are built now, not after a pause. */
  if (self->demo_run != NULL && self->context != NULL)
    till_payment_runtime_rebuild (till_context_get_payment_runtime (self->context));
  if (self->cashier != NULL)
    till_cashier_window_set_epay_note (self->cashier, NULL);
  till_start_trace_mark ("demo-simulator-ready");
  if (self->demo_run == NULL)
    {
      /* The demo still sells for cash; the status bar says why payments are off. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_printerr (_("tillpoint: the demo payment simulator did not start: %s\n"),
                    error->message);
      return;
    }
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "demo-phone");
  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), TRUE);
  /* The phone opens beside the other windows; they may be up already. */
  if (self->others_presented && self->cashier != NULL)
    {
      g_action_group_activate_action (G_ACTION_GROUP (self), "demo-phone", NULL);
      gtk_window_present (GTK_WINDOW (self->cashier));
    }
}

/* --demo: the simulator (src/ui/demo), its state in the demo data directory, starts beside
 * the windows (demo_started_cb); this run's settings (a memory backend: nothing persists)
 * name no payment service until it listens. While it starts, demo_cancellable is set. */
static void
start_demo_simulator (TillApplication *self,
                      GSettings       *settings)
{
  if (self->demo_hooks == NULL)
    {
      g_message ("demo: this program has no payment simulator");
      return;
    }
  self->demo_cancellable = g_cancellable_new ();
  self->demo_hooks->start_async (self->data_dir, settings, self->demo_cancellable,
                                 demo_started_cb, g_object_ref (self));
}

/* ---- start-up failures ---- */

/* The till cannot start: the reason on stderr and in a window (when there is a display)
 * that stays until the person closes it; returns the exit status (1). The application is
 * registered by now (GTK is initialized), but its main loop never runs. */
typedef struct
{
  TillApplication *self;
  char            *backup;   /* the latest good backup, offered */
} RestoreOffer;

static int
startup_failed_full (TillApplication *self,
                     const char      *heading,
                     const char      *body,
                     RestoreOffer    *offer);

static int
startup_failed (TillApplication *self,
                const char      *heading,
                const char      *body)
{
  return startup_failed_full (self, heading, body, NULL);
}

/* The restore offer of the startup window: the till gives up its data directory's lock
 * (the restore takes it, as --restore does), restores in the window's thread, and takes the
 * lock back if the restore failed. */
static void
restore_before (gboolean ok,
                gpointer data)
{
  RestoreOffer *offer = data;

  g_clear_pointer (&offer->self->dir_lock, till_store_dir_lock_release);
}

static char *
restore_run (const char *pin,
             gpointer    data,
             GError    **error)
{
  RestoreOffer *offer = data;
  g_autofree char *aside = NULL;

  if (!till_restore_backup (offer->self->data_dir, offer->backup, pin, &aside, error))
    return NULL;
  return g_strdup_printf (_("Restored %s. The damaged database is kept as %s. Quit, then start "
                            "Tillpoint again."), offer->backup, aside != NULL ? aside : "—");
}

static void
restore_after (gboolean ok,
               gpointer data)
{
  RestoreOffer *offer = data;
  g_autoptr(GError) error = NULL;

  if (ok || offer->self->dir_lock != NULL)
    return;
  offer->self->dir_lock = till_store_dir_lock_acquire (offer->self->data_dir, NULL, &error);
  if (offer->self->dir_lock == NULL)
    g_warning ("The data directory's lock was not taken back: %s", error->message);
}

static int
startup_failed_full (TillApplication *self,
                     const char      *heading,
                     const char      *body,
                     RestoreOffer    *offer)
{
  TillStartupErrorWindow *window;

  g_printerr ("tillpoint: %s\n%s\n", heading, body);
  if (!gtk_init_check ())
    return 1;

  till_ui_load_style ();
  window = till_startup_error_window_new (heading, body);
  if (offer != NULL)
    till_startup_error_window_offer_restore (window, restore_before, restore_run, restore_after,
                                             offer);
  /* A second start meanwhile (through the session bus) presents it again. */
  g_set_weak_pointer (&self->failure, GTK_WINDOW (window));
  till_startup_error_window_run (window);
  return 1;
}

static int
startup_store_failed (TillApplication *self,
                      const GError    *error)
{
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  describe_store_error (self->data_dir, error, &heading, &body);
  return startup_failed (self, heading, body);
}

/* ---- a damaged database ---- */

static gboolean
check_database (TillApplication *self,
                GError         **error)
{
  g_autofree char *path = g_build_filename (self->data_dir, "tillpoint.db", NULL);

  g_autoptr(GError) local_error = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  /* Closed cleanly by this till and untouched since: nothing to check (till-store-clean.h). */
  if (till_store_clean_take (path))
    return TRUE;
  if (till_store_backup_quick_check (path, &local_error))
    return TRUE;
  /* A file it cannot read or write is the open's to say (a directory without write
   * permission, a lock): only damage is reported here. */
  if (!g_error_matches (local_error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT))
    {
      g_message ("The check of %s was not made: %s", path, local_error->message);
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static int
startup_damaged (TillApplication *self,
                 GSettings       *settings,
                 const GError    *error)
{
  g_autofree char *backup_dir = g_settings_get_string (settings, "backup-dir");
  g_autofree char *till_id = g_settings_get_string (settings, "till-id");
  g_autofree char *path = g_build_filename (self->data_dir, "tillpoint.db", NULL);
  g_autofree char *latest = NULL;
  g_autofree char *latest_path = NULL;
  g_autofree char *body = NULL;
  RestoreOffer offer = { self, NULL };

  if (*backup_dir == '\0')
    {
      g_free (backup_dir);
      backup_dir = g_build_filename (self->data_dir, "backups", NULL);
    }
  latest = till_restore_describe_latest (backup_dir, till_id, &latest_path);
  if (latest == NULL)
    latest = g_strdup_printf (_("No good backup was found in %s. Keep a copy of the file, "
                                "then restore a backup from elsewhere (tillpoint "
                                "--restore=FILE) or start with an empty data directory "
                                "(tillpoint --data-dir=ANOTHER_DIR)."), backup_dir);
  g_warning ("%s fails its check: %s", path, error->message);
  body = g_strdup_printf (_("%s\n\nTillpoint did not change the file %s and will not use it. "
                            "%s"), error->message, path, latest);
  offer.backup = latest_path;
  return startup_failed_full (self, _("The database is damaged"), body,
                              latest_path != NULL ? &offer : NULL);
}

/* A normal quit: the store's writes end here and the database is marked as closed
 * cleanly, so that the next start needs no check of it while it stays as it is now
 * (till-store-clean.h). */
static void
mark_clean (TillStore *store)
{
  g_autoptr(GError) error = NULL;

  if (!till_store_clean_close (store, &error))
    g_message ("The database is not marked as closed cleanly (the next start checks it): %s",
               error->message);
}

/* ---- --demo: the demo people ---- */

static gpointer
seed_demo_people_job (TillStore *store,
                      gpointer   data,
                      GError   **error)
{
  return till_people_seed_demo (TILL_PEOPLE (data), error) ? GINT_TO_POINTER (1) : NULL;
}

static void
seed_demo_people_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (till_store_run_finish (TILL_STORE (object), result, &error) == NULL)
    g_warning ("Cannot add the demo people: %s", error->message);
}

/* The demo's manager and cashiers (till_people_seed_demo), added on the store thread: each
 * PIN is hashed, which takes a moment. */
static void
seed_demo_people (TillContext *context)
{
  TillPeople *people = till_shift_get_people (till_context_get_shift (context));

  till_store_run_async (till_context_get_store (context), seed_demo_people_job,
                        g_object_ref (people), g_object_unref, NULL, NULL,
                        seed_demo_people_cb, NULL);
}

/* ---- GApplication ---- */

static int
till_application_handle_local_options (GApplication *app,
                                       GVariantDict *options)
{
  TillApplication *self = TILL_APPLICATION (app);
  g_autofree char *data_dir = NULL;
  g_autofree char *import_path = NULL;
  g_autofree char *export_path = NULL;
  g_autofree char *export_stock_path = NULL;
  g_autofree char *export_members_path = NULL;
  g_autofree char *report_date = NULL;
  g_autofree char *report_format = NULL;
  g_autofree char *restore_path = NULL;
  g_autofree char *backup_dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = NULL;
  g_autoptr(GSettings) settings = NULL;

  till_start_trace_mark ("options");
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  self->demo = g_variant_dict_contains (options, "demo");
  g_variant_dict_lookup (options, "data-dir", "^ay", &data_dir);
  g_variant_dict_lookup (options, "import-catalog", "^ay", &import_path);
  g_variant_dict_lookup (options, "export-catalog", "^ay", &export_path);
  g_variant_dict_lookup (options, "export-stock", "^ay", &export_stock_path);
  g_variant_dict_lookup (options, "export-members", "^ay", &export_members_path);

  g_variant_dict_lookup (options, "report", "s", &report_date);
  g_variant_dict_lookup (options, "format", "s", &report_format);
  g_variant_dict_lookup (options, "restore", "^ay", &restore_path);
  g_variant_dict_lookup (options, "backup", "^ay", &backup_dir);

  if (backup_dir != NULL)
    {
      g_autofree char *dir = data_dir != NULL ? g_strdup (data_dir) : default_data_dir ();
      g_autoptr(GSettings) backup_settings = make_settings (FALSE);
      g_autofree char *till_id = backup_settings != NULL
                                 ? g_settings_get_string (backup_settings, "till-id")
                                 : g_strdup ("01");
      guint keep = backup_settings != NULL ? g_settings_get_uint (backup_settings, "backup-keep")
                                           : 14;

      return till_backup_cli_run (dir, backup_dir, till_id, keep);
    }

  if (restore_path != NULL)
    {
      g_autofree char *dir = data_dir != NULL ? g_strdup (data_dir) : default_data_dir ();

      return till_restore_cli_run (dir, restore_path);
    }

  if (import_path != NULL)
    {
      g_autofree char *dir = data_dir != NULL ? g_strdup (data_dir) : default_data_dir ();
      g_autoptr(GSettings) import_settings = make_settings (FALSE);
      gint64 max_price_fen = 0;

      if (import_settings != NULL)
        max_price_fen = g_settings_get_int64 (import_settings, "max-price-fen");
      else
        g_message ("GSettings schema %s not installed: importing with the default highest "
                   "price", APPLICATION_ID);
      return import_catalog (dir, import_path, max_price_fen);
    }

  if (export_path != NULL)
    {
      g_autofree char *dir = data_dir != NULL ? g_strdup (data_dir) : default_data_dir ();

      return export_csv (dir, export_path, FALSE);
    }

  if (export_stock_path != NULL)
    {
      g_autofree char *dir = data_dir != NULL ? g_strdup (data_dir) : default_data_dir ();

      return export_csv (dir, export_stock_path, TRUE);
    }

  if (export_members_path != NULL)
    {
      g_autofree char *dir = data_dir != NULL ? g_strdup (data_dir) : default_data_dir ();

      return till_members_export_cli_run (dir, export_members_path);
    }

  if (report_date != NULL)
    {
      g_autofree char *dir = data_dir != NULL ? g_strdup (data_dir) : default_data_dir ();

      return print_report (dir, report_date, report_format);
    }

  /* Demos and explicit data directories run side by side with the shop's till. */
  if (self->demo || data_dir != NULL)
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);

  if (!g_application_register (app, NULL, &error))
    {
      g_printerr ("tillpoint: %s\n", error->message);
      return 1;
    }
  if (g_application_get_is_remote (app))
    return -1;  /* the running till presents its windows */
  till_start_trace_mark ("registered");

  settings = make_settings (self->demo);
  if (settings == NULL)
    {
      g_autofree char *body = g_strdup_printf (_("The settings schema %s is not installed. "
                                                 "Reinstall Tillpoint; for a build tree, "
                                                 "set GSETTINGS_SCHEMA_DIR to its data "
                                                 "directory."), APPLICATION_ID);

      return startup_failed (self, _("Tillpoint is not installed completely"), body);
    }

  /* Before the first window: its labels are translated as it is built. */
  till_i18n_bind_for_settings (settings);
  till_start_trace_mark ("settings");

  if (data_dir != NULL)
    self->data_dir = g_steal_pointer (&data_dir);
  else if (self->demo)
    {
      self->demo_tmp_dir = g_dir_make_tmp ("tillpoint-demo-XXXXXX", &error);
      if (self->demo_tmp_dir == NULL)
        return startup_failed (self, _("The demo cannot start"), error->message);
      self->data_dir = g_strdup (self->demo_tmp_dir);
    }
  else
    self->data_dir = default_data_dir ();

  /* One data directory, one till: the lock first, whatever the session bus said (the
   * flags above, another session or user, no bus at all), then the store. */
  if (!ensure_private_dir (self->data_dir, &error))
    return startup_store_failed (self, error);
  self->dir_lock = till_store_dir_lock_acquire (self->data_dir, NULL, &error);
  if (self->dir_lock == NULL)
    return startup_store_failed (self, error);

  /* A damaged database is never migrated nor written: said, with the latest good backup. */
  if (!check_database (self, &error))
    return startup_damaged (self, settings, error);
  till_start_trace_mark ("database-checked");

  store = open_store (self->data_dir, &error);
  if (store == NULL)
    return startup_store_failed (self, error);
  till_start_trace_mark ("store-opened");

  /* This process is the till of this database: the queued jobs a crash left running are
   * its own, to be done again (command-line jobs never do this). */
  if (till_store_outbox_recover (store, &error) < 0)
    {
      g_warning ("Interrupted queued jobs of %s could not be recovered: %s", self->data_dir,
                 error->message);
      g_clear_error (&error);
    }
  till_start_trace_mark ("outbox-recovered");

  if (self->demo && (!till_store_seed_demo_catalog (store, &error)
                     || !till_store_seed_demo_quick_keys (store, &error)))
    return startup_failed (self, _("The demo cannot start"), error->message);
  till_start_trace_mark ("demo-seeded");

  if (self->demo)
    start_demo_simulator (self, settings);

  till_start_trace_mark ("demo-ready");
  self->context = till_context_new (store, settings, NULL, self->data_dir, self->demo);
  self->store_checked = TRUE;
  till_start_trace_mark ("context");
  self->backups = till_backup_schedule_new (self->context);
  {
    /* The head office (issue 19): off while hq-url is empty. */
    g_autoptr(TillHqSync) hq_sync = till_hq_sync_new (store);

    till_hq_sync_bind_settings (hq_sync, settings);
    till_context_set_hq_sync (self->context, hq_sync);
  }
  if (self->demo)
    seed_demo_people (self->context);
  till_start_trace_mark ("options-done");
  return -1;
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  TillApplication *self = user_data;

  /* The cashier's window asks first while a payment is in progress. */
  if (self->cashier != NULL)
    till_cashier_window_quit (self->cashier);
  else
    g_application_quit (G_APPLICATION (self));
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  TillApplication *self = user_data;

  till_show_about (self->cashier != NULL ? GTK_WINDOW (self->cashier)
                   : gtk_application_get_active_window (GTK_APPLICATION (self)));
}

static void
customer_display_action_cb (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  TillApplication *self = user_data;

  if (self->display != NULL)
    gtk_window_present (GTK_WINDOW (self->display));
}

static void
demo_phone_action_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  TillApplication *self = user_data;

  if (self->demo_run == NULL || self->context == NULL)
    return;
  if (self->phone == NULL)
    {
      GtkWindow *phone = self->demo_hooks->new_phone (self->demo_run, self->context,
                                                      GTK_WINDOW (self->display));

      gtk_application_add_window (GTK_APPLICATION (self), phone);
      g_set_weak_pointer (&self->phone, phone);
    }
  gtk_window_present (self->phone);
}

/* A receipt that was not printed: the cashier's window says why. */
static void
receipt_message_cb (TillReceiptTrigger *trigger,
                    int                 kind,
                    const char         *text,
                    TillApplication    *self)
{
  if (self->cashier != NULL)
    till_cashier_window_show_message (self->cashier, kind, text);
}

/* A backup that was not made (a USB stick not plugged in): the cashier's window says so. */
static void
backup_message_cb (TillBackupSchedule *backups,
                   int                 kind,
                   const char         *text,
                   TillApplication    *self)
{
  if (self->cashier != NULL)
    till_cashier_window_show_message (self->cashier, kind, text);
}

/* SIGINT/SIGTERM end the program the normal way, so the demo directory is removed and the
 * store finishes its writes. */
static gboolean
quit_signal_cb (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action_cb },
  { "customer-display", customer_display_action_cb },
  { "about", about_action_cb },
  { "demo-phone", demo_phone_action_cb },
};

static void
till_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *display_accels[] = { "F11", NULL };
  static const char *phone_accels[] = { "F5", NULL };

  till_start_trace_mark ("gtk-startup");
  G_APPLICATION_CLASS (till_application_parent_class)->startup (app);
  till_start_trace_mark ("gtk-started");
  /* Before any window is realized: cairo where GL would be emulated on the CPU. */
  till_renderer_choose (gdk_display_get_default (), NULL);
  till_start_trace_mark ("renderer-chosen");

  /* Every window (and the window list of the desktop) shows the application's icon. */
  gtk_window_set_default_icon_name (APPLICATION_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.customer-display",
                                         display_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.demo-phone",
                                         phone_accels);
  /* The demo phone exists only in --demo (enabled once the simulator runs). */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (app),
                                                                            "demo-phone")),
                               FALSE);

  g_unix_signal_add (SIGINT, quit_signal_cb, app);
  g_unix_signal_add (SIGTERM, quit_signal_cb, app);

  till_ui_load_style ();
  till_start_trace_mark ("style-loaded");
}

/* ---- the start trace's "ready": the sale loaded, the code entry focused ---- */

static void
ready_check_cb (TillApplication *self)
{
  TillShift *shift = till_context_get_shift (self->context);

  if (self->cashier == NULL || !till_cashier_window_get_accepts_scan (self->cashier))
    return;
  /* A till that asks for a sign-in is ready once a cashier has signed in. */
  if (g_settings_get_boolean (till_context_get_settings (self->context), "require-sign-in")
      && till_shift_get_cashier (shift) == NULL)
    return;
  till_start_trace_mark ("ready");
  g_signal_handlers_disconnect_by_func (self->checkout, ready_check_cb, self);
  g_signal_handlers_disconnect_by_func (self->cashier, ready_check_cb, self);
  g_signal_handlers_disconnect_by_func (shift, ready_check_cb, self);
}

static void
sale_loaded_cb (TillApplication *self)
{
  if (till_checkout_get_sale (self->checkout) == NULL)
    return;
  till_start_trace_mark ("sale-loaded");
  g_signal_handlers_disconnect_by_func (self->checkout, sale_loaded_cb, self);
}

static void
watch_ready (TillApplication *self)
{
  if (!till_start_trace_enabled ())
    return;
  till_start_trace_first_frame (GTK_WINDOW (self->cashier), "first-frame");
  till_start_trace_first_frame (GTK_WINDOW (self->display), "display-first-frame");
  g_signal_connect_swapped (self->checkout, "notify::sale", G_CALLBACK (sale_loaded_cb), self);
  g_signal_connect_swapped (self->checkout, "notify::sale", G_CALLBACK (ready_check_cb), self);
  g_signal_connect_swapped (self->cashier, "notify::is-active", G_CALLBACK (ready_check_cb),
                            self);
  g_signal_connect_swapped (self->cashier, "notify::focus-widget", G_CALLBACK (ready_check_cb),
                            self);
  g_signal_connect_object (till_context_get_shift (self->context), "notify::cashier",
                           G_CALLBACK (ready_check_cb), self, G_CONNECT_SWAPPED);
  sale_loaded_cb (self);
  ready_check_cb (self);
}

/* ---- the other windows after the cashier's first frame ---- */

static gboolean
present_others_cb (gpointer user_data)
{
  TillApplication *self = user_data;

  if (self->others_presented)
    return G_SOURCE_REMOVE;
  self->others_presented = TRUE;

  if (self->display != NULL)
    gtk_window_present (GTK_WINDOW (self->display));
  if (self->demo_run != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (self), "demo-phone", NULL);
  /* The cashier's window keeps the keyboard. */
  if (self->cashier != NULL)
    gtk_window_present (GTK_WINDOW (self->cashier));
  return G_SOURCE_REMOVE;
}

static void
cashier_painted_cb (GdkFrameClock   *clock,
                    TillApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, cashier_painted_cb, self);
  g_idle_add_full (G_PRIORITY_DEFAULT, present_others_cb, g_object_ref (self), g_object_unref);
}

static void
cashier_mapped_cb (TillApplication *self,
                   GtkWidget       *cashier)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (cashier);

  g_signal_handlers_disconnect_by_func (cashier, cashier_mapped_cb, self);
  if (clock != NULL)
    g_signal_connect_object (clock, "after-paint", G_CALLBACK (cashier_painted_cb), self, 0);
  /* A compositor may hold back the frames of a window it does not show: not for long. */
  g_timeout_add_full (G_PRIORITY_DEFAULT, clock != NULL ? 1000 : 0, present_others_cb,
                      g_object_ref (self), g_object_unref);
}

static void
till_application_activate (GApplication *app)
{
  TillApplication *self = TILL_APPLICATION (app);

  if (self->failure != NULL)
    gtk_window_present (self->failure);
  if (self->context == NULL)
    return;

  if (self->cashier == NULL)
    {
      g_autoptr(TillReceiptPrinter) printer = till_ui_receipt_printer_new (self->context);
      TillCashierWindow *cashier;

      till_start_trace_mark ("activate");
      self->checkout = till_checkout_new (self->context);
      self->receipts = till_receipt_trigger_new (self->checkout, printer);
      g_signal_connect_object (self->receipts, "message", G_CALLBACK (receipt_message_cb), self,
                               0);
      g_signal_connect_object (self->backups, "message", G_CALLBACK (backup_message_cb), self,
                               0);
      cashier = till_cashier_window_new (GTK_APPLICATION (app), self->checkout);
      till_start_trace_mark ("cashier-window-built");
      if (self->demo_cancellable != NULL)
        till_cashier_window_set_epay_note (cashier, _("Starting the demo payment simulator…"));
      TillCustomerDisplay *display = till_customer_display_new (self->context);
      till_start_trace_mark ("display-built");

      gtk_application_add_window (GTK_APPLICATION (app), GTK_WINDOW (display));
      till_customer_display_follow (display, G_OBJECT (self->checkout));
      g_set_weak_pointer (&self->cashier, cashier);
      g_set_weak_pointer (&self->display, display);
      till_first_frame_watch (GTK_WINDOW (cashier));
      self->managers = till_manager_actions_new (GTK_APPLICATION (app), self->context);
      till_start_trace_mark ("managers");
      watch_ready (self);

      /* The cashier's window first, alone: the customer display (and the demo phone) are
       * shown once it has painted its first frame, so that the start waits for neither. */
      g_signal_connect_object (cashier, "map", G_CALLBACK (cashier_mapped_cb), self,
                               G_CONNECT_SWAPPED);
    }

  till_start_trace_mark ("presenting");
  gtk_window_present (GTK_WINDOW (self->cashier));
  till_start_trace_mark ("presented");
}

static void
till_application_shutdown (GApplication *app)
{
  TillApplication *self = TILL_APPLICATION (app);
  g_autoptr(TillStore) store = NULL;

  /* The demo's simulator may still be making its keys in the data directory: it is let
   * finish (a second at most) before the directory is removed and its lock given up. */
  g_cancellable_cancel (self->demo_cancellable);
  while (self->demo_cancellable != NULL)
    g_main_context_iteration (NULL, TRUE);

  /* Marked as closed cleanly last, when nothing of the till's is left to write. */
  if (self->context != NULL && self->demo_tmp_dir == NULL && self->store_checked)
    store = g_object_ref (till_context_get_store (self->context));
  g_clear_object (&self->backups);  /* a backup under way stops at its next step */
  if (self->context != NULL)
    till_store_flush (till_context_get_store (self->context));

  G_APPLICATION_CLASS (till_application_parent_class)->shutdown (app);

  g_clear_object (&self->managers);
  g_clear_object (&self->backups);
  g_clear_object (&self->receipts);
  g_clear_object (&self->checkout);
  g_clear_object (&self->context);
  g_clear_object (&self->demo_run);  /* stops the simulator */
  if (self->demo_tmp_dir != NULL)
    {
      remove_tree (self->demo_tmp_dir);
      g_clear_pointer (&self->demo_tmp_dir, g_free);
    }
  if (store != NULL)
    mark_clean (store);
  /* Last: the next till may start once this one has closed its database. */
  g_clear_pointer (&self->dir_lock, till_store_dir_lock_release);
}

static void
till_application_window_removed (GtkApplication *app,
                                 GtkWindow      *window)
{
  TillApplication *self = TILL_APPLICATION (app);

  GTK_APPLICATION_CLASS (till_application_parent_class)->window_removed (app, window);

  /* Closing the cashier's window ends the program; the customer display goes with it. */
  if (TILL_IS_CASHIER_WINDOW (window) && self->display != NULL)
    gtk_window_destroy (GTK_WINDOW (self->display));
  if (TILL_IS_CASHIER_WINDOW (window) && self->phone != NULL)
    gtk_window_destroy (self->phone);
}

static void
till_application_finalize (GObject *object)
{
  TillApplication *self = TILL_APPLICATION (object);

  g_clear_weak_pointer (&self->cashier);
  g_clear_weak_pointer (&self->display);
  g_clear_weak_pointer (&self->phone);
  g_clear_weak_pointer (&self->failure);
  g_clear_object (&self->managers);
  g_clear_object (&self->backups);
  g_clear_object (&self->receipts);
  g_clear_object (&self->checkout);
  g_clear_object (&self->context);
  g_clear_object (&self->demo_run);
  g_clear_object (&self->demo_cancellable);
  g_clear_pointer (&self->data_dir, g_free);
  if (self->demo_tmp_dir != NULL)
    remove_tree (self->demo_tmp_dir);
  g_clear_pointer (&self->demo_tmp_dir, g_free);
  g_clear_pointer (&self->dir_lock, till_store_dir_lock_release);

  G_OBJECT_CLASS (till_application_parent_class)->finalize (object);
}

static void
till_application_class_init (TillApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  object_class->finalize = till_application_finalize;
  app_class->handle_local_options = till_application_handle_local_options;
  app_class->startup = till_application_startup;
  app_class->activate = till_application_activate;
  app_class->shutdown = till_application_shutdown;
  gtk_app_class->window_removed = till_application_window_removed;
}

static void
till_application_init (TillApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Tillpoint: a point of sale for small shops."));
}

void
till_application_set_demo (TillApplication           *self,
                           const TillApplicationDemo *demo)
{
  g_return_if_fail (TILL_IS_APPLICATION (self));

  self->demo_hooks = demo;
}

TillApplication *
till_application_new (void)
{
  return g_object_new (TILL_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}
