/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A return without a receipt: its lines, the price rule and the cash handed back. */
#define G_LOG_DOMAIN "till-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "till-core-error.h"
#include "till-return.h"

static void
line_free (TillReturnLine *line)
{
  g_free (line->barcode);
  g_free (line->name);
  g_free (line->unit);
  g_free (line);
}

TillReturn *
till_return_new (void)
{
  TillReturn *ret = g_new0 (TillReturn, 1);

  ret->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  return ret;
}

void
till_return_free (TillReturn *ret)
{
  if (ret == NULL)
    return;
  g_free (ret->number);
  g_free (ret->till_id);
  g_free (ret->cashier);
  g_free (ret->manager);
  g_free (ret->reason);
  g_ptr_array_unref (ret->lines);
  g_free (ret);
}

static gboolean
line_total (TillReturnLine  *line,
            GError         **error)
{
  if (!till_money_multiply_qty (line->unit_price_fen, line->qty_milli, &line->line_total_fen))
    {
      g_set_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
                   _("The amount of %s is too large"), line->name);
      return FALSE;
    }
  return TRUE;
}

static void
sum (TillReturn *ret)
{
  ret->amount_fen = 0;
  for (guint i = 0; i < ret->lines->len; i++)
    ret->amount_fen += ((TillReturnLine *) g_ptr_array_index (ret->lines, i))->line_total_fen;
}

gboolean
till_return_add_line (TillReturn  *ret,
                      gint64       product_id,
                      const char  *barcode,
                      const char  *name,
                      const char  *unit,
                      gboolean     weighed,
                      gint64       qty_milli,
                      gint64       list_price_fen,
                      guint       *out_index,
                      GError     **error)
{
  TillReturnLine *line;

  g_return_val_if_fail (ret != NULL && name != NULL, FALSE);

  if (qty_milli <= 0 || list_price_fen < 0)
    {
      g_set_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
                   _("The quantity must be more than zero"));
      return FALSE;
    }
  line = g_new0 (TillReturnLine, 1);
  line->product_id = product_id;
  line->barcode = g_strdup (barcode);
  line->name = g_strdup (name);
  line->unit = g_strdup (unit);
  line->weighed = weighed;
  line->qty_milli = qty_milli;
  line->list_price_fen = list_price_fen;
  line->unit_price_fen = list_price_fen;
  if (!line_total (line, error))
    {
      line_free (line);
      return FALSE;
    }
  g_ptr_array_add (ret->lines, line);
  sum (ret);
  if (out_index != NULL)
    *out_index = ret->lines->len - 1;
  return TRUE;
}

gboolean
till_return_set_qty (TillReturn  *ret,
                     guint        index,
                     gint64       qty_milli,
                     GError     **error)
{
  TillReturnLine *line;
  gint64 old;

  g_return_val_if_fail (ret != NULL && index < ret->lines->len, FALSE);

  line = g_ptr_array_index (ret->lines, index);
  if (qty_milli <= 0)
    {
      g_set_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
                   _("The quantity must be more than zero"));
      return FALSE;
    }
  old = line->qty_milli;
  line->qty_milli = qty_milli;
  if (!line_total (line, error))
    {
      line->qty_milli = old;
      line_total (line, NULL);
      return FALSE;
    }
  sum (ret);
  return TRUE;
}

static gboolean
check_price (const TillReturnLine  *line,
             gint64                 price_fen,
             GError               **error)
{
  if (price_fen < 0)
    {
      g_set_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
                   _("A price cannot be below zero"));
      return FALSE;
    }
  if (price_fen > line->list_price_fen)
    {
      g_autofree char *list = till_money_format (line->list_price_fen);

      g_set_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
                   _("The price of %s can only be lowered: at most %s"), line->name, list);
      return FALSE;
    }
  return TRUE;
}

gboolean
till_return_set_price (TillReturn  *ret,
                       guint        index,
                       gint64       unit_price_fen,
                       GError     **error)
{
  TillReturnLine *line;
  gint64 old;

  g_return_val_if_fail (ret != NULL && index < ret->lines->len, FALSE);

  line = g_ptr_array_index (ret->lines, index);
  if (!check_price (line, unit_price_fen, error))
    return FALSE;
  old = line->unit_price_fen;
  line->unit_price_fen = unit_price_fen;
  if (!line_total (line, error))
    {
      line->unit_price_fen = old;
      line_total (line, NULL);
      return FALSE;
    }
  sum (ret);
  return TRUE;
}

void
till_return_remove_line (TillReturn *ret,
                         guint       index)
{
  g_return_if_fail (ret != NULL && index < ret->lines->len);
  g_ptr_array_remove_index (ret->lines, index);
  sum (ret);
}

gboolean
till_return_check (TillReturn  *ret,
                   GError     **error)
{
  gint64 amount = 0;

  g_return_val_if_fail (ret != NULL, FALSE);

  if (ret->lines->len == 0)
    {
      g_set_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
                   _("Scan or type the goods brought back"));
      return FALSE;
    }
  for (guint i = 0; i < ret->lines->len; i++)
    {
      TillReturnLine *line = g_ptr_array_index (ret->lines, i);

      if (line->qty_milli <= 0)
        {
          g_set_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
                       _("The quantity must be more than zero"));
          return FALSE;
        }
      if (!check_price (line, line->unit_price_fen, error) || !line_total (line, error))
        return FALSE;
      if (line->line_total_fen > G_MAXINT64 - amount)
        {
          g_set_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
                       _("The amount to give back is too large"));
          return FALSE;
        }
      amount += line->line_total_fen;
    }
  if (amount <= 0)
    {
      g_set_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
                   _("There is nothing to give back"));
      return FALSE;
    }
  ret->amount_fen = amount;
  return TRUE;
}

gint64
till_return_cash_for (gint64           amount_fen,
                      TillCashRounding rule)
{
  /* A return gives back what a cash sale of the same goods would have taken. */
  return till_money_round_cash (amount_fen, rule);
}

gint64
till_return_get_cash_fen (const TillReturn *ret)
{
  g_return_val_if_fail (ret != NULL, 0);
  return ret->amount_fen + ret->rounding_fen;
}

TillReturn *
till_return_copy (const TillReturn *ret)
{
  TillReturn *copy;

  g_return_val_if_fail (ret != NULL, NULL);

  copy = till_return_new ();
  copy->id = ret->id;
  copy->number = g_strdup (ret->number);
  copy->at = ret->at;
  copy->till_id = g_strdup (ret->till_id);
  copy->cashier = g_strdup (ret->cashier);
  copy->manager = g_strdup (ret->manager);
  copy->reason = g_strdup (ret->reason);
  copy->amount_fen = ret->amount_fen;
  copy->rounding_fen = ret->rounding_fen;
  for (guint i = 0; i < ret->lines->len; i++)
    {
      const TillReturnLine *l = g_ptr_array_index (ret->lines, i);
      TillReturnLine *c = g_memdup2 (l, sizeof *l);

      c->barcode = g_strdup (l->barcode);
      c->name = g_strdup (l->name);
      c->unit = g_strdup (l->unit);
      g_ptr_array_add (copy->lines, c);
    }
  return copy;
}

const char *const *
till_return_reasons (void)
{
  static const char *const reasons[] = {
    N_("Faulty or damaged"),
    N_("Wrong item"),
    N_("Expired"),
    N_("Customer changed their mind"),
    N_("Other"),
    NULL,
  };

  return reasons;
}
