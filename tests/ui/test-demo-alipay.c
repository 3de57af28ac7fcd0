/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GUI tests of Alipay in the demo set-up, on Xvfb: the settings made by till_demo_start_async()
 * (the in-process simulator, both providers), the demo phone in Alipay mode with every
 * outcome of alipay.md §11 and "Scan QR" on a precreate order, each checked on the
 * cashier's window, on the customer display, in the database and in the simulator's
 * ledger (/_sim/ledger); the preferences' Alipay section and its Test connection. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <X11/Xlib.h>

#include "till-barcode.h"
#include "till-demo.h"
#include "till-demo-phone.h"
#include "till-frame-decoder.h"
#include "till-paysim.h"
#include "till-quick-key-pad.h"
#include "till-preferences-window.h"
#include "till-ui-test.h"
#include "till-ui-util.h"

#define COLA_EAN  "6954767002057"   /* 可口可乐 500ml */
#define CHIPS_EAN "6924678006079"   /* 乐事薯片原味 70g */

#define WAIT_MS      8000
#define PAY_WAIT_MS 25000

/* The demo's data directory, shared by the tests: the simulator's keys are made once. */
static char *demo_dir;

typedef struct
{
  TillUiFixture *f;
  TillDemo      *demo;
  char           device_id[8];
  TillDemoPhone *phone;
} Demo;

static Demo *
demo_new (void)
{
  static guint n;
  Demo *d = g_new0 (Demo, 1);

  g_snprintf (d->device_id, sizeof d->device_id, "A%02u%02u",
              (guint) (g_get_real_time () / G_USEC_PER_SEC % 100), ++n % 100);
  d->f = till_ui_fixture_new_demo_sim (demo_dir, d->device_id, &d->demo);
  /* The demo set up both providers. */
  g_assert_nonnull (till_payment_runtime_get_provider (till_ui_runtime (d->f), "wechat"));
  g_assert_nonnull (till_payment_runtime_get_provider (till_ui_runtime (d->f), "alipay"));

  d->phone = till_demo_new_phone (d->demo, d->f->context, d->f->display);
  gtk_window_present (GTK_WINDOW (d->phone));
  till_ui_pump (50);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (d->phone), "phone.wallet", "s",
                                             "alipay"));
  g_assert_cmpint (till_demo_phone_get_wallet (d->phone), ==, TILL_DEMO_WALLET_ALIPAY);
  return d;
}

static void
demo_free (Demo *d)
{
  till_ui_fixture_free (d->f);   /* destroys the phone too */
  g_clear_object (&d->demo);
  till_ui_pump (20);
  g_free (d);
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
cashier_says (TillUiFixture *f,
              const char    *needle)
{
  return gtk_widget_get_visible (GTK_WIDGET (f->cashier->payment_panel))
         && strstr (gtk_label_get_text (f->cashier->payment_title_label), needle) != NULL;
}

static gboolean
state_is (TillUiFixture *f,
          const char    *state)
{
  return g_strcmp0 (till_checkout_get_payment_state (f->checkout), state) == 0;
}

/* ---- the simulator's ledger, over HTTP (its server runs on this main context) ---- */

static JsonObject *
sim_get (Demo       *d,
         const char *path)
{
  return till_ui_demo_sim_get (d->demo, path);
}

static JsonObject *
ledger_order (Demo       *d,
              const char *out_trade_no)
{
  return till_ui_demo_ledger_order (d->demo, out_trade_no);
}

static const char *
member_text (JsonObject *o,
             const char *name)
{
  return json_object_get_string_member_with_default (o, name, "");
}

/* ---- one payment by the demo phone ---- */

typedef struct
{
  TillDemoOutcome outcome;
  const char     *live_state;     /* a state seen on the way (NULL: none checked) */
  const char     *live_display;   /* what the display says meanwhile */
  const char     *pay_state;      /* the payment's final state */
  const char     *sale_state;     /* the sale's */
  const char     *display;        /* the customer display at the end */
  const char     *cashier;        /* the cashier's payment panel title at the end */
  const char     *ledger_state;   /* the trade's trade_status; NULL: no trade was made */
  gboolean        charged;        /* the customer's money stayed with the shop */
} Expect;

static char *
payment_text (TillUiFixture *f,
              const char    *column,
              const char    *number)
{
  g_autofree char *sql = g_strdup_printf ("SELECT p.%s FROM payment p JOIN sale s"
                                          " ON s.id = p.sale_id WHERE s.number = ?1"
                                          " ORDER BY p.id DESC LIMIT 1", column);

  return till_ui_query_text (f, sql, number);
}

static void
run_code_payment (const Expect *e)
{
  Demo *d = demo_new ();
  TillUiFixture *f = d->f;
  g_autofree char *number = NULL;
  g_autofree char *otn = NULL;
  g_autofree char *total = NULL;
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(TillBarcode) bc = NULL;
  const char *code;

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  total = till_ui_query_text (f, "SELECT total_fen FROM sale WHERE number = ?1", number);

  till_demo_phone_set_outcome (d->phone, e->outcome);
  code = till_demo_phone_get_code (d->phone);
  bc = till_barcode_classify (code, NULL);
  g_assert_cmpint (bc->kind, ==, TILL_BARCODE_ALIPAY);
  g_assert_cmpint (till_demo_phone_code_outcome (code), ==, e->outcome);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (d->phone), "phone.scan", NULL));

  if (e->live_state != NULL)
    {
      TILL_UI_WAIT_FOR (state_is (f, e->live_state), PAY_WAIT_MS);
      if (e->live_display != NULL)
        TILL_UI_WAIT_FOR (display_says (f, e->live_display), WAIT_MS);
    }
  TILL_UI_WAIT_FOR (state_is (f, e->pay_state), PAY_WAIT_MS);
  /* Both windows. */
  TILL_UI_WAIT_FOR (display_says (f, e->display), WAIT_MS);
  TILL_UI_WAIT_FOR (cashier_says (f, e->cashier), WAIT_MS);
  TILL_UI_WAIT_FOR (g_strcmp0 (gtk_label_get_text (f->cashier->sale_state_label),
                               till_ui_sale_state_banner (g_str_equal (e->sale_state, "paid")
                                                            ? TILL_SALE_STATE_PAID
                                                            : TILL_SALE_STATE_OPEN)) == 0,
                    WAIT_MS);

  /* The database. */
  g_assert_cmpstr (till_ui_query_text (f, "SELECT state FROM sale WHERE number = ?1", number),
                   ==, e->sale_state);
  g_assert_cmpstr (payment_text (f, "method", number), ==, "alipay_code");
  g_assert_cmpstr (payment_text (f, "state", number), ==, e->pay_state);
  g_assert_cmpstr (payment_text (f, "amount_fen", number), ==, total);
  otn = payment_text (f, "out_trade_no", number);
  g_assert_nonnull (otn);

  /* The simulator's Alipay ledger. */
  order = ledger_order (d, otn);
  if (e->ledger_state == NULL)
    g_assert_null (order);
  else
    {
      g_assert_nonnull (order);
      g_assert_cmpstr (member_text (order, "provider"), ==, "alipay");
      g_assert_cmpstr (member_text (order, "trade_type"), ==, "BAR_CODE");
      g_assert_cmpstr (member_text (order, "state"), ==, e->ledger_state);
      g_assert_cmpint (json_object_get_int_member (order, "total"), ==,
                       g_ascii_strtoll (total, NULL, 10));
      g_assert_cmpint (json_object_get_int_member (order, "net"), ==,
                       e->charged ? g_ascii_strtoll (total, NULL, 10) : 0);
      if (e->charged)
        {
          g_autofree char *tx = payment_text (f, "transaction_id", number);

          g_assert_cmpstr (member_text (order, "transaction_id"), ==, tx);
        }
    }
  demo_free (d);
}

static void
test_paid (void)
{
  const Expect e = { TILL_DEMO_OUTCOME_SUCCESS, NULL, NULL, "paid", "paid", "支付成功 · Paid",
                     "Paid", "TRADE_SUCCESS", TRUE };

  run_code_payment (&e);
}

static void
test_password_then_paid (void)
{
  const Expect e = { TILL_DEMO_OUTCOME_PASSWORD, "user_paying",
                     "请在手机上确认付款 · Please confirm the payment on your phone", "paid",
                     "paid", "支付成功 · Paid", "Paid", "TRADE_SUCCESS", TRUE };

  run_code_payment (&e);
}

static void
test_not_enough (void)
{
  const Expect e = { TILL_DEMO_OUTCOME_NOT_ENOUGH, NULL, NULL, "failed", "open",
                     "支付失败 · Payment failed", "Payment failed", NULL, FALSE };

  run_code_payment (&e);
}

static void
test_code_expired (void)
{
  const Expect e = { TILL_DEMO_OUTCOME_EXPIRED, NULL, NULL, "failed", "open",
                     "支付失败 · Payment failed", "Payment failed", NULL, FALSE };

  run_code_payment (&e);
}

static void
test_system_error_paid (void)
{
  const Expect e = { TILL_DEMO_OUTCOME_SYSTEM_ERROR, NULL, NULL, "paid", "paid",
                     "支付成功 · Paid", "Paid", "TRADE_SUCCESS", TRUE };

  run_code_payment (&e);
}

static void
test_no_answer_paid (void)
{
  const Expect e = { TILL_DEMO_OUTCOME_NO_ANSWER, "in_doubt", NULL, "paid", "paid",
                     "支付成功 · Paid", "Paid", "TRADE_SUCCESS", TRUE };

  run_code_payment (&e);
}

static void
test_walks_away_reversed (void)
{
  const Expect e = { TILL_DEMO_OUTCOME_WALKS_AWAY, "user_paying",
                     "请在手机上确认付款 · Please confirm the payment on your phone", "reversed",
                     "open", "未扣款 · Not charged", "Reversed", "TRADE_CLOSED", FALSE };

  run_code_payment (&e);
}

static void
test_declined_failed (void)
{
  const Expect e = { TILL_DEMO_OUTCOME_PAY_ERROR, "user_paying", NULL, "failed", "open",
                     "支付失败 · Payment failed", "Payment failed", "TRADE_CLOSED",
                     FALSE };

  run_code_payment (&e);
}

static void
test_bad_signature_paid (void)
{
  const Expect e = { TILL_DEMO_OUTCOME_BAD_SIGNATURE, NULL, NULL, "paid", "paid",
                     "支付成功 · Paid", "Paid", "TRADE_SUCCESS", TRUE };

  run_code_payment (&e);
}

static void
test_dropped_paid (void)
{
  const Expect e = { TILL_DEMO_OUTCOME_DROPPED, NULL, NULL, "paid", "paid", "支付成功 · Paid",
                     "Paid", "TRADE_SUCCESS", TRUE };

  run_code_payment (&e);
}

/* ---- "Scan QR": the customer's phone pays an Alipay precreate order ---- */

static void
run_qr_payment (TillDemoOutcome outcome,
                const char     *pay_state,
                const char     *display,
                const char     *cashier,
                const char     *ledger_state)
{
  Demo *d = demo_new ();
  TillUiFixture *f = d->f;
  g_autofree char *number = NULL;
  g_autofree char *otn = NULL;
  g_autofree char *total = NULL;
  g_autoptr(JsonObject) order = NULL;
  gboolean paid = g_str_equal (pay_state, "paid");

  /* The QR provider setting says F7 is Alipay's. */
  g_settings_set_string (f->settings, "qr-provider", "alipay");
  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  total = till_ui_query_text (f, "SELECT total_fen FROM sale WHERE number = ?1", number);
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("F7", FALSE);
  TILL_UI_WAIT_FOR (till_customer_display_get_code_url (f->display) != NULL, PAY_WAIT_MS);
  g_assert_cmpstr (till_customer_display_get_qr_brand (f->display), ==, "alipay");
  /* the QR can be drawn a moment before the state that words it arrives */
  TILL_UI_WAIT_FOR (display_says (f, "请用支付宝扫码 · Scan with Alipay to pay"), WAIT_MS);
  TILL_UI_WAIT_FOR (cashier_says (f, "Waiting for the customer to scan the QR"),
                    WAIT_MS);
  otn = payment_text (f, "out_trade_no", number);
  order = ledger_order (d, otn);
  g_assert_nonnull (order);
  g_assert_cmpstr (member_text (order, "state"), ==, "NOT_SCANNED");
  g_clear_pointer (&order, json_object_unref);

  till_demo_phone_set_outcome (d->phone, outcome);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (d->phone), "phone.pay-qr", NULL));
  TILL_UI_WAIT_FOR (state_is (f, pay_state), PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (display_says (f, display), WAIT_MS);
  TILL_UI_WAIT_FOR (cashier_says (f, cashier), WAIT_MS);
  TILL_UI_WAIT_FOR (till_customer_display_get_code_url (f->display) == NULL, WAIT_MS);
  g_assert_nonnull (strstr (till_demo_phone_get_status (d->phone), "Alipay"));

  g_assert_cmpstr (till_ui_query_text (f, "SELECT state FROM sale WHERE number = ?1", number),
                   ==, paid ? "paid" : "open");
  g_assert_cmpstr (payment_text (f, "method", number), ==, "alipay_qr");
  g_assert_cmpstr (payment_text (f, "state", number), ==, pay_state);

  order = ledger_order (d, otn);
  g_assert_nonnull (order);
  g_assert_cmpstr (member_text (order, "provider"), ==, "alipay");
  g_assert_cmpstr (member_text (order, "trade_type"), ==, "PRECREATE");
  g_assert_cmpstr (member_text (order, "state"), ==, ledger_state);
  g_assert_true (json_object_get_boolean_member (order, "scanned"));
  g_assert_cmpint (json_object_get_int_member (order, "net"), ==,
                   paid ? g_ascii_strtoll (total, NULL, 10) : 0);
  demo_free (d);
}

static void
test_scan_qr_paid (void)
{
  run_qr_payment (TILL_DEMO_OUTCOME_SUCCESS, "paid", "支付成功 · Paid", "Paid",
                  "TRADE_SUCCESS");
}

static void
test_scan_qr_declined (void)
{
  run_qr_payment (TILL_DEMO_OUTCOME_PAY_ERROR, "closed", "未扣款 · Not charged",
                  "Closed", "TRADE_CLOSED");
}

/* ---- the phone itself ---- */

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
    gray[i] = argb[4 * i + 1];
  return till_frame_decoder_decode (decoder, gray, w, h, w);
}

static void
test_alipay_codes (void)
{
  for (guint o = 0; o < TILL_DEMO_N_OUTCOMES; o++)
    for (guint i = 0; i < 20; i++)
      {
        g_autofree char *code = till_demo_phone_make_wallet_code (TILL_DEMO_WALLET_ALIPAY, o);
        g_autoptr(TillBarcode) bc = till_barcode_classify (code, NULL);
        int prefix = (code[0] - '0') * 10 + (code[1] - '0');

        g_assert_cmpuint (strlen (code), ==, 18);
        g_assert_cmpint (prefix, >=, 25);
        g_assert_cmpint (prefix, <=, 30);
        g_assert_cmpint (bc->kind, ==, TILL_BARCODE_ALIPAY);
        g_assert_cmpint (till_demo_phone_code_outcome (code), ==, o);
      }
  g_assert_cmpstr (till_demo_wallet_to_string (TILL_DEMO_WALLET_WECHAT), ==, "wechat");
  g_assert_cmpstr (till_demo_wallet_to_string (TILL_DEMO_WALLET_ALIPAY), ==, "alipay");
}

static void
test_phone_wallet_switch (void)
{
  Demo *d = demo_new ();
  g_autoptr(GPtrArray) qr = NULL;
  g_autoptr(GPtrArray) bar = NULL;
  g_autofree char *alipay_code = NULL;

  /* Alipay mode: the code, its pictures, the blue page. */
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (d->phone), "wallet-alipay"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (d->phone), "wallet-wechat"));
  till_demo_phone_set_outcome (d->phone, TILL_DEMO_OUTCOME_PASSWORD);
  alipay_code = g_strdup (till_demo_phone_get_code (d->phone));
  g_assert_true (g_str_has_suffix (alipay_code, "1111"));
  {
    g_autoptr(TillBarcode) bc = till_barcode_classify (alipay_code, NULL);

    g_assert_cmpint (bc->kind, ==, TILL_BARCODE_ALIPAY);
  }
  qr = decode_texture (till_demo_phone_get_qr_texture (d->phone));
  bar = decode_texture (till_demo_phone_get_barcode_texture (d->phone));
  g_assert_cmpuint (qr->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (qr, 0), ==, alipay_code);
  g_assert_cmpuint (bar->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (bar, 0), ==, alipay_code);
  g_assert_cmpuint (till_demo_phone_get_seconds_left (d->phone), >=, 58);
  till_ui_screenshot (GTK_WIDGET (d->phone), "demo-phone-alipay");

  /* Alt+W, a real key on the phone: WeChat Pay again, same outcome, a WeChat code. */
  till_ui_focus_window (GTK_WINDOW (d->phone));
  till_ui_key_alt ("w");
  TILL_UI_WAIT_FOR (till_demo_phone_get_wallet (d->phone) == TILL_DEMO_WALLET_WECHAT, WAIT_MS);
  g_assert_cmpint (till_demo_phone_get_wallet (d->phone), ==, TILL_DEMO_WALLET_WECHAT);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (d->phone), "wallet-wechat"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (d->phone), "wallet-alipay"));
  g_assert_cmpint (till_demo_phone_get_outcome (d->phone), ==, TILL_DEMO_OUTCOME_PASSWORD);
  {
    g_autoptr(TillBarcode) bc = till_barcode_classify (till_demo_phone_get_code (d->phone),
                                                       NULL);

    g_assert_cmpint (bc->kind, ==, TILL_BARCODE_WECHAT_PAY);
    g_assert_true (g_str_has_suffix (till_demo_phone_get_code (d->phone), "1111"));
  }
  till_ui_screenshot (GTK_WIDGET (d->phone), "demo-phone-wechat");

  /* Alt+A: Alipay's code again. */
  till_ui_key_alt ("a");
  TILL_UI_WAIT_FOR (till_demo_phone_get_wallet (d->phone) == TILL_DEMO_WALLET_ALIPAY, WAIT_MS);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (d->phone), "wallet-alipay"));
  g_assert_cmpstr (till_demo_phone_get_code (d->phone), !=, alipay_code);
  demo_free (d);
}

/* The faults of the phone's network buttons reach Alipay's gateway too. */
static guint
n_faults (Demo       *d,
          const char *path_prefix,
          const char *kind,
          const char *method)
{
  g_autoptr(JsonObject) answer = sim_get (d, "/_sim/faults");
  JsonArray *faults = json_object_get_array_member (answer, "faults");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (faults); i++)
    {
      JsonObject *f = json_array_get_object_element (faults, i);

      if (g_strcmp0 (member_text (f, "path_prefix"), path_prefix) == 0
          && g_strcmp0 (member_text (f, "kind"), kind) == 0
          && g_strcmp0 (json_object_get_string_member_with_default (f, "method", NULL),
                        method) == 0)
        n++;
    }
  return n;
}

static void
test_phone_network_faults (void)
{
  Demo *d = demo_new ();
  TillUiFixture *f = d->f;

  /* Network down: both providers' calls are dropped; the till goes offline. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (d->phone), "phone.network-down",
                                             NULL));
  TILL_UI_WAIT_FOR (strstr (till_demo_phone_get_status (d->phone), "Network down") != NULL,
                    WAIT_MS);
  g_assert_cmpuint (n_faults (d, "/v3/", "drop", NULL), ==, 1);
  g_assert_cmpuint (n_faults (d, "/gateway.do", "drop", NULL), ==, 1);
  TILL_UI_WAIT_FOR (!till_payment_runtime_get_online (till_ui_runtime (f)), PAY_WAIT_MS);

  /* Back: no fault left, online again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (d->phone), "phone.network-back",
                                             NULL));
  TILL_UI_WAIT_FOR (strstr (till_demo_phone_get_status (d->phone), "Network back") != NULL,
                    WAIT_MS);
  g_assert_cmpuint (n_faults (d, "/v3/", "drop", NULL), ==, 0);
  g_assert_cmpuint (n_faults (d, "/gateway.do", "drop", NULL), ==, 0);
  TILL_UI_WAIT_FOR (till_payment_runtime_get_online (till_ui_runtime (f)), PAY_WAIT_MS);

  /* Slow, with Alipay shown: the next alipay.trade.pay answers late; the payment is in
   * doubt, then found paid. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (d->phone), "phone.slow-network",
                                             NULL));
  TILL_UI_WAIT_FOR (strstr (till_demo_phone_get_status (d->phone), "Alipay") != NULL, WAIT_MS);
  g_assert_cmpuint (n_faults (d, "/gateway.do", "delay", "alipay.trade.pay"), ==, 1);
  g_assert_cmpuint (n_faults (d, "/v3/pay/transactions/codepay", "delay", NULL), ==, 0);
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_demo_phone_set_outcome (d->phone, TILL_DEMO_OUTCOME_SUCCESS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (d->phone), "phone.scan", NULL));
  TILL_UI_WAIT_FOR (state_is (f, "in_doubt"), PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (cashier_says (f, "Checking"), WAIT_MS);
  TILL_UI_WAIT_FOR (state_is (f, "paid"), PAY_WAIT_MS);
  TILL_UI_WAIT_FOR (display_says (f, "支付成功 · Paid"), WAIT_MS);
  g_assert_cmpuint (n_faults (d, "/gateway.do", "delay", "alipay.trade.pay"), ==, 0);
  demo_free (d);
}

/* ---- preferences ---- */

static void
test_preferences_alipay (void)
{
  Demo *d = demo_new ();
  TillUiFixture *f = d->f;
  TillPreferencesWindow *prefs;
  GtkWidget *w;
  g_autofree char *gateway = g_strconcat (till_demo_get_base_url (d->demo), "/gateway.do",
                                          NULL);
  g_autofree char *wrong_dir = g_dir_make_tmp ("till-alipay-key-XXXXXX", NULL);
  g_autofree char *wrong_key = g_build_filename (wrong_dir, "alipay_public_key.pem", NULL);
  g_autofree char *good_key = g_settings_get_string (f->settings, "alipay-public-key-path");

  prefs = till_preferences_window_new (GTK_WINDOW (f->cashier), f->context);
  gtk_window_present (GTK_WINDOW (prefs));
  till_ui_pump (100);

  /* The four keys and the QR provider, bound to their widgets. */
  w = till_preferences_window_get_key_widget (prefs, "alipay-gateway-url");
  g_assert_true (ADW_IS_ENTRY_ROW (w));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (w)), ==, gateway);
  w = till_preferences_window_get_key_widget (prefs, "alipay-app-id");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (w)), ==, "2021000100000001");
  w = till_preferences_window_get_key_widget (prefs, "alipay-public-key-path");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (w)), ==, good_key);
  w = till_preferences_window_get_key_widget (prefs, "alipay-app-private-key-path");
  g_assert_true (g_str_has_suffix (gtk_editable_get_text (GTK_EDITABLE (w)),
                                   "alipay_app_private_key.pem"));
  w = till_preferences_window_get_key_widget (prefs, "qr-provider");
  g_assert_true (ADW_IS_COMBO_ROW (w));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (w)), ==, 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (w), 1);
  g_assert_cmpstr (g_settings_get_string (f->settings, "qr-provider"), ==, "alipay");
  g_settings_set_string (f->settings, "qr-provider", "wechat");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (w)), ==, 0);

  /* Both providers in use, each says so. */
  TILL_UI_WAIT_FOR (strstr (till_preferences_window_get_provider_status (prefs, "alipay"),
                            "in use") != NULL, WAIT_MS);
  g_assert_null (strstr (till_preferences_window_get_provider_status (prefs, "alipay"),
                         "not in use"));
  g_assert_null (strstr (till_preferences_window_get_provider_status (prefs, "wechat"),
                         "not in use"));

  /* Test connection (the button's action, Ctrl+Shift+T): a signed query whose signed
   * answer was verified. */
  g_assert_cmpstr (till_preferences_window_get_provider_test_result (prefs, "alipay"), ==, "");
  till_ui_focus_window (GTK_WINDOW (prefs));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.test-alipay", NULL));
  TILL_UI_WAIT_FOR (strstr (till_preferences_window_get_provider_test_result (prefs, "alipay"),
                            "ACQ.TRADE_NOT_EXIST") != NULL, WAIT_MS);
  g_assert_nonnull (strstr (till_preferences_window_get_provider_test_result (prefs, "alipay"),
                            gateway));
  /* WeChat Pay's result line is its own. */
  g_assert_cmpstr (till_preferences_window_get_test_result (prefs), ==, "");
  till_preferences_window_show_provider (prefs, "alipay");
  till_ui_screenshot (GTK_WIDGET (prefs), "preferences-alipay");

  /* A wrong Alipay public key (WeChat Pay's platform key): the answer cannot be verified. */
  {
    g_autofree char *wx_pub = g_settings_get_string (f->settings, "platform-public-key-path");
    g_autofree char *pem = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (wx_pub, &pem, &len, NULL));
    g_assert_true (g_file_set_contents (wrong_key, pem, len, NULL));
  }
  g_settings_set_string (f->settings, "alipay-public-key-path", wrong_key);
  till_preferences_window_test_provider (prefs, "alipay");
  TILL_UI_WAIT_FOR (strstr (till_preferences_window_get_provider_test_result (prefs, "alipay"),
                            "Connection failed") != NULL, WAIT_MS);
  g_test_message ("wrong key: %s",
                  till_preferences_window_get_provider_test_result (prefs, "alipay"));
  till_ui_screenshot (GTK_WIDGET (prefs), "preferences-alipay-wrong-key");

  /* A missing setting is named, and Alipay is no longer in use (WeChat Pay still is). */
  g_settings_set_string (f->settings, "alipay-public-key-path", good_key);
  g_settings_set_string (f->settings, "alipay-app-id", "");
  till_preferences_window_test_provider (prefs, "alipay");
  TILL_UI_WAIT_FOR (strstr (till_preferences_window_get_provider_test_result (prefs, "alipay"),
                            "Alipay AppID") != NULL, WAIT_MS);
  TILL_UI_WAIT_FOR (till_payment_runtime_get_provider (till_ui_runtime (f), "alipay") == NULL
                    && till_payment_runtime_get_payment_status (till_ui_runtime (f))
                         == TILL_PAYMENT_STATUS_READY, WAIT_MS);
  TILL_UI_WAIT_FOR (strstr (till_preferences_window_get_provider_status (prefs, "alipay"),
                            "not in use") != NULL, WAIT_MS);
  g_assert_nonnull (strstr (till_preferences_window_get_provider_status (prefs, "alipay"),
                            "Alipay AppID"));
  g_assert_null (strstr (till_preferences_window_get_provider_status (prefs, "wechat"),
                         "not in use"));

  /* Typed back in the entry, Alipay is in use again. */
  w = till_preferences_window_get_key_widget (prefs, "alipay-app-id");
  gtk_editable_set_text (GTK_EDITABLE (w), "2021000100000001");
  TILL_UI_WAIT_FOR (till_payment_runtime_get_provider (till_ui_runtime (f), "alipay") != NULL,
                    WAIT_MS);
  TILL_UI_WAIT_FOR (strstr (till_preferences_window_get_provider_status (prefs, "alipay"),
                            "not in use") == NULL, WAIT_MS);
  till_preferences_window_test_provider (prefs, "alipay");
  TILL_UI_WAIT_FOR (strstr (till_preferences_window_get_provider_test_result (prefs, "alipay"),
                            "ACQ.TRADE_NOT_EXIST") != NULL, WAIT_MS);

  /* The Choose… buttons of the two key files open a file chooser titled for each. */
  {
    const char *const targets[][2] = { { "alipay-app-key", "Alipay app private key" },
                                       { "alipay-public-key", "Alipay public key" } };

    for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
      {
        GtkWindow *chooser = NULL;

        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.choose-file", "s",
                                                   targets[i][0]));
        TILL_UI_WAIT_FOR ((chooser = till_ui_find_window (GTK_TYPE_FILE_CHOOSER_DIALOG)) != NULL,
                          WAIT_MS);
        g_assert_nonnull (strstr (gtk_window_get_title (chooser), targets[i][1]));
        gtk_window_close (chooser);
        TILL_UI_WAIT_FOR (till_ui_find_window (GTK_TYPE_FILE_CHOOSER_DIALOG) == NULL, WAIT_MS);
      }
  }

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_unlink (wrong_key);
  g_rmdir (wrong_dir);
  demo_free (d);
}

/* Logs the minimum heights under `widget` that matter (for a failure's diagnosis). */
static void
log_min_heights (GtkWidget *widget, int width, int depth)
{
  int min = 0;

  if (depth > 8 || !gtk_widget_get_visible (widget))
    return;
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, width, &min, NULL, NULL, NULL);
  if (min >= 100)
    g_test_message ("%*s%s%s%s: at least %d px high", depth * 2, "", G_OBJECT_TYPE_NAME (widget),
                    gtk_widget_get_name (widget)[0] != '\0' ? " " : "",
                    gtk_widget_get_name (widget), min);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    log_min_heights (child, width, depth + 1);
}

/* The demo (both providers' QR buttons, its banner, its two pages of quick keys) fits its
 * own default size, 1280×800, and a 1366×768 till under a 32 px top bar (736 px). */
static void
test_fits_screen (void)
{
  Demo *d = demo_new ();
  g_autoptr(GError) error = NULL;
  /* -1: GTK sizes a new window by its minimum height at its minimum width */
  int widths[] = { 1280, 1366, -1 };
  int heights[] = { 800, 736, 800 };

  g_assert_true (till_store_seed_demo_quick_keys (d->f->store, &error));
  g_assert_no_error (error);
  till_quick_key_pad_reload (_till_cashier_window_get_quick_keys (d->f->cashier));
  TILL_UI_WAIT_FOR (till_quick_key_pad_get_n_keys (
                        _till_cashier_window_get_quick_keys (d->f->cashier)) == 5, WAIT_MS);
  gtk_widget_set_visible (GTK_WIDGET (d->f->cashier->demo_banner), TRUE);
  till_ui_pump (300);
  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      int min_height = 0, nat_height = 0, dw = 0, dh = 0;

      gtk_widget_measure (GTK_WIDGET (d->f->cashier), GTK_ORIENTATION_VERTICAL, widths[i],
                          &min_height, &nat_height, NULL, NULL);
      gtk_window_get_default_size (GTK_WINDOW (d->f->cashier), &dw, &dh);
      g_test_message ("%d px wide: at least %d px high (natural %d; default %dx%d, now %dx%d)",
                      widths[i], min_height, nat_height, dw, dh,
                      gtk_widget_get_width (GTK_WIDGET (d->f->cashier)),
                      gtk_widget_get_height (GTK_WIDGET (d->f->cashier)));
      if (min_height > heights[i])
        log_min_heights (GTK_WIDGET (d->f->cashier), widths[i], 0);
      g_assert_cmpint (min_height, <=, heights[i]);
    }
  g_free (till_ui_screenshot (GTK_WIDGET (d->f->cashier), "demo-fits-screen"));
  demo_free (d);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  XInitThreads ();
  gtk_test_init (&argc, &argv, NULL);

  demo_dir = g_dir_make_tmp ("till-demo-alipay-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/ui/demo-alipay/codes", test_alipay_codes);
  g_test_add_func ("/ui/demo-alipay/phone-wallet-switch", test_phone_wallet_switch);
  g_test_add_func ("/ui/demo-alipay/phone-network-faults", test_phone_network_faults);
  g_test_add_func ("/ui/demo-alipay/paid", test_paid);
  g_test_add_func ("/ui/demo-alipay/password-then-paid", test_password_then_paid);
  g_test_add_func ("/ui/demo-alipay/fits-screen", test_fits_screen);
  g_test_add_func ("/ui/demo-alipay/not-enough", test_not_enough);
  g_test_add_func ("/ui/demo-alipay/code-expired", test_code_expired);
  g_test_add_func ("/ui/demo-alipay/system-error-paid", test_system_error_paid);
  g_test_add_func ("/ui/demo-alipay/no-answer-paid", test_no_answer_paid);
  g_test_add_func ("/ui/demo-alipay/walks-away-reversed", test_walks_away_reversed);
  g_test_add_func ("/ui/demo-alipay/declined-failed", test_declined_failed);
  g_test_add_func ("/ui/demo-alipay/bad-signature-paid", test_bad_signature_paid);
  g_test_add_func ("/ui/demo-alipay/dropped-paid", test_dropped_paid);
  g_test_add_func ("/ui/demo-alipay/scan-qr-paid", test_scan_qr_paid);
  g_test_add_func ("/ui/demo-alipay/scan-qr-declined", test_scan_qr_declined);
  g_test_add_func ("/ui/settings/alipay", test_preferences_alipay);

  status = g_test_run ();
  till_ui_demo_dir_remove (demo_dir);
  return status;
}
