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

typedef struct
{
  char *code;
  gint64 product_id;
} LookupJob;

static void
lookup_job_free (gpointer data)
{
  LookupJob *job = data;

  g_free (job->code);
  g_free (job);
}

static gpointer
lookup_job (TillStore *store, gpointer data, GError **error)
{
  LookupJob *job = data;

  return till_stock_item_lookup (store, job->code, job->product_id, error);
}

void
till_stock_item_lookup_async (TillStore *store, const char *code, gint64 product_id,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  LookupJob *job;

  g_return_if_fail (TILL_IS_STORE (store));
  g_return_if_fail (code != NULL || product_id > 0);

  job = g_new0 (LookupJob, 1);
  job->code = code != NULL ? g_strstrip (g_strdup (code)) : NULL;
  job->product_id = product_id;
  till_store_run_async (store, lookup_job, job, lookup_job_free,
                        (GDestroyNotify)till_stock_item_free, cancellable, callback, user_data);
}

TillStockItem *
till_stock_item_lookup_finish (TillStore *store, GAsyncResult *result, GError **error)
{
  return till_store_run_finish (store, result, error);
}
