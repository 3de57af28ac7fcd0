/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the pinyin search keys: readings from the Han database, characters of
 * several readings, Latin letters and digits in names, full-width characters, empty and
 * garbage input, the caps on keys. */
#define G_LOG_DOMAIN "test-pinyin"
#include "config.h"

#include <string.h>

#include "till-core.h"

static gboolean
has_key (GPtrArray  *keys,
         const char *key)
{
  for (guint i = 0; i < keys->len; i++)
    if (g_str_equal (keys->pdata[i], key))
      return TRUE;
  return FALSE;
}

static void
assert_keys (const char        *name,
             TillPinyinKeyKind  kind,
             const char *const *expected)
{
  g_autoptr(GPtrArray) keys = till_pinyin_keys (name, kind);
  guint n = g_strv_length ((char **) expected);

  for (guint i = 0; i < n; i++)
    if (!has_key (keys, expected[i]))
      g_error ("“%s” has no key “%s”", name, expected[i]);
  g_assert_cmpuint (keys->len, ==, n);
}

static void
test_readings (void)
{
  g_assert_cmpstr (till_pinyin_readings (0x53EF), ==, "ke");          /* 可 */
  g_assert_cmpstr (till_pinyin_readings (0x53E3), ==, "kou");         /* 口 */
  /* kMandarin's reading first, then the dictionaries' others */
  g_assert_cmpstr (till_pinyin_readings (0x957F), ==, "zhang chang"); /* 长 */
  g_assert_cmpstr (till_pinyin_readings (0x4E50), ==, "le yue");      /* 乐 */
  g_assert_nonnull (strstr (till_pinyin_readings (0x884C), "xing"));  /* 行 */
  g_assert_nonnull (strstr (till_pinyin_readings (0x884C), "hang"));
  g_assert_cmpstr (till_pinyin_readings (0x7EFF), ==, "lv lu");       /* 绿: ü is v */
  g_assert_null (till_pinyin_readings ('a'));
  g_assert_null (till_pinyin_readings (0x3042));                      /* あ */
  g_assert_null (till_pinyin_readings (0x10FFFF));
  g_assert_cmpstr (till_pinyin_unicode_version (), ==, "15.0.0");
}

static void
test_coke (void)
{
  assert_keys ("可口可乐 500ml", TILL_PINYIN_INITIALS,
               (const char *const[]) { "kkkl500ml", "kkky500ml", NULL });
  assert_keys ("可口可乐 500ml", TILL_PINYIN_FULL,
               (const char *const[]) { "kekoukele500ml", "kekoukeyue500ml", NULL });
}

static void
test_several_readings (void)
{
  /* 长 zhang/chang, 行 xing/hang/…: every combination, the customary one first */
  g_autoptr(GPtrArray) keys = till_pinyin_keys ("长城", TILL_PINYIN_INITIALS);
  g_autoptr(GPtrArray) full = till_pinyin_keys ("银行卡", TILL_PINYIN_FULL);
  g_autoptr(GPtrArray) music = till_pinyin_keys ("音乐", TILL_PINYIN_FULL);

  g_assert_cmpuint (keys->len, ==, 2);
  g_assert_cmpstr (keys->pdata[0], ==, "zc");
  g_assert_true (has_key (keys, "cc"));
  g_assert_true (has_key (full, "yinxingka"));
  g_assert_true (has_key (full, "yinhangka"));
  g_assert_cmpstr (full->pdata[0], ==, "yinxingka");
  g_assert_true (has_key (music, "yinyue"));
  g_assert_true (has_key (music, "yinle"));
}

static void
test_latin_digits_fullwidth (void)
{
  /* full-width letters and digits are ASCII; case folded; spaces and symbols dropped */
  assert_keys ("ＡＢＣ饼干 ２００ｇ", TILL_PINYIN_INITIALS,
               (const char *const[]) { "abcbg200g", NULL });
  assert_keys ("Coca-Cola 330ML", TILL_PINYIN_FULL,
               (const char *const[]) { "cocacola330ml", NULL });
  /* a character without a reading stays itself */
  assert_keys ("あ茶", TILL_PINYIN_INITIALS, (const char *const[]) { "あc", NULL });
  g_autofree char *q = till_pinyin_normalize ("  ＫＫ kl！ ");
  g_assert_cmpstr (q, ==, "kkkl");
  g_assert_true (till_pinyin_is_latin_query (q));
  g_assert_false (till_pinyin_is_latin_query ("6901"));
  g_assert_true (till_pinyin_is_digits ("6901"));
  g_assert_false (till_pinyin_is_digits ("69a1"));
  g_assert_false (till_pinyin_is_digits (""));
}

static void
test_empty_and_garbage (void)
{
  g_autoptr(GPtrArray) empty = till_pinyin_keys ("", TILL_PINYIN_INITIALS);
  g_autoptr(GPtrArray) null = till_pinyin_keys (NULL, TILL_PINYIN_FULL);
  g_autoptr(GPtrArray) punct = till_pinyin_keys (" -！?·", TILL_PINYIN_FULL);
  g_autoptr(GPtrArray) bad = till_pinyin_keys ("\xff\xfe可\xc3", TILL_PINYIN_INITIALS);
  g_autofree char *norm = till_pinyin_normalize ("\xff\xfe");
  g_autoptr(GRand) rand = g_rand_new_with_seed (14);

  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_cmpuint (null->len, ==, 0);
  g_assert_cmpuint (punct->len, ==, 0);
  g_assert_cmpuint (bad->len, ==, 1);
  g_assert_cmpstr (bad->pdata[0], ==, "k");
  g_assert_cmpstr (norm, ==, "");
  g_assert_false (till_pinyin_is_latin_query (""));
  /* random bytes: never a crash, keys valid UTF-8 within the caps */
  for (guint round = 0; round < 2000; round++)
    {
      char buf[40];
      guint len = g_rand_int_range (rand, 0, sizeof buf - 1);
      g_autoptr(GPtrArray) keys = NULL;

      for (guint i = 0; i < len; i++)
        buf[i] = (char) g_rand_int_range (rand, 1, 256);
      buf[len] = '\0';
      keys = till_pinyin_keys (buf, round % 2 ? TILL_PINYIN_FULL : TILL_PINYIN_INITIALS);
      g_assert_cmpuint (keys->len, <=, TILL_PINYIN_MAX_KEYS);
      for (guint k = 0; k < keys->len; k++)
        {
          g_assert_true (g_utf8_validate (keys->pdata[k], -1, NULL));
          g_assert_cmpuint (strlen (keys->pdata[k]), <=, TILL_PINYIN_MAX_KEY_BYTES);
        }
    }
}

static void
test_later_words (void)
{
  g_autoptr(GPtrArray) apple = till_pinyin_later_words ("苹果 (红富士)");
  g_autoptr(GPtrArray) pen = till_pinyin_later_words ("STABILO 荧光笔 黄色");
  g_autoptr(GPtrArray) one = till_pinyin_later_words ("  可口可乐500ml ");
  g_autoptr(GPtrArray) many = till_pinyin_later_words ("a b c d e f g");
  g_autoptr(GPtrArray) none = till_pinyin_later_words (NULL);
  g_autoptr(GPtrArray) bad = till_pinyin_later_words ("\xff 茶\xfe");

  g_assert_cmpuint (apple->len, ==, 1);
  g_assert_cmpstr (apple->pdata[0], ==, "红富士)");
  g_assert_cmpuint (pen->len, ==, 2);
  g_assert_cmpstr (pen->pdata[0], ==, "荧光笔 黄色");
  g_assert_cmpstr (pen->pdata[1], ==, "黄色");
  g_assert_cmpuint (one->len, ==, 0);          /* one word, spaces around it */
  g_assert_cmpuint (many->len, ==, TILL_PINYIN_MAX_WORDS);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (bad->len, ==, 0);          /* the invalid bytes are no word */
}

static void
test_caps (void)
{
  /* 长 ×8 would be 256 combinations: the customary readings' key first, at most 16 */
  g_autoptr(GPtrArray) keys = till_pinyin_keys ("长长长长长长长长", TILL_PINYIN_FULL);
  g_autoptr(GPtrArray) long_name = till_pinyin_keys (
    "可口可乐可口可乐可口可乐可口可乐可口可乐可口可乐可口可乐", TILL_PINYIN_FULL);

  g_assert_cmpuint (keys->len, ==, TILL_PINYIN_MAX_KEYS);
  g_assert_cmpstr (keys->pdata[0], ==, "zhangzhangzhangzhangzhangzhangzhangzhang");
  for (guint k = 0; k < long_name->len; k++)
    g_assert_cmpuint (strlen (long_name->pdata[k]), <=, TILL_PINYIN_MAX_KEY_BYTES);
  g_assert_true (g_str_has_prefix (long_name->pdata[0], "kekoukele"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pinyin/readings", test_readings);
  g_test_add_func ("/pinyin/coke", test_coke);
  g_test_add_func ("/pinyin/several-readings", test_several_readings);
  g_test_add_func ("/pinyin/latin-digits-fullwidth", test_latin_digits_fullwidth);
  g_test_add_func ("/pinyin/empty-and-garbage", test_empty_and_garbage);
  g_test_add_func ("/pinyin/later-words", test_later_words);
  g_test_add_func ("/pinyin/caps", test_caps);
  return g_test_run ();
}
