/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The slip of a return without a receipt: its text, its ESC/POS bytes, and printing it. */
#define G_LOG_DOMAIN "till-print"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "till-escpos.h"
#include "till-report.h"
#include "till-return-slip.h"

#define PRINT_TIMEOUT_S 10

/* The longest prefix of `text` that fits `width` columns. */
static char *
fit (const char *text,
     guint       width)
{
  GString *out = g_string_new (NULL);
  guint w = 0;

  for (const char *p = text; p != NULL && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint cw = g_unichar_iswide (c) ? 2 : 1;

      if (w + cw > width)
        break;
      g_string_append_unichar (out, c);
      w += cw;
    }
  return g_string_free (out, FALSE);
}

static void
two_sides (GString    *out,
           const char *left,
           const char *right,
           guint       columns)
{
  guint rw = till_text_width (right);
  g_autofree char *l = fit (left, columns > rw + 1 ? columns - rw - 1 : 0);

  g_string_append (out, l);
  till_text_pad (out, right, columns - till_text_width (l), TRUE);
  g_string_append_c (out, '\n');
}

static void
money_line (GString    *out,
            const char *label,
            gint64      fen,
            guint       columns)
{
  g_autofree char *money = till_money_format_plain (fen);

  two_sides (out, label, money, columns);
}

/* Everything under the heading. */
static void
body (GString          *out,
      const TillReturn *r,
      guint             columns)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (r->at / G_USEC_PER_SEC);
  g_autofree char *when = dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S")
                                     : g_strdup ("");
  g_autofree char *rule = g_strnfill (columns, '-');

  g_string_append_printf (out, _("No. %s"), r->number != NULL ? r->number : "");
  g_string_append_c (out, '\n');
  g_string_append_printf (out, _("Time %s"), when);
  g_string_append_c (out, '\n');
  if (r->cashier != NULL && *r->cashier != '\0')
    {
      g_string_append_printf (out, _("Cashier %s"), r->cashier);
      g_string_append_c (out, '\n');
    }
  g_string_append_printf (out, _("Approved by %s"), r->manager != NULL ? r->manager : "");
  g_string_append_printf (out, "\n%s\n", rule);

  for (guint i = 0; i < r->lines->len; i++)
    {
      const TillReturnLine *l = g_ptr_array_index (r->lines, i);
      g_autofree char *name = fit (l->name, columns);
      g_autofree char *qty = till_report_format_qty (l->qty_milli);
      g_autofree char *price = till_money_format_plain (l->unit_price_fen);
      g_autofree char *amount = till_money_format_plain (l->line_total_fen);
      g_autofree char *left = g_strdup_printf ("  %s%s x %s", qty, l->weighed ? "kg" : "",
                                               price);

      g_string_append_printf (out, "%s\n", name);
      two_sides (out, left, amount, columns);
      if (l->unit_price_fen != l->list_price_fen)
        {
          g_autofree char *list = till_money_format_plain (l->list_price_fen);
          g_autofree char *was = g_strdup_printf (_("  (price %s lowered)"), list);

          g_string_append_printf (out, "%s\n", was);
        }
    }
  g_string_append_printf (out, "%s\n", rule);
  money_line (out, _("Total returned"), r->amount_fen, columns);
  if (r->rounding_fen != 0)
    money_line (out, _("Rounding"), r->rounding_fen, columns);
  money_line (out, _("Cash handed back"), r->amount_fen + r->rounding_fen, columns);
  g_string_append_printf (out, _("Reason: %s"), r->reason != NULL ? r->reason : "");
  g_string_append_printf (out, "\n\n%s\n\n%s\n", _("Customer's signature:"), rule);
}

char *
till_return_slip_to_text (const TillReturn *r,
                          const char       *store_name,
                          guint             columns)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (r != NULL, NULL);

  g_string_append_printf (out, "%s\n%s\n", store_name != NULL ? store_name : "",
                          _("Return without receipt"));
  body (out, r, columns);
  return g_string_free (out, FALSE);
}

GBytes *
till_return_slip_escpos (const TillReturn  *r,
                         const char        *store_name,
                         guint              columns,
                         GError           **error)
{
  g_autoptr(TillEscpos) p = till_escpos_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (r != NULL, NULL);
  g_return_val_if_fail (columns == TILL_ESCPOS_COLUMNS_58MM
                        || columns == TILL_ESCPOS_COLUMNS_80MM, NULL);

  till_escpos_init (p);
  till_escpos_align (p, 1);
  till_escpos_double_size (p, TRUE);
  if (!till_escpos_line (p, store_name != NULL ? store_name : "", error))
    return NULL;
  till_escpos_double_size (p, FALSE);
  till_escpos_bold (p, TRUE);
  if (!till_escpos_line (p, _("Return without receipt"), error))
    return NULL;
  till_escpos_bold (p, FALSE);
  till_escpos_align (p, 0);

  body (text, r, columns);
  lines = g_strsplit (text->str, "\n", -1);
  /* the text ends with a newline: the last piece is empty */
  for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    if (!till_escpos_line (p, lines[i], error))
      return NULL;
  till_escpos_feed (p, 2);
  till_escpos_cut (p);
  /* Cash goes out of the drawer. */
  till_escpos_kick_drawer (p);
  return till_escpos_free_to_bytes (g_steal_pointer (&p));
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (till_printer_send_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
system_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (till_receipt_printer_print_text_finish (TILL_RECEIPT_PRINTER (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
till_return_slip_print_async (TillReceiptPrinter  *printer,
                              const TillReturn    *ret,
                              const char          *store_name,
                              gpointer             parent,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *target = NULL;
  guint columns;

  g_return_if_fail (TILL_IS_RECEIPT_PRINTER (printer));
  g_return_if_fail (ret != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_return_slip_print_async);
  target = till_receipt_printer_get_target (printer);
  columns = till_receipt_printer_get_columns (printer);
  if (target == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("No receipt printer is set up (Preferences)"));
      return;
    }
  if (g_strcmp0 (target, "system") == 0)
    {
      g_autofree char *text = till_return_slip_to_text (ret, store_name, columns);

      till_receipt_printer_print_text_async (printer, text, parent, cancellable, system_cb,
                                             g_steal_pointer (&task));
      return;
    }
  {
    GError *error = NULL;
    g_autoptr(GBytes) bytes = till_return_slip_escpos (ret, store_name, columns, &error);

    if (bytes == NULL)
      {
        g_task_return_error (task, error);
        return;
      }
    till_printer_send_async (target, bytes, PRINT_TIMEOUT_S, cancellable, sent_cb,
                             g_steal_pointer (&task));
  }
}

gboolean
till_return_slip_print_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
