/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper: main-context waits, a client and a provider for the simulator, a sale to
 * pay. */
#define G_LOG_DOMAIN "till-test"

#include "config.h"

#include "till-test-pay.h"

gboolean
till_test_pay_timeout_cb (gpointer data)
{
  g_error ("Test timed out waiting: %s", (const char *) data);
  return G_SOURCE_REMOVE;
}

gboolean
till_test_pay_tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
till_test_pay_wait_for (const gboolean *flag,
                        guint           limit_s,
                        const char     *what)
{
  guint id = g_timeout_add_seconds (limit_s, till_test_pay_timeout_cb, (gpointer) what);

  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

void
till_test_pay_spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;
  guint tick = g_timeout_add (20, till_test_pay_tick_cb, NULL);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

TillWxpayClient *
till_test_pay_new_client (TillTestPaysim *sim,
                          const char     *base_url,
                          gboolean        tls,
                          guint           timeout_ms)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key_path = till_test_paysim_dup_path (sim, "merchant_private_key.pem");
  g_autofree char *pub_path = till_test_paysim_dup_path (sim, "platform_public_key.pem");
  g_autofree char *serial = till_test_paysim_read_line (sim, "merchant_serial");
  g_autofree char *key_id = till_test_paysim_read_line (sim, "platform_public_key_id");
  g_autofree char *ca = tls ? till_test_paysim_dup_path (sim, "tls_cert.pem") : NULL;
  g_autoptr(TillRsaKey) key = till_rsa_key_load_private_file (key_path, &error);
  g_autoptr(TillRsaKey) pub = NULL;
  TillWxpayClient *client;

  g_assert_no_error (error);
  pub = till_rsa_key_load_public_file (pub_path, &error);
  g_assert_no_error (error);
  {
    TillWxpayConfig config = {
      .base_url = base_url != NULL ? base_url : till_test_paysim_get_base_url (sim),
      .ca_file = ca,
      .mchid = till_test_paysim_get_mchid (sim),
      .appid = till_test_paysim_get_appid (sim),
      .merchant_serial = serial,
      .merchant_key = key,
      .platform_key = pub,
      .platform_key_id = key_id,
      .timeout_ms = timeout_ms,
    };
    client = till_wxpay_client_new (&config, &error);
  }
  g_assert_no_error (error);
  return client;
}

TillPayProvider *
till_test_pay_provider (TillWxpayClient *client)
{
  return client != NULL ? TILL_PAY_PROVIDER (till_wxpay_provider_new (client)) : NULL;
}

gint64
till_test_pay_make_sale (TillStore *store,
                         gint64     amount_fen)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = till_store_next_sale_number (store, g_get_real_time (), &error);
  g_autoptr(TillSale) sale = till_sale_new (number);
  g_autoptr(TillSaleLine) line = till_sale_line_new (1, "6901234567892", "矿泉水", "瓶",
                                                     amount_fen, 1000, FALSE);

  till_sale_set_opened_at (sale, g_get_real_time ());
  g_assert_cmpuint (till_sale_add_line (sale, line, &error), !=, G_MAXUINT);
  g_assert_true (till_store_save_sale (store, sale, "cashier", "till-1", &error));
  g_assert_no_error (error);
  return till_sale_get_id (sale);
}
