/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Discounts, price overrides and open prices in the audit log (functions on TillStore).
 * The amounts themselves live on the sale's lines (schema 9: original price, discount,
 * share of the sale's discount, final amount); every change of them is also one audit row
 * saying who, what, before and after, and the approving manager when there was one. */
#pragma once

#include "till-store.h"

G_BEGIN_DECLS

typedef enum
{
  TILL_PRICING_LINE_DISCOUNT,   /* audit "discount_line"  */
  TILL_PRICING_SALE_DISCOUNT,   /* audit "discount_sale"  */
  TILL_PRICING_PRICE_OVERRIDE,  /* audit "price_override" */
  TILL_PRICING_OPEN_PRICE,      /* audit "open_price": a price given for goods priced 0 */
} TillPricingAction;

const char *till_pricing_action_to_string (TillPricingAction action);

/* One change. The amounts: a discount's are the line's (or the sale's) amount before and
 * after it, an override's and an open price's the unit price before and after. */
typedef struct
{
  TillPricingAction action;
  const char       *sale_number;
  gint              line;          /* position in the sale, -1: the whole sale */
  gint64            product_id;    /* 0: none or the whole sale */
  const char       *name;          /* the goods' name, NULL for the whole sale */
  TillDiscountKind  kind;          /* discounts: percent (basis points) or amount (fen) */
  gint64            value;
  gint64            before_fen;
  gint64            after_fen;
  gint64            manager_id;    /* the approving manager, 0: none was needed */
  const char       *manager;
} TillPricingChange;

/* Appends the audit row (actor = the cashier): action as above, detail
 * {"sale","line","product_id","name","kind","value","before_fen","after_fen",
 *  "manager_id","manager"}. */
gboolean till_store_record_pricing (TillStore               *self,
                                    const char              *actor,
                                    const TillPricingChange *change,
                                    GError                 **error);

G_END_DECLS
