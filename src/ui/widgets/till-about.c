/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The About window (app.about in the primary menu): a GtkAboutDialog, which in GTK 4 is a
 * GtkWindow, not a GtkDialog. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "till-about.h"

#define TILL_WEBSITE "https://github.com/tillpoint/tillpoint"

void
till_show_about (GtkWindow *parent)
{
  static const char *developers[] = { "Tillpoint developers", NULL };
  AdwAboutWindow *about;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  adw_about_window_set_application_name (about, "Tillpoint");
  /* Found in the installed hicolor theme, or in the GResource for a build tree. */
  adw_about_window_set_application_icon (about, APPLICATION_ID);
  adw_about_window_set_version (about, PACKAGE_VERSION);
  adw_about_window_set_developer_name (about, "Tillpoint developers");
  adw_about_window_set_comments (about, _("A till for small shops"));
  adw_about_window_set_website (about, TILL_WEBSITE);
  adw_about_window_set_issue_url (about, TILL_WEBSITE "/issues");
  adw_about_window_set_copyright (about, "© 2026 Tillpoint developers");
  /* GTK_LICENSE_GPL_3_0 is "version 3 or later" (GPL-3.0-or-later). */
  adw_about_window_set_license_type (about, GTK_LICENSE_GPL_3_0);
  adw_about_window_set_developers (about, developers);
  /* Translators: put your names here, one per line; they are shown in the About window. */
  adw_about_window_set_translator_credits (about, _("translator-credits"));

  gtk_window_set_modal (GTK_WINDOW (about), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (about), TRUE);
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (about), parent);
  gtk_window_present (GTK_WINDOW (about));
}
