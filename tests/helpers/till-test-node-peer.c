/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The npm alipay-sdk peer for the tests: see till-test-node-peer.h. */
#define G_LOG_DOMAIN "till-test-node-peer"
#include "config.h"

#include "till-test-node-peer.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>

static char *node_path;      /* the node executable */
static char *modules_dir;    /* …/node-peer/node_modules */

gboolean
till_test_node_peer_missing (void)
{
  const char *peer = g_getenv ("TILL_NODE_PEER_DIR");
  g_autofree char *package = NULL;

  if (node_path == NULL)
    node_path = g_find_program_in_path ("node");
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
  if (modules_dir == NULL)
    modules_dir = g_build_filename (peer, "node_modules", NULL);
  return FALSE;
}

const char *
till_test_node_peer_node (void)
{
  return node_path;
}

char *
till_test_node_peer_script (const char *name)
{
  return g_build_filename (g_getenv ("TILL_TEST_SRCDIR"), "tests", "alipay", name, NULL);
}

/* The peer dies with the test (a failed assertion must not leave it holding the test's
 * output open until meson's timeout). */
static void
child_setup (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

GSubprocessLauncher *
till_test_node_peer_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  g_subprocess_launcher_setenv (launcher, "NODE_PATH", modules_dir, TRUE);
  /* the SDK writes its timestamps in local time: Alipay's (§2.2) */
  g_subprocess_launcher_setenv (launcher, "TZ", "Asia/Shanghai", TRUE);
  return launcher;
}

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

TillRsaKey *
till_test_node_peer_key_pair (const char *dir,
                              const char *private_name,
                              const char *public_name)
{
  g_autoptr(GError) error = NULL;
  TillRsaKey *key = till_rsa_key_generate (&error);
  g_autofree char *priv = NULL;
  g_autofree char *pub = NULL;

  g_assert_no_error (error);
  priv = till_rsa_key_export_private_pkcs8_pem (key, &error);
  g_assert_no_error (error);
  pub = till_rsa_key_export_public_pem (key, &error);
  g_assert_no_error (error);
  write_pem (dir, private_name, priv, 0600);
  write_pem (dir, public_name, pub, 0644);
  return key;
}

TillTestNodeGateway *
till_test_node_gateway_start (GError **error)
{
  g_autoptr(TillTestNodeGateway) gateway = g_new0 (TillTestNodeGateway, 1);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *script = till_test_node_peer_script ("alipay-peer-server.cjs");
  g_autofree char *line = NULL;

  gateway->dir = g_dir_make_tmp ("till-alipay-peer-XXXXXX", error);
  if (gateway->dir == NULL)
    return NULL;
  gateway->app_key = till_test_node_peer_key_pair (gateway->dir, "app_private_key.pem",
                                                   "app_public_key.pem");
  gateway->alipay_key = till_test_node_peer_key_pair (gateway->dir, "alipay_private_key.pem",
                                                      "alipay_public_key.pem");
  launcher = till_test_node_peer_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  gateway->node = g_subprocess_launcher_spawn (launcher, error, node_path, script, gateway->dir,
                                               NULL);
  if (gateway->node == NULL)
    return NULL;
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (gateway->node));
  line = g_data_input_stream_read_line (out, NULL, NULL, error);
  if (line == NULL || !g_str_has_prefix (line, "listening "))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the peer gateway did not start");
      return NULL;
    }
  gateway->url = g_strdup_printf ("http://127.0.0.1:%s/gateway.do",
                                  line + strlen ("listening "));
  return g_steal_pointer (&gateway);
}

void
till_test_node_gateway_free (TillTestNodeGateway *gateway)
{
  const char *const names[] = { "app_private_key.pem", "app_public_key.pem",
                                "alipay_private_key.pem", "alipay_public_key.pem" };

  if (gateway == NULL)
    return;
  if (gateway->node != NULL)
    {
      g_subprocess_send_signal (gateway->node, SIGTERM);
      g_subprocess_wait (gateway->node, NULL, NULL);
      g_object_unref (gateway->node);
    }
  if (gateway->dir != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *p = g_build_filename (gateway->dir, names[i], NULL);

          g_unlink (p);
        }
      g_rmdir (gateway->dir);
    }
  g_clear_pointer (&gateway->app_key, till_rsa_key_unref);
  g_clear_pointer (&gateway->alipay_key, till_rsa_key_unref);
  g_free (gateway->url);
  g_free (gateway->dir);
  g_free (gateway);
}
