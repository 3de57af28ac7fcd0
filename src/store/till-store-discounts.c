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
