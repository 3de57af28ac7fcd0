/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The npm alipay-sdk (4.14.0) as an independent peer (alipay.md §10), both ways:
 *   - a third-party client of tillpoint-paysim using only the files of its state dir: pay,
 *     query, refund, cancel, precreate, a refusal and a bad signature, every answer verified
 *     by the SDK (alipay-peer-client.cjs); the simulator's ledger then agrees;
 *   - a small independent gateway (alipay-peer-server.cjs: the SDK's request check, answers
 *     signed with node:crypto) that Tillpoint's provider pays against; a badly signed
 *     answer is never a payment, and a request signed with another key is refused.
 * Skipped, with the reason, when node or the package is missing (build-aux/dev build
 * installs alipay-sdk@4.14.0 into _build/node-peer when node and npm are there). */
#define G_LOG_DOMAIN "test-alipay-node-peer"
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "till-alipay-provider.h"
#include "till-test-alipay.h"
#include "till-test-node-peer.h"

/* ---------------------------------------------------------------- the SDK as a client */

static void
test_sdk_client (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillTestPaysim) sim = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) node = NULL;
  g_autofree char *path = NULL;
  g_autofree char *port = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  guint ledger_lines = 0;

  if (till_test_node_peer_missing ())
    return;
  sim = till_test_paysim_start (NULL, &error);
  g_assert_no_error (error);
  path = till_test_node_peer_script ("alipay-peer-client.cjs");
  port = g_strdup_printf ("%u", till_test_paysim_get_port (sim));
  launcher = till_test_node_peer_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  node = g_subprocess_launcher_spawn (launcher, &error, till_test_node_peer_node (), path,
                                      till_test_paysim_get_state_dir (sim), port, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (node, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("%s", out);
  g_assert_true (g_subprocess_get_if_exited (node));
  g_assert_cmpint (g_subprocess_get_exit_status (node), ==, 0);

  /* what the SDK did is what the simulator's ledger says */
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) parts = NULL;
      g_autoptr(JsonObject) o = NULL;

      if (!g_str_has_prefix (lines[i], "LEDGER "))
        continue;
      parts = g_strsplit (lines[i], " ", -1);
      g_assert_cmpuint (g_strv_length (parts), ==, 4);
      o = till_test_paysim_ledger_order (sim, parts[1], &error);
      g_assert_no_error (error);
      g_assert_nonnull (o);
      g_assert_cmpstr (json_object_get_string_member (o, "provider"), ==, "alipay");
      g_assert_cmpint (json_object_get_int_member (o, "charged"), ==,
                       g_ascii_strtoll (parts[2], NULL, 10));
      g_assert_cmpint (json_object_get_int_member (o, "refunded"), ==,
                       g_ascii_strtoll (parts[3], NULL, 10));
      ledger_lines++;
    }
  g_assert_cmpuint (ledger_lines, ==, 4);
  g_assert_nonnull (strstr (out, "OK 16 checks"));
}

/* ---------------------------------------------------------------- Tillpoint as a client */

static void
done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static TillPayTrade *
pay (TillPayProvider *provider,
     const char      *otn,
     const char      *auth_code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  TillPayCodeRequest request = {
    .out_trade_no = otn, .amount_fen = 8888, .auth_code = auth_code,
    .description = "Tillpoint 测试", .device_id = "POS01", .store_id = "S01",
  };
  TillPayTrade *trade;

  till_pay_provider_pay_code_async (provider, &request, NULL, done_cb, &result);
  trade = till_pay_provider_pay_code_finish (provider, wait_for (&result), &error);
  g_assert_no_error (error);
  return trade;
}

static TillPayProvider *
provider_for (const char *url,
              TillRsaKey *app,
              TillRsaKey *alipay_public)
{
  g_autoptr(GError) error = NULL;
  TillAlipayConfig config = {
    .gateway_url = url, .app_id = "2021000122671080", .app_private_key = app,
    .alipay_public_key = alipay_public, .timeout_ms = 10000,
  };
  g_autoptr(TillAlipayClient) client = till_alipay_client_new (&config, &error);

  g_assert_no_error (error);
  return TILL_PAY_PROVIDER (till_alipay_provider_new (client));
}

static void
test_sdk_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillTestNodeGateway) gateway = NULL;
  g_autoptr(TillRsaKey) stranger = NULL;
  g_autoptr(TillPayProvider) provider = NULL;
  g_autoptr(TillPayProvider) impostor = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  TillPayTrade *trade;

  if (till_test_node_peer_missing ())
    return;
  gateway = till_test_node_gateway_start (&error);
  g_assert_no_error (error);
  stranger = till_rsa_key_generate (&error);
  g_assert_no_error (error);

  provider = provider_for (gateway->url, gateway->app_key, gateway->alipay_key);
  /* the SDK checked the till's request and answered paid, signed */
  trade = pay (provider, "T20240520131415001", "286958267789018980");
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_PAID);
  g_assert_cmpint (trade->amount_fen, ==, 8888);
  till_pay_trade_free (trade);
  /* a badly signed "paid" is not a payment: ask */
  trade = pay (provider, "T20240520131415002", "286958267789018888");
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_UNKNOWN);
  till_pay_trade_free (trade);
  till_pay_provider_query_async (provider, "T20240520131415002", NULL, done_cb, &result);
  {
    g_autoptr(TillPayTrade) q = till_pay_provider_query_finish (provider, wait_for (&result),
                                                                &error);

    g_assert_no_error (error);
    g_assert_cmpint (q->state, ==, TILL_PAY_TRADE_PAID);
  }
  g_clear_object (&result);
  till_pay_provider_query_async (provider, "T20240520131415009", NULL, done_cb, &result);
  g_assert_null (till_pay_provider_query_finish (provider, wait_for (&result), &error));
  g_assert_cmpint (till_pay_error_get_failure (error), ==, TILL_PAY_FAILURE_NOT_FOUND);
  g_clear_error (&error);

  /* a till signing with a key the gateway does not know: refused, nothing charged */
  impostor = provider_for (gateway->url, stranger, gateway->alipay_key);
  trade = pay (impostor, "T20240520131415003", "286958267789010000");
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_FAILED);
  g_assert_cmpstr (trade->code, ==, "isv.invalid-signature");
  till_pay_trade_free (trade);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/alipay-node-peer/sdk-client", test_sdk_client);
  g_test_add_func ("/alipay-node-peer/sdk-server", test_sdk_server);
  return g_test_run ();
}
