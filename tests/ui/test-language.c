/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cashier's window in three languages (issue 13): under LANGUAGE=en no label, button,
 * tooltip, placeholder, column title, menu item or title shows a CJK character except the
 * shop's data (product names); under zh_CN the same window reads in Chinese as before the
 * msgids were English; with the bilingual-labels setting on, in Chinese and English side by
 * side ("现金 Cash (F8)"). The customer display is bilingual in every case. The catalogues
 * are the ones built in this tree, bound by the same call as the application's start-up.
 * Screenshots: meson-logs/language-{en,zh_CN,bilingual}.png. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <locale.h>
#include <X11/Xlib.h>
#include <glib/gi18n.h>

#include "till-i18n.h"
#include "till-ui-test.h"

#define COLA_EAN  "6954767002057"   /* 可口可乐 500ml */
#define CHIPS_EAN "6924678006079"   /* 乐事薯片原味 70g */
#define WAIT_MS   5000

static gboolean
has_cjk (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c >= 0x2E80 && c <= 0x2FFF) || (c >= 0x3000 && c <= 0x303F)
          || (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF)
          || (c >= 0xFF00 && c <= 0xFFEF))
        return TRUE;
    }
  return FALSE;
}

/* Every text the window shows or would show (tooltips, menus), with where it was found. */
static void
collect_menu (GMenuModel *model,
              GPtrArray  *texts)
{
  for (int i = 0; model != NULL && i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *label = NULL;
      g_autoptr(GMenuLinkIter) links = g_menu_model_iterate_item_links (model, i);

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        g_ptr_array_add (texts, g_strdup_printf ("menu item: %s", label));
      while (g_menu_link_iter_next (links))
        {
          g_autoptr(GMenuModel) child = g_menu_link_iter_get_value (links);

          collect_menu (child, texts);
        }
    }
}

static void
collect (GtkWidget *widget,
         GPtrArray *texts)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (texts, g_strdup_printf ("label: %s", gtk_label_get_text (GTK_LABEL (widget))));
  if (GTK_IS_ENTRY (widget) && gtk_entry_get_placeholder_text (GTK_ENTRY (widget)) != NULL)
    g_ptr_array_add (texts, g_strdup_printf ("placeholder: %s",
                                             gtk_entry_get_placeholder_text (GTK_ENTRY (widget))));
  if (tooltip != NULL)
    g_ptr_array_add (texts, g_strdup_printf ("tooltip: %s", tooltip));
  if (GTK_IS_MENU_BUTTON (widget))
    collect_menu (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)), texts);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, texts);
}

static GPtrArray *
cashier_texts (TillUiFixture *f)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  GListModel *columns = gtk_column_view_get_columns (f->cashier->cart_view);

  g_ptr_array_add (texts, g_strdup_printf ("title: %s",
                                           gtk_window_get_title (GTK_WINDOW (f->cashier))));
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      g_ptr_array_add (texts, g_strdup_printf ("column: %s",
                                               gtk_column_view_column_get_title (column)));
    }
  collect (GTK_WIDGET (f->cashier), texts);
  return texts;
}

static gboolean
has_text (GPtrArray  *texts,
          const char *text)
{
  for (guint i = 0; i < texts->len; i++)
    {
      const char *t = strchr (g_ptr_array_index (texts, i), ':') + 2;

      if (g_str_equal (t, text))
        return TRUE;
    }
  return FALSE;
}

/* Binds the catalogues for `language` as the application does (its settings decide
 * whether they are the bilingual ones), then builds the till with two products in the
 * cart. */
static void
prepare_bilingual (GSettings *settings,
                   gpointer   data)
{
  g_settings_set_boolean (settings, "bilingual-labels", GPOINTER_TO_INT (data));
  g_assert_true (till_i18n_bind_for_settings (settings) == GPOINTER_TO_INT (data));
}

static TillUiFixture *
till_in (const char *language,
         gboolean    bilingual)
{
  TillUiFixture *f;

  g_setenv ("LANGUAGE", language, TRUE);
  f = till_ui_fixture_new_full (FALSE, prepare_bilingual, GINT_TO_POINTER (bilingual), NULL);
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  till_ui_pump (300);
  return f;
}

/* The customer display reads the same in every language. */
static void
assert_display_bilingual (TillUiFixture *f)
{
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (f->display)), "顾客显示"));
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (f->display)), "Customer display"));
  g_assert_cmpstr (till_customer_display_get_greeting (f->display), ==, "欢迎光临 · Welcome");
}

static void
test_english (void)
{
  TillUiFixture *f = till_in ("en", FALSE);
  g_autoptr(GPtrArray) texts = cashier_texts (f);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *shot = NULL;
  guint n_cjk = 0;

  /* the shop's data: the names of the goods in the cart */
  for (guint i = 0; i < till_ui_n_lines (f); i++)
    g_ptr_array_add (names,
                     (gpointer) till_sale_line_get_name (till_sale_get_line (till_ui_sale (f), i)));
  g_assert_cmpuint (names->len, ==, 2);

  g_assert_cmpuint (texts->len, >, 30);
  for (guint i = 0; i < texts->len; i++)
    {
      g_autofree char *rest = g_strdup (g_ptr_array_index (texts, i));

      for (guint k = 0; k < names->len; k++)
        {
          g_auto(GStrv) parts = g_strsplit (rest, g_ptr_array_index (names, k), -1);

          g_free (rest);
          rest = g_strjoinv ("", parts);
        }
      if (has_cjk (rest))
        {
          g_test_message ("Chinese under LANGUAGE=en: %s",
                          (char *) g_ptr_array_index (texts, i));
          n_cjk++;
        }
    }
  g_assert_cmpuint (n_cjk, ==, 0);
  /* the product names themselves are there, in Chinese */
  g_assert_true (has_text (texts, "可口可乐 500ml"));
  g_assert_true (has_text (texts, "Cash (F8)"));
  g_assert_true (has_text (texts, "Total"));
  assert_display_bilingual (f);

  shot = till_ui_screenshot (GTK_WIDGET (f->cashier), "language-en");
  g_test_message ("screenshot: %s", shot);
  till_ui_fixture_free (f);
}

static void
test_chinese (void)
{
  TillUiFixture *f = till_in ("zh_CN", FALSE);
  g_autoptr(GPtrArray) texts = cashier_texts (f);
  g_autofree char *shot = NULL;

  /* today's Chinese, and not one English label among those */
  g_assert_true (has_text (texts, "现金 (F8)"));
  g_assert_true (has_text (texts, "合计"));
  g_assert_true (has_text (texts, "商品"));
  g_assert_true (has_text (texts, "整单作废 (F4)"));
  g_assert_false (has_text (texts, "Cash (F8)"));
  g_assert_false (has_text (texts, "现金 Cash (F8)"));
  g_assert_cmpstr (_("Cash (F8)"), ==, "现金 (F8)");
  assert_display_bilingual (f);

  shot = till_ui_screenshot (GTK_WIDGET (f->cashier), "language-zh_CN");
  g_test_message ("screenshot: %s", shot);
  till_ui_fixture_free (f);
}

static void
test_bilingual (void)
{
  TillUiFixture *f = till_in ("zh_CN", TRUE);
  g_autoptr(GPtrArray) texts = cashier_texts (f);
  g_autofree char *shot = NULL;

  /* the look before the English msgids */
  g_assert_true (has_text (texts, "现金 Cash (F8)"));
  g_assert_true (has_text (texts, "合计 Total"));
  g_assert_true (has_text (texts, "商品 Item"));
  g_assert_true (has_text (texts, "整单作废 Void sale (F4)"));
  g_assert_false (has_text (texts, "现金 (F8)"));
  assert_display_bilingual (f);

  shot = till_ui_screenshot (GTK_WIDGET (f->cashier), "language-bilingual");
  g_test_message ("screenshot: %s", shot);
  till_ui_fixture_free (f);
  till_i18n_bind (FALSE);
}

int
main (int   argc,
      char *argv[])
{
  /* The key-sending thread has an X connection of its own. */
  XInitThreads ();
  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init() asks for en_US.UTF-8, often missing (then "C", where gettext ignores
   * LANGUAGE): the tests' C.UTF-8 honours it. */
  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));

  g_test_add_func ("/ui/language/english", test_english);
  g_test_add_func ("/ui/language/chinese", test_chinese);
  g_test_add_func ("/ui/language/bilingual", test_bilingual);
  return g_test_run ();
}
