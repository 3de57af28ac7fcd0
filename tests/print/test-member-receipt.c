/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A member's receipt (issue 16): the member line with the masked phone, the stored value
 * paid, a top-up with its bonus, the card's balance after the sale and the points earned,
 * as text and as ESC/POS bytes on 58 and 80 mm paper; then sales of a real store printed
 * to a file and to the system printer's text, with the balances read from the ledgers.
 * The member's whole phone number reaches neither the paper nor the log. */
#define G_LOG_DOMAIN "test-member-receipt"
#define _GNU_SOURCE 1

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "till-core.h"
#include "till-receipt-printer.h"
#include "till-report.h"
#include "till-store-members.h"
#include "till-store-payments.h"
#include "till-store-stored-value.h"
#include "till-test-store.h"

#define PHONE "13800138000"
#define MASKED "138****8000"

/* Every log message of the process, checked for the phone number at the end. */
static GString *all_logs;

static GLogWriterOutput
log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].value != NULL)
      {
        if (fields[i].length < 0)
          g_string_append (all_logs, fields[i].value);
        else
          g_string_append_len (all_logs, fields[i].value, fields[i].length);
        g_string_append_c (all_logs, '\n');
      }
  if ((level & G_LOG_LEVEL_DEBUG) != 0)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static gboolean
contains (GBytes *bytes, const char *needle)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return strlen (needle) <= len && memmem (data, len, needle, strlen (needle)) != NULL;
}

static gboolean
contains_text (GBytes *bytes, const char *utf8)
{
  g_autofree char *gb = g_convert (utf8, -1, "GB18030", "UTF-8", NULL, NULL, NULL);

  return gb != NULL && contains (bytes, gb);
}

/* Every line of `text` within `columns`. */
static void
assert_fits (const char *text, guint columns)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpuint (till_text_width (lines[i]), <=, columns);
}

/* The line of `text` that starts with `left`, which must end with `right`. */
static void
assert_pair (const char *text, const char *left, const char *right)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], left) && g_str_has_suffix (lines[i], right))
      return;
  g_error ("no line \"%s … %s\" in:\n%s", left, right, text);
}

static gboolean
has_line_starting (const char *text, const char *left)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], left))
      return TRUE;
  return FALSE;
}

static const TillReceiptLine cake[] = {
  { "生日蛋糕", 1000, 5000, 5000, FALSE },
};

static void
test_layout (void)
{
  TillReceipt r = {
    .store_name = "好邻居便利店",
    .sale_number = "20261203-0002",
    .at_us = G_GINT64_CONSTANT (1796263200) * G_USEC_PER_SEC,
    .cashier = "小王",
    .lines = cake,
    .n_lines = 1,
    .total_fen = 5000,
    .method = "cash",
    .tendered_fen = 3000,
    .member_name = "张伟",
    .member_phone_masked = MASKED,
    .stored_value_fen = 2500,
    .show_balance = TRUE,
    .balance_fen = 19500,
    .points_earned = 100,
  };
  guint widths[] = { TILL_ESCPOS_COLUMNS_58MM, TILL_ESCPOS_COLUMNS_80MM };

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *text = till_receipt_to_text (&r, widths[w]);
      g_autoptr (GBytes) bytes = till_escpos_receipt (&r, widths[w], &error);
      g_autofree char *member = g_strdup_printf ("Member 张伟 %s", MASKED);

      g_assert_no_error (error);
      assert_fits (text, widths[w]);
      g_assert_nonnull (strstr (text, member));
      assert_pair (text, "Stored value", "25.00");
      assert_pair (text, "Stored value balance", "195.00");
      assert_pair (text, "Points earned", "100");
      g_assert_null (strstr (text, PHONE));

      g_assert_true (contains_text (bytes, member));
      g_assert_true (contains_text (bytes, "Stored value balance"));
      g_assert_true (contains (bytes, "195.00"));
      g_assert_true (contains_text (bytes, "Points earned"));
      g_assert_false (contains (bytes, PHONE));
    }

  /* without a member: none of the member's lines */
  r.member_name = NULL;
  r.member_phone_masked = NULL;
  r.stored_value_fen = 0;
  r.show_balance = FALSE;
  r.points_earned = 0;
  {
    g_autofree char *text = till_receipt_to_text (&r, TILL_ESCPOS_COLUMNS_58MM);
    g_autoptr (GBytes) bytes = till_escpos_receipt (&r, TILL_ESCPOS_COLUMNS_58MM, NULL);

    g_assert_null (strstr (text, "Member"));
    g_assert_null (strstr (text, "balance"));
    g_assert_false (contains (bytes, "Member"));
    g_assert_false (contains (bytes, "Points"));
  }

  /* a top-up: its line is the top-up, with the bonus and the new balance */
  {
    TillReceipt t = {
      .store_name = "好邻居便利店",
      .sale_number = "20261203-0001",
      .at_us = G_GINT64_CONSTANT (1796263200) * G_USEC_PER_SEC,
      .total_fen = 20000,
      .method = "wechat_code",
      .tendered_fen = 20000,
      .member_name = "张伟",
      .member_phone_masked = MASKED,
      .topup_fen = 20000,
      .topup_bonus_fen = 2000,
      .show_balance = TRUE,
      .balance_fen = 22000,
    };
    TillReceiptLine line = { "Stored value top-up", 1000, 20000, 20000, FALSE };
    g_autofree char *text = NULL;
    g_autoptr (GBytes) bytes = NULL;

    t.lines = &line;
    t.n_lines = 1;
    text = till_receipt_to_text (&t, TILL_ESCPOS_COLUMNS_80MM);
    bytes = till_escpos_receipt (&t, TILL_ESCPOS_COLUMNS_80MM, NULL);
    assert_fits (text, TILL_ESCPOS_COLUMNS_80MM);
    assert_pair (text, "Stored value top-up", "200.00");
    assert_pair (text, "Bonus", "20.00");
    assert_pair (text, "Stored value balance", "220.00");
    g_assert_false (has_line_starting (text, "  1 x")); /* the line is not listed */
    g_assert_false (has_line_starting (text, "Points earned"));
    g_assert_true (contains_text (bytes, "Bonus"));
    g_assert_true (contains (bytes, "220.00"));
    g_assert_false (contains (bytes, PHONE));
  }
}

/* ---- sales of a real store, printed ---- */

typedef struct
{
  GMainLoop *loop;
  char *number;
  GError *error;
} Wait;

static char *system_text;

static void
system_print (const char *job_name, const char *text, gpointer parent, GCancellable *cancellable,
              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_free (system_text);
  system_text = g_strdup (text);
  g_task_return_boolean (task, TRUE);
}

static gboolean
system_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
printed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;

  w->number
      = till_receipt_printer_print_sale_finish (TILL_RECEIPT_PRINTER (object), result, &w->error);
  g_main_loop_quit (w->loop);
}

static void
print_sale (TillReceiptPrinter *printer, const char *number)
{
  Wait w = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  till_receipt_printer_print_sale_async (printer, number, TRUE, NULL, NULL, printed_cb, &w);
  g_main_loop_run (w.loop);
  g_assert_no_error (w.error);
  g_assert_cmpstr (w.number, ==, number);
  g_free (w.number);
  g_main_loop_unref (w.loop);
}

static GBytes *
print_to_file (TillReceiptPrinter *printer, GSettings *settings, const char *path,
               const char *number, guint width)
{
  g_autofree char *target = g_strconcat ("file:", path, NULL);
  char *data = NULL;
  gsize len = 0;

  g_settings_set_string (settings, "receipt-printer", target);
  g_settings_set_uint (settings, "receipt-width", width);
  print_sale (printer, number);
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  return g_bytes_new_take (data, len);
}

static const char *
print_to_text (TillReceiptPrinter *printer, GSettings *settings, const char *number, guint width)
{
  g_settings_set_string (settings, "receipt-printer", "system");
  g_settings_set_uint (settings, "receipt-width", width);
  print_sale (printer, number);
  assert_fits (system_text, width == 80 ? TILL_ESCPOS_COLUMNS_80MM : TILL_ESCPOS_COLUMNS_58MM);
  g_assert_null (strstr (system_text, PHONE));
  return system_text;
}

static TillSale *
member_sale (TillStore *store, TillMember *m, const char *name, gint64 amount_fen)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *number = till_store_next_sale_number (store, till_clock_now_us (), &error);
  g_autofree char *masked = till_phone_mask (m->phone);
  g_autoptr (TillSaleLine) line = NULL;
  g_autoptr (TillSaleMember) sm = NULL;
  TillSale *sale;

  g_assert_no_error (error);
  sale = till_sale_new (number);
  till_sale_set_opened_at (sale, till_clock_now_us ());
  line = till_sale_line_new (0, NULL, name, NULL, amount_fen, 1000, FALSE);
  g_assert_cmpuint (till_sale_add_line (sale, line, &error), !=, G_MAXUINT);
  g_assert_no_error (error);
  sm = till_sale_member_new (m->id, m->code, m->name, masked, m->level_id, m->level_name);
  till_sale_set_member (sale, sm);
  return sale;
}

static void
test_printed_from_store (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autoptr (TillStore) store = till_test_store_open_tmp ("till-member-receipt-XXXXXX", &dir, &db);
  g_autoptr (GSettings) settings = g_settings_new ("io.github.tillpoint.Tillpoint");
  g_autoptr (TillReceiptPrinter) printer = till_receipt_printer_new (store, settings);
  g_autofree char *path = g_build_filename (dir, "receipt.bin", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TillMember) m = NULL;
  g_autoptr (TillSale) topup = NULL;
  g_autoptr (TillSale) sale = NULL;
  g_autoptr (TillSale) card_only = NULL;
  g_autoptr (TillSale) plain = NULL;
  g_autoptr (GBytes) bytes = NULL;
  TillMemberFields f = { "张伟", "138 0013 8000", NULL, 0, NULL, TRUE };
  gint64 level, member_id, paid_part = 0, bonus_part = 0;
  const char *text;

  till_receipt_printer_set_system_print (printer, system_print, system_finish);
  level = till_store_add_member_level (store, "Gold", 0, 0, 2, &error);
  g_assert_no_error (error);
  f.level_id = level;
  member_id = till_store_add_member (store, &f, NULL, "Li", &error);
  g_assert_no_error (error);
  m = till_store_get_member (store, member_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (m->phone, ==, PHONE);

  /* ¥200 put on the card with the ¥20 bonus, paid in cash */
  topup = member_sale (store, m, "Stored value top-up", 20000);
  till_sale_set_kind (topup, TILL_SALE_KIND_TOPUP);
  till_sale_set_topup_bonus_fen (topup, 2000);
  g_assert_true (till_store_add_cash_payment (store, topup, 20000, 20000, &error));
  g_assert_no_error (error);
  bytes = print_to_file (printer, settings, path, till_sale_get_number (topup), 58);
  g_assert_true (contains_text (bytes, "Member 张伟 " MASKED));
  g_assert_true (contains_text (bytes, "Stored value top-up"));
  g_assert_true (contains (bytes, "200.00"));
  g_assert_true (contains_text (bytes, "Bonus"));
  g_assert_true (contains (bytes, "20.00"));
  g_assert_true (contains_text (bytes, "Stored value balance"));
  g_assert_true (contains (bytes, "220.00"));
  g_assert_false (contains (bytes, PHONE));
  g_assert_false (contains_text (bytes, "Points earned"));
  text = print_to_text (printer, settings, till_sale_get_number (topup), 58);
  assert_pair (text, "Stored value top-up", "200.00");
  assert_pair (text, "Bonus", "20.00");
  assert_pair (text, "Stored value balance", "220.00");

  /* ¥50 of goods: ¥25 from the card, ¥25 in cash (¥30 given); 50 yuan × 2 points */
  sale = member_sale (store, m, "生日蛋糕", 5000);
  g_assert_cmpint (till_store_add_stored_value_payment (store, sale, 2500, "Li", &paid_part,
                                                        &bonus_part, &error),
                   >, 0);
  g_assert_no_error (error);
  g_assert_true (till_store_add_cash_payment (store, sale, 2500, 3000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_PAID);

  /* ¥10 all from the card, after it */
  card_only = member_sale (store, m, "牛奶", 1000);
  g_assert_cmpint (till_store_add_stored_value_payment (store, card_only, 1000, "Li", &paid_part,
                                                        &bonus_part, &error),
                   >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_state (card_only), ==, TILL_SALE_STATE_PAID);

  /* the ¥50 sale's receipt, printed after the ¥10 one: the balance right after it */
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = print_to_file (printer, settings, path, till_sale_get_number (sale), 80);
  g_assert_true (contains_text (bytes, "Member 张伟 " MASKED));
  g_assert_true (contains (bytes, "25.00"));
  g_assert_true (contains (bytes, "195.00"));
  g_assert_false (contains (bytes, "185.00"));
  g_assert_true (contains_text (bytes, "Points earned"));
  g_assert_false (contains (bytes, PHONE));
  text = print_to_text (printer, settings, till_sale_get_number (sale), 80);
  assert_pair (text, "Stored value", "25.00");
  assert_pair (text, "Cash", "¥25.00"); /* the rest: ¥25 in cash, ¥30 given */
  assert_pair (text, "Tendered", "¥30.00");
  assert_pair (text, "Change", "¥5.00");
  assert_pair (text, "Stored value balance", "195.00");
  assert_pair (text, "Points earned", "100");

  /* paid by the card alone: the method line says so, the balance is what is left */
  text = print_to_text (printer, settings, till_sale_get_number (card_only), 58);
  assert_pair (text, "Stored value", "¥10.00");
  assert_pair (text, "Stored value balance", "185.00");
  assert_pair (text, "Points earned", "20");
  {
    TillMemberBalance b;

    g_assert_true (till_store_member_balance (store, member_id, &b, &error));
    g_assert_no_error (error);
    g_assert_cmpint (b.paid_fen + b.bonus_fen, ==, 18500);
  }

  /* a sale without a member prints none of it */
  {
    g_autofree char *number = till_store_next_sale_number (store, till_clock_now_us (), &error);
    g_autoptr (TillSaleLine) line = till_sale_line_new (0, NULL, "可乐", NULL, 300, 1000, FALSE);

    plain = till_sale_new (number);
    till_sale_set_opened_at (plain, till_clock_now_us ());
    g_assert_cmpuint (till_sale_add_line (plain, line, &error), !=, G_MAXUINT);
    g_assert_true (till_store_add_cash_payment (store, plain, 300, 300, &error));
    g_assert_no_error (error);
  }
  text = print_to_text (printer, settings, till_sale_get_number (plain), 58);
  g_assert_null (strstr (text, "Member"));
  g_assert_null (strstr (text, "balance"));

  g_unlink (path);
  g_clear_object (&printer);
  g_clear_object (&store);
  till_test_store_remove_tmp (dir, db);
}

/* Last: nothing the tests above did logged the whole phone number. */
static void
test_no_phone_in_log (void)
{
  g_assert_cmpuint (all_logs->len, >, 0);
  g_assert_null (strstr (all_logs->str, PHONE));
}

int
main (int argc, char **argv)
{
  int status;

  all_logs = g_string_new (NULL);
  g_log_set_writer_func (log_writer, NULL, NULL);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_setenv ("TZ", "CST-8", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/member-receipt/layout", test_layout);
  g_test_add_func ("/member-receipt/printed-from-store", test_printed_from_store);
  g_test_add_func ("/member-receipt/no-phone-in-log", test_no_phone_in_log);
  status = g_test_run ();
  g_free (system_text);
  g_string_free (all_logs, TRUE);
  return status;
}
