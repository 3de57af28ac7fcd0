/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GUI tests of electronic payments on Xvfb: the real simulator (TillPaysim, in this
 * process, on 127.0.0.1), a real store, the real cashier window, customer display, demo
 * phone and settings window. Results are checked on screen and in the database. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <glib/gstdio.h>
#include <X11/Xlib.h>
#include <adwaita.h>
#include <libsoup/soup.h>

#include "till-camera-preview.h"
#include "till-cash-window.h"
#include "till-confirm-window.h"
#include "till-day-close-window.h"
#include "till-demo-phone.h"
#include "till-frame-decoder.h"
#include "till-paysim.h"
#include "till-pin-window.h"
#include "till-preferences-window.h"
#include "till-refund-window.h"
#include "till-report.h"
#include "till-shift.h"
#include "till-text-row.h"
#include "till-ui-test.h"
#include "till-wxpay-sign.h"

#define COLA_EAN   "6954767002057"   /* 可口可乐 500ml */
#define CHIPS_EAN  "6924678006079"   /* 乐事薯片原味 70g */
#define ALIPAY     "284567890123456789"

#define WAIT_MS      8000
#define PAY_WAIT_MS 20000

/* One simulator for the program; each test is a till of its own (device id). */
static TillPaysim *shared_sim;
static char       *shared_sim_dir;

typedef struct
{
  TillPaysim *sim;
  char        device_id[8];
  const char *key_path;     /* NULL = the simulator's */
  gboolean    configure;    /* FALSE: leave payment unconfigured */
  gboolean    wechat_only;  /* Alipay left unconfigured */
} Setup;

static void
prepare_settings (GSettings *settings,
                  gpointer   data)
{
  Setup *setup = data;

  if (!setup->configure)
    return;
  till_ui_paysim_settings (settings, setup->sim, setup->device_id, setup->key_path);
  if (setup->wechat_only)
    g_settings_set_string (settings, "alipay-app-id", "");
}

static const TillPaymentRuntimeTuning tuning = {
  .native_deadline_ms = 30000,
  .reverse_min_delay_ms = 1000,
  .reverse_attempts = 2,
  .reverse_retry_ms = 200,
  .backoff_base_ms = 300,
  .backoff_cap_ms = 1000,
  .probe_interval_ms = 400,
};

static void
setup_init (Setup      *setup,
            TillPaysim *sim)
{
  static guint n;

  memset (setup, 0, sizeof *setup);
  setup->sim = sim;
  setup->configure = TRUE;
  /* A device id per test keeps the order numbers of the fresh databases apart. */
  g_snprintf (setup->device_id, sizeof setup->device_id, "U%02u%02u",
              (guint) (g_get_real_time () / G_USEC_PER_SEC % 100), ++n % 100);
}

static TillUiFixture *
pay_fixture_full (Setup *setup)
{
  TillUiFixture *f = till_ui_fixture_new_full (FALSE, prepare_settings, setup, &tuning);

  if (setup->configure && setup->key_path == NULL)
    TILL_UI_WAIT_FOR (till_payment_runtime_get_payment_status (till_ui_runtime (f))
                      == TILL_PAYMENT_STATUS_READY, WAIT_MS);
  return f;
}

static TillUiFixture *
pay_fixture (void)
{
  Setup setup;

  setup_init (&setup, shared_sim);
  return pay_fixture_full (&setup);
}

static gboolean
display_says (TillUiFixture *f,
              const char    *needle)
{
  g_autofree char *text = till_customer_display_dup_payment_text (f->display);

  return strstr (text, needle) != NULL
         || strstr (till_customer_display_get_status_text (f->display), needle) != NULL;
}

static gboolean
state_is (TillUiFixture *f,
          const char    *state)
{
  return g_strcmp0 (till_checkout_get_payment_state (f->checkout), state) == 0;
}

static TillDemoPhone *
open_phone (TillUiFixture *f,
            TillPaysim    *sim)
{
  TillDemoPhone *phone = till_demo_phone_new (f->context, till_paysim_get_base_url (sim),
                                              f->display);

  gtk_window_present (GTK_WINDOW (phone));
  till_ui_pump (50);
  return phone;
}

static void
phone_scan (TillDemoPhone   *phone,
            TillDemoOutcome  outcome)
{
  till_demo_phone_set_outcome (phone, outcome);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (phone), "phone.scan", NULL));
}

static char *
query (TillUiFixture *f,
       const char    *sql,
       const char    *param)
{
  return till_ui_query_text (f, sql, param);
}

static gint64
query_int (TillUiFixture *f,
           const char    *sql,
           const char    *param)
{
  g_autofree char *text = query (f, sql, param);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : -1;
}

/* Decodes a texture the way the camera does (gray frame → zbar). */
static GPtrArray *
decode_texture (GdkTexture *texture)
{
  int w = gdk_texture_get_width (texture);
  int h = gdk_texture_get_height (texture);
  g_autofree guint8 *argb = g_malloc ((gsize) w * h * 4);
  g_autofree guint8 *gray = g_malloc ((gsize) w * h);
  g_autoptr(TillFrameDecoder) decoder = till_frame_decoder_new ();

  gdk_texture_download (texture, argb, (gsize) w * 4);
  for (int i = 0; i < w * h; i++)
    gray[i] = argb[4 * i + 1];   /* ARGB32 in memory: B G R A; gray has R = G = B */
  return till_frame_decoder_decode (decoder, gray, w, h, w);
}

/* ---- code pay ---- */

static void
test_pay_success (void)
{
  TillUiFixture *f = pay_fixture ();
  TillDemoPhone *phone = open_phone (f, shared_sim);
  g_autofree char *number = NULL;
  g_autofree char *sale_state = NULL;
  g_autofree char *method = NULL;
  g_autofree char *pay_state = NULL;
  g_autofree char *tx = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *total = NULL;

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  g_assert_true (display_says (f, "请出示付款码 · Please show your payment code"));

  phone_scan (phone, TILL_DEMO_OUTCOME_SUCCESS);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (display_says (f, "支付成功 · Paid"), WAIT_MS);
  g_assert_true (strstr (gtk_label_get_text (f->cashier->source_label),
                         till_scan_source_to_string (TILL_SCAN_SOURCE_DEMO)) != NULL);

  sale_state = query (f, "SELECT state FROM sale WHERE number = ?1", number);
  g_assert_cmpstr (sale_state, ==, "paid");
  method = query (f, "SELECT p.method FROM payment p JOIN sale s ON s.id = p.sale_id"
                     " WHERE s.number = ?1", number);
  g_assert_cmpstr (method, ==, "wechat_code");
  pay_state = query (f, "SELECT p.state FROM payment p JOIN sale s ON s.id = p.sale_id"
                        " WHERE s.number = ?1", number);
  g_assert_cmpstr (pay_state, ==, "paid");
  tx = query (f, "SELECT p.transaction_id FROM payment p JOIN sale s ON s.id = p.sale_id"
                 " WHERE s.number = ?1", number);
  g_assert_nonnull (tx);
  g_assert_cmpuint (strlen (tx), >, 10);
  amount = query (f, "SELECT p.amount_fen FROM payment p JOIN sale s ON s.id = p.sale_id"
                     " WHERE s.number = ?1", number);
  total = query (f, "SELECT total_fen FROM sale WHERE number = ?1", number);
  g_assert_cmpstr (amount, ==, total);

  till_ui_screenshot (GTK_WIDGET (f->display), "payui-display-paid");
  till_ui_screenshot (GTK_WIDGET (phone), "payui-demo-phone");
  till_ui_fixture_free (f);
}

static void
test_pay_password (void)
{
  TillUiFixture *f = pay_fixture ();
  TillDemoPhone *phone = open_phone (f, shared_sim);
  const char *countdown;

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  phone_scan (phone, TILL_DEMO_OUTCOME_PASSWORD);

  TILL_UI_WAIT_FOR (display_says (f, "请在手机上确认付款 · Please confirm the payment on your phone"),
                    PAY_WAIT_MS);
  g_assert_true (state_is (f, "user_paying"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->cashier->payment_panel)));
  countdown = gtk_label_get_text (f->cashier->payment_countdown_label);
  g_assert_true (strstr (countdown, " s left") != NULL);
  till_ui_screenshot (GTK_WIDGET (f->cashier), "payui-cashier-user-paying");

  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (display_says (f, "支付成功 · Paid"), WAIT_MS);
  g_assert_true (state_is (f, "paid"));
  till_ui_fixture_free (f);
}

static void
test_pay_not_enough (void)
{
  TillUiFixture *f = pay_fixture ();
  TillDemoPhone *phone = open_phone (f, shared_sim);
  g_autofree char *number = NULL;
  g_autofree char *pay_state = NULL;
  guint lines;

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  phone_scan (phone, TILL_DEMO_OUTCOME_NOT_ENOUGH);

  TILL_UI_WAIT_FOR (state_is (f, "failed"), PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (display_says (f, "支付失败 · Payment failed"), WAIT_MS);
  /* The reason and what to do, on both screens: the cashier's in the till's language
   * (English here), the customer's in Chinese and English whatever the till speaks. */
  TILL_UI_WAIT_FOR (display_says (f, "余额不足 · The balance is not enough"), WAIT_MS);
  g_assert_false (display_says (f, "take another payment"));
  g_assert_cmpstr (till_checkout_get_payment_message (f->checkout), ==,
                   "The balance is not enough — take another payment");
  till_ui_screenshot (GTK_WIDGET (f->display), "payui-display-not-enough");
  g_assert_cmpint (till_sale_get_state (till_ui_sale (f)), ==, TILL_SALE_STATE_OPEN);
  pay_state = query (f, "SELECT p.state FROM payment p JOIN sale s ON s.id = p.sale_id"
                        " WHERE s.number = ?1", number);
  g_assert_cmpstr (pay_state, ==, "failed");
  g_assert_cmpstr (query (f, "SELECT state FROM sale WHERE number = ?1", number), ==, "open");

  /* Nothing is paid: the cart is open for changes again. */
  lines = till_ui_n_lines (f);
  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  g_assert_cmpuint (till_ui_n_lines (f), ==, lines + 1);
  till_ui_fixture_free (f);
}

static void
test_pay_second_scan_refused_and_cart_locked (void)
{
  TillUiFixture *f = pay_fixture ();
  TillDemoPhone *phone = open_phone (f, shared_sim);
  g_autofree char *number = NULL;
  gint64 total;

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  total = till_sale_get_total_fen (till_ui_sale (f));
  phone_scan (phone, TILL_DEMO_OUTCOME_WALKS_AWAY);
  TILL_UI_WAIT_FOR (state_is (f, "user_paying"), PAY_WAIT_MS);

  /* A second code meanwhile is refused and never reaches the provider. */
  phone_scan (phone, TILL_DEMO_OUTCOME_SUCCESS);
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, "still in progress"), WAIT_MS);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM payment p JOIN sale s ON s.id = p.sale_id"
                                 " WHERE s.number = ?1", number), ==, 1);

  /* No line changes while the payment is live. */
  till_ui_feed (f, CHIPS_EAN);
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, "locked"), WAIT_MS);
  g_assert_cmpint (till_sale_get_total_fen (till_ui_sale (f)), ==, total);
  gtk_widget_activate_action (GTK_WIDGET (f->cashier), "cashier.void-line", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->cashier), "cashier.quantity", NULL);
  till_ui_pump (100);
  g_assert_null (till_ui_find_window (TILL_TYPE_CASH_WINDOW));
  g_assert_cmpuint (till_ui_n_lines (f), ==, 1);

  /* Cancel (F10): the walked-away payment is reversed, the customer is not charged. */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("F10", FALSE);
  TILL_UI_WAIT_FOR (state_is (f, "reversed"), PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (display_says (f, "未扣款 · Not charged"), WAIT_MS);
  g_assert_cmpstr (query (f, "SELECT p.state FROM payment p JOIN sale s ON s.id = p.sale_id"
                             " WHERE s.number = ?1", number), ==, "reversed");
  g_assert_cmpint (till_sale_get_state (till_ui_sale (f)), ==, TILL_SALE_STATE_OPEN);
  till_ui_fixture_free (f);
}

static void
test_pay_escape_cancels (void)
{
  TillUiFixture *f = pay_fixture ();
  TillDemoPhone *phone = open_phone (f, shared_sim);

  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  phone_scan (phone, TILL_DEMO_OUTCOME_WALKS_AWAY);
  TILL_UI_WAIT_FOR (state_is (f, "user_paying"), PAY_WAIT_MS);

  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("Escape", FALSE);
  TILL_UI_WAIT_FOR (state_is (f, "reversing") || state_is (f, "reversed"), WAIT_MS);
  TILL_UI_WAIT_FOR (state_is (f, "reversed"), PAY_WAIT_MS);
  /* The ledger agrees: revoked, nothing charged. */
  TILL_UI_WAIT_FOR (till_checkout_get_due_fen (f->checkout)
                    == till_sale_get_total_fen (till_ui_sale (f)), WAIT_MS);
  till_ui_fixture_free (f);
}

/* Issue 10 item 12: quitting while the customer confirms asks first; the window stays. */
static void
test_quit_during_payment_asks (void)
{
  TillUiFixture *f = pay_fixture ();
  TillDemoPhone *phone = open_phone (f, shared_sim);
  GtkWindow *confirm;

  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  phone_scan (phone, TILL_DEMO_OUTCOME_WALKS_AWAY);
  TILL_UI_WAIT_FOR (state_is (f, "user_paying"), PAY_WAIT_MS);

  gtk_widget_activate_action (GTK_WIDGET (f->cashier), "cashier.quit", NULL);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_CONFIRM_WINDOW) != NULL, WAIT_MS);
  confirm = till_ui_find_window (TILL_TYPE_CONFIRM_WINDOW);
  till_ui_screenshot (GTK_WIDGET (confirm), "cashier-quit-during-payment");
  till_ui_focus_window (confirm);
  till_ui_key ("Escape", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_CONFIRM_WINDOW) == NULL, WAIT_MS);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->cashier)));

  /* The window manager's close button asks the same. */
  gtk_window_close (GTK_WINDOW (f->cashier));
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_CONFIRM_WINDOW) != NULL, WAIT_MS);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->cashier)));
  till_ui_focus_window (till_ui_find_window (TILL_TYPE_CONFIRM_WINDOW));
  till_ui_key ("Escape", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_CONFIRM_WINDOW) == NULL, WAIT_MS);

  /* Once the payment is over nothing is asked. */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("F10", FALSE);
  TILL_UI_WAIT_FOR (state_is (f, "reversed"), PAY_WAIT_MS);
  gtk_widget_activate_action (GTK_WIDGET (f->cashier), "cashier.quit", NULL);
  till_ui_pump (100);
  g_assert_null (till_ui_find_window (TILL_TYPE_CONFIRM_WINDOW));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->cashier)));
  till_ui_fixture_free (f);
}

/* ---- split tender ---- */

static void
test_split_tender (void)
{
  TillUiFixture *f = pay_fixture ();
  TillDemoPhone *phone = open_phone (f, shared_sim);
  g_autofree char *number = NULL;
  TillCashWindow *cash;
  gint64 total;

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  total = till_sale_get_total_fen (till_ui_sale (f));
  g_assert_cmpint (total, >, 200);

  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("F8", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_CASH_WINDOW) != NULL, WAIT_MS);
  cash = TILL_CASH_WINDOW (till_ui_find_window (TILL_TYPE_CASH_WINDOW));
  till_ui_focus_window (GTK_WINDOW (cash));
  till_ui_type ("2", 40, FALSE);
  /* Enter alone refuses a short amount; Ctrl+Enter takes it as part cash. */
  till_ui_key ("Return", FALSE);
  g_assert_nonnull (till_ui_find_window (TILL_TYPE_CASH_WINDOW));
  till_ui_key ("Return", TRUE);
  TILL_UI_WAIT_FOR (till_checkout_get_paid_fen (f->checkout) == 200, WAIT_MS);
  till_ui_focus_window (GTK_WINDOW (f->cashier));

  g_assert_cmpint (till_checkout_get_due_fen (f->checkout), ==, total - 200);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->cashier->due_box)));
  g_assert_cmpint (till_sale_get_state (till_ui_sale (f)), ==, TILL_SALE_STATE_OPEN);
  {
    g_autofree char *due = till_money_format (total - 200);

    g_assert_cmpstr (gtk_label_get_text (f->cashier->due_label), ==, due);
    g_assert_cmpstr (till_customer_display_get_total_text (f->display), ==, due);
  }
  /* Part of it is paid: the cart is locked. */
  till_ui_feed (f, COLA_EAN);
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, "locked"), WAIT_MS);
  g_assert_cmpint (till_sale_get_total_fen (till_ui_sale (f)), ==, total);

  phone_scan (phone, TILL_DEMO_OUTCOME_SUCCESS);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, PAY_WAIT_MS);

  g_assert_cmpstr (query (f, "SELECT state FROM sale WHERE number = ?1", number), ==, "paid");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM payment p JOIN sale s ON s.id = p.sale_id"
                                 " WHERE s.number = ?1 AND p.state = 'paid'", number), ==, 2);
  g_assert_cmpint (query_int (f, "SELECT p.amount_fen FROM payment p JOIN sale s"
                                 " ON s.id = p.sale_id WHERE s.number = ?1"
                                 " AND p.method = 'cash'", number), ==, 200);
  g_assert_cmpint (query_int (f, "SELECT p.amount_fen FROM payment p JOIN sale s"
                                 " ON s.id = p.sale_id WHERE s.number = ?1"
                                 " AND p.method = 'wechat_code'", number), ==, total - 200);
  till_ui_fixture_free (f);
}

/* ---- Native ---- */

static void
test_native_qr (void)
{
  TillUiFixture *f = pay_fixture ();
  TillDemoPhone *phone = open_phone (f, shared_sim);
  g_autoptr(GPtrArray) codes = NULL;
  g_autofree char *number = NULL;
  const char *url;

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("F7", FALSE);
  TILL_UI_WAIT_FOR (till_customer_display_get_code_url (f->display) != NULL, PAY_WAIT_MS);
  url = till_customer_display_get_code_url (f->display);
  g_assert_true (g_str_has_prefix (url, "weixin://"));
  TILL_UI_WAIT_FOR (display_says (f, "请用微信扫码支付 · Scan with WeChat to pay"), WAIT_MS);
  g_assert_cmpstr (till_customer_display_get_qr_brand (f->display), ==, "wechat");

  /* What the customer's phone would read from the screen. */
  codes = decode_texture (till_customer_display_get_qr_texture (f->display));
  g_assert_cmpuint (codes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (codes, 0), ==, url);
  till_ui_screenshot (GTK_WIDGET (f->display), "payui-display-native-qr");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (phone), "phone.pay-qr", NULL));
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (display_says (f, "支付成功 · Paid"), WAIT_MS);
  g_assert_null (till_customer_display_get_code_url (f->display));
  g_assert_cmpstr (query (f, "SELECT p.method || ':' || p.state FROM payment p JOIN sale s"
                             " ON s.id = p.sale_id WHERE s.number = ?1", number), ==,
                   "wechat_native:paid");
  till_ui_fixture_free (f);
}

/* The screenshots of the metainfo (data/screenshots, see HACKING.md): a sale of six goods
 * in English, the customer about to scan the WeChat Pay QR, light and dark. */
static void
test_metainfo_screenshots (void)
{
  TillUiFixture *f = pay_fixture ();
  AdwStyleManager *manager = adw_style_manager_get_default ();
  const char *goods[] = { COLA_EAN, COLA_EAN, CHIPS_EAN, "6902483101257", "8001",
                          "2100001005009" };
  const struct { AdwColorScheme scheme; const char *name; } looks[] = {
    { ADW_COLOR_SCHEME_FORCE_LIGHT, "light" }, { ADW_COLOR_SCHEME_FORCE_DARK, "dark" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (goods); i++)
    till_ui_add_and_wait (f, goods[i], WAIT_MS);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 5);
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("F7", FALSE);
  TILL_UI_WAIT_FOR (till_customer_display_get_code_url (f->display) != NULL, PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (display_says (f, "请用微信扫码支付 · Scan with WeChat to pay"), WAIT_MS);
  for (guint i = 0; i < G_N_ELEMENTS (looks); i++)
    {
      g_autofree char *cashier = g_strdup_printf ("metainfo-cashier-%s", looks[i].name);
      g_autofree char *display = g_strdup_printf ("metainfo-customer-display-%s", looks[i].name);
      g_autofree char *cashier_png = NULL;
      g_autofree char *display_png = NULL;

      adw_style_manager_set_color_scheme (manager, looks[i].scheme);
      till_ui_pump (300);
      g_assert_cmpint (adw_style_manager_get_dark (manager), ==,
                       looks[i].scheme == ADW_COLOR_SCHEME_FORCE_DARK);
      cashier_png = till_ui_screenshot (GTK_WIDGET (f->cashier), cashier);
      display_png = till_ui_screenshot (GTK_WIDGET (f->display), display);
      g_assert_true (g_file_test (cashier_png, G_FILE_TEST_IS_REGULAR));
      g_assert_true (g_file_test (display_png, G_FILE_TEST_IS_REGULAR));
    }
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);

  /* The QR is given up (closed at WeChat Pay) before the next test. */
  till_ui_key ("Escape", FALSE);
  TILL_UI_WAIT_FOR (till_customer_display_get_code_url (f->display) == NULL, PAY_WAIT_MS);
  till_ui_fixture_free (f);
}

static void
test_native_cancel_closes (void)
{
  TillUiFixture *f = pay_fixture ();
  g_autofree char *number = NULL;

  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->cashier), "cashier.customer-scans",
                                             NULL));
  TILL_UI_WAIT_FOR (till_customer_display_get_code_url (f->display) != NULL, PAY_WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->cashier), "cashier.cancel-payment",
                                             NULL));
  TILL_UI_WAIT_FOR (state_is (f, "closed"), PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (till_customer_display_get_code_url (f->display) == NULL, WAIT_MS);
  g_assert_true (display_says (f, "未扣款 · Not charged"));
  g_assert_cmpstr (query (f, "SELECT p.state FROM payment p JOIN sale s ON s.id = p.sale_id"
                             " WHERE s.number = ?1", number), ==, "closed");
  g_assert_cmpint (till_sale_get_state (till_ui_sale (f)), ==, TILL_SALE_STATE_OPEN);
  till_ui_fixture_free (f);
}

/* ---- refusals ---- */

/* ---- Alipay ---- */

/* An Alipay payment code scanned at a till that has both providers: paid by Alipay. */
static void
test_alipay_code_paid (void)
{
  TillUiFixture *f = pay_fixture ();
  g_autofree char *number = NULL;

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  till_ui_feed (f, ALIPAY);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (display_says (f, "支付成功 · Paid"), WAIT_MS);
  g_assert_nonnull (strstr (till_checkout_get_payment_message (f->checkout), "Alipay"));
  g_assert_cmpstr (query (f, "SELECT p.method || ':' || p.state FROM payment p JOIN sale s"
                             " ON s.id = p.sale_id WHERE s.number = ?1", number), ==,
                   "alipay_code:paid");
  till_ui_fixture_free (f);
}

/* Shift+F7: the customer scans the other provider's QR (Alipay beside WeChat Pay): the
 * customer display shows Alipay's words and a QR that decodes to the order's qr_code;
 * Esc closes the order. */
static void
test_alipay_qr_shift_f7 (void)
{
  TillUiFixture *f = pay_fixture ();
  g_autoptr(GPtrArray) codes = NULL;
  g_autofree char *number = NULL;
  const char *url;

  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->cashier->customer_scans_other_button)));
  g_assert_cmpstr (gtk_button_get_label (f->cashier->customer_scans_button), ==,
                   "WeChat QR (F7)");
  g_assert_cmpstr (gtk_button_get_label (f->cashier->customer_scans_other_button), ==,
                   "Alipay QR (⇧F7)");
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key_shift ("F7");
  TILL_UI_WAIT_FOR (till_customer_display_get_code_url (f->display) != NULL, PAY_WAIT_MS);
  url = till_customer_display_get_code_url (f->display);
  TILL_UI_WAIT_FOR (display_says (f, "请用支付宝扫码 · Scan with Alipay to pay"), WAIT_MS);
  g_assert_cmpstr (till_customer_display_get_qr_brand (f->display), ==, "alipay");
  codes = decode_texture (till_customer_display_get_qr_texture (f->display));
  g_assert_cmpuint (codes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (codes, 0), ==, url);
  till_ui_screenshot (GTK_WIDGET (f->display), "payui-display-alipay-qr");
  till_ui_screenshot (GTK_WIDGET (f->cashier), "payui-cashier-alipay-qr");
  g_assert_cmpstr (query (f, "SELECT p.method FROM payment p JOIN sale s ON s.id = p.sale_id"
                             " WHERE s.number = ?1", number), ==, "alipay_qr");

  till_ui_key ("Escape", FALSE);
  TILL_UI_WAIT_FOR (state_is (f, "closed"), PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (till_customer_display_get_code_url (f->display) == NULL, WAIT_MS);
  g_assert_true (display_says (f, "未扣款 · Not charged"));
  till_ui_fixture_free (f);
}

/* The customer's phone scans an Alipay QR: the simulator's control call, sent without
 * blocking the main loop the in-process simulator runs on. */
static void
alipay_scanned_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);

  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
alipay_customer_scans (TillPaysim *sim,
                       const char *out_trade_no)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%s/_sim/alipay/scan", till_paysim_get_base_url (sim));
  g_autofree char *body = g_strdup_printf ("{\"out_trade_no\":\"%s\",\"outcome\":\"pay\"}",
                                           out_trade_no);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  gboolean done = FALSE;

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, alipay_scanned_cb,
                                    &done);
  TILL_UI_WAIT_FOR (done, WAIT_MS);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

/* The next sale, once it is at the counter (its number comes from the store). */
static void
next_sale (TillUiFixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (till_checkout_new_sale (f->checkout, &error));
  g_assert_no_error (error);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_OPEN
                    && till_sale_get_total_fen (till_ui_sale (f)) == 0, WAIT_MS);
}

static gint64
paid_total (TillUiFixture *f,
            const char    *method)
{
  return query_int (f, "SELECT coalesce (sum (amount_fen), 0) FROM payment WHERE state = 'paid'"
                       " AND method = ?1", method);
}

/* The row of `method` in the day close window: "label | n | amount | refunds". */
static void
assert_day_row (TillDayCloseWindow *w,
                guint               method,
                const char         *label,
                guint               n,
                gint64              fen,
                gint64              refund_fen)
{
  g_autofree char *amount = till_money_format (fen);
  g_autofree char *refund = refund_fen != 0 ? till_money_format (-refund_fen) : g_strdup ("");
  g_autofree char *expected = g_strdup_printf ("%s | %u | %s | %s", label, n, amount, refund);
  g_autofree char *shown = till_day_close_window_get_method_row (w, method);

  g_assert_cmpstr (shown, ==, expected);
}

/* A day of every method at one till: cash, WeChat Pay's code, Alipay's code and Alipay's
 * QR, each paid through the simulator; the refund window shows the Alipay sales under
 * their methods and refunds part of one to Alipay; the day close shows the day's takings
 * by method, Alipay's included, adding up to the day's sales. */
static void
test_alipay_day (void)
{
  TillUiFixture *f = pay_fixture ();
  TillDemoPhone *phone = open_phone (f, shared_sim);
  TillPeople *people = till_shift_get_people (till_context_get_shift (f->context));
  g_autoptr(GError) error = NULL;
  g_autofree char *cash_number = NULL, *wechat_number = NULL;
  g_autofree char *code_number = NULL, *qr_number = NULL;
  g_autofree char *out_trade_no = NULL;
  TillRefundWindow *refunds;
  TillDayCloseWindow *day;
  g_autoptr(GtkWindow) pin = NULL;
  gint64 cash_fen, wechat_fen, code_fen, qr_fen;

  till_people_add (people, "王店长", TILL_ROLE_MANAGER, "8642", "test", &error);
  g_assert_no_error (error);

  /* cash */
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  cash_number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  g_assert_true (till_checkout_pay_cash (f->checkout, till_checkout_get_due_fen (f->checkout),
                                         10000, &error));
  g_assert_no_error (error);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, WAIT_MS);
  next_sale (f);

  /* WeChat Pay's payment code, from the demo phone */
  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  wechat_number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  phone_scan (phone, TILL_DEMO_OUTCOME_SUCCESS);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, PAY_WAIT_MS);
  next_sale (f);

  /* Alipay's payment code */
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  code_number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (till_ui_sale (f))), ==, 2);
  {
    /* a code of its own: the simulator takes a payment code once */
    g_autofree char *code = g_strdup_printf ("28%06d%06d6789", g_random_int_range (0, 1000000),
                                             g_random_int_range (0, 1000000));

    till_ui_feed (f, code);
  }
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, PAY_WAIT_MS);
  next_sale (f);

  /* Alipay's QR (Shift+F7), scanned and paid by the customer */
  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  qr_number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key_shift ("F7");
  TILL_UI_WAIT_FOR (till_customer_display_get_code_url (f->display) != NULL, PAY_WAIT_MS);
  out_trade_no = query (f, "SELECT p.out_trade_no FROM payment p JOIN sale s"
                           " ON s.id = p.sale_id WHERE s.number = ?1", qr_number);
  alipay_customer_scans (shared_sim, out_trade_no);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, PAY_WAIT_MS);
  next_sale (f);

  cash_fen = paid_total (f, "cash");
  wechat_fen = paid_total (f, "wechat_code");
  code_fen = paid_total (f, "alipay_code");
  qr_fen = paid_total (f, "alipay_qr");
  g_assert_cmpint (cash_fen, >, 0);
  g_assert_cmpint (wechat_fen, >, 0);
  g_assert_cmpint (code_fen, >, 100);
  g_assert_cmpint (qr_fen, >, 0);

  /* The refund window: each sale of today under its method; ¥1.00 of the Alipay code
   * sale goes back to Alipay. */
  refunds = till_refund_window_new (GTK_WINDOW (f->cashier), f->context);
  g_object_ref_sink (refunds);
  gtk_window_present (GTK_WINDOW (refunds));
  TILL_UI_WAIT_FOR (g_list_model_get_n_items (till_refund_window_get_today (refunds)) == 4,
                    WAIT_MS);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(TillTextRow) row = g_list_model_get_item (till_refund_window_get_today (refunds),
                                                          i);
      const char *number = till_text_row_get_cell (row, 0);
      const char *method = till_text_row_get_cell (row, 3);

      if (g_strcmp0 (number, cash_number) == 0)
        g_assert_cmpstr (method, ==, "Cash");
      else if (g_strcmp0 (number, wechat_number) == 0)
        g_assert_cmpstr (method, ==, "WeChat code");
      else if (g_strcmp0 (number, code_number) == 0)
        g_assert_cmpstr (method, ==, "Alipay code");
      else
        {
          g_assert_cmpstr (number, ==, qr_number);
          g_assert_cmpstr (method, ==, "Alipay QR");
        }
    }
  till_refund_window_open_sale (refunds, code_number);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_refund_window_get_sale_number (refunds), code_number) == 0
                    && !till_refund_window_get_busy (refunds), WAIT_MS);
  {
    g_autofree char *amount = till_money_format (code_fen);
    g_autofree char *expected = g_strdup_printf ("Payments: Alipay code %s (paid)",
                                                 amount);

    g_assert_cmpstr (till_refund_window_get_payments_text (refunds), ==, expected);
  }
  till_refund_window_set_request (refunds, "1.00", "顾客退货 returned");
  pin = till_refund_window_refund (refunds);
  g_assert_nonnull (pin);
  g_object_ref (pin);
  till_pin_window_set_pin (TILL_PIN_WINDOW (pin), "8642");
  till_pin_window_submit (TILL_PIN_WINDOW (pin));
  TILL_UI_WAIT_FOR (till_refund_window_get_refundable (refunds) != NULL
                    && till_refund_window_get_refundable (refunds)->refunded_fen == 100
                    && !till_refund_window_get_busy (refunds), PAY_WAIT_MS);
  g_assert_nonnull (strstr (till_refund_window_get_message (refunds), "Refunded ¥1.00"));
  g_assert_nonnull (strstr (till_refund_window_get_state_text (refunds), "Partly refunded"));
  g_assert_cmpstr (query (f, "SELECT p.method || ':' || f.state || ':' || f.amount_fen"
                             " FROM refund f JOIN payment p ON p.id = f.payment_id", NULL), ==,
                   "alipay_code:success:100");
  till_ui_screenshot (GTK_WIDGET (refunds), "payui-refund-alipay");
  g_clear_object (&pin);
  gtk_window_destroy (GTK_WINDOW (refunds));
  g_object_unref (refunds);

  /* The day close: the day's takings by method, adding up to its sales. */
  day = till_day_close_window_new (GTK_WINDOW (f->cashier), f->context, NULL);
  g_object_ref_sink (day);
  gtk_window_present (GTK_WINDOW (day));
  TILL_UI_WAIT_FOR (!till_day_close_window_get_loading (day), WAIT_MS);
  assert_day_row (day, TILL_REPORT_CASH, "Cash", 1, cash_fen, 0);
  assert_day_row (day, TILL_REPORT_WECHAT_CODE, "WeChat code", 1, wechat_fen, 0);
  assert_day_row (day, TILL_REPORT_WECHAT_NATIVE, "WeChat QR", 0, 0, 0);
  assert_day_row (day, TILL_REPORT_ALIPAY_CODE, "Alipay code", 1, code_fen, 100);
  assert_day_row (day, TILL_REPORT_ALIPAY_QR, "Alipay QR", 1, qr_fen, 0);
  assert_day_row (day, TILL_REPORT_N_METHODS, "Total", 4,
                  cash_fen + wechat_fen + code_fen + qr_fen, 100);
  g_assert_cmpint (cash_fen + wechat_fen + code_fen + qr_fen, ==,
                   query_int (f, "SELECT sum (total_fen) FROM sale WHERE state = 'paid'", NULL));
  till_ui_screenshot (GTK_WIDGET (day), "payui-day-close-methods");
  gtk_window_destroy (GTK_WINDOW (day));
  g_object_unref (day);
  gtk_window_destroy (GTK_WINDOW (phone));
  till_ui_fixture_free (f);
}

/* Alipay not set up on this till: its code is refused before anything is stored, and F7
 * has no second provider. */
static void
test_alipay_not_set_up (void)
{
  Setup setup;
  TillUiFixture *f;
  gint64 total;

  setup_init (&setup, shared_sim);
  setup.wechat_only = TRUE;
  f = pay_fixture_full (&setup);
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  total = till_sale_get_total_fen (till_ui_sale (f));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->cashier->customer_scans_other_button)));
  till_ui_feed (f, ALIPAY);
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, "Alipay is not set up"), WAIT_MS);
  till_ui_pump (200);
  g_assert_null (till_checkout_get_payment_state (f->checkout));
  g_assert_cmpint (till_sale_get_total_fen (till_ui_sale (f)), ==, total);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM payment", NULL), ==, 0);
  till_ui_fixture_free (f);
}

static void
test_key_readable_by_others_refused (void)
{
  g_autofree char *src = till_paysim_dup_path (shared_sim, TILL_PAYSIM_FILE_MERCHANT_PRIVATE_KEY);
  g_autofree char *dir = g_dir_make_tmp ("till-key-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *pem = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillRsaKey) key = NULL;
  TillPreferencesWindow *prefs;
  TillUiFixture *f;
  Setup setup;
  gsize len;

  g_assert_true (g_file_get_contents (src, &pem, &len, NULL));
  g_assert_true (g_file_set_contents_full (path, pem, len, G_FILE_SET_CONTENTS_NONE, 0644,
                                           NULL));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  key = till_rsa_key_load_private_file (path, &error);
  g_assert_null (key);
  g_assert_nonnull (error);

  setup_init (&setup, shared_sim);
  setup.key_path = path;
  setup.wechat_only = TRUE;   /* with Alipay set up, the till would run on Alipay alone */
  f = pay_fixture_full (&setup);
  TILL_UI_WAIT_FOR (till_payment_runtime_get_payment_status (till_ui_runtime (f))
                    == TILL_PAYMENT_STATUS_NOT_CONFIGURED, WAIT_MS);
  g_assert_cmpstr (till_payment_runtime_get_payment_problem (till_ui_runtime (f)), ==,
                   error->message);

  prefs = till_preferences_window_new (GTK_WINDOW (f->cashier), f->context);
  gtk_window_present (GTK_WINDOW (prefs));
  till_ui_pump (100);
  g_assert_true (strstr (till_preferences_window_get_payment_status (prefs), error->message)
                 != NULL);
  /* The status bar says it too, and a code is not charged. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->cashier->epay_label)));
  g_assert_true (strstr (gtk_label_get_text (f->cashier->epay_label), error->message) != NULL);
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_ui_feed (f, "134567890123456789");
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, "not configured"), WAIT_MS);
  till_preferences_window_show_payment (prefs);
  till_ui_pump (300);
  till_ui_screenshot (GTK_WIDGET (prefs), "payui-preferences-key-refused");

  /* Made private, the same file works: the settings change rebuilds the service. */
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  g_settings_set_string (f->settings, "merchant-key-path", "");
  g_settings_set_string (f->settings, "merchant-key-path", path);
  TILL_UI_WAIT_FOR (till_payment_runtime_get_payment_status (till_ui_runtime (f))
                    == TILL_PAYMENT_STATUS_READY, WAIT_MS);
  TILL_UI_WAIT_FOR (strstr (till_preferences_window_get_payment_status (prefs), "ready") != NULL,
                    WAIT_MS);

  gtk_window_destroy (GTK_WINDOW (prefs));
  till_ui_fixture_free (f);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_preferences_test_connection (void)
{
  TillUiFixture *f;
  TillPreferencesWindow *prefs;
  Setup setup;

  /* WeChat Pay alone: without it the till is not configured at all. */
  setup_init (&setup, shared_sim);
  setup.wechat_only = TRUE;
  f = pay_fixture_full (&setup);
  prefs = till_preferences_window_new (GTK_WINDOW (f->cashier), f->context);

  gtk_window_present (GTK_WINDOW (prefs));
  till_ui_pump (50);
  g_assert_cmpstr (till_preferences_window_get_test_result (prefs), ==, "");
  till_preferences_window_test_connection (prefs);
  TILL_UI_WAIT_FOR (strstr (till_preferences_window_get_test_result (prefs), "ORDER_NOT_EXIST")
                    != NULL, WAIT_MS);
  /* A connection that works is also a toast (nothing to acknowledge); failures are not. */
  g_assert_nonnull (strstr (till_preferences_window_get_last_toast (prefs), "WeChat Pay"));
  g_assert_nonnull (strstr (till_preferences_window_get_last_toast (prefs), "connection works"));
  /* WeChat Pay's result is its own section's; Alipay's line says why it is not in use, and
   * its own test names the missing setting. */
  g_assert_cmpstr (till_preferences_window_get_provider_test_result (prefs, "wechat"), ==,
                   till_preferences_window_get_test_result (prefs));
  g_assert_cmpstr (till_preferences_window_get_provider_test_result (prefs, "alipay"), ==, "");
  g_assert_nonnull (strstr (till_preferences_window_get_provider_status (prefs, "wechat"),
                            "in use"));
  g_assert_null (strstr (till_preferences_window_get_provider_status (prefs, "wechat"),
                         "not in use"));
  g_assert_nonnull (strstr (till_preferences_window_get_provider_status (prefs, "alipay"),
                            "not in use: "));
  g_assert_nonnull (strstr (till_preferences_window_get_provider_status (prefs, "alipay"),
                            "Alipay AppID"));
  till_preferences_window_test_provider (prefs, "alipay");
  TILL_UI_WAIT_FOR (strstr (till_preferences_window_get_provider_test_result (prefs, "alipay"),
                            "Alipay AppID") != NULL, WAIT_MS);
  g_assert_nonnull (strstr (till_preferences_window_get_test_result (prefs), "ORDER_NOT_EXIST"));

  /* A wrong platform key id: the answer cannot be verified. */
  g_settings_set_string (f->settings, "platform-public-key-id", "PUB_KEY_ID_0000000000");
  till_preferences_window_test_connection (prefs);
  TILL_UI_WAIT_FOR (strstr (till_preferences_window_get_test_result (prefs), "failed") != NULL,
                    WAIT_MS);

  /* Missing settings are named. */
  g_settings_set_string (f->settings, "mchid", "");
  till_preferences_window_test_connection (prefs);
  TILL_UI_WAIT_FOR (strstr (till_preferences_window_get_test_result (prefs), "mchid") != NULL,
                    WAIT_MS);
  TILL_UI_WAIT_FOR (till_payment_runtime_get_payment_status (till_ui_runtime (f))
                    == TILL_PAYMENT_STATUS_NOT_CONFIGURED, WAIT_MS);
  g_assert_true (strstr (till_payment_runtime_get_payment_problem (till_ui_runtime (f)), "mchid")
                 != NULL);
  /* Nothing in use: each provider's line says so, the payment line says why. */
  TILL_UI_WAIT_FOR (strstr (till_preferences_window_get_payment_status (prefs), "mchid") != NULL,
                    WAIT_MS);
  g_assert_nonnull (strstr (till_preferences_window_get_provider_status (prefs, "wechat"),
                            "not in use"));
  g_assert_nonnull (strstr (till_preferences_window_get_provider_status (prefs, "alipay"),
                            "not in use"));

  gtk_window_destroy (GTK_WINDOW (prefs));
  till_ui_fixture_free (f);
}

static void
test_preferences_device_pickers (void)
{
  TillUiFixture *f = pay_fixture ();
  TillPreferencesWindow *prefs;
  GPtrArray *paths;

  g_settings_set_string (f->settings, "serial-scanner-device", "/dev/ttyTILLTEST9");
  prefs = till_preferences_window_new (GTK_WINDOW (f->cashier), f->context);
  gtk_window_present (GTK_WINDOW (prefs));
  till_ui_pump (50);

  /* "Off" first; a configured device that is not plugged in stays listed. */
  paths = till_preferences_window_get_serial_paths (prefs);
  g_assert_cmpuint (paths->len, >=, 2);
  g_assert_cmpstr (g_ptr_array_index (paths, 0), ==, "");
  g_assert_cmpstr (g_ptr_array_index (paths, paths->len - 1), ==, "/dev/ttyTILLTEST9");
  g_assert_cmpstr (g_ptr_array_index (till_preferences_window_get_camera_paths (prefs), 0),
                   ==, "");

  /* The serial scanner follows the setting; the status bar says it is not connected. */
  g_assert_cmpstr (till_serial_scanner_get_device (till_context_get_serial_scanner (f->context)),
                   ==, "/dev/ttyTILLTEST9");
  TILL_UI_WAIT_FOR (gtk_widget_get_visible (GTK_WIDGET (f->cashier->serial_label)), WAIT_MS);
  g_assert_true (strstr (gtk_label_get_text (f->cashier->serial_label), "disconnected") != NULL);

  /* Picking "Off" in the drop-down turns it off. */
  {
    AdwComboRow *serial = ADW_COMBO_ROW (till_preferences_window_get_key_widget (
      prefs, "serial-scanner-device"));

    g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (serial)), ==,
                      paths->len);
    g_assert_cmpuint (adw_combo_row_get_selected (serial), ==, paths->len - 1);
    adw_combo_row_set_selected (serial, 0);
  }
  g_assert_cmpstr (g_settings_get_string (f->settings, "serial-scanner-device"), ==, "");
  TILL_UI_WAIT_FOR (!gtk_widget_get_visible (GTK_WIDGET (f->cashier->serial_label)), WAIT_MS);

  gtk_window_destroy (GTK_WINDOW (prefs));
  till_ui_fixture_free (f);
}

/* ---- offline, the outbox, and the status bar ---- */

/* Issue 10 item 2: the provider's clock far off — the status bar says the clock is wrong
 * (not "Online") and what to do, in the banner; back in step, it is online again. */
static void
test_provider_clock_off (void)
{
  g_autofree char *dir = g_dir_make_tmp ("till-sim-clock-XXXXXX", NULL);
  TillPaysim *sim = till_ui_paysim_start (dir, 1500);
  TillUiFixture *f;
  Setup setup;

  setup_init (&setup, sim);
  f = pay_fixture_full (&setup);
  TILL_UI_WAIT_FOR (gtk_widget_get_visible (GTK_WIDGET (f->cashier->online_label)), WAIT_MS);
  g_assert_nonnull (strstr (gtk_label_get_text (f->cashier->online_label), "Online"));

  g_assert_true (till_paysim_set_clock_offset_s (sim, 900, NULL));
  TILL_UI_WAIT_FOR (gtk_widget_get_visible (GTK_WIDGET (f->cashier->offline_banner)), PAY_WAIT_MS);
  g_assert_nonnull (strstr (gtk_label_get_text (f->cashier->online_label), "Clock"));
  g_assert_nonnull (strstr (gtk_label_get_text (f->cashier->offline_banner), "15 minutes"));
  g_assert_false (till_checkout_get_epay_ready (f->checkout));
  till_ui_screenshot (GTK_WIDGET (f->cashier), "payui-cashier-clock-off");

  g_assert_true (till_paysim_set_clock_offset_s (sim, 0, NULL));
  TILL_UI_WAIT_FOR (!gtk_widget_get_visible (GTK_WIDGET (f->cashier->offline_banner)),
                    PAY_WAIT_MS);
  g_assert_nonnull (strstr (gtk_label_get_text (f->cashier->online_label), "Online"));
  till_ui_fixture_free (f);
  till_paysim_stop (sim);
  g_object_unref (sim);
}

static void
test_offline_status_and_pending_jobs (void)
{
  g_autofree char *dir = g_dir_make_tmp ("till-sim-off-XXXXXX", NULL);
  TillPaysim *sim = till_ui_paysim_start (dir, 1500);
  guint16 port = till_paysim_get_port (sim);
  g_autoptr(GError) error = NULL;
  TillDemoPhone *phone;
  TillUiFixture *f;
  Setup setup;

  setup_init (&setup, sim);
  f = pay_fixture_full (&setup);
  phone = open_phone (f, sim);
  TILL_UI_WAIT_FOR (gtk_widget_get_visible (GTK_WIDGET (f->cashier->online_label)), WAIT_MS);
  g_assert_true (strstr (gtk_label_get_text (f->cashier->online_label), "Online") != NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->cashier->offline_banner)));

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  phone_scan (phone, TILL_DEMO_OUTCOME_WALKS_AWAY);
  TILL_UI_WAIT_FOR (state_is (f, "user_paying"), PAY_WAIT_MS);

  /* The provider goes away: the status bar says offline, electronic payment stops. */
  till_paysim_stop (sim);
  TILL_UI_WAIT_FOR (!till_payment_runtime_get_online (till_ui_runtime (f)), PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (gtk_widget_get_visible (GTK_WIDGET (f->cashier->offline_banner)), WAIT_MS);
  g_assert_true (strstr (gtk_label_get_text (f->cashier->online_label), "Offline") != NULL);

  /* Cancel: the reverse cannot be sent now, so it waits in the outbox. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->cashier), "cashier.cancel-payment",
                                             NULL));
  TILL_UI_WAIT_FOR (till_payment_runtime_get_pending_count (till_ui_runtime (f)) >= 1, PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (strstr (gtk_label_get_text (f->cashier->pending_label), "1 jobs waiting")
                    != NULL, WAIT_MS);
  TILL_UI_WAIT_FOR (!state_is (f, "user_paying"), PAY_WAIT_MS);
  till_ui_screenshot (GTK_WIDGET (f->cashier), "payui-cashier-offline");

  /* A code now is refused with the offline message (a new sale, nothing live). */
  TILL_UI_WAIT_FOR (till_payment_runtime_get_pending_count (till_ui_runtime (f)) >= 1, WAIT_MS);

  /* The provider comes back on the same address: the job is done, the bar says online. */
  g_assert_true (till_paysim_listen (sim, "127.0.0.1", port, &error));
  g_assert_no_error (error);
  TILL_UI_WAIT_FOR (till_payment_runtime_get_online (till_ui_runtime (f)), PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (till_payment_runtime_get_pending_count (till_ui_runtime (f)) == 0, PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (state_is (f, "reversed"), PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (!gtk_widget_get_visible (GTK_WIDGET (f->cashier->offline_banner)), WAIT_MS);
  g_assert_true (strstr (gtk_label_get_text (f->cashier->pending_label), "0 jobs waiting")
                 != NULL);

  till_ui_fixture_free (f);
  till_paysim_stop (sim);
  g_object_unref (sim);
}

static void
test_offline_refuses_codes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("till-sim-off2-XXXXXX", NULL);
  TillPaysim *sim = till_ui_paysim_start (dir, 1500);
  TillUiFixture *f;
  Setup setup;

  setup_init (&setup, sim);
  f = pay_fixture_full (&setup);
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_paysim_stop (sim);
  TILL_UI_WAIT_FOR (!till_payment_runtime_get_online (till_ui_runtime (f)), PAY_WAIT_MS);
  till_ui_feed (f, "134567890123450000");
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, "Offline — cash only"), WAIT_MS);
  g_assert_null (till_checkout_get_payment_state (f->checkout));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM payment", NULL), ==, 0);
  /* Cash still works. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->cashier), "cashier.cash", NULL));
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_CASH_WINDOW) != NULL, WAIT_MS);
  g_assert_true (
      till_cash_window_confirm (TILL_CASH_WINDOW (till_ui_find_window (TILL_TYPE_CASH_WINDOW))));
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, WAIT_MS);
  till_ui_fixture_free (f);
  g_object_unref (sim);
}

/* ---- startup recovery ---- */

static void
test_resume_unfinished_payment_on_start (void)
{
  TillUiFixture *f = pay_fixture ();
  TillDemoPhone *phone = open_phone (f, shared_sim);
  g_autofree char *number = NULL;

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  phone_scan (phone, TILL_DEMO_OUTCOME_WALKS_AWAY);
  TILL_UI_WAIT_FOR (state_is (f, "user_paying"), PAY_WAIT_MS);

  /* "Power loss": the service stops as a crash would; a new context is the next start. */
  till_payment_service_shutdown (till_payment_runtime_get_payment_service (till_ui_runtime (f)));
  gtk_window_destroy (GTK_WINDOW (phone));
  gtk_window_destroy (GTK_WINDOW (f->cashier));
  g_clear_object (&f->cashier);
  g_clear_object (&f->context);
  till_ui_pump (50);
  g_assert_cmpstr (query (f, "SELECT p.state FROM payment p JOIN sale s ON s.id = p.sale_id"
                             " WHERE s.number = ?1", number), ==, "user_paying");

  f->context = till_context_new (f->store, f->settings, NULL, f->dir, FALSE);
  till_payment_runtime_set_tuning (till_ui_runtime (f), &tuning);
  /* Not ready until the unfinished payment was handed on. */
  g_assert_cmpint (till_payment_runtime_get_payment_status (till_ui_runtime (f)), !=,
                   TILL_PAYMENT_STATUS_READY);
  till_ui_fixture_reopen (f);
  TILL_UI_WAIT_FOR (till_payment_runtime_get_payment_status (till_ui_runtime (f))
                    == TILL_PAYMENT_STATUS_READY, WAIT_MS);
  /* The reopened window shows the resumed payment and ends it: past its deadline with
   * nobody paying, it is reversed. */
  TILL_UI_WAIT_FOR (state_is (f, "reversed") || state_is (f, "reversing")
                    || state_is (f, "user_paying") || state_is (f, "in_doubt"), PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (g_strcmp0 (query (f, "SELECT p.state FROM payment p JOIN sale s"
                                         " ON s.id = p.sale_id WHERE s.number = ?1", number),
                               "reversed") == 0, 30000);
  till_ui_fixture_free (f);
}

/* ---- the demo phone ---- */

static void
test_demo_phone_codes (void)
{
  for (guint o = 0; o < TILL_DEMO_N_OUTCOMES; o++)
    for (guint i = 0; i < 20; i++)
      {
        g_autofree char *code = till_demo_phone_make_code (o);
        g_autoptr(TillBarcode) bc = till_barcode_classify (code, NULL);

        g_assert_cmpuint (strlen (code), ==, 18);
        g_assert_true (code[0] == '1' && code[1] >= '0' && code[1] <= '5');
        g_assert_cmpint (bc->kind, ==, TILL_BARCODE_WECHAT_PAY);
        g_assert_cmpint (till_demo_phone_code_outcome (code), ==, o);
      }
  g_assert_cmpint (till_demo_phone_code_outcome ("134567890123451111"), ==,
                   TILL_DEMO_OUTCOME_PASSWORD);
  g_assert_cmpint (till_demo_phone_code_outcome ("134567890123456666"), ==,
                   TILL_DEMO_OUTCOME_WALKS_AWAY);
  {
    g_autofree char *grouped = till_demo_phone_group_digits ("134567890123456789");

    g_assert_cmpstr (grouped, ==, "1345 6789 0123 4567 89");
  }
}

static void
test_demo_phone_window (void)
{
  TillUiFixture *f = pay_fixture ();
  TillDemoPhone *phone = open_phone (f, shared_sim);
  g_autoptr(GPtrArray) qr = NULL;
  g_autoptr(GPtrArray) bar = NULL;
  g_autofree char *first = NULL;

  /* The pictures are the code, for a camera too. */
  qr = decode_texture (till_demo_phone_get_qr_texture (phone));
  bar = decode_texture (till_demo_phone_get_barcode_texture (phone));
  g_assert_cmpuint (qr->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (qr, 0), ==, till_demo_phone_get_code (phone));
  g_assert_cmpuint (bar->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (bar, 0), ==, till_demo_phone_get_code (phone));
  g_assert_cmpuint (till_demo_phone_get_seconds_left (phone), <=, 60);
  g_assert_cmpuint (till_demo_phone_get_seconds_left (phone), >=, 58);

  /* Picking an outcome shows a new code that selects it. */
  first = g_strdup (till_demo_phone_get_code (phone));
  till_demo_phone_set_outcome (phone, TILL_DEMO_OUTCOME_EXPIRED);
  g_assert_cmpstr (till_demo_phone_get_code (phone), !=, first);
  g_assert_true (g_str_has_suffix (till_demo_phone_get_code (phone), "3333"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (phone), "phone.new-code", NULL));
  g_assert_true (g_str_has_suffix (till_demo_phone_get_code (phone), "3333"));

  /* "Scan" is a scan of source DEMO through the hub; with an empty cart nothing is paid. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (phone), "phone.scan", NULL));
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, "Nothing to pay"), WAIT_MS);

  /* 3333: the code expired: failed, sale open. */
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (phone), "phone.scan", NULL));
  TILL_UI_WAIT_FOR (state_is (f, "failed"), PAY_WAIT_MS);
  g_assert_cmpint (till_sale_get_state (till_ui_sale (f)), ==, TILL_SALE_STATE_OPEN);

  /* Network down / back through the control API: the status bar follows. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (phone), "phone.network-down", NULL));
  TILL_UI_WAIT_FOR (!till_payment_runtime_get_online (till_ui_runtime (f)), PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (gtk_widget_get_visible (GTK_WIDGET (f->cashier->offline_banner)), WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (phone), "phone.network-back", NULL));
  TILL_UI_WAIT_FOR (till_payment_runtime_get_online (till_ui_runtime (f)), PAY_WAIT_MS);

  /* "Scan QR" without a QR on the display says so. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (phone), "phone.pay-qr", NULL));
  g_assert_true (strstr (till_demo_phone_get_status (phone), "No QR code") != NULL);
  till_ui_fixture_free (f);
}

static void
test_not_configured_status (void)
{
  TillUiFixture *f;
  Setup setup;

  setup_init (&setup, shared_sim);
  setup.configure = FALSE;
  f = pay_fixture_full (&setup);
  TILL_UI_WAIT_FOR (till_payment_runtime_get_payment_status (till_ui_runtime (f))
                    == TILL_PAYMENT_STATUS_NOT_CONFIGURED, WAIT_MS);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->cashier->epay_label)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->cashier->online_label)));
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  /* Customer scans needs electronic payment. */
  gtk_widget_activate_action (GTK_WIDGET (f->cashier), "cashier.customer-scans", NULL);
  till_ui_pump (200);
  g_assert_null (till_checkout_get_payment_state (f->checkout));
  till_ui_fixture_free (f);
}

static void
test_camera_action (void)
{
  TillUiFixture *f = pay_fixture ();
  GtkWindow *preview;

  g_settings_set_string (f->settings, "camera-device", "/dev/video-till-test-none");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->cashier), "cashier.camera", NULL));
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_CAMERA_PREVIEW) != NULL, WAIT_MS);
  preview = till_ui_find_window (TILL_TYPE_CAMERA_PREVIEW);
  g_assert_true (gtk_window_get_transient_for (preview) == GTK_WINDOW (f->cashier));
  /* No such camera: the window says so instead of a picture. */
  TILL_UI_WAIT_FOR (till_camera_preview_get_message (TILL_CAMERA_PREVIEW (preview)) != NULL,
                    WAIT_MS);
  /* F9 again presents the same window. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->cashier), "cashier.camera", NULL));
  till_ui_pump (50);
  g_assert_true (till_ui_find_window (TILL_TYPE_CAMERA_PREVIEW) == preview);
  gtk_window_destroy (preview);
  till_ui_pump (50);
  g_assert_null (till_ui_find_window (TILL_TYPE_CAMERA_PREVIEW));
  till_ui_fixture_free (f);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  XInitThreads ();
  gtk_test_init (&argc, &argv, NULL);

  shared_sim_dir = g_dir_make_tmp ("till-ui-sim-XXXXXX", NULL);
  shared_sim = till_ui_paysim_start (shared_sim_dir, 1500);

  g_test_add_func ("/ui/pay/success", test_pay_success);
  g_test_add_func ("/ui/pay/password-user-paying", test_pay_password);
  g_test_add_func ("/ui/pay/not-enough", test_pay_not_enough);
  g_test_add_func ("/ui/pay/second-scan-refused-cart-locked-cancel-reverses",
                   test_pay_second_scan_refused_and_cart_locked);
  g_test_add_func ("/ui/pay/escape-cancels", test_pay_escape_cancels);
  g_test_add_func ("/ui/pay/quit-during-payment-asks", test_quit_during_payment_asks);
  g_test_add_func ("/ui/pay/split-tender", test_split_tender);
  g_test_add_func ("/ui/pay/native-qr", test_native_qr);
  g_test_add_func ("/ui/pay/native-cancel-closes", test_native_cancel_closes);
  g_test_add_func ("/ui/pay/metainfo-screenshots", test_metainfo_screenshots);
  g_test_add_func ("/ui/pay/alipay-code-paid", test_alipay_code_paid);
  g_test_add_func ("/ui/pay/alipay-qr-shift-f7", test_alipay_qr_shift_f7);
  g_test_add_func ("/ui/pay/alipay-not-set-up", test_alipay_not_set_up);
  g_test_add_func ("/ui/pay/alipay-day", test_alipay_day);
  g_test_add_func ("/ui/pay/not-configured", test_not_configured_status);
  g_test_add_func ("/ui/pay/resume-on-start", test_resume_unfinished_payment_on_start);
  g_test_add_func ("/ui/settings/key-readable-by-others", test_key_readable_by_others_refused);
  g_test_add_func ("/ui/settings/test-connection", test_preferences_test_connection);
  g_test_add_func ("/ui/settings/device-pickers", test_preferences_device_pickers);
  g_test_add_func ("/ui/status/offline-and-pending-jobs", test_offline_status_and_pending_jobs);
  g_test_add_func ("/ui/status/offline-refuses-codes", test_offline_refuses_codes);
  g_test_add_func ("/ui/status/provider-clock-off", test_provider_clock_off);
  g_test_add_func ("/ui/demo-phone/codes", test_demo_phone_codes);
  g_test_add_func ("/ui/demo-phone/window", test_demo_phone_window);
  g_test_add_func ("/ui/camera/action", test_camera_action);

  status = g_test_run ();
  till_paysim_stop (shared_sim);
  g_clear_object (&shared_sim);
  return status;
}
