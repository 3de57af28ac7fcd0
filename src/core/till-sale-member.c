/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "till-sale-member.h"

G_DEFINE_BOXED_TYPE (TillSaleMember, till_sale_member, till_sale_member_copy,
                     till_sale_member_free)

TillSaleMember *
till_sale_member_new (gint64      id,
                      const char *code,
                      const char *name,
                      const char *phone_masked,
                      gint64      level_id,
                      const char *level_name)
{
  TillSaleMember *member = g_new0 (TillSaleMember, 1);

  member->id = id;
  member->code = g_strdup (code);
  member->name = g_strdup (name);
  member->phone_masked = g_strdup (phone_masked);
  member->level_id = level_id;
  member->level_name = g_strdup (level_name);
  return member;
}

TillSaleMember *
till_sale_member_copy (const TillSaleMember *member)
{
  if (member == NULL)
    return NULL;
  return till_sale_member_new (member->id, member->code, member->name, member->phone_masked,
                               member->level_id, member->level_name);
}

void
till_sale_member_free (TillSaleMember *member)
{
  if (member == NULL)
    return;
  g_free (member->code);
  g_free (member->name);
  g_free (member->phone_masked);
  g_free (member->level_name);
  g_free (member);
}

gboolean
till_sale_member_equal (const TillSaleMember *a,
                        const TillSaleMember *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return a->id == b->id && a->level_id == b->level_id && g_strcmp0 (a->code, b->code) == 0
         && g_strcmp0 (a->name, b->name) == 0
         && g_strcmp0 (a->phone_masked, b->phone_masked) == 0
         && g_strcmp0 (a->level_name, b->level_name) == 0;
}

char *
till_sale_member_dup_label (const TillSaleMember *member)
{
  g_return_val_if_fail (member != NULL, NULL);

  if (member->phone_masked == NULL || *member->phone_masked == '\0')
    return g_strdup (member->name);
  return g_strdup_printf ("%s · %s", member->name, member->phone_masked);
}
