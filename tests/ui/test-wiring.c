/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GUI tests of the wiring between the windows and the services, on Xvfb with a real store
 * and the real payment simulator in this process: the signed-in cashier on sales and in the
 * by-cashier report, electronic refunds from the refunds window, a day at the counter
 * (suspend, restart, resume, a discount approved by a manager, a code payment, a line
 * refunded: database, simulator, audit and report agree), the reconciliation
 * scheduled at the day close and fetched from the reports window, receipt codes opening
 * the refunds window, the cashiers-and-receipts settings, the mouse wheel over the
 * preferences' values, the demo banner, the customer display's count, the sale lookup's
 * state label and the application's icon. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "till-application.h"
#include "till-cash-window.h"
#include "till-day-close-window.h"
#include "till-demo-phone.h"
#include "till-discount-window.h"
#include "till-manager-actions.h"
#include "till-paysim.h"
#include "till-pin-window.h"
#include "till-preferences-window.h"
#include "till-refund-window.h"
#include "till-report-window.h"
#include "till-shift.h"
#include "till-signin-window.h"
#include "till-store-reports.h"
#include "till-suspended-window.h"
#include "till-ui-test.h"
#include "till-ui-util.h"

#define COLA_EAN  "6954767002057"   /* 可口可乐 500ml */
#define CHIPS_EAN "6924678006079"   /* 乐事薯片原味 70g */
#define ALIPAY    "284567890123456789"  /* an Alipay payment code, paid */

#define WAIT_MS      10000
#define PAY_WAIT_MS  20000
#define MANAGER_PIN  "8642"

/* ---- helpers ---- */

typedef struct
{
  TillPaysim *sim;
  char        device_id[8];
} Setup;

static TillPaysim *
start_sim (char **out_dir)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("till-wiring-sim-XXXXXX", &error);

  g_assert_no_error (error);
  *out_dir = dir;
  return till_ui_paysim_start (dir, 1000);
}

static void
prepare_settings (GSettings *settings,
                  gpointer   data)
{
  Setup *setup = data;

  till_ui_paysim_settings (settings, setup->sim, setup->device_id, NULL);
}

static const TillPaymentRuntimeTuning tuning = {
  .reverse_min_delay_ms = 1000,
  .reverse_attempts = 2,
  .reverse_retry_ms = 200,
  .backoff_base_ms = 300,
  .backoff_cap_ms = 1000,
  .probe_interval_ms = 400,
  .refund_query_delay_ms = 300,
};

static TillUiFixture *
pay_fixture (TillPaysim *sim)
{
  static guint n;
  Setup setup = { .sim = sim };
  TillUiFixture *f;

  g_snprintf (setup.device_id, sizeof setup.device_id, "W%02u%02u",
              (guint) (g_get_real_time () / G_USEC_PER_SEC % 100), ++n % 100);
  f = till_ui_fixture_new_full (FALSE, prepare_settings, &setup, &tuning);
  TILL_UI_WAIT_FOR (till_payment_runtime_get_payment_status (till_ui_runtime (f))
                    == TILL_PAYMENT_STATUS_READY, WAIT_MS);
  return f;
}

static void
add_and_wait (TillUiFixture *f,
              const char    *code)
{
  guint before = till_ui_n_lines (f);
  gint64 total = till_ui_sale (f) != NULL ? till_sale_get_total_fen (till_ui_sale (f)) : -1;

  till_ui_feed (f, code);
  TILL_UI_WAIT_FOR (till_ui_sale (f) != NULL
                    && till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_OPEN
                    && (till_sale_get_total_fen (till_ui_sale (f)) != total
                        || till_ui_n_lines (f) != before), WAIT_MS);
}

/* A cash sale through the cashier's window: the cash window (F8), ¥100 tendered. */
static char *
cash_sale (TillUiFixture *f,
           const char    *code)
{
  g_autofree char *number = NULL;
  GtkWindow *cash;

  add_and_wait (f, code);
  number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("F8", FALSE);
  TILL_UI_WAIT_FOR ((cash = till_ui_find_window (TILL_TYPE_CASH_WINDOW)) != NULL, WAIT_MS);
  till_ui_focus_window (cash);
  gtk_editable_set_text (till_cash_window_get_entry (TILL_CASH_WINDOW (cash)), "");
  till_ui_type ("100", 30, TRUE);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, WAIT_MS);
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_store_flush (f->store);
  return g_steal_pointer (&number);
}

/* A sale paid by WeChat payment code (a code of the demo phone, scanned). */
static char *
wechat_sale (TillUiFixture *f)
{
  g_autofree char *number = NULL;
  g_autofree char *code = till_demo_phone_make_code (TILL_DEMO_OUTCOME_SUCCESS);

  add_and_wait (f, COLA_EAN);
  add_and_wait (f, CHIPS_EAN);
  number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  till_ui_feed (f, code);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, PAY_WAIT_MS);
  till_store_flush (f->store);
  return g_steal_pointer (&number);
}

static gint64
query_int (TillUiFixture *f,
           const char    *sql,
           const char    *param)
{
  g_autofree char *text = till_ui_query_text (f, sql, param);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : -1;
}

static TillPeople *
people (TillUiFixture *f)
{
  return till_shift_get_people (till_context_get_shift (f->context));
}

static void
add_manager (TillUiFixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (till_people_add (people (f), "王店长", TILL_ROLE_MANAGER, MANAGER_PIN, "test",
                                    &error), >, 0);
  g_assert_no_error (error);
}

static void
pin_try (GtkWindow  *pin,
         const char *value)
{
  till_pin_window_set_pin (TILL_PIN_WINDOW (pin), value);
  till_pin_window_submit (TILL_PIN_WINDOW (pin));
  TILL_UI_WAIT_FOR (!till_pin_window_get_busy (TILL_PIN_WINDOW (pin)), WAIT_MS);
}

static char *
today (void)
{
  return till_report_local_date (g_get_real_time ());
}

/* A control call to the in-process simulator (its server runs on this main context, so the
 * loop runs while waiting). Returns the parsed answer or NULL; *status the HTTP status. */
typedef struct
{
  GBytes *body;
  GError *error;
  gboolean done;
} HttpWait;

static void
http_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  HttpWait *w = user_data;

  w->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &w->error);
  w->done = TRUE;
}

static JsonNode *
sim_control (TillPaysim *sim,
             const char *method,
             const char *path,
             guint      *status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (till_paysim_get_base_url (sim), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(JsonParser) parser = json_parser_new ();
  HttpWait w = { 0 };
  gsize len = 0;
  const char *data;

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, http_done_cb, &w);
  TILL_UI_WAIT_FOR (w.done, WAIT_MS);
  g_assert_no_error (w.error);
  *status = soup_message_get_status (msg);
  data = g_bytes_get_data (w.body, &len);
  if (len == 0 || !json_parser_load_from_data (parser, data, len, NULL))
    {
      g_bytes_unref (w.body);
      return NULL;
    }
  g_bytes_unref (w.body);
  return json_node_ref (json_parser_get_root (parser));
}

/* The simulator's ledger entry of an order (a new reference). */
static JsonObject *
sim_order (TillPaysim *sim,
           const char *out_trade_no)
{
  guint status = 0;
  g_autoptr(JsonNode) ledger = sim_control (sim, "GET", "/_sim/ledger", &status);
  JsonArray *orders;

  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (ledger);
  orders = json_object_get_array_member (json_node_get_object (ledger), "orders");
  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *o = json_array_get_object_element (orders, i);

      if (g_strcmp0 (json_object_get_string_member (o, "out_trade_no"), out_trade_no) == 0)
        return json_object_ref (o);
    }
  return NULL;
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
        g_remove (child);
    }
  g_rmdir (path);
}

/* ---- 1. the signed-in cashier on sales ---- */

static void
sign_in (TillUiFixture *f,
         const char    *name,
         const char    *pin)
{
  TillShift *shift = till_context_get_shift (f->context);
  TillSigninWindow *w = till_signin_window_new (GTK_WINDOW (f->cashier), f->context, FALSE);

  g_object_ref_sink (w);
  gtk_window_present (GTK_WINDOW (w));
  TILL_UI_WAIT_FOR (g_strcmp0 (till_signin_window_get_page (w), "signin") == 0, WAIT_MS);
  g_assert_true (till_signin_window_select_person (w, name));
  till_signin_window_set_pin (w, pin);
  till_signin_window_submit (w);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_shift_get_cashier (shift), name) == 0, WAIT_MS);
  gtk_window_destroy (GTK_WINDOW (w));
  g_object_unref (w);
  till_ui_focus_window (GTK_WINDOW (f->cashier));
}

static void
test_cashier_on_sales (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TillReport) report = NULL;
  g_autofree char *date = today ();
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *cashier = NULL;
  g_autofree char *default_name = g_strdup (till_context_get_cashier (f->context));
  gboolean seen_wang = FALSE, seen_li = FALSE;

  g_assert_true (till_people_seed_demo (people (f), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (default_name, !=, "收银员小王");

  sign_in (f, "收银员小王", "1111");
  g_assert_cmpstr (till_context_get_cashier (f->context), ==, "收银员小王");
  first = cash_sale (f, COLA_EAN);
  cashier = till_ui_query_text (f, "SELECT cashier FROM sale WHERE number = ?1", first);
  g_assert_cmpstr (cashier, ==, "收银员小王");

  /* A change of cashier shows on the next sale. */
  sign_in (f, "收银员小李", "2222");
  second = cash_sale (f, CHIPS_EAN);
  g_free (cashier);
  cashier = till_ui_query_text (f, "SELECT cashier FROM sale WHERE number = ?1", second);
  g_assert_cmpstr (cashier, ==, "收银员小李");

  /* Signed out: the session user again. */
  till_shift_set_person (till_context_get_shift (f->context), NULL);
  g_assert_cmpstr (till_context_get_cashier (f->context), ==, default_name);

  report = till_store_report_day (f->store, date, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < report->cashiers->len; i++)
    {
      const TillReportCashier *c = g_ptr_array_index (report->cashiers, i);

      if (g_strcmp0 (c->cashier, "收银员小王") == 0 && c->n_sales == 1)
        seen_wang = TRUE;
      if (g_strcmp0 (c->cashier, "收银员小李") == 0 && c->n_sales == 1)
        seen_li = TRUE;
    }
  g_assert_true (seen_wang);
  g_assert_true (seen_li);
  till_ui_fixture_free (f);
}

/* ---- 2. electronic refunds from the refunds window ---- */

static void
test_refund_electronic (void)
{
  g_autofree char *sim_dir = NULL;
  TillPaysim *sim = start_sim (&sim_dir);
  TillUiFixture *f = pay_fixture (sim);
  g_autofree char *number = NULL;
  g_autofree char *out_trade_no = NULL;
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(GtkWindow) pin = NULL;
  const TillRefundable *r;
  TillRefundWindow *w;
  JsonArray *refunds;
  gint64 paid;
  TillPaymentRuntime *runtime = till_ui_runtime (f);
  TillRefundService *refund_service;
  g_autoptr(TillRefundService) from_property = NULL;

  /* The refunds window's service is the runtime's, on the payment client (not the
   * cash-only one of a till without electronic payment). */
  refund_service = till_payment_runtime_get_refund_service (runtime);
  g_assert_nonnull (refund_service);
  g_object_get (runtime, "refund-service", &from_property, NULL);
  g_assert_true (from_property == refund_service);
  add_manager (f);
  number = wechat_sale (f);
  out_trade_no = till_ui_query_text (f, "SELECT p.out_trade_no FROM payment p JOIN sale s"
                                        " ON s.id = p.sale_id WHERE s.number = ?1", number);
  g_assert_nonnull (out_trade_no);

  w = till_refund_window_new (GTK_WINDOW (f->cashier), f->context);
  g_object_ref_sink (w);
  gtk_window_present (GTK_WINDOW (w));
  till_refund_window_open_sale (w, number);
  TILL_UI_WAIT_FOR (till_refund_window_get_refundable (w) != NULL
                    && !till_refund_window_get_busy (w), WAIT_MS);
  r = till_refund_window_get_refundable (w);
  paid = r->paid_fen;
  g_assert_cmpint (paid, >, 100);
  g_assert_cmpstr (r->refund_state, ==, "none");

  till_refund_window_set_request (w, "1.00", "顾客退一件 one returned");
  pin = till_refund_window_refund (w);
  g_assert_nonnull (pin);
  g_object_ref (pin);
  pin_try (pin, MANAGER_PIN);
  TILL_UI_WAIT_FOR (!till_refund_window_get_busy (w)
                    && till_refund_window_get_refundable (w) != NULL
                    && till_refund_window_get_refundable (w)->refunded_fen == 100, PAY_WAIT_MS);
  /* Not refused as "only cash": the request went to the provider. */
  g_assert_null (strstr (till_refund_window_get_message (w), "Not refunded"));

  /* The provider accepts (PROCESSING), the outbox worker's refund_query finishes it. */
  TILL_UI_WAIT_FOR (query_int (f, "SELECT count(*) FROM refund WHERE state = 'success'"
                                  " AND amount_fen = 100", NULL) == 1, PAY_WAIT_MS);

  order = sim_order (sim, out_trade_no);
  g_assert_nonnull (order);
  g_assert_cmpint (json_object_get_int_member (order, "refunded"), ==, 100);
  refunds = json_object_get_array_member (order, "refunds");
  g_assert_cmpuint (json_array_get_length (refunds), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (refunds, 0), "amount"),
                   ==, 100);

  /* The sale shows partly refunded. */
  till_refund_window_open_sale (w, number);
  TILL_UI_WAIT_FOR (!till_refund_window_get_busy (w)
                    && till_refund_window_get_refundable (w) != NULL
                    && g_strcmp0 (till_refund_window_get_refundable (w)->refund_state,
                                  "partial") == 0, WAIT_MS);
  r = till_refund_window_get_refundable (w);
  g_assert_cmpint (r->refundable_fen, ==, paid - 100);
  g_assert_nonnull (strstr (till_refund_window_get_state_text (w), "Partly refunded"));
  g_free (till_ui_screenshot (GTK_WIDGET (w), "wiring-refund-wechat"));

  g_clear_object (&pin);
  gtk_window_destroy (GTK_WINDOW (w));
  g_object_unref (w);
  till_ui_fixture_free (f);
  g_object_unref (sim);
  remove_tree (sim_dir);
}

/* ---- 2b. a day at the counter (issue 14): suspend, restart, resume, discount, pay, refund ---- */

static gint64
audit_count (TillUiFixture *f,
             const char    *action)
{
  return query_int (f, "SELECT count(*) FROM audit WHERE action = ?1", action);
}

/* A customer forgot something: the sale is suspended (Ctrl+H), the next customer pays in
 * cash (F8), the till restarts, the first sale is resumed from the list (Ctrl+Shift+H,
 * Enter), discounted 10 % above the cashier's 5 % limit with a manager's PIN
 * (Ctrl+Shift+T), paid with a WeChat Pay code, and one of its lines is refunded: the
 * database, the simulator's ledger, the audit log and the day's report agree to the fen. */
static void
test_counter_day (void)
{
  g_autofree char *sim_dir = NULL;
  TillPaysim *sim = start_sim (&sim_dir);
  TillUiFixture *f = pay_fixture (sim);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *code = till_demo_phone_make_code (TILL_DEMO_OUTCOME_SUCCESS);
  g_autofree char *out_trade_no = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *date = today ();
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(GtkWindow) pin = NULL;
  g_autoptr(TillReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const TillRefundable *r;
  TillRefundWindow *w;
  TillCashWindow *cash;
  GtkWindow *window;
  gint64 chips_final;

  add_manager (f);
  g_settings_set_uint (f->settings, "discount-limit", 5);

  /* ¥3.50 + ¥7.50 + ¥2.00, then Ctrl+H */
  add_and_wait (f, COLA_EAN);
  add_and_wait (f, CHIPS_EAN);
  add_and_wait (f, "8001");
  first = g_strdup (till_sale_get_number (till_ui_sale (f)));
  g_assert_cmpint (till_sale_get_total_fen (till_ui_sale (f)), ==, 1300);
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("h", TRUE);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_sale_get_number (till_ui_sale (f)), first) != 0
                    && till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_OPEN, WAIT_MS);

  /* the next customer: a cola, ¥10 handed over (F8) */
  add_and_wait (f, COLA_EAN);
  second = g_strdup (till_sale_get_number (till_ui_sale (f)));
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("F8", FALSE);
  TILL_UI_WAIT_FOR ((window = till_ui_find_window (TILL_TYPE_CASH_WINDOW)) != NULL, WAIT_MS);
  cash = TILL_CASH_WINDOW (window);
  till_ui_focus_window (window);
  gtk_editable_set_text (till_cash_window_get_entry (cash), "");
  till_ui_type ("10", 40, TRUE);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, WAIT_MS);

  /* the till restarts; the first sale is still suspended */
  till_ui_fixture_restart (f);
  TILL_UI_WAIT_FOR (till_payment_runtime_get_payment_status (till_ui_runtime (f))
                    == TILL_PAYMENT_STATUS_READY, WAIT_MS);
  TILL_UI_WAIT_FOR (gtk_widget_get_visible (GTK_WIDGET (f->cashier->suspended_label)), WAIT_MS);

  /* Ctrl+Shift+H, Enter: resumed with its number and lines */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key_control_shift ("h");
  TILL_UI_WAIT_FOR ((window = till_ui_find_window (TILL_TYPE_SUSPENDED_WINDOW)) != NULL, WAIT_MS);
  TILL_UI_WAIT_FOR (till_suspended_window_is_loaded (TILL_SUSPENDED_WINDOW (window)), WAIT_MS);
  till_ui_focus_window (window);
  till_ui_pump (100);
  till_ui_key ("Return", FALSE);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_sale_get_number (till_ui_sale (f)), first) == 0, WAIT_MS);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 3);
  g_assert_cmpint (till_sale_get_total_fen (till_ui_sale (f)), ==, 1300);

  /* Ctrl+Shift+T 10 %: above the cashier's 5 %, the manager's PIN */
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_SUSPENDED_WINDOW) == NULL, WAIT_MS);
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key_control_shift ("t");
  TILL_UI_WAIT_FOR ((window = till_ui_find_window (TILL_TYPE_DISCOUNT_WINDOW)) != NULL, WAIT_MS);
  till_ui_focus_window (window);
  till_ui_type ("10", 40, TRUE);
  TILL_UI_WAIT_FOR ((window = till_ui_find_window (TILL_TYPE_PIN_WINDOW)) != NULL, WAIT_MS);
  g_assert_cmpint (till_sale_get_total_fen (till_ui_sale (f)), ==, 1300);
  till_ui_focus_window (window);
  till_ui_type (MANAGER_PIN, 20, TRUE);
  /* 10 % of ¥13.00; spread 35 + 75 + 20 */
  TILL_UI_WAIT_FOR (till_sale_get_total_fen (till_ui_sale (f)) == 1170, WAIT_MS);
  chips_final = till_sale_line_get_final_fen (till_sale_get_line (till_ui_sale (f), 1));
  g_assert_cmpint (chips_final, ==, 675);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_customer_display_get_saved_text (f->display),
                               "已优惠 ¥1.30 · You saved ¥1.30") == 0, WAIT_MS);
  g_free (till_ui_screenshot (GTK_WIDGET (f->cashier), "counter-day-discounted"));

  /* paid with a WeChat Pay code */
  till_ui_feed (f, code);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, PAY_WAIT_MS);
  till_store_flush (f->store);
  out_trade_no = till_ui_query_text (f, "SELECT p.out_trade_no FROM payment p JOIN sale s"
                                        " ON s.id = p.sale_id WHERE s.number = ?1"
                                        " AND p.state = 'paid'", first);
  g_assert_nonnull (out_trade_no);

  /* the crisps brought back: their line's paid amount, ¥6.75, refunded with a PIN */
  w = till_refund_window_new (GTK_WINDOW (f->cashier), f->context);
  g_object_ref_sink (w);
  gtk_window_present (GTK_WINDOW (w));
  till_refund_window_open_sale (w, first);
  TILL_UI_WAIT_FOR (till_refund_window_get_refundable (w) != NULL
                    && !till_refund_window_get_busy (w), WAIT_MS);
  r = till_refund_window_get_refundable (w);
  g_assert_cmpint (r->paid_fen, ==, 1170);
  till_refund_window_set_request (w, "6.75", "crisps brought back");
  pin = till_refund_window_refund (w);
  g_assert_nonnull (pin);
  g_object_ref (pin);
  pin_try (pin, MANAGER_PIN);
  TILL_UI_WAIT_FOR (query_int (f, "SELECT count(*) FROM refund WHERE state = 'success'"
                                  " AND amount_fen = ?1", "675") == 1, PAY_WAIT_MS);

  /* the database */
  till_store_flush (f->store);
  g_assert_cmpint (query_int (f, "SELECT total_fen FROM sale WHERE number = ?1", first), ==, 1170);
  g_assert_cmpint (query_int (f, "SELECT sum (l.final_fen) FROM sale_line l JOIN sale s"
                                 " ON s.id = l.sale_id WHERE s.number = ?1", first), ==, 1170);
  g_assert_cmpint (query_int (f, "SELECT sum (p.amount_fen) FROM payment p JOIN sale s"
                                 " ON s.id = p.sale_id WHERE s.number = ?1"
                                 " AND p.state = 'paid'", first), ==, 1170);
  g_assert_cmpint (query_int (f, "SELECT sum (r.amount_fen) FROM refund r JOIN payment p"
                                 " ON p.id = r.payment_id JOIN sale s ON s.id = p.sale_id"
                                 " WHERE s.number = ?1 AND r.state = 'success'", first), ==, 675);
  g_assert_cmpint (query_int (f, "SELECT total_fen FROM sale WHERE number = ?1", second), ==, 350);

  /* the simulator's ledger */
  order = sim_order (sim, out_trade_no);
  g_assert_nonnull (order);
  g_assert_cmpint (json_object_get_int_member (order, "total"), ==, 1170);
  g_assert_cmpint (json_object_get_int_member (order, "charged"), ==, 1170);
  g_assert_cmpint (json_object_get_int_member (order, "refunded"), ==, 675);
  g_assert_cmpint (json_object_get_int_member (order, "net"), ==, 1170 - 675);

  /* the audit log: suspended, resumed, the discount with its approving manager, the
   * refund's approval */
  g_assert_cmpint (audit_count (f, "suspend_sale"), ==, 1);
  g_assert_cmpint (audit_count (f, "resume_sale"), ==, 1);
  g_assert_cmpint (audit_count (f, "approve:discount"), ==, 1);
  g_assert_cmpint (audit_count (f, "discount_sale"), ==, 1);
  g_assert_cmpint (audit_count (f, "approve:refund"), ==, 1);
  detail = till_ui_query_text (f, "SELECT detail_json FROM audit WHERE action = ?1",
                               "discount_sale");
  g_assert_nonnull (strstr (detail, "\"manager\":\"王店长\""));
  g_assert_nonnull (strstr (detail, "1300"));
  g_assert_nonnull (strstr (detail, "1170"));

  /* the day's report */
  report = till_store_report_day (f->store, date, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_sales, ==, 2);
  g_assert_cmpint (report->gross_fen, ==, 1170 + 350);
  g_assert_cmpint (report->refunds_fen, ==, 675);
  g_assert_cmpint (report->net_fen, ==, 1170 + 350 - 675);
  g_assert_cmpint (report->discounts_fen, ==, 130);
  g_assert_cmpint (report->method_fen[TILL_REPORT_WECHAT_CODE], ==, 1170);
  g_assert_cmpint (report->method_refund_fen[TILL_REPORT_WECHAT_CODE], ==, 675);

  g_clear_object (&pin);
  gtk_window_destroy (GTK_WINDOW (w));
  g_object_unref (w);
  till_ui_fixture_free (f);
  g_object_unref (sim);
  remove_tree (sim_dir);
}

/* ---- 3. reconciliation: scheduled at the day close, fetched from the reports ---- */

/* A sale of one cola paid with an Alipay code. */
static void
alipay_sale (TillUiFixture *f)
{
  add_and_wait (f, COLA_EAN);
  till_ui_feed (f, ALIPAY);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, PAY_WAIT_MS);
  till_store_flush (f->store);
}

/* Both providers set up, a sale paid with each: the day close queues one bill job per
 * provider; the reports show both parts, "Fetch now" (Ctrl+B, every provider) says each
 * bill is not ready yet, then, the bills made, reconciles each with its own payment. */
static void
test_reconcile_fetch_now (void)
{
  g_autofree char *sim_dir = NULL;
  TillPaysim *sim = start_sim (&sim_dir);
  TillUiFixture *f = pay_fixture (sim);
  g_autofree char *date = today ();
  g_autofree char *key = g_strconcat ("bill:", date, NULL);
  g_autofree char *alipay_key = g_strconcat ("bill:alipay:", date, NULL);
  g_autofree char *job_state = NULL;
  g_autofree char *bill_path = g_strconcat ("/_sim/bill/", date, NULL);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GtkWindow) pin = NULL;
  const char *const providers[] = { "wechat", "alipay" };
  TillDayCloseWindow *close;
  TillReportWindow *report;
  guint status = 0;

  g_assert_nonnull (till_payment_runtime_get_bill_service (till_ui_runtime (f)));
  g_assert_nonnull (till_payment_runtime_get_provider (till_ui_runtime (f), "alipay"));
  add_manager (f);
  g_free (wechat_sale (f));
  alipay_sale (f);

  /* The day close schedules the day's reconciliation: a fetch_bill job per provider. */
  close = till_day_close_window_new (GTK_WINDOW (f->cashier), f->context, NULL);
  g_object_ref_sink (close);
  gtk_window_present (GTK_WINDOW (close));
  TILL_UI_WAIT_FOR (!till_day_close_window_get_loading (close), WAIT_MS);
  g_assert_cmpint (till_day_close_window_get_expected_fen (close), ==, 0);
  pin = till_day_close_window_close_day (close);
  g_assert_nonnull (pin);
  g_object_ref (pin);
  pin_try (pin, MANAGER_PIN);
  TILL_UI_WAIT_FOR (till_day_close_window_get_closed (close), WAIT_MS);
  job_state = till_ui_query_text (f, "SELECT kind || ' ' || state FROM outbox WHERE key = ?1", key);
  g_assert_cmpstr (job_state, ==, "fetch_bill pending");
  g_free (job_state);
  job_state = till_ui_query_text (f, "SELECT kind || ' ' || state || ' '"
                                     " || json_extract (payload_json, '$.provider')"
                                     " FROM outbox WHERE key = ?1", alipay_key);
  g_assert_cmpstr (job_state, ==, "fetch_bill pending alipay");
  g_clear_object (&pin);
  gtk_window_destroy (GTK_WINDOW (close));
  g_object_unref (close);

  report = till_report_window_new (GTK_WINDOW (f->cashier), f->context);
  g_object_ref_sink (report);
  gtk_window_set_default_size (GTK_WINDOW (report), 1000, 760);
  gtk_window_present (GTK_WINDOW (report));
  TILL_UI_WAIT_FOR (!till_report_window_get_loading (report), WAIT_MS);
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    {
      g_assert_true (till_report_window_get_reconcile_shown (report, providers[i]));
      g_assert_nonnull (strstr (till_report_window_get_reconcile_status (report, providers[i]),
                                "not been fetched"));
    }

  /* Before the providers have made the bills: "not ready yet" for each, nothing stored. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (report), "report.fetch-bill", "s", ""));
  g_assert_true (till_report_window_get_fetching (report));
  TILL_UI_WAIT_FOR (!till_report_window_get_fetching (report), PAY_WAIT_MS);
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    {
      g_assert_nonnull (strstr (till_report_window_get_reconcile_job (report, providers[i]),
                                "not ready yet"));
      g_assert_nonnull (strstr (till_report_window_get_reconcile_status (report, providers[i]),
                                "not been fetched"));
    }

  /* The bills are made: Fetch now reconciles each provider's one payment. */
  answer = sim_control (sim, "POST", bill_path, &status);
  g_assert_cmpuint (status, ==, 200);
  till_report_window_fetch_bill (report, "alipay");
  g_assert_true (till_report_window_get_fetching (report));
  TILL_UI_WAIT_FOR (!till_report_window_get_fetching (report), PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (!till_report_window_get_loading (report), WAIT_MS);
  g_assert_nonnull (strstr (till_report_window_get_reconcile_job (report, "alipay"), "reconciled"));
  /* (WeChat Pay's bill job may have found its bill by now too: the runtime's worker tries
   * its jobs again when the network is seen back.) */
  till_report_window_fetch_bill (report, NULL);
  TILL_UI_WAIT_FOR (!till_report_window_get_fetching (report), PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (!till_report_window_get_loading (report), WAIT_MS);
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    {
      const char *p = providers[i];

      g_assert_nonnull (strstr (till_report_window_get_reconcile_job (report, p), "reconciled"));
      g_assert_nonnull (strstr (till_report_window_get_reconcile_status (report, p), "Matched"));
      g_assert_nonnull (strstr (till_report_window_get_reconcile_counts (report, p), "Matched 1 "));
      g_assert_nonnull (strstr (till_report_window_get_reconcile_counts (report, p),
                                "Missing at the till 0"));
      g_assert_nonnull (strstr (till_report_window_get_reconcile_counts (report, p),
                                "Missing at the provider 0"));
      g_assert_cmpuint (g_list_model_get_n_items (
                          till_report_window_get_reconcile_rows (report, p)), ==, 0);
    }
  /* each stored apart: Alipay's fetched twice, WeChat Pay's at least once */
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM reconciliation WHERE provider = ?1",
                              "alipay"), >=, 2);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM reconciliation WHERE provider = ?1",
                              "wechat"), >=, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM reconciliation WHERE provider NOT IN"
                                 " ('wechat', ?1)", "alipay"), ==, 0);
  {
    GtkWidget *stack = NULL;
    GtkWidget *todo[128];
    int top = 0;

    todo[top++] = GTK_WIDGET (report);
    while (top > 0 && stack == NULL)
      {
        GtkWidget *w = todo[--top];

        if (GTK_IS_STACK (w) && gtk_stack_get_child_by_name (GTK_STACK (w), "reconcile") != NULL)
          stack = w;
        for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL && top < 128;
             c = gtk_widget_get_next_sibling (c))
          todo[top++] = c;
      }
    g_assert_nonnull (stack);
    gtk_stack_set_visible_child_name (GTK_STACK (stack), "reconcile");
  }
  g_free (till_ui_screenshot (GTK_WIDGET (report), "wiring-reconciled"));

  gtk_window_destroy (GTK_WINDOW (report));
  g_object_unref (report);
  till_ui_fixture_free (f);
  g_object_unref (sim);
  remove_tree (sim_dir);
}

/* Without electronic payment there is no bill to fetch: the action is off. */
static void
test_reconcile_not_configured (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  TillReportWindow *report = till_report_window_new (GTK_WINDOW (f->cashier), f->context);

  g_object_ref_sink (report);
  gtk_window_present (GTK_WINDOW (report));
  TILL_UI_WAIT_FOR (!till_report_window_get_loading (report), WAIT_MS);
  g_assert_null (till_payment_runtime_get_bill_service (till_ui_runtime (f)));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (report), "report.fetch-bill", "s", "")
                  && till_report_window_get_fetching (report));
  g_assert_false (till_report_window_get_reconcile_shown (report, "wechat"));
  g_assert_false (till_report_window_get_reconcile_shown (report, "alipay"));
  till_report_window_fetch_bill (report, NULL);
  g_assert_false (till_report_window_get_fetching (report));
  g_assert_nonnull (strstr (till_report_window_get_reconcile_job (report, NULL), "not configured"));
  gtk_window_destroy (GTK_WINDOW (report));
  g_object_unref (report);
  till_ui_fixture_free (f);
}

/* ---- 4. receipt codes ---- */

static char *
stored_cash_sale (TillUiFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillProduct) cola = till_store_lookup_barcode (f->store, COLA_EAN, &error);
  g_autofree char *number = till_store_next_sale_number_for_till (f->store, "77",
                                                                  g_get_real_time (), &error);
  g_autoptr(TillSale) s = till_sale_new (number);
  g_autoptr(TillSaleLine) line = till_sale_line_new (cola->id, cola->barcode, cola->name,
                                                     cola->unit, cola->price_fen, 2000, FALSE);

  g_assert_no_error (error);
  till_sale_add_line (s, line, &error);
  g_assert_no_error (error);
  g_assert_true (till_store_save_sale (f->store, s, "test", "77", &error));
  g_assert_true (till_store_complete_cash_sale (f->store, s, till_sale_get_total_fen (s), &error));
  g_assert_no_error (error);
  return g_steal_pointer (&number);
}

static guint
n_refund_windows (GtkApplication *app)
{
  guint n = 0;

  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (TILL_IS_REFUND_WINDOW (l->data) && gtk_widget_get_visible (l->data))
      n++;
  return n;
}

static TillRefundWindow *
refund_window (GtkApplication *app)
{
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (TILL_IS_REFUND_WINDOW (l->data))
      return l->data;
  return NULL;
}

static void
test_receipt_code_opens_refunds (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autofree char *number = stored_cash_sale (f);
  g_autofree char *code = till_barcode_receipt_code (number);
  g_autofree char *expected = NULL;
  g_autoptr(GtkApplication) app = NULL;
  g_autoptr(TillManagerActions) actions = NULL;
  g_autoptr(GError) error = NULL;
  TillRefundWindow *w;

  /* Without an application (no managers' actions): the message, with the state in words. */
  expected = g_strdup_printf ("%s:", number);
  till_ui_feed (f, code);
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, expected), WAIT_MS);
  g_assert_true (till_ui_message_contains (f, till_sale_state_to_label (TILL_SALE_STATE_PAID)));
  g_assert_false (till_ui_message_contains (f, " paid,"));
  g_assert_null (till_ui_find_window (TILL_TYPE_REFUND_WINDOW));

  /* With the application: the refunds window opens on that sale. */
  app = gtk_application_new (APPLICATION_ID, G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  gtk_application_add_window (app, GTK_WINDOW (f->cashier));
  g_assert_false (till_manager_actions_get_installed (app));
  actions = till_manager_actions_new (app, f->context);
  g_assert_true (till_manager_actions_get_installed (app));

  till_ui_feed (f, code);
  TILL_UI_WAIT_FOR (refund_window (app) != NULL, WAIT_MS);
  w = refund_window (app);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_refund_window_get_sale_number (w), number) == 0
                    && !till_refund_window_get_busy (w), WAIT_MS);
  g_assert_cmpstr (till_refund_window_get_refundable (w)->refund_state, ==, "none");
  g_assert_cmpuint (n_refund_windows (app), ==, 1);

  /* While it is open it takes the codes itself: still one window. */
  till_ui_feed (f, code);
  till_ui_pump (300);
  TILL_UI_WAIT_FOR (!till_refund_window_get_busy (w), WAIT_MS);
  g_assert_cmpuint (n_refund_windows (app), ==, 1);

  /* Unknown sale numbers stay a message of the cashier's window. */
  gtk_window_destroy (GTK_WINDOW (w));
  till_ui_pump (50);
  g_free (code);
  code = till_barcode_receipt_code ("77-20991231-9999");
  till_ui_feed (f, code);
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, "No sale"), WAIT_MS);
  g_assert_cmpuint (n_refund_windows (app), ==, 0);

  gtk_application_remove_window (app, GTK_WINDOW (f->cashier));
  till_ui_fixture_free (f);
}

/* ---- 5. settings ---- */

static void
test_settings_receipts (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  TillPreferencesWindow *w = till_preferences_window_new (GTK_WINDOW (f->cashier), f->context);
  GtkSwitch *signin = NULL;
  GtkEditable *printer = NULL;
  AdwComboRow *width = NULL;
  g_autofree char *target = NULL;

  g_object_ref_sink (w);
  gtk_window_present (GTK_WINDOW (w));
  till_preferences_window_get_receipt_widgets (w, &signin, &printer, &width);
  g_assert_true (GTK_IS_SWITCH (signin));
  g_assert_true (ADW_IS_ENTRY_ROW (printer));
  g_assert_true (ADW_IS_COMBO_ROW (width));

  /* Defaults: off, no printer, 58 mm. */
  g_assert_false (gtk_switch_get_active (signin));
  g_assert_cmpstr (gtk_editable_get_text (printer), ==, "");
  g_assert_cmpuint (adw_combo_row_get_selected (width), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (width)), ==, 2);

  /* Settings → widgets. */
  g_settings_set_boolean (f->settings, "require-sign-in", TRUE);
  g_settings_set_string (f->settings, "receipt-printer", "/dev/usb/lp0");
  g_settings_set_uint (f->settings, "receipt-width", 80);
  till_ui_pump (20);
  g_assert_true (gtk_switch_get_active (signin));
  g_assert_cmpstr (gtk_editable_get_text (printer), ==, "/dev/usb/lp0");
  g_assert_cmpuint (adw_combo_row_get_selected (width), ==, 1);
  /* Other widths are read as 58 mm. */
  g_settings_set_uint (f->settings, "receipt-width", 70);
  g_assert_cmpuint (adw_combo_row_get_selected (width), ==, 0);

  /* Widgets → settings. */
  gtk_switch_set_active (signin, FALSE);
  g_assert_false (g_settings_get_boolean (f->settings, "require-sign-in"));
  gtk_editable_set_text (printer, "192.168.1.50:9100");
  target = g_settings_get_string (f->settings, "receipt-printer");
  g_assert_cmpstr (target, ==, "192.168.1.50:9100");
  adw_combo_row_set_selected (width, 1);
  g_assert_cmpuint (g_settings_get_uint (f->settings, "receipt-width"), ==, 80);
  adw_combo_row_set_selected (width, 0);
  g_assert_cmpuint (g_settings_get_uint (f->settings, "receipt-width"), ==, 58);
  gtk_editable_set_text (printer, "");
  g_free (target);
  target = g_settings_get_string (f->settings, "receipt-printer");
  g_assert_cmpstr (target, ==, "");

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (w), "receipts");
  g_free (till_ui_screenshot (GTK_WIDGET (w), "wiring-preferences"));
  gtk_window_destroy (GTK_WINDOW (w));
  g_object_unref (w);
  till_ui_fixture_free (f);
}

/* Every setting's value, printed, one per line (to compare before and after). */
static char *
settings_dump (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  GString *out = g_string_new (NULL);

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      g_string_append_printf (out, "%s=%s\n", keys[i], text);
    }
  return g_string_free (out, FALSE);
}

static gboolean
has_focus_within (GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* The mouse wheel over a value nobody picked scrolls the page and changes nothing; over the
 * value that has the keyboard focus it steps the value, as GTK does. Real wheel clicks (X
 * buttons 4 and 5) at the pointer. */
static void
test_settings_wheel (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  TillPreferencesWindow *w = till_preferences_window_new (GTK_WINDOW (f->cashier), f->context);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GtkWidget *spin;
  GtkWidget *dropdown;
  GtkAdjustment *page;

  g_object_ref_sink (w);
  /* A screen short enough for the page of the scanner's settings to scroll. */
  gtk_window_set_default_size (GTK_WINDOW (w), 760, 480);
  gtk_window_present (GTK_WINDOW (w));
  till_ui_focus_window (GTK_WINDOW (w));
  spin = till_preferences_window_get_key_widget (w, "wedge-threshold-ms");
  dropdown = till_preferences_window_get_key_widget (w, "embedded-value-kind");
  g_assert_true (GTK_IS_SPIN_BUTTON (spin));
  g_assert_true (ADW_IS_COMBO_ROW (dropdown));
  adw_preferences_window_set_visible_page (
    ADW_PREFERENCES_WINDOW (w),
    ADW_PREFERENCES_PAGE (gtk_widget_get_ancestor (spin, ADW_TYPE_PREFERENCES_PAGE)));
  till_ui_pump (100);
  page = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (spin, GTK_TYPE_SCROLLED_WINDOW)));
  g_assert_cmpfloat (gtk_adjustment_get_upper (page), >, gtk_adjustment_get_page_size (page));
  g_assert_cmpfloat (gtk_adjustment_get_value (page), ==, 0);
  g_assert_false (has_focus_within (spin));
  g_assert_cmpuint (g_settings_get_uint (f->settings, "wedge-threshold-ms"), ==, 30);
  before = settings_dump (f->settings);

  /* Up over the spin button at the top of the page: nothing to scroll, nothing changes. */
  till_ui_pointer_to (spin, 0.3, 0.5);
  till_ui_wheel (FALSE, 3);
  g_assert_cmpuint (g_settings_get_uint (f->settings, "wedge-threshold-ms"), ==, 30);
  g_assert_cmpfloat (gtk_adjustment_get_value (page), ==, 0);

  /* Down: the page scrolls; whatever passes under the pointer keeps its value. */
  till_ui_wheel (TRUE, 4);
  g_assert_cmpfloat (gtk_adjustment_get_value (page), >, 0);
  after = settings_dump (f->settings);
  g_assert_cmpstr (after, ==, before);

  /* The same over a combo row (libadwaita 1.2's ignores the wheel; a later one may not). */
  gtk_adjustment_set_value (page, 0);
  till_ui_pump (100);
  till_ui_pointer_to (dropdown, 0.5, 0.5);
  till_ui_wheel (TRUE, 2);
  g_assert_cmpfloat (gtk_adjustment_get_value (page), >, 0);
  g_free (after);
  after = settings_dump (f->settings);
  g_assert_cmpstr (after, ==, before);
  g_assert_null (till_ui_find_window (GTK_TYPE_POPOVER));

  /* Clicked into (the keyboard focus), the spin button takes the wheel: one step up. */
  gtk_adjustment_set_value (page, 0);
  till_ui_pump (100);
  till_ui_pointer_to (spin, 0.2, 0.5);
  till_ui_click ();
  g_assert_true (has_focus_within (spin));
  g_assert_cmpuint (g_settings_get_uint (f->settings, "wedge-threshold-ms"), ==, 30);
  till_ui_wheel (FALSE, 1);
  g_assert_cmpuint (g_settings_get_uint (f->settings, "wedge-threshold-ms"), ==, 35);
  g_assert_cmpfloat (gtk_adjustment_get_value (page), ==, 0);

  gtk_window_destroy (GTK_WINDOW (w));
  g_object_unref (w);
  till_ui_fixture_free (f);
}

/* ---- 7. small things ---- */

static void
test_demo_banner_pins (void)
{
  TillUiFixture *f = till_ui_fixture_new_demo ();
  const char *text = gtk_label_get_text (f->cashier->demo_banner);

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->cashier->demo_banner)));
  g_assert_nonnull (strstr (text, "店长 8888"));
  g_assert_nonnull (strstr (text, "收银员小王 1111"));
  g_assert_nonnull (strstr (text, "收银员小李 2222"));
  g_assert_nonnull (strstr (text, "Training mode"));
  till_ui_fixture_free (f);
}

static void
test_display_count_matches (void)
{
  TillUiFixture *f = till_ui_fixture_new ();

  add_and_wait (f, COLA_EAN);
  add_and_wait (f, COLA_EAN);
  add_and_wait (f, CHIPS_EAN);
  till_ui_pump (50);
  /* the same figures: the cashier's in the till's language, the customer's bilingual */
  g_assert_cmpstr (gtk_label_get_text (f->cashier->count_label), ==, "2 lines · 3 items");
  g_assert_cmpstr (till_customer_display_get_count_text (f->display), ==,
                   "2 行 lines · 3 件 items");
  till_ui_fixture_free (f);
}

static void
test_default_icon (void)
{
  TillApplication *app = till_application_new ();
  g_autoptr(GError) error = NULL;

  /* Another id than the receipt test's application, which may still be exported. */
  g_application_set_application_id (G_APPLICATION (app), APPLICATION_ID ".IconTest");
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gtk_window_get_default_icon_name (), ==, APPLICATION_ID);
  /* Not unreferenced: its startup installed SIGINT/SIGTERM handlers that point at it. */
}

int
main (int   argc,
      char *argv[])
{
  /* A till in China: its day is WeChat Pay's (Beijing time), whatever the test host's. */
  g_setenv ("TZ", "Asia/Shanghai", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wiring/cashier/signed-in-on-sales", test_cashier_on_sales);
  g_test_add_func ("/wiring/refunds/wechat-partial", test_refund_electronic);
  g_test_add_func ("/wiring/counter/suspend-restart-resume-discount-pay-refund",
                   test_counter_day);
  g_test_add_func ("/wiring/reconcile/fetch-now", test_reconcile_fetch_now);
  g_test_add_func ("/wiring/reconcile/not-configured", test_reconcile_not_configured);
  g_test_add_func ("/wiring/receipt-code/opens-refunds", test_receipt_code_opens_refunds);
  g_test_add_func ("/wiring/settings/receipts", test_settings_receipts);
  g_test_add_func ("/wiring/settings/wheel", test_settings_wheel);
  g_test_add_func ("/wiring/demo-banner/pins", test_demo_banner_pins);
  g_test_add_func ("/wiring/display/count-matches", test_display_count_matches);
  g_test_add_func ("/wiring/app/default-icon", test_default_icon);
  return g_test_run ();
}
