/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tillpoint --export-members: a manager's PIN, then the members export. */
#define G_LOG_DOMAIN "till-app"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "till-members-cli.h"
#include "till-people.h"
#include "till-restore.h"
#include "till-store-member-books.h"

int
till_members_export_cli_run (const char *data_dir, const char *csv_path)
{
  g_autofree char *db_path = NULL;
  g_autofree char *pin = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TillStore) store = NULL;
  g_autoptr (TillPeople) people = NULL;
  g_autoptr (TillPerson) manager = NULL;
  guint n = 0;

  g_return_val_if_fail (data_dir != NULL && csv_path != NULL, 1);

  db_path = g_build_filename (data_dir, "tillpoint.db", NULL);
  if (!g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      g_printerr (_ ("tillpoint: there is no database in %s\n"), data_dir);
      return 1;
    }
  store = till_store_open (db_path, &error);
  if (store == NULL)
    {
      g_printerr (_ ("tillpoint: the members were not exported: %s\n"), error->message);
      return 1;
    }
  people = till_people_new (store);
  pin = till_cli_read_pin ();
  manager = till_people_approve (people, pin, TILL_APPROVAL_MEMBERS, "{\"what\":\"export\"}", NULL,
                                 &error);
  if (manager == NULL
      || !till_store_export_members_csv (store, csv_path, manager->name, &n, &error))
    {
      g_printerr (_ ("tillpoint: the members were not exported: %s\n"), error->message);
      return 1;
    }
  g_print (_ ("members exported: %u (UTF-8 with BOM, full phone numbers)\n"), n);
  return 0;
}
