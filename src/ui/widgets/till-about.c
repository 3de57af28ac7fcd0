/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The About window (app.about in the primary menu): a GtkAboutDialog, which in GTK 4 is a
 * GtkWindow, not a GtkDialog. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-about.h"

#define TILL_WEBSITE "https://github.com/tillpoint/tillpoint"

void
till_show_about (GtkWindow *parent)
{
  static const char *developers[] = { "Tillpoint developers", NULL };
  GtkAboutDialog *about;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));

  about = GTK_ABOUT_DIALOG (gtk_about_dialog_new ());
  gtk_about_dialog_set_program_name (about, "Tillpoint");
  /* Found in the installed hicolor theme, or in the GResource for a build tree. */
  gtk_about_dialog_set_logo_icon_name (about, APPLICATION_ID);
  gtk_about_dialog_set_version (about, PACKAGE_VERSION);
  gtk_about_dialog_set_comments (about, _("小店收银台 Point of sale for small shops"));
  gtk_about_dialog_set_website (about, TILL_WEBSITE);
  gtk_about_dialog_set_website_label (about, _("网站 Website"));
  gtk_about_dialog_set_copyright (about, "© 2026 Tillpoint developers");
  /* GTK_LICENSE_GPL_3_0 is "version 3 or later" (GPL-3.0-or-later). */
  gtk_about_dialog_set_license_type (about, GTK_LICENSE_GPL_3_0);
  gtk_about_dialog_set_authors (about, developers);
  /* Translators: put your names here, one per line; they are shown in the About window. */
  gtk_about_dialog_set_translator_credits (about, _("translator-credits"));

  gtk_window_set_modal (GTK_WINDOW (about), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (about), TRUE);
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (about), parent);
  gtk_window_present (GTK_WINDOW (about));
}
