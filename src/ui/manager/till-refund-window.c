/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillRefundWindow: find a sale, see what can be refunded, refund with a manager's PIN. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "till-core.h"
#include "till-pin-window.h"
#include "till-system-printer.h"
#include "till-refund-window.h"
#include "till-report.h"
#include "till-shift.h"
#include "till-store-payments.h"
#include "till-store-sales-list.h"
#include "till-text-row.h"
#include "till-ui-util.h"

struct _TillRefundWindow
{
  GtkWindow           parent_instance;

  TillContext        *context;
  TillRefundService  *service;
  GCancellable       *cancellable;
  gboolean            busy;
  TillSaleSummary    *sale;
  TillRefundable     *refundable;
  char               *message;
  char               *state_text;
  GListStore         *today;
  GListStore         *lines;
  GtkSingleSelection *today_selection;

  GtkEntry           *number_entry;
  GtkColumnView      *sales_view;
  GtkLabel           *sale_label;
  GtkColumnView      *lines_view;
  GtkLabel           *payments_label;
  GtkLabel           *state_label;
  GtkEntry           *amount_entry;
  GtkEntry           *reason_entry;
  GtkLabel           *message_label;
  GtkStack           *sale_stack;     /* "sale", or "empty": no_sale_page */
  AdwStatusPage      *no_sale_page;
};

G_DEFINE_FINAL_TYPE (TillRefundWindow, till_refund_window, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_message (TillRefundWindow *self,
              const char       *text,
              gboolean          error)
{
  till_ui_show_message (self->message_label, &self->message, text, error);
}

static void
update_actions (TillRefundWindow *self)
{
  gboolean can = !self->busy && self->refundable != NULL && self->refundable->refundable_fen > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "refund.refund", can);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "refund.fill-all", can);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "refund.reprint", self->sale != NULL);
}

static void
set_busy (TillRefundWindow *self,
          gboolean          busy)
{
  self->busy = busy;
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static const char *
refund_state_label (const char *state)
{
  if (g_strcmp0 (state, "none") == 0)
    return _("Not refunded");
  if (g_strcmp0 (state, "partial") == 0)
    return _("Partly refunded");
  if (g_strcmp0 (state, "refunded") == 0)
    return _("Fully refunded");
  if (g_strcmp0 (state, "in_progress") == 0)
    return _("Refund in progress");
  return state;
}

static const char *
method_label (const char *method)
{
  int m = till_report_method_from_id (method);

  return m >= 0 ? till_report_method_label ((TillReportMethod) m) : method;
}

/* ---- today's list ---- */

static gpointer
today_job (TillStore *store,
           gpointer   data,
           GError   **error)
{
  gint64 from = 0, to = 0;
  g_autofree char *date = till_report_local_date (till_clock_now_us ());

  if (!till_report_parse_day (date, &from, &to, error))
    return NULL;
  return till_store_list_closed_sales (store, from, to, FALSE, 500, error);
}

static void
today_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TillRefundWindow) self = user_data;
  g_autoptr(GPtrArray) sales = NULL;
  g_autoptr(GError) error = NULL;

  sales = till_store_run_finish (TILL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (sales == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Cannot list today's sales: %s"),
                                               error->message);
      show_message (self, text, TRUE);
      return;
    }
  g_list_store_remove_all (self->today);
  for (guint i = 0; i < sales->len; i++)
    {
      const TillSaleSummary *s = g_ptr_array_index (sales, i);
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (s->closed_at / G_USEC_PER_SEC);
      g_autofree char *when = g_date_time_format (dt, "%H:%M");
      g_autofree char *total = till_money_format (s->total_fen);
      g_auto(GStrv) methods = g_strsplit (s->methods, ",", -1);
      const char *first = methods[0] != NULL ? method_label (methods[0]) : "";
      g_autoptr(TillTextRow) row = till_text_row_new_va (s->id, s->number, when, total, first,
                                                         g_strcmp0 (s->state, "refunded") == 0
                                                           ? _("refunded") : "",
                                                         NULL);

      g_list_store_append (self->today, row);
    }
}

static void
reload_today (TillRefundWindow *self)
{
  till_store_run_async (till_context_get_store (self->context), today_job, NULL, NULL,
                        (GDestroyNotify) g_ptr_array_unref, self->cancellable, today_cb,
                        g_object_ref (self));
}

/* ---- one sale ---- */

typedef struct
{
  char              *number;
  TillRefundService *service;
  TillSaleSummary   *summary;
  TillSale          *sale;
  GPtrArray         *payments;
  TillRefundable    *refundable;
} SaleJob;

static void
sale_job_free (gpointer data)
{
  SaleJob *job = data;

  g_free (job->number);
  g_clear_object (&job->service);
  g_clear_pointer (&job->summary, till_sale_summary_free);
  g_clear_object (&job->sale);
  g_clear_pointer (&job->payments, g_ptr_array_unref);
  g_clear_pointer (&job->refundable, till_refundable_free);
  g_free (job);
}

static gpointer
sale_job (TillStore *store,
          gpointer   data,
          GError   **error)
{
  SaleJob *job = data;

  if ((job->summary = till_store_get_sale_summary (store, job->number, error)) == NULL
      || (job->sale = till_store_load_sale (store, job->summary->id, error)) == NULL
      || (job->payments = till_store_list_sale_payments (store, job->summary->id, error)) == NULL
      /* A read of the store only: safe on the store thread. */
      || (job->refundable = till_refund_service_get_refundable (job->service, job->summary->id,
                                                                error)) == NULL)
    {
      sale_job_free (job);
      return NULL;
    }
  return job;
}

static void
show_sale (TillRefundWindow *self,
           SaleJob          *job)
{
  GString *payments = g_string_new (_("Payments: "));
  g_autofree char *total = till_money_format (job->summary->total_fen);
  g_autofree char *paid = till_money_format (job->refundable->paid_fen);
  g_autofree char *refunded = till_money_format (job->refundable->refunded_fen);
  g_autofree char *refundable = till_money_format (job->refundable->refundable_fen);
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (job->summary->closed_at / G_USEC_PER_SEC);
  g_autofree char *when = dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M") : g_strdup ("");
  g_autofree char *heading = NULL;
  g_autofree char *amount_text = NULL;

  g_clear_pointer (&self->sale, till_sale_summary_free);
  self->sale = g_steal_pointer (&job->summary);
  g_clear_pointer (&self->refundable, till_refundable_free);
  self->refundable = g_steal_pointer (&job->refundable);

  heading = g_strdup_printf (_("Sale %s · %s · %s · %s"), self->sale->number, when, total,
                             self->sale->cashier[0] != '\0' ? self->sale->cashier : "—");
  gtk_label_set_text (self->sale_label, heading);
  gtk_stack_set_visible_child_name (self->sale_stack, "sale");

  g_list_store_remove_all (self->lines);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (job->sale)); i++)
    {
      TillSaleLine *line = till_sale_get_line (job->sale, i);
      g_autofree char *qty = till_sale_line_format_qty (line);
      g_autofree char *price = till_money_format (till_sale_line_get_unit_price_fen (line));
      /* what the customer paid for the line (after discounts): what refunding it gives */
      g_autofree char *amount = till_money_format (till_sale_line_get_final_fen (line));
      g_autoptr(TillTextRow) row = till_text_row_new_va (i, till_sale_line_get_name (line), qty,
                                                         price, amount, NULL);

      g_list_store_append (self->lines, row);
    }

  for (guint i = 0; i < job->payments->len; i++)
    {
      const TillPaymentRecord *p = g_ptr_array_index (job->payments, i);
      g_autofree char *amount = till_money_format (p->amount_fen);

      g_string_append_printf (payments, "%s%s %s (%s)", i > 0 ? " · " : "",
                              method_label (till_payment_method_to_string (p->method)), amount,
                              till_payment_state_to_string (p->state));
    }
  gtk_label_set_text (self->payments_label, payments->str);
  g_string_free (payments, TRUE);

  g_free (self->state_text);
  self->state_text = g_strdup_printf (_("%s · paid %s · refunded %s · refundable %s"),
                                      refund_state_label (self->refundable->refund_state), paid,
                                      refunded, refundable);
  gtk_label_set_text (self->state_label, self->state_text);

  amount_text = till_money_format_plain (self->refundable->refundable_fen);
  gtk_editable_set_text (GTK_EDITABLE (self->amount_entry),
                         self->refundable->refundable_fen > 0 ? amount_text : "");
  update_actions (self);
}

/* No sale on screen: the status page says why (`title`, `description`), and nothing can be
 * refunded or reprinted until a sale is picked. */
static void
show_no_sale (TillRefundWindow *self,
              const char       *title,
              const char       *description)
{
  g_clear_pointer (&self->sale, till_sale_summary_free);
  g_clear_pointer (&self->refundable, till_refundable_free);
  g_clear_pointer (&self->state_text, g_free);
  g_list_store_remove_all (self->lines);
  gtk_label_set_text (self->sale_label, "");
  gtk_label_set_text (self->payments_label, "");
  gtk_label_set_text (self->state_label, "");
  gtk_editable_set_text (GTK_EDITABLE (self->amount_entry), "");
  adw_status_page_set_icon_name (self->no_sale_page, "edit-find-symbolic");
  adw_status_page_set_title (self->no_sale_page, title);
  adw_status_page_set_description (self->no_sale_page, description);
  gtk_stack_set_visible_child_name (self->sale_stack, "empty");
  update_actions (self);
}

static void
sale_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TillRefundWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  SaleJob *job;

  job = till_store_run_finish (TILL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (job == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND))
        {
          /* Said by the status page where the sale would be; the getter has it too. */
          text = g_strdup_printf (_("No such sale: %s"), error->message);
          show_message (self, text, TRUE);
          gtk_widget_set_visible (GTK_WIDGET (self->message_label), FALSE);
          show_no_sale (self, _("No such sale"), error->message);
          return;
        }
      text = g_strdup_printf (_("Cannot read the sale: %s"), error->message);
      show_message (self, text, TRUE);
      return;
    }
  show_sale (self, job);
  sale_job_free (job);
}

/* The payment runtime's service of the moment: the runtime replaces it when the payment
 * settings change (and electronic refunds become possible once payment is configured). */
static void
refresh_service (TillRefundWindow *self)
{
  g_set_object (&self->service,
                till_payment_runtime_get_refund_service (
                  till_context_get_payment_runtime (self->context)));
}

static void
load_sale (TillRefundWindow *self,
           const char       *number)
{
  SaleJob *job = g_new0 (SaleJob, 1);

  job->number = g_strdup (number);
  job->service = g_object_ref (self->service);
  set_busy (self, TRUE);
  till_store_run_async (till_context_get_store (self->context), sale_job, job, NULL,
                        sale_job_free, self->cancellable, sale_cb, g_object_ref (self));
}

void
till_refund_window_open_sale (TillRefundWindow *self,
                              const char       *number_or_code)
{
  g_autoptr(TillBarcode) barcode = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (TILL_IS_REFUND_WINDOW (self));
  g_return_if_fail (number_or_code != NULL);

  text = g_strstrip (g_strdup (number_or_code));
  if (text[0] == '\0')
    return;
  barcode = till_barcode_classify (text, NULL);
  show_message (self, "", FALSE);
  refresh_service (self);
  if (self->service == NULL)
    return;
  load_sale (self, barcode->kind == TILL_BARCODE_RECEIPT ? barcode->item_code : text);
}

static void
number_activate_cb (GtkEntry         *entry,
                    TillRefundWindow *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  till_refund_window_open_sale (self, text);
}

static void
today_activate_cb (GtkColumnView    *view,
                   guint             position,
                   TillRefundWindow *self)
{
  g_autoptr(TillTextRow) row = g_list_model_get_item (G_LIST_MODEL (self->today), position);

  if (row != NULL)
    till_refund_window_open_sale (self, till_text_row_get_cell (row, 0));
}

static void
today_selected_cb (GtkSingleSelection *selection,
                   GParamSpec         *pspec,
                   TillRefundWindow   *self)
{
  TillTextRow *row = gtk_single_selection_get_selected_item (selection);

  if (row != NULL)
    till_refund_window_open_sale (self, till_text_row_get_cell (row, 0));
}

/* Scanned receipt codes come here while the window is open. */
static void
code_scanned_cb (TillScannerHub   *hub,
                 const char       *code,
                 int               source,
                 TillRefundWindow *self)
{
  g_autoptr(TillBarcode) barcode = till_barcode_classify (code, NULL);

  if (barcode->kind == TILL_BARCODE_RECEIPT)
    till_refund_window_open_sale (self, barcode->item_code);
}

/* ---- refunding ---- */

static void
refunded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TillRefundWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  text = till_refund_service_refund_finish (TILL_REFUND_SERVICE (object), result, &error);
  set_busy (self, FALSE);
  if (text == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Not refunded: %s"), error->message);

      show_message (self, message, TRUE);
    }
  else
    show_message (self, text, FALSE);
  if (self->sale != NULL)
    {
      g_autofree char *number = g_strdup (self->sale->number);

      load_sale (self, number);
      /* load_sale clears the message only through open_sale: keep the result shown. */
    }
  reload_today (self);
}

static void
approved_cb (TillPinWindow    *pin,
             TillPerson       *manager,
             TillRefundWindow *self)
{
  gint64 amount = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (pin), "amount"));
  const char *reason = g_object_get_data (G_OBJECT (pin), "reason");

  if (self->sale == NULL)
    return;
  set_busy (self, TRUE);
  show_message (self, _("Refunding…"), FALSE);
  refresh_service (self);
  till_refund_service_refund_async (self->service, self->sale->id, amount, reason,
                                    manager->name, self->cancellable, refunded_cb,
                                    g_object_ref (self));
}

GtkWindow *
till_refund_window_refund (TillRefundWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *what = NULL;
  g_autofree char *amount_text = NULL;
  gint64 amount = 0;
  TillPinWindow *pin;

  g_return_val_if_fail (TILL_IS_REFUND_WINDOW (self), NULL);

  if (self->busy || self->sale == NULL || self->refundable == NULL)
    return NULL;
  if (!till_money_parse (gtk_editable_get_text (GTK_EDITABLE (self->amount_entry)), &amount,
                         &error))
    {
      g_autofree char *text = g_strdup_printf (_("Amount: %s"), error->message);

      show_message (self, text, TRUE);
      return NULL;
    }
  if (amount <= 0)
    {
      show_message (self, _("The refund amount must be more than zero"), TRUE);
      return NULL;
    }
  if (amount > self->refundable->refundable_fen)
    {
      g_autofree char *max = till_money_format (self->refundable->refundable_fen);
      g_autofree char *text = g_strdup_printf (_("More than can be refunded (%s)"), max);

      show_message (self, text, TRUE);
      return NULL;
    }
  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_entry))));
  if (reason[0] == '\0')
    {
      show_message (self, _("A refund reason is required"), TRUE);
      return NULL;
    }

  amount_text = till_money_format (amount);
  detail = g_strdup_printf ("{\"sale\":\"%s\",\"amount_fen\":%" G_GINT64_FORMAT "}",
                            self->sale->number, amount);
  what = g_strdup_printf (_("%.0s%.0s%.0sRefund %s of sale %s: %s"), self->sale->number,
                          amount_text, reason, amount_text, self->sale->number, reason);
  pin = till_pin_window_new (GTK_WINDOW (self), self->context, TILL_APPROVAL_REFUND, detail, what);
  g_object_set_data (G_OBJECT (pin), "amount", GSIZE_TO_POINTER ((gsize) amount));
  g_object_set_data_full (G_OBJECT (pin), "reason", g_steal_pointer (&reason), g_free);
  g_signal_connect_object (pin, "approved", G_CALLBACK (approved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (pin));
  return GTK_WINDOW (pin);
}

static void
refund_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  till_refund_window_refund (TILL_REFUND_WINDOW (widget));
}

static void
reason_activate_cb (GtkEntry         *entry,
                    TillRefundWindow *self)
{
  till_refund_window_refund (self);
}

static void
fill_all_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TillRefundWindow *self = TILL_REFUND_WINDOW (widget);
  g_autofree char *text = NULL;

  if (self->refundable == NULL)
    return;
  text = till_money_format_plain (self->refundable->refundable_fen);
  gtk_editable_set_text (GTK_EDITABLE (self->amount_entry), text);
}

static void
reprinted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TillRefundWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  number = till_receipt_printer_print_sale_finish (TILL_RECEIPT_PRINTER (object), result, &error);
  if (number == NULL)
    show_message (self, error->message, TRUE);
  else
    {
      g_autofree char *text = g_strdup_printf (_("Reprinted %s"), number);

      show_message (self, text, FALSE);
    }
}

static void
reprint_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TillRefundWindow *self = TILL_REFUND_WINDOW (widget);
  g_autoptr(TillReceiptPrinter) printer = till_ui_receipt_printer_new (self->context);

  if (self->sale == NULL)
    return;
  till_receipt_printer_print_sale_async (printer, self->sale->number, TRUE, GTK_WINDOW (self),
                                         self->cancellable, reprinted_cb, g_object_ref (self));
}

/* ---- accessors ---- */

gboolean
till_refund_window_get_busy (TillRefundWindow *self)
{
  g_return_val_if_fail (TILL_IS_REFUND_WINDOW (self), FALSE);
  return self->busy;
}

const char *
till_refund_window_get_sale_number (TillRefundWindow *self)
{
  g_return_val_if_fail (TILL_IS_REFUND_WINDOW (self), NULL);
  return self->sale != NULL ? self->sale->number : NULL;
}

const TillRefundable *
till_refund_window_get_refundable (TillRefundWindow *self)
{
  g_return_val_if_fail (TILL_IS_REFUND_WINDOW (self), NULL);
  return self->refundable;
}

GListModel *
till_refund_window_get_today (TillRefundWindow *self)
{
  g_return_val_if_fail (TILL_IS_REFUND_WINDOW (self), NULL);
  return G_LIST_MODEL (self->today);
}

void
till_refund_window_set_request (TillRefundWindow *self,
                                const char       *amount,
                                const char       *reason)
{
  g_return_if_fail (TILL_IS_REFUND_WINDOW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->amount_entry), amount != NULL ? amount : "");
  gtk_editable_set_text (GTK_EDITABLE (self->reason_entry), reason != NULL ? reason : "");
}

const char *
till_refund_window_get_message (TillRefundWindow *self)
{
  g_return_val_if_fail (TILL_IS_REFUND_WINDOW (self), "");
  return self->message != NULL ? self->message : "";
}

const char *
till_refund_window_get_state_text (TillRefundWindow *self)
{
  g_return_val_if_fail (TILL_IS_REFUND_WINDOW (self), "");
  return self->state_text != NULL ? self->state_text : "";
}

const char *
till_refund_window_get_payments_text (TillRefundWindow *self)
{
  g_return_val_if_fail (TILL_IS_REFUND_WINDOW (self), "");
  return gtk_label_get_text (self->payments_label);
}

/* ---- GObject ---- */

static void
till_refund_window_dispose (GObject *object)
{
  TillRefundWindow *self = TILL_REFUND_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (till_context_get_scanner_hub (self->context), self);
  /* An entry that goes away with the focus warns that it saw no focus-out. */
  gtk_window_set_focus (GTK_WINDOW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_REFUND_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->service);
  g_clear_object (&self->context);
  g_clear_object (&self->today);
  g_clear_object (&self->lines);
  g_clear_object (&self->today_selection);

  G_OBJECT_CLASS (till_refund_window_parent_class)->dispose (object);
}

static void
till_refund_window_finalize (GObject *object)
{
  TillRefundWindow *self = TILL_REFUND_WINDOW (object);

  g_clear_pointer (&self->sale, till_sale_summary_free);
  g_clear_pointer (&self->refundable, till_refundable_free);
  g_free (self->message);
  g_free (self->state_text);

  G_OBJECT_CLASS (till_refund_window_parent_class)->finalize (object);
}

static void
till_refund_window_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, TILL_REFUND_WINDOW (object)->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_refund_window_class_init (TillRefundWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_refund_window_dispose;
  object_class->finalize = till_refund_window_finalize;
  object_class->get_property = till_refund_window_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-refund-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillRefundWindow, number_entry);
  gtk_widget_class_bind_template_child (widget_class, TillRefundWindow, sales_view);
  gtk_widget_class_bind_template_child (widget_class, TillRefundWindow, sale_label);
  gtk_widget_class_bind_template_child (widget_class, TillRefundWindow, lines_view);
  gtk_widget_class_bind_template_child (widget_class, TillRefundWindow, payments_label);
  gtk_widget_class_bind_template_child (widget_class, TillRefundWindow, state_label);
  gtk_widget_class_bind_template_child (widget_class, TillRefundWindow, amount_entry);
  gtk_widget_class_bind_template_child (widget_class, TillRefundWindow, reason_entry);
  gtk_widget_class_bind_template_child (widget_class, TillRefundWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, TillRefundWindow, sale_stack);
  gtk_widget_class_bind_template_child (widget_class, TillRefundWindow, no_sale_page);
  gtk_widget_class_bind_template_callback (widget_class, number_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, reason_activate_cb);

  gtk_widget_class_install_action (widget_class, "refund.refund", NULL, refund_action_cb);
  gtk_widget_class_install_action (widget_class, "refund.fill-all", NULL, fill_all_action_cb);
  gtk_widget_class_install_action (widget_class, "refund.reprint", NULL, reprint_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "refund.reprint", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
till_refund_window_init (TillRefundWindow *self)
{
  g_autoptr(GtkNoSelection) no_selection = NULL;

  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->today = g_list_store_new (TILL_TYPE_TEXT_ROW);
  self->lines = g_list_store_new (TILL_TYPE_TEXT_ROW);

  self->today_selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->today)));
  gtk_single_selection_set_autoselect (self->today_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->today_selection, TRUE);
  gtk_single_selection_set_selected (self->today_selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect (self->today_selection, "notify::selected", G_CALLBACK (today_selected_cb), self);
  gtk_column_view_set_model (self->sales_view, GTK_SELECTION_MODEL (self->today_selection));
  g_signal_connect (self->sales_view, "activate", G_CALLBACK (today_activate_cb), self);
  till_text_column_add (self->sales_view, _("Sale no."), 0, FALSE, TRUE);
  till_text_column_add (self->sales_view, _("Time"), 1, FALSE, FALSE);
  till_text_column_add (self->sales_view, _("Amount"), 2, TRUE, FALSE);
  till_text_column_add (self->sales_view, _("Paid by"), 3, FALSE, FALSE);
  till_text_column_add (self->sales_view, "", 4, FALSE, FALSE);

  no_selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->lines)));
  gtk_column_view_set_model (self->lines_view, GTK_SELECTION_MODEL (no_selection));
  till_text_column_add (self->lines_view, _("Product"), 0, FALSE, TRUE);
  till_text_column_add (self->lines_view, _("Qty"), 1, TRUE, FALSE);
  till_text_column_add (self->lines_view, _("Price"), 2, TRUE, FALSE);
  till_text_column_add (self->lines_view, _("Amount"), 3, TRUE, FALSE);
}

TillRefundWindow *
till_refund_window_new (GtkWindow   *parent,
                        TillContext *context)
{
  TillRefundWindow *self;

  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  self = g_object_new (TILL_TYPE_REFUND_WINDOW,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->context = g_object_ref (context);
  gtk_label_set_text (self->sale_label, _("Pick or scan a sale"));

  refresh_service (self);

  g_signal_connect (till_context_get_scanner_hub (context), "code-scanned",
                    G_CALLBACK (code_scanned_cb), self);
  update_actions (self);
  reload_today (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->number_entry));
  return self;
}
