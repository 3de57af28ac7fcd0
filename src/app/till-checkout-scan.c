/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCheckout: where a scanned or typed code becomes a line (goods, scale labels, PLUs),
 * a payment (payment codes) or a receipt lookup; the catalog is read on the store thread. */
#define G_LOG_DOMAIN "till-checkout"
#include "config.h"

#include "till-checkout-private.h"
#include "till-store-cash.h"
#include "till-clock.h"

typedef struct
{
  TillBarcode *barcode;
  char        *till_id;
  gboolean     need_number;
} ResolveData;

typedef struct
{
  TillBarcode  *barcode;
  TillProduct  *product;      /* NULL: not in the catalog */
  gboolean      use_embedded; /* product found by the item code of a scale barcode */
  TillSale     *receipt_sale; /* receipt codes */
  TillSale     *new_sale;     /* when need_number and a product was found */
  gboolean      asked_number;
  char         *refusal;      /* goods found, but they cannot be sold now (a closed day) */
} ResolveResult;

static void
resolve_data_free (gpointer data)
{
  ResolveData *rd = data;

  g_clear_pointer (&rd->barcode, till_barcode_free);
  g_free (rd->till_id);
  g_free (rd);
}

static void
resolve_result_free (gpointer data)
{
  ResolveResult *rr = data;

  g_clear_pointer (&rr->barcode, till_barcode_free);
  g_clear_pointer (&rr->product, till_product_free);
  g_clear_object (&rr->receipt_sale);
  g_clear_object (&rr->new_sale);
  g_free (rr->refusal);
  g_free (rr);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ResolveResult, resolve_result_free)

/* Looks a product up; "not found" is an answer, not an error. */
static gboolean
lookup (TillProduct *(*func) (TillStore *, const char *, GError **),
        TillStore    *store,
        const char   *code,
        TillProduct **out,
        GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  *out = func (store, code, &local_error);
  if (*out == NULL && local_error != NULL
      && !g_error_matches (local_error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gpointer
resolve_job (TillStore *store,
             gpointer   data,
             GError   **error)
{
  ResolveData *rd = data;
  g_autoptr(ResolveResult) rr = g_new0 (ResolveResult, 1);
  const TillBarcode *bc = rd->barcode;

  rr->barcode = till_barcode_copy (bc);
  rr->asked_number = rd->need_number;

  switch (bc->kind)
    {
    case TILL_BARCODE_RECEIPT:
      {
        g_autoptr(GError) local_error = NULL;

        rr->receipt_sale = till_store_load_sale_by_number (store, bc->item_code, &local_error);
        if (rr->receipt_sale == NULL && local_error != NULL
            && !g_error_matches (local_error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND))
          {
            g_propagate_error (error, g_steal_pointer (&local_error));
            return NULL;
          }
        return g_steal_pointer (&rr);
      }

    case TILL_BARCODE_EMBEDDED_WEIGHT:
    case TILL_BARCODE_EMBEDDED_PRICE:
      /* A shop may have labelled some goods with in-store codes it keeps in the catalog. */
      if (!lookup (till_store_lookup_barcode, store, bc->code, &rr->product, error))
        return NULL;
      if (rr->product == NULL)
        {
          if (!lookup (till_store_lookup_plu, store, bc->item_code, &rr->product, error))
            return NULL;
          rr->use_embedded = rr->product != NULL;
        }
      break;

    case TILL_BARCODE_PLU:
      if (!lookup (till_store_lookup_plu, store, bc->code, &rr->product, error))
        return NULL;
      if (rr->product == NULL
          && !lookup (till_store_lookup_barcode, store, bc->code, &rr->product, error))
        return NULL;
      break;

    case TILL_BARCODE_EAN13:
    case TILL_BARCODE_EAN8:
    case TILL_BARCODE_UPCA:
    case TILL_BARCODE_UNKNOWN:
    default:
      if (!lookup (till_store_lookup_barcode, store, bc->code, &rr->product, error))
        return NULL;
      break;
    }

  /* A closed day takes nothing more: say so before anything is added or sent. */
  if (rr->product != NULL)
    {
      g_autoptr(GError) closed = NULL;

      if (!till_store_check_day_open_for_sales (store, till_clock_now_us (), &closed))
        {
          if (!g_error_matches (closed, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED))
            {
              g_propagate_error (error, g_steal_pointer (&closed));
              return NULL;
            }
          rr->refusal = g_strdup (closed->message);
          return g_steal_pointer (&rr);
        }
    }

  if (rr->product != NULL && rd->need_number)
    {
      rr->new_sale = _till_checkout_make_new_sale (store, rd->till_id, error);
      if (rr->new_sale == NULL)
        return NULL;
    }

  return g_steal_pointer (&rr);
}

static TillSaleLine *
make_line (const ResolveResult *rr)
{
  const TillProduct *p = rr->product;
  const TillBarcode *bc = rr->barcode;
  const char *barcode = p->barcode != NULL ? p->barcode : bc->code;

  if (rr->use_embedded && bc->kind == TILL_BARCODE_EMBEDDED_WEIGHT)
    return till_sale_line_new (p->id, bc->code, p->name, p->unit, p->price_fen,
                               bc->value, TRUE);
  if (rr->use_embedded && bc->kind == TILL_BARCODE_EMBEDDED_PRICE)
    return till_sale_line_new_fixed_total (p->id, bc->code, p->name, p->unit, p->price_fen,
                                           bc->value);

  return till_sale_line_new (p->id, barcode, p->name, p->unit, p->price_fen, 1000,
                             p->weighed);
}

static void
say_receipt (TillCheckout        *self,
             const ResolveResult *rr)
{
  g_autofree char *text = NULL;

  if (rr->receipt_sale == NULL)
    {
      text = g_strdup_printf (_("No sale with number %s (no such receipt)"),
                              rr->barcode->item_code);
      _till_checkout_say (self, TILL_MESSAGE_ERROR, text);
    }
  else
    {
      TillSale *sale = rr->receipt_sale;
      g_autofree char *total = till_money_format (till_sale_get_total_fen (sale));

      text = g_strdup_printf (_("Sale %s: %s, %s, %u lines"),
                              till_sale_get_number (sale),
                              till_sale_state_to_label (till_sale_get_state (sale)),
                              total, g_list_model_get_n_items (G_LIST_MODEL (sale)));
      _till_checkout_say (self, TILL_MESSAGE_INFO, text);
    }
}

static void
say_not_found (TillCheckout      *self,
               const TillBarcode *bc)
{
  g_autofree char *text = NULL;

  if (bc->kind == TILL_BARCODE_UNKNOWN)
    text = g_strdup_printf (_("Unknown code “%s” — nothing changed"),
                            bc->code);
  else if (bc->kind == TILL_BARCODE_EMBEDDED_WEIGHT || bc->kind == TILL_BARCODE_EMBEDDED_PRICE)
    text = g_strdup_printf (_("No product with item code %s (scale label “%s”) — nothing changed"),
                            bc->item_code, bc->code);
  else
    {
      /* A manager can add it: Ctrl+Shift+P opens the products window on this barcode. */
      g_free (self->unknown_barcode);
      self->unknown_barcode = g_strdup (bc->code);
      text = g_strdup_printf (_("“%s” is not in the catalog. Add it: Ctrl+Shift+P"), bc->code);
    }
  _till_checkout_say (self, TILL_MESSAGE_ERROR, text);
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TillCheckout) self = user_data;
  g_autoptr(ResolveResult) rr = NULL;
  g_autoptr(TillSaleLine) line = NULL;
  g_autoptr(GError) error = NULL;

  _till_checkout_job_ended (self);
  rr = till_store_run_finish (TILL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (rr == NULL)
    {
      /* Failed jobs cannot say whether they were to open a sale: let the next one ask. */
      self->number_requested = FALSE;
      _till_checkout_say_error (self, _("Lookup failed"), error);
      return;
    }

  if (rr->asked_number)
    self->number_requested = FALSE;

  if (rr->barcode->kind == TILL_BARCODE_RECEIPT)
    {
      gboolean taken = FALSE;

      if (rr->receipt_sale != NULL)
        g_signal_emit (self, till_checkout_signals[SIGNAL_RECEIPT_SCANNED], 0,
                       till_sale_get_number (rr->receipt_sale),
                       (int) till_sale_get_state (rr->receipt_sale), &taken);
      if (!taken)
        say_receipt (self, rr);
      return;
    }

  if (rr->product == NULL)
    {
      say_not_found (self, rr->barcode);
      return;
    }
  if (rr->refusal != NULL)
    {
      _till_checkout_say (self, TILL_MESSAGE_ERROR, rr->refusal);
      return;
    }

  if (self->busy)
    {
      _till_checkout_say (self, TILL_MESSAGE_ERROR,
                          _("Please wait — the sale is being closed"));
      return;
    }

  line = make_line (rr);
  /* "Price at the till": the cashier gives the price (then the weight, for goods by kg
   * without a scale label); a scale label carries its own price. */
  if (rr->product->open_price && !rr->use_embedded)
    _till_checkout_ask_price (self, line, rr->new_sale, rr->product->weighed);
  /* A PLU or the goods' own barcode carries no weight: ask, never assume 1 kg. */
  else if (rr->product->weighed && !rr->use_embedded)
    _till_checkout_ask_weight (self, line, rr->new_sale);
  else
    _till_checkout_take_line (self, line, rr->new_sale);
}

void
_till_checkout_route (TillCheckout *self,
                      const char   *code)
{
  g_autoptr(TillBarcode) barcode = NULL;
  TillEmbeddedLayout layout;
  ResolveData *rd;

  layout = till_context_get_embedded_layout (self->context);
  barcode = till_barcode_classify (code, &layout);

  if (barcode->code == NULL || barcode->code[0] == '\0')
    return;

  if (till_barcode_kind_is_payment (barcode->kind))
    {
      till_checkout_pay_code (self, barcode->code, NULL);
      return;
    }
  if (barcode->kind == TILL_BARCODE_MEMBER)
    {
      till_checkout_find_member (self, barcode->code, NULL);
      return;
    }

  rd = g_new0 (ResolveData, 1);
  rd->barcode = g_steal_pointer (&barcode);
  rd->till_id = g_strdup (till_context_get_till_id (self->context));
  /* The paid sale stays at the counter until the next item: that item opens a new sale. */
  rd->need_number = self->sale != NULL && !_till_checkout_sale_open (self)
                    && !self->number_requested && rd->barcode->kind != TILL_BARCODE_RECEIPT;
  if (rd->need_number)
    self->number_requested = TRUE;

  _till_checkout_job_started (self);
  till_store_run_async (till_context_get_store (self->context), resolve_job,
                        rd, resolve_data_free, resolve_result_free,
                        self->cancellable, resolve_cb, g_object_ref (self));
}
