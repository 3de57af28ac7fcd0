/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the UI helpers that need no display: quantity parsing, quick cash amounts,
 * the context's reading of the settings. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>

#include "till-cash-window.h"
#include "till-context.h"
#include "till-receipt-printer.h"
#include "till-renderer.h"
#include "till-ui-util.h"

static void
assert_qty (const char *text,
            gboolean    weighed,
            gint64      expected)
{
  g_autoptr(GError) error = NULL;
  gint64 qty = -1;

  g_assert_true (till_ui_parse_qty (text, weighed, &qty, &error));
  g_assert_no_error (error);
  g_assert_cmpint (qty, ==, expected);
}

static void
assert_bad_qty (const char *text,
                gboolean    weighed)
{
  g_autoptr(GError) error = NULL;
  gint64 qty = -1;

  g_assert_false (till_ui_parse_qty (text, weighed, &qty, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_QUANTITY);
  g_assert_cmpint (qty, ==, -1);
}

static void
test_parse_qty_counted (void)
{
  assert_qty ("1", FALSE, 1000);
  assert_qty (" 12 ", FALSE, 12000);
  assert_qty ("99999", FALSE, 99999000);
  assert_bad_qty ("1.5", FALSE);
  assert_bad_qty ("0", FALSE);
  assert_bad_qty ("", FALSE);
  assert_bad_qty ("-2", FALSE);
  assert_bad_qty ("3x", FALSE);
  assert_bad_qty ("100000", FALSE);
}

static void
test_parse_qty_weighed (void)
{
  assert_qty ("0.455", TRUE, 455);
  assert_qty ("1,2", TRUE, 1200);
  assert_qty ("2", TRUE, 2000);
  assert_qty ("0.5", TRUE, 500);
  assert_qty (".75", TRUE, 750);
  assert_bad_qty ("0.4555", TRUE);
  assert_bad_qty ("0.000", TRUE);
  assert_bad_qty ("1.2.3", TRUE);
  assert_bad_qty ("kg", TRUE);
  assert_bad_qty (".", TRUE);
}

static void
assert_amounts (gint64        due,
                const gint64 *expected,
                guint         n_expected)
{
  g_autoptr(GArray) amounts = till_cash_window_quick_amounts (due);

  g_assert_cmpuint (amounts->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    g_assert_cmpint (g_array_index (amounts, gint64, i), ==, expected[i]);
}

static void
test_quick_amounts (void)
{
  const gint64 a[] = { 3750, 4000, 5000, 10000 };
  const gint64 b[] = { 2000, 3000, 4000, 5000, 10000 };
  const gint64 c[] = { 349, 1000, 2000, 5000, 10000 };
  const gint64 d[] = { 12345, 13000, 14000, 15000, 20000 };

  assert_amounts (3750, a, G_N_ELEMENTS (a));
  assert_amounts (2000, b, G_N_ELEMENTS (b));
  assert_amounts (349, c, G_N_ELEMENTS (c));
  assert_amounts (12345, d, G_N_ELEMENTS (d));
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *counter)
{
  (*counter)++;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
test_context_settings (void)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = g_settings_new_with_backend (APPLICATION_ID, backend);
  g_autofree char *dir = g_dir_make_tmp ("till-ui-unit-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "tillpoint.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = till_store_open (path, &error);
  g_autoptr(TillContext) context = NULL;
  TillEmbeddedLayout layout;
  guint notified = 0;

  g_assert_no_error (error);
  context = till_context_new (store, settings, NULL, dir, TRUE);

  g_assert_true (till_context_get_store (context) == store);
  g_assert_true (TILL_IS_SCANNER_HUB (till_context_get_scanner_hub (context)));
  g_assert_true (till_context_get_demo (context));
  g_assert_cmpstr (till_context_get_data_dir (context), ==, dir);
  g_assert_cmpstr (till_context_get_till_id (context), ==, "01");

  layout = till_context_get_embedded_layout (context);
  g_assert_cmpuint (layout.item_digits, ==, 6);
  g_assert_cmpint (layout.value_kind, ==, TILL_EMBEDDED_WEIGHT_GRAMS);

  g_settings_set_uint (settings, "embedded-item-digits", 5);
  g_settings_set_enum (settings, "embedded-value-kind", 1);
  layout = till_context_get_embedded_layout (context);
  g_assert_cmpuint (layout.item_digits, ==, 5);
  g_assert_cmpint (layout.value_kind, ==, TILL_EMBEDDED_PRICE_FEN);

  /* Cash to the jiao unless the shop says otherwise. */
  g_assert_cmpint (till_context_get_cash_rounding (context), ==, TILL_CASH_ROUNDING_JIAO);
  g_settings_set_enum (settings, "cash-rounding", TILL_CASH_ROUNDING_YUAN_DOWN);
  g_assert_cmpint (till_context_get_cash_rounding (context), ==, TILL_CASH_ROUNDING_YUAN_DOWN);
  g_settings_set_string (settings, "cash-rounding", "none");
  g_assert_cmpint (till_context_get_cash_rounding (context), ==, TILL_CASH_ROUNDING_NONE);

  g_signal_connect (context, "notify::till-id", G_CALLBACK (count_notify_cb), &notified);
  g_settings_set_string (settings, "till-id", "07");
  g_assert_cmpstr (till_context_get_till_id (context), ==, "07");
  g_assert_cmpuint (notified, ==, 1);
  g_settings_set_string (settings, "till-id", "  ");
  g_assert_cmpstr (till_context_get_till_id (context), ==, "01");

  g_clear_object (&context);
  g_clear_object (&store);
  remove_tree (dir);
}

/* The text receipt (system printer) shows the cash rounding and the cash it came to, and
 * the change from it. */
static void
test_receipt_text_rounding (void)
{
  const TillReceiptLine line = { "礼盒", 1000, 3001, 3001, FALSE };
  TillReceipt r = {
    .store_name = "好邻居便利店", .sale_number = "20261121-0007",
    .at_us = G_GINT64_CONSTANT (1795223100) * G_USEC_PER_SEC, .lines = &line, .n_lines = 1,
    .total_fen = 3001, .method = "cash", .tendered_fen = 5000,
  };
  g_autofree char *plain = till_receipt_to_text (&r, 32);
  g_autofree char *rounded = NULL;

  g_assert_null (strstr (plain, "Rounding"));
  g_assert_nonnull (strstr (plain, "¥19.99\n"));
  r.cash_rounding_fen = -1;
  rounded = till_receipt_to_text (&r, 32);
  g_assert_nonnull (strstr (rounded, "Rounding"));
  g_assert_nonnull (strstr (rounded, "-¥0.01\n"));
  g_assert_nonnull (strstr (rounded, "Cash received"));
  g_assert_nonnull (strstr (rounded, "¥30.00\n"));
  g_assert_nonnull (strstr (rounded, "¥20.00\n"));
  g_assert_null (strstr (rounded, "¥19.99"));
}

/* GL_RENDERER strings as drivers give them: the CPU rasterizers and real GPUs. */
static void
test_renderer_software_names (void)
{
  g_assert_true (till_renderer_is_software ("llvmpipe (LLVM 15.0.6, 256 bits)"));
  g_assert_true (till_renderer_is_software ("softpipe"));
  g_assert_true (till_renderer_is_software ("Software Rasterizer"));
  g_assert_true (till_renderer_is_software ("Mesa X11 swrast"));
  g_assert_true (till_renderer_is_software ("Google SwiftShader"));
  g_assert_true (till_renderer_is_software ("ANGLE (Microsoft Basic Render Driver)"));
  g_assert_false (till_renderer_is_software ("Mesa Intel(R) UHD Graphics 600 (GLK 2)"));
  g_assert_false (till_renderer_is_software ("AMD Radeon Vega 8 Graphics (raven, LLVM 15.0.6)"));
  g_assert_false (till_renderer_is_software ("Mali-G52 (Panfrost)"));
  g_assert_false (till_renderer_is_software ("virgl (Intel(R) HD Graphics 620)"));
  g_assert_false (till_renderer_is_software (""));
  g_assert_false (till_renderer_is_software (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/units/parse-qty/counted", test_parse_qty_counted);
  g_test_add_func ("/ui/units/parse-qty/weighed", test_parse_qty_weighed);
  g_test_add_func ("/ui/units/cash/quick-amounts", test_quick_amounts);
  g_test_add_func ("/ui/units/context/settings", test_context_settings);
  g_test_add_func ("/ui/units/receipt/text-rounding", test_receipt_text_rounding);
  g_test_add_func ("/ui/units/renderer/software-names", test_renderer_software_names);

  return g_test_run ();
}
