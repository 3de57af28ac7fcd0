/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ESC/POS byte builder, the sale receipt and the printer outputs. */
#define G_LOG_DOMAIN "till-escpos"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "till-money.h"
#include "till-report.h"
#include "till-pay-error.h"
#include "till-escpos.h"

struct _TillEscpos
{
  GByteArray *bytes;
};

TillEscpos *
till_escpos_new (void)
{
  TillEscpos *self = g_new0 (TillEscpos, 1);

  self->bytes = g_byte_array_new ();
  return self;
}

void
till_escpos_free (TillEscpos *self)
{
  if (self == NULL)
    return;
  g_byte_array_unref (self->bytes);
  g_free (self);
}

GBytes *
till_escpos_free_to_bytes (TillEscpos *self)
{
  GBytes *bytes = g_byte_array_free_to_bytes (self->bytes);

  g_free (self);
  return bytes;
}

static void
put (TillEscpos   *self,
     const guint8 *data,
     guint         len)
{
  g_byte_array_append (self->bytes, data, len);
}

#define PUT(self, ...) \
  G_STMT_START { const guint8 b_[] = { __VA_ARGS__ }; put (self, b_, sizeof b_); } G_STMT_END

void
till_escpos_init (TillEscpos *self)
{
  PUT (self, 0x1B, 0x40);   /* ESC @: initialise */
  PUT (self, 0x1C, 0x26);   /* FS &: Chinese character mode (GB18030 on Chinese models) */
}

void
till_escpos_align (TillEscpos *self,
                   guint       align)
{
  PUT (self, 0x1B, 0x61, (guint8) MIN (align, 2));
}

void
till_escpos_double_size (TillEscpos *self,
                         gboolean    on)
{
  PUT (self, 0x1D, 0x21, on ? 0x11 : 0x00);
}

void
till_escpos_bold (TillEscpos *self,
                  gboolean    on)
{
  PUT (self, 0x1B, 0x45, on ? 1 : 0);
}

gboolean
till_escpos_text (TillEscpos  *self,
                  const char  *utf8,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *gb = NULL;
  gsize len = 0;

  gb = g_convert (utf8, -1, "GB18030", "UTF-8", NULL, &len, &local_error);
  if (gb == NULL)
    {
      g_warning ("Cannot convert “%s” to GB18030: %s", utf8, local_error->message);
      g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID,
                   _("The receipt has text the printer cannot print (%s)"),
                   local_error->message);
      return FALSE;
    }
  put (self, (const guint8 *) gb, (guint) len);
  return TRUE;
}

gboolean
till_escpos_line (TillEscpos  *self,
                  const char  *utf8,
                  GError     **error)
{
  if (!till_escpos_text (self, utf8, error))
    return FALSE;
  PUT (self, 0x0A);
  return TRUE;
}

void
till_escpos_feed (TillEscpos *self,
                  guint       lines)
{
  PUT (self, 0x1B, 0x64, (guint8) MIN (lines, 255));   /* ESC d n */
}

gboolean
till_escpos_qr (TillEscpos  *self,
                const char  *data,
                guint        module_size,
                GError     **error)
{
  gsize len = strlen (data);
  gsize store_len = len + 3;

  if (len == 0 || store_len > 7089)
    {
      g_set_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID,
                   _("The QR code text is empty or too long"));
      return FALSE;
    }
  module_size = CLAMP (module_size, 1, 16);
  PUT (self, 0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00);  /* model 2 */
  PUT (self, 0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, (guint8) module_size);
  PUT (self, 0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31);        /* level M */
  PUT (self, 0x1D, 0x28, 0x6B, (guint8) (store_len & 0xff), (guint8) (store_len >> 8),
       0x31, 0x50, 0x30);                                            /* store */
  put (self, (const guint8 *) data, (guint) len);
  PUT (self, 0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30);        /* print */
  return TRUE;
}

void
till_escpos_cut (TillEscpos *self)
{
  PUT (self, 0x1D, 0x56, 0x42, 0x00);
}

void
till_escpos_kick_drawer (TillEscpos *self)
{
  /* pin 2, on 25×2 ms, off 250×2 ms */
  PUT (self, 0x1B, 0x70, 0x00, 0x19, 0xFA);
}

/* ---------------------------------------------------------------- the receipt */

/* The longest prefix of `text` that fits `width` columns. */
static char *
fit (const char *text,
     guint       width)
{
  GString *out = g_string_new (NULL);
  guint w = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
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

/* `left` and `right` on one line of `columns`, right flush. */
static char *
two_sides (const char *left,
           const char *right,
           guint       columns)
{
  guint rw = till_text_width (right);
  g_autofree char *l = fit (left, columns > rw + 1 ? columns - rw - 1 : 0);
  GString *out = g_string_new (l);

  till_text_pad (out, right, columns - till_text_width (l), TRUE);
  return g_string_free (out, FALSE);
}

static const char *
method_label (const char *method)
{
  int m = till_report_method_from_id (method);

  return m >= 0 ? till_report_method_label (m) : method;
}

char **
till_receipt_line_extras (const TillReceiptLine *l)
{
  GStrvBuilder *b = g_strv_builder_new ();
  char **pairs;

  if (l->original_unit_price_fen > 0 && l->original_unit_price_fen != l->unit_price_fen)
    {
      g_autofree char *was = till_money_format_plain (l->original_unit_price_fen);
      g_autofree char *left = g_strdup_printf (_("  Price changed, was %s"), was);

      g_strv_builder_add (b, left);
      g_strv_builder_add (b, "");
    }
  if (l->discount_text != NULL && l->discount_fen != 0)
    {
      g_autofree char *off = till_money_format_plain (-l->discount_fen);
      g_autofree char *left = g_strdup_printf (_("  Discount %s"), l->discount_text);

      g_strv_builder_add (b, left);
      g_strv_builder_add (b, off);
    }
  pairs = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return pairs;
}

char **
till_receipt_sale_extras (const TillReceipt *r)
{
  GStrvBuilder *b = g_strv_builder_new ();
  char **pairs;

  if (r->sale_discount_fen != 0)
    {
      g_autofree char *off = till_money_format_plain (-r->sale_discount_fen);
      g_autofree char *left = g_strdup_printf (_("Sale discount %s"),
                                               r->sale_discount_text != NULL
                                                 ? r->sale_discount_text : "");

      g_strv_builder_add (b, left);
      g_strv_builder_add (b, off);
    }
  if (r->points_fen != 0)
    {
      g_autofree char *off = till_money_format_plain (-r->points_fen);
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, r->points_redeemed);
      g_autofree char *left = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s point redeemed",
                                                            "%s points redeemed",
                                                            (gulong) r->points_redeemed),
                                               count);

      g_strv_builder_add (b, left);
      g_strv_builder_add (b, off);
    }
  if (r->total_rounding_fen != 0)
    {
      g_autofree char *off = till_money_format_plain (-r->total_rounding_fen);

      g_strv_builder_add (b, _("Total rounded down"));
      g_strv_builder_add (b, off);
    }
  pairs = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return pairs;
}

GBytes *
till_escpos_receipt (const TillReceipt  *r,
                     guint               columns,
                     GError            **error)
{
  g_autoptr(TillEscpos) p = till_escpos_new ();
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *when = NULL;
  g_autofree char *rule = NULL;
  g_autofree char *total = NULL;
  g_autofree char *code = NULL;
  gboolean cash;

  g_return_val_if_fail (r != NULL && r->sale_number != NULL, NULL);
  g_return_val_if_fail (columns == TILL_ESCPOS_COLUMNS_58MM
                        || columns == TILL_ESCPOS_COLUMNS_80MM, NULL);

  cash = g_strcmp0 (r->method, "cash") == 0;
  dt = g_date_time_new_from_unix_local (r->at_us / G_USEC_PER_SEC);
  when = g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");
  rule = g_strnfill (columns, '-');

  till_escpos_init (p);
  till_escpos_align (p, 1);
  till_escpos_double_size (p, TRUE);
  if (!till_escpos_line (p, r->store_name ? r->store_name : "", error))
    return NULL;
  till_escpos_double_size (p, FALSE);
  till_escpos_align (p, 0);
  {
    g_autofree char *number = g_strdup_printf (_("No. %s"), r->sale_number);
    g_autofree char *time = g_strdup_printf (_("Time %s"), when);

    if (!till_escpos_line (p, number, error) || !till_escpos_line (p, time, error))
      return NULL;
    if (r->cashier != NULL)
      {
        g_autofree char *cashier = g_strdup_printf (_("Cashier %s"), r->cashier);

        if (!till_escpos_line (p, cashier, error))
          return NULL;
      }
    if (r->member_name != NULL)
      {
        g_autofree char *member_line = till_receipt_member_line (r);
        g_autofree char *member = fit (member_line, columns);

        if (!till_escpos_line (p, member, error))
          return NULL;
      }
  }
  if (!till_escpos_line (p, rule, error))
    return NULL;

  /* A top-up's one line is the top-up itself, printed with its bonus below. */
  for (guint i = 0; r->topup_fen == 0 && i < r->n_lines; i++)
    {
      const TillReceiptLine *l = &r->lines[i];
      g_autofree char *name = fit (l->name, columns);
      g_autofree char *qty = till_report_format_qty (l->qty_milli);
      g_autofree char *price = till_money_format_plain (l->unit_price_fen);
      g_autofree char *amount = till_money_format_plain (l->amount_fen);
      g_autofree char *left = g_strdup_printf ("  %s%s x %s", qty, l->weighed ? "kg" : "",
                                               price);
      g_autofree char *detail = two_sides (left, amount, columns);

      g_auto(GStrv) extras = till_receipt_line_extras (l);

      if (!till_escpos_line (p, name, error) || !till_escpos_line (p, detail, error))
        return NULL;
      for (guint k = 0; extras[k] != NULL && extras[k + 1] != NULL; k += 2)
        {
          g_autofree char *extra = two_sides (extras[k], extras[k + 1], columns);

          if (!till_escpos_line (p, extra, error))
            return NULL;
        }
    }
  if (!till_escpos_line (p, rule, error))
    return NULL;
  {
    g_auto(GStrv) extras = till_receipt_sale_extras (r);

    for (guint k = 0; extras[k] != NULL && extras[k + 1] != NULL; k += 2)
      {
        g_autofree char *extra = two_sides (extras[k], extras[k + 1], columns);

        if (!till_escpos_line (p, extra, error))
          return NULL;
      }
  }

  total = till_money_format_plain (r->total_fen);
  till_escpos_bold (p, TRUE);
  {
    g_autofree char *line = two_sides (_("Total"), total, columns);

    if (!till_escpos_line (p, line, error))
      return NULL;
  }
  till_escpos_bold (p, FALSE);
  if (r->saved_fen > 0)
    {
      g_autofree char *saved = till_money_format_plain (r->saved_fen);
      g_autofree char *line = two_sides (_("You saved"), saved, columns);

      if (!till_escpos_line (p, line, error))
        return NULL;
    }
  /* Cash rounded by the till's rule (抹零): the rounding, then the cash it came to. */
  if (r->cash_rounding_fen != 0)
    {
      g_autofree char *rounding = till_money_format_plain (r->cash_rounding_fen);
      g_autofree char *received = till_money_format_plain (r->total_fen + r->cash_rounding_fen);
      g_autofree char *rounding_line = two_sides (_("Rounding"), rounding, columns);
      g_autofree char *received_line = two_sides (_("Cash received"), received, columns);

      if (!till_escpos_line (p, rounding_line, error)
          || !till_escpos_line (p, received_line, error))
        return NULL;
    }
  {
    /* Part paid from a member's card: that part, then the method of the rest. */
    gint64 card_fen = till_receipt_card_part (r);
    gint64 cash_fen = r->total_fen - card_fen + r->cash_rounding_fen;
    g_autofree char *paid = till_money_format_plain (cash ? r->tendered_fen
                                                          : r->total_fen - card_fen);
    g_autofree char *line = two_sides (method_label (r->method), paid, columns);

    if (card_fen > 0)
      {
        g_autofree char *card = till_money_format_plain (card_fen);
        g_autofree char *card_line = two_sides (till_report_method_label (TILL_REPORT_STORED_VALUE),
                                                card, columns);

        if (!till_escpos_line (p, card_line, error))
          return NULL;
      }
    if (!till_escpos_line (p, line, error))
      return NULL;
    if (cash && r->tendered_fen > cash_fen)
      {
        g_autofree char *change = till_money_format_plain (r->tendered_fen - cash_fen);
        g_autofree char *change_line = two_sides (_("Change"), change, columns);

        if (!till_escpos_line (p, change_line, error))
          return NULL;
      }
  }
  {
    g_auto(GStrv) extras = till_receipt_member_extras (r);

    for (guint k = 0; extras[k] != NULL && extras[k + 1] != NULL; k += 2)
      {
        g_autofree char *extra = two_sides (extras[k], extras[k + 1], columns);

        if (!till_escpos_line (p, extra, error))
          return NULL;
      }
  }
  if (r->transaction_id != NULL && *r->transaction_id != '\0')
    {
      gsize len = strlen (r->transaction_id);
      g_autofree char *line = g_strdup_printf (_("Transaction …%s"),
                                               r->transaction_id + (len > 6 ? len - 6 : 0));

      if (!till_escpos_line (p, line, error))
        return NULL;
    }

  code = g_strconcat ("TILLPOINT-SALE-", r->sale_number, NULL);
  till_escpos_feed (p, 1);
  till_escpos_align (p, 1);
  if (!till_escpos_qr (p, code, columns == TILL_ESCPOS_COLUMNS_58MM ? 5 : 6, error)
      || !till_escpos_line (p, code, error)
      || !till_escpos_line (p, _("Thank you"), error))
    return NULL;
  till_escpos_align (p, 0);
  till_escpos_feed (p, 3);
  till_escpos_cut (p);
  if (cash)
    till_escpos_kick_drawer (p);
  return till_escpos_free_to_bytes (g_steal_pointer (&p));
}

/* ---------------------------------------------------------------- outputs */

typedef struct
{
  GBytes         *bytes;
  char           *target;
  guint           timeout_s;
  GSocketClient  *client;
  GSocketConnection *connection;
  GSource        *timeout;
} SendData;

static void
send_data_free (SendData *data)
{
  g_bytes_unref (data->bytes);
  g_free (data->target);
  g_clear_object (&data->client);
  g_clear_object (&data->connection);
  if (data->timeout != NULL)
    {
      g_source_destroy (data->timeout);
      g_source_unref (data->timeout);
    }
  g_free (data);
}

static gboolean
is_network_target (const char *target)
{
  const char *colon = strrchr (target, ':');

  if (g_str_has_prefix (target, "tcp://"))
    return TRUE;
  if (target[0] == '/' || target[0] == '.' || colon == NULL || colon[1] == '\0')
    return FALSE;
  for (const char *p = colon + 1; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static void
write_path_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  SendData *data = task_data;
  GStatBuf st;
  gboolean device = g_stat (data->target, &st) == 0 && S_ISCHR (st.st_mode);
  gsize len = 0, done = 0;
  const guint8 *bytes = g_bytes_get_data (data->bytes, &len);
  int fd;

  fd = g_open (data->target, O_WRONLY | O_CLOEXEC | (device ? 0 : O_CREAT | O_TRUNC), 0644);
  if (fd < 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("The printer “%s” cannot be opened (%s)"), data->target,
                               g_strerror (saved));
      return;
    }
  while (done < len)
    {
      gssize n = write (fd, bytes + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;

          close (fd);
          g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                                   _("The receipt could not be sent to “%s” (%s)"),
                                   data->target, g_strerror (saved));
          return;
        }
      done += (gsize) n;
    }
  if (close (fd) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("The receipt could not be sent to “%s” (%s)"),
                               data->target, g_strerror (saved));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static gboolean
send_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;

  g_cancellable_cancel (g_task_get_cancellable (task));
  return G_SOURCE_REMOVE;
}

static void
write_done_cb (GObject      *stream,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (stream), result, NULL, &error)
      || !g_io_stream_close (G_IO_STREAM (data->connection), NULL, &error))
    {
      g_task_return_new_error (task, G_IO_ERROR, error->code,
                               _("The receipt could not be sent to the printer %s (%s)"),
                               data->target, error->message);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
connect_done_cb (GObject      *client,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GOutputStream *out;
  GCancellable *cancellable;
  gsize len;
  gconstpointer bytes;

  data->connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (client), result,
                                                             &error);
  if (data->connection == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, error->code,
                               _("The printer %s cannot be reached (%s)"), data->target,
                               error->message);
      return;
    }
  out = g_io_stream_get_output_stream (G_IO_STREAM (data->connection));
  bytes = g_bytes_get_data (data->bytes, &len);
  cancellable = g_task_get_cancellable (task);
  g_output_stream_write_all_async (out, bytes, len, G_PRIORITY_DEFAULT, cancellable,
                                   write_done_cb, g_steal_pointer (&task));
}

void
till_printer_send_async (const char          *target,
                         GBytes              *bytes,
                         guint                timeout_s,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GCancellable) own = NULL;
  SendData *data;

  g_return_if_fail (target != NULL && *target != '\0');
  g_return_if_fail (bytes != NULL);

  /* An own cancellable, chained to the caller's, so that the timeout can cancel. */
  own = g_cancellable_new ();
  if (cancellable != NULL)
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel), own,
                             G_CONNECT_SWAPPED);
  task = g_task_new (NULL, own, callback, user_data);
  g_task_set_source_tag (task, till_printer_send_async);
  g_task_set_return_on_cancel (task, FALSE);
  data = g_new0 (SendData, 1);
  data->bytes = g_bytes_ref (bytes);
  data->target = g_strdup (g_str_has_prefix (target, "tcp://") ? target + 6 : target);
  data->timeout_s = timeout_s ? timeout_s : 10;
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  if (!is_network_target (target))
    {
      g_task_run_in_thread (task, write_path_thread);
      return;
    }
  data->client = g_socket_client_new ();
  g_socket_client_set_timeout (data->client, data->timeout_s);
  data->timeout = g_timeout_source_new_seconds (data->timeout_s);
  g_source_set_callback (data->timeout, send_timeout_cb, task, NULL);
  g_source_attach (data->timeout, g_main_context_get_thread_default ());
  g_socket_client_connect_to_host_async (data->client, data->target, 9100, own,
                                         connect_done_cb, g_steal_pointer (&task));
}

gboolean
till_printer_send_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == till_printer_send_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
