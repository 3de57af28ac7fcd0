/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tillpoint-hq: the head office's command line (docs/head-office.md): the schema (init,
 * migrate), the stores, the tills and their catalog versions, the catalog import, a till's
 * batch by hand and the day report over the stores. The database is --db=URI or
 * TILLPOINT_HQ_URL (libpq's URI: sslmode, passfile and PG* work as libpq's); neither the URI
 * nor a password is ever printed or logged. Exit status 0, 1 when the command failed, 2 for
 * a usage error. */
#define G_LOG_DOMAIN "till-hq"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "till-catalog-csv.h"
#include "till-hq.h"

static char *opt_db;
static char *opt_store;
static char *opt_date;
static char *opt_format;

static const GOptionEntry entries[] = {
  { "db", 0, 0, G_OPTION_ARG_STRING, &opt_db,
    N_("The head-office database (a libpq URI; default: $TILLPOINT_HQ_URL)"), N_("URI") },
  { "store", 0, 0, G_OPTION_ARG_STRING, &opt_store, N_("One store (its id)"), N_("ID") },
  { "date", 0, 0, G_OPTION_ARG_STRING, &opt_date, N_("The report’s day"), N_("YYYY-MM-DD") },
  { "format", 0, 0, G_OPTION_ARG_STRING, &opt_format, N_("The report as text or csv"),
    N_("FORMAT") },
  { NULL }
};

/* Details (g_message) are for the log: on stderr only with G_MESSAGES_DEBUG. */
static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  if ((level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG)) != 0
      && g_getenv ("G_MESSAGES_DEBUG") == NULL)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static int
fail (GError *error)
{
  g_printerr ("tillpoint-hq: %s\n", error->message);
  return 1;
}

static TillHq *
connect_db (GError **error)
{
  const char *uri = opt_db != NULL ? opt_db : g_getenv ("TILLPOINT_HQ_URL");

  return till_hq_connect (uri, error);
}

static int
cmd_migrate (gboolean create)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillHq) hq = connect_db (&error);
  int from = 0, to = 0;

  if (hq == NULL || !till_hq_migrate (hq, create, &from, &to, &error))
    return fail (error);
  if (from == to)
    g_print (_("The head-office schema is at version %d: nothing to do.\n"), to);
  else
    g_print (_("The head-office schema went from version %d to %d.\n"), from, to);
  return 0;
}

/* The schema must be there and current for everything but init and migrate. */
static TillHq *
connect_ready (GError **error)
{
  g_autoptr(TillHq) hq = connect_db (error);
  int version = 0;

  if (hq == NULL || !till_hq_get_schema_version (hq, &version, error))
    return NULL;
  if (version == 0)
    {
      g_set_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_NOT_INITIALIZED,
                   _("The head-office database has no Tillpoint schema yet: run "
                     "“tillpoint-hq init” first"));
      return NULL;
    }
  if (version != TILL_HQ_SCHEMA_VERSION)
    {
      g_set_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_TOO_NEW,
                   _("The head-office schema is version %d, this program’s is %d: run "
                     "“tillpoint-hq migrate” (or update tillpoint-hq)"), version,
                   TILL_HQ_SCHEMA_VERSION);
      return NULL;
    }
  return g_steal_pointer (&hq);
}

static int
cmd_stores (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillHq) hq = NULL;
  g_autoptr(GPtrArray) stores = NULL;

  if (argc >= 2 && g_str_equal (argv[1], "add"))
    {
      if (argc != 4)
        {
          g_printerr (_("Usage: tillpoint-hq stores add ID NAME\n"));
          return 2;
        }
      hq = connect_ready (&error);
      if (hq == NULL || !till_hq_add_store (hq, argv[2], argv[3], &error))
        return fail (error);
      g_print (_("Store %s: %s\n"), argv[2], argv[3]);
      return 0;
    }
  if (argc != 1)
    {
      g_printerr (_("Usage: tillpoint-hq stores [add ID NAME]\n"));
      return 2;
    }
  hq = connect_ready (&error);
  if (hq == NULL || (stores = till_hq_list_stores (hq, &error)) == NULL)
    return fail (error);
  for (guint i = 0; i < stores->len; i++)
    {
      TillHqStore *store = g_ptr_array_index (stores, i);
      g_autofree char *last = NULL;

      if (store->last_batch_at > 0)
        {
          g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (store->last_batch_at
                                                                     / G_USEC_PER_SEC);

          last = g_date_time_format (at, "%Y-%m-%d %H:%M:%S");
        }
      g_print ("%s\t%s\t", store->id, store->name);
      g_print (_("tills: %u"), store->n_tills);
      g_print ("\t%s\n", last != NULL ? last : _("no batch yet"));
    }
  return 0;
}

/* The tills: their store, their catalog version (beside the catalog's) and their batches. */
static int
cmd_tills (int argc)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillHq) hq = NULL;
  g_autoptr(GPtrArray) tills = NULL;
  gint64 current = 0;

  if (argc != 1)
    {
      g_printerr (_("Usage: tillpoint-hq tills [--store=ID]\n"));
      return 2;
    }
  hq = connect_ready (&error);
  if (hq == NULL || !till_hq_catalog_version (hq, &current, &error)
      || (tills = till_hq_list_tills (hq, opt_store, &error)) == NULL)
    return fail (error);
  for (guint i = 0; i < tills->len; i++)
    {
      TillHqTill *till = g_ptr_array_index (tills, i);
      g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, till->catalog_version);
      g_autofree char *of = g_strdup_printf ("%" G_GINT64_FORMAT, current);
      g_autofree char *last = NULL;

      if (till->last_batch_at > 0)
        {
          g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (till->last_batch_at
                                                                     / G_USEC_PER_SEC);

          last = g_date_time_format (at, "%Y-%m-%d %H:%M:%S");
        }
      g_print ("%s\t%s\t", till->store_id, till->till_id);
      if (till->catalog_version >= current)
        g_print (_("catalog %s (current)"), version);
      else
        g_print (_("catalog %s (behind %s)"), version, of);
      g_print ("\t%s\n", last != NULL ? last : _("no batch yet"));
    }
  return 0;
}

static int
cmd_import (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) row_errors = NULL;
  g_autoptr(TillHq) hq = NULL;
  TillHqImportSummary summary = { 0 };
  g_autofree char *after = NULL;
  g_autofree char *before = NULL;

  if (argc != 2)
    {
      g_printerr (_("Usage: tillpoint-hq import-catalog FILE [--store=ID]\n"));
      return 2;
    }
  hq = connect_ready (&error);
  if (hq == NULL)
    return fail (error);
  if (!till_hq_import_catalog (hq, argv[1], opt_store, &summary, &row_errors, &error))
    {
      for (guint i = 0; row_errors != NULL && i < row_errors->len; i++)
        {
          TillImportError *row_error = g_ptr_array_index (row_errors, i);

          if (row_error->column != NULL)
            g_printerr (_("line %u, column “%s”: %s\n"), row_error->line, row_error->column,
                        row_error->reason);
          else
            g_printerr (_("line %u: %s\n"), row_error->line, row_error->reason);
        }
      return fail (error);
    }
  after = g_strdup_printf ("%" G_GINT64_FORMAT, summary.version_after);
  before = g_strdup_printf ("%" G_GINT64_FORMAT, summary.version_before);
  g_print (_("Imported %u rows (%s): %u changed; catalog version %s (was %s).\n"),
           summary.n_rows, summary.encoding, summary.n_changed, after, before);
  return 0;
}

static int
cmd_upsert (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillHq) hq = NULL;
  g_autofree char *json = NULL;
  TillHqUpsertStats stats = { 0 };

  if (argc != 2)
    {
      g_printerr (_("Usage: tillpoint-hq upsert BATCH.json\n"));
      return 2;
    }
  if (!g_file_get_contents (argv[1], &json, NULL, &error))
    return fail (error);
  hq = connect_ready (&error);
  if (hq == NULL || !till_hq_upsert_batch_json (hq, json, &stats, &error))
    return fail (error);
  g_print (_("%u rows, %u new or changed.\n"), stats.n_rows, stats.n_changed);
  return 0;
}

static int
cmd_report (int argc)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillHq) hq = NULL;
  g_autoptr(TillHqReport) report = NULL;
  g_autofree char *out = NULL;
  gsize length = 0;
  gboolean csv = FALSE;

  if (argc != 1 || opt_date == NULL)
    {
      g_printerr (_("Usage: tillpoint-hq report --date=YYYY-MM-DD [--store=ID] "
                    "[--format=text|csv]\n"));
      return 2;
    }
  if (opt_format != NULL && g_str_equal (opt_format, "csv"))
    csv = TRUE;
  else if (opt_format != NULL && !g_str_equal (opt_format, "text"))
    {
      g_printerr (_("Unknown report format “%s”: use text or csv\n"), opt_format);
      return 2;
    }
  hq = connect_ready (&error);
  if (hq == NULL || (report = till_hq_report_day (hq, opt_date, opt_store, &error)) == NULL)
    return fail (error);
  if (csv)
    out = till_hq_report_to_csv (report, &length);
  else
    {
      out = till_hq_report_to_text (report);
      length = strlen (out);
    }
  if (fwrite (out, 1, length, stdout) != length || fflush (stdout) != 0)
    {
      g_printerr (_("tillpoint-hq: the report could not be written\n"));
      return 1;
    }
  return 0;
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *command;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_log_set_writer_func (log_writer, NULL, NULL);

  context = g_option_context_new (_("COMMAND — the head office’s database"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Commands:\n"
      "  init                          create the schema (or bring it up to date)\n"
      "  migrate                       bring an existing schema up to date\n"
      "  stores [add ID NAME]          list the stores, or add or rename one\n"
      "  tills [--store=ID]            the tills: catalog version, last batch\n"
      "  import-catalog FILE [--store=ID]  the catalog CSV (the till’s formats); with\n"
      "                                --store, the prices are that store’s\n"
      "  upsert BATCH.json             one till’s batch of rows\n"
      "  report --date=YYYY-MM-DD [--store=ID] [--format=text|csv]\n"
      "                                the till’s report summed over the stores\n"
      "\n"
      "The database: --db=URI or TILLPOINT_HQ_URL, a libpq URI such as\n"
      "postgresql://hq@db.example.com/tillpoint?sslmode=verify-full (passwords: ~/.pgpass\n"
      "or passfile=, readable by you only)."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tillpoint-hq: %s\n", error->message);
      return 2;
    }
  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      return 2;
    }
  command = argv[1];
  if (g_str_equal (command, "init") && argc == 2)
    return cmd_migrate (TRUE);
  if (g_str_equal (command, "migrate") && argc == 2)
    return cmd_migrate (FALSE);
  if (g_str_equal (command, "stores"))
    return cmd_stores (argc - 1, argv + 1);
  if (g_str_equal (command, "tills"))
    return cmd_tills (argc - 1);
  if (g_str_equal (command, "import-catalog"))
    return cmd_import (argc - 1, argv + 1);
  if (g_str_equal (command, "upsert"))
    return cmd_upsert (argc - 1, argv + 1);
  if (g_str_equal (command, "report"))
    return cmd_report (argc - 1);
  g_printerr (_("tillpoint-hq: unknown command “%s” (tillpoint-hq --help)\n"), command);
  return 2;
}
