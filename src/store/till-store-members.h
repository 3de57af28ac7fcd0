/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Members (会员, issue 16; schema 16): levels, members found by member code, phone or name
 * (pinyin keys, as products), and member prices per level. Phone numbers are stored
 * normalized (till_phone_normalize()) and never logged: the log names member ids only. */
#pragma once

#include "till-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 id;
  char *name;
  gint64 position;
  gint64 discount_bp;     /* the level's percent off, basis points (0..10000) */
  gint64 points_per_yuan; /* points earned per whole yuan paid */
} TillMemberLevel;

typedef struct
{
  gint64 id;
  char *code; /* "M" + 9 digits + check digit */
  char *name;
  char *phone;      /* 11 digits, or NULL; mask it (till_phone_mask()) to show it */
  char *birthday;   /* "YYYY-MM-DD", "MM-DD" or NULL */
  gint64 level_id;  /* 0: none */
  char *level_name; /* NULL without a level */
  char *note;
  gboolean active;
  gint64 created_at;
  char *created_by;
} TillMember;

/* What a person types for a member; phone as typed (NULL or "" for none). */
typedef struct
{
  const char *name;
  const char *phone;
  const char *birthday;
  gint64 level_id; /* 0: none */
  const char *note;
  gboolean active;
} TillMemberFields;

void
till_member_level_free (TillMemberLevel *level);
void
till_member_free (TillMember *member);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillMemberLevel, till_member_level_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillMember, till_member_free)

/* ---- levels ---- */
/* Adds a level; refused (CONSTRAINT) with an empty or taken name, a discount outside
 * 0..10000 or negative points. Returns its id, 0 on error. */
gint64
till_store_add_member_level (TillStore *self, const char *name, gint64 position, gint64 discount_bp,
                             gint64 points_per_yuan, GError **error);
gboolean
till_store_edit_member_level (TillStore *self, gint64 level_id, const char *name, gint64 position,
                              gint64 discount_bp, gint64 points_per_yuan, GError **error);
/* The levels by position, then name (array of TillMemberLevel*). */
GPtrArray *
till_store_list_member_levels (TillStore *self, GError **error);

/* ---- members ---- */
/* Adds a member made by `who` (audit "member_add" with the member's id): the name is
 * required, the phone (normalized) unique, the birthday a real date, the level an
 * existing one. `code` is a member code printed on a card handed out (checked, unique),
 * or NULL for a new random one. Returns the member's id, 0 on error. */
gint64
till_store_add_member (TillStore *self, const TillMemberFields *fields, const char *code,
                       const char *who, GError **error);
/* Changes a member's fields (not the code), audit "member_edit". */
gboolean
till_store_edit_member (TillStore *self, gint64 member_id, const TillMemberFields *fields,
                        const char *who, GError **error);
/* NULL + NOT_FOUND when there is none. */
TillMember *
till_store_get_member (TillStore *self, gint64 member_id, GError **error);
/* The active member of a code (either case); NULL + NOT_FOUND. */
TillMember *
till_store_find_member_by_code (TillStore *self, const char *code, GError **error);
/* The active member of a phone number as typed (spaces, +86...); NULL + NOT_FOUND, or
 * CONSTRAINT when it is not a mobile number. */
TillMember *
till_store_find_member_by_phone (TillStore *self, const char *phone, GError **error);
/* Active members whose name (its text, pinyin initials or full pinyin) starts with
 * `query`, at most `limit`, by name (array of TillMember*). A prefix range of the
 * member_search keys: never a scan of the members. */
GPtrArray *
till_store_search_members (TillStore *self, const char *query, guint limit, GError **error);

/* ---- member prices ---- */
/* Sets the price of a product for members of a level (price_fen >= 0), or removes it
 * (price_fen < 0); audit "member_price" by `who`. */
gboolean
till_store_set_member_price (TillStore *self, gint64 product_id, gint64 level_id, gint64 price_fen,
                             const char *who, GError **error);
/* The member price of the product for the level, or -1 when it has none. */
gboolean
till_store_get_member_price (TillStore *self, gint64 product_id, gint64 level_id,
                             gint64 *out_price_fen, GError **error);
/* A level's pricing for the counter: its percent off (basis points) and every product's
 * member price, as a table product id → price in fen (gint64 keys and values, owned). */
GHashTable *
till_store_member_pricing (TillStore *self, gint64 level_id, gint64 *out_discount_bp,
                           GError **error);

G_END_DECLS
