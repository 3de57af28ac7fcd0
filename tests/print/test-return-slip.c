/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The slip of a return without a receipt: its bytes against a reviewed golden file, the
 * commands in them (drawer kick: cash goes out), its text, and printed to a file through
 * the receipt printer's settings. */
#define G_LOG_DOMAIN "test-return-slip"
#define _GNU_SOURCE 1

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "till-return-slip.h"
#include "till-test-store.h"

static TillReturn *
known_return (void)
{
  TillReturn *r = till_return_new ();
  guint i;

  g_assert_true (till_return_add_line (r, 1, "6921168509256", "农夫山泉 550ml", "件", FALSE, 2000,
                                       200, NULL, NULL));
  g_assert_true (till_return_add_line (r, 2, "6903148126622", "奥利奥饼干", "件", FALSE, 1000,
                                       990, &i, NULL));
  g_assert_true (till_return_set_price (r, i, 945, NULL));
  g_assert_true (till_return_add_line (r, 3, NULL, "五花肉", "kg", TRUE, 455, 3380, NULL, NULL));
  r->number = g_strdup ("R20261121-0001");
  /* 2026-11-21 10:00:00 China Standard Time */
  r->at = G_GINT64_CONSTANT (1795226400) * G_USEC_PER_SEC;
  r->cashier = g_strdup ("小王");
  r->manager = g_strdup ("店长");
  r->reason = g_strdup ("Faulty or damaged: 包装破损");
  r->rounding_fen = -3;
  g_assert_cmpint (r->amount_fen, ==, 2883);
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
contains (GBytes     *bytes,
          const void *needle,
          gsize       n)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return n <= len && memmem (data, len, needle, n) != NULL;
}

static gboolean
contains_text (GBytes     *bytes,
               const char *utf8)
{
  g_autofree char *gb = g_convert (utf8, -1, "GB18030", "UTF-8", NULL, NULL, NULL);

  return gb != NULL && contains (bytes, gb, strlen (gb));
}

static void
test_golden (void)
{
  g_autoptr(TillReturn) r = known_return ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = till_return_slip_escpos (r, "便利店 Corner Shop",
                                                     TILL_ESCPOS_COLUMNS_58MM, &error);
  g_autoptr(GBytes) golden = NULL;

  g_assert_no_error (error);
  if (g_getenv ("TILL_WRITE_GOLDEN") != NULL)
    {
      /* once, by hand: TILL_WRITE_GOLDEN=dir; then review the bytes with xxd */
      g_autofree char *path = g_build_filename (g_getenv ("TILL_WRITE_GOLDEN"),
                                                "return-slip-58mm.bin", NULL);

      g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                           &error);
      g_assert_no_error (error);
    }
  golden = fixture_bytes ("return-slip-58mm.bin");
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   g_bytes_get_data (golden, NULL), g_bytes_get_size (golden));
}

static void
test_commands (void)
{
  g_autoptr(TillReturn) r = known_return ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = till_return_slip_escpos (r, "便利店", TILL_ESCPOS_COLUMNS_58MM,
                                                     &error);
  const guint8 init[] = { 0x1B, 0x40, 0x1C, 0x26 };       /* ESC @, FS & */
  const guint8 bold_on[] = { 0x1B, 0x45, 0x01 };
  const guint8 cut[] = { 0x1D, 0x56, 0x42, 0x00 };
  const guint8 kick[] = { 0x1B, 0x70, 0x00, 0x19, 0xFA };
  const guint8 *data;
  gsize len;

  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpmem (data, 4, init, 4);
  /* cut, then the drawer: the cash handed back comes out of it */
  g_assert_cmpmem (data + len - 9, 4, cut, 4);
  g_assert_cmpmem (data + len - 5, 5, kick, 5);
  g_assert_true (contains (bytes, bold_on, sizeof bold_on));
  g_assert_true (contains_text (bytes, "Return without receipt"));
  g_assert_true (contains_text (bytes, "No. R20261121-0001"));
  g_assert_true (contains_text (bytes, "Approved by 店长"));
  g_assert_true (contains_text (bytes, "奥利奥饼干"));
  /* each money line right flush on 32 columns */
  g_assert_true (contains_text (bytes, "  1 x 9.45                  9.45\n"));
  g_assert_true (contains_text (bytes, "  (price 9.90 lowered)\n"));
  g_assert_true (contains_text (bytes, "  0.455kg x 33.80          15.38\n"));
  g_assert_true (contains_text (bytes, "Total returned             28.83\n"));
  g_assert_true (contains_text (bytes, "Rounding                   -0.03\n"));
  g_assert_true (contains_text (bytes, "Cash handed back           28.80\n"));
  g_assert_true (contains_text (bytes, "Reason: Faulty or damaged: 包装破损"));
  /* water was not lowered: no "lowered" line after it */
  g_assert_false (contains_text (bytes, "(price 2.00 lowered)"));

  /* 80 mm: 48 columns */
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = till_return_slip_escpos (r, "便利店", TILL_ESCPOS_COLUMNS_80MM, &error);
  g_assert_true (contains_text (bytes, "Cash handed back                           28.80\n"));
}

static void
test_text (void)
{
  g_autoptr(TillReturn) r = known_return ();
  g_autofree char *text = till_return_slip_to_text (r, "便利店", 32);

  g_assert_true (g_str_has_prefix (text, "便利店\nReturn without receipt\nNo. R20261121-0001\n"
                                         "Time 2026-11-21 10:00:00\nCashier 小王\n"
                                         "Approved by 店长\n"));
  g_assert_nonnull (strstr (text, "Cash handed back           28.80\n"));
  g_assert_nonnull (strstr (text, "Customer's signature:"));
}

typedef struct
{
  GMainLoop *loop;
  gboolean   ok;
  GError    *error;
} Wait;

static void
printed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = till_return_slip_print_finish (result, &w->error);
  g_main_loop_quit (w->loop);
}

static void
test_print_to_file (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autoptr(TillStore) store = till_test_store_open_tmp ("till-slip-XXXXXX", &dir, &db);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.tillpoint.Tillpoint");
  g_autoptr(TillReceiptPrinter) printer = till_receipt_printer_new (store, settings);
  g_autoptr(TillReturn) r = known_return ();
  g_autofree char *path = g_build_filename (dir, "slip.bin", NULL);
  g_autofree char *target = g_strconcat ("file:", path, NULL);
  g_autoptr(GBytes) expected = till_return_slip_escpos (r, "便利店", 32, NULL);
  g_autofree char *written = NULL;
  gsize len = 0;
  Wait w = { g_main_loop_new (NULL, FALSE), FALSE, NULL };

  /* printing off: said, nothing written */
  g_settings_set_string (settings, "receipt-printer", "");
  till_return_slip_print_async (printer, r, "便利店", NULL, NULL, printed_cb, &w);
  g_main_loop_run (w.loop);
  g_assert_false (w.ok);
  g_assert_error (w.error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
  g_clear_error (&w.error);

  g_settings_set_string (settings, "receipt-printer", target);
  g_settings_set_uint (settings, "receipt-width", 58);
  till_return_slip_print_async (printer, r, "便利店", NULL, NULL, printed_cb, &w);
  g_main_loop_run (w.loop);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
  g_assert_true (g_file_get_contents (path, &written, &len, NULL));
  g_assert_cmpmem (written, len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));

  g_main_loop_unref (w.loop);
  g_unlink (path);
  g_clear_object (&printer);
  g_clear_object (&store);
  till_test_store_remove_tmp (dir, db);
}

int
main (int argc, char **argv)
{
  /* the golden slip prints a local time: China Standard Time */
  g_setenv ("TZ", "CST-8", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/return-slip/golden-58mm", test_golden);
  g_test_add_func ("/return-slip/commands", test_commands);
  g_test_add_func ("/return-slip/text", test_text);
  g_test_add_func ("/return-slip/print-to-file", test_print_to_file);
  return g_test_run ();
}
