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

/* ---- the customer display's words: Chinese and English whatever the till speaks ---- */

/* The zh_CN catalogue (a GNU .mo file) as msgid → msgstr; empty when it cannot be read. */
static GHashTable *
read_mo (const char *path)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, &error);
  const guint8 *data;
  gsize size;
  guint32 magic, n, originals, translations;
  gboolean swap;

  if (file == NULL)
    {
      g_message ("Customer display: no Chinese catalogue (%s): its words stay in English",
                 error->message);
      return table;
    }
  data = (const guint8 *) g_mapped_file_get_contents (file);
  size = g_mapped_file_get_length (file);
  if (size < 20)
    goto bad;
  memcpy (&magic, data, 4);
  if (magic == 0x950412de)
    swap = FALSE;
  else if (GUINT32_SWAP_LE_BE (magic) == 0x950412de)
    swap = TRUE;
  else
    goto bad;
#define MO_U32(off) (swap ? GUINT32_SWAP_LE_BE (*(const guint32 *) (data + (off))) \
                          : *(const guint32 *) (data + (off)))
  n = MO_U32 (8);
  originals = MO_U32 (12);
  translations = MO_U32 (16);
  if (originals % 4 != 0 || translations % 4 != 0
      || originals > size || translations > size
      || n > (size - originals) / 8 || n > (size - translations) / 8)
    goto bad;
  for (guint32 i = 0; i < n; i++)
    {
      guint32 olen = MO_U32 (originals + 8 * i), ooff = MO_U32 (originals + 8 * i + 4);
      guint32 tlen = MO_U32 (translations + 8 * i), toff = MO_U32 (translations + 8 * i + 4);

      if (ooff > size || olen >= size - ooff || toff > size || tlen >= size - toff)
        goto bad;
      /* "ctx\004id" and plural entries ("id\0plural") are not customer words: the first
       * string of each is enough for a plain msgid. */
      if (olen == 0 || memchr (data + ooff, '\004', olen) != NULL)
        continue;
      g_hash_table_insert (table, g_strndup ((const char *) data + ooff, olen),
                           g_strdup ((const char *) data + toff));
    }
#undef MO_U32
  return table;

bad:
  g_warning ("Customer display: the Chinese catalogue %s is damaged: its words stay in English",
             path);
  g_hash_table_remove_all (table);
  return table;
}

static GHashTable *
chinese_catalogue (void)
{
  static gsize once;
  static GHashTable *table;

  if (g_once_init_enter (&once))
    {
      g_autofree char *path = g_build_filename (till_i18n_get_localedir (FALSE), "zh_CN",
                                                "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

      table = read_mo (path);
      g_once_init_leave (&once, 1);
    }
  return table;
}

/**
 * till_i18n_dup_customer_words:
 * @msgid: an English msgid
 *
 * The customer display is read by customers of any language, so it speaks Chinese and
 * English whatever the till's language is: "<zh_CN> · <English>", read from the zh_CN
 * catalogue (the English alone when it has no translation).
 *
 * Returns: (transfer full): the bilingual words
 */
char *
till_i18n_dup_customer_words (const char *msgid)
{
  const char *zh;

  g_return_val_if_fail (msgid != NULL, NULL);

  zh = g_hash_table_lookup (chinese_catalogue (), msgid);
  if (zh == NULL || zh[0] == '\0' || g_str_equal (zh, msgid))
    return g_strdup (msgid);
  return g_strdup_printf ("%s · %s", zh, msgid);
}
