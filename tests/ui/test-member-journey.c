/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue 16's journey on Xvfb, in the demo set-up (the in-process simulator, the demo
 * phone): a member found by scanning the QR of their member code (rendered, then decoded
 * by zbar as the camera does, then fed to the till as a scan); a top-up of ¥200 rung up in
 * the member window (Ctrl+M, the amount, Alt+T) and paid by a demo-phone WeChat Pay code,
 * which the rule "pay 200, get 20" makes ¥220 on the card; a sale paid half from the card
 * (the amount, the phone's last 4 digits, Alt+S) and half in cash (F8); its refund. The
 * member's balances, both ledgers, the stored-value report and the simulator's ledger
 * agree to the fen; the cashier window and the customer display show the member with the
 * phone masked. Screenshots: member-journey-window.png, member-journey-cashier.png. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <json-glib/json-glib.h>
#include <X11/Xlib.h>

#include "till-cash-window.h"
#include "till-demo.h"
#include "till-day-close-window.h"
#include "till-demo-phone.h"
#include "till-frame-decoder.h"
#include "till-member-window.h"
#include "till-refund-service.h"
#include "till-report-window.h"
#include "till-store-member-reports.h"
#include "till-store-members.h"
#include "till-store-stored-value.h"
#include "till-ui-test.h"
#include "till-ui-util.h"

#define COLA_EAN  "6954767002057"   /* 可口可乐 500ml */
#define CHIPS_EAN "6924678006079"   /* 乐事薯片原味 70g */

#define WAIT_MS      8000
#define PAY_WAIT_MS 25000

static char *demo_dir;

/* The member code as a QR on a card, seen by the camera: rendered, then decoded by zbar. */
static char *
scan_member_qr (const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = till_ui_qr_texture (code, 6, &error);
  g_autoptr(TillFrameDecoder) decoder = till_frame_decoder_new ();
  g_autoptr(GPtrArray) found = NULL;
  int w, h;
  g_autofree guint8 *argb = NULL;
  g_autofree guint8 *gray = NULL;

  g_assert_no_error (error);
  w = gdk_texture_get_width (texture);
  h = gdk_texture_get_height (texture);
  argb = g_malloc ((gsize) w * h * 4);
  gray = g_malloc ((gsize) w * h);
  gdk_texture_download (texture, argb, (gsize) w * 4);
  for (int i = 0; i < w * h; i++)
    gray[i] = argb[4 * i + 1];
  found = till_frame_decoder_decode (decoder, gray, w, h, w);
  g_assert_nonnull (found);
  g_assert_cmpuint (found->len, ==, 1);
  return g_strdup (g_ptr_array_index (found, 0));
}

static gint64
query_int (TillUiFixture *f,
           const char    *sql,
           const char    *param)
{
  g_autofree char *text = till_ui_query_text (f, sql, param);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : G_MININT64;
}

static void
assert_card (TillUiFixture *f,
             gint64         member,
             gint64         paid,
             gint64         bonus,
             gint64         points)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, member);
  TillMemberBalance b;

  g_assert_true (till_store_member_balance (f->store, member, &b, &error));
  g_assert_no_error (error);
  g_assert_cmpint (b.paid_fen, ==, paid);
  g_assert_cmpint (b.bonus_fen, ==, bonus);
  g_assert_cmpint (b.points, ==, points);
  /* the ledgers' sums, read from the file */
  g_assert_cmpint (query_int (f, "SELECT coalesce (sum (paid_fen), 0) FROM stored_value_move"
                                 " WHERE member_id = ?1", id), ==, paid);
  g_assert_cmpint (query_int (f, "SELECT coalesce (sum (bonus_fen), 0) FROM stored_value_move"
                                 " WHERE member_id = ?1", id), ==, bonus);
  g_assert_cmpint (query_int (f, "SELECT coalesce (sum (points), 0) FROM points_move"
                                 " WHERE member_id = ?1", id), ==, points);
}

static void
refund_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  char **message = user_data;
  g_autoptr(GError) error = NULL;

  *message = till_refund_service_refund_finish (TILL_REFUND_SERVICE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_journey (void)
{
  TillDemo *demo = NULL;
  char device_id[8];
  TillUiFixture *f;
  TillDemoPhone *phone;
  TillMemberWindow *w;
  TillCashWindow *cash;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillMember) m = NULL;
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(TillMemberReport) report = NULL;
  g_autofree char *scanned = NULL;
  g_autofree char *topup_number = NULL;
  g_autofree char *sale_number = NULL;
  g_autofree char *otn = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *refunded = NULL;
  g_autofree char *today = NULL;
  TillMemberFields fields = { "张伟", "13800138000", NULL, 0, NULL, TRUE };
  gint64 member, total, half, paid_part, bonus_part;

  g_snprintf (device_id, sizeof device_id, "M%02u01",
              (guint) (g_get_real_time () / G_USEC_PER_SEC % 100));
  f = till_ui_fixture_new_demo_sim (demo_dir, device_id, &demo);
  member = till_store_add_member (f->store, &fields, NULL, "王店长", &error);
  g_assert_no_error (error);
  g_assert_cmpint (till_store_add_topup_rule (f->store, 20000, 2000, "王店长", &error), >, 0);
  g_assert_no_error (error);
  m = till_store_get_member (f->store, member, &error);
  g_assert_no_error (error);

  phone = till_demo_new_phone (demo, f->context, f->display);
  gtk_window_present (GTK_WINDOW (phone));
  till_ui_pump (50);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (phone), "phone.wallet", "s", "wechat"));

  /* 1. The member's QR, scanned: the member is on the sale, the phone masked on both
   * windows and nowhere in full. */
  scanned = scan_member_qr (m->code);
  g_assert_cmpstr (scanned, ==, m->code);
  till_ui_feed (f, scanned);
  TILL_UI_WAIT_FOR (till_sale_get_member_id (till_ui_sale (f)) == member
                    && till_checkout_get_member_stored_value_fen (f->checkout) == 0, WAIT_MS);
  TILL_UI_WAIT_FOR (gtk_widget_get_visible (GTK_WIDGET (f->cashier->member_label)), WAIT_MS);
  g_assert_nonnull (strstr (gtk_label_get_text (f->cashier->member_label), "138****8000"));
  TILL_UI_WAIT_FOR (strstr (till_customer_display_get_member_text (f->display), "138****8000")
                    != NULL, WAIT_MS);
  g_assert_null (strstr (till_customer_display_get_member_text (f->display), "13800138000"));

  /* 2. Ctrl+M, 200, Alt+T: a top-up with its ¥20 bonus; the demo phone's WeChat Pay code
   * pays it; the card holds ¥220. */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("m", TRUE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_MEMBER_WINDOW) != NULL, WAIT_MS);
  w = TILL_MEMBER_WINDOW (till_ui_find_window (TILL_TYPE_MEMBER_WINDOW));
  till_ui_focus_window (GTK_WINDOW (w));
  till_ui_pump (100);
  shot = till_ui_screenshot (GTK_WIDGET (w), "member-journey-window");
  till_ui_type ("200", 40, FALSE);
  till_ui_key_alt ("t");
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_MEMBER_WINDOW) == NULL, WAIT_MS);
  TILL_UI_WAIT_FOR (till_sale_get_total_fen (till_ui_sale (f)) == 20000, WAIT_MS);
  g_assert_cmpint (till_sale_get_kind (till_ui_sale (f)), ==, TILL_SALE_KIND_TOPUP);
  g_assert_cmpint (till_sale_get_topup_bonus_fen (till_ui_sale (f)), ==, 2000);
  topup_number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  till_demo_phone_set_outcome (phone, TILL_DEMO_OUTCOME_SUCCESS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (phone), "phone.scan", NULL));
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (till_checkout_get_member_stored_value_fen (f->checkout) == 22000, WAIT_MS);
  assert_card (f, member, 20000, 2000, 0);
  otn = till_ui_query_text (f, "SELECT p.out_trade_no FROM payment p JOIN sale s"
                               " ON s.id = p.sale_id WHERE s.number = ?1", topup_number);
  order = till_ui_demo_ledger_order (demo, otn);
  g_assert_nonnull (order);
  g_assert_cmpint (json_object_get_int_member (order, "total"), ==, 20000);
  g_assert_cmpint (json_object_get_int_member (order, "net"), ==, 20000);

  /* 3. The member again (a new sale), goods, half from the card: Ctrl+M, the amount, the
   * phone's last four digits, Alt+S; the rest in cash (F8, Enter). */
  till_ui_feed (f, scanned);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_sale_get_number (till_ui_sale (f)), topup_number) != 0
                    && till_sale_get_member_id (till_ui_sale (f)) == member, WAIT_MS);
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  sale_number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  total = till_sale_get_total_fen (till_ui_sale (f));
  half = total / 2;
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("m", TRUE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_MEMBER_WINDOW) != NULL, WAIT_MS);
  w = TILL_MEMBER_WINDOW (till_ui_find_window (TILL_TYPE_MEMBER_WINDOW));
  till_ui_focus_window (GTK_WINDOW (w));
  till_ui_pump (100);
  /* the amount is what the card can pay of the due: the whole; make it half */
  till_ui_key_alt ("a");
  till_ui_key ("a", TRUE);
  {
    g_autofree char *amount = till_money_format_plain (half);
    till_ui_type (amount, 40, FALSE);
  }
  till_ui_key ("Tab", FALSE);
  till_ui_type ("1234", 40, FALSE);   /* not the member's digits */
  till_ui_key_alt ("s");
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, "last four digits"), WAIT_MS);
  g_assert_nonnull (till_ui_find_window (TILL_TYPE_MEMBER_WINDOW));
  g_assert_cmpint (till_checkout_get_paid_fen (f->checkout), ==, 0);
  till_ui_focus_window (GTK_WINDOW (w));
  till_ui_key_alt ("l");
  till_ui_type ("8000", 40, FALSE);
  till_ui_key_alt ("s");
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_MEMBER_WINDOW) == NULL, WAIT_MS);
  TILL_UI_WAIT_FOR (till_checkout_get_paid_fen (f->checkout) == half, WAIT_MS);
  TILL_UI_WAIT_FOR (till_checkout_get_member_stored_value_fen (f->checkout) == 22000 - half,
                    WAIT_MS);
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("F8", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_CASH_WINDOW) != NULL, WAIT_MS);
  cash = TILL_CASH_WINDOW (till_ui_find_window (TILL_TYPE_CASH_WINDOW));
  till_ui_focus_window (GTK_WINDOW (cash));
  till_ui_key ("Return", FALSE);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, WAIT_MS);
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_pump (300);
  g_free (shot);
  shot = till_ui_screenshot (GTK_WIDGET (f->cashier), "member-journey-cashier");

  /* the card's split: paid and bonus money in proportion (20000 : 2000) */
  paid_part = -query_int (f, "SELECT m.paid_fen FROM stored_value_move m JOIN payment p"
                             " ON p.id = m.payment_id JOIN sale s ON s.id = p.sale_id"
                             " WHERE s.number = ?1", sale_number);
  bonus_part = half - paid_part;
  g_assert_cmpint (bonus_part, ==, (half * 2000 * 2 + 22000) / (22000 * 2));
  assert_card (f, member, 20000 - paid_part, 2000 - bonus_part, total / 100);
  g_assert_cmpint (query_int (f, "SELECT sum (p.amount_fen) FROM payment p JOIN sale s"
                                 " ON s.id = p.sale_id WHERE s.number = ?1"
                                 " AND p.method = 'cash'", sale_number), ==, total - half);

  /* 4. The refund of that sale: the card as it was after the top-up, the cash handed back,
   * the points taken back. */
  {
    TillRefundService *refunds = till_payment_runtime_get_refund_service (till_ui_runtime (f));
    gint64 sale_id = query_int (f, "SELECT id FROM sale WHERE number = ?1", sale_number);

    till_refund_service_refund_async (refunds, sale_id, total, "customer changed mind",
                                      "王店长", NULL, refund_done_cb, &refunded);
    TILL_UI_WAIT_FOR (refunded != NULL, WAIT_MS);
    g_assert_nonnull (strstr (refunded, "stored value"));
  }
  assert_card (f, member, 20000, 2000, 0);
  g_assert_cmpstr (till_ui_query_text (f, "SELECT state FROM sale WHERE number = ?1",
                                       sale_number), ==, "refunded");

  /* 5. The day's stored-value report says the same. */
  today = till_ui_query_text (f, "SELECT date ('now', 'localtime')", NULL);
  report = till_store_member_report_day (f->store, today, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->total.topup_paid_fen, ==, 20000);
  g_assert_cmpint (report->total.topup_bonus_fen, ==, 2000);
  g_assert_cmpint (report->total.spend_paid_fen, ==, paid_part);
  g_assert_cmpint (report->total.spend_bonus_fen, ==, bonus_part);
  g_assert_cmpint (report->total.refund_paid_fen, ==, paid_part);
  g_assert_cmpint (report->total.refund_bonus_fen, ==, bonus_part);
  g_assert_cmpint (report->total.owed_paid_fen, ==, 20000);
  g_assert_cmpint (report->total.owed_bonus_fen, ==, 2000);

  /* 6. The top-up is not a sale: the day close shows it beside the methods, apart from
   * the sales' total, and the report window as a figure of its own. */
  {
    TillDayCloseWindow *close = till_day_close_window_new (GTK_WINDOW (f->cashier), f->context,
                                                          NULL);
    TillReportWindow *rw = NULL;
    g_autofree char *topup_row = NULL;
    g_autofree char *topups_row = NULL;
    g_autofree char *cash_topup_row = NULL;
    g_autofree char *total_row = NULL;
    g_autofree char *expected_total = NULL;
    g_autofree char *topup_shot = NULL;

    g_object_ref_sink (close);
    gtk_window_present (GTK_WINDOW (close));
    TILL_UI_WAIT_FOR (!till_day_close_window_get_loading (close), WAIT_MS);
    topup_row = till_day_close_window_get_topup_row (close, TILL_REPORT_WECHAT_CODE);
    topups_row = till_day_close_window_get_topup_row (close, TILL_REPORT_N_METHODS);
    cash_topup_row = till_day_close_window_get_topup_row (close, TILL_REPORT_CASH);
    total_row = till_day_close_window_get_method_row (close, TILL_REPORT_N_METHODS);
    g_assert_cmpstr (topup_row, ==, "Top-up · WeChat code | 1 | ¥200.00 | ");
    g_assert_cmpstr (topups_row, ==, "Top-ups (not sales) | 1 | ¥200.00 | ");
    g_assert_cmpstr (cash_topup_row, ==, "");
    /* the sales' total: the goods sale alone (paid half by card, half in cash) */
    expected_total = till_money_format (total);
    g_assert_true (g_str_has_prefix (total_row, "Total | 2 | "));
    g_assert_nonnull (strstr (total_row, expected_total));
    topup_shot = till_ui_screenshot (GTK_WIDGET (close), "member-day-close-topups");
    gtk_window_destroy (GTK_WINDOW (close));
    g_object_unref (close);

    rw = till_report_window_new (GTK_WINDOW (f->cashier), f->context);
    g_object_ref_sink (rw);
    gtk_window_set_default_size (GTK_WINDOW (rw), 1000, 760);
    gtk_window_present (GTK_WINDOW (rw));
    TILL_UI_WAIT_FOR (!till_report_window_get_loading (rw), WAIT_MS);
    g_assert_cmpstr (till_report_window_get_figure (rw, "topups"), ==, "¥200.00");
    g_assert_cmpstr (till_report_window_get_figure (rw, "gross"), ==, expected_total);
    g_assert_cmpstr (till_report_window_get_figure (rw, "count"), ==, "1");
    g_free (topup_shot);
    topup_shot = till_ui_screenshot (GTK_WIDGET (rw), "member-report-topups");
    gtk_window_destroy (GTK_WINDOW (rw));
    g_object_unref (rw);
  }

  till_ui_fixture_free (f);
  g_clear_object (&demo);
  till_ui_pump (20);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  XInitThreads ();
  gtk_test_init (&argc, &argv, NULL);
  demo_dir = g_dir_make_tmp ("till-member-journey-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/ui/member-journey/qr-topup-split-refund", test_journey);
  status = g_test_run ();
  till_ui_demo_dir_remove (demo_dir);
  return status;
}
