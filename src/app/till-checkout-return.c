/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCheckout: returns without a receipt. Goods looked up as at the counter (barcode,
 * PLU, scale label) into the lines of a return, and the return recorded on the store
 * thread with the cashier on the till, the approving manager and the till's cash rule;
 * refused while a payment of the sale at the counter is in progress. */
#define G_LOG_DOMAIN "till-checkout"
#include "config.h"

#include "till-checkout-private.h"
#include "till-clock.h"
#include "till-store-cash.h"
#include "till-store-returns.h"

gboolean
till_checkout_can_return (TillCheckout  *self,
                          GError       **error)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);

  if (till_checkout_get_payment_in_progress (self))
    return _till_checkout_refuse (self, error,
                                  _("A payment is in progress: finish or cancel it, then take "
                                    "the return."));
  return TRUE;
}

/* ---------------------------------------------------------------- lookup */

typedef struct
{
  TillBarcode *barcode;
} LookupData;

static void
lookup_data_free (gpointer data)
{
  LookupData *ld = data;

  g_clear_pointer (&ld->barcode, till_barcode_free);
  g_free (ld);
}

/* "not found" is an answer: NULL without an error. */
static TillProduct *
find (TillProduct *(*func) (TillStore *, const char *, GError **),
      TillStore    *store,
      const char   *code,
      GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  TillProduct *product = func (store, code, &local_error);

  if (product == NULL && local_error != NULL
      && !g_error_matches (local_error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return product;
}

static gpointer
lookup_job (TillStore *store,
            gpointer   data,
            GError   **error)
{
  LookupData *ld = data;
  const TillBarcode *bc = ld->barcode;
  g_autoptr(TillProduct) product = NULL;
  g_autoptr(TillReturn) ret = till_return_new ();
  GError *local_error = NULL;
  gboolean embedded = FALSE;
  gint64 qty = 1000;

  switch (bc->kind)
    {
    case TILL_BARCODE_EMBEDDED_WEIGHT:
    case TILL_BARCODE_EMBEDDED_PRICE:
      product = find (till_store_lookup_barcode, store, bc->code, &local_error);
      if (product == NULL && local_error == NULL)
        {
          product = find (till_store_lookup_plu, store, bc->item_code, &local_error);
          embedded = product != NULL;
        }
      break;
    case TILL_BARCODE_PLU:
      product = find (till_store_lookup_plu, store, bc->code, &local_error);
      if (product == NULL && local_error == NULL)
        product = find (till_store_lookup_barcode, store, bc->code, &local_error);
      break;
    default:
      product = find (till_store_lookup_barcode, store, bc->code, &local_error);
      break;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (product == NULL)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                   _("“%s” is not in the catalog — nothing changed"), bc->code);
      return NULL;
    }

  /* A scale label carries the weight (or the price, from which the weight follows); a PLU
   * or the goods' own barcode is one piece, or 1 kg until the weight is typed. */
  if (embedded && bc->kind == TILL_BARCODE_EMBEDDED_WEIGHT)
    qty = bc->value;
  else if (embedded && bc->kind == TILL_BARCODE_EMBEDDED_PRICE && product->price_fen > 0)
    qty = MAX (1, (bc->value * 1000 + product->price_fen / 2) / product->price_fen);
  if (!till_return_add_line (ret, product->id, product->barcode != NULL ? product->barcode
                                                                       : bc->code,
                             product->name, product->unit, product->weighed || embedded, qty,
                             product->price_fen, NULL, error))
    return NULL;
  return g_steal_pointer (&ret);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TillCheckout *self = g_task_get_source_object (task);
  GError *error = NULL;
  TillReturn *ret = till_store_run_finish (TILL_STORE (object), result, &error);

  _till_checkout_job_ended (self);
  if (ret == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ret, (GDestroyNotify) till_return_free);
}

void
till_checkout_return_lookup_async (TillCheckout        *self,
                                   const char          *code,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TillEmbeddedLayout layout;
  LookupData *ld;

  g_return_if_fail (TILL_IS_CHECKOUT (self));
  g_return_if_fail (code != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_checkout_return_lookup_async);
  layout = till_context_get_embedded_layout (self->context);
  ld = g_new0 (LookupData, 1);
  ld->barcode = till_barcode_classify (code, &layout);
  if (ld->barcode->code == NULL || ld->barcode->code[0] == '\0'
      || till_barcode_kind_is_payment (ld->barcode->kind)
      || ld->barcode->kind == TILL_BARCODE_RECEIPT)
    {
      lookup_data_free (ld);
      g_task_return_new_error (task, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                               _("Scan or type the goods brought back"));
      return;
    }
  _till_checkout_job_started (self);
  till_store_run_async (till_context_get_store (self->context), lookup_job, ld,
                        lookup_data_free, (GDestroyNotify) till_return_free, cancellable,
                        lookup_cb, g_steal_pointer (&task));
}

TillReturn *
till_checkout_return_lookup_finish (TillCheckout  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------- record */

typedef struct
{
  TillReturn       *draft;
  TillCashRounding  rounding;
} RecordData;

static void
record_data_free (gpointer data)
{
  RecordData *rd = data;

  till_return_free (rd->draft);
  g_free (rd);
}

static gpointer
record_job (TillStore *store,
            gpointer   data,
            GError   **error)
{
  RecordData *rd = data;

  return till_store_return_record (store, rd->draft, rd->rounding, error);
}

static void
record_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TillCheckout *self = g_task_get_source_object (task);
  GError *error = NULL;
  TillReturn *ret = till_store_run_finish (TILL_STORE (object), result, &error);

  _till_checkout_job_ended (self);
  if (ret == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _till_checkout_say_error (self, _("The return was not recorded"), error);
      g_task_return_error (task, error);
      return;
    }
  {
    g_autofree char *cash = till_money_format (till_return_get_cash_fen (ret));
    g_autofree char *text = g_strdup_printf (_("Return %s recorded: hand back %s in cash"),
                                             ret->number, cash);

    _till_checkout_say (self, TILL_MESSAGE_SUCCESS, text);
  }
  g_task_return_pointer (task, ret, (GDestroyNotify) till_return_free);
}

void
till_checkout_record_return_async (TillCheckout        *self,
                                   const TillReturn    *draft,
                                   const char          *manager,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  RecordData *rd;

  g_return_if_fail (TILL_IS_CHECKOUT (self));
  g_return_if_fail (draft != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_checkout_record_return_async);
  if (!till_checkout_can_return (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  rd = g_new0 (RecordData, 1);
  rd->draft = till_return_copy (draft);
  g_free (rd->draft->manager);
  rd->draft->manager = g_strdup (manager != NULL ? manager : "");
  g_free (rd->draft->cashier);
  rd->draft->cashier = g_strdup (
    till_shift_get_cashier_or_default (till_context_get_shift (self->context)));
  g_free (rd->draft->till_id);
  rd->draft->till_id = g_strdup (till_context_get_till_id (self->context));
  rd->rounding = till_context_get_cash_rounding (self->context);
  _till_checkout_job_started (self);
  till_store_run_async (till_context_get_store (self->context), record_job, rd,
                        record_data_free, (GDestroyNotify) till_return_free, cancellable,
                        record_cb, g_steal_pointer (&task));
}

TillReturn *
till_checkout_record_return_finish (TillCheckout  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
