/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The built catalogues at run time: with LANGUAGE=zh_CN or zh_TW, messages from the core,
 * the store and the windows' .ui files come back translated, and the bilingual-labels
 * catalogues give the Chinese and the English side by side. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <inttypes.h>
#include <locale.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <glib/gi18n.h>

#include "till-money.h"
#include "till-store.h"

static const char *lang;

typedef struct
{
  const char *msgid;
  const char *zh_CN;
  const char *zh_TW;
} Expect;

static const char *
expected (const Expect *e)
{
  return g_str_equal (lang, "zh_TW") ? e->zh_TW : e->zh_CN;
}

/* Known msgids from every layer, looked up in the domain as the app does. */
static void
test_known_messages (void)
{
  static const Expect table[] = {
    { "Cash (F8)", "现金 (F8)", "現金 (F8)" },
    { "Change", "找零", "找零" },
    { "Close the day", "日结", "日結" },
    { "Preferences", "首选项", "偏好設定" },
    { "The database is busy", "数据库正忙", "資料庫正忙" },
    { "This is not a payment code", "这不是付款码", "這不是付款碼" },
    { "No camera found.", "没有找到摄像头。", "沒有找到攝影機。" },
    { "Shop name", "店名", "店名" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, table[i].msgid), ==, expected (&table[i]));
}

/* msgids built with PRId64 are system-dependent strings in the .mo: they must still match. */
static void
test_int64_format (void)
{
  g_autofree char *text = g_strdup_printf (_("Sale %" PRId64 " does not exist"), (gint64) 42);

  g_assert_cmpstr (text, ==, g_str_equal (lang, "zh_TW") ? "銷售單 42 不存在" : "销售单 42 不存在");
}

/* The core's money parser reports a translated error. */
static void
test_core_error (void)
{
  g_autoptr(GError) error = NULL;
  gint64 fen = 0;

  g_assert_false (till_money_parse ("abc", &fen, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==,
                   g_str_equal (lang, "zh_TW") ? "「abc」不是金額。請按 12.50 這樣的格式輸入。"
                                               : "“abc”不是金额。请按 12.50 这样的格式输入。");
}

/* The store refuses a file that is not a database, in the cashier's language. */
static void
test_store_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) tmp_error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("till-po-XXXXXX", &tmp_error);
  g_autofree char *path = NULL;
  TillStore *store;

  g_assert_no_error (tmp_error);
  path = g_build_filename (dir, "shopping-list.db", NULL);
  g_assert_true (g_file_set_contents (path, "this is a shopping list, not a database\n"
                                            "this is a shopping list, not a database\n"
                                            "this is a shopping list, not a database\n", -1, NULL));
  /* the store logs the details for the log; the cashier gets the error */
  g_test_expect_message ("till-store", G_LOG_LEVEL_WARNING, "*");
  store = till_store_open (path, &error);
  g_test_assert_expected_messages ();
  g_assert_null (store);
  g_assert_nonnull (error);
  g_test_message ("store error: %s", error->message);
  g_assert_nonnull (strstr (error->message, g_str_equal (lang, "zh_TW") ? "不是 Tillpoint 資料庫" : "不是 Tillpoint 数据库"));
  g_unlink (path);
  g_rmdir (dir);
}

typedef struct
{
  GPtrArray *untranslated;
  guint      n;
  gboolean   in_translatable;
  char      *context;
  GString   *text;
} UiScan;

static void
ui_start_cb (GMarkupParseContext *context,
             const char          *element,
             const char         **names,
             const char         **values,
             gpointer             user_data,
             GError             **error)
{
  UiScan *scan = user_data;

  scan->in_translatable = FALSE;
  g_clear_pointer (&scan->context, g_free);
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_equal (names[i], "translatable") && g_str_equal (values[i], "yes"))
        scan->in_translatable = TRUE;
      else if (g_str_equal (names[i], "context"))
        scan->context = g_strdup (values[i]);
    }
  g_string_truncate (scan->text, 0);
}

static void
ui_text_cb (GMarkupParseContext *context,
            const char          *text,
            gsize                len,
            gpointer             user_data,
            GError             **error)
{
  UiScan *scan = user_data;

  if (scan->in_translatable)
    g_string_append_len (scan->text, text, len);
}

/* Strings that read the same in every language. */
static gboolean
same_everywhere (const char *msgid)
{
  static const char *const same[] = { "0.00", "AppID", "20261121-0007", NULL };

  if (g_strv_contains (same, msgid))
    return TRUE;
  /* Chinese-only msgids ("导出 CSV") are already Simplified Chinese. */
  if (g_str_equal (lang, "zh_CN") && !g_regex_match_simple ("[a-z]{2}", msgid, 0, 0))
    return TRUE;
  return FALSE;
}

static void
ui_end_cb (GMarkupParseContext *context,
           const char          *element,
           gpointer             user_data,
           GError             **error)
{
  UiScan *scan = user_data;
  const char *msgid = scan->text->str;
  const char *msgstr;

  if (!scan->in_translatable)
    return;
  scan->in_translatable = FALSE;
  scan->n++;
  msgstr = scan->context != NULL ? g_dpgettext2 (GETTEXT_PACKAGE, scan->context, msgid)
                                 : g_dgettext (GETTEXT_PACKAGE, msgid);
  if (msgstr == msgid || g_str_equal (msgstr, msgid))
    {
      if (!same_everywhere (msgid))
        g_ptr_array_add (scan->untranslated, g_strdup (msgid));
    }
}

/* Parses every .ui file under `path` (the templates sit beside their .c in src/ui's
 * folders); returns how many. */
static guint
scan_ui_dir (const char          *path,
             const GMarkupParser *parser,
             UiScan              *scan)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint files = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      GMarkupParseContext *ctx;

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          files += scan_ui_dir (child, parser, scan);
          continue;
        }
      if (!g_str_has_suffix (name, ".ui"))
        continue;
      g_assert_true (g_file_get_contents (child, &contents, NULL, NULL));
      ctx = g_markup_parse_context_new (parser, 0, scan, NULL);
      g_markup_parse_context_parse (ctx, contents, -1, &error);
      if (error == NULL)
        g_markup_parse_context_end_parse (ctx, &error);
      g_assert_no_error (error);
      g_markup_parse_context_free (ctx);
      files++;
    }
  return files;
}

/* Every translatable string of the windows' .ui files comes back translated. */
static void
test_ui_files (void)
{
  const GMarkupParser parser = { ui_start_cb, ui_end_cb, ui_text_cb, NULL, NULL };
  const char *srcdir = g_getenv ("TILL_TEST_SRCDIR");
  g_autofree char *ui_dir = NULL;
  guint files = 0;
  UiScan scan = { 0 };

  g_assert_nonnull (srcdir);
  ui_dir = g_build_filename (srcdir, "src", "ui", NULL);
  scan.untranslated = g_ptr_array_new_with_free_func (g_free);
  scan.text = g_string_new (NULL);
  files = scan_ui_dir (ui_dir, &parser, &scan);
  g_test_message ("%u translatable strings in %u .ui files", scan.n, files);
  for (guint i = 0; i < scan.untranslated->len; i++)
    g_test_message ("untranslated at run time: %s", (char *) scan.untranslated->pdata[i]);
  g_assert_cmpuint (files, >, 0);
  g_assert_cmpuint (scan.n, >, 100);
  g_assert_cmpuint (scan.untranslated->len, ==, 0);
  g_ptr_array_unref (scan.untranslated);
  g_string_free (scan.text, TRUE);
  g_free (scan.context);
}

/* The bilingual-labels catalogues (po/bilingual/, build-aux/bilingual-po.py): the strings
 * the till showed before its msgids were English, and "<Chinese> <English>" for the
 * others; a format string keeps its arguments. Binds the plain catalogues back. */
static void
test_bilingual_labels (void)
{
  static const Expect table[] = {
    { "Cash (F8)", "现金 Cash (F8)", "現金 Cash (F8)" },
    { "Preferences", "首选项 Preferences", "偏好設定 Preferences" },
    { "Please confirm the payment on your phone",
      "请在手机上确认付款 · Please confirm the payment on your phone",
      "請在手機上確認付款 · Please confirm the payment on your phone" },
    { "Sale %s, %u lines, total %s. The void is recorded in the audit log.",
      "单号 Sale %s, %u 行 lines, 合计 total %s. 作废会记录在审计日志中 · The void is recorded in "
      "the audit log.",
      NULL },
  };
  const char *dir = g_getenv ("TILL_TEST_BILINGUAL_LOCALEDIR");
  g_autofree char *paid = NULL;

  g_assert_nonnull (dir);
  bindtextdomain (GETTEXT_PACKAGE, dir);
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (expected (&table[i]) != NULL)
      g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, table[i].msgid), ==, expected (&table[i]));
  paid = g_strdup_printf (_("%.0sGive %s back in cash"), "¥1.00", "¥1.00");
  g_assert_cmpstr (paid, ==, g_str_equal (lang, "zh_TW") ? "請退還現金 ¥1.00"
                                                         : "请退还现金 ¥1.00 · Give ¥1.00 back in cash");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("TILL_TEST_LOCALEDIR"));
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("TILL_TEST_LOCALEDIR");

  /* The language is the first argument not taken by GTest: zh_CN or zh_TW. */
  lang = argc > 1 && argv[argc - 1][0] != '-' ? argv[argc - 1] : "zh_CN";
  if (argc > 1 && argv[argc - 1][0] != '-')
    argc--;
  g_setenv ("LANGUAGE", lang, TRUE);
  /* LANGUAGE is ignored in the plain C locale; C.UTF-8 honours it. */
  if (setlocale (LC_ALL, "C.UTF-8") == NULL)
    setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  if (localedir == NULL)
    {
      g_test_skip ("TILL_TEST_LOCALEDIR is not set");
      return g_test_run ();
    }
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add_func ("/po/runtime/known-messages", test_known_messages);
  g_test_add_func ("/po/runtime/int64-format", test_int64_format);
  g_test_add_func ("/po/runtime/core-error", test_core_error);
  g_test_add_func ("/po/runtime/store-error", test_store_error);
  g_test_add_func ("/po/runtime/ui-files", test_ui_files);
  g_test_add_func ("/po/runtime/bilingual-labels", test_bilingual_labels);
  return g_test_run ();
}
