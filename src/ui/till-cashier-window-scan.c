/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCashierWindow: the routing of scanned and typed codes (goods, receipts, payments). */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include "till-cashier-window-private.h"
#include "till-manager-actions.h"
#include "till-refund-window.h"
#include "till-ui-util.h"

/* ------------------------------------------------------------------------------------ */
/* Routing of scanned and typed codes                                                    */

typedef struct
{
  TillBarcode *barcode;
  char        *till_id;
  gboolean     need_number;
} ResolveData;

typedef struct
{
  TillBarcode *barcode;
  TillProduct *product;       /* NULL: not in the catalog */
  gboolean     use_embedded;  /* product found by the item code of a scale barcode */
  TillSale    *receipt_sale;  /* receipt codes */
  TillSale    *new_sale;      /* when need_number and a product was found */
  gboolean     asked_number;
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

  if (rr->product != NULL && rd->need_number)
    {
      rr->new_sale = _till_cashier_window_make_new_sale (store, rd->till_id, error);
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
show_receipt (TillCashierWindow *self,
              const ResolveResult *rr)
{
  g_autofree char *text = NULL;

  if (rr->receipt_sale == NULL)
    {
      text = g_strdup_printf (_("找不到小票 No sale with number %s"), rr->barcode->item_code);
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR, text);
    }
  else
    {
      g_autofree char *total = till_money_format (till_sale_get_total_fen (rr->receipt_sale));

      text = g_strdup_printf (_("小票 Sale %s: %s, %s, %u 行 lines"),
                              till_sale_get_number (rr->receipt_sale),
                              till_ui_sale_state_label (till_sale_get_state (rr->receipt_sale)),
                              total,
                              g_list_model_get_n_items (G_LIST_MODEL (rr->receipt_sale)));
      till_cashier_window_show_message (self, TILL_MESSAGE_INFO, text);
    }
}

/* A paid sale's receipt code opens the refunds window on it (the managers' actions of the
 * application). An open refunds window takes the code itself (it listens to the hub);
 * without an application (tests) or for a sale with nothing to refund, FALSE: the
 * cashier's window says what the code is. */
static gboolean
open_receipt_refund (TillCashierWindow   *self,
                     const ResolveResult *rr)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  TillSaleState state;

  if (app == NULL || !till_manager_actions_get_installed (app) || rr->receipt_sale == NULL)
    return FALSE;
  state = till_sale_get_state (rr->receipt_sale);
  if (state != TILL_SALE_STATE_PAID && state != TILL_SALE_STATE_REFUNDED)
    return FALSE;
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (TILL_IS_REFUND_WINDOW (l->data) && gtk_widget_get_visible (l->data))
      return TRUE;
  till_manager_actions_open_refund (app, till_sale_get_number (rr->receipt_sale));
  return TRUE;
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TillCashierWindow) self = user_data;
  g_autoptr(ResolveResult) rr = NULL;
  g_autoptr(TillSaleLine) line = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  rr = till_store_run_finish (TILL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (rr == NULL)
    {
      /* Failed jobs cannot say whether they were to open a sale: let the next one ask. */
      self->number_requested = FALSE;
      _till_cashier_window_show_error (self, _("查询失败 Lookup failed"), error);
      return;
    }

  if (rr->asked_number)
    self->number_requested = FALSE;

  if (rr->barcode->kind == TILL_BARCODE_RECEIPT)
    {
      if (!open_receipt_refund (self, rr))
        show_receipt (self, rr);
      return;
    }

  if (rr->product == NULL)
    {
      if (rr->barcode->kind == TILL_BARCODE_UNKNOWN)
        text = g_strdup_printf (_("无法识别的条码 Unknown code “%s” — 未作更改 nothing changed"),
                                rr->barcode->code);
      else if (rr->barcode->kind == TILL_BARCODE_EMBEDDED_WEIGHT
               || rr->barcode->kind == TILL_BARCODE_EMBEDDED_PRICE)
        text = g_strdup_printf (_("商品不存在 No product with item code %s (scale label “%s”) — 未作更改 nothing changed"),
                                rr->barcode->item_code, rr->barcode->code);
      else
        text = g_strdup_printf (_("商品不存在 “%s” is not in the catalog — 未作更改 nothing changed"),
                                rr->barcode->code);
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR, text);
      return;
    }

  if (self->busy)
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("请稍候 Please wait — the sale is being closed"));
      return;
    }

  line = make_line (rr);

  if (self->sale != NULL && till_sale_get_state (self->sale) == TILL_SALE_STATE_OPEN)
    _till_cashier_window_add_line (self, line);
  else if (rr->new_sale != NULL)
    _till_cashier_window_start_sale (self, rr->new_sale, line);
  else if (self->number_requested)
    g_ptr_array_add (self->pending_lines, g_steal_pointer (&line));
  else
    _till_cashier_window_request_new_sale (self, line);
}

static void
till_cashier_window_route (TillCashierWindow *self,
                           const char        *code)
{
  g_autoptr(TillBarcode) barcode = NULL;
  TillEmbeddedLayout layout;
  ResolveData *rd;
  gboolean sale_open;

  layout = till_context_get_embedded_layout (self->context);
  barcode = till_barcode_classify (code, &layout);

  if (barcode->code == NULL || barcode->code[0] == '\0')
    return;

  if (till_barcode_kind_is_payment (barcode->kind))
    {
      _till_cashier_window_payment_code (self, barcode);
      return;
    }

  sale_open = self->sale != NULL && till_sale_get_state (self->sale) == TILL_SALE_STATE_OPEN;

  rd = g_new0 (ResolveData, 1);
  rd->barcode = g_steal_pointer (&barcode);
  rd->till_id = g_strdup (till_context_get_till_id (self->context));
  /* The paid sale stays on screen until the next item: that item opens a new sale. */
  rd->need_number = self->sale != NULL && !sale_open && !self->number_requested
                    && rd->barcode->kind != TILL_BARCODE_RECEIPT;
  if (rd->need_number)
    self->number_requested = TRUE;

  till_store_run_async (till_context_get_store (self->context), resolve_job,
                        rd, resolve_data_free, resolve_result_free,
                        self->cancellable, resolve_cb, g_object_ref (self));
}

static void
scanner_hub_code_scanned_cb (TillScannerHub    *hub,
                             const char        *code,
                             int                source,
                             TillCashierWindow *self)
{
  g_autofree char *text = g_strdup_printf (_("上次扫码 Last scan: %s"),
                                           till_scan_source_to_string (source));

  gtk_label_set_text (self->source_label, text);
  till_cashier_window_route (self, code);
}

void
till_cashier_window_enter_code (TillCashierWindow *self,
                                const char        *code)
{
  g_autofree char *text = NULL;

  g_return_if_fail (TILL_IS_CASHIER_WINDOW (self));
  g_return_if_fail (code != NULL);

  text = g_strstrip (g_strdup (code));
  if (text[0] == '\0')
    return;

  gtk_label_set_text (self->source_label, _("上次输入 Last code: 手工输入 typed"));
  till_cashier_window_route (self, text);
}

static void
code_entry_activate_cb (GtkEntry          *entry,
                        TillCashierWindow *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  till_cashier_window_enter_code (self, text);
}

void
_till_cashier_window_scan_init (TillCashierWindow *self)
{
  g_signal_connect_object (till_context_get_scanner_hub (self->context), "code-scanned",
                           G_CALLBACK (scanner_hub_code_scanned_cb), self, 0);
}

void
_till_cashier_window_scan_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, code_entry_activate_cb);
}
