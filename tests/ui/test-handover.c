/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The shift handover (交班, issue 18) on Xvfb with real key events, a real store and the
 * real payment simulator: Anna signs in with a float of ¥300, sells a cola in cash and
 * crisps with a WeChat Pay code, hands over (Ctrl+Shift+O) counting ¥1 short; Bo signs in
 * with the counted cash as his float (offered by the handover), sells in cash; the till
 * restarts; Bo's shift is still open (the status bar says so), Bo hands over even; the
 * reports window and the day close list both shifts; every figure against SQL of the
 * test's own. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <string.h>

#include "till-cash-window.h"
#include "till-day-close-window.h"
#include "till-demo-phone.h"
#include "till-handover-window.h"
#include "till-manager-actions.h"
#include "till-paysim.h"
#include "till-report-window.h"
#include "till-shift.h"
#include "till-shift-lines.h"
#include "till-signin-window.h"
#include "till-ui-test.h"

#define COLA_EAN "6954767002057"  /* 可口可乐 500ml, ¥3.50 */
#define CHIPS_EAN "6924678006079" /* 乐事薯片原味 70g, ¥7.50 */
#define ANNA_PIN "1357"
#define BO_PIN "2468"

#define WAIT_MS 10000
#define PAY_WAIT_MS 20000

typedef struct
{
  TillPaysim *sim;
  char device_id[8];
} Setup;

static void
prepare_settings (GSettings *settings, gpointer data)
{
  Setup *setup = data;

  till_ui_paysim_settings (settings, setup->sim, setup->device_id, NULL);
}

static gint64
query_int (TillUiFixture *f, const char *sql, const char *param)
{
  g_autofree char *text = till_ui_query_text (f, sql, param);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : -1;
}

static void
add_and_wait (TillUiFixture *f, const char *code)
{
  guint before = till_ui_n_lines (f);

  till_ui_feed (f, code);
  TILL_UI_WAIT_FOR (till_ui_sale (f) != NULL
                        && till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_OPEN
                        && till_ui_n_lines (f) != before,
                    WAIT_MS);
  g_assert_cmpuint (till_ui_n_lines (f), ==, before + 1);
}

/* F8, ¥100 tendered, Enter. */
static void
pay_cash (TillUiFixture *f)
{
  GtkWindow *cash;

  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("F8", FALSE);
  TILL_UI_WAIT_FOR ((cash = till_ui_find_window (TILL_TYPE_CASH_WINDOW)) != NULL, WAIT_MS);
  till_ui_focus_window (cash);
  gtk_editable_set_text (till_cash_window_get_entry (TILL_CASH_WINDOW (cash)), "");
  till_ui_type ("100", 30, TRUE);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, WAIT_MS);
  g_assert_cmpint (till_sale_get_state (till_ui_sale (f)), ==, TILL_SALE_STATE_PAID);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_CASH_WINDOW) == NULL, WAIT_MS);
  till_ui_focus_window (GTK_WINDOW (f->cashier));
}

/* F12 after a paid sale: the next one. */
static void
wait_next_sale (TillUiFixture *f)
{
  if (till_ui_sale (f) != NULL && till_sale_get_state (till_ui_sale (f)) != TILL_SALE_STATE_OPEN)
    {
      till_ui_focus_window (GTK_WINDOW (f->cashier));
      till_ui_key ("F12", FALSE);
    }
  TILL_UI_WAIT_FOR (till_ui_sale (f) != NULL
                        && till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_OPEN
                        && till_ui_n_lines (f) == 0,
                    WAIT_MS);
}

/* The sign-in window (open), a name picked, the PIN typed with Enter. */
static void
sign_in (TillUiFixture *f, const char *name, const char *pin)
{
  TillShift *shift = till_context_get_shift (f->context);
  GtkWindow *window;
  TillSigninWindow *w;

  TILL_UI_WAIT_FOR ((window = till_ui_find_window (TILL_TYPE_SIGNIN_WINDOW)) != NULL, WAIT_MS);
  w = TILL_SIGNIN_WINDOW (window);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_signin_window_get_page (w), "signin") == 0, WAIT_MS);
  g_assert_true (till_signin_window_select_person (w, name));
  till_ui_focus_window (window);
  till_ui_pump (100);
  till_ui_type (pin, 40, TRUE);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_shift_get_cashier (shift), name) == 0
                        && g_strcmp0 (till_shift_get_open_shift_cashier (shift), name) == 0,
                    WAIT_MS);
  g_assert_cmpstr (till_shift_get_open_shift_cashier (shift), ==, name);
}

static TillHandoverWindow *
open_handover (TillUiFixture *f)
{
  GtkWindow *window;

  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key_control_shift ("o");
  TILL_UI_WAIT_FOR ((window = till_ui_find_window (TILL_TYPE_HANDOVER_WINDOW)) != NULL, WAIT_MS);
  g_assert_nonnull (window);
  TILL_UI_WAIT_FOR (
      g_strcmp0 (till_handover_window_get_state (TILL_HANDOVER_WINDOW (window)), "open") == 0,
      WAIT_MS);
  g_assert_cmpstr (till_handover_window_get_state (TILL_HANDOVER_WINDOW (window)), ==, "open");
  till_ui_focus_window (window);
  till_ui_pump (100);
  return TILL_HANDOVER_WINDOW (window);
}

/* The shift's expected cash by SQL of the test's own: its float plus the cash taken (with
 * its rounding) by sales paid in its window, minus the cash refunds made in it. */
static gint64
sql_expected (TillUiFixture *f, const char *cashier)
{
  return query_int (
      f,
      "SELECT h.float_fen"
      " + (SELECT coalesce (sum (p.amount_fen + p.rounding_fen), 0) FROM payment p JOIN sale s"
      "    ON s.id = p.sale_id WHERE p.method = 'cash' AND p.state = 'paid'"
      "    AND s.closed_at >= h.opened_at AND s.closed_at < coalesce (h.closed_at, 1e18))"
      " - (SELECT coalesce (sum (r.amount_fen + r.rounding_fen), 0) FROM refund r JOIN payment p"
      "    ON p.id = r.payment_id WHERE p.method = 'cash' AND r.state = 'success'"
      "    AND r.created_at >= h.opened_at AND r.created_at < coalesce (h.closed_at, 1e18))"
      " FROM shift h WHERE h.cashier = ?1",
      cashier);
}

static gint64
sql_method (TillUiFixture *f, const char *cashier, const char *method)
{
  g_autofree char *sql = g_strdup_printf (
      "SELECT coalesce (sum (p.amount_fen), 0) FROM payment p JOIN sale s ON s.id = p.sale_id"
      " JOIN shift h ON h.cashier = ?1 WHERE p.method = '%s' AND p.state = 'paid'"
      " AND s.closed_at >= h.opened_at AND s.closed_at < coalesce (h.closed_at, 1e18)",
      method);

  return query_int (f, sql, cashier);
}

static void
test_two_cashiers_across_restart (void)
{
  g_autofree char *sim_dir = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GtkApplication) app = NULL;
  g_autoptr (TillManagerActions) actions = NULL;
  g_autofree char *code = till_demo_phone_make_code (TILL_DEMO_OUTCOME_SUCCESS);
  g_autofree char *shot = NULL;
  g_autofree char *expected_text = NULL;
  g_autofree char *status = NULL;
  g_autofree char *print_path = NULL;
  g_autofree char *print_target = NULL;
  g_autofree char *printed = NULL;
  gsize printed_len = 0;
  TillUiFixture *f;
  TillPeople *people;
  TillHandoverWindow *h;
  TillReportWindow *report;
  TillDayCloseWindow *day;
  TillShiftLines *lines;
  GtkWindow *window;
  Setup setup = { 0 };
  gint64 anna_expected, bo_float, bo_expected, bo_id;

  sim_dir = g_dir_make_tmp ("till-handover-sim-XXXXXX", &error);
  g_assert_no_error (error);
  setup.sim = till_ui_paysim_start (sim_dir, 1000);
  g_snprintf (setup.device_id, sizeof setup.device_id, "H%04u",
              (guint)(g_get_real_time () / G_USEC_PER_SEC % 10000));
  f = till_ui_fixture_new_full (FALSE, prepare_settings, &setup, NULL);
  TILL_UI_WAIT_FOR (till_payment_runtime_get_payment_status (till_ui_runtime (f))
                        == TILL_PAYMENT_STATUS_READY,
                    WAIT_MS);
  people = till_shift_get_people (till_context_get_shift (f->context));
  /* a manager first: a till without one asks to create one */
  g_assert_cmpint (till_people_add (people, "王店长", TILL_ROLE_MANAGER, "8642", "test", &error), >,
                   0);
  g_assert_cmpint (till_people_add (people, "Anna", TILL_ROLE_CASHIER, ANNA_PIN, "test", &error), >,
                   0);
  g_assert_cmpint (till_people_add (people, "Bo", TILL_ROLE_CASHIER, BO_PIN, "test", &error), >, 0);
  g_assert_no_error (error);

  app = gtk_application_new (APPLICATION_ID ".HandoverTest", G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  gtk_application_add_window (app, GTK_WINDOW (f->cashier));
  actions = till_manager_actions_new (app, f->context);
  till_ui_pump (100);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->cashier->shift_label)));

  /* No shift yet: Ctrl+Shift+O says so. */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key_control_shift ("o");
  TILL_UI_WAIT_FOR (
      (window = till_ui_find_window (TILL_TYPE_HANDOVER_WINDOW)) != NULL
          && g_strcmp0 (till_handover_window_get_state (TILL_HANDOVER_WINDOW (window)), "none")
                 == 0,
      WAIT_MS);
  g_assert_nonnull (strstr (till_handover_window_get_message (TILL_HANDOVER_WINDOW (window)),
                            "No shift is open"));
  till_ui_focus_window (window);
  till_ui_key ("Escape", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_HANDOVER_WINDOW) == NULL, WAIT_MS);

  /* Anna: Ctrl+L, a float of ¥300, her PIN. */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("l", TRUE);
  TILL_UI_WAIT_FOR ((window = till_ui_find_window (TILL_TYPE_SIGNIN_WINDOW)) != NULL, WAIT_MS);
  till_signin_window_set_float (TILL_SIGNIN_WINDOW (window), 30000);
  sign_in (f, "Anna", ANNA_PIN);
  TILL_UI_WAIT_FOR (gtk_widget_get_visible (GTK_WIDGET (f->cashier->shift_label)), WAIT_MS);
  g_assert_cmpstr (gtk_label_get_text (f->cashier->shift_label), ==, "Shift: Anna");
  g_assert_cmpint (query_int (f, "SELECT float_fen FROM shift WHERE cashier = ?1", "Anna"), ==,
                   30000);

  /* a cola in cash, crisps with a WeChat Pay code */
  wait_next_sale (f);
  add_and_wait (f, COLA_EAN);
  pay_cash (f);
  wait_next_sale (f);
  add_and_wait (f, CHIPS_EAN);
  till_ui_feed (f, code);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, PAY_WAIT_MS);
  g_assert_cmpint (till_sale_get_state (till_ui_sale (f)), ==, TILL_SALE_STATE_PAID);
  wait_next_sale (f);

  /* Ctrl+Shift+O: the figures; ¥1 short typed; Enter hands over */
  h = open_handover (f);
  anna_expected = till_handover_window_get_expected (h);
  g_assert_cmpint (anna_expected, ==, sql_expected (f, "Anna"));
  g_assert_cmpint (anna_expected, ==, 30000 + 350);
  expected_text = till_money_format_plain (anna_expected - 100);
  till_ui_type (expected_text, 40, FALSE);
  TILL_UI_WAIT_FOR (till_handover_window_get_over_short (h) == -100, WAIT_MS);
  g_assert_cmpint (till_handover_window_get_over_short (h), ==, -100);
  g_assert_nonnull (strstr (till_handover_window_get_text (h), "Cashier: Anna"));
  g_assert_nonnull (strstr (till_handover_window_get_text (h), "WeChat code"));
  /* Alt+P prints the handover report on the receipt printer (a file here) */
  print_path = g_build_filename (f->dir, "handover.bin", NULL);
  print_target = g_strconcat ("file:", print_path, NULL);
  g_settings_set_string (f->settings, "receipt-printer", print_target);
  till_ui_key_alt ("p");
  TILL_UI_WAIT_FOR (g_strcmp0 (till_handover_window_get_message (h), "Printed") == 0, WAIT_MS);
  g_assert_cmpstr (till_handover_window_get_message (h), ==, "Printed");
  g_assert_true (g_file_get_contents (print_path, &printed, &printed_len, &error));
  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (printed, printed_len, "Cashier: Anna"));
  g_assert_nonnull (g_strstr_len (printed, printed_len, "Over/short"));
  g_settings_set_string (f->settings, "receipt-printer", "");
  till_ui_focus_window (GTK_WINDOW (h));
  till_ui_pump (200);
  shot = till_ui_screenshot (GTK_WIDGET (h), "handover-anna");
  g_test_message ("screenshot %s", shot);
  till_ui_key ("Return", FALSE);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_handover_window_get_state (h), "handed-over") == 0, WAIT_MS);
  g_assert_cmpstr (till_handover_window_get_state (h), ==, "handed-over");
  g_assert_null (till_shift_get_cashier (till_context_get_shift (f->context)));
  g_assert_cmpint (query_int (f,
                              "SELECT counted_fen - expected_fen FROM shift WHERE cashier"
                              " = ?1",
                              "Anna"),
                   ==, -100);
  g_assert_cmpint (query_int (f, "SELECT expected_fen FROM shift WHERE cashier = ?1", "Anna"), ==,
                   sql_expected (f, "Anna"));
  g_assert_cmpint (query_int (f,
                              "SELECT json_extract (summary_json,"
                              " '$.methods.wechat_code.paid_fen') FROM shift WHERE cashier"
                              " = ?1",
                              "Anna"),
                   ==, sql_method (f, "Anna", "wechat_code"));
  g_assert_cmpint (sql_method (f, "Anna", "wechat_code"), ==, 750);
  TILL_UI_WAIT_FOR (!gtk_widget_get_visible (GTK_WIDGET (f->cashier->shift_label)), WAIT_MS);

  /* Bo: the sign-in window is offered with the counted cash as the float */
  sign_in (f, "Bo", BO_PIN);
  bo_float = query_int (f, "SELECT float_fen FROM shift WHERE cashier = ?1", "Bo");
  g_assert_cmpint (bo_float, ==, anna_expected - 100);
  bo_id = query_int (f, "SELECT id FROM shift WHERE cashier = ?1", "Bo");
  if (till_ui_find_window (TILL_TYPE_HANDOVER_WINDOW) != NULL)
    gtk_window_destroy (till_ui_find_window (TILL_TYPE_HANDOVER_WINDOW));
  wait_next_sale (f);
  add_and_wait (f, CHIPS_EAN);
  pay_cash (f);
  wait_next_sale (f);

  /* the till restarts: Bo's shift is still open */
  g_clear_object (&actions);
  till_ui_fixture_restart (f);
  gtk_application_add_window (app, GTK_WINDOW (f->cashier));
  actions = till_manager_actions_new (app, f->context);
  TILL_UI_WAIT_FOR (gtk_widget_get_visible (GTK_WIDGET (f->cashier->shift_label)), WAIT_MS);
  g_assert_cmpstr (gtk_label_get_text (f->cashier->shift_label), ==, "Shift: Bo");
  g_assert_cmpint (till_shift_get_open_shift_id (till_context_get_shift (f->context)), ==, bo_id);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM shift WHERE closed_at IS NULL", NULL), ==,
                   1);

  /* Bo signs in again (a new session) and hands over, even */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("l", TRUE);
  sign_in (f, "Bo", BO_PIN);
  h = open_handover (f);
  bo_expected = till_handover_window_get_expected (h);
  g_assert_cmpint (bo_expected, ==, sql_expected (f, "Bo"));
  g_assert_cmpint (bo_expected, ==, bo_float + 750);
  g_free (expected_text);
  expected_text = till_money_format_plain (bo_expected);
  till_ui_type (expected_text, 40, TRUE);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_handover_window_get_state (h), "handed-over") == 0, WAIT_MS);
  g_assert_cmpint (query_int (f,
                              "SELECT counted_fen - expected_fen FROM shift WHERE cashier"
                              " = ?1",
                              "Bo"),
                   ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM shift WHERE closed_at IS NULL", NULL), ==,
                   0);
  /* the next sign-in is offered; nobody takes over in this test */
  TILL_UI_WAIT_FOR ((window = till_ui_find_window (TILL_TYPE_SIGNIN_WINDOW)) != NULL, WAIT_MS);
  gtk_window_destroy (window);
  gtk_window_destroy (GTK_WINDOW (h));

  /* the reports window and the day close list both handovers */
  report = till_report_window_new (GTK_WINDOW (f->cashier), f->context);
  g_object_ref_sink (report);
  gtk_window_present (GTK_WINDOW (report));
  lines = till_report_window_get_shift_lines (report);
  TILL_UI_WAIT_FOR (
      !till_shift_lines_get_loading (lines) && till_shift_lines_get_n_lines (lines) == 2, WAIT_MS);
  g_assert_cmpuint (till_shift_lines_get_n_lines (lines), ==, 2);
  {
    g_autofree char *a = till_shift_lines_get_line (lines, 0);
    g_autofree char *b = till_shift_lines_get_line (lines, 1);
    g_autofree char *a_exp = till_money_format (anna_expected);
    g_autofree char *b_exp = till_money_format (bo_expected);

    g_assert_true (g_str_has_prefix (a, "Anna | "));
    g_assert_nonnull (strstr (a, a_exp));
    g_assert_true (g_str_has_suffix (a, " | -¥1.00"));
    g_assert_true (g_str_has_prefix (b, "Bo | "));
    g_assert_nonnull (strstr (b, b_exp));
    g_assert_true (g_str_has_suffix (b, " | ¥0.00"));
  }
  gtk_window_destroy (GTK_WINDOW (report));
  g_object_unref (report);

  day = till_day_close_window_new (GTK_WINDOW (f->cashier), f->context, NULL);
  g_object_ref_sink (day);
  gtk_window_present (GTK_WINDOW (day));
  lines = till_day_close_window_get_shift_lines (day);
  TILL_UI_WAIT_FOR (
      !till_shift_lines_get_loading (lines) && till_shift_lines_get_n_lines (lines) == 2, WAIT_MS);
  g_assert_cmpuint (till_shift_lines_get_n_lines (lines), ==, 2);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (lines)));
  /* the day's cash sales are the shifts' */
  status = till_ui_query_text (f,
                               "SELECT sum (amount_fen) FROM payment WHERE method = 'cash'"
                               " AND state = 'paid'",
                               NULL);
  g_assert_cmpstr (status, ==, "1100");
  gtk_window_destroy (GTK_WINDOW (day));
  g_object_unref (day);

  g_clear_object (&actions);
  till_ui_fixture_free (f);
  g_object_unref (setup.sim);
  till_ui_demo_dir_remove (sim_dir);
}

int
main (int argc, char **argv)
{
  /* A till in China: its day is WeChat Pay's (Beijing time), whatever the test host's. */
  g_setenv ("TZ", "Asia/Shanghai", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/handover/two-cashiers-across-restart", test_two_cashiers_across_restart);
  return g_test_run ();
}
