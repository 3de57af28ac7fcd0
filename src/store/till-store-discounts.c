/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Discounts, price overrides and open prices: their audit rows and their report figures
 * (by cashier and by product, from the lines of the period's paid sales). */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include "till-store-private.h"
#include "till-store-discounts.h"

const char *
till_pricing_action_to_string (TillPricingAction action)
{
  switch (action)
    {
    case TILL_PRICING_LINE_DISCOUNT:
      return "discount_line";
    case TILL_PRICING_SALE_DISCOUNT:
      return "discount_sale";
    case TILL_PRICING_PRICE_OVERRIDE:
      return "price_override";
    case TILL_PRICING_OPEN_PRICE:
      return "open_price";
    default:
      return NULL;
    }
}

gboolean
till_store_record_pricing (TillStore               *self,
                           const char              *actor,
                           const TillPricingChange *change,
                           GError                 **error)
{
  g_autoptr(GString) detail = g_string_new ("{\"sale\":");
  const char *action;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (change != NULL, FALSE);
  action = till_pricing_action_to_string (change->action);
  g_return_val_if_fail (action != NULL, FALSE);

  till_store_json_append_string (detail, change->sale_number != NULL ? change->sale_number : "");
  g_string_append_printf (detail, ",\"line\":%d,\"product_id\":%" G_GINT64_FORMAT ",\"name\":",
                          change->line, change->product_id);
  if (change->name != NULL)
    till_store_json_append_string (detail, change->name);
  else
    g_string_append (detail, "null");
  g_string_append (detail, ",\"kind\":");
  till_store_json_append_string (detail, till_discount_kind_to_string (change->kind));
  g_string_append_printf (detail,
                          ",\"value\":%" G_GINT64_FORMAT ",\"before_fen\":%" G_GINT64_FORMAT
                          ",\"after_fen\":%" G_GINT64_FORMAT ",\"manager_id\":%" G_GINT64_FORMAT
                          ",\"manager\":",
                          change->value, change->before_fen, change->after_fen,
                          change->manager_id);
  if (change->manager != NULL)
    till_store_json_append_string (detail, change->manager);
  else
    g_string_append (detail, "null");
  g_string_append_c (detail, '}');

  return till_store_audit (self, actor != NULL ? actor : "", action, detail->str, error);
}

/* ---------------------------------------------------------------- report figures */

/* The lines of the period's paid sales (as the report counts them): per line, whether it
 * was discounted and by how much (its own discount and its share of the sale's and of
 * 抹零), whether its price was overridden and what that took off. */
#define PRICING_LINES \
  " FROM sale s JOIN sale_line l ON l.sale_id = s.id" \
  " WHERE s.state IN ('paid', 'refunded') AND s.closed_at >= ?1 AND s.closed_at < ?2"
#define DISCOUNTED "(l.discount_fen + l.sale_discount_fen <> 0)"
#define OVERRIDDEN \
  "(l.original_price_fen IS NOT NULL AND l.original_price_fen <> l.unit_price_fen" \
  " AND l.fixed_total = 0)"
/* qty × original price, rounded half away from zero like till_money_multiply_qty() */
#define ORIGINAL_TOTAL \
  "(CASE WHEN l.original_price_fen * l.qty_milli >= 0" \
  " THEN (l.original_price_fen * l.qty_milli + 500) / 1000" \
  " ELSE (l.original_price_fen * l.qty_milli - 500) / 1000 END)"
#define PRICING_SUMS \
  " sum (CASE WHEN " DISCOUNTED " THEN 1 ELSE 0 END)," \
  " sum (l.discount_fen + l.sale_discount_fen)," \
  " sum (CASE WHEN " OVERRIDDEN " THEN 1 ELSE 0 END)," \
  " sum (CASE WHEN " OVERRIDDEN " THEN " ORIGINAL_TOTAL " - l.line_total_fen ELSE 0 END)"

static gboolean
pricing_rows (TillStore  *self,
              const char *sql,
              TillReport *r,
              GPtrArray  *list,
              gboolean    by_product,
              GError    **error)
{
  g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, r->from_us);
  sqlite3_bind_int64 (stmt, 2, r->to_us);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint n_discounts = (guint) sqlite3_column_int64 (stmt, 2);
      guint n_overrides = (guint) sqlite3_column_int64 (stmt, 4);

      if (n_discounts == 0 && n_overrides == 0)
        continue;
      till_report_add_pricing (list, (const char *) sqlite3_column_text (stmt, 0),
                               by_product ? sqlite3_column_int64 (stmt, 1) : 0, n_discounts,
                               sqlite3_column_int64 (stmt, 3), n_overrides,
                               sqlite3_column_int64 (stmt, 5));
      if (!by_product)
        {
          r->discounts_fen += sqlite3_column_int64 (stmt, 3);
          r->overrides_fen += sqlite3_column_int64 (stmt, 5);
        }
    }
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The report could not be made"));
      return FALSE;
    }
  return TRUE;
}

gboolean
_till_store_report_pricing (TillStore  *self,
                            TillReport *r,
                            GError    **error)
{
  return pricing_rows (self,
                       "SELECT coalesce (s.cashier, ''), 0," PRICING_SUMS PRICING_LINES
                       " GROUP BY coalesce (s.cashier, '') ORDER BY 4 DESC, 1",
                       r, r->pricing_cashiers, FALSE, error)
         && pricing_rows (self,
                          "SELECT l.name, coalesce (l.product_id, 0)," PRICING_SUMS PRICING_LINES
                          " GROUP BY l.product_id, l.name ORDER BY 4 DESC, 1",
                          r, r->pricing_products, TRUE, error);
}
