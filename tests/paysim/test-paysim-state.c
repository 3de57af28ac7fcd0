/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Integration tests of tillpoint-paysim's state dir: files and modes on first start,
 * reuse on restart (after a crash), loopback-only listening, and --tls. */
#define G_LOG_DOMAIN "till-test"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "till-test-paysim.h"

static void
assert_mode (TillTestPaysim *sim,
             const char     *name,
             guint           mode)
{
  g_autofree char *path = till_test_paysim_dup_path (sim, name);
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, mode);
}

static char *
read_file (TillTestPaysim *sim,
           const char     *name)
{
  g_autofree char *path = till_test_paysim_dup_path (sim, name);
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

static void
test_first_start_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillTestPaysim) sim = till_test_paysim_start (NULL, &error);
  g_autofree char *serial = NULL, *key_id = NULL, *priv = NULL, *pub = NULL, *ppub = NULL;
  g_autofree char *ledger = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (till_test_paysim_get_base_url (sim), "http://127.0.0.1:"));
  g_assert_cmpuint (till_test_paysim_get_port (sim), >, 0);

  assert_mode (sim, "merchant_private_key.pem", 0600);
  assert_mode (sim, "platform_private_key.pem", 0600);
  priv = read_file (sim, "merchant_private_key.pem");
  g_assert_true (g_str_has_prefix (priv, "-----BEGIN PRIVATE KEY-----"));
  pub = read_file (sim, "merchant_public_key.pem");
  g_assert_true (g_str_has_prefix (pub, "-----BEGIN PUBLIC KEY-----"));
  ppub = read_file (sim, "platform_public_key.pem");
  g_assert_true (g_str_has_prefix (ppub, "-----BEGIN PUBLIC KEY-----"));
  g_assert_cmpstr (pub, !=, ppub);

  serial = till_test_paysim_read_line (sim, "merchant_serial");
  g_assert_cmpuint (strlen (serial), ==, 40);
  for (const char *p = serial; *p; p++)
    g_assert_true (g_ascii_isxdigit (*p));
  key_id = till_test_paysim_read_line (sim, "platform_public_key_id");
  g_assert_true (g_str_has_prefix (key_id, "PUB_KEY_ID_"));
  g_assert_cmpuint (strlen (key_id), >, 11);
  for (const char *p = key_id + 11; *p; p++)
    g_assert_true (g_ascii_isdigit (*p));

  ledger = till_test_paysim_dup_path (sim, "ledger.db");
  g_assert_true (g_file_test (ledger, G_FILE_TEST_IS_REGULAR));

  /* The keys work: the merchant key signs a request the simulator accepts, and its answer
   * verifies with the platform key (the helper checks both). */
  {
    g_autofree char *otn = till_test_paysim_new_reference ("F");
    g_autofree char *code = till_test_paysim_auth_code ("0000");
    g_autofree char *body = till_test_paysim_codepay_body (sim, otn, code, 100);
    g_autoptr(TillTestPaysimAnswer) a = till_test_paysim_call (sim, "POST", "/v3/pay/transactions/codepay",
                                                               body, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (a->status, ==, 200);
    g_assert_true (a->signature_ok);
  }
}

static void
test_restart_reuses_state (void)
{
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--password-delay-ms", "1000", NULL };
  g_autoptr(TillTestPaysim) sim = till_test_paysim_start (args, &error);
  g_autofree char *serial = NULL, *key_id = NULL, *priv = NULL, *serial2 = NULL, *key_id2 = NULL;
  g_autofree char *priv2 = NULL;
  g_autofree char *paid = till_test_paysim_new_reference ("P");
  g_autofree char *waiting = till_test_paysim_new_reference ("W");
  g_autofree char *c1 = till_test_paysim_auth_code ("0000");
  g_autofree char *c2 = till_test_paysim_auth_code ("1111");
  g_autofree char *b1 = NULL, *b2 = NULL;
  g_autoptr(JsonObject) o1 = NULL;
  g_autoptr(JsonObject) o2 = NULL;

  g_assert_no_error (error);
  serial = till_test_paysim_read_line (sim, "merchant_serial");
  key_id = till_test_paysim_read_line (sim, "platform_public_key_id");
  priv = read_file (sim, "merchant_private_key.pem");
  b1 = till_test_paysim_codepay_body (sim, paid, c1, 321);
  b2 = till_test_paysim_codepay_body (sim, waiting, c2, 654);
  {
    g_autoptr(TillTestPaysimAnswer) a = till_test_paysim_call (sim, "POST", "/v3/pay/transactions/codepay", b1, &error);
    g_autoptr(TillTestPaysimAnswer) b = till_test_paysim_call (sim, "POST", "/v3/pay/transactions/codepay", b2, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (a->status, ==, 200);
    g_assert_cmpuint (b->status, ==, 202);
  }

  /* A crash while the customer is typing the password. */
  till_test_paysim_kill (sim);
  g_assert_false (till_test_paysim_is_running (sim));
  g_usleep (1100 * 1000);
  g_assert_true (till_test_paysim_restart (sim, &error));
  g_assert_no_error (error);

  serial2 = till_test_paysim_read_line (sim, "merchant_serial");
  key_id2 = till_test_paysim_read_line (sim, "platform_public_key_id");
  priv2 = read_file (sim, "merchant_private_key.pem");
  g_assert_cmpstr (serial, ==, serial2);
  g_assert_cmpstr (key_id, ==, key_id2);
  g_assert_cmpstr (priv, ==, priv2);

  o1 = till_test_paysim_ledger_order (sim, paid, &error);
  g_assert_no_error (error);
  g_assert_nonnull (o1);
  g_assert_cmpstr (json_object_get_string_member (o1, "state"), ==, "SUCCESS");
  g_assert_cmpint (json_object_get_int_member (o1, "total"), ==, 321);
  /* The password delay ran out while it was down: the stored transition applies. */
  o2 = till_test_paysim_ledger_order (sim, waiting, &error);
  g_assert_no_error (error);
  g_assert_nonnull (o2);
  g_assert_cmpstr (json_object_get_string_member (o2, "state"), ==, "SUCCESS");

  /* The retry after the restart is idempotent. */
  {
    g_autoptr(TillTestPaysimAnswer) again = till_test_paysim_call (sim, "POST", "/v3/pay/transactions/codepay", b1, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (again->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (again->json), "transaction_id"), ==,
                     json_object_get_string_member (o1, "transaction_id"));
  }
}

static void
test_loopback_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("till-paysim-XXXXXX", &error);
  const char *exe = g_getenv ("TILL_PAYSIM");
  const char *argv[] = { exe, "--listen", "0.0.0.0:0", "--state-dir", dir, NULL };
  g_autoptr(GSubprocess) p = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (exe);
  p = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (p, NULL, &error));
  g_assert_false (g_subprocess_get_successful (p));
  g_rmdir (dir);
}

static void
test_tls (void)
{
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--tls", NULL };
  g_autoptr(TillTestPaysim) sim = till_test_paysim_start (args, &error);
  g_autofree char *otn = till_test_paysim_new_reference ("T");
  g_autofree char *code = till_test_paysim_auth_code ("0000");
  g_autofree char *body = NULL;
  g_autoptr(TillTestPaysimAnswer) a = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (till_test_paysim_get_base_url (sim), "https://127.0.0.1:"));
  assert_mode (sim, "tls_cert.pem", 0600);
  assert_mode (sim, "tls_key.pem", 0600);
  body = till_test_paysim_codepay_body (sim, otn, code, 100);
  /* The helper's session trusts only tls_cert.pem: this verifies the certificate chain
   * and that it names 127.0.0.1. */
  a = till_test_paysim_call (sim, "POST", "/v3/pay/transactions/codepay", body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->status, ==, 200);
  g_assert_true (a->signature_ok);

  /* Without trusting the certificate the connection is refused. */
  {
    g_autofree char *url = g_strconcat (till_test_paysim_get_base_url (sim), "/_sim/ledger", NULL);
    g_autoptr(SoupSession) plain = soup_session_new ();
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GBytes) bytes = soup_session_send_and_read (plain, msg, NULL, &error);

    g_assert_null (bytes);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/paysim/state/first-start", test_first_start_files);
  g_test_add_func ("/paysim/state/restart", test_restart_reuses_state);
  g_test_add_func ("/paysim/state/loopback-only", test_loopback_only);
  g_test_add_func ("/paysim/state/tls", test_tls);
  return g_test_run ();
}
