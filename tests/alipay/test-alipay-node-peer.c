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

static char *node_path;      /* the node executable */
static char *modules_dir;    /* …/node-peer/node_modules */

static gboolean
peer_missing (void)
{
  const char *peer = g_getenv ("TILL_NODE_PEER_DIR");
  g_autofree char *package = NULL;

  if (node_path == NULL)
    {
      g_test_skip ("node is not installed: the alipay-sdk peer is not run");
      return TRUE;
    }
  package = peer != NULL ? g_build_filename (peer, "node_modules", "alipay-sdk", "package.json",
                                             NULL)
                         : NULL;
  if (package == NULL || !g_file_test (package, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("alipay-sdk@4.14.0 is not installed in the build directory's node-peer: "
                   "run build-aux/dev build (it installs it with npm when node and npm are there)");
      return TRUE;
    }
  modules_dir = g_build_filename (peer, "node_modules", NULL);
  return FALSE;
}

static char *
script (const char *name)
{
  return g_build_filename (g_getenv ("TILL_TEST_SRCDIR"), "tests", "alipay", name, NULL);
}

static GSubprocessLauncher *
node_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_setenv (launcher, "NODE_PATH", modules_dir, TRUE);
  /* the SDK writes its timestamps in local time: Alipay's (§2.2) */
  g_subprocess_launcher_setenv (launcher, "TZ", "Asia/Shanghai", TRUE);
  return launcher;
}

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

  if (peer_missing ())
    return;
  sim = till_test_paysim_start (NULL, &error);
  g_assert_no_error (error);
  path = script ("alipay-peer-client.cjs");
  port = g_strdup_printf ("%u", till_test_paysim_get_port (sim));
  launcher = node_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  node = g_subprocess_launcher_spawn (launcher, &error, node_path, path,
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
write_pem (const char *dir,
           const char *name,
           const char *pem,
           int         mode)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, pem, -1, &error));
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

static TillRsaKey *
key_pair (const char *dir,
          const char *private_name,
          const char *public_name)
{
  g_autoptr(GError) error = NULL;
  TillRsaKey *key = till_rsa_key_generate (&error);
  g_autofree char *priv = till_rsa_key_export_private_pkcs8_pem (key, &error);
  g_autofree char *pub = till_rsa_key_export_public_pem (key, &error);

  g_assert_no_error (error);
  write_pem (dir, private_name, priv, 0600);
  write_pem (dir, public_name, pub, 0644);
  return key;
}

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
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *line = NULL;
  g_autofree char *url = NULL;
  g_autoptr(TillRsaKey) app = NULL;
  g_autoptr(TillRsaKey) alipay = NULL;
  g_autoptr(TillRsaKey) stranger = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) node = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(TillPayProvider) provider = NULL;
  g_autoptr(TillPayProvider) impostor = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  TillPayTrade *trade;

  if (peer_missing ())
    return;
  dir = g_dir_make_tmp ("till-alipay-peer-XXXXXX", &error);
  g_assert_no_error (error);
  app = key_pair (dir, "app_private_key.pem", "app_public_key.pem");
  alipay = key_pair (dir, "alipay_private_key.pem", "alipay_public_key.pem");
  stranger = till_rsa_key_generate (&error);
  g_assert_no_error (error);

  path = script ("alipay-peer-server.cjs");
  launcher = node_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  node = g_subprocess_launcher_spawn (launcher, &error, node_path, path, dir, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (node));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening "));
  url = g_strdup_printf ("http://127.0.0.1:%s/gateway.do", line + strlen ("listening "));

  provider = provider_for (url, app, alipay);
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
  impostor = provider_for (url, stranger, alipay);
  trade = pay (impostor, "T20240520131415003", "286958267789010000");
  g_assert_cmpint (trade->state, ==, TILL_PAY_TRADE_FAILED);
  g_assert_cmpstr (trade->code, ==, "isv.invalid-signature");
  till_pay_trade_free (trade);

  g_subprocess_send_signal (node, SIGTERM);
  g_subprocess_wait (node, NULL, NULL);
  {
    const char *const names[] = { "app_private_key.pem", "app_public_key.pem",
                                  "alipay_private_key.pem", "alipay_public_key.pem" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *p = g_build_filename (dir, names[i], NULL);

        g_unlink (p);
      }
    g_rmdir (dir);
  }
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  node_path = g_find_program_in_path ("node");

  g_test_add_func ("/alipay-node-peer/sdk-client", test_sdk_client);
  g_test_add_func ("/alipay-node-peer/sdk-server", test_sdk_server);
  return g_test_run ();
}
