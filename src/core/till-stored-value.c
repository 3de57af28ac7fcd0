/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stored value (储值): the paid/bonus split of a spend and the top-up bonus rule. */
#define G_LOG_DOMAIN "till-core"
#include "config.h"

#include "till-stored-value.h"

gboolean
till_stored_value_split (gint64 paid_fen, gint64 bonus_fen, gint64 amount_fen, gint64 *out_paid,
                         gint64 *out_bonus)
{
  unsigned __int128 total, bonus_part;
  gint64 bonus, paid;

  g_return_val_if_fail (out_paid != NULL && out_bonus != NULL, FALSE);
  *out_paid = 0;
  *out_bonus = 0;
  if (amount_fen <= 0 || paid_fen < 0 || bonus_fen < 0 || paid_fen > G_MAXINT64 - bonus_fen)
    return FALSE;
  if (amount_fen > paid_fen + bonus_fen)
    return FALSE;

  /* Half up, without overflow: amount × bonus needs up to 126 bits. */
  total = (unsigned __int128)paid_fen + (unsigned __int128)bonus_fen;
  bonus_part
      = ((unsigned __int128)amount_fen * (unsigned __int128)bonus_fen * 2 + total) / (total * 2);
  bonus = (gint64)bonus_part;
  /* Rounding may ask one fen more of a side than it holds: take it from the other. */
  if (bonus > bonus_fen)
    bonus = bonus_fen;
  paid = amount_fen - bonus;
  if (paid > paid_fen)
    {
      paid = paid_fen;
      bonus = amount_fen - paid;
    }
  g_assert (paid >= 0 && bonus >= 0 && paid <= paid_fen && bonus <= bonus_fen);
  *out_paid = paid;
  *out_bonus = bonus;
  return TRUE;
}

const TillTopupRule *
till_stored_value_best_rule (const TillTopupRule *rules, gsize n_rules, gint64 amount_fen)
{
  const TillTopupRule *best = NULL;

  g_return_val_if_fail (rules != NULL || n_rules == 0, NULL);

  for (gsize i = 0; i < n_rules; i++)
    {
      const TillTopupRule *rule = &rules[i];

      if (rule->pay_fen <= 0 || rule->bonus_fen <= 0 || amount_fen < rule->pay_fen)
        continue;
      if (best == NULL || rule->bonus_fen > best->bonus_fen
          || (rule->bonus_fen == best->bonus_fen && rule->pay_fen > best->pay_fen))
        best = rule;
    }
  return best;
}
