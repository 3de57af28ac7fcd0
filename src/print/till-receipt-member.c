/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A member's lines on a receipt (issue 16): who (masked phone), the stored value paid, a
 * top-up and its bonus, the card's balance after the sale and the points earned. */
#define G_LOG_DOMAIN "till-escpos"
#include "config.h"

#include <glib/gi18n.h>

#include "till-core.h"
#include "till-escpos.h"
#include "till-report.h"

char *
till_receipt_member_line (const TillReceipt *r)
{
  g_return_val_if_fail (r != NULL, NULL);

  if (r->member_name == NULL)
    return NULL;
  if (r->member_phone_masked != NULL && r->member_phone_masked[0] != '\0')
    return g_strdup_printf ("%s %s %s", _ ("Member"), r->member_name, r->member_phone_masked);
  return g_strdup_printf ("%s %s", _ ("Member"), r->member_name);
}

gint64
till_receipt_card_part (const TillReceipt *r)
{
  g_return_val_if_fail (r != NULL, 0);

  if (g_strcmp0 (r->method, "stored_value") == 0)
    return 0;
  return CLAMP (r->stored_value_fen, 0, r->total_fen);
}

static void
add_money (GStrvBuilder *b, const char *left, gint64 fen)
{
  g_autofree char *money = till_money_format_plain (fen);

  g_strv_builder_add (b, left);
  g_strv_builder_add (b, money);
}

char **
till_receipt_member_extras (const TillReceipt *r)
{
  GStrvBuilder *b = g_strv_builder_new ();
  char **pairs;

  g_return_val_if_fail (r != NULL, NULL);

  if (r->topup_fen > 0)
    {
      add_money (b, _ ("Stored value top-up"), r->topup_fen);
      if (r->topup_bonus_fen > 0)
        add_money (b, _ ("Bonus"), r->topup_bonus_fen);
    }
  if (r->member_name != NULL && r->show_balance)
    add_money (b, _ ("Stored value balance"), r->balance_fen);
  if (r->member_name != NULL && r->points_earned > 0)
    {
      g_autofree char *points = g_strdup_printf ("%" G_GINT64_FORMAT, r->points_earned);

      g_strv_builder_add (b, _ ("Points earned"));
      g_strv_builder_add (b, points);
    }
  pairs = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return pairs;
}
