/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The message catalogues: the installed ones, or this build tree's when the program runs
 * from it (tests, `build-aux/dev demo`), and the bilingual-labels catalogues
 * (build-aux/bilingual-po.py: "现金 Cash (F8)" where the plain one says "现金 (F8)"). */
#define G_LOG_DOMAIN "till-app"
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "till-i18n.h"

static gboolean bilingual_bound;

/* The program (or test) was built in TILL_BUILD_ROOT and runs from there. */
static gboolean
running_from_build_tree (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *root = g_canonicalize_filename (TILL_BUILD_ROOT, "/");
  gsize len = strlen (root);

  return exe != NULL && strncmp (exe, root, len) == 0 && exe[len] == G_DIR_SEPARATOR;
}

/**
 * till_i18n_get_localedir:
 * @bilingual: the bilingual-labels catalogues instead of the plain ones
 *
 * Returns: the directory to bind the text domain to (its LANG/LC_MESSAGES/tillpoint.mo).
 */
const char *
till_i18n_get_localedir (gboolean bilingual)
{
  if (running_from_build_tree ())
    return bilingual ? TILL_BUILD_ROOT "/po/bilingual" : TILL_BUILD_ROOT "/po";
  return bilingual ? BILINGUAL_LOCALEDIR : LOCALEDIR;
}

/**
 * till_i18n_bind:
 * @bilingual: whether labels show Chinese and English side by side (the
 *   `bilingual-labels` setting); it changes only what a Chinese locale shows
 *
 * Binds the text domain (and makes it the default one): call it before any window is
 * built; strings translated before keep their language.
 *
 * Returns: whether the bilingual catalogues are in use (%FALSE when they are missing).
 */
gboolean
till_i18n_bind (gboolean bilingual)
{
  const char *dir = till_i18n_get_localedir (bilingual);

  if (bilingual && !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_warning ("The bilingual labels are missing (%s): the labels stay in one language", dir);
      bilingual = FALSE;
      dir = till_i18n_get_localedir (FALSE);
    }
  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  bilingual_bound = bilingual;
  return bilingual;
}

/**
 * till_i18n_bind_for_settings:
 * @settings: the till's settings
 *
 * till_i18n_bind() with the `bilingual-labels` setting, as the application does at start.
 *
 * Returns: whether the bilingual catalogues are in use
 */
gboolean
till_i18n_bind_for_settings (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);

  return till_i18n_bind (g_settings_get_boolean (settings, "bilingual-labels"));
}

/* Whether the last till_i18n_bind() bound the bilingual catalogues. */
gboolean
till_i18n_get_bilingual (void)
{
  return bilingual_bound;
}
