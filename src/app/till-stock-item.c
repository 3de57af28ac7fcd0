/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A product with its last cost and stock level, for the receiving and stocktake drafts. */
#define G_LOG_DOMAIN "till-app"

#include "config.h"

#include <glib/gi18n.h>

#include "till-stock-item.h"
#include "till-store-products.h"
#include "till-store-stock-entry.h"
#include "till-store-stock.h"

void
till_stock_item_free (TillStockItem *item)
{
  if (item == NULL)
    return;
  g_clear_pointer (&item->product, till_product_free);
  g_free (item);
}

TillStockItem *
till_stock_item_lookup (TillStore *store, const char *code, gint64 product_id, GError **error)
{
  g_autoptr (TillStockItem) item = g_new0 (TillStockItem, 1);
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (TILL_IS_STORE (store), NULL);

  if (code != NULL)
    {
      item->product = till_store_find_product (store, code, NULL, &local_error);
      if (item->product == NULL && local_error == NULL)
        item->product = till_store_find_product (store, NULL, code, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (item->product == NULL)
        {
          g_message ("Stock entry: code %s is not in the catalog", code);
          g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                       _ ("“%s” is not in the catalog. Add it in the products window "
                          "(Ctrl+Shift+P)"),
                       code);
          return NULL;
        }
    }
  else
    {
      item->product = till_store_get_product (store, product_id, NULL, error);
      if (item->product == NULL)
        return NULL;
    }
  if (!till_store_product_cost (store, item->product->id, &item->cost_fen, error)
      || !till_store_stock_level (store, item->product->id, &item->level_milli, error))
    return NULL;
  return g_steal_pointer (&item);
}
