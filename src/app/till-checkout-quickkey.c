/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCheckout: a quick key pressed (issue 15). Its product is read again on the store
 * thread by id, then goes into the sale by the same path as a scan of its code
 * (till_checkout_add_product()): looked up, the day open, goods by kg ask for their weight
 * and goods priced at the till for their price, exactly as their PLU does. */
#define G_LOG_DOMAIN "till-checkout"
#include "config.h"

#include "till-checkout-private.h"
#include "till-store-products.h"

static gpointer
get_product_job (TillStore *store, gpointer data, GError **error)
{
  return till_store_get_product (store, *(gint64 *)data, NULL, error);
}

static void
get_product_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillCheckout) self = user_data;
  g_autoptr (TillProduct) product = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) refused = NULL;

  _till_checkout_job_ended (self);
  product = till_store_run_finish (TILL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (product == NULL)
    {
      _till_checkout_say_error (self, _ ("The quick key's product could not be read"), error);
      return;
    }
  if (!product->active)
    {
      g_autofree char *text
          = g_strdup_printf (_ ("“%s” is no longer sold — nothing changed"), product->name);

      g_message ("Quick key of inactive product %" G_GINT64_FORMAT, product->id);
      _till_checkout_say (self, TILL_MESSAGE_ERROR, text);
      return;
    }
  /* Refusals are said on "message" by till_checkout_add_product() itself. */
  till_checkout_add_product (self, product, &refused);
}

gboolean
till_checkout_add_product_id (TillCheckout *self, gint64 product_id, GError **error)
{
  gint64 *data;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);

  if (product_id <= 0)
    return _till_checkout_refuse (self, error, _ ("This key has no product"));
  if (till_checkout_get_cart_locked (self))
    return _till_checkout_refuse (self, error,
                                  _ ("The cart is locked: a payment is in progress or part of "
                                     "it is paid"));
  g_message ("Quick key: product %" G_GINT64_FORMAT, product_id);
  data = g_new (gint64, 1);
  *data = product_id;
  _till_checkout_job_started (self);
  till_store_run_async (till_context_get_store (self->context), get_product_job, data, g_free,
                        (GDestroyNotify)till_product_free, self->cancellable, get_product_cb,
                        g_object_ref (self));
  return TRUE;
}
