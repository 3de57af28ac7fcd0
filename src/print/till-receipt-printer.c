/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReceiptPrinter: receipts and text pages to ESC/POS printers or the system printer. */
#define G_LOG_DOMAIN "till-receipt-printer"
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "till-core.h"
#include "till-receipt-printer.h"
#include "till-report.h"
#include "till-store-member-receipt.h"
#include "till-store-payments.h"
#include "till-store-sales-list.h"

struct _TillReceiptPrinter
{
  GObject                    parent_instance;

  TillStore                 *store;
  GSettings                 *settings;
  TillSystemPrintFunc        system_print;
  TillSystemPrintFinishFunc  system_finish;
};

G_DEFINE_FINAL_TYPE (TillReceiptPrinter, till_receipt_printer, G_TYPE_OBJECT)

#define PRINT_TIMEOUT_S 10

static const guint8 drawer_kick[] = { 0x1B, 0x70, 0x00, 0x19, 0xFA };

static void
till_receipt_printer_dispose (GObject *object)
{
  TillReceiptPrinter *self = TILL_RECEIPT_PRINTER (object);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
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
till_receipt_printer_new (TillStore *store,
                          GSettings *settings)
{
  TillReceiptPrinter *self;

  g_return_val_if_fail (TILL_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (TILL_TYPE_RECEIPT_PRINTER, NULL);
  self->store = g_object_ref (store);
  self->settings = g_object_ref (settings);
  return self;
}

void
till_receipt_printer_set_system_print (TillReceiptPrinter        *self,
                                       TillSystemPrintFunc        print,
                                       TillSystemPrintFinishFunc  finish)
{
  g_return_if_fail (TILL_IS_RECEIPT_PRINTER (self));
  g_return_if_fail ((print == NULL) == (finish == NULL));

  self->system_print = print;
  self->system_finish = finish;
}

/* The till id as TillContext reads it: the setting, "01" when empty. */
static char *
current_till_id (TillReceiptPrinter *self)
{
  g_autofree char *id = g_strstrip (g_settings_get_string (self->settings, "till-id"));

  return id[0] != '\0' ? g_steal_pointer (&id) : g_strdup ("01");
}

/* Whether "system" can print; otherwise an error for the caller. */
static gboolean
check_system (TillReceiptPrinter *self,
              GTask              *task)
{
  if (self->system_print != NULL)
    return TRUE;
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The system printer can only be used from the application's windows"));
  return FALSE;
}

char *
till_receipt_printer_get_target (TillReceiptPrinter *self)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (TILL_IS_RECEIPT_PRINTER (self), NULL);

  value = g_settings_get_string (self->settings, "receipt-printer");
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

  return g_settings_get_uint (self->settings, "receipt-width") == 80
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
  gint64 card_fen;

  g_return_val_if_fail (r != NULL, NULL);

  card_fen = till_receipt_card_part (r);

  rule = g_strnfill (columns, '-');
  g_string_append_printf (out, "%s\n", r->store_name != NULL ? r->store_name : "");
  g_string_append_printf (out, "%s %s\n", _("No."), r->sale_number);
  g_string_append_printf (out, "%s\n", when);
  if (r->cashier != NULL && r->cashier[0] != '\0')
    g_string_append_printf (out, "%s %s\n", _("Cashier"), r->cashier);
  if (r->member_name != NULL)
    {
      g_autofree char *member = till_receipt_member_line (r);

      g_string_append_printf (out, "%s\n", member);
    }
  g_string_append_printf (out, "%s\n", rule);
  /* A top-up's one line is the top-up itself, printed with its bonus below. */
  for (guint i = 0; r->topup_fen == 0 && i < r->n_lines; i++)
    {
      const TillReceiptLine *l = &r->lines[i];
      g_autofree char *qty = till_report_format_qty (l->qty_milli);
      g_autofree char *price = till_money_format_plain (l->unit_price_fen);
      g_autofree char *amount = till_money_format_plain (l->amount_fen);
      g_autofree char *left = g_strdup_printf ("  %s%s x %s", qty, l->weighed ? "kg" : "", price);

      g_auto(GStrv) extras = till_receipt_line_extras (l);

      g_string_append_printf (out, "%s\n", l->name);
      pad_pair (out, left, amount, columns);
      for (guint k = 0; extras[k] != NULL && extras[k + 1] != NULL; k += 2)
        pad_pair (out, extras[k], extras[k + 1], columns);
    }
  g_string_append_printf (out, "%s\n", rule);
  {
    g_auto(GStrv) extras = till_receipt_sale_extras (r);

    for (guint k = 0; extras[k] != NULL && extras[k + 1] != NULL; k += 2)
      pad_pair (out, extras[k], extras[k + 1], columns);
  }
  pad_pair (out, _("Total"), total, columns);
  if (r->saved_fen > 0)
    {
      g_autofree char *saved = till_money_format (r->saved_fen);

      pad_pair (out, _("You saved"), saved, columns);
    }
  /* Cash rounded by the till's rule (抹零): the rounding, then the cash it came to. */
  if (r->cash_rounding_fen != 0)
    {
      g_autofree char *rounding = till_money_format (r->cash_rounding_fen);
      g_autofree char *received = till_money_format (r->total_fen + r->cash_rounding_fen);

      pad_pair (out, _("Rounding"), rounding, columns);
      pad_pair (out, _("Cash received"), received, columns);
    }
  /* Part paid from a member's card: that part, then the method of the rest. */
  if (card_fen > 0)
    {
      g_autofree char *card = till_money_format (card_fen);
      g_autofree char *rest = till_money_format (r->total_fen - card_fen);

      pad_pair (out, till_report_method_label (TILL_REPORT_STORED_VALUE), card, columns);
      pad_pair (out, method_label (r->method), rest, columns);
    }
  else
    pad_pair (out, method_label (r->method), total, columns);
  if (g_strcmp0 (r->method, "cash") == 0
      && r->tendered_fen > r->total_fen - card_fen + r->cash_rounding_fen)
    {
      g_autofree char *tendered = till_money_format (r->tendered_fen);
      g_autofree char *change = till_money_format (r->tendered_fen - r->total_fen + card_fen
                                                   - r->cash_rounding_fen);

      pad_pair (out, _("Tendered"), tendered, columns);
      pad_pair (out, _("Change"), change, columns);
    }
  {
    g_auto(GStrv) extras = till_receipt_member_extras (r);

    for (guint k = 0; extras[k] != NULL && extras[k + 1] != NULL; k += 2)
      pad_pair (out, extras[k], extras[k + 1], columns);
  }
  if (r->transaction_id != NULL && strlen (r->transaction_id) > 6)
    g_string_append_printf (out, "%s …%s\n", _("Transaction"),
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
  GPtrArray  *texts;        /* the discounts' words the receipt borrows */
  TillReceipt receipt;
  char       *method;
  char       *transaction_id;
  GBytes     *bytes;
  char       *text;
  /* for sending */
  char       *target;
  GObject    *parent;       /* the system print dialog's, or NULL */
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
  g_clear_pointer (&job->texts, g_ptr_array_unref);
  g_free (job->method);
  g_free (job->transaction_id);
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_free (job->text);
  g_free (job->target);
  g_clear_object (&job->parent);
  g_free (job);
}

/* A member's sale: who (the masked phone the sale holds), and from the ledgers what the
 * card paid or took in, its balance after the sale and the points earned. */
static gboolean
load_member (TillStore  *store,
             ReceiptJob *job,
             GError    **error)
{
  const TillSaleMember *member = till_sale_get_member (job->sale);
  TillSaleMemberFigures f;

  if (member == NULL)
    return TRUE;
  if (!till_store_sale_member_figures (store, job->summary->number, member->id,
                                       job->summary->closed_at, &f, error))
    return FALSE;
  job->receipt.member_name = member->name;
  job->receipt.member_phone_masked = member->phone_masked;
  job->receipt.stored_value_fen = f.spent_fen;
  if (till_sale_get_kind (job->sale) == TILL_SALE_KIND_TOPUP)
    {
      job->receipt.topup_fen = f.topup_fen > 0 ? f.topup_fen : job->summary->total_fen;
      job->receipt.topup_bonus_fen = f.has_moves ? f.bonus_fen
                                                 : till_sale_get_topup_bonus_fen (job->sale);
    }
  /* The balance is worth printing once the card has been used at all. */
  job->receipt.show_balance = f.has_moves || f.balance_fen > 0;
  job->receipt.balance_fen = f.balance_fen;
  job->receipt.points_earned = f.points_earned;
  return TRUE;
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
  gboolean stored_value = FALSE;

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
      /* The card's part has a line of its own (load_member()); the method is the rest's. */
      if (p->state == TILL_PAYMENT_STATE_PAID && p->method == TILL_PAYMENT_METHOD_STORED_VALUE)
        stored_value = TRUE;
      if (p->state != TILL_PAYMENT_STATE_PAID || p->amount_fen <= best_fen
          || p->method == TILL_PAYMENT_METHOD_STORED_VALUE)
        continue;
      best_fen = p->amount_fen;
      g_free (job->method);
      job->method = g_strdup (till_payment_method_to_string (p->method));
      g_free (job->transaction_id);
      job->transaction_id = g_strdup (p->transaction_id);
    }
  if (job->method == NULL)
    job->method = g_strdup (stored_value ? "stored_value" : "cash");

  job->lines = g_array_new (FALSE, TRUE, sizeof (TillReceiptLine));
  job->texts = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (job->sale)); i++)
    {
      TillSaleLine *line = till_sale_get_line (job->sale, i);
      TillReceiptLine rl = {
        .name = till_sale_line_get_name (line),
        .qty_milli = till_sale_line_get_qty_milli (line),
        .unit_price_fen = till_sale_line_get_unit_price_fen (line),
        .amount_fen = till_sale_line_get_line_total_fen (line),
        .weighed = till_sale_line_get_weighed (line),
        .original_unit_price_fen = till_sale_line_get_price_overridden (line)
                                     ? till_sale_line_get_original_unit_price_fen (line) : 0,
        .discount_fen = till_sale_line_get_discount_fen (line),
      };

      if (till_sale_line_get_discount_kind (line) != TILL_DISCOUNT_NONE)
        {
          char *text = till_discount_format (till_sale_line_get_discount_kind (line),
                                             till_sale_line_get_discount_value (line));

          g_ptr_array_add (job->texts, text);
          rl.discount_text = text;
        }
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
  if (till_sale_get_discount_kind (job->sale) != TILL_DISCOUNT_NONE)
    {
      char *text = till_discount_format (till_sale_get_discount_kind (job->sale),
                                         till_sale_get_discount_value (job->sale));

      g_ptr_array_add (job->texts, text);
      job->receipt.sale_discount_text = text;
    }
  job->receipt.sale_discount_fen = till_sale_get_discount_fen (job->sale);
  job->receipt.total_rounding_fen = till_sale_get_rounding_fen (job->sale);
  job->receipt.points_redeemed = till_sale_get_points_redeemed (job->sale);
  job->receipt.points_fen = till_sale_get_points_fen (job->sale);
  job->receipt.saved_fen = till_sale_get_saved_fen (job->sale);
  if (!load_member (store, job, error))
    return NULL;

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
      g_autofree char *message = g_strdup_printf (_("The receipt was not printed: %s"),
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
  TillReceiptPrinter *self = g_task_get_source_object (task);
  ReceiptJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!self->system_finish (result, &error))
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
  TillReceiptPrinter *self = g_task_get_source_object (task);
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

      self->system_print (name, job->text, job->parent, g_task_get_cancellable (task),
                          system_done_cb, g_object_ref (task));
    }
  else
    till_printer_send_async (job->target, job->bytes, PRINT_TIMEOUT_S,
                             g_task_get_cancellable (task), send_done_cb, g_object_ref (task));
}

static void
no_free (gpointer data)
{
}

void
till_receipt_printer_print_sale_async (TillReceiptPrinter  *self,
                                       const char          *number,
                                       gboolean             reprint,
                                       gpointer             parent,
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
                               _("No receipt printer is set up (Preferences)"));
      return;
    }

  if (g_strcmp0 (target, "system") == 0 && !check_system (self, task))
    return;

  job = g_new0 (ReceiptJob, 1);
  job->number = g_strdup (number);
  job->till_id = current_till_id (self);
  job->store_name = g_settings_get_string (self->settings, "store-name");
  job->columns = till_receipt_printer_get_columns (self);
  job->reprint = reprint;
  job->system = g_strcmp0 (target, "system") == 0;
  job->target = g_steal_pointer (&target);
  job->parent = G_IS_OBJECT (parent) ? g_object_ref (parent) : NULL;
  g_task_set_task_data (task, job, receipt_job_free);

  /* The job is owned by the task; the store thread only fills it in. */
  till_store_run_async (self->store, receipt_job, job, no_free, no_free, cancellable,
                        receipt_loaded_cb, g_steal_pointer (&task));
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
      g_autofree char *message = g_strdup_printf (_("Printing failed: %s"), error->message);

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
  TillReceiptPrinter *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!self->system_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
till_receipt_printer_print_text_async (TillReceiptPrinter  *self,
                                       const char          *text,
                                       gpointer             parent,
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
                               _("No receipt printer is set up (Preferences)"));
      return;
    }
  if (g_strcmp0 (target, "system") == 0)
    {
      if (check_system (self, task))
        self->system_print ("Tillpoint", text, parent, cancellable, text_system_cb,
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
