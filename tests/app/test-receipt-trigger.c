/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReceiptTrigger without a display: a paid cash sale's receipt goes to the printer the
 * settings name (a file here, read back), nothing is printed when no printer is set, and a
 * printer that cannot be written becomes a message for the cashier. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "till-receipt-trigger.h"
#include "till-test-app.h"

#define CHIPS "6924678006079"   /* 乐事薯片原味 70g, ¥7.50 */

typedef struct
{
  TillTestApp        *app;
  TillReceiptTrigger *trigger;
  GPtrArray          *printed;    /* sale numbers */
  GPtrArray          *messages;   /* the trigger's messages */
  int                 last_kind;
} Fixture;

static void
printed_cb (TillReceiptTrigger *trigger,
            const char         *number,
            Fixture            *fx)
{
  g_ptr_array_add (fx->printed, g_strdup (number));
}

static void
message_cb (TillReceiptTrigger *trigger,
            int                 kind,
            const char         *text,
            Fixture            *fx)
{
  fx->last_kind = kind;
  g_ptr_array_add (fx->messages, g_strdup (text));
}

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(TillReceiptPrinter) printer = NULL;

  fx->app = till_test_app_new (FALSE, NULL);
  printer = till_receipt_printer_new (fx->app->store, fx->app->settings);
  fx->trigger = till_receipt_trigger_new (fx->app->checkout, printer);
  fx->printed = g_ptr_array_new_with_free_func (g_free);
  fx->messages = g_ptr_array_new_with_free_func (g_free);
  fx->last_kind = -1;
  g_signal_connect (fx->trigger, "printed", G_CALLBACK (printed_cb), fx);
  g_signal_connect (fx->trigger, "message", G_CALLBACK (message_cb), fx);
  g_assert_true (till_receipt_trigger_get_checkout (fx->trigger) == fx->app->checkout);
  g_assert_true (till_receipt_trigger_get_printer (fx->trigger) == printer);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (fx->trigger, fx);
  g_clear_object (&fx->trigger);
  g_clear_pointer (&fx->app, till_test_app_free);
  g_ptr_array_unref (fx->printed);
  g_ptr_array_unref (fx->messages);
}

/* Scans the chips and pays ¥10 cash for ¥7.50; returns the sale number. */
static char *
cash_sale (Fixture *fx)
{
  g_autoptr(GError) error = NULL;
  char *number;

  till_test_app_scan (fx->app, CHIPS);
  number = g_strdup (till_sale_get_number (till_checkout_get_sale (fx->app->checkout)));
  g_assert_true (till_checkout_pay_cash (fx->app->checkout, 750, 1000, &error));
  g_assert_no_error (error);
  till_test_app_settle (fx->app);
  g_assert_cmpint (till_sale_get_state (till_checkout_get_sale (fx->app->checkout)), ==,
                   TILL_SALE_STATE_PAID);
  return number;
}

static gboolean
printed_or_said (TillTestApp *app,
                 gpointer     data)
{
  Fixture *fx = data;

  return fx->printed->len > 0 || fx->messages->len > 0;
}

static gboolean
memfind (const char *haystack,
         gsize       len,
         const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (haystack + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
test_prints_to_file (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fx->app->dir, "receipt.bin", NULL);
  g_autofree char *target = g_strconcat ("file:", path, NULL);
  g_autofree char *number = NULL;
  g_autofree char *qr = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  g_settings_set_string (fx->app->settings, "receipt-printer", target);
  number = cash_sale (fx);
  till_test_app_wait (fx->app, printed_or_said, fx, 10000, "the receipt");
  g_assert_cmpuint (fx->messages->len, ==, 0);
  g_assert_cmpuint (fx->printed->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fx->printed, 0), ==, number);

  /* ESC/POS: initialise first, the sale's number and its receipt code's QR inside, and a
   * cash sale ends with the drawer kick. */
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (len, >, 64);
  g_assert_cmpmem (contents, 2, "\x1B\x40", 2);
  g_assert_true (memfind (contents, len, number));
  qr = till_barcode_receipt_code (number);
  g_assert_true (memfind (contents, len, qr));
  g_assert_cmpmem (contents + len - 5, 5, "\x1B\x70\x00\x19\xFA", 5);
}

static void
test_nothing_without_printer (Fixture       *fx,
                              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fx->app->dir, "receipt.bin", NULL);
  g_autofree char *number = NULL;

  /* The default: no printer. */
  g_settings_set_string (fx->app->settings, "receipt-printer", "");
  number = cash_sale (fx);
  till_test_app_spin (500);
  g_assert_cmpuint (fx->printed->len, ==, 0);
  g_assert_cmpuint (fx->messages->len, ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_write_failure_is_a_message (Fixture       *fx,
                                 gconstpointer  data)
{
  g_autofree char *target = g_build_filename (fx->app->dir, "no-such-dir", "lp0", NULL);
  g_autofree char *number = NULL;
  g_autoptr(GError) error = NULL;
  TillSaleState state = TILL_SALE_STATE_OPEN;
  const char *text;

  g_settings_set_string (fx->app->settings, "receipt-printer", target);
  number = cash_sale (fx);
  till_test_app_wait (fx->app, printed_or_said, fx, 10000, "the printer's failure");
  g_assert_cmpuint (fx->printed->len, ==, 0);
  g_assert_cmpuint (fx->messages->len, ==, 1);
  g_assert_cmpint (fx->last_kind, ==, TILL_MESSAGE_ERROR);
  text = g_ptr_array_index (fx->messages, 0);
  g_assert_nonnull (strstr (text, "not printed"));
  g_assert_nonnull (strstr (text, "no-such-dir"));

  /* The sale is paid all the same. */
  g_assert_true (till_store_sale_get_state (fx->app->store,
                                            till_sale_get_id (till_checkout_get_sale (fx->app->checkout)),
                                            &state, &error));
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, TILL_SALE_STATE_PAID);
}

static void
test_system_needs_the_application (Fixture       *fx,
                                   gconstpointer  data)
{
  g_autofree char *number = NULL;

  /* Without the GTK layer's system printer, "system" says why instead of printing. */
  g_settings_set_string (fx->app->settings, "receipt-printer", "system");
  number = cash_sale (fx);
  till_test_app_wait (fx->app, printed_or_said, fx, 10000, "the refusal");
  g_assert_cmpuint (fx->printed->len, ==, 0);
  g_assert_cmpuint (fx->messages->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (fx->messages, 0), "system printer"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/receipt-trigger/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("prints-to-file", test_prints_to_file);
  ADD ("nothing-without-printer", test_nothing_without_printer);
  ADD ("write-failure-is-a-message", test_write_failure_is_a_message);
  ADD ("system-needs-the-application", test_system_needs_the_application);
#undef ADD
  return g_test_run ();
}
