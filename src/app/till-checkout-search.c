/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCheckout: a product found by a search (till-product-search.h) goes into the sale by
 * the same path as a scan of its code, so that it is looked up again (still sold, the day
 * open), and goods sold by weight ask for their weight as their PLU does. */
#define G_LOG_DOMAIN "till-checkout"
#include "config.h"

#include "till-checkout-private.h"

/* The code that finds exactly this product: its barcode when the checkout reads it as a
 * barcode (a retail or in-store code, looked up by barcode first), else its PLU (a short
 * code is looked up by PLU first), else the barcode. */
static const char *
product_code (const TillProduct *product)
{
  gboolean has_barcode = product->barcode != NULL && *product->barcode != '\0';
  gboolean has_plu = product->plu != NULL && *product->plu != '\0';

  if (has_barcode)
    {
      g_autoptr(TillBarcode) barcode = till_barcode_classify (product->barcode, NULL);

      if (!till_barcode_kind_is_payment (barcode->kind) && barcode->kind != TILL_BARCODE_PLU
          && barcode->kind != TILL_BARCODE_RECEIPT)
        return product->barcode;
    }
  if (has_plu)
    return product->plu;
  return has_barcode ? product->barcode : NULL;
}

gboolean
till_checkout_add_product (TillCheckout      *self,
                           const TillProduct *product,
                           GError           **error)
{
  const char *code;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);
  g_return_val_if_fail (product != NULL, FALSE);

  code = product_code (product);
  if (code == NULL)
    return _till_checkout_refuse (self, error, _("This product has no code to sell it by"));
  g_message ("Product %" G_GINT64_FORMAT " chosen by search", product->id);
  till_checkout_enter_code (self, code);
  return TRUE;
}
