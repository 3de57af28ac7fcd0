/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ESC/POS: the bytes of a known receipt against a reviewed golden file, the commands one by
 * one, 58/80 mm layouts with CJK widths, each payment method's name, and the outputs (file,
 * TCP printer). */
#define G_LOG_DOMAIN "test-escpos"

#define _GNU_SOURCE 1
#include "config.h"

#include <string.h>
#include "till-escpos.h"
#include "till-receipt-printer.h"
#include "till-report.h"
#include <glib/gstdio.h>

static const TillReceiptLine known_lines[] = {
  { "农夫山泉 550ml", 3000, 200, 600, FALSE },
  { "香蕉", 1250, 698, 873, TRUE },
  { "康师傅红烧牛肉面（超大桶装特别长的名字）", 1000, 650, 650, FALSE },
};

static TillReceipt
known_receipt (const char *method)
{
  TillReceipt r = {
    .store_name = "好邻居便利店",
    .sale_number = "20261121-0007",
    .at_us = G_GINT64_CONSTANT (1795223100) * G_USEC_PER_SEC,  /* 2026-11-21 09:05:00 +08 */
    .cashier = "小王",
    .lines = known_lines,
    .n_lines = G_N_ELEMENTS (known_lines),
    .total_fen = 2123,
    .method = method,
    .tendered_fen = 5000,
    .transaction_id = g_str_equal (method, "cash") ? NULL : "4200000925202611210000123456",
  };
  return r;
}

static GBytes *
fixture_bytes (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("TILL_TEST_SRCDIR"), "tests", "fixtures",
                                            name, NULL);
  char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static gboolean
contains (GBytes       *bytes,
          const guint8 *needle,
          gsize         n)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return n <= len && memmem (data, len, needle, n) != NULL;
}

static void
test_golden_58mm (void)
{
  g_autoptr(GError) error = NULL;
  TillReceipt r = known_receipt ("cash");
  g_autoptr(GBytes) bytes = till_escpos_receipt (&r, TILL_ESCPOS_COLUMNS_58MM, &error);
  g_autoptr(GBytes) golden = NULL;

  g_assert_no_error (error);
  if (g_getenv ("TILL_WRITE_GOLDEN") != NULL)
    {
      /* once, by hand: TILL_WRITE_GOLDEN=dir; then review the bytes with xxd */
      g_autofree char *path = g_build_filename (g_getenv ("TILL_WRITE_GOLDEN"),
                                                "receipt-58mm.bin", NULL);

      g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                           &error);
      g_assert_no_error (error);
    }
  golden = fixture_bytes ("receipt-58mm.bin");
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   g_bytes_get_data (golden, NULL), g_bytes_get_size (golden));
}

static void
test_commands (void)
{
  g_autoptr(GError) error = NULL;
  TillReceipt r = known_receipt ("cash");
  g_autoptr(GBytes) cash = till_escpos_receipt (&r, TILL_ESCPOS_COLUMNS_58MM, &error);
  TillReceipt w = known_receipt ("wechat_code");
  g_autoptr(GBytes) wechat = till_escpos_receipt (&w, TILL_ESCPOS_COLUMNS_58MM, &error);
  const guint8 *data;
  gsize len;
  /* "TILLPOINT-SALE-20261121-0007" is 28 bytes: pL = 31 */
  const guint8 qr_store[] = { 0x1D, 0x28, 0x6B, 31, 0x00, 0x31, 0x50, 0x30, 'T', 'I', 'L', 'L' };
  const guint8 qr_print[] = { 0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30 };
  const guint8 qr_model[] = { 0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00 };
  const guint8 kick[] = { 0x1B, 0x70, 0x00, 0x19, 0xFA };
  const guint8 cut[] = { 0x1D, 0x56, 0x42, 0x00 };
  const guint8 big_centre[] = { 0x1B, 0x61, 0x01, 0x1D, 0x21, 0x11 };
  /* "农夫" (a product's name) in GB18030 */
  const guint8 heji[] = { 0xC5, 0xA9, 0xB7, 0xF2 };
  const guint8 tail[] = { '1', '2', '3', '4', '5', '6', '\n' };

  g_assert_no_error (error);
  data = g_bytes_get_data (cash, &len);
  g_assert_cmpmem (data, 4, "\x1B\x40\x1C\x26", 4);
  g_assert_true (contains (cash, big_centre, sizeof big_centre));
  g_assert_true (contains (cash, qr_model, sizeof qr_model));
  g_assert_true (contains (cash, qr_store, sizeof qr_store));
  g_assert_true (contains (cash, qr_print, sizeof qr_print));
  g_assert_true (contains (cash, heji, sizeof heji));
  /* cash: cut, then the drawer opens */
  g_assert_cmpmem (data + len - 9, 4, cut, 4);
  g_assert_cmpmem (data + len - 5, 5, kick, 5);
  /* no UTF-8 left: 香 is E9 A6 99 in UTF-8 and CF E3 in GB18030 */
  g_assert_false (contains (cash, (const guint8 *) "\xE9\xA6\x99", 3));
  g_assert_true (contains (cash, (const guint8 *) "\xCF\xE3\xBD\xB6", 4));

  /* WeChat: no drawer kick, the end of the transaction id */
  data = g_bytes_get_data (wechat, &len);
  g_assert_false (contains (wechat, kick, sizeof kick));
  g_assert_cmpmem (data + len - 4, 4, cut, 4);
  g_assert_true (contains (wechat, tail, sizeof tail));
  g_assert_false (contains (wechat, (const guint8 *) "4200000925", 10));
}

/* The receipt's lines back in UTF-8, without the commands. */
static char **
printed_lines (GBytes *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *utf8 = NULL;

  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == 0x1B || data[i] == 0x1C || data[i] == 0x1D)
        break;   /* only called on the part after the header commands, see below */
      g_string_append_c (text, (char) data[i]);
    }
  utf8 = g_convert (text->str, text->len, "UTF-8", "GB18030", NULL, NULL, NULL);
  g_assert_nonnull (utf8);
  return g_strsplit (utf8, "\n", -1);
}

static void
test_widths (void)
{
  const guint columns[] = { TILL_ESCPOS_COLUMNS_58MM, TILL_ESCPOS_COLUMNS_80MM };

  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    {
      g_autoptr(GError) error = NULL;
      TillReceipt r = known_receipt ("cash");
      g_autoptr(GBytes) bytes = till_escpos_receipt (&r, columns[c], &error);
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);
      /* the body starts after "ESC a 0" that follows the store name */
      const guint8 *body = memmem (data, len, "\x1D\x21\x00\x1B\x61\x00", 6);
      g_autoptr(GBytes) rest = NULL;
      g_auto(GStrv) lines = NULL;
      guint full = 0;

      g_assert_nonnull (body);
      rest = g_bytes_new (body + 6, len - (gsize) (body + 6 - data));
      lines = printed_lines (rest);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          guint w = till_text_width (lines[i]);

          g_assert_cmpuint (w, <=, columns[c]);
          full += w == columns[c];
        }
      g_assert_cmpstr (lines[0], ==, "No. 20261121-0007");
      g_assert_cmpstr (lines[1], ==, "Time 2026-11-21 09:05:00");
      g_assert_true (g_str_has_prefix (lines[7], "  1.25kg x 6.98"));
      g_assert_true (g_str_has_suffix (lines[7], " 8.73"));
      /* the long name is cut at a character, never in the middle of one */
      g_assert_true (g_str_has_prefix (lines[8], "康师傅红烧牛肉面"));
      g_assert_cmpuint (till_text_width (lines[8]), ==, MIN (40, columns[c]));
      g_assert_cmpuint (full, >=, 5);
    }
}

/* A line of `columns` with `left` and `right` flush, as GB18030 bytes. */
static GBytes *
gb_line (const char *left,
         const char *right,
         guint       columns)
{
  g_autoptr(GString) line = g_string_new (left);
  gsize len = 0;
  char *gb;

  till_text_pad (line, right, columns - till_text_width (left), TRUE);
  g_string_append_c (line, '\n');
  gb = g_convert (line->str, line->len, "GB18030", "UTF-8", NULL, &len, NULL);
  g_assert_nonnull (gb);
  return g_bytes_new_take (gb, len);
}

static gboolean
has_line (GBytes     *receipt,
          const char *left,
          const char *right)
{
  g_autoptr(GBytes) line = gb_line (left, right, TILL_ESCPOS_COLUMNS_58MM);

  return contains (receipt, g_bytes_get_data (line, NULL), g_bytes_get_size (line));
}

/* Each method prints under its own name (the report's labels) with the amount paid, in
 * the ESC/POS bytes at both widths and in the plain text of the system printer; the
 * electronic ones open no drawer and print the end of the transaction id. */
static void
test_methods (void)
{
  static const struct
  {
    const char *method;
    const char *label;
  } methods[] = {
    { "wechat_code", "WeChat code" },
    { "wechat_native", "WeChat QR" },
    { "alipay_code", "Alipay code" },
    { "alipay_qr", "Alipay QR" },
    { "stored_value", "Stored value" },
  };
  const guint8 kick[] = { 0x1B, 0x70, 0x00, 0x19, 0xFA };
  const guint8 tail[] = { '1', '2', '3', '4', '5', '6', '\n' };

  g_assert_cmpuint (G_N_ELEMENTS (methods) + 1, ==, TILL_PAYMENT_METHOD_COUNT);
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_autoptr(GError) error = NULL;
      TillReceipt r = known_receipt (methods[i].method);
      g_autoptr(GBytes) bytes = till_escpos_receipt (&r, TILL_ESCPOS_COLUMNS_58MM, &error);
      g_autoptr(GBytes) wide = till_escpos_receipt (&r, TILL_ESCPOS_COLUMNS_80MM, &error);
      g_autoptr(GBytes) line = gb_line (methods[i].label, "21.23", TILL_ESCPOS_COLUMNS_80MM);
      g_autofree char *text = till_receipt_to_text (&r, TILL_ESCPOS_COLUMNS_58MM);
      g_autofree char *text_line = NULL;

      g_assert_no_error (error);
      g_assert_true (has_line (bytes, methods[i].label, "21.23"));
      g_assert_true (contains (wide, g_bytes_get_data (line, NULL), g_bytes_get_size (line)));
      g_assert_false (contains (bytes, kick, sizeof kick));
      g_assert_true (contains (bytes, tail, sizeof tail));
      /* the method's id never reaches the paper */
      g_assert_false (contains (bytes, (const guint8 *) methods[i].method,
                                strlen (methods[i].method)));

      {
        g_autoptr(GString) expected = g_string_new (methods[i].label);

        till_text_pad (expected, "¥21.23", TILL_ESCPOS_COLUMNS_58MM
                                             - till_text_width (methods[i].label), TRUE);
        text_line = g_strdup_printf ("\n%s\n", expected->str);
      }
      g_assert_nonnull (strstr (text, text_line));
      g_assert_null (strstr (text, methods[i].method));
    }
}

/* Cash rounded to the jiao: ¥30.01, rounding -0.01, ¥30.00 received, ¥50.00 given, ¥20.00
 * change. Without rounding neither line is printed. */
static void
test_cash_rounding (void)
{
  g_autoptr(GError) error = NULL;
  TillReceipt r = known_receipt ("cash");
  g_autoptr(GBytes) plain = till_escpos_receipt (&r, TILL_ESCPOS_COLUMNS_58MM, &error);
  g_autoptr(GBytes) rounded = NULL;

  g_assert_false (has_line (plain, "Rounding", "0.00"));
  g_assert_true (has_line (plain, "Change", "28.77"));
  r.total_fen = 3001;
  r.cash_rounding_fen = -1;
  rounded = till_escpos_receipt (&r, TILL_ESCPOS_COLUMNS_58MM, &error);
  g_assert_no_error (error);
  g_assert_true (has_line (rounded, "Rounding", "-0.01"));
  g_assert_true (has_line (rounded, "Cash received", "30.00"));
  g_assert_true (has_line (rounded, "Cash", "50.00"));
  g_assert_true (has_line (rounded, "Change", "20.00"));
  g_assert_false (has_line (rounded, "Change", "19.99"));
}

/* Discounts on the receipt: under a line its override and its discount, before the total
 * the sale's discount and 抹零, after it the saving; the amounts less them are the total.
 * A receipt without any prints none of it (the golden bytes above stay the same). */
static void
test_discounts (void)
{
  static const TillReceiptLine lines[] = {
    /* 2 × ¥3.50, 10 % off */
    { "可口可乐 500ml", 2000, 350, 700, FALSE, 0, "10%", 70 },
    /* ¥7.50 overridden to ¥6.00 */
    { "乐事薯片原味 70g", 1000, 600, 600, FALSE, 750, NULL, 0 },
  };
  g_autoptr(GError) error = NULL;
  TillReceipt r = known_receipt ("cash");
  g_autoptr(GBytes) plain = till_escpos_receipt (&r, TILL_ESCPOS_COLUMNS_58MM, &error);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;

  g_assert_false (has_line (plain, "You saved", "0.00"));
  g_assert_false (contains (plain, (const guint8 *) "Discount", 8));

  r.lines = lines;
  r.n_lines = G_N_ELEMENTS (lines);
  /* 1300 − 70 = 1230; 15 % = 184.5 → 185; 1045 → 抹零 to the yuan: 45 */
  r.sale_discount_text = "15%";
  r.sale_discount_fen = 185;
  r.total_rounding_fen = 45;
  r.total_fen = 1000;
  r.saved_fen = 700 + 750 - 1000;
  r.tendered_fen = 1000;
  bytes = till_escpos_receipt (&r, TILL_ESCPOS_COLUMNS_58MM, &error);
  g_assert_no_error (error);
  g_assert_true (has_line (bytes, "  2 x 3.50", "7.00"));
  g_assert_true (has_line (bytes, "  Discount 10%", "-0.70"));
  g_assert_true (has_line (bytes, "  Price changed, was 7.50", ""));
  g_assert_true (has_line (bytes, "Sale discount 15%", "-1.85"));
  g_assert_true (has_line (bytes, "Total rounded down", "-0.45"));
  g_assert_true (has_line (bytes, "Total", "10.00"));
  g_assert_true (has_line (bytes, "You saved", "4.50"));

  /* the system printer's text says the same */
  text = till_receipt_to_text (&r, TILL_ESCPOS_COLUMNS_58MM);
  g_assert_nonnull (strstr (text, "  Discount 10%"));
  g_assert_nonnull (strstr (text, "-0.70\n"));
  g_assert_nonnull (strstr (text, "Sale discount 15%"));
  g_assert_nonnull (strstr (text, "-1.85\n"));
  g_assert_nonnull (strstr (text, "Total rounded down"));
  g_assert_nonnull (strstr (text, "¥4.50\n"));
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* a member's 300 points took ¥3.00 off before 抹零 (1045 − 300 = 745 → 45 cut) */
  r.points_redeemed = 300;
  r.points_fen = 300;
  r.total_fen = 700;
  r.saved_fen = 700 + 750 - 700;
  r.tendered_fen = 700;
  bytes = till_escpos_receipt (&r, TILL_ESCPOS_COLUMNS_58MM, &error);
  g_assert_no_error (error);
  g_assert_true (has_line (bytes, "300 points redeemed", "-3.00"));
  g_assert_true (has_line (bytes, "Total", "7.00"));
  text = till_receipt_to_text (&r, TILL_ESCPOS_COLUMNS_58MM);
  g_assert_nonnull (strstr (text, "300 points redeemed"));
  g_assert_nonnull (strstr (text, "-3.00\n"));
}

static void
test_bad_text (void)
{
  g_autoptr(TillEscpos) p = till_escpos_new ();
  g_autoptr(GError) error = NULL;

  /* a lone surrogate cannot be in UTF-8; invalid bytes are refused, nothing written */
  g_test_expect_message ("till-escpos", G_LOG_LEVEL_WARNING, "*GB18030*");
  g_assert_false (till_escpos_text (p, "abc\xFF", &error));
  g_test_assert_expected_messages ();
  g_assert_nonnull (error);
}

/* ---------------------------------------------------------------- outputs */

typedef struct
{
  GMainLoop *loop;
  GError    *error;
  gboolean   ok;
  GByteArray *received;
  gboolean   closed;
} SendState;

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendState *state = user_data;

  state->ok = till_printer_send_finish (result, &state->error);
  g_main_loop_quit (state->loop);
}

static void
test_file_output (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("till-escpos-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "receipt.bin", NULL);
  g_autofree char *bad = g_build_filename (dir, "no", "such", "lp0", NULL);
  TillReceipt r = known_receipt ("cash");
  g_autoptr(GBytes) bytes = till_escpos_receipt (&r, TILL_ESCPOS_COLUMNS_80MM, &error);
  SendState state = { .loop = g_main_loop_new (NULL, FALSE) };
  g_autofree char *written = NULL;
  gsize len;

  till_printer_send_async (path, bytes, 5, NULL, sent_cb, &state);
  g_main_loop_run (state.loop);
  g_assert_no_error (state.error);
  g_assert_true (state.ok);
  g_file_get_contents (path, &written, &len, &error);
  g_assert_cmpmem (written, len, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  till_printer_send_async (bad, bytes, 5, NULL, sent_cb, &state);
  g_main_loop_run (state.loop);
  g_assert_false (state.ok);
  g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&state.error);

  g_remove (path);
  g_rmdir (dir);
  g_main_loop_unref (state.loop);
}

static void
read_more (GInputStream *in,
           SendState    *state);

static void
read_done_cb (GObject      *stream,
              GAsyncResult *result,
              gpointer      user_data)
{
  SendState *state = user_data;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (stream), result,
                                                              NULL);

  if (chunk == NULL || g_bytes_get_size (chunk) == 0)
    {
      state->closed = TRUE;
      return;
    }
  g_byte_array_append (state->received, g_bytes_get_data (chunk, NULL),
                       (guint) g_bytes_get_size (chunk));
  read_more (G_INPUT_STREAM (stream), state);
}

static void
read_more (GInputStream *in,
           SendState    *state)
{
  g_input_stream_read_bytes_async (in, 4096, G_PRIORITY_DEFAULT, NULL, read_done_cb, state);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           user_data)
{
  SendState *state = user_data;

  /* the printer reads until the till closes; the stream keeps the connection alive */
  g_object_set_data_full (G_OBJECT (service), "connection", g_object_ref (connection),
                          g_object_unref);
  read_more (g_io_stream_get_input_stream (G_IO_STREAM (connection)), state);
  return TRUE;
}

static void
test_tcp_output (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketService) service = g_socket_service_new ();
  TillReceipt r = known_receipt ("wechat_code");
  g_autoptr(GBytes) bytes = till_escpos_receipt (&r, TILL_ESCPOS_COLUMNS_58MM, &error);
  SendState state = { .loop = g_main_loop_new (NULL, FALSE), .received = g_byte_array_new () };
  g_autofree char *target = NULL;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (incoming_cb), &state);
  g_socket_service_start (service);

  target = g_strdup_printf ("127.0.0.1:%u", port);
  till_printer_send_async (target, bytes, 5, NULL, sent_cb, &state);
  g_main_loop_run (state.loop);
  g_assert_no_error (state.error);
  g_assert_true (state.ok);
  while (!state.closed)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpmem (state.received->data, state.received->len,
                   g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  /* nobody listening (a port that was just closed): a clear error, quickly */
  g_socket_service_stop (service);
  {
    g_autoptr(GSocketListener) gone = g_socket_listener_new ();

    port = g_socket_listener_add_any_inet_port (gone, NULL, &error);
    g_assert_no_error (error);
    g_socket_listener_close (gone);
  }
  g_free (target);
  target = g_strdup_printf ("127.0.0.1:%u", port);
  till_printer_send_async (target, bytes, 2, NULL, sent_cb, &state);
  g_main_loop_run (state.loop);
  g_assert_false (state.ok);
  g_assert_nonnull (state.error);
  g_assert_nonnull (strstr (state.error->message, target));
  g_clear_error (&state.error);

  g_byte_array_unref (state.received);
  g_main_loop_unref (state.loop);
}

int
main (int argc, char **argv)
{
  /* the golden receipt prints a local time: China Standard Time */
  g_setenv ("TZ", "CST-8", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/escpos/golden-58mm", test_golden_58mm);
  g_test_add_func ("/escpos/commands", test_commands);
  g_test_add_func ("/escpos/widths", test_widths);
  g_test_add_func ("/escpos/cash-rounding", test_cash_rounding);
  g_test_add_func ("/escpos/methods", test_methods);
  g_test_add_func ("/escpos/discounts", test_discounts);
  g_test_add_func ("/escpos/bad-text", test_bad_text);
  g_test_add_func ("/escpos/output/file", test_file_output);
  g_test_add_func ("/escpos/output/tcp", test_tcp_output);
  return g_test_run ();
}
