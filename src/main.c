/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Entry point: builds the application object (with --demo's simulator and phone from
 * src/ui/demo); everything else lives in the libraries. */
#define G_LOG_DOMAIN "tillpoint"
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "till-application.h"
#include "till-demo.h"
#include "till-i18n.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TillApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* The plain catalogues; the application switches to the bilingual ones when its
   * settings say so, before it builds a window. */
  till_i18n_bind (FALSE);

  app = till_application_new ();
  till_demo_install (app);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
