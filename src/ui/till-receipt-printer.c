/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReceiptPrinter: receipts and text pages to ESC/POS printers or the system printer. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-core.h"
#include "till-receipt-printer.h"
#include "till-report.h"
#include "till-store-payments.h"
#include "till-store-sales-list.h"

struct _TillReceiptPrinter
{
  GObject      parent_instance;

  TillContext *context;
};

G_DEFINE_FINAL_TYPE (TillReceiptPrinter, till_receipt_printer, G_TYPE_OBJECT)

#define PRINT_TIMEOUT_S 10

static const guint8 drawer_kick[] = { 0x1B, 0x70, 0x00, 0x19, 0xFA };

static void
till_receipt_printer_dispose (GObject *object)
{
  g_clear_object (&TILL_RECEIPT_PRINTER (object)->context);
  G_OBJECT_CLASS (till_receipt_printer_parent_class)->dispose (object);
}

static void
till_receipt_printer_class_init (TillReceiptPrinterClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = till_receipt_printer_dispose;
}

static void
till_receipt_printer_init (TillReceiptPrinter *self)
{
}

TillReceiptPrinter *
till_receipt_printer_new (TillContext *context)
{
  TillReceiptPrinter *self;

  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  self = g_object_new (TILL_TYPE_RECEIPT_PRINTER, NULL);
  self->context = g_object_ref (context);
  return self;
}

char *
till_receipt_printer_get_target (TillReceiptPrinter *self)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (TILL_IS_RECEIPT_PRINTER (self), NULL);

  value = g_settings_get_string (till_context_get_settings (self->context), "receipt-printer");
  g_strstrip (value);
  if (value[0] == '\0')
    return NULL;
  if (g_str_has_prefix (value, "file:"))
    return g_strdup (value + strlen ("file:"));
  return g_steal_pointer (&value);
}

guint
till_receipt_printer_get_columns (TillReceiptPrinter *self)
{
  g_return_val_if_fail (TILL_IS_RECEIPT_PRINTER (self), TILL_ESCPOS_COLUMNS_58MM);

  return g_settings_get_uint (till_context_get_settings (self->context), "receipt-width") == 80
           ? TILL_ESCPOS_COLUMNS_80MM : TILL_ESCPOS_COLUMNS_58MM;
}

/* ---- the receipt text (system printer) ---- */

static void
pad_pair (GString    *out,
          const char *left,
          const char *right,
          guint       columns)
{
  guint lw = till_text_width (left);
  guint rw = till_text_width (right);

  g_string_append (out, left);
  for (guint i = lw + rw; i < columns; i++)
    g_string_append_c (out, ' ');
  if (lw + rw >= columns)
    g_string_append_c (out, ' ');
  g_string_append (out, right);
  g_string_append_c (out, '\n');
}

static const char *
method_label (const char *method)
{
  int m = till_report_method_from_id (method);

  return m >= 0 ? till_report_method_label ((TillReportMethod) m) : method;
}

char *
till_receipt_to_text (const TillReceipt *r,
                      guint              columns)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (r->at_us / G_USEC_PER_SEC);
  g_autofree char *when = dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S") : g_strdup ("");
  g_autofree char *total = till_money_format (r->total_fen);
  g_autofree char *rule = NULL;
  g_autofree char *code = till_barcode_receipt_code (r->sale_number);

  g_return_val_if_fail (r != NULL, NULL);

  rule = g_strnfill (columns, '-');
  g_string_append_printf (out, "%s\n", r->store_name != NULL ? r->store_name : "");
  g_string_append_printf (out, "%s %s\n", _("单号 No."), r->sale_number);
  g_string_append_printf (out, "%s\n", when);
  if (r->cashier != NULL && r->cashier[0] != '\0')
    g_string_append_printf (out, "%s %s\n", _("收银员 Cashier"), r->cashier);
  g_string_append_printf (out, "%s\n", rule);
  for (guint i = 0; i < r->n_lines; i++)
    {
      const TillReceiptLine *l = &r->lines[i];
      g_autofree char *qty = till_report_format_qty (l->qty_milli);
      g_autofree char *price = till_money_format_plain (l->unit_price_fen);
      g_autofree char *amount = till_money_format_plain (l->amount_fen);
      g_autofree char *left = g_strdup_printf ("  %s%s x %s", qty, l->weighed ? "kg" : "", price);

      g_string_append_printf (out, "%s\n", l->name);
      pad_pair (out, left, amount, columns);
    }
  g_string_append_printf (out, "%s\n", rule);
  pad_pair (out, _("合计 Total"), total, columns);
  /* Cash rounded by the till's rule (抹零): the rounding, then the cash it came to. */
  if (r->cash_rounding_fen != 0)
    {
      g_autofree char *rounding = till_money_format (r->cash_rounding_fen);
      g_autofree char *received = till_money_format (r->total_fen + r->cash_rounding_fen);

      pad_pair (out, _("Rounding"), rounding, columns);
      pad_pair (out, _("Cash received"), received, columns);
    }
  pad_pair (out, method_label (r->method), total, columns);
  if (g_strcmp0 (r->method, "cash") == 0
      && r->tendered_fen > r->total_fen + r->cash_rounding_fen)
    {
      g_autofree char *tendered = till_money_format (r->tendered_fen);
      g_autofree char *change = till_money_format (r->tendered_fen - r->total_fen
                                                   - r->cash_rounding_fen);

      pad_pair (out, _("实收 Tendered"), tendered, columns);
      pad_pair (out, _("找零 Change"), change, columns);
    }
  if (r->transaction_id != NULL && strlen (r->transaction_id) > 6)
    g_string_append_printf (out, "%s …%s\n", _("交易号 Transaction"),
                            r->transaction_id + strlen (r->transaction_id) - 6);
  g_string_append_printf (out, "%s\n%s\n", rule, code);
  return g_string_free (out, FALSE);
}

/* ---- loading a sale into a receipt (store thread) ---- */

typedef struct
{
  char       *number;       /* in: NULL = the last paid sale */
  char       *till_id;
  char       *store_name;
  guint       columns;
  gboolean    reprint;
  gboolean    system;
  /* out */
  TillSale   *sale;
  TillSaleSummary *summary;
  GArray     *lines;        /* TillReceiptLine, names borrowed from `sale` */
  TillReceipt receipt;
  char       *method;
  char       *transaction_id;
  GBytes     *bytes;
  char       *text;
} ReceiptJob;

static void
receipt_job_free (gpointer data)
{
  ReceiptJob *job = data;

  g_free (job->number);
  g_free (job->till_id);
  g_free (job->store_name);
  g_clear_object (&job->sale);
  g_clear_pointer (&job->summary, till_sale_summary_free);
  g_clear_pointer (&job->lines, g_array_unref);
  g_free (job->method);
  g_free (job->transaction_id);
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_free (job->text);
  g_free (job);
}

static gpointer
receipt_job (TillStore *store,
             gpointer   data,
             GError   **error)
{
  ReceiptJob *job = data;
  g_autoptr(GPtrArray) payments = NULL;
  gint64 best_fen = -1;
  gint64 tendered = 0;
  gint64 rounding = 0;

  if (job->number != NULL)
    job->summary = till_store_get_sale_summary (store, job->number, error);
  else
    job->summary = till_store_last_paid_sale (store, job->till_id, error);
  if (job->summary == NULL)
    return NULL;
  if (g_strcmp0 (job->summary->state, "paid") != 0
      && g_strcmp0 (job->summary->state, "refunded") != 0)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("Sale %s is not paid: no receipt"), job->summary->number);
      return NULL;
    }
  job->sale = till_store_load_sale (store, job->summary->id, error);
  if (job->sale == NULL)
    return NULL;
  payments = till_store_list_sale_payments (store, job->summary->id, error);
  if (payments == NULL)
    return NULL;
  if (!till_store_sale_cash_tendered (store, job->summary->id, &tendered, error))
    return NULL;

  for (guint i = 0; i < payments->len; i++)
    {
      const TillPaymentRecord *p = g_ptr_array_index (payments, i);

      if (p->state == TILL_PAYMENT_STATE_PAID)
        rounding += p->rounding_fen;
      if (p->state != TILL_PAYMENT_STATE_PAID || p->amount_fen <= best_fen)
        continue;
      best_fen = p->amount_fen;
      g_free (job->method);
      job->method = g_strdup (till_payment_method_to_string (p->method));
      g_free (job->transaction_id);
      job->transaction_id = g_strdup (p->transaction_id);
    }
  if (job->method == NULL)
    job->method = g_strdup ("cash");

  job->lines = g_array_new (FALSE, TRUE, sizeof (TillReceiptLine));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (job->sale)); i++)
    {
      TillSaleLine *line = till_sale_get_line (job->sale, i);
      TillReceiptLine rl = {
        .name = till_sale_line_get_name (line),
        .qty_milli = till_sale_line_get_qty_milli (line),
        .unit_price_fen = till_sale_line_get_unit_price_fen (line),
        .amount_fen = till_sale_line_get_line_total_fen (line),
        .weighed = till_sale_line_get_weighed (line),
      };

      g_array_append_val (job->lines, rl);
    }

  job->receipt.store_name = job->store_name;
  job->receipt.sale_number = job->summary->number;
  job->receipt.at_us = job->summary->closed_at;
  job->receipt.cashier = job->summary->cashier;
  job->receipt.lines = (const TillReceiptLine *) (void *) job->lines->data;
  job->receipt.n_lines = job->lines->len;
  job->receipt.total_fen = job->summary->total_fen;
  job->receipt.method = job->method;
  job->receipt.tendered_fen = g_strcmp0 (job->method, "cash") == 0 && tendered > 0
                                ? tendered : job->summary->total_fen;
  job->receipt.transaction_id = job->transaction_id;
  job->receipt.cash_rounding_fen = rounding;

  if (job->system)
    job->text = till_receipt_to_text (&job->receipt, job->columns);
  else
    {
      job->bytes = till_escpos_receipt (&job->receipt, job->columns, error);
      if (job->bytes == NULL)
        return NULL;
      /* A reprint does not open the drawer: the builder ends a cash receipt with the kick. */
      if (job->reprint)
        {
          gsize len;
          const guint8 *b = g_bytes_get_data (job->bytes, &len);

          if (len >= sizeof drawer_kick
              && memcmp (b + len - sizeof drawer_kick, drawer_kick, sizeof drawer_kick) == 0)
            {
              GBytes *cut = g_bytes_new_from_bytes (job->bytes, 0, len - sizeof drawer_kick);

              g_bytes_unref (job->bytes);
              job->bytes = cut;
            }
        }
    }
  return job;
}

static void
send_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReceiptJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!till_printer_send_finish (result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("小票打印失败 The receipt was not printed: %s"),
                                                  error->message);
      int code = error->domain == G_IO_ERROR ? error->code : G_IO_ERROR_FAILED;

      g_clear_error (&error);
      g_task_return_new_error (task, G_IO_ERROR, code, "%s", message);
      return;
    }
  g_task_return_pointer (task, g_strdup (job->summary->number), g_free);
}

static void
system_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReceiptJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!till_print_text_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_strdup (job->summary->number), g_free);
}

static void
receipt_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReceiptJob *job;
  GError *error = NULL;

  job = till_store_run_finish (TILL_STORE (object), result, &error);
  if (job == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (job->system)
    {
      g_autofree char *name = g_strdup_printf ("Tillpoint %s", job->summary->number);

      till_print_text_async (g_object_get_data (G_OBJECT (task), "parent"), name, job->text,
                             NULL, g_task_get_cancellable (task), system_done_cb,
                             g_object_ref (task));
    }
  else
    till_printer_send_async (g_object_get_data (G_OBJECT (task), "target"), job->bytes,
                             PRINT_TIMEOUT_S, g_task_get_cancellable (task), send_done_cb,
                             g_object_ref (task));
}

static void
no_free (gpointer data)
{
}

void
till_receipt_printer_print_sale_async (TillReceiptPrinter  *self,
                                       const char          *number,
                                       gboolean             reprint,
                                       GtkWindow           *parent,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *target = NULL;
  ReceiptJob *job;

  g_return_if_fail (TILL_IS_RECEIPT_PRINTER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_receipt_printer_print_sale_async);

  target = till_receipt_printer_get_target (self);
  if (target == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("没有设置小票打印机 No receipt printer is set up (Preferences)"));
      return;
    }

  job = g_new0 (ReceiptJob, 1);
  job->number = g_strdup (number);
  job->till_id = g_strdup (till_context_get_till_id (self->context));
  job->store_name = g_settings_get_string (till_context_get_settings (self->context),
                                           "store-name");
  job->columns = till_receipt_printer_get_columns (self);
  job->reprint = reprint;
  job->system = g_strcmp0 (target, "system") == 0;
  g_task_set_task_data (task, job, receipt_job_free);
  g_object_set_data_full (G_OBJECT (task), "target", g_steal_pointer (&target), g_free);
  if (parent != NULL)
    g_object_set_data_full (G_OBJECT (task), "parent", g_object_ref (parent), g_object_unref);

  /* The job is owned by the task; the store thread only fills it in. */
  till_store_run_async (till_context_get_store (self->context), receipt_job, job, no_free,
                        no_free, cancellable, receipt_loaded_cb, g_steal_pointer (&task));
}

char *
till_receipt_printer_print_sale_finish (TillReceiptPrinter *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- text pages on the receipt printer ---- */

static void
text_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!till_printer_send_finish (result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("打印失败 Printing failed: %s"), error->message);

      g_clear_error (&error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", message);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
text_system_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!till_print_text_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
till_receipt_printer_print_text_async (TillReceiptPrinter  *self,
                                       const char          *text,
                                       GtkWindow           *parent,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *target = NULL;
  g_autoptr(TillEscpos) escpos = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) lines = NULL;
  GError *error = NULL;

  g_return_if_fail (TILL_IS_RECEIPT_PRINTER (self));
  g_return_if_fail (text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_receipt_printer_print_text_async);

  target = till_receipt_printer_get_target (self);
  if (target == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("没有设置小票打印机 No receipt printer is set up (Preferences)"));
      return;
    }
  if (g_strcmp0 (target, "system") == 0)
    {
      till_print_text_async (parent, "Tillpoint", text, NULL, cancellable, text_system_cb,
                             g_steal_pointer (&task));
      return;
    }

  escpos = till_escpos_new ();
  till_escpos_init (escpos);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (!till_escpos_line (escpos, lines[i], &error))
      {
        g_task_return_error (task, error);
        return;
      }
  till_escpos_feed (escpos, 3);
  till_escpos_cut (escpos);
  bytes = till_escpos_free_to_bytes (g_steal_pointer (&escpos));
  till_printer_send_async (target, bytes, PRINT_TIMEOUT_S, cancellable, text_sent_cb,
                           g_steal_pointer (&task));
}

gboolean
till_receipt_printer_print_text_finish (TillReceiptPrinter *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GtkPrintOperation ---- */

typedef struct
{
  char  **lines;
  guint   n_lines;
  guint   lines_per_page;
  double  line_height;
  PangoFontDescription *font;
} PrintText;

static void
print_text_free (gpointer data)
{
  PrintText *pt = data;

  g_strfreev (pt->lines);
  pango_font_description_free (pt->font);
  g_free (pt);
}

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                PrintText         *pt)
{
  g_autoptr(PangoLayout) layout = gtk_print_context_create_pango_layout (context);
  double height = gtk_print_context_get_height (context);
  int lh;

  pango_layout_set_font_description (layout, pt->font);
  pango_layout_set_text (layout, "国M", -1);
  pango_layout_get_pixel_size (layout, NULL, &lh);
  pt->line_height = MAX (lh, 1);
  pt->lines_per_page = MAX (1, (guint) (height / pt->line_height));
  gtk_print_operation_set_n_pages (operation,
                                   MAX (1, (pt->n_lines + pt->lines_per_page - 1)
                                           / pt->lines_per_page));
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              PrintText         *pt)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  g_autoptr(PangoLayout) layout = gtk_print_context_create_pango_layout (context);

  pango_layout_set_font_description (layout, pt->font);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint i = 0; i < pt->lines_per_page; i++)
    {
      guint n = page_nr * pt->lines_per_page + i;

      if (n >= pt->n_lines)
        break;
      pango_layout_set_text (layout, pt->lines[n], -1);
      cairo_move_to (cr, 0, i * pt->line_height);
      pango_cairo_show_layout (cr, layout);
    }
}

static void
print_done_cb (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               gpointer                 user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("打印失败 Printing failed: %s"),
                               error != NULL ? error->message : "");
      g_clear_error (&error);
      return;
    }
  if (result == GTK_PRINT_OPERATION_RESULT_CANCEL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("已取消打印 Printing cancelled"));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
till_print_text_async (GtkWindow           *parent,
                       const char          *job_name,
                       const char          *text,
                       const char          *export_pdf,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GtkPrintOperation) operation = gtk_print_operation_new ();
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  PrintText *pt = g_new0 (PrintText, 1);
  GtkPrintOperationResult result;
  GError *error = NULL;

  g_task_set_source_tag (task, till_print_text_async);

  pt->lines = g_strsplit (text != NULL ? text : "", "\n", -1);
  pt->n_lines = g_strv_length (pt->lines);
  pt->font = pango_font_description_from_string ("Noto Sans Mono CJK SC, WenQuanYi Micro Hei Mono, Monospace 9");
  g_object_set_data_full (G_OBJECT (operation), "till-text", pt, print_text_free);

  gtk_print_operation_set_job_name (operation, job_name != NULL ? job_name : "Tillpoint");
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect (operation, "begin-print", G_CALLBACK (begin_print_cb), pt);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), pt);
  g_signal_connect (operation, "done", G_CALLBACK (print_done_cb), g_object_ref (task));

  if (export_pdf != NULL)
    gtk_print_operation_set_export_filename (operation, export_pdf);
  result = gtk_print_operation_run (operation,
                                    export_pdf != NULL ? GTK_PRINT_OPERATION_ACTION_EXPORT
                                                       : GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    parent, &error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      /* "done" is not emitted for an error from run() itself. */
      g_signal_handlers_disconnect_by_func (operation, print_done_cb, task);
      g_object_unref (task);   /* the reference given to "done" */
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("打印失败 Printing failed: %s"),
                               error != NULL ? error->message : "");
      g_clear_error (&error);
    }
}

gboolean
till_print_text_finish (GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
