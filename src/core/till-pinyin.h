/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Search keys of product names: the Mandarin readings of Han characters without tones
 * (from the Unicode Han database, till-pinyin-table.h), a name's pinyin initials and full
 * pinyin with every reading of a character that has several, and the normal form of what
 * a cashier types. Pure functions; nothing here trusts its input to be valid UTF-8. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The most keys of one kind a name gets: a name with many characters of several readings
 * keeps the combinations of the customary readings first, up to this many. */
#define TILL_PINYIN_MAX_KEYS 16
/* Keys are cut to this many bytes (a prefix query never needs more). */
#define TILL_PINYIN_MAX_KEY_BYTES 48

typedef enum
{
  TILL_PINYIN_INITIALS = 0,  /* 可口可乐 500ml -> "kkkl500ml" */
  TILL_PINYIN_FULL,          /* 可口可乐 500ml -> "kekoukele500ml" */
} TillPinyinKeyKind;

/* The Unicode version the readings come from ("15.0.0"). */
const char *till_pinyin_unicode_version (void);
/* The toneless readings of `c`, space-separated, the customary one first ("zhang chang"),
 * or NULL when the Han database gives it none (not a Han character). ü is written v. */
const char *till_pinyin_readings        (gunichar    c);
/* What a cashier typed (or a name), for matching: NFKC (full-width letters and digits
 * become ASCII), lower case, without spaces, punctuation and symbols; invalid UTF-8 is
 * dropped. Never NULL; "" when nothing is left. */
char       *till_pinyin_normalize       (const char *text);
/* The distinct keys of `name` of one kind (array of char*, owned, at most
 * TILL_PINYIN_MAX_KEYS, the customary readings' key first): Han characters as their
 * readings (or initials), letters and digits as they are (normalized), other characters
 * without a reading as themselves. Empty when the name has nothing to key on. */
GPtrArray  *till_pinyin_keys            (const char *name,
                                         TillPinyinKeyKind kind);
/* The most later words of a name that get keys of their own. */
#define TILL_PINYIN_MAX_WORDS 4

/* The tails of `name` that start at each of its later words (after a space, a bracket or
 * other punctuation): "苹果 (红富士)" -> ["红富士)"], so that a word inside a name is found
 * by its own initials. At most TILL_PINYIN_MAX_WORDS; array of char*, owned, never NULL. */
GPtrArray  *till_pinyin_later_words     (const char *name);
/* Whether `query` (normalized) is something pinyin keys can match: ASCII letters and
 * digits only, at least one letter. */
gboolean    till_pinyin_is_latin_query  (const char *query);
/* Whether `query` is only ASCII digits (a PLU or part of a barcode). */
gboolean    till_pinyin_is_digits       (const char *query);

G_END_DECLS
