/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The member a sale is for (issue 16), as the sale shows it: who, never the whole phone
 * number (its masked form, 138****1234, is all the counter, the customer display and the
 * receipt need), and the level that prices and points go by. A plain value, copied. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  gint64  id;             /* member.id */
  char   *code;           /* the member code, "M" + 10 digits */
  char   *name;
  char   *phone_masked;   /* "138****1234", or NULL without a phone */
  gint64  level_id;       /* 0: no level */
  char   *level_name;     /* NULL without a level */
} TillSaleMember;

#define TILL_TYPE_SALE_MEMBER (till_sale_member_get_type ())
GType           till_sale_member_get_type (void) G_GNUC_CONST;

TillSaleMember *till_sale_member_new   (gint64                id,
                                        const char           *code,
                                        const char           *name,
                                        const char           *phone_masked,
                                        gint64                level_id,
                                        const char           *level_name);
TillSaleMember *till_sale_member_copy  (const TillSaleMember *member);
void            till_sale_member_free  (TillSaleMember       *member);
/* Whether both are the same member with the same shown details (NULLs equal). */
gboolean        till_sale_member_equal (const TillSaleMember *a,
                                        const TillSaleMember *b);
/* "Zhang Wei · 138****1234" (the name alone without a phone). */
char           *till_sale_member_dup_label (const TillSaleMember *member);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillSaleMember, till_sale_member_free)

G_END_DECLS
